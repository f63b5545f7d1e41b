// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_view: the shared view's writer,
 * memlayout_view_publish(), and its size, memlayout_view_bytes()
 * (memlayout_uapi.c), as pure functions on a kernel buffer (SPEC V1-V3).
 *
 * Each row of the table publishes one layout (or none) into a view of a
 * given size and checks the whole header, the sequence counter, that the
 * starts and records are memlayout_entry()'s, that nothing is written
 * past them (nor any range when they do not fit, SPEC V3), and that a
 * search over the view answers what memlayout_probe() answers (SPEC V1,
 * Q9) at every range's edges and at pseudo-random addresses. The readers'
 * side of V2, a writer racing them, is memlayout_race's
 * race_replace_vs_view.
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

/* Bytes a view of @nr ranges needs, computed apart from the code under test. */
#define VIEW_BYTES(nr)	(VIEW_STARTS + (size_t)(nr) * (8 + 16))

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
	{ "one range", 1, 152 },
	{ "165 ranges: 4088 bytes, one page", 165, 4088 },
	{ "166 ranges: 4112 bytes, past one page", 166, 4112 },
	{ "4096 ranges (the default R8 limit)", 4096, 98432 },
	{ "seven lists of the R8 ceiling", 7 * MEMLAYOUT_MAX_RANGES_LIMIT,
	  11010176 },
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
	{ .desc = "a hole ending at MEMLAYOUT_MAX_ADDRESS", .req = &view_top,
	  .size = SZ_4K, .generation = U64_MAX, .want_nr = 2,
	  .want_flags = VL },
	{ .desc = "one range in the smallest view that holds it",
	  .req = &view_one, .size_nr = 1, .generation = 3, .want_nr = 1,
	  .want_flags = VL },
	/* SPEC V3 at the boundary: N ranges fit, N + 1 do not. */
	{ .desc = "165 ranges in one page: they fit", .nr_gen = 165,
	  .size = SZ_4K, .generation = 4, .want_nr = 165, .want_flags = VL },
	{ .desc = "166 ranges in one page: too large", .nr_gen = 166,
	  .size = SZ_4K, .generation = 5, .want_nr = 166,
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
 * A plain lower-bound search over the starts, apart from the library's.
 *
 * Return: the MEMLAYOUT_KIND_* of the range holding @addr, or NONE.
 */
static u32 view_lookup(const struct memlayout_view *v, u64 addr, u32 *index)
{
	const u64 *starts = (const void *)((const u8 *)v + v->starts_off);
	const struct memlayout_view_record *rec =
		(const void *)((const u8 *)v + v->records_off);
	u32 lo = 0, hi = v->nr, mid;

	/* lo: the number of ranges starting at or below @addr. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (starts[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= rec[lo - 1].end)
		return MEMLAYOUT_KIND_NONE;
	*index = lo - 1;
	return rec[lo - 1].kind;
}

/* SPEC V1 (Q9): the view answers @addr as memlayout_probe() does. */
static void view_expect_probe(struct kunit *test, const struct memlayout_view *v,
			      const struct memlayout *l, u64 addr)
{
	struct memlayout_entry e;
	u32 kind, i = U32_MAX;

	kind = view_lookup(v, addr, &i);
	KUNIT_EXPECT_EQ_MSG(test, kind, memlayout_probe(l, addr),
			    "address %#llx", addr);
	if (kind == MEMLAYOUT_KIND_NONE)
		return;
	/* The covering range is the layout's i-th, and holds the address. */
	memlayout_entry(l, i, &e);
	KUNIT_EXPECT_TRUE_MSG(test, e.start <= addr && addr < e.end,
			      "address %#llx in range %u [%#llx, %#llx)", addr,
			      i, e.start, e.end);
}

/* The header's members, @seq excepted, for a view without ranges. */
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
	if ((t->want_flags & (VL | VT)) == VL) {
		KUNIT_EXPECT_EQ(test, v->starts_off, VIEW_STARTS);
		KUNIT_EXPECT_EQ(test, v->records_off, VIEW_STARTS + 8ULL * t->want_nr);
	} else {
		/* SPEC V3: no ranges in the view. */
		KUNIT_EXPECT_EQ(test, v->starts_off, 0);
		KUNIT_EXPECT_EQ(test, v->records_off, 0);
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

/* SPEC V1: the view answers as memlayout_probe() at edges and at random. */
static void view_expect_probes(struct kunit *test, const struct memlayout_view *v,
			       const struct memlayout *l)
{
	static const u64 fixed[] = { 0, 1, ML_GB(4) - 1, ML_GB(4), ML_MAX - 1,
				     ML_MAX, U64_MAX - 1, U64_MAX };
	struct memlayout_entry e;
	u64 seed = 0x76696577ULL + l->nr, top, x, rem;
	u32 i;

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
 * are memlayout_entry()'s and answer as memlayout_probe(), and nothing
 * else is written: no byte past the records, no range at all when they
 * do not fit (V3), no byte past the view.
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
		.nr_gen = 166, .generation = 2, .want_nr = 166,
		.want_flags = VL | VT,
	};
	static const struct view_case gen = {
		.nr_gen = 150, .generation = 3, .want_nr = 150,
		.want_flags = VL,
	};
	static const struct view_case mixed = {
		.req = &view_mixed, .generation = 1, .want_nr = 7,
		.want_flags = VL | VV,
	};
	static const struct view_case none = {};
	const struct view_case *seq[] = { &mixed, &big, &gen, &mixed, &none,
					  &gen };
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
