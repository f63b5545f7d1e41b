// SPDX-License-Identifier: GPL-2.0
/*
 * lifetime_test - what lives with a file: fdinfo's bounded summary, many
 * files with their own layouts, rejected requests that allocate and free,
 * and the debugfs counters (live_layouts, open_files) back to where they
 * started (see ml_test.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

FIXTURE(counters) {
	int unused;
};

FIXTURE_SETUP(counters)
{
	setup_pages();
}

FIXTURE_TEARDOWN(counters)
{
}

/* fdinfo (Documentation/userspace-api/memlayout.rst): a bounded summary. */
TEST_F(counters, fdinfo_summary)
{
	int fd = open_dev();
	uint64_t g;

	ASSERT_LE(0, fd);
	CHECK(check_fdinfo(fd, NULL, 0), "fdinfo of a fd without a layout: \"layout:\\tnone\"");
	ASSERT_EQ(0, set_lay(fd, &examples[0].l, &g));
	CHECK(check_fdinfo(fd, &examples[0].l, 1),
	      "fdinfo: seed example, generation 1, counts, ram_above_high_mmio line");
	ASSERT_EQ(0, set_lay(fd, &ex5, &g));
	CHECK(check_fdinfo(fd, &ex5, 2), "fdinfo: every hole kind, vtl2 line, generation 2");
	ASSERT_EQ(0, set_lay(fd, &examples[8].l, &g));
	CHECK(check_fdinfo(fd, &examples[8].l, 3), "fdinfo: top of the address space");
	{
		struct memlayout_set s = mkset(&(struct lay){ C1(0) });

		do_set(fd, &s);
		CHECK(check_fdinfo(fd, &examples[8].l, 3), "fdinfo unchanged after a rejected SET");
	}
	close(fd);
}

/* fdinfo does not grow with the layout: 2 x 500 ranges, the same few lines. */
TEST_F(counters, fdinfo_bounded_for_a_large_layout)
{
	static mr_t ram[500], mmio[500];
	static char got[65536];
	struct lay l = { .source = MEMLAYOUT_SOURCE_RANGES };
	unsigned int i, lines = 0;
	uint64_t g;
	int fd = open_dev();
	char *p;

	ASSERT_LE(0, fd);
	for (i = 0; i < 500; i++) {
		ram[i] = (mr_t)R(2 * i * 2 * MiB, (2 * i + 1) * 2 * MiB);
		mmio[i] = (mr_t)R((2 * i + 1) * 2 * MiB, (2 * i + 2) * 2 * MiB);
	}
	l.ram = ram;
	l.nr_ram = 500;
	l.mmio = mmio;
	l.nr_mmio = 500;
	ASSERT_EQ(0, set_lay(fd, &l, &g));
	CHECK(check_fdinfo(fd, &l, g), "fdinfo of a 1000-range layout is the summary");
	ASSERT_TRUE(read_fdinfo(fd, got, sizeof(got)));
	for (p = got; *p; p++)
		lines += *p == '\n';
	CHECK(lines <= 12 && strlen(got) < 1024,
	      "fdinfo of 1000 ranges: %u lines, %zu bytes (at most 12 lines, under 1 KiB)",
	      lines, strlen(got));
	close(fd);
}

#define MANY_FDS 256

/*
 * 256 files at once, each with its own layout (state lives and dies with
 * the fd); debugfs open_files and live_layouts follow.
 */
