// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_construct: building layouts (SPEC C1-C3, D1, D5)
 * and reading them back (SPEC Q1-Q3, Q7, Q8), with the three tests of
 * seed/memory.rs (layout, bad_layout, probe_address) ported case by case.
 */
#include <linux/module.h>

#include "kunit_util.h"

/* The MMIO gaps and RAM ranges the seed's tests share. */
static const struct memlayout_range seed_mmio[] = {
	R(ML_GB(1), ML_GB(2)),
	R(ML_GB(3), ML_GB(4)),
};

static const struct memlayout_range seed_ram[] = {
	R(0, ML_GB(1)),
	R(ML_GB(2), ML_GB(3)),
	R(ML_GB(4), ML_TB(1) + ML_GB(2)),
};

static const struct memlayout_request seed_from_ranges = {
	.source = MEMLAYOUT_FROM_RANGES,
	.ram = seed_ram,
	.nr_ram = ARRAY_SIZE(seed_ram),
	.mmio = seed_mmio,
	.nr_mmio = ARRAY_SIZE(seed_mmio),
};

static const struct memlayout_request seed_from_size = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_TB(1),
	.mmio = seed_mmio,
	.nr_mmio = ARRAY_SIZE(seed_mmio),
};

/* SPEC C1, Q1, Q2, Q3: seed test `layout`, MemoryLayout::new(TB, mmio) */
static void construct_seed_layout_from_size(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &seed_from_size);

	/* assert_eq!(layout.ram(), &[...]) */
	ml_expect_list(test, l, MEMLAYOUT_LIST_RAM, seed_ram, ARRAY_SIZE(seed_ram));
	/* assert_eq!(layout.mmio(), mmio) */
	ml_expect_list(test, l, MEMLAYOUT_LIST_MMIO, seed_mmio, ARRAY_SIZE(seed_mmio));
	/* assert_eq!(layout.ram_size(), TB) */
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_TB(1));
	/* assert_eq!(layout.end_of_ram(), TB + 2 * GB) */
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_TB(1) + ML_GB(2));
}

/* SPEC C3, Q1, Q2, Q3: seed test `layout`, MemoryLayout::new_from_ranges */
static void construct_seed_layout_from_ranges(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &seed_from_ranges);

	/* assert_eq!(layout.ram(), &[...]) */
	ml_expect_list(test, l, MEMLAYOUT_LIST_RAM, seed_ram, ARRAY_SIZE(seed_ram));
	/* assert_eq!(layout.mmio(), mmio) */
	ml_expect_list(test, l, MEMLAYOUT_LIST_MMIO, seed_mmio, ARRAY_SIZE(seed_mmio));
	/* assert_eq!(layout.ram_size(), TB) */
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_TB(1));
	/* assert_eq!(layout.end_of_ram(), TB + 2 * GB) */
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_TB(1) + ML_GB(2));
}

struct construct_reject_case {
	const char *desc;
	struct memlayout_request req;
	int err;
	struct memlayout_error want;
};

/* seed test `bad_layout`: each unwrap_err() with its exact error. */
static const struct construct_reject_case construct_seed_bad_layout_cases[] = {
	{
		/* SPEC R1: MemoryLayout::new(TB + 1, &[], None) */
		.desc = "new(TB + 1, no gaps)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1) + 1 },
		.err = -EINVAL,
		.want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R3: MemoryLayout::new(TB, [3G..4G, 1G..2G], None) */
		.desc = "new(TB, unsorted gaps)",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE,
			.ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(3), ML_GB(4)), R(ML_GB(1), ML_GB(2))),
		},
		.err = -EINVAL,
		.want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3 before R5: new_from_ranges(&[], unsorted gaps) */
		.desc = "new_from_ranges(no ram, unsorted gaps)",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(mmio, R(ML_GB(3), ML_GB(4)), R(ML_GB(1), ML_GB(2))),
		},
		.err = -EINVAL,
		.want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3: new_from_ranges([0..1G], unsorted gaps) */
		.desc = "new_from_ranges(0..1G, unsorted gaps)",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, ML_GB(1))),
			ML_LIST(mmio, R(ML_GB(3), ML_GB(4)), R(ML_GB(1), ML_GB(2))),
		},
		.err = -EINVAL,
		.want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R4: new_from_ranges([0..1G+1M], [1G..2G, 3G..4G]) */
		.desc = "new_from_ranges(0..1G+1M overlapping gap 0)",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, ML_GB(1) + ML_MB(1))),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
		},
		.err = -EEXIST,
		.want = ML_ERR(OVERLAP, RAM, 0, MMIO, 0),
	},
};

