// SPDX-License-Identifier: GPL-2.0
/*
 * bench - timing in the guest ("# bench ..." lines for make vmbench), on
 * libmemlayout, against the device and, side by side, the library's
 * offline engine (the same core, in this process): SET_LAYOUT of 4096
 * ranges, GET_LAYOUT of it, then ns per address for random batches of 1,
 * 64 and 4096 addresses and for a sorted batch. The ratio device/offline
 * is the cost of the system call and the copies.
 *
 * Then the shared view (issue 10, part 3): one random address at a time,
 * a probe through the view (memlayout_view_probe(), sequence counter
 * included; and its inline fast path memlayout_view_try_probe(), falling
 * back to the call) against the same search (the bucket index, then the
 * branch-free binary search among the ranges it leaves) over a private
 * copy of the view's arrays in this process, against a plain branch-free
 * binary search over a private copy of the ranges (read with GET_LAYOUT,
 * as a VMM without the view would) and against a one-address PROBE
 * ioctl, for n = 16, 1024 and 4096 ranges (alternating
 * 2 MiB of RAM and MMIO from 0): thread CPU time, best of VIEW_RUNS runs,
 * the three interleaved in each run. Never pass/fail; see ml_test.h.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmemlayout.h>
#include "ml_test.h"

enum { NR = 4096, POOL = 1 << 16 };
static mr_t ram[NR / 2], mmio[NR / 2];
static uint64_t pool[POOL], sorted[NR];
static uint32_t kinds[NR];

/* ns per address of memlayout_probe_batch() over @n-address batches. */
static double time_probe(struct memlayout_handle *h, const uint64_t *a, uint32_t n,
			 bool from_pool, unsigned long *calls)
{
	uint32_t off = 0;
	double t0 = now_s(), t;

	*calls = 0;
	do {
		if (from_pool && off + n > POOL)
			off = 0;
		memlayout_probe_batch(h, a + (from_pool ? off : 0), kinds, n, NULL);
		off += n;
		(*calls)++;
	} while ((t = now_s() - t0) < 0.5 || *calls < 8);
	return t * 1e9 / ((double)*calls * n);
}

/* ---- the view against a private copy and the ioctl ---------------- */

enum { VIEW_RUNS = 7, VIEW_POOL = 1 << 14 };
static uint64_t vpool[VIEW_POOL];
static uint64_t priv_starts[NR];
static struct memlayout_view_record priv_rec[NR];
static uint32_t priv_index[2 * NR], priv_shift;
static volatile uint32_t sink;

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The search memlayout_view_try_probe() runs on the view, on a private
 * copy of the view's starts, records and bucket index: the bucket's
 * candidates, the last start at or below @addr among them by a
 * branch-free binary search, then one unsigned compare for start and end.
 */
static uint32_t priv_probe(uint32_t nr, uint64_t addr)
{
	uint64_t top = 2 * (uint64_t)nr - 2, b = addr >> priv_shift, x;
	uint32_t lo, hi, n, half, next;

	b = b < top ? b : top;
	lo = priv_index[b];
	hi = priv_index[b + 1];
	for (n = hi - lo + 1; n > 1; n -= half) {
		half = n / 2;
		next = lo + half;
		lo = priv_starts[next] <= addr ? next : lo;
	}
	x = priv_starts[lo];
	return addr - x < priv_rec[lo].end - x ? priv_rec[lo].kind : MEMLAYOUT_KIND_NONE;
}

/*
 * Without the view: a branch-free binary search over all of a private
 * copy of the ranges, then its end.
 */
static uint32_t priv_bsearch(uint32_t nr, uint64_t addr)
{
	uint32_t lo = 0, n = nr, half;

	if (!nr || addr < priv_starts[0])
		return MEMLAYOUT_KIND_NONE;
	while (n > 1) {
		half = n / 2;
		lo = priv_starts[lo + half] <= addr ? lo + half : lo;
		n -= half;
	}
	return addr < priv_rec[lo].end ? priv_rec[lo].kind : MEMLAYOUT_KIND_NONE;
}

enum { M_VIEW, M_INLINE, M_PRIV, M_BSEARCH, M_IOCTL, M_NR };

/*
 * One loop per method, each its own function, so that no method pays for
 * choosing among them on every address; each sums the kinds it gets.
 */
static __attribute__((noinline)) uint32_t
loop_view(const struct memlayout_view_map *v, uint32_t count)
{
	uint32_t i, k = 0, acc = 0;

	for (i = 0; i < count; i++) {
		memlayout_view_probe(v, vpool[i % VIEW_POOL], &k, NULL, NULL);
		acc += k;
	}
	return acc;
}

