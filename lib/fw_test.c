// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout firmware maps: table-driven tests (TAP), and the maps the
 * real consumers check (scripts/fwcheck.sh).
 *
 *   fw_test              run the tests; "N passed, N failed" last
 *   fw_test --emit DIR   also write, per case NAME: NAME.srat (the whole
 *                        SRAT), NAME.dtb (an empty tree plus the memory
 *                        nodes), NAME.e820 (the rendered table), and the
 *                        expectations written here by hand: NAME.e820.expect
 *                        and NAME.mem.expect ("start size node", hex)
 *
 * Every expected table below is written from the policy in
 * Documentation/userspace-api/firmware-maps.rst, not from the library's
 * output; the layouts are the SPEC's kinds (Q9) with the R3/R4 rules
 * holding (sorted, no overlap).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "libmemlayout.h"

#define KiB	(1ULL << 10)
#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

#define RAM(s, e, n)	{ (s), (e), (n), MEMLAYOUT_KIND_RAM }
#define MMIO(s, e)	{ (s), (e), 0, MEMLAYOUT_KIND_MMIO }
#define ECAM(s, e)	{ (s), (e), 0, MEMLAYOUT_KIND_PCI_ECAM }
#define PCI(s, e)	{ (s), (e), 0, MEMLAYOUT_KIND_PCI_MMIO }

/* e820 types: ACPI 6.5, 15.1 "Address Range Types" */
#define T_RAM	1
#define T_RES	2

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* As tools/include/linux/compiler.h has it for userspace. */
#define __printf(a, b)	__attribute__((format(printf, a, b)))

static int passed, failed, tap;

/**
 * check() - report one TAP result
 * @ok: the result.
 * @fmt: the description.
 *
 * Return: @ok.
 */
static bool __printf(2, 3) check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++tap);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
	return ok;
}

/* An expected e820 entry: [start, end) of type. */
struct ex_e820 {
	uint64_t start, end;
	uint32_t type;
};

/* An expected SRAT structure or /memory node: [start, end) of node. */
struct ex_mem {
	uint64_t start, end;
	uint32_t node;
};

/**
 * struct fw_case - one layout and its expected maps
 * @name: the case's name (file names with --emit).
 * @e: the layout's entries, in address order.
 * @nr: their number.
 * @vtl2_start: VTL2's start, or 0 for none.
 * @vtl2_end: VTL2's end.
 * @flags: memlayout_e820() flags.
 * @e820: the expected e820 table.
 * @n820: its length.
 * @mem: the expected RAM runs (SRAT structures and /memory nodes).
 * @nmem: their number.
 */
struct fw_case {
	const char *name;
	const struct memlayout_map_entry *e;
	uint32_t nr;
	uint64_t vtl2_start, vtl2_end;
	uint32_t flags;
	const struct ex_e820 *e820;
	uint32_t n820;
	const struct ex_mem *mem;
	uint32_t nmem;
};

/*
 * q35-like, two nodes: RAM 0-2G on node 0, the 32-bit MMIO gap 2G-4G with
 * the ECAM inside it, RAM 4G-8G split at 6G between nodes 0 and 1, and a
 * 64-bit PCI MMIO window at 64G.
 */
static const struct memlayout_map_entry q35_e[] = {
	RAM(0, 2 * GiB, 0),
	MMIO(2 * GiB, 3 * GiB),
	ECAM(3 * GiB, 3 * GiB + 256 * MiB),
	MMIO(3 * GiB + 256 * MiB, 4 * GiB),
	RAM(4 * GiB, 6 * GiB, 0),
	RAM(6 * GiB, 8 * GiB, 1),
	PCI(64 * GiB, 128 * GiB),
};

static const struct ex_e820 q35_e820[] = {
	{ 0, 2 * GiB, T_RAM },
	{ 3 * GiB, 3 * GiB + 256 * MiB, T_RES },	/* ECAM: reserved */
	{ 4 * GiB, 8 * GiB, T_RAM },		/* merged across the node split */
};

static const struct ex_mem q35_mem[] = {
	{ 0, 2 * GiB, 0 },
	{ 4 * GiB, 6 * GiB, 0 },
	{ 6 * GiB, 8 * GiB, 1 },
};

/* RAM split at a node boundary, then a range split in two on one node. */
static const struct memlayout_map_entry split_e[] = {
	RAM(0, 1 * GiB, 0),
	RAM(1 * GiB, 2 * GiB, 1),
	RAM(2 * GiB, 2 * GiB + 512 * MiB, 1),
	RAM(2 * GiB + 512 * MiB, 3 * GiB, 2),
};

static const struct ex_e820 split_e820[] = {
	{ 0, 3 * GiB, T_RAM },
};

static const struct ex_mem split_mem[] = {
	{ 0, 1 * GiB, 0 },
	{ 1 * GiB, 2 * GiB + 512 * MiB, 1 },	/* same node, no gap: one run */
	{ 2 * GiB + 512 * MiB, 3 * GiB, 2 },
};

/* VTL2 between RAM and the PCI window, right after the ECAM: one entry. */
static const struct memlayout_map_entry vtl2_e[] = {
	RAM(0, 1 * GiB, 0),
	MMIO(1 * GiB, 2 * GiB),
	ECAM(2 * GiB, 2 * GiB + 256 * MiB),
	PCI(4 * GiB, 8 * GiB),
};

static const struct ex_e820 vtl2_e820[] = {
	{ 0, 1 * GiB, T_RAM },
	{ 2 * GiB, 2 * GiB + 512 * MiB, T_RES },	/* ECAM + VTL2 */
};

static const struct ex_mem vtl2_mem[] = {
	{ 0, 1 * GiB, 0 },
};

