// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: the ioctl interface's own rules, as pure logic on the UAPI
 * structs (include/uapi/linux/memlayout.h).
 *
 * memlayout_ioctl.c copies a command in from userspace and calls these to
 * check it, turn it into a &struct memlayout_request for the core, and
 * fill its replies; libmemlayout's offline engine compiles this same file
 * in userspace over lib/shim, so a layout planned offline is accepted or
 * rejected with the same errno and reason as by the device. Like the
 * core, nothing here touches user memory, takes a lock or sleeps.
 */
#include <asm/barrier.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/memlayout.h>
#include <linux/sched.h>
#include <linux/slab.h>

/* A member of struct memlayout_set, named in a reason. */
#define ML_SET_FIELD(m)		offsetof(struct memlayout_set, m)
/* A member of one struct memlayout_range, named in a reason. */
#define ML_RANGE_FIELD(m)	offsetof(struct memlayout_range, m)
/* A member of one struct memlayout_place_req, named in a reason. */
#define ML_REQ_FIELD(m)		offsetof(struct memlayout_place_req, m)

/**
 * ml_reason() - fill the reason a SET_LAYOUT reports
 * @s: the command.
 * @rule: ``MEMLAYOUT_RULE_*`` or ``MEMLAYOUT_REASON_*``.
 * @list: list of the offending item, or %MEMLAYOUT_LIST_NONE for a member
 *        of @s itself.
 * @index: index of the offending item.
 * @field: offset of the offending member, in the item or in @s.
 * @ret: the errno to return.
 *
 * Context: any.
 * Return: @ret.
 */
static int ml_reason(struct memlayout_set *s, u32 rule, u32 list, u32 index,
		     u32 field, int ret)
{
	s->reason.rule = rule;
	s->reason.list = list;
	s->reason.index = index;
	s->reason.field = field;
	return ret;
}

/**
 * ml_reject_field() - reject a SET_LAYOUT for one of its own members
 * @s: the command.
 * @rule: %MEMLAYOUT_REASON_FLAGS or %MEMLAYOUT_REASON_RESERVED.
 * @field: offset of the member in &struct memlayout_set.
 * @ret: the errno to return.
 *
 * Context: any.
 * Return: @ret.
 */
static int ml_reject_field(struct memlayout_set *s, u32 rule, u32 field,
			   int ret)
{
	return ml_reason(s, rule, MEMLAYOUT_LIST_NONE, 0, field, ret);
}

/**
 * ml_clear_reply() - clear every output member of a SET_LAYOUT
 * @s: the command.
 *
 * Context: any.
 */
static void ml_clear_reply(struct memlayout_set *s)
{
	memset(&s->reason, 0, sizeof(s->reason));
	s->generation = 0;
	memset(s->fingerprint, 0, sizeof(s->fingerprint));
	memset(&s->place_reason, 0, sizeof(s->place_reason));
}

/**
 * ml_range_is_zero() - every member of a range is zero
 * @r: the range.
 *
 * Context: any.
 * Return: true if @r is all zero.
 */
static bool ml_range_is_zero(const struct memlayout_range *r)
{
	return !r->start && !r->end && !r->vnode && !r->reserved;
}

/**
 * ml_check_place_source() - C4 takes every range from its requests
 * @s: the command (receives the reason of a rejection).
 *
 * The hole lists, VTL2 and %MEMLAYOUT_SET_VTL2 are not used: a hole is a
 * request, and VTL2 is the post-MMIO request of kind %MEMLAYOUT_PLACE_VTL2.
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
static int ml_check_place_source(struct memlayout_set *s)
{
	const struct {
		bool used;
		u32 field;
	} unused[] = {
		{ s->flags & MEMLAYOUT_SET_VTL2, ML_SET_FIELD(flags) },
		{ s->nr_mmio || s->mmio_ptr, ML_SET_FIELD(mmio_ptr) },
		{ s->nr_pci_ecam || s->pci_ecam_ptr, ML_SET_FIELD(pci_ecam_ptr) },
		{ s->nr_pci_mmio || s->pci_mmio_ptr, ML_SET_FIELD(pci_mmio_ptr) },
		{ !ml_range_is_zero(&s->vtl2), ML_SET_FIELD(vtl2) },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unused); i++)
		if (unused[i].used)
			return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
					       unused[i].field, -EINVAL);
	return 0;
}

/**
 * ml_check_source() - the members a SET_LAYOUT's source does not use are 0
 * @s: the command (receives the reason of a rejection).
 *
 * Context: any.
 * Return: 0, -EOPNOTSUPP for an unknown source, or -EINVAL.
 */
