// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout_test - end-to-end test of /dev/memlayout.
 *
 * Runs as root inside the test guest (tests/vm/init.sh, packed by
 * scripts/vmtest.sh) with memlayout.ko loaded, once as a static 64-bit
 * binary and once as a static 32-bit one (-m32: every ioctl then goes
 * through compat_ioctl).
 *
 *   memlayout_test            TAP tests; exit 0 when every check passes
 *   memlayout_test --answers  a canonical dump of stats, ranges, probes and
 *                             rejections for a fixed set of layouts; the
 *                             harness diffs the 64-bit and 32-bit outputs
 *   memlayout_test --bench    PROBE timing ("# bench ..." lines), never
 *                             pass/fail
 *   memlayout_test --selfcheck  no device: the hand-written expectations
 *                             against the model (for editing this file)
 *
 * MEMLAYOUT_RACE_ROUNDS (env) overrides the race's SET count (default
 * 50000, capped at 6 s; the count used is printed).
 *
 * Build: gcc -O2 -Wall -Wextra -Werror -static -pthread \
 *            -I include/uapi tests/vm/memlayout_test.c [-m32]
 *
 * Checks cite the SPEC rule (R1..R8, C1..C3, Q1..Q9, D1..D7) or the UAPI
 * header's clause they exercise. Expected values are written out by hand
 * for the SPEC's own examples and computed by an independent userspace
 * model of the SPEC (model_build()) for the rest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/memlayout.h>

#include "tap.h"

#define DEV_PATH	"/dev/memlayout"
#define PARAM_PATH	"/sys/module/memlayout/parameters/max_ranges"
#define DEBUGFS_DIR	"/sys/kernel/debug/memlayout/"

#define PG	4096ULL
#define KiB	1024ULL
#define MiB	(1024ULL * KiB)
#define GiB	(1024ULL * MiB)
#define TiB	(1024ULL * GiB)
#define MAXA	((uint64_t)MEMLAYOUT_MAX_ADDRESS)
#define G4	(4 * GiB)

#define K_NONE	MEMLAYOUT_KIND_NONE
#define K_RAM	MEMLAYOUT_KIND_RAM
#define K_MMIO	MEMLAYOUT_KIND_MMIO
#define K_ECAM	MEMLAYOUT_KIND_PCI_ECAM
#define K_PMMIO	MEMLAYOUT_KIND_PCI_MMIO

#define L_NONE	MEMLAYOUT_LIST_NONE
#define L_RAM	MEMLAYOUT_LIST_RAM
#define L_MMIO	MEMLAYOUT_LIST_MMIO
#define L_ECAM	MEMLAYOUT_LIST_PCI_ECAM
#define L_PMMIO	MEMLAYOUT_LIST_PCI_MMIO
#define L_VTL2	MEMLAYOUT_LIST_VTL2
#define L_NODES	MEMLAYOUT_LIST_NODES

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define U64P(p)		((uint64_t)(uintptr_t)(p))

typedef struct memlayout_range mr_t;

/* ------------------------------------------------------------------ */
/* Layout requests                                                      */
/* ------------------------------------------------------------------ */

/**
 * struct lay - one SET_LAYOUT request, as lists (turned into a
 * struct memlayout_set by mkset()).
 */
struct lay {
	uint32_t source;
	uint64_t ram_size;
	const uint64_t *nodes;
	uint32_t nr_nodes;
	const mr_t *ram, *mmio, *ecam, *pmmio;
	uint32_t nr_ram, nr_mmio, nr_ecam, nr_pmmio;
	bool has_vtl2;
	mr_t vtl2;
};

#define R(a, b)		{ (a), (b), 0, 0 }
#define RV(a, b, v)	{ (a), (b), (v), 0 }
#define NR_R(...)	((uint32_t)(sizeof((mr_t[]){ __VA_ARGS__ }) / sizeof(mr_t)))
#define NR_U64(...)	((uint32_t)(sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)))

#define C1(sz)		.source = MEMLAYOUT_SOURCE_SIZE, .ram_size = (sz)
#define C2(...)		.source = MEMLAYOUT_SOURCE_NODES, \
			.nodes = (uint64_t[]){ __VA_ARGS__ }, .nr_nodes = NR_U64(__VA_ARGS__)
#define C3(...)		.source = MEMLAYOUT_SOURCE_RANGES, \
			.ram = (mr_t[]){ __VA_ARGS__ }, .nr_ram = NR_R(__VA_ARGS__)
#define C3_NORAM	.source = MEMLAYOUT_SOURCE_RANGES
#define MMIO(...)	.mmio = (mr_t[]){ __VA_ARGS__ }, .nr_mmio = NR_R(__VA_ARGS__)
#define ECAM(...)	.ecam = (mr_t[]){ __VA_ARGS__ }, .nr_ecam = NR_R(__VA_ARGS__)
#define PMMIO(...)	.pmmio = (mr_t[]){ __VA_ARGS__ }, .nr_pmmio = NR_R(__VA_ARGS__)
#define VTL2(a, b)	.has_vtl2 = true, .vtl2 = R((a), (b))

static struct memlayout_set mkset(const struct lay *l)
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
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

static const char *errname(int e)
{
	static char buf[32];

	if (e < 0)
		e = -e;
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case E2BIG: return "E2BIG";
	case EEXIST: return "EEXIST";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOENT: return "ENOENT";
	case ENOTTY: return "ENOTTY";
	case EMSGSIZE: return "EMSGSIZE";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static const char *kindname(uint32_t k)
{
	static const char *const n[] = { "none", "ram", "mmio", "pci_ecam", "pci_mmio" };

	return k < ARRAY_SIZE(n) ? n[k] : "BAD-KIND";
}

static const char *listname(uint32_t l)
{
	static const char *const n[] = { "none", "ram", "mmio", "pci_ecam",
					 "pci_mmio", "vtl2", "nodes" };

	return l < ARRAY_SIZE(n) ? n[l] : "BAD-LIST";
}

static const char *rulename(uint32_t r)
{
	static const char *const n[] = { "NONE", "R1 BAD_SIZE", "R2 BAD_RANGE",
					 "R3 BAD_ORDER", "R4 OVERLAP", "R5 NO_RAM",
					 "R6 TOO_LARGE", "R7 VTL2_BELOW_RAM",
					 "R8 TOO_MANY" };

	if (r < ARRAY_SIZE(n))
		return n[r];
	if (r == MEMLAYOUT_REASON_FLAGS)
		return "REASON_FLAGS";
	if (r == MEMLAYOUT_REASON_RESERVED)
		return "REASON_RESERVED";
	return "BAD-RULE";
}

/* ioctl, returning 0 or -errno. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static bool eq64(const char *what, uint64_t got, uint64_t exp)
{
	if (got == exp)
		return true;
	diag("%s: expected %#" PRIx64 ", got %#" PRIx64, what, exp, got);
	return false;
}

static bool eqerr(const char *what, int got, int exp)
{
	if (got == exp)
		return true;
	diag("%s: expected %s, got %s", what, errname(exp), errname(got));
	return false;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_dev(void)
{
	int fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("Bail out! cannot open %s: %s\n", DEV_PATH, strerror(errno));
		exit(2);
	}
	return fd;
}

/* xorshift64*: the same sequence on 32- and 64-bit builds. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Uniform-ish in [0, n) (n > 0). */
static uint64_t rndn(uint64_t n)
{
	return rnd() % n;
}

/* Read a decimal number from a sysfs/debugfs file; -1 on error. */
static long long read_num(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

/* Write a string to a sysfs file; 0 or -errno. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

static long long orig_max_ranges = -1;

static void restore_max_ranges(void)
{
	char buf[32];

	if (orig_max_ranges > 0) {
		snprintf(buf, sizeof(buf), "%lld", orig_max_ranges);
		write_str(PARAM_PATH, buf);
	}
}

static int set_max_ranges(long long v)
{
	char buf[32];

	if (orig_max_ranges < 0) {
		orig_max_ranges = read_num(PARAM_PATH);
		atexit(restore_max_ranges);
	}
	snprintf(buf, sizeof(buf), "%lld", v);
	return write_str(PARAM_PATH, buf);
}

/* Three pages: [0] read-write, [1] PROT_NONE, [2] read-only. */
static unsigned char *pages;

static void setup_pages(void)
{
	pages = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		exit(2);
	}
	memset(pages, 0, 3 * PG);
	mprotect(pages + PG, PG, PROT_NONE);
	mprotect(pages + 2 * PG, PG, PROT_READ);
}

#define PAGE_RW		(pages)
#define PAGE_NONE	(pages + PG)
#define PAGE_RO		(pages + 2 * PG)

/* Write into the read-only page (temporarily writable). */
static void *ro_copy(const void *src, size_t len)
{
	mprotect(PAGE_RO, PG, PROT_READ | PROT_WRITE);
	memset(PAGE_RO, 0, PG);
	memcpy(PAGE_RO, src, len);
	mprotect(PAGE_RO, PG, PROT_READ);
	return PAGE_RO;
}

/* ------------------------------------------------------------------ */
/* ioctl wrappers                                                       */
/* ------------------------------------------------------------------ */

static int do_set(int fd, struct memlayout_set *s)
{
	return xioctl(fd, MEMLAYOUT_IOC_SET_LAYOUT, s);
}

static int set_lay(int fd, const struct lay *l, uint64_t *gen)
{
	struct memlayout_set s = mkset(l);
	int r = do_set(fd, &s);

	if (gen)
		*gen = r ? 0 : s.generation;
	if (r)
		diag("SET_LAYOUT failed: %s (reason %s list %s index %u other %s/%u)",
		     errname(r), rulename(s.reason.rule), listname(s.reason.list),
		     s.reason.index, listname(s.reason.other_list),
		     s.reason.other_index);
	return r;
}

static int get_stats(int fd, struct memlayout_stats *st)
{
	memset(st, 0xA5, sizeof(*st));	/* every output field must be written */
	st->size = sizeof(*st);
	st->flags = 0;
	return xioctl(fd, MEMLAYOUT_IOC_GET_STATS, st);
}

static int get_ranges(int fd, uint32_t list, mr_t *buf, uint32_t cap,
		      uint32_t *count, uint64_t *gen)
{
	struct memlayout_get_ranges g;
	int r;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = list;
	g.count = cap;
	g.ranges_ptr = cap ? U64P(buf) : 0;
	g.generation = 0xDEADBEEF;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	if (count)
		*count = g.count;
	if (gen)
		*gen = g.generation;
	return r;
}

static int probe(int fd, const uint64_t *addrs, uint32_t *kinds, uint32_t n,
		 uint64_t *gen)
{
	struct memlayout_probe p;
	int r;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.count = n;
	p.addrs_ptr = n ? U64P(addrs) : 0;
	p.kinds_ptr = n ? U64P(kinds) : 0;
	r = xioctl(fd, MEMLAYOUT_IOC_PROBE, &p);
	if (gen)
		*gen = p.generation;
	return r;
}

/* ------------------------------------------------------------------ */
/* The SPEC model: builds the expected layout of a valid request         */
/* ------------------------------------------------------------------ */

#define MODEL_MAX 1024

struct ent {
	uint64_t start, end;
	uint32_t vnode, kind;
};

struct model {
	uint32_t n;
	struct ent e[MODEL_MAX];
	bool has_vtl2;
	mr_t vtl2;
	struct memlayout_stats st;	/* expected, generation 0 */
};

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
		printf("Bail out! model overflow\n");
		exit(2);
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

/* The expected result of a request known to be valid. */
static void model_build(const struct lay *l, struct model *m)
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
}

/* SPEC Q9 by linear scan. */
static uint32_t model_probe(const struct model *m, uint64_t a)
{
	uint32_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].start <= a && a < m->e[i].end)
			return m->e[i].kind;
	return K_NONE;
}

/* The model's list @list, in address order. */
static uint32_t model_list(const struct model *m, uint32_t list, mr_t *out)
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
static uint32_t model_edges(const struct model *m, uint64_t *a, uint32_t max)
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
/* Comparisons against expectations                                    */
/* ------------------------------------------------------------------ */

#define STAT_FIELDS(X) X(present) X(nr_ram) X(nr_mmio) X(nr_pci_ecam) \
	X(nr_pci_mmio) X(reserved) X(generation) X(ram_size) X(end_of_ram) \
	X(ram_below_4gb) X(ram_above_4gb) X(max_ram_below_4gb) \
	X(ram_above_high_mmio) X(end_of_layout) X(vtl2_start) X(vtl2_end)

static bool stats_equal(const struct memlayout_stats *got,
			const struct memlayout_stats *exp)
{
	bool ok = true;

#define CMP(f) ok &= eq64("stats." #f, (uint64_t)got->f, (uint64_t)exp->f);
	STAT_FIELDS(CMP)
#undef CMP
	return ok;
}

/* GET_STATS equals @exp (with @exp->generation). */
static bool check_stats(int fd, const struct memlayout_stats *exp)
{
	struct memlayout_stats st;
	int r = get_stats(fd, &st);

	if (!eqerr("GET_STATS", r, 0))
		return false;
	return stats_equal(&st, exp) & eq64("stats.size", st.size, sizeof(st)) &
	       eq64("stats.flags", st.flags, 0);
}

/* GET_RANGES(@list) returns exactly @exp[0..n) with generation @gen. */
static bool check_list(int fd, uint32_t list, const mr_t *exp, uint32_t n,
		       uint64_t gen)
{
	mr_t buf[MODEL_MAX + 2];
	uint32_t count, i, cap = n + 2;
	uint64_t g;
	bool ok = true;
	char what[64];
	int r;

	memset(buf, 0x5A, sizeof(buf));
	r = get_ranges(fd, list, buf, cap, &count, &g);
	snprintf(what, sizeof(what), "GET_RANGES(%s)", listname(list));
	if (!eqerr(what, r, 0))
		return false;
	ok &= eq64("count", count, n);
	ok &= eq64("generation", g, gen);
	for (i = 0; i < n && i < count; i++) {
		if (buf[i].start != exp[i].start || buf[i].end != exp[i].end ||
		    buf[i].vnode != exp[i].vnode || buf[i].reserved) {
			diag("%s[%u]: expected [%#" PRIx64 ",%#" PRIx64 ") vnode %u, got [%#"
			     PRIx64 ",%#" PRIx64 ") vnode %u reserved %u", listname(list), i,
			     (uint64_t)exp[i].start, (uint64_t)exp[i].end, exp[i].vnode,
			     (uint64_t)buf[i].start, (uint64_t)buf[i].end, buf[i].vnode,
			     buf[i].reserved);
			ok = false;
		}
	}
	/* Nothing written past the list. */
	for (i = count; i < cap; i++) {
		const unsigned char *p = (const unsigned char *)&buf[i];
		size_t j;

		for (j = 0; j < sizeof(buf[i]); j++)
			if (p[j] != 0x5A) {
				diag("%s: entry %u past the count was written", what, i);
				ok = false;
				break;
			}
	}
	return ok;
}

