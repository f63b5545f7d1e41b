// SPDX-License-Identifier: GPL-2.0
/*
 * queries_test - GET_RANGES count negotiation, the errors of GET_RANGES,
 * GET_STATS and PROBE (UAPI header: "Errors common to every command"),
 * the largest PROBE batch, and unknown commands (see ml_test.h).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

/* A file holding ex5: ram 3, mmio 1, pci_ecam 1, pci_mmio 2, vtl2 1. */
FIXTURE(ex5) {
	int fd;
	uint64_t gen;
	uint32_t max_probe;
};

/* Both fixtures: a file holding ex5, and GET_INFO.max_probe. */
static void open_ex5_info(struct __test_metadata *_metadata, int *fd, uint64_t *gen,
			  uint32_t *max_probe)
{
	struct memlayout_info in = { .size = sizeof(in) };

	setup_pages();
	*fd = open_ex5(gen);
	ASSERT_LE(0, *fd);
	ASSERT_EQ(0, xioctl(*fd, MEMLAYOUT_IOC_GET_INFO, &in));
	*max_probe = in.max_probe;
}

FIXTURE_SETUP(ex5)
{
	open_ex5_info(_metadata, &self->fd, &self->gen, &self->max_probe);
}

FIXTURE_TEARDOWN(ex5)
{
	close(self->fd);
}

/* UAPI struct memlayout_get_ranges: count in and out, -EMSGSIZE. */
TEST_F(ex5, ranges_count_negotiation)
{
	struct memlayout_get_ranges g;
	mr_t buf[8];
	uint32_t count;
	unsigned char zero[sizeof(buf)];
	uint64_t g2, gen = self->gen;
	int fd = self->fd;
	int r;

	/* ex5 is installed: ram 3, mmio 1, ecam 1, pci_mmio 2, vtl2 1. */
	memset(buf, 0xEE, sizeof(buf));
	memset(zero, 0xEE, sizeof(zero));
	r = get_ranges(fd, L_RAM, NULL, 0, &count, &g2);
	CHECK(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", count, 3) &
	    eq64("generation", g2, gen),
	    "GET_RANGES(ram) count 0, NULL -> EMSGSIZE, count set to 3, generation set");
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = L_RAM;
	g.count = 2;
	g.ranges_ptr = U64P(buf);
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	CHECK(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", g.count, 3) &
	    eq64("nothing written", memcmp(buf, zero, sizeof(buf)) == 0, 1),
	    "GET_RANGES(ram) count 2 < 3 -> EMSGSIZE, count 3, buffer untouched");
	g.count = 3;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	CHECK(eqerr("GET_RANGES", r, 0) & eq64("count", g.count, 3) &
	    eq64("buf[2].start", buf[2].start, 4 * GiB) &
	    eq64("buf[3] untouched", memcmp(&buf[3], zero, sizeof(buf[3])) == 0, 1),
	    "GET_RANGES(ram) retried with count 3 -> ok, nothing past 3 written");
	r = get_ranges(fd, L_VTL2, NULL, 0, &count, NULL);
	CHECK(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", count, 1),
	    "GET_RANGES(vtl2) count 0 -> EMSGSIZE, count 1");
	r = get_ranges(fd, L_PMMIO, buf, 1, &count, NULL);
	CHECK(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", count, 2),
	    "GET_RANGES(pci_mmio) count 1 -> EMSGSIZE, count 2");
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = L_RAM;
	g.count = 0xFFFFFFFFU;
	g.ranges_ptr = U64P(buf);
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	CHECK(eqerr("GET_RANGES", r, 0) & eq64("count", g.count, 3),
	    "GET_RANGES(ram) with capacity 0xffffffff -> ok, count 3");
}

/* GET_RANGES of a list that does not exist. */
TEST_F(ex5, get_ranges_unknown_list_n)
{
	struct memlayout_get_ranges g;
	mr_t buf[8];
	int fd = self->fd;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = L_RAM;
	g.count = 8;
	g.ranges_ptr = U64P(buf);
	g.flags = 0;
	{
		static const uint32_t bad[] = { L_NONE, L_NODES, 7, 0xFFFFFFFFU };
		uint32_t i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			g.list = bad[i];
			RAW_REJECT(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EOPNOTSUPP,
				"GET_RANGES unknown list %u", bad[i]);
		}
	}
}

