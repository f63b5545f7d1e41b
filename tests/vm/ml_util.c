// SPDX-License-Identifier: GPL-2.0
/*
 * ml_util.c - ioctl wrappers, comparisons and state snapshots shared by
 * the guest test programs (see ml_test.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ml_test.h"

/* Set to stop diag() output (a loop that already reported enough). */
int diag_muted;

/* One "# " comment line on stdout, printed at once. */
static void vcomment(const char *fmt, va_list ap)
{
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

/**
 * diag() - a "# " diagnostic line on stdout, printed at once
 * @fmt: printf format.
 *
 * Checks call it only when something differs, so it explains a failed
 * EXPECT of the harness; the harness runs each TEST in its own process,
 * so diag_muted is per TEST.
 */
void diag(const char *fmt, ...)
{
	va_list ap;

	if (diag_muted)
		return;
	va_start(ap, fmt);
	vcomment(fmt, ap);
	va_end(ap);
}

/**
 * note() - a "# " comment line on stdout (figures worth keeping in the log)
 * @fmt: printf format.
 */
void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomment(fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

const char *errname(int e)
{
	static char buf[32];

	if (e < 0)
		e = -e;
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case E2BIG: return "E2BIG";
	case EEXIST: return "EEXIST";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOENT: return "ENOENT";
	case ENOTTY: return "ENOTTY";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOSPC: return "ENOSPC";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

const char *kindname(uint32_t k)
{
	static const char *const n[] = { "none", "ram", "mmio", "pci_ecam", "pci_mmio" };

	return k < ARRAY_SIZE(n) ? n[k] : "BAD-KIND";
}

const char *listname(uint32_t l)
{
	static const char *const n[] = { "none", "ram", "mmio", "pci_ecam",
					 "pci_mmio", "vtl2", "nodes", "place" };

	return l < ARRAY_SIZE(n) ? n[l] : "BAD-LIST";
}

const char *rulename(uint32_t r)
{
	static const char *const n[] = { "NONE", "R1 BAD_SIZE", "R2 BAD_RANGE",
					 "R3 BAD_ORDER", "R4 OVERLAP", "R5 NO_RAM",
					 "R6 TOO_LARGE", "R7 VTL2_BELOW_RAM",
					 "R8 TOO_MANY", "P1 PLACE_SIZE",
					 "P2 PLACE_ALIGN", "P3 PINNED_OVERLAP",
					 "P4 EXHAUSTED" };

	if (r < ARRAY_SIZE(n))
		return n[r];
	if (r == MEMLAYOUT_REASON_FLAGS)
		return "REASON_FLAGS";
	if (r == MEMLAYOUT_REASON_RESERVED)
		return "REASON_RESERVED";
	return "BAD-RULE";
}

/* ioctl, returning 0 or -errno. */
int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

bool eq64(const char *what, uint64_t got, uint64_t exp)
{
	if (got == exp)
		return true;
	diag("%s: expected %#" PRIx64 ", got %#" PRIx64, what, exp, got);
	return false;
}

bool eqerr(const char *what, int got, int exp)
{
	if (got == exp)
		return true;
	diag("%s: expected %s, got %s", what, errname(exp), errname(got));
	return false;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int open_dev(void)
{
	int fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		diag("cannot open %s: %s", DEV_PATH, strerror(errno));
		exit(1);	/* KSFT_FAIL: 2 would read as XFAIL */
	}
	return fd;
}

/**
 * open_ex5() - a new file holding the SPEC's example 5, checked against
 * the model
 * @gen: out: the generation SET_LAYOUT returned.
 *
 * The starting point of most TESTs: a request that must leave it as it is
 * can then be checked with snap_same().
 *
 * Return: the file descriptor, or -1 (with a diagnostic) when ex5 could
 * not be installed or does not read back as the model says.
 */
int open_ex5(uint64_t *gen)
{
	int fd = open_dev();

	if (set_lay(fd, &ex5, gen) || !check_model(fd, &ex5, *gen)) {
		diag("cannot install ex5");
		close(fd);
		return -1;
	}
	return fd;
}

/* xorshift64*: the same sequence on 32- and 64-bit builds. */
uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Uniform-ish in [0, n) (n > 0). */
uint64_t rndn(uint64_t n)
{
	return rnd() % n;
}

/* Read a decimal number from a sysfs/debugfs file; -1 on error. */
long long read_num(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* Write a string to a sysfs file; 0 or -errno. */
int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

static long long orig_max_ranges = -1;

static void restore_max_ranges(void)
{
	char buf[32];

	if (orig_max_ranges > 0) {
		snprintf(buf, sizeof(buf), "%lld", orig_max_ranges);
		write_str(PARAM_PATH, buf);
	}
}

int set_max_ranges(long long v)
{
	char buf[32];

	if (orig_max_ranges < 0) {
		orig_max_ranges = read_num(PARAM_PATH);
		atexit(restore_max_ranges);
	}
	snprintf(buf, sizeof(buf), "%lld", v);
	return write_str(PARAM_PATH, buf);
}

/* Three pages: [0] read-write, [1] PROT_NONE, [2] read-only. */
unsigned char *pages;

void setup_pages(void)
{
	pages = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED) {
		diag("mmap: %s", strerror(errno));
		exit(1);	/* KSFT_FAIL: 2 would read as XFAIL */
	}
	memset(pages, 0, 3 * PG);
	mprotect(pages + PG, PG, PROT_NONE);
	mprotect(pages + 2 * PG, PG, PROT_READ);
}


/* Write into the read-only page (temporarily writable). */
void *ro_copy(const void *src, size_t len)
{
	mprotect(PAGE_RO, PG, PROT_READ | PROT_WRITE);
	memset(PAGE_RO, 0, PG);
	memcpy(PAGE_RO, src, len);
	mprotect(PAGE_RO, PG, PROT_READ);
	return PAGE_RO;
}

/* ------------------------------------------------------------------ */
/* ioctl wrappers                                                       */
/* ------------------------------------------------------------------ */

int do_set(int fd, struct memlayout_set *s)
{
	return xioctl(fd, MEMLAYOUT_IOC_SET_LAYOUT, s);
}

int set_lay(int fd, const struct lay *l, uint64_t *gen)
{
	struct memlayout_set s = mkset(l);
	int r = do_set(fd, &s);

	if (gen)
		*gen = r ? 0 : s.generation;
	if (r)
		diag("SET_LAYOUT failed: %s (reason %s list %s index %u other %s/%u)",
		     errname(r), rulename(s.reason.rule), listname(s.reason.list),
		     s.reason.index, listname(s.reason.other_list),
		     s.reason.other_index);
	return r;
}

int get_stats(int fd, struct memlayout_stats *st)
{
	memset(st, 0xA5, sizeof(*st));	/* every output field must be written */
	st->size = sizeof(*st);
	st->flags = 0;
	return xioctl(fd, MEMLAYOUT_IOC_GET_STATS, st);
}

int get_ranges(int fd, uint32_t list, mr_t *buf, uint32_t cap,
		      uint32_t *count, uint64_t *gen)
{
	struct memlayout_get_ranges g;
	int r;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = list;
	g.count = cap;
	g.ranges_ptr = cap ? U64P(buf) : 0;
	g.generation = 0xDEADBEEF;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	if (count)
		*count = g.count;
	if (gen)
		*gen = g.generation;
	return r;
}

int probe_ranges(int fd, const uint64_t *addrs, uint32_t *kinds,
		 struct memlayout_probe_range *ranges, uint32_t n, uint64_t *gen)
{
	struct memlayout_probe p;
	int r;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.count = n;
	p.addrs_ptr = n ? U64P(addrs) : 0;
	p.kinds_ptr = n ? U64P(kinds) : 0;
	p.ranges_ptr = U64P(ranges);
	r = xioctl(fd, MEMLAYOUT_IOC_PROBE, &p);
	if (gen)
		*gen = p.generation;
	return r;
}

int probe(int fd, const uint64_t *addrs, uint32_t *kinds, uint32_t n,
		 uint64_t *gen)
{
	return probe_ranges(fd, addrs, kinds, NULL, n, gen);
}

/* GET_LAYOUT into @buf (capacity @cap); @st may be NULL (no stats_ptr). */
int get_layout(int fd, struct memlayout_map_entry *buf, uint32_t cap, uint32_t *count,
	       struct memlayout_stats *st, uint64_t *gen, uint8_t *fp)
{
	struct memlayout_get_layout g;
	int r;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.count = cap;
	g.entries_ptr = cap ? U64P(buf) : 0;
	if (st) {
		memset(st, 0, sizeof(*st));
		st->size = sizeof(*st);
		g.stats_ptr = U64P(st);
	}
	r = xioctl(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g);
	if (count)
		*count = g.count;
	if (gen)
		*gen = g.generation;
	if (fp)
		memcpy(fp, g.fingerprint, sizeof(g.fingerprint));
	return r;
}

/**
 * get_placements() - MEMLAYOUT_IOC_GET_PLACEMENTS into @buf
 * @fd: the file.
 * @buf: room for @cap entries (unused when @cap is 0: the size query).
 * @cap: the capacity passed as count.
 * @count: out: the count the kernel wrote back (may be NULL).
 * @gen: out: the generation it wrote back (may be NULL).
 *
 * Return: 0 or -errno.
 */
int get_placements(int fd, struct memlayout_placed *buf, uint32_t cap, uint32_t *count,
		   uint64_t *gen)
{
	struct memlayout_get_placements g;
	int r;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.count = cap;
	g.entries_ptr = cap ? U64P(buf) : 0;
	g.generation = 0xDEADBEEF;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g);
	if (count)
		*count = g.count;
	if (gen)
		*gen = g.generation;
	return r;
}

const char *fphex(const uint8_t *fp)
{
	static char buf[4][2 * MEMLAYOUT_FINGERPRINT_SIZE + 1];
	static int next;
	char *b = buf[next = (next + 1) % 4];
	int i;

	for (i = 0; i < MEMLAYOUT_FINGERPRINT_SIZE; i++)
		sprintf(b + 2 * i, "%02x", fp[i]);
	return b;
}

/* ------------------------------------------------------------------ */
/* Comparisons against expectations                                    */
/* ------------------------------------------------------------------ */


bool stats_equal(const struct memlayout_stats *got,
			const struct memlayout_stats *exp)
{
	bool ok = true;

#define CMP(f) ok &= eq64("stats." #f, (uint64_t)got->f, (uint64_t)exp->f);
	STAT_FIELDS(CMP)
#undef CMP
	return ok;
}

/* GET_STATS equals @exp (with @exp->generation). */
bool check_stats(int fd, const struct memlayout_stats *exp)
{
	struct memlayout_stats st;
	int r = get_stats(fd, &st);

	if (!eqerr("GET_STATS", r, 0))
		return false;
	return stats_equal(&st, exp) & eq64("stats.size", st.size, sizeof(st)) &
	       eq64("stats.flags", st.flags, 0);
}

/* GET_RANGES(@list) returns exactly @exp[0..n) with generation @gen. */
bool check_list(int fd, uint32_t list, const mr_t *exp, uint32_t n,
		       uint64_t gen)
{
	mr_t buf[MODEL_MAX + 2];
	uint32_t count, i, cap = n + 2;
	uint64_t g;
	bool ok = true;
	char what[64];
	int r;

	memset(buf, 0x5A, sizeof(buf));
	r = get_ranges(fd, list, buf, cap, &count, &g);
	snprintf(what, sizeof(what), "GET_RANGES(%s)", listname(list));
	if (!eqerr(what, r, 0))
		return false;
	ok &= eq64("count", count, n);
	ok &= eq64("generation", g, gen);
	for (i = 0; i < n && i < count; i++) {
		if (buf[i].start != exp[i].start || buf[i].end != exp[i].end ||
		    buf[i].vnode != exp[i].vnode || buf[i].reserved) {
			diag("%s[%u]: expected [%#" PRIx64 ",%#" PRIx64 ") vnode %u, got [%#"
			     PRIx64 ",%#" PRIx64 ") vnode %u reserved %u", listname(list), i,
			     (uint64_t)exp[i].start, (uint64_t)exp[i].end, exp[i].vnode,
			     (uint64_t)buf[i].start, (uint64_t)buf[i].end, buf[i].vnode,
			     buf[i].reserved);
			ok = false;
		}
	}
	/* Nothing written past the list. */
	for (i = count; i < cap; i++) {
		const unsigned char *p = (const unsigned char *)&buf[i];
		size_t j;

		for (j = 0; j < sizeof(buf[i]); j++)
			if (p[j] != 0x5A) {
				diag("%s: entry %u past the count was written", what, i);
				ok = false;
				break;
			}
	}
	return ok;
}


/* One batch PROBE of @n addresses answers @pk[i].k each. */
bool check_probes(int fd, const struct pk *pk, uint32_t n, uint64_t gen)
{
	uint64_t a[256];
	uint32_t k[257], i;
	uint64_t g;
	bool ok = true;
	int r;

	for (i = 0; i < n; i++)
		a[i] = pk[i].a;
	k[n] = 0x77777777;
	r = probe(fd, a, k, n, &g);
	if (!eqerr("PROBE", r, 0))
		return false;
	ok &= eq64("probe generation", g, gen);
	for (i = 0; i < n; i++)
		if (k[i] != pk[i].k) {
			diag("probe %#" PRIx64 ": expected %s, got %s (%u)", pk[i].a,
			     kindname(pk[i].k), kindname(k[i]), k[i]);
			ok = false;
		}
	if (k[n] != 0x77777777) {
		diag("PROBE wrote past the kinds array");
		ok = false;
	}
	return ok;
}

/* Everything the fd answers equals the model of @l: stats, lists, probes. */
/*
 * The commands of issue 8 against the model: F1 (GET_STATS' and
 * GET_LAYOUT's fingerprint equal the model's own SHA-256 of the documented
 * encoding), GET_LAYOUT's entries and figures, and PROBE's covering
 * ranges at the model's edges.
 */
static bool check_model_v2(int fd, const struct model *m, const uint64_t *a,
			   uint32_t n, uint64_t gen)
{
	static struct memlayout_map_entry e[MODEL_MAX + 1];
	static struct memlayout_probe_range pr[6 * MODEL_MAX + 32];
	static uint32_t k[6 * MODEL_MAX + 32];
	struct memlayout_stats st, gst;
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];
	uint32_t count, i;
	uint64_t g;
	bool ok = true;
	int r;

	r = get_stats(fd, &gst);
	ok &= eqerr("GET_STATS", r, 0);
	if (memcmp(gst.fingerprint, m->fp, sizeof(m->fp))) {
		diag("F1: GET_STATS fingerprint %s, model %s", fphex(gst.fingerprint),
		     fphex(m->fp));
		ok = false;
	}
	memset(e, 0xee, sizeof(e));
	r = get_layout(fd, e, MODEL_MAX + 1, &count, &st, &g, fp);
	if (!eqerr("GET_LAYOUT", r, 0))
		return false;
	ok &= eq64("GET_LAYOUT count", count, m->n);
	ok &= eq64("GET_LAYOUT generation", g, gen);
	ok &= eq64("GET_LAYOUT stats generation", st.generation, gen);
	if (memcmp(fp, m->fp, sizeof(fp))) {
		diag("F1: GET_LAYOUT fingerprint %s, model %s", fphex(fp), fphex(m->fp));
		ok = false;
	}
	ok &= stats_equal(&st, &m->st);
	for (i = 0; i < m->n && i < count; i++)
		if (e[i].start != m->e[i].start || e[i].end != m->e[i].end ||
		    e[i].vnode != m->e[i].vnode || e[i].kind != m->e[i].kind) {
			diag("GET_LAYOUT entry %u: [%#" PRIx64 ", %#" PRIx64 ") vnode %u %s, model [%#"
			     PRIx64 ", %#" PRIx64 ") vnode %u %s", i, (uint64_t)e[i].start,
			     (uint64_t)e[i].end, e[i].vnode, kindname(e[i].kind), m->e[i].start,
			     m->e[i].end, m->e[i].vnode, kindname(m->e[i].kind));
			ok = false;
			break;
		}
	ok &= eq64("GET_LAYOUT wrote past count", e[count].kind, 0xeeeeeeee);

	r = probe_ranges(fd, a, k, pr, n, &g);
	if (!eqerr("PROBE ranges", r, 0))
		return false;
	for (i = 0; i < n; i++) {
		struct memlayout_probe_range want = model_covering(m, a[i]);

		if (k[i] != model_probe(m, a[i]) || memcmp(&pr[i], &want, sizeof(want))) {
			diag("probe %#" PRIx64 ": %s [%#" PRIx64 ", %#" PRIx64 ") vnode %u index %u, model %s [%#"
			     PRIx64 ", %#" PRIx64 ") vnode %u index %u", a[i], kindname(k[i]),
			     (uint64_t)pr[i].start, (uint64_t)pr[i].end, pr[i].vnode, pr[i].index,
			     kindname(model_probe(m, a[i])), (uint64_t)want.start,
			     (uint64_t)want.end, want.vnode, want.index);
			ok = false;
			break;
		}
	}
	return ok;
}

bool check_model(int fd, const struct lay *l, uint64_t gen)
{
	static struct model m;
	static mr_t exp[MODEL_MAX];
	static uint64_t a[6 * MODEL_MAX + 32];
	static uint32_t k[6 * MODEL_MAX + 32];
	uint32_t list, n, i;
	uint64_t g;
	bool ok = true;
	int r;

	model_build(l, &m);
	m.st.generation = gen;
	ok &= check_stats(fd, &m.st);
	for (list = L_RAM; list <= L_VTL2; list++) {
		n = model_list(&m, list, exp);
		ok &= check_list(fd, list, exp, n, gen);
	}
	n = model_edges(&m, a, ARRAY_SIZE(a));
	r = probe(fd, a, k, n, &g);
	if (!eqerr("PROBE edges", r, 0))
		return false;
	ok &= eq64("probe generation", g, gen);
	for (i = 0; i < n; i++)
		if (k[i] != model_probe(&m, a[i])) {
			diag("probe %#" PRIx64 ": expected %s, got %s", a[i],
			     kindname(model_probe(&m, a[i])), kindname(k[i]));
			ok = false;
		}
	ok &= check_model_v2(fd, &m, a, n, gen);
	return ok;
}

/* ------------------------------------------------------------------ */
/* State snapshots: a rejected request must leave everything as it was */
/* ------------------------------------------------------------------ */


static uint64_t snap_addrs[SNAP_N];

void take_snap(int fd, struct snap *s)
{
	uint32_t i;

	if (!snap_addrs[1])
		for (i = 0; i < SNAP_N; i++)
			snap_addrs[i] = i < SNAP_N - 2 ? i * 256 * MiB : (i == SNAP_N - 2 ? MAXA - 1 : ~0ULL);
	memset(s, 0, sizeof(*s));
	s->stats_err = get_stats(fd, &s->st);
	if (s->stats_err)
		memset(&s->st, 0, sizeof(s->st));
	s->probe_err = probe(fd, snap_addrs, s->kinds, SNAP_N, &s->probe_gen);
	if (s->probe_err) {
		memset(s->kinds, 0, sizeof(s->kinds));
		s->probe_gen = 0;
	}
}

bool snap_same(int fd, const struct snap *before)
{
	struct snap after;
	bool ok = true;
	uint32_t i;

	take_snap(fd, &after);
	if (after.stats_err != before->stats_err) {
		diag("layout changed: GET_STATS %s before, %s after",
		     errname(before->stats_err), errname(after.stats_err));
		return false;
	}
	if (memcmp(&after.st, &before->st, sizeof(after.st))) {
		diag("layout changed: stats differ (generation %" PRIu64 " -> %" PRIu64 ")",
		     (uint64_t)before->st.generation, (uint64_t)after.st.generation);
		stats_equal(&after.st, &before->st);
		ok = false;
	}
	if (after.probe_err != before->probe_err || after.probe_gen != before->probe_gen) {
		diag("layout changed: PROBE %s gen %" PRIu64 " before, %s gen %" PRIu64 " after",
		     errname(before->probe_err), before->probe_gen,
		     errname(after.probe_err), after.probe_gen);
		ok = false;
	}
	for (i = 0; i < SNAP_N; i++)
		if (after.kinds[i] != before->kinds[i]) {
			diag("layout changed: probe %#" PRIx64 " %s -> %s", snap_addrs[i],
			     kindname(before->kinds[i]), kindname(after.kinds[i]));
			ok = false;
		}
	return ok;
}

/* @cmd on @arg must fail with @err (@what names it) and leave the layout. */
static bool fails_intact(int fd, unsigned long cmd, void *arg, int err, const char *what)
{
	struct snap before;
	bool ok;

	take_snap(fd, &before);
	ok = eqerr(what, xioctl(fd, cmd, arg), err);
	ok &= snap_same(fd, &before);
	return ok;
}

/**
 * rej_reason() - SET_LAYOUT @s must fail with @err and exactly the reason
 * @w, and leave the fd's layout intact
 * @fd: the file.
 * @s: the request; its reason is overwritten first (output only).
 * @err: the negative errno expected.
 * @w: the whole struct memlayout_reason expected: a SPEC rule names
 *     list/index (and other_list/other_index for R4 and R7) with field 0;
 *     a MEMLAYOUT_REASON_* names the member by its byte offset in field
 *     (UAPI: struct memlayout_reason.field); an errno without a rule has
 *     an all-zero reason.
 * @what: the check, for the log.
 *
 * Return: true when all of it holds.
 */
bool rej_reason(int fd, struct memlayout_set *s, int err,
		const struct memlayout_reason *w, const char *what)
{
	const struct memlayout_reason *got = &s->reason;
	bool ok;

	memset(&s->reason, 0xEE, sizeof(s->reason));	/* output only: must be overwritten */
	ok = fails_intact(fd, MEMLAYOUT_IOC_SET_LAYOUT, s, err, "SET_LAYOUT");
	if (memcmp(got, w, sizeof(*w))) {
		diag("reason: expected %s list %s index %u other %s/%u field %u, got %s list %s index %u other %s/%u field %u",
		     rulename(w->rule), listname(w->list), w->index, listname(w->other_list),
		     w->other_index, w->field, rulename(got->rule), listname(got->list),
		     got->index, listname(got->other_list), got->other_index, got->field);
		ok = false;
	}
	if (!ok)
		diag("failed: %s -> %s %s %s/%u", what, errname(err), rulename(w->rule),
		     listname(w->list), w->index);
	return ok;
}

/* A raw ioctl must fail with @err and leave the fd's layout intact. */
bool raw_rej(int fd, unsigned long cmd, void *arg, int err,
	     const char *fmt, ...)
{
	char desc[256];
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	ok = fails_intact(fd, cmd, arg, err, "ioctl");
	if (!ok)
		diag("failed: %s -> %s, layout intact", desc, errname(err));
	return ok;
}

long long base_live = -1, base_open = -1;

bool debugfs_ok(void)
{
	return access(DEBUGFS_DIR "live_layouts", R_OK) == 0;
}

/* Poll a debugfs counter until it equals @want (up to @secs). */
long long wait_counter(const char *name, long long want, double secs,
			      double *took)
{
	char path[128];
	double t0 = now_s();
	long long v;

	snprintf(path, sizeof(path), DEBUGFS_DIR "%s", name);
	for (;;) {
		v = read_num(path);
		if (v == want || now_s() - t0 > secs)
			break;
		usleep(10000);
	}
	if (took)
		*took = now_s() - t0;
	return v;
}
/* Read /proc/self/fdinfo/<fd> from its "generation:"/"layout:" line on. */
bool read_fdinfo(int fd, char *out, size_t len)
{
	char path[64], buf[65536], *p;
	ssize_t n, total = 0;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0) {
		diag("open %s: %s", path, strerror(errno));
		return false;
	}
	while ((n = read(f, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	close(f);
	buf[total] = '\0';
	p = strstr(buf, "\ngeneration:\t");
	if (!p)
		p = strstr(buf, "\nlayout:\t");
	if (!p) {
		diag("no generation:/layout: line in %s:", path);
		diag("%s", buf);
		return false;
	}
	snprintf(out, len, "%s", p + 1);
	return true;
}

/* The kernel's %#llx prints 0 as "0x0". */
const char *kx(uint64_t v)
{
	static char bufs[8][24];
	static unsigned int i;
	char *b = bufs[i++ % 8];

	snprintf(b, 24, "0x%" PRIx64, v);
	return b;
}

/*
 * What memlayout_show_fdinfo() prints for the model of @l: a bounded
 * summary (generation, the count of each list, VTL2, the SPEC Q2-Q8
 * figures), never the ranges themselves.
 */
void fdinfo_expect(const struct lay *l, uint64_t gen, char *out, size_t len)
{
	static struct model m;
	const struct memlayout_stats *st = &m.st;
	size_t o = 0;

#define OUT(...) do { o += (size_t)snprintf(out + o, len - o, __VA_ARGS__); } while (0)
	model_build(l, &m);
	OUT("generation:\t%" PRIu64 "\n", gen);
	OUT("fingerprint:\t%s\n", fphex(m.fp));
	OUT("ranges:\tram %u mmio %u pci_ecam %u pci_mmio %u\n", st->nr_ram, st->nr_mmio,
	    st->nr_pci_ecam, st->nr_pci_mmio);
	if (m.has_vtl2)
		OUT("vtl2:\t%s-%s\tlength %s\n", kx(m.vtl2.start), kx(m.vtl2.end),
		    kx(m.vtl2.end - m.vtl2.start));
	OUT("ram_size:\t%s\n", kx(st->ram_size));
	OUT("end_of_ram:\t%s\n", kx(st->end_of_ram));
	OUT("ram_below_4gb:\t%s\n", kx(st->ram_below_4gb));
	OUT("ram_above_4gb:\t%s\n", kx(st->ram_above_4gb));
	if (st->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB)
		OUT("max_ram_below_4gb:\t%s\n", kx(st->max_ram_below_4gb));
	if (st->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO)
		OUT("ram_above_high_mmio:\t%s\n", kx(st->ram_above_high_mmio));
	OUT("end_of_layout:\t%s\n", kx(st->end_of_layout));
#undef OUT
}

bool check_fdinfo(int fd, const struct lay *l, uint64_t gen)
{
	static char got[65536], exp[65536];

	if (!read_fdinfo(fd, got, sizeof(got)))
		return false;
	if (l)
		fdinfo_expect(l, gen, exp, sizeof(exp));
	else
		snprintf(exp, sizeof(exp), "layout:\tnone\n");
	if (strcmp(got, exp)) {
		char *line, *save = NULL;

		diag("fdinfo expected:");
		for (line = strtok_r(exp, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			diag("  %s", line);
		diag("fdinfo got:");
		save = NULL;
		for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			diag("  %s", line);
		return false;
	}
	return true;
}
