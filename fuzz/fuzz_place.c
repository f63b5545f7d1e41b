// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzz target for memlayout_place.c (SPEC C4, placement).
 *
 * Each input is decoded into a list of placement requests (every class,
 * every kind including VTL2, valid and invalid sizes and alignments,
 * pinned ranges that overlap, touch or end near MEMLAYOUT_MAX_ADDRESS,
 * unknown classes and kinds, odd max_ranges values), placed by the real
 * engine, memlayout_place(), and by a naive model of SPEC's "Placement
 * (constructor C4)" written here, and the two are compared: the errno,
 * every field of struct memlayout_place_error, and every placed range.
 * When the placement succeeds, memlayout_build_placed() is compared with
 * the C3 build (memlayout_build()) of the model's own placement: errno,
 * error report, every range, the statistics and the fingerprint.
 *
 * The model shares no code with memlayout_place.c: free space is a plain
 * sorted array of ranges, searched linearly and split with memmove(), as
 * upstream OpenVMM's LayoutBuilder does with its Vec; overlaps are found
 * on a copy sorted by insertion; every phase is a loop over the array.
 *
 * Where SPEC is silent, the model follows the engine's kernel-doc: an
 * unknown class is -EOPNOTSUPP, %MEMLAYOUT_REASON_FLAGS, @index its
 * position among all requests; R8 per class is reported with @index the
 * limit; a kind that does not belong to the class (reserved and RAM: 0;
 * fixed, mmio32, mmio64: a hole kind; post-MMIO: a hole kind or one VTL2)
 * is -EINVAL, %MEMLAYOUT_REASON_RESERVED, checked after R8 and before R2,
 * class by class; fields a class does not use are ignored.
 *
 * Input format (a missing byte reads as 0):
 *
 * 1. Header byte: bit 0 a max_ranges byte follows (n < 0xf0: n % 17, 0
 *    meaning the module parameter; else a table); bit 1 a pattern follows
 *    the explicit requests; bit 2 fill the fields a class does not use
 *    with junk.
 * 2. A count byte (% 48) and that many requests. A request is a byte:
 *    bits 0-2 the class (0 reserved .. 5 post-MMIO, 6 class 0, 7 a raw
 *    class byte follows), bits 3-5 the kind (0 the class's natural kind,
 *    chosen by bits 6-7; 1 mmio, 2 pci_ecam, 3 pci_mmio, 4 VTL2, 5 0,
 *    6 RAM, 7 a raw byte follows); then, for reserved and fixed, start
 *    and end (values), else size (a value) and alignment (a byte: n <
 *    0xe0: 2^(12 + n % 52), else a table of invalid and edge values).
 * 3. A pattern: a count byte (below 0xf8 as is, else a table up to 4097),
 *    a request byte as above, then start, stride, size (values) and an
 *    alignment byte: request i is [start + i * stride, + size) for the
 *    pinned classes, else (size, alignment).
 *
 * A value is a tag byte (low nibble) and its operand: 0 zero; 1 n pages;
 * 2 n pages (16 bits); 3 n GiB; 4 4 GiB + (signed) n pages;
 * 5 MAX_ADDRESS - n pages; 6 U64_MAX - n; 7 2^k (bit 6: - a page, bit 7:
 * + a page); 8 raw 64 bits; 9 base + n pages; 10 base - n pages;
 * 11 base + n GiB; 12 base + (signed) n bytes; 13 base; 14 n TiB;
 * 15 n MiB (16 bits). "base" is the previous pinned range's end for a
 * start, the start for an end, 0 for a size.
 *
 * Built with -DFZ_PLACE_REPLAY, a main() replays files instead, each in a
 * child, and checks each outcome against a hand-written expectation
 * (fuzz/place-corpus/EXPECT, written by fuzz/gen_place_corpus.py).
 */
#include <errno.h>
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

#define NCLASS		(MEMLAYOUT_CLASS_POST_MMIO + 1)
#define FP_COUNT_MOD	48
#define FP_SUMMARY	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */


static u64 rdalign(struct fz_in *in)
{
	static const u64 odd[16] = {
		0, 1, 2, 2048, 0x3000, 0x5000, 4095, 4097,
		U64_MAX, (1ULL << 63) + PAGE, 0x1800, 1ULL << 63,
		PAGE, 1ULL << 21, 1ULL << 30, 0x100000 + PAGE,
	};
	u8 a = rd8(in);

	if (a < 0xe0)
		return 1ULL << (12 + a % 52);
	return odd[a & 15];
}

static const u32 fp_max_table[16] = {
	1, 2, 3, 4095, 4096, 4097, 65536, U32_MAX,
	0, 5, 8, 16, 31, 32, 64, 100,
};

static const u32 fp_pattern_table[8] = {
	300, 1000, 4095, 4096, 4097, 2048, 512, 257,
};

/**
 * struct fp_case - one decoded input
 * @max_ranges: the max_ranges argument of memlayout_place().
 * @junk: fill the fields a class does not use.
 * @n: number of requests.
 * @cap: room in @r.
 * @r: the requests, in caller order.
 */
struct fp_case {
	u32 max_ranges;
	bool junk;
	u32 n;
	u32 cap;
	struct memlayout_place_req *r;
};

static void fp_push(struct fp_case *c, const struct memlayout_place_req *r)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->r = realloc(c->r, c->cap * sizeof(*c->r));
		if (!c->r)
			abort();
	}
	c->r[c->n++] = *r;
}

/* The class and kind byte; sets *@pinned when start/end follow. */
static void fp_class_kind(struct fz_in *in, struct fp_case *c,
			  struct memlayout_place_req *r, bool *pinned)
{
	u8 b = rd8(in), k, v = b >> 6;

