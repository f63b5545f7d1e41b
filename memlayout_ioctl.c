// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/memlayout: the memlayout core behind a versioned ioctl interface.
 *
 * Each open file holds at most one layout. MEMLAYOUT_IOC_SET_LAYOUT builds
 * a new one completely, outside any lock, then publishes it with RCU;
 * queries and probes find it under rcu_read_lock() and take a reference,
 * so they never block a writer and never see a half-built layout. See
 * Documentation/userspace-api/memlayout.rst for the interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/compat.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>
#include <linux/memlayout.h>

#include "memlayout_hostfit.h"
#include "memlayout_ioctl.h"
#include "memlayout_kvm.h"

/*
 * The first version of each struct is ABI: pin where it ends, by its last
 * member (kernel/fork.c does the same for clone_args). Fields may only
 * ever be appended, so these hold for every later version too.
 */
static_assert(sizeof(struct memlayout_range) == 24);
static_assert(sizeof(struct memlayout_reason) == 24);
static_assert(offsetofend(struct memlayout_info, commands) ==
	      MEMLAYOUT_INFO_SIZE_VER0);
static_assert(offsetofend(struct memlayout_set, generation) ==
	      MEMLAYOUT_SET_SIZE_VER0);
static_assert(offsetofend(struct memlayout_stats, vtl2_end) ==
	      MEMLAYOUT_STATS_SIZE_VER0);
static_assert(offsetofend(struct memlayout_get_ranges, generation) ==
	      MEMLAYOUT_GET_RANGES_SIZE_VER0);
static_assert(offsetofend(struct memlayout_probe, generation) ==
	      MEMLAYOUT_PROBE_SIZE_VER0);
static_assert(offsetofend(struct memlayout_get_layout, fingerprint) ==
	      MEMLAYOUT_GET_LAYOUT_SIZE_VER0);
/* Later versions: the same rule, one assertion per version. */
static_assert(offsetofend(struct memlayout_set, fingerprint) ==
	      MEMLAYOUT_SET_SIZE_VER1);
static_assert(offsetofend(struct memlayout_stats, fingerprint) ==
	      MEMLAYOUT_STATS_SIZE_VER1);
static_assert(offsetofend(struct memlayout_probe, ranges_ptr) ==
	      MEMLAYOUT_PROBE_SIZE_VER1);
static_assert(sizeof(struct memlayout_map_entry) == 24);
static_assert(offsetofend(struct memlayout_set, place_reason) ==
	      MEMLAYOUT_SET_SIZE_VER2);
static_assert(offsetofend(struct memlayout_info, max_devices) ==
	      MEMLAYOUT_INFO_SIZE_VER1);
static_assert(sizeof(struct memlayout_get_placements) ==
	      MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0);
static_assert(sizeof(struct memlayout_place_req) == 40);
static_assert(sizeof(struct memlayout_placed) == 32);
static_assert(sizeof(struct memlayout_place_reason) == 48);
/* The view's header fits before its starts (memlayout_view_fill()). */
static_assert(sizeof(struct memlayout_view) <= MEMLAYOUT_VIEW_STARTS_OFF);
static_assert(sizeof(struct memlayout_view_record) == 16);
static_assert(sizeof(struct memlayout_probe_range) == 24);
static_assert(offsetofend(struct memlayout_check_host, error_device) ==
	      MEMLAYOUT_CHECK_HOST_SIZE_VER0);
/* Arrays of these are copied whole: no holes, same for 32-bit callers. */
static_assert(sizeof(struct memlayout_host_device) == 48);
static_assert(sizeof(struct memlayout_host_conflict) == 64);
static_assert(offsetofend(struct memlayout_check_kvm, nr_as) ==
	      MEMLAYOUT_CHECK_KVM_SIZE_VER0);
static_assert(sizeof(struct memlayout_kvm_finding) == 72);

/* UAPI and in-kernel names for the same things must agree. */
static_assert(MEMLAYOUT_SOURCE_SIZE == MEMLAYOUT_FROM_SIZE);
static_assert(MEMLAYOUT_SOURCE_NODES == MEMLAYOUT_FROM_NODES);
static_assert(MEMLAYOUT_SOURCE_RANGES == MEMLAYOUT_FROM_RANGES);
static_assert(MEMLAYOUT_STATS_VTL2 == MEMLAYOUT_HAS_VTL2);
static_assert(MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB ==
	      MEMLAYOUT_HAS_MAX_RAM_BELOW_4GB);
static_assert(MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO ==
	      MEMLAYOUT_HAS_RAM_ABOVE_HIGH_MMIO);

/* Open files, for the debugfs leak check next to memlayout_live(). */
static atomic_t ml_open_files = ATOMIC_INIT(0);
static struct dentry *ml_debugfs;

/**
 * ml_get_layout() - a reference to a file's published layout
 * @f: the file state.
 *
 * Context: any; takes no lock. The layout may be replaced right after;
 * the caller keeps answering from the one it got.
 * Return: the layout (to be released with memlayout_put()), or %NULL when
 * the file holds none.
 */
VISIBLE_IF_KUNIT struct memlayout *ml_get_layout(struct memlayout_file *f)
{
	struct memlayout *l;

	rcu_read_lock();
	do {
		/* A failed tryget means it was just replaced: read again. */
		l = rcu_dereference(f->layout);
	} while (l && !memlayout_tryget(l));
	rcu_read_unlock();
	return l;
}
EXPORT_SYMBOL_IF_KUNIT(ml_get_layout);

/**
 * ml_memdup_array() - copy a bounded user array into accounted memory
 * @uptr: user address.
 * @nr: number of elements, already bounded by memlayout_check_counts().
 * @size: size of one element.
 *
 * Context: process context; may sleep and fault.
 * Return: the copy (for kvfree()), ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
static void *ml_memdup_array(u64 uptr, u32 nr, size_t size)
{
	void *p = kvmalloc_array(nr, size, GFP_KERNEL_ACCOUNT);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, u64_to_user_ptr(uptr), array_size(nr, size))) {
		kvfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

/**
 * ml_copy_ranges() - copy one list of a SET_LAYOUT in and check it
 * @s: the command (receives the reason of a rejection).
 * @uptr: user address of the list.
 * @nr: number of ranges, already bounded by memlayout_check_counts().
 * @list: which list, for the reason.
 * @out: receives the kernel copy (%NULL when @nr is 0), for kvfree().
 *
 * Each range is checked by memlayout_set_check_ranges() as it arrives.
 * The pointer and count were already checked to be both zero or both set.
 *
 * Context: process context; may sleep and fault.
 * Return: 0, -EFAULT, -ENOMEM, or -EINVAL with the reason set.
 */
static int ml_copy_ranges(struct memlayout_set *s, u64 uptr, u32 nr, u32 list,
			  struct memlayout_range **out)
{
	struct memlayout_range *r;
	int ret;

	*out = NULL;
	if (!nr)
		return 0;
	r = ml_memdup_array(uptr, nr, sizeof(*r));
	if (IS_ERR(r))
		return PTR_ERR(r);
	ret = memlayout_set_check_ranges(s, r, nr, list);
	if (ret) {
		kvfree(r);
		return ret;
	}
	*out = r;
	return 0;
}