static int ml_check_source(struct memlayout_set *s)
{
	bool size = s->source == MEMLAYOUT_SOURCE_SIZE;
	bool nodes = s->source == MEMLAYOUT_SOURCE_NODES;
	bool ranges = s->source == MEMLAYOUT_SOURCE_RANGES;
	bool place = s->source == MEMLAYOUT_SOURCE_PLACE;

	if (!size && !nodes && !ranges && !place)
		return ml_reject_field(s, MEMLAYOUT_REASON_FLAGS,
				       ML_SET_FIELD(source), -EOPNOTSUPP);
	if (s->place_flags)
		return ml_reject_field(s, MEMLAYOUT_REASON_FLAGS,
				       ML_SET_FIELD(place_flags), -EOPNOTSUPP);
	if (!size && s->ram_size)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(ram_size), -EINVAL);
	if (!nodes && s->nr_nodes)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nr_nodes), -EINVAL);
	if (!nodes && s->nodes_ptr)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nodes_ptr), -EINVAL);
	if (!ranges && s->nr_ram)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nr_ram), -EINVAL);
	if (!ranges && s->ram_ptr)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(ram_ptr), -EINVAL);
	if (!place && s->nr_place)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(nr_place), -EINVAL);
	if (!place && s->place_ptr)
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(place_ptr), -EINVAL);
	if (place)
		return ml_check_place_source(s);
	if (s->flags & MEMLAYOUT_SET_VTL2) {
		if (s->vtl2.vnode)
			return ml_reason(s, MEMLAYOUT_REASON_RESERVED,
					 MEMLAYOUT_LIST_VTL2, 0,
					 ML_RANGE_FIELD(vnode), -EINVAL);
		if (s->vtl2.reserved)
			return ml_reason(s, MEMLAYOUT_REASON_RESERVED,
					 MEMLAYOUT_LIST_VTL2, 0,
					 ML_RANGE_FIELD(reserved), -EINVAL);
	} else if (!ml_range_is_zero(&s->vtl2)) {
		/* Without the flag, VTL2 is not given: all of it is unused. */
		return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
				       ML_SET_FIELD(vtl2), -EINVAL);
	}
	return 0;
}

/**
 * ml_check_arrays() - each array pointer of a SET_LAYOUT has its count
 * @s: the command (receives the reason of a rejection).
 *
 * An array is given by a pointer and a count that are both zero or both
 * set; either half alone is -EINVAL, whichever it is (PROCMAP_QUERY's
 * rule), so a NULL pointer never turns into -EFAULT.
 *
 * Context: any.
 * Return: 0, or -EINVAL naming the pointer member.
 */
static int ml_check_arrays(struct memlayout_set *s)
{
	const struct {
		u64 ptr;
		u32 nr;
		u32 field;
	} arrays[] = {
		{ s->nodes_ptr, s->nr_nodes, ML_SET_FIELD(nodes_ptr) },
		{ s->ram_ptr, s->nr_ram, ML_SET_FIELD(ram_ptr) },
		{ s->mmio_ptr, s->nr_mmio, ML_SET_FIELD(mmio_ptr) },
		{ s->pci_ecam_ptr, s->nr_pci_ecam, ML_SET_FIELD(pci_ecam_ptr) },
		{ s->pci_mmio_ptr, s->nr_pci_mmio, ML_SET_FIELD(pci_mmio_ptr) },
		{ s->place_ptr, s->nr_place, ML_SET_FIELD(place_ptr) },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(arrays); i++)
		if (!arrays[i].ptr != !arrays[i].nr)
			return ml_reject_field(s, MEMLAYOUT_REASON_RESERVED,
					       arrays[i].field, -EINVAL);
	return 0;
}

/**
 * memlayout_set_check() - the interface's checks of a SET_LAYOUT command
 * @s: the command as copied in; its reason and generation are cleared,
 *     and the reason of a rejection is written.
 * @req: receives, on success, the source, sizes, counts and VTL2 of the
 *       request (the arrays are the caller's to fill in).
 * @max_ranges: the R8 limit to pass to the core (0: the module parameter).
 *
 * Cheapest first, in this order: flags; the source and the members it does
 * not use; VTL2's members; pointer/count pairs; then SPEC R8 on the counts
 * (memlayout_check_counts(); for C4, on the length of the request array),
 * before the caller allocates anything. The per-range checks follow as
 * each list arrives (memlayout_set_check_ranges()); C4's requests go to
 * memlayout_set_place().
 *
 * Context: any.
 * Return: 0, or -EOPNOTSUPP, -EINVAL or -E2BIG with the reason written.
 */
