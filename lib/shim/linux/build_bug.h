/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/build_bug.h>: static_assert() is C11's.
 */
#ifndef _ML_SHIM_LINUX_BUILD_BUG_H
#define _ML_SHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#endif /* _ML_SHIM_LINUX_BUILD_BUG_H */
