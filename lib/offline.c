// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the offline engine. The module's core, memlayout_core.c,
 * and its interface rules, memlayout_uapi.c, are compiled unchanged over
 * lib/shim/; this file plays the part of memlayout_ioctl.c for them: the
 * same framing checks, then memlayout_set_check(), the per-range checks
 * of memlayout_set_check_ranges() and memlayout_build(), so a request is
 * accepted or rejected with the same errno and reason as by the device.
 * Only the copies from user memory (and their -EFAULT) are not here: the
 * arrays are this process's own memory.
 *
 * Compiled with -I lib/shim -I include -I include/uapi: <linux/memlayout.h>
 * is the kernel's in-kernel header here.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/memlayout.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "internal.h"

/* The most a command may be, as memlayout_ioctl() takes it (a page). */
#define ML_PAGE_SIZE		4096U

/**
 * struct ml_offline - an offline "file"
 * @max_ranges: the R8 limit.
 * @generation: the generation of the last layout set (0: none yet).
 * @layout: the current layout, or NULL.
 * @view: the shared view, as the kernel keeps one per file: created by
 *        the first memlayout_view_open(), rewritten by each SET_LAYOUT
 *        with the kernel's own writer (memlayout_view_publish()).
 * @view_size: its size.
 */
struct ml_offline {
	u32 max_ranges;
	u64 generation;
	struct memlayout *layout;
	struct memlayout_view *view;
	size_t view_size;
};

struct ml_offline *ml_offline_new(uint32_t max_ranges)
{
	struct ml_offline *o = calloc(1, sizeof(*o));

	if (o)
		o->max_ranges = max_ranges ? max_ranges :
				MEMLAYOUT_OFFLINE_MAX_RANGES;
	return o;
}

void ml_offline_free(struct ml_offline *o)
{
	if (!o)
		return;
	memlayout_put(o->layout);
	free(o->view);
	free(o);
}

/* As ml_view_get(): the first call fixes the size; NULL on ENOMEM. */
const struct memlayout_view *ml_offline_view(struct ml_offline *o,
					     size_t size, size_t *len)
{
	if (!o->view) {
		void *p = NULL;

		if (size < sizeof(*o->view) || posix_memalign(&p, 64, size))
			return NULL;
		memset(p, 0, size);
		o->view = p;
		o->view_size = size;
		memlayout_view_publish(o->view, size, o->layout);
	}
	*len = o->view_size;
	return o->view;
}

/*
 * The commands this engine answers: one ml_offline_*() function each.
 * CHECK_KVM as a kernel without KVM answers it (-ENOPKG), which still
 * lists it, as the module does.
 */
#define ML_OFFLINE_COMMANDS	(BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_INFO)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_SET_LAYOUT)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_STATS)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_RANGES)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_LAYOUT)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_PROBE)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_GET_PLACEMENTS)) | \
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_CHECK_HOST)) |	\
				 BIT_ULL(_IOC_NR(MEMLAYOUT_IOC_CHECK_KVM)))

int ml_offline_info(struct ml_offline *o, struct memlayout_info *info)
{
	if (info->flags)
		return -EOPNOTSUPP;
	memlayout_fill_info(info, o->max_ranges, ML_OFFLINE_COMMANDS);
	info->max_devices = MEMLAYOUT_MAX_HOST_DEVICES;
	return 0;
}

/* A range list at an address of this process (0 for none). */
static const struct memlayout_range *ml_user_ranges(u64 uptr)
{
	return (const struct memlayout_range *)(uintptr_t)uptr;
}

/**
 * ml_frame() - SET_LAYOUT's framing checks, as memlayout_ioctl() makes them
 * @s: the command; @s->size as the caller gave it.
 *
 * Return: 0, or -E2BIG for a size over a page or a non-zero tail, with
 * the reason memlayout_set_frame_reason() writes.
 */
static int ml_frame(struct memlayout_set *s)
{
	const u8 *tail = (const u8 *)s;
	u32 usize = s->size, off;

	if (usize > ML_PAGE_SIZE)
		return memlayout_set_frame_reason(s, 0);
	for (off = sizeof(*s); off < usize; off++)
		if (tail[off])
			return memlayout_set_frame_reason(s, off);
	return 0;
}

static int ml_offline_set_one(struct ml_offline *o, struct memlayout_set *s);

/*
 * As memlayout_ioctl() frames SET_LAYOUT: the caller's struct is read
 * over its own size, zero-extended to the engine's, and the reply is
 * written back over min(its size, the engine's) bytes, so a caller with
 * an older, shorter struct is never read or written past its end.
 */
