// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_audit: the pure half of the KVM audit (SPEC H4),
 * memlayout_kvm_audit() over synthetic memslots.
 *
 * Every row builds a C3 layout, gives memslots (address space, id, guest
 * range, flags) and lists, written by hand from SPEC H4 and the UAPI
 * header's "DOC: KVM audit", every finding in the documented order:
 * address space by address space (ascending, those without a memslot
 * skipped), each in address order, one maximal run each that never spans
 * two layout ranges or two memslots. Each finding is compared member by
 * member (kind, list and index, address space, the run, the layout
 * range, the memslot); the count with no sink and the number of address
 * spaces must agree, and -EINVAL rows must emit nothing.
 */
#include "kunit_util.h"

#define A_P		ML_PAGE
#define AG(x)		ML_GB(x)
#define AM(x)		ML_MB(x)
#define A_RO		MEMLAYOUT_KVM_MEM_READONLY
/* KVM_MEM_LOG_DIRTY_PAGES: a flag that is not read-only. */
#define A_LOG		BIT(0)

/* A memslot: address space, id, [s, e), KVM_MEM_* flags. */
#define SL(as, n, s, e, f) { .as_id = (as), .id = (n), .start = (s),	\
			     .end = (e), .flags = (f) }
#define A_SLOTS(...)							\
	.slots = (const struct memlayout_kvm_slot[]){ __VA_ARGS__ },	\
	.nr_slots = (u32)(sizeof((const struct memlayout_kvm_slot[]){	\
		__VA_ARGS__ }) / sizeof(struct memlayout_kvm_slot))

/*
 * An expected finding: kind MEMLAYOUT_KVM_<k> in address space @as over
 * [s, e), then IN() for the layout range (none for OUTSIDE) and BY() for
 * the memslot or NOSLOT (UNBACKED).
 */
#define F(k, as, s, e, ...) { .kind = MEMLAYOUT_KVM_##k, .as_id = (as),	\
			      .start = (s), .end = (e), __VA_ARGS__ }
#define IN(l, i, s, e)	.list = MEMLAYOUT_LIST_##l, .index = (i),	\
			.range_start = (s), .range_end = (e)
#define BY(id, s, e, f)	.slot_id = (id), .slot_start = (s),		\
			.slot_end = (e), .slot_flags = (f)
#define NOSLOT		.slot_id = MEMLAYOUT_KVM_NO_SLOT
#define A_WANT(...)							\
	.want = (const struct memlayout_kvm_finding[]){ __VA_ARGS__ },	\
	.nr_want = (u32)(sizeof((const struct memlayout_kvm_finding[]){	\
		__VA_ARGS__ }) / sizeof(struct memlayout_kvm_finding))

#define C3(...)	.req = { .source = MEMLAYOUT_FROM_RANGES, __VA_ARGS__ }

/*
 * A q35-like layout. Address order: RAM 0 [0, 2G), ECAM 0 [2G, 2G+256M),
 * a gap [2G+256M, 3G), MMIO 0 [3G, 4G), RAM 1 [4G, 8G), PCI MMIO 0
 * [8G, 9G); end_of_layout 9G.
 */
#define Q35 C3(ML_LIST(ram, R(0, AG(2)), R(ML_4G, AG(8))),		\
	       ML_LIST(mmio, R(AG(3), ML_4G)),				\
	       ML_LIST(pci_ecam, R(AG(2), AG(2) + AM(256))),		\
	       ML_LIST(pci_mmio, R(AG(8), AG(9))))
#define Q35_RAM0	IN(RAM, 0, 0, AG(2))
#define Q35_RAM1	IN(RAM, 1, ML_4G, AG(8))
#define Q35_ECAM	IN(PCI_ECAM, 0, AG(2), AG(2) + AM(256))
#define Q35_MMIO	IN(MMIO, 0, AG(3), ML_4G)
#define Q35_PCI		IN(PCI_MMIO, 0, AG(8), AG(9))
/* The memslots exactly over Q35's RAM 0 and RAM 1 in address space @as. */
#define Q35_S0(as)	SL(as, 0, 0, AG(2), 0)
#define Q35_S1(as)	SL(as, 1, ML_4G, AG(8), 0)

/* RAM [0, 2G) alone. */
#define RAM2G		C3(ML_LIST(ram, R(0, AG(2))))
#define RAM2G_0		IN(RAM, 0, 0, AG(2))

/*
 * With VTL2: RAM 0 [0, 2G), MMIO 0 [2G, 4G), RAM 1 [4G, 8G), VTL2
 * [9G, 9G+64M), PCI MMIO 0 [10G, 11G).
 */
#define V_S		AG(9)
#define V_E		(AG(9) + AM(64))
#define VLAYOUT C3(ML_LIST(ram, R(0, AG(2)), R(ML_4G, AG(8))),		\
		   ML_LIST(mmio, R(AG(2), ML_4G)),				\
		   ML_LIST(pci_mmio, R(AG(10), AG(11))),			\
		   ML_VTL2(V_S, V_E))

/**
 * struct audit_case - one row
 * @desc: what the row checks, with its SPEC rule.
 * @req: the layout (C3).
 * @slots: the memslots, in the caller's order.
 * @nr_slots: their number.
 * @errno: 0, or -EINVAL for malformed memslots.
 * @nr_as: the address spaces expected to be counted.
 * @want: every finding, in the documented order.
 * @nr_want: their number.
 */
struct audit_case {
	const char *desc;
	struct memlayout_request req;
	const struct memlayout_kvm_slot *slots;
	u32 nr_slots;
	int errno;
	u32 nr_as;
	const struct memlayout_kvm_finding *want;
	u32 nr_want;
};

/**
 * struct audit_sink - what the emit callback records
 * @got: the findings, up to @cap.
 * @cap: room in @got.
 * @n: calls so far.
 * @stop_at: return @stop_ret from call number @stop_at (1-based); 0: never.
 * @stop_ret: what to return then.
 */
struct audit_sink {
	struct memlayout_kvm_finding *got;
	u32 cap;
	u32 n;
	u32 stop_at;
	int stop_ret;
};

