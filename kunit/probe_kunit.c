// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_probe: address probes (SPEC Q9) at the first byte,
 * last byte and one past the end of every range of a layout mixing RAM, all
 * three hole kinds and VTL2; unmapped and extreme addresses; the batch
 * form memlayout_probe_many() against memlayout_probe() and a linear-scan
 * oracle; and memlayout_probe_many_ranges()' covering ranges against
 * memlayout_get_range() (issue 8).
 */
#include <linux/math64.h>
#include <linux/sort.h>

#include "kunit_util.h"

/*
 * RAM   [0, 1G) v0, [1G, 2G) v1 (touching), [4G, 6G) v0
 * mmio  [2G, 3G), [64G, 128G)
 * ecam  [3G, 3G + 256M)
 * pmmio [3G + 256M, 4G) (touches ecam and RAM)
 * VTL2  [6G, 6G + 64M)
 */
#define ECAM_END	(ML_GB(3) + ML_MB(256))
#define VTL2_END	(ML_GB(6) + ML_MB(64))

#define PROBE_MIXED_REQ {						\
	.source = MEMLAYOUT_FROM_RANGES,					\
	ML_LIST(ram, RN(0, ML_GB(1), 0), RN(ML_GB(1), ML_GB(2), 1),		\
		RN(ML_GB(4), ML_GB(6), 0)),					\
	ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(64), ML_GB(128))),	\
	ML_LIST(pci_ecam, R(ML_GB(3), ECAM_END)),				\
	ML_LIST(pci_mmio, R(ECAM_END, ML_GB(4))),				\
	ML_VTL2(ML_GB(6), VTL2_END),						\
}

static const struct memlayout_request probe_mixed = PROBE_MIXED_REQ;

struct probe_case {
	const char *desc;
	u64 addr;
	u32 kind;
};

#define K_RAM	MEMLAYOUT_KIND_RAM
#define K_MMIO	MEMLAYOUT_KIND_MMIO
#define K_ECAM	MEMLAYOUT_KIND_PCI_ECAM
#define K_PMMIO	MEMLAYOUT_KIND_PCI_MMIO
#define K_NONE	MEMLAYOUT_KIND_NONE

/* SPEC Q9: start <= addr < end; VTL2 and unmapped addresses are none */
static const struct probe_case probe_mixed_cases[] = {
	{ "ram 0 first byte", 0, K_RAM },	/* SPEC Q9 */
	{ "ram 0 last byte", ML_GB(1) - 1, K_RAM },	/* SPEC Q9 */
	{ "ram 0 end is ram 1", ML_GB(1), K_RAM },	/* SPEC Q9 */
	{ "ram 1 first byte", ML_GB(1), K_RAM },	/* SPEC Q9 */
	{ "ram 1 last byte", ML_GB(2) - 1, K_RAM },	/* SPEC Q9 */
	{ "ram 1 end is mmio 0", ML_GB(2), K_MMIO },	/* SPEC Q9 */
	{ "mmio 0 first byte", ML_GB(2), K_MMIO },	/* SPEC Q9 */
	{ "mmio 0 last byte", ML_GB(3) - 1, K_MMIO },	/* SPEC Q9 */
	{ "mmio 0 end is pci_ecam", ML_GB(3), K_ECAM },	/* SPEC Q9 */
	{ "pci_ecam first byte", ML_GB(3), K_ECAM },	/* SPEC Q9 */
	{ "pci_ecam last byte", ECAM_END - 1, K_ECAM },	/* SPEC Q9 */
	{ "pci_ecam end is pci_mmio", ECAM_END, K_PMMIO },	/* SPEC Q9 */
	{ "pci_mmio first byte", ECAM_END, K_PMMIO },	/* SPEC Q9 */
	{ "pci_mmio last byte", ML_GB(4) - 1, K_PMMIO },	/* SPEC Q9 */
	{ "pci_mmio end is ram 2", ML_GB(4), K_RAM },	/* SPEC Q9 */
	{ "ram 2 first byte", ML_GB(4), K_RAM },	/* SPEC Q9 */
	{ "ram 2 last byte", ML_GB(6) - 1, K_RAM },	/* SPEC Q9 */
	{ "ram 2 end is vtl2, none", ML_GB(6), K_NONE },	/* SPEC Q9 */
	{ "vtl2 first byte", ML_GB(6), K_NONE },	/* SPEC Q9 */
	{ "vtl2 last byte", VTL2_END - 1, K_NONE },	/* SPEC Q9 */
	{ "vtl2 end", VTL2_END, K_NONE },	/* SPEC Q9 */
	{ "unmapped below mmio 1", ML_GB(64) - 1, K_NONE },	/* SPEC Q9 */
	{ "mmio 1 first byte", ML_GB(64), K_MMIO },	/* SPEC Q9 */
	{ "mmio 1 middle", ML_GB(100) + 123, K_MMIO },	/* SPEC Q9 */
	{ "mmio 1 last byte", ML_GB(128) - 1, K_MMIO },	/* SPEC Q9 */
	{ "mmio 1 end", ML_GB(128), K_NONE },	/* SPEC Q9 */
	{ "one TiB", ML_TB(1), K_NONE },	/* SPEC Q9 */
	{ "MAX_ADDRESS - 1", ML_MAX - 1, K_NONE },	/* SPEC Q9 */
	{ "MAX_ADDRESS", ML_MAX, K_NONE },	/* SPEC Q9 */
	{ "U64_MAX", U64_MAX, K_NONE },	/* SPEC Q9 */
};

