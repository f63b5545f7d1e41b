// SPDX-License-Identifier: GPL-2.0
/*
 * libmemlayout tests, against the offline engine (no module needed): the
 * SPEC examples, every rule and every reason the interface checks produce,
 * the names and the messages. Every expected value is written by hand from
 * SPEC and the UAPI header's documentation, not computed by the library.
 *
 * Built twice by lib/check.sh, against libmemlayout.a and libmemlayout.so.
 * Ends with "N passed, N failed"; exits 1 on any failure.
 *
 *   test                          the offline engine
 *   test --device /dev/memlayout [--param /sys/module/memlayout/parameters/max_ranges]
 *                                 the same examples, rejections and size
 *                                 checks through the device client (the
 *                                 test guest runs this; with --param the
 *                                 R8 cases set max_ranges and restore it)
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmemlayout.h>

#define KiB		0x400ULL
#define MiB		0x100000ULL
#define GiB		0x40000000ULL
#define TiB		0x10000000000ULL
#define MAXA		MEMLAYOUT_MAX_ADDRESS
#define PTR(p)		((uint64_t)(uintptr_t)(p))
#define FIELD(m)	((uint32_t)offsetof(struct memlayout_set, m))
#define RFIELD(m)	((uint32_t)offsetof(struct memlayout_range, m))

static int passed, failed;
static const char *device, *param;

static void check(int ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static void check(int ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s: ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define EQ64(what, got, want) \
	check((uint64_t)(got) == (uint64_t)(want), what, "%s = 0x%" PRIx64 ", want 0x%" PRIx64, \
	      #got, (uint64_t)(got), (uint64_t)(want))
#define STREQ(what, got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	check((!g_ && !w_) || (g_ && w_ && !strcmp(g_, w_)), what, "%s = \"%s\", want \"%s\"", \
	      #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

/* An offline handle, or with --device a new open file of the device. */
static struct memlayout_handle *offline(uint32_t max_ranges)
{
	struct memlayout_handle *h = device ? memlayout_open(device) :
				     memlayout_offline(max_ranges);

	if (!h) {
		perror(device ? device : "memlayout_offline");
		exit(2);
	}
	return h;
}

/* With --device: set the module's max_ranges (0: back to 4096). */
static int set_param(uint32_t max_ranges)
{
	FILE *f;
	int ok;

	if (!device)
		return 1;
	if (!param)
		return 0;
	f = fopen(param, "w");
	if (!f)
		return 0;
	ok = fprintf(f, "%u\n", max_ranges ? max_ranges : 4096) > 0;
	return !fclose(f) && ok;
}

/* ---- SPEC examples -------------------------------------------------------- */

struct want_range {
	uint64_t start, end;
	uint32_t vnode;
};

static void check_list(struct memlayout_handle *h, const char *what,
		       uint32_t list, const struct want_range *w, uint32_t n)
{
	struct memlayout_range *r;
	uint32_t count, i;
	uint64_t gen;
	int ret;

	ret = memlayout_get_ranges(h, list, &r, &count, &gen);
	check(!ret, what, "get_ranges(%s) = %d", memlayout_list_name(list), ret);
	if (ret)
		return;
	check(count == n, what, "%s: %u ranges, want %u",
	      memlayout_list_name(list), count, n);
	for (i = 0; i < count && i < n; i++) {
		check(r[i].start == w[i].start && r[i].end == w[i].end &&
		      r[i].vnode == w[i].vnode && !r[i].reserved, what,
		      "%s[%u] = [0x%llx, 0x%llx) node %u, want [0x%" PRIx64 ", 0x%" PRIx64 ") node %u",
		      memlayout_list_name(list), i,
		      (unsigned long long)r[i].start, (unsigned long long)r[i].end,
		      r[i].vnode, w[i].start, w[i].end, w[i].vnode);
	}
	free(r);
}

/* The make run x86 example: 1 TiB, MMIO gaps [1G, 2G) and [3G, 4G), VTL2. */
static void test_x86_example(void)
{
	static const char what[] = "x86 1 TiB example (C1, Q1-Q9)";
	struct memlayout_range mmio[] = {
		{ 1 * GiB, 2 * GiB, 0, 0 }, { 3 * GiB, 4 * GiB, 0, 0 },
	};
	static const struct want_range ram[] = {
		{ 0, 1 * GiB, 0 }, { 2 * GiB, 3 * GiB, 0 },
		{ 4 * GiB, TiB + 2 * GiB, 0 },
	};
	static const struct want_range vtl2[] = { { 2 * TiB, 2 * TiB + 64 * MiB, 0 } };
	static const uint64_t addrs[] = {
		0, 1 * GiB - 1, 1 * GiB, 2 * GiB, 3 * GiB + 5, 4 * GiB,
		TiB + 2 * GiB - 1, TiB + 2 * GiB, 2 * TiB, MAXA - 1, ~0ULL,
	};
	static const uint32_t want_kinds[] = {
		MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_MMIO,
		MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_MMIO, MEMLAYOUT_KIND_RAM,
		MEMLAYOUT_KIND_RAM, MEMLAYOUT_KIND_NONE, MEMLAYOUT_KIND_NONE,
		MEMLAYOUT_KIND_NONE, MEMLAYOUT_KIND_NONE,
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s = {
		.size = sizeof(s),
		.flags = MEMLAYOUT_SET_VTL2,
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = TiB,
		.mmio_ptr = PTR(mmio),
		.nr_mmio = 2,
		.vtl2 = { 2 * TiB, 2 * TiB + 64 * MiB, 0, 0 },
	};
	struct memlayout_stats st;
	uint32_t kinds[sizeof(addrs) / sizeof(addrs[0])];
	uint64_t gen = 0;
	unsigned int i;
	int ret;

	ret = memlayout_get_stats(h, &st);
	check(ret == -ENOENT && errno == ENOENT, what,
	      "stats before any layout = %d, want -ENOENT", ret);
	ret = memlayout_set(h, &s);
	check(!ret, what, "set = %d (rule %u)", ret, s.reason.rule);
	EQ64(what, s.generation, 1);
	check_list(h, what, MEMLAYOUT_LIST_RAM, ram, 3);
	check_list(h, what, MEMLAYOUT_LIST_MMIO, (const struct want_range[]){
		{ 1 * GiB, 2 * GiB, 0 }, { 3 * GiB, 4 * GiB, 0 } }, 2);
	check_list(h, what, MEMLAYOUT_LIST_PCI_ECAM, NULL, 0);
	check_list(h, what, MEMLAYOUT_LIST_VTL2, vtl2, 1);

	ret = memlayout_get_stats(h, &st);
	check(!ret, what, "stats = %d", ret);
	EQ64(what, st.generation, 1);
	EQ64(what, st.nr_ram, 3);
	EQ64(what, st.nr_mmio, 2);
	EQ64(what, st.ram_size, TiB);				/* Q2 */
	EQ64(what, st.end_of_ram, TiB + 2 * GiB);		/* Q3 */
	EQ64(what, st.ram_below_4gb, 2 * GiB);			/* Q4 */
	EQ64(what, st.ram_above_4gb, TiB - 2 * GiB);		/* Q5 */
	EQ64(what, st.present, MEMLAYOUT_STATS_VTL2 |
	     MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB |
	     MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO);
	EQ64(what, st.max_ram_below_4gb, 3 * GiB);		/* Q6 */
	EQ64(what, st.ram_above_high_mmio, TiB - 2 * GiB);	/* Q7 */
	EQ64(what, st.end_of_layout, TiB + 2 * GiB);		/* Q8 */
	EQ64(what, st.vtl2_start, 2 * TiB);
	EQ64(what, st.vtl2_end, 2 * TiB + 64 * MiB);

	ret = memlayout_probe_batch(h, addrs, kinds, sizeof(addrs) / sizeof(addrs[0]),
				    &gen);
	check(!ret, what, "probe = %d", ret);
	EQ64(what, gen, 1);
	for (i = 0; !ret && i < sizeof(addrs) / sizeof(addrs[0]); i++)
		check(kinds[i] == want_kinds[i], what, "probe(0x%" PRIx64 ") = %s, want %s",
		      addrs[i], memlayout_kind_name(kinds[i]),
		      memlayout_kind_name(want_kinds[i]));
	memlayout_close(h);
}

/* The make run NUMA example's shape: two nodes of 2 GiB, an ECAM hole. */
static void test_numa_example(void)
{
	static const char what[] = "two-node example (C2)";
	uint64_t nodes[] = { 2 * GiB, 2 * GiB };
	struct memlayout_range ecam[] = { { 3 * GiB, 3 * GiB + 256 * MiB, 0, 0 } };
	static const struct want_range ram[] = {
		{ 0, 2 * GiB, 0 }, { 2 * GiB, 3 * GiB, 1 },
		{ 3 * GiB + 256 * MiB, 4 * GiB + 256 * MiB, 1 },
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_NODES,
		.nr_nodes = 2, .nodes_ptr = PTR(nodes),
		.nr_pci_ecam = 1, .pci_ecam_ptr = PTR(ecam),
	};
	struct memlayout_stats st;
	int ret;

	ret = memlayout_set(h, &s);		/* size 0: the library fills it */
	check(!ret && s.size == sizeof(s), what, "set = %d, size %u", ret, s.size);
	check_list(h, what, MEMLAYOUT_LIST_RAM, ram, 3);
	ret = memlayout_get_stats(h, &st);
	check(!ret, what, "stats = %d", ret);
	EQ64(what, st.ram_size, 4 * GiB);
	EQ64(what, st.ram_below_4gb, 3 * GiB + 768 * MiB);
	EQ64(what, st.ram_above_4gb, 256 * MiB);
	EQ64(what, st.max_ram_below_4gb, 4 * GiB);
	EQ64(what, st.present, MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB);
	EQ64(what, st.ram_above_high_mmio, 0);
	EQ64(what, st.end_of_layout, 4 * GiB + 256 * MiB);
	memlayout_close(h);
}

/* SPEC D1, D2, D3. */
static void test_differences(void)
{
	struct memlayout_range gap[] = { { 0, 4 * KiB, 0, 0 } };
	struct memlayout_range ram8[] = { { 0, 8 * GiB, 7, 0 } };
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_SIZE, .ram_size = 1 * GiB,
		.nr_mmio = 1, .mmio_ptr = PTR(gap),
	};
	struct memlayout_stats st;

	check(!memlayout_set(h, &s), "D1", "set failed: %s", strerror(errno));
	check_list(h, "D1", MEMLAYOUT_LIST_RAM,
		   (const struct want_range[]){ { 4 * KiB, 1 * GiB + 4 * KiB, 0 } }, 1);

	memset(&s, 0, sizeof(s));
	s.source = MEMLAYOUT_SOURCE_RANGES;
	s.nr_ram = 1;
	s.ram_ptr = PTR(ram8);
	check(!memlayout_set(h, &s), "D2", "set failed: %s", strerror(errno));
	EQ64("D2", s.generation, 2);
	check(!memlayout_get_stats(h, &st), "D2", "stats failed");
	EQ64("D2", st.ram_below_4gb, 4 * GiB);
	EQ64("D2", st.ram_above_4gb, 4 * GiB);
	EQ64("D2", st.max_ram_below_4gb, 4 * GiB);
	EQ64("D3", st.end_of_layout, 8 * GiB);
	check_list(h, "C3 keeps vnode", MEMLAYOUT_LIST_RAM,
		   (const struct want_range[]){ { 0, 8 * GiB, 7 } }, 1);
	memlayout_close(h);
}

/* ---- rejections: errno and reason ------------------------------------------ */

/*
 * One rejection: a request, the errno and the whole reason expected, and
 * the message memlayout_strerror() must give for it.
 */
struct reject_case {
	const char *name;
	struct memlayout_set s;
	uint32_t max_ranges;
	int err;
	struct memlayout_reason want;
	const char *msg;
};

static struct memlayout_range r_1g[] = { { 1 * GiB, 2 * GiB, 0, 0 } };
static struct memlayout_range r_ram2[] = {
	{ 0, 1 * GiB, 0, 0 }, { 2 * GiB, 3 * GiB, 0, 0 },
};
static struct memlayout_range r_unaligned[] = {
	{ 0, 1 * GiB, 0, 0 }, { 2 * GiB, 3 * GiB + 1, 0, 0 },
};
static struct memlayout_range r_empty[] = { { 4 * KiB, 4 * KiB, 0, 0 } };
static struct memlayout_range r_reversed[] = { { 8 * KiB, 4 * KiB, 0, 0 } };
static struct memlayout_range r_unsorted[] = {
	{ 2 * GiB, 3 * GiB, 0, 0 }, { 1 * GiB, 2 * GiB, 0, 0 },
};
static struct memlayout_range r_overlapping[] = {
	{ 1 * GiB, 3 * GiB, 0, 0 }, { 2 * GiB, 4 * GiB, 0, 0 },
};
static struct memlayout_range r_ram_0_2g[] = { { 0, 2 * GiB, 0, 0 } };
static struct memlayout_range r_three[] = {
	{ 1 * GiB, 2 * GiB, 0, 0 }, { 3 * GiB, 4 * GiB, 0, 0 },
	{ 5 * GiB, 6 * GiB, 0, 0 },
};
static struct memlayout_range r_reserved1[] = {
	{ 0, 1 * GiB, 0, 0 }, { 2 * GiB, 3 * GiB, 0, 9 },
};
static struct memlayout_range r_vnode[] = { { 1 * GiB, 2 * GiB, 3, 0 } };
static uint64_t n_bad[] = { 1 * GiB, 5 };
static uint64_t n_huge[] = { 1ULL << 63, 1ULL << 63 };
static uint64_t n_three[] = { 1 * GiB, 1 * GiB, 1 * GiB };

#define R(rule_, list_, index_, ol_, oi_, field_) \
	{ .rule = (rule_), .list = (list_), .index = (index_), \
	  .other_list = (ol_), .other_index = (oi_), .field = (field_) }
#define SIZE1G	.source = MEMLAYOUT_SOURCE_SIZE, .ram_size = 1 * GiB
#define L_NONE	MEMLAYOUT_LIST_NONE
#define L_RAM	MEMLAYOUT_LIST_RAM
#define L_MMIO	MEMLAYOUT_LIST_MMIO
#define L_ECAM	MEMLAYOUT_LIST_PCI_ECAM
#define L_PMMIO	MEMLAYOUT_LIST_PCI_MMIO
#define L_VTL2	MEMLAYOUT_LIST_VTL2
#define L_NODES	MEMLAYOUT_LIST_NODES
#define RSV	MEMLAYOUT_REASON_RESERVED


/* The reason must equal @want exactly; a previous layout must survive. */
static void run_rejections(const struct reject_case *cases, unsigned int n)
{
	char msg[MEMLAYOUT_STRERROR_LEN];
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct reject_case *c = &cases[i];
		struct memlayout_handle *h;
		struct memlayout_set ok = { .source = MEMLAYOUT_SOURCE_SIZE,
					    .ram_size = 1 * GiB };
		struct memlayout_set s = c->s;
		struct memlayout_stats st;
		const struct memlayout_reason *r = &s.reason;
		int ret;

		if (c->max_ranges && !set_param(c->max_ranges)) {
			printf("skip: %s: cannot set max_ranges\n", c->name);
			continue;
		}
		h = offline(c->max_ranges);
		check(!memlayout_set(h, &ok), c->name, "first layout failed");
		memset(&s.reason, 0xa5, sizeof(s.reason));
		s.generation = 77;
		ret = memlayout_set(h, &s);
		check(ret == -c->err && errno == c->err, c->name,
		      "ret %d errno %d, want -%d", ret, errno, c->err);
		check(!memcmp(r, &c->want, sizeof(*r)), c->name,
		      "reason {%u, %u, %u, %u, %u, %u}, want {%u, %u, %u, %u, %u, %u}",
		      r->rule, r->list, r->index, r->other_list, r->other_index,
		      r->field, c->want.rule, c->want.list, c->want.index,
		      c->want.other_list, c->want.other_index, c->want.field);
		EQ64(c->name, s.generation, 0);
		check(!memlayout_get_stats(h, &st) && st.generation == 1 &&
		      st.ram_size == 1 * GiB, c->name,
		      "the previous layout did not survive");
		if (c->msg) {
			memlayout_strerror(r, ret, msg, sizeof(msg));
			STREQ(c->name, msg, c->msg);
		}
		memlayout_close(h);
		if (c->max_ranges)
			check(set_param(0), c->name, "cannot restore max_ranges");
	}
}

/*
 * The table lives on the stack: the addresses in it are not constant
 * initializers in a 32-bit build.
 */
