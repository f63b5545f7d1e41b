// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_ioctl: the real ioctl entry point memlayout_ioctl()
 * with its argument in user memory mapped into the test's own mm
 * (kunit_vm_mmap(), as lib/usercopy_kunit.c does). Every error path of
 * memlayout_ioctl.c that KUnit can reach has a row here: for each one the
 * errno, the reply (what was written back, and that nothing else was) and
 * that the file's previous layout and generation survive the failure
 * (SPEC: "a rejected request changes nothing"). Issue 8's additions have
 * rows of their own: GET_LAYOUT (entries, figures, generation and
 * fingerprint of one layout), PROBE's covering ranges and SET_LAYOUT's
 * dry run, each row of which is also run for real to compare. Issue 9's
 * placement (SPEC C4): SET_LAYOUT with MEMLAYOUT_SOURCE_PLACE, one table
 * of rows run through the ioctl and, in the memlayout_set_place suite,
 * through the interface logic alone (memlayout_set_check(),
 * memlayout_set_place()) with a lowered R8 limit; GET_PLACEMENTS and its
 * count negotiation. The -ENOMEM paths are in fault_kunit.c; the
 * memlayout_race suite is in race_kunit.c.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/anon_inodes.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/memlayout.h>

#include "kunit_util.h"
#include "../memlayout_hostfit.h"
#include "../memlayout_ioctl.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/*
 * User memory of one test, in this order: IOCTL_RW_PAGES read-write pages,
 * one read-only page (it reads as zeros), one read-write "island" page,
 * then a page with nothing mapped. A struct can so end on a read-only page
 * (its reply cannot be written) or run into an unmapped one.
 */
#define IOCTL_RW_PAGES		4
#define IOCTL_MAP_PAGES		(IOCTL_RW_PAGES + 3)

/* Where each test puts things in the read-write pages. */
#define IOCTL_ARG		0			/* the command: page 0 */
#define IOCTL_ARRAYS		PAGE_SIZE		/* SET_LAYOUT's arrays */
#define IOCTL_OUT		(2 * PAGE_SIZE)		/* ranges, addresses, kinds */
#define IOCTL_PRESET		(3 * PAGE_SIZE)		/* the preset layout's request */

/* Marks bytes a call must not write, or must overwrite. */
#define IOCTL_MARK		0xa5

/**
 * struct ioctl_env - one fake open file and its user memory
 * @test: the running test.
 * @filp: the file; memlayout_ioctl() reads only its private_data.
 * @f: the file state.
 * @rw: first of the %IOCTL_RW_PAGES read-write pages.
 * @ro: the read-only page after them.
 * @island: the read-write page after @ro.
 * @unmapped: the page after @island, not mapped.
 * @layout: the file's layout when the test's request is made.
 * @generation: the file's generation then.
 * @live: memlayout_live() then.
 */
struct ioctl_env {
	struct kunit *test;
	struct file filp;
	struct memlayout_file *f;
	unsigned long rw;
	unsigned long ro;
	unsigned long island;
	unsigned long unmapped;
	const struct memlayout *layout;
	u64 generation;
	long live;
};

/*
 * The preset layout (SPEC C3): RAM [0, 1 GiB) on vnode 0 and
 * [4 GiB, 6 GiB) on vnode 1, an MMIO gap [1 GiB, 2 GiB), a PCI ECAM hole
 * [3 GiB, 3.25 GiB), no PCI MMIO hole, VTL2 [1 TiB, 1 TiB + 1 GiB).
 */
static const struct memlayout_range preset_ram[] = {
	{ .start = 0, .end = SZ_1G, .vnode = 0 },
	{ .start = SZ_4G, .end = 6ULL * SZ_1G, .vnode = 1 },
};

static const struct memlayout_range preset_mmio[] = {
	{ .start = SZ_1G, .end = 2ULL * SZ_1G },
};

static const struct memlayout_range preset_ecam[] = {
	{ .start = 3ULL * SZ_1G, .end = 3ULL * SZ_1G + SZ_256M },
};

static const struct memlayout_range preset_vtl2 = {
	.start = SZ_1T, .end = SZ_1T + SZ_1G,
};

/* The preset layout in address order, as GET_LAYOUT reads it (issue 8). */
static const struct memlayout_map_entry preset_map[] = {
	{ .start = 0, .end = SZ_1G, .vnode = 0, .kind = MEMLAYOUT_KIND_RAM },
	{ .start = SZ_1G, .end = 2ULL * SZ_1G, .kind = MEMLAYOUT_KIND_MMIO },
	{ .start = 3ULL * SZ_1G, .end = 3ULL * SZ_1G + SZ_256M,
	  .kind = MEMLAYOUT_KIND_PCI_ECAM },
	{ .start = SZ_4G, .end = 6ULL * SZ_1G, .vnode = 1,
	  .kind = MEMLAYOUT_KIND_RAM },
};

static void ioctl_env_free(void *data)
{
	struct ioctl_env *env = data;

	ml_file_free(env->f);
}

/* Copies @len bytes to user address @uaddr; aborts the test if it cannot. */
static void ioctl_put(struct ioctl_env *env, unsigned long uaddr,
		      const void *src, size_t len)
{
	KUNIT_ASSERT_EQ(env->test,
			copy_to_user((void __user *)uaddr, src, len), 0);
}

static void ioctl_get(struct ioctl_env *env, unsigned long uaddr, void *dst,
		      size_t len)
{
	KUNIT_ASSERT_EQ(env->test,
			copy_from_user(dst, (void __user *)uaddr, len), 0);
}

/* Fills @len bytes of user memory at @uaddr with @c. */
static void ioctl_fill(struct ioctl_env *env, unsigned long uaddr, int c,
		       size_t len)
{
	KUNIT_ASSERT_EQ(env->test, clear_user((void __user *)uaddr, len), 0);
	if (c) {
		u8 *buf = kunit_kmalloc(env->test, len, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(env->test, buf);
		memset(buf, c, len);
		ioctl_put(env, uaddr, buf, len);
		kunit_kfree(env->test, buf);
	}
}

static long ioctl_call(struct ioctl_env *env, unsigned int cmd,
		       unsigned long uarg)
{
	return memlayout_ioctl(&env->filp, cmd, uarg);
}

/* Records the file's state, which a failing call must leave alone. */
static void ioctl_snapshot(struct ioctl_env *env)
{
	env->layout = rcu_access_pointer(env->f->layout);
	env->generation = env->f->generation;
	env->live = memlayout_live();
}

/* SPEC "a rejected request changes nothing": layout, generation, no leak. */
static void ioctl_expect_intact(struct ioctl_env *env)
{
	struct kunit *test = env->test;

	KUNIT_EXPECT_PTR_EQ_MSG(test, rcu_access_pointer(env->f->layout),
				env->layout, "the file's layout was replaced");
	KUNIT_EXPECT_EQ_MSG(test, env->f->generation, env->generation,
			    "the file's generation changed");
	KUNIT_EXPECT_EQ_MSG(test, memlayout_live(), env->live,
			    "a layout was built and kept");
}

/* Gives the file the preset layout through the ioctl: generation 1. */
static void ioctl_preset(struct ioctl_env *env)
{
	unsigned long base = env->rw + IOCTL_PRESET;
	struct memlayout_set s = {
		.size = sizeof(s),
		.flags = MEMLAYOUT_SET_VTL2,
		.source = MEMLAYOUT_SOURCE_RANGES,
		.nr_ram = ARRAY_SIZE(preset_ram),
		.nr_mmio = ARRAY_SIZE(preset_mmio),
		.nr_pci_ecam = ARRAY_SIZE(preset_ecam),
		.vtl2 = preset_vtl2,
	};

	s.ram_ptr = base;
	ioctl_put(env, s.ram_ptr, preset_ram, sizeof(preset_ram));
	s.mmio_ptr = base + 512;
	ioctl_put(env, s.mmio_ptr, preset_mmio, sizeof(preset_mmio));
	s.pci_ecam_ptr = base + 1024;
	ioctl_put(env, s.pci_ecam_ptr, preset_ecam, sizeof(preset_ecam));
	ioctl_put(env, base + 2048, &s, sizeof(s));
	KUNIT_ASSERT_EQ(env->test,
			ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, base + 2048), 0);
	KUNIT_ASSERT_EQ(env->test, env->f->generation, 1);
}

/**
 * ioctl_env_new() - a file state and the test's user memory
 * @test: the running test.
 * @preset: give the file the preset layout first.
 *
 * Return: the environment, its state recorded by ioctl_snapshot().
 */
static struct ioctl_env *ioctl_env_new(struct kunit *test, bool preset)
{
	struct ioctl_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	unsigned long ro;

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->test = test;
	env->rw = kunit_vm_mmap(test, NULL, 0, IOCTL_MAP_PAGES * PAGE_SIZE,
				PROT_READ | PROT_WRITE,
				MAP_ANONYMOUS | MAP_PRIVATE | MAP_POPULATE, 0);
	if (IS_ERR_VALUE(env->rw) || !env->rw)
		kunit_skip(test, "no user memory for this test (kunit_vm_mmap)");
	env->ro = env->rw + IOCTL_RW_PAGES * PAGE_SIZE;
	env->island = env->ro + PAGE_SIZE;
	env->unmapped = env->island + PAGE_SIZE;
	/* No mprotect() in the kernel: map a read-only page over one. */
	ro = vm_mmap(NULL, env->ro, PAGE_SIZE, PROT_READ,
		     MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED, 0);
	KUNIT_ASSERT_EQ(test, ro, env->ro);
	KUNIT_ASSERT_EQ(test, vm_munmap(env->unmapped, PAGE_SIZE), 0);

	env->f = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, env->f);
	env->filp.private_data = env->f;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ioctl_env_free, env), 0);
	if (preset)
		ioctl_preset(env);
	ioctl_snapshot(env);
	return env;
}

/* Size of the kernel's struct for @cmd (0 for no command). */
static size_t ioctl_op_size(unsigned int cmd)
{
	switch (cmd) {
	case MEMLAYOUT_IOC_GET_INFO:
		return sizeof(struct memlayout_info);
	case MEMLAYOUT_IOC_SET_LAYOUT:
		return sizeof(struct memlayout_set);
	case MEMLAYOUT_IOC_GET_STATS:
		return sizeof(struct memlayout_stats);
	case MEMLAYOUT_IOC_GET_RANGES:
		return sizeof(struct memlayout_get_ranges);
	case MEMLAYOUT_IOC_GET_LAYOUT:
		return sizeof(struct memlayout_get_layout);
	case MEMLAYOUT_IOC_PROBE:
		return sizeof(struct memlayout_probe);
	case MEMLAYOUT_IOC_GET_PLACEMENTS:
		return sizeof(struct memlayout_get_placements);
	}
	return 0;
}

/* SPEC C1 through the ioctl: accepted, generation 1, figures readable. */
static void ioctl_set_layout_then_stats(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, false);
	struct memlayout_range mmio = { .start = SZ_1G, .end = 2ULL * SZ_1G };
	struct memlayout_stats st = { .size = sizeof(st) };
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = 3ULL * SZ_1G,
		.nr_mmio = 1,
	};
	unsigned long us = env->rw + IOCTL_ARG, ust = env->rw + IOCTL_OUT;

	s.mmio_ptr = env->rw + IOCTL_ARRAYS;
	ioctl_put(env, s.mmio_ptr, &mmio, sizeof(mmio));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us), 0);
	ioctl_get(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, s.generation, 1);
	KUNIT_EXPECT_EQ(test, s.reason.rule, 0);

	ioctl_put(env, ust, &st, sizeof(st));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_STATS, ust), 0);
	ioctl_get(env, ust, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, st.ram_size, 3ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, st.end_of_ram, 4ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, st.nr_ram, 2);
	KUNIT_EXPECT_EQ(test, st.nr_mmio, 1);
	KUNIT_EXPECT_EQ(test, st.generation, 1);
}

/*
 * issue 7 (A3): GET_INFO reports at run time what the header no longer
 * defines; these are the values of this version of the module.
 */
static void ioctl_get_info_reports_the_interface(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, false);
	struct memlayout_info info;
	unsigned long ui = env->rw + IOCTL_ARG;

	memset(&info, IOCTL_MARK, sizeof(info));
	info.size = sizeof(info);
	info.flags = 0;
	ioctl_put(env, ui, &info, sizeof(info));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_INFO, ui), 0);
	ioctl_get(env, ui, &info, sizeof(info));
	KUNIT_EXPECT_EQ(test, info.size, sizeof(info));
	KUNIT_EXPECT_EQ(test, info.size, MEMLAYOUT_INFO_SIZE_VER1);
	KUNIT_EXPECT_EQ(test, info.flags, 0);
	KUNIT_EXPECT_EQ(test, info.api_version, 1);
	KUNIT_EXPECT_EQ(test, info.max_ranges, memlayout_max_ranges());
	KUNIT_EXPECT_EQ(test, info.max_probe, 1U << 20);
	/* issue 8: the dry run is a SET_LAYOUT flag. */
	KUNIT_EXPECT_EQ(test, info.set_flags,
			MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN);
	KUNIT_EXPECT_EQ(test, info.set_flags, 3);
	KUNIT_EXPECT_EQ(test, info.page_size, 4096);
	KUNIT_EXPECT_EQ(test, info.max_address, MEMLAYOUT_MAX_ADDRESS);
	KUNIT_EXPECT_EQ(test, info.nr_kinds, MEMLAYOUT_KIND_PCI_MMIO + 1);
	/* issue 9: the placement requests are list MEMLAYOUT_LIST_PLACE. */
	KUNIT_EXPECT_EQ(test, info.nr_lists, MEMLAYOUT_LIST_PLACE + 1);
	KUNIT_EXPECT_EQ(test, info.nr_lists, 8);
	KUNIT_EXPECT_EQ(test, info.max_rule, MEMLAYOUT_REASON_SIZE);
	KUNIT_EXPECT_EQ(test, info.sources,
			BIT(MEMLAYOUT_SOURCE_SIZE) | BIT(MEMLAYOUT_SOURCE_NODES) |
			BIT(MEMLAYOUT_SOURCE_RANGES) | BIT(MEMLAYOUT_SOURCE_PLACE));
	/* issue 9 (SPEC C4): six placement classes, 1 .. 6. */
	KUNIT_EXPECT_EQ(test, info.nr_classes, MEMLAYOUT_CLASS_POST_MMIO);
	KUNIT_EXPECT_EQ(test, info.nr_classes, 6);
	/* issue 11 (SPEC H2, H3): CHECK_HOST names up to 64 devices. */
	KUNIT_EXPECT_EQ(test, info.max_devices, MEMLAYOUT_MAX_HOST_DEVICES);
	KUNIT_EXPECT_EQ(test, info.max_devices, 64);
	KUNIT_EXPECT_EQ(test, info.probe_flags, 0);
	KUNIT_EXPECT_EQ(test, info.get_ranges_flags, 0);
	KUNIT_EXPECT_EQ(test, info.commands,
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_INFO)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_SET_LAYOUT)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_STATS)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_RANGES)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_LAYOUT)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_PLACEMENTS)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_PROBE)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_CHECK_HOST)) |
			BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_CHECK_KVM)));
	/*
	 * issue 8: GET_LAYOUT is command 0x13; issue 9: GET_PLACEMENTS 0x14;
	 * issue 11: CHECK_HOST 0x30; issue 12: CHECK_KVM 0x31.
	 */
	KUNIT_EXPECT_EQ(test, info.commands, 0x00030001001f0001ULL);
}

/*
 * Framing: what memlayout_ioctl() checks before any command runs, for
 * every command. Each row's struct is all zero but for size, flags and
 * at most one non-zero byte.
 */

/* What a framing row's struct is like, from its command's sizes. */
enum ioctl_frame_kind {
	F_RAW,		/* the row's own cmd, size, flags and tail */
	F_OLD_NR,	/* the command's round-1 _IOWR() number */
	F_NULL,		/* a NULL argument */
	F_TORN,		/* size and flags readable, the rest unmapped */
	F_TORN_BIG,	/* as F_TORN, size PAGE_SIZE + 1 */
	F_SMALL,	/* size VER0 - 1 */
	F_BIG,		/* size PAGE_SIZE + 1 */
	F_TAIL,		/* 16 bytes more, a non-zero byte 8 past the struct */
	F_FLAGS,	/* flag bit 31 */
};

/**
 * struct ioctl_frame_case - one framing error (or its accepted neighbour)
 * @desc: row name.
 * @cmd: the command.
 * @kind: an &enum ioctl_frame_kind.
 * @size: %F_RAW: the struct's size member.
 * @flags: %F_RAW: the struct's flags member.
 * @tail: %F_RAW: offset from the struct's start of one non-zero byte
 *        (0: none).
 * @empty: the file holds no layout.
 * @want: the errno expected.
 * @rule: for SET_LAYOUT, the reason the reply must carry (0: no reply).
 * @field: %F_RAW: that reason's field (else it follows from @kind).
 */
struct ioctl_frame_case {
	const char *desc;
	unsigned int cmd;
	u8 kind;
	u32 size;
	u32 flags;
	u32 tail;
	bool empty;
	int want;
	u32 rule;
	u32 field;
};

#define SET_CMD		MEMLAYOUT_IOC_SET_LAYOUT
#define GET_PLACED	MEMLAYOUT_IOC_GET_PLACEMENTS
#define R_SIZE		MEMLAYOUT_REASON_SIZE
#define R_FLAGS		MEMLAYOUT_REASON_FLAGS

static const struct ioctl_frame_case ioctl_frame_cases[] = {
	{ "GET_INFO: its old _IOWR number -> ENOTTY", MEMLAYOUT_IOC_GET_INFO,
	  F_OLD_NR, .want = -ENOTTY },
	{ "GET_INFO: NULL argument -> EFAULT", MEMLAYOUT_IOC_GET_INFO, F_NULL,
	  .want = -EFAULT },
	{ "GET_INFO: struct runs into an unmapped page -> EFAULT",
	  MEMLAYOUT_IOC_GET_INFO, F_TORN, .want = -EFAULT },
	{ "GET_INFO: size VER0 - 1 -> EINVAL", MEMLAYOUT_IOC_GET_INFO, F_SMALL,
	  .want = -EINVAL },
	{ "GET_INFO: size above a page -> E2BIG", MEMLAYOUT_IOC_GET_INFO, F_BIG,
	  .want = -E2BIG },
	{ "GET_INFO: non-zero byte past the struct -> E2BIG",
	  MEMLAYOUT_IOC_GET_INFO, F_TAIL, .want = -E2BIG },
	{ "GET_INFO: unknown flag -> EOPNOTSUPP", MEMLAYOUT_IOC_GET_INFO,
	  F_FLAGS, .want = -EOPNOTSUPP },

	{ "SET_LAYOUT: its old _IOWR number -> ENOTTY", SET_CMD, F_OLD_NR,
	  .want = -ENOTTY },
	{ "SET_LAYOUT: NULL argument -> EFAULT", SET_CMD, F_NULL,
	  .want = -EFAULT },
	{ "SET_LAYOUT: struct runs into an unmapped page -> EFAULT", SET_CMD,
	  F_TORN, .want = -EFAULT },
	{ "SET_LAYOUT: torn, size over a page -> EFAULT (reply not read)",
	  SET_CMD, F_TORN_BIG, .want = -EFAULT },
	{ "SET_LAYOUT: size VER0 - 1 -> EINVAL, nothing written", SET_CMD,
	  F_SMALL, .want = -EINVAL },
	{ "SET_LAYOUT: size above a page -> E2BIG, REASON_SIZE field 0",
	  SET_CMD, F_BIG, .want = -E2BIG, .rule = R_SIZE },
	{ "SET_LAYOUT: non-zero byte past the struct -> E2BIG, its offset",
	  SET_CMD, F_TAIL, .want = -E2BIG, .rule = R_SIZE },
	{ "SET_LAYOUT: unknown flag -> EOPNOTSUPP, field flags", SET_CMD,
	  F_FLAGS, .want = -EOPNOTSUPP, .rule = R_FLAGS },

	{ "GET_STATS: its old _IOWR number -> ENOTTY", MEMLAYOUT_IOC_GET_STATS,
	  F_OLD_NR, .want = -ENOTTY },
	{ "GET_STATS: NULL argument -> EFAULT", MEMLAYOUT_IOC_GET_STATS, F_NULL,
	  .want = -EFAULT },
	{ "GET_STATS: struct runs into an unmapped page -> EFAULT",
	  MEMLAYOUT_IOC_GET_STATS, F_TORN, .want = -EFAULT },
	{ "GET_STATS: torn, size over a page -> E2BIG (nothing read)",
	  MEMLAYOUT_IOC_GET_STATS, F_TORN_BIG, .want = -E2BIG },
	{ "GET_STATS: size VER0 - 1 -> EINVAL", MEMLAYOUT_IOC_GET_STATS,
	  F_SMALL, .want = -EINVAL },
	{ "GET_STATS: size above a page -> E2BIG", MEMLAYOUT_IOC_GET_STATS,
	  F_BIG, .want = -E2BIG },
	{ "GET_STATS: non-zero byte past the struct -> E2BIG",
	  MEMLAYOUT_IOC_GET_STATS, F_TAIL, .want = -E2BIG },
	{ "GET_STATS: unknown flag -> EOPNOTSUPP", MEMLAYOUT_IOC_GET_STATS,
	  F_FLAGS, .want = -EOPNOTSUPP },

	{ "GET_RANGES: its old _IOWR number -> ENOTTY",
	  MEMLAYOUT_IOC_GET_RANGES, F_OLD_NR, .want = -ENOTTY },
	{ "GET_RANGES: NULL argument -> EFAULT", MEMLAYOUT_IOC_GET_RANGES,
	  F_NULL, .want = -EFAULT },
	{ "GET_RANGES: struct runs into an unmapped page -> EFAULT",
	  MEMLAYOUT_IOC_GET_RANGES, F_TORN, .want = -EFAULT },
	{ "GET_RANGES: size VER0 - 1 -> EINVAL", MEMLAYOUT_IOC_GET_RANGES,
	  F_SMALL, .want = -EINVAL },
	{ "GET_RANGES: size above a page -> E2BIG", MEMLAYOUT_IOC_GET_RANGES,
	  F_BIG, .want = -E2BIG },
	{ "GET_RANGES: non-zero byte past the struct -> E2BIG",
	  MEMLAYOUT_IOC_GET_RANGES, F_TAIL, .want = -E2BIG },
	{ "GET_RANGES: unknown flag -> EOPNOTSUPP", MEMLAYOUT_IOC_GET_RANGES,
	  F_FLAGS, .want = -EOPNOTSUPP },

	{ "GET_LAYOUT: as _IOWR -> ENOTTY", MEMLAYOUT_IOC_GET_LAYOUT,
	  F_OLD_NR, .want = -ENOTTY },
	{ "GET_LAYOUT: NULL argument -> EFAULT", MEMLAYOUT_IOC_GET_LAYOUT,
	  F_NULL, .want = -EFAULT },
	{ "GET_LAYOUT: struct runs into an unmapped page -> EFAULT",
	  MEMLAYOUT_IOC_GET_LAYOUT, F_TORN, .want = -EFAULT },
	{ "GET_LAYOUT: size VER0 - 1 -> EINVAL", MEMLAYOUT_IOC_GET_LAYOUT,
	  F_SMALL, .want = -EINVAL },
	{ "GET_LAYOUT: size above a page -> E2BIG", MEMLAYOUT_IOC_GET_LAYOUT,
	  F_BIG, .want = -E2BIG },
	{ "GET_LAYOUT: non-zero byte past the struct -> E2BIG",
	  MEMLAYOUT_IOC_GET_LAYOUT, F_TAIL, .want = -E2BIG },
	{ "GET_LAYOUT: unknown flag -> EOPNOTSUPP", MEMLAYOUT_IOC_GET_LAYOUT,
	  F_FLAGS, .want = -EOPNOTSUPP },

	{ "PROBE: its old _IOWR number -> ENOTTY", MEMLAYOUT_IOC_PROBE,
	  F_OLD_NR, .want = -ENOTTY },
	{ "PROBE: NULL argument -> EFAULT", MEMLAYOUT_IOC_PROBE, F_NULL,
	  .want = -EFAULT },
	{ "PROBE: struct runs into an unmapped page -> EFAULT",
	  MEMLAYOUT_IOC_PROBE, F_TORN, .want = -EFAULT },
	{ "PROBE: size VER0 - 1 -> EINVAL", MEMLAYOUT_IOC_PROBE, F_SMALL,
	  .want = -EINVAL },
	{ "PROBE: size above a page -> E2BIG", MEMLAYOUT_IOC_PROBE, F_BIG,
	  .want = -E2BIG },
	{ "PROBE: non-zero byte past the struct -> E2BIG", MEMLAYOUT_IOC_PROBE,
	  F_TAIL, .want = -E2BIG },
	{ "PROBE: unknown flag -> EOPNOTSUPP", MEMLAYOUT_IOC_PROBE, F_FLAGS,
	  .want = -EOPNOTSUPP },

	/* issue 9: GET_PLACEMENTS is framed as every command. */
	{ "GET_PLACEMENTS: as _IOWR -> ENOTTY", GET_PLACED, F_OLD_NR,
	  .want = -ENOTTY },
	{ "GET_PLACEMENTS: NULL argument -> EFAULT", GET_PLACED, F_NULL,
	  .want = -EFAULT },
	{ "GET_PLACEMENTS: struct runs into an unmapped page -> EFAULT",
	  GET_PLACED, F_TORN, .want = -EFAULT },
	{ "GET_PLACEMENTS: torn, size over a page -> E2BIG (nothing read)",
	  GET_PLACED, F_TORN_BIG, .want = -E2BIG },
	{ "GET_PLACEMENTS: size VER0 - 1 -> EINVAL", GET_PLACED, F_SMALL,
	  .want = -EINVAL },
	{ "GET_PLACEMENTS: size above a page -> E2BIG", GET_PLACED, F_BIG,
	  .want = -E2BIG },
	{ "GET_PLACEMENTS: non-zero byte past the struct -> E2BIG", GET_PLACED,
	  F_TAIL, .want = -E2BIG },
	{ "GET_PLACEMENTS: unknown flag -> EOPNOTSUPP", GET_PLACED, F_FLAGS,
	  .want = -EOPNOTSUPP },
	{ "GET_PLACEMENTS of a page, zero past the struct -> accepted",
	  GET_PLACED, .size = PAGE_SIZE },
	{ "GET_PLACEMENTS, no layout -> ENOENT", GET_PLACED,
	  .size = sizeof(struct memlayout_get_placements), .empty = true,
	  .want = -ENOENT },

	/* issue 7 (A1): only the exact _IO() numbers are commands. */
	{ "unassigned number 0x3f -> ENOTTY", _IO(MEMLAYOUT_IOC_MAGIC, 0x3f),
	  .size = 64, .want = -ENOTTY },
	{ "unassigned number 0x01 -> ENOTTY", _IO(MEMLAYOUT_IOC_MAGIC, 0x01),
	  .size = 64, .want = -ENOTTY },
	{ "unassigned number 0x15 -> ENOTTY", _IO(MEMLAYOUT_IOC_MAGIC, 0x15),
	  .size = 64, .want = -ENOTTY },
	{ "GET_INFO's number on another type byte -> ENOTTY", _IO(0xBB, 0x00),
	  .size = sizeof(struct memlayout_info), .want = -ENOTTY },
	{ "GET_INFO as _IOR -> ENOTTY",
	  _IOR(MEMLAYOUT_IOC_MAGIC, 0x00, struct memlayout_info),
	  .size = sizeof(struct memlayout_info), .want = -ENOTTY },
	{ "SET_LAYOUT as _IOW -> ENOTTY",
	  _IOW(MEMLAYOUT_IOC_MAGIC, 0x10, struct memlayout_set),
	  .size = sizeof(struct memlayout_set), .want = -ENOTTY },
	{ "PROBE with size bits 8 -> ENOTTY",
	  _IOC(_IOC_NONE, MEMLAYOUT_IOC_MAGIC, 0x20, 8),
	  .size = sizeof(struct memlayout_probe), .want = -ENOTTY },
	/* The accepted neighbours of the size rows. */
	{ "GET_INFO of VER0 size -> accepted", MEMLAYOUT_IOC_GET_INFO,
	  .size = MEMLAYOUT_INFO_SIZE_VER0 },
	{ "GET_INFO, 16 zero bytes past the struct -> accepted",
	  MEMLAYOUT_IOC_GET_INFO, .size = sizeof(struct memlayout_info) + 16 },
	{ "GET_STATS of a page, zero past the struct -> accepted",
	  MEMLAYOUT_IOC_GET_STATS, .size = PAGE_SIZE },
	{ "GET_STATS, no layout -> ENOENT", MEMLAYOUT_IOC_GET_STATS,
	  .size = sizeof(struct memlayout_stats), .empty = true,
	  .want = -ENOENT },
	{ "PROBE size 0 -> EINVAL", MEMLAYOUT_IOC_PROBE, .size = 0,
	  .want = -EINVAL },
	{ "SET_LAYOUT size 0 -> EINVAL, nothing written", SET_CMD, .size = 0,
	  .want = -EINVAL },
	/* issue 7 (A5): the reply's field is the first non-zero byte. */
	{ "SET_LAYOUT of a page, last byte non-zero -> E2BIG, field 4095",
	  SET_CMD, .size = PAGE_SIZE, .tail = PAGE_SIZE - 1, .want = -E2BIG,
	  .rule = R_SIZE, .field = PAGE_SIZE - 1 },
	/* issue 9: VER2 ends at byte 232 (place_reason). */
	{ "SET_LAYOUT, byte 232 non-zero -> E2BIG, field 232", SET_CMD,
	  .size = 264, .tail = 232, .want = -E2BIG, .rule = R_SIZE,
	  .field = 232 },
	{ "SET_LAYOUT over a page, non-zero tail -> E2BIG, field 0", SET_CMD,
	  .size = PAGE_SIZE + 8, .tail = 240, .want = -E2BIG, .rule = R_SIZE,
	  .field = 0 },
};

