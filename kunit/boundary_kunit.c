// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_4gb: the statistics around the 4 GiB line (SPEC Q4,
 * Q5, Q6, counted exactly as SPEC D2 asks), with Q4 + Q5 == Q2 on every row.
 */
#include "kunit_util.h"

struct boundary_case {
	const char *desc;
	struct memlayout_request req;
	u64 ram_size;			/* Q2 */
	u64 below;			/* Q4 */
	u64 above;			/* Q5 */
	bool has_max_below;		/* Q6 present */
	u64 max_below;			/* Q6 */
};

static const struct boundary_case boundary_cases[] = {
	{
		/* SPEC D2 example: seed gives 0, 8G, absent */
		.desc = "ram [0, 8G) without gaps",
		.req = { .source = MEMLAYOUT_FROM_RANGES, ML_LIST(ram, R(0, ML_GB(8))) },
		.ram_size = ML_GB(8), .below = ML_GB(4), .above = ML_GB(4),
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC D2 example through C1 */
		.desc = "C1 8G without gaps",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(8) },
		.ram_size = ML_GB(8), .below = ML_GB(4), .above = ML_GB(4),
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC D2 example: [3G, 4G) is below 4 GiB (seed: above) */
		.desc = "ram [3G, 4G) ending exactly at 4G",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_GB(3), ML_GB(4))) },
		.ram_size = ML_GB(1), .below = ML_GB(1), .above = 0,
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC D2, C1: RAM ending exactly at 4 GiB */
		.desc = "C1 4G ending exactly at 4G",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(4) },
		.ram_size = ML_GB(4), .below = ML_GB(4), .above = 0,
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC Q4-Q6: RAM ending one page below 4 GiB */
		.desc = "C1 4G minus a page",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(4) - ML_PAGE },
		.ram_size = ML_GB(4) - ML_PAGE, .below = ML_GB(4) - ML_PAGE, .above = 0,
		.has_max_below = true, .max_below = ML_GB(4) - ML_PAGE,
	}, {
		/* SPEC D2: a range crossing 4 GiB is split exactly */
		.desc = "ram [3G, 5G) crossing 4G",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_GB(3), ML_GB(5))) },
		.ram_size = ML_GB(2), .below = ML_GB(1), .above = ML_GB(1),
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC D2: one page either side of 4 GiB */
		.desc = "ram [4G - 4K, 4G + 4K)",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_GB(4) - ML_PAGE, ML_GB(4) + ML_PAGE)) },
		.ram_size = 2 * ML_PAGE, .below = ML_PAGE, .above = ML_PAGE,
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC D2, C1: RAM after a gap crosses 4 GiB (seed: 1G, 4G, 1G) */
		.desc = "C1 4G with gap [1G, 2G), ram crossing 4G",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(4),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2))) },
		.ram_size = ML_GB(4), .below = ML_GB(3), .above = ML_GB(1),
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC Q4-Q6: RAM starting exactly at 4 GiB, Q6 absent */
		.desc = "ram starting at 4G",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_GB(4), ML_GB(6))) },
		.ram_size = ML_GB(2), .below = 0, .above = ML_GB(2),
		.has_max_below = false,
	}, {
		/* SPEC Q6: absent when no RAM starts below 4 GiB */
		.desc = "ram only far above 4G",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_TB(1), ML_TB(2))) },
		.ram_size = ML_TB(1), .below = 0, .above = ML_TB(1),
		.has_max_below = false,
	}, {
		/* SPEC Q6, D1: an mmio gap [0, 4G) leaves no RAM below 4 GiB */
		.desc = "C1 with gap [0, 4G), no ram below 4G",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(1),
			 ML_LIST(mmio, R(0, ML_GB(4))) },
		.ram_size = ML_GB(1), .below = 0, .above = ML_GB(1),
		.has_max_below = false,
	}, {
		/* SPEC Q6, C2: two nodes placed above a pci_mmio hole [0, 4G) */
		.desc = "C2 with pci_mmio [0, 4G), no ram below 4G",
		.req = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(ML_GB(1), ML_GB(1)),
			 ML_LIST(pci_mmio, R(0, ML_GB(4))) },
		.ram_size = ML_GB(2), .below = 0, .above = ML_GB(2),
		.has_max_below = false,
	}, {
		/* SPEC Q4-Q6, C1: mmio straddling 4 GiB */
		.desc = "C1 4G with mmio [3G, 5G) straddling 4G",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(4),
			 ML_LIST(mmio, R(ML_GB(3), ML_GB(5))) },
		/* RAM [0, 3G) [5G, 6G) */
		.ram_size = ML_GB(4), .below = ML_GB(3), .above = ML_GB(1),
		.has_max_below = true, .max_below = ML_GB(3),
	}, {
		/* SPEC Q4-Q6, C1: pci_ecam straddling 4 GiB */
		.desc = "C1 4G with pci_ecam [3.5G, 4.5G) straddling 4G",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(4),
			 ML_LIST(pci_ecam, R(ML_GB(3) + ML_MB(512), ML_GB(4) + ML_MB(512))) },
		/* RAM [0, 3.5G) [4.5G, 5G) */
		.ram_size = ML_GB(4), .below = ML_GB(3) + ML_MB(512), .above = ML_MB(512),
		.has_max_below = true, .max_below = ML_GB(3) + ML_MB(512),
	}, {
		/* SPEC Q4-Q6, C1: pci_mmio straddling 4 GiB after an mmio gap */
		.desc = "C1 6G with mmio [1G, 2G) and pci_mmio [3.5G, 4.5G)",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_GB(6),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
			 ML_LIST(pci_mmio, R(ML_GB(3) + ML_MB(512), ML_GB(4) + ML_MB(512))) },
		/* RAM [0, 1G) [2G, 3.5G) [4.5G, 8G) */
		.ram_size = ML_GB(6), .below = ML_GB(2) + ML_MB(512),
		.above = ML_GB(3) + ML_MB(512),
		.has_max_below = true, .max_below = ML_GB(3) + ML_MB(512),
	}, {
		/* SPEC Q6: the last range starting below 4 GiB, not the last one */
		.desc = "ram [0, 1G) [2G, 3G) [5G, 6G)",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				 R(ML_GB(5), ML_GB(6))) },
		.ram_size = ML_GB(3), .below = ML_GB(2), .above = ML_GB(1),
		.has_max_below = true, .max_below = ML_GB(3),
	}, {
		/* SPEC Q4-Q6: the seed layout (both counts agree with the seed) */
		.desc = "C1 TB with the seed gaps",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))) },
		.ram_size = ML_TB(1), .below = ML_GB(2), .above = ML_TB(1) - ML_GB(2),
		.has_max_below = true, .max_below = ML_GB(3),
	}, {
		/* SPEC Q4-Q6: touching ranges on different nodes, all below */
		.desc = "touching ram ranges below 4G",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, RN(0, ML_GB(1), 0), RN(ML_GB(1), ML_GB(2), 1),
				 RN(ML_GB(2), ML_GB(3), 2)) },
		.ram_size = ML_GB(3), .below = ML_GB(3), .above = 0,
		.has_max_below = true, .max_below = ML_GB(3),
	}, {
		/* SPEC Q4-Q6: touching ranges meeting exactly at 4 GiB */
		.desc = "ram [2G, 4G) and [4G, 5G) touching at 4G",
		.req = { .source = MEMLAYOUT_FROM_RANGES,
			 ML_LIST(ram, R(ML_GB(2), ML_GB(4)), RN(ML_GB(4), ML_GB(5), 1)) },
		.ram_size = ML_GB(3), .below = ML_GB(2), .above = ML_GB(1),
		.has_max_below = true, .max_below = ML_GB(4),
	}, {
		/* SPEC Q4-Q6: a single page at address 0 */
		.desc = "ram one page at 0",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_PAGE },
		.ram_size = ML_PAGE, .below = ML_PAGE, .above = 0,
		.has_max_below = true, .max_below = ML_PAGE,
	}, {
		/* SPEC Q4-Q6, C2: nodes split at 4 GiB by a gap below it */
		.desc = "C2 3G + 2G with mmio [3G, 4G)",
		.req = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(ML_GB(3), ML_GB(2)),
			 ML_LIST(mmio, R(ML_GB(3), ML_GB(4))) },
		.ram_size = ML_GB(5), .below = ML_GB(3), .above = ML_GB(2),
		.has_max_below = true, .max_below = ML_GB(3),
	}, {
		/* SPEC Q4-Q6: VTL2 below 4 GiB counts nowhere */
		.desc = "ram [0, 1G) with vtl2 [1G, 2G)",
		.req = { .source = MEMLAYOUT_FROM_RANGES, ML_LIST(ram, R(0, ML_GB(1))),
			 ML_VTL2(ML_GB(1), ML_GB(2)) },
		.ram_size = ML_GB(1), .below = ML_GB(1), .above = 0,
		.has_max_below = true, .max_below = ML_GB(1),
	},
};

