// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_view: the shared view's writer,
 * memlayout_view_publish(), and its size, memlayout_view_bytes()
 * (memlayout_uapi.c), as pure functions on a kernel buffer (SPEC V1-V3).
 *
 * Each row of the table publishes one layout (or none) into a view of a
 * given size and checks the whole header, the sequence counter, that the
 * starts and records are memlayout_entry()'s, that nothing is written
 * past them (nor any range when they do not fit, SPEC V3), that the
 * bucket index is, entry by entry, what a brute force computed here
 * finds, and that a search over the view through that index, as
 * memlayout_view_try_probe() searches, answers what memlayout_probe()
 * answers (SPEC V1, Q9) at every range's edges and at pseudo-random
 * addresses. memlayout_view_shift(), the index's bucket size, has a table
 * of its own. The readers' side of V2, a writer racing them, is
 * memlayout_race's race_replace_vs_view.
 */
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>

#include "../memlayout_ioctl.h"
#include "kunit_util.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Where the writer puts the starts: the header rounded up to 128 bytes. */
#define VIEW_STARTS	128
/* Bytes past the view's end that must stay untouched. */
#define VIEW_GUARD	64
/* What the buffer holds, past the header, before a publication. */
#define VIEW_POISON	0xa5
/* Pseudo-random addresses probed per row, besides every range's edges. */
#define VIEW_RANDOM	2000

/*
 * Bytes a view of @nr ranges needs, computed apart from the code under
 * test: per range its start (8), its record (16) and two u32 index
 * entries (8).
 */
#define VIEW_BYTES(nr)	(VIEW_STARTS + (size_t)(nr) * (8 + 16 + 8))
/* Where the index begins: after the starts and the records. */
#define VIEW_INDEX_OFF(nr)	(VIEW_STARTS + (u64)(nr) * (8 + 16))

KUNIT_DEFINE_ACTION_WRAPPER(view_kvfree, kvfree, const void *);

/* @size zeroed bytes, freed when @test ends. */
static void *view_alloc(struct kunit *test, size_t size)
{
	void *p = kvzalloc(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, view_kvfree, p));
	return p;
}

/* ---- memlayout_view_bytes() ------------------------------------------- */

struct view_bytes_case {
	const char *desc;
	u32 nr;
	size_t bytes;
};

/* SPEC V3: the size a layout of nr ranges needs, header included. */
static const struct view_bytes_case view_bytes_cases[] = {
	{ "no range: the header alone", 0, 128 },
	{ "one range", 1, 160 },
	{ "123 ranges: 4064 bytes, one page", 123, 4064 },
	{ "124 ranges: 4096 bytes, exactly one page", 124, 4096 },
	{ "125 ranges: 4128 bytes, past one page", 125, 4128 },
	{ "4096 ranges (the default R8 limit)", 4096, 131200 },
	{ "seven lists of the R8 ceiling", 7 * MEMLAYOUT_MAX_RANGES_LIMIT,
	  14680192 },
};

