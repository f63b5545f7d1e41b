// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzz target for memlayout_audit.c (SPEC H4, the KVM audit).
 *
 * Each input is decoded into a C3 layout (RAM, the three hole kinds and
 * VTL2, as fuzz_host.c draws them) built by memlayout_build(), and into
 * memslots in one or more address spaces whose edges are drawn from the
 * layout's own range edges +- a few pages, so that every boundary is hit.
 * memlayout_kvm_audit() is compared with a brute-force model written here
 * from the UAPI header's "DOC: KVM audit": the layout's ranges are read
 * back list by list (memlayout_count(), memlayout_get_range(); VTL2 from
 * its list); per address space that holds a memslot, every start and end
 * of a range or a memslot there cuts the address space into elementary
 * pieces; each piece finds its range and its memslot by a linear scan and
 * is classified on its own (RAM without memslot: UNBACKED; RAM under a
 * read-only one: READONLY; mmio, pci_ecam or pci_mmio under one:
 * OVER_HOLE; no range and not VTL2 under one: OUTSIDE; anything else,
 * VTL2 included, nothing); neighbouring pieces with the same kind, range
 * and memslot are merged into one run. Malformed memslots (an array
 * counted but NULL, end <= start, not sorted by address space then start,
 * overlapping in an address space) must give -EINVAL with nothing
 * emitted. Compared: the return, the count, the address spaces, every
 * finding member by member; the count with no sink; a sink that fails at
 * call k (the failure returned, k findings counted, the first k as the
 * model's); and the memslots left untouched.
 *
 * Input format (a missing byte reads as 0):
 *
 * 1. Header byte: bit 0 VTL2 may be given; bit 1 a pattern of many ranges
 *    follows the explicit ones; bit 2 may_sleep; bit 3 a sink failure
 *    byte follows the memslots; bit 4 malformed memslots may be drawn;
 *    bit 5 a pattern of many memslots follows the explicit ones.
 * 2. A count byte (% 24) and that many ranges. A range is a byte: bits
 *    0-1 the kind (RAM, mmio, pci_ecam, pci_mmio), bit 2 VTL2 (once, if
 *    allowed; RAM after it becomes mmio, SPEC R7), bits 3-4 the gap
 *    before it (0 none, 1 n pages, 2 n MiB, 3 n GiB), bits 5-6 its length
 *    (0 n pages, 1 n MiB, 2 n GiB, 3 n pages (16 bits)); then the
 *    operands. A range that would pass MAX_ADDRESS ends the list.
 * 3. Range pattern (header bit 1): a 16-bit count (% 512), a kind byte, a
 *    gap and a length in pages (16 bits each).
 * 4. A count byte (% 24) and that many memslots. A memslot is a byte:
 *    bits 0-1 its address space (0 the current one, 1 the next, 2 two
 *    further, 3 U32_MAX - n, n a byte), bits 2-4 its start, bits 5-7 its
 *    end, then a flags byte (bit 1 read-only; bit 0 dirty logging; with
 *    header bit 4, bit 7 breaks the memslot by bits 4-6: 0 an empty one,
 *    1 reversed, 2 overlapping the previous by a byte, 3 an address space
 *    below the previous, 4 an array counted but NULL, else a start
 *    before the previous one), then the operands. Starts count from the
 *    previous memslot's end in the same address space (0 in a new one):
 *    0 there; 1 + n pages; 2 an edge of a range (index byte, bit 0 of a
 *    byte start/end, the rest a signed delta in pages), not before; 3 +
 *    n GiB; 4 + n bytes; 5 MAX_ADDRESS - n pages, not before; 6, 7 as 2.
 *    Ends count from the start: 0 n + 1 pages; 1 an edge of a range (as
 *    above), else a page; 2 n + 1 GiB; 3 n + 1 pages (16 bits); 4
 *    U64_MAX; 5 n + 1 bytes; 6 end_of_layout + n pages, else a page; 7
 *    as 1. A memslot that would wrap 64 bits ends at U64_MAX; one that
 *    cannot start ends the list.
 * 5. Memslot pattern (header bit 5): a 16-bit count (% 512), a flags
 *    byte (two bits a memslot, in turn), a gap and a length in pages (16
 *    bits each), after the last memslot in its address space.
 * 6. Sink failure (header bit 3): the call number (1-based) and a byte
 *    choosing the value it returns.
 *
 * Built with -DFZ_AUDIT_REPLAY, a main() replays files instead, each in a
 * child, and checks each input's outcome (the return, the address spaces
 * and the findings per kind) against a hand-written expectation
 * (fuzz/audit-corpus/EXPECT, written by fuzz/gen_audit_corpus.py).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bits.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/memlayout.h>

