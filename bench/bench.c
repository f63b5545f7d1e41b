// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace benchmark of the memlayout core against the seed.
 *
 * The core is memlayout_core.c as libmemlayout builds it (unchanged, over
 * lib/shim/); the seed is OpenVMM's memory.rs itself, built by cargo into
 * a static library (bench/seed/). Both run in this one process, on the
 * same ranges and the same addresses, and every measurement of one size
 * is taken in turn, round after round, so that a slower or busier moment
 * of the machine hits all of them alike. Times are CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID), the best of the rounds.
 *
 * For n = 4 .. 65536 ranges, n / 2 RAM ranges of 2 MiB alternate with
 * n / 2 MMIO gaps of 2 MiB from address 0 (as kunit/bench_kunit.c). The
 * columns are described by the legend that the program prints.
 *
 * usage: bench [-q] [ROUNDS]   (-q: fewer sizes and shorter runs)
 *
 * A benchmark, not a test: it exits 0 whatever the figures are. It exits 1
 * only when a layout cannot be built or an answer differs between the
 * seed, memlayout_probe() and memlayout_probe_many(), because then the
 * figures would time wrong code.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/memlayout.h>
#include <linux/slab.h>

#include "seed.h"

#define RANGE_LEN	(2ULL << 20)
#define NR_RANDOM	65536U
#define MAX_N		65536U
#define MAX_BATCH	1024U
/* Probes per memlayout_probe_many() call in the batch measurements. */
#define MANY_CHUNK	256U

enum meas {
	M_SEED_C3,	/* MemoryLayout::new_from_ranges() */
	M_CORE_C3,	/* memlayout_build(), C3 */
	M_SEED_C1,	/* MemoryLayout::new() */
	M_CORE_C1,	/* memlayout_build(), C1 */
	M_FP,		/* memlayout_fingerprint_layout() alone */
	M_SEED_RND,	/* probe_address(), random addresses */
	M_CORE_RND,	/* memlayout_probe(), random */
	M_MANY_RND,	/* memlayout_probe_many(), random */
	M_CORE_SEQ,	/* memlayout_probe(), in-order walk */
	M_MANY_SEQ,	/* memlayout_probe_many(), in-order walk */
	M_NR,
};

struct ctx {
	u32 n;
	struct memlayout_range *ram, *mmio;
	struct seed_input *seed_in;
	struct memlayout_request req_c3, req_c1;
	struct memlayout *l;
	struct seed_layout *seed_l;
	u64 *rnd, *seq;
	u32 nr_seq;
	u32 *kinds;
	void **batch;
	u64 count[M_NR];	/* operations per timed run */
	double best[M_NR];	/* ns per operation, best run */
};

/* Makes @sum look used, so that no timed loop can be optimized away. */
static inline void bench_keep(u64 sum)
{
	asm volatile("" : : "r" (sum));
}

static double target_ns = 4e6;

static u64 cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what, u32 n)
{
	fprintf(stderr, "bench: n=%u: %s\n", n, what);
	exit(1);
}

static struct memlayout *core_build(struct ctx *c,
				    const struct memlayout_request *req)
{
	struct memlayout_error err;
	struct memlayout *l = memlayout_build(req, GFP_KERNEL, &err);

	if (IS_ERR_OR_NULL(l))
		die("memlayout_build() failed", c->n);
	return l;
}

/* Builds of one kind, @count of them in batches; returns the ns spent. */
static u64 run_build(struct ctx *c, enum meas m, u64 count)
{
	u64 spent = 0, t0, done = 0;
	u32 i, batch;

	while (done < count) {
		batch = count - done < MAX_BATCH ? count - done : MAX_BATCH;
		t0 = cpu_ns();
		for (i = 0; i < batch; i++) {
			switch (m) {
			case M_SEED_C3:
				c->batch[i] = seed_build_ranges(c->seed_in);
				break;
			case M_SEED_C1:
				c->batch[i] = seed_build_size(c->seed_in,
							      c->req_c1.ram_size);
				break;
			case M_CORE_C3:
				c->batch[i] = core_build(c, &c->req_c3);
				break;
			default:
				c->batch[i] = core_build(c, &c->req_c1);
				break;
			}
		}
		spent += cpu_ns() - t0;
		for (i = 0; i < batch; i++) {
			if (!c->batch[i])
				die("the seed rejected the layout", c->n);
			if (m == M_SEED_C3 || m == M_SEED_C1)
				seed_layout_free(c->batch[i]);
			else
				memlayout_free(c->batch[i]);
		}
		done += batch;
	}
	return spent;
}

