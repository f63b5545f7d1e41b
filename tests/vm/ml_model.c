// SPDX-License-Identifier: GPL-2.0
/*
 * ml_model.c - an independent userspace model of the SPEC for the guest
 * tests (see ml_test.h): the layout a valid request builds
 * (model_build()), the verdict the documented check order gives any
 * request (model_validate()), the SPEC's examples with hand-written
 * answers, and a generator of random valid and broken requests.
 */
#include <stdlib.h>
#include <string.h>

#include "ml_test.h"

struct memlayout_set mkset(const struct lay *l)
{
	struct memlayout_set s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.flags = l->has_vtl2 ? MEMLAYOUT_SET_VTL2 : 0;
	s.source = l->source;
	s.ram_size = l->ram_size;
	if (l->nr_nodes) {
		s.nodes_ptr = U64P(l->nodes);
		s.nr_nodes = l->nr_nodes;
	}
	if (l->nr_ram) {
		s.ram_ptr = U64P(l->ram);
		s.nr_ram = l->nr_ram;
	}
	if (l->nr_mmio) {
		s.mmio_ptr = U64P(l->mmio);
		s.nr_mmio = l->nr_mmio;
	}
	if (l->nr_ecam) {
		s.pci_ecam_ptr = U64P(l->ecam);
		s.nr_pci_ecam = l->nr_ecam;
	}
	if (l->nr_pmmio) {
		s.pci_mmio_ptr = U64P(l->pmmio);
		s.nr_pci_mmio = l->nr_pmmio;
	}
	if (l->has_vtl2)
		s.vtl2 = l->vtl2;
	return s;
}
/* ------------------------------------------------------------------ */
/* The SPEC model: builds the expected layout of a valid request         */
/* ------------------------------------------------------------------ */


static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static void m_add(struct model *m, uint32_t kind, uint64_t s, uint64_t e,
		  uint32_t vnode)
{
	if (m->n >= MODEL_MAX) {
		diag("model overflow");
		exit(1);	/* KSFT_FAIL: 2 would read as XFAIL */
	}
	m->e[m->n].start = s;
	m->e[m->n].end = e;
	m->e[m->n].vnode = kind == K_RAM ? vnode : 0;
	m->e[m->n].kind = kind;
	m->n++;
}

struct placer {
	struct model *m;
	const struct lay *l;
	uint64_t pos, left;
	uint32_t node, nr_nodes;
};

/* SPEC C1/C2: put the RAM budget into [pos, limit), node after node. */
static void place_until(struct placer *p, uint64_t limit)
{
	while (p->node < p->nr_nodes && p->pos < limit) {
		uint64_t room = limit - p->pos;
		uint64_t take = p->left < room ? p->left : room;

		m_add(p->m, K_RAM, p->pos, p->pos + take,
		      p->l->source == MEMLAYOUT_SOURCE_NODES ? p->node : 0);
		p->pos += take;
		p->left -= take;
		if (!p->left) {
			p->node++;
			if (p->node < p->nr_nodes)
				p->left = p->l->nodes[p->node];
		}
	}
}

/*
 * SHA-256 (FIPS 180-4) for the model's fingerprints, written for this
 * model (message schedule in a 16-word ring), so that the guest checks the
 * kernel's lib/crypto/sha256.c against code that shares nothing with it.
 */
#define SHR(x, n)	((x) >> (n))
#define ROT(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void sha_compress(uint32_t h[8], const uint8_t *blk)
{
	static const uint32_t k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
		0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
		0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
		0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
		0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
		0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
		0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
		0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
		0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
		0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
		0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
		0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	};
	uint32_t w[16], v[8], t;
	int i, j;

	memcpy(v, h, sizeof(v));
	for (i = 0; i < 64; i++) {
		if (i < 16) {
			w[i] = 0;
			for (j = 0; j < 4; j++)
				w[i] = w[i] << 8 | blk[4 * i + j];
		} else {
			uint32_t a = w[(i + 1) & 15], b = w[(i + 14) & 15];

			w[i & 15] += (ROT(a, 7) ^ ROT(a, 18) ^ SHR(a, 3)) +
				     w[(i + 9) & 15] +
				     (ROT(b, 17) ^ ROT(b, 19) ^ SHR(b, 10));
		}
		t = v[7] + (ROT(v[4], 6) ^ ROT(v[4], 11) ^ ROT(v[4], 25)) +
		    ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i & 15];
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t;
		v[0] = t + (ROT(v[1], 2) ^ ROT(v[1], 13) ^ ROT(v[1], 22)) +
		       ((v[1] & v[2]) ^ (v[1] & v[3]) ^ (v[2] & v[3]));
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
}

