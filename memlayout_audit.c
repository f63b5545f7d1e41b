// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: the KVM audit (SPEC H4), the pure half.
 *
 * memlayout_kvm_audit() compares a built layout with a VM's memslots,
 * given as plain data: reading them out of KVM is the ioctl layer's
 * business, so that KUnit, the fuzzer and libmemlayout's offline engine
 * drive the same code with synthetic memslots. Like the rest of the core:
 * no uaccess, no locking.
 *
 * The layout's ranges (and VTL2) are sorted and disjoint, and so are the
 * memslots of one address space; one sweep in address order over both
 * cuts the address space into pieces over which the layout range (or the
 * gap between two) and the memslot (or the gap between two) stay the
 * same. Each piece is classified on its own: since a piece ends exactly
 * where its range or its memslot ends or the next one starts, the
 * findings it gives are the maximal runs "DOC: KVM audit" asks for, in
 * address order, without merging. O(ranges + memslots) per address space.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sched.h>

#include <linux/memlayout.h>

/**
 * struct ml_audit - one memlayout_kvm_audit() call
 * @l: the layout.
 * @emit: the caller's sink, or %NULL to count only.
 * @ctx: its argument.
 * @count: findings so far.
 * @steps: pieces walked, for cond_resched().
 * @vtl2_at: the position of VTL2 among the items (see ml_audit_item()),
 *           or U32_MAX when the layout has none.
 * @nr_items: the ranges, and VTL2 if any.
 * @may_sleep: whether cond_resched() may be called.
 */
struct ml_audit {
	const struct memlayout *l;
	memlayout_kvm_emit_t emit;
	void *ctx;
	u64 count;
	u32 steps;
	u32 vtl2_at;
	u32 nr_items;
	bool may_sleep;
};

/**
 * struct ml_audit_item - one range of the layout, or VTL2
 * @start: first byte.
 * @end: one past the last.
 * @list: its list (%MEMLAYOUT_LIST_VTL2 for VTL2).
 * @index: its index in that list.
 */
struct ml_audit_item {
	u64 start;
	u64 end;
	u32 list;
	u32 index;
};

/* One more piece walked: a long walk yields the CPU now and then. */
static void ml_audit_step(struct ml_audit *a)
{
	if (a->may_sleep && !(++a->steps % 1024))
		cond_resched();
}

/**
 * ml_audit_item() - item @k of the layout in address order
 * @a: the call.
 * @k: below @a->nr_items.
 * @it: receives the item.
 *
 * The items are the layout's ranges with VTL2 inserted at its place by
 * address: VTL2 is disjoint from every range (R4), so that place is the
 * number of ranges below it.
 */
static void ml_audit_item(const struct ml_audit *a, u32 k,
			  struct ml_audit_item *it)
{
	const struct memlayout *l = a->l;
	struct memlayout_entry e;

	if (k == a->vtl2_at) {
		it->start = l->vtl2_start;
		it->end = l->vtl2_end;
		it->list = MEMLAYOUT_LIST_VTL2;
		it->index = 0;
		return;
	}
	if (k > a->vtl2_at)
		k--;
	memlayout_entry(l, k, &e);
	it->start = e.start;
	it->end = e.end;
	it->list = e.kind;
	it->index = memlayout_entry_index(l, k);
}

/**
 * ml_audit_piece() - classify one piece and report its finding, if any
 * @a: the call.
 * @as_id: the address space.
 * @start: the piece's first byte.
 * @end: one past its last.
 * @it: the item over the whole piece, or %NULL for a gap in the layout.
 * @s: the memslot over the whole piece, or %NULL for none.
 *
 * RAM: no memslot is %MEMLAYOUT_KVM_UNBACKED, a read-only one
 * %MEMLAYOUT_KVM_READONLY, any other fine. A hole under a memslot is
 * %MEMLAYOUT_KVM_OVER_HOLE; a gap under one %MEMLAYOUT_KVM_OUTSIDE. VTL2
 * is inside the layout but not RAM: never a finding.
 *
 * Return: 0, or what the caller's sink returned.
 */