/* As a VMM's exit handler would: the inline attempt, the call if it fails. */
static __attribute__((noinline)) uint32_t
loop_inline(const struct memlayout_view_map *v, uint32_t count)
{
	const struct memlayout_view_reader rd = memlayout_view_reader(v);
	uint32_t i, k = 0, acc = 0;

	for (i = 0; i < count; i++) {
		uint64_t a = vpool[i % VIEW_POOL];

		if (memlayout_view_try_probe(&rd, a, &k, NULL))
			memlayout_view_probe(v, a, &k, NULL, NULL);
		acc += k;
	}
	return acc;
}

static __attribute__((noinline)) uint32_t loop_private(uint32_t nr, uint32_t count)
{
	uint32_t i, acc = 0;

	for (i = 0; i < count; i++)
		acc += priv_probe(nr, vpool[i % VIEW_POOL]);
	return acc;
}

static __attribute__((noinline)) uint32_t loop_bsearch(uint32_t nr, uint32_t count)
{
	uint32_t i, acc = 0;

	for (i = 0; i < count; i++)
		acc += priv_bsearch(nr, vpool[i % VIEW_POOL]);
	return acc;
}

static __attribute__((noinline)) uint32_t
loop_ioctl(struct memlayout_handle *h, uint32_t count)
{
	uint32_t i, k = 0, acc = 0;

	for (i = 0; i < count; i++) {
		memlayout_probe_batch(h, &vpool[i % VIEW_POOL], &k, 1, NULL);
		acc += k;
	}
	return acc;
}

/* ns per address of @method over @count single addresses of vpool. */
static double view_time(int method, struct memlayout_handle *h,
			 const struct memlayout_view_map *v, uint32_t nr, uint32_t count)
{
	double t0 = cpu_s();

	if (method == M_VIEW)
		sink += loop_view(v, count);
	else if (method == M_INLINE)
		sink += loop_inline(v, count);
	else if (method == M_PRIV)
		sink += loop_private(nr, count);
	else if (method == M_BSEARCH)
		sink += loop_bsearch(nr, count);
	else
		sink += loop_ioctl(h, count);
	return (cpu_s() - t0) * 1e9 / count;
}

/* One n: the layout on the device, its private copy, the three timings. */
static void bench_view(struct memlayout_handle *h, struct memlayout_view_map *v, uint32_t n)
{
	static const char *const mname[M_NR] = { "view", "view_inline", "private",
						 "private_bsearch", "ioctl" };
	static const uint32_t count[M_NR] = { 200000, 200000, 200000, 200000, 10000 };
	const struct memlayout_view *hd = memlayout_view_header(v);
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_RANGES,
		.ram_ptr = U64P(ram), .nr_ram = n / 2,
		.mmio_ptr = U64P(mmio), .nr_mmio = n / 2,
	};
	struct memlayout_snapshot snap;
	double best[M_NR], worst[M_NR], t;
	struct memlayout_view_map *v2;
	uint32_t i, r, mth, differ = 0, kv, ki;
	uint64_t span = (uint64_t)n * 2 * MiB;

	if (memlayout_set(h, &s) || memlayout_get_layout(h, &snap) || snap.nr != n) {
		printf("# bench view n=%u: cannot set or read the layout\n", n);
		return;
	}
	for (i = 0; i < snap.nr; i++) {
		priv_starts[i] = snap.entries[i].start;
		priv_rec[i] = (struct memlayout_view_record){ snap.entries[i].end,
							      snap.entries[i].vnode,
							      snap.entries[i].kind };
	}
	memlayout_snapshot_free(&snap);
	/* The view's index as it is now (nothing writes it meanwhile). */
	priv_shift = hd->index_shift;
	memcpy(priv_index, (const uint8_t *)hd + hd->index_off,
	       2 * (size_t)n * sizeof(uint32_t));
	if (priv_shift > 63 || hd->index_off != 128 + 24 * (uint64_t)n) {
		printf("# bench view n=%u: the view has no index\n", n);
		return;
	}
	rng_state = 0x5EE0000ULL + n;
	for (i = 0; i < VIEW_POOL; i++)
		vpool[i] = rndn(span + span / 8);
	/* The three agree (a bench of wrong answers would mean nothing). */
	for (i = 0; i < VIEW_POOL; i += 7) {
		const struct memlayout_view_reader rd = memlayout_view_reader(v);
		uint32_t kt = ~0U;

		if (memlayout_view_probe(v, vpool[i], &kv, NULL, NULL) ||
		    memlayout_probe_batch(h, &vpool[i], &ki, 1, NULL) ||
		    memlayout_view_try_probe(&rd, vpool[i], &kt, NULL))
			kv = ~0U;
		differ += kv != ki || kv != kt || kv != priv_probe(n, vpool[i]) ||
			  kv != priv_bsearch(n, vpool[i]);
	}
	for (mth = 0; mth < M_NR; mth++) {
		best[mth] = 1e30;
		worst[mth] = 0;
	}
	/*
	 * Each run maps the view afresh, so that where mmap() puts it (which
	 * may matter to TCG's software TLB, indexed by page) varies between
	 * runs like everything else; the private copies sit at fixed
	 * addresses. The worst run is printed beside the best.
	 */
	for (r = 0; r < VIEW_RUNS; r++) {
		if (memlayout_view_open(h, 0, &v2)) {
			printf("# bench view n=%u: cannot map the view again\n", n);
			return;
		}
		for (mth = 0; mth < M_NR; mth++) {
			t = view_time((int)mth, h, v2, n, count[mth]);
			best[mth] = t < best[mth] ? t : best[mth];
			worst[mth] = t > worst[mth] ? t : worst[mth];
		}
		memlayout_view_close(v2);
	}
	for (mth = 0; mth < M_NR; mth++)
		printf("# bench view_probe n=%u %s ns=%.1f (worst run %.1f)\n", n,
		       mname[mth], best[mth], worst[mth]);
	printf("# bench view_probe n=%u view/private=%.2f inline/private=%.2f inline/private_bsearch=%.2f ioctl/view=%.1f ioctl/inline=%.1f disagreements=%u\n",
	       n, best[M_VIEW] / best[M_PRIV], best[M_INLINE] / best[M_PRIV],
	       best[M_INLINE] / best[M_BSEARCH], best[M_IOCTL] / best[M_VIEW],
	       best[M_IOCTL] / best[M_INLINE], differ);
}

