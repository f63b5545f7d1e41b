// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: firmware maps rendered from a layout snapshot.
 *
 * DOC: Firmware maps
 *
 * Three maps a VMM hands its guest, each from one &struct memlayout_snapshot
 * (Documentation/userspace-api/firmware-maps.rst has the policies, their
 * sources and how each map is checked against its real consumer):
 *
 * * memlayout_e820() - an x86 e820 table of &struct boot_e820_entry.
 * * memlayout_srat_entries(), memlayout_srat_table() - ACPI SRAT Memory
 *   Affinity Structures, and a whole SRAT around them.
 * * memlayout_fdt_memory() - device-tree /memory@ nodes, written with libfdt.
 *
 * Every map is the guest's byte image: multi-byte fields are little-endian
 * (big-endian cells in the device tree, as libfdt writes them) whatever the
 * host's byte order.
 */
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "internal.h"

/*
 * The BIOS carve-out of MEMLAYOUT_E820_LEGACY, as SeaBIOS leaves it for a
 * QEMU guest (src/malloc.c: malloc_prepboot() reserves the 1 KiB EBDA
 * below 640 KiB, malloc_preinit() removes 0xa0000-0xf0000 and reserves
 * the 64 KiB BIOS at 0xf0000).
 */
#define E820_EBDA_START		0x9fc00ULL	/* reserved from here... */
#define E820_VGA_START		0xa0000ULL	/* ...to here, then no entry... */
#define E820_BIOS_START		0xf0000ULL	/* ...then reserved from here... */
#define E820_BIOS_END		0x100000ULL	/* ...to 1 MiB */

/* SRAT: ACPI 6.5, 5.2.16 */
#define SRAT_HEADER_LEN		36	/* the common ACPI table header */
#define SRAT_FIXED_LEN		48	/* + 4-byte table revision, 8 reserved */
#define SRAT_REVISION		3
#define SRAT_MEM_TYPE		1
#define SRAT_MEM_LEN		40
#define SRAT_MEM_ENABLED	(1U << 0)
#define SRAT_OEM_ID		"MEMLAY"	/* 6 bytes */
#define SRAT_OEM_TABLE_ID	"MLSRAT  "	/* 8 bytes */
#define SRAT_OEM_REVISION	1
#define SRAT_CREATOR_ID		"MLAY"		/* 4 bytes */
#define SRAT_CREATOR_REVISION	1

/**
 * snap_check() - is @snap a layout the maps can be rendered from?
 * @snap: the snapshot.
 *
 * Every entry has a known kind other than %MEMLAYOUT_KIND_NONE and
 * ``start < end``, the entries are in address order and do not overlap,
 * and VTL2, when present, is a non-empty range overlapping no entry. A
 * snapshot read with memlayout_get_layout() always passes; one built by
 * hand may not.
 *
 * Return: 0, or -EINVAL.
 */
static int snap_check(const struct memlayout_snapshot *snap)
{
	uint64_t vs = 0, ve = 0;
	bool vtl2;
	uint32_t i;

	if (!snap || (snap->nr && !snap->entries))
		return -EINVAL;
	vtl2 = snap->stats.present & MEMLAYOUT_STATS_VTL2;
	if (vtl2) {
		vs = snap->stats.vtl2_start;
		ve = snap->stats.vtl2_end;
		if (vs >= ve)
			return -EINVAL;
	}
	for (i = 0; i < snap->nr; i++) {
		const struct memlayout_map_entry *e = &snap->entries[i];

		if (e->kind < MEMLAYOUT_KIND_RAM ||
		    e->kind > MEMLAYOUT_KIND_PCI_MMIO || e->start >= e->end)
			return -EINVAL;
		if (i && e->start < snap->entries[i - 1].end)
			return -EINVAL;
		if (vtl2 && e->start < ve && vs < e->end)
			return -EINVAL;
	}
	return 0;
}

/* ---- e820 --------------------------------------------------------------- */

/**
 * struct e820_out - the table being written
 * @out: the caller's array, or NULL while counting.
 * @cap: its capacity.
 * @n: entries completed so far.
 * @open: @cur holds an entry not yet completed.
 * @cur: the last entry, still growing while the next piece extends it.
 */
struct e820_out {
	struct boot_e820_entry *out;
	uint32_t cap;
	uint32_t n;
	bool open;
	struct boot_e820_entry cur;
};

/**
 * e820_flush() - complete the open entry
 * @o: the table.
 */
