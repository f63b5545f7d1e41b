// SPDX-License-Identifier: GPL-2.0
/*
 * view_test - the shared view (SPEC V1-V3) through the real module (see
 * ml_test.h), read with libmemlayout's reader: memlayout_view_open(),
 * memlayout_view_probe() and memlayout_view_probe_batch() are the one
 * implementation of the sequence counter protocol (lib/view.c), so every
 * answer checked here went through it.
 *
 * V1: the view's header, starts and records equal GET_LAYOUT and GET_STATS
 * of the same generation, and its answers equal PROBE's.
 * V2: a writer replaces the layout thousands of times while readers probe
 * the view: two threads of the writer's process, a process that holds the
 * fd by fork() (through the inherited mapping and one of its own) and a
 * process that got the fd by SCM_RIGHTS and mapped it itself. Every answer
 * must be the layout of the generation it reports, never a mix.
 * V3: writable, executable, private, offset and oversized mappings are
 * refused, mprotect() cannot add write or execute, mremap() cannot grow
 * it, and a layout too large for the view is flagged (-E2BIG from the
 * library). Also: munmap() while SET_LAYOUT runs, the file closed while
 * mapped, a file without a layout, and the first mmap() fixing the size.
 *
 * libmemlayout has no call that wraps a descriptor received by SCM_RIGHTS
 * in a handle: the receiver opens a handle and dup2()s the received file
 * onto memlayout_fd() of it (the handle then is that file).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmemlayout.h>
#include "kselftest_harness.h"
#include "ml_test.h"

#define VIEW_HDR	((size_t)sizeof(struct memlayout_view))

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static uint32_t ld32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* A library handle on a new open of the device (its own file). */
static struct memlayout_handle *vopen(void)
{
	struct memlayout_handle *h = memlayout_open(NULL);

	if (!h) {
		diag("memlayout_open: %s", strerror(errno));
		exit(1);	/* KSFT_FAIL: 2 would read as XFAIL */
	}
	return h;
}

/* mmap() of the view: 0 or -errno; *@out the mapping. */
static int vmap(int fd, size_t len, int prot, int flags, off_t off, void **out)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	*out = p == MAP_FAILED ? NULL : p;
	return p == MAP_FAILED ? -errno : 0;
}

/*
 * A copy of the header while no writer is inside (callers have no SET
 * running): @seq even and the same before and after the copy.
 */
static bool quiet_header(const struct memlayout_view *v, struct memlayout_view *out)
{
	uint32_t s1 = ld32(&v->seq), s2;

	memcpy(out, v, sizeof(*out));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	s2 = ld32(&v->seq);
	if (s1 != s2 || (s1 & 1)) {
		diag("view seq %u then %u with no writer running", s1, s2);
		return false;
	}
	return true;
}

/* Addresses worth probing in @e[0..n): every edge of every entry. */
static uint32_t entry_edges(const struct memlayout_map_entry *e, uint32_t n,
			    uint64_t *a, uint32_t max)
{
	static const uint64_t fixed[] = { 0, 1, PG, G4 - 1, G4, MAXA - 1, MAXA, ~0ULL };
	uint32_t i, k = 0;

#define ADD(x) do { if (k < max) a[k++] = (x); } while (0)
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		ADD(fixed[i]);
	for (i = 0; i < n; i++) {
		if (e[i].start)
			ADD(e[i].start - 1);
		ADD(e[i].start);
		ADD(e[i].start + (e[i].end - e[i].start) / 2);
		ADD(e[i].end - 1);
		ADD(e[i].end);
	}
	for (i = 0; i < 16; i++)
		ADD(rndn(n ? e[n - 1].end + GiB : 16 * GiB));
#undef ADD
	return k;
}

#define VMAX	(MODEL_MAX + 1)

/*
 * matches_ioctls() - SPEC V1 and V2's generation rule at rest
 * @fd: the file (no SET runs meanwhile).
 * @m: a library view of it.
 * @len: the view's size the caller expects in the header.
 * @answers: out, added to: answers compared with PROBE.
 *
 * The raw view (header, starts, records) equals GET_LAYOUT and GET_STATS
 * of the same generation; memlayout_view_probe_batch() and
 * memlayout_view_probe() answer every edge of every range as PROBE does,
 * with the same generation and covering range.
 */
