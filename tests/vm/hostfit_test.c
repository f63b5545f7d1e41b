// SPDX-License-Identifier: GPL-2.0
/*
 * hostfit_test - MEMLAYOUT_IOC_CHECK_HOST (SPEC H1-H3) against the facts
 * the guest kernel shows userspace (see ml_test.h):
 *
 * - H1: "address sizes" of /proc/cpuinfo;
 * - H2: the Intel DMAR's capability register
 *   (/sys/class/iommu/dmarN/intel-iommu/cap: the domain width is the
 *   widest supported AGAW, at most MGAW, as intel-iommu computes it) and
 *   the IOVA ranges VFIO's type1 container reports for the same group;
 * - H3: /sys/kernel/iommu_groups/N/reserved_regions of each PCI device's
 *   group.
 *
 * From these, expect() computes every conflict a layout must get, in the
 * documented order (include/uapi/linux/memlayout.h, "DOC: Host fit"), and
 * the ioctl's answer must be exactly that list. scripts/vmtest.sh runs
 * this program in two machines: the test guest (no IOMMU; init.sh sets
 * MLHOST_EXPECT=none) and the host-fit guest, a q35 with
 * "-cpu max,phys-bits=40 -device intel-iommu,aw-bits=39" and QEMU's edu
 * device bound to vfio-pci (MLHOST_EXPECT=iommu); "machine" checks that
 * each is what it claims, so that no check below passes vacuously.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "ml_test.h"

#define MAX_DEVS	32
#define MAX_RESV	16
#define MAX_CONF	512
#define TOP		(~0ULL)

struct region {
	uint64_t start, last;	/* inclusive, as sysfs prints them */
	uint32_t type, flags;
	char name[24];
};

/* One PCI device as sysfs shows it. */
struct pcidev {
	char bdf[16];
	uint16_t seg;
	uint8_t bus, devfn;
	int group;			/* -1: no IOMMU group */
	char gtype[16];			/* the group's "type" (default domain) */
	char driver[32];
	uint32_t nr_resv;
	struct region resv[MAX_RESV];
	bool aperture;			/* a DMA domain with a known width */
	uint64_t ap_last;
};

static struct pcidev devs[MAX_DEVS];
static unsigned int nr_devs;
static unsigned int phys_bits;
static const char *machine_env;

/* The ranges of the file's current layout, one list after another. */
struct lrange {
	uint32_t list, index;
	uint64_t start, end;
};

static struct lrange lr[256];
static unsigned int nr_lr;

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (!f)
		return -1;
	ok = !!fgets(buf, (int)len, f);
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* H1's reference: "address sizes : 40 bits physical, ..." */
static unsigned int cpuinfo_phys_bits(void)
{
	char line[256];
	unsigned int bits = 0;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "address sizes", 13) &&
		    sscanf(strchr(line, ':') + 1, "%u bits physical", &bits) == 1)
			break;
	fclose(f);
	return bits;
}

/*
 * The width intel-iommu gives a paging (DMA or unmanaged) domain in
 * second-level mode: the widest AGAW the unit supports (SAGAW bit i is
 * 30 + 9 i bits) up to 57 bits, at most MGAW; the aperture is then
 * [0, 2^width - 1]. 0 when the device's IOMMU is not a DMAR.
 */
static unsigned int dmar_width(const char *bdf)
{
	char path[256], buf[64];
	unsigned long long cap;
	unsigned int mgaw, sagaw, w = 0, i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu/intel-iommu/cap", bdf);
	if (read_line(path, buf, sizeof(buf)))
		return 0;
	cap = strtoull(buf, NULL, 16);
	mgaw = (unsigned int)((cap >> 16) & 0x3f) + 1;
	sagaw = (unsigned int)((cap >> 8) & 0x1f);
	for (i = 0; i < 5; i++)
		if ((sagaw & (1U << i)) && 30 + 9 * i <= 57)
			w = 30 + 9 * i;
	return w < mgaw ? w : mgaw;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct pcidev *)a)->bdf, ((const struct pcidev *)b)->bdf);
}

/* sysfs "direct", "direct-relaxable", "reserved", "msi" (x86: hardware). */
static bool resv_type(const char *s, struct region *r)
{
	r->flags = 0;
	if (!strcmp(s, "direct")) {
		r->type = MEMLAYOUT_RESV_DIRECT;
	} else if (!strcmp(s, "direct-relaxable")) {
		r->type = MEMLAYOUT_RESV_DIRECT;
		r->flags = MEMLAYOUT_HOST_RELAXABLE;
	} else if (!strcmp(s, "reserved")) {
		r->type = MEMLAYOUT_RESV_RESERVED;
	} else if (!strcmp(s, "msi")) {
#if defined(__x86_64__) || defined(__i386__)
		r->type = MEMLAYOUT_RESV_MSI;
#else
		r->type = MEMLAYOUT_RESV_SW_MSI;
#endif
	} else {
		return false;
	}
	snprintf(r->name, sizeof(r->name), "%.23s", s);
	return true;
}

/* Every PCI device, its IOMMU group, reserved regions and driver. */
static bool scan_pci(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	bool ok = true;

	nr_devs = 0;
	if (!d)
		return false;
	while ((e = readdir(d)) && nr_devs < MAX_DEVS) {
		struct pcidev *p = &devs[nr_devs];
		unsigned int seg, bus, dev, fn;
		char path[320], link[256], line[256];
		ssize_t n;
		FILE *f;

		if (sscanf(e->d_name, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4)
			continue;
		memset(p, 0, sizeof(*p));
		snprintf(p->bdf, sizeof(p->bdf), "%.15s", e->d_name);
		p->seg = (uint16_t)seg;
		p->bus = (uint8_t)bus;
		p->devfn = (uint8_t)(dev << 3 | fn);
		p->group = -1;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", p->bdf);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			snprintf(p->driver, sizeof(p->driver), "%s", strrchr(link, '/') + 1);
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", p->bdf);
		n = readlink(path, link, sizeof(link) - 1);
		nr_devs++;
		if (n <= 0)
			continue;
		link[n] = '\0';
		p->group = atoi(strrchr(link, '/') + 1);
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type", p->group);
		if (read_line(path, p->gtype, sizeof(p->gtype)))
			p->gtype[0] = '\0';
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/reserved_regions",
			 p->group);
		f = fopen(path, "re");
		if (!f) {
			ok = false;
			continue;
		}
		while (fgets(line, sizeof(line), f)) {
			struct region *r = &p->resv[p->nr_resv];
			unsigned long long s, l;
			char t[32];

			if (p->nr_resv == MAX_RESV ||
			    sscanf(line, "%llx %llx %31s", &s, &l, t) != 3 || !resv_type(t, r)) {
				diag("%s: unexpected line %s", path, line);
				ok = false;
				continue;
			}
			r->start = s;
			r->last = l;
			p->nr_resv++;
		}
		fclose(f);
		if (!strcmp(p->gtype, "DMA") || !strcmp(p->gtype, "DMA-FQ")) {
			unsigned int w = dmar_width(p->bdf);

			p->aperture = w != 0;
			p->ap_last = w ? (1ULL << w) - 1 : 0;
		}
	}
	closedir(d);
	qsort(devs, nr_devs, sizeof(devs[0]), cmp_dev);
	return ok;
}

static bool facts(void)
{
	machine_env = getenv("MLHOST_EXPECT");
	phys_bits = cpuinfo_phys_bits();
	return scan_pci() && phys_bits;
}

static struct memlayout_host_device pci_dev(const struct pcidev *p)
{
	return (struct memlayout_host_device){
		.type = MEMLAYOUT_DEVICE_PCI, .pci_segment = p->seg,
		.pci_bus = p->bus, .pci_devfn = p->devfn,
	};
}

static struct memlayout_host_device vfio_dev(int fd)
{
	return (struct memlayout_host_device){ .type = MEMLAYOUT_DEVICE_VFIO, .fd = fd };
}

