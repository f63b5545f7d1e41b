// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_race: layout replacement on one file state
 * (memlayout_ioctl.c) raced against probes and queries from kthreads on
 * other CPUs, the same replacements raced against readers of the file's
 * shared view (SPEC V2), and a failing replacement through the real
 * paths.
 *
 * The race needs two CPUs or more to mean anything: it skips on a
 * uniprocessor kernel (UML) and runs in the SMP x86_64 kernel of
 * "scripts/kunit.sh x86" (KASAN, lockdep) and "scripts/kunit.sh kcsan".
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <asm/barrier.h>
#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/memlayout.h>

#include "../memlayout_ioctl.h"
#include "kunit_util.h"

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
/*
 * Answers that must be checked while the writer is still publishing, and
 * of those, how many must see a generation the reader had not seen. An
 * SMP x86_64 guest (4 vCPUs, QEMU TCG on a loaded 2-core host) measured
 * 474671 to 695540 and 2226 to 4979 with KASAN, 61763 to 132637 and 232
 * to 4639 with KCSAN; a run under these floors did not race, whatever it
 * found.
 */
#define RACE_MIN_OVERLAP	10000
#define RACE_MIN_SWITCHES	10

/**
 * struct race_ctx - shared by the writer and the readers of one race
 * @test: the test, so that a KASAN report in a reader fails it.
 * @f: the file state they share.
 * @ready: readers running; the writer starts once all are.
 * @stop: set once the writer is done; readers then finish.
 * @sets: layouts published by the writer.
 * @checks: answers checked by the readers.
 * @overlap: answers checked while the writer was publishing: begun after
 *           its first publication and finished before its last one.
 * @switches: checks that saw another generation than the reader's
 *            previous check.
 * @bad: answers that matched neither layout (or the wrong one).
 * @done: completed by each thread when it exits.
 */
struct race_ctx {
	struct kunit *test;
	struct memlayout_file *f;
	atomic_t ready;
	atomic_t stop;
	atomic_long_t sets;
	atomic_long_t checks;
	atomic_long_t overlap;
	atomic_long_t switches;
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

