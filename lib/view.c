// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: the shared view's reader (SPEC V1-V3). The one
 * implementation of the sequence counter protocol documented in the UAPI
 * header ("Shared view"): every read of the view goes through ml_view_read(),
 * which retries until it has read one layout whole, or, for one address
 * and its kind, through memlayout_view_try_probe() (libmemlayout.h,
 * inline), one attempt of the same protocol on a lean path.
 *
 * The view is memory another party writes at any time (the kernel, or
 * the offline engine's writer in another thread), so each load is an
 * atomic relaxed load and every index is checked against the mapping
 * before it is used: a torn read is discarded by the counter check, but
 * must never read outside the mapping first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define LD(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

/*
 * The view's size for a file whose view does not exist yet: room for the
 * largest layout the module accepts (seven lists of max_ranges), so that
 * it is never too large.
 */
static size_t view_default_size(struct memlayout_handle *h)
{
	struct memlayout_info info;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t want;

	if (memlayout_get_info(h, &info))
		info.max_ranges = MEMLAYOUT_OFFLINE_MAX_RANGES;
	want = 128 + (uint64_t)7 * info.max_ranges *
	       (sizeof(uint64_t) + sizeof(struct memlayout_view_record) +
		2 * sizeof(uint32_t));
	if (want > MEMLAYOUT_VIEW_MAX_SIZE)
		want = MEMLAYOUT_VIEW_MAX_SIZE;
	return (size_t)((want + page - 1) / page * page);
}

/*
 * What a probe needs besides the header: version 1's fixed place of the
 * starts and how many ranges (starts, records, index) fit in this map
 * ("DOC: Shared view").
 */
static void view_map_init(struct memlayout_view_map *m)
{
	const size_t per = sizeof(uint64_t) + sizeof(struct memlayout_view_record) +
			   2 * sizeof(uint32_t);
	size_t cap = 0;

	m->r.view = m->v;
	m->r.starts = (const uint64_t *)((const uint8_t *)m->v +
					 MEMLAYOUT_VIEW_STARTS_OFF);
	/* A header without the index's members: the fast path stands aside. */
	if (m->len > MEMLAYOUT_VIEW_STARTS_OFF &&
	    LD(m->v->header_size) >= sizeof(struct memlayout_view))
		cap = (m->len - MEMLAYOUT_VIEW_STARTS_OFF) / per;
	m->r.cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
}

struct memlayout_view_reader memlayout_view_reader(const struct memlayout_view_map *m)
{
	return m->r;
}

int memlayout_view_open(struct memlayout_handle *h, size_t size,
			struct memlayout_view_map **out)
{
	struct memlayout_view_map *m;
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -(errno = ENOMEM);
	if (h->off) {
		m->v = ml_offline_view(h->off, size ? size : view_default_size(h),
				       &m->len);
		if (!m->v) {
			free(m);
			return -(errno = ENOMEM);
		}
		view_map_init(m);
		*out = m;
		return 0;
	}
	if (!size)
		size = view_default_size(h);
	size = (size + page - 1) / page * page;
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, h->fd, 0);
	if (p == MAP_FAILED && errno == EINVAL) {
		/* The view exists, smaller: its header says how big. */
		const struct memlayout_view *v;

		p = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, h->fd, 0);
		if (p != MAP_FAILED) {
			v = p;
			size = (size_t)LD(v->size);
			munmap(p, (size_t)page);
			p = mmap(NULL, size, PROT_READ, MAP_SHARED, h->fd, 0);
		}
	}
	if (p != MAP_FAILED && LD(((const struct memlayout_view *)p)->size) > size) {
		/* The view exists, larger: map it whole. */
		size_t whole = (size_t)LD(((const struct memlayout_view *)p)->size);

		munmap(p, size);
		size = whole;
		p = mmap(NULL, size, PROT_READ, MAP_SHARED, h->fd, 0);
	}
	if (p == MAP_FAILED) {
		int err = errno;

		free(m);
		return -(errno = err);
	}
	m->v = p;
	m->len = size;
	m->mapped = 1;
	view_map_init(m);
	/* The kernel never changes these: checked once, not per probe. */
	if (LD(m->v->magic) != MEMLAYOUT_VIEW_MAGIC ||
	    LD(m->v->version) != MEMLAYOUT_VIEW_VERSION) {
		memlayout_view_close(m);
		return -(errno = EPROTO);
	}
	*out = m;
	return 0;
}