static int audit_emit(void *ctx, const struct memlayout_kvm_finding *f)
{
	struct audit_sink *s = ctx;

	if (s->n < s->cap)
		s->got[s->n] = *f;
	s->n++;
	return s->n == s->stop_at ? s->stop_ret : 0;
}

static void audit_case_desc(const struct audit_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

/* Expect @got[0 .. n) to be @want[0 .. n), member by member. */
static void audit_expect_findings(struct kunit *test,
				  const struct memlayout_kvm_finding *got,
				  const struct memlayout_kvm_finding *want,
				  u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct memlayout_kvm_finding *g = &got[i], *w = &want[i];

		KUNIT_EXPECT_EQ_MSG(test, g->kind, w->kind, "finding %u kind", i);
		KUNIT_EXPECT_EQ_MSG(test, g->list, w->list, "finding %u list", i);
		KUNIT_EXPECT_EQ_MSG(test, g->index, w->index, "finding %u index", i);
		KUNIT_EXPECT_EQ_MSG(test, g->as_id, w->as_id, "finding %u as_id", i);
		KUNIT_EXPECT_EQ_MSG(test, g->start, w->start, "finding %u start", i);
		KUNIT_EXPECT_EQ_MSG(test, g->end, w->end, "finding %u end", i);
		KUNIT_EXPECT_EQ_MSG(test, g->range_start, w->range_start,
				    "finding %u range_start", i);
		KUNIT_EXPECT_EQ_MSG(test, g->range_end, w->range_end,
				    "finding %u range_end", i);
		KUNIT_EXPECT_EQ_MSG(test, g->slot_start, w->slot_start,
				    "finding %u slot_start", i);
		KUNIT_EXPECT_EQ_MSG(test, g->slot_end, w->slot_end,
				    "finding %u slot_end", i);
		KUNIT_EXPECT_EQ_MSG(test, g->slot_id, w->slot_id,
				    "finding %u slot_id", i);
		KUNIT_EXPECT_EQ_MSG(test, g->slot_flags, w->slot_flags,
				    "finding %u slot_flags", i);
	}
}

/*
 * memlayout_kvm_audit() on @l and row @c with a recording sink: the
 * return, the count, the address spaces and every finding, then again
 * without a sink (the count alone must agree), each with may_sleep false
 * and true (the same answer).
 */
static void audit_expect(struct kunit *test, const struct memlayout *l,
			 const struct audit_case *c)
{
	struct audit_sink s = { .cap = c->nr_want + 1 };
	u32 count, nr_as;
	int pass;

	s.got = kunit_kcalloc(test, s.cap, sizeof(*s.got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.got);
	for (pass = 0; pass < 2; pass++) {
		s.n = 0;
		memset(s.got, 0xa5, s.cap * sizeof(*s.got));
		count = 0xa5a5a5a5;
		nr_as = 0xa5a5a5a5;
		KUNIT_EXPECT_EQ_MSG(test,
				    memlayout_kvm_audit(l, c->slots, c->nr_slots,
							audit_emit, &s, &count,
							&nr_as, pass),
				    c->errno, "may_sleep %d", pass);
		KUNIT_EXPECT_EQ_MSG(test, s.n, c->nr_want, "findings emitted");
		KUNIT_EXPECT_EQ_MSG(test, count, c->nr_want, "count");
		KUNIT_EXPECT_EQ_MSG(test, nr_as, c->nr_as, "nr_as");
		audit_expect_findings(test, s.got, c->want, min(s.n, c->nr_want));

		/* Count only: the same numbers, nothing to emit to. */
		count = 0xa5a5a5a5;
		nr_as = 0xa5a5a5a5;
		KUNIT_EXPECT_EQ(test,
				memlayout_kvm_audit(l, c->slots, c->nr_slots, NULL,
						    NULL, &count, &nr_as, pass),
				c->errno);
		KUNIT_EXPECT_EQ_MSG(test, count, c->nr_want, "count with no sink");
		KUNIT_EXPECT_EQ_MSG(test, nr_as, c->nr_as, "nr_as with no sink");
	}
}

static void audit_run(struct kunit *test)
{
	const struct audit_case *c = test->param_value;

	audit_expect(test, ml_build_ok(test, &c->req), c);
}

/* One KUnit case per table, each row through audit_run(). */
static void audit_exact(struct kunit *test)
{
	audit_run(test);
}

static void audit_unbacked(struct kunit *test)
{
	audit_run(test);
}

static void audit_hole(struct kunit *test)
{
	audit_run(test);
}

static void audit_readonly(struct kunit *test)
{
	audit_run(test);
}

static void audit_outside(struct kunit *test)
{
	audit_run(test);
}

static void audit_vtl2(struct kunit *test)
{
	audit_run(test);
}

static void audit_spaces(struct kunit *test)
{
	audit_run(test);
}

static void audit_order(struct kunit *test)
{
	audit_run(test);
}

static void audit_malformed(struct kunit *test)
{
	audit_run(test);
}

/* ---- H4: memslots that match the layout ---- */

static const struct audit_case audit_exact_cases[] = {
	{
		.desc = "H4: one RAM range, one memslot exactly over it: none",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(2), 0)),
		.nr_as = 1,
	}, {
		.desc = "H4: q35, a memslot exactly over each RAM range: none",
		Q35,
		A_SLOTS(Q35_S0(0), Q35_S1(0)),
		.nr_as = 1,
	}, {
		.desc = "H4: RAM backed by three adjacent memslots: none",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(1), 0), SL(0, 1, AG(1), AG(1) + A_P, 0),
			SL(0, 2, AG(1) + A_P, AG(2), 0)),
		.nr_as = 1,
	}, {
		.desc = "H4: node split: two adjacent RAM ranges, one memslot: none",
		C3(ML_LIST(ram, RN(0, AG(1), 0), RN(AG(1), AG(2), 1))),
		A_SLOTS(SL(0, 0, 0, AG(2), 0)),
		.nr_as = 1,
	}, {
		.desc = "H4: node splits, memslots crossing them elsewhere: none",
		C3(ML_LIST(ram, RN(0, AG(1), 0), RN(AG(1), AG(2), 1),
			   RN(AG(2), AG(3), 2))),
		A_SLOTS(SL(0, 5, 0, AM(1536), 0), SL(0, 6, AM(1536), AG(3), 0)),
		.nr_as = 1,
	}, {
		.desc = "H4: dirty logging is not read-only: RAM backed, none",
		RAM2G,
		A_SLOTS(SL(0, 3, 0, AG(2), A_LOG)),
		.nr_as = 1,
	}, {
		.desc = "H4: no memslot at all: no address space, nothing",
		Q35,
		.nr_as = 0,
	},
};

