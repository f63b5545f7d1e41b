// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line part of the memlayout fuzzing shim: allocation failure
 * injection and accounting, WARN reporting, and the two module parameter
 * helpers memlayout_core.c's max_ranges parameter uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

int ml_shim_fail_allocs;
long ml_shim_live_allocs;
long ml_shim_resched;

void ml_shim_warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "WARNING: %s:%d: WARN_ON_ONCE(%s)\n", file, line, cond);
	abort();
}

/* As the kernel's: a decimal, octal or hex u32 with an optional '\n'. */
int param_set_uint_minmax(const char *val, const struct kernel_param *kp,
			  unsigned int min, unsigned int max)
{
	unsigned long long v;
	char *end;

	if (!val || !*val || *val == '-' || *val == '+')
		return -EINVAL;
	v = strtoull(val, &end, 0);
	if (*end == '\n')
		end++;
	if (*end || v > U32_MAX)
		return -EINVAL;
	if (v < min || v > max)
		return -EINVAL;
	*(unsigned int *)kp->arg = (unsigned int)v;
	return 0;
}

int param_get_uint(char *buffer, const struct kernel_param *kp)
{
	/* The kernel's buffer is a page. */
	return snprintf(buffer, 4096, "%u\n", *(unsigned int *)kp->arg);
}
