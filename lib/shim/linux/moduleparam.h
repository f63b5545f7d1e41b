/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/moduleparam.h> (memlayout fuzzing shim).
 *
 * module_param_cb() defines a global struct kernel_param __param_<name>,
 * so a test can reach the parameter's set/get callbacks as the kernel's
 * sysfs writes would. The two param_* helpers live in lib/shim/shim.c.
 */
#ifndef _ML_SHIM_LINUX_MODULEPARAM_H
#define _ML_SHIM_LINUX_MODULEPARAM_H

#include <linux/types.h>

struct kernel_param;

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};

struct kernel_param {
	const char *name;
	const struct kernel_param_ops *ops;
	unsigned short perm;
	void *arg;
};

#define module_param_cb(_name, _ops, _arg, _perm)			\
	const struct kernel_param __param_##_name = {			\
		.name = #_name, .ops = (_ops), .perm = (_perm),		\
		.arg = (_arg),						\
	}
#define MODULE_PARM_DESC(_parm, desc)					\
	static const char __ml_parm_desc_##_parm[] __maybe_unused = desc

int param_set_uint_minmax(const char *val, const struct kernel_param *kp,
			  unsigned int min, unsigned int max);
int param_get_uint(char *buffer, const struct kernel_param *kp);

#endif /* _ML_SHIM_LINUX_MODULEPARAM_H */