static void view_bytes_desc(const struct view_bytes_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(view_bytes, view_bytes_cases, view_bytes_desc);

static void view_bytes_table(struct kunit *test)
{
	const struct view_bytes_case *t = test->param_value;

	KUNIT_EXPECT_EQ(test, memlayout_view_bytes(t->nr), t->bytes);
	KUNIT_EXPECT_EQ(test, memlayout_view_bytes(t->nr), VIEW_BYTES(t->nr));
}

/* ---- memlayout_view_shift() ------------------------------------------- */

/*
 * SPEC V1 ("DOC: Shared view"): @shift is a bucket size that puts every
 * address below @end in one of the first 2 * @nr - 1 buckets, and the
 * smallest such, or 63 when none at most 63 does. Checked from the
 * definition, apart from the code under test.
 */
static void view_expect_shift(struct kunit *test, u32 nr, u64 end, u32 shift)
{
	u64 buckets = 2 * (u64)nr - 1;

	KUNIT_ASSERT_LE_MSG(test, shift, 63, "nr %u end %#llx", nr, end);
	/* Every address of the layout in a bucket below 2 * nr - 1... */
	if (shift < 63)
		KUNIT_EXPECT_LT_MSG(test, (end - 1) >> shift, buckets,
				    "nr %u end %#llx shift %u", nr, end, shift);
	/* ...and one bit less does not do. */
	if (shift)
		KUNIT_EXPECT_GE_MSG(test, (end - 1) >> (shift - 1), buckets,
				    "nr %u end %#llx shift %u", nr, end, shift);
}

struct view_shift_case {
	const char *desc;
	u32 nr;
	u64 end;
	u32 shift;
};

/* 2 * nr - 1 buckets of 2^shift bytes end exactly at @end. */
#define VIEW_SHIFT_EDGE(nr, s)	((2 * (u64)(nr) - 1) << (s))

/*
 * SPEC V1: the bucket size at its edges, each answer worked out by hand
 * from "DOC: Shared view" (the smallest shift with (end - 1) >> shift
 * below 2 * nr - 1, capped at 63).
 */
static const struct view_shift_case view_shift_cases[] = {
	/* One bucket below 2 * nr - 1 = 1: the shift covers all of end - 1. */
	{ "nr 1, end 1: every address in bucket 0 with shift 0", 1, 1, 0 },
	{ "nr 1, end one page", 1, ML_PAGE, 12 },
	{ "nr 1, end one page more than a page", 1, 2 * ML_PAGE, 13 },
	{ "nr 1, end 2^63: shift 63 holds it", 1, 1ULL << 63, 63 },
	{ "nr 1, end 2^63 + a page: no shift holds it, 63",
	  1, (1ULL << 63) + ML_PAGE, 63 },
	{ "nr 1, end MEMLAYOUT_MAX_ADDRESS: 63", 1, ML_MAX, 63 },
	/* 2 * nr - 1 = 3 buckets. */
	{ "nr 2, end 3 = 3 << 0: shift 0", 2, 3, 0 },
	{ "nr 2, end 4 = (3 << 0) + 1: shift 1", 2, 4, 1 },
	{ "nr 2, end 3 << 20 exactly: shift 20", 2, VIEW_SHIFT_EDGE(2, 20), 20 },
	{ "nr 2, end (3 << 20) + a page: shift 21", 2,
	  VIEW_SHIFT_EDGE(2, 20) + ML_PAGE, 21 },
	{ "nr 2, end (3 << 20) - a page: shift 20", 2,
	  VIEW_SHIFT_EDGE(2, 20) - ML_PAGE, 20 },
	{ "nr 2, end MEMLAYOUT_MAX_ADDRESS: 63, bucket 1 holds the top", 2,
	  ML_MAX, 63 },
	{ "nr 3, end MEMLAYOUT_MAX_ADDRESS: 62", 3, ML_MAX, 62 },
	{ "nr 4, end MEMLAYOUT_MAX_ADDRESS: 62", 4, ML_MAX, 62 },
	/* 8191 buckets, the default R8 limit of ranges. */
	{ "nr 4096, end 8191 << 20 exactly: shift 20", 4096,
	  VIEW_SHIFT_EDGE(4096, 20), 20 },
	{ "nr 4096, end (8191 << 20) + a page: shift 21", 4096,
	  VIEW_SHIFT_EDGE(4096, 20) + ML_PAGE, 21 },
	/* 2^64 / 2^45 = 2^19 buckets hold it, 2^20 - 1 > 917503 do not. */
	{ "seven lists of the R8 ceiling, end MEMLAYOUT_MAX_ADDRESS: 45",
	  7 * MEMLAYOUT_MAX_RANGES_LIMIT, ML_MAX, 45 },
	/* 2 * nr - 1 = 2^33 - 3, past 32 bits: 2^64 / 2^32 = 2^32 buckets. */
	{ "nr U32_MAX, end MEMLAYOUT_MAX_ADDRESS: 32 (2 * nr in 64 bits)",
	  U32_MAX, ML_MAX, 32 },
	{ "nr U32_MAX, end one page: shift 0", U32_MAX, ML_PAGE, 0 },
};

static void view_shift_desc(const struct view_shift_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(view_shift, view_shift_cases, view_shift_desc);

static void view_shift_table(struct kunit *test)
{
	const struct view_shift_case *t = test->param_value;
	u32 shift = memlayout_view_shift(t->nr, t->end);

	KUNIT_EXPECT_EQ(test, shift, t->shift);
	view_expect_shift(test, t->nr, t->end, shift);
}

/* ---- memlayout_view_publish() ----------------------------------------- */

/**
 * struct view_case - one layout published into one view
 * @desc: row name.
 * @req: the layout's request; %NULL with @nr_gen 0: no layout.
 * @nr_gen: else a C3 layout of this many RAM ranges of 1 MiB every 2 MiB
 *          from 0 (view_gen_layout()).
 * @gen_vtl2: with @nr_gen, a VTL2 range above them.
 * @size: the view's size; 0: VIEW_BYTES(@size_nr) + @size_adj.
 * @size_nr: see @size.
 * @size_adj: see @size.
 * @generation: the layout's generation.
 * @want_nr: the view's nr.
 * @want_flags: the view's flags.
 * @overflow: buckets b below 2 * nr - 1 whose b << index_shift is 2^64 or
 *            more (memlayout_view_fill_index()'s overflow branch), worked
 *            out by hand; checked.
 */
struct view_case {
	const char *desc;
	const struct memlayout_request *req;
	u32 nr_gen;
	bool gen_vtl2;
	size_t size;
	u32 size_nr;
	int size_adj;
	u64 generation;
	u32 want_nr;
	u32 want_flags;
	u32 overflow;
};

#define VL	MEMLAYOUT_VIEW_LAYOUT
#define VT	MEMLAYOUT_VIEW_TOO_LARGE
#define VV	MEMLAYOUT_VIEW_VTL2

/* SPEC C1: RAM [0, 1G), MMIO [1G, 2G), RAM [2G, 4G). */
static const struct memlayout_request view_c1 = {
	.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(3),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

/* SPEC C2: node 0 [0, 1G), MMIO [1G, 2G), node 1 [2G, 3G). */
static const struct memlayout_request view_c2 = {
	.source = MEMLAYOUT_FROM_NODES, ML_NODES(ML_GB(1), ML_GB(1)),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

/* SPEC C3: touching RAM on two nodes, every hole kind, VTL2 (probe suite). */
static const struct memlayout_request view_mixed = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, RN(0, ML_GB(1), 0), RN(ML_GB(1), ML_GB(2), 1),
		RN(ML_GB(4), ML_GB(6), 0)),
	ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(64), ML_GB(128))),
	ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(3) + ML_MB(256))),
	ML_LIST(pci_mmio, R(ML_GB(3) + ML_MB(256), ML_GB(4))),
	ML_VTL2(ML_GB(6), ML_GB(6) + ML_MB(64)),
};