static u64 run_probe(struct ctx *c, enum meas m, u64 count)
{
	bool seq = m == M_CORE_SEQ || m == M_MANY_SEQ;
	const u64 *a = seq ? c->seq : c->rnd;
	u32 nr = seq ? c->nr_seq : NR_RANDOM, pos = 0, chunk;
	u64 sum = 0, t0, t1;

	t0 = cpu_ns();
	switch (m) {
	case M_FP:
		while (count--)
			memlayout_fingerprint_layout(c->l, false);
		sum = c->l->fingerprint[0];
		break;
	case M_SEED_RND:
		sum = seed_probe_loop(c->seed_l, a, nr, count);
		break;
	case M_CORE_RND:
	case M_CORE_SEQ:
		while (count--) {
			sum += memlayout_probe(c->l, a[pos]);
			if (++pos == nr)
				pos = 0;
		}
		break;
	default:
		while (count) {
			chunk = nr - pos < MANY_CHUNK ? nr - pos : MANY_CHUNK;
			if (chunk > count)
				chunk = count;
			memlayout_probe_many(c->l, a + pos, c->kinds, chunk);
			sum += c->kinds[chunk - 1];
			count -= chunk;
			pos += chunk;
			if (pos == nr)
				pos = 0;
		}
		break;
	}
	t1 = cpu_ns();
	bench_keep(sum);
	return t1 - t0;
}

static u64 run(struct ctx *c, enum meas m, u64 count)
{
	if (m <= M_CORE_C1)
		return run_build(c, m, count);
	return run_probe(c, m, count);
}

