// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: host fit (SPEC H1-H3), the pure half.
 *
 * memlayout_host_fit() checks a built layout against facts about a host:
 * the CPU's physical address width, and for each device the caller named
 * whether it has an IOMMU, its domain's aperture and its group's reserved
 * regions. Gathering those facts is memlayout_hostfit.c's business (the
 * ioctl layer); here they are plain data, so that KUnit, the fuzzer and
 * libmemlayout's offline engine drive the same code with synthetic hosts.
 * Like the rest of the core: no uaccess, no locking.
 *
 * Every conflict is reported, in the order the UAPI header documents
 * ("DOC: Host fit"). The ranges are sorted and disjoint, so each rule is
 * a binary search to its first candidate and a walk over the candidates:
 * O(log n) per device and region plus the ranges walked.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/sched.h>

#include <linux/memlayout.h>

/**
 * struct ml_fit - one memlayout_host_fit() call
 * @l: the layout.
 * @h: the host.
 * @emit: the caller's sink, or %NULL to count only.
 * @ctx: its argument.
 * @count: conflicts so far.
 * @steps: ranges walked, for cond_resched().
 * @may_sleep: whether cond_resched() may be called.
 */
struct ml_fit {
	const struct memlayout *l;
	const struct memlayout_host_facts *h;
	memlayout_host_emit_t emit;
	void *ctx;
	u64 count;
	u32 steps;
	bool may_sleep;
};

/* One more range walked: a long walk yields the CPU now and then. */
static void ml_fit_step(struct ml_fit *f)
{
	if (f->may_sleep && !(++f->steps % 1024))
		cond_resched();
}

/**
 * ml_fit_emit() - report one conflict
 * @f: the call.
 * @c: the conflict, but for @c->phys_bits.
 *
 * Return: 0, or what the caller's sink returned.
 */
static int ml_fit_emit(struct ml_fit *f, struct memlayout_host_conflict *c)
{
	f->count++;
	c->phys_bits = f->h->phys_bits;
	return f->emit ? f->emit(f->ctx, c) : 0;
}

/**
 * ml_fit_range() - report layout range @i (or VTL2) against a host range
 * @f: the call.
 * @c: the conflict's rule, device and host range, already set.
 * @i: range index in address order, or @f->l->nr for VTL2.
 *
 * Return: as ml_fit_emit().
 */
static int ml_fit_range(struct ml_fit *f, struct memlayout_host_conflict *c,
			u32 i)
{
	const struct memlayout *l = f->l;
	struct memlayout_entry e;

	if (i == l->nr) {
		c->list = MEMLAYOUT_LIST_VTL2;
		c->index = 0;
		c->start = l->vtl2_start;
		c->end = l->vtl2_end;
	} else {
		memlayout_entry(l, i, &e);
		c->list = e.kind;
		c->index = memlayout_entry_index(l, i);
		c->start = e.start;
		c->end = e.end;
	}
	return ml_fit_emit(f, c);
}

/*
 * Whether range @i (address order) is one a device may reach by DMA: RAM
 * (H2, H3; VTL2, the other one, is not a range and ml_fit_walk() reports
 * it on its own).
 */
static bool ml_fit_dma(const struct memlayout *l, u32 i)
{
	struct memlayout_entry e;

	memlayout_entry(l, i, &e);
	return e.kind == MEMLAYOUT_KIND_RAM;
}

/**
 * ml_fit_walk() - report ranges @from .. @to (address order) and VTL2
 * @f: the call.
 * @c: the conflict's rule, device and host range.
 * @from: first range index.
 * @to: one past the last.
 * @dma_only: report RAM only (H2, H3); else every range (H1).
 * @vtl2: whether VTL2 is reported too, at its place in address order.
 *
 * Return: as ml_fit_emit().
 */
static int ml_fit_walk(struct ml_fit *f, struct memlayout_host_conflict *c,
		       u32 from, u32 to, bool dma_only, bool vtl2)
{
	const struct memlayout *l = f->l;
	u32 i;
	int ret;

	for (i = from; i < to; i++) {
		if (vtl2 && l->vtl2_start < l->starts[i]) {
			ret = ml_fit_range(f, c, l->nr);
			if (ret)
				return ret;
			vtl2 = false;
		}
		ml_fit_step(f);
		if (dma_only && !ml_fit_dma(l, i))
			continue;
		ret = ml_fit_range(f, c, i);
		if (ret)
			return ret;
	}
	return vtl2 ? ml_fit_range(f, c, l->nr) : 0;
}