void memlayout_view_close(struct memlayout_view_map *m)
{
	if (!m)
		return;
	if (m->mapped)
		munmap((void *)m->v, m->len);
	free(m);
}

const struct memlayout_view *memlayout_view_header(const struct memlayout_view_map *m)
{
	return m->v;
}

/*
 * The last range starting at or below @addr among @nr starts, or -1: the
 * bucket index's candidates (@ix, NULL for all ranges), then a
 * branch-free binary search among them (the loads feed a conditional
 * move). What the index gives is bounded by nr - 1 first: a torn read
 * must stay within the map until the counter discards it.
 */
static long view_search(const uint64_t *st, uint32_t nr, const uint32_t *ix,
			uint32_t shift, uint64_t addr)
{
	uint32_t lo = 0, hi, n, half, x;
	uint64_t b;

	if (!nr || addr < LD(st[0]))
		return -1;
	hi = nr - 1;
	if (ix) {
		b = addr >> shift;
		b = b < 2 * (uint64_t)nr - 2 ? b : 2 * (uint64_t)nr - 2;
		x = LD(ix[b + 1]);
		hi = x < hi ? x : hi;
		x = LD(ix[b]);
		lo = x < hi ? x : hi;
	}
	for (n = hi - lo + 1; n > 1;) {
		half = n / 2;
		lo = LD(st[lo + half]) <= addr ? lo + half : lo;
		n -= half;
	}
	return lo;
}

/*
 * ml_view_read() - probe @n addresses, all in one layout
 * Return: 0; -ENOENT (no layout yet), -E2BIG (the layout's ranges are not
 * in the view, or not within this mapping: use the ioctls), -EPROTO (not
 * a view this library knows).
 */
