// SPDX-License-Identifier: GPL-2.0
/*
 * examples_test - the device node, GET_INFO, a file without a layout, the
 * SPEC's examples (hand-written answers), random valid layouts against
 * the SPEC model, and the model's own self-check (see ml_test.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

/* Expected GET_INFO answers (UAPI header, struct memlayout_info). */
#define EXP_MAX_PROBE	(1U << 20)
#define EXP_SOURCES	((1U << MEMLAYOUT_SOURCE_SIZE) | (1U << MEMLAYOUT_SOURCE_NODES) | \
			 (1U << MEMLAYOUT_SOURCE_RANGES) | (1U << MEMLAYOUT_SOURCE_PLACE))
#define CMD_BIT(cmd)	(1ULL << _IOC_NR(cmd))
#define EXP_COMMANDS	(CMD_BIT(MEMLAYOUT_IOC_GET_INFO) | CMD_BIT(MEMLAYOUT_IOC_SET_LAYOUT) | \
			 CMD_BIT(MEMLAYOUT_IOC_GET_STATS) | CMD_BIT(MEMLAYOUT_IOC_GET_RANGES) | \
			 CMD_BIT(MEMLAYOUT_IOC_GET_LAYOUT) | CMD_BIT(MEMLAYOUT_IOC_GET_PLACEMENTS) | \
			 CMD_BIT(MEMLAYOUT_IOC_PROBE) | CMD_BIT(MEMLAYOUT_IOC_CHECK_HOST) | \
			 CMD_BIT(MEMLAYOUT_IOC_CHECK_KVM))

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	setup_pages();
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

/* Documentation/admin-guide.rst: the node is root's, mode 0600. */
TEST(device_node)
{
	struct stat st;
	bool ok;

	ok = stat(DEV_PATH, &st) == 0;
	if (!ok) {
		diag("stat %s: %s", DEV_PATH, strerror(errno));
	} else {
		ok &= eq64("S_ISCHR", S_ISCHR(st.st_mode), 1);
		ok &= eq64("mode", st.st_mode & 07777, 0600);
		ok &= eq64("uid", st.st_uid, 0);
	}
	CHECK(ok, "device node %s: character device, mode 0600, owner root", DEV_PATH);
}