static void test_rejections(void)
{
	const struct reject_case cases[] = {
		/* SPEC R1-R8 */
		{ "R1 C1 ram_size 0", { .source = MEMLAYOUT_SOURCE_SIZE }, 0, EINVAL,
		  R(MEMLAYOUT_RULE_BAD_SIZE, L_NONE, 0, 0, 0, 0),
		  "R1 bad size: ram_size is zero or not a multiple of 4 KiB: Invalid argument" },
		{ "R1 C1 ram_size unaligned",
		  { .source = MEMLAYOUT_SOURCE_SIZE, .ram_size = GiB + 1 }, 0, EINVAL,
		  R(MEMLAYOUT_RULE_BAD_SIZE, L_NONE, 0, 0, 0, 0), NULL },
		{ "R1 C2 no node", { .source = MEMLAYOUT_SOURCE_NODES }, 0, EINVAL,
		  R(MEMLAYOUT_RULE_BAD_SIZE, L_NODES, 0, 0, 0, 0),
		  "R1 bad size: no node size given, or nodes[0] is zero or not a multiple of 4 KiB: Invalid argument" },
		{ "R1 C2 nodes[1] unaligned",
		  { .source = MEMLAYOUT_SOURCE_NODES, .nr_nodes = 2, .nodes_ptr = PTR(n_bad) },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_SIZE, L_NODES, 1, 0, 0, 0),
		  "R1 bad size: nodes[1] is zero or not a multiple of 4 KiB: Invalid argument" },
		{ "R2 empty mmio", { SIZE1G, .nr_mmio = 1, .mmio_ptr = PTR(r_empty) },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_RANGE, L_MMIO, 0, 0, 0, 0),
		  "R2 bad range: mmio[0] is empty, reversed, not 4 KiB aligned or ends above 0xfffffffffffff000: Invalid argument" },
		{ "R2 reversed pci_mmio",
		  { SIZE1G, .nr_pci_mmio = 1, .pci_mmio_ptr = PTR(r_reversed) },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_RANGE, L_PMMIO, 0, 0, 0, 0), NULL },
		{ "R2 unaligned ram[1]",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 2, .ram_ptr = PTR(r_unaligned) },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_RANGE, L_RAM, 1, 0, 0, 0), NULL },
		{ "R2 VTL2 reversed",
		  { SIZE1G, .flags = MEMLAYOUT_SET_VTL2, .vtl2 = { 8 * GiB, 0, 0, 0 } },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_RANGE, L_VTL2, 0, 0, 0, 0),
		  "R2 bad range: vtl2 is empty, reversed, not 4 KiB aligned or ends above 0xfffffffffffff000: Invalid argument" },
		{ "R3 unsorted mmio", { SIZE1G, .nr_mmio = 2, .mmio_ptr = PTR(r_unsorted) },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_ORDER, L_MMIO, 1, 0, 0, 0),
		  "R3 bad order: mmio[1] starts before the end of mmio[0]: Invalid argument" },
		{ "R3 overlapping pci_ecam",
		  { SIZE1G, .nr_pci_ecam = 2, .pci_ecam_ptr = PTR(r_overlapping) },
		  0, EINVAL, R(MEMLAYOUT_RULE_BAD_ORDER, L_ECAM, 1, 0, 0, 0), NULL },
		{ "R4 ram over mmio",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 1, .ram_ptr = PTR(r_ram_0_2g),
		    .nr_mmio = 1, .mmio_ptr = PTR(r_1g) },
		  0, EEXIST, R(MEMLAYOUT_RULE_OVERLAP, L_RAM, 0, L_MMIO, 0, 0),
		  "R4 overlap: ram[0] overlaps mmio[0]: File exists" },
		{ "R4 mmio over pci_ecam",
		  { SIZE1G, .nr_mmio = 1, .mmio_ptr = PTR(r_1g),
		    .nr_pci_ecam = 1, .pci_ecam_ptr = PTR(r_1g) },
		  0, EEXIST, R(MEMLAYOUT_RULE_OVERLAP, L_MMIO, 0, L_ECAM, 0, 0), NULL },
		{ "R4 VTL2 starting in mmio",
		  { SIZE1G, .nr_mmio = 1, .mmio_ptr = PTR(r_three), .flags = MEMLAYOUT_SET_VTL2,
		    .vtl2 = { 1 * GiB, 1 * GiB + 4 * KiB, 0, 0 } },
		  0, EEXIST, R(MEMLAYOUT_RULE_OVERLAP, L_MMIO, 0, L_VTL2, 0, 0),
		  "R4 overlap: mmio[0] overlaps vtl2: File exists" },
		{ "R5 holes only", { .source = MEMLAYOUT_SOURCE_RANGES, .nr_mmio = 1,
		    .mmio_ptr = PTR(r_1g) },
		  0, EINVAL, R(MEMLAYOUT_RULE_NO_RAM, L_RAM, 0, 0, 0, 0),
		  "R5 no RAM: the layout would hold no RAM range: Invalid argument" },
		{ "R6 C1 too large",
		  { .source = MEMLAYOUT_SOURCE_SIZE, .ram_size = MAXA,
		    .nr_mmio = 1, .mmio_ptr = PTR(r_1g) },
		  0, EOVERFLOW, R(MEMLAYOUT_RULE_TOO_LARGE, L_NONE, 0, 0, 0, 0),
		  "R6 too large: the RAM does not fit at or below 0xfffffffffffff000: Value too large for defined data type" },
		{ "R6 C2 nodes[1] does not fit",
		  { .source = MEMLAYOUT_SOURCE_NODES, .nr_nodes = 2, .nodes_ptr = PTR(n_huge) },
		  0, EOVERFLOW, R(MEMLAYOUT_RULE_TOO_LARGE, L_NODES, 1, 0, 0, 0),
		  "R6 too large: the RAM of nodes[1] does not fit at or below 0xfffffffffffff000: Value too large for defined data type" },
		{ "R7 VTL2 below end of RAM",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 2, .ram_ptr = PTR(r_ram2),
		    .flags = MEMLAYOUT_SET_VTL2, .vtl2 = { 1 * GiB, 1 * GiB + 4 * KiB, 0, 0 } },
		  0, EINVAL, R(MEMLAYOUT_RULE_VTL2_BELOW_RAM, L_VTL2, 0, L_RAM, 1, 0),
		  "R7 VTL2 below end of RAM: vtl2 starts below the end of ram[1]: Invalid argument" },
		{ "R8 mmio over max_ranges 2", { SIZE1G, .nr_mmio = 3, .mmio_ptr = PTR(r_three) },
		  2, E2BIG, R(MEMLAYOUT_RULE_TOO_MANY, L_MMIO, 2, 0, 0, 0),
		  "R8 too many ranges: mmio holds more than max_ranges 2 entries: Argument list too long" },
		{ "R8 nodes over max_ranges 2",
		  { .source = MEMLAYOUT_SOURCE_NODES, .nr_nodes = 3, .nodes_ptr = PTR(n_three) },
		  2, E2BIG, R(MEMLAYOUT_RULE_TOO_MANY, L_NODES, 2, 0, 0, 0), NULL },
		{ "R8 before the element checks",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 2, .ram_ptr = PTR(r_reserved1),
		    .nr_mmio = 3, .mmio_ptr = PTR(r_three) },
		  2, E2BIG, R(MEMLAYOUT_RULE_TOO_MANY, L_MMIO, 2, 0, 0, 0), NULL },
		{ "R8 at the default 4096: 3 ranges pass it",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 1, .ram_ptr = PTR(r_ram_0_2g),
		    .nr_pci_mmio = 3, .pci_mmio_ptr = PTR(r_three) },
		  0, EEXIST, R(MEMLAYOUT_RULE_OVERLAP, L_RAM, 0, L_PMMIO, 0, 0), NULL },

		/* Interface reasons: flags and source */
		{ "unknown flag", { SIZE1G, .flags = 1U << 2 }, 0, EOPNOTSUPP,
		  R(MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, FIELD(flags)),
		  "unsupported value in flags: Operation not supported" },
		{ "flags before source", { .flags = 1U << 31, .source = 9 }, 0, EOPNOTSUPP,
		  R(MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, FIELD(flags)), NULL },
		{ "source 0", { .ram_size = GiB }, 0, EOPNOTSUPP,
		  R(MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, FIELD(source)),
		  "unsupported value in source: Operation not supported" },
		{ "source 5", { .source = 5 }, 0, EOPNOTSUPP,
		  R(MEMLAYOUT_REASON_FLAGS, L_NONE, 0, 0, 0, FIELD(source)), NULL },
		/* unused fields of the source */
		{ "ram_size under C3", { .source = MEMLAYOUT_SOURCE_RANGES, .ram_size = GiB,
		    .nr_ram = 1, .ram_ptr = PTR(r_1g) },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(ram_size)),
		  "field ram_size must be zero here (unused by this source, reserved, or a pointer without its count): Invalid argument" },
		{ "ram_size under C2", { .source = MEMLAYOUT_SOURCE_NODES, .ram_size = GiB,
		    .nr_nodes = 1, .nodes_ptr = PTR(n_three) },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(ram_size)), NULL },
		{ "nr_nodes under C1", { SIZE1G, .nr_nodes = 1 }, 0, EINVAL,
		  R(RSV, L_NONE, 0, 0, 0, FIELD(nr_nodes)), NULL },
		{ "nodes_ptr under C3", { .source = MEMLAYOUT_SOURCE_RANGES,
		    .nodes_ptr = PTR(n_three), .nr_ram = 1, .ram_ptr = PTR(r_1g) },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(nodes_ptr)), NULL },
		{ "nr_ram under C1", { SIZE1G, .nr_ram = 1 }, 0, EINVAL,
		  R(RSV, L_NONE, 0, 0, 0, FIELD(nr_ram)), NULL },
		{ "ram_ptr under C2", { .source = MEMLAYOUT_SOURCE_NODES, .nr_nodes = 1,
		    .nodes_ptr = PTR(n_three), .ram_ptr = PTR(r_1g) },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(ram_ptr)), NULL },
		/* VTL2 members */
		{ "VTL2 vnode", { SIZE1G, .flags = MEMLAYOUT_SET_VTL2,
		    .vtl2 = { 4 * GiB, 5 * GiB, 1, 0 } },
		  0, EINVAL, R(RSV, L_VTL2, 0, 0, 0, RFIELD(vnode)),
		  "vnode of vtl2 must be zero: Invalid argument" },
		{ "VTL2 reserved", { SIZE1G, .flags = MEMLAYOUT_SET_VTL2,
		    .vtl2 = { 4 * GiB, 5 * GiB, 0, 1 } },
		  0, EINVAL, R(RSV, L_VTL2, 0, 0, 0, RFIELD(reserved)), NULL },
		{ "VTL2 without the flag", { SIZE1G, .vtl2 = { 4 * GiB, 5 * GiB, 0, 0 } },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(vtl2)),
		  "field vtl2 must be zero here (unused by this source, reserved, or a pointer without its count): Invalid argument" },
		{ "VTL2 reserved only, without the flag", { SIZE1G, .vtl2 = { 0, 0, 0, 1 } },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(vtl2)), NULL },
		/* pointer/count pairs */
		{ "mmio_ptr without nr_mmio", { SIZE1G, .mmio_ptr = PTR(r_1g) }, 0, EINVAL,
		  R(RSV, L_NONE, 0, 0, 0, FIELD(mmio_ptr)),
		  "field mmio_ptr must be zero here (unused by this source, reserved, or a pointer without its count): Invalid argument" },
		{ "nr_mmio without mmio_ptr", { SIZE1G, .nr_mmio = 1 }, 0, EINVAL,
		  R(RSV, L_NONE, 0, 0, 0, FIELD(mmio_ptr)), NULL },
		{ "nr_pci_ecam without its pointer", { SIZE1G, .nr_pci_ecam = 4 }, 0, EINVAL,
		  R(RSV, L_NONE, 0, 0, 0, FIELD(pci_ecam_ptr)), NULL },
		{ "pci_mmio_ptr without its count", { SIZE1G, .pci_mmio_ptr = 8 }, 0, EINVAL,
		  R(RSV, L_NONE, 0, 0, 0, FIELD(pci_mmio_ptr)), NULL },
		{ "nr_nodes without nodes_ptr", { .source = MEMLAYOUT_SOURCE_NODES, .nr_nodes = 2 },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(nodes_ptr)), NULL },
		{ "nr_ram without ram_ptr", { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 2 },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(ram_ptr)), NULL },
		{ "unused field before pointer pair", { SIZE1G, .nr_ram = 1, .nr_mmio = 1 },
		  0, EINVAL, R(RSV, L_NONE, 0, 0, 0, FIELD(nr_ram)), NULL },
		/* reserved and vnode of the ranges */
		{ "ram[1] reserved",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 2, .ram_ptr = PTR(r_reserved1) },
		  0, EINVAL, R(RSV, L_RAM, 1, 0, 0, RFIELD(reserved)),
		  "reserved of ram[1] must be zero: Invalid argument" },
		{ "mmio vnode", { SIZE1G, .nr_mmio = 1, .mmio_ptr = PTR(r_vnode) }, 0, EINVAL,
		  R(RSV, L_MMIO, 0, 0, 0, RFIELD(vnode)),
		  "vnode of mmio[0] must be zero: Invalid argument" },
		{ "pci_ecam reserved", { SIZE1G, .nr_pci_ecam = 2, .pci_ecam_ptr = PTR(r_reserved1) },
		  0, EINVAL, R(RSV, L_ECAM, 1, 0, 0, RFIELD(reserved)), NULL },
		{ "pci_mmio vnode", { SIZE1G, .nr_pci_mmio = 1, .pci_mmio_ptr = PTR(r_vnode) },
		  0, EINVAL, R(RSV, L_PMMIO, 0, 0, 0, RFIELD(vnode)), NULL },
		{ "ram checked before mmio",
		  { .source = MEMLAYOUT_SOURCE_RANGES, .nr_ram = 2, .ram_ptr = PTR(r_reserved1),
		    .nr_mmio = 1, .mmio_ptr = PTR(r_vnode) },
		  0, EINVAL, R(RSV, L_RAM, 1, 0, 0, RFIELD(reserved)), NULL },
		{ "element checks before the rules",
		  { SIZE1G, .nr_mmio = 2, .mmio_ptr = PTR(r_unsorted),
		    .nr_pci_mmio = 1, .pci_mmio_ptr = PTR(r_vnode) },
		  0, EINVAL, R(RSV, L_PMMIO, 0, 0, 0, RFIELD(vnode)), NULL },
	};

	run_rejections(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The framing errors of the size member (ml_frame_reply()). */
static void test_size(void)
{
	struct memlayout_handle *h = offline(0);
	struct {
		struct memlayout_set s;
		uint8_t tail[32];
	} big;
	struct memlayout_set s = { SIZE1G };
	char msg[MEMLAYOUT_STRERROR_LEN];
	int ret;

	s.size = MEMLAYOUT_SET_SIZE_VER0 - 1;
	memset(&s.reason, 0xa5, sizeof(s.reason));
	ret = memlayout_set(h, &s);
	check(ret == -EINVAL && s.reason.rule == 0xa5a5a5a5, "size below VER0",
	      "ret %d rule 0x%x, want -EINVAL and nothing written", ret, s.reason.rule);

	s.size = 4097;
	ret = memlayout_set(h, &s);
	check(ret == -E2BIG && s.reason.rule == MEMLAYOUT_REASON_SIZE &&
	      s.reason.field == 0 && s.reason.list == 0, "size over a page",
	      "ret %d rule %u field %u", ret, s.reason.rule, s.reason.field);
	STREQ("size over a page", memlayout_strerror(&s.reason, ret, msg, sizeof(msg)),
	      "the command's size or tail is not understood (size): Argument list too long");

	memset(&big, 0, sizeof(big));
	big.s = (struct memlayout_set){ SIZE1G, .size = sizeof(big) };
	big.tail[4] = 1;
	ret = memlayout_set(h, &big.s);
	check(ret == -E2BIG && big.s.reason.rule == MEMLAYOUT_REASON_SIZE &&
	      big.s.reason.field == sizeof(struct memlayout_set) + 4, "non-zero tail",
	      "ret %d rule %u field %u", ret, big.s.reason.rule, big.s.reason.field);
	STREQ("non-zero tail", memlayout_strerror(&big.s.reason, ret, msg, sizeof(msg)),
	      "the command's size or tail is not understood (byte 236): Argument list too long");

	big.tail[4] = 0;
	ret = memlayout_set(h, &big.s);
	check(!ret && big.s.generation == 1, "zero tail",
	      "ret %d generation %llu", ret, (unsigned long long)big.s.generation);
	memlayout_close(h);
}


/* ---- snapshots, fingerprints, dry runs, covering ranges (issue 8) ------- */

/*
 * The fingerprints below were computed by an independent implementation of
 * the encoding documented in the UAPI header (Python's hashlib over
 * struct.pack('<QQII', ...) records), not by this library.
 */
#define FP_Q35	"1a93e6d5e5faeb7fd4dbd81871a6ee4a296296b5f03131b7f2581e9e3f50b25d"
#define FP_Q35_VTL2 "f34c6364f4974a8099f8c86a2ff2684590cad00097fbb7e8702247410cc10b10"
#define FP_Q35_NODE1 "a870e0d01645cf22eadded108dde42b523bb99d4e8346d51c55443f3e0566901"

static const struct memlayout_range q35_mmio[] = { { .start = 3 * GiB, .end = 4 * GiB } };
static const struct memlayout_range q35_ecam[] = { { .start = 0x1000000000, .end = 0x1010000000 } };
static const struct memlayout_range q35_pmmio[] = { { .start = 0x2000000000, .end = 0x2100000000 } };

/* C1: 8 GiB around a 3-4 GiB gap, an ECAM window and a 64-bit PCI window. */
static struct memlayout_set q35_set(void)
{
	return (struct memlayout_set){
		.source = MEMLAYOUT_SOURCE_SIZE, .ram_size = 8 * GiB,
		.mmio_ptr = PTR(q35_mmio), .nr_mmio = 1,
		.pci_ecam_ptr = PTR(q35_ecam), .nr_pci_ecam = 1,
		.pci_mmio_ptr = PTR(q35_pmmio), .nr_pci_mmio = 1,
	};
}

static const struct memlayout_map_entry q35_map[] = {
	{ 0, 3 * GiB, 0, MEMLAYOUT_KIND_RAM },
	{ 3 * GiB, 4 * GiB, 0, MEMLAYOUT_KIND_MMIO },
	{ 4 * GiB, 9 * GiB, 0, MEMLAYOUT_KIND_RAM },
	{ 0x1000000000, 0x1010000000, 0, MEMLAYOUT_KIND_PCI_ECAM },
	{ 0x2000000000, 0x2100000000, 0, MEMLAYOUT_KIND_PCI_MMIO },
};

static const char *hex(const uint8_t *fp)
{
	static char buf[4][MEMLAYOUT_FINGERPRINT_HEX_LEN];
	static int next;

	next = (next + 1) % 4;
	return memlayout_fingerprint_hex(fp, buf[next]);
}

static void test_snapshot(void)
{
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s = q35_set();
	struct memlayout_snapshot snap = { .nr = 7, .entries = (void *)1 };
	struct memlayout_stats st;
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];
	uint32_t i;
	int ret;

	/* Q (GET_LAYOUT) before any layout: -ENOENT and an empty snapshot. */
	ret = memlayout_get_layout(h, &snap);
	check(ret == -ENOENT && !snap.nr && !snap.entries, "snapshot without layout",
	      "ret %d nr %u", ret, snap.nr);

	ret = memlayout_set(h, &s);
	check(!ret && s.generation == 1, "q35 set", "ret %d", ret);
	STREQ("F1: SET_LAYOUT replies the fingerprint", hex(s.fingerprint), FP_Q35);
	ret = memlayout_get_layout(h, &snap);
	check(!ret && snap.nr == 5, "snapshot", "ret %d nr %u", ret, snap.nr);
	for (i = 0; i < 5 && i < snap.nr; i++)
		check(!memcmp(&snap.entries[i], &q35_map[i], sizeof(q35_map[i])),
		      "snapshot entry in address order", "entry %u: [%#" PRIx64 ", %#" PRIx64
		      ") vnode %u kind %u", i, (uint64_t)snap.entries[i].start,
		      (uint64_t)snap.entries[i].end, snap.entries[i].vnode, snap.entries[i].kind);
	EQ64("snapshot generation", snap.generation, 1);
	EQ64("snapshot stats", snap.stats.ram_size, 8 * GiB);
	EQ64("snapshot stats", snap.stats.end_of_ram, 9 * GiB);
	EQ64("snapshot stats", snap.stats.end_of_layout, 0x2100000000);
	EQ64("snapshot stats", snap.stats.nr_ram, 2);
	EQ64("snapshot stats", snap.stats.generation, 1);
	STREQ("F1: GET_LAYOUT's fingerprint", hex(snap.fingerprint), FP_Q35);
	STREQ("F1: the stats' fingerprint", hex(snap.stats.fingerprint), FP_Q35);
	memlayout_fingerprint(snap.entries, snap.nr, NULL, fp);
	STREQ("F2: memlayout_fingerprint() of the snapshot", hex(fp), FP_Q35);
	ret = memlayout_get_stats(h, &st);
	STREQ("F1: GET_STATS' fingerprint", hex(st.fingerprint), FP_Q35);

	/* F2 from ranges alone: a changed vnode or end changes it. */
	{
		struct memlayout_map_entry e[5];
		struct memlayout_range v = { .start = 0x4000000000, .end = 0x4000200000 };

		memcpy(e, q35_map, sizeof(e));
		memlayout_fingerprint(e, 5, &v, fp);
		STREQ("F2: with VTL2", hex(fp), FP_Q35_VTL2);
		e[2].vnode = 1;
		memlayout_fingerprint(e, 5, NULL, fp);
		STREQ("F2: vnode 1", hex(fp), FP_Q35_NODE1);
		e[2].vnode = 0;
		e[4].end -= 4096;
		memlayout_fingerprint(e, 5, NULL, fp);
		check(strcmp(hex(fp), FP_Q35), "F1: a shorter range changes the fingerprint",
		      "%s", hex(fp));
	}

	/* F1: the same ranges built by C3 have the same fingerprint. */
	{
		static const struct memlayout_range ram[] = {
			{ .start = 0, .end = 3 * GiB }, { .start = 4 * GiB, .end = 9 * GiB },
		};
		struct memlayout_set c3 = q35_set();

		c3.source = MEMLAYOUT_SOURCE_RANGES;
		c3.ram_size = 0;
		c3.ram_ptr = PTR(ram);
		c3.nr_ram = 2;
		c3.flags = MEMLAYOUT_SET_DRY_RUN;
		ret = memlayout_set(h, &c3);
		check(!ret && !c3.generation, "dry run of C3", "ret %d generation %" PRIu64,
		      ret, (uint64_t)c3.generation);
		STREQ("F1: C3 and C1 of the same ranges", hex(c3.fingerprint), FP_Q35);
	}

	/* Dry run: the reply, and nothing published. */
	s = q35_set();
	s.flags = MEMLAYOUT_SET_DRY_RUN | MEMLAYOUT_SET_VTL2;
	s.vtl2 = (struct memlayout_range){ .start = 0x4000000000, .end = 0x4000200000 };
	memset(s.fingerprint, 0xff, sizeof(s.fingerprint));
	ret = memlayout_set(h, &s);
	check(!ret && !s.generation, "dry run", "ret %d generation %" PRIu64, ret,
	      (uint64_t)s.generation);
	STREQ("dry run fingerprint", hex(s.fingerprint), FP_Q35_VTL2);
	memlayout_get_stats(h, &st);
	check(st.generation == 1 && !(st.present & MEMLAYOUT_STATS_VTL2),
	      "a dry run publishes nothing", "generation %" PRIu64 " present %#x",
	      (uint64_t)st.generation, st.present);
	s.vtl2 = (struct memlayout_range){ .start = 0, .end = 2 * MiB };
	ret = memlayout_set(h, &s);
	check(ret == -EEXIST && s.reason.rule == MEMLAYOUT_RULE_OVERLAP &&
	      s.reason.list == MEMLAYOUT_LIST_RAM && s.reason.other_list == MEMLAYOUT_LIST_VTL2,
	      "a dry run is rejected as a real one (R4)", "ret %d rule %u list %u other %u",
	      ret, s.reason.rule, s.reason.list, s.reason.other_list);
	for (i = 0; i < sizeof(s.fingerprint) && !s.fingerprint[i]; i++)
		;
	check(i == sizeof(s.fingerprint), "a rejected dry run has no fingerprint", "%s",
	      hex(s.fingerprint));

	/* Q9 with covering ranges: every kind, and an address nothing covers. */
	{
		static const uint64_t a[] = {
			0x1000, 3 * GiB + 5, 5 * GiB, 0x1000000000, 0x20ffffffff,
			9 * GiB, MAXA + 4095,
		};
		static const struct memlayout_probe_range want[] = {
			{ 0, 3 * GiB, 0, 0 }, { 3 * GiB, 4 * GiB, 0, 0 },
			{ 4 * GiB, 9 * GiB, 0, 1 }, { 0x1000000000, 0x1010000000, 0, 0 },
			{ 0x2000000000, 0x2100000000, 0, 0 },
			{ 0, 0, 0, MEMLAYOUT_PROBE_NO_RANGE },
			{ 0, 0, 0, MEMLAYOUT_PROBE_NO_RANGE },
		};
		static const uint32_t kinds[] = { 1, 2, 1, 3, 4, 0, 0 };
		struct memlayout_probe_range r[7];
		uint32_t k[7];
		uint64_t gen = 0;

		memset(r, 0xaa, sizeof(r));
		ret = memlayout_probe_ranges(h, a, k, r, 7, &gen);
		check(!ret && gen == 1, "probe ranges", "ret %d generation %" PRIu64, ret, gen);
		for (i = 0; i < 7; i++) {
			check(k[i] == kinds[i], "Q9 kind with ranges", "addr %#" PRIx64
			      " kind %u want %u", a[i], k[i], kinds[i]);
			check(!memcmp(&r[i], &want[i], sizeof(r[i])), "covering range",
			      "addr %#" PRIx64 ": [%#" PRIx64 ", %#" PRIx64 ") vnode %u index %u",
			      a[i], (uint64_t)r[i].start, (uint64_t)r[i].end, r[i].vnode,
			      r[i].index);
		}
		ret = memlayout_probe_ranges(h, a, NULL, r, 1, NULL);
		check(!ret && r[0].end == 3 * GiB, "probe ranges without kinds", "ret %d", ret);
	}
	memlayout_snapshot_free(&snap);
	check(!snap.nr && !snap.entries, "snapshot_free empties", "nr %u", snap.nr);
	memlayout_snapshot_free(NULL);
	memlayout_close(h);
}