/* SPEC R2: a hole ending at MEMLAYOUT_MAX_ADDRESS. */
static const struct memlayout_request view_top = {
	.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
	ML_LIST(mmio, R(ML_MAX - ML_GB(1), ML_MAX)),
};

/*
 * SPEC C3, R2: four ranges up to MEMLAYOUT_MAX_ADDRESS. 2 * 4 - 1 = 7
 * buckets of 2^62 bytes (2^61 leave the top in bucket 7): buckets 4 to 6
 * start at 2^64 and above, past every start. One range starts exactly on
 * bucket 1's first byte, one a page past bucket 2's.
 */
static const struct memlayout_request view_high = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, RN(0, ML_GB(1), 0), RN(1ULL << 62, (1ULL << 62) + ML_GB(1), 1)),
	ML_LIST(mmio, R((1ULL << 63) + ML_PAGE, (1ULL << 63) + ML_GB(1))),
	ML_LIST(pci_mmio, R(ML_MAX - ML_GB(1), ML_MAX)),
};

/*
 * SPEC C3, R2: one RAM range ending at MEMLAYOUT_MAX_ADDRESS: one bucket
 * below 2 * 1 - 1 cannot hold it at any shift, so the shift is 63 and
 * the reader's clamp to bucket 0 does the rest.
 */
static const struct memlayout_request view_top_ram = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, R(ML_MAX - ML_GB(1), ML_MAX)),
};

/* SPEC C3: two ranges far above 0 (bucket 0 holds no start: index 0). */
static const struct memlayout_request view_above = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, R(ML_GB(5), ML_GB(6))),
	ML_LIST(mmio, R(ML_GB(6), ML_GB(7))),
};

/* SPEC C1: one page of RAM, one range. */
static const struct memlayout_request view_one = {
	.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_PAGE,
};

