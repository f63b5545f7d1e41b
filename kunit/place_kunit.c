// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_place: the placement engine (SPEC C4, P1-P4, D8)
 * through memlayout_place() and memlayout_build_placed().
 *
 * Every row gives the requests and, written by hand from SPEC's phases, the
 * exact placement (start, end, class, index, kind, vnode of each range, in
 * address order) or the exact rejection (rule, class, index, the other pair
 * of P3, and the phase, size, alignment and free bytes of P4). Rows with a
 * layout expectation also go through memlayout_build_placed() and check its
 * queries and probes. Every accepted row is placed twice and must give the
 * same result (determinism).
 */
#include "kunit_util.h"

#define PL_MAX_ALIGN	BIT_ULL(63)

/* Expected rejections. */
#define PERR(r, c, i)	.err = { .rule = MEMLAYOUT_RULE_##r,		\
				 .place_class = MEMLAYOUT_CLASS_##c, .index = (i) }
/* A kind the class does not take: an interface matter, REASON_RESERVED. */
#define KERR(c, i)	.err = { .rule = MEMLAYOUT_REASON_RESERVED,	\
				 .place_class = MEMLAYOUT_CLASS_##c, .index = (i) }
#define P3ERR(c, i, oc, oi)						\
	.err = { .rule = MEMLAYOUT_RULE_PINNED_OVERLAP,			\
		 .place_class = MEMLAYOUT_CLASS_##c, .index = (i),		\
		 .other_class = MEMLAYOUT_CLASS_##oc, .other_index = (oi) }
#define P4ERR(c, i, sz, al, fr)						\
	.err = { .rule = MEMLAYOUT_RULE_EXHAUSTED,			\
		 .place_class = MEMLAYOUT_CLASS_##c, .index = (i),		\
		 .phase = MEMLAYOUT_CLASS_##c, .size = (sz), .align = (al),	\
		 .free = (fr) }

struct place_probe {
	u64 addr;
	u32 kind;
};

/**
 * struct place_layout - what memlayout_build_placed() must make of a row
 * @errno: 0, or the rejection's errno (then only the reason is checked).
 * @rule: the rejection's rule, on list RAM (SPEC R5, R8).
 * @index: its index (R5: 0; R8: the limit).
 * @max_ranges: the R8 limit given to memlayout_build_placed() (0: the
 *              module parameter).
 * @ram_size: Q2.
 * @end_of_ram: Q3.
 * @below: Q4.
 * @above: Q5.
 * @has_max_below: Q6 is defined.
 * @max_below: Q6.
 * @has_q7: Q7 is defined.
 * @q7: Q7.
 * @end_of_layout: Q8.
 * @has_vtl2: the layout has a VTL2 range.
 * @vtl2_start: its start.
 * @vtl2_end: its end.
 * @probes: Q9, address and expected kind.
 * @nr_probes: entries in @probes.
 *
 * The lists themselves are checked against the row's expected placement:
 * each kind's list holds exactly the placed ranges of that kind.
 */
struct place_layout {
	int errno;
	u32 rule;
	u32 index;
	u32 max_ranges;
	u64 ram_size;
	u64 end_of_ram;
	u64 below;
	u64 above;
	bool has_max_below;
	u64 max_below;
	bool has_q7;
	u64 q7;
	u64 end_of_layout;
	bool has_vtl2;
	u64 vtl2_start;
	u64 vtl2_end;
	const struct place_probe *probes;
	u32 nr_probes;
};

#define PL_PROBES(...)							\
	.probes = (const struct place_probe[]){ __VA_ARGS__ },		\
	.nr_probes = (u32)(sizeof((const struct place_probe[]){ __VA_ARGS__ }) / \
			   sizeof(struct place_probe))
#define PB(a, k)	{ .addr = (a), .kind = MEMLAYOUT_KIND_##k }

/**
 * struct place_case - one row
 * @desc: what the row checks, with the SPEC rule.
 * @reqs: the requests, in caller order.
 * @n: their number.
 * @max_ranges: the R8 limit passed to memlayout_place() (0: the default).
 * @errno: 0 when the placement is accepted, else the expected errno.
 * @err: the expected rejection (all zero when accepted).
 * @want: the expected placement, in address order.
 * @nr_want: its length.
 * @layout: when not %NULL, what memlayout_build_placed() must give.
 */
struct place_case {
	const char *desc;
	const struct memlayout_place_req *reqs;
	u32 n;
	u32 max_ranges;
	int errno;
	struct memlayout_place_error err;
	const struct memlayout_placed *want;
	u32 nr_want;
	const struct place_layout *layout;
};

KUNIT_DEFINE_ACTION_WRAPPER(place_kvfree, kvfree, const void *);

static void place_case_desc(const struct place_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

/* memlayout_place(), its result freed when @test ends. */
static struct memlayout_placement *place(struct kunit *test,
					 const struct memlayout_place_req *reqs,
					 u32 n, u32 max_ranges,
					 struct memlayout_place_error *err)
{
	struct memlayout_placement *p;

	/* Garbage first: the engine must fill or zero every field. */
	memset(err, 0xa5, sizeof(*err));
	p = memlayout_place(reqs, n, max_ranges, GFP_KERNEL, err);
	KUNIT_ASSERT_NOT_NULL(test, p);
	if (!IS_ERR(p))
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, place_kvfree, p));
	return p;
}

static void place_expect_err(struct kunit *test,
			     const struct memlayout_place_error *got,
			     const struct memlayout_place_error *want)
{
	KUNIT_EXPECT_EQ_MSG(test, got->rule, want->rule, "err.rule");
	KUNIT_EXPECT_EQ_MSG(test, got->place_class, want->place_class, "err.place_class");
	KUNIT_EXPECT_EQ_MSG(test, got->index, want->index, "err.index");
	KUNIT_EXPECT_EQ_MSG(test, got->other_class, want->other_class,
			    "err.other_class");
	KUNIT_EXPECT_EQ_MSG(test, got->other_index, want->other_index,
			    "err.other_index");
	KUNIT_EXPECT_EQ_MSG(test, got->phase, want->phase, "err.phase");
	KUNIT_EXPECT_EQ_MSG(test, got->size, want->size, "err.size");
	KUNIT_EXPECT_EQ_MSG(test, got->align, want->align, "err.align");
	KUNIT_EXPECT_EQ_MSG(test, got->free, want->free, "err.free");
}

static void place_expect_ranges(struct kunit *test,
				const struct memlayout_placement *p,
				const struct memlayout_placed *want, u32 n)
{
	u32 i;

	KUNIT_EXPECT_EQ_MSG(test, p->nr, n, "number of placed ranges");
	for (i = 0; i < min(p->nr, n); i++) {
		const struct memlayout_placed *g = &p->ranges[i], *w = &want[i];

		KUNIT_EXPECT_EQ_MSG(test, g->start, w->start, "range %u start", i);
		KUNIT_EXPECT_EQ_MSG(test, g->end, w->end, "range %u end", i);
		KUNIT_EXPECT_EQ_MSG(test, g->place_class, w->place_class, "range %u class", i);
		KUNIT_EXPECT_EQ_MSG(test, g->index, w->index, "range %u index", i);
		KUNIT_EXPECT_EQ_MSG(test, g->kind, w->kind, "range %u kind", i);
		KUNIT_EXPECT_EQ_MSG(test, g->vnode, w->vnode, "range %u vnode", i);
	}
}

/* SPEC C4 "Result": each kind's list is the placed ranges of that kind. */
static void place_expect_lists(struct kunit *test, const struct memlayout *l,
			       const struct place_case *c)
{
	struct memlayout_range got;
	u32 kind, i, k;

	for (kind = MEMLAYOUT_KIND_RAM; kind <= MEMLAYOUT_KIND_PCI_MMIO; kind++) {
		for (i = 0, k = 0; i < c->nr_want; i++) {
			const struct memlayout_placed *w = &c->want[i];

			if (w->place_class == MEMLAYOUT_CLASS_RESERVED || w->kind != kind)
				continue;
			KUNIT_ASSERT_EQ_MSG(test, 0,
					    memlayout_get_range(l, kind, k, &got),
					    "list %u index %u", kind, k);
			KUNIT_EXPECT_EQ_MSG(test, got.start, w->start,
					    "list %u index %u start", kind, k);
			KUNIT_EXPECT_EQ_MSG(test, got.end, w->end,
					    "list %u index %u end", kind, k);
			KUNIT_EXPECT_EQ_MSG(test, got.vnode, w->vnode,
					    "list %u index %u vnode", kind, k);
			k++;
		}
		KUNIT_EXPECT_EQ_MSG(test, memlayout_count(l, kind), k,
				    "count of list %u", kind);
	}
}