/*
 * A record as first given on input (an answered one has out members set;
 * they are ignored on input, which check_case() also checks by sending
 * the answered records again).
 */
static struct memlayout_host_device in_form(const struct memlayout_host_device *d)
{
	if (d->type == MEMLAYOUT_DEVICE_VFIO)
		return vfio_dev(d->fd);
	return (struct memlayout_host_device){
		.type = d->type, .fd = d->fd, .pci_segment = d->pci_segment,
		.pci_bus = d->pci_bus, .pci_devfn = d->pci_devfn,
	};
}

/* Whether the running kernel is at least @major.@minor. */
static bool kernel_at_least(unsigned int major, unsigned int minor)
{
	struct utsname u;
	unsigned int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &a, &b) != 2)
		return false;
	return a > major || (a == major && b >= minor);
}

/* The first device bound to vfio-pci, or NULL. */
static const struct pcidev *vfio_bound(void)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		if (!strcmp(devs[i].driver, "vfio-pci") && devs[i].group >= 0)
			return &devs[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The ioctl and the expected answer                                     */
/* ------------------------------------------------------------------ */

static int check_host(int fd, struct memlayout_host_device *d, uint32_t nd,
		      struct memlayout_host_conflict *c, uint32_t cap,
		      struct memlayout_check_host *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->size = sizeof(*ch);
	ch->nr_devices = nd;
	ch->devices_ptr = nd ? U64P(d) : 0;
	ch->count = cap;
	ch->conflicts_ptr = cap ? U64P(c) : 0;
	ch->phys_bits = 0xA5A5A5A5;
	ch->error_device = 0xA5A5A5A5;
	return xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, ch);
}

/* Reads the file's layout (every list GET_RANGES serves and VTL2). */
static bool read_layout(int fd)
{
	static const uint32_t lists[] = { L_RAM, L_MMIO, L_ECAM, L_PMMIO, L_VTL2 };
	mr_t buf[64];
	unsigned int i, j;
	uint32_t n;

	nr_lr = 0;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		if (get_ranges(fd, lists[i], buf, ARRAY_SIZE(buf), &n, NULL)) {
			diag("GET_RANGES list %u failed", lists[i]);
			return false;
		}
		for (j = 0; j < n; j++)
			lr[nr_lr++] = (struct lrange){ lists[i], j, buf[j].start, buf[j].end };
	}
	return true;
}

static int cmp_lrange(const void *a, const void *b)
{
	const struct lrange *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->list < y->list ? -1 : x->list > y->list;
}

static int cmp_region(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* What the device record of one PCI device must say. */
struct devfacts {
	bool iommu, aperture;
	uint32_t group, nr_resv;
	uint64_t ap_start, ap_last;
	struct region resv[MAX_RESV];
};

static struct devfacts pci_facts(const struct pcidev *p)
{
	struct devfacts f = { 0 };

	if (p->group < 0)
		return f;
	f.iommu = true;
	f.group = (uint32_t)p->group;
	f.nr_resv = p->nr_resv;
	memcpy(f.resv, p->resv, sizeof(f.resv));
	qsort(f.resv, f.nr_resv, sizeof(f.resv[0]), cmp_region);
	f.aperture = p->aperture;
	f.ap_last = p->ap_last;
	return f;
}

static void conf(struct memlayout_host_conflict *c, unsigned int *n, uint32_t rule,
		 const struct lrange *r, uint32_t dev, uint64_t hs, uint64_t hl,
		 uint32_t type, uint32_t flags)
{
	if (*n < MAX_CONF)
		c[*n] = (struct memlayout_host_conflict){
			.rule = rule, .list = r->list, .index = r->index,
			.device = dev, .start = r->start, .end = r->end,
			.host_start = hs, .host_last = hl, .host_type = type,
			.host_flags = flags, .phys_bits = phys_bits,
		};
	(*n)++;
}

/*
 * Every conflict of the current layout (read_layout()) with phys_bits and
 * the devices' facts, in the documented order: H1 in address order; then
 * per device its H2 in address order and its H3 region by region.
 */
static unsigned int expect(const struct devfacts *f, unsigned int nd,
			   struct memlayout_host_conflict *c)
{
	struct lrange s[256];
	unsigned int i, j, k, n = 0;
	uint64_t lim = phys_bits >= 64 ? TOP : 1ULL << phys_bits;

	memcpy(s, lr, nr_lr * sizeof(s[0]));
	qsort(s, nr_lr, sizeof(s[0]), cmp_lrange);
	for (i = 0; i < nr_lr; i++)
		if (phys_bits < 64 && s[i].end > lim)	/* H1 */
			conf(c, &n, MEMLAYOUT_HOST_CPU_WIDTH, &s[i], MEMLAYOUT_NO_DEVICE,
			     lim, TOP, MEMLAYOUT_RESV_NONE, 0);
	for (k = 0; k < nd; k++) {
		if (!f[k].iommu)
			continue;
		for (i = 0; f[k].aperture && i < nr_lr; i++) {	/* H2 */
			if (s[i].list != L_RAM && s[i].list != L_VTL2)
				continue;
			if (s[i].start < f[k].ap_start || s[i].end - 1 > f[k].ap_last)
				conf(c, &n, MEMLAYOUT_HOST_APERTURE, &s[i], k, f[k].ap_start,
				     f[k].ap_last, MEMLAYOUT_RESV_NONE, 0);
		}
		for (j = 0; j < f[k].nr_resv; j++) {		/* H3 */
			const struct region *r = &f[k].resv[j];

			for (i = 0; i < nr_lr; i++)
				if ((s[i].list == L_RAM || s[i].list == L_VTL2) &&
				    s[i].start <= r->last && s[i].end - 1 >= r->start)
					conf(c, &n, MEMLAYOUT_HOST_RESERVED, &s[i], k, r->start,
					     r->last, r->type, r->flags);
		}
	}
	return n;
}

static void show(const char *who, const struct memlayout_host_conflict *c)
{
	diag("%s: rule %u list %s[%u] [%#llx, %#llx) device %d host [%#llx, %#llx] type %u flags %#x phys_bits %u reserved %u",
	     who, c->rule, listname(c->list), c->index, (unsigned long long)c->start,
	     (unsigned long long)c->end, (int)c->device, (unsigned long long)c->host_start,
	     (unsigned long long)c->host_last, c->host_type, c->host_flags, c->phys_bits,
	     c->reserved);
}

/* The module's device record against the facts of sysfs. */
static bool dev_ok(const struct memlayout_host_device *d, const struct devfacts *f,
		   const char *who)
{
	bool ok = true;

	ok &= eq64("flags & IOMMU", d->flags & MEMLAYOUT_DEVICE_IOMMU,
		   f->iommu ? MEMLAYOUT_DEVICE_IOMMU : 0);
	ok &= eq64("iommu_group", d->iommu_group, f->group);
	ok &= eq64("nr_resv", d->nr_resv, f->nr_resv);
	ok &= eq64("reserved", d->reserved, 0);
	if (!f->iommu)
		ok &= eq64("domain_type", d->domain_type, MEMLAYOUT_DOMAIN_NONE);
	if (f->iommu && f->aperture) {
		ok &= eq64("flags & APERTURE", d->flags & MEMLAYOUT_DEVICE_APERTURE,
			   MEMLAYOUT_DEVICE_APERTURE);
		ok &= eq64("aperture_start", d->aperture_start, f->ap_start);
		ok &= eq64("aperture_last", d->aperture_last, f->ap_last);
	}
	if (!(d->flags & MEMLAYOUT_DEVICE_APERTURE)) {
		ok &= eq64("aperture_start without APERTURE", d->aperture_start, 0);
		ok &= eq64("aperture_last without APERTURE", d->aperture_last, 0);
	}
	if (!ok)
		diag("device record of %s: flags %#x group %u domain %u nr_resv %u aperture [%#llx, %#llx]",
		     who, d->flags, d->iommu_group, d->domain_type, d->nr_resv,
		     (unsigned long long)d->aperture_start, (unsigned long long)d->aperture_last);
	return ok;
}

/*
 * CHECK_HOST on the file's layout for devices @d (their facts @f): the
 * answer must be expect()'s list exactly, each record as sysfs says.
 * Returns the number of conflicts, or -1 on a mismatch.
 */
static int check_exact(int fd, struct memlayout_host_device *d, const struct devfacts *f,
		       unsigned int nd, const char *what)
{
	static struct memlayout_host_conflict got[MAX_CONF], exp[MAX_CONF];
	struct memlayout_check_host ch;
	struct memlayout_host_device in[MAX_DEVS];
	unsigned int n, i;
	bool ok = true;
	int r;

	if (!read_layout(fd))
		return -1;
	n = expect(f, nd, exp);
	if (n > MAX_CONF) {
		diag("%s: %u conflicts expected, more than the test holds", what, n);
		return -1;
	}
	for (i = 0; i < nd; i++)
		d[i] = in_form(&d[i]);
	memcpy(in, d, nd * sizeof(*d));
	memset(got, 0xA5, sizeof(got));
	r = check_host(fd, d, nd, got, MAX_CONF, &ch);
	if (r) {
		diag("%s: CHECK_HOST failed: %s (error_device %d)", what, errname(r),
		     (int)ch.error_device);
		return -1;
	}
	ok &= eq64("phys_bits", ch.phys_bits, phys_bits);
	ok &= eq64("error_device", ch.error_device, MEMLAYOUT_NO_DEVICE);
	ok &= eq64("count", ch.count, n);
	for (i = 0; i < n && i < ch.count; i++) {
		if (memcmp(&got[i], &exp[i], sizeof(exp[i]))) {
			diag("%s: conflict %u differs", what, i);
			show("  expected", &exp[i]);
			show("  got     ", &got[i]);
			ok = false;
		}
	}
	for (i = n; i < ch.count && i < MAX_CONF; i++)
		show("  extra", &got[i]);
	for (i = ch.count; i < n; i++)
		show("  missing", &exp[i]);
	for (i = 0; i < nd; i++) {
		char who[32];

		snprintf(who, sizeof(who), "device %u", i);
		ok &= dev_ok(&d[i], &f[i], who);
		if (in[i].type == MEMLAYOUT_DEVICE_PCI) {
			ok &= eq64("PCI record's pci_bus unchanged", d[i].pci_bus, in[i].pci_bus);
			ok &= eq64("PCI record's pci_devfn unchanged", d[i].pci_devfn,
				   in[i].pci_devfn);
			ok &= eq64("PCI record: no PCI_ADDR",
				   d[i].flags & MEMLAYOUT_DEVICE_PCI_ADDR, 0);
		}
		ok &= eq64("fd unchanged", (uint32_t)d[i].fd, (uint32_t)in[i].fd);
	}
	/*
	 * The answered records, sent again as they are (out members are
	 * ignored on input: the second call of a count negotiation), give
	 * the same answer.
	 */
	if (ok && nd) {
		struct memlayout_host_conflict again[8];
		struct memlayout_check_host ch2;

		r = check_host(fd, d, nd, again, ARRAY_SIZE(again), &ch2);
		if (n > ARRAY_SIZE(again))
			ok &= eqerr("answered records again, small buffer", r, -EMSGSIZE);
		else
			ok &= eqerr("answered records again", r, 0) &&
			      !memcmp(again, got, n * sizeof(*got));
		ok &= eq64("answered records again: count", ch2.count, n);
	}
	if (!ok) {
		diag("%s: layout of %u ranges, phys_bits %u, %u devices", what, nr_lr,
		     phys_bits, nd);
		return -1;
	}
	return (int)n;
}

/* Every PCI device, named by address, with their facts. */
static unsigned int all_pci(struct memlayout_host_device *d, struct devfacts *f)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++) {
		d[i] = pci_dev(&devs[i]);
		f[i] = pci_facts(&devs[i]);
	}
	return nr_devs;
}

