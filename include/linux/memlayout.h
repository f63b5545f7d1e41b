/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlayout: in-kernel API of the guest memory layout core.
 *
 * A layout is built in one call from a &struct memlayout_request, is
 * immutable once built, answers every query in O(1) or O(log n), and is
 * freed with one call. See Documentation/memlayout.rst.
 */
#ifndef _LINUX_MEMLAYOUT_H
#define _LINUX_MEMLAYOUT_H

#include <crypto/sha2.h>
#include <linux/bits.h>
#include <linux/types.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <uapi/linux/memlayout.h>

/* Default of the max_ranges module parameter (SPEC R8). */
#define MEMLAYOUT_DEFAULT_MAX_RANGES	4096U
/*
 * Hard ceiling for max_ranges, whatever a caller or the parameter asks.
 * Documentation/memlayout.rst ("Limits") derives the worst-case layout
 * from it: about 6.5 ranges per unit, 11 MiB at 65536.
 */
#define MEMLAYOUT_MAX_RANGES_LIMIT	65536U

/*
 * What this kernel supports; userspace learns these from
 * MEMLAYOUT_IOC_GET_INFO, never from the UAPI header.
 */
#define MEMLAYOUT_API_VERSION		1
#define MEMLAYOUT_NR_KINDS		5
#define MEMLAYOUT_NR_LISTS		8
#define MEMLAYOUT_MAX_RULE		MEMLAYOUT_REASON_SIZE
#define MEMLAYOUT_SET_VALID_FLAGS	(MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN)
#define MEMLAYOUT_VALID_SOURCES		(BIT(MEMLAYOUT_SOURCE_SIZE) | \
					 BIT(MEMLAYOUT_SOURCE_NODES) | \
					 BIT(MEMLAYOUT_SOURCE_RANGES) | \
					 BIT(MEMLAYOUT_SOURCE_PLACE))
#define MEMLAYOUT_NR_CLASSES		MEMLAYOUT_CLASS_POST_MMIO

/* Most addresses one MEMLAYOUT_IOC_PROBE accepts. */
#define MEMLAYOUT_MAX_PROBE		BIT(20)

#define MEMLAYOUT_4GB			SZ_4G

/**
 * enum memlayout_source - how the RAM of a layout is given
 * @MEMLAYOUT_FROM_SIZE: C1, @ram_size bytes placed upward from address 0.
 * @MEMLAYOUT_FROM_NODES: C2, per-node sizes placed node after node.
 * @MEMLAYOUT_FROM_RANGES: C3, explicit RAM ranges kept as given.
 */
enum memlayout_source {
	MEMLAYOUT_FROM_SIZE = 1,
	MEMLAYOUT_FROM_NODES = 2,
	MEMLAYOUT_FROM_RANGES = 3,
};

/**
 * struct memlayout_request - everything a layout is built from
 * @source: one of &enum memlayout_source.
 * @max_ranges: R8 limit per list; 0 means the max_ranges module parameter.
 *              Never more than %MEMLAYOUT_MAX_RANGES_LIMIT.
 * @ram_size: C1: bytes of RAM, non-zero and page aligned (R1).
 * @node_sizes: C2: @nr_nodes RAM sizes, node 0 first (R1).
 * @nr_nodes: C2: number of entries in @node_sizes, at least one.
 * @ram: C3: @nr_ram sorted RAM ranges with their vnode.
 * @nr_ram: C3: number of entries in @ram.
 * @mmio: sorted MMIO gaps (may be %NULL when @nr_mmio is 0).
 * @nr_mmio: number of entries in @mmio.
 * @pci_ecam: sorted PCI ECAM holes.
 * @nr_pci_ecam: number of entries in @pci_ecam.
 * @pci_mmio: sorted PCI MMIO holes.
 * @nr_pci_mmio: number of entries in @pci_mmio.
 * @vtl2: optional VTL2 range, %NULL when absent.
 *
 * Fields that do not belong to @source are ignored. The core only reads
 * kernel memory: callers copy user input in first. The @vnode of holes and
 * VTL2 and every @reserved field are ignored by the core (the ioctl layer
 * requires them to be zero).
 */