struct pk {
	uint64_t a;
	uint32_t k;
};

/* One batch PROBE of @n addresses answers @pk[i].k each. */
static bool check_probes(int fd, const struct pk *pk, uint32_t n, uint64_t gen)
{
	uint64_t a[256];
	uint32_t k[257], i;
	uint64_t g;
	bool ok = true;
	int r;

	for (i = 0; i < n; i++)
		a[i] = pk[i].a;
	k[n] = 0x77777777;
	r = probe(fd, a, k, n, &g);
	if (!eqerr("PROBE", r, 0))
		return false;
	ok &= eq64("probe generation", g, gen);
	for (i = 0; i < n; i++)
		if (k[i] != pk[i].k) {
			diag("probe %#" PRIx64 ": expected %s, got %s (%u)", pk[i].a,
			     kindname(pk[i].k), kindname(k[i]), k[i]);
			ok = false;
		}
	if (k[n] != 0x77777777) {
		diag("PROBE wrote past the kinds array");
		ok = false;
	}
	return ok;
}

/* Everything the fd answers equals the model of @l: stats, lists, probes. */
static bool check_model(int fd, const struct lay *l, uint64_t gen)
{
	static struct model m;
	static mr_t exp[MODEL_MAX];
	static uint64_t a[6 * MODEL_MAX + 32];
	static uint32_t k[6 * MODEL_MAX + 32];
	uint32_t list, n, i;
	uint64_t g;
	bool ok = true;
	int r;

	model_build(l, &m);
	m.st.generation = gen;
	ok &= check_stats(fd, &m.st);
	for (list = L_RAM; list <= L_VTL2; list++) {
		n = model_list(&m, list, exp);
		ok &= check_list(fd, list, exp, n, gen);
	}
	n = model_edges(&m, a, ARRAY_SIZE(a));
	r = probe(fd, a, k, n, &g);
	if (!eqerr("PROBE edges", r, 0))
		return false;
	ok &= eq64("probe generation", g, gen);
	for (i = 0; i < n; i++)
		if (k[i] != model_probe(&m, a[i])) {
			diag("probe %#" PRIx64 ": expected %s, got %s", a[i],
			     kindname(model_probe(&m, a[i])), kindname(k[i]));
			ok = false;
		}
	return ok;
}

/* ------------------------------------------------------------------ */
/* State snapshots: a rejected request must leave everything as it was */
/* ------------------------------------------------------------------ */

#define SNAP_N 48

struct snap {
	int stats_err, probe_err;
	struct memlayout_stats st;
	uint64_t probe_gen;
	uint32_t kinds[SNAP_N];
};

static uint64_t snap_addrs[SNAP_N];

static void take_snap(int fd, struct snap *s)
{
	uint32_t i;

	if (!snap_addrs[1])
		for (i = 0; i < SNAP_N; i++)
			snap_addrs[i] = i < SNAP_N - 2 ? i * 256 * MiB : (i == SNAP_N - 2 ? MAXA - 1 : ~0ULL);
	memset(s, 0, sizeof(*s));
	s->stats_err = get_stats(fd, &s->st);
	if (s->stats_err)
		memset(&s->st, 0, sizeof(s->st));
	s->probe_err = probe(fd, snap_addrs, s->kinds, SNAP_N, &s->probe_gen);
	if (s->probe_err) {
		memset(s->kinds, 0, sizeof(s->kinds));
		s->probe_gen = 0;
	}
}

static bool snap_same(int fd, const struct snap *before)
{
	struct snap after;
	bool ok = true;
	uint32_t i;

	take_snap(fd, &after);
	if (after.stats_err != before->stats_err) {
		diag("layout changed: GET_STATS %s before, %s after",
		     errname(before->stats_err), errname(after.stats_err));
		return false;
	}
	if (memcmp(&after.st, &before->st, sizeof(after.st))) {
		diag("layout changed: stats differ (generation %" PRIu64 " -> %" PRIu64 ")",
		     (uint64_t)before->st.generation, (uint64_t)after.st.generation);
		stats_equal(&after.st, &before->st);
		ok = false;
	}
	if (after.probe_err != before->probe_err || after.probe_gen != before->probe_gen) {
		diag("layout changed: PROBE %s gen %" PRIu64 " before, %s gen %" PRIu64 " after",
		     errname(before->probe_err), before->probe_gen,
		     errname(after.probe_err), after.probe_gen);
		ok = false;
	}
	for (i = 0; i < SNAP_N; i++)
		if (after.kinds[i] != before->kinds[i]) {
			diag("layout changed: probe %#" PRIx64 " %s -> %s", snap_addrs[i],
			     kindname(before->kinds[i]), kindname(after.kinds[i]));
			ok = false;
		}
	return ok;
}

/*
 * SET_LAYOUT @s must fail with @err and reason (rule, list, index,
 * other_list, other_index), and leave the fd's layout intact.
 */
__attribute__((format(printf, 9, 10)))
static bool rej(int fd, struct memlayout_set *s, int err, uint32_t rule,
		uint32_t list, uint32_t index, uint32_t olist, uint32_t oindex,
		const char *fmt, ...)
{
	char desc[256];
	struct snap before;
	va_list ap;
	bool ok = true;
	int r;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);

	take_snap(fd, &before);
	memset(&s->reason, 0xEE, sizeof(s->reason));	/* output only: must be overwritten */
	r = do_set(fd, s);
	ok &= eqerr("SET_LAYOUT", r, err);
	if (s->reason.rule != rule || s->reason.list != list ||
	    s->reason.index != index || s->reason.other_list != olist ||
	    s->reason.other_index != oindex || s->reason.reserved) {
		diag("reason: expected %s list %s index %u other %s/%u, got %s list %s index %u other %s/%u reserved %u",
		     rulename(rule), listname(list), index, listname(olist), oindex,
		     rulename(s->reason.rule), listname(s->reason.list),
		     s->reason.index, listname(s->reason.other_list),
		     s->reason.other_index, s->reason.reserved);
		ok = false;
	}
	ok &= snap_same(fd, &before);
	return tap(ok, "%s -> %s %s%s%s/%u%s", desc, errname(err), rulename(rule),
		   rule ? " " : "", rule ? listname(list) : "", index,
		   rule == MEMLAYOUT_RULE_OVERLAP || rule == MEMLAYOUT_RULE_VTL2_BELOW_RAM ?
		   " (+other)" : "");
}

/* A raw ioctl must fail with @err and leave the fd's layout intact. */
__attribute__((format(printf, 5, 6)))
static bool raw_rej(int fd, unsigned long cmd, void *arg, int err,
		    const char *fmt, ...)
{
	char desc[256];
	struct snap before;
	va_list ap;
	bool ok;
	int r;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	take_snap(fd, &before);
	r = xioctl(fd, cmd, arg);
	ok = eqerr("ioctl", r, err);
	ok &= snap_same(fd, &before);
	return tap(ok, "%s -> %s, layout intact", desc, errname(err));
}

/* ------------------------------------------------------------------ */
/* Fixed layouts: the SPEC's examples and every constructor             */
/* ------------------------------------------------------------------ */

/* Ex5: C3 with all three hole kinds and VTL2 (also the rejection base). */
static const mr_t ex5_ram[] = { RV(0, GiB, 0), RV(GiB, 2 * GiB, 1), RV(4 * GiB, 6 * GiB, 2) };
static const mr_t ex5_mmio[] = { R(2 * GiB, 3 * GiB) };
static const mr_t ex5_ecam[] = { R(3 * GiB, 3 * GiB + 256 * MiB) };
static const mr_t ex5_pmmio[] = { R(3 * GiB + 512 * MiB, 4 * GiB), R(6 * GiB, 7 * GiB) };
static const struct lay ex5 = {
	.source = MEMLAYOUT_SOURCE_RANGES,
	.ram = ex5_ram, .nr_ram = 3,
	.mmio = ex5_mmio, .nr_mmio = 1,
	.ecam = ex5_ecam, .nr_ecam = 1,
	.pmmio = ex5_pmmio, .nr_pmmio = 2,
	.has_vtl2 = true, .vtl2 = R(8 * GiB, 8 * GiB + 64 * MiB),
};

struct example {
	const char *name;
	struct lay l;
	/* expected RAM list (hand-written) */
	uint32_t nr_ram;
	mr_t ram[10];
	/* expected stats, generation filled in at run time */
	struct memlayout_stats st;
	uint32_t nr_pk;
	struct pk pk[24];
};

#define ST(pres, nr, nm, ne, np, rs, eor, b4, a4, mb4, ahm, eol, vs, ve) \
	{ .size = sizeof(struct memlayout_stats), .present = (pres), .nr_ram = (nr), \
	  .nr_mmio = (nm), .nr_pci_ecam = (ne), .nr_pci_mmio = (np), .ram_size = (rs), \
	  .end_of_ram = (eor), .ram_below_4gb = (b4), .ram_above_4gb = (a4), \
	  .max_ram_below_4gb = (mb4), .ram_above_high_mmio = (ahm), \
	  .end_of_layout = (eol), .vtl2_start = (vs), .vtl2_end = (ve) }

#define P_V2	MEMLAYOUT_STATS_VTL2
#define P_MB	MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB
#define P_HM	MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO

static const struct example examples[] = {
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

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

static long long base_live = -1, base_open = -1;

static bool debugfs_ok(void)
{
	return access(DEBUGFS_DIR "live_layouts", R_OK) == 0;
}

/* Poll a debugfs counter until it equals @want (up to @secs). */
static long long wait_counter(const char *name, long long want, double secs,
			      double *took)
{
	char path[128];
	double t0 = now_s();
	long long v;

	snprintf(path, sizeof(path), DEBUGFS_DIR "%s", name);
	for (;;) {
		v = read_num(path);
		if (v == want || now_s() - t0 > secs)
			break;
		usleep(10000);
	}
	if (took)
		*took = now_s() - t0;
	return v;
}

static void test_device(void)
{
	struct stat st;
	int pfd[2], res = -1, status = 0;
	pid_t pid;
	bool ok;

	ok = stat(DEV_PATH, &st) == 0;
	if (!ok)
		diag("stat %s: %s", DEV_PATH, strerror(errno));
	else {
		ok &= eq64("S_ISCHR", S_ISCHR(st.st_mode), 1);
		ok &= eq64("mode", st.st_mode & 07777, 0600);
		ok &= eq64("uid", st.st_uid, 0);
	}
	tap(ok, "device node %s: character device, mode 0600, owner root", DEV_PATH);

	if (pipe(pfd)) {
		tap(false, "non-root open: pipe: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int r[2] = { 0, 0 }, fd;

		close(pfd[0]);
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
		    getuid() != 65534 || geteuid() != 65534) {
			r[0] = r[1] = -1000 - errno;
		} else {
			fd = open(DEV_PATH, O_RDWR);
			r[0] = fd >= 0 ? 0 : errno;
			fd = open(DEV_PATH, O_RDONLY);
			r[1] = fd >= 0 ? 0 : errno;
		}
		if (write(pfd[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	{
		int r[2] = { -1, -1 };

		if (read(pfd[0], r, sizeof(r)) == sizeof(r))
			res = 0;
		close(pfd[0]);
		waitpid(pid, &status, 0);
		ok = res == 0 && r[0] == EACCES && r[1] == EACCES;
		if (!ok)
			diag("uid/gid 65534: open O_RDWR errno %d (%s), O_RDONLY errno %d (%s), expected EACCES",
			     r[0], r[0] > 0 ? strerror(r[0]) : "opened/failed",
			     r[1], r[1] > 0 ? strerror(r[1]) : "opened/failed");
		tap(ok, "uid 65534 cannot open %s (O_RDWR and O_RDONLY -> EACCES)", DEV_PATH);
	}
}

static void test_info(int fd)
{
	struct memlayout_info in;
	long long param = read_num(PARAM_PATH);
	bool ok = true;
	int r;

	memset(&in, 0xA5, sizeof(in));
	in.size = sizeof(in);
	in.flags = 0;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in);
	ok &= eqerr("GET_INFO", r, 0);
	ok &= eq64("size", in.size, sizeof(in));
	ok &= eq64("flags", in.flags, 0);
	ok &= eq64("api_version", in.api_version, MEMLAYOUT_API_VERSION);
	ok &= eq64("api_version is 1", in.api_version, 1);
	ok &= eq64("max_ranges == " PARAM_PATH, in.max_ranges, (uint64_t)param);
	ok &= eq64("max_probe", in.max_probe, MEMLAYOUT_MAX_PROBE);
	ok &= eq64("set_flags", in.set_flags, MEMLAYOUT_SET_VTL2);
	ok &= eq64("page_size", in.page_size, 4096);
	ok &= eq64("max_address", in.max_address, 0xFFFFFFFFFFFFF000ULL);
	tap(ok, "GET_INFO: api_version 1, max_ranges %lld (= module parameter), max_probe, set_flags, page_size, max_address",
	    param);

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	in.flags = 1;
	tap(eqerr("GET_INFO", xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in), -EOPNOTSUPP),
	    "GET_INFO with flags 1 -> EOPNOTSUPP");
	in.flags = 0x80000000U;
	tap(eqerr("GET_INFO", xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in), -EOPNOTSUPP),
	    "GET_INFO with flags 0x80000000 -> EOPNOTSUPP");
}

/* ENOENT before any layout; argument checks still come first. */
static void test_empty(int fd)
{
	struct memlayout_stats st;
	struct memlayout_get_ranges g;
	struct memlayout_probe p;
	uint64_t a[2] = { 0, GiB }, gen = 0;
	uint32_t k[2], list, count;
	mr_t buf[4];
	bool ok;
	int r;

	tap(eqerr("GET_STATS", get_stats(fd, &st), -ENOENT),
	    "GET_STATS before any layout -> ENOENT");
	ok = true;
	for (list = L_RAM; list <= L_VTL2; list++) {
		r = get_ranges(fd, list, buf, 4, &count, NULL);
		ok &= eqerr(listname(list), r, -ENOENT);
		r = get_ranges(fd, list, NULL, 0, &count, NULL);
		ok &= eqerr(listname(list), r, -ENOENT);
	}
	tap(ok, "GET_RANGES of every list (incl. vtl2) before any layout -> ENOENT");
	tap(eqerr("PROBE", probe(fd, a, k, 2, NULL), -ENOENT),
	    "PROBE before any layout -> ENOENT");
	tap(eqerr("PROBE", probe(fd, NULL, NULL, 0, NULL), -ENOENT),
	    "PROBE of 0 addresses before any layout -> ENOENT");

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = 1;
	tap(eqerr("GET_STATS", xioctl(fd, MEMLAYOUT_IOC_GET_STATS, &st), -EOPNOTSUPP),
	    "GET_STATS with flags before any layout -> EOPNOTSUPP (flags checked first)");
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = 0;
	tap(eqerr("GET_RANGES", xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g), -EOPNOTSUPP),
	    "GET_RANGES of list 0 before any layout -> EOPNOTSUPP (list checked first)");
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.count = MEMLAYOUT_MAX_PROBE + 1;
	tap(eqerr("PROBE", xioctl(fd, MEMLAYOUT_IOC_PROBE, &p), -E2BIG),
	    "PROBE count MAX_PROBE+1 before any layout -> E2BIG (count checked first)");

	/* A rejected SET on an empty fd leaves it empty (SPEC: changes nothing). */
	{
		struct memlayout_set s = mkset(&(struct lay){ C1(0) });

		r = do_set(fd, &s);
		ok = eqerr("SET_LAYOUT", r, -EINVAL);
		ok &= eqerr("GET_STATS after", get_stats(fd, &st), -ENOENT);
		ok &= eqerr("PROBE after", probe(fd, a, k, 2, &gen), -ENOENT);
		tap(ok, "rejected SET on an empty fd leaves it empty (ENOENT)");
	}
}

/* Read /proc/self/fdinfo/<fd> from its "generation:"/"layout:" line on. */
static bool read_fdinfo(int fd, char *out, size_t len)
{
	char path[64], buf[65536], *p;
	ssize_t n, total = 0;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0) {
		diag("open %s: %s", path, strerror(errno));
		return false;
	}
	while ((n = read(f, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	close(f);
	buf[total] = '\0';
	p = strstr(buf, "\ngeneration:\t");
	if (!p)
		p = strstr(buf, "\nlayout:\t");
	if (!p) {
		diag("no generation:/layout: line in %s:", path);
		diag("%s", buf);
		return false;
	}
	snprintf(out, len, "%s", p + 1);
	return true;
}

/* The kernel's %#llx prints 0 as "0x0". */
static const char *kx(uint64_t v)
{
	static char bufs[8][24];
	static unsigned int i;
	char *b = bufs[i++ % 8];

	snprintf(b, 24, "0x%" PRIx64, v);
	return b;
}

/* What memlayout_show_fdinfo() prints for the model of @l. */
static void fdinfo_expect(const struct lay *l, uint64_t gen, char *out, size_t len)
{
	static struct model m;
	const struct memlayout_stats *st = &m.st;
	size_t o = 0;
	uint32_t i;

#define OUT(...) do { o += (size_t)snprintf(out + o, len - o, __VA_ARGS__); } while (0)
	model_build(l, &m);
	OUT("generation:\t%" PRIu64 "\n", gen);
	for (i = 0; i < m.n; i++) {
		const struct ent *e = &m.e[i];

		OUT("%s:\t%s-%s\tlength %s", kindname(e->kind), kx(e->start), kx(e->end),
		    kx(e->end - e->start));
		if (e->kind == K_RAM)
			OUT("\tvnode %s", kx(e->vnode));
		OUT("\n");
	}
	if (m.has_vtl2)
		OUT("vtl2:\t%s-%s\tlength %s\n", kx(m.vtl2.start), kx(m.vtl2.end),
		    kx(m.vtl2.end - m.vtl2.start));
	OUT("ram_size:\t%s\n", kx(st->ram_size));
	OUT("end_of_ram:\t%s\n", kx(st->end_of_ram));
	OUT("ram_below_4gb:\t%s\n", kx(st->ram_below_4gb));
	OUT("ram_above_4gb:\t%s\n", kx(st->ram_above_4gb));
	if (st->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB)
		OUT("max_ram_below_4gb:\t%s\n", kx(st->max_ram_below_4gb));
	if (st->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO)
		OUT("ram_above_high_mmio:\t%s\n", kx(st->ram_above_high_mmio));
	OUT("end_of_layout:\t%s\n", kx(st->end_of_layout));
#undef OUT
}

static bool check_fdinfo(int fd, const struct lay *l, uint64_t gen)
{
	static char got[65536], exp[65536];

	if (!read_fdinfo(fd, got, sizeof(got)))
		return false;
	if (l)
		fdinfo_expect(l, gen, exp, sizeof(exp));
	else
		snprintf(exp, sizeof(exp), "layout:\tnone\n");
	if (strcmp(got, exp)) {
		char *line, *save = NULL;

		diag("fdinfo expected:");
		for (line = strtok_r(exp, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			diag("  %s", line);
		diag("fdinfo got:");
		save = NULL;
		for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			diag("  %s", line);
		return false;
	}
	return true;
}

/* Every constructor, the SPEC's examples, generation +1 per SET. */
static void test_constructors(int fd, uint64_t *gen)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(examples); i++) {
		const struct example *ex = &examples[i];
		struct memlayout_stats st = ex->st;
		struct memlayout_set s = mkset(&ex->l);
		uint64_t g;
		int r;

		/* Output fields hold garbage: the reply must overwrite them. */
		memset(&s.reason, 0xEE, sizeof(s.reason));
		s.generation = 0xEEEEEEEEEEEEEEEEULL;
		r = do_set(fd, &s);
		g = r ? 0 : s.generation;
		tap(eqerr("SET_LAYOUT", r, 0) & eq64("generation", g, *gen + 1) &
		    eq64("reason.rule", s.reason.rule, 0) & eq64("reason.list", s.reason.list, 0) &
		    eq64("reason.index", s.reason.index, 0) &
		    eq64("reason.other_list", s.reason.other_list, 0) &
		    eq64("reason.other_index", s.reason.other_index, 0) &
		    eq64("reason.reserved", s.reason.reserved, 0),
		    "%s: SET_LAYOUT ok, generation %" PRIu64 ", reason all zero", ex->name, *gen + 1);
		if (r) {
			tap(false, "%s: (skipped, SET failed)", ex->name);
			continue;
		}
		*gen = g;
		tap(check_list(fd, L_RAM, ex->ram, ex->nr_ram, g),
		    "%s: GET_RANGES(ram) exact (%u ranges)", ex->name, ex->nr_ram);
		st.generation = g;
		tap(check_stats(fd, &st), "%s: GET_STATS exact", ex->name);
		tap(check_probes(fd, ex->pk, ex->nr_pk, g), "%s: PROBE of %u addresses exact",
		    ex->name, ex->nr_pk);
		tap(check_model(fd, &ex->l, g),
		    "%s: every list, stats and edge probes match the SPEC model", ex->name);
	}
}

/* GET_RANGES count negotiation and the query ioctls' errors. */
static void test_queries(int fd, uint64_t gen)
{
	struct memlayout_get_ranges g;
	struct memlayout_stats st;
	struct memlayout_probe p;
	mr_t buf[8];
	uint64_t a[4] = { 0, GiB, 3 * GiB, 8 * GiB };
	uint32_t k[5], count;
	unsigned char zero[sizeof(buf)];
	uint64_t g2;
	int r;

	/* ex5 is installed: ram 3, mmio 1, ecam 1, pci_mmio 2, vtl2 1. */
	memset(buf, 0xEE, sizeof(buf));
	memset(zero, 0xEE, sizeof(zero));
	r = get_ranges(fd, L_RAM, NULL, 0, &count, &g2);
	tap(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", count, 3) &
	    eq64("generation", g2, gen),
	    "GET_RANGES(ram) count 0, NULL -> EMSGSIZE, count set to 3, generation set");
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = L_RAM;
	g.count = 2;
	g.ranges_ptr = U64P(buf);
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	tap(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", g.count, 3) &
	    eq64("nothing written", memcmp(buf, zero, sizeof(buf)) == 0, 1),
	    "GET_RANGES(ram) count 2 < 3 -> EMSGSIZE, count 3, buffer untouched");
	g.count = 3;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	tap(eqerr("GET_RANGES", r, 0) & eq64("count", g.count, 3) &
	    eq64("buf[2].start", buf[2].start, 4 * GiB) &
	    eq64("buf[3] untouched", memcmp(&buf[3], zero, sizeof(buf[3])) == 0, 1),
	    "GET_RANGES(ram) retried with count 3 -> ok, nothing past 3 written");
	r = get_ranges(fd, L_VTL2, NULL, 0, &count, NULL);
	tap(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", count, 1),
	    "GET_RANGES(vtl2) count 0 -> EMSGSIZE, count 1");
	r = get_ranges(fd, L_PMMIO, buf, 1, &count, NULL);
	tap(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", count, 2),
	    "GET_RANGES(pci_mmio) count 1 -> EMSGSIZE, count 2");
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = L_RAM;
	g.count = 0xFFFFFFFFU;
	g.ranges_ptr = U64P(buf);
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	tap(eqerr("GET_RANGES", r, 0) & eq64("count", g.count, 3),
	    "GET_RANGES(ram) with capacity 0xffffffff -> ok, count 3");

	/* Errors. */
	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.list = L_RAM;
	g.count = 8;
	g.ranges_ptr = U64P(buf);
	g.flags = 1;
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EOPNOTSUPP, "GET_RANGES flags 1");
	g.flags = 0x80000000U;
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EOPNOTSUPP, "GET_RANGES flags 0x80000000");
	g.flags = 0;
	{
		static const uint32_t bad[] = { L_NONE, L_NODES, 7, 0xFFFFFFFFU };
		uint32_t i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			g.list = bad[i];
			raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EOPNOTSUPP,
				"GET_RANGES unknown list %u", bad[i]);
		}
	}
	g.list = L_RAM;
	g.count = 0;
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EINVAL,
		"GET_RANGES ranges_ptr set with count 0");
	g.count = 8;
	g.ranges_ptr = 0;
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EFAULT,
		"GET_RANGES NULL ranges_ptr with count 8 (3 to write)");
	g.ranges_ptr = U64P(PAGE_NONE);
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EFAULT,
		"GET_RANGES ranges_ptr to a PROT_NONE page");
	g.ranges_ptr = U64P(PAGE_RO);
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EFAULT,
		"GET_RANGES ranges_ptr to a read-only page");
	g.ranges_ptr = U64P(PAGE_NONE - sizeof(mr_t));	/* 2nd entry unwritable */
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EFAULT,
		"GET_RANGES buffer running into a PROT_NONE page");
	g.ranges_ptr = U64P(buf) | (sizeof(void *) == 4 ? 1ULL << 32 : 1ULL << 63);
	raw_rej(fd, MEMLAYOUT_IOC_GET_RANGES, &g, -EFAULT,
		"GET_RANGES ranges_ptr with upper bits set (valid low bits)");
	/* An empty list with a NULL buffer and a count writes nothing. */
	g.list = L_ECAM;
	g.count = 0;
	g.ranges_ptr = 0;
	r = xioctl(fd, MEMLAYOUT_IOC_GET_RANGES, &g);
	tap(eqerr("GET_RANGES", r, -EMSGSIZE) & eq64("count", g.count, 1),
	    "GET_RANGES(pci_ecam) count 0 -> EMSGSIZE count 1");

	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.flags = 1;
	raw_rej(fd, MEMLAYOUT_IOC_GET_STATS, &st, -EOPNOTSUPP, "GET_STATS flags 1");
	st.flags = 0x40000000U;
	raw_rej(fd, MEMLAYOUT_IOC_GET_STATS, &st, -EOPNOTSUPP, "GET_STATS flags 0x40000000");
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	raw_rej(fd, MEMLAYOUT_IOC_GET_STATS, ro_copy(&st, sizeof(st)), -EFAULT,
		"GET_STATS with a read-only argument");

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.count = 4;
	p.addrs_ptr = U64P(a);
	p.kinds_ptr = U64P(k);
	p.flags = 1;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EOPNOTSUPP, "PROBE flags 1");
	p.flags = 0;
	p.reserved = 1;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EINVAL, "PROBE reserved 1");
	p.reserved = 0;
	p.count = MEMLAYOUT_MAX_PROBE + 1;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -E2BIG, "PROBE count MAX_PROBE+1");
	p.count = 0xFFFFFFFFU;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -E2BIG, "PROBE count 0xffffffff");
	p.count = 0;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EINVAL, "PROBE count 0 with both pointers");
	p.kinds_ptr = 0;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EINVAL, "PROBE count 0 with addrs_ptr");
	p.addrs_ptr = 0;
	p.kinds_ptr = U64P(k);
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EINVAL, "PROBE count 0 with kinds_ptr");
	p.count = 4;
	p.addrs_ptr = 0;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EFAULT, "PROBE NULL addrs_ptr with count 4");
	p.addrs_ptr = U64P(a);
	p.kinds_ptr = 0;
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EFAULT, "PROBE NULL kinds_ptr with count 4");
	p.kinds_ptr = U64P(PAGE_RO);
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EFAULT, "PROBE kinds_ptr read-only");
	p.kinds_ptr = U64P(k);
	p.addrs_ptr = U64P(PAGE_NONE - 2 * sizeof(uint64_t));
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EFAULT, "PROBE addrs running into PROT_NONE");
	p.addrs_ptr = U64P(a) | (sizeof(void *) == 4 ? 1ULL << 32 : 1ULL << 63);
	raw_rej(fd, MEMLAYOUT_IOC_PROBE, &p, -EFAULT,
		"PROBE addrs_ptr with upper bits set (valid low bits)");

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	r = xioctl(fd, MEMLAYOUT_IOC_PROBE, &p);
	tap(eqerr("PROBE", r, 0) & eq64("generation", p.generation, gen),
	    "PROBE of 0 addresses, NULL pointers -> ok with generation");

	/* The full MEMLAYOUT_MAX_PROBE batch, ascending over ex5. */
	{
		uint32_t n = MEMLAYOUT_MAX_PROBE, i, j = 0, bad = 0;
		uint64_t *aa = malloc(n * sizeof(*aa));
		uint32_t *kk = malloc((n + 1) * sizeof(*kk));
		static struct model m;
		double t0;

		model_build(&ex5, &m);
		if (!aa || !kk) {
			tap(false, "PROBE MAX_PROBE batch: out of memory");
		} else {
			for (i = 0; i < n; i++)
				aa[i] = (uint64_t)i * 9 * PG + (i & 7);	/* 0 .. ~36 GiB */
			kk[n] = 0x12345678;
			t0 = now_s();
			r = probe(fd, aa, kk, n, &g2);
			t0 = now_s() - t0;
			for (i = 0; !r && i < n; i++) {
				uint32_t want;

				while (j < m.n && m.e[j].end <= aa[i])
					j++;
				want = j < m.n && m.e[j].start <= aa[i] ? m.e[j].kind : K_NONE;
				if (kk[i] != want && bad++ < 5)
					diag("probe %#" PRIx64 ": expected %s got %s", aa[i],
					     kindname(want), kindname(kk[i]));
			}
			tap(eqerr("PROBE", r, 0) & eq64("wrong answers", bad, 0) &
			    eq64("kinds[n] untouched", kk[n], 0x12345678),
			    "PROBE of exactly MAX_PROBE (%u) ascending addresses: all match the model (%.2f s)",
			    n, t0);
		}
		free(aa);
		free(kk);
	}
}