void model_sha256(const void *data, size_t len, uint8_t out[32])
{
	uint32_t h[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	const uint8_t *p = data;
	uint8_t last[128] = { 0 };
	size_t full = len / 64 * 64, rest = len - full, tail;
	int i;

	for (i = 0; (size_t)i < full; i += 64)
		sha_compress(h, p + i);
	memcpy(last, p + full, rest);
	last[rest] = 0x80;
	tail = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		last[tail - 1 - i] = (uint8_t)((uint64_t)len * 8 >> (8 * i));
	sha_compress(h, last);
	if (tail == 128)
		sha_compress(h, last + 64);
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* @bytes little-endian bytes of @v at @p; returns the end. */
static uint8_t *le(uint8_t *p, uint64_t v, int bytes)
{
	while (bytes--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
	return p;
}

/* F1, as the UAPI header's "DOC: Fingerprint" spells the encoding. */
static void model_fingerprint(struct model *m)
{
	static uint8_t buf[24 + 24 * (MODEL_MAX + 1)];
	uint8_t *p = buf;
	uint32_t i;

	memcpy(p, "memlayout.fp.v1\n", 16);
	p = le(p + 16, m->n, 4);
	p = le(p, m->has_vtl2, 4);
	for (i = 0; i < m->n; i++) {
		p = le(p, m->e[i].start, 8);
		p = le(p, m->e[i].end, 8);
		p = le(p, m->e[i].vnode, 4);
		p = le(p, m->e[i].kind, 4);
	}
	if (m->has_vtl2) {
		p = le(p, m->vtl2.start, 8);
		p = le(p, m->vtl2.end, 8);
		p = le(p, 0, 8);
	}
	model_sha256(buf, (size_t)(p - buf), m->fp);
}

/* Q9 with PROBE's covering range: the range, its index in its own list. */
struct memlayout_probe_range model_covering(const struct model *m, uint64_t a)
{
	struct memlayout_probe_range r = { .index = MEMLAYOUT_PROBE_NO_RANGE };
	uint32_t i, j;

	for (i = 0; i < m->n; i++) {
		if (m->e[i].start <= a && a < m->e[i].end) {
			r.start = m->e[i].start;
			r.end = m->e[i].end;
			r.vnode = m->e[i].vnode;
			r.index = 0;
			for (j = 0; j < i; j++)
				r.index += m->e[j].kind == m->e[i].kind;
			break;
		}
	}
	return r;
}

/* The expected result of a request known to be valid. */
void model_build(const struct lay *l, struct model *m)
{
	struct memlayout_stats *st = &m->st;
	uint32_t i, holes_from;

	memset(m, 0, sizeof(*m));
	if (l->source == MEMLAYOUT_SOURCE_RANGES)
		for (i = 0; i < l->nr_ram; i++)
			m_add(m, K_RAM, l->ram[i].start, l->ram[i].end, l->ram[i].vnode);
	holes_from = m->n;
	for (i = 0; i < l->nr_mmio; i++)
		m_add(m, K_MMIO, l->mmio[i].start, l->mmio[i].end, 0);
	for (i = 0; i < l->nr_ecam; i++)
		m_add(m, K_ECAM, l->ecam[i].start, l->ecam[i].end, 0);
	for (i = 0; i < l->nr_pmmio; i++)
		m_add(m, K_PMMIO, l->pmmio[i].start, l->pmmio[i].end, 0);

	if (l->source == MEMLAYOUT_SOURCE_RANGES) {
		qsort(m->e, m->n, sizeof(m->e[0]), ent_cmp);
	} else {
		struct ent holes[MODEL_MAX];
		uint32_t nh = m->n - holes_from;
		struct placer p = { .m = m, .l = l };

		memcpy(holes, m->e + holes_from, nh * sizeof(holes[0]));
		qsort(holes, nh, sizeof(holes[0]), ent_cmp);
		m->n = 0;
		if (l->source == MEMLAYOUT_SOURCE_NODES) {
			p.nr_nodes = l->nr_nodes;
			p.left = l->nodes[0];
		} else {
			p.nr_nodes = 1;
			p.left = l->ram_size;
		}
		for (i = 0; i < nh; i++) {
			place_until(&p, holes[i].start);	/* D1: may be empty */
			m_add(m, holes[i].kind, holes[i].start, holes[i].end, 0);
			if (holes[i].end > p.pos)
				p.pos = holes[i].end;
		}
		place_until(&p, MAXA);
	}

	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	for (i = 0; i < m->n; i++) {
		const struct ent *e = &m->e[i];
		uint64_t len = e->end - e->start;

		if (e->end > st->end_of_layout)
			st->end_of_layout = e->end;		/* Q8 */
		switch (e->kind) {
		case K_MMIO: st->nr_mmio++; continue;
		case K_ECAM: st->nr_pci_ecam++; continue;
		case K_PMMIO: st->nr_pci_mmio++; continue;
		}
		st->nr_ram++;
		st->ram_size += len;				/* Q2 */
		st->end_of_ram = e->end;			/* Q3 */
		if (e->start < G4) {				/* Q4-Q6, D2 */
			uint64_t below = (e->end < G4 ? e->end : G4) - e->start;

			st->ram_below_4gb += below;
			st->ram_above_4gb += len - below;
			st->max_ram_below_4gb = e->end < G4 ? e->end : G4;
			st->present |= MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB;
		} else {
			st->ram_above_4gb += len;
		}
	}
	if (l->nr_mmio == 2) {					/* Q7 */
		st->present |= MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO;
		for (i = 0; i < m->n; i++)
			if (m->e[i].kind == K_RAM && m->e[i].start >= l->mmio[1].end)
				st->ram_above_high_mmio += m->e[i].end - m->e[i].start;
	}
	if (l->has_vtl2) {
		m->has_vtl2 = true;
		m->vtl2 = l->vtl2;
		st->present |= MEMLAYOUT_STATS_VTL2;
		st->vtl2_start = l->vtl2.start;
		st->vtl2_end = l->vtl2.end;
	}
	model_fingerprint(m);
}

/* SPEC Q9 by linear scan. */
uint32_t model_probe(const struct model *m, uint64_t a)
{
	uint32_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].start <= a && a < m->e[i].end)
			return m->e[i].kind;
	return K_NONE;
}

/* The model's list @list, in address order. */
uint32_t model_list(const struct model *m, uint32_t list, mr_t *out)
{
	uint32_t i, n = 0;

	if (list == L_VTL2) {
		if (!m->has_vtl2)
			return 0;
		memset(out, 0, sizeof(*out));
		out->start = m->vtl2.start;
		out->end = m->vtl2.end;
		return 1;
	}
	for (i = 0; i < m->n; i++) {
		if (m->e[i].kind != list)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].start = m->e[i].start;
		out[n].end = m->e[i].end;
		out[n].vnode = m->e[i].vnode;
		n++;
	}
	return n;
}