struct memlayout_request {
	u32 source;
	u32 max_ranges;
	u64 ram_size;
	const u64 *node_sizes;
	u32 nr_nodes;
	u32 nr_ram;
	const struct memlayout_range *ram;
	const struct memlayout_range *mmio;
	const struct memlayout_range *pci_ecam;
	const struct memlayout_range *pci_mmio;
	u32 nr_mmio;
	u32 nr_pci_ecam;
	u32 nr_pci_mmio;
	const struct memlayout_range *vtl2;
};

/**
 * struct memlayout_error - why a request was rejected
 * @rule: a ``MEMLAYOUT_RULE_*`` value (R1..R8), or %MEMLAYOUT_RULE_NONE.
 * @list: the ``MEMLAYOUT_LIST_*`` the offending item belongs to.
 * @index: index of the offending item in @list.
 * @other_list: R4 only: list of the second range of the overlapping pair.
 * @other_index: R4 only: index of the second range in @other_list.
 *
 * For R4, (@list, @index) is the range that starts first and
 * (@other_list, @other_index) the one that starts at or after it. For R7,
 * @other_list/@other_index name the last RAM range. Unused fields are 0.
 */
struct memlayout_error {
	u32 rule;
	u32 list;
	u32 index;
	u32 other_list;
	u32 other_index;
};

/**
 * struct memlayout_entry - one range of a built layout, as memlayout_entry()
 *                          returns it
 * @start: first byte.
 * @end: one past the last byte.
 * @vnode: virtual NUMA node (RAM), 0 for holes.
 * @kind: ``MEMLAYOUT_KIND_*`` (never %MEMLAYOUT_KIND_NONE).
 */
struct memlayout_entry {
	u64 start;
	u64 end;
	u32 vnode;
	u32 kind;
};

/* Bits of &memlayout.flags: which optional values are present. */
#define MEMLAYOUT_HAS_VTL2			BIT(0)
#define MEMLAYOUT_HAS_MAX_RAM_BELOW_4GB		BIT(1)
#define MEMLAYOUT_HAS_RAM_ABOVE_HIGH_MMIO	BIT(2)

/**
 * struct memlayout - an immutable, validated guest memory layout
 * @rcu: frees the layout after a grace period once the last reference goes.
 * @users: references; memlayout_build() returns the first one.
 * @generation: free for the owner to set before it publishes the layout
 *              (the ioctl layer numbers each fd's layouts from 1).
 * @ram_size: Q2, total RAM bytes.
 * @end_of_ram: Q3, end of the last RAM range.
 * @ram_below_4gb: Q4, RAM bytes below 4 GiB.
 * @ram_above_4gb: Q5, RAM bytes at or above 4 GiB.
 * @max_ram_below_4gb: Q6, valid with %MEMLAYOUT_HAS_MAX_RAM_BELOW_4GB.
 * @ram_above_high_mmio: Q7, valid with %MEMLAYOUT_HAS_RAM_ABOVE_HIGH_MMIO.
 * @end_of_layout: Q8, largest end among RAM and holes.
 * @vtl2_start: start of VTL2, valid with %MEMLAYOUT_HAS_VTL2.
 * @vtl2_end: end of VTL2, valid with %MEMLAYOUT_HAS_VTL2.
 * @flags: ``MEMLAYOUT_HAS_*`` bits.
 * @fingerprint: SPEC F1, computed once by memlayout_fingerprint_layout()
 *               before the layout is published (memlayout_set_accepted());
 *               zero until then.
 * @nr: number of ranges (RAM and all holes; VTL2 excluded).
 * @list_first: list ``k`` (%MEMLAYOUT_LIST_RAM..%MEMLAYOUT_LIST_PCI_MMIO)
 *              is ``order[@list_first[k] .. @list_first[k + 1])``.
 * @placement: the placed ranges of a C4 layout (memlayout_build_placed()),
 *             freed with it; %NULL for C1-C3.
 * @starts: the start of every range, ascending; the ranges are disjoint.
 *          (Not __counted_by(@nr): the allocation goes on past it.)
 *
 * The same allocation continues, after @starts, with ``slots[@nr]`` (end,
 * vnode and kind of range i; 16 bytes each) and ``order[@nr]`` (u32 range
 * indexes grouped by kind, address order within a kind). Keeping the
 * starts apart makes the probe's binary search run over 8 bytes a range:
 * 4096 ranges fit in 32 KiB, an L1 cache. Use memlayout_entry() and
 * memlayout_get_range() rather than the arrays.
 *
 * Built only by memlayout_build() and never modified afterwards (but for
 * @users, and @generation and @fingerprint before publication), so any
 * number of readers may use it without locking while they hold a
 * reference, or inside an RCU read-side section in which they found it
 * published.
 */
