// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the /dev/memlayout file state (memlayout_ioctl.c):
 * memlayout_ioctl drives the real ioctl entry point with user memory from
 * kunit_vm_mmap(); memlayout_race races layout replacement against probes
 * and queries on one file state from kthreads.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <memlayout.h>

#include "../memlayout_ioctl.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Layout A: SPEC C1, 3 GiB of RAM around an MMIO gap [1 GiB, 2 GiB). */
static const struct memlayout_range race_a_mmio[] = {
	{ .start = SZ_1G, .end = 2ULL * SZ_1G },
};

static const struct memlayout_request race_a = {
	.source = MEMLAYOUT_FROM_SIZE,
	.ram_size = 3ULL * SZ_1G,
	.mmio = race_a_mmio,
	.nr_mmio = ARRAY_SIZE(race_a_mmio),
};

/* Layout B: SPEC C3, RAM [0, 1.5 GiB) and [4 GiB, 5 GiB), ECAM above. */
static const struct memlayout_range race_b_ram[] = {
	{ .start = 0, .end = SZ_1G + SZ_512M, .vnode = 0 },
	{ .start = 4ULL * SZ_1G, .end = 5ULL * SZ_1G, .vnode = 1 },
};

static const struct memlayout_range race_b_ecam[] = {
	{ .start = 2ULL * SZ_1G, .end = 2ULL * SZ_1G + SZ_256M },
};

static const struct memlayout_request race_b = {
	.source = MEMLAYOUT_FROM_RANGES,
	.ram = race_b_ram,
	.nr_ram = ARRAY_SIZE(race_b_ram),
	.pci_ecam = race_b_ecam,
	.nr_pci_ecam = ARRAY_SIZE(race_b_ecam),
};

/* Addresses where A and B answer differently, and their answers. */
static const u64 race_addrs[] = {
	SZ_1G, SZ_1G + SZ_512M, 2ULL * SZ_1G, 3ULL * SZ_1G,
	3ULL * SZ_1G + SZ_512M, 4ULL * SZ_1G, 5ULL * SZ_1G - 1,
};

static const u32 race_kinds[2][ARRAY_SIZE(race_addrs)] = {
	/* A: RAM [0,1G) [2G,4G), MMIO [1G,2G) */
	{ MEMLAYOUT_KIND_MMIO, MEMLAYOUT_KIND_MMIO, MEMLAYOUT_KIND_RAM,
	  MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_NONE,
	  MEMLAYOUT_KIND_NONE },
	/* B: RAM [0,1.5G) [4G,5G), ECAM [2G,2.25G) */
	{ MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_NONE, MEMLAYOUT_KIND_PCI_ECAM,
	  MEMLAYOUT_KIND_NONE, MEMLAYOUT_KIND_NONE, MEMLAYOUT_KIND_RAM,
	  MEMLAYOUT_KIND_RAM },
};

static const u64 race_ram_size[2] = { 3ULL * SZ_1G, 2ULL * SZ_1G + SZ_512M };
static const u32 race_nr_ram[2] = { 2, 2 };

#define RACE_ROUNDS	5000
#define RACE_READERS	3

/**
 * struct race_ctx - shared by the writer and the readers of one race
 * @f: the file state they share.
 * @stop: set once the writer is done; readers then finish.
 * @sets: layouts published by the writer.
 * @checks: answers checked by the readers.
 * @bad: answers that matched neither layout (or the wrong one).
 * @done: completed by each thread when it exits.
 */
struct race_ctx {
	struct memlayout_file *f;
	atomic_t stop;
	atomic_long_t sets;
	atomic_long_t checks;
	atomic_long_t bad;
	struct completion done[RACE_READERS + 1];
};

/* Generation g is layout A when odd (the first one published), else B. */
static int race_which(u64 generation)
{
	return (generation & 1) ? 0 : 1;
}

static int race_writer(void *data)
{
	struct race_ctx *c = data;
	struct memlayout_error err;
	struct memlayout_set s;
	struct memlayout *l;
	int i;

	for (i = 0; i < RACE_ROUNDS; i++) {
		l = memlayout_build(i & 1 ? &race_b : &race_a, GFP_KERNEL, &err);
		if (IS_ERR(l)) {
			atomic_long_inc(&c->bad);
			break;
		}
		memset(&s, 0, sizeof(s));
		if (ml_publish(c->f, l, &s, NULL, 0) ||
		    race_which(s.generation) != (i & 1))
			atomic_long_inc(&c->bad);
		atomic_long_inc(&c->sets);
		if (!(i % 64))
			cond_resched();
	}
	atomic_set(&c->stop, 1);
	complete(&c->done[0]);
	return 0;
}

/* Probes through a reference, the way MEMLAYOUT_IOC_PROBE does. */
static void race_check_probe(struct race_ctx *c)
{
	u32 kinds[ARRAY_SIZE(race_addrs)];
	struct memlayout *l = ml_get_layout(c->f);
	int w;

	if (!l)
		return;
	w = race_which(l->generation);
	memlayout_probe_many(l, race_addrs, kinds, ARRAY_SIZE(race_addrs));
	if (memcmp(kinds, race_kinds[w], sizeof(kinds)) ||
	    memlayout_count(l, MEMLAYOUT_LIST_RAM) != race_nr_ram[w] ||
	    memlayout_ram_size(l) != race_ram_size[w])
		atomic_long_inc(&c->bad);
	atomic_long_inc(&c->checks);
	memlayout_put(l);
}

