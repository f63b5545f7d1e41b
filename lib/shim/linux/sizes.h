/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/sizes.h> (memlayout fuzzing shim). */
#ifndef _ML_SHIM_LINUX_SIZES_H
#define _ML_SHIM_LINUX_SIZES_H

#define SZ_4K			0x00001000
#define SZ_1M			0x00100000
#define SZ_1G			0x40000000
#define SZ_4G			0x100000000ULL

#endif /* _ML_SHIM_LINUX_SIZES_H */