static int set_ranges(int fd, const mr_t *ram, uint32_t nr_ram, const mr_t *mmio,
		      uint32_t nr_mmio)
{
	struct lay l = { .source = MEMLAYOUT_SOURCE_RANGES, .ram = ram, .nr_ram = nr_ram,
			 .mmio = mmio, .nr_mmio = nr_mmio };

	return set_lay(fd, &l, NULL);
}

#define ALIGN_DOWN(a)	((a) & ~(PG - 1))
#define ALIGN_UP(a)	(((a) + PG - 1) & ~(PG - 1))

/* ------------------------------------------------------------------ */
/* The machine                                                          */
/* ------------------------------------------------------------------ */

/*
 * The machine is the one vmtest.sh booted: with MLHOST_EXPECT=iommu a
 * 40-bit CPU, every PCI device in an IOMMU group behind a 39-bit DMAR
 * and one device bound to vfio-pci; with MLHOST_EXPECT=none no group.
 */
TEST(machine)
{
	unsigned int i, grouped = 0;

	ASSERT_TRUE(facts());
	for (i = 0; i < nr_devs; i++) {
		grouped += devs[i].group >= 0;
		note("%s group %d (%s) driver %s, %u reserved regions", devs[i].bdf,
		     devs[i].group, devs[i].gtype, devs[i].driver[0] ? devs[i].driver : "-",
		     devs[i].nr_resv);
	}
	note("address sizes: %u bits physical", phys_bits);
	CHECK(nr_devs > 0, "some PCI device");
	if (!machine_env)
		SKIP(return, "MLHOST_EXPECT not set: no machine to compare with");
	if (!strcmp(machine_env, "iommu")) {
		CHECK(phys_bits == 40, "-cpu max,phys-bits=40: %u bits", phys_bits);
		CHECK(grouped == nr_devs, "every device in a group: %u of %u", grouped, nr_devs);
		CHECK(!!vfio_bound(), "a device bound to vfio-pci");
		for (i = 0; i < nr_devs; i++)
			CHECK(dmar_width(devs[i].bdf) == 39, "%s: aw-bits=39: DMAR width %u",
			      devs[i].bdf, dmar_width(devs[i].bdf));
	} else {
		CHECK(!strcmp(machine_env, "none"), "MLHOST_EXPECT=%s", machine_env);
		CHECK(grouped == 0, "no IOMMU: %u devices in groups", grouped);
	}
}

/* GET_INFO announces the command and its device limit. */
TEST(get_info)
{
	struct memlayout_info in = { .size = sizeof(in) };
	int fd = open_dev();

	ASSERT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in));
	CHECK(in.commands & (1ULL << _IOC_NR(MEMLAYOUT_IOC_CHECK_HOST)),
	      "commands has CHECK_HOST: %#llx", (unsigned long long)in.commands);
	CHECK(in.max_devices >= 1, "max_devices %u", in.max_devices);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* H1                                                                   */
/* ------------------------------------------------------------------ */

/* H1: phys_bits is /proc/cpuinfo's "address sizes", in every conflict. */
TEST(h1_phys_bits_is_cpuinfo)
{
	struct memlayout_host_conflict c[4];
	struct memlayout_check_host ch;
	struct memlayout_stats st;
	uint64_t gen;
	int fd = open_dev();
	unsigned int i;

	ASSERT_TRUE(facts());
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, GiB), R(MAXA - GiB, MAXA) }, 2, NULL, 0));
	ASSERT_EQ(0, get_stats(fd, &st));
	gen = st.generation;
	ASSERT_EQ(0, check_host(fd, NULL, 0, c, ARRAY_SIZE(c), &ch));
	EXPECT_EQ(phys_bits, ch.phys_bits);
	EXPECT_EQ(gen, ch.generation);
	EXPECT_EQ(MEMLAYOUT_NO_DEVICE, ch.error_device);
	ASSERT_EQ(1, ch.count) TH_LOG("RAM ending at 2^64 - 4096: one H1 conflict");
	for (i = 0; i < ch.count; i++)
		EXPECT_EQ(phys_bits, c[i].phys_bits);
	close(fd);
}