static bool matches_ioctls(int fd, const struct memlayout_view_map *m, size_t len,
			   unsigned long *answers)
{
	static struct memlayout_map_entry e[VMAX];
	static uint64_t a[5 * VMAX + 32];
	static uint32_t kv[5 * VMAX + 32], ki[5 * VMAX + 32];
	static struct memlayout_probe_range pr[5 * VMAX + 32];
	const struct memlayout_view *v = memlayout_view_header(m);
	const uint8_t *base = (const uint8_t *)v;
	const struct memlayout_view_record *rec;
	const uint64_t *st;
	struct memlayout_view h;
	struct memlayout_stats s;
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];
	uint64_t g, gv;
	uint32_t count, n, i;
	bool ok = true;

	if (!eqerr("GET_LAYOUT", get_layout(fd, e, VMAX, &count, &s, &g, fp), 0) ||
	    !quiet_header(v, &h))
		return false;
	ok &= eq64("view magic", h.magic, MEMLAYOUT_VIEW_MAGIC);
	ok &= eq64("view version", h.version, MEMLAYOUT_VIEW_VERSION);
	ok &= eq64("view header_size", h.header_size, VIEW_HDR);
	ok &= eq64("view size", h.size, len);
	ok &= eq64("view flags", h.flags & ~MEMLAYOUT_VIEW_VTL2, MEMLAYOUT_VIEW_LAYOUT);
	/* V2: the view's generation is GET_STATS' (and GET_LAYOUT's). */
	ok &= eq64("view generation = GET_STATS'", h.generation, s.generation);
	ok &= eq64("view generation = GET_LAYOUT's", h.generation, g);
	ok &= eq64("view nr = GET_LAYOUT count", h.nr, count);
	if (memcmp(h.fingerprint, fp, sizeof(fp)) ||
	    memcmp(h.fingerprint, s.fingerprint, sizeof(fp))) {
		diag("view fingerprint %s, GET_LAYOUT %s", fphex(h.fingerprint), fphex(fp));
		ok = false;
	}
	ok &= eq64("view VTL2 flag", !!(h.flags & MEMLAYOUT_VIEW_VTL2),
		   !!(s.present & MEMLAYOUT_STATS_VTL2));
	if (h.flags & MEMLAYOUT_VIEW_VTL2) {
		ok &= eq64("view vtl2_start", h.vtl2_start, s.vtl2_start);
		ok &= eq64("view vtl2_end", h.vtl2_end, s.vtl2_end);
	}
	if (!ok || h.starts_off < VIEW_HDR || h.starts_off % 8 || h.records_off % 8 ||
	    h.starts_off + 8ULL * h.nr > h.records_off ||
	    h.records_off + (uint64_t)h.nr * sizeof(*rec) > h.size) {
		diag("view offsets: starts %" PRIu64 " records %" PRIu64 " nr %u size %" PRIu64,
		     (uint64_t)h.starts_off, (uint64_t)h.records_off, h.nr, (uint64_t)h.size);
		return false;
	}
	st = (const uint64_t *)(base + h.starts_off);
	rec = (const struct memlayout_view_record *)(base + h.records_off);
	/*
	 * V1: the bucket index after the records, worked out from the UAPI
	 * ("Shared view") apart from the kernel's code: the smallest shift
	 * that puts the last byte below bucket 2 * nr - 1, and for each
	 * bucket the last range starting at or below its first byte.
	 */
	if (count) {
		const uint32_t *ix = (const uint32_t *)(base + h.index_off);
		uint64_t last = e[count - 1].end - 1, at;
		uint32_t sh = 0, b, j = 0;

		while (sh < 63 && (last >> sh) >= 2ULL * count - 1)
			sh++;
		ok &= eq64("view index_off", h.index_off, h.records_off + 16ULL * count);
		ok &= eq64("view index_shift", h.index_shift, sh);
		if (!ok || h.index_off + 8ULL * count > h.size)
			return false;
		for (b = 0; b < 2 * count - 1; b++) {
			at = b > (UINT64_MAX >> sh) ? UINT64_MAX : (uint64_t)b << sh;
			while (j + 1 < count && e[j + 1].start <= at)
				j++;
			if (ix[b] != j) {
				diag("view index[%u] %u, want %u", b, ix[b], j);
				return false;
			}
		}
		ok &= eq64("view index[2 * nr - 1]", ix[2 * count - 1], count - 1);
	}
	for (i = 0; i < count; i++)
		if (st[i] != e[i].start || rec[i].end != e[i].end ||
		    rec[i].vnode != e[i].vnode || rec[i].kind != e[i].kind) {
			diag("view range %u: [%#" PRIx64 ", %#" PRIx64 ") vnode %u %s, GET_LAYOUT [%#"
			     PRIx64 ", %#" PRIx64 ") vnode %u %s", i, st[i], (uint64_t)rec[i].end,
			     rec[i].vnode, kindname(rec[i].kind), (uint64_t)e[i].start,
			     (uint64_t)e[i].end, e[i].vnode, kindname(e[i].kind));
			return false;
		}

	/* Q9 through the view = PROBE (kinds and covering ranges). */
	n = entry_edges(e, count, a, ARRAY_SIZE(a));
	if (!eqerr("PROBE", probe_ranges(fd, a, ki, pr, n, &g), 0) ||
	    !eqerr("memlayout_view_probe_batch", memlayout_view_probe_batch(m, a, kv, n, &gv), 0))
		return false;
	ok &= eq64("view batch generation = PROBE's", gv, g);
	for (i = 0; i < n; i++) {
		struct memlayout_map_entry hit;
		uint32_t k1;

		if (kv[i] != ki[i]) {
			diag("%#" PRIx64 ": view batch %s, PROBE %s", a[i], kindname(kv[i]),
			     kindname(ki[i]));
			return false;
		}
		if (!eqerr("memlayout_view_probe", memlayout_view_probe(m, a[i], &k1, &hit, &gv), 0))
			return false;
		if (k1 != ki[i] || gv != g || hit.kind != ki[i] ||
		    (ki[i] != K_NONE && (hit.start != pr[i].start || hit.end != pr[i].end ||
					 hit.vnode != pr[i].vnode)) ||
		    (ki[i] == K_NONE && (hit.start || hit.end || hit.vnode))) {
			diag("%#" PRIx64 ": view %s [%#" PRIx64 ", %#" PRIx64 ") vnode %u gen %" PRIu64
			     ", PROBE %s [%#" PRIx64 ", %#" PRIx64 ") vnode %u gen %" PRIu64, a[i],
			     kindname(k1), (uint64_t)hit.start, (uint64_t)hit.end, hit.vnode, gv,
			     kindname(ki[i]), (uint64_t)pr[i].start, (uint64_t)pr[i].end,
			     pr[i].vnode, g);
			return false;
		}
	}
	*answers += 2 * n;
	return ok;
}

/* Every MEMLAYOUT_KIND_* of layout A (odd) or B (even) of the small pair. */
static const struct lay pair_a = {
	C1(4 * GiB), MMIO(R(3 * GiB, 4 * GiB)),
};

static const struct lay pair_b = {
	C1(2 * GiB), ECAM(R(GiB, 2 * GiB)),
};

static uint32_t pair_want(bool odd, uint64_t a)
{
	if (odd)
		return a < 3 * GiB ? K_RAM : a < 4 * GiB ? K_MMIO : a < 5 * GiB ? K_RAM : K_NONE;
	return a < GiB ? K_RAM : a < 2 * GiB ? K_ECAM : a < 3 * GiB ? K_RAM : K_NONE;
}

/* ------------------------------------------------------------------ */
/* V1: a file without a layout, then random layouts                     */
/* ------------------------------------------------------------------ */

FIXTURE(view) {
	int unused;
};

FIXTURE_SETUP(view)
{
	self->unused = 0;
	setup_pages();
}

FIXTURE_TEARDOWN(view)
{
}

