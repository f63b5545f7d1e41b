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
set +x
echo "# the same layout as JSON, for scripts:"
memlayoutctl --json --node-size 3G --node-size 3G --pci-ecam 2G-0x90000000 --pci-mmio 0xe0000000-4G
