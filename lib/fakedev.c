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
		/* The engine reads and writes the caller's struct as the kernel does. */
		ret = memlayout_check_host_raw(fake, arg);
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