/* ---- queries' own errors, GET_INFO ----------------------------------------- */

static void test_queries(void)
{
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s = { SIZE1G };
	struct memlayout_range *r = (void *)1;
	struct memlayout_info info;
	uint64_t a = 0;
	uint32_t k, n = 5;
	int ret;

	check(memlayout_fd(h) == -1, "offline fd", "memlayout_fd = %d", memlayout_fd(h));
	ret = memlayout_get_ranges(h, MEMLAYOUT_LIST_RAM, &r, &n, NULL);
	check(ret == -ENOENT && !r && !n, "ranges without layout", "ret %d", ret);
	ret = memlayout_probe_batch(h, &a, &k, 1, NULL);
	check(ret == -ENOENT, "probe without layout", "ret %d", ret);
	memlayout_set(h, &s);
	ret = memlayout_get_ranges(h, MEMLAYOUT_LIST_NODES, &r, &n, NULL);
	check(ret == -EOPNOTSUPP, "ranges of the nodes list", "ret %d", ret);
	ret = memlayout_get_ranges(h, MEMLAYOUT_LIST_NONE, &r, &n, NULL);
	check(ret == -EOPNOTSUPP, "ranges of list none", "ret %d", ret);
	ret = memlayout_probe_batch(h, &a, &k, (1U << 20) + 1, NULL);
	check(ret == -E2BIG, "probe over max_probe", "ret %d", ret);
	ret = memlayout_probe_batch(h, NULL, NULL, 0, NULL);
	check(!ret, "probe of nothing", "ret %d", ret);

	ret = memlayout_get_info(h, &info);
	check(!ret, "info", "ret %d", ret);
	EQ64("info", info.size, sizeof(info));
	EQ64("info", info.api_version, 1);
	EQ64("info", info.max_ranges, 4096);
	EQ64("info", info.max_probe, 1U << 20);
	EQ64("info", info.set_flags, MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN);
	EQ64("info", info.page_size, 4096);
	EQ64("info", info.max_address, 0xfffffffffffff000ULL);
	EQ64("info", info.nr_kinds, 5);
	EQ64("info", info.nr_lists, 8);
	EQ64("info", info.nr_classes, 6);
	EQ64("info", info.max_rule, MEMLAYOUT_REASON_SIZE);
	EQ64("info", info.sources, (1U << 1) | (1U << 2) | (1U << 3) | (1U << 4));
	EQ64("info", info.commands, (1ULL << 0x00) | (1ULL << 0x10) | (1ULL << 0x11) |
	     (1ULL << 0x12) | (1ULL << 0x13) | (1ULL << 0x14) | (1ULL << 0x20) |
	     (1ULL << 0x30) | (1ULL << 0x31));
	EQ64("info", info.max_devices, 64);
	memlayout_close(h);

	h = offline(17);
	memlayout_get_info(h, &info);
	EQ64("info max_ranges", info.max_ranges, 17);
	memlayout_close(h);
	memlayout_close(NULL);

	errno = 0;
	h = memlayout_open("/nonexistent/memlayout");
	check(!h && errno == ENOENT, "open a missing device", "h %p errno %d",
	      (void *)h, errno);
}

/* ---- names ----------------------------------------------------------------- */

static void test_names(void)
{
	static const char * const rules[] = {
		"none", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8",
	};
	static const char * const lists[] = {
		"none", "ram", "mmio", "pci_ecam", "pci_mmio", "vtl2", "nodes",
	};
	static const char * const kinds[] = {
		"none", "ram", "mmio", "pci_ecam", "pci_mmio",
	};
	static const struct {
		uint32_t list, field;
		const char *name;
	} fields[] = {
		{ L_NONE, 0, "size" }, { L_NONE, 4, "flags" }, { L_NONE, 8, "source" },
		{ L_NONE, 12, "nr_nodes" }, { L_NONE, 16, "ram_size" },
		{ L_NONE, 24, "nodes_ptr" }, { L_NONE, 32, "ram_ptr" },
		{ L_NONE, 40, "mmio_ptr" }, { L_NONE, 48, "pci_ecam_ptr" },
		{ L_NONE, 56, "pci_mmio_ptr" }, { L_NONE, 64, "nr_ram" },
		{ L_NONE, 68, "nr_mmio" }, { L_NONE, 72, "nr_pci_ecam" },
		{ L_NONE, 76, "nr_pci_mmio" }, { L_NONE, 80, "vtl2" },
		{ L_NONE, 140, NULL }, { L_NONE, 2, NULL },
		{ L_RAM, 16, "vnode" }, { L_RAM, 20, "reserved" },
		{ L_VTL2, 16, "vnode" }, { L_MMIO, 20, "reserved" },
		{ L_MMIO, 0, NULL }, { L_NODES, 8, NULL },
	};
	char msg[MEMLAYOUT_STRERROR_LEN];
	struct memlayout_reason r = { 0 };
	unsigned int i;

	for (i = 0; i < 9; i++)
		STREQ("rule name", memlayout_rule_name(i), rules[i]);
	STREQ("rule name", memlayout_rule_name(9), "P1");
	STREQ("rule name", memlayout_rule_name(10), "P2");
	STREQ("rule name", memlayout_rule_name(11), "P3");
	STREQ("rule name", memlayout_rule_name(12), "P4");
	STREQ("rule name", memlayout_rule_name(13), NULL);
	STREQ("rule name", memlayout_rule_name(15), NULL);
	STREQ("rule name", memlayout_rule_name(16), "flags");
	STREQ("rule name", memlayout_rule_name(17), "reserved");
	STREQ("rule name", memlayout_rule_name(18), "size");
	STREQ("rule name", memlayout_rule_name(19), NULL);
	STREQ("rule name", memlayout_rule_name(~0U), NULL);
	for (i = 0; i < 7; i++)
		STREQ("list name", memlayout_list_name(i), lists[i]);
	STREQ("list name", memlayout_list_name(7), "place");
	STREQ("list name", memlayout_list_name(8), NULL);
	for (i = 0; i < 5; i++)
		STREQ("kind name", memlayout_kind_name(i), kinds[i]);
	STREQ("kind name", memlayout_kind_name(5), NULL);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		STREQ("field name", memlayout_field_name(fields[i].list, fields[i].field),
		      fields[i].name);

	STREQ("strerror success", memlayout_strerror(&r, 0, msg, sizeof(msg)), "success");
	STREQ("strerror errno only", memlayout_strerror(NULL, -ENOENT, msg, sizeof(msg)),
	      "No such file or directory");
	STREQ("strerror errno only", memlayout_strerror(&r, ENOMEM, msg, sizeof(msg)),
	      "Cannot allocate memory");
	r.rule = 42;
	r.list = 9;
	r.index = 3;
	STREQ("strerror unknown rule", memlayout_strerror(&r, -EINVAL, msg, sizeof(msg)),
	      "unknown rule 42 at list9[3]: Invalid argument");
	r = (struct memlayout_reason){ .rule = MEMLAYOUT_RULE_OVERLAP, .list = L_PMMIO,
		.index = 4, .other_list = L_VTL2 };
	STREQ("strerror cut to fit", memlayout_strerror(&r, -EEXIST, msg, 12),
	      "R4 overlap:");
	msg[0] = 'x';
	memlayout_strerror(&r, -EEXIST, msg, 0);
	check(msg[0] == 'x', "strerror len 0", "wrote to the buffer");
}

/* ---- placement (SPEC C4) --------------------------------------------------- */

#define FIXED(k, s, e)	{ .place_class = MEMLAYOUT_CLASS_FIXED, .kind = (k), .start = (s), .end = (e) }
#define RESV(s, e)	{ .place_class = MEMLAYOUT_CLASS_RESERVED, .start = (s), .end = (e) }
#define DYN(c, k, sz, al) { .place_class = (c), .kind = (k), .size = (sz), .align = (al) }
#define RAMREQ(sz, al)	{ .place_class = MEMLAYOUT_CLASS_RAM, .size = (sz), .align = (al) }

/* The issue's q35 guest: 6 GiB on two nodes, ECAM, a 64 GiB window, VTL2. */
static const struct memlayout_place_req q35[] = {
	FIXED(MEMLAYOUT_KIND_MMIO, 0xfe000000, 4 * GiB),
	DYN(MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_KIND_PCI_ECAM, 256 * MiB, 256 * MiB),
	RAMREQ(3 * GiB, 2 * MiB),
	RAMREQ(3 * GiB, GiB),
	DYN(MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_PCI_MMIO, 64 * GiB, GiB),
	DYN(MEMLAYOUT_CLASS_POST_MMIO, MEMLAYOUT_PLACE_VTL2, 64 * MiB, 2 * MiB),
};
static const char *const q35_tags[] = {
	"chipset", "ecam", "node0", "node1", "pci64", "vtl2",
};

