// SPDX-License-Identifier: GPL-2.0
/*
 * place_test - SPEC C4 through the real device (see ml_test.h):
 * SET_LAYOUT with MEMLAYOUT_SOURCE_PLACE and MEMLAYOUT_IOC_GET_PLACEMENTS,
 * with the raw UAPI structs (libmemlayout has tests of its own).
 *
 * The two realistic guests (x86 q35, arm64) have placements computed by
 * hand from SPEC C4's phase rules (the arithmetic is beside each table);
 * their layouts must answer GET_LAYOUT, GET_STATS, GET_RANGES and PROBE
 * exactly as a C3 SET_LAYOUT of the same ranges does (SPEC C4 "Result"),
 * with the same fingerprint (F1). Every rejection is checked with its
 * errno, its whole struct memlayout_reason and its whole struct
 * memlayout_place_reason, and leaves the file's previous layout (a C4 one,
 * with placements) as it was: generation, fingerprint, probes, placements.
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

#define SET_FIELD(m)	((uint32_t)offsetof(struct memlayout_set, m))
#define REQ_FIELD(m)	((uint32_t)offsetof(struct memlayout_place_req, m))

#define CL_RES	MEMLAYOUT_CLASS_RESERVED
#define CL_FIX	MEMLAYOUT_CLASS_FIXED
#define CL_M32	MEMLAYOUT_CLASS_MMIO32
#define CL_RAM	MEMLAYOUT_CLASS_RAM
#define CL_M64	MEMLAYOUT_CLASS_MMIO64
#define CL_POST	MEMLAYOUT_CLASS_POST_MMIO
#define K_VTL2	MEMLAYOUT_PLACE_VTL2

typedef struct memlayout_place_req preq_t;
typedef struct memlayout_placed placed_t;

/* Requests, one macro per class (SPEC C4 "Requests"). */
#define RES(a, b)		{ .place_class = CL_RES, .start = (a), .end = (b) }
#define FIX(k, a, b)		{ .place_class = CL_FIX, .kind = (k), .start = (a), .end = (b) }
#define M32(k, sz, al)		{ .place_class = CL_M32, .kind = (k), .size = (sz), .align = (al) }
#define RAMQ(sz, al)		{ .place_class = CL_RAM, .size = (sz), .align = (al) }
#define M64(k, sz, al)		{ .place_class = CL_M64, .kind = (k), .size = (sz), .align = (al) }
#define POST(k, sz, al)		{ .place_class = CL_POST, .kind = (k), .size = (sz), .align = (al) }
#define NR_P(...)		((uint32_t)(sizeof((preq_t[]){ __VA_ARGS__ }) / sizeof(preq_t)))
#define REQS(...)		.req = { __VA_ARGS__ }, .nr = NR_P(__VA_ARGS__)

/* One placed range as GET_PLACEMENTS reports it. */
#define PL(a, b, cl, i, k, v)	{ .start = (a), .end = (b), .place_class = (cl), .index = (i), \
				  .kind = (k), .vnode = (v) }

/* Reasons. */
#define WHY(r, l, i, ol, oi, f)	{ .rule = (r), .list = (l), .index = (i), .other_list = (ol), \
				  .other_index = (oi), .field = (f) }
#define WPLACE(r, i)		WHY(r, L_PLACE, i, 0, 0, 0)
#define PWHY(cl, i)		{ .place_class = (cl), .index = (i) }
#define PWHY_SZ(cl, i, sz, al)	{ .place_class = (cl), .index = (i), .size = (sz), .align = (al) }
#define PWHY_P3(cl, i, ocl, oi)	{ .place_class = (cl), .index = (i), .other_class = (ocl), \
				  .other_index = (oi) }
#define PWHY_P4(cl, i, sz, al, fr) { .place_class = (cl), .index = (i), .phase = (cl), .size = (sz), \
				     .align = (al), .free = (fr) }

static const char *classname(uint32_t c)
{
	static const char *const n[] = { "none", "reserved", "fixed", "mmio32", "ram",
					 "mmio64", "post_mmio" };

	return c < ARRAY_SIZE(n) ? n[c] : "BAD-CLASS";
}

/* A C4 SET_LAYOUT of @n requests. */
static struct memlayout_set pset(const preq_t *req, uint32_t n)
{
	struct memlayout_set s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.source = MEMLAYOUT_SOURCE_PLACE;
	s.place_ptr = n ? U64P(req) : 0;
	s.nr_place = n;
	return s;
}

static bool placed_eq(const placed_t *a, const placed_t *b)
{
	return a->start == b->start && a->end == b->end && a->place_class == b->place_class &&
	       a->index == b->index && a->kind == b->kind && a->vnode == b->vnode;
}

static void placed_diag(const char *what, uint32_t i, const placed_t *p)
{
	diag("%s %u: [%#" PRIx64 ", %#" PRIx64 ") %s %u kind %u vnode %u", what, i,
	     (uint64_t)p->start, (uint64_t)p->end, classname(p->place_class), p->index, p->kind,
	     p->vnode);
}

/*
 * GET_PLACEMENTS' count negotiation (UAPI struct memlayout_get_placements)
 * on a file whose layout has the placements @exp[0..n) and generation
 * @gen: the size query (count 0), a buffer one short (-EMSGSIZE, the count
 * needed, nothing written), the exact buffer and a bigger one (nothing
 * written past the count).
 */
static bool check_placed(int fd, const placed_t *exp, uint32_t n, uint64_t gen)
{
	static placed_t buf[MODEL_MAX + 8];
	uint32_t count, i, cap;
	uint64_t g;
	bool ok = true;
	int r;

	r = get_placements(fd, NULL, 0, &count, &g);
	ok &= eqerr("GET_PLACEMENTS size query", r, n ? -EMSGSIZE : 0);
	ok &= eq64("size query count", count, n);
	ok &= eq64("size query generation", g, gen);
	if (n) {
		memset(buf, 0x5A, sizeof(buf));
		r = get_placements(fd, buf, n - 1 ? n - 1 : 0, &count, &g);
		ok &= eqerr("GET_PLACEMENTS one short", r, -EMSGSIZE);
		ok &= eq64("one short: count needed", count, n);
		ok &= eq64("one short: generation", g, gen);
		for (i = 0; i < n * sizeof(placed_t); i++)
			if (((unsigned char *)buf)[i] != 0x5A) {
				diag("GET_PLACEMENTS -EMSGSIZE wrote the buffer (byte %u)", i);
				ok = false;
				break;
			}
	}
	for (cap = n; cap <= n + 5; cap += 5) {
		if (!cap)
			continue;
		memset(buf, 0x5A, sizeof(buf));
		r = get_placements(fd, buf, cap, &count, &g);
		if (!eqerr("GET_PLACEMENTS", r, 0))
			return false;
		ok &= eq64("GET_PLACEMENTS count", count, n);
		ok &= eq64("GET_PLACEMENTS generation", g, gen);
		for (i = 0; i < n && i < count; i++)
			if (!placed_eq(&buf[i], &exp[i])) {
				placed_diag("expected", i, &exp[i]);
				placed_diag("got     ", i, &buf[i]);
				ok = false;
			}
		for (i = n * sizeof(placed_t); i < cap * sizeof(placed_t); i++)
			if (((unsigned char *)buf)[i] != 0x5A) {
				diag("GET_PLACEMENTS (capacity %u) wrote past count %u", cap, n);
				ok = false;
				break;
			}
	}
	return ok;
}

/*
 * SPEC C4 "Result": the layout is exactly what C3 builds from the RAM
 * extents and the holes. check_model() holds the file to the userspace
 * model of @c3 (GET_STATS, every GET_RANGES list, PROBE at every edge,
 * GET_LAYOUT, PROBE's covering ranges, the F1 fingerprint); and a second
 * file given @c3 itself through SET_LAYOUT has the same fingerprint and
 * the same GET_LAYOUT.
 */