static void place_expect_layout(struct kunit *test,
				const struct memlayout_placement *p,
				const struct place_case *c)
{
	const struct place_layout *w = c->layout;
	struct memlayout_placement *own;
	struct memlayout_range r;
	struct memlayout_error err;
	struct memlayout *l;
	u64 v = 0;
	u32 i;

	/* A successful build owns its placement: give it a copy. */
	own = kvmemdup(p, struct_size(p, ranges, p->nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, own);
	memset(&err, 0xa5, sizeof(err));
	l = memlayout_build_placed(own, w->max_ranges, GFP_KERNEL, &err);
	KUNIT_ASSERT_NOT_NULL(test, l);
	if (IS_ERR(l))
		kvfree(own);
	else
		KUNIT_EXPECT_PTR_EQ(test, l->placement, own);
	if (w->errno) {
		KUNIT_ASSERT_TRUE_MSG(test, IS_ERR(l), "built, expected %d",
				      w->errno);
		KUNIT_EXPECT_EQ(test, PTR_ERR(l), (long)w->errno);
		KUNIT_EXPECT_EQ(test, err.rule, w->rule);
		KUNIT_EXPECT_EQ(test, err.list, (u32)MEMLAYOUT_LIST_RAM);
		KUNIT_EXPECT_EQ(test, err.index, w->index);
		return;
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(l), "rejected: %ld rule %u list %u index %u",
			       PTR_ERR(l), err.rule, err.list, err.index);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, ml_free_action, l));

	place_expect_lists(test, l, c);
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), w->ram_size);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), w->end_of_ram);
	KUNIT_EXPECT_EQ(test, memlayout_ram_below_4gb(l), w->below);
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_4gb(l), w->above);
	KUNIT_EXPECT_EQ(test, memlayout_max_ram_below_4gb(l, &v), w->has_max_below);
	if (w->has_max_below)
		KUNIT_EXPECT_EQ(test, v, w->max_below);
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_high_mmio(l, &v), w->has_q7);
	if (w->has_q7)
		KUNIT_EXPECT_EQ(test, v, w->q7);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), w->end_of_layout);
	/* SPEC Q1 vtl2: the post-MMIO VTL2 request, in no other list */
	KUNIT_EXPECT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r),
			w->has_vtl2 ? 0 : -ENOENT);
	KUNIT_EXPECT_EQ(test, r.start, w->vtl2_start);
	KUNIT_EXPECT_EQ(test, r.end, w->vtl2_end);
	for (i = 0; i < w->nr_probes; i++)
		KUNIT_EXPECT_EQ_MSG(test, memlayout_probe(l, w->probes[i].addr),
				    w->probes[i].kind, "probe 0x%llx",
				    w->probes[i].addr);
}

/* One row: the placement or rejection, determinism, the layout. */
static void place_run(struct kunit *test)
{
	const struct place_case *c = test->param_value;
	static const struct memlayout_place_error none = {};
	struct memlayout_place_error err, err2;
	struct memlayout_placement *p, *again;

	p = place(test, c->reqs, c->n, c->max_ranges, &err);
	if (c->errno) {
		KUNIT_ASSERT_TRUE_MSG(test, IS_ERR(p),
				      "accepted (%u ranges), expected %d",
				      p->nr, c->errno);
		KUNIT_EXPECT_EQ(test, PTR_ERR(p), (long)c->errno);
		place_expect_err(test, &err, &c->err);
		if (c->err.rule < MEMLAYOUT_REASON_FLAGS)
			KUNIT_EXPECT_EQ(test, memlayout_rule_errno(c->err.rule),
					c->errno);
		return;
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p),
			       "rejected: %ld rule %u class %u index %u free 0x%llx",
			       PTR_ERR(p), err.rule, err.place_class, err.index,
			       err.free);
	place_expect_err(test, &err, &none);
	place_expect_ranges(test, p, c->want, c->nr_want);

	/* SPEC C4: deterministic, the same requests give the same result */
	again = place(test, c->reqs, c->n, c->max_ranges, &err2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(again));
	KUNIT_ASSERT_EQ(test, again->nr, p->nr);
	KUNIT_EXPECT_EQ(test, 0, memcmp(again->ranges, p->ranges,
					p->nr * sizeof(p->ranges[0])));

	if (c->layout)
		place_expect_layout(test, p, c);
}

/* ---- Phase 2: mmio32 ---- */

static const struct place_case place_mmio32_cases[] = {
	{
		.desc = "C4 phase 2: mmio32 top down, just below a fixed range",
		PL_REQS(FIX(MMIO, 0xFE000000, ML_4G),
			M32(MMIO, ML_MB(1), ML_MB(1)),
			M32(MMIO, ML_MB(1), ML_MB(1))),
		PL_WANT(WM32(MMIO, 0xFDE00000, 0xFDF00000, 1),
			WM32(MMIO, 0xFDF00000, 0xFE000000, 0),
			WFIX(MMIO, 0xFE000000, ML_4G, 0)),
	}, {
		.desc = "C4 phase 2: sorted by alignment, then size, then request order",
		PL_REQS(M32(MMIO, ML_MB(1), ML_MB(1)),
			M32(PCI_ECAM, ML_MB(1), ML_MB(256)),
			M32(PCI_MMIO, ML_MB(4), ML_MB(1)),
			M32(MMIO, ML_MB(1), ML_MB(1)),
			M32(MMIO, ML_MB(2), ML_MB(2))),
		PL_WANT(WM32(PCI_ECAM, 0xF0000000, 0xF0100000, 1),
			WM32(MMIO, 0xFF800000, 0xFF900000, 3),
			WM32(MMIO, 0xFF900000, 0xFFA00000, 0),
			WM32(PCI_MMIO, 0xFFA00000, 0xFFE00000, 2),
			WM32(MMIO, 0xFFE00000, ML_4G, 4)),
	}, {
		.desc = "C4 phase 2: highest fit skips a free range too small once aligned",
		PL_REQS(FIX(MMIO, 0xFFD00000, ML_4G),
			FIX(PCI_MMIO, 0xFF800000, 0xFFB00000),
			M32(MMIO, ML_MB(2), ML_MB(4)),
			M32(PCI_MMIO, ML_MB(1), ML_MB(1))),
		PL_WANT(WM32(MMIO, 0xFF400000, 0xFF600000, 0),
			WFIX(PCI_MMIO, 0xFF800000, 0xFFB00000, 1),
			WM32(PCI_MMIO, 0xFFC00000, 0xFFD00000, 1),
			WFIX(MMIO, 0xFFD00000, ML_4G, 0)),
	}, {
		.desc = "C4 phase 2: mmio32 clamped below 4G when free space crosses it",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_GB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WM32(MMIO, ML_GB(3), ML_4G, 0)),
	}, {
		.desc = "C4 phase 2: a fixed range across 4G bounds the mmio32 window",
		PL_REQS(FIX(PCI_MMIO, ML_4G - ML_MB(1), ML_4G + ML_MB(1)),
			M32(MMIO, ML_MB(1), ML_PAGE)),
		PL_WANT(WM32(MMIO, ML_4G - ML_MB(2), ML_4G - ML_MB(1), 0),
			WFIX(PCI_MMIO, ML_4G - ML_MB(1), ML_4G + ML_MB(1), 0)),
	},
};

KUNIT_ARRAY_PARAM(pl_mmio32, place_mmio32_cases, place_case_desc);

/* ---- Phase 3: RAM ---- */

static const struct place_layout place_split_layout = {
	.ram_size = ML_GB(3), .end_of_ram = ML_4G + ML_MB(2),
	.below = ML_GB(3) - ML_MB(2), .above = ML_MB(2),
	.has_max_below = true, .max_below = ML_GB(3),
	.end_of_layout = ML_4G + ML_MB(2),
	PL_PROBES(PB(0, RAM), PB(ML_MB(512), MMIO), PB(ML_MB(514), RAM),
		  PB(ML_GB(3), PCI_MMIO), PB(ML_4G - 1, PCI_MMIO),
		  PB(ML_4G, RAM), PB(ML_4G + ML_MB(2), NONE)),
};

static const struct place_layout place_d8_layout = {
	.ram_size = ML_GB(2), .end_of_ram = ML_GB(2),
	.below = ML_GB(2), .above = 0,
	.has_max_below = true, .max_below = ML_GB(2),
	.end_of_layout = ML_GB(2),
	PL_PROBES(PB(0, RAM), PB(ML_GB(1), RAM), PB(ML_GB(2), NONE)),
};

