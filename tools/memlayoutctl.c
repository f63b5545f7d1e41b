// SPDX-License-Identifier: GPL-2.0
/*
 * memlayoutctl: build a guest-physical memory layout through /dev/memlayout
 * and print it (a map like /proc/iomem, or one line of JSON).
 *
 * One invocation: MEMLAYOUT_IOC_SET_LAYOUT with the lists given on the
 * command line, then MEMLAYOUT_IOC_GET_STATS, MEMLAYOUT_IOC_GET_RANGES for
 * each list and one MEMLAYOUT_IOC_PROBE batch. --batch does the same for
 * every line of stdin on one open file.
 *
 * The rule, list, kind and field names are libmemlayout's (lib/names.c,
 * which needs only the C library), so the names here and in the library
 * are the same.
 *
 * Build (also with -static, and -m32 -static):
 *   gcc -O2 -Wall -Wextra -Werror -I lib -I include/uapi \
 *       -o tools/memlayoutctl tools/memlayoutctl.c lib/names.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/memlayout.h>
#include <libmemlayout.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

#define PROG			"memlayoutctl"
#define DEFAULT_DEVICE		"/dev/memlayout"
/*
 * Client-side sanity bounds; the kernel's own limits (GET_INFO's
 * max_ranges and max_probe) are at most these and are enforced there.
 */
#define MAX_LIST		(1U << 16)
#define MAX_PROBES		(1U << 20)
/* Sanity bound on a list read back (placed RAM may outnumber MAX_LIST). */
#define MAX_READ		(1U << 24)
#define MSG_LEN			512

/* Exit codes. */
#define EXIT_OK			0
#define EXIT_FAIL		1
#define EXIT_USAGE		2

/* Range lists of a request, indexed by MEMLAYOUT_LIST_RAM..PCI_MMIO. */
#define NR_RANGE_LISTS		(MEMLAYOUT_LIST_PCI_MMIO + 1)
/* Lists read back from a layout: the range lists and VTL2. */
#define NR_OUT_LISTS		(MEMLAYOUT_LIST_VTL2 + 1)

/**
 * struct range_list - a growable array of ranges
 * @r: the ranges.
 * @nr: number in use.
 * @cap: number allocated.
 */
struct range_list {
	struct memlayout_range *r;
	uint32_t nr;
	uint32_t cap;
};

/**
 * struct u64_list - a growable array of 64-bit numbers
 * @v: the numbers.
 * @nr: number in use.
 * @cap: number allocated.
 */
struct u64_list {
	uint64_t *v;
	uint32_t nr;
	uint32_t cap;
};

/**
 * struct request - one parsed command line (or one --batch line)
 * @source: MEMLAYOUT_SOURCE_*, 0 while none was given.
 * @ram_size: C1: --ram-size.
 * @ram_size_given: --ram-size seen (0 is passed on, for the kernel's R1).
 * @ram_none: C3 with "--ram none": no RAM range at all (the kernel's R5).
 * @nodes: C2: --node-size values, node 0 first.
 * @lists: --ram (C3), --mmio, --pci-ecam, --pci-mmio, by MEMLAYOUT_LIST_*.
 * @has_vtl2: --vtl2 given.
 * @vtl2: the VTL2 range.
 * @probes: --probe addresses.
 * @device: --device (command line only).
 * @json: --json.
 * @batch: --batch (command line only).
 * @help: --help (command line only).
 */
struct request {
	uint32_t source;
	uint64_t ram_size;
	bool ram_size_given;
	bool ram_none;
	struct u64_list nodes;
	struct range_list lists[NR_RANGE_LISTS];
	bool has_vtl2;
	struct memlayout_range vtl2;
	struct u64_list probes;
	const char *device;
	bool json;
	bool batch;
	bool help;
};

/**
 * struct result - a layout read back from the kernel
 * @st: MEMLAYOUT_IOC_GET_STATS.
 * @lists: MEMLAYOUT_IOC_GET_RANGES of each list, by MEMLAYOUT_LIST_*.
 * @kinds: MEMLAYOUT_KIND_* of each probe address.
 */
struct result {
	struct memlayout_stats st;
	struct range_list lists[NR_OUT_LISTS];
	uint32_t *kinds;
};

/**
 * struct failure - why a request failed (not a usage error)
 * @err: positive errno.
 * @reason: the kernel's reason (all zero unless SET_LAYOUT rejected it).
 * @msg: a sentence for humans.
 */
struct failure {
	int err;
	struct memlayout_reason reason;
	char msg[MSG_LEN];
};

/* The command-line option of each range list. */
static const char * const list_options[] = {
	[MEMLAYOUT_LIST_RAM] = "--ram",
	[MEMLAYOUT_LIST_MMIO] = "--mmio",
	[MEMLAYOUT_LIST_PCI_ECAM] = "--pci-ecam",
	[MEMLAYOUT_LIST_PCI_MMIO] = "--pci-mmio",
};

/* libmemlayout's name, or "unknown" for a list it does not know. */
static const char *list_name(uint32_t list)
{
	const char *name = memlayout_list_name(list);

	return name ? name : "unknown";
}

/* libmemlayout's name, or "unknown" for a kind it does not know. */
static const char *kind_name(uint32_t kind)
{
	const char *name = memlayout_kind_name(kind);

	return name ? name : "unknown";
}

/**
 * errno_name() - the symbolic name of an errno
 * @err: positive errno.
 * @buf: room for a fallback name.
 * @len: size of @buf.
 *
 * Return: "EINVAL" and the like; "E<number>" for one this table lacks.
 */
static const char *errno_name(int err, char *buf, size_t len)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
		{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" }, { EROFS, "EROFS" }, { EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
		{ EOVERFLOW, "EOVERFLOW" }, { EMSGSIZE, "EMSGSIZE" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ESTALE, "ESTALE" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, len, "E%d", err);
	return buf;
}