	current->kunit_test = c->test;
	/* Start once every reader runs, so that they overlap from the first. */
	while (atomic_read(&c->ready) < RACE_READERS && !atomic_read(&c->stop))
		cond_resched();
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

/*
 * Probes through a reference, the way MEMLAYOUT_IOC_PROBE does.
 * Return: the generation answered, 0 if the file had no layout.
 */
static u64 race_check_probe(struct race_ctx *c)
{
	u32 kinds[ARRAY_SIZE(race_addrs)];
	struct memlayout *l = ml_get_layout(c->f);
	u64 gen;
	int w;

	if (!l)
		return 0;
	gen = l->generation;
	w = race_which(gen);
	memlayout_probe_many(l, race_addrs, kinds, ARRAY_SIZE(race_addrs));
	if (memcmp(kinds, race_kinds[w], sizeof(kinds)) ||
	    memlayout_count(l, MEMLAYOUT_LIST_RAM) != race_nr_ram[w] ||
	    memlayout_ram_size(l) != race_ram_size[w])
		atomic_long_inc(&c->bad);
	atomic_long_inc(&c->checks);
	memlayout_put(l);
	return gen;
}

/*
 * Reads the figures under RCU only, the way MEMLAYOUT_IOC_GET_STATS does.
 * Return: the generation answered, 0 if the file had no layout.
 */
static u64 race_check_stats(struct race_ctx *c)
{
	struct memlayout_stats st = { .size = sizeof(st) };
	int w;

	if (ml_get_stats(c->f, &st))
		return 0;
	w = race_which(st.generation);
	if (st.ram_size != race_ram_size[w] || st.nr_ram != race_nr_ram[w] ||
	    st.ram_below_4gb + st.ram_above_4gb != st.ram_size)
		atomic_long_inc(&c->bad);
	atomic_long_inc(&c->checks);
	return st.generation;
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
	u64 gen, last = 0;
	long before;

	current->kunit_test = c->test;
	atomic_inc(&c->ready);
	while (!atomic_read(&c->stop)) {
		before = atomic_long_read(&c->sets);
		gen = (n++ & 1) ? race_check_stats(c) : race_check_probe(c);
		if (before && !atomic_read(&c->stop))
			atomic_long_inc(&c->overlap);
		if (gen && last && gen != last)
			atomic_long_inc(&c->switches);
		if (gen)
			last = gen;
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
 * SPEC "a rejected request changes nothing" and the publication rule of
 * STYLE §3: while one kthread replaces the layout thousands of times,
 * readers on other CPUs always see one whole layout, old or new, whose
 * answers match its generation, and never a freed one (KASAN, KCSAN).
 */
/**
 * race_run_threads() - run a race's readers and writer to the end
 * @stop: set when a thread cannot be started, so the others stop.
 * @done: RACE_READERS + 1 completions: the writer's, then each reader's;
 *        each thread completes its own.
 * @reader: the reader thread function.
 * @args: RACE_READERS reader arguments of @arg_size bytes each.
 * @arg_size: the size of one.
 * @writer: the writer thread function.
 * @wctx: its argument.
 * @name: the threads' name prefix.
 *
 * Context: process context; sleeps until every thread is done.
 */
static void race_run_threads(atomic_t *stop, struct completion *done,
			     int (*reader)(void *), void *args, size_t arg_size,
			     int (*writer)(void *), void *wctx, const char *name)
{
	struct task_struct *t;
	int i;

	for (i = 0; i <= RACE_READERS; i++)
		init_completion(&done[i]);
	for (i = 0; i < RACE_READERS; i++) {
		t = kthread_run(reader, (char *)args + i * arg_size, "%s-%d",
				name, i);
		if (IS_ERR(t)) {
			atomic_set(stop, 1);
			complete(&done[i + 1]);
		}
	}
	t = kthread_run(writer, wctx, "%s-writer", name);
	if (IS_ERR(t)) {
		atomic_set(stop, 1);
		complete(&done[0]);
	}
	for (i = 0; i <= RACE_READERS; i++)
		wait_for_completion(&done[i]);
}

static void race_replace_vs_probe_and_stats(struct kunit *test)
{
	struct race_reader_arg *args;
	struct race_ctx *c;
	long live;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs to race, %u online",
			   num_online_cpus());
	live = memlayout_live();

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	args = kunit_kcalloc(test, RACE_READERS, sizeof(*args), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, args);
	c->test = test;
	c->f = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, c->f);
	for (i = 0; i < RACE_READERS; i++) {
		args[i].c = c;
		args[i].index = i + 1;
	}
	race_run_threads(&c->stop, c->done, race_reader, args, sizeof(*args),
			 race_writer, c, "ml-reader");

	kunit_info(test,
		   "%ld layouts published, %ld answers checked, %ld while the writer ran (%ld saw a new generation), %u CPUs\n",
		   atomic_long_read(&c->sets), atomic_long_read(&c->checks),
		   atomic_long_read(&c->overlap),
		   atomic_long_read(&c->switches), num_online_cpus());
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->sets), RACE_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->bad), 0);
	KUNIT_EXPECT_EQ(test, c->f->generation, RACE_ROUNDS);
	/* The readers must have raced the writer, not run after it. */
	KUNIT_EXPECT_GE(test, atomic_long_read(&c->overlap), RACE_MIN_OVERLAP);
	KUNIT_EXPECT_GE(test, atomic_long_read(&c->switches), RACE_MIN_SWITCHES);

	ml_file_free(c->f);
	/* memlayout_live() stops counting a layout at its last put. */
	KUNIT_EXPECT_EQ(test, memlayout_live(), live);
}

/**
 * struct race_user - a fake open file and two pages of user memory
 * @filp: the file; memlayout_ioctl() reads only its private_data.
 * @uaddr: a readable, writable page; the page after it is not mapped.
 */
struct race_user {
	struct file filp;
	unsigned long uaddr;
};

static void race_user_free(void *data)
{
	struct race_user *u = data;

	ml_file_free(u->filp.private_data);
}