struct memlayout {
	struct rcu_head rcu;
	refcount_t users;
	u32 flags;
	u64 generation;
	u64 ram_size;
	u64 end_of_ram;
	u64 ram_below_4gb;
	u64 ram_above_4gb;
	u64 max_ram_below_4gb;
	u64 ram_above_high_mmio;
	u64 end_of_layout;
	u64 vtl2_start;
	u64 vtl2_end;
	u8 fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
	u32 nr;
	u32 list_first[MEMLAYOUT_LIST_PCI_MMIO + 2];
	struct memlayout_placement *placement;
	u64 starts[];
};

struct memlayout *memlayout_build(const struct memlayout_request *req,
				  gfp_t gfp, struct memlayout_error *err);
int memlayout_check_counts(const struct memlayout_request *req,
			   struct memlayout_error *err);
bool memlayout_tryget(struct memlayout *l);
void memlayout_put(struct memlayout *l);
void memlayout_free(struct memlayout *l);
long memlayout_live(void);

u32 memlayout_count(const struct memlayout *l, u32 list);
u32 memlayout_lower_bound(const struct memlayout *l, u64 addr);
u32 memlayout_entry_index(const struct memlayout *l, u32 i);
void memlayout_entry(const struct memlayout *l, u32 i,
		     struct memlayout_entry *out);
size_t memlayout_bytes(const struct memlayout *l);
int memlayout_get_range(const struct memlayout *l, u32 list, u32 index,
			struct memlayout_range *out);
u32 memlayout_probe(const struct memlayout *l, u64 addr);
void memlayout_probe_many(const struct memlayout *l, const u64 *addrs,
			  u32 *kinds, u32 n);
void memlayout_probe_many_ranges(const struct memlayout *l, const u64 *addrs,
				 u32 *kinds, struct memlayout_probe_range *ranges,
				 u32 n);

/**
 * struct memlayout_placement - the result of memlayout_place()
 * @rcu: frees it with the layout that owns it (memlayout_build_placed()).
 * @nr: number of ranges.
 * @ranges: every placed range in address order, reserved ranges above all
 *          the others dropped.
 */
struct memlayout_placement {
	struct rcu_head rcu;
	u32 nr;
	struct memlayout_placed ranges[];
};

/**
 * struct memlayout_place_error - why a placement was rejected
 * @rule: ``MEMLAYOUT_RULE_*`` (R2, R8, P1-P4) or ``MEMLAYOUT_REASON_*``.
 * @place_class: the offending request's class.
 * @index: its index in that class (R8: the limit).
 * @other_class: P3: the class of the second pinned range.
 * @other_index: P3: its index.
 * @phase: P4: the phase (the class being placed).
 * @size: P4: the request's size.
 * @align: P4: its alignment.
 * @free: P4: free bytes left in the phase's region at that moment.
 */
struct memlayout_place_error {
	u32 rule;
	u32 place_class;
	u32 index;
	u32 other_class;
	u32 other_index;
	u32 phase;
	u64 size;
	u64 align;
	u64 free;
};

struct memlayout_placement *
memlayout_place(const struct memlayout_place_req *reqs, u32 n, u32 max_ranges,
		gfp_t gfp, struct memlayout_place_error *err);
struct memlayout *memlayout_build_placed(struct memlayout_placement *p,
					 u32 max_ranges, gfp_t gfp,
					 struct memlayout_error *err);

/**
 * struct memlayout_fp - a fingerprint being computed (memlayout_fingerprint.c)
 * @sha: the SHA-256 state.
 */
struct memlayout_fp {
	struct sha256_state sha;
};

void memlayout_fp_begin(struct memlayout_fp *fp, u32 nr, bool has_vtl2);
void memlayout_fp_range(struct memlayout_fp *fp, u64 start, u64 end,
			u32 vnode, u32 kind);
