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
 * * %MEMLAYOUT_LIST_PLACE - the placement requests of C4; the index is
 *   the request's position in the array SET_LAYOUT was given.
 */
#define MEMLAYOUT_LIST_NONE	0
#define MEMLAYOUT_LIST_RAM	MEMLAYOUT_KIND_RAM
#define MEMLAYOUT_LIST_MMIO	MEMLAYOUT_KIND_MMIO
#define MEMLAYOUT_LIST_PCI_ECAM	MEMLAYOUT_KIND_PCI_ECAM
#define MEMLAYOUT_LIST_PCI_MMIO	MEMLAYOUT_KIND_PCI_MMIO
#define MEMLAYOUT_LIST_VTL2	5
#define MEMLAYOUT_LIST_NODES	6
#define MEMLAYOUT_LIST_PLACE	7

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
 *   configured maximum (for placement: a class holds more requests, or
 *   the placed layout more ranges of one list, e.g. RAM split into many
 *   extents, or holes of one kind from several classes).
 * * %MEMLAYOUT_RULE_PLACE_SIZE - P1, -EINVAL: a placement request's size
 *   is zero or not a multiple of %MEMLAYOUT_PAGE_SIZE.
 * * %MEMLAYOUT_RULE_PLACE_ALIGN - P2, -EINVAL: a placement request's
 *   alignment is not a power of two of at least %MEMLAYOUT_PAGE_SIZE.
 * * %MEMLAYOUT_RULE_PINNED_OVERLAP - P3, -EEXIST: two reserved or fixed
 *   ranges overlap.
 * * %MEMLAYOUT_RULE_EXHAUSTED - P4, -ENOSPC: a placement request found no
 *   room in its phase.
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
#define MEMLAYOUT_RULE_PLACE_SIZE	9
#define MEMLAYOUT_RULE_PLACE_ALIGN	10
#define MEMLAYOUT_RULE_PINNED_OVERLAP	11
#define MEMLAYOUT_RULE_EXHAUSTED	12

/**
 * DOC: Interface reasons
 *
 * Rejections by the ioctl layer that no SPEC rule covers also carry a
 * reason (in &struct memlayout_reason.rule), numbered from 16 so they can
 * never be mistaken for a rule. Each names the offending member in
 * &struct memlayout_reason.field:
 *
 * * %MEMLAYOUT_REASON_FLAGS - -EOPNOTSUPP: an unknown flag bit or source.
 * * %MEMLAYOUT_REASON_RESERVED - -EINVAL: a reserved field is not zero, a
 *   hole or VTL2 range has a non-zero vnode, a field the chosen source
 *   does not use is not zero, or an array pointer and its count are not
 *   both zero or both set.
 * * %MEMLAYOUT_REASON_SIZE - -E2BIG: @size is larger than a page, or the
 *   struct has non-zero bytes past the end the kernel knows. Unlike every
 *   other framing error, SET_LAYOUT writes its reply for this one, so that
 *   -E2BIG always comes with a reason: this one or
 *   %MEMLAYOUT_RULE_TOO_MANY (R8).
 *
 * The highest value a kernel can write is in &struct memlayout_info.max_rule.
 */
#define MEMLAYOUT_REASON_FLAGS		16
#define MEMLAYOUT_REASON_RESERVED	17
#define MEMLAYOUT_REASON_SIZE		18

/**
 * struct memlayout_range - one guest-physical range
 * @start: first byte, page aligned.
 * @end: one past the last byte, page aligned, ``start < end <=
 *       MEMLAYOUT_MAX_ADDRESS``.
 * @vnode: virtual NUMA node of a RAM range; must be 0 for holes and VTL2
 *         (rejected with %MEMLAYOUT_REASON_RESERVED otherwise).
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

/**
 * DOC: General ioctl format
 *
 * Every command is ``_IO(MEMLAYOUT_IOC_MAGIC, nr)``, as iommufd's are: the
 * command never encodes a size, so it stays the same number when its
 * struct grows (seccomp filters and strace keep working). Its argument is
 * a pointer to a struct whose first two members are ``__u32 size`` and
 * ``__u32 flags``. @size is sizeof the struct as the caller knows it; the
 * kernel accepts any size from the first version's
 * (``MEMLAYOUT_*_SIZE_VER0``) up to a page: a shorter struct is read as if
 * zero-extended, a longer one must be zero past what the kernel knows. The
 * reply is written back over min(size, kernel's size) bytes.
 *
 * What the running kernel supports (commands, flags, sources, the number
 * of kinds, lists and reasons, limits) is reported at run time by
 * MEMLAYOUT_IOC_GET_INFO; this header deliberately has no compile-time
 * masks or counts, which would be wrong as soon as the header and the
 * kernel differ.
 *
 * An array is a user address plus a count; both are zero, or both are
 * set. Either half missing is -EINVAL, never -EFAULT.
 *
 * Errors common to every command:
 *
 * * -ENOTTY - unknown command.
 * * -EFAULT - the argument, or an array it points to, cannot be accessed.
 *   Only the elements a call really copies are accessed: GET_RANGES on a
 *   list that turns out empty does not touch its buffer.
 * * -E2BIG - @size is larger than a page, or the struct has non-zero
 *   bytes past the end the kernel knows (SET_LAYOUT then writes
 *   %MEMLAYOUT_REASON_SIZE); SET_LAYOUT: a list has more ranges than the
 *   max_ranges module parameter allows (SPEC R8, %MEMLAYOUT_RULE_TOO_MANY);
 *   PROBE: more addresses than &struct memlayout_info.max_probe.
 * * -EINVAL - @size is smaller than the first version (nothing is written
 *   back); a reserved field is not zero; an array pointer and its count
 *   are not both zero or both set.
 * * -EOPNOTSUPP - an unknown flag bit or enum value.
 * * -ENOENT - the file holds no layout yet (queries and probes).
 * * -ENOMEM - out of memory (allocations are charged to the caller's
 *   memory cgroup); the file's previous layout stays.
 *
 * MEMLAYOUT_IOC_SET_LAYOUT adds the errnos of the SPEC rules (see Rules:
 * with C4 also -EEXIST for P3 and -ENOSPC for P4) and writes the reason
 * back. MEMLAYOUT_IOC_GET_RANGES, MEMLAYOUT_IOC_GET_LAYOUT and
 * MEMLAYOUT_IOC_GET_PLACEMENTS add -EMSGSIZE.
 */
#define MEMLAYOUT_IOC_MAGIC	0xBA

