// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: the placement engine (SPEC C4).
 *
 * Places a VM's address space from requests, as OpenVMM's LayoutBuilder
 * does: reserved and fixed ranges where given, 32-bit MMIO top down below
 * 4 GiB, RAM bottom up per vNUMA node (splitting around what is already
 * there, never backfilling), 64-bit MMIO above RAM and 4 GiB, post-MMIO
 * ranges last. The result is a list of tagged ranges, and
 * memlayout_build_placed() turns it into an ordinary layout (the C3 build
 * of its RAM extents and holes), so every query works on it unchanged.
 *
 * Free space is a treap keyed by start address whose nodes also hold the
 * largest "capacity" in their subtree: the longest request that fits a
 * free range at the current alignment, within the current phase's window
 * (end - align_up(max(start, lo), align), with end clamped to hi). The
 * two phases that search (mmio32 top down, mmio64 bottom up) take their
 * requests by descending alignment, so the capacities are recomputed only
 * when the alignment changes: at most 52 times a phase. A search, an
 * insertion and a removal are then O(log n) expected, and placing n
 * requests O(n log n), where a sorted array (upstream's Vec) needs O(n)
 * per split. RAM and post-MMIO walk upward from a floor that only rises,
 * so each free range is passed at most once per phase.
 *
 * Like the rest of the core: no uaccess and no locking.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <linux/memlayout.h>

#define ML_PAGE		MEMLAYOUT_PAGE_SIZE
#define ML_4GB		0x100000000ULL
#define ML_TOP		MEMLAYOUT_MAX_ADDRESS

/**
 * struct ml_fnode - a free range in the treap
 * @start: first free byte.
 * @end: one past the last.
 * @best: the largest capacity in this subtree (see the file comment).
 * @prio: heap priority, from a fixed-seed generator (deterministic).
 * @left: left child's index, 0 for none.
 * @right: right child's index, 0 for none.
 */
struct ml_fnode {
	u64 start;
	u64 end;
	u64 best;
	u32 prio;
	u32 left;
	u32 right;
};

/**
 * struct ml_free - the free space
 * @n: node pool; n[0] is the empty tree (best 0).
 * @cap: pool size.
 * @used: nodes handed out so far (from index 1).
 * @spare: a free node to reuse, linked through @right, or 0.
 * @root: the tree's root, 0 when empty.
 * @order: scratch for ml_free_mode(), 2 * @cap entries.
 * @lo: the current window's floor.
 * @hi: the current window's limit.
 * @align: the current alignment.
 * @seed: the priority generator's state.
 */
struct ml_free {
	struct ml_fnode *n;
	u32 cap;
	u32 used;
	u32 spare;
	u32 root;
	u32 *order;
	u64 lo;
	u64 hi;
	u64 align;
	u32 seed;
};

/* The request a placed range comes from, and where it sorts. */
struct ml_preq {
	const struct memlayout_place_req *r;
	u32 index;
};

/**
 * struct ml_placer - one placement
 * @f: the free space.
 * @out: the placed ranges so far.
 * @nr: their number.
 * @ram_end: highest end of RAM placed so far.
 * @top: highest end of every non-reserved range placed so far.
 * @err: the caller's error report.
 */
struct ml_placer {
	struct ml_free f;
	struct memlayout_placement *out;
	u32 nr;
	u64 ram_end;
	u64 top;
	struct memlayout_place_error *err;
};

static u64 ml_align_down(u64 v, u64 a)
{
	return v & ~(a - 1);
}

/* align_up, or false when it would pass 2^64. */
static bool ml_align_up(u64 v, u64 a, u64 *out)
{
	if (check_add_overflow(v, a - 1, out))
		return false;
	*out = ml_align_down(*out, a);
	return true;
}

/**
 * ml_capacity() - the longest request a free range takes in the window
 * @f: the free space (window and alignment).
 * @x: the range.
 *
 * Context: any.
 * Return: end - align_up(max(start, lo)), with end clamped to hi; 0 when
 * nothing fits.
 */
static u64 ml_capacity(const struct ml_free *f, const struct ml_fnode *x)
{
	u64 s = max(x->start, f->lo), e = min(x->end, f->hi), t;

	if (s >= e || !ml_align_up(s, f->align, &t) || t >= e)
		return 0;
	return e - t;
}

static void ml_pull(struct ml_free *f, u32 x)
{
	struct ml_fnode *n = &f->n[x];

	n->best = max3(ml_capacity(f, n), f->n[n->left].best,
		       f->n[n->right].best);
}

/* Split @t into starts below @key (*@a) and at or above it (*@b). */
static void ml_split(struct ml_free *f, u32 t, u64 key, u32 *a, u32 *b)
{
	if (!t) {
		*a = 0;
		*b = 0;
	} else if (f->n[t].start < key) {
		ml_split(f, f->n[t].right, key, &f->n[t].right, b);
		*a = t;
		ml_pull(f, t);
	} else {
		ml_split(f, f->n[t].left, key, a, &f->n[t].left);
		*b = t;
		ml_pull(f, t);
	}
}

/* Join @a and @b, every start of @a below every start of @b. */
static u32 ml_merge(struct ml_free *f, u32 a, u32 b)
{
	if (!a || !b)
		return a | b;
	if (f->n[a].prio > f->n[b].prio) {
		f->n[a].right = ml_merge(f, f->n[a].right, b);
		ml_pull(f, a);
		return a;
	}
	f->n[b].left = ml_merge(f, a, f->n[b].left);
	ml_pull(f, b);
	return b;
}

/* Add the free range [@start, @end) (non-empty, disjoint from the rest). */
static int ml_free_add(struct ml_free *f, u64 start, u64 end)
{
	u32 x = f->spare, a, b;

	if (x) {
		f->spare = f->n[x].right;
	} else {
		if (WARN_ON_ONCE(f->used + 1 >= f->cap))
			return -EIO;
		x = ++f->used;
	}
	f->seed ^= f->seed << 13;
	f->seed ^= f->seed >> 17;
	f->seed ^= f->seed << 5;
	f->n[x] = (struct ml_fnode){ .start = start, .end = end,
				     .prio = f->seed };
	ml_pull(f, x);
	ml_split(f, f->root, start, &a, &b);
	f->root = ml_merge(f, ml_merge(f, a, x), b);
	return 0;
}

/* Remove the free range starting at @start; returns its node. */
static u32 ml_free_take(struct ml_free *f, u64 start)
{
	u32 a, b, m;

	ml_split(f, f->root, start, &a, &b);
	ml_split(f, b, start + 1, &m, &b);
	f->root = ml_merge(f, a, b);
	return m;
}

/*
 * Recompute every capacity after a change of window or alignment: a
 * preorder walk into @f->order, then pulls in reverse (children first).
 * Iterative, so the stack use does not depend on the tree's shape.
 */
static void ml_free_mode(struct ml_free *f, u64 lo, u64 hi, u64 align)
{
	u32 top = 0, n = 0;

	if (f->lo == lo && f->hi == hi && f->align == align)
		return;
	f->lo = lo;
	f->hi = hi;
	f->align = align;
	if (f->root)
		f->order[top++] = f->root;
	while (top) {
		u32 x = f->order[--top];

		f->order[f->cap + n++] = x;
		if (f->n[x].left)
			f->order[top++] = f->n[x].left;
		if (f->n[x].right)
			f->order[top++] = f->n[x].right;
	}
	while (n)
		ml_pull(f, f->order[f->cap + --n]);
}

/* The highest free range whose capacity is at least @size, or 0. */
static u32 ml_free_highest(const struct ml_free *f, u64 size)
{
	u32 x = f->root;

	while (x && f->n[x].best >= size) {
		const struct ml_fnode *n = &f->n[x];

		if (f->n[n->right].best >= size) {
			x = n->right;
			continue;
		}
		if (ml_capacity(f, n) >= size)
			return x;
		x = n->left;
	}
	return 0;
}

/* The lowest free range whose capacity is at least @size, or 0. */
static u32 ml_free_lowest(const struct ml_free *f, u64 size)
{
	u32 x = f->root;

	while (x && f->n[x].best >= size) {
		const struct ml_fnode *n = &f->n[x];

		if (f->n[n->left].best >= size) {
			x = n->left;
			continue;
		}
		if (ml_capacity(f, n) >= size)
			return x;
		x = n->right;
	}
	return 0;
}

/* The lowest free range ending above @addr, or 0. */
static u32 ml_free_from(const struct ml_free *f, u64 addr)
{
	u32 x = f->root, best = 0;

	while (x) {
		if (f->n[x].end > addr) {
			best = x;
			x = f->n[x].left;
		} else {
			x = f->n[x].right;
		}
	}
	return best;
}

/* Free bytes in [@lo, @hi) (an exhaustion's report); spare nodes are empty. */
static u64 ml_free_bytes(const struct ml_free *f, u64 lo, u64 hi)
{
	u64 s, e, sum = 0;
	u32 x;

	for (x = 1; x <= f->used; x++) {
		s = max(f->n[x].start, lo);
		e = min(f->n[x].end, hi);
		if (s < e)
			sum += e - s;
	}
	return sum;
}

/**
 * ml_carve() - allocate [@start, @start + @size) out of one free range
 * @p: the placement.
 * @q: the request.
 * @start: first byte, inside the free range that starts at @from.
 * @size: bytes.
 * @from: the free range's start.
 * @vnode: RAM's node, else 0.
 *
 * Context: any.
 * Return: 0 or -EIO (an inconsistency; never expected).
 */
static int ml_carve(struct ml_placer *p, const struct ml_preq *q, u64 start,
		    u64 size, u64 from, u32 vnode)
{
	struct memlayout_placed *o = &p->out->ranges[p->nr++];
	u32 x = ml_free_take(&p->f, from);
	u64 s, e;
	int ret = 0;

	if (WARN_ON_ONCE(!x))
		return -EIO;
	s = p->f.n[x].start;
	e = p->f.n[x].end;
	/* An empty spare: ml_free_bytes() may count every node. */
	p->f.n[x] = (struct ml_fnode){ .right = p->f.spare };
	p->f.spare = x;
	if (WARN_ON_ONCE(start < s || size > e - start))
		return -EIO;
	if (s < start)
		ret = ml_free_add(&p->f, s, start);
	if (!ret && start + size < e)
		ret = ml_free_add(&p->f, start + size, e);
	o->start = start;
	o->end = start + size;
	o->place_class = q->r->place_class;
	o->index = q->index;
	o->kind = q->r->place_class == MEMLAYOUT_CLASS_RAM ? MEMLAYOUT_KIND_RAM :
		  q->r->kind;
	o->vnode = vnode;
	if (q->r->place_class == MEMLAYOUT_CLASS_RAM)
		p->ram_end = max(p->ram_end, o->end);
	if (q->r->place_class != MEMLAYOUT_CLASS_RESERVED)
		p->top = max(p->top, o->end);
	return ret;
}

static int ml_exhausted(struct ml_placer *p, const struct ml_preq *q, u64 lo,
			u64 hi)
{
	struct memlayout_place_error *err = p->err;

	err->rule = MEMLAYOUT_RULE_EXHAUSTED;
	err->place_class = q->r->place_class;
	err->index = q->index;
	err->phase = q->r->place_class;
	err->size = q->r->size;
	err->align = q->r->align;
	err->free = ml_free_bytes(&p->f, lo, hi);
	return -ENOSPC;
}

/* mmio32 and mmio64: by alignment, then size, both descending; then tag. */
static int ml_cmp_dynamic(const void *a, const void *b)
{
	const struct ml_preq *x = a, *y = b;

	if (x->r->align != y->r->align)
		return x->r->align > y->r->align ? -1 : 1;
	if (x->r->size != y->r->size)
		return x->r->size > y->r->size ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Pinned ranges: by start; reserved before fixed, each in caller order. */
static int ml_cmp_pinned(const void *a, const void *b)
{
	const struct ml_preq *x = a, *y = b;

	if (x->r->start != y->r->start)
		return x->r->start < y->r->start ? -1 : 1;
	if (x->r->place_class != y->r->place_class)
		return x->r->place_class < y->r->place_class ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Placed ranges: by address. */
static int ml_cmp_placed(const void *a, const void *b)
{
	const struct memlayout_placed *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Phase 2 (mmio32) and 4 (mmio64): one request at the highest/lowest fit. */
static int ml_place_one(struct ml_placer *p, const struct ml_preq *q, u64 lo,
			u64 hi, bool top_down)
{
	const struct memlayout_place_req *r = q->r;
	struct ml_fnode *n;
	u64 start;
	u32 x;

	ml_free_mode(&p->f, lo, hi, r->align);
	x = top_down ? ml_free_highest(&p->f, r->size) :
		       ml_free_lowest(&p->f, r->size);
	if (!x)
		return ml_exhausted(p, q, lo, hi);
	n = &p->f.n[x];
	if (top_down)
		start = ml_align_down(min(n->end, hi) - r->size, r->align);
	else
		ml_align_up(max(n->start, lo), r->align, &start);
	return ml_carve(p, q, start, r->size, n->start, 0);
}

/* Phase 3: one RAM request, split around what is there, never backfilling. */
static int ml_place_ram(struct ml_placer *p, const struct ml_preq *q,
			u32 vnode, u64 *ext)
{
	const struct memlayout_place_req *r = q->r;
	u64 floor = p->ram_end, left = r->size, t, s, e, take;
	u32 x, k = 0, i;
	int ret;

	/* Find every extent first: a request that does not fit places none. */
	for (x = ml_free_from(&p->f, floor); x && left;
	     x = ml_free_from(&p->f, p->f.n[x].end)) {
		s = max(p->f.n[x].start, floor);
		e = p->f.n[x].end;
		if (!ml_align_up(s, r->align, &t) || t >= e)
			continue;
		take = e - t >= left ? left : ml_align_down(e - t, r->align);
		if (!take)
			continue;
		ext[3 * k] = t;
		ext[3 * k + 1] = take;
		ext[3 * k + 2] = p->f.n[x].start;
		k++;
		left -= take;
	}
	if (left)
		return ml_exhausted(p, q, floor, ML_TOP);
	for (i = 0; i < k; i++) {
		ret = ml_carve(p, q, ext[3 * i], ext[3 * i + 1], ext[3 * i + 2],
			       vnode);
		if (ret)
			return ret;
	}
	return 0;
}

/* Phase 5: one post-MMIO request, at the lowest fit above everything. */
static int ml_place_post(struct ml_placer *p, const struct ml_preq *q)
{
	const struct memlayout_place_req *r = q->r;
	u64 floor = p->top, s, t;
	u32 x;

	for (x = ml_free_from(&p->f, floor); x;
	     x = ml_free_from(&p->f, p->f.n[x].end)) {
		s = max(p->f.n[x].start, floor);
		if (ml_align_up(s, r->align, &t) && t < p->f.n[x].end &&
		    r->size <= p->f.n[x].end - t)
			return ml_carve(p, q, t, r->size, p->f.n[x].start, 0);
	}
	return ml_exhausted(p, q, floor, ML_TOP);
}

static int ml_place_reject(struct memlayout_place_error *err, u32 rule,
			   const struct ml_preq *q, int errno_val)
{
	err->rule = rule;
	err->place_class = q->r->place_class;
	err->index = q->index;
	return errno_val;
}

static bool ml_hole_kind(u32 kind)
{
	return kind == MEMLAYOUT_KIND_MMIO || kind == MEMLAYOUT_KIND_PCI_ECAM ||
	       kind == MEMLAYOUT_KIND_PCI_MMIO;
}

/**
 * ml_place_check() - every check before the phases, in SPEC's order
 * @q: the requests with their class indexes, grouped by class in caller
 *     order (q[first[c] .. first[c + 1]) is class c).
 * @first: where each class starts in @q.
 * @pinned: scratch for the pinned ranges (reserved, then fixed).
 * @err: receives the reason.
 *
 * R8 was checked by the caller, before anything was allocated. Here the
 * kinds (an interface matter: %MEMLAYOUT_REASON_RESERVED), then R2 on the
 * pinned ranges, P3, then P1 and P2 per request in class order (mmio32,
 * ram, mmio64, post-MMIO), caller order within a class.
 *
 * Context: any.
 * Return: 0 or the errno of the broken rule.
 */
static int ml_place_check(const struct ml_preq *q, const u32 *first,
			  struct ml_preq *pinned,
			  struct memlayout_place_error *err)
{
	static const u32 placed[] = { MEMLAYOUT_CLASS_MMIO32,
		MEMLAYOUT_CLASS_RAM, MEMLAYOUT_CLASS_MMIO64,
		MEMLAYOUT_CLASS_POST_MMIO };
	u32 c, i, npin, vtl2 = 0;

	for (i = first[MEMLAYOUT_CLASS_RESERVED];
	     i < first[MEMLAYOUT_CLASS_POST_MMIO + 1]; i++) {
		const struct memlayout_place_req *r = q[i].r;
		bool ok;

		switch (r->place_class) {
		case MEMLAYOUT_CLASS_RESERVED:
		case MEMLAYOUT_CLASS_RAM:
			ok = !r->kind;
			break;
		case MEMLAYOUT_CLASS_POST_MMIO:
			ok = ml_hole_kind(r->kind) ||
			     (r->kind == MEMLAYOUT_PLACE_VTL2 && !vtl2++);
			break;
		default:
			ok = ml_hole_kind(r->kind);
			break;
		}
		if (!ok)
			return ml_place_reject(err, MEMLAYOUT_REASON_RESERVED,
					       &q[i], -EINVAL);
	}
	npin = first[MEMLAYOUT_CLASS_FIXED + 1] - first[MEMLAYOUT_CLASS_RESERVED];
	for (i = 0; i < npin; i++) {
		const struct memlayout_place_req *r = q[first[1] + i].r;

		if (r->start >= r->end || r->start % ML_PAGE ||
		    r->end % ML_PAGE || r->end > ML_TOP)
			return ml_place_reject(err, MEMLAYOUT_RULE_BAD_RANGE,
					       &q[first[1] + i], -EINVAL);
		pinned[i] = q[first[1] + i];
	}
	sort(pinned, npin, sizeof(*pinned), ml_cmp_pinned, NULL);
	for (i = 1; i < npin; i++) {
		if (pinned[i].r->start < pinned[i - 1].r->end) {
			err->other_class = pinned[i].r->place_class;
			err->other_index = pinned[i].index;
			return ml_place_reject(err,
					       MEMLAYOUT_RULE_PINNED_OVERLAP,
					       &pinned[i - 1], -EEXIST);
		}
	}
	for (c = 0; c < ARRAY_SIZE(placed); c++) {
		for (i = first[placed[c]]; i < first[placed[c] + 1]; i++) {
			const struct memlayout_place_req *r = q[i].r;

			if (r->place_class == MEMLAYOUT_CLASS_RAM && !r->size)
				continue;	/* D8: a memory-less node */
			if (!r->size || r->size % ML_PAGE)
				return ml_place_reject(err,
						       MEMLAYOUT_RULE_PLACE_SIZE,
						       &q[i], -EINVAL);
			if (r->align < ML_PAGE || r->align & (r->align - 1))
				return ml_place_reject(err,
						       MEMLAYOUT_RULE_PLACE_ALIGN,
						       &q[i], -EINVAL);
		}
	}
	return 0;
}

/**
 * ml_place_run() - the phases
 * @p: the placement, its free space holding [0, MAX_ADDRESS).
 * @q: the requests grouped by class (see ml_place_check()).
 * @first: where each class starts in @q.
 * @pinned: the pinned ranges sorted by start (from ml_place_check()).
 * @ext: scratch for RAM extents, three u64 per free range.
 *
 * Context: any.
 * Return: 0, -ENOSPC (P4, reason set) or -EIO.
 */
static int ml_place_run(struct ml_placer *p, struct ml_preq *q,
			const u32 *first, const struct ml_preq *pinned,
			u64 *ext)
{
	u32 npin = first[MEMLAYOUT_CLASS_FIXED + 1] -
		   first[MEMLAYOUT_CLASS_RESERVED];
	u32 i, c, vnode = 0;
	int ret = 0;

	/* 1: reserved and fixed, where given (sorted, disjoint: P3). */
	for (i = 0; i < npin && !ret; i++) {
		const struct memlayout_place_req *r = pinned[i].r;
		u32 x = ml_free_from(&p->f, r->start);

		if (WARN_ON_ONCE(!x))
			return -EIO;
		ret = ml_carve(p, &pinned[i], r->start, r->end - r->start,
			       p->f.n[x].start, 0);
	}
	/* 2 and 4: by alignment then size, descending; 3 and 5: caller order. */
	for (c = MEMLAYOUT_CLASS_MMIO32; c <= MEMLAYOUT_CLASS_POST_MMIO && !ret;
	     c++) {
		if (c == MEMLAYOUT_CLASS_MMIO32 || c == MEMLAYOUT_CLASS_MMIO64)
			sort(&q[first[c]], first[c + 1] - first[c], sizeof(*q),
			     ml_cmp_dynamic, NULL);
		for (i = first[c]; i < first[c + 1] && !ret; i++) {
			switch (c) {
			case MEMLAYOUT_CLASS_MMIO32:
				ret = ml_place_one(p, &q[i], 0, ML_4GB, true);
				break;
			case MEMLAYOUT_CLASS_RAM:
				if (q[i].r->size)
					ret = ml_place_ram(p, &q[i], vnode, ext);
				vnode++;
				break;
			case MEMLAYOUT_CLASS_MMIO64:
				ret = ml_place_one(p, &q[i],
						   max(p->ram_end, ML_4GB),
						   ML_TOP, false);
				break;
			default:
				ret = ml_place_post(p, &q[i]);
				break;
			}
		}
	}
	return ret;
}

/**
 * memlayout_place() - SPEC C4: place a VM's address space
 * @reqs: @n requests, in caller order (each class's order matters).
 * @n: number of requests.
 * @max_ranges: the R8 limit per class (0: the module parameter).
 * @gfp: allocation flags.
 * @err: receives the reason of a rejection (zeroed on success).
 *
 * Checks, in SPEC's order: an unknown class (%MEMLAYOUT_REASON_FLAGS),
 * R8 per class (before anything is allocated), the kinds
 * (%MEMLAYOUT_REASON_RESERVED), R2 on reserved and fixed ranges, P3, P1
 * and P2 per request; then runs the phases (P4).
 * Deterministic: the same requests always give the same placement.
 *
 * Context: may sleep if @gfp allows. O(n log n) expected.
 * An unknown class is named by the request's position in @reqs (@err->index,
 * with @err->place_class 0), since it has no index in a class. One RAM request
 * may split into more extents than @max_ranges: memlayout_build_placed()
 * then rejects the layout with R8 on the RAM list.
 *
 * Return: the placement (kvfree() it), or an ERR_PTR(): -EINVAL, -E2BIG,
 * -EEXIST, -ENOSPC with the reason in @err, -EOPNOTSUPP for an unknown
 * class (%MEMLAYOUT_REASON_FLAGS), -ENOMEM, or -EIO.
 */
struct memlayout_placement *
memlayout_place(const struct memlayout_place_req *reqs, u32 n, u32 max_ranges,
		gfp_t gfp, struct memlayout_place_error *err)
{
	u32 first[MEMLAYOUT_CLASS_POST_MMIO + 2] = { 0 };
	u32 seen[MEMLAYOUT_CLASS_POST_MMIO + 1] = { 0 };
	struct ml_placer p = { .err = err };
	struct ml_preq *q = NULL, *pinned;
	u64 *ext = NULL;
	u32 i, c, nodes;
	int ret;

	memset(err, 0, sizeof(*err));
	if (!max_ranges)
		max_ranges = memlayout_max_ranges();
	for (i = 0; i < n; i++) {
		c = reqs[i].place_class;
		if (c < MEMLAYOUT_CLASS_RESERVED || c > MEMLAYOUT_CLASS_POST_MMIO) {
			err->rule = MEMLAYOUT_REASON_FLAGS;
			err->index = i;
			return ERR_PTR(-EOPNOTSUPP);
		}
		first[c + 1]++;
	}
	for (c = 1; c <= MEMLAYOUT_CLASS_POST_MMIO + 1; c++)
		first[c] += first[c - 1];
	for (c = 0; c <= MEMLAYOUT_CLASS_POST_MMIO; c++)
		if (first[c + 1] - first[c] > max_ranges) {
			err->rule = MEMLAYOUT_RULE_TOO_MANY;
			err->place_class = c;
			err->index = max_ranges;
			return ERR_PTR(-E2BIG);
		}

	/*
	 * Every carve takes one free range and gives back at most two, and a
	 * RAM request makes at most one extent per free range it passes; so
	 * the free ranges, the placed ranges and the RAM extents each stay
	 * below 2n + 2.
	 */
	nodes = 2 * n + 4;
	q = kvzalloc(array_size(2 * (size_t)n + 1, sizeof(*q)), gfp);
	ext = kvzalloc(array_size(3 * (size_t)nodes, sizeof(*ext)), gfp);
	p.f.n = kvzalloc(array_size(nodes, sizeof(*p.f.n)), gfp);
	p.f.order = kvzalloc(array_size(2 * (size_t)nodes, sizeof(u32)), gfp);
	p.out = kvzalloc(struct_size(p.out, ranges, nodes), gfp);
	if (!q || !ext || !p.f.n || !p.f.order || !p.out) {
		ret = -ENOMEM;
		goto fail;
	}
	pinned = q + n;
	for (i = 0; i < n; i++) {
		c = reqs[i].place_class;
		q[first[c] + seen[c]].r = &reqs[i];
		q[first[c] + seen[c]].index = seen[c];
		seen[c]++;
	}
	ret = ml_place_check(q, first, pinned, err);
	if (ret)
		goto fail;

	p.f.cap = nodes;
	p.f.seed = 0x9e3779b9;
	p.f.align = ML_PAGE;
	p.f.hi = ML_TOP;
	ret = ml_free_add(&p.f, 0, ML_TOP);
	if (!ret)
		ret = ml_place_run(&p, q, first, pinned, ext);
	if (ret)
		goto fail;

	sort(p.out->ranges, p.nr, sizeof(p.out->ranges[0]), ml_cmp_placed, NULL);
	while (p.nr &&
	       p.out->ranges[p.nr - 1].place_class == MEMLAYOUT_CLASS_RESERVED)
		p.nr--;
	p.out->nr = p.nr;
	kvfree(p.f.order);
	kvfree(p.f.n);
	kvfree(ext);
	kvfree(q);
	return p.out;

fail:
	kvfree(p.out);
	kvfree(p.f.order);
	kvfree(p.f.n);
	kvfree(ext);
	kvfree(q);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(memlayout_place);

/**
 * memlayout_build_placed() - the layout of a placement
 * @pl: a placement from memlayout_place().
 * @max_ranges: the R8 limit (0: the module parameter).
 * @gfp: allocation flags.
 * @err: receives the reason of a rejection (R5 when no RAM was placed).
 *
 * Exactly what C3 builds from the RAM extents (vnode = the RAM request's
 * index) and the holes (fixed, mmio32, mmio64, post-MMIO, by kind), with
 * the post-MMIO VTL2 request as the VTL2 range. Reserved ranges are not
 * part of the layout. On success the layout owns @pl (it is freed with
 * the layout, and @l->placement is it); on failure @pl stays the caller's.
 *
 * Context: may sleep if @gfp allows.
 * Return: the layout, or an ERR_PTR() as memlayout_build() returns.
 */
struct memlayout *memlayout_build_placed(struct memlayout_placement *pl,
					 u32 max_ranges, gfp_t gfp,
					 struct memlayout_error *err)
{
	u32 nr[MEMLAYOUT_KIND_PCI_MMIO + 1] = { 0 }, i, k;
	struct memlayout_range *lists[MEMLAYOUT_KIND_PCI_MMIO + 1] = { NULL };
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_RANGES,
		.max_ranges = max_ranges,
	};
	struct memlayout_range vtl2 = { 0 }, *all;
	struct memlayout *l;

	memset(err, 0, sizeof(*err));
	all = kvzalloc(array_size(pl->nr + 1, sizeof(*all)), gfp);
	if (!all)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < pl->nr; i++)
		if (pl->ranges[i].kind >= MEMLAYOUT_KIND_RAM &&
		    pl->ranges[i].kind <= MEMLAYOUT_KIND_PCI_MMIO)
			nr[pl->ranges[i].kind]++;
	/* One allocation, sliced per kind in address order. */
	for (k = MEMLAYOUT_KIND_RAM, i = 0; k <= MEMLAYOUT_KIND_PCI_MMIO; k++) {
		lists[k] = all + i;
		i += nr[k];
		nr[k] = 0;
	}
	for (i = 0; i < pl->nr; i++) {
		const struct memlayout_placed *r = &pl->ranges[i];

		if (r->place_class == MEMLAYOUT_CLASS_RESERVED)
			continue;
		if (r->kind == MEMLAYOUT_PLACE_VTL2) {
			vtl2.start = r->start;
			vtl2.end = r->end;
			req.vtl2 = &vtl2;
			continue;
		}
		lists[r->kind][nr[r->kind]++] = (struct memlayout_range){
			.start = r->start, .end = r->end, .vnode = r->vnode,
		};
	}
	req.ram = lists[MEMLAYOUT_KIND_RAM];
	req.nr_ram = nr[MEMLAYOUT_KIND_RAM];
	req.mmio = lists[MEMLAYOUT_KIND_MMIO];
	req.nr_mmio = nr[MEMLAYOUT_KIND_MMIO];
	req.pci_ecam = lists[MEMLAYOUT_KIND_PCI_ECAM];
	req.nr_pci_ecam = nr[MEMLAYOUT_KIND_PCI_ECAM];
	req.pci_mmio = lists[MEMLAYOUT_KIND_PCI_MMIO];
	req.nr_pci_mmio = nr[MEMLAYOUT_KIND_PCI_MMIO];
	l = memlayout_build(&req, gfp, err);
	kvfree(all);
	if (!IS_ERR(l))
		l->placement = pl;
	return l;
}
EXPORT_SYMBOL_GPL(memlayout_build_placed);
