// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_extremes: the top of the address space
 * (MEMLAYOUT_MAX_ADDRESS = 2^64 - 4096, SPEC R2 and R6), the per-list range
 * limit (SPEC R8: req.max_ranges, the module default, the hard ceiling) and
 * a layout of thousands of ranges built and probed.
 */
#include <linux/mm.h>

#include "kunit_util.h"

KUNIT_DEFINE_ACTION_WRAPPER(extremes_kvfree, kvfree, const void *);

/* A zeroed array of @n elements of @size bytes, freed when @test ends. */
static void *extremes_alloc(struct kunit *test, size_t n, size_t size)
{
	void *p = kvcalloc(n, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, extremes_kvfree, p));
	return p;
}

struct extremes_top_case {
	const char *desc;
	struct memlayout_request req;
	u32 list;		/* the list whose last range ends at MAX */
	u64 start;
	u32 kind;		/* what MAX_ADDRESS - 1 probes as */
};

static const struct extremes_top_case extremes_top_cases[] = {
	{
		/* SPEC R2: ram */
		.desc = "ram [MAX - 4K, MAX)",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_MAX - ML_PAGE, ML_MAX)) },
		.list = MEMLAYOUT_LIST_RAM, .start = ML_MAX - ML_PAGE,
		.kind = MEMLAYOUT_KIND_RAM,
	}, {
		/* SPEC R2: ram covering the whole address space */
		.desc = "ram [0, MAX)",
		.req = { .source = MEMLAYOUT_FROM_RANGES, ML_LIST(ram, R(0, ML_MAX)) },
		.list = MEMLAYOUT_LIST_RAM, .start = 0, .kind = MEMLAYOUT_KIND_RAM,
	}, {
		/* SPEC R2, R6: C1 placing RAM up to MAX_ADDRESS */
		.desc = "C1 MAX_ADDRESS bytes",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_MAX },
		.list = MEMLAYOUT_LIST_RAM, .start = 0, .kind = MEMLAYOUT_KIND_RAM,
	}, {
		/* SPEC R2: mmio */
		.desc = "mmio [MAX - 1G, MAX)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(mmio, R(ML_MAX - ML_GB(1), ML_MAX)) },
		.list = MEMLAYOUT_LIST_MMIO, .start = ML_MAX - ML_GB(1),
		.kind = MEMLAYOUT_KIND_MMIO,
	}, {
		/* SPEC R2: pci_ecam */
		.desc = "pci_ecam [MAX - 4K, MAX)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)), R(ML_MAX - ML_PAGE, ML_MAX)) },
		.list = MEMLAYOUT_LIST_PCI_ECAM, .start = ML_MAX - ML_PAGE,
		.kind = MEMLAYOUT_KIND_PCI_ECAM,
	}, {
		/* SPEC R2: pci_mmio */
		.desc = "pci_mmio [MAX - 1T, MAX)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(pci_mmio, R(ML_MAX - ML_TB(1), ML_MAX)) },
		.list = MEMLAYOUT_LIST_PCI_MMIO, .start = ML_MAX - ML_TB(1),
		.kind = MEMLAYOUT_KIND_PCI_MMIO,
	}, {
		/* SPEC R2, Q9: vtl2, which probes as none */
		.desc = "vtl2 [MAX - 4K, MAX)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_VTL2(ML_MAX - ML_PAGE, ML_MAX) },
		.list = MEMLAYOUT_LIST_VTL2, .start = ML_MAX - ML_PAGE,
		.kind = MEMLAYOUT_KIND_NONE,
	},
};

static void extremes_top_desc(const struct extremes_top_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(extremes_top, extremes_top_cases, extremes_top_desc);

/* SPEC R2: a range may end exactly at MAX_ADDRESS, in every list */
static void extremes_accepts_range_ending_at_max(struct kunit *test)
{
	const struct extremes_top_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	u32 n = memlayout_count(l, t->list);
	struct memlayout_range r = {};

	KUNIT_ASSERT_GT(test, n, 0U);
	KUNIT_ASSERT_EQ(test, memlayout_get_range(l, t->list, n - 1, &r), 0);
	KUNIT_EXPECT_EQ(test, r.start, t->start);
	KUNIT_EXPECT_EQ(test, r.end, ML_MAX);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - 1), t->kind);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX), MEMLAYOUT_KIND_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, U64_MAX), MEMLAYOUT_KIND_NONE);
	if (t->list != MEMLAYOUT_LIST_VTL2)
		KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_MAX);
}