static void test_place_q35(void)
{
	/* By hand from SPEC C4's phases (see the comment of each). */
	static const struct memlayout_placed want[] = {
		/* ram: node 0 from 0, 3 GiB fit below the ECAM */
		{ 0, 3 * GiB, MEMLAYOUT_CLASS_RAM, 0, MEMLAYOUT_KIND_RAM, 0 },
		/* mmio32: align_down(0xfe000000 - 256M, 256M) */
		{ 0xe0000000, 0xf0000000, MEMLAYOUT_CLASS_MMIO32, 0,
		  MEMLAYOUT_KIND_PCI_ECAM, 0 },
		{ 0xfe000000, 4 * GiB, MEMLAYOUT_CLASS_FIXED, 0,
		  MEMLAYOUT_KIND_MMIO, 0 },
		/* ram: node 1 (1 GiB aligned) fits no gap below 4 GiB */
		{ 4 * GiB, 7 * GiB, MEMLAYOUT_CLASS_RAM, 1, MEMLAYOUT_KIND_RAM, 1 },
		/* mmio64: at max(end of RAM, 4 GiB) */
		{ 7 * GiB, 71 * GiB, MEMLAYOUT_CLASS_MMIO64, 0,
		  MEMLAYOUT_KIND_PCI_MMIO, 0 },
		/* post-MMIO: above everything */
		{ 71 * GiB, 71 * GiB + 64 * MiB, MEMLAYOUT_CLASS_POST_MMIO, 0,
		  MEMLAYOUT_PLACE_VTL2, 0 },
	};
	static const struct memlayout_range c3_ram[] = {
		{ 0, 3 * GiB, 0, 0 }, { 4 * GiB, 7 * GiB, 1, 0 },
	}, c3_mmio[] = { { 0xfe000000, 4 * GiB, 0, 0 } },
	   c3_ecam[] = { { 0xe0000000, 0xf0000000, 0, 0 } },
	   c3_pmmio[] = { { 7 * GiB, 71 * GiB, 0, 0 } };
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s, dry, c3s = {
		.source = MEMLAYOUT_SOURCE_RANGES, .flags = MEMLAYOUT_SET_VTL2,
		.ram_ptr = PTR(c3_ram), .nr_ram = 2,
		.mmio_ptr = PTR(c3_mmio), .nr_mmio = 1,
		.pci_ecam_ptr = PTR(c3_ecam), .nr_pci_ecam = 1,
		.pci_mmio_ptr = PTR(c3_pmmio), .nr_pci_mmio = 1,
		.vtl2 = { 71 * GiB, 71 * GiB + 64 * MiB, 0, 0 },
	};
	char msg[MEMLAYOUT_STRERROR_LEN];
	struct memlayout_stats st;
	struct memlayout_placed *p;
	uint32_t n, i;
	uint64_t gen;
	int ret;

	ret = memlayout_set_placement(h, q35, 6, 0, &s);
	check(!ret && s.generation == 1 && !s.reason.rule, "C4 q35",
	      "ret %d generation %llu rule %u", ret,
	      (unsigned long long)s.generation, s.reason.rule);
	STREQ("C4 q35", memlayout_place_strerror(&s, ret, q35_tags, msg,
						 sizeof(msg)), "success");
	ret = memlayout_get_placements(h, &p, &n, &gen);
	check(!ret && n == 6 && gen == 1, "C4 q35 placements",
	      "ret %d, %u ranges, generation %llu", ret, n,
	      (unsigned long long)gen);
	for (i = 0; !ret && i < n && i < 6; i++)
		check(!memcmp(&p[i], &want[i], sizeof(want[i])), "C4 q35 placements",
		      "[%u] = [0x%llx, 0x%llx) class %u index %u kind %u node %u",
		      i, (unsigned long long)p[i].start,
		      (unsigned long long)p[i].end, p[i].place_class, p[i].index,
		      p[i].kind, p[i].vnode);
	free(p);

	/* Dry run: the same reply, nothing published. */
	ret = memlayout_set_placement(h, q35, 5, MEMLAYOUT_SET_DRY_RUN, &dry);
	check(!ret && !dry.generation &&
	      memcmp(dry.fingerprint, s.fingerprint, sizeof(s.fingerprint)),
	      "C4 dry run", "ret %d generation %llu", ret,
	      (unsigned long long)dry.generation);
	ret = memlayout_get_placements(h, &p, &n, &gen);
	check(!ret && n == 6 && gen == 1, "C4 dry run publishes nothing",
	      "ret %d, %u ranges, generation %llu", ret, n,
	      (unsigned long long)gen);
	free(p);
	/*
	 * C4's result is exactly the C3 layout of the same ranges (SPEC C4)
	 * (one handle: the host's fake device is one file per process).
	 */
	ret = memlayout_set(h, &c3s);
	check(!ret && !memcmp(c3s.fingerprint, s.fingerprint, sizeof(s.fingerprint)),
	      "C4 q35 = C3", "C3 ret %d, fingerprints %s", ret,
	      memcmp(c3s.fingerprint, s.fingerprint, sizeof(s.fingerprint)) ?
	      "differ" : "equal");
	ret = memlayout_get_placements(h, &p, &n, &gen);
	check(!ret && !n && !p && gen == 2, "C3 has no placements",
	      "ret %d, %u ranges", ret, n);
	ret = memlayout_get_stats(h, &st);
	check(!ret && st.ram_size == 6 * GiB && st.end_of_ram == 7 * GiB &&
	      (st.present & MEMLAYOUT_STATS_VTL2) && st.vtl2_start == 71 * GiB,
	      "C4 q35 stats", "ret %d ram_size 0x%llx end_of_ram 0x%llx", ret,
	      (unsigned long long)st.ram_size, (unsigned long long)st.end_of_ram);

	memlayout_close(h);
}

struct place_reject {
	const char *what;
	struct memlayout_place_req r[4];
	uint32_t n;
	int err;
	uint32_t rule, index, field;
	struct memlayout_place_reason pr;
	const char *tags[4];
	const char *msg;
};

static void test_place_rejections(void)
{
	static const struct place_reject cases[] = {
		{ "P4 mmio32", { FIXED(MEMLAYOUT_KIND_MMIO, 0xfe000000, 4 * GiB),
		  DYN(MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_KIND_MMIO, 8 * GiB, MiB),
		  RAMREQ(GiB, 4 * KiB) }, 3, ENOSPC, MEMLAYOUT_RULE_EXHAUSTED, 1, 0,
		  { MEMLAYOUT_CLASS_MMIO32, 0, 0, 0, MEMLAYOUT_CLASS_MMIO32, 0,
		    8 * GiB, MiB, 0xfe000000 },
		  { "chipset", "vmbus", "mem" },
		  "vmbus: cannot allocate 0x200000000 bytes with alignment 0x100000 during mmio32; 0xfe000000 bytes free" },
		{ "P4 ram", { RESV(GiB, MAXA), RAMREQ(2 * GiB, 4 * KiB) }, 2,
		  ENOSPC, MEMLAYOUT_RULE_EXHAUSTED, 1, 0,
		  { MEMLAYOUT_CLASS_RAM, 0, 0, 0, MEMLAYOUT_CLASS_RAM, 0,
		    2 * GiB, 4 * KiB, GiB },
		  { NULL, NULL },
		  "ram[0]: cannot allocate 0x80000000 bytes with alignment 0x1000 during ram; 0x40000000 bytes free" },
		{ "P3", { FIXED(MEMLAYOUT_KIND_MMIO, 3 * GiB, 4 * GiB),
		  RAMREQ(GiB, 4 * KiB), RESV(0xf0000000, 5 * GiB) }, 3, EEXIST,
		  MEMLAYOUT_RULE_PINNED_OVERLAP, 0, 0,
		  { MEMLAYOUT_CLASS_FIXED, 0, MEMLAYOUT_CLASS_RESERVED, 0, 0, 0,
		    0, 0, 0 },
		  { "chipset", "mem", "hole" },
		  "fixed/reserved requests chipset and hole overlap" },
		{ "P1", { RAMREQ(GiB + 1, 4 * KiB) }, 1, EINVAL,
		  MEMLAYOUT_RULE_PLACE_SIZE, 0, 0,
		  { MEMLAYOUT_CLASS_RAM, 0, 0, 0, 0, 0, GiB + 1, 4 * KiB, 0 },
		  { "mem" },
		  "mem: invalid size 0x40000001 (must be > 0 and a multiple of 0x1000)" },
		{ "P2", { RAMREQ(GiB, 4 * KiB),
		  DYN(MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_PCI_MMIO, GiB, 3 * MiB) },
		  2, EINVAL, MEMLAYOUT_RULE_PLACE_ALIGN, 1, 0,
		  { MEMLAYOUT_CLASS_MMIO64, 0, 0, 0, 0, 0, GiB, 3 * MiB, 0 },
		  { "mem", "pci" },
		  "pci: invalid alignment 0x300000 (must be >= 0x1000 and a power of 2)" },
		{ "R2", { RAMREQ(GiB, 4 * KiB), RESV(2 * GiB, GiB) }, 2, EINVAL,
		  MEMLAYOUT_RULE_BAD_RANGE, 1, 0,
		  { MEMLAYOUT_CLASS_RESERVED, 0, 0, 0, 0, 0, 0, 0, 0 },
		  { NULL, NULL },
		  "reserved[0]: invalid range (empty, reversed, not 4 KiB aligned or ending above 0xfffffffffffff000)" },
		{ "R5", { RAMREQ(0, 0), FIXED(MEMLAYOUT_KIND_MMIO, 0, GiB) }, 2,
		  EINVAL, MEMLAYOUT_RULE_NO_RAM, 0, 0, { 0 }, { NULL, NULL },
		  "R5 no RAM: the layout would hold no RAM range: Invalid argument" },
		{ "unknown class", { RAMREQ(GiB, 4 * KiB), { .place_class = 7 } }, 2,
		  EOPNOTSUPP, MEMLAYOUT_REASON_FLAGS, 1,
		  offsetof(struct memlayout_place_req, place_class), { 0 }, { NULL, NULL },
		  "request 1: unknown class" },
		{ "kind of RAM", { { .place_class = MEMLAYOUT_CLASS_RAM, .kind = 1,
		  .size = GiB, .align = 4 * KiB } }, 1, EINVAL,
		  MEMLAYOUT_REASON_RESERVED, 0,
		  offsetof(struct memlayout_place_req, kind),
		  { MEMLAYOUT_CLASS_RAM, 0, 0, 0, 0, 0, 0, 0, 0 }, { "mem" },
		  "mem: kind is not a kind this class takes" },
		{ "start of RAM", { RAMREQ(GiB, 4 * KiB), { .place_class = MEMLAYOUT_CLASS_RAM,
		  .start = GiB, .size = GiB, .align = 4 * KiB } }, 2, EINVAL,
		  MEMLAYOUT_REASON_RESERVED, 1,
		  offsetof(struct memlayout_place_req, start), { 0 }, { "a", "b" },
		  "b: start must be zero for this class" },
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_set s;
	char msg[MEMLAYOUT_STRERROR_LEN];
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];
	unsigned int i;
	int ret;

	/* A layout to keep through every rejection. */
	ret = memlayout_set_placement(h, q35, 6, 0, &s);
	check(!ret, "C4 rejections: first layout", "ret %d", ret);
	memcpy(fp, s.fingerprint, sizeof(fp));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct place_reject *c = &cases[i];
		struct memlayout_stats st;

		ret = memlayout_set_placement(h, c->r, c->n, 0, &s);
		check(ret == -c->err && s.reason.rule == c->rule &&
		      s.reason.index == c->index && s.reason.field == c->field &&
		      (c->rule == MEMLAYOUT_RULE_NO_RAM ||
		       s.reason.list == MEMLAYOUT_LIST_PLACE),
		      c->what, "ret %d rule %u list %u index %u field %u", ret,
		      s.reason.rule, s.reason.list, s.reason.index, s.reason.field);
		check(!memcmp(&s.place_reason, &c->pr, sizeof(c->pr)), c->what,
		      "place_reason {%u %u %u %u %u, 0x%llx 0x%llx 0x%llx}",
		      s.place_reason.place_class, s.place_reason.index,
		      s.place_reason.other_class, s.place_reason.other_index,
		      s.place_reason.phase,
		      (unsigned long long)s.place_reason.size,
		      (unsigned long long)s.place_reason.align,
		      (unsigned long long)s.place_reason.free);
		STREQ(c->what, memlayout_place_strerror(&s, ret, c->tags, msg,
							sizeof(msg)), c->msg);
		ret = memlayout_get_stats(h, &st);
		check(!ret && st.generation == 1 &&
		      !memcmp(st.fingerprint, fp, sizeof(fp)), c->what,
		      "the previous layout did not stay: ret %d generation %llu",
		      ret, (unsigned long long)st.generation);
	}
	/* Without tags: "class[index]"; P3's other one in its class. */
	ret = memlayout_set_placement(h, cases[2].r, cases[2].n, 0, &s);
	STREQ("P3 untagged", memlayout_place_strerror(&s, ret, NULL, msg, sizeof(msg)),
	      "fixed/reserved requests fixed[0] and reserved[0] overlap");
	EQ64("P3 other", s.reason.other_index, 2);
	memlayout_close(h);
}

/*
 * A caller with the 168-byte struct of before C4 (VER1) asks for C4: it
 * cannot pass requests, so the layout has no RAM (R5); bytes past its
 * struct are neither read nor written, on the device as offline.
 */
static void test_place_old_struct(void)
{
	struct {
		struct memlayout_set s;
		uint8_t after[8];
	} b;
	struct memlayout_handle *h = offline(0);
	unsigned int i;
	int ret, kept;

	memset(&b, 0xa5, sizeof(b));
	memset(&b.s, 0, MEMLAYOUT_SET_SIZE_VER1);
	b.s.size = MEMLAYOUT_SET_SIZE_VER1;
	b.s.source = MEMLAYOUT_SOURCE_PLACE;
	ret = memlayout_set(h, &b.s);
	check(ret == -EINVAL && b.s.reason.rule == MEMLAYOUT_RULE_NO_RAM,
	      "C4 with a VER1 struct", "ret %d rule %u list %u field %u", ret,
	      b.s.reason.rule, b.s.reason.list, b.s.reason.field);
	for (i = MEMLAYOUT_SET_SIZE_VER1, kept = 1; i < sizeof(b); i++)
		kept &= ((uint8_t *)&b)[i] == 0xa5;
	check(kept, "C4 with a VER1 struct", "bytes past the caller's struct were written");
	memlayout_close(h);
}

