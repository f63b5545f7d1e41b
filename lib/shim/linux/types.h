/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/types.h>: the kernel's integer types on
 * top of the C library's. Part of the memlayout userspace shim (lib/shim/,
 * used by libmemlayout and fuzz/), which lets memlayout_core.c build
 * unchanged outside the kernel.
 *
 * It also serves any C library header that includes <linux/types.h>, so it
 * defines every UAPI __u/__s type as well.
 */
#ifndef _ML_SHIM_LINUX_TYPES_H
#define _ML_SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;

#define __aligned_u64	__u64 __attribute__((aligned(8)))

typedef unsigned int gfp_t;

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))

#endif /* _ML_SHIM_LINUX_TYPES_H */
