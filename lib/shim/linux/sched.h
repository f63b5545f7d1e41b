/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/sched.h> (memlayout fuzzing shim): the
 * core's builds reschedule now and then; here that only counts, so a test
 * can see that a long build does offer to yield.
 */
#ifndef _ML_SHIM_LINUX_SCHED_H
#define _ML_SHIM_LINUX_SCHED_H

extern long ml_shim_resched;

static inline void cond_resched(void)
{
	ml_shim_resched++;
}

#endif /* _ML_SHIM_LINUX_SCHED_H */
