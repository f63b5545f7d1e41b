/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bits.h> (memlayout fuzzing shim). */
#ifndef _ML_SHIM_LINUX_BITS_H
#define _ML_SHIM_LINUX_BITS_H

#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))

#endif /* _ML_SHIM_LINUX_BITS_H */