static void construct_reject_desc(const struct construct_reject_case *t,
				  char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(construct_seed_bad_layout, construct_seed_bad_layout_cases,
		  construct_reject_desc);

/* SPEC R1, R3, R4: seed test `bad_layout` */
static void construct_seed_bad_layout(struct kunit *test)
{
	const struct construct_reject_case *t = test->param_value;

	ml_expect_reject(test, &t->req, t->err, &t->want);
}

struct construct_probe_case {
	const char *desc;
	u64 addr;
	u32 kind;
};

/* seed test `probe_address`: each assert_eq! on the seed's layout. */
static const struct construct_probe_case construct_seed_probe_cases[] = {
	/* SPEC Q9: RAM */
	{ "0 is ram", 0, MEMLAYOUT_KIND_RAM },	/* SPEC Q9 */
	{ "256 is ram", 256, MEMLAYOUT_KIND_RAM },	/* SPEC Q9 */
	{ "2G is ram", ML_GB(2), MEMLAYOUT_KIND_RAM },	/* SPEC Q9 */
	{ "4G is ram", ML_GB(4), MEMLAYOUT_KIND_RAM },	/* SPEC Q9 */
	{ "TB is ram", ML_TB(1), MEMLAYOUT_KIND_RAM },	/* SPEC Q9 */
	{ "TB + 1 is ram", ML_TB(1) + 1, MEMLAYOUT_KIND_RAM },	/* SPEC Q9 */
	/* SPEC Q9: MMIO gaps */
	{ "1G is mmio", ML_GB(1), MEMLAYOUT_KIND_MMIO },	/* SPEC Q9 */
	{ "1G + 123 is mmio", ML_GB(1) + 123, MEMLAYOUT_KIND_MMIO },	/* SPEC Q9 */
	{ "3G is mmio", ML_GB(3), MEMLAYOUT_KIND_MMIO },	/* SPEC Q9 */
	/* SPEC Q9: exclusive end and unmapped space are none */
	{ "TB + 2G is none", ML_TB(1) + ML_GB(2), MEMLAYOUT_KIND_NONE },	/* SPEC Q9 */
	{ "TB + 3G is none", ML_TB(1) + ML_GB(3), MEMLAYOUT_KIND_NONE },	/* SPEC Q9 */
	{ "4 TB is none", ML_TB(4), MEMLAYOUT_KIND_NONE },	/* SPEC Q9 */
};

static void construct_probe_desc(const struct construct_probe_case *t,
				 char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(construct_seed_probe_address, construct_seed_probe_cases,
		  construct_probe_desc);

/* SPEC Q9: seed test `probe_address` */
static void construct_seed_probe_address(struct kunit *test)
{
	const struct construct_probe_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &seed_from_ranges);

	KUNIT_EXPECT_EQ(test, memlayout_probe(l, t->addr), t->kind);
}

static const struct memlayout_request c1_no_holes = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
};

/* SPEC C1: no holes gives one vnode-0 range from address 0 */
static void construct_from_size_without_holes(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_no_holes);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_GB(1)));
	ml_expect_empty(test, l, MEMLAYOUT_LIST_MMIO);
	ml_expect_empty(test, l, MEMLAYOUT_LIST_PCI_ECAM);
	ml_expect_empty(test, l, MEMLAYOUT_LIST_PCI_MMIO);
	ml_expect_empty(test, l, MEMLAYOUT_LIST_VTL2);
}

static const struct memlayout_request c1_all_hole_kinds = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(4),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
	ML_LIST(pci_ecam, R(ML_GB(2) + ML_MB(512), ML_GB(3))),
	ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(2) + ML_MB(256))),
};