/* Every bad-input class of SET_LAYOUT; ex5 is installed on @fd. */
static void test_rejections(int fd)
{
	struct memlayout_set s;

	/* R1: sizes. */
	s = mkset(&(struct lay){ C1(0) });
	rej(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "R1: C1 ram_size 0");
	s = mkset(&(struct lay){ C1(4095) });
	rej(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "R1: C1 ram_size 4095");
	s = mkset(&(struct lay){ C1(GiB + PG + 1) });
	rej(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "R1: C1 ram_size 1G+4K+1 (unaligned)");
	s = mkset(&(struct lay){ C2(GiB, 0, GiB) });
	rej(fd, &s, -EINVAL, 1, L_NODES, 1, 0, 0, "R1: C2 node 1 size 0");
	s = mkset(&(struct lay){ C2(GiB, GiB, GiB + 512) });
	rej(fd, &s, -EINVAL, 1, L_NODES, 2, 0, 0, "R1: C2 node 2 unaligned");
	s = mkset(&(struct lay){ .source = MEMLAYOUT_SOURCE_NODES });
	rej(fd, &s, -EINVAL, 1, L_NODES, 0, 0, 0, "R1: C2 with no node");
	s = mkset(&(struct lay){ C1(0), MMIO(R(2 * GiB, GiB)) });
	rej(fd, &s, -EINVAL, 1, L_NONE, 0, 0, 0, "order: R1 before R2 (size 0 + reversed mmio)");

	/* R2: bad ranges. */
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB + 1, 2 * GiB)) });
	rej(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "R2: unaligned mmio start");
	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB - 1)) });
	rej(fd, &s, -EINVAL, 2, L_ECAM, 1, 0, 0, "R2: unaligned pci_ecam[1] end");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(2 * GiB, GiB)) });
	rej(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "R2: reversed mmio range");
	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(4 * GiB, 5 * GiB), R(8 * GiB, 8 * GiB)) });
	rej(fd, &s, -EINVAL, 2, L_PMMIO, 1, 0, 0, "R2: empty pci_mmio[1]");
	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB + 2048, 3 * GiB)) });
	rej(fd, &s, -EINVAL, 2, L_RAM, 1, 0, 0, "R2: C3 unaligned ram[1] start");
	s = mkset(&(struct lay){ C3(R(0, GiB), R(3 * GiB, 2 * GiB)) });
	rej(fd, &s, -EINVAL, 2, L_RAM, 1, 0, 0, "R2: C3 reversed ram[1]");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(MAXA - PG, ~0ULL)) });
	rej(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "R2: mmio ending above MAX_ADDRESS (2^64-1)");
	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 8 * GiB) });
	rej(fd, &s, -EINVAL, 2, L_VTL2, 0, 0, 0, "R2/D7: empty VTL2");
	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB + 1, 9 * GiB) });
	rej(fd, &s, -EINVAL, 2, L_VTL2, 0, 0, 0, "R2: unaligned VTL2");
	s = mkset(&(struct lay){ C1(GiB), VTL2(9 * GiB, 8 * GiB) });
	rej(fd, &s, -EINVAL, 2, L_VTL2, 0, 0, 0, "R2: reversed VTL2");
	s = mkset(&(struct lay){ C3(R(2 * GiB, 3 * GiB), R(0, GiB)), MMIO(R(5 * GiB, 4 * GiB)) });
	rej(fd, &s, -EINVAL, 2, L_MMIO, 0, 0, 0, "order: R2 (mmio) before R3 (ram)");
	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(5 * GiB, 5 * GiB)), VTL2(9 * GiB, 8 * GiB) });
	rej(fd, &s, -EINVAL, 2, L_PMMIO, 0, 0, 0, "order: R2 on pci_mmio before VTL2");
	s = mkset(&(struct lay){ C3(R(0, GiB + 1)), MMIO(R(2 * GiB, GiB)) });
	rej(fd, &s, -EINVAL, 2, L_RAM, 0, 0, 0, "order: R2 on ram before mmio");

	/* R3: order within a list. */
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)) });
	rej(fd, &s, -EINVAL, 3, L_MMIO, 1, 0, 0, "R3: unsorted mmio");
	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB), R(GiB + 512 * MiB, 3 * GiB)) });
	rej(fd, &s, -EINVAL, 3, L_ECAM, 1, 0, 0, "R3: overlapping pci_ecam");
	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(3 * GiB - PG, 4 * GiB)) });
	rej(fd, &s, -EINVAL, 3, L_RAM, 2, 0, 0, "R3: overlapping C3 ram[2]");
	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(8 * GiB, 9 * GiB), R(9 * GiB, 10 * GiB),
					   R(8 * GiB, 8 * GiB + PG)) });
	rej(fd, &s, -EINVAL, 3, L_PMMIO, 2, 0, 0, "R3: unsorted pci_mmio[2] after touching pair");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB), R(GiB, 2 * GiB)) });
	rej(fd, &s, -EINVAL, 3, L_MMIO, 1, 0, 0, "R3: duplicate mmio range");
	s = mkset(&(struct lay){ C3(R(2 * GiB, 3 * GiB), R(0, GiB)),
				 PMMIO(R(9 * GiB, 10 * GiB), R(8 * GiB, 9 * GiB)) });
	rej(fd, &s, -EINVAL, 3, L_RAM, 1, 0, 0, "order: R3 on ram before pci_mmio");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)),
				 ECAM(R(GiB, 2 * GiB)) });
	rej(fd, &s, -EINVAL, 3, L_MMIO, 1, 0, 0, "order: R3 before R4");

	/* R4: overlaps across lists; (list,index) starts first. */
	s = mkset(&(struct lay){ C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 0, L_MMIO, 0, "R4: C3 ram[0] overlaps mmio[0]");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB + 512 * MiB, 3 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 0, L_ECAM, 0, "R4: mmio[0] overlaps pci_ecam[0]");
	s = mkset(&(struct lay){ C1(PG), MMIO(R(2 * GiB, 3 * GiB)),
				 ECAM(R(GiB + 512 * MiB, 2 * GiB + 512 * MiB)) });
	rej(fd, &s, -EEXIST, 4, L_ECAM, 0, L_MMIO, 0, "R4: pci_ecam[0] starts first, overlaps mmio[0]");
	s = mkset(&(struct lay){ C1(PG), MMIO(R(2 * GiB, 3 * GiB)), PMMIO(R(2 * GiB, 3 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 0, L_PMMIO, 0, "R4: identical mmio and pci_mmio");
	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(4 * GiB, 5 * GiB)),
				 PMMIO(R(4 * GiB + 512 * MiB, 6 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 2, L_PMMIO, 0, "R4: C3 ram[2] overlaps pci_mmio[0]");
	s = mkset(&(struct lay){ C3(R(GiB, 2 * GiB)), MMIO(R(GiB, 2 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 0, L_MMIO, 0, "R4: C3 ram and mmio identical");
	s = mkset(&(struct lay){ C1(PG), MMIO(R(GiB, 4 * GiB)), PMMIO(R(2 * GiB, 3 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 0, L_PMMIO, 0, "R4: pci_mmio inside mmio");
	s = mkset(&(struct lay){ C1(PG), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
				 ECAM(R(3 * GiB + 512 * MiB, 5 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 1, L_ECAM, 0, "R4: mmio[1] overlaps pci_ecam[0]");
	s = mkset(&(struct lay){ C3(R(0, 2 * GiB)), VTL2(GiB, 3 * GiB) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 0, L_VTL2, 0, "R4: VTL2 inside C3 ram[0]");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(4 * GiB, 5 * GiB)), VTL2(3 * GiB, 4 * GiB + PG) });
	rej(fd, &s, -EEXIST, 4, L_VTL2, 0, L_MMIO, 0, "R4: VTL2 starts first, overlaps mmio[0]");
	s = mkset(&(struct lay){ C1(2 * GiB), VTL2(GiB, GiB + PG) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 0, L_VTL2, 0, "R4: C1 placed RAM runs into VTL2");
	s = mkset(&(struct lay){ C3(R(0, GiB)), MMIO(R(4 * GiB, 5 * GiB)),
				 VTL2(4 * GiB + 512 * MiB, 6 * GiB) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 0, L_VTL2, 0, "R4: VTL2 starting inside mmio[0]");
	s = mkset(&(struct lay){ C3(R(0, GiB)), PMMIO(R(4 * GiB, 5 * GiB)), VTL2(4 * GiB, 4 * GiB + PG) });
	rej(fd, &s, -EEXIST, 4, L_PMMIO, 0, L_VTL2, 0, "R4: VTL2 at the same start as pci_mmio[0]");
	s = mkset(&(struct lay){ C2(GiB, GiB), MMIO(R(GiB, 2 * GiB)),
				 VTL2(2 * GiB + 512 * MiB, 8 * GiB) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 1, L_VTL2, 0, "R4: VTL2 overlaps C2 ram[1] (node 1)");
	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB, 2 * GiB)) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 0, L_ECAM, 0, "order: R4 before R5 (no RAM, holes overlap)");
	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), VTL2(GiB, 2 * GiB) });
	rej(fd, &s, -EEXIST, 4, L_MMIO, 0, L_VTL2, 0, "order: VTL2 R4 before R5");
	s = mkset(&(struct lay){ C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)), VTL2(2 * GiB + PG, 4 * GiB) });
	rej(fd, &s, -EEXIST, 4, L_RAM, 0, L_MMIO, 0, "order: R4 among ranges before VTL2's");

	/* R5: no RAM. */
	s = mkset(&(struct lay){ C3_NORAM });
	rej(fd, &s, -EINVAL, 5, L_RAM, 0, 0, 0, "R5: C3 with nothing at all");
	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), ECAM(R(2 * GiB, 3 * GiB)),
				 PMMIO(R(3 * GiB, 4 * GiB)) });
	rej(fd, &s, -EINVAL, 5, L_RAM, 0, 0, 0, "R5: C3 with holes only");
	s = mkset(&(struct lay){ C3_NORAM, MMIO(R(GiB, 2 * GiB)), VTL2(4 * GiB, 5 * GiB) });
	rej(fd, &s, -EINVAL, 5, L_RAM, 0, 0, 0, "R5: C3 with a hole and VTL2 only");

	/* R6: too large / wrapping. */
	s = mkset(&(struct lay){ C1(MAXA), MMIO(R(0, PG)) });
	rej(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "R6: C1 MAX_ADDRESS bytes + a 4K hole");
	s = mkset(&(struct lay){ C1(MAXA), PMMIO(R(GiB, 2 * GiB)) });
	rej(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "R6: C1 MAX_ADDRESS bytes + a 1G hole");
	s = mkset(&(struct lay){ C1(MAXA), MMIO(R(MAXA - PG, MAXA)) });
	rej(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "R6: C1 MAX_ADDRESS bytes + hole at the top");
	s = mkset(&(struct lay){ C2(1ULL << 63, 1ULL << 63) });
	rej(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 two nodes of 2^63");
	s = mkset(&(struct lay){ C2(1ULL << 63, 1ULL << 63, 1ULL << 63) });
	rej(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 three nodes of 2^63 (sum wraps)");
	s = mkset(&(struct lay){ C2(PG, MAXA) });
	rej(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 4K + MAX_ADDRESS");
	s = mkset(&(struct lay){ C2(GiB, MAXA - GiB, PG) });
	rej(fd, &s, -EOVERFLOW, 6, L_NODES, 2, 0, 0, "R6: C2 third node does not fit");
	s = mkset(&(struct lay){ C2(MAXA, MAXA, MAXA, MAXA) });
	rej(fd, &s, -EOVERFLOW, 6, L_NODES, 1, 0, 0, "R6: C2 four nodes of MAX_ADDRESS");
	s = mkset(&(struct lay){ C1(MAXA), MMIO(R(GiB, 2 * GiB)), ECAM(R(GiB + 512 * MiB, 3 * GiB)) });
	rej(fd, &s, -EOVERFLOW, 6, L_NONE, 0, 0, 0, "order: R6 before R4");

	/* R7: VTL2 below the end of RAM. */
	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + 64 * MiB) });
	rej(fd, &s, -EINVAL, 7, L_VTL2, 0, L_RAM, 1, "R7: VTL2 between C3 ram[0] and ram[1]");
	s = mkset(&(struct lay){ C3(R(GiB, 2 * GiB)), VTL2(0, PG) });
	rej(fd, &s, -EINVAL, 7, L_VTL2, 0, L_RAM, 0, "R7: VTL2 below all RAM");
	s = mkset(&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB), R(8 * GiB, 9 * GiB)),
				 MMIO(R(4 * GiB, 5 * GiB)), VTL2(6 * GiB, 7 * GiB) });
	rej(fd, &s, -EINVAL, 7, L_VTL2, 0, L_RAM, 2, "R7: VTL2 in a gap below the last RAM range");

	/* Unknown flags and sources. */
	s = mkset(&(struct lay){ C1(GiB) });
	s.flags = 2;
	rej(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, "unknown SET flag 0x2");
	s.flags = 0x80000000U;
	rej(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, "unknown SET flag 0x80000000");
	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 9 * GiB) });
	s.flags |= 4;
	rej(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, "VTL2 flag plus unknown 0x4");
	s = mkset(&(struct lay){ C1(GiB) });
	s.source = 0;
	rej(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, "source 0");
	s.source = 4;
	rej(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, "source 4");
	s.source = 0xFFFFFFFFU;
	rej(fd, &s, -EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, "source 0xffffffff");

	/* Reserved fields and vnodes of holes. */
	s = mkset(&(struct lay){ C3(R(0, GiB), { GiB, 2 * GiB, 0, 1 }) });
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_RAM, 1, 0, 0, "ram[1].reserved = 1");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB), { 3 * GiB, 4 * GiB, 1, 0 }) });
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_MMIO, 1, 0, 0, "mmio[1].vnode = 1");
	s = mkset(&(struct lay){ C1(GiB), ECAM({ 3 * GiB, 4 * GiB, 0, 0x80000000U }) });
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_ECAM, 0, 0, 0, "pci_ecam[0].reserved set");
	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(3 * GiB, 4 * GiB), R(5 * GiB, 6 * GiB),
					   { 7 * GiB, 8 * GiB, 9, 0 }) });
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_PMMIO, 2, 0, 0, "pci_mmio[2].vnode = 9");
	s = mkset(&(struct lay){ C3(R(2 * GiB, GiB)), MMIO({ 3 * GiB, 4 * GiB, 1, 0 }) });
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_MMIO, 0, 0, 0,
	    "order: hole vnode (copy-in) before R2 on ram");
	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.start = 8 * GiB;
	s.vtl2.end = 9 * GiB;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, 0, 0, "vtl2 range without the VTL2 flag");
	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.end = PG;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, 0, 0, "vtl2.end without the VTL2 flag");
	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.vnode = 1;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, 0, 0, "vtl2.vnode without the VTL2 flag");
	s = mkset(&(struct lay){ C1(GiB) });
	s.vtl2.reserved = 1;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, 0, 0, "vtl2.reserved without the VTL2 flag");
	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 9 * GiB) });
	s.vtl2.vnode = 3;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, 0, 0, "VTL2 with vnode 3");
	s = mkset(&(struct lay){ C1(GiB), VTL2(8 * GiB, 9 * GiB) });
	s.vtl2.reserved = 1;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_VTL2, 0, 0, 0, "VTL2 with reserved 1");

	/* Fields the chosen source does not use. */
	s = mkset(&(struct lay){ C2(GiB) });
	s.ram_size = GiB;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, 0, 0, "C2 with ram_size set");
	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.ram_size = PG;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NONE, 0, 0, 0, "C3 with ram_size set");
	s = mkset(&(struct lay){ C1(GiB) });
	s.nr_nodes = 1;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NODES, 0, 0, 0, "C1 with nr_nodes set");
	s = mkset(&(struct lay){ C1(GiB) });
	s.nodes_ptr = U64P(&s);
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NODES, 0, 0, 0, "C1 with nodes_ptr set");
	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.nr_nodes = 2;
	s.nodes_ptr = U64P(&s);
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NODES, 0, 0, 0, "C3 with nodes set");
	s = mkset(&(struct lay){ C1(GiB) });
	s.nr_ram = 1;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_RAM, 0, 0, 0, "C1 with nr_ram set");
	s = mkset(&(struct lay){ C1(GiB) });
	s.ram_ptr = U64P(ex5_ram);
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_RAM, 0, 0, 0, "C1 with ram_ptr set");
	s = mkset(&(struct lay){ C2(GiB) });
	s.ram_ptr = U64P(ex5_ram);
	s.nr_ram = 1;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_RAM, 0, 0, 0, "C2 with ram list set");

	/* A pointer with a zero count. */
	s = mkset(&(struct lay){ C2(GiB) });
	s.nr_nodes = 0;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_NODES, 0, 0, 0, "C2 nodes_ptr with nr_nodes 0");
	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.nr_ram = 0;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_RAM, 0, 0, 0, "C3 ram_ptr with nr_ram 0");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)) });
	s.nr_mmio = 0;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_MMIO, 0, 0, 0, "mmio_ptr with nr_mmio 0");
	s = mkset(&(struct lay){ C1(GiB), ECAM(R(GiB, 2 * GiB)) });
	s.nr_pci_ecam = 0;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_ECAM, 0, 0, 0, "pci_ecam_ptr with count 0");
	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(GiB, 2 * GiB)) });
	s.nr_pci_mmio = 0;
	rej(fd, &s, -EINVAL, MEMLAYOUT_REASON_RESERVED, L_PMMIO, 0, 0, 0, "pci_mmio_ptr with count 0");

	/* Bad array pointers: EFAULT, reason all zero. */
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)) });
	s.mmio_ptr = U64P(PAGE_NONE);
	rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "mmio_ptr to a PROT_NONE page");
	s = mkset(&(struct lay){ C2(GiB, GiB) });
	s.nodes_ptr = 0;
	rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "C2 NULL nodes_ptr with nr_nodes 2");
	s = mkset(&(struct lay){ C2(GiB, GiB) });
	s.nodes_ptr = U64P(PAGE_NONE - sizeof(uint64_t));
	rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "C2 nodes array running into PROT_NONE");
	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.ram_ptr = 0;
	rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "C3 NULL ram_ptr with nr_ram 1");
	{
		mr_t *two = (mr_t *)(PAGE_NONE - sizeof(mr_t));

		two[0].start = GiB;
		two[0].end = 2 * GiB;
		two[0].vnode = two[0].reserved = 0;
		s = mkset(&(struct lay){ C1(GiB) });
		s.pci_ecam_ptr = U64P(two);
		s.nr_pci_ecam = 2;
		rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "pci_ecam array of 2 whose 2nd is in PROT_NONE");
	}
	s = mkset(&(struct lay){ C1(GiB), PMMIO(R(4 * GiB, 5 * GiB)) });
	s.pci_mmio_ptr |= sizeof(void *) == 4 ? 1ULL << 32 : 1ULL << 63;
	rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "pci_mmio_ptr with upper bits set (valid low bits)");
	s = mkset(&(struct lay){ C1(GiB), MMIO(R(GiB, 2 * GiB)) });
	s.mmio_ptr = 0;
	rej(fd, &s, -EFAULT, 0, 0, 0, 0, 0, "NULL mmio_ptr with nr_mmio 1");
}