int memlayout_set_check(struct memlayout_set *s,
			struct memlayout_request *req, u32 max_ranges)
{
	struct memlayout_error err;
	int ret;

	ml_clear_reply(s);
	memset(req, 0, sizeof(*req));

	if (s->flags & ~MEMLAYOUT_SET_VALID_FLAGS)
		return ml_reject_field(s, MEMLAYOUT_REASON_FLAGS,
				       ML_SET_FIELD(flags), -EOPNOTSUPP);
	ret = ml_check_source(s);
	if (!ret)
		ret = ml_check_arrays(s);
	if (ret)
		return ret;

	req->source = s->source;
	req->max_ranges = max_ranges;
	req->ram_size = s->ram_size;
	req->nr_nodes = s->nr_nodes;
	req->nr_ram = s->nr_ram;
	req->nr_mmio = s->nr_mmio;
	req->nr_pci_ecam = s->nr_pci_ecam;
	req->nr_pci_mmio = s->nr_pci_mmio;
	if (s->flags & MEMLAYOUT_SET_VTL2)
		req->vtl2 = &s->vtl2;
	if (s->source == MEMLAYOUT_SOURCE_PLACE) {
		u32 limit = max_ranges ? max_ranges : memlayout_max_ranges();

		/* R8 for the array, before it is copied: no class can fit. */
		if (s->nr_place > MEMLAYOUT_NR_CLASSES * limit)
			return ml_reason(s, MEMLAYOUT_RULE_TOO_MANY,
					 MEMLAYOUT_LIST_PLACE,
					 MEMLAYOUT_NR_CLASSES * limit, 0,
					 -E2BIG);
		return 0;
	}
	ret = memlayout_check_counts(req, &err);
	if (ret)
		memlayout_set_reject(s, &err);
	return ret;
}
EXPORT_SYMBOL_GPL(memlayout_set_check);

/**
 * memlayout_set_check_ranges() - the per-range checks of one list
 * @s: the command (receives the reason of a rejection).
 * @r: the list, as copied in.
 * @nr: number of ranges in @r.
 * @list: which list (``MEMLAYOUT_LIST_*``), for the reason.
 *
 * Every range's reserved member must be zero, and so must the vnode of a
 * hole: only RAM has nodes.
 *
 * Context: any.
 * Return: 0, or -EINVAL with the reason naming the range and member.
 */
