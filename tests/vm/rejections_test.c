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

/* Every rejection is tried on a file holding ex5, which must stay. */
FIXTURE(ex5) {
	int fd;
	uint64_t gen;
};

FIXTURE_SETUP(ex5)
{
	setup_pages();
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, set_lay(self->fd, &ex5, &self->gen));
	ASSERT_TRUE(check_model(self->fd, &ex5, self->gen));
}

FIXTURE_TEARDOWN(ex5)
{
	close(self->fd);
}

/* SPEC R1: C1 ram_size and C2 node sizes are non-zero multiples of 4 KiB. */
TEST_F(ex5, r1_c1_ram_size_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(0) });
	REJECT(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "R1: C1 ram_size 0");
}

TEST_F(ex5, r1_c1_ram_size_4095)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(4095) });
	REJECT(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "R1: C1 ram_size 4095");
}

TEST_F(ex5, r1_c1_ram_size_1g_4k_1_unaligned)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB + PG + 1) });
	REJECT(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "R1: C1 ram_size 1G+4K+1 (unaligned)");
}

TEST_F(ex5, r1_c2_node_1_size_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, 0, GiB) });
	REJECT(fd, &s, -EINVAL, 1, L_NODES, 1, 0, 0, "R1: C2 node 1 size 0");
}

TEST_F(ex5, r1_c2_node_2_unaligned)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, GiB, GiB + 512) });
	REJECT(fd, &s, -EINVAL, 1, L_NODES, 2, 0, 0, "R1: C2 node 2 unaligned");
}

TEST_F(ex5, r1_c2_with_no_node)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ .source = MEMLAYOUT_SOURCE_NODES });
	REJECT(fd, &s, -EINVAL, 1, L_NODES, 0, 0, 0, "R1: C2 with no node");
}

TEST_F(ex5, order_r1_before_r2_size_0_reversed_mmio)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(0), MMIO(R(2 * GiB, GiB)) });
	REJECT(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "order: R1 before R2 (size 0 + reversed mmio)");
}

/* SPEC R2: every range is page aligned, non-empty, ends at most at MAX_ADDRESS. */
TEST_F(ex5, r2_unaligned_mmio_start)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB + 1, 2 * GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "R2: unaligned mmio start");
}

TEST_F(ex5, r2_unaligned_pci_ecam_1_end)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB - 1)) });
	REJECT(fd, &s, -EINVAL, 2, L_ECAM, 1, 0, 0, "R2: unaligned pci_ecam[1] end");
}

TEST_F(ex5, r2_reversed_mmio_range)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(2 * GiB, GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "R2: reversed mmio range");
}

TEST_F(ex5, r2_empty_pci_mmio_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(4 * GiB, 5 * GiB), R(8 * GiB, 8 * GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_PMMIO, 1, 0, 0, "R2: empty pci_mmio[1]");
}

TEST_F(ex5, r2_c3_unaligned_ram_1_start)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB + 2048, 3 * GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_RAM, 1, 0, 0, "R2: C3 unaligned ram[1] start");
}

TEST_F(ex5, r2_c3_reversed_ram_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), R(3 * GiB, 2 * GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_RAM, 1, 0, 0, "R2: C3 reversed ram[1]");
}

TEST_F(ex5, r2_mmio_ending_above_max_address_2_64_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(MAXA - PG, ~0ULL)) });
	REJECT(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "R2: mmio ending above MAX_ADDRESS (2^64-1)");
}

TEST_F(ex5, r2_d7_empty_vtl2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 8 * GiB) });
	REJECT(fd, &s, -EINVAL, 2, L_VTL2, 0, 0, 0, "R2/D7: empty VTL2");
}

TEST_F(ex5, r2_unaligned_vtl2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB + 1, 9 * GiB) });
	REJECT(fd, &s, -EINVAL, 2, L_VTL2, 0, 0, 0, "R2: unaligned VTL2");
}

TEST_F(ex5, r2_reversed_vtl2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), VTL2(9 * GiB, 8 * GiB) });
	REJECT(fd, &s, -EINVAL, 2, L_VTL2, 0, 0, 0, "R2: reversed VTL2");
}

TEST_F(ex5, order_r2_mmio_before_r3_ram)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(2 * GiB, 3 * GiB), R(0, GiB)), MMIO(R(5 * GiB, 4 * GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "order: R2 (mmio) before R3 (ram)");
}

