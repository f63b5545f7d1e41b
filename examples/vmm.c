// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM author's task against libmemlayout (Documentation/userspace-api/
 * vmm-guide.rst): a two-node q35 layout with ECAM and a 64-bit PCI window,
 * read back whole, its e820 table and SRAT, a batch of probes, and a
 * rejection with its message. "make check" builds this and runs it
 * offline (lib/check.sh) and against the module (the test guests).
 *
 *   cc vmm.c $(pkg-config --cflags --libs memlayout) -o vmm
 *   ./vmm            (the device)   ./vmm --offline   (no module)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmemlayout.h>

#define GiB (1ULL << 30)
#define R(s, e) { .start = (s), .end = (e) }

int main(int argc, char **argv)
{
	static const uint64_t nodes[] = { 4 * GiB, 4 * GiB };
	static const struct memlayout_range ecam[] = { R(0xb0000000, 0xc0000000) };
	static const struct memlayout_range mmio[] = { R(0xc0000000, 4 * GiB) };
	static const struct memlayout_range pci64[] = { R(512 * GiB, 576 * GiB) };
	static const uint64_t addrs[] = { 0x1000, 0xb0001000, 0xfee00000, 5 * GiB,
					  10 * GiB, 520 * GiB };
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_NODES,
		.nodes_ptr = (uintptr_t)nodes, .nr_nodes = 2,
		.mmio_ptr = (uintptr_t)mmio, .nr_mmio = 1,
		.pci_ecam_ptr = (uintptr_t)ecam, .nr_pci_ecam = 1,
		.pci_mmio_ptr = (uintptr_t)pci64, .nr_pci_mmio = 1,
	};
	int offline = argc > 1 && !strcmp(argv[1], "--offline");
	struct memlayout_handle *h = offline ? memlayout_offline(0) : memlayout_open(NULL);
	struct memlayout_probe_range pr[6];
	struct boot_e820_entry e820[16];
	struct memlayout_snapshot snap;
	char msg[MEMLAYOUT_STRERROR_LEN], fp[MEMLAYOUT_FINGERPRINT_HEX_LEN];
	uint32_t i, n = 16, kinds[6];
	unsigned char srat[4096];
	size_t len = sizeof(srat);
	int ret;

	if (!h) {
		perror("memlayout_open");
		return 1;
	}
	ret = memlayout_set(h, &s);
	if (ret || memlayout_get_layout(h, &snap)) {
		fprintf(stderr, "%s\n", memlayout_strerror(&s.reason, ret, msg, sizeof(msg)));
		return 1;
	}
	printf("generation %llu fingerprint %s\n", (unsigned long long)snap.generation,
	       memlayout_fingerprint_hex(snap.fingerprint, fp));
	for (i = 0; i < snap.nr; i++)
		printf("  0x%012llx-0x%012llx %s node %u\n",
		       (unsigned long long)snap.entries[i].start,
		       (unsigned long long)snap.entries[i].end - 1,
		       memlayout_kind_name(snap.entries[i].kind), snap.entries[i].vnode);

	if (memlayout_e820(&snap, 0, e820, &n) || memlayout_srat_table(&snap, srat, &len))
		return 1;
	for (i = 0; i < n; i++)
		printf("e820 0x%012llx-0x%012llx type %u\n", (unsigned long long)e820[i].addr,
		       (unsigned long long)(e820[i].addr + e820[i].size - 1), e820[i].type);
	printf("SRAT: %zu bytes, %zu memory affinity structures\n", len,
	       (len - 48) / sizeof(struct memlayout_srat_mem));

	if (memlayout_probe_ranges(h, addrs, kinds, pr, 6, NULL))
		return 1;
	for (i = 0; i < 6; i++)
		printf("probe %#llx: %s [%#llx, %#llx) node %u\n", (unsigned long long)addrs[i],
		       memlayout_kind_name(kinds[i]), (unsigned long long)pr[i].start,
		       (unsigned long long)pr[i].end, pr[i].vnode);

	/* A 512 MiB ECAM that runs into the MMIO gap, checked (dry run). */
	s.pci_ecam_ptr = (uintptr_t)(const struct memlayout_range[]){ R(0xb0000000, 0xd0000000) };
	s.flags = MEMLAYOUT_SET_DRY_RUN;
	ret = memlayout_set(h, &s);
	printf("rejected: %s\n", memlayout_strerror(&s.reason, ret, msg, sizeof(msg)));

	memlayout_snapshot_free(&snap);
	memlayout_close(h);
	return 0;
}
