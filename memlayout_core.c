// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout core: build, validate and query guest-physical memory layouts.
 *
 * The contract is SPEC (Documentation/memlayout.rst maps each rule to the
 * code below); the original is OpenVMM's vm_topology::memory in Rust.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <linux/memlayout.h>

#include "memlayout_names.h"

/**
 * DOC: Design
 *
 * A layout is one allocation: a header with every statistic precomputed,
 * all RAM and hole ranges sorted by address as three parallel arrays
 * (starts; end, vnode and kind; so a probe is one branch-free binary search
 * over the dense starts), and an index array grouping the ranges by kind
 * (so the i-th range of any list is found in O(1)). It costs 28 bytes a
 * range.
 *
 * memlayout_build() checks the request's lists one by one (R8, R1, R2, R3),
 * then produces the ranges in address order in a single merge of the sorted
 * input lists: C3 merges the RAM list with the three hole lists; C1 and C2
 * place RAM into the free space in front of each hole as the merged hole
 * lists go by. Every produced range is compared with the one before it, which
 * finds any overlap (R4) because the sequence is sorted by start. C1/C2 run
 * the placement twice, first only to count the RAM ranges (and to find R6),
 * so the layout is allocated once, at its exact size. Building is O(n).
 *
 * The core never touches user memory and never sleeps except in the
 * allocation (as @gfp allows). A built layout is never modified.
 */

static unsigned int max_ranges = MEMLAYOUT_DEFAULT_MAX_RANGES;

/**
 * max_ranges_set() - bound the max_ranges module parameter
 * @val: the string written to the parameter.
 * @kp: the parameter.
 *
 * Context: process context.
 * Return: 0, or -EINVAL when @val is not in 1..%MEMLAYOUT_MAX_RANGES_LIMIT.
 */
static int max_ranges_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, MEMLAYOUT_MAX_RANGES_LIMIT);
}

static const struct kernel_param_ops max_ranges_ops = {
	.set = max_ranges_set,
	.get = param_get_uint,
};
module_param_cb(max_ranges, &max_ranges_ops, &max_ranges, 0644);
MODULE_PARM_DESC(max_ranges,
		 "Most ranges in any one list of a layout request (SPEC R8), 1..65536 (default 4096)");

/**
 * memlayout_max_ranges() - the current R8 limit
 *
 * Context: any.
 * Return: the max_ranges module parameter.
 */
u32 memlayout_max_ranges(void)
{
	return READ_ONCE(max_ranges);
}
EXPORT_SYMBOL_GPL(memlayout_max_ranges);

/*
 * Layouts built and not yet released, for leak checks (memlayout_live()):
 * a per-CPU count, so that a build and a free cost no locked instruction
 * (a layout freed on another CPU than it was built leaves one count above
 * and one below zero; their sum is what matters).
 */
static DEFINE_PER_CPU(long, ml_live);

/* The four range lists live at indexes MEMLAYOUT_LIST_RAM..PCI_MMIO. */
#define ML_NR_RANGE_LISTS	(MEMLAYOUT_LIST_PCI_MMIO + 1)

/**
 * struct ml_cursor - a merge of several sorted range lists
 * @r: the lists, indexed by ``MEMLAYOUT_LIST_*``.
 * @nr: number of ranges in each list.
 * @pos: index of the next unconsumed range in each list.
 * @live: the ids of the lists taking part that still have ranges, in
 *        ascending order (empty lists cost the merge nothing).
 * @nr_live: number of entries of @live.
 */
struct ml_cursor {
	const struct memlayout_range *r[ML_NR_RANGE_LISTS];
	u32 nr[ML_NR_RANGE_LISTS];
	u32 pos[ML_NR_RANGE_LISTS];
	u8 live[ML_NR_RANGE_LISTS];
	u32 nr_live;
};

/**
 * struct ml_builder - state of one memlayout_build() call
 * @req: the request.
 * @err: where the reason of a rejection goes.
 * @l: the layout being filled.
 * @n: ranges produced so far.
 * @seen: ranges produced so far, per list.
 * @prev_end: end of the previously produced range.
 * @prev_list: list of the previously produced range.
 * @prev_index: index of the previously produced range in @prev_list.
 * @high_mmio_end: end of the second MMIO gap when there are exactly two.
 * @may_sleep: the caller's gfp flags allow blocking, so the build may
 *             reschedule.
 * @overlap: while placing (C1/C2), set at an overlap of two neighbours,
 *           reported (ml_first_overlap()) only if RAM fits: R6 comes first.
 * @work: steps taken so far, for ml_yield().
 *
 * Small enough for the compiler to zero with a few stores (a string store
 * costs a C3 build of four ranges a tenth of its time).
 */
struct ml_builder {
	const struct memlayout_request *req;
	struct memlayout_error *err;
	struct memlayout *l;
	u32 n;
	u32 seen[ML_NR_RANGE_LISTS];
	u64 prev_end;
	u32 prev_list;
	u32 prev_index;
	u64 high_mmio_end;
	bool may_sleep;
	bool overlap;
	u32 work;
};

/* Steps of a build between two chances to reschedule. */
#define ML_RESCHED_STEPS	1024

/**
 * ml_yield() - count one step of a build; now and then, let others run
 * @b: the build.
 *
 * The largest request max_ranges allows takes a few milliseconds; a
 * caller that may sleep (as its gfp flags say) reschedules every
 * %ML_RESCHED_STEPS ranges checked or produced, so it never stalls a CPU.
 *
 * Context: any; sleeps only if the build's gfp flags allow blocking.
 */
static void ml_yield(struct ml_builder *b)
{
	if (b->may_sleep && !(++b->work % ML_RESCHED_STEPS))
		cond_resched();
}

static const int ml_rule_errno[] = {
	[MEMLAYOUT_RULE_NONE] = 0,
	[MEMLAYOUT_RULE_BAD_SIZE] = -EINVAL,
	[MEMLAYOUT_RULE_BAD_RANGE] = -EINVAL,
	[MEMLAYOUT_RULE_BAD_ORDER] = -EINVAL,
	[MEMLAYOUT_RULE_OVERLAP] = -EEXIST,
	[MEMLAYOUT_RULE_NO_RAM] = -EINVAL,
	[MEMLAYOUT_RULE_TOO_LARGE] = -EOVERFLOW,
	[MEMLAYOUT_RULE_VTL2_BELOW_RAM] = -EINVAL,
	[MEMLAYOUT_RULE_TOO_MANY] = -E2BIG,
	[MEMLAYOUT_RULE_PLACE_SIZE] = -EINVAL,
	[MEMLAYOUT_RULE_PLACE_ALIGN] = -EINVAL,
	[MEMLAYOUT_RULE_PINNED_OVERLAP] = -EEXIST,
	[MEMLAYOUT_RULE_EXHAUSTED] = -ENOSPC,
};