/*
 * H1 at its exact boundary, for RAM, each hole kind and VTL2: a range
 * ending at 2^phys_bits fits, one page more is exactly one conflict
 * (written out by hand here, not only by expect()).
 */
TEST(h1_exact_boundary)
{
	static const uint32_t kinds[] = { L_RAM, L_MMIO, L_ECAM, L_PMMIO, L_VTL2 };
	struct memlayout_host_conflict c[4];
	struct memlayout_check_host ch;
	unsigned int k, over;
	uint64_t p;
	int fd = open_dev();

	ASSERT_TRUE(facts());
	ASSERT_LT(phys_bits, 63);
	p = 1ULL << phys_bits;
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (over = 0; over < 2; over++) {
			mr_t top = R(p - GiB, p + over * PG);
			mr_t ram[2] = { R(0, GiB), top };
			struct lay l = { .source = MEMLAYOUT_SOURCE_RANGES, .ram = ram,
					 .nr_ram = 1 };

			switch (kinds[k]) {
			case L_RAM:
				l.nr_ram = 2;
				break;
			case L_MMIO:
				l.mmio = &top;
				l.nr_mmio = 1;
				break;
			case L_ECAM:
				l.ecam = &top;
				l.nr_ecam = 1;
				break;
			case L_PMMIO:
				l.pmmio = &top;
				l.nr_pmmio = 1;
				break;
			default:
				l.has_vtl2 = true;
				l.vtl2 = top;
				break;
			}
			ASSERT_EQ(0, set_lay(fd, &l, NULL));
			memset(c, 0xA5, sizeof(c));
			ASSERT_EQ(0, check_host(fd, NULL, 0, c, ARRAY_SIZE(c), &ch));
			if (!over) {
				CHECK(ch.count == 0, "%s ending at 2^%u: %u conflicts",
				      listname(kinds[k]), phys_bits, ch.count);
				continue;
			}
			ASSERT_EQ(1, ch.count) TH_LOG("%s ending 4 KiB past 2^%u",
						      listname(kinds[k]), phys_bits);
			EXPECT_EQ(MEMLAYOUT_HOST_CPU_WIDTH, c[0].rule);
			EXPECT_EQ(kinds[k], c[0].list);
			EXPECT_EQ(kinds[k] == L_RAM ? 1 : 0, c[0].index);
			EXPECT_EQ(MEMLAYOUT_NO_DEVICE, c[0].device);
			EXPECT_EQ(p - GiB, c[0].start);
			EXPECT_EQ(p + PG, c[0].end);
			EXPECT_EQ(p, c[0].host_start);
			EXPECT_EQ(TOP, c[0].host_last);
			EXPECT_EQ(MEMLAYOUT_RESV_NONE, c[0].host_type);
			EXPECT_EQ(0, c[0].host_flags);
			EXPECT_EQ(phys_bits, c[0].phys_bits);
			EXPECT_EQ(0, c[0].reserved);
		}
	}
	close(fd);
}

/*
 * H1 and H2 just above 2^39 and 2^40 (the q35 guest: a 40-bit CPU, a
 * 39-bit DMAR), and at both exactly, with every PCI device named.
 */
TEST(h1_h2_above_2_39_and_2_40)
{
	struct memlayout_host_device d[MAX_DEVS];
	struct devfacts f[MAX_DEVS];
	static const uint64_t tops[] = { 1ULL << 39, (1ULL << 39) + PG,
					 1ULL << 40, (1ULL << 40) + PG };
	unsigned int i, nd;
	int fd = open_dev(), n;

	ASSERT_TRUE(facts());
	nd = all_pci(d, f);
	for (i = 0; i < ARRAY_SIZE(tops); i++) {
		char what[64];

		/* RAM from 16 MiB: clear of the ISA group's direct region. */
		ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, GiB), R(tops[i] - GiB, tops[i]) },
					2, NULL, 0));
		snprintf(what, sizeof(what), "RAM ending at %#" PRIx64, tops[i]);
		n = check_exact(fd, d, f, nd, what);
		CHECK(n >= 0, "%s: exactly the expected conflicts", what);
		if (machine_env && !strcmp(machine_env, "iommu")) {
			/* Past 2^39: one H2 per device; past 2^40: H1 too. */
			int want = (tops[i] > (1ULL << 39) ? (int)nd : 0) +
				   (tops[i] > (1ULL << 40));

			CHECK(n == want, "%s: %d conflicts, %d expected", what, n, want);
		}
		/* A hole there: H1 only, never H2. */
		ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, GiB) }, 1,
					(mr_t[]){ R(tops[i] - GiB, tops[i]) }, 1));
		snprintf(what, sizeof(what), "MMIO ending at %#" PRIx64, tops[i]);
		n = check_exact(fd, d, f, nd, what);
		CHECK(n >= 0, "%s: exactly the expected conflicts", what);
		if (machine_env && !strcmp(machine_env, "iommu"))
			CHECK(n == (tops[i] > (1ULL << 40)), "%s: %d conflicts", what, n);
	}
	close(fd);
}

/* ------------------------------------------------------------------ */
/* H2                                                                   */
/* ------------------------------------------------------------------ */

/*
 * H2 at the aperture's exact end, for each device whose domain has one:
 * RAM (and VTL2) ending at aperture_last + 1 fits, one page more is one
 * H2 conflict naming the aperture; a hole past it is no H2 conflict.
 */
TEST(h2_aperture_boundary)
{
	struct memlayout_host_conflict c[8];
	struct memlayout_check_host ch;
	unsigned int i, h, tested = 0;
	int fd = open_dev();

	ASSERT_TRUE(facts());
	for (i = 0; i < nr_devs; i++) {
		struct memlayout_host_device d = pci_dev(&devs[i]);
		struct devfacts f = pci_facts(&devs[i]);
		uint64_t e;

		if (!f.aperture)
			continue;
		tested++;
		e = f.ap_last + 1;
		ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, GiB), R(e - GiB, e) }, 2,
					NULL, 0));
		CHECK(check_exact(fd, &d, &f, 1, "RAM ending at the aperture's end") >= 0,
		      "%s: RAM ending at %#" PRIx64, devs[i].bdf, e);
		EXPECT_EQ(MEMLAYOUT_DOMAIN_DMA, d.domain_type) TH_LOG("%s: group type %s",
								     devs[i].bdf, devs[i].gtype);
		ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, GiB), R(e - GiB, e + PG) }, 2,
					NULL, 0));
		d = pci_dev(&devs[i]);
		memset(c, 0xA5, sizeof(c));
		ASSERT_EQ(0, check_host(fd, &d, 1, c, ARRAY_SIZE(c), &ch));
		ASSERT_LE(1, ch.count);
		/* H1 first (none below 2^phys_bits), then this H2. */
		h = ch.count - 1;
		EXPECT_EQ(MEMLAYOUT_HOST_APERTURE, c[h].rule);
		EXPECT_EQ(L_RAM, c[h].list);
		EXPECT_EQ(1, c[h].index);
		EXPECT_EQ(0, c[h].device);
		EXPECT_EQ(e - GiB, c[h].start);
		EXPECT_EQ(e + PG, c[h].end);
		EXPECT_EQ(0, c[h].host_start);
		EXPECT_EQ(f.ap_last, c[h].host_last);
		EXPECT_EQ(MEMLAYOUT_RESV_NONE, c[h].host_type);
		EXPECT_EQ(ch.count, 1 + (e + PG > (1ULL << phys_bits)));
		CHECK(check_exact(fd, &d, &f, 1, "RAM one page past the aperture") >= 0,
		      "%s: RAM ending at %#" PRIx64, devs[i].bdf, (uint64_t)(e + PG));
		/* VTL2 past the aperture: H2 on the VTL2 list. */
		{
			struct lay l = { C3(R(16 * MiB, GiB)), VTL2(e, e + 2 * MiB) };

			ASSERT_EQ(0, set_lay(fd, &l, NULL));
			d = pci_dev(&devs[i]);
			CHECK(check_exact(fd, &d, &f, 1, "VTL2 past the aperture") >= 1,
			      "%s: VTL2 at %#" PRIx64 " conflicts", devs[i].bdf, e);
		}
	}
	if (!tested)
		SKIP(goto out, "no device in a DMA domain (no IOMMU in this machine)");
