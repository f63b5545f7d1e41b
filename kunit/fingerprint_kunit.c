// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite memlayout_fingerprint: the layout fingerprint (SPEC F1).
 *
 * Each row's expected fingerprint is the kernel's sha256() over a byte
 * buffer this file writes by hand, one byte at a time, from the encoding
 * the UAPI header documents ("DOC: Fingerprint"): the 16-byte tag, the
 * little-endian range count and VTL2 flag, one 24-byte little-endian
 * record per range in address order, then VTL2's record. The ranges of
 * each row are written out in the row, not read back from the layout
 * (they are also checked against memlayout_entry(), so a wrong row fails
 * rather than passes). Two golden values were computed outside the
 * kernel, with Python's hashlib.
 */
#include <crypto/sha2.h>

#include "kunit_util.h"

#define K_RAM	MEMLAYOUT_KIND_RAM
#define K_MMIO	MEMLAYOUT_KIND_MMIO
#define K_ECAM	MEMLAYOUT_KIND_PCI_ECAM
#define K_PMMIO	MEMLAYOUT_KIND_PCI_MMIO

/* Most ranges a table row lists. */
#define FP_MAX_RECS	8

/**
 * struct fp_rec - one range as a row expects it in the layout
 * @start: first byte.
 * @end: one past the last byte.
 * @vnode: virtual NUMA node (0 for holes).
 * @kind: ``MEMLAYOUT_KIND_*``.
 */
struct fp_rec {
	u64 start;
	u64 end;
	u32 vnode;
	u32 kind;
};

#define REC(s, e, n, k)	{ .start = (s), .end = (e), .vnode = (n), .kind = (k) }

/**
 * struct fp_case - a layout and the ranges its fingerprint encodes
 * @desc: row name.
 * @req: the request.
 * @recs: every range of the built layout, in address order.
 * @nr: number of entries in @recs.
 * @vtl2_start: start of VTL2 when the request has one.
 * @vtl2_end: its end (0: no VTL2).
 */
struct fp_case {
	const char *desc;
	struct memlayout_request req;
	struct fp_rec recs[FP_MAX_RECS];
	u32 nr;
	u64 vtl2_start;
	u64 vtl2_end;
};

#define G(x)	ML_GB(x)
#define ECAM_E	(ML_GB(3) + ML_MB(256))

static const struct fp_case fp_cases[] = {
	{
		/* SPEC F1, C1: RAM placed around an MMIO gap. */
		.desc = "C1 3 GiB around an MMIO gap",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
			ML_LIST(mmio, R(G(1), G(2))),
		},
		.recs = {
			REC(0, G(1), 0, K_RAM), REC(G(1), G(2), 0, K_MMIO),
			REC(G(2), G(4), 0, K_RAM),
		},
		.nr = 3,
	}, {
		/* SPEC F1, C1: one RAM range, nothing else. */
		.desc = "C1 one page, no hole",
		.req = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = ML_PAGE },
		.recs = { REC(0, ML_PAGE, 0, K_RAM) },
		.nr = 1,
	}, {
		/* SPEC F1, C2: two nodes split around two holes. */
		.desc = "C2 two nodes around MMIO and ECAM",
		.req = {
			.source = MEMLAYOUT_FROM_NODES,
			ML_NODES(G(1), G(2)),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_LIST(pci_ecam, R(G(3), ECAM_E)),
		},
		.recs = {
			REC(0, G(1), 0, K_RAM), REC(G(1), G(2), 0, K_MMIO),
			REC(G(2), G(3), 1, K_RAM), REC(G(3), ECAM_E, 0, K_ECAM),
			REC(ECAM_E, G(4) + ML_MB(256), 1, K_RAM),
		},
		.nr = 5,
	}, {
		/* SPEC F1, C3: every kind, vnodes, touching ranges. */
		.desc = "C3 every kind",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(1), G(2), 1),
				RN(G(4), G(6), 0xfffffffe)),
			ML_LIST(mmio, R(G(2), G(3)), R(G(64), G(128))),
			ML_LIST(pci_ecam, R(G(3), ECAM_E)),
			ML_LIST(pci_mmio, R(ECAM_E, G(4))),
		},
		.recs = {
			REC(0, G(1), 0, K_RAM), REC(G(1), G(2), 1, K_RAM),
			REC(G(2), G(3), 0, K_MMIO), REC(G(3), ECAM_E, 0, K_ECAM),
			REC(ECAM_E, G(4), 0, K_PMMIO),
			REC(G(4), G(6), 0xfffffffe, K_RAM),
			REC(G(64), G(128), 0, K_MMIO),
		},
		.nr = 7,
	}, {
		/* SPEC F1: the VTL2 record comes last, vnode and kind 0. */
		.desc = "C1 with VTL2",
		.req = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_VTL2(ML_TB(1), ML_TB(1) + G(1)),
		},
		.recs = {
			REC(0, G(1), 0, K_RAM), REC(G(1), G(2), 0, K_MMIO),
			REC(G(2), G(4), 0, K_RAM),
		},
		.nr = 3,
		.vtl2_start = ML_TB(1), .vtl2_end = ML_TB(1) + G(1),
	}, {
		/* SPEC F1, C3: a hole at the top and VTL2 below it. */
		.desc = "C3 with VTL2 and a hole at MAX_ADDRESS",
		.req = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(ML_MB(1), G(2), 3)),
			ML_LIST(pci_mmio, R(ML_MAX - G(1), ML_MAX)),
			ML_VTL2(G(2), G(2) + ML_PAGE),
		},
		.recs = {
			REC(ML_MB(1), G(2), 3, K_RAM),
			REC(ML_MAX - G(1), ML_MAX, 0, K_PMMIO),
		},
		.nr = 2,
		.vtl2_start = G(2), .vtl2_end = G(2) + ML_PAGE,
	},
};