static void e820_flush(struct e820_out *o)
{
	if (!o->open)
		return;
	if (o->out && o->n < o->cap) {
		o->out[o->n].addr = htole64(o->cur.addr);
		o->out[o->n].size = htole64(o->cur.size);
		o->out[o->n].type = htole32(o->cur.type);
	}
	o->n++;
	o->open = false;
}

/**
 * e820_add() - append [@start, @end) of @type, merged into the previous
 * entry when it is of the same type and ends at @start
 * @o: the table.
 * @start: first byte; pieces come in address order.
 * @end: one past the last byte.
 * @type: %MEMLAYOUT_E820_RAM or %MEMLAYOUT_E820_RESERVED.
 */
static void e820_add(struct e820_out *o, uint64_t start, uint64_t end,
		     uint32_t type)
{
	if (start >= end)
		return;
	if (o->open && o->cur.type == type &&
	    o->cur.addr + o->cur.size == start) {
		o->cur.size += end - start;
		return;
	}
	e820_flush(o);
	o->cur.addr = start;
	o->cur.size = end - start;
	o->cur.type = type;
	o->open = true;
}

/**
 * e820_clip() - append the part of [@start, @end) inside [@lo, @hi)
 * @o: the table.
 * @start: first byte.
 * @end: one past the last byte.
 * @lo: first byte of the window.
 * @hi: one past the window.
 * @type: the type to give it.
 */
static void e820_clip(struct e820_out *o, uint64_t start, uint64_t end,
		      uint64_t lo, uint64_t hi, uint32_t type)
{
	e820_add(o, start > lo ? start : lo, end < hi ? end : hi, type);
}

/**
 * e820_add_ram() - append RAM, with the BIOS carve-out when @legacy
 * @o: the table.
 * @start: first byte.
 * @end: one past the last byte.
 * @legacy: %MEMLAYOUT_E820_LEGACY was given.
 *
 * With @legacy, RAM below 640 KiB stays RAM up to the EBDA; the EBDA
 * [0x9fc00, 0xa0000) and the BIOS [0xf0000, 0x100000) become reserved;
 * VGA and option ROMs [0xa0000, 0xf0000) get no entry.
 */
static void e820_add_ram(struct e820_out *o, uint64_t start, uint64_t end,
			 bool legacy)
{
	if (!legacy || start >= E820_BIOS_END) {
		e820_add(o, start, end, MEMLAYOUT_E820_RAM);
		return;
	}
	e820_clip(o, start, end, 0, E820_EBDA_START, MEMLAYOUT_E820_RAM);
	e820_clip(o, start, end, E820_EBDA_START, E820_VGA_START,
		  MEMLAYOUT_E820_RESERVED);
	e820_clip(o, start, end, E820_BIOS_START, E820_BIOS_END,
		  MEMLAYOUT_E820_RESERVED);
	e820_clip(o, start, end, E820_BIOS_END, UINT64_MAX,
		  MEMLAYOUT_E820_RAM);
}

/**
 * e820_render() - walk @snap in address order into @o
 * @snap: a snapshot that passed snap_check().
 * @flags: ``MEMLAYOUT_E820_*``.
 * @o: the table.
 */
static void e820_render(const struct memlayout_snapshot *snap, uint32_t flags,
			struct e820_out *o)
{
	bool vtl2 = snap->stats.present & MEMLAYOUT_STATS_VTL2;
	bool legacy = flags & MEMLAYOUT_E820_LEGACY;
	uint32_t i;

	for (i = 0; i < snap->nr; i++) {
		const struct memlayout_map_entry *e = &snap->entries[i];

		if (vtl2 && snap->stats.vtl2_start < e->start) {
			e820_add(o, snap->stats.vtl2_start,
				 snap->stats.vtl2_end, MEMLAYOUT_E820_RESERVED);
			vtl2 = false;
		}
		switch (e->kind) {
		case MEMLAYOUT_KIND_RAM:
			e820_add_ram(o, e->start, e->end, legacy);
			break;
		case MEMLAYOUT_KIND_PCI_ECAM:
			e820_add(o, e->start, e->end, MEMLAYOUT_E820_RESERVED);
			break;
		default:
			/* MMIO gaps and PCI MMIO windows: a hole in e820 */
			break;
		}
	}
	if (vtl2)
		e820_add(o, snap->stats.vtl2_start, snap->stats.vtl2_end,
			 MEMLAYOUT_E820_RESERVED);
	e820_flush(o);
}

