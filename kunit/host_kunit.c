// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_host: the pure half of host fit (SPEC H1-H3),
 * memlayout_host_fit() over synthetic host facts, and the interface's
 * checks of a CHECK_HOST command and its device records,
 * memlayout_check_host_args() and memlayout_check_host_device().
 *
 * Every row builds a C3 layout, gives the host's facts (CPU width,
 * devices with their flags, aperture and reserved regions) and lists,
 * written by hand from SPEC and the UAPI header's "DOC: Host fit", every
 * conflict in the documented order: all H1 conflicts in address order,
 * then per device in the caller's order its H2 conflicts in address
 * order, then its H3 conflicts region by region, each in address order,
 * VTL2 at its place by address. Each conflict is compared member by
 * member (rule, list and index in the list, device, the layout range, the
 * host range, type, flags, phys_bits, reserved); the count with no sink
 * must equal the number emitted, and -EINVAL rows must emit nothing.
 */
#include "kunit_util.h"

#define H_G39		BIT_ULL(39)
#define H_G40		BIT_ULL(40)
#define H_MSI		0xfee00000ULL
#define H_MSI_LAST	0xfeefffffULL
#define H_MSI_END	(H_MSI_LAST + 1)

/* Device flags. */
#define H_IOMMU		MEMLAYOUT_DEVICE_IOMMU
#define H_APER		(MEMLAYOUT_DEVICE_IOMMU | MEMLAYOUT_DEVICE_APERTURE)

/* A reserved region [s, l] of type MEMLAYOUT_RESV_<t>; a relaxable one. */
#define REG(t, s, l)	{ .type = MEMLAYOUT_RESV_##t, .start = (s), .last = (l) }
#define REGF(t, s, l, f) { .type = MEMLAYOUT_RESV_##t, .start = (s),	\
			  .last = (l), .flags = (f) }
#define RELAX(s, l)	{ .type = MEMLAYOUT_RESV_DIRECT, .start = (s),	\
			  .last = (l), .flags = MEMLAYOUT_HOST_RELAXABLE }
#define H_REGS(...)							\
	.resv = (const struct memlayout_host_region[]){ __VA_ARGS__ },	\
	.nr_resv = (u32)(sizeof((const struct memlayout_host_region[]){	\
		__VA_ARGS__ }) / sizeof(struct memlayout_host_region))

/* A device with an enforced aperture [s, l]; one with an IOMMU only. */
#define DEV_AP(s, l, ...) { .flags = H_APER, .aperture_start = (s),	\
			    .aperture_last = (l), __VA_ARGS__ }
#define DEV_IO(...)	{ .flags = H_IOMMU, __VA_ARGS__ }
/* Any flags. */
#define DEV_F(f, ...)	{ .flags = (f), __VA_ARGS__ }

#define H_DEVS(...)							\
	.devices = (const struct memlayout_host_dev[]){ __VA_ARGS__ },	\
	.nr_devices = (u32)(sizeof((const struct memlayout_host_dev[]){	\
		__VA_ARGS__ }) / sizeof(struct memlayout_host_dev))

/* Expected conflicts. */
#define WH1(l, i, s, e, hs) { .rule = MEMLAYOUT_HOST_CPU_WIDTH,		\
	.list = MEMLAYOUT_LIST_##l, .index = (i),			\
	.device = MEMLAYOUT_NO_DEVICE, .start = (s), .end = (e),	\
	.host_start = (hs), .host_last = U64_MAX }
#define WH2(d, l, i, s, e, as, al) { .rule = MEMLAYOUT_HOST_APERTURE,	\
	.list = MEMLAYOUT_LIST_##l, .index = (i), .device = (d),	\
	.start = (s), .end = (e), .host_start = (as), .host_last = (al) }
#define WH3(d, l, i, s, e, t, rs, rl, f) {				\
	.rule = MEMLAYOUT_HOST_RESERVED, .list = MEMLAYOUT_LIST_##l,	\
	.index = (i), .device = (d), .start = (s), .end = (e),		\
	.host_start = (rs), .host_last = (rl),				\
	.host_type = MEMLAYOUT_RESV_##t, .host_flags = (f) }
#define H_WANT(...)							\
	.want = (const struct memlayout_host_conflict[]){ __VA_ARGS__ },	\
	.nr_want = (u32)(sizeof((const struct memlayout_host_conflict[]){ \
		__VA_ARGS__ }) / sizeof(struct memlayout_host_conflict))

#define C3(...)	.req = { .source = MEMLAYOUT_FROM_RANGES, __VA_ARGS__ }

/**
 * struct host_case - one row
 * @desc: what the row checks, with its SPEC rule.
 * @req: the layout (C3).
 * @phys_bits: the host CPU's width (H1).
 * @devices: the devices, in the caller's order.
 * @nr_devices: their number.
 * @errno: 0, or -EINVAL for malformed facts.
 * @want: every conflict, in the documented order.
 * @nr_want: their number.
 */
struct host_case {
	const char *desc;
	struct memlayout_request req;
	u32 phys_bits;
	const struct memlayout_host_dev *devices;
	u32 nr_devices;
	int errno;
	const struct memlayout_host_conflict *want;
	u32 nr_want;
};

/**
 * struct host_sink - what the emit callback records
 * @got: the conflicts, up to @cap.
 * @cap: room in @got.
 * @n: calls so far.
 * @stop_at: return @stop_ret from call number @stop_at (1-based); 0: never.
 * @stop_ret: what to return then.
 */
struct host_sink {
	struct memlayout_host_conflict *got;
	u32 cap;
	u32 n;
	u32 stop_at;
	int stop_ret;
};

static int host_emit(void *ctx, const struct memlayout_host_conflict *c)
{
	struct host_sink *s = ctx;

	if (s->n < s->cap)
		s->got[s->n] = *c;
	s->n++;
	return s->n == s->stop_at ? s->stop_ret : 0;
}

static void host_case_desc(const struct host_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

/* Expect @got[0 .. n) to be @want[0 .. n), phys_bits @bits in each. */
static void host_expect_conflicts(struct kunit *test,
				  const struct memlayout_host_conflict *got,
				  const struct memlayout_host_conflict *want,
				  u32 n, u32 bits)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct memlayout_host_conflict *g = &got[i], *w = &want[i];

		KUNIT_EXPECT_EQ_MSG(test, g->rule, w->rule, "conflict %u rule", i);
		KUNIT_EXPECT_EQ_MSG(test, g->list, w->list, "conflict %u list", i);
		KUNIT_EXPECT_EQ_MSG(test, g->index, w->index, "conflict %u index", i);
		KUNIT_EXPECT_EQ_MSG(test, g->device, w->device, "conflict %u device", i);
		KUNIT_EXPECT_EQ_MSG(test, g->start, w->start, "conflict %u start", i);
		KUNIT_EXPECT_EQ_MSG(test, g->end, w->end, "conflict %u end", i);
		KUNIT_EXPECT_EQ_MSG(test, g->host_start, w->host_start,
				    "conflict %u host_start", i);
		KUNIT_EXPECT_EQ_MSG(test, g->host_last, w->host_last,
				    "conflict %u host_last", i);
		KUNIT_EXPECT_EQ_MSG(test, g->host_type, w->host_type,
				    "conflict %u host_type", i);
		KUNIT_EXPECT_EQ_MSG(test, g->host_flags, w->host_flags,
				    "conflict %u host_flags", i);
		/* "DOC: Host fit": the CPU width is in every conflict */
		KUNIT_EXPECT_EQ_MSG(test, g->phys_bits, bits, "conflict %u phys_bits", i);
		KUNIT_EXPECT_EQ_MSG(test, g->reserved, 0U, "conflict %u reserved", i);
	}
}