/**
 * ml_publish() - reply to SET_LAYOUT, then make the layout current
 * @f: the file state.
 * @l: the new layout; its reference passes to @f on success.
 * @s: the command, to receive the generation.
 * @uarg: user address of the command, or %NULL for an in-kernel caller
 *        (the KUnit suites), which gets no reply.
 * @usize: the command's size as userspace gave it.
 *
 * The reply carries the generation the layout gets, so it is written
 * under @f->lock, just before publishing: a reply that cannot be written
 * fails the call with the previous layout still in place, as every failed
 * SET_LAYOUT must. But no mutex may be held across a user fault (the page
 * may be served by userfaultfd or FUSE for as long as they like), so the
 * copy runs with page faults disabled; if it faults, the lock is dropped,
 * the page is faulted in for writing without it (and without writing to
 * it, so a reply that finally fails leaves the caller's struct as it
 * was), and the whole step is retried.
 *
 * Context: process context; takes @f->lock, never faults under it.
 * Return: 0; -EFAULT if the reply cannot be written, or -EINTR if a fatal
 * signal arrives while retrying (@l is then freed).
 */
VISIBLE_IF_KUNIT int ml_publish(struct memlayout_file *f, struct memlayout *l,
				struct memlayout_set *s, void __user *uarg,
				u32 usize)
{
	size_t len = min_t(u32, usize, sizeof(*s));
	struct memlayout *old;
	unsigned long left;

	for (;;) {
		mutex_lock(&f->lock);
		s->generation = f->generation + 1;
		left = 0;
		if (uarg) {
			pagefault_disable();
			left = copy_to_user(uarg, s, len);
			pagefault_enable();
		}
		if (!left)
			break;
		mutex_unlock(&f->lock);
		/* Unlike fault_in_writeable(), this writes no byte. */
		if (fault_in_safe_writeable(uarg, len)) {
			memlayout_free(l);
			return -EFAULT;
		}
		if (fatal_signal_pending(current)) {
			memlayout_free(l);
			return -EINTR;
		}
	}
	l->generation = ++f->generation;
	old = rcu_replace_pointer(f->layout, l, lockdep_is_held(&f->lock));
	if (f->view)
		memlayout_view_publish(f->view, f->view_size, l);
	mutex_unlock(&f->lock);
	/* Readers still inside an RCU section or holding a reference keep it. */
	memlayout_put(old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ml_publish);

/**
 * ml_build_placed() - the layout of a C4 SET_LAYOUT
 * @s: the command, checked by memlayout_set_check() (so @s->nr_place is
 *     bounded by R8); receives the reason of a rejection.
 *
 * Copies the request array in and hands it to memlayout_set_place(); the
 * copy is freed here, the layout keeps only its placement.
 *
 * Context: process context; may sleep and fault.
 * Return: the layout, or an ERR_PTR(): -EFAULT, -ENOMEM, or a rejection
 * with the reason written.
 */
static struct memlayout *ml_build_placed(struct memlayout_set *s)
{
	struct memlayout_place_req *reqs = NULL;
	struct memlayout *l;

	if (s->nr_place) {
		reqs = ml_memdup_array(s->place_ptr, s->nr_place,
				       sizeof(*reqs));
		if (IS_ERR(reqs))
			return ERR_CAST(reqs);
	}
	l = memlayout_set_place(s, reqs, 0, GFP_KERNEL_ACCOUNT);
	kvfree(reqs);
	return l;
}

/**
 * ml_set_layout() - MEMLAYOUT_IOC_SET_LAYOUT
 * @f: the file state.
 * @s: the command, copied in; the reason and generation are written back.
 * @uarg: user address of the command.
 * @usize: the command's size as userspace gave it.
 * @respond: set when the caller must copy @s back (on a rejection; an
 *           accepted layout's reply is written by ml_publish()).
 *
 * Cheapest checks first, in this order: flags; source and the members it
 * does not use; VTL2's members; pointer/count pairs; R8 on the counts
 * (before anything is allocated); the copies, each list checked for
 * reserved and vnode members as it arrives (nodes, ram, mmio, pci_ecam,
 * pci_mmio); then the core's rules in memlayout_build()'s order. C4
 * copies its request array instead (ml_build_placed()). With
 * %MEMLAYOUT_SET_DRY_RUN, a layout that passes them all is dropped instead
 * of published, and the reply says so (generation 0, its fingerprint).
 *
 * Context: process context; may sleep. Takes @f->lock only to publish.
 * Return: 0 or a negative errno; the previous layout stays on any error.
 */
static int ml_set_layout(struct memlayout_file *f, struct memlayout_set *s,
			 void __user *uarg, u32 usize, bool *respond)
{
	struct memlayout_range *ram = NULL, *mmio = NULL, *ecam = NULL,
			       *pmmio = NULL;
	struct memlayout_request req = {};
	struct memlayout_error err;
	struct memlayout *l;
	u64 *nodes = NULL;
	int ret;

	*respond = true;
	ret = memlayout_set_check(s, &req, 0);
	if (ret)
		return ret;

	if (s->source == MEMLAYOUT_SOURCE_PLACE) {
		l = ml_build_placed(s);
		if (IS_ERR(l))
			return PTR_ERR(l);
		goto built;
	}
	if (s->nr_nodes) {
		nodes = ml_memdup_array(s->nodes_ptr, s->nr_nodes, sizeof(*nodes));
		if (IS_ERR(nodes)) {
			ret = PTR_ERR(nodes);
			nodes = NULL;
			goto free;
		}
	}
	ret = ml_copy_ranges(s, s->ram_ptr, s->nr_ram, MEMLAYOUT_LIST_RAM, &ram);
	if (!ret)
		ret = ml_copy_ranges(s, s->mmio_ptr, s->nr_mmio,
				     MEMLAYOUT_LIST_MMIO, &mmio);
	if (!ret)
		ret = ml_copy_ranges(s, s->pci_ecam_ptr, s->nr_pci_ecam,
				     MEMLAYOUT_LIST_PCI_ECAM, &ecam);
	if (!ret)
		ret = ml_copy_ranges(s, s->pci_mmio_ptr, s->nr_pci_mmio,
				     MEMLAYOUT_LIST_PCI_MMIO, &pmmio);
	if (ret)
		goto free;

	req.node_sizes = nodes;
	req.ram = ram;
	req.mmio = mmio;
	req.pci_ecam = ecam;
	req.pci_mmio = pmmio;
	l = memlayout_build(&req, GFP_KERNEL_ACCOUNT, &err);
	if (IS_ERR(l)) {
		memlayout_set_reject(s, &err);
		ret = PTR_ERR(l);
		goto free;
	}
built:
	if (!memlayout_set_accepted(s, l)) {
		/* A dry run: the reply is the whole result. */
		memlayout_free(l);
		goto free;
	}
	*respond = false;
	ret = ml_publish(f, l, s, uarg, usize);
free:
	kvfree(pmmio);
	kvfree(ecam);
	kvfree(mmio);
	kvfree(ram);
	kvfree(nodes);
	return ret;
}

/**
 * ml_get_stats() - MEMLAYOUT_IOC_GET_STATS
 * @f: the file state.
 * @st: the command, copied in; every output field is overwritten.
 *
 * Context: any process context; RCU read side only, no lock.
 * Return: 0, -EOPNOTSUPP for unknown flags, -ENOENT without a layout.
 */
VISIBLE_IF_KUNIT int ml_get_stats(struct memlayout_file *f,
				  struct memlayout_stats *st)
{
	const struct memlayout *l;

	if (st->flags)
		return -EOPNOTSUPP;
	rcu_read_lock();
	l = rcu_dereference(f->layout);
	if (!l) {
		rcu_read_unlock();
		/* Output only: nothing of what userspace passed survives. */
		memset(st, 0, sizeof(*st));
		return -ENOENT;
	}
	memlayout_fill_stats(l, st);
	rcu_read_unlock();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ml_get_stats);

/**
 * ml_get_ranges() - MEMLAYOUT_IOC_GET_RANGES
 * @f: the file state.
 * @g: the command, copied in; @g->count and @g->generation are written.
 * @respond: set when @g must be copied back (also for -EMSGSIZE).
 *
 * Context: process context; may fault. Holds a layout reference, no lock.
 * Return: 0, -EOPNOTSUPP, -EINVAL, -ENOENT, -EMSGSIZE or -EFAULT.
 */
VISIBLE_IF_KUNIT int ml_get_ranges(struct memlayout_file *f,
				   struct memlayout_get_ranges *g,
				   bool *respond)
{
	struct memlayout_range __user *uranges = u64_to_user_ptr(g->ranges_ptr);
	struct memlayout_range r;
	struct memlayout *l;
	u32 i, n;
	int ret = 0;

	if (g->flags)
		return -EOPNOTSUPP;
	if (!memlayout_list_readable(g->list))
		return -EOPNOTSUPP;
	/* Both zero is the size query; one without the other is an error. */
	if (!g->count != !g->ranges_ptr)
		return -EINVAL;

	l = ml_get_layout(f);
	if (!l)
		return -ENOENT;
	n = memlayout_count(l, g->list);
	g->generation = l->generation;
	*respond = true;
	if (g->count < n) {
		g->count = n;
		ret = -EMSGSIZE;
		goto put;
	}
	g->count = n;
	for (i = 0; i < n; i++) {
		memlayout_get_range(l, g->list, i, &r);
		if (copy_to_user(&uranges[i], &r, sizeof(r))) {
			*respond = false;
			ret = -EFAULT;
			goto put;
		}
		if (!(i % 1024))
			cond_resched();
	}
put:
	memlayout_put(l);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ml_get_ranges);

/* Addresses probed per copy_from_user when the batch is small. */
#define ML_PROBE_STACK_CHUNK	16
/* ... and with a page-sized buffer for bigger batches. */
#define ML_PROBE_CHUNK		(PAGE_SIZE / (sizeof(u64) + sizeof(u32)))
/* ... and with covering ranges (always in the page-sized buffer). */
#define ML_PROBE_RANGES_CHUNK	(PAGE_SIZE / (sizeof(u64) + sizeof(u32) + \
				 sizeof(struct memlayout_probe_range)))

