/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/refcount.h> (memlayout fuzzing shim). Like
 * the kernel's, it refuses to go from 0 to 1 or below 0, but it reports
 * such misuse (a kernel WARN) instead of saturating.
 */
#ifndef _ML_SHIM_LINUX_REFCOUNT_H
#define _ML_SHIM_LINUX_REFCOUNT_H

#include <linux/types.h>
#include <linux/bug.h>

typedef struct {
	int refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n)
{
	r->refs = n;
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return r->refs;
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	if (!r->refs)
		return false;
	r->refs++;
	return true;
}

static inline bool refcount_dec_and_test(refcount_t *r)
{
	WARN_ON_ONCE(r->refs <= 0);
	return --r->refs == 0;
}

#endif /* _ML_SHIM_LINUX_REFCOUNT_H */