static void ioctl_frame_desc(const struct ioctl_frame_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_frame, ioctl_frame_cases, ioctl_frame_desc);

/* The first version's size of the struct of @cmd. */
static u32 ioctl_op_ver0(unsigned int cmd)
{
	switch (cmd) {
	case MEMLAYOUT_IOC_GET_INFO:
		return MEMLAYOUT_INFO_SIZE_VER0;
	case MEMLAYOUT_IOC_SET_LAYOUT:
		return MEMLAYOUT_SET_SIZE_VER0;
	case MEMLAYOUT_IOC_GET_STATS:
		return MEMLAYOUT_STATS_SIZE_VER0;
	case MEMLAYOUT_IOC_GET_RANGES:
		return MEMLAYOUT_GET_RANGES_SIZE_VER0;
	case MEMLAYOUT_IOC_GET_LAYOUT:
		return MEMLAYOUT_GET_LAYOUT_SIZE_VER0;
	case MEMLAYOUT_IOC_PROBE:
		return MEMLAYOUT_PROBE_SIZE_VER0;
	case MEMLAYOUT_IOC_GET_PLACEMENTS:
		return MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0;
	}
	return 0;
}

/**
 * ioctl_frame_row() - the struct a framing row describes
 * @t: the row.
 * @cmd: receives the command to call.
 * @row: receives the size, flags, tail and expected field.
 *
 * Every row's struct is all zero but for size, flags and at most one
 * non-zero byte.
 */
static void ioctl_frame_row(const struct ioctl_frame_case *t,
			    unsigned int *cmd, struct ioctl_frame_case *row)
{
	u32 size = ioctl_op_size(t->cmd);

	*row = *t;
	*cmd = t->cmd;
	switch (t->kind) {
	case F_OLD_NR:
		*cmd = _IOC(_IOC_READ | _IOC_WRITE, MEMLAYOUT_IOC_MAGIC,
			    _IOC_NR(t->cmd), size);
		row->size = size;
		break;
	case F_TORN:
		row->size = size;
		break;
	case F_TORN_BIG:
		row->size = PAGE_SIZE + 1;
		break;
	case F_SMALL:
		row->size = ioctl_op_ver0(t->cmd) - 1;
		break;
	case F_BIG:
		row->size = PAGE_SIZE + 1;
		row->field = 0;		/* the size member */
		break;
	case F_TAIL:
		row->size = size + 16;
		row->tail = size + 8;
		row->field = size + 8;
		break;
	case F_FLAGS:
		row->size = size;
		row->flags = 0x80000000;
		row->field = offsetof(struct memlayout_set, flags);
		break;
	}
}

/* STYLE "UAPI framing" rows: command, pointer, size, tail and flags. */
static void ioctl_rejects_bad_framing(struct kunit *test)
{
	const struct ioctl_frame_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	struct ioctl_frame_case row;
	unsigned long uarg = 0;
	u8 *before, *after;
	unsigned int cmd;
	u32 head[2], torn[2];
	size_t reply;

	ioctl_frame_row(t, &cmd, &row);
	head[0] = row.size;
	head[1] = row.flags;
	before = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	after = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	memcpy(before, head, sizeof(head));
	if (row.tail && row.tail < PAGE_SIZE)
		before[row.tail] = 1;
	ioctl_put(env, env->rw + IOCTL_ARG, before, PAGE_SIZE);
	if (row.kind == F_TORN || row.kind == F_TORN_BIG) {
		uarg = env->unmapped - sizeof(head);
		ioctl_put(env, uarg, head, sizeof(head));
	} else if (row.kind != F_NULL) {
		uarg = env->rw + IOCTL_ARG;
	}

	KUNIT_EXPECT_EQ(test, ioctl_call(env, cmd, uarg), row.want);

	ioctl_expect_intact(env);
	if (row.kind == F_TORN || row.kind == F_TORN_BIG) {
		ioctl_get(env, uarg, torn, sizeof(torn));
		KUNIT_EXPECT_EQ(test, memcmp(torn, head, sizeof(head)), 0);
	}
	ioctl_get(env, env->rw + IOCTL_ARG, after, PAGE_SIZE);
	if (!row.want) {
		/* Accepted: the reply covers min(size, kernel's size) only. */
		reply = min_t(size_t, row.size, ioctl_op_size(cmd));
		KUNIT_EXPECT_EQ(test, memcmp(after, before, sizeof(head)), 0);
		KUNIT_EXPECT_EQ(test, memcmp(after + reply, before + reply,
					     PAGE_SIZE - reply), 0);
		return;
	}
	if (row.rule) {
		/* SET_LAYOUT's reply: the reason, no generation, all else as read. */
		struct memlayout_set *s = (struct memlayout_set *)before;

		s->reason.rule = row.rule;
		s->reason.field = row.field;
	}
	KUNIT_EXPECT_EQ_MSG(test, memcmp(after, before, PAGE_SIZE), 0,
			    "reply: rule %u field %u, want rule %u field %u",
			    ((struct memlayout_set *)after)->reason.rule,
			    ((struct memlayout_set *)after)->reason.field,
			    row.rule, row.field);
}

/*
 * SET_LAYOUT's own checks and the SPEC rules, each on an otherwise valid
 * request that differs from a base request by a few members ("pokes").
 */

/* The base arrays, and where SET_LAYOUT rows poke. */
enum ioctl_where { IN_SET, IN_NODES, IN_RAM, IN_MMIO, IN_ECAM, IN_PMMIO };

/* Values only known at run time. */
enum ioctl_special {
	V_PLAIN,	/* the value as given */
	V_UNMAPPED,	/* an address in the unmapped page */
	V_TORN,		/* 8 bytes before the unmapped page */
	V_TOO_MANY,	/* max_ranges + 1 */
	V_PLACE_MAX,	/* 6 * max_ranges + 1: a request array too long (R8) */
};

/**
 * struct ioctl_poke - one member of a request set to a value
 * @where: an &enum ioctl_where.
 * @width: 4 or 8 bytes (0: unused entry).
 * @special: an &enum ioctl_special.
 * @off: byte offset in the struct or array.
 * @val: the value.
 */
struct ioctl_poke {
	u8 where;
	u8 width;
	u8 special;
	u16 off;
	u64 val;
};

/* A 4- or 8-byte member of struct memlayout_set. */
#define POKE32(m, v)	{ .where = IN_SET, .width = 4,			\
			  .off = offsetof(struct memlayout_set, m), .val = (v) }
#define POKE64(m, v)	{ .where = IN_SET, .width = 8,			\
			  .off = offsetof(struct memlayout_set, m), .val = (v) }
/* A run-time value for a member of struct memlayout_set. */
#define POKEX32(m, sp)	{ .where = IN_SET, .width = 4,			\
			  .off = offsetof(struct memlayout_set, m), .special = (sp) }
#define POKEX64(m, sp)	{ .where = IN_SET, .width = 8,			\
			  .off = offsetof(struct memlayout_set, m), .special = (sp) }
/* vnode or reserved (u32), start or end (u64) of range @i of list @w. */
#define POKE_R32(w, i, m, v) {						\
	.where = (w), .width = 4, .val = (v),				\
	.off = (i) * sizeof(struct memlayout_range) +			\
	       offsetof(struct memlayout_range, m) }
#define POKE_R64(w, i, m, v) {						\
	.where = (w), .width = 8, .val = (v),				\
	.off = (i) * sizeof(struct memlayout_range) +			\
	       offsetof(struct memlayout_range, m) }
/* Size of node @i. */
#define POKE_NODE(i, v)	{ .where = IN_NODES, .width = 8,			\
			  .off = (i) * sizeof(u64), .val = (v) }

/* A struct memlayout_reason, its field member an offset (or 0). */
#define REASON(r, l, i, ol, oi, f) {					\
	.rule = (r), .list = MEMLAYOUT_LIST_##l, .index = (i),		\
	.other_list = MEMLAYOUT_LIST_##ol, .other_index = (oi),		\
	.field = (f) }
/* A REASON_* about a member of struct memlayout_set itself. */
#define REASON_SET(r, m)						\
	REASON(MEMLAYOUT_REASON_##r, NONE, 0, NONE, 0,			\
	       offsetof(struct memlayout_set, m))
/* A REASON_* about a member of one range. */
#define REASON_RANGE(r, l, i, m)					\
	REASON(MEMLAYOUT_REASON_##r, l, i, NONE, 0,			\
	       offsetof(struct memlayout_range, m))
/* A SPEC rule; field is 0. */
#define REASON_RULE(r, l, i, ol, oi)					\
	REASON(MEMLAYOUT_RULE_##r, l, i, ol, oi, 0)

#define C1	MEMLAYOUT_SOURCE_SIZE
#define C2	MEMLAYOUT_SOURCE_NODES
#define C3	MEMLAYOUT_SOURCE_RANGES

/**
 * struct ioctl_set_case - one SET_LAYOUT request and its outcome
 * @desc: row name.
 * @source: the base request: C1, C2 or C3, each with one range in each
 *          hole list and VTL2.
 * @poke: what differs from the base request.
 * @want: the errno expected (0: accepted).
 * @reason: the reason the reply must carry.
 * @at_limit: @reason.index is the max_ranges parameter (R8).
 */
struct ioctl_set_case {
	const char *desc;
	u32 source;
	struct ioctl_poke poke[4];
	int want;
	struct memlayout_reason reason;
	bool at_limit;
};

/**
 * struct ioctl_set_arrays - the arrays of a SET_LAYOUT request
 * @nodes: C2's node sizes.
 * @ram: C3's RAM ranges.
 * @mmio: the MMIO gap.
 * @ecam: the PCI ECAM hole.
 * @pmmio: the PCI MMIO hole.
 */
struct ioctl_set_arrays {
	u64 nodes[2];
	struct memlayout_range ram[2];
	struct memlayout_range mmio;
	struct memlayout_range ecam;
	struct memlayout_range pmmio;
};

/*
 * Valid with every source: C1 places 3 GiB, C2 two 1 GiB nodes, C3 has
 * RAM [0, 1 GiB) and [4 GiB, 5 GiB); holes at 1, 2 and 3 GiB; VTL2 at
 * 1 TiB.
 */
static const struct ioctl_set_arrays ioctl_set_base = {
	.nodes = { SZ_1G, SZ_1G },
	.ram = {
		{ .start = 0, .end = SZ_1G, .vnode = 0 },
		{ .start = SZ_4G, .end = 5ULL * SZ_1G, .vnode = 1 },
	},
	.mmio = { .start = SZ_1G, .end = 2ULL * SZ_1G },
	.ecam = { .start = 2ULL * SZ_1G, .end = 2ULL * SZ_1G + SZ_256M },
	.pmmio = { .start = 3ULL * SZ_1G, .end = SZ_4G },
};

#define IOCTL_VTL2_START	SZ_1T
#define IOCTL_VTL2_END		(SZ_1T + SZ_1G)
#define IOCTL_ADDR		0x10000ULL	/* some non-zero user address */
#define IOCTL_MAX_ADDR		MEMLAYOUT_MAX_ADDRESS

static const struct ioctl_set_case ioctl_set_cases[] = {
	/* The base requests are valid: every rejection below is its poke's. */
	{ .desc = "C1 base -> accepted", .source = C1 },
	{ .desc = "C2 base -> accepted", .source = C2 },
	{ .desc = "C3 base -> accepted", .source = C3 },
	{ .desc = "C3, RAM vnode 0xffffffff -> accepted", .source = C3,
	  .poke = { POKE_R32(IN_RAM, 1, vnode, 0xffffffff) } },
	{ .desc = "C3 without VTL2 -> accepted", .source = C3,
	  .poke = { POKE32(flags, 0), POKE64(vtl2.start, 0),
		    POKE64(vtl2.end, 0) } },

	/* Flags and source (REASON_FLAGS). */
	{ .desc = "flag bit 2 -> EOPNOTSUPP, field flags", .source = C3,
	  .poke = { POKE32(flags, MEMLAYOUT_SET_VTL2 | 4) },
	  .want = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, flags) },
	{ .desc = "flag bit 31 -> EOPNOTSUPP, field flags", .source = C1,
	  .poke = { POKE32(flags, 0x80000001) },
	  .want = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, flags) },
	{ .desc = "source 0 -> EOPNOTSUPP, field source", .source = C3,
	  .poke = { POKE32(source, 0) },
	  .want = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, source) },
	{ .desc = "source 5 -> EOPNOTSUPP, field source", .source = C1,
	  .poke = { POKE32(source, 5) },
	  .want = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, source) },
	{ .desc = "source 0xffffffff -> EOPNOTSUPP, field source", .source = C2,
	  .poke = { POKE32(source, 0xffffffff) },
	  .want = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, source) },

	/* issue 7 (A6): the member the source does not use is named. */
	{ .desc = "C3 with ram_size -> EINVAL, field ram_size", .source = C3,
	  .poke = { POKE64(ram_size, SZ_1G) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, ram_size) },
	{ .desc = "C2 with ram_size -> EINVAL, field ram_size", .source = C2,
	  .poke = { POKE64(ram_size, SZ_1G) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, ram_size) },
	{ .desc = "C1 with nr_nodes -> EINVAL, field nr_nodes", .source = C1,
	  .poke = { POKE32(nr_nodes, 2) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nr_nodes) },
	{ .desc = "C1 with nodes_ptr -> EINVAL, field nodes_ptr", .source = C1,
	  .poke = { POKE64(nodes_ptr, IOCTL_ADDR) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nodes_ptr) },
	{ .desc = "C3 with a node list -> EINVAL, field nr_nodes", .source = C3,
	  .poke = { POKE32(nr_nodes, 2), POKE64(nodes_ptr, IOCTL_ADDR) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nr_nodes) },
	{ .desc = "C1 with a RAM list -> EINVAL, field nr_ram", .source = C1,
	  .poke = { POKE32(nr_ram, 2), POKE64(ram_ptr, IOCTL_ADDR) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nr_ram) },
	{ .desc = "C1 with ram_ptr -> EINVAL, field ram_ptr", .source = C1,
	  .poke = { POKE64(ram_ptr, IOCTL_ADDR) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, ram_ptr) },
	{ .desc = "C2 with nr_ram -> EINVAL, field nr_ram", .source = C2,
	  .poke = { POKE32(nr_ram, 1) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nr_ram) },
	{ .desc = "C2 with ram_ptr -> EINVAL, field ram_ptr", .source = C2,
	  .poke = { POKE64(ram_ptr, IOCTL_ADDR) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, ram_ptr) },

	/* VTL2's own members. */
	{ .desc = "VTL2 vnode 1 -> EINVAL, VTL2 0 field vnode", .source = C3,
	  .poke = { POKE32(vtl2.vnode, 1) },
	  .want = -EINVAL, .reason = REASON_RANGE(RESERVED, VTL2, 0, vnode) },
	{ .desc = "VTL2 reserved 1 -> EINVAL, VTL2 0 field reserved",
	  .source = C1, .poke = { POKE32(vtl2.reserved, 1) },
	  .want = -EINVAL, .reason = REASON_RANGE(RESERVED, VTL2, 0, reserved) },
	{ .desc = "VTL2 range without the flag -> EINVAL, field vtl2",
	  .source = C3, .poke = { POKE32(flags, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, vtl2) },
	{ .desc = "VTL2 reserved only, without the flag -> EINVAL, field vtl2",
	  .source = C3,
	  .poke = { POKE32(flags, 0), POKE64(vtl2.start, 0),
		    POKE64(vtl2.end, 0), POKE32(vtl2.reserved, 1) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, vtl2) },

	/* issue 7 (A4): a pointer and its count, both or neither. */
	{ .desc = "C2 nodes_ptr, nr_nodes 0 -> EINVAL, field nodes_ptr",
	  .source = C2, .poke = { POKE32(nr_nodes, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nodes_ptr) },
	{ .desc = "C2 nr_nodes, nodes_ptr 0 -> EINVAL, field nodes_ptr",
	  .source = C2, .poke = { POKE64(nodes_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, nodes_ptr) },
	{ .desc = "C3 ram_ptr, nr_ram 0 -> EINVAL, field ram_ptr",
	  .source = C3, .poke = { POKE32(nr_ram, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, ram_ptr) },
	{ .desc = "C3 nr_ram, ram_ptr 0 -> EINVAL, field ram_ptr",
	  .source = C3, .poke = { POKE64(ram_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, ram_ptr) },
	{ .desc = "mmio_ptr, nr_mmio 0 -> EINVAL, field mmio_ptr",
	  .source = C1, .poke = { POKE32(nr_mmio, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, mmio_ptr) },
	{ .desc = "nr_mmio, mmio_ptr 0 -> EINVAL, field mmio_ptr",
	  .source = C3, .poke = { POKE64(mmio_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, mmio_ptr) },
	{ .desc = "pci_ecam_ptr, nr_pci_ecam 0 -> EINVAL, field pci_ecam_ptr",
	  .source = C2, .poke = { POKE32(nr_pci_ecam, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, pci_ecam_ptr) },
	{ .desc = "nr_pci_ecam, pci_ecam_ptr 0 -> EINVAL, field pci_ecam_ptr",
	  .source = C1, .poke = { POKE64(pci_ecam_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, pci_ecam_ptr) },
	{ .desc = "pci_mmio_ptr, nr_pci_mmio 0 -> EINVAL, field pci_mmio_ptr",
	  .source = C3, .poke = { POKE32(nr_pci_mmio, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, pci_mmio_ptr) },
	{ .desc = "nr_pci_mmio, pci_mmio_ptr 0 -> EINVAL, field pci_mmio_ptr",
	  .source = C2, .poke = { POKE64(pci_mmio_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_SET(RESERVED, pci_mmio_ptr) },

	/* An array that cannot be read: -EFAULT, the reason all zero. */
	{ .desc = "C2 nodes unmapped -> EFAULT", .source = C2,
	  .poke = { POKEX64(nodes_ptr, V_UNMAPPED) }, .want = -EFAULT },
	{ .desc = "C3 RAM unmapped -> EFAULT", .source = C3,
	  .poke = { POKEX64(ram_ptr, V_UNMAPPED) }, .want = -EFAULT },
	{ .desc = "C3 RAM runs into an unmapped page -> EFAULT", .source = C3,
	  .poke = { POKEX64(ram_ptr, V_TORN) }, .want = -EFAULT },
	{ .desc = "MMIO unmapped -> EFAULT", .source = C1,
	  .poke = { POKEX64(mmio_ptr, V_UNMAPPED) }, .want = -EFAULT },
	{ .desc = "PCI ECAM unmapped -> EFAULT", .source = C3,
	  .poke = { POKEX64(pci_ecam_ptr, V_UNMAPPED) }, .want = -EFAULT },
	{ .desc = "PCI MMIO unmapped -> EFAULT", .source = C2,
	  .poke = { POKEX64(pci_mmio_ptr, V_UNMAPPED) }, .want = -EFAULT },

	/* Reserved and vnode members of the ranges (REASON_RESERVED). */
	{ .desc = "RAM 1 reserved -> EINVAL, RAM 1 field reserved", .source = C3,
	  .poke = { POKE_R32(IN_RAM, 1, reserved, 1) },
	  .want = -EINVAL, .reason = REASON_RANGE(RESERVED, RAM, 1, reserved) },
	{ .desc = "MMIO 0 vnode -> EINVAL, MMIO 0 field vnode", .source = C3,
	  .poke = { POKE_R32(IN_MMIO, 0, vnode, 1) },
	  .want = -EINVAL, .reason = REASON_RANGE(RESERVED, MMIO, 0, vnode) },
	{ .desc = "MMIO 0 reserved -> EINVAL, MMIO 0 field reserved",
	  .source = C1, .poke = { POKE_R32(IN_MMIO, 0, reserved, 1) },
	  .want = -EINVAL, .reason = REASON_RANGE(RESERVED, MMIO, 0, reserved) },
	{ .desc = "MMIO 0 vnode and reserved -> EINVAL, field reserved",
	  .source = C1, .poke = { POKE_R32(IN_MMIO, 0, vnode, 1),
				  POKE_R32(IN_MMIO, 0, reserved, 1) },
	  .want = -EINVAL, .reason = REASON_RANGE(RESERVED, MMIO, 0, reserved) },
	{ .desc = "PCI ECAM 0 vnode -> EINVAL, PCI_ECAM 0 field vnode",
	  .source = C2, .poke = { POKE_R32(IN_ECAM, 0, vnode, 7) },
	  .want = -EINVAL,
	  .reason = REASON_RANGE(RESERVED, PCI_ECAM, 0, vnode) },
	{ .desc = "PCI ECAM 0 reserved -> EINVAL, PCI_ECAM 0 field reserved",
	  .source = C3, .poke = { POKE_R32(IN_ECAM, 0, reserved, 1) },
	  .want = -EINVAL,
	  .reason = REASON_RANGE(RESERVED, PCI_ECAM, 0, reserved) },
	{ .desc = "PCI MMIO 0 vnode -> EINVAL, PCI_MMIO 0 field vnode",
	  .source = C3, .poke = { POKE_R32(IN_PMMIO, 0, vnode, 0x80000000) },
	  .want = -EINVAL,
	  .reason = REASON_RANGE(RESERVED, PCI_MMIO, 0, vnode) },
	{ .desc = "PCI MMIO 0 reserved -> EINVAL, PCI_MMIO 0 field reserved",
	  .source = C1, .poke = { POKE_R32(IN_PMMIO, 0, reserved, 1) },
	  .want = -EINVAL,
	  .reason = REASON_RANGE(RESERVED, PCI_MMIO, 0, reserved) },

	/* The documented check order: cheap members before copies. */
	{ .desc = "flag and ram_size under C3 -> the flag first", .source = C3,
	  .poke = { POKE32(flags, 4), POKE64(ram_size, SZ_1G) },
	  .want = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, flags) },
	{ .desc = "R8 on RAM and an MMIO vnode -> R8 first", .source = C3,
	  .poke = { POKEX32(nr_ram, V_TOO_MANY),
		    POKE_R32(IN_MMIO, 0, vnode, 1) },
	  .want = -E2BIG, .reason = REASON_RULE(TOO_MANY, RAM, 0, NONE, 0),
	  .at_limit = true },
	{ .desc = "unreadable MMIO and R2 on RAM -> EFAULT first", .source = C3,
	  .poke = { POKEX64(mmio_ptr, V_UNMAPPED),
		    POKE_R64(IN_RAM, 0, end, 4095) },
	  .want = -EFAULT },

	/* SPEC R8: -E2BIG, RULE_TOO_MANY at the limit, before any copy. */
	{ .desc = "R8: max_ranges + 1 RAM ranges -> E2BIG", .source = C3,
	  .poke = { POKEX32(nr_ram, V_TOO_MANY) },
	  .want = -E2BIG, .reason = REASON_RULE(TOO_MANY, RAM, 0, NONE, 0),
	  .at_limit = true },
	{ .desc = "R8: max_ranges + 1 MMIO gaps -> E2BIG", .source = C1,
	  .poke = { POKEX32(nr_mmio, V_TOO_MANY) },
	  .want = -E2BIG, .reason = REASON_RULE(TOO_MANY, MMIO, 0, NONE, 0),
	  .at_limit = true },
	{ .desc = "R8: max_ranges + 1 PCI ECAM holes -> E2BIG", .source = C2,
	  .poke = { POKEX32(nr_pci_ecam, V_TOO_MANY) },
	  .want = -E2BIG, .reason = REASON_RULE(TOO_MANY, PCI_ECAM, 0, NONE, 0),
	  .at_limit = true },
	{ .desc = "R8: max_ranges + 1 PCI MMIO holes -> E2BIG", .source = C3,
	  .poke = { POKEX32(nr_pci_mmio, V_TOO_MANY) },
	  .want = -E2BIG, .reason = REASON_RULE(TOO_MANY, PCI_MMIO, 0, NONE, 0),
	  .at_limit = true },
	{ .desc = "R8: max_ranges + 1 nodes -> E2BIG", .source = C2,
	  .poke = { POKEX32(nr_nodes, V_TOO_MANY) },
	  .want = -E2BIG, .reason = REASON_RULE(TOO_MANY, NODES, 0, NONE, 0),
	  .at_limit = true },

	/* The other SPEC rules, each with its errno and reason. */
	{ .desc = "R1: C1 ram_size 4095 -> EINVAL", .source = C1,
	  .poke = { POKE64(ram_size, 4095) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_SIZE, NONE, 0, NONE, 0) },
	{ .desc = "R1: C1 ram_size 0 -> EINVAL", .source = C1,
	  .poke = { POKE64(ram_size, 0) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_SIZE, NONE, 0, NONE, 0) },
	{ .desc = "R1: C2 node 1 of 4097 bytes -> EINVAL", .source = C2,
	  .poke = { POKE_NODE(1, 4097) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_SIZE, NODES, 1, NONE, 0) },
	{ .desc = "R1: C2 without a node -> EINVAL", .source = C2,
	  .poke = { POKE32(nr_nodes, 0), POKE64(nodes_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_SIZE, NODES, 0, NONE, 0) },
	{ .desc = "R2: empty MMIO gap -> EINVAL", .source = C1,
	  .poke = { POKE_R64(IN_MMIO, 0, end, SZ_1G) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_RANGE, MMIO, 0, NONE, 0) },
	{ .desc = "R2: RAM 1 starts unaligned -> EINVAL", .source = C3,
	  .poke = { POKE_R64(IN_RAM, 1, start, SZ_4G + 512) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_RANGE, RAM, 1, NONE, 0) },
	{ .desc = "R2: empty VTL2 -> EINVAL", .source = C2,
	  .poke = { POKE64(vtl2.end, IOCTL_VTL2_START) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_RANGE, VTL2, 0, NONE, 0) },
	{ .desc = "R3: RAM 1 starts inside RAM 0 -> EINVAL", .source = C3,
	  .poke = { POKE_R64(IN_RAM, 1, start, SZ_512M) },
	  .want = -EINVAL, .reason = REASON_RULE(BAD_ORDER, RAM, 1, NONE, 0) },
	{ .desc = "R4: RAM 1 over the MMIO gap -> EEXIST", .source = C3,
	  .poke = { POKE_R64(IN_RAM, 1, start, SZ_1G + SZ_512M) },
	  .want = -EEXIST, .reason = REASON_RULE(OVERLAP, MMIO, 0, RAM, 1) },
	{ .desc = "R4: VTL2 on RAM 1 -> EEXIST", .source = C3,
	  .poke = { POKE64(vtl2.start, SZ_4G),
		    POKE64(vtl2.end, 5ULL * SZ_1G) },
	  .want = -EEXIST, .reason = REASON_RULE(OVERLAP, RAM, 1, VTL2, 0) },
	{ .desc = "R5: C3 without RAM -> EINVAL", .source = C3,
	  .poke = { POKE32(nr_ram, 0), POKE64(ram_ptr, 0) },
	  .want = -EINVAL, .reason = REASON_RULE(NO_RAM, RAM, 0, NONE, 0) },
	{ .desc = "R6: C1 ram_size MAX_ADDRESS -> EOVERFLOW", .source = C1,
	  .poke = { POKE64(ram_size, IOCTL_MAX_ADDR) },
	  .want = -EOVERFLOW,
	  .reason = REASON_RULE(TOO_LARGE, NONE, 0, NONE, 0) },
	{ .desc = "R6: C2 node 1 of MAX_ADDRESS -> EOVERFLOW", .source = C2,
	  .poke = { POKE_NODE(1, IOCTL_MAX_ADDR) },
	  .want = -EOVERFLOW,
	  .reason = REASON_RULE(TOO_LARGE, NODES, 1, NONE, 0) },
	{ .desc = "R7: VTL2 below the end of RAM -> EINVAL", .source = C3,
	  .poke = { POKE64(vtl2.start, 2ULL * SZ_1G + SZ_256M),
		    POKE64(vtl2.end, 2ULL * SZ_1G + SZ_512M) },
	  .want = -EINVAL,
	  .reason = REASON_RULE(VTL2_BELOW_RAM, VTL2, 0, RAM, 1) },
};

static void ioctl_set_desc(const struct ioctl_set_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_set, ioctl_set_cases, ioctl_set_desc);

/* Resolves a poke's value, which may only be known at run time. */
static u64 ioctl_poke_value(struct ioctl_env *env, const struct ioctl_poke *p)
{
	switch (p->special) {
	case V_UNMAPPED:
		return env->unmapped;
	case V_TORN:
		return env->unmapped - 8;
	case V_TOO_MANY:
		return (u64)memlayout_max_ranges() + 1;
	case V_PLACE_MAX:
		return (u64)MEMLAYOUT_NR_CLASSES * memlayout_max_ranges() + 1;
	}
	return p->val;
}

/* Writes @p's value at its offset in @base (a struct or an array). */
static void ioctl_poke_apply(struct ioctl_env *env, const struct ioctl_poke *p,
			     void *base)
{
	u64 v = ioctl_poke_value(env, p);
	u32 v32 = v;

	if (p->width == sizeof(u64))
		memcpy(base + p->off, &v, sizeof(v));
	else
		memcpy(base + p->off, &v32, sizeof(v32));
}

/**
 * ioctl_set_request() - write a row's request and its arrays to user memory
 * @env: the test.
 * @t: the row.
 * @s: receives the struct as written.
 */
static void ioctl_set_request(struct ioctl_env *env,
			      const struct ioctl_set_case *t,
			      struct memlayout_set *s)
{
	struct ioctl_set_arrays a = ioctl_set_base;
	unsigned long ua = env->rw + IOCTL_ARRAYS;
	void *where[] = {
		[IN_SET] = s, [IN_NODES] = a.nodes, [IN_RAM] = a.ram,
		[IN_MMIO] = &a.mmio, [IN_ECAM] = &a.ecam, [IN_PMMIO] = &a.pmmio,
	};
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->flags = MEMLAYOUT_SET_VTL2;
	s->source = t->source;
	s->vtl2.start = IOCTL_VTL2_START;
	s->vtl2.end = IOCTL_VTL2_END;
	if (t->source == C1) {
		s->ram_size = 3ULL * SZ_1G;
	} else if (t->source == C2) {
		s->nr_nodes = ARRAY_SIZE(a.nodes);
		s->nodes_ptr = ua;
	} else {
		s->nr_ram = ARRAY_SIZE(a.ram);
		s->ram_ptr = ua + 256;
	}
	s->nr_mmio = 1;
	s->mmio_ptr = ua + 512;
	s->nr_pci_ecam = 1;
	s->pci_ecam_ptr = ua + 768;
	s->nr_pci_mmio = 1;
	s->pci_mmio_ptr = ua + 1024;

	for (i = 0; i < ARRAY_SIZE(t->poke) && t->poke[i].width; i++)
		ioctl_poke_apply(env, &t->poke[i], where[t->poke[i].where]);

	ioctl_put(env, ua, a.nodes, sizeof(a.nodes));
	ioctl_put(env, ua + 256, a.ram, sizeof(a.ram));
	ioctl_put(env, ua + 512, &a.mmio, sizeof(a.mmio));
	ioctl_put(env, ua + 768, &a.ecam, sizeof(a.ecam));
	ioctl_put(env, ua + 1024, &a.pmmio, sizeof(a.pmmio));
	/* A reply that does not overwrite these keeps the mark. */
	memset(&s->reason, IOCTL_MARK, sizeof(s->reason));
	memset(&s->generation, IOCTL_MARK, sizeof(s->generation));
}

/* Every reason member, named on failure. */
static void ioctl_expect_reason(struct kunit *test,
				const struct memlayout_reason *got,
				const struct memlayout_reason *want)
{
	KUNIT_EXPECT_EQ_MSG(test, got->rule, want->rule, "reason.rule");
	KUNIT_EXPECT_EQ_MSG(test, got->list, want->list, "reason.list");
	KUNIT_EXPECT_EQ_MSG(test, got->index, want->index, "reason.index");
	KUNIT_EXPECT_EQ_MSG(test, got->other_list, want->other_list,
			    "reason.other_list");
	KUNIT_EXPECT_EQ_MSG(test, got->other_index, want->other_index,
			    "reason.other_index");
	KUNIT_EXPECT_EQ_MSG(test, got->field, want->field, "reason.field");
}

/* SET_LAYOUT's checks and the SPEC rules, one row each. */
static void ioctl_set_layout_rows(struct kunit *test)
{
	const struct ioctl_set_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, true);
	struct memlayout_reason want = t->reason;
	unsigned long us = env->rw + IOCTL_ARG;
	u8 guard[32], back[sizeof(guard)];
	struct memlayout_set s, out;

	ioctl_set_request(env, t, &s);
	ioctl_put(env, us, &s, sizeof(s));
	memset(guard, IOCTL_MARK, sizeof(guard));
	ioctl_put(env, us + sizeof(s), guard, sizeof(guard));

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us),
			t->want);

	ioctl_get(env, us, &out, sizeof(out));
	ioctl_get(env, us + sizeof(s), back, sizeof(back));
	/* The input members are as given; nothing past the struct is written. */
	KUNIT_EXPECT_EQ(test, memcmp(&out, &s, offsetof(struct memlayout_set, reason)),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(back, guard, sizeof(guard)), 0);
	if (!t->want) {
		struct memlayout_reason none = {};

		ioctl_expect_reason(test, &out.reason, &none);
		KUNIT_EXPECT_EQ(test, out.generation, env->generation + 1);
		KUNIT_EXPECT_EQ(test, env->f->generation, env->generation + 1);
		KUNIT_EXPECT_PTR_NE(test, rcu_access_pointer(env->f->layout),
				    env->layout);
		return;
	}
	if (t->at_limit)
		want.index = memlayout_max_ranges();
	/* issue 7 (A5): a rejection always writes its reply, never a generation. */
	ioctl_expect_reason(test, &out.reason, &want);
	KUNIT_EXPECT_EQ(test, out.generation, 0);
	ioctl_expect_intact(env);
}

/*
 * The reply of SET_LAYOUT cannot be written: the struct's input members
 * are on a read-write page, its reason and generation on a read-only one.
 */

/**
 * struct ioctl_reply_case - a SET_LAYOUT whose reply page is read-only
 * @desc: row name.
 * @size: the struct's size member.
 * @flags: its flags member.
 * @ram_size: its ram_size member (C1).
 */
struct ioctl_reply_case {
	const char *desc;
	u32 size;
	u32 flags;
	u64 ram_size;
};

static const struct ioctl_reply_case ioctl_reply_cases[] = {
	{ .desc = "accepted layout, reply unwritable -> EFAULT, not published",
	  .size = sizeof(struct memlayout_set), .ram_size = 3ULL * SZ_1G },
	{ .desc = "R1 rejection, reply unwritable -> EFAULT",
	  .size = sizeof(struct memlayout_set), .ram_size = 4095 },
	{ .desc = "unknown flag, reply unwritable -> EFAULT",
	  .size = sizeof(struct memlayout_set), .flags = 4,
	  .ram_size = 3ULL * SZ_1G },
	{ .desc = "size over a page, reply unwritable -> EFAULT",
	  .size = PAGE_SIZE + 1, .ram_size = 3ULL * SZ_1G },
};

static void ioctl_reply_desc(const struct ioctl_reply_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_reply, ioctl_reply_cases, ioctl_reply_desc);

/* SPEC: a SET_LAYOUT that fails, here on its reply, changes nothing. */
static void ioctl_set_reply_unwritable(struct kunit *test)
{
	const struct ioctl_reply_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, true);
	struct memlayout_range mmio = { .start = SZ_1G, .end = 2ULL * SZ_1G };
	struct memlayout_set s = {
		.size = t->size,
		.flags = t->flags,
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = t->ram_size,
		.nr_mmio = 1,
	};
	size_t in = offsetof(struct memlayout_set, reason);
	unsigned long us = env->ro - in;
	struct memlayout_set back;

	s.mmio_ptr = env->rw + IOCTL_ARRAYS;
	ioctl_put(env, s.mmio_ptr, &mmio, sizeof(mmio));
	/* Reason and generation fall on the read-only page, which reads 0. */
	ioctl_put(env, us, &s, in);

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us),
			-EFAULT);
	ioctl_expect_intact(env);
	/* The caller's input members are as it wrote them. */
	ioctl_get(env, us, &back, in);
	KUNIT_EXPECT_EQ(test, memcmp(&back, &s, in), 0);
}

/**
 * struct ioctl_answer_case - a query whose reply lands on a read-only page
 * @desc: row name.
 * @cmd: the command.
 * @in: bytes of its struct before the read-only page (its input members).
 */
struct ioctl_answer_case {
	const char *desc;
	unsigned int cmd;
	u32 in;
};

static const struct ioctl_answer_case ioctl_answer_cases[] = {
	{ "GET_INFO, reply unwritable -> EFAULT", MEMLAYOUT_IOC_GET_INFO,
	  offsetof(struct memlayout_info, api_version) },
	{ "GET_STATS, reply unwritable -> EFAULT", MEMLAYOUT_IOC_GET_STATS,
	  offsetof(struct memlayout_stats, present) },
	{ "GET_RANGES, reply unwritable -> EFAULT", MEMLAYOUT_IOC_GET_RANGES,
	  offsetof(struct memlayout_get_ranges, generation) },
	{ "PROBE, reply unwritable -> EFAULT", MEMLAYOUT_IOC_PROBE,
	  offsetof(struct memlayout_probe, generation) },
	{ "GET_LAYOUT, reply unwritable -> EFAULT", MEMLAYOUT_IOC_GET_LAYOUT,
	  offsetof(struct memlayout_get_layout, generation) },
	{ "GET_PLACEMENTS, reply unwritable -> EFAULT", GET_PLACED,
	  offsetof(struct memlayout_get_placements, generation) },
};

static void ioctl_answer_desc(const struct ioctl_answer_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_answer, ioctl_answer_cases, ioctl_answer_desc);

/*
 * The queries answer, then write the reply back: an answer that cannot be
 * written is -EFAULT, and the caller's input members stay as written.
 */
static void ioctl_answer_unwritable(struct kunit *test)
{
	const struct ioctl_answer_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, true);
	union {
		struct memlayout_info info;
		struct memlayout_stats stats;
		struct memlayout_get_ranges g;
		struct memlayout_probe p;
		struct memlayout_get_layout m;
		struct memlayout_get_placements pl;
	} arg = {}, back;
	static const u64 addrs[] = { 0, SZ_1G, SZ_4G - 1 };
	unsigned long uarg = env->ro - t->in;

	arg.info.size = ioctl_op_size(t->cmd);
	if (t->cmd == MEMLAYOUT_IOC_GET_RANGES) {
		arg.g.list = MEMLAYOUT_LIST_RAM;
		arg.g.count = ARRAY_SIZE(preset_ram);
		arg.g.ranges_ptr = env->rw + IOCTL_OUT;
	} else if (t->cmd == MEMLAYOUT_IOC_PROBE) {
		arg.p.count = ARRAY_SIZE(addrs);
		arg.p.addrs_ptr = env->rw + IOCTL_OUT;
		arg.p.kinds_ptr = env->rw + IOCTL_OUT + 512;
		ioctl_put(env, arg.p.addrs_ptr, addrs, sizeof(addrs));
	} else if (t->cmd == MEMLAYOUT_IOC_GET_LAYOUT) {
		arg.m.count = ARRAY_SIZE(preset_map);
		arg.m.entries_ptr = env->rw + IOCTL_OUT;
	}
	ioctl_put(env, uarg, &arg, t->in);

	KUNIT_EXPECT_EQ(test, ioctl_call(env, t->cmd, uarg), -EFAULT);
	ioctl_expect_intact(env);
	ioctl_get(env, uarg, &back, t->in);
	KUNIT_EXPECT_EQ(test, memcmp(&back, &arg, t->in), 0);
}

/* SPEC R4 through the ioctl on an empty file: no layout appears. */
static void ioctl_rejection_on_empty_file(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, false);
	struct memlayout_range ram = { .start = 0, .end = 2ULL * SZ_1G };
	struct memlayout_range mmio = { .start = SZ_1G, .end = 3ULL * SZ_1G };
	struct memlayout_stats st = { .size = sizeof(st) };
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_RANGES,
		.nr_ram = 1,
		.nr_mmio = 1,
	};
	struct memlayout_reason want = REASON_RULE(OVERLAP, RAM, 0, MMIO, 0);
	unsigned long us = env->rw + IOCTL_ARG;

	s.ram_ptr = env->rw + IOCTL_ARRAYS;
	ioctl_put(env, s.ram_ptr, &ram, sizeof(ram));
	s.mmio_ptr = env->rw + IOCTL_ARRAYS + 512;
	ioctl_put(env, s.mmio_ptr, &mmio, sizeof(mmio));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us),
			-EEXIST);
	ioctl_get(env, us, &s, sizeof(s));
	ioctl_expect_reason(test, &s.reason, &want);
	KUNIT_EXPECT_EQ(test, s.generation, 0);
	ioctl_expect_intact(env);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(env->f->layout));
	us = env->rw + IOCTL_OUT;
	ioctl_put(env, us, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_STATS, us),
			-ENOENT);
}