out:
	close(fd);
}

/*
 * H2 against what VFIO itself exposes: with the vfio-pci device's group
 * in a type1 container, the domain is VFIO's (unmanaged) and its IOVA
 * ranges (VFIO_IOMMU_GET_INFO) are the aperture minus the group's
 * reserved regions; the module's aperture is their hull, by PCI address
 * and by the group file.
 */
TEST(h2_aperture_is_vfio_iova_ranges)
{
	char path[64], buf[4096];
	struct vfio_iommu_type1_info *info = (void *)buf;
	struct vfio_info_cap_header *h;
	struct vfio_iommu_type1_info_cap_iova_range *cr = NULL;
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct memlayout_host_device d[2];
	struct devfacts f[2];
	const struct pcidev *p;
	int fd = open_dev(), gfd, cfd;
	uint32_t i, j;

	ASSERT_TRUE(facts());
	p = vfio_bound();
	if (!p)
		SKIP(goto out, "no device bound to vfio-pci (no IOMMU in this machine)");
	snprintf(path, sizeof(path), "/dev/vfio/%d", p->group);
	gfd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, gfd) TH_LOG("open %s: %s", path, strerror(errno));
	cfd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, ioctl(gfd, VFIO_GROUP_GET_STATUS, &gs));
	ASSERT_TRUE(gs.flags & VFIO_GROUP_FLAGS_VIABLE);
	ASSERT_EQ(0, ioctl(gfd, VFIO_GROUP_SET_CONTAINER, &cfd));
	ASSERT_EQ(0, ioctl(cfd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	memset(buf, 0, sizeof(buf));
	info->argsz = sizeof(buf);
	ASSERT_EQ(0, ioctl(cfd, VFIO_IOMMU_GET_INFO, info));
	ASSERT_TRUE(info->flags & VFIO_IOMMU_INFO_CAPS);
	for (i = info->cap_offset; i && i < sizeof(buf); i = h->next) {
		h = (void *)(buf + i);
		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE)
			cr = (void *)h;
	}
	ASSERT_TRUE(!!cr) TH_LOG("no IOVA range capability");
	ASSERT_LE(1, cr->nr_iovas);
	for (j = 0; j < cr->nr_iovas; j++)
		note("VFIO IOVA range %u: [%#llx, %#llx]", j,
		     (unsigned long long)cr->iova_ranges[j].start,
		     (unsigned long long)cr->iova_ranges[j].end);
	/* The gaps between the ranges are the group's reserved regions. */
	{
		struct devfacts pf = pci_facts(p);

		CHECK(pf.nr_resv == cr->nr_iovas - 1, "%u reserved regions, %u IOVA ranges",
		      pf.nr_resv, cr->nr_iovas);
		for (j = 0; j + 1 < cr->nr_iovas && j < pf.nr_resv; j++)
			CHECK(pf.resv[j].start == cr->iova_ranges[j].end + 1 &&
			      pf.resv[j].last + 1 == cr->iova_ranges[j + 1].start,
			      "gap %u is reserved region [%#" PRIx64 ", %#" PRIx64 "]", j,
			      pf.resv[j].start, pf.resv[j].last);
	}
	d[0] = pci_dev(p);
	d[1] = vfio_dev(gfd);
	f[0] = pci_facts(p);
	f[0].aperture = true;
	f[0].ap_start = cr->iova_ranges[0].start;
	f[0].ap_last = cr->iova_ranges[cr->nr_iovas - 1].end;
	f[1] = f[0];
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, GiB),
			R(f[0].ap_last + 1 - GiB, f[0].ap_last + 1 + PG) }, 2, NULL, 0));
	CHECK(check_exact(fd, d, f, 2, "RAM past VFIO's last IOVA") > 0,
	      "aperture = VFIO's IOVA hull [%#" PRIx64 ", %#" PRIx64 "]", f[0].ap_start,
	      f[0].ap_last);
	EXPECT_EQ(MEMLAYOUT_DOMAIN_UNMANAGED, d[0].domain_type);
	EXPECT_EQ(MEMLAYOUT_DOMAIN_UNMANAGED, d[1].domain_type);
	if (p->aperture)
		CHECK(p->ap_last == f[0].ap_last, "DMAR width %#" PRIx64 " = VFIO's %#" PRIx64,
		      p->ap_last, f[0].ap_last);
	/*
	 * A device file from VFIO_GROUP_GET_DEVICE_FD is an anonymous inode,
	 * no cdev's: a VFIO file without a device the module can resolve
	 * (-ENODEV) where vfio_file_is_valid() exists (6.2 on), else not
	 * recognisable as a VFIO file at all (6.1: -EINVAL).
	 */
	{
		int dfd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, p->bdf);
		int want = kernel_at_least(6, 2) ? -ENODEV : -EINVAL;
		struct memlayout_check_host ch;

		ASSERT_LE(0, dfd) TH_LOG("VFIO_GROUP_GET_DEVICE_FD %s: %s", p->bdf,
					 strerror(errno));
		d[0] = vfio_dev(dfd);
		EXPECT_EQ(want, check_host(fd, d, 1, NULL, 0, &ch))
			TH_LOG("a VFIO_GROUP_GET_DEVICE_FD file");
		EXPECT_EQ(0, ch.error_device);
		close(dfd);
	}
	ASSERT_EQ(0, ioctl(gfd, VFIO_GROUP_UNSET_CONTAINER));
	close(cfd);
	close(gfd);
out:
	close(fd);
}

/* ------------------------------------------------------------------ */
/* H3                                                                   */
/* ------------------------------------------------------------------ */

/*
 * H3 at a region's edges, page by page: RAM ending at its first page or
 * starting past its last does not touch it; RAM ending one page into it,
 * or starting at the page of its last byte, does; so does VTL2.
 */
static void h3_edges(struct __test_metadata *_metadata, int fd, const struct pcidev *p,
		     const struct devfacts *f, const struct region *r)
{
	uint64_t first = ALIGN_DOWN(r->start), past = ALIGN_UP(r->last + 1);
	struct { uint64_t s, e; bool vtl2; } t[8];
	unsigned int n = 0, k, v;

	for (v = 0; v < 2; v++) {
		if (first >= 2 * PG) {
			t[n++] = (typeof(t[0])){ first - PG, first, v };
			t[n++] = (typeof(t[0])){ first - PG, first + PG, v };
		}
		if (past + PG <= MAXA && past > PG) {
			t[n++] = (typeof(t[0])){ past, past + PG, v };
			t[n++] = (typeof(t[0])){ past - PG, past + PG, v };
		}
	}
	for (k = 0; k < n; k++) {
		struct memlayout_host_device d = pci_dev(p);
		mr_t ram = R(t[k].s, t[k].e);
		struct lay l = { .source = MEMLAYOUT_SOURCE_RANGES, .ram = &ram, .nr_ram = 1 };
		char what[96];

		if (t[k].vtl2) {
			/* VTL2 at the edge, above some RAM (R5, R7). */
			ram = t[k].s >= GiB ? (mr_t)R(16 * MiB, GiB) : (mr_t)R(0, PG);
			l.has_vtl2 = true;
			l.vtl2 = (mr_t)R(t[k].s, t[k].e);
		}
		snprintf(what, sizeof(what), "%s [%#llx, %#llx) at the edge of %s", t[k].vtl2 ?
			 "VTL2" : "RAM", (unsigned long long)t[k].s, (unsigned long long)t[k].e,
			 r->name);
		ASSERT_EQ(0, set_lay(fd, &l, NULL)) TH_LOG("%s", what);
		CHECK(check_exact(fd, &d, f, 1, what) >= 0, "%s: %s", p->bdf, what);
	}
}