/*
 * memlayout_host_fit() on @l and @h with a recording sink: the return,
 * the count and every conflict, then again without a sink (the count
 * alone must agree) and with @may_sleep flipped (the same answer).
 */
static void host_expect_fit(struct kunit *test, const struct memlayout *l,
			    const struct memlayout_host_facts *h, int errno,
			    const struct memlayout_host_conflict *want,
			    u32 nr_want)
{
	struct host_sink s = { .cap = nr_want + 1 };
	u32 count = 0xa5a5a5a5;
	int pass;

	s.got = kunit_kcalloc(test, s.cap, sizeof(*s.got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.got);
	for (pass = 0; pass < 2; pass++) {
		s.n = 0;
		memset(s.got, 0xa5, s.cap * sizeof(*s.got));
		count = 0xa5a5a5a5;
		KUNIT_EXPECT_EQ_MSG(test, memlayout_host_fit(l, h, host_emit, &s,
							     &count, pass),
				    errno, "may_sleep %d", pass);
		KUNIT_EXPECT_EQ_MSG(test, s.n, nr_want, "conflicts emitted");
		KUNIT_EXPECT_EQ_MSG(test, count, nr_want, "count");
		host_expect_conflicts(test, s.got, want, min(s.n, nr_want),
				      h->phys_bits);

		/* Count only: the same number, nothing to emit to. */
		count = 0xa5a5a5a5;
		KUNIT_EXPECT_EQ(test, memlayout_host_fit(l, h, NULL, NULL,
							 &count, pass),
				errno);
		KUNIT_EXPECT_EQ_MSG(test, count, nr_want, "count with no sink");
	}
}

static void host_run(struct kunit *test)
{
	const struct host_case *c = test->param_value;
	const struct memlayout_host_facts h = {
		.phys_bits = c->phys_bits,
		.nr_devices = c->nr_devices,
		.devices = c->devices,
	};

	host_expect_fit(test, ml_build_ok(test, &c->req), &h, c->errno,
			c->want, c->nr_want);
}

/* One KUnit case per table, each row through host_run(). */
static void host_cpu_width(struct kunit *test)
{
	host_run(test);
}

static void host_aperture(struct kunit *test)
{
	host_run(test);
}

static void host_reserved(struct kunit *test)
{
	host_run(test);
}

static void host_order(struct kunit *test)
{
	host_run(test);
}

static void host_malformed(struct kunit *test)
{
	host_run(test);
}

/* ---- H1: the CPU's physical address width ---- */

static const struct host_case host_h1_cases[] = {
	{
		.desc = "H1: RAM ending exactly at 2^39 fits",
		C3(ML_LIST(ram, R(0, H_G39))),
		.phys_bits = 39,
	}, {
		.desc = "H1: RAM one page past 2^39 conflicts, host range [2^39, U64_MAX]",
		C3(ML_LIST(ram, R(0, H_G39 + ML_PAGE))),
		.phys_bits = 39,
		H_WANT(WH1(RAM, 0, 0, H_G39 + ML_PAGE, H_G39)),
	}, {
		.desc = "H1: RAM starting at 2^39 conflicts, the one ending there not",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, H_G39),
			   R(H_G39, H_G39 + ML_PAGE))),
		.phys_bits = 39,
		H_WANT(WH1(RAM, 2, H_G39, H_G39 + ML_PAGE, H_G39)),
	}, {
		.desc = "H1: 2^40: a hole ending at 2^40 fits, one past it conflicts",
		C3(ML_LIST(ram, R(0, ML_GB(2))),
		   ML_LIST(mmio, R(H_G40 - ML_PAGE, H_G40)),
		   ML_LIST(pci_mmio, R(H_G40, H_G40 + ML_PAGE))),
		.phys_bits = 40,
		H_WANT(WH1(PCI_MMIO, 0, H_G40, H_G40 + ML_PAGE, H_G40)),
	}, {
		.desc = "H1: phys_bits 64 never conflicts, not even at MAX_ADDRESS",
		C3(ML_LIST(ram, R(0, ML_TB(1))),
		   ML_LIST(mmio, R(ML_MAX - ML_PAGE, ML_MAX)),
		   ML_VTL2(ML_MAX - 3 * ML_PAGE, ML_MAX - ML_PAGE)),
		.phys_bits = 64,
	}, {
		.desc = "H1: phys_bits 63: host range [2^63, U64_MAX]",
		C3(ML_LIST(ram, R(0, BIT_ULL(63))),
		   ML_LIST(mmio, R(ML_MAX - ML_PAGE, ML_MAX))),
		.phys_bits = 63,
		H_WANT(WH1(MMIO, 0, ML_MAX - ML_PAGE, ML_MAX, BIT_ULL(63))),
	}, {
		.desc = "H1: phys_bits 1: every range conflicts, host range [2, U64_MAX]",
		C3(ML_LIST(ram, R(0, ML_PAGE)),
		   ML_LIST(pci_ecam, R(ML_PAGE, 2 * ML_PAGE))),
		.phys_bits = 1,
		H_WANT(WH1(RAM, 0, 0, ML_PAGE, 2),
		       WH1(PCI_ECAM, 0, ML_PAGE, 2 * ML_PAGE, 2)),
	}, {
		.desc = "H1: holes and VTL2 count, in address order, VTL2 at its address",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, H_G39)),
		   ML_LIST(mmio, R(ML_GB(2), ML_4G), R(H_G40, H_G40 + ML_PAGE)),
		   ML_LIST(pci_ecam, R(H_G39, H_G39 + ML_MB(256))),
		   ML_LIST(pci_mmio, R(H_G39 + ML_GB(1), H_G39 + ML_GB(2))),
		   ML_VTL2(H_G39 + ML_MB(256), H_G39 + ML_MB(512))),
		.phys_bits = 39,
		H_WANT(WH1(PCI_ECAM, 0, H_G39, H_G39 + ML_MB(256), H_G39),
		       WH1(VTL2, 0, H_G39 + ML_MB(256), H_G39 + ML_MB(512), H_G39),
		       WH1(PCI_MMIO, 0, H_G39 + ML_GB(1), H_G39 + ML_GB(2), H_G39),
		       WH1(MMIO, 1, H_G40, H_G40 + ML_PAGE, H_G39)),
	}, {
		.desc = "H1: VTL2 ending exactly at 2^39 fits",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_VTL2(H_G39 - ML_MB(2), H_G39)),
		.phys_bits = 39,
	}, {
		.desc = "H1: VTL2 alone past 2^39 conflicts (list VTL2, index 0)",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_LIST(mmio, R(H_G39 - ML_MB(4), H_G39 - ML_MB(2))),
		   ML_VTL2(H_G39 - ML_MB(2), H_G39 + ML_PAGE)),
		.phys_bits = 39,
		H_WANT(WH1(VTL2, 0, H_G39 - ML_MB(2), H_G39 + ML_PAGE, H_G39)),
	}, {
		.desc = "H1: VTL2 below the last conflicting hole comes first",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_LIST(mmio, R(ML_GB(2), ML_GB(3)), R(ML_GB(5), ML_GB(6))),
		   ML_VTL2(ML_GB(3), ML_GB(4))),
		.phys_bits = 31,
		H_WANT(WH1(MMIO, 0, ML_GB(2), ML_GB(3), ML_GB(2)),
		       WH1(VTL2, 0, ML_GB(3), ML_GB(4), ML_GB(2)),
		       WH1(MMIO, 1, ML_GB(5), ML_GB(6), ML_GB(2))),
	},
};