TEST_F(ex5, get_ranges_pci_ecam_count_0_emsgsize_count_1)
{
	struct memlayout_get_ranges g;
	int fd = self->fd;
	int r;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	/* An empty list with a NULL buffer and a count writes nothing. */
	g.list = L_ECAM;
	g.count = 0;
	g.ranges_ptr = 0;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	CHECK(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", g.count, 1),
	    "GET_RANGES(pci_ecam) count 0 -> EMSGSIZE count 1");
}

/*
 * One bad GET_RANGES, GET_STATS or PROBE per variant on a file holding
 * ex5: the errno it must fail with, the layout left as it was (UAPI
 * header, "Errors common to every command"; the pointer/count pairs:
 * both zero or both set, -EINVAL either way; -EFAULT only for a
 * non-zero pointer that cannot be accessed). TAP names each case
 * bad_query.<variant>.rejected.
 */
FIXTURE(bad_query) {
	int fd;
	uint64_t gen;
	uint32_t max_probe;
};

/* Where a pointer member of the argument points. */
enum where {
	W_NULL,
	W_BUF,			/* a valid buffer (PROBE: 4 addresses, room for 5 kinds) */
	W_PROT_NONE,		/* the start of a PROT_NONE page */
	W_READ_ONLY,		/* the start of a read-only page */
	W_INTO_PROT_NONE,	/* @room elements of the buffer, then a PROT_NONE page */
	W_HIGH_BITS,		/* the valid buffer with a bit set above the address space */
};

FIXTURE_VARIANT(bad_query) {
	const char *what;
	unsigned long cmd;
	uint32_t flags;
	uint32_t reserved;	/* PROBE */
	uint32_t list;		/* GET_RANGES */
	uint32_t count;		/* GET_RANGES, PROBE */
	bool past_max_probe;	/* PROBE: count = GET_INFO.max_probe + 1 */
	enum where ptr;		/* ranges_ptr or addrs_ptr */
	enum where kinds;	/* PROBE kinds_ptr */
	uint32_t room;
	bool read_only_arg;	/* the argument itself in a read-only page */
	int err;
};

FIXTURE_SETUP(bad_query)
{
	open_ex5_info(_metadata, &self->fd, &self->gen, &self->max_probe);
}

FIXTURE_TEARDOWN(bad_query)
{
	close(self->fd);
}

/* GET_RANGES: flags, lists, the pointer/count pair, unwritable buffers. */
FIXTURE_VARIANT_ADD(bad_query, get_ranges_flags_1) {
	.what = "GET_RANGES flags 1",
	.cmd = MEMLAYOUT_IOC_GET_RANGES, .flags = 1,
	.list = L_RAM, .count = 8, .ptr = W_BUF,
	.err = -EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_flags_0x80000000) {
	.what = "GET_RANGES flags 0x80000000",
	.cmd = MEMLAYOUT_IOC_GET_RANGES, .flags = 0x80000000U,
	.list = L_RAM, .count = 8, .ptr = W_BUF,
	.err = -EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_ranges_ptr_set_with_count_0_a_pair_half_missing) {
	.what = "GET_RANGES ranges_ptr set with count 0 (a pair half missing)",
	.cmd = MEMLAYOUT_IOC_GET_RANGES,
	.list = L_RAM, .count = 0, .ptr = W_BUF,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_null_ranges_ptr_with_count_8_a_pair_half_missing) {
	.what = "GET_RANGES NULL ranges_ptr with count 8 (a pair half missing: EINVAL, not EFAULT)",
	.cmd = MEMLAYOUT_IOC_GET_RANGES,
	.list = L_RAM, .count = 8, .ptr = W_NULL,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_ranges_ptr_to_a_prot_none_page) {
	.what = "GET_RANGES ranges_ptr to a PROT_NONE page",
	.cmd = MEMLAYOUT_IOC_GET_RANGES,
	.list = L_RAM, .count = 8, .ptr = W_PROT_NONE,
	.err = -EFAULT,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_ranges_ptr_to_a_read_only_page) {
	.what = "GET_RANGES ranges_ptr to a read-only page",
	.cmd = MEMLAYOUT_IOC_GET_RANGES,
	.list = L_RAM, .count = 8, .ptr = W_READ_ONLY,
	.err = -EFAULT,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_buffer_running_into_a_prot_none_page) {
	.what = "GET_RANGES buffer running into a PROT_NONE page",
	.cmd = MEMLAYOUT_IOC_GET_RANGES,
	.list = L_RAM, .count = 8, .ptr = W_INTO_PROT_NONE, .room = 1,	/* 2nd entry unwritable */
	.err = -EFAULT,
};

