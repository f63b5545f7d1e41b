// SPDX-License-Identifier: GPL-2.0
/*
 * race_test - readers and writers on one file: PROBE batches (small, and
 * larger than one kernel copy chunk), GET_STATS and GET_RANGES while
 * SET_LAYOUT alternates two layouts, and two setters at once (see
 * ml_test.h). The guest has two vCPUs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

#define RACE_SMALL 64
#define RACE_BIG 700	/* > one kernel copy chunk (341 addresses) */

static const mr_t race_a_ram[] = { R(0, GiB), R(4 * GiB, 5 * GiB) };
static const mr_t race_a_mmio[] = { R(GiB, 2 * GiB) };
static const mr_t race_a_ecam[] = { R(2 * GiB, 3 * GiB) };
static const mr_t race_a_pmmio[] = { R(3 * GiB, 4 * GiB) };
static const struct lay race_a = {
	.source = MEMLAYOUT_SOURCE_RANGES,
	.ram = race_a_ram, .nr_ram = 2,
	.mmio = race_a_mmio, .nr_mmio = 1,
	.ecam = race_a_ecam, .nr_ecam = 1,
	.pmmio = race_a_pmmio, .nr_pmmio = 1,
};
static const struct lay race_b = { .source = MEMLAYOUT_SOURCE_SIZE, .ram_size = 5 * GiB };

struct race {
	int fd;
	volatile int stop;
	uint64_t small[RACE_SMALL], big[RACE_BIG];
	uint32_t small_a[RACE_SMALL], small_b[RACE_SMALL];
	uint32_t big_a[RACE_BIG], big_b[RACE_BIG];
	bool parity;	/* odd generation = A, even = B */
};

struct reader_res {
	struct race *rc;
	unsigned long calls, wrong, mixed, errors, backwards, seen_a, seen_b;
	char first[160];
};

static bool race_stopped(struct race *rc)
{
	return __atomic_load_n(&rc->stop, __ATOMIC_ACQUIRE);
}

static void *prober(void *arg)
{
	struct reader_res *res = arg;
	struct race *rc = res->rc;
	uint32_t kinds[RACE_BIG];
	uint64_t last = 0, g;
	bool bigb = false;

	while (!race_stopped(rc)) {
		uint32_t n = bigb ? RACE_BIG : RACE_SMALL;
		const uint64_t *a = bigb ? rc->big : rc->small;
		const uint32_t *ea = bigb ? rc->big_a : rc->small_a;
		const uint32_t *eb = bigb ? rc->big_b : rc->small_b;
		bool is_a, is_b;
		int r;

		r = probe(rc->fd, a, kinds, n, &g);
		res->calls++;
		bigb = !bigb;
		if (r) {
			if (!res->errors++)
				snprintf(res->first, sizeof(res->first), "PROBE: %s", errname(r));
			continue;
		}
		if (g < last)
			res->backwards++;
		last = g;
		is_a = !memcmp(kinds, ea, n * sizeof(kinds[0]));
		is_b = !memcmp(kinds, eb, n * sizeof(kinds[0]));
		res->seen_a += is_a;
		res->seen_b += is_b;
		if (!is_a && !is_b) {
			if (!res->mixed++)
				snprintf(res->first, sizeof(res->first),
					 "batch of %u at generation %" PRIu64 " matches neither A nor B", n, g);
		} else if (rc->parity && ((g & 1) ? !is_a : !is_b)) {
			if (!res->wrong++)
				snprintf(res->first, sizeof(res->first),
					 "batch of %u at generation %" PRIu64 " answered by %s", n, g,
					 is_a ? "A" : "B");
		}
	}
	return NULL;
}

