/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/percpu.h> (memlayout fuzzing shim): one
 * "CPU". The per-CPU operations are atomic (relaxed) here, since the
 * library's callers may build and free layouts from several threads.
 */
#ifndef _ML_SHIM_LINUX_PERCPU_H
#define _ML_SHIM_LINUX_PERCPU_H

#include <linux/compiler.h>

#define DEFINE_PER_CPU(type, name)	__typeof__(type) name
#define this_cpu_inc(var)	((void)__atomic_add_fetch(&(var), 1, __ATOMIC_RELAXED))
#define this_cpu_dec(var)	((void)__atomic_sub_fetch(&(var), 1, __ATOMIC_RELAXED))
#define per_cpu(var, cpu)	(*((void)(cpu), &(var)))
#define for_each_possible_cpu(cpu)	for ((cpu) = 0; (cpu) < 1; (cpu)++)

#endif /* _ML_SHIM_LINUX_PERCPU_H */