static const struct place_case place_ram_cases[] = {
	{
		.desc = "C4 phase 3: RAM bottom up from 0",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0)),
	}, {
		.desc = "C4 phase 3: RAM splits around fixed and mmio32 ranges",
		PL_REQS(RAMQ(ML_GB(3), ML_PAGE),
			M32(PCI_MMIO, ML_GB(1), ML_MB(1)),
			FIX(MMIO, ML_MB(512), ML_MB(514))),
		PL_WANT(WRAM(0, ML_MB(512), 0, 0),
			WFIX(MMIO, ML_MB(512), ML_MB(514), 0),
			WRAM(ML_MB(514), ML_GB(3), 0, 0),
			WM32(PCI_MMIO, ML_GB(3), ML_4G, 0),
			WRAM(ML_4G, ML_4G + ML_MB(2), 0, 0)),
		.layout = &place_split_layout,
	}, {
		.desc = "C4 phase 3: split extents rounded down to the alignment",
		PL_REQS(FIX(MMIO, ML_MB(768), ML_MB(772)),
			RAMQ(ML_GB(2), ML_MB(512))),
		PL_WANT(WRAM(0, ML_MB(512), 0, 0),
			WFIX(MMIO, ML_MB(768), ML_MB(772), 0),
			WRAM(ML_GB(1), ML_MB(2560), 0, 0)),
	}, {
		.desc = "C4 phase 3: a later node never backfills an earlier fragment",
		PL_REQS(FIX(MMIO, ML_MB(768), ML_MB(772)),
			RAMQ(ML_GB(2), ML_MB(512)),
			RAMQ(ML_MB(256), ML_PAGE)),
		PL_WANT(WRAM(0, ML_MB(512), 0, 0),
			WFIX(MMIO, ML_MB(768), ML_MB(772), 0),
			WRAM(ML_GB(1), ML_MB(2560), 0, 0),
			WRAM(ML_MB(2560), ML_MB(2816), 1, 1)),
	}, {
		.desc = "C4 phase 3: nodes in caller order, touching extents kept apart",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0), WRAM(ML_GB(2), ML_GB(3), 1, 1)),
	}, {
		.desc = "C4 phase 3: a node's alignment moves it above the previous end",
		PL_REQS(RAMQ(ML_GB(1) + ML_PAGE, ML_PAGE), RAMQ(ML_GB(1), ML_GB(1))),
		PL_WANT(WRAM(0, ML_GB(1) + ML_PAGE, 0, 0),
			WRAM(ML_GB(2), ML_GB(3), 1, 1)),
	}, {
		.desc = "C4 phase 3: free ranges rounding to 0 skipped; the last extent unrounded",
		PL_REQS(FIX(MMIO, ML_MB(1), ML_MB(2)),
			FIX(PCI_ECAM, ML_MB(3), ML_MB(4)),
			RAMQ(ML_MB(9), ML_MB(2))),
		PL_WANT(WFIX(MMIO, ML_MB(1), ML_MB(2), 0),
			WFIX(PCI_ECAM, ML_MB(3), ML_MB(4), 1),
			WRAM(ML_MB(4), ML_MB(13), 0, 0)),
	}, {
		.desc = "C4 phase 3: the second node splits in three, each extent vnode 1",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RAMQ(ML_GB(2), ML_PAGE),
			FIX(MMIO, ML_MB(1536), ML_GB(2)),
			M32(PCI_ECAM, ML_GB(1), ML_GB(1))),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WRAM(ML_GB(1), ML_MB(1536), 1, 1),
			WFIX(MMIO, ML_MB(1536), ML_GB(2), 0),
			WRAM(ML_GB(2), ML_GB(3), 1, 1),
			WM32(PCI_ECAM, ML_GB(3), ML_4G, 0),
			WRAM(ML_4G, ML_4G + ML_MB(512), 1, 1)),
	}, {
		.desc = "C4 D8: a memory-less node 0 keeps its number (no P1/P2)",
		PL_REQS(RAMQ(0, 0), RAMQ(ML_GB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 1, 1)),
	}, {
		.desc = "C4 D8: a memory-less last node places nothing",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RAMQ(0, ML_PAGE),
			M64(MMIO, ML_MB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WM64(MMIO, ML_4G, ML_4G + ML_MB(1), 0)),
	}, {
		.desc = "C4 D8: a memory-less node between two (bad alignment ignored)",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RAMQ(0, 3),
			RAMQ(ML_GB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0), WRAM(ML_GB(1), ML_GB(2), 2, 2)),
		.layout = &place_d8_layout,
	},
};

KUNIT_ARRAY_PARAM(pl_ram, place_ram_cases, place_case_desc);

/* ---- Phases 4 and 5: mmio64 and post-MMIO; reserved ranges ---- */

static const struct place_layout place_vtl2_layout = {
	.ram_size = ML_GB(1), .end_of_ram = ML_GB(1),
	.below = ML_GB(1), .above = 0,
	.has_max_below = true, .max_below = ML_GB(1),
	.end_of_layout = ML_GB(1) + ML_MB(1),
	.has_vtl2 = true, .vtl2_start = ML_GB(1) + ML_MB(2),
	.vtl2_end = ML_GB(1) + ML_MB(66),
	PL_PROBES(PB(ML_GB(1) - 1, RAM), PB(ML_GB(1), MMIO),
		  PB(ML_GB(1) + ML_MB(1), NONE), PB(ML_GB(1) + ML_MB(2), NONE),
		  PB(ML_GB(1) + ML_MB(66) - 1, NONE)),
};