/* Edge addresses of a model: each range's first/last byte and neighbours. */
uint32_t model_edges(const struct model *m, uint64_t *a, uint32_t max)
{
	static const uint64_t fixed[] = { 0, 1, PG - 1, PG, G4 - 1, G4, G4 + 1,
					  MAXA - 1, MAXA, ~0ULL, 1ULL << 63 };
	uint32_t i, n = 0;

#define ADD(x) do { if (n < max) a[n++] = (x); } while (0)
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		ADD(fixed[i]);
	for (i = 0; i < m->n; i++) {
		if (m->e[i].start)
			ADD(m->e[i].start - 1);
		ADD(m->e[i].start);
		ADD(m->e[i].start + (m->e[i].end - m->e[i].start) / 2);
		ADD(m->e[i].end - 1);
		ADD(m->e[i].end);
	}
	if (m->has_vtl2) {
		ADD(m->vtl2.start - 1);
		ADD(m->vtl2.start);
		ADD(m->vtl2.end - 1);
		ADD(m->vtl2.end);
	}
#undef ADD
	return n;
}
/* ------------------------------------------------------------------ */
/* Fixed layouts: the SPEC's examples and every constructor             */
/* ------------------------------------------------------------------ */

/* Ex5: C3 with all three hole kinds and VTL2 (also the rejection base). */
const mr_t ex5_ram[] = { RV(0, GiB, 0), RV(GiB, 2 * GiB, 1), RV(4 * GiB, 6 * GiB, 2) };
const mr_t ex5_mmio[] = { R(2 * GiB, 3 * GiB) };
const mr_t ex5_ecam[] = { R(3 * GiB, 3 * GiB + 256 * MiB) };
const mr_t ex5_pmmio[] = { R(3 * GiB + 512 * MiB, 4 * GiB), R(6 * GiB, 7 * GiB) };
const struct lay ex5 = {
	.source = MEMLAYOUT_SOURCE_RANGES,
	.ram = ex5_ram, .nr_ram = 3,
	.mmio = ex5_mmio, .nr_mmio = 1,
	.ecam = ex5_ecam, .nr_ecam = 1,
	.pmmio = ex5_pmmio, .nr_pmmio = 2,
	.has_vtl2 = true, .vtl2 = R(8 * GiB, 8 * GiB + 64 * MiB),
};