/* VTL2 above every range: it comes last. */
static const struct memlayout_map_entry vtl2top_e[] = {
	RAM(0, 1 * GiB, 0),
	PCI(2 * GiB, 3 * GiB),
};

static const struct ex_e820 vtl2top_e820[] = {
	{ 0, 1 * GiB, T_RAM },
	{ 3 * GiB, 3 * GiB + 64 * MiB, T_RES },
};

/* VTL2 below the ECAM: its entry comes before the ECAM's. */
static const struct memlayout_map_entry vtl2mid_e[] = {
	RAM(0, 1 * GiB, 0),
	ECAM(2 * GiB, 2 * GiB + 256 * MiB),
};

static const struct ex_e820 vtl2mid_e820[] = {
	{ 0, 1 * GiB, T_RAM },
	{ 1 * GiB + 512 * MiB, 1 * GiB + 576 * MiB, T_RES },	/* VTL2 */
	{ 2 * GiB, 2 * GiB + 256 * MiB, T_RES },		/* ECAM */
};

/* Runs of 4 GiB and more: both halves of every 64-bit field. */
static const struct memlayout_map_entry large_e[] = {
	RAM(0, 3 * GiB, 0),
	MMIO(3 * GiB, 4 * GiB),
	RAM(4 * GiB, 20 * GiB, 1),
	PCI(1024 * GiB, 2048 * GiB),
};

static const struct ex_e820 large_e820[] = {
	{ 0, 3 * GiB, T_RAM },
	{ 4 * GiB, 20 * GiB, T_RAM },
};

static const struct ex_mem large_mem[] = {
	{ 0, 3 * GiB, 0 },
	{ 4 * GiB, 20 * GiB, 1 },
};

/* The legacy carve-out over RAM from 0, split at 512 KiB between nodes. */
static const struct memlayout_map_entry legacy_e[] = {
	RAM(0, 512 * KiB, 0),
	RAM(512 * KiB, 1 * GiB, 1),
};

static const struct ex_e820 legacy_e820[] = {
	{ 0, 0x9fc00, T_RAM },
	{ 0x9fc00, 0xa0000, T_RES },		/* EBDA */
	{ 0xf0000, 0x100000, T_RES },		/* BIOS */
	{ 0x100000, 1 * GiB, T_RAM },
};

static const struct ex_mem legacy_mem[] = {
	{ 0, 512 * KiB, 0 },
	{ 512 * KiB, 1 * GiB, 1 },
};

/* The legacy flag changes nothing when RAM starts at 1 MiB. */
static const struct memlayout_map_entry high_e[] = {
	RAM(1 * MiB, 1 * GiB, 0),
};

static const struct ex_e820 high_e820[] = {
	{ 1 * MiB, 1 * GiB, T_RAM },
};

static const struct ex_mem high_mem[] = {
	{ 1 * MiB, 1 * GiB, 0 },
};

/* Legacy flag, RAM ending inside the VGA hole: EBDA reserved, no more. */
static const struct memlayout_map_entry low_e[] = {
	RAM(0, 0xc0000, 0),
	MMIO(0xc0000, 0x100000),
	RAM(0x100000, 64 * MiB, 0),
};

static const struct ex_e820 low_e820[] = {
	{ 0, 0x9fc00, T_RAM },
	{ 0x9fc00, 0xa0000, T_RES },
	{ 0x100000, 64 * MiB, T_RAM },
};

static const struct ex_mem low_mem[] = {
	{ 0, 0xc0000, 0 },
	{ 0x100000, 64 * MiB, 0 },
};

/*
 * What the guest boots with (scripts/fwcheck.sh): a q35 guest with -m 3G
 * has RAM at 0-2G and 4G-5G, so this map's RAM is all backed: RAM 0-2G,
 * the gap with the ECAM, RAM 4G-5G split at 4.5G, VTL2 above it and the
 * 64-bit window, with the legacy carve-out.
 */
static const struct memlayout_map_entry boot_e[] = {
	RAM(0, 2 * GiB, 0),
	MMIO(2 * GiB, 3 * GiB),
	ECAM(3 * GiB, 3 * GiB + 256 * MiB),
	MMIO(3 * GiB + 256 * MiB, 4 * GiB),
	RAM(4 * GiB, 4 * GiB + 512 * MiB, 0),
	RAM(4 * GiB + 512 * MiB, 5 * GiB, 1),
	PCI(64 * GiB, 128 * GiB),
};

static const struct ex_e820 boot_e820[] = {
	{ 0, 0x9fc00, T_RAM },
	{ 0x9fc00, 0xa0000, T_RES },
	{ 0xf0000, 0x100000, T_RES },
	{ 0x100000, 2 * GiB, T_RAM },
	{ 3 * GiB, 3 * GiB + 256 * MiB, T_RES },
	{ 4 * GiB, 5 * GiB, T_RAM },
	{ 5 * GiB, 5 * GiB + 64 * MiB, T_RES },	/* VTL2 */
};

static const struct ex_mem boot_mem[] = {
	{ 0, 2 * GiB, 0 },
	{ 4 * GiB, 4 * GiB + 512 * MiB, 0 },
	{ 4 * GiB + 512 * MiB, 5 * GiB, 1 },
};

#define CASE(n, ent, vs, ve, fl, x820, xmem) {				\
	.name = (n), .e = (ent), .nr = ARRAY_SIZE(ent),			\
	.vtl2_start = (vs), .vtl2_end = (ve), .flags = (fl),		\
	.e820 = (x820), .n820 = ARRAY_SIZE(x820),			\
	.mem = (xmem), .nmem = ARRAY_SIZE(xmem) }