static const struct view_case view_cases[] = {
	/* SPEC V1: a file without a layout has a header and no range. */
	{ .desc = "no layout, one page", .size = SZ_4K },
	{ .desc = "no layout, header-sized view", .size = VIEW_STARTS },
	{ .desc = "C1 around an MMIO gap", .req = &view_c1, .size = SZ_4K,
	  .generation = 1, .want_nr = 3, .want_flags = VL },
	{ .desc = "C2, two nodes around an MMIO gap", .req = &view_c2,
	  .size = SZ_4K, .generation = 2, .want_nr = 3, .want_flags = VL },
	/* SPEC V1: VTL2 is not a range; the header gives it. */
	{ .desc = "RAM on two nodes, every hole kind, VTL2",
	  .req = &view_mixed, .size = SZ_8K, .generation = 0x123456789ULL,
	  .want_nr = 7, .want_flags = VL | VV },
	/* 3 buckets of 2^63 bytes: bucket 2 starts at 2^64. */
	{ .desc = "a hole ending at MEMLAYOUT_MAX_ADDRESS", .req = &view_top,
	  .size = SZ_4K, .generation = U64_MAX, .want_nr = 2,
	  .want_flags = VL, .overflow = 1 },
	{ .desc = "four ranges up to MEMLAYOUT_MAX_ADDRESS, 3 buckets past 2^64",
	  .req = &view_high, .size = SZ_4K, .generation = 12, .want_nr = 4,
	  .want_flags = VL, .overflow = 3 },
	{ .desc = "one RAM range ending at MEMLAYOUT_MAX_ADDRESS",
	  .req = &view_top_ram, .size = SZ_4K, .generation = 13, .want_nr = 1,
	  .want_flags = VL },
	{ .desc = "two ranges far above 0", .req = &view_above, .size = SZ_4K,
	  .generation = 14, .want_nr = 2, .want_flags = VL },
	{ .desc = "one range in the smallest view that holds it",
	  .req = &view_one, .size_nr = 1, .generation = 3, .want_nr = 1,
	  .want_flags = VL },
	/*
	 * SPEC V3 at the boundary: N ranges fit, N + 1 do not; 124 ranges
	 * take 128 + 32 * 124 = 4096 bytes, the whole page.
	 */
	{ .desc = "124 ranges in one page: they fill it", .nr_gen = 124,
	  .size = SZ_4K, .generation = 4, .want_nr = 124, .want_flags = VL },
	{ .desc = "125 ranges in one page: too large", .nr_gen = 125,
	  .size = SZ_4K, .generation = 5, .want_nr = 125,
	  .want_flags = VL | VT },
	{ .desc = "1000 ranges in exactly their bytes", .nr_gen = 1000,
	  .size_nr = 1000, .generation = 6, .want_nr = 1000,
	  .want_flags = VL },
	{ .desc = "1000 ranges in one byte less: too large", .nr_gen = 1000,
	  .size_nr = 1000, .size_adj = -1, .generation = 7, .want_nr = 1000,
	  .want_flags = VL | VT },
	{ .desc = "1001 ranges in the bytes of 1000: too large",
	  .nr_gen = 1001, .size_nr = 1000, .generation = 8, .want_nr = 1001,
	  .want_flags = VL | VT },
	/* SPEC V3: too large, the header is still whole, VTL2 included. */
	{ .desc = "200 ranges and VTL2 in one page: too large", .nr_gen = 200,
	  .gen_vtl2 = true, .size = SZ_4K, .generation = 9, .want_nr = 200,
	  .want_flags = VL | VT | VV },
	{ .desc = "200 ranges and VTL2 in two pages", .nr_gen = 200,
	  .gen_vtl2 = true, .size = SZ_8K, .generation = 10, .want_nr = 200,
	  .want_flags = VL | VV },
	{ .desc = "4096 ranges (the default R8 limit)", .nr_gen = 4096,
	  .size_nr = 4096, .generation = 11, .want_nr = 4096,
	  .want_flags = VL },
};

static void view_case_desc(const struct view_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(view, view_cases, view_case_desc);

/* VTL2 of the generated layouts: far above their RAM. */
#define VIEW_GEN_VTL2_START	ML_GB(64)
#define VIEW_GEN_VTL2_END	(ML_GB(64) + ML_MB(64))

/* A C3 layout of @n RAM ranges [2i MiB, 2i + 1 MiB), freed with @test. */
static struct memlayout *view_gen_layout(struct kunit *test, u32 n, bool vtl2)
{
	static const struct memlayout_range v2 = {
		.start = VIEW_GEN_VTL2_START, .end = VIEW_GEN_VTL2_END,
	};
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_RANGES,
		.max_ranges = n,
		.nr_ram = n,
		.vtl2 = vtl2 ? &v2 : NULL,
	};
	struct memlayout_range *ram = view_alloc(test, array_size(n, sizeof(*ram)));
	u32 i;

	for (i = 0; i < n; i++) {
		ram[i].start = ML_MB(2 * (u64)i);
		ram[i].end = ML_MB(2 * (u64)i + 1);
		ram[i].vnode = i % 2;
	}
	req.ram = ram;
	return ml_build_ok(test, &req);
}

/* The row's layout, or %NULL; its generation set as the owner does. */
static struct memlayout *view_case_layout(struct kunit *test,
					  const struct view_case *t)
{
	struct memlayout *l = NULL;

	if (t->nr_gen)
		l = view_gen_layout(test, t->nr_gen, t->gen_vtl2);
	else if (t->req)
		l = ml_build_ok(test, t->req);
	if (l)
		l->generation = t->generation;
	return l;
}

