// SPDX-License-Identifier: GPL-2.0
/*
 * rejections_test - every class of bad SET_LAYOUT input: the SPEC's rules
 * R1-R7 (R8 is in limits_test), the interface's reasons (unknown flags
 * and sources, reserved members, unused fields, pointer/count pairs) and
 * unreadable arrays; each must return the documented errno and reason
 * and leave the file's layout as it was (SPEC: a rejected request changes
 * nothing). Then random broken requests against the documented check
 * order (see ml_test.h).
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

#define SET_FIELD(m)	((uint32_t)offsetof(struct memlayout_set, m))
#define RANGE_FIELD(m)	((uint32_t)offsetof(struct memlayout_range, m))

/* The random rejections start from a file holding ex5. */
FIXTURE(ex5) {
	int fd;
	uint64_t gen;
};

FIXTURE_SETUP(ex5)
{
	self->fd = open_ex5(&self->gen);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ex5)
{
	close(self->fd);
}

/*
 * One bad SET_LAYOUT request per variant: the request as lists (struct
 * lay, turned into a struct memlayout_set by mkset()), up to two members
 * then overwritten (POKE, POKE_PTR), and the errno and reason it must
 * get. TAP names each case bad_set.<variant>.rejected.
 */
enum poke_ptr {
	PTR_NONE,		/* the value as it is */
	PTR_READABLE,		/* a readable array of ranges (ex5's RAM) */
	PTR_INTO_PROT_NONE,	/* the array's first @val bytes, then a PROT_NONE page */
	PTR_HIGH_BITS,		/* the pointer with a bit set above the address space */
};

struct poke {
	uint32_t off, size;	/* a member of struct memlayout_set; size 0: none */
	enum poke_ptr ptr;
	uint64_t val;
};

/* The reason of a SPEC rule (R1-R7): list and index, for R4 and R7 the other range. */
#define SPEC(r, l, i)		{ .rule = (r), .list = (l), .index = (i) }
#define SPEC2(r, l, i, ol, oi)	{ .rule = (r), .list = (l), .index = (i), \
				  .other_list = (ol), .other_index = (oi) }
/* MEMLAYOUT_REASON_RESERVED or _FLAGS: list/index and the member's offset. */
#define RESERVED(l, i, f)	{ .rule = MEMLAYOUT_REASON_RESERVED, .list = (l), .index = (i), \
				  .field = (f) }
#define FLAGS(l, i, f)		{ .rule = MEMLAYOUT_REASON_FLAGS, .list = (l), .index = (i), \
				  .field = (f) }

#define SET_SIZE(m)		((uint32_t)sizeof(((struct memlayout_set *)0)->m))
#define POKE(m, v)		{ SET_FIELD(m), SET_SIZE(m), PTR_NONE, (v) }
#define POKE_PTR(m, how, n)	{ SET_FIELD(m), SET_SIZE(m), (how), (n) }

FIXTURE(bad_set) {
	int fd;
	uint64_t gen;
};

FIXTURE_VARIANT(bad_set) {
	const char *what;	/* the check, as the log names it */
	struct lay l;
	struct poke poke[2];
	int err;
	struct memlayout_reason why;
};