/* A file with no layout: a valid header, flags 0, -ENOENT from the library. */
TEST_F(view, no_layout)
{
	struct memlayout_handle *h = vopen();
	struct memlayout_view_map *m;
	struct memlayout_view hd;
	struct memlayout_stats s;
	unsigned long answers = 0;
	uint64_t gen = 77, a = GiB;
	uint32_t k = 77;
	void *p;

	ASSERT_EQ(0, memlayout_view_open(h, 0, &m));
	ASSERT_TRUE(quiet_header(memlayout_view_header(m), &hd));
	EXPECT_EQ(MEMLAYOUT_VIEW_MAGIC, hd.magic);
	EXPECT_EQ(MEMLAYOUT_VIEW_VERSION, hd.version);
	EXPECT_EQ(0, hd.flags);
	EXPECT_EQ(0, hd.generation);
	EXPECT_EQ(0, hd.nr);
	EXPECT_EQ(VIEW_HDR, hd.header_size);
	EXPECT_EQ(0, hd.size % PG);
	EXPECT_LE(PG, hd.size);
	EXPECT_EQ(-ENOENT, get_stats(memlayout_fd(h), &s));
	EXPECT_EQ(-ENOENT, memlayout_view_probe(m, 0, &k, NULL, &gen));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-ENOENT, memlayout_view_probe_batch(m, &a, &k, 1, &gen));
	EXPECT_EQ(77, gen) TH_LOG("no generation is written without a layout");
	/* A second mapping of one page shows the same header. */
	ASSERT_EQ(0, vmap(memlayout_fd(h), PG, PROT_READ, MAP_SHARED, 0, &p));
	EXPECT_EQ(0, memcmp(p, &hd, sizeof(hd)));
	munmap(p, PG);

	/* The first SET_LAYOUT reaches the view already mapped. */
	ASSERT_EQ(0, set_lay(memlayout_fd(h), &pair_a, &gen));
	EXPECT_EQ(1, gen);
	EXPECT_TRUE(matches_ioctls(memlayout_fd(h), m, hd.size, &answers));
	memlayout_view_close(m);
	memlayout_close(h);
}

/*
 * SPEC V1: the SPEC's examples and 250 random layouts, each compared with
 * GET_LAYOUT, GET_STATS and PROBE; between them, a rejected request and a
 * dry run must not touch the view (only a successful SET_LAYOUT does).
 */
TEST_F_TIMEOUT(view, equals_ioctls, 120)
{
	const struct lay bad = { C3(R(2 * GiB, GiB)) };	/* R2 */
	static struct rlay r;
	struct memlayout_handle *h = vopen();
	struct memlayout_view_map *m;
	struct memlayout_view before, after;
	struct memlayout_set s;
	unsigned long answers = 0;
	unsigned int i, wrong = 0, sets = 0, count = 250;
	uint64_t gen;
	int fd = memlayout_fd(h);

	ASSERT_EQ(0, memlayout_view_open(h, 0, &m));
	ASSERT_TRUE(quiet_header(memlayout_view_header(m), &before));
	rng_state = 0x71E3001ULL;
	for (i = 0; i < nr_examples + count; i++) {
		const struct lay *l = &examples[i].l;

		if (i >= nr_examples) {
			random_lay(&r);
			l = &r.l;
		}
		if (set_lay(fd, l, &gen) || gen != ++sets ||
		    !matches_ioctls(fd, m, before.size, &answers)) {
			diag("layout %u (%s) wrong through the view", i,
			     i < nr_examples ? examples[i].name : "random");
			if (++wrong >= 3)
				diag_muted = 1;
		}
		if (i % 25)
			continue;
		/* Rejected, then dry run: the view (seq included) unchanged. */
		quiet_header(memlayout_view_header(m), &before);
		s = mkset(&bad);
		EXPECT_EQ(-EINVAL, do_set(fd, &s));
		s = mkset(l);
		s.flags |= MEMLAYOUT_SET_DRY_RUN;
		EXPECT_EQ(0, do_set(fd, &s));
		quiet_header(memlayout_view_header(m), &after);
		EXPECT_EQ(0, memcmp(&before, &after, sizeof(after)))
			TH_LOG("a rejected SET and a dry run left the view alone (seq %u -> %u)",
			       before.seq, after.seq);
	}
	diag_muted = 0;
	note("view V1: %u layouts (%u examples, %u random), %lu view answers equal to PROBE's",
	     nr_examples + count, nr_examples, count, answers);
	CHECK(wrong == 0, "%u layouts read through the view equal GET_LAYOUT, GET_STATS and PROBE (%u wrong)",
	      nr_examples + count, wrong);
	/* Each successful SET bumped seq by two (odd while writing). */
	quiet_header(memlayout_view_header(m), &after);
	EXPECT_EQ(0, after.seq % 2);
	EXPECT_LE(2 * sets, after.seq);
	memlayout_view_close(m);
	memlayout_close(h);
}

/* ------------------------------------------------------------------ */
/* V2: the race                                                         */
/* ------------------------------------------------------------------ */

/*
 * Three layouts, generation g showing family[g % 3]: different counts
 * (so the records move), every start, end and vnode different, and holes
 * of two kinds in different gaps.
 */
#define FAM		3
#define FAM_RAM(v)	(60 + 20 * (v))
#define FAM_U		(16 * MiB)
#define POOL_N		4096
#define NREADERS	5
#define MIN_SETS	5000
#define MIN_DURING	50000UL
#define MIN_CHANGES	50UL

static mr_t fam_ram[FAM][100], fam_mmio[FAM][100], fam_pmmio[FAM][100];
static struct lay fam[FAM];
static struct model fam_m[FAM];
static uint64_t pool[POOL_N];

static void fam_prepare(void)
{
	uint32_t v, i, n;

	for (v = 0; v < FAM; v++) {
		struct lay *l = &fam[v];

		memset(l, 0, sizeof(*l));
		l->source = MEMLAYOUT_SOURCE_RANGES;
		l->ram = fam_ram[v];
		l->mmio = fam_mmio[v];
		l->pmmio = fam_pmmio[v];
		for (i = 0; i < FAM_RAM(v); i++) {
			uint64_t s = i * FAM_U + v * 16 * PG, e = s + FAM_U / 2 + v * 32 * PG;
			uint64_t next = (i + 1) * FAM_U + v * 16 * PG;

			fam_ram[v][l->nr_ram++] = (mr_t)RV(s, e, (i + v) % 4);
			if ((i + v) % 3 == 1)
				fam_mmio[v][l->nr_mmio++] = (mr_t)R(e, e + 2 * MiB);
			else if ((i + v) % 3 == 2)
				fam_pmmio[v][l->nr_pmmio++] = (mr_t)R(e + PG, next);
		}
		model_build(l, &fam_m[v]);
	}
	rng_state = 0x51E7A11ULL;
	n = 0;
	for (v = 0; v < FAM; v++)
		n += model_edges(&fam_m[v], pool + n, POOL_N / 2 / FAM);
	while (n < POOL_N)
		pool[n++] = rndn(FAM_RAM(FAM - 1) * FAM_U + FAM_U);
}

