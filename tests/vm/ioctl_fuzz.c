// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_fuzz - concurrent syscall fuzzer for /dev/memlayout.
 *
 * Runs as root inside the test guest (tests/vm/init.sh, packed by
 * scripts/vmtest.sh) after the other tests, with memlayout.ko loaded and
 * debugfs mounted:
 *
 *   ioctl_fuzz [--calls N] [--seconds S] [--seed X] [--procs P]
 *              [--threads T] [--no-param]
 *
 * P worker processes (default 3), each with T worker threads (default 4)
 * and one fd-churning thread, issue at least N (default 1000000) random
 * but plausible ioctls between them: the eight commands, their neighbours,
 * other magics and wrong directions; every struct size class (0, short,
 * first version, sizeof, sizeof+8 with a zero or non-zero tail, a page,
 * more); random flags, list ids and counts (0, small, max_ranges, huge,
 * U32_MAX); layouts that are valid and then mutated a little, so that the
 * build path is exercised deeply and not only the early rejections (C1-C3
 * lists, and C4 placement request arrays, SPEC P1-P4); CHECK_HOST (SPEC
 * H1-H3) with random and hostile device records (PCI addresses of the
 * guest's devices and random ones, VFIO records naming descriptors that
 * are never VFIO files, unknown types, non-zero flags and reserved
 * members), its errno predicted in the kernel's order with the failing
 * record's index, and the private layout's H1 conflicts predicted from
 * its ranges and /proc/cpuinfo's address sizes; CHECK_KVM (SPEC H4)
 * with random and hostile commands and VM descriptors (closed and out of
 * range ones, memlayout files, /dev/kvm itself and, where /dev/kvm
 * exists, one VM without memslots, created before fork(): no finding
 * there), its errno predicted (ENOPKG for a file that is not a VM while
 * KVM is not loaded, EINVAL once it is); and
 * pointers to valid buffers, a munmap()ed region, a PROT_READ mapping,
 * kernel and non-canonical addresses, NULL, the end of user space, and
 * buffers straddling an unmapped page.
 *
 * File sharing: four files are opened by the parent before fork() (the
 * same struct file in every process), four more by each process, at fixed
 * descriptor numbers (200..207) that the churning thread keeps closing,
 * replacing with dup2() while ioctls on them are in flight, and reading
 * /proc/self/fdinfo of. Each worker thread also owns a private file
 * (descriptor 300 + thread) that nothing else touches; on it the results
 * are predicted exactly (generation numbers, ENOENT before the first
 * layout, reply contents against the request that built the layout). The
 * parent meanwhile lowers and restores the max_ranges module parameter
 * (unless --no-param).
 *
 * Checked per call: every errno is in the documented set (ENOTTY, EFAULT,
 * E2BIG, EINVAL, EOPNOTSUPP, EEXIST, EOVERFLOW, ENOENT, EMSGSIZE, ENOMEM,
 * ENOSPC, EBADF, ENODEV, ENOPKG, ESRCH or success); it is the one predicted where the outcome is
 * determined (for C4, the SPEC's check order up to the phases); replies
 * are consistent (SET_LAYOUT's reason agrees with its errno and, for C4,
 * names a request of the array with its class, index, sizes and P4
 * figures; inputs are echoed unchanged; ranges are sane and sorted; kinds
 * and classes are valid; a C4 layout's GET_PLACEMENTS matches its request
 * array and its GET_LAYOUT). Checked at the end, once every process has exited: the number of
 * calls, live_layouts and open_files back to their starting values (after
 * the RCU grace period), and no new WARN/BUG/Oops/... in the kernel log.
 * TAP output; exit 0 iff every check passes.
 *
 * TAP through the kernel's tools/testing/selftests/kselftest.h (plan of
 * NR_RESULTS). Built by scripts/vmtest.sh like the other programs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/memlayout.h>

#include "kselftest.h"
#include "ml_sysfs.h"

#define DEV_PATH	"/dev/memlayout"
#define DEBUGFS_DIR	"/sys/kernel/debug/memlayout/"
#define PARAM_PATH	"/sys/module/memlayout/parameters/max_ranges"

#define PG	4096ULL
#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)
#define TiB	(1ULL << 40)
#define MAXA	((uint64_t)MEMLAYOUT_MAX_ADDRESS)
/* What GET_INFO must report (UAPI header, struct memlayout_info). */
#define MAXP		(1u << 20)
#define NR_KINDS	5
#define NR_LISTS	(MEMLAYOUT_LIST_PLACE + 1)
#define NR_CLASSES	MEMLAYOUT_CLASS_POST_MMIO
/* GET_INFO.max_devices: the most devices one CHECK_HOST names. */
#define MAX_DEVICES	64
#define MAX_RULE	MEMLAYOUT_REASON_SIZE
#define SOURCES		((1u << MEMLAYOUT_SOURCE_SIZE) | (1u << MEMLAYOUT_SOURCE_NODES) | \
			 (1u << MEMLAYOUT_SOURCE_RANGES) | (1u << MEMLAYOUT_SOURCE_PLACE))
#define COMMANDS	((1ull << 0x00) | (1ull << 0x10) | (1ull << 0x11) | (1ull << 0x12) | \
			 (1ull << 0x13) | (1ull << 0x14) | (1ull << 0x20) | (1ull << 0x30) | \
			 (1ull << 0x31))
#define NR_RESULTS	9	/* TAP results main() prints */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define U64P(p)		((uint64_t)(uintptr_t)(p))

/* ------------------------------------------------------------------ */
/* TAP through the kernel's kselftest.h                                 */
/* ------------------------------------------------------------------ */

/* One result: "ok N what" / "not ok N what". */
__attribute__((format(printf, 2, 3)))
static void tap(bool ok, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ksft_test_result(ok, "%s\n", buf);
}

/* A check that cannot run here: "ok N what # SKIP". */
__attribute__((format(printf, 2, 3)))
static void tap_skip(const char *why, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ksft_test_result_skip("%s (%s)\n", buf, why);
}

/* A "# " line: diagnostics and figures. */
__attribute__((format(printf, 1, 2)))
static void note(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ksft_print_msg("%s\n", buf);
}

#define diag note

#define MAX_PROCS	8
#define MAX_THREADS	8

/* Descriptor numbers: never handed out by open() while so few are open. */
#define FD_SHARED	200	/* 200..203 from the parent, 204..207 per process */
#define NR_GLOBAL	4
#define NR_SHARED	8
#define FD_PRIV		300	/* + worker thread index */
static const int bogus_fds[] = { -1, 199, 250, 399, 100000, 0x7fffffff };

/*
 * Fixed user addresses, far from anything the kernel picks for mmap() or
 * brk: a hole that stays unmapped, a read-only page pair, and per-thread
 * arenas whose neighbouring pages are never mapped (so a buffer at an
 * arena's end straddles an unmapped page, and a bad pointer can never
 * land in memory the program uses).
 */
#define UNMAP_BASE	0x100000000000ULL
#define UNMAP_LEN	(64 * PG)
#define RO_BASE		0x180000000000ULL
#define RO_LEN		(2 * PG)
#define ARENA_BASE	0x200000000000ULL
#define ARENA_STRIDE	(1ULL << 20)
#define ARG_LEN		(2 * PG)	/* at arena + 0, then a hole */
#define DATA_OFF	(4 * PG)
#define DATA_LEN	(32 * PG)	/* 128 KiB, then a hole */
#define TASK_END	0x7ffffffff000ULL	/* x86-64 TASK_SIZE */

/* Offsets in the read-only region. */
#define RO_INFO		0x000
#define RO_SET_C1	0x100
#define RO_SET_C3	0x200
#define RO_STATS	0x300
#define RO_RANGES	0x400
#define RO_PROBE	0x500
#define RO_MAP		0x600
#define RO_SET_C4	0x700
#define RO_PLACED	0x800
#define RO_HOST		0x900
#define RO_KVM		0xa00
#define RO_L_RAM	0x1000
#define RO_L_MMIO	0x1100
#define RO_L_ECAM	0x1200
#define RO_L_PMMIO	0x1300
#define RO_NODES	0x1400
#define RO_ADDRS	0x1500
#define RO_L_PLACE	0x1600

/* Offsets in a thread's data area. */
#define D_NODES		0x0000
#define D_LIST(l)	((l) * 0x1000)
#define D_PLACE		0x6000	/* C4 request array */
#define D_PMAP		0x8000	/* GET_LAYOUT beside a GET_PLACEMENTS read */
#define D_ADDRS		0x0000
#define D_KINDS		0x10000
#define D_RANGES	0x0000
#define D_STATS		0x1f000	/* GET_LAYOUT's stats_ptr */
#define D_PRANGES	0x18000	/* PROBE's covering ranges (past 8192 kinds) */
#define RANGES_MAX	((D_STATS - D_PRANGES) / 24)

typedef struct memlayout_range mr_t;

/* ------------------------------------------------------------------ */
/* Random numbers                                                       */
/* ------------------------------------------------------------------ */

struct rng {
	uint64_t s;
};

/* splitmix64: fast, and every seed is a good one. */
static inline uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static inline bool one_in(struct rng *r, uint32_t n)
{
	return below(r, n) == 0;
}

/* ------------------------------------------------------------------ */
/* Commands and errnos                                                  */
/* ------------------------------------------------------------------ */

enum { C_INFO, C_SET, C_STATS, C_RANGES, C_PROBE, C_MAP, C_PLACED, C_HOST, C_KVM, C_BAD,
       NCLS };

static const char *const cls_name[NCLS] = {
	"GET_INFO", "SET_LAYOUT", "GET_STATS", "GET_RANGES", "PROBE", "GET_LAYOUT",
	"GET_PLACEMENTS", "CHECK_HOST", "CHECK_KVM", "bad-cmd",
};
static const uint32_t real_cmd[C_BAD] = {
	MEMLAYOUT_IOC_GET_INFO, MEMLAYOUT_IOC_SET_LAYOUT,
	MEMLAYOUT_IOC_GET_STATS, MEMLAYOUT_IOC_GET_RANGES, MEMLAYOUT_IOC_PROBE,
	MEMLAYOUT_IOC_GET_LAYOUT, MEMLAYOUT_IOC_GET_PLACEMENTS,
	MEMLAYOUT_IOC_CHECK_HOST, MEMLAYOUT_IOC_CHECK_KVM,
};
static const uint32_t ksize[C_BAD] = {
	sizeof(struct memlayout_info), sizeof(struct memlayout_set),
	sizeof(struct memlayout_stats), sizeof(struct memlayout_get_ranges),
	sizeof(struct memlayout_probe), sizeof(struct memlayout_get_layout),
	sizeof(struct memlayout_get_placements), sizeof(struct memlayout_check_host),
	sizeof(struct memlayout_check_kvm),
};
static const uint32_t ver0[C_BAD] = {
	MEMLAYOUT_INFO_SIZE_VER0, MEMLAYOUT_SET_SIZE_VER0,
	MEMLAYOUT_STATS_SIZE_VER0, MEMLAYOUT_GET_RANGES_SIZE_VER0,
	MEMLAYOUT_PROBE_SIZE_VER0, MEMLAYOUT_GET_LAYOUT_SIZE_VER0,
	MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0, MEMLAYOUT_CHECK_HOST_SIZE_VER0,
	MEMLAYOUT_CHECK_KVM_SIZE_VER0,
};

/* The kernel's ml_find_op(): commands are _IO() numbers, matched exactly. */
static int op_of(uint32_t cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(real_cmd); i++)
		if (cmd == real_cmd[i])
			return (int)i;
	return -1;
}

/* Errno classes: a bitmask of them is a prediction. */
enum { XE_OK, XE_BADF, XE_NOTTY, XE_FAULT, XE_2BIG, XE_INVAL, XE_NOTSUPP, XE_EXIST,
       XE_OVERFLOW, XE_NOENT, XE_MSGSIZE, XE_NOMEM, XE_NOSPC, XE_NODEV, XE_NOPKG, XE_SRCH,
       XE_OTHER, NR_XE };
#define M(x)	(1u << XE_##x)
#define M_DOC	(M(OTHER) - 1)	/* the documented set */

static const char *const x_name[NR_XE] = {
	"0", "EBADF", "ENOTTY", "EFAULT", "E2BIG", "EINVAL", "EOPNOTSUPP",
	"EEXIST", "EOVERFLOW", "ENOENT", "EMSGSIZE", "ENOMEM", "ENOSPC", "ENODEV",
	"ENOPKG", "ESRCH", "other",
};

/* e: an errno, 0 for success, -1 for a positive return value. */
static int xidx(int e)
{
	switch (e) {
	case 0: return XE_OK;
	case EBADF: return XE_BADF;
	case ENOTTY: return XE_NOTTY;
	case EFAULT: return XE_FAULT;
	case E2BIG: return XE_2BIG;
	case EINVAL: return XE_INVAL;
	case EOPNOTSUPP: return XE_NOTSUPP;
	case EEXIST: return XE_EXIST;
	case EOVERFLOW: return XE_OVERFLOW;
	case ENOENT: return XE_NOENT;
	case EMSGSIZE: return XE_MSGSIZE;
	case ENOMEM: return XE_NOMEM;
	case ENOSPC: return XE_NOSPC;
	case ENODEV: return XE_NODEV;
	case ENOPKG: return XE_NOPKG;
	case ESRCH: return XE_SRCH;
	}
	return XE_OTHER;
}

static const char *errname(int e, char *buf, size_t len)
{
	int x = xidx(e);

	if (e == -1)
		snprintf(buf, len, "POSITIVE");
	else if (x != XE_OTHER)
		snprintf(buf, len, "%s", x_name[x]);
	else if (strerrorname_np(e))
		snprintf(buf, len, "%s", strerrorname_np(e));
	else
		snprintf(buf, len, "E%d", e);
	return buf;
}

static void maskname(unsigned int m, char *buf, size_t len)
{
	size_t o = 0;
	int x;

	buf[0] = '\0';
	for (x = 0; x < NR_XE && o < len; x++)
		if (m & (1u << x))
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? "|" : "", x_name[x]);
}

