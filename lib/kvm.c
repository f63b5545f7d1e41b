// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the KVM audit (SPEC H4) on the client side: the names,
 * MEMLAYOUT_IOC_CHECK_KVM with its count negotiation, the audit of
 * caller-given memslots on a device handle (the device's layout read with
 * GET_LAYOUT, rebuilt in an offline engine, and the core's
 * memlayout_kvm_audit() run there: ml_offline_kvm_audit() in
 * lib/offline.c), and one line of text per finding.
 *
 * Needs only the C library and the UAPI header.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char * const kvm_kind_names[] = {
	[MEMLAYOUT_KVM_UNBACKED] = "unbacked",
	[MEMLAYOUT_KVM_READONLY] = "readonly",
	[MEMLAYOUT_KVM_OVER_HOLE] = "over-hole",
	[MEMLAYOUT_KVM_OUTSIDE] = "outside",
};

/* KVM_MEM_* bit by bit, as <linux/kvm.h> numbers them. */
static const char * const kvm_flag_names[] = {
	"log-dirty",
	"readonly",
	"guest-memfd",
};

const char *memlayout_kvm_kind_name(uint32_t kind)
{
	return kind < ARRAY_SIZE(kvm_kind_names) ? kvm_kind_names[kind] : NULL;
}

char *memlayout_kvm_slot_flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!flags) {
		snprintf(buf, len, "-");
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(kvm_flag_names) && off < len; i++) {
		if (!(flags & (1U << i)))
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off ? "," : "",
			     kvm_flag_names[i]);
		off = n < 0 ? len : off + (size_t)n;
	}
	if (flags & ~MEMLAYOUT_KVM_MEM_KNOWN && off < len)
		snprintf(buf + off, len - off, "%s0x%" PRIx32, off ? "," : "",
			 flags & ~MEMLAYOUT_KVM_MEM_KNOWN);
	return buf;
}

static int raw(struct memlayout_handle *h, struct memlayout_check_kvm *c)
{
	if (!c->size)
		c->size = sizeof(*c);
	if (h->off)
		return ml_offline_check_kvm(h->off, c);
	return ml_ioctl(h->fd, MEMLAYOUT_IOC_CHECK_KVM, c);
}

int memlayout_check_kvm_raw(struct memlayout_handle *h,
			    struct memlayout_check_kvm *c)
{
	return ml_ret_errno(raw(h, c));
}

static void audit_empty(struct memlayout_kvm_audit *a)
{
	memset(a, 0, sizeof(*a));
	a->error_slot = MEMLAYOUT_KVM_NO_SLOT;
}

/*
 * As ml_read_array() in device.c and memlayout_check_host(): a count 0
 * call first, then one with room for that many, again with the new count
 * while -EMSGSIZE says the findings grew in between.
 */
int memlayout_check_kvm(struct memlayout_handle *h, int vm_fd,
			struct memlayout_kvm_audit *a)
{
	struct memlayout_kvm_finding *buf = NULL;
	void *mem;
	struct memlayout_check_kvm c;
	uint32_t cap = 0;
	int ret;

	audit_empty(a);
	for (;;) {
		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.vm_fd = vm_fd;
		c.count = cap;
		c.findings_ptr = cap ? (uint64_t)(uintptr_t)buf : 0;
		ret = raw(h, &c);
		if (ret != -EMSGSIZE)
			break;
		mem = buf;
		ret = ml_grow(&mem, &cap, c.count, sizeof(*buf));
		buf = mem;
		if (ret)
			break;
	}
	if (ret) {
		free(buf);
		return ml_ret_errno(ret);
	}
	/* A reply that claims more than the buffer held is not believed. */
	if (c.count > cap) {
		free(buf);
		return ml_ret_errno(-EPROTO);
	}
	if (!c.count) {
		free(buf);
		buf = NULL;
	}
	a->generation = c.generation;
	a->nr_slots = c.nr_slots;
	a->nr_as = c.nr_as;
	a->nr = c.count;
	a->findings = buf;
	return 0;
}

void memlayout_kvm_audit_free(struct memlayout_kvm_audit *a)
{
	if (!a)
		return;
	free(a->findings);
	audit_empty(a);
}

/* A list of ranges being rebuilt from the map. */
struct rebuild_list {
	struct memlayout_range *r;
	uint32_t nr;
};

/*
 * rebuild() - set on offline handle @o the layout @snap describes: C3
 * from its RAM ranges (vnode kept), its holes by kind, its VTL2. SPEC C4:
 * a placed layout is exactly what C3 builds from the same ranges, so the
 * lists, their indexes and the fingerprint come out as the device's.
 */