static const char * const ml_rule_names[] = {
	[MEMLAYOUT_RULE_NONE] = "none",
	[MEMLAYOUT_RULE_BAD_SIZE] = "R1: bad RAM or node size",
	[MEMLAYOUT_RULE_BAD_RANGE] = "R2: bad range",
	[MEMLAYOUT_RULE_BAD_ORDER] = "R3: list not sorted or overlapping",
	[MEMLAYOUT_RULE_OVERLAP] = "R4: ranges overlap",
	[MEMLAYOUT_RULE_NO_RAM] = "R5: no RAM",
	[MEMLAYOUT_RULE_TOO_LARGE] = "R6: RAM does not fit below the maximum address",
	[MEMLAYOUT_RULE_VTL2_BELOW_RAM] = "R7: VTL2 below end of RAM",
	[MEMLAYOUT_RULE_TOO_MANY] = "R8: too many ranges",
	[MEMLAYOUT_RULE_PLACE_SIZE] = "P1: invalid size",
	[MEMLAYOUT_RULE_PLACE_ALIGN] = "P2: invalid alignment",
	[MEMLAYOUT_RULE_PINNED_OVERLAP] = "P3: reserved or fixed ranges overlap",
	[MEMLAYOUT_RULE_EXHAUSTED] = "P4: no room in the phase",
};

/**
 * memlayout_rule_errno() - the errno a rule's rejection returns
 * @rule: a ``MEMLAYOUT_RULE_*`` value.
 *
 * Context: any.
 * Return: the negative errno for @rule, 0 for %MEMLAYOUT_RULE_NONE, -EINVAL
 * for an unknown value.
 */
int memlayout_rule_errno(u32 rule)
{
	if (rule >= ARRAY_SIZE(ml_rule_errno))
		return -EINVAL;
	return ml_rule_errno[rule];
}
EXPORT_SYMBOL_GPL(memlayout_rule_errno);

/**
 * memlayout_rule_name() - a rule's SPEC tag and meaning, for messages
 * @rule: a ``MEMLAYOUT_RULE_*`` value.
 *
 * Context: any.
 * Return: a static string such as "R4: ranges overlap", or "unknown".
 */
const char *memlayout_rule_name(u32 rule)
{
	if (rule >= ARRAY_SIZE(ml_rule_names))
		return "unknown";
	return ml_rule_names[rule];
}
EXPORT_SYMBOL_GPL(memlayout_rule_name);

/**
 * memlayout_list_name() - a list's name, for messages
 * @list: a ``MEMLAYOUT_LIST_*`` value.
 *
 * Context: any.
 * Return: a static string such as "pci_ecam", or "unknown".
 */
const char *memlayout_list_name(u32 list)
{
	if (list >= ARRAY_SIZE(memlayout_list_names))
		return "unknown";
	return memlayout_list_names[list];
}
EXPORT_SYMBOL_GPL(memlayout_list_name);

/**
 * memlayout_kind_name() - a range kind's name, for messages
 * @kind: a ``MEMLAYOUT_KIND_*`` value.
 *
 * Context: any.
 * Return: a static string such as "mmio", or "unknown".
 */
const char *memlayout_kind_name(u32 kind)
{
	if (kind >= ARRAY_SIZE(memlayout_kind_names))
		return "unknown";
	return memlayout_kind_names[kind];
}
EXPORT_SYMBOL_GPL(memlayout_kind_name);

/**
 * ml_reject() - record why a request is rejected
 * @b: the build.
 * @rule: the rule broken.
 * @list: list of the offending item.
 * @index: index of the offending item.
 * @other_list: list of the second item (R4, R7), else 0.
 * @other_index: index of the second item (R4, R7), else 0.
 *
 * Context: any.
 * Return: the rule's negative errno.
 */
static int ml_reject(struct ml_builder *b, u32 rule, u32 list, u32 index,
		     u32 other_list, u32 other_index)
{
	b->err->rule = rule;
	b->err->list = list;
	b->err->index = index;
	b->err->other_list = other_list;
	b->err->other_index = other_index;
	return ml_rule_errno[rule];
}

/**
 * ml_list() - one of the request's range lists
 * @req: the request.
 * @list: %MEMLAYOUT_LIST_RAM..%MEMLAYOUT_LIST_PCI_MMIO.
 * @nr: receives the number of ranges.
 *
 * The RAM list is empty unless the request is C3.
 *
 * Context: any.
 * Return: the list's first range (may be %NULL when *@nr is 0).
 */
static const struct memlayout_range *
ml_list(const struct memlayout_request *req, u32 list, u32 *nr)
{
	switch (list) {
	case MEMLAYOUT_LIST_RAM:
		*nr = req->source == MEMLAYOUT_FROM_RANGES ? req->nr_ram : 0;
		return req->ram;
	case MEMLAYOUT_LIST_MMIO:
		*nr = req->nr_mmio;
		return req->mmio;
	case MEMLAYOUT_LIST_PCI_ECAM:
		*nr = req->nr_pci_ecam;
		return req->pci_ecam;
	default:
		*nr = req->nr_pci_mmio;
		return req->pci_mmio;
	}
}

/**
 * ml_bad_range() - SPEC R2 for one range
 * @r: the range.
 *
 * Context: any.
 * Return: true if @r is empty or reversed, unaligned, or ends above
 * %MEMLAYOUT_MAX_ADDRESS.
 */
static bool ml_bad_range(const struct memlayout_range *r)
{
	return r->start >= r->end ||
	       !IS_ALIGNED(r->start, MEMLAYOUT_PAGE_SIZE) ||
	       !IS_ALIGNED(r->end, MEMLAYOUT_PAGE_SIZE) ||
	       r->end > MEMLAYOUT_MAX_ADDRESS;
}

/**
 * ml_limit() - the R8 limit that applies to a request
 * @req: the request.
 *
 * Context: any.
 * Return: @req->max_ranges, or the module parameter when that is 0, never
 * more than %MEMLAYOUT_MAX_RANGES_LIMIT.
 */
static u32 ml_limit(const struct memlayout_request *req)
{
	u32 limit = req->max_ranges ? req->max_ranges : memlayout_max_ranges();

	return min(limit, MEMLAYOUT_MAX_RANGES_LIMIT);
}

/**
 * memlayout_check_counts() - SPEC R8 alone, before any array is copied
 * @req: the request; only the counts and @req->source are read, so the
 *       array pointers may still be %NULL.
 * @err: receives the reason of a rejection; zeroed otherwise.
 *
 * Lets a caller that copies the lists from userspace bound each copy first.
 * memlayout_build() makes the same check, in the same order: the RAM (C3),
 * mmio, pci_ecam and pci_mmio lists, then the node list (C2).
 *
 * Context: any.
 * Return: 0, or -E2BIG with @err naming the list and the limit.
 */
int memlayout_check_counts(const struct memlayout_request *req,
			   struct memlayout_error *err)
{
	struct ml_builder b = { .req = req, .err = err };
	u32 limit = ml_limit(req);
	u32 list, nr;

