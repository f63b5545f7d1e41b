/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/slab.h> (memlayout fuzzing shim).
 *
 * kvzalloc() is calloc(); a test can make the next ml_shim_fail_allocs
 * allocations fail, and ml_shim_live_allocs counts what is not yet freed.
 */
#ifndef _ML_SHIM_LINUX_SLAB_H
#define _ML_SHIM_LINUX_SLAB_H

#include <stdlib.h>
#include <linux/types.h>

#define GFP_KERNEL		0x0cc0U
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | 0x400000U)
#define __GFP_DIRECT_RECLAIM	0x400U

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

extern int ml_shim_fail_allocs;
extern long ml_shim_live_allocs;

static inline void *kvzalloc(size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (ml_shim_fail_allocs > 0) {
		ml_shim_fail_allocs--;
		return NULL;
	}
	p = calloc(1, size);
	if (p)
		ml_shim_live_allocs++;
	return p;
}

static inline void kvfree(const void *p)
{
	if (p)
		ml_shim_live_allocs--;
	free((void *)p);
}

#endif /* _ML_SHIM_LINUX_SLAB_H */