struct extremes_reject_case {
	const char *desc;
	struct memlayout_request req;
	int err;
	struct memlayout_error want;
};

static void extremes_reject_desc(const struct extremes_reject_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

static const struct extremes_reject_case extremes_above_max_cases[] = {
	{
		/* SPEC R2: ram */
		.desc = "ram ending at U64_MAX",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_MAX - ML_PAGE, U64_MAX)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 0, NONE, 0),
	}, {
		/* SPEC R2: ram */
		.desc = "ram index 1 ending at MAX + 1",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_MAX - ML_PAGE, ML_MAX + 1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 1, NONE, 0),
	}, {
		/* SPEC R2, D4: [MAX, MAX + 4K) has its end wrapped to 0 */
		.desc = "ram [MAX, 2^64) wrapped",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_MAX, ML_MAX + ML_PAGE)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 0, NONE, 0),
	}, {
		/* SPEC R2: mmio */
		.desc = "mmio ending at U64_MAX",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(mmio, R(ML_MAX - ML_PAGE, U64_MAX)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: mmio */
		.desc = "mmio [MAX - 1G, 2^64) wrapped",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)),
				 R(ML_MAX - ML_GB(1), ML_MAX + ML_PAGE)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R2: pci_ecam */
		.desc = "pci_ecam [MAX, U64_MAX)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(pci_ecam, R(ML_MAX, U64_MAX)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_ECAM, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: pci_mmio */
		.desc = "pci_mmio [MAX - 4K, 2^64) wrapped",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(pci_mmio, R(ML_MAX - ML_PAGE, ML_MAX + ML_PAGE)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2: vtl2 */
		.desc = "vtl2 ending at U64_MAX",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_VTL2(ML_MAX - ML_PAGE, U64_MAX) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, VTL2, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: vtl2 */
		.desc = "vtl2 [MAX, 2^64) wrapped",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_VTL2(ML_MAX, ML_MAX + ML_PAGE) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, VTL2, 0, NONE, 0),
	},
};

KUNIT_ARRAY_PARAM(extremes_above_max, extremes_above_max_cases, extremes_reject_desc);

/* SPEC R2, D4: nothing may end above MAX_ADDRESS or wrap */
static void extremes_rejects_range_ending_above_max(struct kunit *test)
{
	const struct extremes_reject_case *t = test->param_value;

	ml_expect_reject(test, &t->req, t->err, &t->want);
}