static struct race_user *race_user_new(struct kunit *test)
{
	struct race_user *u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, u);
	u->uaddr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE,
				 PROT_READ | PROT_WRITE,
				 MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(u->uaddr) || !u->uaddr)
		kunit_skip(test, "no user memory for this test (kunit_vm_mmap)");
	vm_munmap(u->uaddr + PAGE_SIZE, PAGE_SIZE);
	u->filp.private_data = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, u->filp.private_data);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, race_user_free, u), 0);
	return u;
}

/* SET_LAYOUT through memlayout_ioctl() with layout A, or A with @ram_size. */
static long race_set_a(struct kunit *test, struct race_user *u, u64 ram_size,
		       struct memlayout_set *s)
{
	void __user *ur = (void __user *)(u->uaddr + 512);
	void __user *us = (void __user *)u->uaddr;

	*s = (struct memlayout_set) {
		.size = sizeof(*s),
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = ram_size,
		.mmio_ptr = u->uaddr + 512,
		.nr_mmio = ARRAY_SIZE(race_a_mmio),
	};
	KUNIT_ASSERT_EQ(test, copy_to_user(ur, race_a_mmio, sizeof(race_a_mmio)), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(us, s, sizeof(*s)), 0);
	return memlayout_ioctl(&u->filp, MEMLAYOUT_IOC_SET_LAYOUT, u->uaddr);
}

/* GET_STATS through memlayout_ioctl(). */
static long race_stats(struct kunit *test, struct race_user *u,
		       struct memlayout_stats *st)
{
	void __user *ust = (void __user *)(u->uaddr + 1024);
	long ret;

	*st = (struct memlayout_stats) { .size = sizeof(*st) };
	KUNIT_ASSERT_EQ(test, copy_to_user(ust, st, sizeof(*st)), 0);
	ret = memlayout_ioctl(&u->filp, MEMLAYOUT_IOC_GET_STATS, u->uaddr + 1024);
	KUNIT_ASSERT_EQ(test, copy_from_user(st, ust, sizeof(*st)), 0);
	return ret;
}

/*
 * SPEC "a rejected request changes nothing that existed before it", on
 * the file state: a request the core rejects (SPEC R1, through the
 * ioctl) and a layout whose reply cannot be written (ml_publish() with an
 * unmapped reply) both fail and leave the published layout and the
 * generation as they were; the next replacement gets generation 2, and
 * the unpublished layout is freed. The file's view (SPEC V1, V2), made
 * before its first layout, is rewritten by each success only: its
 * counter and generation do not move on a failure.
 */