/* R8 and the max_ranges module parameter. */
static void test_limits(int fd)
{
	struct memlayout_info in;
	struct memlayout_set s;
	long long orig = read_num(PARAM_PATH), v;
	mr_t five[5], big[4];
	uint32_t i;
	int r;

	if (orig <= 0) {
		tap(false, "read %s", PARAM_PATH);
		return;
	}
	for (i = 0; i < 5; i++) {
		five[i].start = (10 + 2 * i) * GiB;
		five[i].end = (11 + 2 * i) * GiB;
		five[i].vnode = five[i].reserved = 0;
	}
	for (i = 0; i < 4; i++)
		big[i] = five[i];

	r = set_max_ranges(4);
	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	tap(eqerr("write max_ranges=4", r, 0) &
	    eqerr("GET_INFO", xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in), 0) &
	    eq64("max_ranges", in.max_ranges, 4),
	    "max_ranges lowered to 4 via sysfs; GET_INFO reports 4");

	s = mkset(&(struct lay){ C1(GiB) });
	s.mmio_ptr = U64P(five);
	s.nr_mmio = 5;
	rej(fd, &s, -E2BIG, 8, L_MMIO, 4, 0, 0, "R8: 5 mmio with max_ranges 4");
	s = mkset(&(struct lay){ C1(GiB) });
	s.pci_ecam_ptr = U64P(five);
	s.nr_pci_ecam = 5;
	rej(fd, &s, -E2BIG, 8, L_ECAM, 4, 0, 0, "R8: 5 pci_ecam with max_ranges 4");
	s = mkset(&(struct lay){ C1(GiB) });
	s.pci_mmio_ptr = U64P(five);
	s.nr_pci_mmio = 5;
	rej(fd, &s, -E2BIG, 8, L_PMMIO, 4, 0, 0, "R8: 5 pci_mmio with max_ranges 4");
	s = mkset(&(struct lay){ C3_NORAM });
	s.ram_ptr = U64P(five);
	s.nr_ram = 5;
	rej(fd, &s, -E2BIG, 8, L_RAM, 4, 0, 0, "R8: 5 C3 ram ranges with max_ranges 4");
	s = mkset(&(struct lay){ C2(GiB, GiB, GiB, GiB, GiB) });
	rej(fd, &s, -E2BIG, 8, L_NODES, 4, 0, 0, "R8: 5 C2 nodes with max_ranges 4");
	s = mkset(&(struct lay){ C1(GiB) });
	s.pci_mmio_ptr = U64P(PAGE_NONE);
	s.nr_pci_mmio = 5;
	rej(fd, &s, -E2BIG, 8, L_PMMIO, 4, 0, 0, "R8 before any copy: 5 pci_mmio at a PROT_NONE pointer");
	s = mkset(&(struct lay){ C1(0) });
	s.mmio_ptr = U64P(five);
	s.nr_mmio = 5;
	rej(fd, &s, -E2BIG, 8, L_MMIO, 4, 0, 0, "order: R8 before R1");
	s = mkset(&(struct lay){ C3_NORAM });
	s.ram_ptr = U64P(five);
	s.nr_ram = 5;
	s.mmio_ptr = U64P(five);
	s.nr_mmio = 5;
	rej(fd, &s, -E2BIG, 8, L_RAM, 4, 0, 0, "order: R8 on ram before mmio");
	s = mkset(&(struct lay){ C2(GiB, GiB, GiB, GiB, GiB) });
	s.pci_ecam_ptr = U64P(five);
	s.nr_pci_ecam = 5;
	rej(fd, &s, -E2BIG, 8, L_ECAM, 4, 0, 0, "order: R8 on hole lists before nodes");
	{
		struct lay l = { C1(GiB), .mmio = big, .nr_mmio = 4, .ecam = big, .nr_ecam = 0 };
		s = mkset(&l);
		r = do_set(fd, &s);
		tap(eqerr("SET", r, 0) && check_model(fd, &l, s.generation),
		    "R8 boundary: exactly 4 mmio with max_ranges 4 accepted");
	}
	r = set_max_ranges(0);
	v = read_num(PARAM_PATH);
	tap(eqerr("write 0", r, -EINVAL) & eq64("value", (uint64_t)v, 4),
	    "max_ranges=0 rejected by sysfs (EINVAL), value stays 4");
	r = set_max_ranges(1048577);
	v = read_num(PARAM_PATH);
	tap(eqerr("write 1048577", r, -EINVAL) & eq64("value", (uint64_t)v, 4),
	    "max_ranges=1048577 rejected by sysfs (EINVAL), value stays 4");

	set_max_ranges(orig);
	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in);
	tap(eq64("param", (uint64_t)read_num(PARAM_PATH), (uint64_t)orig) &
	    eq64("GET_INFO.max_ranges", in.max_ranges, (uint64_t)orig),
	    "max_ranges restored to %lld", orig);

	/* Huge counts with the default limit: E2BIG before any copy. */
	s = mkset(&(struct lay){ C1(GiB) });
	s.mmio_ptr = U64P(five);
	s.nr_mmio = (uint32_t)orig + 1;
	rej(fd, &s, -E2BIG, 8, L_MMIO, (uint32_t)orig, 0, 0, "R8: nr_mmio = max_ranges+1 (%lld)", orig + 1);
	s.nr_mmio = 0xFFFFFFFFU;
	rej(fd, &s, -E2BIG, 8, L_MMIO, (uint32_t)orig, 0, 0, "R8: nr_mmio = 0xffffffff");
	s = mkset(&(struct lay){ C2(GiB) });
	s.nr_nodes = 0xFFFFFFFFU;
	rej(fd, &s, -E2BIG, 8, L_NODES, (uint32_t)orig, 0, 0, "R8: nr_nodes = 0xffffffff");
	s = mkset(&(struct lay){ C3(R(0, GiB)) });
	s.nr_ram = 0xFFFFFFFFU;
	rej(fd, &s, -E2BIG, 8, L_RAM, (uint32_t)orig, 0, 0, "R8: nr_ram = 0xffffffff");
	s = mkset(&(struct lay){ C1(GiB) });
	s.pci_mmio_ptr = 0;
	s.nr_pci_mmio = 0x80000000U;
	rej(fd, &s, -E2BIG, 8, L_PMMIO, (uint32_t)orig, 0, 0, "R8: nr_pci_mmio = 2^31 with NULL pointer");
}