	switch (b & 7) {
	case 6:
		r->place_class = 0;
		break;
	case 7:
		k = rd8(in);
		r->place_class = k < 16 ? k : k == 255 ? U32_MAX : (u32)k << 24;
		break;
	default:
		r->place_class = MEMLAYOUT_CLASS_RESERVED + (b & 7);
		break;
	}
	switch ((b >> 3) & 7) {
	case 0:
		if (r->place_class == MEMLAYOUT_CLASS_POST_MMIO && v == 3)
			r->kind = MEMLAYOUT_PLACE_VTL2;
		else if (r->place_class == MEMLAYOUT_CLASS_FIXED ||
			 r->place_class == MEMLAYOUT_CLASS_MMIO32 ||
			 r->place_class == MEMLAYOUT_CLASS_MMIO64 ||
			 r->place_class == MEMLAYOUT_CLASS_POST_MMIO)
			r->kind = MEMLAYOUT_KIND_MMIO + v % 3;
		else
			r->kind = 0;
		break;
	case 1:
		r->kind = MEMLAYOUT_KIND_MMIO;
		break;
	case 2:
		r->kind = MEMLAYOUT_KIND_PCI_ECAM;
		break;
	case 3:
		r->kind = MEMLAYOUT_KIND_PCI_MMIO;
		break;
	case 4:
		r->kind = MEMLAYOUT_PLACE_VTL2;
		break;
	case 5:
		r->kind = 0;
		break;
	case 6:
		r->kind = MEMLAYOUT_KIND_RAM;
		break;
	default:
		k = rd8(in);
		r->kind = k == 255 ? U32_MAX : k;
		break;
	}
	*pinned = r->place_class == MEMLAYOUT_CLASS_RESERVED ||
		  r->place_class == MEMLAYOUT_CLASS_FIXED;
	if (c->junk) {
		r->start = 0xdead000 + c->n;
		r->end = 0xbeef000;
		r->size = 0x1234;
		r->align = 3;
	}
}

static void fp_decode(const u8 *data, size_t size, struct fp_case *c)
{
	struct fz_in in = { .p = data, .n = size };
	struct memlayout_place_req r, t;
	u64 base = 0, start, stride;
	u32 i, count;
	bool pinned;
	u8 h, b;

	memset(c, 0, sizeof(*c));
	c->cap = 16;
	c->r = malloc(c->cap * sizeof(*c->r));
	if (!c->r)
		abort();
	h = rd8(&in);
	c->junk = h & 4;
	if (h & 1) {
		b = rd8(&in);
		c->max_ranges = b < 0xf0 ? b % 17 : fp_max_table[b & 15];
	}
	count = rd8(&in) % FP_COUNT_MOD;
	for (i = 0; i < count; i++) {
		memset(&r, 0, sizeof(r));
		fp_class_kind(&in, c, &r, &pinned);
		if (pinned) {
			r.start = rdval(&in, base);
			r.end = rdval(&in, r.start);
			base = r.end;
		} else {
			r.size = rdval(&in, 0);
			r.align = rdalign(&in);
		}
		fp_push(c, &r);
	}
	if (!(h & 2))
		return;
	b = rd8(&in);
	count = b < 0xf8 ? b : fp_pattern_table[b & 7];
	memset(&r, 0, sizeof(r));
	fp_class_kind(&in, c, &r, &pinned);
	start = rdval(&in, base);
	stride = rdval(&in, 0);
	r.size = rdval(&in, 0);
	r.align = rdalign(&in);
	for (i = 0; i < count; i++) {
		t = r;
		if (pinned) {
			t.start = start + (u64)i * stride;
			t.end = t.start + r.size;
			t.size = c->junk ? r.size : 0;
			t.align = c->junk ? r.align : 0;
		}
		fp_push(c, &t);
	}
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

/* A request with its index in its class and its caller position. */
struct mreq {
	const struct memlayout_place_req *r;
	u32 index;
	u32 pos;
};

struct mfree {
	u64 s;
	u64 e;
};

/**
 * struct mdl - the model's placement
 * @ret: 0 or the negative errno.
 * @err: the expected error report.
 * @nr: placed ranges.
 * @out: the placed ranges (sorted, trailing reserved dropped, on success).
 * @fr: the free list, sorted, non-empty ranges.
 * @nfr: its length.
 * @ram_end: highest end of RAM placed so far.
 * @top: highest end of every non-reserved range placed so far.
 */
struct mdl {
	int ret;
	struct memlayout_place_error err;
	u32 nr;
	struct memlayout_placed *out;
	struct mfree *fr;
	u32 nfr;
	u64 ram_end;
	u64 top;
};

static void *fp_calloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (!p)
		abort();
	return p;
}

static int mdl_reject(struct mdl *m, int ret, u32 rule, u32 class, u32 index)
{
	m->ret = ret;
	m->err.rule = rule;
	m->err.place_class = class;
	m->err.index = index;
	return ret;
}

static bool mdl_is_hole(u32 kind)
{
	return kind == MEMLAYOUT_KIND_MMIO || kind == MEMLAYOUT_KIND_PCI_ECAM ||
	       kind == MEMLAYOUT_KIND_PCI_MMIO;
}

/* Take [s, e) out of the free range that holds it, splitting it. */
static void mdl_take(struct mdl *m, u64 s, u64 e)
{
	struct mfree f;
	u32 i, add;

	for (i = 0; i < m->nfr; i++)
		if (m->fr[i].s <= s && e <= m->fr[i].e)
			break;
	if (i == m->nfr || s >= e) {
		fprintf(stderr, "model: [%#llx, %#llx) is not free\n", s, e);
		abort();
	}
	f = m->fr[i];
	add = (f.s < s) + (e < f.e);
	memmove(&m->fr[i + add], &m->fr[i + 1],
		(m->nfr - i - 1) * sizeof(*m->fr));
	m->nfr = m->nfr - 1 + add;
	if (f.s < s)
		m->fr[i++] = (struct mfree){ f.s, s };
	if (e < f.e)
		m->fr[i] = (struct mfree){ e, f.e };
}

static void mdl_emit(struct mdl *m, const struct mreq *q, u64 s, u64 e,
		     u32 vnode)
{
	struct memlayout_placed *o = &m->out[m->nr++];

	mdl_take(m, s, e);
	o->start = s;
	o->end = e;
	o->place_class = q->r->place_class;
	o->index = q->index;
	o->kind = q->r->place_class == MEMLAYOUT_CLASS_RAM ? MEMLAYOUT_KIND_RAM :
		  q->r->kind;
	o->vnode = vnode;
	if (q->r->place_class == MEMLAYOUT_CLASS_RAM && e > m->ram_end)
		m->ram_end = e;
	if (q->r->place_class != MEMLAYOUT_CLASS_RESERVED && e > m->top)
		m->top = e;
}

static u64 mdl_free_in(const struct mdl *m, u64 lo, u64 hi)
{
	u64 sum = 0, s, e;
	u32 i;

	for (i = 0; i < m->nfr; i++) {
		s = m->fr[i].s > lo ? m->fr[i].s : lo;
		e = m->fr[i].e < hi ? m->fr[i].e : hi;
		if (s < e)
			sum += e - s;
	}
	return sum;
}

static int mdl_exhausted(struct mdl *m, const struct mreq *q, u32 phase,
			 u64 lo, u64 hi)
{
	mdl_reject(m, -ENOSPC, MEMLAYOUT_RULE_EXHAUSTED, q->r->place_class, q->index);
	m->err.phase = phase;
	m->err.size = q->r->size;
	m->err.align = q->r->align;
	m->err.free = mdl_free_in(m, lo, hi);
	return -ENOSPC;
}

