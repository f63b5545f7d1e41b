// SPDX-License-Identifier: GPL-2.0
/*
 * enomem_test - SET_LAYOUT under a memory cgroup limit (issue 7, point 6).
 *
 * The copies of a request and the layout are allocated with
 * GFP_KERNEL_ACCOUNT, so they are charged to the caller's memory cgroup.
 * The test process moves itself into a child cgroup whose memory.max is 1
 * MiB above its memory.current, then asks for a layout whose lists alone
 * take 3 MiB: the call must fail with -ENOMEM and a reason of all zero
 * (UAPI: ENOMEM, "the file's previous layout stays"), memory.events must
 * show the limit was hit, and GET_STATS/GET_RANGES must still answer the
 * previous layout and generation. The same request succeeds outside the
 * limit, before and after.
 *
 * The process sets its oom_score_adj to -1000 first: the memcg OOM killer
 * then finds no victim and the charge fails, instead of the process being
 * killed. The kernel logs that as an OOM report (init.sh runs this program
 * last and accepts a "Call Trace" only inside such a report).
 *
 * init.sh mounts cgroup2 on /sys/fs/cgroup. See ml_test.h.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_CHILD	CG_ROOT "/memlayout-enomem"
#define NR_BIG		65536U	/* per list: the ceiling of max_ranges */
#define MARGIN		(1024 * 1024LL)

/* Read a whole small file into @buf; 0 or -errno. */
static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* The value of key @key in a flat-keyed cgroup file; -1 if absent. */
static long long keyed(const char *path, const char *key)
{
	char buf[1024], *p;
	size_t k = strlen(key);

	if (read_file(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, k) && p[k] == ' ')
			return strtoll(p + k + 1, NULL, 10);
	return -1;
}

static int move_to(const char *cgroup)
{
	char path[128], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return write_str(path, pid);
}

FIXTURE(enomem) {
	int fd;
	long long orig;
	mr_t *mmio, *pmmio;
	struct lay big, small;
	uint64_t small_gen;
};

FIXTURE_SETUP(enomem)
{
	static const mr_t small_mmio[] = { R(GiB, 2 * GiB) };
	char buf[256];
	uint32_t i;

	if (read_file(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		SKIP(return, "no cgroup2 memory controller at " CG_ROOT);
	self->orig = read_num(PARAM_PATH);
	ASSERT_LT(0, self->orig);
	ASSERT_EQ(0, set_max_ranges(NR_BIG));
	ASSERT_EQ(0, write_str("/proc/self/oom_score_adj", "-1000"));
	ASSERT_EQ(0, write_str(CG_ROOT "/cgroup.subtree_control", "+memory"));
	rmdir(CG_CHILD);
	ASSERT_EQ(0, mkdir(CG_CHILD, 0755)) TH_LOG("mkdir %s: %s", CG_CHILD, strerror(errno));

	/* Above 4 GiB, alternating mmio and pci_mmio pages: valid, 2 x 64 Ki ranges. */
	self->mmio = calloc(NR_BIG, sizeof(mr_t));
	self->pmmio = calloc(NR_BIG, sizeof(mr_t));
	ASSERT_TRUE(self->mmio && self->pmmio);
	for (i = 0; i < NR_BIG; i++) {
		self->mmio[i].start = 8 * GiB + 2ULL * i * PG;
		self->mmio[i].end = self->mmio[i].start + PG;
		self->pmmio[i].start = self->mmio[i].end;
		self->pmmio[i].end = self->pmmio[i].start + PG;
	}
	memset(&self->big, 0, sizeof(self->big));
	self->big.source = MEMLAYOUT_SOURCE_SIZE;
	self->big.ram_size = GiB;
	self->big.mmio = self->mmio;
	self->big.nr_mmio = NR_BIG;
	self->big.pmmio = self->pmmio;
	self->big.nr_pmmio = NR_BIG;
	memset(&self->small, 0, sizeof(self->small));
	self->small.source = MEMLAYOUT_SOURCE_SIZE;
	self->small.ram_size = 2 * GiB;
	self->small.mmio = small_mmio;
	self->small.nr_mmio = 1;

	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, set_lay(self->fd, &self->small, &self->small_gen));
	ASSERT_EQ(1, self->small_gen);
}

FIXTURE_TEARDOWN(enomem)
{
	char buf[32];

	write_str(CG_CHILD "/memory.max", "max");
	move_to(CG_ROOT);
	rmdir(CG_CHILD);
	if (self->orig > 0) {
		snprintf(buf, sizeof(buf), "%lld", self->orig);
		write_str(PARAM_PATH, buf);
	}
	free(self->mmio);
	free(self->pmmio);
}

TEST_F(enomem, set_layout_over_memory_max_keeps_old_layout)
{
	struct memlayout_set s;
	struct memlayout_stats before, after;
	char max[32];
	long long cur, events_max0, events_max1;
	int ctl, r;

	/* Control: the request is valid and fits when nothing limits it. */
	ctl = open_dev();
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, set_lay(ctl, &self->big, NULL)) TH_LOG("the large request outside the limit");
	close(ctl);
	ASSERT_EQ(0, get_stats(self->fd, &before));

	/* Into the child cgroup; charges made from now on count there. */
	ASSERT_EQ(0, move_to(CG_CHILD));
	cur = read_num(CG_CHILD "/memory.current");
	ASSERT_LE(0, cur);
	snprintf(max, sizeof(max), "%lld", (cur + MARGIN + 4095) / 4096 * 4096);
	ASSERT_EQ(0, write_str(CG_CHILD "/memory.max", max));
	events_max0 = keyed(CG_CHILD "/memory.events", "max");

	s = mkset(&self->big);
	memset(&s.reason, 0xEE, sizeof(s.reason));
	s.generation = 0xEEEEEEEEEEEEEEEEULL;
	r = do_set(self->fd, &s);
	events_max1 = keyed(CG_CHILD "/memory.events", "max");

	/* Lift the limit and leave before checking anything. */
	EXPECT_EQ(0, write_str(CG_CHILD "/memory.max", "max"));
	EXPECT_EQ(0, move_to(CG_ROOT));

	ksft_print_msg("memory.current %lld, memory.max %s, memory.events max %lld -> %lld\n",
		       cur, max, events_max0, events_max1);
	EXPECT_EQ(-ENOMEM, r) TH_LOG("SET_LAYOUT of 2 x %u ranges under memory.max: %s",
				     NR_BIG, errname(r));
	EXPECT_EQ(0, s.reason.rule);
	EXPECT_EQ(0, s.reason.list);
	EXPECT_EQ(0, s.reason.index);
	EXPECT_EQ(0, s.reason.field);
	EXPECT_LT(events_max0, events_max1) TH_LOG("memory.events shows the limit was hit");

	/* SPEC: a rejected request changes nothing. */
	ASSERT_EQ(0, get_stats(self->fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)))
		TH_LOG("GET_STATS changed (generation %llu -> %llu)",
		       (unsigned long long)before.generation,
		       (unsigned long long)after.generation);
	EXPECT_TRUE(check_model(self->fd, &self->small, self->small_gen))
		TH_LOG("GET_STATS, GET_RANGES and PROBE answer the old layout, generation 1");

	/* Outside the limit the same request now succeeds, as generation 2. */
	{
		uint64_t g = 0;

		EXPECT_EQ(0, set_lay(self->fd, &self->big, &g));
		EXPECT_EQ(2, g);
	}
}

TEST_HARNESS_MAIN
