// SPDX-License-Identifier: GPL-2.0
/*
 * bench - timing in the guest ("# bench ..." lines for make vmbench), on
 * libmemlayout, against the device and, side by side, the library's
 * offline engine (the same core, in this process): SET_LAYOUT of 4096
 * ranges, GET_LAYOUT of it, then ns per address for random batches of 1,
 * 64 and 4096 addresses and for a sorted batch. The ratio device/offline
 * is the cost of the system call and the copies. Never pass/fail; see
 * ml_test.h.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
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
	memlayout_close(h[0]);
	return 0;
}