/* SPEC C1, D1: holes of all kinds are merged by start and skipped */
static void construct_from_size_skips_all_hole_kinds(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_all_hole_kinds);

	/* 1G + 256M + 2G+768M = 4G; the empty chunk at 2G is skipped. */
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       R(0, ML_GB(1)),
		       R(ML_GB(2) + ML_MB(256), ML_GB(2) + ML_MB(512)),
		       R(ML_GB(3), ML_GB(5) + ML_MB(768)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_MMIO, R(ML_GB(1), ML_GB(2)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_PCI_ECAM,
		       R(ML_GB(2) + ML_MB(512), ML_GB(3)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_PCI_MMIO,
		       R(ML_GB(2), ML_GB(2) + ML_MB(256)));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(4));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(5) + ML_MB(768));
}

static const struct memlayout_request c1_hole_at_zero = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_LIST(mmio, R(0, ML_KB(4))),
};

/* SPEC D1: the example of the SPEC, a gap at address 0 */
static void construct_from_size_skips_chunk_at_zero(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_hole_at_zero);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(ML_KB(4), ML_GB(1) + ML_KB(4)));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(1));
}

static const struct memlayout_request c1_touching_holes = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(2),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
	ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3))),
};

/* SPEC D1: two touching holes leave an empty chunk, which is skipped */
static void construct_from_size_skips_chunk_between_touching_holes(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_touching_holes);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       R(0, ML_GB(1)), R(ML_GB(3), ML_GB(4)));
}

static const struct memlayout_request c1_ends_at_hole = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

static const struct memlayout_request c1_page_past_hole = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1) + ML_PAGE,
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

/* SPEC C1: RAM that ends exactly at a hole produces no further range */
static void construct_from_size_ends_at_hole_start(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_ends_at_hole);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_GB(1)));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_GB(2));

	l = ml_build_ok(test, &c1_page_past_hole);
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       R(0, ML_GB(1)), R(ML_GB(2), ML_GB(2) + ML_PAGE));
}

static const struct memlayout_request c1_holes_above_ram = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
	ML_LIST(pci_ecam, R(ML_GB(4), ML_GB(5))),
	ML_LIST(pci_mmio, R(ML_GB(8), ML_GB(9))),
};

/* SPEC C1, Q8: holes above the placed RAM stay in the layout */
static void construct_from_size_keeps_holes_above_ram(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_holes_above_ram);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_GB(1)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_MMIO, R(ML_GB(2), ML_GB(3)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_PCI_ECAM, R(ML_GB(4), ML_GB(5)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_PCI_MMIO, R(ML_GB(8), ML_GB(9)));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_GB(9));
}

static const struct memlayout_request c1_seed_stats = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_TB(1),
	.mmio = seed_mmio,
	.nr_mmio = ARRAY_SIZE(seed_mmio),
};

/* SPEC C1, Q2-Q6: every statistic of the seed layout (exact, SPEC D2) */
static void construct_from_size_statistics(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_seed_stats);
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_TB(1));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_TB(1) + ML_GB(2));
	KUNIT_EXPECT_EQ(test, memlayout_ram_below_4gb(l), ML_GB(2));
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_4gb(l), ML_TB(1) - ML_GB(2));
	KUNIT_ASSERT_TRUE(test, memlayout_max_ram_below_4gb(l, &v));
	KUNIT_EXPECT_EQ(test, v, ML_GB(3));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_TB(1) + ML_GB(2));
}

static const struct memlayout_request c2_two_nodes = {
	.source = MEMLAYOUT_FROM_NODES,
	ML_NODES(ML_GB(1), ML_GB(2)),
};

/* SPEC C2: node 0 first, then node 1; touching ranges keep their vnode */
static void construct_from_nodes_assigns_vnodes(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c2_two_nodes);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 0), RN(ML_GB(1), ML_GB(3), 1));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(3));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(3));
}

static const struct memlayout_request c3_as_given = {
	.source = MEMLAYOUT_FROM_RANGES,
	/* reserved is ignored by the core */
	ML_LIST(ram, { .start = 0, .end = ML_GB(1), .vnode = 3, .reserved = 7 },
		RN(ML_GB(1), ML_GB(2), 3),
		RN(ML_GB(2), ML_GB(3), U32_MAX),
		RN(ML_GB(4), ML_GB(5), 0)),
};

