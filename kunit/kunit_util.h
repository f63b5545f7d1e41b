/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the memlayout KUnit suites: range and request
 * constructors, a managed layout builder and the assertions the suites
 * repeat (an exact error report, an exact list of ranges).
 */
#ifndef _MEMLAYOUT_KUNIT_UTIL_H
#define _MEMLAYOUT_KUNIT_UTIL_H

#include <kunit/test.h>
#include <kunit/resource.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/memlayout.h>

#define ML_PAGE		MEMLAYOUT_PAGE_SIZE
#define ML_MAX		MEMLAYOUT_MAX_ADDRESS
#define ML_4G		MEMLAYOUT_4GB
#define ML_KB(x)	((u64)(x) << 10)
#define ML_MB(x)	((u64)(x) << 20)
#define ML_GB(x)	((u64)(x) << 30)
#define ML_TB(x)	((u64)(x) << 40)

/* Initializer of a struct memlayout_range, [s, e) on vnode 0 or n. */
#define R(s, e)		{ .start = (s), .end = (e) }
#define RN(s, e, n)	{ .start = (s), .end = (e), .vnode = (n) }

/* An anonymous array of ranges and its length. */
#define ML_RANGES(...)	((const struct memlayout_range[]){ __VA_ARGS__ })
#define ML_NR(...)	((u32)(sizeof(ML_RANGES(__VA_ARGS__)) /		\
			       sizeof(struct memlayout_range)))

/*
 * Designated initializers for one list of a struct memlayout_request:
 * ML_LIST(mmio, R(a, b), R(c, d)) sets .mmio and .nr_mmio. @name is one of
 * ram, mmio, pci_ecam, pci_mmio.
 */
#define ML_LIST(name, ...)						\
	.name = ML_RANGES(__VA_ARGS__), .nr_##name = ML_NR(__VA_ARGS__)

/* .node_sizes/.nr_nodes of a C2 request. */
#define ML_NODES(...)							\
	.node_sizes = ((const u64[]){ __VA_ARGS__ }),			\
	.nr_nodes = (u32)(sizeof((const u64[]){ __VA_ARGS__ }) / sizeof(u64))

/* .vtl2 of a request. */
#define ML_VTL2(s, e)	.vtl2 = &((const struct memlayout_range)R(s, e))

/* A struct memlayout_error initializer, e.g. ML_ERR(OVERLAP, RAM, 0, MMIO, 1). */
#define ML_ERR(r, l, i, ol, oi) {					\
	.rule = MEMLAYOUT_RULE_##r, .list = MEMLAYOUT_LIST_##l,		\
	.index = (i), .other_list = MEMLAYOUT_LIST_##ol,		\
	.other_index = (oi),						\
}

KUNIT_DEFINE_ACTION_WRAPPER(ml_free_action, memlayout_free, struct memlayout *);

/**
 * ml_build() - build a layout whose lifetime is managed by @test
 * @test: the running test.
 * @req: the request.
 * @err: receives the error report; pre-filled with garbage so that a core
 *       which does not always fill it is caught.
 *
 * Return: the layout (freed when @test ends) or an ERR_PTR().
 */
static noinline __maybe_unused struct memlayout *
ml_build(struct kunit *test, const struct memlayout_request *req,
	 struct memlayout_error *err)
{
	struct memlayout *l;

	memset(err, 0xa5, sizeof(*err));
	l = memlayout_build(req, GFP_KERNEL, err);
	KUNIT_ASSERT_NOT_NULL_MSG(test, l, "memlayout_build() returned NULL");
	if (!IS_ERR(l))
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, ml_free_action, l));
	return l;
}

/* Expect @got to equal @want field by field. */
static noinline __maybe_unused void
ml_expect_error_eq(struct kunit *test, const struct memlayout_error *got,
		   const struct memlayout_error *want)
{
	KUNIT_EXPECT_EQ_MSG(test, got->rule, want->rule, "error.rule");
	KUNIT_EXPECT_EQ_MSG(test, got->list, want->list, "error.list");
	KUNIT_EXPECT_EQ_MSG(test, got->index, want->index, "error.index");
	KUNIT_EXPECT_EQ_MSG(test, got->other_list, want->other_list,
			    "error.other_list");
	KUNIT_EXPECT_EQ_MSG(test, got->other_index, want->other_index,
			    "error.other_index");
}

/**
 * ml_build_ok() - build a layout that must be accepted
 * @test: the running test.
 * @req: a valid request.
 *
 * Aborts the test if the request is rejected; checks the error report is
 * all zero on success.
 *
 * Return: the layout, freed when @test ends.
 */
