// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the structured difference between two layouts (SPEC F2).
 *
 * The ranges of a snapshot are in address order and never overlap, so one
 * linear merge walk over both arrays pairs every range of the first layout
 * with the range of the second that has the same start and kind (CHANGED
 * when its end or vnode differ) and reports the others as REMOVED or
 * ADDED. The figures of struct memlayout_stats are compared next (an
 * optional figure differs when its present bit does, or when both have it
 * and the values differ), then the VTL2 range.
 */
#include <stddef.h>
#include <string.h>

#include "libmemlayout.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/**
 * struct diff_walk - the state of one memlayout_diff() call
 * @fn: the caller's callback.
 * @arg: its argument.
 * @count: differences reported so far.
 */
struct diff_walk {
	int (*fn)(const struct memlayout_diff_item *it, void *arg);
	void *arg;
	int count;
};

/**
 * diff_emit() - report one difference
 * @w: the walk.
 * @it: the difference.
 *
 * Return: 0 to go on, or the callback's non-zero value to stop.
 */
static int diff_emit(struct diff_walk *w, const struct memlayout_diff_item *it)
{
	int ret = 0;

	w->count++;
	if (w->fn)
		ret = w->fn(it, w->arg);
	return ret;
}

/**
 * diff_range() - report a range added, removed or changed
 * @w: the walk.
 * @op: %MEMLAYOUT_DIFF_ADDED, _REMOVED or _CHANGED.
 * @a: the range in the first layout, or NULL.
 * @b: the range in the second layout, or NULL.
 *
 * Return: as diff_emit().
 */
static int diff_range(struct diff_walk *w, uint32_t op,
		      const struct memlayout_map_entry *a,
		      const struct memlayout_map_entry *b)
{
	struct memlayout_diff_item it = { .op = op, .a = a, .b = b };

	return diff_emit(w, &it);
}

/**
 * entry_before() - whether @x sorts before @y in the merge walk
 * @x: a range of one layout.
 * @y: a range of the other.
 *
 * Address order, then kind: two layouts may hold ranges of different
 * kinds at the same start, which are not the same range.
 *
 * Return: true when @x comes first.
 */
static int entry_before(const struct memlayout_map_entry *x,
			const struct memlayout_map_entry *y)
{
	if (x->start != y->start)
		return x->start < y->start;
	return x->kind < y->kind;
}

/**
 * diff_ranges() - the merge walk over both address-ordered arrays
 * @w: the walk.
 * @a: the first snapshot.
 * @b: the second snapshot.
 *
 * Return: 0, or the callback's non-zero value that stopped the walk.
 */