static int ml_audit_piece(struct ml_audit *a, u32 as_id, u64 start, u64 end,
			  const struct ml_audit_item *it,
			  const struct memlayout_kvm_slot *s)
{
	struct memlayout_kvm_finding f = {
		.as_id = as_id,
		.start = start,
		.end = end,
		.slot_id = MEMLAYOUT_KVM_NO_SLOT,
	};

	if (!it) {
		if (!s)
			return 0;
		f.kind = MEMLAYOUT_KVM_OUTSIDE;
		f.list = MEMLAYOUT_LIST_NONE;
	} else {
		switch (it->list) {
		case MEMLAYOUT_LIST_RAM:
			if (!s)
				f.kind = MEMLAYOUT_KVM_UNBACKED;
			else if (s->flags & MEMLAYOUT_KVM_MEM_READONLY)
				f.kind = MEMLAYOUT_KVM_READONLY;
			else
				return 0;
			break;
		case MEMLAYOUT_LIST_MMIO:
		case MEMLAYOUT_LIST_PCI_ECAM:
		case MEMLAYOUT_LIST_PCI_MMIO:
			if (!s)
				return 0;
			f.kind = MEMLAYOUT_KVM_OVER_HOLE;
			break;
		default:	/* VTL2 */
			return 0;
		}
		f.list = it->list;
		f.index = it->index;
		f.range_start = it->start;
		f.range_end = it->end;
	}
	if (s) {
		f.slot_start = s->start;
		f.slot_end = s->end;
		f.slot_id = s->id;
		f.slot_flags = s->flags;
	}
	a->count++;
	return a->emit ? a->emit(a->ctx, &f) : 0;
}

/**
 * ml_audit_as() - audit one address space
 * @a: the call.
 * @slots: its memslots, sorted by start and disjoint.
 * @nr: their number, at least one.
 *
 * The sweep keeps the first item and the first memslot that end above
 * @pos. Each turn either jumps @pos to the next start (when neither
 * covers it) or classifies the piece up to the nearest boundary and
 * moves there. Either way @pos reaches the start of an item or a memslot
 * or the end of one: at most two turns for each.
 *
 * Return: as ml_audit_piece().
 */
static int ml_audit_as(struct ml_audit *a,
		       const struct memlayout_kvm_slot *slots, u32 nr)
{
	const struct memlayout_kvm_slot *s;
	struct ml_audit_item it;
	u32 as_id = slots[0].as_id, k = 0, j = 0;
	bool in_it, in_s, have_it = false;
	u64 pos = 0, end;
	int ret;

	while (k < a->nr_items || j < nr) {
		ml_audit_step(a);
		if (k < a->nr_items && !have_it) {
			ml_audit_item(a, k, &it);
			have_it = true;
		}
		s = j < nr ? &slots[j] : NULL;
		in_it = have_it && it.start <= pos;
		in_s = s && s->start <= pos;
		if (!in_it && !in_s) {
			/* Nothing here: on to whichever starts first. */
			pos = min(have_it ? it.start : U64_MAX,
				  s ? s->start : U64_MAX);
			continue;
		}
		end = U64_MAX;
		if (have_it)
			end = min(end, in_it ? it.end : it.start);
		if (s)
			end = min(end, in_s ? s->end : s->start);
		ret = ml_audit_piece(a, as_id, pos, end, in_it ? &it : NULL,
				     in_s ? s : NULL);
		if (ret)
			return ret;
		pos = end;
		if (in_it && it.end == end) {
			k++;
			have_it = false;
		}
		if (in_s && s->end == end)
			j++;
	}
	return 0;
}

/*
 * Whether @slots are sorted by (as_id, start), non-empty and disjoint
 * within each address space; counts the address spaces into @nr_as.
 */