static bool same_as_c3(int fd, const struct lay *c3, uint64_t gen)
{
	static struct memlayout_map_entry e4[MODEL_MAX], e3[MODEL_MAX];
	struct memlayout_stats st4, st3;
	uint8_t fp4[MEMLAYOUT_FINGERPRINT_SIZE], fp3[MEMLAYOUT_FINGERPRINT_SIZE];
	uint32_t n4 = 0, n3 = 0;
	uint64_t g3;
	bool ok;
	int fd3 = open_dev();

	ok = check_model(fd, c3, gen);
	ok &= eqerr("C3 SET_LAYOUT of the same ranges", set_lay(fd3, c3, &g3), 0);
	ok &= eqerr("GET_LAYOUT (C4)", get_layout(fd, e4, MODEL_MAX, &n4, &st4, NULL, fp4), 0);
	ok &= eqerr("GET_LAYOUT (C3)", get_layout(fd3, e3, MODEL_MAX, &n3, &st3, NULL, fp3), 0);
	if (memcmp(fp4, fp3, sizeof(fp4))) {
		diag("F1: C4 fingerprint %s, C3 of the same ranges %s", fphex(fp4), fphex(fp3));
		ok = false;
	}
	ok &= eq64("GET_LAYOUT count, C4 and C3", n4, n3);
	if (n4 == n3 && memcmp(e4, e3, n4 * sizeof(e4[0]))) {
		diag("GET_LAYOUT entries differ between C4 and C3");
		ok = false;
	}
	st3.generation = st4.generation;
	if (memcmp(&st4, &st3, sizeof(st4))) {
		diag("GET_STATS figures differ between C4 and C3");
		stats_equal(&st4, &st3);
		ok = false;
	}
	/* A C3 layout has no placements: count 0, and 0 for the size query. */
	ok &= check_placed(fd3, NULL, 0, g3);
	close(fd3);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The realistic guests                                                 */
/* ------------------------------------------------------------------ */

/*
 * x86 q35: fixed 0xFE000000-4G (LAPIC/IOAPIC/flash), ECAM 256 MiB at 256
 * MiB alignment and a 32 MiB MMIO window below 4G, two vNUMA nodes (2 GiB
 * with 2 MiB alignment, 4 GiB with 1 GiB alignment), a 64 GiB 64-bit PCI
 * window and a 64 MiB VTL2 as post-MMIO. Array order mixes the classes, so
 * reason indexes (array positions) and class indexes differ.
 */
static const preq_t q35_req[] = {
	FIX(K_MMIO, 0xFE000000ULL, G4),		/* 0: fixed 0 */
	M32(K_ECAM, 256 * MiB, 256 * MiB),	/* 1: mmio32 0 */
	RAMQ(2 * GiB, 2 * MiB),			/* 2: ram 0 (vnode 0) */
	RAMQ(4 * GiB, GiB),			/* 3: ram 1 (vnode 1) */
	M64(K_PMMIO, 64 * GiB, GiB),		/* 4: mmio64 0 */
	POST(K_VTL2, 64 * MiB, 2 * MiB),	/* 5: post_mmio 0 */
	M32(K_MMIO, 32 * MiB, MiB),		/* 6: mmio32 1 */
};

/*
 * By hand, phase by phase (SPEC C4 "Phases"):
 * 1. fixed [0xFE000000, 4G): free [0, 0xFE000000), [4G, MAX).
 * 2. mmio32 by (alignment, size) descending: ECAM (256M/256M) first, top
 *    down in [0, 0xFE000000): align_down(0xFE000000 - 256M, 256M) =
 *    0xE0000000. Then MMIO (32M/1M) in the highest free range that holds
 *    it, [0xF0000000, 0xFE000000): align_down(0xFE000000 - 32M, 1M) =
 *    0xFC000000.
 * 3. ram 0 (2G/2M) from 0: [0, 2G). ram 1 (4G/1G) from 2G: [2G,
 *    0xE0000000) holds 1.5G, so the largest 1G multiple, [2G, 3G) (3G to
 *    0xE0000000 stays free: never backfilled); [0xF0000000, 0xFC000000)
 *    has no 1G-aligned start; the remaining 3G at [4G, 7G).
 * 4. mmio64 (64G/1G) at or above max(7G, 4G): [7G, 71G).
 * 5. VTL2 (64M/2M) above everything: [71G, 71G + 64M).
 */
static const placed_t q35_placed[] = {
	PL(0, 2 * GiB, CL_RAM, 0, K_RAM, 0),
	PL(2 * GiB, 3 * GiB, CL_RAM, 1, K_RAM, 1),
	PL(0xE0000000ULL, 0xF0000000ULL, CL_M32, 0, K_ECAM, 0),
	PL(0xFC000000ULL, 0xFE000000ULL, CL_M32, 1, K_MMIO, 0),
	PL(0xFE000000ULL, G4, CL_FIX, 0, K_MMIO, 0),
	PL(G4, 7 * GiB, CL_RAM, 1, K_RAM, 1),
	PL(7 * GiB, 71 * GiB, CL_M64, 0, K_PMMIO, 0),
	PL(71 * GiB, 71 * GiB + 64 * MiB, CL_POST, 0, K_VTL2, 0),
};

static const struct lay q35_c3 = {
	C3(RV(0, 2 * GiB, 0), RV(2 * GiB, 3 * GiB, 1), RV(G4, 7 * GiB, 1)),
	MMIO(R(0xFC000000ULL, 0xFE000000ULL), R(0xFE000000ULL, G4)),
	ECAM(R(0xE0000000ULL, 0xF0000000ULL)),
	PMMIO(R(7 * GiB, 71 * GiB)),
	VTL2(71 * GiB, 71 * GiB + 64 * MiB),
};

/*
 * arm64: a reserved low gigabyte (firmware, RAM above it), fixed
 * 0xEF000000-4G (GIC, UART, ...), a 256 MiB 32-bit PCI window, one 4 GiB
 * node, a 16 GiB 64-bit PCI window, a 2 MiB post-MMIO window, and a
 * reserved range far above everything.
 */
static const preq_t arm64_req[] = {
	RES(0, GiB),				/* 0: reserved 0 */
	FIX(K_MMIO, 0xEF000000ULL, G4),		/* 1: fixed 0 */
	M32(K_PMMIO, 256 * MiB, 2 * MiB),	/* 2: mmio32 0 */
	RAMQ(4 * GiB, 2 * MiB),			/* 3: ram 0 */
	M64(K_PMMIO, 16 * GiB, GiB),		/* 4: mmio64 0 */
	POST(K_MMIO, 2 * MiB, 2 * MiB),		/* 5: post_mmio 0 */
	RES(TiB, TiB + GiB),			/* 6: reserved 1 */
};

/*
 * 1. reserved [0, 1G) and [1T, 1T+1G), fixed [0xEF000000, 4G): free [1G,
 *    0xEF000000), [4G, 1T), [1T+1G, MAX).
 * 2. mmio32 top down: align_down(0xEF000000 - 256M, 2M) = 0xDF000000.
 * 3. ram 0 from 0: [1G, 0xDF000000) holds 0x9F000000 (a 2M multiple), the
 *    remaining 0x61000000 at [4G, 0x161000000).
 * 4. mmio64 at or above max(0x161000000, 4G), 1G aligned: [6G, 22G).
 * 5. post-MMIO above every non-reserved range (22G; the reserved range at
 *    1T does not count): [22G, 22G + 2M).
 * Result: reserved 0 is below other ranges and is reported; reserved 1
 * is above all of them and is dropped.
 */
static const placed_t arm64_placed[] = {
	PL(0, GiB, CL_RES, 0, 0, 0),
	PL(GiB, 0xDF000000ULL, CL_RAM, 0, K_RAM, 0),
	PL(0xDF000000ULL, 0xEF000000ULL, CL_M32, 0, K_PMMIO, 0),
	PL(0xEF000000ULL, G4, CL_FIX, 0, K_MMIO, 0),
	PL(G4, 0x161000000ULL, CL_RAM, 0, K_RAM, 0),
	PL(6 * GiB, 22 * GiB, CL_M64, 0, K_PMMIO, 0),
	PL(22 * GiB, 22 * GiB + 2 * MiB, CL_POST, 0, K_MMIO, 0),
};

static const struct lay arm64_c3 = {
	C3(RV(GiB, 0xDF000000ULL, 0), RV(G4, 0x161000000ULL, 0)),
	MMIO(R(0xEF000000ULL, G4), R(22 * GiB, 22 * GiB + 2 * MiB)),
	PMMIO(R(0xDF000000ULL, 0xEF000000ULL), R(6 * GiB, 22 * GiB)),
};

/*
 * D8: memory-less nodes 0 and 2 (size 0; any alignment, neither P1 nor
 * P2 applies) keep their numbers: node 1 at [0, 2G), node 3 at [2G, 3G).
 */
static const preq_t d8_req[] = {
	RAMQ(0, 0), RAMQ(2 * GiB, 2 * MiB), RAMQ(0, 3), RAMQ(GiB, PG),
};

static const placed_t d8_placed[] = {
	PL(0, 2 * GiB, CL_RAM, 1, K_RAM, 1),
	PL(2 * GiB, 3 * GiB, CL_RAM, 3, K_RAM, 3),
};

static const struct lay d8_c3 = { C3(RV(0, 2 * GiB, 1), RV(2 * GiB, 3 * GiB, 3)) };

/*
 * Pinned ranges that touch do not overlap (P3 is about overlap); a RAM
 * request runs through the gap between them and splits around them.
 * Reserved [3G, 4G), fixed [4G, 5G) and fixed [1G, 1G+4K): RAM (4G/4K)
 * from 0 takes [0, 1G), [1G+4K, 3G), then from 5G the rest, 4G - 1G -
 * (2G - 4K) = 1G + 4K: [5G, 6G + 4K). Reserved [3G, 4G) lies below other
 * ranges: reported.
 */
static const preq_t touch_req[] = {
	RES(3 * GiB, G4), FIX(K_ECAM, G4, 5 * GiB), FIX(K_MMIO, GiB, GiB + PG),
	RAMQ(4 * GiB, PG),
};

static const placed_t touch_placed[] = {
	PL(0, GiB, CL_RAM, 0, K_RAM, 0),
	PL(GiB, GiB + PG, CL_FIX, 1, K_MMIO, 0),
	PL(GiB + PG, 3 * GiB, CL_RAM, 0, K_RAM, 0),
	PL(3 * GiB, G4, CL_RES, 0, 0, 0),
	PL(G4, 5 * GiB, CL_FIX, 0, K_ECAM, 0),
	PL(5 * GiB, 6 * GiB + PG, CL_RAM, 0, K_RAM, 0),
};

static const struct lay touch_c3 = {
	C3(RV(0, GiB, 0), RV(GiB + PG, 3 * GiB, 0), RV(5 * GiB, 6 * GiB + PG, 0)),
	MMIO(R(GiB, GiB + PG)), ECAM(R(G4, 5 * GiB)),
};

FIXTURE(good) {
	int fd;
};

FIXTURE_VARIANT(good) {
	const char *what;
	const preq_t *req;
	uint32_t nr;
	const placed_t *placed;
	uint32_t nr_placed;
	const struct lay *c3;
};

FIXTURE_SETUP(good)
{
	setup_pages();
	self->fd = open_dev();
}

FIXTURE_TEARDOWN(good)
{
	close(self->fd);
}

#define GOOD(name, txt) \
	FIXTURE_VARIANT_ADD(good, name) { \
		.what = txt, .req = name##_req, .nr = ARRAY_SIZE(name##_req), \
		.placed = name##_placed, .nr_placed = ARRAY_SIZE(name##_placed), \
		.c3 = &name##_c3, \
	}

GOOD(q35, "x86 q35: 6 GiB in two nodes, ECAM, 64-bit PCI window, VTL2");
GOOD(arm64, "arm64: RAM above a reserved low range");
GOOD(d8, "D8: memory-less nodes keep their numbers");
GOOD(touch, "P3: touching pinned ranges, RAM split around them");

/*
 * SPEC C4: the placement the phases give, read back with its count
 * negotiation; the layout equals C3's of the same ranges; its dry run
 * replies the same fingerprint and publishes nothing; and it stays the
 * same when set again (deterministic), with the next generation.
 */
TEST_F(good, place)
{
	static const struct memlayout_place_reason pzero;
	struct memlayout_set s = pset(variant->req, variant->nr);
	struct memlayout_stats st;
	static struct model m;
	char fdi[4096], want[64];
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];
	uint64_t gen;

	TH_LOG("%s", variant->what);
	model_build(variant->c3, &m);

	/* Dry run first: the reply of a real one, nothing published. */
	s.flags = MEMLAYOUT_SET_DRY_RUN;
	memset(s.fingerprint, 0xff, sizeof(s.fingerprint));
	s.generation = 77;
	ASSERT_EQ(0, do_set(self->fd, &s)) TH_LOG("dry run: reason %s list %s index %u",
						  rulename(s.reason.rule),
						  listname(s.reason.list), s.reason.index);
	EXPECT_EQ(0, s.generation);
	EXPECT_EQ(0, memcmp(s.fingerprint, m.fp, sizeof(m.fp)))
		TH_LOG("dry run fingerprint %s, C3 model %s", fphex(s.fingerprint), fphex(m.fp));
	EXPECT_EQ(-ENOENT, get_stats(self->fd, &st));
	EXPECT_EQ(-ENOENT, get_placements(self->fd, NULL, 0, NULL, NULL));

	/* Now for real. */
	s = pset(variant->req, variant->nr);
	ASSERT_EQ(0, do_set(self->fd, &s)) TH_LOG("reason %s list %s index %u",
						  rulename(s.reason.rule),
						  listname(s.reason.list), s.reason.index);
	gen = s.generation;
	EXPECT_EQ(1, gen);
	memcpy(fp, s.fingerprint, sizeof(fp));
	EXPECT_EQ(0, memcmp(fp, m.fp, sizeof(fp)))
		TH_LOG("F1: fingerprint %s, C3 model %s", fphex(fp), fphex(m.fp));
	EXPECT_EQ(0, s.reason.rule | s.reason.list | s.reason.index | s.reason.field);
	EXPECT_EQ(0, memcmp(&s.place_reason, &pzero, sizeof(pzero)));
	EXPECT_TRUE(check_placed(self->fd, variant->placed, variant->nr_placed, gen));
	EXPECT_TRUE(same_as_c3(self->fd, variant->c3, gen));

	/* fdinfo names the number of placed ranges. */
	ASSERT_TRUE(read_fdinfo(self->fd, fdi, sizeof(fdi)));
	snprintf(want, sizeof(want), "\nplaced:\t%u\n", variant->nr_placed);
	EXPECT_TRUE(strstr(fdi, want) != NULL) TH_LOG("fdinfo:\n%s", fdi);

	/* Deterministic: the same requests, the same placement, next generation. */
	s = pset(variant->req, variant->nr);
	ASSERT_EQ(0, do_set(self->fd, &s));
	EXPECT_EQ(gen + 1, s.generation);
	EXPECT_EQ(0, memcmp(fp, s.fingerprint, sizeof(fp)));
	EXPECT_TRUE(check_placed(self->fd, variant->placed, variant->nr_placed, gen + 1));

	/* A dry run over it leaves it, and a C3 layout replaces the placements. */
	s = pset(q35_req, ARRAY_SIZE(q35_req));
	s.flags = MEMLAYOUT_SET_DRY_RUN;
	ASSERT_EQ(0, do_set(self->fd, &s));
	EXPECT_EQ(0, s.generation);
	EXPECT_TRUE(check_placed(self->fd, variant->placed, variant->nr_placed, gen + 1));
	ASSERT_EQ(0, set_lay(self->fd, variant->c3, &gen));
	EXPECT_TRUE(check_placed(self->fd, NULL, 0, gen));
}