int ml_offline_set(struct ml_offline *o, struct memlayout_set *s)
{
	u32 usize = s->size, len = min_t(u32, usize, sizeof(*s));
	struct memlayout_set k;
	int ret;

	if (usize < MEMLAYOUT_SET_SIZE_VER0)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	memcpy(&k, s, len);
	if (usize > sizeof(k)) {
		/* A non-zero tail is reported in the caller's own struct. */
		ret = ml_frame(s);
		if (ret)
			return ret;
	}
	ret = ml_offline_set_one(o, &k);
	memcpy(s, &k, len);
	return ret;
}

static int ml_offline_set_one(struct ml_offline *o, struct memlayout_set *s)
{
	struct memlayout_request req = {};
	struct memlayout_error err;
	struct memlayout *l;
	int ret;

	ret = memlayout_set_check(s, &req, o->max_ranges);
	if (ret)
		return ret;
	if (s->source == MEMLAYOUT_SOURCE_PLACE) {
		l = memlayout_set_place(s, (const struct memlayout_place_req *)
					(uintptr_t)s->place_ptr, o->max_ranges,
					GFP_KERNEL_ACCOUNT);
		if (IS_ERR(l))
			return PTR_ERR(l);
		goto built;
	}

	req.node_sizes = s->nr_nodes ? (const u64 *)(uintptr_t)s->nodes_ptr :
			 NULL;
	/* The caller's own memory: nothing to copy, only to check. */
	req.ram = ml_user_ranges(s->ram_ptr);
	req.mmio = ml_user_ranges(s->mmio_ptr);
	req.pci_ecam = ml_user_ranges(s->pci_ecam_ptr);
	req.pci_mmio = ml_user_ranges(s->pci_mmio_ptr);
	ret = memlayout_set_check_ranges(s, req.ram, req.nr_ram,
					 MEMLAYOUT_LIST_RAM);
	if (!ret)
		ret = memlayout_set_check_ranges(s, req.mmio, req.nr_mmio,
						 MEMLAYOUT_LIST_MMIO);
	if (!ret)
		ret = memlayout_set_check_ranges(s, req.pci_ecam,
						 req.nr_pci_ecam,
						 MEMLAYOUT_LIST_PCI_ECAM);
	if (!ret)
		ret = memlayout_set_check_ranges(s, req.pci_mmio,
						 req.nr_pci_mmio,
						 MEMLAYOUT_LIST_PCI_MMIO);
	if (ret)
		return ret;

	l = memlayout_build(&req, GFP_KERNEL_ACCOUNT, &err);
	if (IS_ERR(l)) {
		memlayout_set_reject(s, &err);
		return PTR_ERR(l);
	}
built:
	if (!memlayout_set_accepted(s, l)) {
		memlayout_free(l);
		return 0;
	}
	l->generation = ++o->generation;
	s->generation = l->generation;
	memlayout_put(o->layout);
	o->layout = l;
	if (o->view)
		memlayout_view_publish(o->view, o->view_size, l);
	return 0;
}

/* As ml_get_stats(). */
int ml_offline_stats(struct ml_offline *o, struct memlayout_stats *st)
{
	const struct memlayout *l = o->layout;

	if (st->flags)
		return -EOPNOTSUPP;
	if (!l) {
		memset(st, 0, sizeof(*st));
		return -ENOENT;
	}
	memlayout_fill_stats(l, st);
	return 0;
}

