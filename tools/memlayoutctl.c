// SPDX-License-Identifier: GPL-2.0
/*
 * memlayoutctl: build a guest-physical memory layout with libmemlayout and
 * print it (a map like /proc/iomem or lsmem, one line of JSON like ip -j,
 * or the firmware maps a VMM hands its guest), or compare two layouts.
 *
 * One invocation: memlayout_set() with the lists given on the command
 * line (or memlayout_set_placement() with the placement requests, SPEC
 * C4), then memlayout_get_layout() (every range, the figures, the
 * generation and the fingerprint of that one layout), for a placed layout
 * memlayout_get_placements() (each range's tag), and one
 * memlayout_probe_ranges(). The handle is /dev/memlayout, or with
 * --offline the library's offline engine (the module's core in this
 * process), which answers exactly as the device does. --batch does the
 * same for every line of stdin on one handle. --check-host checks the
 * layout against this host (memlayout_check_host(), SPEC H1-H3) and
 * prints the conflicts. --check-kvm checks it against the memslots of a
 * throwaway KVM VM built from the --memslot options (memlayout_check_kvm(),
 * SPEC H4), or with --offline against those memslots as given
 * (memlayout_kvm_audit_slots(), no VM), and prints the findings; a VMM
 * makes the library call on its own VM instead. "memlayoutctl diff A B"
 * prints the structured difference of two layouts (memlayout_diff()).
 *
 * The rule, list and kind names are libmemlayout's, so the names here and
 * in the library are the same. See Documentation/man/memlayoutctl.8.
 *
 * Build: make tools/memlayoutctl (libmemlayout.a, statically, and -lfdt).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/kvm.h>
#include <linux/memlayout.h>
#include <libmemlayout.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

#define PROG			"memlayoutctl"
#define DEFAULT_DEVICE		MEMLAYOUT_DEVICE
/*
 * Client-side sanity bounds; the kernel's own limits (GET_INFO's
 * max_ranges and max_probe) are at most these and are enforced there.
 */
#define MAX_LIST		(1U << 16)
#define MAX_PROBES		(1U << 20)
/* Sanity bound on a layout read from a JSON file. */
#define MAX_READ		(1U << 24)
#define MSG_LEN			512
/* Largest layout JSON file "memlayoutctl diff" reads. */
#define MAX_JSON		(64U << 20)

/* Exit codes. */
#define EXIT_OK			0
#define EXIT_FAIL		1
#define EXIT_USAGE		2
/*
 * --check-host: the layout conflicts with this host (SPEC H1-H3);
 * --check-kvm: the memslots do not match the layout (SPEC H4).
 */
#define EXIT_CONFLICTS		3
/* "memlayoutctl diff": 0 equal, 1 different, 2 any error. */
#define EXIT_DIFF_ERROR		2

/* Range lists of a request, indexed by MEMLAYOUT_LIST_RAM..PCI_MMIO. */
#define NR_RANGE_LISTS		(MEMLAYOUT_LIST_PCI_MMIO + 1)
/* Placement classes, MEMLAYOUT_CLASS_RESERVED..POST_MMIO. */
#define NR_CLASSES		MEMLAYOUT_CLASS_POST_MMIO
/* Client-side bound on the placement requests of one line. */
#define MAX_PLACE		(NR_CLASSES * MAX_LIST)
/* A placement request's default alignment: any page. */
#define DEFAULT_ALIGN		4096

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
 * struct place_list - the placement requests (SPEC C4), in command-line
 * order, with their tags
 * @r: the requests, as memlayout_set_placement() takes them.
 * @tags: @tags[i] is the tag of @r[i] (malloc()ed).
 * @nr: number in use.
 * @cap: number of @r allocated.
 * @tags_cap: number of @tags allocated.
 * @vtl2: a --post-mmio of kind vtl2 was given.
 */
struct place_list {
	struct memlayout_place_req *r;
	char **tags;
	uint32_t nr;
	uint32_t cap;
	uint32_t tags_cap;
	bool vtl2;
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
 * struct slot_list - the memslots --check-kvm sets, in command-line order
 * @s: the slots; @s[i].id is i (a VM's slot id: ``i | as_id << 16``).
 * @nr: number in use.
 * @cap: number allocated.
 */
struct slot_list {
	struct memlayout_kvm_memslot *s;
	uint32_t nr;
	uint32_t cap;
};

/**
 * struct host_list - the devices --check-host names, in command-line order
 * @d: their records (a --device BDF, or a --vfio PATH opened by
 *     open_host_devices()).
 * @vfio: @vfio[i] is the --vfio PATH of @d[i], or %NULL for a --device.
 * @nr: number in use.
 * @cap: number of @d allocated.
 * @vfio_cap: number of @vfio allocated.
 */
struct host_list {
	struct memlayout_host_device *d;
	const char **vfio;
	uint32_t nr;
	uint32_t cap;
	uint32_t vfio_cap;
};

/* The columns of the map view (--output). */
enum column {
	COL_RANGE,
	COL_START,
	COL_END,
	COL_SIZE,
	COL_KIND,
	COL_NODE,
	COL_INDEX,
	COL_TAG,
	NR_COLUMNS,
};

#define MAX_OUTPUT_COLUMNS	16

/* What an invocation renders from the layout it built. */
enum view {
	VIEW_LAYOUT,		/* the map, or the layout's JSON */
	VIEW_E820,		/* --e820 */
	VIEW_SRAT,		/* --srat */
	VIEW_FDT,		/* --fdt FILE */
	VIEW_HEADER,		/* --view-info: the shared view's header */
};

/**
 * struct request - one parsed command line (or one --batch line)
 * @source: MEMLAYOUT_SOURCE_*, 0 while none was given (the placement
 *          options select MEMLAYOUT_SOURCE_PLACE).
 * @ram_size: C1: --ram-size.
 * @ram_size_given: --ram-size seen (0 is passed on, for the kernel's R1).
 * @ram_none: C3 with "--ram none": no RAM range at all (the kernel's R5).
 * @nodes: C2: --node-size values, node 0 first.
 * @lists: --ram (C3), --mmio, --pci-ecam, --pci-mmio, by MEMLAYOUT_LIST_*.
 * @has_vtl2: --vtl2 given.
 * @vtl2: the VTL2 range.
 * @place: C4: the placement requests.
 * @probes: --probe addresses.
 * @view: what to print.
 * @e820_flags: --e820=legacy: MEMLAYOUT_E820_LEGACY.
 * @fdt_file: --fdt FILE.
 * @columns: --output, in order.
 * @nr_columns: number of @columns; 0 for the default.
 * @device: --device PATH (command line only).
 * @check_host: --check-host: check the layout against this host (SPEC
 *              H1-H3) and print the conflicts instead of the map.
 * @hosts: the devices it names: --device BDF, --vfio PATH.
 * @check_kvm: --check-kvm: check the layout against KVM memslots (SPEC
 *             H4) and print the findings instead of the map.
 * @slots: the --memslot options.
 * @offline: --offline (command line only).
 * @max_ranges: --max-ranges, the offline R8 limit (0: the default).
 * @json: --json.
 * @dry_run: --dry-run: check the layout with MEMLAYOUT_SET_DRY_RUN and
 *           print the verdict; nothing is published.
 * @batch: --batch (command line only).
 * @in_batch: this request is a --batch line.
 * @probe_only: a --batch line of --probe options only: probe the layout
 *              an earlier line published, set nothing.
 * @use_view: --view: answer the probes through the shared view (SPEC V1)
 *            instead of MEMLAYOUT_IOC_PROBE (command line only).
 * @view_size: --view-size, the size to map the view with (0: the
 *             library's default, room for the largest layout).
 * @vm: the mapped view with --view or --view-info (the whole run's, set
 *      after parsing), else %NULL.
 * @help: --help (command line only).
 * @diff: "diff A B" (command line only).
 * @args: the positional arguments of diff.
 * @nr_args: number of @args.
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
	struct place_list place;
	struct u64_list probes;
	enum view view;
	uint32_t e820_flags;
	const char *fdt_file;
	enum column columns[MAX_OUTPUT_COLUMNS];
	unsigned int nr_columns;
	const char *device;
	bool check_host;
	struct host_list hosts;
	bool check_kvm;
	struct slot_list slots;
	bool offline;
	uint32_t max_ranges;
	bool json;
	bool dry_run;
	bool batch;
	bool in_batch;
	bool probe_only;
	bool use_view;
	uint64_t view_size;
	const struct memlayout_view_map *vm;
	bool help;
	bool diff;
	const char *args[2];
	unsigned int nr_args;
};

/**
 * struct result - a layout read back
 * @snap: memlayout_get_layout(): ranges, figures, generation, fingerprint.
 * @kinds: MEMLAYOUT_KIND_* of each probe address.
 * @ranges: the range covering each probe address.
 * @generation: the generation that answered the probes.
 * @via_ioctl: --view, but the layout is too large for the view
 *             (%MEMLAYOUT_VIEW_TOO_LARGE): the ioctl answered the probes.
 * @fingerprint: --dry-run: the fingerprint SET_LAYOUT replied with (@snap
 *               stays empty, nothing was published).
 * @placed: C4: memlayout_get_placements(), in address order.
 * @nr_placed: number of @placed.
 * @placed_tags: the tag of each of @placed (the request's, in @req).
 */
struct result {
	struct memlayout_snapshot snap;
	uint32_t *kinds;
	struct memlayout_probe_range *ranges;
	uint64_t generation;
	bool via_ioctl;
	uint8_t fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_placed *placed;
	uint32_t nr_placed;
	const char **placed_tags;
};

/**
 * struct failure - why a request failed (not a usage error)
 * @err: positive errno.
 * @reason: the reason SET_LAYOUT wrote (all zero unless it rejected).
 * @place: a C4 SET_LAYOUT rejected the placement: the fields below are
 *         set and the error is reported by request (tag, class, index).
 * @place_reason: the placement reason SET_LAYOUT wrote.
 * @tag: the offending request's tag, or %NULL when the rejection is not
 *       about one request (R5, R8 on the RAM extents).
 * @place_class: its class; %MEMLAYOUT_CLASS_RAM for R5 and R8 on the RAM
 *         extents, which name no request; 0 when not about one class.
 * @index: its index in @place_class (R8: the limit, the first that does not fit).
 * @other_tag: P3: the tag of the second pinned range.
 * @msg: a sentence for humans.
 */
struct failure {
	int err;
	struct memlayout_reason reason;
	bool place;
	struct memlayout_place_reason place_reason;
	const char *tag;
	uint32_t place_class;
	uint32_t index;
	const char *other_tag;
	char msg[MSG_LEN];
};

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

/* A placed range's kind: a layout kind's name, or "vtl2". */
static const char *placed_kind_name(uint32_t kind)
{
	return kind == MEMLAYOUT_PLACE_VTL2 ? "vtl2" : kind_name(kind);
}

/* libmemlayout's name of a MEMLAYOUT_CLASS_*, or "unknown". */
static const char *class_name(uint32_t class)
{
	const char *name = memlayout_class_name(class);

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

/**
 * place_add() - append one placement request and its tag
 * @l: the list.
 * @r: the request.
 * @tag: its tag (taken over: freed with the list, or here on failure).
 *
 * Return: 0, -E2BIG past MAX_PLACE requests, or -ENOMEM.
 */
static int place_add(struct place_list *l, const struct memlayout_place_req *r,
		     char *tag)
{
	void *p = l->r, *t = l->tags;
	int ret = grow(&p, &l->cap, l->nr, sizeof(*l->r), MAX_PLACE);

	l->r = p;
	if (!ret)
		ret = grow(&t, &l->tags_cap, l->nr, sizeof(*l->tags), MAX_PLACE);
	l->tags = t;
	if (ret) {
		free(tag);
		return ret;
	}
	l->r[l->nr] = *r;
	l->tags[l->nr++] = tag;
	return 0;
}

/**
 * place_position() - where a request of a class is on the command line
 * @l: the requests.
 * @class: ``MEMLAYOUT_CLASS_*``.
 * @index: the request's index in @class.
 *
 * Return: its position in @l, or @l->nr when there is no such request.
 */
static uint32_t place_position(const struct place_list *l, uint32_t class,
			       uint32_t index)
{
	uint32_t i;

	for (i = 0; i < l->nr; i++)
		if (l->r[i].place_class == class && !index--)
			return i;
	return l->nr;
}

static void request_free(struct request *req)
{
	uint32_t j;
	int i;

	for (j = 0; j < req->place.nr; j++)
		free(req->place.tags[j]);
	free(req->place.r);
	free(req->place.tags);
	free(req->nodes.v);
	free(req->probes.v);
	for (j = 0; j < req->hosts.nr; j++)
		if (req->hosts.vfio[j] && req->hosts.d[j].fd > 0)
			close(req->hosts.d[j].fd);
	free(req->hosts.d);
	free(req->hosts.vfio);
	free(req->slots.s);
	for (i = 0; i < NR_RANGE_LISTS; i++)
		free(req->lists[i].r);
	memset(req, 0, sizeof(*req));
}

static void result_free(struct result *res)
{
	memlayout_snapshot_free(&res->snap);
	free(res->placed);
	free(res->placed_tags);
	free(res->kinds);
	free(res->ranges);
	memset(res, 0, sizeof(*res));
}

/* ---- parsing ------------------------------------------------------------ */

/**
 * parse_num() - parse a number: decimal or 0x-hex, optional binary suffix
 * @s: first character.
 * @e: one past the last character.
 * @out: receives the value.
 *
 * The suffixes are binary, K = 2^10, M, G, T, P up to E = 2^60, in either
 * case, alone or spelled KiB, MiB, GiB, TiB, PiB, EiB ("iB" exactly). A
 * hex number cannot take the E suffix (E is a hex digit). No sign, no
 * blanks.
 *
 * Return: 0, -EINVAL for a malformed number, -ERANGE when it exceeds 64 bits.
 */
static int parse_num(const char *s, const char *e, uint64_t *out)
{
	static const char suffixes[] = "KMGTPE";
	unsigned int base = 10, shift = 0, digits = 0;
	const char *u;
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
		char c = *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s;

		u = c ? strchr(suffixes, c) : NULL;
		if (!u)
			return -EINVAL;
		shift = 10 * (unsigned int)(u - suffixes + 1);
		s++;
		if (e - s == 2 && s[0] == 'i' && s[1] == 'B')
			s += 2;
		if (s != e)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

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
			   "is not a number (decimal or 0x-hex, optional K/M/G/T/P/E or KiB..EiB suffix)";

	if (!ret)
		return 0;
	if (s == arg && !*e)	/* the number is the whole argument */
		return usage_err(msg, "%s: '%s' %s", opt, arg, what);
	return usage_err(msg, "%s '%s': '%.*s' %s", opt, arg, (int)(e - s), s,
			 what);
}

/**
 * parse_range() - parse START-END or START+SIZE, with [:NODE] when @node
 * @arg: the option's argument.
 * @opt: the option, for messages.
 * @r: receives the range (vnode 0 unless :NODE).
 * @node: true when :NODE is allowed.
 * @msg: receives a usage error message.
 *
 * START-END is [START, END); START+SIZE is [START, START + SIZE), and a
 * sum past 64 bits is a usage error. The range is not checked otherwise:
 * rules R2/R3 are the kernel's to report.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_range(const char *arg, const char *opt,
		       struct memlayout_range *r, bool node, char *msg)
{
	const char *sep = strpbrk(arg, "-+");
	const char *end = arg + strlen(arg);
	const char *colon = node ? strchr(arg, ':') : NULL;
	uint64_t start, stop, v;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!sep || (colon && colon < sep))
		return usage_err(msg, "%s '%s': expected START-END or START+SIZE%s",
				 opt, arg, node ? " (then :NODE)" : "");
	ret = parse_part(arg, sep, &start, opt, arg, msg);
	if (!ret)
		ret = parse_part(sep + 1, colon ? colon : end, &stop, opt,
				 arg, msg);
	if (ret)
		return ret;
	if (*sep == '+') {
		if (stop > UINT64_MAX - start)
			return usage_err(msg, "%s '%s': START+SIZE does not fit in 64 bits",
					 opt, arg);
		stop += start;
	}
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

/* The map view's columns: name, width, right-aligned, what they show. */
static const struct {
	const char *name;
	int width;
	bool right;
	const char *help;
} columns[NR_COLUMNS] = {
	[COL_RANGE] = { "RANGE", 37, false, "first-last byte, inclusive, like /proc/iomem" },
	[COL_START] = { "START", 18, false, "first byte" },
	[COL_END] = { "END", 18, false, "last byte (inclusive)" },
	[COL_SIZE] = { "SIZE", 10, true, "size in binary units" },
	[COL_KIND] = { "KIND", 8, false, "ram, mmio, pci_ecam, pci_mmio or vtl2" },
	[COL_NODE] = { "NODE", 4, true, "NUMA node of RAM, - for holes" },
	[COL_INDEX] = { "INDEX", 5, true, "index in the list of its kind" },
	[COL_TAG] = { "TAG", 16, false, "tag of the placement request, - when not placed" },
};

/* The default columns; a placed layout (C4) adds TAG. */
static const enum column default_columns[] = {
	COL_RANGE, COL_KIND, COL_SIZE, COL_NODE, COL_TAG,
};

#define NR_DEFAULT_COLUMNS	(ARRAY_SIZE(default_columns) - 1)

/**
 * parse_columns() - --output LIST: comma-separated column names
 * @req: receives the columns.
 * @arg: the list (names in either case).
 * @msg: receives a usage error message.
 *
 * Return: 0 or -EINVAL (unknown or empty name, too many columns).
 */
static int parse_columns(struct request *req, const char *arg, char *msg)
{
	const char *s = arg, *comma;
	unsigned int i;

	req->nr_columns = 0;
	do {
		size_t len;

		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		for (i = 0; i < NR_COLUMNS; i++)
			if (len == strlen(columns[i].name) &&
			    !strncasecmp(s, columns[i].name, len))
				break;
		if (i == NR_COLUMNS)
			return usage_err(msg, "--output: unknown column '%.*s' (RANGE, START, END, SIZE, KIND, NODE, INDEX, TAG)",
					 (int)len, s);
		if (req->nr_columns == MAX_OUTPUT_COLUMNS)
			return usage_err(msg, "--output: more than %d columns",
					 MAX_OUTPUT_COLUMNS);
		req->columns[req->nr_columns++] = i;
		s = comma + 1;
	} while (comma);
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
	OPT_OFFLINE,
	OPT_MAX_RANGES,
	OPT_OUTPUT,
	OPT_E820,
	OPT_SRAT,
	OPT_FDT,
	OPT_DRY_RUN,
	OPT_RESERVE,
	OPT_FIXED,
	OPT_MMIO32,
	OPT_RAM_REQUEST,
	OPT_MMIO64,
	OPT_POST_MMIO,
	OPT_VIEW,
	OPT_VIEW_SIZE,
	OPT_VIEW_INFO,
	OPT_CHECK_HOST,
	OPT_VFIO,
	OPT_CHECK_KVM,
	OPT_MEMSLOT,
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
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "max-ranges", required_argument, NULL, OPT_MAX_RANGES },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "e820", optional_argument, NULL, OPT_E820 },
	{ "srat", no_argument, NULL, OPT_SRAT },
	{ "fdt", required_argument, NULL, OPT_FDT },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "reserve", required_argument, NULL, OPT_RESERVE },
	{ "fixed", required_argument, NULL, OPT_FIXED },
	{ "mmio32", required_argument, NULL, OPT_MMIO32 },
	{ "ram-request", required_argument, NULL, OPT_RAM_REQUEST },
	{ "mmio64", required_argument, NULL, OPT_MMIO64 },
	{ "post-mmio", required_argument, NULL, OPT_POST_MMIO },
	{ "view", no_argument, NULL, OPT_VIEW },
	{ "view-size", required_argument, NULL, OPT_VIEW_SIZE },
	{ "view-info", no_argument, NULL, OPT_VIEW_INFO },
	{ "check-host", no_argument, NULL, OPT_CHECK_HOST },
	{ "vfio", required_argument, NULL, OPT_VFIO },
	{ "check-kvm", no_argument, NULL, OPT_CHECK_KVM },
	{ "memslot", required_argument, NULL, OPT_MEMSLOT },
	{ NULL, 0, NULL, 0 },
};

