/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libmemlayout internals: the handle, and the offline engine's entry
 * points (lib/offline.c, which alone sees the kernel headers and the shim).
 * Nothing here is exported.
 */
#ifndef _LIBMEMLAYOUT_INTERNAL_H
#define _LIBMEMLAYOUT_INTERNAL_H

#include "libmemlayout.h"

struct ml_offline;

/**
 * struct memlayout_handle - a device file or an offline layout
 * @fd: the device, or -1 for an offline handle.
 * @off: the offline engine's state, or NULL for a device handle.
 */
struct memlayout_handle {
	int fd;
	struct ml_offline *off;
};

/**
 * struct memlayout_view_map - a mapped view (lib/view.c)
 * @v: the view: the device's pages, or the offline engine's buffer.
 * @len: the bytes of it this map may read.
 * @mapped: 1 when @v is an mmap() of the device (munmap() on close).
 * @r: what the inline fast path reads (memlayout_view_try_probe()).
 */
struct memlayout_view_map {
	const struct memlayout_view *v;
	size_t len;
	int mapped;
	struct memlayout_view_reader r;
};

int ml_ret_errno(int ret);
int ml_grow(void **buf, uint32_t *cap, uint32_t want, size_t elem);
int ml_ioctl(int fd, unsigned long cmd, void *arg);
struct ml_offline *ml_offline_new(uint32_t max_ranges);
const struct memlayout_view *ml_offline_view(struct ml_offline *o,
					     size_t size, size_t *len);
void ml_offline_free(struct ml_offline *o);
int ml_offline_info(struct ml_offline *o, struct memlayout_info *info);
int ml_offline_set(struct ml_offline *o, struct memlayout_set *s);
int ml_offline_stats(struct ml_offline *o, struct memlayout_stats *st);
int ml_offline_ranges(struct ml_offline *o, uint32_t list,
		      struct memlayout_range **ranges, uint32_t *count,
		      uint64_t *generation);
int ml_offline_probe(struct ml_offline *o, const uint64_t *addrs,
		     uint32_t *kinds, struct memlayout_probe_range *ranges,
		     uint32_t count, uint64_t *generation);
int ml_offline_layout(struct ml_offline *o, struct memlayout_snapshot *snap);
int ml_offline_check_host(struct ml_offline *o, struct memlayout_check_host *c);
int ml_offline_check_kvm(struct ml_offline *o, struct memlayout_check_kvm *c);
int ml_kvm_slot_ok(const struct memlayout_kvm_memslot *s);
int ml_offline_kvm_audit(struct ml_offline *o,
			 const struct memlayout_kvm_memslot *slots, uint32_t n,
			 struct memlayout_kvm_audit *a);
int ml_offline_placements(struct ml_offline *o, struct memlayout_placed **placed,
			  uint32_t *count, uint64_t *generation);

#endif /* _LIBMEMLAYOUT_INTERNAL_H */
