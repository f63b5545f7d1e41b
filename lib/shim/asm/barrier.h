/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/barrier.h> (memlayout shim): the view's
 * writer (memlayout_view_publish()) runs in libmemlayout's offline engine
 * too, where its readers are threads of the same process.
 */
#ifndef _ML_SHIM_ASM_BARRIER_H
#define _ML_SHIM_ASM_BARRIER_H

#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)

#endif /* _ML_SHIM_ASM_BARRIER_H */