TEST_F_TIMEOUT(counters, many_files, 60)
{
	static int fds[MANY_FDS];
	unsigned int i, opened = 0, bad = 0;
	bool dbg = debugfs_ok();
	long long live0 = 0, open0 = 0, v;
	struct rlimit rl;
	double took;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MANY_FDS + 64) {
		rl.rlim_cur = rl.rlim_max > MANY_FDS + 64 ? MANY_FDS + 64 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (dbg) {
		/* Earlier tests' layouts are freed after a grace period. */
		live0 = wait_counter("live_layouts", base_live, 5, NULL);
		open0 = read_num(DEBUGFS_DIR "open_files");
	}
	for (i = 0; i < MANY_FDS; i++) {
		fds[i] = open(DEV_PATH, O_RDWR | O_CLOEXEC);
		if (fds[i] < 0) {
			diag("open #%u: %s", i, strerror(errno));
			break;
		}
		opened++;
	}
	CHECK(opened == MANY_FDS, "%u opens of %s at once", opened, DEV_PATH);
	if (dbg)
		CHECK(eq64("open_files", (uint64_t)read_num(DEBUGFS_DIR "open_files"),
			 (uint64_t)(open0 + opened)),
		    "debugfs open_files rose by %u", opened);
	for (i = 0; i < opened; i++) {
		struct lay l = { C1((i + 1) * 2 * MiB), MMIO(R(2 * GiB, 2 * GiB + (i + 1) * PG)) };
		uint64_t g;

		if (set_lay(fds[i], &l, &g) || g != 1)
			bad++;
	}
	CHECK(bad == 0, "%u distinct layouts set, one per fd, each generation 1", opened);
	if (dbg)
		CHECK(eq64("live_layouts", (uint64_t)read_num(DEBUGFS_DIR "live_layouts"),
			 (uint64_t)(live0 + opened)),
		    "debugfs live_layouts rose by exactly %u", opened);
	bad = 0;
	for (i = opened; i-- > 0;) {
		uint64_t ram = (i + 1) * 2 * MiB, hole = 2 * GiB + (i + 1) * PG;
		uint64_t a[5] = { ram - 1, ram, hole - 1, hole, 0 };
		uint32_t k[5];
		struct memlayout_stats st;

		if (get_stats(fds[i], &st) || st.ram_size != ram || st.end_of_ram != ram ||
		    st.end_of_layout != hole || st.generation != 1 ||
		    probe(fds[i], a, k, 5, NULL) || k[0] != K_RAM || k[1] != K_NONE ||
		    k[2] != K_MMIO || k[3] != K_NONE || k[4] != K_RAM) {
			if (!bad)
				diag("fd #%u answers ram_size %#" PRIx64 " (expected %#" PRIx64 ")",
				     i, (uint64_t)st.ram_size, ram);
			bad++;
		}
	}
	CHECK(bad == 0, "each of the %u fds answers its own layout (stats and probes)", opened);
	if (opened > 77) {
		struct lay l = { C1(78 * 2 * MiB), MMIO(R(2 * GiB, 2 * GiB + 78 * PG)) };

		CHECK(check_fdinfo(fds[77], &l, 1), "fdinfo of fd #77 shows its own layout");
	}
	for (i = 0; i < opened; i++)
		close(fds[i]);
	if (!dbg)
		SKIP(return, "no debugfs: counters after closing %u fds not checked", opened);
	v = wait_counter("open_files", open0, 2, &took);
	CHECK(eq64("open_files", (uint64_t)v, (uint64_t)open0),
	    "debugfs open_files back to %lld after closing %u fds", open0, opened);
	v = wait_counter("live_layouts", live0, 5, &took);
	CHECK(eq64("live_layouts", (uint64_t)v, (uint64_t)live0),
	    "debugfs live_layouts back to %lld after closing %u fds (%.2f s, RCU)", live0,
	    opened, took);
}

/* Rejected requests allocate and free without leaking layouts. */
TEST_F(counters, rejected_sets_do_not_leak)
{
	int fd = open_dev();
	long long before, after;
	unsigned int i, errs = 0;
	uint64_t g;

	if (!debugfs_ok()) {
		close(fd);
		SKIP(return, "no debugfs");
	}
	set_lay(fd, &ex5, &g);
	/* Let earlier tests' RCU frees finish: only this fd's layout lives. */
	before = wait_counter("live_layouts", base_live + 1, 5, NULL);
	for (i = 0; i < 300; i++) {
		/* R4 and R7 fail after the layout was allocated. */
		struct memlayout_set s = mkset(i & 1 ?
			&(struct lay){ C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)) } :
			&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + PG) });

		if (do_set(fd, &s) == 0)
			errs++;
	}
	after = read_num(DEBUGFS_DIR "live_layouts");
	CHECK(errs == 0 && eq64("live_layouts", (uint64_t)after, (uint64_t)before),
	    "300 SETs rejected after allocation (R4, R7) leave live_layouts at %lld", before);
	close(fd);
}

/* Last: every file of this program closed, the counters are back. */
TEST_F(counters, all_closed_counters_back)
{
	double took;
	long long v;

	if (!debugfs_ok())
		SKIP(return, "no debugfs");
	v = wait_counter("open_files", base_open, 2, &took);
	CHECK(eq64("open_files", (uint64_t)v, (uint64_t)base_open),
	    "all fds closed: debugfs open_files back to %lld", base_open);
	v = wait_counter("live_layouts", base_live, 5, &took);
	CHECK(eq64("live_layouts", (uint64_t)v, (uint64_t)base_live),
	    "all fds closed: debugfs live_layouts back to %lld (%.2f s)", base_live, took);
}

int main(int argc, char **argv)
{
	if (debugfs_ok()) {
		/* A previous process's layouts may still wait for RCU. */
		base_live = wait_counter("live_layouts", 0, 3, NULL);
		base_open = wait_counter("open_files", 0, 1, NULL);
		note("debugfs baseline: live_layouts %lld, open_files %lld", base_live, base_open);
	}
	return test_harness_run(argc, argv);
}