int memlayout_set_check_ranges(struct memlayout_set *s,
			       const struct memlayout_range *r, u32 nr,
			       u32 list)
{
	u32 i, field;

	for (i = 0; i < nr; i++) {
		if (r[i].reserved)
			field = ML_RANGE_FIELD(reserved);
		else if (list != MEMLAYOUT_LIST_RAM && r[i].vnode)
			field = ML_RANGE_FIELD(vnode);
		else
			continue;
		return ml_reason(s, MEMLAYOUT_REASON_RESERVED, list, i, field,
				 -EINVAL);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(memlayout_set_check_ranges);

/**
 * ml_place_position() - where a request of a class is in the array
 * @reqs: the requests.
 * @n: their number.
 * @class: ``MEMLAYOUT_CLASS_*``.
 * @index: the request's index in @class.
 *
 * Context: any. O(@n), once per rejection.
 * Return: the request's position in @reqs.
 */
static u32 ml_place_position(const struct memlayout_place_req *reqs, u32 n,
			     u32 class, u32 index)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (reqs[i].place_class == class && !index--)
			return i;
	return n;	/* not reached for a reason memlayout_place() gave */
}

/**
 * ml_check_place_reqs() - the interface's checks of each C4 request
 * @s: the command (receives the reason of a rejection).
 * @reqs: the requests, as copied in.
 * @n: their number.
 *
 * In array order: an unknown class (%MEMLAYOUT_REASON_FLAGS), then a
 * member its class does not use that is not zero
 * (%MEMLAYOUT_REASON_RESERVED), each naming the member. The kinds are the
 * core's to check (memlayout_place()).
 *
 * Context: any.
 * Return: 0, -EOPNOTSUPP or -EINVAL.
 */
static int ml_check_place_reqs(struct memlayout_set *s,
			       const struct memlayout_place_req *reqs, u32 n)
{
	u32 i, field;

	for (i = 0; i < n; i++) {
		const struct memlayout_place_req *r = &reqs[i];
		bool pinned = r->place_class == MEMLAYOUT_CLASS_RESERVED ||
			      r->place_class == MEMLAYOUT_CLASS_FIXED;

		if (r->place_class < MEMLAYOUT_CLASS_RESERVED ||
		    r->place_class > MEMLAYOUT_NR_CLASSES)
			return ml_reason(s, MEMLAYOUT_REASON_FLAGS,
					 MEMLAYOUT_LIST_PLACE, i,
					 ML_REQ_FIELD(place_class), -EOPNOTSUPP);
		if (pinned && r->size)
			field = ML_REQ_FIELD(size);
		else if (pinned && r->align)
			field = ML_REQ_FIELD(align);
		else if (!pinned && r->start)
			field = ML_REQ_FIELD(start);
		else if (!pinned && r->end)
			field = ML_REQ_FIELD(end);
		else
			continue;
		return ml_reason(s, MEMLAYOUT_REASON_RESERVED,
				 MEMLAYOUT_LIST_PLACE, i, field, -EINVAL);
	}
	return 0;
}

/**
 * ml_reject_place() - report a rule memlayout_place() found
 * @s: the command; receives the reason and the placement reason.
 * @reqs: the requests.
 * @n: their number.
 * @e: memlayout_place()'s reason.
 *
 * The reason names the request by its position in the array
 * (%MEMLAYOUT_LIST_PLACE), the placement reason by class and index. An
 * unknown class never gets here: ml_check_place_reqs() refused it.
 *
 * Context: any.
 */
static void ml_reject_place(struct memlayout_set *s,
			    const struct memlayout_place_req *reqs, u32 n,
			    const struct memlayout_place_error *e)
{
	struct memlayout_place_reason *pr = &s->place_reason;

	s->reason.rule = e->rule;
	s->reason.list = MEMLAYOUT_LIST_PLACE;
	pr->place_class = e->place_class;
	pr->index = e->index;
	switch (e->rule) {
	case MEMLAYOUT_RULE_TOO_MANY:
		s->reason.index = e->index;	/* the limit */
		return;
	case MEMLAYOUT_REASON_RESERVED:
		s->reason.field = ML_REQ_FIELD(kind);
		break;
	case MEMLAYOUT_RULE_PINNED_OVERLAP:
		s->reason.other_list = MEMLAYOUT_LIST_PLACE;
		s->reason.other_index = ml_place_position(reqs, n,
							  e->other_class,
							  e->other_index);
		pr->other_class = e->other_class;
		pr->other_index = e->other_index;
		break;
	case MEMLAYOUT_RULE_EXHAUSTED:
		pr->phase = e->phase;
		pr->size = e->size;
		pr->align = e->align;
		pr->free = e->free;
		break;
	}
	s->reason.index = ml_place_position(reqs, n, e->place_class, e->index);
	if (e->rule == MEMLAYOUT_RULE_PLACE_SIZE ||
	    e->rule == MEMLAYOUT_RULE_PLACE_ALIGN) {
		/* The values that broke the rule, for the message. */
		pr->size = reqs[s->reason.index].size;
		pr->align = reqs[s->reason.index].align;
	}
}

/**
 * memlayout_set_place() - build the layout of a C4 SET_LAYOUT
 * @s: the command, checked by memlayout_set_check(); receives the reason
 *     of a rejection.
 * @reqs: its @s->nr_place requests, as copied in.
 * @max_ranges: the R8 limit (0: the module parameter).
 * @gfp: allocation flags.
 *
 * The interface's checks of each request (ml_check_place_reqs()), then
 * memlayout_place() (SPEC C4: R8 per class, R2, P3, P1 and P2, the
 * phases and P4) and memlayout_build_placed() (R8 on the RAM extents,
 * R5). The layout holds its placement, for GET_PLACEMENTS.
 *
 * Context: may sleep if @gfp allows.
 * Return: the layout, or an ERR_PTR() with the reason written.
 */
struct memlayout *memlayout_set_place(struct memlayout_set *s,
				      const struct memlayout_place_req *reqs,
				      u32 max_ranges, gfp_t gfp)
{
	struct memlayout_place_error perr;
	struct memlayout_placement *pl;
	struct memlayout_error err;
	struct memlayout *l;
	int ret;

	ret = ml_check_place_reqs(s, reqs, s->nr_place);
	if (ret)
		return ERR_PTR(ret);
	pl = memlayout_place(reqs, s->nr_place, max_ranges, gfp, &perr);
	if (IS_ERR(pl)) {
		if (perr.rule)
			ml_reject_place(s, reqs, s->nr_place, &perr);
		return ERR_CAST(pl);
	}
	l = memlayout_build_placed(pl, max_ranges, gfp, &err);
	if (IS_ERR(l)) {
		kvfree(pl);
		memlayout_set_reject(s, &err);
	}
	return l;
}
EXPORT_SYMBOL_GPL(memlayout_set_place);

/**
 * memlayout_set_reject() - report a rule the core found
 * @s: the command; receives the reason.
 * @err: the core's reason (memlayout_build(), memlayout_check_counts()).
 *
 * Context: any.
 */
void memlayout_set_reject(struct memlayout_set *s,
			  const struct memlayout_error *err)
{
	s->reason.rule = err->rule;
	s->reason.list = err->list;
	s->reason.index = err->index;
	s->reason.other_list = err->other_list;
	s->reason.other_index = err->other_index;
	s->reason.field = 0;
}
EXPORT_SYMBOL_GPL(memlayout_set_reject);

/**
 * memlayout_set_frame_reason() - the reply to a framing error
 * @s: the command (the kernel's size of it); receives the reason.
 * @field: offset of the first non-zero byte past the kernel's struct, or
 *         0 when the command's size is over a page.
 *
 * -E2BIG means either a framing error or SPEC R8 for SET_LAYOUT; so that
 * a caller can tell them apart without zeroing the reply first, the reply
 * is written for both, this one with %MEMLAYOUT_REASON_SIZE.
 *
 * Context: any.
 * Return: -E2BIG.
 */
int memlayout_set_frame_reason(struct memlayout_set *s, u32 field)
{
	ml_clear_reply(s);
	return ml_reason(s, MEMLAYOUT_REASON_SIZE, MEMLAYOUT_LIST_NONE, 0,
			 field, -E2BIG);
}
EXPORT_SYMBOL_GPL(memlayout_set_frame_reason);

/**
 * memlayout_fill_stats() - a layout's figures as GET_STATS replies them
 * @l: the layout.
 * @st: the command; every output member is overwritten.
 *
 * Context: any.
 */
void memlayout_fill_stats(const struct memlayout *l,
			  struct memlayout_stats *st)
{
	u32 size = st->size;

	memset(st, 0, sizeof(*st));
	st->size = size;
	st->present = l->flags;
	st->nr_ram = memlayout_count(l, MEMLAYOUT_LIST_RAM);
	st->nr_mmio = memlayout_count(l, MEMLAYOUT_LIST_MMIO);
	st->nr_pci_ecam = memlayout_count(l, MEMLAYOUT_LIST_PCI_ECAM);
	st->nr_pci_mmio = memlayout_count(l, MEMLAYOUT_LIST_PCI_MMIO);
	st->generation = l->generation;
	st->ram_size = memlayout_ram_size(l);
	st->end_of_ram = memlayout_end_of_ram(l);
	st->ram_below_4gb = memlayout_ram_below_4gb(l);
	st->ram_above_4gb = memlayout_ram_above_4gb(l);
	memlayout_max_ram_below_4gb(l, &st->max_ram_below_4gb);
	memlayout_ram_above_high_mmio(l, &st->ram_above_high_mmio);
	st->end_of_layout = memlayout_end_of_layout(l);
	if (l->flags & MEMLAYOUT_HAS_VTL2) {
		st->vtl2_start = l->vtl2_start;
		st->vtl2_end = l->vtl2_end;
	}
	memcpy(st->fingerprint, l->fingerprint, sizeof(st->fingerprint));
}
EXPORT_SYMBOL_GPL(memlayout_fill_stats);

/**
 * memlayout_list_readable() - whether GET_RANGES reads a list
 * @list: a ``MEMLAYOUT_LIST_*`` value from userspace.
 *
 * Context: any.
 * Return: true for the four range lists and VTL2; false for
 * %MEMLAYOUT_LIST_NONE, %MEMLAYOUT_LIST_NODES and unknown values.
 */
bool memlayout_list_readable(u32 list)
{
	return (list >= MEMLAYOUT_LIST_RAM && list <= MEMLAYOUT_LIST_PCI_MMIO) ||
	       list == MEMLAYOUT_LIST_VTL2;
}
EXPORT_SYMBOL_GPL(memlayout_list_readable);

/**
 * memlayout_fill_map() - part of GET_LAYOUT's reply
 * @l: the layout.
 * @first: index of the first range, in address order.
 * @n: number of ranges; @first + @n <= @l->nr.
 * @out: receives @n entries.
 *
 * Context: any.
 */
void memlayout_fill_map(const struct memlayout *l, u32 first, u32 n,
			struct memlayout_map_entry *out)
{
	struct memlayout_entry e;
	u32 i;

	for (i = 0; i < n; i++) {
		memlayout_entry(l, first + i, &e);
		out[i].start = e.start;
		out[i].end = e.end;
		out[i].vnode = e.vnode;
		out[i].kind = e.kind;
	}
}
EXPORT_SYMBOL_GPL(memlayout_fill_map);

/**
 * memlayout_nr_placed() - how many ranges GET_PLACEMENTS reads
 * @l: the layout.
 *
 * Context: any.
 * Return: the number of placed ranges of a C4 layout, 0 for C1-C3.
 */
u32 memlayout_nr_placed(const struct memlayout *l)
{
	return l->placement ? l->placement->nr : 0;
}
EXPORT_SYMBOL_GPL(memlayout_nr_placed);

/**
 * memlayout_set_accepted() - SET_LAYOUT's reply for a layout that was built
 * @s: the command; receives the fingerprint (and generation 0 for a dry run).
 * @l: the layout built from it, not yet published.
 *
 * Computes the layout's fingerprint (SPEC F1), which memlayout_build()
 * leaves to whoever publishes the layout: every layout SET_LAYOUT
 * publishes, or describes in a dry run, passes here first.
 *
 * Context: may sleep (cond_resched() in long layouts).
 * Return: true when the layout is to be published, false for
 * %MEMLAYOUT_SET_DRY_RUN (the caller frees it and replies at once).
 */
bool memlayout_set_accepted(struct memlayout_set *s, struct memlayout *l)
{
	memlayout_fingerprint_layout(l, true);
	memcpy(s->fingerprint, l->fingerprint, sizeof(s->fingerprint));
	if (!(s->flags & MEMLAYOUT_SET_DRY_RUN))
		return true;
	s->generation = 0;
	return false;
}
EXPORT_SYMBOL_GPL(memlayout_set_accepted);

/* Where the starts begin: the header, rounded up to a cache line. */
#define ML_VIEW_STARTS	MEMLAYOUT_VIEW_STARTS_OFF

/* Bytes of the view per range: its start, its record, two index entries. */
#define ML_VIEW_PER_RANGE	(sizeof(u64) + sizeof(struct memlayout_view_record) + \
				 2 * sizeof(u32))

