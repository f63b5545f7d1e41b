// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the offline engine. The module's core, memlayout_core.c,
 * is compiled unchanged over lib/shim/; this file plays the part of
 * memlayout_ioctl.c for it: the same interface checks in the same order,
 * with the same errnos and reasons, then memlayout_build().
 *
 * The checks below are a copy of ml_set_layout(), ml_check_source(),
 * ml_check_arrays(), ml_copy_ranges() and ml_frame_reply() (kernel code
 * that is not compiled here). lib/test.c holds the table that pins every
 * reason they produce, written from the UAPI header and SPEC; the test
 * guest runs the same table against the module (lib/test.c --device), so
 * a divergence fails one side or the other.
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

/* The limits and members the ioctl layer uses (memlayout_ioctl.c). */
#define ML_PAGE_SIZE		4096U
#define ML_SET_FIELD(m)		offsetof(struct memlayout_set, m)
#define ML_RANGE_FIELD(m)	offsetof(struct memlayout_range, m)

/**
 * struct ml_offline - an offline "file"
 * @max_ranges: the R8 limit.
 * @generation: the generation of the last layout set (0: none yet).
 * @layout: the current layout, or NULL.
 */
struct ml_offline {
	u32 max_ranges;
	u64 generation;
	struct memlayout *layout;
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
	free(o);
}

int ml_offline_info(struct ml_offline *o, struct memlayout_info *info)
{
	u32 size = info->size;

	if (info->flags)
		return -EOPNOTSUPP;
	memset(info, 0, sizeof(*info));
	info->size = size;
	info->api_version = MEMLAYOUT_API_VERSION;
	info->max_ranges = o->max_ranges;
	info->max_probe = MEMLAYOUT_MAX_PROBE;
	info->set_flags = MEMLAYOUT_SET_VALID_FLAGS;
	info->page_size = MEMLAYOUT_PAGE_SIZE;
	info->max_address = MEMLAYOUT_MAX_ADDRESS;
	info->nr_kinds = MEMLAYOUT_NR_KINDS;
	info->nr_lists = MEMLAYOUT_NR_LISTS;
	info->max_rule = MEMLAYOUT_MAX_RULE;
	info->sources = MEMLAYOUT_VALID_SOURCES;
	info->commands = BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_INFO)) |
			 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_SET_LAYOUT)) |
			 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_STATS)) |
			 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_RANGES)) |
			 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_PROBE));
	return 0;
}

/* As ml_reason() in memlayout_ioctl.c. */
static int ml_reason(struct memlayout_set *s, u32 rule, u32 list, u32 index,
		     u32 field, int ret)
{
	s->reason.rule = rule;
	s->reason.list = list;
	s->reason.index = index;
	s->reason.field = field;
	return ret;
}

static int ml_reject_field(struct memlayout_set *s, u32 rule, u32 field,
			   int ret)
{
	return ml_reason(s, rule, MEMLAYOUT_LIST_NONE, 0, field, ret);
}

/* As ml_frame_reply(): -E2BIG for a size over a page or a non-zero tail. */
static int ml_frame(struct memlayout_set *s)
{
	const u8 *tail = (const u8 *)s;
	u32 usize = s->size, off;
	int ret = 0;

	if (usize > ML_PAGE_SIZE) {
		ret = -E2BIG;
		off = 0;
	} else {
		for (off = sizeof(*s); off < usize; off++)
			if (tail[off]) {
				ret = -E2BIG;
				break;
			}
		if (off >= usize)
			off = 0;
	}
	if (ret) {
		memset(&s->reason, 0, sizeof(s->reason));
		s->generation = 0;
		s->reason.rule = MEMLAYOUT_REASON_SIZE;
		s->reason.field = off;
	}
	return ret;
}