/**
 * memlayout_e820() - an x86 e820 table for @snap
 * @snap: the layout.
 * @flags: 0 or %MEMLAYOUT_E820_LEGACY.
 * @out: room for @count entries (may be NULL when @count is 0).
 * @count: in: capacity; out: entries written, or needed with -EMSGSIZE.
 *
 * Return: 0; -EMSGSIZE with @count set to the number needed and nothing
 * written; -EINVAL for an unknown flag, a NULL argument or a snapshot
 * that is not in address order.
 */
int memlayout_e820(const struct memlayout_snapshot *snap, uint32_t flags,
		   struct boot_e820_entry *out, uint32_t *count)
{
	struct e820_out o = { 0 };
	int ret;

	if (!count || (*count && !out) || (flags & ~MEMLAYOUT_E820_LEGACY))
		return ml_ret_errno(-EINVAL);
	ret = snap_check(snap);
	if (ret)
		return ml_ret_errno(ret);
	e820_render(snap, flags, &o);
	if (o.n > *count) {
		*count = o.n;
		return ml_ret_errno(-EMSGSIZE);
	}
	o.out = out;
	o.cap = *count;
	o.n = 0;
	e820_render(snap, flags, &o);
	*count = o.n;
	return 0;
}

/* ---- RAM runs (SRAT, FDT) ------------------------------------------------ */

/**
 * ram_next() - the next run of RAM of one vnode
 * @snap: a snapshot that passed snap_check().
 * @i: in: the entry to start at; out: the entry after the run.
 * @start: receives the run's first byte.
 * @end: receives one past its last byte.
 * @vnode: receives its vnode.
 *
 * A run is a RAM entry and the RAM entries of the same vnode that follow
 * it with no gap: a range split in two by the caller is one run, a range
 * split at a node boundary is two.
 *
 * Return: true when a run was found.
 */
static bool ram_next(const struct memlayout_snapshot *snap, uint32_t *i,
		     uint64_t *start, uint64_t *end, uint32_t *vnode)
{
	const struct memlayout_map_entry *e;

	while (*i < snap->nr && snap->entries[*i].kind != MEMLAYOUT_KIND_RAM)
		(*i)++;
	if (*i >= snap->nr)
		return false;
	e = &snap->entries[(*i)++];
	*start = e->start;
	*end = e->end;
	*vnode = e->vnode;
	while (*i < snap->nr) {
		e = &snap->entries[*i];
		if (e->kind != MEMLAYOUT_KIND_RAM || e->vnode != *vnode ||
		    e->start != *end)
			break;
		*end = e->end;
		(*i)++;
	}
	return true;
}

/**
 * ram_runs() - number of RAM runs of @snap
 * @snap: a snapshot that passed snap_check().
 *
 * Return: the count.
 */
static uint32_t ram_runs(const struct memlayout_snapshot *snap)
{
	uint64_t s, e;
	uint32_t i = 0, n = 0, v;

	while (ram_next(snap, &i, &s, &e, &v))
		n++;
	return n;
}

/* ---- SRAT --------------------------------------------------------------- */

/**
 * srat_fill() - write the Memory Affinity Structures of @snap
 * @snap: a snapshot that passed snap_check().
 * @out: room for ram_runs(@snap) structures.
 */
static void srat_fill(const struct memlayout_snapshot *snap,
		      struct memlayout_srat_mem *out)
{
	uint64_t start, end;
	uint32_t i = 0, vnode;

	while (ram_next(snap, &i, &start, &end, &vnode)) {
		memset(out, 0, sizeof(*out));
		out->type = SRAT_MEM_TYPE;
		out->length = SRAT_MEM_LEN;
		out->proximity_domain = htole32(vnode);
		out->base_lo = htole32((uint32_t)start);
		out->base_hi = htole32((uint32_t)(start >> 32));
		out->length_lo = htole32((uint32_t)(end - start));
		out->length_hi = htole32((uint32_t)((end - start) >> 32));
		out->flags = htole32(SRAT_MEM_ENABLED);
		out++;
	}
}

/**
 * memlayout_srat_entries() - one ACPI Memory Affinity Structure per RAM run
 * @snap: the layout.
 * @out: room for @count structures (may be NULL when @count is 0).
 * @count: in: capacity; out: structures written, or needed with -EMSGSIZE.
 *
 * Return: 0; -EMSGSIZE with @count set to the number needed and nothing
 * written; -EINVAL for a NULL argument or a snapshot not in address order.
 */