static void *stats_reader(void *arg)
{
	struct reader_res *res = arg;
	struct race *rc = res->rc;
	struct memlayout_stats st;
	mr_t buf[4];
	uint64_t last = 0, g;
	uint32_t count;
	bool flip = false;

	while (!race_stopped(rc)) {
		bool a, ok;
		int r;

		res->calls++;
		flip = !flip;
		if (flip) {
			r = get_stats(rc->fd, &st);
			g = st.generation;
			if (r) {
				if (!res->errors++)
					snprintf(res->first, sizeof(res->first), "GET_STATS: %s", errname(r));
				continue;
			}
			a = st.ram_size == 2 * GiB && st.nr_ram == 2 && st.nr_mmio == 1 &&
			    st.nr_pci_ecam == 1 && st.nr_pci_mmio == 1 && st.end_of_ram == 5 * GiB &&
			    st.ram_below_4gb == GiB && st.end_of_layout == 5 * GiB;
			ok = a || (st.ram_size == 5 * GiB && st.nr_ram == 1 && st.nr_mmio == 0 &&
				   st.nr_pci_ecam == 0 && st.end_of_ram == 5 * GiB &&
				   st.ram_below_4gb == 4 * GiB && st.end_of_layout == 5 * GiB);
		} else {
			memset(buf, 0, sizeof(buf));
			r = get_ranges(rc->fd, L_RAM, buf, 4, &count, &g);
			if (r) {
				if (!res->errors++)
					snprintf(res->first, sizeof(res->first), "GET_RANGES: %s", errname(r));
				continue;
			}
			a = count == 2 && buf[0].start == 0 && buf[0].end == GiB &&
			    buf[1].start == 4 * GiB && buf[1].end == 5 * GiB;
			ok = a || (count == 1 && buf[0].start == 0 && buf[0].end == 5 * GiB);
		}
		if (g < last)
			res->backwards++;
		last = g;
		if (ok) {
			res->seen_a += a;
			res->seen_b += !a;
		}
		if (!ok) {
			if (!res->mixed++)
				snprintf(res->first, sizeof(res->first), "%s at generation %" PRIu64
					 " is neither A's nor B's", flip ? "stats" : "ram list", g);
		} else if (rc->parity && (g & 1) != a) {
			if (!res->wrong++)
				snprintf(res->first, sizeof(res->first), "%s at generation %" PRIu64
					 " belongs to %s", flip ? "stats" : "ram list", g, a ? "A" : "B");
		}
	}
	return NULL;
}

struct setter_arg {
	struct race *rc;
	unsigned int rounds, done, bad;
	double deadline;
	uint64_t *gens;
	bool alternate_from_b;
	char first[160];
};

static void *setter(void *arg)
{
	struct setter_arg *sa = arg;
	unsigned int i;

	for (i = 0; i < sa->rounds; i++) {
		const struct lay *l = (i & 1) == sa->alternate_from_b ? &race_a : &race_b;
		struct memlayout_set s = mkset(l);
		int r = do_set(sa->rc->fd, &s);

		if (r) {
			if (!sa->bad++)
				snprintf(sa->first, sizeof(sa->first), "SET %u: %s", i, errname(r));
			continue;
		}
		sa->gens[sa->done++] = s.generation;
		if ((i & 63) == 0 && now_s() > sa->deadline)
			break;
	}
	return NULL;
}

static int u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void race_prepare(struct race *rc)
{
	static struct model ma, mb;
	uint32_t i;

	model_build(&race_a, &ma);
	model_build(&race_b, &mb);
	for (i = 0; i < RACE_SMALL; i++)
		rc->small[i] = (uint64_t)i * (5 * GiB + 512 * MiB) / RACE_SMALL + (i & 3) * PG;
	for (i = 0; i < RACE_BIG; i++)	/* a permutation: random order, not sorted */
		rc->big[i] = ((uint64_t)((i * 263) % RACE_BIG)) * (5 * GiB + 512 * MiB) / RACE_BIG;
	for (i = 0; i < RACE_SMALL; i++) {
		rc->small_a[i] = model_probe(&ma, rc->small[i]);
		rc->small_b[i] = model_probe(&mb, rc->small[i]);
	}
	for (i = 0; i < RACE_BIG; i++) {
		rc->big_a[i] = model_probe(&ma, rc->big[i]);
		rc->big_b[i] = model_probe(&mb, rc->big[i]);
	}
}