/**
 * ml_probe() - MEMLAYOUT_IOC_PROBE
 * @f: the file state.
 * @p: the command, copied in; @p->generation is written.
 *
 * Every answer of one call comes from the same layout, even if the file's
 * layout is replaced meanwhile: the call holds a reference to the layout
 * it found first. With @p->ranges_ptr, each answer's covering range is
 * written too.
 *
 * Context: process context; may sleep and fault. No lock.
 * Return: 0, -EOPNOTSUPP, -EINVAL, -E2BIG, -ENOENT, -ENOMEM or -EFAULT.
 */
static int ml_probe(struct memlayout_file *f, struct memlayout_probe *p)
{
	u64 stack_addrs[ML_PROBE_STACK_CHUNK];
	u32 stack_kinds[ML_PROBE_STACK_CHUNK];
	const u64 __user *uaddrs = u64_to_user_ptr(p->addrs_ptr);
	u32 __user *ukinds = u64_to_user_ptr(p->kinds_ptr);
	struct memlayout_probe_range __user *uranges =
		u64_to_user_ptr(p->ranges_ptr);
	struct memlayout_probe_range *ranges = NULL;
	u32 done, n, chunk = ML_PROBE_STACK_CHUNK;
	void *page = NULL;
	u64 *addrs = stack_addrs;
	u32 *kinds = stack_kinds;
	struct memlayout *l;
	int ret = 0;

	if (p->flags)
		return -EOPNOTSUPP;
	if (p->reserved)
		return -EINVAL;
	if (p->count > MEMLAYOUT_MAX_PROBE)
		return -E2BIG;
	if (!p->count != !p->addrs_ptr || !p->count != !p->kinds_ptr)
		return -EINVAL;
	/* Optional, but only with addresses to answer. */
	if (p->ranges_ptr && !p->count)
		return -EINVAL;

	if (p->count > ML_PROBE_STACK_CHUNK || p->ranges_ptr) {
		page = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
		if (!page)
			return -ENOMEM;
		chunk = ML_PROBE_CHUNK;
		addrs = page;
		if (p->ranges_ptr) {
			/* The ranges first: their u64 members stay aligned. */
			chunk = ML_PROBE_RANGES_CHUNK;
			ranges = page;
			addrs = (u64 *)&ranges[chunk];
		}
		kinds = (u32 *)&addrs[chunk];
	}

	l = ml_get_layout(f);
	if (!l) {
		ret = -ENOENT;
		goto free;
	}
	p->generation = l->generation;
	for (done = 0; done < p->count; done += n) {
		n = min(chunk, p->count - done);
		if (copy_from_user(addrs, &uaddrs[done], n * sizeof(*addrs))) {
			ret = -EFAULT;
			break;
		}
		memlayout_probe_many_ranges(l, addrs, kinds, ranges, n);
		if (copy_to_user(&ukinds[done], kinds, n * sizeof(*kinds)) ||
		    (ranges && copy_to_user(&uranges[done], ranges,
					    n * sizeof(*ranges)))) {
			ret = -EFAULT;
			break;
		}
		cond_resched();
	}
	memlayout_put(l);
free:
	kfree(page);
	return ret;
}

/* Entries GET_LAYOUT copies out per step, from a page-sized buffer. */
#define ML_MAP_CHUNK	(PAGE_SIZE / sizeof(struct memlayout_map_entry))

/**
 * ml_copy_arg() - copy an extensible argument struct in
 * @uarg: its user address; its first member is its ``__u32 size``.
 * @kbuf: receives the kernel's copy, zero-extended.
 * @ksize: the kernel's size of the struct.
 * @min_size: the first version's size.
 * @usize: receives the size userspace gave.
 *
 * The framing every command's struct follows (and GET_LAYOUT's stats
 * struct): from the first version's size up to a page, zero past what the
 * kernel knows.
 *
 * Context: process context; may fault.
 * Return: 0; -EFAULT; -EINVAL when smaller than the first version; -E2BIG
 * over a page or with a non-zero tail (@usize is then valid).
 */
static int ml_copy_arg(void __user *uarg, void *kbuf, size_t ksize,
		       u32 min_size, u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < min_size)
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(kbuf, ksize, uarg, *usize);
}