TEST_F(ex5, order_r2_on_pci_mmio_before_vtl2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(5 * GiB, 5 * GiB)), VTL2(9 * GiB, 8 * GiB) });
	REJECT(fd, &s, -EINVAL, 2, L_PMMIO, 0, 0, 0, "order: R2 on pci_mmio before VTL2");
}

TEST_F(ex5, order_r2_on_ram_before_mmio)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB + 1)), MMIO(R(2 * GiB, GiB)) });
	REJECT(fd, &s, -EINVAL, 2, L_RAM, 0, 0, 0, "order: R2 on ram before mmio");
}

/* SPEC R3: each list sorted and without overlap. */
TEST_F(ex5, r3_unsorted_mmio)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)) });
	REJECT(fd, &s, -EINVAL, 3, L_MMIO, 1, 0, 0, "R3: unsorted mmio");
}

TEST_F(ex5, r3_overlapping_pci_ecam)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB), R(GiB + 512 * MiB, 3 * GiB)) });
	REJECT(fd, &s, -EINVAL, 3, L_ECAM, 1, 0, 0, "R3: overlapping pci_ecam");
}

TEST_F(ex5, r3_overlapping_c3_ram_2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(3 * GiB - PG, 4 * GiB)) });
	REJECT(fd, &s, -EINVAL, 3, L_RAM, 2, 0, 0, "R3: overlapping C3 ram[2]");
}

TEST_F(ex5, r3_unsorted_pci_mmio_2_after_touching_pair)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(8 * GiB, 9 * GiB), R(9 * GiB, 10 * GiB),
					   R(8 * GiB, 8 * GiB + PG)) });
	REJECT(fd, &s, -EINVAL, 3, L_PMMIO, 2, 0, 0, "R3: unsorted pci_mmio[2] after touching pair");
}

TEST_F(ex5, r3_duplicate_mmio_range)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB), R(GiB, 2 * GiB)) });
	REJECT(fd, &s, -EINVAL, 3, L_MMIO, 1, 0, 0, "R3: duplicate mmio range");
}

TEST_F(ex5, order_r3_on_ram_before_pci_mmio)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(2 * GiB, 3 * GiB), R(0, GiB)),
				 PMMIO(R(9 * GiB, 10 * GiB), R(8 * GiB, 9 * GiB)) });
	REJECT(fd, &s, -EINVAL, 3, L_RAM, 1, 0, 0, "order: R3 on ram before pci_mmio");
}

TEST_F(ex5, order_r3_before_r4)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)),
				 ECAM(R(GiB, 2 * GiB)) });
	REJECT(fd, &s, -EINVAL, 3, L_MMIO, 1, 0, 0, "order: R3 before R4");
}

/* SPEC R4: no overlap across lists; the range that starts first is named. */
TEST_F(ex5, r4_c3_ram_0_overlaps_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 0, L_MMIO, 0, "R4: C3 ram[0] overlaps mmio[0]");
}

TEST_F(ex5, r4_mmio_0_overlaps_pci_ecam_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB + 512 * MiB, 3 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 0, L_ECAM, 0, "R4: mmio[0] overlaps pci_ecam[0]");
}

TEST_F(ex5, r4_pci_ecam_0_starts_first_overlaps_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(PG), MMIO(R(2 * GiB, 3 * GiB)),
				 ECAM(R(GiB + 512 * MiB, 2 * GiB + 512 * MiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_ECAM, 0, L_MMIO, 0, "R4: pci_ecam[0] starts first, overlaps mmio[0]");
}

TEST_F(ex5, r4_identical_mmio_and_pci_mmio)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(PG), MMIO(R(2 * GiB, 3 * GiB)), PMMIO(R(2 * GiB, 3 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 0, L_PMMIO, 0, "R4: identical mmio and pci_mmio");
}

TEST_F(ex5, r4_c3_ram_2_overlaps_pci_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(4 * GiB, 5 * GiB)),
				 PMMIO(R(4 * GiB + 512 * MiB, 6 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 2, L_PMMIO, 0, "R4: C3 ram[2] overlaps pci_mmio[0]");
}

TEST_F(ex5, r4_c3_ram_and_mmio_identical)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(GiB, 2 * GiB)), MMIO(R(GiB, 2 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 0, L_MMIO, 0, "R4: C3 ram and mmio identical");
}

