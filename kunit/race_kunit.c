// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_race: races layout replacement against probes and
 * queries on one file state (memlayout_ioctl.c) from kthreads.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sizes.h>

#include <linux/memlayout.h>

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

kunit_test_suite(memlayout_race_suite);