KUNIT_ARRAY_PARAM(audit_exact, audit_exact_cases, audit_case_desc);

/* ---- H4: RAM no memslot backs ---- */

static const struct audit_case audit_unbacked_cases[] = {
	{
		.desc = "H4: one page missing at the start of a RAM range",
		RAM2G,
		A_SLOTS(SL(0, 0, A_P, AG(2), 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, 0, A_P, RAM2G_0, NOSLOT)),
	}, {
		.desc = "H4: one page missing at the end of a RAM range",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(2) - A_P, 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, AG(2) - A_P, AG(2), RAM2G_0, NOSLOT)),
	}, {
		.desc = "H4: one page missing at each end of q35's RAM 1",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0),
			SL(0, 1, ML_4G + A_P, AG(8) - A_P, 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, ML_4G, ML_4G + A_P, Q35_RAM1, NOSLOT),
		       F(UNBACKED, 0, AG(8) - A_P, AG(8), Q35_RAM1, NOSLOT)),
	}, {
		.desc = "H4: two pages between two memslots inside RAM",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(1), 0),
			SL(0, 1, AG(1) + 2 * A_P, AG(2), 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, AG(1), AG(1) + 2 * A_P, RAM2G_0, NOSLOT)),
	}, {
		.desc = "H4: a whole RAM range with no memslot",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, ML_4G, AG(8), Q35_RAM1, NOSLOT)),
	}, {
		.desc = "H4: unbacked across a node split: one finding per range",
		C3(ML_LIST(ram, RN(0, AG(1), 0), RN(AG(1), AG(2), 1))),
		A_SLOTS(SL(0, 0, 0, AG(1) - A_P, 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, AG(1) - A_P, AG(1), IN(RAM, 0, 0, AG(1)),
			 NOSLOT),
		       F(UNBACKED, 0, AG(1), AG(2), IN(RAM, 1, AG(1), AG(2)),
			 NOSLOT)),
	}, {
		.desc = "H4: a memslot only over a hole: all RAM unbacked",
		Q35,
		A_SLOTS(SL(0, 3, AG(3), ML_4G, 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, 0, AG(2), Q35_RAM0, NOSLOT),
		       F(OVER_HOLE, 0, AG(3), ML_4G, Q35_MMIO,
			 BY(3, AG(3), ML_4G, 0)),
		       F(UNBACKED, 0, ML_4G, AG(8), Q35_RAM1, NOSLOT)),
	},
};

KUNIT_ARRAY_PARAM(audit_unbacked, audit_unbacked_cases, audit_case_desc);

/* ---- H4: memslots over holes ---- */

static const struct audit_case audit_hole_cases[] = {
	{
		.desc = "H4: a memslot spanning RAM and the hole above it",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2) + A_P, 0),
			SL(0, 1, ML_4G, AG(8), 0)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, AG(2), AG(2) + A_P, Q35_ECAM,
			 BY(0, 0, AG(2) + A_P, 0))),
	}, {
		.desc = "H4: a memslot spanning a hole and the RAM above it",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0),
			SL(0, 1, ML_4G - A_P, AG(8), 0)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, ML_4G - A_P, ML_4G, Q35_MMIO,
			 BY(1, ML_4G - A_P, AG(8), 0))),
	}, {
		.desc = "H4: a read-only memslot in a PCI MMIO window (a ROM/BAR)",
		Q35,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(0, 7, AG(8), AG(8) + AM(16), A_RO)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, AG(8), AG(8) + AM(16), Q35_PCI,
			 BY(7, AG(8), AG(8) + AM(16), A_RO))),
	}, {
		.desc = "H4: a memslot over ECAM, a gap and MMIO: one run each",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0), SL(0, 2, AG(2), ML_4G, 0),
			SL(0, 1, ML_4G, AG(8), 0)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, AG(2), AG(2) + AM(256), Q35_ECAM,
			 BY(2, AG(2), ML_4G, 0)),
		       F(OUTSIDE, 0, AG(2) + AM(256), AG(3),
			 BY(2, AG(2), ML_4G, 0)),
		       F(OVER_HOLE, 0, AG(3), ML_4G, Q35_MMIO,
			 BY(2, AG(2), ML_4G, 0))),
	}, {
		.desc = "H4: adjacent holes of two kinds, node-split RAM, one memslot",
		C3(ML_LIST(ram, RN(0, AG(1), 0), RN(AG(1), AG(2), 1),
			   RN(AG(3), ML_4G, 1)),
		   ML_LIST(mmio, R(AG(2), AG(2) + AM(1))),
		   ML_LIST(pci_ecam, R(AG(2) + AM(1), AG(2) + AM(2))),
		   ML_LIST(pci_mmio, R(ML_4G, AG(5)))),
		A_SLOTS(SL(0, 0, 0, AG(6), 0)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, AG(2), AG(2) + AM(1),
			 IN(MMIO, 0, AG(2), AG(2) + AM(1)), BY(0, 0, AG(6), 0)),
		       F(OVER_HOLE, 0, AG(2) + AM(1), AG(2) + AM(2),
			 IN(PCI_ECAM, 0, AG(2) + AM(1), AG(2) + AM(2)),
			 BY(0, 0, AG(6), 0)),
		       F(OUTSIDE, 0, AG(2) + AM(2), AG(3), BY(0, 0, AG(6), 0)),
		       F(OVER_HOLE, 0, ML_4G, AG(5), IN(PCI_MMIO, 0, ML_4G, AG(5)),
			 BY(0, 0, AG(6), 0)),
		       F(OUTSIDE, 0, AG(5), AG(6), BY(0, 0, AG(6), 0))),
	}, {
		.desc = "H4: two memslots meeting inside a hole: a run each",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0), SL(0, 2, AG(3), AG(3) + AM(512), 0),
			SL(0, 3, AG(3) + AM(512), ML_4G, A_LOG),
			SL(0, 1, ML_4G, AG(8), 0)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, AG(3), AG(3) + AM(512), Q35_MMIO,
			 BY(2, AG(3), AG(3) + AM(512), 0)),
		       F(OVER_HOLE, 0, AG(3) + AM(512), ML_4G, Q35_MMIO,
			 BY(3, AG(3) + AM(512), ML_4G, A_LOG))),
	},
};