static const struct fw_case cases[] = {
	CASE("q35", q35_e, 0, 0, 0, q35_e820, q35_mem),
	CASE("split", split_e, 0, 0, 0, split_e820, split_mem),
	CASE("vtl2", vtl2_e, 2 * GiB + 256 * MiB, 2 * GiB + 512 * MiB, 0,
	     vtl2_e820, vtl2_mem),
	CASE("vtl2top", vtl2top_e, 3 * GiB, 3 * GiB + 64 * MiB, 0,
	     vtl2top_e820, vtl2_mem),
	CASE("vtl2mid", vtl2mid_e, 1 * GiB + 512 * MiB, 1 * GiB + 576 * MiB,
	     0, vtl2mid_e820, vtl2_mem),
	CASE("large", large_e, 0, 0, 0, large_e820, large_mem),
	CASE("legacy", legacy_e, 0, 0, MEMLAYOUT_E820_LEGACY, legacy_e820,
	     legacy_mem),
	CASE("legacy-high", high_e, 0, 0, MEMLAYOUT_E820_LEGACY, high_e820,
	     high_mem),
	CASE("legacy-vga", low_e, 0, 0, MEMLAYOUT_E820_LEGACY, low_e820,
	     low_mem),
	CASE("boot", boot_e, 5 * GiB, 5 * GiB + 64 * MiB, MEMLAYOUT_E820_LEGACY,
	     boot_e820, boot_mem),
};

/**
 * snap_of() - a hand-built snapshot of @c
 * @c: the case.
 * @snap: receives it (entries point into @c; do not free).
 */
static void snap_of(const struct fw_case *c, struct memlayout_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->nr = c->nr;
	snap->entries = (struct memlayout_map_entry *)c->e;
	if (c->vtl2_end) {
		snap->stats.present = MEMLAYOUT_STATS_VTL2;
		snap->stats.vtl2_start = c->vtl2_start;
		snap->stats.vtl2_end = c->vtl2_end;
	}
}

/**
 * e820_equal() - does @got match the expected table of @c?
 * @c: the case.
 * @got: the rendered table.
 * @n: its length.
 *
 * Return: true when equal, else false (the first difference is printed).
 */
static bool e820_equal(const struct fw_case *c,
		       const struct boot_e820_entry *got, uint32_t n)
{
	uint32_t i;

	if (n != c->n820) {
		printf("# %u entries, expected %u\n", n, c->n820);
		return false;
	}
	for (i = 0; i < n; i++) {
		const struct ex_e820 *x = &c->e820[i];

		if (got[i].addr != x->start || got[i].size != x->end - x->start ||
		    got[i].type != x->type) {
			printf("# [%u] 0x%llx+0x%llx type %u, expected 0x%" PRIx64
			       "+0x%" PRIx64 " type %u\n", i,
			       (unsigned long long)got[i].addr,
			       (unsigned long long)got[i].size, got[i].type,
			       x->start, x->end - x->start, x->type);
			return false;
		}
	}
	return true;
}

/**
 * test_e820() - the e820 table of @snap equals @c's expectation, and
 * every table is sorted, non-overlapping and made of non-empty entries
 * @c: the case.
 * @snap: its snapshot (hand-built or read back).
 * @how: "hand" or "offline", for the description.
 */
static void test_e820(const struct fw_case *c,
		      const struct memlayout_snapshot *snap, const char *how)
{
	struct boot_e820_entry out[16];
	uint32_t n = ARRAY_SIZE(out), i;
	bool sorted = true;
	int ret;

	ret = memlayout_e820(snap, c->flags, out, &n);
	check(!ret && e820_equal(c, out, n), "e820 %s (%s): %u entries as expected",
	      c->name, how, c->n820);
	for (i = 0; !ret && i < n; i++)
		if (!out[i].size || (i && out[i].addr <
				      out[i - 1].addr + out[i - 1].size))
			sorted = false;
	check(!ret && sorted, "e820 %s (%s): sorted, non-empty, no overlap",
	      c->name, how);
}

/**
 * srat_image() - the expected 40-byte structure of @m, written byte by
 * byte from ACPI 6.5 5.2.16.2 (Table 5.xx "Memory Affinity Structure")
 * @m: the expected run.
 * @p: 40 bytes.
 */
static void srat_image(const struct ex_mem *m, uint8_t *p)
{
	uint64_t len = m->end - m->start;
	int i;

	memset(p, 0, 40);
	p[0] = 1;			/* type: Memory Affinity */
	p[1] = 40;			/* length */
	for (i = 0; i < 4; i++)
		p[2 + i] = m->node >> (8 * i);	/* proximity domain */
	for (i = 0; i < 8; i++) {
		p[8 + i] = m->start >> (8 * i);	/* base low, high */
		p[16 + i] = len >> (8 * i);	/* length low, high */
	}
	p[28] = 1;			/* flags: enabled */
}

/**
 * test_srat() - SRAT structures and the whole table of @snap
 * @c: the case.
 * @snap: its snapshot.
 * @how: "hand" or "offline".
 */
