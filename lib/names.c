// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the one table of rule, list, kind and field names, and
 * the message for a SET_LAYOUT result. tools/memlayoutctl.c links this
 * file too, so the names in its output and in the library's are the same.
 *
 * Needs only the C library and the UAPI header.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "libmemlayout.h"
/* The list and kind names: the same table the module's core uses. */
#include "../memlayout_names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Placement classes (the kernel itself never names them). */
static const char * const memlayout_class_names[] = {
	[MEMLAYOUT_CLASS_RESERVED] = "reserved",
	[MEMLAYOUT_CLASS_FIXED] = "fixed",
	[MEMLAYOUT_CLASS_MMIO32] = "mmio32",
	[MEMLAYOUT_CLASS_RAM] = "ram",
	[MEMLAYOUT_CLASS_MMIO64] = "mmio64",
	[MEMLAYOUT_CLASS_POST_MMIO] = "post_mmio",
};

static const char * const rule_names[] = {
	[MEMLAYOUT_RULE_NONE] = "none",
	[MEMLAYOUT_RULE_BAD_SIZE] = "R1",
	[MEMLAYOUT_RULE_BAD_RANGE] = "R2",
	[MEMLAYOUT_RULE_BAD_ORDER] = "R3",
	[MEMLAYOUT_RULE_OVERLAP] = "R4",
	[MEMLAYOUT_RULE_NO_RAM] = "R5",
	[MEMLAYOUT_RULE_TOO_LARGE] = "R6",
	[MEMLAYOUT_RULE_VTL2_BELOW_RAM] = "R7",
	[MEMLAYOUT_RULE_TOO_MANY] = "R8",
	[MEMLAYOUT_RULE_PLACE_SIZE] = "P1",
	[MEMLAYOUT_RULE_PLACE_ALIGN] = "P2",
	[MEMLAYOUT_RULE_PINNED_OVERLAP] = "P3",
	[MEMLAYOUT_RULE_EXHAUSTED] = "P4",
	[MEMLAYOUT_REASON_FLAGS] = "flags",
	[MEMLAYOUT_REASON_RESERVED] = "reserved",
	[MEMLAYOUT_REASON_SIZE] = "size",
};

#define SET_FIELD(m)	{ offsetof(struct memlayout_set, m), #m }
#define RANGE_FIELD(m)	{ offsetof(struct memlayout_range, m), #m }
#define REQ_FIELD(m)	{ offsetof(struct memlayout_place_req, m), #m }

/* The members a MEMLAYOUT_REASON_* can name (see struct memlayout_reason). */
static const struct {
	uint32_t off;
	const char *name;
} set_fields[] = {
	SET_FIELD(size), SET_FIELD(flags), SET_FIELD(source),
	SET_FIELD(nr_nodes), SET_FIELD(ram_size), SET_FIELD(nodes_ptr),
	SET_FIELD(ram_ptr), SET_FIELD(mmio_ptr), SET_FIELD(pci_ecam_ptr),
	SET_FIELD(pci_mmio_ptr), SET_FIELD(nr_ram), SET_FIELD(nr_mmio),
	SET_FIELD(nr_pci_ecam), SET_FIELD(nr_pci_mmio), SET_FIELD(vtl2),
	SET_FIELD(place_ptr), SET_FIELD(nr_place), SET_FIELD(place_flags),
}, range_fields[] = {
	RANGE_FIELD(vnode), RANGE_FIELD(reserved),
}, req_fields[] = {
	REQ_FIELD(place_class), REQ_FIELD(kind), REQ_FIELD(start), REQ_FIELD(end),
	REQ_FIELD(size), REQ_FIELD(align),
};

static const char *lookup(const char * const *names, size_t n, uint32_t v)
{
	return v < n ? names[v] : NULL;
}

const char *memlayout_rule_name(uint32_t rule)
{
	return lookup(rule_names, ARRAY_SIZE(rule_names), rule);
}

const char *memlayout_list_name(uint32_t list)
{
	return lookup(memlayout_list_names, ARRAY_SIZE(memlayout_list_names), list);
}

const char *memlayout_kind_name(uint32_t kind)
{
	return lookup(memlayout_kind_names, ARRAY_SIZE(memlayout_kind_names), kind);
}

const char *memlayout_class_name(uint32_t place_class)
{
	return lookup(memlayout_class_names, ARRAY_SIZE(memlayout_class_names),
		      place_class);
}

