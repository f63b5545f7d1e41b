/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlayout: state of an open /dev/memlayout, shared by memlayout_ioctl.c
 * and its KUnit suite (kunit/ioctl_kunit.c). Not an API.
 */
#ifndef _MEMLAYOUT_IOCTL_H
#define _MEMLAYOUT_IOCTL_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/memlayout.h>

/**
 * struct memlayout_file - the state of one open /dev/memlayout
 * @lock: serialises publishing a layout; protects @generation and the
 *        update side of @layout.
 * @layout: the published layout (one reference), %NULL until the first
 *          successful MEMLAYOUT_IOC_SET_LAYOUT; readers use RCU.
 * @generation: generation of the last layout published on this file.
 * @view: the shared view (vmalloc_user()), created by the first mmap();
 *        %NULL until then. Written under @lock; mapped read-only.
 * @view_size: its size, fixed by that first mmap().
 */
struct memlayout_file {
	struct mutex lock;	/* publishing; @generation; @view */
	struct memlayout __rcu *layout;
	u64 generation;
	struct memlayout_view *view;
	size_t view_size;
};

#if IS_ENABLED(CONFIG_KUNIT)
struct memlayout_file *ml_file_new(void);
void ml_file_free(struct memlayout_file *f);
struct memlayout *ml_get_layout(struct memlayout_file *f);
int ml_publish(struct memlayout_file *f, struct memlayout *l,
	       struct memlayout_set *s, void __user *uarg, u32 usize);
int ml_get_stats(struct memlayout_file *f, struct memlayout_stats *st);
int ml_get_ranges(struct memlayout_file *f, struct memlayout_get_ranges *g,
		  bool *respond);
int ml_get_map(struct memlayout_file *f, struct memlayout_get_layout *g,
	       bool *respond);
int ml_get_placements(struct memlayout_file *f,
		      struct memlayout_get_placements *g, bool *respond);
long memlayout_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
int ml_view_get(struct memlayout_file *f, unsigned long len);
int ml_kvm_answer(const struct memlayout *l,
		  const struct memlayout_kvm_slot *slots, u32 nr,
		  struct memlayout_check_kvm *c);
#endif

#endif /* _MEMLAYOUT_IOCTL_H */