#include "fuzz_input.h"

#define FA_MAX_RANGES	24
#define FA_PATTERN_MAX	512
#define FA_MAX_SLOTS	24
#define FA_NR_LISTS	4
#define FA_RO		MEMLAYOUT_KVM_MEM_READONLY

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define u128 unsigned __int128

/**
 * struct fa_range - a layout range as the model sees it
 * @start: first byte.
 * @end: one past the last.
 * @list: ``MEMLAYOUT_LIST_*`` (VTL2 too).
 * @index: index in @list.
 */
struct fa_range {
	u64 start;
	u64 end;
	u32 list;
	u32 index;
};

/**
 * struct fa_case - one decoded input
 * @lists: the ranges of RAM, mmio, pci_ecam, pci_mmio, as given to the
 *         builder.
 * @nr: their numbers.
 * @cap: room in @lists.
 * @has_vtl2: VTL2 is given.
 * @vtl2: VTL2.
 * @may_sleep: memlayout_kvm_audit()'s last argument.
 * @stop_at: the sink fails at this call (1-based); 0: never.
 * @stop_ret: what it returns then.
 * @slots: the memslots.
 * @nr_slots: their number.
 * @cap_slots: room in @slots.
 * @null_slots: pass NULL for @slots.
 */
struct fa_case {
	struct memlayout_range *lists[FA_NR_LISTS];
	u32 nr[FA_NR_LISTS];
	u32 cap[FA_NR_LISTS];
	bool has_vtl2;
	struct memlayout_range vtl2;
	bool may_sleep;
	u32 stop_at;
	int stop_ret;
	struct memlayout_kvm_slot *slots;
	u32 nr_slots;
	u32 cap_slots;
	bool null_slots;
};

/* The model's view of the layout. */
static struct fa_range *fa_sorted;
static u32 fa_nr_sorted;
static u64 fa_end_of_layout;
static const struct fa_case *fa_cur;
/* The last input's outcome, for the replay's log. */
static int fa_last_ret;
static u32 fa_last_as;
static u32 fa_last_kinds[5];

/* ------------------------------------------------------------------ */
/* Failure reports                                                     */
/* ------------------------------------------------------------------ */

static void fa_dump(const struct fa_case *c)
{
	u32 i;

	fprintf(stderr, "layout: %u ranges", fa_nr_sorted);
	for (i = 0; i < fa_nr_sorted && i < 48; i++)
		fprintf(stderr, "%s list %u/%u [%#llx, %#llx)", i ? "," : ":",
			fa_sorted[i].list, fa_sorted[i].index,
			fa_sorted[i].start, fa_sorted[i].end);
	fprintf(stderr, "\nmemslots: %u%s", c->nr_slots,
		c->null_slots ? " (NULL)" : "");
	for (i = 0; i < c->nr_slots && i < 48; i++)
		fprintf(stderr, "%s as %u id %u [%#llx, %#llx) flags %#x",
			i ? "," : ":", c->slots[i].as_id, c->slots[i].id,
			c->slots[i].start, c->slots[i].end, c->slots[i].flags);
	fprintf(stderr, "\nmay_sleep %d, sink fails at %u with %d\n",
		c->may_sleep, c->stop_at, c->stop_ret);
}

