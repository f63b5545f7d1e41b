/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/sort.h>: sort() on the C library's qsort().
 * Like the kernel's (a heapsort), it is not stable: callers compare on a
 * total order.
 */
#ifndef _ML_SHIM_LINUX_SORT_H
#define _ML_SHIM_LINUX_SORT_H

#include <stdlib.h>
#include <linux/types.h>

static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *),
			void (*swap)(void *, void *, int))
{
	(void)swap;
	qsort(base, num, size, cmp);
}

#endif /* _ML_SHIM_LINUX_SORT_H */