/*
 * GET_RANGES. The preset layout has 2 RAM ranges, 1 MMIO gap, 1 PCI ECAM
 * hole, no PCI MMIO hole and VTL2.
 */

/* Where a GET_RANGES or PROBE array is. */
enum ioctl_buf {
	BUF_NONE,	/* a NULL pointer */
	BUF_OK,		/* read-write memory */
	BUF_RO,		/* the read-only page */
	BUF_UNMAPPED,	/* the unmapped page */
	BUF_TORN_RO,	/* its second element on the read-only page */
	BUF_TORN,	/* its 18th element on the unmapped page */
};

/**
 * struct ioctl_ranges_case - one GET_RANGES
 * @desc: row name.
 * @empty: the file holds no layout.
 * @flags: the flags member.
 * @list: the list member.
 * @count: the count member.
 * @buf: where ranges_ptr points, an &enum ioctl_buf.
 * @want: the errno expected.
 * @reply: the struct is written back (count and generation).
 * @want_count: the count written back.
 */
struct ioctl_ranges_case {
	const char *desc;
	bool empty;
	u32 flags;
	u32 list;
	u32 count;
	u8 buf;
	int want;
	bool reply;
	u32 want_count;
};

static const struct ioctl_ranges_case ioctl_ranges_cases[] = {
	{ .desc = "RAM, room for 2 -> 2 ranges", .list = MEMLAYOUT_LIST_RAM,
	  .count = 2, .buf = BUF_OK, .reply = true, .want_count = 2 },
	{ .desc = "RAM, room for 8 -> 2 ranges", .list = MEMLAYOUT_LIST_RAM,
	  .count = 8, .buf = BUF_OK, .reply = true, .want_count = 2 },
	{ .desc = "VTL2 -> its range", .list = MEMLAYOUT_LIST_VTL2,
	  .count = 1, .buf = BUF_OK, .reply = true, .want_count = 1 },
	{ .desc = "empty PCI MMIO list, size query -> 0, count 0",
	  .list = MEMLAYOUT_LIST_PCI_MMIO, .reply = true },
	{ .desc = "empty PCI MMIO list, unmapped buffer -> 0, not touched",
	  .list = MEMLAYOUT_LIST_PCI_MMIO, .count = 4, .buf = BUF_UNMAPPED,
	  .reply = true },
	{ .desc = "RAM, size query -> EMSGSIZE, count 2",
	  .list = MEMLAYOUT_LIST_RAM, .want = -EMSGSIZE, .reply = true,
	  .want_count = 2 },
	{ .desc = "RAM, room for 1 -> EMSGSIZE, count 2, nothing copied",
	  .list = MEMLAYOUT_LIST_RAM, .count = 1, .buf = BUF_OK,
	  .want = -EMSGSIZE, .reply = true, .want_count = 2 },
	{ .desc = "flag bit 0 -> EOPNOTSUPP", .flags = 1,
	  .list = MEMLAYOUT_LIST_RAM, .count = 2, .buf = BUF_OK,
	  .want = -EOPNOTSUPP },
	{ .desc = "list NONE -> EOPNOTSUPP", .list = MEMLAYOUT_LIST_NONE,
	  .count = 2, .buf = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "list NODES -> EOPNOTSUPP", .list = MEMLAYOUT_LIST_NODES,
	  .count = 2, .buf = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "list PLACE (7) -> EOPNOTSUPP", .list = MEMLAYOUT_LIST_PLACE,
	  .count = 2,
	  .buf = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "list 0xffffffff -> EOPNOTSUPP", .list = 0xffffffff,
	  .count = 2, .buf = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "count 2 without a pointer -> EINVAL",
	  .list = MEMLAYOUT_LIST_RAM, .count = 2, .want = -EINVAL },
	{ .desc = "a pointer with count 0 -> EINVAL",
	  .list = MEMLAYOUT_LIST_RAM, .buf = BUF_OK, .want = -EINVAL },
	{ .desc = "no layout -> ENOENT", .empty = true,
	  .list = MEMLAYOUT_LIST_RAM, .count = 2, .buf = BUF_OK,
	  .want = -ENOENT },
	{ .desc = "no layout, size query -> ENOENT", .empty = true,
	  .list = MEMLAYOUT_LIST_MMIO, .want = -ENOENT },
	{ .desc = "unmapped buffer -> EFAULT", .list = MEMLAYOUT_LIST_RAM,
	  .count = 2, .buf = BUF_UNMAPPED, .want = -EFAULT },
	{ .desc = "read-only buffer -> EFAULT", .list = MEMLAYOUT_LIST_MMIO,
	  .count = 1, .buf = BUF_RO, .want = -EFAULT },
	{ .desc = "second range on a read-only page -> EFAULT",
	  .list = MEMLAYOUT_LIST_RAM, .count = 2, .buf = BUF_TORN_RO,
	  .want = -EFAULT },
};

static void ioctl_ranges_desc(const struct ioctl_ranges_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_ranges, ioctl_ranges_cases, ioctl_ranges_desc);

/* User address of an array of @n elements of @size bytes, by @buf. */
static unsigned long ioctl_buf_addr(struct ioctl_env *env, u8 buf, size_t size,
				    unsigned long ok)
{
	switch (buf) {
	case BUF_OK:
		return ok;
	case BUF_RO:
		return env->ro;
	case BUF_UNMAPPED:
		return env->unmapped;
	case BUF_TORN_RO:
		return env->ro - size;
	case BUF_TORN:
		return env->unmapped - 17 * size;
	}
	return 0;
}

/* The i-th range of @list in the preset layout. */
static const struct memlayout_range *ioctl_preset_range(u32 list, u32 i)
{
	switch (list) {
	case MEMLAYOUT_LIST_RAM:
		return &preset_ram[i];
	case MEMLAYOUT_LIST_MMIO:
		return &preset_mmio[i];
	case MEMLAYOUT_LIST_PCI_ECAM:
		return &preset_ecam[i];
	}
	return &preset_vtl2;
}

/* GET_RANGES, one row each: errno, reply, buffer, file. */
static void ioctl_get_ranges_rows(struct kunit *test)
{
	const struct ioctl_ranges_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	unsigned long ug = env->rw + IOCTL_ARG, ubuf = env->rw + IOCTL_OUT;
	struct memlayout_get_ranges g = {
		.size = sizeof(g),
		.flags = t->flags,
		.list = t->list,
		.count = t->count,
		.generation = 0xa5a5a5a5a5a5a5a5ULL,
	};
	struct memlayout_get_ranges out;
	struct memlayout_range r, mark;
	u32 i;

	memset(&mark, IOCTL_MARK, sizeof(mark));
	ioctl_fill(env, ubuf, IOCTL_MARK, PAGE_SIZE);
	g.ranges_ptr = ioctl_buf_addr(env, t->buf, sizeof(r), ubuf);
	ioctl_put(env, ug, &g, sizeof(g));

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_RANGES, ug),
			t->want);
	ioctl_expect_intact(env);

	ioctl_get(env, ug, &out, sizeof(out));
	if (t->reply) {
		KUNIT_EXPECT_EQ(test, out.count, t->want_count);
		KUNIT_EXPECT_EQ(test, out.generation, env->generation);
		g.count = out.count;
		g.generation = out.generation;
	}
	/* Nothing but count and generation is written, and only with a reply. */
	KUNIT_EXPECT_EQ(test, memcmp(&out, &g, sizeof(g)), 0);

	if (t->buf != BUF_OK)
		return;
	for (i = 0; i < PAGE_SIZE / sizeof(r); i++) {
		ioctl_get(env, ubuf + i * sizeof(r), &r, sizeof(r));
		if (!t->want && i < t->want_count) {
			const struct memlayout_range *want =
				ioctl_preset_range(t->list, i);

			KUNIT_EXPECT_EQ_MSG(test, r.start, want->start, "range %u", i);
			KUNIT_EXPECT_EQ_MSG(test, r.end, want->end, "range %u", i);
			KUNIT_EXPECT_EQ_MSG(test, r.vnode, want->vnode, "range %u", i);
			KUNIT_EXPECT_EQ_MSG(test, r.reserved, 0, "range %u", i);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, memcmp(&r, &mark, sizeof(r)), 0,
					    "range %u written", i);
		}
	}
}

/* PROBE. */

/**
 * struct ioctl_probe_case - one PROBE
 * @desc: row name.
 * @empty: the file holds no layout.
 * @flags: the flags member.
 * @reserved: the reserved member.
 * @count: the count member, or 0 with @too_many.
 * @too_many: count is max_probe + 1.
 * @addrs: where addrs_ptr points, an &enum ioctl_buf.
 * @kinds: where kinds_ptr points.
 * @ranges: where ranges_ptr points (%BUF_NONE: 0).
 * @ver0: the struct's size is %MEMLAYOUT_PROBE_SIZE_VER0, which ends
 *        before ranges_ptr (the member is still written after it).
 * @want: the errno expected.
 */
struct ioctl_probe_case {
	const char *desc;
	bool empty;
	u32 flags;
	u32 reserved;
	u32 count;
	bool too_many;
	u8 addrs;
	u8 kinds;
	u8 ranges;
	bool ver0;
	int want;
};

static const struct ioctl_probe_case ioctl_probe_cases[] = {
	{ .desc = "12 addresses -> their kinds", .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK },
	{ .desc = "100 addresses (page buffer) -> their kinds", .count = 100,
	  .addrs = BUF_OK, .kinds = BUF_OK },
	{ .desc = "count 0, no arrays -> 0, the generation" },
	{ .desc = "flag bit 0 -> EOPNOTSUPP", .flags = 1, .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "reserved 1 -> EINVAL", .reserved = 1, .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK, .want = -EINVAL },
	{ .desc = "max_probe + 1 addresses -> E2BIG", .too_many = true,
	  .addrs = BUF_OK, .kinds = BUF_OK, .want = -E2BIG },
	{ .desc = "count 0xffffffff -> E2BIG", .count = 0xffffffff,
	  .addrs = BUF_OK, .kinds = BUF_OK, .want = -E2BIG },
	{ .desc = "count 0 with addrs_ptr -> EINVAL", .addrs = BUF_OK,
	  .want = -EINVAL },
	{ .desc = "count 0 with kinds_ptr -> EINVAL", .kinds = BUF_OK,
	  .want = -EINVAL },
	{ .desc = "count 12 without addrs_ptr -> EINVAL", .count = 12,
	  .kinds = BUF_OK, .want = -EINVAL },
	{ .desc = "count 12 without kinds_ptr -> EINVAL", .count = 12,
	  .addrs = BUF_OK, .want = -EINVAL },
	{ .desc = "no layout -> ENOENT", .empty = true, .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK, .want = -ENOENT },
	{ .desc = "no layout, count 0 -> ENOENT", .empty = true,
	  .want = -ENOENT },
	{ .desc = "unmapped addresses -> EFAULT", .count = 12,
	  .addrs = BUF_UNMAPPED, .kinds = BUF_OK, .want = -EFAULT },
	{ .desc = "addresses run into an unmapped page -> EFAULT", .count = 40,
	  .addrs = BUF_TORN, .kinds = BUF_OK, .want = -EFAULT },
	{ .desc = "unmapped kinds -> EFAULT", .count = 12, .addrs = BUF_OK,
	  .kinds = BUF_UNMAPPED, .want = -EFAULT },
	{ .desc = "read-only kinds -> EFAULT", .count = 12, .addrs = BUF_OK,
	  .kinds = BUF_RO, .want = -EFAULT },
	{ .desc = "100 kinds, read-only past the first -> EFAULT", .count = 100,
	  .addrs = BUF_OK, .kinds = BUF_TORN_RO, .want = -EFAULT },

	/* issue 8: the covering ranges. */
	{ .desc = "12 addresses with ranges -> kinds and ranges", .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_OK },
	{ .desc = "100 addresses with ranges -> kinds and ranges",
	  .count = 100, .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_OK },
	{ .desc = "1 address with ranges -> its kind and range", .count = 1,
	  .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_OK },
	{ .desc = "ranges_ptr with count 0 -> EINVAL", .ranges = BUF_OK,
	  .want = -EINVAL },
	{ .desc = "ranges_ptr, count 0, no layout -> EINVAL first",
	  .empty = true, .ranges = BUF_OK, .want = -EINVAL },
	{ .desc = "VER0 size: ranges_ptr past it is ignored", .ver0 = true,
	  .count = 12, .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_OK },
	{ .desc = "VER0 size, 100 addresses: ranges_ptr ignored",
	  .ver0 = true, .count = 100, .addrs = BUF_OK, .kinds = BUF_OK,
	  .ranges = BUF_OK },
	{ .desc = "ranges with no layout -> ENOENT", .empty = true,
	  .count = 12, .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_OK,
	  .want = -ENOENT },
	{ .desc = "ranges, flag bit 0 -> EOPNOTSUPP", .flags = 1, .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_OK,
	  .want = -EOPNOTSUPP },
	{ .desc = "unmapped ranges -> EFAULT", .count = 12, .addrs = BUF_OK,
	  .kinds = BUF_OK, .ranges = BUF_UNMAPPED, .want = -EFAULT },
	{ .desc = "read-only ranges -> EFAULT", .count = 12, .addrs = BUF_OK,
	  .kinds = BUF_OK, .ranges = BUF_RO, .want = -EFAULT },
	{ .desc = "second range on a read-only page -> EFAULT", .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_OK, .ranges = BUF_TORN_RO,
	  .want = -EFAULT },
	{ .desc = "ranges, unmapped addresses -> EFAULT", .count = 12,
	  .addrs = BUF_UNMAPPED, .kinds = BUF_OK, .ranges = BUF_OK,
	  .want = -EFAULT },
	{ .desc = "ranges, read-only kinds -> EFAULT", .count = 12,
	  .addrs = BUF_OK, .kinds = BUF_RO, .ranges = BUF_OK, .want = -EFAULT },
};