	memset(err, 0, sizeof(*err));
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		ml_list(req, list, &nr);
		if (nr > limit)
			return ml_reject(&b, MEMLAYOUT_RULE_TOO_MANY, list, limit, 0, 0);
	}
	if (req->source == MEMLAYOUT_FROM_NODES && req->nr_nodes > limit)
		return ml_reject(&b, MEMLAYOUT_RULE_TOO_MANY, MEMLAYOUT_LIST_NODES,
				 limit, 0, 0);
	return 0;
}
EXPORT_SYMBOL_GPL(memlayout_check_counts);

/**
 * ml_check_request() - the per-list rules R8, R1, R2 and R3
 * @b: the build.
 *
 * Checks, in this order: R8 (memlayout_check_counts()); R1; R2 for every
 * range of the RAM, mmio, pci_ecam and pci_mmio lists and VTL2; R3 for
 * each list. R2 and R3 are found in one pass over the lists.
 *
 * Context: any.
 * Return: 0, or the negative errno of the first rule broken; -EINVAL for
 * an unknown source or a %NULL array with a count.
 */
static int ml_check_request(struct ml_builder *b)
{
	const struct memlayout_request *req = b->req;
	u32 list, i, nr, order_list = 0, order_index = 0;
	const struct memlayout_range *r;
	int ret;

	ret = memlayout_check_counts(req, b->err);
	if (ret)
		return ret;
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		r = ml_list(req, list, &nr);
		if (nr && !r)
			return -EINVAL;
	}
	if (req->source == MEMLAYOUT_FROM_NODES && req->nr_nodes &&
	    !req->node_sizes)
		return -EINVAL;

	switch (req->source) {
	case MEMLAYOUT_FROM_SIZE:
		if (!req->ram_size || !IS_ALIGNED(req->ram_size, MEMLAYOUT_PAGE_SIZE))
			return ml_reject(b, MEMLAYOUT_RULE_BAD_SIZE,
					 MEMLAYOUT_LIST_NONE, 0, 0, 0);
		break;
	case MEMLAYOUT_FROM_NODES:
		if (!req->nr_nodes)
			return ml_reject(b, MEMLAYOUT_RULE_BAD_SIZE,
					 MEMLAYOUT_LIST_NODES, 0, 0, 0);
		for (i = 0; i < req->nr_nodes; i++) {
			u64 size = req->node_sizes[i];

			ml_yield(b);
			if (!size || !IS_ALIGNED(size, MEMLAYOUT_PAGE_SIZE))
				return ml_reject(b, MEMLAYOUT_RULE_BAD_SIZE,
						 MEMLAYOUT_LIST_NODES, i, 0, 0);
		}
		break;
	case MEMLAYOUT_FROM_RANGES:
		break;
	default:
		return -EINVAL;
	}

	/*
	 * One pass finds both R2 and R3. Every R2 comes first (SPEC's order),
	 * so the first R3 seen is only remembered until no R2 is left.
	 */
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		r = ml_list(req, list, &nr);
		for (i = 0; i < nr; i++) {
			ml_yield(b);
			if (ml_bad_range(&r[i]))
				return ml_reject(b, MEMLAYOUT_RULE_BAD_RANGE,
						 list, i, 0, 0);
			if (i && r[i].start < r[i - 1].end && !order_list) {
				order_list = list;
				order_index = i;
			}
		}
	}
	if (req->vtl2 && ml_bad_range(req->vtl2))
		return ml_reject(b, MEMLAYOUT_RULE_BAD_RANGE,
				 MEMLAYOUT_LIST_VTL2, 0, 0, 0);
	if (order_list)
		return ml_reject(b, MEMLAYOUT_RULE_BAD_ORDER, order_list,
				 order_index, 0, 0);
	return 0;
}

/**
 * struct ml_slot - what a range has besides its start
 * @end: one past the last byte.
 * @vnode: virtual NUMA node (RAM), 0 for holes.
 * @kind: ``MEMLAYOUT_KIND_*``.
 */
struct ml_slot {
	u64 end;
	u32 vnode;
	u32 kind;
};

/**
 * ml_slots() - the array of slots that follows a layout's starts
 * @l: the layout.
 *
 * Context: any.
 * Return: the @l->nr slots, in address order.
 */
static struct ml_slot *ml_slots(const struct memlayout *l)
{
	return (struct ml_slot *)&l->starts[l->nr];
}

/**
 * ml_order() - the per-kind index array that follows a layout's slots
 * @l: the layout.
 *
 * Context: any.
 * Return: the @l->nr range indexes, grouped by kind.
 */
static u32 *ml_order(const struct memlayout *l)
{
	return (u32 *)&ml_slots(l)[l->nr];
}

/**
 * ml_bytes() - size of a layout's allocation
 * @nr: number of ranges.
 *
 * Context: any.
 * Return: the size, saturated at SIZE_MAX on overflow.
 */
static size_t ml_bytes(u32 nr)
{
	return size_add(struct_size_t(struct memlayout, starts, nr),
			array_size(nr, sizeof(struct ml_slot) + sizeof(u32)));
}

/**
 * ml_cursor_init() - start merging the request's lists
 * @c: the cursor.
 * @req: the request.
 * @first: %MEMLAYOUT_LIST_RAM to merge RAM and holes, or
 *         %MEMLAYOUT_LIST_MMIO to merge the holes only.
 *
 * Context: any.
 */
static void ml_cursor_init(struct ml_cursor *c,
			   const struct memlayout_request *req, u32 first)
{
	u32 list;

	/* The lists below @first are never looked at: nothing to clear. */
	c->nr_live = 0;
	for (list = first; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		c->r[list] = ml_list(req, list, &c->nr[list]);
		c->pos[list] = 0;
		if (c->nr[list])
			c->live[c->nr_live++] = list;
	}
}

/**
 * ml_cursor_next() - the unconsumed range that starts lowest
 * @c: the cursor.
 * @list: receives the range's list.
 *
 * Ties go to the lower list id; they are overlaps and get reported as R4.
 *
 * Context: any.
 * Return: the range (consumed), or %NULL when every list is exhausted.
 */
static const struct memlayout_range *
ml_cursor_next(struct ml_cursor *c, u32 *list)
{
	const struct memlayout_range *best = NULL, *r;
	u32 j, k;

	for (j = 0; j < c->nr_live; j++) {
		k = c->live[j];
		if (c->pos[k] == c->nr[k])
			continue;
		r = &c->r[k][c->pos[k]];
		if (!best || r->start < best->start) {
			best = r;
			*list = k;
		}
	}
	if (best)
		c->pos[*list]++;
	return best;
}

/**
 * ml_account_ram() - add one RAM range to the statistics (Q2-Q7)
 * @b: the build.
 * @start: first byte.
 * @end: one past the last byte.
 *
 * RAM arrives in address order, so the last range seen sets Q3 and Q6.
 * Bytes are split exactly at 4 GiB (SPEC D2).
 *
 * Context: any.
 */