static const struct extremes_reject_case extremes_placement_cases[] = {
	{
		/* SPEC R6: the last page would land at MAX_ADDRESS */
		.desc = "C1 MAX_ADDRESS with a page hole at the top",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_MAX,
			 ML_LIST(pci_ecam, R(ML_MAX - ML_PAGE, ML_MAX)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6, D4: RAM [3 * 2^62, 2^64) would wrap to 0 */
		.desc = "C1 2^63 around a 2^63 hole at 2^62",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = 1ULL << 63,
			 ML_LIST(mmio, R(1ULL << 62, 3ULL << 62)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6, D4 */
		.desc = "C1 MAX_ADDRESS after a hole at 0",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_MAX,
			 ML_LIST(pci_mmio, R(0, ML_GB(1))) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6, D6: node 1 does not fit below a page hole at the top */
		.desc = "C2 (MAX - 4K) + 4K with a page hole at the top",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_MAX - ML_PAGE, ML_PAGE),
			 ML_LIST(pci_ecam, R(ML_MAX - ML_PAGE, ML_MAX)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D4: four nodes of 2^62 sum to exactly 2^64 */
		.desc = "C2 four nodes of 2^62",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(1ULL << 62, 1ULL << 62, 1ULL << 62, 1ULL << 62) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 3, NONE, 0),
	}, {
		/* SPEC R6: three nodes of 2^62 and one of 2^62 - 4K fit exactly */
		.desc = "C2 nodes summing to MAX_ADDRESS accepted",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(1ULL << 62, 1ULL << 62, 1ULL << 62,
				  (1ULL << 62) - ML_PAGE) },
	}, {
		/* SPEC R6 before R4: overlapping holes, RAM does not fit */
		.desc = "C1 overlapping holes and MAX_ADDRESS of RAM: R6",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_MAX,
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3))),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(4))) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6 before R4, C2: the node that does not fit */
		.desc = "C2 overlapping holes and a node past MAX_ADDRESS: R6",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_GB(1), ML_MAX - ML_GB(2), ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3))),
			 ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(4))) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R4: RAM fits, so the first of two overlaps is reported */
		.desc = "C1 two hole overlaps, RAM fits: the first R4",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(8),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3)), R(ML_GB(6), ML_GB(7))),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(4))),
			 ML_LIST(pci_mmio, R(ML_GB(5), ML_GB(6) + ML_PAGE)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 0, PCI_ECAM, 0),
	}, {
		/* SPEC R4 (C2): nodes split around the holes, then the overlap */
		.desc = "C2 hole overlap after node splits: R4",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_GB(1) / 2, ML_GB(1) / 2, ML_GB(4)),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3))),
			 ML_LIST(pci_ecam, R(ML_GB(3) - ML_PAGE, ML_GB(4))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 0, PCI_ECAM, 0),
	},
};

KUNIT_ARRAY_PARAM(extremes_placement, extremes_placement_cases, extremes_reject_desc);

/* SPEC R6, D4, D6: placement that would pass MAX_ADDRESS or wrap */
static void extremes_rejects_placement_past_max(struct kunit *test)
{
	const struct extremes_reject_case *t = test->param_value;

	ml_expect_outcome(test, &t->req, t->err, &t->want);
}

static const struct memlayout_request c1_max = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_MAX,
};

/* SPEC C1, Q2-Q6, Q8: RAM filling the whole address space */
static void extremes_ram_fills_address_space(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_max);
	u64 v = 0;

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_MAX));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_MAX);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_MAX);
	KUNIT_EXPECT_EQ(test, memlayout_ram_below_4gb(l), ML_4G);
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_4gb(l), ML_MAX - ML_4G);
	KUNIT_ASSERT_TRUE(test, memlayout_max_ram_below_4gb(l, &v));
	KUNIT_EXPECT_EQ(test, v, ML_4G);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_MAX);
}

static const struct memlayout_request hole_at_top = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_MAX - ML_GB(1), ML_MAX)),
};

/* SPEC C1, Q8: a hole at the very top, the RAM placed far below it */
static void extremes_hole_at_top_with_ram_below(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &hole_at_top);
	u64 v = 1;

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_GB(1)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_MMIO,
		       R(ML_GB(2), ML_GB(3)), R(ML_MAX - ML_GB(1), ML_MAX));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_MAX);
	/* SPEC Q7: two mmio gaps, no RAM above the second */
	KUNIT_ASSERT_TRUE(test, memlayout_ram_above_high_mmio(l, &v));
	KUNIT_EXPECT_EQ(test, v, 0ULL);
}

static const struct memlayout_request ram_below_top_hole = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_MAX - ML_PAGE,
	ML_LIST(pci_ecam, R(ML_MAX - ML_PAGE, ML_MAX)),
};

static const struct memlayout_request ram_around_huge_hole = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = 1ULL << 63,
	ML_LIST(mmio, R(1ULL << 62, (3ULL << 62) - ML_PAGE)),
};

/* SPEC C1, R6: RAM filling everything below a hole at the top */
static void extremes_ram_fills_up_to_top_hole(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &ram_below_top_hole);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_MAX - ML_PAGE));
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - 1), MEMLAYOUT_KIND_PCI_ECAM);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_MAX);

	/* 2^62 below a huge hole, the other 2^62 ending exactly at MAX */
	l = ml_build_ok(test, &ram_around_huge_hole);
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       R(0, 1ULL << 62), R((3ULL << 62) - ML_PAGE, ML_MAX));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), 1ULL << 63);
}

