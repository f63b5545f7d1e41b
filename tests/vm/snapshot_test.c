// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot_test - issue 8's commands on the real device (see ml_test.h):
 * MEMLAYOUT_IOC_GET_LAYOUT (one layout per call, even while another thread
 * replaces it; -EMSGSIZE negotiation; its argument checks), PROBE's
 * covering ranges across kernel copy chunks, SET_LAYOUT's dry run, and the
 * fingerprint (SPEC F1) in every reply and in fdinfo.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

/* A: five ranges of every kind. B: 300 RAM ranges (C3) and no hole. */
static const struct lay snap_a = {
	C1(8 * GiB), MMIO(R(3 * GiB, 4 * GiB)), ECAM(R(64 * GiB, 64 * GiB + 256 * MiB)),
	PMMIO(R(128 * GiB, 132 * GiB)),
};
#define SNAP_B_N 300
static mr_t snap_b_ram[SNAP_B_N];
static struct lay snap_b;

static void snap_prepare(void)
{
	uint32_t i;

	for (i = 0; i < SNAP_B_N; i++)
		snap_b_ram[i] = (mr_t)RV(2 * i * MiB, (2 * i + 1) * MiB, i % 4);
	snap_b = (struct lay){ .source = MEMLAYOUT_SOURCE_RANGES, .ram = snap_b_ram,
			       .nr_ram = SNAP_B_N };
}

struct snap_race {
	int fd;
	volatile int stop;
	struct model ma, mb;
	unsigned long calls, seen_a, seen_b, mixed, errors, msgsize;
	char first[200];
};

/* The reader: every GET_LAYOUT is wholly A or wholly B. */
static void *snap_reader(void *arg)
{
	static struct memlayout_map_entry e[SNAP_B_N + 1];
	struct snap_race *sr = arg;
	struct memlayout_stats st;
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];
	uint32_t count;
	uint64_t g;

	while (!__atomic_load_n(&sr->stop, __ATOMIC_ACQUIRE)) {
		/* Alternate a buffer that fits both with one that fits A only. */
		uint32_t cap = (sr->calls & 1) ? SNAP_B_N : 5;
		const struct model *m;
		bool ok = true;
		uint32_t i;
		int r;

		r = get_layout(sr->fd, e, cap, &count, &st, &g, fp);
		sr->calls++;
		if (r == -EMSGSIZE && cap == 5 && count == SNAP_B_N) {
			sr->msgsize++;
			continue;
		}
		if (r) {
			if (!sr->errors++)
				snprintf(sr->first, sizeof(sr->first), "GET_LAYOUT cap %u: %s", cap,
					 errname(r));
			continue;
		}
		m = count == sr->ma.n ? &sr->ma : &sr->mb;
		ok &= count == m->n && !memcmp(fp, m->fp, sizeof(fp));
		ok &= !memcmp(st.fingerprint, m->fp, sizeof(fp)) && st.generation == g;
		ok &= st.nr_ram == m->st.nr_ram && st.ram_size == m->st.ram_size &&
		      st.nr_mmio == m->st.nr_mmio;
		for (i = 0; ok && i < count; i++)
			ok = e[i].start == m->e[i].start && e[i].end == m->e[i].end &&
			     e[i].vnode == m->e[i].vnode && e[i].kind == m->e[i].kind;
		/* A is published at odd generations (the setter starts with it). */
		ok &= (g & 1) == (m == &sr->ma);
		if (ok) {
			sr->seen_a += m == &sr->ma;
			sr->seen_b += m == &sr->mb;
		} else if (!sr->mixed++) {
			snprintf(sr->first, sizeof(sr->first),
				 "generation %" PRIu64 ": %u entries, fingerprint %s: not one layout",
				 g, count, fphex(fp));
		}
	}
	return NULL;
}