KUNIT_ARRAY_PARAM(host_h1, host_h1_cases, host_case_desc);

/* ---- H2: the IOMMU aperture ---- */

#define AP39	DEV_AP(0, H_G39 - 1)

static const struct host_case host_h2_cases[] = {
	{
		.desc = "H2: RAM entirely inside the aperture fits, holes outside ignored",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, ML_GB(8))),
		   ML_LIST(mmio, R(ML_GB(2), ML_4G)),
		   ML_LIST(pci_mmio, R(H_G40, H_G40 + ML_GB(1)))),
		.phys_bits = 64,
		H_DEVS(AP39),
	}, {
		.desc = "H2: RAM ending at aperture_last + 1 fits",
		C3(ML_LIST(ram, R(0, H_G39))),
		.phys_bits = 64,
		H_DEVS(AP39),
	}, {
		.desc = "H2: RAM one page past aperture_last + 1 conflicts",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, H_G39 + ML_PAGE))),
		.phys_bits = 64,
		H_DEVS(AP39),
		H_WANT(WH2(0, RAM, 1, ML_4G, H_G39 + ML_PAGE, 0, H_G39 - 1)),
	}, {
		.desc = "H2: aperture_last one byte short of RAM's last byte conflicts",
		C3(ML_LIST(ram, R(0, H_G39))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(0, H_G39 - 2)),
		H_WANT(WH2(0, RAM, 0, 0, H_G39, 0, H_G39 - 2)),
	}, {
		.desc = "H2: RAM starting below aperture_start conflicts, at it fits",
		C3(ML_LIST(ram, R(0, ML_KB(640)), R(ML_MB(1), ML_GB(2)))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_MB(1), H_G39 - 1)),
		H_WANT(WH2(0, RAM, 0, 0, ML_KB(640), ML_MB(1), H_G39 - 1)),
	}, {
		.desc = "H2: RAM starting one byte below an unaligned aperture_start",
		C3(ML_LIST(ram, R(0, ML_PAGE), R(2 * ML_PAGE, 3 * ML_PAGE))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(2 * ML_PAGE + 1, U64_MAX)),
		H_WANT(WH2(0, RAM, 0, 0, ML_PAGE, 2 * ML_PAGE + 1, U64_MAX),
		       WH2(0, RAM, 1, 2 * ML_PAGE, 3 * ML_PAGE, 2 * ML_PAGE + 1,
			   U64_MAX)),
	}, {
		.desc = "H2: a RAM range enclosing the whole aperture, and the others",
		C3(ML_LIST(ram, R(0, ML_PAGE), R(ML_MB(512), ML_GB(3)),
			   R(ML_4G, ML_GB(5))),
		   ML_LIST(mmio, R(ML_GB(3), ML_4G)),
		   ML_VTL2(ML_GB(6), ML_GB(7))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(1), ML_GB(2) - 1)),
		H_WANT(WH2(0, RAM, 0, 0, ML_PAGE, ML_GB(1), ML_GB(2) - 1),
		       WH2(0, RAM, 1, ML_MB(512), ML_GB(3), ML_GB(1), ML_GB(2) - 1),
		       WH2(0, RAM, 2, ML_4G, ML_GB(5), ML_GB(1), ML_GB(2) - 1),
		       WH2(0, VTL2, 0, ML_GB(6), ML_GB(7), ML_GB(1), ML_GB(2) - 1)),
	}, {
		.desc = "H2: an aperture in a gap between RAM ranges: all RAM conflicts",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, ML_GB(6))),
		   ML_LIST(mmio, R(ML_GB(2), ML_4G))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(3), ML_4G - 1)),
		H_WANT(WH2(0, RAM, 0, 0, ML_GB(2), ML_GB(3), ML_4G - 1),
		       WH2(0, RAM, 1, ML_4G, ML_GB(6), ML_GB(3), ML_4G - 1)),
	}, {
		.desc = "H2: an aperture of one byte inside a RAM range",
		C3(ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(1), ML_GB(2)))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(1), ML_GB(1))),
		H_WANT(WH2(0, RAM, 0, 0, ML_GB(1), ML_GB(1), ML_GB(1)),
		       WH2(0, RAM, 1, ML_GB(1), ML_GB(2), ML_GB(1), ML_GB(1))),
	}, {
		.desc = "H2: aperture_last U64_MAX: only RAM below aperture_start",
		C3(ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(1), ML_GB(2))),
		   ML_VTL2(ML_MAX - ML_PAGE, ML_MAX)),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(1), U64_MAX)),
		H_WANT(WH2(0, RAM, 0, 0, ML_GB(1), ML_GB(1), U64_MAX)),
	}, {
		.desc = "H2: aperture [0, U64_MAX] holds everything",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_LIST(mmio, R(ML_MAX - ML_PAGE, ML_MAX)),
		   ML_VTL2(ML_MAX - 3 * ML_PAGE, ML_MAX - ML_PAGE)),
		.phys_bits = 64,
		H_DEVS(DEV_AP(0, U64_MAX)),
	}, {
		.desc = "H2: holes never conflict, even wholly outside the aperture",
		C3(ML_LIST(ram, R(ML_GB(1), ML_GB(2))),
		   ML_LIST(mmio, R(0, ML_GB(1))),
		   ML_LIST(pci_ecam, R(ML_GB(3), ML_4G)),
		   ML_LIST(pci_mmio, R(H_G40, H_G40 + ML_GB(1)))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(1), ML_GB(2) - 1)),
	}, {
		.desc = "H2: VTL2 past the aperture conflicts, a hole past it not",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_LIST(mmio, R(H_G39 + ML_MB(4), H_G39 + ML_MB(8))),
		   ML_VTL2(H_G39, H_G39 + ML_MB(2))),
		.phys_bits = 64,
		H_DEVS(AP39),
		H_WANT(WH2(0, VTL2, 0, H_G39, H_G39 + ML_MB(2), 0, H_G39 - 1)),
	}, {
		.desc = "H2: VTL2 ending at aperture_last + 1 fits",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_VTL2(H_G39 - ML_MB(2), H_G39)),
		.phys_bits = 64,
		H_DEVS(AP39),
	}, {
		.desc = "H2: RAM below the aperture, RAM inside, VTL2 above",
		C3(ML_LIST(ram, R(0, ML_PAGE), R(ML_GB(1), ML_GB(2))),
		   ML_VTL2(ML_GB(3), ML_4G)),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(1), ML_GB(2) - 1)),
		H_WANT(WH2(0, RAM, 0, 0, ML_PAGE, ML_GB(1), ML_GB(2) - 1),
		       WH2(0, VTL2, 0, ML_GB(3), ML_4G, ML_GB(1), ML_GB(2) - 1)),
	}, {
		.desc = "H2: VTL2 enclosing the aperture, after RAM below it",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_VTL2(ML_4G, ML_GB(8))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(5), ML_GB(5) + ML_MB(1) - 1)),
		H_WANT(WH2(0, RAM, 0, 0, ML_GB(1), ML_GB(5), ML_GB(5) + ML_MB(1) - 1),
		       WH2(0, VTL2, 0, ML_4G, ML_GB(8), ML_GB(5),
			   ML_GB(5) + ML_MB(1) - 1)),
	}, {
		.desc = "H2: VTL2 below aperture_start, after all RAM",
		C3(ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(2), ML_GB(3))),
		   ML_LIST(mmio, R(ML_GB(16), ML_GB(17))),
		   ML_VTL2(ML_4G, ML_GB(5))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(ML_GB(8), U64_MAX)),
		H_WANT(WH2(0, RAM, 0, 0, ML_GB(1), ML_GB(8), U64_MAX),
		       WH2(0, RAM, 1, ML_GB(2), ML_GB(3), ML_GB(8), U64_MAX),
		       WH2(0, VTL2, 0, ML_4G, ML_GB(5), ML_GB(8), U64_MAX)),
	}, {
		.desc = "H2: a device without MEMLAYOUT_DEVICE_APERTURE is not checked",
		C3(ML_LIST(ram, R(0, H_G40))),
		.phys_bits = 64,
		/* a reversed aperture, ignored without the flag */
		H_DEVS(DEV_F(H_IOMMU, .aperture_start = H_G39, .aperture_last = 0)),
	}, {
		.desc = "H2: two devices, each its own aperture, in the caller's order",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, H_G40))),
		.phys_bits = 64,
		H_DEVS(DEV_AP(0, H_G40 - 1), AP39, DEV_AP(ML_GB(1), U64_MAX)),
		H_WANT(WH2(1, RAM, 1, ML_4G, H_G40, 0, H_G39 - 1),
		       WH2(2, RAM, 0, 0, ML_GB(2), ML_GB(1), U64_MAX)),
	},
};

