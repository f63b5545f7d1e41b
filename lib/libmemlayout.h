/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmemlayout: guest-physical memory layouts for VMMs, from userspace.
 *
 * One handle type, two back ends with the same calls:
 *
 * * memlayout_open() - /dev/memlayout: every call is the ioctl of the same
 *   name (Documentation/userspace-api/memlayout.rst).
 * * memlayout_offline() - the module's own core (memlayout_core.c, compiled
 *   unchanged) in this process: no module, no device, same errnos and
 *   reasons, so a layout can be planned offline and committed to the
 *   device with the same code.
 *
 * Every function returning int returns 0 or a negative errno (and sets
 * errno to its positive value). See Documentation/userspace-api/libmemlayout.rst.
 */
#ifndef _LIBMEMLAYOUT_H
#define _LIBMEMLAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/memlayout.h>
#include <asm/bootparam.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define MEMLAYOUT_API __attribute__((__visibility__("default")))
#else
#define MEMLAYOUT_API
#endif

/* The device node memlayout_open(NULL) opens. */
#define MEMLAYOUT_DEVICE		"/dev/memlayout"
/* R8 limit of an offline handle created with max_ranges 0. */
#define MEMLAYOUT_OFFLINE_MAX_RANGES	4096U
/* Room memlayout_strerror() needs for any message. */
#define MEMLAYOUT_STRERROR_LEN		256

/* A device file or an offline layout; opaque. */
struct memlayout_handle;

/* ---- names and messages ------------------------------------------------ */

/*
 * The short names used in messages and in memlayoutctl's JSON; NULL for a
 * value this library does not know.
 *
 * memlayout_rule_name(): "none", "R1" .. "R8", "flags", "reserved", "size".
 * memlayout_list_name(): "none", "ram", "mmio", "pci_ecam", "pci_mmio",
 *                        "vtl2", "nodes".
 * memlayout_kind_name(): "none", "ram", "mmio", "pci_ecam", "pci_mmio".
 * memlayout_field_name(): the member a MEMLAYOUT_REASON_* reason.field
 *   points at: with list MEMLAYOUT_LIST_NONE, a member of struct
 *   memlayout_set ("ram_size", "mmio_ptr", "vtl2", ...); with any other
 *   list, a member of struct memlayout_range ("vnode", "reserved").
 */
MEMLAYOUT_API const char *memlayout_rule_name(uint32_t rule);
MEMLAYOUT_API const char *memlayout_list_name(uint32_t list);
MEMLAYOUT_API const char *memlayout_kind_name(uint32_t kind);
MEMLAYOUT_API const char *memlayout_field_name(uint32_t list, uint32_t field);
/*
 * memlayout_class_name(): a MEMLAYOUT_CLASS_* (also a P4 phase) as
 * "reserved", "fixed", "mmio32", "ram", "mmio64", "post_mmio".
 * memlayout_field_name() with MEMLAYOUT_LIST_PLACE names a member of
 * struct memlayout_place_req ("place_class", "kind", "start", ...).
 */
MEMLAYOUT_API const char *memlayout_class_name(uint32_t place_class);

/*
 * memlayout_strerror() - one line for a SET_LAYOUT result
 * @r: the reason SET_LAYOUT wrote (may be NULL: the errno alone).
 * @err: the errno, negative or positive (0: success).
 * @buf, @len: where to write; the message is cut to fit, always NUL
 *             terminated when @len > 0.
 *
 * Names the rule, the list and index, the other range of R4/R7 and the
 * field of an interface reason, then the errno's text, for example
 * "R4 overlap: mmio[1] overlaps ram[0]: File exists".
 * Return: @buf.
 */
MEMLAYOUT_API char *memlayout_strerror(const struct memlayout_reason *r,
				       int err, char *buf, size_t len);

/* ---- handles ----------------------------------------------------------- */

/*
 * memlayout_open() - open the device (NULL: MEMLAYOUT_DEVICE), O_CLOEXEC.
 * Return: a handle, or NULL with errno set.
 */
MEMLAYOUT_API struct memlayout_handle *memlayout_open(const char *path);

/*
 * memlayout_offline() - an offline handle, holding no layout yet
 * @max_ranges: the R8 limit per list; 0 means MEMLAYOUT_OFFLINE_MAX_RANGES
 *              (the module parameter's default).
 * Return: a handle, or NULL with errno set (ENOMEM).
 */
MEMLAYOUT_API struct memlayout_handle *memlayout_offline(uint32_t max_ranges);

/* Closes the device or frees the offline layout; NULL is a no-op. */
MEMLAYOUT_API void memlayout_close(struct memlayout_handle *h);

/* The device's file descriptor, or -1 for an offline handle. */
MEMLAYOUT_API int memlayout_fd(const struct memlayout_handle *h);

/*
 * memlayout_get_info() - MEMLAYOUT_IOC_GET_INFO; @info->size and flags are
 * set by the library. Offline: what this library's core supports.
 */
MEMLAYOUT_API int memlayout_get_info(struct memlayout_handle *h,
				     struct memlayout_info *info);