/* F1, V of issue 8: one GET_LAYOUT reads one layout, whatever SET does. */
TEST(get_layout_is_one_layout)
{
	static struct snap_race sr;
	pthread_t t;
	double end;
	unsigned int sets = 0;

	snap_prepare();
	sr.fd = open_dev();
	model_build(&snap_a, &sr.ma);
	model_build(&snap_b, &sr.mb);
	ASSERT_EQ(0, set_lay(sr.fd, &snap_a, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, snap_reader, &sr));
	end = now_s() + 2.0;
	while (now_s() < end || !sr.seen_a || !sr.seen_b) {
		uint64_t gen;

		/* Generation 1 is A; then B, A, B... */
		ASSERT_EQ(0, set_lay(sr.fd, (sets & 1) ? &snap_a : &snap_b, &gen));
		sets++;
		if (now_s() > end + 10)
			break;
	}
	__atomic_store_n(&sr.stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	note("%u replacements, %lu GET_LAYOUT calls: %lu A, %lu B, %lu -EMSGSIZE, %lu mixed, %lu errors",
	     sets, sr.calls, sr.seen_a, sr.seen_b, sr.msgsize, sr.mixed, sr.errors);
	if (sr.first[0])
		diag("first problem: %s", sr.first);
	EXPECT_EQ(0, sr.mixed);
	EXPECT_EQ(0, sr.errors);
	EXPECT_LT(0, sr.seen_a);
	EXPECT_LT(0, sr.seen_b);
	close(sr.fd);
}

/* GET_LAYOUT's count negotiation and argument checks (UAPI header). */
TEST(get_layout_arguments)
{
	static struct memlayout_map_entry e[8];
	struct memlayout_get_layout g;
	struct memlayout_stats st;
	uint32_t count = 99;
	uint64_t gen, gen1;
	int fd;

	setup_pages();
	fd = open_dev();
	EXPECT_EQ(-ENOENT, get_layout(fd, e, 8, &count, NULL, NULL, NULL));
	ASSERT_EQ(0, set_lay(fd, &snap_a, &gen1));

	/* Size query, then a buffer one short: -EMSGSIZE, nothing written. */
	EXPECT_EQ(-EMSGSIZE, get_layout(fd, NULL, 0, &count, NULL, &gen, NULL));
	EXPECT_EQ(5, count);
	EXPECT_EQ(gen1, gen);
	memset(e, 0xa5, sizeof(e));
	EXPECT_EQ(-EMSGSIZE, get_layout(fd, e, 4, &count, &st, NULL, NULL));
	EXPECT_EQ(5, count);
	EXPECT_EQ(0xa5a5a5a5u, e[0].kind);
	EXPECT_EQ(0, st.generation);	/* stats are not written either */
	EXPECT_EQ(0, get_layout(fd, e, 8, &count, NULL, NULL, NULL));
	EXPECT_EQ(0xa5a5a5a5u, e[5].kind);

	/* Framing of the command and of the stats it points at. */
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.flags = 1;
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EOPNOTSUPP, "flags 1"));
	g.flags = 0;
	g.reserved = 1;
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EINVAL, "reserved 1"));
	g.reserved = 0;
	g.count = 8;
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EINVAL, "count without pointer"));
	g.count = 0;
	g.entries_ptr = U64P(e);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EINVAL, "pointer without count"));
	g.count = 8;
	g.entries_ptr = U64P(PAGE_NONE);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EFAULT, "entries unmapped"));
	g.entries_ptr = U64P(PAGE_RO);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EFAULT, "entries read-only"));
	g.entries_ptr = U64P(e);
	g.stats_ptr = U64P(PAGE_NONE);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EFAULT, "stats unmapped"));
	memset(&st, 0, sizeof(st));
	st.size = MEMLAYOUT_STATS_SIZE_VER0 - 8;
	g.stats_ptr = U64P(&st);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EINVAL, "stats size below VER0"));
	st.size = 2 * 4096;
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -E2BIG, "stats size over a page"));
	st.size = sizeof(st);
	st.flags = 2;
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g, -EOPNOTSUPP, "stats flags 2"));

	/* A first-version stats struct gets exactly its 112 bytes. */
	if (true) {
		unsigned char raw[sizeof(struct memlayout_stats) + 16];
		struct memlayout_stats *s0 = (void *)raw;

		memset(raw, 0x5a, sizeof(raw));
		memset(raw, 0, MEMLAYOUT_STATS_SIZE_VER0);
		s0->size = MEMLAYOUT_STATS_SIZE_VER0;
		g.stats_ptr = U64P(raw);
		EXPECT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g));
		EXPECT_EQ(8 * GiB, s0->ram_size);
		EXPECT_EQ(0x5a, raw[MEMLAYOUT_STATS_SIZE_VER0]);
	}
	/* And a first-version GET_LAYOUT struct is the whole command. */
	if (true) {
		struct memlayout_get_layout g0 = { .size = MEMLAYOUT_GET_LAYOUT_SIZE_VER0,
						   .count = 8, .entries_ptr = U64P(e) };

		EXPECT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_GET_LAYOUT, &g0));
		EXPECT_EQ(5, g0.count);
	}
	EXPECT_TRUE(check_model(fd, &snap_a, gen1));
	close(fd);
}

