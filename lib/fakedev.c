// SPDX-License-Identifier: GPL-2.0
/*
 * fakedev: an LD_PRELOAD library (a test tool, never installed) that
 * answers the ioctls on /dev/memlayout with libmemlayout's offline engine,
 * so that lib/check.sh can run memlayoutctl through tests/vm/cli_test.sh
 * on a host with no module: the CLI's exact output, and the offline
 * engine's errnos and reasons, against the expectations written for the
 * real device. Each open() of /dev/memlayout gets a fresh offline handle
 * whose max_ranges is read from the file $FAKEDEV_PARAM (default 4096).
 * Only what memlayoutctl and the Rust crate call is covered: open(),
 * open64(), ioctl().
 *
 * CHECK_HOST: the offline engine's (H1 from this machine, every device
 * -ENODEV), unless $FAKEDEV_HOST describes PCI devices, for the tests of
 * what the callers print for devices, H2 and H3 (which no host without an
 * IOMMU can show). Its format, devices separated by ';':
 *
 *   BDF GROUP DOMAIN APERTURE_START APERTURE_LAST NR [START LAST TYPE FLAGS]...
 *
 * numbers in C syntax; GROUP -1: no IOMMU (nothing else follows);
 * APERTURE_LAST 0: no aperture (H2 not checked); NR reserved regions,
 * sorted by start. The conflicts are then computed here, by a model of
 * SPEC H2/H3 written apart from memlayout_host.c: H1 from the engine, then
 * device by device the RAM runs and VTL2 outside the aperture, then region
 * by region those overlapping it.
 *
 * CHECK_KVM: the offline engine's, which cannot see a VM either: the
 * command's checks, -ENOENT without a layout, -EBADF for a vm_fd that is
 * not open, and then -ENOPKG, as a kernel without KVM answers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libmemlayout.h>

static int fake_fd = -1;
static struct memlayout_handle *fake;
/*
 * One ioctl at a time: the offline handle is not thread-safe, the device
 * is, and the tests race SET_LAYOUT against the readers (CHECK_HOST's
 * count negotiation) on one file.
 */
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;

static int fake_ioctl(unsigned long req, void *arg);

#define FAKE_MAX_RESV	16

/* One device of $FAKEDEV_HOST. */
struct fake_dev {
	struct memlayout_host_device d;
	uint32_t nr;
	struct { uint64_t start, last; uint32_t type, flags; } resv[FAKE_MAX_RESV];
};

/* Parse the device of $FAKEDEV_HOST at @s; 0 or -1. */
static int fake_parse_dev(const char *s, struct fake_dev *f)
{
	char bdf[16], *e;
	long group;
	uint32_t i;
	int n;

	memset(f, 0, sizeof(*f));
	if (sscanf(s, " %15s%n", bdf, &n) != 1 || memlayout_pci_device(bdf, &f->d))
		return -1;
	s += n;
	group = strtol(s, &e, 0);
	if (e == s)
		return -1;
	if (group < 0)
		return 0;
	f->d.flags = MEMLAYOUT_DEVICE_IOMMU;
	f->d.iommu_group = (uint32_t)group;
	s = e;
	f->d.domain_type = (uint32_t)strtoul(s, &e, 0);
	s = e;
	f->d.aperture_start = strtoull(s, &e, 0);
	s = e;
	f->d.aperture_last = strtoull(s, &e, 0);
	s = e;
	if (f->d.aperture_last)
		f->d.flags |= MEMLAYOUT_DEVICE_APERTURE;
	else
		f->d.aperture_start = 0;
	f->nr = (uint32_t)strtoul(s, &e, 0);
	if (e == s || f->nr > FAKE_MAX_RESV)
		return -1;
	s = e;
	for (i = 0; i < f->nr; i++) {
		f->resv[i].start = strtoull(s, &e, 0);
		s = e;
		f->resv[i].last = strtoull(s, &e, 0);
		s = e;
		f->resv[i].type = (uint32_t)strtoul(s, &e, 0);
		s = e;
		f->resv[i].flags = (uint32_t)strtoul(s, &e, 0);
		if (e == s)
			return -1;
		s = e;
	}
	f->d.nr_resv = f->nr;
	return 0;
}