static size_t view_case_size(const struct view_case *t)
{
	return t->size ? t->size : VIEW_BYTES(t->size_nr) + t->size_adj;
}

/**
 * view_lookup() - a reader's search over a view that holds its ranges
 * @v: the view.
 * @addr: the address.
 * @index: receives the range holding @addr.
 *
 * Through the bucket index, as memlayout_view_try_probe() searches (SPEC
 * V1, "DOC: Shared view"): bucket min(@addr >> index_shift, 2 * nr - 2),
 * its two index entries bounded by nr - 1 (hi first, then lo by hi), then
 * a plain lower-bound search among ranges lo to hi, apart from the
 * library's.
 *
 * Return: the MEMLAYOUT_KIND_* of the range holding @addr, or NONE.
 */
static u32 view_lookup(const struct memlayout_view *v, u64 addr, u32 *index)
{
	const u64 *starts = (const void *)((const u8 *)v + v->starts_off);
	const struct memlayout_view_record *rec =
		(const void *)((const u8 *)v + v->records_off);
	const u32 *ix = (const void *)((const u8 *)v + v->index_off);
	u32 shift = v->index_shift, nr = v->nr, lo, hi, first, mid;
	u64 b, top = 2 * (u64)nr - 2;

	/* A view with ranges has an index (no NO_INDEX, no nr 0: SPEC R5). */
	if (shift > 63 || !nr)
		return U32_MAX;
	b = min(addr >> shift, top);
	hi = min(ix[b + 1], nr - 1);
	lo = min(ix[b], hi);
	/* first: ranges lo to first - 1 start at or below @addr. */
	first = lo;
	hi++;
	while (first < hi) {
		mid = first + (hi - first) / 2;
		if (starts[mid] <= addr)
			first = mid + 1;
		else
			hi = mid;
	}
	if (first == lo || addr >= rec[first - 1].end)
		return MEMLAYOUT_KIND_NONE;
	*index = first - 1;
	return rec[first - 1].kind;
}

/* SPEC V1 (Q9): the view answers @addr as memlayout_probe() does. */
static void view_expect_probe(struct kunit *test, const struct memlayout_view *v,
			      const struct memlayout *l, u64 addr)
{
	struct memlayout_entry e;
	u32 kind, i = U32_MAX;

	kind = view_lookup(v, addr, &i);
	if (kind != memlayout_probe(l, addr) || kind == MEMLAYOUT_KIND_NONE) {
		KUNIT_EXPECT_EQ_MSG(test, kind, memlayout_probe(l, addr),
				    "address %#llx", addr);
		return;
	}
	/* The covering range is the layout's i-th, and holds the address. */
	memlayout_entry(l, i, &e);
	KUNIT_EXPECT_TRUE_MSG(test, e.start <= addr && addr < e.end,
			      "address %#llx in range %u [%#llx, %#llx)", addr,
			      i, e.start, e.end);
}

/*
 * The header's members, @seq excepted; with ranges, their places (the
 * index's shift is view_expect_index()'s).
 */
static void view_expect_header(struct kunit *test, const struct memlayout_view *v,
			       size_t size, const struct memlayout *l,
			       const struct view_case *t)
{
	static const u8 zero_fp[MEMLAYOUT_FINGERPRINT_SIZE];

	KUNIT_EXPECT_EQ(test, v->magic, MEMLAYOUT_VIEW_MAGIC);
	KUNIT_EXPECT_EQ(test, v->version, MEMLAYOUT_VIEW_VERSION);
	KUNIT_EXPECT_EQ(test, v->header_size, sizeof(struct memlayout_view));
	KUNIT_EXPECT_EQ(test, v->size, size);
	KUNIT_EXPECT_EQ(test, v->flags, t->want_flags);
	KUNIT_EXPECT_EQ(test, v->nr, t->want_nr);
	KUNIT_EXPECT_EQ(test, v->generation, l ? t->generation : 0);
	if (l)
		KUNIT_EXPECT_MEMEQ(test, v->fingerprint, l->fingerprint,
				   MEMLAYOUT_FINGERPRINT_SIZE);
	else
		KUNIT_EXPECT_MEMEQ(test, v->fingerprint, zero_fp,
				   MEMLAYOUT_FINGERPRINT_SIZE);
	if (t->want_flags & MEMLAYOUT_VIEW_VTL2) {
		KUNIT_EXPECT_EQ(test, v->vtl2_start, l->vtl2_start);
		KUNIT_EXPECT_EQ(test, v->vtl2_end, l->vtl2_end);
	} else {
		KUNIT_EXPECT_EQ(test, v->vtl2_start, 0);
		KUNIT_EXPECT_EQ(test, v->vtl2_end, 0);
	}
	KUNIT_EXPECT_EQ(test, v->reserved, 0);
	if ((t->want_flags & (VL | VT)) == VL) {
		KUNIT_EXPECT_EQ(test, v->starts_off, VIEW_STARTS);
		KUNIT_EXPECT_EQ(test, v->records_off, VIEW_STARTS + 8ULL * t->want_nr);
		/* SPEC V1: version 1's fixed place of the index. */
		KUNIT_EXPECT_EQ(test, v->index_off, VIEW_INDEX_OFF(t->want_nr));
		/* Its shift: view_expect_index(). */
	} else {
		/* SPEC V3: no ranges in the view, hence no index. */
		KUNIT_EXPECT_EQ(test, v->starts_off, 0);
		KUNIT_EXPECT_EQ(test, v->records_off, 0);
		KUNIT_EXPECT_EQ(test, v->index_off, 0);
		KUNIT_EXPECT_EQ(test, v->index_shift, MEMLAYOUT_VIEW_NO_INDEX);
	}
}