static void fp_case_desc(const struct fp_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fp, fp_cases, fp_case_desc);

/* Writes @v at @p as @bytes little-endian bytes; returns the next byte. */
static u8 *fp_put_le(u8 *p, u64 v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		*p++ = v >> (8 * i);
	return p;
}

/* Writes one 24-byte record: start, end (8 bytes each), vnode, kind. */
static u8 *fp_put_rec(u8 *p, u64 start, u64 end, u32 vnode, u32 kind)
{
	p = fp_put_le(p, start, 8);
	p = fp_put_le(p, end, 8);
	p = fp_put_le(p, vnode, 4);
	return fp_put_le(p, kind, 4);
}

/**
 * fp_expected() - SHA-256 over the documented encoding, written by hand
 * @test: the running test.
 * @recs: the ranges, in address order.
 * @nr: how many.
 * @vtl2: the VTL2 range (start and end), or %NULL.
 * @out: receives the %MEMLAYOUT_FINGERPRINT_SIZE bytes.
 */
static void fp_expected(struct kunit *test, const struct fp_rec *recs, u32 nr,
			const struct memlayout_range *vtl2, u8 *out)
{
	static const char tag[] = "memlayout.fp.v1\n";
	size_t len = 16 + 8 + (size_t)(nr + !!vtl2) * 24;
	u8 *buf, *p;
	u32 i;

	BUILD_BUG_ON(sizeof(tag) != 16 + 1);
	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, tag, 16);
	p = fp_put_le(buf + 16, nr, 4);
	p = fp_put_le(p, vtl2 ? 1 : 0, 4);
	for (i = 0; i < nr; i++)
		p = fp_put_rec(p, recs[i].start, recs[i].end, recs[i].vnode,
			       recs[i].kind);
	if (vtl2)
		p = fp_put_rec(p, vtl2->start, vtl2->end, 0, 0);
	KUNIT_ASSERT_EQ(test, p - buf, len);
	sha256(buf, len, out);
	kunit_kfree(test, buf);
}

/* Expects two fingerprints to be equal, both printed if they are not. */
#define FP_EXPECT_EQ(test, got, want)					\
	KUNIT_EXPECT_MEMEQ_MSG(test, got, want, MEMLAYOUT_FINGERPRINT_SIZE,	\
			       "fingerprint")

/*
 * A layout and its fingerprint: memlayout_build() leaves the SHA-256 to
 * the publisher (memlayout_set_accepted()), so these tests compute it as
 * SET_LAYOUT does before they read it.
 */
static struct memlayout *fp_build(struct kunit *test,
				  const struct memlayout_request *req)
{
	struct memlayout *l = ml_build_ok(test, req);

	memlayout_fingerprint_layout(l, true);
	return l;
}