static void ioctl_probe_desc(const struct ioctl_probe_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_probe, ioctl_probe_cases, ioctl_probe_desc);

/* SPEC Q9 kinds of the preset layout, as a linear scan gives them. */
static u32 ioctl_preset_kind(u64 addr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(preset_ram); i++)
		if (preset_ram[i].start <= addr && addr < preset_ram[i].end)
			return MEMLAYOUT_KIND_RAM;
	if (preset_mmio[0].start <= addr && addr < preset_mmio[0].end)
		return MEMLAYOUT_KIND_MMIO;
	if (preset_ecam[0].start <= addr && addr < preset_ecam[0].end)
		return MEMLAYOUT_KIND_PCI_ECAM;
	return MEMLAYOUT_KIND_NONE;	/* VTL2 included */
}

/* Number of ranges of @list in the preset layout. */
static u32 ioctl_preset_count(u32 list)
{
	switch (list) {
	case MEMLAYOUT_LIST_RAM:
		return ARRAY_SIZE(preset_ram);
	case MEMLAYOUT_LIST_MMIO:
		return ARRAY_SIZE(preset_mmio);
	case MEMLAYOUT_LIST_PCI_ECAM:
		return ARRAY_SIZE(preset_ecam);
	}
	return 0;
}

/*
 * The range of the preset layout that covers @addr, with its index in its
 * own list, as PROBE's ranges_ptr must give it (issue 8); a linear scan.
 */
static struct memlayout_probe_range ioctl_preset_covering(u64 addr)
{
	struct memlayout_probe_range pr = { .index = MEMLAYOUT_PROBE_NO_RANGE };
	const struct memlayout_range *r;
	u32 list, i;

	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		for (i = 0; i < ioctl_preset_count(list); i++) {
			r = ioctl_preset_range(list, i);
			if (r->start <= addr && addr < r->end) {
				pr.start = r->start;
				pr.end = r->end;
				pr.vnode = r->vnode;
				pr.index = i;
			}
		}
	}
	return pr;
}

/* Expects @got to be exactly @want, naming the address. */
static void ioctl_expect_covering(struct kunit *test, u64 addr,
				  const struct memlayout_probe_range *got,
				  const struct memlayout_probe_range *want)
{
	KUNIT_EXPECT_EQ_MSG(test, got->start, want->start, "address %#llx", addr);
	KUNIT_EXPECT_EQ_MSG(test, got->end, want->end, "address %#llx", addr);
	KUNIT_EXPECT_EQ_MSG(test, got->vnode, want->vnode, "address %#llx", addr);
	KUNIT_EXPECT_EQ_MSG(test, got->index, want->index, "address %#llx", addr);
}

/* A buffer ioctl_buf_addr() puts where a copy fails, at least in part. */
static bool ioctl_buf_faults(u8 buf)
{
	return buf == BUF_RO || buf == BUF_UNMAPPED || buf == BUF_TORN_RO ||
	       buf == BUF_TORN;
}

/* PROBE, one row each: errno, reply, kinds, file. */
static void ioctl_probe_rows(struct kunit *test)
{
	const struct ioctl_probe_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	unsigned long up = env->rw + IOCTL_ARG;
	unsigned long uaddrs = env->rw + IOCTL_OUT;
	unsigned long ukinds = env->rw + IOCTL_OUT + PAGE_SIZE / 2;
	unsigned long uranges = env->rw + IOCTL_ARRAYS;
	struct memlayout_probe p = {
		.size = t->ver0 ? MEMLAYOUT_PROBE_SIZE_VER0 : sizeof(p),
		.flags = t->flags,
		.count = t->too_many ? MEMLAYOUT_MAX_PROBE + 1 : t->count,
		.reserved = t->reserved,
		.generation = 0xa5a5a5a5a5a5a5a5ULL,
	};
	struct memlayout_probe_range r, want, mark;
	struct memlayout_probe out;
	u32 i, kind, n = min_t(u32, t->count, 100);
	bool partial;
	u64 addr;

	KUNIT_ASSERT_LE(test, n * sizeof(addr), PAGE_SIZE / 2);
	KUNIT_ASSERT_LE(test, n * sizeof(r), PAGE_SIZE);
	ioctl_fill(env, ukinds, IOCTL_MARK, PAGE_SIZE / 2);
	ioctl_fill(env, uranges, IOCTL_MARK, PAGE_SIZE);
	memset(&mark, IOCTL_MARK, sizeof(mark));
	p.addrs_ptr = ioctl_buf_addr(env, t->addrs, sizeof(addr), uaddrs);
	p.kinds_ptr = ioctl_buf_addr(env, t->kinds, sizeof(kind), ukinds);
	p.ranges_ptr = ioctl_buf_addr(env, t->ranges, sizeof(r), uranges);
	for (i = 0; i < n; i++) {
		/* Every 128 MiB from 0 to 12.5 GiB, a byte before and at it. */
		addr = (u64)(i / 2) * SZ_256M - (i & 1);
		if (t->addrs == BUF_OK)
			ioctl_put(env, uaddrs + i * sizeof(addr), &addr, sizeof(addr));
		else if (t->addrs == BUF_TORN && i < 17)
			ioctl_put(env, p.addrs_ptr + i * sizeof(addr), &addr,
				  sizeof(addr));
	}
	ioctl_put(env, up, &p, sizeof(p));

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_PROBE, up), t->want);
	ioctl_expect_intact(env);

	ioctl_get(env, up, &out, sizeof(out));
	if (!t->want)	/* only an answer carries the generation */
		p.generation = env->generation;
	/* A VER0 struct's reply ends before ranges_ptr, which stays as written. */
	KUNIT_EXPECT_EQ(test, memcmp(&out, &p, sizeof(p)), 0);
	KUNIT_EXPECT_EQ(test, out.generation, p.generation);

	if (t->ranges == BUF_OK) {
		for (i = 0; i < PAGE_SIZE / sizeof(r); i++) {
			ioctl_get(env, uranges + i * sizeof(r), &r, sizeof(r));
			if (!t->want && !t->ver0 && i < n) {
				ioctl_get(env, uaddrs + i * sizeof(addr), &addr,
					  sizeof(addr));
				want = ioctl_preset_covering(addr);
				ioctl_expect_covering(test, addr, &r, &want);
			} else {
				KUNIT_EXPECT_EQ_MSG(test, memcmp(&r, &mark, sizeof(r)), 0,
						    "range %u written", i);
			}
		}
	}
	if (t->kinds != BUF_OK)
		return;
	/* The kinds of a chunk are written before its ranges fault. */
	partial = t->want == -EFAULT && ioctl_buf_faults(t->ranges);
	for (i = 0; i < PAGE_SIZE / 2 / sizeof(kind); i++) {
		ioctl_get(env, ukinds + i * sizeof(kind), &kind, sizeof(kind));
		if ((!t->want || (partial && kind != 0xa5a5a5a5)) && i < n) {
			ioctl_get(env, uaddrs + i * sizeof(addr), &addr, sizeof(addr));
			KUNIT_EXPECT_EQ_MSG(test, kind, ioctl_preset_kind(addr),
					    "address %#llx", addr);
		} else if (t->addrs != BUF_TORN || i >= 16) {
			/* Partial answers before a fault are allowed. */
			KUNIT_EXPECT_EQ_MSG(test, kind, 0xa5a5a5a5,
					    "kind %u written", i);
		}
	}
}

/*
 * PROBE with covering ranges over more than one chunk: 300 addresses,
 * every 64 MiB from 0 to 9.5 GiB and the byte before each, answered
 * through the page-sized buffer, which holds ranges for 113 at a time.
 */
#define IOCTL_BIG_PROBE	300

static void ioctl_probe_ranges_big_batch(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, true);
	unsigned long up = env->rw + IOCTL_ARG;
	unsigned long uaddrs = env->rw + IOCTL_ARRAYS;
	unsigned long ukinds = uaddrs + IOCTL_BIG_PROBE * sizeof(u64);
	unsigned long uranges = env->rw + IOCTL_OUT;
	struct memlayout_probe p = {
		.size = sizeof(p),
		.count = IOCTL_BIG_PROBE,
		.addrs_ptr = uaddrs,
		.kinds_ptr = ukinds,
		.ranges_ptr = uranges,
	};
	struct memlayout_probe_range r, want;
	u32 i, kind, seen[MEMLAYOUT_KIND_PCI_MMIO + 1] = {};
	u64 addr;

	/* Addresses and kinds in page 1; ranges in pages 2 and 3. */
	KUNIT_ASSERT_LE(test, IOCTL_BIG_PROBE * (sizeof(u64) + sizeof(u32)),
			PAGE_SIZE);
	KUNIT_ASSERT_LE(test, IOCTL_BIG_PROBE * sizeof(r), 2 * PAGE_SIZE);
	ioctl_fill(env, uranges, IOCTL_MARK, 2 * PAGE_SIZE);
	for (i = 0; i < IOCTL_BIG_PROBE; i++) {
		addr = (u64)(i / 2) * SZ_64M - (i & 1);
		ioctl_put(env, uaddrs + i * sizeof(addr), &addr, sizeof(addr));
	}
	ioctl_put(env, up, &p, sizeof(p));

	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_PROBE, up), 0);
	ioctl_get(env, up, &p, sizeof(p));
	KUNIT_EXPECT_EQ(test, p.generation, env->generation);
	for (i = 0; i < IOCTL_BIG_PROBE; i++) {
		ioctl_get(env, uaddrs + i * sizeof(addr), &addr, sizeof(addr));
		ioctl_get(env, ukinds + i * sizeof(kind), &kind, sizeof(kind));
		ioctl_get(env, uranges + i * sizeof(r), &r, sizeof(r));
		KUNIT_EXPECT_EQ_MSG(test, kind, ioctl_preset_kind(addr),
				    "address %#llx", addr);
		want = ioctl_preset_covering(addr);
		ioctl_expect_covering(test, addr, &r, &want);
		if (kind < ARRAY_SIZE(seen))
			seen[kind]++;
	}
	/* The batch met every kind of the preset layout, and "none". */
	KUNIT_EXPECT_GT(test, seen[MEMLAYOUT_KIND_NONE], 0);
	KUNIT_EXPECT_GT(test, seen[MEMLAYOUT_KIND_RAM], 0);
	KUNIT_EXPECT_GT(test, seen[MEMLAYOUT_KIND_MMIO], 0);
	KUNIT_EXPECT_GT(test, seen[MEMLAYOUT_KIND_PCI_ECAM], 0);
	/* Nothing past the last range. */
	ioctl_get(env, uranges + IOCTL_BIG_PROBE * sizeof(r), &r, sizeof(r));
	KUNIT_EXPECT_EQ(test, r.index, 0xa5a5a5a5);
}

/* GET_LAYOUT (issue 8): every range and the figures of one layout. */

/*
 * The preset layout's figures as GET_STATS and GET_LAYOUT's stats_ptr
 * must give them, written out by hand (SPEC Q1-Q8); the fingerprint is
 * the one the file's layout was built with (the memlayout_fingerprint
 * suite checks its value).
 */
static void ioctl_preset_stats(struct ioctl_env *env, u32 size,
			       struct memlayout_stats *st)
{
	const struct memlayout *l = rcu_access_pointer(env->f->layout);

	memset(st, 0, sizeof(*st));
	st->size = size;
	st->present = MEMLAYOUT_STATS_VTL2 | MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB;
	st->nr_ram = 2;
	st->nr_mmio = 1;
	st->nr_pci_ecam = 1;
	st->nr_pci_mmio = 0;
	st->generation = env->generation;
	st->ram_size = 3ULL * SZ_1G;
	st->end_of_ram = 6ULL * SZ_1G;
	st->ram_below_4gb = SZ_1G;
	st->ram_above_4gb = 2ULL * SZ_1G;
	st->max_ram_below_4gb = SZ_1G;
	st->end_of_layout = 6ULL * SZ_1G;
	st->vtl2_start = SZ_1T;
	st->vtl2_end = SZ_1T + SZ_1G;
	if (l)
		memcpy(st->fingerprint, l->fingerprint, sizeof(st->fingerprint));
}

/* Where GET_LAYOUT's stats_ptr points. */
enum ioctl_stats_at {
	ST_NONE,	/* 0 */
	ST_OK,		/* a read-write page */
	ST_UNMAPPED,	/* the unmapped page */
	ST_TORN,	/* size and flags readable, the rest unmapped */
	ST_RO_REPLY,	/* size and flags read-write, the rest read-only */
};

/**
 * struct ioctl_layout_case - one GET_LAYOUT
 * @desc: row name.
 * @empty: the file holds no layout.
 * @flags: the flags member.
 * @reserved: the reserved member.
 * @count: the count member.
 * @entries: where entries_ptr points, an &enum ioctl_buf.
 * @stats: where stats_ptr points, an &enum ioctl_stats_at.
 * @stats_size: the stats struct's size member (0: its sizeof).
 * @stats_flags: its flags member.
 * @stats_tail: offset in it of one non-zero byte (0: none).
 * @want: the errno expected.
 * @reply: the struct is written back (count, generation, fingerprint).
 * @want_count: the count written back.
 */
struct ioctl_layout_case {
	const char *desc;
	bool empty;
	u32 flags;
	u32 reserved;
	u32 count;
	u8 entries;
	u8 stats;
	u32 stats_size;
	u32 stats_flags;
	u32 stats_tail;
	int want;
	bool reply;
	u32 want_count;
};

#define STATS_SIZE	sizeof(struct memlayout_stats)

static const struct ioctl_layout_case ioctl_layout_cases[] = {
	{ .desc = "room for 4, stats -> every entry and figure", .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .reply = true, .want_count = 4 },
	{ .desc = "room for 9, stats -> 4 entries, the rest untouched",
	  .count = 9, .entries = BUF_OK, .stats = ST_OK, .reply = true,
	  .want_count = 4 },
	{ .desc = "room for 4, no stats -> every entry", .count = 4,
	  .entries = BUF_OK, .reply = true, .want_count = 4 },
	{ .desc = "stats of VER0 size -> only its 112 bytes written",
	  .count = 4, .entries = BUF_OK, .stats = ST_OK,
	  .stats_size = MEMLAYOUT_STATS_SIZE_VER0, .reply = true,
	  .want_count = 4 },
	{ .desc = "stats of a page, zero past the struct -> accepted",
	  .count = 4, .entries = BUF_OK, .stats = ST_OK,
	  .stats_size = PAGE_SIZE, .reply = true, .want_count = 4 },

	{ .desc = "flag bit 0 -> EOPNOTSUPP", .flags = 1, .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .want = -EOPNOTSUPP },
	{ .desc = "flag bit 31 -> EOPNOTSUPP", .flags = 0x80000000,
	  .count = 4, .entries = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "reserved 1 -> EINVAL", .reserved = 1, .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .want = -EINVAL },
	{ .desc = "count 4 without entries_ptr -> EINVAL", .count = 4,
	  .stats = ST_OK, .want = -EINVAL },
	{ .desc = "entries_ptr with count 0 -> EINVAL", .entries = BUF_OK,
	  .stats = ST_OK, .want = -EINVAL },
	{ .desc = "count without pointer, stats unmapped -> EINVAL first",
	  .count = 4, .stats = ST_UNMAPPED, .want = -EINVAL },
	{ .desc = "flag and reserved -> EOPNOTSUPP first", .flags = 1,
	  .reserved = 1, .count = 4, .entries = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "stats size VER0 - 1 -> EINVAL", .count = 4,
	  .entries = BUF_OK, .stats = ST_OK,
	  .stats_size = MEMLAYOUT_STATS_SIZE_VER0 - 1, .want = -EINVAL },
	{ .desc = "stats size 0 -> EINVAL", .count = 4, .entries = BUF_OK,
	  .stats = ST_OK, .stats_size = U32_MAX, .want = -EINVAL },
	{ .desc = "stats size above a page -> E2BIG", .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .stats_size = PAGE_SIZE + 1,
	  .want = -E2BIG },
	{ .desc = "stats non-zero byte past the struct -> E2BIG", .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .stats_size = STATS_SIZE + 16,
	  .stats_tail = STATS_SIZE + 8, .want = -E2BIG },
	{ .desc = "stats flag bit 0 -> EOPNOTSUPP", .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .stats_flags = 1,
	  .want = -EOPNOTSUPP },
	{ .desc = "no layout -> ENOENT", .empty = true, .count = 4,
	  .entries = BUF_OK, .stats = ST_OK, .want = -ENOENT },
	{ .desc = "no layout, size query -> ENOENT", .empty = true,
	  .want = -ENOENT },
	{ .desc = "size query -> EMSGSIZE, count 4, generation",
	  .want = -EMSGSIZE, .reply = true, .want_count = 4 },
	{ .desc = "room for 3 -> EMSGSIZE, count 4, entries untouched",
	  .count = 3, .entries = BUF_OK, .want = -EMSGSIZE, .reply = true,
	  .want_count = 4 },
	{ .desc = "room for 3, stats -> EMSGSIZE, stats untouched",
	  .count = 3, .entries = BUF_OK, .stats = ST_OK, .want = -EMSGSIZE,
	  .reply = true, .want_count = 4 },
	{ .desc = "entries unmapped -> EFAULT", .count = 4,
	  .entries = BUF_UNMAPPED, .stats = ST_OK, .want = -EFAULT },
	{ .desc = "entries read-only -> EFAULT", .count = 4,
	  .entries = BUF_RO, .want = -EFAULT },
	{ .desc = "second entry on a read-only page -> EFAULT", .count = 4,
	  .entries = BUF_TORN_RO, .want = -EFAULT },
	{ .desc = "stats_ptr unmapped -> EFAULT", .count = 4,
	  .entries = BUF_OK, .stats = ST_UNMAPPED, .want = -EFAULT },
	{ .desc = "stats run into an unmapped page -> EFAULT", .count = 4,
	  .entries = BUF_OK, .stats = ST_TORN, .want = -EFAULT },
	{ .desc = "stats reply on a read-only page -> EFAULT", .count = 4,
	  .entries = BUF_OK, .stats = ST_RO_REPLY, .want = -EFAULT },
};

static void ioctl_layout_desc(const struct ioctl_layout_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_layout, ioctl_layout_cases, ioctl_layout_desc);

/* The stats size of a row (U32_MAX stands for 0). */
static u32 ioctl_layout_stats_size(const struct ioctl_layout_case *t)
{
	if (t->stats_size == U32_MAX)
		return 0;
	return t->stats_size ? t->stats_size : STATS_SIZE;
}

/* Writes a row's stats struct; returns its user address. */
static unsigned long ioctl_layout_put_stats(struct ioctl_env *env,
					    const struct ioctl_layout_case *t,
					    u8 *page)
{
	u32 head[2] = { ioctl_layout_stats_size(t), t->stats_flags };
	size_t len = min_t(size_t, head[0], PAGE_SIZE);
	unsigned long ust = env->rw + IOCTL_ARRAYS;

	switch (t->stats) {
	case ST_UNMAPPED:
		return env->unmapped;
	case ST_TORN:
		ioctl_put(env, env->unmapped - sizeof(head), head, sizeof(head));
		return env->unmapped - sizeof(head);
	case ST_RO_REPLY:
		ioctl_put(env, env->ro - sizeof(head), head, sizeof(head));
		return env->ro - sizeof(head);
	}
	/*
	 * ST_OK: its @size bytes all zero but for size, flags and the tail
	 * byte; marks after them, where a reply must not write.
	 */
	memset(page, IOCTL_MARK, PAGE_SIZE);
	memset(page, 0, len);
	memcpy(page, head, sizeof(head));
	if (t->stats_tail)
		page[t->stats_tail] = 1;
	ioctl_put(env, ust, page, PAGE_SIZE);
	return ust;
}

/* GET_LAYOUT, one row each: errno, reply, entries, figures, file. */
static void ioctl_get_layout_rows(struct kunit *test)
{
	const struct ioctl_layout_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	unsigned long ug = env->rw + IOCTL_ARG, uent = env->rw + IOCTL_OUT;
	struct memlayout_get_layout g = {
		.size = sizeof(g),
		.flags = t->flags,
		.count = t->count,
		.reserved = t->reserved,
	};
	struct memlayout_map_entry e, mark;
	struct memlayout_get_layout out;
	struct memlayout_stats want;
	u8 *page, *after;
	bool partial;
	size_t reply;
	u32 i;

	page = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	after = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, after);
	memset(&mark, IOCTL_MARK, sizeof(mark));
	ioctl_fill(env, uent, IOCTL_MARK, PAGE_SIZE);
	g.entries_ptr = ioctl_buf_addr(env, t->entries, sizeof(e), uent);
	if (t->stats != ST_NONE)
		g.stats_ptr = ioctl_layout_put_stats(env, t, page);
	/* Output only: a reply that does not overwrite these keeps the mark. */
	memset(&g.generation, IOCTL_MARK, sizeof(g.generation));
	memset(g.fingerprint, IOCTL_MARK, sizeof(g.fingerprint));
	ioctl_put(env, ug, &g, sizeof(g));

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_LAYOUT, ug),
			t->want);
	ioctl_expect_intact(env);

	ioctl_get(env, ug, &out, sizeof(out));
	if (t->reply) {
		/*
		 * -EMSGSIZE writes the count needed and the generation; the
		 * fingerprint, output only, then reads 0.
		 */
		ioctl_preset_stats(env, STATS_SIZE, &want);
		g.count = t->want_count;
		g.generation = env->generation;
		memset(g.fingerprint, 0, sizeof(g.fingerprint));
		if (!t->want)
			memcpy(g.fingerprint, want.fingerprint, sizeof(g.fingerprint));
	}
	KUNIT_EXPECT_MEMEQ(test, &out, &g, sizeof(g));

	if (t->entries == BUF_OK) {
		for (i = 0; i < PAGE_SIZE / sizeof(e); i++) {
			ioctl_get(env, uent + i * sizeof(e), &e, sizeof(e));
			/* A stats reply that faults may come after the entries. */
			partial = t->want == -EFAULT && memcmp(&e, &mark, sizeof(e));
			if ((!t->want || partial) && i < ARRAY_SIZE(preset_map))
				KUNIT_EXPECT_MEMEQ_MSG(test, &e, &preset_map[i],
						       sizeof(e), "entry %u", i);
			else
				KUNIT_EXPECT_MEMEQ_MSG(test, &e, &mark, sizeof(e),
						       "entry %u written", i);
		}
	}
	if (t->stats != ST_OK)
		return;
	ioctl_get(env, env->rw + IOCTL_ARRAYS, after, PAGE_SIZE);
	if (!t->want) {
		/* Filled over min(its size, the kernel's), the rest as written. */
		reply = min_t(size_t, ioctl_layout_stats_size(t), STATS_SIZE);
		ioctl_preset_stats(env, ioctl_layout_stats_size(t), &want);
		memcpy(page, &want, reply);
	}
	KUNIT_EXPECT_MEMEQ(test, after, page, PAGE_SIZE);
}

/*
 * issue 8: one GET_LAYOUT reads one layout, with the fingerprint GET_STATS
 * gives; after a replacement, the new layout's, in address order.
 */
static void ioctl_get_layout_after_replace(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, true);
	unsigned long ug = env->rw + IOCTL_ARG, ust = env->rw + IOCTL_ARRAYS;
	unsigned long us = env->rw + IOCTL_ARG + 512;
	unsigned long uent = env->rw + IOCTL_OUT;
	struct memlayout_range mmio = { .start = SZ_1G, .end = 2ULL * SZ_1G };
	struct memlayout_stats st = { .size = sizeof(st) }, st2;
	struct memlayout_get_layout g = { .size = sizeof(g) };
	static const struct memlayout_map_entry c1[] = {
		{ .start = 0, .end = SZ_1G, .kind = MEMLAYOUT_KIND_RAM },
		{ .start = SZ_1G, .end = 2ULL * SZ_1G, .kind = MEMLAYOUT_KIND_MMIO },
		{ .start = 2ULL * SZ_1G, .end = 4ULL * SZ_1G,
		  .kind = MEMLAYOUT_KIND_RAM },
	};
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = 3ULL * SZ_1G,
		.nr_mmio = 1,
	};
	struct memlayout_map_entry e[ARRAY_SIZE(preset_map)];
	u8 first[MEMLAYOUT_FINGERPRINT_SIZE];

	/* GET_STATS, then GET_LAYOUT: the same fingerprint and generation. */
	ioctl_put(env, ust, &st, sizeof(st));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_STATS, ust), 0);
	ioctl_get(env, ust, &st, sizeof(st));
	g.count = ARRAY_SIZE(preset_map);
	g.entries_ptr = uent;
	ioctl_put(env, ug, &g, sizeof(g));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_LAYOUT, ug), 0);
	ioctl_get(env, ug, &g, sizeof(g));
	KUNIT_EXPECT_EQ(test, g.generation, 1);
	KUNIT_EXPECT_EQ(test, g.generation, st.generation);
	KUNIT_EXPECT_MEMEQ(test, g.fingerprint, st.fingerprint,
			   MEMLAYOUT_FINGERPRINT_SIZE);
	memcpy(first, g.fingerprint, sizeof(first));

	/* A new layout (C1): generation 2, its own fingerprint and entries. */
	s.mmio_ptr = env->rw + IOCTL_PRESET;
	ioctl_put(env, s.mmio_ptr, &mmio, sizeof(mmio));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us), 0);
	ioctl_get(env, us, &s, sizeof(s));

	/* Room for the old 4: the new 3, then the 4th entry as it was. */
	g.stats_ptr = ust;
	st2.size = sizeof(st2);
	st2.flags = 0;
	ioctl_put(env, ust, &st2, sizeof(st2));
	ioctl_put(env, ug, &g, sizeof(g));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_GET_LAYOUT, ug), 0);
	ioctl_get(env, ug, &g, sizeof(g));
	ioctl_get(env, ust, &st2, sizeof(st2));
	ioctl_get(env, uent, e, sizeof(e));
	KUNIT_EXPECT_EQ(test, g.count, ARRAY_SIZE(c1));
	KUNIT_EXPECT_EQ(test, g.generation, 2);
	KUNIT_EXPECT_EQ(test, st2.generation, 2);
	KUNIT_EXPECT_EQ(test, st2.ram_size, 3ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, st2.present, MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB);
	KUNIT_EXPECT_MEMEQ(test, g.fingerprint, s.fingerprint,
			   MEMLAYOUT_FINGERPRINT_SIZE);
	KUNIT_EXPECT_MEMEQ(test, st2.fingerprint, s.fingerprint,
			   MEMLAYOUT_FINGERPRINT_SIZE);
	KUNIT_EXPECT_MEMNEQ(test, g.fingerprint, first,
			    MEMLAYOUT_FINGERPRINT_SIZE);
	KUNIT_EXPECT_MEMEQ(test, e, c1, sizeof(c1));
	KUNIT_EXPECT_MEMEQ(test, &e[3], &preset_map[3], sizeof(e[3]));
}