/* D8: a memory-less node keeps its number; the next node is vnode 2. */
static void test_place_memoryless(void)
{
	static const struct memlayout_place_req r[] = {
		RAMREQ(GiB, 4 * KiB), RAMREQ(0, 0), RAMREQ(GiB, GiB),
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_placed *p;
	uint32_t n;
	int ret;

	ret = memlayout_set_placement(h, r, 3, 0, NULL);
	check(!ret, "D8", "ret %d", ret);
	ret = memlayout_get_placements(h, &p, &n, NULL);
	check(!ret && n == 2 && p[0].vnode == 0 && p[0].end == GiB &&
	      p[1].vnode == 2 && p[1].index == 2 && p[1].start == GiB &&
	      p[1].end == 2 * GiB, "D8", "ret %d, %u ranges", ret, n);
	free(p);
	memlayout_close(h);
}

/* ---- the shared view (SPEC V1-V3) ----------------------------------------- */

/* Layout A (odd generations): RAM [0, 3G), MMIO [3G, 4G), RAM [4G, 5G). */
static int view_set(struct memlayout_handle *h, int odd)
{
	static const struct memlayout_range mmio_a[] = { { 3 * GiB, 4 * GiB, 0, 0 } };
	static const struct memlayout_range ecam_b[] = { { 1 * GiB, 2 * GiB, 0, 0 } };
	struct memlayout_set s = {
		.source = MEMLAYOUT_SOURCE_SIZE,
		.ram_size = odd ? 4 * GiB : 2 * GiB,
	};

	/* Layout B (even): RAM [0, 1G), ECAM [1G, 2G), RAM [2G, 3G). */
	if (odd) {
		s.mmio_ptr = PTR(mmio_a);
		s.nr_mmio = 1;
	} else {
		s.pci_ecam_ptr = PTR(ecam_b);
		s.nr_pci_ecam = 1;
	}
	return memlayout_set(h, &s);
}

/* What layout A (odd) or B answers for @a. */
static uint32_t view_want(int odd, uint64_t a)
{
	if (odd)
		return a < 3 * GiB ? MEMLAYOUT_KIND_RAM : a < 4 * GiB ?
		       MEMLAYOUT_KIND_MMIO : a < 5 * GiB ? MEMLAYOUT_KIND_RAM :
		       MEMLAYOUT_KIND_NONE;
	return a < GiB ? MEMLAYOUT_KIND_RAM : a < 2 * GiB ?
	       MEMLAYOUT_KIND_PCI_ECAM : a < 3 * GiB ? MEMLAYOUT_KIND_RAM :
	       MEMLAYOUT_KIND_NONE;
}

static void test_view_basic(void)
{
	static const uint64_t addrs[] = {
		0, GiB - 1, GiB, 2 * GiB, 3 * GiB - 1, 3 * GiB, 4 * GiB,
		5 * GiB - 1, 5 * GiB, ~0ULL,
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_view_map *v, *small;
	struct memlayout_map_entry hit;
	uint32_t kinds[10], k, i;
	uint64_t gen = 0, g2;
	int ret;

	ret = memlayout_view_open(h, 0, &v);
	check(!ret, "view open", "ret %d", ret);
	if (ret)
		return;
	ret = memlayout_view_probe(v, 0, &k, NULL, &gen);
	check(ret == -ENOENT, "view before a layout", "ret %d", ret);
	{
		struct memlayout_view_reader rd;

		/* The inline fast path cannot answer: 1, nothing written. */
		rd = memlayout_view_reader(v);
		k = 77;
		gen = 78;
		ret = memlayout_view_try_probe(&rd, 0, &k, &gen);
		check(ret == 1 && k == 77 && gen == 78, "try_probe before a layout",
		      "ret %d kind %u generation %llu", ret, k,
		      (unsigned long long)gen);
	}
	check(memlayout_view_header(v)->magic == MEMLAYOUT_VIEW_MAGIC &&
	      memlayout_view_header(v)->version == MEMLAYOUT_VIEW_VERSION &&
	      !(memlayout_view_header(v)->seq & 1), "view header",
	      "magic %#x version %u seq %u", memlayout_view_header(v)->magic,
	      memlayout_view_header(v)->version, memlayout_view_header(v)->seq);
	for (i = 1; i <= 4; i++) {
		ret = view_set(h, i & 1);
		check(!ret, "view: set", "ret %d", ret);
		/* SPEC V1: the view answers as Q9 (the PROBE ioctl) does. */
		ret = memlayout_view_probe_batch(v, addrs, kinds, 10, &gen);
		check(!ret && gen == i, "view batch", "ret %d generation %llu, want %u",
		      ret, (unsigned long long)gen, i);
		for (k = 0; k < 10; k++)
			check(kinds[k] == view_want(i & 1, addrs[k]), "view batch",
			      "generation %u: 0x%llx is kind %u, want %u", i,
			      (unsigned long long)addrs[k], kinds[k],
			      view_want(i & 1, addrs[k]));
		ret = memlayout_probe_batch(h, addrs, kinds, 10, &g2);
		check(!ret && g2 == gen, "view = PROBE", "generation %llu vs %llu",
		      (unsigned long long)g2, (unsigned long long)gen);
		/* The inline fast path and the call answer alike. */
		for (k = 0; k < 10; k++) {
			struct memlayout_view_reader rd;
			uint32_t kt = ~0U, kp = ~0U;
			uint64_t gt = 0;

			rd = memlayout_view_reader(v);
			ret = memlayout_view_try_probe(&rd, addrs[k], &kt, &gt);
			memlayout_view_probe(v, addrs[k], &kp, NULL, NULL);
			check(!ret && kt == kp && kt == view_want(i & 1, addrs[k]) &&
			      gt == i, "view try_probe = probe",
			      "0x%llx: ret %d kind %u/%u generation %llu",
			      (unsigned long long)addrs[k], ret, kt, kp,
			      (unsigned long long)gt);
		}
	}
	{
		struct memlayout_view hd;

		ret = memlayout_view_read_header(v, &hd);
		check(!ret && hd.generation == 4 && hd.nr == 3 &&
		      !(hd.seq & 1) && hd.flags == MEMLAYOUT_VIEW_LAYOUT &&
		      hd.starts_off == 128 && hd.records_off == 128 + 3 * 8,
		      "view header copy", "ret %d generation %llu nr %u seq %u flags %#x",
		      ret, (unsigned long long)hd.generation, hd.nr, hd.seq, hd.flags);
	}
	ret = memlayout_view_probe(v, 2 * GiB + 5, &k, &hit, &gen);
	check(!ret && k == MEMLAYOUT_KIND_RAM && hit.start == 2 * GiB &&
	      hit.end == 3 * GiB && hit.kind == MEMLAYOUT_KIND_RAM, "view hit",
	      "ret %d kind %u [0x%llx, 0x%llx)", ret, k,
	      (unsigned long long)hit.start, (unsigned long long)hit.end);
	ret = memlayout_view_probe(v, 7 * GiB, &k, &hit, NULL);
	check(!ret && k == MEMLAYOUT_KIND_NONE && !hit.end, "view miss",
	      "ret %d kind %u", ret, k);
	memlayout_view_close(v);
	memlayout_close(h);

	/* SPEC V3: a view of one page holds 124 ranges; 200 are too many. */
	h = offline(0);
	ret = memlayout_view_open(h, 4096, &small);
	check(!ret, "small view", "ret %d", ret);
	if (!ret) {
		static struct memlayout_range mmio[199];

		for (i = 0; i < 199; i++)
			mmio[i] = (struct memlayout_range){ (2 * i + 1) * 2 * MiB,
							    (2 * i + 2) * 2 * MiB, 0, 0 };
		struct memlayout_set s = {
			.source = MEMLAYOUT_SOURCE_SIZE, .ram_size = 2 * GiB,
			.mmio_ptr = PTR(mmio), .nr_mmio = 199,
		};
		ret = memlayout_set(h, &s);
		check(!ret, "too large: set", "ret %d", ret);
		{
			struct memlayout_view_reader rd;

			rd = memlayout_view_reader(small);
			check(memlayout_view_try_probe(&rd, 0, &k, NULL) == 1,
			      "try_probe: too large", "answered");
		}
		ret = memlayout_view_probe(small, 0, &k, NULL, &gen);
		check(ret == -E2BIG && (memlayout_view_header(small)->flags &
					MEMLAYOUT_VIEW_TOO_LARGE) &&
		      memlayout_view_header(small)->generation == 1 &&
		      memlayout_view_header(small)->nr > 124, "too large",
		      "ret %d flags %#x", ret, memlayout_view_header(small)->flags);
		memlayout_view_close(small);
	}
	memlayout_close(h);

	/*
	 * SPEC V3 at the edge: 128 bytes and 32 a range (start, record, two
	 * entries of the bucket index), so 124 ranges fill one page exactly
	 * and 125 do not. Ranges of 1 MiB, RAM then MMIO from 0; the fast
	 * path answers for the first (its index included), not the second.
	 */
	for (i = 124; i <= 125; i++) {
		static struct memlayout_range ram[63], mmio[62];
		struct memlayout_view_reader rd;
		struct memlayout_set s = {
			.source = MEMLAYOUT_SOURCE_RANGES,
			.ram_ptr = PTR(ram), .nr_ram = (i + 1) / 2,
			.mmio_ptr = PTR(mmio), .nr_mmio = i / 2,
		};
		uint32_t j, bad = 0;

		for (j = 0; j < 63; j++)
			ram[j] = (struct memlayout_range){ 2 * j * MiB, (2 * j + 1) * MiB, 0, 0 };
		for (j = 0; j < 62; j++)
			mmio[j] = (struct memlayout_range){ (2 * j + 1) * MiB, (2 * j + 2) * MiB, 0, 0 };
		h = offline(0);
		ret = memlayout_view_open(h, 4096, &small);
		check(!ret, "view edge: open", "ret %d", ret);
		if (ret) {
			memlayout_close(h);
			continue;
		}
		ret = memlayout_set(h, &s);
		check(!ret && memlayout_view_header(small)->nr == i, "view edge: set",
		      "ret %d nr %u", ret, memlayout_view_header(small)->nr);
		check(!(memlayout_view_header(small)->flags & MEMLAYOUT_VIEW_TOO_LARGE) ==
		      (i == 124), "view edge: 124 ranges fit a page, 125 do not",
		      "%u ranges: flags %#x", i, memlayout_view_header(small)->flags);
		rd = memlayout_view_reader(small);
		/* Every range's first and last byte, and the gap past them. */
		for (j = 0; i == 124 && j <= 2 * i; j++) {
			uint64_t a = j / 2 * MiB + (j & 1 ? MiB - 1 : 0);
			uint32_t want = j / 2 >= i ? MEMLAYOUT_KIND_NONE :
					j / 2 % 2 ? MEMLAYOUT_KIND_MMIO : MEMLAYOUT_KIND_RAM;

			struct memlayout_map_entry hit;
			uint32_t kb = ~0U;

			k = ~0U;
			bad += memlayout_view_try_probe(&rd, a, &k, NULL) || k != want;
			/* The general reader, through the index too. */
			bad += memlayout_view_probe_batch(small, &a, &kb, 1, NULL) ||
			       kb != want;
			bad += memlayout_view_probe(small, a, &kb, &hit, NULL) || kb != want ||
			       (want != MEMLAYOUT_KIND_NONE &&
				(hit.start != j / 2 * MiB || hit.end != (j / 2 + 1) * MiB));
		}
		check(!bad, "view edge: the fast path and the general reader answer a full page",
		      "%u of %u wrong or unanswered", bad, 3 * (2 * i + 1));
		k = 77;
		check(i == 124 || memlayout_view_try_probe(&rd, 0, &k, NULL) == 1,
		      "view edge: the fast path leaves 125 ranges to the ioctls",
		      "kind %u", k);
		memlayout_view_close(small);
		memlayout_close(h);
	}
}

/*
 * SPEC V2 with threads: one thread replaces the layout (A on odd
 * generations, B on even) while readers probe through the view; every
 * answer must be the one of the generation it reports. Offline the writer
 * is the kernel's own memlayout_view_publish(); with --device, the module.
 */
struct view_race {
	struct memlayout_view_map *v;
	volatile int stop;
	unsigned long checked, bad, retry_free;
};

static void *view_reader(void *arg)
{
	struct view_race *r = arg;
	uint64_t x = (uint64_t)(uintptr_t)&x, addrs[8], gen;
	uint32_t kinds[8], i;

	while (!r->stop) {
		for (i = 0; i < 8; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			addrs[i] = (x >> 16) % (6 * GiB);
		}
		if (memlayout_view_probe_batch(r->v, addrs, kinds, 8, &gen))
			continue;
		for (i = 0; i < 8; i++)
			if (kinds[i] != view_want(gen & 1, addrs[i]))
				__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		/* ... and the single probe's own path. */
		if (memlayout_view_probe(r->v, addrs[0], &kinds[0], NULL, &gen))
			continue;
		if (kinds[0] != view_want(gen & 1, addrs[0]))
			__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		/* ... and the inline fast path, when it answers. */
		{
			struct memlayout_view_reader rd;

			rd = memlayout_view_reader(r->v);
			if (!memlayout_view_try_probe(&rd, addrs[1], &kinds[1], &gen) &&
			    kinds[1] != view_want(gen & 1, addrs[1]))
				__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		}
		__atomic_add_fetch(&r->checked, 9, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_view_race(void)
{
	struct memlayout_handle *h = offline(0);
	struct view_race r = { 0 };
	pthread_t t[2];
	unsigned int i, n = 2000;
	unsigned long during;
	time_t t0;
	int ret;

	ret = view_set(h, 1);
	if (!ret)
		ret = memlayout_view_open(h, 0, &r.v);
	check(!ret, "view race: setup", "ret %d", ret);
	if (ret)
		return;
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, view_reader, &r);
	/*
	 * At least n replacements, and on until the readers have checked
	 * 10,000 answers during them (a loaded machine may not schedule
	 * them at first), for at most 60 s.
	 */
	t0 = time(NULL);
	for (i = 2; !ret && (i <= n ||
	     (__atomic_load_n(&r.checked, __ATOMIC_RELAXED) < 10000 &&
	      time(NULL) - t0 < 60)); i++)
		ret = view_set(h, i & 1);
	n = i - 2;
	during = __atomic_load_n(&r.checked, __ATOMIC_RELAXED);
	r.stop = 1;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	check(!ret, "view race: writer", "ret %d", ret);
	check(!r.bad, "view race (SPEC V2)",
	      "%lu of %lu answers did not match their generation's layout",
	      r.bad, r.checked);
	check(during >= 10000, "view race (SPEC V2)",
	      "only %lu answers checked during %u replacements", during, n);
	printf("view race: %lu answers checked during %u replacements, %lu mismatched\n",
	       during, n, r.bad);
	memlayout_view_close(r.v);
	memlayout_close(h);
}

/* ---- host fit (SPEC H1-H3) ---------------------------------------------- */

/*
 * The CPU width the kernel reports, read here on its own: the number
 * before "bits physical" on the first "address sizes" line of
 * /proc/cpuinfo; 0 when there is none (not x86).
 */
static uint32_t cpuinfo_phys_bits(void)
{
	char line[512];
	uint32_t bits = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " bits physical"), *colon;

		if (strncmp(line, "address sizes", 13) || !p)
			continue;
		*p = 0;
		colon = strrchr(line, ':');
		bits = colon ? (uint32_t)strtoul(colon + 1, NULL, 10) : 0;
		break;
	}
	fclose(f);
	return bits;
}

/* SET_LAYOUT from RAM ranges, holes (mmio) and an optional VTL2 range. */
static int set_ranges(struct memlayout_handle *h, struct memlayout_range *ram,
		      uint32_t nr_ram, struct memlayout_range *mmio,
		      uint32_t nr_mmio, const struct memlayout_range *vtl2,
		      uint64_t *gen)
{
	struct memlayout_set s = {
		.size = sizeof(s),
		.source = MEMLAYOUT_SOURCE_RANGES,
		.ram_ptr = PTR(ram), .nr_ram = nr_ram,
		.mmio_ptr = nr_mmio ? PTR(mmio) : 0, .nr_mmio = nr_mmio,
	};
	int ret;

	if (vtl2) {
		s.flags = MEMLAYOUT_SET_VTL2;
		s.vtl2 = *vtl2;
	}
	ret = memlayout_set(h, &s);
	if (gen)
		*gen = s.generation;
	return ret;
}

/* One H1 conflict as the UAPI header documents it. */
static void check_h1(const char *what, const struct memlayout_host_conflict *c,
		     uint32_t list, uint32_t index, uint64_t start, uint64_t end,
		     uint32_t pb)
{
	check(c->rule == MEMLAYOUT_HOST_CPU_WIDTH && c->list == list &&
	      c->index == index && c->device == MEMLAYOUT_NO_DEVICE &&
	      c->start == start && c->end == end &&
	      c->host_start == 1ULL << pb && c->host_last == ~0ULL &&
	      c->host_type == MEMLAYOUT_RESV_NONE && !c->host_flags &&
	      c->phys_bits == pb && !c->reserved, what,
	      "rule %u %s[%u] 0x%" PRIx64 "-0x%" PRIx64 " device %#x host 0x%" PRIx64
	      "-0x%" PRIx64 " type %u flags %u bits %u", c->rule,
	      memlayout_list_name(c->list), c->index, (uint64_t)c->start,
	      (uint64_t)c->end, c->device, (uint64_t)c->host_start,
	      (uint64_t)c->host_last, c->host_type, c->host_flags, c->phys_bits);
}

/*
 * SPEC H1 at its exact edge, 2^phys_bits, with phys_bits the running
 * kernel's (offline: this machine's /proc/cpuinfo, as the module reads
 * it; with --device, the module's answer, which must be the same number).
 */
static void test_host_h1(void)
{
	struct memlayout_handle *h = offline(0);
	struct memlayout_range ram[2] = { { 0, GiB, 0, 0 } }, mmio[2], vtl2;
	struct memlayout_host_fit fit;
	uint32_t pb, cpuinfo = cpuinfo_phys_bits();
	uint64_t e, gen;
	int ret;

	ret = set_ranges(h, ram, 1, NULL, 0, NULL, &gen);
	check(!ret, "H1: a 1 GiB layout", "ret %d", ret);
	ret = memlayout_check_host(h, NULL, 0, &fit);
	check(!ret, "H1: check of 1 GiB", "ret %d", ret);
	if (ret)
		goto out;
	pb = fit.phys_bits;
	/* 2^30 fits every CPU that runs this; no conflict, no array. */
	check(!fit.nr && !fit.conflicts && fit.generation == gen &&
	      fit.error_device == MEMLAYOUT_NO_DEVICE, "H1: 1 GiB fits",
	      "nr %u gen %" PRIu64 " (want %" PRIu64 ") error_device %#x",
	      fit.nr, fit.generation, gen, fit.error_device);
	if (cpuinfo)
		EQ64("H1: phys_bits is /proc/cpuinfo's address size", pb, cpuinfo);
	check(pb >= 32 && pb <= 64, "H1: phys_bits", "%u", pb);
	if (pb < 31 || pb > 60)
		goto out;
	e = 1ULL << pb;

	/* A hole ending exactly at 2^phys_bits fits (ends at or below). */
	mmio[0] = (struct memlayout_range){ e - 2 * MiB, e, 0, 0 };
	ret = set_ranges(h, ram, 1, mmio, 1, NULL, NULL);
	check(!ret, "H1: hole ending at 2^phys_bits", "ret %d", ret);
	ret = memlayout_check_host(h, NULL, 0, &fit);
	check(!ret && !fit.nr, "H1: a hole ending at 2^phys_bits fits",
	      "ret %d nr %u", ret, fit.nr);
	memlayout_host_fit_free(&fit);

	/* One page more: one conflict, the hole, against [2^pb, 2^64 - 1]. */
	mmio[0].end = e + 4 * KiB;
	ret = set_ranges(h, ram, 1, mmio, 1, NULL, NULL);
	check(!ret, "H1: hole ending a page above", "ret %d", ret);
	ret = memlayout_check_host(h, NULL, 0, &fit);
	check(!ret && fit.nr == 1, "H1: a hole ending one page above 2^phys_bits",
	      "ret %d nr %u", ret, fit.nr);
	if (!ret && fit.nr == 1)
		check_h1("H1: the hole's conflict", &fit.conflicts[0],
			 MEMLAYOUT_LIST_MMIO, 0, e - 2 * MiB, e + 4 * KiB, pb);
	memlayout_host_fit_free(&fit);

	/*
	 * RAM across the edge, VTL2 and a hole above it: every range (RAM,
	 * VTL2, holes) is H1's, in address order; the RAM below is not.
	 */
	ram[1] = (struct memlayout_range){ e - 4 * KiB, e + 4 * KiB, 0, 0 };
	vtl2 = (struct memlayout_range){ e + MiB, e + 2 * MiB, 0, 0 };
	mmio[0] = (struct memlayout_range){ e - 2 * MiB, e - MiB, 0, 0 };
	mmio[1] = (struct memlayout_range){ e + 4 * MiB, e + 8 * MiB, 0, 0 };
	ret = set_ranges(h, ram, 2, mmio, 2, &vtl2, &gen);
	check(!ret, "H1: RAM across 2^phys_bits, VTL2, a hole", "ret %d", ret);
	ret = memlayout_check_host(h, NULL, 0, &fit);
	check(!ret && fit.nr == 3 && fit.generation == gen,
	      "H1: three conflicts", "ret %d nr %u", ret, fit.nr);
	if (!ret && fit.nr == 3) {
		check_h1("H1: RAM across the edge", &fit.conflicts[0],
			 MEMLAYOUT_LIST_RAM, 1, e - 4 * KiB, e + 4 * KiB, pb);
		check_h1("H1: VTL2", &fit.conflicts[1], MEMLAYOUT_LIST_VTL2, 0,
			 e + MiB, e + 2 * MiB, pb);
		check_h1("H1: the hole above", &fit.conflicts[2],
			 MEMLAYOUT_LIST_MMIO, 1, e + 4 * MiB, e + 8 * MiB, pb);
	}
	memlayout_host_fit_free(&fit);
out:
	memlayout_host_fit_free(&fit);
	memlayout_close(h);
}

/*
 * The count negotiation (as GET_RANGES) and the command's checks, in the
 * order memlayout_check_host_args() makes them, then each device record's
 * (memlayout_check_host_device()), each naming the device's index.
 */
static void test_host_args(void)
{
	struct memlayout_handle *h = offline(0);
	struct memlayout_range ram[1] = { { 0, GiB, 0, 0 } }, mmio[2];
	struct memlayout_host_conflict buf[4], fill;
	struct memlayout_host_device devs[64 + 1];
	struct memlayout_check_host c;
	struct memlayout_host_fit fit;
	union {
		struct memlayout_check_host c;
		uint8_t b[64];
	} big;
	uint32_t pb, i;
	int ret, p[2];

	memset(devs, 0, sizeof(devs));
	memset(&c, 0, sizeof(c));
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -ENOENT, "CHECK_HOST before a layout", "ret %d", ret);
	ret = memlayout_check_host(h, NULL, 0, &fit);
	check(ret == -ENOENT && fit.error_device == MEMLAYOUT_NO_DEVICE && !fit.nr,
	      "memlayout_check_host() before a layout: no device named",
	      "ret %d error_device %#x", ret, fit.error_device);
	if (set_ranges(h, ram, 1, NULL, 0, NULL, NULL) ||
	    memlayout_check_host(h, NULL, 0, &fit)) {
		check(0, "CHECK_HOST: a layout", "no phys_bits");
		memlayout_close(h);
		return;
	}
	pb = fit.phys_bits;
	if (pb >= 31 && pb <= 60) {
		/* Two holes above 2^pb: two H1 conflicts to negotiate. */
		mmio[0] = (struct memlayout_range){ (1ULL << pb) + 2 * MiB,
						    (1ULL << pb) + 4 * MiB, 0, 0 };
		mmio[1] = (struct memlayout_range){ (1ULL << pb) + 6 * MiB,
						    (1ULL << pb) + 8 * MiB, 0, 0 };
		set_ranges(h, ram, 1, mmio, 2, NULL, NULL);
		memset(&c, 0, sizeof(c));
		ret = memlayout_check_host_raw(h, &c);
		check(ret == -EMSGSIZE && c.count == 2 && c.phys_bits == pb,
		      "CHECK_HOST count 0: -EMSGSIZE with the count",
		      "ret %d count %u bits %u", ret, c.count, c.phys_bits);
		memset(buf, 0xee, sizeof(buf));
		memset(&fill, 0xee, sizeof(fill));
		memset(&c, 0, sizeof(c));
		c.count = 1;
		c.conflicts_ptr = PTR(buf);
		ret = memlayout_check_host_raw(h, &c);
		check(ret == -EMSGSIZE && c.count == 2 &&
		      !memcmp(&buf[0], &fill, sizeof(fill)),
		      "CHECK_HOST count 1 of 2: -EMSGSIZE, nothing written",
		      "ret %d count %u", ret, c.count);
		c.count = 4;
		ret = memlayout_check_host_raw(h, &c);
		check(!ret && c.count == 2 && buf[1].start == mmio[1].start &&
		      !memcmp(&buf[2], &fill, sizeof(fill)),
		      "CHECK_HOST count 4 of 2: two written, the rest untouched",
		      "ret %d count %u", ret, c.count);
	}

	/* The command. */
	memset(&c, 0, sizeof(c));
	c.flags = 1;
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -EOPNOTSUPP, "CHECK_HOST flags", "ret %d", ret);
	memset(&c, 0, sizeof(c));
	c.nr_devices = 64 + 1;
	c.devices_ptr = PTR(devs);
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -E2BIG, "CHECK_HOST over max_devices", "ret %d", ret);
	ret = memlayout_check_host(h, devs, 64 + 1, &fit);
	check(ret == -E2BIG && fit.error_device == MEMLAYOUT_NO_DEVICE,
	      "memlayout_check_host() over max_devices: no device named",
	      "ret %d error_device %#x", ret, fit.error_device);
	memset(&c, 0, sizeof(c));
	c.devices_ptr = PTR(devs);
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -EINVAL, "CHECK_HOST devices_ptr without nr_devices", "ret %d", ret);
	memset(&c, 0, sizeof(c));
	c.count = 3;
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -EINVAL, "CHECK_HOST count without conflicts_ptr", "ret %d", ret);
	memset(&c, 0, sizeof(c));
	c.size = MEMLAYOUT_CHECK_HOST_SIZE_VER0 - 8;
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -EINVAL, "CHECK_HOST size below VER0", "ret %d", ret);
	memset(&big, 0, sizeof(big));
	big.c.size = sizeof(big);
	ret = memlayout_check_host_raw(h, &big.c);
	check(ret == 0 || ret == -EMSGSIZE, "CHECK_HOST larger struct, zero tail",
	      "ret %d", ret);
	memset(&big, 0, sizeof(big));
	big.c.size = sizeof(big);
	big.b[sizeof(big) - 1] = 1;
	ret = memlayout_check_host_raw(h, &big.c);
	check(ret == -E2BIG, "CHECK_HOST non-zero tail", "ret %d", ret);

	/* The records: each error names the device's index. */
	for (i = 0; i < 8; i++)
		memlayout_pci_device("ffff:ff:1f.7", &devs[i]);
	devs[5].type = 9;
	ret = memlayout_check_host(h, devs, 8, &fit);
	check(ret == -ENODEV || ret == -EOPNOTSUPP, "CHECK_HOST bad type",
	      "ret %d", ret);
	devs[0] = devs[5];
	ret = memlayout_check_host(h, devs, 8, &fit);
	check(ret == -EOPNOTSUPP && fit.error_device == 0,
	      "CHECK_HOST unknown type: -EOPNOTSUPP, device 0",
	      "ret %d error_device %u", ret, fit.error_device);
	memlayout_pci_device("ffff:ff:1f.7", &devs[0]);
	devs[0].fd = 3;
	ret = memlayout_check_host(h, devs, 1, &fit);
	check(ret == -EINVAL && fit.error_device == 0, "CHECK_HOST PCI with an fd",
	      "ret %d error_device %u", ret, fit.error_device);
	/* flags is an out member: ignored on input (the record resolves). */
	memlayout_pci_device("ffff:ff:1f.7", &devs[0]);
	devs[0].flags = MEMLAYOUT_DEVICE_IOMMU;
	memset(&c, 0, sizeof(c));
	c.nr_devices = 1;
	c.devices_ptr = PTR(devs);
	ret = memlayout_check_host_raw(h, &c);
	check(ret == -ENODEV && c.error_device == 0, "CHECK_HOST device flags in: ignored",
	      "ret %d error_device %u", ret, c.error_device);
	devs[0].flags = 1U << 5;
	ret = memlayout_check_host(h, devs, 1, &fit);
	check(ret == -ENODEV && fit.error_device == 0,
	      "memlayout_check_host(): an unknown out flag is ignored too",
	      "ret %d error_device %u", ret, fit.error_device);
	memlayout_pci_device("ffff:ff:1f.7", &devs[0]);
	devs[0].reserved = 1;
	ret = memlayout_check_host(h, devs, 1, &fit);
	check(ret == -EINVAL, "CHECK_HOST device reserved", "ret %d", ret);
	memlayout_vfio_device(-1, &devs[0]);
	devs[0].pci_bus = 1;
	ret = memlayout_check_host(h, devs, 1, &fit);
	check(ret == -EBADF, "CHECK_HOST VFIO with a PCI address: ignored (an out member)",
	      "ret %d", ret);
	/* ... and so is one the kernel wrote (MEMLAYOUT_DEVICE_PCI_ADDR). */
	devs[0].flags = MEMLAYOUT_DEVICE_PCI_ADDR | MEMLAYOUT_DEVICE_IOMMU;
	devs[0].iommu_group = 7;
	ret = memlayout_check_host(h, devs, 1, &fit);
	check(ret == -EBADF, "memlayout_check_host() sends a VFIO record without its resolved address",
	      "ret %d", ret);
	memlayout_vfio_device(-1, &devs[0]);
	ret = memlayout_check_host(h, devs, 1, &fit);
	check(ret == -EBADF && fit.error_device == 0, "CHECK_HOST VFIO fd -1: -EBADF",
	      "ret %d error_device %u", ret, fit.error_device);
	if (!pipe(p)) {
		memlayout_pci_device("ffff:ff:1f.7", &devs[0]);
		memlayout_vfio_device(p[0], &devs[1]);
		/* No PCI segment 0xffff in a test machine or guest. */
		ret = memlayout_check_host(h, devs, 2, &fit);
		check(ret == -ENODEV && fit.error_device == 0,
		      "CHECK_HOST no such PCI device: -ENODEV, device 0",
		      "ret %d error_device %u", ret, fit.error_device);
		memlayout_vfio_device(p[0], &devs[0]);
		ret = memlayout_check_host(h, devs, 1, &fit);
		check(ret == -EINVAL && fit.error_device == 0,
		      "CHECK_HOST a pipe is no VFIO file: -EINVAL",
		      "ret %d error_device %u", ret, fit.error_device);
		close(p[0]);
		close(p[1]);
	}
	memlayout_close(h);
}