const struct example examples[] = {
	{
		/* SPEC seed example: 1 TiB, mmio [1G,2G) and [3G,4G). */
		.name = "C1 seed example (1 TiB, mmio [1G,2G),[3G,4G))",
		.l = { C1(TiB), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)) },
		.nr_ram = 3,
		.ram = { R(0, GiB), R(2 * GiB, 3 * GiB), R(4 * GiB, TiB + 2 * GiB) },
		.st = ST(P_MB | P_HM, 3, 2, 0, 0, TiB, TiB + 2 * GiB, 2 * GiB,
			 TiB - 2 * GiB, 3 * GiB, TiB - 2 * GiB, TiB + 2 * GiB, 0, 0),
		.nr_pk = 13,
		.pk = { { 0, K_RAM }, { GiB - 1, K_RAM }, { GiB, K_MMIO },
			{ 2 * GiB - 1, K_MMIO }, { 2 * GiB, K_RAM }, { 3 * GiB - 1, K_RAM },
			{ 3 * GiB, K_MMIO }, { 4 * GiB - 1, K_MMIO }, { 4 * GiB, K_RAM },
			{ TiB + 2 * GiB - 1, K_RAM }, { TiB + 2 * GiB, K_NONE },
			{ MAXA, K_NONE }, { ~0ULL, K_NONE } },
	},
	{
		/* SPEC D2 example, and D3 (no holes: end_of_layout = end of RAM). */
		.name = "C1 D2/D3 example (8 GiB, no holes)",
		.l = { C1(8 * GiB) },
		.nr_ram = 1,
		.ram = { R(0, 8 * GiB) },
		.st = ST(P_MB, 1, 0, 0, 0, 8 * GiB, 8 * GiB, 4 * GiB, 4 * GiB, 4 * GiB,
			 0, 8 * GiB, 0, 0),
		.nr_pk = 5,
		.pk = { { 0, K_RAM }, { G4 - 1, K_RAM }, { G4, K_RAM },
			{ 8 * GiB - 1, K_RAM }, { 8 * GiB, K_NONE } },
	},
	{
		/* D2: [3G,4G) counts below 4 GiB; touching RAM kept apart (C3). */
		.name = "C3 D2 RAM [3G,4G) v0 + [4G,6G) v1 touching",
		.l = { C3(RV(3 * GiB, 4 * GiB, 0), RV(4 * GiB, 6 * GiB, 1)) },
		.nr_ram = 2,
		.ram = { RV(3 * GiB, 4 * GiB, 0), RV(4 * GiB, 6 * GiB, 1) },
		.st = ST(P_MB, 2, 0, 0, 0, 3 * GiB, 6 * GiB, GiB, 2 * GiB, 4 * GiB,
			 0, 6 * GiB, 0, 0),
		.nr_pk = 5,
		.pk = { { 3 * GiB - 1, K_NONE }, { 3 * GiB, K_RAM }, { G4 - 1, K_RAM },
			{ G4, K_RAM }, { 6 * GiB, K_NONE } },
	},
	{
		/* SPEC D1 example: a hole at 0 leaves an empty chunk, skipped. */
		.name = "C1 D1 example (1 GiB, mmio [0,4K))",
		.l = { C1(GiB), MMIO(R(0, PG)) },
		.nr_ram = 1,
		.ram = { R(PG, GiB + PG) },
		.st = ST(P_MB, 1, 1, 0, 0, GiB, GiB + PG, GiB, 0, GiB + PG, 0,
			 GiB + PG, 0, 0),
		.nr_pk = 5,
		.pk = { { 0, K_MMIO }, { PG - 1, K_MMIO }, { PG, K_RAM },
			{ GiB + PG - 1, K_RAM }, { GiB + PG, K_NONE } },
	},
	{
		/* D1: two touching holes of different kinds, empty chunk skipped. */
		.name = "C1 D1 touching holes (2 GiB, mmio [1G,2G), ecam [2G,3G))",
		.l = { C1(2 * GiB), MMIO(R(GiB, 2 * GiB)), ECAM(R(2 * GiB, 3 * GiB)) },
		.nr_ram = 2,
		.ram = { R(0, GiB), R(3 * GiB, 4 * GiB) },
		.st = ST(P_MB, 2, 1, 1, 0, 2 * GiB, 4 * GiB, 2 * GiB, 0, 4 * GiB, 0,
			 4 * GiB, 0, 0),
		.nr_pk = 6,
		.pk = { { GiB - 1, K_RAM }, { GiB, K_MMIO }, { 2 * GiB - 1, K_MMIO },
			{ 2 * GiB, K_ECAM }, { 3 * GiB, K_RAM }, { 4 * GiB, K_NONE } },
	},
	{
		/* C2: node budgets split a chunk; same hole set as the seed. */
		.name = "C2 nodes 1.5G+1.5G, mmio [1G,2G),[3G,4G)",
		.l = { C2(GiB + 512 * MiB, GiB + 512 * MiB),
		       MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)) },
		.nr_ram = 4,
		.ram = { RV(0, GiB, 0), RV(2 * GiB, 2 * GiB + 512 * MiB, 0),
			 RV(2 * GiB + 512 * MiB, 3 * GiB, 1), RV(4 * GiB, 5 * GiB, 1) },
		.st = ST(P_MB | P_HM, 4, 2, 0, 0, 3 * GiB, 5 * GiB, 2 * GiB, GiB,
			 3 * GiB, GiB, 5 * GiB, 0, 0),
		.nr_pk = 6,
		.pk = { { 2 * GiB + 512 * MiB - 1, K_RAM }, { 2 * GiB + 512 * MiB, K_RAM },
			{ 3 * GiB, K_MMIO }, { 4 * GiB, K_RAM }, { 5 * GiB - 1, K_RAM },
			{ 5 * GiB, K_NONE } },
	},
	{
		/* C3 with every hole kind and VTL2 (VTL2 probes as none). */
		.name = "C3 all hole kinds + VTL2",
		.l = ex5,
		.nr_ram = 3,
		.ram = { RV(0, GiB, 0), RV(GiB, 2 * GiB, 1), RV(4 * GiB, 6 * GiB, 2) },
		.st = ST(P_V2 | P_MB, 3, 1, 1, 2, 4 * GiB, 6 * GiB, 2 * GiB, 2 * GiB,
			 2 * GiB, 0, 7 * GiB, 8 * GiB, 8 * GiB + 64 * MiB),
		.nr_pk = 14,
		.pk = { { GiB - 1, K_RAM }, { GiB, K_RAM }, { 2 * GiB, K_MMIO },
			{ 3 * GiB, K_ECAM }, { 3 * GiB + 256 * MiB - 1, K_ECAM },
			{ 3 * GiB + 256 * MiB, K_NONE }, { 3 * GiB + 512 * MiB, K_PMMIO },
			{ 4 * GiB, K_RAM }, { 6 * GiB - 1, K_RAM }, { 6 * GiB, K_PMMIO },
			{ 7 * GiB - 1, K_PMMIO }, { 7 * GiB, K_NONE }, { 8 * GiB, K_NONE },
			{ 8 * GiB + 64 * MiB - 1, K_NONE } },
	},
	{
		/* C1 with every hole kind (placed around all of them) and VTL2. */
		.name = "C1 all hole kinds + VTL2 (4 GiB)",
		.l = { C1(4 * GiB), MMIO(R(3 * GiB, 4 * GiB)),
		       ECAM(R(2 * GiB, 2 * GiB + 256 * MiB)), PMMIO(R(64 * GiB, 128 * GiB)),
		       VTL2(32 * GiB, 33 * GiB) },
		.nr_ram = 3,
		.ram = { R(0, 2 * GiB), R(2 * GiB + 256 * MiB, 3 * GiB),
			 R(4 * GiB, 5 * GiB + 256 * MiB) },
		.st = ST(P_V2 | P_MB, 3, 1, 1, 1, 4 * GiB, 5 * GiB + 256 * MiB,
			 2 * GiB + 768 * MiB, GiB + 256 * MiB, 3 * GiB, 0, 128 * GiB,
			 32 * GiB, 33 * GiB),
		.nr_pk = 8,
		.pk = { { 2 * GiB, K_ECAM }, { 2 * GiB + 256 * MiB, K_RAM },
			{ 3 * GiB, K_MMIO }, { 5 * GiB + 256 * MiB - 1, K_RAM },
			{ 5 * GiB + 256 * MiB, K_NONE }, { 32 * GiB, K_NONE },
			{ 64 * GiB, K_PMMIO }, { 128 * GiB, K_NONE } },
	},
	{
		/* The top of the address space, any u32 vnode passed through. */
		.name = "C3 top of address space, vnode 0xffffffff",
		.l = { C3(RV(0, PG, 0xFFFFFFFFU), RV(MAXA - 2 * PG, MAXA - PG, 7)),
		       MMIO(R(MAXA - PG, MAXA)) },
		.nr_ram = 2,
		.ram = { RV(0, PG, 0xFFFFFFFFU), RV(MAXA - 2 * PG, MAXA - PG, 7) },
		.st = ST(P_MB, 2, 1, 0, 0, 2 * PG, MAXA - PG, PG, PG, PG, 0, MAXA, 0, 0),
		.nr_pk = 9,
		.pk = { { 0, K_RAM }, { PG - 1, K_RAM }, { PG, K_NONE },
			{ MAXA - 2 * PG - 1, K_NONE }, { MAXA - 2 * PG, K_RAM },
			{ MAXA - PG, K_MMIO }, { MAXA - 1, K_MMIO }, { MAXA, K_NONE },
			{ ~0ULL, K_NONE } },
	},
	{
		/* R6 boundary: exactly MAX_ADDRESS bytes fit with no holes. */
		.name = "C1 ram_size = MAX_ADDRESS (fits exactly)",
		.l = { C1(MAXA) },
		.nr_ram = 1,
		.ram = { R(0, MAXA) },
		.st = ST(P_MB, 1, 0, 0, 0, MAXA, MAXA, G4, MAXA - G4, G4, 0, MAXA, 0, 0),
		.nr_pk = 3,
		.pk = { { MAXA - 1, K_RAM }, { MAXA, K_NONE }, { ~0ULL, K_NONE } },
	},
	{
		/* R6 boundary for C2: node sizes summing to MAX_ADDRESS. */
		.name = "C2 nodes 1G + (MAX-1G) (fits exactly)",
		.l = { C2(GiB, MAXA - GiB) },
		.nr_ram = 2,
		.ram = { RV(0, GiB, 0), RV(GiB, MAXA, 1) },
		.st = ST(P_MB, 2, 0, 0, 0, MAXA, MAXA, G4, MAXA - G4, G4, 0, MAXA, 0, 0),
		.nr_pk = 2,
		.pk = { { MAXA - 1, K_RAM }, { MAXA, K_NONE } },
	},
	{
		/* R7 boundary: VTL2 starting exactly at the end of RAM, touching a hole. */
		.name = "C3 VTL2 at end of RAM, touching an mmio gap",
		.l = { C3(R(2 * GiB, 6 * GiB)), MMIO(R(6 * GiB + 2 * MiB, 7 * GiB)),
		       VTL2(6 * GiB, 6 * GiB + 2 * MiB) },
		.nr_ram = 1,
		.ram = { R(2 * GiB, 6 * GiB) },
		.st = ST(P_V2 | P_MB, 1, 1, 0, 0, 4 * GiB, 6 * GiB, 2 * GiB, 2 * GiB,
			 4 * GiB, 0, 7 * GiB, 6 * GiB, 6 * GiB + 2 * MiB),
		.nr_pk = 5,
		.pk = { { 2 * GiB - 1, K_NONE }, { 6 * GiB - 1, K_RAM }, { 6 * GiB, K_NONE },
			{ 6 * GiB + 2 * MiB - 1, K_NONE }, { 6 * GiB + 2 * MiB, K_MMIO } },
	},
	{
		/* Q7 with three mmio gaps is absent; C2 with many nodes. */
		.name = "C2 8 nodes x 256M, 3 mmio + ecam + pci_mmio",
		.l = { C2(256 * MiB, 256 * MiB, 256 * MiB, 256 * MiB, 256 * MiB,
			  256 * MiB, 256 * MiB, 256 * MiB),
		       MMIO(R(512 * MiB, GiB), R(GiB, GiB + 128 * MiB), R(3 * GiB, 4 * GiB)),
		       ECAM(R(GiB + 128 * MiB, GiB + 256 * MiB)),
		       PMMIO(R(GiB + 384 * MiB, GiB + 512 * MiB)) },
		.nr_ram = 9,
		.ram = { RV(0, 256 * MiB, 0), RV(256 * MiB, 512 * MiB, 1),
			 RV(GiB + 256 * MiB, GiB + 384 * MiB, 2),
			 RV(GiB + 512 * MiB, GiB + 640 * MiB, 2),
			 RV(GiB + 640 * MiB, GiB + 896 * MiB, 3),
			 RV(GiB + 896 * MiB, 2 * GiB + 128 * MiB, 4),
			 RV(2 * GiB + 128 * MiB, 2 * GiB + 384 * MiB, 5),
			 RV(2 * GiB + 384 * MiB, 2 * GiB + 640 * MiB, 6),
			 RV(2 * GiB + 640 * MiB, 2 * GiB + 896 * MiB, 7) },
		.st = ST(P_MB, 9, 3, 1, 1, 2 * GiB, 2 * GiB + 896 * MiB, 2 * GiB, 0,
			 2 * GiB + 896 * MiB, 0, 4 * GiB, 0, 0),
		.nr_pk = 9,
		.pk = { { 512 * MiB - 1, K_RAM }, { 512 * MiB, K_MMIO }, { GiB, K_MMIO },
			{ GiB + 128 * MiB, K_ECAM }, { GiB + 256 * MiB, K_RAM },
			{ GiB + 384 * MiB, K_PMMIO }, { 2 * GiB + 896 * MiB, K_NONE },
			{ 3 * GiB, K_MMIO }, { 4 * GiB, K_NONE } },
	},
};