/* SPEC rule / interface reason -> errno (UAPI header, DOC: Rules). */
static int rule_errno(uint32_t rule)
{
	switch (rule) {
	case MEMLAYOUT_RULE_BAD_SIZE:
	case MEMLAYOUT_RULE_BAD_RANGE:
	case MEMLAYOUT_RULE_BAD_ORDER:
	case MEMLAYOUT_RULE_NO_RAM:
	case MEMLAYOUT_RULE_VTL2_BELOW_RAM:
	case MEMLAYOUT_RULE_PLACE_SIZE:
	case MEMLAYOUT_RULE_PLACE_ALIGN:
	case MEMLAYOUT_REASON_RESERVED:
		return EINVAL;
	case MEMLAYOUT_RULE_OVERLAP:
	case MEMLAYOUT_RULE_PINNED_OVERLAP:
		return EEXIST;
	case MEMLAYOUT_RULE_EXHAUSTED:
		return ENOSPC;
	case MEMLAYOUT_RULE_TOO_LARGE:
		return EOVERFLOW;
	case MEMLAYOUT_RULE_TOO_MANY:
		return E2BIG;
	case MEMLAYOUT_REASON_FLAGS:
		return EOPNOTSUPP;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Results shared with the parent                                      */
/* ------------------------------------------------------------------ */

#define NBUCKET		258	/* errno 0..255, 256: positive, 257: >= 256 */
#define MSG_LEN		240

struct tstats {
	uint64_t calls;
	uint64_t hist[NBUCKET];
	uint64_t cls_calls[NCLS];
	uint64_t cls_ok[NCLS];
	uint64_t unexpected, mispredict, badreply, setup_fail;
	uint64_t fd_ops, fdinfo_reads, private_sets, private_checks, dry_runs;
	uint64_t place_sets, placed_reads, placed_checked;
	uint64_t host_replies, host_checked, host_conflicts, host_device_errors;
	uint64_t kvm_replies, kvm_not_vm;
	char msg_unexpected[MSG_LEN];
	char msg_mispredict[MSG_LEN];
	char msg_badreply[MSG_LEN];
	char msg_setup[MSG_LEN];
};

struct shared {
	_Atomic uint64_t claimed;
	_Atomic int stop;
	_Atomic int cap_hit;
	struct tstats t[MAX_PROCS][MAX_THREADS + 1];	/* + the churner */
};

static struct shared *sh;
static uint64_t opt_calls = 1000000, opt_seed;
static unsigned int opt_seconds = 120, opt_procs = 3, opt_threads = 4;
static bool opt_param = true;
static uint32_t max_ranges = 4096;
static uint64_t deadline_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

__attribute__((format(printf, 3, 4)))
static void record(uint64_t *ctr, char *msg, const char *fmt, ...)
{
	va_list ap;

	if (!(*ctr)++) {
		va_start(ap, fmt);
		vsnprintf(msg, MSG_LEN, fmt, ap);
		va_end(ap);
	}
}

/* ------------------------------------------------------------------ */
/* Layouts                                                              */
/* ------------------------------------------------------------------ */

#define LMAX	80	/* entries a generated list may hold */
#define PMAX	24	/* requests a generated C4 array may hold */

typedef struct memlayout_place_req preq_t;
typedef struct memlayout_placed placed_t;

/* A SET_LAYOUT request as lists, before it is written to the arena. */
struct genlay {
	uint32_t source;
	uint32_t flags;
	uint64_t ram_size;
	uint32_t nr_nodes;
	uint32_t nr[5];			/* by MEMLAYOUT_LIST_*, 1..4 */
	mr_t vtl2;
	uint64_t nodes[LMAX];
	mr_t l[5][LMAX];
	uint32_t nr_place;		/* C4 */
	preq_t req[PMAX];
};

static const uint64_t kaddrs[] = {
	0xffffffff81000000ULL, 0xffff888000000000ULL, 0xffffffffff600000ULL,
	0xfffffffffffff000ULL, 0xffffffffffffffffULL, 0x8000000000000000ULL,
	0x0000800000000000ULL, 0xffffc90000000000ULL, 0xffffea0000000000ULL,
	0xfffffe0000000000ULL,
};

static uint64_t pick_len(struct rng *r)
{
	static const uint64_t lens[] = { PG, 16 * PG, 2 * MiB, 64 * MiB,
					 256 * MiB, 512 * MiB, GiB, 4 * GiB };
	uint32_t x = below(r, 10);

	if (x < ARRAY_SIZE(lens))
		return lens[x];
	if (x == 8)
		return PG * (1 + below(r, 1u << 20));
	return PG * (1 + below(r, 16));
}

static uint64_t pick_ram(struct rng *r)
{
	static const uint64_t sizes[] = { PG, MiB, 128 * MiB, GiB, 2 * GiB,
					  3 * GiB, 4 * GiB, 16 * GiB, 64 * GiB };
	uint32_t x = below(r, 11);

	if (x < ARRAY_SIZE(sizes))
		return sizes[x];
	return PG * (1 + below(r, 1u << 22));
}

/* An address biased to the edges. */
static uint64_t edge_addr(struct rng *r)
{
	switch (below(r, 18)) {
	case 0: return 0;
	case 1: return PG;
	case 2: return 4 * GiB;
	case 3: return 4 * GiB - PG;
	case 4: return MAXA;
	case 5: return MAXA - PG;
	case 6: return ~0ULL;
	case 7: return 1ULL << 63;
	case 8: return PG * (rnd(r) >> 28);		/* below 2^48 */
	case 9: return rnd(r) >> 16;			/* unaligned */
	case 10: return rnd(r);
	case 11: return 2 * MiB * below(r, 1u << 20);
	case 12: return 1ULL << (12 + below(r, 52));
	case 13: return (1ULL << (12 + below(r, 52))) - PG;
	case 14: return PG * below(r, 1u << 24);	/* below 64 GiB */
	case 15: return 0xE0000000ULL;
	case 16: return MAXA + 1;
	default: return (PG * below(r, 1u << 20)) + 1 + below(r, 4095);
	}
}

static void add_range(struct genlay *g, uint32_t list, uint64_t start,
		      uint64_t end, uint32_t vnode)
{
	mr_t *e;

	if (g->nr[list] >= LMAX)
		return;
	e = &g->l[list][g->nr[list]++];
	e->start = start;
	e->end = end;
	e->vnode = vnode;
	e->reserved = 0;
}

/* ------------------------------------------------------------------ */
/* C4 placement requests                                               */
/* ------------------------------------------------------------------ */

static bool hole_kind(uint32_t k)
{
	return k == MEMLAYOUT_KIND_MMIO || k == MEMLAYOUT_KIND_PCI_ECAM ||
	       k == MEMLAYOUT_KIND_PCI_MMIO;
}

static void add_req(struct genlay *g, uint32_t class, uint32_t kind, uint64_t a,
		    uint64_t b)
{
	preq_t *q;

	if (g->nr_place >= PMAX)
		return;
	q = &g->req[g->nr_place++];
	memset(q, 0, sizeof(*q));
	q->place_class = class;
	q->kind = kind;
	if (class == MEMLAYOUT_CLASS_RESERVED || class == MEMLAYOUT_CLASS_FIXED) {
		q->start = a;
		q->end = b;
	} else {
		q->size = a;
		q->align = b;
	}
}

static uint64_t pick_align(struct rng *r, uint64_t size)
{
	static const uint64_t al[] = { PG, PG, 2 * MiB, MiB, GiB, 256 * MiB };
	uint64_t a = al[below(r, ARRAY_SIZE(al))];

	return a > size && !one_in(r, 4) ? PG : a;
}

/*
 * A plausible C4 request array (SPEC C4), valid nearly always: disjoint
 * pinned ranges from a menu, a few mmio32 windows, one to three vNUMA
 * nodes (now and then a memory-less one, D8), 64-bit windows, post-MMIO
 * ranges with at most one VTL2; the classes interleaved in a random order.
 */
static void gen_place(struct rng *r, struct genlay *g)
{
	static const struct { uint64_t a, b; } pins[] = {
		{ 0, MiB }, { 0xE0000000ULL, 0xF0000000ULL }, { 0xFE000000ULL, 4 * GiB },
		{ 64 * GiB, 65 * GiB }, { TiB, TiB + GiB }, { 0xC0000000ULL, 0xC0200000ULL },
	};
	static const uint64_t m32[] = { PG, MiB, 16 * MiB, 64 * MiB, 256 * MiB };
	static const uint64_t m64[] = { PG, GiB, 16 * GiB, 64 * GiB, 2 * MiB };
	static const uint64_t post[] = { PG, 2 * MiB, 64 * MiB, GiB };
	uint32_t i, n, j;
	bool vtl2 = false;

	g->source = MEMLAYOUT_SOURCE_PLACE;
	for (i = 0; i < ARRAY_SIZE(pins); i++) {
		if (!one_in(r, 3))
			continue;
		if (one_in(r, 2))
			add_req(g, MEMLAYOUT_CLASS_RESERVED, 0, pins[i].a, pins[i].b);
		else
			add_req(g, MEMLAYOUT_CLASS_FIXED, MEMLAYOUT_KIND_MMIO + below(r, 3),
				pins[i].a, pins[i].b);
	}
	if (one_in(r, 8)) {	/* anywhere: may overlap a menu range (P3) */
		uint64_t a = 2 * MiB * below(r, 1u << 20);

		add_req(g, one_in(r, 2) ? MEMLAYOUT_CLASS_RESERVED : MEMLAYOUT_CLASS_FIXED,
			MEMLAYOUT_KIND_MMIO, a, a + pick_len(r));
		if (g->req[g->nr_place - 1].place_class == MEMLAYOUT_CLASS_RESERVED)
			g->req[g->nr_place - 1].kind = 0;
	}
	for (n = below(r, 4), i = 0; i < n; i++) {
		uint64_t sz = m32[below(r, ARRAY_SIZE(m32))];

		add_req(g, MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_KIND_MMIO + below(r, 3), sz,
			pick_align(r, sz));
	}
	for (n = 1 + below(r, 3), i = 0; i < n; i++) {
		uint64_t sz = one_in(r, 8) ? 0 : one_in(r, 2) ? pick_ram(r) : pick_len(r);

		add_req(g, MEMLAYOUT_CLASS_RAM, 0, sz, sz ? pick_align(r, sz) : 0);
	}
	for (n = below(r, 3), i = 0; i < n; i++) {
		uint64_t sz = m64[below(r, ARRAY_SIZE(m64))];

		add_req(g, MEMLAYOUT_CLASS_MMIO64, MEMLAYOUT_KIND_MMIO + below(r, 3), sz,
			pick_align(r, sz));
	}
	for (n = below(r, 3), i = 0; i < n; i++) {
		uint64_t sz = post[below(r, ARRAY_SIZE(post))];
		bool v = !vtl2 && one_in(r, 2);

		add_req(g, MEMLAYOUT_CLASS_POST_MMIO,
			v ? MEMLAYOUT_PLACE_VTL2 : MEMLAYOUT_KIND_MMIO + below(r, 3), sz,
			pick_align(r, sz));
		vtl2 |= v;
	}
	for (i = g->nr_place; i > 1; i--) {	/* interleave the classes */
		preq_t t;

		j = below(r, i);
		t = g->req[i - 1];
		g->req[i - 1] = g->req[j];
		g->req[j] = t;
	}
}

/* One small change to a C4 request array that most likely breaks one rule. */
static void mutate_place(struct rng *r, struct genlay *g)
{
	static const uint64_t sizes[] = { 0, 1, PG - 1, PG + 1, 2048, 1ULL << 62, MAXA,
					  MAXA - PG, 1ULL << 63 };
	static const uint64_t aligns[] = { 0, 1, 2048, 3 * PG, (1ULL << 63) + PG, 1ULL << 63,
					   PG << 40, 6 * MiB };
	preq_t *q = g->nr_place ? &g->req[below(r, g->nr_place)] : NULL;
	bool pinned = q && (q->place_class == MEMLAYOUT_CLASS_RESERVED ||
			    q->place_class == MEMLAYOUT_CLASS_FIXED);
	uint32_t i;

	switch (below(r, 14)) {
	case 0: {	/* an unknown class */
		static const uint32_t v[] = { 0, 7, 0xff, 0x80000000u, ~0u };

		if (q)
			q->place_class = v[below(r, ARRAY_SIZE(v))];
		break;
	}
	case 1:		/* any kind: often not the class's */
		if (q)
			q->kind = below(r, 8);
		break;
	case 2:		/* a member the class does not use */
		if (!q)
			break;
		if (pinned && one_in(r, 2))
			q->size = PG << below(r, 20);
		else if (pinned)
			q->align = 1 + below(r, 8);
		else if (one_in(r, 2))
			q->start = edge_addr(r) | 1;
		else
			q->end = edge_addr(r) | 1;
		break;
	case 3:		/* P1, or P4 for a huge one */
		if (q && !pinned)
			q->size = sizes[below(r, ARRAY_SIZE(sizes))];
		break;
	case 4:		/* P2, or P4 for a huge one */
		if (q && !pinned)
			q->align = aligns[below(r, ARRAY_SIZE(aligns))];
		break;
	case 5:		/* R2 on a pinned range */
		if (!pinned)
			break;
		if (one_in(r, 3))
			q->end = q->start;
		else if (one_in(r, 2))
			q->start |= 1 + below(r, 4095);
		else
			q->end = one_in(r, 2) ? ~0ULL : MAXA + 1;
		break;
	case 6:		/* P3: a pinned range again, or overlapping */
		if (pinned && g->nr_place < PMAX) {
			preq_t t = *q;

			if (one_in(r, 2)) {
				t.start += PG * below(r, 3);
				t.end = t.start + pick_len(r);
			}
			if (one_in(r, 2)) {
				t.place_class = MEMLAYOUT_CLASS_RESERVED + below(r, 2);
				t.kind = t.place_class == MEMLAYOUT_CLASS_FIXED ? MEMLAYOUT_KIND_MMIO : 0;
			}
			g->req[g->nr_place++] = t;
		}
		break;
	case 7:		/* a second VTL2 */
		add_req(g, MEMLAYOUT_CLASS_POST_MMIO, MEMLAYOUT_PLACE_VTL2, 2 * MiB, 2 * MiB);
		add_req(g, MEMLAYOUT_CLASS_POST_MMIO, MEMLAYOUT_PLACE_VTL2, PG, PG);
		break;
	case 8:		/* R5: memory-less nodes only (D8) */
		for (i = 0; i < g->nr_place; i++)
			if (g->req[i].place_class == MEMLAYOUT_CLASS_RAM) {
				g->req[i].size = 0;
				g->req[i].align = one_in(r, 2) ? 0 : 3;
			}
		break;
	case 9:		/* many of one class: R8 under a lowered max_ranges */
		for (i = below(r, 12); i; i--)
			add_req(g, MEMLAYOUT_CLASS_MMIO32 + 2 * below(r, 2), MEMLAYOUT_KIND_MMIO,
				PG, PG);
		break;
	case 10:	/* P4: reserve everything from 4G or 8G on */
		add_req(g, MEMLAYOUT_CLASS_RESERVED, 0, (4 + 4 * below(r, 2)) * GiB, MAXA);
		break;
	case 11:	/* P4 in mmio32: reserve most of the low 4G */
		add_req(g, MEMLAYOUT_CLASS_RESERVED, 0, 2 * MiB, 0xE0000000ULL - PG * below(r, 2));
		add_req(g, MEMLAYOUT_CLASS_MMIO32, MEMLAYOUT_KIND_MMIO, GiB, PG);
		break;
	case 12:	/* a pinned range at the very top */
		add_req(g, MEMLAYOUT_CLASS_FIXED, MEMLAYOUT_KIND_PCI_MMIO, MAXA - 2 * MiB, MAXA);
		break;
	default:	/* drop a request */
		if (q) {
			i = (uint32_t)(q - g->req);
			memmove(q, q + 1, (g->nr_place - i - 1) * sizeof(*q));
			g->nr_place--;
		}
		break;
	}
}

/* A plausible, valid layout: sorted, disjoint, VTL2 above everything. */
static void gen_layout(struct rng *r, struct genlay *g)
{
	static const uint64_t starts[] = { 0, PG, MiB, 2 * GiB, 3 * GiB,
					   0xC0000000ULL, 0xE0000000ULL,
					   4 * GiB, 64 * GiB, TiB };
	uint64_t pos, total = 0;
	uint32_t k, i, x;

	g->flags = 0;
	g->ram_size = 0;
	g->nr_nodes = 0;
	memset(g->nr, 0, sizeof(g->nr));
	memset(&g->vtl2, 0, sizeof(g->vtl2));
	g->nr_place = 0;
	g->source = 1 + below(r, 3);
	if (one_in(r, 4)) {
		gen_place(r, g);
		return;
	}

	x = below(r, 100);
	k = x < 70 ? 1 + below(r, 6) : x < 95 ? 1 + below(r, 16) : 1 + below(r, 60);
	x = below(r, ARRAY_SIZE(starts) + 1);
	pos = x < ARRAY_SIZE(starts) ? starts[x] : PG * below(r, 1u << 24);
	for (i = 0; i < k; i++) {
		uint64_t gap = one_in(r, 3) ? 0 : pick_len(r);
		uint64_t start = pos + gap, end = start + pick_len(r);
		uint32_t list;

		if (end > (1ULL << 50))
			break;
		if (g->source == MEMLAYOUT_SOURCE_RANGES && one_in(r, 2))
			list = MEMLAYOUT_LIST_RAM;
		else
			list = MEMLAYOUT_LIST_MMIO + below(r, 3);
		add_range(g, list, start, end,
			  list == MEMLAYOUT_LIST_RAM && one_in(r, 3) ? below(r, 4) : 0);
		pos = end;
	}

	switch (g->source) {
	case MEMLAYOUT_SOURCE_SIZE:
		total = g->ram_size = pick_ram(r);
		break;
	case MEMLAYOUT_SOURCE_NODES:
		g->nr_nodes = one_in(r, 10) ? 1 + below(r, 16) : 1 + below(r, 4);
		for (i = 0; i < g->nr_nodes; i++) {
			g->nodes[i] = one_in(r, 2) ? pick_ram(r) : pick_len(r);
			total += g->nodes[i];
		}
		break;
	default:
		if (!g->nr[MEMLAYOUT_LIST_RAM] && !one_in(r, 20)) {
			uint64_t start = pos + (one_in(r, 2) ? 0 : pick_len(r));

			add_range(g, MEMLAYOUT_LIST_RAM, start,
				  start + pick_len(r), 0);
			pos = g->l[1][g->nr[1] - 1].end;
		}
		break;
	}

	if (one_in(r, 3)) {
		uint64_t base = pos + total + (one_in(r, 2) ? 0 : pick_len(r));
		static const uint64_t vlen[] = { PG, 2 * MiB, 64 * MiB, GiB };

		base = (base + 2 * MiB - 1) & ~(2 * MiB - 1);
		g->flags |= MEMLAYOUT_SET_VTL2;
		g->vtl2.start = base;
		g->vtl2.end = base + vlen[below(r, ARRAY_SIZE(vlen))];
	}
}

/* A random range of a non-empty list, or NULL. */
static mr_t *any_range(struct rng *r, struct genlay *g, uint32_t *list)
{
	uint32_t cand[4], n = 0, l;

	for (l = 1; l <= 4; l++)
		if (g->nr[l])
			cand[n++] = l;
	if (!n)
		return NULL;
	*list = cand[below(r, n)];
	return &g->l[*list][below(r, g->nr[*list])];
}

static void insert_sorted(struct genlay *g, uint32_t list, const mr_t *e)
{
	uint32_t i, n = g->nr[list];

	if (n >= LMAX)
		return;
	for (i = 0; i < n && g->l[list][i].start <= e->start; i++)
		;
	memmove(&g->l[list][i + 1], &g->l[list][i], (n - i) * sizeof(mr_t));
	g->l[list][i] = *e;
	g->nr[list]++;
}

/* One small change that most likely breaks exactly one rule. */
static void mutate_layout(struct rng *r, struct genlay *g)
{
	uint32_t list = 0, other, i;
	mr_t *e = any_range(r, g, &list), tmp;

	switch (below(r, 24)) {
	case 0:
		if (e) {
			if (one_in(r, 2))
				e->start = edge_addr(r);
			else
				e->end = edge_addr(r);
		}
		break;
	case 1:
		if (e) {
			tmp.start = e->start;
			e->start = e->end;
			e->end = tmp.start;
		}
		break;
	case 2:
		if (e)
			e->end = e->start;
		break;
	case 3:
		if (e) {
			if (one_in(r, 2))
				e->start += 1 + below(r, 4095);
			else
				e->end -= 1 + below(r, 4095);
		}
		break;
	case 4:
		if (e && g->nr[list] >= 2) {
			i = below(r, g->nr[list] - 1);
			tmp = g->l[list][i];
			g->l[list][i] = g->l[list][i + 1];
			g->l[list][i + 1] = tmp;
		}
		break;
	case 5:
		if (e) {
			tmp = *e;
			insert_sorted(g, list, &tmp);
		}
		break;
	case 6:	/* the same range in two lists: R4 */
		if (e) {
			tmp = *e;
			other = 1 + below(r, 4);
			tmp.vnode = other == MEMLAYOUT_LIST_RAM ? tmp.vnode : 0;
			if (one_in(r, 2)) {
				tmp.start += PG * below(r, 3);
				tmp.end = tmp.start + pick_len(r);
			}
			insert_sorted(g, other, &tmp);
		}
		break;
	case 7:
		if (e)
			e->end += pick_len(r);
		break;
	case 8:
		if (e)
			e->reserved = one_in(r, 2) ? 1 : (uint32_t)rnd(r) | 1;
		break;
	case 9:
		for (list = 2; list <= 4; list++)
			if (g->nr[list]) {
				g->l[list][below(r, g->nr[list])].vnode = 1 + below(r, 7);
				break;
			}
		break;
	case 10: {
		static const uint64_t v[] = { 0, 1, PG - 1, PG + 1, MAXA,
					      MAXA + PG, 1ULL << 63, ~0ULL };

		g->ram_size = v[below(r, ARRAY_SIZE(v))];
		break;
	}
	case 11:
		if (g->nr_nodes) {
			static const uint64_t v[] = { 0, 1, PG - 1, MAXA,
						      1ULL << 63, MAXA / 2 + PG };

			g->nodes[below(r, g->nr_nodes)] = v[below(r, ARRAY_SIZE(v))];
		}
		break;
	case 12: {
		static const uint32_t v[] = { 0, 4, 5, 0xff, 0x80000001, ~0u };

		g->source = one_in(r, 2) ? 1 + below(r, 3) : v[below(r, ARRAY_SIZE(v))];
		break;
	}
	case 13:
		g->flags |= MEMLAYOUT_SET_VTL2;
		if (one_in(r, 2))
			memset(&g->vtl2, 0, sizeof(g->vtl2));
		else
			g->vtl2.end = g->vtl2.start;
		break;
	case 14:
		g->flags &= ~MEMLAYOUT_SET_VTL2;
		if (!g->vtl2.end) {
			g->vtl2.start = TiB;
			g->vtl2.end = TiB + 2 * MiB;
		}
		break;
	case 15:
		g->flags |= MEMLAYOUT_SET_VTL2;
		g->vtl2.start = one_in(r, 2) ? 0 : 2 * MiB * below(r, 2048);
		g->vtl2.end = g->vtl2.start + 2 * MiB;
		break;
	case 16:
		g->flags |= MEMLAYOUT_SET_VTL2;
		if (!g->vtl2.end) {
			g->vtl2.start = 2 * TiB;
			g->vtl2.end = 2 * TiB + PG;
		}
		if (one_in(r, 2))
			g->vtl2.vnode = 1 + below(r, 8);
		else
			g->vtl2.reserved = 1u << below(r, 32);
		break;
	case 17:
		if (e) {
			g->flags |= MEMLAYOUT_SET_VTL2;
			g->vtl2.start = e->start;
			g->vtl2.end = e->end;
			g->vtl2.vnode = 0;
			g->vtl2.reserved = 0;
		}
		break;
	case 18:
		g->flags |= 1u << below(r, 32);
		break;
	case 19:	/* many small nodes: more ranges, still cheap */
		if (g->source != MEMLAYOUT_SOURCE_NODES)
			g->ram_size = 0;
		g->source = MEMLAYOUT_SOURCE_NODES;
		g->nr[MEMLAYOUT_LIST_RAM] = 0;
		g->nr_nodes = 16 + below(r, 49);
		for (i = 0; i < g->nr_nodes; i++)
			g->nodes[i] = PG * (1 + below(r, 512));
		break;
	case 20:
		g->nr[MEMLAYOUT_LIST_RAM] = 0;
		break;
	case 21:	/* R6: RAM that cannot fit below MAXA */
		if (g->source == MEMLAYOUT_SOURCE_NODES && g->nr_nodes) {
			for (i = 0; i < g->nr_nodes; i++)
				g->nodes[i] = (MAXA / 2) & ~(PG - 1);
		} else {
			g->source = MEMLAYOUT_SOURCE_SIZE;
			g->nr[MEMLAYOUT_LIST_RAM] = 0;
			g->ram_size = MAXA - PG * below(r, 4);
		}
		break;
	case 22:	/* a hole at the very top */
		tmp.start = one_in(r, 2) ? MAXA - PG : MAXA - 2 * MiB;
		tmp.end = MAXA;
		tmp.vnode = 0;
		tmp.reserved = 0;
		insert_sorted(g, 2 + below(r, 3), &tmp);
		break;
	default:
		if (g->nr[MEMLAYOUT_LIST_RAM])
			g->l[1][below(r, g->nr[1])].vnode = one_in(r, 2) ? ~0u : (uint32_t)rnd(r);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Per-thread state                                                     */
/* ------------------------------------------------------------------ */

struct wstate {
	int proc, tid;
	struct rng r;
	char *arg, *data;
	int pfd;		/* private file, FD_PRIV + tid */
	uint64_t gen;		/* its generation; 0: no layout */
	bool known;		/* klay is what the layout was built from */
	int ksrc;		/* its source: 0 unknown, C1-C3: 1, C4 with kreq: 4 */
	uint32_t nkreq;		/* C4: its requests */
	preq_t kreq[PMAX + 1];
	int64_t nplaced;	/* C4: GET_PLACEMENTS' count once read, else -1 */
	struct tstats *st;
	struct genlay klay;
	struct genlay g;	/* scratch */
};

static bool in_data(const struct wstate *w, uint64_t p, uint64_t len)
{
	uint64_t b = U64P(w->data);

	return p >= b && p <= b + DATA_LEN && len <= b + DATA_LEN - p;
}

static bool in_ro(uint64_t p, uint64_t len)
{
	return p >= RO_BASE && p <= RO_BASE + RO_LEN && len <= RO_BASE + RO_LEN - p;
}

static bool readable(const struct wstate *w, uint64_t p, uint64_t len)
{
	return !len || in_data(w, p, len) || in_ro(p, len);
}

static bool writable(const struct wstate *w, uint64_t p, uint64_t len)
{
	return !len || in_data(w, p, len);
}

/*
 * A pointer for an array of count elements that the kernel cannot (fully)
 * access: NULL, unmapped, kernel, the end of user space, non-canonical,
 * or straddling the unmapped page after the data area (its first entries
 * are copied there).
 */
static uint64_t bad_ptr(struct wstate *w, const void *src, uint32_t elem,
			uint32_t count)
{
	struct rng *r = &w->r;
	uint64_t end = U64P(w->data) + DATA_LEN, p;
	uint32_t fit;

	switch (below(r, 7)) {
	case 0:
		return 0;
	case 1:
		return UNMAP_BASE + below(r, (uint32_t)UNMAP_LEN);
	case 2:
		return kaddrs[below(r, ARRAY_SIZE(kaddrs))] - (one_in(r, 2) ? 0 : elem);
	case 3:	/* even the first element crosses the end of user space */
		return TASK_END - 1 - below(r, elem - 1);
	case 4:
		return 0x8000000000000000ULL + PG * below(r, 1000);
	case 5:
		return UNMAP_BASE - elem;
	default:
		fit = count > 1 ? below(r, count < 64 ? count : 64) : 0;
		p = end - (uint64_t)fit * elem - (one_in(r, 2) ? elem / 2 : 0);
		if (src)
			memcpy((void *)(uintptr_t)p, src,
			       (size_t)(end - p) < (size_t)fit * elem ?
			       (size_t)(end - p) : (size_t)fit * elem);
		return p;
	}
}

/* ------------------------------------------------------------------ */
/* One call                                                             */
/* ------------------------------------------------------------------ */

enum { FDK_PRIV, FDK_SHARED, FDK_BOGUS };
static const char *const fdk_name[] = { "private", "shared", "bogus" };

enum { A_VALID, A_MISALIGN, A_END, A_NULL, A_UNMAPPED, A_RO, A_KERNEL,
       A_STR_SIZE, A_STR_BODY, A_TASKEND };
static const char *const am_name[] = {
	"valid", "misaligned", "at-end", "NULL", "unmapped", "read-only",
	"kernel", "straddle-size", "straddle-body", "task-end",
};

enum { T_NONE, T_ZERO, T_NONZERO };

struct call {
	int cls;
	int fd, fdk;
	uint32_t cmd;
	int op;
	int am;
	uint32_t usize;
	int tail;
	char *argp;		/* the struct, for the writable modes */
	unsigned int b;		/* M(BADF) when the fd may be closed */
	bool front_ok;		/* the generic checks pass: command level */
	bool frame;		/* -E2BIG for the size or a non-zero tail */
};

static void pick_fd(struct wstate *w, struct call *c)
{
	uint32_t x = below(&w->r, 100);

	if (x < 45) {
		c->fdk = FDK_PRIV;
		c->fd = w->pfd;
	} else if (x < 97) {
		c->fdk = FDK_SHARED;
		c->fd = FD_SHARED + (int)below(&w->r, NR_SHARED);
	} else {
		c->fdk = FDK_BOGUS;
		c->fd = bogus_fds[below(&w->r, ARRAY_SIZE(bogus_fds))];
	}
	c->b = c->fdk == FDK_SHARED ? M(BADF) : 0;
}

/* Magics the VFS handles itself for any file (FIOCLEX, FIFREEZE, ...). */
static bool vfs_magic(uint32_t cmd)
{
	switch (_IOC_TYPE(cmd)) {
	case 0x00: case 0x15: case 'T': case 'X': case 'f': case 0x94:
		return cmd != 0;
	}
	return false;
}

static uint32_t bad_cmd(struct rng *r)
{
	static const uint32_t nrs[] = { 0x01, 0x02, 0x0f, 0x13, 0x14, 0x1f,
					0x21, 0x22, 0x2f, 0x30, 0x7f, 0xff };
	static const uint32_t magics[] = { 0xB9, 0xBB, 0x3A, 0xAB, 0xFF, 0x01,
					   'A', 'z' };
	uint32_t real = real_cmd[below(r, 5)], cmd;
	static const uint32_t dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE };

	switch (below(r, 7)) {
	case 0:
		cmd = _IOC(_IOC_READ | _IOC_WRITE, MEMLAYOUT_IOC_MAGIC,
			   nrs[below(r, ARRAY_SIZE(nrs))], _IOC_SIZE(real));
		break;
	case 1:
		cmd = _IOC(dirs[below(r, 3)], MEMLAYOUT_IOC_MAGIC,
			   _IOC_NR(real), one_in(r, 2) ? _IOC_SIZE(real) : 0);
		break;
	case 2:
		cmd = _IOC(_IOC_DIR(real), magics[below(r, ARRAY_SIZE(magics))],
			   _IOC_NR(real), _IOC_SIZE(real));
		break;
	case 3:
		cmd = (uint32_t)rnd(r);
		break;
	case 4:
		cmd = one_in(r, 2) ? 0 : ~0u;
		break;
	case 5:
		cmd = _IOC(_IOC_READ | _IOC_WRITE, MEMLAYOUT_IOC_MAGIC,
			   below(r, 256), below(r, 1u << 14));
		break;
	default:
		cmd = real ^ (1u << below(r, 32));
		break;
	}
	if (op_of(cmd) >= 0)	/* hit a real one by chance */
		cmd = _IOC(_IOC_READ | _IOC_WRITE, MEMLAYOUT_IOC_MAGIC, 0xff, 8);
	if (vfs_magic(cmd))
		cmd = (cmd & ~(0xffu << _IOC_TYPESHIFT)) | (0xBBu << _IOC_TYPESHIFT);
	return cmd;
}

static void pick_cmd(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	uint32_t real, x;

	if (c->cls == C_BAD) {
		c->cmd = bad_cmd(r);
	} else {
		real = real_cmd[c->cls];
		x = below(r, 100);
		if (x < 92) {
			c->cmd = real;
		} else if (x < 96) {	/* size bits: not a command (ENOTTY) */
			c->cmd = _IOC(_IOC_READ | _IOC_WRITE, MEMLAYOUT_IOC_MAGIC,
				      _IOC_NR(real), below(r, 1u << 14));
		} else {		/* wrong direction */
			static const uint32_t dirs[] = { _IOC_NONE, _IOC_READ,
							 _IOC_WRITE };

			c->cmd = _IOC(dirs[below(r, 3)], MEMLAYOUT_IOC_MAGIC,
				      _IOC_NR(real), _IOC_SIZE(real));
		}
	}
	c->op = op_of(c->cmd);
}

static int pick_amode(struct rng *r)
{
	uint32_t x = below(r, 1000);

	if (x < 820) return A_VALID;
	if (x < 860) return A_MISALIGN;
	if (x < 880) return A_END;
	if (x < 900) return A_NULL;
	if (x < 920) return A_UNMAPPED;
	if (x < 945) return A_RO;
	if (x < 965) return A_KERNEL;
	if (x < 975) return A_STR_SIZE;
	if (x < 992) return A_STR_BODY;
	return A_TASKEND;
}

static uint32_t pick_usize(struct rng *r, uint32_t k, int *tail)
{
	uint32_t x = below(r, 1000), u;

	*tail = T_NONE;
	if (x < 800) return k;
	if (x < 825) return 0;
	if (x < 855) return 1 + below(r, k - 1);
	if (x < 885) { *tail = T_ZERO; return k + 8; }
	if (x < 905) { *tail = T_NONZERO; return k + 8; }
	if (x < 920) { *tail = T_ZERO; return k + 1 + below(r, 64); }
	if (x < 940) { *tail = T_ZERO; return (uint32_t)PG; }
	if (x < 950) { *tail = T_NONZERO; return (uint32_t)PG; }
	if (x < 965) return (uint32_t)PG + 1;
	if (x < 975) return 2 * (uint32_t)PG;
	if (x < 985) return ~0u;
	u = one_in(r, 2) ? (uint32_t)rnd(r) : below(r, 2 * (uint32_t)PG);
	if (u > k && u <= PG)
		*tail = T_ZERO;
	return u;
}

/*
 * Put the struct s (k bytes, its size field set to c->usize here) where
 * the address mode says, and return the ioctl argument.
 */
static void *place_arg(struct wstate *w, struct call *c, void *s, uint32_t k)
{
	static const uint32_t ro_off[C_BAD] = { RO_INFO, RO_SET_C1, RO_STATS,
						RO_RANGES, RO_PROBE, RO_MAP, RO_PLACED,
						RO_HOST, RO_KVM };
	struct rng *r = &w->r;
	uint32_t span, m;
	size_t off;
	char *p;

	memcpy(s, &c->usize, sizeof(c->usize));
	c->argp = NULL;
	switch (c->am) {
	case A_VALID:
	case A_MISALIGN:
	case A_END:
		span = c->usize > k && c->usize <= PG ? c->usize : k;
		off = c->am == A_VALID ? 0 : c->am == A_MISALIGN ?
		      1 + below(r, 7) : ARG_LEN - span;
		p = w->arg + off;
		memcpy(p, s, k);
		if (span > k) {
			memset(p + k, 0, span - k);
			if (c->tail == T_NONZERO)
				p[k + below(r, span - k)] = (char)(1 + below(r, 255));
		}
		c->argp = p;
		return p;
	case A_NULL:
		return NULL;
	case A_UNMAPPED:
		return (void *)(uintptr_t)(UNMAP_BASE + below(r, (uint32_t)UNMAP_LEN));
	case A_RO:
		c->usize = k;
		if (c->cls == C_SET && one_in(r, 2))
			return (void *)(uintptr_t)(RO_BASE + (one_in(r, 2) ? RO_SET_C3 : RO_SET_C4));
		return (void *)(uintptr_t)(RO_BASE + ro_off[c->cls == C_BAD ? 0 : c->cls]);
	case A_KERNEL:
		return (void *)(uintptr_t)kaddrs[below(r, ARRAY_SIZE(kaddrs))];
	case A_STR_SIZE:	/* the size field itself crosses */
		return w->arg + ARG_LEN - 1 - below(r, 3);
	case A_STR_BODY:	/* the size is readable, the rest is not */
		/* Short of what the kernel reads: min(usize, its size). */
		span = c->usize < k ? c->usize : k;
		m = 4 + below(r, span > 4 ? span - 4 : 1);
		p = w->arg + ARG_LEN - m;
		memcpy(p, s, m);
		return p;
	default:
		return (void *)(uintptr_t)(TASK_END - 1 - below(r, 2));
	}
}

/*
 * The prediction of the checks every command shares (memlayout_ioctl()):
 * a mask, or 0 with c->front_ok set when the command's own checks decide,
 * or 0 without it for the read-only mode (the caller predicts).
 */
static unsigned int front(struct call *c)
{
	uint32_t k, v0;

	c->front_ok = false;
	c->frame = false;
	if (c->fdk == FDK_BOGUS)
		return M(BADF);
	if (c->op < 0)
		return c->b | M(NOTTY);
	k = ksize[c->op];
	v0 = ver0[c->op];
	switch (c->am) {
	case A_NULL: case A_UNMAPPED: case A_KERNEL: case A_STR_SIZE:
	case A_TASKEND:
		return c->b | M(FAULT);
	case A_RO:
		return 0;
	case A_STR_BODY:	/* the struct's first bytes only are mapped */
		if (c->usize < v0)
			return c->b | M(INVAL);
		/* SET_LAYOUT reads its struct to reply to a framing -E2BIG. */
		if (c->usize > PG)
			return c->b | (c->cls == C_SET ? M(FAULT) : M(2BIG));
		return c->b | M(FAULT);
	}
	if (c->usize < v0)
		return c->b | M(INVAL);
	c->frame = c->usize > PG || (c->usize > k && c->tail == T_NONZERO);
	if (c->frame)
		return c->b | M(2BIG);
	c->front_ok = true;
	return 0;
}

/* Prediction for the read-only argument mode: the reply cannot be written. */
static unsigned int ro_predict(const struct wstate *w, const struct call *c)
{
	bool noent_possible = c->cls == C_STATS || c->cls == C_RANGES ||
			      c->cls == C_PROBE || c->cls == C_MAP || c->cls == C_PLACED ||
			      c->cls == C_HOST || c->cls == C_KVM;

	/* CHECK_KVM's read-only command names fd -1: EBADF after the layout. */
	if (c->cls == C_KVM) {
		if (c->fdk == FDK_PRIV)
			return w->gen ? M(BADF) : M(NOENT);
		return c->b | M(BADF) | M(NOENT);
	}
	if (!noent_possible)
		return c->b | M(FAULT);
	if (c->fdk == FDK_PRIV)
		return w->gen ? M(FAULT) : M(NOENT);
	return c->b | M(FAULT) | M(NOENT);
}

static int do_ioctl(struct wstate *w, struct call *c, void *arg)
{
	int ret = ioctl(c->fd, c->cmd, arg), e;

	e = ret < 0 ? errno : ret > 0 ? -1 : 0;
	w->st->calls++;
	w->st->cls_calls[c->cls]++;
	if (!e)
		w->st->cls_ok[c->cls]++;
	w->st->hist[e == -1 ? 256 : (e >= 0 && e < 256) ? e : 257]++;
	if (e == -1 || xidx(e) == XE_OTHER) {
		char en[32];

		record(&w->st->unexpected, w->st->msg_unexpected,
		       "%s cmd %#x fd %d (%s) arg %p (%s) usize %u: returned %s (ret %d)",
		       cls_name[c->cls], c->cmd, c->fd, fdk_name[c->fdk], arg,
		       am_name[c->am], c->usize, errname(e, en, sizeof(en)), ret);
	}
	return e;
}

static void expect(struct wstate *w, const struct call *c, int e,
		   unsigned int allow, const char *why)
{
	char en[32], mn[160];

	if (!allow || (allow & (1u << xidx(e))))
		return;
	maskname(allow, mn, sizeof(mn));
	record(&w->st->mispredict, w->st->msg_mispredict,
	       "%s cmd %#x fd %d (%s) arg %s usize %u tail %d%s%s: got %s, expected %s",
	       cls_name[c->cls], c->cmd, c->fd, fdk_name[c->fdk], am_name[c->am],
	       c->usize, c->tail, why ? ": " : "", why ? why : "",
	       errname(e, en, sizeof(en)), mn);
}

__attribute__((format(printf, 3, 4)))
static void bad_reply(struct wstate *w, const struct call *c, const char *fmt, ...)
{
	char buf[MSG_LEN - 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	record(&w->st->badreply, w->st->msg_badreply, "%s fd %d (%s) arg %s: %s",
	       cls_name[c->cls], c->fd, fdk_name[c->fdk], am_name[c->am], buf);
}

static uint32_t flagbits(struct rng *r)
{
	switch (below(r, 4)) {
	case 0: return 1u << below(r, 32);
	case 1: return ~0u;
	case 2: return 0x80000000u;
	default: return (uint32_t)rnd(r) | 1;
	}
}

/* ---- GET_INFO ---- */

static void h_info(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct memlayout_info s, *o;
	unsigned int allow;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 16) ? flagbits(r) : 0;
	if (one_in(r, 8)) {	/* output fields: ignored on input */
		s.api_version = (uint32_t)rnd(r);
		s.max_address = rnd(r);
	}
	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok)
		allow = c->b | (s.flags ? M(NOTSUPP) : M(OK));
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (!c->front_ok || e)
		return;
	o = (struct memlayout_info *)c->argp;
	if (o->size != c->usize || o->flags || o->api_version != 1 ||
	    o->max_probe != MAXP ||
	    o->set_flags != (MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN) ||
	    o->page_size != MEMLAYOUT_PAGE_SIZE || o->max_address != MAXA ||
	    !o->max_ranges || o->max_ranges > 65536 ||
	    o->nr_kinds != NR_KINDS || o->nr_lists != NR_LISTS || o->max_rule != MAX_RULE ||
	    o->sources != SOURCES || o->probe_flags || o->get_ranges_flags ||
	    o->commands != COMMANDS ||
	    (c->usize >= MEMLAYOUT_INFO_SIZE_VER1 && (o->nr_classes != NR_CLASSES || o->max_devices != MAX_DEVICES)))
		bad_reply(w, c, "reply size %u flags %#x api %u max_probe %u set_flags %#x page %#llx max_address %#llx max_ranges %u lists %u sources %#x commands %#llx classes %u",
			  o->size, o->flags, o->api_version, o->max_probe,
			  o->set_flags, (unsigned long long)o->page_size,
			  (unsigned long long)o->max_address, o->max_ranges, o->nr_lists,
			  o->sources, (unsigned long long)o->commands, o->nr_classes);
}

/* ---- SET_LAYOUT ---- */

/* 0: nodes, 1-4: ranges, 5: C4 requests */
static const uint32_t list_elem[6] = { 8, 24, 24, 24, 24, sizeof(preq_t) };

/* Record what a successful SET on the private file was built from. */
/* A fingerprint that was never written (all zero). */
static bool zero_fp(const uint8_t *fp)
{
	unsigned int i;

	for (i = 0; i < MEMLAYOUT_FINGERPRINT_SIZE; i++)
		if (fp[i])
			return false;
	return true;
}

static void record_known(struct wstate *w, const struct memlayout_set *s)
{
	struct genlay *k = &w->klay;
	const uint64_t ptrs[5] = { s->nodes_ptr, s->ram_ptr, s->mmio_ptr,
				   s->pci_ecam_ptr, s->pci_mmio_ptr };
	const uint32_t nrs[5] = { s->nr_nodes, s->nr_ram, s->nr_mmio,
				  s->nr_pci_ecam, s->nr_pci_mmio };
	uint32_t l;

	w->known = false;
	for (l = 0; l < 5; l++)
		if (nrs[l] > LMAX || (nrs[l] && !readable(w, ptrs[l], (uint64_t)nrs[l] * list_elem[l])))
			return;
	k->source = s->source;
	k->flags = s->flags;
	k->ram_size = s->ram_size;
	k->nr_nodes = s->nr_nodes;
	if (s->nr_nodes)
		memcpy(k->nodes, (const void *)(uintptr_t)s->nodes_ptr,
		       s->nr_nodes * sizeof(uint64_t));
	k->nr[0] = 0;
	for (l = 1; l < 5; l++) {
		k->nr[l] = nrs[l];
		if (nrs[l])
			memcpy(k->l[l], (const void *)(uintptr_t)ptrs[l],
			       nrs[l] * sizeof(mr_t));
	}
	k->vtl2 = s->vtl2;
	w->known = true;
}

static uint64_t known_ram_total(const struct genlay *k)
{
	uint64_t t = 0;
	uint32_t i;

	switch (k->source) {
	case MEMLAYOUT_SOURCE_SIZE:
		return k->ram_size;
	case MEMLAYOUT_SOURCE_NODES:
		for (i = 0; i < k->nr_nodes; i++)
			t += k->nodes[i];
		return t;
	}
	for (i = 0; i < k->nr[1]; i++)
		t += k->l[1][i].end - k->l[1][i].start;
	return t;
}

/* Largest max_ranges the module parameter accepts (limits_test). */
#define MAX_LIMIT	65536

static bool is_pinned(uint32_t class)
{
	return class == MEMLAYOUT_CLASS_RESERVED || class == MEMLAYOUT_CLASS_FIXED;
}

/* SPEC P1: a size the engine takes (D8: a RAM request may be 0). */
static bool size_ok(const preq_t *q)
{
	if (q->place_class == MEMLAYOUT_CLASS_RAM && !q->size)
		return true;
	return q->size && !(q->size % PG);
}

/* SPEC P2. */
static bool align_ok(const preq_t *q)
{
	if (q->place_class == MEMLAYOUT_CLASS_RAM && !q->size)
		return true;
	return q->align >= PG && !(q->align & (q->align - 1));
}

/* SPEC R2 on a pinned range. */
static bool pin_ok(const preq_t *q)
{
	return q->start < q->end && !(q->start % PG) && !(q->end % PG) && q->end <= MAXA;
}

/* The member a request's class does not use that is not zero, or -1. */
static int unused_member(const preq_t *q)
{
	if (is_pinned(q->place_class))
		return q->size ? (int)offsetof(preq_t, size) :
		       q->align ? (int)offsetof(preq_t, align) : -1;
	return q->start ? (int)offsetof(preq_t, start) :
	       q->end ? (int)offsetof(preq_t, end) : -1;
}

/* Whether a class allows a kind (UAPI struct memlayout_place_req). */
static bool kind_ok(const preq_t *q, uint32_t *vtl2)
{
	switch (q->place_class) {
	case MEMLAYOUT_CLASS_RESERVED:
	case MEMLAYOUT_CLASS_RAM:
		return !q->kind;
	case MEMLAYOUT_CLASS_POST_MMIO:
		return hole_kind(q->kind) || (q->kind == MEMLAYOUT_PLACE_VTL2 && !(*vtl2)++);
	}
	return hole_kind(q->kind);
}

/* The index of request @pos in its class (its tag). */
static uint32_t class_index(const preq_t *q, uint32_t pos)
{
	uint32_t i, n = 0;

	for (i = 0; i < pos; i++)
		n += q[i].place_class == q[pos].place_class;
	return n;
}

/* How many requests of @q[0..n) are of @class. */
static uint32_t class_count(const preq_t *q, uint32_t n, uint32_t class)
{
	uint32_t i, m = 0;

	for (i = 0; i < n; i++)
		m += q[i].place_class == class;
	return m;
}

static bool overlap(const preq_t *a, const preq_t *b)
{
	return a->start < b->end && b->start < a->end;
}

/*
 * The errnos SET_LAYOUT may give for the C4 request array @q[0..n), read
 * whole (UAPI struct memlayout_set; SPEC C4 "Check order"): the interface's
 * checks of each request in array order (an unknown class, then an unused
 * member), R8 per class, the kinds, R2 on the pinned ranges, P3, P1 and P2;
 * then the phases (P4), R8 on the built lists and R5. The parent churns
 * max_ranges (down to 1), so R8 is possible wherever a class, a list or
 * the array can hold two; the kernel allocates, so -ENOMEM is always
 * possible.
 */
static unsigned int place_predict(const preq_t *q, uint32_t n)
{
	uint32_t cnt[NR_CLASSES + 1] = { 0 }, i, j, vtl2 = 0;
	unsigned int pre = M(NOMEM) | (n > NR_CLASSES ? M(2BIG) : 0), r8 = 0;
	bool ram = false, bad = false;

	for (i = 0; i < n; i++) {
		if (q[i].place_class < MEMLAYOUT_CLASS_RESERVED || q[i].place_class > NR_CLASSES)
			return pre | M(NOTSUPP);
		if (unused_member(&q[i]) >= 0)
			return pre | M(INVAL);
		if (++cnt[q[i].place_class] > 1)
			r8 = M(2BIG);
		ram |= q[i].place_class == MEMLAYOUT_CLASS_RAM && q[i].size;
	}
	pre |= r8;
	for (i = 0; i < n; i++)
		bad |= !kind_ok(&q[i], &vtl2) || (is_pinned(q[i].place_class) && !pin_ok(&q[i]));
	if (bad)
		return pre | M(INVAL);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (is_pinned(q[i].place_class) && is_pinned(q[j].place_class) &&
			    overlap(&q[i], &q[j]))
				return pre | M(EXIST);
	for (i = 0; i < n; i++)
		if (!is_pinned(q[i].place_class) && (!size_ok(&q[i]) || !align_ok(&q[i])))
			return pre | M(INVAL);
	/* Every phase may run out; two ranges of one kind may pass R8. */
	return pre | M(NOSPC) | M(2BIG) | (ram ? M(OK) : M(INVAL));
}

/* The errnos for a C4 SET_LAYOUT whose struct passed the common checks. */
static unsigned int place_allow(struct wstate *w, const struct memlayout_set *e)
{
	static const mr_t zero_range;
	uint64_t n = e->nr_place;

	/* The members C4 does not use, and the request array's pair. */
	if ((e->flags & MEMLAYOUT_SET_VTL2) || e->mmio_ptr || e->nr_mmio ||
	    e->pci_ecam_ptr || e->nr_pci_ecam || e->pci_mmio_ptr || e->nr_pci_mmio ||
	    memcmp(&e->vtl2, &zero_range, sizeof(zero_range)) || e->ram_size ||
	    e->nr_nodes || e->nodes_ptr || e->nr_ram || e->ram_ptr ||
	    !e->place_ptr != !e->nr_place)
		return M(INVAL);
	if (n > NR_CLASSES * MAX_LIMIT)
		return M(2BIG);
	if (!n)		/* R5: nothing to place */
		return M(INVAL) | M(NOMEM);
	if (!readable(w, e->place_ptr, n * sizeof(preq_t)))
		return M(FAULT) | M(NOMEM) | (n > NR_CLASSES ? M(2BIG) : 0);
	if (!in_data(w, e->place_ptr, n * sizeof(preq_t)))	/* the read-only copy */
		return M(OK) | M(INVAL) | M(EXIST) | M(NOSPC) | M(NOTSUPP) | M(2BIG) | M(NOMEM);
	return place_predict((const preq_t *)(uintptr_t)e->place_ptr, (uint32_t)n);
}

/*
 * A C4 rejection's reason (UAPI struct memlayout_reason and struct
 * memlayout_place_reason): list PLACE names a request of the array by its
 * position, the placement reason its class and index and the rule's
 * figures; any other list is a member of the struct (list NONE), R8 on a
 * built list, or R5; its placement reason is then zero. @q is the array
 * when it is the thread's own copy (then each claim is checked against the
 * request), else NULL.
 */
static void check_place_reason(struct wstate *w, const struct call *c,
			       const struct memlayout_set *o, const preq_t *q, int e)
{
	const struct memlayout_reason *rs = &o->reason;
	const struct memlayout_place_reason *pr = &o->place_reason;
	static const struct memlayout_place_reason zero;
	uint32_t n = o->nr_place, rule = rs->rule;
	const preq_t *x;
	bool ok = true;

	if (rs->list != MEMLAYOUT_LIST_PLACE) {
		ok = !memcmp(pr, &zero, sizeof(zero)) &&
		     (rule == MEMLAYOUT_RULE_NONE ||
		      ((rule == MEMLAYOUT_REASON_FLAGS || rule == MEMLAYOUT_REASON_RESERVED) &&
		       rs->list == MEMLAYOUT_LIST_NONE) ||
		      (rule == MEMLAYOUT_RULE_TOO_MANY && rs->list >= MEMLAYOUT_LIST_RAM &&
		       rs->list <= MEMLAYOUT_LIST_PCI_MMIO) ||
		      (rule == MEMLAYOUT_RULE_NO_RAM && rs->list == MEMLAYOUT_LIST_RAM));
		goto out;
	}
	if (rule == MEMLAYOUT_RULE_TOO_MANY) {
		/* The whole array (6 x the limit), or one class (the limit). */
		if (!pr->place_class)
			ok = !memcmp(pr, &zero, sizeof(zero)) && rs->index &&
			     !(rs->index % NR_CLASSES) && n > rs->index;
		else
			ok = pr->place_class <= NR_CLASSES && pr->index == rs->index && rs->index &&
			     !pr->other_class && !pr->other_index && !pr->phase &&
			     !pr->size && !pr->align && !pr->free && !pr->reserved &&
			     (!q || class_count(q, n, pr->place_class) > rs->index);
		goto out;
	}
	if (rs->index >= n || pr->reserved || rs->field >= sizeof(preq_t)) {
		ok = false;
		goto out;
	}
	/* Only the unused member and the unknown class carry no class. */
	if (rule == MEMLAYOUT_REASON_FLAGS ||
	    (rule == MEMLAYOUT_REASON_RESERVED && rs->field != offsetof(preq_t, kind))) {
		ok = !memcmp(pr, &zero, sizeof(zero)) && !rs->other_list && !rs->other_index &&
		     (rule == MEMLAYOUT_REASON_RESERVED ||
		      rs->field == offsetof(preq_t, place_class));
		if (ok && q)
			ok = rule == MEMLAYOUT_REASON_FLAGS ?
			     q[rs->index].place_class < 1 || q[rs->index].place_class > NR_CLASSES :
			     unused_member(&q[rs->index]) == (int)rs->field;
		goto out;
	}
	if (pr->place_class < 1 || pr->place_class > NR_CLASSES || (rule != MEMLAYOUT_RULE_EXHAUSTED && pr->phase) ||
	    (rule != MEMLAYOUT_RULE_PINNED_OVERLAP &&
	     (rs->other_list || rs->other_index || pr->other_class || pr->other_index))) {
		ok = false;
		goto out;
	}
	if (!q)
		goto out;
	x = &q[rs->index];
	ok = x->place_class == pr->place_class && class_index(q, rs->index) == pr->index;
	switch (rule) {
	case MEMLAYOUT_REASON_RESERVED:	/* the kind */
		ok &= !pr->size && !pr->align && !pr->free;
		break;
	case MEMLAYOUT_RULE_BAD_RANGE:
		ok &= is_pinned(x->place_class) && !pin_ok(x) && !pr->size && !pr->align && !pr->free;
		break;
	case MEMLAYOUT_RULE_PLACE_SIZE:
	case MEMLAYOUT_RULE_PLACE_ALIGN:
		ok &= !is_pinned(x->place_class) && pr->size == x->size && pr->align == x->align &&
		      !pr->free && (rule == MEMLAYOUT_RULE_PLACE_SIZE ? !size_ok(x) :
				    size_ok(x) && !align_ok(x));
		break;
	case MEMLAYOUT_RULE_PINNED_OVERLAP:
		ok &= rs->other_list == MEMLAYOUT_LIST_PLACE && rs->other_index < n &&
		      rs->other_index != rs->index && is_pinned(x->place_class) &&
		      is_pinned(q[rs->other_index].place_class) && overlap(x, &q[rs->other_index]) &&
		      pr->other_class == q[rs->other_index].place_class &&
		      pr->other_index == class_index(q, rs->other_index) &&
		      !pr->size && !pr->align && !pr->free;
		break;
	case MEMLAYOUT_RULE_EXHAUSTED:
		ok &= !is_pinned(x->place_class) && x->place_class == pr->phase && pr->size == x->size &&
		      pr->align == x->align && pr->free <= MAXA && size_ok(x) && align_ok(x) &&
		      x->size;
		break;
	default:
		ok = false;
		break;
	}
out:
	if (!ok)
		bad_reply(w, c, "C4 errno %d: rule %u list %u index %u other %u/%u field %u; place class %u index %u other %u/%u phase %u size %#llx align %#llx free %#llx (%u requests%s)",
			  e, rule, rs->list, rs->index, rs->other_list, rs->other_index, rs->field,
			  pr->place_class, pr->index, pr->other_class, pr->other_index, pr->phase,
			  (unsigned long long)pr->size, (unsigned long long)pr->align,
			  (unsigned long long)pr->free, n, q ? "" : ", not read back");
}

/* Where list @l (0: nodes, 1-4: ranges, 5: C4 requests) goes in the data area. */
static char *list_data(struct wstate *w, uint32_t l)
{
	return w->data + (l == 0 ? D_NODES : l == 5 ? D_PLACE : D_LIST(l));
}

static void h_set(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct genlay *g = &w->g;
	struct memlayout_set s, eff, *o;
	__u64 *ptrs[6];
	__u32 *nrs[6];
	unsigned int allow, nmut;
	bool all_readable = true, place_read = false;
	uint32_t l, i;
	void *arg;
	int e;

	gen_layout(r, g);
	i = below(r, 100);
	nmut = i < 50 ? 0 : i < 85 ? 1 : i < 95 ? 2 : 3;
	while (nmut--) {
		if (g->source == MEMLAYOUT_SOURCE_PLACE && !one_in(r, 5))
			mutate_place(r, g);
		else
			mutate_layout(r, g);
	}

	memset(&s, 0, sizeof(s));
	s.flags = g->flags;
	s.source = g->source;
	s.ram_size = g->ram_size;
	s.vtl2 = g->vtl2;
	if (one_in(r, 8))	/* plan only: the same checks, nothing published */
		s.flags |= MEMLAYOUT_SET_DRY_RUN;
	if (one_in(r, 40))
		s.place_flags = flagbits(r);
	if (g->nr_nodes) {
		memcpy(w->data + D_NODES, g->nodes, g->nr_nodes * sizeof(uint64_t));
		((uint64_t *)(void *)(w->data + D_NODES))[g->nr_nodes] =
			one_in(r, 2) ? 0 : pick_ram(r);
		s.nodes_ptr = U64P(w->data + D_NODES);
		s.nr_nodes = g->nr_nodes;
	}
	ptrs[0] = &s.nodes_ptr;
	nrs[0] = &s.nr_nodes;
	ptrs[1] = &s.ram_ptr;
	nrs[1] = &s.nr_ram;
	ptrs[2] = &s.mmio_ptr;
	nrs[2] = &s.nr_mmio;
	ptrs[3] = &s.pci_ecam_ptr;
	nrs[3] = &s.nr_pci_ecam;
	ptrs[4] = &s.pci_mmio_ptr;
	nrs[4] = &s.nr_pci_mmio;
	ptrs[5] = &s.place_ptr;
	nrs[5] = &s.nr_place;
	for (l = 1; l < 5; l++) {
		mr_t *dst = (mr_t *)(void *)(w->data + D_LIST(l));

		if (!g->nr[l])
			continue;
		memcpy(dst, g->l[l], g->nr[l] * sizeof(mr_t));
		/* What a count one too large reads. */
		memset(&dst[g->nr[l]], 0, sizeof(mr_t));
		if (one_in(r, 2)) {
			dst[g->nr[l]].start = dst[g->nr[l] - 1].end + PG * below(r, 4);
			dst[g->nr[l]].end = dst[g->nr[l]].start + pick_len(r);
		}
		*ptrs[l] = U64P(dst);
		*nrs[l] = g->nr[l];
	}
	if (g->nr_place) {
		preq_t *dst = (preq_t *)(void *)(w->data + D_PLACE);

		memcpy(dst, g->req, g->nr_place * sizeof(preq_t));
		/* What a count one too large reads: nothing, or a small node. */
		memset(&dst[g->nr_place], 0, sizeof(preq_t));
		if (one_in(r, 2)) {
			dst[g->nr_place].place_class = MEMLAYOUT_CLASS_RAM;
			dst[g->nr_place].size = PG * (1 + below(r, 16));
			dst[g->nr_place].align = PG;
		}
		s.place_ptr = U64P(dst);
		s.nr_place = g->nr_place;
	}

	/* The pointers and counts themselves. */
	if (one_in(r, 8)) {
		static const uint64_t ro_lists[6] = { RO_NODES, RO_L_RAM, RO_L_MMIO,
						      RO_L_ECAM, RO_L_PMMIO, RO_L_PLACE };
		static const uint32_t ro_nr[6] = { 2, 2, 2, 1, 1, 3 };

		l = g->source == MEMLAYOUT_SOURCE_PLACE && one_in(r, 2) ? 5 : below(r, 6);
		switch (below(r, 10)) {
		case 0:
			if (*nrs[l])
				*ptrs[l] = bad_ptr(w, (void *)(uintptr_t)*ptrs[l],
						   list_elem[l], *nrs[l]);
			break;
		case 1:
			if (!*ptrs[l])
				*ptrs[l] = U64P(list_data(w, l));
			*nrs[l] = 0;
			break;
		case 2:
			*ptrs[l] = 0;
			if (!*nrs[l])
				*nrs[l] = 1 + below(r, 4);
			break;
		case 3: {
			uint32_t lim = max_ranges < 4096 ? max_ranges : 4096;
			const uint32_t v[] = { lim, max_ranges + 1, ~0u, MAXP,
					       MAXP + 1, lim - 1, NR_CLASSES * max_ranges,
					       NR_CLASSES * max_ranges + 1 };

			*nrs[l] = v[below(r, l == 5 ? ARRAY_SIZE(v) : ARRAY_SIZE(v) - 2)];
			*ptrs[l] = U64P(list_data(w, l));
			break;
		}
		case 4:
			s.flags |= flagbits(r);
			break;
		case 5:
			*ptrs[l] = RO_BASE + ro_lists[l];
			*nrs[l] = ro_nr[l];
			break;
		case 6:
			if (*ptrs[l])
				*ptrs[l] += 1 + below(r, 7);
			break;
		case 7:
			if (*nrs[l])
				*ptrs[l] = bad_ptr(w, (void *)(uintptr_t)*ptrs[l],
						   list_elem[l], *nrs[l]);
			break;
		case 8: {
			uint64_t t = s.mmio_ptr;
			uint32_t n = s.nr_mmio;

			s.mmio_ptr = s.pci_mmio_ptr;
			s.nr_mmio = s.nr_pci_mmio;
			s.pci_mmio_ptr = t;
			s.nr_pci_mmio = n;
			break;
		}
		default:
			*nrs[l] = 1 + below(r, 8);
			if (!*ptrs[l])
				*ptrs[l] = U64P(list_data(w, l));
			break;
		}
	}
	if (one_in(r, 10)) {	/* output fields: ignored on input */
		s.reason.rule = (uint32_t)rnd(r);
		s.reason.field = ~0u;
		s.generation = rnd(r);
		s.place_reason.free = rnd(r);
		s.place_reason.place_class = (uint32_t)rnd(r);
	}

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	/* What the kernel reads: min(usize, its size) bytes, zero-extended. */
	eff = s;
	if (c->usize < sizeof(eff))
		memset((char *)&eff + c->usize, 0, sizeof(eff) - c->usize);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		if (eff.flags & ~(MEMLAYOUT_SET_VTL2 | MEMLAYOUT_SET_DRY_RUN) ||
		    eff.source < MEMLAYOUT_SOURCE_SIZE || eff.source > MEMLAYOUT_SOURCE_PLACE ||
		    eff.place_flags) {
			allow = c->b | M(NOTSUPP);
		} else if (eff.source == MEMLAYOUT_SOURCE_PLACE) {
			allow = c->b | place_allow(w, &eff);
			place_read = in_data(w, eff.place_ptr, (uint64_t)eff.nr_place * sizeof(preq_t));
		} else {
			/* A pointer without its count or the reverse is EINVAL. */
			for (l = 0; l < 5; l++)
				if (*ptrs[l] && *nrs[l] && (*nrs[l] > LMAX ||
				    !readable(w, *ptrs[l], (uint64_t)*nrs[l] * list_elem[l])))
					all_readable = false;
			allow = c->b | M(OK) | M(INVAL) | M(EXIST) | M(OVERFLOW) |
				M(2BIG) | M(NOMEM) | (all_readable ? 0 : M(FAULT));
		}
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (c->frame && e == E2BIG && c->argp) {
		/* The framing reply: REASON_SIZE, naming the first non-zero byte. */
		static const struct memlayout_place_reason pzero;

		o = (struct memlayout_set *)c->argp;
		if (o->reason.rule != MEMLAYOUT_REASON_SIZE || o->generation ||
		    o->reason.list || o->reason.index ||
		    memcmp(&o->place_reason, &pzero, sizeof(pzero)) ||
		    (c->usize > PG ? o->reason.field != 0 :
		     o->reason.field < sizeof(s) || o->reason.field >= c->usize))
			bad_reply(w, c, "framing E2BIG (usize %u) with reason %u field %u generation %llu",
				  c->usize, o->reason.rule, o->reason.field,
				  (unsigned long long)o->generation);
		return;
	}
	if (!c->front_ok || e == EBADF)
		return;

	o = (struct memlayout_set *)c->argp;
	if (memcmp(o, &s, offsetof(struct memlayout_set, reason)) ||
	    (c->usize >= offsetof(struct memlayout_set, place_reason) &&
	     memcmp(&o->place_ptr, &s.place_ptr,
		    offsetof(struct memlayout_set, place_reason) -
		    offsetof(struct memlayout_set, place_ptr))))
		bad_reply(w, c, "input fields changed by the reply (errno %d)", e);
	if (!e) {
		static const struct memlayout_place_reason pzero;
		bool dry = s.flags & MEMLAYOUT_SET_DRY_RUN;

		if (o->reason.rule || o->reason.list || o->reason.index ||
		    o->reason.other_list || o->reason.other_index ||
		    o->reason.field || !o->generation != dry ||
		    (c->usize >= MEMLAYOUT_SET_SIZE_VER1 && zero_fp(o->fingerprint)) ||
		    (c->usize >= sizeof(s) && memcmp(&o->place_reason, &pzero, sizeof(pzero))))
			bad_reply(w, c, "success (dry run %d) with reason %u/%u/%u/%u/%u/%u generation %llu fingerprint %s",
				  dry, o->reason.rule, o->reason.list, o->reason.index,
				  o->reason.other_list, o->reason.other_index,
				  o->reason.field, (unsigned long long)o->generation,
				  zero_fp(o->fingerprint) ? "zero" : "set");
		if (dry) {
			w->st->dry_runs++;
			return;
		}
		if (eff.source == MEMLAYOUT_SOURCE_PLACE)
			w->st->place_sets++;
		if (c->fdk == FDK_PRIV) {
			if (o->generation != w->gen + 1)
				bad_reply(w, c, "generation %llu after %llu",
					  (unsigned long long)o->generation,
					  (unsigned long long)w->gen);
			w->gen++;
			w->st->private_sets++;
			w->nplaced = -1;
			if (eff.source != MEMLAYOUT_SOURCE_PLACE) {
				record_known(w, &s);
				w->ksrc = 1;
			} else if (place_read && eff.nr_place <= PMAX + 1) {
				w->known = false;
				w->ksrc = 4;
				w->nkreq = eff.nr_place;
				memcpy(w->kreq, (const void *)(uintptr_t)eff.place_ptr,
				       eff.nr_place * sizeof(preq_t));
			} else {
				w->known = false;
				w->ksrc = 0;
			}
		}
		return;
	}
	if (o->generation || !zero_fp(o->fingerprint))
		bad_reply(w, c, "errno %d with generation %llu or a fingerprint", e,
			  (unsigned long long)o->generation);
	if (e == EFAULT || e == ENOMEM) {
		if (o->reason.rule)
			bad_reply(w, c, "errno %d with rule %u", e, o->reason.rule);
	} else if (rule_errno(o->reason.rule) != e || o->reason.list >= NR_LISTS ||
		   o->reason.other_list >= NR_LISTS ||
		   (o->reason.rule < MEMLAYOUT_REASON_FLAGS ? o->reason.field != 0 :
		    o->reason.field >= sizeof(s)) ||
		   (eff.source != MEMLAYOUT_SOURCE_PLACE &&
		    o->reason.list == MEMLAYOUT_LIST_PLACE)) {
		bad_reply(w, c, "errno %d with reason rule %u list %u index %u other %u/%u field %u",
			  e, o->reason.rule, o->reason.list, o->reason.index,
			  o->reason.other_list, o->reason.other_index,
			  o->reason.field);
	}
	if (c->usize < sizeof(s))
		return;
	if (eff.source == MEMLAYOUT_SOURCE_PLACE && e != EFAULT && e != ENOMEM)
		check_place_reason(w, c, o, place_read ?
				   (const preq_t *)(uintptr_t)eff.place_ptr : NULL, e);
	else if (eff.source != MEMLAYOUT_SOURCE_PLACE || e == EFAULT || e == ENOMEM) {
		static const struct memlayout_place_reason pzero;

		if (memcmp(&o->place_reason, &pzero, sizeof(pzero)))
			bad_reply(w, c, "errno %d (source %u) with a placement reason", e,
				  eff.source);
	}
}

/* ---- GET_STATS ---- */

static void h_stats(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct memlayout_stats s, *o;
	unsigned int allow;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 16) ? flagbits(r) : 0;
	if (one_in(r, 4)) {	/* output only: all overwritten */
		s.present = ~0u;
		s.nr_ram = (uint32_t)rnd(r);
		s.reserved = 7;
		s.generation = rnd(r);
		s.vtl2_end = rnd(r);
	}
	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		if (s.flags)
			allow = c->b | M(NOTSUPP);
		else if (c->fdk == FDK_PRIV)
			allow = w->gen ? M(OK) : M(NOENT);
		else
			allow = c->b | M(OK) | M(NOENT);
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (!c->front_ok || e)
		return;
	o = (struct memlayout_stats *)c->argp;
	if (o->size != c->usize || o->flags || o->reserved || !o->generation ||
	    o->present & ~7u || !o->nr_ram || !o->ram_size ||
	    o->ram_below_4gb + o->ram_above_4gb != o->ram_size ||
	    o->end_of_ram > o->end_of_layout || o->end_of_layout > MAXA ||
	    (!(o->present & MEMLAYOUT_STATS_VTL2) && (o->vtl2_start || o->vtl2_end)) ||
	    ((o->present & MEMLAYOUT_STATS_VTL2) && o->vtl2_start >= o->vtl2_end) ||
	    (!(o->present & MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB) && o->max_ram_below_4gb) ||
	    (!(o->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO) && o->ram_above_high_mmio) ||
	    (c->usize >= MEMLAYOUT_STATS_SIZE_VER1 && zero_fp(o->fingerprint)))
		bad_reply(w, c, "inconsistent stats: gen %llu present %#x nr_ram %u ram %#llx below %#llx above %#llx eor %#llx eol %#llx",
			  (unsigned long long)o->generation, o->present, o->nr_ram,
			  (unsigned long long)o->ram_size,
			  (unsigned long long)o->ram_below_4gb,
			  (unsigned long long)o->ram_above_4gb,
			  (unsigned long long)o->end_of_ram,
			  (unsigned long long)o->end_of_layout);
	if (c->fdk != FDK_PRIV)
		return;
	if (o->generation != w->gen)
		bad_reply(w, c, "generation %llu, last SET gave %llu",
			  (unsigned long long)o->generation, (unsigned long long)w->gen);
	if (!w->known)
		return;
	w->st->private_checks++;
	{
		const struct genlay *k = &w->klay;
		bool vtl2 = k->flags & MEMLAYOUT_SET_VTL2;

		if (o->nr_mmio != k->nr[2] || o->nr_pci_ecam != k->nr[3] ||
		    o->nr_pci_mmio != k->nr[4] ||
		    (k->source == MEMLAYOUT_SOURCE_RANGES && o->nr_ram != k->nr[1]) ||
		    o->ram_size != known_ram_total(k) ||
		    !!(o->present & MEMLAYOUT_STATS_VTL2) != vtl2 ||
		    (vtl2 && (o->vtl2_start != k->vtl2.start || o->vtl2_end != k->vtl2.end)) ||
		    !!(o->present & MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO) != (k->nr[2] == 2))
			bad_reply(w, c, "stats differ from the request: nr %u/%u/%u/%u want %u/%u/%u/%u, ram %#llx want %#llx, present %#x",
				  o->nr_ram, o->nr_mmio, o->nr_pci_ecam, o->nr_pci_mmio,
				  k->nr[1], k->nr[2], k->nr[3], k->nr[4],
				  (unsigned long long)o->ram_size,
				  (unsigned long long)known_ram_total(k), o->present);
	}
}

/* ---- GET_RANGES ---- */

#define SENTINEL	0xA5

static bool untouched(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != SENTINEL)
			return false;
	return true;
}