/* Expects @len bytes at @p to be @c; reports the first that is not. */
static void view_expect_bytes(struct kunit *test, const u8 *p, size_t len,
			      u8 c, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, len, "%s: byte %zu is %#x, want %#x", what,
			    i, i < len ? p[i] : 0, c);
}

/* SPEC V1: starts[i] and records[i] are the layout's i-th range. */
static void view_expect_ranges(struct kunit *test, const struct memlayout_view *v,
			       const struct memlayout *l)
{
	const u64 *starts = (const void *)((const u8 *)v + v->starts_off);
	const struct memlayout_view_record *rec =
		(const void *)((const u8 *)v + v->records_off);
	struct memlayout_entry e;
	u32 i, bad = 0;

	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		if (starts[i] == e.start && rec[i].end == e.end &&
		    rec[i].vnode == e.vnode && rec[i].kind == e.kind)
			continue;
		if (bad++)
			continue;
		KUNIT_FAIL(test, "range %u: [%#llx, %#llx) vnode %u kind %u",
			   i, starts[i], rec[i].end, rec[i].vnode, rec[i].kind);
		KUNIT_FAIL(test, "range %u: want [%#llx, %#llx) vnode %u kind %u",
			   i, e.start, e.end, e.vnode, e.kind);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "ranges differing from memlayout_entry()");
}

/*
 * The first bucket at or above @start, ceil(@start / 2^@shift): bucket b
 * starts at or above @start iff b >= this. Exact, with no b << shift that
 * could pass 2^64.
 */
static u64 view_first_bucket(u64 start, u32 shift)
{
	return (start >> shift) + !!(start & ((1ULL << shift) - 1));
}

/*
 * SPEC V1 ("DOC: Shared view"): the bucket index against a brute force
 * from the layout's own ranges: index_shift minimal for the last range's
 * end (view_expect_shift()); for each bucket b < 2 * nr - 1, index[b] is
 * one less than the number of ranges whose start is at or below b << shift
 * taken as an exact integer (that is, whose first bucket is at or below
 * b), 0 when none; index[2 * nr - 1] is nr - 1. Also counts the buckets
 * whose b << shift is 2^64 or more against the row's @overflow.
 */
static void view_expect_index(struct kunit *test, const struct memlayout_view *v,
			      const struct memlayout *l, const struct view_case *t)
{
	const u32 *ix = (const void *)((const u8 *)v + VIEW_INDEX_OFF(l->nr));
	u64 buckets = 2 * (u64)l->nr - 1, *first, b;
	struct memlayout_entry e;
	u32 i, n, want, bad = 0, over = 0;
	u32 shift = v->index_shift;

	memlayout_entry(l, l->nr - 1, &e);
	view_expect_shift(test, l->nr, e.end, shift);
	if (shift > 63)
		return;
	first = view_alloc(test, array_size(l->nr, sizeof(*first)));
	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		first[i] = view_first_bucket(e.start, shift);
	}
	for (b = 0; b < buckets; b++) {
		/* b << shift >= 2^64 iff b >= 2^(64 - shift). */
		if (shift && b >= 1ULL << (64 - shift))
			over++;
		for (n = 0, i = 0; i < l->nr; i++)
			n += first[i] <= b;
		want = n ? n - 1 : 0;
		if (ix[b] == want)
			continue;
		if (!bad++)
			KUNIT_FAIL(test, "index[%llu] (bucket at %llu << %u) is %u, want %u",
				   b, b, shift, ix[b], want);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "index entries differing from the brute force");
	KUNIT_EXPECT_EQ_MSG(test, ix[buckets], l->nr - 1, "index[2 * nr - 1]");
	KUNIT_EXPECT_EQ_MSG(test, over, t->overflow,
			    "buckets past 2^64 (shift %u)", shift);
	kunit_release_action(test, view_kvfree, first);
}