/* The device of $FAKEDEV_HOST @d names, or -ENODEV (-EINVAL: bad spec). */
static int fake_find_dev(const char *spec, const struct memlayout_host_device *d,
			 struct fake_dev *f)
{
	const char *s = spec;

	while (*s) {
		if (fake_parse_dev(s, f))
			return -EINVAL;
		if (d->type == MEMLAYOUT_DEVICE_PCI &&
		    f->d.pci_segment == d->pci_segment && f->d.pci_bus == d->pci_bus &&
		    f->d.pci_devfn == d->pci_devfn)
			return 0;
		s = strchr(s, ';');
		if (!s)
			break;
		s++;
	}
	return -ENODEV;
}

/* Conflicts computed here: a growable array. */
struct fake_out {
	struct memlayout_host_conflict *c;
	uint32_t nr, cap;
};

static int fake_emit(struct fake_out *o, const struct memlayout_host_conflict *c)
{
	if (o->nr == o->cap) {
		uint32_t cap = o->cap ? o->cap * 2 : 16;
		void *p = realloc(o->c, cap * sizeof(*o->c));

		if (!p)
			return -ENOMEM;
		o->c = p;
		o->cap = cap;
	}
	o->c[o->nr++] = *c;
	return 0;
}

/*
 * Every RAM range and VTL2 of @snap for which @hit(start, last) holds, in
 * address order (VTL2 is above all RAM, R7), as conflicts like @t.
 */
static int fake_walk(const struct memlayout_snapshot *snap, struct fake_out *o,
		     struct memlayout_host_conflict t,
		     int (*hit)(uint64_t, uint64_t, uint64_t, uint64_t),
		     uint64_t a, uint64_t b)
{
	uint32_t i, idx = 0;
	int ret = 0;

	for (i = 0; !ret && i < snap->nr; i++) {
		const struct memlayout_map_entry *e = &snap->entries[i];

		if (e->kind != MEMLAYOUT_KIND_RAM)
			continue;
		if (hit(e->start, e->end - 1, a, b)) {
			t.list = MEMLAYOUT_LIST_RAM;
			t.index = idx;
			t.start = e->start;
			t.end = e->end;
			ret = fake_emit(o, &t);
		}
		idx++;
	}
	if (!ret && (snap->stats.present & MEMLAYOUT_STATS_VTL2) &&
	    hit(snap->stats.vtl2_start, snap->stats.vtl2_end - 1, a, b)) {
		t.list = MEMLAYOUT_LIST_VTL2;
		t.index = 0;
		t.start = snap->stats.vtl2_start;
		t.end = snap->stats.vtl2_end;
		ret = fake_emit(o, &t);
	}
	return ret;
}

static int fake_outside(uint64_t s, uint64_t l, uint64_t a, uint64_t b)
{
	return s < a || l > b;
}

static int fake_overlaps(uint64_t s, uint64_t l, uint64_t a, uint64_t b)
{
	return s <= b && l >= a;
}