/**
 * struct memlayout_info - MEMLAYOUT_IOC_GET_INFO: what this kernel supports
 * @size: in: sizeof(struct memlayout_info).
 * @flags: in: must be 0.
 * @api_version: out: 1. Raised only if a command changes incompatibly,
 *               which this interface avoids by adding commands instead.
 * @max_ranges: out: the R8 limit per list (the max_ranges parameter).
 * @max_probe: out: most addresses one MEMLAYOUT_IOC_PROBE accepts.
 * @set_flags: out: flag bits MEMLAYOUT_IOC_SET_LAYOUT accepts.
 * @page_size: out: %MEMLAYOUT_PAGE_SIZE.
 * @max_address: out: %MEMLAYOUT_MAX_ADDRESS.
 * @nr_kinds: out: kinds are ``0 .. nr_kinds - 1`` (``MEMLAYOUT_KIND_*``).
 * @nr_lists: out: lists are ``0 .. nr_lists - 1`` (``MEMLAYOUT_LIST_*``).
 * @max_rule: out: the highest ``MEMLAYOUT_RULE_*`` or
 *            ``MEMLAYOUT_REASON_*`` value a rejection can carry.
 * @sources: out: bit N is set when ``MEMLAYOUT_SOURCE_*`` value N is
 *           accepted by MEMLAYOUT_IOC_SET_LAYOUT.
 * @probe_flags: out: flag bits MEMLAYOUT_IOC_PROBE accepts.
 * @get_ranges_flags: out: flag bits MEMLAYOUT_IOC_GET_RANGES accepts.
 * @commands: out: bit N is set when the command ``_IO(0xBA, N)`` exists
 *            (N < 64), as KVM_CHECK_EXTENSION answers for KVM.
 * @nr_classes: out: placement classes are ``1 .. nr_classes``
 *              (``MEMLAYOUT_CLASS_*``); 0 when C4 is not supported.
 * @max_devices: out: most devices one MEMLAYOUT_IOC_CHECK_HOST names
 *               (&struct memlayout_check_host.nr_devices); 0 when host fit
 *               is not supported (this member was reserved, and 0, before).
 */
struct memlayout_info {
	__u32 size;
	__u32 flags;
	__u32 api_version;
	__u32 max_ranges;
	__u32 max_probe;
	__u32 set_flags;
	__aligned_u64 page_size;
	__aligned_u64 max_address;
	__u32 nr_kinds;
	__u32 nr_lists;
	__u32 max_rule;
	__u32 sources;
	__u32 probe_flags;
	__u32 get_ranges_flags;
	__aligned_u64 commands;
	__u32 nr_classes;
	__u32 max_devices;
};

#define MEMLAYOUT_INFO_SIZE_VER0	72
#define MEMLAYOUT_INFO_SIZE_VER1	80	/* + nr_classes */

/* Sources of RAM for &struct memlayout_set.source (SPEC C1-C4). */
#define MEMLAYOUT_SOURCE_SIZE		1
#define MEMLAYOUT_SOURCE_NODES		2
#define MEMLAYOUT_SOURCE_RANGES		3
#define MEMLAYOUT_SOURCE_PLACE		4

/**
 * DOC: Placement classes
 *
 * The class of a placement request (SPEC C4), in the order the engine
 * places them. A request's *index* is its position among the requests of
 * its class, in array order: the tag the placed ranges and the reasons
 * carry. Phases (named by an exhaustion, P4) use the placed classes'
 * values.
 *
 * * %MEMLAYOUT_CLASS_RESERVED - kept out of every allocation, not part of
 *   the layout (@start, @end).
 * * %MEMLAYOUT_CLASS_FIXED - a hole pinned where given (@kind, @start,
 *   @end).
 * * %MEMLAYOUT_CLASS_MMIO32 - a hole placed top down below 4 GiB (@kind,
 *   @size, @align).
 * * %MEMLAYOUT_CLASS_RAM - one vNUMA node's RAM, placed bottom up; the
 *   i-th RAM request is vnode i; @size 0 is a memory-less node (@size,
 *   @align).
 * * %MEMLAYOUT_CLASS_MMIO64 - a hole placed above RAM and 4 GiB (@kind,
 *   @size, @align).
 * * %MEMLAYOUT_CLASS_POST_MMIO - a hole, or with kind
 *   %MEMLAYOUT_PLACE_VTL2 the layout's VTL2 range, placed above everything
 *   else in array order (@kind, @size, @align).
 */
#define MEMLAYOUT_CLASS_RESERVED	1
#define MEMLAYOUT_CLASS_FIXED		2
#define MEMLAYOUT_CLASS_MMIO32		3
#define MEMLAYOUT_CLASS_RAM		4
#define MEMLAYOUT_CLASS_MMIO64		5
#define MEMLAYOUT_CLASS_POST_MMIO	6

/* &struct memlayout_place_req.kind of the (at most one) VTL2 request. */
#define MEMLAYOUT_PLACE_VTL2		5

/**
 * struct memlayout_place_req - one placement request (SPEC C4)
 * @place_class: ``MEMLAYOUT_CLASS_*``.
 * @kind: fixed, mmio32, mmio64 and post-MMIO: the hole kind
 *        (%MEMLAYOUT_KIND_MMIO, %MEMLAYOUT_KIND_PCI_ECAM or
 *        %MEMLAYOUT_KIND_PCI_MMIO), or %MEMLAYOUT_PLACE_VTL2 for at most
 *        one post-MMIO request; reserved and RAM: 0.
 * @start: reserved and fixed: first byte (R2); else 0.
 * @end: reserved and fixed: one past the last byte (R2); else 0.
 * @size: mmio32, RAM, mmio64, post-MMIO: bytes (P1); else 0.
 * @align: mmio32, RAM, mmio64, post-MMIO: alignment (P2; the kernel has
 *         no default: pass %MEMLAYOUT_PAGE_SIZE for "any page"); else 0.
 *
 * A member the class does not use must be zero
 * (%MEMLAYOUT_REASON_RESERVED naming it). 40 bytes, no padding, the same
 * for 32- and 64-bit processes.
 */
struct memlayout_place_req {
	__u32 place_class;
	__u32 kind;
	__aligned_u64 start;
	__aligned_u64 end;
	__aligned_u64 size;
	__aligned_u64 align;
};

/**
 * struct memlayout_placed - one placed range (MEMLAYOUT_IOC_GET_PLACEMENTS)
 * @start: first byte.
 * @end: one past the last byte.
 * @place_class: ``MEMLAYOUT_CLASS_*`` of the request it comes from.
 * @index: that request's index in its class (its tag).
 * @kind: the request's kind: %MEMLAYOUT_KIND_RAM for RAM, 0 for reserved.
 * @vnode: RAM: the node (the RAM request's index); else 0.
 *
 * A RAM request may be split into several extents: one entry each, all
 * with the same @place_class and @index. 32 bytes, no padding.
 */
struct memlayout_placed {
	__aligned_u64 start;
	__aligned_u64 end;
	__u32 place_class;
	__u32 index;
	__u32 kind;
	__u32 vnode;
};

/*
 * &struct memlayout_set.flags; GET_INFO's @set_flags has those supported.
 *
 * %MEMLAYOUT_SET_DRY_RUN builds and checks the layout exactly as a real
 * SET_LAYOUT would and writes the same reply (reason, fingerprint), but
 * publishes nothing: the file keeps its layout and @generation reads 0.
 */
#define MEMLAYOUT_SET_VTL2		(1U << 0)
#define MEMLAYOUT_SET_DRY_RUN		(1U << 1)