/**
 * rule_name() - a reason's value for the JSON "rule" key
 * @rule: MEMLAYOUT_RULE_* or MEMLAYOUT_REASON_*.
 * @buf: room for a fallback name.
 * @len: size of @buf.
 *
 * Return: "R1".."R8", "flags", "reserved", "size", "rule<n>" for a value this
 * program does not know, or %NULL for MEMLAYOUT_RULE_NONE (JSON null).
 */
static const char *rule_name(uint32_t rule, char *buf, size_t len)
{
	const char *name = memlayout_rule_name(rule);

	if (rule == MEMLAYOUT_RULE_NONE)
		return NULL;
	if (name)
		return name;
	snprintf(buf, len, "rule%" PRIu32, rule);
	return buf;
}

/* ---- growable arrays ---------------------------------------------------- */

/**
 * grow() - make room for one more element
 * @p: the array pointer (updated).
 * @cap: its capacity in elements (updated).
 * @nr: elements in use.
 * @size: size of one element.
 * @max: most elements allowed.
 *
 * Return: 0, -E2BIG when @max is reached, or -ENOMEM.
 */
static int grow(void **p, uint32_t *cap, uint32_t nr, size_t size, uint32_t max)
{
	uint32_t ncap;
	void *n;

	if (nr < *cap)
		return 0;
	if (nr >= max)
		return -E2BIG;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > max || ncap < *cap)
		ncap = max;
	if ((size_t)ncap > SIZE_MAX / size)
		return -ENOMEM;
	n = realloc(*p, (size_t)ncap * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}

static int range_list_add(struct range_list *l, const struct memlayout_range *r)
{
	void *p = l->r;
	int ret = grow(&p, &l->cap, l->nr, sizeof(*l->r), MAX_LIST);

	l->r = p;
	if (ret)
		return ret;
	l->r[l->nr++] = *r;
	return 0;
}

static int u64_list_add(struct u64_list *l, uint64_t v, uint32_t max)
{
	void *p = l->v;
	int ret = grow(&p, &l->cap, l->nr, sizeof(*l->v), max);

	l->v = p;
	if (ret)
		return ret;
	l->v[l->nr++] = v;
	return 0;
}

static void request_free(struct request *req)
{
	int i;

	free(req->nodes.v);
	free(req->probes.v);
	for (i = 0; i < NR_RANGE_LISTS; i++)
		free(req->lists[i].r);
	memset(req, 0, sizeof(*req));
}

static void result_free(struct result *res)
{
	int i;

	for (i = 0; i < NR_OUT_LISTS; i++)
		free(res->lists[i].r);
	free(res->kinds);
	memset(res, 0, sizeof(*res));
}

/* ---- parsing ------------------------------------------------------------ */

/**
 * parse_num() - parse a number: decimal or 0x-hex, optional K/M/G/T suffix
 * @s: first character.
 * @e: one past the last character.
 * @out: receives the value.
 *
 * The suffixes are binary (K = 2^10 ... T = 2^40), either case. No sign,
 * no blanks.
 *
 * Return: 0, -EINVAL for a malformed number, -ERANGE when it exceeds 64 bits.
 */
