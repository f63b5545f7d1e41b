// SPDX-License-Identifier: GPL-2.0
/*
 * bench - PROBE timing in the guest ("# bench ..." lines for make bench):
 * SET_LAYOUT of 4096 ranges, then ns per address for random batches of 1,
 * 64 and 4096 addresses and for a sorted batch. Never pass/fail; see
 * ml_test.h.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ml_test.h"

int main(void)
{
	enum { NR = 4096, POOL = 1 << 16 };
	static mr_t ram[NR / 2], mmio[NR / 2];
	static uint64_t pool[POOL], sorted[NR];
	static uint32_t kinds[NR];
	struct memlayout_info in;
	struct lay l = { .source = MEMLAYOUT_SOURCE_RANGES };
	static const uint32_t batches[] = { 1, 64, 4096 };
	uint64_t span = (uint64_t)NR * 2 * MiB, g;
	uint32_t i, b;
	double t0, t;
	int fd = open_dev(), r;

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in);
	if (in.max_ranges < NR / 2) {
		note("bench: raising max_ranges from %u to %u", in.max_ranges, NR);
		set_max_ranges(NR);
	}
	for (i = 0; i < NR / 2; i++) {
		ram[i].start = (uint64_t)2 * i * 2 * MiB;
		ram[i].end = ram[i].start + 2 * MiB;
		ram[i].vnode = i % 4;
		ram[i].reserved = 0;
		mmio[i].start = ram[i].end;
		mmio[i].end = mmio[i].start + 2 * MiB;
		mmio[i].vnode = mmio[i].reserved = 0;
	}
	l.ram = ram;
	l.nr_ram = NR / 2;
	l.mmio = mmio;
	l.nr_mmio = NR / 2;
	t0 = now_s();
	r = set_lay(fd, &l, &g);
	t = now_s() - t0;
	if (r) {
		printf("# bench SET_LAYOUT failed: %s\n", errname(r));
		return 1;
	}
	printf("# bench set_layout ranges=%u us=%.1f\n", NR, t * 1e6);
	rng_state = 0xBE7C4ULL;
	for (i = 0; i < POOL; i++)
		pool[i] = rndn(span);
	for (i = 0; i < NR; i++)
		sorted[i] = (uint64_t)i * (span / NR) + 4096;
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		uint32_t n = batches[b], off = 0;
		unsigned long calls = 0;

		t0 = now_s();
		do {
			if (off + n > POOL)
				off = 0;
			probe(fd, pool + off, kinds, n, NULL);
			off += n;
			calls++;
		} while ((t = now_s() - t0) < 1.0 || calls < 8);
		printf("# bench probe batch=%u ns_per_addr=%.1f calls=%lu\n", n,
		       t * 1e9 / ((double)calls * n), calls);
	}
	{
		unsigned long calls = 0;

		t0 = now_s();
		do {
			probe(fd, sorted, kinds, NR, NULL);
			calls++;
		} while ((t = now_s() - t0) < 1.0 || calls < 8);
		printf("# bench probe_sorted batch=%u ns_per_addr=%.1f calls=%lu\n", NR,
		       t * 1e9 / ((double)calls * NR), calls);
	}
	close(fd);
	return 0;
}
