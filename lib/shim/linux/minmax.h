/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/minmax.h> (memlayout fuzzing shim). Each
 * argument is evaluated once; unlike the kernel's, no type checking.
 */
#ifndef _ML_SHIM_LINUX_MINMAX_H
#define _ML_SHIM_LINUX_MINMAX_H

#define min(x, y) ({							\
	__auto_type __x = (x);						\
	__auto_type __y = (y);						\
	__x < __y ? __x : __y;						\
})
#define max(x, y) ({							\
	__auto_type __x = (x);						\
	__auto_type __y = (y);						\
	__x > __y ? __x : __y;						\
})
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

#define max3(a, b, c)		max((typeof(a))max(a, b), c)

#endif /* _ML_SHIM_LINUX_MINMAX_H */