TEST_F(ex5, r4_pci_mmio_inside_mmio)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(PG), MMIO(R(GiB, 4 * GiB)), PMMIO(R(2 * GiB, 3 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 0, L_PMMIO, 0, "R4: pci_mmio inside mmio");
}

TEST_F(ex5, r4_mmio_1_overlaps_pci_ecam_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(PG), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
				 ECAM(R(3 * GiB + 512 * MiB, 5 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 1, L_ECAM, 0, "R4: mmio[1] overlaps pci_ecam[0]");
}

TEST_F(ex5, r4_vtl2_inside_c3_ram_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, 2 * GiB)), VTL2(GiB, 3 * GiB) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 0, L_VTL2, 0, "R4: VTL2 inside C3 ram[0]");
}

TEST_F(ex5, r4_vtl2_starts_first_overlaps_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(4 * GiB, 5 * GiB)), VTL2(3 * GiB, 4 * GiB + PG) });
	REJECT(fd, &s, -EEXIST, 4, L_VTL2, 0, L_MMIO, 0, "R4: VTL2 starts first, overlaps mmio[0]");
}

TEST_F(ex5, r4_c1_placed_ram_runs_into_vtl2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(2 * GiB), VTL2(GiB, GiB + PG) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 0, L_VTL2, 0, "R4: C1 placed RAM runs into VTL2");
}

TEST_F(ex5, r4_vtl2_starting_inside_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)), MMIO(R(4 * GiB, 5 * GiB)),
				 VTL2(4 * GiB + 512 * MiB, 6 * GiB) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 0, L_VTL2, 0, "R4: VTL2 starting inside mmio[0]");
}

TEST_F(ex5, r4_vtl2_at_the_same_start_as_pci_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)), PMMIO(R(4 * GiB, 5 * GiB)), VTL2(4 * GiB, 4 * GiB + PG) });
	REJECT(fd, &s, -EEXIST, 4, L_PMMIO, 0, L_VTL2, 0, "R4: VTL2 at the same start as pci_mmio[0]");
}

TEST_F(ex5, r4_vtl2_overlaps_c2_ram_1_node_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, GiB), MMIO(R(GiB, 2 * GiB)),
				 VTL2(2 * GiB + 512 * MiB, 8 * GiB) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 1, L_VTL2, 0, "R4: VTL2 overlaps C2 ram[1] (node 1)");
}

TEST_F(ex5, order_r4_before_r5_no_ram_holes_overlap)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB, 2 * GiB)) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 0, L_ECAM, 0, "order: R4 before R5 (no RAM, holes overlap)");
}

TEST_F(ex5, order_vtl2_r4_before_r5)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), VTL2(GiB, 2 * GiB) });
	REJECT(fd, &s, -EEXIST, 4, L_MMIO, 0, L_VTL2, 0, "order: VTL2 R4 before R5");
}

TEST_F(ex5, order_r4_among_ranges_before_vtl2_s)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)), VTL2(2 * GiB + PG, 4 * GiB) });
	REJECT(fd, &s, -EEXIST, 4, L_RAM, 0, L_MMIO, 0, "order: R4 among ranges before VTL2's");
}

/* SPEC R5: a layout has RAM. */
TEST_F(ex5, r5_c3_with_nothing_at_all)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3_NORAM });
	REJECT(fd, &s, -EINVAL, 5, L_RAM, 0, 0, 0, "R5: C3 with nothing at all");
}

TEST_F(ex5, r5_c3_with_holes_only)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), ECAM(R(2 * GiB, 3 * GiB)),
				 PMMIO(R(3 * GiB, 4 * GiB)) });
	REJECT(fd, &s, -EINVAL, 5, L_RAM, 0, 0, 0, "R5: C3 with holes only");
}

TEST_F(ex5, r5_c3_with_a_hole_and_vtl2_only)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), VTL2(4 * GiB, 5 * GiB) });
	REJECT(fd, &s, -EINVAL, 5, L_RAM, 0, 0, 0, "R5: C3 with a hole and VTL2 only");
}

/* SPEC R6: RAM fits below MAX_ADDRESS. */
TEST_F(ex5, r6_c1_max_address_bytes_a_4k_hole)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(MAXA), MMIO(R(0, PG)) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "R6: C1 MAX_ADDRESS bytes + a 4K hole");
}