static const struct place_case place_high_cases[] = {
	{
		.desc = "C4 phase 4: mmio64 floored at 4G when RAM ends below",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE),
			M64(PCI_MMIO, ML_MB(1), ML_MB(1)),
			M64(MMIO, ML_MB(1), ML_MB(1))),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0),
			WM64(PCI_MMIO, ML_4G, ML_4G + ML_MB(1), 0),
			WM64(MMIO, ML_4G + ML_MB(1), ML_4G + ML_MB(2), 1)),
	}, {
		.desc = "C4 phase 4: mmio64 above RAM ending above 4G, larger alignment first",
		PL_REQS(RAMQ(ML_GB(6), ML_PAGE),
			M64(MMIO, ML_PAGE, ML_PAGE),
			M64(PCI_MMIO, ML_GB(1), ML_GB(1))),
		PL_WANT(WRAM(0, ML_GB(6), 0, 0),
			WM64(PCI_MMIO, ML_GB(6), ML_GB(7), 1),
			WM64(MMIO, ML_GB(7), ML_GB(7) + ML_PAGE, 0)),
	}, {
		.desc = "C4 phase 4: mmio64 not in a RAM fragment between 4G and the end of RAM",
		PL_REQS(RAMQ(ML_4G + ML_MB(1), ML_PAGE), RAMQ(ML_GB(1), ML_GB(1)),
			M64(MMIO, ML_MB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_4G + ML_MB(1), 0, 0),
			WRAM(ML_GB(5), ML_GB(6), 1, 1),
			WM64(MMIO, ML_GB(6), ML_GB(6) + ML_MB(1), 0)),
	}, {
		.desc = "C4 phase 4: mmio64 skips a fixed range at 4G",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE),
			FIX(PCI_MMIO, ML_4G, ML_4G + ML_MB(1)),
			M64(MMIO, ML_MB(1), ML_MB(1))),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0),
			WFIX(PCI_MMIO, ML_4G, ML_4G + ML_MB(1), 0),
			WM64(MMIO, ML_4G + ML_MB(1), ML_4G + ML_MB(2), 0)),
	}, {
		.desc = "C4 phase 4: larger size first; lowest fit below a fixed range",
		PL_REQS(RAMQ(ML_GB(5), ML_PAGE),
			M32(MMIO, ML_GB(1), ML_GB(1)),
			FIX(MMIO, ML_GB(6) + ML_MB(4), ML_GB(6) + ML_MB(8)),
			M64(PCI_MMIO, ML_MB(4), ML_PAGE),
			M64(PCI_ECAM, ML_MB(8), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(3), 0, 0),
			WM32(MMIO, ML_GB(3), ML_4G, 0),
			WRAM(ML_4G, ML_GB(6), 0, 0),
			WM64(PCI_MMIO, ML_GB(6), ML_GB(6) + ML_MB(4), 0),
			WFIX(MMIO, ML_GB(6) + ML_MB(4), ML_GB(6) + ML_MB(8), 0),
			WM64(PCI_ECAM, ML_GB(6) + ML_MB(8), ML_GB(6) + ML_MB(16), 1)),
	}, {
		.desc = "C4 phase 4/5: mmio64 not below 4G, may sit under a fixed range",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			FIX(PCI_MMIO, ML_GB(8), ML_GB(9)),
			M64(MMIO, ML_GB(1), ML_PAGE),
			POST(MMIO, ML_MB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WM64(MMIO, ML_4G, ML_GB(5), 0),
			WFIX(PCI_MMIO, ML_GB(8), ML_GB(9), 0),
			WPOST(MMIO, ML_GB(9), ML_GB(9) + ML_MB(1), 0)),
	}, {
		.desc = "C4 phase 5: post-MMIO above the last mmio64",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE),
			POST(PCI_MMIO, ML_MB(1), ML_MB(1)),
			M64(MMIO, ML_MB(1), ML_MB(1))),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0),
			WM64(MMIO, ML_4G, ML_4G + ML_MB(1), 0),
			WPOST(PCI_MMIO, ML_4G + ML_MB(1), ML_4G + ML_MB(2), 0)),
	}, {
		.desc = "C4 phase 5: without mmio64, post-MMIO above the mmio32 ranges",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), POST(PCI_MMIO, ML_MB(1), ML_PAGE),
			M32(MMIO, ML_MB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WM32(MMIO, ML_4G - ML_MB(1), ML_4G, 0),
			WPOST(PCI_MMIO, ML_4G, ML_4G + ML_MB(1), 0)),
	}, {
		.desc = "C4 phase 5: post-MMIO above a fixed range above everything else",
		PL_REQS(POST(MMIO, ML_MB(1), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
			FIX(PCI_ECAM, ML_GB(9), ML_GB(10)),
			M64(PCI_MMIO, ML_GB(1), ML_GB(1))),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WM64(PCI_MMIO, ML_4G, ML_GB(5), 0),
			WFIX(PCI_ECAM, ML_GB(9), ML_GB(10), 0),
			WPOST(MMIO, ML_GB(10), ML_GB(10) + ML_MB(1), 0)),
	}, {
		.desc = "C4 phase 5: post-MMIO in caller order, not sorted by alignment",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE),
			POST(MMIO, ML_MB(1), ML_MB(1)),
			POST(PCI_ECAM, ML_MB(1), ML_GB(1))),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0),
			WPOST(MMIO, ML_GB(2), ML_GB(2) + ML_MB(1), 0),
			WPOST(PCI_ECAM, ML_GB(3), ML_GB(3) + ML_MB(1), 1)),
	}, {
		.desc = "C4 phase 5: a reserved range above does not raise post-MMIO; dropped",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE),
			RSV(0xFD00000000ULL, 0xFD40000000ULL),
			POST(MMIO, ML_MB(1), ML_MB(1))),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0),
			WPOST(MMIO, ML_GB(2), ML_GB(2) + ML_MB(1), 0)),
	}, {
		.desc = "C4 phase 5: post-MMIO skips a reserved range, which is reported",
		PL_REQS(RAMQ(ML_GB(2), ML_PAGE),
			RSV(ML_GB(2), ML_GB(3)),
			POST(MMIO, ML_GB(2), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(2), 0, 0),
			WRSV(ML_GB(2), ML_GB(3), 0),
			WPOST(MMIO, ML_GB(3), ML_GB(5), 0)),
	}, {
		.desc = "C4 phase 5: VTL2 is a post-MMIO kind; the layout's VTL2 range",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			POST(MMIO, ML_MB(1), ML_PAGE),
			VTL2Q(ML_MB(64), ML_MB(2))),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WPOST(MMIO, ML_GB(1), ML_GB(1) + ML_MB(1), 0),
			WVTL2(ML_GB(1) + ML_MB(2), ML_GB(1) + ML_MB(66), 1)),
		.layout = &place_vtl2_layout,
	}, {
		.desc = "C4 Result: reserved interleaved reported, trailing ones dropped",
		PL_REQS(RSV(ML_GB(1), ML_GB(2)), RSV(ML_GB(12), ML_GB(13)),
			RAMQ(ML_GB(1), ML_PAGE), RSV(ML_4G, ML_GB(5)),
			M32(MMIO, ML_MB(1), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WRSV(ML_GB(1), ML_GB(2), 0),
			WM32(MMIO, ML_4G - ML_MB(1), ML_4G, 0)),
	}, {
		.desc = "C4 Result: a reserved range at 0 below RAM is reported",
		PL_REQS(RSV(0, ML_MB(1)), RSV(ML_GB(2), ML_GB(3)),
			RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_GB(1), ML_PAGE),
			RSV(ML_GB(10), ML_GB(11))),
		PL_WANT(WRSV(0, ML_MB(1), 0),
			WRAM(ML_MB(1), ML_GB(1) + ML_MB(1), 0, 0),
			WRSV(ML_GB(2), ML_GB(3), 1),
			WM32(MMIO, ML_GB(3), ML_4G, 0)),
	}, {
		.desc = "C4 P3: touching pinned ranges do not overlap",
		PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(2)), RSV(ML_GB(2), ML_GB(3)),
			FIX(PCI_ECAM, ML_GB(3), ML_4G), RAMQ(ML_GB(2), ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WFIX(MMIO, ML_GB(1), ML_GB(2), 0),
			WRSV(ML_GB(2), ML_GB(3), 0),
			WFIX(PCI_ECAM, ML_GB(3), ML_4G, 1),
			WRAM(ML_4G, ML_GB(5), 0, 0)),
	},
};

KUNIT_ARRAY_PARAM(pl_high, place_high_cases, place_case_desc);

/* ---- P4: exhaustion in each phase, with the free bytes ---- */