/* ------------------------------------------------------------------ */
/* Rejections of the request array                                     */
/* ------------------------------------------------------------------ */

FIXTURE(bad) {
	int fd;
	long long orig;
	uint64_t gen;
};

FIXTURE_VARIANT(bad) {
	const char *what;
	preq_t req[10];
	uint32_t nr;
	uint32_t max_ranges;	/* 0: as it is */
	int err;
	struct memlayout_reason why;
	struct memlayout_place_reason pwhy;
};

/* Every rejection starts from a file holding the q35 placement. */
FIXTURE_SETUP(bad)
{
	struct memlayout_set s = pset(q35_req, ARRAY_SIZE(q35_req));

	setup_pages();
	self->orig = read_num(PARAM_PATH);
	ASSERT_LT(0, self->orig);
	self->fd = open_dev();
	ASSERT_EQ(0, do_set(self->fd, &s));
	self->gen = s.generation;
	if (variant->max_ranges)
		ASSERT_EQ(0, set_max_ranges(variant->max_ranges));
}

FIXTURE_TEARDOWN(bad)
{
	if (variant->max_ranges)
		set_max_ranges(self->orig);
	close(self->fd);
}

/*
 * @s must fail with @err, the reason @w and the placement reason @pw, with
 * no generation or fingerprint in the reply, and the file's layout (the
 * q35 placement at generation @gen) as it was: rej_reason()'s snapshot
 * (GET_STATS with the generation and the fingerprint, PROBE), and
 * GET_PLACEMENTS.
 */
static bool place_rej(int fd, struct memlayout_set *s, int err,
		      const struct memlayout_reason *w, const struct memlayout_place_reason *pw,
		      uint64_t gen, const char *what)
{
	const struct memlayout_place_reason *got = &s->place_reason;
	bool ok;

	memset(&s->place_reason, 0xEE, sizeof(s->place_reason));
	memset(s->fingerprint, 0xEE, sizeof(s->fingerprint));
	s->generation = ~0ULL;
	ok = rej_reason(fd, s, err, w, what);
	if (memcmp(got, pw, sizeof(*pw))) {
		diag("place_reason: expected %s %u other %s %u phase %s size %#" PRIx64 " align %#"
		     PRIx64 " free %#" PRIx64 " reserved %u", classname(pw->place_class), pw->index,
		     classname(pw->other_class), pw->other_index, classname(pw->phase),
		     (uint64_t)pw->size, (uint64_t)pw->align, (uint64_t)pw->free, pw->reserved);
		diag("          got      %s %u other %s %u phase %s size %#" PRIx64 " align %#"
		     PRIx64 " free %#" PRIx64 " reserved %u", classname(got->place_class), got->index,
		     classname(got->other_class), got->other_index, classname(got->phase),
		     (uint64_t)got->size, (uint64_t)got->align, (uint64_t)got->free,
		     got->reserved);
		ok = false;
	}
	ok &= eq64("rejected: generation", s->generation, 0);
	ok &= eq64("rejected: fingerprint", s->fingerprint[0] | s->fingerprint[31], 0);
	ok &= check_placed(fd, q35_placed, ARRAY_SIZE(q35_placed), gen);
	if (!ok)
		diag("failed: %s", what);
	return ok;
}

