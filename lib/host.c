// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: host fit (SPEC H1-H3) on the client side: the names, the
 * device records (a PCI address, a VFIO file), MEMLAYOUT_IOC_CHECK_HOST
 * with its count negotiation, and one line of text per conflict. The
 * offline engine's answer is ml_offline_check_host() (lib/offline.c).
 *
 * Needs only the C library and the UAPI header.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/*
 * Most records memlayout_check_host() copies; beyond it the caller's array
 * goes to the kernel as it is (and the kernel says -E2BIG long before).
 */
#define MEMLAYOUT_HOST_MAX_COPY	4096U

static const char * const host_rule_names[] = {
	[MEMLAYOUT_HOST_CPU_WIDTH] = "H1",
	[MEMLAYOUT_HOST_APERTURE] = "H2",
	[MEMLAYOUT_HOST_RESERVED] = "H3",
};

static const char * const domain_type_names[] = {
	[MEMLAYOUT_DOMAIN_NONE] = "none",
	[MEMLAYOUT_DOMAIN_BLOCKED] = "blocked",
	[MEMLAYOUT_DOMAIN_IDENTITY] = "identity",
	[MEMLAYOUT_DOMAIN_DMA] = "dma",
	[MEMLAYOUT_DOMAIN_UNMANAGED] = "unmanaged",
	[MEMLAYOUT_DOMAIN_OTHER] = "other",
};

/* The kernel's iommu_group_resv_type_string[] words. */
static const char * const resv_type_names[] = {
	[MEMLAYOUT_RESV_NONE] = "none",
	[MEMLAYOUT_RESV_DIRECT] = "direct",
	[MEMLAYOUT_RESV_RESERVED] = "reserved",
	[MEMLAYOUT_RESV_MSI] = "msi",
	[MEMLAYOUT_RESV_SW_MSI] = "msi",
};

const char *memlayout_host_rule_name(uint32_t rule)
{
	return rule < ARRAY_SIZE(host_rule_names) ? host_rule_names[rule] : NULL;
}

const char *memlayout_domain_type_name(uint32_t domain_type)
{
	return domain_type < ARRAY_SIZE(domain_type_names) ?
	       domain_type_names[domain_type] : NULL;
}

const char *memlayout_resv_type_name(uint32_t type, uint32_t flags)
{
	if (flags & ~MEMLAYOUT_HOST_RELAXABLE)
		return NULL;
	if (flags & MEMLAYOUT_HOST_RELAXABLE)
		return type == MEMLAYOUT_RESV_DIRECT ? "direct-relaxable" : NULL;
	return type < ARRAY_SIZE(resv_type_names) ? resv_type_names[type] : NULL;
}

/* The value of @n hex digits at @s, or -1 if any is not a hex digit. */
static int hex_field(const char *s, unsigned int n)
{
	unsigned int i;
	int v = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

int memlayout_pci_device(const char *bdf, struct memlayout_host_device *d)
{
	int seg = 0, bus, dev, fn;
	size_t len;

	if (!bdf || !d) {
		errno = EINVAL;
		return -EINVAL;
	}
	/* Never read past the NUL: the length first, then fixed offsets. */
	len = strnlen(bdf, 13);
	if (len == 12) {
		if (bdf[4] != ':')
			goto bad;
		seg = hex_field(bdf, 4);
		bdf += 5;
	} else if (len != 7) {
		goto bad;
	}
	if (seg < 0 || bdf[2] != ':' || bdf[5] != '.')
		goto bad;
	bus = hex_field(bdf, 2);
	dev = hex_field(bdf + 3, 2);
	fn = bdf[6] >= '0' && bdf[6] <= '7' ? bdf[6] - '0' : -1;
	if (bus < 0 || dev < 0 || dev > 0x1f || fn < 0)
		goto bad;
	memset(d, 0, sizeof(*d));
	d->type = MEMLAYOUT_DEVICE_PCI;
	d->pci_segment = (uint16_t)seg;
	d->pci_bus = (uint8_t)bus;
	d->pci_devfn = (uint8_t)(dev << 3 | fn);
	return 0;
bad:
	errno = EINVAL;
	return -EINVAL;
}

void memlayout_vfio_device(int fd, struct memlayout_host_device *d)
{
	memset(d, 0, sizeof(*d));
	d->type = MEMLAYOUT_DEVICE_VFIO;
	d->fd = fd;
}

int memlayout_open_vfio(const char *path, struct memlayout_host_device *d)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	memlayout_vfio_device(fd, d);
	return fd;
}

char *memlayout_host_device_name(const struct memlayout_host_device *d,
				 char *buf, size_t len)
{
	if (!len)
		return buf;
	if (d->type == MEMLAYOUT_DEVICE_PCI ||
	    (d->flags & MEMLAYOUT_DEVICE_PCI_ADDR))
		snprintf(buf, len, "%04x:%02x:%02x.%u", d->pci_segment,
			 d->pci_bus, d->pci_devfn >> 3, d->pci_devfn & 7u);
	else
		snprintf(buf, len, "vfio fd %d", d->fd);
	return buf;
}

