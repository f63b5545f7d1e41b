// SPDX-License-Identifier: GPL-2.0
/*
 * limits_test - SPEC R8 and the max_ranges module parameter, and the
 * framing of every command: the leading size member (too small, over a
 * page, a non-zero tail, a zero tail, a grown struct) and the argument
 * pointer itself (see ml_test.h).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ml_test.h"

/* A file holding ex5; max_ranges is put back however a test ends. */
FIXTURE(ex5) {
	int fd;
	uint64_t gen;
	long long orig;
};

FIXTURE_SETUP(ex5)
{
	setup_pages();
	self->orig = read_num(PARAM_PATH);
	ASSERT_LT(0, self->orig) TH_LOG("read %s", PARAM_PATH);
	self->fd = open_ex5(&self->gen);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ex5)
{
	set_max_ranges(self->orig);
	close(self->fd);
}

/*
 * SPEC R8, one SET_LAYOUT per variant on a file holding ex5: with
 * max_ranges lowered to 4 through sysfs (GET_INFO must then report 4), or
 * at its default (max_ranges 0 below). An R8 rejection names the list and
 * the index max_ranges, the first range past the limit; it comes before
 * any copy from user memory and before every other rule, and the layout
 * stays. TAP names each case r8.<variant>.set_layout.
 */
static const mr_t five[5] = {
	R(10 * GiB, 11 * GiB), R(12 * GiB, 13 * GiB), R(14 * GiB, 15 * GiB),
	R(16 * GiB, 17 * GiB), R(18 * GiB, 19 * GiB),
};

FIXTURE(r8) {
	int fd;
	uint64_t gen;
	long long orig;
	uint32_t limit;		/* max_ranges during the test */
};

FIXTURE_VARIANT(r8) {
	const char *what;
	uint32_t max_ranges;	/* 0: the module's default */
	struct lay l;
	/* a change mkset() cannot express: a pointer or a count from run time */
	void (*fix)(struct memlayout_set *s, uint32_t limit);
	int err;		/* 0: accepted, the layout then as the model says */
	struct memlayout_reason why;	/* rule 8: index = the limit */
};

FIXTURE_SETUP(r8)
{
	struct memlayout_info in = { .size = sizeof(in) };

	setup_pages();
	self->orig = read_num(PARAM_PATH);
	ASSERT_LT(0, self->orig) TH_LOG("read %s", PARAM_PATH);
	self->fd = open_ex5(&self->gen);
	ASSERT_LE(0, self->fd);
	if (variant->max_ranges)
		ASSERT_EQ(0, set_max_ranges(variant->max_ranges))
			TH_LOG("write max_ranges=%u", variant->max_ranges);
	ASSERT_EQ(0, xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in));
	if (variant->max_ranges)
		ASSERT_EQ(variant->max_ranges, in.max_ranges)
			TH_LOG("max_ranges lowered via sysfs; GET_INFO reports it");
	self->limit = in.max_ranges;
	ASSERT_EQ((uint64_t)read_num(PARAM_PATH), (uint64_t)self->limit);
}

FIXTURE_TEARDOWN(r8)
{
	set_max_ranges(self->orig);
	close(self->fd);
}

static void nr_mmio_past_limit(struct memlayout_set *s, uint32_t limit)
{
	s->nr_mmio = limit + 1;
}

static void pci_mmio_at_prot_none(struct memlayout_set *s, uint32_t limit)
{
	s->pci_mmio_ptr = U64P(PAGE_NONE);
}

#define TOO_MANY(l)	{ .rule = MEMLAYOUT_RULE_TOO_MANY, .list = (l) }

FIXTURE_VARIANT_ADD(r8, r8_5_mmio_with_max_ranges_4) {
	.what = "R8: 5 mmio with max_ranges 4",
	.max_ranges = 4,
	.l = { C1(GiB), .mmio = five, .nr_mmio = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_MMIO),
};

FIXTURE_VARIANT_ADD(r8, r8_5_pci_ecam_with_max_ranges_4) {
	.what = "R8: 5 pci_ecam with max_ranges 4",
	.max_ranges = 4,
	.l = { C1(GiB), .ecam = five, .nr_ecam = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_ECAM),
};

FIXTURE_VARIANT_ADD(r8, r8_5_pci_mmio_with_max_ranges_4) {
	.what = "R8: 5 pci_mmio with max_ranges 4",
	.max_ranges = 4,
	.l = { C1(GiB), .pmmio = five, .nr_pmmio = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_PMMIO),
};

