// SPDX-License-Identifier: GPL-2.0
/*
 * answers - a canonical dump of GET_INFO, stats, ranges, probes and
 * rejections (errno and reason) for a fixed set of layouts, and of C4
 * placements (GET_PLACEMENTS, the placement reasons). init.sh runs
 * the 64-bit and the 32-bit build and compares the outputs byte for byte:
 * compat_ioctl must give a 32-bit process exactly the same answers.
 * Not a test by itself (no TAP); see ml_test.h.
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "ml_test.h"

static void dump_reason(const struct memlayout_set *s, int r)
{
	printf("  set=%s generation=%" PRIu64 " reason=%u/%u/%u/%u/%u/%u\n", errname(r),
	       (uint64_t)s->generation, s->reason.rule, s->reason.list, s->reason.index,
	       s->reason.other_list, s->reason.other_index, s->reason.field);
}

static void dump_layout(int fd, const char *name, const struct lay *l,
			const uint64_t *addrs, uint32_t naddrs)
{
	static uint32_t kinds[4096];
	struct memlayout_set s = mkset(l);
	struct memlayout_stats st;
	uint64_t g;
	uint32_t list, count, i;
	mr_t buf[64];
	int r;

	printf("layout %s\n", name);
	r = do_set(fd, &s);
	dump_reason(&s, r);
	r = get_stats(fd, &st);
	printf("  stats=%s", errname(r));
#define P(f) printf(" " #f "=%#" PRIx64, (uint64_t)st.f);
	if (!r) {
		STAT_FIELDS(P)
	}
#undef P
	printf("\n");
	for (list = L_RAM; list <= L_VTL2; list++) {
		r = get_ranges(fd, list, NULL, 0, &count, &g);
		printf("  list %s probe=%s count=%u generation=%" PRIu64 "\n", listname(list),
		       errname(r), count, g);
		if (count > ARRAY_SIZE(buf))
			count = ARRAY_SIZE(buf);
		r = get_ranges(fd, list, buf, count, &count, &g);
		printf("  list %s get=%s count=%u\n", listname(list), errname(r), count);
		for (i = 0; !r && i < count; i++)
			printf("    [%#" PRIx64 ", %#" PRIx64 ") vnode=%u reserved=%u\n",
			       (uint64_t)buf[i].start, (uint64_t)buf[i].end, buf[i].vnode,
			       buf[i].reserved);
	}
	r = probe(fd, addrs, kinds, naddrs, &g);
	printf("  probe=%s generation=%" PRIu64 " count=%u\n", errname(r), g, naddrs);
	for (i = 0; !r && i < naddrs; i++)
		printf("    %#018" PRIx64 " %s\n", addrs[i], kindname(kinds[i]));
}

#define PQ(c, k, a, b, sz, al)	{ .place_class = (c), .kind = (k), .start = (a), .end = (b), \
				  .size = (sz), .align = (al) }

/*
 * C4 (SPEC): one valid request array (the q35 guest of place_test) and
 * one for each rule P1-P4 and R2, R5, R8, the unknown class: the reply,
 * the placement reason, and the placed ranges.
 */
static void dump_placements(int fd)
{
	static const struct memlayout_place_req arrays[][5] = {
		{ PQ(2, 2, 0xFE000000ULL, G4, 0, 0), PQ(3, 3, 0, 0, 256 * MiB, 256 * MiB),
		  PQ(4, 0, 0, 0, 2 * GiB, 2 * MiB), PQ(4, 0, 0, 0, 4 * GiB, GiB),
		  PQ(6, 5, 0, 0, 64 * MiB, 2 * MiB) },
		{ PQ(4, 0, 0, 0, GiB + 1, PG) },
		{ PQ(4, 0, 0, 0, GiB, 3 * PG) },
		{ PQ(1, 0, GiB, 2 * GiB, 0, 0), PQ(2, 2, GiB + PG, 3 * GiB, 0, 0),
		  PQ(4, 0, 0, 0, GiB, PG) },
		{ PQ(1, 0, 0, 0xF0000000ULL, 0, 0), PQ(3, 2, 0, 0, 512 * MiB, PG),
		  PQ(4, 0, 0, 0, GiB, PG) },
		{ PQ(2, 2, 5 * GiB, 5 * GiB, 0, 0), PQ(4, 0, 0, 0, GiB, PG) },
		{ PQ(3, 2, 0, 0, PG, PG) },
		{ PQ(4, 0, 0, 0, GiB, PG), PQ(9, 0, 0, 0, 0, 0) },
		{ PQ(4, 0, 0, 0, GiB, PG), PQ(5, 1, 0, 0, GiB, GiB) },
	};
	static struct memlayout_placed out[16];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(arrays); i++) {
		struct memlayout_set s;
		uint32_t n = 0, count = 0;
		uint64_t g = 0;
		int r;

		while (n < ARRAY_SIZE(arrays[i]) && arrays[i][n].place_class)
			n++;
		memset(&s, 0, sizeof(s));
		s.size = sizeof(s);
		s.source = MEMLAYOUT_SOURCE_PLACE;
		s.place_ptr = U64P(arrays[i]);
		s.nr_place = n;
		r = do_set(fd, &s);
		printf("placement #%u (%u requests)\n", i, n);
		dump_reason(&s, r);
		printf("  place_reason=%u/%u/%u/%u/%u/%u size=%#" PRIx64 " align=%#" PRIx64
		       " free=%#" PRIx64 " fingerprint=%s\n", s.place_reason.place_class,
		       s.place_reason.index, s.place_reason.other_class,
		       s.place_reason.other_index, s.place_reason.phase, s.place_reason.reserved,
		       (uint64_t)s.place_reason.size, (uint64_t)s.place_reason.align,
		       (uint64_t)s.place_reason.free, fphex(s.fingerprint));
		r = get_placements(fd, out, ARRAY_SIZE(out), &count, &g);
		printf("  placements=%s count=%u generation=%" PRIu64 "\n", errname(r), count, g);
		for (j = 0; !r && j < count; j++)
			printf("    [%#" PRIx64 ", %#" PRIx64 ") class=%u index=%u kind=%u vnode=%u\n",
			       (uint64_t)out[j].start, (uint64_t)out[j].end, out[j].place_class,
			       out[j].index, out[j].kind, out[j].vnode);
	}
}