/* SPEC C3: ranges kept as given, touching ones not merged, vnode untouched */
static void construct_from_ranges_keeps_ranges_as_given(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c3_as_given);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 3), RN(ML_GB(1), ML_GB(2), 3),
		       RN(ML_GB(2), ML_GB(3), U32_MAX), RN(ML_GB(4), ML_GB(5), 0));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(4));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(5));
}

static const struct memlayout_request every_list = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, RN(0, ML_GB(1), 2), RN(ML_GB(1), ML_GB(2), 5)),
	/* hole vnode and reserved fields are ignored by the core */
	.mmio = ML_RANGES({ .start = ML_GB(2), .end = ML_GB(3),
			    .vnode = 9, .reserved = 1 }),
	.nr_mmio = 1,
	ML_LIST(pci_ecam, RN(ML_GB(3), ML_GB(3) + ML_MB(256), 4),
		R(ML_GB(3) + ML_MB(512), ML_GB(3) + ML_MB(768))),
	ML_LIST(pci_mmio, R(ML_GB(4), ML_GB(8))),
	ML_VTL2(ML_GB(8), ML_GB(9)),
};

/* SPEC Q1: every list read back in order, holes with vnode 0, VTL2 apart */
static void construct_reads_back_every_list(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &every_list);
	struct memlayout_range r = {};

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       RN(0, ML_GB(1), 2), RN(ML_GB(1), ML_GB(2), 5));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_MMIO, R(ML_GB(2), ML_GB(3)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_PCI_ECAM,
		       R(ML_GB(3), ML_GB(3) + ML_MB(256)),
		       R(ML_GB(3) + ML_MB(512), ML_GB(3) + ML_MB(768)));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_PCI_MMIO, R(ML_GB(4), ML_GB(8)));

	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_VTL2), 1U);
	KUNIT_ASSERT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.start, ML_GB(8));
	KUNIT_EXPECT_EQ(test, r.end, ML_GB(9));
	KUNIT_EXPECT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 1, &r),
			-ENOENT);

	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(2));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(2));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_GB(8));
}

/* SPEC Q1: without VTL2 the VTL2 list is empty */
static void construct_without_vtl2_has_empty_vtl2_list(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &seed_from_ranges);
	struct memlayout_range r;

	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_VTL2), 0U);
	KUNIT_EXPECT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r),
			-ENOENT);
	ml_expect_empty(test, l, MEMLAYOUT_LIST_PCI_ECAM);
	ml_expect_empty(test, l, MEMLAYOUT_LIST_PCI_MMIO);
}

static const struct memlayout_request c3_vtl2 = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, R(0, ML_GB(1))),
	ML_VTL2(ML_GB(1), ML_GB(2)),
};

/* SPEC D5: C3 accepts VTL2 at the end of RAM; VTL2 is not RAM (Q2, Q3, Q9) */
static void construct_from_ranges_accepts_vtl2(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c3_vtl2);
	struct memlayout_range r = {};

	KUNIT_ASSERT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.start, ML_GB(1));
	KUNIT_EXPECT_EQ(test, r.end, ML_GB(2));
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(1)), MEMLAYOUT_KIND_NONE);
}

static const struct memlayout_request c1_vtl2 = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_VTL2(ML_GB(4), ML_GB(5)),
};

/* SPEC C1: VTL2 is not a hole for placement and is in no statistic */
static void construct_from_size_vtl2_excluded_from_stats(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &c1_vtl2);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_GB(1)));
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_VTL2), 1U);
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_4gb(l), 0ULL);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), ML_GB(1));
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(4)), MEMLAYOUT_KIND_NONE);
}

static const struct memlayout_request c1_with_c3_fields = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_LIST(ram, R(ML_GB(3), ML_GB(4)), R(0, ML_GB(1))),
	ML_NODES(0),
};