/*
 * memlayout_set() - MEMLAYOUT_IOC_SET_LAYOUT
 * @s: the request exactly as the ioctl takes it (pointers as
 *     (uint64_t)(uintptr_t) addresses of this process); @s->size 0 means
 *     sizeof(*s). @s->reason and @s->generation are written back as the
 *     ioctl writes them, on success and on rejection.
 *
 * Offline, the same checks run in the same order as in the kernel (the
 * interface checks of memlayout_ioctl.c, then the core's rules), with the
 * same errno and reason; the arrays must be readable (there is no -EFAULT).
 * Return: 0, or the negative errno (reason in @s->reason).
 */
MEMLAYOUT_API int memlayout_set(struct memlayout_handle *h,
				struct memlayout_set *s);

/* memlayout_get_stats() - MEMLAYOUT_IOC_GET_STATS (-ENOENT: no layout). */
MEMLAYOUT_API int memlayout_get_stats(struct memlayout_handle *h,
				      struct memlayout_stats *st);

/*
 * memlayout_get_ranges() - one list, all of it (MEMLAYOUT_LIST_RAM, _MMIO,
 * _PCI_ECAM, _PCI_MMIO or _VTL2)
 * @ranges: receives a malloc()ed array (free() it), NULL when empty.
 * @count: receives the number of ranges.
 * @generation: receives the generation read (may be NULL).
 *
 * On the device, the -EMSGSIZE size negotiation is done here (retried if
 * the list grows in between).
 */
MEMLAYOUT_API int memlayout_get_ranges(struct memlayout_handle *h,
				       uint32_t list,
				       struct memlayout_range **ranges,
				       uint32_t *count, uint64_t *generation);

/*
 * memlayout_probe_batch() - MEMLAYOUT_IOC_PROBE: the MEMLAYOUT_KIND_* of each of
 * @count addresses, all answered by one layout (its generation in
 * @generation, which may be NULL). @count 0 is a no-op returning 0.
 */
MEMLAYOUT_API int memlayout_probe_batch(struct memlayout_handle *h,
					const uint64_t *addrs, uint32_t *kinds,
					uint32_t count, uint64_t *generation);

/*
 * memlayout_probe_ranges() - MEMLAYOUT_IOC_PROBE with covering ranges: as
 * memlayout_probe_batch(), and @ranges[i] receives the range that answered
 * @addrs[i] (start, end, vnode, index in its kind's list; index
 * MEMLAYOUT_PROBE_NO_RANGE for MEMLAYOUT_KIND_NONE). @kinds may be NULL.
 */
MEMLAYOUT_API int memlayout_probe_ranges(struct memlayout_handle *h,
					 const uint64_t *addrs, uint32_t *kinds,
					 struct memlayout_probe_range *ranges,
					 uint32_t count, uint64_t *generation);

/* ---- placement (SPEC C4) ----------------------------------------------- */

/*
 * memlayout_set_placement() - SET_LAYOUT with MEMLAYOUT_SOURCE_PLACE: place
 * the whole address space from @n requests (struct memlayout_place_req,
 * the ioctl's own) and make it the layout
 * @flags: 0 or MEMLAYOUT_SET_DRY_RUN (check and fingerprint, publish
 *         nothing).
 * @reply: NULL, or receives the whole SET_LAYOUT reply: reason,
 *         place_reason, generation and fingerprint, on success and on
 *         rejection (give it to memlayout_place_strerror()).
 * Return: 0, or the negative errno: -EINVAL (P1, P2, R2, R5, a member the
 * class does not use), -EEXIST (P3), -ENOSPC (P4), -E2BIG (R8),
 * -EOPNOTSUPP (unknown class), -ENOMEM.
 */
MEMLAYOUT_API int memlayout_set_placement(struct memlayout_handle *h,
					  const struct memlayout_place_req *reqs,
					  uint32_t n, uint32_t flags,
					  struct memlayout_set *reply);

/*
 * memlayout_get_placements() - MEMLAYOUT_IOC_GET_PLACEMENTS: the placed
 * ranges of the current layout, in address order, each with its class,
 * index (tag), kind and vnode
 * @placed: receives a malloc()ed array (free() it); NULL when the layout
 *          was not placed (C1-C3: @count 0, return 0).
 * Return: 0, -ENOENT (no layout), -ENOMEM.
 */
MEMLAYOUT_API int memlayout_get_placements(struct memlayout_handle *h,
					   struct memlayout_placed **placed,
					   uint32_t *count,
					   uint64_t *generation);

/*
 * memlayout_place_strerror() - the message for a placement rejection,
 * worded as OpenVMM's LayoutBuilder words it, e.g. "vmbus: cannot
 * allocate 0x8000000 bytes with alignment 0x100000 during mmio32;
 * 0x2000000 bytes free"
 * @s: the reply memlayout_set_placement() wrote.
 * @err: its errno.
 * @tags: NULL, or one name per request, in array order (NULL entries
 *        allowed); without a name a request is "class[index]".
 * A rejection not about one request (R5, -ENOMEM) reads as
 * memlayout_strerror()'s.
 * Return: @buf.
 */
MEMLAYOUT_API char *memlayout_place_strerror(const struct memlayout_set *s,
					     int err, const char *const *tags,
					     char *buf, size_t len);

/* ---- the shared view (SPEC V1-V3) -------------------------------------- */