/*
 * SET_LAYOUT's dry run (issue 8): every row of ioctl_set_cases as a dry
 * run first, then for real. The dry run answers exactly as the real call
 * does (errno, reason, fingerprint), with generation 0, and the file keeps
 * its layout and generation; a rejection's fingerprint reads 0.
 */
static void ioctl_set_dry_run_rows(struct kunit *test)
{
	const struct ioctl_set_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, true);
	static const u8 zero[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_reason want = t->reason;
	unsigned long us = env->rw + IOCTL_ARG;
	struct memlayout_set s, dry, real;
	const struct memlayout *l;

	if (t->at_limit)
		want.index = memlayout_max_ranges();
	ioctl_set_request(env, t, &s);
	s.flags |= MEMLAYOUT_SET_DRY_RUN;
	memset(s.fingerprint, IOCTL_MARK, sizeof(s.fingerprint));
	ioctl_put(env, us, &s, sizeof(s));

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us),
			t->want);
	ioctl_expect_intact(env);
	ioctl_get(env, us, &dry, sizeof(dry));
	KUNIT_EXPECT_MEMEQ(test, &dry, &s, offsetof(struct memlayout_set, reason));
	KUNIT_EXPECT_EQ(test, dry.generation, 0);
	if (t->want) {
		ioctl_expect_reason(test, &dry.reason, &want);
		KUNIT_EXPECT_MEMEQ(test, dry.fingerprint, zero, sizeof(zero));
	} else {
		struct memlayout_reason none = {};

		ioctl_expect_reason(test, &dry.reason, &none);
		KUNIT_EXPECT_MEMNEQ(test, dry.fingerprint, zero, sizeof(zero));
	}

	/* The same request for real. */
	s.flags &= ~MEMLAYOUT_SET_DRY_RUN;
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us),
			t->want);
	ioctl_get(env, us, &real, sizeof(real));
	ioctl_expect_reason(test, &real.reason, &dry.reason);
	KUNIT_EXPECT_MEMEQ(test, real.fingerprint, dry.fingerprint,
			   sizeof(real.fingerprint));
	if (t->want)
		return;
	KUNIT_EXPECT_EQ(test, real.generation, env->generation + 1);
	l = rcu_access_pointer(env->f->layout);
	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_EXPECT_MEMEQ(test, l->fingerprint, dry.fingerprint,
			   sizeof(dry.fingerprint));
}

/**
 * struct ioctl_dry_case - a SET_LAYOUT of a given size, dry or real
 * @desc: row name.
 * @size: the struct's size member.
 * @dry: with %MEMLAYOUT_SET_DRY_RUN.
 * @empty: the file holds no layout.
 */
struct ioctl_dry_case {
	const char *desc;
	u32 size;
	bool dry;
	bool empty;
};

static const struct ioctl_dry_case ioctl_dry_cases[] = {
	{ "dry run on an empty file -> fingerprint, still empty",
	  MEMLAYOUT_SET_SIZE_VER1, true, true },
	{ "dry run -> fingerprint, layout and generation kept",
	  MEMLAYOUT_SET_SIZE_VER1, true, false },
	{ "dry run, VER0 size -> 136 bytes written, no fingerprint",
	  MEMLAYOUT_SET_SIZE_VER0, true, false },
	{ "real, VER0 size -> generation, no fingerprint written",
	  MEMLAYOUT_SET_SIZE_VER0, false, false },
	{ "real, VER1 size -> generation and fingerprint",
	  MEMLAYOUT_SET_SIZE_VER1, false, false },
};

static void ioctl_dry_desc(const struct ioctl_dry_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_dry, ioctl_dry_cases, ioctl_dry_desc);

KUNIT_DEFINE_ACTION_WRAPPER(ioctl_free_layout, memlayout_free,
			    struct memlayout *);

/*
 * issue 8: the reply of SET_LAYOUT covers min(size, kernel's size): a
 * VER0 caller, which knows no fingerprint, gets none written past its
 * 136 bytes. The fingerprint a VER1 caller gets is the one the core
 * builds for the same request.
 */
static void ioctl_set_dry_run_sizes(struct kunit *test)
{
	const struct ioctl_dry_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	struct memlayout_range mmio = { .start = SZ_1G, .end = 2ULL * SZ_1G };
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_SIZE,
		.ram_size = 3ULL * SZ_1G,
		.mmio = &mmio,
		.nr_mmio = 1,
	};
	struct memlayout_set s = {
		.size = t->size,
		.flags = t->dry ? MEMLAYOUT_SET_DRY_RUN : 0,
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = 3ULL * SZ_1G,
		.nr_mmio = 1,
	};
	unsigned long us = env->rw + IOCTL_ARG;
	struct memlayout_error err;
	struct memlayout *l;
	u8 *before, *after;

	l = memlayout_build(&req, GFP_KERNEL, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(l));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ioctl_free_layout, l), 0);
	/* The expected fingerprint, as SET_LAYOUT computes it (SPEC F1). */
	memlayout_fingerprint_layout(l, true);
	before = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	after = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	s.mmio_ptr = env->rw + IOCTL_ARRAYS;
	ioctl_put(env, s.mmio_ptr, &mmio, sizeof(mmio));
	/* The struct, then marks over what a longer one would hold. */
	memset(before, IOCTL_MARK, PAGE_SIZE);
	memcpy(before, &s, t->size);
	ioctl_put(env, us, before, PAGE_SIZE);
	ioctl_snapshot(env);

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT, us), 0);
	ioctl_get(env, us, after, PAGE_SIZE);
	if (t->dry) {
		ioctl_expect_intact(env);
	} else {
		KUNIT_EXPECT_EQ(test, env->f->generation, env->generation + 1);
		s.generation = env->generation + 1;
	}
	/* The reason is 0, the generation is 0 for a dry run. */
	memcpy(before, &s, offsetofend(struct memlayout_set, generation));
	if (t->size >= MEMLAYOUT_SET_SIZE_VER1)
		memcpy(before + offsetof(struct memlayout_set, fingerprint),
		       l->fingerprint, MEMLAYOUT_FINGERPRINT_SIZE);
	KUNIT_EXPECT_MEMEQ(test, after, before, PAGE_SIZE);
}

/*
 * SPEC C4 through SET_LAYOUT (issue 9): MEMLAYOUT_SOURCE_PLACE with its
 * request array. One table, run two ways: through memlayout_ioctl() with
 * the array in user memory (dry run first, then for real, on a file that
 * holds the preset layout), and through the interface logic alone,
 * memlayout_set_check() and memlayout_set_place(), where a row may lower
 * the R8 limit (suite memlayout_set_place). Every rejection names the
 * request by its position in the array (reason.list MEMLAYOUT_LIST_PLACE)
 * and by class and index (place_reason): the rows interleave the classes
 * so that the two differ.
 */

#define C4		MEMLAYOUT_SOURCE_PLACE
#define PL_ADDR		IOCTL_ADDR	/* place_ptr when only the core runs */

/* A reason about request @i of the array: a rule, or a member of it. */
#define PL_RULE(r, i)	REASON(MEMLAYOUT_RULE_##r, PLACE, i, NONE, 0, 0)
#define PL_FIELD(r, i, m)						\
	REASON(MEMLAYOUT_REASON_##r, PLACE, i, NONE, 0,			\
	       offsetof(struct memlayout_place_req, m))
#define PL_P3(i, oi)	REASON(MEMLAYOUT_RULE_PINNED_OVERLAP, PLACE, i,	\
			       PLACE, oi, 0)

/* struct memlayout_place_reason initializers. */
#define PR(c, i)	{ .place_class = MEMLAYOUT_CLASS_##c, .index = (i) }
#define PR_SZ(c, i, sz, al) { .place_class = MEMLAYOUT_CLASS_##c, .index = (i),	\
			  .size = (sz), .align = (al) }
#define PR_P3(c, i, oc, oi) { .place_class = MEMLAYOUT_CLASS_##c, .index = (i),	\
			  .other_class = MEMLAYOUT_CLASS_##oc,		\
			  .other_index = (oi) }
#define PR_P4(c, i, sz, al, fr) { .place_class = MEMLAYOUT_CLASS_##c,		\
			  .index = (i), .phase = MEMLAYOUT_CLASS_##c,	\
			  .size = (sz), .align = (al), .free = (fr) }

/*
 * The q35 guest of the memlayout_place suite, its classes interleaved:
 * the array position of each request is in the comment.
 */
static const struct memlayout_place_req ioctl_q35_reqs[] = {
	RAMQ(ML_GB(4), ML_MB(2)),		/* 0: ram 0 */
	M32(MMIO, ML_MB(128), ML_MB(1)),	/* 1: mmio32 0 */
	FIX(MMIO, 0xFE000000, ML_4G),		/* 2: fixed 0 */
	VTL2Q(ML_MB(64), ML_MB(2)),		/* 3: post_mmio 0 */
	M32(PCI_ECAM, ML_MB(256), ML_MB(256)),	/* 4: mmio32 1 */
	M64(PCI_MMIO, ML_GB(64), ML_GB(1)),	/* 5: mmio64 0 */
	RAMQ(ML_GB(2), ML_GB(1)),		/* 6: ram 1 */
};

/* Its placement, by hand from SPEC's phases (see place_kunit.c). */
static const struct memlayout_placed ioctl_q35_placed[] = {
	WRAM(0, 0xE0000000, 0, 0),
	WM32(PCI_ECAM, 0xE0000000, 0xF0000000, 1),
	WRAM(0xF0000000, 0xF6000000, 0, 0),
	WM32(MMIO, 0xF6000000, 0xFE000000, 0),
	WFIX(MMIO, 0xFE000000, ML_4G, 0),
	WRAM(ML_4G, ML_4G + ML_MB(416), 0, 0),
	WRAM(ML_GB(5), ML_GB(7), 1, 1),
	WM64(PCI_MMIO, ML_GB(7), ML_GB(71), 0),
	WVTL2(ML_GB(71), ML_GB(71) + ML_MB(64), 0),
};

#define PL_Q35	.reqs = ioctl_q35_reqs, .n = ARRAY_SIZE(ioctl_q35_reqs)

/* Which runner takes a row. */
enum ioctl_place_where {
	PL_BOTH,	/* the ioctl and the interface logic */
	PL_CORE,	/* the interface logic only: a lowered R8 limit */
	PL_IOCTL,	/* the ioctl only: user memory matters */
};

/**
 * struct ioctl_place_case - one C4 SET_LAYOUT and its outcome
 * @desc: row name.
 * @reqs: the request array.
 * @n: its length: nr_place, and place_ptr is set when it is not 0.
 * @poke: members of struct memlayout_set that differ from that.
 * @where: an &enum ioctl_place_where.
 * @max_ranges: %PL_CORE: the R8 limit given to the interface (0: the
 *              module parameter).
 * @err: the errno expected (0: accepted).
 * @reason: the reason the reply must carry.
 * @preason: the placement reason it must carry.
 * @at_limit: @reason.index is 6 times the R8 limit (R8 on the array).
 * @want: accepted: the placement, in address order.
 * @nr_want: its length.
 */
struct ioctl_place_case {
	const char *desc;
	const struct memlayout_place_req *reqs;
	u32 n;
	struct ioctl_poke poke[4];
	u8 where;
	u32 max_ranges;
	int err;
	struct memlayout_reason reason;
	struct memlayout_place_reason preason;
	bool at_limit;
	const struct memlayout_placed *want;
	u32 nr_want;
};

static const struct ioctl_place_case ioctl_place_cases[] = {
	/* Accepted (SPEC C4 "Result"). */
	{ .desc = "C4 q35, classes interleaved -> accepted, 9 placed", PL_Q35,
	  .want = ioctl_q35_placed, .nr_want = ARRAY_SIZE(ioctl_q35_placed) },
	{ .desc = "C4 arm64: low reserved range reported, high one dropped",
	  PL_REQS(RSV(ML_GB(512), ML_GB(513)),		/* 0: reserved 0 */
		  RAMQ(ML_GB(3), ML_MB(2)),		/* 1: ram 0 */
		  FIX(MMIO, 0xEF000000, ML_4G),		/* 2: fixed 0 */
		  M32(PCI_ECAM, ML_MB(256), ML_MB(256)),	/* 3: mmio32 0 */
		  RSV(0, ML_GB(1)),			/* 4: reserved 1 */
		  M64(PCI_MMIO, ML_GB(16), ML_GB(1)),	/* 5: mmio64 0 */
		  M32(MMIO, ML_MB(240), ML_PAGE),		/* 6: mmio32 1 */
		  POST(MMIO, ML_MB(1), ML_PAGE)),		/* 7: post_mmio 0 */
	  PL_WANT(WRSV(0, ML_GB(1), 1),
		  WRAM(ML_GB(1), 0xD0000000, 0, 0),
		  WM32(PCI_ECAM, 0xD0000000, 0xE0000000, 0),
		  WM32(MMIO, 0xE0000000, 0xEF000000, 1),
		  WFIX(MMIO, 0xEF000000, ML_4G, 0),
		  WRAM(ML_4G, ML_4G + ML_MB(768), 0, 0),
		  WM64(PCI_MMIO, ML_GB(5), ML_GB(21), 0),
		  WPOST(MMIO, ML_GB(21), ML_GB(21) + ML_MB(1), 0)) },
	{ .desc = "C4 D8: memory-less node 0, RAM on vnode 1 -> accepted",
	  PL_REQS(RAMQ(0, 0), RAMQ(ML_GB(1), ML_PAGE)),
	  PL_WANT(WRAM(0, ML_GB(1), 1, 1)) },
	{ .desc = "C4 R8 boundary: 6 x limit 1, one per class -> accepted",
	  .where = PL_CORE, .max_ranges = 1,
	  PL_REQS(VTL2Q(ML_MB(1), ML_PAGE), M64(MMIO, ML_MB(1), ML_PAGE),
		  RAMQ(ML_GB(1), ML_PAGE), M32(PCI_MMIO, ML_MB(1), ML_PAGE),
		  FIX(PCI_ECAM, ML_GB(2), ML_GB(2) + ML_MB(1)),
		  RSV(ML_GB(3), ML_GB(3) + ML_PAGE)),
	  PL_WANT(WRAM(0, ML_GB(1), 0, 0),
		  WFIX(PCI_ECAM, ML_GB(2), ML_GB(2) + ML_MB(1), 0),
		  WRSV(ML_GB(3), ML_GB(3) + ML_PAGE, 0),
		  WM32(PCI_MMIO, ML_4G - ML_MB(1), ML_4G, 0),
		  WM64(MMIO, ML_4G, ML_4G + ML_MB(1), 0),
		  WVTL2(ML_4G + ML_MB(1), ML_4G + ML_MB(2), 0)) },

	/* The interface's checks of each request, in array order. */
	{ .desc = "class 0 at place[2] -> EOPNOTSUPP, field class",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
		  RAWQ(0, 0, 0, 0, ML_PAGE, ML_PAGE)),
	  .err = -EOPNOTSUPP, .reason = PL_FIELD(FLAGS, 2, place_class) },
	{ .desc = "class 7 at place[0] -> EOPNOTSUPP, field class",
	  PL_REQS(RAWQ(7, MEMLAYOUT_KIND_MMIO, 0, 0, ML_PAGE, ML_PAGE),
		  RAMQ(ML_GB(1), ML_PAGE)),
	  .err = -EOPNOTSUPP, .reason = PL_FIELD(FLAGS, 0, place_class) },
	{ .desc = "class 0xffffffff at place[1] -> EOPNOTSUPP",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(0xffffffff, 0, 0, 0, ML_PAGE, ML_PAGE)),
	  .err = -EOPNOTSUPP, .reason = PL_FIELD(FLAGS, 1, place_class) },
	{ .desc = "reserved with a size -> EINVAL, place[1] field size",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_RESERVED, 0, ML_GB(1), ML_GB(2),
		       ML_PAGE, 0)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 1, size) },
	{ .desc = "reserved with an alignment -> EINVAL, field align",
	  PL_REQS(RAWQ(MEMLAYOUT_CLASS_RESERVED, 0, ML_GB(8), ML_GB(9), 0,
		       ML_PAGE), RAMQ(ML_GB(1), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 0, align) },
	{ .desc = "fixed with size and alignment -> EINVAL, size first",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_FIXED, MEMLAYOUT_KIND_MMIO, ML_GB(2),
		       ML_GB(3), ML_PAGE, ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 2, size) },
	{ .desc = "fixed with an alignment -> EINVAL, field align",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_FIXED, MEMLAYOUT_KIND_MMIO, ML_GB(2),
		       ML_GB(3), 0, ML_MB(2))),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 1, align) },
	{ .desc = "RAM with a start -> EINVAL, field start",
	  PL_REQS(FIX(MMIO, ML_GB(3), ML_4G),
		  RAWQ(MEMLAYOUT_CLASS_RAM, 0, ML_PAGE, 0, ML_GB(1), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 1, start) },
	{ .desc = "mmio32 with an end -> EINVAL, field end",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_KIND_MMIO, 0, ML_4G,
		       ML_MB(1), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 1, end) },
	{ .desc = "mmio64 with start and end -> EINVAL, start first",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_PCI_MMIO, ML_GB(8),
		       ML_GB(9), ML_GB(1), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 2, start) },
	{ .desc = "VTL2 with an end -> EINVAL, field end",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_POST_MMIO, MEMLAYOUT_PLACE_VTL2, 0,
		       ML_GB(2), ML_MB(64), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 1, end) },
	{ .desc = "unused member at [1] before unknown class at [2]",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_MMIO, 0, ML_PAGE,
		       ML_MB(1), ML_PAGE), RAWQ(0, 0, 0, 0, 0, 0)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 1, end) },
	{ .desc = "unknown class at [0] before unused member at [1]",
	  PL_REQS(RAWQ(9, 0, 0, 0, 0, 0),
		  RAWQ(MEMLAYOUT_CLASS_RESERVED, 0, 0, ML_PAGE, ML_PAGE, 0)),
	  .err = -EOPNOTSUPP, .reason = PL_FIELD(FLAGS, 0, place_class) },
	{ .desc = "the member checks before R8 per class (limit 1)",
	  .where = PL_CORE, .max_ranges = 1,
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_KIND_MMIO, ML_PAGE, 0,
		       ML_MB(1), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 2, start) },

	/* The core's kind check: field kind, with class and index. */
	{ .desc = "mmio64 of kind RAM at [2] -> EINVAL, field kind, mmio64 0",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
		  RAWQ(MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_RAM, 0, 0,
		       ML_MB(1), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 2, kind),
	  .preason = PR(MMIO64, 0) },
	{ .desc = "a second VTL2 at [3] -> EINVAL, field kind, post_mmio 2",
	  PL_REQS(VTL2Q(ML_MB(64), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
		  POST(MMIO, ML_MB(1), ML_PAGE), VTL2Q(ML_MB(64), ML_PAGE)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 3, kind),
	  .preason = PR(POST_MMIO, 2) },
	{ .desc = "reserved 1 with a kind at [2] -> EINVAL, field kind",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RSV(ML_GB(8), ML_GB(9)),
		  RAWQ(MEMLAYOUT_CLASS_RESERVED, MEMLAYOUT_KIND_MMIO, ML_GB(10),
		       ML_GB(11), 0, 0)),
	  .err = -EINVAL, .reason = PL_FIELD(RESERVED, 2, kind),
	  .preason = PR(RESERVED, 1) },

	/* The members of struct memlayout_set C4 does not use. */
	{ .desc = "place_flags 1 -> EOPNOTSUPP, field place_flags", PL_Q35,
	  .poke = { POKE32(place_flags, 1) },
	  .err = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, place_flags) },
	{ .desc = "C1 with place_flags bit 31 -> EOPNOTSUPP, place_flags",
	  .poke = { POKE32(source, C1), POKE64(ram_size, 3ULL * SZ_1G),
		    POKE32(place_flags, 0x80000000) },
	  .err = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, place_flags) },
	{ .desc = "unknown flag before place_flags -> field flags", PL_Q35,
	  .poke = { POKE32(flags, 4), POKE32(place_flags, 1) },
	  .err = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, flags) },
	{ .desc = "place_flags before ram_size -> field place_flags", PL_Q35,
	  .poke = { POKE64(ram_size, SZ_1G), POKE32(place_flags, 1) },
	  .err = -EOPNOTSUPP, .reason = REASON_SET(FLAGS, place_flags) },
	{ .desc = "C4 with SET_VTL2 -> EINVAL, field flags", PL_Q35,
	  .poke = { POKE32(flags, MEMLAYOUT_SET_VTL2),
		    POKE64(vtl2.start, IOCTL_VTL2_START),
		    POKE64(vtl2.end, IOCTL_VTL2_END) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, flags) },
	{ .desc = "C4 with a VTL2 range -> EINVAL, field vtl2", PL_Q35,
	  .poke = { POKE64(vtl2.start, IOCTL_VTL2_START),
		    POKE64(vtl2.end, IOCTL_VTL2_END) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, vtl2) },
	{ .desc = "C4 with vtl2.reserved -> EINVAL, field vtl2", PL_Q35,
	  .poke = { POKE32(vtl2.reserved, 1) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, vtl2) },
	{ .desc = "C4 with nr_mmio -> EINVAL, field mmio_ptr", PL_Q35,
	  .poke = { POKE32(nr_mmio, 1) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, mmio_ptr) },
	{ .desc = "C4 with an MMIO list -> EINVAL, field mmio_ptr", PL_Q35,
	  .poke = { POKE32(nr_mmio, 1), POKE64(mmio_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, mmio_ptr) },
	{ .desc = "C4 with a PCI ECAM list -> EINVAL, field pci_ecam_ptr",
	  PL_Q35, .poke = { POKE32(nr_pci_ecam, 1),
			    POKE64(pci_ecam_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, pci_ecam_ptr) },
	{ .desc = "C4 with pci_mmio_ptr -> EINVAL, field pci_mmio_ptr",
	  PL_Q35, .poke = { POKE64(pci_mmio_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, pci_mmio_ptr) },
	{ .desc = "C4 with nr_pci_mmio -> EINVAL, field pci_mmio_ptr",
	  PL_Q35, .poke = { POKE32(nr_pci_mmio, 2) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, pci_mmio_ptr) },
	{ .desc = "SET_VTL2 and an MMIO list -> the flag first", PL_Q35,
	  .poke = { POKE32(flags, MEMLAYOUT_SET_VTL2), POKE32(nr_mmio, 1),
		    POKE64(mmio_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, flags) },
	{ .desc = "a PCI MMIO list and a VTL2 range -> the list first",
	  PL_Q35, .poke = { POKE32(nr_pci_mmio, 1),
			    POKE64(vtl2.end, IOCTL_VTL2_END) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, pci_mmio_ptr) },
	{ .desc = "C4 with ram_size -> EINVAL, field ram_size", PL_Q35,
	  .poke = { POKE64(ram_size, SZ_1G) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, ram_size) },
	{ .desc = "C4 with nr_nodes -> EINVAL, field nr_nodes", PL_Q35,
	  .poke = { POKE32(nr_nodes, 2) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, nr_nodes) },
	{ .desc = "C4 with nodes_ptr -> EINVAL, field nodes_ptr", PL_Q35,
	  .poke = { POKE64(nodes_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, nodes_ptr) },
	{ .desc = "C4 with a RAM list -> EINVAL, field nr_ram", PL_Q35,
	  .poke = { POKE32(nr_ram, 1), POKE64(ram_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, nr_ram) },
	{ .desc = "C4 with ram_ptr -> EINVAL, field ram_ptr", PL_Q35,
	  .poke = { POKE64(ram_ptr, IOCTL_ADDR) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, ram_ptr) },

	/* place_ptr and nr_place belong to C4. */
	{ .desc = "C1 with nr_place -> EINVAL, field nr_place", PL_Q35,
	  .poke = { POKE32(source, C1), POKE64(ram_size, 3ULL * SZ_1G),
		    POKE64(place_ptr, 0) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, nr_place) },
	{ .desc = "C3 with place_ptr -> EINVAL, field place_ptr", PL_Q35,
	  .poke = { POKE32(source, C3), POKE32(nr_place, 0) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, place_ptr) },
	{ .desc = "C2 with a request array -> EINVAL, nr_place first",
	  PL_Q35, .poke = { POKE32(source, C2) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, nr_place) },
	{ .desc = "place_ptr, nr_place 0 -> EINVAL, field place_ptr", PL_Q35,
	  .poke = { POKE32(nr_place, 0) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, place_ptr) },
	{ .desc = "nr_place, place_ptr 0 -> EINVAL, field place_ptr", PL_Q35,
	  .poke = { POKE64(place_ptr, 0) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, place_ptr) },

	/* SPEC R8 on the array (before the copy) and per class. */
	{ .desc = "R8: 6 x max_ranges + 1 requests -> E2BIG, the limit",
	  PL_Q35, .poke = { POKEX32(nr_place, V_PLACE_MAX) },
	  .err = -E2BIG, .reason = PL_RULE(TOO_MANY, 0), .at_limit = true },
	{ .desc = "R8: 13 requests over a limit of 2 -> E2BIG, index 12",
	  .where = PL_CORE, .max_ranges = 2, PL_Q35,
	  .poke = { POKEX32(nr_place, V_PLACE_MAX) },
	  .err = -E2BIG, .reason = PL_RULE(TOO_MANY, 0), .at_limit = true },
	{ .desc = "R8 on the array before the copy: unmapped -> E2BIG",
	  .where = PL_IOCTL, PL_Q35,
	  .poke = { POKEX32(nr_place, V_PLACE_MAX),
		    POKEX64(place_ptr, V_UNMAPPED) },
	  .err = -E2BIG, .reason = PL_RULE(TOO_MANY, 0), .at_limit = true },
	{ .desc = "too many, place_ptr 0 -> the pointer check first", PL_Q35,
	  .poke = { POKEX32(nr_place, V_PLACE_MAX), POKE64(place_ptr, 0) },
	  .err = -EINVAL, .reason = REASON_SET(RESERVED, place_ptr) },
	{ .desc = "R8: 3 mmio64 over a limit of 2 -> E2BIG, mmio64 2",
	  .where = PL_CORE, .max_ranges = 2,
	  PL_REQS(M64(MMIO, ML_MB(1), ML_PAGE), RAMQ(ML_GB(1), ML_PAGE),
		  M64(MMIO, ML_MB(1), ML_PAGE), M64(MMIO, ML_MB(1), ML_PAGE)),
	  .err = -E2BIG, .reason = PL_RULE(TOO_MANY, 2),
	  .preason = PR(MMIO64, 2) },
	{ .desc = "R8: RAM split into 3 extents, limit 2 -> E2BIG, RAM",
	  .where = PL_CORE, .max_ranges = 2,
	  PL_REQS(FIX(MMIO, ML_GB(1), ML_GB(1) + ML_PAGE),
		  RAMQ(ML_GB(3), ML_PAGE),
		  FIX(MMIO, ML_GB(2), ML_GB(2) + ML_PAGE)),
	  .err = -E2BIG, .reason = REASON_RULE(TOO_MANY, RAM, 2, NONE, 0) },
	{ .desc = "R8: 3 MMIO holes of three classes, limit 2 -> E2BIG",
	  .where = PL_CORE, .max_ranges = 2,
	  PL_REQS(FIX(MMIO, ML_GB(2), ML_GB(3)), RAMQ(ML_GB(1), ML_PAGE),
		  M32(MMIO, ML_MB(1), ML_PAGE), M64(MMIO, ML_MB(1), ML_PAGE)),
	  .err = -E2BIG, .reason = REASON_RULE(TOO_MANY, MMIO, 2, NONE, 0) },

	/* R2, P1-P4: the request's position, its class and index. */
	{ .desc = "R2: empty fixed 1 at [3] -> EINVAL",
	  PL_REQS(FIX(MMIO, ML_GB(3), ML_GB(3) + ML_MB(1)),
		  RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
		  FIX(MMIO, ML_GB(1), ML_GB(1))),
	  .err = -EINVAL, .reason = PL_RULE(BAD_RANGE, 3),
	  .preason = PR(FIXED, 1) },
	{ .desc = "R2: reserved 0 ending unaligned at [1] -> EINVAL",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RSV(ML_GB(1), ML_GB(1) + 1)),
	  .err = -EINVAL, .reason = PL_RULE(BAD_RANGE, 1),
	  .preason = PR(RESERVED, 0) },
	{ .desc = "P1: mmio32 1 of 4097 bytes at [3] -> EINVAL",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M32(MMIO, ML_MB(1), ML_PAGE),
		  POST(MMIO, ML_MB(1), ML_PAGE), M32(MMIO, 4097, ML_PAGE)),
	  .err = -EINVAL, .reason = PL_RULE(PLACE_SIZE, 3),
	  .preason = PR_SZ(MMIO32, 1, 4097, ML_PAGE) },
	{ .desc = "P1: VTL2 of size 0 at [1] -> EINVAL, size and align",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), VTL2Q(0, ML_MB(2))),
	  .err = -EINVAL, .reason = PL_RULE(PLACE_SIZE, 1),
	  .preason = PR_SZ(POST_MMIO, 0, 0, ML_MB(2)) },
	{ .desc = "P2: RAM 1 aligned to 12K at [2] -> EINVAL",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(MMIO, ML_MB(1), ML_PAGE),
		  RAMQ(ML_GB(1), 3 * ML_PAGE)),
	  .err = -EINVAL, .reason = PL_RULE(PLACE_ALIGN, 2),
	  .preason = PR_SZ(RAM, 1, ML_GB(1), 3 * ML_PAGE) },
	{ .desc = "P2: mmio64 alignment 0 at [1] -> EINVAL",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), M64(PCI_MMIO, ML_GB(1), 0)),
	  .err = -EINVAL, .reason = PL_RULE(PLACE_ALIGN, 1),
	  .preason = PR_SZ(MMIO64, 0, ML_GB(1), 0) },
	{ .desc = "P3: reserved 1 at [3] and fixed 1 at [4] -> EEXIST",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, ML_GB(8), ML_GB(9)),
		  RSV(0, ML_MB(1)), RSV(ML_GB(1), ML_GB(2)),
		  FIX(PCI_MMIO, ML_MB(1536), ML_MB(1536) + ML_PAGE)),
	  .err = -EEXIST, .reason = PL_P3(3, 4),
	  .preason = PR_P3(RESERVED, 1, FIXED, 1) },
	{ .desc = "P3: fixed 2 at [4] and fixed 0 at [1] -> EEXIST",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE),
		  FIX(MMIO, ML_GB(2) + ML_MB(1), ML_GB(2) + ML_MB(2)),
		  RSV(ML_GB(10), ML_GB(11)), FIX(MMIO, ML_GB(20), ML_GB(21)),
		  FIX(PCI_ECAM, ML_GB(2), ML_GB(3))),
	  .err = -EEXIST, .reason = PL_P3(4, 1),
	  .preason = PR_P3(FIXED, 2, FIXED, 0) },
	{ .desc = "P4 mmio32: mmio32 0 at [2] finds 992M -> ENOSPC",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, 0xFE000000, ML_4G),
		  M32(MMIO, ML_GB(1), ML_PAGE), M32(MMIO, ML_GB(3), ML_PAGE)),
	  .err = -ENOSPC, .reason = PL_RULE(EXHAUSTED, 2),
	  .preason = PR_P4(MMIO32, 0, ML_GB(1), ML_PAGE, 0x3E000000) },
	{ .desc = "P4 ram: node 1 at [2] finds 1G -> ENOSPC",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), FIX(MMIO, ML_GB(2), ML_MAX),
		  RAMQ(ML_GB(2), ML_PAGE)),
	  .err = -ENOSPC, .reason = PL_RULE(EXHAUSTED, 2),
	  .preason = PR_P4(RAM, 1, ML_GB(2), ML_PAGE, ML_GB(1)) },
	{ .desc = "P4 mmio64: mmio64 0 at [2] finds 1G -> ENOSPC",
	  PL_REQS(RAMQ(ML_GB(6), ML_PAGE), FIX(MMIO, ML_GB(7), ML_MAX),
		  M64(PCI_MMIO, ML_GB(2), ML_PAGE)),
	  .err = -ENOSPC, .reason = PL_RULE(EXHAUSTED, 2),
	  .preason = PR_P4(MMIO64, 0, ML_GB(2), ML_PAGE, ML_GB(1)) },
	{ .desc = "P4 post-MMIO: VTL2 (post 1) at [3] -> ENOSPC",
	  PL_REQS(RAMQ(ML_GB(1), ML_PAGE), RSV(ML_GB(3), ML_MAX),
		  POST(MMIO, ML_MB(1), ML_PAGE), VTL2Q(ML_GB(2), ML_GB(2))),
	  .err = -ENOSPC, .reason = PL_RULE(EXHAUSTED, 3),
	  .preason = PR_P4(POST_MMIO, 1, ML_GB(2), ML_GB(2),
			   ML_GB(2) - ML_MB(1)) },

	/* SPEC R5 last: a placement without RAM builds no layout. */
	{ .desc = "R5: holes only -> EINVAL, RAM 0",
	  PL_REQS(FIX(MMIO, 0xFE000000, ML_4G),
		  M32(PCI_ECAM, ML_MB(256), ML_MB(256))),
	  .err = -EINVAL, .reason = REASON_RULE(NO_RAM, RAM, 0, NONE, 0) },
	{ .desc = "R5: no request at all -> EINVAL, RAM 0",
	  .err = -EINVAL, .reason = REASON_RULE(NO_RAM, RAM, 0, NONE, 0) },
	{ .desc = "R5: a memory-less node and VTL2 -> EINVAL, RAM 0",
	  PL_REQS(RAMQ(0, 0), VTL2Q(ML_MB(64), ML_MB(2))),
	  .err = -EINVAL, .reason = REASON_RULE(NO_RAM, RAM, 0, NONE, 0) },

	/* The array cannot be read: -EFAULT, the reasons all zero. */
	{ .desc = "request array unmapped -> EFAULT", .where = PL_IOCTL,
	  PL_Q35, .poke = { POKEX64(place_ptr, V_UNMAPPED) }, .err = -EFAULT },
	{ .desc = "request array runs into an unmapped page -> EFAULT",
	  .where = PL_IOCTL, PL_Q35,
	  .poke = { POKEX64(place_ptr, V_TORN) }, .err = -EFAULT },
};