/*
 * H3: for each device in a group and each of the group's reserved
 * regions (sysfs), RAM crossing the region (one page on each side) gets
 * exactly the regions it overlaps, with their types and relaxable flags;
 * the device record names the group and its number of regions.
 */
TEST(h3_each_reserved_region)
{
	unsigned int i, j, tested = 0;
	int fd = open_dev();

	ASSERT_TRUE(facts());
	for (i = 0; i < nr_devs; i++) {
		struct memlayout_host_device d = pci_dev(&devs[i]);
		struct devfacts f = pci_facts(&devs[i]);

		for (j = 0; j < f.nr_resv; j++) {
			const struct region *r = &f.resv[j];
			uint64_t lo = ALIGN_DOWN(r->start), hi = ALIGN_UP(r->last + 1);
			struct memlayout_host_conflict c[16];
			struct memlayout_check_host ch;
			unsigned int k, hits = 0;

			lo = lo >= PG ? lo - PG : lo;
			hi = hi < MAXA ? hi + PG : hi;
			ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(lo, hi) }, 1, NULL, 0));
			d = pci_dev(&devs[i]);
			tested++;
			CHECK(check_exact(fd, &d, &f, 1, "RAM crossing a reserved region") >= 1,
			      "%s: RAM [%#" PRIx64 ", %#" PRIx64 ") across %s [%#" PRIx64 ", %#"
			      PRIx64 "]", devs[i].bdf, lo, hi, r->name, r->start, r->last);
			/* By hand: this region is among the findings, once. */
			d = pci_dev(&devs[i]);
			ASSERT_EQ(0, check_host(fd, &d, 1, c, ARRAY_SIZE(c), &ch));
			for (k = 0; k < ch.count && k < ARRAY_SIZE(c); k++)
				hits += c[k].rule == MEMLAYOUT_HOST_RESERVED &&
					c[k].host_start == r->start && c[k].host_last == r->last &&
					c[k].host_type == r->type && c[k].host_flags == r->flags;
			CHECK(hits == 1, "%s: region %s found %u times", devs[i].bdf, r->name,
			      hits);
			h3_edges(_metadata, fd, &devs[i], &f, r);
		}
	}
	if (!tested)
		SKIP(goto out, "no IOMMU group with reserved regions in this machine");
out:
	close(fd);
}

/*
 * H3 at the x86 MSI window: RAM crossing 0xfee00000 conflicts for every
 * device in a group, RAM ending at 0xfee00000 or starting at 0xfef00000
 * does not.
 */
TEST(h3_msi_window)
{
	struct memlayout_host_device d[MAX_DEVS];
	struct devfacts f[MAX_DEVS];
	unsigned int nd, i, msi = 0;
	int fd = open_dev(), n;

	ASSERT_TRUE(facts());
	nd = all_pci(d, f);
	for (i = 0; i < nd; i++) {
		const struct region *r = &f[i].resv[f[i].nr_resv ? f[i].nr_resv - 1 : 0];

		msi += f[i].iommu && f[i].nr_resv && r->start == 0xfee00000 &&
		       r->last == 0xfeefffff && r->type == MEMLAYOUT_RESV_MSI;
	}
	if (machine_env && !strcmp(machine_env, "iommu"))
		CHECK(msi == nd, "every group has the MSI window: %u of %u", msi, nd);

	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(3 * GiB, 0xfee00000 + PG) }, 1, NULL, 0));
	n = check_exact(fd, d, f, nd, "RAM crossing 0xfee00000");
	CHECK(n == (int)msi, "RAM crossing 0xfee00000: %d conflicts, %u devices with the window",
	      n, msi);
	nd = all_pci(d, f);
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(3 * GiB, 0xfee00000) }, 1, NULL, 0));
	n = check_exact(fd, d, f, nd, "RAM ending at 0xfee00000");
	CHECK(n == 0, "RAM ending at 0xfee00000: %d conflicts", n);
	nd = all_pci(d, f);
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, 0xfee00000), R(0xfef00000, 8 * GiB) },
				2, NULL, 0));
	n = check_exact(fd, d, f, nd, "RAM around the MSI window");
	CHECK(n == 0, "RAM up to and from the MSI window: %d conflicts", n);
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Fits, examples, devices without an IOMMU                             */
/* ------------------------------------------------------------------ */

/* A layout that fits: count 0 with no conflict buffer at all. */
TEST(fits_count_zero)
{
	struct memlayout_host_device d[MAX_DEVS];
	struct devfacts f[MAX_DEVS];
	struct memlayout_check_host ch;
	unsigned int nd;
	int fd = open_dev();

	ASSERT_TRUE(facts());
	nd = all_pci(d, f);
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(16 * MiB, 3 * GiB), R(4 * GiB, 6 * GiB) }, 2,
				(mr_t[]){ R(3 * GiB, 4 * GiB) }, 1));
	ASSERT_EQ(0, check_exact(fd, d, f, nd, "a layout that fits"));
	nd = all_pci(d, f);
	EXPECT_EQ(0, check_host(fd, d, nd, NULL, 0, &ch));
	EXPECT_EQ(0, ch.count);
	EXPECT_EQ(phys_bits, ch.phys_bits);
	close(fd);
}

static void print_conflicts(int fd, struct memlayout_host_device *d, unsigned int nd,
			    const char *what)
{
	static struct memlayout_host_conflict c[MAX_CONF];
	struct memlayout_check_host ch;
	unsigned int i;

	if (check_host(fd, d, nd, c, MAX_CONF, &ch))
		return;
	note("%s: %u conflicts (phys_bits %u)", what, ch.count, ch.phys_bits);
	for (i = 0; i < ch.count && i < MAX_CONF; i++)
		note("  H%u %s[%u] [%#llx, %#llx) %s%s host [%#llx, %#llx] type %u%s", c[i].rule,
		     listname(c[i].list), c[i].index, (unsigned long long)c[i].start,
		     (unsigned long long)c[i].end,
		     c[i].device == MEMLAYOUT_NO_DEVICE ? "" : "device ",
		     c[i].device == MEMLAYOUT_NO_DEVICE ? "" : d[c[i].device].type ==
		     MEMLAYOUT_DEVICE_PCI ? devs[c[i].device].bdf : "(vfio)",
		     (unsigned long long)c[i].host_start, (unsigned long long)c[i].host_last,
		     c[i].host_type,
		     c[i].host_flags & MEMLAYOUT_HOST_RELAXABLE ? " relaxable" : "");
}

/*
 * The README's examples (tests/vm/demo.sh): the 1 TiB guest with VTL2
 * and the 6 GiB two-node guest, every PCI device named; the answer is
 * expect()'s, and printed for the record.
 */
TEST(demo_layouts)
{
	struct memlayout_host_device d[MAX_DEVS];
	struct devfacts f[MAX_DEVS];
	struct lay big = { C1(TiB), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
			   VTL2(0x10100000000ULL, 0x10140000000ULL) };
	struct lay two = { C2(3 * GiB, 3 * GiB), ECAM(R(2 * GiB, 0x90000000)),
			   PMMIO(R(0xe0000000, 4 * GiB)) };
	unsigned int nd;
	int fd = open_dev(), n;

	ASSERT_TRUE(facts());
	nd = all_pci(d, f);
	ASSERT_EQ(0, set_lay(fd, &big, NULL));
	n = check_exact(fd, d, f, nd, "1 TiB example");
	CHECK(n >= 0, "1 TiB example: %d conflicts as expected", n);
	nd = all_pci(d, f);
	print_conflicts(fd, d, nd,
			"1 TiB, MMIO [1G, 2G) [3G, 4G), VTL2 [0x10100000000, 0x10140000000)");
	ASSERT_EQ(0, set_lay(fd, &two, NULL));
	nd = all_pci(d, f);
	n = check_exact(fd, d, f, nd, "6 GiB two-node example");
	CHECK(n >= 0, "6 GiB two-node example: %d conflicts as expected", n);
	nd = all_pci(d, f);
	print_conflicts(fd, d, nd,
			"2 x 3 GiB nodes, ECAM [2G, 0x90000000), PCI MMIO [0xe0000000, 4G)");
	close(fd);
}