static void ml_account_ram(struct ml_builder *b, u64 start, u64 end)
{
	struct memlayout *l = b->l;
	u64 len = end - start;

	l->ram_size += len;
	l->end_of_ram = end;
	if (start < MEMLAYOUT_4GB) {
		u64 below = min_t(u64, end, MEMLAYOUT_4GB) - start;

		l->ram_below_4gb += below;
		l->ram_above_4gb += len - below;
		l->max_ram_below_4gb = min_t(u64, end, MEMLAYOUT_4GB);
		l->flags |= MEMLAYOUT_HAS_MAX_RAM_BELOW_4GB;
	} else {
		l->ram_above_4gb += len;
	}
	if ((l->flags & MEMLAYOUT_HAS_RAM_ABOVE_HIGH_MMIO) &&
	    start >= b->high_mmio_end)
		l->ram_above_high_mmio += len;
}

/**
 * ml_emit() - produce the next range of the layout, in address order
 * @b: the build.
 * @list: the range's list (its kind).
 * @start: first byte.
 * @end: one past the last byte.
 * @vnode: virtual NUMA node (RAM only).
 *
 * The range is compared with the previous one: ranges arrive sorted by
 * start, so any overlap in the layout shows up as an overlap of two
 * neighbours (R4). Merging (C3) reports it at once; placing (C1/C2)
 * notes it and goes on, because R6, found only when all RAM is placed,
 * comes before R4 (ml_first_overlap() then names the first overlap).
 *
 * Context: any.
 * Return: 0, -EEXIST for an overlap, or -EIO (with a warning) if the
 * layout ever has no room left: a bug of the core (of ml_room()), not of
 * the caller's request.
 */
static int ml_emit(struct ml_builder *b, u32 list, u64 start, u64 end,
		   u32 vnode)
{
	u32 index = b->seen[list];
	struct memlayout *l = b->l;
	struct ml_slot *slot;

	ml_yield(b);
	if (b->n && start < b->prev_end) {
		if (b->req->source == MEMLAYOUT_FROM_RANGES)
			return ml_reject(b, MEMLAYOUT_RULE_OVERLAP, b->prev_list,
					 b->prev_index, list, index);
		b->overlap = true;
	}
	/*
	 * ml_room() made room for the most ranges there can be; never write
	 * past it, nor past the order array, which has as many entries.
	 */
	if (WARN_ON_ONCE(b->n >= l->nr))
		return -EIO;
	l->starts[b->n] = start;
	slot = &ml_slots(l)[b->n];
	slot->end = end;
	slot->vnode = list == MEMLAYOUT_LIST_RAM ? vnode : 0;
	slot->kind = list;
	ml_order(l)[l->list_first[list] + index] = b->n;
	if (list == MEMLAYOUT_LIST_RAM)
		ml_account_ram(b, start, end);
	b->prev_end = end;
	b->prev_list = list;
	b->prev_index = index;
	b->seen[list]++;
	b->n++;
	return 0;
}

/**
 * ml_fill_ram() - place RAM from the node budgets into [*@pos, @limit)
 * @b: the build.
 * @pos: lowest free address; advanced past the RAM placed.
 * @limit: end of the free space.
 * @node: current node; advanced when its budget runs out.
 * @left: bytes the current node still has to place.
 *
 * A chunk is split where one node's budget ends (SPEC C2).
 *
 * Context: any.
 * Return: 0, or -EEXIST from ml_emit().
 */
static int ml_fill_ram(struct ml_builder *b, u64 *pos, u64 limit, u32 *node,
		       u64 *left)
{
	const struct memlayout_request *req = b->req;
	u32 nr_nodes = req->source == MEMLAYOUT_FROM_NODES ? req->nr_nodes : 1;
	int ret;

	while (*node < nr_nodes && *pos < limit) {
		u64 take = min(*left, limit - *pos);

		ret = ml_emit(b, MEMLAYOUT_LIST_RAM, *pos, *pos + take,
			      req->source == MEMLAYOUT_FROM_NODES ? *node : 0);
		if (ret)
			return ret;
		*pos += take;
		*left -= take;
		if (!*left && ++*node < nr_nodes)
			*left = req->node_sizes[*node];
	}
	return 0;
}

/**
 * ml_place() - C1/C2: place RAM around the holes, produce every range
 * @b: the build.
 *
 * RAM goes upward from 0 into the free space before each hole (the holes
 * of all three kinds taken together in address order); a zero-length space
 * is skipped (SPEC D1); the rest goes above the last hole. VTL2 is not a
 * hole. RAM that cannot all be placed at or below %MEMLAYOUT_MAX_ADDRESS is
 * rejected (R6, D6). Holes never receive RAM even when they overlap each
 * other; ml_emit() notes an overlap, reported (R4) by memlayout_build()
 * only once all RAM is placed, as R6 comes first.
 *
 * Context: any.
 * Return: 0 or a negative errno.
 */
static int ml_place(struct ml_builder *b)
{
	const struct memlayout_request *req = b->req;
	bool numa = req->source == MEMLAYOUT_FROM_NODES;
	const struct memlayout_range *h;
	struct ml_cursor holes;
	u64 pos = 0, left = numa ? req->node_sizes[0] : req->ram_size;
	u32 node = 0, list = 0;
	int ret;

	ml_cursor_init(&holes, req, MEMLAYOUT_LIST_MMIO);
	while ((h = ml_cursor_next(&holes, &list))) {
		if (h->start > pos) {
			ret = ml_fill_ram(b, &pos, h->start, &node, &left);
			if (ret)
				return ret;
		}
		ret = ml_emit(b, list, h->start, h->end, 0);
		if (ret)
			return ret;
		pos = max(pos, h->end);
	}
	ret = ml_fill_ram(b, &pos, MEMLAYOUT_MAX_ADDRESS, &node, &left);
	if (ret)
		return ret;
	if (node < (numa ? req->nr_nodes : 1))
		return ml_reject(b, MEMLAYOUT_RULE_TOO_LARGE,
				 numa ? MEMLAYOUT_LIST_NODES : MEMLAYOUT_LIST_NONE,
				 numa ? node : 0, 0, 0);
	return 0;
}

/**
 * ml_first_overlap() - R4 for a placed layout that has an overlap
 * @b: the build, filled and fitted (ml_shrink()), with @b->overlap set.
 *
 * The first range that starts below its predecessor's end, as ml_emit()
 * would have reported it while merging: the two ranges by list and index.
 * Only on this error path: placing does not keep the names of the ranges
 * it has produced.
 *
 * Context: any. O(n).
 * Return: -EEXIST.
 */
