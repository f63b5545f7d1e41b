/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * memlayout: guest-physical memory layouts for virtual machines.
 *
 * Values shared by the in-kernel API and userspace: range kinds, the lists a
 * layout request is made of, the validation rules a rejection names, and the
 * range record both sides exchange.
 */
#ifndef _UAPI_LINUX_MEMLAYOUT_H
#define _UAPI_LINUX_MEMLAYOUT_H

#include <linux/types.h>
#include <linux/ioctl.h>

/**
 * DOC: Address conventions
 *
 * Every range is half-open, ``[start, end)``, with ``start < end``. Both ends
 * are multiples of %MEMLAYOUT_PAGE_SIZE and ``end <= MEMLAYOUT_MAX_ADDRESS``
 * (2^64 - 4096), so an end is always representable and no range can wrap.
 */
#define MEMLAYOUT_PAGE_SIZE	4096ULL
#define MEMLAYOUT_MAX_ADDRESS	(~0ULL - MEMLAYOUT_PAGE_SIZE + 1)

/**
 * DOC: Range kinds
 *
 * What backs a guest-physical address (SPEC Q9). The three hole kinds are
 * never RAM. The VTL2 range is not a kind: it probes as %MEMLAYOUT_KIND_NONE.
 *
 * * %MEMLAYOUT_KIND_NONE - no range covers the address (or it is VTL2).
 * * %MEMLAYOUT_KIND_RAM - guest RAM.
 * * %MEMLAYOUT_KIND_MMIO - an MMIO gap.
 * * %MEMLAYOUT_KIND_PCI_ECAM - a PCI ECAM (config space) window.
 * * %MEMLAYOUT_KIND_PCI_MMIO - a PCI MMIO (BAR) window.
 */
#define MEMLAYOUT_KIND_NONE	0
#define MEMLAYOUT_KIND_RAM	1
#define MEMLAYOUT_KIND_MMIO	2
#define MEMLAYOUT_KIND_PCI_ECAM	3
#define MEMLAYOUT_KIND_PCI_MMIO	4
#define MEMLAYOUT_NR_KINDS	5

/**
 * DOC: Lists
 *
 * A layout request is made of lists; a rejection names the list (and the
 * index in it) that broke a rule. The four range lists use the same value
 * as the kind of range they hold.
 *
 * * %MEMLAYOUT_LIST_NONE - the rejection is not about one list.
 * * %MEMLAYOUT_LIST_RAM - explicit RAM ranges (C3) or placed RAM (C1/C2).
 * * %MEMLAYOUT_LIST_MMIO - MMIO gaps.
 * * %MEMLAYOUT_LIST_PCI_ECAM - PCI ECAM holes.
 * * %MEMLAYOUT_LIST_PCI_MMIO - PCI MMIO holes.
 * * %MEMLAYOUT_LIST_VTL2 - the VTL2 range (index 0).
 * * %MEMLAYOUT_LIST_NODES - the per-node RAM sizes of C2.
 */
#define MEMLAYOUT_LIST_NONE	0
#define MEMLAYOUT_LIST_RAM	MEMLAYOUT_KIND_RAM
#define MEMLAYOUT_LIST_MMIO	MEMLAYOUT_KIND_MMIO
#define MEMLAYOUT_LIST_PCI_ECAM	MEMLAYOUT_KIND_PCI_ECAM
#define MEMLAYOUT_LIST_PCI_MMIO	MEMLAYOUT_KIND_PCI_MMIO
#define MEMLAYOUT_LIST_VTL2	5
#define MEMLAYOUT_LIST_NODES	6
#define MEMLAYOUT_NR_LISTS	7

/**
 * DOC: Rules
 *
 * The SPEC rule a rejected request broke, with the errno it maps to.
 *
 * * %MEMLAYOUT_RULE_NONE - accepted, or failed for a reason that is not a
 *   rule (for example -ENOMEM).
 * * %MEMLAYOUT_RULE_BAD_SIZE - R1, -EINVAL: the RAM size or a node size is
 *   zero or not page aligned, or C2 has no node.
 * * %MEMLAYOUT_RULE_BAD_RANGE - R2, -EINVAL: a range is empty, reversed,
 *   unaligned or ends above %MEMLAYOUT_MAX_ADDRESS.
 * * %MEMLAYOUT_RULE_BAD_ORDER - R3, -EINVAL: a list is not sorted or two of
 *   its ranges overlap.
 * * %MEMLAYOUT_RULE_OVERLAP - R4, -EEXIST: two ranges of different lists (or
 *   VTL2 and a range) overlap.
 * * %MEMLAYOUT_RULE_NO_RAM - R5, -EINVAL: the layout would hold no RAM.
 * * %MEMLAYOUT_RULE_TOO_LARGE - R6, -EOVERFLOW: placed RAM would end above
 *   %MEMLAYOUT_MAX_ADDRESS or the sizes wrap 64 bits.
 * * %MEMLAYOUT_RULE_VTL2_BELOW_RAM - R7, -EINVAL: VTL2 starts below the end
 *   of RAM.
 * * %MEMLAYOUT_RULE_TOO_MANY - R8, -E2BIG: a list holds more ranges than the
 *   configured maximum.
 */
#define MEMLAYOUT_RULE_NONE		0
#define MEMLAYOUT_RULE_BAD_SIZE		1
#define MEMLAYOUT_RULE_BAD_RANGE	2
#define MEMLAYOUT_RULE_BAD_ORDER	3
#define MEMLAYOUT_RULE_OVERLAP		4
#define MEMLAYOUT_RULE_NO_RAM		5
#define MEMLAYOUT_RULE_TOO_LARGE	6
#define MEMLAYOUT_RULE_VTL2_BELOW_RAM	7
#define MEMLAYOUT_RULE_TOO_MANY		8

/**
 * struct memlayout_range - one guest-physical range
 * @start: first byte, page aligned.
 * @end: one past the last byte, page aligned, ``start < end <=
 *       MEMLAYOUT_MAX_ADDRESS``.
 * @vnode: virtual NUMA node of a RAM range; ignored for holes and VTL2.
 * @reserved: must be zero.
 *
 * 24 bytes, no implicit padding, identical for 32- and 64-bit processes.
 */
struct memlayout_range {
	__aligned_u64 start;
	__aligned_u64 end;
	__u32 vnode;
	__u32 reserved;
};

#endif /* _UAPI_LINUX_MEMLAYOUT_H */