static void probe_case_desc(const struct probe_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(probe_mixed, probe_mixed_cases, probe_case_desc);

/* SPEC Q9 */
static void probe_mixed_layout_edges(struct kunit *test)
{
	const struct probe_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &probe_mixed);

	KUNIT_EXPECT_EQ(test, memlayout_probe(l, t->addr), t->kind);
}

/* SPEC Q9: the first byte, last byte and end of every range of every list */
static void probe_every_range_of_every_list(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &probe_mixed);
	struct memlayout_range r;
	u32 kind, i, n, total = 0;

	for (kind = MEMLAYOUT_KIND_RAM; kind <= MEMLAYOUT_KIND_PCI_MMIO; kind++) {
		n = memlayout_count(l, kind);
		total += n;
		for (i = 0; i < n; i++) {
			KUNIT_ASSERT_EQ(test, memlayout_get_range(l, kind, i, &r), 0);
			KUNIT_EXPECT_EQ_MSG(test, memlayout_probe(l, r.start), kind,
					    "start of list %u index %u", kind, i);
			KUNIT_EXPECT_EQ_MSG(test, memlayout_probe(l, r.end - 1), kind,
					    "last byte of list %u index %u", kind, i);
			KUNIT_EXPECT_EQ_MSG(test, memlayout_probe(l, r.end),
					    ml_ref_probe(l, r.end),
					    "end of list %u index %u", kind, i);
		}
	}
	KUNIT_EXPECT_EQ(test, total, 7U);
	/* SPEC Q9: VTL2 probes as none over its whole range */
	KUNIT_ASSERT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, r.start), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, r.start + (r.end - r.start) / 2), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, r.end - 1), K_NONE);
}

static const struct memlayout_request nothing_at_zero = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, R(ML_GB(1), ML_GB(2))),
	ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(4))),
};

/* SPEC Q9: address 0 is none when nothing starts at 0 */
static void probe_address_zero_unmapped(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &nothing_at_zero);

	KUNIT_EXPECT_EQ(test, memlayout_probe(l, 0), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(1) - 1), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(1)), K_RAM);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(2)), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(3) - 1), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(3)), K_ECAM);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, U64_MAX), K_NONE);
}

static const struct memlayout_request hole_at_top = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = ML_GB(1),
	ML_LIST(pci_mmio, R(ML_MAX - ML_GB(1), ML_MAX)),
};

static const struct memlayout_request ram_at_top = {
	.source = MEMLAYOUT_FROM_RANGES,
	ML_LIST(ram, R(ML_MAX - ML_PAGE, ML_MAX)),
};