FIXTURE_VARIANT_ADD(r8, r8_5_c3_ram_ranges_with_max_ranges_4) {
	.what = "R8: 5 C3 ram ranges with max_ranges 4",
	.max_ranges = 4,
	.l = { C3_NORAM, .ram = five, .nr_ram = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_RAM),
};

FIXTURE_VARIANT_ADD(r8, r8_5_c2_nodes_with_max_ranges_4) {
	.what = "R8: 5 C2 nodes with max_ranges 4",
	.max_ranges = 4,
	.l = { C2(GiB, GiB, GiB, GiB, GiB) },
	.err = -E2BIG, .why = TOO_MANY(L_NODES),
};

FIXTURE_VARIANT_ADD(r8, r8_before_any_copy_5_pci_mmio_at_a_prot_none_pointer) {
	.what = "R8 before any copy: 5 pci_mmio at a PROT_NONE pointer",
	.max_ranges = 4,
	.l = { C1(GiB), .pmmio = five, .nr_pmmio = 5 },
	.fix = pci_mmio_at_prot_none,
	.err = -E2BIG, .why = TOO_MANY(L_PMMIO),
};

FIXTURE_VARIANT_ADD(r8, order_r8_before_r1) {
	.what = "order: R8 before R1",
	.max_ranges = 4,
	.l = { C1(0), .mmio = five, .nr_mmio = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_MMIO),
};

FIXTURE_VARIANT_ADD(r8, order_r8_on_ram_before_mmio) {
	.what = "order: R8 on ram before mmio",
	.max_ranges = 4,
	.l = { C3_NORAM, .ram = five, .nr_ram = 5, .mmio = five, .nr_mmio = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_RAM),
};

FIXTURE_VARIANT_ADD(r8, order_r8_on_hole_lists_before_nodes) {
	.what = "order: R8 on hole lists before nodes",
	.max_ranges = 4,
	.l = { C2(GiB, GiB, GiB, GiB, GiB), .ecam = five, .nr_ecam = 5 },
	.err = -E2BIG, .why = TOO_MANY(L_ECAM),
};

FIXTURE_VARIANT_ADD(r8, r8_boundary_exactly_4_mmio_with_max_ranges_4_accepted) {
	.what = "R8 boundary: exactly 4 mmio with max_ranges 4 accepted",
	.max_ranges = 4,
	.l = { C1(GiB), .mmio = five, .nr_mmio = 4 },
};

/* At the default limit: huge counts fail before any copy. */
FIXTURE_VARIANT_ADD(r8, r8_nr_mmio_max_ranges_1_n) {
	.what = "R8: nr_mmio = max_ranges+1",
	.l = { C1(GiB), .mmio = five, .nr_mmio = 5 },
	.fix = nr_mmio_past_limit,
	.err = -E2BIG, .why = TOO_MANY(L_MMIO),
};

FIXTURE_VARIANT_ADD(r8, r8_nr_mmio_0xffffffff) {
	.what = "R8: nr_mmio = 0xffffffff",
	.l = { C1(GiB), .mmio = five, .nr_mmio = 0xFFFFFFFFU },
	.err = -E2BIG, .why = TOO_MANY(L_MMIO),
};

FIXTURE_VARIANT_ADD(r8, r8_nr_nodes_0xffffffff) {
	.what = "R8: nr_nodes = 0xffffffff",
	.l = { .source = MEMLAYOUT_SOURCE_NODES, .nodes = (uint64_t[]){ GiB },
	       .nr_nodes = 0xFFFFFFFFU },
	.err = -E2BIG, .why = TOO_MANY(L_NODES),
};

FIXTURE_VARIANT_ADD(r8, r8_nr_ram_0xffffffff) {
	.what = "R8: nr_ram = 0xffffffff",
	.l = { C3_NORAM, .ram = (mr_t[]){ R(0, GiB) }, .nr_ram = 0xFFFFFFFFU },
	.err = -E2BIG, .why = TOO_MANY(L_RAM),
};

FIXTURE_VARIANT_ADD(r8, order_pointer_count_pair_before_r8) {
	.what = "order: pointer/count pair before R8 (nr_pci_mmio = 2^31, NULL pointer)",
	.l = { C1(GiB), .pmmio = NULL, .nr_pmmio = 0x80000000U },
	.err = -EINVAL,
	.why = { .rule = MEMLAYOUT_REASON_RESERVED, .list = L_NONE,
		 .field = offsetof(struct memlayout_set, pci_mmio_ptr) },
};