static noinline __maybe_unused struct memlayout *
ml_build_ok(struct kunit *test, const struct memlayout_request *req)
{
	static const struct memlayout_error none = {};
	struct memlayout_error err;
	struct memlayout *l;

	l = ml_build(test, req, &err);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(l),
			       "rejected: errno %ld rule %u list %u index %u other %u/%u",
			       PTR_ERR(l), err.rule, err.list, err.index,
			       err.other_list, err.other_index);
	ml_expect_error_eq(test, &err, &none);
	return l;
}

/**
 * ml_expect_reject() - expect a request to be rejected exactly so
 * @test: the running test.
 * @req: the request.
 * @errno: the expected negative errno.
 * @want: the expected error report.
 *
 * Also checks that @errno is what memlayout_rule_errno() maps the rule to.
 */
static noinline __maybe_unused void
ml_expect_reject(struct kunit *test, const struct memlayout_request *req,
		 int errno, const struct memlayout_error *want)
{
	struct memlayout_error err;
	struct memlayout *l;

	l = ml_build(test, req, &err);
	KUNIT_ASSERT_TRUE_MSG(test, IS_ERR(l), "accepted, expected %d", errno);
	KUNIT_EXPECT_EQ(test, PTR_ERR(l), (long)errno);
	KUNIT_EXPECT_EQ(test, memlayout_rule_errno(want->rule), errno);
	ml_expect_error_eq(test, &err, want);
}

/* Expect a request to be accepted if @errno is 0, else rejected exactly. */
static inline struct memlayout *
ml_expect_outcome(struct kunit *test, const struct memlayout_request *req,
		  int errno, const struct memlayout_error *want)
{
	if (!errno)
		return ml_build_ok(test, req);
	ml_expect_reject(test, req, errno, want);
	return NULL;
}

/* Expect range @index of @list in @l to be exactly @want (vnode included). */
static noinline __maybe_unused void
ml_expect_range(struct kunit *test, const struct memlayout *l, u32 list,
		u32 index, const struct memlayout_range *want)
{
	struct memlayout_range got = {};

	KUNIT_ASSERT_EQ_MSG(test, memlayout_get_range(l, list, index, &got), 0,
			    "list %u index %u", list, index);
	KUNIT_EXPECT_EQ_MSG(test, got.start, want->start,
			    "start of list %u index %u", list, index);
	KUNIT_EXPECT_EQ_MSG(test, got.end, want->end,
			    "end of list %u index %u", list, index);
	KUNIT_EXPECT_EQ_MSG(test, got.vnode, want->vnode,
			    "vnode of list %u index %u", list, index);
}

/**
 * ml_expect_list() - expect a whole list of a layout (SPEC Q1)
 * @test: the running test.
 * @l: the layout.
 * @list: a MEMLAYOUT_LIST_* value.
 * @want: the expected ranges, in order.
 * @n: number of entries in @want.
 *
 * Checks the count, every range and that index @n is -ENOENT.
 */
static noinline __maybe_unused void
ml_expect_list(struct kunit *test, const struct memlayout *l, u32 list,
	       const struct memlayout_range *want, u32 n)
{
	struct memlayout_range got;
	u32 i;

	KUNIT_ASSERT_EQ_MSG(test, memlayout_count(l, list), n,
			    "count of list %u", list);
	for (i = 0; i < n; i++)
		ml_expect_range(test, l, list, i, &want[i]);
	KUNIT_EXPECT_EQ_MSG(test, memlayout_get_range(l, list, n, &got), -ENOENT,
			    "list %u index %u past the end", list, n);
}

/* Expect @list of @l to be exactly the ranges given (kept in .rodata). */
#define ML_EXPECT_LIST(test, l, list, ...) do {				\
	static const struct memlayout_range __ml_want[] = { __VA_ARGS__ };	\
									\
	ml_expect_list(test, l, list, __ml_want, ARRAY_SIZE(__ml_want));	\
} while (0)

/* Expect @list of @l to be empty. */
static inline void ml_expect_empty(struct kunit *test, const struct memlayout *l,
				   u32 list)
{
	ml_expect_list(test, l, list, NULL, 0);
}

/*
 * SPEC C4 placement requests (struct memlayout_place_req) and placed
 * ranges (struct memlayout_placed), shared by the placement suite and the
 * ioctl suites.
 */
