// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_validate: every validation rule (SPEC R1-R8) on
 * every list it applies to, each row checking the errno and the whole error
 * report, plus rows breaking two rules at once to pin the check order
 * R8 -> R1 -> R2 -> R3 -> R6 -> R4 -> R5 -> R7.
 */
#include "kunit_util.h"

#define C1(size)	.source = MEMLAYOUT_FROM_SIZE, .ram_size = (size)
#define C2		.source = MEMLAYOUT_FROM_NODES
#define C3		.source = MEMLAYOUT_FROM_RANGES

struct validate_case {
	const char *desc;
	struct memlayout_request req;
	int err;			/* 0: the request must be accepted */
	struct memlayout_error want;
};

static void validate_case_desc(const struct validate_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

static void validate_run(struct kunit *test)
{
	const struct validate_case *t = test->param_value;

	ml_expect_outcome(test, &t->req, t->err, &t->want);
}

static const struct validate_case validate_bad_size_cases[] = {
	{
		/* SPEC R1 */
		.desc = "C1 ram_size zero",
		.req = { C1(0) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R1 */
		.desc = "C1 ram_size one byte",
		.req = { C1(1) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R1 */
		.desc = "C1 ram_size one page minus one",
		.req = { C1(ML_PAGE - 1) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R1 */
		.desc = "C1 ram_size 1G plus 2K",
		.req = { C1(ML_GB(1) + ML_KB(2)) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R1, D4 */
		.desc = "C1 ram_size U64_MAX",
		.req = { C1(U64_MAX) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R1: C2 has at least one node */
		.desc = "C2 empty node list",
		.req = { C2 },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 0, NONE, 0),
	}, {
		/* SPEC R1 */
		.desc = "C2 node 0 zero",
		.req = { C2, ML_NODES(0, ML_GB(1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 0, NONE, 0),
	}, {
		/* SPEC R1 */
		.desc = "C2 node 2 zero",
		.req = { C2, ML_NODES(ML_GB(1), ML_GB(1), 0) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 2, NONE, 0),
	}, {
		/* SPEC R1 */
		.desc = "C2 node 1 unaligned",
		.req = { C2, ML_NODES(ML_GB(1), ML_GB(1) + 512) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R1: the lowest bad node is named */
		.desc = "C2 nodes 1 and 2 bad",
		.req = { C2, ML_NODES(ML_GB(1), ML_PAGE - 1, 0) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R1: the smallest valid size */
		.desc = "C1 ram_size one page accepted",
		.req = { C1(ML_PAGE) },
	}, {
		/* SPEC R1: the smallest valid node */
		.desc = "C2 one node of one page accepted",
		.req = { C2, ML_NODES(ML_PAGE) },
	},
};

KUNIT_ARRAY_PARAM(validate_bad_size, validate_bad_size_cases, validate_case_desc);

/* SPEC R1 */
static void validate_rejects_bad_size(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_bad_range_cases[] = {
	{
		/* SPEC R2: ram */
		.desc = "ram empty range at index 1",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(2))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 1, NONE, 0),
	}, {
		/* SPEC R2, D4: ram */
		.desc = "ram reversed range",
		.req = { C3, ML_LIST(ram, R(ML_GB(2), ML_GB(1))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: ram */
		.desc = "ram unaligned start",
		.req = { C3, ML_LIST(ram, R(512, ML_GB(1))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: ram */
		.desc = "ram unaligned end at index 2",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				     R(ML_GB(4), ML_GB(5) + 1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 2, NONE, 0),
	}, {
		/* SPEC R2: ram */
		.desc = "ram ending above MAX_ADDRESS",
		.req = { C3, ML_LIST(ram, R(ML_MAX - ML_PAGE, U64_MAX)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: ram; the end wraps to 0 */
		.desc = "ram starting at MAX_ADDRESS with wrapped end",
		.req = { C3, ML_LIST(ram, R(ML_MAX, ML_MAX + ML_PAGE)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 0, NONE, 0),
	}, {
		/* SPEC R2: mmio */
		.desc = "mmio empty range",
		.req = { C1(ML_GB(1)), ML_LIST(mmio, R(ML_GB(4), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: mmio */
		.desc = "mmio reversed range at index 1",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(4), ML_GB(3))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R2, D4: mmio */
		.desc = "mmio unaligned end at index 2",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4)),
				 R(ML_GB(5), ML_GB(5) + 100)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 2, NONE, 0),
	}, {
		/* SPEC R2: mmio */
		.desc = "mmio ending above MAX_ADDRESS",
		.req = { C1(ML_GB(1)), ML_LIST(mmio, R(ML_MAX - ML_PAGE, U64_MAX)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2: pci_ecam */
		.desc = "pci_ecam empty range",
		.req = { C1(ML_GB(1)), ML_LIST(pci_ecam, R(ML_GB(4), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_ECAM, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: pci_ecam */
		.desc = "pci_ecam unaligned start at index 1",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)),
				 R(ML_GB(4) + 8, ML_GB(5))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_ECAM, 1, NONE, 0),
	}, {
		/* SPEC R2, D4: pci_ecam */
		.desc = "pci_ecam reversed range",
		.req = { C1(ML_GB(1)), ML_LIST(pci_ecam, R(ML_GB(5), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_ECAM, 0, NONE, 0),
	}, {
		/* SPEC R2: pci_ecam */
		.desc = "pci_ecam ending above MAX_ADDRESS",
		.req = { C1(ML_GB(1)), ML_LIST(pci_ecam, R(ML_GB(4), U64_MAX)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_ECAM, 0, NONE, 0),
	}, {
		/* SPEC R2: pci_mmio */
		.desc = "pci_mmio empty range at index 1",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 1, NONE, 0),
	}, {
		/* SPEC R2, D4: pci_mmio */
		.desc = "pci_mmio unaligned end",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(4), ML_GB(5) - 1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: pci_mmio */
		.desc = "pci_mmio reversed range",
		.req = { C1(ML_GB(1)), ML_LIST(pci_mmio, R(ML_GB(5), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2: pci_mmio */
		.desc = "pci_mmio ending above MAX_ADDRESS",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_MAX - ML_GB(1), ML_MAX + 1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2, D7: vtl2 */
		.desc = "vtl2 empty range",
		.req = { C1(ML_GB(1)), ML_VTL2(ML_GB(2), ML_GB(2)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, VTL2, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: vtl2 */
		.desc = "vtl2 reversed range",
		.req = { C1(ML_GB(1)), ML_VTL2(ML_GB(3), ML_GB(2)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, VTL2, 0, NONE, 0),
	}, {
		/* SPEC R2, D4: vtl2 */
		.desc = "vtl2 unaligned start",
		.req = { C1(ML_GB(1)), ML_VTL2(ML_GB(2) + 1, ML_GB(3)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, VTL2, 0, NONE, 0),
	}, {
		/* SPEC R2: vtl2 */
		.desc = "vtl2 ending above MAX_ADDRESS",
		.req = { C1(ML_GB(1)), ML_VTL2(ML_MAX - ML_PAGE, U64_MAX) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, VTL2, 0, NONE, 0),
	},
};

KUNIT_ARRAY_PARAM(validate_bad_range, validate_bad_range_cases, validate_case_desc);

/* SPEC R2 */
static void validate_rejects_bad_range(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_bad_order_cases[] = {
	{
		/* SPEC R3: ram */
		.desc = "ram unsorted",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(2)), R(0, ML_MB(512))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, RAM, 1, NONE, 0),
	}, {
		/* SPEC R3: ram */
		.desc = "ram overlapping",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(2)), R(ML_GB(1), ML_GB(3))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, RAM, 1, NONE, 0),
	}, {
		/* SPEC R3: ram */
		.desc = "ram duplicate range",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(0, ML_GB(1))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, RAM, 1, NONE, 0),
	}, {
		/* SPEC R3: ram, overlap by a single page */
		.desc = "ram index 2 starts one page inside index 1",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				     R(ML_GB(3) - ML_PAGE, ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, RAM, 2, NONE, 0),
	}, {
		/* SPEC R3: ram */
		.desc = "ram index 2 below index 0",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4)),
				     R(0, ML_MB(512))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, RAM, 2, NONE, 0),
	}, {
		/* SPEC R3: mmio */
		.desc = "mmio unsorted",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(3), ML_GB(4)), R(ML_GB(2), ML_GB(2) + ML_MB(512))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3: mmio */
		.desc = "mmio overlapping",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(4)), R(ML_GB(3), ML_GB(5))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3: pci_ecam */
		.desc = "pci_ecam unsorted",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(4)), R(ML_GB(2), ML_GB(3))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, PCI_ECAM, 1, NONE, 0),
	}, {
		/* SPEC R3: pci_ecam */
		.desc = "pci_ecam overlapping at index 2",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)), R(ML_GB(3), ML_GB(4)),
				 R(ML_GB(4) - ML_PAGE, ML_GB(5))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, PCI_ECAM, 2, NONE, 0),
	}, {
		/* SPEC R3: pci_mmio */
		.desc = "pci_mmio unsorted",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(8), ML_GB(9)), R(ML_GB(2), ML_GB(3))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, PCI_MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3: pci_mmio */
		.desc = "pci_mmio duplicate range",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(2), ML_GB(3))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, PCI_MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3: touching ranges are sorted, in every list */
		.desc = "touching ranges accepted in every list",
		.req = { C3,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(1), ML_GB(2))),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(3), ML_GB(4))),
			 ML_LIST(pci_ecam, R(ML_GB(4), ML_GB(5)), R(ML_GB(5), ML_GB(6))),
			 ML_LIST(pci_mmio, R(ML_GB(6), ML_GB(7)), R(ML_GB(7), ML_GB(8))) },
	},
};

KUNIT_ARRAY_PARAM(validate_bad_order, validate_bad_order_cases, validate_case_desc);

/* SPEC R3 */
static void validate_rejects_bad_order(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_overlap_cases[] = {
	{
		/* SPEC R4: ram first, mmio second */
		.desc = "mmio overlapping ram",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(2))),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, MMIO, 0),
	}, {
		/* SPEC R4: mmio first, ram second */
		.desc = "ram overlapping mmio",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(3))),
			 ML_LIST(mmio, R(0, ML_GB(2))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 0, RAM, 0),
	}, {
		/* SPEC R4: ram first, pci_ecam second */
		.desc = "pci_ecam overlapping ram",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(2))),
			 ML_LIST(pci_ecam, R(ML_GB(1), ML_GB(3))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, PCI_ECAM, 0),
	}, {
		/* SPEC R4: pci_ecam first, ram index 1 second, one page */
		.desc = "ram index 1 overlapping pci_ecam by a page",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(3), ML_GB(4))),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3) + ML_PAGE)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, PCI_ECAM, 0, RAM, 1),
	}, {
		/* SPEC R4: ram index 2 first, pci_mmio index 1 second */
		.desc = "pci_mmio index 1 overlapping ram index 2",
		.req = { C3,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				 R(ML_GB(5), ML_GB(6))),
			 ML_LIST(pci_mmio, R(ML_GB(1), ML_GB(2)),
				 R(ML_GB(5) + ML_MB(512), ML_GB(7))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 2, PCI_MMIO, 1),
	}, {
		/* SPEC R4: a hole strictly inside a RAM range */
		.desc = "pci_mmio inside ram",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(4))),
			 ML_LIST(pci_mmio, R(ML_GB(1), ML_GB(2))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, PCI_MMIO, 0),
	}, {
		/* SPEC R4: two hole kinds */
		.desc = "pci_ecam overlapping mmio",
		.req = { C1(ML_GB(1)), ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
			 ML_LIST(pci_ecam, R(ML_GB(2) + ML_MB(512), ML_GB(4))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 0, PCI_ECAM, 0),
	}, {
		/* SPEC R4: two hole kinds, the other way round */
		.desc = "mmio overlapping pci_ecam",
		.req = { C1(ML_GB(1)), ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3))),
			 ML_LIST(mmio, R(ML_GB(2) + ML_MB(512), ML_GB(4))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, PCI_ECAM, 0, MMIO, 0),
	}, {
		/* SPEC R4: two hole kinds */
		.desc = "pci_mmio overlapping mmio index 1",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(6))),
			 ML_LIST(pci_mmio, R(ML_GB(5), ML_GB(7))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 1, PCI_MMIO, 0),
	}, {
		/* SPEC R4: two hole kinds */
		.desc = "pci_mmio overlapping pci_ecam",
		.req = { C1(ML_GB(1)), ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3))),
			 ML_LIST(pci_mmio, R(ML_GB(3) - ML_PAGE, ML_GB(4))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, PCI_ECAM, 0, PCI_MMIO, 0),
	}, {
		/* SPEC R4: two hole kinds */
		.desc = "pci_ecam overlapping pci_mmio",
		.req = { C1(ML_GB(1)), ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(3))),
			 ML_LIST(pci_ecam, R(ML_GB(3) - ML_PAGE, ML_GB(4))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, PCI_MMIO, 0, PCI_ECAM, 0),
	}, {
		/* SPEC R4: ram starts first, then vtl2 */
		.desc = "vtl2 overlapping ram",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(2))), ML_VTL2(ML_GB(1), ML_GB(3)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, VTL2, 0),
	}, {
		/* SPEC R4: vtl2 starts first, then ram */
		.desc = "ram overlapping vtl2",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(2))),
			 ML_VTL2(0, ML_GB(1) + ML_PAGE) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, VTL2, 0, RAM, 0),
	}, {
		/* SPEC R4, C1: VTL2 is not a hole for placement */
		.desc = "vtl2 inside C1 placed ram",
		.req = { C1(ML_GB(2)), ML_VTL2(ML_GB(1), ML_GB(1) + ML_PAGE) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, VTL2, 0),
	}, {
		/* SPEC R4, C2: VTL2 is not a hole for placement */
		.desc = "vtl2 inside C2 placed ram of node 1",
		.req = { C2, ML_NODES(ML_GB(1), ML_GB(1)),
			 ML_VTL2(ML_GB(1) + ML_MB(512), ML_GB(1) + ML_MB(513)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 1, VTL2, 0),
	}, {
		/* SPEC R4: mmio starts first, then vtl2 */
		.desc = "vtl2 overlapping mmio",
		.req = { C1(ML_GB(1)), ML_LIST(mmio, R(ML_GB(4), ML_GB(5))),
			 ML_VTL2(ML_GB(4) + ML_MB(512), ML_GB(6)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 0, VTL2, 0),
	}, {
		/* SPEC R4: vtl2 starts first, then mmio */
		.desc = "mmio overlapping vtl2",
		.req = { C1(ML_GB(1)), ML_LIST(mmio, R(ML_GB(4), ML_GB(5))),
			 ML_VTL2(ML_GB(2), ML_GB(4) + ML_PAGE) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, VTL2, 0, MMIO, 0),
	}, {
		/* SPEC R4: pci_ecam index 1 starts first, then vtl2 */
		.desc = "vtl2 overlapping pci_ecam index 1",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5))),
			 ML_VTL2(ML_GB(4) + ML_MB(512), ML_GB(6)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, PCI_ECAM, 1, VTL2, 0),
	}, {
		/* SPEC R4: vtl2 starts first, then pci_mmio */
		.desc = "pci_mmio overlapping vtl2",
		.req = { C1(ML_GB(1)), ML_LIST(pci_mmio, R(ML_GB(4), ML_GB(5))),
			 ML_VTL2(ML_GB(3), ML_GB(4) + ML_MB(512)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, VTL2, 0, PCI_MMIO, 0),
	}, {
		/* SPEC R4: touching is not overlapping */
		.desc = "ram, holes and vtl2 touching accepted",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1))),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5))),
			 ML_LIST(pci_mmio, R(ML_GB(5), ML_GB(6))),
			 ML_VTL2(ML_GB(3), ML_GB(4)) },
	},
};