/* What generation @g answers for @a, and its range. */
static uint32_t fam_hit(uint64_t g, uint64_t a, struct memlayout_map_entry *want)
{
	const struct model *m = &fam_m[g % FAM];
	uint32_t i;

	memset(want, 0, sizeof(*want));
	for (i = 0; i < m->n; i++)
		if (m->e[i].start <= a && a < m->e[i].end) {
			want->start = m->e[i].start;
			want->end = m->e[i].end;
			want->vnode = m->e[i].vnode;
			want->kind = m->e[i].kind;
			break;
		}
	return want->kind;
}

struct rslot {
	unsigned long checked, during, changes, bad, errors, backwards, calls;
	int ready;
	char name[48];
	char first[240];
};

struct rshared {
	int running, stop;
	struct rslot slot[NREADERS];
};

static struct rshared *rsh;

#define SHLD(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define SHST(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/*
 * One reader: single probes (kind and covering range) and batches of 8,
 * each answer checked against the layout of the generation it reports.
 * An answer counts as during replacements when the writer was running
 * before and after it.
 */
static void reader_loop(const struct memlayout_view_map *m, struct rslot *sl, uint64_t seed)
{
	uint64_t x = seed | 1, last = 0, g, a[8];
	unsigned long it;
	uint32_t k[8], i;

	for (it = 0; !SHLD(rsh->stop); it++) {
		struct memlayout_map_entry hit, want;
		bool before = SHLD(rsh->running), bad = false;
		uint32_t n = (it & 1) ? 8 : 1;
		int r;

		for (i = 0; i < n; i++) {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			a[i] = pool[(x * 0x2545F4914F6CDD1DULL >> 40) % POOL_N];
		}
		if (n == 1)
			r = memlayout_view_probe(m, a[0], &k[0], &hit, &g);
		else
			r = memlayout_view_probe_batch(m, a, k, n, &g);
		sl->calls++;
		if (r) {
			if (!sl->errors++)
				snprintf(sl->first, sizeof(sl->first), "view probe: %s", errname(r));
			continue;
		}
		for (i = 0; i < n; i++) {
			uint32_t w = fam_hit(g, a[i], &want);

			if (k[i] != w || (n == 1 && memcmp(&hit, &want, sizeof(hit))))
				bad = true;
		}
		if (bad && !sl->bad++)
			snprintf(sl->first, sizeof(sl->first),
				 "generation %" PRIu64 " (layout %" PRIu64 "): %#" PRIx64
				 " answered %s [%#" PRIx64 ", %#" PRIx64 ") vnode %u, not its layout's",
				 g, g % FAM, a[0], kindname(k[0]), n == 1 ? (uint64_t)hit.start : 0,
				 n == 1 ? (uint64_t)hit.end : 0, n == 1 ? hit.vnode : 0);
		if (g < last)
			sl->backwards++;
		if (g != last)
			__atomic_store_n(&sl->changes, sl->changes + 1, __ATOMIC_RELAXED);
		last = g;
		sl->checked += n;
		if (before && SHLD(rsh->running) && !SHLD(rsh->stop))
			__atomic_store_n(&sl->during, sl->during + n, __ATOMIC_RELAXED);
		if (!sl->ready && !bad)
			SHST(sl->ready, 1);
	}
}

struct rthread {
	const struct memlayout_view_map *m;
	struct rslot *sl;
	uint64_t seed;
};

static void *reader_thread(void *arg)
{
	struct rthread *t = arg;

	reader_loop(t->m, t->sl, t->seed);
	return NULL;
}

/* In a reader process: a problem before its loop, reported in its slot. */
static void slot_fail(struct rslot *sl, const char *what, int err)
{
	sl->errors++;
	snprintf(sl->first, sizeof(sl->first), "%s: %s", what, errname(err));
	SHST(sl->ready, -1);
}

/* The number of /dev/memlayout files this process holds. */
static int memlayout_fds(void)
{
	char path[300], target[64];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/proc/self/fd");

	while (dir && (d = readdir(dir))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		n += !strcmp(target, DEV_PATH);
	}
	if (dir)
		closedir(dir);
	return n;
}

/*
 * The SCM_RIGHTS reader, forked before the device is opened: it holds no
 * /dev/memlayout file until the writer sends one, then maps it itself.
 */
static void scm_reader(int sock, struct rslot *sl)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct memlayout_view_map *m;
	struct memlayout_handle *h;
	struct cmsghdr *c;
	int fd, r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(sl->name, sizeof(sl->name), "SCM_RIGHTS process");
	if (memlayout_fds() != 0)
		return slot_fail(sl, "a /dev/memlayout file before SCM_RIGHTS", EEXIST);
	if (recvmsg(sock, &msg, 0) != 1)
		return slot_fail(sl, "recvmsg", errno);
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return slot_fail(sl, "no SCM_RIGHTS message", EINVAL);
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	/* A handle whose descriptor is the received file. */
	h = memlayout_open(NULL);
	if (!h)
		return slot_fail(sl, "memlayout_open", errno);
	if (dup2(fd, memlayout_fd(h)) < 0)
		return slot_fail(sl, "dup2", errno);
	close(fd);
	if (memlayout_fds() != 1)
		return slot_fail(sl, "not one /dev/memlayout file after dup2", EEXIST);
	r = memlayout_view_open(h, 0, &m);
	if (r)
		return slot_fail(sl, "memlayout_view_open of the received fd", r);
	reader_loop(m, sl, 0x5C3A11);
	memlayout_view_close(m);
	memlayout_close(h);
}

/* The fork() reader: the inherited mapping in one thread, its own in another. */
static void fork_reader(struct memlayout_handle *h, const struct memlayout_view_map *inh)
{
	struct memlayout_view_map *own;
	struct rthread t[2];
	pthread_t tid;
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(rsh->slot[2].name, sizeof(rsh->slot[2].name), "fork() process, inherited map");
	snprintf(rsh->slot[3].name, sizeof(rsh->slot[3].name), "fork() process, own map");
	r = memlayout_view_open(h, 0, &own);
	if (r)
		return slot_fail(&rsh->slot[3], "memlayout_view_open in the fork() child", r);
	t[0] = (struct rthread){ inh, &rsh->slot[2], 0xF02C1 };
	t[1] = (struct rthread){ own, &rsh->slot[3], 0xF02C2 };
	if (pthread_create(&tid, NULL, reader_thread, &t[0]))
		return slot_fail(&rsh->slot[2], "pthread_create", EAGAIN);
	reader_thread(&t[1]);
	pthread_join(tid, NULL);
	memlayout_view_close(own);
}