/**
 * ml_read_stats_arg() - read the struct memlayout_stats GET_LAYOUT fills
 * @uptr: its user address.
 * @st: receives it, copied in as MEMLAYOUT_IOC_GET_STATS would copy it.
 * @usize: receives its size as userspace gave it.
 *
 * The same framing as any command's struct: its own @size, from the first
 * version up to a page, zero past what the kernel knows, flags 0.
 *
 * Context: process context; may fault.
 * Return: 0, -EFAULT, -EINVAL, -E2BIG or -EOPNOTSUPP.
 */
static int ml_read_stats_arg(u64 uptr, struct memlayout_stats *st, u32 *usize)
{
	int ret = ml_copy_arg(u64_to_user_ptr(uptr), st, sizeof(*st),
			      MEMLAYOUT_STATS_SIZE_VER0, usize);

	if (ret)
		return ret;
	return st->flags ? -EOPNOTSUPP : 0;
}

/**
 * ml_check_readback() - the common members of a read-back command
 * @flags: its flags (none are defined).
 * @reserved: its reserved member.
 * @count: its buffer's capacity.
 * @ptr: its buffer's user address.
 *
 * Context: any.
 * Return: 0, -EOPNOTSUPP for a flag, -EINVAL for a reserved member or a
 * buffer pointer and capacity that are not both set or both zero.
 */
static int ml_check_readback(u32 flags, u32 reserved, u32 count, u64 ptr)
{
	if (flags)
		return -EOPNOTSUPP;
	if (reserved)
		return -EINVAL;
	if (!count != !ptr)
		return -EINVAL;
	return 0;
}

/**
 * ml_get_map() - MEMLAYOUT_IOC_GET_LAYOUT
 * @f: the file state.
 * @g: the command, copied in; @g->count, @g->generation and
 *     @g->fingerprint are written.
 * @respond: set when @g must be copied back (also for -EMSGSIZE).
 *
 * Every value comes from the one layout the call holds a reference to,
 * whatever SET_LAYOUT does meanwhile. The entries are copied out a page
 * at a time; no lock is held.
 *
 * Context: process context; may sleep and fault.
 * Return: 0, -EOPNOTSUPP, -EINVAL, -E2BIG, -ENOENT, -EMSGSIZE, -ENOMEM or
 * -EFAULT.
 */
VISIBLE_IF_KUNIT int ml_get_map(struct memlayout_file *f,
				struct memlayout_get_layout *g, bool *respond)
{
	struct memlayout_map_entry __user *uent =
		u64_to_user_ptr(g->entries_ptr);
	struct memlayout_map_entry *buf;
	struct memlayout_stats st;
	struct memlayout *l;
	u32 done, n, ssize = 0;
	int ret = 0;

	ret = ml_check_readback(g->flags, g->reserved, g->count,
				g->entries_ptr);
	if (ret)
		return ret;
	if (g->stats_ptr) {
		ret = ml_read_stats_arg(g->stats_ptr, &st, &ssize);
		if (ret)
			return ret;
	}
	/* Output only: nothing of what userspace passed there survives. */
	g->generation = 0;
	memset(g->fingerprint, 0, sizeof(g->fingerprint));

	l = ml_get_layout(f);
	if (!l)
		return -ENOENT;
	if (g->count < l->nr) {
		g->count = l->nr;
		g->generation = l->generation;
		*respond = true;
		ret = -EMSGSIZE;
		goto put;
	}
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
	if (!buf) {
		ret = -ENOMEM;
		goto put;
	}
	for (done = 0; done < l->nr; done += n) {
		n = min_t(u32, ML_MAP_CHUNK, l->nr - done);
		memlayout_fill_map(l, done, n, buf);
		if (copy_to_user(&uent[done], buf, n * sizeof(*buf))) {
			ret = -EFAULT;
			goto free;
		}
		cond_resched();
	}
	if (g->stats_ptr) {
		memlayout_fill_stats(l, &st);
		if (copy_to_user(u64_to_user_ptr(g->stats_ptr), &st,
				 min_t(u32, ssize, sizeof(st)))) {
			ret = -EFAULT;
			goto free;
		}
	}
	g->count = l->nr;
	g->generation = l->generation;
	memcpy(g->fingerprint, l->fingerprint, sizeof(g->fingerprint));
	*respond = true;
free:
	kfree(buf);
put:
	memlayout_put(l);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ml_get_map);

/* Placed ranges GET_PLACEMENTS copies out per step. */
#define ML_PLACED_CHUNK	1024

/**
 * ml_get_placements() - MEMLAYOUT_IOC_GET_PLACEMENTS
 * @f: the file state.
 * @g: the command, copied in; @g->count and @g->generation are written.
 * @respond: set when @g must be copied back (also for -EMSGSIZE).
 *
 * The placed ranges live in the layout, immutable, so they are copied
 * straight from it while the call holds its reference; no lock is held.
 *
 * Context: process context; may sleep and fault.
 * Return: 0, -EOPNOTSUPP, -EINVAL, -ENOENT, -EMSGSIZE or -EFAULT.
 */
VISIBLE_IF_KUNIT int ml_get_placements(struct memlayout_file *f,
				       struct memlayout_get_placements *g,
				       bool *respond)
{
	struct memlayout_placed __user *uent = u64_to_user_ptr(g->entries_ptr);
	struct memlayout *l;
	u32 done, n, nr;
	int ret = 0;

	ret = ml_check_readback(g->flags, g->reserved, g->count,
				g->entries_ptr);
	if (ret)
		return ret;

	l = ml_get_layout(f);
	if (!l)
		return -ENOENT;
	nr = memlayout_nr_placed(l);
	g->generation = l->generation;
	*respond = true;
	if (g->count < nr) {
		g->count = nr;
		ret = -EMSGSIZE;
		goto put;
	}
	g->count = nr;
	for (done = 0; done < nr; done += n) {
		n = min_t(u32, ML_PLACED_CHUNK, nr - done);
		if (copy_to_user(&uent[done], &l->placement->ranges[done],
				 n * sizeof(*uent))) {
			*respond = false;
			ret = -EFAULT;
			goto put;
		}
		cond_resched();
	}
put:
	memlayout_put(l);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ml_get_placements);

/* Conflicts CHECK_HOST copies out per step, from a page-sized buffer. */
#define ML_CONFLICT_CHUNK	(PAGE_SIZE / sizeof(struct memlayout_host_conflict))

/**
 * struct ml_host_out - where CHECK_HOST's second memlayout_host_fit()
 * pass writes
 * @uc: the caller's conflicts array.
 * @buf: a kernel buffer of %ML_CONFLICT_CHUNK entries.
 * @done: conflicts already copied to @uc.
 * @n: conflicts in @buf.
 * @cap: room at @uc, in entries.
 */
struct ml_host_out {
	struct memlayout_host_conflict __user *uc;
	struct memlayout_host_conflict *buf;
	u32 done;
	u32 n;
	u32 cap;
};

/* Copy @o's buffered conflicts out: 0 or -EFAULT. */
static int ml_host_flush(struct ml_host_out *o)
{
	if (o->n && copy_to_user(&o->uc[o->done], o->buf,
				 array_size(o->n, sizeof(*o->buf))))
		return -EFAULT;
	o->done += o->n;
	o->n = 0;
	return 0;
}

/*
 * memlayout_host_fit()'s sink: buffer one conflict, flushing a full
 * buffer. The counting pass sized @cap, so going past it would be a bug.
 */