/* memlayout_pci_device(): the two spellings, and nothing else. */
static void test_host_bdf(void)
{
	static const char * const bad[] = {
		"", "0", "00:1f", "00:1f.", "00:1f.8", "00:20.0", "0:01:1f.0",
		"00:1f.0 ", " 00:1f.0", "00:1f.0\n", "+0:1f.0", "-1:1f.0",
		"0000:00:1f", "00000:00:1f.0", "0000-00:1f.0", "00:1f:0",
		"g0:00.0", "00:0x.0", "0x00:1f.0", "0000:00:1f.0.0", "00.1f.0",
		"0000:00:1f.a", "ffff:ff:ff.f", "0000:00:1f.07",
	};
	struct memlayout_host_device d, keep;
	char name[MEMLAYOUT_HOST_DEVICE_NAME_LEN], *longs;
	size_t i;
	int ret;

	ret = memlayout_pci_device("0000:00:1f.0", &d);
	check(!ret && d.type == MEMLAYOUT_DEVICE_PCI && !d.fd && !d.pci_segment &&
	      !d.pci_bus && d.pci_devfn == (0x1f << 3), "BDF 0000:00:1f.0",
	      "ret %d type %u devfn %#x", ret, d.type, d.pci_devfn);
	ret = memlayout_pci_device("03:00.1", &d);
	check(!ret && !d.pci_segment && d.pci_bus == 3 && d.pci_devfn == 1,
	      "BDF 03:00.1 (segment 0)", "ret %d bus %u devfn %#x", ret,
	      d.pci_bus, d.pci_devfn);
	ret = memlayout_pci_device("FFFF:Ab:1F.7", &d);
	check(!ret && d.pci_segment == 0xffff && d.pci_bus == 0xab &&
	      d.pci_devfn == 0xff, "BDF FFFF:Ab:1F.7", "ret %d %#x %#x %#x",
	      ret, d.pci_segment, d.pci_bus, d.pci_devfn);
	STREQ("BDF name", memlayout_host_device_name(&d, name, sizeof(name)),
	      "ffff:ab:1f.7");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&d, 0xa5, sizeof(d));
		keep = d;
		errno = 0;
		ret = memlayout_pci_device(bad[i], &d);
		check(ret == -EINVAL && errno == EINVAL &&
		      !memcmp(&d, &keep, sizeof(d)), "BDF rejected, record untouched",
		      "\"%s\": ret %d", bad[i], ret);
	}
	ret = memlayout_pci_device(NULL, &d);
	check(ret == -EINVAL, "BDF NULL", "ret %d", ret);
	/* A long string is not read to its end. */
	longs = malloc(1 << 20);
	if (longs) {
		memset(longs, '0', 1 << 20);
		longs[(1 << 20) - 1] = 0;
		memcpy(longs, "0000:00:1f.0", 12);
		ret = memlayout_pci_device(longs, &d);
		check(ret == -EINVAL, "BDF with 1 MiB of trailing digits", "ret %d", ret);
		free(longs);
	}
	memlayout_vfio_device(7, &d);
	check(d.type == MEMLAYOUT_DEVICE_VFIO && d.fd == 7 && !d.pci_bus,
	      "memlayout_vfio_device", "type %u fd %d", d.type, d.fd);
	STREQ("VFIO name", memlayout_host_device_name(&d, name, sizeof(name)),
	      "vfio fd 7");
	d.flags = MEMLAYOUT_DEVICE_PCI_ADDR;
	d.pci_bus = 2;
	d.pci_devfn = 0x11;
	STREQ("VFIO name resolved", memlayout_host_device_name(&d, name, sizeof(name)),
	      "0000:02:02.1");
	ret = memlayout_open_vfio("/nonexistent/vfio/1", &d);
	check(ret == -ENOENT, "memlayout_open_vfio of a missing path", "ret %d", ret);
}