TEST_F(ex5, r6_c1_max_address_bytes_a_1g_hole)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(MAXA), PMMIO(R(GiB, 2 * GiB)) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "R6: C1 MAX_ADDRESS bytes + a 1G hole");
}

TEST_F(ex5, r6_c1_max_address_bytes_hole_at_the_top)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(MAXA), MMIO(R(MAXA - PG, MAXA)) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "R6: C1 MAX_ADDRESS bytes + hole at the top");
}

TEST_F(ex5, r6_c2_two_nodes_of_2_63)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(1ULL << 63, 1ULL << 63) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 two nodes of 2^63");
}

TEST_F(ex5, r6_c2_three_nodes_of_2_63_sum_wraps)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(1ULL << 63, 1ULL << 63, 1ULL << 63) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 three nodes of 2^63 (sum wraps)");
}

TEST_F(ex5, r6_c2_4k_max_address)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(PG, MAXA) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 4K + MAX_ADDRESS");
}

TEST_F(ex5, r6_c2_third_node_does_not_fit)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, MAXA - GiB, PG) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NODES, 2, 0, 0, "R6: C2 third node does not fit");
}

TEST_F(ex5, r6_c2_four_nodes_of_max_address)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(MAXA, MAXA, MAXA, MAXA) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 four nodes of MAX_ADDRESS");
}

TEST_F(ex5, order_r6_before_r4)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(MAXA), MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB + 512 * MiB, 3 * GiB)) });
	REJECT(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "order: R6 before R4");
}

/* SPEC R7: VTL2 lies above the end of RAM. */
TEST_F(ex5, r7_vtl2_between_c3_ram_0_and_ram_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + 64 * MiB) });
	REJECT(fd, &s, -EINVAL, 7, L_VTL2, 0, L_RAM, 1, "R7: VTL2 between C3 ram[0] and ram[1]");
}

TEST_F(ex5, r7_vtl2_below_all_ram)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(GiB, 2 * GiB)), VTL2(0, PG) });
	REJECT(fd, &s, -EINVAL, 7, L_VTL2, 0, L_RAM, 0, "R7: VTL2 below all RAM");
}

TEST_F(ex5, r7_vtl2_in_a_gap_below_the_last_ram_range)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(8 * GiB, 9 * GiB)),
				 MMIO(R(4 * GiB, 5 * GiB)), VTL2(6 * GiB, 7 * GiB) });
	REJECT(fd, &s, -EINVAL, 7, L_VTL2, 0, L_RAM, 2, "R7: VTL2 in a gap below the last RAM range");
}

/* UAPI MEMLAYOUT_REASON_FLAGS: unknown flag bits and sources, named by field. */
TEST_F(ex5, flags_unknown_set_flag_0x2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.flags = 2;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(flags),
		"unknown SET flag 0x2");
}

TEST_F(ex5, flags_unknown_set_flag_0x80000000)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.flags = 0x80000000U;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(flags),
		"unknown SET flag 0x80000000");
}

TEST_F(ex5, flags_vtl2_flag_plus_unknown_0x4)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 9 * GiB) });
	s.flags |= 4;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(flags),
		"VTL2 flag plus unknown 0x4");
}

TEST_F(ex5, flags_source_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.source = 0;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(source),
		"source 0");
}

TEST_F(ex5, flags_source_4)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.source = 4;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(source),
		"source 4");
}

TEST_F(ex5, flags_source_0xffffffff)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.source = 0xFFFFFFFFU;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(source),
		"source 0xffffffff");
}

TEST_F(ex5, flags_order_flags_before_source)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.flags = 2;
	s.source = 0;
	REJECTF(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, SET_FIELD(flags),
		"order: flags before source");
}

/*
 * UAPI MEMLAYOUT_REASON_RESERVED: a range's reserved member, a hole's or
 * VTL2's vnode; the reason names list, index and the member's offset.
 */
TEST_F(ex5, reserved_ram_1_reserved_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB), { GiB, 2 * GiB, 0, 1 }) });
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_RAM, 1, RANGE_FIELD(reserved),
		"ram[1].reserved = 1");
}