KUNIT_ARRAY_PARAM(host_h2, host_h2_cases, host_case_desc);

/* ---- H3: reserved regions ---- */

#define RG_MSI	REG(MSI, H_MSI, H_MSI_LAST)
#define RG_ISA	RELAX(0, ML_MB(16) - 1)

static const struct host_case host_h3_cases[] = {
	{
		.desc = "H3: RAM crossing the MSI window 0xfee00000-0xfeefffff",
		C3(ML_LIST(ram, R(0, ML_4G))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(RG_MSI))),
		H_WANT(WH3(0, RAM, 0, 0, ML_4G, MSI, H_MSI, H_MSI_LAST, 0)),
	}, {
		.desc = "H3: RAM ending at 0xfee00000, RAM from 0xfef00000, a hole between",
		C3(ML_LIST(ram, R(0, H_MSI), R(H_MSI_END, ML_GB(8))),
		   ML_LIST(mmio, R(H_MSI, H_MSI_END))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(RG_MSI))),
	}, {
		.desc = "H3: RAM one page into the MSI window, RAM from its last page",
		C3(ML_LIST(ram, R(0, H_MSI + ML_PAGE),
			   R(H_MSI_END - ML_PAGE, ML_GB(8))),
		   ML_LIST(mmio, R(H_MSI + ML_PAGE, H_MSI_END - ML_PAGE))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(RG_MSI))),
		H_WANT(WH3(0, RAM, 0, 0, H_MSI + ML_PAGE, MSI, H_MSI, H_MSI_LAST, 0),
		       WH3(0, RAM, 1, H_MSI_END - ML_PAGE, ML_GB(8), MSI, H_MSI,
			   H_MSI_LAST, 0)),
	}, {
		.desc = "H3: the relaxable 0-16 MiB direct region is flagged",
		C3(ML_LIST(ram, R(0, ML_KB(640)), R(ML_MB(16), ML_GB(2))),
		   ML_LIST(mmio, R(ML_KB(640), ML_MB(1)))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(RG_ISA))),
		H_WANT(WH3(0, RAM, 0, 0, ML_KB(640), DIRECT, 0, ML_MB(16) - 1,
			   MEMLAYOUT_HOST_RELAXABLE)),
	}, {
		.desc = "H3: several regions, region by region, address order within",
		C3(ML_LIST(ram, R(0, ML_MB(2)), R(ML_MB(4), ML_4G),
			   R(ML_4G, ML_GB(8)))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(RG_ISA,
				     REG(SW_MSI, ML_MB(128), ML_MB(129) - 1),
				     RG_MSI,
				     REG(RESERVED, ML_GB(6), ML_GB(6) + ML_MB(1) - 1)))),
		H_WANT(WH3(0, RAM, 0, 0, ML_MB(2), DIRECT, 0, ML_MB(16) - 1,
			   MEMLAYOUT_HOST_RELAXABLE),
		       WH3(0, RAM, 1, ML_MB(4), ML_4G, DIRECT, 0, ML_MB(16) - 1,
			   MEMLAYOUT_HOST_RELAXABLE),
		       WH3(0, RAM, 1, ML_MB(4), ML_4G, SW_MSI, ML_MB(128),
			   ML_MB(129) - 1, 0),
		       WH3(0, RAM, 1, ML_MB(4), ML_4G, MSI, H_MSI, H_MSI_LAST, 0),
		       WH3(0, RAM, 2, ML_4G, ML_GB(8), RESERVED, ML_GB(6),
			   ML_GB(6) + ML_MB(1) - 1, 0)),
	}, {
		.desc = "H3: a region over several RAM ranges and holes: RAM only",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, ML_GB(8))),
		   ML_LIST(mmio, R(ML_GB(2), ML_GB(3))),
		   ML_LIST(pci_ecam, R(ML_GB(3), ML_4G))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(REG(RESERVED, ML_GB(1), ML_GB(5) - 1)))),
		H_WANT(WH3(0, RAM, 0, 0, ML_GB(2), RESERVED, ML_GB(1),
			   ML_GB(5) - 1, 0),
		       WH3(0, RAM, 1, ML_4G, ML_GB(8), RESERVED, ML_GB(1),
			   ML_GB(5) - 1, 0)),
	}, {
		.desc = "H3: a region wholly in a hole conflicts with nothing",
		C3(ML_LIST(ram, R(0, ML_GB(2)), R(ML_4G, ML_GB(8))),
		   ML_LIST(mmio, R(ML_GB(2), ML_4G))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(REG(RESERVED, ML_GB(2), ML_4G - 1), RG_MSI))),
	}, {
		.desc = "H3: VTL2 overlapping a region by its last byte; touching ones not",
		C3(ML_LIST(ram, R(0, ML_GB(1))),
		   ML_VTL2(ML_GB(2), ML_GB(3))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(REG(RESERVED, ML_GB(2) - 1, ML_GB(2) - 1),
				     REG(RESERVED, ML_GB(3) - 1, ML_GB(3) - 1),
				     REG(MSI, ML_GB(3), ML_GB(3))))),
		H_WANT(WH3(0, VTL2, 0, ML_GB(2), ML_GB(3), RESERVED,
			   ML_GB(3) - 1, ML_GB(3) - 1, 0)),
	}, {
		.desc = "H3: RAM and VTL2 in one region, VTL2 at its address",
		C3(ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(1), ML_GB(2))),
		   ML_LIST(mmio, R(ML_GB(5), ML_GB(6))),
		   ML_VTL2(ML_GB(3), ML_4G)),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(REG(RESERVED, 0, U64_MAX)))),
		H_WANT(WH3(0, RAM, 0, 0, ML_GB(1), RESERVED, 0, U64_MAX, 0),
		       WH3(0, RAM, 1, ML_GB(1), ML_GB(2), RESERVED, 0, U64_MAX, 0),
		       WH3(0, VTL2, 0, ML_GB(3), ML_4G, RESERVED, 0, U64_MAX, 0)),
	}, {
		.desc = "H3: a region of one byte, the first of a RAM range",
		C3(ML_LIST(ram, R(0, ML_GB(1)), R(ML_GB(1), ML_GB(2)))),
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(REG(MSI, ML_GB(1), ML_GB(1))))),
		H_WANT(WH3(0, RAM, 1, ML_GB(1), ML_GB(2), MSI, ML_GB(1),
			   ML_GB(1), 0)),
	}, {
		.desc = "H3: a device without MEMLAYOUT_DEVICE_IOMMU: no conflicts",
		C3(ML_LIST(ram, R(0, H_G40))),
		.phys_bits = 64,
		H_DEVS(DEV_F(MEMLAYOUT_DEVICE_APERTURE | MEMLAYOUT_DEVICE_PCI_ADDR,
			     .aperture_start = ML_GB(1), .aperture_last = ML_GB(2),
			     H_REGS(RG_ISA, RG_MSI))),
	},
};

