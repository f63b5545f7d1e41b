/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/module.h> (memlayout fuzzing shim). */
#ifndef _ML_SHIM_LINUX_MODULE_H
#define _ML_SHIM_LINUX_MODULE_H

#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/moduleparam.h>

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME		"memlayout"
#endif

#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)

#endif /* _ML_SHIM_LINUX_MODULE_H */