FIXTURE_VARIANT_ADD(bad_query, get_ranges_ranges_ptr_with_upper_bits_set_valid_low_bits) {
	.what = "GET_RANGES ranges_ptr with upper bits set (valid low bits)",
	.cmd = MEMLAYOUT_IOC_GET_RANGES,
	.list = L_RAM, .count = 8, .ptr = W_HIGH_BITS,
	.err = -EFAULT,
};

/* GET_STATS: flags, an argument that cannot be written back. */
FIXTURE_VARIANT_ADD(bad_query, get_stats_flags_1) {
	.what = "GET_STATS flags 1",
	.cmd = MEMLAYOUT_IOC_GET_STATS, .flags = 1,
	.err = -EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(bad_query, get_stats_flags_0x40000000) {
	.what = "GET_STATS flags 0x40000000",
	.cmd = MEMLAYOUT_IOC_GET_STATS, .flags = 0x40000000U,
	.err = -EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(bad_query, get_stats_with_a_read_only_argument) {
	.what = "GET_STATS with a read-only argument",
	.cmd = MEMLAYOUT_IOC_GET_STATS, .read_only_arg = true,
	.err = -EFAULT,
};

/* PROBE: flags, reserved, max_probe, the pointer/count pairs, faults. */
FIXTURE_VARIANT_ADD(bad_query, probe_flags_1) {
	.what = "PROBE flags 1",
	.cmd = MEMLAYOUT_IOC_PROBE, .flags = 1,
	.count = 4, .ptr = W_BUF, .kinds = W_BUF,
	.err = -EOPNOTSUPP,
};

FIXTURE_VARIANT_ADD(bad_query, probe_reserved_1) {
	.what = "PROBE reserved 1",
	.cmd = MEMLAYOUT_IOC_PROBE, .reserved = 1,
	.count = 4, .ptr = W_BUF, .kinds = W_BUF,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, probe_count_max_probe_1) {
	.what = "PROBE count max_probe+1",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.past_max_probe = true, .ptr = W_BUF, .kinds = W_BUF,
	.err = -E2BIG,
};

FIXTURE_VARIANT_ADD(bad_query, probe_count_0xffffffff) {
	.what = "PROBE count 0xffffffff",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 0xFFFFFFFFU, .ptr = W_BUF, .kinds = W_BUF,
	.err = -E2BIG,
};

FIXTURE_VARIANT_ADD(bad_query, probe_count_0_with_both_pointers) {
	.what = "PROBE count 0 with both pointers",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 0, .ptr = W_BUF, .kinds = W_BUF,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, probe_count_0_with_addrs_ptr) {
	.what = "PROBE count 0 with addrs_ptr",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 0, .ptr = W_BUF, .kinds = W_NULL,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, probe_count_0_with_kinds_ptr) {
	.what = "PROBE count 0 with kinds_ptr",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 0, .ptr = W_NULL, .kinds = W_BUF,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, probe_null_addrs_ptr_with_count_4_pair) {
	.what = "PROBE NULL addrs_ptr with count 4 (pair)",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 4, .ptr = W_NULL, .kinds = W_BUF,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, probe_null_kinds_ptr_with_count_4_pair) {
	.what = "PROBE NULL kinds_ptr with count 4 (pair)",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 4, .ptr = W_BUF, .kinds = W_NULL,
	.err = -EINVAL,
};

FIXTURE_VARIANT_ADD(bad_query, probe_kinds_ptr_read_only) {
	.what = "PROBE kinds_ptr read-only",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 4, .ptr = W_BUF, .kinds = W_READ_ONLY,
	.err = -EFAULT,
};

FIXTURE_VARIANT_ADD(bad_query, probe_addrs_running_into_prot_none) {
	.what = "PROBE addrs running into PROT_NONE",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 4, .ptr = W_INTO_PROT_NONE, .room = 2, .kinds = W_BUF,
	.err = -EFAULT,
};

FIXTURE_VARIANT_ADD(bad_query, probe_addrs_ptr_with_upper_bits_set_valid_low_bits) {
	.what = "PROBE addrs_ptr with upper bits set (valid low bits)",
	.cmd = MEMLAYOUT_IOC_PROBE,
	.count = 4, .ptr = W_HIGH_BITS, .kinds = W_BUF,
	.err = -EFAULT,
};

/* The user address @w stands for, for a buffer @buf of @elem-byte elements. */
static uint64_t where_to(enum where w, uint32_t room, const void *buf, size_t elem)
{
	switch (w) {
	case W_NULL:
		break;
	case W_BUF:
		return U64P(buf);
	case W_PROT_NONE:
		return U64P(PAGE_NONE);
	case W_READ_ONLY:
		return U64P(PAGE_RO);
	case W_INTO_PROT_NONE:
		memcpy(PAGE_NONE - room * elem, buf, room * elem);
		return U64P(PAGE_NONE - room * elem);
	case W_HIGH_BITS:
		return U64P(buf) | (sizeof(void *) == 4 ? 1ULL << 32 : 1ULL << 63);
	}
	return 0;
}

/* The variant's call fails with its errno and leaves ex5. */
TEST_F(bad_query, rejected)
{
	const FIXTURE_VARIANT(bad_query) *v = variant;
	union {
		struct memlayout_get_ranges g;
		struct memlayout_stats st;
		struct memlayout_probe p;
	} arg;
	uint64_t a[4] = { 0, GiB, 3 * GiB, 8 * GiB };
	uint32_t k[5] = { 0 };
	mr_t buf[8] = { { 0 } };
	void *argp = &arg;

	memset(&arg, 0, sizeof(arg));
	if (v->cmd == MEMLAYOUT_IOC_GET_RANGES) {
		arg.g.size = sizeof(arg.g);
		arg.g.flags = v->flags;
		arg.g.list = v->list;
		arg.g.count = v->count;
		arg.g.ranges_ptr = where_to(v->ptr, v->room, buf, sizeof(buf[0]));
	} else if (v->cmd == MEMLAYOUT_IOC_GET_STATS) {
		arg.st.size = sizeof(arg.st);
		arg.st.flags = v->flags;
		if (v->read_only_arg)
			argp = ro_copy(&arg.st, sizeof(arg.st));
	} else {
		arg.p.size = sizeof(arg.p);
		arg.p.flags = v->flags;
		arg.p.reserved = v->reserved;
		arg.p.count = v->past_max_probe ? self->max_probe + 1 : v->count;
		arg.p.addrs_ptr = where_to(v->ptr, v->room, a, sizeof(a[0]));
		arg.p.kinds_ptr = where_to(v->kinds, v->room, k, sizeof(k[0]));
	}
	RAW_REJECT(self->fd, v->cmd, argp, v->err, "%s", v->what);
}

TEST_F(ex5, probe_zero_addresses)
{
	struct memlayout_probe p;
	uint64_t gen = self->gen;
	int fd = self->fd;
	int r;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	r = xioctl(fd, MEMLAYOUT_IOC_PROBE, &p);
	CHECK(eqerr("PROBE", r, 0) & eq64("generation", p.generation, gen),
	    "PROBE of 0 addresses, NULL pointers -> ok with generation");
}

/* SPEC Q9 over a whole max_probe batch (GET_INFO.max_probe). */
TEST_F_TIMEOUT(ex5, probe_max_batch, 120)
{
	uint32_t max_probe = self->max_probe;
	uint64_t g2;
	int fd = self->fd;
	int r;

	/* The full MEMLAYOUT_MAX_PROBE batch, ascending over ex5. */
	{
		uint32_t n = max_probe, i, j = 0, bad = 0;
		uint64_t *aa = malloc(n * sizeof(*aa));
		uint32_t *kk = malloc((n + 1) * sizeof(*kk));
		static struct model m;
		double t0;

		model_build(&ex5, &m);
		if (!aa || !kk) {
			CHECK(false, "PROBE max_probe batch: out of memory");
		} else {
			for (i = 0; i < n; i++)
				aa[i] = (uint64_t)i * 9 * PG + (i & 7);	/* 0 .. ~36 GiB */
			kk[n] = 0x12345678;
			t0 = now_s();
			r = probe(fd, aa, kk, n, &g2);
			t0 = now_s() - t0;
			for (i = 0; !r && i < n; i++) {
				uint32_t want;

				while (j < m.n && m.e[j].end <= aa[i])
					j++;
				want = j < m.n && m.e[j].start <= aa[i] ? m.e[j].kind : K_NONE;
				if (kk[i] != want && bad++ < 5)
					diag("probe %#" PRIx64 ": expected %s got %s", aa[i],
					     kindname(want), kindname(kk[i]));
			}
			CHECK(eqerr("PROBE", r, 0) & eq64("wrong answers", bad, 0) &
			    eq64("kinds[n] untouched", kk[n], 0x12345678),
			    "PROBE of exactly max_probe (%u) ascending addresses: all match the model (%.2f s)",
			    n, t0);
		}
		free(aa);
		free(kk);
	}
}

/*
 * Commands are _IO(0xBA, nr) and matched exactly (UAPI header): other
 * numbers, other magics, any size or direction bits, and the round-1
 * _IOWR encodings are -ENOTTY.
 */
TEST_F(ex5, unknown_commands)
{
	static unsigned char arg[4096] __attribute__((aligned(8)));
	static const struct {
		const char *name;
		unsigned long cmd;
	} bad[] = {
		{ "nr 0x01 on the magic", _IO(MEMLAYOUT_IOC_MAGIC, 0x01) },
		{ "nr 0x15 on the magic", _IO(MEMLAYOUT_IOC_MAGIC, 0x15) },
		{ "nr 0x21 on the magic", _IO(MEMLAYOUT_IOC_MAGIC, 0x21) },
		{ "nr 0xff on the magic", _IO(MEMLAYOUT_IOC_MAGIC, 0xFF) },
		{ "round-1 GET_INFO (_IOWR)", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x00, struct memlayout_info) },
		{ "round-1 SET_LAYOUT (_IOWR)", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x10, struct memlayout_set) },
		{ "round-1 GET_STATS (_IOWR)", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x11, struct memlayout_stats) },
		{ "round-1 GET_RANGES (_IOWR)",
		  _IOWR(MEMLAYOUT_IOC_MAGIC, 0x12, struct memlayout_get_ranges) },
		{ "round-1 PROBE (_IOWR)", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x20, struct memlayout_probe) },
		{ "SET_LAYOUT nr with _IOR direction", _IOR(MEMLAYOUT_IOC_MAGIC, 0x10, struct memlayout_set) },
		{ "GET_INFO nr with _IOW direction", _IOW(MEMLAYOUT_IOC_MAGIC, 0x00, struct memlayout_info) },
		{ "GET_STATS nr with size bits only", _IOC(_IOC_NONE, MEMLAYOUT_IOC_MAGIC, 0x11, 8) },
		{ "GET_INFO on magic 0xBB", _IO(0xBB, 0x00) },
		{ "SET_LAYOUT on magic 0xB9", _IO(0xB9, 0x10) },
		{ "TCGETS", TCGETS },
	};
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(arg, 0, sizeof(arg));
		*(uint32_t *)arg = 64;
		RAW_REJECT(self->fd, bad[i].cmd, arg, -ENOTTY, "unknown command: %s", bad[i].name);
	}
	RAW_REJECT(self->fd, _IO(MEMLAYOUT_IOC_MAGIC, 0x01), NULL, -ENOTTY,
		   "unknown command with a NULL argument: ENOTTY before EFAULT");
}

TEST_HARNESS_MAIN
