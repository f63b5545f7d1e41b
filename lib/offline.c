// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the offline engine. The module's core, memlayout_core.c,
 * and its interface rules, memlayout_uapi.c, are compiled unchanged over
 * lib/shim/; this file plays the part of memlayout_ioctl.c for them: the
 * same framing checks, then memlayout_set_check(), the per-range checks
 * of memlayout_set_check_ranges() and memlayout_build(), so a request is
 * accepted or rejected with the same errno and reason as by the device.
 * Only the copies from user memory (and their -EFAULT) are not here: the
 * arrays are this process's own memory.
 *
 * Compiled with -I lib/shim -I include -I include/uapi: <linux/memlayout.h>
 * is the kernel's in-kernel header here.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/memlayout.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The most a command may be, as memlayout_ioctl() takes it (a page). */
#define ML_PAGE_SIZE		4096U

/**
 * struct ml_offline - an offline "file"
 * @max_ranges: the R8 limit.
 * @generation: the generation of the last layout set (0: none yet).
 * @layout: the current layout, or NULL.
 * @view: the shared view, as the kernel keeps one per file: created by
 *        the first memlayout_view_open(), rewritten by each SET_LAYOUT
 *        with the kernel's own writer (memlayout_view_publish()).
 * @view_size: its size.
 */
struct ml_offline {
	u32 max_ranges;
	u64 generation;
	struct memlayout *layout;
	struct memlayout_view *view;
	size_t view_size;
};

struct ml_offline *ml_offline_new(uint32_t max_ranges)
{
	struct ml_offline *o = calloc(1, sizeof(*o));

	if (o)
		o->max_ranges = max_ranges ? max_ranges :
				MEMLAYOUT_OFFLINE_MAX_RANGES;
	return o;
}

void ml_offline_free(struct ml_offline *o)
{
	if (!o)
		return;
	memlayout_put(o->layout);
	free(o->view);
	free(o);
}

/* As ml_view_get(): the first call fixes the size; NULL on ENOMEM. */
const struct memlayout_view *ml_offline_view(struct ml_offline *o,
					     size_t size, size_t *len)
{
	if (!o->view) {
		void *p = NULL;

		if (size < sizeof(*o->view) || posix_memalign(&p, 64, size))
			return NULL;
		memset(p, 0, size);
		o->view = p;
		o->view_size = size;
		memlayout_view_publish(o->view, size, o->layout);
	}
	*len = o->view_size;
	return o->view;
}

/* The commands this engine answers: one ml_offline_*() function each. */
#define ML_OFFLINE_COMMANDS	(BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_INFO)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_SET_LAYOUT)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_STATS)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_RANGES)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_LAYOUT)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_PROBE)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_PLACEMENTS)))

int ml_offline_info(struct ml_offline *o, struct memlayout_info *info)
{
	if (info->flags)
		return -EOPNOTSUPP;
	memlayout_fill_info(info, o->max_ranges, ML_OFFLINE_COMMANDS);
	return 0;
}

/* A range list at an address of this process (0 for none). */
static const struct memlayout_range *ml_user_ranges(u64 uptr)
{
	return (const struct memlayout_range *)(uintptr_t)uptr;
}

/**
 * ml_frame() - SET_LAYOUT's framing checks, as memlayout_ioctl() makes them
 * @s: the command; @s->size as the caller gave it.
 *
 * Return: 0, or -E2BIG for a size over a page or a non-zero tail, with
 * the reason memlayout_set_frame_reason() writes.
 */
static int ml_frame(struct memlayout_set *s)
{
	const u8 *tail = (const u8 *)s;
	u32 usize = s->size, off;

	if (usize > ML_PAGE_SIZE)
		return memlayout_set_frame_reason(s, 0);
	for (off = sizeof(*s); off < usize; off++)
		if (tail[off])
			return memlayout_set_frame_reason(s, off);
	return 0;
}

static int ml_offline_set_one(struct ml_offline *o, struct memlayout_set *s);

/*
 * As memlayout_ioctl() frames SET_LAYOUT: the caller's struct is read
 * over its own size, zero-extended to the engine's, and the reply is
 * written back over min(its size, the engine's) bytes, so a caller with
 * an older, shorter struct is never read or written past its end.
 */
int ml_offline_set(struct ml_offline *o, struct memlayout_set *s)
{
	u32 usize = s->size, len = min_t(u32, usize, sizeof(*s));
	struct memlayout_set k;
	int ret;

	if (usize < MEMLAYOUT_SET_SIZE_VER0)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	memcpy(&k, s, len);
	if (usize > sizeof(k)) {
		/* A non-zero tail is reported in the caller's own struct. */
		ret = ml_frame(s);
		if (ret)
			return ret;
	}
	ret = ml_offline_set_one(o, &k);
	memcpy(s, &k, len);
	return ret;
}