/* Whether [start, end) reaches past @last (inclusive). */
static bool ml_fit_above(u64 end, u64 last)
{
	return last != U64_MAX && end > last + 1;
}

/**
 * ml_fit_cpu() - H1: every range that ends above 2^phys_bits
 * @f: the call.
 *
 * Ends ascend with starts, so those ranges are a suffix.
 *
 * Return: as ml_fit_emit().
 */
static int ml_fit_cpu(struct ml_fit *f)
{
	const struct memlayout *l = f->l;
	struct memlayout_host_conflict c = {
		.rule = MEMLAYOUT_HOST_CPU_WIDTH,
		.device = MEMLAYOUT_NO_DEVICE,
		.host_last = U64_MAX,
	};
	bool vtl2 = l->flags & MEMLAYOUT_HAS_VTL2;
	u64 last;

	if (f->h->phys_bits >= 64)
		return 0;
	c.host_start = 1ULL << f->h->phys_bits;
	last = c.host_start - 1;
	vtl2 = vtl2 && ml_fit_above(l->vtl2_end, last);
	return ml_fit_walk(f, &c, memlayout_lower_bound(l, c.host_start),
			   l->nr, false, vtl2);
}

/**
 * ml_fit_aperture() - H2: RAM and VTL2 outside a device's aperture
 * @f: the call.
 * @c: the conflict's device, already set.
 * @d: the device.
 *
 * Those ranges are a prefix (starting below the aperture) and a suffix
 * (ending above it); they overlap only when a range encloses it.
 *
 * Return: as ml_fit_emit().
 */
static int ml_fit_aperture(struct ml_fit *f, struct memlayout_host_conflict *c,
			   const struct memlayout_host_dev *d)
{
	const struct memlayout *l = f->l;
	bool vtl2 = l->flags & MEMLAYOUT_HAS_VTL2;
	u32 below, above;
	int ret;

	c->rule = MEMLAYOUT_HOST_APERTURE;
	c->host_start = d->aperture_start;
	c->host_last = d->aperture_last;
	c->host_type = MEMLAYOUT_RESV_NONE;
	c->host_flags = 0;
	vtl2 = vtl2 && (l->vtl2_start < d->aperture_start ||
			ml_fit_above(l->vtl2_end, d->aperture_last));
	/* Ranges [0, below) start below the aperture. */
	below = memlayout_lower_bound(l, d->aperture_start);
	if (below < l->nr && l->starts[below] < d->aperture_start)
		below++;
	/* Ranges [above, nr) end above it. */
	above = d->aperture_last == U64_MAX ? l->nr :
		memlayout_lower_bound(l, d->aperture_last + 1);
	/* A range (or VTL2) encloses the aperture: every range conflicts. */
	if (above <= below)
		return ml_fit_walk(f, c, 0, l->nr, true, vtl2);
	ret = ml_fit_walk(f, c, 0, below,
			  true, vtl2 && l->vtl2_start < d->aperture_start);
	if (ret)
		return ret;
	return ml_fit_walk(f, c, above, l->nr, true,
			   vtl2 && l->vtl2_start >= d->aperture_start);
}

/**
 * ml_fit_region() - H3: RAM and VTL2 overlapping one reserved region
 * @f: the call.
 * @c: the conflict's device, already set.
 * @r: the region.
 *
 * Return: as ml_fit_emit().
 */
static int ml_fit_region(struct ml_fit *f, struct memlayout_host_conflict *c,
			 const struct memlayout_host_region *r)
{
	const struct memlayout *l = f->l;
	bool vtl2 = (l->flags & MEMLAYOUT_HAS_VTL2) &&
		    l->vtl2_start <= r->last && l->vtl2_end > r->start;
	u32 from = memlayout_lower_bound(l, r->start), to = from;

	c->rule = MEMLAYOUT_HOST_RESERVED;
	c->host_start = r->start;
	c->host_last = r->last;
	c->host_type = r->type;
	c->host_flags = r->flags;
	while (to < l->nr && l->starts[to] <= r->last) {
		ml_fit_step(f);
		to++;
	}
	return ml_fit_walk(f, c, from, to, true, vtl2);
}

