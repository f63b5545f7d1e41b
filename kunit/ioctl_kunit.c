// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the /dev/memlayout file state (memlayout_ioctl.c):
 * memlayout_ioctl drives the real ioctl entry point with user memory from
 * kunit_vm_mmap(). The memlayout_race suite is in race_kunit.c.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <linux/memlayout.h>

#include "../memlayout_ioctl.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/*
 * memlayout_ioctl: the real entry point, with the argument in user memory
 * mapped into the test's own mm (lib/usercopy_kunit.c does the same).
 */

/**
 * struct ioctl_env - one fake open file and a page of user memory
 * @filp: the file; memlayout_ioctl() reads only its private_data.
 * @uaddr: start of a one-page user mapping; the page after it is not
 *         mapped.
 */
struct ioctl_env {
	struct file filp;
	unsigned long uaddr;
};

static void ioctl_env_free(void *data)
{
	struct ioctl_env *env = data;

	ml_file_free(env->filp.private_data);
}

static struct ioctl_env *ioctl_env_new(struct kunit *test)
{
	struct ioctl_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->uaddr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE,
				   PROT_READ | PROT_WRITE,
				   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(env->uaddr) || !env->uaddr)
		kunit_skip(test, "no user memory for this test (kunit_vm_mmap)");
	vm_munmap(env->uaddr + PAGE_SIZE, PAGE_SIZE);
	env->filp.private_data = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, env->filp.private_data);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ioctl_env_free, env), 0);
	return env;
}

/* Puts @len bytes of @src at @off in the user page; returns its address. */
static unsigned long ioctl_put(struct kunit *test, struct ioctl_env *env,
			       unsigned long off, const void *src, size_t len)
{
	KUNIT_ASSERT_LE(test, off + len, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)(env->uaddr + off),
					   src, len), 0);
	return env->uaddr + off;
}

static void ioctl_get(struct kunit *test, unsigned long uaddr, void *dst,
		      size_t len)
{
	KUNIT_ASSERT_EQ(test, copy_from_user(dst, (void __user *)uaddr, len), 0);
}

/* SPEC C1 through the ioctl: accepted, generation 1, figures readable. */
static void ioctl_set_layout_then_stats(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test);
	struct memlayout_range mmio = { .start = SZ_1G, .end = 2ULL * SZ_1G };
	struct memlayout_stats st = { .size = sizeof(st) };
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = 3ULL * SZ_1G,
		.nr_mmio = 1,
	};
	unsigned long us, ust;

	s.mmio_ptr = ioctl_put(test, env, 512, &mmio, sizeof(mmio));
	us = ioctl_put(test, env, 0, &s, sizeof(s));
	KUNIT_ASSERT_EQ(test, memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_SET_LAYOUT, us), 0);
	ioctl_get(test, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, s.generation, 1);
	KUNIT_EXPECT_EQ(test, s.reason.rule, 0);

	ust = ioctl_put(test, env, 1024, &st, sizeof(st));
	KUNIT_ASSERT_EQ(test, memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_GET_STATS, ust), 0);
	ioctl_get(test, ust, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, st.ram_size, 3ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, st.end_of_ram, 4ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, st.nr_ram, 2);
	KUNIT_EXPECT_EQ(test, st.nr_mmio, 1);
	KUNIT_EXPECT_EQ(test, st.generation, 1);
}

/* SPEC R4 through the ioctl: -EEXIST, the reason written back, no layout. */
static void ioctl_rejection_writes_reason(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test);
	struct memlayout_range ram = { .start = 0, .end = 2ULL * SZ_1G };
	struct memlayout_range mmio = { .start = SZ_1G, .end = 3ULL * SZ_1G };
	struct memlayout_stats st = { .size = sizeof(st) };
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_RANGES,
		.nr_ram = 1,
		.nr_mmio = 1,
	};
	unsigned long us;

	s.ram_ptr = ioctl_put(test, env, 512, &ram, sizeof(ram));
	s.mmio_ptr = ioctl_put(test, env, 768, &mmio, sizeof(mmio));
	us = ioctl_put(test, env, 0, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_SET_LAYOUT, us),
			-EEXIST);
	ioctl_get(test, us, &s, sizeof(s));
	KUNIT_EXPECT_EQ(test, s.reason.rule, MEMLAYOUT_RULE_OVERLAP);
	KUNIT_EXPECT_EQ(test, s.reason.list, MEMLAYOUT_LIST_RAM);
	KUNIT_EXPECT_EQ(test, s.reason.index, 0);
	KUNIT_EXPECT_EQ(test, s.reason.other_list, MEMLAYOUT_LIST_MMIO);
	KUNIT_EXPECT_EQ(test, s.reason.other_index, 0);
	KUNIT_EXPECT_EQ(test, s.generation, 0);
	us = ioctl_put(test, env, 1024, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_GET_STATS, us),
			-ENOENT);
}

/**
 * struct ioctl_frame_case - one framing error of the ioctl entry point
 * @desc: row name.
 * @cmd: the command.
 * @size: the struct's size field.
 * @tail: a non-zero byte placed at this offset past the kernel's struct
 *        (0: none).
 * @flags: the struct's flags field.
 * @want: the errno expected.
 */