/* The rows of ioctl_place_cases[] one runner takes (not @skip's). */
static const void *ioctl_place_next(const void *prev, char *desc, u8 skip)
{
	const struct ioctl_place_case *t = prev;

	t = t ? t + 1 : ioctl_place_cases;
	for (; t < ioctl_place_cases + ARRAY_SIZE(ioctl_place_cases); t++) {
		if (t->where == skip)
			continue;
		strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
		return t;
	}
	return NULL;
}

static const void *ioctl_place_gen_params(const void *prev, char *desc)
{
	return ioctl_place_next(prev, desc, PL_CORE);
}

static const void *set_place_gen_params(const void *prev, char *desc)
{
	return ioctl_place_next(prev, desc, PL_IOCTL);
}

/**
 * ioctl_place_set() - a row's struct memlayout_set
 * @t: the row.
 * @s: receives the command.
 * @place_ptr: the address of the request array (when @t has requests).
 * @limit: the R8 limit, for %V_PLACE_MAX.
 * @env: the ioctl test, for the other run-time values (or %NULL).
 *
 * The outputs (reason, generation, fingerprint, place_reason) are marked:
 * a reply that does not overwrite them keeps the mark.
 */
static void ioctl_place_set(const struct ioctl_place_case *t,
			    struct memlayout_set *s, u64 place_ptr, u32 limit,
			    struct ioctl_env *env)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->source = C4;
	s->nr_place = t->n;
	s->place_ptr = t->n ? place_ptr : 0;
	for (i = 0; i < ARRAY_SIZE(t->poke) && t->poke[i].width; i++) {
		const struct ioctl_poke *p = &t->poke[i];
		struct ioctl_poke v = *p;

		if (p->special == V_PLACE_MAX) {
			v.special = V_PLAIN;
			v.val = (u64)MEMLAYOUT_NR_CLASSES * limit + 1;
		}
		ioctl_poke_apply(env, &v, s);
	}
	memset(&s->reason, IOCTL_MARK, sizeof(s->reason));
	memset(&s->generation, IOCTL_MARK, sizeof(s->generation));
	memset(s->fingerprint, IOCTL_MARK, sizeof(s->fingerprint));
	memset(&s->place_reason, IOCTL_MARK, sizeof(s->place_reason));
}

/* Every member of a placement reason, named on failure. */
static void ioctl_expect_place_reason(struct kunit *test,
				      const struct memlayout_place_reason *got,
				      const struct memlayout_place_reason *want)
{
	KUNIT_EXPECT_EQ_MSG(test, got->place_class, want->place_class, "place_reason.place_class");
	KUNIT_EXPECT_EQ_MSG(test, got->index, want->index, "place_reason.index");
	KUNIT_EXPECT_EQ_MSG(test, got->other_class, want->other_class,
			    "place_reason.other_class");
	KUNIT_EXPECT_EQ_MSG(test, got->other_index, want->other_index,
			    "place_reason.other_index");
	KUNIT_EXPECT_EQ_MSG(test, got->phase, want->phase, "place_reason.phase");
	KUNIT_EXPECT_EQ_MSG(test, got->reserved, 0, "place_reason.reserved");
	KUNIT_EXPECT_EQ_MSG(test, got->size, want->size, "place_reason.size");
	KUNIT_EXPECT_EQ_MSG(test, got->align, want->align, "place_reason.align");
	KUNIT_EXPECT_EQ_MSG(test, got->free, want->free, "place_reason.free");
}

/* Expects @n placed ranges at @got to be exactly @want. */
static void ioctl_expect_placed(struct kunit *test,
				const struct memlayout_placed *got,
				const struct memlayout_placed *want, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_MEMEQ_MSG(test, &got[i], &want[i], sizeof(got[i]),
				       "placed range %u", i);
}

/* The reply of a row: its reasons, or zero ones (accepted). */
static void ioctl_place_expect_reply(struct kunit *test,
				     const struct ioctl_place_case *t,
				     const struct memlayout_set *out, u32 limit)
{
	static const struct memlayout_place_reason no_place;
	static const struct memlayout_reason none;
	struct memlayout_reason want = t->reason;

	if (t->at_limit)
		want.index = MEMLAYOUT_NR_CLASSES * limit;
	ioctl_expect_reason(test, &out->reason, t->err ? &want : &none);
	ioctl_expect_place_reason(test, &out->place_reason,
				  t->err ? &t->preason : &no_place);
}

/*
 * The interface logic of C4 alone (memlayout_set_check(), then
 * memlayout_set_place()), with the row's R8 limit: the errno, both
 * reasons, the placement the layout keeps, and no layout left alive by a
 * rejection.
 */
static void set_place_rows(struct kunit *test)
{
	const struct ioctl_place_case *t = test->param_value;
	u32 limit = t->max_ranges ? t->max_ranges : memlayout_max_ranges();
	static const u8 zero[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_request req;
	struct memlayout_set s, in;
	struct memlayout *l = NULL;
	long live = memlayout_live();
	int ret;

	ioctl_place_set(t, &s, PL_ADDR, limit, NULL);
	in = s;
	ret = memlayout_set_check(&s, &req, t->max_ranges);
	if (!ret) {
		l = memlayout_set_place(&s, t->reqs, t->max_ranges, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, l);
		ret = IS_ERR(l) ? PTR_ERR(l) : 0;
	}
	KUNIT_EXPECT_EQ(test, ret, t->err);
	/* The inputs as given; the outputs cleared, then the reasons. */
	KUNIT_EXPECT_MEMEQ(test, &s, &in, offsetof(struct memlayout_set, reason));
	KUNIT_EXPECT_EQ(test, s.place_ptr, in.place_ptr);
	KUNIT_EXPECT_EQ(test, s.nr_place, in.nr_place);
	KUNIT_EXPECT_EQ(test, s.place_flags, in.place_flags);
	KUNIT_EXPECT_EQ(test, s.generation, 0);
	KUNIT_EXPECT_MEMEQ(test, s.fingerprint, zero, sizeof(zero));
	ioctl_place_expect_reply(test, t, &s, limit);
	if (ret || t->err) {
		if (!IS_ERR_OR_NULL(l))
			memlayout_free(l);
		KUNIT_EXPECT_EQ_MSG(test, memlayout_live(), live,
				    "a rejected placement left a layout");
		return;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ioctl_free_layout, l), 0);
	KUNIT_EXPECT_EQ(test, memlayout_nr_placed(l), t->nr_want);
	KUNIT_ASSERT_NOT_NULL(test, l->placement);
	KUNIT_ASSERT_EQ(test, l->placement->nr, t->nr_want);
	ioctl_expect_placed(test, l->placement->ranges, t->want, t->nr_want);
}

/* memlayout_nr_placed(): a layout of C1-C3 has no placement. */
static void set_place_c1_has_none(struct kunit *test)
{
	static const struct memlayout_range mmio = R(SZ_1G, 2ULL * SZ_1G);
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_SIZE,
		.ram_size = 3ULL * SZ_1G,
		.mmio = &mmio,
		.nr_mmio = 1,
	};
	struct memlayout_error err;
	struct memlayout *l = ml_build(test, &req, &err);

	KUNIT_ASSERT_FALSE(test, IS_ERR(l));
	KUNIT_EXPECT_NULL(test, l->placement);
	KUNIT_EXPECT_EQ(test, memlayout_nr_placed(l), 0);
}

/* GET_PLACEMENTS of the file's layout, room for @n + 2: @want exactly. */
static void ioctl_expect_placements(struct ioctl_env *env,
				    const struct memlayout_placed *want, u32 n)
{
	struct kunit *test = env->test;
	unsigned long ug = env->rw + IOCTL_ARG + 1024, uent = env->rw + IOCTL_OUT;
	struct memlayout_get_placements g = {
		.size = sizeof(g),
		.count = n + 2,
		.entries_ptr = uent,
	};
	struct memlayout_placed got[16], mark;

	KUNIT_ASSERT_LE(test, n + 2, ARRAY_SIZE(got));
	memset(&mark, IOCTL_MARK, sizeof(mark));
	ioctl_fill(env, uent, IOCTL_MARK, PAGE_SIZE);
	ioctl_put(env, ug, &g, sizeof(g));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, GET_PLACED, ug), 0);
	ioctl_get(env, ug, &g, sizeof(g));
	KUNIT_EXPECT_EQ(test, g.count, n);
	KUNIT_EXPECT_EQ(test, g.generation, env->f->generation);
	ioctl_get(env, uent, got, (n + 2) * sizeof(got[0]));
	ioctl_expect_placed(test, got, want, n);
	KUNIT_EXPECT_MEMEQ(test, &got[n], &mark, sizeof(mark));
	KUNIT_EXPECT_MEMEQ(test, &got[n + 1], &mark, sizeof(mark));
}

/*
 * C4 through memlayout_ioctl(), on a file holding the preset layout: the
 * row as a dry run, then for real. A rejection writes its reasons, no
 * generation and no fingerprint, and leaves the file's layout, generation
 * and live layouts alone (SPEC "a rejected request changes nothing"); an
 * accepted row installs a layout whose GET_PLACEMENTS is the placement.
 */
static void ioctl_set_place_rows(struct kunit *test)
{
	const struct ioctl_place_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, true);
	static const u8 zero[MEMLAYOUT_FINGERPRINT_SIZE];
	unsigned long us = env->rw + IOCTL_ARG, ua = env->rw + IOCTL_ARRAYS;
	u8 guard[32], back[sizeof(guard)], dry_fp[MEMLAYOUT_FINGERPRINT_SIZE];
	size_t in_end = offsetof(struct memlayout_set, reason);
	size_t pl_in = offsetof(struct memlayout_set, place_ptr);
	size_t pl_len = offsetof(struct memlayout_set, place_reason) - pl_in;
	struct memlayout_set s, in, out;
	const struct memlayout *l;
	int dry;

	KUNIT_ASSERT_LE(test, t->n * sizeof(t->reqs[0]), PAGE_SIZE);
	if (t->n)
		ioctl_put(env, ua, t->reqs, t->n * sizeof(t->reqs[0]));
	ioctl_place_set(t, &s, ua, memlayout_max_ranges(), env);
	memset(guard, IOCTL_MARK, sizeof(guard));

	for (dry = 1; dry >= 0; dry--) {
		in = s;
		if (dry)
			in.flags |= MEMLAYOUT_SET_DRY_RUN;
		ioctl_put(env, us, &in, sizeof(in));
		ioctl_put(env, us + sizeof(in), guard, sizeof(guard));

		KUNIT_EXPECT_EQ_MSG(test, ioctl_call(env, SET_CMD, us), t->err,
				    dry ? "dry run" : "real");

		ioctl_get(env, us, &out, sizeof(out));
		ioctl_get(env, us + sizeof(out), back, sizeof(back));
		KUNIT_EXPECT_MEMEQ(test, &out, &in, in_end);
		KUNIT_EXPECT_MEMEQ(test, (u8 *)&out + pl_in, (u8 *)&in + pl_in,
				   pl_len);
		KUNIT_EXPECT_MEMEQ(test, back, guard, sizeof(guard));
		ioctl_place_expect_reply(test, t, &out, memlayout_max_ranges());
		if (t->err || dry) {
			KUNIT_EXPECT_EQ(test, out.generation, 0);
			ioctl_expect_intact(env);
		}
		if (t->err) {
			KUNIT_EXPECT_MEMEQ(test, out.fingerprint, zero, sizeof(zero));
			continue;
		}
		KUNIT_EXPECT_MEMNEQ(test, out.fingerprint, zero, sizeof(zero));
		if (dry) {
			memcpy(dry_fp, out.fingerprint, sizeof(dry_fp));
			continue;
		}
		/* Real: a new layout, the dry run's fingerprint, the placement. */
		KUNIT_EXPECT_MEMEQ(test, out.fingerprint, dry_fp, sizeof(dry_fp));
		KUNIT_EXPECT_EQ(test, out.generation, env->generation + 1);
		KUNIT_EXPECT_EQ(test, env->f->generation, env->generation + 1);
		l = rcu_access_pointer(env->f->layout);
		KUNIT_ASSERT_NOT_NULL(test, l);
		KUNIT_EXPECT_PTR_NE(test, l, env->layout);
		KUNIT_EXPECT_MEMEQ(test, l->fingerprint, dry_fp, sizeof(dry_fp));
		KUNIT_EXPECT_EQ(test, memlayout_nr_placed(l), t->nr_want);
		ioctl_expect_placements(env, t->want, t->nr_want);
	}
}

/* GET_PLACEMENTS (issue 9): the placed ranges, with count negotiation. */

/* The file a GET_PLACEMENTS row reads. */
enum ioctl_placed_file {
	PF_C4,		/* the q35 placement: 9 ranges, generation 1 */
	PF_C3,		/* the preset layout (C3): no placement */
	PF_EMPTY,	/* no layout */
	PF_C4_C1,	/* the q35 placement, then a C1 layout: generation 2 */
};

/**
 * struct ioctl_placed_case - one GET_PLACEMENTS
 * @desc: row name.
 * @file: an &enum ioctl_placed_file.
 * @flags: the flags member.
 * @reserved: the reserved member.
 * @count: the count member.
 * @buf: where entries_ptr points, an &enum ioctl_buf.
 * @want: the errno expected.
 * @reply: the struct is written back (count and generation).
 * @want_count: the count written back.
 */
struct ioctl_placed_case {
	const char *desc;
	u8 file;
	u32 flags;
	u32 reserved;
	u32 count;
	u8 buf;
	int want;
	bool reply;
	u32 want_count;
};

#define Q35_NR	ARRAY_SIZE(ioctl_q35_placed)

static const struct ioctl_placed_case ioctl_placed_cases[] = {
	{ .desc = "C4, room for 9 -> the 9 placed ranges", .count = Q35_NR,
	  .buf = BUF_OK, .reply = true, .want_count = Q35_NR },
	{ .desc = "C4, room for 12 -> 9, the rest untouched", .count = 12,
	  .buf = BUF_OK, .reply = true, .want_count = Q35_NR },
	{ .desc = "C4, size query -> EMSGSIZE, count 9", .want = -EMSGSIZE,
	  .reply = true, .want_count = Q35_NR },
	{ .desc = "C4, room for 8 -> EMSGSIZE, count 9, nothing copied",
	  .count = Q35_NR - 1, .buf = BUF_OK, .want = -EMSGSIZE, .reply = true,
	  .want_count = Q35_NR },
	{ .desc = "C4, room for 1 -> EMSGSIZE, count 9", .count = 1,
	  .buf = BUF_OK, .want = -EMSGSIZE, .reply = true,
	  .want_count = Q35_NR },
	{ .desc = "C3 layout, size query -> 0, count 0", .file = PF_C3,
	  .reply = true },
	{ .desc = "C3 layout, room for 4 -> 0, count 0, nothing copied",
	  .file = PF_C3, .count = 4, .buf = BUF_OK, .reply = true },
	{ .desc = "C4 replaced by C1 -> 0, count 0, generation 2",
	  .file = PF_C4_C1, .count = 4, .buf = BUF_OK, .reply = true },
	{ .desc = "C3 layout, unmapped buffer -> 0, not touched",
	  .file = PF_C3, .count = 4, .buf = BUF_UNMAPPED, .reply = true },
	{ .desc = "no layout -> ENOENT", .file = PF_EMPTY, .count = 4,
	  .buf = BUF_OK, .want = -ENOENT },
	{ .desc = "no layout, size query -> ENOENT", .file = PF_EMPTY,
	  .want = -ENOENT },
	{ .desc = "flag bit 0 -> EOPNOTSUPP", .flags = 1, .count = Q35_NR,
	  .buf = BUF_OK, .want = -EOPNOTSUPP },
	{ .desc = "flag bit 31 -> EOPNOTSUPP", .flags = 0x80000000,
	  .want = -EOPNOTSUPP },
	{ .desc = "reserved 1 -> EINVAL", .reserved = 1, .count = Q35_NR,
	  .buf = BUF_OK, .want = -EINVAL },
	{ .desc = "flag and reserved -> EOPNOTSUPP first", .flags = 1,
	  .reserved = 1, .want = -EOPNOTSUPP },
	{ .desc = "count 9 without entries_ptr -> EINVAL", .count = Q35_NR,
	  .want = -EINVAL },
	{ .desc = "entries_ptr with count 0 -> EINVAL", .buf = BUF_OK,
	  .want = -EINVAL },
	{ .desc = "count without pointer, no layout -> EINVAL first",
	  .file = PF_EMPTY, .count = 4, .want = -EINVAL },
	{ .desc = "unmapped buffer -> EFAULT, no reply", .count = Q35_NR,
	  .buf = BUF_UNMAPPED, .want = -EFAULT },
	{ .desc = "read-only buffer -> EFAULT, no reply", .count = Q35_NR,
	  .buf = BUF_RO, .want = -EFAULT },
	{ .desc = "second entry on a read-only page -> EFAULT", .count = Q35_NR,
	  .buf = BUF_TORN_RO, .want = -EFAULT },
};

static void ioctl_placed_desc(const struct ioctl_placed_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_placed, ioctl_placed_cases, ioctl_placed_desc);

/* Installs the q35 placement through SET_LAYOUT (no faults). */
static void ioctl_set_q35(struct ioctl_env *env)
{
	unsigned long us = env->rw + IOCTL_PRESET + 2048;
	unsigned long ua = env->rw + IOCTL_PRESET;
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = C4,
		.nr_place = ARRAY_SIZE(ioctl_q35_reqs),
		.place_ptr = ua,
	};

	ioctl_put(env, ua, ioctl_q35_reqs, sizeof(ioctl_q35_reqs));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_ASSERT_EQ(env->test, ioctl_call(env, SET_CMD, us), 0);
}

/* Replaces the file's layout by a C1 one. */
static void ioctl_set_c1(struct ioctl_env *env)
{
	unsigned long us = env->rw + IOCTL_PRESET + 2048;
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = 3ULL * SZ_1G,
	};

	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_ASSERT_EQ(env->test, ioctl_call(env, SET_CMD, us), 0);
}

/* GET_PLACEMENTS, one row each: errno, reply, entries, file. */
static void ioctl_get_placements_rows(struct kunit *test)
{
	const struct ioctl_placed_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, t->file == PF_C3);
	unsigned long ug = env->rw + IOCTL_ARG, uent = env->rw + IOCTL_OUT;
	struct memlayout_get_placements g = {
		.size = sizeof(g),
		.flags = t->flags,
		.count = t->count,
		.reserved = t->reserved,
	};
	struct memlayout_get_placements out;
	struct memlayout_placed e, mark;
	u32 i;

	if (t->file == PF_C4 || t->file == PF_C4_C1)
		ioctl_set_q35(env);
	if (t->file == PF_C4_C1)
		ioctl_set_c1(env);
	ioctl_snapshot(env);
	memset(&mark, IOCTL_MARK, sizeof(mark));
	ioctl_fill(env, uent, IOCTL_MARK, PAGE_SIZE);
	g.entries_ptr = ioctl_buf_addr(env, t->buf, sizeof(e), uent);
	memset(&g.generation, IOCTL_MARK, sizeof(g.generation));
	ioctl_put(env, ug, &g, sizeof(g));

	KUNIT_EXPECT_EQ(test, ioctl_call(env, GET_PLACED, ug), t->want);
	ioctl_expect_intact(env);

	ioctl_get(env, ug, &out, sizeof(out));
	if (t->reply) {
		KUNIT_EXPECT_EQ(test, out.count, t->want_count);
		KUNIT_EXPECT_EQ(test, out.generation, env->generation);
		g.count = t->want_count;
		g.generation = env->generation;
	}
	/* Nothing but count and generation is written, and only with a reply. */
	KUNIT_EXPECT_MEMEQ(test, &out, &g, sizeof(g));
	if (t->file == PF_C4_C1)
		KUNIT_EXPECT_EQ(test, env->generation, 2);

	if (t->buf != BUF_OK)
		return;
	for (i = 0; i < PAGE_SIZE / sizeof(e); i++) {
		ioctl_get(env, uent + i * sizeof(e), &e, sizeof(e));
		if (!t->want && i < t->want_count)
			KUNIT_EXPECT_MEMEQ_MSG(test, &e, &ioctl_q35_placed[i],
					       sizeof(e), "entry %u", i);
		else
			KUNIT_EXPECT_MEMEQ_MSG(test, &e, &mark, sizeof(e),
					       "entry %u written", i);
	}
}