TEST_F(ex5, reserved_mmio_1_vnode_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB), { 3 * GiB, 4 * GiB, 1, 0 }) });
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_MMIO, 1, RANGE_FIELD(vnode),
		"mmio[1].vnode = 1");
}

TEST_F(ex5, reserved_pci_ecam_0_reserved_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), ECAM({ 3 * GiB, 4 * GiB, 0, 0x80000000U }) });
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_ECAM, 0, RANGE_FIELD(reserved),
		"pci_ecam[0].reserved set");
}

TEST_F(ex5, reserved_pci_mmio_2_vnode_9)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(3 * GiB, 4 * GiB), R(5 * GiB, 6 * GiB),
					   { 7 * GiB, 8 * GiB, 9, 0 }) });
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_PMMIO, 2, RANGE_FIELD(vnode),
		"pci_mmio[2].vnode = 9");
}

TEST_F(ex5, reserved_mmio_0_with_vnode_and_reserved_reserved_named_first)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO({ 3 * GiB, 4 * GiB, 1, 1 }) });
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_MMIO, 0, RANGE_FIELD(reserved),
		"mmio[0] with vnode and reserved: reserved named first");
}

TEST_F(ex5, reserved_order_hole_vnode_copy_in_before_r2_on_ram)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(2 * GiB, GiB)), MMIO({ 3 * GiB, 4 * GiB, 1, 0 }) });
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_MMIO, 0, RANGE_FIELD(vnode),
		"order: hole vnode (copy-in) before R2 on ram");
}

TEST_F(ex5, reserved_vtl2_with_vnode_3)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 9 * GiB) });
	s.vtl2.vnode = 3;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, RANGE_FIELD(vnode),
		"VTL2 with vnode 3");
}

TEST_F(ex5, reserved_vtl2_with_reserved_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 9 * GiB) });
	s.vtl2.reserved = 1;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, RANGE_FIELD(reserved),
		"VTL2 with reserved 1");
}

/* Without MEMLAYOUT_SET_VTL2 the whole vtl2 member is unused: it must be 0. */
TEST_F(ex5, vtl2_range_without_the_vtl2_flag)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.start = 8 * GiB;
	s.vtl2.end = 9 * GiB;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(vtl2),
		"vtl2 range without the VTL2 flag");
}

TEST_F(ex5, vtl2_end_without_the_vtl2_flag)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.end = PG;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(vtl2),
		"vtl2.end without the VTL2 flag");
}

TEST_F(ex5, vtl2_vnode_without_the_vtl2_flag)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.vnode = 1;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(vtl2),
		"vtl2.vnode without the VTL2 flag");
}

TEST_F(ex5, vtl2_reserved_without_the_vtl2_flag)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.reserved = 1;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(vtl2),
		"vtl2.reserved without the VTL2 flag");
}

/* Fields the chosen source (SPEC C1-C3) does not use: named by offset. */
TEST_F(ex5, unused_c2_with_ram_size_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB) });
	s.ram_size = GiB;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(ram_size),
		"C2 with ram_size set");
}

TEST_F(ex5, unused_c3_with_ram_size_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.ram_size = PG;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(ram_size),
		"C3 with ram_size set");
}

TEST_F(ex5, unused_c1_with_nr_nodes_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.nr_nodes = 1;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nr_nodes),
		"C1 with nr_nodes set");
}

TEST_F(ex5, unused_c1_with_nodes_ptr_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.nodes_ptr = U64P(&s);
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nodes_ptr),
		"C1 with nodes_ptr set");
}

TEST_F(ex5, unused_c3_with_nodes_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.nr_nodes = 2;
	s.nodes_ptr = U64P(&s);
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nr_nodes),
		"C3 with nodes set");
}

TEST_F(ex5, unused_c1_with_nr_ram_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.nr_ram = 1;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nr_ram),
		"C1 with nr_ram set");
}

TEST_F(ex5, unused_c1_with_ram_ptr_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB) });
	s.ram_ptr = U64P(ex5_ram);
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(ram_ptr),
		"C1 with ram_ptr set");
}

TEST_F(ex5, unused_c2_with_ram_list_set)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB) });
	s.ram_ptr = U64P(ex5_ram);
	s.nr_ram = 1;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nr_ram),
		"C2 with ram list set");
}

/*
 * UAPI: a pointer and its count are both zero or both set; either half
 * alone is -EINVAL (never -EFAULT), naming the pointer member.
 */