/*
 * A count for a read-back command's buffer (GET_RANGES, GET_LAYOUT): 0 (the
 * size query), small, typical, large, huge or the R8 limit.
 */
static uint32_t pick_read_count(struct rng *r)
{
	uint32_t x = below(r, 100);

	return x < 15 ? 0 : x < 45 ? 1 + below(r, 4) : x < 85 ? 5 + below(r, 60) :
	       x < 90 ? 65 + below(r, 4032) : x < 94 ? ~0u : x < 97 ? (uint32_t)rnd(r) :
	       max_ranges;
}

/*
 * The buffer pointer of a read-back command for @cnt entries of @elem
 * bytes: usually @out, sometimes a read-only page or a bad pointer; with
 * @cnt 0 usually 0 (the size query), sometimes a pointer without a count.
 */
static uint64_t pick_read_ptr(struct wstate *w, void *out, uint32_t elem, uint32_t cnt)
{
	struct rng *r = &w->r;

	if (!cnt)
		return one_in(r, 7) ? (one_in(r, 2) ? U64P(out) : bad_ptr(w, NULL, elem, 1)) : 0;
	if (!one_in(r, 7))
		return U64P(out);
	if (one_in(r, 4))
		return RO_BASE + RO_L_RAM;
	return bad_ptr(w, NULL, elem, cnt);
}