/*
 * Fill @req with @n ranges in @list (@list NODES: @n one-page nodes) and
 * whatever else makes it valid, with @max as req.max_ranges. RAM ranges sit
 * on even pages, holes on odd pages.
 */
static void extremes_make_request(struct kunit *test, struct memlayout_request *req,
				  u32 list, u32 n, u32 max)
{
	struct memlayout_range *r = NULL;
	u64 *sizes;
	u32 i;

	memset(req, 0, sizeof(*req));
	req->max_ranges = max;
	if (list == MEMLAYOUT_LIST_NODES) {
		sizes = extremes_alloc(test, n, sizeof(*sizes));
		for (i = 0; i < n; i++)
			sizes[i] = ML_PAGE;
		req->source = MEMLAYOUT_FROM_NODES;
		req->node_sizes = sizes;
		req->nr_nodes = n;
		return;
	}

	r = extremes_alloc(test, n, sizeof(*r));
	for (i = 0; i < n; i++) {
		u64 page = list == MEMLAYOUT_LIST_RAM ? 2 * (u64)i : 2 * (u64)i + 1;

		r[i].start = page * ML_PAGE;
		r[i].end = (page + 1) * ML_PAGE;
	}
	req->source = MEMLAYOUT_FROM_SIZE;
	req->ram_size = ML_PAGE;
	switch (list) {
	case MEMLAYOUT_LIST_RAM:
		req->source = MEMLAYOUT_FROM_RANGES;
		req->ram = r;
		req->nr_ram = n;
		break;
	case MEMLAYOUT_LIST_MMIO:
		req->mmio = r;
		req->nr_mmio = n;
		break;
	case MEMLAYOUT_LIST_PCI_ECAM:
		req->pci_ecam = r;
		req->nr_pci_ecam = n;
		break;
	default:
		req->pci_mmio = r;
		req->nr_pci_mmio = n;
		break;
	}
}

struct extremes_limit_case {
	const char *desc;
	u32 list;
};

static const struct extremes_limit_case extremes_limit_cases[] = {
	/* SPEC R8, one row per limited list */
	{ "ram", MEMLAYOUT_LIST_RAM },	/* SPEC R8 */
	{ "mmio", MEMLAYOUT_LIST_MMIO },	/* SPEC R8 */
	{ "pci_ecam", MEMLAYOUT_LIST_PCI_ECAM },	/* SPEC R8 */
	{ "pci_mmio", MEMLAYOUT_LIST_PCI_MMIO },	/* SPEC R8 */
	{ "nodes", MEMLAYOUT_LIST_NODES },	/* SPEC R8 */
};

static void extremes_limit_desc(const struct extremes_limit_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(extremes_limit, extremes_limit_cases, extremes_limit_desc);

#define EXTREMES_N	5

/* SPEC R8: req.max_ranges = N accepts exactly N ranges in a list */
static void extremes_max_ranges_accepts_n(struct kunit *test)
{
	const struct extremes_limit_case *t = test->param_value;
	u32 list = t->list == MEMLAYOUT_LIST_NODES ? MEMLAYOUT_LIST_RAM : t->list;
	struct memlayout_request req;
	struct memlayout *l;

	extremes_make_request(test, &req, t->list, EXTREMES_N, EXTREMES_N);
	l = ml_build_ok(test, &req);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, list), EXTREMES_N);
}

/* SPEC R8: N + 1 ranges are rejected with -E2BIG naming index N */
static void extremes_max_ranges_rejects_n_plus_one(struct kunit *test)
{
	const struct extremes_limit_case *t = test->param_value;
	struct memlayout_error want = { .rule = MEMLAYOUT_RULE_TOO_MANY,
					.list = t->list, .index = EXTREMES_N };
	struct memlayout_request req;

	extremes_make_request(test, &req, t->list, EXTREMES_N + 1, EXTREMES_N);
	ml_expect_reject(test, &req, -E2BIG, &want);
}