KUNIT_ARRAY_PARAM(host_h3, host_h3_cases, host_case_desc);

/* ---- The documented order across rules and devices ---- */

/*
 * H1 (2^39): RAM 1, PCI_MMIO 0, VTL2. Device 0 (aperture [0, 2^39 - 1],
 * MSI): H2 RAM 1, VTL2; H3 RAM 0. Device 1: no IOMMU. Device 2 (no
 * aperture): the relaxable ISA region (RAM 0), then a reserved region
 * over RAM 1's tail and VTL2's first page.
 */
#define ORDER_LAYOUT							\
	C3(ML_LIST(ram, R(0, ML_4G), R(ML_GB(8), H_G39 + ML_GB(1))),	\
	   ML_LIST(mmio, R(ML_4G, ML_GB(8))),				\
	   ML_LIST(pci_mmio, R(H_G39 + ML_GB(2), H_G39 + ML_GB(3))),	\
	   ML_VTL2(H_G39 + ML_GB(4), H_G39 + ML_GB(5)))
#define ORDER_DEVS							\
	H_DEVS(DEV_AP(0, H_G39 - 1, H_REGS(RG_MSI)),			\
	       { .flags = 0, H_REGS(RG_MSI) },				\
	       DEV_IO(H_REGS(RG_ISA, REG(RESERVED, H_G39,			\
				      H_G39 + ML_GB(4) + ML_PAGE - 1))))
#define ORDER_WANT							\
	H_WANT(WH1(RAM, 1, ML_GB(8), H_G39 + ML_GB(1), H_G39),		\
	       WH1(PCI_MMIO, 0, H_G39 + ML_GB(2), H_G39 + ML_GB(3), H_G39),	\
	       WH1(VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5), H_G39),	\
	       WH2(0, RAM, 1, ML_GB(8), H_G39 + ML_GB(1), 0, H_G39 - 1),	\
	       WH2(0, VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5), 0,	\
		   H_G39 - 1),						\
	       WH3(0, RAM, 0, 0, ML_4G, MSI, H_MSI, H_MSI_LAST, 0),	\
	       WH3(2, RAM, 0, 0, ML_4G, DIRECT, 0, ML_MB(16) - 1,	\
		   MEMLAYOUT_HOST_RELAXABLE),				\
	       WH3(2, RAM, 1, ML_GB(8), H_G39 + ML_GB(1), RESERVED, H_G39,	\
		   H_G39 + ML_GB(4) + ML_PAGE - 1, 0),			\
	       WH3(2, VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5), RESERVED,	\
		   H_G39, H_G39 + ML_GB(4) + ML_PAGE - 1, 0))

static const struct host_case host_order_cases[] = {
	{
		.desc = "H1-H3 order: H1, then per device H2 and H3 region by region",
		ORDER_LAYOUT,
		.phys_bits = 39,
		ORDER_DEVS,
		ORDER_WANT,
	}, {
		.desc = "H1-H3 order: the same host with 40 bits: no H1",
		ORDER_LAYOUT,
		.phys_bits = 40,
		ORDER_DEVS,
		H_WANT(WH2(0, RAM, 1, ML_GB(8), H_G39 + ML_GB(1), 0, H_G39 - 1),
		       WH2(0, VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5), 0,
			   H_G39 - 1),
		       WH3(0, RAM, 0, 0, ML_4G, MSI, H_MSI, H_MSI_LAST, 0),
		       WH3(2, RAM, 0, 0, ML_4G, DIRECT, 0, ML_MB(16) - 1,
			   MEMLAYOUT_HOST_RELAXABLE),
		       WH3(2, RAM, 1, ML_GB(8), H_G39 + ML_GB(1), RESERVED, H_G39,
			   H_G39 + ML_GB(4) + ML_PAGE - 1, 0),
		       WH3(2, VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5),
			   RESERVED, H_G39, H_G39 + ML_GB(4) + ML_PAGE - 1, 0)),
	}, {
		.desc = "H1-H3: no devices checks H1 alone",
		ORDER_LAYOUT,
		.phys_bits = 39,
		H_WANT(WH1(RAM, 1, ML_GB(8), H_G39 + ML_GB(1), H_G39),
		       WH1(PCI_MMIO, 0, H_G39 + ML_GB(2), H_G39 + ML_GB(3), H_G39),
		       WH1(VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5), H_G39)),
	},
};

KUNIT_ARRAY_PARAM(host_order, host_order_cases, host_case_desc);

/* ---- Malformed facts: -EINVAL, nothing emitted ---- */