/* Choose the RAM source; mixing two sources is a usage error. */
static int set_source(struct request *req, uint32_t source, const char *opt,
		      char *msg)
{
	if (req->source && req->source != source &&
	    (source == MEMLAYOUT_SOURCE_PLACE ||
	     req->source == MEMLAYOUT_SOURCE_PLACE))
		return usage_err(msg, "%s: the placement options (--reserve, --fixed, --mmio32, --ram-request, --mmio64, --post-mmio) exclude --ram-size, --node-size and --ram",
				 opt);
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

/* The placement options: option name, class, takes a KIND, a range. */
static const struct {
	int opt;
	const char *name;
	uint32_t place_class;
	bool kind;
	bool pinned;
} place_options[] = {
	{ OPT_RESERVE, "--reserve", MEMLAYOUT_CLASS_RESERVED, false, true },
	{ OPT_FIXED, "--fixed", MEMLAYOUT_CLASS_FIXED, true, true },
	{ OPT_MMIO32, "--mmio32", MEMLAYOUT_CLASS_MMIO32, true, false },
	{ OPT_RAM_REQUEST, "--ram-request", MEMLAYOUT_CLASS_RAM, false, false },
	{ OPT_MMIO64, "--mmio64", MEMLAYOUT_CLASS_MMIO64, true, false },
	{ OPT_POST_MMIO, "--post-mmio", MEMLAYOUT_CLASS_POST_MMIO, true, false },
};

/**
 * parse_place_kind() - the KIND of a placement option
 * @s: first character.
 * @e: one past the last character.
 * @class: the option's class (vtl2 is a post-MMIO kind only).
 * @kind: receives the MEMLAYOUT_KIND_* or MEMLAYOUT_PLACE_VTL2.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_place_kind(const char *s, const char *e, uint32_t class,
			    uint32_t *kind)
{
	size_t len = (size_t)(e - s);
	uint32_t k;

	for (k = MEMLAYOUT_KIND_MMIO; k <= MEMLAYOUT_KIND_PCI_MMIO; k++) {
		if (len == strlen(kind_name(k)) && !strncmp(s, kind_name(k), len)) {
			*kind = k;
			return 0;
		}
	}
	if (class == MEMLAYOUT_CLASS_POST_MMIO && len == 4 &&
	    !strncmp(s, "vtl2", 4)) {
		*kind = MEMLAYOUT_PLACE_VTL2;
		return 0;
	}
	return -EINVAL;
}

/**
 * parse_place() - one placement option: --reserve TAG:START-END,
 * --fixed TAG:KIND:START-END, --mmio32, --mmio64 and --post-mmio
 * TAG:KIND:SIZE[/ALIGN], --ram-request TAG:SIZE[/ALIGN]
 * @req: the request; the placement request is appended, in command-line
 *       order (so each class keeps its order).
 * @c: the option.
 * @arg: its argument.
 * @msg: receives a usage error message.
 *
 * TAG is everything before the first ':' (not empty). KIND is mmio,
 * pci_ecam or pci_mmio, or for --post-mmio vtl2 (at most once). START-END
 * may also be written START+SIZE, as every range of this program. ALIGN
 * defaults to 4 KiB. Sizes and alignments are not checked here: P1, P2
 * and R2 are the kernel's to report.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_place(struct request *req, int c, const char *arg, char *msg)
{
	struct memlayout_place_req r = { 0 };
	const char *colon = strchr(arg, ':');
	const char *end = arg + strlen(arg);
	const char *opt = NULL, *s, *sep;
	uint64_t a, b;
	unsigned int i;
	char *tag;
	int ret;

	for (i = 0; i < ARRAY_SIZE(place_options); i++)
		if (place_options[i].opt == c)
			break;
	if (i == ARRAY_SIZE(place_options))
		return usage_err(msg, "internal error: option %d", c);
	opt = place_options[i].name;
	ret = set_source(req, MEMLAYOUT_SOURCE_PLACE, opt, msg);
	if (ret)
		return ret;
	r.place_class = place_options[i].place_class;
	sep = colon && place_options[i].kind ? strchr(colon + 1, ':') : colon;
	if (!colon || colon == arg || !sep)
		return usage_err(msg, "%s '%s': expected TAG:%s%s", opt, arg,
				 place_options[i].kind ? "KIND:" : "",
				 place_options[i].pinned ? "START-END" :
				 "SIZE[/ALIGN]");
	s = colon + 1;
	if (place_options[i].kind) {
		if (parse_place_kind(s, sep, r.place_class, &r.kind))
			return usage_err(msg, "%s '%s': KIND is mmio, pci_ecam or pci_mmio%s",
					 opt, arg,
					 r.place_class == MEMLAYOUT_CLASS_POST_MMIO ?
					 " (or vtl2)" : "");
		if (r.kind == MEMLAYOUT_PLACE_VTL2 && req->place.vtl2)
			return usage_err(msg, "%s '%s': at most one request may be of kind vtl2",
					 opt, arg);
		s = sep + 1;
	}
	if (place_options[i].pinned) {
		sep = strpbrk(s, "-+");
		if (!sep)
			return usage_err(msg, "%s '%s': expected START-END or START+SIZE after the %s",
					 opt, arg,
					 place_options[i].kind ? "KIND" : "TAG");
		ret = parse_part(s, sep, &a, opt, arg, msg);
		if (!ret)
			ret = parse_part(sep + 1, end, &b, opt, arg, msg);
		if (ret)
			return ret;
		if (*sep == '+') {
			if (b > UINT64_MAX - a)
				return usage_err(msg, "%s '%s': START+SIZE does not fit in 64 bits",
						 opt, arg);
			b += a;
		}
		r.start = a;
		r.end = b;
	} else {
		sep = strchr(s, '/');
		ret = parse_part(s, sep ? sep : end, &a, opt, arg, msg);
		b = DEFAULT_ALIGN;
		if (!ret && sep)
			ret = parse_part(sep + 1, end, &b, opt, arg, msg);
		if (ret)
			return ret;
		r.size = a;
		r.align = b;
	}
	tag = strndup(arg, (size_t)(colon - arg));
	if (!tag)
		return usage_err(msg, "%s: out of memory", opt);
	ret = place_add(&req->place, &r, tag);
	if (ret)
		return add_err(ret, opt, MAX_PLACE, msg);
	if (r.kind == MEMLAYOUT_PLACE_VTL2)
		req->place.vtl2 = true;
	return 0;
}

/* Choose the view; two firmware maps at once is a usage error. */
static int set_view(struct request *req, enum view view, const char *opt,
		    char *msg)
{
	if (req->view != VIEW_LAYOUT && req->view != view)
		return usage_err(msg, "%s: only one of --e820, --srat, --fdt and --view-info may be given",
				 opt);
	req->view = view;
	return 0;
}

/* Most devices one --check-host names (the module's max_devices is 64). */
#define MAX_HOST_DEVICES	256

/* Append a device to check: a --device BDF (@vfio %NULL) or a --vfio PATH. */
static int host_add(struct request *req, const struct memlayout_host_device *d,
		    const char *vfio, char *msg)
{
	struct host_list *l = &req->hosts;
	void *p = l->d, *q = l->vfio;
	int ret = grow(&p, &l->cap, l->nr, sizeof(*l->d), MAX_HOST_DEVICES);

	l->d = p;
	if (!ret)
		ret = grow(&q, &l->vfio_cap, l->nr, sizeof(*l->vfio),
			   MAX_HOST_DEVICES);
	l->vfio = q;
	if (ret)
		return add_err(ret, vfio ? "--vfio" : "--device", MAX_HOST_DEVICES,
			       msg);
	l->d[l->nr] = *d;
	l->vfio[l->nr++] = vfio;
	return 0;
}

/*
 * Most --memslot options: KVM's own limit per address space is 509 on
 * 6.1's x86 (KVM_CAP_NR_MEMSLOTS), 32764 on 6.12's.
 */
#define MAX_MEMSLOTS		512

/*
 * slot_add() - a --memslot [AS:]RANGE[:ro]: the memslot of id "number of
 * --memslot before it" in address space AS (default 0), read-only with
 * :ro.
 */
static int slot_add(struct request *req, const char *arg, char *msg)
{
	struct slot_list *l = &req->slots;
	struct memlayout_kvm_memslot m = { 0 };
	const char *p = arg, *dash = strpbrk(arg, "-+"), *colon;
	char buf[128];
	struct memlayout_range r;
	size_t len;
	void *q = l->s;
	int ret;

	colon = strchr(p, ':');
	if (colon && dash && colon < dash) {
		uint64_t as;

		ret = parse_part(p, colon, &as, "--memslot", arg, msg);
		if (ret)
			return ret;
		if (as > 0xffff)
			return usage_err(msg, "--memslot '%s': address space above 0xffff",
					 arg);
		m.as_id = (uint32_t)as;
		p = colon + 1;
	}
	len = strlen(p);
	if (len > 3 && !strcmp(p + len - 3, ":ro")) {
		m.flags = MEMLAYOUT_KVM_MEM_READONLY;
		len -= 3;
	}
	if (len >= sizeof(buf))
		return usage_err(msg, "--memslot '%s': too long", arg);
	memcpy(buf, p, len);
	buf[len] = '\0';
	if (strchr(buf, ':'))
		return usage_err(msg, "--memslot '%s': expected [AS:]START-END[:ro] or [AS:]START+SIZE[:ro]",
				 arg);
	ret = parse_range(buf, "--memslot", &r, false, msg);
	if (ret)
		return ret;
	m.start = r.start;
	m.end = r.end;
	ret = grow(&q, &l->cap, l->nr, sizeof(*l->s), MAX_MEMSLOTS);
	l->s = q;
	if (ret)
		return add_err(ret, "--memslot", MAX_MEMSLOTS, msg);
	m.id = l->nr;
	l->s[l->nr++] = m;
	return 0;
}

/* The options a --batch line may not hold (they are the whole run's). */
static const char *command_line_only(int c)
{
	switch (c) {
	case OPT_DEVICE:
		return "--device";
	case OPT_BATCH:
		return "--batch";
	case OPT_HELP:
	case 'h':
		return "--help";
	case OPT_OFFLINE:
		return "--offline";
	case OPT_MAX_RANGES:
		return "--max-ranges";
	case OPT_OUTPUT:
		return "--output";
	case OPT_E820:
		return "--e820";
	case OPT_SRAT:
		return "--srat";
	case OPT_FDT:
		return "--fdt";
	case OPT_VIEW:
		return "--view";
	case OPT_VIEW_SIZE:
		return "--view-size";
	case OPT_VIEW_INFO:
		return "--view-info";
	case OPT_CHECK_HOST:
		return "--check-host";
	case OPT_VFIO:
		return "--vfio";
	case OPT_CHECK_KVM:
		return "--check-kvm";
	case OPT_MEMSLOT:
		return "--memslot";
	}
	return NULL;
}

/**
 * parse_option() - apply one option to a request
 * @req: the request.
 * @c: getopt_long()'s return value.
 * @arg: the option's argument, or %NULL.
 * @in_batch: parsing a --batch line (no --device, --batch, --help, ...).
 * @msg: receives a usage error message.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_option(struct request *req, int c, const char *arg,
			bool in_batch, char *msg)
{
	struct memlayout_host_device hd;
	struct memlayout_range r;
	uint32_t list;
	uint64_t v;
	int ret;

	if (in_batch && command_line_only(c))
		return usage_err(msg, "%s is not allowed in a --batch line",
				 command_line_only(c));
	switch (c) {
	case OPT_DEVICE:
		/* A PCI address names a device to check; anything else is the file. */
		if (!memlayout_pci_device(arg, &hd))
			return host_add(req, &hd, NULL, msg);
		if (req->device)
			return usage_err(msg, "--device %s: the device file is already %s (a PCI address is SSSS:BB:DD.F or BB:DD.F)",
					 arg, req->device);
		req->device = arg;
		return 0;
	case OPT_CHECK_HOST:
		req->check_host = true;
		return 0;
	case OPT_VFIO:
		memlayout_vfio_device(-1, &hd);
		return host_add(req, &hd, arg, msg);
	case OPT_CHECK_KVM:
		req->check_kvm = true;
		return 0;
	case OPT_MEMSLOT:
		return slot_add(req, arg, msg);
	case OPT_BATCH:
		req->batch = true;
		return 0;
	case OPT_HELP:
	case 'h':
		req->help = true;
		return 0;
	case OPT_OFFLINE:
		req->offline = true;
		return 0;
	case OPT_MAX_RANGES:
		ret = parse_part(arg, arg + strlen(arg), &v, "--max-ranges",
				 arg, msg);
		if (ret)
			return ret;
		if (!v || v > MAX_LIST)
			return usage_err(msg, "--max-ranges: '%s' is not in 1..%u",
					 arg, MAX_LIST);
		req->max_ranges = (uint32_t)v;
		return 0;
	case OPT_OUTPUT:
		return parse_columns(req, arg, msg);
	case OPT_E820:
		if (arg && strcmp(arg, "legacy"))
			return usage_err(msg, "--e820='%s': the only value is 'legacy'",
					 arg);
		req->e820_flags = arg ? MEMLAYOUT_E820_LEGACY : 0;
		return set_view(req, VIEW_E820, "--e820", msg);
	case OPT_SRAT:
		return set_view(req, VIEW_SRAT, "--srat", msg);
	case OPT_FDT:
		req->fdt_file = arg;
		return set_view(req, VIEW_FDT, "--fdt", msg);
	case OPT_VIEW:
		req->use_view = true;
		return 0;
	case OPT_VIEW_SIZE:
		ret = parse_part(arg, arg + strlen(arg), &v, "--view-size",
				 arg, msg);
		if (ret)
			return ret;
		if (v < sizeof(struct memlayout_view) ||
		    v > MEMLAYOUT_VIEW_MAX_SIZE)
			return usage_err(msg, "--view-size: '%s' is not in %zu..%u",
					 arg, sizeof(struct memlayout_view),
					 MEMLAYOUT_VIEW_MAX_SIZE);
		req->view_size = v;
		return 0;
	case OPT_VIEW_INFO:
		return set_view(req, VIEW_HEADER, "--view-info", msg);
	case OPT_JSON:
		req->json = true;
		return 0;
	case OPT_DRY_RUN:
		req->dry_run = true;
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
	case OPT_RESERVE:
	case OPT_FIXED:
	case OPT_MMIO32:
	case OPT_RAM_REQUEST:
	case OPT_MMIO64:
	case OPT_POST_MMIO:
		return parse_place(req, c, arg, msg);
	case OPT_PROBE:
		ret = parse_part(arg, arg + strlen(arg), &v, "--probe", arg, msg);
		if (ret)
			return ret;
		ret = u64_list_add(&req->probes, v, MAX_PROBES);
		return ret ? add_err(ret, "--probe", MAX_PROBES, msg) : 0;
	}
	return usage_err(msg, "internal error: option %d", c);
}

