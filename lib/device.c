// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout: handles, and the device client. Each call is one ioctl on
 * /dev/memlayout (GET_RANGES: as many as the size negotiation needs), or
 * the offline engine's function of the same meaning.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* 0 or -errno, with errno set to the positive value on failure. */
int ml_ret_errno(int ret)
{
	if (ret < 0)
		errno = -ret;
	return ret;
}

/*
 * ml_grow() - after -EMSGSIZE, room for the @want elements the kernel
 * asked for: @buf reallocated and @cap set to @want.
 * Return: 0; -EPROTO when @want is not more than @cap (EMSGSIZE always asks
 * for more than was given); -ENOMEM. @buf and @cap unchanged on error.
 */
int ml_grow(void **buf, uint32_t *cap, uint32_t want, size_t elem)
{
	void *bigger;

	if (want <= *cap)
		return -EPROTO;
	bigger = realloc(*buf, (size_t)want * elem);
	if (!bigger)
		return -ENOMEM;
	*buf = bigger;
	*cap = want;
	return 0;
}

/* The ioctl, retried on EINTR: 0 or -errno. */
int ml_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, cmd, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

static uint64_t uptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

struct memlayout_handle *memlayout_open(const char *path)
{
	struct memlayout_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->fd = open(path ? path : MEMLAYOUT_DEVICE, O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		int err = errno;

		free(h);
		errno = err;
		return NULL;
	}
	return h;
}

struct memlayout_handle *memlayout_offline(uint32_t max_ranges)
{
	struct memlayout_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->fd = -1;
	h->off = ml_offline_new(max_ranges);
	if (!h->off) {
		free(h);
		errno = ENOMEM;
		return NULL;
	}
	return h;
}

void memlayout_close(struct memlayout_handle *h)
{
	int err = errno;

	if (!h)
		return;
	if (h->off)
		ml_offline_free(h->off);
	else
		close(h->fd);
	free(h);
	errno = err;
}

int memlayout_fd(const struct memlayout_handle *h)
{
	return h->off ? -1 : h->fd;
}

int memlayout_get_info(struct memlayout_handle *h, struct memlayout_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (h->off)
		return ml_ret_errno(ml_offline_info(h->off, info));
	return ml_ret_errno(ml_ioctl(h->fd, MEMLAYOUT_IOC_GET_INFO, info));
}

int memlayout_set(struct memlayout_handle *h, struct memlayout_set *s)
{
	if (!s->size)
		s->size = sizeof(*s);
	if (h->off)
		return ml_ret_errno(ml_offline_set(h->off, s));
	return ml_ret_errno(ml_ioctl(h->fd, MEMLAYOUT_IOC_SET_LAYOUT, s));
}

int memlayout_get_stats(struct memlayout_handle *h, struct memlayout_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	if (h->off)
		return ml_ret_errno(ml_offline_stats(h->off, st));
	return ml_ret_errno(ml_ioctl(h->fd, MEMLAYOUT_IOC_GET_STATS, st));
}

/*
 * ml_read_array() - a read-back command (GET_RANGES, GET_LAYOUT,
 * GET_PLACEMENTS) until its buffer fits: a count 0 query first, then a
 * read that fails with -EMSGSIZE only if a replacement grew the layout in
 * between, in which case the new size is tried.
 * @cmd: the command.
 * @tmpl: the command's struct with everything but the count and the array
 *        pointer set; @arg starts from it each round.
 * @arg: receives the last reply.
 * @size: sizeof the struct.
 * @count_off: offset of its __u32 count.
 * @ptr_off: offset of its __u64 array pointer.
 * @elem: size of one array element.
 * @out: receives the malloc()ed array, NULL when empty or on error.
 */
static int ml_read_array(int fd, unsigned long cmd, const void *tmpl,
			 void *arg, size_t size, size_t count_off,
			 size_t ptr_off, size_t elem, void **out)
{
	uint32_t *count = (uint32_t *)((char *)arg + count_off);
	uint64_t *ptr = (uint64_t *)((char *)arg + ptr_off);
	void *buf = NULL, *bigger;
	uint32_t cap = 0;
	int ret;

	for (;;) {
		memcpy(arg, tmpl, size);
		*count = cap;
		*ptr = cap ? uptr(buf) : 0;
		ret = ml_ioctl(fd, cmd, arg);
		if (ret != -EMSGSIZE)
			break;
		bigger = realloc(buf, (size_t)*count * elem);
		if (!bigger) {
			ret = -ENOMEM;
			break;
		}
		buf = bigger;
		cap = *count;
	}
	if (ret || !*count) {
		free(buf);
		buf = NULL;
	}
	*out = buf;
	return ret;
}

static int device_ranges(int fd, uint32_t list, struct memlayout_range **out,
			 uint32_t *count, uint64_t *generation)
{
	struct memlayout_get_ranges t = { .size = sizeof(t), .list = list }, g;
	void *r;
	int ret;

	ret = ml_read_array(fd, MEMLAYOUT_IOC_GET_RANGES, &t, &g, sizeof(g),
			    offsetof(struct memlayout_get_ranges, count),
			    offsetof(struct memlayout_get_ranges, ranges_ptr),
			    sizeof(**out), &r);
	if (!ret) {
		*out = r;
		*count = g.count;
		if (generation)
			*generation = g.generation;
	}
	return ret;
}