TEST_F(bad, set_layout)
{
	struct memlayout_set s = pset(variant->req, variant->nr);

	EXPECT_TRUE(place_rej(self->fd, &s, variant->err, &variant->why, &variant->pwhy,
			      self->gen, variant->what));
}

/* UAPI: an unknown class is MEMLAYOUT_REASON_FLAGS at its array position. */
FIXTURE_VARIANT_ADD(bad, class_0) {
	.what = "class 0",
	REQS(RAMQ(GiB, PG), { .place_class = 0 }),
	.err = -EOPNOTSUPP,
	.why = WHY(MEMLAYOUT_REASON_FLAGS, L_PLACE, 1, 0, 0, REQ_FIELD(place_class)),
};

FIXTURE_VARIANT_ADD(bad, class_7) {
	.what = "class 7 (one past post_mmio)",
	REQS({ .place_class = 7, .size = PG, .align = PG }, RAMQ(GiB, PG)),
	.err = -EOPNOTSUPP,
	.why = WHY(MEMLAYOUT_REASON_FLAGS, L_PLACE, 0, 0, 0, REQ_FIELD(place_class)),
};

FIXTURE_VARIANT_ADD(bad, class_0xffffffff) {
	.what = "class 0xffffffff after a valid array",
	REQS(RAMQ(GiB, PG), M32(K_MMIO, PG, PG), FIX(K_MMIO, 3 * GiB, G4),
	     { .place_class = 0xFFFFFFFFU }),
	.err = -EOPNOTSUPP,
	.why = WHY(MEMLAYOUT_REASON_FLAGS, L_PLACE, 3, 0, 0, REQ_FIELD(place_class)),
};

/*
 * UAPI struct memlayout_place_req: a member the class does not use must be
 * zero (MEMLAYOUT_REASON_RESERVED naming it, at the array position); in
 * array order together with the class. The placement reason stays zero
 * here, as memlayout_set_place() writes it today (ml_check_place_reqs()
 * names the position only), although the header's struct
 * memlayout_place_reason reads as if the interface reasons on
 * MEMLAYOUT_LIST_PLACE carried the class and index too, as the kind's
 * does: one of the two is to change.
 */
FIXTURE_VARIANT_ADD(bad, unused_reserved_size) {
	.what = "reserved with a size",
	REQS(RAMQ(GiB, PG), { .place_class = CL_RES, .start = 8 * GiB, .end = 9 * GiB, .size = PG }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(size)),
};

FIXTURE_VARIANT_ADD(bad, unused_reserved_align) {
	.what = "reserved with an alignment",
	REQS({ .place_class = CL_RES, .start = 8 * GiB, .end = 9 * GiB, .align = PG }, RAMQ(GiB, PG)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 0, 0, 0, REQ_FIELD(align)),
};

