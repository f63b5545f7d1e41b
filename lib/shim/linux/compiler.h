/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/compiler.h> (memlayout fuzzing shim). */
#ifndef _ML_SHIM_LINUX_COMPILER_H
#define _ML_SHIM_LINUX_COMPILER_H

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef noinline
#define noinline		__attribute__((__noinline__))
#endif
#define __maybe_unused		__attribute__((__unused__))

#endif /* _ML_SHIM_LINUX_COMPILER_H */