TEST_F(ex5, pair_c2_nodes_ptr_with_nr_nodes_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB) });
	s.nr_nodes = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nodes_ptr),
		"C2 nodes_ptr with nr_nodes 0");
}

TEST_F(ex5, pair_c3_ram_ptr_with_nr_ram_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.nr_ram = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(ram_ptr),
		"C3 ram_ptr with nr_ram 0");
}

TEST_F(ex5, pair_mmio_ptr_with_nr_mmio_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)) });
	s.nr_mmio = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(mmio_ptr),
		"mmio_ptr with nr_mmio 0");
}

TEST_F(ex5, pair_pci_ecam_ptr_with_count_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB)) });
	s.nr_pci_ecam = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(pci_ecam_ptr),
		"pci_ecam_ptr with count 0");
}

TEST_F(ex5, pair_pci_mmio_ptr_with_count_0)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(GiB, 2 * GiB)) });
	s.nr_pci_mmio = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(pci_mmio_ptr),
		"pci_mmio_ptr with count 0");
}

TEST_F(ex5, pair_c2_null_nodes_ptr_with_nr_nodes_2)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, GiB) });
	s.nodes_ptr = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(nodes_ptr),
		"C2 NULL nodes_ptr with nr_nodes 2");
}

TEST_F(ex5, pair_c3_null_ram_ptr_with_nr_ram_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.ram_ptr = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(ram_ptr),
		"C3 NULL ram_ptr with nr_ram 1");
}

TEST_F(ex5, pair_null_mmio_ptr_with_nr_mmio_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)) });
	s.mmio_ptr = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(mmio_ptr),
		"NULL mmio_ptr with nr_mmio 1");
}

TEST_F(ex5, pair_null_pci_ecam_ptr_with_nr_pci_ecam_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB)) });
	s.pci_ecam_ptr = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(pci_ecam_ptr),
		"NULL pci_ecam_ptr with nr_pci_ecam 1");
}

TEST_F(ex5, pair_null_pci_mmio_ptr_with_nr_pci_mmio_1)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(GiB, 2 * GiB)) });
	s.pci_mmio_ptr = 0;
	REJECTF(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, SET_FIELD(pci_mmio_ptr),
		"NULL pci_mmio_ptr with nr_pci_mmio 1");
}

/* A non-zero pointer that cannot be read: -EFAULT, reason all zero. */
TEST_F(ex5, fault_mmio_ptr_to_a_prot_none_page)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)) });
	s.mmio_ptr = U64P(PAGE_NONE);
	REJECT(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "mmio_ptr to a PROT_NONE page");
}

TEST_F(ex5, fault_c2_nodes_array_running_into_prot_none)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, GiB) });
	s.nodes_ptr = U64P(PAGE_NONE - sizeof(uint64_t));
	REJECT(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "C2 nodes array running into PROT_NONE");
}

TEST_F(ex5, fault_pci_ecam_array_of_2_whose_2nd_is_in_prot_none)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C2(GiB, GiB) });
	s.nodes_ptr = U64P(PAGE_NONE - sizeof(uint64_t));
	{
		mr_t *two = (mr_t *)(PAGE_NONE - sizeof(mr_t));

		two[0].start = GiB;
		two[0].end = 2 * GiB;
		two[0].vnode = 0;
		two[0].reserved = 0;
		s = mkset(&(struct lay){ C1(GiB) });
		s.pci_ecam_ptr = U64P(two);
		s.nr_pci_ecam = 2;
		REJECT(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "pci_ecam array of 2 whose 2nd is in PROT_NONE");
	}
}

TEST_F(ex5, fault_pci_mmio_ptr_with_upper_bits_set_valid_low_bits)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(4 * GiB, 5 * GiB)) });
	s.pci_mmio_ptr |= sizeof(void *) == 4 ? 1ULL << 32 : 1ULL << 63;
	REJECT(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "pci_mmio_ptr with upper bits set (valid low bits)");
}

TEST_F(ex5, fault_c3_ram_ptr_to_a_prot_none_page)
{
	struct memlayout_set s;
	int fd = self->fd;

	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.ram_ptr = U64P(PAGE_NONE);
	REJECT(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "C3 ram_ptr to a PROT_NONE page");
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