static void fa_dump_finding(const char *who, u32 i,
			    const struct memlayout_kvm_finding *f)
{
	fprintf(stderr, "  %s %u: kind %u list %u index %u as %u [%#llx, %#llx)",
		who, i, f->kind, f->list, f->index, f->as_id, f->start, f->end);
	fprintf(stderr, " range [%#llx, %#llx) slot %#x [%#llx, %#llx) flags %#x\n",
		f->range_start, f->range_end, f->slot_id, f->slot_start,
		f->slot_end, f->slot_flags);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fa_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nmemlayout audit fuzz: MISMATCH: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (fa_cur)
		fa_dump(fa_cur);
	abort();
}

#define FA_EXPECT(cond, ...) do {					\
	if (!(cond))							\
		fa_fail(__VA_ARGS__);					\
} while (0)

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

static void fa_push(struct fa_case *c, u32 list, u64 start, u64 end)
{
	if (c->nr[list] == c->cap[list]) {
		c->cap[list] = c->cap[list] ? 2 * c->cap[list] : 16;
		c->lists[list] = realloc(c->lists[list],
					 c->cap[list] * sizeof(*c->lists[list]));
		if (!c->lists[list])
			abort();
	}
	c->lists[list][c->nr[list]++] = (struct memlayout_range){
		.start = start, .end = end,
	};
}

/*
 * Ranges in address order; @pos is where the next may start. Returns
 * false when a range would pass MAX_ADDRESS.
 */
static bool fa_range(struct fz_in *in, struct fa_case *c, u64 *pos, u8 b,
		     bool vtl2_ok, bool *ram_seen)
{
	u32 kind = b & 3;
	bool vtl2 = vtl2_ok && (b & 4) && !c->has_vtl2 && *ram_seen;
	u128 start = *pos, end;

	switch (b >> 3 & 3) {
	case 1:
		start += (u128)rd8(in) * PAGE;
		break;
	case 2:
		start += (u128)rd8(in) << 20;
		break;
	case 3:
		start += (u128)rd8(in) << 30;
		break;
	}
	switch (b >> 5 & 3) {
	case 0:
		end = start + ((u128)rd8(in) + 1) * PAGE;
		break;
	case 1:
		end = start + (((u128)rd8(in) + 1) << 20);
		break;
	case 2:
		end = start + (((u128)rd8(in) + 1) << 30);
		break;
	default:
		end = start + (rdle(in, 2) + 1) * PAGE;
		break;
	}
	if (end > MAXA)
		return false;
	if (vtl2) {
		c->has_vtl2 = true;
		c->vtl2 = (struct memlayout_range){ .start = start, .end = end };
	} else {
		/* SPEC R7: no RAM above VTL2 */
		if (kind == 0 && c->has_vtl2)
			kind = 1;
		fa_push(c, kind, start, end);
		*ram_seen |= kind == 0;
	}
	*pos = end;
	return true;
}

static void fa_decode_layout(struct fz_in *in, struct fa_case *c, u8 hdr)
{
	u32 n = rd8(in) % FA_MAX_RANGES, i, kind;
	bool ram_seen = false;
	u64 pos = 0, gap, len;

	for (i = 0; i < n; i++)
		if (!fa_range(in, c, &pos, rd8(in), hdr & 1, &ram_seen))
			break;
	if (!(hdr & 2))
		return;
	n = rdle(in, 2) % FA_PATTERN_MAX;
	kind = rd8(in);
	gap = rdle(in, 2) * PAGE;
	len = (rdle(in, 2) + 1) * PAGE;
	for (i = 0; i < n; i++) {
		u32 k = (kind >> (i % 4 * 2)) & 3;

		if ((u128)pos + gap + len > MAXA)
			break;
		if (k == 0 && c->has_vtl2)
			k = 1;
		fa_push(c, k, pos + gap, pos + gap + len);
		pos += gap + len;
	}
}

static void fa_push_slot(struct fa_case *c, const struct memlayout_kvm_slot *s)
{
	if (c->nr_slots == c->cap_slots) {
		c->cap_slots = c->cap_slots ? 2 * c->cap_slots : 16;
		c->slots = realloc(c->slots, c->cap_slots * sizeof(*c->slots));
		if (!c->slots)
			abort();
	}
	c->slots[c->nr_slots++] = *s;
}