static void race_failed_set_keeps_layout(struct kunit *test)
{
	struct race_user *u = race_user_new(test);
	struct memlayout_file *f = u->filp.private_data;
	const struct memlayout_view *v;
	struct memlayout_stats st;
	struct memlayout_error err;
	struct memlayout_set s;
	struct memlayout *l;
	long live;

	KUNIT_EXPECT_EQ(test, race_stats(test, u, &st), -ENOENT);
	/* SPEC V1: a view made before the first layout shows none. */
	KUNIT_ASSERT_EQ(test, ml_view_get(f, PAGE_SIZE), 0);
	v = f->view;
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_EQ(test, v->seq, 2);
	KUNIT_EXPECT_EQ(test, v->flags, 0);
	KUNIT_ASSERT_EQ(test, race_set_a(test, u, race_a.ram_size, &s), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(&s, (void __user *)u->uaddr,
					     sizeof(s)), 0);
	KUNIT_EXPECT_EQ(test, s.generation, 1);
	/* SPEC V2: SET_LAYOUT rewrote the view under the counter. */
	KUNIT_EXPECT_EQ(test, v->seq, 4);
	KUNIT_EXPECT_EQ(test, v->generation, 1);
	KUNIT_EXPECT_EQ(test, v->flags, MEMLAYOUT_VIEW_LAYOUT);
	live = memlayout_live();

	/* Rejected by the core (R1: not a multiple of the page size). */
	KUNIT_EXPECT_EQ(test, race_set_a(test, u, race_a.ram_size + 4095, &s),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, race_stats(test, u, &st), 0);
	KUNIT_EXPECT_EQ(test, st.generation, 1);
	KUNIT_EXPECT_EQ(test, st.ram_size, race_ram_size[0]);
	KUNIT_EXPECT_EQ(test, memlayout_live(), live);
	KUNIT_EXPECT_EQ(test, v->seq, 4);
	KUNIT_EXPECT_EQ(test, v->generation, 1);

	/* Built, but its reply runs into the unmapped page: -EFAULT. */
	l = memlayout_build(&race_b, GFP_KERNEL, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(l));
	memset(&s, 0, sizeof(s));
	KUNIT_EXPECT_EQ(test, ml_publish(f, l, &s,
					 (void __user *)(u->uaddr + PAGE_SIZE - 8),
					 sizeof(s)), -EFAULT);
	KUNIT_EXPECT_EQ(test, race_stats(test, u, &st), 0);
	KUNIT_EXPECT_EQ(test, st.generation, 1);
	KUNIT_EXPECT_EQ(test, st.ram_size, race_ram_size[0]);
	KUNIT_EXPECT_EQ(test, st.nr_ram, race_nr_ram[0]);
	KUNIT_EXPECT_EQ(test, memlayout_live(), live);
	/* Neither failure touched the view: no counter, no generation. */
	KUNIT_EXPECT_EQ(test, v->seq, 4);
	KUNIT_EXPECT_EQ(test, v->generation, 1);

	/* The failures consumed no generation. */
	KUNIT_EXPECT_EQ(test, race_set_a(test, u, race_a.ram_size, &s), 0);
	KUNIT_EXPECT_EQ(test, race_stats(test, u, &st), 0);
	KUNIT_EXPECT_EQ(test, st.generation, 2);
	/* SPEC V2: the view's generation is GET_STATS'. */
	KUNIT_EXPECT_EQ(test, v->seq, 6);
	KUNIT_EXPECT_EQ(test, v->generation, st.generation);
}

/*
 * The view race (SPEC V2): layouts A and B of RACE_VIEW_N RAM ranges of
 * 1 MiB each, A's at every even MiB from 0 and B's at every odd one, so
 * that every address below 2 * RACE_VIEW_N MiB and every start differ
 * between them: an answer read partly from one and partly from the other
 * is caught wherever the mix falls.
 */
#define RACE_VIEW_N		128
#define RACE_VIEW_ADDRS		8
/*
 * Answers that must be checked while the writer is still publishing, and
 * reads that must see a generation the reader had not seen. The SMP
 * guests (4 vCPUs, QEMU TCG on a loaded 2-core host) measured 12475272
 * and 4210 with KASAN (316818 reads retried), 8328592 and 13490 with
 * KCSAN (5144755 retried); a run under these floors did not race,
 * whatever it found.
 */
#define RACE_VIEW_MIN_OVERLAP	1000000
#define RACE_VIEW_MIN_SWITCHES	100

/* The view's loads: they race the writer on purpose (the counter tells). */
#define RACE_LD(x)	data_race(READ_ONCE(x))

/**
 * struct race_view - shared by the writer and the readers of the view race
 * @test: the test, so that a KASAN report in a thread fails it.
 * @f: the file state; its view exists before the threads start.
 * @v: @f->view.
 * @size: @f->view_size.
 * @cap: most ranges whose starts, records and index lie within @size, as
 *       libmemlayout's memlayout_view_reader() counts them.
 * @req: the requests of layouts A and B.
 * @ref: A and B, built once: what a view of each generation must answer.
 * @shift: the bucket index's shift of A and B (they differ: A ends at
 *         255 MiB, 255 buckets of 1 MiB; B at 256 MiB, 2 MiB buckets), so
 *         a read mixing them is one more torn read the clamps must bound.
 * @ready: readers running; the writer starts once all are.
 * @stop: set once the writer is done; readers then finish.
 * @sets: layouts published by the writer.
 * @checks: answers checked by the readers (one per address).
 * @overlap: answers checked while the writer was publishing: read after
 *           its first publication and finished before its last one.
 * @switches: reads that saw another generation than the reader's previous.
 * @retries: reads discarded because the counter moved (or was odd).
 * @bad: answers or headers that do not match the generation read.
 * @done: completed by each thread when it exits.
 */