/*
 * Devices without an IOMMU (SPEC H1-H3: reported, not a conflict): no
 * IOMMU flag, group 0, no regions, and RAM over 0-16 MiB, the MSI window
 * and past 2^39 gives H1 conflicts only.
 */
TEST(devices_without_iommu)
{
	struct memlayout_host_device d[MAX_DEVS];
	struct devfacts f[MAX_DEVS];
	unsigned int i, nd = 0;
	int fd = open_dev(), n;

	ASSERT_TRUE(facts());
	for (i = 0; i < nr_devs; i++) {
		if (devs[i].group >= 0)
			continue;
		d[nd] = pci_dev(&devs[i]);
		f[nd++] = pci_facts(&devs[i]);
	}
	if (!nd)
		SKIP(goto out, "every PCI device is in an IOMMU group in this machine");
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, 0xfef00000), R(4 * GiB, (1ULL << 41)) }, 2,
				NULL, 0));
	n = check_exact(fd, d, f, nd, "devices without an IOMMU");
	CHECK(n == (phys_bits < 41), "only H1: %d conflicts", n);
	for (i = 0; i < nd; i++)
		EXPECT_EQ(0, d[i].flags & (MEMLAYOUT_DEVICE_IOMMU | MEMLAYOUT_DEVICE_APERTURE));
out:
	close(fd);
}

/* ------------------------------------------------------------------ */
/* VFIO files                                                           */
/* ------------------------------------------------------------------ */

/*
 * The vfio-pci device by its group file (/dev/vfio/N): the same record
 * and findings as by its PCI address, and the address written back with
 * MEMLAYOUT_DEVICE_PCI_ADDR.
 */
TEST(vfio_group_file)
{
	struct memlayout_host_device d[2];
	struct devfacts f[2];
	const struct pcidev *p;
	char path[64];
	int fd = open_dev(), gfd, n;

	ASSERT_TRUE(facts());
	p = vfio_bound();
	if (!p)
		SKIP(goto out, "no device bound to vfio-pci (no IOMMU in this machine)");
	snprintf(path, sizeof(path), "/dev/vfio/%d", p->group);
	gfd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, gfd) TH_LOG("open %s: %s", path, strerror(errno));
	d[0] = vfio_dev(gfd);
	d[1] = pci_dev(p);
	f[0] = pci_facts(p);
	f[1] = f[0];
	/* The 1 TiB example: H1, H2 past 2^39 and nothing over the MSI window. */
	ASSERT_EQ(0, set_lay(fd, &(struct lay){ C1(TiB),
				MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
				VTL2(0x10100000000ULL, 0x10140000000ULL) }, NULL));
	n = check_exact(fd, d, f, 2, "1 TiB by group file and by address");
	CHECK(n > 0, "%d conflicts", n);
	EXPECT_EQ(MEMLAYOUT_DEVICE_PCI_ADDR, d[0].flags & MEMLAYOUT_DEVICE_PCI_ADDR);
	EXPECT_EQ(p->seg, d[0].pci_segment);
	EXPECT_EQ(p->bus, d[0].pci_bus);
	EXPECT_EQ(p->devfn, d[0].pci_devfn);
	EXPECT_EQ(d[1].flags, d[0].flags & ~MEMLAYOUT_DEVICE_PCI_ADDR);
	EXPECT_EQ(d[1].domain_type, d[0].domain_type);
	/* RAM over every region of the group. */
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, 8 * GiB) }, 1, NULL, 0));
	d[0] = vfio_dev(gfd);
	d[1] = pci_dev(p);
	n = check_exact(fd, d, f, 2, "RAM [0, 8 GiB) by group file and by address");
	CHECK(n == 2 * (int)p->nr_resv, "%d conflicts, %u regions per device", n, p->nr_resv);
	close(gfd);
out:
	close(fd);
}

/*
 * By the VFIO device file (/dev/vfio/devices/vfioX), where the kernel has
 * it (CONFIG_VFIO_DEVICE_CDEV, with iommufd): the same as by address.
 */
TEST(vfio_device_file)
{
	struct memlayout_host_device d[2];
	struct devfacts f[2];
	const struct pcidev *p;
	char path[128], name[32] = "";
	struct dirent *e;
	DIR *dir;
	int fd = open_dev(), dfd, n;

	ASSERT_TRUE(facts());
	p = vfio_bound();
	if (!p)
		SKIP(goto out, "no device bound to vfio-pci (no IOMMU in this machine)");
	/* 6.12 registers "vfioN" under vfio-dev without the cdev, too. */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", p->bdf);
	dir = opendir(path);
	if (!dir || access("/dev/vfio/devices", F_OK)) {
		if (dir)
			closedir(dir);
		SKIP(goto out, "no /dev/vfio/devices: this kernel lacks CONFIG_VFIO_DEVICE_CDEV");
	}
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "vfio", 4))
			snprintf(name, sizeof(name), "%.31s", e->d_name);
	closedir(dir);
	ASSERT_NE(0, name[0]);
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", name);
	dfd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dfd) TH_LOG("open %s: %s", path, strerror(errno));
	d[0] = vfio_dev(dfd);
	d[1] = pci_dev(p);
	f[0] = pci_facts(p);
	f[1] = f[0];
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, 8 * GiB) }, 1, NULL, 0));
	n = check_exact(fd, d, f, 2, "RAM [0, 8 GiB) by device file and by address");
	CHECK(n >= 0, "%d conflicts", n);
	EXPECT_EQ(MEMLAYOUT_DEVICE_PCI_ADDR, d[0].flags & MEMLAYOUT_DEVICE_PCI_ADDR);
	EXPECT_EQ(p->bus, d[0].pci_bus);
	EXPECT_EQ(p->devfn, d[0].pci_devfn);
	close(dfd);
out:
	close(fd);
}

/* ------------------------------------------------------------------ */
/* Hostile arguments                                                    */
/* ------------------------------------------------------------------ */

/*
 * A device that cannot be resolved fails the whole call with its errno
 * and error_device = its index (here 1, after a good one); no conflict
 * is written and the layout is unchanged.
 */
static bool bad_device(int fd, struct memlayout_host_device bad, int err, const char *what)
{
	struct memlayout_host_device d[3];
	struct memlayout_host_conflict c[4];
	struct memlayout_check_host ch;
	struct snap before;
	bool ok = true;
	int r;

	take_snap(fd, &before);
	d[0] = devs[0].bdf[0] ? pci_dev(&devs[0]) : bad;
	d[1] = bad;
	d[2] = d[0];
	memset(c, 0xA5, sizeof(c));
	r = check_host(fd, d, 3, c, ARRAY_SIZE(c), &ch);
	ok &= eqerr(what, r, err);
	ok &= eq64("error_device", ch.error_device, 1);
	ok &= eq64("conflict buffer untouched", c[0].rule, 0xA5A5A5A5);
	ok &= snap_same(fd, &before);
	if (!ok)
		diag("%s failed", what);
	return ok;
}