struct ioctl_frame_case {
	const char *desc;
	unsigned int cmd;
	u32 size;
	u32 tail;
	u32 flags;
	int want;
};

static const struct ioctl_frame_case ioctl_frame_cases[] = {
	{ .desc = "unknown nr on the magic -> ENOTTY",
	  .cmd = _IOWR(MEMLAYOUT_IOC_MAGIC, 0x3f, struct memlayout_info),
	  .size = sizeof(struct memlayout_info), .want = -ENOTTY },
	{ .desc = "another magic -> ENOTTY",
	  .cmd = _IOWR(0xAB, 0x00, struct memlayout_info),
	  .size = sizeof(struct memlayout_info), .want = -ENOTTY },
	{ .desc = "wrong direction -> ENOTTY",
	  .cmd = _IOR(MEMLAYOUT_IOC_MAGIC, 0x00, struct memlayout_info),
	  .size = sizeof(struct memlayout_info), .want = -ENOTTY },
	{ .desc = "size below VER0 -> EINVAL", .cmd = MEMLAYOUT_IOC_GET_INFO,
	  .size = MEMLAYOUT_INFO_SIZE_VER0 - 8, .want = -EINVAL },
	{ .desc = "size 0 -> EINVAL", .cmd = MEMLAYOUT_IOC_PROBE,
	  .size = 0, .want = -EINVAL },
	{ .desc = "size above a page -> E2BIG", .cmd = MEMLAYOUT_IOC_GET_STATS,
	  .size = PAGE_SIZE + 8, .want = -E2BIG },
	{ .desc = "larger struct, non-zero tail -> E2BIG",
	  .cmd = MEMLAYOUT_IOC_GET_INFO,
	  .size = sizeof(struct memlayout_info) + 16, .tail = 8, .want = -E2BIG },
	{ .desc = "larger struct, zero tail -> accepted",
	  .cmd = MEMLAYOUT_IOC_GET_INFO,
	  .size = sizeof(struct memlayout_info) + 16, .want = 0 },
	{ .desc = "unknown flag on GET_INFO -> EOPNOTSUPP",
	  .cmd = MEMLAYOUT_IOC_GET_INFO, .size = sizeof(struct memlayout_info),
	  .flags = 0x80000000, .want = -EOPNOTSUPP },
	{ .desc = "unknown flag on SET_LAYOUT -> EOPNOTSUPP",
	  .cmd = MEMLAYOUT_IOC_SET_LAYOUT, .size = sizeof(struct memlayout_set),
	  .flags = 2, .want = -EOPNOTSUPP },
	{ .desc = "stats before any layout -> ENOENT",
	  .cmd = MEMLAYOUT_IOC_GET_STATS, .size = sizeof(struct memlayout_stats),
	  .want = -ENOENT },
};

static void ioctl_frame_desc(const struct ioctl_frame_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ioctl_frame, ioctl_frame_cases, ioctl_frame_desc);

/* STYLE "UAPI framing" rows: size, tail, flags and command checks. */
static void ioctl_rejects_bad_framing(struct kunit *test)
{
	const struct ioctl_frame_case *t = test->param_value;
	struct ioctl_env *env = ioctl_env_new(test);
	u32 head[2] = { t->size, t->flags };
	u8 one = 1;

	ioctl_put(test, env, 0, head, sizeof(head));
	if (t->tail)
		ioctl_put(test, env, sizeof(struct memlayout_info) + t->tail,
			  &one, 1);
	KUNIT_EXPECT_EQ(test, memlayout_ioctl(&env->filp, t->cmd, env->uaddr),
			t->want);
}

/* SPEC "bad pointer -> EFAULT": the argument itself is not readable. */
static void ioctl_bad_argument_pointer_faults(struct kunit *test)
{
	struct ioctl_env *env = ioctl_env_new(test);
	u32 size = sizeof(struct memlayout_info);
	unsigned long last;

	KUNIT_EXPECT_EQ(test, memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_GET_INFO, 0),
			-EFAULT);
	/* The size is readable, the struct runs into the unmapped page. */
	last = ioctl_put(test, env, PAGE_SIZE - sizeof(size), &size, sizeof(size));
	KUNIT_EXPECT_EQ(test, memlayout_ioctl(&env->filp, MEMLAYOUT_IOC_GET_INFO, last),
			-EFAULT);
}

static struct kunit_case memlayout_ioctl_cases[] = {
	KUNIT_CASE(ioctl_set_layout_then_stats),
	KUNIT_CASE(ioctl_rejection_writes_reason),
	KUNIT_CASE_PARAM(ioctl_rejects_bad_framing, ioctl_frame_gen_params),
	KUNIT_CASE(ioctl_bad_argument_pointer_faults),
	{}
};

static struct kunit_suite memlayout_ioctl_suite = {
	.name = "memlayout_ioctl",
	.test_cases = memlayout_ioctl_cases,
};

kunit_test_suite(memlayout_ioctl_suite);