FIXTURE_VARIANT_ADD(bad, unused_fixed_size) {
	.what = "fixed with a size",
	REQS(RAMQ(GiB, PG), { .place_class = CL_FIX, .kind = K_MMIO, .start = 3 * GiB, .end = G4,
			      .size = GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(size)),
};

FIXTURE_VARIANT_ADD(bad, unused_fixed_align) {
	.what = "fixed with an alignment",
	REQS(RAMQ(GiB, PG), { .place_class = CL_FIX, .kind = K_MMIO, .start = 3 * GiB, .end = G4,
			      .align = 1 }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(align)),
};

FIXTURE_VARIANT_ADD(bad, unused_mmio32_start) {
	.what = "mmio32 with a start",
	REQS(RAMQ(GiB, PG), { .place_class = CL_M32, .kind = K_MMIO, .size = PG, .align = PG,
			      .start = 3 * GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(start)),
};

FIXTURE_VARIANT_ADD(bad, unused_ram_end) {
	.what = "ram with an end",
	REQS({ .place_class = CL_RAM, .size = GiB, .align = PG, .end = GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 0, 0, 0, REQ_FIELD(end)),
};

FIXTURE_VARIANT_ADD(bad, unused_mmio64_start) {
	.what = "mmio64 with a start",
	REQS(RAMQ(GiB, PG), { .place_class = CL_M64, .kind = K_PMMIO, .size = GiB, .align = GiB,
			      .start = 64 * GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(start)),
};

FIXTURE_VARIANT_ADD(bad, unused_post_end) {
	.what = "post_mmio with an end",
	REQS(RAMQ(GiB, PG), M64(K_PMMIO, GiB, GiB),
	     { .place_class = CL_POST, .kind = K_VTL2, .size = 2 * MiB, .align = 2 * MiB, .end = 1 }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 2, 0, 0, REQ_FIELD(end)),
};

FIXTURE_VARIANT_ADD(bad, unused_mmio32_end) {
	.what = "mmio32 with an end",
	REQS(RAMQ(GiB, PG), { .place_class = CL_M32, .kind = K_ECAM, .size = PG, .align = PG,
			      .end = G4 }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(end)),
};

FIXTURE_VARIANT_ADD(bad, unused_ram_start) {
	.what = "ram with a start",
	REQS(RAMQ(GiB, PG), { .place_class = CL_RAM, .size = GiB, .align = PG, .start = 8 * GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(start)),
};

FIXTURE_VARIANT_ADD(bad, unused_memoryless_ram_end) {
	.what = "a memory-less node (D8) with an end",
	REQS(RAMQ(GiB, PG), { .place_class = CL_RAM, .end = PG }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(end)),
};

FIXTURE_VARIANT_ADD(bad, unused_mmio64_end) {
	.what = "mmio64 with an end",
	REQS(RAMQ(GiB, PG), { .place_class = CL_M64, .kind = K_MMIO, .size = GiB, .align = GiB,
			      .end = 65 * GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(end)),
};

FIXTURE_VARIANT_ADD(bad, unused_post_start) {
	.what = "post_mmio with a start",
	REQS({ .place_class = CL_POST, .kind = K_MMIO, .size = PG, .align = PG, .start = 99 * GiB },
	     RAMQ(GiB, PG)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 0, 0, 0, REQ_FIELD(start)),
};

FIXTURE_VARIANT_ADD(bad, unused_start_before_end) {
	.what = "order: start named before end",
	REQS(RAMQ(GiB, PG), { .place_class = CL_M64, .kind = K_MMIO, .size = GiB, .align = GiB,
			      .start = 64 * GiB, .end = 65 * GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(start)),
};

FIXTURE_VARIANT_ADD(bad, unused_size_before_align) {
	.what = "order: size named before align",
	REQS(RAMQ(GiB, PG), { .place_class = CL_FIX, .kind = K_MMIO, .start = 3 * GiB, .end = G4,
			      .size = PG, .align = PG }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(size)),
};

FIXTURE_VARIANT_ADD(bad, order_unused_before_later_class) {
	.what = "order: an unused member at 0 before an unknown class at 1",
	REQS({ .place_class = CL_RAM, .size = GiB, .align = PG, .start = 1 }, { .place_class = 9 }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 0, 0, 0, REQ_FIELD(start)),
};

FIXTURE_VARIANT_ADD(bad, order_class_before_later_unused) {
	.what = "order: an unknown class at 0 before an unused member at 1",
	REQS({ .place_class = 9 }, { .place_class = CL_RAM, .size = GiB, .align = PG, .start = 1 }),
	.err = -EOPNOTSUPP,
	.why = WHY(MEMLAYOUT_REASON_FLAGS, L_PLACE, 0, 0, 0, REQ_FIELD(place_class)),
};

/*
 * UAPI: a kind the class does not allow (fixed, mmio32, mmio64: a hole
 * kind; post_mmio: a hole kind or one VTL2; reserved and ram: 0) is
 * MEMLAYOUT_REASON_RESERVED naming kind, with the class and its index.
 */
FIXTURE_VARIANT_ADD(bad, kind_fixed_0) {
	.what = "fixed of kind 0",
	REQS(RAMQ(GiB, PG), FIX(K_MMIO, 2 * GiB, 3 * GiB), FIX(K_NONE, 3 * GiB, G4)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 2, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_FIX, 1),
};

FIXTURE_VARIANT_ADD(bad, kind_fixed_ram) {
	.what = "fixed of kind ram",
	REQS(RAMQ(GiB, PG), FIX(K_RAM, 3 * GiB, G4)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_FIX, 0),
};

FIXTURE_VARIANT_ADD(bad, kind_fixed_vtl2) {
	.what = "fixed of kind vtl2 (post_mmio only)",
	REQS(RAMQ(GiB, PG), FIX(K_VTL2, 8 * GiB, 9 * GiB)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_FIX, 0),
};

FIXTURE_VARIANT_ADD(bad, kind_mmio32_6) {
	.what = "mmio32 of kind 6",
	REQS(M32(K_MMIO, PG, PG), M32(6, PG, PG), RAMQ(GiB, PG)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_M32, 1),
};

FIXTURE_VARIANT_ADD(bad, kind_mmio64_vtl2) {
	.what = "mmio64 of kind vtl2",
	REQS(RAMQ(GiB, PG), M64(K_VTL2, GiB, GiB)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_M64, 0),
};

FIXTURE_VARIANT_ADD(bad, kind_ram_ram) {
	.what = "ram of kind ram (must be 0)",
	REQS(RAMQ(GiB, PG), { .place_class = CL_RAM, .kind = K_RAM, .size = GiB, .align = PG }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_RAM, 1),
};

FIXTURE_VARIANT_ADD(bad, kind_reserved_mmio) {
	.what = "reserved of kind mmio (must be 0)",
	REQS(RAMQ(GiB, PG), { .place_class = CL_RES, .kind = K_MMIO, .start = 8 * GiB,
			      .end = 9 * GiB }),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 1, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_RES, 0),
};

FIXTURE_VARIANT_ADD(bad, kind_second_vtl2) {
	.what = "a second post_mmio of kind vtl2",
	REQS(RAMQ(GiB, PG), POST(K_VTL2, 2 * MiB, 2 * MiB), POST(K_MMIO, PG, PG),
	     POST(K_VTL2, 2 * MiB, 2 * MiB)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_REASON_RESERVED, L_PLACE, 3, 0, 0, REQ_FIELD(kind)),
	.pwhy = PWHY(CL_POST, 2),
};

/* SPEC R8 per class: the class's count over max_ranges, index the limit. */
FIXTURE_VARIANT_ADD(bad, r8_five_mmio32_limit_4) {
	.what = "R8: five mmio32 requests, max_ranges 4",
	REQS(RAMQ(GiB, PG), M32(K_MMIO, PG, PG), M32(K_MMIO, PG, PG), M32(K_MMIO, PG, PG),
	     M32(K_MMIO, PG, PG), M32(K_MMIO, PG, PG)),
	.max_ranges = 4,
	.err = -E2BIG,
	.why = WPLACE(MEMLAYOUT_RULE_TOO_MANY, 4),
	.pwhy = PWHY(CL_M32, 4),
};

FIXTURE_VARIANT_ADD(bad, r8_three_reserved_limit_2) {
	.what = "R8: three reserved ranges, max_ranges 2 (before R2 and P3)",
	REQS(RAMQ(GiB, PG), RES(8 * GiB, 9 * GiB), RES(8 * GiB, 9 * GiB), RES(1, 0)),
	.max_ranges = 2,
	.err = -E2BIG,
	.why = WPLACE(MEMLAYOUT_RULE_TOO_MANY, 2),
	.pwhy = PWHY(CL_RES, 2),
};

FIXTURE_VARIANT_ADD(bad, r8_two_nodes_limit_1) {
	.what = "R8: two RAM requests, max_ranges 1 (before the kinds)",
	REQS(RAMQ(GiB, PG), RAMQ(0, 0), FIX(K_RAM, 0, PG)),
	.max_ranges = 1,
	.err = -E2BIG,
	.why = WPLACE(MEMLAYOUT_RULE_TOO_MANY, 1),
	.pwhy = PWHY(CL_RAM, 1),
};

FIXTURE_VARIANT_ADD(bad, r8_array_over_6x_limit_1) {
	.what = "R8: seven requests with max_ranges 1 (6 classes x 1)",
	REQS(RAMQ(GiB, PG), RES(8 * GiB, 9 * GiB), FIX(K_MMIO, 3 * GiB, G4),
	     M32(K_MMIO, PG, PG), M64(K_MMIO, PG, PG), POST(K_MMIO, PG, PG), { .place_class = 0 }),
	.max_ranges = 1,
	.err = -E2BIG,
	.why = WPLACE(MEMLAYOUT_RULE_TOO_MANY, 6),
};

/* R8 again in the build: three MMIO holes from two classes, max_ranges 2. */
FIXTURE_VARIANT_ADD(bad, r8_built_mmio_list_limit_2) {
	.what = "R8: fixed x2 + mmio32 = 3 MMIO holes in the layout, max_ranges 2",
	REQS(FIX(K_MMIO, GiB, GiB + PG), FIX(K_MMIO, 2 * GiB, 2 * GiB + PG),
	     M32(K_MMIO, PG, PG), RAMQ(GiB, PG)),
	.max_ranges = 2,
	.err = -E2BIG,
	.why = WHY(MEMLAYOUT_RULE_TOO_MANY, L_MMIO, 2, 0, 0, 0),
};

/* ... and a RAM request split into three extents, max_ranges 2. */
FIXTURE_VARIANT_ADD(bad, r8_built_ram_extents_limit_2) {
	.what = "R8: one RAM request split into 3 extents, max_ranges 2",
	REQS(FIX(K_MMIO, GiB, GiB + PG), FIX(K_PMMIO, 2 * GiB, 2 * GiB + PG), RAMQ(3 * GiB, PG)),
	.max_ranges = 2,
	.err = -E2BIG,
	.why = WHY(MEMLAYOUT_RULE_TOO_MANY, L_RAM, 2, 0, 0, 0),
};

/* SPEC C4 / R2 on the pinned ranges: named by class and index. */
FIXTURE_VARIANT_ADD(bad, r2_reserved_empty) {
	.what = "R2: reserved [8G, 8G)",
	REQS(RAMQ(GiB, PG), RES(8 * GiB, 8 * GiB)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_BAD_RANGE, 1),
	.pwhy = PWHY(CL_RES, 0),
};

FIXTURE_VARIANT_ADD(bad, r2_fixed_reversed) {
	.what = "R2: fixed 1 reversed",
	REQS(FIX(K_MMIO, 3 * GiB, G4), RAMQ(GiB, PG), FIX(K_ECAM, 9 * GiB, 8 * GiB)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_BAD_RANGE, 2),
	.pwhy = PWHY(CL_FIX, 1),
};

FIXTURE_VARIANT_ADD(bad, r2_fixed_unaligned_start) {
	.what = "R2: fixed start 3G+1",
	REQS(RAMQ(GiB, PG), FIX(K_MMIO, 3 * GiB + 1, G4)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_BAD_RANGE, 1),
	.pwhy = PWHY(CL_FIX, 0),
};

FIXTURE_VARIANT_ADD(bad, r2_reserved_end_above_max) {
	.what = "R2: reserved ending at 2^64 - 1",
	REQS(RAMQ(GiB, PG), RES(MAXA - PG, ~0ULL)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_BAD_RANGE, 1),
	.pwhy = PWHY(CL_RES, 0),
};

FIXTURE_VARIANT_ADD(bad, r2_before_p3) {
	.what = "order: R2 on fixed 1 before P3 of reserved 0 and fixed 0",
	REQS(RES(GiB, 2 * GiB), FIX(K_MMIO, GiB, 2 * GiB), FIX(K_MMIO, 5 * GiB, 5 * GiB + 1),
	     RAMQ(GiB, PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_BAD_RANGE, 2),
	.pwhy = PWHY(CL_FIX, 1),
};

/*
 * SPEC P3: sort the pinned ranges by start, stably (reserved before fixed,
 * each in caller order); the first two neighbours that overlap are named.
 */
FIXTURE_VARIANT_ADD(bad, p3_first_pair_by_start) {
	.what = "P3: reserved 0 and fixed 1 (the first overlapping neighbours)",
	REQS(RES(GiB, 2 * GiB), FIX(K_MMIO, 3 * GiB, G4), FIX(K_ECAM, GiB + GiB / 2, 2 * GiB - PG),
	     RES(3 * GiB + GiB / 2, 5 * GiB), RAMQ(GiB, PG)),
	.err = -EEXIST,
	.why = WHY(MEMLAYOUT_RULE_PINNED_OVERLAP, L_PLACE, 0, L_PLACE, 2, 0),
	.pwhy = PWHY_P3(CL_RES, 0, CL_FIX, 1),
};

FIXTURE_VARIANT_ADD(bad, p3_same_start_reserved_first) {
	.what = "P3: fixed and reserved at the same start: reserved sorts first",
	REQS(FIX(K_MMIO, 2 * GiB, 3 * GiB), RES(2 * GiB, 2 * GiB + PG), RAMQ(GiB, PG)),
	.err = -EEXIST,
	.why = WHY(MEMLAYOUT_RULE_PINNED_OVERLAP, L_PLACE, 1, L_PLACE, 0, 0),
	.pwhy = PWHY_P3(CL_RES, 0, CL_FIX, 0),
};

FIXTURE_VARIANT_ADD(bad, p3_identical_fixed) {
	.what = "P3: two identical fixed ranges, in caller order",
	REQS(RAMQ(GiB, PG), FIX(K_PMMIO, 3 * GiB, G4), FIX(K_MMIO, 3 * GiB, G4)),
	.err = -EEXIST,
	.why = WHY(MEMLAYOUT_RULE_PINNED_OVERLAP, L_PLACE, 1, L_PLACE, 2, 0),
	.pwhy = PWHY_P3(CL_FIX, 0, CL_FIX, 1),
};

FIXTURE_VARIANT_ADD(bad, p3_lowest_pair_not_first_given) {
	.what = "P3: the lowest overlapping pair, not the first given",
	REQS(FIX(K_MMIO, 8 * GiB, 9 * GiB), FIX(K_MMIO, 8 * GiB + GiB / 2, 10 * GiB),
	     RES(GiB, 2 * GiB), RES(GiB + GiB / 2, 3 * GiB), RAMQ(GiB, PG)),
	.err = -EEXIST,
	.why = WHY(MEMLAYOUT_RULE_PINNED_OVERLAP, L_PLACE, 2, L_PLACE, 3, 0),
	.pwhy = PWHY_P3(CL_RES, 0, CL_RES, 1),
};

FIXTURE_VARIANT_ADD(bad, p3_before_p1) {
	.what = "order: P3 before P1 (an mmio32 of size 0 given first)",
	REQS(M32(K_MMIO, 0, PG), FIX(K_MMIO, 3 * GiB, G4), RES(3 * GiB + PG, 3 * GiB + 2 * PG),
	     RAMQ(GiB, PG)),
	.err = -EEXIST,
	.why = WHY(MEMLAYOUT_RULE_PINNED_OVERLAP, L_PLACE, 1, L_PLACE, 2, 0),
	.pwhy = PWHY_P3(CL_FIX, 0, CL_RES, 0),
};

/* SPEC P1: every size is a non-zero multiple of 4096 (D8: RAM may be 0). */
FIXTURE_VARIANT_ADD(bad, p1_mmio32_size_0) {
	.what = "P1: mmio32 size 0",
	REQS(RAMQ(GiB, PG), M32(K_MMIO, PG, PG), M32(K_ECAM, 0, PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_SIZE, 2),
	.pwhy = PWHY_SZ(CL_M32, 1, 0, PG),
};

FIXTURE_VARIANT_ADD(bad, p1_ram_unaligned) {
	.what = "P1: ram 1 size 4097",
	REQS(RAMQ(GiB, PG), RAMQ(PG + 1, PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_SIZE, 1),
	.pwhy = PWHY_SZ(CL_RAM, 1, PG + 1, PG),
};

FIXTURE_VARIANT_ADD(bad, p1_mmio64_size_2048) {
	.what = "P1: mmio64 size 2048",
	REQS(RAMQ(GiB, PG), M64(K_PMMIO, 2048, GiB)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_SIZE, 1),
	.pwhy = PWHY_SZ(CL_M64, 0, 2048, GiB),
};

FIXTURE_VARIANT_ADD(bad, p1_post_size_0) {
	.what = "P1: post_mmio (vtl2) size 0",
	REQS(RAMQ(GiB, PG), POST(K_VTL2, 0, 2 * MiB)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_SIZE, 1),
	.pwhy = PWHY_SZ(CL_POST, 0, 0, 2 * MiB),
};

FIXTURE_VARIANT_ADD(bad, p1_before_p2_same_request) {
	.what = "order: P1 before P2 in one request (size 0, alignment 0)",
	REQS(RAMQ(GiB, PG), M64(K_MMIO, 0, 0)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_SIZE, 1),
	.pwhy = PWHY_SZ(CL_M64, 0, 0, 0),
};

/* SPEC P2: every alignment is a power of two of at least 4096. */
FIXTURE_VARIANT_ADD(bad, p2_align_0) {
	.what = "P2: mmio32 alignment 0 (no default in the kernel)",
	REQS(RAMQ(GiB, PG), M32(K_MMIO, PG, 0)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_ALIGN, 1),
	.pwhy = PWHY_SZ(CL_M32, 0, PG, 0),
};

FIXTURE_VARIANT_ADD(bad, p2_align_2048) {
	.what = "P2: ram alignment 2048",
	REQS(RAMQ(GiB, 2048)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_ALIGN, 0),
	.pwhy = PWHY_SZ(CL_RAM, 0, GiB, 2048),
};

FIXTURE_VARIANT_ADD(bad, p2_align_12k) {
	.what = "P2: mmio64 alignment 12K (not a power of two)",
	REQS(RAMQ(GiB, PG), M64(K_PMMIO, GiB, 3 * PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_ALIGN, 1),
	.pwhy = PWHY_SZ(CL_M64, 0, GiB, 3 * PG),
};

FIXTURE_VARIANT_ADD(bad, p2_align_2_63_plus_4k) {
	.what = "P2: post_mmio alignment 2^63 + 4K",
	REQS(RAMQ(GiB, PG), POST(K_MMIO, PG, (1ULL << 63) + PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_ALIGN, 1),
	.pwhy = PWHY_SZ(CL_POST, 0, PG, (1ULL << 63) + PG),
};

FIXTURE_VARIANT_ADD(bad, order_p2_mmio32_before_p1_ram) {
	.what = "order: P2 of an mmio32 before P1 of a RAM request given earlier",
	REQS(RAMQ(PG + 1, PG), M32(K_MMIO, PG, 3 * PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_ALIGN, 1),
	.pwhy = PWHY_SZ(CL_M32, 0, PG, 3 * PG),
};

FIXTURE_VARIANT_ADD(bad, order_p1_ram_before_p2_post) {
	.what = "order: P1 of a RAM request before P2 of a post_mmio given earlier",
	REQS(POST(K_MMIO, PG, 0), RAMQ(GiB + 1, PG)),
	.err = -EINVAL,
	.why = WPLACE(MEMLAYOUT_RULE_PLACE_SIZE, 1),
	.pwhy = PWHY_SZ(CL_RAM, 0, GiB + 1, PG),
};

/*
 * SPEC P4 in each phase: -ENOSPC with the request's size and alignment,
 * the phase, and the free bytes between the phase's floor and its limit.
 */
FIXTURE_VARIANT_ADD(bad, p4_mmio32) {
	.what = "P4 mmio32: 512M asked, 256M free below 4G",
	REQS(RES(0, 0xF0000000ULL), M32(K_MMIO, 512 * MiB, PG), RAMQ(GiB, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 1),
	.pwhy = PWHY_P4(CL_M32, 0, 512 * MiB, PG, 256 * MiB),
};

FIXTURE_VARIANT_ADD(bad, p4_mmio32_alignment) {
	.what = "P4 mmio32: 4K free, but not at an 8K boundary",
	REQS(RES(0, PG), FIX(K_MMIO, 2 * PG, G4), M32(K_PMMIO, PG, 2 * PG), RAMQ(GiB, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 2),
	.pwhy = PWHY_P4(CL_M32, 0, PG, 2 * PG, PG),
};

/*
 * mmio32 by (alignment, size) descending: the ECAM (index 1) goes first,
 * at [0xF0000000, 4G); then index 0 at [0xE0000000, 0xF0000000); index 2
 * finds nothing left below 4G.
 */
FIXTURE_VARIANT_ADD(bad, p4_mmio32_third_by_order) {
	.what = "P4 mmio32: index 2 fails after the sort placed 1 then 0",
	REQS(RES(0, 0xE0000000ULL), M32(K_MMIO, 256 * MiB, PG), M32(K_ECAM, 256 * MiB, 256 * MiB),
	     M32(K_MMIO, PG, PG), RAMQ(GiB, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 3),
	.pwhy = PWHY_P4(CL_M32, 2, PG, PG, 0),
};

FIXTURE_VARIANT_ADD(bad, p4_ram_second_node) {
	.what = "P4 ram: node 1 from the end of node 0, 3G free up to the reserved top",
	REQS(RES(G4, MAXA), RAMQ(GiB, PG), RAMQ(3 * GiB + PG, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 2),
	.pwhy = PWHY_P4(CL_RAM, 1, 3 * GiB + PG, PG, 3 * GiB),
};

/*
 * RAM never backfills: node 0 (2G at 1G alignment) is [1G, 3G), so [8K,
 * 1G) above the fixed range stays free; node 1 starts at 3G, where 1G is
 * free up to the reserved top, and the free bytes below 3G do not count.
 */
FIXTURE_VARIANT_ADD(bad, p4_ram_no_backfill) {
	.what = "P4 ram: free space below the end of RAM is not counted",
	REQS(FIX(K_MMIO, 0, 2 * PG), RES(G4, MAXA), RAMQ(2 * GiB, GiB), RAMQ(GiB + PG, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 3),
	.pwhy = PWHY_P4(CL_RAM, 1, GiB + PG, PG, GiB),
};

FIXTURE_VARIANT_ADD(bad, p4_mmio64) {
	.what = "P4 mmio64: 8G asked, 4G free in [4G, 8G)",
	REQS(RES(8 * GiB, MAXA), RAMQ(2 * GiB, PG), M64(K_PMMIO, 8 * GiB, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 2),
	.pwhy = PWHY_P4(CL_M64, 0, 8 * GiB, PG, 4 * GiB),
};

FIXTURE_VARIANT_ADD(bad, p4_post_mmio) {
	.what = "P4 post_mmio: 16G asked, 8G free from the end of mmio64",
	REQS(RES(16 * GiB, MAXA), RAMQ(GiB, PG), M64(K_MMIO, 4 * GiB, 4 * GiB),
	     POST(K_VTL2, 16 * GiB, PG)),
	.err = -ENOSPC,
	.why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 3),
	.pwhy = PWHY_P4(CL_POST, 0, 16 * GiB, PG, 8 * GiB),
};

/* SPEC R5 after every phase: a placement with no RAM extent. */
FIXTURE_VARIANT_ADD(bad, r5_no_ram_request) {
	.what = "R5: holes only",
	REQS(M32(K_MMIO, PG, PG), FIX(K_ECAM, 3 * GiB, G4), M64(K_PMMIO, GiB, GiB),
	     POST(K_VTL2, 2 * MiB, 2 * MiB)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_RULE_NO_RAM, L_RAM, 0, 0, 0, 0),
};

FIXTURE_VARIANT_ADD(bad, r5_memoryless_nodes_only) {
	.what = "R5 and D8: only memory-less nodes",
	REQS(RAMQ(0, 0), RAMQ(0, PG), M64(K_PMMIO, GiB, GiB)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_RULE_NO_RAM, L_RAM, 0, 0, 0, 0),
};

FIXTURE_VARIANT_ADD(bad, r5_no_request) {
	.what = "R5: C4 with no request at all",
	.nr = 0,
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_RULE_NO_RAM, L_RAM, 0, 0, 0, 0),
};

FIXTURE_VARIANT_ADD(bad, r5_pinned_only) {
	.what = "R5: reserved and fixed ranges only",
	REQS(RES(0, GiB), FIX(K_MMIO, 3 * GiB, G4)),
	.err = -EINVAL,
	.why = WHY(MEMLAYOUT_RULE_NO_RAM, L_RAM, 0, 0, 0, 0),
};

/* ------------------------------------------------------------------ */
/* Rejections of struct memlayout_set's own members                     */
/* ------------------------------------------------------------------ */

/* One member of the q35 SET_LAYOUT changed, at run time. */
struct spoke {
	const char *what;
	void (*poke)(struct memlayout_set *s);
	int err;
	struct memlayout_reason why;
};

static mr_t one_hole[1] = { R(64 * GiB, 65 * GiB) };
static uint64_t one_node[1] = { GiB };

static void pk_place_flags_1(struct memlayout_set *s)
{
	s->place_flags = 1;
}

static void pk_place_flags_top(struct memlayout_set *s)
{
	s->place_flags = 0x80000000U;
}

static void pk_place_flags_ram_size(struct memlayout_set *s)
{
	s->place_flags = 2;
	s->ram_size = GiB;
}
static void pk_flag_vtl2(struct memlayout_set *s)
{
	s->flags |= MEMLAYOUT_SET_VTL2;
}

static void pk_flag_unknown(struct memlayout_set *s)
{
	s->flags |= 4;
}

static void pk_vtl2_range(struct memlayout_set *s)
{
	s->vtl2.start = 128 * GiB;
	s->vtl2.end = 129 * GiB;
}
static void pk_vtl2_reserved(struct memlayout_set *s)
{
	s->vtl2.reserved = 1;
}

static void pk_mmio(struct memlayout_set *s)
{
	s->mmio_ptr = U64P(one_hole);
	s->nr_mmio = 1;
}
static void pk_nr_ecam(struct memlayout_set *s)
{
	s->nr_pci_ecam = 1;
}

static void pk_pmmio_ptr(struct memlayout_set *s)
{
	s->pci_mmio_ptr = U64P(one_hole);
}

static void pk_ram_size(struct memlayout_set *s)
{
	s->ram_size = GiB;
}

static void pk_nodes(struct memlayout_set *s)
{
	s->nodes_ptr = U64P(one_node);
	s->nr_nodes = 1;
}
static void pk_ram(struct memlayout_set *s)
{
	s->ram_ptr = U64P(one_hole);
	s->nr_ram = 1;
}
static void pk_no_place_ptr(struct memlayout_set *s)
{
	s->place_ptr = 0;
}

static void pk_no_nr_place(struct memlayout_set *s)
{
	s->nr_place = 0;
}

static void pk_c1_nr_place(struct memlayout_set *s)
{
	s->source = MEMLAYOUT_SOURCE_SIZE;
	s->ram_size = GiB;
	s->place_ptr = 0;
}
static void pk_c1_place_ptr(struct memlayout_set *s)
{
	s->source = MEMLAYOUT_SOURCE_SIZE;
	s->ram_size = GiB;
	s->nr_place = 0;
}
static void pk_c3_both(struct memlayout_set *s)
{
	pk_ram(s);
	s->source = MEMLAYOUT_SOURCE_RANGES;
}
static void pk_place_unmapped(struct memlayout_set *s)
{
	s->place_ptr = U64P(PAGE_NONE);
}

static void pk_place_straddle(struct memlayout_set *s)
{
	/* The first request readable, the second in the PROT_NONE page. */
	s->place_ptr = U64P(PAGE_NONE - sizeof(preq_t));
	memcpy(PAGE_NONE - sizeof(preq_t), &q35_req[2], sizeof(preq_t));
	s->nr_place = 2;
}
static void pk_nr_place_u32_max(struct memlayout_set *s)
{
	s->nr_place = ~0U;
}


#define SWHY(r, f)	{ .rule = (r), .field = SET_FIELD(f) }

static const struct spoke spokes[] = {
	{ "place_flags 1", pk_place_flags_1, -EOPNOTSUPP,
	  SWHY(MEMLAYOUT_REASON_FLAGS, place_flags) },
	{ "place_flags 0x80000000", pk_place_flags_top, -EOPNOTSUPP,
	  SWHY(MEMLAYOUT_REASON_FLAGS, place_flags) },
	{ "order: place_flags before an unused ram_size", pk_place_flags_ram_size, -EOPNOTSUPP,
	  SWHY(MEMLAYOUT_REASON_FLAGS, place_flags) },
	{ "unknown SET flag 4 with C4", pk_flag_unknown, -EOPNOTSUPP,
	  SWHY(MEMLAYOUT_REASON_FLAGS, flags) },
	{ "MEMLAYOUT_SET_VTL2 with C4 (VTL2 is a request)", pk_flag_vtl2, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, flags) },
	{ "a VTL2 range with C4", pk_vtl2_range, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, vtl2) },
	{ "VTL2's reserved member with C4", pk_vtl2_reserved, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, vtl2) },
	{ "an MMIO list with C4", pk_mmio, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, mmio_ptr) },
	{ "a PCI ECAM count with C4", pk_nr_ecam, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, pci_ecam_ptr) },
	{ "a PCI MMIO pointer with C4", pk_pmmio_ptr, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, pci_mmio_ptr) },
	{ "C1's ram_size with C4", pk_ram_size, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, ram_size) },
	{ "C2's nodes with C4", pk_nodes, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, nr_nodes) },
	{ "C3's RAM list with C4", pk_ram, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, nr_ram) },
	{ "nr_place without place_ptr", pk_no_place_ptr, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, place_ptr) },
	{ "place_ptr without nr_place", pk_no_nr_place, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, place_ptr) },
	{ "C1 with nr_place", pk_c1_nr_place, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, nr_place) },
	{ "C1 with place_ptr", pk_c1_place_ptr, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, place_ptr) },
	{ "C3 with a request array", pk_c3_both, -EINVAL,
	  SWHY(MEMLAYOUT_REASON_RESERVED, nr_place) },
	{ "nr_place U32_MAX (R8, before the copy)", pk_nr_place_u32_max, -E2BIG,
	  { 0 } /* filled in: rule 8, the limit */ },
	{ "place_ptr unmapped", pk_place_unmapped, -EFAULT, { 0 } },
	{ "the request array runs into an unmapped page", pk_place_straddle, -EFAULT, { 0 } },
};

FIXTURE(sbad) {
	int fd;
	uint64_t gen;
	uint32_t limit;
};

FIXTURE_SETUP(sbad)
{
	struct memlayout_set s = pset(q35_req, ARRAY_SIZE(q35_req));
	struct memlayout_info in = { .size = sizeof(in) };

	setup_pages();
	self->fd = open_dev();
	ASSERT_EQ(0, do_set(self->fd, &s));
	self->gen = s.generation;
	ASSERT_EQ(0, xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in));
	self->limit = in.max_ranges;
}

FIXTURE_TEARDOWN(sbad)
{
	close(self->fd);
}

/*
 * UAPI struct memlayout_set with C4: MEMLAYOUT_REASON_FLAGS and
 * MEMLAYOUT_REASON_RESERVED name the member (list none, field its
 * offset); -EFAULT on the array has no reason; R8 on the whole array
 * (more than 6 * max_ranges) names list place and the limit, before the
 * array is read. The layout stays every time.
 */
TEST_F(sbad, set_members)
{
	static const struct memlayout_place_reason zero;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spokes); i++) {
		struct memlayout_set s = pset(q35_req, ARRAY_SIZE(q35_req));
		struct memlayout_reason why = spokes[i].why;

		spokes[i].poke(&s);
		if (spokes[i].err == -E2BIG)
			why = (struct memlayout_reason)WPLACE(MEMLAYOUT_RULE_TOO_MANY,
							      6 * self->limit);
		EXPECT_TRUE(place_rej(self->fd, &s, spokes[i].err, &why, &zero, self->gen,
				      spokes[i].what));
	}
}