/* The leading size field, for every command; grown structs. */
static void test_sizes(int fd)
{
	static const struct {
		const char *name;
		unsigned long cmd;
		uint32_t ver0;
	} cmds[] = {
		{ "GET_INFO", MEMLAYOUT_IOC_GET_INFO, MEMLAYOUT_INFO_SIZE_VER0 },
		{ "SET_LAYOUT", MEMLAYOUT_IOC_SET_LAYOUT, MEMLAYOUT_SET_SIZE_VER0 },
		{ "GET_STATS", MEMLAYOUT_IOC_GET_STATS, MEMLAYOUT_STATS_SIZE_VER0 },
		{ "GET_RANGES", MEMLAYOUT_IOC_GET_RANGES, MEMLAYOUT_GET_RANGES_SIZE_VER0 },
		{ "PROBE", MEMLAYOUT_IOC_PROBE, MEMLAYOUT_PROBE_SIZE_VER0 },
	};
	static unsigned char big[2 * 4096 + 64] __attribute__((aligned(8)));
	static const uint64_t paddr[2] = { 0, 5 * GiB };
	static uint32_t pkind[2];
	static mr_t rbuf[8];
	struct lay sl = { C3(R(0, 3 * GiB)), MMIO(R(3 * GiB, 4 * GiB)) };
	struct memlayout_set set = mkset(&sl);
	struct memlayout_stats st;
	struct memlayout_get_ranges gr;
	struct memlayout_probe pr;
	struct memlayout_info in;
	uint32_t i;
	int r;

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	memset(&gr, 0, sizeof(gr));
	gr.size = sizeof(gr);
	gr.list = L_RAM;
	gr.count = 8;
	gr.ranges_ptr = U64P(rbuf);
	memset(&pr, 0, sizeof(pr));
	pr.size = sizeof(pr);
	pr.count = 2;
	pr.addrs_ptr = U64P(paddr);
	pr.kinds_ptr = U64P(pkind);

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		const void *valid = i == 0 ? (const void *)&in : i == 1 ? (const void *)&set :
				    i == 2 ? (const void *)&st : i == 3 ? (const void *)&gr :
				    (const void *)&pr;
		uint32_t ver0 = cmds[i].ver0, *sz = (uint32_t *)big;
		bool is_set = i == 1;
		struct snap before;
		bool ok;
		static const uint32_t small[] = { 0, 4, 8 };
		uint32_t j;

		/* Too small. */
		for (j = 0; j < ARRAY_SIZE(small) + 1; j++) {
			uint32_t bad = j < ARRAY_SIZE(small) ? small[j] : ver0 - 1;

			memset(big, 0, sizeof(big));
			memcpy(big, valid, ver0);
			*sz = bad;
			raw_rej(fd, cmds[i].cmd, big, -EINVAL, "%s size %u (< VER0 %u)",
				cmds[i].name, bad, ver0);
		}
		/* Too large. */
		memset(big, 0, sizeof(big));
		memcpy(big, valid, ver0);
		*sz = 4097;
		raw_rej(fd, cmds[i].cmd, big, -E2BIG, "%s size 4097 (> page)", cmds[i].name);
		*sz = 0xFFFFFFFFU;
		raw_rej(fd, cmds[i].cmd, big, -E2BIG, "%s size 0xffffffff", cmds[i].name);
		/* Non-zero tail. */
		*sz = ver0 + 8;
		big[ver0 + 7] = 1;
		raw_rej(fd, cmds[i].cmd, big, -E2BIG, "%s size VER0+8 with non-zero tail", cmds[i].name);
		big[ver0 + 7] = 0;
		*sz = 4096;
		big[4095] = 0x80;
		raw_rej(fd, cmds[i].cmd, big, -E2BIG, "%s size 4096 with last byte non-zero",
			cmds[i].name);
		big[4095] = 0;
		*sz = ver0 + 1;
		big[ver0] = 0xFF;
		raw_rej(fd, cmds[i].cmd, big, -E2BIG, "%s size VER0+1 with non-zero tail byte",
			cmds[i].name);
		big[ver0] = 0;

		/* Zero tail up to a page: accepted; nothing past VER0 written. */
		take_snap(fd, &before);
		*sz = 4096;
		r = xioctl(fd, cmds[i].cmd, big);
		ok = eqerr(cmds[i].name, r, 0);
		for (j = ver0; j < sizeof(big); j++)
			if (big[j]) {
				diag("byte %u past VER0 written (%#x)", j, big[j]);
				ok = false;
				break;
			}
		if (is_set) {
			const struct memlayout_set *gs = (const void *)big;

			ok &= eq64("generation", gs->generation, before.st.generation + 1);
			ok &= check_model(fd, &sl, gs->generation);
		} else {
			ok &= snap_same(fd, &before);
		}
		tap(ok, "%s size 4096 with zero tail accepted, reply not written past VER0%s",
		    cmds[i].name, is_set ? ", layout set" : "");

		/* A grown struct keeps its command: size bits in cmd ignored. */
		memset(big, 0, sizeof(big));
		memcpy(big, valid, ver0);
		*sz = ver0 + 16;
		r = xioctl(fd, _IOC(_IOC_READ | _IOC_WRITE, MEMLAYOUT_IOC_MAGIC,
				    _IOC_NR(cmds[i].cmd), ver0 + 16), big);
		tap(eqerr(cmds[i].name, r, 0),
		    "%s with a grown struct (size VER0+16) and its grown command number accepted",
		    cmds[i].name);
	}

	/* The argument pointer itself. */
	memset(big, 0, sizeof(big));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned char *straddle = PAGE_NONE - 4;

		raw_rej(fd, cmds[i].cmd, NULL, -EFAULT, "%s with a NULL argument", cmds[i].name);
		raw_rej(fd, cmds[i].cmd, PAGE_NONE, -EFAULT, "%s argument in a PROT_NONE page",
			cmds[i].name);
		*(uint32_t *)straddle = cmds[i].ver0;	/* size readable, rest not */
		raw_rej(fd, cmds[i].cmd, straddle, -EFAULT,
			"%s argument whose size is readable but body is not", cmds[i].name);
	}
	/* A zero tail the kernel must read from an unmapped page. */
	{
		struct memlayout_stats *sp = (void *)(PAGE_NONE - sizeof(st));

		memcpy(sp, &st, sizeof(st));
		sp->size = sizeof(st) + 8;
		raw_rej(fd, MEMLAYOUT_IOC_GET_STATS, sp, -EFAULT,
			"GET_STATS size VER0+8 whose tail is in a PROT_NONE page");
	}
	/* The reply cannot be written: SET must fail and change nothing. */
	{
		struct memlayout_set rs = mkset(&(struct lay){ C1(3 * GiB) });

		raw_rej(fd, MEMLAYOUT_IOC_SET_LAYOUT, ro_copy(&rs, sizeof(rs)), -EFAULT,
			"SET_LAYOUT with a read-only argument (reply unwritable)");
	}
}

static void test_enotty(int fd)
{
	static unsigned char arg[4096] __attribute__((aligned(8)));
	static const struct {
		const char *name;
		unsigned long cmd;
	} bad[] = {
		{ "nr 0x01 on the magic", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x01, struct memlayout_info) },
		{ "nr 0x13 on the magic", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x13, struct memlayout_get_ranges) },
		{ "nr 0x21 on the magic", _IOWR(MEMLAYOUT_IOC_MAGIC, 0x21, struct memlayout_probe) },
		{ "nr 0xff on the magic", _IOWR(MEMLAYOUT_IOC_MAGIC, 0xFF, struct memlayout_set) },
		{ "SET_LAYOUT nr with _IOR direction", _IOR(MEMLAYOUT_IOC_MAGIC, 0x10, struct memlayout_set) },
		{ "GET_INFO nr with _IOW direction", _IOW(MEMLAYOUT_IOC_MAGIC, 0x00, struct memlayout_info) },
		{ "GET_INFO nr with _IO", _IO(MEMLAYOUT_IOC_MAGIC, 0x00) },
		{ "GET_INFO on magic 0xBB", _IOWR(0xBB, 0x00, struct memlayout_info) },
		{ "SET_LAYOUT on magic 0xB9", _IOWR(0xB9, 0x10, struct memlayout_set) },
		{ "TCGETS", TCGETS },
	};
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(arg, 0, sizeof(arg));
		*(uint32_t *)arg = 64;
		raw_rej(fd, bad[i].cmd, arg, -ENOTTY, "unknown command: %s", bad[i].name);
	}
	raw_rej(fd, _IOWR(MEMLAYOUT_IOC_MAGIC, 0x01, struct memlayout_info), NULL, -ENOTTY,
		"unknown command with a NULL argument: ENOTTY before EFAULT");
}

/* ------------------------------------------------------------------ */
/* Random valid layouts against the model                               */
/* ------------------------------------------------------------------ */

struct rlay {
	struct lay l;
	uint64_t unit;
	uint64_t nodes[8];
	mr_t ram[64], mmio[40], ecam[40], pmmio[40];
};

/* A random valid request (SPEC C1-C3, sometimes VTL2). */
static void random_lay(struct rlay *r)
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

/*
 * The documented validation order (Documentation/memlayout.rst, "Order of
 * the checks") applied to any request with small counts: the errno and
 * reason SET_LAYOUT must give, 0 when the request is valid.
 */
struct verdict {
	int err;
	uint32_t rule, list, index, olist, oindex;
};

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

static struct verdict model_validate(const struct lay *l)
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
static void mutate(struct rlay *r)
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

static void test_random_rejects(int fd, uint64_t *gen, unsigned int count)
{
	static struct rlay r;
	unsigned int i, bad = 0, hits[9] = { 0 };
	struct snap before;
	uint64_t cur = *gen;

	rng_state = 0xBAD5EEDULL;
	for (i = 0; i < count; i++) {
		struct memlayout_set s;
		struct verdict v;
		bool ok = true;
		int err;

		random_lay(&r);
		mutate(&r);
		v = model_validate(&r.l);
		hits[v.rule]++;
		s = mkset(&r.l);
		take_snap(fd, &before);
		err = do_set(fd, &s);
		if (err != v.err || s.reason.rule != v.rule || s.reason.list != v.list ||
		    s.reason.index != v.index || s.reason.other_list != v.olist ||
		    s.reason.other_index != v.oindex) {
			diag("case %u: expected %s %s %s/%u other %s/%u, got %s %s %s/%u other %s/%u",
			     i, errname(v.err), rulename(v.rule), listname(v.list), v.index,
			     listname(v.olist), v.oindex, errname(err), rulename(s.reason.rule),
			     listname(s.reason.list), s.reason.index,
			     listname(s.reason.other_list), s.reason.other_index);
			ok = false;
		} else if (!err) {
			ok = s.generation == cur + 1 && check_model(fd, &r.l, s.generation);
		} else {
			ok = snap_same(fd, &before);
		}
		if (!err)
			cur = s.generation;
		if (!ok && bad++ >= 3) {
			tap_diag_len = 0;
			tap_diag_buf[0] = '\0';
		}
	}
	*gen = cur;
	note("random rejections: valid %u, R1 %u, R2 %u, R3 %u, R4 %u, R5 %u, R6 %u, R7 %u",
	     hits[0], hits[1], hits[2], hits[3], hits[4], hits[5], hits[6], hits[7]);
	tap(bad == 0, "%u randomly broken requests: errno and reason (rule/list/index/other) as the documented check order says, old layout intact (%u wrong)",
	    count, bad);
}

static void test_random(int fd, uint64_t *gen, unsigned int count)
{
	static struct rlay r;
	unsigned int i, bad = 0;
	uint64_t g;

	rng_state = 0x5EED0001ULL;
	for (i = 0; i < count; i++) {
		random_lay(&r);
		if (set_lay(fd, &r.l, &g) || g != *gen + 1 || !check_model(fd, &r.l, g)) {
			if (bad++ < 3) {
				diag("random layout %u (source %u, %u ram, %u mmio, %u ecam, %u pmmio, vtl2 %d) wrong",
				     i, r.l.source, r.l.nr_ram, r.l.nr_mmio, r.l.nr_ecam,
				     r.l.nr_pmmio, r.l.has_vtl2);
			} else {
				tap_diag_len = 0;
				tap_diag_buf[0] = '\0';
			}
		}
		if (g)
			*gen = g;
	}
	tap(bad == 0, "%u random valid layouts (C1/C2/C3, touching holes, VTL2): SET ok, generation +1 each, lists/stats/probes match the model (%u wrong)",
	    count, bad);
}

/* ------------------------------------------------------------------ */
/* Races                                                                */
/* ------------------------------------------------------------------ */

#define RACE_SMALL 64
#define RACE_BIG 700	/* > one kernel copy chunk (341 addresses) */

static const mr_t race_a_ram[] = { R(0, GiB), R(4 * GiB, 5 * GiB) };
static const mr_t race_a_mmio[] = { R(GiB, 2 * GiB) };
static const mr_t race_a_ecam[] = { R(2 * GiB, 3 * GiB) };
static const mr_t race_a_pmmio[] = { R(3 * GiB, 4 * GiB) };
static const struct lay race_a = {
	.source = MEMLAYOUT_SOURCE_RANGES,
	.ram = race_a_ram, .nr_ram = 2,
	.mmio = race_a_mmio, .nr_mmio = 1,
	.ecam = race_a_ecam, .nr_ecam = 1,
	.pmmio = race_a_pmmio, .nr_pmmio = 1,
};
static const struct lay race_b = { .source = MEMLAYOUT_SOURCE_SIZE, .ram_size = 5 * GiB };

struct race {
	int fd;
	volatile int stop;
	uint64_t small[RACE_SMALL], big[RACE_BIG];
	uint32_t small_a[RACE_SMALL], small_b[RACE_SMALL];
	uint32_t big_a[RACE_BIG], big_b[RACE_BIG];
	bool parity;	/* odd generation = A, even = B */
};

struct reader_res {
	struct race *rc;
	unsigned long calls, wrong, mixed, errors, backwards, seen_a, seen_b;
	char first[160];
};

static bool race_stopped(struct race *rc)
{
	return __atomic_load_n(&rc->stop, __ATOMIC_ACQUIRE);
}

static void *prober(void *arg)
{
	struct reader_res *res = arg;
	struct race *rc = res->rc;
	uint32_t kinds[RACE_BIG];
	uint64_t last = 0, g;
	bool bigb = false;

	while (!race_stopped(rc)) {
		uint32_t n = bigb ? RACE_BIG : RACE_SMALL;
		const uint64_t *a = bigb ? rc->big : rc->small;
		const uint32_t *ea = bigb ? rc->big_a : rc->small_a;
		const uint32_t *eb = bigb ? rc->big_b : rc->small_b;
		bool is_a, is_b;
		int r;

		r = probe(rc->fd, a, kinds, n, &g);
		res->calls++;
		bigb = !bigb;
		if (r) {
			if (!res->errors++)
				snprintf(res->first, sizeof(res->first), "PROBE: %s", errname(r));
			continue;
		}
		if (g < last)
			res->backwards++;
		last = g;
		is_a = !memcmp(kinds, ea, n * sizeof(kinds[0]));
		is_b = !memcmp(kinds, eb, n * sizeof(kinds[0]));
		res->seen_a += is_a;
		res->seen_b += is_b;
		if (!is_a && !is_b) {
			if (!res->mixed++)
				snprintf(res->first, sizeof(res->first),
					 "batch of %u at generation %" PRIu64 " matches neither A nor B", n, g);
		} else if (rc->parity && ((g & 1) ? !is_a : !is_b)) {
			if (!res->wrong++)
				snprintf(res->first, sizeof(res->first),
					 "batch of %u at generation %" PRIu64 " answered by %s", n, g,
					 is_a ? "A" : "B");
		}
	}
	return NULL;
}

static void *stats_reader(void *arg)
{
	struct reader_res *res = arg;
	struct race *rc = res->rc;
	struct memlayout_stats st;
	mr_t buf[4];
	uint64_t last = 0, g;
	uint32_t count;
	bool flip = false;

	while (!race_stopped(rc)) {
		bool a, ok;
		int r;

		res->calls++;
		flip = !flip;
		if (flip) {
			r = get_stats(rc->fd, &st);
			g = st.generation;
			if (r) {
				if (!res->errors++)
					snprintf(res->first, sizeof(res->first), "GET_STATS: %s", errname(r));
				continue;
			}
			a = st.ram_size == 2 * GiB && st.nr_ram == 2 && st.nr_mmio == 1 &&
			    st.nr_pci_ecam == 1 && st.nr_pci_mmio == 1 && st.end_of_ram == 5 * GiB &&
			    st.ram_below_4gb == GiB && st.end_of_layout == 5 * GiB;
			ok = a || (st.ram_size == 5 * GiB && st.nr_ram == 1 && st.nr_mmio == 0 &&
				   st.nr_pci_ecam == 0 && st.end_of_ram == 5 * GiB &&
				   st.ram_below_4gb == 4 * GiB && st.end_of_layout == 5 * GiB);
		} else {
			memset(buf, 0, sizeof(buf));
			r = get_ranges(rc->fd, L_RAM, buf, 4, &count, &g);
			if (r) {
				if (!res->errors++)
					snprintf(res->first, sizeof(res->first), "GET_RANGES: %s", errname(r));
				continue;
			}
			a = count == 2 && buf[0].start == 0 && buf[0].end == GiB &&
			    buf[1].start == 4 * GiB && buf[1].end == 5 * GiB;
			ok = a || (count == 1 && buf[0].start == 0 && buf[0].end == 5 * GiB);
		}
		if (g < last)
			res->backwards++;
		last = g;
		if (ok) {
			res->seen_a += a;
			res->seen_b += !a;
		}
		if (!ok) {
			if (!res->mixed++)
				snprintf(res->first, sizeof(res->first), "%s at generation %" PRIu64
					 " is neither A's nor B's", flip ? "stats" : "ram list", g);
		} else if (rc->parity && (g & 1) != a) {
			if (!res->wrong++)
				snprintf(res->first, sizeof(res->first), "%s at generation %" PRIu64
					 " belongs to %s", flip ? "stats" : "ram list", g, a ? "A" : "B");
		}
	}
	return NULL;
}

