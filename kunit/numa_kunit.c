// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_numa: RAM placed from per-node sizes (SPEC C2):
 * node after node, chunks split where a node's budget ends, zero-length
 * chunks skipped (D1), bad sizes (R1), sums that wrap or do not fit (R6, D6)
 * and the node count limit (R8).
 */
#include "kunit_util.h"

static const struct memlayout_request split_mid_chunk = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_MB(512), ML_GB(1)),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

/* SPEC C2: a chunk between holes is split where node 0's budget ends */
static void numa_splits_node_mid_chunk(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &split_mid_chunk);

	/* adjacent RAM ranges differing only in vnode */
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_MB(512), 0),
		       RN(ML_MB(512), ML_GB(1), 1),
		       RN(ML_GB(2), ML_GB(2) + ML_MB(512), 1));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(1) + ML_MB(512));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(2) + ML_MB(512));
}

static const struct memlayout_request three_nodes_three_holes = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_GB(1) + ML_MB(512), ML_GB(1) + ML_MB(512), ML_GB(1)),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
	ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(3) + ML_MB(256))),
	ML_LIST(pci_mmio, R(ML_GB(5), ML_GB(6))),
};

/* SPEC C2: three nodes over holes of all three kinds */
static void numa_places_nodes_across_several_holes(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &three_nodes_three_holes);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 0),
		       RN(ML_GB(2), ML_GB(2) + ML_MB(512), 0),
		       RN(ML_GB(2) + ML_MB(512), ML_GB(3), 1),
		       RN(ML_GB(3) + ML_MB(256), ML_GB(4) + ML_MB(256), 1),
		       RN(ML_GB(4) + ML_MB(256), ML_GB(5), 2),
		       RN(ML_GB(6), ML_GB(6) + ML_MB(256), 2));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(4));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(6) + ML_MB(256));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_GB(6) + ML_MB(256));
}

static const struct memlayout_request node_fills_chunk = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_GB(1), ML_GB(2)),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
};

/* SPEC C2, D1: node 0 exactly fills the first chunk; no empty range */
static void numa_node_exactly_fills_chunk(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &node_fills_chunk);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 0),
		       RN(ML_GB(2), ML_GB(3), 1),
		       RN(ML_GB(4), ML_GB(5), 1));
}

static const struct memlayout_request node_before_touching_holes = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_GB(1), ML_GB(1)),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
	ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3))),
};

/* SPEC C2, D1: node boundary at two touching holes */
static void numa_node_fills_chunk_before_touching_holes(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &node_before_touching_holes);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 0), RN(ML_GB(3), ML_GB(4), 1));
}

static const struct memlayout_request node_spans_chunks = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(3 * ML_PAGE, ML_PAGE),
	ML_LIST(mmio, R(ML_PAGE, 2 * ML_PAGE)),
	ML_LIST(pci_mmio, R(3 * ML_PAGE, 4 * ML_PAGE)),
};

/* SPEC C2: one node spanning several chunks, the next node touching it */
static void numa_node_spans_several_chunks(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &node_spans_chunks);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_PAGE, 0),
		       RN(2 * ML_PAGE, 3 * ML_PAGE, 0),
		       RN(4 * ML_PAGE, 5 * ML_PAGE, 0),
		       RN(5 * ML_PAGE, 6 * ML_PAGE, 1));
}

static const struct memlayout_request nodes_after_last_hole = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_PAGE, ML_PAGE, ML_PAGE),
	ML_LIST(mmio, R(0, ML_GB(1))),
};

/* SPEC C2, D1: after the last hole nodes follow each other contiguously */
static void numa_nodes_after_last_hole_are_contiguous(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &nodes_after_last_hole);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(ML_GB(1), ML_GB(1) + ML_PAGE, 0),
		       RN(ML_GB(1) + ML_PAGE, ML_GB(1) + 2 * ML_PAGE, 1),
		       RN(ML_GB(1) + 2 * ML_PAGE, ML_GB(1) + 3 * ML_PAGE, 2));
}

