// SPDX-License-Identifier: GPL-2.0
/*
 * Host fit (SPEC H1-H3) with libmemlayout, as a migration destination
 * runs it before it accepts a VM (Documentation/userspace-api/vmm-guide.rst,
 * "Before the VM starts, and before it migrates"): the source's layout is
 * set on this host and checked against this host's CPU width and the
 * IOMMUs of the devices the VM will be given; any conflict refuses the VM.
 *
 * The layouts are built around this machine's own edge, 2^phys_bits, so
 * the output is the same on every host: one whose highest hole ends
 * exactly there fits; one a page longer is refused with one H1 conflict.
 * The printed addresses are relative to that edge. Devices named on the
 * command line (PCI addresses, or VFIO files) are checked too, and their
 * conflicts printed with memlayout_host_conflict_str().
 * "make check" builds this and runs it offline (lib/check.sh).
 *
 *   cc hostfit.c $(pkg-config --cflags --libs memlayout) -o hostfit
 *   ./hostfit [--offline] [BDF | /dev/vfio/N]...
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libmemlayout.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/*
 * @v relative to the edge @e = 2^phys_bits: "2^phys_bits", "2^phys_bits
 * + S" or "2^phys_bits - S", S in KiB or MiB: the same on every host.
 */
static const char *rel(uint64_t v, uint64_t e, char *buf, size_t len)
{
	uint64_t d = v > e ? v - e : e - v;

	if (!d)
		snprintf(buf, len, "2^phys_bits");
	else
		snprintf(buf, len, "2^phys_bits %c %" PRIu64 " %s",
			 v > e ? '+' : '-', (uint64_t)(d % MiB ? d / KiB : d / MiB),
			 d % MiB ? "KiB" : "MiB");
	return buf;
}

/*
 * accept() - what a migration destination does with the source's layout:
 * set it here (a dry run would not do: CHECK_HOST checks the file's
 * layout), check it against this host, refuse it on any conflict.
 * Return: 1 accepted, 0 refused, -errno on error.
 */
static int accept(struct memlayout_handle *h, struct memlayout_set *s,
		  struct memlayout_host_device *devs, uint32_t n, uint64_t e)
{
	char line[256], a[48], b[48];
	struct memlayout_host_fit fit;
	uint32_t i;
	int ret;

	ret = memlayout_set(h, s);
	if (!ret)
		ret = memlayout_check_host(h, devs, n, &fit);
	if (ret) {
		if (n && fit.error_device < n)
			fprintf(stderr, "device %" PRIu32 ": %s\n", fit.error_device,
				strerror(-ret));
		return ret;
	}
	for (i = 0; i < fit.nr; i++) {
		const struct memlayout_host_conflict *c = &fit.conflicts[i];

		if (c->rule == MEMLAYOUT_HOST_CPU_WIDTH)
			printf("  %s: %s[%" PRIu32 "] [%s, %s) ends above 2^phys_bits\n",
			       memlayout_host_rule_name(c->rule),
			       memlayout_list_name(c->list), c->index,
			       rel(c->start, e, a, sizeof(a)),
			       rel(c->end, e, b, sizeof(b)));
		else	/* A device's: absolute, this host's own. */
			printf("  %s\n", memlayout_host_conflict_str(c, devs, n, line,
								    sizeof(line)));
	}
	ret = !fit.nr;
	memlayout_host_fit_free(&fit);
	return ret;
}

int main(int argc, char **argv)
{
	int offline = argc > 1 && !strcmp(argv[1], "--offline");
	struct memlayout_handle *h = offline ? memlayout_offline(0) : memlayout_open(NULL);
	struct memlayout_host_device devs[16];
	struct memlayout_range ram[] = { { 0, 2 * GiB, 0, 0 } }, mmio[1];
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_RANGES, .ram_ptr = (uintptr_t)ram, .nr_ram = 1,
	};
	struct memlayout_host_fit fit;
	uint32_t n = 0, bits;
	uint64_t e;
	char a[48], b[48];
	int i, ret;

	if (!h) {
		perror("memlayout_open");
		return 1;
	}
	for (i = 1 + offline; i < argc && n < 16; i++, n++) {
		if (memlayout_pci_device(argv[i], &devs[n]) &&
		    memlayout_open_vfio(argv[i], &devs[n]) < 0) {
			fprintf(stderr, "%s: neither a PCI address nor a VFIO file\n", argv[i]);
			return 1;
		}
	}
	/* This host's width: H1 of a 2 GiB layout (which fits any). */
	if (memlayout_set(h, &s) || memlayout_check_host(h, NULL, 0, &fit)) {
		perror("memlayout_check_host");
		return 1;
	}
	bits = fit.phys_bits;
	memlayout_host_fit_free(&fit);
	if (bits > 60) {
		printf("a %" PRIu32 "-bit host: every layout fits H1\n", bits);
		return 0;
	}
	e = 1ULL << bits;
	printf("H1: every range ends at or below 2^phys_bits, this host's CPU width\n");

	/* The source's layout: RAM, and a PCI window ending at the edge. */
	mmio[0] = (struct memlayout_range){ e - 64 * MiB, e, 0, 0 };
	s.mmio_ptr = (uintptr_t)mmio;
	s.nr_mmio = 1;
	printf("layout with a hole [%s, %s):\n", rel(mmio[0].start, e, a, sizeof(a)),
	       rel(mmio[0].end, e, b, sizeof(b)));
	ret = accept(h, &s, devs, n, e);
	printf("  %s\n", ret == 1 ? "accepted" : ret ? strerror(-ret) : "refused");

	/* The same source one page longer: H1 refuses it. */
	mmio[0].end = e + 4 * KiB;
	printf("layout with a hole [%s, %s):\n", rel(mmio[0].start, e, a, sizeof(a)),
	       rel(mmio[0].end, e, b, sizeof(b)));
	ret = accept(h, &s, devs, n, e);
	printf("  %s\n", ret == 1 ? "accepted" : ret ? strerror(-ret) : "refused");
	memlayout_close(h);
	return 0;
}