/**
 * DOC: Fingerprint
 *
 * Every layout has a fingerprint (SPEC F1): SHA-256 over this encoding,
 * all integers little-endian:
 *
 * * the 16 bytes ``memlayout.fp.v1\n``;
 * * ``__u32`` the number of ranges N (every kind, VTL2 not counted), then
 *   ``__u32`` 1 if the layout has a VTL2 range, else 0;
 * * N records of 24 bytes, in address order: ``__u64 start``,
 *   ``__u64 end``, ``__u32 vnode``, ``__u32 kind`` (the byte image of
 *   &struct memlayout_map_entry on a little-endian machine);
 * * with VTL2, one more record: its start and end, vnode 0, kind 0.
 *
 * Equal layouts have equal fingerprints however they were built; a change
 * to any range changes it. libmemlayout's memlayout_fingerprint() computes
 * it without the kernel.
 */
#define MEMLAYOUT_FINGERPRINT_SIZE	32

/**
 * struct memlayout_reason - why MEMLAYOUT_IOC_SET_LAYOUT was rejected
 * @rule: a ``MEMLAYOUT_RULE_*`` or ``MEMLAYOUT_REASON_*`` value; 0 when
 *        the layout was accepted or the errno is not about its content
 *        (-EFAULT on an array, -ENOMEM). Nothing at all is written back
 *        for a bad size, a non-zero tail or an unreadable argument.
 * @list: the ``MEMLAYOUT_LIST_*`` holding the offending item.
 * @index: the offending item's index in @list (for
 *         %MEMLAYOUT_LIST_PLACE, its position in the request array); for
 *         R8, the limit (the first index that does not fit).
 * @other_list: R4: list of the second of two overlapping ranges; R7:
 *              %MEMLAYOUT_LIST_RAM; P3: %MEMLAYOUT_LIST_PLACE.
 * @other_index: R4: index of that second range; R7: index of the last
 *               RAM range; P3: array position of the second pinned range.
 * @field: for a ``MEMLAYOUT_REASON_*`` rejection, the byte offset of the
 *         offending member: inside the element @list and @index name
 *         (``offsetof(struct memlayout_range, vnode)``, for example, or a
 *         member of &struct memlayout_place_req for
 *         %MEMLAYOUT_LIST_PLACE; VTL2 is
 *         list %MEMLAYOUT_LIST_VTL2, index 0), or, when @list is
 *         %MEMLAYOUT_LIST_NONE, inside &struct memlayout_set
 *         (``offsetof(struct memlayout_set, ram_size)`` for a C1 field set
 *         under C3; ``offsetof(struct memlayout_set, mmio_ptr)`` for an MMIO
 *         pointer without a count or a count without a pointer;
 *         ``offsetof(struct memlayout_set, vtl2)`` for a VTL2 range given
 *         without %MEMLAYOUT_SET_VTL2). For %MEMLAYOUT_REASON_SIZE, the offset
 *         of the first non-zero byte past the kernel's struct, or 0 (the
 *         @size member) when @size is over a page. 0 for the SPEC rules.
 */
struct memlayout_reason {
	__u32 rule;
	__u32 list;
	__u32 index;
	__u32 other_list;
	__u32 other_index;
	__u32 field;
};

/**
 * struct memlayout_place_reason - what a C4 rejection adds to the reason
 * @place_class: the offending request's ``MEMLAYOUT_CLASS_*`` (R8: the class
 *         that holds too many requests). 0 when the whole array is too
 *         long, and for the interface's own checks of a request (an
 *         unknown class, a member its class does not use), which name it
 *         only by its position (&struct memlayout_reason.index).
 * @index: its index in @place_class (its tag); R8 on a class: the limit.
 * @other_class: P3: the class of the second pinned range.
 * @other_index: P3: its index in that class.
 * @phase: P4: the phase that ran out (the class being placed).
 * @reserved: 0.
 * @size: P1, P2, P4: the request's size.
 * @align: P1, P2, P4: its alignment.
 * @free: P4: the free bytes left, at that moment, between the phase's
 *        floor and its limit.
 *
 * Written by every SET_LAYOUT whose @size covers it: all zero on success,
 * for the rejections that are not about one request of the array (R5,
 * an R8 of the layout's lists, R8 on the whole array), and for the
 * interface's own checks of a request (see @place_class).
 */
struct memlayout_place_reason {
	__u32 place_class;
	__u32 index;
	__u32 other_class;
	__u32 other_index;
	__u32 phase;
	__u32 reserved;
	__aligned_u64 size;
	__aligned_u64 align;
	__aligned_u64 free;
};

/**
 * struct memlayout_set - MEMLAYOUT_IOC_SET_LAYOUT: build and install a layout
 * @size: in: sizeof(struct memlayout_set).
 * @flags: in: %MEMLAYOUT_SET_VTL2 when @vtl2 is given;
 *         %MEMLAYOUT_SET_DRY_RUN to check without publishing.
 * @source: in: %MEMLAYOUT_SOURCE_SIZE (C1), %MEMLAYOUT_SOURCE_NODES (C2),
 *          %MEMLAYOUT_SOURCE_RANGES (C3) or %MEMLAYOUT_SOURCE_PLACE (C4).
 * @nr_nodes: in: C2: number of __u64 sizes at @nodes_ptr; else 0.
 * @ram_size: in: C1: bytes of RAM; else 0.
 * @nodes_ptr: in: C2: user address of @nr_nodes __u64 node sizes; else 0.
 * @ram_ptr: in: C3: user address of @nr_ram &struct memlayout_range; else 0.
 * @mmio_ptr: in: user address of @nr_mmio MMIO gaps.
 * @pci_ecam_ptr: in: user address of @nr_pci_ecam PCI ECAM holes.
 * @pci_mmio_ptr: in: user address of @nr_pci_mmio PCI MMIO holes.
 * @nr_ram: in: C3: number of RAM ranges; else 0.
 * @nr_mmio: in: number of MMIO gaps.
 * @nr_pci_ecam: in: number of PCI ECAM holes.
 * @nr_pci_mmio: in: number of PCI MMIO holes.
 * @vtl2: in: the VTL2 range with %MEMLAYOUT_SET_VTL2, else all zero.
 * @reason: out: why the layout was rejected, all zero on success.
 * @generation: out: on success, the new layout's generation (1 for the
 *              first layout of this file, then +1 each time); 0 for
 *              %MEMLAYOUT_SET_DRY_RUN.
 * @fingerprint: out: on success (dry run included), the layout's
 *               fingerprint; else zero.
 * @place_ptr: in: C4: user address of @nr_place &struct memlayout_place_req;
 *             else 0.
 * @nr_place: in: C4: number of requests, at most 6 times
 *            &struct memlayout_info.max_ranges (R8); else 0.
 * @place_flags: in: must be 0.
 * @place_reason: out: a C4 rejection's class, index and P4 figures.
 *
 * C4 takes every range from @place_ptr: @mmio_ptr, @pci_ecam_ptr,
 * @pci_mmio_ptr and their counts must be 0, and so must @vtl2 (a
 * post-MMIO request of kind %MEMLAYOUT_PLACE_VTL2 is the VTL2 range;
 * %MEMLAYOUT_SET_VTL2 is refused). The placed ranges are read back with
 * MEMLAYOUT_IOC_GET_PLACEMENTS.
 *
 * Each list is sorted; holes and VTL2 have vnode 0 and every range has
 * reserved 0. A pointer and its count are both zero or both set. On
 * success the new layout replaces the file's previous one atomically; on
 * any error the previous layout stays.
 */