/*
 * SPEC V2: readers in three processes never see a mix of two layouts
 * while one writer replaces it at least MIN_SETS times.
 */
TEST_F_TIMEOUT(view, race, 180)
{
	struct memlayout_view_map *m = NULL;
	struct memlayout_handle *h = NULL;
	struct rthread t[2];
	pthread_t tid[2];
	pid_t scm = -1, fk = -1;
	unsigned long during = 0, total = 0;
	unsigned int sets = 0, i, nthreads = 0;
	int sv[2], st, ready;
	uint64_t gen, want_gen;
	double t0, end, took = 0;
	bool ok = true;

	fam_prepare();
	for (i = 0; i < FAM; i++)
		note("view race: layout %u has %u ranges", i, fam_m[i].n);
	rsh = mmap(NULL, sizeof(*rsh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(rsh != MAP_FAILED);
	memset(rsh, 0, sizeof(*rsh));
	snprintf(rsh->slot[0].name, sizeof(rsh->slot[0].name), "writer's process, thread 1");
	snprintf(rsh->slot[1].name, sizeof(rsh->slot[1].name), "writer's process, thread 2");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	fflush(stdout);
	scm = fork();
	ASSERT_LE(0, scm);
	if (!scm) {
		close(sv[0]);
		scm_reader(sv[1], &rsh->slot[4]);
		_exit(0);
	}
	close(sv[1]);

	h = vopen();
	ASSERT_EQ(0, set_lay(memlayout_fd(h), &fam[1], &gen));
	ASSERT_EQ(1, gen);
	ASSERT_EQ(0, memlayout_view_open(h, 0, &m));
	if (true) {
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, byte = 'v';
		struct iovec iov = { &byte, 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		int fd = memlayout_fd(h);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(fd));
		EXPECT_EQ(1, sendmsg(sv[0], &msg, 0));
	}
	close(sv[0]);
	fflush(stdout);
	fk = fork();
	if (!fk) {
		fork_reader(h, m);
		_exit(0);
	}
	EXPECT_LE(0, fk);
	for (i = 0; i < 2; i++) {
		t[i] = (struct rthread){ m, &rsh->slot[i], 0xA11CE + i };
		if (!pthread_create(&tid[i], NULL, reader_thread, &t[i]))
			nthreads++;
	}
	EXPECT_EQ(2, nthreads);

	/* Every reader has checked an answer: then the replacements start. */
	t0 = now_s();
	do {
		ready = 0;
		for (i = 0; i < NREADERS; i++)
			ready += SHLD(rsh->slot[i].ready) == 1;
		if (ready < NREADERS)
			usleep(10000);
	} while (ready < NREADERS && now_s() - t0 < 20);
	EXPECT_EQ(NREADERS, ready) TH_LOG("every reader answered once before the writer starts");

	SHST(rsh->running, 1);
	t0 = now_s();
	end = t0 + 60;
	want_gen = 1;
	while (ready == NREADERS && now_s() < end) {
		unsigned long least = ~0UL, fewest = ~0UL;

		want_gen++;
		if (set_lay(memlayout_fd(h), &fam[want_gen % FAM], &gen) || gen != want_gen) {
			diag("SET %u: generation %" PRIu64 ", expected %" PRIu64, sets, gen, want_gen);
			ok = false;
			break;
		}
		sets++;
		if (sets < MIN_SETS || sets % 64)
			continue;
		for (i = 0; i < NREADERS; i++) {
			unsigned long d = __atomic_load_n(&rsh->slot[i].during, __ATOMIC_RELAXED);
			unsigned long c = __atomic_load_n(&rsh->slot[i].changes, __ATOMIC_RELAXED);

			least = d < least ? d : least;
			fewest = c < fewest ? c : fewest;
		}
		if (least >= MIN_DURING && fewest >= MIN_CHANGES)
			break;
	}
	took = now_s() - t0;
	SHST(rsh->running, 0);
	usleep(20000);
	SHST(rsh->stop, 1);
	for (i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	if (fk > 0) {
		EXPECT_EQ(fk, waitpid(fk, &st, 0));
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
			TH_LOG("fork() reader status %#x", st);
	}
	EXPECT_EQ(scm, waitpid(scm, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("SCM_RIGHTS reader status %#x", st);

	CHECK(ok, "%u SET_LAYOUTs, generations 2..%u in order", sets, sets + 1);
	note("view race: %u replacements in %.2f s by the writer", sets, took);
	for (i = 0; i < NREADERS; i++) {
		struct rslot *sl = &rsh->slot[i];

		note("view race: %s: %lu answers checked (%lu during replacements) in %lu calls, %lu generation changes, %lu mixed, %lu errors, %lu backwards",
		     sl->name, sl->checked, sl->during, sl->calls, sl->changes, sl->bad,
		     sl->errors, sl->backwards);
		if (sl->first[0])
			diag("view race: %s: first problem: %s", sl->name, sl->first);
		CHECK(sl->bad == 0 && sl->errors == 0 && sl->backwards == 0,
		      "%s: every answer is its generation's layout (SPEC V2)", sl->name);
		CHECK(sl->during >= MIN_DURING && sl->changes >= MIN_CHANGES,
		      "%s: at least %lu answers during replacements (%lu) across at least %lu generation changes (%lu)",
		      sl->name, MIN_DURING, sl->during, MIN_CHANGES, sl->changes);
		during += sl->during;
		total += sl->checked;
	}
	note("view race: %lu view answers checked, %lu of them during %u replacements, 0 allowed mixed",
	     total, during, sets);
	/* After the race, the view is at rest on the writer's last layout. */
	if (true) {
		unsigned long answers = 0;

		EXPECT_TRUE(matches_ioctls(memlayout_fd(h), m, memlayout_view_header(m)->size,
					   &answers));
		EXPECT_EQ(sets + 1, memlayout_view_header(m)->generation);
	}
	memlayout_view_close(m);
	memlayout_close(h);
	munmap(rsh, sizeof(*rsh));
}

/* ------------------------------------------------------------------ */
/* V3 and the hostile cases                                             */
/* ------------------------------------------------------------------ */

/* SPEC V3: what mmap() refuses, and that a refusal does not fix the size. */
TEST_F(view, mmap_refused)
{
	struct memlayout_view hd;
	uint64_t gen;
	void *p, *q;
	int fd = open_dev();

	ASSERT_EQ(0, set_lay(fd, &pair_a, &gen));
	EXPECT_EQ(-EPERM, vmap(fd, PG, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &p));
	EXPECT_EQ(-EPERM, vmap(fd, PG, PROT_WRITE, MAP_SHARED, 0, &p));
	EXPECT_EQ(-EPERM, vmap(fd, PG, PROT_READ | PROT_EXEC, MAP_SHARED, 0, &p));
	EXPECT_EQ(-EPERM, vmap(fd, PG, PROT_EXEC, MAP_SHARED, 0, &p));
	EXPECT_EQ(-EINVAL, vmap(fd, PG, PROT_READ, MAP_PRIVATE, 0, &p));
	EXPECT_EQ(-EINVAL, vmap(fd, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0, &p));
	EXPECT_EQ(-EINVAL, vmap(fd, PG, PROT_READ, MAP_SHARED, PG, &p));
	EXPECT_EQ(-EINVAL, vmap(fd, MEMLAYOUT_VIEW_MAX_SIZE + PG, PROT_READ, MAP_SHARED, 0, &p));
	/* None of those created the view: the first accepted one sizes it. */
	ASSERT_EQ(0, vmap(fd, 2 * PG, PROT_READ, MAP_SHARED, 0, &p));
	ASSERT_TRUE(quiet_header(p, &hd));
	EXPECT_EQ(2 * PG, hd.size);
	EXPECT_EQ(gen, hd.generation);
	EXPECT_EQ(-EINVAL, vmap(fd, 3 * PG, PROT_READ, MAP_SHARED, 0, &q));
	/* Still refused once the view exists. */
	EXPECT_EQ(-EPERM, vmap(fd, PG, PROT_READ | PROT_WRITE, MAP_SHARED, 0, &q));
	EXPECT_EQ(-EPERM, vmap(fd, PG, PROT_READ | PROT_EXEC, MAP_SHARED, 0, &q));
	EXPECT_EQ(-EINVAL, vmap(fd, PG, PROT_READ, MAP_PRIVATE, 0, &q));
	EXPECT_EQ(-EINVAL, vmap(fd, PG, PROT_READ, MAP_SHARED, PG, &q));
	munmap(p, 2 * PG);
	close(fd);

	/* A view of exactly MEMLAYOUT_VIEW_MAX_SIZE is accepted. */
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &pair_b, &gen));
	ASSERT_EQ(0, vmap(fd, MEMLAYOUT_VIEW_MAX_SIZE, PROT_READ, MAP_SHARED, 0, &p));
	ASSERT_TRUE(quiet_header(p, &hd));
	EXPECT_EQ(MEMLAYOUT_VIEW_MAX_SIZE, hd.size);
	EXPECT_EQ(gen, hd.generation);
	EXPECT_EQ(3, hd.nr);
	munmap(p, MEMLAYOUT_VIEW_MAX_SIZE);
	close(fd);
}

/* SPEC V3: mprotect() cannot make the view writable or executable. */
TEST_F(view, mprotect_refused)
{
	struct memlayout_handle *h = vopen();
	struct memlayout_view_map *m;
	void *v;
	uint64_t gen;
	uint32_t k;
	pid_t pid;
	int st;

	ASSERT_EQ(0, set_lay(memlayout_fd(h), &pair_a, &gen));
	ASSERT_EQ(0, memlayout_view_open(h, 4 * PG, &m));
	v = (void *)memlayout_view_header(m);
	EXPECT_EQ(-1, mprotect(v, PG, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mprotect(v, 4 * PG, PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mprotect(v, PG, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mprotect(v, PG, PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	/* Taking read away and giving it back is allowed. */
	EXPECT_EQ(0, mprotect(v, 4 * PG, PROT_NONE));
	EXPECT_EQ(0, mprotect(v, 4 * PG, PROT_READ));
	ASSERT_EQ(0, set_lay(memlayout_fd(h), &pair_b, &gen));
	EXPECT_EQ(0, memlayout_view_probe(m, GiB, &k, NULL, &gen));
	EXPECT_EQ(K_ECAM, k);
	EXPECT_EQ(2, gen);
	/* A store into the view kills the writer of it (SIGSEGV), changing nothing. */
	fflush(stdout);
	pid = fork();
	if (!pid) {
		*(volatile uint32_t *)((char *)v + offsetof(struct memlayout_view, generation)) = 9;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) TH_LOG("status %#x", st);
	EXPECT_EQ(0, memlayout_view_probe(m, GiB, &k, NULL, &gen));
	EXPECT_EQ(2, gen);
	memlayout_view_close(m);
	memlayout_close(h);
}

/*
 * mremap(): growing fails with -EFAULT (remap_vmalloc_range() makes the
 * mapping VM_DONTEXPAND), in place or moving. Moving it whole to another
 * address, and shrinking it, are allowed: the pages go with it, and the
 * moved mapping keeps following SET_LAYOUT. MREMAP_DONTUNMAP is refused
 * (-EINVAL: it is for anonymous and VM_DONTEXPAND-free mappings).
 */
TEST_F(view, mremap)
{
	struct memlayout_view hd;
	void *p, *q, *dst;
	uint64_t gen;
	int fd = open_dev();

	ASSERT_EQ(0, set_lay(fd, &pair_a, &gen));
	ASSERT_EQ(0, vmap(fd, 2 * PG, PROT_READ, MAP_SHARED, 0, &p));
	EXPECT_TRUE(mremap(p, 2 * PG, 3 * PG, 0) == MAP_FAILED);
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(mremap(p, 2 * PG, 3 * PG, MREMAP_MAYMOVE) == MAP_FAILED);
	EXPECT_EQ(EFAULT, errno);
	q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	EXPECT_TRUE(q == MAP_FAILED) TH_LOG("MREMAP_DONTUNMAP of the view");
	EXPECT_EQ(EINVAL, errno);
	if (q != MAP_FAILED)
		munmap(q, 2 * PG);

	/* Moving: to a reserved spot. */
	dst = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(dst != MAP_FAILED);
	q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, (char *)dst + PG);
	ASSERT_TRUE((char *)dst + PG == (char *)q) TH_LOG("moving the view: %s", strerror(errno));
	ASSERT_TRUE(quiet_header(q, &hd));
	EXPECT_EQ(gen, hd.generation);
	ASSERT_EQ(0, set_lay(fd, &pair_b, &gen));
	ASSERT_TRUE(quiet_header(q, &hd));
	EXPECT_EQ(gen, hd.generation) TH_LOG("the moved mapping follows SET_LAYOUT");
	EXPECT_EQ(3, hd.nr);
	/* Shrinking. */
	p = mremap(q, 2 * PG, PG, 0);
	ASSERT_TRUE(q == p);
	ASSERT_EQ(0, set_lay(fd, &pair_a, &gen));
	ASSERT_TRUE(quiet_header(p, &hd));
	EXPECT_EQ(gen, hd.generation);
	/* Growing back to the view's size is growing, too. */
	EXPECT_TRUE(mremap(p, PG, 2 * PG, 0) == MAP_FAILED);
	munmap(p, PG);
	munmap(dst, 4 * PG);
	close(fd);
}

struct unmapper {
	struct memlayout_handle *h;
	volatile int stop;
	unsigned long maps, probes, bad, errors;
	char first[160];
};

/* Maps and unmaps the view in a loop, through the library and raw. */
static void *unmapper_thread(void *arg)
{
	struct unmapper *u = arg;
	int fd = memlayout_fd(u->h);

	while (!u->stop) {
		struct memlayout_view_map *m;
		uint64_t g, a = (u->maps * 0x9E3779B97F4A7C15ULL) % (6 * GiB);
		uint32_t k;
		void *p;
		int r;

		r = memlayout_view_open(u->h, 0, &m);
		if (!r) {
			r = memlayout_view_probe(m, a, &k, NULL, &g);
			if (!r && k != pair_want(g & 1, a) && !u->bad++)
				snprintf(u->first, sizeof(u->first), "generation %" PRIu64
					 ": %#" PRIx64 " is %s", g, a, kindname(k));
			u->probes += !r;
			memlayout_view_close(m);
		}
		if (!r)
			r = vmap(fd, 2 * PG, PROT_READ, MAP_SHARED, 0, &p);
		if (!r) {
			/* Unmap the second page, then the first. */
			munmap((char *)p + PG, PG);
			if (((const struct memlayout_view *)p)->magic != MEMLAYOUT_VIEW_MAGIC)
				r = -EPROTO;
			munmap(p, PG);
		}
		if (r && !u->errors++)
			snprintf(u->first, sizeof(u->first), "map/probe: %s", errname(r));
		u->maps++;
	}
	return NULL;
}

/* munmap() of the view while SET_LAYOUT rewrites it. */
TEST_F_TIMEOUT(view, munmap_during_set, 60)
{
	static struct unmapper u;
	unsigned int sets = 0;
	pthread_t t;
	uint64_t gen;
	double end;

	u.h = vopen();
	ASSERT_EQ(0, set_lay(memlayout_fd(u.h), &pair_a, &gen));
	ASSERT_EQ(0, pthread_create(&t, NULL, unmapper_thread, &u));
	end = now_s() + 2;
	while ((now_s() < end || u.maps < 200) && now_s() < end + 20) {
		ASSERT_EQ(0, set_lay(memlayout_fd(u.h), (sets & 1) ? &pair_a : &pair_b, &gen));
		sets++;
		ASSERT_EQ(sets + 1, gen);
	}
	u.stop = 1;
	pthread_join(t, NULL);
	note("view munmap during SET: %u SETs, %lu map/unmap rounds, %lu probes", sets, u.maps,
	     u.probes);
	if (u.first[0])
		diag("first problem: %s", u.first);
	EXPECT_EQ(0, u.bad);
	EXPECT_EQ(0, u.errors);
	EXPECT_LE(200, u.maps);
	memlayout_close(u.h);
}

/*
 * The file closed while mapped: the mapping keeps the file's last layout
 * readable, and a SET_LAYOUT on another open (another file) leaves it.
 * The file is released when the last mapping goes.
 */
TEST_F(view, closed_while_mapped)
{
	struct memlayout_handle *h = vopen(), *h2;
	struct memlayout_view_map *m;
	struct memlayout_view hd;
	long long files = -1, left;
	uint64_t gen, g;
	uint32_t k;

	ASSERT_EQ(0, set_lay(memlayout_fd(h), &pair_a, &gen));
	ASSERT_EQ(0, set_lay(memlayout_fd(h), &pair_b, &gen));
	ASSERT_EQ(0, memlayout_view_open(h, 0, &m));
	if (debugfs_ok())
		files = read_num(DEBUGFS_DIR "open_files");
	memlayout_close(h);
	EXPECT_EQ(0, memlayout_view_probe(m, GiB, &k, NULL, &g));
	EXPECT_EQ(K_ECAM, k);
	EXPECT_EQ(gen, g);
	if (files >= 0)
		EXPECT_EQ(files, read_num(DEBUGFS_DIR "open_files"))
			TH_LOG("the mapping holds the closed file");

	h2 = vopen();
	ASSERT_EQ(0, set_lay(memlayout_fd(h2), &pair_a, &g));
	EXPECT_EQ(1, g);
	ASSERT_EQ(0, set_lay(memlayout_fd(h2), &pair_a, &g));
	ASSERT_EQ(0, set_lay(memlayout_fd(h2), &pair_a, &g));
	EXPECT_EQ(0, memlayout_view_probe(m, GiB, &k, NULL, &g));
	EXPECT_EQ(K_ECAM, k) TH_LOG("another file's SET_LAYOUT does not reach this view");
	EXPECT_EQ(gen, g);
	ASSERT_TRUE(quiet_header(memlayout_view_header(m), &hd));
	EXPECT_EQ(gen, hd.generation);
	memlayout_close(h2);
	memlayout_view_close(m);
	if (files >= 0) {
		left = wait_counter("open_files", files - 1, 5, NULL);
		EXPECT_EQ(files - 1, left) TH_LOG("the file is released with its last mapping");
	}
}

/*
 * SPEC V3: a layout that does not fit a one-page view is flagged, with the
 * generation, count and fingerprint right; the library answers -E2BIG
 * (use the ioctls). A smaller layout fits again.
 */
TEST_F(view, too_large)
{
	static mr_t mmio[200];
	struct lay big = { C1(2 * GiB) }, fits = { C1(2 * GiB) };
	struct memlayout_handle *h = vopen();
	struct memlayout_view_map *m, *m2;
	struct memlayout_view hd;
	struct memlayout_stats s;
	unsigned long answers = 0;
	uint64_t gen, g = 0, a = 0;
	uint32_t i, k;

	for (i = 0; i < 199; i++)
		mmio[i] = (mr_t)R((2 * i + 1) * 2 * MiB + 2 * GiB, (2 * i + 2) * 2 * MiB + 2 * GiB);
	big.mmio = mmio;
	big.nr_mmio = 199;
	fits.mmio = mmio;
	fits.nr_mmio = 80;
	ASSERT_EQ(0, memlayout_view_open(h, PG, &m));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, set_lay(memlayout_fd(h), &big, &gen));
		ASSERT_EQ(0, get_stats(memlayout_fd(h), &s));
		ASSERT_TRUE(quiet_header(memlayout_view_header(m), &hd));
		EXPECT_EQ(MEMLAYOUT_VIEW_LAYOUT | MEMLAYOUT_VIEW_TOO_LARGE, hd.flags);
		/* No ranges, so no bucket index: the fast path's one check. */
		EXPECT_EQ(MEMLAYOUT_VIEW_NO_INDEX, hd.index_shift);
		EXPECT_EQ(0, hd.index_off);
		EXPECT_EQ(s.generation, hd.generation);
		EXPECT_EQ(gen, hd.generation);
		EXPECT_EQ(200, hd.nr);
		EXPECT_EQ(PG, hd.size);
		EXPECT_EQ(0, memcmp(hd.fingerprint, s.fingerprint, sizeof(s.fingerprint)));
		g = 77;
		EXPECT_EQ(-E2BIG, memlayout_view_probe(m, 0, &k, NULL, &g));
		EXPECT_EQ(E2BIG, errno);
		EXPECT_EQ(-E2BIG, memlayout_view_probe_batch(m, &a, &k, 1, &g));
		EXPECT_EQ(77, g);
		/* The fallback the UAPI names: the ioctl. */
		EXPECT_EQ(0, probe(memlayout_fd(h), &a, &k, 1, &g));
		EXPECT_EQ(gen, g);

		ASSERT_EQ(0, set_lay(memlayout_fd(h), &fits, &gen));
		EXPECT_TRUE(matches_ioctls(memlayout_fd(h), m, PG, &answers));
	}
	/* Asking for more than the view has maps the view as it is. */
	ASSERT_EQ(0, memlayout_view_open(h, 64 * PG, &m2));
	ASSERT_TRUE(quiet_header(memlayout_view_header(m2), &hd));
	EXPECT_EQ(PG, hd.size);
	EXPECT_TRUE(matches_ioctls(memlayout_fd(h), m2, PG, &answers));
	memlayout_view_close(m2);
	memlayout_view_close(m);
	memlayout_close(h);
}

/* The first mmap() of a file fixes its view's size; each file has its own. */
TEST_F(view, sizes)
{
	struct memlayout_view_map *m;
	struct memlayout_handle *h = vopen();
	struct memlayout_view hd;
	unsigned long answers = 0;
	void *p, *q, *r;
	static mr_t mmio[199];
	struct lay many = { C1(2 * GiB), .mmio = mmio, .nr_mmio = 199 };
	uint64_t gen;
	uint32_t i;
	int fd = memlayout_fd(h), fd2 = open_dev();

	for (i = 0; i < 199; i++)
		mmio[i] = (mr_t)R((2 * i + 1) * 2 * MiB + 2 * GiB, (2 * i + 2) * 2 * MiB + 2 * GiB);
	ASSERT_EQ(0, set_lay(fd, &pair_a, &gen));
	ASSERT_EQ(0, vmap(fd, 3 * PG, PROT_READ, MAP_SHARED, 0, &p));
	EXPECT_EQ(-EINVAL, vmap(fd, 4 * PG, PROT_READ, MAP_SHARED, 0, &q));
	ASSERT_EQ(0, vmap(fd, PG, PROT_READ, MAP_SHARED, 0, &q));
	ASSERT_EQ(0, vmap(fd, 3 * PG, PROT_READ, MAP_SHARED, 0, &r));
	ASSERT_TRUE(quiet_header(q, &hd));
	EXPECT_EQ(3 * PG, hd.size);
	EXPECT_EQ(0, memcmp(p, r, 3 * PG)) TH_LOG("two mappings show the same pages");
	/* The library maps the existing view whole, whatever it asks. */
	ASSERT_EQ(0, memlayout_view_open(h, 0, &m));
	EXPECT_TRUE(matches_ioctls(fd, m, 3 * PG, &answers));
	memlayout_view_close(m);
	ASSERT_EQ(0, memlayout_view_open(h, PG, &m));
	EXPECT_TRUE(matches_ioctls(fd, m, 3 * PG, &answers));
	memlayout_view_close(m);
	/* Another open is another file with a view of its own size. */
	ASSERT_EQ(0, set_lay(fd2, &pair_b, &gen));
	ASSERT_EQ(0, vmap(fd2, 5 * PG, PROT_READ, MAP_SHARED, 0, &q));
	ASSERT_TRUE(quiet_header(q, &hd));
	EXPECT_EQ(5 * PG, hd.size);
	EXPECT_EQ(1, hd.generation);
	EXPECT_EQ(3, hd.nr);
	EXPECT_EQ(GiB, ((const uint64_t *)((char *)q + hd.starts_off))[1]) TH_LOG("layout B");
	ASSERT_TRUE(quiet_header(p, &hd));
	EXPECT_EQ(3 * PG, hd.size);
	EXPECT_EQ(1, hd.generation);
	EXPECT_EQ(3, hd.nr);
	EXPECT_EQ(3 * GiB, ((const uint64_t *)((char *)p + hd.starts_off))[1]) TH_LOG("layout A");
	/*
	 * Whole, even when it asks for less (libmemlayout.h): 200 ranges
	 * need more than the page asked for, not more than the view's 3.
	 */
	ASSERT_EQ(0, set_lay(fd, &many, &gen));
	ASSERT_EQ(0, memlayout_view_open(h, PG, &m));
	EXPECT_TRUE(matches_ioctls(fd, m, 3 * PG, &answers));
	memlayout_view_close(m);
	munmap(q, 5 * PG);
	munmap(p, 3 * PG);
	munmap(r, 3 * PG);
	close(fd2);
	memlayout_close(h);
}

TEST_HARNESS_MAIN