/* Reads the figures under RCU only, the way MEMLAYOUT_IOC_GET_STATS does. */
static void race_check_stats(struct race_ctx *c)
{
	struct memlayout_stats st = { .size = sizeof(st) };
	int w;

	if (ml_get_stats(c->f, &st))
		return;
	w = race_which(st.generation);
	if (st.ram_size != race_ram_size[w] || st.nr_ram != race_nr_ram[w] ||
	    st.ram_below_4gb + st.ram_above_4gb != st.ram_size)
		atomic_long_inc(&c->bad);
	atomic_long_inc(&c->checks);
}

/**
 * struct race_reader_arg - one reader kthread's arguments
 * @c: the race.
 * @index: which of @c->done it completes.
 */
struct race_reader_arg {
	struct race_ctx *c;
	int index;
};

static int race_reader(void *data)
{
	struct race_reader_arg *a = data;
	struct race_ctx *c = a->c;
	unsigned long n = 0;

	while (!atomic_read(&c->stop)) {
		if (n++ & 1)
			race_check_stats(c);
		else
			race_check_probe(c);
		if (!(n % 32))
			cond_resched();
	}
	/* One more of each after the last replacement. */
	race_check_probe(c);
	race_check_stats(c);
	complete(&c->done[a->index]);
	return 0;
}

/*
 * SPEC "a rejected request changes nothing" and issue #3's publication
 * rule: while one kthread replaces the layout thousands of times, readers
 * on the same file state always see one whole layout, old or new, whose
 * answers match its generation.
 */
static void race_replace_vs_probe_and_stats(struct kunit *test)
{
	struct race_reader_arg *args;
	struct task_struct *t;
	struct race_ctx *c;
	long live;
	int i;

	rcu_barrier();	/* let layouts dropped by earlier cases be freed */
	live = memlayout_live();

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	args = kunit_kcalloc(test, RACE_READERS, sizeof(*args), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, args);
	c->f = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, c->f);
	for (i = 0; i <= RACE_READERS; i++)
		init_completion(&c->done[i]);

	for (i = 0; i < RACE_READERS; i++) {
		args[i].c = c;
		args[i].index = i + 1;
		t = kthread_run(race_reader, &args[i], "ml-reader-%d", i);
		if (IS_ERR(t)) {
			atomic_set(&c->stop, 1);
			complete(&c->done[i + 1]);
		}
	}
	t = kthread_run(race_writer, c, "ml-writer");
	if (IS_ERR(t)) {
		atomic_set(&c->stop, 1);
		complete(&c->done[0]);
	}
	for (i = 0; i <= RACE_READERS; i++)
		wait_for_completion(&c->done[i]);

	kunit_info(test, "%ld layouts published, %ld answers checked\n",
		   atomic_long_read(&c->sets), atomic_long_read(&c->checks));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->sets), RACE_ROUNDS);
	KUNIT_EXPECT_GT(test, atomic_long_read(&c->checks), RACE_READERS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->bad), 0);
	KUNIT_EXPECT_EQ(test, c->f->generation, RACE_ROUNDS);

	ml_file_free(c->f);
	rcu_barrier();	/* memlayout_put() frees after a grace period */
	KUNIT_EXPECT_EQ(test, memlayout_live(), live);
}

/* A rejected publication leaves the file's layout and generation alone. */
static void race_failed_build_keeps_layout(struct kunit *test)
{
	struct memlayout_request bad = race_a;
	struct memlayout_stats st = { .size = sizeof(st) };
	struct memlayout_error err;
	struct memlayout_set s = {};
	struct memlayout_file *f;
	struct memlayout *l;

	f = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, ml_get_stats(f, &st), -ENOENT);
	l = memlayout_build(&race_a, GFP_KERNEL, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(l));
	KUNIT_EXPECT_EQ(test, ml_publish(f, l, &s, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, s.generation, 1);

	bad.ram_size = 4095;	/* SPEC R1 */
	l = memlayout_build(&bad, GFP_KERNEL, &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(l), -EINVAL);
	KUNIT_EXPECT_EQ(test, ml_get_stats(f, &st), 0);
	KUNIT_EXPECT_EQ(test, st.generation, 1);
	KUNIT_EXPECT_EQ(test, st.ram_size, race_ram_size[0]);
	ml_file_free(f);
}

static struct kunit_case memlayout_race_cases[] = {
	KUNIT_CASE(race_failed_build_keeps_layout),
	KUNIT_CASE_SLOW(race_replace_vs_probe_and_stats),
	{}
};

static struct kunit_suite memlayout_race_suite = {
	.name = "memlayout_race",
	.test_cases = memlayout_race_cases,
};

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

kunit_test_suites(&memlayout_race_suite, &memlayout_ioctl_suite);
