/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ml_sysfs.h - the sysfs and debugfs file helpers of ml_util.c, for every
 * program of tests/vm/ (scripts/vmtest.sh links each with ml_util.c),
 * including ioctl_fuzz, which does not use ml_test.h.
 */
#ifndef MEMLAYOUT_ML_SYSFS_H
#define MEMLAYOUT_ML_SYSFS_H

long long read_num(const char *path);
int write_str(const char *path, const char *s);

#endif /* MEMLAYOUT_ML_SYSFS_H */