/* align_up(v, a), false when it passes 2^64. */
static bool mdl_up(u64 v, u64 a, u64 *out)
{
	if (v > U64_MAX - (a - 1))
		return false;
	*out = (v + a - 1) / a * a;
	return true;
}

/* SPEC phase 2: the highest aligned fit in [0, 4 GiB), top down. */
static int mdl_mmio32(struct mdl *m, const struct mreq *q)
{
	u64 size = q->r->size, a = q->r->align, s, e, t;
	u32 i;

	for (i = m->nfr; i-- > 0;) {
		s = m->fr[i].s;
		e = m->fr[i].e < G4 ? m->fr[i].e : G4;
		if (s >= e || e - s < size)
			continue;
		t = (e - size) / a * a;
		if (t >= s) {
			mdl_emit(m, q, t, t + size, 0);
			return 0;
		}
	}
	return mdl_exhausted(m, q, MEMLAYOUT_CLASS_MMIO32, 0, G4);
}

/* Phases 4 and 5: the lowest aligned fit at or above @floor. */
static int mdl_lowest(struct mdl *m, const struct mreq *q, u64 floor,
		      u32 phase)
{
	u64 size = q->r->size, a = q->r->align, s, t;
	u32 i;

	for (i = 0; i < m->nfr; i++) {
		s = m->fr[i].s > floor ? m->fr[i].s : floor;
		if (s >= m->fr[i].e || !mdl_up(s, a, &t) || t > U64_MAX - size)
			continue;
		if (t + size <= m->fr[i].e) {
			mdl_emit(m, q, t, t + size, 0);
			return 0;
		}
	}
	return mdl_exhausted(m, q, phase, floor, MAXA);
}

/* Phase 3: one RAM request, split, never below earlier RAM. */
static int mdl_ram(struct mdl *m, const struct mreq *q, u32 vnode)
{
	u64 left = q->r->size, a = q->r->align, floor = m->ram_end, s, t, take;
	struct mfree *ext = fp_calloc(m->nfr, sizeof(*ext));
	u32 i, k = 0;

	for (i = 0; i < m->nfr && left; i++) {
		s = m->fr[i].s > floor ? m->fr[i].s : floor;
		if (s >= m->fr[i].e || !mdl_up(s, a, &t) || t >= m->fr[i].e)
			continue;
		take = m->fr[i].e - t;
		take = take >= left ? left : take / a * a;
		if (!take)
			continue;
		ext[k++] = (struct mfree){ t, t + take };
		left -= take;
	}
	if (left) {
		free(ext);
		return mdl_exhausted(m, q, MEMLAYOUT_CLASS_RAM, floor, MAXA);
	}
	for (i = 0; i < k; i++)
		mdl_emit(m, q, ext[i].s, ext[i].e, vnode);
	free(ext);
	return 0;
}

/* mmio32/mmio64 order: alignment, then size, descending; then caller. */
static int mdl_cmp_dyn(const void *a, const void *b)
{
	const struct mreq *x = a, *y = b;

	if (x->r->align != y->r->align)
		return x->r->align > y->r->align ? -1 : 1;
	if (x->r->size != y->r->size)
		return x->r->size > y->r->size ? -1 : 1;
	return x->index < y->index ? -1 : 1;
}