/* R8 on the whole array at exactly 6 * max_ranges + 1, never read. */
TEST_F(sbad, r8_array_one_over)
{
	static const struct memlayout_place_reason zero;
	struct memlayout_set s = pset(q35_req, ARRAY_SIZE(q35_req));
	struct memlayout_reason why = WPLACE(MEMLAYOUT_RULE_TOO_MANY, 6 * self->limit);

	s.nr_place = 6 * self->limit + 1;
	s.place_ptr = U64P(PAGE_NONE);	/* would be -EFAULT if it were read */
	EXPECT_TRUE(place_rej(self->fd, &s, -E2BIG, &why, &zero, self->gen,
			      "R8: 6 * max_ranges + 1 requests"));
}

/* Dry run of a rejected placement: the same rejection. */
TEST_F(sbad, dry_run_rejected)
{
	const preq_t req[] = { RES(0, 0xF0000000ULL), M32(K_MMIO, 512 * MiB, PG), RAMQ(GiB, PG) };
	const struct memlayout_reason why = WPLACE(MEMLAYOUT_RULE_EXHAUSTED, 1);
	const struct memlayout_place_reason pwhy = PWHY_P4(CL_M32, 0, 512 * MiB, PG, 256 * MiB);
	struct memlayout_set s = pset(req, ARRAY_SIZE(req));

	s.flags = MEMLAYOUT_SET_DRY_RUN;
	EXPECT_TRUE(place_rej(self->fd, &s, -ENOSPC, &why, &pwhy, self->gen,
			      "dry run: P4 as for a real one"));
}