static int diff_ranges(struct diff_walk *w,
		       const struct memlayout_snapshot *a,
		       const struct memlayout_snapshot *b)
{
	uint32_t i = 0, j = 0;
	int ret;

	while (i < a->nr || j < b->nr) {
		const struct memlayout_map_entry *x = i < a->nr ? &a->entries[i] : NULL;
		const struct memlayout_map_entry *y = j < b->nr ? &b->entries[j] : NULL;

		if (x && y && x->start == y->start && x->kind == y->kind) {
			ret = 0;
			if (x->end != y->end || x->vnode != y->vnode)
				ret = diff_range(w, MEMLAYOUT_DIFF_CHANGED, x, y);
			i++;
			j++;
		} else if (x && (!y || entry_before(x, y))) {
			ret = diff_range(w, MEMLAYOUT_DIFF_REMOVED, x, NULL);
			i++;
		} else {
			ret = diff_range(w, MEMLAYOUT_DIFF_ADDED, NULL, y);
			j++;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * struct diff_figure - one figure of struct memlayout_stats
 * @name: its name, as in memlayoutctl's JSON.
 * @offset: offsetof() the member.
 * @present: the MEMLAYOUT_STATS_* bit it needs, or 0 when always valid.
 */
struct diff_figure {
	const char *name;
	size_t offset;
	uint32_t present;
};

#define DIFF_FIGURE(member, bit) \
	{ #member, offsetof(struct memlayout_stats, member), bit }

static const struct diff_figure diff_figures[] = {
	DIFF_FIGURE(ram_size, 0),
	DIFF_FIGURE(end_of_ram, 0),
	DIFF_FIGURE(ram_below_4gb, 0),
	DIFF_FIGURE(ram_above_4gb, 0),
	DIFF_FIGURE(max_ram_below_4gb, MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB),
	DIFF_FIGURE(ram_above_high_mmio, MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO),
	DIFF_FIGURE(end_of_layout, 0),
};

/**
 * figure_value() - read one figure
 * @st: the stats.
 * @f: the figure.
 * @valid: receives whether the figure is valid (its present bit).
 *
 * Return: the value, 0 when not valid.
 */
static uint64_t figure_value(const struct memlayout_stats *st,
			     const struct diff_figure *f, int *valid)
{
	uint64_t v;

	*valid = !f->present || (st->present & f->present);
	if (!*valid)
		return 0;
	memcpy(&v, (const char *)st + f->offset, sizeof(v));
	return v;
}

/**
 * diff_figures_walk() - report each figure that differs
 * @w: the walk.
 * @a: the first snapshot.
 * @b: the second snapshot.
 *
 * A figure that is valid in one layout only is reported with 0 for the
 * other side (as GET_STATS reads it).
 *
 * Return: 0, or the callback's non-zero value that stopped the walk.
 */
static int diff_figures_walk(struct diff_walk *w,
			     const struct memlayout_snapshot *a,
			     const struct memlayout_snapshot *b)
{
	size_t k;
	int ret;

	for (k = 0; k < ARRAY_SIZE(diff_figures); k++) {
		const struct diff_figure *f = &diff_figures[k];
		struct memlayout_diff_item it = {
			.op = MEMLAYOUT_DIFF_FIGURE,
			.figure = f->name,
		};
		int va, vb;

		it.old_value = figure_value(&a->stats, f, &va);
		it.new_value = figure_value(&b->stats, f, &vb);
		if (va == vb && it.old_value == it.new_value)
			continue;
		ret = diff_emit(w, &it);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * diff_vtl2() - report the VTL2 range when it differs
 * @w: the walk.
 * @a: the first snapshot.
 * @b: the second snapshot.
 *
 * A missing VTL2 range reads as [0, 0).
 *
 * Return: as diff_emit(), 0 when equal.
 */
static int diff_vtl2(struct diff_walk *w, const struct memlayout_snapshot *a,
		     const struct memlayout_snapshot *b)
{
	struct memlayout_diff_item it = { .op = MEMLAYOUT_DIFF_VTL2 };
	int ha = !!(a->stats.present & MEMLAYOUT_STATS_VTL2);
	int hb = !!(b->stats.present & MEMLAYOUT_STATS_VTL2);

	if (ha) {
		it.old_value = a->stats.vtl2_start;
		it.old_end = a->stats.vtl2_end;
	}
	if (hb) {
		it.new_value = b->stats.vtl2_start;
		it.new_end = b->stats.vtl2_end;
	}
	if (ha == hb && it.old_value == it.new_value && it.old_end == it.new_end)
		return 0;
	return diff_emit(w, &it);
}

/**
 * memlayout_diff() - every difference between two snapshots
 * @a: the first layout (its ranges in address order).
 * @b: the second layout.
 * @fn: called once per difference, in address order of the ranges, then
 *      the figures in struct order, then VTL2; a non-zero return stops
 *      the walk and is returned. May be NULL to count only.
 * @arg: passed to @fn.
 *
 * The items point into @a and @b, which must outlive the walk.
 *
 * Return: the number of differences (0: the layouts are equal), or what
 * @fn returned to stop.
 */
MEMLAYOUT_API int memlayout_diff(const struct memlayout_snapshot *a,
				 const struct memlayout_snapshot *b,
				 int (*fn)(const struct memlayout_diff_item *it,
					   void *arg),
				 void *arg)
{
	struct diff_walk w = { .fn = fn, .arg = arg };
	int ret;

	ret = diff_ranges(&w, a, b);
	if (!ret)
		ret = diff_figures_walk(&w, a, b);
	if (!ret)
		ret = diff_vtl2(&w, a, b);
	return ret ? ret : w.count;
}