/*
 * SPEC V1: the view answers as memlayout_probe() at edges (of the ranges
 * and of the index's buckets) and at random.
 */
static void view_expect_probes(struct kunit *test, const struct memlayout_view *v,
			       const struct memlayout *l)
{
	static const u64 fixed[] = { 0, 1, ML_GB(4) - 1, ML_GB(4), ML_MAX - 1,
				     ML_MAX, U64_MAX - 1, U64_MAX };
	struct memlayout_entry e;
	u64 seed = 0x76696577ULL + l->nr, top, x, rem, b;
	u32 i;

	/* Each bucket's first byte and the byte before, below 2^64. */
	for (b = 1; v->index_shift <= 63 && b < 2 * (u64)l->nr; b++) {
		if (b > U64_MAX >> v->index_shift)
			break;
		view_expect_probe(test, v, l, (b << v->index_shift) - 1);
		view_expect_probe(test, v, l, b << v->index_shift);
	}

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		view_expect_probe(test, v, l, fixed[i]);
	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		if (e.start)
			view_expect_probe(test, v, l, e.start - 1);
		view_expect_probe(test, v, l, e.start);
		view_expect_probe(test, v, l, e.end - 1);
		view_expect_probe(test, v, l, e.end);
	}
	memlayout_entry(l, l->nr - 1, &e);
	top = e.end > U64_MAX / 2 ? U64_MAX : e.end + e.end / 8;
	for (i = 0; i < VIEW_RANDOM; i++) {
		x = ml_lcg_next(&seed);
		/* Half within the layout (and a little above), half anywhere. */
		div64_u64_rem(x >> 11, top, &rem);
		view_expect_probe(test, v, l, i & 1 ? x : rem);
	}
}

/*
 * SPEC V1-V3: one layout (or none) published into a zeroed header and a
 * poisoned body: the header says what the row wants, the counter went
 * from 0 to 2 and then 4 (even: no writer inside), the starts and records
 * are memlayout_entry()'s, the bucket index the brute force's, a search
 * through it answers as memlayout_probe(), and nothing else is written:
 * no byte past the index (memlayout_view_bytes(nr)), no range nor index
 * at all when they do not fit (V3), no byte past the view.
 */
static void view_publish_table(struct kunit *test)
{
	const struct view_case *t = test->param_value;
	size_t size = view_case_size(t), used;
	struct memlayout *l = view_case_layout(test, t);
	struct memlayout_view *v;
	u8 *buf;

	buf = view_alloc(test, size + VIEW_GUARD);
	memset(buf + sizeof(*v), VIEW_POISON, size + VIEW_GUARD - sizeof(*v));
	v = (struct memlayout_view *)buf;

	memlayout_view_publish(v, size, l);
	KUNIT_EXPECT_EQ(test, v->seq, 2);
	view_expect_header(test, v, size, l, t);

	used = sizeof(*v);
	if ((t->want_flags & (VL | VT)) == VL) {
		/* The gap between the header and the starts is not written. */
		view_expect_bytes(test, buf + sizeof(*v), VIEW_STARTS - sizeof(*v),
				  VIEW_POISON, "between header and starts");
		view_expect_ranges(test, v, l);
		view_expect_index(test, v, l, t);
		view_expect_probes(test, v, l);
		used = VIEW_BYTES(l->nr);
	}
	view_expect_bytes(test, buf + used, size + VIEW_GUARD - used,
			  VIEW_POISON, "past what the view holds");

	/* Published again: the counter moves on by two, the rest is equal. */
	memlayout_view_publish(v, size, l);
	KUNIT_EXPECT_EQ(test, v->seq, 4);
	view_expect_header(test, v, size, l, t);
}

/*
 * SPEC V2, V3: one view through a sequence of layouts, as SET_LAYOUT
 * rewrites it: every publication moves the counter on by two, and each
 * header and range set is the new layout's alone, none of the previous
 * one's (a layout that no longer fits drops the offsets; a smaller one
 * after a larger one answers nothing from the larger one's tail).
 */