TEST(non_root_cannot_open)
{
	int pfd[2], r[2] = { -1, -1 }, status = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd;

		close(pfd[0]);
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
		    getuid() != 65534 || geteuid() != 65534) {
			r[0] = r[1] = -1000 - errno;
		} else {
			fd = open(DEV_PATH, O_RDWR);
			r[0] = fd >= 0 ? 0 : errno;
			fd = open(DEV_PATH, O_RDONLY);
			r[1] = fd >= 0 ? 0 : errno;
		}
		if (write(pfd[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	ASSERT_EQ(sizeof(r), read(pfd[0], r, sizeof(r)));
	close(pfd[0]);
	waitpid(pid, &status, 0);
	EXPECT_EQ(EACCES, r[0]) TH_LOG("uid 65534: open O_RDWR errno %d", r[0]);
	EXPECT_EQ(EACCES, r[1]) TH_LOG("uid 65534: open O_RDONLY errno %d", r[1]);
}

/* UAPI struct memlayout_info: every field has its documented value. */
TEST_F(dev, get_info)
{
	struct memlayout_info in;
	long long param = read_num(PARAM_PATH);

	memset(&in, 0xA5, sizeof(in));
	in.size = sizeof(in);
	in.flags = 0;
	ASSERT_EQ(0, xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in));
	EXPECT_EQ(sizeof(in), in.size);
	EXPECT_EQ(0, in.flags);
	EXPECT_EQ(1, in.api_version);
	EXPECT_EQ(param, in.max_ranges) TH_LOG("max_ranges is the module parameter");
	EXPECT_EQ(EXP_MAX_PROBE, in.max_probe);
	EXPECT_EQ(MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN, in.set_flags);
	EXPECT_EQ(4096, in.page_size);
	EXPECT_EQ(0xFFFFFFFFFFFFF000ULL, in.max_address);
	EXPECT_EQ(MEMLAYOUT_KIND_PCI_MMIO + 1, in.nr_kinds);
	EXPECT_EQ(MEMLAYOUT_LIST_PLACE + 1, in.nr_lists);
	EXPECT_EQ(MEMLAYOUT_REASON_SIZE, in.max_rule);
	EXPECT_EQ(EXP_SOURCES, in.sources);
	EXPECT_EQ(0, in.probe_flags);
	EXPECT_EQ(0, in.get_ranges_flags);
	EXPECT_EQ(EXP_COMMANDS, in.commands)
		TH_LOG("commands %#llx, expected %#llx", (unsigned long long)in.commands,
		       (unsigned long long)EXP_COMMANDS);
	EXPECT_EQ(MEMLAYOUT_CLASS_POST_MMIO, in.nr_classes);
	/* issue 11 (SPEC H2, H3): CHECK_HOST names at most 64 devices. */
	EXPECT_EQ(64, in.max_devices);
}

/* GET_INFO's answers describe what the kernel really accepts. */
TEST_F(dev, get_info_matches_behaviour)
{
	struct memlayout_info in;
	uint32_t src;
	int r;

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	ASSERT_EQ(0, xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in));
	for (src = 0; src < 32; src++) {
		struct lay l = { C1(GiB) };
		struct memlayout_set s;
		uint64_t nodes[1] = { GiB };
		mr_t ram[1] = { R(0, GiB) };

		l.source = src;
		if (src == MEMLAYOUT_SOURCE_NODES) {
			l.ram_size = 0;
			l.nodes = nodes;
			l.nr_nodes = 1;
		} else if (src != MEMLAYOUT_SOURCE_SIZE) {
			l.ram_size = 0;
			l.ram = ram;
			l.nr_ram = src == MEMLAYOUT_SOURCE_RANGES ? 1 : 0;
		}
		s = mkset(&l);
		if (src == MEMLAYOUT_SOURCE_PLACE) {
			/* C4: one RAM request, the whole layout. */
			static const struct memlayout_place_req req = {
				.place_class = MEMLAYOUT_CLASS_RAM, .size = GiB, .align = PG,
			};

			s.place_ptr = U64P(&req);
			s.nr_place = 1;
		}
		r = do_set(self->fd, &s);
		CHECK(eqerr("SET_LAYOUT", r, in.sources & (1U << src) ? 0 : -EOPNOTSUPP),
		      "source %u %s, as GET_INFO.sources %#x says", src,
		      in.sources & (1U << src) ? "accepted" : "-> EOPNOTSUPP", in.sources);
	}
	{
		uint32_t bit;

		for (bit = 0; bit < 32; bit++) {
			struct memlayout_set s = mkset(&(struct lay){ C1(GiB) });

			s.flags = 1U << bit;
			if (s.flags & MEMLAYOUT_SET_VTL2) {
				s.vtl2.start = 8 * GiB;
				s.vtl2.end = 9 * GiB;
			}
			r = do_set(self->fd, &s);
			CHECK(eqerr("SET_LAYOUT", r, in.set_flags & s.flags ? 0 : -EOPNOTSUPP),
			      "SET flag bit %u %s, as GET_INFO.set_flags %#x says", bit,
			      in.set_flags & s.flags ? "accepted" : "-> EOPNOTSUPP", in.set_flags);
		}
	}
}

TEST_F(dev, get_info_flags)
{
	struct memlayout_info in;

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	in.flags = 1;
	CHECK(eqerr("GET_INFO", xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in), -EOPNOTSUPP),
	      "GET_INFO with flags 1 -> EOPNOTSUPP");
	in.flags = 0x80000000U;
	CHECK(eqerr("GET_INFO", xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in), -EOPNOTSUPP),
	      "GET_INFO with flags 0x80000000 -> EOPNOTSUPP");
}