/* A mapped view of a file's layout; opaque. */
struct memlayout_view_map;

/*
 * memlayout_view_open() - map the file's shared view, read-only
 * @size: 0, or the view size to ask for if the file has no view yet (the
 *        first mapping of a file fixes it; 0 asks for room for the largest
 *        layout the module accepts). When the view exists, it is mapped
 *        whole, whatever @size.
 * Every process holding the file (fork(), SCM_RIGHTS) sees the same view,
 * rewritten by every SET_LAYOUT. Offline: the engine's own view, written
 * by the kernel's writer code on each memlayout_set().
 * Return: 0, -EPROTO for a view this library does not know (magic or
 * version), or -errno from mmap() (EPERM, EINVAL, ENOMEM).
 */
MEMLAYOUT_API int memlayout_view_open(struct memlayout_handle *h, size_t size,
				      struct memlayout_view_map **out);

/* Unmaps; NULL is a no-op. The handle may be closed before or after. */
MEMLAYOUT_API void memlayout_view_close(struct memlayout_view_map *v);

/* The raw header (for its fields; read it with the protocol, or not at all). */
MEMLAYOUT_API const struct memlayout_view *
memlayout_view_header(const struct memlayout_view_map *v);

/*
 * memlayout_view_read_header() - a copy of the header, of one layout (read
 * with the sequence counter protocol; @out->seq is the even value it was
 * read under). Return: 0, or -EPROTO for a view this library does not know.
 */
MEMLAYOUT_API int memlayout_view_read_header(const struct memlayout_view_map *v,
					     struct memlayout_view *out);

/*
 * memlayout_view_probe() - SPEC Q9 through the view, no system call
 * @kind: receives the MEMLAYOUT_KIND_* of @addr (may be NULL).
 * @hit: receives the covering range (zero for MEMLAYOUT_KIND_NONE; may be
 *       NULL).
 * @generation: receives the generation answered (may be NULL).
 * The sequence counter protocol is run here: the answer is wholly of one
 * layout, retried while a SET_LAYOUT rewrites the view.
 * Return: 0; -ENOENT (no layout yet); -E2BIG (the layout is too large for
 * the view: use memlayout_probe_batch()); -EPROTO (a view version this
 * library does not know).
 */
MEMLAYOUT_API int memlayout_view_probe(const struct memlayout_view_map *v,
				       uint64_t addr, uint32_t *kind,
				       struct memlayout_map_entry *hit,
				       uint64_t *generation);

/* As memlayout_view_probe() for @count addresses, all of one generation. */
MEMLAYOUT_API int memlayout_view_probe_batch(const struct memlayout_view_map *v,
					     const uint64_t *addrs,
					     uint32_t *kinds, uint32_t count,
					     uint64_t *generation);

/**
 * struct memlayout_view_reader - what memlayout_view_try_probe() reads
 * @view: the mapped header.
 * @starts: where version 1 of the view puts the starts
 *          (MEMLAYOUT_VIEW_STARTS_OFF).
 * @cap: most ranges whose starts, records and index lie within the
 *       mapping; 0 for a view without the index (an older module), which
 *       the fast path then leaves to memlayout_view_probe().
 *
 * Returned by memlayout_view_reader(); valid while the map is open.
 */
struct memlayout_view_reader {
	const struct memlayout_view *view;
	const uint64_t *starts;
	uint32_t cap;
};

/*
 * The reader of @v (no system call), by value: a copy a loop keeps in
 * registers, where one whose address a function was given is reloaded
 * after every call.
 */
MEMLAYOUT_API struct memlayout_view_reader
memlayout_view_reader(const struct memlayout_view_map *v);

/**
 * memlayout_view_try_probe() - memlayout_view_probe()'s fast path, inline
 * @r: from memlayout_view_reader().
 * @addr: the address.
 * @kind: receives its MEMLAYOUT_KIND_* (may be NULL).
 * @generation: receives the generation answered (may be NULL).
 *
 * One attempt of the sequence counter protocol, in the caller's own code,
 * as liburing's inline functions read io_uring's shared rings: the hot
 * path of an exit handler costs three header loads and one branch, two
 * loads of the bucket index, the search among the few ranges they leave,
 * and the counter's second load (the generation's too when asked), not a
 * call. memlayout_view_probe() runs this same code.
 *
 * Return: 0 with the answer; 1 when it cannot answer (no layout, too
 * large for the view, or a SET_LAYOUT rewriting it): then call
 * memlayout_view_probe(), which retries and says which. Nothing is
 * written when it returns 1.
 */
