// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzz target for memlayout_core.c.
 *
 * Each input is decoded into a memlayout_request (any constructor, all
 * three hole lists, optional VTL2, odd max_ranges and module parameter
 * values, NULL arrays, huge lists), built by the real core and by a naive
 * model of SPEC written here, and the two are compared: errno and the whole
 * error report, every range of every list, every query (Q2-Q8), the
 * address-order walk and probes, single and batched. Any disagreement
 * aborts with a description of the request.
 *
 * The model is deliberately simple and shares no code or algorithm with
 * the core where it can avoid it: free space is found by counting how
 * many holes cover each piece between hole edges; overlaps by testing all
 * pairs; statistics range by range; probes by scanning every range.
 * Where SPEC leaves a choice open, Documentation/memlayout.rst decides
 * (check order and error fields).
 *
 * The input format is described in fuzz/README.md; fuzz/gen_corpus.py
 * writes inputs in it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/memlayout.h>
#include <crypto/sha2.h>

#include "fuzz_core.h"
#include "fuzz_input.h"

#define LIMIT		MEMLAYOUT_MAX_RANGES_LIMIT
#define DEF_LIMIT	MEMLAYOUT_DEFAULT_MAX_RANGES

/* Range lists are indexed by MEMLAYOUT_LIST_RAM..MEMLAYOUT_LIST_PCI_MMIO. */
#define L_RAM		MEMLAYOUT_LIST_RAM
#define L_LAST		MEMLAYOUT_LIST_PCI_MMIO
#define NLISTS		(L_LAST + 1)

/* Explicit ranges (or nodes) per list: a count byte modulo this. */
#define FZ_COUNT_MOD	20
/* A pattern adds at most this many ranges, or LIMIT + 1 given this magic. */
#define FZ_PATTERN_MAX	4200
#define FZ_PATTERN_HUGE	0xa5c3
/* Addresses probed at most for the range edges of a big layout. */
#define FZ_EDGE_RANGES	256

/* The core's module parameter (see lib/shim/linux/moduleparam.h). */
extern const struct kernel_param __param_max_ranges;

struct fz_summary fz_last;

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */


struct fz_list {
	struct memlayout_range *r;
	u32 nr;
	bool null;
};

/**
 * struct fz_case - one decoded input
 * @source: req.source, possibly not a valid one.
 * @max_ranges: req.max_ranges.
 * @set_param: set the max_ranges module parameter to @param first.
 * @param: module parameter value.
 * @release_put: release with memlayout_put() rather than memlayout_free().
 * @ram_size: req.ram_size.
 * @nodes: node sizes.
 * @nr_nodes: req.nr_nodes.
 * @nodes_null: pass a NULL node_sizes.
 * @list: the RAM and hole lists (RAM is read by C3 only).
 * @has_vtl2: pass @vtl2.
 * @vtl2: the VTL2 range.
 * @addrs: extra addresses to probe.
 * @nr_addrs: number of @addrs.
 */
struct fz_case {
	u32 source;
	u32 max_ranges;
	bool set_param;
	u32 param;
	bool release_put;
	u64 ram_size;
	u64 *nodes;
	u32 nr_nodes;
	bool nodes_null;
	struct fz_list list[NLISTS];
	bool has_vtl2;
	struct memlayout_range vtl2;
	u64 *addrs;
	u32 nr_addrs;
};

/* Header bits (the first byte). */
#define FZ_H_SOURCE	0x03	/* 0: odd source byte follows, else C1..C3 */
#define FZ_H_VTL2	0x04
#define FZ_H_MAX	0x08	/* max_ranges byte follows */
#define FZ_H_PARAM	0x10	/* module parameter byte follows */
#define FZ_H_NULL	0x20	/* NULL-array mask byte follows */
#define FZ_H_PUT	0x40	/* release with memlayout_put() */
#define FZ_H_PATTERN	0x80	/* pattern section follows the explicit lists */

static const u32 fz_max_table[16] = {
	1, 2, 3, 4095, 4096, 4097, FZ_PATTERN_MAX, LIMIT - 1, LIMIT, LIMIT + 1,
	U32_MAX, 0x80000000U, 8191, 100000, 5, 0,
};

static const u32 fz_param_table[16] = {
	4096, 4095, 4097, LIMIT, 1, 2, 3, FZ_PATTERN_MAX, 8192, LIMIT - 1,
	100, 17, 18, 19, 20, 4096,
};

static void *fz_alloc(size_t n, size_t size)
{
	/* malloc(0) gives a unique pointer ASan lets nobody read through. */
	void *p = malloc(n * size);

	if (!p && n) {
		fprintf(stderr, "fuzz_core: out of memory\n");
		abort();
	}
	return p;
}

static void fz_range(struct fz_in *in, struct memlayout_range *r, u64 base)
{
	u8 x;

	r->start = rdval(in, base);
	r->end = rdval(in, r->start);
	x = rd8(in);
	r->vnode = x == 0xff ? U32_MAX : x;
	r->reserved = x & 0x80 ? 0xa5a5a5a5 : 0;
}

/* A pattern: @k ranges start + i * stride, each @len long. */
struct fz_pattern {
	u32 k;
	u64 start;
	u64 stride;
	u64 len;
	u32 vnode;
};

/*
 * A pattern byte e: bit 0 clear, no pattern; bit 1 clear, e >> 2 ranges;
 * bit 1 set, a 16-bit count follows: below 256 or one of fz_pattern_big
 * as is, FZ_PATTERN_HUGE for LIMIT + 1 (always too many), anything else
 * modulo 64. Big counts cost the quadratic model dearly, so a mutated
 * count is almost never one (the magic is not a value mutators like).
 */
static const u32 fz_pattern_big[] = { 1365, 1366, 4095, 4096, 4097, FZ_PATTERN_MAX };

static void fz_read_pattern(struct fz_in *in, struct fz_pattern *p, u64 base)
{
	u8 e = rd8(in);
	u32 i;

	memset(p, 0, sizeof(*p));
	if (!(e & 1))
		return;
	if (e & 2) {
		p->k = rdle(in, 2);
		if (p->k == FZ_PATTERN_HUGE) {
			p->k = LIMIT + 1;
		} else if (p->k >= 256) {
			for (i = 0; i < ARRAY_SIZE(fz_pattern_big); i++)
				if (p->k == fz_pattern_big[i])
					break;
			if (i == ARRAY_SIZE(fz_pattern_big))
				p->k %= 64;
		}
	} else {
		p->k = e >> 2;
	}
	p->start = rdval(in, base);
	p->stride = rdval(in, 0);
	p->len = rdval(in, 0);
	p->vnode = rd8(in);
}

/**
 * fz_decode() - turn input bytes into a case
 * @data: the input.
 * @size: its length.
 * @c: receives the case, to be released with fz_case_free().
 *
 * header, [source byte], [max_ranges byte], [param byte], [NULL mask],
 * five count bytes (ram, mmio, pci_ecam, pci_mmio, nodes), ram_size,
 * node sizes, the ranges of the four lists, [VTL2], [patterns], then the
 * number of extra probe addresses and the addresses. A missing byte is 0.
 */