void memlayout_fp_end(struct memlayout_fp *fp,
		      const struct memlayout_range *vtl2, u8 *out);
void memlayout_fingerprint_layout(struct memlayout *l, bool may_sleep);

int memlayout_rule_errno(u32 rule);
const char *memlayout_rule_name(u32 rule);
const char *memlayout_list_name(u32 list);
const char *memlayout_kind_name(u32 kind);
u32 memlayout_max_ranges(void);

/* Host fit (SPEC H1-H3): memlayout_host.c. */
#define MEMLAYOUT_MAX_HOST_DEVICES	64U

/**
 * struct memlayout_host_region - one reserved region of an IOMMU group
 * @start: its first byte.
 * @last: its last byte (inclusive).
 * @type: ``MEMLAYOUT_RESV_*``.
 * @flags: %MEMLAYOUT_HOST_RELAXABLE or 0.
 */
struct memlayout_host_region {
	u64 start;
	u64 last;
	u32 type;
	u32 flags;
};

/**
 * struct memlayout_host_dev - what the host says about one named device
 * @flags: ``MEMLAYOUT_DEVICE_*``: %MEMLAYOUT_DEVICE_IOMMU when it is in
 *         an IOMMU group, %MEMLAYOUT_DEVICE_APERTURE when its domain
 *         enforces @aperture_start .. @aperture_last (H2 is checked).
 * @aperture_start: first byte of the aperture.
 * @aperture_last: its last byte (inclusive).
 * @nr_resv: number of entries at @resv (H3), sorted by start.
 * @resv: the group's reserved regions.
 */
struct memlayout_host_dev {
	u32 flags;
	u64 aperture_start;
	u64 aperture_last;
	u32 nr_resv;
	const struct memlayout_host_region *resv;
};

/**
 * struct memlayout_host_facts - the host a layout is checked against
 * @phys_bits: the CPU's physical address width (H1), 1 to 64.
 * @nr_devices: entries at @devices.
 * @devices: the devices the caller named, in its order.
 */
struct memlayout_host_facts {
	u32 phys_bits;
	u32 nr_devices;
	const struct memlayout_host_dev *devices;
};

/*
 * Receives each conflict in turn; a non-zero return stops the check and
 * is returned by memlayout_host_fit().
 */
typedef int (*memlayout_host_emit_t)(void *ctx,
				     const struct memlayout_host_conflict *c);

int memlayout_host_fit(const struct memlayout *l,
		       const struct memlayout_host_facts *h,
		       memlayout_host_emit_t emit, void *ctx, u32 *count,
		       bool may_sleep);

/* KVM audit (SPEC H4): memlayout_audit.c. */

/**
 * struct memlayout_kvm_slot - one KVM memslot, as the audit reads it
 * @as_id: its address space.
 * @id: its id (``slot & 0xffff``).
 * @start: first guest-physical byte (base_gfn << PAGE_SHIFT).
 * @end: one past the last (start + npages << PAGE_SHIFT); above @start.
 * @flags: ``KVM_MEM_*``.
 */
struct memlayout_kvm_slot {
	u32 as_id;
	u32 id;
	u64 start;
	u64 end;
	u32 flags;
};

typedef int (*memlayout_kvm_emit_t)(void *ctx,
				    const struct memlayout_kvm_finding *f);

int memlayout_kvm_audit(const struct memlayout *l,
			const struct memlayout_kvm_slot *slots, u32 nr,
			memlayout_kvm_emit_t emit, void *ctx, u32 *count,
			u32 *nr_as, bool may_sleep);
int memlayout_check_kvm_args(struct memlayout_check_kvm *c);

/* The ioctl interface's rules on its UAPI structs (memlayout_uapi.c). */
int memlayout_set_check(struct memlayout_set *s,
			struct memlayout_request *req, u32 max_ranges);
int memlayout_set_check_ranges(struct memlayout_set *s,
			       const struct memlayout_range *r, u32 nr,
			       u32 list);
void memlayout_set_reject(struct memlayout_set *s,
			  const struct memlayout_error *err);