static inline int memlayout_view_try_probe(const struct memlayout_view_reader *r,
					   uint64_t addr, uint32_t *kind,
					   uint64_t *generation)
{
	const struct memlayout_view *v = r->view;
	const uint64_t *st = r->starts;
	const struct memlayout_view_record *rec;
	const uint32_t *ix;
	uint32_t seq, shift, nr, lo, hi, n, half, next, k;
	uint64_t gen = 0, b, top, x, end;

	seq = __atomic_load_n(&v->seq, __ATOMIC_ACQUIRE);
	shift = __atomic_load_n(&v->index_shift, __ATOMIC_RELAXED);
	nr = __atomic_load_n(&v->nr, __ATOMIC_RELAXED);
	/*
	 * One branch for every reason not to answer here: a writer inside
	 * (odd), no ranges in the view (no index: MEMLAYOUT_VIEW_NO_INDEX),
	 * or a count past the map. nr - 1 wraps for 0, which no layout has
	 * (SPEC R5).
	 */
	if ((seq & 1) | (shift > 63) | (nr - 1 >= r->cap))
		return 1;
	rec = (const struct memlayout_view_record *)(st + nr);
	ix = (const uint32_t *)(st + 3 * (uint64_t)nr);
	/*
	 * The bucket index: the candidates are ranges ix[b] to ix[b + 1].
	 * Plain loads, as the vDSO reads its data page; what they give is
	 * bounded by nr - 1 before use, so a read torn by a writer stays
	 * within the map, and the counter discards it.
	 */
	top = 2 * (uint64_t)nr - 2;
	b = addr >> shift;
	b = b < top ? b : top;
	lo = ix[b];
	hi = ix[b + 1];
	hi = hi < nr - 1 ? hi : nr - 1;
	lo = lo < hi ? lo : hi;
	for (n = hi - lo + 1; n > 1; n -= half) {
		half = n / 2;
		next = lo + half;
		x = st[next];
#ifdef __clang__
		/* Keeps clang's select a cmov (memlayout_core.c's
		 * ML_DEPENDS_ON()); gcc keeps it without. */
		__asm__("" : "+r" (next) : "r" (x));
#endif
		lo = x <= addr ? next : lo;
	}
	/*
	 * Range lo holds addr iff start <= addr < end, one unsigned compare
	 * (start < end in every layout; a torn pair is discarded below).
	 */
	x = st[lo];
	end = rec[lo].end;
	k = __atomic_load_n(&rec[lo].kind, __ATOMIC_RELAXED);
	k = addr - x < end - x ? k : MEMLAYOUT_KIND_NONE;
	if (generation)
		gen = __atomic_load_n(&v->generation, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&v->seq, __ATOMIC_RELAXED) != seq)
		return 1;
	if (kind)
		*kind = k;
	if (generation)
		*generation = gen;
	return 0;
}

/* ---- snapshots --------------------------------------------------------- */

/**
 * struct memlayout_snapshot - one whole layout, read at once
 * @generation: the layout's generation (0 for a snapshot built by hand).
 * @fingerprint: its fingerprint (SPEC F1).
 * @stats: its figures and counts; VTL2 is @stats.vtl2_start/end when
 *         @stats.present has MEMLAYOUT_STATS_VTL2.
 * @nr: number of entries.
 * @entries: every range (RAM and holes, not VTL2) in address order;
 *           malloc()ed, released by memlayout_snapshot_free().
 */
struct memlayout_snapshot {
	uint64_t generation;
	uint8_t fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_stats stats;
	uint32_t nr;
	struct memlayout_map_entry *entries;
};

/*
 * memlayout_get_layout() - MEMLAYOUT_IOC_GET_LAYOUT: every range, the
 * figures, the generation and the fingerprint of one layout, in one call
 * (the -EMSGSIZE negotiation is done here). Offline: the same, from the
 * offline layout. On error @snap is left empty (nr 0, entries NULL).
 */
MEMLAYOUT_API int memlayout_get_layout(struct memlayout_handle *h,
				       struct memlayout_snapshot *snap);

/* Frees @snap->entries and empties @snap; NULL is a no-op. */
MEMLAYOUT_API void memlayout_snapshot_free(struct memlayout_snapshot *snap);

/*
 * memlayout_fingerprint() - SPEC F2: the fingerprint of @n entries in
 * address order and the VTL2 range (@vtl2 NULL: none), computed here,
 * exactly as the kernel computes it (the encoding is in
 * Documentation/userspace-api/memlayout.rst, "Fingerprint").
 */
MEMLAYOUT_API void memlayout_fingerprint(const struct memlayout_map_entry *e,
					 uint32_t n,
					 const struct memlayout_range *vtl2,
					 uint8_t out[MEMLAYOUT_FINGERPRINT_SIZE]);

/* Room memlayout_fingerprint_hex() needs: 64 hex digits and a NUL. */
#define MEMLAYOUT_FINGERPRINT_HEX_LEN	65

/* Lower-case hex of @fp into @buf; returns @buf. */
MEMLAYOUT_API char *memlayout_fingerprint_hex(const uint8_t *fp, char *buf);

/* ---- structured difference (SPEC F2) ----------------------------------- */

#define MEMLAYOUT_DIFF_ADDED	1	/* a range only in the second layout */
#define MEMLAYOUT_DIFF_REMOVED	2	/* a range only in the first layout */
#define MEMLAYOUT_DIFF_CHANGED	3	/* same start and kind, other end or vnode */
#define MEMLAYOUT_DIFF_FIGURE	4	/* a figure (stats member) differs */
#define MEMLAYOUT_DIFF_VTL2	5	/* the VTL2 range differs */