static const struct memlayout_host_dev host_65_devices[65];

static const struct host_case host_malformed_cases[] = {
	{
		.desc = "H1: phys_bits 0 is malformed",
		ORDER_LAYOUT,
		.phys_bits = 0,
		.errno = -EINVAL,
	}, {
		.desc = "H1: phys_bits 65 is malformed",
		ORDER_LAYOUT,
		.phys_bits = 65,
		.errno = -EINVAL,
	}, {
		.desc = "H1: phys_bits U32_MAX is malformed",
		ORDER_LAYOUT,
		.phys_bits = U32_MAX,
		.errno = -EINVAL,
	}, {
		.desc = "H2: a reversed aperture is malformed, after H1 conflicts",
		ORDER_LAYOUT,
		.phys_bits = 39,
		H_DEVS(AP39, DEV_AP(ML_GB(1), ML_GB(1) - 1)),
		.errno = -EINVAL,
	}, {
		.desc = "H3: a reversed region is malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(RG_MSI, REG(RESERVED, H_G39 + 1, H_G39)))),
		.errno = -EINVAL,
	}, {
		.desc = "H3: a reversed region of a device without an IOMMU too",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS({ .flags = 0, H_REGS(REG(RESERVED, 1, 0)) }),
		.errno = -EINVAL,
	}, {
		.desc = "H3: region type 0 (MEMLAYOUT_RESV_NONE) is malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS({ .type = 0, .start = 0, .last = 0 }))),
		.errno = -EINVAL,
	}, {
		.desc = "H3: region type past MEMLAYOUT_RESV_SW_MSI is malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS({ .type = MEMLAYOUT_RESV_SW_MSI + 1 }))),
		.errno = -EINVAL,
	}, {
		.desc = "H3: an unknown region flag is malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS(DEV_IO(H_REGS(REGF(DIRECT, 0, 0, MEMLAYOUT_HOST_RELAXABLE << 1)))),
		.errno = -EINVAL,
	}, {
		.desc = "H2/H3: an unknown device flag is malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS({ .flags = H_IOMMU | (MEMLAYOUT_DEVICE_PCI_ADDR << 1) }),
		.errno = -EINVAL,
	}, {
		.desc = "H3: regions counted but not given are malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS({ .flags = H_IOMMU, .nr_resv = 1 }),
		.errno = -EINVAL,
	}, {
		.desc = "H2/H3: devices counted but not given are malformed",
		ORDER_LAYOUT,
		.phys_bits = 39,
		.nr_devices = 1,
		.errno = -EINVAL,
	}, {
		.desc = "H2/H3: 64 devices (without IOMMU) are accepted",
		ORDER_LAYOUT,
		.phys_bits = 64,
		.devices = host_65_devices,
		.nr_devices = MEMLAYOUT_MAX_HOST_DEVICES,
	}, {
		.desc = "H2/H3: 65 devices are malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		.devices = host_65_devices,
		.nr_devices = MEMLAYOUT_MAX_HOST_DEVICES + 1,
		.errno = -EINVAL,
	}, {
		.desc = "H2: an aperture of one byte and a region of one are not malformed",
		ORDER_LAYOUT,
		.phys_bits = 64,
		H_DEVS(DEV_AP(0, 0, H_REGS(REG(MSI, H_MSI, H_MSI)))),
		H_WANT(WH2(0, RAM, 0, 0, ML_4G, 0, 0),
		       WH2(0, RAM, 1, ML_GB(8), H_G39 + ML_GB(1), 0, 0),
		       WH2(0, VTL2, 0, H_G39 + ML_GB(4), H_G39 + ML_GB(5), 0, 0),
		       WH3(0, RAM, 0, 0, ML_4G, MSI, H_MSI, H_MSI, 0)),
	},
};

KUNIT_ARRAY_PARAM(host_malformed, host_malformed_cases, host_case_desc);

/*
 * A sink's error stops the check at once and is returned; the count is
 * the conflicts emitted, the failing one included ("those emitted").
 * Each row of each table, stopped at each of its conflicts in turn (in
 * H1's walk, H2's prefix and suffix walks, H3's), with each of @rets.
 */
static void host_stop_row(struct kunit *test, const struct host_case *c)
{
	const struct memlayout_host_facts h = {
		.phys_bits = c->phys_bits,
		.nr_devices = c->nr_devices,
		.devices = c->devices,
	};
	static const int rets[] = { -EFAULT, -EINTR, 1 };
	const struct memlayout *l;
	struct host_sink s = { .cap = c->nr_want + 1 };
	u32 k, r, count;

	if (c->errno || !c->nr_want)
		return;
	l = ml_build_ok(test, &c->req);
	s.got = kunit_kcalloc(test, s.cap, sizeof(*s.got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.got);
	for (r = 0; r < ARRAY_SIZE(rets); r++) {
		for (k = 1; k <= c->nr_want; k++) {
			s.n = 0;
			s.stop_at = k;
			s.stop_ret = rets[r];
			count = 0xa5a5a5a5;
			KUNIT_EXPECT_EQ_MSG(test, memlayout_host_fit(l, &h, host_emit,
								     &s, &count, true),
					    rets[r], "%s: stop at %u", c->desc, k);
			KUNIT_EXPECT_EQ_MSG(test, s.n, k, "%s: calls, stop at %u",
					    c->desc, k);
			KUNIT_EXPECT_EQ_MSG(test, count, k, "%s: count, stop at %u",
					    c->desc, k);
			host_expect_conflicts(test, s.got, c->want, min(s.n, k),
					      h.phys_bits);
		}
	}
}

static void host_emit_stops(struct kunit *test)
{
	static const struct {
		const struct host_case *rows;
		u32 n;
	} tables[] = {
		{ host_h1_cases, ARRAY_SIZE(host_h1_cases) },
		{ host_h2_cases, ARRAY_SIZE(host_h2_cases) },
		{ host_h3_cases, ARRAY_SIZE(host_h3_cases) },
		{ host_order_cases, ARRAY_SIZE(host_order_cases) },
		{ host_malformed_cases, ARRAY_SIZE(host_malformed_cases) },
	};
	u32 t, i, rows = 0;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < tables[t].n; i++) {
			host_stop_row(test, &tables[t].rows[i]);
			rows += tables[t].rows[i].nr_want && !tables[t].rows[i].errno;
		}
	}
	/* Not a vacuous pass: the tables have rows with conflicts. */
	KUNIT_EXPECT_GE(test, rows, 30U);
}

/*
 * 4000 RAM ranges of a page, one every 256 MiB: range i is
 * [i << 28, (i << 28) + 4 KiB). Long walks (cond_resched() with
 * may_sleep) and indexes far from 0, each checked by arithmetic.
 */
#define HB_N		4000U
#define HB_STRIDE	BIT_ULL(28)