struct race_view {
	struct kunit *test;
	struct memlayout_file *f;
	const struct memlayout_view *v;
	size_t size;
	u32 cap;
	struct memlayout_request req[2];
	struct memlayout *ref[2];
	u32 shift[2];
	atomic_t ready;
	atomic_t stop;
	atomic_long_t sets;
	atomic_long_t checks;
	atomic_long_t overlap;
	atomic_long_t switches;
	atomic_long_t retries;
	atomic_long_t bad;
	struct completion done[RACE_READERS + 1];
};

/* One answer of the view: the range holding an address, or none. */
struct race_view_hit {
	u32 kind;
	u32 index;
	u64 start;
	u64 end;
	u32 vnode;
};

/**
 * struct race_view_read - what one read of the view saw
 * @seq: the counter, even, before and after.
 * @flags: the header's flags.
 * @generation: the header's generation.
 * @nr: the header's nr.
 * @index_shift: the header's index_shift.
 * @index_off: the header's index_off.
 * @fingerprint: the header's fingerprint.
 * @sane: the offsets, @nr and @index_shift fit in the view (the ranges
 *        were searched).
 * @hits: the answer for each address.
 */
struct race_view_read {
	u32 seq;
	u32 flags;
	u64 generation;
	u32 nr;
	u32 index_shift;
	u64 index_off;
	u8 fingerprint[MEMLAYOUT_FINGERPRINT_SIZE];
	bool sane;
	struct race_view_hit hits[RACE_VIEW_ADDRS];
};

static int race_view_writer(void *data)
{
	struct race_view *c = data;
	struct memlayout_error err;
	struct memlayout_set s;
	struct memlayout *l;
	int i, w;

	current->kunit_test = c->test;
	while (atomic_read(&c->ready) < RACE_READERS && !atomic_read(&c->stop))
		cond_resched();
	/* Generation 1 is A (published before); then B, A, B... */
	for (i = 0; i < RACE_ROUNDS; i++) {
		w = (i & 1) ? 0 : 1;
		l = memlayout_build(&c->req[w], GFP_KERNEL, &err);
		if (IS_ERR(l)) {
			atomic_long_inc(&c->bad);
			break;
		}
		memset(&s, 0, sizeof(s));
		if (ml_publish(c->f, l, &s, NULL, 0) ||
		    race_which(s.generation) != w)
			atomic_long_inc(&c->bad);
		atomic_long_inc(&c->sets);
		if (!(i % 64))
			cond_resched();
	}
	atomic_set(&c->stop, 1);
	complete(&c->done[0]);
	return 0;
}

/**
 * race_view_search() - one address through the bucket index
 * @starts: the view's starts.
 * @rec: the view's records.
 * @ix: the view's bucket index, 2 * @nr entries.
 * @nr: the header's nr, 1 to the view's capacity.
 * @shift: the header's index_shift, at most 63.
 * @addr: the address.
 * @hit: receives the answer.
 *
 * As libmemlayout's memlayout_view_try_probe() searches ("DOC: Shared
 * view"): bucket min(@addr >> @shift, 2 * @nr - 2), its two index entries
 * bounded by @nr - 1 before use (hi, then lo by hi: a read torn by the
 * writer gives anything, and only the counter discards it afterwards),
 * the last range starting at or below @addr among ranges lo to hi, and
 * whether it holds @addr. Every load is within the view for any value the
 * index loads give.
 */
static void race_view_search(const u64 *starts,
			     const struct memlayout_view_record *rec,
			     const u32 *ix, u32 nr, u32 shift, u64 addr,
			     struct race_view_hit *hit)
{
	u64 top = 2 * (u64)nr - 2, b;
	u32 lo, hi, n, half, next;