struct memlayout_set {
	__u32 size;
	__u32 flags;
	__u32 source;
	__u32 nr_nodes;
	__aligned_u64 ram_size;
	__aligned_u64 nodes_ptr;
	__aligned_u64 ram_ptr;
	__aligned_u64 mmio_ptr;
	__aligned_u64 pci_ecam_ptr;
	__aligned_u64 pci_mmio_ptr;
	__u32 nr_ram;
	__u32 nr_mmio;
	__u32 nr_pci_ecam;
	__u32 nr_pci_mmio;
	struct memlayout_range vtl2;
	struct memlayout_reason reason;
	__aligned_u64 generation;
	__u8 fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
	__aligned_u64 place_ptr;
	__u32 nr_place;
	__u32 place_flags;
	struct memlayout_place_reason place_reason;
};

#define MEMLAYOUT_SET_SIZE_VER0		136
#define MEMLAYOUT_SET_SIZE_VER1		168	/* + fingerprint */
#define MEMLAYOUT_SET_SIZE_VER2		232	/* + placement (C4) */

/* &struct memlayout_stats.present */
#define MEMLAYOUT_STATS_VTL2			(1U << 0)
#define MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB	(1U << 1)
#define MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO	(1U << 2)

/**
 * struct memlayout_stats - MEMLAYOUT_IOC_GET_STATS: the layout's figures
 * @size: in: sizeof(struct memlayout_stats).
 * @flags: in: must be 0.
 * @present: out: ``MEMLAYOUT_STATS_*`` bits saying which optional values
 *           are valid (Q6, Q7, VTL2); invalid ones read 0.
 * @nr_ram: out: number of RAM ranges.
 * @nr_mmio: out: number of MMIO gaps.
 * @nr_pci_ecam: out: number of PCI ECAM holes.
 * @nr_pci_mmio: out: number of PCI MMIO holes.
 * @reserved: out: 0.
 * @generation: out: generation of the layout these figures describe.
 * @ram_size: out: Q2, total RAM bytes.
 * @end_of_ram: out: Q3, end of the last RAM range.
 * @ram_below_4gb: out: Q4, RAM bytes below 4 GiB.
 * @ram_above_4gb: out: Q5, RAM bytes at or above 4 GiB.
 * @max_ram_below_4gb: out: Q6, with %MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB.
 * @ram_above_high_mmio: out: Q7, with %MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO.
 * @end_of_layout: out: Q8, largest end of RAM and holes.
 * @vtl2_start: out: start of VTL2, with %MEMLAYOUT_STATS_VTL2.
 * @vtl2_end: out: end of VTL2, with %MEMLAYOUT_STATS_VTL2.
 * @fingerprint: out: the layout's fingerprint (see Fingerprint).
 */
struct memlayout_stats {
	__u32 size;
	__u32 flags;
	__u32 present;
	__u32 nr_ram;
	__u32 nr_mmio;
	__u32 nr_pci_ecam;
	__u32 nr_pci_mmio;
	__u32 reserved;
	__aligned_u64 generation;
	__aligned_u64 ram_size;
	__aligned_u64 end_of_ram;
	__aligned_u64 ram_below_4gb;
	__aligned_u64 ram_above_4gb;
	__aligned_u64 max_ram_below_4gb;
	__aligned_u64 ram_above_high_mmio;
	__aligned_u64 end_of_layout;
	__aligned_u64 vtl2_start;
	__aligned_u64 vtl2_end;
	__u8 fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
};

#define MEMLAYOUT_STATS_SIZE_VER0	112
#define MEMLAYOUT_STATS_SIZE_VER1	144	/* + fingerprint */

/**
 * struct memlayout_map_entry - one range of a layout, of any kind
 * @start: first byte.
 * @end: one past the last byte.
 * @vnode: virtual NUMA node of a RAM range, 0 for holes.
 * @kind: ``MEMLAYOUT_KIND_*`` (never %MEMLAYOUT_KIND_NONE).
 *
 * The layout of &struct memlayout_range with the kind in place of
 * @reserved. 24 bytes, the same for 32- and 64-bit processes.
 */
struct memlayout_map_entry {
	__aligned_u64 start;
	__aligned_u64 end;
	__u32 vnode;
	__u32 kind;
};

/**
 * struct memlayout_get_layout - MEMLAYOUT_IOC_GET_LAYOUT: the whole layout
 * @size: in: sizeof(struct memlayout_get_layout).
 * @flags: in: must be 0.
 * @count: in: capacity of @entries_ptr in entries; out: the number of
 *         ranges in the layout.
 * @reserved: in: must be 0.
 * @entries_ptr: in: user address of @count &struct memlayout_map_entry,
 *               filled with every range (RAM and holes; not VTL2) in
 *               address order; 0 exactly when @count is 0.
 * @stats_ptr: in: 0, or the user address of a &struct memlayout_stats
 *             whose @size and @flags are set as for
 *             MEMLAYOUT_IOC_GET_STATS; it is filled from the same layout
 *             (figures, counts, VTL2).
 * @generation: out: generation of the layout read.
 * @fingerprint: out: its fingerprint (see Fingerprint).
 *
 * One call reads one layout: the entries, the figures at @stats_ptr, the
 * generation and the fingerprint all come from the same one, even while
 * another thread replaces it. When @count is too small the call returns
 * -EMSGSIZE with @count set to the number needed, @generation set and
 * @fingerprint zero; neither the entries nor the stats struct are written
 * (so @count 0 asks for the size); the caller allocates and calls again.
 * Every layout holds RAM, so @count 0 always gets -EMSGSIZE.
 */
struct memlayout_get_layout {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved;
	__aligned_u64 entries_ptr;
	__aligned_u64 stats_ptr;
	__aligned_u64 generation;
	__u8 fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
};

#define MEMLAYOUT_GET_LAYOUT_SIZE_VER0	72

/**
 * struct memlayout_get_ranges - MEMLAYOUT_IOC_GET_RANGES: read a list back
 * @size: in: sizeof(struct memlayout_get_ranges).
 * @flags: in: must be 0.
 * @list: in: %MEMLAYOUT_LIST_RAM, %MEMLAYOUT_LIST_MMIO,
 *        %MEMLAYOUT_LIST_PCI_ECAM, %MEMLAYOUT_LIST_PCI_MMIO or
 *        %MEMLAYOUT_LIST_VTL2.
 * @count: in: capacity of @ranges_ptr in ranges; out: how many the list
 *         holds.
 * @ranges_ptr: in: user address of @count &struct memlayout_range; 0
 *              exactly when @count is 0 (the size query: it returns 0
 *              with @count 0 for an empty list, -EMSGSIZE otherwise).
 * @generation: out: generation of the layout read.
 *
 * Returns -EMSGSIZE, with @count set to the number needed and nothing
 * written to @ranges_ptr, when the buffer is too small; so a caller may
 * pass @count 0 to learn the size.
 */