KUNIT_ARRAY_PARAM(audit_hole, audit_hole_cases, audit_case_desc);

/* ---- H4: RAM backed only read-only ---- */

static const struct audit_case audit_readonly_cases[] = {
	{
		.desc = "H4: a read-only memslot over a whole RAM range",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(2), A_RO)),
		.nr_as = 1,
		A_WANT(F(READONLY, 0, 0, AG(2), RAM2G_0, BY(0, 0, AG(2), A_RO))),
	}, {
		.desc = "H4: RAM partly read-only: read-write, then read-only",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(1), 0), SL(0, 1, AG(1), AG(2), A_RO)),
		.nr_as = 1,
		A_WANT(F(READONLY, 0, AG(1), AG(2), RAM2G_0,
			 BY(1, AG(1), AG(2), A_RO))),
	}, {
		.desc = "H4: one read-only page in RAM, unbacked around it",
		RAM2G,
		A_SLOTS(SL(0, 4, AG(1), AG(1) + A_P, A_RO | A_LOG)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, 0, AG(1), RAM2G_0, NOSLOT),
		       F(READONLY, 0, AG(1), AG(1) + A_P, RAM2G_0,
			 BY(4, AG(1), AG(1) + A_P, A_RO | A_LOG)),
		       F(UNBACKED, 0, AG(1) + A_P, AG(2), RAM2G_0, NOSLOT)),
	}, {
		.desc = "H4: a read-only memslot over a node split: a run per range",
		C3(ML_LIST(ram, RN(0, AG(1), 0), RN(AG(1), AG(2), 1))),
		A_SLOTS(SL(0, 0, 0, AG(2), A_RO)),
		.nr_as = 1,
		A_WANT(F(READONLY, 0, 0, AG(1), IN(RAM, 0, 0, AG(1)),
			 BY(0, 0, AG(2), A_RO)),
		       F(READONLY, 0, AG(1), AG(2), IN(RAM, 1, AG(1), AG(2)),
			 BY(0, 0, AG(2), A_RO))),
	}, {
		.desc = "H4: a read-only memslot over everything: cut at each boundary",
		Q35,
		A_SLOTS(SL(0, 9, 0, AG(10), A_RO)),
		.nr_as = 1,
		A_WANT(F(READONLY, 0, 0, AG(2), Q35_RAM0, BY(9, 0, AG(10), A_RO)),
		       F(OVER_HOLE, 0, AG(2), AG(2) + AM(256), Q35_ECAM,
			 BY(9, 0, AG(10), A_RO)),
		       F(OUTSIDE, 0, AG(2) + AM(256), AG(3),
			 BY(9, 0, AG(10), A_RO)),
		       F(OVER_HOLE, 0, AG(3), ML_4G, Q35_MMIO,
			 BY(9, 0, AG(10), A_RO)),
		       F(READONLY, 0, ML_4G, AG(8), Q35_RAM1,
			 BY(9, 0, AG(10), A_RO)),
		       F(OVER_HOLE, 0, AG(8), AG(9), Q35_PCI,
			 BY(9, 0, AG(10), A_RO)),
		       F(OUTSIDE, 0, AG(9), AG(10), BY(9, 0, AG(10), A_RO))),
	},
};

KUNIT_ARRAY_PARAM(audit_readonly, audit_readonly_cases, audit_case_desc);

/* ---- H4: memslots outside the layout ---- */

static const struct audit_case audit_outside_cases[] = {
	{
		.desc = "H4: a memslot above end_of_layout",
		Q35,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(0, 5, AG(10), AG(10) + A_P, 0)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, AG(10), AG(10) + A_P,
			 BY(5, AG(10), AG(10) + A_P, 0))),
	}, {
		.desc = "H4: a memslot from end_of_layout on",
		Q35,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(0, 5, AG(9), AG(12), 0)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, AG(9), AG(12), BY(5, AG(9), AG(12), 0))),
	}, {
		.desc = "H4: two adjacent memslots above end_of_layout: a run each",
		Q35,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(0, 5, AG(10), AG(11), 0),
			SL(0, 6, AG(11), AG(12), A_RO)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, AG(10), AG(11), BY(5, AG(10), AG(11), 0)),
		       F(OUTSIDE, 0, AG(11), AG(12), BY(6, AG(11), AG(12), A_RO))),
	}, {
		.desc = "H4: a memslot from 0, below the first range",
		C3(ML_LIST(ram, R(AM(1), AG(1)))),
		A_SLOTS(SL(0, 0, 0, AG(1), 0)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, 0, AM(1), BY(0, 0, AG(1), 0))),
	}, {
		.desc = "H4: a memslot in the gap between two ranges",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0),
			SL(0, 2, AG(2) + AM(512), AG(2) + AM(512) + A_P, 0),
			SL(0, 1, ML_4G, AG(8), 0)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, AG(2) + AM(512), AG(2) + AM(512) + A_P,
			 BY(2, AG(2) + AM(512), AG(2) + AM(512) + A_P, 0))),
	}, {
		.desc = "H4: a memslot over a hole at MAX_ADDRESS, to 2^64 - 1",
		C3(ML_LIST(ram, R(0, AG(1))),
		   ML_LIST(mmio, R(ML_MAX - A_P, ML_MAX))),
		A_SLOTS(SL(0, 0, 0, AG(1), 0), SL(0, 1, ML_MAX - A_P, U64_MAX, 0)),
		.nr_as = 1,
		A_WANT(F(OVER_HOLE, 0, ML_MAX - A_P, ML_MAX,
			 IN(MMIO, 0, ML_MAX - A_P, ML_MAX),
			 BY(1, ML_MAX - A_P, U64_MAX, 0)),
		       F(OUTSIDE, 0, ML_MAX, U64_MAX,
			 BY(1, ML_MAX - A_P, U64_MAX, 0))),
	}, {
		.desc = "H4: a one-byte memslot just past RAM",
		RAM2G,
		A_SLOTS(SL(0, 0, AG(2), AG(2) + 1, 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, 0, AG(2), RAM2G_0, NOSLOT),
		       F(OUTSIDE, 0, AG(2), AG(2) + 1, BY(0, AG(2), AG(2) + 1, 0))),
	},
};