/* CHECK_HOST with $FAKEDEV_HOST's devices (see the top of this file). */
static int fake_check_host(struct memlayout_check_host *c, const char *spec)
{
	struct memlayout_host_device *devs = (void *)(uintptr_t)c->devices_ptr;
	struct memlayout_snapshot snap;
	struct memlayout_host_fit fit;
	struct fake_out o = { 0 };
	struct fake_dev f;
	uint32_t i, j;
	int ret;

	if (c->size != sizeof(*c))
		return memlayout_check_host_raw(fake, c);
	c->error_device = MEMLAYOUT_NO_DEVICE;
	if (c->flags)
		return -EOPNOTSUPP;
	if (c->nr_devices > 64)
		return -E2BIG;
	if (!c->devices_ptr != !c->nr_devices || !c->conflicts_ptr != !c->count)
		return -EINVAL;
	ret = memlayout_check_host(fake, NULL, 0, &fit);
	if (ret)
		return ret;
	ret = memlayout_get_layout(fake, &snap);
	for (i = 0; !ret && i < fit.nr; i++)
		ret = fake_emit(&o, &fit.conflicts[i]);
	for (i = 0; !ret && i < c->nr_devices; i++) {
		struct memlayout_host_conflict t = { .device = i, .phys_bits = fit.phys_bits };

		if (devs[i].type == MEMLAYOUT_DEVICE_VFIO)
			ret = -ENODEV;	/* $FAKEDEV_HOST names PCI devices only */
		else if (devs[i].type != MEMLAYOUT_DEVICE_PCI)
			ret = -EOPNOTSUPP;
		else if (devs[i].fd || devs[i].reserved)	/* flags: out, ignored */
			ret = -EINVAL;
		else
			ret = fake_find_dev(spec, &devs[i], &f);
		if (ret) {
			c->error_device = i;
			break;
		}
		devs[i] = f.d;
		if (!(f.d.flags & MEMLAYOUT_DEVICE_IOMMU))
			continue;
		if (f.d.flags & MEMLAYOUT_DEVICE_APERTURE) {
			t.rule = MEMLAYOUT_HOST_APERTURE;
			t.host_start = f.d.aperture_start;
			t.host_last = f.d.aperture_last;
			ret = fake_walk(&snap, &o, t, fake_outside, t.host_start, t.host_last);
		}
		for (j = 0; !ret && j < f.nr; j++) {
			t.rule = MEMLAYOUT_HOST_RESERVED;
			t.host_start = f.resv[j].start;
			t.host_last = f.resv[j].last;
			t.host_type = f.resv[j].type;
			t.host_flags = f.resv[j].flags;
			ret = fake_walk(&snap, &o, t, fake_overlaps, t.host_start, t.host_last);
		}
	}
	if (!ret) {
		c->generation = fit.generation;
		c->phys_bits = fit.phys_bits;
		if (c->count < o.nr)
			ret = -EMSGSIZE;
		else if (o.nr)
			memcpy((void *)(uintptr_t)c->conflicts_ptr, o.c, o.nr * sizeof(*o.c));
		c->count = o.nr;
	}
	memlayout_snapshot_free(&snap);
	memlayout_host_fit_free(&fit);
	free(o.c);
	return ret;
}