/*
 * A caller built before C4 (VER1, 168 bytes) that asks for source 4 has
 * no request array: nr_place reads 0, so SPEC R5; the reply covers its
 * 168 bytes only, nothing past them.
 */
static void ioctl_set_place_ver1_size(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, true);
	struct memlayout_reason want = REASON_RULE(NO_RAM, RAM, 0, NONE, 0);
	unsigned long us = env->rw + IOCTL_ARG;
	struct memlayout_set s = {
		.size = MEMLAYOUT_SET_SIZE_VER1,
		.source = C4,
	};
	u8 *before, *after;

	before = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	after = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	memset(before, IOCTL_MARK, PAGE_SIZE);
	memcpy(before, &s, offsetof(struct memlayout_set, reason));
	memset(before + offsetof(struct memlayout_set, reason), 0,
	       MEMLAYOUT_SET_SIZE_VER1 - offsetof(struct memlayout_set, reason));
	ioctl_put(env, us, before, PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, ioctl_call(env, SET_CMD, us), -EINVAL);
	ioctl_expect_intact(env);
	ioctl_get(env, us, after, PAGE_SIZE);
	ioctl_expect_reason(test, &((struct memlayout_set *)after)->reason, &want);
	memcpy(before + offsetof(struct memlayout_set, reason), &want,
	       sizeof(want));
	KUNIT_EXPECT_MEMEQ(test, after, before, PAGE_SIZE);
}

#define IOCTL_Q35_FDINFO						\
	"\nranges:\tram 4 mmio 2 pci_ecam 1 pci_mmio 1\n"		\
	"placed:\t9\n"							\
	"vtl2:\t0x11c0000000-0x11c4000000\t"

/**
 * ioctl_fdinfo() - the fdinfo of an open /dev/memlayout
 * @test: the running test.
 * @filp: the file.
 * @buf: receives the text, NUL-terminated.
 * @len: size of @buf.
 */
static void ioctl_fdinfo(struct kunit *test, struct file *filp, char *buf,
			 size_t len)
{
	struct seq_file m = { .buf = buf, .size = len - 1 };

	KUNIT_ASSERT_NOT_NULL(test, filp->f_op->show_fdinfo);
	filp->f_op->show_fdinfo(&m, filp);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	buf[m.count] = '\0';
}

/*
 * issue 9: fdinfo says how many ranges a C4 layout placed ("placed:"),
 * and says nothing of it for C1-C3. The real device, opened through a
 * private mount of devtmpfs (so its show_fdinfo is the module's); where
 * the kernel has no devtmpfs (the UML layers), the case is skipped.
 */
static void ioctl_fdinfo_placed(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, false);
	unsigned long us = env->rw + IOCTL_ARG, ua = env->rw + IOCTL_ARRAYS;
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = C4,
		.nr_place = ARRAY_SIZE(ioctl_q35_reqs),
		.place_ptr = ua,
	};
	struct file_system_type *fs;
	struct vfsmount *mnt;
	struct file *filp;
	char *buf;

	fs = get_fs_type("devtmpfs");
	if (!fs)
		kunit_skip(test, "no devtmpfs in this kernel");
	mnt = kern_mount(fs);
	put_filesystem(fs);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mnt));
	filp = file_open_root_mnt(mnt, "memlayout", O_RDWR, 0);
	if (IS_ERR(filp)) {
		kern_unmount(mnt);
		kunit_skip(test, "no /dev/memlayout in devtmpfs: %ld",
			   PTR_ERR(filp));
	}
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		goto out;

	ioctl_fdinfo(test, filp, buf, PAGE_SIZE);
	KUNIT_EXPECT_STREQ(test, buf, "layout:\tnone\n");

	ioctl_put(env, ua, ioctl_q35_reqs, sizeof(ioctl_q35_reqs));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, filp->f_op->unlocked_ioctl(filp, SET_CMD, us), 0);
	ioctl_fdinfo(test, filp, buf, PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(buf, "\nplaced:\t9\n"), "%s", buf);
	/* After the range counts, before VTL2 (q35: 71 GiB, 64 MiB). */
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(buf, IOCTL_Q35_FDINFO), "%s", buf);

	/* A C1 layout replaces it: no placement, no line. */
	s.source = MEMLAYOUT_SOURCE_SIZE;
	s.ram_size = 3ULL * SZ_1G;
	s.nr_place = 0;
	s.place_ptr = 0;
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, filp->f_op->unlocked_ioctl(filp, SET_CMD, us), 0);
	ioctl_fdinfo(test, filp, buf, PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(buf, "generation:\t2\n"), "%s", buf);
	KUNIT_EXPECT_NULL_MSG(test, strstr(buf, "placed:"), "%s", buf);
out:
	fput(filp);
	kern_unmount(mnt);
	KUNIT_ASSERT_NOT_NULL(test, buf);
}

KUNIT_DEFINE_ACTION_WRAPPER(ioctl_kvfree, kvfree, const void *);

/*
 * SPEC R8 at the module's limit, through the ioctl, with arrays of
 * max_ranges + 1 requests: one class over the limit (memlayout_place()),
 * and RAM split into max_ranges + 1 extents (memlayout_build_placed());
 * then max_ranges extents exactly, accepted, and read back with
 * GET_PLACEMENTS in more than one chunk.
 */
static void ioctl_set_place_at_limit(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, true);
	u32 max = memlayout_max_ranges(), i, n = max + 1;
	size_t reqs_len = PAGE_ALIGN(n * sizeof(struct memlayout_place_req));
	size_t ents_len = PAGE_ALIGN(2 * max * sizeof(struct memlayout_placed));
	static const struct memlayout_place_reason no_place;
	struct memlayout_reason want = REASON_RULE(TOO_MANY, PLACE, max, NONE, 0);
	struct memlayout_place_reason pwant = { .place_class = MEMLAYOUT_CLASS_MMIO32,
						.index = max };
	struct memlayout_get_placements g = { .size = sizeof(g) };
	struct memlayout_placed *ents;
	struct memlayout_place_req *reqs;
	unsigned long ureqs, uents, us = env->rw + IOCTL_ARG;
	unsigned long ug = env->rw + IOCTL_ARG + 1024;
	u32 bad;
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = C4,
		.nr_place = n,
	};

	if (max > MEMLAYOUT_DEFAULT_MAX_RANGES)
		kunit_skip(test, "max_ranges %u: arrays too large here", max);
	ureqs = kunit_vm_mmap(test, NULL, 0, reqs_len + ents_len,
			      PROT_READ | PROT_WRITE,
			      MAP_ANONYMOUS | MAP_PRIVATE | MAP_POPULATE, 0);
	if (IS_ERR_VALUE(ureqs) || !ureqs)
		kunit_skip(test, "no user memory for this test (kunit_vm_mmap)");
	uents = ureqs + reqs_len;
	reqs = kvzalloc(reqs_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reqs);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ioctl_kvfree, reqs), 0);
	ents = kvzalloc(ents_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ents);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ioctl_kvfree, ents), 0);
	s.place_ptr = ureqs;

	/* max_ranges + 1 mmio32 requests of a page: R8 on class mmio32. */
	for (i = 0; i < n; i++)
		reqs[i] = (struct memlayout_place_req)M32(MMIO, ML_PAGE, ML_PAGE);
	ioctl_put(env, ureqs, reqs, n * sizeof(*reqs));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, SET_CMD, us), -E2BIG);
	ioctl_get(env, us, &s, sizeof(s));
	ioctl_expect_reason(test, &s.reason, &want);
	ioctl_expect_place_reason(test, &s.place_reason, &pwant);
	ioctl_expect_intact(env);

	/*
	 * max_ranges fixed pages, one every 8K from 4K, and RAM of
	 * max_ranges + 1 pages: an extent below each, one above them all.
	 */
	for (i = 0; i < max; i++)
		reqs[i] = (struct memlayout_place_req)
			FIX(MMIO, (2 * i + 1) * ML_PAGE, (2 * i + 2) * ML_PAGE);
	reqs[max] = (struct memlayout_place_req)RAMQ((max + 1) * ML_PAGE,
						      ML_PAGE);
	ioctl_put(env, ureqs, reqs, n * sizeof(*reqs));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, SET_CMD, us), -E2BIG);
	ioctl_get(env, us, &s, sizeof(s));
	want = (struct memlayout_reason)REASON_RULE(TOO_MANY, RAM, max, NONE, 0);
	ioctl_expect_reason(test, &s.reason, &want);
	ioctl_expect_place_reason(test, &s.place_reason, &no_place);
	ioctl_expect_intact(env);

	/* One page less of RAM: max_ranges extents, accepted. */
	reqs[max].size = max * ML_PAGE;
	ioctl_put(env, ureqs + max * sizeof(*reqs), &reqs[max], sizeof(*reqs));
	ioctl_put(env, us, &s, sizeof(s));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, SET_CMD, us), 0);

	/* 2 * max_ranges placed ranges, RAM and fixed in turn from 0. */
	g.count = 2 * max;
	g.entries_ptr = uents;
	ioctl_put(env, ug, &g, sizeof(g));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, GET_PLACED, ug), 0);
	ioctl_get(env, ug, &g, sizeof(g));
	KUNIT_EXPECT_EQ(test, g.count, 2 * max);
	KUNIT_EXPECT_EQ(test, g.generation, env->generation + 1);
	ioctl_get(env, uents, ents, 2 * max * sizeof(*ents));
	for (i = 0, bad = 0; i < 2 * max; i++) {
		u64 at = (u64)i * ML_PAGE;
		struct memlayout_placed w = WRAM(at, at + ML_PAGE, 0, 0);

		if (i % 2)
			w = (struct memlayout_placed)WFIX(MMIO, at, at + ML_PAGE,
							  i / 2);
		if (memcmp(&ents[i], &w, sizeof(w)) && !bad++)
			KUNIT_FAIL(test, "placed range %u: %#llx-%#llx class %u index %u",
				   i, ents[i].start, ents[i].end, ents[i].place_class,
				   ents[i].index);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/*
 * issue 11: MEMLAYOUT_IOC_CHECK_HOST (SPEC H1-H3). Every error path UML
 * reaches, one row each, in the order the command checks them: the
 * command's members (memlayout_check_host_args()), the layout, the device
 * array, then each record (memlayout_check_host_device()) and its
 * resolution (memlayout_hostfit.c). Conflicts need a CPU narrower than 64
 * bits: x86 (boot_cpu_data.x86_phys_bits) has one, UML does not (its
 * fallback is 64), so the H1 and PCI cases run in the x86_64 layer.
 */

/* Where CHECK_HOST's arrays go: devices in page 1, conflicts in page 2. */
#define IOCTL_DEVS		IOCTL_ARRAYS
#define IOCTL_CONFLICTS		IOCTL_OUT
#define IOCTL_MAX_CONFLICTS	(PAGE_SIZE / sizeof(struct memlayout_host_conflict))

/* Where a row's device array is. */
enum ioctl_host_ptr {
	HP_NONE,	/* 0 */
	HP_OK,		/* the read-write devices page */
	HP_UNMAPPED,	/* the unmapped page */
	HP_TORN,	/* its second record runs into the unmapped page */
};

/* What a row's device record's @fd is. */
enum ioctl_host_fd {
	HF_RAW,		/* @dev.fd as the row gives it */
	HF_CLOSED,	/* a descriptor number nothing has open */
	HF_OTHER,	/* an open file that is not a VFIO file */
};

/**
 * struct ioctl_host_case - one CHECK_HOST error row
 * @desc: row name.
 * @flags: the command's flags.
 * @nr: its nr_devices.
 * @devs: an &enum ioctl_host_ptr.
 * @count: its count.
 * @conflicts: whether conflicts_ptr is set.
 * @empty: the file holds no layout.
 * @dev: device record 0 (every record of the array is a copy).
 * @fd: an &enum ioctl_host_fd for @dev.fd.
 * @want: the errno.
 * @device: %true when the error is record 0's: the command is written
 *          back with error_device 0; else it is not written at all.
 */
struct ioctl_host_case {
	const char *desc;
	u32 flags;
	u32 nr;
	u8 devs;
	u32 count;
	bool conflicts;
	bool empty;
	struct memlayout_host_device dev;
	u8 fd;
	int want;
	bool device;
};

#define HPCI(s, b, df)	{ .type = MEMLAYOUT_DEVICE_PCI, .pci_segment = (s), \
			  .pci_bus = (b), .pci_devfn = (df) }
#define HVFIO		{ .type = MEMLAYOUT_DEVICE_VFIO }
/* A PCI address no machine of ours has: segment 0xffff. */
#define HMISSING	HPCI(0xffff, 0xff, 0xff)

static const struct ioctl_host_case ioctl_host_cases[] = {
	/* memlayout_check_host_args(): flags, device count, pointer pairs. */
	{ "flags 1 -> EOPNOTSUPP", .flags = 1, .want = -EOPNOTSUPP },
	{ "flags bit 31 -> EOPNOTSUPP", .flags = 0x80000000,
	  .want = -EOPNOTSUPP },
	{ "flags 1 and 65 devices -> EOPNOTSUPP (flags first)", .flags = 1,
	  .nr = 65, .devs = HP_OK, .want = -EOPNOTSUPP },
	{ "65 devices -> E2BIG", .nr = 65, .devs = HP_OK, .dev = HMISSING,
	  .want = -E2BIG },
	{ "U32_MAX devices -> E2BIG", .nr = U32_MAX, .devs = HP_OK,
	  .want = -E2BIG },
	{ "65 devices, NULL array -> E2BIG (count before pointer)", .nr = 65,
	  .want = -E2BIG },
	{ "1 device, NULL array -> EINVAL", .nr = 1, .want = -EINVAL },
	{ "0 devices, an array -> EINVAL", .devs = HP_OK, .want = -EINVAL },
	{ "count 1, NULL conflicts -> EINVAL", .count = 1, .want = -EINVAL },
	{ "count 0, a conflicts pointer -> EINVAL", .conflicts = true,
	  .want = -EINVAL },
	/* The layout, before any device is looked at. */
	{ "no layout -> ENOENT", .empty = true, .want = -ENOENT },
	{ "no layout, a bad record -> ENOENT (layout first)", .empty = true,
	  .nr = 1, .devs = HP_OK, .want = -ENOENT },
	/* The device array. */
	{ "devices unmapped -> EFAULT", .nr = 1, .devs = HP_UNMAPPED,
	  .dev = HMISSING, .want = -EFAULT },
	{ "second device runs into an unmapped page -> EFAULT", .nr = 2,
	  .devs = HP_TORN, .dev = HMISSING, .want = -EFAULT },
	/* memlayout_check_host_device(), record 0. */
	{ "type 0 -> EOPNOTSUPP, error_device 0", .nr = 1, .devs = HP_OK,
	  .want = -EOPNOTSUPP, .device = true },
	{ "type 3 -> EOPNOTSUPP, error_device 0", .nr = 1, .devs = HP_OK,
	  .dev = { .type = 3 }, .want = -EOPNOTSUPP, .device = true },
	{ "PCI ffff:ff:1f.7, flags (out, ignored) -> ENODEV", .nr = 1,
	  .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_PCI, .pci_segment = 0xffff,
		   .pci_bus = 0xff, .pci_devfn = 0xff, .flags = 1 },
	  .want = -ENODEV, .device = true },
	{ "PCI, reserved 1 -> EINVAL", .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_PCI, .reserved = 1 },
	  .want = -EINVAL, .device = true },
	{ "PCI, fd 3 -> EINVAL", .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_PCI, .fd = 3 },
	  .want = -EINVAL, .device = true },
	{ "VFIO, pci_segment 1 (out, ignored), not a VFIO fd -> EINVAL",
	  .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_VFIO, .pci_segment = 1 },
	  .fd = HF_OTHER, .want = -EINVAL, .device = true },
	{ "VFIO, pci_bus 1 and flags (out, ignored), closed fd -> EBADF",
	  .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_VFIO, .pci_bus = 1,
		   .flags = MEMLAYOUT_DEVICE_PCI_ADDR },
	  .fd = HF_CLOSED, .want = -EBADF, .device = true },
	{ "VFIO, pci_devfn 1 (out, ignored), closed fd -> EBADF", .nr = 1,
	  .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_VFIO, .pci_devfn = 1 },
	  .fd = HF_CLOSED, .want = -EBADF, .device = true },
	/* Resolution (memlayout_hostfit.c). */
	{ "PCI ffff:ff:1f.7 -> ENODEV, error_device 0", .nr = 1,
	  .devs = HP_OK, .dev = HMISSING, .want = -ENODEV, .device = true },
	{ "PCI ffff:ff:1f.7, out members set -> ENODEV (ignored on input)",
	  .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_PCI, .pci_segment = 0xffff,
		   .pci_bus = 0xff, .pci_devfn = 0xff, .iommu_group = 7,
		   .domain_type = 3, .nr_resv = 9, .aperture_start = 1,
		   .aperture_last = 2 },
	  .want = -ENODEV, .device = true },
	{ "64 devices, all missing -> ENODEV at 0", .nr = 64, .devs = HP_OK,
	  .dev = HMISSING, .want = -ENODEV, .device = true },
	{ "VFIO, fd -1 -> EBADF", .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_VFIO, .fd = -1 },
	  .want = -EBADF, .device = true },
	{ "VFIO, fd INT_MIN -> EBADF", .nr = 1, .devs = HP_OK,
	  .dev = { .type = MEMLAYOUT_DEVICE_VFIO, .fd = INT_MIN },
	  .want = -EBADF, .device = true },
	{ "VFIO, a closed descriptor -> EBADF", .nr = 1, .devs = HP_OK,
	  .dev = HVFIO, .fd = HF_CLOSED, .want = -EBADF, .device = true },
	{ "VFIO, a file that is not VFIO's -> EINVAL", .nr = 1,
	  .devs = HP_OK, .dev = HVFIO, .fd = HF_OTHER, .want = -EINVAL,
	  .device = true },
};

static void ioctl_host_desc(const struct ioctl_host_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_host, ioctl_host_cases, ioctl_host_desc);

static const struct file_operations ioctl_other_fops = {
	.owner = THIS_MODULE,
};

static void ioctl_close_fd(void *data)
{
	close_fd((unsigned long)data);
}

/* A descriptor of an open file that is not a VFIO file, closed at the end. */
static int ioctl_other_fd(struct kunit *test)
{
	int fd = anon_inode_getfd("[memlayout-kunit]", &ioctl_other_fops,
				  NULL, O_RDONLY);
	int ret;

	KUNIT_ASSERT_GE(test, fd, 0);
	ret = kunit_add_action_or_reset(test, ioctl_close_fd,
					(void *)(unsigned long)fd);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fd;
}

/* A descriptor number no file is open at (free now, and still later). */
static int ioctl_closed_fd(struct kunit *test)
{
	int fd = get_unused_fd_flags(0);

	KUNIT_ASSERT_GE(test, fd, 0);
	put_unused_fd(fd);
	return fd;
}

/*
 * SPEC H1-H3 with STYLE's "every userspace input is hostile": each row's
 * errno; the command written back exactly when the error is a device's
 * (error_device its index, the rest of the reply cleared), else left
 * byte for byte; the device array never written; the file untouched.
 */
static void ioctl_check_host_rows(struct kunit *test)
{
	const struct ioctl_host_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	struct memlayout_check_host c, want;
	struct memlayout_host_device dev = t->dev;
	unsigned long uc = env->rw + IOCTL_ARG;
	unsigned long udevs = 0;
	u8 *before, *after;
	u32 i, room;

	if (t->fd == HF_OTHER)
		dev.fd = ioctl_other_fd(test);
	else if (t->fd == HF_CLOSED)
		dev.fd = ioctl_closed_fd(test);
	switch (t->devs) {
	case HP_OK:
		udevs = env->rw + IOCTL_DEVS;
		break;
	case HP_UNMAPPED:
		udevs = env->unmapped;
		break;
	case HP_TORN:
		udevs = env->unmapped - sizeof(dev);
		break;
	}
	room = t->devs == HP_OK ? PAGE_SIZE / sizeof(dev) :
	       t->devs == HP_TORN ? 1 : 0;
	for (i = 0; i < min(t->nr, room); i++)
		ioctl_put(env, udevs + i * sizeof(dev), &dev, sizeof(dev));
	before = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	after = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	ioctl_get(env, env->rw + IOCTL_DEVS, before, PAGE_SIZE);

	memset(&c, IOCTL_MARK, sizeof(c));
	c.size = sizeof(c);
	c.flags = t->flags;
	c.nr_devices = t->nr;
	c.count = t->count;
	c.devices_ptr = udevs;
	c.conflicts_ptr = t->conflicts ? env->rw + IOCTL_CONFLICTS : 0;
	ioctl_put(env, uc, &c, sizeof(c));
	ioctl_snapshot(env);

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_CHECK_HOST, uc),
			t->want);
	want = c;
	if (t->device) {
		want.generation = 0;
		want.phys_bits = 0;
		want.error_device = 0;
	}
	ioctl_get(env, uc, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, c.size, want.size);
	KUNIT_EXPECT_EQ(test, c.count, want.count);
	KUNIT_EXPECT_EQ(test, c.generation, want.generation);
	KUNIT_EXPECT_EQ(test, c.phys_bits, want.phys_bits);
	KUNIT_EXPECT_EQ(test, c.error_device, want.error_device);
	KUNIT_EXPECT_EQ(test, memcmp(&c, &want, sizeof(c)), 0);
	ioctl_get(env, env->rw + IOCTL_DEVS, after, PAGE_SIZE);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(before, after, PAGE_SIZE), 0,
			    "the device array was written");
	ioctl_expect_intact(env);
}

/**
 * ioctl_h1_model() - SPEC H1's conflicts, predicted from a layout's ranges
 * @map: the layout's ranges in address order (GET_LAYOUT's entries).
 * @nr: their number.
 * @vtl2: its VTL2 range, or %NULL.
 * @bits: the CPU width.
 * @out: receives the conflicts in the documented order (address order).
 *
 * Return: the number of conflicts.
 */
static u32 ioctl_h1_model(const struct memlayout_map_entry *map, u32 nr,
			  const struct memlayout_range *vtl2, u32 bits,
			  struct memlayout_host_conflict *out)
{
	struct memlayout_host_conflict c = {
		.rule = MEMLAYOUT_HOST_CPU_WIDTH,
		.device = MEMLAYOUT_NO_DEVICE,
		.host_last = U64_MAX,
		.phys_bits = bits,
	};
	u32 seen[MEMLAYOUT_KIND_PCI_MMIO + 1] = {};
	bool vtl2_done = !vtl2;
	u32 i, n = 0;

	if (bits >= 64)
		return 0;	/* every range ends at or below 2^64 */
	c.host_start = 1ULL << bits;

	for (i = 0; i <= nr; i++) {
		if (!vtl2_done && (i == nr || vtl2->start < map[i].start)) {
			vtl2_done = true;
			if (vtl2->end > c.host_start) {
				c.list = MEMLAYOUT_LIST_VTL2;
				c.index = 0;
				c.start = vtl2->start;
				c.end = vtl2->end;
				out[n++] = c;
			}
		}
		if (i == nr)
			break;
		c.list = map[i].kind;
		c.index = seen[map[i].kind]++;
		c.start = map[i].start;
		c.end = map[i].end;
		if (c.end > c.host_start)
			out[n++] = c;
	}
	return n;
}

/* The CPU width, or skip: a width of 64 bits has no H1 conflict (UML). */
static u32 ioctl_host_bits(struct kunit *test)
{
	u32 bits = ml_host_phys_bits();

	KUNIT_ASSERT_GE(test, bits, 1);
	KUNIT_ASSERT_LE(test, bits, 64);
	if (bits > 60)
		kunit_skip(test, "CPU width %u bits: no layout ends above it", bits);
	return bits;
}