/* The variant's request gets its answer; a rejection leaves ex5. */
TEST_F(r8, set_layout)
{
	struct memlayout_set s = mkset(&variant->l);
	struct memlayout_reason why = variant->why;
	int r;

	if (variant->fix)
		variant->fix(&s, self->limit);
	if (why.rule == MEMLAYOUT_RULE_TOO_MANY)
		why.index = self->limit;
	if (variant->err) {
		EXPECT_TRUE(rej_reason(self->fd, &s, variant->err, &why, variant->what))
			TH_LOG("max_ranges %u", self->limit);
		return;
	}
	r = do_set(self->fd, &s);
	CHECK(eqerr("SET", r, 0) && check_model(self->fd, &variant->l, s.generation),
	      "%s", variant->what);
}

/* The module parameter's bounds: 1..65536 (Documentation/admin-guide.rst). */
TEST_F(ex5, max_ranges_bounds)
{
	struct memlayout_info in;
	long long v;
	int r;

	ASSERT_EQ(0, set_max_ranges(4));
	r = set_max_ranges(0);
	v = read_num(PARAM_PATH);
	CHECK(eqerr("write 0", r, -EINVAL) & eq64("value", (uint64_t)v, 4),
	      "max_ranges=0 rejected by sysfs (EINVAL), value stays 4");
	r = set_max_ranges(65537);
	v = read_num(PARAM_PATH);
	CHECK(eqerr("write 65537", r, -EINVAL) & eq64("value", (uint64_t)v, 4),
	      "max_ranges=65537 rejected by sysfs (EINVAL), value stays 4");
	r = set_max_ranges(1048576);
	v = read_num(PARAM_PATH);
	CHECK(eqerr("write 1048576", r, -EINVAL) & eq64("value", (uint64_t)v, 4),
	      "max_ranges=1048576 (the old ceiling) rejected, value stays 4");
	r = set_max_ranges(65536);
	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in);
	CHECK(eqerr("write 65536", r, 0) & eq64("GET_INFO.max_ranges", in.max_ranges, 65536),
	      "max_ranges=65536 accepted, GET_INFO reports it");
	set_max_ranges(self->orig);
	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	xioctl(self->fd, MEMLAYOUT_IOC_GET_INFO, &in);
	CHECK(eq64("param", (uint64_t)read_num(PARAM_PATH), (uint64_t)self->orig) &
	      eq64("GET_INFO.max_ranges", in.max_ranges, (uint64_t)self->orig),
	      "max_ranges restored to %lld", self->orig);
}

/*
 * Framing (UAPI header, "Errors common to every command"), per command:
 * a struct smaller than its first version is -EINVAL with nothing
 * written; over a page, or with non-zero bytes past the end the kernel
 * knows, -E2BIG, and SET_LAYOUT then replies MEMLAYOUT_REASON_SIZE with
 * the offset of the first such byte (0 when the size is over a page).
 */
FIXTURE(frame) {
	int fd;
	uint64_t gen;
	unsigned char *big;	/* two pages and a bit, 8-aligned */
};

FIXTURE_VARIANT(frame) {
	const char *name;
	unsigned long cmd;
	uint32_t ver0;		/* MEMLAYOUT_*_SIZE_VER0 */
	uint32_t kernel_size;	/* sizeof() in the header built against */
	bool is_set;
};

FIXTURE_VARIANT_ADD(frame, get_info) {
	"GET_INFO", MEMLAYOUT_IOC_GET_INFO, MEMLAYOUT_INFO_SIZE_VER0,
	sizeof(struct memlayout_info), false,
};

FIXTURE_VARIANT_ADD(frame, set_layout) {
	"SET_LAYOUT", MEMLAYOUT_IOC_SET_LAYOUT, MEMLAYOUT_SET_SIZE_VER0,
	sizeof(struct memlayout_set), true,
};

FIXTURE_VARIANT_ADD(frame, get_stats) {
	"GET_STATS", MEMLAYOUT_IOC_GET_STATS, MEMLAYOUT_STATS_SIZE_VER0,
	sizeof(struct memlayout_stats), false,
};

FIXTURE_VARIANT_ADD(frame, get_ranges) {
	"GET_RANGES", MEMLAYOUT_IOC_GET_RANGES, MEMLAYOUT_GET_RANGES_SIZE_VER0,
	sizeof(struct memlayout_get_ranges), false,
};

FIXTURE_VARIANT_ADD(frame, probe) {
	"PROBE", MEMLAYOUT_IOC_PROBE, MEMLAYOUT_PROBE_SIZE_VER0,
	sizeof(struct memlayout_probe), false,
};