KUNIT_ARRAY_PARAM(audit_outside, audit_outside_cases, audit_case_desc);

/* ---- H4: VTL2 counts as inside, and is not RAM ---- */

static const struct audit_case audit_vtl2_cases[] = {
	{
		.desc = "H4: a memslot exactly over VTL2: none",
		VLAYOUT,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(0, 3, V_S, V_E, 0)),
		.nr_as = 1,
	}, {
		.desc = "H4: no memslot over VTL2: none (RAM only is unbacked)",
		VLAYOUT,
		A_SLOTS(Q35_S0(0), Q35_S1(0)),
		.nr_as = 1,
	}, {
		.desc = "H4: a memslot over VTL2 and the gaps around it",
		VLAYOUT,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(0, 3, AG(8), AG(10), 0)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, AG(8), V_S, BY(3, AG(8), AG(10), 0)),
		       F(OUTSIDE, 0, V_E, AG(10), BY(3, AG(8), AG(10), 0))),
	}, {
		.desc = "H4: read-only from RAM through VTL2 into PCI MMIO",
		VLAYOUT,
		A_SLOTS(SL(0, 0, 0, AG(2), 0), SL(0, 1, ML_4G, AG(10) + A_P, A_RO)),
		.nr_as = 1,
		A_WANT(F(READONLY, 0, ML_4G, AG(8), IN(RAM, 1, ML_4G, AG(8)),
			 BY(1, ML_4G, AG(10) + A_P, A_RO)),
		       F(OUTSIDE, 0, AG(8), V_S, BY(1, ML_4G, AG(10) + A_P, A_RO)),
		       F(OUTSIDE, 0, V_E, AG(10), BY(1, ML_4G, AG(10) + A_P, A_RO)),
		       F(OVER_HOLE, 0, AG(10), AG(10) + A_P,
			 IN(PCI_MMIO, 0, AG(10), AG(11)),
			 BY(1, ML_4G, AG(10) + A_P, A_RO))),
	}, {
		.desc = "H4: VTL2 right after RAM, one read-only memslot over both",
		C3(ML_LIST(ram, R(0, AG(2))), ML_VTL2(AG(2), AG(2) + AM(64))),
		A_SLOTS(SL(0, 0, 0, AG(2) + AM(64), A_RO)),
		.nr_as = 1,
		A_WANT(F(READONLY, 0, 0, AG(2), RAM2G_0,
			 BY(0, 0, AG(2) + AM(64), A_RO))),
	}, {
		.desc = "H4: VTL2 at the top, a memslot over it and past it",
		C3(ML_LIST(ram, R(0, AG(2))), ML_VTL2(ML_MAX - AM(2), ML_MAX)),
		A_SLOTS(SL(0, 0, 0, AG(2), 0), SL(0, 1, ML_MAX - AM(4), U64_MAX, 0)),
		.nr_as = 1,
		A_WANT(F(OUTSIDE, 0, ML_MAX - AM(4), ML_MAX - AM(2),
			 BY(1, ML_MAX - AM(4), U64_MAX, 0)),
		       F(OUTSIDE, 0, ML_MAX, U64_MAX,
			 BY(1, ML_MAX - AM(4), U64_MAX, 0))),
	},
};

KUNIT_ARRAY_PARAM(audit_vtl2, audit_vtl2_cases, audit_case_desc);

/* ---- H4: every address space that holds a memslot ---- */

static const struct audit_case audit_spaces_cases[] = {
	{
		.desc = "H4: address space 0 matches, 1 is broken",
		Q35,
		A_SLOTS(Q35_S0(0), Q35_S1(0), SL(1, 0, 0, AG(2), 0),
			SL(1, 1, ML_4G + A_P, AG(8), 0)),
		.nr_as = 2,
		A_WANT(F(UNBACKED, 1, ML_4G, ML_4G + A_P, Q35_RAM1, NOSLOT)),
	}, {
		.desc = "H4: address space 0 is broken, 1 matches",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2), 0), Q35_S0(1), Q35_S1(1)),
		.nr_as = 2,
		A_WANT(F(UNBACKED, 0, ML_4G, AG(8), Q35_RAM1, NOSLOT)),
	}, {
		.desc = "H4: only address space 1 holds memslots: 0 skipped",
		Q35,
		A_SLOTS(SL(1, 0, 0, AG(2), 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 1, ML_4G, AG(8), Q35_RAM1, NOSLOT)),
	}, {
		.desc = "H4: address spaces 0 and 2, 1 empty and skipped",
		Q35,
		A_SLOTS(SL(0, 0, 0, AG(2) - A_P, 0), SL(0, 1, ML_4G, AG(8), 0),
			SL(2, 0, AG(3), ML_4G, 0)),
		.nr_as = 2,
		A_WANT(F(UNBACKED, 0, AG(2) - A_P, AG(2), Q35_RAM0, NOSLOT),
		       F(UNBACKED, 2, 0, AG(2), Q35_RAM0, NOSLOT),
		       F(OVER_HOLE, 2, AG(3), ML_4G, Q35_MMIO,
			 BY(0, AG(3), ML_4G, 0)),
		       F(UNBACKED, 2, ML_4G, AG(8), Q35_RAM1, NOSLOT)),
	}, {
		.desc = "H4: the same id and range in two address spaces",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(2), A_RO), SL(1, 0, 0, AG(2), A_RO)),
		.nr_as = 2,
		A_WANT(F(READONLY, 0, 0, AG(2), RAM2G_0, BY(0, 0, AG(2), A_RO)),
		       F(READONLY, 1, 0, AG(2), RAM2G_0, BY(0, 0, AG(2), A_RO))),
	}, {
		.desc = "H4: address space U32_MAX after 0",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(2), 0), SL(U32_MAX, 0, AG(3), AG(4), 0)),
		.nr_as = 2,
		A_WANT(F(UNBACKED, U32_MAX, 0, AG(2), RAM2G_0, NOSLOT),
		       F(OUTSIDE, U32_MAX, AG(3), AG(4), BY(0, AG(3), AG(4), 0))),
	},
};