/* As ml_check_source(). */
static int ml_check_source(struct memlayout_set *s)
{
	static const struct memlayout_range zero;
	bool size = s->source == MEMLAYOUT_SOURCE_SIZE;
	bool nodes = s->source == MEMLAYOUT_SOURCE_NODES;
	bool ranges = s->source == MEMLAYOUT_SOURCE_RANGES;

	if (!size && !nodes && !ranges)
		return ml_reject_field(s, MEMLAYOUT_REASON_FLAGS,
				       ML_SET_FIELD(source), -EOPNOTSUPP);
	if (!size && s->ram_size)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(ram_size), -EINVAL);
	if (!nodes && s->nr_nodes)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nr_nodes), -EINVAL);
	if (!nodes && s->nodes_ptr)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nodes_ptr), -EINVAL);
	if (!ranges && s->nr_ram)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nr_ram), -EINVAL);
	if (!ranges && s->ram_ptr)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(ram_ptr), -EINVAL);
	if (s->flags & MEMLAYOUT_SET_VTL2) {
		if (s->vtl2.vnode)
			return ml_reason(s, MEMLAYOUT_REASON_RESERVED,
					 MEMLAYOUT_LIST_VTL2, 0,
					 ML_RANGE_FIELD(vnode), -EINVAL);
		if (s->vtl2.reserved)
			return ml_reason(s, MEMLAYOUT_REASON_RESERVED,
					 MEMLAYOUT_LIST_VTL2, 0,
					 ML_RANGE_FIELD(reserved), -EINVAL);
	} else if (memcmp(&s->vtl2, &zero, sizeof(zero))) {
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(vtl2), -EINVAL);
	}
	return 0;
}

/* As ml_check_arrays(). */
static int ml_check_arrays(struct memlayout_set *s)
{
	static const struct {
		u32 ptr;
		u32 nr;
	} arrays[] = {
		{ ML_SET_FIELD(nodes_ptr), ML_SET_FIELD(nr_nodes) },
		{ ML_SET_FIELD(ram_ptr), ML_SET_FIELD(nr_ram) },
		{ ML_SET_FIELD(mmio_ptr), ML_SET_FIELD(nr_mmio) },
		{ ML_SET_FIELD(pci_ecam_ptr), ML_SET_FIELD(nr_pci_ecam) },
		{ ML_SET_FIELD(pci_mmio_ptr), ML_SET_FIELD(nr_pci_mmio) },
	};
	const u8 *base = (const u8 *)s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(arrays); i++) {
		u64 ptr;
		u32 nr;

		memcpy(&ptr, base + arrays[i].ptr, sizeof(ptr));
		memcpy(&nr, base + arrays[i].nr, sizeof(nr));
		if (!ptr != !nr)
			return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
					       arrays[i].ptr, -EINVAL);
	}
	return 0;
}

/* As ml_copy_ranges(), without the copy: the caller's memory is read. */
static int ml_check_ranges(struct memlayout_set *s, u64 uptr, u32 nr,
			   u32 list, const struct memlayout_range **out)
{
	const struct memlayout_range *r = (const void *)(uintptr_t)uptr;
	u32 i, field;

	*out = nr ? r : NULL;
	for (i = 0; i < nr; i++) {
		if (r[i].reserved)
			field = ML_RANGE_FIELD(reserved);
		else if (list != MEMLAYOUT_LIST_RAM && r[i].vnode)
			field = ML_RANGE_FIELD(vnode);
		else
			continue;
		*out = NULL;
		return ml_reason(s, MEMLAYOUT_REASON_RESERVED, list, i, field,
				 -EINVAL);
	}
	return 0;
}