static int ml_host_emit(void *ctx, const struct memlayout_host_conflict *c)
{
	struct ml_host_out *o = ctx;

	if (WARN_ON_ONCE(o->done + o->n >= o->cap))
		return -EMSGSIZE;
	o->buf[o->n++] = *c;
	return o->n == ML_CONFLICT_CHUNK ? ml_host_flush(o) : 0;
}

/**
 * ml_host_write() - the conflicts of one CHECK_HOST, copied out
 * @l: the layout.
 * @h: the host's facts.
 * @uptr: user address of the caller's array.
 * @count: the number of conflicts, as the counting pass found.
 *
 * Context: process context; may sleep and fault. No lock.
 * Return: 0, -ENOMEM or -EFAULT.
 */
static int ml_host_write(const struct memlayout *l,
			 const struct memlayout_host_facts *h, u64 uptr,
			 u32 count)
{
	struct ml_host_out o = {
		.uc = u64_to_user_ptr(uptr),
		.cap = count,
	};
	u32 again;
	int ret;

	o.buf = kmalloc_array(min_t(u32, count, ML_CONFLICT_CHUNK),
			      sizeof(*o.buf), GFP_KERNEL_ACCOUNT);
	if (!o.buf)
		return -ENOMEM;
	ret = memlayout_host_fit(l, h, ml_host_emit, &o, &again, true);
	if (!ret)
		ret = ml_host_flush(&o);
	kfree(o.buf);
	return ret;
}

/**
 * ml_check_host() - MEMLAYOUT_IOC_CHECK_HOST (SPEC H1-H3)
 * @f: the file state.
 * @c: the command, copied in; @c->count, @c->generation, @c->phys_bits
 *     and @c->error_device are written.
 * @respond: set when @c must be copied back: on success, on -EMSGSIZE and
 *           on an error of one device (@c->error_device names it; not
 *           for -ENOMEM, which writes nothing back).
 *
 * The checks of memlayout_check_host_args() first, then a reference to
 * the file's layout (no lock, no RCU held across user memory), then each
 * device record in turn: memlayout_check_host_device() and
 * ml_host_gather(), which copies the host facts and drops every reference
 * it took. memlayout_host_fit() then counts the conflicts and, if they
 * fit @c->count, writes them a page at a time. The device records' out
 * members are written back on success and on -EMSGSIZE.
 *
 * Context: process context; may sleep and fault.
 * Return: 0, -EOPNOTSUPP, -E2BIG, -EINVAL, -ENOENT, -ENODEV, -EBADF,
 * -EMSGSIZE, -ENOMEM, -EOVERFLOW or -EFAULT.
 */
static int ml_check_host(struct memlayout_file *f,
			 struct memlayout_check_host *c, bool *respond)
{
	struct memlayout_host_device *devs = NULL;
	struct memlayout_host_dev *facts = NULL;
	struct memlayout_host_facts h = { .phys_bits = ml_host_phys_bits() };
	struct memlayout *l;
	u32 i, count;
	int ret;

	ret = memlayout_check_host_args(c, MEMLAYOUT_MAX_HOST_DEVICES);
	if (ret)
		return ret;
	l = ml_get_layout(f);
	if (!l)
		return -ENOENT;
	if (c->nr_devices) {
		devs = ml_memdup_array(c->devices_ptr, c->nr_devices,
				       sizeof(*devs));
		if (IS_ERR(devs)) {
			ret = PTR_ERR(devs);
			goto put;
		}
		facts = kcalloc(c->nr_devices, sizeof(*facts),
				GFP_KERNEL_ACCOUNT);
		if (!facts) {
			ret = -ENOMEM;
			goto free_devs;
		}
	}
	for (i = 0; i < c->nr_devices; i++) {
		ret = memlayout_check_host_device(&devs[i]);
		if (!ret)
			ret = ml_host_gather(&devs[i], &facts[i]);
		if (ret) {
			/* -ENOMEM is the call's, not the device's: no reply. */
			if (ret != -ENOMEM) {
				c->error_device = i;
				*respond = true;
			}
			goto free_facts;
		}
	}
	h.nr_devices = c->nr_devices;
	h.devices = facts;
	ret = memlayout_host_fit(l, &h, NULL, NULL, &count, true);
	if (ret)
		goto free_facts;
	c->generation = l->generation;
	c->phys_bits = h.phys_bits;
	if (count > c->count) {
		ret = -EMSGSIZE;
	} else if (count) {
		ret = ml_host_write(l, &h, c->conflicts_ptr, count);
		if (ret)
			goto free_facts;
	}
	c->count = count;
	if (c->nr_devices &&
	    copy_to_user(u64_to_user_ptr(c->devices_ptr), devs,
			 array_size(c->nr_devices, sizeof(*devs)))) {
		ret = -EFAULT;
		goto free_facts;
	}
	*respond = true;
free_facts:
	for (i = 0; facts && i < c->nr_devices; i++)
		ml_host_release(&facts[i]);
	kfree(facts);
free_devs:
	kvfree(devs);
put:
	memlayout_put(l);
	return ret;
}

/* Findings CHECK_KVM copies out per step, from a page-sized buffer. */
#define ML_FINDING_CHUNK	(PAGE_SIZE / sizeof(struct memlayout_kvm_finding))

/**
 * struct ml_kvm_out - where CHECK_KVM's second memlayout_kvm_audit() pass
 * writes
 * @uf: the caller's findings array.
 * @buf: a kernel buffer of %ML_FINDING_CHUNK entries.
 * @done: findings already copied to @uf.
 * @n: findings in @buf.
 * @cap: room at @uf, in entries.
 */
struct ml_kvm_out {
	struct memlayout_kvm_finding __user *uf;
	struct memlayout_kvm_finding *buf;
	u32 done;
	u32 n;
	u32 cap;
};

/* Copy @o's buffered findings out: 0 or -EFAULT. */
static int ml_kvm_flush(struct ml_kvm_out *o)
{
	if (o->n && copy_to_user(&o->uf[o->done], o->buf,
				 array_size(o->n, sizeof(*o->buf))))
		return -EFAULT;
	o->done += o->n;
	o->n = 0;
	return 0;
}

/*
 * memlayout_kvm_audit()'s sink: buffer one finding, flushing a full
 * buffer. The counting pass sized @cap, so going past it would be a bug.
 */
static int ml_kvm_emit(void *ctx, const struct memlayout_kvm_finding *fi)
{
	struct ml_kvm_out *o = ctx;

	if (WARN_ON_ONCE(o->done + o->n >= o->cap))
		return -EMSGSIZE;
	o->buf[o->n++] = *fi;
	return o->n == ML_FINDING_CHUNK ? ml_kvm_flush(o) : 0;
}

/**
 * ml_kvm_write() - the findings of one CHECK_KVM, copied out
 * @l: the layout.
 * @slots: the VM's memslots, as ml_kvm_slots() gave them.
 * @nr: their number.
 * @uptr: user address of the caller's array.
 * @count: the number of findings, as the counting pass found.
 *
 * Context: process context; may sleep and fault. No lock.
 * Return: 0, -ENOMEM or -EFAULT.
 */