/* An edge of a layout range +- pages, in 128 bits; @dflt with none. */
static u128 fa_edge(struct fz_in *in, u128 dflt)
{
	u8 i = rd8(in), b = rd8(in);
	u128 v;
	s64 d = (s8)b >> 1;

	if (!fa_nr_sorted)
		return dflt;
	v = (b & 1) ? fa_sorted[i % fa_nr_sorted].end :
		      fa_sorted[i % fa_nr_sorted].start;
	if (d < 0 && v < (u128)-d * PAGE)
		return 0;
	return v + (u128)((__int128)d * PAGE);
}

/* Break memslot @s (header bit 4, flags bit 7): see the header comment. */
static void fa_break(struct fa_case *c, struct memlayout_kvm_slot *s, u8 f)
{
	const struct memlayout_kvm_slot *p =
		c->nr_slots ? &c->slots[c->nr_slots - 1] : NULL;

	switch (f >> 4 & 7) {
	case 0:
		s->end = s->start;
		break;
	case 1:
		s->end = s->start ? s->start - 1 : 0;
		break;
	case 2:
		if (p) {
			s->as_id = p->as_id;
			s->start = p->end - 1;
			if (s->end <= s->start)
				s->end = s->start + 1;
		}
		break;
	case 3:
		if (p && p->as_id)
			s->as_id = p->as_id - 1;
		break;
	case 4:
		c->null_slots = true;
		break;
	default:
		if (p) {
			s->as_id = p->as_id;
			s->start = p->start ? p->start - 1 : 0;
			if (s->end <= s->start)
				s->end = s->start + 1;
		}
		break;
	}
}

/*
 * One memslot; @as and @pos are the current address space and the end
 * of its last memslot. Returns false when no memslot can start.
 */
static bool fa_slot(struct fz_in *in, struct fa_case *c, u32 *as, u64 *pos,
		    bool junk)
{
	u8 b = rd8(in), f = rd8(in);
	struct memlayout_kvm_slot s = { .id = c->nr_slots, .flags = f & 3 };
	u128 start, end, v;

	switch (b & 3) {
	case 1:
		*as += 1;
		*pos = 0;
		break;
	case 2:
		*as += 3;
		*pos = 0;
		break;
	case 3:
		v = U32_MAX - rd8(in);
		if (v > *as) {
			*as = v;
			*pos = 0;
		}
		break;
	}
	start = *pos;
	switch (b >> 2 & 7) {
	case 1:
		start += (u128)rd8(in) * PAGE;
		break;
	case 3:
		start += (u128)rd8(in) << 30;
		break;
	case 4:
		start += rd8(in);
		break;
	case 5:
		v = MAXA - (u128)rd8(in) * PAGE;
		if (v > start)
			start = v;
		break;
	case 0:
		break;
	default:
		v = fa_edge(in, start);
		if (v > start)
			start = v;
		break;
	}
	switch (b >> 5 & 7) {
	case 0:
		end = start + ((u128)rd8(in) + 1) * PAGE;
		break;
	case 2:
		end = start + (((u128)rd8(in) + 1) << 30);
		break;
	case 3:
		end = start + (rdle(in, 2) + 1) * PAGE;
		break;
	case 4:
		end = U64_MAX;
		break;
	case 5:
		end = start + rd8(in) + 1;
		break;
	case 6:
		end = fa_end_of_layout + (u128)rd8(in) * PAGE;
		if (end <= start)
			end = start + PAGE;
		break;
	default:
		end = fa_edge(in, start);
		if (end <= start)
			end = start + PAGE;
		break;
	}
	if (start >= U64_MAX)
		return false;
	if (end > U64_MAX)
		end = U64_MAX;
	s.as_id = *as;
	s.start = start;
	s.end = end;
	if (junk && (f & 0x80))
		fa_break(c, &s, f);
	fa_push_slot(c, &s);
	*pos = end;
	return true;
}