/* Whether the facts are ones the checks can trust (-EINVAL if not). */
static bool ml_fit_facts_valid(const struct memlayout_host_facts *h)
{
	u32 i, j;

	if (h->phys_bits < 1 || h->phys_bits > 64 ||
	    h->nr_devices > MEMLAYOUT_MAX_HOST_DEVICES ||
	    (h->nr_devices && !h->devices))
		return false;
	for (i = 0; i < h->nr_devices; i++) {
		const struct memlayout_host_dev *d = &h->devices[i];

		if (d->flags & ~(MEMLAYOUT_DEVICE_IOMMU |
				 MEMLAYOUT_DEVICE_APERTURE |
				 MEMLAYOUT_DEVICE_PCI_ADDR))
			return false;
		if ((d->flags & MEMLAYOUT_DEVICE_APERTURE) &&
		    d->aperture_start > d->aperture_last)
			return false;
		if (d->nr_resv && !d->resv)
			return false;
		for (j = 0; j < d->nr_resv; j++) {
			const struct memlayout_host_region *r = &d->resv[j];

			if (r->start > r->last || r->flags & ~MEMLAYOUT_HOST_RELAXABLE ||
			    r->type < MEMLAYOUT_RESV_DIRECT ||
			    r->type > MEMLAYOUT_RESV_SW_MSI)
				return false;
		}
	}
	return true;
}

/**
 * memlayout_host_fit() - check a layout against a host (SPEC H1-H3)
 * @l: a built layout.
 * @h: the host's facts.
 * @emit: receives each conflict in turn, in the order "DOC: Host fit"
 *        documents; %NULL to count only.
 * @ctx: passed to @emit.
 * @count: receives the number of conflicts (those emitted, when @emit
 *         stops the check early).
 * @may_sleep: whether cond_resched() may be called on long walks.
 *
 * H1 checks every range and VTL2 against 2^@h->phys_bits. For each
 * device with %MEMLAYOUT_DEVICE_IOMMU, H2 checks RAM and VTL2 against its
 * aperture (only with %MEMLAYOUT_DEVICE_APERTURE) and H3 against each of
 * its reserved regions. A device without an IOMMU has no conflicts.
 * Each conflict's @phys_bits is @h->phys_bits; its @reserved is 0.
 *
 * Context: any; sleeps only if @may_sleep.
 * Return: 0; -EINVAL if @h is malformed (nothing emitted); -EOVERFLOW if
 * there are more than U32_MAX conflicts; or @emit's non-zero return.
 */
int memlayout_host_fit(const struct memlayout *l,
		       const struct memlayout_host_facts *h,
		       memlayout_host_emit_t emit, void *ctx, u32 *count,
		       bool may_sleep)
{
	struct ml_fit f = {
		.l = l,
		.h = h,
		.emit = emit,
		.ctx = ctx,
		.may_sleep = may_sleep,
	};
	u32 i, j;
	int ret;

	*count = 0;
	if (!ml_fit_facts_valid(h))
		return -EINVAL;
	ret = ml_fit_cpu(&f);
	for (i = 0; !ret && i < h->nr_devices; i++) {
		const struct memlayout_host_dev *d = &h->devices[i];
		struct memlayout_host_conflict c = { .device = i };

		if (!(d->flags & MEMLAYOUT_DEVICE_IOMMU))
			continue;
		if (d->flags & MEMLAYOUT_DEVICE_APERTURE)
			ret = ml_fit_aperture(&f, &c, d);
		for (j = 0; !ret && j < d->nr_resv; j++)
			ret = ml_fit_region(&f, &c, &d->resv[j]);
	}
	if (!ret && f.count > U32_MAX)
		ret = -EOVERFLOW;
	*count = min_t(u64, f.count, U32_MAX);
	return ret;
}
EXPORT_SYMBOL_GPL(memlayout_host_fit);