/* PROBE's covering ranges over batches larger than one kernel chunk. */
TEST(probe_covering_ranges)
{
	static uint64_t a[5000];
	static uint32_t k[5000];
	static struct memlayout_probe_range pr[5000];
	static struct model m;
	struct memlayout_probe p;
	uint32_t i, bad = 0;
	uint64_t g;
	int fd;

	snap_prepare();
	setup_pages();
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &snap_b, NULL));
	model_build(&snap_b, &m);
	for (i = 0; i < 5000; i++)
		a[i] = rndn(2 * SNAP_B_N * MiB + MiB);
	ASSERT_EQ(0, probe_ranges(fd, a, k, pr, 5000, &g));
	for (i = 0; i < 5000; i++) {
		struct memlayout_probe_range w = model_covering(&m, a[i]);

		if (k[i] != model_probe(&m, a[i]) || memcmp(&w, &pr[i], sizeof(w))) {
			if (!bad++)
				diag("Q9 %#" PRIx64 ": %s [%#" PRIx64 ", %#" PRIx64 ") vnode %u index %u, model index %u",
				     a[i], kindname(k[i]), (uint64_t)pr[i].start, (uint64_t)pr[i].end,
				     pr[i].vnode, pr[i].index, w.index);
		}
	}
	EXPECT_EQ(0, bad);

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.ranges_ptr = U64P(pr);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EINVAL, "ranges without count"));
	p.count = 1;
	p.addrs_ptr = U64P(a);
	p.kinds_ptr = U64P(k);
	p.ranges_ptr = U64P(PAGE_RO);
	EXPECT_TRUE(raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EFAULT, "ranges read-only"));
	/* A first-version PROBE has no ranges_ptr: the word after is not read. */
	if (true) {
		struct { struct memlayout_probe p; uint64_t after; } v0;

		memset(&v0, 0, sizeof(v0));
		v0.p.size = MEMLAYOUT_PROBE_SIZE_VER0;
		v0.p.count = 1;
		v0.p.addrs_ptr = U64P(a);
		v0.p.kinds_ptr = U64P(k);
		v0.p.ranges_ptr = U64P(PAGE_NONE);
		EXPECT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_PROBE, &v0.p));
	}
	close(fd);
}

/* SET_LAYOUT's dry run: the reply of a real one, nothing published. */
TEST(dry_run)
{
	struct memlayout_set s;
	struct memlayout_stats before, after;
	static struct model ma;
	char fdi[4096], fdi2[4096];
	uint64_t gen;
	int fd;

	snap_prepare();
	fd = open_dev();
	s = mkset(&snap_a);
	s.flags |= MEMLAYOUT_SET_DRY_RUN;
	EXPECT_EQ(0, do_set(fd, &s));
	EXPECT_EQ(0, s.generation);
	model_build(&snap_a, &ma);
	EXPECT_EQ(0, memcmp(s.fingerprint, ma.fp, sizeof(ma.fp)));
	EXPECT_EQ(-ENOENT, get_stats(fd, &before));	/* still no layout */

	ASSERT_EQ(0, set_lay(fd, &snap_b, &gen));
	ASSERT_EQ(0, get_stats(fd, &before));
	ASSERT_TRUE(read_fdinfo(fd, fdi, sizeof(fdi)));
	EXPECT_EQ(0, do_set(fd, &s));
	ASSERT_EQ(0, get_stats(fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	ASSERT_TRUE(read_fdinfo(fd, fdi2, sizeof(fdi2)));
	EXPECT_STREQ(fdi, fdi2);
	/* fdinfo names the fingerprint GET_STATS gives. */
	EXPECT_TRUE(strstr(fdi, fphex(after.fingerprint)) != NULL);
	EXPECT_TRUE(check_fdinfo(fd, &snap_b, gen));

	/* Rejected like a real one (R4), and with no fingerprint. */
	s = mkset(&snap_a);
	s.flags |= MEMLAYOUT_SET_DRY_RUN | MEMLAYOUT_SET_VTL2;
	s.vtl2 = (mr_t)R(3 * GiB, 3 * GiB + 2 * MiB);
	memset(s.fingerprint, 0xff, sizeof(s.fingerprint));
	EXPECT_EQ(-EEXIST, do_set(fd, &s));
	EXPECT_EQ(MEMLAYOUT_RULE_OVERLAP, s.reason.rule);
	EXPECT_EQ(0, s.fingerprint[0] | s.fingerprint[31]);
	ASSERT_EQ(0, get_stats(fd, &after));
	EXPECT_EQ(before.generation, after.generation);
	EXPECT_TRUE(check_model(fd, &snap_b, gen));
	close(fd);
}

TEST_HARNESS_MAIN