static void fa_decode_slots(struct fz_in *in, struct fa_case *c, u8 hdr)
{
	u32 n = rd8(in) % (FA_MAX_SLOTS + 1), i, as = 0, flags;
	u64 pos = 0, gap, len;

	for (i = 0; i < n; i++)
		if (!fa_slot(in, c, &as, &pos, hdr & 16))
			break;
	if (hdr & 32) {
		n = rdle(in, 2) % FA_PATTERN_MAX;
		flags = rd8(in);
		gap = rdle(in, 2) * PAGE;
		len = (rdle(in, 2) + 1) * PAGE;
		for (i = 0; i < n; i++) {
			struct memlayout_kvm_slot s = {
				.as_id = as, .id = c->nr_slots,
				.flags = (flags >> (i % 4 * 2)) & 3,
			};

			if ((u128)pos + gap + len > U64_MAX)
				break;
			s.start = pos + gap;
			s.end = s.start + len;
			fa_push_slot(c, &s);
			pos = s.end;
		}
	}
	if (hdr & 8) {
		static const int rets[4] = { -EFAULT, 1, -EINTR, INT_MIN };

		c->stop_at = rd8(in);
		c->stop_ret = rets[rd8(in) & 3];
	}
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

static int fa_cmp_start(const void *a, const void *b)
{
	const struct fa_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int fa_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Read the layout back through the query API, sorted by start. */
static void fa_read_back(const struct memlayout *l)
{
	struct memlayout_range r;
	u32 list, i, n;

	fa_nr_sorted = 0;
	fa_end_of_layout = 0;
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++) {
		n = memlayout_count(l, list);
		if (list == MEMLAYOUT_LIST_VTL2)
			n = !memlayout_get_range(l, list, 0, &r);
		for (i = 0; i < n; i++) {
			FA_EXPECT(!memlayout_get_range(l, list, i, &r),
				  "get_range(%u, %u)", list, i);
			fa_sorted[fa_nr_sorted++] = (struct fa_range){
				.start = r.start, .end = r.end,
				.list = list, .index = i,
			};
			if (list != MEMLAYOUT_LIST_VTL2)
				fa_end_of_layout = max(fa_end_of_layout, r.end);
		}
	}
	qsort(fa_sorted, fa_nr_sorted, sizeof(*fa_sorted), fa_cmp_start);
}

/* Whether the memslots are ones the audit accepts; their address spaces. */
static bool fa_model_valid(const struct fa_case *c, u32 *nr_as)
{
	u32 i, j;

	*nr_as = 0;
	if (c->nr_slots && c->null_slots)
		return false;
	for (i = 0; i < c->nr_slots; i++) {
		const struct memlayout_kvm_slot *s = &c->slots[i];
		bool seen = false;

		if (s->end <= s->start)
			return false;
		for (j = 0; j < i; j++) {
			const struct memlayout_kvm_slot *p = &c->slots[j];

			if (p->as_id > s->as_id)
				return false;
			if (p->as_id != s->as_id)
				continue;
			seen = true;
			if (p->start >= s->start || p->end > s->start)
				return false;
		}
		*nr_as += !seen;
	}
	return true;
}

/**
 * struct fa_out - findings collected by a sink or the model
 * @f: the findings.
 * @n: how many.
 * @cap: room in @f.
 * @stop_at: fail at this call (1-based), 0: never.
 * @stop_ret: the failure.
 */
struct fa_out {
	struct memlayout_kvm_finding *f;
	u32 n;
	u32 cap;
	u32 stop_at;
	int stop_ret;
};

static void fa_add(struct fa_out *o, const struct memlayout_kvm_finding *f)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->f = realloc(o->f, o->cap * sizeof(*o->f));
		if (!o->f)
			abort();
	}
	o->f[o->n++] = *f;
}

static int fa_sink(void *ctx, const struct memlayout_kvm_finding *f)
{
	struct fa_out *o = ctx;

	fa_add(o, f);
	return o->n == o->stop_at ? o->stop_ret : 0;
}

/*
 * Classify the piece [a, b) of address space @as: its range and memslot
 * found by scanning all of them. Returns whether it is a finding (in @f).
 */
static bool fa_model_piece(const struct fa_case *c, u32 as, u64 a, u64 b,
			   struct memlayout_kvm_finding *f)
{
	const struct fa_range *r = NULL;
	const struct memlayout_kvm_slot *s = NULL;
	u32 i;