KUNIT_ARRAY_PARAM(validate_overlap, validate_overlap_cases, validate_case_desc);

/* SPEC R4 */
static void validate_rejects_overlap(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_no_ram_cases[] = {
	{
		/* SPEC R5 */
		.desc = "C3 no ram and no holes",
		.req = { C3 },
		.err = -EINVAL, .want = ML_ERR(NO_RAM, RAM, 0, NONE, 0),
	}, {
		/* SPEC R5 */
		.desc = "C3 no ram, holes of every kind",
		.req = { C3, ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3))),
			 ML_LIST(pci_mmio, R(ML_GB(3), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(NO_RAM, RAM, 0, NONE, 0),
	}, {
		/* SPEC R5: VTL2 is not RAM */
		.desc = "C3 no ram, only vtl2",
		.req = { C3, ML_VTL2(ML_GB(1), ML_GB(2)) },
		.err = -EINVAL, .want = ML_ERR(NO_RAM, RAM, 0, NONE, 0),
	}, {
		/* SPEC R5: nr_ram, not the pointer, says how many */
		.desc = "C3 ram pointer set but nr_ram zero",
		.req = { C3, .ram = ML_RANGES(R(0, ML_GB(1))), .nr_ram = 0 },
		.err = -EINVAL, .want = ML_ERR(NO_RAM, RAM, 0, NONE, 0),
	},
};

KUNIT_ARRAY_PARAM(validate_no_ram, validate_no_ram_cases, validate_case_desc);

/* SPEC R5 */
static void validate_rejects_no_ram(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_too_large_cases[] = {
	{
		/* SPEC R6, D4: [4K, 2^64) would wrap */
		.desc = "C1 MAX_ADDRESS bytes after a page hole",
		.req = { C1(ML_MAX), ML_LIST(mmio, R(0, ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6: RAM would end one page past MAX_ADDRESS */
		.desc = "C1 two-page hole pushes ram past MAX_ADDRESS",
		.req = { C1(ML_MAX - ML_PAGE), ML_LIST(mmio, R(ML_PAGE, 3 * ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6: the rest after a hole at the very top */
		.desc = "C1 page left over after a hole at the top",
		.req = { C1(ML_MAX - ML_GB(1) + ML_PAGE),
			 ML_LIST(pci_mmio, R(ML_MAX - ML_GB(1), ML_MAX)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6: holes of all kinds count */
		.desc = "C1 holes of three kinds push ram past MAX_ADDRESS",
		.req = { C1(ML_MAX - 2 * ML_PAGE),
			 ML_LIST(mmio, R(ML_PAGE, 2 * ML_PAGE)),
			 ML_LIST(pci_ecam, R(3 * ML_PAGE, 4 * ML_PAGE)),
			 ML_LIST(pci_mmio, R(5 * ML_PAGE, 6 * ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6, D4: the running sum of node sizes wraps at node 1 */
		.desc = "C2 node sizes 2^63 + 2^63 wrap",
		.req = { C2, ML_NODES(1ULL << 63, 1ULL << 63) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D6: node 1 cannot be placed below MAX_ADDRESS */
		.desc = "C2 node 1 does not fit above a hole",
		.req = { C2, ML_NODES(ML_GB(1), ML_MAX - ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(2) + ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R6, D4: the running sum wraps at node 2 */
		.desc = "C2 node 2 wraps the sum",
		.req = { C2, ML_NODES(ML_PAGE, ML_PAGE, ML_MAX) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 2, NONE, 0),
	}, {
		/* SPEC R6, D6: node 2 does not fit, nodes 0 and 1 do */
		.desc = "C2 node 2 does not fit after a page hole",
		.req = { C2, ML_NODES(ML_GB(1), ML_GB(1), ML_MAX - ML_GB(2)),
			 ML_LIST(mmio, R(0, ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 2, NONE, 0),
	}, {
		/* SPEC R6: RAM ending exactly at MAX_ADDRESS is fine */
		.desc = "C1 MAX_ADDRESS bytes without holes accepted",
		.req = { C1(ML_MAX) },
	}, {
		/* SPEC R6: RAM ending exactly at MAX_ADDRESS around a hole */
		.desc = "C1 ram ending at MAX_ADDRESS after a hole accepted",
		.req = { C1(ML_MAX - ML_PAGE), ML_LIST(mmio, R(ML_PAGE, 2 * ML_PAGE)) },
	}, {
		/* SPEC R6: node sizes summing to MAX_ADDRESS */
		.desc = "C2 nodes summing to MAX_ADDRESS accepted",
		.req = { C2, ML_NODES(ML_PAGE, ML_MAX - ML_PAGE) },
	},
};

KUNIT_ARRAY_PARAM(validate_too_large, validate_too_large_cases, validate_case_desc);

/* SPEC R6 */
static void validate_rejects_too_large(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_vtl2_below_ram_cases[] = {
	{
		/* SPEC R7, D5: other_index names the last RAM range */
		.desc = "vtl2 between two ram ranges",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3))),
			 ML_VTL2(ML_GB(1), ML_GB(2)) },
		.err = -EINVAL, .want = ML_ERR(VTL2_BELOW_RAM, VTL2, 0, RAM, 1),
	}, {
		/* SPEC R7, D5 */
		.desc = "vtl2 below all ram",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(2))), ML_VTL2(0, ML_GB(1)) },
		.err = -EINVAL, .want = ML_ERR(VTL2_BELOW_RAM, VTL2, 0, RAM, 0),
	}, {
		/* SPEC R7, D5 */
		.desc = "vtl2 just below the last of three ram ranges",
		.req = { C3,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				 R(ML_GB(4), ML_GB(5))),
			 ML_VTL2(ML_GB(4) - ML_PAGE, ML_GB(4)) },
		.err = -EINVAL, .want = ML_ERR(VTL2_BELOW_RAM, VTL2, 0, RAM, 2),
	}, {
		/* SPEC R7: starting exactly at the end of RAM is fine */
		.desc = "vtl2 at the end of ram accepted",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1))), ML_VTL2(ML_GB(1), ML_GB(2)) },
	}, {
		/* SPEC R7: only RAM matters, not holes above it */
		.desc = "C1 vtl2 below a hole above ram accepted",
		.req = { C1(ML_GB(1)), ML_LIST(mmio, R(ML_GB(4), ML_GB(5))),
			 ML_VTL2(ML_GB(2), ML_GB(3)) },
	}, {
		/* SPEC R7, C2 */
		.desc = "C2 vtl2 above placed ram accepted",
		.req = { C2, ML_NODES(ML_GB(1), ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
			 ML_VTL2(ML_GB(3), ML_GB(4)) },
	},
};

KUNIT_ARRAY_PARAM(validate_vtl2_below_ram, validate_vtl2_below_ram_cases,
		  validate_case_desc);

/* SPEC R7 */
static void validate_rejects_vtl2_below_ram(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_too_many_cases[] = {
	{
		/* SPEC R8: ram */
		.desc = "max 2, three ram ranges",
		.req = { C3, .max_ranges = 2,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3)),
				 R(ML_GB(4), ML_GB(5))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, RAM, 2, NONE, 0),
	}, {
		/* SPEC R8: mmio */
		.desc = "max 2, three mmio gaps",
		.req = { C1(ML_GB(1)), .max_ranges = 2,
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5)),
				 R(ML_GB(6), ML_GB(7))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, MMIO, 2, NONE, 0),
	}, {
		/* SPEC R8: pci_ecam */
		.desc = "max 2, three pci_ecam holes",
		.req = { C1(ML_GB(1)), .max_ranges = 2,
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5)),
				 R(ML_GB(6), ML_GB(7))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, PCI_ECAM, 2, NONE, 0),
	}, {
		/* SPEC R8: pci_mmio */
		.desc = "max 2, three pci_mmio holes",
		.req = { C1(ML_GB(1)), .max_ranges = 2,
			 ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5)),
				 R(ML_GB(6), ML_GB(7))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, PCI_MMIO, 2, NONE, 0),
	}, {
		/* SPEC R8: nodes */
		.desc = "max 2, three nodes",
		.req = { C2, .max_ranges = 2, ML_NODES(ML_GB(1), ML_GB(1), ML_GB(1)) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, NODES, 2, NONE, 0),
	}, {
		/* SPEC R8: the index is max_ranges */
		.desc = "max 1, two ram ranges",
		.req = { C3, .max_ranges = 1,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, RAM, 1, NONE, 0),
	}, {
		/* SPEC R8: exactly max_ranges in every list */
		.desc = "max 2, two ranges in every list accepted",
		.req = { C3, .max_ranges = 2,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(1), ML_GB(2))),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(3), ML_GB(4))),
			 ML_LIST(pci_ecam, R(ML_GB(4), ML_GB(5)), R(ML_GB(5), ML_GB(6))),
			 ML_LIST(pci_mmio, R(ML_GB(6), ML_GB(7)), R(ML_GB(7), ML_GB(8))) },
	}, {
		/* SPEC R8: placed RAM (3 ranges) is not limited */
		.desc = "max 2, C1 placing three ram ranges accepted",
		.req = { C1(ML_GB(3)), .max_ranges = 2,
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(4))) },
	}, {
		/* SPEC R8: C1 does not read the ram list, so its length is moot */
		.desc = "max 1, C1 with an unused ram list of two accepted",
		.req = { C1(ML_GB(1)), .max_ranges = 1,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3))) },
	},
};