/**
 * struct memlayout_diff_item - one difference between two layouts
 * @op: ``MEMLAYOUT_DIFF_*``.
 * @a: the range in the first layout (REMOVED, CHANGED), else NULL.
 * @b: the range in the second layout (ADDED, CHANGED), else NULL.
 * @figure: FIGURE: the member's name ("ram_size", "end_of_ram", ...,
 *          as in memlayoutctl's JSON), else NULL.
 * @old_value, @new_value: FIGURE and VTL2 (start; ends in @old_end,
 *          @new_end): the values in the first and second layout.
 * @old_end, @new_end: VTL2 only.
 */
struct memlayout_diff_item {
	uint32_t op;
	const struct memlayout_map_entry *a;
	const struct memlayout_map_entry *b;
	const char *figure;
	uint64_t old_value, new_value;
	uint64_t old_end, new_end;
};

/*
 * memlayout_diff() - every difference between two snapshots, in address
 * order of the ranges, then figures, then VTL2
 * @fn: called once per difference; a non-zero return stops the walk and
 *      is returned.
 * Return: the number of differences (0: the layouts are equal), or what
 * @fn returned to stop.
 */
MEMLAYOUT_API int memlayout_diff(const struct memlayout_snapshot *a,
				 const struct memlayout_snapshot *b,
				 int (*fn)(const struct memlayout_diff_item *it,
					   void *arg),
				 void *arg);

/* ---- firmware maps (Documentation/userspace-api/firmware-maps.rst) ----- */

/*
 * Every map takes a snapshot in address order (as memlayout_get_layout()
 * returns it; a hand-built one that overlaps or is unsorted is -EINVAL)
 * and writes the guest's byte image: little-endian fields, big-endian
 * device-tree cells. A "RAM run" is a RAM range and the RAM ranges of the
 * same vnode that follow it with no gap.
 */

/* memlayout_e820() flags */
#define MEMLAYOUT_E820_LEGACY	(1U << 0)	/* BIOS carve-out below 1 MiB */

/* boot_e820_entry.type values memlayout_e820() writes (ACPI 6.5, 15) */
#define MEMLAYOUT_E820_RAM	1	/* AddressRangeMemory */
#define MEMLAYOUT_E820_RESERVED	2	/* AddressRangeReserved */

/*
 * memlayout_e820() - an x86 e820 table for @snap
 * @out: room for @*count entries (may be NULL when @*count is 0).
 * @count: in: capacity; out: entries written, or needed with -EMSGSIZE
 *         (nothing written then).
 *
 * RAM (merged across node splits), ECAM and VTL2 reserved, MMIO gaps and
 * PCI MMIO windows left as holes; with MEMLAYOUT_E820_LEGACY, RAM in
 * [0x9fc00, 0xa0000) and [0xf0000, 0x100000) reserved and RAM in
 * [0xa0000, 0xf0000) dropped, as SeaBIOS does. Sorted, adjacent entries
 * of one type merged.
 * Return: 0, -EMSGSIZE, or -EINVAL (unknown flag, bad snapshot).
 */
MEMLAYOUT_API int memlayout_e820(const struct memlayout_snapshot *snap,
				 uint32_t flags, struct boot_e820_entry *out,
				 uint32_t *count);

/* ACPI SRAT Memory Affinity Structure (ACPI 6.5, 5.2.16.2), 40 bytes. */
struct memlayout_srat_mem {
	uint8_t type;			/* 1 */
	uint8_t length;			/* 40 */
	uint32_t proximity_domain;
	uint16_t reserved1;
	uint32_t base_lo, base_hi;
	uint32_t length_lo, length_hi;
	uint32_t reserved2;
	uint32_t flags;			/* bit 0: enabled */
	uint64_t reserved3;
} __attribute__((__packed__));

/*
 * memlayout_srat_entries() - one Memory Affinity Structure per RAM run
 * of @snap (proximity domain = vnode, enabled), with the same -EMSGSIZE
 * contract as memlayout_e820().
 */
MEMLAYOUT_API int memlayout_srat_entries(const struct memlayout_snapshot *snap,
					 struct memlayout_srat_mem *out,
					 uint32_t *count);

/*
 * memlayout_srat_table() - a complete SRAT (header, revision 3, checksum,
 * memory affinity structures; no processor structures) into @buf of
 * @*len bytes; @*len receives the table length (needed, with -EMSGSIZE).
 */
MEMLAYOUT_API int memlayout_srat_table(const struct memlayout_snapshot *snap,
				       void *buf, size_t *len);

/*
 * memlayout_fdt_memory() - add a /memory@<start> node (device_type
 * "memory", reg, numa-node-id) per RAM run of @snap to the flattened
 * device tree @fdt of @size bytes, with libfdt. reg follows the root's
 * #address-cells/#size-cells (1 or 2; set to 2 when absent). On error
 * the tree is unchanged. Return: 0, -ENOSPC (tree full), -EEXIST (a node
 * of that name exists), -EINVAL (not a tree, bad cells, a range that
 * does not fit them, bad snapshot) or -ENOMEM.
 */
MEMLAYOUT_API int memlayout_fdt_memory(const struct memlayout_snapshot *snap,
				       void *fdt, size_t size);

/* ---- host fit (SPEC H1-H3) --------------------------------------------- */

