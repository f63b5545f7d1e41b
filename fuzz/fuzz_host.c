// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzz target for memlayout_host.c (SPEC H1-H3, host fit).
 *
 * Each input is decoded into a C3 layout (RAM, the three hole kinds and
 * VTL2, with ranges ending near the edges that matter to a host: 2^39,
 * 2^40, the MSI window, 16 MiB, MAX_ADDRESS) built by memlayout_build(),
 * and into host facts: a CPU width, devices with any flags, apertures and
 * reserved regions whose edges are drawn from the layout's own range
 * edges +- a few bytes, so that every boundary is hit. memlayout_host_fit()
 * is compared with a brute-force model written here from the UAPI
 * header's "DOC: Host fit": the layout's ranges are read back list by list
 * (memlayout_count(), memlayout_get_range(); VTL2 from its list), sorted by
 * start, and each rule tests each range directly in 128-bit arithmetic:
 *
 * * H1: end > 2^phys_bits, every range and VTL2;
 * * H2 (a device with MEMLAYOUT_DEVICE_IOMMU and _APERTURE): a RAM or VTL2
 *   range with start < aperture_start or end > aperture_last + 1;
 * * H3 (a device with MEMLAYOUT_DEVICE_IOMMU), region by region in the
 *   given order: a RAM or VTL2 range with start <= last and end > start;
 *
 * in the documented order: H1, then per device H2 then H3. Malformed facts
 * (phys_bits outside 1-64, more than 64 devices, an array counted but
 * NULL, unknown device or region flags, a region type outside DIRECT to
 * SW_MSI, a reversed aperture (with the flag) or region) must give -EINVAL
 * with nothing emitted. Compared: the return, the count, every conflict
 * member by member; the count with no sink; a sink that fails at call k
 * (the failure returned, k conflicts counted, the first k as the model's);
 * and the facts left untouched.
 *
 * Input format (a missing byte reads as 0):
 *
 * 1. Header byte: bit 0 VTL2 may be given; bit 1 a pattern of many ranges
 *    follows the explicit ones; bit 2 may_sleep; bit 3 a sink failure
 *    byte follows the facts; bit 4 malformed facts may be drawn.
 * 2. A count byte (% 24) and that many ranges. A range is a byte: bits
 *    0-1 the kind (RAM, mmio, pci_ecam, pci_mmio), bit 2 VTL2 (once, if
 *    allowed; RAM after it becomes mmio, SPEC R7), bits 3-4 the gap
 *    before it (0 none, 1 n pages, 2 up to an anchor, 3 n GiB), bits 5-6
 *    its length (0 n pages, 1 up to an anchor, 2 n GiB, 3 n pages (16
 *    bits)); then the operands. A range that would pass MAX_ADDRESS ends
 *    the list.
 * 3. Pattern (header bit 1): a 16-bit count (% 2500), a kind byte, a gap
 *    and a length in pages (16 bits each).
 * 4. Facts: a phys_bits byte (below 0xc0: a table of widths, else
 *    (n - 0xc0) % 70); a device count byte (% 9; with bit 4, 0xfe: 64,
 *    0xff: 65; 0xfd: a count with no array); per device a flags byte
 *    (bits 0-2; with bit 4, bit 7 adds flag bit (n >> 3 & 3) + 3), the
 *    aperture start and last (host addresses), a region count byte (% 7;
 *    with bit 4, 0xff: one region with no array), per region a type byte
 *    (1 + n % 4; with bit 4 and n >= 0xf0: n & 7), start, last (host
 *    addresses) and a flags byte (bit 0 relaxable; with bit 4, bit 7
 *    keeps every bit).
 * 5. Sink failure (header bit 3): the call number (1-based) and a byte
 *    choosing the value it returns.
 *
 * A host address is a tag byte and its operand: 0 an edge of a layout
 * range (index byte, then bit 0 of a byte start/end, the rest a signed
 * delta in bytes); 1 an anchor (index byte) + a signed delta in pages;
 * 2 raw 64 bits; 3 base + n bytes; 4 base + n pages - 1; 5 base + n GiB
 * - 1; 6 U64_MAX - n; 7 0; 8 base; 9 base - 1; else an edge as tag 0.
 * "base" is the start for a last, 0 for a start.
 *
 * Built with -DFZ_HOST_REPLAY, a main() replays files instead, each in a
 * child, and checks each input's outcome (the return and the conflicts
 * per rule) against a hand-written expectation (fuzz/host-corpus/EXPECT,
 * written by fuzz/gen_host_corpus.py).
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

