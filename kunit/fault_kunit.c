// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout_fault: fail each allocation of MEMLAYOUT_IOC_SET_LAYOUT (C1-C4),
 * MEMLAYOUT_IOC_GET_RANGES, MEMLAYOUT_IOC_GET_LAYOUT and
 * MEMLAYOUT_IOC_PROBE (with and without covering ranges) in turn, through
 * the real entry point memlayout_ioctl() with its argument in user memory;
 * MEMLAYOUT_IOC_CHECK_KVM's answer through ml_kvm_answer() (no VM here).
 *
 * current->fail_nth = n makes the n-th allocation that consults a fault
 * attribute fail (lib/fault-inject.c: should_fail_ex() counts it down), so
 * n = 1, 2, ... walks every allocation of one call until a call completes
 * without reaching the n-th. Each command is walked twice:
 *
 * - only the n-th allocation fails: the call must recover (kvmalloc()
 *   falls back to vmalloc(), kmemleak to its object pool) or return
 *   -ENOMEM;
 * - the n-th and every later allocation of the task fail (probability 100
 *   with the task filter, for current only): fallbacks fail too, so the
 *   error paths inside them are taken.
 *
 * Every -ENOMEM must leave the file's previous layout and generation in
 * place, its shared view (SPEC V1-V2, made before each walk) byte for
 * byte, and no layout alive (SPEC: a rejected request changes nothing;
 * issue 7). The view's own allocation, on the file's first mmap()
 * (ml_view_get()), is walked the same way: each failure is -ENOMEM and
 * makes no view, and the call that follows makes it whole. In the x86_64
 * layer, the kmemleak scan after the run (scripts/kunit.sh) then looks
 * for any other object they left behind.
 *
 * The walk is exact where allocations are deterministic (UML: one point
 * per array copied and one for the layout). Under kmemleak, KASAN and
 * fail_page_alloc, kmemleak's own object allocation and slab page refills
 * are points too; the call absorbs their failure.
 *
 * failslab skips allocations that may sleep (GFP_KERNEL) unless its
 * ignore-gfp-wait knob is N. Allocations above KMALLOC_MAX_CACHE_SIZE
 * bypass the slab allocator, and so do vmalloc()'s pages: only
 * fail_page_alloc reaches them, and by default it skips sleeping, highmem
 * and order-0 requests (vmalloc() asks for order-0 __GFP_HIGHMEM pages).
 * The suite sets those knobs through debugfs and puts them back.
 */
#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <linux/memlayout.h>

#include "../memlayout_hostfit.h"
#include "../memlayout_ioctl.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* User memory for one command, its arrays and the knob values. */
#define FAULT_UBUF_SIZE		SZ_256K
/* No command has nearly this many allocations: a bound, not a guess. */
#define FAULT_MAX_NTH		4096
/* Bytes of a knob's value kept to put it back. */
#define FAULT_KNOB_LEN		24
/*
 * The file's view: four pages, which hold the preset layout (301 ranges,
 * 128 + 32 * 301 = 9760 bytes) but not the 1000-range one (SPEC V3: too
 * large).
 */
#define FAULT_VIEW_SIZE		SZ_16K
/* Devices CHECK_HOST names: the first PCI device, twice, if there is one. */
#define FAULT_HOST_DEVICES	2

/**
 * struct fault_knob - one debugfs fault-injection setting the suite changes
 * @path: under the debugfs root.
 * @value: what the suite writes.
 */
struct fault_knob {
	const char *path;
	const char *value;
};

/*
 * The task filter keeps probability 100 to tasks with make_it_fail set,
 * which fault_call() sets on itself for one call only.
 */
static const struct fault_knob fault_knobs[] = {
	{ "failslab/ignore-gfp-wait", "N" },
	{ "failslab/task-filter", "Y" },
	{ "failslab/times", "-1" },
	{ "failslab/verbose", "0" },
	{ "failslab/probability", "100" },
	{ "fail_page_alloc/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/ignore-gfp-highmem", "N" },
	{ "fail_page_alloc/min-order", "0" },
	{ "fail_page_alloc/task-filter", "Y" },
	{ "fail_page_alloc/times", "-1" },
	{ "fail_page_alloc/verbose", "0" },
	{ "fail_page_alloc/probability", "100" },
};

/**
 * struct fault_env - the file, the user memory and the saved knobs of a case
 * @test: the running test.
 * @filp: a fake open file; memlayout_ioctl() reads only its private_data.
 * @f: the file state.
 * @ubuf: %FAULT_UBUF_SIZE bytes of user memory.
 * @off: first free byte of @ubuf.
 * @uarg: user address of the command's struct.
 * @mnt: a private mount of debugfs.
 * @saved: each knob's value before the suite changed it.
 * @nr_saved: how many knobs were changed (and must be put back).
 * @all: every allocation after the n-th fails too.
 * @view: %FAULT_VIEW_SIZE bytes: a copy of the file's view, or the view
 *        it must get.
 */
struct fault_env {
	struct kunit *test;
	struct file filp;
	struct memlayout_file *f;
	unsigned long ubuf;
	size_t off;
	unsigned long uarg;
	struct vfsmount *mnt;
	char saved[ARRAY_SIZE(fault_knobs)][FAULT_KNOB_LEN];
	unsigned int nr_saved;
	bool all;
	u8 *view;
};

/**
 * struct fault_case - one command whose allocations are failed in turn
 * @desc: row name.
 * @cmd: MEMLAYOUT_IOC_SET_LAYOUT, _GET_RANGES or _PROBE.
 * @preset: the file holds a layout before the command (SET_LAYOUT rows
 *          without it check that a failed first layout leaves none).
 * @source: SET_LAYOUT: a MEMLAYOUT_SOURCE_* value.
 * @nr: SET_LAYOUT: RAM ranges (C3), nodes (C2) or mmio64 requests added
 *      to the q35 placement (C4); PROBE: addresses.
 * @holes: SET_LAYOUT: give all three hole lists (else MMIO only).
 * @vtl2: SET_LAYOUT: give a VTL2 range.
 * @ranges: PROBE: ask for the covering ranges too.
 * @min_enomem: allocations the command makes: at least this many values
 *              of n must be reached, and must give -ENOMEM when every
 *              later allocation fails too.
 */
struct fault_case {
	const char *desc;
	unsigned int cmd;
	bool preset;
	u32 source;
	u32 nr;
	bool holes;
	bool vtl2;
	bool ranges;
	u32 min_enomem;
};

/*
 * SET_LAYOUT copies each list it is given (nodes, RAM, three hole lists)
 * and allocates the layout: one allocation each. GET_RANGES copies one
 * range at a time from the layout it holds a reference to; PROBE uses a
 * stack buffer for up to 16 addresses and one page above that, or with
 * covering ranges; GET_LAYOUT one page for its entries. The queries share
 * one walk, fault_query_walk().
 */