static const struct memlayout_range seed_gaps[] = {
	R(ML_GB(1), ML_GB(2)),
	R(ML_GB(3), ML_GB(4)),
};

static const struct memlayout_request one_node = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_TB(1)),
	.mmio = seed_gaps,
	.nr_mmio = ARRAY_SIZE(seed_gaps),
};

static const struct memlayout_request one_size = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_TB(1),
	.mmio = seed_gaps,
	.nr_mmio = ARRAY_SIZE(seed_gaps),
};

/* SPEC C1, C2: a single node places RAM exactly as C1 does */
static void numa_single_node_matches_from_size(struct kunit *test)
{
	struct memlayout *a = ml_build_ok(test, &one_node);
	struct memlayout *b = ml_build_ok(test, &one_size);
	struct memlayout_range ra, rb;
	u32 i;

	ML_EXPECT_LIST(test, a, MEMLAYOUT_LIST_RAM,
		       R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
		       R(ML_GB(4), ML_TB(1) + ML_GB(2)));
	KUNIT_ASSERT_EQ(test, memlayout_count(b, MEMLAYOUT_LIST_RAM),
			memlayout_count(a, MEMLAYOUT_LIST_RAM));
	for (i = 0; i < memlayout_count(a, MEMLAYOUT_LIST_RAM); i++) {
		KUNIT_ASSERT_EQ(test, memlayout_get_range(a, MEMLAYOUT_LIST_RAM, i, &ra), 0);
		KUNIT_ASSERT_EQ(test, memlayout_get_range(b, MEMLAYOUT_LIST_RAM, i, &rb), 0);
		KUNIT_EXPECT_EQ_MSG(test, ra.start, rb.start, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ra.end, rb.end, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ra.vnode, rb.vnode, "range %u", i);
	}
}

/* SPEC C2: node i gets vnode i, 16 nodes between 15 one-page holes */
static void numa_vnode_is_node_index(struct kunit *test)
{
	enum { NODES = 16 };
	struct memlayout_request req = { .source = MEMLAYOUT_FROM_NODES };
	struct memlayout_range *holes, want;
	struct memlayout *l;
	u64 *sizes;
	u32 i;

	sizes = kunit_kcalloc(test, NODES, sizeof(*sizes), GFP_KERNEL);
	holes = kunit_kcalloc(test, NODES - 1, sizeof(*holes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sizes);
	KUNIT_ASSERT_NOT_NULL(test, holes);
	for (i = 0; i < NODES; i++)
		sizes[i] = ML_PAGE;
	for (i = 0; i < NODES - 1; i++) {
		holes[i].start = (2 * i + 1) * ML_PAGE;
		holes[i].end = (2 * i + 2) * ML_PAGE;
	}
	req.node_sizes = sizes;
	req.nr_nodes = NODES;
	/* spread the holes over the three kinds; they are merged by start */
	req.mmio = holes;
	req.nr_mmio = 5;
	req.pci_ecam = holes + 5;
	req.nr_pci_ecam = 5;
	req.pci_mmio = holes + 10;
	req.nr_pci_mmio = 5;

	l = ml_build_ok(test, &req);
	KUNIT_ASSERT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_RAM), (u32)NODES);
	for (i = 0; i < NODES; i++) {
		want.start = 2 * i * ML_PAGE;
		want.end = (2 * i + 1) * ML_PAGE;
		want.vnode = i;
		ml_expect_range(test, l, MEMLAYOUT_LIST_RAM, i, &want);
	}
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), NODES * ML_PAGE);
}

static const struct memlayout_request nodes_across_gap = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_GB(3), ML_GB(2)),
	ML_LIST(mmio, R(ML_GB(3), ML_GB(4))),
};