/* The names (SPEC H1-H3, the sysfs words) and one line per conflict. */
static void test_host_names(void)
{
	struct memlayout_host_conflict c = {
		.rule = MEMLAYOUT_HOST_CPU_WIDTH, .list = MEMLAYOUT_LIST_PCI_MMIO,
		.index = 2, .device = MEMLAYOUT_NO_DEVICE,
		.start = 0xfc00000000ULL, .end = 0x10000001000ULL,
		.host_start = 1ULL << 40, .host_last = ~0ULL, .phys_bits = 40,
	};
	struct memlayout_host_device devs[2];
	char buf[256];

	STREQ("host rule 0", memlayout_host_rule_name(0), NULL);
	STREQ("host rule H1", memlayout_host_rule_name(MEMLAYOUT_HOST_CPU_WIDTH), "H1");
	STREQ("host rule H2", memlayout_host_rule_name(MEMLAYOUT_HOST_APERTURE), "H2");
	STREQ("host rule H3", memlayout_host_rule_name(MEMLAYOUT_HOST_RESERVED), "H3");
	STREQ("host rule 4", memlayout_host_rule_name(4), NULL);
	STREQ("domain none", memlayout_domain_type_name(MEMLAYOUT_DOMAIN_NONE), "none");
	STREQ("domain blocked", memlayout_domain_type_name(MEMLAYOUT_DOMAIN_BLOCKED), "blocked");
	STREQ("domain identity", memlayout_domain_type_name(MEMLAYOUT_DOMAIN_IDENTITY), "identity");
	STREQ("domain dma", memlayout_domain_type_name(MEMLAYOUT_DOMAIN_DMA), "dma");
	STREQ("domain unmanaged", memlayout_domain_type_name(MEMLAYOUT_DOMAIN_UNMANAGED), "unmanaged");
	STREQ("domain other", memlayout_domain_type_name(MEMLAYOUT_DOMAIN_OTHER), "other");
	STREQ("domain 6", memlayout_domain_type_name(6), NULL);
	STREQ("resv none", memlayout_resv_type_name(MEMLAYOUT_RESV_NONE, 0), "none");
	STREQ("resv direct", memlayout_resv_type_name(MEMLAYOUT_RESV_DIRECT, 0), "direct");
	STREQ("resv direct-relaxable",
	      memlayout_resv_type_name(MEMLAYOUT_RESV_DIRECT, MEMLAYOUT_HOST_RELAXABLE),
	      "direct-relaxable");
	STREQ("resv reserved", memlayout_resv_type_name(MEMLAYOUT_RESV_RESERVED, 0), "reserved");
	STREQ("resv msi", memlayout_resv_type_name(MEMLAYOUT_RESV_MSI, 0), "msi");
	STREQ("resv sw msi", memlayout_resv_type_name(MEMLAYOUT_RESV_SW_MSI, 0), "msi");
	STREQ("resv relaxable msi",
	      memlayout_resv_type_name(MEMLAYOUT_RESV_MSI, MEMLAYOUT_HOST_RELAXABLE), NULL);
	STREQ("resv 5", memlayout_resv_type_name(5, 0), NULL);
	STREQ("resv flag 2", memlayout_resv_type_name(MEMLAYOUT_RESV_DIRECT, 2), NULL);

	STREQ("H1 line", memlayout_host_conflict_str(&c, NULL, 0, buf, sizeof(buf)),
	      "H1: pci_mmio[2] 0xfc00000000-0x10000000fff ends above 2^40 (CPU physical address width 40)");
	memlayout_pci_device("0000:00:1f.0", &devs[0]);
	memlayout_vfio_device(5, &devs[1]);
	c = (struct memlayout_host_conflict){
		.rule = MEMLAYOUT_HOST_RESERVED, .list = MEMLAYOUT_LIST_RAM,
		.index = 0, .device = 0, .start = 0, .end = 1ULL << 32,
		.host_start = 0xfee00000, .host_last = 0xfeefffff,
		.host_type = MEMLAYOUT_RESV_MSI, .phys_bits = 40,
	};
	STREQ("H3 line", memlayout_host_conflict_str(&c, devs, 2, buf, sizeof(buf)),
	      "H3: ram[0] 0x0-0xffffffff overlaps msi region 0xfee00000-0xfeefffff of 0000:00:1f.0");
	c.host_start = 0;
	c.host_last = 0xffffff;
	c.host_type = MEMLAYOUT_RESV_DIRECT;
	c.host_flags = MEMLAYOUT_HOST_RELAXABLE;
	c.device = 1;
	STREQ("H3 relaxable line", memlayout_host_conflict_str(&c, devs, 2, buf, sizeof(buf)),
	      "H3: ram[0] 0x0-0xffffffff overlaps direct-relaxable region 0x0-0xffffff of vfio fd 5");
	c = (struct memlayout_host_conflict){
		.rule = MEMLAYOUT_HOST_APERTURE, .list = MEMLAYOUT_LIST_VTL2,
		.device = 3, .start = 1ULL << 39, .end = (1ULL << 39) + 2 * MiB,
		.host_start = 0, .host_last = (1ULL << 39) - 1, .phys_bits = 40,
	};
	/* Device 3 of 2: named by its index only. */
	STREQ("H2 line", memlayout_host_conflict_str(&c, devs, 2, buf, sizeof(buf)),
	      "H2: vtl2[0] 0x8000000000-0x80001fffff is outside the IOMMU aperture 0x0-0x7fffffffff of device 3");
	STREQ("cut line", memlayout_host_conflict_str(&c, devs, 2, buf, 9), "H2: vtl2");
}

/*
 * The negotiation loop of memlayout_check_host() against a writer that
 * keeps replacing the layout on the same file between a layout with one
 * H1 conflict and one with three: every answer must be wholly one of the
 * two (the retry when the count grows). Through the device only (the
 * module, or lib/fakedev.c, which serializes the ioctls): an offline
 * handle is not thread-safe.
 */
struct host_race {
	struct memlayout_handle *h;
	uint64_t e;
	int stop, err;
};

static void *host_race_writer(void *arg)
{
	struct host_race *r = arg;
	struct memlayout_range ram[1] = { { 0, GiB, 0, 0 } }, mmio[3];
	unsigned int i;

	for (i = 0; !__atomic_load_n(&r->stop, __ATOMIC_RELAXED); i++) {
		mmio[0] = (struct memlayout_range){ r->e + 2 * MiB, r->e + 4 * MiB, 0, 0 };
		mmio[1] = (struct memlayout_range){ r->e + 6 * MiB, r->e + 8 * MiB, 0, 0 };
		mmio[2] = (struct memlayout_range){ r->e + 10 * MiB, r->e + 12 * MiB, 0, 0 };
		r->err = set_ranges(r->h, ram, 1, mmio, i & 1 ? 3 : 1, NULL, NULL);
		if (r->err)
			break;
	}
	return NULL;
}

static void test_host_race(void)
{
	struct host_race r = { 0 };
	struct memlayout_host_fit fit;
	unsigned long ones = 0, threes = 0, bad = 0;
	time_t t0;
	pthread_t t;
	uint32_t i, k;
	int ret;

	if (!device)
		return;
	r.h = offline(0);
	ret = set_ranges(r.h, (struct memlayout_range[]){ { 0, GiB, 0, 0 } }, 1,
			 NULL, 0, NULL, NULL);
	if (!ret)
		ret = memlayout_check_host(r.h, NULL, 0, &fit);
	if (ret || fit.phys_bits < 32 || fit.phys_bits > 60) {
		memlayout_close(r.h);
		return;
	}
	r.e = 1ULL << fit.phys_bits;
	/* The writer's first layout, before it runs: one conflict. */
	ret = set_ranges(r.h, (struct memlayout_range[]){ { 0, GiB, 0, 0 } }, 1,
			 (struct memlayout_range[]){ { r.e + 2 * MiB, r.e + 4 * MiB, 0, 0 } },
			 1, NULL, NULL);
	check(!ret, "host fit race: setup", "ret %d", ret);
	pthread_create(&t, NULL, host_race_writer, &r);
	/*
	 * The window (the count growing between the count-0 call and the
	 * read) is narrow: many rounds, for at most 20 s.
	 */
	t0 = time(NULL);
	for (i = 0; i < 50000 && time(NULL) - t0 < 20; i++) {
		ret = memlayout_check_host(r.h, NULL, 0, &fit);
		if (ret)
			break;
		if (fit.nr == 1)
			ones++;
		else if (fit.nr == 3)
			threes++;
		for (k = 0; k < fit.nr; k++)
			if (fit.nr > 3 || fit.nr == 2 ||
			    fit.conflicts[k].start != r.e + (2 + 4 * k) * MiB ||
			    fit.conflicts[k].rule != MEMLAYOUT_HOST_CPU_WIDTH)
				bad++;
		memlayout_host_fit_free(&fit);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	check(!ret && !r.err, "host fit race: calls", "ret %d writer %d", ret, r.err);
	check(!bad && ones + threes == i, "host fit race: each answer is one layout's",
	      "%lu bad, %lu of 1, %lu of 3, of %u", bad, ones, threes, i);
	printf("host fit race: %lu answers of 1 conflict, %lu of 3\n", ones, threes);
	memlayout_close(r.h);
}

/*
 * SPEC H2, H3 through the device client, from lib/fakedev.c's synthetic
 * host ($FAKEDEV_HOST; its conflicts come from its own model): the records
 * written back, the conflicts in the documented order, and the same array
 * checked twice. Only under fakedev: a guest's kernel has its own devices.
 */
static void test_host_devices_fake(void)
{
	const char *pre = getenv("LD_PRELOAD");
	struct memlayout_range ram[2] = {
		{ 0, 4 * GiB, 0, 0 }, { 4 * GiB, (1ULL << 39) + 4 * KiB, 0, 0 },
	};
	struct memlayout_host_device devs[2];
	struct memlayout_host_fit fit;
	struct memlayout_handle *h;
	int round, ret;

	if (!device || !pre || !strstr(pre, "fakedev"))
		return;
	setenv("FAKEDEV_HOST", "0000:00:1f.0 3 3 0 0x7fffffffff 2 0 0xffffff 1 1 "
	       "0xfee00000 0xfeefffff 3 0;00:02.0 -1", 1);
	h = offline(0);
	ret = set_ranges(h, ram, 2, NULL, 0, NULL, NULL);
	check(!ret, "fakedev host: layout", "ret %d", ret);
	memlayout_pci_device("00:1f.0", &devs[0]);
	memlayout_pci_device("00:02.0", &devs[1]);
	for (round = 0; round < 2; round++) {
		ret = memlayout_check_host(h, devs, 2, &fit);
		check(!ret && fit.nr == 3, "fakedev host: H2 and two H3 (SPEC H2, H3)",
		      "round %d: ret %d nr %u", round, ret, fit.nr);
		if (ret || fit.nr != 3)
			break;
		check(devs[0].flags == (MEMLAYOUT_DEVICE_IOMMU | MEMLAYOUT_DEVICE_APERTURE) &&
		      devs[0].iommu_group == 3 && devs[0].domain_type == MEMLAYOUT_DOMAIN_DMA &&
		      devs[0].nr_resv == 2 && devs[0].aperture_start == 0 &&
		      devs[0].aperture_last == (1ULL << 39) - 1 && devs[0].pci_devfn == 0xf8,
		      "fakedev host: device 0 written back", "flags %#x group %u",
		      devs[0].flags, devs[0].iommu_group);
		check(!devs[1].flags && !devs[1].iommu_group && !devs[1].nr_resv &&
		      devs[1].type == MEMLAYOUT_DEVICE_PCI,
		      "fakedev host: device 1 has no IOMMU (not a conflict)", "flags %#x",
		      devs[1].flags);
		/* Device by device: H2 in address order, then H3 region by region. */
		check(fit.conflicts[0].rule == MEMLAYOUT_HOST_APERTURE &&
		      fit.conflicts[0].index == 1 && fit.conflicts[0].device == 0 &&
		      fit.conflicts[0].host_last == (1ULL << 39) - 1 &&
		      fit.conflicts[1].rule == MEMLAYOUT_HOST_RESERVED &&
		      fit.conflicts[1].host_type == MEMLAYOUT_RESV_DIRECT &&
		      fit.conflicts[1].host_flags == MEMLAYOUT_HOST_RELAXABLE &&
		      fit.conflicts[1].index == 0 &&
		      fit.conflicts[2].rule == MEMLAYOUT_HOST_RESERVED &&
		      fit.conflicts[2].host_type == MEMLAYOUT_RESV_MSI &&
		      fit.conflicts[2].host_start == 0xfee00000 && !fit.conflicts[2].host_flags,
		      "fakedev host: the conflicts and their order", "%u %u %u",
		      fit.conflicts[0].rule, fit.conflicts[1].rule, fit.conflicts[2].rule);
		memlayout_host_fit_free(&fit);
	}
	unsetenv("FAKEDEV_HOST");
	memlayout_close(h);
}

/* ---- KVM audit (SPEC H4) -------------------------------------------------- */

/*
 * The audit's layout: RAM [0, 2G) node 0 and [2G, 3G) node 1 (a node
 * split: two adjacent RAM ranges), pci_ecam [3G, 3G + 256M), mmio
 * [3G + 256M, 4G), RAM [4G, 6G) node 1, VTL2 [8G, 8G + 64M).
 */
static int kvm_layout(struct memlayout_handle *h, uint64_t *gen)
{
	static struct memlayout_range ram[3] = {
		{ 0, 2 * GiB, 0, 0 }, { 2 * GiB, 3 * GiB, 1, 0 },
		{ 4 * GiB, 6 * GiB, 1, 0 },
	};
	static struct memlayout_range ecam = { 3 * GiB, 3 * GiB + 256 * MiB, 0, 0 };
	static struct memlayout_range mmio = { 3 * GiB + 256 * MiB, 4 * GiB, 0, 0 };
	struct memlayout_set s = {
		.size = sizeof(s),
		.flags = MEMLAYOUT_SET_VTL2,
		.source = MEMLAYOUT_SOURCE_RANGES,
		.ram_ptr = PTR(ram), .nr_ram = 3,
		.mmio_ptr = PTR(&mmio), .nr_mmio = 1,
		.pci_ecam_ptr = PTR(&ecam), .nr_pci_ecam = 1,
		.vtl2 = { 8 * GiB, 8 * GiB + 64 * MiB, 0, 0 },
	};
	int ret = memlayout_set(h, &s);

	*gen = s.generation;
	return ret;
}

/* One finding, every member, as "DOC: KVM audit" defines them. */
struct want_kvm {
	uint32_t kind, list, index, as_id;
	uint64_t start, end, range_start, range_end, slot_start, slot_end;
	uint32_t slot_id, slot_flags;
};

#define NOSLOT	0, 0, MEMLAYOUT_KVM_NO_SLOT, 0

static void check_audit(const char *what, struct memlayout_handle *h,
			const struct memlayout_kvm_memslot *slots, uint32_t n,
			uint64_t gen, uint32_t nr_as,
			const struct want_kvm *w, uint32_t nw)
{
	struct memlayout_kvm_audit a;
	uint32_t i;
	int ret;

	ret = memlayout_kvm_audit_slots(h, slots, n, &a);
	check(!ret && a.nr == nw && a.generation == gen && a.nr_slots == n &&
	      a.nr_as == nr_as && a.error_slot == MEMLAYOUT_KVM_NO_SLOT &&
	      !a.findings == !nw, what,
	      "ret %d nr %u (want %u) gen %" PRIu64 " (want %" PRIu64 ") slots %u as %u (want %u)",
	      ret, a.nr, nw, a.generation, gen, a.nr_slots, a.nr_as, nr_as);
	for (i = 0; !ret && i < a.nr && i < nw; i++) {
		const struct memlayout_kvm_finding *f = &a.findings[i];
		const struct want_kvm *x = &w[i];
		char line[256];

		check(f->kind == x->kind && f->list == x->list &&
		      f->index == x->index && f->as_id == x->as_id &&
		      f->start == x->start && f->end == x->end &&
		      f->range_start == x->range_start &&
		      f->range_end == x->range_end &&
		      f->slot_start == x->slot_start && f->slot_end == x->slot_end &&
		      f->slot_id == x->slot_id && f->slot_flags == x->slot_flags,
		      what, "finding %u: %s", i,
		      memlayout_kvm_finding_str(f, line, sizeof(line)));
	}
	memlayout_kvm_audit_free(&a);
	check(!a.findings && !a.nr && a.error_slot == MEMLAYOUT_KVM_NO_SLOT,
	      "memlayout_kvm_audit_free() empties", "nr %u", a.nr);
}

/*
 * SPEC H4 over caller-given memslots (memlayout_kvm_audit_slots(): the
 * library's copy of the core offline; with --device, the device's layout
 * read back with GET_LAYOUT and rebuilt): each case of the issue with
 * every finding written by hand.
 */
static void test_kvm_slots(void)
{
	struct memlayout_handle *h = offline(0);
	const uint64_t R = MEMLAYOUT_KVM_MEM_READONLY;
	struct memlayout_kvm_memslot s[6];
	uint64_t gen;
	int ret;

	ret = kvm_layout(h, &gen);
	check(!ret, "H4: the audit's layout", "ret %d", ret);
	if (ret)
		goto out;

	/* Exact coverage; the node split under one slot is no finding. */
	s[0] = (struct memlayout_kvm_memslot){ 0, 0, 0, 3 * GiB, 0, 0 };
	s[1] = (struct memlayout_kvm_memslot){ 0, 1, 4 * GiB, 6 * GiB,
					       MEMLAYOUT_KVM_MEM_LOG_DIRTY_PAGES, 0 };
	check_audit("H4: exact coverage, node split under one slot", h, s, 2,
		    gen, 1, NULL, 0);
	/* Given in any order; VTL2 under a slot is inside the layout. */
	s[2] = s[0];
	s[0] = (struct memlayout_kvm_memslot){ 0, 7, 8 * GiB, 8 * GiB + 64 * MiB, 0, 0 };
	check_audit("H4: unsorted slots, one over VTL2", h, s, 3, gen, 1, NULL, 0);

	/* One page missing at each end of RAM. */
	{
		const struct want_kvm w[] = {
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 0, 0, 0, 4 * KiB,
			  0, 2 * GiB, NOSLOT },
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 1, 0,
			  3 * GiB - 4 * KiB, 3 * GiB, 2 * GiB, 3 * GiB, NOSLOT },
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 2, 0,
			  4 * GiB, 4 * GiB + 4 * KiB, 4 * GiB, 6 * GiB, NOSLOT },
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 2, 0,
			  6 * GiB - 4 * KiB, 6 * GiB, 4 * GiB, 6 * GiB, NOSLOT },
		};

		s[0] = (struct memlayout_kvm_memslot){ 0, 0, 4 * KiB, 3 * GiB - 4 * KiB, 0, 0 };
		s[1] = (struct memlayout_kvm_memslot){ 0, 1, 4 * GiB + 4 * KiB,
						       6 * GiB - 4 * KiB, 0, 0 };
		check_audit("H4: a page missing at each end", h, s, 2, gen, 1,
			    w, 4);
	}

	/* A slot spanning RAM and a hole (a VRAM BAR's case), read-only RAM. */
	{
		const struct want_kvm w[] = {
			{ MEMLAYOUT_KVM_OVER_HOLE, MEMLAYOUT_LIST_PCI_ECAM, 0, 0,
			  3 * GiB, 3 * GiB + MiB, 3 * GiB, 3 * GiB + 256 * MiB,
			  0, 3 * GiB + MiB, 0, 0 },
			{ MEMLAYOUT_KVM_OVER_HOLE, MEMLAYOUT_LIST_MMIO, 0, 0,
			  3 * GiB + 512 * MiB, 3 * GiB + 528 * MiB,
			  3 * GiB + 256 * MiB, 4 * GiB,
			  3 * GiB + 512 * MiB, 3 * GiB + 528 * MiB, 9, R },
			{ MEMLAYOUT_KVM_READONLY, MEMLAYOUT_LIST_RAM, 2, 0,
			  4 * GiB, 6 * GiB, 4 * GiB, 6 * GiB, 4 * GiB, 6 * GiB, 1, R },
		};

		s[0] = (struct memlayout_kvm_memslot){ 0, 0, 0, 3 * GiB + MiB, 0, 0 };
		s[1] = (struct memlayout_kvm_memslot){ 0, 1, 4 * GiB, 6 * GiB, R, 0 };
		s[2] = (struct memlayout_kvm_memslot){ 0, 9, 3 * GiB + 512 * MiB,
						       3 * GiB + 528 * MiB, R, 0 };
		check_audit("H4: a slot over RAM and a hole, a VRAM BAR, read-only RAM",
			    h, s, 3, gen, 1, w, 3);
	}

	/* Two address spaces (x86's SMM one); above end_of_layout; a gap. */
	{
		const struct want_kvm w[] = {
			{ MEMLAYOUT_KVM_OUTSIDE, MEMLAYOUT_LIST_NONE, 0, 0,
			  6 * GiB, 7 * GiB, 0, 0, 6 * GiB, 7 * GiB, 3, 0 },
			{ MEMLAYOUT_KVM_OUTSIDE, MEMLAYOUT_LIST_NONE, 0, 0,
			  16 * GiB, 16 * GiB + 2 * MiB, 0, 0,
			  16 * GiB, 16 * GiB + 2 * MiB, 4, 0 },
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 0, 1,
			  GiB, 2 * GiB, 0, 2 * GiB, NOSLOT },
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 1, 1,
			  2 * GiB, 3 * GiB, 2 * GiB, 3 * GiB, NOSLOT },
			{ MEMLAYOUT_KVM_UNBACKED, MEMLAYOUT_LIST_RAM, 2, 1,
			  4 * GiB, 6 * GiB, 4 * GiB, 6 * GiB, NOSLOT },
		};

		s[0] = (struct memlayout_kvm_memslot){ 1, 0, 0, GiB, 0, 0 };
		s[1] = (struct memlayout_kvm_memslot){ 0, 0, 0, 3 * GiB, 0, 0 };
		s[2] = (struct memlayout_kvm_memslot){ 0, 1, 4 * GiB, 6 * GiB, 0, 0 };
		s[3] = (struct memlayout_kvm_memslot){ 0, 3, 6 * GiB, 7 * GiB, 0, 0 };
		s[4] = (struct memlayout_kvm_memslot){ 0, 4, 16 * GiB,
						       16 * GiB + 2 * MiB, 0, 0 };
		check_audit("H4: two address spaces, slots outside the layout",
			    h, s, 5, gen, 2, w, 5);
	}
	/* No slot at all: no address space holds one, nothing is audited. */
	check_audit("H4: no memslot", h, NULL, 0, gen, 0, NULL, 0);