/* SPEC F1: the fingerprint is SHA-256 over the documented encoding. */
static void fp_matches_documented_encoding(struct kunit *test)
{
	const struct fp_case *t = test->param_value;
	struct memlayout *l = fp_build(test, &t->req);
	struct memlayout_range vtl2 = { .start = t->vtl2_start, .end = t->vtl2_end };
	u8 want[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_entry e;
	u32 i;

	/* The row lists exactly the layout's ranges. */
	KUNIT_ASSERT_EQ(test, l->nr, t->nr);
	for (i = 0; i < t->nr; i++) {
		memlayout_entry(l, i, &e);
		KUNIT_EXPECT_EQ_MSG(test, e.start, t->recs[i].start, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e.end, t->recs[i].end, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e.vnode, t->recs[i].vnode, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, e.kind, t->recs[i].kind, "entry %u", i);
	}
	KUNIT_EXPECT_EQ(test, memlayout_count(l, MEMLAYOUT_LIST_VTL2),
			t->vtl2_end ? 1U : 0U);

	fp_expected(test, t->recs, t->nr, t->vtl2_end ? &vtl2 : NULL, want);
	FP_EXPECT_EQ(test, l->fingerprint, want);
}

/*
 * SPEC F1 on a layout of more than 1024 ranges (the build reschedules
 * while it hashes): 1500 RAM ranges of one page, one page apart, on
 * vnodes 0..6, and 1500 MMIO gaps in between.
 */
#define FP_MANY	1500

static void fp_matches_encoding_many_ranges(struct kunit *test)
{
	struct memlayout_range *ram, *mmio;
	u8 want[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_RANGES,
		.nr_ram = FP_MANY,
		.nr_mmio = FP_MANY,
	};
	struct fp_rec *recs;
	struct memlayout *l;
	u32 i;

	ram = kunit_kcalloc(test, FP_MANY, sizeof(*ram), GFP_KERNEL);
	mmio = kunit_kcalloc(test, FP_MANY, sizeof(*mmio), GFP_KERNEL);
	recs = kunit_kcalloc(test, 2 * FP_MANY, sizeof(*recs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_ASSERT_NOT_NULL(test, mmio);
	KUNIT_ASSERT_NOT_NULL(test, recs);
	for (i = 0; i < FP_MANY; i++) {
		u64 base = (u64)i * 2 * ML_PAGE;

		ram[i].start = base;
		ram[i].end = base + ML_PAGE;
		ram[i].vnode = i % 7;
		mmio[i].start = base + ML_PAGE;
		mmio[i].end = base + 2 * ML_PAGE;
		recs[2 * i] = (struct fp_rec)REC(base, base + ML_PAGE, i % 7, K_RAM);
		recs[2 * i + 1] = (struct fp_rec)REC(base + ML_PAGE,
						     base + 2 * ML_PAGE, 0, K_MMIO);
	}
	req.ram = ram;
	req.mmio = mmio;
	l = fp_build(test, &req);
	KUNIT_ASSERT_EQ(test, l->nr, 2 * FP_MANY);
	fp_expected(test, recs, 2 * FP_MANY, NULL, want);
	FP_EXPECT_EQ(test, l->fingerprint, want);
}

/*
 * SPEC F1, golden values computed outside the kernel, for C1 3 GiB around
 * an MMIO gap [1 GiB, 2 GiB), then the same with VTL2 [1 TiB, 1 TiB +
 * 1 GiB). This command prints both (without the leading " * "):
 *
 * python3 -c 'import hashlib, struct; G = 1 << 30; T = 1 << 40; p = struct.pack; print(
 *   hashlib.sha256(b"memlayout.fp.v1\n" + p("<II", 3, 0) + p("<QQII", 0, G, 0, 1) +
 *   p("<QQII", G, 2 * G, 0, 2) + p("<QQII", 2 * G, 4 * G, 0, 1)).hexdigest(),
 *   hashlib.sha256(b"memlayout.fp.v1\n" + p("<II", 3, 1) + p("<QQII", 0, G, 0, 1) +
 *   p("<QQII", G, 2 * G, 0, 2) + p("<QQII", 2 * G, 4 * G, 0, 1) +
 *   p("<QQII", T, T + G, 0, 0)).hexdigest())'
 *
 * 662e5bddb642d17d0d863a7652038d6cce3569608f41fc511a1a50fd8819596b
 * 061f087e036265a7dfff463dc0e96933ec2a3be17f8c53b13930f531a81e0546
 */
static const u8 fp_golden_c1[MEMLAYOUT_FINGERPRINT_SIZE] = {
	0x66, 0x2e, 0x5b, 0xdd, 0xb6, 0x42, 0xd1, 0x7d,
	0x0d, 0x86, 0x3a, 0x76, 0x52, 0x03, 0x8d, 0x6c,
	0xce, 0x35, 0x69, 0x60, 0x8f, 0x41, 0xfc, 0x51,
	0x1a, 0x1a, 0x50, 0xfd, 0x88, 0x19, 0x59, 0x6b,
};

static const u8 fp_golden_c1_vtl2[MEMLAYOUT_FINGERPRINT_SIZE] = {
	0x06, 0x1f, 0x08, 0x7e, 0x03, 0x62, 0x65, 0xa7,
	0xdf, 0xff, 0x46, 0x3d, 0xc0, 0xe9, 0x69, 0x33,
	0xec, 0x2a, 0x3b, 0xe1, 0x7f, 0x8c, 0x53, 0xb1,
	0x39, 0x30, 0xf5, 0x31, 0xa8, 0x1e, 0x05, 0x46,
};

static const struct memlayout_request fp_golden_req = {
	.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
	ML_LIST(mmio, R(G(1), G(2))),
};

static const struct memlayout_request fp_golden_req_vtl2 = {
	.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
	ML_LIST(mmio, R(G(1), G(2))),
	ML_VTL2(ML_TB(1), ML_TB(1) + G(1)),
};

/* SPEC F1: C1 3 GiB around [1 GiB, 2 GiB), without and with VTL2. */
static void fp_golden_values(struct kunit *test)
{
	FP_EXPECT_EQ(test, fp_build(test, &fp_golden_req)->fingerprint,
		     fp_golden_c1);
	FP_EXPECT_EQ(test, fp_build(test, &fp_golden_req_vtl2)->fingerprint,
		     fp_golden_c1_vtl2);
}

/**
 * struct fp_pair_case - two requests whose fingerprints must (not) match
 * @desc: row name.
 * @a: the first request.
 * @b: the second.
 * @equal: the two layouts are the same layout.
 */
struct fp_pair_case {
	const char *desc;
	struct memlayout_request a;
	struct memlayout_request b;
	bool equal;
};

/*
 * The base of the "changes it" rows: C3 with every kind of range, RAM
 * [0, 1 GiB) on vnode 0 and [4 GiB, 6 GiB) on vnode 1.
 */
#define FP_BASE_MMIO	R(G(1), G(2))
#define FP_BASE_ECAM	R(G(2), G(3))
#define FP_BASE_PMMIO	R(G(3), G(4))
#define FP_BASE {							\
	.source = MEMLAYOUT_FROM_RANGES,				\
	ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 1)),					\
	ML_LIST(mmio, FP_BASE_MMIO),					\
	ML_LIST(pci_ecam, FP_BASE_ECAM),				\
	ML_LIST(pci_mmio, FP_BASE_PMMIO),				\
}