static void test_srat(const struct fw_case *c,
		      const struct memlayout_snapshot *snap, const char *how)
{
	struct memlayout_srat_mem out[8];
	uint8_t want[40], *t;
	uint32_t n = ARRAY_SIZE(out), i;
	size_t len = 0, k;
	uint8_t sum = 0;
	bool ok;
	int ret;

	ret = memlayout_srat_entries(snap, out, &n);
	ok = !ret && n == c->nmem;
	for (i = 0; ok && i < n; i++) {
		srat_image(&c->mem[i], want);
		ok = !memcmp(&out[i], want, sizeof(want));
	}
	check(ok, "srat %s (%s): %u memory affinity structures, byte for byte",
	      c->name, how, c->nmem);

	ret = memlayout_srat_table(snap, NULL, &len);
	check(ret == -EMSGSIZE && len == 48 + 40 * c->nmem,
	      "srat %s (%s): table length %u asked for", c->name, how,
	      48 + 40 * c->nmem);
	t = malloc(len);
	if (!t)
		exit(2);
	ret = memlayout_srat_table(snap, t, &len);
	for (k = 0; !ret && k < len; k++)
		sum += t[k];
	check(!ret && !sum, "srat %s (%s): bytes sum to 0", c->name, how);
	ok = !ret && !memcmp(t, "SRAT", 4) && t[4] == (uint8_t)len &&
	     t[5] == (uint8_t)(len >> 8) && !t[6] && !t[7] && t[8] == 3 &&
	     !memcmp(t + 10, "MEMLAY", 6) && !memcmp(t + 16, "MLSRAT  ", 8) &&
	     t[24] == 1 && !memcmp(t + 28, "MLAY", 4) && t[32] == 1 &&
	     t[36] == 1 && !t[37] && !t[38] && !t[39];
	for (k = 40; ok && k < 48; k++)
		ok = !t[k];
	for (i = 0; ok && i < c->nmem; i++) {
		srat_image(&c->mem[i], want);
		ok = !memcmp(t + 48 + 40 * i, want, sizeof(want));
	}
	check(ok, "srat %s (%s): header, revision 3, reserved 1, structures",
	      c->name, how);
	free(t);
}

/**
 * fdt_memory_nodes() - count the /memory@ nodes of @fdt and check each
 * against @c, in order
 * @c: the case.
 * @fdt: the tree.
 * @ac: the root's #address-cells expected.
 * @sc: the root's #size-cells expected.
 *
 * Return: true when every node is as expected, read with fdt_getprop().
 */
static bool fdt_memory_nodes(const struct fw_case *c, const void *fdt,
			     int ac, int sc)
{
	uint32_t i = 0;
	int off, len;

	fdt_for_each_subnode(off, fdt, 0) {
		const struct ex_mem *m = &c->mem[i];
		const char *name = fdt_get_name(fdt, off, NULL);
		const fdt32_t *reg, *nid;
		const char *dt;
		char want[32];
		uint64_t a, s;

		if (strncmp(name, "memory@", 7))
			continue;
		if (i >= c->nmem) {
			printf("# extra node %s\n", name);
			return false;
		}
		snprintf(want, sizeof(want), "memory@%" PRIx64, m->start);
		dt = fdt_getprop(fdt, off, "device_type", &len);
		reg = fdt_getprop(fdt, off, "reg", &len);
		if (strcmp(name, want) || !dt || strcmp(dt, "memory") || !reg ||
		    len != 4 * (ac + sc)) {
			printf("# node %s, expected %s\n", name, want);
			return false;
		}
		a = fdt32_to_cpu(reg[0]);
		if (ac == 2)
			a = a << 32 | fdt32_to_cpu(reg[1]);
		s = fdt32_to_cpu(reg[ac]);
		if (sc == 2)
			s = s << 32 | fdt32_to_cpu(reg[ac + 1]);
		nid = fdt_getprop(fdt, off, "numa-node-id", &len);
		if (a != m->start || s != m->end - m->start || !nid ||
		    len != 4 || fdt32_to_cpu(*nid) != m->node) {
			printf("# %s: reg 0x%" PRIx64 "+0x%" PRIx64 "\n", name,
			       a, s);
			return false;
		}
		i++;
	}
	return i == c->nmem;
}

/**
 * root_cells() - read the root's @name
 * @fdt: the tree.
 * @name: "#address-cells" or "#size-cells".
 *
 * Return: its value, or -1 when absent.
 */
static int root_cells(const void *fdt, const char *name)
{
	const fdt32_t *v = fdt_getprop(fdt, 0, name, NULL);

	return v ? (int)fdt32_to_cpu(*v) : -1;
}

/**
 * test_fdt() - the memory nodes of @snap in an empty tree
 * @c: the case.
 * @snap: its snapshot.
 * @how: "hand" or "offline".
 */
static void test_fdt(const struct fw_case *c,
		     const struct memlayout_snapshot *snap, const char *how)
{
	char buf[4096];
	int ret;

	if (fdt_create_empty_tree(buf, sizeof(buf)))
		exit(2);
	ret = memlayout_fdt_memory(snap, buf, sizeof(buf));
	check(!ret && !fdt_check_header(buf) &&
	      root_cells(buf, "#address-cells") == 2 &&
	      root_cells(buf, "#size-cells") == 2 &&
	      fdt_memory_nodes(c, buf, 2, 2),
	      "fdt %s (%s): %u /memory nodes in address order, reg 2+2 cells, numa-node-id",
	      c->name, how, c->nmem);
}

/**
 * emit() - write @c's maps and expectations for scripts/fwcheck.sh
 * @c: the case.
 * @dir: the directory.
 *
 * Return: 0, or -1 when a file cannot be written.
 */