static const struct fault_case fault_cases[] = {
	{ .desc = "SET_LAYOUT C1, MMIO, on an empty file",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .source = MEMLAYOUT_SOURCE_SIZE,
	  .min_enomem = 2 },
	{ .desc = "SET_LAYOUT C1, three hole lists, VTL2",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_SIZE, .holes = true, .vtl2 = true,
	  .min_enomem = 4 },
	{ .desc = "SET_LAYOUT C2, 8 nodes, three hole lists",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_NODES, .nr = 8, .holes = true,
	  .min_enomem = 5 },
	{ .desc = "SET_LAYOUT C3, 16 RAM ranges, three hole lists, VTL2",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_RANGES, .nr = 16, .holes = true,
	  .vtl2 = true, .min_enomem = 5 },
	/* 4800 bytes of RAM ranges: kmalloc-8k first, vmalloc() after. */
	{ .desc = "SET_LAYOUT C3, 200 RAM ranges (kvmalloc above a page)",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_RANGES, .nr = 200, .min_enomem = 3 },
	/* 24000 bytes: past the slab caches, the page allocator's alone. */
	{ .desc = "SET_LAYOUT C3, 1000 RAM ranges (page allocator)",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_RANGES, .nr = 1000, .min_enomem = 3 },
	/*
	 * issue 9 (C4): the copy of the request array, memlayout_place()'s
	 * five arrays, memlayout_build_placed()'s list array, the layout.
	 */
	{ .desc = "SET_LAYOUT C4, the q35 placement, on an empty file",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .source = MEMLAYOUT_SOURCE_PLACE,
	  .min_enomem = 8 },
	{ .desc = "SET_LAYOUT C4, the q35 placement",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_PLACE, .min_enomem = 8 },
	/* 8280 bytes of requests: kvmalloc() falls back to vmalloc(). */
	{ .desc = "SET_LAYOUT C4, 207 requests (kvmalloc above a page)",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .preset = true,
	  .source = MEMLAYOUT_SOURCE_PLACE, .nr = 200, .min_enomem = 8 },
	{ .desc = "GET_RANGES of 300 RAM ranges",
	  .cmd = MEMLAYOUT_IOC_GET_RANGES, .preset = true },
	{ .desc = "PROBE 16 addresses (stack buffer)",
	  .cmd = MEMLAYOUT_IOC_PROBE, .preset = true, .nr = 16 },
	{ .desc = "PROBE 2000 addresses (page buffer)",
	  .cmd = MEMLAYOUT_IOC_PROBE, .preset = true, .nr = 2000,
	  .min_enomem = 1 },
	/* issue 8: the page buffer, whatever the count, with ranges. */
	{ .desc = "PROBE 16 addresses with ranges (page buffer)",
	  .cmd = MEMLAYOUT_IOC_PROBE, .preset = true, .nr = 16,
	  .ranges = true, .min_enomem = 1 },
	{ .desc = "PROBE 2000 addresses with ranges (18 chunks)",
	  .cmd = MEMLAYOUT_IOC_PROBE, .preset = true, .nr = 2000,
	  .ranges = true, .min_enomem = 1 },
	/* issue 8: one page-sized buffer for the entries, in chunks. */
	{ .desc = "GET_LAYOUT of 301 ranges, with stats",
	  .cmd = MEMLAYOUT_IOC_GET_LAYOUT, .preset = true, .min_enomem = 1 },
	/*
	 * issue 11: the device array's copy and the facts (with a PCI
	 * device), the conflicts buffer; a group's reserved regions too
	 * where the device has an IOMMU.
	 */
	{ .desc = "CHECK_HOST, H1 conflicts, the first PCI device twice if any",
	  .cmd = MEMLAYOUT_IOC_CHECK_HOST, .nr = 64, .min_enomem = 1 },
};

static void fault_case_desc(const struct fault_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault, fault_cases, fault_case_desc);

/* Layout of the preset file: C3, 300 RAM ranges of 1 MiB every 2 MiB. */
#define FAULT_PRESET_RANGES	300
#define FAULT_RAM_BASE		(4ULL * SZ_1G)
#define FAULT_RAM_STRIDE	(2ULL * SZ_1M)
#define FAULT_RAM_LEN		((u64)SZ_1M)
#define FAULT_NODE_SIZE		(256ULL * SZ_1M)
#define FAULT_C1_SIZE		(3ULL * SZ_1G)
#define FAULT_VTL2_START	BIT_ULL(40)

static const struct memlayout_range fault_mmio = {
	.start = SZ_1G, .end = 2ULL * SZ_1G,
};

static const struct memlayout_range fault_ecam = {
	.start = 2ULL * SZ_1G, .end = 2ULL * SZ_1G + SZ_256M,
};

static const struct memlayout_range fault_pci_mmio = {
	.start = 2ULL * SZ_1G + SZ_512M, .end = 3ULL * SZ_1G,
};

static const struct memlayout_range fault_vtl2 = {
	.start = FAULT_VTL2_START, .end = FAULT_VTL2_START + SZ_1G,
};

/*
 * The q35 guest of the memlayout_place suite (SPEC C4): 6 GiB of RAM on
 * two nodes around a fixed range, ECAM and a VMBus window below 4 GiB, a
 * 64 GiB PCI window and VTL2 above.
 */
static const struct memlayout_place_req fault_q35[] = {
	{ .place_class = MEMLAYOUT_CLASS_FIXED, .kind = MEMLAYOUT_KIND_MMIO,
	  .start = 0xFE000000, .end = 4ULL * SZ_1G },
	{ .place_class = MEMLAYOUT_CLASS_MMIO32, .kind = MEMLAYOUT_KIND_MMIO,
	  .size = SZ_128M, .align = SZ_1M },
	{ .place_class = MEMLAYOUT_CLASS_MMIO32, .kind = MEMLAYOUT_KIND_PCI_ECAM,
	  .size = SZ_256M, .align = SZ_256M },
	{ .place_class = MEMLAYOUT_CLASS_RAM, .size = 4ULL * SZ_1G, .align = SZ_2M },
	{ .place_class = MEMLAYOUT_CLASS_RAM, .size = 2ULL * SZ_1G, .align = SZ_1G },
	{ .place_class = MEMLAYOUT_CLASS_MMIO64, .kind = MEMLAYOUT_KIND_PCI_MMIO,
	  .size = 64ULL * SZ_1G, .align = SZ_1G },
	{ .place_class = MEMLAYOUT_CLASS_POST_MMIO, .kind = MEMLAYOUT_PLACE_VTL2,
	  .size = SZ_64M, .align = SZ_2M },
};

#define FAULT_Q35_RAM	(6ULL * SZ_1G)

/* Puts @len bytes at the next free 8-byte aligned offset of the buffer. */
static unsigned long fault_put(struct fault_env *env, const void *src,
			       size_t len)
{
	unsigned long uaddr;

	env->off = ALIGN(env->off, 8);
	/* The last page is fault_knob_rw()'s. */
	KUNIT_ASSERT_LE(env->test, env->off + len, FAULT_UBUF_SIZE - PAGE_SIZE);
	uaddr = env->ubuf + env->off;
	KUNIT_ASSERT_EQ(env->test,
			copy_to_user((void __user *)uaddr, src, len), 0);
	env->off += len;
	return uaddr;
}

/* Reads user memory back; never aborts (the knobs may still be set). */
static void fault_get(struct fault_env *env, unsigned long uaddr, void *dst,
		      size_t len)
{
	if (copy_from_user(dst, (void __user *)uaddr, len)) {
		KUNIT_FAIL(env->test, "cannot read back %#lx", uaddr);
		memset(dst, 0, len);
	}
}

/**
 * fault_knob_rw() - read a knob's value, then write a new one
 * @env: the case.
 * @path: the knob's path under the debugfs root.
 * @old: receives the value read (NUL-terminated), or %NULL.
 * @value: the value to write.
 *
 * debugfs' bool and u32 files have no write_iter, which kernel_write()
 * needs, so this goes through vfs_read()/vfs_write() with the case's user
 * memory.
 *
 * Return: 0 or a negative errno.
 */
static int fault_knob_rw(struct fault_env *env, const char *path, char *old,
			 const char *value)
{
	unsigned long ubuf = env->ubuf + FAULT_UBUF_SIZE - PAGE_SIZE;
	struct file *knob = file_open_root_mnt(env->mnt, path, O_RDWR, 0);
	size_t len = strlen(value);
	loff_t pos = 0;
	ssize_t n;
	int ret = 0;

	if (IS_ERR(knob))
		return PTR_ERR(knob);
	if (old) {
		n = vfs_read(knob, (char __user *)ubuf, FAULT_KNOB_LEN - 1, &pos);
		if (n < 0 || copy_from_user(old, (void __user *)ubuf, max_t(ssize_t, n, 0))) {
			ret = n < 0 ? n : -EFAULT;
			goto out;
		}
		old[n] = '\0';
		pos = 0;
	}
	if (copy_to_user((void __user *)ubuf, value, len)) {
		ret = -EFAULT;
		goto out;
	}
	n = vfs_write(knob, (const char __user *)ubuf, len, &pos);
	if (n != len)
		ret = n < 0 ? n : -EIO;
out:
	fput(knob);
	return ret;
}