static bool race_report(const char *what, struct reader_res *res, unsigned int n,
			bool parity)
{
	unsigned long calls = 0, wrong = 0, mixed = 0, errors = 0, back = 0;
	unsigned long seen_a = 0, seen_b = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		seen_a += res[i].seen_a;
		seen_b += res[i].seen_b;
		calls += res[i].calls;
		wrong += res[i].wrong;
		mixed += res[i].mixed;
		errors += res[i].errors;
		back += res[i].backwards;
		if (res[i].first[0])
			diag("thread %u: first problem: %s", i, res[i].first);
		if (!res[i].calls)
			diag("thread %u never ran", i);
	}
	for (i = 0; i < n; i++)
		if (!res[i].calls)
			errors++;
	note("race %s: %lu calls by %u threads (A %lu, B %lu), neither A nor B %lu, wrong parity %lu, errors %lu, generation went backwards %lu",
	     what, calls, n, seen_a, seen_b, mixed, wrong, errors, back);
	if (!seen_a || !seen_b)
		diag("the readers did not see both layouts: no race happened");
	return !wrong && !mixed && !errors && !back && seen_a && seen_b;
}


/*
 * A file with A at generation 3 after A (1), B (2), A (3), each checked
 * against the model; rounds from MEMLAYOUT_RACE_ROUNDS (default 50000).
 */
FIXTURE(race) {
	struct race *rc;
	uint64_t *gens;
	unsigned int rounds;
};

FIXTURE_SETUP(race)
{
	static struct race rc;
	uint32_t k[RACE_BIG];
	unsigned int i, diff_s = 0, diff_b = 0;
	uint64_t g;

	self->rounds = 50000;
	if (getenv("MEMLAYOUT_RACE_ROUNDS"))
		self->rounds = (unsigned int)strtoul(getenv("MEMLAYOUT_RACE_ROUNDS"), NULL, 0);
	memset(&rc, 0, sizeof(rc));
	race_prepare(&rc);
	rc.fd = open_dev();
	ASSERT_LE(0, rc.fd);
	self->rc = &rc;
	self->gens = calloc(2 * (size_t)self->rounds + 2, sizeof(*self->gens));
	ASSERT_TRUE(self->gens != NULL);
	ASSERT_EQ(0, set_lay(rc.fd, &race_a, &g));
	ASSERT_EQ(1, g);
	ASSERT_EQ(0, probe(rc.fd, rc.big, k, RACE_BIG, NULL));
	ASSERT_EQ(0, memcmp(k, rc.big_a, sizeof(k))) TH_LOG("layout A answers as modelled");
	ASSERT_EQ(0, set_lay(rc.fd, &race_b, &g));
	ASSERT_EQ(2, g);
	ASSERT_EQ(0, probe(rc.fd, rc.big, k, RACE_BIG, NULL));
	ASSERT_EQ(0, memcmp(k, rc.big_b, sizeof(k))) TH_LOG("layout B answers as modelled");
	ASSERT_EQ(0, set_lay(rc.fd, &race_a, &g));
	ASSERT_EQ(3, g);
	for (i = 0; i < RACE_SMALL; i++)
		diff_s += rc.small_a[i] != rc.small_b[i];
	for (i = 0; i < RACE_BIG; i++)
		diff_b += rc.big_a[i] != rc.big_b[i];
	note("race: A and B differ at %u of %u and %u of %u probe addresses",
	     diff_s, RACE_SMALL, diff_b, RACE_BIG);
	ASSERT_NE(0, diff_s);
	ASSERT_NE(0, diff_b);
}

FIXTURE_TEARDOWN(race)
{
	close(self->rc->fd);
	free(self->gens);
}

/*
 * One setter alternating B, A, B, ... (generation 4 = B, 5 = A, ...) on
 * a shared fd while two threads PROBE and one reads GET_STATS/GET_RANGES:
 * SPEC, every answer of one call comes from one layout, the one its
 * generation names, and generations never go backwards.
 */