/* Any layout option given (the lists, VTL2, probes)? */
static bool has_layout_options(const struct request *req)
{
	return req->source || req->probes.nr || req->has_vtl2 ||
	       req->lists[MEMLAYOUT_LIST_MMIO].nr ||
	       req->lists[MEMLAYOUT_LIST_PCI_ECAM].nr ||
	       req->lists[MEMLAYOUT_LIST_PCI_MMIO].nr;
}

/* The combinations of options that make no sense together. */
static int check_combinations(struct request *req, char *msg)
{
	bool uses_device = false;
	unsigned int i;

	if (req->hosts.nr && !req->check_host)
		return usage_err(msg, "--device BDF and --vfio name devices for --check-host");
	if (req->check_host && (req->diff || req->batch || req->dry_run ||
				req->probes.nr || req->nr_columns ||
				req->view != VIEW_LAYOUT || req->use_view))
		return usage_err(msg, "--check-host prints the host fit of the layout: not with diff, --batch, --dry-run, --probe, --output, a firmware map, --view or --view-info");
	if (req->slots.nr && !req->check_kvm)
		return usage_err(msg, "--memslot describes the memslots of --check-kvm");
	if (req->check_kvm && req->check_host)
		return usage_err(msg, "--check-host and --check-kvm are two runs");
	if (req->check_kvm && (req->diff || req->batch || req->dry_run ||
			       req->probes.nr || req->nr_columns ||
			       req->view != VIEW_LAYOUT || req->use_view))
		return usage_err(msg, "--check-kvm prints the KVM audit of the layout: not with diff, --batch, --dry-run, --probe, --output, a firmware map, --view or --view-info");
	if (req->max_ranges && !req->offline)
		return usage_err(msg, "--max-ranges needs --offline");
	if (req->offline && req->device)
		return usage_err(msg, "--offline and --device exclude each other");
	if (req->view_size && !req->use_view && req->view != VIEW_HEADER)
		return usage_err(msg, "--view-size needs --view or --view-info");
	if (req->use_view && !req->batch && !req->diff && !req->probes.nr)
		return usage_err(msg, "--view answers the --probe addresses through the shared view: give --probe");
	if (req->view == VIEW_HEADER && req->probes.nr)
		return usage_err(msg, "--view-info prints the view's header: --probe is not allowed (use --view)");
	if (req->nr_columns && (req->json || req->batch || req->diff ||
				req->view != VIEW_LAYOUT))
		return usage_err(msg, "--output selects the columns of the map view (not with --json, --batch, diff or a firmware map)");
	if (req->dry_run) {
		/* Nothing is published: nothing to read back, probe or render. */
		if (req->diff)
			return usage_err(msg, "diff takes no --dry-run");
		if (req->batch)
			return usage_err(msg, "--dry-run goes on each --batch line, not on the command line");
		if (req->probes.nr)
			return usage_err(msg, "--dry-run publishes no layout: --probe is not allowed");
		if (req->view != VIEW_LAYOUT || req->use_view)
			return usage_err(msg, "--dry-run publishes no layout: --e820, --srat, --fdt, --view and --view-info are not allowed");
		if (req->nr_columns)
			return usage_err(msg, "--dry-run prints no map: --output is not allowed");
	}
	if (req->diff) {
		if (req->nr_args != 2)
			return usage_err(msg, "diff takes two layouts: A B (a JSON file, - for stdin, or 'device')");
		for (i = 0; i < 2; i++)
			uses_device |= !strcmp(req->args[i], "device");
		if (req->batch || req->view != VIEW_LAYOUT || req->use_view)
			return usage_err(msg, "diff takes no --batch, --e820, --srat, --fdt, --view or --view-info");
		if (uses_device && !req->source)
			return usage_err(msg, "diff ... device: give the layout options (--ram-size, --node-size, --ram or the placement options)");
		if (!uses_device && has_layout_options(req))
			return usage_err(msg, "diff: layout options are for the 'device' side only");
		return 0;
	}
	if (req->batch) {
		if (has_layout_options(req) || req->view != VIEW_LAYOUT)
			return usage_err(msg, "--batch takes the layout options from stdin");
		return 0;
	}
	/* C4 places every range: no hand-written hole or VTL2 range. */
	if (req->source == MEMLAYOUT_SOURCE_PLACE &&
	    (req->lists[MEMLAYOUT_LIST_MMIO].nr ||
	     req->lists[MEMLAYOUT_LIST_PCI_ECAM].nr ||
	     req->lists[MEMLAYOUT_LIST_PCI_MMIO].nr || req->has_vtl2))
		return usage_err(msg, "the placement options exclude --mmio, --pci-ecam, --pci-mmio and --vtl2 (place them with --fixed, --mmio32, --mmio64 or --post-mmio)");
	if (req->source)
		return 0;
	/* A --batch line of probes alone asks the layout already there. */
	if (req->in_batch && req->probes.nr && !req->has_vtl2 &&
	    !req->lists[MEMLAYOUT_LIST_MMIO].nr &&
	    !req->lists[MEMLAYOUT_LIST_PCI_ECAM].nr &&
	    !req->lists[MEMLAYOUT_LIST_PCI_MMIO].nr && !req->dry_run) {
		req->probe_only = true;
		return 0;
	}
	return usage_err(msg, "no RAM given: use --ram-size, --node-size or --ram");
}

/**
 * parse_args() - parse a command line or a --batch line
 * @argc: number of arguments, @argv[0] included.
 * @argv: the arguments (getopt_long() may not reorder them: "+").
 * @req: receives the request (zeroed first).
 * @in_batch: parsing a --batch line.
 * @msg: receives a usage error message.
 *
 * A command line whose first argument is "diff" is the diff command; its
 * two positional arguments may come anywhere among the options.
 *
 * Return: 0 or -EINVAL.
 */
