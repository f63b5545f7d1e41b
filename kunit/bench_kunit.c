// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit-hosted benchmark of the memlayout core.
 *
 * This is a benchmark, not a test: it never fails on timing. The only
 * failure it reports is a layout that cannot be built (or memory for the
 * benchmark that cannot be allocated), because the requests it makes are
 * valid and a rejection is a real bug.
 *
 * For n = 4 .. 65536 ranges (n / 2 RAM ranges of 2 MiB alternating with
 * n / 2 MMIO gaps of 2 MiB, starting at address 0) it prints one table row:
 *
 * - the time to build the layout with memlayout_build(), from explicit
 *   ranges (SPEC C3) and from a RAM size plus the same gaps (SPEC C1);
 * - the cost of one probe (SPEC Q9) with memlayout_probe() in a loop and
 *   with memlayout_probe_many(), for pre-generated random addresses and for
 *   addresses walking the map in ascending order;
 * - the same two probe figures for the seed's probe_address(): a linear
 *   scan of the RAM list, then of the MMIO list, implemented here;
 * - the speedup of the layout's probes over that linear scan;
 * - the memory a layout needs per range.
 *
 * A second case times placement (SPEC C4): for n = 16 .. 16384 requests of
 * a realistic mix (pinned ranges, 32-bit MMIO, one RAM request per vNUMA
 * node, 64-bit MMIO, post-MMIO) it prints the best-of-N time of
 * memlayout_place() and of a plain free-list model written here (a sorted
 * array, O(n) insertion and removal, as upstream OpenVMM's LayoutBuilder),
 * in ns per request, and their ratio; both must place the same ranges.
 *
 * Every line is printed with pr_info() and starts with "memlayout_bench: ",
 * so the table can be extracted from the raw kernel log with grep.
 */

#define pr_fmt(fmt) "memlayout_bench: " fmt

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#include <linux/memlayout.h>

/* Length of every RAM range and of every MMIO gap. */
#define BENCH_RANGE_LEN		((u64)SZ_2M)
/* Each timed run lasts at least this long. */
#define BENCH_TARGET_NS		(20ULL * NSEC_PER_MSEC)
/* A probe figure is the best of this many runs. */
#define BENCH_REPEATS		3
/* Probes in the first calibration run. */
#define BENCH_FIRST_PROBES	256ULL
/* Give up growing a run beyond this many probes (clock not moving). */
#define BENCH_MAX_PROBES	BIT_ULL(40)
/* Pre-generated random addresses. */
#define BENCH_NR_RANDOM		65536U
/* The in-order walk is repeated until it holds at least this many. */
#define BENCH_MIN_SEQ		4096U
/* Build timing: layouts built back to back between two clock reads. */
#define BENCH_MAX_BATCH		64U
/* Build timing: batches timed (median taken), between min and max. */
#define BENCH_MIN_SAMPLES	5U
#define BENCH_MAX_SAMPLES	1024U
/* Build timing: stop after the minimum samples once this much is spent. */
#define BENCH_BUILD_MAX_NS	(2ULL * NSEC_PER_SEC)
/* Addresses per array cross-checked against the linear scan. */
#define BENCH_CHECK		1024U

static const u32 bench_sizes[] = { 4, 64, 1024, 4096, 65536 };
#define BENCH_MAX_N		65536U

/* Results land here so that no timed loop can be optimized away. */
static u64 bench_sink;

enum bench_mode {
	BENCH_PROBE,		/* memlayout_probe() in a loop */
	BENCH_PROBE_MANY,	/* memlayout_probe_many() over the array */
	BENCH_LINEAR,		/* the seed's scan: RAM list, then MMIO list */
	BENCH_NR_MODES,
};

enum bench_addrs {
	BENCH_RANDOM,
	BENCH_IN_ORDER,
	BENCH_NR_ADDRS,
};

struct bench_row {
	u64 c3_ns;		/* median ns per memlayout_build(), C3 */
	u64 c1_ns;		/* median ns per memlayout_build(), C1 */
	u64 ps[BENCH_NR_ADDRS][BENCH_NR_MODES];	/* ps per probe */
	u64 formula_bytes;	/* computed size of the layout */
	u64 alloc_bytes;	/* what the allocator really holds for it */
	bool vmalloced;		/* alloc_bytes is a page-rounded estimate */
	u32 mismatches;		/* probes that disagree with the linear scan */
};

struct bench_ctx {
	struct kunit *test;
	u32 n;
	struct memlayout_range *ram;	/* n / 2 RAM ranges (the seed's ram) */
	struct memlayout_range *mmio;	/* n / 2 MMIO gaps (the seed's mmio) */
	u32 nr_ram;
	u32 nr_mmio;
	struct memlayout *l;		/* the C3 layout that is probed */
	u64 *addr[BENCH_NR_ADDRS];
	u32 nr_addr[BENCH_NR_ADDRS];
	u32 *kinds;			/* memlayout_probe_many() output */
	struct memlayout **batch;	/* layouts of one build batch */
	u64 *samples;			/* ns per build, one per batch */
	char *line;			/* one table row being formatted */
	struct bench_row row;
};

#define BENCH_LINE_LEN		256

KUNIT_DEFINE_ACTION_WRAPPER(bench_kvfree, kvfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(bench_layout_free, memlayout_free,
			    struct memlayout *);

/* A kvmalloc'ed array freed when the test ends. */
static void *bench_alloc(struct kunit *test, size_t n, size_t size)
{
	void *p = kvmalloc_array(n, size, GFP_KERNEL);

	if (!p || kunit_add_action_or_reset(test, bench_kvfree, p))
		return NULL;
	return p;
}

/*
 * The seed's MemoryLayout::probe_address(): the first range containing
 * @addr, looking through the RAM list and then the MMIO list, as given.
 */
static u32 bench_linear_probe(const struct bench_ctx *c, u64 addr)
{
	u32 i;

	for (i = 0; i < c->nr_ram; i++) {
		if (addr >= c->ram[i].start && addr < c->ram[i].end)
			return MEMLAYOUT_KIND_RAM;
	}
	for (i = 0; i < c->nr_mmio; i++) {
		if (addr >= c->mmio[i].start && addr < c->mmio[i].end)
			return MEMLAYOUT_KIND_MMIO;
	}
	return MEMLAYOUT_KIND_NONE;
}

/* Do @count probes cycling through @addr[0 .. @nr); return the ns spent. */
static u64 bench_run(struct bench_ctx *c, enum bench_mode mode,
		     const u64 *addr, u32 nr, u64 count)
{
	u64 sum = 0;
	u64 t0, t1;
	u32 pos = 0;
	u32 chunk;

	t0 = ktime_get_ns();
	switch (mode) {
	case BENCH_PROBE:
		while (count--) {
			sum += memlayout_probe(c->l, addr[pos]);
			if (++pos == nr)
				pos = 0;
		}
		break;
	case BENCH_PROBE_MANY:
		while (count) {
			chunk = min_t(u64, count, nr - pos);
			memlayout_probe_many(c->l, addr + pos, c->kinds + pos,
					     chunk);
			sum += c->kinds[pos + chunk - 1];
			count -= chunk;
			pos += chunk;
			if (pos == nr)
				pos = 0;
		}
		break;
	case BENCH_LINEAR:
		while (count--) {
			sum += bench_linear_probe(c, addr[pos]);
			if (++pos == nr)
				pos = 0;
		}
		break;
	default:
		break;
	}
	t1 = ktime_get_ns();

	OPTIMIZER_HIDE_VAR(sum);
	WRITE_ONCE(bench_sink, READ_ONCE(bench_sink) + sum);
	return t1 - t0;
}

/*
 * Picoseconds per probe: the probe count grows until one run lasts at least
 * BENCH_TARGET_NS (so slow modes, like the linear scan of many ranges, do
 * fewer probes), then the best of BENCH_REPEATS runs of that count is taken.
 */
static u64 bench_probe_ps(struct bench_ctx *c, enum bench_mode mode,
			  enum bench_addrs which)
{
	const u64 *addr = c->addr[which];
	u32 nr = c->nr_addr[which];
	u64 count = BENCH_FIRST_PROBES;
	u64 ns, best;
	int i;

	for (;;) {
		ns = bench_run(c, mode, addr, nr, count);
		if (ns >= BENCH_TARGET_NS || count >= BENCH_MAX_PROBES)
			break;
		count *= ns < BENCH_TARGET_NS / 8 ? 8 : 2;
		cond_resched();
	}

	best = ns;
	for (i = 1; i < BENCH_REPEATS; i++) {
		cond_resched();
		best = min(best, bench_run(c, mode, addr, nr, count));
	}
	return div64_u64(best * 1000, count);
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a;
	u64 y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * memlayout_build() returns an ERR_PTR() on failure; %NULL is treated the
 * same way (as -ENOMEM). Either is reported as a failure: the requests made
 * here are valid, so a rejection is a bug.
 */
static int bench_build_failed(struct bench_ctx *c, const char *form,
			      const struct memlayout *l,
			      const struct memlayout_error *err)
{
	int ret = l ? PTR_ERR(l) : -ENOMEM;

	KUNIT_FAIL(c->test,
		   "n=%u: %s layout not built (%d): rule %u (%s), list %s index %u, other %s index %u",
		   c->n, form, ret, err->rule, memlayout_rule_name(err->rule),
		   memlayout_list_name(err->list), err->index,
		   memlayout_list_name(err->other_list), err->other_index);
	return ret;
}

/*
 * Median ns of one memlayout_build() of @req, in *@ns. Layouts are built in
 * batches between two clock reads (small layouts build in well under a
 * microsecond) and freed outside the timed region.
 */
static int bench_build_ns(struct bench_ctx *c,
			  const struct memlayout_request *req,
			  const char *form, u64 *ns)
{
	u32 batch = clamp(4096U / c->n, 1U, BENCH_MAX_BATCH);
	struct memlayout_error err;
	struct memlayout *l = NULL;
	u32 nsamples = 0;
	u64 total = 0;
	u64 t0, t1;
	u32 built;
	u32 i;

	while ((nsamples < BENCH_MIN_SAMPLES && total < BENCH_BUILD_MAX_NS) ||
	       (total < BENCH_TARGET_NS && nsamples < BENCH_MAX_SAMPLES)) {
		memset(&err, 0, sizeof(err));
		t0 = ktime_get_ns();
		for (built = 0; built < batch; built++) {
			l = memlayout_build(req, GFP_KERNEL, &err);
			if (IS_ERR_OR_NULL(l))
				break;
			c->batch[built] = l;
		}
		t1 = ktime_get_ns();
		for (i = 0; i < built; i++)
			memlayout_free(c->batch[i]);
		if (built < batch)
			return bench_build_failed(c, form, l, &err);
		c->samples[nsamples++] = div_u64(t1 - t0, batch);
		total += t1 - t0;
		cond_resched();
	}

	sort(c->samples, nsamples, sizeof(*c->samples), bench_cmp_u64, NULL);
	*ns = c->samples[nsamples / 2];
	return 0;
}

/* n / 2 RAM ranges alternating with n / 2 MMIO gaps, from address 0. */
static void bench_fill_ranges(struct bench_ctx *c)
{
	u32 i;

	c->nr_ram = c->n / 2;
	c->nr_mmio = c->n / 2;
	for (i = 0; i < c->nr_ram; i++) {
		c->ram[i] = (struct memlayout_range) {
			.start = (2ULL * i) * BENCH_RANGE_LEN,
			.end = (2ULL * i + 1) * BENCH_RANGE_LEN,
		};
		c->mmio[i] = (struct memlayout_range) {
			.start = (2ULL * i + 1) * BENCH_RANGE_LEN,
			.end = (2ULL * i + 2) * BENCH_RANGE_LEN,
		};
	}
}

static u64 bench_xorshift64(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/*
 * Random addresses over [0, end + end / 8), so that about one probe in
 * nine falls beyond the layout; and the in-order walk: the start and the
 * middle of every range in ascending order, repeated to BENCH_MIN_SEQ.
 */
static void bench_fill_addrs(struct bench_ctx *c)
{
	u64 end = (u64)c->n * BENCH_RANGE_LEN;
	u64 span = end + end / 8;
	u64 state = 0x9e3779b97f4a7c15ULL ^ c->n;
	u64 *seq = c->addr[BENCH_IN_ORDER];
	u64 rem;
	u32 i, j;

	for (i = 0; i < BENCH_NR_RANDOM; i++) {
		div64_u64_rem(bench_xorshift64(&state), span, &rem);
		c->addr[BENCH_RANDOM][i] = rem;
	}
	c->nr_addr[BENCH_RANDOM] = BENCH_NR_RANDOM;

	c->nr_addr[BENCH_IN_ORDER] = max(2 * c->n, BENCH_MIN_SEQ);
	for (i = 0; i < c->nr_addr[BENCH_IN_ORDER]; i += 2 * c->n) {
		for (j = 0; j < c->n; j++) {
			seq[i + 2 * j] = j * BENCH_RANGE_LEN;
			seq[i + 2 * j + 1] = j * BENCH_RANGE_LEN +
					     BENCH_RANGE_LEN / 2;
		}
	}
}

/* Probes of the first BENCH_CHECK addresses that disagree with the seed. */
static u32 bench_check(struct bench_ctx *c, enum bench_addrs which)
{
	const u64 *addr = c->addr[which];
	u32 nr = min(c->nr_addr[which], BENCH_CHECK);
	u32 bad = 0;
	u32 kind;
	u32 i;

	memlayout_probe_many(c->l, addr, c->kinds, nr);
	for (i = 0; i < nr; i++) {
		kind = bench_linear_probe(c, addr[i]);
		if (memlayout_probe(c->l, addr[i]) != kind ||
		    c->kinds[i] != kind)
			bad++;
	}
	return bad;
}

/*
 * Memory per range. memlayout_bytes() is what the layout asks for: the
 * header, then per range its start, its slot (end, vnode, kind) and one u32
 * of the by-kind order index, all in one allocation.
 * The core allocates it with kvmalloc(): when that came from the slab or the
 * page allocator, ksize() gives what is really held; ksize() cannot be used
 * on vmalloc memory, so there the formula rounded up to whole pages (what
 * vmalloc maps) is shown instead, marked 'v'.
 */
static void bench_memory(struct bench_ctx *c)
{
	struct bench_row *r = &c->row;

	r->formula_bytes = memlayout_bytes(c->l);
	r->vmalloced = is_vmalloc_addr(c->l);
	if (r->vmalloced)
		r->alloc_bytes = PAGE_ALIGN(r->formula_bytes);
	else
		r->alloc_bytes = ksize(c->l);
}

/* Append " <value / 1000 with @dec decimals><tag>", right-aligned. */
static void bench_put(struct bench_ctx *c, int width, u64 milli, int dec,
		      const char *tag)
{
	static const u32 scale[] = { 1000, 100, 10, 1 };
	size_t len = strlen(c->line);
	char num[32];
	u32 rem;
	u64 q;

	milli += scale[dec] / 2;
	q = div_u64_rem(milli, 1000, &rem);
	if (dec)
		snprintf(num, sizeof(num), "%llu.%0*u%s", q, dec,
			 rem / scale[dec], tag);
	else
		snprintf(num, sizeof(num), "%llu%s", q, tag);
	scnprintf(c->line + len, BENCH_LINE_LEN - len, " %*s", width, num);
}

/* Speedup of @fast over @slow, in thousandths. */
static u64 bench_speedup(u64 slow, u64 fast)
{
	return div64_u64(slow * 1000, max(fast, 1ULL));
}

static void bench_print_header(void)
{
	pr_info("ranges: n/2 RAM of 2 MiB alternating with n/2 MMIO gaps of 2 MiB from 0\n");
	pr_info("random: %u addresses in [0, end_of_layout * 9/8); in-order: start and middle of every range, ascending\n",
		BENCH_NR_RANDOM);
	pr_info("build: median of >= %u batches (>= %llu ms in all); probe: best of %d runs of >= %llu ms each\n",
		BENCH_MIN_SAMPLES, BENCH_TARGET_NS / NSEC_PER_MSEC,
		BENCH_REPEATS, BENCH_TARGET_NS / NSEC_PER_MSEC);
	pr_info("%6s %9s %9s %7s %7s %9s %7s %7s %7s %7s %9s %7s %6s %8s\n",
		"n", "c3_us", "c1_us", "rnd_1", "rnd_m", "rnd_lin", "x_rnd",
		"x_rnd_m", "seq_1", "seq_m", "seq_lin", "x_seq", "B/rng",
		"alloc/rng");
}

static void bench_print_legend(void)
{
	pr_info("c3_us, c1_us: us per memlayout_build() from ranges (C3), from a RAM size and the gaps (C1)\n");
	pr_info("rnd_*, seq_*: ns per probe, random / in-order addresses; _1 memlayout_probe() loop, _m memlayout_probe_many(), _lin seed linear scan\n");
	pr_info("x_rnd = rnd_lin / rnd_1, x_rnd_m = rnd_lin / rnd_m, x_seq = seq_lin / seq_1\n");
	pr_info("B/rng: memlayout_bytes() / n; alloc/rng: ksize() / n, or 'v': vmalloc'ed, formula rounded to pages / n\n");
}

static void bench_print_row(struct bench_ctx *c)
{
	struct bench_row *r = &c->row;
	u64 (*ps)[BENCH_NR_MODES] = r->ps;

	snprintf(c->line, BENCH_LINE_LEN, "%6u", c->n);
	bench_put(c, 9, r->c3_ns, 2, "");
	bench_put(c, 9, r->c1_ns, 2, "");
	bench_put(c, 7, ps[BENCH_RANDOM][BENCH_PROBE], 1, "");
	bench_put(c, 7, ps[BENCH_RANDOM][BENCH_PROBE_MANY], 1, "");
	bench_put(c, 9, ps[BENCH_RANDOM][BENCH_LINEAR], 1, "");
	bench_put(c, 7, bench_speedup(ps[BENCH_RANDOM][BENCH_LINEAR],
				      ps[BENCH_RANDOM][BENCH_PROBE]), 1, "");
	bench_put(c, 7, bench_speedup(ps[BENCH_RANDOM][BENCH_LINEAR],
				      ps[BENCH_RANDOM][BENCH_PROBE_MANY]),
		  1, "");
	bench_put(c, 7, ps[BENCH_IN_ORDER][BENCH_PROBE], 1, "");
	bench_put(c, 7, ps[BENCH_IN_ORDER][BENCH_PROBE_MANY], 1, "");
	bench_put(c, 9, ps[BENCH_IN_ORDER][BENCH_LINEAR], 1, "");
	bench_put(c, 7, bench_speedup(ps[BENCH_IN_ORDER][BENCH_LINEAR],
				      ps[BENCH_IN_ORDER][BENCH_PROBE]), 1, "");
	bench_put(c, 6, div_u64(r->formula_bytes * 1000, c->n), 1, "");
	bench_put(c, 8, div_u64(r->alloc_bytes * 1000, c->n), 1,
		  r->vmalloced ? "v" : " ");
	pr_info("%s\n", c->line);

	if (r->mismatches)
		pr_info("WARNING n=%u: %u probes differ from the linear scan, figures above are suspect\n",
			c->n, r->mismatches);
}

/* Measure and print the row of @c->n ranges. */
static int bench_one(struct bench_ctx *c)
{
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_RANGES,
		.max_ranges = c->n,	/* >= n / 2: R8 must not fire */
	};
	struct memlayout_error err = {};
	enum bench_addrs which;
	enum bench_mode mode;
	int ret;

	memset(&c->row, 0, sizeof(c->row));
	bench_fill_ranges(c);
	bench_fill_addrs(c);
	req.ram = c->ram;
	req.nr_ram = c->nr_ram;
	req.mmio = c->mmio;
	req.nr_mmio = c->nr_mmio;

	/* SPEC C3: the explicit ranges. */
	ret = bench_build_ns(c, &req, "C3", &c->row.c3_ns);
	if (ret)
		return ret;

	/* SPEC C1: the same RAM as one size, placed between the same gaps. */
	req.source = MEMLAYOUT_FROM_SIZE;
	req.ram_size = (u64)c->nr_ram * BENCH_RANGE_LEN;
	ret = bench_build_ns(c, &req, "C1", &c->row.c1_ns);
	if (ret)
		return ret;

	req.source = MEMLAYOUT_FROM_RANGES;
	c->l = memlayout_build(&req, GFP_KERNEL, &err);
	if (IS_ERR_OR_NULL(c->l)) {
		ret = bench_build_failed(c, "C3", c->l, &err);
		c->l = NULL;
		return ret;
	}
	ret = kunit_add_action_or_reset(c->test, bench_layout_free, c->l);
	if (ret) {
		c->l = NULL;
		KUNIT_FAIL(c->test, "n=%u: cannot defer freeing the layout: %d",
			   c->n, ret);
		return ret;
	}

	bench_memory(c);
	for (which = 0; which < BENCH_NR_ADDRS; which++)
		c->row.mismatches += bench_check(c, which);
	for (which = 0; which < BENCH_NR_ADDRS; which++) {
		for (mode = 0; mode < BENCH_NR_MODES; mode++)
			c->row.ps[which][mode] = bench_probe_ps(c, mode, which);
	}

	kunit_release_action(c->test, bench_layout_free, c->l);
	c->l = NULL;

	bench_print_row(c);
	return 0;
}

static void memlayout_bench_table(struct kunit *test)
{
	struct bench_ctx *c;
	u32 i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	c->ram = bench_alloc(test, BENCH_MAX_N / 2, sizeof(*c->ram));
	c->mmio = bench_alloc(test, BENCH_MAX_N / 2, sizeof(*c->mmio));
	c->addr[BENCH_RANDOM] = bench_alloc(test, BENCH_NR_RANDOM, sizeof(u64));
	c->addr[BENCH_IN_ORDER] = bench_alloc(test,
					      max(2 * BENCH_MAX_N,
						  BENCH_MIN_SEQ),
					      sizeof(u64));
	c->kinds = bench_alloc(test, max3(2 * BENCH_MAX_N, BENCH_MIN_SEQ,
					  BENCH_NR_RANDOM), sizeof(u32));
	c->batch = kunit_kmalloc_array(test, BENCH_MAX_BATCH,
				       sizeof(*c->batch), GFP_KERNEL);
	c->samples = kunit_kmalloc_array(test, BENCH_MAX_SAMPLES,
					 sizeof(*c->samples), GFP_KERNEL);
	c->line = kunit_kzalloc(test, BENCH_LINE_LEN, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, c->ram && c->mmio && c->addr[BENCH_RANDOM] &&
			  c->addr[BENCH_IN_ORDER] && c->kinds && c->batch &&
			  c->samples && c->line);

	bench_print_header();
	for (i = 0; i < ARRAY_SIZE(bench_sizes); i++) {
		c->n = bench_sizes[i];
		if (bench_one(c))
			return;
		cond_resched();
	}
	bench_print_legend();
}

/* ------------------------------------------------------------------ */
/* Placement (SPEC C4)                                                 */
/* ------------------------------------------------------------------ */

/* 16384 is past the asked range: where the two curves cross. */
static const u32 bench_place_sizes[] = { 16, 64, 256, 1024, 4096, 16384 };
#define BENCH_PLACE_MAX_N	16384U
/* Best of at least this many runs, and of at least BENCH_TARGET_NS. */
#define BENCH_PLACE_MIN_RUNS	5U
#define BENCH_PLACE_MAX_RUNS	10000U

/**
 * struct bench_free - the plain model's free space
 * @s: free range starts, sorted.
 * @e: their ends.
 * @nr: free ranges.
 * @cap: room in @s and @e.
 */
struct bench_free {
	u64 *s;
	u64 *e;
	u32 nr;
	u32 cap;
};

/**
 * struct bench_place - one placement benchmark
 * @test: the KUnit test.
 * @n: requests.
 * @reqs: the requests, in caller order.
 * @order: scratch: request indexes of one class, sorted for its phase.
 * @cls_index: each request's index in its class.
 * @f: the model's free space.
 * @out: the model's placed ranges.
 * @nr_out: their number.
 * @ram_end: the model's highest end of RAM.
 * @top: the model's highest end of a non-reserved range.
 * @ext: scratch: one RAM request's extents, start and end.
 */
struct bench_place {
	struct kunit *test;
	u32 n;
	struct memlayout_place_req *reqs;
	u32 *order;
	u32 *cls_index;
	struct bench_free f;
	struct memlayout_placed *out;
	u32 nr_out;
	u64 ram_end;
	u64 top;
	u64 *ext;
};

/*
 * The request mix for @b->n: n/8 pinned ranges of 4 MiB every 64 MiB from
 * 32 MiB (one in four reserved, the others fixed holes), n/4 32-bit MMIO
 * windows of 4 KiB to 128 KiB aligned to their size, n/4 vNUMA nodes of
 * 64 MiB (2 MiB or 4 KiB aligned, so they split around the pinned
 * ranges), n/4 64-bit MMIO windows of 2 to 16 MiB aligned to their size,
 * and the rest post-MMIO ranges of 2 MiB, the first of them VTL2.
 */
static void bench_place_fill(struct bench_place *b)
{
	static const u32 holes[] = { MEMLAYOUT_KIND_MMIO,
		MEMLAYOUT_KIND_PCI_ECAM, MEMLAYOUT_KIND_PCI_MMIO };
	u32 npin = max(b->n / 8, 1U), n32 = b->n / 4, nram = b->n / 4;
	u32 n64 = b->n / 4, i, k = 0;
	struct memlayout_place_req *r;

	memset(b->reqs, 0, b->n * sizeof(*b->reqs));
	for (i = 0; i < npin; i++) {
		r = &b->reqs[k++];
		r->place_class = i % 4 == 3 ? MEMLAYOUT_CLASS_RESERVED :
			   MEMLAYOUT_CLASS_FIXED;
		r->kind = i % 4 == 3 ? 0 : holes[i % 3];
		r->start = (u64)(2 * i + 1) * SZ_32M;
		r->end = r->start + SZ_4M;
	}
	for (i = 0; i < n32; i++) {
		r = &b->reqs[k++];
		r->place_class = MEMLAYOUT_CLASS_MMIO32;
		r->kind = holes[i % 3];
		r->size = (u64)SZ_4K << (i % 6);
		r->align = r->size;
	}
	for (i = 0; i < nram; i++) {
		r = &b->reqs[k++];
		r->place_class = MEMLAYOUT_CLASS_RAM;
		r->size = SZ_64M;
		r->align = i % 2 ? SZ_4K : SZ_2M;
	}
	for (i = 0; i < n64; i++) {
		r = &b->reqs[k++];
		r->place_class = MEMLAYOUT_CLASS_MMIO64;
		r->kind = holes[i % 3];
		r->size = (u64)SZ_2M << (i % 4);
		r->align = r->size;
	}
	for (i = 0; k < b->n; i++) {
		r = &b->reqs[k++];
		r->place_class = MEMLAYOUT_CLASS_POST_MMIO;
		r->kind = i ? MEMLAYOUT_KIND_MMIO : MEMLAYOUT_PLACE_VTL2;
		r->size = SZ_2M;
		r->align = SZ_2M;
	}
}

/* Take [@s, @e) out of the free range holding it: O(n) memmove. */
static int bench_free_take(struct bench_free *f, u64 s, u64 e)
{
	u64 fs, fe;
	u32 i, add;

	for (i = 0; i < f->nr; i++)
		if (f->s[i] <= s && e <= f->e[i])
			break;
	if (i == f->nr)
		return -EIO;
	fs = f->s[i];
	fe = f->e[i];
	add = (fs < s) + (e < fe);
	if (f->nr - 1 + add > f->cap)
		return -EIO;
	memmove(&f->s[i + add], &f->s[i + 1], (f->nr - i - 1) * sizeof(u64));
	memmove(&f->e[i + add], &f->e[i + 1], (f->nr - i - 1) * sizeof(u64));
	f->nr = f->nr - 1 + add;
	if (fs < s) {
		f->s[i] = fs;
		f->e[i++] = s;
	}
	if (e < fe) {
		f->s[i] = e;
		f->e[i] = fe;
	}
	return 0;
}

static int bench_model_emit(struct bench_place *b, u32 q, u64 s, u64 e)
{
	const struct memlayout_place_req *r = &b->reqs[q];
	struct memlayout_placed *o = &b->out[b->nr_out++];

	o->start = s;
	o->end = e;
	o->place_class = r->place_class;
	o->index = b->cls_index[q];
	o->kind = r->place_class == MEMLAYOUT_CLASS_RAM ? MEMLAYOUT_KIND_RAM :
		  r->kind;
	o->vnode = r->place_class == MEMLAYOUT_CLASS_RAM ? b->cls_index[q] : 0;
	if (r->place_class == MEMLAYOUT_CLASS_RAM)
		b->ram_end = max(b->ram_end, e);
	if (r->place_class != MEMLAYOUT_CLASS_RESERVED)
		b->top = max(b->top, e);
	return bench_free_take(&b->f, s, e);
}

/* mmio32/mmio64: alignment, then size, descending; then caller order. */
static const struct memlayout_place_req *bench_sort_reqs;

static int bench_cmp_dyn(const void *a, const void *b)
{
	const struct memlayout_place_req *x = &bench_sort_reqs[*(const u32 *)a];
	const struct memlayout_place_req *y = &bench_sort_reqs[*(const u32 *)b];

	if (x->align != y->align)
		return x->align > y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return *(const u32 *)a < *(const u32 *)b ? -1 : 1;
}

static int bench_cmp_placed(const void *a, const void *b)
{
	const struct memlayout_placed *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The requests of @class, in caller order, into @b->order; returns how many. */
static u32 bench_class(struct bench_place *b, u32 class)
{
	u32 i, k = 0;

	for (i = 0; i < b->n; i++)
		if (b->reqs[i].place_class == class)
			b->order[k++] = i;
	return k;
}

/* One request at the highest (@down) or lowest fit in [@lo, @hi): linear. */
static int bench_model_fit(struct bench_place *b, u32 q, u64 lo, u64 hi,
			   bool down)
{
	u64 size = b->reqs[q].size, a = b->reqs[q].align, s, e, t;
	struct bench_free *f = &b->f;
	u32 k, i;

	for (k = 0; k < f->nr; k++) {
		i = down ? f->nr - 1 - k : k;
		s = max(f->s[i], lo);
		e = min(f->e[i], hi);
		if (s >= e || e - s < size)
			continue;
		t = down ? ALIGN_DOWN(e - size, a) : ALIGN(s, a);
		if (t >= s && t <= e - size)
			return bench_model_emit(b, q, t, t + size);
	}
	return -ENOSPC;
}

/*
 * One RAM request: split from the end of RAM upward, never backfilling;
 * the extents are found first, then taken (as upstream does).
 */
static int bench_model_ram(struct bench_place *b, u32 q)
{
	u64 left = b->reqs[q].size, a = b->reqs[q].align, floor = b->ram_end;
	struct bench_free *f = &b->f;
	u64 s, t, take;
	u32 i, k = 0;
	int ret;

	for (i = 0; i < f->nr && left; i++) {
		s = max(f->s[i], floor);
		t = ALIGN(s, a);
		if (s >= f->e[i] || t >= f->e[i])
			continue;
		take = f->e[i] - t >= left ? left : ALIGN_DOWN(f->e[i] - t, a);
		if (!take)
			continue;
		b->ext[2 * k] = t;
		b->ext[2 * k + 1] = t + take;
		k++;
		left -= take;
	}
	if (left)
		return -ENOSPC;
	for (i = 0; i < k; i++) {
		ret = bench_model_emit(b, q, b->ext[2 * i], b->ext[2 * i + 1]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The plain free-list model of C4 on valid requests: upstream's allocator,
 * a sorted array of free ranges searched linearly and split in place.
 */
static int bench_model_place(struct bench_place *b)
{
	u32 i, k, n, c;
	int ret = 0;

	b->f.s[0] = 0;
	b->f.e[0] = MEMLAYOUT_MAX_ADDRESS;
	b->f.nr = 1;
	b->nr_out = 0;
	b->ram_end = 0;
	b->top = 0;
	for (c = MEMLAYOUT_CLASS_RESERVED; c <= MEMLAYOUT_CLASS_POST_MMIO; c++) {
		n = bench_class(b, c);
		for (k = 0; k < n; k++)
			b->cls_index[b->order[k]] = k;
		if (c == MEMLAYOUT_CLASS_MMIO32 || c == MEMLAYOUT_CLASS_MMIO64) {
			bench_sort_reqs = b->reqs;
			sort(b->order, n, sizeof(u32), bench_cmp_dyn, NULL);
		}
		for (k = 0; k < n && !ret; k++) {
			i = b->order[k];
			switch (c) {
			case MEMLAYOUT_CLASS_RESERVED:
			case MEMLAYOUT_CLASS_FIXED:
				ret = bench_model_emit(b, i, b->reqs[i].start,
						       b->reqs[i].end);
				break;
			case MEMLAYOUT_CLASS_MMIO32:
				ret = bench_model_fit(b, i, 0, SZ_4G, true);
				break;
			case MEMLAYOUT_CLASS_RAM:
				ret = bench_model_ram(b, i);
				break;
			case MEMLAYOUT_CLASS_MMIO64:
				ret = bench_model_fit(b, i,
						      max_t(u64, b->ram_end,
							    SZ_4G),
						      MEMLAYOUT_MAX_ADDRESS,
						      false);
				break;
			default:
				ret = bench_model_fit(b, i, b->top,
						      MEMLAYOUT_MAX_ADDRESS,
						      false);
				break;
			}
		}
	}
	if (ret)
		return ret;
	sort(b->out, b->nr_out, sizeof(*b->out), bench_cmp_placed, NULL);
	while (b->nr_out &&
	       b->out[b->nr_out - 1].place_class == MEMLAYOUT_CLASS_RESERVED)
		b->nr_out--;
	return 0;
}

/* Best ns of one memlayout_place() (@engine) or one model placement. */
static int bench_place_time(struct bench_place *b, bool engine, u64 *best)
{
	struct memlayout_placement *p;
	struct memlayout_place_error err;
	u64 t0, t1, total = 0;
	u32 runs = 0;
	int ret = 0;

	*best = U64_MAX;
	while (runs < BENCH_PLACE_MIN_RUNS ||
	       (total < BENCH_TARGET_NS && runs < BENCH_PLACE_MAX_RUNS)) {
		/* memlayout_place() returns a placement or an ERR_PTR(). */
		p = ERR_PTR(-EINVAL);
		t0 = ktime_get_ns();
		if (engine)
			p = memlayout_place(b->reqs, b->n, b->n, GFP_KERNEL,
					    &err);
		else
			ret = bench_model_place(b);
		t1 = ktime_get_ns();
		if (engine && IS_ERR(p)) {
			ret = PTR_ERR(p);
			KUNIT_FAIL(b->test,
				   "n=%u: memlayout_place() = %d: rule %u class %u index %u phase %u",
				   b->n, ret, err.rule, err.place_class, err.index,
				   err.phase);
			return ret;
		}
		if (ret) {
			KUNIT_FAIL(b->test, "n=%u: the free-list model failed: %d",
				   b->n, ret);
			return ret;
		}
		if (engine)
			kvfree(p);
		*best = min(*best, t1 - t0);
		total += t1 - t0;
		runs++;
		cond_resched();
	}
	return 0;
}

/* Both place the same ranges (a benchmark of a wrong answer is void). */
static void bench_place_compare(struct bench_place *b)
{
	struct memlayout_place_error err;
	struct memlayout_placement *p;

	p = memlayout_place(b->reqs, b->n, b->n, GFP_KERNEL, &err);
	if (IS_ERR(p))
		return;
	if (bench_model_place(b) || p->nr != b->nr_out ||
	    memcmp(p->ranges, b->out, p->nr * sizeof(*b->out)))
		pr_info("WARNING n=%u: memlayout_place() and the free-list model differ (%u and %u ranges), figures below are suspect\n",
			b->n, p->nr, b->nr_out);
	kvfree(p);
}

static void memlayout_bench_place(struct kunit *test)
{
	u32 cap = 2 * BENCH_PLACE_MAX_N + 4, i;
	struct bench_ctx pc = {};
	struct bench_place *b;
	u64 engine, model;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	pc.line = kunit_kzalloc(test, BENCH_LINE_LEN, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, b && pc.line);
	b->test = test;
	b->reqs = bench_alloc(test, BENCH_PLACE_MAX_N, sizeof(*b->reqs));
	b->order = bench_alloc(test, BENCH_PLACE_MAX_N, sizeof(u32));
	b->cls_index = bench_alloc(test, BENCH_PLACE_MAX_N, sizeof(u32));
	b->out = bench_alloc(test, cap, sizeof(*b->out));
	b->f.s = bench_alloc(test, cap, sizeof(u64));
	b->f.e = bench_alloc(test, cap, sizeof(u64));
	b->ext = bench_alloc(test, 2 * cap, sizeof(u64));
	b->f.cap = cap;
	KUNIT_ASSERT_TRUE(test, b->reqs && b->order && b->cls_index &&
			  b->out && b->f.s && b->f.e && b->ext);

	pr_info("place: n requests: n/8 pinned (4 MiB every 64 MiB), n/4 mmio32 (4-128 KiB), n/4 RAM nodes (64 MiB), n/4 mmio64 (2-16 MiB), the rest post-MMIO (2 MiB, one VTL2)\n");
	pr_info("place: best of >= %u runs (>= %llu ms in all); ns per request\n",
		BENCH_PLACE_MIN_RUNS, BENCH_TARGET_NS / NSEC_PER_MSEC);
	pr_info("place: %6s %8s %10s %10s %9s\n", "n", "placed", "engine_ns",
		"model_ns", "model/eng");
	for (i = 0; i < ARRAY_SIZE(bench_place_sizes); i++) {
		b->n = bench_place_sizes[i];
		bench_place_fill(b);
		bench_place_compare(b);
		if (bench_place_time(b, true, &engine) ||
		    bench_place_time(b, false, &model))
			return;
		snprintf(pc.line, BENCH_LINE_LEN, "place: %6u %8u", b->n,
			 b->nr_out);
		bench_put(&pc, 10, div_u64(engine * 1000, b->n), 1, "");
		bench_put(&pc, 10, div_u64(model * 1000, b->n), 1, "");
		bench_put(&pc, 9, bench_speedup(model, engine), 2, "");
		pr_info("%s\n", pc.line);
		cond_resched();
	}
	pr_info("place: engine_ns: memlayout_place() (treap); model_ns: sorted free array with O(n) insert/remove (upstream's Vec); model/eng: their ratio\n");
}

static struct kunit_case memlayout_bench_cases[] = {
	KUNIT_CASE_SLOW(memlayout_bench_table),
	KUNIT_CASE_SLOW(memlayout_bench_place),
	{}
};

static struct kunit_suite memlayout_bench_suite = {
	.name = "memlayout_bench",
	.test_cases = memlayout_bench_cases,
};

kunit_test_suite(memlayout_bench_suite);

MODULE_DESCRIPTION("KUnit-hosted benchmark of the memlayout core");
MODULE_LICENSE("GPL");