int ml_offline_ranges(struct ml_offline *o, uint32_t list,
		      struct memlayout_range **ranges, uint32_t *count,
		      uint64_t *generation)
{
	const struct memlayout *l = o->layout;
	struct memlayout_range *r = NULL;
	u32 i, n;

	if (!memlayout_list_readable(list))
		return -EOPNOTSUPP;
	if (!l)
		return -ENOENT;
	n = memlayout_count(l, list);
	if (n) {
		r = calloc(n, sizeof(*r));
		if (!r)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		memlayout_get_range(l, list, i, &r[i]);
	*ranges = r;
	*count = n;
	if (generation)
		*generation = l->generation;
	return 0;
}

int ml_offline_probe(struct ml_offline *o, const uint64_t *addrs,
		     uint32_t *kinds, struct memlayout_probe_range *ranges,
		     uint32_t count, uint64_t *generation)
{
	const struct memlayout *l = o->layout;

	if (count > MEMLAYOUT_MAX_PROBE)
		return -E2BIG;
	if (!l)
		return -ENOENT;
	memlayout_probe_many_ranges(l, (const u64 *)addrs, kinds, ranges, count);
	if (generation)
		*generation = l->generation;
	return 0;
}

/* As ml_get_map(): one layout, whole. */
int ml_offline_layout(struct ml_offline *o, struct memlayout_snapshot *snap)
{
	const struct memlayout *l = o->layout;

	if (!l)
		return -ENOENT;
	snap->entries = calloc(l->nr, sizeof(*snap->entries));
	if (!snap->entries)
		return -ENOMEM;
	memlayout_fill_map(l, 0, l->nr, snap->entries);
	snap->nr = l->nr;
	memlayout_fill_stats(l, &snap->stats);
	snap->generation = l->generation;
	memcpy(snap->fingerprint, l->fingerprint, sizeof(snap->fingerprint));
	return 0;
}

/* As ml_get_placements(). */
int ml_offline_placements(struct ml_offline *o, struct memlayout_placed **placed,
			  uint32_t *count, uint64_t *generation)
{
	const struct memlayout *l = o->layout;
	u32 n;

	if (!l)
		return -ENOENT;
	n = memlayout_nr_placed(l);
	if (n) {
		*placed = calloc(n, sizeof(**placed));
		if (!*placed)
			return -ENOMEM;
		memcpy(*placed, l->placement->ranges, n * sizeof(**placed));
	}
	*count = n;
	if (generation)
		*generation = l->generation;
	return 0;
}

/*
 * SPEC F2: the core's own encoder (memlayout_fingerprint.c) over entries
 * this process holds, so the value cannot differ from the kernel's.
 */
void memlayout_fingerprint(const struct memlayout_map_entry *e, uint32_t n,
			   const struct memlayout_range *vtl2,
			   uint8_t out[MEMLAYOUT_FINGERPRINT_SIZE])
{
	struct memlayout_fp fp;
	uint32_t i;

	memlayout_fp_begin(&fp, n, vtl2);
	for (i = 0; i < n; i++)
		memlayout_fp_range(&fp, e[i].start, e[i].end, e[i].vnode,
				   e[i].kind);
	memlayout_fp_end(&fp, vtl2, out);
}

/**
 * ml_cpuinfo_phys_bits() - H1's width as the running kernel reports it
 *
 * The first "address sizes : N bits physical" line of /proc/cpuinfo:
 * x86's boot_cpu_data.x86_phys_bits, already reduced for memory
 * encryption, the very value the module checks against.
 *
 * Return: 1 to 64, or 0 when the file has no such line.
 */
static u32 ml_cpuinfo_phys_bits(void)
{
	char line[256];
	u32 bits = 0;
	FILE *f = fopen("/proc/cpuinfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned int v;

		if (strncmp(line, "address sizes", 13))
			continue;
		if (sscanf(line, "address sizes : %u bits physical", &v) == 1 &&
		    v >= 1 && v <= 64)
			bits = v;
		break;
	}
	fclose(f);
	return bits;
}

/*
 * The CPU's own width (CPUID 0x80000008 EAX[7:0]), when /proc/cpuinfo is
 * not there (a chroot, a sandbox): not reduced for memory encryption.
 */
static u32 ml_cpuid_phys_bits(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	if ((unsigned int)__get_cpuid_max(0x80000000, NULL) >= 0x80000008u &&
	    __get_cpuid(0x80000008, &a, &b, &c, &d) && (a & 0xff) >= 1 &&
	    (a & 0xff) <= 64)
		return a & 0xff;
#endif
	return 0;
}

/**
 * ml_offline_device() - resolve one device record, as far as offline can
 * @d: the record, checked by memlayout_check_host_device().
 *
 * Offline there is no IOMMU layer to ask: no device resolves. A VFIO fd
 * is first checked as the kernel checks it (open; a character device).
 *
 * Return: -ENODEV, -EBADF or -EINVAL.
 */
static int ml_offline_device(const struct memlayout_host_device *d)
{
	struct stat st;

	if (d->type != MEMLAYOUT_DEVICE_VFIO)
		return -ENODEV;
	if (d->fd < 0 || fstat(d->fd, &st))
		return -EBADF;
	if (!S_ISCHR(st.st_mode))
		return -EINVAL;
	return -ENODEV;
}

/**
 * struct ml_fit_out - where memlayout_host_fit() writes the conflicts
 * @out: the caller's buffer.
 * @n: entries written.
 */
struct ml_fit_out {
	struct memlayout_host_conflict *out;
	u32 n;
};

static int ml_fit_store(void *ctx, const struct memlayout_host_conflict *c)
{
	struct ml_fit_out *o = ctx;

	o->out[o->n++] = *c;
	return 0;
}

/*
 * As MEMLAYOUT_IOC_CHECK_HOST: the framing, memlayout_check_host_args(),
 * each record through memlayout_check_host_device() and its resolution,
 * then memlayout_host_fit() over this machine's CPU width; the count
 * negotiation as GET_RANGES (nothing written with -EMSGSIZE). The reply
 * is written back on success and with the errors that name a device.
 */
int ml_offline_check_host(struct ml_offline *o, struct memlayout_check_host *c)
{
	u32 usize = c->size, len = min_t(u32, usize, sizeof(*c));
	struct memlayout_host_facts facts = {};
	struct memlayout_host_device *devs;
	struct memlayout_check_host k;
	struct ml_fit_out out;
	u32 i, count;
	const u8 *tail = (const u8 *)c;
	int ret;

	if (usize < MEMLAYOUT_CHECK_HOST_SIZE_VER0)
		return -EINVAL;
	if (usize > ML_PAGE_SIZE)
		return -E2BIG;
	for (i = sizeof(*c); i < usize; i++)
		if (tail[i])
			return -E2BIG;
	memset(&k, 0, sizeof(k));
	memcpy(&k, c, len);
	ret = memlayout_check_host_args(&k, MEMLAYOUT_MAX_HOST_DEVICES);
	if (ret)
		return ret;
	if (!o->layout)
		return -ENOENT;
	devs = (struct memlayout_host_device *)(uintptr_t)k.devices_ptr;
	for (i = 0; i < k.nr_devices; i++) {
		struct memlayout_host_device d = devs[i];

		ret = memlayout_check_host_device(&d);
		if (!ret)
			ret = ml_offline_device(&d);
		if (ret) {
			k.error_device = i;
			memcpy(c, &k, len);
			return ret;
		}
	}
	facts.phys_bits = ml_cpuinfo_phys_bits();
	if (!facts.phys_bits)
		facts.phys_bits = ml_cpuid_phys_bits();
	if (!facts.phys_bits)
		return -EOPNOTSUPP;
	ret = memlayout_host_fit(o->layout, &facts, NULL, NULL, &count, false);
	if (ret)
		return ret;
	k.generation = o->layout->generation;
	k.phys_bits = facts.phys_bits;
	if (count > k.count) {
		k.count = count;
		memcpy(c, &k, len);
		return -EMSGSIZE;
	}
	out.out = (struct memlayout_host_conflict *)(uintptr_t)k.conflicts_ptr;
	out.n = 0;
	if (count)
		ret = memlayout_host_fit(o->layout, &facts, ml_fit_store, &out,
					 &count, false);
	if (ret)
		return ret;
	k.count = count;
	memcpy(c, &k, len);
	return 0;
}

/*
 * As MEMLAYOUT_IOC_CHECK_KVM up to the VM: the framing,
 * memlayout_check_kvm_args(), the layout, the descriptor; then -ENOPKG:
 * no VM can be read in this process, as in a kernel without KVM. The
 * reply (its out members cleared) is written back with every answer after
 * the framing.
 */
int ml_offline_check_kvm(struct ml_offline *o, struct memlayout_check_kvm *c)
{
	u32 usize = c->size, len = min_t(u32, usize, sizeof(*c));
	struct memlayout_check_kvm k;
	const u8 *tail = (const u8 *)c;
	u32 i;
	int ret;

	if (usize < MEMLAYOUT_CHECK_KVM_SIZE_VER0)
		return -EINVAL;
	if (usize > ML_PAGE_SIZE)
		return -E2BIG;
	for (i = sizeof(*c); i < usize; i++)
		if (tail[i])
			return -E2BIG;
	memset(&k, 0, sizeof(k));
	memcpy(&k, c, len);
	ret = memlayout_check_kvm_args(&k);
	if (!ret && !o->layout)
		ret = -ENOENT;
	if (!ret && (k.vm_fd < 0 || fcntl(k.vm_fd, F_GETFD) < 0))
		ret = -EBADF;
	if (!ret)
		ret = -ENOPKG;
	memcpy(c, &k, len);
	return ret;
}

/**
 * struct ml_kvm_out - where memlayout_kvm_audit() writes the findings
 * @f: a growing array.
 * @n: entries written.
 * @cap: entries allocated.
 */
struct ml_kvm_out {
	struct memlayout_kvm_finding *f;
	u32 n;
	u32 cap;
};

static int ml_kvm_store(void *ctx, const struct memlayout_kvm_finding *f)
{
	struct ml_kvm_out *o = ctx;

	if (o->n == o->cap) {
		u32 cap = o->cap ? o->cap * 2 : 16;
		void *p = realloc(o->f, (size_t)cap * sizeof(*o->f));

		if (!p)
			return -ENOMEM;
		o->f = p;
		o->cap = cap;
	}
	o->f[o->n++] = *f;
	return 0;
}

/* A slot's sort key: address space, then start (or id), then index. */
struct ml_slot_key {
	u32 as_id;
	u32 i;
	u64 key;
};

static int ml_slot_cmp(const void *a, const void *b)
{
	const struct ml_slot_key *x = a, *y = b;

	if (x->as_id != y->as_id)
		return x->as_id < y->as_id ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	/* Equal keys: by index, so the later one is reported. */
	return x->i < y->i ? -1 : x->i > y->i;
}

static void ml_sort_keys(struct ml_slot_key *k, u32 n,
			 const struct memlayout_kvm_memslot *slots, bool by_id)
{
	u32 i;

	for (i = 0; i < n; i++) {
		k[i].as_id = slots[i].as_id;
		k[i].i = i;
		k[i].key = by_id ? slots[i].id : slots[i].start;
	}
	qsort(k, n, sizeof(*k), ml_slot_cmp);
}

/* KVM's smallest page: memslots are aligned to it. */
#define ML_KVM_PAGE	4096U

/* The KVM_SET_USER_MEMORY_REGION checks of one slot (-EINVAL). */
int ml_kvm_slot_ok(const struct memlayout_kvm_memslot *s)
{
	if (s->reserved || s->as_id > 0xffff || s->id > 0xffff ||
	    (s->flags & ~MEMLAYOUT_KVM_MEM_KNOWN))
		return -EINVAL;
	if (s->end <= s->start || (s->start | s->end) & (ML_KVM_PAGE - 1))
		return -EINVAL;
	return 0;
}

/*
 * memlayout_kvm_audit_slots() on the offline layout: each slot checked,
 * then the core's memlayout_kvm_audit() over them sorted by address
 * space and start, as the module hands it a VM's memslots.
 */
int ml_offline_kvm_audit(struct ml_offline *o,
			 const struct memlayout_kvm_memslot *slots, u32 n,
			 struct memlayout_kvm_audit *a)
{
	struct memlayout_kvm_slot *ks = NULL;
	struct ml_kvm_out out = {};
	struct ml_slot_key *k = NULL;
	u32 i, count = 0, nr_as = 0;
	int ret;

	if (n > MEMLAYOUT_KVM_MAX_SLOTS)
		return -E2BIG;
	if (n && !slots)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (ml_kvm_slot_ok(&slots[i])) {
			a->error_slot = i;
			return -EINVAL;
		}
	}
	if (!o->layout)
		return -ENOENT;
	if (n) {
		k = calloc(n, sizeof(*k));
		ks = calloc(n, sizeof(*ks));
		if (!k || !ks) {
			ret = -ENOMEM;
			goto out;
		}
	}
	/* The same id twice in one address space. */
	ml_sort_keys(k, n, slots, true);
	for (i = 1; i < n; i++) {
		if (k[i - 1].as_id == k[i].as_id && k[i - 1].key == k[i].key) {
			a->error_slot = max(k[i - 1].i, k[i].i);
			ret = -EEXIST;
			goto out;
		}
	}
	/* Overlap in one address space; the order the core reads. */
	ml_sort_keys(k, n, slots, false);
	for (i = 0; i < n; i++) {
		const struct memlayout_kvm_memslot *s = &slots[k[i].i];

		if (i && k[i - 1].as_id == s->as_id &&
		    slots[k[i - 1].i].end > s->start) {
			a->error_slot = max(k[i - 1].i, k[i].i);
			ret = -EEXIST;
			goto out;
		}
		ks[i].as_id = s->as_id;
		ks[i].id = s->id;
		ks[i].start = s->start;
		ks[i].end = s->end;
		ks[i].flags = s->flags;
	}
	ret = memlayout_kvm_audit(o->layout, ks, n, ml_kvm_store, &out, &count,
				  &nr_as, false);
	if (ret)
		goto out;
	if (count != out.n) {
		ret = -EPROTO;
		goto out;
	}
	a->generation = o->layout->generation;
	a->nr_slots = n;
	a->nr_as = nr_as;
	a->nr = out.n;
	a->findings = out.n ? out.f : NULL;
	if (!out.n)
		free(out.f);
	out.f = NULL;
out:
	free(out.f);
	free(ks);
	free(k);
	return ret;
}