int memlayout_srat_entries(const struct memlayout_snapshot *snap,
			   struct memlayout_srat_mem *out, uint32_t *count)
{
	uint32_t n;
	int ret;

	if (!count || (*count && !out))
		return ml_ret_errno(-EINVAL);
	ret = snap_check(snap);
	if (ret)
		return ml_ret_errno(ret);
	n = ram_runs(snap);
	if (n > *count) {
		*count = n;
		return ml_ret_errno(-EMSGSIZE);
	}
	srat_fill(snap, out);
	*count = n;
	return 0;
}

/**
 * put_le32() - store @v little-endian at @p
 * @p: where.
 * @v: the value.
 */
static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/**
 * memlayout_srat_table() - a complete SRAT for @snap
 * @snap: the layout.
 * @buf: room for @len bytes (may be NULL when @len is 0).
 * @len: in: the room; out: the table's length (written, or needed with
 *       -EMSGSIZE).
 *
 * The 36-byte ACPI header (signature "SRAT", revision 3, OEM ID "MEMLAY",
 * OEM table ID "MLSRAT  ", OEM revision 1, creator "MLAY" revision 1), the
 * table revision 1 and 8 reserved bytes, then the structures of
 * memlayout_srat_entries(); the checksum makes all bytes sum to 0.
 *
 * Return: 0; -EMSGSIZE with @len set and nothing written; -EINVAL as
 * memlayout_srat_entries().
 */
int memlayout_srat_table(const struct memlayout_snapshot *snap, void *buf,
			 size_t *len)
{
	uint8_t *p = buf, sum = 0;
	size_t need, i;
	uint32_t n;
	int ret;

	if (!len || (*len && !buf))
		return ml_ret_errno(-EINVAL);
	ret = snap_check(snap);
	if (ret)
		return ml_ret_errno(ret);
	n = ram_runs(snap);
	need = SRAT_FIXED_LEN + (size_t)n * SRAT_MEM_LEN;
	if (need > UINT32_MAX)
		return ml_ret_errno(-EOVERFLOW);
	if (need > *len) {
		*len = need;
		return ml_ret_errno(-EMSGSIZE);
	}
	memset(p, 0, SRAT_FIXED_LEN);
	memcpy(p, "SRAT", 4);
	put_le32(p + 4, need);
	p[8] = SRAT_REVISION;
	memcpy(p + 10, SRAT_OEM_ID, 6);
	memcpy(p + 16, SRAT_OEM_TABLE_ID, 8);
	put_le32(p + 24, SRAT_OEM_REVISION);
	memcpy(p + 28, SRAT_CREATOR_ID, 4);
	put_le32(p + 32, SRAT_CREATOR_REVISION);
	/* "Reserved, must be 1 for backward compatibility" */
	put_le32(p + SRAT_HEADER_LEN, 1);
	srat_fill(snap, (struct memlayout_srat_mem *)(p + SRAT_FIXED_LEN));
	for (i = 0; i < need; i++)
		sum += p[i];
	p[9] = -sum;
	*len = need;
	return 0;
}

/* ---- device tree ---------------------------------------------------------- */

/**
 * fdt_errno() - a libfdt error as a negative errno
 * @err: a negative ``FDT_ERR_*`` value.
 *
 * Return: -ENOSPC for a full tree, -EEXIST for a node that exists already,
 * -EINVAL for anything else (a tree libfdt cannot read or write).
 */
static int fdt_errno(int err)
{
	switch (err) {
	case -FDT_ERR_NOSPACE:
		return -ENOSPC;
	case -FDT_ERR_EXISTS:
		return -EEXIST;
	default:
		return -EINVAL;
	}
}

/**
 * fdt_root_cells() - the root's #address-cells and #size-cells
 * @fdt: an open tree.
 * @ac: receives #address-cells.
 * @sc: receives #size-cells.
 *
 * A missing property is set to 2, so that the memory nodes' reg is read
 * the same way by every consumer (the Devicetree Specification's default
 * for a missing #size-cells is 1, Linux's for both is 1).
 *
 * Return: 0, or a negative ``FDT_ERR_*``; -FDT_ERR_BADNCELLS for cells
 * other than 1 or 2.
 */