/*
 * Fill the start of a 24-byte-entry buffer in the data area with SENTINEL,
 * up to @limit (an address in it): one entry past @cnt, at most 81, so a
 * reply that writes past its count shows. Return: the entries filled.
 */
static uint32_t prefill24(struct wstate *w, uint64_t ptr, uint32_t cnt, uint64_t limit)
{
	uint32_t pre;

	if (!in_data(w, ptr, 24) || ptr + 24 > limit)
		return 0;
	pre = cnt < 80 ? cnt + 1 : 81;
	if (pre > (limit - ptr) / 24)
		pre = (uint32_t)((limit - ptr) / 24);
	memset((void *)(uintptr_t)ptr, SENTINEL, (size_t)pre * 24);
	return pre;
}

/* Entries the private file's list holds, or -1 when not known. */
static int64_t known_count(const struct wstate *w, uint32_t list)
{
	const struct genlay *k = &w->klay;

	if (!w->known)
		return -1;
	if (list == MEMLAYOUT_LIST_VTL2)
		return !!(k->flags & MEMLAYOUT_SET_VTL2);
	if (list == MEMLAYOUT_LIST_RAM && k->source != MEMLAYOUT_SOURCE_RANGES)
		return -1;
	return k->nr[list];
}

static void h_ranges(struct wstate *w, struct call *c)
{
	static const uint32_t badlists[] = { 0, 6, 7, 0xff, 0x80000001, ~0u };
	struct rng *r = &w->r;
	struct memlayout_get_ranges s, *o;
	uint32_t cnt, pre, i, n;
	unsigned int allow;
	int64_t want = -1;
	bool wok = false;
	mr_t *out;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 20) ? flagbits(r) : 0;
	s.list = one_in(r, 10) ? badlists[below(r, ARRAY_SIZE(badlists))] : 1 + below(r, 5);
	cnt = pick_read_count(r);
	s.count = cnt;
	s.ranges_ptr = pick_read_ptr(w, w->data + D_RANGES, 24, cnt);
	if (one_in(r, 8))
		s.generation = rnd(r);
	pre = prefill24(w, s.ranges_ptr, cnt, U64P(w->data) + DATA_LEN);

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		bool bad_list = (s.list < MEMLAYOUT_LIST_RAM || s.list > MEMLAYOUT_LIST_PCI_MMIO) &&
				s.list != MEMLAYOUT_LIST_VTL2;

		if (s.flags || bad_list) {
			allow = c->b | M(NOTSUPP);
		} else if (!cnt != !s.ranges_ptr) {	/* a pair half missing */
			allow = c->b | M(INVAL);
		} else if (c->fdk == FDK_PRIV && !w->gen) {
			allow = M(NOENT);
		} else {
			if (c->fdk == FDK_PRIV)
				want = known_count(w, s.list);
			if (want >= 0) {
				wok = writable(w, s.ranges_ptr, (uint64_t)want * 24);
				allow = cnt < want ? M(MSGSIZE) : wok ? M(OK) : M(FAULT);
			} else {
				allow = c->b | M(OK) | M(MSGSIZE) |
					(c->fdk == FDK_PRIV ? 0 : M(NOENT)) |
					(writable(w, s.ranges_ptr, (uint64_t)cnt * 24) ? 0 : M(FAULT));
			}
		}
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (!c->front_ok || (e && e != EMSGSIZE))
		return;
	o = (struct memlayout_get_ranges *)c->argp;
	if (o->size != c->usize || o->flags != s.flags || o->list != s.list ||
	    o->ranges_ptr != s.ranges_ptr || !o->generation ||
	    (c->fdk == FDK_PRIV && o->generation != w->gen) ||
	    (e == EMSGSIZE && o->count <= cnt) || (!e && o->count > cnt) ||
	    (want >= 0 && o->count != want) ||
	    (s.list == MEMLAYOUT_LIST_VTL2 && o->count > 1))
		bad_reply(w, c, "list %u count %u -> %u (want %lld) errno %d generation %llu (private %llu)",
			  s.list, cnt, o->count, (long long)want, e,
			  (unsigned long long)o->generation, (unsigned long long)w->gen);
	if (!pre)
		return;
	out = (mr_t *)(uintptr_t)s.ranges_ptr;
	if (e == EMSGSIZE) {
		if (!untouched(out, pre * sizeof(mr_t)))
			bad_reply(w, c, "EMSGSIZE but the buffer was written");
		return;
	}
	n = o->count < pre ? o->count : pre;
	if (n < pre && !untouched(&out[n], (pre - n) * sizeof(mr_t)))
		bad_reply(w, c, "written past count %u", o->count);
	for (i = 0; i < n; i++) {
		if (out[i].start >= out[i].end || out[i].start % PG || out[i].end % PG ||
		    out[i].end > MAXA || out[i].reserved ||
		    (s.list != MEMLAYOUT_LIST_RAM && out[i].vnode) ||
		    (i && out[i].start < out[i - 1].end)) {
			bad_reply(w, c, "list %u entry %u/%u bad: %#llx-%#llx vnode %u reserved %u",
				  s.list, i, o->count, (unsigned long long)out[i].start,
				  (unsigned long long)out[i].end, out[i].vnode,
				  out[i].reserved);
			return;
		}
	}
	if (c->fdk != FDK_PRIV || !w->known || n != o->count)
		return;
	w->st->private_checks++;
	if (want >= 0) {
		const mr_t *k = s.list == MEMLAYOUT_LIST_VTL2 ? &w->klay.vtl2 : w->klay.l[s.list];

		for (i = 0; i < n; i++)
			if (out[i].start != k[i].start || out[i].end != k[i].end ||
			    out[i].vnode != (s.list == MEMLAYOUT_LIST_RAM ? k[i].vnode : 0)) {
				bad_reply(w, c, "list %u entry %u: %#llx-%#llx vnode %u, request had %#llx-%#llx vnode %u",
					  s.list, i, (unsigned long long)out[i].start,
					  (unsigned long long)out[i].end, out[i].vnode,
					  (unsigned long long)k[i].start,
					  (unsigned long long)k[i].end, k[i].vnode);
				return;
			}
	} else if (s.list == MEMLAYOUT_LIST_RAM) {	/* placed RAM: C1/C2 */
		uint64_t t = 0;

		for (i = 0; i < n; i++) {
			t += out[i].end - out[i].start;
			if (out[i].vnode >= (w->klay.source == MEMLAYOUT_SOURCE_NODES ?
					     w->klay.nr_nodes : 1))
				bad_reply(w, c, "placed RAM %u has vnode %u", i, out[i].vnode);
		}
		if (t != known_ram_total(&w->klay))
			bad_reply(w, c, "placed RAM totals %#llx, request %#llx",
				  (unsigned long long)t,
				  (unsigned long long)known_ram_total(&w->klay));
	}
}