/**
 * memlayout_view_bytes() - the view size a layout's ranges need
 * @nr: number of ranges.
 *
 * Context: any.
 * Return: the header and @nr starts, records and pairs of index entries,
 * in bytes (no overflow: @nr is at most seven lists of
 * %MEMLAYOUT_MAX_RANGES_LIMIT).
 */
size_t memlayout_view_bytes(u32 nr)
{
	return ML_VIEW_STARTS + (size_t)nr * ML_VIEW_PER_RANGE;
}
EXPORT_SYMBOL_GPL(memlayout_view_bytes);

/**
 * memlayout_view_shift() - the view's bucket size for a layout
 * @nr: number of ranges, at least 1.
 * @end: one past the layout's last byte (its last range's end).
 *
 * Context: any.
 * Return: the smallest shift, at most 63, that puts every address below
 * @end in one of the first 2 * @nr - 1 buckets ("DOC: Shared view").
 */
u32 memlayout_view_shift(u32 nr, u64 end)
{
	u64 buckets = 2 * (u64)nr - 1;
	u32 shift = 0;

	while (shift < 63 && ((end - 1) >> shift) >= buckets)
		shift++;
	return shift;
}
EXPORT_SYMBOL_GPL(memlayout_view_shift);

/**
 * memlayout_view_fill_index() - write the view's bucket index
 * @index: room for 2 * @nr entries.
 * @starts: the @nr starts, ascending.
 * @nr: number of ranges, at least 1.
 * @shift: from memlayout_view_shift().
 *
 * One walk over buckets and starts together: O(@nr).
 *
 * Context: may sleep (cond_resched() in long layouts).
 */