#define FH_MAX_RANGES	24
#define FH_PATTERN_MAX	2500
#define FH_MAX_DEVS	8
#define FH_MAX_RESV	6
#define FH_NR_LISTS	4

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define u128 unsigned __int128

static const u64 fh_anchors[16] = {
	0, 1ULL << 20, 16ULL << 20, 0xfee00000ULL, 0xfef00000ULL, G4,
	1ULL << 39, 1ULL << 40, 1ULL << 46, 1ULL << 48, 1ULL << 52,
	1ULL << 57, 1ULL << 63, MAXA, 3ULL << 30, 640ULL << 10,
};

static const u32 fh_widths[16] = {
	39, 40, 36, 42, 44, 45, 46, 48, 52, 57, 64, 63, 1, 12, 32, 41,
};

/**
 * struct fh_range - a layout range as the model sees it
 * @start: first byte.
 * @end: one past the last.
 * @list: ``MEMLAYOUT_LIST_*`` (VTL2 too).
 * @index: index in @list.
 */
struct fh_range {
	u64 start;
	u64 end;
	u32 list;
	u32 index;
};

/**
 * struct fh_case - one decoded input
 * @lists: the ranges of RAM, mmio, pci_ecam, pci_mmio, as given to the
 *         builder.
 * @nr: their numbers.
 * @cap: room in @lists.
 * @has_vtl2: VTL2 is given.
 * @vtl2: VTL2.
 * @may_sleep: memlayout_host_fit()'s last argument.
 * @stop_at: the sink fails at this call (1-based); 0: never.
 * @stop_ret: what it returns then.
 * @facts: the host.
 * @devs: its devices (@facts.devices, unless NULL is tested).
 * @regs: the regions of each device.
 */
struct fh_case {
	struct memlayout_range *lists[FH_NR_LISTS];
	u32 nr[FH_NR_LISTS];
	u32 cap[FH_NR_LISTS];
	bool has_vtl2;
	struct memlayout_range vtl2;
	bool may_sleep;
	u32 stop_at;
	int stop_ret;
	struct memlayout_host_facts facts;
	struct memlayout_host_dev devs[MEMLAYOUT_MAX_HOST_DEVICES + 1];
	struct memlayout_host_region regs[MEMLAYOUT_MAX_HOST_DEVICES + 1][FH_MAX_RESV];
};

/* The model's view of the layout, for host addresses and the checks. */
static struct fh_range *fh_sorted;
static u32 fh_nr_sorted;
static const struct fh_case *fh_cur;
/* The last input's outcome, for the replay's log: return, per rule. */
static int fh_last_ret;
static u32 fh_last_rules[4];

/* ------------------------------------------------------------------ */
/* Failure reports                                                     */
/* ------------------------------------------------------------------ */