FIXTURE_SETUP(bad_set)
{
	setup_pages();
	self->fd = open_ex5(&self->gen);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(bad_set)
{
	close(self->fd);
}

/* SPEC R1: C1 ram_size and C2 node sizes are non-zero multiples of 4 KiB. */
FIXTURE_VARIANT_ADD(bad_set, r1_c1_ram_size_0) {
	.what = "R1: C1 ram_size 0",
	.l = { C1(0) },
	.err = -EINVAL, .why = SPEC(1, L_NONE, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r1_c1_ram_size_4095) {
	.what = "R1: C1 ram_size 4095",
	.l = { C1(4095) },
	.err = -EINVAL, .why = SPEC(1, L_NONE, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r1_c1_ram_size_1g_4k_1_unaligned) {
	.what = "R1: C1 ram_size 1G+4K+1 (unaligned)",
	.l = { C1(GiB + PG + 1) },
	.err = -EINVAL, .why = SPEC(1, L_NONE, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r1_c2_node_1_size_0) {
	.what = "R1: C2 node 1 size 0",
	.l = { C2(GiB, 0, GiB) },
	.err = -EINVAL, .why = SPEC(1, L_NODES, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r1_c2_node_2_unaligned) {
	.what = "R1: C2 node 2 unaligned",
	.l = { C2(GiB, GiB, GiB + 512) },
	.err = -EINVAL, .why = SPEC(1, L_NODES, 2),
};

FIXTURE_VARIANT_ADD(bad_set, r1_c2_with_no_node) {
	.what = "R1: C2 with no node",
	.l = { .source = MEMLAYOUT_SOURCE_NODES },
	.err = -EINVAL, .why = SPEC(1, L_NODES, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_r1_before_r2_size_0_reversed_mmio) {
	.what = "order: R1 before R2 (size 0 + reversed mmio)",
	.l = { C1(0), MMIO(R(2 * GiB, GiB)) },
	.err = -EINVAL, .why = SPEC(1, L_NONE, 0),
};

/* SPEC R2: every range is page aligned, non-empty, ends at most at MAX_ADDRESS. */
FIXTURE_VARIANT_ADD(bad_set, r2_unaligned_mmio_start) {
	.what = "R2: unaligned mmio start",
	.l = { C1(GiB), MMIO(R(GiB + 1, 2 * GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r2_unaligned_pci_ecam_1_end) {
	.what = "R2: unaligned pci_ecam[1] end",
	.l = { C1(GiB), ECAM(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB - 1)) },
	.err = -EINVAL, .why = SPEC(2, L_ECAM, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r2_reversed_mmio_range) {
	.what = "R2: reversed mmio range",
	.l = { C1(GiB), MMIO(R(2 * GiB, GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r2_empty_pci_mmio_1) {
	.what = "R2: empty pci_mmio[1]",
	.l = { C1(GiB), PMMIO(R(4 * GiB, 5 * GiB), R(8 * GiB, 8 * GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_PMMIO, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r2_c3_unaligned_ram_1_start) {
	.what = "R2: C3 unaligned ram[1] start",
	.l = { C3(R(0, GiB), R(2 * GiB + 2048, 3 * GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_RAM, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r2_c3_reversed_ram_1) {
	.what = "R2: C3 reversed ram[1]",
	.l = { C3(R(0, GiB), R(3 * GiB, 2 * GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_RAM, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r2_mmio_ending_above_max_address_2_64_1) {
	.what = "R2: mmio ending above MAX_ADDRESS (2^64-1)",
	.l = { C1(GiB), MMIO(R(MAXA - PG, ~0ULL)) },
	.err = -EINVAL, .why = SPEC(2, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r2_d7_empty_vtl2) {
	.what = "R2/D7: empty VTL2",
	.l = { C1(GiB), VTL2(8 * GiB, 8 * GiB) },
	.err = -EINVAL, .why = SPEC(2, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r2_unaligned_vtl2) {
	.what = "R2: unaligned VTL2",
	.l = { C1(GiB), VTL2(8 * GiB + 1, 9 * GiB) },
	.err = -EINVAL, .why = SPEC(2, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r2_reversed_vtl2) {
	.what = "R2: reversed VTL2",
	.l = { C1(GiB), VTL2(9 * GiB, 8 * GiB) },
	.err = -EINVAL, .why = SPEC(2, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_r2_mmio_before_r3_ram) {
	.what = "order: R2 (mmio) before R3 (ram)",
	.l = { C3(R(2 * GiB, 3 * GiB), R(0, GiB)), MMIO(R(5 * GiB, 4 * GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_r2_on_pci_mmio_before_vtl2) {
	.what = "order: R2 on pci_mmio before VTL2",
	.l = { C1(GiB), PMMIO(R(5 * GiB, 5 * GiB)), VTL2(9 * GiB, 8 * GiB) },
	.err = -EINVAL, .why = SPEC(2, L_PMMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_r2_on_ram_before_mmio) {
	.what = "order: R2 on ram before mmio",
	.l = { C3(R(0, GiB + 1)), MMIO(R(2 * GiB, GiB)) },
	.err = -EINVAL, .why = SPEC(2, L_RAM, 0),
};

/* SPEC R3: each list sorted and without overlap. */
FIXTURE_VARIANT_ADD(bad_set, r3_unsorted_mmio) {
	.what = "R3: unsorted mmio",
	.l = { C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)) },
	.err = -EINVAL, .why = SPEC(3, L_MMIO, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r3_overlapping_pci_ecam) {
	.what = "R3: overlapping pci_ecam",
	.l = { C1(GiB), ECAM(R(GiB, 2 * GiB), R(GiB + 512 * MiB, 3 * GiB)) },
	.err = -EINVAL, .why = SPEC(3, L_ECAM, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r3_overlapping_c3_ram_2) {
	.what = "R3: overlapping C3 ram[2]",
	.l = { C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(3 * GiB - PG, 4 * GiB)) },
	.err = -EINVAL, .why = SPEC(3, L_RAM, 2),
};

FIXTURE_VARIANT_ADD(bad_set, r3_unsorted_pci_mmio_2_after_touching_pair) {
	.what = "R3: unsorted pci_mmio[2] after touching pair",
	.l = { C1(GiB),
		PMMIO(R(8 * GiB, 9 * GiB), R(9 * GiB, 10 * GiB), R(8 * GiB, 8 * GiB + PG)) },
	.err = -EINVAL, .why = SPEC(3, L_PMMIO, 2),
};

FIXTURE_VARIANT_ADD(bad_set, r3_duplicate_mmio_range) {
	.what = "R3: duplicate mmio range",
	.l = { C1(GiB), MMIO(R(GiB, 2 * GiB), R(GiB, 2 * GiB)) },
	.err = -EINVAL, .why = SPEC(3, L_MMIO, 1),
};

FIXTURE_VARIANT_ADD(bad_set, order_r3_on_ram_before_pci_mmio) {
	.what = "order: R3 on ram before pci_mmio",
	.l = { C3(R(2 * GiB, 3 * GiB), R(0, GiB)),
		PMMIO(R(9 * GiB, 10 * GiB), R(8 * GiB, 9 * GiB)) },
	.err = -EINVAL, .why = SPEC(3, L_RAM, 1),
};

FIXTURE_VARIANT_ADD(bad_set, order_r3_before_r4) {
	.what = "order: R3 before R4",
	.l = { C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)), ECAM(R(GiB, 2 * GiB)) },
	.err = -EINVAL, .why = SPEC(3, L_MMIO, 1),
};

/* SPEC R4: no overlap across lists; the range that starts first is named. */
FIXTURE_VARIANT_ADD(bad_set, r4_c3_ram_0_overlaps_mmio_0) {
	.what = "R4: C3 ram[0] overlaps mmio[0]",
	.l = { C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 0, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_mmio_0_overlaps_pci_ecam_0) {
	.what = "R4: mmio[0] overlaps pci_ecam[0]",
	.l = { C1(GiB), MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB + 512 * MiB, 3 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 0, L_ECAM, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_pci_ecam_0_starts_first_overlaps_mmio_0) {
	.what = "R4: pci_ecam[0] starts first, overlaps mmio[0]",
	.l = { C1(PG), MMIO(R(2 * GiB, 3 * GiB)), ECAM(R(GiB + 512 * MiB, 2 * GiB + 512 * MiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_ECAM, 0, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_identical_mmio_and_pci_mmio) {
	.what = "R4: identical mmio and pci_mmio",
	.l = { C1(PG), MMIO(R(2 * GiB, 3 * GiB)), PMMIO(R(2 * GiB, 3 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 0, L_PMMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_c3_ram_2_overlaps_pci_mmio_0) {
	.what = "R4: C3 ram[2] overlaps pci_mmio[0]",
	.l = { C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(4 * GiB, 5 * GiB)),
		PMMIO(R(4 * GiB + 512 * MiB, 6 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 2, L_PMMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_c3_ram_and_mmio_identical) {
	.what = "R4: C3 ram and mmio identical",
	.l = { C3(R(GiB, 2 * GiB)), MMIO(R(GiB, 2 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 0, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_pci_mmio_inside_mmio) {
	.what = "R4: pci_mmio inside mmio",
	.l = { C1(PG), MMIO(R(GiB, 4 * GiB)), PMMIO(R(2 * GiB, 3 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 0, L_PMMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_mmio_1_overlaps_pci_ecam_0) {
	.what = "R4: mmio[1] overlaps pci_ecam[0]",
	.l = { C1(PG),
		MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
		ECAM(R(3 * GiB + 512 * MiB, 5 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 1, L_ECAM, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_vtl2_inside_c3_ram_0) {
	.what = "R4: VTL2 inside C3 ram[0]",
	.l = { C3(R(0, 2 * GiB)), VTL2(GiB, 3 * GiB) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 0, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_vtl2_starts_first_overlaps_mmio_0) {
	.what = "R4: VTL2 starts first, overlaps mmio[0]",
	.l = { C1(GiB), MMIO(R(4 * GiB, 5 * GiB)), VTL2(3 * GiB, 4 * GiB + PG) },
	.err = -EEXIST, .why = SPEC2(4, L_VTL2, 0, L_MMIO, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_c1_placed_ram_runs_into_vtl2) {
	.what = "R4: C1 placed RAM runs into VTL2",
	.l = { C1(2 * GiB), VTL2(GiB, GiB + PG) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 0, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_vtl2_starting_inside_mmio_0) {
	.what = "R4: VTL2 starting inside mmio[0]",
	.l = { C3(R(0, GiB)), MMIO(R(4 * GiB, 5 * GiB)), VTL2(4 * GiB + 512 * MiB, 6 * GiB) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 0, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_vtl2_at_the_same_start_as_pci_mmio_0) {
	.what = "R4: VTL2 at the same start as pci_mmio[0]",
	.l = { C3(R(0, GiB)), PMMIO(R(4 * GiB, 5 * GiB)), VTL2(4 * GiB, 4 * GiB + PG) },
	.err = -EEXIST, .why = SPEC2(4, L_PMMIO, 0, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r4_vtl2_overlaps_c2_ram_1_node_1) {
	.what = "R4: VTL2 overlaps C2 ram[1] (node 1)",
	.l = { C2(GiB, GiB), MMIO(R(GiB, 2 * GiB)), VTL2(2 * GiB + 512 * MiB, 8 * GiB) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 1, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_r4_before_r5_no_ram_holes_overlap) {
	.what = "order: R4 before R5 (no RAM, holes overlap)",
	.l = { C3_NORAM, MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB, 2 * GiB)) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 0, L_ECAM, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_vtl2_r4_before_r5) {
	.what = "order: VTL2 R4 before R5",
	.l = { C3_NORAM, MMIO(R(GiB, 2 * GiB)), VTL2(GiB, 2 * GiB) },
	.err = -EEXIST, .why = SPEC2(4, L_MMIO, 0, L_VTL2, 0),
};

FIXTURE_VARIANT_ADD(bad_set, order_r4_among_ranges_before_vtl2_s) {
	.what = "order: R4 among ranges before VTL2's",
	.l = { C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)), VTL2(2 * GiB + PG, 4 * GiB) },
	.err = -EEXIST, .why = SPEC2(4, L_RAM, 0, L_MMIO, 0),
};

/* SPEC R5: a layout has RAM. */
FIXTURE_VARIANT_ADD(bad_set, r5_c3_with_nothing_at_all) {
	.what = "R5: C3 with nothing at all",
	.l = { C3_NORAM },
	.err = -EINVAL, .why = SPEC(5, L_RAM, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r5_c3_with_holes_only) {
	.what = "R5: C3 with holes only",
	.l = { C3_NORAM,
		MMIO(R(GiB, 2 * GiB)),
		ECAM(R(2 * GiB, 3 * GiB)),
		PMMIO(R(3 * GiB, 4 * GiB)) },
	.err = -EINVAL, .why = SPEC(5, L_RAM, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r5_c3_with_a_hole_and_vtl2_only) {
	.what = "R5: C3 with a hole and VTL2 only",
	.l = { C3_NORAM, MMIO(R(GiB, 2 * GiB)), VTL2(4 * GiB, 5 * GiB) },
	.err = -EINVAL, .why = SPEC(5, L_RAM, 0),
};

/* SPEC R6: RAM fits below MAX_ADDRESS. */
FIXTURE_VARIANT_ADD(bad_set, r6_c1_max_address_bytes_a_4k_hole) {
	.what = "R6: C1 MAX_ADDRESS bytes + a 4K hole",
	.l = { C1(MAXA), MMIO(R(0, PG)) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NONE, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c1_max_address_bytes_a_1g_hole) {
	.what = "R6: C1 MAX_ADDRESS bytes + a 1G hole",
	.l = { C1(MAXA), PMMIO(R(GiB, 2 * GiB)) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NONE, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c1_max_address_bytes_hole_at_the_top) {
	.what = "R6: C1 MAX_ADDRESS bytes + hole at the top",
	.l = { C1(MAXA), MMIO(R(MAXA - PG, MAXA)) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NONE, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c2_two_nodes_of_2_63) {
	.what = "R6: C2 two nodes of 2^63",
	.l = { C2(1ULL << 63, 1ULL << 63) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NODES, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c2_three_nodes_of_2_63_sum_wraps) {
	.what = "R6: C2 three nodes of 2^63 (sum wraps)",
	.l = { C2(1ULL << 63, 1ULL << 63, 1ULL << 63) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NODES, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c2_4k_max_address) {
	.what = "R6: C2 4K + MAX_ADDRESS",
	.l = { C2(PG, MAXA) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NODES, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c2_third_node_does_not_fit) {
	.what = "R6: C2 third node does not fit",
	.l = { C2(GiB, MAXA - GiB, PG) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NODES, 2),
};

FIXTURE_VARIANT_ADD(bad_set, r6_c2_four_nodes_of_max_address) {
	.what = "R6: C2 four nodes of MAX_ADDRESS",
	.l = { C2(MAXA, MAXA, MAXA, MAXA) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NODES, 1),
};

FIXTURE_VARIANT_ADD(bad_set, order_r6_before_r4) {
	.what = "order: R6 before R4",
	.l = { C1(MAXA), MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB + 512 * MiB, 3 * GiB)) },
	.err = -EOVERFLOW, .why = SPEC(6, L_NONE, 0),
};

/* SPEC R7: VTL2 lies above the end of RAM. */
FIXTURE_VARIANT_ADD(bad_set, r7_vtl2_between_c3_ram_0_and_ram_1) {
	.what = "R7: VTL2 between C3 ram[0] and ram[1]",
	.l = { C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + 64 * MiB) },
	.err = -EINVAL, .why = SPEC2(7, L_VTL2, 0, L_RAM, 1),
};

FIXTURE_VARIANT_ADD(bad_set, r7_vtl2_below_all_ram) {
	.what = "R7: VTL2 below all RAM",
	.l = { C3(R(GiB, 2 * GiB)), VTL2(0, PG) },
	.err = -EINVAL, .why = SPEC2(7, L_VTL2, 0, L_RAM, 0),
};

FIXTURE_VARIANT_ADD(bad_set, r7_vtl2_in_a_gap_below_the_last_ram_range) {
	.what = "R7: VTL2 in a gap below the last RAM range",
	.l = { C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(8 * GiB, 9 * GiB)),
		MMIO(R(4 * GiB, 5 * GiB)),
		VTL2(6 * GiB, 7 * GiB) },
	.err = -EINVAL, .why = SPEC2(7, L_VTL2, 0, L_RAM, 2),
};

/* UAPI MEMLAYOUT_REASON_FLAGS: unknown flag bits and sources, named by field. */
FIXTURE_VARIANT_ADD(bad_set, flags_unknown_set_flag_0x4) {
	.what = "unknown SET flag 0x4 (0x2 is DRY_RUN)",
	.l = { C1(GiB) },
	.poke = { POKE(flags, 4) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(flags)),
};

FIXTURE_VARIANT_ADD(bad_set, flags_unknown_set_flag_0x80000000) {
	.what = "unknown SET flag 0x80000000",
	.l = { C1(GiB) },
	.poke = { POKE(flags, 0x80000000U) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(flags)),
};

FIXTURE_VARIANT_ADD(bad_set, flags_vtl2_flag_plus_unknown_0x8) {
	.what = "VTL2 and DRY_RUN flags plus unknown 0x8",
	.l = { C1(GiB), VTL2(8 * GiB, 9 * GiB) },
	.poke = { POKE(flags, MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN | 8) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(flags)),
};

FIXTURE_VARIANT_ADD(bad_set, flags_source_0) {
	.what = "source 0",
	.l = { C1(GiB) },
	.poke = { POKE(source, 0) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(source)),
};

FIXTURE_VARIANT_ADD(bad_set, flags_source_5) {
	.what = "source 5 (4 is C4)",
	.l = { C1(GiB) },
	.poke = { POKE(source, 5) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(source)),
};

FIXTURE_VARIANT_ADD(bad_set, flags_source_0xffffffff) {
	.what = "source 0xffffffff",
	.l = { C1(GiB) },
	.poke = { POKE(source, 0xFFFFFFFFU) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(source)),
};

FIXTURE_VARIANT_ADD(bad_set, flags_order_flags_before_source) {
	.what = "order: flags before source",
	.l = { C1(GiB) },
	.poke = { POKE(flags, 4), POKE(source, 0) },
	.err = -EOPNOTSUPP, .why = FLAGS(L_NONE, 0, SET_FIELD(flags)),
};

/*
 * UAPI MEMLAYOUT_REASON_RESERVED: a range's reserved member, a hole's or
 * VTL2's vnode; the reason names list, index and the member's offset.
 */
FIXTURE_VARIANT_ADD(bad_set, reserved_ram_1_reserved_1) {
	.what = "ram[1].reserved = 1",
	.l = { C3(R(0, GiB), { GiB, 2 * GiB, 0, 1 }) },
	.err = -EINVAL, .why = RESERVED(L_RAM, 1, RANGE_FIELD(reserved)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_mmio_1_vnode_1) {
	.what = "mmio[1].vnode = 1",
	.l = { C1(GiB), MMIO(R(GiB, 2 * GiB), { 3 * GiB, 4 * GiB, 1, 0 }) },
	.err = -EINVAL, .why = RESERVED(L_MMIO, 1, RANGE_FIELD(vnode)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_pci_ecam_0_reserved_set) {
	.what = "pci_ecam[0].reserved set",
	.l = { C1(GiB), ECAM({ 3 * GiB, 4 * GiB, 0, 0x80000000U }) },
	.err = -EINVAL, .why = RESERVED(L_ECAM, 0, RANGE_FIELD(reserved)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_pci_mmio_2_vnode_9) {
	.what = "pci_mmio[2].vnode = 9",
	.l = { C1(GiB),
		PMMIO(R(3 * GiB, 4 * GiB), R(5 * GiB, 6 * GiB), { 7 * GiB, 8 * GiB, 9, 0 }) },
	.err = -EINVAL, .why = RESERVED(L_PMMIO, 2, RANGE_FIELD(vnode)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_mmio_0_with_vnode_and_reserved_reserved_named_first) {
	.what = "mmio[0] with vnode and reserved: reserved named first",
	.l = { C1(GiB), MMIO({ 3 * GiB, 4 * GiB, 1, 1 }) },
	.err = -EINVAL, .why = RESERVED(L_MMIO, 0, RANGE_FIELD(reserved)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_order_hole_vnode_copy_in_before_r2_on_ram) {
	.what = "order: hole vnode (copy-in) before R2 on ram",
	.l = { C3(R(2 * GiB, GiB)), MMIO({ 3 * GiB, 4 * GiB, 1, 0 }) },
	.err = -EINVAL, .why = RESERVED(L_MMIO, 0, RANGE_FIELD(vnode)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_vtl2_with_vnode_3) {
	.what = "VTL2 with vnode 3",
	.l = { C1(GiB), VTL2(8 * GiB, 9 * GiB) },
	.poke = { POKE(vtl2.vnode, 3) },
	.err = -EINVAL, .why = RESERVED(L_VTL2, 0, RANGE_FIELD(vnode)),
};

FIXTURE_VARIANT_ADD(bad_set, reserved_vtl2_with_reserved_1) {
	.what = "VTL2 with reserved 1",
	.l = { C1(GiB), VTL2(8 * GiB, 9 * GiB) },
	.poke = { POKE(vtl2.reserved, 1) },
	.err = -EINVAL, .why = RESERVED(L_VTL2, 0, RANGE_FIELD(reserved)),
};

/* Without MEMLAYOUT_SET_VTL2 the whole vtl2 member is unused: it must be 0. */
FIXTURE_VARIANT_ADD(bad_set, vtl2_range_without_the_vtl2_flag) {
	.what = "vtl2 range without the VTL2 flag",
	.l = { C1(GiB) },
	.poke = { POKE(vtl2.start, 8 * GiB), POKE(vtl2.end, 9 * GiB) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(vtl2)),
};

FIXTURE_VARIANT_ADD(bad_set, vtl2_end_without_the_vtl2_flag) {
	.what = "vtl2.end without the VTL2 flag",
	.l = { C1(GiB) },
	.poke = { POKE(vtl2.end, PG) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(vtl2)),
};

FIXTURE_VARIANT_ADD(bad_set, vtl2_vnode_without_the_vtl2_flag) {
	.what = "vtl2.vnode without the VTL2 flag",
	.l = { C1(GiB) },
	.poke = { POKE(vtl2.vnode, 1) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(vtl2)),
};

FIXTURE_VARIANT_ADD(bad_set, vtl2_reserved_without_the_vtl2_flag) {
	.what = "vtl2.reserved without the VTL2 flag",
	.l = { C1(GiB) },
	.poke = { POKE(vtl2.reserved, 1) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(vtl2)),
};

/* Fields the chosen source (SPEC C1-C3) does not use: named by offset. */
FIXTURE_VARIANT_ADD(bad_set, unused_c2_with_ram_size_set) {
	.what = "C2 with ram_size set",
	.l = { C2(GiB) },
	.poke = { POKE(ram_size, GiB) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(ram_size)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c3_with_ram_size_set) {
	.what = "C3 with ram_size set",
	.l = { C3(R(0, GiB)) },
	.poke = { POKE(ram_size, PG) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(ram_size)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c1_with_nr_nodes_set) {
	.what = "C1 with nr_nodes set",
	.l = { C1(GiB) },
	.poke = { POKE(nr_nodes, 1) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nr_nodes)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c1_with_nodes_ptr_set) {
	.what = "C1 with nodes_ptr set",
	.l = { C1(GiB) },
	.poke = { POKE_PTR(nodes_ptr, PTR_READABLE, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nodes_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c3_with_nodes_set) {
	.what = "C3 with nodes set",
	.l = { C3(R(0, GiB)) },
	.poke = { POKE(nr_nodes, 2), POKE_PTR(nodes_ptr, PTR_READABLE, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nr_nodes)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c1_with_nr_ram_set) {
	.what = "C1 with nr_ram set",
	.l = { C1(GiB) },
	.poke = { POKE(nr_ram, 1) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nr_ram)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c1_with_ram_ptr_set) {
	.what = "C1 with ram_ptr set",
	.l = { C1(GiB) },
	.poke = { POKE_PTR(ram_ptr, PTR_READABLE, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(ram_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, unused_c2_with_ram_list_set) {
	.what = "C2 with ram list set",
	.l = { C2(GiB) },
	.poke = { POKE_PTR(ram_ptr, PTR_READABLE, 0), POKE(nr_ram, 1) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nr_ram)),
};

/*
 * UAPI: a pointer and its count are both zero or both set; either half
 * alone is -EINVAL (never -EFAULT), naming the pointer member.
 */
FIXTURE_VARIANT_ADD(bad_set, pair_c2_nodes_ptr_with_nr_nodes_0) {
	.what = "C2 nodes_ptr with nr_nodes 0",
	.l = { C2(GiB) },
	.poke = { POKE(nr_nodes, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nodes_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_c3_ram_ptr_with_nr_ram_0) {
	.what = "C3 ram_ptr with nr_ram 0",
	.l = { C3(R(0, GiB)) },
	.poke = { POKE(nr_ram, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(ram_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_mmio_ptr_with_nr_mmio_0) {
	.what = "mmio_ptr with nr_mmio 0",
	.l = { C1(GiB), MMIO(R(GiB, 2 * GiB)) },
	.poke = { POKE(nr_mmio, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(mmio_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_pci_ecam_ptr_with_count_0) {
	.what = "pci_ecam_ptr with count 0",
	.l = { C1(GiB), ECAM(R(GiB, 2 * GiB)) },
	.poke = { POKE(nr_pci_ecam, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(pci_ecam_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_pci_mmio_ptr_with_count_0) {
	.what = "pci_mmio_ptr with count 0",
	.l = { C1(GiB), PMMIO(R(GiB, 2 * GiB)) },
	.poke = { POKE(nr_pci_mmio, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(pci_mmio_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_c2_null_nodes_ptr_with_nr_nodes_2) {
	.what = "C2 NULL nodes_ptr with nr_nodes 2",
	.l = { C2(GiB, GiB) },
	.poke = { POKE(nodes_ptr, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(nodes_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_c3_null_ram_ptr_with_nr_ram_1) {
	.what = "C3 NULL ram_ptr with nr_ram 1",
	.l = { C3(R(0, GiB)) },
	.poke = { POKE(ram_ptr, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(ram_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_null_mmio_ptr_with_nr_mmio_1) {
	.what = "NULL mmio_ptr with nr_mmio 1",
	.l = { C1(GiB), MMIO(R(GiB, 2 * GiB)) },
	.poke = { POKE(mmio_ptr, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(mmio_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_null_pci_ecam_ptr_with_nr_pci_ecam_1) {
	.what = "NULL pci_ecam_ptr with nr_pci_ecam 1",
	.l = { C1(GiB), ECAM(R(GiB, 2 * GiB)) },
	.poke = { POKE(pci_ecam_ptr, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(pci_ecam_ptr)),
};

FIXTURE_VARIANT_ADD(bad_set, pair_null_pci_mmio_ptr_with_nr_pci_mmio_1) {
	.what = "NULL pci_mmio_ptr with nr_pci_mmio 1",
	.l = { C1(GiB), PMMIO(R(GiB, 2 * GiB)) },
	.poke = { POKE(pci_mmio_ptr, 0) },
	.err = -EINVAL, .why = RESERVED(L_NONE, 0, SET_FIELD(pci_mmio_ptr)),
};

/* A non-zero pointer that cannot be read: -EFAULT, reason all zero. */
FIXTURE_VARIANT_ADD(bad_set, fault_mmio_ptr_to_a_prot_none_page) {
	.what = "mmio_ptr to a PROT_NONE page",
	.l = { C1(GiB), MMIO(R(GiB, 2 * GiB)) },
	.poke = { POKE_PTR(mmio_ptr, PTR_INTO_PROT_NONE, 0) },
	.err = -EFAULT,	/* reason all zero */
};

FIXTURE_VARIANT_ADD(bad_set, fault_c2_nodes_array_running_into_prot_none) {
	.what = "C2 nodes array running into PROT_NONE",
	.l = { C2(GiB, GiB) },
	.poke = { POKE_PTR(nodes_ptr, PTR_INTO_PROT_NONE, sizeof(uint64_t)) },
	.err = -EFAULT,	/* reason all zero */
};

FIXTURE_VARIANT_ADD(bad_set, fault_pci_ecam_array_of_2_whose_2nd_is_in_prot_none) {
	.what = "pci_ecam array of 2 whose 2nd is in PROT_NONE",
	.l = { C1(GiB), ECAM(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)) },
	.poke = { POKE_PTR(pci_ecam_ptr, PTR_INTO_PROT_NONE, sizeof(mr_t)) },
	.err = -EFAULT,	/* reason all zero */
};

FIXTURE_VARIANT_ADD(bad_set, fault_pci_mmio_ptr_with_upper_bits_set_valid_low_bits) {
	.what = "pci_mmio_ptr with upper bits set (valid low bits)",
	.l = { C1(GiB), PMMIO(R(4 * GiB, 5 * GiB)) },
	.poke = { POKE_PTR(pci_mmio_ptr, PTR_HIGH_BITS, 0) },
	.err = -EFAULT,	/* reason all zero */
};

FIXTURE_VARIANT_ADD(bad_set, fault_c3_ram_ptr_to_a_prot_none_page) {
	.what = "C3 ram_ptr to a PROT_NONE page",
	.l = { C3(R(0, GiB)) },
	.poke = { POKE_PTR(ram_ptr, PTR_INTO_PROT_NONE, 0) },
	.err = -EFAULT,	/* reason all zero */
};

/* Overwrite one member of @s as @p says. */
static void apply_poke(struct memlayout_set *s, const struct poke *p)
{
	unsigned char *at = (unsigned char *)s + p->off;
	uint64_t v = p->val, cur = 0;
	uint32_t v32;

	memcpy(&cur, at, p->size);	/* x86: little-endian */
	switch (p->ptr) {
	case PTR_NONE:
		break;
	case PTR_READABLE:
		v = U64P(ex5_ram);
		break;
	case PTR_INTO_PROT_NONE:
		memcpy(PAGE_NONE - p->val, (const void *)(uintptr_t)cur, p->val);
		v = U64P(PAGE_NONE - p->val);
		break;
	case PTR_HIGH_BITS:
		v = cur | (sizeof(void *) == 4 ? 1ULL << 32 : 1ULL << 63);
		break;
	}
	if (p->size == sizeof(v32)) {
		v32 = (uint32_t)v;
		memcpy(at, &v32, sizeof(v32));
	} else {
		memcpy(at, &v, sizeof(v));
	}
}

/* The variant's request fails as it says, and the ex5 layout stays. */
TEST_F(bad_set, rejected)
{
	struct memlayout_set s = mkset(&variant->l);
	const struct memlayout_reason *w = &variant->why;
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(variant->poke); i++)
		if (variant->poke[i].size)
			apply_poke(&s, &variant->poke[i]);
	EXPECT_TRUE(rej_reason(self->fd, &s, variant->err, w, variant->what));
}

/*
 * Random valid requests broken in 1-3 ways: errno and reason as
 * model_validate() derives them from the documented check order
 * (Documentation/memlayout.rst), old layout intact on every rejection.
 */
TEST_F_TIMEOUT(ex5, random_rejections, 180)
{
	unsigned int count = 1000;
	int fd = self->fd;
	static struct rlay r;
	unsigned int i, bad = 0, hits[9] = { 0 };
	struct snap before;
	uint64_t cur = self->gen;

	rng_state = 0xBAD5EEDULL;
	for (i = 0; i < count; i++) {
		struct memlayout_set s;
		struct verdict v;
		bool ok = true;
		int err;

		random_lay(&r);
		mutate(&r);
		v = model_validate(&r.l);
		hits[v.rule]++;
		s = mkset(&r.l);
		take_snap(fd, &before);
		err = do_set(fd, &s);
		if (err != v.err || s.reason.rule != v.rule || s.reason.list != v.list ||
		    s.reason.index != v.index || s.reason.other_list != v.olist ||
		    s.reason.other_index != v.oindex || s.reason.field) {
			diag("case %u: expected %s %s %s/%u other %s/%u, got %s %s %s/%u other %s/%u",
			     i, errname(v.err), rulename(v.rule), listname(v.list), v.index,
			     listname(v.olist), v.oindex, errname(err), rulename(s.reason.rule),
			     listname(s.reason.list), s.reason.index,
			     listname(s.reason.other_list), s.reason.other_index);
			ok = false;
		} else if (!err) {
			ok = s.generation == cur + 1 && check_model(fd, &r.l, s.generation);
		} else {
			ok = snap_same(fd, &before);
		}
		if (!err)
			cur = s.generation;
		if (!ok && ++bad >= 3)
			diag_muted = 1;
	}
	note("random rejections: valid %u, R1 %u, R2 %u, R3 %u, R4 %u, R5 %u, R6 %u, R7 %u",
	     hits[0], hits[1], hits[2], hits[3], hits[4], hits[5], hits[6], hits[7]);
	CHECK(bad == 0, "%u randomly broken requests: errno and reason as the documented check order says, old layout intact (%u wrong)",
	      count, bad);
}

TEST_HARNESS_MAIN