/* Puts back every knob fault_knobs_set() changed, last first. */
static void fault_knobs_restore(struct fault_env *env)
{
	while (env->nr_saved) {
		env->nr_saved--;
		KUNIT_EXPECT_EQ_MSG(env->test,
				    fault_knob_rw(env, fault_knobs[env->nr_saved].path,
						  NULL, env->saved[env->nr_saved]),
				    0, "restoring %s",
				    fault_knobs[env->nr_saved].path);
	}
}

/*
 * Sets every knob of fault_knobs[]. The test body must call
 * fault_knobs_restore() on every path after this: a KUnit cleanup action
 * runs in another kthread, without the test's mm.
 */
static void fault_knobs_set(struct fault_env *env)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fault_knobs); i++) {
		ret = fault_knob_rw(env, fault_knobs[i].path, env->saved[i],
				    fault_knobs[i].value);
		if (ret) {
			fault_knobs_restore(env);
			KUNIT_FAIL_AND_ABORT(env->test, "cannot set %s: %d",
					     fault_knobs[i].path, ret);
		}
		env->nr_saved = i + 1;
	}
}

static void fault_env_free(void *data)
{
	struct fault_env *env = data;

	if (env->f)
		ml_file_free(env->f);
	if (env->mnt && !IS_ERR(env->mnt))
		kern_unmount(env->mnt);
}

static struct fault_env *fault_env_new(struct kunit *test)
{
	struct file_system_type *fs;
	struct fault_env *env;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	env->test = test;
	env->ubuf = kunit_vm_mmap(test, NULL, 0, FAULT_UBUF_SIZE,
				  PROT_READ | PROT_WRITE,
				  MAP_ANONYMOUS | MAP_PRIVATE | MAP_POPULATE, 0);
	if (IS_ERR_VALUE(env->ubuf) || !env->ubuf)
		kunit_skip(test, "no user memory for this test (kunit_vm_mmap)");
	env->f = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, env->f);
	env->filp.private_data = env->f;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fault_env_free, env), 0);
	env->view = kunit_kzalloc(test, FAULT_VIEW_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->view);

	fs = get_fs_type("debugfs");
	KUNIT_ASSERT_NOT_NULL(test, fs);
	env->mnt = kern_mount(fs);
	put_filesystem(fs);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->mnt));
	return env;
}

/* The i-th RAM range of a C3 request: 1 MiB every 2 MiB from 4 GiB. */
static struct memlayout_range fault_ram_range(u32 i)
{
	struct memlayout_range r = {
		.start = FAULT_RAM_BASE + i * FAULT_RAM_STRIDE,
		.end = FAULT_RAM_BASE + i * FAULT_RAM_STRIDE + FAULT_RAM_LEN,
		.vnode = i % 4,
	};

	return r;
}

/**
 * fault_put_ram() - write @nr RAM ranges to user memory
 * @env: the case.
 * @nr: how many.
 *
 * Return: their user address.
 */
static unsigned long fault_put_ram(struct fault_env *env, u32 nr)
{
	struct memlayout_range r;
	unsigned long first = 0, u;
	u32 i;

	for (i = 0; i < nr; i++) {
		r = fault_ram_range(i);
		u = fault_put(env, &r, sizeof(r));
		if (!i)
			first = u;
	}
	return first;
}

/**
 * fault_put_set() - write a SET_LAYOUT command and its arrays
 * @env: the case.
 * @t: the row (source, number of ranges or nodes, holes, VTL2).
 * @s: receives the command as written.
 *
 * Return: the RAM bytes the layout will hold.
 */
static u64 fault_put_set(struct fault_env *env, const struct fault_case *t,
			 struct memlayout_set *s)
{
	u64 ram;
	u32 i;

	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->source = t->source;
	if (t->source == MEMLAYOUT_SOURCE_PLACE) {
		/* The q35 requests, then @t->nr mmio64 MMIO holes of 1 MiB. */
		struct memlayout_place_req m64 = {
			.place_class = MEMLAYOUT_CLASS_MMIO64,
			.kind = MEMLAYOUT_KIND_MMIO,
			.size = SZ_1M, .align = SZ_1M,
		};

		s->nr_place = ARRAY_SIZE(fault_q35) + t->nr;
		s->place_ptr = fault_put(env, fault_q35, sizeof(fault_q35));
		for (i = 0; i < t->nr; i++)
			fault_put(env, &m64, sizeof(m64));
		return FAULT_Q35_RAM;
	}
	switch (t->source) {
	case MEMLAYOUT_SOURCE_SIZE:
		s->ram_size = FAULT_C1_SIZE;
		ram = FAULT_C1_SIZE;
		break;
	case MEMLAYOUT_SOURCE_NODES:
		s->nr_nodes = t->nr;
		for (i = 0; i < t->nr; i++) {
			u64 size = FAULT_NODE_SIZE;
			unsigned long u = fault_put(env, &size, sizeof(size));

			if (!i)
				s->nodes_ptr = u;
		}
		ram = t->nr * FAULT_NODE_SIZE;
		break;
	default:
		s->nr_ram = t->nr;
		s->ram_ptr = fault_put_ram(env, t->nr);
		ram = t->nr * FAULT_RAM_LEN;
		break;
	}
	s->nr_mmio = 1;
	s->mmio_ptr = fault_put(env, &fault_mmio, sizeof(fault_mmio));
	if (t->holes) {
		s->nr_pci_ecam = 1;
		s->pci_ecam_ptr = fault_put(env, &fault_ecam, sizeof(fault_ecam));
		s->nr_pci_mmio = 1;
		s->pci_mmio_ptr = fault_put(env, &fault_pci_mmio,
					    sizeof(fault_pci_mmio));
	}
	if (t->vtl2) {
		s->flags |= MEMLAYOUT_SET_VTL2;
		s->vtl2 = fault_vtl2;
	}
	return ram;
}

/* Gives the file its preset layout through the ioctl, with no fault. */
static void fault_preset(struct fault_env *env)
{
	static const struct fault_case preset = {
		.source = MEMLAYOUT_SOURCE_RANGES, .nr = FAULT_PRESET_RANGES,
	};
	struct memlayout_set s;
	unsigned long us;

	fault_put_set(env, &preset, &s);
	us = fault_put(env, &s, sizeof(s));
	KUNIT_ASSERT_EQ(env->test,
			memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_SET_LAYOUT, us), 0);
	KUNIT_ASSERT_EQ(env->test, env->f->generation, 1);
}

/**
 * struct fault_state - what a failed command must leave as it was
 * @layout: the file's published layout.
 * @generation: the file's generation.
 * @live: memlayout_live() once every dropped layout is freed.
 * @view_seq: the view's counter, if the file has a view.
 * @view_generation: the view's generation, if the file has a view.
 *
 * The view's bytes are copied to @env->view.
 */
struct fault_state {
	const struct memlayout *layout;
	u64 generation;
	long live;
	u32 view_seq;
	u64 view_generation;
};

static void fault_snapshot(struct fault_env *env, struct fault_state *st)
{
	const struct memlayout_view *v = env->f->view;

	rcu_barrier();	/* a replaced layout is freed after a grace period */
	st->layout = rcu_access_pointer(env->f->layout);
	st->generation = env->f->generation;
	st->live = memlayout_live();
	if (v) {
		st->view_seq = v->seq;
		st->view_generation = v->generation;
		memcpy(env->view, v, FAULT_VIEW_SIZE);
	}
}