static void fh_dump(const struct fh_case *c)
{
	const struct memlayout_host_facts *h = &c->facts;
	u32 i, j;

	fprintf(stderr, "layout: %u ranges", fh_nr_sorted);
	for (i = 0; i < fh_nr_sorted && i < 48; i++)
		fprintf(stderr, "%s list %u/%u [%#llx, %#llx)", i ? "," : ":",
			fh_sorted[i].list, fh_sorted[i].index,
			fh_sorted[i].start, fh_sorted[i].end);
	fprintf(stderr, "\nhost: phys_bits %u, %u devices%s\n", h->phys_bits,
		h->nr_devices, h->devices ? "" : " (NULL)");
	for (i = 0; h->devices && i < h->nr_devices && i < FH_MAX_DEVS + 1; i++) {
		const struct memlayout_host_dev *d = &h->devices[i];

		fprintf(stderr, "  dev %u: flags %#x aperture [%#llx, %#llx] %u regions%s\n",
			i, d->flags, d->aperture_start, d->aperture_last,
			d->nr_resv, d->resv ? "" : " (NULL)");
		for (j = 0; d->resv && j < d->nr_resv; j++)
			fprintf(stderr, "    type %u [%#llx, %#llx] flags %#x\n",
				d->resv[j].type, d->resv[j].start,
				d->resv[j].last, d->resv[j].flags);
	}
	fprintf(stderr, "may_sleep %d, sink fails at %u with %d\n",
		c->may_sleep, c->stop_at, c->stop_ret);
}

static void fh_dump_conflict(const char *who, u32 i,
			     const struct memlayout_host_conflict *c)
{
	fprintf(stderr, "  %s %u: rule %u list %u index %u device %#x [%#llx, %#llx)",
		who, i, c->rule, c->list, c->index, c->device, c->start, c->end);
	fprintf(stderr, " host [%#llx, %#llx] type %u flags %#x bits %u res %u\n",
		c->host_start, c->host_last, c->host_type, c->host_flags,
		c->phys_bits, c->reserved);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fh_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nmemlayout host fuzz: MISMATCH: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (fh_cur)
		fh_dump(fh_cur);
	abort();
}

#define FH_EXPECT(cond, ...) do {					\
	if (!(cond))							\
		fh_fail(__VA_ARGS__);					\
} while (0)

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

static void fh_push(struct fh_case *c, u32 list, u64 start, u64 end)
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

/* Round @a up to a page, in 128 bits. */
static u128 fh_page_up(u128 a)
{
	return (a + PAGE - 1) & ~(u128)(PAGE - 1);
}

/* An anchor + a signed number of pages, page aligned. */
static u128 fh_anchor(struct fz_in *in)
{
	u128 a = fh_anchors[rd8(in) & 15];
	s64 d = (s8)rd8(in);

	if (d < 0 && a < (u128)-d * PAGE)
		return 0;
	return a + (u128)((__int128)d * PAGE);
}

/*
 * Ranges in address order; @pos is where the next may start. Returns
 * false when a range would pass MAX_ADDRESS.
 */
static bool fh_range(struct fz_in *in, struct fh_case *c, u64 *pos, u8 b,
		     bool vtl2_ok, bool *ram_seen)
{
	u32 kind = b & 3;
	bool vtl2 = vtl2_ok && (b & 4) && !c->has_vtl2 && *ram_seen;
	u128 start = *pos, end, a;

	switch (b >> 3 & 3) {
	case 1:
		start += (u128)rd8(in) * PAGE;
		break;
	case 2:
		a = fh_anchor(in);
		if (a > start)
			start = a;
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
		a = fh_anchor(in);
		end = a > start ? a : start + PAGE;
		break;
	case 2:
		end = start + (((u128)rd8(in) + 1) << 30);
		break;
	default:
		end = start + (rdle(in, 2) + 1) * PAGE;
		break;
	}
	start = fh_page_up(start);
	end = fh_page_up(end);
	if (end > MAXA || start >= end)
		return false;
	if (vtl2) {
		c->has_vtl2 = true;
		c->vtl2 = (struct memlayout_range){ .start = start, .end = end };
	} else {
		/* SPEC R7: no RAM above VTL2 */
		if (kind == 0 && c->has_vtl2)
			kind = 1;
		fh_push(c, kind, start, end);
		*ram_seen |= kind == 0;
	}
	*pos = end;
	return true;
}