	memset(hit, 0, sizeof(*hit));
	hit->kind = MEMLAYOUT_KIND_NONE;
	b = min(addr >> shift, top);
	lo = RACE_LD(ix[b]);
	hi = RACE_LD(ix[b + 1]);
	hi = min(hi, nr - 1);
	lo = min(lo, hi);
	for (n = hi - lo + 1; n > 1; n -= half) {
		half = n / 2;
		next = lo + half;
		if (RACE_LD(starts[next]) <= addr)
			lo = next;
	}
	hit->index = lo;
	hit->start = RACE_LD(starts[lo]);
	hit->end = RACE_LD(rec[lo].end);
	/* Range lo holds @addr iff start <= addr < end. */
	if (addr - hit->start >= hit->end - hit->start)
		return;
	hit->kind = RACE_LD(rec[lo].kind);
	hit->vnode = RACE_LD(rec[lo].vnode);
}

/**
 * race_view_read() - read the view by the documented protocol (SPEC V2)
 * @c: the race.
 * @addrs: %RACE_VIEW_ADDRS addresses to search.
 * @r: receives what one stable read saw.
 *
 * The UAPI header's protocol: the counter with acquire ordering, retried
 * while odd; the header and the search; smp_rmb(); the counter again, the
 * whole read retried when it moved. Offsets, @nr (against the capacity,
 * as memlayout_view_try_probe() bounds it) and the index's shift are
 * checked against the view before any range is read, as a reader of torn
 * data must; race_view_search() bounds what it loads from the index.
 */
static void race_view_read(struct race_view *c, const u64 *addrs,
			   struct race_view_read *r)
{
	const struct memlayout_view *v = c->v;
	const u8 *base = (const u8 *)v;
	u64 so, ro, io;
	u32 i;

	for (;;) {
		/* Pairs with the writer's smp_wmb() after its odd counter. */
		r->seq = smp_load_acquire(&v->seq);
		if (r->seq & 1) {
			atomic_long_inc(&c->retries);
			cpu_relax();
			continue;
		}
		r->flags = RACE_LD(v->flags);
		r->generation = RACE_LD(v->generation);
		r->nr = RACE_LD(v->nr);
		r->index_shift = RACE_LD(v->index_shift);
		so = RACE_LD(v->starts_off);
		ro = RACE_LD(v->records_off);
		io = RACE_LD(v->index_off);
		r->index_off = io;
		for (i = 0; i < sizeof(r->fingerprint); i++)
			r->fingerprint[i] = RACE_LD(v->fingerprint[i]);
		/*
		 * memlayout_view_try_probe()'s one test (nr - 1 wraps for 0),
		 * then every byte the search may load within c->size: the
		 * starts and records of ranges 0 to nr - 1, index entries 0
		 * to 2 * nr - 1 (offsets within c->size first, so that no sum
		 * below wraps).
		 */
		r->sane = r->index_shift <= 63 && r->nr - 1 < c->cap &&
			  so <= c->size && ro <= c->size && io <= c->size &&
			  so >= sizeof(*v) && !(so % 8) && !(ro % 8) &&
			  !(io % 4) &&
			  so + (u64)r->nr * sizeof(u64) <= ro &&
			  ro + (u64)r->nr * sizeof(struct memlayout_view_record) <=
			  io &&
			  io + 2 * (u64)r->nr * sizeof(u32) <= c->size;
		for (i = 0; r->sane && i < RACE_VIEW_ADDRS; i++)
			race_view_search((const u64 *)(base + so),
					 (const void *)(base + ro),
					 (const u32 *)(base + io), r->nr,
					 r->index_shift, addrs[i], &r->hits[i]);
		/* Pairs with the writer's smp_wmb() before its even counter. */
		smp_rmb();
		if (READ_ONCE(v->seq) == r->seq)
			return;
		atomic_long_inc(&c->retries);
	}
}

/*
 * Checks one read against the layout of the generation it read: the
 * header, then each answer against memlayout_probe() and memlayout_entry()
 * on that layout. Return: the answers that do not match.
 */