struct memlayout_get_ranges {
	__u32 size;
	__u32 flags;
	__u32 list;
	__u32 count;
	__aligned_u64 ranges_ptr;
	__aligned_u64 generation;
};

#define MEMLAYOUT_GET_RANGES_SIZE_VER0	32

/**
 * struct memlayout_probe - MEMLAYOUT_IOC_PROBE: what backs many addresses
 * @size: in: sizeof(struct memlayout_probe).
 * @flags: in: must be 0.
 * @count: in: number of addresses, at most &struct memlayout_info.max_probe.
 * @reserved: in: must be 0.
 * @addrs_ptr: in: user address of @count __u64 guest-physical addresses.
 * @kinds_ptr: in: user address of @count __u32, each set to the
 *             ``MEMLAYOUT_KIND_*`` of the address at the same index.
 * @generation: out: generation of the layout that answered; every answer
 *              of one call comes from that one layout.
 * @ranges_ptr: in: 0, or the user address of @count
 *              &struct memlayout_probe_range, each set to the range that
 *              covers the address at the same index (as PROCMAP_QUERY
 *              returns the VMA that covers an address).
 */
struct memlayout_probe {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved;
	__aligned_u64 addrs_ptr;
	__aligned_u64 kinds_ptr;
	__aligned_u64 generation;
	__aligned_u64 ranges_ptr;
};

#define MEMLAYOUT_PROBE_SIZE_VER0	40
#define MEMLAYOUT_PROBE_SIZE_VER1	48	/* + ranges_ptr */

/* &struct memlayout_probe_range.index of an address no range covers. */
#define MEMLAYOUT_PROBE_NO_RANGE	0xffffffffU

/**
 * struct memlayout_probe_range - the range that answered a probe
 * @start: first byte of the covering range.
 * @end: one past its last byte.
 * @vnode: its virtual NUMA node (RAM), else 0.
 * @index: its index in the list of its kind (the list
 *         MEMLAYOUT_IOC_GET_RANGES reads for that kind), so
 *         ``GET_RANGES(kind)[index]`` is this range; or
 *         %MEMLAYOUT_PROBE_NO_RANGE, with @start, @end and @vnode 0, when
 *         the kind is %MEMLAYOUT_KIND_NONE.
 */
struct memlayout_probe_range {
	__aligned_u64 start;
	__aligned_u64 end;
	__u32 vnode;
	__u32 index;
};

/**
 * struct memlayout_get_placements - MEMLAYOUT_IOC_GET_PLACEMENTS
 * @size: in: sizeof(struct memlayout_get_placements).
 * @flags: in: must be 0.
 * @count: in: capacity of @entries_ptr in entries; out: the number of
 *         placed ranges the layout holds.
 * @reserved: in: must be 0.
 * @entries_ptr: in: user address of @count &struct memlayout_placed; 0
 *               exactly when @count is 0.
 * @generation: out: generation of the layout read.
 *
 * The placed ranges of the file's layout, in address order, as
 * MEMLAYOUT_SOURCE_PLACE made it: every RAM extent and hole with its
 * class, index and kind, the VTL2 range (kind %MEMLAYOUT_PLACE_VTL2), and
 * the reserved ranges below the highest other range (upstream drops the
 * ones above). A layout built by C1-C3 has none: @count 0, return 0.
 * Count negotiation as MEMLAYOUT_IOC_GET_RANGES: too small a buffer gives
 * -EMSGSIZE with @count set to the number needed and nothing written.
 */
struct memlayout_get_placements {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved;
	__aligned_u64 entries_ptr;
	__aligned_u64 generation;
};

#define MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0	32

/**
 * DOC: Shared view
 *
 * ``mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0)`` on a /dev/memlayout
 * file maps its current layout, read-only, into the caller (SPEC V1): a
 * &struct memlayout_view header, then ``__u64 starts[nr]`` (ascending) at
 * @starts_off and &struct memlayout_view_record ``records[nr]`` at
 * @records_off, range i being ``[starts[i], records[i].end)``. Every
 * process that holds the file (by fork(), SCM_RIGHTS, dup()) maps the
 * same pages, and every successful SET_LAYOUT rewrites them.
 *
 * The first mmap() of a file fixes the view's size: its length, a whole
 * number of pages from one page to %MEMLAYOUT_VIEW_MAX_SIZE. Later ones
 * may map any length up to it; the offset is always 0. A layout whose
 * ranges do not fit is flagged %MEMLAYOUT_VIEW_TOO_LARGE, with the header
 * (generation, fingerprint, @nr) still right and no ranges: readers fall
 * back to the ioctls (SPEC V3). Mapping it writable or executable, or
 * private, is refused (-EPERM, -EINVAL), and so is mprotect() to write
 * or execute it later (-EACCES); it cannot grow with mremap().
 *
 * Readers follow the sequence counter protocol (SPEC V2):
 *
 * 1. s = @seq, read with acquire ordering; if s is odd, a writer is
 *    inside: read again.
 * 2. Read what is needed (header members, starts, records).
 * 3. An acquire fence (smp_rmb()), then read @seq again; if it is not s,
 *    the layout changed meanwhile: discard what was read and start over.
 *
 * The writer makes @seq odd, writes, then makes it even again, with the
 * matching barriers. Everything read between two equal even values of
 * @seq belongs to one layout, the one whose @generation was read.
 * libmemlayout's memlayout_view_probe() implements this once.
 *
 * Version 1 also fixes where the ranges are, so that a reader may compute
 * the offsets instead of loading them on every probe: whenever the view
 * holds ranges (%MEMLAYOUT_VIEW_LAYOUT without %MEMLAYOUT_VIEW_TOO_LARGE),
 * @starts_off is %MEMLAYOUT_VIEW_STARTS_OFF, @records_off is
 * ``MEMLAYOUT_VIEW_STARTS_OFF + 8 * nr`` and @index_off is
 * ``MEMLAYOUT_VIEW_STARTS_OFF + 24 * nr``; a reader that maps ``len``
 * bytes may use them only while ``nr <= (len - MEMLAYOUT_VIEW_STARTS_OFF)
 * / 32``. The members stay in the header, and any other placement would
 * be a new @version.
 *
 * The bucket index narrows a search to a few ranges: ``__u32
 * index[2 * nr]`` at @index_off splits the addresses into buckets of
 * ``2^index_shift`` bytes. For bucket b < 2 * nr - 1, index[b] is the last
 * range whose start is at or below ``b << index_shift`` (0 if none), and
 * index[2 * nr - 1] is nr - 1. The range holding an address a, if any, is
 * then the last one starting at or below a among ranges index[b] to
 * index[b + 1], for b = min(a >> index_shift, 2 * nr - 2). @index_shift
 * is the smallest that puts every address of the layout in a bucket below
 * 2 * nr - 1, and %MEMLAYOUT_VIEW_NO_INDEX whenever the view holds no
 * ranges, so that a reader checks one member instead of the flags. A
 * reader must still bound what it loads from the index by nr - 1 before
 * using it (a read torn by a writer is discarded only afterwards).
 */
