// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: host fit (SPEC H1-H3), the half that asks the running kernel.
 *
 * MEMLAYOUT_IOC_CHECK_HOST names devices; this file resolves each one
 * into a &struct memlayout_host_dev (plain data: no reference to a
 * device, group, domain or file survives ml_host_gather()), and gives the
 * CPU's physical address width. memlayout_host.c then checks the layout
 * against those facts.
 *
 * Devices are named two ways:
 *
 * * By PCI address: pci_get_domain_bus_and_slot().
 * * By a VFIO file the caller holds. No kernel exports a "VFIO file to
 *   device" lookup, so the PCI devices bound to the ``vfio-pci`` driver
 *   are walked, each under its device lock (which keeps the driver, and
 *   so its &struct vfio_pci_core_device drvdata, bound), and matched
 *   against the file:
 *
 *   - a group file (``/dev/vfio/N``; 6.1 and 6.12): vfio_file_is_group()
 *     and vfio_file_has_dev(file, &core->vdev). A group may hold several
 *     devices: the lowest-addressed one bound to vfio-pci names it (they
 *     share the group's domain and reserved regions);
 *   - a device file (``/dev/vfio/devices/vfioX``; kernels from 6.6 built
 *     with CONFIG_VFIO_DEVICE_CDEV, which Debian's 6.12 is not):
 *     vfio_file_is_valid() (6.2 on) and the file's character device
 *     number against the vfio_device's devt.
 *
 *   6.1's vfio_file_iommu_group() would give a group file's iommu_group
 *   directly, but 6.12 returns %NULL there unless CONFIG_SPAPR_TCE_IOMMU,
 *   so it is not used. What cannot be resolved: a device file obtained
 *   with VFIO_GROUP_GET_DEVICE_FD (an anonymous inode: -ENODEV on 6.12,
 *   -EINVAL on 6.1, which cannot tell it is a VFIO file), and devices
 *   bound to other VFIO drivers (vendor variants, mdev, platform):
 *   -ENODEV. Name those by PCI address.
 *
 * The module does not depend on vfio.ko: its symbols are taken with
 * symbol_get() for the duration of one lookup. If vfio.ko is not loaded,
 * no VFIO file can exist, and @fd is "not a VFIO file" (-EINVAL).
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

#include <kunit/visibility.h>
#include <linux/memlayout.h>

#include "memlayout_hostfit.h"

/*
 * Group files: vfio_file_is_group() and vfio_file_has_dev() are real
 * functions with CONFIG_VFIO, except on kernels that make groups optional
 * (6.6 on: CONFIG_VFIO_GROUP, Kbuild's MEMLAYOUT_VFIO_GROUP_OPTIONAL),
 * where they are inline stubs without it.
 */
#if IS_ENABLED(CONFIG_VFIO) && \
	(IS_ENABLED(CONFIG_VFIO_GROUP) || !defined(MEMLAYOUT_VFIO_GROUP_OPTIONAL))
#define ML_VFIO_GROUPS	1
#endif

/*
 * Device files: vfio_file_is_valid() (6.2 on) recognises them; only with
 * CONFIG_VFIO_DEVICE_CDEV (6.6 on) can one be a device's cdev.
 */
#if IS_ENABLED(CONFIG_VFIO) && defined(MEMLAYOUT_HAVE_VFIO_FILE_IS_VALID)
#define ML_VFIO_DEVICE_FILES	1
#endif

/**
 * ml_host_phys_bits() - the CPU's physical address width (SPEC H1)
 *
 * On x86, boot_cpu_data.x86_phys_bits: CPUID's width, already reduced by
 * the kernel for memory encryption (SME/SEV's C-bit, TDX's shared bit).
 * Elsewhere no kernel interface gives the CPU's width, so the widest
 * physical address the kernel's memory model supports, MAX_PHYSMEM_BITS
 * (arm64: 48 or 52; riscv: 56), stands in; without one, 64 (H1 then
 * never fires). UML, although built for x86_64, has no boot_cpu_data
 * width: it takes the fallback.
 *
 * Context: any.
 * Return: 1 to 64.
 */
u32 ml_host_phys_bits(void)
{
	u32 bits;

#if defined(CONFIG_X86) && !defined(CONFIG_UML)
	bits = boot_cpu_data.x86_phys_bits;
#elif defined(MAX_PHYSMEM_BITS)
	bits = MAX_PHYSMEM_BITS;
#else
	bits = 64;
#endif
	return clamp_t(u32, bits, 1, 64);
}
EXPORT_SYMBOL_IF_KUNIT(ml_host_phys_bits);

#if defined(ML_VFIO_GROUPS) || defined(ML_VFIO_DEVICE_FILES)
/* Whether @a's PCI address is below @b's. */
static bool ml_pci_before(struct pci_dev *a, struct pci_dev *b)
{
	int da = pci_domain_nr(a->bus), db = pci_domain_nr(b->bus);

	if (da != db)
		return da < db;
	if (a->bus->number != b->bus->number)
		return a->bus->number < b->bus->number;
	return a->devfn < b->devfn;
}

/**
 * struct ml_vfio - the vfio.ko functions one lookup holds
 * @is_group: vfio_file_is_group(), or %NULL.
 * @has_dev: vfio_file_has_dev(), or %NULL.
 * @is_valid: vfio_file_is_valid(), or %NULL.
 */
struct ml_vfio {
	bool (*is_group)(struct file *file);
	bool (*has_dev)(struct file *file, struct vfio_device *device);
	bool (*is_valid)(struct file *file);
};

/* Take vfio.ko's symbols (each a module reference while held). */
static void ml_vfio_get(struct ml_vfio *v)
{
	memset(v, 0, sizeof(*v));
#ifdef ML_VFIO_GROUPS
	v->is_group = symbol_get(vfio_file_is_group);
	v->has_dev = symbol_get(vfio_file_has_dev);
#endif
#ifdef ML_VFIO_DEVICE_FILES
	v->is_valid = symbol_get(vfio_file_is_valid);
#endif
}

/* Drop what ml_vfio_get() took. */
static void ml_vfio_put(struct ml_vfio *v)
{
#ifdef ML_VFIO_GROUPS
	if (v->is_group)
		symbol_put(vfio_file_is_group);
	if (v->has_dev)
		symbol_put(vfio_file_has_dev);
#endif
#ifdef ML_VFIO_DEVICE_FILES
	if (v->is_valid)
		symbol_put(vfio_file_is_valid);
#endif
}

/**
 * ml_vfio_match() - whether a PCI device is the one a VFIO file names
 * @pdev: the device (referenced by the caller).
 * @file: the VFIO file.
 * @v: vfio.ko's functions.
 * @group: @file is a group file (else a device cdev file).
 *
 * The device lock keeps the device bound to vfio-pci, and its vfio
 * device registered, while it is compared.
 *
 * Context: process context; sleeps on the device lock.
 * Return: whether it matches.
 */
static bool ml_vfio_match(struct pci_dev *pdev, struct file *file,
			  const struct ml_vfio *v, bool group)
{
	struct vfio_pci_core_device *core;
	struct inode *inode = file_inode(file);
	bool match = false;

	device_lock(&pdev->dev);
	if (!pdev->dev.driver || strcmp(pdev->dev.driver->name, "vfio-pci"))
		goto unlock;
	core = dev_get_drvdata(&pdev->dev);
	if (!core)
		goto unlock;
	if (group)
		match = v->has_dev(file, &core->vdev);
	else
		match = S_ISCHR(inode->i_mode) && inode->i_rdev &&
			inode->i_rdev == core->vdev.device.devt;
unlock:
	device_unlock(&pdev->dev);
	return match;
}

/**
 * ml_host_vfio() - the PCI device a VFIO file names
 * @fd: the caller's descriptor.
 * @pdevp: receives the device, with a reference (pci_dev_put()).
 *
 * Context: process context; may sleep.
 * Return: 0; -EBADF if @fd is not open; -EINVAL if it is not a VFIO group
 * or device file this kernel can recognise; -ENODEV if no device bound to
 * vfio-pci belongs to it.
 */
static int ml_host_vfio(int fd, struct pci_dev **pdevp)
{
	struct pci_dev *pdev = NULL, *best = NULL;
	struct ml_vfio v;
	struct file *file;
	bool group = false;
	int ret = -EINVAL;

	file = fget(fd);
	if (!file)
		return -EBADF;
	ml_vfio_get(&v);
	if (v.is_group && v.has_dev && v.is_group(file))
		group = true;
	else if (!v.is_valid || !v.is_valid(file))
		goto put;
	/* A device file that cannot be a cdev's: from VFIO_GROUP_GET_DEVICE_FD. */
	ret = -ENODEV;
	if (!group && !IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV))
		goto put;
	/* Every device bound to vfio-pci; pci_get_device() moves the ref. */
	for_each_pci_dev(pdev) {
		if (!ml_vfio_match(pdev, file, &v, group))
			continue;
		if (!best || ml_pci_before(pdev, best)) {
			pci_dev_put(best);
			best = pci_dev_get(pdev);
		}
	}
	if (best)
		ret = 0;
	*pdevp = best;
put:
	ml_vfio_put(&v);
	fput(file);
	return ret;
}
#else
/* Without VFIO in this kernel no file is a VFIO file. */
static int ml_host_vfio(int fd, struct pci_dev **pdevp)
{
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	fput(file);
	return -EINVAL;
}
#endif

/**
 * struct ml_domain - what ml_host_domain() reads of a group's domain
 * @dev: the device whose domain is read.
 * @found: whether @dev was found in its group.
 * @type: the domain's ``MEMLAYOUT_DOMAIN_*``.
 * @aperture: whether it is a paging domain enforcing its aperture.
 * @start: the aperture's first byte.
 * @last: its last byte.
 */
struct ml_domain {
	struct device *dev;
	bool found;
	u32 type;
	bool aperture;
	u64 start;
	u64 last;
};

/**
 * ml_host_domain() - read a group's current domain, from its group walk
 * @dev: one device of the group.
 * @data: the &struct ml_domain.
 *
 * iommu_group_for_each_dev() calls this under the group's mutex, which
 * every attach and detach of a domain takes: the domain cannot change
 * or be freed while it is read.
 *
 * Context: under the group's mutex.
 * Return: 1 (stop) at @data's device, else 0.
 */
static int ml_host_domain(struct device *dev, void *data)
{
	struct ml_domain *m = data;
	struct iommu_domain *dom;
	bool paging = false;

	if (dev != m->dev)
		return 0;
	m->found = true;
	dom = iommu_get_domain_for_dev(dev);
	if (!dom)
		return 1;
	switch (dom->type) {
	case IOMMU_DOMAIN_BLOCKED:
		m->type = MEMLAYOUT_DOMAIN_BLOCKED;
		break;
	case IOMMU_DOMAIN_IDENTITY:
		m->type = MEMLAYOUT_DOMAIN_IDENTITY;
		break;
	case IOMMU_DOMAIN_DMA:
	case IOMMU_DOMAIN_DMA_FQ:
		m->type = MEMLAYOUT_DOMAIN_DMA;
		paging = true;
		break;
	case IOMMU_DOMAIN_UNMANAGED:
		m->type = MEMLAYOUT_DOMAIN_UNMANAGED;
		paging = true;
		break;
	default:
		m->type = MEMLAYOUT_DOMAIN_OTHER;
		break;
	}
	if (paging && dom->geometry.force_aperture &&
	    dom->geometry.aperture_start <= dom->geometry.aperture_end) {
		m->aperture = true;
		m->start = dom->geometry.aperture_start;
		m->last = dom->geometry.aperture_end;
	}
	return 1;
}

/* The UAPI type and flags of a reserved region's kernel type. */
static void ml_host_resv_type(enum iommu_resv_type t,
			      struct memlayout_host_region *r)
{
	r->flags = 0;
	switch (t) {
	case IOMMU_RESV_DIRECT:
		r->type = MEMLAYOUT_RESV_DIRECT;
		break;
	case IOMMU_RESV_DIRECT_RELAXABLE:
		r->type = MEMLAYOUT_RESV_DIRECT;
		r->flags = MEMLAYOUT_HOST_RELAXABLE;
		break;
	case IOMMU_RESV_MSI:
		r->type = MEMLAYOUT_RESV_MSI;
		break;
	case IOMMU_RESV_SW_MSI:
		r->type = MEMLAYOUT_RESV_SW_MSI;
		break;
	case IOMMU_RESV_RESERVED:
	default:
		/* A type added later: at least, it is not RAM's to use. */
		r->type = MEMLAYOUT_RESV_RESERVED;
		break;
	}
}

static int ml_host_region_cmp(const void *a, const void *b)
{
	const struct memlayout_host_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	return 0;
}

/**
 * ml_host_resv() - copy an IOMMU group's reserved regions (SPEC H3)
 * @group: the group (referenced by the caller).
 * @h: receives @nr_resv and @resv (kmalloc'ed; ml_host_release()).
 *
 * iommu_get_group_resv_regions() gives a list of copies the caller owns
 * (allocated with iommu_alloc_resv_region(), without a @free callback, on
 * 6.1 and 6.12): they are freed one by one with kfree(), as
 * vfio_iommu_type1's vfio_iommu_resv_free() does, on every path.
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOMEM, -E2BIG (more than %ML_HOST_MAX_RESV regions), or
 * the IOMMU layer's error.
 */
static int ml_host_resv(struct iommu_group *group, struct memlayout_host_dev *h)
{
	struct iommu_resv_region *rr, *next;
	struct memlayout_host_region *out = NULL;
	LIST_HEAD(list);
	u32 n = 0;
	int ret;

	ret = iommu_get_group_resv_regions(group, &list);
	if (ret)
		goto free;
	list_for_each_entry(rr, &list, list)
		if (rr->length)
			n++;
	if (n > ML_HOST_MAX_RESV) {
		ret = -E2BIG;
		goto free;
	}
	if (n) {
		out = kmalloc_array(n, sizeof(*out), GFP_KERNEL_ACCOUNT);
		if (!out) {
			ret = -ENOMEM;
			goto free;
		}
	}
	n = 0;
	list_for_each_entry(rr, &list, list) {
		u64 start = rr->start, len = rr->length;

		if (!len)
			continue;
		out[n].start = start;
		/* A region reaching the top of the address space ends there. */
		out[n].last = len - 1 > U64_MAX - start ? U64_MAX :
			      start + len - 1;
		ml_host_resv_type(rr->type, &out[n]);
		n++;
	}
	sort(out, n, sizeof(*out), ml_host_region_cmp, NULL);
	h->nr_resv = n;
	h->resv = out;
free:
	list_for_each_entry_safe(rr, next, &list, list) {
		list_del(&rr->list);
		kfree(rr);
	}
	return ret;
}

/**
 * ml_host_device() - the IOMMU facts of one resolved device
 * @dev: the device (referenced by the caller).
 * @d: the caller's record: its out members are written.
 * @h: the facts.
 *
 * Context: process context; may sleep.
 * Return: 0 or as ml_host_resv().
 */
static int ml_host_device(struct device *dev, struct memlayout_host_device *d,
			  struct memlayout_host_dev *h)
{
	struct ml_domain m = { .dev = dev, .type = MEMLAYOUT_DOMAIN_NONE };
	struct iommu_group *group;
	int ret;

	group = iommu_group_get(dev);
	if (!group)
		return 0;	/* No IOMMU: reported, not a conflict. */
	h->flags |= MEMLAYOUT_DEVICE_IOMMU;
	d->iommu_group = iommu_group_id(group);
	iommu_group_for_each_dev(group, &m, ml_host_domain);
	d->domain_type = m.type;
	if (m.aperture) {
		h->flags |= MEMLAYOUT_DEVICE_APERTURE;
		h->aperture_start = m.start;
		h->aperture_last = m.last;
		d->aperture_start = m.start;
		d->aperture_last = m.last;
	}
	ret = ml_host_resv(group, h);
	d->nr_resv = h->nr_resv;
	iommu_group_put(group);
	return ret;
}

/**
 * ml_host_gather() - resolve one device record into facts
 * @d: the record, already checked by memlayout_check_host_device() (its
 *     out members cleared); its out members are written.
 * @h: receives the facts; ml_host_release() frees them, also on error.
 *
 * Every reference taken (file, PCI device, IOMMU group, vfio.ko's
 * symbols) is dropped before returning; @h holds only copies.
 *
 * Context: process context; may sleep.
 * Return: 0; -ENODEV (no such PCI device, or no device for the VFIO
 * file); -EBADF; -EINVAL (not a VFIO file); -ENOMEM; -E2BIG (too many
 * reserved regions); or the IOMMU layer's error.
 */
int ml_host_gather(struct memlayout_host_device *d,
		   struct memlayout_host_dev *h)
{
	struct pci_dev *pdev = NULL;
	int ret;

	memset(h, 0, sizeof(*h));
	if (d->type == MEMLAYOUT_DEVICE_PCI) {
		pdev = pci_get_domain_bus_and_slot(d->pci_segment, d->pci_bus,
						   d->pci_devfn);
		if (!pdev)
			return -ENODEV;
	} else {
		ret = ml_host_vfio(d->fd, &pdev);
		if (ret)
			return ret;
		d->pci_segment = pci_domain_nr(pdev->bus);
		d->pci_bus = pdev->bus->number;
		d->pci_devfn = pdev->devfn;
		h->flags |= MEMLAYOUT_DEVICE_PCI_ADDR;
	}
	ret = ml_host_device(&pdev->dev, d, h);
	d->flags = h->flags;
	pci_dev_put(pdev);
	return ret;
}

/**
 * ml_host_release() - free what ml_host_gather() allocated
 * @h: the facts; left empty.
 *
 * Context: any.
 */
void ml_host_release(struct memlayout_host_dev *h)
{
	kfree(h->resv);
	h->resv = NULL;
	h->nr_resv = 0;
}