/* Requests, one per class (kinds by their MEMLAYOUT_KIND_* suffix). */
#define RSV(s, e)	{ .place_class = MEMLAYOUT_CLASS_RESERVED,		\
			  .start = (s), .end = (e) }
#define FIX(k, s, e)	{ .place_class = MEMLAYOUT_CLASS_FIXED,		\
			  .kind = MEMLAYOUT_KIND_##k, .start = (s), .end = (e) }
#define M32(k, sz, al)	{ .place_class = MEMLAYOUT_CLASS_MMIO32,		\
			  .kind = MEMLAYOUT_KIND_##k, .size = (sz), .align = (al) }
#define RAMQ(sz, al)	{ .place_class = MEMLAYOUT_CLASS_RAM,			\
			  .size = (sz), .align = (al) }
#define M64(k, sz, al)	{ .place_class = MEMLAYOUT_CLASS_MMIO64,		\
			  .kind = MEMLAYOUT_KIND_##k, .size = (sz), .align = (al) }
#define POST(k, sz, al)	{ .place_class = MEMLAYOUT_CLASS_POST_MMIO,		\
			  .kind = MEMLAYOUT_KIND_##k, .size = (sz), .align = (al) }
#define VTL2Q(sz, al)	{ .place_class = MEMLAYOUT_CLASS_POST_MMIO,		\
			  .kind = MEMLAYOUT_PLACE_VTL2, .size = (sz), .align = (al) }
/* Any class and kind, for the rows that break the interface's rules. */
#define RAWQ(c, k, s, e, sz, al) { .place_class = (c), .kind = (k),		\
			  .start = (s), .end = (e), .size = (sz), .align = (al) }

#define PL_REQS(...)							\
	.reqs = (const struct memlayout_place_req[]){ __VA_ARGS__ },	\
	.n = (u32)(sizeof((const struct memlayout_place_req[]){ __VA_ARGS__ }) / \
		   sizeof(struct memlayout_place_req))

/* Expected placed ranges. */
#define WRSV(s, e, i)	{ .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_RESERVED, .index = (i) }
#define WFIX(k, s, e, i) { .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_FIXED, .index = (i),	\
			  .kind = MEMLAYOUT_KIND_##k }
#define WM32(k, s, e, i) { .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_MMIO32, .index = (i),	\
			  .kind = MEMLAYOUT_KIND_##k }
/* RAM of request @i on node @v (SPEC C4 "ram": the i-th is vnode i). */
#define WRAM(s, e, i, v) { .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_RAM, .index = (i),	\
			  .kind = MEMLAYOUT_KIND_RAM, .vnode = (v) }
#define WM64(k, s, e, i) { .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_MMIO64, .index = (i),	\
			  .kind = MEMLAYOUT_KIND_##k }
#define WPOST(k, s, e, i) { .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_POST_MMIO, .index = (i),	\
			  .kind = MEMLAYOUT_KIND_##k }
#define WVTL2(s, e, i)	{ .start = (s), .end = (e),			\
			  .place_class = MEMLAYOUT_CLASS_POST_MMIO, .index = (i),	\
			  .kind = MEMLAYOUT_PLACE_VTL2 }

#define PL_WANT(...)							\
	.want = (const struct memlayout_placed[]){ __VA_ARGS__ },	\
	.nr_want = (u32)(sizeof((const struct memlayout_placed[]){ __VA_ARGS__ }) / \
			 sizeof(struct memlayout_placed))

/* Deterministic pseudo-random numbers (Knuth's MMIX LCG). */
static inline u64 ml_lcg_next(u64 *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state;
}

/**
 * ml_ref_probe() - reference probe by linear scan of the lists
 * @l: the layout.
 * @addr: the address.
 *
 * An oracle that only uses memlayout_count() and memlayout_get_range().
 *
 * Return: the MEMLAYOUT_KIND_* of the range holding @addr, or NONE.
 */
static noinline __maybe_unused u32
ml_ref_probe(const struct memlayout *l, u64 addr)
{
	struct memlayout_range r;
	u32 kind, i, n;

	for (kind = MEMLAYOUT_KIND_RAM; kind <= MEMLAYOUT_KIND_PCI_MMIO; kind++) {
		n = memlayout_count(l, kind);
		for (i = 0; i < n; i++) {
			if (memlayout_get_range(l, kind, i, &r))
				return U32_MAX;
			if (r.start <= addr && addr < r.end)
				return kind;
		}
	}
	return MEMLAYOUT_KIND_NONE;
}

#endif /* _MEMLAYOUT_KUNIT_UTIL_H */