const unsigned int nr_examples = ARRAY_SIZE(examples);
/* ------------------------------------------------------------------ */
/* Random valid layouts against the model                               */
/* ------------------------------------------------------------------ */


/* A random valid request (SPEC C1-C3, sometimes VTL2). */
void random_lay(struct rlay *r)
{
	static struct model m;
	uint64_t unit = PG << rndn(20), pos = rndn(4) ? 0 : rndn(64) * unit;
	uint32_t src = 1 + (uint32_t)rndn(3), nseg = (uint32_t)rndn(24), i;

	memset(r, 0, sizeof(*r));
	r->unit = unit;
	r->l.source = src;
	for (i = 0; i < nseg; i++) {
		uint64_t len = (1 + rndn(64)) * unit;
		/* C3: 2 in 5 RAM; the rest (and all of C1/C2) holes. */
		uint32_t kind = src == 3 ? (uint32_t)rndn(5) : 2 + (uint32_t)rndn(3);
		mr_t x;

		if (rndn(3))
			pos += rndn(32) * unit;		/* else touching */
		memset(&x, 0, sizeof(x));
		x.start = pos;
		x.end = pos + len;
		pos += len;
		if (kind < 2) {
			x.vnode = (uint32_t)rndn(4);
			r->ram[r->l.nr_ram++] = x;
		} else if (kind == 2) {
			r->mmio[r->l.nr_mmio++] = x;
		} else if (kind == 3) {
			r->ecam[r->l.nr_ecam++] = x;
		} else {
			r->pmmio[r->l.nr_pmmio++] = x;
		}
	}
	if (src == 3 && !r->l.nr_ram) {
		mr_t x = R(pos + unit, pos + 2 * unit);

		r->ram[r->l.nr_ram++] = x;
		pos += 2 * unit;
	}
	if (src == 1) {
		r->l.ram_size = (1 + rndn(200)) * unit;
	} else if (src == 2) {
		r->l.nr_nodes = 1 + (uint32_t)rndn(6);
		for (i = 0; i < r->l.nr_nodes; i++)
			r->nodes[i] = (1 + rndn(60)) * unit;
	}
	r->l.nodes = r->nodes;
	r->l.ram = r->ram;
	r->l.mmio = r->mmio;
	r->l.ecam = r->ecam;
	r->l.pmmio = r->pmmio;
	if (rndn(2)) {
		uint64_t end;

		model_build(&r->l, &m);
		end = m.st.end_of_layout;
		r->l.has_vtl2 = true;
		r->l.vtl2.start = end + rndn(3) * unit;
		r->l.vtl2.end = r->l.vtl2.start + (1 + rndn(8)) * unit;
		r->l.vtl2.vnode = r->l.vtl2.reserved = 0;
	}
}