TEST_F_TIMEOUT(race, one_setter_alternating, 90)
{
	struct race *rc = self->rc;
	struct reader_res pres[2], sres[1];
	pthread_t pt[2], st[1], wt[1];
	struct setter_arg sa[1];
	uint64_t *gens = self->gens;
	unsigned int i;
	double t0;
	bool ok;

	rc->parity = true;
	memset(pres, 0, sizeof(pres));
	memset(sres, 0, sizeof(sres));
	memset(sa, 0, sizeof(sa));
	sa[0].rc = rc;
	sa[0].rounds = self->rounds;
	sa[0].gens = gens;
	sa[0].alternate_from_b = true;
	t0 = now_s();
	sa[0].deadline = t0 + 6;
	for (i = 0; i < 2; i++) {
		pres[i].rc = rc;
		pthread_create(&pt[i], NULL, prober, &pres[i]);
	}
	sres[0].rc = rc;
	pthread_create(&st[0], NULL, stats_reader, &sres[0]);
	pthread_create(&wt[0], NULL, setter, &sa[0]);
	pthread_join(wt[0], NULL);
	usleep(20000);
	__atomic_store_n(&rc->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(pt[i], NULL);
	pthread_join(st[0], NULL);
	t0 = now_s() - t0;

	ok = sa[0].bad == 0 && sa[0].done > 0;
	for (i = 0; i < sa[0].done; i++)
		if (gens[i] != 4 + i) {
			diag("SET %u returned generation %" PRIu64 ", expected %u", i, gens[i], 4 + i);
			ok = false;
			break;
		}
	if (sa[0].first[0])
		diag("%s", sa[0].first);
	note("race: rounds=%u (of %u asked, 6 s cap) SET_LAYOUT A/B on one fd in %.2f s, 2 probe threads (batches of %u and %u), 1 stats/ranges thread",
	     sa[0].done, self->rounds, t0, RACE_SMALL, RACE_BIG);
	CHECK(ok, "%u SETs alternating B/A on one shared fd, generations %u..%u in order",
	      sa[0].done, 4, 3 + sa[0].done);
	CHECK(race_report("PROBE batches", pres, 2, true),
	      "PROBE batches each answered wholly by A or B as their generation's parity says");
	CHECK(race_report("GET_STATS/GET_RANGES calls", sres, 1, true),
	      "GET_STATS/GET_RANGES answered wholly by A or B as their generation's parity says");
}

/* Two setters at once: generations distinct and contiguous; readers see A or B. */
TEST_F_TIMEOUT(race, two_setters, 90)
{
	struct race *rc = self->rc;
	struct reader_res pres[2];
	pthread_t pt[2], wt[2];
	struct setter_arg sa[2];
	uint64_t *gens = self->gens;
	unsigned int half = self->rounds / 4 ? self->rounds / 4 : 1, total, i, t;
	struct memlayout_stats s, s2;
	bool ok;

	rc->stop = 0;
	rc->parity = false;
	memset(pres, 0, sizeof(pres));
	memset(sa, 0, sizeof(sa));
	for (t = 0; t < 2; t++) {
		sa[t].rc = rc;
		sa[t].rounds = half;
		sa[t].gens = gens + t * (size_t)half;
		sa[t].alternate_from_b = t;
		sa[t].deadline = now_s() + 3;
	}
	ASSERT_EQ(0, get_stats(rc->fd, &s));
	for (i = 0; i < 2; i++) {
		pres[i].rc = rc;
		pthread_create(&pt[i], NULL, prober, &pres[i]);
	}
	for (t = 0; t < 2; t++)
		pthread_create(&wt[t], NULL, setter, &sa[t]);
	for (t = 0; t < 2; t++)
		pthread_join(wt[t], NULL);
	__atomic_store_n(&rc->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(pt[i], NULL);
	total = sa[0].done;
	memmove(gens + total, gens + half, sa[1].done * sizeof(*gens));
	total += sa[1].done;
	qsort(gens, total, sizeof(*gens), u64cmp);
	ok = sa[0].bad == 0 && sa[1].bad == 0;
	for (i = 0; i < total; i++)
		if (gens[i] != s.generation + 1 + i) {
			diag("generation #%u is %" PRIu64 ", expected %" PRIu64, i, gens[i],
			     (uint64_t)s.generation + 1 + i);
			ok = false;
			break;
		}
	get_stats(rc->fd, &s2);
	ok &= eq64("final generation", s2.generation, s.generation + total);
	CHECK(ok, "2 concurrent setters, %u SETs: generations distinct and contiguous", total);
	CHECK(race_report("PROBE batches during concurrent setters", pres, 2, false),
	      "PROBE batches during concurrent setters each answered wholly by A or B");
}

TEST_HARNESS_MAIN