static noinline int ml_first_overlap(struct ml_builder *b)
{
	const struct memlayout *l = b->l;
	const struct ml_slot *slots = ml_slots(l);
	u32 i;

	for (i = 1; i < l->nr; i++) {
		ml_yield(b);
		if (l->starts[i] < slots[i - 1].end)
			return ml_reject(b, MEMLAYOUT_RULE_OVERLAP,
					 slots[i - 1].kind,
					 memlayout_entry_index(l, i - 1),
					 slots[i].kind, memlayout_entry_index(l, i));
	}
	WARN_ON_ONCE(1);	/* ml_emit() saw one */
	return -EIO;
}

/**
 * ml_room() - how many ranges of each list a build can produce
 * @b: the build; sets @b->seen and @b->n to the counts to allocate for.
 *
 * The holes and C3's RAM are the request's lists. Placed RAM (C1/C2) is
 * counted without placing it: a chunk ends either where a node's budget
 * runs out (at most once per node) or at the limit of its space (at most
 * once per space: one before each hole, one above the last). When RAM
 * fits, the last chunk above the last hole is one where a node runs out;
 * when it does not (R6), the last node never runs out. Either way there
 * are at most holes + nodes chunks. The layout is filled in one pass into
 * that room, and ml_shrink() closes what is left over.
 *
 * Context: any.
 */
static void ml_room(struct ml_builder *b)
{
	const struct memlayout_request *req = b->req;
	u32 list, holes = 0;

	for (list = MEMLAYOUT_LIST_MMIO; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		ml_list(req, list, &b->seen[list]);
		holes += b->seen[list];
	}
	if (req->source == MEMLAYOUT_FROM_RANGES)
		ml_list(req, MEMLAYOUT_LIST_RAM, &b->seen[MEMLAYOUT_LIST_RAM]);
	else
		b->seen[MEMLAYOUT_LIST_RAM] = holes +
			(req->source == MEMLAYOUT_FROM_NODES ? req->nr_nodes : 1);
	b->n = holes + b->seen[MEMLAYOUT_LIST_RAM];
}

/**
 * ml_shrink() - fit a filled layout to the ranges it got
 * @b: the build, filled.
 *
 * Placed RAM took fewer chunks than ml_room() made room for. The slots,
 * which follow the starts, and the holes' slice of the order, which
 * follows RAM's, move down over the unused room; the allocation keeps its
 * size. Out of line: a placement fills its room exactly when its RAM
 * reaches past the last hole and no space between holes is empty, as in
 * most layouts.
 *
 * Context: any.
 */
static noinline void ml_shrink(struct ml_builder *b)
{
	struct memlayout *l = b->l;
	u32 gap = l->nr - b->n, ram = b->seen[MEMLAYOUT_LIST_RAM];
	const struct ml_slot *slots = ml_slots(l);
	const u32 *order = ml_order(l);
	u32 list;

	l->nr = b->n;
	memmove(ml_slots(l), slots, array_size(b->n, sizeof(*slots)));
	memmove(ml_order(l), order, array_size(ram, sizeof(*order)));
	memmove(ml_order(l) + ram, order + l->list_first[MEMLAYOUT_LIST_MMIO],
		array_size(b->n - ram, sizeof(*order)));
	for (list = MEMLAYOUT_LIST_MMIO; list <= MEMLAYOUT_LIST_PCI_MMIO + 1; list++)
		l->list_first[list] -= gap;
}

/**
 * ml_merge() - C3: merge the RAM list with the hole lists
 * @b: the build.
 *
 * Context: any.
 * Return: 0, or -EEXIST for an overlap.
 */