static const struct memlayout_request c3_with_c1_fields = {
	.source = MEMLAYOUT_FROM_RANGES,
	.ram_size = 1,
	ML_LIST(ram, RN(ML_GB(2), ML_GB(3), 1)),
};

/* SPEC C1/C3 (header contract): fields of another source are ignored */
static void construct_ignores_fields_of_other_sources(struct kunit *test)
{
	/* unsorted RAM ranges and a zero node size: both not read by C1 */
	/* an unaligned ram_size and no nodes: both not read by C3 */
	struct memlayout *l = ml_build_ok(test, &c1_with_c3_fields);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, R(0, ML_GB(1)));
	l = ml_build_ok(test, &c3_with_c1_fields);
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, RN(ML_GB(2), ML_GB(3), 1));
}

struct construct_query_case {
	const char *desc;
	struct memlayout_request req;
	bool present;
	u64 value;
};

static const struct construct_query_case construct_q7_cases[] = {
	{
		/* SPEC Q7: the seed layout, RAM [4G, TB + 2G) above gap 1 */
		.desc = "two mmio gaps",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
		},
		.present = true, .value = ML_TB(1) - ML_GB(2),
	}, {
		/* SPEC Q7: absent without mmio gaps */
		.desc = "no mmio gap",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1) },
		.present = false,
	}, {
		/* SPEC Q7: absent with one mmio gap */
		.desc = "one mmio gap",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
		},
		.present = false,
	}, {
		/* SPEC Q7: absent with three mmio gaps */
		.desc = "three mmio gaps",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4)),
				R(ML_GB(8), ML_GB(9))),
		},
		.present = false,
	}, {
		/* SPEC Q7: the second mmio gap, not the second hole, counts */
		.desc = "two mmio gaps around a pci_ecam hole",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(7), ML_GB(8))),
			ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(4))),
		},
		/* RAM [0,1G) [2G,3G) [4G,7G) [8G, TB + 3G) */
		.present = true, .value = ML_TB(1) - ML_GB(5),
	}, {
		/* SPEC Q7: other hole kinds do not make up the count */
		.desc = "one mmio gap and one pci_ecam hole",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
			ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(4))),
		},
		.present = false,
	}, {
		/* SPEC Q7: other hole kinds do not make up the count */
		.desc = "two pci_mmio holes only",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(pci_mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
		},
		.present = false,
	}, {
		/* SPEC Q7: extra pci holes do not remove a present value */
		.desc = "two mmio gaps plus pci_ecam and pci_mmio above",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
			ML_LIST(pci_ecam, R(ML_GB(5), ML_GB(6))),
			ML_LIST(pci_mmio, R(ML_GB(7), ML_GB(8))),
		},
		/* RAM [0,1G) [2G,3G) [4G,5G) [6G,7G) [8G, TB + 4G) */
		.present = true, .value = ML_TB(1) - ML_GB(2),
	}, {
		/* SPEC Q7: present but zero when all RAM is below gap 1 */
		.desc = "two mmio gaps above all ram",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5))),
		},
		.present = true, .value = 0,
	}, {
		/* SPEC Q7: a range starting at gap 1's end counts, one between not */
		.desc = "C3 ram starting exactly at the second gap end",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				R(ML_GB(4), ML_GB(6))),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
		},
		.present = true, .value = ML_GB(2),
	},
};