/*
 * The short names of host fit, as in memlayoutctl's output; NULL for a
 * value this library does not know.
 *
 * memlayout_host_rule_name(): "H1", "H2", "H3" (MEMLAYOUT_HOST_*).
 * memlayout_domain_type_name(): "none", "blocked", "identity", "dma",
 *   "unmanaged", "other" (MEMLAYOUT_DOMAIN_*).
 * memlayout_resv_type_name(): the word the kernel writes in
 *   /sys/kernel/iommu_groups/N/reserved_regions for a MEMLAYOUT_RESV_*
 *   type with MEMLAYOUT_HOST_* @flags: "direct", "direct-relaxable"
 *   (MEMLAYOUT_RESV_DIRECT with MEMLAYOUT_HOST_RELAXABLE), "reserved",
 *   "msi" (MEMLAYOUT_RESV_MSI and MEMLAYOUT_RESV_SW_MSI: sysfs does not
 *   tell them apart either); "none" for MEMLAYOUT_RESV_NONE (H1, H2).
 */
MEMLAYOUT_API const char *memlayout_host_rule_name(uint32_t rule);
MEMLAYOUT_API const char *memlayout_domain_type_name(uint32_t domain_type);
MEMLAYOUT_API const char *memlayout_resv_type_name(uint32_t type,
						   uint32_t flags);

/*
 * memlayout_pci_device() - a MEMLAYOUT_DEVICE_PCI record from a PCI
 * address, "SSSS:BB:DD.F" (segment, 4 hex digits) or "BB:DD.F" (segment
 * 0): bus 2 hex digits, device 2 hex digits (at most 1f), function one
 * digit 0-7, as lspci and /sys/bus/pci/devices name them. Nothing else
 * is accepted: no sign, space, prefix or trailing character.
 * @d: receives the record (every other member 0). Untouched on error.
 * Return: 0, or -EINVAL.
 */
MEMLAYOUT_API int memlayout_pci_device(const char *bdf,
				       struct memlayout_host_device *d);

/*
 * memlayout_vfio_device() - a MEMLAYOUT_DEVICE_VFIO record naming @fd, a
 * VFIO group (/dev/vfio/N) or device (/dev/vfio/devices/vfioX) file the
 * caller holds; the fd stays the caller's.
 */
MEMLAYOUT_API void memlayout_vfio_device(int fd,
					 struct memlayout_host_device *d);

/*
 * memlayout_open_vfio() - open @path (O_RDWR | O_CLOEXEC) and fill @d with
 * a MEMLAYOUT_DEVICE_VFIO record naming it. The caller owns the returned
 * descriptor and closes it after the last memlayout_check_host() that
 * names it. A VFIO group file can be open only once (EBUSY while a VMM
 * holds it): a VMM passes the descriptor it holds to
 * memlayout_vfio_device() instead.
 * Return: the descriptor, or -errno (@d untouched).
 */
MEMLAYOUT_API int memlayout_open_vfio(const char *path,
				      struct memlayout_host_device *d);

/* Room memlayout_host_device_name() needs: "vfio fd -2147483648" + NUL. */
#define MEMLAYOUT_HOST_DEVICE_NAME_LEN	24

/*
 * memlayout_host_device_name() - "SSSS:BB:DD.F" for a record that names a
 * PCI device (MEMLAYOUT_DEVICE_PCI, or a VFIO record the kernel resolved:
 * MEMLAYOUT_DEVICE_PCI_ADDR), else "vfio fd N". Return: @buf.
 */
MEMLAYOUT_API char *memlayout_host_device_name(const struct memlayout_host_device *d,
					       char *buf, size_t len);

/**
 * struct memlayout_host_fit - what memlayout_check_host() found
 * @generation: the generation of the layout checked.
 * @phys_bits: the host CPU's physical address width (H1).
 * @error_device: when a device could not be resolved, its index in the
 *                caller's array (the call returned its errno); else
 *                MEMLAYOUT_NO_DEVICE.
 * @nr: number of conflicts; 0 means the layout fits.
 * @conflicts: the conflicts, in the kernel's order (H1 in address
 *             order, then device by device H2, then H3 region by region);
 *             malloc()ed, released by memlayout_host_fit_free().
 */
struct memlayout_host_fit {
	uint64_t generation;
	uint32_t phys_bits;
	uint32_t error_device;
	uint32_t nr;
	struct memlayout_host_conflict *conflicts;
};

/*
 * memlayout_check_host() - MEMLAYOUT_IOC_CHECK_HOST: every conflict of the
 * current layout with this host (SPEC H1-H3)
 * @devs: @n device records (memlayout_pci_device(), memlayout_vfio_device(),
 *        memlayout_open_vfio()); their out members (flags, iommu_group,
 *        domain_type, nr_resv, aperture, and a VFIO record's PCI address)
 *        are written on success. What the kernel wrote is removed before
 *        each call, so an array may be checked again as it came back
 *        (memlayout_check_host_raw() sends the records as they are). May
 *        be NULL when @n is 0 (H1 alone).
 * @fit: receives the result; on error only @fit->error_device is
 *       meaningful (the rest is empty).
 *
 * The -EMSGSIZE count negotiation is done here, retried while the number
 * of conflicts grows between calls (another SET_LAYOUT on the same file).
 *
 * Offline: the kernel's checks of the command and of each record, and its
 * memlayout_host_fit() over this machine's CPU width ("address sizes" in
 * /proc/cpuinfo, else CPUID 0x80000008, which does not know of a memory
 * encryption reduction; -EOPNOTSUPP when neither is there). Devices cannot
 * be resolved offline: the first device gives -ENODEV (-EBADF for a VFIO
 * fd that is not open, -EINVAL for one that is not a character device),
 * with @fit->error_device its index.
 * Return: 0; -ENOENT (no layout); -E2BIG (more than GET_INFO's
 * max_devices); -EOPNOTSUPP, -EINVAL (a record: @fit->error_device);
 * -ENODEV, -EBADF (a device: @fit->error_device); -ENOMEM; -EPROTO (an
 * -EMSGSIZE that asks for no more room).
 */