/*
 * Old callers: a first-version (136 bytes) or second-version (168) struct
 * has no place_ptr, so C4 there has no request: R5. The reply is written
 * back over the caller's size only.
 */
TEST_F(sbad, old_struct_sizes)
{
	static const uint32_t sizes[] = { MEMLAYOUT_SET_SIZE_VER0, MEMLAYOUT_SET_SIZE_VER1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char raw[sizeof(struct memlayout_set) + 16];
		struct memlayout_set *s = (void *)raw;
		struct snap before;
		int r;

		memset(raw, 0x5A, sizeof(raw));
		memset(raw, 0, sizes[i]);
		s->size = sizes[i];
		s->source = MEMLAYOUT_SOURCE_PLACE;
		take_snap(self->fd, &before);
		r = do_set(self->fd, s);
		EXPECT_EQ(-EINVAL, r) TH_LOG("size %u: %s", sizes[i], errname(r));
		EXPECT_EQ(MEMLAYOUT_RULE_NO_RAM, s->reason.rule) TH_LOG("size %u", sizes[i]);
		EXPECT_EQ(L_RAM, s->reason.list);
		EXPECT_EQ(0x5A, raw[sizes[i]]) TH_LOG("size %u: reply past it", sizes[i]);
		EXPECT_EQ(0x5A, raw[sizeof(struct memlayout_set) - 1]);
		EXPECT_TRUE(snap_same(self->fd, &before));
	}
	EXPECT_TRUE(check_placed(self->fd, q35_placed, ARRAY_SIZE(q35_placed), self->gen));
}