const char *memlayout_field_name(uint32_t list, uint32_t field)
{
	size_t i;

	if (list == MEMLAYOUT_LIST_PLACE) {
		for (i = 0; i < ARRAY_SIZE(req_fields); i++)
			if (req_fields[i].off == field)
				return req_fields[i].name;
	} else if (list == MEMLAYOUT_LIST_NONE) {
		for (i = 0; i < ARRAY_SIZE(set_fields); i++)
			if (set_fields[i].off == field)
				return set_fields[i].name;
	} else {
		for (i = 0; i < ARRAY_SIZE(range_fields); i++)
			if (range_fields[i].off == field)
				return range_fields[i].name;
	}
	return NULL;
}

/* "mmio[1]", "vtl2", or "list7[2]" for a list this library does not know. */
static void item(char *buf, size_t len, uint32_t list, uint32_t index)
{
	const char *name = memlayout_list_name(list);

	if (list == MEMLAYOUT_LIST_VTL2)
		snprintf(buf, len, "vtl2");
	else if (name)
		snprintf(buf, len, "%s[%" PRIu32 "]", name, index);
	else
		snprintf(buf, len, "list%" PRIu32 "[%" PRIu32 "]", list, index);
}

/* "ram_size", or "byte 140" for an offset this library does not name. */
static void field(char *buf, size_t len, uint32_t list, uint32_t off)
{
	const char *name = memlayout_field_name(list, off);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "byte %" PRIu32, off);
}