/* SPEC "a rejected request changes nothing": the file, and no leak. */
static void fault_expect_unchanged(struct fault_env *env,
				   const struct fault_state *st, u32 n)
{
	struct kunit *test = env->test;

	rcu_barrier();
	KUNIT_EXPECT_PTR_EQ_MSG(test, rcu_access_pointer(env->f->layout),
				st->layout, "layout replaced, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(test, env->f->generation, st->generation,
			    "generation, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(test, memlayout_live(), st->live,
			    "layouts alive, fail_nth %u", n);
	if (!env->f->view)
		return;
	/* SPEC V2: no publication, so the view is as it was, byte for byte. */
	KUNIT_EXPECT_EQ_MSG(test, env->f->view->seq, st->view_seq,
			    "view counter, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(test, env->f->view->generation, st->view_generation,
			    "view generation, fail_nth %u", n);
	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(env->f->view, env->view,
					    FAULT_VIEW_SIZE),
			      "view rewritten, fail_nth %u", n);
}

/* Makes the @n-th allocation of the task fail (and, with @env->all, the rest). */
static void fault_arm(struct fault_env *env, u32 n)
{
	WRITE_ONCE(current->fail_nth, n);
	current->make_it_fail = env->all;
}

/* Ends fault_arm(); returns whether the @n-th allocation was reached. */
static bool fault_disarm(u32 n)
{
	bool injected;

	current->make_it_fail = 0;
	/* should_fail_ex() counts down and fails the allocation at 0. */
	injected = n && !READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
	return injected;
}

/**
 * fault_call() - one command with its @n-th allocation failed
 * @env: the case.
 * @cmd: the command.
 * @n: current->fail_nth for the call (0: no fault).
 * @injected: set when the @n-th allocation was reached and failed.
 *
 * With @env->all, every allocation after the @n-th fails too: once
 * fail_nth is spent, should_fail_ex() goes on to the probability, 100 for
 * a task with make_it_fail.
 *
 * Return: what memlayout_ioctl() returned.
 */
static long fault_call(struct fault_env *env, unsigned int cmd, u32 n,
		       bool *injected)
{
	long ret;

	fault_arm(env, n);
	ret = memlayout_ioctl(&env->filp, cmd, env->uarg);
	*injected = fault_disarm(n);
	return ret;
}

/**
 * struct fault_count - what the walk over one command's allocations saw
 * @points: allocations reached (values of n that injected a failure).
 * @enomem: failures that made the command return -ENOMEM.
 * @absorbed: failures the command recovered from (it succeeded).
 */
struct fault_count {
	u32 points;
	u32 enomem;
	u32 absorbed;
};

/*
 * Checks the reply of a SET_LAYOUT that failed with -ENOMEM: the input
 * members are as written and the reason is all zero (the errno is not
 * about the request's content), with no generation.
 */
static void fault_expect_set_reply(struct fault_env *env,
				   const struct memlayout_set *in, u32 n)
{
	static const struct memlayout_place_reason no_place;
	size_t pl_in = offsetof(struct memlayout_set, place_ptr);
	struct memlayout_set out;

	fault_get(env, env->uarg, &out, sizeof(out));
	KUNIT_EXPECT_EQ_MSG(env->test,
			    memcmp(&out, in, offsetof(struct memlayout_set, reason)),
			    0, "input members changed, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(env->test,
			    memcmp((u8 *)&out + pl_in, (u8 *)in + pl_in,
				   offsetof(struct memlayout_set, place_reason) - pl_in),
			    0, "placement inputs changed, fail_nth %u", n);
	/* issue 9: -ENOMEM is about no request: no placement reason either. */
	KUNIT_EXPECT_EQ_MSG(env->test,
			    memcmp(&out.place_reason, &no_place, sizeof(no_place)),
			    0, "place_reason, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(env->test, out.reason.rule, 0, "rule, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(env->test, out.reason.list, 0, "list, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(env->test, out.reason.index, 0, "index, fail_nth %u", n);
	KUNIT_EXPECT_EQ_MSG(env->test, out.generation, 0,
			    "generation, fail_nth %u", n);
}

/*
 * SPEC V2: a SET_LAYOUT that succeeded rewrote the view once: the counter
 * moved on by two (even again), the generation is the new layout's.
 */
static void fault_expect_view_set(struct fault_env *env,
				  const struct fault_state *st)
{
	const struct memlayout_view *v = env->f->view;

	KUNIT_EXPECT_EQ(env->test, v->seq, st->view_seq + 2);
	KUNIT_EXPECT_EQ(env->test, v->generation, st->generation + 1);
	KUNIT_EXPECT_EQ(env->test, v->flags & MEMLAYOUT_VIEW_LAYOUT,
			MEMLAYOUT_VIEW_LAYOUT);
}

/* SET_LAYOUT: every allocation fails in turn, then the layout is built. */
static void fault_set_layout(struct fault_env *env, const struct fault_case *t,
			     struct fault_count *c)
{
	struct kunit *test = env->test;
	struct memlayout_set s, out;
	struct fault_state st;
	struct memlayout *l;
	bool injected;
	u64 ram;
	long ret;
	u32 n;

	ram = fault_put_set(env, t, &s);
	/* A reply that is not overwritten keeps this mark. */
	memset(&s.reason, 0xa5, sizeof(s.reason));
	memset(&s.place_reason, 0xa5, sizeof(s.place_reason));
	env->uarg = fault_put(env, &s, sizeof(s));
	fault_snapshot(env, &st);

	fault_knobs_set(env);
	for (n = 1; n <= FAULT_MAX_NTH; n++) {
		ret = fault_call(env, t->cmd, n, &injected);
		if (!injected)
			break;
		c->points++;
		if (!ret) {
			/* Absorbed: the new layout is in; the next n starts from it. */
			c->absorbed++;
			KUNIT_EXPECT_EQ(test, env->f->generation, st.generation + 1);
			fault_expect_view_set(env, &st);
			fault_snapshot(env, &st);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "fail_nth %u", n);
			c->enomem += ret == -ENOMEM;
			fault_expect_unchanged(env, &st, n);
			fault_expect_set_reply(env, &s, n);
		}
		/* Put the mark back for the next call. */
		KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)env->uarg, &s,
						   sizeof(s)), 0);
	}
	fault_knobs_restore(env);
	KUNIT_ASSERT_LE_MSG(test, n, FAULT_MAX_NTH, "no call completed");

	/* n is past the last allocation: the call is a plain success. */
	KUNIT_EXPECT_EQ(test, ret, 0);
	fault_get(env, env->uarg, &out, sizeof(out));
	KUNIT_EXPECT_EQ(test, out.reason.rule, 0);
	KUNIT_EXPECT_EQ(test, out.generation, st.generation + 1);
	KUNIT_EXPECT_EQ(test, env->f->generation, st.generation + 1);
	fault_expect_view_set(env, &st);
	l = ml_get_layout(env->f);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_EXPECT_EQ(test, memlayout_ram_size(l), ram);
	KUNIT_EXPECT_EQ(test, l->generation, st.generation + 1);
	/* issue 9: a C4 layout keeps its placement (q35: 9 ranges, + nr). */
	KUNIT_EXPECT_EQ(test, memlayout_nr_placed(l),
			t->source == MEMLAYOUT_SOURCE_PLACE ? 9 + t->nr : 0);
	memlayout_put(l);
}

/**
 * struct fault_query - a query command and the user memory it answers in
 * @arg: the command's struct as written at @env->uarg.
 * @arg_len: its size.
 * @out: user address of every output array, contiguous.
 * @marks: what @out holds before each call (kernel copy).
 * @len: bytes at @out.
 * @uaddrs: PROBE: user address of the addresses.
 * @ukinds: PROBE: of the kinds (in @out).
 * @uranges: GET_RANGES, PROBE: of the ranges (in @out), or 0.
 * @uentries: GET_LAYOUT: of the entries (in @out).
 * @ustats: GET_LAYOUT: of the stats struct (in @out).
 * @nr: PROBE: addresses; GET_LAYOUT: capacity of @uentries.
 * @udevs: CHECK_HOST: of the device records (not in @out).
 * @devs: CHECK_HOST: the device records as written.
 * @ref_devs: CHECK_HOST: the device records as the reference call
 *            wrote them back.
 * @ref: CHECK_HOST: the conflicts of a call made without a fault.
 * @nr_ref: CHECK_HOST: their number.
 */