static bool ml_audit_slots_valid(const struct memlayout_kvm_slot *slots,
				 u32 nr, u32 *nr_as)
{
	u32 i;

	*nr_as = 0;
	if (nr && !slots)
		return false;
	for (i = 0; i < nr; i++) {
		const struct memlayout_kvm_slot *s = &slots[i], *p = s - 1;

		if (s->end <= s->start)
			return false;
		if (i && s->as_id == p->as_id) {
			if (s->start < p->end)
				return false;
			continue;
		}
		if (i && s->as_id < p->as_id)
			return false;
		(*nr_as)++;
	}
	return true;
}

/**
 * memlayout_kvm_audit() - check a layout against a VM's memslots (SPEC H4)
 * @l: a built layout.
 * @slots: the memslots of every address space, sorted by (@as_id, @start)
 *         and disjoint within an address space; %NULL when @nr is 0.
 * @nr: their number.
 * @emit: receives each finding in turn, in the order "DOC: KVM audit"
 *        documents (address space by address space, ascending, each in
 *        address order); %NULL to count only.
 * @ctx: passed to @emit.
 * @count: receives the number of findings (those emitted, when @emit
 *         stops the check early).
 * @nr_as: receives the number of address spaces that hold a memslot,
 *         whether or not @emit stops the check (0 for malformed
 *         memslots); the others are skipped.
 * @may_sleep: whether cond_resched() may be called on long walks.
 *
 * In each address space: %MEMLAYOUT_KVM_UNBACKED for RAM no memslot
 * covers, %MEMLAYOUT_KVM_READONLY for RAM under a memslot with
 * %MEMLAYOUT_KVM_MEM_READONLY, %MEMLAYOUT_KVM_OVER_HOLE for a memslot's
 * bytes over a mmio, pci_ecam or pci_mmio range, and
 * %MEMLAYOUT_KVM_OUTSIDE for a memslot's bytes in no range and not in
 * VTL2. VTL2 is inside the layout and not RAM: it gives no finding, under
 * a memslot or not. Each finding is one maximal run with the same kind,
 * layout range and memslot: it never spans two ranges or two memslots.
 *
 * Context: any; sleeps only if @may_sleep.
 * Return: 0; -EINVAL if @slots are malformed (unsorted, overlapping in an
 * address space, or one with @end <= @start: nothing emitted);
 * -EOVERFLOW if there are more than U32_MAX findings; or @emit's non-zero
 * return.
 */
int memlayout_kvm_audit(const struct memlayout *l,
			const struct memlayout_kvm_slot *slots, u32 nr,
			memlayout_kvm_emit_t emit, void *ctx, u32 *count,
			u32 *nr_as, bool may_sleep)
{
	struct ml_audit a = {
		.l = l,
		.emit = emit,
		.ctx = ctx,
		.vtl2_at = U32_MAX,
		.nr_items = l->nr,
		.may_sleep = may_sleep,
	};
	u32 i, j;
	int ret = 0;

	*count = 0;
	if (!ml_audit_slots_valid(slots, nr, nr_as)) {
		*nr_as = 0;
		return -EINVAL;
	}
	if (l->flags & MEMLAYOUT_HAS_VTL2) {
		a.vtl2_at = memlayout_lower_bound(l, l->vtl2_start);
		a.nr_items++;
	}
	for (i = 0; !ret && i < nr; i = j) {
		for (j = i + 1; j < nr && slots[j].as_id == slots[i].as_id; j++)
			ml_audit_step(&a);
		ret = ml_audit_as(&a, &slots[i], j - i);
	}
	if (!ret && a.count > U32_MAX)
		ret = -EOVERFLOW;
	*count = min_t(u64, a.count, U32_MAX);
	return ret;
}
EXPORT_SYMBOL_GPL(memlayout_kvm_audit);
