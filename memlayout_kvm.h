/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memlayout: a KVM VM's memslots, read for MEMLAYOUT_IOC_CHECK_KVM (SPEC
 * H4) by memlayout_kvm.c, the only file that includes <linux/kvm_host.h>.
 * Not an API.
 */
#ifndef _MEMLAYOUT_KVM_H
#define _MEMLAYOUT_KVM_H

#include <linux/memlayout.h>

int ml_kvm_slots(int vm_fd, struct memlayout_kvm_slot **slots, u32 *nr);

#endif /* _MEMLAYOUT_KVM_H */
