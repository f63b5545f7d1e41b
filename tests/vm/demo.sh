#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The README's "make run": two example guests, shown by memlayoutctl.
set -x
# A 1 TiB x86 guest with MMIO gaps [1 GiB, 2 GiB) and [3 GiB, 4 GiB) and a
# VTL2 range above all RAM.
memlayoutctl --ram-size 1T --mmio 1G-2G --mmio 3G-4G --vtl2 0x10100000000-0x10140000000 \
	--probe 0 --probe 1G --probe 2G --probe 3G --probe 4G --probe 0x10080000000 \
	--probe 0x10100000000 --probe 0x10140000000
# Two vNUMA nodes of 3 GiB each, a PCI ECAM hole below 4 GiB and a PCI MMIO
# window: node 0 fills [0, 2 GiB) and [2.25 GiB, 3.25 GiB), node 1 follows.
memlayoutctl --node-size 3G --node-size 3G --pci-ecam 2G-0x90000000 --pci-mmio 0xe0000000-4G \
	--probe 0x7fffffff --probe 2G --probe 0xd0000000 --probe 0xe0000000 --probe 4G
# The same kind of guest placed by the kernel (SPEC C4, as OpenVMM's
# LayoutBuilder): 6 GiB on two nodes, the chipset pinned below 4 GiB, a
# 256 MiB ECAM, a 64 GiB 64-bit PCI window and 64 MiB of VTL2.
memlayoutctl --fixed chipset:mmio:0xfe000000-4G --mmio32 ecam:pci_ecam:256M/256M \
	--ram-request node0:3G/2M --ram-request node1:3G/1G \
	--mmio64 pci64:pci_mmio:64G/1G --post-mmio vtl2:vtl2:64M/2M \
	--probe 0xe0000000 --probe 5G --probe 8G
set +x
echo "# the same layout as JSON, for scripts:"
memlayoutctl --json --node-size 3G --node-size 3G --pci-ecam 2G-0x90000000 --pci-mmio 0xe0000000-4G