#define MEMLAYOUT_VIEW_MAGIC		0x31564c4dU	/* "MLV1" */
#define MEMLAYOUT_VIEW_VERSION		1
#define MEMLAYOUT_VIEW_MAX_SIZE		(64U << 20)
#define MEMLAYOUT_VIEW_STARTS_OFF	128	/* the header, to a cache line */
#define MEMLAYOUT_VIEW_NO_INDEX		0xffffffffU	/* @index_shift: no ranges */

/* &struct memlayout_view.flags */
#define MEMLAYOUT_VIEW_LAYOUT		(1U << 0)	/* the file holds a layout */
#define MEMLAYOUT_VIEW_TOO_LARGE	(1U << 1)	/* its ranges are not here */
#define MEMLAYOUT_VIEW_VTL2		(1U << 2)	/* @vtl2_start/end are valid */

/**
 * struct memlayout_view - the header of a file's shared view
 * @magic: %MEMLAYOUT_VIEW_MAGIC.
 * @version: %MEMLAYOUT_VIEW_VERSION; a new layout of the view gets a new
 *           version (and a reader that does not know it uses the ioctls).
 * @seq: the sequence counter: odd while the kernel writes the view.
 * @flags: ``MEMLAYOUT_VIEW_*``.
 * @generation: the generation of the layout the view holds (0: none yet).
 * @nr: number of ranges (RAM and holes; VTL2 is not a range).
 * @header_size: sizeof(struct memlayout_view) as the kernel knows it.
 * @size: the view's size in bytes (what the first mmap() fixed).
 * @starts_off: byte offset of ``__u64 starts[nr]``.
 * @records_off: byte offset of ``struct memlayout_view_record records[nr]``.
 * @vtl2_start: VTL2's start, with %MEMLAYOUT_VIEW_VTL2.
 * @vtl2_end: VTL2's end, with %MEMLAYOUT_VIEW_VTL2.
 * @fingerprint: the layout's fingerprint (see Fingerprint).
 * @index_off: byte offset of the bucket index, ``__u32 index[2 * nr]``.
 * @index_shift: log2 of the bucket size, at most 63, or
 *               %MEMLAYOUT_VIEW_NO_INDEX when the view holds no ranges.
 * @reserved: 0.
 */
struct memlayout_view {
	__u32 magic;
	__u32 version;
	__u32 seq;
	__u32 flags;
	__aligned_u64 generation;
	__u32 nr;
	__u32 header_size;
	__aligned_u64 size;
	__aligned_u64 starts_off;
	__aligned_u64 records_off;
	__aligned_u64 vtl2_start;
	__aligned_u64 vtl2_end;
	__u8 fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
	__aligned_u64 index_off;
	__u32 index_shift;
	__u32 reserved;
};

/**
 * struct memlayout_view_record - a range of the view, besides its start
 * @end: one past its last byte.
 * @vnode: its virtual NUMA node (RAM), else 0.
 * @kind: its ``MEMLAYOUT_KIND_*``.
 */
struct memlayout_view_record {
	__aligned_u64 end;
	__u32 vnode;
	__u32 kind;
};

/**
 * DOC: Host fit
 *
 * MEMLAYOUT_IOC_CHECK_HOST checks the file's current layout against the
 * machine it runs on (SPEC H1-H3) and reports every conflict, not only
 * the first. It changes nothing: neither the layout nor the host.
 *
 * * H1, %MEMLAYOUT_HOST_CPU_WIDTH - a range of the layout (RAM, a hole or
 *   VTL2) ends above 2^phys_bits, the host CPU's physical address width
 *   as the running kernel knows it (on x86 already reduced for memory
 *   encryption, boot_cpu_data.x86_phys_bits). The host range is
 *   ``[2^phys_bits, 2^64 - 1]``.
 * * H2, %MEMLAYOUT_HOST_APERTURE - for a device the caller names, a RAM or
 *   VTL2 range is not wholly inside the DMA aperture of the device's
 *   current IOMMU domain (with device assignment, guest-physical addresses
 *   are I/O virtual addresses). The host range is the aperture. Checked
 *   only when the domain enforces its aperture (%MEMLAYOUT_DEVICE_APERTURE).
 * * H3, %MEMLAYOUT_HOST_RESERVED - for a device named, a RAM or VTL2 range
 *   overlaps a reserved region of the device's IOMMU group. The host
 *   range is the region, @host_type its type (``MEMLAYOUT_RESV_*``), and
 *   %MEMLAYOUT_HOST_RELAXABLE is set in @host_flags for a direct-mapped
 *   region the kernel may relax (for example the ISA/LPC 0-16 MiB one).
 *
 * A device without an IOMMU is not a conflict: its &struct
 * memlayout_host_device record comes back without %MEMLAYOUT_DEVICE_IOMMU.
 *
 * Conflicts come in this order: every H1 conflict in address order, then
 * for each device in the caller's order its H2 conflicts in address order,
 * then its H3 conflicts region by region (regions by start), each
 * region's ranges in address order.
 *
 * Host ranges are inclusive, ``[host_start, host_last]``, as the IOMMU
 * layer's are (an aperture may end at 2^64 - 1); layout ranges are
 * half-open, ``[start, end)``, as everywhere else in this interface.
 */

/* &struct memlayout_host_conflict.rule: which SPEC rule. */
#define MEMLAYOUT_HOST_CPU_WIDTH	1	/* H1 */
#define MEMLAYOUT_HOST_APERTURE		2	/* H2 */
#define MEMLAYOUT_HOST_RESERVED		3	/* H3 */

/* &struct memlayout_host_device.type: how the device is named. */
#define MEMLAYOUT_DEVICE_PCI		1	/* @pci_segment, @pci_bus, @pci_devfn */
#define MEMLAYOUT_DEVICE_VFIO		2	/* @fd: a VFIO group or device file */

/* &struct memlayout_host_device.flags (out). */
#define MEMLAYOUT_DEVICE_IOMMU		(1U << 0)	/* in an IOMMU group */
#define MEMLAYOUT_DEVICE_APERTURE	(1U << 1)	/* H2 was checked */
#define MEMLAYOUT_DEVICE_PCI_ADDR	(1U << 2)	/* @pci_* name it (VFIO) */

/* &struct memlayout_host_device.domain_type (out). */
#define MEMLAYOUT_DOMAIN_NONE		0	/* no IOMMU, or no domain */
#define MEMLAYOUT_DOMAIN_BLOCKED	1
#define MEMLAYOUT_DOMAIN_IDENTITY	2	/* passthrough: no aperture */
#define MEMLAYOUT_DOMAIN_DMA		3	/* the kernel's DMA API domain */
#define MEMLAYOUT_DOMAIN_UNMANAGED	4	/* VFIO type1, iommufd, KVM */
#define MEMLAYOUT_DOMAIN_OTHER		5	/* SVA, nested, ... */