static bool bad_range(const mr_t *r)
{
	return r->start >= r->end || r->start % PG || r->end % PG || r->end > MAXA;
}

static const mr_t *lay_list(const struct lay *l, uint32_t list, uint32_t *n)
{
	switch (list) {
	case L_RAM:
		*n = l->source == MEMLAYOUT_SOURCE_RANGES ? l->nr_ram : 0;
		return l->ram;
	case L_MMIO:
		*n = l->nr_mmio;
		return l->mmio;
	case L_ECAM:
		*n = l->nr_ecam;
		return l->ecam;
	default:
		*n = l->nr_pmmio;
		return l->pmmio;
	}
}

struct sent {	/* a range of the built sequence, with its origin */
	uint64_t start, end;
	uint32_t list, index;
};

static struct verdict vd(int err, uint32_t rule, uint32_t list, uint32_t index,
			 uint32_t olist, uint32_t oindex)
{
	struct verdict v = { err, rule, list, index, olist, oindex };

	return v;
}

struct verdict model_validate(const struct lay *l)
{
	static struct sent seq[4 * MODEL_MAX];
	uint32_t list, i, n, nseq = 0, nr_ram = 0, pos_[5] = { 0 };
	const mr_t *r;
	uint64_t end_of_ram = 0;

	/* R1 */
	if (l->source == MEMLAYOUT_SOURCE_SIZE && (!l->ram_size || l->ram_size % PG))
		return vd(-EINVAL, 1, L_NONE, 0, 0, 0);
	if (l->source == MEMLAYOUT_SOURCE_NODES) {
		if (!l->nr_nodes)
			return vd(-EINVAL, 1, L_NODES, 0, 0, 0);
		for (i = 0; i < l->nr_nodes; i++)
			if (!l->nodes[i] || l->nodes[i] % PG)
				return vd(-EINVAL, 1, L_NODES, i, 0, 0);
	}
	/* R2: ram, mmio, pci_ecam, pci_mmio, then VTL2 */
	for (list = L_RAM; list <= L_PMMIO; list++) {
		r = lay_list(l, list, &n);
		for (i = 0; i < n; i++)
			if (bad_range(&r[i]))
				return vd(-EINVAL, 2, list, i, 0, 0);
	}
	if (l->has_vtl2 && bad_range(&l->vtl2))
		return vd(-EINVAL, 2, L_VTL2, 0, 0, 0);
	/* R3 */
	for (list = L_RAM; list <= L_PMMIO; list++) {
		r = lay_list(l, list, &n);
		for (i = 1; i < n; i++)
			if (r[i].start < r[i - 1].end)
				return vd(-EINVAL, 3, list, i, 0, 0);
	}
	/* The sequence in address order (ties: lower list first); R6. */
	{
		uint32_t first = l->source == MEMLAYOUT_SOURCE_RANGES ? L_RAM : L_MMIO;
		uint32_t nodes = l->source == MEMLAYOUT_SOURCE_NODES ? l->nr_nodes : 1;
		uint64_t pos = 0, left = l->source == MEMLAYOUT_SOURCE_NODES ? l->nodes[0] : l->ram_size;
		uint32_t node = 0, ram_i = 0;
		bool place = first == L_MMIO;

		for (;;) {
			const mr_t *best = NULL;
			uint32_t bl = 0;
			uint64_t limit;

			for (list = first; list <= L_PMMIO; list++) {
				r = lay_list(l, list, &n);
				if (pos_[list] < n && (!best || r[pos_[list]].start < best->start)) {
					best = &r[pos_[list]];
					bl = list;
				}
			}
			limit = best ? best->start : MAXA;
			while (place && node < nodes && pos < limit) {
				uint64_t take = left < limit - pos ? left : limit - pos;

				seq[nseq++] = (struct sent){ pos, pos + take, L_RAM, ram_i++ };
				pos += take;
				left -= take;
				if (!left && ++node < nodes)
					left = l->nodes[node];
			}
			if (!best)
				break;
			seq[nseq++] = (struct sent){ best->start, best->end, bl, pos_[bl]++ };
			if (place && best->end > pos)
				pos = best->end;
		}
		if (place && node < nodes)
			return l->source == MEMLAYOUT_SOURCE_NODES ?
			       vd(-EOVERFLOW, 6, L_NODES, node, 0, 0) :
			       vd(-EOVERFLOW, 6, L_NONE, 0, 0, 0);
	}
	/* R4 among ranges: the first neighbours that overlap. */
	for (i = 1; i < nseq; i++)
		if (seq[i].start < seq[i - 1].end)
			return vd(-EEXIST, 4, seq[i - 1].list, seq[i - 1].index, seq[i].list,
				  seq[i].index);
	for (i = 0; i < nseq; i++)
		if (seq[i].list == L_RAM) {
			nr_ram++;
			end_of_ram = seq[i].end;
		}
	if (l->has_vtl2) {
		/* R4 with VTL2: the lowest range ending above its start. */
		for (i = 0; i < nseq && seq[i].end <= l->vtl2.start; i++)
			;
		if (i < nseq && seq[i].start < l->vtl2.end) {
			if (seq[i].start <= l->vtl2.start)
				return vd(-EEXIST, 4, seq[i].list, seq[i].index, L_VTL2, 0);
			return vd(-EEXIST, 4, L_VTL2, 0, seq[i].list, seq[i].index);
		}
	}
	if (!nr_ram)
		return vd(-EINVAL, 5, L_RAM, 0, 0, 0);
	if (l->has_vtl2 && l->vtl2.start < end_of_ram)
		return vd(-EINVAL, 7, L_VTL2, 0, L_RAM, nr_ram - 1);
	return vd(0, 0, 0, 0, 0, 0);
}

