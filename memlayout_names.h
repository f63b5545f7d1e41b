/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlayout: the names of lists and range kinds. One table, included by
 * the core (memlayout_core.c: kernel messages, fdinfo) and by libmemlayout
 * (lib/names.c: the library's and memlayoutctl's output), so the two can
 * never name a list or a kind differently. Needs only the UAPI constants.
 * Not an API.
 */
#ifndef _MEMLAYOUT_NAMES_H
#define _MEMLAYOUT_NAMES_H

static const char * const memlayout_list_names[] = {
	[MEMLAYOUT_LIST_NONE] = "none",
	[MEMLAYOUT_LIST_RAM] = "ram",
	[MEMLAYOUT_LIST_MMIO] = "mmio",
	[MEMLAYOUT_LIST_PCI_ECAM] = "pci_ecam",
	[MEMLAYOUT_LIST_PCI_MMIO] = "pci_mmio",
	[MEMLAYOUT_LIST_VTL2] = "vtl2",
	[MEMLAYOUT_LIST_NODES] = "nodes",
	[MEMLAYOUT_LIST_PLACE] = "place",
};

static const char * const memlayout_kind_names[] = {
	[MEMLAYOUT_KIND_NONE] = "none",
	[MEMLAYOUT_KIND_RAM] = "ram",
	[MEMLAYOUT_KIND_MMIO] = "mmio",
	[MEMLAYOUT_KIND_PCI_ECAM] = "pci_ecam",
	[MEMLAYOUT_KIND_PCI_MMIO] = "pci_mmio",
};

#endif /* _MEMLAYOUT_NAMES_H */