static int parse_num(const char *s, const char *e, uint64_t *out)
{
	unsigned int base = 10, shift = 0, digits = 0;
	uint64_t v = 0;

	if (e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; s < e; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	if (s < e) {
		switch (*s) {
		case 'K': case 'k':
			shift = 10;
			break;
		case 'M': case 'm':
			shift = 20;
			break;
		case 'G': case 'g':
			shift = 30;
			break;
		case 'T': case 't':
			shift = 40;
			break;
		default:
			return -EINVAL;
		}
		if (++s != e)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

/**
 * usage_err() - format a usage error message
 * @msg: receives the message.
 * @fmt: printf format.
 *
 * Return: -EINVAL, for "return usage_err(...)".
 */
static int __printf(2, 3) usage_err(char *msg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, MSG_LEN, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A number in [s, e) that is part of option @opt's argument @arg. */
static int parse_part(const char *s, const char *e, uint64_t *out,
		      const char *opt, const char *arg, char *msg)
{
	int ret = parse_num(s, e, out);

	const char *what = ret == -ERANGE ? "does not fit in 64 bits" :
			   "is not a number (decimal or 0x-hex, optional K/M/G/T suffix)";

	if (!ret)
		return 0;
	if (s == arg && !*e)	/* the number is the whole argument */
		return usage_err(msg, "%s: '%s' %s", opt, arg, what);
	return usage_err(msg, "%s '%s': '%.*s' %s", opt, arg, (int)(e - s), s,
			 what);
}

/**
 * parse_range() - parse START-END, or START-END[:NODE] when @node is given
 * @arg: the option's argument.
 * @opt: the option, for messages.
 * @r: receives the range (vnode 0 unless :NODE).
 * @node: true when :NODE is allowed.
 * @msg: receives a usage error message.
 *
 * The range is not checked: rules R2/R3 are the kernel's to report.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_range(const char *arg, const char *opt,
		       struct memlayout_range *r, bool node, char *msg)
{
	const char *dash = strchr(arg, '-');
	const char *end = arg + strlen(arg);
	const char *colon = node ? strchr(arg, ':') : NULL;
	uint64_t start, stop, v;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!dash || (colon && colon < dash))
		return usage_err(msg, "%s '%s': expected START-END%s", opt, arg,
				 node ? "[:NODE]" : "");
	ret = parse_part(arg, dash, &start, opt, arg, msg);
	if (!ret)
		ret = parse_part(dash + 1, colon ? colon : end, &stop, opt,
				 arg, msg);
	if (ret)
		return ret;
	r->start = start;
	r->end = stop;
	if (!colon)
		return 0;
	ret = parse_part(colon + 1, end, &v, opt, arg, msg);
	if (ret)
		return ret;
	if (v > UINT32_MAX)
		return usage_err(msg, "%s '%s': node does not fit in 32 bits",
				 opt, arg);
	r->vnode = (uint32_t)v;
	return 0;
}

enum {
	OPT_DEVICE = 256,
	OPT_JSON,
	OPT_BATCH,
	OPT_HELP,
	OPT_RAM_SIZE,
	OPT_NODE_SIZE,
	OPT_RAM,
	OPT_MMIO,
	OPT_PCI_ECAM,
	OPT_PCI_MMIO,
	OPT_VTL2,
	OPT_PROBE,
};

static const struct option long_options[] = {
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "ram-size", required_argument, NULL, OPT_RAM_SIZE },
	{ "node-size", required_argument, NULL, OPT_NODE_SIZE },
	{ "ram", required_argument, NULL, OPT_RAM },
	{ "mmio", required_argument, NULL, OPT_MMIO },
	{ "pci-ecam", required_argument, NULL, OPT_PCI_ECAM },
	{ "pci-mmio", required_argument, NULL, OPT_PCI_MMIO },
	{ "vtl2", required_argument, NULL, OPT_VTL2 },
	{ "probe", required_argument, NULL, OPT_PROBE },
	{ NULL, 0, NULL, 0 },
};

/* Choose the RAM source; mixing two sources is a usage error. */
static int set_source(struct request *req, uint32_t source, const char *opt,
		      char *msg)
{
	if (req->source && req->source != source)
		return usage_err(msg, "%s: only one of --ram-size, --node-size and --ram may be given",
				 opt);
	req->source = source;
	return 0;
}

/* An add to a list of at most @max items failed: the message for @ret. */
static int add_err(int ret, const char *opt, uint32_t max, char *msg)
{
	if (ret == -E2BIG)
		return usage_err(msg, "%s: too many values (at most %" PRIu32 ")",
				 opt, max);
	return usage_err(msg, "%s: out of memory", opt);
}

/**
 * parse_option() - apply one option to a request
 * @req: the request.
 * @c: getopt_long()'s return value.
 * @arg: the option's argument, or %NULL.
 * @in_batch: parsing a --batch line (no --device, --batch, --help).
 * @msg: receives a usage error message.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_option(struct request *req, int c, const char *arg,
			bool in_batch, char *msg)
{
	struct memlayout_range r;
	uint32_t list;
	uint64_t v;
	int ret;

	switch (c) {
	case OPT_DEVICE:
	case OPT_BATCH:
	case OPT_HELP:
	case 'h':
		if (in_batch)
			return usage_err(msg, "%s is not allowed in a --batch line",
					 c == OPT_DEVICE ? "--device" :
					 c == OPT_BATCH ? "--batch" : "--help");
		if (c == OPT_DEVICE)
			req->device = arg;
		else if (c == OPT_BATCH)
			req->batch = true;
		else
			req->help = true;
		return 0;
	case OPT_JSON:
		req->json = true;
		return 0;
	case OPT_RAM_SIZE:
		ret = set_source(req, MEMLAYOUT_SOURCE_SIZE, "--ram-size", msg);
		if (ret)
			return ret;
		if (req->ram_size_given)
			return usage_err(msg, "--ram-size given twice");
		req->ram_size_given = true;
		return parse_part(arg, arg + strlen(arg), &req->ram_size,
				  "--ram-size", arg, msg);
	case OPT_NODE_SIZE:
		ret = set_source(req, MEMLAYOUT_SOURCE_NODES, "--node-size", msg);
		if (!ret)
			ret = parse_part(arg, arg + strlen(arg), &v,
					 "--node-size", arg, msg);
		if (ret)
			return ret;
		ret = u64_list_add(&req->nodes, v, MAX_LIST);
		return ret ? add_err(ret, "--node-size", MAX_LIST, msg) : 0;
	case OPT_RAM:
	case OPT_MMIO:
	case OPT_PCI_ECAM:
	case OPT_PCI_MMIO:
		list = c == OPT_RAM ? MEMLAYOUT_LIST_RAM :
		       c == OPT_MMIO ? MEMLAYOUT_LIST_MMIO :
		       c == OPT_PCI_ECAM ? MEMLAYOUT_LIST_PCI_ECAM :
		       MEMLAYOUT_LIST_PCI_MMIO;
		if (list == MEMLAYOUT_LIST_RAM) {
			ret = set_source(req, MEMLAYOUT_SOURCE_RANGES, "--ram", msg);
			if (ret)
				return ret;
			/* "--ram none": C3 with no RAM range at all (R5). */
			if (!strcmp(arg, "none")) {
				if (req->lists[list].nr || req->ram_none)
					return usage_err(msg, "--ram none cannot be combined with other --ram ranges");
				req->ram_none = true;
				return 0;
			}
			if (req->ram_none)
				return usage_err(msg, "--ram none cannot be combined with other --ram ranges");
		}
		ret = parse_range(arg, list_options[list], &r,
				  list == MEMLAYOUT_LIST_RAM, msg);
		if (ret)
			return ret;
		ret = range_list_add(&req->lists[list], &r);
		return ret ? add_err(ret, list_options[list], MAX_LIST, msg) : 0;
	case OPT_VTL2:
		if (req->has_vtl2)
			return usage_err(msg, "--vtl2 given twice");
		req->has_vtl2 = true;
		return parse_range(arg, "--vtl2", &req->vtl2, false, msg);
	case OPT_PROBE:
		ret = parse_part(arg, arg + strlen(arg), &v, "--probe", arg, msg);
		if (ret)
			return ret;
		ret = u64_list_add(&req->probes, v, MAX_PROBES);
		return ret ? add_err(ret, "--probe", MAX_PROBES, msg) : 0;
	}
	return usage_err(msg, "internal error: option %d", c);
}

/**
 * parse_args() - parse a command line or a --batch line
 * @argc: number of arguments, @argv[0] included.
 * @argv: the arguments (getopt_long() may not reorder them: "+").
 * @req: receives the request (zeroed first).
 * @in_batch: parsing a --batch line.
 * @msg: receives a usage error message.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_args(int argc, char **argv, struct request *req,
		      bool in_batch, char *msg)
{
	int c, ret;

	memset(req, 0, sizeof(*req));
	req->device = DEFAULT_DEVICE;
	optind = 0;	/* full re-initialisation (glibc and musl) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", long_options, NULL)) != -1) {
		const char *opt = optind > 0 && optind <= argc ?
				  argv[optind - 1] : "?";

		if (c == ':')
			return usage_err(msg, "option '%s' requires an argument",
					 opt);
		if (c == '?') {
			if (optopt > 0 && optopt < 256)
				return usage_err(msg, "unknown option '-%c'",
						 optopt);
			return usage_err(msg, "unknown or malformed option '%s'",
					 opt);
		}
		ret = parse_option(req, c, optarg, in_batch, msg);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return usage_err(msg, "unexpected argument '%s'", argv[optind]);
	if (req->help)
		return 0;
	if (req->batch) {
		if (req->source || req->probes.nr || req->has_vtl2 ||
		    req->lists[MEMLAYOUT_LIST_MMIO].nr ||
		    req->lists[MEMLAYOUT_LIST_PCI_ECAM].nr ||
		    req->lists[MEMLAYOUT_LIST_PCI_MMIO].nr)
			return usage_err(msg, "--batch takes the layout options from stdin");
		return 0;
	}
	if (!req->source)
		return usage_err(msg, "no RAM given: use --ram-size, --node-size or --ram");
	return 0;
}

/* ---- talking to the kernel ---------------------------------------------- */

static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, cmd, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? errno : 0;
}

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int fail_sys(struct failure *f, int err, const char *what)
{
	memset(f, 0, sizeof(*f));
	f->err = err;
	snprintf(f->msg, sizeof(f->msg), "%s: %s", what, strerror(err));
	return -1;
}