static int parse_args(int argc, char **argv, struct request *req,
		      bool in_batch, char *msg)
{
	int c, ret;

	memset(req, 0, sizeof(*req));
	optind = 0;	/* full re-initialisation (glibc and musl) */
	opterr = 0;
	if (!in_batch && argc > 1 && !strcmp(argv[1], "diff")) {
		req->diff = true;
		argc--;
		argv++;
	}
	for (;;) {
		const char *opt;

		c = getopt_long(argc, argv, "+:h", long_options, NULL);
		if (c == -1) {
			if (optind >= argc)
				break;
			if (!req->diff || req->nr_args == 2)
				return usage_err(msg, "unexpected argument '%s'",
						 argv[optind]);
			req->args[req->nr_args++] = argv[optind++];
			continue;
		}
		opt = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
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
	req->in_batch = in_batch;
	if (req->help)
		return 0;
	return check_combinations(req, msg);
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
 * explain_place() - a C4 rejection, by request
 * @f: the failure (errno set); receives the reason, the requests named and
 *     memlayout_place_strerror()'s message.
 * @req: the request (the tags, by position on the command line).
 * @s: the reply memlayout_set_placement() wrote.
 *
 * A reason on the placement list names the request by its position
 * (reason.index) and by class and index (place_reason); R8 names the
 * class and the limit, i.e. the first request of the class that does
 * not fit. R5 and R8 on the RAM extents name no request.
 */
static void explain_place(struct failure *f, const struct request *req,
			  const struct memlayout_set *s)
{
	const struct memlayout_place_reason *p = &s->place_reason;
	const struct place_list *l = &req->place;
	uint32_t pos;

	f->reason = s->reason;
	f->place = true;
	f->place_reason = *p;
	memlayout_place_strerror(s, -f->err, (const char *const *)l->tags,
				 f->msg, sizeof(f->msg));
	if (s->reason.list != MEMLAYOUT_LIST_PLACE || !p->place_class) {
		/* Not about one request: R5, R8 on RAM extents, -ENOMEM. */
		f->place_class = s->reason.list == MEMLAYOUT_LIST_RAM ?
			   MEMLAYOUT_CLASS_RAM : 0;
		return;
	}
	f->place_class = p->place_class;
	f->index = p->index;
	pos = s->reason.rule == MEMLAYOUT_RULE_TOO_MANY ?
	      place_position(l, p->place_class, p->index) : s->reason.index;
	if (pos < l->nr)
		f->tag = l->tags[pos];
	if (s->reason.rule == MEMLAYOUT_RULE_PINNED_OVERLAP &&
	    s->reason.other_index < l->nr)
		f->other_tag = l->tags[s->reason.other_index];
}

/* ---- the layout --------------------------------------------------------- */

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/**
 * open_handle() - the device, or the offline engine with --offline
 * @req: the command line's request.
 * @f: receives the failure.
 *
 * Return: the handle, or %NULL with @f set.
 */
static struct memlayout_handle *open_handle(const struct request *req,
					    struct failure *f)
{
	const char *device = req->device ? req->device : DEFAULT_DEVICE;
	struct memlayout_handle *h;
	char what[MSG_LEN / 2];

	if (req->offline) {
		h = memlayout_offline(req->max_ranges);
		if (!h)
			fail_sys(f, errno, "offline engine");
		return h;
	}
	h = memlayout_open(device);
	if (!h) {
		snprintf(what, sizeof(what), "cannot open %s", device);
		fail_sys(f, errno, what);
	}
	return h;
}

/* Attempts at reading every probe of a request from one generation. */
#define VIEW_TRIES		100

/**
 * view_index() - a range's index in the list of its kind
 * @snap: the layout (every range, in address order).
 * @hit: a range of @snap.
 *
 * The view's records carry no index (MEMLAYOUT_IOC_PROBE's ranges do):
 * it is the number of ranges of @hit's kind below it in the layout.
 *
 * Return: the index, or %MEMLAYOUT_PROBE_NO_RANGE when @snap has no such
 * range.
 */
static uint32_t view_index(const struct memlayout_snapshot *snap,
			   const struct memlayout_map_entry *hit)
{
	uint32_t i, n = 0;

	for (i = 0; i < snap->nr; i++) {
		const struct memlayout_map_entry *e = &snap->entries[i];

		if (e->start == hit->start && e->end == hit->end &&
		    e->kind == hit->kind)
			return e->vnode == hit->vnode ? n : MEMLAYOUT_PROBE_NO_RANGE;
		n += e->kind == hit->kind;
	}
	return MEMLAYOUT_PROBE_NO_RANGE;
}

/**
 * run_view_probes() - the probes of --view, through the shared view
 * @h: the device or the offline engine.
 * @req: the request (its probe addresses, the mapped view).
 * @res: receives the kinds, ranges and the generation that answered; its
 *       snapshot is the layout just set, or empty (a probe-only line).
 * @f: receives the failure.
 *
 * memlayout_view_probe() answers each address with no system call (SPEC
 * V1); all must report one generation, else they are read again. The
 * index of each covering range comes from the layout of that generation
 * (memlayout_get_layout() for a probe-only line).
 *
 * Return: 0, 1 when the layout is too large for the view (use the
 * ioctl, SPEC V3), or -1.
 */
static int run_view_probes(struct memlayout_handle *h,
			   const struct request *req, struct result *res,
			   struct failure *f)
{
	struct memlayout_snapshot own = { 0 };
	const struct memlayout_snapshot *snap = &res->snap;
	struct memlayout_map_entry hit;
	uint64_t gen, first = 0;
	uint32_t i, tries;
	int ret = 0;

	for (tries = 0; tries < VIEW_TRIES; tries++) {
		for (i = 0; i < req->probes.nr; i++) {
			ret = memlayout_view_probe(req->vm, req->probes.v[i],
						   &res->kinds[i], &hit, &gen);
			if (ret)
				break;
			if (!i)
				first = gen;
			if (gen != first)
				break;
			res->ranges[i] = (struct memlayout_probe_range){
				.start = hit.start, .end = hit.end,
				.vnode = hit.vnode,
				.index = MEMLAYOUT_PROBE_NO_RANGE };
			if (res->kinds[i] == MEMLAYOUT_KIND_NONE)
				continue;
			if (snap->generation != gen) {
				memlayout_snapshot_free(&own);
				ret = memlayout_get_layout(h, &own);
				if (ret) {
					fail_sys(f, -ret, "MEMLAYOUT_IOC_GET_LAYOUT");
					return -1;
				}
				snap = &own;
				if (own.generation != gen)
					break;
			}
			res->ranges[i].index = view_index(snap, &hit);
		}
		if (ret || i == req->probes.nr)
			break;
	}
	memlayout_snapshot_free(&own);
	if (ret == -E2BIG)
		return 1;
	if (ret == -ENOENT) {
		fail_sys(f, ENOENT, "memlayout_view_probe");
		snprintf(f->msg, sizeof(f->msg),
			 "no layout to probe: no earlier line published one");
		return -1;
	}
	if (ret)
		return fail_sys(f, -ret, "memlayout_view_probe");
	if (tries == VIEW_TRIES)
		return fail_sys(f, EAGAIN, "the view's layout kept changing; memlayout_view_probe");
	res->generation = first;
	return 0;
}

/**
 * open_view() - map the handle's shared view for --view and --view-info
 * @h: the device or the offline engine.
 * @req: the command line's request (--view-size).
 * @vm: receives the view, or %NULL when neither option was given.
 * @f: receives the failure.
 *
 * Return: 0 or -1.
 */
static int open_view(struct memlayout_handle *h, const struct request *req,
		     struct memlayout_view_map **vm, struct failure *f)
{
	int ret;

	*vm = NULL;
	if (!req->use_view && req->view != VIEW_HEADER)
		return 0;
	ret = memlayout_view_open(h, (size_t)req->view_size, vm);
	if (ret)
		return fail_sys(f, -ret, "cannot map the shared view");
	return 0;
}

/**
 * run_probes() - the kinds and covering ranges of the probe addresses
 * @h: the device or the offline engine.
 * @req: the request (its probe addresses).
 * @res: receives the kinds, ranges and the generation that answered.
 * @f: receives the failure.
 *
 * One memlayout_probe_ranges() answers them all, from one layout; with
 * --view, the shared view answers them (run_view_probes()), and the ioctl
 * only when the layout is too large for the view (@res->via_ioctl).
 *
 * Return: 0 or -1.
 */
static int run_probes(struct memlayout_handle *h, const struct request *req,
		      struct result *res, struct failure *f)
{
	int ret;

	if (!req->probes.nr)
		return 0;
	res->kinds = calloc(req->probes.nr, sizeof(*res->kinds));
	res->ranges = calloc(req->probes.nr, sizeof(*res->ranges));
	if (!res->kinds || !res->ranges)
		return fail_sys(f, ENOMEM, "probe buffer");
	if (req->vm) {
		ret = run_view_probes(h, req, res, f);
		if (ret <= 0)
			return ret;
		res->via_ioctl = true;
	}
	ret = memlayout_probe_ranges(h, req->probes.v, res->kinds, res->ranges,
				     req->probes.nr, &res->generation);
	if (ret == -ENOENT) {
		fail_sys(f, ENOENT, "MEMLAYOUT_IOC_PROBE");
		snprintf(f->msg, sizeof(f->msg),
			 "no layout to probe: no earlier line published one");
		return -1;
	}
	if (ret)
		return fail_sys(f, -ret, "MEMLAYOUT_IOC_PROBE");
	return 0;
}

/**
 * read_placements() - the placed ranges of a C4 layout, with their tags
 * @h: the device or the offline engine.
 * @req: the request (the tags).
 * @res: receives the placed ranges and a tag for each.
 * @f: receives the failure.
 *
 * The tags are found in O(n): the requests' positions grouped by class,
 * in command-line order, so the i-th request of a class is one lookup.
 *
 * Return: 0 or -1.
 */
static int read_placements(struct memlayout_handle *h,
			   const struct request *req, struct result *res,
			   struct failure *f)
{
	const struct place_list *l = &req->place;
	uint32_t first[NR_CLASSES + 2] = { 0 };
	uint32_t *order, i, c, pos;
	int ret;

	ret = memlayout_get_placements(h, &res->placed, &res->nr_placed, NULL);
	if (ret)
		return fail_sys(f, -ret, "MEMLAYOUT_IOC_GET_PLACEMENTS");
	order = calloc(l->nr ? l->nr : 1, sizeof(*order));
	res->placed_tags = calloc(res->nr_placed ? res->nr_placed : 1,
				  sizeof(*res->placed_tags));
	if (!order || !res->placed_tags) {
		free(order);
		return fail_sys(f, ENOMEM, "placement tags");
	}
	for (i = 0; i < l->nr; i++)
		if (l->r[i].place_class <= NR_CLASSES)
			first[l->r[i].place_class + 1]++;
	for (c = 1; c <= NR_CLASSES + 1; c++)
		first[c] += first[c - 1];
	for (i = 0; i < l->nr; i++)
		if (l->r[i].place_class <= NR_CLASSES)
			order[first[l->r[i].place_class]++] = i;
	/* first[c] now ends class c: class c starts at first[c - 1]. */
	for (i = 0; i < res->nr_placed; i++) {
		const struct memlayout_placed *p = &res->placed[i];

		c = p->place_class;
		if (c < 1 || c > NR_CLASSES ||
		    p->index >= first[c] - first[c - 1])
			continue;
		pos = order[first[c - 1] + p->index];
		res->placed_tags[i] = l->tags[pos];
	}
	free(order);
	return 0;
}

/**
 * read_back() - after an accepted SET_LAYOUT: its fingerprint for a dry
 * run, else the layout (and a C4 layout's placed ranges), then the probes
 * @h: the device or the offline engine.
 * @req: the request.
 * @res: receives the layout.
 * @f: receives the failure.
 * @s: the SET_LAYOUT reply.
 * @placed: the layout was placed (C4): read its placed ranges too.
 *
 * Return: 0 or -1.
 */
static int read_back(struct memlayout_handle *h, const struct request *req,
		     struct result *res, struct failure *f,
		     const struct memlayout_set *s, bool placed)
{
	int ret;

	if (req->dry_run) {
		memcpy(res->fingerprint, s->fingerprint, sizeof(res->fingerprint));
		return 0;
	}
	ret = memlayout_get_layout(h, &res->snap);
	if (ret)
		return fail_sys(f, -ret, "MEMLAYOUT_IOC_GET_LAYOUT");
	if (placed && read_placements(h, req, res, f))
		return -1;
	return run_probes(h, req, res, f);
}

/**
 * run_place() - set a C4 layout from the placement requests and read it
 * back, with its placed ranges
 * @h: the device or the offline engine.
 * @req: the request.
 * @res: receives the layout, the placed ranges and their tags.
 * @f: receives the failure; a rejection is explained by request.
 *
 * Return: 0 or -1.
 */
static int run_place(struct memlayout_handle *h, const struct request *req,
		     struct result *res, struct failure *f)
{
	struct memlayout_set s;
	int ret;

	ret = memlayout_set_placement(h, req->place.r, req->place.nr,
				      req->dry_run ? MEMLAYOUT_SET_DRY_RUN : 0,
				      &s);
	if (ret) {
		memset(f, 0, sizeof(*f));
		f->err = -ret;
		explain_place(f, req, &s);
		return -1;
	}
	return read_back(h, req, res, f, &s, true);
}

/**
 * run_layout() - set a layout and read it back
 * @h: the device or the offline engine.
 * @req: the request.
 * @res: receives the layout (free with result_free()).
 * @f: receives the failure.
 *
 * One memlayout_get_layout() reads every range, the figures, the
 * generation and the fingerprint of one layout; the probes, with their
 * covering ranges, are one memlayout_probe_ranges(). With --dry-run the
 * layout is only checked (MEMLAYOUT_SET_DRY_RUN): @res gets the
 * fingerprint of the reply and nothing is read back.
 *
 * Return: 0 or -1.
 */
static int run_layout(struct memlayout_handle *h, const struct request *req,
		      struct result *res, struct failure *f)
{
	struct memlayout_set s;
	int ret;

	memset(res, 0, sizeof(*res));
	if (req->probe_only)
		return run_probes(h, req, res, f);
	if (req->source == MEMLAYOUT_SOURCE_PLACE)
		return run_place(h, req, res, f);
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
	if (req->dry_run)
		s.flags |= MEMLAYOUT_SET_DRY_RUN;

	ret = memlayout_set(h, &s);
	if (ret) {
		memset(f, 0, sizeof(*f));
		f->err = -ret;
		f->reason = s.reason;
		explain(f, req);
		return -1;
	}
	return read_back(h, req, res, f, &s, false);
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

/* The opening brace of an output object, with "line" in --batch mode. */
static void json_open(FILE *out, unsigned long line)
{
	fputc('{', out);
	if (line)
		fprintf(out, "\"line\":%lu,", line);
}

/* Print an error object. @rule is %NULL for JSON null. */
static void json_error(FILE *out, unsigned long line, int err,
		       const char *rule, uint32_t list, uint32_t index,
		       const char *msg)
{
	char ebuf[16];

	json_open(out, line);
	fputs("\"error\":{\"errno\":", out);
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

/* Does a C4 rejection name one request (a class and an index in it)? */
static bool names_request(const struct failure *f)
{
	return f->place && f->place_class && f->reason.list == MEMLAYOUT_LIST_PLACE;
}

/* ,"KEY":"string" or ,"KEY":null. */
static void json_opt_string(FILE *out, const char *key, const char *s)
{
	fprintf(out, ",\"%s\":", key);
	if (s)
		json_string(out, s);
	else
		fputs("null", out);
}

/**
 * json_place_error() - a C4 rejection as an error object
 * @out: the stream.
 * @line: the --batch input line, or 0.
 * @f: the failure (explain_place()).
 *
 * {"error":{"errno","rule","tag","class","index", for P3 "other_tag",
 * "other_class","other_index", for P4 "size","alignment","phase","free",
 * "message"}}; tag, class and index are null when the rejection is not
 * about one request (class "ram" for R5 and R8 on the RAM extents).
 */
static void json_place_error(FILE *out, unsigned long line,
			     const struct failure *f)
{
	const struct memlayout_place_reason *p = &f->place_reason;
	char ebuf[16], rbuf[16];
	bool request = names_request(f);

	json_open(out, line);
	fputs("\"error\":{\"errno\":", out);
	json_string(out, errno_name(f->err, ebuf, sizeof(ebuf)));
	json_opt_string(out, "rule", rule_name(f->reason.rule, rbuf,
					       sizeof(rbuf)));
	json_opt_string(out, "tag", f->tag);
	json_opt_string(out, "class", f->place_class ? class_name(f->place_class) : NULL);
	if (request)
		fprintf(out, ",\"index\":%" PRIu32, f->index);
	else
		fputs(",\"index\":null", out);
	if (f->reason.rule == MEMLAYOUT_RULE_PINNED_OVERLAP) {
		json_opt_string(out, "other_tag", f->other_tag);
		json_opt_string(out, "other_class", class_name(p->other_class));
		fprintf(out, ",\"other_index\":%" PRIu32, p->other_index);
	}
	if (f->reason.rule == MEMLAYOUT_RULE_EXHAUSTED) {
		fputc(',', out);
		json_hex(out, "size", p->size);
		fputc(',', out);
		json_hex(out, "alignment", p->align);
		json_opt_string(out, "phase", class_name(p->phase));
		fputc(',', out);
		json_hex(out, "free", p->free);
	}
	fputs(",\"message\":", out);
	json_string(out, f->msg);
	fputs("}}\n", out);
}

/* A usage error of a --batch line: {"line":N,"usage":"message"}. */
static void json_usage(FILE *out, unsigned long line, const char *msg)
{
	json_open(out, line);
	fputs("\"usage\":", out);
	json_string(out, msg);
	fputs("}\n", out);
}

static void print_failure(const struct failure *f, bool json,
			  unsigned long line)
{
	char rbuf[16], ebuf[16];
	const char *rule = rule_name(f->reason.rule, rbuf, sizeof(rbuf));

	if (json && f->place) {
		json_place_error(stdout, line, f);
		return;
	}
	if (json) {
		json_error(stdout, line, f->err, rule, f->reason.list,
			   f->reason.index, f->msg);
		return;
	}
	if (f->place && rule && names_request(f))
		fprintf(stderr,
			PROG ": placement rejected: %s (errno %s, rule %s, class %s, index %" PRIu32 ")\n",
			f->msg, errno_name(f->err, ebuf, sizeof(ebuf)), rule,
			class_name(f->place_class), f->index);
	else if (f->place && rule)
		fprintf(stderr, PROG ": placement rejected: %s (errno %s, rule %s)\n",
			f->msg, errno_name(f->err, ebuf, sizeof(ebuf)), rule);
	else if (rule)
		fprintf(stderr,
			PROG ": layout rejected: %s (errno %s, rule %s, list %s, index %" PRIu32 ")\n",
			f->msg, errno_name(f->err, ebuf, sizeof(ebuf)), rule,
			list_name(f->reason.list), f->reason.index);
	else
		fprintf(stderr, PROG ": %s\n", f->msg);
}

/* The snapshot's VTL2 range, or NULL. */
static const struct memlayout_stats *snap_vtl2(const struct memlayout_snapshot *snap)
{
	return snap->stats.present & MEMLAYOUT_STATS_VTL2 ? &snap->stats : NULL;
}

/* The figures of a layout, as JSON keys, in output order. */
static void json_figures(FILE *out, const struct memlayout_stats *st)
{
	json_hex(out, "ram_size", st->ram_size);
	fputc(',', out);
	json_hex(out, "end_of_ram", st->end_of_ram);
	fputc(',', out);
	json_hex(out, "ram_below_4gb", st->ram_below_4gb);
	fputc(',', out);
	json_hex(out, "ram_above_4gb", st->ram_above_4gb);
	fputc(',', out);
	if (st->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO)
		json_hex(out, "ram_above_high_mmio", st->ram_above_high_mmio);
	else
		fputs("\"ram_above_high_mmio\":null", out);
	fputc(',', out);
	if (st->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB)
		json_hex(out, "max_ram_below_4gb", st->max_ram_below_4gb);
	else
		fputs("\"max_ram_below_4gb\":null", out);
	fputc(',', out);
	json_hex(out, "end_of_layout", st->end_of_layout);
}

/*
 * json_probes() - ,"probes":[...]} closing a layout's or a probe-only
 * line's JSON: each address, its kind and its covering "range" (null when
 * none covers it; "node" for RAM only, as in the lists).
 */
static void json_probes(const struct request *req, const struct result *res)
{
	uint32_t i;

	if (req->vm)
		printf(",\"probes_via\":\"%s\"", res->via_ioctl ? "ioctl" : "view");
	fputs(",\"probes\":[", stdout);
	for (i = 0; i < req->probes.nr; i++) {
		const struct memlayout_probe_range *r = &res->ranges[i];

		fputs(i ? ",{" : "{", stdout);
		json_hex(stdout, "addr", req->probes.v[i]);
		fprintf(stdout, ",\"kind\":\"%s\",\"range\":",
			kind_name(res->kinds[i]));
		if (r->index == MEMLAYOUT_PROBE_NO_RANGE) {
			fputs("null}", stdout);
			continue;
		}
		fputc('{', stdout);
		json_hex(stdout, "start", r->start);
		fputc(',', stdout);
		json_hex(stdout, "end", r->end);
		if (res->kinds[i] == MEMLAYOUT_KIND_RAM)
			fprintf(stdout, ",\"node\":%" PRIu32, r->vnode);
		fprintf(stdout, ",\"index\":%" PRIu32 "}}", r->index);
	}
	fputs("]}\n", stdout);
}

/*
 * json_placements() - ,"placements":[...] of a placed layout (C4): every
 * placed range in address order, reserved ones included, as
 * {"tag","class","kind","start","end"} with "node" for RAM.
 */
static void json_placements(const struct result *res)
{
	uint32_t i;

	fputs(",\"placements\":[", stdout);
	for (i = 0; i < res->nr_placed; i++) {
		const struct memlayout_placed *p = &res->placed[i];

		fputs(i ? ",{\"tag\":" : "{\"tag\":", stdout);
		if (res->placed_tags[i])
			json_string(stdout, res->placed_tags[i]);
		else
			fputs("null", stdout);
		fprintf(stdout, ",\"class\":\"%s\",\"kind\":\"%s\",",
			class_name(p->place_class), placed_kind_name(p->kind));
		json_hex(stdout, "start", p->start);
		fputc(',', stdout);
		json_hex(stdout, "end", p->end);
		if (p->place_class == MEMLAYOUT_CLASS_RAM)
			fprintf(stdout, ",\"node\":%" PRIu32, p->vnode);
		fputc('}', stdout);
	}
	fputc(']', stdout);
}

/**
 * print_json() - the layout as one line of JSON
 * @req: the request (its probe addresses).
 * @res: the layout and the probes' kinds.
 * @line: the --batch input line, or 0.
 *
 * The lists by kind in address order ("node" an integer), "vtl2", the
 * figures, for a placed layout (C4) "placements", then "generation",
 * "fingerprint" and "probes" (each with its kind and covering "range",
 * null when none covers it).
 */
static void print_json(const struct request *req, const struct result *res,
		       unsigned long line)
{
	const struct memlayout_snapshot *snap = &res->snap;
	const struct memlayout_stats *vtl2 = snap_vtl2(snap);
	char hex[MEMLAYOUT_FINGERPRINT_HEX_LEN];
	uint32_t kind, i, n;

	json_open(stdout, line);
	for (kind = MEMLAYOUT_KIND_RAM; kind <= MEMLAYOUT_KIND_PCI_MMIO; kind++) {
		fprintf(stdout, "\"%s\":[", kind_name(kind));
		for (i = 0, n = 0; i < snap->nr; i++) {
			const struct memlayout_map_entry *e = &snap->entries[i];

			if (e->kind != kind)
				continue;
			fputs(n++ ? ",{" : "{", stdout);
			json_hex(stdout, "start", e->start);
			fputc(',', stdout);
			json_hex(stdout, "end", e->end);
			if (kind == MEMLAYOUT_KIND_RAM)
				fprintf(stdout, ",\"node\":%" PRIu32, e->vnode);
			fputc('}', stdout);
		}
		fputs("],", stdout);
	}
	fputs("\"vtl2\":", stdout);
	if (vtl2) {
		fputc('{', stdout);
		json_hex(stdout, "start", vtl2->vtl2_start);
		fputc(',', stdout);
		json_hex(stdout, "end", vtl2->vtl2_end);
		fputc('}', stdout);
	} else {
		fputs("null", stdout);
	}
	fputc(',', stdout);
	json_figures(stdout, &snap->stats);
	if (req->source == MEMLAYOUT_SOURCE_PLACE)
		json_placements(res);
	fprintf(stdout, ",\"generation\":%" PRIu64 ",\"fingerprint\":\"%s\"",
		(uint64_t)snap->generation,
		memlayout_fingerprint_hex(snap->fingerprint, hex));
	json_probes(req, res);
}

/*
 * print_dry_run() - the verdict of --dry-run: the layout is valid, and its
 * fingerprint (SET_LAYOUT's reply); nothing was published, so there is no
 * generation, map or figures to print.
 */
static void print_dry_run(const struct result *res, bool json,
			  unsigned long line)
{
	char hex[MEMLAYOUT_FINGERPRINT_HEX_LEN];

	memlayout_fingerprint_hex(res->fingerprint, hex);
	if (!json) {
		printf("valid (dry run): fingerprint %s\n", hex);
		return;
	}
	json_open(stdout, line);
	printf("\"valid\":true,\"dry_run\":true,\"fingerprint\":\"%s\"}\n", hex);
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
 * struct map_row - one row of the map view
 * @start: first byte.
 * @end: one past the last byte.
 * @name: the kind's name ("vtl2" for VTL2).
 * @vnode: node of a RAM range.
 * @ram: a RAM range (has a node).
 * @index: index in the list of its kind.
 * @tag: the tag of the placement request it comes from, or %NULL.
 */
struct map_row {
	uint64_t start;
	uint64_t end;
	const char *name;
	uint32_t vnode;
	bool ram;
	uint32_t index;
	const char *tag;
};

/* Print one cell of @row (or the header when @row is NULL), padded. */
static void print_cell(enum column col, const struct map_row *row, bool last)
{
	char buf[64];
	const char *s = buf;

	if (!row) {
		s = columns[col].name;
	} else {
		switch (col) {
		case COL_RANGE:
			snprintf(buf, sizeof(buf), "0x%016" PRIx64 "-0x%016" PRIx64,
				 row->start, row->end - 1);
			break;
		case COL_START:
			snprintf(buf, sizeof(buf), "0x%016" PRIx64, row->start);
			break;
		case COL_END:
			snprintf(buf, sizeof(buf), "0x%016" PRIx64, row->end - 1);
			break;
		case COL_SIZE:
			human_size(buf, sizeof(buf), row->end - row->start);
			break;
		case COL_KIND:
			s = row->name;
			break;
		case COL_NODE:
			if (row->ram)
				snprintf(buf, sizeof(buf), "%" PRIu32, row->vnode);
			else
				s = "-";
			break;
		case COL_TAG:
			s = row->tag ? row->tag : "-";
			break;
		case COL_INDEX:
		default:
			snprintf(buf, sizeof(buf), "%" PRIu32, row->index);
			break;
		}
	}
	if (columns[col].right)
		printf("%*s", columns[col].width, s);
	else if (last)
		fputs(s, stdout);
	else
		printf("%-*s", columns[col].width, s);
}

/*
 * One row of the map, or the header row when @row is NULL. The default
 * columns end with TAG for a placed layout (C4) only.
 */
static void print_row(const struct request *req, const struct map_row *row)
{
	const enum column *cols = req->nr_columns ? req->columns : default_columns;
	unsigned int n = req->nr_columns ? req->nr_columns :
			 req->source == MEMLAYOUT_SOURCE_PLACE ?
			 ARRAY_SIZE(default_columns) : NR_DEFAULT_COLUMNS;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i)
			putchar(' ');
		print_cell(cols[i], row, i + 1 == n);
	}
	putchar('\n');
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

/*
 * placed_tag() - the tag of the placed range that starts at @start (RAM
 * extents, holes and VTL2 each start where a placed range does), by
 * binary search over the placed ranges in address order; %NULL when
 * there is none (a layout not placed).
 */
static const char *placed_tag(const struct result *res, uint64_t start)
{
	uint32_t lo = 0, hi = res->nr_placed;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (res->placed[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < res->nr_placed && res->placed[lo].start == start &&
	    res->placed[lo].place_class != MEMLAYOUT_CLASS_RESERVED)
		return res->placed_tags[lo];
	return NULL;
}

/**
 * print_human() - the map view: a header row, one row per range (VTL2
 * included) in address order, then the figures and the probes
 * @req: the request (columns, probes).
 * @res: the layout.
 */
static void print_human(const struct request *req, const struct result *res)
{
	const struct memlayout_snapshot *snap = &res->snap;
	const struct memlayout_stats *st = &snap->stats;
	const struct memlayout_stats *vtl2 = snap_vtl2(snap);
	uint32_t index[MEMLAYOUT_KIND_PCI_MMIO + 1] = { 0 };
	char hex[MEMLAYOUT_FINGERPRINT_HEX_LEN];
	bool vtl2_done = !vtl2;
	struct map_row row;
	uint32_t i, j;

	print_row(req, NULL);
	for (i = 0; i <= snap->nr; i++) {
		const struct memlayout_map_entry *e = i < snap->nr ?
						      &snap->entries[i] : NULL;

		if (!vtl2_done && (!e || vtl2->vtl2_start < e->start)) {
			row = (struct map_row){ .start = vtl2->vtl2_start,
						.end = vtl2->vtl2_end,
						.name = "vtl2",
						.tag = placed_tag(res, vtl2->vtl2_start) };
			print_row(req, &row);
			vtl2_done = true;
		}
		if (!e)
			break;
		row = (struct map_row){ .start = e->start, .end = e->end,
					.name = kind_name(e->kind),
					.vnode = e->vnode,
					.ram = e->kind == MEMLAYOUT_KIND_RAM,
					.tag = placed_tag(res, e->start) };
		if (e->kind < ARRAY_SIZE(index))
			row.index = index[e->kind]++;
		print_row(req, &row);
	}

	stat_line("ram_size", st->ram_size, true);
	stat_line("end_of_ram", st->end_of_ram, true);
	stat_line("ram_below_4gb", st->ram_below_4gb, true);
	stat_line("ram_above_4gb", st->ram_above_4gb, true);
	stat_line("ram_above_high_mmio", st->ram_above_high_mmio,
		  st->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO);
	stat_line("max_ram_below_4gb", st->max_ram_below_4gb,
		  st->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB);
	stat_line("end_of_layout", st->end_of_layout, true);
	printf("%-20s %" PRIu64 "\n", "generation", (uint64_t)snap->generation);
	printf("%-20s %s\n", "fingerprint",
	       memlayout_fingerprint_hex(snap->fingerprint, hex));
	if (req->vm && res->via_ioctl)
		printf("%-20s ioctl (the layout is too large for the %" PRIu64 "-byte view)\n",
		       "probes via",
		       (uint64_t)memlayout_view_header(req->vm)->size);
	else if (req->vm)
		printf("%-20s view\n", "probes via");
	for (j = 0; j < req->probes.nr; j++) {
		const struct memlayout_probe_range *r = &res->ranges[j];

		printf("probe 0x%" PRIx64 ": %s", req->probes.v[j],
		       kind_name(res->kinds[j]));
		if (r->index != MEMLAYOUT_PROBE_NO_RANGE) {
			printf(" [0x%" PRIx64 ", 0x%" PRIx64 ")",
			       (uint64_t)r->start, (uint64_t)r->end);
			if (res->kinds[j] == MEMLAYOUT_KIND_RAM)
				printf(" node %" PRIu32, r->vnode);
			printf(" index %" PRIu32, r->index);
		}
		putchar('\n');
	}
}

/* ---- the shared view's header (--view-info) ----------------------------- */

/* The names of MEMLAYOUT_VIEW_* flags, by bit. */
static const char * const view_flag_names[] = { "layout", "too_large", "vtl2" };

/**
 * print_view_header() - the shared view's header (--view-info)
 * @req: the request (--json, the mapped view).
 * @res: the layout just set (its generation must be the view's).
 * @f: receives the failure.
 *
 * Human: one "name value" line per member; JSON: one object with "size",
 * "version", "header_size", "seq", "generation", "flags" (names),
 * "too_large", "nr", "starts_off", "records_off", "index_off",
 * "index_shift" (null without ranges), "vtl2" and "fingerprint".
 *
 * Return: 0 or -1.
 */
static int print_view_header(const struct request *req,
			     const struct result *res, struct failure *f)
{
	char hex[MEMLAYOUT_FINGERPRINT_HEX_LEN];
	struct memlayout_view v;
	bool vtl2, first = true;
	char hs[32];
	uint32_t i;

	if (memlayout_view_read_header(req->vm, &v))
		return fail_sys(f, EPROTO, "the view's magic or version");
	if (v.generation != res->snap.generation)
		return fail_sys(f, ESTALE, "the view's generation is not the layout's");
	vtl2 = v.flags & MEMLAYOUT_VIEW_VTL2;
	memlayout_fingerprint_hex(v.fingerprint, hex);
	if (req->json) {
		printf("{\"size\":%" PRIu64 ",\"version\":%" PRIu32
		       ",\"header_size\":%" PRIu32 ",\"seq\":%" PRIu32
		       ",\"generation\":%" PRIu64 ",\"flags\":[",
		       (uint64_t)v.size, v.version, v.header_size, v.seq,
		       (uint64_t)v.generation);
		for (i = 0; i < ARRAY_SIZE(view_flag_names); i++) {
			if (!(v.flags & (1U << i)))
				continue;
			printf("%s\"%s\"", first ? "" : ",", view_flag_names[i]);
			first = false;
		}
		printf("],\"too_large\":%s,\"nr\":%" PRIu32
		       ",\"starts_off\":%" PRIu64 ",\"records_off\":%" PRIu64
		       ",\"index_off\":%" PRIu64 ",\"index_shift\":",
		       v.flags & MEMLAYOUT_VIEW_TOO_LARGE ? "true" : "false",
		       v.nr, (uint64_t)v.starts_off, (uint64_t)v.records_off,
		       (uint64_t)v.index_off);
		if (v.index_shift == MEMLAYOUT_VIEW_NO_INDEX)
			fputs("null", stdout);
		else
			printf("%" PRIu32, v.index_shift);
		fputs(",\"vtl2\":", stdout);
		if (vtl2) {
			fputc('{', stdout);
			json_hex(stdout, "start", v.vtl2_start);
			fputc(',', stdout);
			json_hex(stdout, "end", v.vtl2_end);
			fputc('}', stdout);
		} else {
			fputs("null", stdout);
		}
		printf(",\"fingerprint\":\"%s\"}\n", hex);
		return 0;
	}
	human_size(hs, sizeof(hs), v.size);
	printf("%-20s %" PRIu64 " (%s)\n", "size", (uint64_t)v.size, hs);
	printf("%-20s %" PRIu32 " (header %" PRIu32 " bytes)\n", "version",
	       v.version, v.header_size);
	printf("%-20s %" PRIu32 "\n", "seq", v.seq);
	printf("%-20s %" PRIu64 "\n", "generation", (uint64_t)v.generation);
	printf("%-20s", "flags");
	for (i = 0; i < ARRAY_SIZE(view_flag_names); i++)
		if (v.flags & (1U << i)) {
			printf("%s%s", first ? " " : ",", view_flag_names[i]);
			first = false;
		}
	printf("%s\n", first ? " none" : "");
	if (v.flags & MEMLAYOUT_VIEW_TOO_LARGE)
		printf("%-20s %" PRIu32 " (too large for the view: not in it)\n",
		       "ranges", v.nr);
	else
		printf("%-20s %" PRIu32 " (starts at %" PRIu64
		       ", records at %" PRIu64 ", index at %" PRIu64
		       ": buckets of 2^%" PRIu32 " bytes)\n", "ranges", v.nr,
		       (uint64_t)v.starts_off, (uint64_t)v.records_off,
		       (uint64_t)v.index_off, v.index_shift);
	if (vtl2)
		printf("%-20s 0x%" PRIx64 "-0x%" PRIx64 "\n", "vtl2",
		       (uint64_t)v.vtl2_start, (uint64_t)v.vtl2_end - 1);
	else
		printf("%-20s absent\n", "vtl2");
	printf("%-20s %s\n", "fingerprint", hex);
	return 0;
}

/* ---- firmware maps ------------------------------------------------------ */

/* Linux's names of the e820 types (arch/x86/kernel/e820.c). */
static const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case 1:
		return "usable";
	case 2:
		return "reserved";
	case 3:
		return "ACPI data";
	case 4:
		return "ACPI NVS";
	case 5:
		return "unusable";
	case 7:
		return "persistent";
	}
	return "unknown";
}

/**
 * print_e820() - --e820: the e820 table memlayout_e820() renders
 * @req: the request (--e820=legacy, --json).
 * @res: the layout.
 * @f: receives the failure.
 *
 * Human: one line per entry as Linux prints the firmware's table
 * ("BIOS-e820: [mem FIRST-LAST] TYPE", inclusive); JSON: {"e820":[...]}.
 *
 * Return: 0 or -1.
 */
static int print_e820(const struct request *req, const struct result *res,
		      struct failure *f)
{
	struct boot_e820_entry *e = NULL;
	uint32_t n = 0, i;
	int ret;

	ret = memlayout_e820(&res->snap, req->e820_flags, NULL, &n);
	if (ret == -EMSGSIZE) {
		e = calloc(n, sizeof(*e));
		if (!e)
			return fail_sys(f, ENOMEM, "e820 table");
		ret = memlayout_e820(&res->snap, req->e820_flags, e, &n);
	}
	if (ret) {
		free(e);
		return fail_sys(f, -ret, "memlayout_e820");
	}
	if (req->json)
		fputs("{\"e820\":[", stdout);
	for (i = 0; i < n; i++) {
		uint64_t addr = le64toh(e[i].addr), size = le64toh(e[i].size);
		uint32_t type = le32toh(e[i].type);

		if (!req->json) {
			printf("BIOS-e820: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s\n",
			       addr, addr + size - 1, e820_type_name(type));
			continue;
		}
		fputs(i ? ",{" : "{", stdout);
		json_hex(stdout, "addr", addr);
		fputc(',', stdout);
		json_hex(stdout, "size", size);
		fprintf(stdout, ",\"type\":%" PRIu32 ",\"name\":", type);
		json_string(stdout, e820_type_name(type));
		fputc('}', stdout);
	}
	if (req->json)
		fputs("]}\n", stdout);
	free(e);
	return 0;
}

static uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

/**
 * print_srat() - --srat: the SRAT memlayout_srat_table() renders, read
 * back from its bytes
 * @req: the request (--json).
 * @res: the layout.
 * @f: receives the failure.
 *
 * The header (signature, length, revision, whether the bytes sum to 0),
 * then each Memory Affinity Structure: proximity domain, base, length,
 * enabled.
 *
 * Return: 0 or -1.
 */
static int print_srat(const struct request *req, const struct result *res,
		      struct failure *f)
{
	uint8_t *t = NULL, sum = 0;
	size_t len = 0, off, i;
	uint32_t n = 0;
	int ret;

	ret = memlayout_srat_table(&res->snap, NULL, &len);
	if (ret == -EMSGSIZE) {
		t = malloc(len);
		if (!t)
			return fail_sys(f, ENOMEM, "SRAT table");
		ret = memlayout_srat_table(&res->snap, t, &len);
	}
	if (!ret && (len < 48 || memcmp(t, "SRAT", 4) || get_le32(t + 4) != len))
		ret = -EPROTO;
	if (ret) {
		free(t);
		return fail_sys(f, -ret, "memlayout_srat_table");
	}
	for (i = 0; i < len; i++)
		sum += t[i];
	if (req->json)
		printf("{\"srat\":{\"length\":%zu,\"revision\":%u,\"checksum_ok\":%s,\"memory\":[",
		       len, t[8], sum ? "false" : "true");
	else
		printf("SRAT: length %zu, revision %u, checksum %s\n", len,
		       t[8], sum ? "BAD" : "ok");
	for (off = 48; off + 2 <= len && t[off + 1] >= 2; off += t[off + 1]) {
		const uint8_t *m = t + off;
		uint64_t base, length;
		uint32_t pxm, flags;

		if (m[0] != 1 || m[1] != 40 || off + 40 > len)
			continue;
		pxm = get_le32(m + 2);
		base = get_le32(m + 8) | (uint64_t)get_le32(m + 12) << 32;
		length = get_le32(m + 16) | (uint64_t)get_le32(m + 20) << 32;
		flags = get_le32(m + 28);
		if (!req->json) {
			printf("SRAT: PXM %" PRIu32 " [mem 0x%016" PRIx64 "-0x%016" PRIx64 "]%s\n",
			       pxm, base, base + length - 1,
			       flags & 1 ? "" : " disabled");
			continue;
		}
		fprintf(stdout, "%s{\"proximity_domain\":%" PRIu32 ",",
			n++ ? "," : "", pxm);
		json_hex(stdout, "base", base);
		fputc(',', stdout);
		json_hex(stdout, "length", length);
		fprintf(stdout, ",\"enabled\":%s}", flags & 1 ? "true" : "false");
	}
	if (req->json)
		fputs("]}}\n", stdout);
	free(t);
	return 0;
}

/**
 * build_fdt() - an empty device tree (#address-cells and #size-cells 2)
 * with the layout's /memory@ nodes added by memlayout_fdt_memory()
 * @snap: the layout.
 * @out: receives the packed tree (free() it).
 *
 * Return: 0 or a negative errno.
 */
static int build_fdt(const struct memlayout_snapshot *snap, void **out)
{
	size_t size = 4096;
	void *fdt = NULL, *p;
	int ret;

	for (;;) {
		p = realloc(fdt, size);
		if (!p) {
			free(fdt);
			return -ENOMEM;
		}
		fdt = p;
		if (fdt_create_empty_tree(fdt, size) ||
		    fdt_setprop_u32(fdt, 0, "#address-cells", 2) ||
		    fdt_setprop_u32(fdt, 0, "#size-cells", 2)) {
			free(fdt);
			return -EINVAL;
		}
		ret = memlayout_fdt_memory(snap, fdt, size);
		if (ret != -ENOSPC || size >= MAX_JSON)
			break;
		size *= 2;
	}
	if (!ret && fdt_pack(fdt))
		ret = -EINVAL;
	if (ret) {
		free(fdt);
		return ret;
	}
	*out = fdt;
	return 0;
}

/**
 * print_fdt() - --fdt FILE: write the device tree to FILE, then print its
 * /memory@ nodes as libfdt reads them back from the blob
 * @req: the request (the file, --json).
 * @res: the layout.
 * @f: receives the failure.
 *
 * Return: 0 or -1.
 */
static int print_fdt(const struct request *req, const struct result *res,
		     struct failure *f)
{
	char what[MSG_LEN / 2];
	void *fdt = NULL;
	int node, len, ret, n = 0;
	FILE *file;

	ret = build_fdt(&res->snap, &fdt);
	if (ret)
		return fail_sys(f, -ret, "memlayout_fdt_memory");
	snprintf(what, sizeof(what), "cannot write %s", req->fdt_file);
	file = fopen(req->fdt_file, "wb");
	if (!file) {
		free(fdt);
		return fail_sys(f, errno, what);
	}
	if (fwrite(fdt, fdt_totalsize(fdt), 1, file) != 1) {
		fclose(file);
		free(fdt);
		return fail_sys(f, EIO, what);
	}
	if (fclose(file)) {
		free(fdt);
		return fail_sys(f, errno, what);
	}
	if (req->json) {
		fputs("{\"fdt\":{\"file\":", stdout);
		json_string(stdout, req->fdt_file);
		fputs(",\"memory\":[", stdout);
	}
	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		const fdt32_t *nid = fdt_getprop(fdt, node, "numa-node-id", NULL);
		int i;

		if (!name || strncmp(name, "memory@", 7) || !reg)
			continue;
		if (req->json) {
			fputs(n++ ? ",{\"name\":" : "{\"name\":", stdout);
			json_string(stdout, name);
			fputs(",\"reg\":[", stdout);
		} else {
			printf("/%s reg", name);
		}
		for (i = 0; i + 4 <= len / 4; i += 4) {
			uint64_t base = (uint64_t)fdt32_to_cpu(reg[i]) << 32 |
					fdt32_to_cpu(reg[i + 1]);
			uint64_t size = (uint64_t)fdt32_to_cpu(reg[i + 2]) << 32 |
					fdt32_to_cpu(reg[i + 3]);

			if (!req->json) {
				printf(" <0x%" PRIx64 " 0x%" PRIx64 ">", base, size);
				continue;
			}
			fputs(i ? ",{" : "{", stdout);
			json_hex(stdout, "base", base);
			fputc(',', stdout);
			json_hex(stdout, "size", size);
			fputc('}', stdout);
		}
		if (req->json) {
			fputs("],\"numa_node_id\":", stdout);
			if (nid)
				printf("%" PRIu32 "}", fdt32_to_cpu(*nid));
			else
				fputs("null}", stdout);
		} else if (nid) {
			printf(" numa-node-id %" PRIu32 "\n", fdt32_to_cpu(*nid));
		} else {
			putchar('\n');
		}
	}
	if (req->json)
		fputs("]}}\n", stdout);
	free(fdt);
	return 0;
}

/* ---- host fit (--check-host, SPEC H1-H3) -------------------------------- */

/**
 * open_host_devices() - open each --vfio PATH into its record
 * @req: the command line's request; the descriptors are closed by
 *       request_free().
 * @f: receives the failure.
 *
 * Return: 0 or -1.
 */
static int open_host_devices(struct request *req, struct failure *f)
{
	char what[MSG_LEN / 2];
	uint32_t i;
	int fd;

	for (i = 0; i < req->hosts.nr; i++) {
		if (!req->hosts.vfio[i])
			continue;
		fd = memlayout_open_vfio(req->hosts.vfio[i], &req->hosts.d[i]);
		if (fd < 0) {
			req->hosts.d[i].fd = -1;
			snprintf(what, sizeof(what), "cannot open %s",
				 req->hosts.vfio[i]);
			return fail_sys(f, -fd, what);
		}
	}
	return 0;
}

/* How the output names device @i: its PCI address, and its --vfio PATH. */
static void host_name(const struct request *req, uint32_t i, char *buf,
		      size_t len)
{
	const struct memlayout_host_device *d = &req->hosts.d[i];
	char bdf[MEMLAYOUT_HOST_DEVICE_NAME_LEN];

	if (!req->hosts.vfio[i])
		memlayout_host_device_name(d, buf, len);
	else if (d->flags & MEMLAYOUT_DEVICE_PCI_ADDR)
		snprintf(buf, len, "%s (%s)", req->hosts.vfio[i],
			 memlayout_host_device_name(d, bdf, sizeof(bdf)));
	else
		snprintf(buf, len, "%s", req->hosts.vfio[i]);
}

/* ,"KEY":"0x..." */
static void json_hex_member(const char *key, uint64_t v)
{
	printf(",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

static void print_host_json(const struct request *req,
			    const struct memlayout_host_fit *fit)
{
	char name[MSG_LEN / 2];
	uint32_t i;

	printf("{\"generation\":%" PRIu64 ",\"phys_bits\":%" PRIu32 ",\"devices\":[",
	       (uint64_t)fit->generation, fit->phys_bits);
	for (i = 0; i < req->hosts.nr; i++) {
		const struct memlayout_host_device *d = &req->hosts.d[i];
		const char *dom = memlayout_domain_type_name(d->domain_type);

		host_name(req, i, name, sizeof(name));
		printf("%s{\"index\":%" PRIu32 ",\"name\":", i ? "," : "", i);
		json_string(stdout, name);
		printf(",\"type\":\"%s\",\"pci\":",
		       d->type == MEMLAYOUT_DEVICE_VFIO ? "vfio" : "pci");
		if (d->type == MEMLAYOUT_DEVICE_PCI ||
		    (d->flags & MEMLAYOUT_DEVICE_PCI_ADDR))
			json_string(stdout, memlayout_host_device_name(d, name,
								       sizeof(name)));
		else
			fputs("null", stdout);
		printf(",\"iommu\":%s", d->flags & MEMLAYOUT_DEVICE_IOMMU ?
		       "true" : "false");
		if (d->flags & MEMLAYOUT_DEVICE_IOMMU)
			printf(",\"iommu_group\":%" PRIu32, d->iommu_group);
		else
			fputs(",\"iommu_group\":null", stdout);
		fputs(",\"domain\":", stdout);
		json_string(stdout, dom ? dom : "unknown");
		fputs(",\"aperture\":", stdout);
		if (d->flags & MEMLAYOUT_DEVICE_APERTURE) {
			printf("{\"start\":\"0x%" PRIx64 "\"",
			       (uint64_t)d->aperture_start);
			json_hex_member("last", d->aperture_last);
			fputc('}', stdout);
		} else {
			fputs("null", stdout);
		}
		printf(",\"nr_resv\":%" PRIu32 "}", d->nr_resv);
	}
	fputs("],\"host_fit\":[", stdout);
	for (i = 0; i < fit->nr; i++) {
		const struct memlayout_host_conflict *c = &fit->conflicts[i];
		const char *rule = memlayout_host_rule_name(c->rule);
		const char *type = memlayout_resv_type_name(c->host_type,
							    c->host_flags);

		fputs(i ? ",{\"rule\":" : "{\"rule\":", stdout);
		json_string(stdout, rule ? rule : "unknown");
		fputs(",\"list\":", stdout);
		json_string(stdout, list_name(c->list));
		printf(",\"index\":%" PRIu32, c->index);
		json_hex_member("start", c->start);
		json_hex_member("end", c->end);
		if (c->device == MEMLAYOUT_NO_DEVICE)
			fputs(",\"device\":null", stdout);
		else
			printf(",\"device\":%" PRIu32, c->device);
		json_hex_member("host_start", c->host_start);
		json_hex_member("host_last", c->host_last);
		fputs(",\"host_type\":", stdout);
		json_string(stdout, type ? type : "unknown");
		printf(",\"relaxable\":%s,\"phys_bits\":%" PRIu32 "}",
		       c->host_flags & MEMLAYOUT_HOST_RELAXABLE ? "true" : "false",
		       c->phys_bits);
	}
	fputs("]}\n", stdout);
}

static void print_host_human(const struct request *req,
			     const struct memlayout_host_fit *fit)
{
	char name[MSG_LEN / 2], line[MSG_LEN];
	uint32_t i;

	printf("cpu: %" PRIu32 " physical address bits (the layout must end at or below 2^%" PRIu32 ")\n",
	       fit->phys_bits, fit->phys_bits);
	for (i = 0; i < req->hosts.nr; i++) {
		const struct memlayout_host_device *d = &req->hosts.d[i];
		const char *dom = memlayout_domain_type_name(d->domain_type);

		host_name(req, i, name, sizeof(name));
		printf("device %" PRIu32 ": %s: ", i, name);
		if (!(d->flags & MEMLAYOUT_DEVICE_IOMMU)) {
			puts("no IOMMU");
			continue;
		}
		printf("IOMMU group %" PRIu32 ", domain %s, ", d->iommu_group,
		       dom ? dom : "unknown");
		if (d->flags & MEMLAYOUT_DEVICE_APERTURE)
			printf("aperture 0x%" PRIx64 "-0x%" PRIx64,
			       (uint64_t)d->aperture_start,
			       (uint64_t)d->aperture_last);
		else
			fputs("no aperture checked", stdout);
		printf(", %" PRIu32 " reserved region%s\n", d->nr_resv,
		       d->nr_resv == 1 ? "" : "s");
	}
	if (!fit->nr) {
		puts("fits: no conflicts");
		return;
	}
	printf("%" PRIu32 " conflict%s:\n", fit->nr, fit->nr == 1 ? "" : "s");
	for (i = 0; i < fit->nr; i++) {
		const struct memlayout_host_conflict *c = &fit->conflicts[i];

		memlayout_host_conflict_str(c, req->hosts.d, req->hosts.nr,
					    line, sizeof(line));
		/* The CLI names a --vfio device by its path too. */
		if (c->device < req->hosts.nr && req->hosts.vfio[c->device]) {
			host_name(req, c->device, name, sizeof(name));
			printf("%s [%s]\n", line, name);
		} else {
			printf("%s\n", line);
		}
	}
}

/**
 * run_check_host() - --check-host: the layout just set against this host
 * @h: the device or the offline engine.
 * @req: the request (its devices, --json).
 * @f: receives the failure.
 *
 * Return: %EXIT_OK (fits), %EXIT_CONFLICTS, or -1 with @f set.
 */
static int run_check_host(struct memlayout_handle *h, const struct request *req,
			  struct failure *f)
{
	struct memlayout_host_fit fit;
	char what[MSG_LEN / 2], name[MSG_LEN / 4];
	int ret;

	ret = memlayout_check_host(h, req->hosts.d, req->hosts.nr, &fit);
	if (ret) {
		if (fit.error_device < req->hosts.nr) {
			host_name(req, fit.error_device, name, sizeof(name));
			snprintf(what, sizeof(what),
				 "MEMLAYOUT_IOC_CHECK_HOST: device %" PRIu32 " (%s)",
				 fit.error_device, name);
			return fail_sys(f, -ret, what);
		}
		return fail_sys(f, -ret, "MEMLAYOUT_IOC_CHECK_HOST");
	}
	if (req->json)
		print_host_json(req, &fit);
	else
		print_host_human(req, &fit);
	ret = fit.nr ? EXIT_CONFLICTS : EXIT_OK;
	memlayout_host_fit_free(&fit);
	return ret;
}

/* ---- KVM audit (--check-kvm, SPEC H4) ----------------------------------- */

/**
 * struct kvm_vm - the throwaway VM of --check-kvm
 * @kvm: /dev/kvm.
 * @vm: the VM (KVM_CREATE_VM).
 * @mem: @mem[i] backs memslot i (anonymous, MAP_NORESERVE: never touched).
 * @nr: number of @mem mapped.
 */
struct kvm_vm {
	int kvm;
	int vm;
	void **mem;
	uint32_t nr;
};

static void kvm_vm_close(struct kvm_vm *v, const struct slot_list *l)
{
	uint32_t i;

	/* The VM first: KVM drops its memslots with it. */
	if (v->vm >= 0)
		close(v->vm);
	for (i = 0; i < v->nr; i++)
		munmap(v->mem[i], l->s[i].end - l->s[i].start);
	free(v->mem);
	if (v->kvm >= 0)
		close(v->kvm);
	v->kvm = v->vm = -1;
	v->mem = NULL;
	v->nr = 0;
}

/**
 * kvm_vm_open() - a VM holding the --memslot memslots
 * @v: receives the VM; kvm_vm_close() it.
 * @l: the memslots.
 * @f: receives the failure.
 *
 * Each memslot is backed by an anonymous MAP_NORESERVE mapping of its
 * size, set with KVM_SET_USER_MEMORY_REGION (slot ``i | as_id << 16``,
 * KVM_MEM_READONLY for :ro). No vCPU is created and no guest page is
 * touched.
 *
 * Return: 0 or -1 with @f set (and @v closed).
 */
static int kvm_vm_open(struct kvm_vm *v, const struct slot_list *l,
		       struct failure *f)
{
	char what[MSG_LEN / 2];
	uint32_t i;
	int ret;

	v->vm = -1;
	v->nr = 0;
	v->mem = NULL;
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0) {
		ret = errno;
		fail_sys(f, ret, "cannot open /dev/kvm");
		snprintf(f->msg + strlen(f->msg), sizeof(f->msg) - strlen(f->msg),
			 " (KVM is not available here: --offline --check-kvm audits the --memslot memslots without a VM)");
		return -1;
	}
	ret = ioctl(v->kvm, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		snprintf(what, sizeof(what), "/dev/kvm: KVM_GET_API_VERSION is %d, not %d",
			 ret, KVM_API_VERSION);
		fail_sys(f, ret < 0 ? errno : EPROTO, what);
		goto fail;
	}
	do {
		v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	} while (v->vm < 0 && errno == EINTR);
	if (v->vm < 0) {
		fail_sys(f, errno, "KVM_CREATE_VM");
		goto fail;
	}
	if (l->nr) {
		v->mem = calloc(l->nr, sizeof(*v->mem));
		if (!v->mem) {
			fail_sys(f, ENOMEM, "memslots");
			goto fail;
		}
	}
	for (i = 0; i < l->nr; i++) {
		const struct memlayout_kvm_memslot *s = &l->s[i];
		struct kvm_userspace_memory_region r = { 0 };
		uint64_t size = s->end - s->start;
		void *p;

		if (s->end <= s->start || size > SIZE_MAX) {
			snprintf(what, sizeof(what), "--memslot %" PRIu32 " [0x%" PRIx64 ", 0x%" PRIx64 ")",
				 i, s->start, s->end);
			fail_sys(f, EINVAL, what);
			goto fail;
		}
		p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			snprintf(what, sizeof(what), "mmap of %" PRIu64 " bytes for --memslot %" PRIu32,
				 size, i);
			fail_sys(f, errno, what);
			goto fail;
		}
		v->mem[v->nr++] = p;
		r.slot = s->id | s->as_id << 16;
		r.flags = s->flags & MEMLAYOUT_KVM_MEM_READONLY ? KVM_MEM_READONLY : 0;
		r.guest_phys_addr = s->start;
		r.memory_size = size;
		r.userspace_addr = (uint64_t)(uintptr_t)p;
		if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &r)) {
			int err = errno;
			/* How many address spaces this KVM has (x86: 2 with SMM). */
			int nr_as = ioctl(v->vm, KVM_CHECK_EXTENSION,
					  KVM_CAP_MULTI_ADDRESS_SPACE);

			snprintf(what, sizeof(what),
				 "KVM_SET_USER_MEMORY_REGION of --memslot %" PRIu32 " (address space %" PRIu32 ", 0x%" PRIx64 "-0x%" PRIx64 "%s; this KVM has %d address space%s)",
				 i, s->as_id, s->start, s->end,
				 r.flags ? ", read-only" : "",
				 nr_as > 0 ? nr_as : 1, nr_as > 1 ? "s" : "");
			fail_sys(f, err, what);
			goto fail;
		}
	}
	return 0;
fail:
	kvm_vm_close(v, l);
	return -1;
}

