/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/errno.h> (memlayout fuzzing shim): the
 * errno values are the UAPI ones. The C library's own <errno.h> includes
 * <linux/errno.h> too, so this must not include <errno.h>.
 */
#ifndef _ML_SHIM_LINUX_ERRNO_H
#define _ML_SHIM_LINUX_ERRNO_H

#include <asm/errno.h>

#endif /* _ML_SHIM_LINUX_ERRNO_H */