/* &struct memlayout_host_conflict.host_type. */
#define MEMLAYOUT_RESV_NONE		0	/* H1, H2 */
#define MEMLAYOUT_RESV_DIRECT		1	/* identity mapped (RMRR, IVMD) */
#define MEMLAYOUT_RESV_RESERVED		2	/* never mapped */
#define MEMLAYOUT_RESV_MSI		3	/* the hardware MSI window */
#define MEMLAYOUT_RESV_SW_MSI		4	/* software-managed MSI (arm64) */

/* &struct memlayout_host_conflict.host_flags. */
#define MEMLAYOUT_HOST_RELAXABLE	(1U << 0)

/* &struct memlayout_host_conflict.device for H1: no device. */
#define MEMLAYOUT_NO_DEVICE		0xffffffffU

/**
 * struct memlayout_host_device - one device MEMLAYOUT_IOC_CHECK_HOST checks
 * @type: in: ``MEMLAYOUT_DEVICE_*``.
 * @fd: in: %MEMLAYOUT_DEVICE_VFIO: an open VFIO group file
 *      (``/dev/vfio/N``) or device file (``/dev/vfio/devices/vfioX``);
 *      %MEMLAYOUT_DEVICE_PCI: must be 0.
 * @pci_segment: in: %MEMLAYOUT_DEVICE_PCI: the PCI segment (domain);
 *               out: %MEMLAYOUT_DEVICE_VFIO: the device the file names
 *               (for a group, its lowest-addressed device), with
 *               %MEMLAYOUT_DEVICE_PCI_ADDR (ignored on input).
 * @pci_bus: in/out: the bus, likewise.
 * @pci_devfn: in/out: device and function, ``(device << 3) | function``.
 * @flags: out: ``MEMLAYOUT_DEVICE_*`` flags (ignored on input).
 * @iommu_group: out: the IOMMU group's number
 *               (``/sys/kernel/iommu_groups/N``), with
 *               %MEMLAYOUT_DEVICE_IOMMU; else 0.
 * @domain_type: out: ``MEMLAYOUT_DOMAIN_*`` of the group's current domain.
 * @nr_resv: out: number of reserved regions of the group (H3).
 * @aperture_start: out: first byte of the domain's aperture, with
 *                  %MEMLAYOUT_DEVICE_APERTURE; else 0.
 * @aperture_last: out: its last byte; else 0.
 * @reserved: in: must be 0; out: 0.
 *
 * Out members are ignored on input, so a record the kernel answered can
 * be sent again as it is (the second call of a count negotiation). The
 * host facts are read once per call, when it starts; a device that is
 * re-bound, or a domain that changes, meanwhile is seen either way.
 */
struct memlayout_host_device {
	__u32 type;
	__s32 fd;
	__u16 pci_segment;
	__u8 pci_bus;
	__u8 pci_devfn;
	__u32 flags;
	__u32 iommu_group;
	__u32 domain_type;
	__u32 nr_resv;
	__u32 reserved;
	__aligned_u64 aperture_start;
	__aligned_u64 aperture_last;
};

/**
 * struct memlayout_host_conflict - one conflict MEMLAYOUT_IOC_CHECK_HOST found
 * @rule: ``MEMLAYOUT_HOST_*``: H1, H2 or H3.
 * @list: the layout range's list (``MEMLAYOUT_LIST_*``; VTL2 is
 *        %MEMLAYOUT_LIST_VTL2).
 * @index: its index in that list (GET_RANGES order).
 * @device: index of the device in the caller's array, or
 *          %MEMLAYOUT_NO_DEVICE for H1.
 * @start: the layout range's first byte.
 * @end: one past its last byte.
 * @host_start: first byte of the host range it conflicts with.
 * @host_last: last byte of it (inclusive).
 * @host_type: ``MEMLAYOUT_RESV_*`` for H3, else %MEMLAYOUT_RESV_NONE.
 * @host_flags: ``MEMLAYOUT_HOST_RELAXABLE`` or 0.
 * @phys_bits: the CPU width H1 checked against (in every conflict).
 * @reserved: 0.
 */
struct memlayout_host_conflict {
	__u32 rule;
	__u32 list;
	__u32 index;
	__u32 device;
	__aligned_u64 start;
	__aligned_u64 end;
	__aligned_u64 host_start;
	__aligned_u64 host_last;
	__u32 host_type;
	__u32 host_flags;
	__u32 phys_bits;
	__u32 reserved;
};

/**
 * struct memlayout_check_host - MEMLAYOUT_IOC_CHECK_HOST (SPEC H1-H3)
 * @size: in: sizeof(struct memlayout_check_host).
 * @flags: in: must be 0.
 * @nr_devices: in: number of &struct memlayout_host_device at
 *              @devices_ptr, at most &struct memlayout_info.max_devices
 *              (-E2BIG); 0 checks H1 alone.
 * @count: in: capacity of @conflicts_ptr in entries; out: the number of
 *         conflicts.
 * @devices_ptr: in: user address of the devices; 0 exactly when
 *               @nr_devices is 0. Each record's out members are written
 *               back on success and on -EMSGSIZE.
 * @conflicts_ptr: in: user address of @count &struct
 *                 memlayout_host_conflict; 0 exactly when @count is 0.
 * @generation: out: generation of the layout checked.
 * @phys_bits: out: the host CPU's physical address width (H1).
 * @error_device: out: when a device cannot be resolved, its index in the
 *                array (with the errno below); else %MEMLAYOUT_NO_DEVICE.
 *
 * Count negotiation as MEMLAYOUT_IOC_GET_RANGES: too small a buffer gives
 * -EMSGSIZE with @count set to the number needed and no conflict written.
 * Return 0 with @count 0 means the layout fits.
 *
 * Errors besides the common ones: -ENOENT (no layout yet); -ENODEV (no PCI
 * device at that address, or a VFIO file with no device this module can
 * resolve: see the admin guide); -EBADF (@fd is not open); -EINVAL (@fd
 * is not a VFIO file, or a record's @reserved, or a PCI record's @fd, is
 * not 0), each with @error_device set.
 */
struct memlayout_check_host {
	__u32 size;
	__u32 flags;
	__u32 nr_devices;
	__u32 count;
	__aligned_u64 devices_ptr;
	__aligned_u64 conflicts_ptr;
	__aligned_u64 generation;
	__u32 phys_bits;
	__u32 error_device;
};

#define MEMLAYOUT_CHECK_HOST_SIZE_VER0	48

