// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: a KVM VM's memslots (SPEC H4), the half of
 * MEMLAYOUT_IOC_CHECK_KVM that asks KVM. memlayout_audit.c compares them
 * with the layout; this file only copies them out, as plain data.
 *
 * KVM gives userspace no way to list a VM's memslots, and exports none to
 * modules either: the module reads them the way KVM's own readers do,
 * under the VM's SRCU (kvm->srcu), with __kvm_memslots() and
 * kvm_for_each_memslot(), in every address space of the VM. The VM is
 * held with kvm_get_kvm_safe() while it is read, and the file naming it
 * with fdget().
 *
 * The module does not depend on kvm.ko: file_is_kvm(), kvm_get_kvm_safe()
 * and kvm_put_kvm() (EXPORT_SYMBOL_GPL in 6.1 and 6.12) are taken with
 * symbol_get() for the duration of one call. If KVM is not loaded (or
 * the kernel has no KVM at all), no file can be a VM: -ENOPKG.
 *
 * KVM's internals (struct kvm's srcu and memslots, struct kvm_memslots,
 * struct kvm_memory_slot, kvm_for_each_memslot()) are not an interface
 * and change between releases. This file has been built and tested
 * against Debian's 6.1 and 6.12 only: the build stops (#error) on any
 * other kernel built with KVM (Kbuild's version check), and static
 * assertions pin the members it
 * reads, so that a kernel which changes them fails to build instead of
 * misreading a VM. Before extending the version range, read the new
 * kernel's include/linux/kvm_host.h and virt/kvm/kvm_main.c (the memslot
 * update protocol, kvm_swap_active_memslots()) against this file.
 */
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <linux/memlayout.h>

#include "memlayout_kvm.h"

/* 6.12 reads a struct fd with fd_file(); 6.1 has its file member. */
#ifndef fd_file
#define fd_file(f)	((f).file)
#endif

#if IS_ENABLED(CONFIG_KVM)

/*
 * Kbuild defines MEMLAYOUT_KVM_TESTED for the kernel series this file has
 * been built and tested against (6.1 and 6.12), from the kernel Makefile's
 * VERSION and PATCHLEVEL.
 */
#ifndef MEMLAYOUT_KVM_TESTED
#error "KVM memslot reader: built and tested against 6.1 and 6.12 only"
#endif

#include <linux/kvm_host.h>
#include <linux/srcu.h>

/*
 * Address spaces: 6.1 has a fixed KVM_ADDRESS_SPACE_NUM (x86: 2, SMM
 * being the second); 6.12 sizes the array with KVM_MAX_NR_ADDRESS_SPACES
 * and a VM uses kvm_arch_nr_memslot_as_ids() of them (x86: 1 for a VM
 * with private memory, which has no SMM, else 2).
 */
#ifdef KVM_MAX_NR_ADDRESS_SPACES
#define ML_KVM_MAX_AS		KVM_MAX_NR_ADDRESS_SPACES
#else
#define ML_KVM_MAX_AS		KVM_ADDRESS_SPACE_NUM
#endif

/* The address spaces @kvm uses, 1 to %ML_KVM_MAX_AS. */
static int ml_kvm_nr_as(struct kvm *kvm)
{
#ifdef KVM_MAX_NR_ADDRESS_SPACES
	return clamp_t(int, kvm_arch_nr_memslot_as_ids(kvm), 1, ML_KVM_MAX_AS);
#else
	return ML_KVM_MAX_AS;
#endif
}

/* What this file reads, as it reads it (see the comment at the top). */
static_assert(ARRAY_SIZE(((struct kvm *)NULL)->memslots) == ML_KVM_MAX_AS);
static_assert(__same_type(((struct kvm *)NULL)->srcu, struct srcu_struct));
static_assert(__same_type(((struct kvm_memslots *)NULL)->node_idx, int));
static_assert(__same_type(((struct kvm_memory_slot *)NULL)->base_gfn,
			  gfn_t));
static_assert(sizeof(gfn_t) == sizeof(u64));
static_assert(__same_type(((struct kvm_memory_slot *)NULL)->npages,
			  unsigned long));
static_assert(__same_type(((struct kvm_memory_slot *)NULL)->flags, u32));
static_assert(__same_type(((struct kvm_memory_slot *)NULL)->id, short));
static_assert(KVM_MEM_READONLY == MEMLAYOUT_KVM_MEM_READONLY);