static int mdl_cmp_addr(const void *a, const void *b)
{
	const struct memlayout_placed *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The checks before the phases, in SPEC's order. */
static int mdl_check(struct mdl *m, struct mreq **byc, const u32 *nc)
{
	static const u32 placed[] = { MEMLAYOUT_CLASS_MMIO32,
		MEMLAYOUT_CLASS_RAM, MEMLAYOUT_CLASS_MMIO64,
		MEMLAYOUT_CLASS_POST_MMIO };
	struct mreq *pin, tmp;
	u32 c, i, j, npin, vtl2 = 0;
	bool ok;

	for (c = MEMLAYOUT_CLASS_RESERVED; c < NCLASS; c++) {
		for (i = 0; i < nc[c]; i++) {
			u32 kind = byc[c][i].r->kind;

			if (c == MEMLAYOUT_CLASS_RESERVED ||
			    c == MEMLAYOUT_CLASS_RAM) {
				ok = kind == 0;
			} else if (c == MEMLAYOUT_CLASS_POST_MMIO &&
				   kind == MEMLAYOUT_PLACE_VTL2) {
				ok = vtl2 == 0;
				vtl2++;
			} else {
				ok = mdl_is_hole(kind);
			}
			if (!ok)
				return mdl_reject(m, -EINVAL,
						  MEMLAYOUT_REASON_RESERVED, c, i);
		}
	}
	/* R2 on reserved, then fixed, each in caller order. */
	npin = nc[MEMLAYOUT_CLASS_RESERVED] + nc[MEMLAYOUT_CLASS_FIXED];
	pin = fp_calloc(npin, sizeof(*pin));
	for (i = 0; i < npin; i++) {
		c = i < nc[MEMLAYOUT_CLASS_RESERVED] ? MEMLAYOUT_CLASS_RESERVED :
		    MEMLAYOUT_CLASS_FIXED;
		j = c == MEMLAYOUT_CLASS_RESERVED ? i :
		    i - nc[MEMLAYOUT_CLASS_RESERVED];
		pin[i] = byc[c][j];
		if (!(pin[i].r->start < pin[i].r->end) ||
		    pin[i].r->start % PAGE || pin[i].r->end % PAGE ||
		    pin[i].r->end > MAXA) {
			free(pin);
			return mdl_reject(m, -EINVAL, MEMLAYOUT_RULE_BAD_RANGE,
					  c, j);
		}
	}
	/* P3: a stable insertion sort by start, then neighbours. */
	for (i = 1; i < npin; i++) {
		tmp = pin[i];
		for (j = i; j > 0 && pin[j - 1].r->start > tmp.r->start; j--)
			pin[j] = pin[j - 1];
		pin[j] = tmp;
	}
	for (i = 1; i < npin; i++) {
		if (pin[i].r->start < pin[i - 1].r->end) {
			m->err.other_class = pin[i].r->place_class;
			m->err.other_index = pin[i].index;
			mdl_reject(m, -EEXIST, MEMLAYOUT_RULE_PINNED_OVERLAP,
				   pin[i - 1].r->place_class, pin[i - 1].index);
			free(pin);
			return -EEXIST;
		}
	}
	free(pin);
	for (j = 0; j < ARRAY_SIZE(placed); j++) {
		c = placed[j];
		for (i = 0; i < nc[c]; i++) {
			const struct memlayout_place_req *r = byc[c][i].r;
			u64 a = r->align;

			if (c == MEMLAYOUT_CLASS_RAM && r->size == 0)
				continue;	/* D8 */
			if (r->size == 0 || r->size % PAGE)
				return mdl_reject(m, -EINVAL,
						  MEMLAYOUT_RULE_PLACE_SIZE, c, i);
			if (a < PAGE || (a & (a - 1)))
				return mdl_reject(m, -EINVAL,
						  MEMLAYOUT_RULE_PLACE_ALIGN, c, i);
		}
	}
	return 0;
}

/* The phases, then the result's order. */
static int mdl_phases(struct mdl *m, struct mreq **byc, const u32 *nc)
{
	u32 c, i, total = 0;
	int ret;

	for (c = MEMLAYOUT_CLASS_RESERVED; c < NCLASS; c++)
		total += nc[c];
	m->out = fp_calloc(2 * (size_t)total + 4, sizeof(*m->out));
	m->fr = fp_calloc(2 * (size_t)total + 4, sizeof(*m->fr));
	m->fr[0] = (struct mfree){ 0, MAXA };
	m->nfr = 1;

	/* 1: reserved, then fixed, as given. */
	for (c = MEMLAYOUT_CLASS_RESERVED; c <= MEMLAYOUT_CLASS_FIXED; c++)
		for (i = 0; i < nc[c]; i++)
			mdl_emit(m, &byc[c][i], byc[c][i].r->start,
				 byc[c][i].r->end, 0);
	/* 2: mmio32. */
	qsort(byc[MEMLAYOUT_CLASS_MMIO32], nc[MEMLAYOUT_CLASS_MMIO32],
	      sizeof(struct mreq), mdl_cmp_dyn);
	for (i = 0; i < nc[MEMLAYOUT_CLASS_MMIO32]; i++) {
		ret = mdl_mmio32(m, &byc[MEMLAYOUT_CLASS_MMIO32][i]);
		if (ret)
			return ret;
	}
	/* 3: RAM, vnode = the request's index. */
	for (i = 0; i < nc[MEMLAYOUT_CLASS_RAM]; i++) {
		if (!byc[MEMLAYOUT_CLASS_RAM][i].r->size)
			continue;
		ret = mdl_ram(m, &byc[MEMLAYOUT_CLASS_RAM][i], i);
		if (ret)
			return ret;
	}
	/* 4: mmio64, at or above max(end of RAM, 4 GiB). */
	qsort(byc[MEMLAYOUT_CLASS_MMIO64], nc[MEMLAYOUT_CLASS_MMIO64],
	      sizeof(struct mreq), mdl_cmp_dyn);
	for (i = 0; i < nc[MEMLAYOUT_CLASS_MMIO64]; i++) {
		ret = mdl_lowest(m, &byc[MEMLAYOUT_CLASS_MMIO64][i],
				 m->ram_end > G4 ? m->ram_end : G4,
				 MEMLAYOUT_CLASS_MMIO64);
		if (ret)
			return ret;
	}
	/* 5: post-MMIO, in caller order, above everything non-reserved. */
	for (i = 0; i < nc[MEMLAYOUT_CLASS_POST_MMIO]; i++) {
		ret = mdl_lowest(m, &byc[MEMLAYOUT_CLASS_POST_MMIO][i], m->top,
				 MEMLAYOUT_CLASS_POST_MMIO);
		if (ret)
			return ret;
	}
	qsort(m->out, m->nr, sizeof(*m->out), mdl_cmp_addr);
	while (m->nr && m->out[m->nr - 1].place_class == MEMLAYOUT_CLASS_RESERVED)
		m->nr--;
	return 0;
}

static void mdl_place(const struct fp_case *c, struct mdl *m)
{
	struct mreq *byc[NCLASS] = { NULL };
	u32 nc[NCLASS] = { 0 }, i, k, max = c->max_ranges;

	memset(m, 0, sizeof(*m));
	if (!max)
		max = memlayout_max_ranges();
	for (i = 0; i < c->n; i++) {
		k = c->r[i].place_class;
		if (k < MEMLAYOUT_CLASS_RESERVED || k > MEMLAYOUT_CLASS_POST_MMIO) {
			mdl_reject(m, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, 0, i);
			return;
		}
		nc[k]++;
	}
	for (k = MEMLAYOUT_CLASS_RESERVED; k < NCLASS; k++) {
		if (nc[k] > max) {
			mdl_reject(m, -E2BIG, MEMLAYOUT_RULE_TOO_MANY, k, max);
			return;
		}
	}
	for (k = MEMLAYOUT_CLASS_RESERVED; k < NCLASS; k++) {
		byc[k] = fp_calloc(nc[k], sizeof(struct mreq));
		nc[k] = 0;
	}
	for (i = 0; i < c->n; i++) {
		k = c->r[i].place_class;
		byc[k][nc[k]] = (struct mreq){ &c->r[i], nc[k], i };
		nc[k]++;
	}
	if (!mdl_check(m, byc, nc))
		mdl_phases(m, byc, nc);
	if (m->ret)
		m->nr = 0;
	for (k = MEMLAYOUT_CLASS_RESERVED; k < NCLASS; k++)
		free(byc[k]);
}

static void mdl_free(struct mdl *m)
{
	free(m->out);
	free(m->fr);
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

/**
 * struct fp_summary - outcome of the last input (engine and model agreed)
 * @ret: memlayout_place()'s errno (0 on success).
 * @err: its error report.
 * @nr: placed ranges.
 * @r: the first FP_SUMMARY of them.
 * @build_ret: memlayout_build_placed()'s errno, when @ret is 0.
 * @build_err: its error report.
 */
struct fp_summary {
	int ret;
	struct memlayout_place_error err;
	u32 nr;
	struct memlayout_placed r[FP_SUMMARY];
	int build_ret;
	struct memlayout_error build_err;
};

static struct fp_summary fp_last;
static const struct fp_case *fp_cur;

static const char *fp_cname(u32 c)
{
	static const char * const n[] = { "class0", "reserved", "fixed",
		"mmio32", "ram", "mmio64", "post" };

	return c < ARRAY_SIZE(n) ? n[c] : "class?";
}

static void fp_dump(const struct fp_case *c)
{
	u32 i;

	fprintf(stderr, "request: %u requests, max_ranges %u%s\n", c->n,
		c->max_ranges, c->junk ? ", junk in unused fields" : "");
	for (i = 0; i < c->n && i < 64; i++) {
		const struct memlayout_place_req *r = &c->r[i];

		fprintf(stderr, "  %u: %s (%u) kind %u", i, fp_cname(r->place_class),
			r->place_class, r->kind);
		if (r->place_class == MEMLAYOUT_CLASS_RESERVED ||
		    r->place_class == MEMLAYOUT_CLASS_FIXED)
			fprintf(stderr, " [%#llx, %#llx)\n", r->start, r->end);
		else
			fprintf(stderr, " size %#llx align %#llx\n", r->size,
				r->align);
	}
	if (c->n > 64)
		fprintf(stderr, "  ... %u more\n", c->n - 64);
}

static void fp_dump_err(const char *who, int ret,
			const struct memlayout_place_error *e)
{
	fprintf(stderr, "  %s: %d rule %u class %u index %u other %u/%u",
		who, ret, e->rule, e->place_class, e->index, e->other_class,
		e->other_index);
	fprintf(stderr, " phase %u size %#llx align %#llx free %#llx\n",
		e->phase, e->size, e->align, e->free);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fp_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nmemlayout place fuzz: MISMATCH: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (fp_cur)
		fp_dump(fp_cur);
	abort();
}

#define FP_EXPECT(cond, ...) do {					\
	if (!(cond))							\
		fp_fail(__VA_ARGS__);					\
} while (0)

static void fp_expect_err(const struct memlayout_place_error *got,
			  const struct memlayout_place_error *want, int ret,
			  int mret)
{
	if (memcmp(got, want, sizeof(*got))) {
		fp_dump_err("engine", ret, got);
		fp_dump_err("model ", mret, want);
		fp_fail("memlayout_place()'s error report differs");
	}
}

static void fp_dump_placed(const char *who, const struct memlayout_placed *r,
			   u32 n)
{
	u32 i;

	fprintf(stderr, "  %s: %u ranges\n", who, n);
	for (i = 0; i < n && i < 48; i++)
		fprintf(stderr, "    [%#llx, %#llx) %s/%u kind %u vnode %u\n",
			r[i].start, r[i].end, fp_cname(r[i].place_class), r[i].index,
			r[i].kind, r[i].vnode);
}

static void fp_check_placed(const struct memlayout_placement *p,
			    const struct mdl *m)
{
	u32 i;

	if (p->nr != m->nr) {
		fp_dump_placed("engine", p->ranges, p->nr);
		fp_dump_placed("model ", m->out, m->nr);
		fp_fail("%u placed ranges, model %u", p->nr, m->nr);
	}
	for (i = 0; i < m->nr; i++) {
		if (memcmp(&p->ranges[i], &m->out[i], sizeof(m->out[i]))) {
			fp_dump_placed("engine", p->ranges, p->nr);
			fp_dump_placed("model ", m->out, m->nr);
			fp_fail("placed range %u differs", i);
		}
	}
}

/* The model's C3 request from its own placement. */
static struct memlayout *fp_build_c3(const struct mdl *m, u32 max_ranges,
				     struct memlayout_error *err)
{
	struct memlayout_range *lists[MEMLAYOUT_KIND_PCI_MMIO + 1], vtl2;
	u32 nr[MEMLAYOUT_KIND_PCI_MMIO + 1] = { 0 }, i, k;
	struct memlayout_request req = {
		.source = MEMLAYOUT_FROM_RANGES,
		.max_ranges = max_ranges,
	};
	struct memlayout *l;

	for (k = MEMLAYOUT_KIND_RAM; k <= MEMLAYOUT_KIND_PCI_MMIO; k++)
		lists[k] = fp_calloc(m->nr, sizeof(struct memlayout_range));
	for (i = 0; i < m->nr; i++) {
		const struct memlayout_placed *r = &m->out[i];

		if (r->place_class == MEMLAYOUT_CLASS_RESERVED)
			continue;
		if (r->place_class == MEMLAYOUT_CLASS_POST_MMIO &&
		    r->kind == MEMLAYOUT_PLACE_VTL2) {
			vtl2 = (struct memlayout_range){ .start = r->start,
							 .end = r->end };
			req.vtl2 = &vtl2;
			continue;
		}
		k = r->place_class == MEMLAYOUT_CLASS_RAM ? MEMLAYOUT_KIND_RAM :
		    r->kind;
		lists[k][nr[k]++] = (struct memlayout_range){
			.start = r->start, .end = r->end,
			.vnode = r->place_class == MEMLAYOUT_CLASS_RAM ? r->index : 0,
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
	memset(err, 0xa5, sizeof(*err));
	l = memlayout_build(&req, GFP_KERNEL, err);
	for (k = MEMLAYOUT_KIND_RAM; k <= MEMLAYOUT_KIND_PCI_MMIO; k++)
		free(lists[k]);
	return l;
}

static void fp_check_build(struct memlayout_placement *p,
			   struct memlayout_placement *own,
			   const struct mdl *m, u32 max_ranges)
{
	struct memlayout_error e1, e2;
	struct memlayout_entry x, y;
	struct memlayout *want, *got;
	long allocs;
	int r1, r2;
	u32 i;

	want = fp_build_c3(m, max_ranges, &e1);
	memset(&e2, 0x5a, sizeof(e2));
	/* A successful build takes @own (the same placement as @p). */
	got = memlayout_build_placed(own, max_ranges, GFP_KERNEL, &e2);
	FP_EXPECT(want && got, "a build returned NULL");
	r1 = IS_ERR(want) ? (int)PTR_ERR(want) : 0;
	r2 = IS_ERR(got) ? (int)PTR_ERR(got) : 0;
	fp_last.build_ret = r2;
	fp_last.build_err = e2;
	FP_EXPECT(r1 == r2 && !memcmp(&e1, &e2, sizeof(e1)),
		  "memlayout_build_placed() = %d (rule %u list %u index %u other %u/%u), C3 build %d (rule %u list %u index %u other %u/%u)",
		  r2, e2.rule, e2.list, e2.index, e2.other_list, e2.other_index,
		  r1, e1.rule, e1.list, e1.index, e1.other_list, e1.other_index);
	if (r2)
		kvfree(own);
	else
		FP_EXPECT(got->placement == own,
			  "build_placed()'s layout does not hold its placement");
	if (r1)
		return;
	FP_EXPECT(got->nr == want->nr && got->flags == want->flags &&
		  got->ram_size == want->ram_size &&
		  got->end_of_ram == want->end_of_ram &&
		  got->ram_below_4gb == want->ram_below_4gb &&
		  got->ram_above_4gb == want->ram_above_4gb &&
		  got->max_ram_below_4gb == want->max_ram_below_4gb &&
		  got->ram_above_high_mmio == want->ram_above_high_mmio &&
		  got->end_of_layout == want->end_of_layout &&
		  got->vtl2_start == want->vtl2_start &&
		  got->vtl2_end == want->vtl2_end &&
		  !memcmp(got->list_first, want->list_first,
			  sizeof(got->list_first)) &&
		  memlayout_bytes(got) == memlayout_bytes(want),
		  "build_placed()'s layout differs from the C3 build (%u ranges, C3 %u)",
		  got->nr, want->nr);
	memlayout_fingerprint_layout(got, false);
	memlayout_fingerprint_layout(want, false);
	FP_EXPECT(!memcmp(got->fingerprint, want->fingerprint,
			  sizeof(got->fingerprint)),
		  "build_placed()'s fingerprint differs from the C3 build's");
	for (i = 0; i < want->nr; i++) {
		memlayout_entry(got, i, &x);
		memlayout_entry(want, i, &y);
		FP_EXPECT(!memcmp(&x, &y, sizeof(x)),
			  "layout range %u: [%#llx, %#llx) kind %u vnode %u, C3 [%#llx, %#llx) kind %u vnode %u",
			  i, x.start, x.end, x.kind, x.vnode, y.start, y.end,
			  y.kind, y.vnode);
	}
	memlayout_put(got);
	memlayout_free(want);

	/*
	 * Its allocation failing (the shim fails the next one): -ENOMEM with
	 * an empty report, as memlayout_build() gives, nothing kept.
	 */
	allocs = ml_shim_live_allocs;
	ml_shim_fail_allocs = 1;
	memset(&e2, 0x5a, sizeof(e2));
	got = memlayout_build_placed(p, max_ranges, GFP_KERNEL, &e2);
	ml_shim_fail_allocs = 0;
	FP_EXPECT(IS_ERR(got) && PTR_ERR(got) == -ENOMEM,
		  "build_placed() with a failing allocation = %ld",
		  IS_ERR(got) ? PTR_ERR(got) : 0L);
	memset(&e1, 0, sizeof(e1));
	FP_EXPECT(!memcmp(&e1, &e2, sizeof(e1)),
		  "build_placed() with a failing allocation: -ENOMEM with rule %u list %u index %u other %u/%u, not an empty report",
		  e2.rule, e2.list, e2.index, e2.other_list, e2.other_index);
	FP_EXPECT(ml_shim_live_allocs == allocs,
		  "build_placed() with a failing allocation left %ld allocations",
		  ml_shim_live_allocs - allocs);
}

/*
 * The interface over the engine (memlayout_uapi.c): memlayout_set_check()
 * and memlayout_set_place(), as SET_LAYOUT runs them, against the model
 * of the documented translation: the array bound (R8, 6 * max_ranges),
 * each request's interface checks in array order (an unknown class, then
 * a member its class does not use), then the engine's reason with the
 * request named by its array position (MEMLAYOUT_LIST_PLACE) and by class
 * and index (struct memlayout_place_reason), or the build's (C3 lists).
 */
static u32 fp_position(const struct fp_case *c, u32 class, u32 index)
{
	u32 i;

	for (i = 0; i < c->n; i++)
		if (c->r[i].place_class == class && !index--)
			return i;
	return c->n;
}

static void fp_check_iface(const struct fp_case *c, const struct mdl *m)
{
	u32 lim = c->max_ranges ? c->max_ranges : memlayout_max_ranges();
	struct memlayout_set s = {
		.size = sizeof(s), .source = MEMLAYOUT_SOURCE_PLACE,
		.place_ptr = c->n ? (uintptr_t)c->r : 0, .nr_place = c->n,
	};
	struct memlayout_reason want = { 0 };
	struct memlayout_place_reason wp = { 0 };
	const struct memlayout_place_error *e = &m->err;
	struct memlayout_request req;
	struct memlayout *l;
	int ret, wret = 0;
	u32 i;

	ret = memlayout_set_check(&s, &req, c->max_ranges);
	if (c->n > MEMLAYOUT_NR_CLASSES * lim) {
		FP_EXPECT(ret == -E2BIG &&
			  s.reason.rule == MEMLAYOUT_RULE_TOO_MANY &&
			  s.reason.list == MEMLAYOUT_LIST_PLACE &&
			  s.reason.index == MEMLAYOUT_NR_CLASSES * lim,
			  "memlayout_set_check() of %u requests = %d rule %u list %u index %u, want R8 at %u",
			  c->n, ret, s.reason.rule, s.reason.list,
			  s.reason.index, MEMLAYOUT_NR_CLASSES * lim);
		return;
	}
	FP_EXPECT(!ret, "memlayout_set_check() = %d rule %u", ret,
		  s.reason.rule);

	for (i = 0; i < c->n && !wret; i++) {
		const struct memlayout_place_req *r = &c->r[i];
		bool pinned = r->place_class == MEMLAYOUT_CLASS_RESERVED ||
			      r->place_class == MEMLAYOUT_CLASS_FIXED;

		want.index = i;
		want.list = MEMLAYOUT_LIST_PLACE;
		if (r->place_class < MEMLAYOUT_CLASS_RESERVED ||
		    r->place_class > MEMLAYOUT_CLASS_POST_MMIO) {
			wret = -EOPNOTSUPP;
			want.rule = MEMLAYOUT_REASON_FLAGS;
			want.field = offsetof(struct memlayout_place_req, place_class);
			break;
		}
		want.rule = MEMLAYOUT_REASON_RESERVED;
		wret = -EINVAL;
		if (pinned && r->size)
			want.field = offsetof(struct memlayout_place_req, size);
		else if (pinned && r->align)
			want.field = offsetof(struct memlayout_place_req, align);
		else if (!pinned && r->start)
			want.field = offsetof(struct memlayout_place_req, start);
		else if (!pinned && r->end)
			want.field = offsetof(struct memlayout_place_req, end);
		else
			wret = 0;
	}
	if (!wret) {
		memset(&want, 0, sizeof(want));
		wret = m->ret;
		if (m->ret) {
			want.rule = e->rule;
			want.list = MEMLAYOUT_LIST_PLACE;
			wp.place_class = e->place_class;
			wp.index = e->index;
			want.index = fp_position(c, e->place_class, e->index);
			if (e->rule == MEMLAYOUT_RULE_TOO_MANY) {
				want.index = e->index;
			} else if (e->rule == MEMLAYOUT_REASON_RESERVED) {
				want.field = offsetof(struct memlayout_place_req,
						      kind);
			} else if (e->rule == MEMLAYOUT_RULE_PINNED_OVERLAP) {
				want.other_list = MEMLAYOUT_LIST_PLACE;
				want.other_index = fp_position(c, e->other_class,
							       e->other_index);
				wp.other_class = e->other_class;
				wp.other_index = e->other_index;
			} else if (e->rule == MEMLAYOUT_RULE_EXHAUSTED) {
				wp.phase = e->phase;
				wp.size = e->size;
				wp.align = e->align;
				wp.free = e->free;
			}
			if (e->rule == MEMLAYOUT_RULE_PLACE_SIZE ||
			    e->rule == MEMLAYOUT_RULE_PLACE_ALIGN) {
				wp.size = c->r[want.index].size;
				wp.align = c->r[want.index].align;
			}
		} else if (fp_last.build_ret) {
			wret = fp_last.build_ret;
			want.rule = fp_last.build_err.rule;
			want.list = fp_last.build_err.list;
			want.index = fp_last.build_err.index;
			want.other_list = fp_last.build_err.other_list;
			want.other_index = fp_last.build_err.other_index;
		}
	}

	l = memlayout_set_place(&s, c->r, c->max_ranges, GFP_KERNEL);
	FP_EXPECT(l, "memlayout_set_place() returned NULL");
	ret = IS_ERR(l) ? (int)PTR_ERR(l) : 0;
	FP_EXPECT(ret == wret && !memcmp(&s.reason, &want, sizeof(want)) &&
		  !memcmp(&s.place_reason, &wp, sizeof(wp)),
		  "memlayout_set_place() = %d, reason {%u %u %u %u %u %u} place {%u %u %u %u %u}; model %d, {%u %u %u %u %u %u} place {%u %u %u %u %u}",
		  ret, s.reason.rule, s.reason.list, s.reason.index,
		  s.reason.other_list, s.reason.other_index, s.reason.field,
		  s.place_reason.place_class, s.place_reason.index,
		  s.place_reason.other_class, s.place_reason.other_index,
		  s.place_reason.phase, wret, want.rule, want.list, want.index,
		  want.other_list, want.other_index, want.field, wp.place_class,
		  wp.index, wp.other_class, wp.other_index, wp.phase);
	if (ret)
		return;
	/* The layout holds the model's placement, for GET_PLACEMENTS. */
	FP_EXPECT(memlayout_nr_placed(l) == m->nr &&
		  !memcmp(l->placement->ranges, m->out,
			  m->nr * sizeof(m->out[0])),
		  "memlayout_set_place()'s layout holds %u placed ranges, model %u",
		  memlayout_nr_placed(l), m->nr);
	memlayout_put(l);
}

static void fp_run(const struct fp_case *c)
{
	static const struct memlayout_place_error none;
	long allocs = ml_shim_live_allocs, live = memlayout_live();
	struct memlayout_placement *p, *p2;
	struct memlayout_place_req *copy;
	struct memlayout_place_error err;
	struct mdl m;
	int ret;
	u32 i;

	mdl_place(c, &m);
	copy = fp_calloc(c->n, sizeof(*copy));
	memcpy(copy, c->r, c->n * sizeof(*copy));

	memset(&err, 0xa5, sizeof(err));
	p = memlayout_place(c->r, c->n, c->max_ranges, GFP_KERNEL, &err);
	FP_EXPECT(p, "memlayout_place() returned NULL");
	FP_EXPECT(!memcmp(copy, c->r, c->n * sizeof(*copy)),
		  "memlayout_place() wrote to its requests");
	ret = IS_ERR(p) ? (int)PTR_ERR(p) : 0;
	if (ret != m.ret) {
		fp_dump_err("engine", ret, &err);
		fp_dump_err("model ", m.ret, &m.err);
		fp_fail("memlayout_place() = %d, model %d", ret, m.ret);
	}
	fp_expect_err(&err, &m.err, ret, m.ret);
	if (m.err.rule && m.err.rule <= MEMLAYOUT_RULE_EXHAUSTED)
		FP_EXPECT(memlayout_rule_errno(m.err.rule) == ret,
			  "rule %u maps to %d, memlayout_place() returned %d",
			  m.err.rule, memlayout_rule_errno(m.err.rule), ret);
	memset(&fp_last, 0, sizeof(fp_last));
	fp_last.ret = ret;
	fp_last.err = err;

	if (!ret) {
		fp_check_placed(p, &m);
		fp_last.nr = p->nr;
		memcpy(fp_last.r, p->ranges,
		       min_t(u32, p->nr, FP_SUMMARY) * sizeof(p->ranges[0]));
		/* Determinism: the same requests, the same placement. */
		p2 = memlayout_place(c->r, c->n, c->max_ranges, GFP_KERNEL,
				     &err);
		FP_EXPECT(!IS_ERR_OR_NULL(p2) && p2->nr == p->nr &&
			  !memcmp(p2->ranges, p->ranges,
				  p->nr * sizeof(p->ranges[0])),
			  "a second memlayout_place() of the same requests differs");
		fp_check_build(p, p2, &m, c->max_ranges);
		kvfree(p);
	}
	fp_check_iface(c, &m);
	FP_EXPECT(ml_shim_live_allocs == allocs && memlayout_live() == live,
		  "%ld allocations, %ld layouts left over",
		  ml_shim_live_allocs - allocs, memlayout_live() - live);

	/* A failing allocation: -ENOMEM, an empty report, nothing kept. */
	if (m.err.rule != MEMLAYOUT_REASON_FLAGS &&
	    m.err.rule != MEMLAYOUT_RULE_TOO_MANY) {
		ml_shim_fail_allocs = 1;
		memset(&err, 0xa5, sizeof(err));
		p = memlayout_place(c->r, c->n, c->max_ranges, GFP_KERNEL,
				    &err);
		FP_EXPECT(!ml_shim_fail_allocs,
			  "memlayout_place() allocated nothing");
		ml_shim_fail_allocs = 0;
		FP_EXPECT(IS_ERR(p) && PTR_ERR(p) == -ENOMEM,
			  "memlayout_place() with a failing allocation = %ld",
			  IS_ERR(p) ? PTR_ERR(p) : 0L);
		fp_expect_err(&err, &none, -ENOMEM, -ENOMEM);
		FP_EXPECT(ml_shim_live_allocs == allocs,
			  "a failed allocation left %ld allocations",
			  ml_shim_live_allocs - allocs);
	}
	for (i = 0; i < c->n; i++)
		FP_EXPECT(!memcmp(&copy[i], &c->r[i], sizeof(copy[i])),
			  "request %u changed", i);
	free(copy);
	mdl_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fp_case c;

	fp_decode(data, size, &c);
	fp_cur = &c;
	fp_run(&c);
	fp_cur = NULL;
	free(c.r);
	return 0;
}

#ifdef FZ_PLACE_REPLAY
/* ------------------------------------------------------------------ */
/* Replay with expectations                                            */
/* ------------------------------------------------------------------ */
#include "fz_replay.h"

static const char *fp_expect_file;

static int fp_name(const char * const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

static const char * const fp_classes[] = { "none", "reserved", "fixed",
	"mmio32", "ram", "mmio64", "post" };

/* "CLASS/INDEX" -> class, index; false on a malformed token. */
static bool fp_class_index(const char *s, u32 *class, u32 *index)
{
	char buf[32], *slash;
	int c;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash)
		return false;
	*slash = 0;
	c = fp_name(fp_classes, ARRAY_SIZE(fp_classes), buf);
	if (c < 0)
		return false;
	*class = c;
	*index = strtoul(slash + 1, NULL, 0);
	return true;
}

static int fp_errno(const char *s)
{
	static const char * const e[] = { "0", "EINVAL", "EEXIST", "ENOSPC",
		"E2BIG", "EOPNOTSUPP" };
	static const int v[] = { 0, -EINVAL, -EEXIST, -ENOSPC, -E2BIG,
		-EOPNOTSUPP };
	int i = fp_name(e, ARRAY_SIZE(e), s);

	return i < 0 ? 1 : v[i];
}

static u32 fp_rule(const char *s)
{
	static const char * const r[] = { "NONE", "R1", "R2", "R3", "R4", "R5",
		"R6", "R7", "R8", "P1", "P2", "P3", "P4" };
	int i = fp_name(r, ARRAY_SIZE(r), s);

	if (!strcmp(s, "FLAGS"))
		return MEMLAYOUT_REASON_FLAGS;
	if (!strcmp(s, "KIND"))
		return MEMLAYOUT_REASON_RESERVED;
	return i < 0 ? 999 : i;
}

/*
 * Check fp_last against the expectation line of @name:
 * errno=E rule=R [class=C index=N other=C/N phase=C size= align= free=]
 * [placed=START-END:C/N,...] [n=N] [build=0|RULE]. Error fields not named
 * are expected 0; a successful placement must name n= or placed=.
 */
static int fp_check_expect(const char *name)
{
	struct memlayout_place_error want = { 0 };
	char line[16384], *tok, *save, *v;
	int want_ret = 1, build = 0, bad = 0, found = 0;
	long want_nr = -1;
	FILE *f = fopen(fp_expect_file, "r");
	u32 c, i;

	if (!f) {
		perror(fp_expect_file);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		tok = strtok_r(line, " \t\n", &save);
		if (tok && *tok != '#' && !strcmp(tok, name)) {
			found = 1;
			break;
		}
	}
	fclose(f);
	if (!found) {
		fprintf(stderr, "FAIL %s: no expectation\n", name);
		return 1;
	}
	while ((tok = strtok_r(NULL, " \t\n", &save))) {
		v = strchr(tok, '=');
		if (!v) {
			fprintf(stderr, "FAIL %s: bad token %s\n", name, tok);
			return 1;
		}
		*v++ = 0;
		if (!strcmp(tok, "errno")) {
			want_ret = fp_errno(v);
		} else if (!strcmp(tok, "rule")) {
			want.rule = fp_rule(v);
		} else if (!strcmp(tok, "class")) {
			want.place_class = fp_name(fp_classes, ARRAY_SIZE(fp_classes), v);
		} else if (!strcmp(tok, "index")) {
			want.index = strtoul(v, NULL, 0);
		} else if (!strcmp(tok, "other")) {
			bad |= !fp_class_index(v, &want.other_class,
					       &want.other_index);
		} else if (!strcmp(tok, "phase")) {
			want.phase = fp_name(fp_classes, ARRAY_SIZE(fp_classes), v);
		} else if (!strcmp(tok, "size")) {
			want.size = strtoull(v, NULL, 0);
		} else if (!strcmp(tok, "align")) {
			want.align = strtoull(v, NULL, 0);
		} else if (!strcmp(tok, "free")) {
			want.free = strtoull(v, NULL, 0);
		} else if (!strcmp(tok, "n")) {
			want_nr = strtol(v, NULL, 0);
		} else if (!strcmp(tok, "build")) {
			build = strcmp(v, "0") ? (int)fp_rule(v) : 0;
		} else if (!strcmp(tok, "placed")) {
			char *r, *s2;

			for (i = 0, r = strtok_r(v, ",", &s2); r;
			     r = strtok_r(NULL, ",", &s2), i++) {
				char *dash = strchr(r, '-'), *colon = strchr(r, ':');
				u32 idx;

				if (!dash || !colon ||
				    !fp_class_index(colon + 1, &c, &idx)) {
					bad = 1;
					break;
				}
				if (i >= fp_last.nr || i >= FP_SUMMARY ||
				    fp_last.r[i].start != strtoull(r, NULL, 0) ||
				    fp_last.r[i].end != strtoull(dash + 1, NULL, 0) ||
				    fp_last.r[i].place_class != c ||
				    fp_last.r[i].index != idx) {
					fprintf(stderr, "FAIL %s: placed range %u is not %s\n",
						name, i, r);
					return 1;
				}
			}
			want_nr = i;
		} else {
			bad = 1;
		}
	}
	if (bad || want_ret == 1) {
		fprintf(stderr, "FAIL %s: malformed expectation\n", name);
		return 1;
	}
	if (fp_last.ret != want_ret ||
	    memcmp(&fp_last.err, &want, sizeof(want))) {
		fprintf(stderr, "FAIL %s: expected errno %d rule %u\n", name,
			want_ret, want.rule);
		fp_dump_err("got ", fp_last.ret, &fp_last.err);
		fp_dump_err("want", want_ret, &want);
		return 1;
	}
	if (want_ret)
		return 0;
	if (want_nr < 0 || fp_last.nr != want_nr) {
		fprintf(stderr, "FAIL %s: %u placed ranges, expected %ld\n",
			name, fp_last.nr, want_nr);
		return 1;
	}
	if ((u32)build != fp_last.build_err.rule ||
	    (!build && fp_last.build_ret)) {
		fprintf(stderr, "FAIL %s: build_placed() %d rule %u, expected rule %d\n",
			name, fp_last.build_ret, fp_last.build_err.rule, build);
		return 1;
	}
	return 0;
}

static int fp_replay_one(const char *path)
{
	const char *base = strrchr(path, '/');
	static u8 buf[1 << 20];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	if (!fp_expect_file)
		return 0;
	return fp_check_expect(base ? base + 1 : path);
}

/*
 * replay [-e EXPECT] FILE...: each file in a child; prints
 * "replay: N files, P passed, F failed".
 */
int main(int argc, char **argv)
{
	return fz_replay_main(argc, argv, &fp_expect_file, fp_replay_one);
}
#endif /* FZ_PLACE_REPLAY */
