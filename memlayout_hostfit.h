/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlayout: gathering the host facts of MEMLAYOUT_IOC_CHECK_HOST (SPEC
 * H1-H3), memlayout_hostfit.c. Used by memlayout_ioctl.c and its KUnit
 * suites. Not an API.
 */
#ifndef _MEMLAYOUT_HOSTFIT_H
#define _MEMLAYOUT_HOSTFIT_H

#include <linux/memlayout.h>

/*
 * The most reserved regions one device's IOMMU group may have: a group
 * with more is refused (-E2BIG). Real groups have a handful (x86: the MSI
 * window and a few RMRRs; arm64: the software MSI window and a few RMRs).
 */
#define ML_HOST_MAX_RESV	64U

u32 ml_host_phys_bits(void);
int ml_host_gather(struct memlayout_host_device *d,
		   struct memlayout_host_dev *h);
void ml_host_release(struct memlayout_host_dev *h);

#endif /* _MEMLAYOUT_HOSTFIT_H */