/* SPEC R8: max_ranges 0 means the module parameter, 4096 by default */
static void extremes_max_ranges_zero_uses_default(struct kunit *test)
{
	struct memlayout_error want = { .rule = MEMLAYOUT_RULE_TOO_MANY };
	struct memlayout_request req;
	struct memlayout *l;
	u32 n = memlayout_max_ranges();

	KUNIT_EXPECT_EQ(test, n, MEMLAYOUT_DEFAULT_MAX_RANGES);

	extremes_make_request(test, &req, MEMLAYOUT_LIST_MMIO, n, 0);
	l = ml_build_ok(test, &req);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_MMIO), n);

	want.list = MEMLAYOUT_LIST_MMIO;
	want.index = n;
	extremes_make_request(test, &req, MEMLAYOUT_LIST_MMIO, n + 1, 0);
	ml_expect_reject(test, &req, -E2BIG, &want);

	want.list = MEMLAYOUT_LIST_RAM;
	extremes_make_request(test, &req, MEMLAYOUT_LIST_RAM, n + 1, 0);
	ml_expect_reject(test, &req, -E2BIG, &want);
}

/* SPEC R8: req.max_ranges may raise the limit above the module default */
static void extremes_max_ranges_above_default(struct kunit *test)
{
	u32 n = memlayout_max_ranges() + 1;
	struct memlayout_request req;
	struct memlayout *l;

	extremes_make_request(test, &req, MEMLAYOUT_LIST_PCI_MMIO, n, n);
	l = ml_build_ok(test, &req);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_PCI_MMIO), n);
}

/* SPEC R8: max_ranges is capped at MEMLAYOUT_MAX_RANGES_LIMIT */
static void extremes_max_ranges_capped_at_limit(struct kunit *test)
{
	struct memlayout_error want = {
		.rule = MEMLAYOUT_RULE_TOO_MANY,
		.list = MEMLAYOUT_LIST_MMIO,
		.index = MEMLAYOUT_MAX_RANGES_LIMIT,
	};
	struct memlayout_request req;

	extremes_make_request(test, &req, MEMLAYOUT_LIST_MMIO,
			      MEMLAYOUT_MAX_RANGES_LIMIT + 1, U32_MAX);
	ml_expect_reject(test, &req, -E2BIG, &want);
}

#define EXTREMES_HOLES	4096

struct extremes_large_case {
	const char *desc;
	bool spread;	/* holes over all three kinds instead of mmio only */
};

static const struct extremes_large_case extremes_large_cases[] = {
	/* SPEC C1, Q1, Q9, R8 */
	{ "4096 mmio holes", false },
	/* SPEC C1, Q1, Q9: holes of three kinds merged by start */
	{ "4096 holes of three kinds", true },
};

