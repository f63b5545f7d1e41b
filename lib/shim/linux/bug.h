/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/bug.h> (memlayout fuzzing shim).
 *
 * A kernel WARN is a bug report: here it reports and aborts, so a fuzzer
 * or a test run cannot miss it.
 */
#ifndef _ML_SHIM_LINUX_BUG_H
#define _ML_SHIM_LINUX_BUG_H

void ml_shim_warn(const char *file, int line, const char *cond);

#define WARN_ON_ONCE(condition) ({					\
	int __ret_warn_once = !!(condition);				\
									\
	if (__ret_warn_once)						\
		ml_shim_warn(__FILE__, __LINE__, #condition);		\
	__ret_warn_once;						\
})
#define WARN_ON(condition)	WARN_ON_ONCE(condition)

#endif /* _ML_SHIM_LINUX_BUG_H */