/* ---- PROBE ---- */

/* Kind the private layout must give addr, or -1 when not known here. */
static int expect_kind(const struct genlay *k, uint64_t addr)
{
	uint32_t l, i;

	for (l = 1; l <= 4; l++) {
		if (l == MEMLAYOUT_LIST_RAM && k->source != MEMLAYOUT_SOURCE_RANGES)
			continue;
		for (i = 0; i < k->nr[l]; i++)
			if (addr >= k->l[l][i].start && addr < k->l[l][i].end)
				return (int)l;
	}
	if ((k->flags & MEMLAYOUT_SET_VTL2) && addr >= k->vtl2.start &&
	    addr < k->vtl2.end)
		return MEMLAYOUT_KIND_NONE;
	return k->source == MEMLAYOUT_SOURCE_RANGES ? MEMLAYOUT_KIND_NONE : -1;
}

static uint64_t probe_addr(struct wstate *w)
{
	struct rng *r = &w->r;
	const struct genlay *k = &w->klay;
	uint32_t l, tries;

	if (w->known && !one_in(r, 3)) {
		for (tries = 0; tries < 4; tries++) {
			l = 1 + below(r, 4);
			if (k->nr[l]) {
				const mr_t *e = &k->l[l][below(r, k->nr[l])];

				switch (below(r, 5)) {
				case 0: return e->start;
				case 1: return e->end - 1;
				case 2: return e->end;
				case 3: return e->start - 1;
				default: return e->start + (e->end - e->start) / 2;
				}
			}
		}
		if (k->flags & MEMLAYOUT_SET_VTL2)
			return k->vtl2.start + below(r, 2) * (k->vtl2.end - k->vtl2.start - 1);
	}
	return edge_addr(r);
}

static void h_probe(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct memlayout_probe s, *o;
	struct memlayout_probe_range *ranges;
	uint32_t x, cnt, i, fill;
	unsigned int allow;
	bool with_ranges;
	uint64_t eff;
	uint64_t *addrs;
	uint32_t *kinds;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 20) ? flagbits(r) : 0;
	s.reserved = one_in(r, 25) ? flagbits(r) : 0;
	x = below(r, 1000);
	cnt = x < 100 ? 0 : x < 550 ? 1 + below(r, 16) : x < 800 ? 17 + below(r, 48) :
	      x < 900 ? 65 + below(r, 700) : x < 915 ? 1000 + below(r, 7192) :
	      x < 935 ? MAXP : x < 950 ? MAXP + 1 : x < 960 ? ~0u :
	      x < 970 ? (uint32_t)rnd(r) : x < 985 ? 16 : 341 + below(r, 2) * 341;
	s.count = cnt;
	if (!cnt) {
		if (one_in(r, 6))
			s.addrs_ptr = U64P(w->data + D_ADDRS);
		if (one_in(r, 6))
			s.kinds_ptr = U64P(w->data + D_KINDS);
	} else {
		s.addrs_ptr = !one_in(r, 9) ? U64P(w->data + D_ADDRS) :
			      one_in(r, 4) ? RO_BASE + RO_ADDRS : bad_ptr(w, NULL, 8, cnt);
		s.kinds_ptr = !one_in(r, 9) ? U64P(w->data + D_KINDS) :
			      one_in(r, 4) ? RO_BASE + RO_ADDRS : bad_ptr(w, NULL, 4, cnt);
	}
	if (one_in(r, 8))
		s.generation = rnd(r);
	/* Covering ranges: in the data area past the kinds, or a bad pointer. */
	x = below(r, 10);
	if (x < 4)
		s.ranges_ptr = cnt && cnt <= RANGES_MAX && !one_in(r, 8) ?
			       U64P(w->data + D_PRANGES) :
			       one_in(r, 2) ? RO_BASE + RO_ADDRS : bad_ptr(w, NULL, 24, cnt ? cnt : 1);
	ranges = (struct memlayout_probe_range *)(void *)(w->data + D_PRANGES);
	addrs = (uint64_t *)(void *)(w->data + D_ADDRS);
	kinds = (uint32_t *)(void *)(w->data + D_KINDS);
	/* Fresh addresses up front; past them, whatever the buffer held. */
	fill = cnt < 64 ? cnt : 64;
	for (i = 0; i < fill; i++)
		addrs[i] = probe_addr(w);
	memset(kinds, 0xff, fill * sizeof(uint32_t));
	memset(ranges, SENTINEL, (fill + 1) * sizeof(*ranges));

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	/*
	 * The kernel reads min(usize, its size) bytes, zero-extended: a first
	 * version's struct has no ranges_ptr, and one of 41..47 bytes carries
	 * its low bytes only (little-endian), a different pointer.
	 */
	eff = s.ranges_ptr;
	if (c->usize <= MEMLAYOUT_PROBE_SIZE_VER0)
		eff = 0;
	else if (c->usize < MEMLAYOUT_PROBE_SIZE_VER1)
		eff &= (1ULL << (8 * (c->usize - MEMLAYOUT_PROBE_SIZE_VER0))) - 1;
	with_ranges = eff != 0;
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		if (s.flags)
			allow = c->b | M(NOTSUPP);
		else if (s.reserved)
			allow = c->b | M(INVAL);
		else if (cnt > MAXP)
			allow = c->b | M(2BIG);
		else if (!cnt != !s.addrs_ptr || !cnt != !s.kinds_ptr ||
			 (with_ranges && !cnt))	/* pairs; ranges need addresses */
			allow = c->b | M(INVAL);
		else {
			unsigned int ok = readable(w, s.addrs_ptr, (uint64_t)cnt * 8) &&
					  writable(w, s.kinds_ptr, (uint64_t)cnt * 4) &&
					  (!with_ranges ||
					   writable(w, eff, (uint64_t)cnt * 24)) ?
					  M(OK) : M(FAULT);

			if (c->fdk == FDK_PRIV)
				allow = w->gen ? ok : M(NOENT);
			else
				allow = c->b | ok | M(NOENT);
			if (cnt > 16 || with_ranges)
				allow |= M(NOMEM);
		}
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (!c->front_ok || e)
		return;
	o = (struct memlayout_probe *)c->argp;
	if (o->size != c->usize || o->count != cnt || o->addrs_ptr != s.addrs_ptr ||
	    o->kinds_ptr != s.kinds_ptr || !o->generation ||
	    (c->fdk == FDK_PRIV && o->generation != w->gen))
		bad_reply(w, c, "reply count %u ptrs %#llx/%#llx generation %llu (private %llu)",
			  o->count, (unsigned long long)o->addrs_ptr,
			  (unsigned long long)o->kinds_ptr,
			  (unsigned long long)o->generation, (unsigned long long)w->gen);
	if (s.kinds_ptr != U64P(kinds))
		return;
	for (i = 0; i < fill; i++)
		if (kinds[i] >= NR_KINDS) {
			bad_reply(w, c, "kind[%u] = %u", i, kinds[i]);
			return;
		}
	if (with_ranges && eff == U64P(ranges)) {
		for (i = 0; i < fill && s.addrs_ptr == U64P(addrs); i++) {
			const struct memlayout_probe_range *pr = &ranges[i];
			bool none = kinds[i] == MEMLAYOUT_KIND_NONE;

			if (none ? pr->index != MEMLAYOUT_PROBE_NO_RANGE || pr->start ||
				   pr->end || pr->vnode :
				   pr->index == MEMLAYOUT_PROBE_NO_RANGE ||
				   addrs[i] < pr->start || addrs[i] >= pr->end ||
				   (kinds[i] != MEMLAYOUT_KIND_RAM && pr->vnode)) {
				bad_reply(w, c, "probe %#llx kind %u: covering [%#llx, %#llx) vnode %u index %u",
					  (unsigned long long)addrs[i], kinds[i],
					  (unsigned long long)pr->start,
					  (unsigned long long)pr->end, pr->vnode, pr->index);
				return;
			}
		}
		if (fill == cnt && !untouched(&ranges[fill], sizeof(*ranges)))
			bad_reply(w, c, "covering ranges written past count %u", cnt);
	} else if (!untouched(ranges, (fill + 1) * sizeof(*ranges))) {
		bad_reply(w, c, "covering ranges written without ranges_ptr (usize %u)",
			  c->usize);
	}
	if (c->fdk != FDK_PRIV || !w->known || s.addrs_ptr != U64P(addrs))
		return;
	w->st->private_checks++;
	for (i = 0; i < fill && i < 32; i++) {
		int k = expect_kind(&w->klay, addrs[i]);

		if (k >= 0 && kinds[i] != (uint32_t)k) {
			bad_reply(w, c, "probe %#llx: kind %u, request says %d",
				  (unsigned long long)addrs[i], kinds[i], k);
			return;
		}
	}
}

/* ---- anything else ---- */

static void h_bad(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	uint64_t junk[8];
	unsigned int allow;
	void *arg;
	int e;

	for (e = 0; e < 8; e++)
		junk[e] = rnd(r);
	c->usize = pick_usize(r, 40, &c->tail);
	arg = place_arg(w, c, junk, sizeof(junk));
	allow = c->fdk == FDK_BOGUS ? M(BADF) : c->b | M(NOTTY);
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
}

/* ------------------------------------------------------------------ */
/* Threads and processes                                                */
/* ------------------------------------------------------------------ */

/* Open /dev/memlayout at exactly descriptor fd (replacing what is there). */
static int open_at(int fd, int mode)
{
	int t = open(DEV_PATH, mode | O_CLOEXEC);

	if (t < 0)
		return -1;
	if (t != fd) {
		if (dup2(t, fd) < 0) {
			close(t);
			return -1;
		}
		close(t);
	}
	return 0;
}

static void reopen_private(struct wstate *w)
{
	close(w->pfd);
	if (open_at(w->pfd, O_RDWR))
		record(&w->st->setup_fail, w->st->msg_setup,
		       "reopen private fd %d: %s", w->pfd, strerror(errno));
	w->gen = 0;
	w->known = false;
	w->ksrc = 0;
}

/* ---- GET_LAYOUT ---- */

/* Entries the private file's layout holds, or -1 when not known. */
static int64_t known_entries(const struct wstate *w)
{
	int64_t ram = known_count(w, MEMLAYOUT_LIST_RAM);

	if (ram < 0)
		return -1;
	return ram + known_count(w, MEMLAYOUT_LIST_MMIO) +
	       known_count(w, MEMLAYOUT_LIST_PCI_ECAM) +
	       known_count(w, MEMLAYOUT_LIST_PCI_MMIO);
}

static void h_map(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct memlayout_get_layout s, *o;
	struct memlayout_stats *st = (void *)(w->data + D_STATS);
	struct memlayout_map_entry *out = (void *)(w->data + D_RANGES);
	uint32_t x, cnt, pre, i, n, ssize = sizeof(*st), sflags = 0;
	bool stats_ok = true, stats_frame_ok = true;
	unsigned int allow;
	int64_t want = -1;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 20) ? flagbits(r) : 0;
	s.reserved = one_in(r, 25) ? flagbits(r) : 0;
	cnt = pick_read_count(r);
	s.count = cnt;
	s.entries_ptr = pick_read_ptr(w, out, 24, cnt);
	/* The figures: usually a good stats struct, sometimes a bad one. */
	x = below(r, 20);
	if (x < 12) {
		s.stats_ptr = U64P(st);
		ssize = x < 2 ? MEMLAYOUT_STATS_SIZE_VER0 : x < 3 ? (uint32_t)PG + 8 :
			x < 4 ? MEMLAYOUT_STATS_SIZE_VER0 - 4 : sizeof(*st);
		sflags = x == 4 ? flagbits(r) : 0;
		memset(st, SENTINEL, sizeof(*st));
		memset(st, 0, ssize < sizeof(*st) ? ssize : sizeof(*st));
		st->size = ssize;
		st->flags = sflags;
		stats_frame_ok = ssize >= MEMLAYOUT_STATS_SIZE_VER0 && ssize <= PG;
	} else if (x < 14) {
		s.stats_ptr = one_in(r, 2) ? RO_BASE + RO_STATS : bad_ptr(w, NULL, 144, 1);
		stats_ok = false;
	}
	if (one_in(r, 8))
		s.generation = rnd(r);
	/* Up to the stats struct, which has sentinels of its own. */
	pre = prefill24(w, s.entries_ptr, cnt, U64P(w->data) + D_STATS);

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		/* A first-version struct is the whole command: nothing to hide. */
		if (s.flags) {
			allow = c->b | M(NOTSUPP);
		} else if (s.reserved || !cnt != !s.entries_ptr) {
			allow = c->b | M(INVAL);
		} else if (!stats_ok && s.stats_ptr) {
			/* Read-only or straddling: any framing verdict, or the
			 * reply's EFAULT, unless the layout's own errors come first. */
			allow = c->b | M(FAULT) | M(INVAL) | M(2BIG) | M(NOTSUPP) |
				M(MSGSIZE) | M(NOENT) | M(NOMEM);
		} else if (s.stats_ptr && !stats_frame_ok) {
			allow = c->b | (ssize < MEMLAYOUT_STATS_SIZE_VER0 ? M(INVAL) : M(2BIG));
		} else if (s.stats_ptr && sflags) {
			allow = c->b | M(NOTSUPP);
		} else if (c->fdk == FDK_PRIV && !w->gen) {
			allow = M(NOENT);
		} else {
			if (c->fdk == FDK_PRIV)
				want = known_entries(w);
			if (want >= 0)
				allow = cnt < want ? M(MSGSIZE) :
					writable(w, s.entries_ptr, (uint64_t)want * 24) ?
					M(OK) | M(NOMEM) : M(FAULT) | M(NOMEM);
			else
				allow = c->b | M(OK) | M(MSGSIZE) | M(NOMEM) |
					(c->fdk == FDK_PRIV ? 0 : M(NOENT)) |
					(writable(w, s.entries_ptr, (uint64_t)cnt * 24) ? 0 : M(FAULT));
		}
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (!c->front_ok || (e && e != EMSGSIZE))
		return;
	o = (struct memlayout_get_layout *)c->argp;
	if (o->size != c->usize || o->flags || o->reserved || o->entries_ptr != s.entries_ptr ||
	    o->stats_ptr != s.stats_ptr || !o->generation ||
	    (c->fdk == FDK_PRIV && o->generation != w->gen) ||
	    (e == EMSGSIZE && (o->count <= cnt || !zero_fp(o->fingerprint))) ||
	    (!e && (o->count > cnt || !o->count || zero_fp(o->fingerprint))) ||
	    (want >= 0 && o->count != want))
		bad_reply(w, c, "GET_LAYOUT count %u -> %u (want %lld) errno %d generation %llu (private %llu)",
			  cnt, o->count, (long long)want, e,
			  (unsigned long long)o->generation, (unsigned long long)w->gen);
	if (s.stats_ptr == U64P(st)) {
		bool untouched_st = untouched((char *)st + (ssize < sizeof(*st) ? ssize : sizeof(*st)),
					      ssize < sizeof(*st) ? sizeof(*st) - ssize : 0);

		if (e == EMSGSIZE ? st->generation != 0 :
		    st->generation != o->generation || st->size != ssize ||
		    !untouched_st ||
		    (ssize >= MEMLAYOUT_STATS_SIZE_VER1 &&
		     memcmp(st->fingerprint, o->fingerprint, sizeof(st->fingerprint))))
			bad_reply(w, c, "GET_LAYOUT stats (size %u, errno %d): generation %llu, reply %llu",
				  ssize, e, (unsigned long long)st->generation,
				  (unsigned long long)o->generation);
	}
	if (!pre)
		return;
	if (e == EMSGSIZE) {
		if (!untouched(out, pre * sizeof(*out)))
			bad_reply(w, c, "EMSGSIZE but the entries were written");
		return;
	}
	n = o->count < pre ? o->count : pre;
	if (n < pre && !untouched(&out[n], (pre - n) * sizeof(*out)))
		bad_reply(w, c, "written past count %u", o->count);
	for (i = 0; i < n; i++) {
		if (out[i].start >= out[i].end || out[i].start % PG || out[i].end % PG ||
		    out[i].end > MAXA || !out[i].kind || out[i].kind >= NR_KINDS ||
		    (out[i].kind != MEMLAYOUT_KIND_RAM && out[i].vnode) ||
		    (i && out[i].start < out[i - 1].end)) {
			bad_reply(w, c, "entry %u/%u bad: %#llx-%#llx vnode %u kind %u", i,
				  o->count, (unsigned long long)out[i].start,
				  (unsigned long long)out[i].end, out[i].vnode, out[i].kind);
			return;
		}
	}
	if (want >= 0)
		w->st->private_checks++;
}