char *memlayout_strerror(const struct memlayout_reason *r, int err,
			 char *buf, size_t len)
{
	static const struct memlayout_reason none;
	char a[48], b[48], f[32], m[MEMLAYOUT_STRERROR_LEN];

	if (!buf || !len)
		return buf;
	if (err < 0)
		err = -err;
	if (!r)
		r = &none;
	item(a, sizeof(a), r->list, r->index);
	item(b, sizeof(b), r->other_list, r->other_index);
	field(f, sizeof(f), r->list, r->field);

	switch (r->rule) {
	case MEMLAYOUT_RULE_NONE:
		snprintf(m, sizeof(m), "%s", err ? "" : "success");
		break;
	case MEMLAYOUT_RULE_BAD_SIZE:
		if (r->list == MEMLAYOUT_LIST_NODES && !r->index)
			snprintf(m, sizeof(m), "R1 bad size: no node size given, or %s is zero or not a multiple of 4 KiB",
				 a);
		else if (r->list == MEMLAYOUT_LIST_NODES)
			snprintf(m, sizeof(m), "R1 bad size: %s is zero or not a multiple of 4 KiB",
				 a);
		else
			snprintf(m, sizeof(m), "R1 bad size: ram_size is zero or not a multiple of 4 KiB");
		break;
	case MEMLAYOUT_RULE_BAD_RANGE:
		snprintf(m, sizeof(m), "R2 bad range: %s is empty, reversed, not 4 KiB aligned or ends above 0x%llx",
			 a, (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		break;
	case MEMLAYOUT_RULE_BAD_ORDER:
		item(b, sizeof(b), r->list, r->index - 1);
		snprintf(m, sizeof(m), "R3 bad order: %s starts before the end of %s",
			 a, b);
		break;
	case MEMLAYOUT_RULE_OVERLAP:
		snprintf(m, sizeof(m), "R4 overlap: %s overlaps %s", a, b);
		break;
	case MEMLAYOUT_RULE_NO_RAM:
		snprintf(m, sizeof(m), "R5 no RAM: the layout would hold no RAM range");
		break;
	case MEMLAYOUT_RULE_TOO_LARGE:
		if (r->list == MEMLAYOUT_LIST_NODES)
			snprintf(m, sizeof(m), "R6 too large: the RAM of %s does not fit at or below 0x%llx",
				 a, (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		else
			snprintf(m, sizeof(m), "R6 too large: the RAM does not fit at or below 0x%llx",
				 (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		break;
	case MEMLAYOUT_RULE_VTL2_BELOW_RAM:
		snprintf(m, sizeof(m), "R7 VTL2 below end of RAM: %s starts below the end of %s",
			 a, b);
		break;
	case MEMLAYOUT_RULE_TOO_MANY:
		snprintf(m, sizeof(m), "R8 too many ranges: %s holds more than max_ranges %" PRIu32 " entries",
			 memlayout_list_name(r->list) ? memlayout_list_name(r->list) : "a list",
			 r->index);
		break;
	case MEMLAYOUT_REASON_FLAGS:
		snprintf(m, sizeof(m), "unsupported value in %s", f);
		break;
	case MEMLAYOUT_REASON_RESERVED:
		if (r->list == MEMLAYOUT_LIST_NONE)
			snprintf(m, sizeof(m), "field %s must be zero here (unused by this source, reserved, or a pointer without its count)",
				 f);
		else
			snprintf(m, sizeof(m), "%s of %s must be zero", f, a);
		break;
	case MEMLAYOUT_REASON_SIZE:
		snprintf(m, sizeof(m), "the command's size or tail is not understood (%s)",
			 f);
		break;
	case MEMLAYOUT_RULE_PLACE_SIZE:
		snprintf(m, sizeof(m), "P1 invalid size: %s has a size of zero or not a multiple of 4 KiB",
			 a);
		break;
	case MEMLAYOUT_RULE_PLACE_ALIGN:
		snprintf(m, sizeof(m), "P2 invalid alignment: %s has an alignment that is not a power of two of at least 4 KiB",
			 a);
		break;
	case MEMLAYOUT_RULE_PINNED_OVERLAP:
		snprintf(m, sizeof(m), "P3 pinned overlap: %s overlaps %s", a, b);
		break;
	case MEMLAYOUT_RULE_EXHAUSTED:
		snprintf(m, sizeof(m), "P4 exhausted: %s found no room in its phase",
			 a);
		break;
	default:
		snprintf(m, sizeof(m), "unknown rule %" PRIu32 " at %s", r->rule,
			 a);
		break;
	}
	if (err)
		snprintf(buf, len, "%s%s%s", m, *m ? ": " : "", strerror(err));
	else
		snprintf(buf, len, "%s", m);
	return buf;
}

/* The tag of request @pos: the caller's, else "mmio32[2]" (class and index). */
static void tag(char *buf, size_t len, const char *const *tags, uint32_t pos,
		uint32_t class, uint32_t index)
{
	const char *name = memlayout_class_name(class);

	if (tags && tags[pos])
		snprintf(buf, len, "%s", tags[pos]);
	else if (name)
		snprintf(buf, len, "%s[%" PRIu32 "]", name, index);
	else
		snprintf(buf, len, "place[%" PRIu32 "]", pos);
}

char *memlayout_place_strerror(const struct memlayout_set *s, int err,
			       const char *const *tags, char *buf, size_t len)
{
	const struct memlayout_reason *r = &s->reason;
	const struct memlayout_place_reason *p = &s->place_reason;
	char a[96], b[96];
	const char *c;

	if (!buf || !len)
		return buf;
	if (r->list != MEMLAYOUT_LIST_PLACE)
		return memlayout_strerror(r, err, buf, len);
	/* R8's index is the limit, not a request: no tag names it. */
	tag(a, sizeof(a), r->rule == MEMLAYOUT_RULE_TOO_MANY ? NULL : tags,
	    r->index, p->place_class, p->index);
	tag(b, sizeof(b), tags, r->other_index, p->other_class,
	    p->other_index);
	switch (r->rule) {
	case MEMLAYOUT_RULE_PLACE_SIZE:
		snprintf(buf, len, "%s: invalid size 0x%" PRIx64 " (must be > 0 and a multiple of 0x1000)",
			 a, (uint64_t)p->size);
		break;
	case MEMLAYOUT_RULE_PLACE_ALIGN:
		snprintf(buf, len, "%s: invalid alignment 0x%" PRIx64 " (must be >= 0x1000 and a power of 2)",
			 a, (uint64_t)p->align);
		break;
	case MEMLAYOUT_RULE_PINNED_OVERLAP:
		snprintf(buf, len, "fixed/reserved requests %s and %s overlap",
			 a, b);
		break;
	case MEMLAYOUT_RULE_EXHAUSTED:
		c = memlayout_class_name(p->phase);
		snprintf(buf, len, "%s: cannot allocate 0x%" PRIx64 " bytes with alignment 0x%" PRIx64 " during %s; 0x%" PRIx64 " bytes free",
			 a, (uint64_t)p->size, (uint64_t)p->align,
			 c ? c : "an unknown phase", (uint64_t)p->free);
		break;
	case MEMLAYOUT_RULE_BAD_RANGE:
		snprintf(buf, len, "%s: invalid range (empty, reversed, not 4 KiB aligned or ending above 0x%llx)",
			 a, (unsigned long long)MEMLAYOUT_MAX_ADDRESS);
		break;
	case MEMLAYOUT_RULE_TOO_MANY:
		c = memlayout_class_name(p->place_class);
		snprintf(buf, len, "too many %s requests (more than %" PRIu32 ")",
			 c ? c : "placement", r->index);
		break;
	case MEMLAYOUT_REASON_FLAGS:
		snprintf(buf, len, "request %" PRIu32 ": unknown class", r->index);
		break;
	case MEMLAYOUT_REASON_RESERVED:
		c = memlayout_field_name(r->list, r->field);
		snprintf(buf, len, "%s: %s %s", a, c ? c : "a member",
			 r->field == offsetof(struct memlayout_place_req, kind) ?
			 "is not a kind this class takes" :
			 "must be zero for this class");
		break;
	default:
		return memlayout_strerror(r, err, buf, len);
	}
	return buf;
}