struct fault_query {
	const void *arg;
	size_t arg_len;
	unsigned long out;
	const u8 *marks;
	size_t len;
	unsigned long uaddrs;
	unsigned long ukinds;
	unsigned long uranges;
	unsigned long uentries;
	unsigned long ustats;
	u32 nr;
	unsigned long udevs;
	const struct memlayout_host_device *devs;
	const struct memlayout_host_device *ref_devs;
	const struct memlayout_host_conflict *ref;
	u32 nr_ref;
};

/* Checks a GET_RANGES that succeeded: the preset layout's RAM list. */
static void fault_expect_ranges(struct fault_env *env,
				const struct fault_query *q, u64 generation)
{
	struct kunit *test = env->test;
	struct memlayout_get_ranges g;
	struct memlayout_range r, want;
	u32 i;

	fault_get(env, env->uarg, &g, sizeof(g));
	KUNIT_EXPECT_EQ(test, g.count, FAULT_PRESET_RANGES);
	KUNIT_EXPECT_EQ(test, g.generation, generation);
	for (i = 0; i < FAULT_PRESET_RANGES; i++) {
		want = fault_ram_range(i);
		fault_get(env, q->uranges + i * sizeof(r), &r, sizeof(r));
		KUNIT_EXPECT_EQ_MSG(test, r.start, want.start, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r.end, want.end, "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r.vnode, want.vnode, "range %u", i);
	}
}

/*
 * Checks a PROBE that succeeded: each kind is what the layout answers;
 * with ranges, each is the one memlayout_get_range() gives for its kind
 * and index, and holds its address (or is "none").
 */
static void fault_expect_kinds(struct fault_env *env,
			       const struct fault_query *q, u64 generation)
{
	struct kunit *test = env->test;
	struct memlayout_probe_range pr;
	struct memlayout_range want;
	struct memlayout_probe p;
	struct memlayout *l;
	u32 i, kind;
	u64 addr;

	fault_get(env, env->uarg, &p, sizeof(p));
	KUNIT_EXPECT_EQ(test, p.generation, generation);
	l = ml_get_layout(env->f);
	if (!l) {
		KUNIT_FAIL(test, "the file lost its layout");
		return;
	}
	for (i = 0; i < q->nr; i++) {
		fault_get(env, q->uaddrs + i * sizeof(addr), &addr, sizeof(addr));
		fault_get(env, q->ukinds + i * sizeof(kind), &kind, sizeof(kind));
		KUNIT_EXPECT_EQ_MSG(test, kind, memlayout_probe(l, addr),
				    "address %#llx", addr);
		if (!q->uranges)
			continue;
		fault_get(env, q->uranges + i * sizeof(pr), &pr, sizeof(pr));
		if (kind == MEMLAYOUT_KIND_NONE) {
			KUNIT_EXPECT_EQ_MSG(test, pr.index, MEMLAYOUT_PROBE_NO_RANGE,
					    "address %#llx", addr);
			KUNIT_EXPECT_EQ_MSG(test, pr.start | pr.end | pr.vnode, 0,
					    "address %#llx", addr);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, memlayout_get_range(l, kind, pr.index, &want),
				    0, "address %#llx", addr);
		KUNIT_EXPECT_EQ_MSG(test, pr.start, want.start, "address %#llx", addr);
		KUNIT_EXPECT_EQ_MSG(test, pr.end, want.end, "address %#llx", addr);
		KUNIT_EXPECT_EQ_MSG(test, pr.vnode, want.vnode, "address %#llx", addr);
		KUNIT_EXPECT_TRUE_MSG(test, pr.start <= addr && addr < pr.end,
				      "address %#llx", addr);
	}
	memlayout_put(l);
}

/*
 * Checks a GET_LAYOUT that succeeded: the preset layout's MMIO gap, then
 * its RAM ranges, in address order; its figures, generation and
 * fingerprint.
 */
static void fault_expect_layout(struct fault_env *env,
				const struct fault_query *q, u64 generation)
{
	struct kunit *test = env->test;
	struct memlayout_get_layout g;
	struct memlayout_map_entry e;
	struct memlayout_range want;
	struct memlayout_stats st;
	struct memlayout *l;
	u32 i;

	fault_get(env, env->uarg, &g, sizeof(g));
	fault_get(env, q->ustats, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, g.count, FAULT_PRESET_RANGES + 1);
	KUNIT_EXPECT_EQ(test, g.generation, generation);
	KUNIT_EXPECT_EQ(test, st.generation, generation);
	KUNIT_EXPECT_EQ(test, st.nr_ram, FAULT_PRESET_RANGES);
	KUNIT_EXPECT_EQ(test, st.nr_mmio, 1);
	KUNIT_EXPECT_EQ(test, st.ram_size, FAULT_PRESET_RANGES * FAULT_RAM_LEN);
	l = ml_get_layout(env->f);
	if (!l) {
		KUNIT_FAIL(test, "the file lost its layout");
		return;
	}
	KUNIT_EXPECT_MEMEQ(test, g.fingerprint, l->fingerprint,
			   MEMLAYOUT_FINGERPRINT_SIZE);
	KUNIT_EXPECT_MEMEQ(test, st.fingerprint, l->fingerprint,
			   MEMLAYOUT_FINGERPRINT_SIZE);
	memlayout_put(l);
	for (i = 0; i <= FAULT_PRESET_RANGES; i++) {
		fault_get(env, q->uentries + i * sizeof(e), &e, sizeof(e));
		want = i ? fault_ram_range(i - 1) : fault_mmio;
		KUNIT_EXPECT_EQ_MSG(test, e.start, want.start, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e.end, want.end, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e.vnode, want.vnode, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e.kind, i ? MEMLAYOUT_KIND_RAM :
				    MEMLAYOUT_KIND_MMIO, "entry %u", i);
	}
}

/*
 * Checks a CHECK_HOST that succeeded: the conflicts of the reference call,
 * in its order, and the device records' facts as the reference call wrote
 * them (input members echoed).
 */
static void fault_expect_host(struct fault_env *env,
			      const struct fault_query *q, u64 generation)
{
	struct kunit *test = env->test;
	const struct memlayout_check_host *ref = q->arg;
	struct memlayout_host_conflict conf;
	struct memlayout_host_device dev;
	struct memlayout_check_host c;
	u32 i;

	fault_get(env, env->uarg, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, c.count, q->nr_ref);
	KUNIT_EXPECT_EQ(test, c.generation, generation);
	KUNIT_EXPECT_EQ(test, c.phys_bits, ml_host_phys_bits());
	KUNIT_EXPECT_EQ(test, c.error_device, MEMLAYOUT_NO_DEVICE);
	for (i = 0; i < q->nr_ref; i++) {
		fault_get(env, q->out + i * sizeof(conf), &conf, sizeof(conf));
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(&conf, &q->ref[i],
						    sizeof(conf)),
				      "conflict %u", i);
	}
	for (i = 0; i < ref->nr_devices; i++) {
		fault_get(env, q->udevs + i * sizeof(dev), &dev, sizeof(dev));
		KUNIT_EXPECT_TRUE_MSG(test, !memcmp(&dev, &q->ref_devs[i],
						    sizeof(dev)),
				      "device %u", i);
	}
}

/* Checks the answer of a query that succeeded. */
static void fault_expect_answer(struct fault_env *env,
				const struct fault_case *t,
				const struct fault_query *q, u64 generation)
{
	switch (t->cmd) {
	case MEMLAYOUT_IOC_GET_RANGES:
		fault_expect_ranges(env, q, generation);
		break;
	case MEMLAYOUT_IOC_GET_LAYOUT:
		fault_expect_layout(env, q, generation);
		break;
	case MEMLAYOUT_IOC_CHECK_HOST:
		fault_expect_host(env, q, generation);
		break;
	default:
		fault_expect_kinds(env, q, generation);
		break;
	}
}