struct setter_arg {
	struct race *rc;
	unsigned int rounds, done, bad;
	double deadline;
	uint64_t *gens;
	bool alternate_from_b;
	char first[160];
};

static void *setter(void *arg)
{
	struct setter_arg *sa = arg;
	unsigned int i;

	for (i = 0; i < sa->rounds; i++) {
		const struct lay *l = (i & 1) == sa->alternate_from_b ? &race_a : &race_b;
		struct memlayout_set s = mkset(l);
		int r = do_set(sa->rc->fd, &s);

		if (r) {
			if (!sa->bad++)
				snprintf(sa->first, sizeof(sa->first), "SET %u: %s", i, errname(r));
			continue;
		}
		sa->gens[sa->done++] = s.generation;
		if ((i & 63) == 0 && now_s() > sa->deadline)
			break;
	}
	return NULL;
}

static int u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void race_setup(struct race *rc)
{
	static struct model ma, mb;
	uint32_t i;

	model_build(&race_a, &ma);
	model_build(&race_b, &mb);
	for (i = 0; i < RACE_SMALL; i++)
		rc->small[i] = (uint64_t)i * (5 * GiB + 512 * MiB) / RACE_SMALL + (i & 3) * PG;
	for (i = 0; i < RACE_BIG; i++)	/* a permutation: random order, not sorted */
		rc->big[i] = ((uint64_t)((i * 263) % RACE_BIG)) * (5 * GiB + 512 * MiB) / RACE_BIG;
	for (i = 0; i < RACE_SMALL; i++) {
		rc->small_a[i] = model_probe(&ma, rc->small[i]);
		rc->small_b[i] = model_probe(&mb, rc->small[i]);
	}
	for (i = 0; i < RACE_BIG; i++) {
		rc->big_a[i] = model_probe(&ma, rc->big[i]);
		rc->big_b[i] = model_probe(&mb, rc->big[i]);
	}
}

static void race_report(const char *what, struct reader_res *res, unsigned int n,
			bool parity)
{
	unsigned long calls = 0, wrong = 0, mixed = 0, errors = 0, back = 0;
	unsigned long seen_a = 0, seen_b = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		seen_a += res[i].seen_a;
		seen_b += res[i].seen_b;
		calls += res[i].calls;
		wrong += res[i].wrong;
		mixed += res[i].mixed;
		errors += res[i].errors;
		back += res[i].backwards;
		if (res[i].first[0])
			diag("thread %u: first problem: %s", i, res[i].first);
		if (!res[i].calls)
			diag("thread %u never ran", i);
	}
	for (i = 0; i < n; i++)
		if (!res[i].calls)
			errors++;
	diag("calls %lu (A %lu, B %lu), neither A nor B %lu, wrong parity %lu, errors %lu, generation went backwards %lu",
	     calls, seen_a, seen_b, mixed, wrong, errors, back);
	if (!seen_a || !seen_b)
		diag("the readers did not see both layouts: no race happened");
	tap(!wrong && !mixed && !errors && !back && seen_a && seen_b,
	    "race: %lu %s by %u threads each answered wholly by A or B%s (saw both), generations never backwards",
	    calls, what, n, parity ? " as its generation's parity says" : "");
	note("race %s: %lu calls (A %lu, B %lu), %lu mixed, %lu wrong parity", what, calls,
	     seen_a, seen_b, mixed, wrong);
}

static void test_races(unsigned int rounds)
{
	static struct race rc;
	struct reader_res pres[2], sres[1];
	pthread_t pt[2], st[1], wt[2];
	struct setter_arg sa[2];
	uint64_t g, *gens;
	unsigned int i, t;
	double t0;
	bool ok;

	memset(&rc, 0, sizeof(rc));
	race_setup(&rc);
	rc.fd = open_dev();
	rc.parity = true;
	gens = calloc(2 * (size_t)rounds + 2, sizeof(*gens));
	if (!gens) {
		tap(false, "race: out of memory");
		return;
	}
	ok = set_lay(rc.fd, &race_a, &g) == 0 && g == 1;
	{
		uint32_t k[RACE_BIG];

		ok = ok && probe(rc.fd, rc.big, k, RACE_BIG, NULL) == 0 &&
		     !memcmp(k, rc.big_a, sizeof(k));
		ok = ok && set_lay(rc.fd, &race_b, &g) == 0 && g == 2 &&
		     probe(rc.fd, rc.big, k, RACE_BIG, NULL) == 0 &&
		     !memcmp(k, rc.big_b, sizeof(k));
		ok = ok && set_lay(rc.fd, &race_a, &g) == 0 && g == 3;
		for (i = 0; i < RACE_BIG; i++)
			if (rc.big_a[i] != rc.big_b[i])
				break;
	}
	tap(ok, "race setup: layouts A (C3, 3 hole kinds) and B (C1 5G) answer as modelled");
	{
		unsigned int diff_s = 0, diff_b = 0;

		for (i = 0; i < RACE_SMALL; i++)
			diff_s += rc.small_a[i] != rc.small_b[i];
		for (i = 0; i < RACE_BIG; i++)
			diff_b += rc.big_a[i] != rc.big_b[i];
		note("race: A and B differ at %u of %u and %u of %u probe addresses",
		     diff_s, RACE_SMALL, diff_b, RACE_BIG);
	}

	/* One setter alternating B, A, B, ... (generation 4 = B, 5 = A, ...). */
	memset(pres, 0, sizeof(pres));
	memset(sres, 0, sizeof(sres));
	memset(sa, 0, sizeof(sa));
	sa[0].rc = &rc;
	sa[0].rounds = rounds;
	sa[0].gens = gens;
	sa[0].alternate_from_b = true;
	t0 = now_s();
	sa[0].deadline = t0 + 6;
	for (i = 0; i < 2; i++) {
		pres[i].rc = &rc;
		pthread_create(&pt[i], NULL, prober, &pres[i]);
	}
	sres[0].rc = &rc;
	pthread_create(&st[0], NULL, stats_reader, &sres[0]);
	pthread_create(&wt[0], NULL, setter, &sa[0]);
	pthread_join(wt[0], NULL);
	usleep(20000);
	__atomic_store_n(&rc.stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(pt[i], NULL);
	pthread_join(st[0], NULL);
	t0 = now_s() - t0;

	ok = sa[0].bad == 0 && sa[0].done > 0;
	for (i = 0; i < sa[0].done; i++)
		if (gens[i] != 4 + i) {
			diag("SET %u returned generation %" PRIu64 ", expected %u", i, gens[i], 4 + i);
			ok = false;
			break;
		}
	if (sa[0].first[0])
		diag("%s", sa[0].first);
	note("race: rounds=%u (of %u asked, 6 s cap) SET_LAYOUT A/B on one fd in %.2f s, 2 probe threads (batches of %u and %u), 1 stats/ranges thread",
	     sa[0].done, rounds, t0, RACE_SMALL, RACE_BIG);
	tap(ok, "race: %u SETs alternating B/A on one shared fd, generations %u..%u in order",
	    sa[0].done, 4, 3 + sa[0].done);
	race_report("PROBE batches", pres, 2, true);
	race_report("GET_STATS/GET_RANGES calls", sres, 1, true);

	/* Two setters at once: distinct generations; readers see A or B. */
	{
		unsigned int half = rounds / 4 ? rounds / 4 : 1, total;
		struct memlayout_stats s;

		rc.stop = 0;
		rc.parity = false;
		memset(pres, 0, sizeof(pres));
		memset(sa, 0, sizeof(sa));
		for (t = 0; t < 2; t++) {
			sa[t].rc = &rc;
			sa[t].rounds = half;
			sa[t].gens = gens + t * (size_t)half;
			sa[t].alternate_from_b = t;
			sa[t].deadline = now_s() + 3;
		}
		get_stats(rc.fd, &s);
		for (i = 0; i < 2; i++) {
			pres[i].rc = &rc;
			pthread_create(&pt[i], NULL, prober, &pres[i]);
		}
		for (t = 0; t < 2; t++)
			pthread_create(&wt[t], NULL, setter, &sa[t]);
		for (t = 0; t < 2; t++)
			pthread_join(wt[t], NULL);
		__atomic_store_n(&rc.stop, 1, __ATOMIC_RELEASE);
		for (i = 0; i < 2; i++)
			pthread_join(pt[i], NULL);
		total = sa[0].done;
		memmove(gens + total, gens + half, sa[1].done * sizeof(*gens));
		total += sa[1].done;
		qsort(gens, total, sizeof(*gens), u64cmp);
		ok = sa[0].bad == 0 && sa[1].bad == 0;
		for (i = 0; i < total; i++)
			if (gens[i] != s.generation + 1 + i) {
				diag("generation #%u is %" PRIu64 ", expected %" PRIu64, i, gens[i],
				     (uint64_t)s.generation + 1 + i);
				ok = false;
				break;
			}
		{
			struct memlayout_stats s2;

			get_stats(rc.fd, &s2);
			ok &= eq64("final generation", s2.generation, s.generation + total);
		}
		tap(ok, "race: 2 concurrent setters, %u SETs: generations distinct and contiguous", total);
		race_report("PROBE batches during concurrent setters", pres, 2, false);
	}
	close(rc.fd);
	free(gens);
}

/* ------------------------------------------------------------------ */
/* Many files, fdinfo, counters                                         */
/* ------------------------------------------------------------------ */

static void test_fdinfo(void)
{
	int fd = open_dev();
	uint64_t g;

	tap(check_fdinfo(fd, NULL, 0), "fdinfo of a fd without a layout: \"layout:\\tnone\"");
	set_lay(fd, &examples[0].l, &g);
	tap(check_fdinfo(fd, &examples[0].l, 1),
	    "fdinfo: seed example, generation 1, ranges in address order, ram_above_high_mmio line");
	set_lay(fd, &ex5, &g);
	tap(check_fdinfo(fd, &ex5, 2),
	    "fdinfo: every hole kind, vnodes, vtl2 line, generation 2");
	set_lay(fd, &examples[8].l, &g);
	tap(check_fdinfo(fd, &examples[8].l, 3),
	    "fdinfo: top of the address space, vnode 0xffffffff");
	{
		struct memlayout_set s = mkset(&(struct lay){ C1(0) });

		do_set(fd, &s);
		tap(check_fdinfo(fd, &examples[8].l, 3), "fdinfo unchanged after a rejected SET");
	}
	close(fd);
}

#define MANY_FDS 256

static void test_many_fds(void)
{
	static int fds[MANY_FDS];
	unsigned int i, opened = 0, bad = 0;
	bool dbg = debugfs_ok();
	long long live0 = 0, open0 = 0, v;
	struct rlimit rl;
	double took;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < MANY_FDS + 64) {
		rl.rlim_cur = rl.rlim_max > MANY_FDS + 64 ? MANY_FDS + 64 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (dbg) {
		/* Earlier tests' layouts are freed after a grace period. */
		live0 = wait_counter("live_layouts", base_live, 5, NULL);
		open0 = read_num(DEBUGFS_DIR "open_files");
	}
	for (i = 0; i < MANY_FDS; i++) {
		fds[i] = open(DEV_PATH, O_RDWR | O_CLOEXEC);
		if (fds[i] < 0) {
			diag("open #%u: %s", i, strerror(errno));
			break;
		}
		opened++;
	}
	tap(opened == MANY_FDS, "%u opens of %s at once", opened, DEV_PATH);
	if (dbg)
		tap(eq64("open_files", (uint64_t)read_num(DEBUGFS_DIR "open_files"),
			 (uint64_t)(open0 + opened)),
		    "debugfs open_files rose by %u", opened);
	for (i = 0; i < opened; i++) {
		struct lay l = { C1((i + 1) * 2 * MiB), MMIO(R(2 * GiB, 2 * GiB + (i + 1) * PG)) };
		uint64_t g;

		if (set_lay(fds[i], &l, &g) || g != 1)
			bad++;
	}
	tap(bad == 0, "%u distinct layouts set, one per fd, each generation 1", opened);
	if (dbg)
		tap(eq64("live_layouts", (uint64_t)read_num(DEBUGFS_DIR "live_layouts"),
			 (uint64_t)(live0 + opened)),
		    "debugfs live_layouts rose by exactly %u", opened);
	bad = 0;
	for (i = opened; i-- > 0;) {
		uint64_t ram = (i + 1) * 2 * MiB, hole = 2 * GiB + (i + 1) * PG;
		uint64_t a[5] = { ram - 1, ram, hole - 1, hole, 0 };
		uint32_t k[5];
		struct memlayout_stats st;

		if (get_stats(fds[i], &st) || st.ram_size != ram || st.end_of_ram != ram ||
		    st.end_of_layout != hole || st.generation != 1 ||
		    probe(fds[i], a, k, 5, NULL) || k[0] != K_RAM || k[1] != K_NONE ||
		    k[2] != K_MMIO || k[3] != K_NONE || k[4] != K_RAM) {
			if (!bad)
				diag("fd #%u answers ram_size %#" PRIx64 " (expected %#" PRIx64 ")",
				     i, (uint64_t)st.ram_size, ram);
			bad++;
		}
	}
	tap(bad == 0, "each of the %u fds answers its own layout (stats and probes)", opened);
	if (opened > 77) {
		struct lay l = { C1(78 * 2 * MiB), MMIO(R(2 * GiB, 2 * GiB + 78 * PG)) };

		tap(check_fdinfo(fds[77], &l, 1), "fdinfo of fd #77 shows its own layout");
	}
	for (i = 0; i < opened; i++)
		close(fds[i]);
	if (!dbg) {
		tap_skip("no debugfs", "live_layouts back to its value after closing %u fds", opened);
		tap_skip("no debugfs", "open_files back to its value after closing %u fds", opened);
		return;
	}
	v = wait_counter("open_files", open0, 2, &took);
	tap(eq64("open_files", (uint64_t)v, (uint64_t)open0),
	    "debugfs open_files back to %lld after closing %u fds", open0, opened);
	v = wait_counter("live_layouts", live0, 5, &took);
	tap(eq64("live_layouts", (uint64_t)v, (uint64_t)live0),
	    "debugfs live_layouts back to %lld after closing %u fds (%.2f s, RCU)", live0,
	    opened, took);
}

/* Rejected requests allocate and free without leaking layouts. */
static void test_reject_leaks(void)
{
	int fd = open_dev();
	long long before, after;
	unsigned int i, errs = 0;
	uint64_t g;

	if (!debugfs_ok()) {
		tap_skip("no debugfs", "rejected SETs do not change live_layouts");
		close(fd);
		return;
	}
	set_lay(fd, &ex5, &g);
	/* Let earlier tests' RCU frees finish: only this fd's layout lives. */
	before = wait_counter("live_layouts", base_live + 1, 5, NULL);
	for (i = 0; i < 300; i++) {
		/* R4 and R7 fail after the layout was allocated. */
		struct memlayout_set s = mkset(i & 1 ?
			&(struct lay){ C3(R(0, 2 * GiB)), MMIO(R(GiB, 3 * GiB)) } :
			&(struct lay){ C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + PG) });

		if (do_set(fd, &s) == 0)
			errs++;
	}
	after = read_num(DEBUGFS_DIR "live_layouts");
	tap(errs == 0 && eq64("live_layouts", (uint64_t)after, (uint64_t)before),
	    "300 SETs rejected after allocation (R4, R7) leave live_layouts at %lld", before);
	close(fd);
}