/* "mmio[1] [0x1000, 0x2000)" for an input range, "ram[0]" otherwise. */
static void describe(char *buf, size_t len, const struct request *req,
		     uint32_t list, uint32_t index)
{
	const struct memlayout_range *r = NULL;

	if (list == MEMLAYOUT_LIST_VTL2 && req->has_vtl2 && !index)
		r = &req->vtl2;
	else if (list >= MEMLAYOUT_LIST_RAM && list <= MEMLAYOUT_LIST_PCI_MMIO &&
		 index < req->lists[list].nr)
		r = &req->lists[list].r[index];

	if (list == MEMLAYOUT_LIST_VTL2 && r)
		snprintf(buf, len, "vtl2 [0x%" PRIx64 ", 0x%" PRIx64 ")",
			 (uint64_t)r->start, (uint64_t)r->end);
	else if (r)
		snprintf(buf, len, "%s[%" PRIu32 "] [0x%" PRIx64 ", 0x%" PRIx64 ")",
			 list_name(list), index, (uint64_t)r->start,
			 (uint64_t)r->end);
	else if (list == MEMLAYOUT_LIST_RAM && req->source != MEMLAYOUT_SOURCE_RANGES)
		snprintf(buf, len, "placed ram[%" PRIu32 "]", index);
	else
		snprintf(buf, len, "%s[%" PRIu32 "]", list_name(list), index);
}

/**
 * field_name() - name the member a MEMLAYOUT_REASON_* rejection points at
 * @list: the reason's list; %MEMLAYOUT_LIST_NONE for the command itself.
 * @field: the reason's byte offset.
 *
 * Return: the member's name, or "byte <n>" for an offset this program
 * does not know.
 */
static const char *field_name(uint32_t list, uint32_t field)
{
	const char *name = memlayout_field_name(list, field);
	static char buf[32];

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "byte %" PRIu32, field);
	return buf;
}

/* Number of items @list holds in @req. */
static uint32_t request_count(const struct request *req, uint32_t list)
{
	if (list >= MEMLAYOUT_LIST_RAM && list <= MEMLAYOUT_LIST_PCI_MMIO)
		return req->lists[list].nr;
	if (list == MEMLAYOUT_LIST_NODES)
		return req->nodes.nr;
	return req->has_vtl2;
}

/**
 * explain() - the human sentence for a SET_LAYOUT rejection
 * @f: the failure (errno and reason set); @f->msg is written.
 * @req: the request, to name the ranges involved.
 */