static int ml_merge(struct ml_builder *b)
{
	const struct memlayout_range *r;
	struct ml_cursor c;
	u32 list = 0;
	int ret;

	ml_cursor_init(&c, b->req, MEMLAYOUT_LIST_RAM);
	while ((r = ml_cursor_next(&c, &list))) {
		ret = ml_emit(b, list, r->start, r->end, r->vnode);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * memlayout_lower_bound() - first range that ends above an address
 * @l: a built layout.
 * @addr: the address.
 *
 * Context: any. O(log n).
 * Return: the index (address order) of the first range with end > @addr,
 * or @l->nr.
 */
u32 memlayout_lower_bound(const struct memlayout *l, u64 addr)
{
	u32 lo = 0, hi = l->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ml_slots(l)[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
EXPORT_SYMBOL_GPL(memlayout_lower_bound);

/**
 * memlayout_entry_index() - a range's index within its own list
 * @l: a built layout.
 * @i: a range index, in address order, below @l->nr.
 *
 * The list's slice of ml_order() is increasing, so this is a binary search.
 *
 * Context: any. O(log n).
 * Return: the index of range @i in the list of its kind (GET_RANGES order).
 */
u32 memlayout_entry_index(const struct memlayout *l, u32 i)
{
	u32 kind = ml_slots(l)[i].kind;
	u32 lo = l->list_first[kind], hi = l->list_first[kind + 1];

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ml_order(l)[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - l->list_first[kind];
}
EXPORT_SYMBOL_GPL(memlayout_entry_index);

/**
 * ml_check_vtl2() - R4 and R7 for the VTL2 range
 * @b: the build (filled).
 *
 * Context: any.
 * Return: 0 or a negative errno.
 */
static int ml_check_vtl2(struct ml_builder *b)
{
	const struct memlayout_range *v = b->req->vtl2;
	struct memlayout *l = b->l;
	u32 i, nr_ram;

	i = memlayout_lower_bound(l, v->start);
	if (i < l->nr && l->starts[i] < v->end) {
		u32 list = ml_slots(l)[i].kind, index = memlayout_entry_index(l, i);

		if (l->starts[i] <= v->start)
			return ml_reject(b, MEMLAYOUT_RULE_OVERLAP, list, index,
					 MEMLAYOUT_LIST_VTL2, 0);
		return ml_reject(b, MEMLAYOUT_RULE_OVERLAP, MEMLAYOUT_LIST_VTL2,
				 0, list, index);
	}

	nr_ram = memlayout_count(l, MEMLAYOUT_LIST_RAM);
	if (!nr_ram)
		return ml_reject(b, MEMLAYOUT_RULE_NO_RAM, MEMLAYOUT_LIST_RAM,
				 0, 0, 0);
	if (v->start < l->end_of_ram)
		return ml_reject(b, MEMLAYOUT_RULE_VTL2_BELOW_RAM,
				 MEMLAYOUT_LIST_VTL2, 0, MEMLAYOUT_LIST_RAM,
				 nr_ram - 1);

	l->vtl2_start = v->start;
	l->vtl2_end = v->end;
	l->flags |= MEMLAYOUT_HAS_VTL2;
	return 0;
}

/**
 * ml_alloc() - allocate a layout for a known number of ranges per list
 * @b: the build (counted).
 * @gfp: allocation flags.
 *
 * Context: may sleep if @gfp allows.
 * Return: the zeroed layout with its index slices set up, or %NULL.
 */
static struct memlayout *ml_alloc(struct ml_builder *b, gfp_t gfp)
{
	struct memlayout *l;
	u32 list, first = 0;

	l = kvzalloc(ml_bytes(b->n), gfp);
	if (!l)
		return NULL;
	l->nr = b->n;
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_PCI_MMIO; list++) {
		l->list_first[list] = first;
		first += b->seen[list];
	}
	l->list_first[MEMLAYOUT_LIST_PCI_MMIO + 1] = first;
	if (b->req->nr_mmio == 2) {
		l->flags |= MEMLAYOUT_HAS_RAM_ABOVE_HIGH_MMIO;
		b->high_mmio_end = b->req->mmio[1].end;
	}
	return l;
}

/**
 * memlayout_build() - build and validate a layout (SPEC C1-C3, R1-R8)
 * @req: what to build; only kernel memory is read.
 * @gfp: allocation flags (%GFP_KERNEL_ACCOUNT for a user's request).
 * @err: receives the reason of a rejection; zeroed on success.
 *
 * Rules are checked in this order, and the first one broken is reported:
 * R8, R1, R2, R3 on the request's lists (in the order ram, mmio, pci_ecam,
 * pci_mmio, vtl2, nodes; ascending index), then R6 while placing C1/C2
 * RAM, then R4 over all ranges and then VTL2 against all ranges, then R5,
 * then R7. The result owns no reference to @req.
 *
 * Context: process context if @gfp may sleep; then the build also
 * reschedules every %ML_RESCHED_STEPS ranges. O(n) time, one allocation
 * of 28 bytes per range plus a fixed header.
 * Return: the new layout holding one reference, to be released with
 * memlayout_put() or memlayout_free(), or an ERR_PTR(): -ENOMEM, -EINVAL for a malformed
 * request (unknown @req->source, %NULL array with a count; @err->rule is
 * then %MEMLAYOUT_RULE_NONE), or the errno of the rule in @err->rule.
 */
struct memlayout *memlayout_build(const struct memlayout_request *req,
				  gfp_t gfp, struct memlayout_error *err)
{
	struct ml_builder b = {
		.req = req,
		.err = err,
		.may_sleep = gfpflags_allow_blocking(gfp),
	};
	bool place = req->source != MEMLAYOUT_FROM_RANGES;
	struct memlayout *l;
	int ret;

	memset(err, 0, sizeof(*err));
	ret = ml_check_request(&b);
	if (ret)
		return ERR_PTR(ret);

	ml_room(&b);
	l = ml_alloc(&b, gfp);
	if (!l)
		return ERR_PTR(-ENOMEM);
	b.l = l;
	b.n = 0;
	memset(b.seen, 0, sizeof(b.seen));

	ret = place ? ml_place(&b) : ml_merge(&b);
	if (ret)
		goto free_layout;
	if (b.n < l->nr)
		ml_shrink(&b);
	if (b.overlap) {
		ret = ml_first_overlap(&b);
		goto free_layout;
	}

	if (req->vtl2) {
		ret = ml_check_vtl2(&b);
		if (ret)
			goto free_layout;
	} else if (!memlayout_count(l, MEMLAYOUT_LIST_RAM)) {
		ret = ml_reject(&b, MEMLAYOUT_RULE_NO_RAM, MEMLAYOUT_LIST_RAM,
				0, 0, 0);
		goto free_layout;
	}

	/* Sorted and disjoint: the last range ends highest (Q8, D3). */
	l->end_of_layout = ml_slots(l)[l->nr - 1].end;
	refcount_set(&l->users, 1);
	this_cpu_inc(ml_live);
	return l;

free_layout:
	kvfree(l);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(memlayout_build);

/**
 * memlayout_free() - free a layout now
 * @l: the layout, or %NULL.
 *
 * For a sole owner that never shared @l: ignores @l->users and frees at
 * once. A layout that readers may see goes with memlayout_put() instead.
 *
 * Context: any.
 */
void memlayout_free(struct memlayout *l)
{
	if (!l)
		return;
	this_cpu_dec(ml_live);
	kvfree(l->placement);
	kvfree(l);
}
EXPORT_SYMBOL_GPL(memlayout_free);

/**
 * memlayout_tryget() - take a reference to a layout found under RCU
 * @l: a layout read with rcu_dereference().
 *
 * Context: any; typically inside rcu_read_lock().
 * Return: true if a reference was taken, false if @l is being freed.
 */
bool memlayout_tryget(struct memlayout *l)
{
	return refcount_inc_not_zero(&l->users);
}
EXPORT_SYMBOL_GPL(memlayout_tryget);

/**
 * memlayout_put() - drop a reference to a layout
 * @l: the layout, or %NULL.
 *
 * The last reference frees @l (and its placement) with kvfree_rcu(), after an RCU grace
 * period, so readers that found it published before it was replaced may
 * still use it until they leave their read-side section. No callback of
 * this module runs later, so neither this module nor a caller needs
 * rcu_barrier() before unloading. memlayout_live() stops counting @l here.
 *
 * Context: any.
 */
void memlayout_put(struct memlayout *l)
{
	if (l && refcount_dec_and_test(&l->users)) {
		this_cpu_dec(ml_live);
		if (l->placement)
			kvfree_rcu(l->placement, rcu);
		kvfree_rcu(l, rcu);
	}
}
EXPORT_SYMBOL_GPL(memlayout_put);

/**
 * memlayout_live() - number of layouts built and not yet freed
 *
 * The sum of the per-CPU counts: exact when no layout is built or freed
 * during the call (as at a leak check); otherwise it may be off by the
 * builds and frees that run meanwhile.
 *
 * Context: any.
 * Return: the count, for leak checks in tests and debugfs.
 */
long memlayout_live(void)
{
	long live = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		live += READ_ONCE(per_cpu(ml_live, cpu));
	return live;
}
EXPORT_SYMBOL_GPL(memlayout_live);

/**
 * memlayout_count() - SPEC Q1: number of ranges in a list
 * @l: a built layout.
 * @list: a ``MEMLAYOUT_LIST_*`` range list or %MEMLAYOUT_LIST_VTL2.
 *
 * Context: any.
 * Return: the number of ranges (0 or 1 for VTL2; 0 for other lists).
 */
u32 memlayout_count(const struct memlayout *l, u32 list)
{
	if (list == MEMLAYOUT_LIST_VTL2)
		return !!(l->flags & MEMLAYOUT_HAS_VTL2);
	if (list < MEMLAYOUT_LIST_RAM || list > MEMLAYOUT_LIST_PCI_MMIO)
		return 0;
	return l->list_first[list + 1] - l->list_first[list];
}
EXPORT_SYMBOL_GPL(memlayout_count);

/**
 * memlayout_get_range() - SPEC Q1: the @index-th range of a list
 * @l: a built layout.
 * @list: a ``MEMLAYOUT_LIST_*`` range list or %MEMLAYOUT_LIST_VTL2.
 * @index: position in the list, in address order.
 * @out: receives the range (@vnode is 0 for holes and VTL2).
 *
 * Context: any. O(1).
 * Return: 0, -EINVAL for a list that holds no ranges, or -ENOENT when
 * @index is past the end of the list.
 */
int memlayout_get_range(const struct memlayout *l, u32 list, u32 index,
			struct memlayout_range *out)
{
	struct memlayout_entry e;

	memset(out, 0, sizeof(*out));
	if (list == MEMLAYOUT_LIST_VTL2) {
		if (!(l->flags & MEMLAYOUT_HAS_VTL2) || index)
			return -ENOENT;
		out->start = l->vtl2_start;
		out->end = l->vtl2_end;
		return 0;
	}
	if (list < MEMLAYOUT_LIST_RAM || list > MEMLAYOUT_LIST_PCI_MMIO)
		return -EINVAL;
	if (index >= memlayout_count(l, list))
		return -ENOENT;
	memlayout_entry(l, ml_order(l)[l->list_first[list] + index], &e);
	out->start = e.start;
	out->end = e.end;
	out->vnode = e.vnode;
	return 0;
}
EXPORT_SYMBOL_GPL(memlayout_get_range);

/**
 * memlayout_entry() - the @i-th range of a layout in address order
 * @l: a built layout.
 * @i: index, below @l->nr.
 * @out: receives the range with its kind and vnode.
 *
 * For walking every range of a layout in address order, whatever its kind
 * (as /proc/iomem lists resources).
 *
 * Context: any. O(1).
 */
void memlayout_entry(const struct memlayout *l, u32 i,
		     struct memlayout_entry *out)
{
	const struct ml_slot *slot = &ml_slots(l)[i];

	out->start = l->starts[i];
	out->end = slot->end;
	out->vnode = slot->vnode;
	out->kind = slot->kind;
}
EXPORT_SYMBOL_GPL(memlayout_entry);

/**
 * memlayout_bytes() - memory a layout occupies
 * @l: a built layout.
 *
 * Context: any.
 * Return: the size of its one allocation, header included.
 */
size_t memlayout_bytes(const struct memlayout *l)
{
	return ml_bytes(l->nr);
}
EXPORT_SYMBOL_GPL(memlayout_bytes);

/*
 * ML_DEPENDS_ON() - make @x look, to the compiler, as if computed from @v
 *
 * An empty asm: it emits no instruction and changes nothing. The search
 * below selects its next index with a conditional move; clang's x86
 * backend turns such a select into a branch when its inputs look ready
 * before the loaded value that decides it (the branch would then be
 * "free" if predicted), and random probes mispredict that branch half of
 * the time (4x slower with clang 14). Tying the candidate index to the
 * loaded value removes that incentive: gcc and clang both keep the cmov.
 */
#define ML_DEPENDS_ON(x, v)	asm("" : "+r" (x) : "r" (v))

/*
 * ML_OPAQUE() - hide what the compiler knows of @x's value (that it is a
 * truth value, say), so that arithmetic on it stays arithmetic and does not
 * become a branch. Emits no instruction.
 */
#define ML_OPAQUE(x)		asm("" : "+r" (x))

/**
 * ml_step() - one step of a binary search without branches
 * @s: the starts.
 * @lo: the lowest index still a candidate.
 * @half: how far the step looks: half of the candidates, rounded down.
 * @addr: the address searched.
 *
 * Context: any.
 * Return: @lo + @half if @s[@lo + @half] <= @addr, else @lo; chosen with a
 * conditional move, not a branch.
 */
static inline u32 ml_step(const u64 *s, u32 lo, u32 half, u64 addr)
{
	u32 next = lo + half;
	u64 v = s[next];

	ML_DEPENDS_ON(next, v);
	return v <= addr ? next : lo;
}

/**
 * ml_search_in() - the last of some starts at or below an address
 * @s: the starts, ascending.
 * @len: how many, at least 1.
 * @addr: the address.
 *
 * A binary search without branches on the data: each step halves the
 * candidates and keeps the upper half with a conditional move, so the
 * number of steps depends on @len only and random addresses cost no
 * misprediction.
 *
 * Context: any.
 * Return: the index of the last start at or below @addr, or 0 when @addr
 * is below them all (the caller checks @s[result] <= @addr).
 */
static u32 ml_search_in(const u64 *s, u32 len, u64 addr)
{
	u32 lo = 0;

	while (len > 1) {
		u32 half = len / 2;

		lo = ml_step(s, lo, half, addr);
		len -= half;
	}
	return lo;
}

/**
 * ml_search() - the last range that starts at or below an address
 * @l: the layout, with at least one range.
 * @addr: the address.
 *
 * Over the dense @l->starts array: 4096 starts fit in 32 KiB.
 *
 * Context: any.
 * Return: the index of the range, or 0 when @addr is below them all.
 */
static u32 ml_search(const struct memlayout *l, u64 addr)
{
	return ml_search_in(l->starts, l->nr, addr);
}

/**
 * ml_kind_at() - kind of an address, given the last range starting at or
 *                below it
 * @l: the layout.
 * @addr: the address.
 * @i: the result of a search for @addr.
 *
 * Both bounds are checked (the search gives 0 for an address below every
 * range), without a branch: about one random probe in nine misses.
 *
 * Context: any.
 * Return: the kind of range @i if it contains @addr, else none.
 */
static u32 ml_kind_at(const struct memlayout *l, u64 addr, u32 i)
{
	const struct ml_slot *slot = &ml_slots(l)[i];
	u32 in = (l->starts[i] <= addr) & (addr < slot->end);

	ML_OPAQUE(in);
	return slot->kind & -in;
}

/**
 * ml_search_from() - ml_search() for an address at or above a previous one
 * @l: the layout.
 * @addr: the address.
 * @at: the result for a previous address not above @addr.
 *
 * Gallops forward from @at (steps 1, 2, 4, ...) until a start lies above
 * @addr, then searches the last step: O(1) for an address in the same or
 * the next range, O(log d) for one d ranges further on.
 *
 * Context: any.
 * Return: what ml_search() returns for @addr.
 */
static u32 ml_search_from(const struct memlayout *l, u64 addr, u32 at)
{
	u32 step = 1;

	while (step < l->nr - at && l->starts[at + step] <= addr) {
		at += step;
		step *= 2;
	}
	return at + ml_search_in(&l->starts[at], min(step, l->nr - at), addr);
}

/* Searches that memlayout_probe_many() runs in lockstep. */
#define ML_LANES	8U
static_assert(ML_LANES == 8, "ml_search_lanes() writes out eight lanes");

/**
 * ml_search_lanes() - %ML_LANES searches in lockstep
 * @l: the layout, with at least one range.
 * @addrs: %ML_LANES addresses.
 * @at: receives what ml_search() gives for each.
 *
 * Every search over the same starts takes the same steps, so one step of
 * all of them is one iteration: the loads of independent searches are in
 * flight together instead of one after another.
 *
 * Context: any.
 */
static void ml_search_lanes(const struct memlayout *l, const u64 *addrs,
			    u32 *at)
{
	const u64 *s = l->starts;
	u32 lo[ML_LANES] = {}, len = l->nr;

	/* Written out: gcc -O2 would keep a loop over the lanes, in memory. */
	while (len > 1) {
		u32 half = len / 2;

		lo[0] = ml_step(s, lo[0], half, addrs[0]);
		lo[1] = ml_step(s, lo[1], half, addrs[1]);
		lo[2] = ml_step(s, lo[2], half, addrs[2]);
		lo[3] = ml_step(s, lo[3], half, addrs[3]);
		lo[4] = ml_step(s, lo[4], half, addrs[4]);
		lo[5] = ml_step(s, lo[5], half, addrs[5]);
		lo[6] = ml_step(s, lo[6], half, addrs[6]);
		lo[7] = ml_step(s, lo[7], half, addrs[7]);
		len -= half;
	}
	memcpy(at, lo, sizeof(lo));
}

/**
 * ml_ascending() - whether addresses go up from a previous one
 * @addrs: the addresses.
 * @n: how many.
 * @prev: the address before them.
 *
 * Context: any.
 * Return: true if @prev <= @addrs[0] <= ... <= @addrs[@n - 1].
 */
static bool ml_ascending(const u64 *addrs, u32 n, u64 prev)
{
	bool up = true;
	u32 k;

	for (k = 0; k < n; k++) {
		up &= prev <= addrs[k];
		prev = addrs[k];
	}
	return up;
}

/**
 * memlayout_probe() - SPEC Q9: what backs a guest-physical address
 * @l: a built layout.
 * @addr: any 64-bit address.
 *
 * Context: any. One binary search, O(log n).
 * Return: the ``MEMLAYOUT_KIND_*`` of the range containing @addr;
 * %MEMLAYOUT_KIND_NONE for unmapped and VTL2 addresses.
 */
u32 memlayout_probe(const struct memlayout *l, u64 addr)
{
	if (unlikely(!l->nr))
		return MEMLAYOUT_KIND_NONE;
	return ml_kind_at(l, addr, ml_search(l, addr));
}
EXPORT_SYMBOL_GPL(memlayout_probe);

/**
 * ml_covering() - the range that answered a probe
 * @l: the layout.
 * @addr: the address probed.
 * @at: the result of ml_search() for @addr.
 * @out: receives the range, or the "no range" answer.
 *
 * Context: any. O(log n): the index within the range's own list is found
 * by a binary search.
 */
static void ml_covering(const struct memlayout *l, u64 addr, u32 at,
			struct memlayout_probe_range *out)
{
	struct memlayout_entry e;

	memset(out, 0, sizeof(*out));
	if (ml_kind_at(l, addr, at) == MEMLAYOUT_KIND_NONE) {
		out->index = MEMLAYOUT_PROBE_NO_RANGE;
		return;
	}
	memlayout_entry(l, at, &e);
	out->start = e.start;
	out->end = e.end;
	out->vnode = e.vnode;
	out->index = memlayout_entry_index(l, at);
}

/**
 * ml_probe_many() - memlayout_probe_many_ranges(), inlined in both callers
 * @l: a built layout.
 * @addrs: @n addresses.
 * @kinds: receives @n kinds.
 * @ranges: %NULL, or receives @n covering ranges.
 * @n: number of addresses.
 *
 * Inline, so that memlayout_probe_many() (@ranges %NULL) need not test
 * @ranges for every address.
 *
 * Context: any.
 */
static inline void ml_probe_many(const struct memlayout *l,
				 const u64 *addrs, u32 *kinds,
				 struct memlayout_probe_range *ranges, u32 n)
{
	u32 at[ML_LANES], i, k, chunk, last = 0;

	for (i = 0; i < n && !l->nr; i++) {
		kinds[i] = MEMLAYOUT_KIND_NONE;
		if (ranges) {
			memset(&ranges[i], 0, sizeof(ranges[i]));
			ranges[i].index = MEMLAYOUT_PROBE_NO_RANGE;
		}
	}
	for (; i < n; i += chunk) {
		chunk = min(n - i, ML_LANES);
		if (i && ml_ascending(&addrs[i], chunk, addrs[i - 1])) {
			for (k = 0; k < chunk; k++) {
				last = ml_search_from(l, addrs[i + k], last);
				at[k] = last;
			}
		} else if (chunk == ML_LANES) {
			ml_search_lanes(l, &addrs[i], at);
		} else {
			for (k = 0; k < chunk; k++)
				at[k] = ml_search(l, addrs[i + k]);
		}
		for (k = 0; k < chunk; k++) {
			kinds[i + k] = ml_kind_at(l, addrs[i + k], at[k]);
			if (ranges)
				ml_covering(l, addrs[i + k], at[k], &ranges[i + k]);
		}
		last = at[chunk - 1];
	}
}

/**
 * memlayout_probe_many() - SPEC Q9, batch form
 * @l: a built layout.
 * @addrs: @n addresses.
 * @kinds: receives @n kinds, ``kinds[i]`` for ``addrs[i]``.
 * @n: number of addresses.
 *
 * Answers exactly as memlayout_probe() would for each address, faster:
 * see memlayout_probe_many_ranges().
 *
 * Context: any. O(n log nr) worst case.
 */
void memlayout_probe_many(const struct memlayout *l, const u64 *addrs,
			  u32 *kinds, u32 n)
{
	ml_probe_many(l, addrs, kinds, NULL, n);
}
EXPORT_SYMBOL_GPL(memlayout_probe_many);

/**
 * memlayout_probe_many_ranges() - SPEC Q9, batch form, with covering ranges
 * @l: a built layout.
 * @addrs: @n addresses.
 * @kinds: receives @n kinds, ``kinds[i]`` for ``addrs[i]``.
 * @ranges: %NULL, or receives @n ranges: ``ranges[i]`` is the range that
 *          covers ``addrs[i]`` (its index in the list of its kind), or
 *          index %MEMLAYOUT_PROBE_NO_RANGE with the rest zero when no
 *          range does.
 * @n: number of addresses.
 *
 * The kinds are exactly what memlayout_probe() gives for each address.
 * The addresses go by groups of %ML_LANES. A group in ascending order
 * that continues the previous one (a walk over the map) is searched from
 * the previous answer on (ml_search_from(): O(1) an address in the same
 * or the next range); any other group is searched in lockstep
 * (ml_search_lanes()), so that the loads of its searches overlap.
 *
 * Context: any. O(n log nr) worst case.
 */
void memlayout_probe_many_ranges(const struct memlayout *l, const u64 *addrs,
				 u32 *kinds, struct memlayout_probe_range *ranges,
				 u32 n)
{
	ml_probe_many(l, addrs, kinds, ranges, n);
}
EXPORT_SYMBOL_GPL(memlayout_probe_many_ranges);