out:
	memlayout_close(h);
}

/*
 * SPEC H4 on a placed layout (C4, the q35 guest of test_place_q35()):
 * with --device, memlayout_kvm_audit_slots() rebuilds the device's
 * layout from GET_LAYOUT as C3 (SPEC C4: the same layout), so the list
 * indexes and the generation must be the device's.
 */
static void test_kvm_slots_placed(void)
{
	const struct want_kvm w[] = {
		{ MEMLAYOUT_KVM_OVER_HOLE, MEMLAYOUT_LIST_PCI_MMIO, 0, 0,
		  7 * GiB, 8 * GiB, 7 * GiB, 71 * GiB, 7 * GiB, 8 * GiB, 2, 0 },
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_kvm_memslot s[4] = {
		{ 0, 0, 0, 3 * GiB, 0, 0 },
		{ 0, 1, 4 * GiB, 7 * GiB, 0, 0 },
		{ 0, 3, 71 * GiB, 71 * GiB + 64 * MiB, 0, 0 },
		{ 0, 2, 7 * GiB, 8 * GiB, 0, 0 },
	};
	struct memlayout_set r;
	int ret;

	ret = memlayout_set_placement(h, q35, 6, 0, &r);
	check(!ret, "H4: the C4 q35 layout", "ret %d", ret);
	if (!ret) {
		check_audit("H4 on C4: RAM exact, VTL2 under a slot", h, s, 3,
			    r.generation, 1, NULL, 0);
		check_audit("H4 on C4: a BAR-sized slot in the 64-bit PCI window",
			    h, s, 4, r.generation, 1, w, 1);
	}
	memlayout_close(h);
}

/* The slots memlayout_kvm_audit_slots() refuses, as KVM would. */
static void test_kvm_slots_refused(void)
{
	static const struct {
		const char *what;
		struct memlayout_kvm_memslot bad;
		int err;
	} rows[] = {
		{ "empty", { 0, 2, GiB, GiB, 0, 0 }, -EINVAL },
		{ "end below start", { 0, 2, 2 * GiB, GiB, 0, 0 }, -EINVAL },
		{ "unaligned start", { 0, 2, 8 * GiB + 512, 9 * GiB, 0, 0 }, -EINVAL },
		{ "unaligned end", { 0, 2, 8 * GiB, 9 * GiB - 1, 0, 0 }, -EINVAL },
		{ "address space above 0xffff", { 0x10000, 2, 8 * GiB, 9 * GiB, 0, 0 }, -EINVAL },
		{ "id above 0xffff", { 0, 0x10000, 8 * GiB, 9 * GiB, 0, 0 }, -EINVAL },
		{ "unknown flag", { 0, 2, 8 * GiB, 9 * GiB, 1U << 3, 0 }, -EINVAL },
		{ "reserved set", { 0, 2, 8 * GiB, 9 * GiB, 0, 1 }, -EINVAL },
		{ "overlapping slot 0", { 0, 2, 3 * GiB - 4 * KiB, 3 * GiB + 4 * KiB, 0, 0 }, -EEXIST },
		{ "the same id as slot 0", { 0, 0, 8 * GiB, 9 * GiB, 0, 0 }, -EEXIST },
	};
	struct memlayout_handle *h = offline(0);
	struct memlayout_kvm_memslot s[3];
	struct memlayout_kvm_audit a;
	uint64_t gen;
	unsigned int i;
	int ret;

	s[0] = (struct memlayout_kvm_memslot){ 0, 0, 0, 3 * GiB, 0, 0 };
	s[2] = (struct memlayout_kvm_memslot){ 0, 1, 4 * GiB, 6 * GiB, 0, 0 };
	ret = memlayout_kvm_audit_slots(h, s, 1, &a);
	check(ret == -ENOENT && errno == ENOENT && !a.nr &&
	      a.error_slot == MEMLAYOUT_KVM_NO_SLOT,
	      "H4 slots: no layout yet", "ret %d", ret);
	s[1] = rows[0].bad;
	ret = memlayout_kvm_audit_slots(h, s, 2, &a);
	check(ret == -EINVAL && a.error_slot == 1,
	      "H4 slots: a refused slot before ENOENT, as offline",
	      "ret %d error_slot %u", ret, a.error_slot);
	ret = kvm_layout(h, &gen);
	check(!ret, "H4 slots: layout", "ret %d", ret);
	for (i = 0; !ret && i < sizeof(rows) / sizeof(rows[0]); i++) {
		s[1] = rows[i].bad;
		ret = memlayout_kvm_audit_slots(h, s, 3, &a);
		check(ret == rows[i].err && a.error_slot == 1 && !a.nr &&
		      !a.findings, "H4 slots: refused, naming slot 1", "%s: ret %d error_slot %u",
		      rows[i].what, ret, a.error_slot);
		ret = 0;
	}
	/* The same id in another address space is another slot. */
	s[1] = (struct memlayout_kvm_memslot){ 1, 0, 0, 3 * GiB, 0, 0 };
	ret = memlayout_kvm_audit_slots(h, s, 3, &a);
	check(!ret && a.nr_as == 2 && a.nr == 1 && a.findings[0].as_id == 1 &&
	      a.findings[0].index == 2, "H4 slots: one id in two address spaces",
	      "ret %d nr_as %u nr %u", ret, a.nr_as, a.nr);
	memlayout_kvm_audit_free(&a);
	/* Overlap between the last two given names the later one. */
	s[1] = (struct memlayout_kvm_memslot){ 0, 5, 5 * GiB, 7 * GiB, 0, 0 };
	ret = memlayout_kvm_audit_slots(h, s, 3, &a);
	check(ret == -EEXIST && a.error_slot == 2, "H4 slots: overlap names the later slot",
	      "ret %d error_slot %u", ret, a.error_slot);
	ret = memlayout_kvm_audit_slots(h, NULL, 1, &a);
	check(ret == -EINVAL, "H4 slots: NULL slots with a count", "ret %d", ret);
	ret = memlayout_kvm_audit_slots(h, s, MEMLAYOUT_KVM_MAX_SLOTS + 1, &a);
	check(ret == -E2BIG, "H4 slots: over MEMLAYOUT_KVM_MAX_SLOTS", "ret %d", ret);
	memlayout_close(h);
}

/*
 * MEMLAYOUT_IOC_CHECK_KVM's checks before the VM, in the order
 * memlayout_check_kvm_args() and the UAPI header give them. Offline (and
 * through fakedev) no VM can be read: -ENOPKG after them. With the real
 * device, the fd of something that is not a VM: -EINVAL when KVM is
 * loaded, -ENOPKG when it is not.
 */
static void test_kvm_check_args(void)
{
	struct memlayout_handle *h = offline(0);
	const char *pre = getenv("LD_PRELOAD");
	struct memlayout_kvm_finding buf[2];
	struct memlayout_kvm_audit a;
	struct memlayout_check_kvm c;
	union {
		struct memlayout_check_kvm c;
		uint8_t b[64];
	} big;
	int pfd[2], ret, not_vm;
	uint64_t gen;

	if (pipe(pfd)) {
		check(0, "CHECK_KVM: pipe", "%s", strerror(errno));
		memlayout_close(h);
		return;
	}
	if (!device || (pre && strstr(pre, "fakedev")))
		not_vm = -ENOPKG;
	else
		not_vm = access("/sys/module/kvm", F_OK) ? -ENOPKG : -EINVAL;

	memset(&c, 0, sizeof(c));
	c.vm_fd = pfd[0];
	ret = memlayout_check_kvm_raw(h, &c);
	check(ret == -ENOENT && c.size == sizeof(c),
	      "CHECK_KVM: no layout yet (ENOENT)", "ret %d", ret);
	ret = memlayout_check_kvm(h, pfd[0], &a);
	check(ret == -ENOENT && errno == ENOENT && !a.nr && !a.findings,
	      "memlayout_check_kvm(): no layout yet", "ret %d", ret);
	ret = kvm_layout(h, &gen);
	check(!ret, "CHECK_KVM: layout", "ret %d", ret);

	memset(&c, 0, sizeof(c));
	c.flags = 1;
	c.vm_fd = pfd[0];
	ret = memlayout_check_kvm_raw(h, &c);
	check(ret == -EOPNOTSUPP, "CHECK_KVM: unknown flag (EOPNOTSUPP)", "ret %d", ret);
	memset(&c, 0, sizeof(c));
	c.vm_fd = pfd[0];
	c.count = 2;
	ret = memlayout_check_kvm_raw(h, &c);
	check(ret == -EINVAL, "CHECK_KVM: a count without a buffer (EINVAL)", "ret %d", ret);
	c.count = 0;
	c.findings_ptr = PTR(buf);
	ret = memlayout_check_kvm_raw(h, &c);
	check(ret == -EINVAL, "CHECK_KVM: a buffer without a count (EINVAL)", "ret %d", ret);
	memset(&c, 0, sizeof(c));
	c.size = MEMLAYOUT_CHECK_KVM_SIZE_VER0 - 8;
	c.vm_fd = pfd[0];
	ret = memlayout_check_kvm_raw(h, &c);
	check(ret == -EINVAL, "CHECK_KVM: size below VER0 (EINVAL)", "ret %d", ret);
	memset(&big, 0, sizeof(big));
	big.c.size = sizeof(big);
	big.c.vm_fd = pfd[0];
	big.b[sizeof(big) - 1] = 1;
	ret = memlayout_check_kvm_raw(h, &big.c);
	check(ret == -E2BIG, "CHECK_KVM: a non-zero tail (E2BIG)", "ret %d", ret);

	memset(&c, 0, sizeof(c));
	c.vm_fd = -1;
	ret = memlayout_check_kvm_raw(h, &c);
	check(ret == -EBADF, "CHECK_KVM: vm_fd -1 (EBADF)", "ret %d", ret);
	ret = memlayout_check_kvm(h, 1 << 20, &a);
	check(ret == -EBADF && !a.nr, "memlayout_check_kvm(): a descriptor not open (EBADF)",
	      "ret %d", ret);
	ret = memlayout_check_kvm(h, pfd[0], &a);
	check(ret == not_vm && !a.nr && !a.findings,
	      "memlayout_check_kvm(): a pipe is not a VM (offline, or no KVM: ENOPKG; else EINVAL)",
	      "ret %d, want %d", ret, not_vm);
	close(pfd[0]);
	close(pfd[1]);
	memlayout_close(h);
}

/* The names and the line of each finding kind (SPEC H4). */
static void test_kvm_names(void)
{
	struct memlayout_kvm_finding f;
	char b[256];

	STREQ("kvm kind 0", memlayout_kvm_kind_name(0), NULL);
	STREQ("kvm kind", memlayout_kvm_kind_name(MEMLAYOUT_KVM_UNBACKED), "unbacked");
	STREQ("kvm kind", memlayout_kvm_kind_name(MEMLAYOUT_KVM_READONLY), "readonly");
	STREQ("kvm kind", memlayout_kvm_kind_name(MEMLAYOUT_KVM_OVER_HOLE), "over-hole");
	STREQ("kvm kind", memlayout_kvm_kind_name(MEMLAYOUT_KVM_OUTSIDE), "outside");
	STREQ("kvm kind 5", memlayout_kvm_kind_name(5), NULL);
	STREQ("kvm flags none", memlayout_kvm_slot_flags_str(0, b, sizeof(b)), "-");
	STREQ("kvm flags", memlayout_kvm_slot_flags_str(3, b, sizeof(b)),
	      "log-dirty,readonly");
	STREQ("kvm flags", memlayout_kvm_slot_flags_str(4, b, sizeof(b)), "guest-memfd");
	STREQ("kvm flags unknown", memlayout_kvm_slot_flags_str(0x102, b, sizeof(b)),
	      "readonly,0x100");
	STREQ("kvm flags cut", memlayout_kvm_slot_flags_str(3, b, 6), "log-d");

	f = (struct memlayout_kvm_finding){
		.kind = MEMLAYOUT_KVM_UNBACKED, .list = MEMLAYOUT_LIST_RAM,
		.start = 0, .end = 4 * KiB, .range_end = 2 * GiB,
		.slot_id = MEMLAYOUT_KVM_NO_SLOT,
	};
	STREQ("kvm line: unbacked", memlayout_kvm_finding_str(&f, b, sizeof(b)),
	      "unbacked: as 0 0x0-0xfff of ram[0] 0x0-0x7fffffff: no memslot");
	f = (struct memlayout_kvm_finding){
		.kind = MEMLAYOUT_KVM_OVER_HOLE, .list = MEMLAYOUT_LIST_PCI_ECAM,
		.start = 3 * GiB, .end = 3 * GiB + MiB, .range_start = 3 * GiB,
		.range_end = 3 * GiB + 256 * MiB, .slot_start = 0,
		.slot_end = 3 * GiB + MiB, .slot_id = 0,
	};
	STREQ("kvm line: over-hole", memlayout_kvm_finding_str(&f, b, sizeof(b)),
	      "over-hole: as 0 0xc0000000-0xc00fffff of pci_ecam[0] 0xc0000000-0xcfffffff: slot 0 0x0-0xc00fffff flags -");
	f = (struct memlayout_kvm_finding){
		.kind = MEMLAYOUT_KVM_OUTSIDE, .as_id = 1,
		.start = 16 * GiB, .end = 16 * GiB + 2 * MiB,
		.slot_start = 16 * GiB, .slot_end = 16 * GiB + 2 * MiB,
		.slot_id = 4, .slot_flags = MEMLAYOUT_KVM_MEM_LOG_DIRTY_PAGES,
	};
	STREQ("kvm line: outside", memlayout_kvm_finding_str(&f, b, sizeof(b)),
	      "outside: as 1 0x400000000-0x4001fffff outside the layout: slot 4 0x400000000-0x4001fffff flags log-dirty");
	f.kind = 9;
	STREQ("kvm line: unknown kind", memlayout_kvm_finding_str(&f, b, 16),
	      "kind 9: as 1 0x");
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--device"))
			device = argv[i + 1];
		else if (!strcmp(argv[i], "--param"))
			param = argv[i + 1];
		else
			break;
	}
	if (i != argc) {
		fprintf(stderr, "usage: %s [--device PATH [--param FILE]]\n", argv[0]);
		return 2;
	}
	test_x86_example();
	test_numa_example();
	test_differences();
	test_rejections();
	test_size();
	test_snapshot();
	test_place_q35();
	test_place_rejections();
	test_place_memoryless();
	test_place_old_struct();
	test_view_basic();
	test_view_race();
	if (!device)
		test_queries();	/* the offline handle's own answers */
	test_names();
	test_host_h1();
	test_host_args();
	test_host_bdf();
	test_host_names();
	test_host_race();
	test_host_devices_fake();
	test_kvm_slots();
	test_kvm_slots_placed();
	test_kvm_slots_refused();
	test_kvm_check_args();
	test_kvm_names();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