static const struct fp_pair_case fp_pair_cases[] = {
	/* SPEC F1: equal layouts, however they were built. */
	{
		.desc = "C1 equals C3 of its ranges",
		.a = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_LIST(pci_ecam, R(G(5), G(6))),
		},
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, G(1)), R(G(2), G(4))),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_LIST(pci_ecam, R(G(5), G(6))),
		},
		.equal = true,
	}, {
		.desc = "C1 with VTL2 equals C3 with the same VTL2",
		.a = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_VTL2(ML_TB(1), ML_TB(1) + G(1)),
		},
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, G(1)), R(G(2), G(4))),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_VTL2(ML_TB(1), ML_TB(1) + G(1)),
		},
		.equal = true,
	}, {
		.desc = "C2 with one node equals C1",
		.a = {
			.source = MEMLAYOUT_FROM_NODES, ML_NODES(G(3)),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_LIST(pci_mmio, R(G(3), G(4))),
		},
		.b = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
			ML_LIST(mmio, R(G(1), G(2))),
			ML_LIST(pci_mmio, R(G(3), G(4))),
		},
		.equal = true,
	}, {
		.desc = "C2 with two nodes equals C3 with their vnodes",
		.a = {
			.source = MEMLAYOUT_FROM_NODES, ML_NODES(G(2), G(1)),
			ML_LIST(mmio, R(G(1), G(2))),
		},
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(2), G(3), 0),
				RN(G(3), G(4), 1)),
			ML_LIST(mmio, R(G(1), G(2))),
		},
		.equal = true,
	}, {
		.desc = "the same C3 request twice",
		.a = FP_BASE, .b = FP_BASE, .equal = true,
	},

	/* SPEC F1: any change to any one range changes it. */
	{
		.desc = "RAM 1 start moves by a page",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4) + ML_PAGE, G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_ecam, FP_BASE_ECAM),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
		},
	}, {
		.desc = "RAM 0 end moves by a page",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1) - ML_PAGE, 0), RN(G(4), G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_ecam, FP_BASE_ECAM),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
		},
	}, {
		.desc = "RAM 1 vnode 1 -> 2",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 2)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_ecam, FP_BASE_ECAM),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
		},
	}, {
		.desc = "MMIO gap end moves by a page",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 1)),
			ML_LIST(mmio, R(G(1), G(2) - ML_PAGE)),
			ML_LIST(pci_ecam, FP_BASE_ECAM),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
		},
	}, {
		.desc = "kind: the PCI MMIO hole becomes an MMIO gap",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO, FP_BASE_PMMIO),
			ML_LIST(pci_ecam, FP_BASE_ECAM),
		},
	}, {
		.desc = "kind: the ECAM hole becomes a PCI MMIO hole",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_mmio, FP_BASE_ECAM, FP_BASE_PMMIO),
		},
	}, {
		.desc = "kind: the ECAM hole becomes RAM",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(2), G(3), 0),
				RN(G(4), G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
		},
	}, {
		.desc = "a range removed (the ECAM hole)",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
		},
	}, {
		.desc = "VTL2 added",
		.a = FP_BASE,
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, RN(0, G(1), 0), RN(G(4), G(6), 1)),
			ML_LIST(mmio, FP_BASE_MMIO),
			ML_LIST(pci_ecam, FP_BASE_ECAM),
			ML_LIST(pci_mmio, FP_BASE_PMMIO),
			ML_VTL2(G(6), G(6) + ML_PAGE),
		},
	}, {
		.desc = "VTL2 removed",
		.a = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(1),
			ML_VTL2(G(8), G(9)),
		},
		.b = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = G(1) },
	}, {
		.desc = "VTL2 end moves by a page",
		.a = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(1),
			ML_VTL2(G(8), G(9)),
		},
		.b = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(1),
			ML_VTL2(G(8), G(9) + ML_PAGE),
		},
	}, {
		.desc = "C1 vs C3 with its last RAM range split in two",
		.a = {
			.source = MEMLAYOUT_FROM_SIZE, .ram_size = G(3),
			ML_LIST(mmio, R(G(1), G(2))),
		},
		.b = {
			.source = MEMLAYOUT_FROM_RANGES,
			ML_LIST(ram, R(0, G(1)), R(G(2), G(3)), R(G(3), G(4))),
			ML_LIST(mmio, R(G(1), G(2))),
		},
	}, {
		.desc = "one RAM range split in two at a node boundary",
		.a = { .source = MEMLAYOUT_FROM_SIZE, .ram_size = G(2) },
		.b = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(G(1), G(1)) },
	}, {
		.desc = "C2 node sizes swapped",
		.a = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(G(1), G(2)) },
		.b = { .source = MEMLAYOUT_FROM_NODES, ML_NODES(G(2), G(1)) },
	},
};