	for (i = 0; i < fa_nr_sorted; i++)
		if (fa_sorted[i].start <= a && b <= fa_sorted[i].end)
			r = &fa_sorted[i];
	for (i = 0; i < c->nr_slots; i++)
		if (c->slots[i].as_id == as && c->slots[i].start <= a &&
		    b <= c->slots[i].end)
			s = &c->slots[i];
	*f = (struct memlayout_kvm_finding){
		.as_id = as, .start = a, .end = b,
		.slot_id = MEMLAYOUT_KVM_NO_SLOT,
	};
	if (!r && !s)
		return false;
	if (!r) {
		f->kind = MEMLAYOUT_KVM_OUTSIDE;
	} else if (r->list == MEMLAYOUT_LIST_VTL2) {
		return false;
	} else if (r->list == MEMLAYOUT_LIST_RAM) {
		if (s && !(s->flags & FA_RO))
			return false;
		f->kind = s ? MEMLAYOUT_KVM_READONLY : MEMLAYOUT_KVM_UNBACKED;
	} else {
		if (!s)
			return false;
		f->kind = MEMLAYOUT_KVM_OVER_HOLE;
	}
	if (r) {
		f->list = r->list;
		f->index = r->index;
		f->range_start = r->start;
		f->range_end = r->end;
	}
	if (s) {
		f->slot_id = s->id;
		f->slot_start = s->start;
		f->slot_end = s->end;
		f->slot_flags = s->flags;
	}
	return true;
}

/* Whether @f continues @p: same kind, range and memslot, adjacent. */
static bool fa_same_run(const struct memlayout_kvm_finding *p,
			const struct memlayout_kvm_finding *f)
{
	return p->end == f->start && p->kind == f->kind && p->list == f->list &&
	       p->index == f->index && p->as_id == f->as_id &&
	       p->range_start == f->range_start && p->slot_id == f->slot_id &&
	       p->slot_start == f->slot_start && p->slot_end == f->slot_end;
}

/* Every finding of address space @as, merged into runs. */
static void fa_model_as(const struct fa_case *c, u32 as, struct fa_out *o)
{
	u64 *cuts = malloc((2 * (fa_nr_sorted + c->nr_slots) + 1) * sizeof(u64));
	struct memlayout_kvm_finding f;
	u32 n = 0, i, first = o->n;

	if (!cuts)
		abort();
	for (i = 0; i < fa_nr_sorted; i++) {
		cuts[n++] = fa_sorted[i].start;
		cuts[n++] = fa_sorted[i].end;
	}
	for (i = 0; i < c->nr_slots; i++) {
		if (c->slots[i].as_id != as)
			continue;
		cuts[n++] = c->slots[i].start;
		cuts[n++] = c->slots[i].end;
	}
	qsort(cuts, n, sizeof(*cuts), fa_cmp_u64);
	for (i = 0; i + 1 < n; i++) {
		if (cuts[i] == cuts[i + 1] ||
		    !fa_model_piece(c, as, cuts[i], cuts[i + 1], &f))
			continue;
		if (o->n > first && fa_same_run(&o->f[o->n - 1], &f))
			o->f[o->n - 1].end = f.end;
		else
			fa_add(o, &f);
	}
	free(cuts);
}

/* Every finding, address space by address space, ascending. */
static void fa_model(const struct fa_case *c, struct fa_out *o)
{
	u32 i, as, next;
	bool any = c->nr_slots > 0;

	as = 0;
	for (i = 0; i < c->nr_slots; i++)
		as = i ? min(as, c->slots[i].as_id) : c->slots[i].as_id;
	while (any) {
		fa_model_as(c, as, o);
		/* the next address space up that holds a memslot */
		any = false;
		next = U32_MAX;
		for (i = 0; i < c->nr_slots; i++) {
			if (c->slots[i].as_id > as && c->slots[i].as_id <= next) {
				next = c->slots[i].as_id;
				any = true;
			}
		}
		as = next;
	}
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

static void fa_compare(const struct fa_out *got, const struct fa_out *want,
		       u32 n, const char *what)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (!memcmp(&got->f[i], &want->f[i], sizeof(got->f[i])))
			continue;
		fa_dump_finding("got ", i, &got->f[i]);
		fa_dump_finding("want", i, &want->f[i]);
		fa_fail("%s: finding %u differs", what, i);
	}
}