/* ---- GET_PLACEMENTS ---- */

/* Like prefill24(), for the 32-byte entries of GET_PLACEMENTS. */
static uint32_t prefill32(struct wstate *w, uint64_t ptr, uint32_t cnt, uint64_t limit)
{
	uint32_t pre;

	if (!in_data(w, ptr, 32) || ptr + 32 > limit)
		return 0;
	pre = cnt < 80 ? cnt + 1 : 81;
	if (pre > (limit - ptr) / 32)
		pre = (uint32_t)((limit - ptr) / 32);
	memset((void *)(uintptr_t)ptr, SENTINEL, (size_t)pre * 32);
	return pre;
}

/*
 * The placed ranges of a C4 layout against the request array it was built
 * from (SPEC C4 "Result") and against its GET_LAYOUT (read here, on the
 * private file nothing else touches): every hole and RAM request is there
 * with its size and alignment, fixed and reserved ranges where given, RAM
 * in its vnode; the non-reserved, non-VTL2 entries are GET_LAYOUT's
 * entries, and VTL2 is GET_LAYOUT's VTL2.
 */
static void check_placed_private(struct wstate *w, const struct call *c, const placed_t *p,
				 uint32_t n)
{
	struct memlayout_map_entry *m = (void *)(w->data + D_PMAP);
	struct memlayout_stats *st = (void *)(w->data + D_STATS);
	struct memlayout_get_layout gl;
	uint64_t ram[PMAX + 1] = { 0 };
	uint32_t seen[PMAX + 1] = { 0 }, i, j, k, nm = 0, cap;
	const preq_t *q = w->kreq;
	bool vtl2 = false;

	for (i = 0; i < n; i++) {
		/* The request this range is from: class and index. */
		for (j = 0, k = 0; j < w->nkreq; j++)
			if (q[j].place_class == p[i].place_class && k++ == p[i].index)
				break;
		if (j == w->nkreq) {
			bad_reply(w, c, "placed %u: class %u index %u is no request", i,
				  p[i].place_class, p[i].index);
			return;
		}
		seen[j]++;
		if (is_pinned(q[j].place_class) ? p[i].start != q[j].start || p[i].end != q[j].end :
		    q[j].place_class == MEMLAYOUT_CLASS_RAM ? p[i].start % q[j].align ||
							p[i].vnode != p[i].index :
		    p[i].end - p[i].start != q[j].size || p[i].start % q[j].align ||
		    (q[j].place_class == MEMLAYOUT_CLASS_MMIO32 && p[i].end > 4 * GiB) ||
		    (q[j].place_class == MEMLAYOUT_CLASS_MMIO64 && p[i].start < 4 * GiB) ||
		    p[i].kind != q[j].kind) {
			bad_reply(w, c, "placed %u: %#llx-%#llx class %u index %u kind %u vnode %u, request %u size %#llx align %#llx",
				  i, (unsigned long long)p[i].start, (unsigned long long)p[i].end,
				  p[i].place_class, p[i].index, p[i].kind, p[i].vnode, j,
				  (unsigned long long)q[j].size, (unsigned long long)q[j].align);
			return;
		}
		if (q[j].place_class == MEMLAYOUT_CLASS_RAM)
			ram[j] += p[i].end - p[i].start;
	}
	for (j = 0; j < w->nkreq; j++) {
		bool want_one = !is_pinned(q[j].place_class) && q[j].place_class != MEMLAYOUT_CLASS_RAM;

		if ((q[j].place_class == MEMLAYOUT_CLASS_RAM && ram[j] != q[j].size) ||
		    (want_one && seen[j] != 1) || (q[j].place_class == MEMLAYOUT_CLASS_FIXED && seen[j] != 1) ||
		    (q[j].place_class == MEMLAYOUT_CLASS_RESERVED && seen[j] > 1)) {
			bad_reply(w, c, "request %u (class %u size %#llx) placed %u times, RAM %#llx",
				  j, q[j].place_class, (unsigned long long)q[j].size, seen[j],
				  (unsigned long long)ram[j]);
			return;
		}
	}

	/* The layout itself: GET_LAYOUT of the same (private) file. */
	cap = (D_STATS - D_PMAP) / sizeof(*m);
	memset(&gl, 0, sizeof(gl));
	gl.size = sizeof(gl);
	gl.count = cap;
	gl.entries_ptr = U64P(m);
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	gl.stats_ptr = U64P(st);
	if (ioctl(w->pfd, MEMLAYOUT_IOC_GET_LAYOUT, &gl)) {
		if (errno != ENOMEM)
			bad_reply(w, c, "GET_LAYOUT beside GET_PLACEMENTS: errno %d", errno);
		return;
	}
	for (i = 0; i < n; i++) {
		if (p[i].place_class == MEMLAYOUT_CLASS_RESERVED)
			continue;
		if (p[i].kind == MEMLAYOUT_PLACE_VTL2) {
			vtl2 = true;
			if (!(st->present & MEMLAYOUT_STATS_VTL2) || st->vtl2_start != p[i].start ||
			    st->vtl2_end != p[i].end)
				bad_reply(w, c, "placed VTL2 %#llx-%#llx, layout's %#llx-%#llx",
					  (unsigned long long)p[i].start,
					  (unsigned long long)p[i].end,
					  (unsigned long long)st->vtl2_start,
					  (unsigned long long)st->vtl2_end);
			continue;
		}
		if (nm >= gl.count || m[nm].start != p[i].start || m[nm].end != p[i].end ||
		    m[nm].kind != p[i].kind || m[nm].vnode != p[i].vnode) {
			bad_reply(w, c, "placed %u (%#llx-%#llx kind %u) is not layout entry %u of %u",
				  i, (unsigned long long)p[i].start, (unsigned long long)p[i].end,
				  p[i].kind, nm, gl.count);
			return;
		}
		nm++;
	}
	if (nm != gl.count || vtl2 != !!(st->present & MEMLAYOUT_STATS_VTL2) ||
	    gl.generation != w->gen)
		bad_reply(w, c, "%u placed ranges for %u layout entries (VTL2 %d/%d, generation %llu of %llu)",
			  nm, gl.count, vtl2, !!(st->present & MEMLAYOUT_STATS_VTL2),
			  (unsigned long long)gl.generation, (unsigned long long)w->gen);
	w->st->placed_checked++;
}

static void h_placed(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct memlayout_get_placements s, *o;
	placed_t *out = (void *)(w->data + D_RANGES);
	uint32_t cnt, pre, i, n, vtl2 = 0;
	unsigned int allow;
	int64_t want = -1;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 20) ? flagbits(r) : 0;
	s.reserved = one_in(r, 25) ? flagbits(r) : 0;
	cnt = pick_read_count(r);
	s.count = cnt;
	s.entries_ptr = pick_read_ptr(w, out, 32, cnt);
	if (one_in(r, 8))
		s.generation = rnd(r);
	pre = prefill32(w, s.entries_ptr, cnt, U64P(w->data) + D_PMAP);

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		if (s.flags) {
			allow = c->b | M(NOTSUPP);
		} else if (s.reserved || !cnt != !s.entries_ptr) {
			allow = c->b | M(INVAL);
		} else if (c->fdk == FDK_PRIV && !w->gen) {
			allow = M(NOENT);
		} else {
			/* C1-C3 have none; C4's count, once read for this generation. */
			if (c->fdk == FDK_PRIV)
				want = w->ksrc == 1 ? 0 : w->ksrc == 4 ? w->nplaced : -1;
			if (want >= 0)
				allow = cnt < want ? M(MSGSIZE) :
					writable(w, s.entries_ptr, (uint64_t)want * 32) ?
					M(OK) : M(FAULT);
			else
				allow = c->b | M(OK) | M(MSGSIZE) |
					(c->fdk == FDK_PRIV ? 0 : M(NOENT)) |
					(writable(w, s.entries_ptr, (uint64_t)cnt * 32) ? 0 : M(FAULT));
		}
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, NULL);
	if (!c->front_ok || (e && e != EMSGSIZE))
		return;
	o = (struct memlayout_get_placements *)c->argp;
	if (o->size != c->usize || o->flags || o->reserved || o->entries_ptr != s.entries_ptr ||
	    !o->generation || (c->fdk == FDK_PRIV && o->generation != w->gen) ||
	    (e == EMSGSIZE && o->count <= cnt) || (!e && o->count > cnt) ||
	    (want >= 0 && o->count != want))
		bad_reply(w, c, "count %u -> %u (want %lld) errno %d generation %llu (private %llu)",
			  cnt, o->count, (long long)want, e,
			  (unsigned long long)o->generation, (unsigned long long)w->gen);
	if (c->fdk == FDK_PRIV && w->ksrc == 4)
		w->nplaced = o->count;
	if (!pre)
		return;
	if (e == EMSGSIZE) {
		if (!untouched(out, pre * sizeof(*out)))
			bad_reply(w, c, "EMSGSIZE but the entries were written");
		return;
	}
	n = o->count < pre ? o->count : pre;
	if (n < pre && !untouched(&out[n], (pre - n) * sizeof(*out)))
		bad_reply(w, c, "written past count %u", o->count);
	for (i = 0; i < n; i++) {
		const placed_t *p = &out[i];
		bool pinned = is_pinned(p->place_class), ram = p->place_class == MEMLAYOUT_CLASS_RAM;

		if (p->start >= p->end || p->start % PG || p->end % PG || p->end > MAXA ||
		    p->place_class < MEMLAYOUT_CLASS_RESERVED || p->place_class > NR_CLASSES ||
		    (i && p->start < out[i - 1].end) ||
		    (p->place_class == MEMLAYOUT_CLASS_RESERVED ? p->kind != 0 :
		     ram ? p->kind != MEMLAYOUT_KIND_RAM || p->vnode != p->index :
		     p->place_class == MEMLAYOUT_CLASS_POST_MMIO ?
		     !hole_kind(p->kind) && (p->kind != MEMLAYOUT_PLACE_VTL2 || vtl2++) :
		     !hole_kind(p->kind)) ||
		    (!ram && p->vnode) ||
		    (pinned && p->place_class == MEMLAYOUT_CLASS_RESERVED && i + 1 == o->count)) {
			bad_reply(w, c, "placed %u/%u bad: %#llx-%#llx class %u index %u kind %u vnode %u",
				  i, o->count, (unsigned long long)p->start,
				  (unsigned long long)p->end, p->place_class, p->index, p->kind, p->vnode);
			return;
		}
	}
	w->st->placed_reads++;
	if (c->fdk == FDK_PRIV && w->ksrc == 4 && n == o->count)
		check_placed_private(w, c, out, n);
}


/* ---- CHECK_HOST ---- */

/*
 * What CHECK_HOST's answers are predicted from: the CPU width as
 * /proc/cpuinfo's "address sizes" gives it (the kernel's x86_phys_bits,
 * SPEC H1), and the guest's PCI devices (/sys/bus/pci/devices), each
 * with whether it is in an IOMMU group (then its H2/H3 conflicts are not
 * predicted, only checked for form).
 */
#define PCI_MAX		256
static uint32_t host_bits;
static uint32_t nr_pci, nr_pci_iommu;
static struct { uint16_t seg; uint8_t bus, devfn; bool iommu; } pci[PCI_MAX];

static void host_setup(void)
{
	char line[256], path[320];
	unsigned int s, b, d, f;
	struct dirent *de;
	FILE *fp;
	DIR *dir;

	fp = fopen("/proc/cpuinfo", "r");
	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "address sizes : %u bits physical", &s) == 1) {
			host_bits = s;
			break;
		}
	if (fp)
		fclose(fp);
	dir = opendir("/sys/bus/pci/devices");
	while (dir && (de = readdir(dir)) && nr_pci < PCI_MAX) {
		if (sscanf(de->d_name, "%x:%x:%x.%x", &s, &b, &d, &f) != 4)
			continue;
		pci[nr_pci].seg = (uint16_t)s;
		pci[nr_pci].bus = (uint8_t)b;
		pci[nr_pci].devfn = (uint8_t)(d << 3 | f);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
			 de->d_name);
		pci[nr_pci].iommu = !access(path, F_OK);
		nr_pci_iommu += pci[nr_pci].iommu;
		nr_pci++;
	}
	if (dir)
		closedir(dir);
}

/* The guest's device at that address: its index, or -1. */
static int pci_find(uint16_t seg, uint8_t bus, uint8_t devfn)
{
	uint32_t i;

	for (i = 0; i < nr_pci; i++)
		if (pci[i].seg == seg && pci[i].bus == bus && pci[i].devfn == devfn)
			return (int)i;
	return -1;
}

/*
 * One device record, usually valid (a PCI address of the guest or a random
 * one; a VFIO record with some descriptor: no VFIO file is ever passed, so
 * it always fails), sometimes hostile (unknown type, non-zero reserved,
 * a PCI record's fd; out members set: flags, a VFIO record's address).
 */
static void gen_device(struct wstate *w, struct memlayout_host_device *d)
{
	static const int vfio_fds[] = { -1, 0x7fffffff, 100000, (int)0x80000000 };
	struct rng *r = &w->r;
	uint32_t x = below(r, 100), i;

	memset(d, 0, sizeof(*d));
	if (x < 55) {
		d->type = MEMLAYOUT_DEVICE_PCI;
		if (nr_pci && !one_in(r, 3)) {
			i = below(r, nr_pci);
			d->pci_segment = pci[i].seg;
			d->pci_bus = pci[i].bus;
			d->pci_devfn = pci[i].devfn;
		} else {
			d->pci_segment = one_in(r, 2) ? 0 : (uint16_t)rnd(r);
			d->pci_bus = (uint8_t)rnd(r);
			d->pci_devfn = (uint8_t)rnd(r);
		}
	} else if (x < 85) {
		d->type = MEMLAYOUT_DEVICE_VFIO;
		switch (below(r, 4)) {
		case 0: d->fd = vfio_fds[below(r, ARRAY_SIZE(vfio_fds))]; break;
		case 1: d->fd = w->pfd; break;
		case 2: d->fd = FD_SHARED + (int)below(r, NR_SHARED); break;
		default: d->fd = (int)rnd(r); break;
		}
	} else {
		d->type = one_in(r, 2) ? (uint32_t)rnd(r) : below(r, 4);
	}
	if (one_in(r, 20))
		d->flags = flagbits(r);
	if (one_in(r, 20))
		d->reserved = flagbits(r);
	if (one_in(r, 20))
		d->fd = (int)rnd(r);
	if (d->type == MEMLAYOUT_DEVICE_VFIO && one_in(r, 20))
		d->pci_bus = (uint8_t)(1 + below(r, 255));
	if (one_in(r, 10)) {	/* out members: ignored on input */
		d->iommu_group = (uint32_t)rnd(r);
		d->domain_type = (uint32_t)rnd(r);
		d->nr_resv = (uint32_t)rnd(r);
		d->aperture_start = rnd(r);
		d->aperture_last = rnd(r);
	}
}

/*
 * The outcome of one record, in the kernel's order: memlayout_check_host_device()
 * (type, then reserved and a PCI record's fd; flags and a VFIO record's
 * PCI address are out members, ignored on input), then the resolution. Return: a mask; *iommu set when it resolves to a
 * device in an IOMMU group.
 */
static unsigned int predict_device(const struct wstate *w, const struct memlayout_host_device *d,
				   bool *iommu)
{
	int i;

	*iommu = false;
	if (d->type != MEMLAYOUT_DEVICE_PCI && d->type != MEMLAYOUT_DEVICE_VFIO)
		return M(NOTSUPP);
	if (d->reserved)
		return M(INVAL);
	if (d->type == MEMLAYOUT_DEVICE_PCI) {
		if (d->fd)
			return M(INVAL);
		i = pci_find(d->pci_segment, d->pci_bus, d->pci_devfn);
		if (i < 0)
			return M(NODEV);
		*iommu = pci[i].iommu;
		return M(OK);
	}
	/* No VFIO file: closed or out of range -> EBADF, open -> EINVAL. */
	if (d->fd == w->pfd)
		return M(INVAL);
	if (d->fd >= FD_SHARED && d->fd < FD_SHARED + NR_SHARED)
		return M(INVAL) | M(BADF);	/* the churner closes them */
	if (d->fd < 0 || d->fd >= 100000)
		return M(BADF);
	return M(INVAL) | M(BADF);
}

/* H1 conflicts of the private file's layout, or -1 when not known. */
static int64_t known_h1(const struct wstate *w)
{
	const struct genlay *k = &w->klay;
	uint64_t top;
	int64_t n = 0;
	uint32_t l, i;

	if (!w->known || k->source != MEMLAYOUT_SOURCE_RANGES || !host_bits)
		return -1;
	if (host_bits >= 64)
		return 0;
	top = 1ULL << host_bits;
	for (l = MEMLAYOUT_LIST_RAM; l <= MEMLAYOUT_LIST_PCI_MMIO; l++)
		for (i = 0; i < k->nr[l]; i++)
			n += k->l[l][i].end > top;
	if ((k->flags & MEMLAYOUT_SET_VTL2) && k->vtl2.end > top)
		n++;
	return n;
}

/*
 * A CHECK_HOST reply's conflicts, for form: each rule known, H1's with no
 * device, the CPU width and [2^bits, 2^64 - 1], H2/H3's naming a device
 * the call passed, a layout range [start, end) that meets its host range
 * as its rule says; H1's in address order, first. With @exact, they are
 * exactly the private layout's H1 conflicts.
 */
static void check_conflicts(struct wstate *w, const struct call *c,
			    const struct memlayout_host_conflict *cf, uint32_t n,
			    uint32_t nr_dev, bool exact)
{
	const struct genlay *k = &w->klay;
	uint64_t top = host_bits < 64 ? 1ULL << host_bits : 0;
	uint32_t i, h1 = 0;

	for (i = 0; i < n; i++) {
		const struct memlayout_host_conflict *x = &cf[i];
		bool ok = x->start < x->end && x->host_start <= x->host_last &&
			  x->phys_bits == host_bits && !x->reserved &&
			  x->list >= MEMLAYOUT_LIST_RAM && x->list <= MEMLAYOUT_LIST_VTL2;

		switch (x->rule) {
		case MEMLAYOUT_HOST_CPU_WIDTH:
			ok = ok && x->device == MEMLAYOUT_NO_DEVICE && i == h1++ &&
			     x->host_start == top && x->host_last == UINT64_MAX &&
			     x->end > top && !x->host_type && !x->host_flags &&
			     (!i || x->start >= cf[i - 1].end);
			break;
		case MEMLAYOUT_HOST_APERTURE:
			ok = ok && x->device < nr_dev && !x->host_type && !x->host_flags &&
			     (x->start < x->host_start || x->end - 1 > x->host_last);
			break;
		case MEMLAYOUT_HOST_RESERVED:
			ok = ok && x->device < nr_dev && x->host_type >= MEMLAYOUT_RESV_DIRECT &&
			     x->host_type <= MEMLAYOUT_RESV_SW_MSI &&
			     !(x->host_flags & ~MEMLAYOUT_HOST_RELAXABLE) &&
			     x->start <= x->host_last && x->end - 1 >= x->host_start;
			break;
		default:
			ok = false;
		}
		if (ok && exact) {
			const mr_t *e = x->list == MEMLAYOUT_LIST_VTL2 ? &k->vtl2 :
					x->index < k->nr[x->list] ? &k->l[x->list][x->index] : NULL;

			ok = x->rule == MEMLAYOUT_HOST_CPU_WIDTH && e &&
			     e->start == x->start && e->end == x->end &&
			     (x->list != MEMLAYOUT_LIST_VTL2 || !x->index);
		}
		if (!ok) {
			bad_reply(w, c, "conflict %u/%u: rule %u list %u index %u device %#x [%#llx, %#llx) host [%#llx, %#llx] type %u flags %#x bits %u",
				  i, n, x->rule, x->list, x->index, x->device,
				  (unsigned long long)x->start, (unsigned long long)x->end,
				  (unsigned long long)x->host_start,
				  (unsigned long long)x->host_last, x->host_type,
				  x->host_flags, x->phys_bits);
			return;
		}
	}
	w->st->host_conflicts += n;
}