static int ml_view_read(const struct memlayout_view_map *m,
			const uint64_t *addrs, uint32_t *kinds,
			struct memlayout_map_entry *hits, uint32_t n,
			uint64_t *generation)
{
	const struct memlayout_view *v = m->v;
	const uint8_t *base = (const uint8_t *)v;
	uint32_t seq, flags, nr, shift, i;
	uint64_t so, ro, io, gen;
	const uint32_t *ix;
	int ret;

	if (LD(v->magic) != MEMLAYOUT_VIEW_MAGIC ||
	    LD(v->version) != MEMLAYOUT_VIEW_VERSION)
		return -EPROTO;
	for (;;) {
		seq = __atomic_load_n(&v->seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;	/* the writer is inside */
		flags = LD(v->flags);
		gen = LD(v->generation);
		nr = LD(v->nr);
		so = LD(v->starts_off);
		ro = LD(v->records_off);
		ret = 0;
		if (!(flags & MEMLAYOUT_VIEW_LAYOUT))
			ret = -ENOENT;
		else if ((flags & MEMLAYOUT_VIEW_TOO_LARGE) || so % 8 || ro % 8 ||
			 so + (uint64_t)nr * 8 > ro ||
			 ro + (uint64_t)nr * sizeof(struct memlayout_view_record) > m->len)
			ret = -E2BIG;
		/* The bucket index, where it is and whole within the map. */
		ix = NULL;
		shift = MEMLAYOUT_VIEW_NO_INDEX;
		if (!ret && nr && LD(v->header_size) >= sizeof(*v)) {
			io = LD(v->index_off);
			shift = LD(v->index_shift);
			if (shift <= 63 && io == ro + (uint64_t)nr * 16 &&
			    io + (uint64_t)nr * 8 <= m->len)
				ix = (const uint32_t *)(base + io);
		}
		for (i = 0; !ret && i < n; i++) {
			const struct memlayout_view_record *rec =
				(const void *)(base + ro);
			long k = view_search((const uint64_t *)(base + so), nr,
					     ix, shift, addrs[i]);
			uint64_t end = k < 0 ? 0 : LD(rec[k].end);
			int in = k >= 0 && addrs[i] < end;

			if (kinds)
				kinds[i] = in ? LD(rec[k].kind) : MEMLAYOUT_KIND_NONE;
			if (hits) {
				memset(&hits[i], 0, sizeof(hits[i]));
				if (in) {
					hits[i].start = LD(((const uint64_t *)(base + so))[k]);
					hits[i].end = end;
					hits[i].vnode = LD(rec[k].vnode);
					hits[i].kind = LD(rec[k].kind);
				}
			}
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (LD(v->seq) == seq)
			break;
	}
	if (!ret && generation)
		*generation = gen;
	return ret;
}

/*
 * One address by the general reader (with its range, or when the lean
 * path cannot answer), errno set: out of line, so that the lean path
 * needs no stack frame.
 */
static __attribute__((noinline)) int view_general(const struct memlayout_view_map *m,
						  uint64_t addr, uint32_t *kind,
						  struct memlayout_map_entry *hit,
						  uint64_t *generation)
{
	int ret = ml_view_read(m, &addr, kind, hit, 1, generation);

	if (ret)
		errno = -ret;
	return ret;
}

int memlayout_view_probe(const struct memlayout_view_map *m, uint64_t addr,
			 uint32_t *kind, struct memlayout_map_entry *hit,
			 uint64_t *generation)
{
	/* A tail call, or the lean path's answer. */
	if (hit || __builtin_expect(memlayout_view_try_probe(&m->r, addr, kind,
							    generation), 0))
		return view_general(m, addr, kind, hit, generation);
	return 0;
}

int memlayout_view_probe_batch(const struct memlayout_view_map *m,
			       const uint64_t *addrs, uint32_t *kinds,
			       uint32_t count, uint64_t *generation)
{
	int ret = ml_view_read(m, addrs, kinds, NULL, count, generation);

	if (ret)
		errno = -ret;
	return ret;
}

int memlayout_view_read_header(const struct memlayout_view_map *m,
			       struct memlayout_view *out)
{
	const struct memlayout_view *v = m->v;
	uint32_t seq;

	if (LD(v->magic) != MEMLAYOUT_VIEW_MAGIC ||
	    LD(v->version) != MEMLAYOUT_VIEW_VERSION) {
		errno = EPROTO;
		return -EPROTO;
	}
	for (;;) {
		seq = __atomic_load_n(&v->seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		out->magic = LD(v->magic);
		out->version = LD(v->version);
		out->flags = LD(v->flags);
		out->generation = LD(v->generation);
		out->nr = LD(v->nr);
		out->header_size = LD(v->header_size);
		out->size = LD(v->size);
		out->starts_off = LD(v->starts_off);
		out->records_off = LD(v->records_off);
		out->vtl2_start = LD(v->vtl2_start);
		out->vtl2_end = LD(v->vtl2_end);
		for (unsigned int i = 0; i < sizeof(out->fingerprint); i++)
			out->fingerprint[i] = LD(v->fingerprint[i]);
		/* Members an older module's header does not have read as none. */
		out->index_off = 0;
		out->index_shift = MEMLAYOUT_VIEW_NO_INDEX;
		out->reserved = 0;
		if (out->header_size >= sizeof(*out)) {
			out->index_off = LD(v->index_off);
			out->index_shift = LD(v->index_shift);
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (LD(v->seq) == seq)
			break;
	}
	out->seq = seq;
	return 0;
}