KUNIT_ARRAY_PARAM(audit_spaces, audit_spaces_cases, audit_case_desc);

/* ---- H4: the documented order, every kind interleaved ---- */

#define O_S1	BY(1, AG(2) + AM(512), AG(3) + A_P, A_RO)
#define O_S2	BY(2, ML_4G, AG(6), A_RO)
#define O_S3	BY(3, AG(8) + AM(512), AG(10), 0)
#define O_T	BY(0, 0, AG(10), A_LOG)

static const struct audit_case audit_order_cases[] = {
	{
		.desc = "H4: address order in 0, then 1; every kind interleaved",
		Q35,
		A_SLOTS(SL(0, 0, A_P, AG(2), 0),
			SL(0, 1, AG(2) + AM(512), AG(3) + A_P, A_RO),
			SL(0, 2, ML_4G, AG(6), A_RO),
			SL(0, 3, AG(8) + AM(512), AG(10), 0),
			SL(1, 0, 0, AG(10), A_LOG)),
		.nr_as = 2,
		A_WANT(F(UNBACKED, 0, 0, A_P, Q35_RAM0, NOSLOT),
		       F(OUTSIDE, 0, AG(2) + AM(512), AG(3), O_S1),
		       F(OVER_HOLE, 0, AG(3), AG(3) + A_P, Q35_MMIO, O_S1),
		       F(READONLY, 0, ML_4G, AG(6), Q35_RAM1, O_S2),
		       F(UNBACKED, 0, AG(6), AG(8), Q35_RAM1, NOSLOT),
		       F(OVER_HOLE, 0, AG(8) + AM(512), AG(9), Q35_PCI, O_S3),
		       F(OUTSIDE, 0, AG(9), AG(10), O_S3),
		       F(OVER_HOLE, 1, AG(2), AG(2) + AM(256), Q35_ECAM, O_T),
		       F(OUTSIDE, 1, AG(2) + AM(256), AG(3), O_T),
		       F(OVER_HOLE, 1, AG(3), ML_4G, Q35_MMIO, O_T),
		       F(OVER_HOLE, 1, AG(8), AG(9), Q35_PCI, O_T),
		       F(OUTSIDE, 1, AG(9), AG(10), O_T)),
	}, {
		.desc = "H4: address order with VTL2 between RAM and a hole",
		VLAYOUT,
		A_SLOTS(SL(0, 0, 0, AG(1), 0), SL(0, 1, V_S, V_E + A_P, 0),
			SL(0, 2, AG(10), AG(11), 0)),
		.nr_as = 1,
		A_WANT(F(UNBACKED, 0, AG(1), AG(2), IN(RAM, 0, 0, AG(2)), NOSLOT),
		       F(UNBACKED, 0, ML_4G, AG(8), IN(RAM, 1, ML_4G, AG(8)),
			 NOSLOT),
		       F(OUTSIDE, 0, V_E, V_E + A_P, BY(1, V_S, V_E + A_P, 0)),
		       F(OVER_HOLE, 0, AG(10), AG(11), IN(PCI_MMIO, 0, AG(10), AG(11)),
			 BY(2, AG(10), AG(11), 0))),
	},
};

KUNIT_ARRAY_PARAM(audit_order, audit_order_cases, audit_case_desc);

/* ---- H4: malformed memslot lists ---- */