/* GET_INFO: a first-version caller gets 72 bytes; a current one nr_classes. */
TEST_F(sbad, get_info_sizes)
{
	unsigned char raw[sizeof(struct memlayout_info) + 16];
	struct memlayout_info *in = (void *)raw;

	memset(raw, 0x5A, sizeof(raw));
	memset(raw, 0, MEMLAYOUT_INFO_SIZE_VER0);
	in->size = MEMLAYOUT_INFO_SIZE_VER0;
	ASSERT_EQ(0, xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, in));
	EXPECT_EQ(MEMLAYOUT_INFO_SIZE_VER0, in->size);
	EXPECT_EQ(MEMLAYOUT_LIST_PLACE + 1, in->nr_lists);
	EXPECT_TRUE(in->sources & (1U << MEMLAYOUT_SOURCE_PLACE));
	EXPECT_TRUE(in->commands & (1ULL << _IOC_NR(MEMLAYOUT_IOC_GET_PLACEMENTS)));
	EXPECT_TRUE(in->commands & (1ULL << _IOC_NR(MEMLAYOUT_IOC_CHECK_KVM)))
		TH_LOG("issue 12: CHECK_KVM is command 0x31");
	EXPECT_EQ(0x5A, raw[MEMLAYOUT_INFO_SIZE_VER0]) TH_LOG("VER0 reply past 72 bytes");

	memset(raw, 0x5A, sizeof(raw));
	memset(raw, 0, sizeof(*in));
	in->size = MEMLAYOUT_INFO_SIZE_VER1;
	ASSERT_EQ(0, xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, in));
	EXPECT_EQ(MEMLAYOUT_CLASS_POST_MMIO, in->nr_classes);
	EXPECT_EQ(64, in->max_devices) TH_LOG("issue 11: CHECK_HOST names up to 64 devices");
	EXPECT_EQ(0x5A, raw[MEMLAYOUT_INFO_SIZE_VER1]);
}

/* ------------------------------------------------------------------ */
/* GET_PLACEMENTS' own arguments                                       */
/* ------------------------------------------------------------------ */

/*
 * UAPI struct memlayout_get_placements: no layout is -ENOENT; flags and
 * reserved must be zero; pointer and count both set or both zero; an
 * unwritable buffer is -EFAULT; framing as every command.
 */
TEST(get_placements_arguments)
{
	static placed_t buf[16];
	struct memlayout_get_placements g;
	struct memlayout_set s = pset(q35_req, ARRAY_SIZE(q35_req));
	uint32_t count = 99;
	int fd;

	setup_pages();
	fd = open_dev();
	EXPECT_EQ(-ENOENT, get_placements(fd, NULL, 0, &count, NULL));
	EXPECT_EQ(-ENOENT, get_placements(fd, buf, 16, &count, NULL));
	ASSERT_EQ(0, do_set(fd, &s));

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.flags = 1;
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EOPNOTSUPP, "flags 1");
	g.flags = 0x80000000U;
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EOPNOTSUPP, "flags 0x80000000");
	g.flags = 0;
	g.reserved = 1;
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EINVAL, "reserved 1");
	g.reserved = 0;
	g.count = 16;
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EINVAL, "count without pointer");
	g.count = 0;
	g.entries_ptr = U64P(buf);
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EINVAL, "pointer without count");
	g.count = 16;
	g.entries_ptr = U64P(PAGE_NONE);
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EFAULT, "entries unmapped");
	g.entries_ptr = U64P(PAGE_RO);
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EFAULT, "entries read-only");
	g.size = MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0 - 8;
	g.entries_ptr = U64P(buf);
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -EINVAL, "size below VER0");
	g.size = 2 * 4096;
	RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &g, -E2BIG, "size over a page");
	/* A size past the kernel's with a zero tail is accepted. */
	{
		unsigned char raw[sizeof(g) + 8];
		struct memlayout_get_placements *gp = (void *)raw;

		memset(raw, 0, sizeof(raw));
		gp->size = sizeof(raw);
		gp->count = 16;
		gp->entries_ptr = U64P(buf);
		EXPECT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, gp));
		EXPECT_EQ(ARRAY_SIZE(q35_placed), gp->count);
		raw[sizeof(g) + 3] = 1;
		RAW_REJECT(fd, MEMLAYOUT_IOC_GET_PLACEMENTS, gp, -E2BIG, "non-zero tail");
	}
	EXPECT_TRUE(check_placed(fd, q35_placed, ARRAY_SIZE(q35_placed), s.generation));
	close(fd);
}

TEST_HARNESS_MAIN
