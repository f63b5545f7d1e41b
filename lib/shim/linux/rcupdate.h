/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/rcupdate.h> (memlayout fuzzing shim):
 * single-threaded, so a grace period is over at once and call_rcu() runs
 * its callback immediately.
 */
#ifndef _ML_SHIM_LINUX_RCUPDATE_H
#define _ML_SHIM_LINUX_RCUPDATE_H

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
#define rcu_head callback_head

typedef void (*rcu_callback_t)(struct rcu_head *head);

static inline void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->next = NULL;
	head->func = func;
	func(head);
}

#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)
#define rcu_barrier()		do { } while (0)
/* The grace period is over at once: free now (<linux/slab.h> has kvfree). */
#define kvfree_rcu(ptr, field)	kvfree(ptr)

#endif /* _ML_SHIM_LINUX_RCUPDATE_H */