static void explain(struct failure *f, const struct request *req)
{
	const struct memlayout_reason *rs = &f->reason;
	char a[160], b[160];
	char *m = f->msg;
	size_t n = sizeof(f->msg);

	describe(a, sizeof(a), req, rs->list, rs->index);
	switch (rs->rule) {
	case MEMLAYOUT_RULE_BAD_SIZE:
		if (rs->list == MEMLAYOUT_LIST_NODES && rs->index < req->nodes.nr)
			snprintf(m, n, "R1 bad size: node size nodes[%" PRIu32 "] = 0x%" PRIx64 " is zero or not a multiple of 4 KiB",
				 rs->index, req->nodes.v[rs->index]);
		else if (rs->list == MEMLAYOUT_LIST_NODES)
			snprintf(m, n, "R1 bad size: no node size given");
		else
			snprintf(m, n, "R1 bad size: RAM size 0x%" PRIx64 " is zero or not a multiple of 4 KiB",
				 req->ram_size);
		break;
	case MEMLAYOUT_RULE_BAD_RANGE:
		snprintf(m, n, "R2 bad range: %s is empty, reversed, not 4 KiB aligned or ends above 0x%llx",
			 a, (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		break;
	case MEMLAYOUT_RULE_BAD_ORDER:
		describe(b, sizeof(b), req, rs->list, rs->index - 1);
		snprintf(m, n, "R3 bad order: %s starts before the end of %s",
			 a, b);
		break;
	case MEMLAYOUT_RULE_OVERLAP:
		describe(b, sizeof(b), req, rs->other_list, rs->other_index);
		snprintf(m, n, "R4 overlap: %s overlaps %s", a, b);
		break;
	case MEMLAYOUT_RULE_NO_RAM:
		snprintf(m, n, "R5 no RAM: the layout would hold no RAM range");
		break;
	case MEMLAYOUT_RULE_TOO_LARGE:
		if (rs->list == MEMLAYOUT_LIST_NODES)
			snprintf(m, n, "R6 too large: the RAM of nodes[%" PRIu32 "] does not fit at or below 0x%llx",
				 rs->index, (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		else
			snprintf(m, n, "R6 too large: 0x%" PRIx64 " bytes of RAM do not fit at or below 0x%llx",
				 req->ram_size,
				 (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		break;
	case MEMLAYOUT_RULE_VTL2_BELOW_RAM:
		describe(b, sizeof(b), req, rs->other_list, rs->other_index);
		snprintf(m, n, "R7 VTL2 below end of RAM: %s starts below the end of %s",
			 a, b);
		break;
	case MEMLAYOUT_RULE_TOO_MANY:
		snprintf(m, n,
			 "R8 too many ranges: %s holds %" PRIu32 " entries, more than max_ranges %" PRIu32,
			 list_name(rs->list), request_count(req, rs->list),
			 rs->index);
		break;
	case MEMLAYOUT_REASON_FLAGS:
		snprintf(m, n, "unsupported value in %s: %s",
			 field_name(rs->list, rs->field), strerror(f->err));
		break;
	case MEMLAYOUT_REASON_RESERVED:
		if (rs->list == MEMLAYOUT_LIST_NONE)
			snprintf(m, n, "field %s must be zero here (unused by this source, reserved, or a pointer without its count): %s",
				 field_name(rs->list, rs->field),
				 strerror(f->err));
		else
			snprintf(m, n, "%s of %s must be zero: %s",
				 field_name(rs->list, rs->field), a,
				 strerror(f->err));
		break;
	case MEMLAYOUT_REASON_SIZE:
		snprintf(m, n, "the command's size or tail is not understood by this kernel (%s): %s",
			 field_name(MEMLAYOUT_LIST_NONE, rs->field),
			 strerror(f->err));
		break;
	case MEMLAYOUT_RULE_NONE:
		snprintf(m, n, "MEMLAYOUT_IOC_SET_LAYOUT: %s", strerror(f->err));
		break;
	default:
		snprintf(m, n, "unknown rule %" PRIu32 " at %s: %s", rs->rule,
			 a, strerror(f->err));
		break;
	}
}

/**
 * get_list() - MEMLAYOUT_IOC_GET_RANGES for one list
 * @fd: the device.
 * @list: MEMLAYOUT_LIST_*.
 * @out: receives the ranges (replacing what it held).
 * @f: receives the failure.
 *
 * Asks for the size with count 0 first, then reads with a buffer; retries
 * if the list grew in between.
 *
 * Return: 0 or -1.
 */
static int get_list(int fd, uint32_t list, struct range_list *out,
		    struct failure *f)
{
	struct memlayout_get_ranges g;
	uint32_t want = 0;
	int tries, err;

	for (tries = 0; tries < 8; tries++) {
		memset(&g, 0, sizeof(g));
		g.size = sizeof(g);
		g.list = list;
		g.count = want;
		if (want) {
			if (want > out->cap) {
				void *p = realloc(out->r, (size_t)want * sizeof(*out->r));

				if (!p)
					return fail_sys(f, ENOMEM, "GET_RANGES buffer");
				out->r = p;
				out->cap = want;
			}
			g.ranges_ptr = uptr(out->r);
		}
		err = do_ioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
		if (!err) {
			if (g.count > want)
				return fail_sys(f, EPROTO, "MEMLAYOUT_IOC_GET_RANGES");
			out->nr = g.count;
			return 0;
		}
		if (err != EMSGSIZE)
			return fail_sys(f, err, "MEMLAYOUT_IOC_GET_RANGES");
		if (g.count <= want || g.count > MAX_READ)
			return fail_sys(f, EPROTO, "MEMLAYOUT_IOC_GET_RANGES");
		want = g.count;
	}
	return fail_sys(f, EAGAIN, "MEMLAYOUT_IOC_GET_RANGES");
}

/**
 * run_layout() - set a layout and read everything back
 * @fd: the device.
 * @req: the request.
 * @res: receives the layout (free with result_free()).
 * @f: receives the failure.
 *
 * Return: 0 or -1.
 */
static int run_layout(int fd, const struct request *req, struct result *res,
		      struct failure *f)
{
	struct memlayout_set s;
	struct memlayout_probe p;
	uint32_t list;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.source = req->source;
	switch (req->source) {
	case MEMLAYOUT_SOURCE_SIZE:
		s.ram_size = req->ram_size;
		break;
	case MEMLAYOUT_SOURCE_NODES:
		s.nr_nodes = req->nodes.nr;
		s.nodes_ptr = uptr(req->nodes.v);
		break;
	default:
		s.nr_ram = req->lists[MEMLAYOUT_LIST_RAM].nr;
		s.ram_ptr = s.nr_ram ? uptr(req->lists[MEMLAYOUT_LIST_RAM].r) : 0;
		break;
	}
	s.nr_mmio = req->lists[MEMLAYOUT_LIST_MMIO].nr;
	s.mmio_ptr = s.nr_mmio ? uptr(req->lists[MEMLAYOUT_LIST_MMIO].r) : 0;
	s.nr_pci_ecam = req->lists[MEMLAYOUT_LIST_PCI_ECAM].nr;
	s.pci_ecam_ptr = s.nr_pci_ecam ?
			 uptr(req->lists[MEMLAYOUT_LIST_PCI_ECAM].r) : 0;
	s.nr_pci_mmio = req->lists[MEMLAYOUT_LIST_PCI_MMIO].nr;
	s.pci_mmio_ptr = s.nr_pci_mmio ?
			 uptr(req->lists[MEMLAYOUT_LIST_PCI_MMIO].r) : 0;
	if (req->has_vtl2) {
		s.flags |= MEMLAYOUT_SET_VTL2;
		s.vtl2 = req->vtl2;
	}

	err = do_ioctl(fd, MEMLAYOUT_IOC_SET_LAYOUT, &s);
	if (err) {
		memset(f, 0, sizeof(*f));
		f->err = err;
		f->reason = s.reason;
		explain(f, req);
		return -1;
	}

	res->st.size = sizeof(res->st);
	err = do_ioctl(fd, MEMLAYOUT_IOC_GET_STATS, &res->st);
	if (err)
		return fail_sys(f, err, "MEMLAYOUT_IOC_GET_STATS");

	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++)
		if (get_list(fd, list, &res->lists[list], f))
			return -1;

	if (!req->probes.nr)
		return 0;
	res->kinds = calloc(req->probes.nr, sizeof(*res->kinds));
	if (!res->kinds)
		return fail_sys(f, ENOMEM, "probe buffer");
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.count = req->probes.nr;
	p.addrs_ptr = uptr(req->probes.v);
	p.kinds_ptr = uptr(res->kinds);
	err = do_ioctl(fd, MEMLAYOUT_IOC_PROBE, &p);
	if (err)
		return fail_sys(f, err, "MEMLAYOUT_IOC_PROBE");
	return 0;
}

/* ---- output ------------------------------------------------------------- */

/* A JSON string: quotes, backslashes and every byte outside ASCII escaped. */
static void json_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void json_hex(FILE *out, const char *key, uint64_t v)
{
	fprintf(out, "\"%s\":\"0x%" PRIx64 "\"", key, v);
}

/* Print an error object. @rule is %NULL for JSON null. */
static void json_error(FILE *out, int err, const char *rule, uint32_t list,
		       uint32_t index, const char *msg)
{
	char ebuf[16];

	fputs("{\"error\":{\"errno\":", out);
	json_string(out, errno_name(err, ebuf, sizeof(ebuf)));
	fputs(",\"rule\":", out);
	if (rule)
		json_string(out, rule);
	else
		fputs("null", out);
	fputs(",\"list\":", out);
	json_string(out, list_name(list));
	fprintf(out, ",\"index\":%" PRIu32 ",\"message\":", index);
	json_string(out, msg);
	fputs("}}\n", out);
}

static void print_failure(const struct failure *f, bool json)
{
	char rbuf[16], ebuf[16];
	const char *rule = rule_name(f->reason.rule, rbuf, sizeof(rbuf));

	if (json) {
		json_error(stdout, f->err, rule, f->reason.list, f->reason.index,
			   f->msg);
		return;
	}
	if (rule)
		fprintf(stderr,
			PROG ": layout rejected: %s (errno %s, rule %s, list %s, index %" PRIu32 ")\n",
			f->msg, errno_name(f->err, ebuf, sizeof(ebuf)), rule,
			list_name(f->reason.list), f->reason.index);
	else
		fprintf(stderr, PROG ": %s\n", f->msg);
}

static void print_json(const struct request *req, const struct result *res)
{
	const struct memlayout_stats *st = &res->st;
	const struct range_list *vtl2 = &res->lists[MEMLAYOUT_LIST_VTL2];
	uint32_t list, i;

	fputc('{', stdout);
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		const struct range_list *l = &res->lists[list];

		fprintf(stdout, "\"%s\":[", list_name(list));
		for (i = 0; i < l->nr; i++) {
			fputs(i ? ",{" : "{", stdout);
			json_hex(stdout, "start", l->r[i].start);
			fputc(',', stdout);
			json_hex(stdout, "end", l->r[i].end);
			if (list == MEMLAYOUT_LIST_RAM) {
				fputc(',', stdout);
				json_hex(stdout, "node", l->r[i].vnode);
			}
			fputc('}', stdout);
		}
		fputs("],", stdout);
	}
	fputs("\"vtl2\":", stdout);
	if (vtl2->nr) {
		fputc('{', stdout);
		json_hex(stdout, "start", vtl2->r[0].start);
		fputc(',', stdout);
		json_hex(stdout, "end", vtl2->r[0].end);
		fputc('}', stdout);
	} else {
		fputs("null", stdout);
	}
	fputc(',', stdout);
	json_hex(stdout, "ram_size", st->ram_size);
	fputc(',', stdout);
	json_hex(stdout, "end_of_ram", st->end_of_ram);
	fputc(',', stdout);
	json_hex(stdout, "ram_below_4gb", st->ram_below_4gb);
	fputc(',', stdout);
	json_hex(stdout, "ram_above_4gb", st->ram_above_4gb);
	fputc(',', stdout);
	if (st->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO)
		json_hex(stdout, "ram_above_high_mmio", st->ram_above_high_mmio);
	else
		fputs("\"ram_above_high_mmio\":null", stdout);
	fputc(',', stdout);
	if (st->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB)
		json_hex(stdout, "max_ram_below_4gb", st->max_ram_below_4gb);
	else
		fputs("\"max_ram_below_4gb\":null", stdout);
	fputc(',', stdout);
	json_hex(stdout, "end_of_layout", st->end_of_layout);
	fputs(",\"probes\":[", stdout);
	for (i = 0; i < req->probes.nr; i++) {
		fputs(i ? ",{" : "{", stdout);
		json_hex(stdout, "addr", req->probes.v[i]);
		fprintf(stdout, ",\"kind\":\"%s\"}", kind_name(res->kinds[i]));
	}
	fputs("]}\n", stdout);
}

/*
 * "1 GiB"; a size that is no whole number of its own unit goes down to the
 * largest unit it is a whole number of, as long as that stays short
 * ("1026 GiB", "1049600 KiB"); otherwise it is approximate ("~1.00 GiB").
 */
static void human_size(char *buf, size_t len, uint64_t v)
{
	static const char * const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					       "PiB", "EiB" };
	unsigned int top = 0, u;

	while (top + 1 < ARRAY_SIZE(units) && v >> (10 * (top + 1)))
		top++;
	for (u = top + 1; u-- > 0;) {
		if (v & ((UINT64_C(1) << (10 * u)) - 1))
			continue;
		if ((v >> (10 * u)) < 10000000)
			snprintf(buf, len, "%" PRIu64 " %s", v >> (10 * u),
				 units[u]);
		else
			break;
		return;
	}
	snprintf(buf, len, "~%.2f %s",
		 (double)v / (double)(UINT64_C(1) << (10 * top)), units[top]);
}

/**
 * struct map_entry - one line of the human map
 * @start: first byte.
 * @end: one past the last byte.
 * @list: MEMLAYOUT_LIST_* (VTL2 included).
 * @vnode: node of a RAM range.
 */
struct map_entry {
	uint64_t start;
	uint64_t end;
	uint32_t list;
	uint32_t vnode;
};

static int map_cmp(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->list > y->list) - (x->list < y->list);
}

static void stat_line(const char *name, uint64_t v, bool present)
{
	char hs[32];

	if (!present) {
		printf("%-20s absent\n", name);
		return;
	}
	human_size(hs, sizeof(hs), v);
	printf("%-20s 0x%" PRIx64 " (%s)\n", name, v, hs);
}

static int print_human(const struct request *req, const struct result *res,
		       struct failure *f)
{
	const struct memlayout_stats *st = &res->st;
	struct map_entry *map;
	size_t nr = 0, total = 0, i;
	uint32_t list, j;
	char hs[32];

	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++)
		total += res->lists[list].nr;
	map = calloc(total ? total : 1, sizeof(*map));
	if (!map)
		return fail_sys(f, ENOMEM, "map");
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++) {
		for (j = 0; j < res->lists[list].nr; j++) {
			map[nr].start = res->lists[list].r[j].start;
			map[nr].end = res->lists[list].r[j].end;
			map[nr].vnode = res->lists[list].r[j].vnode;
			map[nr].list = list;
			nr++;
		}
	}
	qsort(map, nr, sizeof(*map), map_cmp);
	for (i = 0; i < nr; i++) {
		human_size(hs, sizeof(hs), map[i].end - map[i].start);
		printf("0x%016" PRIx64 "-0x%016" PRIx64 " %-8s %10s",
		       map[i].start, map[i].end - 1, list_name(map[i].list), hs);
		if (map[i].list == MEMLAYOUT_LIST_RAM)
			printf("  node %" PRIu32, map[i].vnode);
		putchar('\n');
	}
	free(map);

	stat_line("ram_size", st->ram_size, true);
	stat_line("end_of_ram", st->end_of_ram, true);
	stat_line("ram_below_4gb", st->ram_below_4gb, true);
	stat_line("ram_above_4gb", st->ram_above_4gb, true);
	stat_line("ram_above_high_mmio", st->ram_above_high_mmio,
		  st->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO);
	stat_line("max_ram_below_4gb", st->max_ram_below_4gb,
		  st->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB);
	stat_line("end_of_layout", st->end_of_layout, true);
	for (j = 0; j < req->probes.nr; j++)
		printf("probe 0x%" PRIx64 ": %s\n", req->probes.v[j],
		       kind_name(res->kinds[j]));
	return 0;
}