struct memlayout *memlayout_set_place(struct memlayout_set *s,
				      const struct memlayout_place_req *reqs,
				      u32 max_ranges, gfp_t gfp);
u32 memlayout_nr_placed(const struct memlayout *l);
size_t memlayout_view_bytes(u32 nr);
u32 memlayout_view_shift(u32 nr, u64 end);
void memlayout_view_publish(struct memlayout_view *v, size_t size,
			    const struct memlayout *l);
int memlayout_set_frame_reason(struct memlayout_set *s, u32 field);
void memlayout_fill_stats(const struct memlayout *l,
			  struct memlayout_stats *st);
bool memlayout_list_readable(u32 list);
void memlayout_fill_map(const struct memlayout *l, u32 first, u32 n,
			struct memlayout_map_entry *out);
bool memlayout_set_accepted(struct memlayout_set *s, struct memlayout *l);
void memlayout_fill_info(struct memlayout_info *info, u32 max_ranges,
			 u64 commands);
int memlayout_check_host_args(struct memlayout_check_host *c, u32 max_devices);
int memlayout_check_host_device(struct memlayout_host_device *d);

/**
 * memlayout_ram_size() - SPEC Q2: total bytes of RAM
 * @l: a built layout.
 *
 * Context: any.
 * Return: the sum of the lengths of all RAM ranges (VTL2 excluded).
 */
static inline u64 memlayout_ram_size(const struct memlayout *l)
{
	return l->ram_size;
}

/**
 * memlayout_end_of_ram() - SPEC Q3: end of the last RAM range
 * @l: a built layout.
 *
 * Context: any.
 * Return: one past the last byte of RAM.
 */
static inline u64 memlayout_end_of_ram(const struct memlayout *l)
{
	return l->end_of_ram;
}

/**
 * memlayout_ram_below_4gb() - SPEC Q4: RAM bytes below 4 GiB
 * @l: a built layout.
 *
 * Context: any.
 * Return: RAM bytes at addresses below 4 GiB, counted exactly (SPEC D2).
 */
static inline u64 memlayout_ram_below_4gb(const struct memlayout *l)
{
	return l->ram_below_4gb;
}

/**
 * memlayout_ram_above_4gb() - SPEC Q5: RAM bytes at or above 4 GiB
 * @l: a built layout.
 *
 * Context: any.
 * Return: RAM bytes at addresses at or above 4 GiB (SPEC D2).
 */
static inline u64 memlayout_ram_above_4gb(const struct memlayout *l)
{
	return l->ram_above_4gb;
}

/**
 * memlayout_max_ram_below_4gb() - SPEC Q6: end of the RAM run below 4 GiB
 * @l: a built layout.
 * @out: receives min(end, 4 GiB) of the last RAM range starting below 4 GiB.
 *
 * Context: any.
 * Return: true if some RAM starts below 4 GiB (and @out is set), else false.
 */
static inline bool memlayout_max_ram_below_4gb(const struct memlayout *l,
					       u64 *out)
{
	if (!(l->flags & MEMLAYOUT_HAS_MAX_RAM_BELOW_4GB))
		return false;
	*out = l->max_ram_below_4gb;
	return true;
}

/**
 * memlayout_ram_above_high_mmio() - SPEC Q7: RAM above the second MMIO gap
 * @l: a built layout.
 * @out: receives the RAM bytes in ranges starting at or above the end of the
 *       second MMIO gap.
 *
 * Context: any.
 * Return: true if the layout has exactly two MMIO gaps (and @out is set).
 */
static inline bool memlayout_ram_above_high_mmio(const struct memlayout *l,
						 u64 *out)
{
	if (!(l->flags & MEMLAYOUT_HAS_RAM_ABOVE_HIGH_MMIO))
		return false;
	*out = l->ram_above_high_mmio;
	return true;
}

/**
 * memlayout_end_of_layout() - SPEC Q8: largest end of RAM and holes
 * @l: a built layout.
 *
 * Context: any.
 * Return: the largest end among RAM and all holes; VTL2 is excluded, and
 * with no holes this is memlayout_end_of_ram() (SPEC D3).
 */
static inline u64 memlayout_end_of_layout(const struct memlayout *l)
{
	return l->end_of_layout;
}

#endif /* _LINUX_MEMLAYOUT_H */