/**
 * DOC: KVM audit
 *
 * MEMLAYOUT_IOC_CHECK_KVM checks the file's current layout against the
 * memslots of a KVM VM the caller holds (SPEC H4) and reports every
 * finding. It changes nothing: neither the layout nor the VM. KVM gives
 * userspace no way to list a VM's memslots; the module reads them under
 * KVM's own SRCU, as KVM's readers do.
 *
 * For each address space of the VM that holds at least one memslot (an
 * address space without any, such as x86's SMM one in a VM without SMM,
 * is skipped and not counted in @nr_as):
 *
 * * %MEMLAYOUT_KVM_UNBACKED - bytes of RAM that no memslot backs (the
 *   slot members are 0, @slot_id %MEMLAYOUT_KVM_NO_SLOT);
 * * %MEMLAYOUT_KVM_READONLY - bytes of RAM backed only by a read-only
 *   memslot (``KVM_MEM_READONLY``);
 * * %MEMLAYOUT_KVM_OVER_HOLE - bytes of a memslot over a hole (mmio,
 *   pci_ecam, pci_mmio: @list says which). Device memory such as a ROM or
 *   a VRAM BAR is legitimate there: the caller judges, from the hole's
 *   kind and the slot's flags;
 * * %MEMLAYOUT_KVM_OUTSIDE - bytes of a memslot outside every range of
 *   the layout (VTL2 counts as inside): @list %MEMLAYOUT_LIST_NONE.
 *
 * Each finding is one maximal run of bytes ``[start, end)`` with the same
 * kind, layout range and memslot. Findings come address space by address
 * space (ascending), each in address order: every byte is in at most one
 * finding, since the layout's ranges are disjoint and so are the memslots
 * of one address space. Two adjacent RAM ranges (a node split) backed by
 * one memslot are not a finding.
 */

/* &struct memlayout_kvm_finding.kind. */
#define MEMLAYOUT_KVM_UNBACKED		1
#define MEMLAYOUT_KVM_READONLY		2
#define MEMLAYOUT_KVM_OVER_HOLE		3
#define MEMLAYOUT_KVM_OUTSIDE		4

/*
 * KVM's memslot flags (KVM_MEM_* of <linux/kvm.h>), for reading
 * &struct memlayout_kvm_finding.slot_flags without that header.
 */
#define MEMLAYOUT_KVM_MEM_LOG_DIRTY_PAGES	(1U << 0)
#define MEMLAYOUT_KVM_MEM_READONLY		(1U << 1)
#define MEMLAYOUT_KVM_MEM_GUEST_MEMFD		(1U << 2)

/* &struct memlayout_kvm_finding.slot_id when no memslot is concerned. */
#define MEMLAYOUT_KVM_NO_SLOT		0xffffffffU

/**
 * struct memlayout_kvm_finding - one finding of MEMLAYOUT_IOC_CHECK_KVM
 * @kind: ``MEMLAYOUT_KVM_*``.
 * @list: the layout range's list (``MEMLAYOUT_LIST_*``), or
 *        %MEMLAYOUT_LIST_NONE for %MEMLAYOUT_KVM_OUTSIDE.
 * @index: its index in that list (GET_RANGES order); 0 for none.
 * @as_id: the KVM address space (0; 1 is x86's SMM).
 * @start: first byte of the finding.
 * @end: one past its last byte.
 * @range_start: the layout range's first byte (0 for none).
 * @range_end: one past its last byte (0 for none).
 * @slot_start: the memslot's first guest-physical byte (0 for none).
 * @slot_end: one past its last (0 for none).
 * @slot_id: the memslot's id as the VMM set it (``slot & 0xffff`` of
 *           KVM_SET_USER_MEMORY_REGION), or %MEMLAYOUT_KVM_NO_SLOT.
 * @slot_flags: its ``KVM_MEM_*`` flags (0 for none).
 */
struct memlayout_kvm_finding {
	__u32 kind;
	__u32 list;
	__u32 index;
	__u32 as_id;
	__aligned_u64 start;
	__aligned_u64 end;
	__aligned_u64 range_start;
	__aligned_u64 range_end;
	__aligned_u64 slot_start;
	__aligned_u64 slot_end;
	__u32 slot_id;
	__u32 slot_flags;
};

/**
 * struct memlayout_check_kvm - MEMLAYOUT_IOC_CHECK_KVM (SPEC H4)
 * @size: in: sizeof(struct memlayout_check_kvm).
 * @flags: in: must be 0.
 * @vm_fd: in: a KVM VM file descriptor (from KVM_CREATE_VM).
 * @count: in: capacity of @findings_ptr in entries; out: the number of
 *         findings.
 * @findings_ptr: in: user address of @count &struct
 *                memlayout_kvm_finding; 0 exactly when @count is 0.
 * @generation: out: generation of the layout checked.
 * @nr_slots: out: memslots read, over every address space.
 * @nr_as: out: address spaces that hold at least one memslot.
 *
 * Count negotiation as MEMLAYOUT_IOC_GET_RANGES: too small a buffer gives
 * -EMSGSIZE with @count set to the number needed and nothing else
 * written. Return 0 with @count 0: the memslots match the layout.
 *
 * Errors besides the common ones: -ENOENT (no layout yet); -EBADF
 * (@vm_fd is not open); -ENOPKG (KVM is not loaded: no file can be a VM);
 * -EINVAL (@vm_fd is not a KVM VM); -ESRCH (the VM is being destroyed).
 */
struct memlayout_check_kvm {
	__u32 size;
	__u32 flags;
	__s32 vm_fd;
	__u32 count;
	__aligned_u64 findings_ptr;
	__aligned_u64 generation;
	__u32 nr_slots;
	__u32 nr_as;
};

#define MEMLAYOUT_CHECK_KVM_SIZE_VER0	40

/*
 * 0x00-0x0f: information; 0x10-0x1f: layout; 0x20-0x2f: probes; 0x30-0x3f:
 * the layout against the host. A retired
 * number is never reused. The round-1 _IOWR encodings of these numbers are
 * not accepted (-ENOTTY).
 */
#define MEMLAYOUT_IOC_GET_INFO		_IO(MEMLAYOUT_IOC_MAGIC, 0x00)
#define MEMLAYOUT_IOC_SET_LAYOUT	_IO(MEMLAYOUT_IOC_MAGIC, 0x10)
#define MEMLAYOUT_IOC_GET_STATS		_IO(MEMLAYOUT_IOC_MAGIC, 0x11)
#define MEMLAYOUT_IOC_GET_RANGES	_IO(MEMLAYOUT_IOC_MAGIC, 0x12)
#define MEMLAYOUT_IOC_GET_LAYOUT	_IO(MEMLAYOUT_IOC_MAGIC, 0x13)
#define MEMLAYOUT_IOC_GET_PLACEMENTS	_IO(MEMLAYOUT_IOC_MAGIC, 0x14)
#define MEMLAYOUT_IOC_PROBE		_IO(MEMLAYOUT_IOC_MAGIC, 0x20)
#define MEMLAYOUT_IOC_CHECK_HOST	_IO(MEMLAYOUT_IOC_MAGIC, 0x30)
#define MEMLAYOUT_IOC_CHECK_KVM		_IO(MEMLAYOUT_IOC_MAGIC, 0x31)

#endif /* _UAPI_LINUX_MEMLAYOUT_H */