/* Expects @len bytes of user memory at @uaddr to be @want. */
static void fault_expect_user(struct fault_env *env, unsigned long uaddr,
			      const void *want, size_t len, const char *what,
			      u32 n)
{
	u8 *got = kunit_kmalloc(env->test, len, GFP_KERNEL);

	/* Not under fail_nth: the call is over and make_it_fail is 0. */
	if (!got) {
		KUNIT_FAIL(env->test, "no memory to read %s back", what);
		return;
	}
	fault_get(env, uaddr, got, len);
	KUNIT_EXPECT_TRUE_MSG(env->test, !memcmp(got, want, len),
			      "%s written, fail_nth %u", what, n);
	kunit_kfree(env->test, got);
}

/* Puts a query's struct and the marks of its outputs back in user memory. */
static void fault_query_reset(struct fault_env *env,
			      const struct fault_query *q)
{
	KUNIT_EXPECT_EQ(env->test, copy_to_user((void __user *)env->uarg, q->arg,
						q->arg_len), 0);
	KUNIT_EXPECT_EQ(env->test, copy_to_user((void __user *)q->out, q->marks,
						q->len), 0);
	/* CHECK_HOST's records: their out members are not inputs. */
	if (q->udevs)
		KUNIT_EXPECT_EQ(env->test,
				copy_to_user((void __user *)q->udevs, q->devs,
					     FAULT_HOST_DEVICES *
					     sizeof(*q->devs)), 0);
}

/**
 * fault_query_walk() - fail each allocation of a query in turn
 * @env: the case; @env->uarg is the command's struct.
 * @t: the row.
 * @q: the query's struct and outputs, as written.
 * @c: receives what the walk saw.
 *
 * A query never changes the file. Each failure it absorbs still answers
 * in full (fault_expect_answer()); each -ENOMEM writes nothing: neither
 * its struct nor any output. The walk ends with a call whose allocations
 * all succeed.
 */
static void fault_query_walk(struct fault_env *env, const struct fault_case *t,
			     const struct fault_query *q, struct fault_count *c)
{
	struct kunit *test = env->test;
	struct fault_state st;
	bool injected;
	long ret;
	u32 n;

	fault_snapshot(env, &st);
	fault_knobs_set(env);
	for (n = 1; n <= FAULT_MAX_NTH; n++) {
		ret = fault_call(env, t->cmd, n, &injected);
		if (!injected)
			break;
		c->points++;
		fault_expect_unchanged(env, &st, n);
		if (!ret) {	/* absorbed (kmemleak's pool, for one) */
			c->absorbed++;
			fault_expect_answer(env, t, q, st.generation);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "fail_nth %u", n);
			c->enomem += ret == -ENOMEM;
			fault_expect_user(env, env->uarg, q->arg, q->arg_len,
					  "the struct", n);
			fault_expect_user(env, q->out, q->marks, q->len,
					  "an output", n);
		}
		fault_query_reset(env, q);
	}
	fault_knobs_restore(env);
	KUNIT_ASSERT_LE_MSG(test, n, FAULT_MAX_NTH, "no call completed");

	KUNIT_EXPECT_EQ(test, ret, 0);
	fault_expect_answer(env, t, q, st.generation);
	fault_expect_unchanged(env, &st, n);
}