/* "flags":["readonly",...] */
static void json_slot_flags(uint32_t flags)
{
	char b[MEMLAYOUT_KVM_FLAGS_LEN], *save = NULL, *w;
	bool first = true;

	fputs(",\"flags\":[", stdout);
	if (flags) {
		memlayout_kvm_slot_flags_str(flags, b, sizeof(b));
		for (w = strtok_r(b, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			fputs(first ? "" : ",", stdout);
			json_string(stdout, w);
			first = false;
		}
	}
	fputc(']', stdout);
}

static void print_kvm_json(const struct request *req,
			   const struct memlayout_kvm_audit *a)
{
	uint32_t i;

	printf("{\"generation\":%" PRIu64 ",\"vm\":%s,\"nr_slots\":%" PRIu32 ",\"nr_as\":%" PRIu32 ",\"memslots\":[",
	       (uint64_t)a->generation, req->offline ? "false" : "true",
	       a->nr_slots, a->nr_as);
	for (i = 0; i < req->slots.nr; i++) {
		const struct memlayout_kvm_memslot *s = &req->slots.s[i];

		printf("%s{\"as\":%" PRIu32 ",\"slot\":%" PRIu32, i ? "," : "",
		       s->as_id, s->id);
		json_hex_member("start", s->start);
		json_hex_member("end", s->end);
		json_slot_flags(s->flags);
		fputc('}', stdout);
	}
	fputs("],\"kvm_audit\":[", stdout);
	for (i = 0; i < a->nr; i++) {
		const struct memlayout_kvm_finding *k = &a->findings[i];
		const char *kind = memlayout_kvm_kind_name(k->kind);

		fputs(i ? ",{\"kind\":" : "{\"kind\":", stdout);
		json_string(stdout, kind ? kind : "unknown");
		printf(",\"as\":%" PRIu32, k->as_id);
		json_hex_member("start", k->start);
		json_hex_member("end", k->end);
		if (k->list == MEMLAYOUT_LIST_NONE) {
			fputs(",\"range\":null", stdout);
		} else {
			fputs(",\"range\":{\"list\":", stdout);
			json_string(stdout, list_name(k->list));
			printf(",\"index\":%" PRIu32, k->index);
			json_hex_member("start", k->range_start);
			json_hex_member("end", k->range_end);
			fputc('}', stdout);
		}
		if (k->slot_id == MEMLAYOUT_KVM_NO_SLOT) {
			fputs(",\"slot\":null", stdout);
		} else {
			printf(",\"slot\":{\"id\":%" PRIu32, k->slot_id);
			json_hex_member("start", k->slot_start);
			json_hex_member("end", k->slot_end);
			json_slot_flags(k->slot_flags);
			fputc('}', stdout);
		}
		fputc('}', stdout);
	}
	fputs("]}\n", stdout);
}

static void print_kvm_human(const struct request *req,
			    const struct memlayout_kvm_audit *a)
{
	char line[MSG_LEN], fl[MEMLAYOUT_KVM_FLAGS_LEN];
	uint32_t i;

	printf("%s: %" PRIu32 " memslot%s in %" PRIu32 " address space%s, layout generation %" PRIu64 "\n",
	       req->offline ? "memslots (no VM)" : "vm",
	       a->nr_slots, a->nr_slots == 1 ? "" : "s", a->nr_as,
	       a->nr_as == 1 ? "" : "s", (uint64_t)a->generation);
	for (i = 0; i < req->slots.nr; i++) {
		const struct memlayout_kvm_memslot *s = &req->slots.s[i];

		printf("slot %" PRIu32 ": as %" PRIu32 " 0x%" PRIx64 "-0x%" PRIx64 " flags %s\n",
		       s->id, s->as_id, s->start, s->end - 1,
		       memlayout_kvm_slot_flags_str(s->flags, fl, sizeof(fl)));
	}
	if (!a->nr) {
		puts("matches: no findings");
		return;
	}
	printf("%" PRIu32 " finding%s:\n", a->nr, a->nr == 1 ? "" : "s");
	for (i = 0; i < a->nr; i++)
		printf("%s\n", memlayout_kvm_finding_str(&a->findings[i], line,
							 sizeof(line)));
}

/**
 * run_check_kvm() - --check-kvm: the layout just set against memslots
 * @h: the device or the offline engine.
 * @req: the request (its --memslot options, --offline, --json).
 * @f: receives the failure.
 *
 * On the device: a throwaway VM holding the memslots, and
 * memlayout_check_kvm() on it. With --offline: memlayout_kvm_audit_slots()
 * over the memslots as given, no VM.
 *
 * Return: %EXIT_OK (no finding), %EXIT_CONFLICTS, or -1 with @f set.
 */
static int run_check_kvm(struct memlayout_handle *h, const struct request *req,
			 struct failure *f)
{
	struct memlayout_kvm_audit a;
	char what[MSG_LEN / 2];
	struct kvm_vm v;
	int ret;

	if (req->offline) {
		ret = memlayout_kvm_audit_slots(h, req->slots.s, req->slots.nr, &a);
		if (ret && a.error_slot < req->slots.nr) {
			snprintf(what, sizeof(what), "--memslot %" PRIu32 " %s",
				 a.error_slot, ret == -EEXIST ?
				 "overlaps an earlier memslot of its address space" :
				 "is not a memslot KVM takes (empty or not 4 KiB aligned)");
			return fail_sys(f, -ret, what);
		}
		if (ret)
			return fail_sys(f, -ret, "KVM audit");
	} else {
		if (kvm_vm_open(&v, &req->slots, f))
			return -1;
		ret = memlayout_check_kvm(h, v.vm, &a);
		kvm_vm_close(&v, &req->slots);
		if (ret) {
			fail_sys(f, -ret, "MEMLAYOUT_IOC_CHECK_KVM");
			if (ret == -ENOPKG || ret == -ENOTTY)
				snprintf(f->msg + strlen(f->msg),
					 sizeof(f->msg) - strlen(f->msg), "%s",
					 ret == -ENOPKG ?
					 " (KVM is not loaded where memlayout runs)" :
					 " (this memlayout module has no KVM audit)");
			return -1;
		}
	}
	if (req->json)
		print_kvm_json(req, &a);
	else
		print_kvm_human(req, &a);
	ret = a.nr ? EXIT_CONFLICTS : EXIT_OK;
	memlayout_kvm_audit_free(&a);
	return ret;
}

/* ---- modes -------------------------------------------------------------- */

/**
 * run_one() - set, read back and print one request
 * @h: the device or the offline engine.
 * @req: the request.
 * @json: print JSON (stdout) rather than the map.
 * @line: the --batch input line, or 0.
 *
 * Return: EXIT_OK or EXIT_FAIL; with --check-host, EXIT_CONFLICTS when
 * the layout conflicts with this host.
 */
static int run_one(struct memlayout_handle *h, const struct request *req,
		   bool json, unsigned long line)
{
	struct result res;
	struct failure f;
	int ret;

	ret = run_layout(h, req, &res, &f);
	if (!ret && req->probe_only) {
		/* Only in --batch, so always JSON. */
		json_open(stdout, line);
		printf("\"generation\":%" PRIu64, res.generation);
		json_probes(req, &res);
	} else if (!ret && req->dry_run) {
		print_dry_run(&res, json, line);
	} else if (!ret && req->check_host) {
		ret = run_check_host(h, req, &f);
		if (ret >= 0) {
			result_free(&res);
			return ret;
		}
	} else if (!ret && req->check_kvm) {
		ret = run_check_kvm(h, req, &f);
		if (ret >= 0) {
			result_free(&res);
			return ret;
		}
	} else if (!ret) {
		switch (req->view) {
		case VIEW_E820:
			ret = print_e820(req, &res, &f);
			break;
		case VIEW_SRAT:
			ret = print_srat(req, &res, &f);
			break;
		case VIEW_FDT:
			ret = print_fdt(req, &res, &f);
			break;
		case VIEW_HEADER:
			ret = print_view_header(req, &res, &f);
			break;
		default:
			if (json)
				print_json(req, &res, line);
			else
				print_human(req, &res);
			break;
		}
	}
	result_free(&res);
	if (ret) {
		print_failure(&f, json, line);
		return EXIT_FAIL;
	}
	return EXIT_OK;
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

/*
 * Cut a trailing comment: a '#' at the start of a word and everything
 * after it. Return: true when nothing but blanks is left.
 */
static bool strip_comment(char *line)
{
	bool blank = true;
	char *p;

	for (p = line; *p; p++) {
		bool space = strchr(" \t\r\n\v\f", *p);

		if (*p == '#' && (p == line || strchr(" \t\r\n\v\f", p[-1]))) {
			*p = '\0';
			break;
		}
		if (!space)
			blank = false;
	}
	return blank;
}

/**
 * run_batch() - --batch: one request per stdin line, one JSON line each
 * @cmd: the command line's request (--device or --offline, --max-ranges).
 *
 * One handle serves the whole batch. Every output line carries "line",
 * the number of the input line it answers. Blank lines and comments
 * (from a '#' starting a word to the end of the line) are skipped, with
 * no output. A usage error answers {"line":N,"usage":"message"}.
 *
 * Return: EXIT_USAGE if any line had a usage error, else EXIT_FAIL if any
 * line failed, else EXIT_OK.
 */
static int run_batch(const struct request *cmd)
{
	struct memlayout_view_map *vm = NULL;
	bool usage = false, failed = false;
	char msg[MSG_LEN], *line = NULL;
	struct memlayout_handle *h;
	unsigned long lineno = 0;
	char **argv = NULL;
	struct failure f;
	uint32_t cap = 0;
	size_t len = 0;
	ssize_t got;
	int argc;

	h = open_handle(cmd, &f);
	if (!h) {
		print_failure(&f, true, 0);
		return EXIT_FAIL;
	}
	if (open_view(h, cmd, &vm, &f)) {
		print_failure(&f, true, 0);
		memlayout_close(h);
		return EXIT_FAIL;
	}
	while ((got = getline(&line, &len, stdin)) != -1) {
		struct request req;

		lineno++;
		if ((size_t)got != strlen(line)) {
			json_usage(stdout, lineno, "the line holds a NUL byte");
			usage = true;
		} else if (strip_comment(line)) {
			continue;
		} else if (split_line(line, &argv, &cap, &argc)) {
			json_error(stdout, lineno, ENOMEM, NULL,
				   MEMLAYOUT_LIST_NONE, 0,
				   "out of memory splitting the line");
			failed = true;
		} else if (parse_args(argc, argv, &req, true, msg)) {
			json_usage(stdout, lineno, msg);
			usage = true;
			request_free(&req);
		} else {
			req.vm = vm;
			if (run_one(h, &req, true, lineno))
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
	memlayout_view_close(vm);
	memlayout_close(h);
	return usage ? EXIT_USAGE : failed ? EXIT_FAIL : EXIT_OK;
}

/* ---- diff --------------------------------------------------------------- */

/**
 * struct jp - a JSON reader over one layout file
 * @s: the text.
 * @p: the next character.
 * @end: one past the text.
 * @name: the file's name, for messages.
 * @msg: receives the error message.
 */
struct jp {
	const char *s;
	const char *p;
	const char *end;
	const char *name;
	char *msg;
};

static int __printf(2, 3) jp_err(struct jp *j, const char *fmt, ...)
{
	char what[MSG_LEN / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(j->msg, MSG_LEN, "%s: byte %td: %s", j->name, j->p - j->s,
		 what);
	return -EINVAL;
}

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && strchr(" \t\r\n", *j->p) && *j->p)
		j->p++;
}

/* Consume @c (after blanks) if it is next. */
static bool jp_eat(struct jp *j, char c)
{
	jp_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static int jp_expect(struct jp *j, char c)
{
	return jp_eat(j, c) ? 0 : jp_err(j, "expected '%c'", c);
}

/* A string into @buf (cut to @len; escapes kept as written). */
static int jp_string(struct jp *j, char *buf, size_t len)
{
	size_t n = 0;

	if (!jp_eat(j, '"'))
		return jp_err(j, "expected a string");
	while (j->p < j->end && *j->p != '"') {
		if (*j->p == '\\' && j->p + 1 < j->end) {
			if (n + 1 < len)
				buf[n++] = *j->p;
			j->p++;
		}
		if (n + 1 < len)
			buf[n++] = *j->p;
		j->p++;
	}
	if (j->p >= j->end)
		return jp_err(j, "unterminated string");
	j->p++;
	buf[n] = '\0';
	return 0;
}

/* Skip one value of any type. */
static int jp_skip(struct jp *j, int depth)
{
	char tmp[8];

	jp_ws(j);
	if (depth > 64)
		return jp_err(j, "nested too deeply");
	if (j->p >= j->end)
		return jp_err(j, "expected a value");
	if (*j->p == '"')
		return jp_string(j, tmp, sizeof(tmp));
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';
		bool obj = close == '}';

		j->p++;
		if (jp_eat(j, close))
			return 0;
		do {
			if (obj && (jp_string(j, tmp, sizeof(tmp)) ||
				    jp_expect(j, ':')))
				return -EINVAL;
			if (jp_skip(j, depth + 1))
				return -EINVAL;
		} while (jp_eat(j, ','));
		return jp_expect(j, close);
	}
	while (j->p < j->end && (isalnum((unsigned char)*j->p) ||
				 strchr("+-.", *j->p)))
		j->p++;
	return 0;
}

/**
 * jp_u64() - a number: "0x..." (as memlayoutctl writes addresses), a
 * decimal integer, or null
 * @j: the reader.
 * @v: receives the value (0 for null).
 * @present: receives false for null (may be NULL: null is then an error).
 *
 * Return: 0 or -EINVAL.
 */
static int jp_u64(struct jp *j, uint64_t *v, bool *present)
{
	char buf[32];
	const char *s;

	jp_ws(j);
	if (j->end - j->p >= 4 && !strncmp(j->p, "null", 4) && present) {
		j->p += 4;
		*present = false;
		*v = 0;
		return 0;
	}
	if (j->p < j->end && *j->p == '"') {
		if (jp_string(j, buf, sizeof(buf)))
			return -EINVAL;
		if (strncmp(buf, "0x", 2) || parse_num(buf, buf + strlen(buf), v))
			return jp_err(j, "'%s' is not a 0x-hex number", buf);
	} else {
		for (s = j->p; j->p < j->end && *j->p >= '0' && *j->p <= '9';)
			j->p++;
		if (s == j->p || parse_num(s, j->p, v))
			return jp_err(j, "expected a number");
	}
	if (present)
		*present = true;
	return 0;
}

/* A growable array of map entries. */
struct entry_list {
	struct memlayout_map_entry *e;
	uint32_t nr;
	uint32_t cap;
};

/* {"start":"0x..","end":"0x..","node":N}: one range of @kind. */
static int jp_range(struct jp *j, uint32_t kind, struct entry_list *l)
{
	struct memlayout_map_entry e = { .kind = kind };
	bool seen_start = false, seen_end = false;
	char key[16];
	uint64_t v;
	void *p;
	int ret;

	if (jp_expect(j, '{'))
		return -EINVAL;
	if (!jp_eat(j, '}')) {
		do {
			if (jp_string(j, key, sizeof(key)) || jp_expect(j, ':'))
				return -EINVAL;
			if (!strcmp(key, "start") || !strcmp(key, "end") ||
			    !strcmp(key, "node")) {
				if (jp_u64(j, &v, NULL))
					return -EINVAL;
			} else if (jp_skip(j, 0)) {
				return -EINVAL;
			}
			if (!strcmp(key, "start")) {
				e.start = v;
				seen_start = true;
			} else if (!strcmp(key, "end")) {
				e.end = v;
				seen_end = true;
			} else if (!strcmp(key, "node")) {
				if (v > UINT32_MAX)
					return jp_err(j, "node does not fit in 32 bits");
				e.vnode = (uint32_t)v;
			}
		} while (jp_eat(j, ','));
		if (jp_expect(j, '}'))
			return -EINVAL;
	}
	if (!seen_start || !seen_end)
		return jp_err(j, "a range needs \"start\" and \"end\"");
	p = l->e;
	ret = grow(&p, &l->cap, l->nr, sizeof(*l->e), MAX_READ);
	l->e = p;
	if (ret)
		return jp_err(j, "too many ranges");
	l->e[l->nr++] = e;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct memlayout_map_entry *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* The figures a layout's JSON holds, with the present bit of optional ones. */
static const struct {
	const char *name;
	size_t offset;
	uint32_t present;
} json_figure_keys[] = {
	{ "ram_size", offsetof(struct memlayout_stats, ram_size), 0 },
	{ "end_of_ram", offsetof(struct memlayout_stats, end_of_ram), 0 },
	{ "ram_below_4gb", offsetof(struct memlayout_stats, ram_below_4gb), 0 },
	{ "ram_above_4gb", offsetof(struct memlayout_stats, ram_above_4gb), 0 },
	{ "ram_above_high_mmio",
	  offsetof(struct memlayout_stats, ram_above_high_mmio),
	  MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO },
	{ "max_ram_below_4gb",
	  offsetof(struct memlayout_stats, max_ram_below_4gb),
	  MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB },
	{ "end_of_layout", offsetof(struct memlayout_stats, end_of_layout), 0 },
};

/*
 * One key of the top-level object into @snap and @l (and the fingerprint
 * as written, into @fp_hex).
 */
static int jp_layout_key(struct jp *j, const char *key,
			 struct memlayout_snapshot *snap, struct entry_list *l,
			 uint32_t *seen, char *fp_hex)
{
	struct memlayout_stats *st = &snap->stats;
	bool present;
	uint32_t kind;
	uint64_t v;
	size_t i;

	for (kind = MEMLAYOUT_KIND_RAM; kind <= MEMLAYOUT_KIND_PCI_MMIO; kind++) {
		if (strcmp(key, kind_name(kind)))
			continue;
		*seen |= 1U << kind;
		if (jp_expect(j, '['))
			return -EINVAL;
		if (jp_eat(j, ']'))
			return 0;
		do {
			if (jp_range(j, kind, l))
				return -EINVAL;
		} while (jp_eat(j, ','));
		return jp_expect(j, ']');
	}
	for (i = 0; i < ARRAY_SIZE(json_figure_keys); i++) {
		if (strcmp(key, json_figure_keys[i].name))
			continue;
		if (jp_u64(j, &v, json_figure_keys[i].present ? &present : NULL))
			return -EINVAL;
		memcpy((char *)st + json_figure_keys[i].offset, &v, sizeof(v));
		if (json_figure_keys[i].present && present)
			st->present |= json_figure_keys[i].present;
		return 0;
	}
	if (!strcmp(key, "vtl2")) {
		struct entry_list vl = { 0 };
		int ret;

		jp_ws(j);
		if (j->end - j->p >= 4 && !strncmp(j->p, "null", 4)) {
			j->p += 4;
			return 0;
		}
		ret = jp_range(j, MEMLAYOUT_KIND_NONE, &vl);
		if (!ret) {
			st->present |= MEMLAYOUT_STATS_VTL2;
			st->vtl2_start = vl.e[0].start;
			st->vtl2_end = vl.e[0].end;
		}
		free(vl.e);
		return ret;
	}
	if (!strcmp(key, "generation")) {
		if (jp_u64(j, &v, NULL))
			return -EINVAL;
		snap->generation = v;
		return 0;
	}
	if (!strcmp(key, "fingerprint"))
		return jp_string(j, fp_hex, MEMLAYOUT_FINGERPRINT_HEX_LEN);
	if (!strcmp(key, "error") || !strcmp(key, "usage"))
		return jp_err(j, "this is an error object, not a layout");
	return jp_skip(j, 0);
}

/**
 * read_layout_json() - a snapshot from memlayoutctl's layout JSON
 * @name: the file, or "-" for stdin.
 * @snap: receives the layout (entries sorted; free with
 *        memlayout_snapshot_free()).
 * @msg: receives the error message.
 *
 * The file holds one object as "memlayoutctl --json" prints it (the first
 * line of a --batch output works too); "probes", "line" and unknown keys
 * are ignored. The fingerprint is recomputed from the ranges; a
 * "fingerprint" in the file must be that value (a file edited by hand
 * without it is fine; one whose ranges no longer match it is an error).
 *
 * Return: 0 or -1.
 */
static int read_layout_json(const char *name, struct memlayout_snapshot *snap,
			    char *msg)
{
	FILE *file = strcmp(name, "-") ? fopen(name, "r") : stdin;
	struct entry_list l = { 0 };
	struct memlayout_range vtl2;
	struct jp j = { .name = name, .msg = msg };
	char fp_hex[MEMLAYOUT_FINGERPRINT_HEX_LEN] = "";
	char hex[MEMLAYOUT_FINGERPRINT_HEX_LEN];
	uint32_t seen = 0, kind;
	char key[64], *text;
	size_t len;
	int ret;

	memset(snap, 0, sizeof(*snap));
	if (!file) {
		snprintf(msg, MSG_LEN, "cannot open %s: %s", name, strerror(errno));
		return -1;
	}
	text = malloc(MAX_JSON);
	len = text ? fread(text, 1, MAX_JSON, file) : 0;
	if (file != stdin)
		fclose(file);
	if (!text || len == MAX_JSON) {
		snprintf(msg, MSG_LEN, "%s: %s", name, text ? "too large" :
			 "out of memory");
		free(text);
		return -1;
	}
	j.s = text;
	j.p = text;
	j.end = text + len;
	ret = jp_expect(&j, '{');
	if (!ret && !jp_eat(&j, '}')) {
		do {
			ret = jp_string(&j, key, sizeof(key));
			if (!ret)
				ret = jp_expect(&j, ':');
			if (!ret)
				ret = jp_layout_key(&j, key, snap, &l, &seen,
						    fp_hex);
		} while (!ret && jp_eat(&j, ','));
		if (!ret)
			ret = jp_expect(&j, '}');
	}
	for (kind = MEMLAYOUT_KIND_RAM; !ret && kind <= MEMLAYOUT_KIND_PCI_MMIO; kind++)
		if (!(seen & (1U << kind)))
			ret = jp_err(&j, "no \"%s\" list: not a memlayoutctl layout",
				     kind_name(kind));
	free(text);
	if (ret) {
		free(l.e);
		return -1;
	}
	if (l.nr)
		qsort(l.e, l.nr, sizeof(*l.e), entry_cmp);
	snap->entries = l.e;
	snap->nr = l.nr;
	vtl2 = (struct memlayout_range){ .start = snap->stats.vtl2_start,
					 .end = snap->stats.vtl2_end };
	memlayout_fingerprint(l.e, l.nr, snap_vtl2(snap) ? &vtl2 : NULL,
			      snap->fingerprint);
	if (*fp_hex && strcmp(fp_hex,
			      memlayout_fingerprint_hex(snap->fingerprint, hex))) {
		snprintf(msg, MSG_LEN,
			 "%s: its fingerprint %s is not that of its ranges (%s)",
			 name, fp_hex, hex);
		memlayout_snapshot_free(snap);
		return -1;
	}
	return 0;
}

/* "[0x1000, 0x2000) node 1" (node for RAM only). */
static void describe_entry(char *buf, size_t len,
			   const struct memlayout_map_entry *e)
{
	int n = snprintf(buf, len, "[0x%" PRIx64 ", 0x%" PRIx64 ")",
			 (uint64_t)e->start, (uint64_t)e->end);

	if (e->kind == MEMLAYOUT_KIND_RAM && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " node %" PRIu32, e->vnode);
}

/* A JSON range object: {"kind":..,"start":..,"end":..[,"node":N]}. */
static void json_entry(const struct memlayout_map_entry *e)
{
	fprintf(stdout, "{\"kind\":\"%s\",", kind_name(e->kind));
	json_hex(stdout, "start", e->start);
	fputc(',', stdout);
	json_hex(stdout, "end", e->end);
	if (e->kind == MEMLAYOUT_KIND_RAM)
		fprintf(stdout, ",\"node\":%" PRIu32, e->vnode);
	fputc('}', stdout);
}

/**
 * struct diff_print - memlayout_diff()'s callback state
 * @a: the first layout.
 * @b: the second layout.
 * @json: print JSON.
 * @n: differences printed so far.
 */
struct diff_print {
	const struct memlayout_snapshot *a;
	const struct memlayout_snapshot *b;
	bool json;
	unsigned int n;
};

/* Is figure @name valid in @snap (its present bit)? */
static bool figure_present(const struct memlayout_snapshot *snap,
			   const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(json_figure_keys); i++)
		if (!strcmp(name, json_figure_keys[i].name))
			return !json_figure_keys[i].present ||
			       (snap->stats.present & json_figure_keys[i].present);
	return true;
}

static void json_value(const char *key, uint64_t v, bool present)
{
	if (present)
		json_hex(stdout, key, v);
	else
		fprintf(stdout, "\"%s\":null", key);
}

static void human_value(uint64_t v, bool present)
{
	if (present)
		printf("0x%" PRIx64, v);
	else
		fputs("absent", stdout);
}

static void json_vtl2(const char *key, bool has, uint64_t start, uint64_t end)
{
	fprintf(stdout, "\"%s\":", key);
	if (!has) {
		fputs("null", stdout);
		return;
	}
	fputc('{', stdout);
	json_hex(stdout, "start", start);
	fputc(',', stdout);
	json_hex(stdout, "end", end);
	fputc('}', stdout);
}

/* Print one difference (memlayout_diff()'s callback). */
static int print_diff_item(const struct memlayout_diff_item *it, void *arg)
{
	static const char * const ops[] = {
		[MEMLAYOUT_DIFF_ADDED] = "added",
		[MEMLAYOUT_DIFF_REMOVED] = "removed",
		[MEMLAYOUT_DIFF_CHANGED] = "changed",
		[MEMLAYOUT_DIFF_FIGURE] = "figure",
		[MEMLAYOUT_DIFF_VTL2] = "vtl2",
	};
	struct diff_print *d = arg;
	bool pa, pb;
	char a[96], b[96];

	if (it->op < MEMLAYOUT_DIFF_ADDED || it->op > MEMLAYOUT_DIFF_VTL2)
		return 0;
	if (d->json)
		fprintf(stdout, "%s{\"op\":\"%s\",", d->n ? "," : "", ops[it->op]);
	d->n++;
	switch (it->op) {
	case MEMLAYOUT_DIFF_ADDED:
	case MEMLAYOUT_DIFF_REMOVED: {
		const struct memlayout_map_entry *e = it->a ? it->a : it->b;

		if (d->json) {
			fputs("\"range\":", stdout);
			json_entry(e);
		} else {
			describe_entry(a, sizeof(a), e);
			printf("%s %s %s\n", ops[it->op], kind_name(e->kind), a);
		}
		break;
	}
	case MEMLAYOUT_DIFF_CHANGED:
		if (d->json) {
			fputs("\"old\":", stdout);
			json_entry(it->a);
			fputs(",\"new\":", stdout);
			json_entry(it->b);
		} else {
			describe_entry(a, sizeof(a), it->a);
			describe_entry(b, sizeof(b), it->b);
			printf("changed %s %s -> %s\n", kind_name(it->a->kind),
			       a, b);
		}
		break;
	case MEMLAYOUT_DIFF_FIGURE:
		pa = figure_present(d->a, it->figure);
		pb = figure_present(d->b, it->figure);
		if (d->json) {
			fputs("\"name\":", stdout);
			json_string(stdout, it->figure);
			fputc(',', stdout);
			json_value("old", it->old_value, pa);
			fputc(',', stdout);
			json_value("new", it->new_value, pb);
		} else {
			printf("changed %s ", it->figure);
			human_value(it->old_value, pa);
			fputs(" -> ", stdout);
			human_value(it->new_value, pb);
			putchar('\n');
		}
		break;
	case MEMLAYOUT_DIFF_VTL2:
		pa = snap_vtl2(d->a);
		pb = snap_vtl2(d->b);
		if (d->json) {
			json_vtl2("old", pa, it->old_value, it->old_end);
			fputc(',', stdout);
			json_vtl2("new", pb, it->new_value, it->new_end);
			break;
		}
		if (pa)
			snprintf(a, sizeof(a), "[0x%" PRIx64 ", 0x%" PRIx64 ")",
				 it->old_value, it->old_end);
		if (pb)
			snprintf(b, sizeof(b), "[0x%" PRIx64 ", 0x%" PRIx64 ")",
				 it->new_value, it->new_end);
		printf("changed vtl2 %s -> %s\n", pa ? a : "none",
		       pb ? b : "none");
		break;
	}
	if (d->json)
		fputc('}', stdout);
	return 0;
}

/**
 * run_diff() - "memlayoutctl diff A B"
 * @req: the command line (A, B, --json, the layout options of 'device').
 *
 * Each side is a JSON file, "-" (stdin) or "device": the layout this
 * invocation's options build on the device (or with --offline). Prints
 * each range added, removed or changed, then each figure and VTL2 that
 * changed; with --json one object {"equal":..,"differences":[...]}.
 *
 * Return: 0 when equal, 1 when different, 2 on any error.
 */
static int run_diff(const struct request *req)
{
	struct memlayout_snapshot snaps[2];
	struct memlayout_handle *h = NULL;
	struct diff_print d = { &snaps[0], &snaps[1], req->json, 0 };
	char msg[MSG_LEN];
	struct result res;
	struct failure f;
	int i, ret = 0;

	memset(snaps, 0, sizeof(snaps));
	if (!strcmp(req->args[0], "-") && !strcmp(req->args[1], "-")) {
		fprintf(stderr, PROG ": diff: only one side can be stdin\n");
		return EXIT_DIFF_ERROR;
	}
	for (i = 0; i < 2 && !ret; i++) {
		if (strcmp(req->args[i], "device")) {
			ret = read_layout_json(req->args[i], &snaps[i], msg);
			if (ret)
				fprintf(stderr, PROG ": diff: %s\n", msg);
			continue;
		}
		if (!h)
			h = open_handle(req, &f);
		ret = h ? run_layout(h, req, &res, &f) : -1;
		if (ret) {
			print_failure(&f, false, 0);
			if (h)
				result_free(&res);
			continue;
		}
		snaps[i] = res.snap;
		memset(&res.snap, 0, sizeof(res.snap));
		result_free(&res);
	}
	memlayout_close(h);
	if (ret) {
		memlayout_snapshot_free(&snaps[0]);
		memlayout_snapshot_free(&snaps[1]);
		return EXIT_DIFF_ERROR;
	}
	if (req->json)
		fputs("{\"differences\":[", stdout);
	memlayout_diff(&snaps[0], &snaps[1], print_diff_item, &d);
	if (req->json)
		printf("],\"equal\":%s}\n", d.n ? "false" : "true");
	memlayout_snapshot_free(&snaps[0]);
	memlayout_snapshot_free(&snaps[1]);
	return d.n ? 1 : 0;
}

static void help(void)
{
	fputs(
"Usage: " PROG " [--device PATH | --offline [--max-ranges N]] [--json | --output COLS]\n"
"                    RAM [HOLES] [--vtl2 RANGE] [--probe ADDR]... [--view]\n"
"       " PROG " [--device PATH | --offline [--max-ranges N]] [--json]\n"
"                    --dry-run RAM [HOLES] [--vtl2 RANGE]\n"
"       " PROG " [...] RAM [HOLES] (--e820[=legacy] | --srat | --fdt FILE) [--json]\n"
"       " PROG " [--device PATH | --offline [--max-ranges N]] [--json | --output COLS]\n"
"                    [--dry-run] PLACEMENT... [--probe ADDR]...\n"
"       " PROG " [...] RAM [HOLES] --view-info [--view-size SIZE] [--json]\n"
"       " PROG " --batch [--device PATH | --offline [--max-ranges N]]\n"
"                    [--view [--view-size SIZE]] < lines\n"
"       " PROG " diff [--json] A B [--device PATH | --offline] [RAM [HOLES]...]\n"
"       " PROG " [--device PATH | --offline] [--json] --check-host\n"
"                    [--device BDF]... [--vfio PATH]... RAM [HOLES] [--vtl2 RANGE]\n"
"       " PROG " [--device PATH | --offline] [--json] --check-kvm\n"
"                    [--memslot [AS:]RANGE[:ro]]... RAM [HOLES] [--vtl2 RANGE]\n"
"\n"
"Build a guest-physical memory layout with /dev/memlayout (or offline, with\n"
"libmemlayout's engine) and print it.\n"
"\n"
"RAM, exactly one kind:\n"
"  --ram-size SIZE             SIZE bytes placed upward from 0 around the holes\n"
"  --node-size SIZE...         one per NUMA node, node 0 first (repeatable)\n"
"  --ram RANGE[:NODE]...       explicit RAM ranges (NODE defaults to 0);\n"
"                              '--ram none' asks for no RAM at all\n"
"HOLES (each repeatable, sorted):\n"
"  --mmio RANGE  --pci-ecam RANGE  --pci-mmio RANGE\n"
"PLACEMENT (SPEC C4: the module places every range; excludes RAM and HOLES):\n"
"  --reserve TAG:RANGE              kept free, not part of the layout\n"
"  --fixed TAG:KIND:RANGE           a hole pinned at RANGE\n"
"  --mmio32 TAG:KIND:SIZE[/ALIGN]   a hole placed top down below 4 GiB\n"
"  --ram-request TAG:SIZE[/ALIGN]   one NUMA node's RAM, one per node in node\n"
"                                   order; SIZE 0 is a memory-less node\n"
"  --mmio64 TAG:KIND:SIZE[/ALIGN]   a hole placed above RAM and 4 GiB\n"
"  --post-mmio TAG:KIND:SIZE[/ALIGN] a hole placed above everything else;\n"
"                                   KIND vtl2 (at most once): the VTL2 range\n"
"  KIND is mmio, pci_ecam or pci_mmio; ALIGN defaults to 4K; each repeatable,\n"
"  in order. The map adds a TAG column; --json adds \"placements\".\n"
"Other:\n"
"  --vtl2 RANGE         the VTL2 range (above all RAM)\n"
"  --probe ADDR         report what backs ADDR and the range covering it\n"
"                       (repeatable)\n"
"  --dry-run            only check the layout (MEMLAYOUT_SET_DRY_RUN): print\n"
"                       'valid (dry run)' and its fingerprint, publish nothing;\n"
"                       not with --probe, --output, a firmware map or diff\n"
"  --device PATH        default " DEFAULT_DEVICE "\n"
"  --offline            no device: libmemlayout's offline engine, same output\n"
"  --max-ranges N       the offline engine's R8 limit (default 4096)\n"
"  --json               one line of JSON instead of the map\n"
"  --output COLS        the map's columns, comma separated, from RANGE, START,\n"
"                       END, SIZE, KIND, NODE, INDEX, TAG (default\n"
"                       RANGE,KIND,SIZE,NODE, and TAG for a placement)\n"
"  --e820[=legacy]      print the x86 e820 table (legacy: BIOS carve-out < 1 MiB)\n"
"  --srat               print the ACPI SRAT's memory affinity structures\n"
"  --fdt FILE           write a device tree with /memory@ nodes to FILE, print them\n"
"  --view               answer the probes through the shared view (mmap, no\n"
"                       system call; SPEC V1); the ioctl when the layout is\n"
"                       too large for the view (\"probes via\" says which)\n"
"  --view-size SIZE     the view's size (default: room for the largest layout)\n"
"  --view-info          print the shared view's header instead of the map\n"
"  --check-host         check the layout against this host (SPEC H1-H3): the\n"
"                       CPU's physical address width, and for each device\n"
"                       named its IOMMU aperture and reserved regions; prints\n"
"                       every conflict (--json: \"host_fit\") instead of the map\n"
"  --device BDF         with --check-host: a PCI device, SSSS:BB:DD.F or\n"
"                       BB:DD.F (any other --device value is the device file)\n"
"  --vfio PATH          with --check-host: a VFIO group or device file\n"
"  --check-kvm          check the layout against KVM memslots (SPEC H4): a\n"
"                       throwaway VM (/dev/kvm) holding the --memslot ones;\n"
"                       with --offline those memslots as given, no VM; prints\n"
"                       every finding (--json: \"kvm_audit\") instead of the map.\n"
"                       A VMM calls memlayout_check_kvm() on its own VM instead\n"
"  --memslot [AS:]RANGE[:ro]  with --check-kvm: memslot N (the Nth --memslot,\n"
"                       from 0) in address space AS (default 0), read-only with\n"
"                       :ro (repeatable)\n"
"  --batch              read one set of layout options per stdin line (a '#'\n"
"                       starting a word begins a comment; blank lines skipped),\n"
"                       write one JSON line per line, with its \"line\" number;\n"
"                       a line may hold --dry-run\n"
"  -h, --help           this text\n"
"diff A B: compare two layouts, each a file of " PROG " --json output, '-'\n"
"  (stdin) or 'device' (the layout the options build); prints each range\n"
"  added, removed or changed and each figure changed.\n"
"\n"
"RANGE is START-END, half-open [START, END), or START+SIZE. Numbers are\n"
"decimal or 0x-hex with an optional binary suffix K/M/G/T/P/E or\n"
"KiB/MiB/GiB/TiB/PiB/EiB. The map prints INCLUSIVE ends, like /proc/iomem:\n"
"0x0-0x3fffffff is [0, 1 GiB). JSON uses exclusive ends.\n"
"\n"
"Exit status: 0 success, 1 layout rejected or device error, 2 usage error.\n"
"In --batch mode: 2 if any line had a usage error, else 1 if any line failed.\n"
"diff: 0 equal, 1 different, 2 error.\n"
"--check-host: 0 the layout fits, 3 conflicts, 1 or 2 as above.\n"
"--check-kvm: 0 the memslots match the layout, 3 findings, 1 or 2 as above.\n",
	      stdout);
}

int main(int argc, char **argv)
{
	struct memlayout_handle *h;
	struct request req;
	struct failure f;
	char msg[MSG_LEN];
	int ret;

	if (parse_args(argc, argv, &req, false, msg)) {
		fprintf(stderr, PROG ": %s\nTry '" PROG " --help'.\n", msg);
		request_free(&req);
		return EXIT_USAGE;
	}
	if (req.help) {
		help();
		ret = EXIT_OK;
	} else if (req.diff) {
		ret = run_diff(&req);
	} else if (req.batch) {
		ret = run_batch(&req);
	} else {
		bool json = req.json;

		struct memlayout_view_map *vm = NULL;

		h = open_handle(&req, &f);
		if (h && open_host_devices(&req, &f)) {
			memlayout_close(h);
			h = NULL;
		}
		if (!h) {
			print_failure(&f, json, 0);
			ret = EXIT_FAIL;
		} else if (open_view(h, &req, &vm, &f)) {
			print_failure(&f, json, 0);
			ret = EXIT_FAIL;
			memlayout_close(h);
		} else {
			req.vm = vm;
			ret = run_one(h, &req, json, 0);
			memlayout_view_close(vm);
			memlayout_close(h);
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