static void fz_decode(const u8 *data, size_t size, struct fz_case *c)
{
	struct memlayout_range tmp[NLISTS][FZ_COUNT_MOD];
	struct fz_pattern pat[NLISTS + 1];
	struct fz_in in = { .p = data, .n = size };
	u32 nr[NLISTS + 1], list, i, k, n;
	u64 sizes[FZ_COUNT_MOD];
	u64 base, top = 0;
	u8 h, b, mask = 0;

	memset(c, 0, sizeof(*c));
	memset(pat, 0, sizeof(pat));
	h = rd8(&in);
	if (h & FZ_H_SOURCE) {
		c->source = h & FZ_H_SOURCE;	/* MEMLAYOUT_FROM_* */
	} else {
		b = rd8(&in);
		c->source = b == 0 ? 0 : b == 1 ? U32_MAX : b + 2U;
	}
	c->has_vtl2 = h & FZ_H_VTL2;
	if (h & FZ_H_MAX) {
		b = rd8(&in);
		c->max_ranges = b < 0xf0 ? b % 17 : fz_max_table[b - 0xf0];
	}
	if (h & FZ_H_PARAM) {
		b = rd8(&in);
		c->set_param = true;
		c->param = b < 0xf0 ? b % 16 + 1U : fz_param_table[b - 0xf0];
	}
	if (h & FZ_H_NULL)
		mask = rd8(&in);
	c->release_put = h & FZ_H_PUT;

	for (list = L_RAM; list <= L_LAST + 1; list++)
		nr[list] = rd8(&in) % FZ_COUNT_MOD;

	c->ram_size = rdval(&in, 0);
	for (i = 0; i < nr[NLISTS]; i++)
		sizes[i] = rdval(&in, 0);
	for (list = L_RAM; list <= L_LAST; list++) {
		base = 0;
		for (i = 0; i < nr[list]; i++) {
			fz_range(&in, &tmp[list][i], base);
			base = tmp[list][i].end;
			if (base > top)
				top = base;
		}
	}
	if (c->has_vtl2)
		fz_range(&in, &c->vtl2, top);
	if (h & FZ_H_PATTERN) {
		for (list = L_RAM; list <= L_LAST + 1; list++)
			fz_read_pattern(&in, &pat[list],
					list <= L_LAST && nr[list] ?
					tmp[list][nr[list] - 1].end : 0);
	}

	for (list = L_RAM; list <= L_LAST; list++) {
		struct fz_list *l = &c->list[list];

		l->nr = nr[list] + pat[list].k;
		l->null = mask & (1U << (list - L_RAM));
		l->r = fz_alloc(l->nr, sizeof(*l->r));
		memcpy(l->r, tmp[list], nr[list] * sizeof(*l->r));
		for (k = 0; k < pat[list].k; k++) {
			struct memlayout_range *r = &l->r[nr[list] + k];

			r->start = pat[list].start + k * pat[list].stride;
			r->end = r->start + pat[list].len;
			r->vnode = pat[list].vnode;
			r->reserved = 0;
		}
	}
	c->nr_nodes = nr[NLISTS] + pat[NLISTS].k;
	c->nodes_null = mask & 0x10;
	c->nodes = fz_alloc(c->nr_nodes, sizeof(*c->nodes));
	memcpy(c->nodes, sizes, nr[NLISTS] * sizeof(*c->nodes));
	for (k = 0; k < pat[NLISTS].k; k++)
		c->nodes[nr[NLISTS] + k] = pat[NLISTS].start;

	n = rd8(&in) % 33;
	c->addrs = fz_alloc(n, sizeof(*c->addrs));
	base = 0;
	for (i = 0; i < n; i++) {
		c->addrs[i] = rdval(&in, base);
		base = c->addrs[i];
	}
	c->nr_addrs = n;
}

static void fz_case_free(struct fz_case *c)
{
	u32 list;

	for (list = L_RAM; list <= L_LAST; list++)
		free(c->list[list].r);
	free(c->nodes);
	free(c->addrs);
}

static bool fz_is_c1(const struct fz_case *c)
{
	return c->source == MEMLAYOUT_FROM_SIZE;
}

static bool fz_is_c2(const struct fz_case *c)
{
	return c->source == MEMLAYOUT_FROM_NODES;
}

static bool fz_is_c3(const struct fz_case *c)
{
	return c->source == MEMLAYOUT_FROM_RANGES;
}

static void fz_request(const struct fz_case *c, struct memlayout_request *req)
{
	const struct fz_list *l = c->list;

	memset(req, 0, sizeof(*req));
	req->source = c->source;
	req->max_ranges = c->max_ranges;
	req->ram_size = c->ram_size;
	req->node_sizes = c->nodes_null ? NULL : c->nodes;
	req->nr_nodes = c->nr_nodes;
	req->ram = l[MEMLAYOUT_LIST_RAM].null ? NULL : l[MEMLAYOUT_LIST_RAM].r;
	req->nr_ram = l[MEMLAYOUT_LIST_RAM].nr;
	req->mmio = l[MEMLAYOUT_LIST_MMIO].null ? NULL : l[MEMLAYOUT_LIST_MMIO].r;
	req->nr_mmio = l[MEMLAYOUT_LIST_MMIO].nr;
	req->pci_ecam = l[MEMLAYOUT_LIST_PCI_ECAM].null ? NULL :
			l[MEMLAYOUT_LIST_PCI_ECAM].r;
	req->nr_pci_ecam = l[MEMLAYOUT_LIST_PCI_ECAM].nr;
	req->pci_mmio = l[MEMLAYOUT_LIST_PCI_MMIO].null ? NULL :
			l[MEMLAYOUT_LIST_PCI_MMIO].r;
	req->nr_pci_mmio = l[MEMLAYOUT_LIST_PCI_MMIO].nr;
	req->vtl2 = c->has_vtl2 ? &c->vtl2 : NULL;
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

static const char * const fz_list_str[] = {
	"none", "ram", "mmio", "pci_ecam", "pci_mmio", "vtl2", "nodes",
};

static const char *fz_lname(u32 list)
{
	return list < 7 ? fz_list_str[list] : "?";
}

static void fz_dump_ranges(const char *name, const struct fz_list *l)
{
	u32 i;

	fprintf(stderr, "  %s: %u ranges%s\n", name, l->nr,
		l->null ? " (NULL array)" : "");
	for (i = 0; i < l->nr && i < 24; i++)
		fprintf(stderr, "    [%u] [%#llx, %#llx) vnode %u\n", i,
			l->r[i].start, l->r[i].end, l->r[i].vnode);
	if (l->nr > 24)
		fprintf(stderr, "    ...\n");
}

static void fz_dump(const struct fz_case *c)
{
	u32 i, list;

	fprintf(stderr, "request: source %u max_ranges %u module max_ranges %u\n",
		c->source, c->max_ranges, c->set_param ? c->param : DEF_LIMIT);
	fprintf(stderr, "  ram_size %#llx\n", c->ram_size);
	fprintf(stderr, "  nodes: %u%s", c->nr_nodes,
		c->nodes_null ? " (NULL array)" : "");
	for (i = 0; i < c->nr_nodes && i < 24; i++)
		fprintf(stderr, " %#llx", c->nodes[i]);
	fprintf(stderr, "\n");
	for (list = L_RAM; list <= L_LAST; list++)
		fz_dump_ranges(fz_lname(list), &c->list[list]);
	if (c->has_vtl2)
		fprintf(stderr, "  vtl2: [%#llx, %#llx)\n",
			c->vtl2.start, c->vtl2.end);
}

static const struct fz_case *fz_cur;

static void __attribute__((noreturn, format(printf, 1, 2)))
fz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nmemlayout fuzz: MISMATCH: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (fz_cur)
		fz_dump(fz_cur);
	abort();
}

#define FZ_EXPECT(cond, ...) do {					\
	if (!(cond))							\
		fz_fail(__VA_ARGS__);					\
} while (0)

/* ------------------------------------------------------------------ */
/* Known deviations                                                    */
/* ------------------------------------------------------------------ */