static int ml_kvm_write(const struct memlayout *l,
			const struct memlayout_kvm_slot *slots, u32 nr,
			u64 uptr, u32 count)
{
	struct ml_kvm_out o = {
		.uf = u64_to_user_ptr(uptr),
		.cap = count,
	};
	u32 again, nr_as;
	int ret;

	o.buf = kmalloc_array(min_t(u32, count, ML_FINDING_CHUNK),
			      sizeof(*o.buf), GFP_KERNEL_ACCOUNT);
	if (!o.buf)
		return -ENOMEM;
	ret = memlayout_kvm_audit(l, slots, nr, ml_kvm_emit, &o, &again,
				  &nr_as, true);
	if (!ret)
		ret = ml_kvm_flush(&o);
	kfree(o.buf);
	return ret;
}

/**
 * ml_kvm_answer() - CHECK_KVM's answer for a layout and a VM's memslots
 * @l: the layout.
 * @slots: the VM's memslots, sorted (ml_kvm_slots()).
 * @nr: their number.
 * @c: the command; @c->count, @c->generation, @c->nr_slots and
 *     @c->nr_as are written on success and on -EMSGSIZE.
 *
 * memlayout_kvm_audit() counts the findings; if they fit @c->count, a
 * second pass writes them to @c->findings_ptr a page at a time. Too small
 * a buffer: -EMSGSIZE with @c->count the number needed, nothing written.
 *
 * Context: process context; may sleep and fault. No lock.
 * Return: 0, -EMSGSIZE, -ENOMEM, -EFAULT, or memlayout_kvm_audit()'s
 * error.
 */
VISIBLE_IF_KUNIT int ml_kvm_answer(const struct memlayout *l,
				   const struct memlayout_kvm_slot *slots,
				   u32 nr, struct memlayout_check_kvm *c)
{
	u32 count, nr_as;
	int ret;

	ret = memlayout_kvm_audit(l, slots, nr, NULL, NULL, &count, &nr_as,
				  true);
	if (ret)
		return ret;
	c->generation = l->generation;
	c->nr_slots = nr;
	c->nr_as = nr_as;
	if (count > c->count) {
		c->count = count;
		return -EMSGSIZE;
	}
	if (count) {
		ret = ml_kvm_write(l, slots, nr, c->findings_ptr, count);
		if (ret)
			return ret;
	}
	c->count = count;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ml_kvm_answer);

/**
 * ml_check_kvm() - MEMLAYOUT_IOC_CHECK_KVM (SPEC H4)
 * @f: the file state.
 * @c: the command, copied in; see ml_kvm_answer() for what is written.
 * @respond: set when @c must be copied back: on success and on -EMSGSIZE.
 *
 * The checks of memlayout_check_kvm_args() first, then a reference to
 * the file's layout (no lock, no RCU held across user memory), then the
 * VM's memslots, copied by ml_kvm_slots() (which holds the VM, under
 * KVM's SRCU, only while it copies), then ml_kvm_answer().
 *
 * Errnos of the VM file, in this order: -EBADF, @c->vm_fd is not open;
 * -ENOPKG, KVM is not loaded (kvm.ko's symbols cannot be had, or the
 * kernel has no KVM), so no file can be a VM: the caller can tell "load
 * KVM" from "wrong file", and the module itself never needs kvm.ko;
 * -EINVAL, the file is not a KVM VM (/dev/kvm itself, a vCPU, anything
 * else); -ESRCH, the VM is being destroyed.
 *
 * Context: process context; may sleep and fault.
 * Return: 0, -EOPNOTSUPP, -EINVAL, -ENOENT, -EBADF, -ENOPKG, -ESRCH,
 * -EMSGSIZE, -ENOMEM or -EFAULT.
 */
static int ml_check_kvm(struct memlayout_file *f,
			struct memlayout_check_kvm *c, bool *respond)
{
	struct memlayout_kvm_slot *slots;
	struct memlayout *l;
	u32 nr;
	int ret;

	ret = memlayout_check_kvm_args(c);
	if (ret)
		return ret;
	l = ml_get_layout(f);
	if (!l)
		return -ENOENT;
	ret = ml_kvm_slots(c->vm_fd, &slots, &nr);
	if (!ret) {
		ret = ml_kvm_answer(l, slots, nr, c);
		*respond = !ret || ret == -EMSGSIZE;
		kvfree(slots);
	}
	memlayout_put(l);
	return ret;
}

/* Every argument, for one on-stack buffer (iommufd's ucmd_buffer). */
union ml_ucmd_buffer {
	struct memlayout_info info;
	struct memlayout_set set;
	struct memlayout_stats stats;
	struct memlayout_get_ranges ranges;
	struct memlayout_get_layout map;
	struct memlayout_probe probe;
	struct memlayout_get_placements placements;
	struct memlayout_check_host host;
	struct memlayout_check_kvm kvm;
};

/**
 * struct ml_ioctl_op - one command of the dispatch table
 * @cmd: the command as the UAPI header defines it.
 * @size: the kernel's sizeof its argument.
 * @min_size: the first version's size; anything smaller is -EINVAL.
 */
struct ml_ioctl_op {
	unsigned int cmd;
	unsigned int size;
	unsigned int min_size;
};

#define ML_IOCTL_OP(_cmd, _struct, _ver0) \
	{ .cmd = _cmd, .size = sizeof(_struct), .min_size = _ver0 }

static const struct ml_ioctl_op ml_ioctl_ops[] = {
	ML_IOCTL_OP(MEMLAYOUT_IOC_GET_INFO, struct memlayout_info,
		    MEMLAYOUT_INFO_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_SET_LAYOUT, struct memlayout_set,
		    MEMLAYOUT_SET_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_GET_STATS, struct memlayout_stats,
		    MEMLAYOUT_STATS_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_GET_RANGES, struct memlayout_get_ranges,
		    MEMLAYOUT_GET_RANGES_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_GET_LAYOUT, struct memlayout_get_layout,
		    MEMLAYOUT_GET_LAYOUT_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_PROBE, struct memlayout_probe,
		    MEMLAYOUT_PROBE_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_GET_PLACEMENTS,
		    struct memlayout_get_placements,
		    MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_CHECK_HOST, struct memlayout_check_host,
		    MEMLAYOUT_CHECK_HOST_SIZE_VER0),
	ML_IOCTL_OP(MEMLAYOUT_IOC_CHECK_KVM, struct memlayout_check_kvm,
		    MEMLAYOUT_CHECK_KVM_SIZE_VER0),
};

/**
 * ml_find_op() - look a command up
 * @cmd: the command.
 *
 * Commands are _IO() numbers that encode no size, so they never change
 * when a struct grows; the struct's own @size member is authoritative.
 * Only an exact match is a command.
 *
 * Context: any.
 * Return: the table entry, or %NULL.
 */
static const struct ml_ioctl_op *ml_find_op(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ml_ioctl_ops); i++)
		if (cmd == ml_ioctl_ops[i].cmd)
			return &ml_ioctl_ops[i];
	return NULL;
}

/**
 * ml_frame_reply() - SET_LAYOUT's reply to a framing error
 * @uarg: user address of the command.
 * @usize: its size as userspace gave it, larger than the kernel's.
 *
 * -E2BIG means either a framing error or SPEC R8 for SET_LAYOUT; so that
 * a caller can tell them apart without zeroing the reply first, the
 * reply is written for both. Here the reason is %MEMLAYOUT_REASON_SIZE
 * with the offset of the first non-zero byte the kernel does not know, or
 * 0 (the size member) when @usize is over a page.
 *
 * Context: process context; may fault.
 * Return: -E2BIG, or -EFAULT if the reply cannot be written.
 */