static const struct audit_case audit_malformed_cases[] = {
	{
		.desc = "H4: end == start: -EINVAL, nothing emitted",
		RAM2G,
		A_SLOTS(SL(0, 0, A_P, AG(1), 0), SL(0, 1, AG(1), AG(1), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: end below start: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 1, AG(1) + A_P, AG(1), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: end below start by one byte at 2^64 - 1: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 1, U64_MAX, U64_MAX - 1, 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: memslots of one address space unsorted: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 0, AG(1), AG(2), 0), SL(0, 1, 0, AG(1), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: two memslots overlapping by one byte: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(1) + 1, 0), SL(0, 1, AG(1), AG(2), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: one memslot inside another: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(2), 0), SL(0, 1, AG(1), AG(1) + A_P, 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: address spaces descending: -EINVAL",
		RAM2G,
		A_SLOTS(SL(1, 0, 0, AG(1), 0), SL(0, 0, 0, AG(1), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: address spaces interleaved: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, A_P, 0), SL(1, 0, 0, A_P, 0),
			SL(0, 1, AG(1), AG(2), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: the last memslot empty, after findings: -EINVAL",
		RAM2G,
		A_SLOTS(SL(0, 0, A_P, AG(1), 0), SL(1, 0, AG(1), AG(1), 0)),
		.errno = -EINVAL,
	}, {
		.desc = "H4: memslots counted but not given: -EINVAL",
		RAM2G,
		.nr_slots = 1,
		.errno = -EINVAL,
	}, {
		.desc = "H4: adjacent memslots (end == next start) are accepted",
		RAM2G,
		A_SLOTS(SL(0, 0, 0, AG(1), 0), SL(0, 1, AG(1), AG(2), 0)),
		.nr_as = 1,
	}, {
		.desc = "H4: a start below the previous end in another space is fine",
		RAM2G,
		A_SLOTS(SL(0, 0, AG(1), AG(2), 0), SL(1, 0, 0, AG(2), 0)),
		.nr_as = 2,
		A_WANT(F(UNBACKED, 0, 0, AG(1), RAM2G_0, NOSLOT)),
	},
};

KUNIT_ARRAY_PARAM(audit_malformed, audit_malformed_cases, audit_case_desc);

/*
 * An emit error stops the audit at once and is returned; the count is the
 * findings emitted, the failing one included, and the address spaces are
 * all counted ("DOC: KVM audit"). Each row of each table, stopped at each
 * of its findings in turn, with each of @rets.
 */
static void audit_stop_row(struct kunit *test, const struct audit_case *c)
{
	static const int rets[] = { -EFAULT, -EINTR, 1 };
	const struct memlayout *l;
	struct audit_sink s = { .cap = c->nr_want + 1 };
	u32 k, r, count, nr_as;

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
			nr_as = 0xa5a5a5a5;
			KUNIT_EXPECT_EQ_MSG(test,
					    memlayout_kvm_audit(l, c->slots,
								c->nr_slots,
								audit_emit, &s,
								&count, &nr_as,
								true),
					    rets[r], "%s: stop at %u", c->desc, k);
			KUNIT_EXPECT_EQ_MSG(test, s.n, k, "%s: calls, stop at %u",
					    c->desc, k);
			KUNIT_EXPECT_EQ_MSG(test, count, k, "%s: count, stop at %u",
					    c->desc, k);
			KUNIT_EXPECT_EQ_MSG(test, nr_as, c->nr_as,
					    "%s: nr_as, stop at %u", c->desc, k);
			audit_expect_findings(test, s.got, c->want, min(s.n, k));
			/* One report a row: a broken audit fails every stop. */
			if (s.n != k || count != k ||
			    memcmp(s.got, c->want, min(s.n, k) * sizeof(*s.got)))
				return;
		}
	}
}

static void audit_emit_stops(struct kunit *test)
{
	static const struct {
		const struct audit_case *rows;
		u32 n;
	} tables[] = {
		{ audit_exact_cases, ARRAY_SIZE(audit_exact_cases) },
		{ audit_unbacked_cases, ARRAY_SIZE(audit_unbacked_cases) },
		{ audit_hole_cases, ARRAY_SIZE(audit_hole_cases) },
		{ audit_readonly_cases, ARRAY_SIZE(audit_readonly_cases) },
		{ audit_outside_cases, ARRAY_SIZE(audit_outside_cases) },
		{ audit_vtl2_cases, ARRAY_SIZE(audit_vtl2_cases) },
		{ audit_spaces_cases, ARRAY_SIZE(audit_spaces_cases) },
		{ audit_order_cases, ARRAY_SIZE(audit_order_cases) },
		{ audit_malformed_cases, ARRAY_SIZE(audit_malformed_cases) },
	};
	u32 t, i, rows = 0;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < tables[t].n; i++) {
			audit_stop_row(test, &tables[t].rows[i]);
			rows += tables[t].rows[i].nr_want && !tables[t].rows[i].errno;
		}
	}
	/* Not a vacuous pass: the tables have rows with findings. */
	KUNIT_EXPECT_GE(test, rows, 30U);
}

/*
 * H4 at scale: 4000 RAM ranges of two pages, range i at i MiB, and a
 * 4 KiB MMIO hole right after range i when i % 8 is 3; in address space 0
 * one memslot per range, by i % 4: exact; a page short at the start
 * (UNBACKED of its first page); exact and read-only (READONLY); a page
 * long at the end (OVER_HOLE when the hole follows, else OUTSIDE). In
 * address space 1
 * one memslot over [0, 4000 MiB): an OVER_HOLE for each hole, an OUTSIDE
 * for each gap. Long sweeps (cond_resched() with may_sleep), indexes far
 * from 0, each finding checked by arithmetic.
 */
#define AB_N		4000U
#define AB_STRIDE	AM(1)

/* The finding address space 0 gives for range @i, if any. */
static bool audit_big_as0(u32 i, struct memlayout_kvm_finding *w)
{
	u64 s = i * AB_STRIDE, e = s + 2 * A_P;
	bool hole = i % 8 == 3;

	*w = (struct memlayout_kvm_finding){
		.list = MEMLAYOUT_LIST_RAM, .index = i,
		.range_start = s, .range_end = e, .slot_id = i,
		.slot_start = s, .slot_end = e,
	};
	switch (i % 4) {
	case 1:
		*w = (struct memlayout_kvm_finding){
			.kind = MEMLAYOUT_KVM_UNBACKED, .list = MEMLAYOUT_LIST_RAM,
			.index = i, .start = s, .end = s + A_P,
			.range_start = s, .range_end = e,
			.slot_id = MEMLAYOUT_KVM_NO_SLOT,
		};
		return true;
	case 2:
		w->kind = MEMLAYOUT_KVM_READONLY;
		w->start = s;
		w->end = e;
		w->slot_flags = A_RO;
		return true;
	case 3:
		w->kind = hole ? MEMLAYOUT_KVM_OVER_HOLE : MEMLAYOUT_KVM_OUTSIDE;
		w->list = hole ? MEMLAYOUT_LIST_MMIO : MEMLAYOUT_LIST_NONE;
		w->index = hole ? i / 8 : 0;
		w->range_start = hole ? e : 0;
		w->range_end = hole ? e + A_P : 0;
		w->start = e;
		w->end = e + A_P;
		w->slot_end = e + A_P;
		return true;
	}
	return false;
}