static void construct_query_desc(const struct construct_query_case *t,
				 char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(construct_ram_above_high_mmio, construct_q7_cases,
		  construct_query_desc);

/* SPEC Q7 */
static void construct_ram_above_high_mmio(struct kunit *test)
{
	const struct construct_query_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	u64 v = 0xdeadbeef;

	KUNIT_ASSERT_EQ(test, memlayout_ram_above_high_mmio(l, &v), t->present);
	if (t->present)
		KUNIT_EXPECT_EQ(test, v, t->value);
	else
		KUNIT_EXPECT_EQ(test, v, 0xdeadbeefULL);
}

static const struct construct_query_case construct_q8_cases[] = {
	{
		/* SPEC Q8, D3: no holes, end of layout is end of RAM */
		.desc = "no holes",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1) },
		.value = ML_GB(1),
	}, {
		/* SPEC Q8: holes all below the end of RAM */
		.desc = "seed layout",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
		},
		.value = ML_TB(1) + ML_GB(2),
	}, {
		/* SPEC Q8: an mmio gap above RAM */
		.desc = "mmio gap above ram",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
		},
		.value = ML_GB(3),
	}, {
		/* SPEC Q8: every hole kind counts, pci_ecam highest */
		.desc = "pci_ecam hole highest",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
			ML_LIST(pci_ecam, R(ML_GB(5), ML_GB(6))),
		},
		.value = ML_GB(6),
	}, {
		/* SPEC Q8: every hole kind counts, pci_mmio highest */
		.desc = "pci_mmio hole highest",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
			ML_LIST(pci_ecam, R(ML_GB(5), ML_GB(6))),
			ML_LIST(pci_mmio, R(ML_GB(64), ML_GB(128))),
		},
		.value = ML_GB(128),
	}, {
		/* SPEC Q8: mmio highest although other kinds come last in lists */
		.desc = "mmio highest above pci holes",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			ML_LIST(mmio, R(ML_GB(200), ML_GB(201))),
			ML_LIST(pci_ecam, R(ML_GB(5), ML_GB(6))),
			ML_LIST(pci_mmio, R(ML_GB(64), ML_GB(128))),
		},
		.value = ML_GB(201),
	}, {
		/* SPEC Q8: VTL2 is excluded */
		.desc = "vtl2 above the highest hole",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
			ML_VTL2(ML_GB(8), ML_GB(9)),
		},
		.value = ML_GB(3),
	}, {
		/* SPEC Q8, D3: VTL2 is excluded, no holes */
		.desc = "vtl2 and no holes",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, ML_GB(1))),
			ML_VTL2(ML_GB(1), ML_GB(2)),
		},
		.value = ML_GB(1),
	},
};

KUNIT_ARRAY_PARAM(construct_end_of_layout, construct_q8_cases,
		  construct_query_desc);

/* SPEC Q8, D3 */
static void construct_end_of_layout(struct kunit *test)
{
	const struct construct_query_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);

	KUNIT_EXPECT_EQ(test, memlayout_end_of_layout(l), t->value);
}

static struct kunit_case construct_cases[] = {
	KUNIT_CASE(construct_seed_layout_from_size),
	KUNIT_CASE(construct_seed_layout_from_ranges),
	KUNIT_CASE_PARAM(construct_seed_bad_layout,
			 construct_seed_bad_layout_gen_params),
	KUNIT_CASE_PARAM(construct_seed_probe_address,
			 construct_seed_probe_address_gen_params),
	KUNIT_CASE(construct_from_size_without_holes),
	KUNIT_CASE(construct_from_size_skips_all_hole_kinds),
	KUNIT_CASE(construct_from_size_skips_chunk_at_zero),
	KUNIT_CASE(construct_from_size_skips_chunk_between_touching_holes),
	KUNIT_CASE(construct_from_size_ends_at_hole_start),
	KUNIT_CASE(construct_from_size_keeps_holes_above_ram),
	KUNIT_CASE(construct_from_size_statistics),
	KUNIT_CASE(construct_from_nodes_assigns_vnodes),
	KUNIT_CASE(construct_from_ranges_keeps_ranges_as_given),
	KUNIT_CASE(construct_reads_back_every_list),
	KUNIT_CASE(construct_without_vtl2_has_empty_vtl2_list),
	KUNIT_CASE(construct_from_ranges_accepts_vtl2),
	KUNIT_CASE(construct_from_size_vtl2_excluded_from_stats),
	KUNIT_CASE(construct_ignores_fields_of_other_sources),
	KUNIT_CASE_PARAM(construct_ram_above_high_mmio,
			 construct_ram_above_high_mmio_gen_params),
	KUNIT_CASE_PARAM(construct_end_of_layout,
			 construct_end_of_layout_gen_params),
	{}
};

static struct kunit_suite construct_suite = {
	.name = "memlayout_construct",
	.test_cases = construct_cases,
};

kunit_test_suite(construct_suite);

MODULE_DESCRIPTION("KUnit tests for memlayout");
MODULE_LICENSE("GPL");