static void memlayout_view_fill_index(u32 *index, const u64 *starts, u32 nr,
				      u32 shift)
{
	u32 b, j = 0;
	u64 at;

	for (b = 0; b < 2 * nr - 1; b++) {
		/* b << shift, or past every start when it does not fit. */
		at = b > (U64_MAX >> shift) ? U64_MAX : (u64)b << shift;
		while (j + 1 < nr && starts[j + 1] <= at)
			j++;
		index[b] = j;
		if (!((b + 1) % 8192))
			cond_resched();
	}
	index[2 * nr - 1] = nr - 1;
}

/**
 * memlayout_view_fill() - write a layout into a view, but for its counter
 * @v: the view (@size bytes, 8-byte aligned).
 * @size: its size.
 * @l: the layout, or %NULL for none.
 *
 * Writes every member of the header but @seq, then the starts, the
 * records and the bucket index, or, when they do not fit,
 * %MEMLAYOUT_VIEW_TOO_LARGE (SPEC V3).
 * The caller brackets it with the counter (memlayout_view_publish()).
 *
 * Context: may sleep (cond_resched() in long layouts).
 */
static void memlayout_view_fill(struct memlayout_view *v, size_t size,
				const struct memlayout *l)
{
	u64 *starts = (u64 *)((u8 *)v + ML_VIEW_STARTS);
	struct memlayout_view_record *rec;
	struct memlayout_entry e;
	u32 i;

	v->magic = MEMLAYOUT_VIEW_MAGIC;
	v->version = MEMLAYOUT_VIEW_VERSION;
	v->header_size = sizeof(*v);
	v->size = size;
	v->flags = 0;
	v->generation = 0;
	v->nr = 0;
	v->starts_off = 0;
	v->records_off = 0;
	v->vtl2_start = 0;
	v->vtl2_end = 0;
	memset(v->fingerprint, 0, sizeof(v->fingerprint));
	v->index_off = 0;
	v->index_shift = MEMLAYOUT_VIEW_NO_INDEX;
	v->reserved = 0;
	if (!l)
		return;
	v->flags = MEMLAYOUT_VIEW_LAYOUT;
	v->generation = l->generation;
	v->nr = l->nr;
	memcpy(v->fingerprint, l->fingerprint, sizeof(v->fingerprint));
	if (l->flags & MEMLAYOUT_HAS_VTL2) {
		v->flags |= MEMLAYOUT_VIEW_VTL2;
		v->vtl2_start = l->vtl2_start;
		v->vtl2_end = l->vtl2_end;
	}
	if (memlayout_view_bytes(l->nr) > size) {
		v->flags |= MEMLAYOUT_VIEW_TOO_LARGE;
		return;
	}
	v->starts_off = ML_VIEW_STARTS;
	v->records_off = ML_VIEW_STARTS + (u64)l->nr * sizeof(u64);
	rec = (struct memlayout_view_record *)((u8 *)v + v->records_off);
	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		starts[i] = e.start;
		rec[i].end = e.end;
		rec[i].vnode = e.vnode;
		rec[i].kind = e.kind;
		if (!((i + 1) % 4096))
			cond_resched();
	}
	v->index_off = ML_VIEW_STARTS + (u64)l->nr * (sizeof(u64) + sizeof(*rec));
	v->index_shift = memlayout_view_shift(l->nr, l->end_of_layout);
	memlayout_view_fill_index((u32 *)((u8 *)v + v->index_off), starts, l->nr,
				  v->index_shift);
}