MEMLAYOUT_API int memlayout_check_host(struct memlayout_handle *h,
				       struct memlayout_host_device *devs,
				       uint32_t n,
				       struct memlayout_host_fit *fit);

/* Frees @fit->conflicts and empties @fit; NULL is a no-op. */
MEMLAYOUT_API void memlayout_host_fit_free(struct memlayout_host_fit *fit);

/*
 * memlayout_check_host_raw() - the command itself, for a caller that
 * brings its own conflict buffer: @c exactly as the ioctl takes it
 * (@c->size 0 means sizeof(*c)), negotiation included: a @c->count too
 * small gives -EMSGSIZE with @c->count the number needed and nothing
 * written to the buffer. Offline: as memlayout_check_host().
 */
MEMLAYOUT_API int memlayout_check_host_raw(struct memlayout_handle *h,
					   struct memlayout_check_host *c);

/*
 * memlayout_host_conflict_str() - one line for a conflict, for example
 * "H3: ram[0] 0x0-0xffffffff overlaps msi region 0xfee00000-0xfeefffff of
 * 0000:00:1f.0" or "H1: mmio[2] 0xfc00000000-0x10000000fff ends above
 * 2^40 (CPU physical address width 40)". Both ranges are printed with
 * inclusive ends, as /proc/iomem and sysfs print them.
 * @devs, @n: the records the check was given, to name the device (NULL:
 *            "device N").
 * Cut to fit @len, always NUL terminated when @len > 0. Return: @buf.
 */
MEMLAYOUT_API char *memlayout_host_conflict_str(const struct memlayout_host_conflict *c,
						const struct memlayout_host_device *devs,
						uint32_t n, char *buf,
						size_t len);

/* ---- KVM audit (SPEC H4) ------------------------------------------------ */

/*
 * memlayout_kvm_kind_name() - the short name of a finding's kind, as in
 * memlayoutctl's output: "unbacked", "readonly", "over-hole", "outside"
 * (MEMLAYOUT_KVM_*); NULL for a value this library does not know.
 */
MEMLAYOUT_API const char *memlayout_kvm_kind_name(uint32_t kind);

/* KVM's memslot flags this library names (MEMLAYOUT_KVM_MEM_*, UAPI). */
#define MEMLAYOUT_KVM_MEM_KNOWN			0x7U

/* Room memlayout_kvm_slot_flags_str() needs for any value. */
#define MEMLAYOUT_KVM_FLAGS_LEN			48

/*
 * memlayout_kvm_slot_flags_str() - a memslot's KVM_MEM_* flags by name,
 * joined with ',': "log-dirty", "readonly", "guest-memfd", then any other
 * bits as one hex number ("readonly,0x100"); "-" for none. Cut to fit
 * @len, always NUL terminated when @len > 0. Return: @buf.
 */
MEMLAYOUT_API char *memlayout_kvm_slot_flags_str(uint32_t flags, char *buf,
						 size_t len);

/**
 * struct memlayout_kvm_audit - what a KVM audit found
 * @generation: the generation of the layout checked.
 * @nr_slots: memslots read (memlayout_check_kvm(): over every address
 *            space of the VM; memlayout_kvm_audit_slots(): the slots given).
 * @nr_as: address spaces holding at least one memslot.
 * @error_slot: memlayout_kvm_audit_slots() only: when a slot given is
 *              refused, its index (the call returned its errno); else
 *              MEMLAYOUT_KVM_NO_SLOT.
 * @nr: number of findings; 0 means the memslots match the layout.
 * @findings: the findings in the kernel's order (address space by address
 *            space, each in address order); malloc()ed, released by
 *            memlayout_kvm_audit_free(); NULL when @nr is 0.
 */
struct memlayout_kvm_audit {
	uint64_t generation;
	uint32_t nr_slots;
	uint32_t nr_as;
	uint32_t error_slot;
	uint32_t nr;
	struct memlayout_kvm_finding *findings;
};