/* Insert @x into @arr (n entries, capacity cap) at its sorted position. */
static void ins_sorted(mr_t *arr, uint32_t *n, uint32_t cap, mr_t x)
{
	uint32_t i;

	if (*n >= cap)
		return;
	for (i = *n; i > 0 && arr[i - 1].start > x.start; i--)
		arr[i] = arr[i - 1];
	arr[i] = x;
	(*n)++;
}

/* A list of @r chosen at random (not empty if possible). */
static mr_t *pick_list(struct rlay *r, uint32_t **n, uint32_t *cap)
{
	uint32_t tries;

	for (tries = 0; tries < 8; tries++) {
		switch (rndn(4)) {
		case 0:
			if (r->l.source != MEMLAYOUT_SOURCE_RANGES)
				continue;
			*n = &r->l.nr_ram; *cap = ARRAY_SIZE(r->ram);
			if (**n)
				return r->ram;
			break;
		case 1:
			*n = &r->l.nr_mmio; *cap = ARRAY_SIZE(r->mmio);
			if (**n)
				return r->mmio;
			break;
		case 2:
			*n = &r->l.nr_ecam; *cap = ARRAY_SIZE(r->ecam);
			if (**n)
				return r->ecam;
			break;
		default:
			*n = &r->l.nr_pmmio; *cap = ARRAY_SIZE(r->pmmio);
			if (**n)
				return r->pmmio;
			break;
		}
	}
	return NULL;
}