static void fh_decode_layout(struct fz_in *in, struct fh_case *c, u8 hdr)
{
	u32 n = rd8(in) % FH_MAX_RANGES, i, kind;
	bool ram_seen = false;
	u64 pos = 0, gap, len;

	for (i = 0; i < n; i++)
		if (!fh_range(in, c, &pos, rd8(in), hdr & 1, &ram_seen))
			break;
	if (!(hdr & 2))
		return;
	n = rdle(in, 2) % FH_PATTERN_MAX;
	kind = rd8(in);
	gap = rdle(in, 2) * PAGE;
	len = (rdle(in, 2) + 1) * PAGE;
	for (i = 0; i < n; i++) {
		u32 k = (kind >> (i % 4 * 2)) & 3;

		if ((u128)pos + gap + len > MAXA)
			break;
		if (k == 0 && c->has_vtl2)
			k = 1;
		fh_push(c, k, pos + gap, pos + gap + len);
		pos += gap + len;
	}
}

/* A host address (inclusive bounds); see the header comment. */
static u64 fh_host_addr(struct fz_in *in, u64 base)
{
	u8 tag = rd8(in), b;
	u64 v;

	switch (tag & 15) {
	case 1:
		v = fh_anchors[rd8(in) & 15];
		return v + (u64)((s64)(s8)rd8(in) * (s64)PAGE);
	case 2:
		return rdle(in, 8);
	case 3:
		return base + rd8(in);
	case 4:
		return base + (u64)rd8(in) * PAGE - 1;
	case 5:
		return base + ((u64)rd8(in) << 30) - 1;
	case 6:
		return U64_MAX - rd8(in);
	case 7:
		return 0;
	case 8:
		return base;
	case 9:
		return base - 1;
	default:
		if (!fh_nr_sorted)
			return rdle(in, 8);
		v = rd8(in);
		b = rd8(in);
		v = (b & 1) ? fh_sorted[v % fh_nr_sorted].end :
			      fh_sorted[v % fh_nr_sorted].start;
		return v + (u64)(s64)((s8)b >> 1);
	}
}