static int fdt_root_cells(void *fdt, int *ac, int *sc)
{
	static const char *const names[] = { "#address-cells", "#size-cells" };
	int *cells[] = { ac, sc };
	const fdt32_t *v;
	int i, len, ret;

	for (i = 0; i < 2; i++) {
		v = fdt_getprop(fdt, 0, names[i], &len);
		if (!v) {
			if (len != -FDT_ERR_NOTFOUND)
				return len;
			ret = fdt_setprop_u32(fdt, 0, names[i], 2);
			if (ret)
				return ret;
			*cells[i] = 2;
			continue;
		}
		if (len != sizeof(*v))
			return -FDT_ERR_BADNCELLS;
		*cells[i] = fdt32_to_cpu(*v);
		if (*cells[i] < 1 || *cells[i] > 2)
			return -FDT_ERR_BADNCELLS;
	}
	return 0;
}

/**
 * fdt_add_memory() - add one /memory@@start node
 * @fdt: an open tree.
 * @ac: the root's #address-cells (1 or 2).
 * @sc: the root's #size-cells (1 or 2).
 * @start: the run's first byte.
 * @end: one past its last byte.
 * @vnode: its vnode.
 *
 * Return: 0, or a negative ``FDT_ERR_*``; -FDT_ERR_BADVALUE when the
 * range does not fit in the cells.
 */
static int fdt_add_memory(void *fdt, int ac, int sc, uint64_t start,
			  uint64_t end, uint32_t vnode)
{
	uint64_t size = end - start;
	fdt32_t reg[4];
	char name[32];
	int off, ret, n = 0;

	if ((ac == 1 && end - 1 > UINT32_MAX) || (sc == 1 && size > UINT32_MAX))
		return -FDT_ERR_BADVALUE;
	if (ac == 2)
		reg[n++] = cpu_to_fdt32(start >> 32);
	reg[n++] = cpu_to_fdt32((uint32_t)start);
	if (sc == 2)
		reg[n++] = cpu_to_fdt32(size >> 32);
	reg[n++] = cpu_to_fdt32((uint32_t)size);

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)start);
	off = fdt_add_subnode(fdt, 0, name);
	if (off < 0)
		return off;
	ret = fdt_setprop_string(fdt, off, "device_type", "memory");
	if (!ret)
		ret = fdt_setprop(fdt, off, "reg", reg, n * sizeof(reg[0]));
	if (!ret)
		ret = fdt_setprop_u32(fdt, off, "numa-node-id", vnode);
	return ret;
}

/**
 * memlayout_fdt_memory() - add a /memory@ node per RAM run of @snap
 * @snap: the layout.
 * @fdt: a flattened device tree.
 * @size: bytes at @fdt the tree may grow into.
 *
 * The nodes are built in a copy and copied back only when all of them fit,
 * so on any error @fdt is unchanged.
 *
 * Return: 0; -ENOSPC when the nodes do not fit in @size; -EEXIST when a
 * node of the same name exists; -EINVAL for a tree libfdt rejects, root
 * cells other than 1 or 2, a range that does not fit them, or a snapshot
 * not in address order; -ENOMEM.
 */
int memlayout_fdt_memory(const struct memlayout_snapshot *snap, void *fdt,
			 size_t size)
{
	uint64_t *st, *en;
	uint32_t i = 0, j, n, *vn;
	int ac, sc, ret;
	void *tmp;

	if (!fdt || size > INT32_MAX)
		return ml_ret_errno(-EINVAL);
	ret = snap_check(snap);
	if (ret)
		return ml_ret_errno(ret);
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt))
		return ml_ret_errno(-EINVAL);

	/* libfdt adds a subnode before its siblings: add the last run first. */
	n = ram_runs(snap);
	st = calloc(n ? n : 1, sizeof(*st));
	en = calloc(n ? n : 1, sizeof(*en));
	vn = calloc(n ? n : 1, sizeof(*vn));
	tmp = malloc(size);
	if (!st || !en || !vn || !tmp) {
		ret = -ENOMEM;
		goto out;
	}
	for (j = 0; j < n; j++)
		ram_next(snap, &i, &st[j], &en[j], &vn[j]);

	ret = fdt_open_into(fdt, tmp, size);
	if (!ret)
		ret = fdt_root_cells(tmp, &ac, &sc);
	for (j = n; !ret && j > 0; j--)
		ret = fdt_add_memory(tmp, ac, sc, st[j - 1], en[j - 1],
				     vn[j - 1]);
	if (ret) {
		ret = fdt_errno(ret);
		goto out;
	}
	memcpy(fdt, tmp, size);
out:
	free(tmp);
	free(vn);
	free(en);
	free(st);
	return ml_ret_errno(ret);
}