static int raw(struct memlayout_handle *h, struct memlayout_check_host *c)
{
	if (!c->size)
		c->size = sizeof(*c);
	if (h->off)
		return ml_offline_check_host(h->off, c);
	return ml_ioctl(h->fd, MEMLAYOUT_IOC_CHECK_HOST, c);
}

int memlayout_check_host_raw(struct memlayout_handle *h,
			     struct memlayout_check_host *c)
{
	return ml_ret_errno(raw(h, c));
}

/*
 * As ml_read_array() in device.c: a count 0 call first, then one with
 * room for that many, again with the new count while -EMSGSIZE says the
 * conflicts grew in between (a SET_LAYOUT on the same file).
 */
int memlayout_check_host(struct memlayout_handle *h,
			 struct memlayout_host_device *devs, uint32_t n,
			 struct memlayout_host_fit *fit)
{
	struct memlayout_host_conflict *buf = NULL;
	void *mem;
	struct memlayout_host_device *work = NULL;
	struct memlayout_check_host c;
	uint32_t cap = 0, i;
	int ret;

	memset(fit, 0, sizeof(*fit));
	fit->error_device = MEMLAYOUT_NO_DEVICE;
	if (n && n <= MEMLAYOUT_HOST_MAX_COPY) {
		work = calloc(n, sizeof(*work));
		if (!work)
			return ml_ret_errno(-ENOMEM);
	}
	for (;;) {
		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.nr_devices = n;
		/*
		 * Each round from the caller's records (the kernel ignores the
		 * out members a previous round wrote); the caller's own are
		 * written only on success.
		 */
		for (i = 0; work && i < n; i++)
			work[i] = devs[i];
		c.devices_ptr = !n ? 0 : work ? (uint64_t)(uintptr_t)work :
				(uint64_t)(uintptr_t)devs;
		c.count = cap;
		c.conflicts_ptr = cap ? (uint64_t)(uintptr_t)buf : 0;
		/* Not written back by every error: no device unless it says. */
		c.error_device = MEMLAYOUT_NO_DEVICE;
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
		free(work);
		fit->error_device = c.error_device;
		return ml_ret_errno(ret);
	}
	if (work)
		memcpy(devs, work, (size_t)n * sizeof(*devs));
	free(work);
	if (!c.count) {
		free(buf);
		buf = NULL;
	}
	fit->generation = c.generation;
	fit->phys_bits = c.phys_bits;
	fit->nr = c.count;
	fit->conflicts = buf;
	return 0;
}

void memlayout_host_fit_free(struct memlayout_host_fit *fit)
{
	if (!fit)
		return;
	free(fit->conflicts);
	memset(fit, 0, sizeof(*fit));
	fit->error_device = MEMLAYOUT_NO_DEVICE;
}

char *memlayout_host_conflict_str(const struct memlayout_host_conflict *c,
				  const struct memlayout_host_device *devs,
				  uint32_t n, char *buf, size_t len)
{
	const char *rule = memlayout_host_rule_name(c->rule);
	const char *list = memlayout_list_name(c->list);
	char range[64], dev[MEMLAYOUT_HOST_DEVICE_NAME_LEN + 16];
	const char *resv;

	if (!len)
		return buf;
	/* A layout range is never empty; be safe with a hostile one. */
	snprintf(range, sizeof(range), "%s[%" PRIu32 "] 0x%llx-0x%llx",
		 list ? list : "?", c->index, (unsigned long long)c->start,
		 (unsigned long long)(c->end > c->start ? c->end - 1 : c->start));
	if (devs && c->device < n)
		memlayout_host_device_name(&devs[c->device], dev, sizeof(dev));
	else
		snprintf(dev, sizeof(dev), "device %" PRIu32, c->device);
	switch (c->rule) {
	case MEMLAYOUT_HOST_CPU_WIDTH:
		snprintf(buf, len,
			 "%s: %s ends above 2^%" PRIu32 " (CPU physical address width %" PRIu32 ")",
			 rule, range, c->phys_bits, c->phys_bits);
		break;
	case MEMLAYOUT_HOST_APERTURE:
		snprintf(buf, len,
			 "%s: %s is outside the IOMMU aperture 0x%llx-0x%llx of %s",
			 rule, range, (unsigned long long)c->host_start,
			 (unsigned long long)c->host_last, dev);
		break;
	case MEMLAYOUT_HOST_RESERVED:
		resv = memlayout_resv_type_name(c->host_type, c->host_flags);
		snprintf(buf, len,
			 "%s: %s overlaps %s region 0x%llx-0x%llx of %s",
			 rule, range, resv ? resv : "unknown",
			 (unsigned long long)c->host_start,
			 (unsigned long long)c->host_last, dev);
		break;
	default:
		snprintf(buf, len, "rule %" PRIu32 ": %s, host 0x%llx-0x%llx",
			 c->rule, range, (unsigned long long)c->host_start,
			 (unsigned long long)c->host_last);
		break;
	}
	return buf;
}