static void extremes_large_desc(const struct extremes_large_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(extremes_large, extremes_large_cases, extremes_large_desc);

/* The kind of address @a in the large layout: even pages RAM, odd holes. */
static u32 extremes_large_kind(u64 a, bool spread)
{
	static const u32 kinds[] = {
		MEMLAYOUT_KIND_MMIO, MEMLAYOUT_KIND_PCI_ECAM, MEMLAYOUT_KIND_PCI_MMIO,
	};
	u64 page = a / ML_PAGE;

	if (page > 2 * EXTREMES_HOLES)
		return MEMLAYOUT_KIND_NONE;
	if (!(page & 1))
		return MEMLAYOUT_KIND_RAM;
	/* page <= 2 * EXTREMES_HOLES: a u32 %, which 32-bit kernels have */
	return spread ? kinds[(u32)(page / 2) % 3] : MEMLAYOUT_KIND_MMIO;
}

/* Check the RAM list and every probe of the large layout built below. */
static noinline void extremes_check_large(struct kunit *test,
					  const struct memlayout *l, bool spread)
{
	u32 i, n, k, first, bad = 0, *kinds;
	struct memlayout_range got;
	u64 *addrs;

	for (i = 0; i <= EXTREMES_HOLES; i++) {
		if (memlayout_get_range(l, MEMLAYOUT_LIST_RAM, i, &got) ||
		    got.start != 2 * (u64)i * ML_PAGE ||
		    got.end != (2 * (u64)i + 1) * ML_PAGE || got.vnode)
			bad++;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "RAM ranges not as placed");

	/* first byte, last byte and end of every page of the layout */
	n = 3 * (2 * EXTREMES_HOLES + 1);
	addrs = extremes_alloc(test, n, sizeof(*addrs));
	kinds = extremes_alloc(test, n, sizeof(*kinds));
	for (i = 0; i < 2 * EXTREMES_HOLES + 1; i++) {
		addrs[3 * i] = i * ML_PAGE;
		addrs[3 * i + 1] = (i + 1) * ML_PAGE - 1;
		addrs[3 * i + 2] = (i + 1) * ML_PAGE;
	}
	memlayout_probe_many(l, addrs, kinds, n);
	bad = 0;
	for (i = 0; i < n; i++) {
		u32 expect = extremes_large_kind(addrs[i], spread);
		u32 one = memlayout_probe(l, addrs[i]);

		if (kinds[i] == expect && one == expect)
			continue;
		if (bad++ < 8)
			KUNIT_FAIL(test, "addr %#llx: probe_many %u probe %u expected %u",
				   addrs[i], kinds[i], one, expect);
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);

	/* ascending walks jumping two ranges at a time: RAM starts, hole starts */
	for (first = 0; first < 2; first++) {
		for (k = 0, i = first; i < 2 * EXTREMES_HOLES + 1; i += 2)
			addrs[k++] = i * ML_PAGE;
		memlayout_probe_many(l, addrs, kinds, k);
		for (bad = 0, i = 0; i < k; i++)
			if (kinds[i] != extremes_large_kind(addrs[i], spread))
				bad++;
		KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "stride 2 walk from page %u", first);
	}
}

/*
 * SPEC C1, Q1-Q3, Q9, R8: 4096 one-page holes (exactly the default limit)
 * and 4097 one-page RAM ranges between and after them, then every range
 * read back and its edges probed, singly and in one batch.
 */
static void extremes_large_layout(struct kunit *test)
{
	const struct extremes_large_case *t = test->param_value;
	struct memlayout_range *lists[3];
	u32 nr[3] = {}, i, k;
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_SIZE,
		.max_ranges = EXTREMES_HOLES,
		.ram_size = (EXTREMES_HOLES + 1) * ML_PAGE,
	};
	struct memlayout *l;

	for (k = 0; k < 3; k++)
		lists[k] = extremes_alloc(test, EXTREMES_HOLES, sizeof(*lists[k]));
	for (i = 0; i < EXTREMES_HOLES; i++) {
		k = t->spread ? i % 3 : 0;
		lists[k][nr[k]].start = (2 * (u64)i + 1) * ML_PAGE;
		lists[k][nr[k]].end = (2 * (u64)i + 2) * ML_PAGE;
		nr[k]++;
	}
	req.mmio = lists[0];
	req.nr_mmio = nr[0];
	req.pci_ecam = lists[1];
	req.nr_pci_ecam = nr[1];
	req.pci_mmio = lists[2];
	req.nr_pci_mmio = nr[2];

	l = ml_build_ok(test, &req);
	KUNIT_ASSERT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_RAM), EXTREMES_HOLES + 1);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_MMIO), nr[0]);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_PCI_ECAM), nr[1]);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_PCI_MMIO), nr[2]);
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), (EXTREMES_HOLES + 1) * ML_PAGE);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), (2 * EXTREMES_HOLES + 1) * ML_PAGE);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l),
			(2 * EXTREMES_HOLES + 1) * ML_PAGE);

	extremes_check_large(test, l, t->spread);
}

/*
 * The largest layout one request can make with max_ranges M (SPEC R8,
 * C2): M one-page holes in each of the three hole lists, interleaved and
 * two pages apart, and M nodes whose boundaries all fall inside a
 * two-page gap. Every gap gets a RAM range, every node boundary splits
 * one more, and the last node spills one page above the last hole:
 * 3M holes + (3M + 1) + (M - 1) RAM ranges = 7M ranges. This is the
 * worst case Documentation/memlayout.rst ("Limits") states.
 */