/* SPEC C2, Q4-Q6: statistics of nodes placed around a gap below 4 GiB */
static void numa_statistics(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &nodes_across_gap);
	u64 v = 0;

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(3), 0), RN(ML_GB(4), ML_GB(6), 1));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(5));
	KUNIT_EXPECT_EQ(test, memlayout_ram_below_4gb(l), ML_GB(3));
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_4gb(l), ML_GB(2));
	KUNIT_ASSERT_TRUE(test, memlayout_max_ram_below_4gb(l, &v));
	KUNIT_EXPECT_EQ(test, v, ML_GB(3));
	KUNIT_EXPECT_FALSE(test, memlayout_ram_above_high_mmio(l, &v));
}

static const struct memlayout_request nodes_fill_max = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_PAGE, ML_MAX - ML_PAGE),
};

/* SPEC C2, R6: node sizes summing to exactly MAX_ADDRESS are placed */
static void numa_nodes_fill_address_space(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &nodes_fill_max);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_PAGE, 0), RN(ML_PAGE, ML_MAX, 1));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_MAX);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_MAX);
}

static const struct memlayout_request nodes_and_vtl2 = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_GB(1), ML_GB(1)),
	ML_VTL2(ML_GB(2), ML_GB(3)),
};

/* SPEC C2, R7: VTL2 above the placed RAM is accepted and kept apart */
static void numa_accepts_vtl2_above_nodes(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &nodes_and_vtl2);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 0), RN(ML_GB(1), ML_GB(2), 1));
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_VTL2), 1U);
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(2));
}

struct numa_reject_case {
	const char *desc;
	struct memlayout_request req;
	int err;
	struct memlayout_error want;
};

static void numa_reject_desc(const struct numa_reject_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

static const struct numa_reject_case numa_bad_size_cases[] = {
	{
		/* SPEC R1: zero node */
		.desc = "node 0 zero",
		.req = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(0) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 0, NONE, 0),
	}, {
		/* SPEC R1: zero node */
		.desc = "node 2 of 3 zero",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_GB(1), ML_GB(1), 0) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 2, NONE, 0),
	}, {
		/* SPEC R1: unaligned node */
		.desc = "node 1 unaligned by one byte",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_GB(1), ML_GB(1) + 1, ML_GB(1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R1: unaligned node */
		.desc = "node 0 of one page minus one",
		.req = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(ML_PAGE - 1) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 0, NONE, 0),
	}, {
		/* SPEC R1: unaligned node, D4 */
		.desc = "node 3 of U64_MAX",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_PAGE, ML_PAGE, ML_PAGE, U64_MAX) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 3, NONE, 0),
	}, {
		/* SPEC R1: C2 needs at least one node */
		.desc = "empty node list",
		.req = { .source = MEMLAYOUT_FROM_NODES },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 0, NONE, 0),
	}, {
		/* SPEC R1: nr_nodes, not the pointer, counts */
		.desc = "empty node list with a sizes pointer",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 .node_sizes = (const u64[]){ ML_GB(1) }, .nr_nodes = 0 },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 0, NONE, 0),
	},
};

KUNIT_ARRAY_PARAM(numa_bad_size, numa_bad_size_cases, numa_reject_desc);

/* SPEC R1 (C2): the bad node is named by its index */
static void numa_rejects_bad_node_size(struct kunit *test)
{
	const struct numa_reject_case *t = test->param_value;

	ml_expect_reject(test, &t->req, t->err, &t->want);
}