static int emit(const struct fw_case *c, const char *dir)
{
	struct memlayout_snapshot snap;
	struct boot_e820_entry e[16];
	uint32_t n = ARRAY_SIZE(e), i;
	char path[512], dtb[4096];
	uint8_t srat[1024];
	size_t len = sizeof(srat);
	FILE *f;

	snap_of(c, &snap);
	if (memlayout_e820(&snap, c->flags, e, &n) ||
	    memlayout_srat_table(&snap, srat, &len) ||
	    fdt_create_empty_tree(dtb, sizeof(dtb)) ||
	    memlayout_fdt_memory(&snap, dtb, sizeof(dtb)) || fdt_pack(dtb))
		return -1;

	snprintf(path, sizeof(path), "%s/%s.srat", dir, c->name);
	f = fopen(path, "wb");
	if (!f || fwrite(srat, 1, len, f) != len || fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.dtb", dir, c->name);
	f = fopen(path, "wb");
	if (!f || fwrite(dtb, 1, fdt_totalsize(dtb), f) != fdt_totalsize(dtb) ||
	    fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.e820", dir, c->name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (i = 0; i < n; i++)
		fprintf(f, "0x%llx 0x%llx %u\n", (unsigned long long)e[i].addr,
			(unsigned long long)e[i].size, e[i].type);
	if (fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.e820.expect", dir, c->name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (i = 0; i < c->n820; i++)
		fprintf(f, "0x%" PRIx64 " 0x%" PRIx64 " %u\n", c->e820[i].start,
			c->e820[i].end - c->e820[i].start, c->e820[i].type);
	if (fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/%s.mem.expect", dir, c->name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	for (i = 0; i < c->nmem; i++)
		fprintf(f, "0x%" PRIx64 " 0x%" PRIx64 " %u\n", c->mem[i].start,
			c->mem[i].end - c->mem[i].start, c->mem[i].node);
	return fclose(f) ? -1 : 0;
}

/**
 * test_negotiation() - the -EMSGSIZE contract of the three counted calls
 * on the q35 case: a size query, a short buffer left untouched, an exact
 * and a larger buffer
 */
static void test_negotiation(void)
{
	const struct fw_case *c = &cases[0];
	struct memlayout_snapshot snap;
	struct boot_e820_entry e[8], sentinel;
	struct memlayout_srat_mem m[8];
	uint8_t t[256], zero[256];
	uint32_t n;
	size_t len;
	int ret;

	snap_of(c, &snap);
	n = 0;
	errno = 0;
	ret = memlayout_e820(&snap, 0, NULL, &n);
	check(ret == -EMSGSIZE && errno == EMSGSIZE && n == 3,
	      "e820: count 0 asks: -EMSGSIZE, errno set, 3 needed");
	memset(e, 0xa5, sizeof(e));
	sentinel = e[0];
	n = 2;
	ret = memlayout_e820(&snap, 0, e, &n);
	check(ret == -EMSGSIZE && n == 3 && !memcmp(&e[0], &sentinel, sizeof(sentinel)) &&
	      !memcmp(&e[1], &sentinel, sizeof(sentinel)),
	      "e820: 2 of 3: -EMSGSIZE, 3 needed, nothing written");
	n = 3;
	ret = memlayout_e820(&snap, 0, e, &n);
	check(!ret && n == 3 && e820_equal(c, e, n), "e820: exactly 3: written");
	n = 8;
	ret = memlayout_e820(&snap, 0, e, &n);
	check(!ret && n == 3 && !memcmp(&e[3], &sentinel, sizeof(sentinel)),
	      "e820: room for 8: 3 written, count 3, the rest untouched");
	n = 1;
	check(memlayout_e820(&snap, 0, NULL, &n) == -EINVAL,
	      "e820: NULL buffer with a capacity: -EINVAL");

	n = 0;
	ret = memlayout_srat_entries(&snap, NULL, &n);
	check(ret == -EMSGSIZE && n == 3, "srat entries: count 0 asks: 3 needed");
	memset(m, 0xa5, sizeof(m));
	n = 2;
	ret = memlayout_srat_entries(&snap, m, &n);
	check(ret == -EMSGSIZE && n == 3 && ((uint8_t *)m)[0] == 0xa5,
	      "srat entries: 2 of 3: -EMSGSIZE, nothing written");
	n = 8;
	ret = memlayout_srat_entries(&snap, m, &n);
	check(!ret && n == 3 && ((uint8_t *)&m[3])[0] == 0xa5,
	      "srat entries: room for 8: 3 written");

	memset(t, 0xa5, sizeof(t));
	memset(zero, 0xa5, sizeof(zero));
	len = 48 + 40 * 3 - 1;
	ret = memlayout_srat_table(&snap, t, &len);
	check(ret == -EMSGSIZE && len == 168 && !memcmp(t, zero, sizeof(t)),
	      "srat table: one byte short: -EMSGSIZE, 168 needed, nothing written");
	len = sizeof(t);
	ret = memlayout_srat_table(&snap, t, &len);
	check(!ret && len == 168 && t[168] == 0xa5,
	      "srat table: room for 256: 168 written");
}

/**
 * test_invalid() - unknown flags and snapshots no layout can have
 */
static void test_invalid(void)
{
	static const struct memlayout_map_entry overlap[] = {
		RAM(0, 2 * GiB, 0), MMIO(1 * GiB, 3 * GiB),
	};
	static const struct memlayout_map_entry unsorted[] = {
		RAM(2 * GiB, 3 * GiB, 0), RAM(0, 1 * GiB, 0),
	};
	static const struct memlayout_map_entry nokind[] = {
		{ 0, 1 * GiB, 0, MEMLAYOUT_KIND_NONE },
	};
	static const struct memlayout_map_entry empty[] = {
		RAM(1 * GiB, 1 * GiB, 0),
	};
	static const struct {
		const char *what;
		const struct memlayout_map_entry *e;
		uint32_t nr;
		uint64_t vs, ve;
	} bad[] = {
		{ "overlapping entries", overlap, 2, 0, 0 },
		{ "entries out of order", unsorted, 2, 0, 0 },
		{ "kind none", nokind, 1, 0, 0 },
		{ "an empty entry", empty, 1, 0, 0 },
		{ "VTL2 over RAM", unsorted + 1, 1, 512 * MiB, 2 * GiB },
		{ "VTL2 empty", unsorted + 1, 1, 2 * GiB, 2 * GiB },
	};
	struct memlayout_snapshot snap;
	struct boot_e820_entry e[8];
	struct memlayout_srat_mem m[8];
	uint32_t n, i;
	char buf[4096], copy[4096];
	size_t len;

	snap_of(&cases[0], &snap);
	n = ARRAY_SIZE(e);
	errno = 0;
	check(memlayout_e820(&snap, 1U << 1, e, &n) == -EINVAL && errno == EINVAL,
	      "e820: unknown flag bit 1: -EINVAL, errno set");
	n = ARRAY_SIZE(e);
	check(memlayout_e820(&snap, 1U << 31, e, &n) == -EINVAL,
	      "e820: unknown flag bit 31: -EINVAL");
	check(memlayout_e820(&snap, 0, e, NULL) == -EINVAL &&
	      memlayout_e820(NULL, 0, e, &n) == -EINVAL,
	      "e820: NULL count or snapshot: -EINVAL");

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&snap, 0, sizeof(snap));
		snap.nr = bad[i].nr;
		snap.entries = (struct memlayout_map_entry *)bad[i].e;
		if (bad[i].vs || bad[i].ve) {
			snap.stats.present = MEMLAYOUT_STATS_VTL2;
			snap.stats.vtl2_start = bad[i].vs;
			snap.stats.vtl2_end = bad[i].ve;
		}
		n = ARRAY_SIZE(e);
		len = sizeof(copy);
		fdt_create_empty_tree(buf, sizeof(buf));
		memcpy(copy, buf, sizeof(buf));
		check(memlayout_e820(&snap, 0, e, &n) == -EINVAL &&
		      (n = ARRAY_SIZE(m), memlayout_srat_entries(&snap, m, &n)) == -EINVAL &&
		      memlayout_srat_table(&snap, copy + 0, &len) == -EINVAL &&
		      memlayout_fdt_memory(&snap, buf, sizeof(buf)) == -EINVAL &&
		      !memcmp(buf, copy, fdt_totalsize(copy)),
		      "every map refuses %s with -EINVAL", bad[i].what);
	}
}

/**
 * test_fdt_cells() - 1-cell roots, a full tree, an existing node, a tree
 * that is not one: each error leaves the tree as it was
 */
static void test_fdt_cells(void)
{
	static const struct memlayout_map_entry small_e[] = {
		RAM(0, 1 * GiB, 0), RAM(1 * GiB, 2 * GiB, 1),
	};
	static const struct ex_mem small_mem[] = {
		{ 0, 1 * GiB, 0 }, { 1 * GiB, 2 * GiB, 1 },
	};
	static const struct fw_case small = {
		.name = "small", .e = small_e, .nr = 2,
		.mem = small_mem, .nmem = 2,
	};
	struct memlayout_snapshot snap;
	char buf[4096], copy[4096];
	int ret;

	snap_of(&small, &snap);
	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_setprop_u32(buf, 0, "#address-cells", 1);
	fdt_setprop_u32(buf, 0, "#size-cells", 1);
	ret = memlayout_fdt_memory(&snap, buf, sizeof(buf));
	check(!ret && root_cells(buf, "#address-cells") == 1 &&
	      root_cells(buf, "#size-cells") == 1 &&
	      fdt_memory_nodes(&small, buf, 1, 1),
	      "fdt: 1+1-cell root: reg of 2 cells per node");

	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_setprop_u32(buf, 0, "#address-cells", 2);
	fdt_setprop_u32(buf, 0, "#size-cells", 1);
	ret = memlayout_fdt_memory(&snap, buf, sizeof(buf));
	check(!ret && fdt_memory_nodes(&small, buf, 2, 1),
	      "fdt: 2+1-cell root (the spec's defaults, explicit): reg of 3 cells");

	snap_of(&cases[0], &snap);	/* RAM above 4 GiB */
	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_setprop_u32(buf, 0, "#address-cells", 1);
	fdt_setprop_u32(buf, 0, "#size-cells", 1);
	memcpy(copy, buf, sizeof(buf));
	ret = memlayout_fdt_memory(&snap, buf, sizeof(buf));
	check(ret == -EINVAL && errno == EINVAL && !memcmp(buf, copy, sizeof(buf)),
	      "fdt: RAM above 4 GiB with 1 address cell: -EINVAL, tree unchanged");

	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_setprop_u32(buf, 0, "#address-cells", 3);
	memcpy(copy, buf, sizeof(buf));
	check(memlayout_fdt_memory(&snap, buf, sizeof(buf)) == -EINVAL &&
	      !memcmp(buf, copy, sizeof(buf)),
	      "fdt: 3 address cells: -EINVAL, tree unchanged");

	fdt_create_empty_tree(buf, 200);
	memcpy(copy, buf, 200);
	errno = 0;
	ret = memlayout_fdt_memory(&snap, buf, 200);
	check(ret == -ENOSPC && errno == ENOSPC && !memcmp(buf, copy, 200),
	      "fdt: 200-byte tree: -ENOSPC (FDT_ERR_NOSPACE), tree unchanged");

	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_add_subnode(buf, 0, "memory@100000000");
	memcpy(copy, buf, sizeof(buf));
	ret = memlayout_fdt_memory(&snap, buf, sizeof(buf));
	check(ret == -EEXIST && !memcmp(buf, copy, sizeof(buf)),
	      "fdt: memory@100000000 exists: -EEXIST, tree unchanged");

	memset(buf, 0, sizeof(buf));
	check(memlayout_fdt_memory(&snap, buf, sizeof(buf)) == -EINVAL,
	      "fdt: no FDT magic: -EINVAL");

	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_add_subnode(buf, 0, "cpus");
	ret = memlayout_fdt_memory(&snap, buf, sizeof(buf));
	check(!ret && fdt_subnode_offset(buf, 0, "cpus") >= 0 &&
	      fdt_memory_nodes(&cases[0], buf, 2, 2),
	      "fdt: a tree with other nodes keeps them, gains the memory nodes");
}

/**
 * offline_snap() - @c's layout set through the offline engine (C3, SPEC)
 * and read back with memlayout_get_layout()
 * @c: the case.
 * @h: an offline handle.
 * @snap: receives the snapshot (free with memlayout_snapshot_free()).
 *
 * Return: 0 or the negative errno of memlayout_set() or
 * memlayout_get_layout().
 */
static int offline_snap(const struct fw_case *c, struct memlayout_handle *h,
			struct memlayout_snapshot *snap)
{
	struct memlayout_range lists[5][16];
	uint32_t nr[5] = { 0 }, i, k;
	struct memlayout_set s;
	int ret;

	memset(lists, 0, sizeof(lists));
	for (i = 0; i < c->nr; i++) {
		k = c->e[i].kind;
		lists[k][nr[k]].start = c->e[i].start;
		lists[k][nr[k]].end = c->e[i].end;
		lists[k][nr[k]].vnode = c->e[i].vnode;
		nr[k]++;
	}
	memset(&s, 0, sizeof(s));
	s.source = MEMLAYOUT_SOURCE_RANGES;
	if (nr[MEMLAYOUT_KIND_RAM]) {
		s.ram_ptr = (uintptr_t)lists[MEMLAYOUT_KIND_RAM];
		s.nr_ram = nr[MEMLAYOUT_KIND_RAM];
	}
	if (nr[MEMLAYOUT_KIND_MMIO]) {
		s.mmio_ptr = (uintptr_t)lists[MEMLAYOUT_KIND_MMIO];
		s.nr_mmio = nr[MEMLAYOUT_KIND_MMIO];
	}
	if (nr[MEMLAYOUT_KIND_PCI_ECAM]) {
		s.pci_ecam_ptr = (uintptr_t)lists[MEMLAYOUT_KIND_PCI_ECAM];
		s.nr_pci_ecam = nr[MEMLAYOUT_KIND_PCI_ECAM];
	}
	if (nr[MEMLAYOUT_KIND_PCI_MMIO]) {
		s.pci_mmio_ptr = (uintptr_t)lists[MEMLAYOUT_KIND_PCI_MMIO];
		s.nr_pci_mmio = nr[MEMLAYOUT_KIND_PCI_MMIO];
	}
	if (c->vtl2_end) {
		s.flags = MEMLAYOUT_SET_VTL2;
		s.vtl2.start = c->vtl2_start;
		s.vtl2.end = c->vtl2_end;
	}
	ret = memlayout_set(h, &s);
	if (ret)
		return ret;
	return memlayout_get_layout(h, snap);
}

/**
 * offline_example() - @s planned by the offline engine, read back as one
 * snapshot, and its maps compared with @ex's expected tables
 * @ex: the expected maps (@ex->nr: the number of entries expected).
 * @s: the request.
 */
static void offline_example(const struct fw_case *ex, struct memlayout_set *s)
{
	struct memlayout_handle *h = memlayout_offline(0);
	struct memlayout_snapshot snap;
	int ret = -ENOMEM;

	memset(&snap, 0, sizeof(snap));
	if (h)
		ret = memlayout_set(h, s);
	if (!ret)
		ret = memlayout_get_layout(h, &snap);
	if (check(!ret && snap.nr == ex->nr,
		  "offline %s: set and read back, %u entries", ex->name,
		  ex->nr)) {
		test_e820(ex, &snap, "offline");
		test_srat(ex, &snap, "offline");
		test_fdt(ex, &snap, "offline");
	}
	memlayout_snapshot_free(&snap);
	memlayout_close(h);
}

/*
 * The C2 example of libmemlayout.rst: two 2 GiB nodes around a 256 MiB
 * ECAM at 3 GiB, a 64-bit window; node 1 is split by the ECAM.
 */
static const struct ex_e820 rst_e820[] = {
	{ 0, 3 * GiB, T_RAM },			/* node 0 and 1, merged */
	{ 3 * GiB, 3 * GiB + 256 * MiB, T_RES },
	{ 3 * GiB + 256 * MiB, 4 * GiB + 256 * MiB, T_RAM },
};

static const struct ex_mem rst_mem[] = {
	{ 0, 2 * GiB, 0 },
	{ 2 * GiB, 3 * GiB, 1 },
	{ 3 * GiB + 256 * MiB, 4 * GiB + 256 * MiB, 1 },
};

/*
 * "make run", first guest (tests/vm/demo.sh): C1, 1 TiB of RAM around
 * MMIO gaps [1G, 2G) and [3G, 4G), VTL2 above all RAM.
 */
static const struct ex_e820 demo1_e820[] = {
	{ 0, 1 * GiB, T_RAM },
	{ 2 * GiB, 3 * GiB, T_RAM },
	{ 4 * GiB, 1026 * GiB, T_RAM },
	{ 0x10100000000ULL, 0x10140000000ULL, T_RES },	/* VTL2 */
};

static const struct ex_mem demo1_mem[] = {
	{ 0, 1 * GiB, 0 },
	{ 2 * GiB, 3 * GiB, 0 },
	{ 4 * GiB, 1026 * GiB, 0 },
};

/*
 * "make run", second guest: C2, two 3 GiB nodes, ECAM [2G, 2.25G), PCI
 * MMIO [3.5G, 4G): node 0 is [0, 2G) and [2.25G, 3.25G), node 1
 * [3.25G, 3.5G) and [4G, 6.75G).
 */
static const struct ex_e820 demo2_e820[] = {
	{ 0, 2 * GiB, T_RAM },
	{ 2 * GiB, 0x90000000, T_RES },
	{ 0x90000000, 0xe0000000, T_RAM },	/* node split merged */
	{ 4 * GiB, 0x1b0000000ULL, T_RAM },
};

static const struct ex_mem demo2_mem[] = {
	{ 0, 2 * GiB, 0 },
	{ 0x90000000, 0xd0000000, 0 },
	{ 0xd0000000, 0xe0000000, 1 },
	{ 4 * GiB, 0x1b0000000ULL, 1 },
};

/**
 * test_offline() - every case again, planned by the offline engine (C3)
 * and read back as one snapshot; then the C1 and C2 examples of
 * libmemlayout.rst and of "make run" (tests/vm/demo.sh)
 */
static void test_offline(void)
{
	static const struct fw_case rst = {
		.name = "libmemlayout.rst C2", .nr = 5,
		.e820 = rst_e820, .n820 = ARRAY_SIZE(rst_e820),
		.mem = rst_mem, .nmem = ARRAY_SIZE(rst_mem),
	};
	static const struct fw_case demo1 = {
		.name = "make run C1 (1 TiB, VTL2)", .nr = 5,
		.e820 = demo1_e820, .n820 = ARRAY_SIZE(demo1_e820),
		.mem = demo1_mem, .nmem = ARRAY_SIZE(demo1_mem),
	};
	static const struct fw_case demo2 = {
		.name = "make run C2 (two 3 GiB nodes)", .nr = 6,
		.e820 = demo2_e820, .n820 = ARRAY_SIZE(demo2_e820),
		.mem = demo2_mem, .nmem = ARRAY_SIZE(demo2_mem),
	};
	uint64_t nodes2[] = { 2 * GiB, 2 * GiB }, nodes3[] = { 3 * GiB, 3 * GiB };
	struct memlayout_range ecam = { 3 * GiB, 3 * GiB + 256 * MiB, 0, 0 };
	struct memlayout_range pci = { 64 * GiB, 128 * GiB, 0, 0 };
	struct memlayout_range gaps[] = {
		{ 1 * GiB, 2 * GiB, 0, 0 }, { 3 * GiB, 4 * GiB, 0, 0 },
	};
	struct memlayout_range ecam2 = { 2 * GiB, 0x90000000, 0, 0 };
	struct memlayout_range pci2 = { 0xe0000000, 4 * GiB, 0, 0 };
	struct memlayout_snapshot snap;
	struct memlayout_handle *h;
	struct memlayout_set s;
	uint32_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		h = memlayout_offline(0);
		memset(&snap, 0, sizeof(snap));
		ret = -ENOMEM;
		if (h)
			ret = offline_snap(&cases[i], h, &snap);
		if (check(!ret && snap.nr == cases[i].nr,
			  "offline %s: set (C3) and read back, %u entries",
			  cases[i].name, cases[i].nr)) {
			test_e820(&cases[i], &snap, "offline");
			test_srat(&cases[i], &snap, "offline");
			test_fdt(&cases[i], &snap, "offline");
		}
		memlayout_snapshot_free(&snap);
		memlayout_close(h);
	}

	memset(&s, 0, sizeof(s));
	s.source = MEMLAYOUT_SOURCE_NODES;
	s.nr_nodes = 2;
	s.nodes_ptr = (uintptr_t)nodes2;
	s.nr_pci_ecam = 1;
	s.pci_ecam_ptr = (uintptr_t)&ecam;
	s.nr_pci_mmio = 1;
	s.pci_mmio_ptr = (uintptr_t)&pci;
	offline_example(&rst, &s);

	memset(&s, 0, sizeof(s));
	s.source = MEMLAYOUT_SOURCE_SIZE;
	s.ram_size = 1024 * GiB;
	s.nr_mmio = 2;
	s.mmio_ptr = (uintptr_t)gaps;
	s.flags = MEMLAYOUT_SET_VTL2;
	s.vtl2.start = 0x10100000000ULL;
	s.vtl2.end = 0x10140000000ULL;
	offline_example(&demo1, &s);

	memset(&s, 0, sizeof(s));
	s.source = MEMLAYOUT_SOURCE_NODES;
	s.nr_nodes = 2;
	s.nodes_ptr = (uintptr_t)nodes3;
	s.nr_pci_ecam = 1;
	s.pci_ecam_ptr = (uintptr_t)&ecam2;
	s.nr_pci_mmio = 1;
	s.pci_mmio_ptr = (uintptr_t)&pci2;
	offline_example(&demo2, &s);
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	struct memlayout_snapshot snap;
	uint32_t i;

	if (argc == 3 && !strcmp(argv[1], "--emit")) {
		dir = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--emit DIR]\n", argv[0]);
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snap_of(&cases[i], &snap);
		test_e820(&cases[i], &snap, "hand");
		test_srat(&cases[i], &snap, "hand");
		test_fdt(&cases[i], &snap, "hand");
		if (dir)
			check(!emit(&cases[i], dir), "emit %s to %s",
			      cases[i].name, dir);
	}
	test_negotiation();
	test_invalid();
	test_fdt_cells();
	test_offline();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