static int ml_frame_reply(void __user *uarg, u32 usize)
{
	struct memlayout_set s;
	const u8 *nz;
	u8 chunk[64];
	u32 off, n;

	u32 field = 0;

	if (copy_from_user(&s, uarg, sizeof(s)))
		return -EFAULT;
	for (off = sizeof(s); usize <= PAGE_SIZE && off < usize; off += n) {
		n = min_t(u32, sizeof(chunk), usize - off);
		if (copy_from_user(chunk, uarg + off, n))
			return -EFAULT;
		nz = memchr_inv(chunk, 0, n);
		if (nz) {
			field = off + (nz - chunk);
			break;
		}
	}
	memlayout_set_frame_reason(&s, field);
	if (copy_to_user(uarg, &s, sizeof(s)))
		return -EFAULT;
	return -E2BIG;
}

/**
 * ml_commands() - the command numbers this kernel implements
 *
 * Context: any.
 * Return: a mask with bit _IOC_NR(cmd) set for each command of the
 * dispatch table, so GET_INFO can never disagree with it.
 */
static u64 ml_commands(void)
{
	u64 mask = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ml_ioctl_ops); i++)
		mask |= BIT_ULL(_IOC_NR(ml_ioctl_ops[i].cmd));
	return mask;
}

/**
 * ml_get_info() - MEMLAYOUT_IOC_GET_INFO
 * @info: the command, copied in; every output field is overwritten.
 *
 * Context: any.
 * Return: 0, or -EOPNOTSUPP for unknown flags.
 */
static int ml_get_info(struct memlayout_info *info)
{
	if (info->flags)
		return -EOPNOTSUPP;
	memlayout_fill_info(info, memlayout_max_ranges(), ml_commands());
	/* CHECK_HOST is served here, not by the offline engine. */
	info->max_devices = MEMLAYOUT_MAX_HOST_DEVICES;
	return 0;
}

/**
 * memlayout_ioctl() - dispatch an ioctl on /dev/memlayout
 * @filp: the file.
 * @cmd: the command.
 * @arg: user address of the command's struct.
 *
 * Reads the struct's leading size, bounds it (< first version: -EINVAL;
 * > page: -E2BIG), copies it with copy_struct_from_user() (non-zero
 * unknown tail: -E2BIG; SET_LAYOUT replies to both -E2BIG with
 * %MEMLAYOUT_REASON_SIZE), runs the command, and copies the reply back
 * over min(user size, kernel size) bytes. No lock is held here.
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno (see the UAPI header's DOC section).
 */
