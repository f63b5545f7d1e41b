// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM audit (SPEC H4) with libmemlayout, as a VMM runs it
 * (Documentation/userspace-api/vmm-guide.rst, "Auditing a running VM"):
 * the VMM derives its memslots from the layout, one per run of
 * contiguous RAM (a node split is one run), plus the device memory it
 * maps itself (here a 16 MiB VRAM BAR in the 32-bit MMIO hole), and
 * audits them before it creates them with memlayout_kvm_audit_slots().
 * The BAR is reported as a memslot over a hole, for the VMM to judge;
 * then a plan with two classic mistakes (the first RAM slot a page
 * short, the second one read-only) shows what the audit finds. Once the
 * VM exists, the same audit of the VM's real memslots is
 * memlayout_check_kvm(h, vm_fd, &a), on the VMM's own VM descriptor.
 * "make check" builds this and runs it offline (lib/check.sh).
 *
 *   cc kvmaudit.c $(pkg-config --cflags --libs memlayout) -o kvmaudit
 *   ./kvmaudit [--offline]
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <libmemlayout.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define MAX_SLOTS 16

/*
 * plan() - the memslots a VMM sets for the layout @snap: one per run of
 * contiguous RAM, ids from 0, address space 0; then the VRAM BAR.
 * Return: the number of slots.
 */
static uint32_t plan(const struct memlayout_snapshot *snap,
		     struct memlayout_kvm_memslot *s)
{
	uint32_t i, n = 0;

	for (i = 0; i < snap->nr && n < MAX_SLOTS - 1; i++) {
		const struct memlayout_map_entry *e = &snap->entries[i];

		if (e->kind != MEMLAYOUT_KIND_RAM)
			continue;
		if (n && s[n - 1].end == e->start) {
			s[n - 1].end = e->end;	/* a node split: the same run */
			continue;
		}
		memset(&s[n], 0, sizeof(s[n]));
		s[n].id = n;
		s[n].start = e->start;
		s[n].end = e->end;
		n++;
	}
	memset(&s[n], 0, sizeof(s[n]));
	s[n].id = n;
	s[n].start = 0xe0000000;	/* the VRAM BAR, mapped as memory */
	s[n].end = 0xe0000000 + 16 * MiB;
	s[n].flags = MEMLAYOUT_KVM_MEM_LOG_DIRTY_PAGES;
	return n + 1;
}

static int audit(struct memlayout_handle *h, const char *what,
		 const struct memlayout_kvm_memslot *s, uint32_t n)
{
	struct memlayout_kvm_audit a;
	char line[256];
	uint32_t i;
	int ret;

	printf("%s:\n", what);
	for (i = 0; i < n; i++)
		printf("  slot %" PRIu32 ": 0x%" PRIx64 "-0x%" PRIx64 " %s\n",
		       s[i].id, s[i].start, s[i].end - 1,
		       memlayout_kvm_slot_flags_str(s[i].flags, line, sizeof(line)));
	ret = memlayout_kvm_audit_slots(h, s, n, &a);
	if (ret) {
		fprintf(stderr, "memlayout_kvm_audit_slots: %s (slot %" PRIu32 ")\n",
			strerror(-ret), a.error_slot);
		return ret;
	}
	printf("  %" PRIu32 " finding%s\n", a.nr, a.nr == 1 ? "" : "s");
	for (i = 0; i < a.nr; i++)
		printf("  %s\n", memlayout_kvm_finding_str(&a.findings[i], line,
							   sizeof(line)));
	memlayout_kvm_audit_free(&a);
	return 0;
}

int main(int argc, char **argv)
{
	/* 6 GiB on two nodes, split at 2 GiB; ECAM and MMIO below 4 GiB. */
	struct memlayout_range ram[3] = {
		{ 0, 2 * GiB, 0, 0 }, { 2 * GiB, 3 * GiB, 1, 0 },
		{ 4 * GiB, 7 * GiB, 1, 0 },
	};
	struct memlayout_range ecam = { 3 * GiB, 3 * GiB + 256 * MiB, 0, 0 };
	struct memlayout_range mmio = { 3 * GiB + 256 * MiB, 4 * GiB, 0, 0 };
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_RANGES,
		.ram_ptr = (uintptr_t)ram, .nr_ram = 3,
		.pci_ecam_ptr = (uintptr_t)&ecam, .nr_pci_ecam = 1,
		.mmio_ptr = (uintptr_t)&mmio, .nr_mmio = 1,
	};
	struct memlayout_kvm_memslot slots[MAX_SLOTS];
	struct memlayout_snapshot snap;
	struct memlayout_handle *h;
	uint32_t n;
	int ret;

	h = argc > 1 && !strcmp(argv[1], "--offline") ? memlayout_offline(0) :
	    memlayout_open(NULL);
	if (!h) {
		perror("memlayout");
		return 1;
	}
	ret = memlayout_set(h, &s);
	if (!ret)
		ret = memlayout_get_layout(h, &snap);
	if (ret) {
		fprintf(stderr, "layout: %s\n", strerror(-ret));
		memlayout_close(h);
		return 1;
	}
	n = plan(&snap, slots);
	memlayout_snapshot_free(&snap);
	ret = audit(h, "memslots from the layout, and a VRAM BAR", slots, n);
	if (!ret) {
		slots[0].end -= 4096;
		slots[1].flags |= MEMLAYOUT_KVM_MEM_READONLY;
		ret = audit(h, "a page short, and read-only RAM", slots, n);
	}
	memlayout_close(h);
	return ret ? 1 : 0;
}