KUNIT_ARRAY_PARAM(validate_too_many, validate_too_many_cases, validate_case_desc);

/* SPEC R8 */
static void validate_rejects_too_many(struct kunit *test)
{
	validate_run(test);
}

static const struct validate_case validate_order_cases[] = {
	{
		/* SPEC R8 before R1 */
		.desc = "R8 nodes before R1 zero node",
		.req = { C2, .max_ranges = 2, ML_NODES(0, ML_GB(1), ML_GB(1)) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, NODES, 2, NONE, 0),
	}, {
		/* SPEC R8 before R2 */
		.desc = "R8 mmio before R2 empty mmio",
		.req = { C1(ML_GB(1)), .max_ranges = 1,
			 ML_LIST(mmio, R(ML_GB(4), ML_GB(4)), R(ML_GB(5), ML_GB(5))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R8 list order: ram first */
		.desc = "R8 ram before R8 mmio",
		.req = { C3, .max_ranges = 1,
			 ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(8), ML_GB(9))),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, RAM, 1, NONE, 0),
	}, {
		/* SPEC R8 list order: mmio before pci_ecam */
		.desc = "R8 mmio before R8 pci_ecam",
		.req = { C1(ML_GB(1)), .max_ranges = 1,
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5))),
			 ML_LIST(mmio, R(ML_GB(6), ML_GB(7)), R(ML_GB(8), ML_GB(9))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R8 list order: pci_ecam before pci_mmio */
		.desc = "R8 pci_ecam before R8 pci_mmio",
		.req = { C1(ML_GB(1)), .max_ranges = 1,
			 ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(4), ML_GB(5))),
			 ML_LIST(pci_ecam, R(ML_GB(6), ML_GB(7)), R(ML_GB(8), ML_GB(9))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, PCI_ECAM, 1, NONE, 0),
	}, {
		/* SPEC R8 list order: pci_mmio before nodes */
		.desc = "R8 pci_mmio before R8 nodes",
		.req = { C2, .max_ranges = 1, ML_NODES(ML_GB(1), ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(4), ML_GB(5)), R(ML_GB(6), ML_GB(7))) },
		.err = -E2BIG, .want = ML_ERR(TOO_MANY, PCI_MMIO, 1, NONE, 0),
	}, {
		/* SPEC R1 before R2 */
		.desc = "R1 zero size before R2 empty mmio",
		.req = { C1(0), ML_LIST(mmio, R(ML_GB(4), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R1 before R6 */
		.desc = "R1 zero node before R6 wrapping sum",
		.req = { C2, ML_NODES(1ULL << 63, 0, 1ULL << 63) },
		.err = -EINVAL, .want = ML_ERR(BAD_SIZE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R2 before R3 in one list */
		.desc = "R2 unaligned before R3 unsorted, same range",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(1), ML_GB(1) + 100)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R2 before R3 across lists */
		.desc = "R2 pci_mmio before R3 ram",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(2)), R(0, ML_MB(512))),
			 ML_LIST(pci_mmio, R(ML_GB(8), ML_GB(8))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2 list order: ram before mmio */
		.desc = "R2 ram index 1 before R2 mmio index 0",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(2) + 1)),
			 ML_LIST(mmio, R(ML_GB(4), ML_GB(3))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, RAM, 1, NONE, 0),
	}, {
		/* SPEC R2 list order: mmio before pci_ecam */
		.desc = "R2 mmio index 2 before R2 pci_ecam index 0",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(9), ML_GB(9))),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(2), ML_GB(3)),
				 R(ML_GB(4), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 2, NONE, 0),
	}, {
		/* SPEC R2 list order: pci_ecam before pci_mmio */
		.desc = "R2 pci_ecam before R2 pci_mmio",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(3), ML_GB(2))),
			 ML_LIST(pci_ecam, R(ML_GB(4), ML_GB(4) + 1)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_ECAM, 0, NONE, 0),
	}, {
		/* SPEC R2 list order: pci_mmio before vtl2 */
		.desc = "R2 pci_mmio before R2 empty vtl2",
		.req = { C1(ML_GB(1)), ML_LIST(pci_mmio, R(ML_GB(3), ML_GB(3))),
			 ML_VTL2(ML_GB(8), ML_GB(8)) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, PCI_MMIO, 0, NONE, 0),
	}, {
		/* SPEC R2: ascending index within a list */
		.desc = "R2 mmio index 1 before index 2",
		.req = { C1(ML_GB(1)),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(2)), R(ML_GB(3), ML_GB(3)),
				 R(ML_GB(5), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_RANGE, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3 list order: ram before mmio */
		.desc = "R3 ram before R3 mmio",
		.req = { C3, ML_LIST(ram, R(ML_GB(1), ML_GB(2)), R(0, ML_MB(512))),
			 ML_LIST(mmio, R(ML_GB(5), ML_GB(6)), R(ML_GB(3), ML_GB(4))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, RAM, 1, NONE, 0),
	}, {
		/* SPEC R3 list order: mmio before pci_ecam */
		.desc = "R3 mmio before R3 pci_ecam",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_ecam, R(ML_GB(3), ML_GB(4)), R(ML_GB(2), ML_GB(3))),
			 ML_LIST(mmio, R(ML_GB(8), ML_GB(10)), R(ML_GB(9), ML_GB(11))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3 list order: pci_ecam before pci_mmio */
		.desc = "R3 pci_ecam before R3 pci_mmio",
		.req = { C1(ML_GB(1)),
			 ML_LIST(pci_mmio, R(ML_GB(3), ML_GB(4)), R(ML_GB(2), ML_GB(3))),
			 ML_LIST(pci_ecam, R(ML_GB(8), ML_GB(10)), R(ML_GB(9), ML_GB(11))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, PCI_ECAM, 1, NONE, 0),
	}, {
		/* SPEC R3 before R4 */
		.desc = "R3 unsorted mmio before R4 mmio overlapping ram",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(2))),
			 ML_LIST(mmio, R(ML_GB(3), ML_GB(4)), R(ML_GB(1), ML_GB(2))) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R3 before R6 */
		.desc = "R3 unsorted mmio before R6 wrapping placement",
		.req = { C1(ML_MAX),
			 ML_LIST(mmio, R(2 * ML_PAGE, 3 * ML_PAGE), R(0, ML_PAGE)) },
		.err = -EINVAL, .want = ML_ERR(BAD_ORDER, MMIO, 1, NONE, 0),
	}, {
		/* SPEC R6 before R4 */
		.desc = "R6 wrapping placement before R4 overlapping holes",
		.req = { C1(ML_MAX),
			 ML_LIST(mmio, R(ML_PAGE, 3 * ML_PAGE)),
			 ML_LIST(pci_ecam, R(2 * ML_PAGE, 4 * ML_PAGE)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6 before R4 (VTL2) */
		.desc = "R6 wrapping placement before R4 vtl2 in ram",
		.req = { C1(ML_MAX), ML_LIST(mmio, R(0, ML_PAGE)),
			 ML_VTL2(ML_GB(1), ML_GB(2)) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NONE, 0, NONE, 0),
	}, {
		/* SPEC R6 (C2) before R4 */
		.desc = "R6 nodes wrap before R4 overlapping holes",
		.req = { C2, ML_NODES(1ULL << 63, 1ULL << 63),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3))),
			 ML_LIST(pci_mmio, R(ML_GB(2), ML_GB(4))) },
		.err = -EOVERFLOW, .want = ML_ERR(TOO_LARGE, NODES, 1, NONE, 0),
	}, {
		/* SPEC R4 before R5 */
		.desc = "R4 overlapping holes before R5 no ram",
		.req = { C3, ML_LIST(mmio, R(ML_GB(1), ML_GB(3))),
			 ML_LIST(pci_ecam, R(ML_GB(2), ML_GB(4))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, MMIO, 0, PCI_ECAM, 0),
	}, {
		/* SPEC R4 before R7 */
		.desc = "R4 vtl2 overlapping ram before R7 vtl2 below ram",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3))),
			 ML_VTL2(ML_MB(512), ML_GB(1) + ML_MB(512)) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, VTL2, 0),
	}, {
		/* SPEC R4: the merge of RAM and holes is checked before VTL2 */
		.desc = "R4 ram-mmio pair before a lower vtl2 overlap",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3))),
			 ML_LIST(mmio, R(ML_GB(2) + ML_MB(512), ML_GB(4))),
			 ML_VTL2(ML_MB(512), ML_MB(512) + ML_PAGE) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 1, MMIO, 0),
	}, {
		/* SPEC R4: the lowest overlapping pair in address order */
		.desc = "R4 lowest of two overlapping pairs",
		.req = { C3, ML_LIST(ram, R(0, ML_GB(2)), R(ML_GB(4), ML_GB(6))),
			 ML_LIST(pci_ecam, R(ML_GB(5), ML_GB(7))),
			 ML_LIST(mmio, R(ML_GB(1), ML_GB(3))) },
		.err = -EEXIST, .want = ML_ERR(OVERLAP, RAM, 0, MMIO, 0),
	}, {
		/* SPEC R5 before R7 */
		.desc = "R5 no ram before R7",
		.req = { C3, ML_VTL2(0, ML_PAGE) },
		.err = -EINVAL, .want = ML_ERR(NO_RAM, RAM, 0, NONE, 0),
	},
};