/*
 * Places where the core is known to disagree with its documentation. The
 * model follows the documentation, so each is a mismatch unless named in
 * the environment variable ML_FUZZ_ALLOW (comma separated), in which case
 * the model copies the core's behaviour there and fuzzing can go on to
 * look for other bugs. See fuzz/README.md.
 *
 * FZ_DEV_NULL_NODES ("null-nodes"): C2 with node_sizes == NULL and
 * nr_nodes > 0 is "a count with a NULL array", documented as -EINVAL with
 * rule NONE; the core reports R1 (list NODES, index 0).
 */
enum {
	FZ_DEV_NULL_NODES,
	FZ_NR_DEVS,
};

static const char * const fz_dev_names[FZ_NR_DEVS] = {
	[FZ_DEV_NULL_NODES] = "null-nodes",
};

static bool fz_allow[FZ_NR_DEVS];

static void fz_read_allow(void)
{
	const char *env = getenv("ML_FUZZ_ALLOW");
	int i;

	for (i = 0; env && i < FZ_NR_DEVS; i++)
		fz_allow[i] = strstr(env, fz_dev_names[i]);
}

static bool fz_allowed(int dev)
{
	return fz_allow[dev];
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

struct mdl_item {
	u64 start;
	u64 end;
	u32 vnode;
	u32 list;
	u32 index;
};

/**
 * struct mdl - what SPEC says a request gives
 * @ret: 0 or the negative errno.
 * @err: the error report.
 * @items: RAM (placed or given) then the holes, each list in its order.
 * @nr_items: number of @items.
 * @first: index in @items of each list's first range.
 * @count: ranges per list.
 * @sorted: @items sorted by address (then list), for R4 and the walk.
 * @has_vtl2: the layout has VTL2.
 * @ram_size: Q2.
 * @end_of_ram: Q3.
 * @below: Q4.
 * @above: Q5.
 * @has_max4g: Q6 present.
 * @max4g: Q6.
 * @has_high: Q7 present.
 * @high: Q7.
 * @eol: Q8.
 */
struct mdl {
	int ret;
	struct memlayout_error err;
	struct mdl_item *items;
	u32 nr_items;
	u32 first[NLISTS];
	u32 count[NLISTS];
	struct mdl_item *sorted;
	bool has_vtl2;
	u64 ram_size;
	u64 end_of_ram;
	u64 below;
	u64 above;
	bool has_max4g;
	u64 max4g;
	bool has_high;
	u64 high;
	u64 eol;
};

/* The errno of each rule, from the table in Documentation/memlayout.rst. */
static int mdl_errno(u32 rule)
{
	switch (rule) {
	case MEMLAYOUT_RULE_BAD_SIZE:
	case MEMLAYOUT_RULE_BAD_RANGE:
	case MEMLAYOUT_RULE_BAD_ORDER:
	case MEMLAYOUT_RULE_NO_RAM:
	case MEMLAYOUT_RULE_VTL2_BELOW_RAM:
		return -EINVAL;
	case MEMLAYOUT_RULE_OVERLAP:
		return -EEXIST;
	case MEMLAYOUT_RULE_TOO_LARGE:
		return -EOVERFLOW;
	case MEMLAYOUT_RULE_TOO_MANY:
		return -E2BIG;
	default:
		return 0;
	}
}

static void mdl_reject(struct mdl *m, u32 rule, u32 list, u32 index,
		       u32 other_list, u32 other_index)
{
	m->ret = mdl_errno(rule);
	m->err.rule = rule;
	m->err.list = list;
	m->err.index = index;
	m->err.other_list = other_list;
	m->err.other_index = other_index;
}

/* -EINVAL with rule NONE: a malformed request. */
static void mdl_malformed(struct mdl *m)
{
	m->ret = -EINVAL;
	memset(&m->err, 0, sizeof(m->err));
}

/* The lists a request uses: RAM only for C3. */
static u32 mdl_nr(const struct fz_case *c, u32 list)
{
	if (list == MEMLAYOUT_LIST_RAM && !fz_is_c3(c))
		return 0;
	return c->list[list].nr;
}

/* SPEC R2 for one range, spelled out. */
static bool mdl_range_ok(const struct memlayout_range *r)
{
	if (r->end <= r->start)
		return false;		/* empty or reversed */
	if (r->start % PAGE || r->end % PAGE)
		return false;		/* unaligned */
	return r->end <= MAXA;
}

static bool mdl_overlap(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 < e2 && s2 < e1;
}

static int mdl_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Address order; equal starts: lower list id first (documented R4 order). */
static int mdl_cmp_item(const void *a, const void *b)
{
	const struct mdl_item *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* A hole edge: where the number of holes covering an address changes. */
struct mdl_edge {
	u64 at;
	int delta;
};

static int mdl_cmp_edge(const void *a, const void *b)
{
	return mdl_cmp_u64(&((const struct mdl_edge *)a)->at,
			   &((const struct mdl_edge *)b)->at);
}

/*
 * The free space of [0, MAX_ADDRESS) for C1/C2: walk the hole edges in
 * address order counting how many holes cover the piece since the last
 * edge; a piece no hole covers is free. Returns the number of chunks in
 * @chunks (pairs start, end).
 */
static u32 mdl_free_chunks(const struct fz_case *c, u64 **chunks)
{
	u32 list, i, n = 0, nc = 0, total = 0;
	struct mdl_edge *e;
	u64 pos = 0, *out;
	long depth = 0;

	for (list = MEMLAYOUT_LIST_MMIO; list <= L_LAST; list++)
		total += 2 * c->list[list].nr;
	e = fz_alloc(total, sizeof(*e));
	for (list = MEMLAYOUT_LIST_MMIO; list <= L_LAST; list++) {
		for (i = 0; i < c->list[list].nr; i++) {
			e[n].at = c->list[list].r[i].start;
			e[n++].delta = 1;
			e[n].at = c->list[list].r[i].end;
			e[n++].delta = -1;
		}
	}
	qsort(e, n, sizeof(*e), mdl_cmp_edge);
	out = fz_alloc(n + 2, sizeof(*out));
	for (i = 0; i <= n; i++) {
		u64 at = i < n ? e[i].at : MAXA;

		if (at > pos && !depth) {
			out[2 * nc] = pos;
			out[2 * nc + 1] = at;
			nc++;
		}
		if (i < n)
			depth += e[i].delta;
		pos = at;
	}
	free(e);
	*chunks = out;
	return nc;
}

static void mdl_add(struct mdl *m, u64 start, u64 end, u32 vnode, u32 list)
{
	struct mdl_item *it = &m->items[m->nr_items++];

	it->start = start;
	it->end = end;
	it->vnode = list == MEMLAYOUT_LIST_RAM ? vnode : 0;
	it->list = list;
	it->index = m->count[list]++;
}

/*
 * C1/C2: R6, then the RAM ranges. Node sizes are summed in 128 bits so
 * nothing wraps. Returns false if the request was rejected.
 */
static bool mdl_place(const struct fz_case *c, struct mdl *m)
{
	u32 nodes = fz_is_c1(c) ? 1 : c->nr_nodes, node, i, nc;
	unsigned __int128 sum = 0;
	u64 *chunk, free_bytes = 0, left, pos;

	nc = mdl_free_chunks(c, &chunk);
	for (i = 0; i < nc; i++)
		free_bytes += chunk[2 * i + 1] - chunk[2 * i];
	for (node = 0; node < nodes; node++) {
		sum += fz_is_c1(c) ? c->ram_size : c->nodes[node];
		if (sum > free_bytes) {
			free(chunk);
			if (fz_is_c1(c))
				mdl_reject(m, MEMLAYOUT_RULE_TOO_LARGE,
					   MEMLAYOUT_LIST_NONE, 0, 0, 0);
			else
				mdl_reject(m, MEMLAYOUT_RULE_TOO_LARGE,
					   MEMLAYOUT_LIST_NODES, node, 0, 0);
			return false;
		}
	}

	/* Everything fits: fill the chunks in address order, node by node. */
	node = 0;
	left = fz_is_c1(c) ? c->ram_size : c->nodes[0];
	for (i = 0; i < nc && node < nodes; i++) {
		pos = chunk[2 * i];
		while (pos < chunk[2 * i + 1] && node < nodes) {
			u64 room = chunk[2 * i + 1] - pos;
			u64 take = left < room ? left : room;

			mdl_add(m, pos, pos + take, fz_is_c1(c) ? 0 : node,
				MEMLAYOUT_LIST_RAM);
			pos += take;
			left -= take;
			if (!left && ++node < nodes)
				left = c->nodes[node];
		}
	}
	free(chunk);
	return true;
}

/*
 * Run the model on @c. On return @m->ret says the verdict; @m->items and
 * the statistics are valid when it is 0.
 */
static void mdl_build(const struct fz_case *c, u32 param, struct mdl *m)
{
	u32 limit = c->max_ranges ? c->max_ranges : param;
	u32 list, i, j, total = 0;
	const struct mdl_item *v2 = NULL;

	memset(m, 0, sizeof(m[0]));
	if (limit > LIMIT)
		limit = LIMIT;

	/* 1. R8: ram (C3), mmio, pci_ecam, pci_mmio, then nodes (C2). */
	for (list = L_RAM; list <= L_LAST; list++) {
		if (mdl_nr(c, list) > limit) {
			mdl_reject(m, MEMLAYOUT_RULE_TOO_MANY, list, limit, 0, 0);
			return;
		}
	}
	if (fz_is_c2(c) && c->nr_nodes > limit) {
		mdl_reject(m, MEMLAYOUT_RULE_TOO_MANY, MEMLAYOUT_LIST_NODES,
			   limit, 0, 0);
		return;
	}

	/* Malformed: a count with a NULL array, an unknown source. */
	for (list = L_RAM; list <= L_LAST; list++) {
		if (mdl_nr(c, list) && c->list[list].null) {
			mdl_malformed(m);
			return;
		}
	}
	if (fz_is_c2(c) && c->nr_nodes && c->nodes_null &&
	    !fz_allowed(FZ_DEV_NULL_NODES)) {
		mdl_malformed(m);
		return;
	}
	if (!fz_is_c1(c) && !fz_is_c2(c) && !fz_is_c3(c)) {
		mdl_malformed(m);
		return;
	}

	/* 2. R1 */
	if (fz_is_c1(c) && (!c->ram_size || c->ram_size % PAGE)) {
		mdl_reject(m, MEMLAYOUT_RULE_BAD_SIZE, MEMLAYOUT_LIST_NONE, 0, 0, 0);
		return;
	}
	if (fz_is_c2(c)) {
		if (!c->nr_nodes || c->nodes_null) {	/* see FZ_DEV_NULL_NODES */
			mdl_reject(m, MEMLAYOUT_RULE_BAD_SIZE,
				   MEMLAYOUT_LIST_NODES, 0, 0, 0);
			return;
		}
		for (i = 0; i < c->nr_nodes; i++) {
			if (!c->nodes[i] || c->nodes[i] % PAGE) {
				mdl_reject(m, MEMLAYOUT_RULE_BAD_SIZE,
					   MEMLAYOUT_LIST_NODES, i, 0, 0);
				return;
			}
		}
	}

	/* 3. R2: every list by ascending index, then VTL2. */
	for (list = L_RAM; list <= L_LAST; list++) {
		for (i = 0; i < mdl_nr(c, list); i++) {
			if (!mdl_range_ok(&c->list[list].r[i])) {
				mdl_reject(m, MEMLAYOUT_RULE_BAD_RANGE, list, i, 0, 0);
				return;
			}
		}
	}
	if (c->has_vtl2 && !mdl_range_ok(&c->vtl2)) {
		mdl_reject(m, MEMLAYOUT_RULE_BAD_RANGE, MEMLAYOUT_LIST_VTL2, 0, 0, 0);
		return;
	}

	/*
	 * 4. R3: a range that starts before some earlier range of its list
	 * or overlaps one.
	 */
	for (list = L_RAM; list <= L_LAST; list++) {
		const struct memlayout_range *r = c->list[list].r;

		for (i = 1; i < mdl_nr(c, list); i++) {
			for (j = 0; j < i; j++) {
				if (r[j].start > r[i].start ||
				    mdl_overlap(r[j].start, r[j].end, r[i].start, r[i].end)) {
					mdl_reject(m, MEMLAYOUT_RULE_BAD_ORDER,
						   list, i, 0, 0);
					return;
				}
			}
		}
	}

	/* Room for RAM (placed: at most one range per free chunk and node). */
	for (list = L_RAM; list <= L_LAST; list++)
		total += 2 * mdl_nr(c, list);
	total += 2 + (fz_is_c2(c) ? c->nr_nodes : 1);
	m->items = fz_alloc(total, sizeof(*m->items));

	/* 5. R6 while placing; C3 takes its RAM as given. */
	if (fz_is_c3(c)) {
		const struct fz_list *l = &c->list[MEMLAYOUT_LIST_RAM];

		for (i = 0; i < l->nr; i++)
			mdl_add(m, l->r[i].start, l->r[i].end, l->r[i].vnode,
				MEMLAYOUT_LIST_RAM);
	} else if (!mdl_place(c, m)) {
		return;
	}
	for (list = MEMLAYOUT_LIST_MMIO; list <= L_LAST; list++) {
		m->first[list] = m->nr_items;
		for (i = 0; i < c->list[list].nr; i++)
			mdl_add(m, c->list[list].r[i].start, c->list[list].r[i].end,
				0, list);
	}

	/* 6. R4: the first range (in address order) overlapping an earlier one. */
	m->sorted = fz_alloc(m->nr_items, sizeof(*m->sorted));
	memcpy(m->sorted, m->items, m->nr_items * sizeof(*m->sorted));
	qsort(m->sorted, m->nr_items, sizeof(*m->sorted), mdl_cmp_item);
	for (i = 1; i < m->nr_items; i++) {
		const struct mdl_item *b = &m->sorted[i];

		for (j = 0; j < i; j++) {
			const struct mdl_item *a = &m->sorted[j];

			if (mdl_overlap(a->start, a->end, b->start, b->end)) {
				mdl_reject(m, MEMLAYOUT_RULE_OVERLAP, a->list,
					   a->index, b->list, b->index);
				return;
			}
		}
	}
	/* ... then VTL2 against the lowest range it overlaps. */
	if (c->has_vtl2) {
		for (i = 0; i < m->nr_items; i++) {
			const struct mdl_item *a = &m->items[i];

			if (mdl_overlap(a->start, a->end, c->vtl2.start, c->vtl2.end) &&
			    (!v2 || a->start < v2->start))
				v2 = a;
		}
		if (v2 && v2->start <= c->vtl2.start) {
			mdl_reject(m, MEMLAYOUT_RULE_OVERLAP, v2->list, v2->index,
				   MEMLAYOUT_LIST_VTL2, 0);
			return;
		}
		if (v2) {
			mdl_reject(m, MEMLAYOUT_RULE_OVERLAP, MEMLAYOUT_LIST_VTL2, 0,
				   v2->list, v2->index);
			return;
		}
	}

	/* 7. R5 */
	if (!m->count[MEMLAYOUT_LIST_RAM]) {
		mdl_reject(m, MEMLAYOUT_RULE_NO_RAM, MEMLAYOUT_LIST_RAM, 0, 0, 0);
		return;
	}

	/* Statistics, range by range. */
	for (i = 0; i < m->nr_items; i++) {
		const struct mdl_item *a = &m->items[i];
		u64 lo;

		if (a->end > m->eol)
			m->eol = a->end;
		if (a->list != MEMLAYOUT_LIST_RAM)
			continue;
		m->ram_size += a->end - a->start;
		if (a->end > m->end_of_ram)
			m->end_of_ram = a->end;
		lo = a->start < G4 ? (a->end < G4 ? a->end : G4) - a->start : 0;
		m->below += lo;
		m->above += a->end - a->start - lo;
		if (a->start < G4) {
			u64 top = a->end < G4 ? a->end : G4;

			if (!m->has_max4g || top > m->max4g)
				m->max4g = top;
			m->has_max4g = true;
		}
	}
	if (c->list[MEMLAYOUT_LIST_MMIO].nr == 2) {
		u64 gap_end = c->list[MEMLAYOUT_LIST_MMIO].r[1].end;

		m->has_high = true;
		for (i = 0; i < m->nr_items; i++)
			if (m->items[i].list == MEMLAYOUT_LIST_RAM &&
			    m->items[i].start >= gap_end)
				m->high += m->items[i].end - m->items[i].start;
	}

	/* 8. R7 */
	if (c->has_vtl2 && c->vtl2.start < m->end_of_ram) {
		mdl_reject(m, MEMLAYOUT_RULE_VTL2_BELOW_RAM, MEMLAYOUT_LIST_VTL2, 0,
			   MEMLAYOUT_LIST_RAM, m->count[MEMLAYOUT_LIST_RAM] - 1);
		return;
	}
	m->has_vtl2 = c->has_vtl2;
}

static void mdl_free(struct mdl *m)
{
	free(m->items);
	free(m->sorted);
}

/* SPEC Q9 by scanning every range; VTL2 and the rest are none. */
static u32 mdl_probe(const struct mdl *m, u64 addr)
{
	u32 i;

	for (i = 0; i < m->nr_items; i++)
		if (m->items[i].start <= addr && addr < m->items[i].end)
			return m->items[i].list;	/* list id == kind */
	return MEMLAYOUT_KIND_NONE;
}

/* The model's covering range of @addr, as PROBE's ranges_ptr describes it. */
static struct memlayout_probe_range mdl_covering(const struct mdl *m, u64 addr)
{
	struct memlayout_probe_range r = { .index = MEMLAYOUT_PROBE_NO_RANGE };
	u32 i;

	for (i = 0; i < m->nr_items; i++) {
		const struct mdl_item *it = &m->items[i];

		if (it->start <= addr && addr < it->end) {
			r.start = it->start;
			r.end = it->end;
			r.vnode = it->vnode;
			r.index = it->index;
			break;
		}
	}
	return r;
}

/* The model's range @index of @list. */
static const struct mdl_item *mdl_get(const struct mdl *m, u32 list, u32 index)
{
	return index < m->count[list] ? &m->items[m->first[list] + index] : NULL;
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

static void fz_expect_err(const struct memlayout_error *got,
			  const struct memlayout_error *want, const char *what)
{
	FZ_EXPECT(!memcmp(got, want, sizeof(*got)),
		  "%s: error report rule %u list %s index %u other %s/%u, model rule %u list %s index %u other %s/%u",
		  what, got->rule, fz_lname(got->list), got->index,
		  fz_lname(got->other_list), got->other_index,
		  want->rule, fz_lname(want->list), want->index,
		  fz_lname(want->other_list), want->other_index);
}

/* Q1 for every list, against the model; also the out-of-range answers. */
static void fz_check_lists(const struct memlayout *l, const struct fz_case *c,
			   const struct mdl *m)
{
	static const u32 bad_lists[] = {
		MEMLAYOUT_LIST_NONE, MEMLAYOUT_LIST_NODES, 7, 0x100, U32_MAX,
	};
	struct memlayout_range r;
	u32 list, i;
	int ret;

	for (list = L_RAM; list <= L_LAST; list++) {
		u32 n = memlayout_count(l, list);

		FZ_EXPECT(n == m->count[list], "count(%s) %u, model %u",
			  fz_lname(list), n, m->count[list]);
		for (i = 0; i < n; i++) {
			const struct mdl_item *want = mdl_get(m, list, i);

			memset(&r, 0x5a, sizeof(r));
			ret = memlayout_get_range(l, list, i, &r);
			FZ_EXPECT(!ret && want && r.start == want->start &&
				  r.end == want->end && r.vnode == want->vnode &&
				  !r.reserved,
				  "get_range(%s, %u) = %d [%#llx, %#llx) vnode %u reserved %#x, model [%#llx, %#llx) vnode %u",
				  fz_lname(list), i, ret, r.start, r.end, r.vnode,
				  r.reserved, want ? want->start : 0,
				  want ? want->end : 0, want ? want->vnode : 0);
		}
		ret = memlayout_get_range(l, list, n, &r);
		FZ_EXPECT(ret == -ENOENT, "get_range(%s, %u) past the end = %d",
			  fz_lname(list), n, ret);
		ret = memlayout_get_range(l, list, U32_MAX, &r);
		FZ_EXPECT(ret == -ENOENT, "get_range(%s, U32_MAX) = %d",
			  fz_lname(list), ret);
	}

	FZ_EXPECT(memlayout_count(l, MEMLAYOUT_LIST_VTL2) == m->has_vtl2,
		  "count(vtl2) %u, model %u",
		  memlayout_count(l, MEMLAYOUT_LIST_VTL2), m->has_vtl2);
	memset(&r, 0x5a, sizeof(r));
	ret = memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r);
	if (m->has_vtl2)
		FZ_EXPECT(!ret && r.start == c->vtl2.start && r.end == c->vtl2.end &&
			  !r.vnode && !r.reserved,
			  "get_range(vtl2, 0) = %d [%#llx, %#llx) vnode %u",
			  ret, r.start, r.end, r.vnode);
	else
		FZ_EXPECT(ret == -ENOENT, "get_range(vtl2, 0) without VTL2 = %d", ret);
	ret = memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 1, &r);
	FZ_EXPECT(ret == -ENOENT, "get_range(vtl2, 1) = %d", ret);

	for (i = 0; i < ARRAY_SIZE(bad_lists); i++) {
		u32 bad = bad_lists[i];

		FZ_EXPECT(!memlayout_count(l, bad), "count(%u) = %u", bad,
			  memlayout_count(l, bad));
		ret = memlayout_get_range(l, bad, 0, &r);
		FZ_EXPECT(ret == -EINVAL, "get_range(list %u) = %d", bad, ret);
	}
}

/* Q2-Q8 against the model. */
static void fz_check_queries(const struct memlayout *l, const struct mdl *m)
{
	u64 v = 0x5a5a5a5a5a5a5a5aULL;
	bool has;

	FZ_EXPECT(memlayout_ram_size(l) == m->ram_size, "Q2 ram_size %#llx, model %#llx",
		  memlayout_ram_size(l), m->ram_size);
	FZ_EXPECT(memlayout_end_of_ram(l) == m->end_of_ram,
		  "Q3 end_of_ram %#llx, model %#llx",
		  memlayout_end_of_ram(l), m->end_of_ram);
	FZ_EXPECT(memlayout_ram_below_4gb(l) == m->below,
		  "Q4 ram_below_4gb %#llx, model %#llx",
		  memlayout_ram_below_4gb(l), m->below);
	FZ_EXPECT(memlayout_ram_above_4gb(l) == m->above,
		  "Q5 ram_above_4gb %#llx, model %#llx",
		  memlayout_ram_above_4gb(l), m->above);
	has = memlayout_max_ram_below_4gb(l, &v);
	FZ_EXPECT(has == m->has_max4g && (has ? v == m->max4g :
					  v == 0x5a5a5a5a5a5a5a5aULL),
		  "Q6 max_ram_below_4gb %d %#llx, model %d %#llx",
		  has, v, m->has_max4g, m->max4g);
	v = 0x5a5a5a5a5a5a5a5aULL;
	has = memlayout_ram_above_high_mmio(l, &v);
	FZ_EXPECT(has == m->has_high && (has ? v == m->high :
					 v == 0x5a5a5a5a5a5a5a5aULL),
		  "Q7 ram_above_high_mmio %d %#llx, model %d %#llx",
		  has, v, m->has_high, m->high);
	FZ_EXPECT(memlayout_end_of_layout(l) == m->eol,
		  "Q8 end_of_layout %#llx, model %#llx",
		  memlayout_end_of_layout(l), m->eol);
}

/* memlayout_entry(): every range in address order with its kind. */
static void fz_check_walk(const struct memlayout *l, const struct mdl *m)
{
	struct memlayout_entry e;
	u32 i;

	FZ_EXPECT(l->nr == m->nr_items, "l->nr %u, model %u ranges", l->nr,
		  m->nr_items);
	FZ_EXPECT(memlayout_bytes(l) == sizeof(*l) + 28 * (size_t)l->nr,
		  "memlayout_bytes %zu for %u ranges", memlayout_bytes(l), l->nr);
	for (i = 0; i < l->nr; i++) {
		const struct mdl_item *want = &m->sorted[i];

		memset(&e, 0x5a, sizeof(e));
		memlayout_entry(l, i, &e);
		FZ_EXPECT(e.start == want->start && e.end == want->end &&
			  e.vnode == want->vnode && e.kind == want->list,
			  "entry %u [%#llx, %#llx) vnode %u kind %u, model [%#llx, %#llx) vnode %u kind %u",
			  i, e.start, e.end, e.vnode, e.kind, want->start,
			  want->end, want->vnode, want->list);
	}
}

/* Little-endian bytes of @v at @p. */
static u8 *fz_le(u8 *p, u64 v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		*p++ = v >> (8 * i);
	return p;
}

/*
 * F1: the fingerprint, from the model's ranges, encoded here byte by byte
 * as the UAPI header documents it (not with the core's encoder), then
 * hashed; and GET_LAYOUT's entries (memlayout_fill_map()).
 */
static void fz_check_fingerprint(struct memlayout *l,
				 const struct fz_case *c, const struct mdl *m)
{
	size_t len = 16 + 8 + 24 * ((size_t)m->nr_items + 1);
	struct memlayout_map_entry *map;
	u8 *buf = fz_alloc(len, 1), *p = buf;
	u8 want[SHA256_DIGEST_SIZE];
	u32 i;

	memcpy(p, "memlayout.fp.v1\n", 16);
	p = fz_le(p + 16, m->nr_items, 4);
	p = fz_le(p, c->has_vtl2, 4);
	for (i = 0; i < m->nr_items; i++) {
		p = fz_le(p, m->sorted[i].start, 8);
		p = fz_le(p, m->sorted[i].end, 8);
		p = fz_le(p, m->sorted[i].vnode, 4);
		p = fz_le(p, m->sorted[i].list, 4);
	}
	if (c->has_vtl2) {
		p = fz_le(p, c->vtl2.start, 8);
		p = fz_le(p, c->vtl2.end, 8);
		p = fz_le(p, 0, 8);
	}
	sha256(buf, p - buf, want);
	/* The build leaves the fingerprint to the publisher (SPEC F1). */
	memlayout_fingerprint_layout(l, false);
	FZ_EXPECT(!memcmp(l->fingerprint, want, sizeof(want)),
		  "fingerprint differs from the model's encoding");
	free(buf);

	map = fz_alloc((size_t)l->nr + 1, sizeof(*map));
	memset(map, 0xee, ((size_t)l->nr + 1) * sizeof(*map));
	memlayout_fill_map(l, 0, l->nr, map);
	for (i = 0; i < l->nr && i < m->nr_items; i++) {
		const struct mdl_item *it = &m->sorted[i];

		FZ_EXPECT(map[i].start == it->start && map[i].end == it->end &&
			  map[i].vnode == it->vnode && map[i].kind == it->list,
			  "map entry %u [%#llx, %#llx) vnode %u kind %u, model [%#llx, %#llx) vnode %u kind %u",
			  i, map[i].start, map[i].end, map[i].vnode, map[i].kind,
			  it->start, it->end, it->vnode, it->list);
	}
	FZ_EXPECT(map[l->nr].kind == 0xeeeeeeeeU, "fill_map wrote past nr");
	free(map);
}

/* An address to probe and what the model says is there. */
struct fz_probe {
	u64 addr;
	u32 want;
};

static int fz_cmp_probe(const void *a, const void *b)
{
	return mdl_cmp_u64(&((const struct fz_probe *)a)->addr,
			   &((const struct fz_probe *)b)->addr);
}

static int fz_cmp_probe_desc(const void *a, const void *b)
{
	return -fz_cmp_probe(a, b);
}

static void fz_probe_batch(const struct memlayout *l, const struct mdl *m,
			   const struct fz_probe *p, u32 n, const char *order)
{
	struct memlayout_probe_range *ranges;
	u64 *addrs = fz_alloc(n + 1, sizeof(*addrs));
	u32 *kinds = fz_alloc(n + 1, sizeof(*kinds)), i;

	for (i = 0; i < n; i++)
		addrs[i] = p[i].addr;
	memset(kinds, 0xee, (n + 1) * sizeof(*kinds));
	memlayout_probe_many(l, addrs, kinds, n);
	for (i = 0; i < n; i++)
		FZ_EXPECT(kinds[i] == p[i].want,
			  "probe_many (%s) addrs[%u] = %#llx: kind %u, model %u",
			  order, i, addrs[i], kinds[i], p[i].want);
	FZ_EXPECT(kinds[n] == 0xeeeeeeeeU, "probe_many wrote past n");

	/* The same with covering ranges (PROBE's ranges_ptr). */
	ranges = fz_alloc(n + 1, sizeof(*ranges));
	memset(ranges, 0xee, (n + 1) * sizeof(*ranges));
	memset(kinds, 0xee, (n + 1) * sizeof(*kinds));
	memlayout_probe_many_ranges(l, addrs, kinds, ranges, n);
	for (i = 0; i < n; i++) {
		struct memlayout_probe_range want = mdl_covering(m, addrs[i]);

		FZ_EXPECT(kinds[i] == p[i].want,
			  "probe_many_ranges (%s) addrs[%u] = %#llx: kind %u, model %u",
			  order, i, addrs[i], kinds[i], p[i].want);
		FZ_EXPECT(!memcmp(&ranges[i], &want, sizeof(want)),
			  "probe_many_ranges (%s) addrs[%u] = %#llx: [%#llx, %#llx) vnode %u index %u, model [%#llx, %#llx) vnode %u index %u",
			  order, i, addrs[i], ranges[i].start, ranges[i].end,
			  ranges[i].vnode, ranges[i].index, want.start, want.end,
			  want.vnode, want.index);
	}
	FZ_EXPECT(ranges[n].index == 0xeeeeeeeeU,
		  "probe_many_ranges wrote past n");
	free(ranges);
	free(addrs);
	free(kinds);
}

/* Q9 at every edge, fixed and input addresses; single and batched. */
static void fz_check_probes(const struct memlayout *l, const struct fz_case *c,
			    const struct mdl *m)
{
	static const u64 fixed[] = {
		0, 1, PAGE - 1, PAGE, G4 - 1, G4, G4 + 1, G4 - PAGE, G4 + PAGE,
		MAXA - 1, MAXA, MAXA + 1, U64_MAX - 1, U64_MAX, 1ULL << 63,
	};
	u32 nfixed = ARRAY_SIZE(fixed);
	u32 i, n = 0, step = 1, cap;
	struct fz_probe *p;

	if (m->nr_items > FZ_EDGE_RANGES)
		step = m->nr_items / FZ_EDGE_RANGES + 1;
	cap = nfixed + c->nr_addrs + 4 * (m->nr_items / step + 2) + 8;
	p = fz_alloc(cap, sizeof(*p));
	for (i = 0; i < nfixed; i++)
		p[n++].addr = fixed[i];
	for (i = 0; i < c->nr_addrs; i++)
		p[n++].addr = c->addrs[i];
	for (i = 0; i < m->nr_items; i += step) {
		p[n++].addr = m->items[i].start;
		p[n++].addr = m->items[i].end - 1;
		p[n++].addr = m->items[i].end;
		p[n++].addr = m->items[i].start - 1;
	}
	if (c->has_vtl2) {
		p[n++].addr = c->vtl2.start;
		p[n++].addr = c->vtl2.end - 1;
		p[n++].addr = c->vtl2.end;
		p[n++].addr = c->vtl2.start - 1;
	}

	for (i = 0; i < n; i++) {
		u32 got = memlayout_probe(l, p[i].addr);

		p[i].want = mdl_probe(m, p[i].addr);
		FZ_EXPECT(got == p[i].want, "probe(%#llx) = %u, model %u",
			  p[i].addr, got, p[i].want);
	}
	fz_probe_batch(l, m, p, n, "input order");
	fz_probe_batch(l, m, p, 0, "empty");
	qsort(p, n, sizeof(*p), fz_cmp_probe);
	fz_probe_batch(l, m, p, n, "ascending");
	qsort(p, n, sizeof(*p), fz_cmp_probe_desc);
	fz_probe_batch(l, m, p, n, "descending");
	free(p);
}

/* The request the core got must be as it was: the core only reads it. */
static void fz_check_unchanged(const struct fz_case *c,
			       const struct memlayout_request *req,
			       const struct fz_case *copy)
{
	u32 list;

	FZ_EXPECT(!memcmp(&c->vtl2, &copy->vtl2, sizeof(c->vtl2)),
		  "the core wrote to the VTL2 range");
	FZ_EXPECT(!memcmp(c->nodes, copy->nodes, c->nr_nodes * sizeof(u64)),
		  "the core wrote to the node sizes");
	for (list = L_RAM; list <= L_LAST; list++)
		FZ_EXPECT(!memcmp(c->list[list].r, copy->list[list].r,
				  c->list[list].nr * sizeof(*c->list[list].r)),
			  "the core wrote to list %s", fz_lname(list));
	FZ_EXPECT(req->source == c->source && req->nr_mmio ==
		  c->list[MEMLAYOUT_LIST_MMIO].nr,
		  "the core wrote to the request");
}

/* Names and errnos of rules, lists and kinds, in and out of range. */
static void fz_check_names(void)
{
	static const char * const lists[] = {
		"none", "ram", "mmio", "pci_ecam", "pci_mmio", "vtl2", "nodes",
		"place",
	};
	char tag[8];
	u32 i;

	for (i = 0; i <= MEMLAYOUT_RULE_TOO_MANY; i++) {
		FZ_EXPECT(memlayout_rule_errno(i) == mdl_errno(i),
			  "rule_errno(%u) = %d", i, memlayout_rule_errno(i));
		snprintf(tag, sizeof(tag), "R%u:", i);
		FZ_EXPECT(i ? !strncmp(memlayout_rule_name(i), tag, strlen(tag)) :
			  !strcmp(memlayout_rule_name(i), "none"),
			  "rule_name(%u) = %s", i, memlayout_rule_name(i));
	}
	/* The placement rules follow R8: P1..P4 (fuzz_place.c checks them). */
	for (i = MEMLAYOUT_RULE_PLACE_SIZE; i <= MEMLAYOUT_RULE_EXHAUSTED; i++) {
		snprintf(tag, sizeof(tag), "P%u:", i - MEMLAYOUT_RULE_TOO_MANY);
		FZ_EXPECT(!strncmp(memlayout_rule_name(i), tag, strlen(tag)),
			  "rule_name(%u) = %s", i, memlayout_rule_name(i));
	}
	FZ_EXPECT(memlayout_rule_errno(MEMLAYOUT_RULE_EXHAUSTED + 1) == -EINVAL &&
		  memlayout_rule_errno(U32_MAX) == -EINVAL,
		  "rule_errno of an unknown rule");
	FZ_EXPECT(!strcmp(memlayout_rule_name(MEMLAYOUT_RULE_EXHAUSTED + 1), "unknown") &&
		  !strcmp(memlayout_rule_name(U32_MAX), "unknown"),
		  "rule_name of an unknown rule");
	for (i = 0; i < MEMLAYOUT_NR_LISTS; i++)
		FZ_EXPECT(!strcmp(memlayout_list_name(i), lists[i]),
			  "list_name(%u) = %s", i, memlayout_list_name(i));
	FZ_EXPECT(!strcmp(memlayout_list_name(MEMLAYOUT_NR_LISTS), "unknown") &&
		  !strcmp(memlayout_list_name(U32_MAX), "unknown"),
		  "list_name of an unknown list");
	for (i = 0; i < MEMLAYOUT_NR_KINDS; i++)
		FZ_EXPECT(!strcmp(memlayout_kind_name(i), lists[i]),
			  "kind_name(%u) = %s", i, memlayout_kind_name(i));
	FZ_EXPECT(!strcmp(memlayout_kind_name(MEMLAYOUT_NR_KINDS), "unknown") &&
		  !strcmp(memlayout_kind_name(U32_MAX), "unknown"),
		  "kind_name of an unknown kind");
	/* NULL is fine for both releases. */
	memlayout_put(NULL);
	memlayout_free(NULL);
}

/* Set the max_ranges module parameter as a write to sysfs would. */
static int fz_set_param(u32 v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u\n", v);
	return __param_max_ranges.ops->set(buf, &__param_max_ranges);
}

/* The parameter takes 1..LIMIT, refuses the rest, and reads back. */
static void fz_param(u32 v)
{
	char buf[4096], want[32];

	FZ_EXPECT(fz_set_param(0) == -EINVAL, "max_ranges=0 accepted");
	FZ_EXPECT(fz_set_param(LIMIT + 1) == -EINVAL, "max_ranges=LIMIT+1 accepted");
	FZ_EXPECT(memlayout_max_ranges() == DEF_LIMIT,
		  "a refused max_ranges changed it to %u", memlayout_max_ranges());
	FZ_EXPECT(!fz_set_param(v), "max_ranges=%u refused", v);
	FZ_EXPECT(memlayout_max_ranges() == v, "max_ranges %u after setting %u",
		  memlayout_max_ranges(), v);
	__param_max_ranges.ops->get(buf, &__param_max_ranges);
	snprintf(want, sizeof(want), "%u\n", v);
	FZ_EXPECT(!strcmp(buf, want), "max_ranges reads back %s", buf);
}

static void fz_summarize(const struct memlayout *l, int ret,
			 const struct memlayout_error *err)
{
	u32 list, i;

	memset(&fz_last, 0, sizeof(fz_last));
	fz_last.ret = ret;
	fz_last.err = *err;
	if (!l)
		return;
	for (list = L_RAM; list <= MEMLAYOUT_LIST_VTL2; list++)
		fz_last.count[list] = memlayout_count(l, list);
	for (i = 0; i < fz_last.count[L_RAM] && i < FZ_SUMMARY_RAM; i++)
		memlayout_get_range(l, L_RAM, i, &fz_last.ram[i]);
	fz_last.ram_size = memlayout_ram_size(l);
	fz_last.end_of_ram = memlayout_end_of_ram(l);
	fz_last.below = memlayout_ram_below_4gb(l);
	fz_last.above = memlayout_ram_above_4gb(l);
	fz_last.has_max4g = memlayout_max_ram_below_4gb(l, &fz_last.max4g);
	fz_last.has_high = memlayout_ram_above_high_mmio(l, &fz_last.high);
	fz_last.eol = memlayout_end_of_layout(l);
	if (fz_last.count[MEMLAYOUT_LIST_VTL2]) {
		struct memlayout_range r;

		memlayout_get_range(l, MEMLAYOUT_LIST_VTL2, 0, &r);
		fz_last.vtl2_start = r.start;
		fz_last.vtl2_end = r.end;
	}
}

static struct fz_case *fz_copy(const struct fz_case *c)
{
	struct fz_case *copy = fz_alloc(1, sizeof(*copy));
	u32 list;

	*copy = *c;
	copy->nodes = fz_alloc(c->nr_nodes, sizeof(u64));
	memcpy(copy->nodes, c->nodes, c->nr_nodes * sizeof(u64));
	for (list = L_RAM; list <= L_LAST; list++) {
		copy->list[list].r = fz_alloc(c->list[list].nr,
					      sizeof(struct memlayout_range));
		memcpy(copy->list[list].r, c->list[list].r,
		       c->list[list].nr * sizeof(struct memlayout_range));
	}
	copy->addrs = NULL;
	return copy;
}

static void fz_run(const struct fz_case *c)
{
	static const struct memlayout_error none;
	long live = memlayout_live(), allocs = ml_shim_live_allocs;
	u32 param = c->set_param ? c->param : DEF_LIMIT;
	struct memlayout_request req, counts_req;
	struct memlayout_error err;
	struct fz_case *copy;
	struct memlayout *l;
	struct mdl m;
	int ret;

	FZ_EXPECT(memlayout_max_ranges() == DEF_LIMIT,
		  "max_ranges %u, not the default", memlayout_max_ranges());
	FZ_EXPECT(!live && !allocs, "%ld layouts, %ld allocations left over",
		  live, allocs);
	if (c->set_param)
		fz_param(param);

	mdl_build(c, param, &m);
	fz_request(c, &req);
	copy = fz_copy(c);

	/* memlayout_check_counts(): R8 alone, reading no array. */
	counts_req = req;
	counts_req.node_sizes = NULL;
	counts_req.ram = NULL;
	counts_req.mmio = NULL;
	counts_req.pci_ecam = NULL;
	counts_req.pci_mmio = NULL;
	counts_req.vtl2 = NULL;
	memset(&err, 0xa5, sizeof(err));
	ret = memlayout_check_counts(&counts_req, &err);
	if (m.err.rule == MEMLAYOUT_RULE_TOO_MANY) {
		FZ_EXPECT(ret == -E2BIG, "check_counts() = %d, model -E2BIG", ret);
		fz_expect_err(&err, &m.err, "check_counts()");
	} else {
		FZ_EXPECT(!ret, "check_counts() = %d, model 0", ret);
		fz_expect_err(&err, &none, "check_counts()");
	}

	memset(&err, 0xa5, sizeof(err));
	l = memlayout_build(&req, GFP_KERNEL, &err);
	FZ_EXPECT(l, "memlayout_build() returned NULL");
	fz_check_unchanged(c, &req, copy);
	ret = IS_ERR(l) ? (int)PTR_ERR(l) : 0;
	FZ_EXPECT(ret == m.ret, "memlayout_build() = %d, model %d (rule %u list %s index %u other %s/%u)",
		  ret, m.ret, m.err.rule, fz_lname(m.err.list), m.err.index,
		  fz_lname(m.err.other_list), m.err.other_index);
	fz_expect_err(&err, &m.err, "memlayout_build()");
	if (m.err.rule)
		FZ_EXPECT(memlayout_rule_errno(m.err.rule) == ret,
			  "rule %u maps to %d, build returned %d", m.err.rule,
			  memlayout_rule_errno(m.err.rule), ret);

	if (IS_ERR(l)) {
		FZ_EXPECT(memlayout_live() == live && ml_shim_live_allocs == allocs,
			  "a rejected request left %ld layouts, %ld allocations",
			  memlayout_live() - live, ml_shim_live_allocs - allocs);
		fz_summarize(NULL, ret, &err);
		goto out;
	}

	FZ_EXPECT(memlayout_live() == live + 1, "memlayout_live() %ld, was %ld",
		  memlayout_live(), live);
	fz_check_lists(l, c, &m);
	fz_check_queries(l, &m);
	fz_check_walk(l, &m);
	fz_check_fingerprint(l, c, &m);
	fz_check_probes(l, c, &m);
	fz_summarize(l, 0, &err);

	/* A second reference, then release as a sole owner or via RCU. */
	FZ_EXPECT(memlayout_tryget(l), "memlayout_tryget() failed on a live layout");
	memlayout_put(l);
	FZ_EXPECT(memlayout_live() == live + 1, "put of a second reference freed");
	if (c->release_put)
		memlayout_put(l);
	else
		memlayout_free(l);
	FZ_EXPECT(memlayout_live() == live && ml_shim_live_allocs == allocs,
		  "release left %ld layouts, %ld allocations",
		  memlayout_live() - live, ml_shim_live_allocs - allocs);

	/* The same request when the allocation fails: -ENOMEM, rule none. */
	ml_shim_fail_allocs = 1;
	memset(&err, 0xa5, sizeof(err));
	l = memlayout_build(&req, GFP_KERNEL, &err);
	FZ_EXPECT(!ml_shim_fail_allocs, "an accepted request allocated nothing");
	ml_shim_fail_allocs = 0;
	FZ_EXPECT(IS_ERR(l) && PTR_ERR(l) == -ENOMEM,
		  "build with a failing allocation = %ld, not -ENOMEM",
		  IS_ERR(l) ? PTR_ERR(l) : 0L);
	fz_expect_err(&err, &none, "build with a failing allocation");
	FZ_EXPECT(memlayout_live() == live && ml_shim_live_allocs == allocs,
		  "a failed allocation left %ld layouts",
		  memlayout_live() - live);
out:
	mdl_free(&m);
	fz_case_free(copy);
	free(copy);
	if (c->set_param) {
		FZ_EXPECT(!fz_set_param(DEF_LIMIT), "cannot restore max_ranges");
		FZ_EXPECT(memlayout_max_ranges() == DEF_LIMIT, "max_ranges not restored");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool names_checked;
	struct fz_case c;

	if (!names_checked) {
		fz_read_allow();
		fz_check_names();
		names_checked = true;
	}
	fz_decode(data, size, &c);
	fz_cur = &c;
	fz_run(&c);
	fz_cur = NULL;
	fz_case_free(&c);
	return 0;
}