int main(void)
{
	static const uint32_t batches[] = { 1, 64, 4096 };
	static const char *const name[2] = { "", "offline_" };
	struct memlayout_handle *h[2];
	struct memlayout_snapshot snap;
	struct memlayout_info in;
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_RANGES,
		.ram_ptr = U64P(ram), .nr_ram = NR / 2,
		.mmio_ptr = U64P(mmio), .nr_mmio = NR / 2,
	};
	uint64_t span = (uint64_t)NR * 2 * MiB;
	unsigned long calls;
	uint32_t i, b, k;
	double t0, t;

	h[0] = memlayout_open(NULL);
	h[1] = memlayout_offline(NR);
	if (!h[0] || !h[1]) {
		printf("# bench: cannot open the device or an offline handle\n");
		return 1;
	}
	memlayout_get_info(h[0], &in);
	if (in.max_ranges < NR / 2) {
		note("bench: raising max_ranges from %u to %u", in.max_ranges, NR);
		set_max_ranges(NR);
	}
	for (i = 0; i < NR / 2; i++) {
		ram[i] = (mr_t)RV((uint64_t)2 * i * 2 * MiB, (uint64_t)(2 * i + 1) * 2 * MiB, i % 4);
		mmio[i] = (mr_t)R(ram[i].end, ram[i].end + 2 * MiB);
	}
	rng_state = 0xBE7C4ULL;
	for (i = 0; i < POOL; i++)
		pool[i] = rndn(span);
	for (i = 0; i < NR; i++)
		sorted[i] = (uint64_t)i * (span / NR) + 4096;

	for (k = 0; k < 2; k++) {
		t0 = now_s();
		if (memlayout_set(h[k], &s)) {
			printf("# bench %sset_layout failed\n", name[k]);
			return 1;
		}
		t = now_s() - t0;
		printf("# bench %sset_layout ranges=%u us=%.1f\n", name[k], NR, t * 1e6);
		t0 = now_s();
		if (memlayout_get_layout(h[k], &snap))
			return 1;
		t = now_s() - t0;
		printf("# bench %sget_layout ranges=%u us=%.1f\n", name[k], snap.nr, t * 1e6);
		memlayout_snapshot_free(&snap);
		for (b = 0; b < ARRAY_SIZE(batches); b++) {
			t = time_probe(h[k], pool, batches[b], true, &calls);
			printf("# bench %sprobe batch=%u ns_per_addr=%.1f calls=%lu\n", name[k],
			       batches[b], t, calls);
		}
		t = time_probe(h[k], sorted, NR, false, &calls);
		printf("# bench %sprobe_sorted batch=%u ns_per_addr=%.1f calls=%lu\n", name[k],
		       NR, t, calls);
	}
	memlayout_close(h[1]);

	/* The view: single random addresses, CPU time, best of VIEW_RUNS. */
	if (true) {
		static const uint32_t ns[] = { 16, 1024, 4096 };
		struct memlayout_view_map *v;
		int r = memlayout_view_open(h[0], 0, &v);

		if (r) {
			printf("# bench view: memlayout_view_open: %s\n", errname(r));
		} else {
			printf("# bench view_probe: ns per single random address (thread CPU time, best of %d runs)\n",
			       VIEW_RUNS);
			for (b = 0; b < ARRAY_SIZE(ns); b++)
				bench_view(h[0], v, ns[b]);
			memlayout_view_close(v);
		}
	}
	memlayout_close(h[0]);
	return 0;
}
