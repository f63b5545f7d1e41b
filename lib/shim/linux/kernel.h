/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the parts of <linux/kernel.h> the memlayout core
 * uses (memlayout fuzzing shim): ARRAY_SIZE, container_of and what the
 * other shim headers pull in.
 */
#ifndef _ML_SHIM_LINUX_KERNEL_H
#define _ML_SHIM_LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/minmax.h>

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif /* _ML_SHIM_LINUX_KERNEL_H */