int memlayout_set_placement(struct memlayout_handle *h,
			    const struct memlayout_place_req *reqs, uint32_t n,
			    uint32_t flags, struct memlayout_set *reply)
{
	struct memlayout_set s = {
		.size = sizeof(s),
		.flags = flags,
		.source = MEMLAYOUT_SOURCE_PLACE,
		.place_ptr = n ? uptr(reqs) : 0,
		.nr_place = n,
	};
	int ret = memlayout_set(h, &s);

	if (reply)
		*reply = s;
	return ret;
}

int memlayout_get_placements(struct memlayout_handle *h,
			     struct memlayout_placed **placed, uint32_t *count,
			     uint64_t *generation)
{
	struct memlayout_get_placements t = { .size = sizeof(t) }, g;
	void *p;
	int ret;

	*placed = NULL;
	*count = 0;
	if (h->off)
		return ml_ret_errno(ml_offline_placements(h->off, placed, count,
						       generation));
	ret = ml_read_array(h->fd, MEMLAYOUT_IOC_GET_PLACEMENTS, &t, &g,
			    sizeof(g),
			    offsetof(struct memlayout_get_placements, count),
			    offsetof(struct memlayout_get_placements, entries_ptr),
			    sizeof(**placed), &p);
	if (!ret) {
		*placed = p;
		*count = g.count;
		if (generation)
			*generation = g.generation;
	}
	return ml_ret_errno(ret);
}

int memlayout_get_ranges(struct memlayout_handle *h, uint32_t list,
			 struct memlayout_range **ranges, uint32_t *count,
			 uint64_t *generation)
{
	*ranges = NULL;
	*count = 0;
	if (h->off)
		return ml_ret_errno(ml_offline_ranges(h->off, list, ranges, count,
						   generation));
	return ml_ret_errno(device_ranges(h->fd, list, ranges, count, generation));
}

int memlayout_probe_batch(struct memlayout_handle *h, const uint64_t *addrs,
			  uint32_t *kinds, uint32_t count, uint64_t *generation)
{
	return memlayout_probe_ranges(h, addrs, kinds, NULL, count, generation);
}

int memlayout_probe_ranges(struct memlayout_handle *h, const uint64_t *addrs,
			   uint32_t *kinds, struct memlayout_probe_range *ranges,
			   uint32_t count, uint64_t *generation)
{
	uint32_t *own = NULL;
	struct memlayout_probe p;
	int ret;

	if (!count)
		return 0;
	if (!kinds) {
		own = calloc(count, sizeof(*own));
		if (!own)
			return ml_ret_errno(-ENOMEM);
		kinds = own;
	}
	if (h->off) {
		ret = ml_offline_probe(h->off, addrs, kinds, ranges, count,
				       generation);
	} else {
		memset(&p, 0, sizeof(p));
		p.size = sizeof(p);
		p.count = count;
		p.addrs_ptr = uptr(addrs);
		p.kinds_ptr = uptr(kinds);
		p.ranges_ptr = uptr(ranges);
		ret = ml_ioctl(h->fd, MEMLAYOUT_IOC_PROBE, &p);
		if (!ret && generation)
			*generation = p.generation;
	}
	free(own);
	return ml_ret_errno(ret);
}

/*
 * GET_LAYOUT: whatever succeeds is one layout: entries, figures,
 * generation and fingerprint from the same one.
 */
static int device_layout(int fd, struct memlayout_snapshot *snap)
{
	struct memlayout_get_layout t = {
		.size = sizeof(t), .stats_ptr = uptr(&snap->stats),
	}, g;
	void *e;
	int ret;

	ret = ml_read_array(fd, MEMLAYOUT_IOC_GET_LAYOUT, &t, &g, sizeof(g),
			    offsetof(struct memlayout_get_layout, count),
			    offsetof(struct memlayout_get_layout, entries_ptr),
			    sizeof(*snap->entries), &e);
	if (ret)
		return ret;
	snap->generation = g.generation;
	memcpy(snap->fingerprint, g.fingerprint, sizeof(snap->fingerprint));
	snap->nr = g.count;
	snap->entries = e;
	return 0;
}

int memlayout_get_layout(struct memlayout_handle *h,
			 struct memlayout_snapshot *snap)
{
	int ret;

	memset(snap, 0, sizeof(*snap));
	snap->stats.size = sizeof(snap->stats);
	if (h->off)
		ret = ml_offline_layout(h->off, snap);
	else
		ret = device_layout(h->fd, snap);
	if (ret)
		memset(snap, 0, sizeof(*snap));
	return ml_ret_errno(ret);
}

void memlayout_snapshot_free(struct memlayout_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->entries);
	memset(snap, 0, sizeof(*snap));
}

char *memlayout_fingerprint_hex(const uint8_t *fp, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < MEMLAYOUT_FINGERPRINT_SIZE; i++) {
		buf[2 * i] = hex[fp[i] >> 4];
		buf[2 * i + 1] = hex[fp[i] & 15];
	}
	buf[2 * MEMLAYOUT_FINGERPRINT_SIZE] = 0;
	return buf;
}