int main(void)
{
	static uint64_t addrs[4096];
	static struct model m;
	static struct rlay rl[12];
	struct memlayout_info in;
	uint32_t n = 0, i, j;
	int fd = open_dev(), r;
	char name[64];

	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	r = xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in);
	printf("info=%s api_version=%u max_ranges=%u max_probe=%u set_flags=%#x page_size=%#" PRIx64
	       " max_address=%#" PRIx64 "\n", errname(r), in.api_version, in.max_ranges,
	       in.max_probe, in.set_flags, (uint64_t)in.page_size, (uint64_t)in.max_address);
	printf("info nr_kinds=%u nr_lists=%u max_rule=%u sources=%#x probe_flags=%#x get_ranges_flags=%#x commands=%#" PRIx64 " nr_classes=%u\n",
	       in.nr_kinds, in.nr_lists, in.max_rule, in.sources, in.probe_flags,
	       in.get_ranges_flags, (uint64_t)in.commands, in.nr_classes);

	/* Addresses: every edge of every fixed layout, then a spread. */
	for (i = 0; i < nr_examples; i++) {
		model_build(&examples[i].l, &m);
		n += model_edges(&m, addrs + n, 1200 - n);
	}
	rng_state = 0xA115EEDULL;
	for (i = 0; i < ARRAY_SIZE(rl); i++)
		random_lay(&rl[i]);
	while (n < 2048) {
		uint32_t bits = (uint32_t)rndn(65);

		addrs[n++] = bits == 64 ? rnd() : rnd() & ((1ULL << bits) - 1);
	}

	for (i = 0; i < nr_examples; i++)
		dump_layout(fd, examples[i].name, &examples[i].l, addrs, n);
	for (i = 0; i < ARRAY_SIZE(rl); i++) {
		snprintf(name, sizeof(name), "random #%u", i);
		dump_layout(fd, name, &rl[i].l, addrs, n);
	}

	/* Rejections: errno and reason, identical for both ABIs. */
	{
		struct lay bad[] = {
			{ C1(0) },
			{ C2(GiB, 0) },
			{ C1(GiB), MMIO(R(GiB + 1, 2 * GiB)) },
			{ C1(GiB), MMIO(R(3 * GiB, 4 * GiB), R(GiB, 2 * GiB)) },
			{ C1(PG), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
			  ECAM(R(3 * GiB + 512 * MiB, 5 * GiB)) },
			{ C3(R(0, 2 * GiB)), VTL2(GiB, 3 * GiB) },
			{ C3_NORAM, MMIO(R(GiB, 2 * GiB)) },
			{ C2(1ULL << 63, 1ULL << 63) },
			{ C3(R(0, GiB), R(2 * GiB, 3 * GiB)), VTL2(GiB, GiB + 64 * MiB) },
			{ C3(R(0, GiB), { GiB, 2 * GiB, 0, 1 }) },
		};

		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			struct memlayout_set s = mkset(&bad[j]);

			r = do_set(fd, &s);
			printf("reject #%u\n", j);
			dump_reason(&s, r);
		}
		rng_state = 0xA115EED2ULL;
		for (j = 0; j < 40; j++) {
			struct memlayout_set s;

			random_lay(&rl[0]);
			mutate(&rl[0]);
			s = mkset(&rl[0].l);
			r = do_set(fd, &s);
			printf("random reject #%u\n", j);
			dump_reason(&s, r);
		}
		{
			struct memlayout_set s = mkset(&(struct lay){ C1(GiB) });

			s.flags = 0x100;
			r = do_set(fd, &s);
			printf("reject flags\n");
			dump_reason(&s, r);
		}
	}
	dump_placements(fd);
	close(fd);
	return 0;
}