static u32 race_view_check(struct race_view *c, const u64 *addrs,
			   const struct race_view_read *r, u64 last)
{
	int w = race_which(r->generation);
	const struct memlayout *l = c->ref[w];
	const struct race_view_hit *h;
	struct memlayout_entry e;
	u32 i, bad = 0;

	/* Generations only grow; the header is the generation's own. */
	if (r->generation < last || !r->generation ||
	    r->generation > RACE_ROUNDS + 1 ||
	    r->flags != MEMLAYOUT_VIEW_LAYOUT || r->nr != l->nr || !r->sane ||
	    r->index_shift != c->shift[w] ||
	    r->index_off != MEMLAYOUT_VIEW_STARTS_OFF + 24ULL * l->nr ||
	    memcmp(r->fingerprint, l->fingerprint, sizeof(r->fingerprint)))
		return RACE_VIEW_ADDRS;
	for (i = 0; i < RACE_VIEW_ADDRS; i++) {
		h = &r->hits[i];
		if (h->kind != memlayout_probe(l, addrs[i])) {
			bad++;
			continue;
		}
		if (h->kind == MEMLAYOUT_KIND_NONE)
			continue;
		if (h->index >= l->nr) {
			bad++;
			continue;
		}
		memlayout_entry(l, h->index, &e);
		if (h->start != e.start || h->end != e.end ||
		    h->vnode != e.vnode || addrs[i] < h->start)
			bad++;
	}
	return bad;
}

/**
 * struct race_view_arg - one view reader's arguments
 * @c: the race.
 * @index: which of @c->done it completes; seeds its addresses.
 */
struct race_view_arg {
	struct race_view *c;
	int index;
};

static int race_view_reader(void *data)
{
	struct race_view_arg *a = data;
	struct race_view *c = a->c;
	u64 addrs[RACE_VIEW_ADDRS];
	u64 seed = a->index, last = 0, x;
	struct race_view_read r;
	unsigned long n = 0;
	long before;
	u32 i, bad;

	current->kunit_test = c->test;
	atomic_inc(&c->ready);
	for (;;) {
		bool stopped = atomic_read(&c->stop);

		/* Anywhere in A and B, and in the 2 MiB past their end. */
		for (i = 0; i < RACE_VIEW_ADDRS; i++) {
			x = ml_lcg_next(&seed);
			addrs[i] = (u64)((u32)(x >> 32) % (2 * RACE_VIEW_N + 2)) *
				   SZ_1M + ((u32)x >> 12);
		}
		before = atomic_long_read(&c->sets);
		race_view_read(c, addrs, &r);
		bad = race_view_check(c, addrs, &r, last);
		if (bad)
			atomic_long_add(bad, &c->bad);
		atomic_long_add(RACE_VIEW_ADDRS, &c->checks);
		if (before && !atomic_read(&c->stop))
			atomic_long_add(RACE_VIEW_ADDRS, &c->overlap);
		if (last && r.generation != last)
			atomic_long_inc(&c->switches);
		last = r.generation;
		/* One more read after the last replacement. */
		if (stopped)
			break;
		if (!(++n % 32))
			cond_resched();
	}
	complete(&c->done[a->index]);
	return 0;
}