KUNIT_ARRAY_PARAM(validate_order, validate_order_cases, validate_case_desc);

/* SPEC R1-R8: the first failing check in the documented order wins */
static void validate_check_order(struct kunit *test)
{
	validate_run(test);
}

/* SPEC R1-R8: the errno each rule maps to */
static void validate_rule_errno(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_BAD_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_BAD_RANGE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_BAD_ORDER), -EINVAL);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_OVERLAP), -EEXIST);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_NO_RAM), -EINVAL);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_TOO_LARGE), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_VTL2_BELOW_RAM), -EINVAL);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(MEMLAYOUT_RULE_TOO_MANY), -E2BIG);
}

static const struct memlayout_request good_layout = {
	C3, ML_LIST(ram, RN(0, ML_GB(1), 4)), ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

static const struct memlayout_request overlapping_layout = {
	C3, ML_LIST(ram, R(0, ML_GB(2))), ML_LIST(mmio, R(ML_GB(1), ML_GB(2))),
};

/* SPEC "a rejected request changes nothing": a layout built before survives */
static void validate_rejection_leaves_other_layouts_intact(struct kunit *test)
{
	static const struct memlayout_error overlap = ML_ERR(OVERLAP, RAM, 0, MMIO, 0);
	struct memlayout *l = ml_build_ok(test, &good_layout);
	long live;

	rcu_barrier();	/* let layouts put by earlier tests go first */
	live = memlayout_live();

	ml_expect_reject(test, &overlapping_layout, -EEXIST, &overlap);
	/* nothing was left allocated by the rejected request */
	KUNIT_EXPECT_EQ(test, memlayout_live(), live);
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_RAM, RN(0, ML_GB(1), 4));
	ML_EXPECT_LIST(test, l, MEMLAYOUT_LIST_MMIO, R(ML_GB(1), ML_GB(2)));
	KUNIT_EXPECT_EQ(test, memlayout_probe(l, ML_GB(1)), MEMLAYOUT_KIND_MMIO);
}