/* SPEC Q9: a hole ending at MAX_ADDRESS; U64_MAX is still none */
static void probe_top_of_address_space(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &hole_at_top);

	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - ML_GB(1) - 1), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - ML_GB(1)), K_PMMIO);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - 1), K_PMMIO);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, U64_MAX), K_NONE);

	l = ml_build_ok(test, &ram_at_top);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, 0), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - ML_PAGE - 1), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - ML_PAGE), K_RAM);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX - 1), K_RAM);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_MAX), K_NONE);
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, U64_MAX), K_NONE);
}

#define PROBE_RANDOM	4096

/*
 * Every range edge (start - 1, start, end - 1, end, VTL2 included) and
 * PROBE_RANDOM pseudo-random addresses: a quarter over all 64 bits, the rest
 * near the layout.
 */
static u64 *probe_address_set(struct kunit *test, const struct memlayout *l,
			      u32 *count)
{
	u32 list, i, n, k = 0, edges = 0;
	struct memlayout_range r;
	u64 *addrs, seed = 0x6d656d6c61796f75ULL, span;

	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++)
		edges += 4 * memlayout_count(l, list);
	addrs = kunit_kcalloc(test, edges + PROBE_RANDOM, sizeof(*addrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addrs);

	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++) {
		n = memlayout_count(l, list);
		for (i = 0; i < n; i++) {
			KUNIT_ASSERT_EQ(test, memlayout_get_range(l, list, i, &r), 0);
			addrs[k++] = r.start - 1;	/* wraps to U64_MAX at 0 */
			addrs[k++] = r.start;
			addrs[k++] = r.end - 1;
			addrs[k++] = r.end;
		}
	}

	span = memlayout_end_of_layout(l) + ML_GB(16);
	if (span < ML_GB(16))
		span = U64_MAX;
	for (i = 0; i < PROBE_RANDOM; i++) {
		u64 x = ml_lcg_next(&seed), rem;

		switch (i % 4) {
		case 0:
			addrs[k++] = x;
			break;
		case 1:
			/* div64: a plain u64 % needs __umoddi3 on 32-bit kernels */
			div64_u64_rem(x >> 11, span, &rem);
			addrs[k++] = rem;
			break;
		default:
			/* near an edge already in the set (x >> 33 fits in u32) */
			addrs[k++] = addrs[(u32)(x >> 33) % edges] +
				     ((x >> 7) & 8191) - 4096;
			break;
		}
	}
	*count = k;
	return addrs;
}

struct probe_layout_case {
	const char *desc;
	struct memlayout_request req;
};

static const struct probe_layout_case probe_layout_cases[] = {
	{
		/* SPEC Q9: RAM, all hole kinds, VTL2 */
		.desc = "mixed layout",
		.req = PROBE_MIXED_REQ,
	}, {
		/* SPEC Q9, C1: the seed layout */
		.desc = "C1 TB with the seed gaps",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_TB(1),
			ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))),
		},
	}, {
		/* SPEC Q9, C2: nodes around holes of every kind, one at the top */
		.desc = "C2 over holes of every kind",
		.req = {
			.source = MEMLAYOUT_FROM_NODES,
			ML_NODES(ML_GB(1) + ML_PAGE, ML_MB(3), ML_GB(7)),
			ML_LIST(mmio, R(ML_PAGE, 2 * ML_PAGE), R(ML_GB(3), ML_GB(4))),
			ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(2) + ML_MB(1))),
			ML_LIST(pci_mmio, R(ML_GB(2) + ML_MB(1), ML_GB(2) + ML_MB(2)),
				R(ML_MAX - ML_GB(1), ML_MAX)),
			ML_VTL2(ML_TB(1), ML_TB(1) + ML_GB(1)),
		},
	},
};