static int fake_open(const char *path)
{
	const char *param = getenv("FAKEDEV_PARAM");
	unsigned int max = 0;
	FILE *f;

	if (strcmp(path, "/dev/memlayout"))
		return -2;
	if (param && (f = fopen(param, "r"))) {
		if (fscanf(f, "%u", &max) != 1)
			max = 0;
		fclose(f);
	}
	memlayout_close(fake);
	fake = memlayout_offline(max);
	fake_fd = ((int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open"))("/dev/null", O_RDWR);
	return fake_fd;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd = fake_open(path);

	if (fd != -2)
		return fd;
	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return ((int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open"))(path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int ret = -ENOTTY;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != fake_fd || fake_fd < 0)
		return ((int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl"))(fd, req, arg);
	pthread_mutex_lock(&fake_lock);
	ret = fake_ioctl(req, arg);
	pthread_mutex_unlock(&fake_lock);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

static int fake_ioctl(unsigned long req, void *arg)
{
	int ret = -ENOTTY;

	if (req == MEMLAYOUT_IOC_GET_INFO) {
		struct memlayout_info *u = arg, k;

		ret = memlayout_get_info(fake, &k);
		if (!ret)
			memcpy(u, &k, u->size < sizeof(k) ? u->size : sizeof(k));
	} else if (req == MEMLAYOUT_IOC_SET_LAYOUT) {
		ret = memlayout_set(fake, arg);
	} else if (req == MEMLAYOUT_IOC_GET_STATS) {
		struct memlayout_stats *u = arg, k;

		ret = memlayout_get_stats(fake, &k);
		if (!ret)
			memcpy(u, &k, u->size < sizeof(k) ? u->size : sizeof(k));
	} else if (req == MEMLAYOUT_IOC_GET_RANGES) {
		struct memlayout_get_ranges *g = arg;
		struct memlayout_range *r;
		uint32_t n;
		uint64_t gen;

		if (!g->count != !g->ranges_ptr)
			ret = -EINVAL;
		else
			ret = memlayout_get_ranges(fake, g->list, &r, &n, &gen);
		if (!ret) {
			g->generation = gen;
			if (g->count < n)
				ret = -EMSGSIZE;
			else if (n)
				memcpy((void *)(uintptr_t)g->ranges_ptr, r, n * sizeof(*r));
			g->count = n;
			free(r);
		}
	} else if (req == MEMLAYOUT_IOC_PROBE) {
		struct memlayout_probe *p = arg;

		uint64_t gen = 0;

		ret = memlayout_probe_ranges(fake, (const uint64_t *)(uintptr_t)p->addrs_ptr,
					     (uint32_t *)(uintptr_t)p->kinds_ptr,
					     p->size >= MEMLAYOUT_PROBE_SIZE_VER1 ?
					     (void *)(uintptr_t)p->ranges_ptr : NULL,
					     p->count, &gen);
		p->generation = gen;
	} else if (req == MEMLAYOUT_IOC_GET_LAYOUT) {
		struct memlayout_get_layout *g = arg;
		struct memlayout_stats *ust = (void *)(uintptr_t)g->stats_ptr;
		struct memlayout_snapshot snap;

		if (!g->count != !g->entries_ptr)
			ret = -EINVAL;
		else
			ret = memlayout_get_layout(fake, &snap);
		if (!ret) {
			g->generation = snap.generation;
			if (g->count < snap.nr) {
				ret = -EMSGSIZE;
			} else {
				memcpy((void *)(uintptr_t)g->entries_ptr, snap.entries,
				       snap.nr * sizeof(*snap.entries));
				memcpy(g->fingerprint, snap.fingerprint,
				       sizeof(g->fingerprint));
				if (ust)
					memcpy(ust, &snap.stats, ust->size < sizeof(snap.stats) ?
					       ust->size : sizeof(snap.stats));
			}
			g->count = snap.nr;
			memlayout_snapshot_free(&snap);
		}
	} else if (req == MEMLAYOUT_IOC_GET_PLACEMENTS) {
		struct memlayout_get_placements *g = arg;
		struct memlayout_placed *pl;
		uint32_t n;
		uint64_t gen;

		if (!g->count != !g->entries_ptr)
			ret = -EINVAL;
		else
			ret = memlayout_get_placements(fake, &pl, &n, &gen);
		if (!ret) {
			g->generation = gen;
			if (g->count < n)
				ret = -EMSGSIZE;
			else if (n)
				memcpy((void *)(uintptr_t)g->entries_ptr, pl, n * sizeof(*pl));
			g->count = n;
			free(pl);
		}
	} else if (req == MEMLAYOUT_IOC_CHECK_HOST) {
		const char *spec = getenv("FAKEDEV_HOST");

		/* The engine reads and writes the caller's struct as the kernel does. */
		if (spec && *spec)
			ret = fake_check_host(arg, spec);
		else
			ret = memlayout_check_host_raw(fake, arg);
	} else if (req == MEMLAYOUT_IOC_CHECK_KVM) {
		ret = memlayout_check_kvm_raw(fake, arg);
	}
	return ret;
}

/*
 * The view: the offline engine's own buffer stands for the device's pages
 * (its writer is the kernel's code), so mmap() of the fake file returns
 * it and munmap() of it does nothing.
 */
static const void *fake_view;

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct memlayout_view_map *v;

	if (fd < 0 || fd != fake_fd)
		return ((void *(*)(void *, size_t, int, int, int, off_t))
			dlsym(RTLD_NEXT, "mmap"))(addr, len, prot, flags, fd, off);
	if (off || (prot & ~PROT_READ) || !(flags & MAP_SHARED)) {
		errno = (prot & ~PROT_READ) ? EPERM : EINVAL;
		return MAP_FAILED;
	}
	if (memlayout_view_open(fake, len, &v)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	fake_view = memlayout_view_header(v);
	if (len > memlayout_view_header(v)->size) {
		memlayout_view_close(v);
		errno = EINVAL;
		return MAP_FAILED;
	}
	memlayout_view_close(v);	/* offline: the buffer stays the engine's */
	return (void *)fake_view;
}

int munmap(void *addr, size_t len)
{
	if (addr && addr == fake_view)
		return 0;
	return ((int (*)(void *, size_t))dlsym(RTLD_NEXT, "munmap"))(addr, len);
}