static const struct numa_reject_case numa_too_large_cases[] = {
	{
		/* SPEC R6, D4: 2^63 + 2^63 wraps at node 1 */
		.desc = "2^63 + 2^63",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(1ULL << 63, 1ULL << 63) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D4: MAX_ADDRESS + one page is 2^64 */
		.desc = "MAX_ADDRESS + one page",
		.req = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(ML_MAX, ML_PAGE) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D4 */
		.desc = "MAX_ADDRESS + MAX_ADDRESS",
		.req = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(ML_MAX, ML_MAX) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D4: the running sum wraps at node 2 */
		.desc = "page + page + MAX_ADDRESS",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_PAGE, ML_PAGE, ML_MAX) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 2, NONE, 0),
	}, {
		/* SPEC R6, D4: 2^63 + 2^62 + 2^62 is exactly 2^64 */
		.desc = "2^63 + 2^62 + 2^62",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(1ULL << 63, 1ULL << 62, 1ULL << 62) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 2, NONE, 0),
	}, {
		/* SPEC R6, D6: the sum fits but node 1 is pushed past by a hole */
		.desc = "1G + (MAX_ADDRESS - 1G) with a page hole",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_GB(1), ML_MAX - ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(2) + ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D6: node 3 does not fit below a hole at the top */
		.desc = "node 3 past a hole at the top",
		.req = { .source = MEMLAYOUT_FROM_NODES,
			 ML_NODES(ML_GB(1), ML_GB(1), ML_MAX - ML_GB(3), ML_GB(1)),
			 ML_LIST(mmio, R(ML_MAX - ML_GB(1), ML_MAX)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 3, NONE, 0),
	}, {
		/* SPEC R8 before R6: too many nodes is reported first */
		.desc = "max 2, three nodes that also wrap",
		.req = { .source = MEMLAYOUT_FROM_NODES, .max_ranges = 2,
			 ML_NODES(1ULL << 63, 1ULL << 63, ML_PAGE) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, NODES, 2, NONE, 0),
	},
};

KUNIT_ARRAY_PARAM(numa_too_large, numa_too_large_cases, numa_reject_desc);

/* SPEC R6 (C2), D6: the first node that wraps or cannot be placed */
static void numa_rejects_sizes_that_do_not_fit(struct kunit *test)
{
	const struct numa_reject_case *t = test->param_value;

	ml_expect_reject(test, &t->req, t->err, &t->want);
}

static const struct memlayout_request four_nodes = {
	.source = MEMLAYOUT_FROM_NODES,
	.max_ranges = 4,
	ML_NODES(ML_PAGE, ML_PAGE, ML_PAGE, ML_PAGE),
};

static const struct memlayout_request five_nodes = {
	.source = MEMLAYOUT_FROM_NODES,
	.max_ranges = 4,
	ML_NODES(ML_PAGE, ML_PAGE, ML_PAGE, ML_PAGE, ML_PAGE),
};

/* SPEC R8: max_ranges limits the node list, index = max_ranges */
static void numa_rejects_too_many_nodes(struct kunit *test)
{
	static const struct memlayout_error want = ML_ERR(TOO_MANY, NODES, 4, NONE, 0);
	struct memlayout *l = ml_build_ok(test, &four_nodes);

	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_RAM), 4U);
	ml_expect_reject(test, &five_nodes, -E2BIG, &want);
}

static struct kunit_case numa_test_cases[] = {
	KUNIT_CASE(numa_splits_node_mid_chunk),
	KUNIT_CASE(numa_places_nodes_across_several_holes),
	KUNIT_CASE(numa_node_exactly_fills_chunk),
	KUNIT_CASE(numa_node_fills_chunk_before_touching_holes),
	KUNIT_CASE(numa_node_spans_several_chunks),
	KUNIT_CASE(numa_nodes_after_last_hole_are_contiguous),
	KUNIT_CASE(numa_single_node_matches_from_size),
	KUNIT_CASE(numa_vnode_is_node_index),
	KUNIT_CASE(numa_statistics),
	KUNIT_CASE(numa_nodes_fill_address_space),
	KUNIT_CASE(numa_accepts_vtl2_above_nodes),
	KUNIT_CASE_PARAM(numa_rejects_bad_node_size, numa_bad_size_gen_params),
	KUNIT_CASE_PARAM(numa_rejects_sizes_that_do_not_fit, numa_too_large_gen_params),
	KUNIT_CASE(numa_rejects_too_many_nodes),
	{}
};

static struct kunit_suite numa_suite = {
	.name = "memlayout_numa",
	.test_cases = numa_test_cases,
};

kunit_test_suite(numa_suite);