/* ENOENT before any layout; argument checks still come first. */
TEST_F(dev, empty_file)
{
	struct memlayout_stats st;
	struct memlayout_get_ranges g;
	struct memlayout_probe p;
	uint64_t a[2] = { 0, GiB }, gen = 0;
	uint32_t k[2], list, count;
	mr_t buf[4];
	int fd = self->fd;
	bool ok;
	int r;

	CHECK(eqerr("GET_STATS", get_stats(fd, &st), -ENOENT),
	      "GET_STATS before any layout -> ENOENT");
	ok = true;
	for (list = L_RAM; list <= L_VTL2; list++) {
		r = get_ranges(fd, list, buf, 4, &count, NULL);
		ok &= eqerr(listname(list), r, -ENOENT);
		r = get_ranges(fd, list, NULL, 0, &count, NULL);
		ok &= eqerr(listname(list), r, -ENOENT);
	}
	CHECK(ok, "GET_RANGES of every list (incl. vtl2) before any layout -> ENOENT");
	CHECK(eqerr("PROBE", probe(fd, a, k, 2, NULL), -ENOENT),
	      "PROBE before any layout -> ENOENT");
	CHECK(eqerr("PROBE", probe(fd, NULL, NULL, 0, NULL), -ENOENT),
	      "PROBE of 0 addresses before any layout -> ENOENT");

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = 1;
	CHECK(eqerr("GET_STATS", xioctl(fd, MEMLAYOUT_IOC_GET_STATS, &st), -EOPNOTSUPP),
	      "GET_STATS with flags before any layout -> EOPNOTSUPP (flags checked first)");
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = 0;
	CHECK(eqerr("GET_RANGES", xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g), -EOPNOTSUPP),
	      "GET_RANGES of list 0 before any layout -> EOPNOTSUPP (list checked first)");
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.count = EXP_MAX_PROBE + 1;
	CHECK(eqerr("PROBE", xioctl(fd, MEMLAYOUT_IOC_PROBE, &p), -E2BIG),
	      "PROBE count max_probe+1 before any layout -> E2BIG (count checked first)");

	/* A rejected SET on an empty fd leaves it empty (SPEC: changes nothing). */
	{
		struct memlayout_set s = mkset(&(struct lay){ C1(0) });

		r = do_set(fd, &s);
		ok = eqerr("SET_LAYOUT", r, -EINVAL);
		ok &= eqerr("GET_STATS after", get_stats(fd, &st), -ENOENT);
		ok &= eqerr("PROBE after", probe(fd, a, k, 2, &gen), -ENOENT);
		CHECK(ok, "rejected SET on an empty fd leaves it empty (ENOENT)");
	}
}

/* One of the SPEC's examples, on a fresh file (generation 1). */
FIXTURE(example) {
	int fd;
};

FIXTURE_VARIANT(example) {
	unsigned int idx;
};

FIXTURE_VARIANT_ADD(example, c1_seed) { .idx = 0 };
FIXTURE_VARIANT_ADD(example, c1_d2_d3_no_holes) { .idx = 1 };
FIXTURE_VARIANT_ADD(example, c3_d2_touching_ram) { .idx = 2 };
FIXTURE_VARIANT_ADD(example, c1_d1_hole_at_0) { .idx = 3 };
FIXTURE_VARIANT_ADD(example, c1_d1_touching_holes) { .idx = 4 };
FIXTURE_VARIANT_ADD(example, c2_nodes_split_chunk) { .idx = 5 };
FIXTURE_VARIANT_ADD(example, c3_all_hole_kinds_vtl2) { .idx = 6 };
FIXTURE_VARIANT_ADD(example, c1_all_hole_kinds_vtl2) { .idx = 7 };
FIXTURE_VARIANT_ADD(example, c3_top_of_address_space) { .idx = 8 };
FIXTURE_VARIANT_ADD(example, c1_max_address) { .idx = 9 };
FIXTURE_VARIANT_ADD(example, c2_max_address) { .idx = 10 };
FIXTURE_VARIANT_ADD(example, c3_vtl2_at_end_of_ram) { .idx = 11 };
FIXTURE_VARIANT_ADD(example, c2_eight_nodes) { .idx = 12 };