static void extremes_worst_case_layout(struct kunit *test)
{
	const u32 m = *(const u32 *)test->param_value;
	struct memlayout_range *holes[3];
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_NODES,
		.max_ranges = m,
		.nr_nodes = m,
		.nr_mmio = m,
		.nr_pci_ecam = m,
		.nr_pci_mmio = m,
	};
	struct memlayout_error err;
	struct memlayout *l;
	u64 *nodes, ram = 0;
	u32 i, k;

	nodes = extremes_alloc(test, m, sizeof(*nodes));
	for (k = 0; k < 3; k++)
		holes[k] = extremes_alloc(test, m, sizeof(*holes[k]));
	/* Hole j of 3M sits at page 3j + 2, after a two-page gap. */
	for (i = 0; i < 3 * m; i++) {
		holes[i % 3][i / 3].start = (3ULL * i + 2) * ML_PAGE;
		holes[i % 3][i / 3].end = (3ULL * i + 3) * ML_PAGE;
	}
	/* 6M pages fill the gaps; boundaries at 5, 11, 17, ...: all odd. */
	for (i = 0; i < m; i++)
		nodes[i] = 6 * ML_PAGE;
	nodes[0] = 5 * ML_PAGE;
	nodes[m - 1] = 8 * ML_PAGE;
	for (i = 0; i < m; i++)
		ram += nodes[i];
	req.node_sizes = nodes;
	req.mmio = holes[0];
	req.pci_ecam = holes[1];
	req.pci_mmio = holes[2];

	l = memlayout_build(&req, GFP_KERNEL, &err);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(l), "rule %u list %u index %u",
			       err.rule, err.list, err.index);
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_RAM), 4 * m);
	KUNIT_EXPECT_EQ(test, l->nr, 7 * m);
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ram);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l),
			(9ULL * m + 1) * ML_PAGE);
	kunit_info(test, "max_ranges %u: %u ranges, %zu bytes\n", m, l->nr,
		   memlayout_bytes(l));
	memlayout_free(l);
}

static const u32 extremes_worst_params[] = {
	MEMLAYOUT_DEFAULT_MAX_RANGES, MEMLAYOUT_MAX_RANGES_LIMIT,
};

static const void *extremes_worst_gen_params(const void *prev, char *desc)
{
	const u32 *p = prev ? (const u32 *)prev + 1 : extremes_worst_params;

	if (p >= extremes_worst_params + ARRAY_SIZE(extremes_worst_params))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "max_ranges %u", *p);
	return p;
}

static struct kunit_case extremes_test_cases[] = {
	KUNIT_CASE_PARAM(extremes_accepts_range_ending_at_max, extremes_top_gen_params),
	KUNIT_CASE_PARAM(extremes_rejects_range_ending_above_max,
			 extremes_above_max_gen_params),
	KUNIT_CASE_PARAM(extremes_rejects_placement_past_max,
			 extremes_placement_gen_params),
	KUNIT_CASE(extremes_ram_fills_address_space),
	KUNIT_CASE(extremes_hole_at_top_with_ram_below),
	KUNIT_CASE(extremes_ram_fills_up_to_top_hole),
	KUNIT_CASE_PARAM(extremes_max_ranges_accepts_n, extremes_limit_gen_params),
	KUNIT_CASE_PARAM(extremes_max_ranges_rejects_n_plus_one, extremes_limit_gen_params),
	KUNIT_CASE(extremes_max_ranges_zero_uses_default),
	KUNIT_CASE(extremes_max_ranges_above_default),
	KUNIT_CASE(extremes_max_ranges_capped_at_limit),
	KUNIT_CASE_PARAM(extremes_large_layout, extremes_large_gen_params),
	KUNIT_CASE_PARAM(extremes_worst_case_layout, extremes_worst_gen_params),
	{}
};

static struct kunit_suite extremes_suite = {
	.name = "memlayout_extremes",
	.test_cases = extremes_test_cases,
};

kunit_test_suite(extremes_suite);