/* Marked user memory for @len bytes of outputs; returns its kernel copy. */
static u8 *fault_put_marks(struct fault_env *env, size_t len,
			   unsigned long *uaddr)
{
	u8 *marks = kunit_kmalloc(env->test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(env->test, marks);
	memset(marks, 0xa5, len);
	*uaddr = fault_put(env, marks, len);
	return marks;
}

/* GET_RANGES: the RAM list of the preset layout, read back whole. */
static void fault_get_ranges(struct fault_env *env, const struct fault_case *t,
			     struct fault_count *c)
{
	struct memlayout_get_ranges g = {
		.size = sizeof(g),
		.list = MEMLAYOUT_LIST_RAM,
		.count = FAULT_PRESET_RANGES,
	};
	struct fault_query q = {
		.arg = &g, .arg_len = sizeof(g),
		.len = FAULT_PRESET_RANGES * sizeof(struct memlayout_range),
	};

	q.marks = fault_put_marks(env, q.len, &q.out);
	q.uranges = q.out;
	g.ranges_ptr = q.out;
	env->uarg = fault_put(env, &g, sizeof(g));
	fault_query_walk(env, t, &q, c);
}

/*
 * PROBE: @t->nr addresses around the preset layout's ranges, their kinds
 * and, with @t->ranges, their covering ranges (issue 8).
 */
static void fault_probe(struct fault_env *env, const struct fault_case *t,
			struct fault_count *c)
{
	struct memlayout_probe p = { .size = sizeof(p), .count = t->nr };
	size_t kinds = ALIGN(t->nr * sizeof(u32), 8);
	struct fault_query q = {
		.arg = &p, .arg_len = sizeof(p), .nr = t->nr, .len = kinds,
	};
	u64 addr;
	u32 i;

	q.uaddrs = env->ubuf + ALIGN(env->off, 8);
	for (i = 0; i < t->nr; i++) {
		/* Start, middle and end of ranges, and the gaps between. */
		addr = FAULT_RAM_BASE + (u64)i * (FAULT_RAM_STRIDE / 4) - 1;
		fault_put(env, &addr, sizeof(addr));
	}
	if (t->ranges)
		q.len += t->nr * sizeof(struct memlayout_probe_range);
	q.marks = fault_put_marks(env, q.len, &q.out);
	q.ukinds = q.out;
	if (t->ranges)
		q.uranges = q.out + kinds;
	p.addrs_ptr = q.uaddrs;
	p.kinds_ptr = q.ukinds;
	p.ranges_ptr = q.uranges;
	env->uarg = fault_put(env, &p, sizeof(p));
	fault_query_walk(env, t, &q, c);
}

/* Room for the preset layout's entries, and some. */
#define FAULT_LAYOUT_CAP	(FAULT_PRESET_RANGES + 19)

/*
 * GET_LAYOUT (issue 8): every range of the preset layout and its figures
 * in one call; the entries take more than one page-sized chunk.
 */
static void fault_get_layout(struct fault_env *env, const struct fault_case *t,
			     struct fault_count *c)
{
	size_t entries = FAULT_LAYOUT_CAP * sizeof(struct memlayout_map_entry);
	struct memlayout_get_layout g = {
		.size = sizeof(g),
		.count = FAULT_LAYOUT_CAP,
	};
	struct fault_query q = {
		.arg = &g, .arg_len = sizeof(g), .nr = FAULT_LAYOUT_CAP,
		.len = entries + sizeof(struct memlayout_stats),
	};
	struct memlayout_stats *st;
	u8 *marks;

	marks = kunit_kmalloc(env->test, q.len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(env->test, marks);
	memset(marks, 0xa5, q.len);
	/* The stats struct's input members; its outputs keep the mark. */
	st = (struct memlayout_stats *)(marks + entries);
	st->size = sizeof(*st);
	st->flags = 0;
	q.marks = marks;
	q.out = fault_put(env, marks, q.len);
	q.uentries = q.out;
	q.ustats = q.out + entries;
	g.entries_ptr = q.uentries;
	g.stats_ptr = q.ustats;
	/* Output only: a reply that is not written keeps the mark. */
	memset(&g.generation, 0xa5, sizeof(g.generation));
	memset(g.fingerprint, 0xa5, sizeof(g.fingerprint));
	env->uarg = fault_put(env, &g, sizeof(g));
	fault_query_walk(env, t, &q, c);
}

/*
 * CHECK_HOST (issue 11, SPEC H1-H3): a layout with RAM across and above
 * 2^phys_bits (H1 conflicts, so the conflicts buffer is allocated) and,
 * where the kernel has a PCI device, that device named twice (the device
 * array's copy and the facts). A call without a fault gives the reference
 * answer every call that succeeds must give.
 */
static void fault_check_host(struct fault_env *env, const struct fault_case *t,
			     struct fault_count *c)
{
	struct kunit *test = env->test;
	u32 bits = ml_host_phys_bits();
	struct memlayout_host_device devs[FAULT_HOST_DEVICES] = {};
	struct memlayout_range ram[2];
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_RANGES,
		.nr_ram = ARRAY_SIZE(ram),
	};
	struct memlayout_check_host h = {
		.size = sizeof(h),
		.count = t->nr,
	};
	struct fault_query q = {
		.arg = &h, .arg_len = sizeof(h),
		.len = t->nr * sizeof(struct memlayout_host_conflict),
	};
	struct memlayout_host_conflict *ref;
	struct memlayout_host_device *back;
	struct pci_dev *pdev;
	u64 top;
	u32 i;

	if (bits > 60)
		kunit_skip(test, "CPU width %u bits: no H1 conflict", bits);
	top = 1ULL << bits;
	ram[0] = (struct memlayout_range){ .start = 0, .end = SZ_1G };
	ram[1] = (struct memlayout_range){ .start = top - SZ_1G,
					   .end = top + SZ_1G };
	s.ram_ptr = fault_put(env, ram, sizeof(ram));
	env->uarg = fault_put(env, &s, sizeof(s));
	KUNIT_ASSERT_EQ(test, memlayout_ioctl(&env->filp,
					      MEMLAYOUT_IOC_SET_LAYOUT,
					      env->uarg), 0);

	pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
	if (pdev) {
		for (i = 0; i < FAULT_HOST_DEVICES; i++) {
			devs[i].type = MEMLAYOUT_DEVICE_PCI;
			devs[i].pci_segment = pci_domain_nr(pdev->bus);
			devs[i].pci_bus = pdev->bus->number;
			devs[i].pci_devfn = pdev->devfn;
		}
		pci_dev_put(pdev);
		h.nr_devices = FAULT_HOST_DEVICES;
		q.udevs = fault_put(env, devs, sizeof(devs));
		h.devices_ptr = q.udevs;
	}
	q.marks = fault_put_marks(env, q.len, &q.out);
	h.conflicts_ptr = q.out;
	/* Output only: a reply that is not written keeps the mark. */
	memset(&h.generation, 0xa5, sizeof(h.generation));
	h.phys_bits = 0xa5a5a5a5;
	h.error_device = 0xa5a5a5a5;
	env->uarg = fault_put(env, &h, sizeof(h));

	/* The reference: no fault. RAM 1 crosses 2^bits: one H1 conflict. */
	KUNIT_ASSERT_EQ(test, memlayout_ioctl(&env->filp,
					      MEMLAYOUT_IOC_CHECK_HOST,
					      env->uarg), 0);
	ref = kunit_kmalloc_array(test, t->nr, sizeof(*ref), GFP_KERNEL);
	back = kunit_kmalloc_array(test, FAULT_HOST_DEVICES, sizeof(*back),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, back);
	fault_get(env, env->uarg + offsetof(struct memlayout_check_host, count),
		  &q.nr_ref, sizeof(q.nr_ref));
	KUNIT_ASSERT_GE(test, q.nr_ref, 1);
	KUNIT_ASSERT_LE(test, q.nr_ref, t->nr);
	fault_get(env, q.out, ref, q.nr_ref * sizeof(*ref));
	KUNIT_EXPECT_EQ(test, ref[0].rule, MEMLAYOUT_HOST_CPU_WIDTH);
	KUNIT_EXPECT_EQ(test, ref[0].index, 1);
	KUNIT_EXPECT_EQ(test, ref[0].host_start, top);
	q.ref = ref;
	if (h.nr_devices)
		fault_get(env, q.udevs, back, sizeof(devs));
	q.devs = devs;
	q.ref_devs = back;
	fault_query_reset(env, &q);
	fault_query_walk(env, t, &q, c);
}

/* Walks one command's allocations on a fresh file, in one mode. */
static void fault_walk(struct kunit *test, const struct fault_case *t,
		       bool all, struct fault_count *c)
{
	struct fault_env *env = fault_env_new(test);

	env->all = all;
	if (t->preset)
		fault_preset(env);
	/* The file is mapped: every walk checks its view too. */
	KUNIT_ASSERT_EQ(test, ml_view_get(env->f, FAULT_VIEW_SIZE), 0);
	switch (t->cmd) {
	case MEMLAYOUT_IOC_SET_LAYOUT:
		fault_set_layout(env, t, c);
		break;
	case MEMLAYOUT_IOC_GET_RANGES:
		fault_get_ranges(env, t, c);
		break;
	case MEMLAYOUT_IOC_GET_LAYOUT:
		fault_get_layout(env, t, c);
		break;
	case MEMLAYOUT_IOC_CHECK_HOST:
		fault_check_host(env, t, c);
		break;
	default:
		fault_probe(env, t, c);
		break;
	}
}

/*
 * Issue 7: each allocation of the command fails in turn; each failure
 * gives -ENOMEM (or is absorbed) and leaves the file as it was.
 */
static void fault_each_allocation(struct kunit *test)
{
	const struct fault_case *t = test->param_value;
	struct fault_count one = {}, rest = {};

	fault_walk(test, t, false, &one);
	fault_walk(test, t, true, &rest);

	kunit_info(test, "%s: n-th fails: %u reached, %u -ENOMEM, %u absorbed; n-th onwards fail: %u reached, %u -ENOMEM, %u absorbed\n",
		   t->desc, one.points, one.enomem, one.absorbed, rest.points,
		   rest.enomem, rest.absorbed);
	/* Each injected failure is either absorbed or the call's -ENOMEM. */
	KUNIT_EXPECT_EQ(test, one.points, one.enomem + one.absorbed);
	KUNIT_EXPECT_EQ(test, rest.points, rest.enomem + rest.absorbed);
	/* A misconfigured failslab injects nothing: never pass vacuously. */
	KUNIT_EXPECT_GE(test, one.points, t->min_enomem);
	KUNIT_EXPECT_GE(test, rest.enomem, t->min_enomem);
}

/* Allocations of vmalloc_user(): the area, its vm_struct, the pages. */
#define FAULT_VIEW_MIN_ENOMEM	3

/*
 * Walks the allocations of the file's first mmap() step, ml_view_get()
 * (vmalloc_user() of the view), in one mode. A failure must be -ENOMEM
 * and make no view; a failure absorbed (vmalloc() retrying a page, for
 * one) must make the whole view, which is then dropped so that the next
 * n walks the allocation again. The file's layout is untouched either
 * way, and the last call makes the view the file's layout gives.
 */
static void fault_view_walk(struct kunit *test, bool all,
			    struct fault_count *c)
{
	struct fault_env *env = fault_env_new(test);
	struct memlayout_file *f = env->f;
	struct fault_state st;
	struct memlayout *l;
	bool injected;
	long ret;
	u32 n;

	env->all = all;
	fault_preset(env);
	/* env->view: the view the preset layout must give. */
	l = ml_get_layout(f);
	KUNIT_ASSERT_NOT_NULL(test, l);
	memlayout_view_publish((struct memlayout_view *)env->view,
			       FAULT_VIEW_SIZE, l);
	memlayout_put(l);
	fault_snapshot(env, &st);

	fault_knobs_set(env);
	for (n = 1; n <= FAULT_MAX_NTH; n++) {
		fault_arm(env, n);
		ret = ml_view_get(f, FAULT_VIEW_SIZE);
		injected = fault_disarm(n);
		if (!injected)
			break;
		c->points++;
		if (!ret) {
			c->absorbed++;
			KUNIT_EXPECT_NOT_NULL_MSG(test, f->view, "fail_nth %u", n);
			if (!f->view)
				continue;
			KUNIT_EXPECT_TRUE_MSG(test, !memcmp(f->view, env->view,
							    FAULT_VIEW_SIZE),
					      "view, fail_nth %u", n);
			/* Not mapped yet: drop it to walk the allocation again. */
			vfree(f->view);
			f->view = NULL;
			f->view_size = 0;
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "fail_nth %u", n);
			c->enomem += ret == -ENOMEM;
			KUNIT_EXPECT_NULL_MSG(test, f->view, "fail_nth %u", n);
			KUNIT_EXPECT_EQ_MSG(test, f->view_size, 0, "fail_nth %u", n);
		}
		fault_expect_unchanged(env, &st, n);
	}
	fault_knobs_restore(env);
	KUNIT_ASSERT_LE_MSG(test, n, FAULT_MAX_NTH, "no call completed");

	/* Past the last allocation: the view is made, whole. */
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_ASSERT_NOT_NULL(test, f->view);
	KUNIT_EXPECT_EQ(test, f->view_size, FAULT_VIEW_SIZE);
	KUNIT_EXPECT_TRUE(test, !memcmp(f->view, env->view, FAULT_VIEW_SIZE));
	KUNIT_EXPECT_EQ(test, f->view->seq, 2);
	KUNIT_EXPECT_EQ(test, f->view->generation, 1);
	KUNIT_EXPECT_EQ(test, f->view->nr, FAULT_PRESET_RANGES + 1);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(f->layout), st.layout);
	KUNIT_EXPECT_EQ(test, f->generation, 1);
}