/* Devices a generated CHECK_HOST names at most (past MAX_DEVICES: E2BIG). */
#define HOST_DEVS_MAX	80

/*
 * CHECK_HOST (SPEC H1-H3): random and hostile commands and device records;
 * the errno predicted in the kernel's order (flags, device count, pointer
 * pairs, the layout, the device array, each record, then the count), the
 * failing record's index in error_device, the count and the conflicts of
 * the private file's known layouts exactly.
 */
static void h_host(struct wstate *w, struct call *c)
{
	struct rng *r = &w->r;
	struct memlayout_check_host s, *o;
	struct memlayout_host_device *devs = (void *)(w->data + D_RANGES);
	struct memlayout_host_conflict *out = (void *)(w->data + D_KINDS);
	uint32_t nr, cnt, i, x, bad = UINT32_MAX, pre = 0, n;
	unsigned int allow, dm = 0;
	bool iommu = false, dev_iommu, devs_ok;
	int64_t want = -1;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 25) ? flagbits(r) : 0;
	x = below(r, 100);
	nr = x < 50 ? 0 : x < 85 ? 1 + below(r, 3) : x < 92 ? below(r, MAX_DEVICES + 1) :
	     x < 96 ? MAX_DEVICES + 1 + below(r, HOST_DEVS_MAX - MAX_DEVICES) :
	     one_in(r, 2) ? ~0u : (uint32_t)rnd(r);
	for (i = 0; i < nr && i < HOST_DEVS_MAX; i++)
		gen_device(w, &devs[i]);
	s.nr_devices = nr;
	s.devices_ptr = !nr ? (one_in(r, 15) ? U64P(devs) : 0) :
			one_in(r, 15) ? bad_ptr(w, devs, sizeof(*devs), nr < HOST_DEVS_MAX ? nr : HOST_DEVS_MAX) :
			one_in(r, 30) ? 0 : U64P(devs);
	devs_ok = nr && nr <= MAX_DEVICES && readable(w, s.devices_ptr, (uint64_t)nr * sizeof(*devs));
	cnt = pick_read_count(r);
	if (cnt > 1024 && cnt != ~0u && !one_in(r, 4))
		cnt = below(r, 64);
	s.count = cnt;
	s.conflicts_ptr = pick_read_ptr(w, out, sizeof(*out), cnt);
	if (one_in(r, 8)) {	/* out members: ignored on input */
		s.generation = rnd(r);
		s.phys_bits = (uint32_t)rnd(r);
		s.error_device = (uint32_t)rnd(r);
	}
	if (in_data(w, s.conflicts_ptr, sizeof(*out)) && s.conflicts_ptr >= U64P(out)) {
		pre = cnt < 80 ? cnt + 1 : 81;
		if (pre > (U64P(w->data) + DATA_LEN - s.conflicts_ptr) / sizeof(*out))
			pre = (uint32_t)((U64P(w->data) + DATA_LEN - s.conflicts_ptr) / sizeof(*out));
		memset((void *)(uintptr_t)s.conflicts_ptr, SENTINEL, (size_t)pre * sizeof(*out));
	}

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		if (s.flags) {
			allow = c->b | M(NOTSUPP);
		} else if (nr > MAX_DEVICES) {
			allow = c->b | M(2BIG);
		} else if (!s.devices_ptr != !nr || !s.conflicts_ptr != !cnt) {
			allow = c->b | M(INVAL);
		} else if (c->fdk == FDK_PRIV && !w->gen) {
			allow = M(NOENT);
		} else {
			unsigned int noent = c->fdk == FDK_PRIV ? 0 : M(NOENT);

			if (nr && !devs_ok) {
				allow = c->b | noent | M(FAULT);
			} else {
				for (i = 0; i < nr; i++) {
					dm = predict_device(w, &devs[i], &dev_iommu);
					iommu |= dev_iommu;
					if (!(dm & M(OK))) {
						bad = i;
						break;
					}
				}
				if (bad != UINT32_MAX) {
					allow = c->b | noent | dm;
				} else {
					if (c->fdk == FDK_PRIV && !iommu)
						want = known_h1(w);
					if (want >= 0)
						allow = cnt < want ? M(MSGSIZE) :
							writable(w, s.conflicts_ptr,
								 (uint64_t)want * sizeof(*out)) ?
							M(OK) : M(FAULT);
					else
						allow = c->b | noent | M(OK) | M(MSGSIZE) |
							(writable(w, s.conflicts_ptr,
								  (uint64_t)cnt * sizeof(*out)) ?
							 0 : M(FAULT));
				}
			}
		}
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, bad != UINT32_MAX ? "a device record" : NULL);
	if (!c->front_ok || !c->argp)
		return;
	o = (struct memlayout_check_host *)c->argp;
	if (bad != UINT32_MAX) {
		/*
		 * A record's error: the command written back, error_device its
		 * index. Only the private file's errno surely is the record's.
		 */
		if (c->fdk != FDK_PRIV || !(dm & (1u << xidx(e))))
			return;
		if (o->error_device != bad || o->count != cnt || o->generation ||
		    o->phys_bits)
			bad_reply(w, c, "record %u failed with %d: error_device %u count %u -> %u generation %llu phys_bits %u",
				  bad, e, o->error_device, cnt, o->count,
				  (unsigned long long)o->generation, o->phys_bits);
		else
			w->st->host_device_errors++;
		return;
	}
	if (e && e != EMSGSIZE)
		return;
	w->st->host_replies++;
	if (o->size != c->usize || o->flags || o->nr_devices != nr ||
	    o->devices_ptr != s.devices_ptr || o->conflicts_ptr != s.conflicts_ptr ||
	    !o->generation || (c->fdk == FDK_PRIV && o->generation != w->gen) ||
	    o->phys_bits != host_bits || o->error_device != MEMLAYOUT_NO_DEVICE ||
	    (e == EMSGSIZE && o->count <= cnt) || (!e && o->count > cnt) ||
	    (want >= 0 && o->count != want)) {
		bad_reply(w, c, "count %u -> %u (want %lld) errno %d generation %llu (private %llu) bits %u (cpuinfo %u) error_device %u",
			  cnt, o->count, (long long)want, e,
			  (unsigned long long)o->generation, (unsigned long long)w->gen,
			  o->phys_bits, host_bits, o->error_device);
		return;
	}
	/* The records' out members: what sysfs says of each device. */
	for (i = 0; i < nr; i++) {
		const struct memlayout_host_device *d = &devs[i];
		int p = pci_find(d->pci_segment, d->pci_bus, d->pci_devfn);

		if (d->type != MEMLAYOUT_DEVICE_PCI || p < 0 ||
		    !!(d->flags & MEMLAYOUT_DEVICE_IOMMU) != pci[p].iommu ||
		    (d->flags & ~(MEMLAYOUT_DEVICE_IOMMU | MEMLAYOUT_DEVICE_APERTURE)) ||
		    d->reserved ||
		    (!pci[p].iommu && (d->flags || d->iommu_group || d->domain_type || d->nr_resv)) ||
		    (!(d->flags & MEMLAYOUT_DEVICE_APERTURE) &&
		     (d->aperture_start || d->aperture_last))) {
			bad_reply(w, c, "device %u: type %u %04x:%02x:%02x.%u flags %#x group %u domain %u resv %u aperture [%#llx, %#llx]",
				  i, d->type, d->pci_segment, d->pci_bus, d->pci_devfn >> 3,
				  d->pci_devfn & 7, d->flags, d->iommu_group, d->domain_type,
				  d->nr_resv, (unsigned long long)d->aperture_start,
				  (unsigned long long)d->aperture_last);
			return;
		}
	}
	if (!pre)
		return;
	if (e == EMSGSIZE) {
		if (!untouched((void *)(uintptr_t)s.conflicts_ptr, pre * sizeof(*out)))
			bad_reply(w, c, "EMSGSIZE but conflicts were written");
		return;
	}
	n = o->count < pre ? o->count : pre;
	if (n < pre && !untouched((const struct memlayout_host_conflict *)(uintptr_t)s.conflicts_ptr + n,
				  (pre - n) * sizeof(*out)))
		bad_reply(w, c, "written past count %u", o->count);
	check_conflicts(w, c, (const void *)(uintptr_t)s.conflicts_ptr, n, nr, want >= 0);
	if (want >= 0)
		w->st->host_checked++;
}

/* ---- CHECK_KVM ---- */

/*
 * What CHECK_KVM's answers are predicted from: whether kvm.ko is loaded
 * (/sys/module/kvm: a file that is not a VM is then EINVAL, else ENOPKG)
 * and, where /dev/kvm exists, /dev/kvm itself at FD_KVMDEV (not a VM:
 * EINVAL) and one VM without memslots at FD_VM, both opened before fork()
 * and never closed: on the VM every check succeeds with no finding, no
 * memslot and no address space (SPEC H4: an address space without
 * memslots is skipped). Unopened, both numbers are closed descriptors.
 */
#define FD_VM		250
#define FD_KVMDEV	251
static bool kvm_loaded, have_vm, have_kvmdev;

static void kvm_setup(void)
{
	int kfd, vfd;

	kvm_loaded = !access("/sys/module/kvm", F_OK);
	kfd = open("/dev/kvm", O_RDWR);
	if (kfd < 0)
		return;
	vfd = ioctl(kfd, KVM_CREATE_VM, 0);
	if (vfd >= 0) {
		have_vm = dup2(vfd, FD_VM) == FD_VM;
		close(vfd);
	}
	have_kvmdev = dup2(kfd, FD_KVMDEV) == FD_KVMDEV;
	close(kfd);
}

/* A CHECK_KVM vm_fd and the outcomes of its file (*m). */
static int gen_vm_fd(struct wstate *w, unsigned int *m)
{
	static const int bad_fds[] = { -1, 0x7fffffff, 100000, (int)0x80000000 };
	unsigned int not_vm = kvm_loaded ? M(INVAL) : M(NOPKG);
	struct rng *r = &w->r;
	int fd;

	switch (below(r, 7)) {
	case 0:
		*m = M(BADF);
		return bad_fds[below(r, ARRAY_SIZE(bad_fds))];
	case 1:
		*m = not_vm;	/* a memlayout file */
		return w->pfd;
	case 2:
		*m = not_vm | M(BADF);	/* the churner closes them */
		return FD_SHARED + (int)below(r, NR_SHARED);
	case 3:
	case 4:
		*m = have_vm ? M(OK) : M(BADF);
		return FD_VM;
	case 5:
		*m = have_kvmdev ? M(INVAL) : M(BADF);
		return FD_KVMDEV;
	}
	fd = (int)rnd(r);
	*m = fd < 0 || fd >= 100000 ? M(BADF) :
	     M(BADF) | not_vm | (have_vm ? M(OK) : 0);
	return fd;
}

/*
 * CHECK_KVM (SPEC H4): random and hostile commands; the errno predicted
 * in the kernel's order (flags, the pointer/count pair, the layout, the
 * VM file); on the VM, which has no memslot, the reply exactly: count 0,
 * nr_slots 0, nr_as 0, the private file's generation, nothing written.
 */
static void h_kvm(struct wstate *w, struct call *c)
{
	struct memlayout_kvm_finding *out = (void *)(w->data + D_KINDS);
	struct memlayout_check_kvm s, *o;
	struct rng *r = &w->r;
	unsigned int allow, fm;
	uint32_t cnt, pre = 0;
	void *arg;
	int e;

	memset(&s, 0, sizeof(s));
	s.flags = one_in(r, 25) ? flagbits(r) : 0;
	s.vm_fd = gen_vm_fd(w, &fm);
	cnt = pick_read_count(r);
	if (cnt > 1024 && cnt != ~0u && !one_in(r, 4))
		cnt = below(r, 64);
	s.count = cnt;
	s.findings_ptr = pick_read_ptr(w, out, sizeof(*out), cnt);
	if (one_in(r, 8)) {	/* out members: ignored on input */
		s.generation = rnd(r);
		s.nr_slots = (uint32_t)rnd(r);
		s.nr_as = (uint32_t)rnd(r);
	}
	if (in_data(w, s.findings_ptr, sizeof(*out)) && s.findings_ptr >= U64P(out)) {
		pre = cnt < 80 ? cnt + 1 : 81;
		if (pre > (U64P(w->data) + DATA_LEN - s.findings_ptr) / sizeof(*out))
			pre = (uint32_t)((U64P(w->data) + DATA_LEN - s.findings_ptr) / sizeof(*out));
		memset((void *)(uintptr_t)s.findings_ptr, SENTINEL, (size_t)pre * sizeof(*out));
	}

	c->usize = pick_usize(r, sizeof(s), &c->tail);
	arg = place_arg(w, c, &s, sizeof(s));
	allow = front(c);
	if (c->am == A_RO && c->op >= 0 && c->fdk != FDK_BOGUS)
		allow = ro_predict(w, c);
	if (c->front_ok) {
		if (s.flags)
			allow = c->b | M(NOTSUPP);
		else if (!s.findings_ptr != !cnt)
			allow = c->b | M(INVAL);
		else if (c->fdk == FDK_PRIV && !w->gen)
			allow = M(NOENT);
		else
			allow = c->b | (c->fdk == FDK_PRIV ? 0 : M(NOENT)) | fm;
	}
	e = do_ioctl(w, c, arg);
	expect(w, c, e, allow, "the VM file");
	if (c->front_ok && (e == EINVAL || e == ENOPKG) && !(fm & M(OK)))
		w->st->kvm_not_vm++;
	if (!c->front_ok || !c->argp || e)
		return;
	/* Only the VM, which has no memslot, can answer. */
	o = (struct memlayout_check_kvm *)c->argp;
	w->st->kvm_replies++;
	if (o->size != c->usize || o->flags || o->vm_fd != s.vm_fd ||
	    o->findings_ptr != s.findings_ptr || !o->generation ||
	    (c->fdk == FDK_PRIV && o->generation != w->gen) || o->count ||
	    o->nr_slots || o->nr_as)
		bad_reply(w, c, "fd %d count %u -> %u generation %llu (private %llu) nr_slots %u nr_as %u",
			  s.vm_fd, cnt, o->count, (unsigned long long)o->generation,
			  (unsigned long long)w->gen, o->nr_slots, o->nr_as);
	if (pre && !untouched((void *)(uintptr_t)s.findings_ptr, pre * sizeof(*out)))
		bad_reply(w, c, "no finding, but findings were written");
}

static void one_call(struct wstate *w)
{
	struct call c;
	uint32_t x;

	if (one_in(&w->r, 4000))
		reopen_private(w);
	memset(&c, 0, sizeof(c));
	x = below(&w->r, 100);
	c.cls = x < 7 ? C_INFO : x < 38 ? C_SET : x < 46 ? C_STATS :
		x < 56 ? C_RANGES : x < 68 ? C_PROBE : x < 76 ? C_MAP : x < 84 ? C_PLACED :
		x < 89 ? C_HOST : x < 93 ? C_KVM : C_BAD;
	pick_fd(w, &c);
	pick_cmd(w, &c);
	c.am = pick_amode(&w->r);
	switch (c.cls) {
	case C_INFO: h_info(w, &c); break;
	case C_SET: h_set(w, &c); break;
	case C_STATS: h_stats(w, &c); break;
	case C_RANGES: h_ranges(w, &c); break;
	case C_PROBE: h_probe(w, &c); break;
	case C_MAP: h_map(w, &c); break;
	case C_PLACED: h_placed(w, &c); break;
	case C_HOST: h_host(w, &c); break;
	case C_KVM: h_kvm(w, &c); break;
	default: h_bad(w, &c); break;
	}
}

#define BATCH	64

static void *worker(void *p)
{
	struct wstate *w = p;
	uint64_t base, n, i;

	if (open_at(w->pfd, O_RDWR))
		record(&w->st->setup_fail, w->st->msg_setup,
		       "open private fd %d: %s", w->pfd, strerror(errno));
	for (;;) {
		if (atomic_load(&sh->stop))
			break;
		base = atomic_fetch_add(&sh->claimed, BATCH);
		if (base >= opt_calls)
			break;
		n = opt_calls - base < BATCH ? opt_calls - base : BATCH;
		for (i = 0; i < n; i++)
			one_call(w);
		if (now_ns() > deadline_ns) {
			atomic_store(&sh->cap_hit, 1);
			atomic_store(&sh->stop, 1);
		}
	}
	close(w->pfd);
	return NULL;
}

struct churner {
	struct rng r;
	struct tstats *st;
	_Atomic int done;
};