static void view_publish_sequence(struct kunit *test)
{
	static const struct view_case big = {
		.nr_gen = 125, .generation = 2, .want_nr = 125,
		.want_flags = VL | VT,
	};
	static const struct view_case gen = {
		.nr_gen = 100, .generation = 3, .want_nr = 100,
		.want_flags = VL,
	};
	static const struct view_case high = {
		.req = &view_high, .generation = 4, .want_nr = 4,
		.want_flags = VL, .overflow = 3,
	};
	static const struct view_case mixed = {
		.req = &view_mixed, .generation = 1, .want_nr = 7,
		.want_flags = VL | VV,
	};
	static const struct view_case none = {};
	const struct view_case *seq[] = { &mixed, &big, &gen, &mixed, &none,
					  &gen, &high, &mixed };
	struct memlayout_view *v = view_alloc(test, SZ_4K);
	struct memlayout *l;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(seq); i++) {
		l = view_case_layout(test, seq[i]);
		memlayout_view_publish(v, SZ_4K, l);
		KUNIT_EXPECT_EQ_MSG(test, v->seq, 2 * (i + 1), "publication %u", i);
		view_expect_header(test, v, SZ_4K, l, seq[i]);
		if ((seq[i]->want_flags & (VL | VT)) == VL) {
			view_expect_ranges(test, v, l);
			view_expect_index(test, v, l, seq[i]);
			view_expect_probes(test, v, l);
		}
	}
}

KUNIT_DEFINE_ACTION_WRAPPER(view_file_free, ml_file_free,
			    struct memlayout_file *);

/* Publishes @req on @f as SET_LAYOUT does; returns the generation. */
static u64 view_set(struct kunit *test, struct memlayout_file *f,
		    const struct memlayout_request *req)
{
	struct memlayout_error err;
	struct memlayout_set s = {};
	struct memlayout *l = memlayout_build(req, GFP_KERNEL, &err);

	KUNIT_ASSERT_FALSE(test, IS_ERR(l));
	KUNIT_ASSERT_EQ(test, ml_publish(f, l, &s, NULL, 0), 0);
	return s.generation;
}

/*
 * SPEC V1, V3 on a file (ml_view_get(), the first mmap()'s step): a length
 * over MEMLAYOUT_VIEW_MAX_SIZE is refused and makes no view; the first
 * call fixes the size and writes the current layout; a later one may ask
 * for up to that size, not more, and gets the same view; each
 * publication after that rewrites it.
 */
static void view_get_sizes(struct kunit *test)
{
	struct memlayout_file *f = ml_file_new();
	const struct memlayout_view *v;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, view_file_free, f));
	KUNIT_ASSERT_EQ(test, view_set(test, f, &view_c1), 1);

	KUNIT_EXPECT_EQ(test, ml_view_get(f, MEMLAYOUT_VIEW_MAX_SIZE + PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, f->view);
	KUNIT_EXPECT_EQ(test, f->view_size, 0);

	KUNIT_ASSERT_EQ(test, ml_view_get(f, 2 * PAGE_SIZE), 0);
	v = f->view;
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_EQ(test, f->view_size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, v->size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, v->seq, 2);
	KUNIT_EXPECT_EQ(test, v->generation, 1);
	KUNIT_EXPECT_EQ(test, v->nr, 3);
	KUNIT_EXPECT_EQ(test, v->flags, MEMLAYOUT_VIEW_LAYOUT);

	/* The size is fixed: more is refused, up to it is the same view. */
	KUNIT_EXPECT_EQ(test, ml_view_get(f, 3 * PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, ml_view_get(f, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, ml_view_get(f, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_PTR_EQ(test, f->view, v);
	KUNIT_EXPECT_EQ(test, f->view_size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, v->seq, 2);

	/* SPEC V2: the next SET_LAYOUT rewrites it, counter and all. */
	KUNIT_ASSERT_EQ(test, view_set(test, f, &view_mixed), 2);
	KUNIT_EXPECT_EQ(test, v->seq, 4);
	KUNIT_EXPECT_EQ(test, v->generation, 2);
	KUNIT_EXPECT_EQ(test, v->nr, 7);
	KUNIT_EXPECT_EQ(test, v->flags,
			MEMLAYOUT_VIEW_LAYOUT | MEMLAYOUT_VIEW_VTL2);
}

static struct kunit_case memlayout_view_cases[] = {
	KUNIT_CASE_PARAM(view_bytes_table, view_bytes_gen_params),
	KUNIT_CASE_PARAM(view_shift_table, view_shift_gen_params),
	KUNIT_CASE_PARAM(view_publish_table, view_gen_params),
	KUNIT_CASE(view_publish_sequence),
	KUNIT_CASE(view_get_sizes),
	{}
};

static struct kunit_suite memlayout_view_suite = {
	.name = "memlayout_view",
	.test_cases = memlayout_view_cases,
};

kunit_test_suite(memlayout_view_suite);