/* One CHECK_HOST of no device with room for @count at @uconf. */
static long ioctl_host_call(struct ioctl_env *env, u32 count,
			    unsigned long uconf, struct memlayout_check_host *c)
{
	unsigned long uc = env->rw + IOCTL_ARG;
	long ret;

	memset(c, IOCTL_MARK, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = 0;
	c->nr_devices = 0;
	c->devices_ptr = 0;
	c->count = count;
	c->conflicts_ptr = count ? uconf : 0;
	ioctl_put(env, uc, c, sizeof(*c));
	ret = ioctl_call(env, MEMLAYOUT_IOC_CHECK_HOST, uc);
	ioctl_get(env, uc, c, sizeof(*c));
	return ret;
}

/* The conflicts read back at @uconf against @want. */
static void ioctl_expect_conflicts(struct ioctl_env *env, unsigned long uconf,
				   const struct memlayout_host_conflict *want,
				   u32 n)
{
	struct memlayout_host_conflict got;
	u32 i;

	for (i = 0; i < n; i++) {
		ioctl_get(env, uconf + i * sizeof(got), &got, sizeof(got));
		KUNIT_EXPECT_EQ_MSG(env->test, memcmp(&got, &want[i], sizeof(got)),
				    0, "conflict %u: rule %u list %u index %u",
				    i, got.rule, got.list, got.index);
		KUNIT_EXPECT_EQ_MSG(env->test, got.start, want[i].start,
				    "conflict %u", i);
		KUNIT_EXPECT_EQ_MSG(env->test, got.end, want[i].end,
				    "conflict %u", i);
		KUNIT_EXPECT_EQ_MSG(env->test, got.host_start,
				    want[i].host_start, "conflict %u", i);
		KUNIT_EXPECT_EQ_MSG(env->test, got.phys_bits, want[i].phys_bits,
				    "conflict %u", i);
	}
}

/* Whether @len bytes at @uaddr all still hold IOCTL_MARK. */
static bool ioctl_marked(struct ioctl_env *env, unsigned long uaddr, size_t len)
{
	u8 *buf = kunit_kmalloc(env->test, len, GFP_KERNEL);
	bool marked;

	KUNIT_ASSERT_NOT_NULL(env->test, buf);
	ioctl_get(env, uaddr, buf, len);
	marked = !memchr_inv(buf, IOCTL_MARK, len);
	kunit_kfree(env->test, buf);
	return marked;
}

/*
 * SPEC H1 through the ioctl, with count negotiation as GET_RANGES: a
 * layout around 2^phys_bits (a hole just below it, RAM crossing it, a hole,
 * RAM and VTL2 above it) has exactly the conflicts the model
 * predicts; too small a buffer gets -EMSGSIZE with the count and nothing
 * written; an unwritable one -EFAULT; the preset layout is checked too.
 */
static void ioctl_check_host_h1(struct kunit *test)
{
	u32 bits = ioctl_host_bits(test);
	u64 top = 1ULL << bits;
	struct ioctl_env *env = ioctl_env_new(test, false);
	const struct memlayout_range ram[] = {
		R(0, SZ_1G), R(top - SZ_1G, top + SZ_1G),
		R(top + 2 * (u64)SZ_1G, top + 3 * (u64)SZ_1G),
	};
	const struct memlayout_range mmio[] = {
		R(top + SZ_1G, top + 2 * (u64)SZ_1G) };
	const struct memlayout_range ecam[] = {
		R(top - 2 * (u64)SZ_1G, top - SZ_1G) };
	/* SPEC R7: VTL2 starts at or above the end of RAM. */
	const struct memlayout_range vtl2 = R(top + 4 * (u64)SZ_1G,
					      top + 5 * (u64)SZ_1G);
	const struct memlayout_map_entry map[] = {
		{ .start = 0, .end = SZ_1G, .kind = MEMLAYOUT_KIND_RAM },
		{ .start = top - 2 * (u64)SZ_1G, .end = top - SZ_1G,
		  .kind = MEMLAYOUT_KIND_PCI_ECAM },
		{ .start = top - SZ_1G, .end = top + SZ_1G,
		  .kind = MEMLAYOUT_KIND_RAM },
		{ .start = top + SZ_1G, .end = top + 2 * (u64)SZ_1G,
		  .kind = MEMLAYOUT_KIND_MMIO },
		{ .start = top + 2 * (u64)SZ_1G, .end = top + 3 * (u64)SZ_1G,
		  .kind = MEMLAYOUT_KIND_RAM },
	};
	struct memlayout_host_conflict want[8];
	struct memlayout_set s = {
		.size = sizeof(s),
		.flags = MEMLAYOUT_SET_VTL2,
		.source = MEMLAYOUT_SOURCE_RANGES,
		.nr_ram = ARRAY_SIZE(ram),
		.nr_mmio = ARRAY_SIZE(mmio),
		.nr_pci_ecam = ARRAY_SIZE(ecam),
		.vtl2 = vtl2,
	};
	unsigned long base = env->rw + IOCTL_ARRAYS;
	unsigned long uconf = env->rw + IOCTL_CONFLICTS;
	struct memlayout_check_host c;
	u32 n;

	KUNIT_ASSERT_GE(test, bits, 33);	/* [0, 3 GiB) below it */
	n = ioctl_h1_model(map, ARRAY_SIZE(map), &vtl2, bits, want);
	KUNIT_ASSERT_EQ(test, n, 4);	/* RAM 1, MMIO 0, RAM 2, VTL2 */
	s.ram_ptr = base;
	ioctl_put(env, base, ram, sizeof(ram));
	s.mmio_ptr = base + 512;
	ioctl_put(env, s.mmio_ptr, mmio, sizeof(mmio));
	s.pci_ecam_ptr = base + 1024;
	ioctl_put(env, s.pci_ecam_ptr, ecam, sizeof(ecam));
	ioctl_put(env, env->rw + IOCTL_ARG, &s, sizeof(s));
	KUNIT_ASSERT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_SET_LAYOUT,
					 env->rw + IOCTL_ARG), 0);
	ioctl_snapshot(env);

	/* The size query and a buffer one short: the count, nothing written. */
	ioctl_fill(env, uconf, IOCTL_MARK, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, 0, uconf, &c), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	KUNIT_EXPECT_EQ(test, c.phys_bits, bits);
	KUNIT_EXPECT_EQ(test, c.error_device, MEMLAYOUT_NO_DEVICE);
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, n - 1, uconf, &c), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_TRUE_MSG(test, ioctl_marked(env, uconf, PAGE_SIZE),
			      "-EMSGSIZE wrote conflicts");

	/* Exactly enough, and more than enough: every conflict, no more. */
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, n, uconf, &c), 0);
	KUNIT_EXPECT_EQ(test, c.count, n);
	ioctl_expect_conflicts(env, uconf, want, n);
	ioctl_fill(env, uconf, IOCTL_MARK, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, IOCTL_MAX_CONFLICTS, uconf,
					      &c), 0);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	KUNIT_EXPECT_EQ(test, c.phys_bits, bits);
	ioctl_expect_conflicts(env, uconf, want, n);
	KUNIT_EXPECT_TRUE_MSG(test, ioctl_marked(env, uconf + n * sizeof(want[0]),
						 PAGE_SIZE - n * sizeof(want[0])),
			      "written past the conflicts");

	/* Unwritable conflicts: -EFAULT, the command not written back. */
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, n, env->ro, &c), -EFAULT);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_EQ(test, c.phys_bits, 0xa5a5a5a5);
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, n, env->unmapped -
					      sizeof(want[0]), &c), -EFAULT);
	ioctl_expect_intact(env);

	/* The preset layout: its VTL2 at 1 TiB crosses a 40-bit width. */
	env = ioctl_env_new(test, true);
	n = ioctl_h1_model(preset_map, ARRAY_SIZE(preset_map), &preset_vtl2,
			   bits, want);
	uconf = env->rw + IOCTL_CONFLICTS;
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, IOCTL_MAX_CONFLICTS, uconf,
					      &c), 0);
	KUNIT_EXPECT_EQ(test, c.count, n);
	ioctl_expect_conflicts(env, uconf, want, n);
	ioctl_expect_intact(env);
}

/*
 * SPEC H1 on the preset layout, no device, in every layer: the size query
 * gives the model's count (0 where the layout fits: then 0, not
 * -EMSGSIZE), a buffer of exactly that size gets them all; the reply
 * names the layout's generation, the CPU width and no device.
 */
static void ioctl_check_host_fits(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, true);
	unsigned long uconf = env->rw + IOCTL_CONFLICTS;
	struct memlayout_host_conflict want[8];
	struct memlayout_check_host c;
	u32 bits = ml_host_phys_bits(), n;

	n = ioctl_h1_model(preset_map, ARRAY_SIZE(preset_map), &preset_vtl2,
			   bits, want);
	ioctl_fill(env, uconf, IOCTL_MARK, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ioctl_host_call(env, 0, uconf, &c),
			n ? -EMSGSIZE : 0);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	KUNIT_EXPECT_EQ(test, c.phys_bits, bits);
	KUNIT_EXPECT_EQ(test, c.error_device, MEMLAYOUT_NO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.nr_devices, 0);
	KUNIT_EXPECT_EQ(test, c.devices_ptr, 0);
	if (n) {
		KUNIT_EXPECT_EQ(test, ioctl_host_call(env, n, uconf, &c), 0);
		KUNIT_EXPECT_EQ(test, c.count, n);
		ioctl_expect_conflicts(env, uconf, want, n);
	}
	KUNIT_EXPECT_TRUE(test, ioctl_marked(env, uconf + n * sizeof(want[0]),
					     PAGE_SIZE - n * sizeof(want[0])));
	ioctl_expect_intact(env);
}

/*
 * SPEC H2, H3 "a device with no IOMMU is reported as such": a PCI device
 * this kernel has, named by address, comes back with the facts the IOMMU
 * layer gives for it, its input members echoed; behind it a missing one
 * fails the call with error_device 1. Needs a PCI device (x86_64 layer).
 */
static void ioctl_check_host_pci(struct kunit *test)
{
	struct pci_dev *pdev = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);
	struct ioctl_env *env = ioctl_env_new(test, true);
	struct memlayout_host_device devs[2] = { HMISSING, HMISSING }, got;
	unsigned long udevs = env->rw + IOCTL_DEVS;
	unsigned long uc = env->rw + IOCTL_ARG;
	struct memlayout_host_conflict conf;
	struct memlayout_check_host c;
	struct iommu_group *group;
	u32 i, flags = 0, id = 0;

	if (!pdev)
		kunit_skip(test, "no PCI device in this kernel");
	devs[0].pci_segment = pci_domain_nr(pdev->bus);
	devs[0].pci_bus = pdev->bus->number;
	devs[0].pci_devfn = pdev->devfn;
	group = iommu_group_get(&pdev->dev);
	if (group) {
		flags = MEMLAYOUT_DEVICE_IOMMU;
		id = iommu_group_id(group);
		iommu_group_put(group);
	}
	pci_dev_put(pdev);

	/* A real device, then a missing one: -ENODEV at index 1. */
	ioctl_put(env, udevs, devs, sizeof(devs));
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.nr_devices = 2;
	c.devices_ptr = udevs;
	ioctl_put(env, uc, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_CHECK_HOST, uc),
			-ENODEV);
	ioctl_get(env, uc, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, c.error_device, 1);
	ioctl_get(env, udevs, &got, sizeof(got));
	KUNIT_EXPECT_EQ(test, memcmp(&got, &devs[0], sizeof(got)), 0);

	/* The real device alone: its facts written back. */
	c.nr_devices = 1;
	c.count = IOCTL_MAX_CONFLICTS;
	c.conflicts_ptr = env->rw + IOCTL_CONFLICTS;
	ioctl_put(env, uc, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_CHECK_HOST, uc), 0);
	ioctl_get(env, uc, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, c.error_device, MEMLAYOUT_NO_DEVICE);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	KUNIT_EXPECT_EQ(test, c.phys_bits, ml_host_phys_bits());
	ioctl_get(env, udevs, &got, sizeof(got));
	KUNIT_EXPECT_EQ(test, got.type, MEMLAYOUT_DEVICE_PCI);
	KUNIT_EXPECT_EQ(test, got.fd, 0);
	KUNIT_EXPECT_EQ(test, got.pci_segment, devs[0].pci_segment);
	KUNIT_EXPECT_EQ(test, got.pci_bus, devs[0].pci_bus);
	KUNIT_EXPECT_EQ(test, got.pci_devfn, devs[0].pci_devfn);
	KUNIT_EXPECT_EQ(test, got.flags & MEMLAYOUT_DEVICE_IOMMU, flags);
	KUNIT_EXPECT_EQ(test, got.iommu_group, id);
	KUNIT_EXPECT_EQ(test, got.flags & MEMLAYOUT_DEVICE_PCI_ADDR, 0);
	KUNIT_EXPECT_EQ(test, got.reserved, 0);
	if (!flags) {
		KUNIT_EXPECT_EQ(test, got.flags, 0);
		KUNIT_EXPECT_EQ(test, got.domain_type, MEMLAYOUT_DOMAIN_NONE);
		KUNIT_EXPECT_EQ(test, got.nr_resv, 0);
	}
	if (!(got.flags & MEMLAYOUT_DEVICE_APERTURE)) {
		KUNIT_EXPECT_EQ(test, got.aperture_start, 0);
		KUNIT_EXPECT_EQ(test, got.aperture_last, 0);
	}
	/* Every conflict is H1's, or this device's H2/H3. */
	for (i = 0; i < c.count; i++) {
		ioctl_get(env, env->rw + IOCTL_CONFLICTS + i * sizeof(conf),
			  &conf, sizeof(conf));
		if (conf.rule == MEMLAYOUT_HOST_CPU_WIDTH)
			KUNIT_EXPECT_EQ(test, conf.device, MEMLAYOUT_NO_DEVICE);
		else
			KUNIT_EXPECT_EQ(test, conf.device, 0);
	}
	if (!flags) {
		struct memlayout_host_conflict want[8];

		KUNIT_EXPECT_EQ(test, c.count,
				ioctl_h1_model(preset_map, ARRAY_SIZE(preset_map),
					       &preset_vtl2, c.phys_bits, want));
	}
	ioctl_expect_intact(env);
}

/*
 * issue 12: MEMLAYOUT_IOC_CHECK_KVM (SPEC H4). Every error path UML
 * reaches, one row each, in the order the command checks them: the
 * command's members (memlayout_check_kvm_args()), the layout, then the VM
 * file (memlayout_kvm.c): not open, KVM absent, not a VM. No KUnit kernel
 * has a VM to read, so the answer itself (count negotiation, findings
 * written a page at a time) is driven through ml_kvm_answer() with
 * memslots made here; the guest tests create real VMs.
 */

/* Where CHECK_KVM's findings go: pages 2 and 3. */
#define IOCTL_FINDINGS		IOCTL_OUT
#define IOCTL_FINDINGS_ROOM	(2 * PAGE_SIZE)

/* What a row's @vm_fd is. */
enum ioctl_kvm_fd {
	KF_RAW,		/* @vm_fd as the row gives it */
	KF_CLOSED,	/* a descriptor number nothing has open */
	KF_OTHER,	/* an open file that is not a VM */
};

/**
 * struct ioctl_kvm_case - one CHECK_KVM error row
 * @desc: row name.
 * @flags: the command's flags.
 * @vm_fd: its vm_fd, for %KF_RAW.
 * @fd: an &enum ioctl_kvm_fd.
 * @count: its count.
 * @findings: whether findings_ptr is set.
 * @empty: the file holds no layout.
 * @want: the errno; 0 for "not a VM" (ioctl_kvm_not_vm()).
 */
struct ioctl_kvm_case {
	const char *desc;
	u32 flags;
	s32 vm_fd;
	u8 fd;
	u32 count;
	bool findings;
	bool empty;
	int want;
};

static const struct ioctl_kvm_case ioctl_kvm_cases[] = {
	/* memlayout_check_kvm_args(): flags, then the pointer/count pair. */
	{ "flags 1 -> EOPNOTSUPP", .flags = 1, .fd = KF_OTHER,
	  .want = -EOPNOTSUPP },
	{ "flags bit 31, a closed fd -> EOPNOTSUPP (flags first)",
	  .flags = 0x80000000, .fd = KF_CLOSED, .want = -EOPNOTSUPP },
	{ "flags 1, no layout -> EOPNOTSUPP (before the layout)", .flags = 1,
	  .empty = true, .want = -EOPNOTSUPP },
	{ "flags 1, count 1, NULL findings -> EOPNOTSUPP (flags first)",
	  .flags = 1, .count = 1, .want = -EOPNOTSUPP },
	{ "count 1, NULL findings -> EINVAL", .count = 1, .fd = KF_OTHER,
	  .want = -EINVAL },
	{ "count U32_MAX, NULL findings -> EINVAL", .count = U32_MAX,
	  .fd = KF_OTHER, .want = -EINVAL },
	{ "count 0, a findings pointer -> EINVAL", .findings = true,
	  .fd = KF_OTHER, .want = -EINVAL },
	{ "count 1, NULL findings, no layout -> EINVAL (before the layout)",
	  .count = 1, .empty = true, .want = -EINVAL },
	/* The layout, before the VM file is looked at. */
	{ "no layout -> ENOENT", .empty = true, .fd = KF_OTHER,
	  .want = -ENOENT },
	{ "no layout, a closed fd -> ENOENT (layout first)", .empty = true,
	  .fd = KF_CLOSED, .want = -ENOENT },
	/* The VM file (memlayout_kvm.c). */
	{ "fd -1 -> EBADF", .vm_fd = -1, .want = -EBADF },
	{ "fd INT_MIN -> EBADF", .vm_fd = INT_MIN, .want = -EBADF },
	{ "fd INT_MAX -> EBADF", .vm_fd = INT_MAX, .want = -EBADF },
	{ "a closed fd -> EBADF", .fd = KF_CLOSED, .want = -EBADF },
	{ "a closed fd, room for findings -> EBADF", .fd = KF_CLOSED,
	  .count = 2, .findings = true, .want = -EBADF },
	{ "not a VM -> ENOPKG without KVM, else EINVAL", .fd = KF_OTHER },
	{ "not a VM, room for findings -> ENOPKG without KVM, else EINVAL",
	  .fd = KF_OTHER, .count = 2, .findings = true },
};

static void ioctl_kvm_desc(const struct ioctl_kvm_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_kvm, ioctl_kvm_cases, ioctl_kvm_desc);

/*
 * The errno for a file that is not a VM: -ENOPKG when this kernel has no
 * KVM (no file can be a VM), -EINVAL when KVM is built in (file_is_kvm()
 * says no). A modular KVM may or may not be loaded: skipped.
 */
static int ioctl_kvm_not_vm(struct kunit *test)
{
	if (IS_MODULE(CONFIG_KVM))
		kunit_skip(test, "KVM is a module here: loaded or not is unknown");
	return IS_BUILTIN(CONFIG_KVM) ? -EINVAL : -ENOPKG;
}

/*
 * SPEC H4 with STYLE's "every userspace input is hostile": each row's
 * errno; the command never written back (it is only on success and
 * -EMSGSIZE), the findings never written, the file untouched.
 */
static void ioctl_check_kvm_rows(struct kunit *test)
{
	const struct ioctl_kvm_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test, !t->empty);
	unsigned long uc = env->rw + IOCTL_ARG;
	unsigned long uf = env->rw + IOCTL_FINDINGS;
	struct memlayout_check_kvm c, want;
	int err = t->want ? t->want : ioctl_kvm_not_vm(test);

	memset(&c, IOCTL_MARK, sizeof(c));
	c.size = sizeof(c);
	c.flags = t->flags;
	c.vm_fd = t->fd == KF_OTHER ? ioctl_other_fd(test) :
		  t->fd == KF_CLOSED ? ioctl_closed_fd(test) : t->vm_fd;
	c.count = t->count;
	c.findings_ptr = t->findings ? uf : 0;
	ioctl_put(env, uc, &c, sizeof(c));
	ioctl_fill(env, uf, IOCTL_MARK, IOCTL_FINDINGS_ROOM);
	ioctl_snapshot(env);

	KUNIT_EXPECT_EQ(test, ioctl_call(env, MEMLAYOUT_IOC_CHECK_KVM, uc),
			err);
	want = c;
	ioctl_get(env, uc, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, c.count, want.count);
	KUNIT_EXPECT_EQ(test, c.generation, want.generation);
	KUNIT_EXPECT_EQ(test, c.nr_slots, want.nr_slots);
	KUNIT_EXPECT_EQ(test, c.nr_as, want.nr_as);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(&c, &want, sizeof(c)), 0,
			    "the command was written back");
	KUNIT_EXPECT_TRUE_MSG(test, ioctl_marked(env, uf, IOCTL_FINDINGS_ROOM),
			      "findings were written");
	ioctl_expect_intact(env);
}

/* Memslots over the preset layout's MMIO gap: one finding each. */
#define IOCTL_KVM_SLOTS		100
/* Findings then: the two RAM ranges (unbacked) and one per memslot. */
#define IOCTL_KVM_FINDINGS	(IOCTL_KVM_SLOTS + 2)

/* Memslot @i: 1 MiB every 2 MiB from 1 GiB, id 1000 + @i. */
static struct memlayout_kvm_slot ioctl_kvm_slot(u32 i)
{
	struct memlayout_kvm_slot s = {
		.as_id = 0,
		.id = 1000 + i,
		.start = SZ_1G + (u64)i * SZ_2M,
		/* KVM_MEM_LOG_DIRTY_PAGES on every tenth: flags are carried. */
		.flags = i % 10 ? 0 : 1,
	};

	s.end = s.start + SZ_1M;
	return s;
}

/*
 * What SPEC H4 says of ioctl_kvm_slot()'s memslots over the preset
 * layout, in address order: RAM [0, 1 GiB) unbacked; each memslot over
 * the MMIO gap [1 GiB, 2 GiB); RAM [4 GiB, 6 GiB) unbacked. The ECAM hole
 * has no memslot and VTL2 is inside the layout: no finding.
 */
static struct memlayout_kvm_finding ioctl_kvm_model(u32 i)
{
	struct memlayout_kvm_finding f = { .as_id = 0 };
	struct memlayout_kvm_slot s;

	if (i == 0 || i == IOCTL_KVM_FINDINGS - 1) {
		f.kind = MEMLAYOUT_KVM_UNBACKED;
		f.list = MEMLAYOUT_LIST_RAM;
		f.index = i ? 1 : 0;
		f.start = i ? SZ_4G : 0;
		f.end = i ? 6ULL * SZ_1G : SZ_1G;
		f.range_start = f.start;
		f.range_end = f.end;
		f.slot_id = MEMLAYOUT_KVM_NO_SLOT;
		return f;
	}
	s = ioctl_kvm_slot(i - 1);
	f.kind = MEMLAYOUT_KVM_OVER_HOLE;
	f.list = MEMLAYOUT_LIST_MMIO;
	f.index = 0;
	f.start = s.start;
	f.end = s.end;
	f.range_start = SZ_1G;
	f.range_end = 2ULL * SZ_1G;
	f.slot_start = s.start;
	f.slot_end = s.end;
	f.slot_id = s.id;
	f.slot_flags = s.flags;
	return f;
}

/* The findings read back at @uf against the model. */
static void ioctl_expect_findings(struct ioctl_env *env, unsigned long uf,
				  u32 n)
{
	struct memlayout_kvm_finding got, want;
	u32 i;

	for (i = 0; i < n; i++) {
		want = ioctl_kvm_model(i);
		ioctl_get(env, uf + i * sizeof(got), &got, sizeof(got));
		KUNIT_EXPECT_EQ_MSG(env->test, memcmp(&got, &want, sizeof(got)),
				    0, "finding %u: kind %u list %u slot %u",
				    i, got.kind, got.list, got.slot_id);
		KUNIT_EXPECT_EQ_MSG(env->test, got.start, want.start,
				    "finding %u", i);
		KUNIT_EXPECT_EQ_MSG(env->test, got.end, want.end,
				    "finding %u", i);
	}
}

/* One ml_kvm_answer() with room for @count findings at @uf. */
static int ioctl_kvm_answer(struct ioctl_env *env,
			    const struct memlayout_kvm_slot *slots, u32 nr,
			    u32 count, unsigned long uf,
			    struct memlayout_check_kvm *c)
{
	struct memlayout *l = ml_get_layout(env->f);
	int ret;

	KUNIT_ASSERT_NOT_NULL(env->test, l);
	memset(c, IOCTL_MARK, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = 0;
	c->vm_fd = -1;
	c->count = count;
	c->findings_ptr = count ? uf : 0;
	ret = ml_kvm_answer(l, slots, nr, c);
	memlayout_put(l);
	return ret;
}

/*
 * SPEC H4's answer with count negotiation as GET_RANGES: 100 memslots
 * over the preset layout's MMIO gap give 102 findings, more than one
 * page of them (the copy-out's step); the size query and a buffer one
 * short get -EMSGSIZE with the count and nothing written; exactly enough
 * and more than enough get every finding as the model predicts and
 * nothing past them; an array running into a read-only page or an
 * unmapped one, -EFAULT. No memslot at all: no finding, no address space.
 */
static void ioctl_check_kvm_answer(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test, true);
	unsigned long uf = env->rw + IOCTL_FINDINGS;
	const size_t fsz = sizeof(struct memlayout_kvm_finding);
	struct memlayout_kvm_slot *slots;
	struct memlayout_check_kvm c;
	u32 i, n = IOCTL_KVM_FINDINGS;

	KUNIT_ASSERT_GT(test, n, PAGE_SIZE / fsz);
	KUNIT_ASSERT_LE(test, n * fsz, IOCTL_FINDINGS_ROOM);
	slots = kunit_kmalloc_array(test, IOCTL_KVM_SLOTS, sizeof(*slots),
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slots);
	for (i = 0; i < IOCTL_KVM_SLOTS; i++)
		slots[i] = ioctl_kvm_slot(i);
	ioctl_fill(env, uf, IOCTL_MARK, IOCTL_FINDINGS_ROOM);

	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS, 0,
					       uf, &c), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	KUNIT_EXPECT_EQ(test, c.nr_slots, IOCTL_KVM_SLOTS);
	KUNIT_EXPECT_EQ(test, c.nr_as, 1);
	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS,
					       n - 1, uf, &c), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_TRUE_MSG(test, ioctl_marked(env, uf, IOCTL_FINDINGS_ROOM),
			      "-EMSGSIZE wrote findings");

	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS, n,
					       uf, &c), 0);
	KUNIT_EXPECT_EQ(test, c.count, n);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	KUNIT_EXPECT_EQ(test, c.nr_slots, IOCTL_KVM_SLOTS);
	KUNIT_EXPECT_EQ(test, c.nr_as, 1);
	ioctl_expect_findings(env, uf, n);
	ioctl_fill(env, uf, IOCTL_MARK, IOCTL_FINDINGS_ROOM);
	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS,
					       IOCTL_FINDINGS_ROOM / fsz, uf,
					       &c), 0);
	KUNIT_EXPECT_EQ(test, c.count, n);
	ioctl_expect_findings(env, uf, n);
	KUNIT_EXPECT_TRUE_MSG(test, ioctl_marked(env, uf + n * fsz,
						 IOCTL_FINDINGS_ROOM - n * fsz),
			      "written past the findings");

	/* The second page of findings lands on the read-only page. */
	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS, n,
					       env->ro - 60 * fsz, &c), -EFAULT);
	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS, n,
					       env->ro, &c), -EFAULT);
	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, slots, IOCTL_KVM_SLOTS, n,
					       env->unmapped - fsz, &c),
			-EFAULT);

	/* No memslot: nothing to audit, 0 with count 0. */
	KUNIT_EXPECT_EQ(test, ioctl_kvm_answer(env, NULL, 0, 0, uf, &c), 0);
	KUNIT_EXPECT_EQ(test, c.count, 0);
	KUNIT_EXPECT_EQ(test, c.nr_slots, 0);
	KUNIT_EXPECT_EQ(test, c.nr_as, 0);
	KUNIT_EXPECT_EQ(test, c.generation, 1);
	ioctl_expect_intact(env);
}

static struct kunit_case memlayout_ioctl_cases[] = {
	KUNIT_CASE(ioctl_set_layout_then_stats),
	KUNIT_CASE(ioctl_get_info_reports_the_interface),
	KUNIT_CASE(ioctl_rejection_on_empty_file),
	KUNIT_CASE_PARAM(ioctl_rejects_bad_framing, ioctl_frame_gen_params),
	KUNIT_CASE_PARAM(ioctl_set_layout_rows, ioctl_set_gen_params),
	KUNIT_CASE_PARAM(ioctl_set_reply_unwritable, ioctl_reply_gen_params),
	KUNIT_CASE_PARAM(ioctl_answer_unwritable, ioctl_answer_gen_params),
	KUNIT_CASE_PARAM(ioctl_get_ranges_rows, ioctl_ranges_gen_params),
	KUNIT_CASE_PARAM(ioctl_probe_rows, ioctl_probe_gen_params),
	KUNIT_CASE(ioctl_probe_ranges_big_batch),
	KUNIT_CASE_PARAM(ioctl_get_layout_rows, ioctl_layout_gen_params),
	KUNIT_CASE(ioctl_get_layout_after_replace),
	KUNIT_CASE_PARAM(ioctl_set_dry_run_rows, ioctl_set_gen_params),
	KUNIT_CASE_PARAM(ioctl_set_dry_run_sizes, ioctl_dry_gen_params),
	KUNIT_CASE_PARAM(ioctl_set_place_rows, ioctl_place_gen_params),
	KUNIT_CASE_PARAM(ioctl_get_placements_rows, ioctl_placed_gen_params),
	KUNIT_CASE(ioctl_set_place_at_limit),
	KUNIT_CASE(ioctl_set_place_ver1_size),
	KUNIT_CASE(ioctl_fdinfo_placed),
	KUNIT_CASE_PARAM(ioctl_check_host_rows, ioctl_host_gen_params),
	KUNIT_CASE(ioctl_check_host_fits),
	KUNIT_CASE(ioctl_check_host_h1),
	KUNIT_CASE(ioctl_check_host_pci),
	KUNIT_CASE_PARAM(ioctl_check_kvm_rows, ioctl_kvm_gen_params),
	KUNIT_CASE(ioctl_check_kvm_answer),
	{}
};

static struct kunit_suite memlayout_ioctl_suite = {
	.name = "memlayout_ioctl",
	.test_cases = memlayout_ioctl_cases,
};

static struct kunit_case memlayout_set_place_cases[] = {
	KUNIT_CASE_PARAM(set_place_rows, set_place_gen_params),
	KUNIT_CASE(set_place_c1_has_none),
	{}
};

/* issue 9: C4's interface logic without user memory (memlayout_uapi.c). */
static struct kunit_suite memlayout_set_place_suite = {
	.name = "memlayout_set_place",
	.test_cases = memlayout_set_place_cases,
};

kunit_test_suites(&memlayout_ioctl_suite, &memlayout_set_place_suite);