static const struct place_case place_exhausted_cases[] = {
	{
		.desc = "P4 mmio32: the larger request placed first, the smaller fails",
		PL_REQS(FIX(MMIO, 0xFE000000, ML_4G),
			M32(MMIO, ML_GB(1), ML_PAGE),
			M32(MMIO, ML_GB(3), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(MMIO32, 0, ML_GB(1), ML_PAGE, 0x3E000000),
	}, {
		.desc = "P4 mmio32: enough free bytes, none aligned",
		PL_REQS(FIX(MMIO, ML_MB(1), ML_MB(2)),
			FIX(MMIO, ML_GB(3), ML_GB(3) + ML_PAGE),
			M32(PCI_MMIO, ML_GB(2), ML_GB(2))),
		.errno = -ENOSPC,
		P4ERR(MMIO32, 0, ML_GB(2), ML_GB(2), 0xFFEFF000),
	}, {
		.desc = "P4 mmio32: larger than 4G; space above 4G not counted",
		PL_REQS(M32(MMIO, ML_4G + ML_PAGE, ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(MMIO32, 0, ML_4G + ML_PAGE, ML_PAGE, ML_4G),
	}, {
		.desc = "P4 ram: a fixed range leaves 1G",
		PL_REQS(FIX(MMIO, ML_GB(1), ML_MAX), RAMQ(ML_GB(2), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(RAM, 0, ML_GB(2), ML_PAGE, ML_GB(1)),
	}, {
		.desc = "P4 ram: nothing free at all",
		PL_REQS(FIX(MMIO, 0, ML_MAX), RAMQ(ML_PAGE, ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(RAM, 0, ML_PAGE, ML_PAGE, 0),
	}, {
		.desc = "P4 ram: free counted from the previous node's end",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, ML_GB(2), ML_MAX),
			RAMQ(ML_GB(2), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(RAM, 1, ML_GB(2), ML_PAGE, ML_GB(1)),
	}, {
		.desc = "P4 ram: 1G free from the floor but no 1G-aligned 1G",
		PL_REQS(FIX(PCI_MMIO, ML_GB(1) + ML_PAGE, ML_MAX),
			RAMQ(ML_PAGE, ML_PAGE), RAMQ(ML_GB(1), ML_GB(1))),
		.errno = -ENOSPC,
		P4ERR(RAM, 1, ML_GB(1), ML_GB(1), ML_GB(1)),
	}, {
		.desc = "P4 mmio64: free below 4G not counted",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, ML_GB(5), ML_MAX),
			M64(MMIO, ML_MB(512), ML_GB(1)),
			M64(PCI_MMIO, ML_MB(768), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(MMIO64, 1, ML_MB(768), ML_PAGE, ML_MB(512)),
	}, {
		.desc = "P4 mmio64: floor at the end of RAM above 4G",
		PL_REQS(RAMQ(ML_GB(6), ML_PAGE), FIX(MMIO, ML_GB(7), ML_MAX),
			M64(PCI_MMIO, ML_GB(2), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(MMIO64, 0, ML_GB(2), ML_PAGE, ML_GB(1)),
	}, {
		.desc = "P4 mmio64: a RAM fragment between 4G and the end of RAM not counted",
		PL_REQS(RAMQ(ML_4G + ML_MB(1), ML_PAGE), RAMQ(ML_GB(1), ML_GB(1)),
			FIX(MMIO, ML_GB(7), ML_MAX), M64(PCI_MMIO, ML_GB(2), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(MMIO64, 0, ML_GB(2), ML_PAGE, ML_GB(1)),
	}, {
		.desc = "P4 post-MMIO: a reserved range takes the rest",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RSV(ML_GB(2), ML_MAX),
			POST(MMIO, ML_GB(2), ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(POST_MMIO, 0, ML_GB(2), ML_PAGE, ML_GB(1)),
	}, {
		.desc = "P4 post-MMIO: floor raised by the previous post-MMIO; alignment",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RSV(ML_GB(3), ML_MAX),
			POST(MMIO, ML_MB(1), ML_PAGE),
			VTL2Q(ML_GB(2), ML_GB(2))),
		.errno = -ENOSPC,
		P4ERR(POST_MMIO, 1, ML_GB(2), ML_GB(2), ML_GB(2) - ML_MB(1)),
	},
};

KUNIT_ARRAY_PARAM(pl_exhausted, place_exhausted_cases, place_case_desc);

/* ---- Rejections before the phases, in the documented check order ---- */

static const struct place_case place_reject_cases[] = {
	{
		.desc = "unknown class 0: REASON_FLAGS, index in the array",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
			RAWQ(0, 0, 0, 0, ML_PAGE, ML_PAGE)),
		.errno = -EOPNOTSUPP,
		.err = { .rule = MEMLAYOUT_REASON_FLAGS, .index = 2 },
	}, {
		.desc = "unknown class 7 wins over R8",
		.max_ranges = 1,
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
			RAWQ(7, MEMLAYOUT_KIND_MMIO, 0, 0, ML_PAGE, ML_PAGE)),
		.errno = -EOPNOTSUPP,
		.err = { .rule = MEMLAYOUT_REASON_FLAGS, .index = 2 },
	}, {
		.desc = "R8: three mmio64 requests over a limit of 2",
		.max_ranges = 2,
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(MMIO, ML_MB(1), ML_PAGE),
			M64(MMIO, ML_MB(1), ML_PAGE), M64(MMIO, ML_MB(1), ML_PAGE)),
		.errno = -E2BIG,
		PERR(TOO_MANY, MMIO64, 2),
	}, {
		.desc = "R8: the first class over the limit is named (fixed before post)",
		.max_ranges = 2,
		PL_REQS(POST(MMIO, ML_MB(1), ML_PAGE), POST(MMIO, ML_MB(1), ML_PAGE),
			POST(MMIO, ML_MB(1), ML_PAGE),
			FIX(MMIO, ML_GB(8), ML_GB(9)), FIX(MMIO, ML_GB(9), ML_GB(10)),
			FIX(MMIO, ML_GB(10), ML_GB(11)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -E2BIG,
		PERR(TOO_MANY, FIXED, 2),
	}, {
		.desc = "R8: reserved ranges count too, before a bad kind",
		.max_ranges = 1,
		PL_REQS(RSV(0, ML_PAGE), RSV(ML_GB(1), ML_GB(2)),
			RAWQ(MEMLAYOUT_CLASS_RAM, MEMLAYOUT_KIND_RAM, 0, 0,
			     ML_GB(1), ML_PAGE)),
		.errno = -E2BIG,
		PERR(TOO_MANY, RESERVED, 1),
	}, {
		.desc = "R8: RAM requests over the limit",
		.max_ranges = 2,
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RAMQ(0, 0), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -E2BIG,
		PERR(TOO_MANY, RAM, 2),
	}, {
		.desc = "kind: a reserved range with a kind",
		PL_REQS(RAWQ(MEMLAYOUT_CLASS_RESERVED, MEMLAYOUT_KIND_MMIO, 0,
			     ML_PAGE, 0, 0), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		KERR(RESERVED, 0),
	}, {
		.desc = "kind: a RAM request with a kind",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			RAWQ(MEMLAYOUT_CLASS_RAM, MEMLAYOUT_KIND_RAM, 0, 0,
			     ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		KERR(RAM, 1),
	}, {
		.desc = "kind: a fixed range of kind none",
		PL_REQS(RAWQ(MEMLAYOUT_CLASS_FIXED, MEMLAYOUT_KIND_NONE, ML_GB(1),
			     ML_GB(2), 0, 0), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		KERR(FIXED, 0),
	}, {
		.desc = "kind: a fixed range of kind VTL2",
		PL_REQS(FIX(MMIO, ML_GB(3), ML_4G),
			RAWQ(MEMLAYOUT_CLASS_FIXED, MEMLAYOUT_PLACE_VTL2, ML_GB(1),
			     ML_GB(2), 0, 0), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		KERR(FIXED, 1),
	}, {
		.desc = "kind: an mmio32 request of kind VTL2",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			RAWQ(MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_PLACE_VTL2, 0, 0,
			     ML_MB(64), ML_PAGE)),
		.errno = -EINVAL,
		KERR(MMIO32, 0),
	}, {
		.desc = "kind: an mmio64 request of kind RAM",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			RAWQ(MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_RAM, 0, 0,
			     ML_MB(64), ML_PAGE)),
		.errno = -EINVAL,
		KERR(MMIO64, 0),
	}, {
		.desc = "kind: a post-MMIO request of kind 6",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			RAWQ(MEMLAYOUT_CLASS_POST_MMIO, 6, 0, 0, ML_MB(64), ML_PAGE)),
		.errno = -EINVAL,
		KERR(POST_MMIO, 0),
	}, {
		.desc = "kind: a second VTL2 post-MMIO request",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), POST(MMIO, ML_MB(1), ML_PAGE),
			VTL2Q(ML_MB(64), ML_PAGE), VTL2Q(ML_MB(64), ML_PAGE)),
		.errno = -EINVAL,
		KERR(POST_MMIO, 2),
	}, {
		.desc = "kind checked in class order: mmio32 before an earlier post-MMIO",
		PL_REQS(RAWQ(MEMLAYOUT_CLASS_POST_MMIO, MEMLAYOUT_KIND_RAM, 0, 0,
			     ML_MB(1), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
			RAWQ(MEMLAYOUT_CLASS_MMIO32, 0, 0, 0, ML_MB(1), ML_PAGE)),
		.errno = -EINVAL,
		KERR(MMIO32, 0),
	}, {
		.desc = "kind before R2: two VTL2 and an empty fixed range",
		PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(1)), RAMQ(ML_GB(1), ML_PAGE),
			VTL2Q(ML_MB(64), ML_PAGE), VTL2Q(ML_MB(64), ML_PAGE)),
		.errno = -EINVAL,
		KERR(POST_MMIO, 1),
	}, {
		.desc = "R2: an empty reserved range",
		PL_REQS(RSV(ML_MB(1), ML_MB(1)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, RESERVED, 0),
	}, {
		.desc = "R2: a reserved range with an unaligned start",
		PL_REQS(RSV(0x800, ML_PAGE), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, RESERVED, 0),
	}, {
		.desc = "R2: a reversed fixed range",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, ML_GB(2), ML_GB(1))),
		.errno = -EINVAL,
		PERR(BAD_RANGE, FIXED, 0),
	}, {
		.desc = "R2: a fixed range with an unaligned end",
		PL_REQS(FIX(MMIO, ML_4G, ML_GB(5)), FIX(MMIO, ML_GB(1), ML_GB(1) + 1),
			RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, FIXED, 1),
	}, {
		.desc = "R2: a fixed range ending above MAX_ADDRESS",
		PL_REQS(FIX(MMIO, ML_MAX - ML_PAGE, U64_MAX), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, FIXED, 0),
	}, {
		.desc = "R2: reserved ranges checked before fixed ones",
		PL_REQS(FIX(MMIO, ML_GB(2), ML_GB(1)), RSV(0, ML_PAGE),
			RSV(ML_GB(5), ML_GB(5)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, RESERVED, 1),
	}, {
		.desc = "R2 before P3: an overlap and a later empty fixed range",
		PL_REQS(RSV(0, ML_GB(1)), FIX(MMIO, 0, ML_GB(1)),
			FIX(MMIO, ML_GB(5), ML_GB(5)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, FIXED, 1),
	}, {
		.desc = "R2 before P1: an empty reserved range and an empty mmio32",
		PL_REQS(M32(MMIO, 0, ML_PAGE), RSV(ML_GB(8), ML_GB(8)),
			RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(BAD_RANGE, RESERVED, 0),
	}, {
		.desc = "P3: two fixed ranges overlap",
		PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(2)),
			FIX(PCI_MMIO, ML_MB(1536), ML_GB(3)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(FIXED, 0, FIXED, 1),
	}, {
		.desc = "P3: a reserved and a fixed range overlap",
		PL_REQS(FIX(MMIO, ML_GB(1) + ML_PAGE, ML_GB(1) + 2 * ML_PAGE),
			RSV(ML_GB(1), ML_GB(1) + ML_MB(1)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(RESERVED, 0, FIXED, 0),
	}, {
		.desc = "P3: same start, reserved sorts before fixed",
		PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(2)),
			RSV(ML_GB(1), ML_GB(1) + ML_PAGE), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(RESERVED, 0, FIXED, 0),
	}, {
		.desc = "P3: same start, caller order (not size) within reserved",
		PL_REQS(RSV(ML_GB(1), ML_GB(1) + ML_PAGE), RSV(ML_GB(1), ML_GB(2)),
			RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(RESERVED, 0, RESERVED, 1),
	}, {
		.desc = "P3: the first overlapping pair in address order, not caller order",
		PL_REQS(FIX(MMIO, ML_GB(8), ML_GB(9)),
			FIX(MMIO, ML_GB(8) + ML_MB(1), ML_GB(8) + ML_MB(2)),
			FIX(MMIO, ML_GB(1), ML_GB(2)),
			FIX(MMIO, ML_GB(1) + ML_MB(1), ML_GB(1) + ML_MB(2)),
			RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(FIXED, 2, FIXED, 3),
	}, {
		.desc = "P3: a range containing two others pairs with the first",
		PL_REQS(RSV(ML_MB(768), ML_MB(769)), FIX(MMIO, 0, ML_GB(1)),
			FIX(MMIO, ML_MB(512), ML_MB(513)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(FIXED, 0, FIXED, 1),
	}, {
		.desc = "P3 before P1: an overlap and an mmio32 of size 0",
		PL_REQS(M32(MMIO, 0, ML_PAGE), FIX(MMIO, ML_GB(1), ML_GB(2)),
			RSV(ML_GB(1), ML_GB(2)), RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EEXIST,
		P3ERR(RESERVED, 0, FIXED, 0),
	}, {
		.desc = "P1: mmio32 of size 0",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, 0, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, MMIO32, 0),
	}, {
		.desc = "P1: mmio32 of size 4K + 1",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_PAGE + 1, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, MMIO32, 0),
	}, {
		.desc = "P1: RAM of size 6K",
		PL_REQS(RAMQ(0x1800, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, RAM, 0),
	}, {
		.desc = "P1: RAM after a memory-less node, named by its index",
		PL_REQS(RAMQ(0, ML_PAGE), RAMQ(ML_GB(1) + 512, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, RAM, 1),
	}, {
		.desc = "P1: mmio64 of size 2K",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(MMIO, 2048, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, MMIO64, 0),
	}, {
		.desc = "P1: VTL2 of size 0",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), POST(MMIO, ML_PAGE, ML_PAGE),
			VTL2Q(0, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, POST_MMIO, 1),
	}, {
		.desc = "P2: mmio32 alignment 0",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_PAGE, 0)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, MMIO32, 0),
	}, {
		.desc = "P2: RAM alignment 12K (not a power of two)",
		PL_REQS(RAMQ(ML_GB(1), 3 * ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, RAM, 0),
	}, {
		.desc = "P2: mmio64 alignment 2K (below a page)",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(MMIO, ML_PAGE, 2048)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, MMIO64, 0),
	}, {
		.desc = "P2: post-MMIO alignment 2^63 + 4K",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			POST(MMIO, ML_PAGE, PL_MAX_ALIGN + ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, POST_MMIO, 0),
	}, {
		.desc = "P1 before P2 on one request",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(MMIO, 0, 3)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, MMIO64, 0),
	}, {
		.desc = "P1/P2 in caller order within a class: P2 of index 1 before P1 of index 2",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_PAGE, ML_PAGE),
			M32(MMIO, ML_PAGE, ML_PAGE + 1), M32(MMIO, 1, ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, MMIO32, 1),
	}, {
		.desc = "P1/P2 in class order: mmio32 P2 before an earlier post-MMIO P1",
		PL_REQS(POST(MMIO, 0, ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
			M32(MMIO, ML_PAGE, 0)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, MMIO32, 0),
	}, {
		.desc = "P1/P2 in class order: RAM P2 before mmio64 P1",
		PL_REQS(M64(MMIO, 0, ML_PAGE), RAMQ(ML_GB(1), 100)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, RAM, 0),
	}, {
		.desc = "D8 then P1: a memory-less node's alignment is not checked",
		PL_REQS(RAMQ(0, 3), M64(MMIO, ML_PAGE + 1, ML_PAGE),
			RAMQ(ML_GB(1), ML_PAGE)),
		.errno = -EINVAL,
		PERR(PLACE_SIZE, MMIO64, 0),
	}, {
		.desc = "P2 before P4: an mmio32 that cannot fit and a bad post alignment",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_GB(8), ML_PAGE),
			POST(MMIO, ML_PAGE, 0x3000)),
		.errno = -EINVAL,
		PERR(PLACE_ALIGN, POST_MMIO, 0),
	},
};

KUNIT_ARRAY_PARAM(pl_reject, place_reject_cases, place_case_desc);

/* ---- SPEC R5 through memlayout_build_placed(); the top of the space ---- */

static const struct place_layout place_no_ram = {
	.errno = -EINVAL, .rule = MEMLAYOUT_RULE_NO_RAM,
};

/* SPEC R8 on the RAM list of the layout: more extents than the limit 2. */
static const struct place_layout place_ram_extents_r8 = {
	.errno = -E2BIG, .rule = MEMLAYOUT_RULE_TOO_MANY, .index = 2,
	.max_ranges = 2,
};

/* The same placement under a limit of 3: one node, three extents. */
static const struct place_layout place_ram_extents_ok = {
	.max_ranges = 3,
	.ram_size = ML_GB(3), .end_of_ram = ML_GB(3) + 2 * ML_PAGE,
	.below = ML_GB(3), .above = 0,
	.has_max_below = true, .max_below = ML_GB(3) + 2 * ML_PAGE,
	/* SPEC Q7: two mmio gaps, RAM starting at or above the second's end */
	.has_q7 = true, .q7 = ML_GB(1) + ML_PAGE,
	.end_of_layout = ML_GB(3) + 2 * ML_PAGE,
	PL_PROBES(PB(ML_GB(1) - 1, RAM), PB(ML_GB(1), MMIO),
		  PB(ML_GB(1) + ML_PAGE, RAM), PB(ML_GB(2), MMIO),
		  PB(ML_GB(3) + 2 * ML_PAGE - 1, RAM),
		  PB(ML_GB(3) + 2 * ML_PAGE, NONE)),
};

static const struct place_case place_edge_cases[] = {
	{
		.desc = "R5: no requests at all: empty placement, no layout",
		.reqs = NULL, .n = 0,
		.layout = &place_no_ram,
	}, {
		.desc = "R5: holes only: placed, no layout",
		PL_REQS(FIX(MMIO, 0xFE000000, ML_4G), M32(PCI_ECAM, ML_MB(256),
							  ML_MB(256))),
		PL_WANT(WM32(PCI_ECAM, 0xE0000000, 0xF0000000, 0),
			WFIX(MMIO, 0xFE000000, ML_4G, 0)),
		.layout = &place_no_ram,
	}, {
		.desc = "R5, D8: only a memory-less node and VTL2",
		PL_REQS(RAMQ(0, 0), VTL2Q(ML_MB(64), ML_MB(2))),
		PL_WANT(WVTL2(0, ML_MB(64), 0)),
		.layout = &place_no_ram,
	}, {
		.desc = "R5: reserved ranges only, all trailing and dropped",
		PL_REQS(RSV(0, ML_GB(1)), RSV(ML_GB(4), ML_GB(5))),
		.layout = &place_no_ram,
	}, {
		.desc = "R8: one node split into 3 extents over a limit of 2 -> no layout",
		.max_ranges = 2,
		PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(1) + ML_PAGE),
			RAMQ(ML_GB(3), ML_PAGE),
			FIX(MMIO, ML_GB(2), ML_GB(2) + ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WFIX(MMIO, ML_GB(1), ML_GB(1) + ML_PAGE, 0),
			WRAM(ML_GB(1) + ML_PAGE, ML_GB(2), 0, 0),
			WFIX(MMIO, ML_GB(2), ML_GB(2) + ML_PAGE, 1),
			WRAM(ML_GB(2) + ML_PAGE, ML_GB(3) + 2 * ML_PAGE, 0, 0)),
		.layout = &place_ram_extents_r8,
	}, {
		.desc = "R8: the same three extents under a limit of 3 -> the layout",
		.max_ranges = 3,
		PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(1) + ML_PAGE),
			RAMQ(ML_GB(3), ML_PAGE),
			FIX(MMIO, ML_GB(2), ML_GB(2) + ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WFIX(MMIO, ML_GB(1), ML_GB(1) + ML_PAGE, 0),
			WRAM(ML_GB(1) + ML_PAGE, ML_GB(2), 0, 0),
			WFIX(MMIO, ML_GB(2), ML_GB(2) + ML_PAGE, 1),
			WRAM(ML_GB(2) + ML_PAGE, ML_GB(3) + 2 * ML_PAGE, 0, 0)),
		.layout = &place_ram_extents_ok,
	}, {
		.desc = "R2 boundary: fixed and reserved ranges ending at MAX_ADDRESS",
		PL_REQS(RSV(ML_MAX - ML_PAGE, ML_MAX), RAMQ(ML_GB(1), ML_PAGE),
			FIX(PCI_MMIO, ML_MAX - 2 * ML_PAGE, ML_MAX - ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WFIX(PCI_MMIO, ML_MAX - 2 * ML_PAGE, ML_MAX - ML_PAGE, 0)),
	}, {
		.desc = "MAX: RAM in the last 8K above a fixed range",
		PL_REQS(FIX(PCI_MMIO, 0, ML_MAX - 2 * ML_PAGE),
			RAMQ(2 * ML_PAGE, ML_PAGE)),
		PL_WANT(WFIX(PCI_MMIO, 0, ML_MAX - 2 * ML_PAGE, 0),
			WRAM(ML_MAX - 2 * ML_PAGE, ML_MAX, 0, 0)),
	}, {
		.desc = "MAX: RAM of MAX_ADDRESS bytes covers the whole space",
		PL_REQS(RAMQ(ML_MAX, ML_PAGE)),
		PL_WANT(WRAM(0, ML_MAX, 0, 0)),
	}, {
		.desc = "MAX: RAM aligned to 2^63 above a page at 0",
		PL_REQS(FIX(MMIO, 0, ML_PAGE), RAMQ(ML_PAGE, PL_MAX_ALIGN)),
		PL_WANT(WFIX(MMIO, 0, ML_PAGE, 0),
			WRAM(PL_MAX_ALIGN, PL_MAX_ALIGN + ML_PAGE, 0, 0)),
	}, {
		.desc = "MAX: mmio64 aligned to 2^63 ends exactly at MAX_ADDRESS",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			M64(PCI_MMIO, PL_MAX_ALIGN - ML_PAGE, PL_MAX_ALIGN)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WM64(PCI_MMIO, PL_MAX_ALIGN, ML_MAX, 0)),
	}, {
		.desc = "MAX: mmio32 aligned to 2^63 goes to 0, RAM after it",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_PAGE, PL_MAX_ALIGN)),
		PL_WANT(WM32(MMIO, 0, ML_PAGE, 0),
			WRAM(ML_PAGE, ML_GB(1) + ML_PAGE, 0, 0)),
	}, {
		.desc = "MAX: post-MMIO in the last page",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, ML_4G, ML_MAX - ML_PAGE),
			POST(MMIO, ML_PAGE, ML_PAGE)),
		PL_WANT(WRAM(0, ML_GB(1), 0, 0),
			WFIX(MMIO, ML_4G, ML_MAX - ML_PAGE, 0),
			WPOST(MMIO, ML_MAX - ML_PAGE, ML_MAX, 0)),
	}, {
		.desc = "MAX, P4: mmio64 of 2^63 aligned to 2^63 would pass MAX",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			M64(PCI_MMIO, PL_MAX_ALIGN, PL_MAX_ALIGN)),
		.errno = -ENOSPC,
		P4ERR(MMIO64, 0, PL_MAX_ALIGN, PL_MAX_ALIGN, ML_MAX - ML_4G),
	}, {
		.desc = "MAX, P4: mmio64 of MAX_ADDRESS bytes",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(MMIO, ML_MAX, ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(MMIO64, 0, ML_MAX, ML_PAGE, ML_MAX - ML_4G),
	}, {
		.desc = "MAX, P4: RAM aligned to 2^63 above 2^63 (align-up overflows)",
		PL_REQS(RAMQ(PL_MAX_ALIGN + ML_PAGE, ML_PAGE),
			RAMQ(ML_PAGE, PL_MAX_ALIGN)),
		.errno = -ENOSPC,
		P4ERR(RAM, 1, ML_PAGE, PL_MAX_ALIGN,
		      ML_MAX - PL_MAX_ALIGN - ML_PAGE),
	}, {
		.desc = "MAX, P4: a second node after RAM reaching MAX_ADDRESS",
		PL_REQS(RAMQ(ML_MAX, ML_PAGE), RAMQ(ML_PAGE, ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(RAM, 1, ML_PAGE, ML_PAGE, 0),
	}, {
		.desc = "MAX, P4: post-MMIO aligned to 2^63 above 2^63",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
			FIX(MMIO, PL_MAX_ALIGN, PL_MAX_ALIGN + ML_PAGE),
			POST(MMIO, ML_PAGE, PL_MAX_ALIGN)),
		.errno = -ENOSPC,
		P4ERR(POST_MMIO, 0, ML_PAGE, PL_MAX_ALIGN,
		      ML_MAX - PL_MAX_ALIGN - ML_PAGE),
	}, {
		.desc = "MAX, P4: post-MMIO of MAX_ADDRESS bytes",
		PL_REQS(RAMQ(ML_GB(1), ML_PAGE), POST(MMIO, ML_MAX, ML_PAGE)),
		.errno = -ENOSPC,
		P4ERR(POST_MMIO, 0, ML_MAX, ML_PAGE, ML_MAX - ML_GB(1)),
	},
};

KUNIT_ARRAY_PARAM(pl_edge, place_edge_cases, place_case_desc);

/* ---- Two realistic guests ---- */

/*
 * x86 q35: the LAPIC/IOAPIC block fixed at 0xFE000000-4G, a 128M VMBus
 * window and a 256M ECAM (256M aligned) below 4G, node 0 4G at 2M
 * alignment, node 1 2G at 1G alignment, a 64G 64-bit PCI window and a 64M
 * VTL2 range after everything. By hand: ECAM first (larger alignment) at
 * align_down(0xFE000000 - 256M, 256M) = 0xE0000000; VMBus at the top of
 * [0xF0000000, 0xFE000000); node 0 takes [0, 0xE0000000), the 96M between
 * ECAM and VMBus and 416M from 4G; node 1 starts at align_up(4G + 416M, 1G)
 * = 5G; the PCI window at 7G; VTL2 at 71G.
 */
static const struct place_layout place_q35_layout = {
	.ram_size = ML_GB(6), .end_of_ram = ML_GB(7),
	.below = 0xE6000000, .above = ML_GB(6) - 0xE6000000,
	.has_max_below = true, .max_below = 0xF6000000,
	.has_q7 = true, .q7 = ML_MB(416) + ML_GB(2),
	.end_of_layout = ML_GB(71),
	.has_vtl2 = true, .vtl2_start = ML_GB(71),
	.vtl2_end = ML_GB(71) + ML_MB(64),
	PL_PROBES(PB(0, RAM), PB(0xDFFFFFFF, RAM), PB(0xE0000000, PCI_ECAM),
		  PB(0xEFFFFFFF, PCI_ECAM), PB(0xF0000000, RAM),
		  PB(0xF6000000, MMIO), PB(0xFE000000, MMIO),
		  PB(ML_4G - 1, MMIO), PB(ML_4G, RAM),
		  PB(ML_4G + ML_MB(416), NONE), PB(ML_GB(5) - 1, NONE),
		  PB(ML_GB(5), RAM), PB(ML_GB(7) - 1, RAM),
		  PB(ML_GB(7), PCI_MMIO), PB(ML_GB(71) - 1, PCI_MMIO),
		  PB(ML_GB(71), NONE), PB(ML_GB(71) + ML_MB(64), NONE)),
};

/*
 * arm64: the first 1G reserved (RAM starts above it), the GIC/UART block
 * fixed at 0xEF000000-4G, a 240M MMIO window and a 256M ECAM below 4G, one
 * 3G node at 2M alignment, a 16G 64-bit PCI window aligned to 1G, a 1M
 * post-MMIO range, and a reserved range at 512G above everything. By hand:
 * ECAM at align_down(0xEF000000 - 256M, 256M) = 0xD0000000, the 240M
 * window fills [0xE0000000, 0xEF000000); RAM [1G, 0xD0000000) (2304M) and
 * 768M from 4G; PCI window at align_up(4G + 768M, 1G) = 5G; post at 21G.
 */
static const struct place_layout place_arm64_layout = {
	.ram_size = ML_GB(3), .end_of_ram = ML_4G + ML_MB(768),
	.below = ML_MB(2304), .above = ML_MB(768),
	.has_max_below = true, .max_below = 0xD0000000,
	.has_q7 = false,
	.end_of_layout = ML_GB(21) + ML_MB(1),
	PL_PROBES(PB(0, NONE), PB(ML_GB(1) - 1, NONE), PB(ML_GB(1), RAM),
		  PB(0xCFFFFFFF, RAM), PB(0xD0000000, PCI_ECAM),
		  PB(0xE0000000, MMIO), PB(0xEF000000, MMIO), PB(ML_4G, RAM),
		  PB(ML_4G + ML_MB(768), NONE), PB(ML_GB(5), PCI_MMIO),
		  PB(ML_GB(21) - 1, PCI_MMIO), PB(ML_GB(21), MMIO),
		  PB(ML_GB(21) + ML_MB(1), NONE), PB(ML_GB(512), NONE)),
};

static const struct place_case place_guest_cases[] = {
	{
		.desc = "x86 q35: two nodes, ECAM, VMBus, 64-bit PCI window, VTL2",
		PL_REQS(FIX(MMIO, 0xFE000000, ML_4G),
			M32(MMIO, ML_MB(128), ML_MB(1)),
			M32(PCI_ECAM, ML_MB(256), ML_MB(256)),
			RAMQ(ML_GB(4), ML_MB(2)),
			RAMQ(ML_GB(2), ML_GB(1)),
			M64(PCI_MMIO, ML_GB(64), ML_GB(1)),
			VTL2Q(ML_MB(64), ML_MB(2))),
		PL_WANT(WRAM(0, 0xE0000000, 0, 0),
			WM32(PCI_ECAM, 0xE0000000, 0xF0000000, 1),
			WRAM(0xF0000000, 0xF6000000, 0, 0),
			WM32(MMIO, 0xF6000000, 0xFE000000, 0),
			WFIX(MMIO, 0xFE000000, ML_4G, 0),
			WRAM(ML_4G, ML_4G + ML_MB(416), 0, 0),
			WRAM(ML_GB(5), ML_GB(7), 1, 1),
			WM64(PCI_MMIO, ML_GB(7), ML_GB(71), 0),
			WVTL2(ML_GB(71), ML_GB(71) + ML_MB(64), 0)),
		.layout = &place_q35_layout,
	}, {
		.desc = "arm64: RAM above a reserved low range, ECAM, PCI window",
		PL_REQS(RSV(0, ML_GB(1)),
			FIX(MMIO, 0xEF000000, ML_4G),
			M32(MMIO, ML_MB(240), ML_PAGE),
			M32(PCI_ECAM, ML_MB(256), ML_MB(256)),
			RAMQ(ML_GB(3), ML_MB(2)),
			M64(PCI_MMIO, ML_GB(16), ML_GB(1)),
			POST(MMIO, ML_MB(1), ML_PAGE),
			RSV(ML_GB(512), ML_GB(513))),
		PL_WANT(WRSV(0, ML_GB(1), 0),
			WRAM(ML_GB(1), 0xD0000000, 0, 0),
			WM32(PCI_ECAM, 0xD0000000, 0xE0000000, 1),
			WM32(MMIO, 0xE0000000, 0xEF000000, 0),
			WFIX(MMIO, 0xEF000000, ML_4G, 0),
			WRAM(ML_4G, ML_4G + ML_MB(768), 0, 0),
			WM64(PCI_MMIO, ML_GB(5), ML_GB(21), 0),
			WPOST(MMIO, ML_GB(21), ML_GB(21) + ML_MB(1), 0)),
		.layout = &place_arm64_layout,
	},
};

KUNIT_ARRAY_PARAM(pl_guest, place_guest_cases, place_case_desc);

static void place_mmio32(struct kunit *test)
{
	place_run(test);
}

static void place_ram(struct kunit *test)
{
	place_run(test);
}

static void place_high(struct kunit *test)
{
	place_run(test);
}

static void place_exhausted(struct kunit *test)
{
	place_run(test);
}

static void place_reject(struct kunit *test)
{
	place_run(test);
}

static void place_edge(struct kunit *test)
{
	place_run(test);
}

static void place_guest(struct kunit *test)
{
	place_run(test);
}

/* ---- Determinism on a larger generated input ---- */

#define PL_GEN_N	256

/*
 * Fill @a with a generated, placeable set of requests, grouped by class:
 * eight reserved and eight fixed ranges from 64G up, eight nodes, then
 * small mmio32, mmio64 and post-MMIO requests in turn. Fill @b with the
 * same requests, the classes taken last to first (each in its own order).
 */
static void place_gen(struct memlayout_place_req *a,
		      struct memlayout_place_req *b)
{
	static const u32 dyn[] = { MEMLAYOUT_CLASS_MMIO32,
		MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_CLASS_POST_MMIO };
	u64 seed = 0x5eed, r;
	u32 i, j, c;

	for (i = 0; i < PL_GEN_N; i++) {
		struct memlayout_place_req *q = &a[i];

		r = ml_lcg_next(&seed) >> 16;
		memset(q, 0, sizeof(*q));
		if (i < 16) {
			q->place_class = i < 8 ? MEMLAYOUT_CLASS_RESERVED :
					   MEMLAYOUT_CLASS_FIXED;
			q->kind = i < 8 ? 0 : MEMLAYOUT_KIND_PCI_MMIO;
			q->start = ML_GB(64) + (u64)i * ML_GB(2);
			q->end = q->start + ML_PAGE * (1 + r % 4096);
		} else if (i < 24) {
			q->place_class = MEMLAYOUT_CLASS_RAM;
			q->size = ML_MB(1 + r % 4096);
			q->align = ML_PAGE << (r % 19);
		} else {
			q->place_class = dyn[i % 3];
			q->kind = MEMLAYOUT_KIND_MMIO + r % 3;
			q->size = ML_PAGE * (1 + r % 64);
			q->align = ML_PAGE << (r % 9);
		}
	}
	/* Sort the dynamic ones by class, keeping their order (stable). */
	for (c = MEMLAYOUT_CLASS_MMIO32, j = 24; c <= MEMLAYOUT_CLASS_POST_MMIO; c++)
		for (i = 24; i < PL_GEN_N; i++)
			if (a[i].place_class == c)
				b[j++] = a[i];
	memcpy(&a[24], &b[24], (PL_GEN_N - 24) * sizeof(*a));
	for (c = MEMLAYOUT_CLASS_POST_MMIO + 1, j = 0; c-- > MEMLAYOUT_CLASS_RESERVED;)
		for (i = 0; i < PL_GEN_N; i++)
			if (a[i].place_class == c)
				b[j++] = a[i];
}

/* SPEC C4: deterministic; only each class's own order matters */
static void place_deterministic(struct kunit *test)
{
	struct memlayout_place_req *a, *b;
	struct memlayout_place_error err;
	struct memlayout_placement *p[3];
	u32 i;

	a = kunit_kcalloc(test, 2 * PL_GEN_N, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	b = a + PL_GEN_N;
	place_gen(a, b);
	KUNIT_ASSERT_NE(test, 0, memcmp(a, b, PL_GEN_N * sizeof(*a)));
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = place(test, i < 2 ? a : b, PL_GEN_N, 0, &err);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p[i]),
				       "rejected: rule %u class %u index %u",
				       err.rule, err.place_class, err.index);
	}
	KUNIT_ASSERT_GE(test, p[0]->nr, (u32)(PL_GEN_N - 8));
	for (i = 1; i < ARRAY_SIZE(p); i++) {
		KUNIT_ASSERT_EQ(test, p[i]->nr, p[0]->nr);
		KUNIT_EXPECT_EQ_MSG(test, 0,
				    memcmp(p[i]->ranges, p[0]->ranges,
					   p[0]->nr * sizeof(p[0]->ranges[0])),
				    "placement %u differs", i);
	}
	for (i = 1; i < p[0]->nr; i++)
		KUNIT_EXPECT_LE_MSG(test, p[0]->ranges[i - 1].end,
				    p[0]->ranges[i].start, "range %u", i);
}

static struct kunit_case place_cases[] = {
	KUNIT_CASE_PARAM(place_mmio32, pl_mmio32_gen_params),
	KUNIT_CASE_PARAM(place_ram, pl_ram_gen_params),
	KUNIT_CASE_PARAM(place_high, pl_high_gen_params),
	KUNIT_CASE_PARAM(place_exhausted, pl_exhausted_gen_params),
	KUNIT_CASE_PARAM(place_reject, pl_reject_gen_params),
	KUNIT_CASE_PARAM(place_edge, pl_edge_gen_params),
	KUNIT_CASE_PARAM(place_guest, pl_guest_gen_params),
	KUNIT_CASE(place_deterministic),
	{}
};

static struct kunit_suite place_suite = {
	.name = "memlayout_place",
	.test_cases = place_cases,
};

kunit_test_suite(place_suite);