static void boundary_case_desc(const struct boundary_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(boundary_stats, boundary_cases, boundary_case_desc);

/* SPEC Q2, Q4, Q5, Q6, D2 */
static void boundary_splits_ram_at_4gb(struct kunit *test)
{
	const struct boundary_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	u64 max_below = 0x5a5a5a5a;

	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), t->ram_size);
	KUNIT_EXPECT_EQ(test, memlayout_ram_below_4gb(l), t->below);
	KUNIT_EXPECT_EQ(test, memlayout_ram_above_4gb(l), t->above);
	/* SPEC Q5: Q4 + Q5 = Q2 */
	KUNIT_EXPECT_EQ(test, memlayout_ram_below_4gb(l) + memlayout_ram_above_4gb(l),
			memlayout_ram_size(l));
	KUNIT_ASSERT_EQ(test, memlayout_max_ram_below_4gb(l, &max_below),
			t->has_max_below);
	if (t->has_max_below)
		KUNIT_EXPECT_EQ(test, max_below, t->max_below);
	else
		KUNIT_EXPECT_EQ(test, max_below, 0x5a5a5a5aULL);
}

static const struct memlayout_request ram_across_4gb = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(4),
	ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

/* SPEC Q9, D2: a range crossing 4 GiB probes as RAM on both sides */
static void boundary_probe_across_4gb(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &ram_across_4gb);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       R(0, ML_GB(1)), R(ML_GB(2), ML_GB(5)));
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_4G - 1), MEMLAYOUT_KIND_RAM);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_4G), MEMLAYOUT_KIND_RAM);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(5)), MEMLAYOUT_KIND_NONE);
}

static const struct memlayout_request hole_across_4gb = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(4),
	ML_LIST(mmio, R(ML_GB(3), ML_GB(5))),
};

/* SPEC C1, Q9: a hole straddling 4 GiB is skipped whole by placement */
static void boundary_hole_straddling_4gb(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &hole_across_4gb);

	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM,
		       R(0, ML_GB(3)), R(ML_GB(5), ML_GB(6)));
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_4G - 1), MEMLAYOUT_KIND_MMIO);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_4G), MEMLAYOUT_KIND_MMIO);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(5)), MEMLAYOUT_KIND_RAM);
	KUNIT_EXPECT_EQ(test, memlayout_end_of_ram(l), ML_GB(6));
}

static struct kunit_case boundary_test_cases[] = {
	KUNIT_CASE_PARAM(boundary_splits_ram_at_4gb, boundary_stats_gen_params),
	KUNIT_CASE(boundary_probe_across_4gb),
	KUNIT_CASE(boundary_hole_straddling_4gb),
	{}
};

static struct kunit_suite boundary_suite = {
	.name = "memlayout_4gb",
	.test_cases = boundary_test_cases,
};

kunit_test_suite(boundary_suite);