int ml_offline_set(struct ml_offline *o, struct memlayout_set *s)
{
	struct memlayout_request req = {};
	struct memlayout_error err;
	struct memlayout *l;
	int ret;

	if (s->size < MEMLAYOUT_SET_SIZE_VER0)
		return -EINVAL;
	ret = ml_frame(s);
	if (ret)
		return ret;

	memset(&s->reason, 0, sizeof(s->reason));
	s->generation = 0;

	if (s->flags & ~MEMLAYOUT_SET_VALID_FLAGS)
		return ml_reject_field(s, MEMLAYOUT_REASON_FLAGS,
				       ML_SET_FIELD(flags), -EOPNOTSUPP);
	ret = ml_check_source(s);
	if (!ret)
		ret = ml_check_arrays(s);
	if (ret)
		return ret;

	req.source = s->source;
	req.max_ranges = o->max_ranges;
	req.ram_size = s->ram_size;
	req.nr_nodes = s->nr_nodes;
	req.nr_ram = s->nr_ram;
	req.nr_mmio = s->nr_mmio;
	req.nr_pci_ecam = s->nr_pci_ecam;
	req.nr_pci_mmio = s->nr_pci_mmio;
	if (s->flags & MEMLAYOUT_SET_VTL2)
		req.vtl2 = &s->vtl2;
	ret = memlayout_check_counts(&req, &err);
	if (ret)
		goto reject;

	req.node_sizes = s->nr_nodes ? (const u64 *)(uintptr_t)s->nodes_ptr :
			 NULL;
	ret = ml_check_ranges(s, s->ram_ptr, s->nr_ram, MEMLAYOUT_LIST_RAM,
			      &req.ram);
	if (!ret)
		ret = ml_check_ranges(s, s->mmio_ptr, s->nr_mmio,
				      MEMLAYOUT_LIST_MMIO, &req.mmio);
	if (!ret)
		ret = ml_check_ranges(s, s->pci_ecam_ptr, s->nr_pci_ecam,
				      MEMLAYOUT_LIST_PCI_ECAM, &req.pci_ecam);
	if (!ret)
		ret = ml_check_ranges(s, s->pci_mmio_ptr, s->nr_pci_mmio,
				      MEMLAYOUT_LIST_PCI_MMIO, &req.pci_mmio);
	if (ret)
		return ret;

	l = memlayout_build(&req, GFP_KERNEL_ACCOUNT, &err);
	if (IS_ERR(l)) {
		ret = PTR_ERR(l);
		goto reject;
	}
	l->generation = ++o->generation;
	s->generation = l->generation;
	memlayout_put(o->layout);
	o->layout = l;
	return 0;

reject:
	s->reason.rule = err.rule;
	s->reason.list = err.list;
	s->reason.index = err.index;
	s->reason.other_list = err.other_list;
	s->reason.other_index = err.other_index;
	return ret;
}

/* As ml_get_stats(). */
int ml_offline_stats(struct ml_offline *o, struct memlayout_stats *st)
{
	const struct memlayout *l = o->layout;
	u32 size = st->size;

	if (st->flags)
		return -EOPNOTSUPP;
	memset(st, 0, sizeof(*st));
	st->size = size;
	if (!l)
		return -ENOENT;
	st->present = l->flags;
	st->nr_ram = memlayout_count(l, MEMLAYOUT_LIST_RAM);
	st->nr_mmio = memlayout_count(l, MEMLAYOUT_LIST_MMIO);
	st->nr_pci_ecam = memlayout_count(l, MEMLAYOUT_LIST_PCI_ECAM);
	st->nr_pci_mmio = memlayout_count(l, MEMLAYOUT_LIST_PCI_MMIO);
	st->generation = l->generation;
	st->ram_size = memlayout_ram_size(l);
	st->end_of_ram = memlayout_end_of_ram(l);
	st->ram_below_4gb = memlayout_ram_below_4gb(l);
	st->ram_above_4gb = memlayout_ram_above_4gb(l);
	memlayout_max_ram_below_4gb(l, &st->max_ram_below_4gb);
	memlayout_ram_above_high_mmio(l, &st->ram_above_high_mmio);
	st->end_of_layout = memlayout_end_of_layout(l);
	if (l->flags & MEMLAYOUT_HAS_VTL2) {
		st->vtl2_start = l->vtl2_start;
		st->vtl2_end = l->vtl2_end;
	}
	return 0;
}

int ml_offline_ranges(struct ml_offline *o, uint32_t list,
		      struct memlayout_range **ranges, uint32_t *count,
		      uint64_t *generation)
{
	const struct memlayout *l = o->layout;
	struct memlayout_range *r = NULL;
	u32 i, n;

	if ((list < MEMLAYOUT_LIST_RAM || list > MEMLAYOUT_LIST_PCI_MMIO) &&
	    list != MEMLAYOUT_LIST_VTL2)
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
		     uint32_t *kinds, uint32_t count, uint64_t *generation)
{
	const struct memlayout *l = o->layout;

	if (count > MEMLAYOUT_MAX_PROBE)
		return -E2BIG;
	if (!l)
		return -ENOENT;
	memlayout_probe_many(l, (const u64 *)addrs, kinds, count);
	if (generation)
		*generation = l->generation;
	return 0;
}
