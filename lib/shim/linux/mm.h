/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/mm.h> (memlayout fuzzing shim). */
#ifndef _ML_SHIM_LINUX_MM_H
#define _ML_SHIM_LINUX_MM_H

#include <linux/kernel.h>
#include <linux/slab.h>

#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#endif /* _ML_SHIM_LINUX_MM_H */