static void audit_many(struct kunit *test)
{
	struct memlayout_request req = { .source = MEMLAYOUT_FROM_RANGES };
	const u32 nr_holes = AB_N / 8, n0 = AB_N / 4 * 3;
	const u32 total = n0 + nr_holes + AB_N;
	struct memlayout_range *ram, *mmio;
	struct memlayout_kvm_slot *slots;
	struct memlayout_kvm_finding w;
	struct audit_sink s = { .cap = total + 1 };
	const struct memlayout_kvm_finding *g;
	struct memlayout *l;
	u32 i, k, count, nr_as;
	bool ok = true;
	u64 at;

	ram = kunit_kcalloc(test, AB_N, sizeof(*ram), GFP_KERNEL);
	mmio = kunit_kcalloc(test, nr_holes, sizeof(*mmio), GFP_KERNEL);
	slots = kunit_kcalloc(test, AB_N + 1, sizeof(*slots), GFP_KERNEL);
	s.got = kunit_kcalloc(test, s.cap, sizeof(*s.got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_ASSERT_NOT_NULL(test, mmio);
	KUNIT_ASSERT_NOT_NULL(test, slots);
	KUNIT_ASSERT_NOT_NULL(test, s.got);
	for (i = 0; i < AB_N; i++) {
		ram[i].start = i * AB_STRIDE;
		ram[i].end = ram[i].start + 2 * A_P;
		slots[i] = (struct memlayout_kvm_slot){
			.id = i, .start = ram[i].start, .end = ram[i].end,
		};
		if (i % 4 == 1)
			slots[i].start += A_P;
		if (i % 4 == 2)
			slots[i].flags = A_RO;
		if (i % 4 == 3)
			slots[i].end += A_P;
		if (i % 8 == 3) {
			mmio[i / 8].start = ram[i].end;
			mmio[i / 8].end = ram[i].end + A_P;
		}
	}
	slots[AB_N] = (struct memlayout_kvm_slot){
		.as_id = 1, .id = 7, .end = AB_N * AB_STRIDE, .flags = A_LOG,
	};
	req.ram = ram;
	req.nr_ram = AB_N;
	req.mmio = mmio;
	req.nr_mmio = nr_holes;
	l = ml_build_ok(test, &req);
	KUNIT_ASSERT_EQ(test, memlayout_kvm_audit(l, slots, AB_N + 1, audit_emit,
						  &s, &count, &nr_as, true), 0);
	KUNIT_ASSERT_EQ(test, s.n, total);
	KUNIT_EXPECT_EQ(test, count, total);
	KUNIT_EXPECT_EQ(test, nr_as, 2U);
	/* Address space 0: range by range. */
	for (i = 0, k = 0; i < AB_N && ok; i++) {
		if (!audit_big_as0(i, &w))
			continue;
		g = &s.got[k++];
		ok &= !memcmp(g, &w, sizeof(w));
		KUNIT_EXPECT_TRUE_MSG(test, ok,
				      "as 0 finding %u: kind %u index %u [0x%llx, 0x%llx) slot %u, want kind %u [0x%llx, 0x%llx)",
				      k - 1, g->kind, g->index, g->start, g->end,
				      g->slot_id, w.kind, w.start, w.end);
	}
	KUNIT_EXPECT_EQ(test, k, n0);
	/* Address space 1: after each range, its hole if any, then a gap. */
	for (i = 0, at = 0; i < AB_N && ok; i++) {
		u64 e = i * AB_STRIDE + 2 * A_P;

		w = (struct memlayout_kvm_finding){
			.as_id = 1, .slot_id = 7, .slot_start = 0,
			.slot_end = AB_N * AB_STRIDE, .slot_flags = A_LOG,
		};
		if (i % 8 == 3) {
			w.kind = MEMLAYOUT_KVM_OVER_HOLE;
			w.list = MEMLAYOUT_LIST_MMIO;
			w.index = i / 8;
			w.start = e;
			w.end = e + A_P;
			w.range_start = e;
			w.range_end = e + A_P;
			g = &s.got[k++];
			ok &= !memcmp(g, &w, sizeof(w));
			e += A_P;
			w.list = MEMLAYOUT_LIST_NONE;
			w.index = 0;
			w.range_start = 0;
			w.range_end = 0;
		}
		w.kind = MEMLAYOUT_KVM_OUTSIDE;
		w.start = e;
		w.end = (i + 1) * AB_STRIDE;
		g = &s.got[k++];
		ok &= !memcmp(g, &w, sizeof(w));
		at = w.end;
		KUNIT_EXPECT_TRUE_MSG(test, ok,
				      "as 1 finding %u: kind %u list %u [0x%llx, 0x%llx) at range %u",
				      k - 1, g->kind, g->list, g->start, g->end, i);
	}
	KUNIT_EXPECT_EQ(test, k, total);
	KUNIT_EXPECT_EQ(test, at, AB_N * AB_STRIDE);
	KUNIT_EXPECT_EQ(test, memlayout_kvm_audit(l, slots, AB_N + 1, NULL, NULL,
						  &count, &nr_as, false), 0);
	KUNIT_EXPECT_EQ(test, count, total);
}

static struct kunit_case audit_cases[] = {
	KUNIT_CASE_PARAM(audit_exact, audit_exact_gen_params),
	KUNIT_CASE_PARAM(audit_unbacked, audit_unbacked_gen_params),
	KUNIT_CASE_PARAM(audit_hole, audit_hole_gen_params),
	KUNIT_CASE_PARAM(audit_readonly, audit_readonly_gen_params),
	KUNIT_CASE_PARAM(audit_outside, audit_outside_gen_params),
	KUNIT_CASE_PARAM(audit_vtl2, audit_vtl2_gen_params),
	KUNIT_CASE_PARAM(audit_spaces, audit_spaces_gen_params),
	KUNIT_CASE_PARAM(audit_order, audit_order_gen_params),
	KUNIT_CASE_PARAM(audit_malformed, audit_malformed_gen_params),
	KUNIT_CASE(audit_emit_stops),
	KUNIT_CASE(audit_many),
	{}
};

static struct kunit_suite audit_suite = {
	.name = "memlayout_audit",
	.test_cases = audit_cases,
};

kunit_test_suite(audit_suite);