/**
 * memlayout_view_publish() - the view's writer (SPEC V2)
 * @v: the view, zero-filled when it was created.
 * @size: its size.
 * @l: the layout it now shows, or %NULL for none.
 *
 * The counter is made odd, the view written, the counter made even, with
 * a write barrier on each side, so that a reader that reads the same even
 * value before and after (with read barriers) read one layout whole. The
 * caller serialises writers (the file's lock).
 *
 * Context: may sleep (see memlayout_view_fill()).
 */
void memlayout_view_publish(struct memlayout_view *v, size_t size,
			    const struct memlayout *l)
{
	u32 seq = v->seq;

	WRITE_ONCE(v->seq, seq + 1);
	/* The odd counter before any data: pairs with the reader's rmb. */
	smp_wmb();
	memlayout_view_fill(v, size, l);
	/* All the data before the even counter: pairs with the acquire. */
	smp_wmb();
	WRITE_ONCE(v->seq, seq + 2);
}
EXPORT_SYMBOL_GPL(memlayout_view_publish);

/**
 * memlayout_fill_info() - what GET_INFO replies
 * @info: the command; every output member is overwritten.
 * @max_ranges: the R8 limit in force.
 * @commands: bit _IOC_NR(cmd) set for each command the caller serves
 *            (memlayout_ioctl.c derives it from its dispatch table).
 *
 * Everything a caller needs to know about the interface comes from here
 * at run time, never from the header it was compiled with.
 *
 * Context: any.
 */