static void probe_layout_desc(const struct probe_layout_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(probe_layouts, probe_layout_cases, probe_layout_desc);

/*
 * Probe @addrs in one batch and expect every answer to match both
 * memlayout_probe() and the linear-scan oracle. Returns the mismatches.
 */
static u32 probe_check_batch(struct kunit *test, const struct memlayout *l,
			     const u64 *addrs, u32 n, const char *walk)
{
	u32 i, *kinds, bad = 0;

	kinds = kunit_kcalloc(test, n, sizeof(*kinds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kinds);
	memset(kinds, 0xff, n * sizeof(*kinds));

	memlayout_probe_many(l, addrs, kinds, n);
	for (i = 0; i < n; i++) {
		u32 one = memlayout_probe(l, addrs[i]);
		u32 ref = ml_ref_probe(l, addrs[i]);

		if (kinds[i] == one && one == ref)
			continue;
		/* report the first few mismatches with their address */
		if (bad++ < 8)
			KUNIT_FAIL(test, "%s, addrs[%u] = %#llx: probe_many %u probe %u oracle %u",
				   walk, i, addrs[i], kinds[i], one, ref);
	}
	return bad;
}

static int probe_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* SPEC Q9: the batch form agrees with single probes and a linear scan */
static void probe_many_matches_probe(struct kunit *test)
{
	const struct probe_layout_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	u64 *addrs;
	u32 n, i;

	addrs = probe_address_set(test, l, &n);
	KUNIT_EXPECT_EQ(test, probe_check_batch(test, l, addrs, n, "unsorted"), 0U);

	/* a walk over the map in ascending order, then backwards */
	sort(addrs, n, sizeof(*addrs), probe_cmp_u64, NULL);
	KUNIT_EXPECT_EQ(test, probe_check_batch(test, l, addrs, n, "ascending"), 0U);
	for (i = 0; i < n / 2; i++)
		swap(addrs[i], addrs[n - 1 - i]);
	KUNIT_EXPECT_EQ(test, probe_check_batch(test, l, addrs, n, "descending"), 0U);
}

/*
 * SPEC Q9: ascending walks that skip ranges: the start (and last byte) of
 * every 2nd, 3rd or 4th range in address order, so that consecutive
 * addresses land one, two or three ranges further on.
 */
static void probe_many_strided_walks(struct kunit *test)
{
	const struct probe_layout_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	u32 list, i, k, nr = 0, stride, bad = 0;
	struct memlayout_range r;
	u64 *starts, *walk;
	char what[32];

	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++)
		nr += memlayout_count(l, list);
	starts = kunit_kcalloc(test, 2 * nr, sizeof(*starts), GFP_KERNEL);
	walk = kunit_kcalloc(test, 2 * nr, sizeof(*walk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, starts);
	KUNIT_ASSERT_NOT_NULL(test, walk);
	for (k = 0, list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++) {
		for (i = 0; i < memlayout_count(l, list); i++) {
			KUNIT_ASSERT_EQ(test, memlayout_get_range(l, list, i, &r), 0);
			starts[k++] = r.start;
		}
	}
	sort(starts, nr, sizeof(*starts), probe_cmp_u64, NULL);

	for (stride = 1; stride <= 4; stride++) {
		/* first bytes only */
		for (k = 0, i = 0; i < nr; i += stride)
			walk[k++] = starts[i];
		snprintf(what, sizeof(what), "starts, stride %u", stride);
		bad += probe_check_batch(test, l, walk, k, what);
		/* first byte, then the byte before the next start */
		for (k = 0, i = 0; i < nr; i += stride) {
			walk[k++] = starts[i];
			if (i + 1 < nr)
				walk[k++] = starts[i + 1] - 1;
		}
		snprintf(what, sizeof(what), "starts and ends, stride %u", stride);
		bad += probe_check_batch(test, l, walk, k, what);
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/*
 * SPEC Q1, Q9: memlayout_entry() walks RAM and holes in address order;
 * each entry is where memlayout_probe() says, and the walk holds exactly
 * the ranges of the four lists.
 */
static void probe_entries_in_address_order(struct kunit *test)
{
	const struct probe_layout_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	struct memlayout_entry e;
	u32 i, total = 0, seen[MEMLAYOUT_NR_KINDS] = {};
	u64 prev_end = 0;

	for (i = MEMLAYOUT_LIST_RAM; i <= MEMLAYOUT_LIST_PCI_MMIO; i++)
		total += memlayout_count(l, i);
	KUNIT_ASSERT_EQ(test, l->nr, total);
	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		KUNIT_ASSERT_GE_MSG(test, e.kind, (u32)MEMLAYOUT_KIND_RAM, "entry %u", i);
		KUNIT_ASSERT_LE_MSG(test, e.kind, (u32)MEMLAYOUT_KIND_PCI_MMIO, "entry %u", i);
		KUNIT_EXPECT_LT_MSG(test, e.start, e.end, "entry %u", i);
		KUNIT_EXPECT_GE_MSG(test, e.start, prev_end, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, memlayout_probe(l, e.start), e.kind, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, memlayout_probe(l, e.end - 1), e.kind, "entry %u", i);
		prev_end = e.end;
		seen[e.kind]++;
	}
	for (i = MEMLAYOUT_LIST_RAM; i <= MEMLAYOUT_LIST_PCI_MMIO; i++)
		KUNIT_EXPECT_EQ_MSG(test, seen[i], memlayout_count(l, i), "kind %u", i);
}

/* SPEC Q9: a batch of zero addresses writes nothing */
static void probe_many_zero_count(struct kunit *test)
{
	struct memlayout *l = ml_build_ok(test, &probe_mixed);
	u64 addrs[2] = { 0, ML_GB(2) };
	u32 kinds[2] = { 0xabcd, 0xabcd };

	memlayout_probe_many(l, addrs, kinds, 0);
	KUNIT_EXPECT_EQ(test, kinds[0], 0xabcdU);
	KUNIT_EXPECT_EQ(test, kinds[1], 0xabcdU);

	memlayout_probe_many(l, addrs, kinds, 1);
	KUNIT_EXPECT_EQ(test, kinds[0], K_RAM);
	KUNIT_EXPECT_EQ(test, kinds[1], 0xabcdU);
}

/* SPEC Q9: unsorted and repeated addresses in one batch */
static void probe_many_unsorted_batch(struct kunit *test)
{
	static const u64 addrs[] = {
		U64_MAX, ML_GB(4), 0, ML_GB(6), ML_GB(3), ML_GB(3), ECAM_END,
		ML_GB(2) - 1, ML_GB(64), 0,
	};
	static const u32 want[] = {
		K_NONE, K_RAM, K_RAM, K_NONE, K_ECAM, K_ECAM, K_PMMIO, K_RAM, K_MMIO, K_RAM,
	};
	struct memlayout *l = ml_build_ok(test, &probe_mixed);
	u32 kinds[ARRAY_SIZE(addrs)];
	u32 i;

	memlayout_probe_many(l, addrs, kinds, ARRAY_SIZE(addrs));
	for (i = 0; i < ARRAY_SIZE(addrs); i++)
		KUNIT_EXPECT_EQ_MSG(test, kinds[i], want[i], "addr %#llx", addrs[i]);
}

/*
 * memlayout_probe_many_ranges(): the range that covers each address (as
 * PROCMAP_QUERY returns the VMA covering an address), with its index in
 * the list of its kind.
 */

/* No range: the answer's index, with start, end and vnode 0. */
#define NO_RANGE	MEMLAYOUT_PROBE_NO_RANGE

/**
 * struct probe_answer - what one address must probe as
 * @kind: its kind (SPEC Q9).
 * @r: the range that covers it: start, end, vnode and index in the list
 *     of @kind, or index %NO_RANGE and the rest 0.
 */
struct probe_answer {
	u32 kind;
	struct memlayout_probe_range r;
};

/**
 * struct probe_range_case - one address and the range that must cover it
 * @desc: row name.
 * @top: probe hole_at_top instead of the mixed layout.
 * @addr: the address.
 * @want: its answer.
 */
struct probe_range_case {
	const char *desc;
	bool top;
	u64 addr;
	struct probe_answer want;
};

#define PR_RAM0		{ K_RAM, { 0, ML_GB(1), 0, 0 } }
#define PR_RAM1		{ K_RAM, { ML_GB(1), ML_GB(2), 1, 1 } }
#define PR_RAM2		{ K_RAM, { ML_GB(4), ML_GB(6), 0, 2 } }
#define PR_MMIO0	{ K_MMIO, { ML_GB(2), ML_GB(3), 0, 0 } }
#define PR_MMIO1	{ K_MMIO, { ML_GB(64), ML_GB(128), 0, 1 } }
#define PR_ECAM		{ K_ECAM, { ML_GB(3), ECAM_END, 0, 0 } }
#define PR_PMMIO	{ K_PMMIO, { ECAM_END, ML_GB(4), 0, 0 } }
#define PR_TOP		{ K_PMMIO, { ML_MAX - ML_GB(1), ML_MAX, 0, 0 } }
#define PR_TOP_RAM	{ K_RAM, { 0, ML_GB(1), 0, 0 } }
#define PR_NONE		{ K_NONE, { 0, 0, 0, NO_RANGE } }

/* SPEC Q9: every kind, the first and last byte of a range, the byte after */
static const struct probe_range_case probe_range_cases[] = {
	{ "ram 0 first byte", false, 0, PR_RAM0 },
	{ "ram 0 last byte", false, ML_GB(1) - 1, PR_RAM0 },
	{ "ram 0 byte after is ram 1 (vnode 1)", false, ML_GB(1), PR_RAM1 },
	{ "ram 1 last byte", false, ML_GB(2) - 1, PR_RAM1 },
	{ "ram 1 byte after is mmio 0", false, ML_GB(2), PR_MMIO0 },
	{ "mmio 0 middle", false, ML_GB(2) + 12345, PR_MMIO0 },
	{ "mmio 0 last byte", false, ML_GB(3) - 1, PR_MMIO0 },
	{ "mmio 0 byte after is pci_ecam", false, ML_GB(3), PR_ECAM },
	{ "pci_ecam last byte", false, ECAM_END - 1, PR_ECAM },
	{ "pci_ecam byte after is pci_mmio", false, ECAM_END, PR_PMMIO },
	{ "pci_mmio last byte", false, ML_GB(4) - 1, PR_PMMIO },
	{ "pci_mmio byte after is ram 2", false, ML_GB(4), PR_RAM2 },
	{ "ram 2 last byte", false, ML_GB(6) - 1, PR_RAM2 },
	{ "ram 2 byte after is VTL2: none", false, ML_GB(6), PR_NONE },
	{ "VTL2 last byte: none", false, VTL2_END - 1, PR_NONE },
	{ "VTL2 byte after: none", false, VTL2_END, PR_NONE },
	{ "no range covers 32 GiB", false, ML_GB(32), PR_NONE },
	{ "mmio 1 first byte", false, ML_GB(64), PR_MMIO1 },
	{ "mmio 1 last byte", false, ML_GB(128) - 1, PR_MMIO1 },
	{ "mmio 1 byte after: none", false, ML_GB(128), PR_NONE },
	{ "MAX_ADDRESS - 1: none", false, ML_MAX - 1, PR_NONE },
	{ "MAX_ADDRESS: none", false, ML_MAX, PR_NONE },
	{ "U64_MAX: none", false, U64_MAX, PR_NONE },
	{ "top: below the hole at the top: none", true,
	  ML_MAX - ML_GB(1) - 1, PR_NONE },
	{ "top: hole first byte", true, ML_MAX - ML_GB(1), PR_TOP },
	{ "top: hole last byte, MAX_ADDRESS - 1", true, ML_MAX - 1, PR_TOP },
	{ "top: MAX_ADDRESS, byte after the hole: none", true, ML_MAX, PR_NONE },
	{ "top: MAX_ADDRESS + 1: none", true, ML_MAX + 1, PR_NONE },
	{ "top: U64_MAX: none", true, U64_MAX, PR_NONE },
	{ "top: ram first byte", true, 0, PR_TOP_RAM },
};

static void probe_range_desc(const struct probe_range_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(probe_range, probe_range_cases, probe_range_desc);

/**
 * probe_expect_covering() - a covering range is consistent with the layout
 * @test: the running test.
 * @l: the layout.
 * @addr: the address probed.
 * @kind: the kind answered.
 * @r: the range answered.
 *
 * The kind is memlayout_probe()'s; "none" has index %NO_RANGE and the rest
 * 0; any other range holds @addr and is ``memlayout_get_range(kind,
 * index)``, exactly.
 *
 * Return: true if all holds.
 */
static bool probe_expect_covering(struct kunit *test, const struct memlayout *l,
				  u64 addr, u32 kind,
				  const struct memlayout_probe_range *r)
{
	struct memlayout_range got;

	if (kind != memlayout_probe(l, addr))
		return false;
	if (kind == K_NONE)
		return r->index == NO_RANGE && !r->start && !r->end && !r->vnode;
	if (r->start > addr || addr >= r->end)
		return false;
	if (memlayout_get_range(l, kind, r->index, &got))
		return false;
	return got.start == r->start && got.end == r->end &&
	       got.vnode == r->vnode;
}

/* SPEC Q9: one address, its kind and exactly the range that covers it */
static void probe_many_ranges_rows(struct kunit *test)
{
	const struct probe_range_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, t->top ? &hole_at_top : &probe_mixed);
	struct memlayout_probe_range r[2];
	u64 addrs[2] = { t->addr, 0 };
	u32 kinds[2];

	memset(kinds, 0xa5, sizeof(kinds));
	memset(r, 0xa5, sizeof(r));
	memlayout_probe_many_ranges(l, addrs, kinds, r, 1);
	KUNIT_EXPECT_EQ(test, kinds[0], t->want.kind);
	KUNIT_EXPECT_EQ(test, kinds[0], memlayout_probe(l, t->addr));
	KUNIT_EXPECT_EQ(test, r[0].start, t->want.r.start);
	KUNIT_EXPECT_EQ(test, r[0].end, t->want.r.end);
	KUNIT_EXPECT_EQ(test, r[0].vnode, t->want.r.vnode);
	KUNIT_EXPECT_EQ(test, r[0].index, t->want.r.index);
	KUNIT_EXPECT_TRUE(test, probe_expect_covering(test, l, t->addr, kinds[0], &r[0]));
	/* Only the one answer asked for is written. */
	KUNIT_EXPECT_EQ(test, kinds[1], 0xa5a5a5a5U);
	KUNIT_EXPECT_EQ(test, r[1].index, 0xa5a5a5a5U);
}

/*
 * Probes @addrs in one batch with covering ranges and checks each answer.
 * Returns the mismatches.
 */
static u32 probe_check_ranges_batch(struct kunit *test, const struct memlayout *l,
				    const u64 *addrs, u32 n, const char *walk)
{
	struct memlayout_probe_range *r;
	u32 i, *kinds, bad = 0;

	kinds = kunit_kcalloc(test, n, sizeof(*kinds), GFP_KERNEL);
	r = kunit_kcalloc(test, n, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kinds);
	KUNIT_ASSERT_NOT_NULL(test, r);
	memset(kinds, 0xff, n * sizeof(*kinds));
	memset(r, 0xff, n * sizeof(*r));

	memlayout_probe_many_ranges(l, addrs, kinds, r, n);
	for (i = 0; i < n; i++) {
		if (probe_expect_covering(test, l, addrs[i], kinds[i], &r[i]))
			continue;
		if (bad++ < 8)
			KUNIT_FAIL(test, "%s, addrs[%u] %#llx: kind %u/%u [%#llx, %#llx) v%u i%u",
				   walk, i, addrs[i], kinds[i],
				   memlayout_probe(l, addrs[i]), r[i].start,
				   r[i].end, r[i].vnode, r[i].index);
	}
	return bad;
}

/*
 * SPEC Q9: the covering ranges of a batch, unsorted, walking up (the
 * batch then takes its "near the previous answer" path) and walking down.
 */
static void probe_many_ranges_matches_get_range(struct kunit *test)
{
	const struct probe_layout_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	u64 *addrs;
	u32 n, i;

	addrs = probe_address_set(test, l, &n);
	KUNIT_EXPECT_EQ(test, probe_check_ranges_batch(test, l, addrs, n, "unsorted"), 0U);
	sort(addrs, n, sizeof(*addrs), probe_cmp_u64, NULL);
	KUNIT_EXPECT_EQ(test, probe_check_ranges_batch(test, l, addrs, n, "ascending"), 0U);
	for (i = 0; i < n / 2; i++)
		swap(addrs[i], addrs[n - 1 - i]);
	KUNIT_EXPECT_EQ(test, probe_check_ranges_batch(test, l, addrs, n, "descending"), 0U);
}

/*
 * SPEC Q9: every range of every list, probed at its first and last byte
 * in address order, answers its own index; a batch of none writes nothing.
 */
static void probe_many_ranges_every_index(struct kunit *test)
{
	const struct probe_layout_case *t = test->param_value;
	struct memlayout *l = ml_build_ok(test, &t->req);
	struct memlayout_probe_range *r;
	struct memlayout_entry e;
	u32 i, *kinds, nr = l->nr;
	u64 *addrs;

	addrs = kunit_kcalloc(test, 2 * nr, sizeof(*addrs), GFP_KERNEL);
	kinds = kunit_kcalloc(test, 2 * nr, sizeof(*kinds), GFP_KERNEL);
	r = kunit_kcalloc(test, 2 * nr, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addrs);
	KUNIT_ASSERT_NOT_NULL(test, kinds);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < nr; i++) {
		memlayout_entry(l, i, &e);
		addrs[2 * i] = e.start;
		addrs[2 * i + 1] = e.end - 1;
	}
	memset(r, 0xa5, 2 * nr * sizeof(*r));
	memlayout_probe_many_ranges(l, addrs, kinds, r, 0);
	KUNIT_EXPECT_EQ(test, r[0].index, 0xa5a5a5a5U);

	memlayout_probe_many_ranges(l, addrs, kinds, r, 2 * nr);
	for (i = 0; i < 2 * nr; i++) {
		struct memlayout_range want;

		memlayout_entry(l, i / 2, &e);
		KUNIT_EXPECT_EQ_MSG(test, kinds[i], e.kind, "address %#llx", addrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, r[i].start, e.start, "address %#llx", addrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, r[i].end, e.end, "address %#llx", addrs[i]);
		KUNIT_EXPECT_EQ_MSG(test, r[i].vnode, e.vnode, "address %#llx", addrs[i]);
		KUNIT_ASSERT_EQ_MSG(test, memlayout_get_range(l, e.kind, r[i].index, &want),
				    0, "address %#llx index %u", addrs[i], r[i].index);
		KUNIT_EXPECT_EQ_MSG(test, want.start, e.start, "address %#llx", addrs[i]);
	}
}

static struct kunit_case probe_test_cases[] = {
	KUNIT_CASE_PARAM(probe_mixed_layout_edges, probe_mixed_gen_params),
	KUNIT_CASE(probe_every_range_of_every_list),
	KUNIT_CASE_PARAM(probe_entries_in_address_order, probe_layouts_gen_params),
	KUNIT_CASE(probe_address_zero_unmapped),
	KUNIT_CASE(probe_top_of_address_space),
	KUNIT_CASE_PARAM(probe_many_matches_probe, probe_layouts_gen_params),
	KUNIT_CASE_PARAM(probe_many_strided_walks, probe_layouts_gen_params),
	KUNIT_CASE(probe_many_zero_count),
	KUNIT_CASE(probe_many_unsorted_batch),
	KUNIT_CASE_PARAM(probe_many_ranges_rows, probe_range_gen_params),
	KUNIT_CASE_PARAM(probe_many_ranges_matches_get_range, probe_layouts_gen_params),
	KUNIT_CASE_PARAM(probe_many_ranges_every_index, probe_layouts_gen_params),
	{}
};

static struct kunit_suite probe_suite = {
	.name = "memlayout_probe",
	.test_cases = probe_test_cases,
};

kunit_test_suite(probe_suite);