/* Close, replace and inspect the shared descriptors under the workers. */
static void *churn(void *p)
{
	struct churner *ch = p;
	struct rng *r = &ch->r;
	char path[64], buf[4096];
	struct timespec ts;
	int fd, t;

	while (!atomic_load(&ch->done)) {
		fd = FD_SHARED + (int)below(r, NR_SHARED);
		switch (below(r, 16)) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			/* replace the file under in-flight ioctls */
			if (open_at(fd, one_in(r, 4) ? O_RDONLY : O_RDWR))
				record(&ch->st->setup_fail, ch->st->msg_setup,
				       "replace shared fd %d: %s", fd, strerror(errno));
			break;
		case 6: case 7: case 8:
			/* close: EBADF for a while, then a new file */
			close(fd);
			for (t = (int)below(r, 4000); t > 0; t--)
				__asm__ volatile("" ::: "memory");
			if (open_at(fd, O_RDWR))
				record(&ch->st->setup_fail, ch->st->msg_setup,
				       "reopen shared fd %d: %s", fd, strerror(errno));
			break;
		case 9: case 10: case 11:
			snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
			t = open(path, O_RDONLY | O_CLOEXEC);
			if (t >= 0) {
				while (read(t, buf, sizeof(buf)) > 0)
					;
				close(t);
				ch->st->fdinfo_reads++;
			}
			break;
		case 12:
			close(fd);	/* stays closed until picked again */
			break;
		case 13:
			t = open(DEV_PATH, O_RDWR | O_CLOEXEC);
			if (t >= 0)
				close(t);
			break;
		default:
			break;
		}
		ch->st->fd_ops++;
		if (one_in(r, 16)) {
			ts.tv_sec = 0;
			ts.tv_nsec = 20000 + below(r, 100000);
			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

static void *map_fixed(uint64_t addr, size_t len, int prot)
{
	void *p = mmap((void *)(uintptr_t)addr, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (p != (void *)(uintptr_t)addr) {
		munmap(p, len);
		return NULL;
	}
	return p;
}

static int child_main(unsigned int proc)
{
	static struct wstate ws[MAX_THREADS];
	pthread_t tid[MAX_THREADS], ctid;
	struct churner ch;
	unsigned int t;
	int fd;

	for (fd = FD_SHARED + NR_GLOBAL; fd < FD_SHARED + NR_SHARED; fd++)
		if (open_at(fd, O_RDWR))
			return 2;
	for (t = 0; t < opt_threads; t++) {
		struct wstate *w = &ws[t];
		uint64_t a = ARENA_BASE + t * ARENA_STRIDE;

		w->proc = (int)proc;
		w->tid = (int)t;
		w->r.s = opt_seed ^ ((uint64_t)(proc + 1) << 40) ^ ((uint64_t)(t + 1) << 20);
		w->st = &sh->t[proc][t];
		w->pfd = FD_PRIV + (int)t;
		w->arg = map_fixed(a, ARG_LEN, PROT_READ | PROT_WRITE);
		w->data = map_fixed(a + DATA_OFF, DATA_LEN, PROT_READ | PROT_WRITE);
		if (!w->arg || !w->data) {
			record(&w->st->setup_fail, w->st->msg_setup,
			       "mmap arena at %#llx: %s", (unsigned long long)a,
			       strerror(errno));
			return 2;
		}
	}
	memset(&ch, 0, sizeof(ch));
	ch.r.s = opt_seed ^ ((uint64_t)(proc + 1) << 40) ^ 0xC0FFEE;
	ch.st = &sh->t[proc][opt_threads];
	if (pthread_create(&ctid, NULL, churn, &ch))
		return 3;
	for (t = 0; t < opt_threads; t++)
		if (pthread_create(&tid[t], NULL, worker, &ws[t]))
			return 3;
	for (t = 0; t < opt_threads; t++)
		pthread_join(tid[t], NULL);
	atomic_store(&ch.done, 1);
	pthread_join(ctid, NULL);
	for (fd = FD_SHARED; fd < FD_SHARED + NR_SHARED; fd++)
		close(fd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parent                                                               */
/* ------------------------------------------------------------------ */

/* A decimal number from sysfs or debugfs (read_num(), ml_util.c). */
static int read_u64(const char *path, uint64_t *v)
{
	long long n = read_num(path);

	if (n < 0)
		return -1;
	*v = (uint64_t)n;
	return 0;
}

static int write_param(uint32_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u\n", v);
	return write_str(PARAM_PATH, buf);
}

/* Fill the read-only region with valid requests and lists, then seal it. */
static int setup_ro(void)
{
	static const mr_t ram[2] = { { 0, 2 * GiB, 0, 0 }, { 4 * GiB, 6 * GiB, 1, 0 } };
	static const mr_t mmio[2] = { { 0xC0000000ULL, 0xE0000000ULL, 0, 0 },
				      { 64 * GiB, 65 * GiB, 0, 0 } };
	static const mr_t ecam[1] = { { 0xE0000000ULL, 0xF0000000ULL, 0, 0 } };
	static const mr_t pmmio[1] = { { 0xF0000000ULL, 4 * GiB, 0, 0 } };
	static const uint64_t nodes[2] = { GiB, 512 * MiB };
	char *ro = map_fixed(RO_BASE, RO_LEN, PROT_READ | PROT_WRITE);
	struct memlayout_info *info;
	struct memlayout_set *set;
	struct memlayout_stats *st;
	struct memlayout_get_ranges *gr;
	struct memlayout_probe *pr;
	uint64_t *addrs;
	unsigned int i;

	if (!ro)
		return -1;
	memcpy(ro + RO_L_RAM, ram, sizeof(ram));
	memcpy(ro + RO_L_MMIO, mmio, sizeof(mmio));
	memcpy(ro + RO_L_ECAM, ecam, sizeof(ecam));
	memcpy(ro + RO_L_PMMIO, pmmio, sizeof(pmmio));
	memcpy(ro + RO_NODES, nodes, sizeof(nodes));
	addrs = (uint64_t *)(void *)(ro + RO_ADDRS);
	for (i = 0; i < 8; i++)
		addrs[i] = i * GiB;

	info = (void *)(ro + RO_INFO);
	info->size = sizeof(*info);
	set = (void *)(ro + RO_SET_C1);	/* valid: builds, then the reply faults */
	set->size = sizeof(*set);
	set->source = MEMLAYOUT_SOURCE_SIZE;
	set->ram_size = GiB;
	set->mmio_ptr = RO_BASE + RO_L_MMIO;
	set->nr_mmio = 2;
	set->pci_ecam_ptr = RO_BASE + RO_L_ECAM;
	set->nr_pci_ecam = 1;
	set->pci_mmio_ptr = RO_BASE + RO_L_PMMIO;
	set->nr_pci_mmio = 1;
	set = (void *)(ro + RO_SET_C3);
	set->size = sizeof(*set);
	set->flags = MEMLAYOUT_SET_VTL2;
	set->source = MEMLAYOUT_SOURCE_RANGES;
	set->ram_ptr = RO_BASE + RO_L_RAM;
	set->nr_ram = 2;
	set->mmio_ptr = RO_BASE + RO_L_MMIO;
	set->nr_mmio = 2;
	set->vtl2.start = 128 * GiB;
	set->vtl2.end = 128 * GiB + 64 * MiB;
	st = (void *)(ro + RO_STATS);
	st->size = sizeof(*st);
	gr = (void *)(ro + RO_RANGES);
	gr->size = sizeof(*gr);
	gr->list = MEMLAYOUT_LIST_RAM;
	gr->count = 4;
	gr->ranges_ptr = RO_BASE + RO_L_RAM;
	pr = (void *)(ro + RO_PROBE);
	pr->size = sizeof(*pr);
	pr->count = 4;
	pr->addrs_ptr = RO_BASE + RO_ADDRS;
	pr->kinds_ptr = RO_BASE + RO_ADDRS;
	/* C4: the q35 shape, valid: it builds, then the reply faults. */
	{
		static const preq_t q35[3] = {
			{ .place_class = MEMLAYOUT_CLASS_FIXED, .kind = MEMLAYOUT_KIND_MMIO,
			  .start = 0xFE000000ULL, .end = 4 * GiB },
			{ .place_class = MEMLAYOUT_CLASS_RAM, .size = 2 * GiB, .align = 2 * MiB },
			{ .place_class = MEMLAYOUT_CLASS_POST_MMIO, .kind = MEMLAYOUT_PLACE_VTL2,
			  .size = 2 * MiB, .align = 2 * MiB },
		};

		memcpy(ro + RO_L_PLACE, q35, sizeof(q35));
		set = (void *)(ro + RO_SET_C4);
		set->size = sizeof(*set);
		set->source = MEMLAYOUT_SOURCE_PLACE;
		set->place_ptr = RO_BASE + RO_L_PLACE;
		set->nr_place = 3;
		/* GET_PLACEMENTS: a valid read into a read-only buffer. */
		((struct memlayout_get_placements *)(void *)(ro + RO_PLACED))->size =
			sizeof(struct memlayout_get_placements);
		((struct memlayout_get_placements *)(void *)(ro + RO_PLACED))->count = 4;
		((struct memlayout_get_placements *)(void *)(ro + RO_PLACED))->entries_ptr =
			RO_BASE + RO_L_RAM;
	}
	/* CHECK_HOST: no device, no buffer; its reply cannot be written. */
	((struct memlayout_check_host *)(void *)(ro + RO_HOST))->size =
		sizeof(struct memlayout_check_host);
	/* CHECK_KVM: fd -1, no buffer; EBADF before any reply. */
	((struct memlayout_check_kvm *)(void *)(ro + RO_KVM))->size =
		sizeof(struct memlayout_check_kvm);
	((struct memlayout_check_kvm *)(void *)(ro + RO_KVM))->vm_fd = -1;
	/* GET_LAYOUT: a valid read into a read-only buffer, so EFAULT. */
	((struct memlayout_get_layout *)(void *)(ro + RO_MAP))->size =
		sizeof(struct memlayout_get_layout);
	((struct memlayout_get_layout *)(void *)(ro + RO_MAP))->count = 4;
	((struct memlayout_get_layout *)(void *)(ro + RO_MAP))->entries_ptr =
		RO_BASE + RO_L_RAM;
	return mprotect(ro, RO_LEN, PROT_READ);
}

/* A region that was mapped and is no more (and that nothing maps later). */
static int setup_unmapped(void)
{
	void *p = map_fixed(UNMAP_BASE, UNMAP_LEN, PROT_READ | PROT_WRITE);

	if (!p || munmap(p, UNMAP_LEN))
		return -1;
	/* msync() fails with ENOMEM on an unmapped range. */
	return msync((void *)(uintptr_t)UNMAP_BASE, PG, MS_ASYNC) == -1 &&
	       errno == ENOMEM ? 0 : -1;
}

/* Kernel log lines that mean trouble. */
static const char *const bad_log[] = {
	"WARNING", "BUG", "Oops", "KFENCE", "KASAN", "UBSAN",
	"general protection", "Call Trace", "soft lockup", "hung_task",
	"blocked for more than", "stall", "refcount_t", "list_add corruption",
	"list_del corruption", "page allocation failure", "memlayout",
};

static unsigned int scan_line(const char *line)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_log); i++)
		if (strstr(line, bad_log[i])) {
			diag("dmesg: %.200s", line);
			return 1;
		}
	return 0;
}

/* New /dev/kmsg records since open (the fd was positioned at the end). */
static int kmsg_scan(int fd, unsigned int *bad, unsigned int *lines)
{
	char buf[8192], *msg, *nl;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0) {
			if (errno == EPIPE || errno == EINTR)
				continue;	/* overwritten records: go on */
			return errno == EAGAIN ? 0 : -1;
		}
		if (!n)
			return 0;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		msg = msg ? msg + 1 : buf;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		(*lines)++;
		*bad += scan_line(msg);
	}
}

/* Fallback: the syslog(2) buffer, after the text it held before. */
static char *klog_all(void)
{
	int size = klogctl(10, NULL, 0), n;	/* SYSLOG_ACTION_SIZE_BUFFER */
	char *buf;

	if (size <= 0)
		size = 1 << 20;
	buf = calloc(1, (size_t)size + 1);
	if (!buf)
		return NULL;
	n = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static unsigned int klog_scan_new(const char *before, const char *after)
{
	const char *p = after, *tail;
	char line[512];
	unsigned int bad = 0;
	size_t blen = strlen(before), i;

	if (blen > 256) {	/* resume after the last text seen before */
		tail = strstr(after, before + blen - 256);
		if (tail)
			p = tail + 256;
	} else if (blen && !strncmp(after, before, blen)) {
		p = after + blen;
	}
	while (*p) {
		for (i = 0; p[i] && p[i] != '\n' && i < sizeof(line) - 1; i++)
			line[i] = p[i];
		line[i] = '\0';
		bad += scan_line(line);
		p += i;
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return bad;
}


static void usage(void)
{
	fprintf(stderr, "usage: ioctl_fuzz [--calls N] [--seconds S] [--seed X] [--procs P] [--threads T] [--no-param]\n");
	exit(2);
}

static const char *sig_or_status(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	return buf;
}

int main(int argc, char **argv)
{
	static const uint32_t small_limits[] = { 1, 2, 3, 8, 64 };
	uint64_t live0 = 0, open0 = 0, live1 = 0, open1 = 0, t0, t1, total = 0;
	pid_t pids[MAX_PROCS];
	int status[MAX_PROCS], kmsg, fd, i;
	bool exited[MAX_PROCS], workers_ok = true, param_ok = true;
	unsigned int p, t, alive, bad_log_lines = 0, log_lines = 0;
	uint64_t hist[NBUCKET] = { 0 }, cls_calls[NCLS] = { 0 }, cls_ok[NCLS] = { 0 };
	uint64_t unexpected = 0, mispredict = 0, badreply = 0, setup_fail = 0;
	uint64_t fd_ops = 0, fdinfo_reads = 0, private_sets = 0, private_checks = 0;
	uint64_t dry_runs = 0, place_sets = 0, placed_reads = 0, placed_checked = 0;
	uint64_t host_replies = 0, host_checked = 0, host_conflicts = 0, host_device_errors = 0;
	uint64_t kvm_replies = 0, kvm_not_vm = 0;
	uint64_t orig_limit = 0, v;
	char *klog_before = NULL, sbuf[64];
	bool have_param, seed_given = false, log_ok = true;
	struct memlayout_info info;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			opt_calls = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			opt_seconds = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			opt_seed = strtoull(argv[++i], NULL, 0);
			seed_given = true;
		} else if (!strcmp(argv[i], "--procs") && i + 1 < argc)
			opt_procs = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			opt_threads = (unsigned int)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--no-param"))
			opt_param = false;
		else
			usage();
	}
	if (!opt_procs || opt_procs > MAX_PROCS || !opt_threads ||
	    opt_threads > MAX_THREADS || !opt_seconds)
		usage();
	if (!seed_given)
		opt_seed = now_ns() ^ ((uint64_t)getpid() << 32);

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(NR_RESULTS);
	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		ksft_exit_fail_msg("ioctl_fuzz: open %s: %s\n", DEV_PATH, strerror(errno));
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(fd, MEMLAYOUT_IOC_GET_INFO, &info))
		ksft_exit_fail_msg("ioctl_fuzz: GET_INFO: %s\n", strerror(errno));
	close(fd);
	max_ranges = info.max_ranges;
	have_param = !read_u64(PARAM_PATH, &orig_limit);
	if (read_u64(DEBUGFS_DIR "live_layouts", &live0) ||
	    read_u64(DEBUGFS_DIR "open_files", &open0))
		ksft_exit_fail_msg("ioctl_fuzz: cannot read %s\n", DEBUGFS_DIR);
	note("ioctl_fuzz: seed %#llx, %llu calls, %u processes x %u threads (+1 fd churner each), time cap %u s, max_ranges %u%s",
	     (unsigned long long)opt_seed, (unsigned long long)opt_calls, opt_procs,
	     opt_threads, opt_seconds, max_ranges,
	     opt_param && have_param ? ", max_ranges churned" : "");
	note("ioctl_fuzz: before: live_layouts %llu, open_files %llu",
	     (unsigned long long)live0, (unsigned long long)open0);

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0 && lseek(kmsg, 0, SEEK_END) < 0) {
		close(kmsg);
		kmsg = -1;
	}
	if (kmsg < 0)
		klog_before = klog_all();

	host_setup();
	kvm_setup();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || setup_ro() || setup_unmapped()) {
		ksft_exit_fail_msg("ioctl_fuzz: setting up memory: %s\n", strerror(errno));
	}
	for (fd = FD_SHARED; fd < FD_SHARED + NR_GLOBAL; fd++)
		if (open_at(fd, O_RDWR)) {
			ksft_exit_fail_msg("ioctl_fuzz: open %s at fd %d: %s\n",
					   DEV_PATH, fd, strerror(errno));
		}

	t0 = now_ns();
	deadline_ns = t0 + (uint64_t)opt_seconds * 1000000000ULL;
	fflush(stdout);
	for (p = 0; p < opt_procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			note("ioctl_fuzz: fork: %s", strerror(errno));
			atomic_store(&sh->stop, 1);
			opt_procs = p;
			workers_ok = false;
			break;
		}
		if (!pids[p]) {
			if (kmsg >= 0)
				close(kmsg);
			_exit(child_main(p));
		}
		exited[p] = false;
	}
	/* The children hold the shared files now. */
	for (fd = FD_SHARED; fd < FD_SHARED + NR_GLOBAL; fd++)
		close(fd);

	/* Wait, lowering max_ranges now and then; kill hung children. */
	{
		struct rng r = { opt_seed ^ 0x5eed };
		bool lowered = false, killed = false;
		uint64_t kill_at = deadline_ns + 60000000000ULL;
		struct timespec ts = { 0, 25000000 };

		for (alive = opt_procs; alive;) {
			for (p = 0; p < opt_procs; p++) {
				if (exited[p])
					continue;
				if (waitpid(pids[p], &status[p], WNOHANG) == pids[p]) {
					exited[p] = true;
					alive--;
				}
			}
			if (!alive)
				break;
			if (opt_param && have_param) {
				if (!lowered && one_in(&r, 10)) {
					lowered = !write_param(small_limits[below(&r, ARRAY_SIZE(small_limits))]);
				} else if (lowered) {
					if (write_param((uint32_t)orig_limit))
						param_ok = false;
					lowered = false;
				}
			}
			if (now_ns() > deadline_ns)
				atomic_store(&sh->stop, 1);
			if (now_ns() > kill_at && !killed) {
				diag("worker processes hung: killing them");
				for (p = 0; p < opt_procs; p++)
					if (!exited[p])
						kill(pids[p], SIGKILL);
				killed = true;
				kill_at += 10000000000ULL;
			} else if (killed && now_ns() > kill_at) {
				diag("worker processes do not die");
				workers_ok = false;
				break;
			}
			nanosleep(&ts, NULL);
		}
		if (opt_param && have_param &&
		    (write_param((uint32_t)orig_limit) || read_u64(PARAM_PATH, &v) ||
		     v != orig_limit))
			param_ok = false;
	}
	t1 = now_ns();

	for (p = 0; p < opt_procs; p++) {
		if (!exited[p]) {
			workers_ok = false;
			continue;
		}
		if (!WIFEXITED(status[p]) || WEXITSTATUS(status[p])) {
			diag("process %u: %s", p, sig_or_status(status[p], sbuf, sizeof(sbuf)));
			workers_ok = false;
		}
		for (t = 0; t <= opt_threads; t++) {
			struct tstats *s = &sh->t[p][t];
			int b, c;

			total += s->calls;
			for (b = 0; b < NBUCKET; b++)
				hist[b] += s->hist[b];
			for (c = 0; c < NCLS; c++) {
				cls_calls[c] += s->cls_calls[c];
				cls_ok[c] += s->cls_ok[c];
			}
			unexpected += s->unexpected;
			mispredict += s->mispredict;
			badreply += s->badreply;
			setup_fail += s->setup_fail;
			fd_ops += s->fd_ops;
			fdinfo_reads += s->fdinfo_reads;
			private_sets += s->private_sets;
			private_checks += s->private_checks;
			dry_runs += s->dry_runs;
			place_sets += s->place_sets;
			placed_reads += s->placed_reads;
			placed_checked += s->placed_checked;
			host_replies += s->host_replies;
			host_checked += s->host_checked;
			host_conflicts += s->host_conflicts;
			host_device_errors += s->host_device_errors;
			kvm_replies += s->kvm_replies;
			kvm_not_vm += s->kvm_not_vm;
		}
	}

	note("calls: %llu", (unsigned long long)total);
	note("elapsed: %.1f s (%.0f calls/s)%s", (double)(t1 - t0) / 1e9,
	     (double)total * 1e9 / (double)(t1 - t0 ? t1 - t0 : 1),
	     atomic_load(&sh->cap_hit) ? " - TIME CAP HIT" : "");
	if (atomic_load(&sh->cap_hit))
		note("time cap of %u s hit after %llu calls", opt_seconds,
		     (unsigned long long)total);
	for (i = 0; i < NBUCKET; i++) {
		char en[32];

		if (hist[i])
			note("errno %s: %llu",
			     i == 256 ? "POSITIVE" : i == 257 ? "E>=256" : errname(i, en, sizeof(en)),
			     (unsigned long long)hist[i]);
	}
	for (i = 0; i < NCLS; i++)
		note("cmd %s: %llu calls, %llu succeeded", cls_name[i],
		     (unsigned long long)cls_calls[i], (unsigned long long)cls_ok[i]);
	note("fd churn: %llu operations, %llu fdinfo reads; private files: %llu layouts set, %llu replies checked against their request",
	     (unsigned long long)fd_ops, (unsigned long long)fdinfo_reads,
	     (unsigned long long)private_sets, (unsigned long long)private_checks);
	note("SET_LAYOUT dry runs accepted: %llu", (unsigned long long)dry_runs);
	note("C4: %llu placements set; GET_PLACEMENTS: %llu replies checked, %llu against the request array and GET_LAYOUT",
	     (unsigned long long)place_sets, (unsigned long long)placed_reads,
	     (unsigned long long)placed_checked);

	note("CHECK_HOST: CPU width %u bits, %u PCI devices (%u with an IOMMU); %llu replies checked, %llu of them against the private layout's H1 conflicts (%llu conflicts); %llu device errors at the predicted index",
	     host_bits, nr_pci, nr_pci_iommu, (unsigned long long)host_replies,
	     (unsigned long long)host_checked, (unsigned long long)host_conflicts,
	     (unsigned long long)host_device_errors);

	note("CHECK_KVM: KVM %s, /dev/kvm %s, a VM %s; %llu replies of the VM checked (no finding), %llu files that are not a VM answered %s",
	     kvm_loaded ? "loaded" : "not loaded", have_kvmdev ? "open" : "absent",
	     have_vm ? "created" : "not created", (unsigned long long)kvm_replies,
	     (unsigned long long)kvm_not_vm, kvm_loaded ? "EINVAL" : "ENOPKG");

	tap(total >= opt_calls, "ioctl_fuzz: %llu ioctls issued (%llu requested)",
	    (unsigned long long)total, (unsigned long long)opt_calls);

	for (p = 0; p < opt_procs; p++)
		for (t = 0; t <= opt_threads; t++)
			if (sh->t[p][t].unexpected)
				diag("process %u thread %u: %llu, first: %s", p, t,
				     (unsigned long long)sh->t[p][t].unexpected,
				     sh->t[p][t].msg_unexpected);
	tap(!unexpected, "ioctl_fuzz: no errno outside the documented set (%llu outside)",
	    (unsigned long long)unexpected);

	for (p = 0; p < opt_procs; p++)
		for (t = 0; t <= opt_threads; t++)
			if (sh->t[p][t].mispredict)
				diag("process %u thread %u: %llu, first: %s", p, t,
				     (unsigned long long)sh->t[p][t].mispredict,
				     sh->t[p][t].msg_mispredict);
	tap(!mispredict, "ioctl_fuzz: every errno is the one the interface predicts (%llu differ)",
	    (unsigned long long)mispredict);

	for (p = 0; p < opt_procs; p++)
		for (t = 0; t <= opt_threads; t++)
			if (sh->t[p][t].badreply)
				diag("process %u thread %u: %llu, first: %s", p, t,
				     (unsigned long long)sh->t[p][t].badreply,
				     sh->t[p][t].msg_badreply);
	tap(!badreply, "ioctl_fuzz: replies consistent with errno, request and interface (%llu not)",
	    (unsigned long long)badreply);

	for (p = 0; p < opt_procs; p++)
		for (t = 0; t <= opt_threads; t++)
			if (sh->t[p][t].setup_fail)
				diag("process %u thread %u: %s", p, t, sh->t[p][t].msg_setup);
	tap(workers_ok && !setup_fail, "ioctl_fuzz: worker processes ran and exited cleanly");

	if (opt_param && have_param)
		tap(param_ok, "ioctl_fuzz: max_ranges parameter restored to %llu",
		    (unsigned long long)orig_limit);
	else
		tap_skip(have_param ? "--no-param" : "no " PARAM_PATH,
			 "ioctl_fuzz: max_ranges parameter restored");

	/* Freed layouts wait for an RCU grace period: poll up to ~3 s. */
	for (i = 0; i < 60; i++) {
		if (read_u64(DEBUGFS_DIR "live_layouts", &live1) ||
		    read_u64(DEBUGFS_DIR "open_files", &open1))
			break;
		if (live1 == live0 && open1 == open0)
			break;
		usleep(50000);
	}
	tap(live1 == live0, "ioctl_fuzz: debugfs live_layouts back to %llu (is %llu)",
	    (unsigned long long)live0, (unsigned long long)live1);
	tap(open1 == open0, "ioctl_fuzz: debugfs open_files back to %llu (is %llu)",
	    (unsigned long long)open0, (unsigned long long)open1);

	if (kmsg >= 0) {
		if (kmsg_scan(kmsg, &bad_log_lines, &log_lines))
			log_ok = false;
		close(kmsg);
	} else if (klog_before) {
		char *after = klog_all();

		if (after)
			bad_log_lines = klog_scan_new(klog_before, after);
		else
			log_ok = false;
		free(after);
		free(klog_before);
	} else {
		log_ok = false;
	}
	if (log_ok)
		tap(!bad_log_lines, "ioctl_fuzz: kernel log free of WARN/BUG/Oops/KFENCE/... (%u new lines, %u bad)",
		    log_lines, bad_log_lines);
	else
		tap(false, "ioctl_fuzz: kernel log readable");

	ksft_finished();
}