/* ---- modes -------------------------------------------------------------- */

/**
 * run_one() - set, read back and print one request
 * @fd: the device.
 * @req: the request.
 * @json: print JSON (stdout) rather than the map.
 *
 * Return: EXIT_OK or EXIT_FAIL.
 */
static int run_one(int fd, const struct request *req, bool json)
{
	struct result res;
	struct failure f;
	int ret;

	ret = run_layout(fd, req, &res, &f);
	if (!ret) {
		if (json)
			print_json(req, &res);
		else
			ret = print_human(req, &res, &f);
	}
	result_free(&res);
	if (ret) {
		print_failure(&f, json);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int open_device(const char *device, bool json)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);
	struct failure f;
	char what[MSG_LEN / 2];

	if (fd >= 0)
		return fd;
	snprintf(what, sizeof(what), "cannot open %s", device);
	fail_sys(&f, errno, what);
	print_failure(&f, json);
	return -1;
}

/**
 * split_line() - cut a --batch line into an argv
 * @line: the line, modified in place.
 * @argv: the argv array (grown as needed; argv[0] is the program name).
 * @cap: its capacity.
 * @argc: receives the count, argv[0] included.
 *
 * Return: 0 or -ENOMEM (or -E2BIG past INT_MAX / 2 words).
 */