static u64 xorshift64(u64 *s)
{
	u64 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void setup(struct ctx *c, u32 n)
{
	u64 end = (u64)n * RANGE_LEN, span = end + end / 8;
	u64 state = 0x9e3779b97f4a7c15ULL ^ n;
	u32 i, j;

	c->n = n;
	for (i = 0; i < n / 2; i++) {
		c->ram[i] = (struct memlayout_range) {
			.start = 2ULL * i * RANGE_LEN,
			.end = (2ULL * i + 1) * RANGE_LEN,
		};
		c->mmio[i] = (struct memlayout_range) {
			.start = (2ULL * i + 1) * RANGE_LEN,
			.end = (2ULL * i + 2) * RANGE_LEN,
		};
	}
	c->req_c3 = (struct memlayout_request) {
		.source = MEMLAYOUT_FROM_RANGES,
		.max_ranges = n,
		.ram = c->ram, .nr_ram = n / 2,
		.mmio = c->mmio, .nr_mmio = n / 2,
	};
	c->req_c1 = (struct memlayout_request) {
		.source = MEMLAYOUT_FROM_SIZE,
		.max_ranges = n,
		.ram_size = (u64)(n / 2) * RANGE_LEN,
		.mmio = c->mmio, .nr_mmio = n / 2,
	};
	c->seed_in = seed_input_new(c->ram, n / 2, c->mmio, n / 2);
	c->l = core_build(c, &c->req_c3);
	c->seed_l = seed_build_ranges(c->seed_in);
	if (!c->seed_l)
		die("the seed rejected the layout", n);

	/* Random addresses: about one in nine beyond the layout. */
	for (i = 0; i < NR_RANDOM; i++)
		c->rnd[i] = xorshift64(&state) % span;
	/* The walk: start and middle of every range, ascending, >= 4096. */
	c->nr_seq = 2 * n > 4096 ? 2 * n : 4096;
	for (i = 0; i < c->nr_seq; i += 2 * n) {
		for (j = 0; j < n; j++) {
			c->seq[i + 2 * j] = j * RANGE_LEN;
			c->seq[i + 2 * j + 1] = j * RANGE_LEN + RANGE_LEN / 2;
		}
	}
}

static void teardown(struct ctx *c)
{
	memlayout_free(c->l);
	seed_layout_free(c->seed_l);
	seed_input_free(c->seed_in);
}

/* The three answers agree on every address: else the figures time bugs. */
static void check(struct ctx *c, const u64 *a, u32 nr)
{
	u32 i, k, many[MANY_CHUNK];

	for (i = 0; i < nr; i += MANY_CHUNK) {
		u32 chunk = nr - i < MANY_CHUNK ? nr - i : MANY_CHUNK;

		memlayout_probe_many(c->l, a + i, many, chunk);
		for (k = 0; k < chunk; k++) {
			u32 want = seed_probe(c->seed_l, a[i + k]);

			if (memlayout_probe(c->l, a[i + k]) != want ||
			    many[k] != want) {
				fprintf(stderr,
					"bench: n=%u addr %#llx: seed %u, probe %u, many %u\n",
					c->n, (unsigned long long)a[i + k], want,
					memlayout_probe(c->l, a[i + k]), many[k]);
				exit(1);
			}
		}
	}
}

/* Grows @c->count[@m] until one run lasts at least target_ns. */
static void calibrate(struct ctx *c, enum meas m)
{
	u64 count = 1, ns;

	for (;;) {
		ns = run(c, m, count);
		if (ns >= target_ns || count >= (1ULL << 40))
			break;
		if (ns < target_ns / 64)
			count *= 16;
		else
			count = count * target_ns / ns + 1;
	}
	c->count[m] = count;
	c->best[m] = (double)ns / count;
}

static void put(double v)
{
	if (v >= 1e6)
		printf(" %8.0fk", v / 1e3);
	else if (v >= 1e4)
		printf(" %9.0f", v);
	else
		printf(" %9.1f", v);
}

static void ratio(double slow, double fast)
{
	printf(" %6.2f", fast > 0 ? slow / fast : 0);
}

static const char * const bench_legend[] = {
	"seed_c3, core_c3: MemoryLayout::new_from_ranges(), memlayout_build()",
	"  from the same RAM ranges and gaps (C3); x_c3 = seed_c3 / core_c3",
	"seed_c1, core_c1: MemoryLayout::new(ram_size, gaps), memlayout_build()",
	"  from the RAM size and the gaps (C1); x_c1 = seed_c1 / core_c1",
	"fp: memlayout_fingerprint_layout() alone, the SHA-256 of SPEC F1 that",
	"  SET_LAYOUT computes before it publishes a layout (memlayout_build()",
	"  does not); c3+fp = core_c3 + fp, what a SET_LAYOUT's build and",
	"  fingerprint cost; x_c3+fp = seed_c3 / c3+fp",
	"*_rnd: one probe of a random address: the seed's probe_address(),",
	"  memlayout_probe(), memlayout_probe_many() (256 addresses a call)",
	"x_rnd = seed_rnd / core_rnd; x_many = core_rnd / many_rnd",
	"*_seq: the in-order walk (start and middle of every range, ascending)",
};

static void legend(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bench_legend); i++)
		printf("%s\n", bench_legend[i]);
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 4, 16, 64, 256, 1024, 4096, 16384, 65536 };
	static const u32 quick[] = { 4, 64, 1024, 4096, 65536 };
	const u32 *sz = sizes;
	u32 nsz = ARRAY_SIZE(sizes);
	int rounds = 7, r, i, m;
	struct ctx c = { 0 };

	if (argc > 1 && !strcmp(argv[1], "-q")) {
		sz = quick;
		nsz = ARRAY_SIZE(quick);
		target_ns = 2e6;
		argc--;
		argv++;
	}
	if (argc > 1)
		rounds = atoi(argv[1]) > 0 ? atoi(argv[1]) : rounds;

	c.ram = calloc(MAX_N / 2, sizeof(*c.ram));
	c.mmio = calloc(MAX_N / 2, sizeof(*c.mmio));
	c.rnd = calloc(NR_RANDOM, sizeof(*c.rnd));
	c.seq = calloc(2 * MAX_N, sizeof(*c.seq));
	c.kinds = calloc(MANY_CHUNK, sizeof(*c.kinds));
	c.batch = calloc(MAX_BATCH, sizeof(*c.batch));
	if (!c.ram || !c.mmio || !c.rnd || !c.seq || !c.kinds || !c.batch)
		die("out of memory", 0);

	printf("ranges: n/2 RAM of 2 MiB alternating with n/2 MMIO gaps of 2 MiB from 0\n");
	printf("random: %u addresses in [0, end * 9/8)\n", NR_RANDOM);
	printf("CPU time per operation (ns), best of %d interleaved rounds of >= %.0f ms each\n",
	       rounds, target_ns / 1e6);
	printf("%6s %9s %9s %6s %9s %9s %6s %9s %9s %6s | %9s %9s %9s %6s %6s | %9s %9s\n",
	       "n", "seed_c3", "core_c3", "x_c3", "seed_c1", "core_c1", "x_c1",
	       "fp", "c3+fp", "x_c3+fp", "seed_rnd", "core_rnd", "many_rnd",
	       "x_rnd", "x_many", "core_seq", "many_seq");
	for (i = 0; i < (int)nsz; i++) {
		setup(&c, sz[i]);
		check(&c, c.rnd, NR_RANDOM);
		check(&c, c.seq, c.nr_seq);
		for (m = 0; m < M_NR; m++)
			calibrate(&c, m);
		for (r = 1; r < rounds; r++) {
			for (m = 0; m < M_NR; m++) {
				double ns = (double)run(&c, m, c.count[m]) /
					    c.count[m];

				if (ns < c.best[m])
					c.best[m] = ns;
			}
		}
		printf("%6u", c.n);
		put(c.best[M_SEED_C3]);
		put(c.best[M_CORE_C3]);
		ratio(c.best[M_SEED_C3], c.best[M_CORE_C3]);
		put(c.best[M_SEED_C1]);
		put(c.best[M_CORE_C1]);
		ratio(c.best[M_SEED_C1], c.best[M_CORE_C1]);
		put(c.best[M_FP]);
		put(c.best[M_CORE_C3] + c.best[M_FP]);
		ratio(c.best[M_SEED_C3], c.best[M_CORE_C3] + c.best[M_FP]);
		printf("  |");
		put(c.best[M_SEED_RND]);
		put(c.best[M_CORE_RND]);
		put(c.best[M_MANY_RND]);
		ratio(c.best[M_SEED_RND], c.best[M_CORE_RND]);
		ratio(c.best[M_CORE_RND], c.best[M_MANY_RND]);
		printf(" |");
		put(c.best[M_CORE_SEQ]);
		put(c.best[M_MANY_SEQ]);
		printf("\n");
		fflush(stdout);
		teardown(&c);
	}
	legend();
	return 0;
}