static void fh_decode_facts(struct fz_in *in, struct fh_case *c, u8 hdr)
{
	struct memlayout_host_facts *h = &c->facts;
	bool junk = hdr & 16;
	u8 b = rd8(in);
	u32 i, j, nd;

	h->phys_bits = b < 0xc0 ? fh_widths[b & 15] : (b - 0xc0u) % 70;
	b = rd8(in);
	h->devices = c->devs;
	nd = b % (FH_MAX_DEVS + 1);
	if (junk && b == 0xfe)
		nd = MEMLAYOUT_MAX_HOST_DEVICES;
	if (junk && b == 0xff)
		nd = MEMLAYOUT_MAX_HOST_DEVICES + 1;
	if (junk && b == 0xfd)
		h->devices = NULL;
	h->nr_devices = nd;
	for (i = 0; i < nd; i++) {
		struct memlayout_host_dev *d = &c->devs[i];
		u32 nr;

		b = rd8(in);
		d->flags = b & 7;
		if (junk && (b & 0x80))
			d->flags |= 1U << (((b >> 3) & 3) + 3);
		d->aperture_start = fh_host_addr(in, 0);
		d->aperture_last = fh_host_addr(in, d->aperture_start);
		b = rd8(in);
		nr = b % (FH_MAX_RESV + 1);
		d->resv = c->regs[i];
		if (junk && b == 0xff) {
			nr = 1;
			d->resv = NULL;
		}
		d->nr_resv = nr;
		for (j = 0; d->resv && j < nr; j++) {
			struct memlayout_host_region *r = &c->regs[i][j];

			b = rd8(in);
			r->type = 1 + b % 4;
			if (junk && b >= 0xf0)
				r->type = b & 7;
			r->start = fh_host_addr(in, 0);
			r->last = fh_host_addr(in, r->start);
			b = rd8(in);
			r->flags = (junk && (b & 0x80)) ? b : b & 1;
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

static int fh_cmp_start(const void *a, const void *b)
{
	const struct fh_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Read the layout back through the query API, sorted by start. */
static void fh_read_back(const struct memlayout *l)
{
	struct memlayout_range r;
	u32 list, i, n;

	fh_nr_sorted = 0;
	for (list = MEMLAYOUT_LIST_RAM; list <= MEMLAYOUT_LIST_VTL2; list++) {
		n = memlayout_count(l, list);
		if (list == MEMLAYOUT_LIST_VTL2)
			n = !memlayout_get_range(l, list, 0, &r);
		for (i = 0; i < n; i++) {
			FH_EXPECT(!memlayout_get_range(l, list, i, &r),
				  "get_range(%u, %u)", list, i);
			fh_sorted[fh_nr_sorted++] = (struct fh_range){
				.start = r.start, .end = r.end,
				.list = list, .index = i,
			};
		}
	}
	qsort(fh_sorted, fh_nr_sorted, sizeof(*fh_sorted), fh_cmp_start);
}

static bool fh_model_valid(const struct memlayout_host_facts *h)
{
	u32 i, j;

	if (h->phys_bits < 1 || h->phys_bits > 64 || h->nr_devices > 64)
		return false;
	if (h->nr_devices && !h->devices)
		return false;
	for (i = 0; i < h->nr_devices; i++) {
		const struct memlayout_host_dev *d = &h->devices[i];

		if (d->flags & ~7U)
			return false;
		if ((d->flags & 2) && d->aperture_start > d->aperture_last)
			return false;
		if (d->nr_resv && !d->resv)
			return false;
		for (j = 0; j < d->nr_resv; j++) {
			const struct memlayout_host_region *r = &d->resv[j];

			if (r->start > r->last || (r->flags & ~1U) ||
			    r->type < 1 || r->type > 4)
				return false;
		}
	}
	return true;
}

/**
 * struct fh_out - conflicts collected by a sink or the model
 * @c: the conflicts.
 * @n: how many.
 * @cap: room in @c.
 * @stop_at: fail at this call (1-based), 0: never.
 * @stop_ret: the failure.
 */
struct fh_out {
	struct memlayout_host_conflict *c;
	u32 n;
	u32 cap;
	u32 stop_at;
	int stop_ret;
};

static void fh_add(struct fh_out *o, const struct memlayout_host_conflict *c)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->c = realloc(o->c, o->cap * sizeof(*o->c));
		if (!o->c)
			abort();
	}
	o->c[o->n++] = *c;
}

static int fh_sink(void *ctx, const struct memlayout_host_conflict *c)
{
	struct fh_out *o = ctx;

	fh_add(o, c);
	return o->n == o->stop_at ? o->stop_ret : 0;
}

static void fh_model_one(struct fh_out *o, const struct fh_range *r, u32 rule,
			 u32 device, u64 hs, u64 hl, u32 type, u32 flags,
			 u32 bits)
{
	struct memlayout_host_conflict c = {
		.rule = rule, .list = r->list, .index = r->index,
		.device = device, .start = r->start, .end = r->end,
		.host_start = hs, .host_last = hl, .host_type = type,
		.host_flags = flags, .phys_bits = bits,
	};

	fh_add(o, &c);
}

/* Every conflict, in the order "DOC: Host fit" gives. */
static void fh_model(const struct memlayout_host_facts *h, struct fh_out *o)
{
	u32 i, j, k;

	for (k = 0; k < fh_nr_sorted; k++) {
		const struct fh_range *r = &fh_sorted[k];

		if ((u128)r->end > ((u128)1 << h->phys_bits))
			fh_model_one(o, r, MEMLAYOUT_HOST_CPU_WIDTH,
				     MEMLAYOUT_NO_DEVICE,
				     h->phys_bits == 64 ? 0 : 1ULL << h->phys_bits,
				     U64_MAX, 0, 0, h->phys_bits);
	}
	for (i = 0; i < h->nr_devices; i++) {
		const struct memlayout_host_dev *d = &h->devices[i];

		if (!(d->flags & MEMLAYOUT_DEVICE_IOMMU))
			continue;
		for (k = 0; k < fh_nr_sorted; k++) {
			const struct fh_range *r = &fh_sorted[k];

			if (!(d->flags & MEMLAYOUT_DEVICE_APERTURE))
				break;
			if (r->list != MEMLAYOUT_LIST_RAM &&
			    r->list != MEMLAYOUT_LIST_VTL2)
				continue;
			if (r->start < d->aperture_start ||
			    (u128)r->end > (u128)d->aperture_last + 1)
				fh_model_one(o, r, MEMLAYOUT_HOST_APERTURE, i,
					     d->aperture_start, d->aperture_last,
					     0, 0, h->phys_bits);
		}
		for (j = 0; j < d->nr_resv; j++) {
			const struct memlayout_host_region *g = &d->resv[j];

			for (k = 0; k < fh_nr_sorted; k++) {
				const struct fh_range *r = &fh_sorted[k];

				if (r->list != MEMLAYOUT_LIST_RAM &&
				    r->list != MEMLAYOUT_LIST_VTL2)
					continue;
				if (r->start <= g->last && r->end > g->start)
					fh_model_one(o, r, MEMLAYOUT_HOST_RESERVED,
						     i, g->start, g->last, g->type,
						     g->flags, h->phys_bits);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

static void fh_compare(const struct fh_out *got, const struct fh_out *want,
		       u32 n, const char *what)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (!memcmp(&got->c[i], &want->c[i], sizeof(got->c[i])))
			continue;
		fh_dump_conflict("got ", i, &got->c[i]);
		fh_dump_conflict("want", i, &want->c[i]);
		fh_fail("%s: conflict %u differs", what, i);
	}
}

static void fh_run(struct fh_case *c, const struct memlayout *l)
{
	const struct memlayout_host_facts *h = &c->facts;
	struct fh_out want = { 0 }, got = { 0 };
	struct fh_case *copy;
	bool valid;
	u32 count, n;
	int ret;

	copy = malloc(sizeof(*copy));
	if (!copy)
		abort();
	memcpy(copy, c, sizeof(*c));

	valid = fh_model_valid(h);
	if (valid)
		fh_model(h, &want);

	/* Every conflict through a sink. */
	count = 0xa5a5a5a5;
	ret = memlayout_host_fit(l, h, fh_sink, &got, &count, c->may_sleep);
	FH_EXPECT(ret == (valid ? 0 : -EINVAL), "returned %d, valid %d", ret, valid);
	FH_EXPECT(got.n == want.n, "%u conflicts emitted, model %u", got.n, want.n);
	FH_EXPECT(count == want.n, "count %u, model %u", count, want.n);
	fh_compare(&got, &want, want.n, "sink");

	fh_last_ret = ret;
	memset(fh_last_rules, 0, sizeof(fh_last_rules));
	for (n = 0; n < got.n; n++)
		fh_last_rules[got.c[n].rule & 3]++;

	/* Count only. */
	count = 0xa5a5a5a5;
	ret = memlayout_host_fit(l, h, NULL, NULL, &count, !c->may_sleep);
	FH_EXPECT(ret == (valid ? 0 : -EINVAL), "count only: returned %d", ret);
	FH_EXPECT(count == want.n, "count only: %u, model %u", count, want.n);

	/* A sink that fails at call stop_at. */
	if (c->stop_at) {
		got.n = 0;
		got.stop_at = c->stop_at;
		got.stop_ret = c->stop_ret;
		count = 0xa5a5a5a5;
		ret = memlayout_host_fit(l, h, fh_sink, &got, &count, c->may_sleep);
		n = min(want.n, c->stop_at);
		FH_EXPECT(ret == (!valid ? -EINVAL : want.n >= c->stop_at ?
				  c->stop_ret : 0),
			  "failing sink: returned %d", ret);
		FH_EXPECT(got.n == n && count == n,
			  "failing sink: %u emitted, count %u, want %u",
			  got.n, count, n);
		fh_compare(&got, &want, n, "failing sink");
	}

	/* The facts are the caller's: untouched. */
	FH_EXPECT(!memcmp(copy, c, sizeof(*c)), "the facts changed");
	free(copy);
	free(want.c);
	free(got.c);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz_in in = { .p = data, .n = size };
	struct memlayout_request req = { .source = MEMLAYOUT_FROM_RANGES };
	struct memlayout_error err;
	struct memlayout *l;
	struct fh_case *c;
	u8 hdr = rd8(&in);

	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	fh_decode_layout(&in, c, hdr);
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
		FH_EXPECT(err.rule == MEMLAYOUT_RULE_NO_RAM,
			  "the decoder's layout was rejected: %ld rule %u list %u index %u",
			  PTR_ERR(l), err.rule, err.list, err.index);
		goto out;
	}
	fh_sorted = malloc((l->nr + 1) * sizeof(*fh_sorted));
	if (!fh_sorted)
		abort();
	fh_read_back(l);
	FH_EXPECT(fh_nr_sorted == l->nr + !!c->has_vtl2, "read back %u ranges",
		  fh_nr_sorted);
	fh_decode_facts(&in, c, hdr);
	c->may_sleep = hdr & 4;
	fh_cur = c;
	fh_run(c, l);
	fh_cur = NULL;
	memlayout_free(l);
	free(fh_sorted);
	fh_sorted = NULL;
out:
	for (hdr = 0; hdr < FH_NR_LISTS; hdr++)
		free(c->lists[hdr]);
	free(c);
	return 0;
}

#ifdef FZ_HOST_REPLAY
/* ------------------------------------------------------------------ */
/* Replay                                                              */
/* ------------------------------------------------------------------ */
#include "fz_replay.h"

static const char *fh_expect_file;

/*
 * The expectation of input @name in fh_expect_file: its line
 * "NAME: OUTCOME", hand-written in fuzz/gen_host_corpus.py; 0 if @got is
 * the outcome.
 */
static int fh_check_expect(const char *name, const char *got)
{
	char line[512];
	size_t n = strlen(name);
	FILE *f = fopen(fh_expect_file, "r");
	int ret = -1;

	if (!f) {
		perror(fh_expect_file);
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

static int fh_replay_one(const char *path)
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
	fh_last_ret = 1;
	LLVMFuzzerTestOneInput(buf, n);
	if (fh_last_ret == 1)
		snprintf(outcome, sizeof(outcome), "no layout");
	else
		snprintf(outcome, sizeof(outcome), "%d, H1 %u, H2 %u, H3 %u",
			 fh_last_ret, fh_last_rules[MEMLAYOUT_HOST_CPU_WIDTH],
			 fh_last_rules[MEMLAYOUT_HOST_APERTURE],
			 fh_last_rules[MEMLAYOUT_HOST_RESERVED]);
	base = base ? base + 1 : path;
	printf("%s: %s\n", base, outcome);
	return fh_expect_file ? fh_check_expect(base, outcome) : 0;
}

/*
 * replay [-e EXPECT] FILE...: each file in a child, its outcome checked
 * against EXPECT; prints "replay: N files, P passed, F failed".
 */
int main(int argc, char **argv)
{
	return fz_replay_main(argc, argv, &fh_expect_file, fh_replay_one);
}
#endif /* FZ_HOST_REPLAY */