/* Layout w's request: RACE_VIEW_N RAM ranges of 1 MiB, every 2 MiB. */
static void race_view_req(struct kunit *test, struct race_view *c, int w)
{
	struct memlayout_range *ram;
	u32 i;

	ram = kunit_kcalloc(test, RACE_VIEW_N, sizeof(*ram), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	for (i = 0; i < RACE_VIEW_N; i++) {
		ram[i].start = (2 * (u64)i + w) * SZ_1M;
		ram[i].end = ram[i].start + SZ_1M;
		ram[i].vnode = (i + w) % 2;
	}
	c->req[w] = (struct memlayout_request) {
		.source = MEMLAYOUT_FROM_RANGES,
		.ram = ram,
		.nr_ram = RACE_VIEW_N,
	};
}

/*
 * SPEC V2: while one kthread replaces the layout of a file whose view
 * exists thousands of times (ml_publish(), as SET_LAYOUT does), readers
 * on other CPUs read the view by the documented protocol and every
 * answer they keep matches the layout of the generation they read: its
 * header, its fingerprint, the kind and the covering range of each
 * address. A writer that skips the counter (scripts/mutants.sh, mutant
 * 7) makes them keep mixed reads, and fails this.
 */
static void race_replace_vs_view(struct kunit *test)
{
	struct memlayout_error err;
	struct race_view_arg *args;
	struct memlayout_set s;
	struct memlayout *l;
	struct race_view *c;
	long live;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs to race, %u online",
			   num_online_cpus());
	live = memlayout_live();

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	args = kunit_kcalloc(test, RACE_READERS, sizeof(*args), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, args);
	c->test = test;
	for (i = 0; i < 2; i++) {
		race_view_req(test, c, i);
		c->ref[i] = memlayout_build(&c->req[i], GFP_KERNEL, &err);
		KUNIT_ASSERT_FALSE(test, IS_ERR(c->ref[i]));
		KUNIT_ASSERT_EQ(test, c->ref[i]->nr, RACE_VIEW_N);
		c->shift[i] = memlayout_view_shift(RACE_VIEW_N,
						   c->ref[i]->end_of_layout);
	}
	/* 2 * 128 - 1 buckets: A's 255 MiB fill them at 1 MiB, B's do not. */
	KUNIT_EXPECT_EQ(test, c->shift[0], 20);
	KUNIT_EXPECT_EQ(test, c->shift[1], 21);
	c->f = ml_file_new();
	KUNIT_ASSERT_NOT_NULL(test, c->f);
	c->size = PAGE_ALIGN(memlayout_view_bytes(RACE_VIEW_N));
	c->cap = (c->size - MEMLAYOUT_VIEW_STARTS_OFF) /
		 (sizeof(u64) + sizeof(struct memlayout_view_record) +
		  2 * sizeof(u32));
	KUNIT_ASSERT_EQ(test, ml_view_get(c->f, c->size), 0);
	c->v = c->f->view;
	/* Generation 1, A: the readers never see a file without a layout. */
	l = memlayout_build(&c->req[0], GFP_KERNEL, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(l));
	memset(&s, 0, sizeof(s));
	KUNIT_ASSERT_EQ(test, ml_publish(c->f, l, &s, NULL, 0), 0);
	KUNIT_ASSERT_EQ(test, s.generation, 1);
	for (i = 0; i < RACE_READERS; i++) {
		args[i].c = c;
		args[i].index = i + 1;
	}
	race_run_threads(&c->stop, c->done, race_view_reader, args,
			 sizeof(*args), race_view_writer, c, "ml-view");

	kunit_info(test,
		   "view: %ld layouts published, %ld answers checked, %ld while the writer ran, %ld bad; %ld reads saw a new generation, %ld retried; %u CPUs\n",
		   atomic_long_read(&c->sets), atomic_long_read(&c->checks),
		   atomic_long_read(&c->overlap), atomic_long_read(&c->bad),
		   atomic_long_read(&c->switches),
		   atomic_long_read(&c->retries), num_online_cpus());
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->sets), RACE_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&c->bad), 0);
	KUNIT_EXPECT_EQ(test, c->f->generation, RACE_ROUNDS + 1);
	/* The view ends even, on the last generation (SPEC V2). */
	KUNIT_EXPECT_EQ(test, c->v->seq % 2, 0);
	KUNIT_EXPECT_EQ(test, c->v->generation, RACE_ROUNDS + 1);
	/* The readers must have raced the writer, not run after it. */
	KUNIT_EXPECT_GE(test, atomic_long_read(&c->overlap),
			RACE_VIEW_MIN_OVERLAP);
	KUNIT_EXPECT_GE(test, atomic_long_read(&c->switches),
			RACE_VIEW_MIN_SWITCHES);

	ml_file_free(c->f);
	memlayout_put(c->ref[0]);
	memlayout_put(c->ref[1]);
	KUNIT_EXPECT_EQ(test, memlayout_live(), live);
}

static struct kunit_case memlayout_race_cases[] = {
	KUNIT_CASE(race_failed_set_keeps_layout),
	KUNIT_CASE_SLOW(race_replace_vs_probe_and_stats),
	KUNIT_CASE_SLOW(race_replace_vs_view),
	{}
};

static struct kunit_suite memlayout_race_suite = {
	.name = "memlayout_race",
	.test_cases = memlayout_race_cases,
};

kunit_test_suite(memlayout_race_suite);