TEST(hostile_devices)
{
	struct memlayout_host_device b;
	int fd = open_dev(), nfd = open("/dev/null", O_RDWR | O_CLOEXEC), cfd;

	ASSERT_TRUE(facts());
	ASSERT_LT(0, nr_devs);
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, 8 * GiB) }, 1, NULL, 0));
	EXPECT_TRUE(bad_device(fd, vfio_dev(-1), -EBADF, "fd -1"));
	EXPECT_TRUE(bad_device(fd, vfio_dev(1000), -EBADF, "fd 1000, not open"));
	EXPECT_TRUE(bad_device(fd, vfio_dev(nfd), -EINVAL, "/dev/null as a VFIO file"));
	EXPECT_TRUE(bad_device(fd, vfio_dev(fd), -EINVAL, "/dev/memlayout as a VFIO file"));
	cfd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (cfd >= 0) {
		/* The container is neither a group nor a device file. */
		int r;
		struct memlayout_host_device d = vfio_dev(cfd);
		struct memlayout_check_host ch;

		r = check_host(fd, &d, 1, NULL, 0, &ch);
		CHECK(r == -EINVAL, "VFIO container: %s", errname(r));
		EXPECT_EQ(0, ch.error_device);
		close(cfd);
	}
	b = pci_dev(&devs[0]);
	b.pci_bus = 0xfe;
	b.pci_devfn = 0xff;
	EXPECT_TRUE(bad_device(fd, b, -ENODEV, "no PCI device at 0000:fe:1f.7"));
	b = pci_dev(&devs[0]);
	b.pci_segment = 0x7777;
	EXPECT_TRUE(bad_device(fd, b, -ENODEV, "no PCI segment 0x7777"));
	b = pci_dev(&devs[0]);
	b.fd = 3;
	EXPECT_TRUE(bad_device(fd, b, -EINVAL, "PCI record with fd set"));
	b = pci_dev(&devs[0]);
	b.flags = MEMLAYOUT_DEVICE_IOMMU | 0x80;
	{
		/* flags is an out member: ignored on input, then written. */
		struct memlayout_check_host ch;
		int r = check_host(fd, &b, 1, NULL, 0, &ch);

		CHECK(r == 0 || r == -EMSGSIZE, "flags set on input: %s", errname(r));
		EXPECT_EQ(MEMLAYOUT_NO_DEVICE, ch.error_device);
		EXPECT_EQ(0, b.flags & 0x80);
	}
	b = pci_dev(&devs[0]);
	b.reserved = 1;
	EXPECT_TRUE(bad_device(fd, b, -EINVAL, "reserved set"));
	b = pci_dev(&devs[0]);
	b.type = 7;
	EXPECT_TRUE(bad_device(fd, b, -EOPNOTSUPP, "unknown type 7"));
	b = pci_dev(&devs[0]);
	b.type = 0;
	EXPECT_TRUE(bad_device(fd, b, -EOPNOTSUPP, "type 0"));
	b = vfio_dev(nfd);
	b.pci_bus = 1;	/* an out member for VFIO: ignored on input */
	EXPECT_TRUE(bad_device(fd, b, -EINVAL, "/dev/null, with a PCI address, as a VFIO file"));
	close(nfd);
	close(fd);
}

/* The command's own members, no layout, too many devices. */
TEST(hostile_command)
{
	struct memlayout_info in = { .size = sizeof(in) };
	struct memlayout_host_device d[MAX_DEVS * 4];
	struct memlayout_check_host ch;
	unsigned int i;
	int fd = open_dev(), r;

	ASSERT_TRUE(facts());
	ASSERT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in));
	EXPECT_EQ(-ENOENT, check_host(fd, NULL, 0, NULL, 0, &ch)) TH_LOG("no layout yet");
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, 8 * GiB) }, 1, NULL, 0));

	memset(&ch, 0, sizeof(ch));
	ch.size = sizeof(ch);
	ch.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch)) TH_LOG("flags 1");
	memset(&ch, 0, sizeof(ch));
	ch.size = sizeof(ch);
	ch.nr_devices = 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch)) TH_LOG("devices_ptr 0");
	memset(&ch, 0, sizeof(ch));
	ch.size = sizeof(ch);
	ch.devices_ptr = U64P(d);
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch))
		TH_LOG("devices_ptr, 0 devices");
	memset(&ch, 0, sizeof(ch));
	ch.size = sizeof(ch);
	ch.conflicts_ptr = U64P(d);
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch))
		TH_LOG("conflicts_ptr, count 0");
	memset(&ch, 0, sizeof(ch));
	ch.size = sizeof(ch);
	ch.count = 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch)) TH_LOG("count 1, no buffer");
	memset(&ch, 0, sizeof(ch));
	ch.size = MEMLAYOUT_CHECK_HOST_SIZE_VER0 - 8;
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch)) TH_LOG("size < VER0");
	memset(&ch, 0, sizeof(ch));
	ch.size = sizeof(ch);
	ch.nr_devices = 1;
	setup_pages();
	ch.devices_ptr = U64P(PAGE_NONE);
	EXPECT_EQ(-EFAULT, xioctl(fd, MEMLAYOUT_IOC_CHECK_HOST, &ch)) TH_LOG("devices unreadable");

	/* nr_devices: max_devices is accepted, one more is -E2BIG. */
	if (in.max_devices && in.max_devices < ARRAY_SIZE(d)) {
		for (i = 0; i <= in.max_devices; i++)
			d[i] = pci_dev(&devs[i % nr_devs]);
		r = check_host(fd, d, in.max_devices, NULL, 0, &ch);
		CHECK(r == 0 || r == -EMSGSIZE, "max_devices (%u) devices: %s", in.max_devices,
		      errname(r));
		for (i = 0; i <= in.max_devices; i++)
			d[i] = pci_dev(&devs[i % nr_devs]);
		EXPECT_EQ(-E2BIG, check_host(fd, d, in.max_devices + 1, NULL, 0, &ch));
	} else {
		CHECK(0, "max_devices %u", in.max_devices);
	}
	close(fd);
}

/*
 * Count negotiation as GET_RANGES: too small a buffer gives -EMSGSIZE with
 * the count needed, no conflict written, the device records written;
 * then exactly that count succeeds and a larger buffer keeps its tail.
 */
TEST(count_negotiation)
{
	struct memlayout_host_device d[MAX_DEVS];
	struct devfacts f[MAX_DEVS];
	struct memlayout_host_conflict c[MAX_CONF], c2[MAX_CONF];
	struct memlayout_check_host ch;
	uint32_t need;
	unsigned int nd;
	int fd = open_dev(), n;

	ASSERT_TRUE(facts());
	nd = all_pci(d, f);
	/* H1 at least twice, whatever the machine. */
	ASSERT_EQ(0, set_ranges(fd, (mr_t[]){ R(0, 0xfef00000), R(4 * GiB, 1ULL << 45) }, 2,
				(mr_t[]){ R((1ULL << 45) + GiB, (1ULL << 46)) }, 1));
	n = check_exact(fd, d, f, nd, "negotiation layout");
	ASSERT_LE(2, n);
	nd = all_pci(d, f);
	EXPECT_EQ(-EMSGSIZE, check_host(fd, d, nd, NULL, 0, &ch));
	EXPECT_EQ((uint32_t)n, ch.count);
	EXPECT_EQ(MEMLAYOUT_NO_DEVICE, ch.error_device);
	EXPECT_EQ(phys_bits, ch.phys_bits);
	CHECK(dev_ok(&d[0], &f[0], "first device after -EMSGSIZE"),
	      "device records written back on -EMSGSIZE");
	need = ch.count;
	memset(c, 0xA5, sizeof(c));
	nd = all_pci(d, f);
	EXPECT_EQ(-EMSGSIZE, check_host(fd, d, nd, c, need - 1, &ch));
	EXPECT_EQ(need, ch.count);
	EXPECT_EQ(0xA5A5A5A5, c[0].rule) TH_LOG("nothing written on -EMSGSIZE");
	memset(c, 0xA5, sizeof(c));
	nd = all_pci(d, f);
	EXPECT_EQ(0, check_host(fd, d, nd, c, need, &ch));
	EXPECT_EQ(need, ch.count);
	memset(c2, 0xA5, sizeof(c2));
	nd = all_pci(d, f);
	EXPECT_EQ(0, check_host(fd, d, nd, c2, need + 3, &ch));
	EXPECT_EQ(need, ch.count);
	EXPECT_EQ(0, memcmp(c, c2, need * sizeof(c[0])));
	EXPECT_EQ(0xA5A5A5A5, c2[need].rule) TH_LOG("the tail past count untouched");
	close(fd);
}

TEST_HARNESS_MAIN