static void fp_pair_desc(const struct fp_pair_case *t, char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fp_pair, fp_pair_cases, fp_pair_desc);

/*
 * SPEC F1: equal layouts have equal fingerprints however they were built;
 * a change to any range changes it. An equal pair is also checked to be
 * the same ranges (memlayout_entry()), so the row cannot be wrong.
 */
static void fp_equal_iff_same_layout(struct kunit *test)
{
	const struct fp_pair_case *t = test->param_value;
	struct memlayout *a = fp_build(test, &t->a);
	struct memlayout *b = fp_build(test, &t->b);
	struct memlayout_entry ea, eb;
	bool same;
	u32 i;

	same = a->nr == b->nr &&
	       memlayout_count(a, MEMLAYOUT_LIST_VTL2) ==
	       memlayout_count(b, MEMLAYOUT_LIST_VTL2) &&
	       a->vtl2_start == b->vtl2_start && a->vtl2_end == b->vtl2_end;
	for (i = 0; same && i < a->nr; i++) {
		memlayout_entry(a, i, &ea);
		memlayout_entry(b, i, &eb);
		same = !memcmp(&ea, &eb, sizeof(ea));
	}
	KUNIT_EXPECT_EQ_MSG(test, same, t->equal, "the row's two layouts");
	if (t->equal)
		FP_EXPECT_EQ(test, a->fingerprint, b->fingerprint);
	else
		KUNIT_EXPECT_MEMNEQ(test, a->fingerprint, b->fingerprint,
				    MEMLAYOUT_FINGERPRINT_SIZE);
}