static int split_line(char *line, char ***argv, uint32_t *cap, int *argc)
{
	static const char blanks[] = " \t\r\n\v\f";
	uint32_t n = 0;
	char *save = NULL, *tok;
	void *p;
	int ret;

	p = *argv;
	ret = grow(&p, cap, n, sizeof(char *), 1U << 30);
	*argv = p;
	if (ret)
		return ret;
	(*argv)[n++] = PROG;
	for (tok = strtok_r(line, blanks, &save); tok;
	     tok = strtok_r(NULL, blanks, &save)) {
		p = *argv;
		/* + 1: getopt wants argv[argc] == NULL. */
		ret = grow(&p, cap, n + 1, sizeof(char *), 1U << 30);
		*argv = p;
		if (ret)
			return ret;
		(*argv)[n++] = tok;
	}
	(*argv)[n] = NULL;
	*argc = (int)n;
	return 0;
}

/**
 * run_batch() - --batch: one request per stdin line, one JSON line each
 * @device: the device, opened once for the whole batch.
 *
 * Blank lines and lines starting with '#' are skipped (no output).
 *
 * Return: EXIT_USAGE if any line had a usage error, else EXIT_FAIL if any
 * line failed, else EXIT_OK.
 */
static int run_batch(const char *device)
{
	bool usage = false, failed = false;
	char msg[MSG_LEN], *line = NULL;
	char **argv = NULL;
	uint32_t cap = 0;
	size_t len = 0;
	ssize_t got;
	int fd, argc;

	fd = open_device(device, true);
	if (fd < 0)
		return EXIT_FAIL;
	while ((got = getline(&line, &len, stdin)) != -1) {
		struct request req;
		const char *s = line;

		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' ||
		       *s == '\v' || *s == '\f')
			s++;
		if ((size_t)got == strlen(line) && (!*s || *s == '#'))
			continue;
		if ((size_t)got != strlen(line)) {
			json_error(stdout, EINVAL, NULL, MEMLAYOUT_LIST_NONE, 0,
				   "usage: the line holds a NUL byte");
			usage = true;
		} else if (split_line(line, &argv, &cap, &argc)) {
			json_error(stdout, ENOMEM, NULL, MEMLAYOUT_LIST_NONE, 0,
				   "out of memory splitting the line");
			failed = true;
		} else if (parse_args(argc, argv, &req, true, msg)) {
			char umsg[MSG_LEN + 8];

			snprintf(umsg, sizeof(umsg), "usage: %s", msg);
			json_error(stdout, EINVAL, NULL, MEMLAYOUT_LIST_NONE, 0,
				   umsg);
			usage = true;
			request_free(&req);
		} else {
			if (run_one(fd, &req, true))
				failed = true;
			request_free(&req);
		}
		if (fflush(stdout))
			break;
	}
	if (ferror(stdin)) {
		fprintf(stderr, PROG ": reading stdin: %s\n", strerror(errno));
		failed = true;
	}
	free(line);
	free(argv);
	close(fd);
	return usage ? EXIT_USAGE : failed ? EXIT_FAIL : EXIT_OK;
}