static int ml_offline_set_one(struct ml_offline *o, struct memlayout_set *s)
{
	struct memlayout_request req = {};
	struct memlayout_error err;
	struct memlayout *l;
	int ret;

	ret = memlayout_set_check(s, &req, o->max_ranges);
	if (ret)
		return ret;
	if (s->source == MEMLAYOUT_SOURCE_PLACE) {
		l = memlayout_set_place(s, (const struct memlayout_place_req *)
					(uintptr_t)s->place_ptr, o->max_ranges,
					GFP_KERNEL_ACCOUNT);
		if (IS_ERR(l))
			return PTR_ERR(l);
		goto built;
	}

	req.node_sizes = s->nr_nodes ? (const u64 *)(uintptr_t)s->nodes_ptr :
			 NULL;
	/* The caller's own memory: nothing to copy, only to check. */
	req.ram = ml_user_ranges(s->ram_ptr);
	req.mmio = ml_user_ranges(s->mmio_ptr);
	req.pci_ecam = ml_user_ranges(s->pci_ecam_ptr);
	req.pci_mmio = ml_user_ranges(s->pci_mmio_ptr);
	ret = memlayout_set_check_ranges(s, req.ram, req.nr_ram,
					 MEMLAYOUT_LIST_RAM);
	if (!ret)
		ret = memlayout_set_check_ranges(s, req.mmio, req.nr_mmio,
						 MEMLAYOUT_LIST_MMIO);
	if (!ret)
		ret = memlayout_set_check_ranges(s, req.pci_ecam,
						 req.nr_pci_ecam,
						 MEMLAYOUT_LIST_PCI_ECAM);
	if (!ret)
		ret = memlayout_set_check_ranges(s, req.pci_mmio,
						 req.nr_pci_mmio,
						 MEMLAYOUT_LIST_PCI_MMIO);
	if (ret)
		return ret;

	l = memlayout_build(&req, GFP_KERNEL_ACCOUNT, &err);
	if (IS_ERR(l)) {
		memlayout_set_reject(s, &err);
		return PTR_ERR(l);
	}
built:
	if (!memlayout_set_accepted(s, l)) {
		memlayout_free(l);
		return 0;
	}
	l->generation = ++o->generation;
	s->generation = l->generation;
	memlayout_put(o->layout);
	o->layout = l;
	if (o->view)
		memlayout_view_publish(o->view, o->view_size, l);
	return 0;
}

/* As ml_get_stats(). */
int ml_offline_stats(struct ml_offline *o, struct memlayout_stats *st)
{
	const struct memlayout *l = o->layout;

	if (st->flags)
		return -EOPNOTSUPP;
	if (!l) {
		memset(st, 0, sizeof(*st));
		return -ENOENT;
	}
	memlayout_fill_stats(l, st);
	return 0;
}

int ml_offline_ranges(struct ml_offline *o, uint32_t list,
		      struct memlayout_range **ranges, uint32_t *count,
		      uint64_t *generation)
{
	const struct memlayout *l = o->layout;
	struct memlayout_range *r = NULL;
	u32 i, n;

	if (!memlayout_list_readable(list))
		return -EOPNOTSUPP;
	if (!l)
		return -ENOENT;
	n = memlayout_count(l, list);
	if (n) {
		r = calloc(n, sizeof(*r));
		if (!r)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		memlayout_get_range(l, list, i, &r[i]);
	*ranges = r;
	*count = n;
	if (generation)
		*generation = l->generation;
	return 0;
}

int ml_offline_probe(struct ml_offline *o, const uint64_t *addrs,
		     uint32_t *kinds, struct memlayout_probe_range *ranges,
		     uint32_t count, uint64_t *generation)
{
	const struct memlayout *l = o->layout;

	if (count > MEMLAYOUT_MAX_PROBE)
		return -E2BIG;
	if (!l)
		return -ENOENT;
	memlayout_probe_many_ranges(l, (const u64 *)addrs, kinds, ranges, count);
	if (generation)
		*generation = l->generation;
	return 0;
}

/* As ml_get_map(): one layout, whole. */
int ml_offline_layout(struct ml_offline *o, struct memlayout_snapshot *snap)
{
	const struct memlayout *l = o->layout;

	if (!l)
		return -ENOENT;
	snap->entries = calloc(l->nr, sizeof(*snap->entries));
	if (!snap->entries)
		return -ENOMEM;
	memlayout_fill_map(l, 0, l->nr, snap->entries);
	snap->nr = l->nr;
	memlayout_fill_stats(l, &snap->stats);
	snap->generation = l->generation;
	memcpy(snap->fingerprint, l->fingerprint, sizeof(snap->fingerprint));
	return 0;
}

/* As ml_get_placements(). */
int ml_offline_placements(struct ml_offline *o, struct memlayout_placed **placed,
			  uint32_t *count, uint64_t *generation)
{
	const struct memlayout *l = o->layout;
	u32 n;

	if (!l)
		return -ENOENT;
	n = memlayout_nr_placed(l);
	if (n) {
		*placed = calloc(n, sizeof(**placed));
		if (!*placed)
			return -ENOMEM;
		memcpy(*placed, l->placement->ranges, n * sizeof(**placed));
	}
	*count = n;
	if (generation)
		*generation = l->generation;
	return 0;
}

/*
 * SPEC F2: the core's own encoder (memlayout_fingerprint.c) over entries
 * this process holds, so the value cannot differ from the kernel's.
 */
void memlayout_fingerprint(const struct memlayout_map_entry *e, uint32_t n,
			   const struct memlayout_range *vtl2,
			   uint8_t out[MEMLAYOUT_FINGERPRINT_SIZE])
{
	struct memlayout_fp fp;
	uint32_t i;

	memlayout_fp_begin(&fp, n, vtl2);
	for (i = 0; i < n; i++)
		memlayout_fp_range(&fp, e[i].start, e[i].end, e[i].vnode,
				   e[i].kind);
	memlayout_fp_end(&fp, vtl2, out);
}