VISIBLE_IF_KUNIT long memlayout_ioctl(struct file *filp, unsigned int cmd,
				      unsigned long arg)
{
	struct memlayout_file *f = filp->private_data;
	void __user *uarg = (void __user *)arg;
	const struct ml_ioctl_op *op;
	union ml_ucmd_buffer buf;
	bool respond = false;
	u32 usize;
	int ret;

	op = ml_find_op(cmd);
	if (!op)
		return -ENOTTY;
	ret = ml_copy_arg(uarg, &buf, op->size, op->min_size, &usize);
	if (ret == -E2BIG && cmd == MEMLAYOUT_IOC_SET_LAYOUT)
		return ml_frame_reply(uarg, usize);
	if (ret)
		return ret;

	switch (cmd) {
	case MEMLAYOUT_IOC_GET_INFO:
		ret = ml_get_info(&buf.info);
		respond = !ret;
		break;
	case MEMLAYOUT_IOC_SET_LAYOUT:
		ret = ml_set_layout(f, &buf.set, uarg, usize, &respond);
		break;
	case MEMLAYOUT_IOC_GET_STATS:
		ret = ml_get_stats(f, &buf.stats);
		respond = !ret;
		break;
	case MEMLAYOUT_IOC_GET_RANGES:
		ret = ml_get_ranges(f, &buf.ranges, &respond);
		break;
	case MEMLAYOUT_IOC_GET_LAYOUT:
		ret = ml_get_map(f, &buf.map, &respond);
		break;
	case MEMLAYOUT_IOC_PROBE:
		ret = ml_probe(f, &buf.probe);
		respond = !ret;
		break;
	case MEMLAYOUT_IOC_GET_PLACEMENTS:
		ret = ml_get_placements(f, &buf.placements, &respond);
		break;
	case MEMLAYOUT_IOC_CHECK_HOST:
		ret = ml_check_host(f, &buf.host, &respond);
		break;
	case MEMLAYOUT_IOC_CHECK_KVM:
		ret = ml_check_kvm(f, &buf.kvm, &respond);
		break;
	}

	if (respond && copy_to_user(uarg, &buf, min_t(u32, usize, op->size)))
		return -EFAULT;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(memlayout_ioctl);

/**
 * ml_file_new() - a new, empty file state
 *
 * Context: process context; may sleep.
 * Return: the state (charged to the caller), or %NULL.
 */
VISIBLE_IF_KUNIT struct memlayout_file *ml_file_new(void)
{
	struct memlayout_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return NULL;
	mutex_init(&f->lock);
	atomic_inc(&ml_open_files);
	return f;
}
EXPORT_SYMBOL_IF_KUNIT(ml_file_new);

/**
 * ml_file_free() - drop a file state's layout and free the state
 * @f: the state; nobody else may use it any more.
 *
 * Context: process context.
 */
VISIBLE_IF_KUNIT void ml_file_free(struct memlayout_file *f)
{
	memlayout_put(rcu_dereference_protected(f->layout, true));
	vfree(f->view);
	mutex_destroy(&f->lock);
	kfree(f);
	atomic_dec(&ml_open_files);
}
EXPORT_SYMBOL_IF_KUNIT(ml_file_free);

/**
 * memlayout_open() - give a new file its own, empty state
 * @inode: the device inode.
 * @filp: the file; misc_open() left the miscdevice in private_data.
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
static int memlayout_open(struct inode *inode, struct file *filp)
{
	struct memlayout_file *f = ml_file_new();

	if (!f)
		return -ENOMEM;
	filp->private_data = f;
	return nonseekable_open(inode, filp);
}

/**
 * memlayout_release() - free a file's state and drop its layout
 * @inode: the device inode.
 * @filp: the file.
 *
 * Context: process context; the last reference to @filp is gone, so no
 * ioctl can run on it.
 * Return: 0.
 */
static int memlayout_release(struct inode *inode, struct file *filp)
{
	ml_file_free(filp->private_data);
	return 0;
}

/*
 * vm_flags became read-only in 6.3: vm_flags_clear() writes them since
 * (Kbuild detects it in the headers the module is built against).
 */
static void ml_vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
#ifdef MEMLAYOUT_HAVE_VM_FLAGS_CLEAR
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/**
 * ml_view_get() - the file's view, created by its first mmap()
 * @f: the file state.
 * @len: the length being mapped.
 *
 * The first mmap() fixes the view's size (@len) and writes the file's
 * current layout into it; later ones may map up to that size.
 *
 * Context: process context, under the caller's mmap_lock; takes @f->lock
 * (never held while taking mmap_lock: ml_publish() faults without it).
 * Return: 0, -EINVAL for a length over the view's size or
 * %MEMLAYOUT_VIEW_MAX_SIZE, or -ENOMEM.
 */
VISIBLE_IF_KUNIT int ml_view_get(struct memlayout_file *f, unsigned long len)
{
	struct memlayout_view *v;
	int ret = 0;

	if (len > MEMLAYOUT_VIEW_MAX_SIZE)
		return -EINVAL;
	mutex_lock(&f->lock);
	if (f->view) {
		if (len > f->view_size)
			ret = -EINVAL;
		goto unlock;
	}
	v = vmalloc_user(len);
	if (!v) {
		ret = -ENOMEM;
		goto unlock;
	}
	memlayout_view_publish(v, len,
			       rcu_dereference_protected(f->layout,
							 lockdep_is_held(&f->lock)));
	f->view_size = len;
	f->view = v;
unlock:
	mutex_unlock(&f->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ml_view_get);

/**
 * memlayout_mmap() - map the file's shared view (SPEC V1-V3)
 * @filp: the file.
 * @vma: the new mapping.
 *
 * Only a shared, read-only, non-executable mapping at offset 0 is
 * accepted, and it can never become writable or executable (its
 * VM_MAYWRITE and VM_MAYEXEC are cleared, so mprotect() gets -EACCES);
 * remap_vmalloc_range() makes it VM_DONTEXPAND (mremap() cannot grow it)
 * and VM_DONTDUMP. The pages stay until the last mapping and the file
 * are gone (a mapping holds the file).
 *
 * Context: process context, mmap_lock held for writing.
 * Return: 0, -EINVAL (an offset, a private mapping, a bad length), -EPERM
 * (writable or executable) or -ENOMEM.
 */
static int memlayout_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct memlayout_file *f = filp->private_data;
	int ret;

	if (vma->vm_pgoff || !(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & (VM_WRITE | VM_EXEC))
		return -EPERM;
	ret = ml_view_get(f, vma->vm_end - vma->vm_start);
	if (ret)
		return ret;
	ml_vm_flags_clear(vma, VM_MAYWRITE | VM_MAYEXEC);
	return remap_vmalloc_range(vma, f->view, 0);
}

/**
 * memlayout_show_fdinfo() - a summary of the file's layout in fdinfo
 * @m: the seq_file.
 * @filp: the file.
 *
 * A bounded summary, whatever the layout's size: the generation, the
 * fingerprint, the number of ranges per list, VTL2 and the figures (SPEC Q2-Q8). The
 * ranges themselves belong to MEMLAYOUT_IOC_GET_RANGES.
 *
 * Context: process context. Holds a layout reference, no lock.
 */
static void memlayout_show_fdinfo(struct seq_file *m, struct file *filp)
{
	struct memlayout *l = ml_get_layout(filp->private_data);
	u64 v;

	if (!l) {
		seq_puts(m, "layout:\tnone\n");
		return;
	}
	seq_printf(m, "generation:\t%llu\n", l->generation);
	seq_printf(m, "fingerprint:\t%*phN\n", MEMLAYOUT_FINGERPRINT_SIZE,
		   l->fingerprint);
	seq_printf(m, "ranges:\tram %u mmio %u pci_ecam %u pci_mmio %u\n",
		   memlayout_count(l, MEMLAYOUT_LIST_RAM),
		   memlayout_count(l, MEMLAYOUT_LIST_MMIO),
		   memlayout_count(l, MEMLAYOUT_LIST_PCI_ECAM),
		   memlayout_count(l, MEMLAYOUT_LIST_PCI_MMIO));
	if (l->placement)
		seq_printf(m, "placed:\t%u\n", l->placement->nr);
	if (l->flags & MEMLAYOUT_HAS_VTL2)
		seq_printf(m, "vtl2:\t%#llx-%#llx\tlength %#llx\n", l->vtl2_start,
			   l->vtl2_end, l->vtl2_end - l->vtl2_start);
	seq_printf(m, "ram_size:\t%#llx\n", memlayout_ram_size(l));
	seq_printf(m, "end_of_ram:\t%#llx\n", memlayout_end_of_ram(l));
	seq_printf(m, "ram_below_4gb:\t%#llx\n", memlayout_ram_below_4gb(l));
	seq_printf(m, "ram_above_4gb:\t%#llx\n", memlayout_ram_above_4gb(l));
	if (memlayout_max_ram_below_4gb(l, &v))
		seq_printf(m, "max_ram_below_4gb:\t%#llx\n", v);
	if (memlayout_ram_above_high_mmio(l, &v))
		seq_printf(m, "ram_above_high_mmio:\t%#llx\n", v);
	seq_printf(m, "end_of_layout:\t%#llx\n", memlayout_end_of_layout(l));
	memlayout_put(l);
}

static const struct file_operations memlayout_fops = {
	.owner = THIS_MODULE,
	.open = memlayout_open,
	.release = memlayout_release,
	.unlocked_ioctl = memlayout_ioctl,
	/* Every argument has the same layout for 32- and 64-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
	.show_fdinfo = memlayout_show_fdinfo,
	.mmap = memlayout_mmap,
};

static struct miscdevice memlayout_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "memlayout",
	.fops = &memlayout_fops,
	/* Root only by default; udev/60-memlayout.rules opens it to "kvm". */
	.mode = 0600,
};

/**
 * live_layouts_get() - debugfs: layouts built and not yet freed
 * @data: unused.
 * @val: receives memlayout_live().
 *
 * Context: process context.
 * Return: 0.
 */
static int live_layouts_get(void *data, u64 *val)
{
	*val = memlayout_live();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(live_layouts_fops, live_layouts_get, NULL, "%lld\n");

/**
 * open_files_get() - debugfs: open /dev/memlayout files
 * @data: unused.
 * @val: receives the count.
 *
 * Context: process context.
 * Return: 0.
 */
static int open_files_get(void *data, u64 *val)
{
	*val = atomic_read(&ml_open_files);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(open_files_fops, open_files_get, NULL, "%lld\n");

/**
 * memlayout_init() - register /dev/memlayout and the debugfs counters
 *
 * Context: module load.
 * Return: 0 or the error of misc_register().
 */
static int __init memlayout_init(void)
{
	int ret;

	ml_debugfs = debugfs_create_dir("memlayout", NULL);
	debugfs_create_file_unsafe("live_layouts", 0400, ml_debugfs, NULL,
				   &live_layouts_fops);
	debugfs_create_file_unsafe("open_files", 0400, ml_debugfs, NULL,
				   &open_files_fops);
	ret = misc_register(&memlayout_misc);
	if (ret)
		debugfs_remove_recursive(ml_debugfs);
	return ret;
}
module_init(memlayout_init);

/**
 * memlayout_exit() - unregister the device and the debugfs counters
 *
 * No file can be open (each holds a module reference). Layouts they
 * dropped may still wait for their grace period, but in kvfree_rcu(),
 * which calls no code of this module: no rcu_barrier() is needed.
 *
 * Context: module unload.
 */
static void __exit memlayout_exit(void)
{
	misc_deregister(&memlayout_misc);
	debugfs_remove_recursive(ml_debugfs);
}
module_exit(memlayout_exit);

MODULE_DESCRIPTION("Guest-physical memory layouts for virtual machines");
MODULE_LICENSE("GPL");