/*
 * memlayout_check_kvm() - MEMLAYOUT_IOC_CHECK_KVM: every finding of the
 * current layout against the memslots of the KVM VM @vm_fd (the fd
 * KVM_CREATE_VM returned; it stays the caller's), in every address space
 * (SPEC H4). Nothing is changed, neither the layout nor the VM.
 * @a: receives the result; empty on error.
 *
 * The -EMSGSIZE count negotiation is done here, retried while the number
 * of findings grows between calls (a SET_LAYOUT on the same file, or the
 * VMM changing its memslots).
 *
 * Offline: no VM can be read in this process. The command is checked as
 * the kernel checks it (-EOPNOTSUPP, -EINVAL, -ENOENT, -EBADF for a
 * @vm_fd that is not open) and then answered -ENOPKG, as by a kernel
 * without KVM; memlayout_kvm_audit_slots() is the offline audit.
 * Return: 0; -ENOENT (no layout); -EBADF (@vm_fd not open); -ENOPKG (KVM
 * not loaded; offline handle); -EINVAL (@vm_fd is not a KVM VM); -ESRCH
 * (the VM is being destroyed); -ENOTTY (a module without the command);
 * -ENOMEM; -EPROTO (an -EMSGSIZE that asks for no more room).
 */
MEMLAYOUT_API int memlayout_check_kvm(struct memlayout_handle *h, int vm_fd,
				      struct memlayout_kvm_audit *a);

/*
 * memlayout_check_kvm_raw() - the command itself, for a caller that
 * brings its own finding buffer: @c exactly as the ioctl takes it
 * (@c->size 0 means sizeof(*c)), negotiation included: a @c->count too
 * small gives -EMSGSIZE with @c->count the number needed and nothing
 * written to the buffer. Offline: as memlayout_check_kvm().
 */
MEMLAYOUT_API int memlayout_check_kvm_raw(struct memlayout_handle *h,
					  struct memlayout_check_kvm *c);

/* Frees @a->findings and empties @a; NULL is a no-op. */
MEMLAYOUT_API void memlayout_kvm_audit_free(struct memlayout_kvm_audit *a);

/**
 * struct memlayout_kvm_memslot - one memslot a VMM sets or means to set
 * @as_id: its address space (``slot >> 16`` of KVM_SET_USER_MEMORY_REGION).
 * @id: its id (``slot & 0xffff``).
 * @start: first guest-physical byte (guest_phys_addr).
 * @end: one past the last (guest_phys_addr + memory_size).
 * @flags: its ``KVM_MEM_*`` flags (MEMLAYOUT_KVM_MEM_*).
 * @reserved: must be 0.
 */
struct memlayout_kvm_memslot {
	uint32_t as_id;
	uint32_t id;
	uint64_t start;
	uint64_t end;
	uint32_t flags;
	uint32_t reserved;
};

/* Most slots memlayout_kvm_audit_slots() takes: 2 address spaces' worth. */
#define MEMLAYOUT_KVM_MAX_SLOTS			(2U << 16)

/*
 * memlayout_kvm_audit_slots() - the audit of MEMLAYOUT_IOC_CHECK_KVM over
 * memslots the caller gives instead of a VM's: a VMM knows its own, and
 * can check them before it creates them. The module's own comparison,
 * memlayout_kvm_audit() (memlayout_audit.c, compiled into this library),
 * runs here, in this process, over the handle's current layout: offline,
 * the offline layout; on a device handle, the layout read with
 * MEMLAYOUT_IOC_GET_LAYOUT (rebuilt here exactly as the device built it:
 * its fingerprint is checked), so the findings, their layout indexes and
 * the generation are those the device would give for a VM holding these
 * slots.
 * @slots: @n slots in any order; NULL when @n is 0. An address space
 *         without slots is not audited, as by the kernel: no slot at all
 *         gives no finding and @nr_as 0, as a VM without memslots does.
 * @a: receives the result; on error only @a->error_slot is meaningful.
 *
 * Each slot is checked as KVM_SET_USER_MEMORY_REGION would: non-empty,
 * page aligned (4096), not wrapping, @as_id and @id at most 0xffff, known
 * flags only, @reserved 0 (-EINVAL); two slots of one address space
 * overlapping, or with the same id, give -EEXIST (KVM would replace or
 * refuse them). @a->error_slot names the later of the two.
 * Return: 0; -ENOENT (no layout); -E2BIG (more than
 * MEMLAYOUT_KVM_MAX_SLOTS); -EINVAL, -EEXIST (a slot: @a->error_slot);
 * -ENOMEM; -EPROTO (a device layout this library cannot rebuild);
 * GET_LAYOUT's errors on a device handle.
 */
MEMLAYOUT_API int memlayout_kvm_audit_slots(struct memlayout_handle *h,
					    const struct memlayout_kvm_memslot *slots,
					    uint32_t n,
					    struct memlayout_kvm_audit *a);

/*
 * memlayout_kvm_finding_str() - one line for a finding, the layout range
 * and the slot printed with inclusive ends, for example
 * "unbacked: as 0 0x0-0xfff of ram[0] 0x0-0xbfffffff: no memslot",
 * "over-hole: as 0 0xe0000000-0xe00fffff of pci_ecam[0]
 * 0xe0000000-0xefffffff: slot 2 0xc0000000-0xe00fffff flags -" or
 * "outside: as 1 0x200000000-0x2000fffff outside the layout: slot 5
 * 0x200000000-0x2000fffff flags log-dirty".
 * Cut to fit @len, always NUL terminated when @len > 0. Return: @buf.
 */
MEMLAYOUT_API char *memlayout_kvm_finding_str(const struct memlayout_kvm_finding *f,
					      char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* _LIBMEMLAYOUT_H */