void memlayout_fill_info(struct memlayout_info *info, u32 max_ranges,
			 u64 commands)
{
	u32 size = info->size;

	memset(info, 0, sizeof(*info));
	info->size = size;
	info->api_version = MEMLAYOUT_API_VERSION;
	info->max_ranges = max_ranges;
	info->max_probe = MEMLAYOUT_MAX_PROBE;
	info->set_flags = MEMLAYOUT_SET_VALID_FLAGS;
	info->page_size = MEMLAYOUT_PAGE_SIZE;
	info->max_address = MEMLAYOUT_MAX_ADDRESS;
	info->nr_kinds = MEMLAYOUT_NR_KINDS;
	info->nr_lists = MEMLAYOUT_NR_LISTS;
	info->max_rule = MEMLAYOUT_MAX_RULE;
	info->sources = MEMLAYOUT_VALID_SOURCES;
	info->probe_flags = 0;
	info->get_ranges_flags = 0;
	info->commands = commands;
	info->nr_classes = MEMLAYOUT_NR_CLASSES;
}
EXPORT_SYMBOL_GPL(memlayout_fill_info);

/**
 * memlayout_check_host_args() - the interface's checks of a CHECK_HOST command
 * @c: the command as copied in; its out members are cleared
 *     (@error_device becomes %MEMLAYOUT_NO_DEVICE).
 * @max_devices: the most devices one call may name.
 *
 * In this order: flags (-EOPNOTSUPP); the device count (-E2BIG); each
 * pointer/count pair (-EINVAL). The device records are checked one by one
 * as they are resolved (memlayout_check_host_device()).
 *
 * Context: any.
 * Return: 0, -EOPNOTSUPP, -E2BIG or -EINVAL.
 */
int memlayout_check_host_args(struct memlayout_check_host *c, u32 max_devices)
{
	c->generation = 0;
	c->phys_bits = 0;
	c->error_device = MEMLAYOUT_NO_DEVICE;
	if (c->flags)
		return -EOPNOTSUPP;
	if (c->nr_devices > max_devices)
		return -E2BIG;
	if (!c->devices_ptr != !c->nr_devices ||
	    !c->conflicts_ptr != !c->count)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(memlayout_check_host_args);

/**
 * memlayout_check_host_device() - the checks of one device record
 * @d: the record as copied in; when it is accepted, its out members are
 *     cleared (they are ignored on input, as the out members of every
 *     command are, so that a record the kernel wrote back can be sent
 *     again as it is).
 *
 * The type must be known (-EOPNOTSUPP); @reserved, and @fd of a
 * %MEMLAYOUT_DEVICE_PCI record, must be 0 (-EINVAL). @flags, and the PCI
 * address of a %MEMLAYOUT_DEVICE_VFIO record, are out members.
 *
 * Context: any.
 * Return: 0, -EOPNOTSUPP or -EINVAL.
 */
int memlayout_check_host_device(struct memlayout_host_device *d)
{
	if (d->type != MEMLAYOUT_DEVICE_PCI && d->type != MEMLAYOUT_DEVICE_VFIO)
		return -EOPNOTSUPP;
	if (d->reserved || (d->type == MEMLAYOUT_DEVICE_PCI && d->fd != 0))
		return -EINVAL;
	if (d->type == MEMLAYOUT_DEVICE_VFIO) {
		d->pci_segment = 0;
		d->pci_bus = 0;
		d->pci_devfn = 0;
	}
	d->flags = 0;
	d->iommu_group = 0;
	d->domain_type = MEMLAYOUT_DOMAIN_NONE;
	d->nr_resv = 0;
	d->aperture_start = 0;
	d->aperture_last = 0;
	return 0;
}
EXPORT_SYMBOL_GPL(memlayout_check_host_device);

/**
 * memlayout_check_kvm_args() - the interface's checks of a CHECK_KVM command
 * @c: the command as copied in; its out members are cleared.
 *
 * In this order: flags (-EOPNOTSUPP); the pointer/count pair (-EINVAL).
 * The VM file is resolved afterwards, by the caller.
 *
 * Context: any.
 * Return: 0, -EOPNOTSUPP or -EINVAL.
 */
int memlayout_check_kvm_args(struct memlayout_check_kvm *c)
{
	c->generation = 0;
	c->nr_slots = 0;
	c->nr_as = 0;
	if (c->flags)
		return -EOPNOTSUPP;
	if (!c->findings_ptr != !c->count)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(memlayout_check_kvm_args);