static void host_many_ranges(struct kunit *test)
{
	static const struct memlayout_host_region hole = REG(RESERVED, BIT_ULL(35),
							     BIT_ULL(35));
	const struct memlayout_host_dev dev = DEV_AP(BIT_ULL(30), BIT_ULL(38) - 1,
						     .nr_resv = 1, .resv = &hole);
	const struct memlayout_host_facts h = {
		.phys_bits = 39, .nr_devices = 1, .devices = &dev,
	};
	struct memlayout_request req = { .source = MEMLAYOUT_FROM_RANGES };
	/* H1: i >= 2048; H2: i < 4 and i >= 1024; H3: i == 128 */
	const u32 n_h1 = HB_N - 2048, n_h2 = 4 + HB_N - 1024, total = n_h1 + n_h2 + 1;
	struct memlayout_range *ram;
	struct host_sink s = { .cap = total + 1 };
	const struct memlayout_host_conflict *g;
	struct memlayout *l;
	u32 i, count, idx;
	bool ok = true;

	ram = kunit_kcalloc(test, HB_N, sizeof(*ram), GFP_KERNEL);
	s.got = kunit_kcalloc(test, s.cap, sizeof(*s.got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_ASSERT_NOT_NULL(test, s.got);
	for (i = 0; i < HB_N; i++) {
		ram[i].start = i * HB_STRIDE;
		ram[i].end = ram[i].start + ML_PAGE;
	}
	req.ram = ram;
	req.nr_ram = HB_N;
	l = ml_build_ok(test, &req);
	KUNIT_ASSERT_EQ(test, memlayout_host_fit(l, &h, host_emit, &s, &count, true), 0);
	KUNIT_ASSERT_EQ(test, s.n, total);
	KUNIT_EXPECT_EQ(test, count, total);
	for (i = 0; i < total && ok; i++) {
		g = &s.got[i];
		if (i < n_h1)
			idx = 2048 + i;
		else if (i < n_h1 + 4)
			idx = i - n_h1;
		else if (i < n_h1 + n_h2)
			idx = 1024 + i - n_h1 - 4;
		else
			idx = 128;
		/* SPEC H1 suffix, H2 prefix and suffix, H3 one range */
		ok &= g->rule == (i < n_h1 ? MEMLAYOUT_HOST_CPU_WIDTH :
				  i < n_h1 + n_h2 ? MEMLAYOUT_HOST_APERTURE :
				  MEMLAYOUT_HOST_RESERVED);
		ok &= g->list == MEMLAYOUT_LIST_RAM && g->index == idx;
		ok &= g->start == idx * HB_STRIDE && g->end == g->start + ML_PAGE;
		ok &= g->device == (i < n_h1 ? MEMLAYOUT_NO_DEVICE : 0);
		KUNIT_EXPECT_TRUE_MSG(test, ok,
				      "conflict %u: rule %u index %u start 0x%llx device %u, want index %u",
				      i, g->rule, g->index, g->start, g->device, idx);
	}
	KUNIT_EXPECT_EQ(test, memlayout_host_fit(l, &h, NULL, NULL, &count, false), 0);
	KUNIT_EXPECT_EQ(test, count, total);
}

/* ---- memlayout_check_host_args() ---- */

/**
 * struct host_args_case - one CHECK_HOST command
 * @desc: what the row checks.
 * @in: the command as copied in (out members hold garbage, set below).
 * @max_devices: the limit.
 * @errno: the expected return.
 */
struct host_args_case {
	const char *desc;
	struct memlayout_check_host in;
	u32 max_devices;
	int errno;
};

#define HA(...)	.in = { .size = MEMLAYOUT_CHECK_HOST_SIZE_VER0, __VA_ARGS__ }

static const struct host_args_case host_args_cases[] = {
	{
		.desc = "CHECK_HOST: H1 alone, no buffer (count only)",
		HA(), .max_devices = 64,
	}, {
		.desc = "CHECK_HOST: devices and a buffer",
		HA(.nr_devices = 2, .devices_ptr = 0x1000, .count = 9,
		   .conflicts_ptr = 0x2000), .max_devices = 64,
	}, {
		.desc = "CHECK_HOST: exactly max_devices",
		HA(.nr_devices = 64, .devices_ptr = 0x1000), .max_devices = 64,
	}, {
		.desc = "CHECK_HOST: max_devices 0 still checks H1",
		HA(), .max_devices = 0,
	}, {
		.desc = "CHECK_HOST: flags non-zero: -EOPNOTSUPP",
		HA(.flags = 1), .max_devices = 64, .errno = -EOPNOTSUPP,
	}, {
		.desc = "CHECK_HOST: flags bit 31: -EOPNOTSUPP",
		HA(.flags = BIT(31)), .max_devices = 64, .errno = -EOPNOTSUPP,
	}, {
		.desc = "CHECK_HOST: flags before the device count",
		HA(.flags = 1, .nr_devices = 65, .devices_ptr = 0x1000),
		.max_devices = 64, .errno = -EOPNOTSUPP,
	}, {
		.desc = "CHECK_HOST: one device past max_devices: -E2BIG",
		HA(.nr_devices = 65, .devices_ptr = 0x1000), .max_devices = 64,
		.errno = -E2BIG,
	}, {
		.desc = "CHECK_HOST: nr_devices U32_MAX: -E2BIG",
		HA(.nr_devices = U32_MAX, .devices_ptr = 0x1000), .max_devices = 64,
		.errno = -E2BIG,
	}, {
		.desc = "CHECK_HOST: the device count before the pointers",
		HA(.nr_devices = 1), .max_devices = 0, .errno = -E2BIG,
	}, {
		.desc = "CHECK_HOST: devices but no devices_ptr: -EINVAL",
		HA(.nr_devices = 1), .max_devices = 64, .errno = -EINVAL,
	}, {
		.desc = "CHECK_HOST: devices_ptr with no devices: -EINVAL",
		HA(.devices_ptr = 0x1000), .max_devices = 64, .errno = -EINVAL,
	}, {
		.desc = "CHECK_HOST: a count but no conflicts_ptr: -EINVAL",
		HA(.count = 1), .max_devices = 64, .errno = -EINVAL,
	}, {
		.desc = "CHECK_HOST: conflicts_ptr with count 0: -EINVAL",
		HA(.conflicts_ptr = 0x2000), .max_devices = 64, .errno = -EINVAL,
	},
};

static void host_args_desc(const struct host_args_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(host_args, host_args_cases, host_args_desc);

static void host_check_args(struct kunit *test)
{
	const struct host_args_case *c = test->param_value;
	struct memlayout_check_host got = c->in;

	got.generation = 0xa5a5a5a5a5a5a5a5ULL;
	got.phys_bits = 0xa5a5a5a5;
	got.error_device = 7;
	KUNIT_EXPECT_EQ(test, memlayout_check_host_args(&got, c->max_devices),
			c->errno);
	/* Out members cleared, whatever the answer; in members kept. */
	KUNIT_EXPECT_EQ(test, got.generation, 0ULL);
	KUNIT_EXPECT_EQ(test, got.phys_bits, 0U);
	KUNIT_EXPECT_EQ(test, got.error_device, MEMLAYOUT_NO_DEVICE);
	KUNIT_EXPECT_EQ(test, got.size, c->in.size);
	KUNIT_EXPECT_EQ(test, got.flags, c->in.flags);
	KUNIT_EXPECT_EQ(test, got.nr_devices, c->in.nr_devices);
	KUNIT_EXPECT_EQ(test, got.count, c->in.count);
	KUNIT_EXPECT_EQ(test, got.devices_ptr, c->in.devices_ptr);
	KUNIT_EXPECT_EQ(test, got.conflicts_ptr, c->in.conflicts_ptr);
}

/* ---- memlayout_check_host_device() ---- */

struct host_device_case {
	const char *desc;
	struct memlayout_host_device in;
	int errno;
};

#define HD_PCI(...)	.in = { .type = MEMLAYOUT_DEVICE_PCI, __VA_ARGS__ }
#define HD_VFIO(...)	.in = { .type = MEMLAYOUT_DEVICE_VFIO, __VA_ARGS__ }

static const struct host_device_case host_device_cases[] = {
	{
		.desc = "device: PCI 0000:00:00.0",
		HD_PCI(),
	}, {
		.desc = "device: PCI ffff:ff:1f.7",
		HD_PCI(.pci_segment = 0xffff, .pci_bus = 0xff, .pci_devfn = 0xff),
	}, {
		.desc = "device: VFIO fd 3",
		HD_VFIO(.fd = 3),
	}, {
		.desc = "device: VFIO fd -1 passes (resolving it is -EBADF)",
		HD_VFIO(.fd = -1),
	}, {
		.desc = "device: type 0: -EOPNOTSUPP",
		.in = { .type = 0 }, .errno = -EOPNOTSUPP,
	}, {
		.desc = "device: type 3: -EOPNOTSUPP",
		.in = { .type = MEMLAYOUT_DEVICE_VFIO + 1 }, .errno = -EOPNOTSUPP,
	}, {
		.desc = "device: type U32_MAX: -EOPNOTSUPP",
		.in = { .type = U32_MAX }, .errno = -EOPNOTSUPP,
	}, {
		.desc = "device: the type before the flags",
		.in = { .type = 0, .flags = 1, .reserved = 1 }, .errno = -EOPNOTSUPP,
	}, {
		.desc = "device: PCI with an fd: -EINVAL",
		HD_PCI(.fd = 3), .errno = -EINVAL,
	}, {
		.desc = "device: PCI with fd -1: -EINVAL",
		HD_PCI(.fd = -1), .errno = -EINVAL,
	}, {
		.desc = "device: PCI with flags (out, ignored on input)",
		HD_PCI(.flags = MEMLAYOUT_DEVICE_IOMMU | MEMLAYOUT_DEVICE_APERTURE),
	}, {
		.desc = "device: PCI with reserved: -EINVAL",
		HD_PCI(.reserved = 1), .errno = -EINVAL,
	}, {
		.desc = "device: VFIO with flags (out, ignored on input)",
		HD_VFIO(.fd = 3, .flags = MEMLAYOUT_DEVICE_PCI_ADDR | 0x80),
	}, {
		.desc = "device: VFIO with reserved: -EINVAL",
		HD_VFIO(.fd = 3, .reserved = BIT(31)), .errno = -EINVAL,
	}, {
		.desc = "device: VFIO with pci_segment (out, ignored on input)",
		HD_VFIO(.fd = 3, .pci_segment = 1),
	}, {
		.desc = "device: VFIO with pci_bus (out, ignored on input)",
		HD_VFIO(.fd = 3, .pci_bus = 1),
	}, {
		.desc = "device: VFIO answered, sent again as it is",
		HD_VFIO(.fd = 3, .pci_segment = 1, .pci_bus = 2, .pci_devfn = 3,
			.flags = MEMLAYOUT_DEVICE_PCI_ADDR | MEMLAYOUT_DEVICE_IOMMU),
	},
};

static void host_device_desc(const struct host_device_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(host_device, host_device_cases, host_device_desc);

static void host_check_device(struct kunit *test)
{
	const struct host_device_case *c = test->param_value;
	struct memlayout_host_device got = c->in;

	/* Out members are ignored on input: garbage in them. */
	got.iommu_group = 0xa5a5a5a5;
	got.domain_type = 0xa5a5a5a5;
	got.nr_resv = 0xa5a5a5a5;
	got.aperture_start = 0xa5a5a5a5a5a5a5a5ULL;
	got.aperture_last = 0xa5a5a5a5a5a5a5a5ULL;
	KUNIT_EXPECT_EQ(test, memlayout_check_host_device(&got), c->errno);
	/* The in members are never changed. */
	KUNIT_EXPECT_EQ(test, got.type, c->in.type);
	KUNIT_EXPECT_EQ(test, got.fd, c->in.fd);
	KUNIT_EXPECT_EQ(test, got.reserved, c->in.reserved);
	if (c->errno || c->in.type == MEMLAYOUT_DEVICE_PCI) {
		KUNIT_EXPECT_EQ(test, got.pci_segment, c->in.pci_segment);
		KUNIT_EXPECT_EQ(test, got.pci_bus, c->in.pci_bus);
		KUNIT_EXPECT_EQ(test, got.pci_devfn, c->in.pci_devfn);
	}
	if (c->errno) {
		KUNIT_EXPECT_EQ(test, got.flags, c->in.flags);
		return;
	}
	/*
	 * An accepted record's out members start cleared: the flags and, for
	 * VFIO, the PCI address the kernel writes back (ignored on input).
	 */
	KUNIT_EXPECT_EQ(test, got.flags, 0U);
	if (c->in.type == MEMLAYOUT_DEVICE_VFIO) {
		KUNIT_EXPECT_EQ(test, got.pci_segment, 0);
		KUNIT_EXPECT_EQ(test, got.pci_bus, 0);
		KUNIT_EXPECT_EQ(test, got.pci_devfn, 0);
	}
	KUNIT_EXPECT_EQ(test, got.iommu_group, 0U);
	KUNIT_EXPECT_EQ(test, got.domain_type, (u32)MEMLAYOUT_DOMAIN_NONE);
	KUNIT_EXPECT_EQ(test, got.nr_resv, 0U);
	KUNIT_EXPECT_EQ(test, got.aperture_start, 0ULL);
	KUNIT_EXPECT_EQ(test, got.aperture_last, 0ULL);
}

static struct kunit_case host_cases[] = {
	KUNIT_CASE_PARAM(host_cpu_width, host_h1_gen_params),
	KUNIT_CASE_PARAM(host_aperture, host_h2_gen_params),
	KUNIT_CASE_PARAM(host_reserved, host_h3_gen_params),
	KUNIT_CASE_PARAM(host_order, host_order_gen_params),
	KUNIT_CASE_PARAM(host_malformed, host_malformed_gen_params),
	KUNIT_CASE(host_emit_stops),
	KUNIT_CASE(host_many_ranges),
	KUNIT_CASE_PARAM(host_check_args, host_args_gen_params),
	KUNIT_CASE_PARAM(host_check_device, host_device_gen_params),
	{}
};

static struct kunit_suite host_suite = {
	.name = "memlayout_host",
	.test_cases = host_cases,
};

kunit_test_suite(host_suite);