/*
 * SPEC V1 and issue 7 on the view: each allocation of its creation fails
 * in turn; each failure gives -ENOMEM (or is absorbed) and makes no view,
 * and a later call makes it.
 */
static void fault_view_allocation(struct kunit *test)
{
	struct fault_count one = {}, rest = {};

	fault_view_walk(test, false, &one);
	fault_view_walk(test, true, &rest);

	kunit_info(test, "view: n-th fails: %u reached, %u -ENOMEM, %u absorbed; n-th onwards fail: %u reached, %u -ENOMEM, %u absorbed\n",
		   one.points, one.enomem, one.absorbed, rest.points,
		   rest.enomem, rest.absorbed);
	KUNIT_EXPECT_EQ(test, one.points, one.enomem + one.absorbed);
	KUNIT_EXPECT_EQ(test, rest.points, rest.enomem + rest.absorbed);
	KUNIT_EXPECT_GE(test, one.points, FAULT_VIEW_MIN_ENOMEM);
	KUNIT_EXPECT_GE(test, rest.enomem, FAULT_VIEW_MIN_ENOMEM);
}

/*
 * CHECK_KVM (issue 12, SPEC H4). No KUnit kernel has a VM, so the command
 * is walked from ml_kvm_answer() on, the ioctl's step after the memslots
 * are copied (memlayout_kvm.c's one allocation needs a VM: the guest
 * tests'): the preset layout (300 RAM ranges) and one memslot over the
 * first page of RAM give one unbacked finding per RAM range, more than a page of
 * them, so the copy-out allocates its page buffer. Each failure must be
 * -ENOMEM with no finding written and the file as it was (SPEC: a
 * rejected request changes nothing); each absorbed one, the reference.
 */
static void fault_check_kvm_walk(struct kunit *test, bool all,
				 struct fault_count *c)
{
	struct fault_env *env = fault_env_new(test);
	const struct memlayout_kvm_slot slot = {
		.as_id = 0, .id = 1, .start = fault_ram_range(0).start,
		.end = fault_ram_range(0).start + PAGE_SIZE,
	};
	struct memlayout_check_kvm k = { .size = sizeof(k), .vm_fd = -1 };
	struct memlayout_check_kvm got;
	struct memlayout_kvm_finding *ref;
	struct fault_state st;
	struct memlayout *l;
	unsigned long uout;
	bool injected;
	size_t len;
	u8 *marks;
	int ret;
	u32 n;

	env->all = all;
	fault_preset(env);
	KUNIT_ASSERT_EQ(test, ml_view_get(env->f, FAULT_VIEW_SIZE), 0);
	l = ml_get_layout(env->f);
	KUNIT_ASSERT_NOT_NULL(test, l);

	/* The reference, with no fault: the size query, then the findings. */
	KUNIT_ASSERT_EQ(test, ml_kvm_answer(l, &slot, 1, &k), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, k.nr_slots, 1);
	KUNIT_EXPECT_EQ(test, k.nr_as, 1);
	KUNIT_EXPECT_EQ(test, k.generation, 1);
	KUNIT_ASSERT_EQ(test, k.count, FAULT_PRESET_RANGES);
	KUNIT_ASSERT_GT(test, k.count,
			PAGE_SIZE / sizeof(struct memlayout_kvm_finding));
	len = k.count * sizeof(*ref);
	marks = fault_put_marks(env, len, &uout);
	k.findings_ptr = uout;
	KUNIT_ASSERT_EQ(test, ml_kvm_answer(l, &slot, 1, &k), 0);
	ref = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	fault_get(env, uout, ref, len);
	for (n = 0; n < k.count; n++) {
		KUNIT_EXPECT_EQ_MSG(test, ref[n].kind, MEMLAYOUT_KVM_UNBACKED,
				    "finding %u", n);
		KUNIT_EXPECT_EQ_MSG(test, ref[n].index, n, "finding %u", n);
	}
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)uout, marks, len), 0);

	fault_snapshot(env, &st);
	fault_knobs_set(env);
	for (n = 1; n <= FAULT_MAX_NTH; n++) {
		got = k;
		fault_arm(env, n);
		ret = ml_kvm_answer(l, &slot, 1, &got);
		injected = fault_disarm(n);
		if (!injected)
			break;
		c->points++;
		fault_expect_unchanged(env, &st, n);
		if (!ret) {
			c->absorbed++;
			fault_expect_user(env, uout, ref, len, "not the findings", n);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "fail_nth %u", n);
			c->enomem += ret == -ENOMEM;
			fault_expect_user(env, uout, marks, len, "findings", n);
		}
		KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)uout, marks,
						   len), 0);
	}
	fault_knobs_restore(env);
	memlayout_put(l);
	KUNIT_ASSERT_LE_MSG(test, n, FAULT_MAX_NTH, "no call completed");

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, got.count, k.count);
	fault_expect_user(env, uout, ref, len, "not the findings", n);
	fault_expect_unchanged(env, &st, n);
}

/* CHECK_KVM's answer: each allocation fails in turn, then every later. */
static void fault_check_kvm(struct kunit *test)
{
	struct fault_count one = {}, rest = {};

	fault_check_kvm_walk(test, false, &one);
	fault_check_kvm_walk(test, true, &rest);
	kunit_info(test, "CHECK_KVM answer: n-th fails: %u reached, %u -ENOMEM, %u absorbed; n-th onwards fail: %u reached, %u -ENOMEM, %u absorbed\n",
		   one.points, one.enomem, one.absorbed, rest.points,
		   rest.enomem, rest.absorbed);
	KUNIT_EXPECT_EQ(test, one.points, one.enomem + one.absorbed);
	KUNIT_EXPECT_EQ(test, rest.points, rest.enomem + rest.absorbed);
	/* The page buffer: never pass vacuously. */
	KUNIT_EXPECT_GE(test, one.points, 1);
	KUNIT_EXPECT_GE(test, rest.enomem, 1);
}

static struct kunit_case memlayout_fault_cases[] = {
	KUNIT_CASE_PARAM(fault_each_allocation, fault_gen_params),
	KUNIT_CASE(fault_view_allocation),
	KUNIT_CASE(fault_check_kvm),
	{}
};

static struct kunit_suite memlayout_fault_suite = {
	.name = "memlayout_fault",
	.test_cases = memlayout_fault_cases,
};

kunit_test_suite(memlayout_fault_suite);
