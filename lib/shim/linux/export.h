/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/export.h> (memlayout fuzzing shim). */
#ifndef _ML_SHIM_LINUX_EXPORT_H
#define _ML_SHIM_LINUX_EXPORT_H

/* Nothing to export: a harmless redeclaration that takes the ';'. */
#define EXPORT_SYMBOL(sym)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern __typeof__(sym) sym

#endif /* _ML_SHIM_LINUX_EXPORT_H */