#define BIG_SIZE	(2 * 4096 + 64)

static const uint64_t paddr[2] = { 0, 5 * GiB };
static uint32_t pkind[2];
static mr_t rbuf[8];
static const struct lay frame_lay = { C3(R(0, 3 * GiB)), MMIO(R(3 * GiB, 4 * GiB)) };

/* A valid first-version argument for the variant's command into @buf. */
static void valid_arg(const FIXTURE_VARIANT(frame) *v, unsigned char *buf)
{
	memset(buf, 0, BIG_SIZE);
	if (v->cmd == MEMLAYOUT_IOC_GET_INFO) {
		struct memlayout_info in = { .size = sizeof(in) };

		memcpy(buf, &in, v->ver0);
	} else if (v->cmd == MEMLAYOUT_IOC_SET_LAYOUT) {
		struct memlayout_set s = mkset(&frame_lay);

		memcpy(buf, &s, v->ver0);
	} else if (v->cmd == MEMLAYOUT_IOC_GET_STATS) {
		struct memlayout_stats st = { .size = sizeof(st) };

		memcpy(buf, &st, v->ver0);
	} else if (v->cmd == MEMLAYOUT_IOC_GET_RANGES) {
		struct memlayout_get_ranges gr = {
			.size = sizeof(gr), .list = L_RAM, .count = 8,
			.ranges_ptr = U64P(rbuf),
		};

		memcpy(buf, &gr, v->ver0);
	} else {
		struct memlayout_probe pr = {
			.size = sizeof(pr), .count = 2, .addrs_ptr = U64P(paddr),
			.kinds_ptr = U64P(pkind),
		};

		memcpy(buf, &pr, v->ver0);
	}
}

FIXTURE_SETUP(frame)
{
	setup_pages();
	self->fd = open_dev();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, set_lay(self->fd, &ex5, &self->gen));
	self->big = aligned_alloc(64, BIG_SIZE);
	ASSERT_TRUE(self->big != NULL);
}

FIXTURE_TEARDOWN(frame)
{
	free(self->big);
	close(self->fd);
}

/*
 * The command with size @size must give -E2BIG and leave the layout. A
 * SET_LAYOUT replies REASON_SIZE naming @field (generation 0, nothing
 * past its struct written); any other command writes nothing at all.
 */
static bool frame_e2big(int fd, const FIXTURE_VARIANT(frame) *v, unsigned char *big,
			uint32_t size, uint32_t field, const char *what)
{
	static unsigned char before[BIG_SIZE];
	struct memlayout_set *s = (struct memlayout_set *)big;
	struct snap snap;
	uint32_t from = 0;
	bool ok = true;
	int r;

	*(uint32_t *)big = size;
	if (v->is_set)
		memset(&s->reason, 0xEE, sizeof(s->reason));
	memcpy(before, big, BIG_SIZE);
	take_snap(fd, &snap);
	r = xioctl(fd, v->cmd, big);
	ok &= eqerr(v->name, r, -E2BIG);
	if (v->is_set) {
		ok &= eq64("reason.rule", s->reason.rule, MEMLAYOUT_REASON_SIZE);
		ok &= eq64("reason.field", s->reason.field, field);
		ok &= eq64("reason.list", s->reason.list, 0);
		ok &= eq64("reason.index", s->reason.index, 0);
		ok &= eq64("reason.other_list", s->reason.other_list, 0);
		ok &= eq64("reason.other_index", s->reason.other_index, 0);
		ok &= eq64("generation", s->generation, 0);
		ok &= eq64("size", s->size, size);
		from = v->kernel_size;
	}
	if (memcmp(big + from, before + from, BIG_SIZE - from)) {
		diag("%s wrote bytes at or past offset %u", v->name, from);
		ok = false;
	}
	ok &= snap_same(fd, &snap);
	if (!ok)
		diag("failed: %s %s -> E2BIG", v->name, what);
	return ok;
}

TEST_F(frame, smaller_than_first_version)
{
	static const uint32_t small[] = { 0, 4, 8 };
	uint32_t j, bad;

	for (j = 0; j < ARRAY_SIZE(small) + 1; j++) {
		bad = j < ARRAY_SIZE(small) ? small[j] : variant->ver0 - 1;
		valid_arg(variant, self->big);
		*(uint32_t *)self->big = bad;
		RAW_REJECT(self->fd, variant->cmd, self->big, -EINVAL, "%s size %u (< VER0 %u)",
			   variant->name, bad, variant->ver0);
	}
}