static void fa_run(struct fa_case *c, const struct memlayout *l)
{
	const struct memlayout_kvm_slot *slots = c->null_slots ? NULL : c->slots;
	struct fa_out want = { 0 }, got = { 0 };
	struct memlayout_kvm_slot *copy;
	u32 count, nr_as, want_as, n;
	bool valid;
	int ret;

	copy = malloc((c->nr_slots + 1) * sizeof(*copy));
	if (!copy)
		abort();
	if (c->nr_slots)
		memcpy(copy, c->slots, c->nr_slots * sizeof(*copy));

	valid = fa_model_valid(c, &want_as);
	if (valid)
		fa_model(c, &want);
	else
		want_as = 0;

	/* Every finding through a sink. */
	count = 0xa5a5a5a5;
	nr_as = 0xa5a5a5a5;
	ret = memlayout_kvm_audit(l, slots, c->nr_slots, fa_sink, &got, &count,
				  &nr_as, c->may_sleep);
	FA_EXPECT(ret == (valid ? 0 : -EINVAL), "returned %d, valid %d", ret, valid);
	FA_EXPECT(got.n == want.n, "%u findings emitted, model %u", got.n, want.n);
	FA_EXPECT(count == want.n, "count %u, model %u", count, want.n);
	FA_EXPECT(nr_as == want_as, "nr_as %u, model %u", nr_as, want_as);
	fa_compare(&got, &want, want.n, "sink");

	fa_last_ret = ret;
	fa_last_as = nr_as;
	memset(fa_last_kinds, 0, sizeof(fa_last_kinds));
	for (n = 0; n < got.n; n++)
		fa_last_kinds[got.f[n].kind % 5]++;

	/* Count only. */
	count = 0xa5a5a5a5;
	nr_as = 0xa5a5a5a5;
	ret = memlayout_kvm_audit(l, slots, c->nr_slots, NULL, NULL, &count,
				  &nr_as, !c->may_sleep);
	FA_EXPECT(ret == (valid ? 0 : -EINVAL), "count only: returned %d", ret);
	FA_EXPECT(count == want.n, "count only: %u, model %u", count, want.n);
	FA_EXPECT(nr_as == want_as, "count only: nr_as %u, model %u", nr_as,
		  want_as);

	/* A sink that fails at call stop_at. */
	if (c->stop_at) {
		got.n = 0;
		got.stop_at = c->stop_at;
		got.stop_ret = c->stop_ret;
		count = 0xa5a5a5a5;
		nr_as = 0xa5a5a5a5;
		ret = memlayout_kvm_audit(l, slots, c->nr_slots, fa_sink, &got,
					  &count, &nr_as, c->may_sleep);
		n = min(want.n, c->stop_at);
		FA_EXPECT(ret == (!valid ? -EINVAL : want.n >= c->stop_at ?
				  c->stop_ret : 0),
			  "failing sink: returned %d", ret);
		FA_EXPECT(got.n == n && count == n,
			  "failing sink: %u emitted, count %u, want %u",
			  got.n, count, n);
		FA_EXPECT(nr_as == want_as, "failing sink: nr_as %u, model %u",
			  nr_as, want_as);
		fa_compare(&got, &want, n, "failing sink");
	}

	/* The memslots are the caller's: untouched. */
	FA_EXPECT(!c->nr_slots ||
		  !memcmp(copy, c->slots, c->nr_slots * sizeof(*copy)),
		  "the memslots changed");
	free(copy);
	free(want.f);
	free(got.f);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz_in in = { .p = data, .n = size };
	struct memlayout_request req = { .source = MEMLAYOUT_FROM_RANGES };
	struct memlayout_error err;
	struct memlayout *l;
	struct fa_case *c;
	u8 hdr = rd8(&in);

	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	fa_decode_layout(&in, c, hdr);
	req.ram = c->lists[0];
	req.nr_ram = c->nr[0];
	req.mmio = c->lists[1];
	req.nr_mmio = c->nr[1];
	req.pci_ecam = c->lists[2];
	req.nr_pci_ecam = c->nr[2];
	req.pci_mmio = c->lists[3];
	req.nr_pci_mmio = c->nr[3];
	if (c->has_vtl2)
		req.vtl2 = &c->vtl2;
	l = memlayout_build(&req, GFP_KERNEL, &err);
	if (IS_ERR(l)) {
		/* Only R5 (no RAM) is expected of this decoder. */
		FA_EXPECT(err.rule == MEMLAYOUT_RULE_NO_RAM,
			  "the decoder's layout was rejected: %ld rule %u list %u index %u",
			  PTR_ERR(l), err.rule, err.list, err.index);
		goto out;
	}
	fa_sorted = malloc((l->nr + 1) * sizeof(*fa_sorted));
	if (!fa_sorted)
		abort();
	fa_read_back(l);
	FA_EXPECT(fa_nr_sorted == l->nr + !!c->has_vtl2, "read back %u ranges",
		  fa_nr_sorted);
	fa_decode_slots(&in, c, hdr);
	c->may_sleep = hdr & 4;
	fa_cur = c;
	fa_run(c, l);
	fa_cur = NULL;
	memlayout_free(l);
	free(fa_sorted);
	fa_sorted = NULL;
out:
	for (hdr = 0; hdr < FA_NR_LISTS; hdr++)
		free(c->lists[hdr]);
	free(c->slots);
	free(c);
	return 0;
}