/*
 * SPEC R8: memlayout_check_counts() makes exactly the R8 check of
 * memlayout_build(), on the same rows.
 */
static void validate_check_counts_alone(struct kunit *test)
{
	static const struct memlayout_error none = {};
	const struct validate_case *t = test->param_value;
	struct memlayout_error err;
	int ret;

	memset(&err, 0xa5, sizeof(err));
	ret = memlayout_check_counts(&t->req, &err);
	if (t->want.rule == MEMLAYOUT_RULE_TOO_MANY) {
		KUNIT_EXPECT_EQ(test, ret, -E2BIG);
		ml_expect_error_eq(test, &err, &t->want);
	} else {
		KUNIT_EXPECT_EQ(test, ret, 0);
		ml_expect_error_eq(test, &err, &none);
	}
}

KUNIT_ARRAY_PARAM(validate_counts, validate_too_many_cases, validate_case_desc);

/* SPEC R8: memlayout_check_counts() reads only counts, not the arrays */
static void validate_check_counts_without_arrays(struct kunit *test)
{
	static const struct memlayout_error too_many =
		ML_ERR(TOO_MANY, PCI_ECAM, MEMLAYOUT_DEFAULT_MAX_RANGES, NONE, 0);
	static const struct memlayout_error nodes = ML_ERR(TOO_MANY, NODES, 3, NONE, 0);
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_SIZE,
		.nr_mmio = MEMLAYOUT_DEFAULT_MAX_RANGES,
		.nr_pci_ecam = MEMLAYOUT_DEFAULT_MAX_RANGES + 1,
	};
	struct memlayout_error err;

	KUNIT_ASSERT_EQ(test, memlayout_max_ranges(), MEMLAYOUT_DEFAULT_MAX_RANGES);
	KUNIT_EXPECT_EQ(test, memlayout_check_counts(&req, &err), -E2BIG);
	ml_expect_error_eq(test, &err, &too_many);

	req.source = MEMLAYOUT_FROM_NODES;
	req.nr_mmio = 3;
	req.nr_pci_ecam = 0;
	req.nr_nodes = 4;
	req.max_ranges = 3;
	KUNIT_EXPECT_EQ(test, memlayout_check_counts(&req, &err), -E2BIG);
	ml_expect_error_eq(test, &err, &nodes);
}

static struct kunit_case validate_cases[] = {
	KUNIT_CASE_PARAM(validate_rejects_bad_size, validate_bad_size_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_bad_range, validate_bad_range_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_bad_order, validate_bad_order_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_overlap, validate_overlap_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_no_ram, validate_no_ram_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_too_large, validate_too_large_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_vtl2_below_ram,
			 validate_vtl2_below_ram_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_too_many, validate_too_many_gen_params),
	KUNIT_CASE_PARAM(validate_check_order, validate_order_gen_params),
	KUNIT_CASE_PARAM(validate_check_counts_alone, validate_counts_gen_params),
	KUNIT_CASE(validate_check_counts_without_arrays),
	KUNIT_CASE(validate_rule_errno),
	KUNIT_CASE(validate_rejection_leaves_other_layouts_intact),
	{}
};

static struct kunit_suite validate_suite = {
	.name = "memlayout_validate",
	.test_cases = validate_cases,
};

kunit_test_suite(validate_suite);