static int rebuild(struct memlayout_handle *o,
		   const struct memlayout_snapshot *snap)
{
	struct rebuild_list l[MEMLAYOUT_LIST_PCI_MMIO + 1] = { { 0 } };
	struct memlayout_set s;
	uint32_t i, k;
	int ret = -ENOMEM;

	for (k = MEMLAYOUT_LIST_RAM; k <= MEMLAYOUT_LIST_PCI_MMIO; k++) {
		l[k].r = calloc(snap->nr ? snap->nr : 1, sizeof(*l[k].r));
		if (!l[k].r)
			goto out;
	}
	for (i = 0; i < snap->nr; i++) {
		const struct memlayout_map_entry *e = &snap->entries[i];

		k = e->kind;
		if (k < MEMLAYOUT_LIST_RAM || k > MEMLAYOUT_LIST_PCI_MMIO) {
			ret = -EPROTO;
			goto out;
		}
		l[k].r[l[k].nr].start = e->start;
		l[k].r[l[k].nr].end = e->end;
		l[k].r[l[k].nr].vnode = k == MEMLAYOUT_LIST_RAM ? e->vnode : 0;
		l[k].nr++;
	}
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.source = MEMLAYOUT_SOURCE_RANGES;
	s.ram_ptr = l[MEMLAYOUT_LIST_RAM].nr ? (uintptr_t)l[MEMLAYOUT_LIST_RAM].r : 0;
	s.nr_ram = l[MEMLAYOUT_LIST_RAM].nr;
	s.mmio_ptr = l[MEMLAYOUT_LIST_MMIO].nr ? (uintptr_t)l[MEMLAYOUT_LIST_MMIO].r : 0;
	s.nr_mmio = l[MEMLAYOUT_LIST_MMIO].nr;
	s.pci_ecam_ptr = l[MEMLAYOUT_LIST_PCI_ECAM].nr ?
			 (uintptr_t)l[MEMLAYOUT_LIST_PCI_ECAM].r : 0;
	s.nr_pci_ecam = l[MEMLAYOUT_LIST_PCI_ECAM].nr;
	s.pci_mmio_ptr = l[MEMLAYOUT_LIST_PCI_MMIO].nr ?
			 (uintptr_t)l[MEMLAYOUT_LIST_PCI_MMIO].r : 0;
	s.nr_pci_mmio = l[MEMLAYOUT_LIST_PCI_MMIO].nr;
	if (snap->stats.present & MEMLAYOUT_STATS_VTL2) {
		s.flags = MEMLAYOUT_SET_VTL2;
		s.vtl2.start = snap->stats.vtl2_start;
		s.vtl2.end = snap->stats.vtl2_end;
	}
	ret = memlayout_set(o, &s);
	/* Not the device's layout after all: refuse rather than misreport. */
	if (ret || memcmp(s.fingerprint, snap->fingerprint,
			  sizeof(s.fingerprint)))
		ret = -EPROTO;
out:
	for (k = MEMLAYOUT_LIST_RAM; k <= MEMLAYOUT_LIST_PCI_MMIO; k++)
		free(l[k].r);
	return ret;
}

int memlayout_kvm_audit_slots(struct memlayout_handle *h,
			      const struct memlayout_kvm_memslot *slots,
			      uint32_t n, struct memlayout_kvm_audit *a)
{
	struct memlayout_snapshot snap;
	struct memlayout_handle *o;
	uint32_t i;
	int ret;

	audit_empty(a);
	if (h->off)
		return ml_ret_errno(ml_offline_kvm_audit(h->off, slots, n, a));
	/*
	 * The slots' own refusals first, in the offline engine's order
	 * (before -ENOENT), and without a GET_LAYOUT for them.
	 */
	if (n > MEMLAYOUT_KVM_MAX_SLOTS)
		return ml_ret_errno(-E2BIG);
	if (n && !slots)
		return ml_ret_errno(-EINVAL);
	for (i = 0; i < n; i++) {
		if (ml_kvm_slot_ok(&slots[i])) {
			a->error_slot = i;
			return ml_ret_errno(-EINVAL);
		}
	}
	ret = memlayout_get_layout(h, &snap);
	if (ret)
		return ret;
	/* Room for every list of the device's layout (its own R8 held). */
	o = memlayout_offline(snap.nr + 1);
	if (!o) {
		memlayout_snapshot_free(&snap);
		return ml_ret_errno(-ENOMEM);
	}
	ret = rebuild(o, &snap);
	if (!ret)
		ret = ml_offline_kvm_audit(o->off, slots, n, a);
	if (!ret)
		a->generation = snap.generation;
	memlayout_close(o);
	memlayout_snapshot_free(&snap);
	return ml_ret_errno(ret);
}

char *memlayout_kvm_finding_str(const struct memlayout_kvm_finding *f,
				char *buf, size_t len)
{
	const char *kind = memlayout_kvm_kind_name(f->kind);
	const char *list = memlayout_list_name(f->list);
	char where[128], slot[128], flags[MEMLAYOUT_KVM_FLAGS_LEN];

	if (!len)
		return buf;
	/* A finding is never empty; be safe with a hostile one. */
	if (f->list == MEMLAYOUT_LIST_NONE)
		snprintf(where, sizeof(where), "outside the layout");
	else
		snprintf(where, sizeof(where),
			 "of %s[%" PRIu32 "] 0x%llx-0x%llx",
			 list ? list : "?", f->index,
			 (unsigned long long)f->range_start,
			 (unsigned long long)(f->range_end > f->range_start ?
					      f->range_end - 1 : f->range_start));
	if (f->slot_id == MEMLAYOUT_KVM_NO_SLOT)
		snprintf(slot, sizeof(slot), "no memslot");
	else
		snprintf(slot, sizeof(slot),
			 "slot %" PRIu32 " 0x%llx-0x%llx flags %s", f->slot_id,
			 (unsigned long long)f->slot_start,
			 (unsigned long long)(f->slot_end > f->slot_start ?
					      f->slot_end - 1 : f->slot_start),
			 memlayout_kvm_slot_flags_str(f->slot_flags, flags,
						      sizeof(flags)));
	if (kind)
		snprintf(buf, len, "%s: as %" PRIu32 " 0x%llx-0x%llx %s: %s",
			 kind, f->as_id, (unsigned long long)f->start,
			 (unsigned long long)(f->end > f->start ? f->end - 1 :
					      f->start), where, slot);
	else
		snprintf(buf, len,
			 "kind %" PRIu32 ": as %" PRIu32 " 0x%llx-0x%llx %s: %s",
			 f->kind, f->as_id, (unsigned long long)f->start,
			 (unsigned long long)(f->end > f->start ? f->end - 1 :
					      f->start), where, slot);
	return buf;
}