static const struct memlayout_request fp_streamed_req = {
	.source = MEMLAYOUT_FROM_NODES, ML_NODES(G(1), G(2)),
	ML_LIST(mmio, R(G(1), G(2))),
	ML_LIST(pci_ecam, R(G(3), ECAM_E)),
	ML_VTL2(ML_TB(2), ML_TB(2) + ML_PAGE),
};

/*
 * SPEC F1: what the core reports is what it stored: GET_STATS'
 * memlayout_fill_stats() and the streaming encoder, fed the layout's
 * entries, both give the build's fingerprint.
 */
static void fp_reported_and_streamed(struct kunit *test)
{
	struct memlayout *l = fp_build(test, &fp_streamed_req);
	struct memlayout_range vtl2;
	u8 got[MEMLAYOUT_FINGERPRINT_SIZE];
	struct memlayout_stats *st;
	struct memlayout_entry e;
	struct memlayout_fp fp;
	u32 i;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	memset(st->fingerprint, 0xa5, sizeof(st->fingerprint));
	st->size = sizeof(*st);
	memlayout_fill_stats(l, st);
	FP_EXPECT_EQ(test, st->fingerprint, l->fingerprint);

	KUNIT_ASSERT_EQ(test, memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &vtl2), 0);
	memlayout_fp_begin(&fp, l->nr, true);
	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		memlayout_fp_range(&fp, e.start, e.end, e.vnode, e.kind);
	}
	memlayout_fp_end(&fp, &vtl2, got);
	FP_EXPECT_EQ(test, got, l->fingerprint);
}

/*
 * SPEC F1: every layout SET_LAYOUT publishes or dry-runs has its
 * fingerprint. memlayout_build() leaves it zero (a build costs what the
 * seed's does); memlayout_set_accepted(), which every SET_LAYOUT reply
 * passes through, computes it, for a dry run and for a real one.
 */
static void fp_computed_by_publisher(struct kunit *test)
{
	struct memlayout *dry = ml_build_ok(test, &fp_golden_req);
	struct memlayout *real = ml_build_ok(test, &fp_golden_req_vtl2);
	u8 zero[MEMLAYOUT_FINGERPRINT_SIZE] = { 0 };
	struct memlayout_set *s;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	FP_EXPECT_EQ(test, dry->fingerprint, zero);
	FP_EXPECT_EQ(test, real->fingerprint, zero);

	s->flags = MEMLAYOUT_SET_DRY_RUN;
	s->generation = 5;
	KUNIT_EXPECT_FALSE(test, memlayout_set_accepted(s, dry));
	KUNIT_EXPECT_EQ(test, s->generation, 0ULL);
	FP_EXPECT_EQ(test, s->fingerprint, fp_golden_c1);
	FP_EXPECT_EQ(test, dry->fingerprint, fp_golden_c1);

	s->flags = 0;
	KUNIT_EXPECT_TRUE(test, memlayout_set_accepted(s, real));
	FP_EXPECT_EQ(test, s->fingerprint, fp_golden_c1_vtl2);
	FP_EXPECT_EQ(test, real->fingerprint, fp_golden_c1_vtl2);
}

static struct kunit_case fp_test_cases[] = {
	KUNIT_CASE_PARAM(fp_matches_documented_encoding, fp_gen_params),
	KUNIT_CASE(fp_matches_encoding_many_ranges),
	KUNIT_CASE(fp_computed_by_publisher),
	KUNIT_CASE(fp_golden_values),
	KUNIT_CASE_PARAM(fp_equal_iff_same_layout, fp_pair_gen_params),
	KUNIT_CASE(fp_reported_and_streamed),
	{}
};

static struct kunit_suite fp_suite = {
	.name = "memlayout_fingerprint",
	.test_cases = fp_test_cases,
};

kunit_test_suite(fp_suite);