static void help(void)
{
	fputs(
"Usage: " PROG " [--device PATH] [--json] RAM [HOLES] [--vtl2 START-END] [--probe ADDR]...\n"
"       " PROG " --batch [--device PATH] < lines\n"
"\n"
"Build a guest-physical memory layout with /dev/memlayout and print it.\n"
"\n"
"RAM, exactly one kind:\n"
"  --ram-size SIZE             SIZE bytes placed upward from 0 around the holes\n"
"  --node-size SIZE...         one per NUMA node, node 0 first (repeatable)\n"
"  --ram START-END[:NODE]...   explicit RAM ranges (NODE defaults to 0);\n"
"                              '--ram none' asks for no RAM at all\n"
"HOLES (each repeatable, sorted):\n"
"  --mmio START-END  --pci-ecam START-END  --pci-mmio START-END\n"
"Other:\n"
"  --vtl2 START-END     the VTL2 range (above all RAM)\n"
"  --probe ADDR         report what backs ADDR (repeatable)\n"
"  --device PATH        default " DEFAULT_DEVICE "\n"
"  --json               one line of JSON instead of the map\n"
"  --batch              read one set of the options above per stdin line\n"
"                       (whitespace separated; blank and '#' lines skipped),\n"
"                       write one JSON line per line, on one open device\n"
"  -h, --help           this text\n"
"\n"
"Numbers are decimal or 0x-hex with an optional K/M/G/T (binary) suffix.\n"
"START-END is half-open [START, END). The map prints INCLUSIVE ends, like\n"
"/proc/iomem: 0x0-0x3fffffff is [0, 1 GiB). JSON uses exclusive ends.\n"
"\n"
"Exit status: 0 success, 1 layout rejected or device error, 2 usage error.\n"
"In --batch mode: 2 if any line had a usage error, else 1 if any line failed.\n",
	      stdout);
}

int main(int argc, char **argv)
{
	struct request req;
	char msg[MSG_LEN];
	int fd, ret;

	if (parse_args(argc, argv, &req, false, msg)) {
		fprintf(stderr, PROG ": %s\nTry '" PROG " --help'.\n", msg);
		request_free(&req);
		return EXIT_USAGE;
	}
	if (req.help) {
		help();
		ret = EXIT_OK;
	} else if (req.batch) {
		ret = run_batch(req.device);
	} else {
		fd = open_device(req.device, req.json);
		if (fd < 0) {
			ret = EXIT_FAIL;
		} else {
			ret = run_one(fd, &req, req.json);
			close(fd);
		}
	}
	request_free(&req);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": writing output: %s\n", strerror(errno));
		if (ret == EXIT_OK)
			ret = EXIT_FAIL;
	}
	return ret;
}