#ifdef FZ_AUDIT_REPLAY
/* ------------------------------------------------------------------ */
/* Replay                                                              */
/* ------------------------------------------------------------------ */
#include "fz_replay.h"

static const char *fa_expect_file;

/*
 * The expectation of input @name in fa_expect_file: its line
 * "NAME: OUTCOME", hand-written in fuzz/gen_audit_corpus.py; 0 if @got is
 * the outcome.
 */
static int fa_check_expect(const char *name, const char *got)
{
	char line[512];
	size_t n = strlen(name);
	FILE *f = fopen(fa_expect_file, "r");
	int ret = -1;

	if (!f) {
		perror(fa_expect_file);
		return 1;
	}
	while (ret < 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, name, n) && line[n] == ':' && line[n + 1] == ' ')
			ret = strcmp(line + n + 2, got) ? 1 : 0;
	}
	fclose(f);
	if (ret)
		fprintf(stderr, "FAIL %s: got \"%s\", %s\n", name, got,
			ret < 0 ? "no expectation" : "expected otherwise");
	return ret ? 1 : 0;
}

static int fa_replay_one(const char *path)
{
	const char *base = strrchr(path, '/');
	static u8 buf[1 << 20];
	char outcome[128];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fa_last_ret = 1;
	LLVMFuzzerTestOneInput(buf, n);
	if (fa_last_ret == 1)
		snprintf(outcome, sizeof(outcome), "no layout");
	else
		snprintf(outcome, sizeof(outcome),
			 "%d, as %u, unbacked %u, readonly %u, over_hole %u, outside %u",
			 fa_last_ret, fa_last_as,
			 fa_last_kinds[MEMLAYOUT_KVM_UNBACKED],
			 fa_last_kinds[MEMLAYOUT_KVM_READONLY],
			 fa_last_kinds[MEMLAYOUT_KVM_OVER_HOLE],
			 fa_last_kinds[MEMLAYOUT_KVM_OUTSIDE]);
	base = base ? base + 1 : path;
	printf("%s: %s\n", base, outcome);
	return fa_expect_file ? fa_check_expect(base, outcome) : 0;
}

/*
 * replay [-e EXPECT] FILE...: each file in a child, its outcome checked
 * against EXPECT; prints "replay: N files, P passed, F failed".
 */
int main(int argc, char **argv)
{
	return fz_replay_main(argc, argv, &fa_expect_file, fa_replay_one);
}
#endif /* FZ_AUDIT_REPLAY */