TEST_F(frame, larger_than_a_page)
{
	valid_arg(variant, self->big);
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, 4097, 0, "size 4097"));
	valid_arg(variant, self->big);
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, 0xFFFFFFFFU, 0, "size 0xffffffff"));
	valid_arg(variant, self->big);
	self->big[4200] = 1;	/* over a page: the size itself is named */
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, 4097 + 200, 0,
				"size 4297, non-zero byte at 4200"));
}

TEST_F(frame, non_zero_tail)
{
	uint32_t k = variant->kernel_size;

	valid_arg(variant, self->big);
	self->big[k + 7] = 1;
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, k + 8, k + 7,
				"size +8, tail byte 7 set"));
	valid_arg(variant, self->big);
	self->big[4095] = 0x80;
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, 4096, 4095,
				"size 4096, last byte set"));
	valid_arg(variant, self->big);
	self->big[k] = 0xFF;
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, k + 1, k,
				"size +1, that byte set"));
	valid_arg(variant, self->big);
	self->big[k + 100] = 1;
	self->big[k + 300] = 1;
	EXPECT_TRUE(frame_e2big(self->fd, variant, self->big, k + 512, k + 100,
				"size +512, two bytes set: the first is named"));
}

/* A zero tail up to a page is accepted; nothing past VER0 is written. */
TEST_F(frame, zero_tail_up_to_a_page)
{
	struct snap before;
	uint32_t j;
	bool ok;
	int r;

	valid_arg(variant, self->big);
	take_snap(self->fd, &before);
	*(uint32_t *)self->big = 4096;
	r = xioctl(self->fd, variant->cmd, self->big);
	ok = eqerr(variant->name, r, 0);
	/* The reply covers min(size, the kernel's struct): never past it. */
	for (j = variant->kernel_size; j < BIG_SIZE; j++)
		if (self->big[j]) {
			diag("byte %u past the kernel's struct written (%#x)", j, self->big[j]);
			ok = false;
			break;
		}
	if (variant->is_set) {
		const struct memlayout_set *gs = (const void *)self->big;

		ok &= eq64("generation", gs->generation, before.st.generation + 1);
		ok &= check_model(self->fd, &frame_lay, gs->generation);
	} else {
		ok &= snap_same(self->fd, &before);
	}
	CHECK(ok, "%s size 4096 with zero tail accepted, reply not written past the kernel's struct%s",
	      variant->name, variant->is_set ? ", layout set" : "");
}

/* A grown struct keeps its command: _IO numbers carry no size. */
TEST_F(frame, grown_struct_same_command)
{
	valid_arg(variant, self->big);
	*(uint32_t *)self->big = variant->ver0 + 16;
	CHECK(eqerr(variant->name, xioctl(self->fd, variant->cmd, self->big), 0),
	      "%s with a grown struct (size VER0+16, zero tail) on the same command accepted",
	      variant->name);
}

/* The argument pointer itself (UAPI: -EFAULT, the layout stays). */
TEST_F(frame, unreadable_argument)
{
	unsigned char *straddle = PAGE_NONE - 4;

	RAW_REJECT(self->fd, variant->cmd, NULL, -EFAULT, "%s with a NULL argument",
		   variant->name);
	RAW_REJECT(self->fd, variant->cmd, PAGE_NONE, -EFAULT, "%s argument in a PROT_NONE page",
		   variant->name);
	*(uint32_t *)straddle = variant->ver0;	/* size readable, rest not */
	RAW_REJECT(self->fd, variant->cmd, straddle, -EFAULT,
		   "%s argument whose size is readable but body is not", variant->name);
	{
		unsigned char *tail = PAGE_NONE - variant->ver0;

		valid_arg(variant, self->big);
		memcpy(tail, self->big, variant->ver0);
		*(uint32_t *)tail = variant->ver0 + 8;
		RAW_REJECT(self->fd, variant->cmd, tail, -EFAULT,
			   "%s size VER0+8 whose tail is in a PROT_NONE page", variant->name);
	}
}

/* The reply cannot be written: SET_LAYOUT fails and changes nothing. */
TEST_F(ex5, set_layout_reply_unwritable)
{
	struct memlayout_set rs = mkset(&(struct lay){ C1(3 * GiB) });

	RAW_REJECT(self->fd, MEMLAYOUT_IOC_SET_LAYOUT, ro_copy(&rs, sizeof(rs)), -EFAULT,
		   "SET_LAYOUT with a read-only argument (reply unwritable)");
}

TEST_HARNESS_MAIN