/* Order of the audit: by address space, then by first byte. */
static int ml_kvm_slot_cmp(const void *a, const void *b)
{
	const struct memlayout_kvm_slot *x = a, *y = b;

	if (x->as_id != y->as_id)
		return x->as_id < y->as_id ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/**
 * ml_kvm_read() - copy a held VM's memslots
 * @kvm: the VM; the caller holds a reference.
 * @slots: set to the copies (kvmalloc(), the caller kvfree()s), %NULL
 *         when there are none.
 * @nr: set to their number.
 *
 * One SRCU read section, as KVM's readers: each address space's active
 * memslots are dereferenced once (__kvm_memslots()) and that pointer is
 * used both to count and to copy. A writer publishes a new set and waits
 * for readers (synchronize_srcu()) before touching the old one, so the set
 * read here cannot change under the section. Sleeping (the allocation)
 * is allowed under SRCU.
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
static int ml_kvm_read(struct kvm *kvm, struct memlayout_kvm_slot **slots,
		       u32 *nr)
{
	struct kvm_memslots *as[ML_KVM_MAX_AS];
	struct memlayout_kvm_slot *s = NULL;
	struct kvm_memory_slot *ms;
	int nr_as = ml_kvm_nr_as(kvm);
	u32 n = 0, i = 0;
	int idx, a, bkt;
	int ret = 0;

	idx = srcu_read_lock(&kvm->srcu);
	for (a = 0; a < nr_as; a++) {
		as[a] = __kvm_memslots(kvm, a);
		kvm_for_each_memslot(ms, bkt, as[a])
			n += kvm_is_visible_memslot(ms);
	}
	if (n) {
		s = kvmalloc_array(n, sizeof(*s), GFP_KERNEL_ACCOUNT);
		if (!s) {
			ret = -ENOMEM;
			goto unlock;
		}
	}
	for (a = 0; a < nr_as; a++) {
		kvm_for_each_memslot(ms, bkt, as[a]) {
			/*
			 * As KVM's readers: not a slot being deleted or
			 * moved (KVM_MEMSLOT_INVALID: in the active set
			 * while KVM deletes or moves it) nor one of KVM's
			 * private ones.
			 */
			if (!kvm_is_visible_memslot(ms))
				continue;
			/* The same set as counted: cannot be more. */
			if (WARN_ON_ONCE(i >= n))
				continue;
			s[i].as_id = a;
			s[i].id = (u16)ms->id;
			s[i].start = (u64)ms->base_gfn << PAGE_SHIFT;
			s[i].end = s[i].start + ((u64)ms->npages << PAGE_SHIFT);
			s[i].flags = ms->flags;
			i++;
		}
	}
unlock:
	srcu_read_unlock(&kvm->srcu, idx);
	if (ret)
		return ret;
	sort(s, i, sizeof(*s), ml_kvm_slot_cmp, NULL);
	*slots = s;
	*nr = i;
	return 0;
}

/**
 * ml_kvm_slots() - the memslots of the KVM VM a file descriptor names
 * @vm_fd: the caller's file descriptor.
 * @slots: set to a sorted copy, by address space then first byte
 *         (kvmalloc(); the caller kvfree()s it), %NULL when @nr is 0.
 * @nr: set to the number of memslots, over every address space.
 *
 * Context: process context; may sleep. Holds no lock on return: every
 * reference taken (the file, kvm.ko's symbols, the VM) is dropped.
 * Return: 0; -EBADF (@vm_fd not open); -ENOPKG (KVM not loaded);
 * -EINVAL (not a KVM VM file); -ESRCH (the VM is being destroyed);
 * -ENOMEM.
 */
int ml_kvm_slots(int vm_fd, struct memlayout_kvm_slot **slots, u32 *nr)
{
	bool (*is_kvm)(struct file *file);
	bool (*get)(struct kvm *kvm);
	void (*put)(struct kvm *kvm);
	struct kvm *kvm;
	struct fd f;
	int ret;

	*slots = NULL;
	*nr = 0;
	f = fdget(vm_fd);
	if (!fd_file(f))
		return -EBADF;
	is_kvm = symbol_get(file_is_kvm);
	get = symbol_get(kvm_get_kvm_safe);
	put = symbol_get(kvm_put_kvm);
	if (!is_kvm || !get || !put) {
		ret = -ENOPKG;
		goto out;
	}
	if (!is_kvm(fd_file(f))) {
		ret = -EINVAL;
		goto out;
	}
	kvm = fd_file(f)->private_data;
	if (!get(kvm)) {
		ret = -ESRCH;
		goto out;
	}
	ret = ml_kvm_read(kvm, slots, nr);
	/* May destroy the VM, if its last file went meanwhile. */
	put(kvm);
out:
	if (put)
		symbol_put(kvm_put_kvm);
	if (get)
		symbol_put(kvm_get_kvm_safe);
	if (is_kvm)
		symbol_put(file_is_kvm);
	fdput(f);
	return ret;
}

#else /* !CONFIG_KVM */

/* Without KVM in the kernel, no file can be a VM. */
int ml_kvm_slots(int vm_fd, struct memlayout_kvm_slot **slots, u32 *nr)
{
	struct fd f;

	*slots = NULL;
	*nr = 0;
	f = fdget(vm_fd);
	if (!fd_file(f))
		return -EBADF;
	fdput(f);
	return -ENOPKG;
}

#endif /* CONFIG_KVM */