static void final_counters(void)
{
	double took;
	long long v;

	if (!debugfs_ok()) {
		tap_skip("no debugfs", "live_layouts back to its starting value");
		tap_skip("no debugfs", "open_files back to its starting value");
		return;
	}
	v = wait_counter("open_files", base_open, 2, &took);
	tap(eq64("open_files", (uint64_t)v, (uint64_t)base_open),
	    "all fds closed: debugfs open_files back to %lld", base_open);
	v = wait_counter("live_layouts", base_live, 5, &took);
	tap(eq64("live_layouts", (uint64_t)v, (uint64_t)base_live),
	    "all fds closed: debugfs live_layouts back to %lld (%.2f s)", base_live, took);
}

/* ------------------------------------------------------------------ */
/* --answers                                                            */
/* ------------------------------------------------------------------ */

static void dump_reason(const struct memlayout_set *s, int r)
{
	printf("  set=%s generation=%" PRIu64 " reason=%u/%u/%u/%u/%u/%u\n", errname(r),
	       (uint64_t)s->generation, s->reason.rule, s->reason.list, s->reason.index,
	       s->reason.other_list, s->reason.other_index, s->reason.reserved);
}

static void dump_layout(int fd, const char *name, const struct lay *l,
			const uint64_t *addrs, uint32_t naddrs)
{
	static uint32_t kinds[4096];
	struct memlayout_set s = mkset(l);
	struct memlayout_stats st;
	uint64_t g;
	uint32_t list, count, i;
	mr_t buf[64];
	int r;

	printf("layout %s\n", name);
	r = do_set(fd, &s);
	dump_reason(&s, r);
	r = get_stats(fd, &st);
	printf("  stats=%s", errname(r));
#define P(f) printf(" " #f "=%#" PRIx64, (uint64_t)st.f);
	if (!r) {
		STAT_FIELDS(P)
	}
#undef P
	printf("\n");
	for (list = L_RAM; list <= L_VTL2; list++) {
		r = get_ranges(fd, list, NULL, 0, &count, &g);
		printf("  list %s probe=%s count=%u generation=%" PRIu64 "\n", listname(list),
		       errname(r), count, g);
		if (count > ARRAY_SIZE(buf))
			count = ARRAY_SIZE(buf);
		r = get_ranges(fd, list, buf, count, &count, &g);
		printf("  list %s get=%s count=%u\n", listname(list), errname(r), count);
		for (i = 0; !r && i < count; i++)
			printf("    [%#" PRIx64 ", %#" PRIx64 ") vnode=%u reserved=%u\n",
			       (uint64_t)buf[i].start, (uint64_t)buf[i].end, buf[i].vnode,
			       buf[i].reserved);
	}
	r = probe(fd, addrs, kinds, naddrs, &g);
	printf("  probe=%s generation=%" PRIu64 " count=%u\n", errname(r), g, naddrs);
	for (i = 0; !r && i < naddrs; i++)
		printf("    %#018" PRIx64 " %s\n", addrs[i], kindname(kinds[i]));
}

static int run_answers(void)
{
	static uint64_t addrs[4096];
	static struct model m;
	static struct rlay rl[12];
	struct memlayout_info in;
	uint32_t n = 0, i, j;
	int fd = open_dev(), r;
	char name[64];

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	r = xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in);
	printf("info=%s api_version=%u max_ranges=%u max_probe=%u set_flags=%#x page_size=%#" PRIx64
	       " max_address=%#" PRIx64 "\n", errname(r), in.api_version, in.max_ranges,
	       in.max_probe, in.set_flags, (uint64_t)in.page_size, (uint64_t)in.max_address);

	/* Addresses: every edge of every fixed layout, then a spread. */
	for (i = 0; i < ARRAY_SIZE(examples); i++) {
		model_build(&examples[i].l, &m);
		n += model_edges(&m, addrs + n, 1200 - n);
	}
	rng_state = 0xA115EEDULL;
	for (i = 0; i < ARRAY_SIZE(rl); i++)
		random_lay(&rl[i]);
	while (n < 2048) {
		uint32_t bits = (uint32_t)rndn(65);

		addrs[n++] = bits == 64 ? rnd() : rnd() & ((1ULL << bits) - 1);
	}

	for (i = 0; i < ARRAY_SIZE(examples); i++)
		dump_layout(fd, examples[i].name, &examples[i].l, addrs, n);
	for (i = 0; i < ARRAY_SIZE(rl); i++) {
		snprintf(name, sizeof(name), "random #%u", i);
		dump_layout(fd, name, &rl[i].l, addrs, n);
	}

	/* Rejections: errno and reason, identical for both ABIs. */
	{
		struct lay bad[] = {
			{ C1(0) },
			{ C2(GiB, 0) },
			{ C1(GiB), MMIO(R(GiB + 1, 2 * GiB)) },
			{ C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)) },
			{ C1(PG), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
			  ECAM(R(3 * GiB + 512 * MiB, 5 * GiB)) },
			{ C3(R(0, 2 * GiB)), VTL2(GiB, 3 * GiB) },
			{ C3_NORAM, MMIO(R(GiB, 2 * GiB)) },
			{ C2(1ULL << 63, 1ULL << 63) },
			{ C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + 64 * MiB) },
			{ C3(R(0, GiB), { GiB, 2 * GiB, 0, 1 }) },
		};

		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			struct memlayout_set s = mkset(&bad[j]);

			r = do_set(fd, &s);
			printf("reject #%u\n", j);
			dump_reason(&s, r);
		}
		rng_state = 0xA115EED2ULL;
		for (j = 0; j < 40; j++) {
			struct memlayout_set s;

			random_lay(&rl[0]);
			mutate(&rl[0]);
			s = mkset(&rl[0].l);
			r = do_set(fd, &s);
			printf("random reject #%u\n", j);
			dump_reason(&s, r);
		}
		{
			struct memlayout_set s = mkset(&(struct lay){ C1(GiB) });

			s.flags = 0x100;
			r = do_set(fd, &s);
			printf("reject flags\n");
			dump_reason(&s, r);
		}
	}
	close(fd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* --bench                                                              */
/* ------------------------------------------------------------------ */

static int run_bench(void)
{
	enum { NR = 4096, POOL = 1 << 16 };
	static mr_t ram[NR / 2], mmio[NR / 2];
	static uint64_t pool[POOL], sorted[NR];
	static uint32_t kinds[NR];
	struct memlayout_info in;
	struct lay l = { .source = MEMLAYOUT_SOURCE_RANGES };
	static const uint32_t batches[] = { 1, 64, 4096 };
	uint64_t span = (uint64_t)NR * 2 * MiB, g;
	uint32_t i, b;
	double t0, t;
	int fd = open_dev(), r;

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in);
	if (in.max_ranges < NR / 2) {
		note("bench: raising max_ranges from %u to %u", in.max_ranges, NR);
		set_max_ranges(NR);
	}
	for (i = 0; i < NR / 2; i++) {
		ram[i].start = (uint64_t)2 * i * 2 * MiB;
		ram[i].end = ram[i].start + 2 * MiB;
		ram[i].vnode = i % 4;
		ram[i].reserved = 0;
		mmio[i].start = ram[i].end;
		mmio[i].end = mmio[i].start + 2 * MiB;
		mmio[i].vnode = mmio[i].reserved = 0;
	}
	l.ram = ram;
	l.nr_ram = NR / 2;
	l.mmio = mmio;
	l.nr_mmio = NR / 2;
	t0 = now_s();
	r = set_lay(fd, &l, &g);
	t = now_s() - t0;
	if (r) {
		printf("# bench SET_LAYOUT failed: %s\n", errname(r));
		return 1;
	}
	printf("# bench set_layout ranges=%u us=%.1f\n", NR, t * 1e6);
	rng_state = 0xBE7C4ULL;
	for (i = 0; i < POOL; i++)
		pool[i] = rndn(span);
	for (i = 0; i < NR; i++)
		sorted[i] = (uint64_t)i * (span / NR) + 4096;
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		uint32_t n = batches[b], off = 0;
		unsigned long calls = 0;

		t0 = now_s();
		do {
			if (off + n > POOL)
				off = 0;
			probe(fd, pool + off, kinds, n, NULL);
			off += n;
			calls++;
		} while ((t = now_s() - t0) < 1.0 || calls < 8);
		printf("# bench probe batch=%u ns_per_addr=%.1f calls=%lu\n", n,
		       t * 1e9 / ((double)calls * n), calls);
	}
	{
		unsigned long calls = 0;

		t0 = now_s();
		do {
			probe(fd, sorted, kinds, NR, NULL);
			calls++;
		} while ((t = now_s() - t0) < 1.0 || calls < 8);
		printf("# bench probe_sorted batch=%u ns_per_addr=%.1f calls=%lu\n", NR,
		       t * 1e9 / ((double)calls * NR), calls);
	}
	close(fd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* --selfcheck: the hand-written expectations agree with the model      */
/* ------------------------------------------------------------------ */

static int run_selfcheck(void)
{
	static struct model m;
	static mr_t got[MODEL_MAX];
	uint32_t i, j, n;

	for (i = 0; i < ARRAY_SIZE(examples); i++) {
		const struct example *ex = &examples[i];
		bool ok = true;

		model_build(&ex->l, &m);
		n = model_list(&m, L_RAM, got);
		ok &= eq64("nr_ram", n, ex->nr_ram);
		for (j = 0; j < n && j < ex->nr_ram; j++)
			if (got[j].start != ex->ram[j].start || got[j].end != ex->ram[j].end ||
			    got[j].vnode != ex->ram[j].vnode) {
				diag("ram[%u] model [%#" PRIx64 ",%#" PRIx64 ") v%u hand [%#" PRIx64
				     ",%#" PRIx64 ") v%u", j, (uint64_t)got[j].start,
				     (uint64_t)got[j].end, got[j].vnode, (uint64_t)ex->ram[j].start,
				     (uint64_t)ex->ram[j].end, ex->ram[j].vnode);
				ok = false;
			}
		ok &= stats_equal(&m.st, &ex->st);
		for (j = 0; j < ex->nr_pk; j++)
			if (model_probe(&m, ex->pk[j].a) != ex->pk[j].k) {
				diag("probe %#" PRIx64 ": model %s hand %s", ex->pk[j].a,
				     kindname(model_probe(&m, ex->pk[j].a)), kindname(ex->pk[j].k));
				ok = false;
			}
		tap(ok, "selfcheck: %s", ex->name);
	}
	{
		static struct rlay r;
		unsigned int hits[9] = { 0 };

		rng_state = 0xBAD5EEDULL;
		for (i = 0; i < 100000; i++) {
			random_lay(&r);
			if (i % 5)
				mutate(&r);
			hits[model_validate(&r.l).rule]++;
		}
		note("selfcheck verdicts: valid %u R1 %u R2 %u R3 %u R4 %u R5 %u R6 %u R7 %u",
		     hits[0], hits[1], hits[2], hits[3], hits[4], hits[5], hits[6], hits[7]);
		tap(hits[0] > 20000, "selfcheck: unmutated random layouts are valid for the validation model");
	}
	return tap_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned int rounds = 50000, nrandom = 300, nrejects = 1000;
	uint64_t gen = 0;
	double t0 = now_s();
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--answers"))
		return run_answers();
	if (argc > 1 && !strcmp(argv[1], "--bench"))
		return run_bench();
	if (argc > 1 && !strcmp(argv[1], "--selfcheck"))
		return run_selfcheck();
	if (argc > 1) {
		fprintf(stderr, "usage: %s [--answers|--bench]\n", argv[0]);
		return 2;
	}
	if (getenv("MEMLAYOUT_RACE_ROUNDS"))
		rounds = (unsigned int)strtoul(getenv("MEMLAYOUT_RACE_ROUNDS"), NULL, 0);

	note("memlayout_test: %d-bit, race rounds %u, random layouts %u, many fds %u",
	     (int)sizeof(void *) * 8, rounds, nrandom, MANY_FDS);
	setup_pages();
	if (debugfs_ok()) {
		/* A previous process's layouts may still wait for RCU. */
		base_live = wait_counter("live_layouts", 0, 3, NULL);
		base_open = wait_counter("open_files", 0, 1, NULL);
		note("debugfs baseline: live_layouts %lld, open_files %lld", base_live, base_open);
	} else {
		note("debugfs " DEBUGFS_DIR " not available: counter checks skipped");
	}

	test_device();
	fd = open_dev();
	test_info(fd);
	test_empty(fd);
	test_constructors(fd, &gen);
	/* The base every rejection must leave intact: ex5. */
	set_lay(fd, &ex5, &gen);
	tap(check_model(fd, &ex5, gen), "base layout for rejections installed (generation %" PRIu64 ")", gen);
	test_rejections(fd);
	test_queries(fd, gen);
	test_limits(fd);
	test_sizes(fd);
	test_enotty(fd);
	{
		struct memlayout_stats st;

		get_stats(fd, &st);
		gen = st.generation;
	}
	test_random(fd, &gen, nrandom);
	test_random_rejects(fd, &gen, nrejects);
	close(fd);
	test_fdinfo();
	test_reject_leaks();
	test_races(rounds);
	test_many_fds();
	final_counters();

	printf("# %u checks, %u failed, %u skipped, %.1f s\n", tap_num, tap_failed,
	       tap_skipped, now_s() - t0);
	return tap_failed ? 1 : 0;
}