FIXTURE_SETUP(example)
{
	ASSERT_LT(variant->idx, nr_examples);
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(example)
{
	close(self->fd);
}

TEST_F(example, answers)
{
	const struct example *ex = &examples[variant->idx];
	struct memlayout_stats st = ex->st;
	struct memlayout_set s = mkset(&ex->l);
	uint64_t g;
	int r;

	ksft_print_msg("%s\n", ex->name);
	/* Output fields hold garbage: the reply must overwrite them. */
	memset(&s.reason, 0xEE, sizeof(s.reason));
	s.generation = 0xEEEEEEEEEEEEEEEEULL;
	r = do_set(self->fd, &s);
	g = r ? 0 : s.generation;
	ASSERT_TRUE(eqerr("SET_LAYOUT", r, 0) & eq64("generation", g, 1) &
		    eq64("reason.rule", s.reason.rule, 0) & eq64("reason.list", s.reason.list, 0) &
		    eq64("reason.index", s.reason.index, 0) &
		    eq64("reason.other_list", s.reason.other_list, 0) &
		    eq64("reason.other_index", s.reason.other_index, 0) &
		    eq64("reason.field", s.reason.field, 0))
		TH_LOG("%s: SET_LAYOUT ok, generation 1, reason all zero", ex->name);
	CHECK(check_list(self->fd, L_RAM, ex->ram, ex->nr_ram, g),
	      "%s: GET_RANGES(ram) exact (%u ranges)", ex->name, ex->nr_ram);
	st.generation = g;
	CHECK(check_stats(self->fd, &st), "%s: GET_STATS exact", ex->name);
	CHECK(check_probes(self->fd, ex->pk, ex->nr_pk, g), "%s: PROBE of %u addresses exact",
	      ex->name, ex->nr_pk);
	CHECK(check_model(self->fd, &ex->l, g),
	      "%s: every list, stats and edge probes match the SPEC model", ex->name);
}

/* Every example in turn on one file: generation +1 per accepted SET. */
TEST_F(dev, generation_counts_up)
{
	unsigned int i;
	uint64_t g;

	for (i = 0; i < nr_examples; i++) {
		ASSERT_EQ(0, set_lay(self->fd, &examples[i].l, &g));
		EXPECT_EQ(i + 1, g) TH_LOG("%s", examples[i].name);
		EXPECT_TRUE(check_model(self->fd, &examples[i].l, g))
			TH_LOG("%s", examples[i].name);
	}
}

/* Random valid requests (C1/C2/C3, touching holes, VTL2) against the model. */
TEST_F_TIMEOUT(dev, random_valid_layouts, 120)
{
	static struct rlay r;
	unsigned int i, bad = 0, count = 300;
	uint64_t gen = 0, g;

	rng_state = 0x5EED0001ULL;
	for (i = 0; i < count; i++) {
		random_lay(&r);
		if (set_lay(self->fd, &r.l, &g) || g != gen + 1 ||
		    !check_model(self->fd, &r.l, g)) {
			diag("random layout %u (source %u, %u ram, %u mmio, %u ecam, %u pmmio, vtl2 %d) wrong",
			     i, r.l.source, r.l.nr_ram, r.l.nr_mmio, r.l.nr_ecam,
			     r.l.nr_pmmio, r.l.has_vtl2);
			if (++bad >= 3)
				diag_muted = 1;
		}
		if (g)
			gen = g;
	}
	CHECK(bad == 0, "%u random valid layouts: SET ok, generation +1 each, lists/stats/probes match the model (%u wrong)",
	      count, bad);
}

/* No device: the hand-written expectations agree with the model. */
TEST(model_selfcheck_examples)
{
	static struct model m;
	static mr_t got[MODEL_MAX];
	uint32_t i, j, n;

	for (i = 0; i < nr_examples; i++) {
		const struct example *ex = &examples[i];
		bool ok = true;

		model_build(&ex->l, &m);
		n = model_list(&m, L_RAM, got);
		ok &= eq64("nr_ram", n, ex->nr_ram);
		for (j = 0; j < n && j < ex->nr_ram; j++)
			if (got[j].start != ex->ram[j].start || got[j].end != ex->ram[j].end ||
			    got[j].vnode != ex->ram[j].vnode) {
				diag("ram[%u] model [%#" PRIx64 ",%#" PRIx64 ") v%u hand [%#" PRIx64
				     ",%#" PRIx64 ") v%u", j, (uint64_t)got[j].start,
				     (uint64_t)got[j].end, got[j].vnode, (uint64_t)ex->ram[j].start,
				     (uint64_t)ex->ram[j].end, ex->ram[j].vnode);
				ok = false;
			}
		ok &= stats_equal(&m.st, &ex->st);
		for (j = 0; j < ex->nr_pk; j++)
			if (model_probe(&m, ex->pk[j].a) != ex->pk[j].k) {
				diag("probe %#" PRIx64 ": model %s hand %s", ex->pk[j].a,
				     kindname(model_probe(&m, ex->pk[j].a)), kindname(ex->pk[j].k));
				ok = false;
			}
		CHECK(ok, "selfcheck: %s", ex->name);
	}
}

TEST(model_selfcheck_random)
{
	static struct rlay r;
	unsigned int hits[9] = { 0 }, i;

	rng_state = 0xBAD5EEDULL;
	for (i = 0; i < 100000; i++) {
		random_lay(&r);
		if (i % 5)
			mutate(&r);
		hits[model_validate(&r.l).rule]++;
	}
	note("selfcheck verdicts: valid %u R1 %u R2 %u R3 %u R4 %u R5 %u R6 %u R7 %u",
	     hits[0], hits[1], hits[2], hits[3], hits[4], hits[5], hits[6], hits[7]);
	CHECK(hits[0] > 20000, "unmutated random layouts are valid for the validation model");
}

TEST_HARNESS_MAIN