/* Any list of @r (maybe empty) to insert into. */
static mr_t *pick_target(struct rlay *r, uint32_t **n, uint32_t *cap)
{
	switch (rndn(r->l.source == MEMLAYOUT_SOURCE_RANGES ? 4 : 3)) {
	case 0:
		*n = &r->l.nr_mmio; *cap = ARRAY_SIZE(r->mmio);
		return r->mmio;
	case 1:
		*n = &r->l.nr_ecam; *cap = ARRAY_SIZE(r->ecam);
		return r->ecam;
	case 2:
		*n = &r->l.nr_pmmio; *cap = ARRAY_SIZE(r->pmmio);
		return r->pmmio;
	default:
		*n = &r->l.nr_ram; *cap = ARRAY_SIZE(r->ram);
		return r->ram;
	}
}

/* Break a random valid request in 1-3 random ways. */
void mutate(struct rlay *r)
{
	uint32_t k, nmut = 1 + (uint32_t)rndn(3);

	for (k = 0; k < nmut; k++) {
		uint32_t *n = NULL, cap = 0, i, *n2 = NULL, cap2 = 0;
		mr_t *a = pick_list(r, &n, &cap), *b;
		uint64_t u = r->unit;

		switch (rndn(11)) {
		case 0:		/* R2: unaligned */
			if (a) {
				i = (uint32_t)rndn(*n);
				if (rndn(2))
					a[i].start += 2048;
				else
					a[i].end -= 1 + rndn(4095);
			}
			break;
		case 1:		/* R2: empty or reversed */
			if (a) {
				uint64_t t;

				i = (uint32_t)rndn(*n);
				if (rndn(2)) {
					a[i].end = a[i].start;
				} else {
					t = a[i].start;
					a[i].start = a[i].end;
					a[i].end = t;
				}
			}
			break;
		case 2:		/* R3: swap neighbours */
			if (a && *n >= 2) {
				mr_t t;

				i = 1 + (uint32_t)rndn(*n - 1);
				t = a[i];
				a[i] = a[i - 1];
				a[i - 1] = t;
			}
			break;
		case 3:		/* R4 (or R3): a range copied, shifted, into another list */
			b = pick_target(r, &n2, &cap2);
			if (a && b != a) {
				mr_t x = a[rndn(*n)];

				x.vnode = 0;
				if (rndn(2)) {
					x.start += rndn(3) * u;
					if (x.start >= x.end)
						x.start = x.end - u;
				}
				ins_sorted(b, n2, cap2, x);
			}
			break;
		case 4:		/* R3/R4: grow a range */
			if (a) {
				i = (uint32_t)rndn(*n);
				a[i].end += (1 + rndn(40)) * u;
			}
			break;
		case 5:		/* VTL2 somewhere: R4 or R7 (or fine) */
		{
			static struct model m;
			uint64_t start;

			model_build(&r->l, &m);
			start = m.n ? m.e[rndn(m.n)].start : 0;
			start += (rndn(5) - 2) * (int64_t)u;
			if (start > MAXA - 8 * u)
				start = 0;
			r->l.has_vtl2 = true;
			r->l.vtl2.start = start;
			r->l.vtl2.end = start + (1 + rndn(4)) * u;
			/* Or into a free gap, which is below some RAM in C3 (R7). */
			for (i = 1; rndn(2) && i < m.n; i++) {
				uint32_t j = 1 + (uint32_t)rndn(m.n - 1);

				if (m.e[j - 1].end < m.e[j].start && m.e[j].start - m.e[j - 1].end >= u) {
					r->l.vtl2.start = m.e[j - 1].end;
					r->l.vtl2.end = m.e[j - 1].end + u;
					break;
				}
			}
			break;
		}
		case 6:		/* R1 */
			if (r->l.source == MEMLAYOUT_SOURCE_SIZE)
				r->l.ram_size = rndn(2) ? 0 : r->l.ram_size + 2048;
			else if (r->l.source == MEMLAYOUT_SOURCE_NODES)
				r->nodes[rndn(r->l.nr_nodes)] = rndn(2) ? 0 : PG + 512;
			break;
		case 7:		/* R6 */
			if (r->l.source == MEMLAYOUT_SOURCE_SIZE)
				r->l.ram_size = MAXA - rndn(3) * PG;
			else if (r->l.source == MEMLAYOUT_SOURCE_NODES)
				r->nodes[rndn(r->l.nr_nodes)] = rndn(2) ? 1ULL << 63 : MAXA;
			break;
		case 8:		/* R5 */
			if (r->l.source == MEMLAYOUT_SOURCE_RANGES)
				r->l.nr_ram = 0;
			break;
		case 9:		/* R2: end above MAX_ADDRESS; or a range at the very top */
			if (a) {
				i = (uint32_t)rndn(*n);
				if (rndn(2)) {
					a[i].end = ~0ULL;
				} else if (i == *n - 1) {
					a[i].start = MAXA - PG;
					a[i].end = MAXA;
				}
			}
			break;
		default:	/* drop a range (may fix or shift an earlier defect) */
			if (a && *n) {
				i = (uint32_t)rndn(*n);
				memmove(&a[i], &a[i + 1], (*n - i - 1) * sizeof(*a));
				(*n)--;
			}
			break;
		}
	}
}
