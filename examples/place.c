// SPDX-License-Identifier: GPL-2.0
/*
 * Placing a whole address space (SPEC C4) with libmemlayout, as OpenVMM's
 * LayoutBuilder does (Documentation/userspace-api/vmm-guide.rst): the
 * q35 guest of the issue, 6 GiB on two vNUMA nodes, the chipset pinned
 * below 4 GiB, ECAM and a 64 GiB PCI window placed, VTL2 last; then the
 * placed ranges with their tags, the figures, and a request that does not
 * fit, with its message. "make check" builds this and runs it offline
 * (lib/check.sh) and against the module (the test guests).
 *
 *   cc place.c $(pkg-config --cflags --libs memlayout) -o place
 *   ./place          (the device)   ./place --offline   (no module)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <libmemlayout.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static const char *const tags[] = {
	"chipset", "ecam", "node0", "node1", "pci64", "vtl2",
};

int main(int argc, char **argv)
{
	struct memlayout_place_req req[] = {
		{ .place_class = MEMLAYOUT_CLASS_FIXED, .kind = MEMLAYOUT_KIND_MMIO,
		  .start = 0xfe000000, .end = 4 * GiB },
		{ .place_class = MEMLAYOUT_CLASS_MMIO32, .kind = MEMLAYOUT_KIND_PCI_ECAM,
		  .size = 256 * MiB, .align = 256 * MiB },
		{ .place_class = MEMLAYOUT_CLASS_RAM, .size = 3 * GiB, .align = 2 * MiB },
		{ .place_class = MEMLAYOUT_CLASS_RAM, .size = 3 * GiB, .align = GiB },
		{ .place_class = MEMLAYOUT_CLASS_MMIO64, .kind = MEMLAYOUT_KIND_PCI_MMIO,
		  .size = 64 * GiB, .align = GiB },
		{ .place_class = MEMLAYOUT_CLASS_POST_MMIO, .kind = MEMLAYOUT_PLACE_VTL2,
		  .size = 64 * MiB, .align = 2 * MiB },
	};
	int offline = argc > 1 && !strcmp(argv[1], "--offline");
	struct memlayout_handle *h = offline ? memlayout_offline(0) : memlayout_open(NULL);
	char msg[MEMLAYOUT_STRERROR_LEN], fp[MEMLAYOUT_FINGERPRINT_HEX_LEN];
	struct memlayout_placed *p;
	struct memlayout_stats st;
	struct memlayout_set s;
	uint32_t n, i;
	int ret;

	if (!h) {
		perror("memlayout_open");
		return 1;
	}
	ret = memlayout_set_placement(h, req, 6, 0, &s);
	if (ret || memlayout_get_placements(h, &p, &n, NULL) ||
	    memlayout_get_stats(h, &st)) {
		fprintf(stderr, "%s\n", memlayout_place_strerror(&s, ret, tags, msg, sizeof(msg)));
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* A placed range's request: the index-th of its class. */
		uint32_t k, seen = 0;

		for (k = 0; k < 6; k++)
			if (req[k].place_class == p[i].place_class && seen++ == p[i].index)
				break;
		printf("0x%012" PRIx64 "-0x%012" PRIx64 "  %-8s %-9s %s\n",
		       (uint64_t)p[i].start, (uint64_t)p[i].end, tags[k],
		       memlayout_class_name(p[i].place_class),
		       p[i].kind == MEMLAYOUT_PLACE_VTL2 ? "vtl2" :
		       memlayout_kind_name(p[i].kind));
	}
	printf("ram %" PRIu64 " GiB, end of RAM %#" PRIx64 ", fingerprint %.16s...\n",
	       (uint64_t)(st.ram_size / GiB), (uint64_t)st.end_of_ram,
	       memlayout_fingerprint_hex(s.fingerprint, fp));

	/* An ECAM that cannot fit below 4 GiB: planned with a dry run. */
	req[1].size = 4 * GiB;
	ret = memlayout_set_placement(h, req, 6, MEMLAYOUT_SET_DRY_RUN, &s);
	printf("%d: %s\n", ret, memlayout_place_strerror(&s, ret, tags, msg, sizeof(msg)));
	memlayout_close(h);
	return 0;
}
