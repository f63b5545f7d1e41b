/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ml_test.h - shared by the guest test programs of tests/vm/.
 *
 * The programs run as root inside the test guest (tests/vm/init.sh, packed
 * by scripts/vmtest.sh) with memlayout.ko loaded, each once as a static
 * 64-bit binary and once as a static 32-bit one (every ioctl then goes
 * through compat_ioctl). Each *_test.c is a kselftest harness program
 * (tools/testing/selftests/kselftest_harness.h of the kernel source):
 *
 *   examples_test    device node, GET_INFO, empty file, the SPEC's examples,
 *                    random valid layouts, the model's self-check
 *   queries_test     GET_RANGES, GET_STATS and PROBE arguments, ENOTTY
 *   rejections_test  every bad-input class of SET_LAYOUT, random rejections
 *   limits_test      R8 and max_ranges, the size member (framing)
 *   race_test        readers and writers on one file
 *   uffd_test        no lock held across user memory (userfaultfd)
 *   lifetime_test    fdinfo, many files, leaks, debugfs counters
 *   enomem_test      -ENOMEM under a memory cgroup limit
 *   snapshot_test    GET_LAYOUT, covering ranges, dry run, fingerprints
 *   place_test       SET_LAYOUT with C4 placement, GET_PLACEMENTS
 *   view_test        the shared view (SPEC V1-V3): equal to the ioctls,
 *                    readers in three processes during replacements,
 *                    refused mappings, mprotect, mremap, munmap, close
 *
 * answers.c dumps canonical answers (init.sh compares the 64-bit and the
 * 32-bit output) and bench.c times PROBE and the view; neither is
 * pass/fail. view_test and bench are also linked with libmemlayout (the
 * view's reader protocol is its memlayout_view_probe()).
 *
 * ml_util.c holds the ioctl wrappers and the comparisons, ml_model.c an
 * independent userspace model of the SPEC (model_build(),
 * model_validate()), the SPEC's examples and the random request
 * generator. Checks cite the SPEC rule (R1..R8, C1..C4, P1..P4, Q1..Q9, D1..D8)
 * or the UAPI header's clause they exercise.
 *
 * scripts/vmtest.sh builds each C file of tests/vm but these shared ones as
 * a program of its own, linked with ml_util.c and ml_model.c, with
 * -I <linux-source>/tools/testing/selftests, 64- and 32-bit.
 *
 * This header does not include kselftest_harness.h (which defines
 * functions, so only a program's own file includes it); the CHECK() and
 * RAW_REJECT() macros below expand to the harness's EXPECT_TRUE() there.
 */
#ifndef MEMLAYOUT_ML_TEST_H
#define MEMLAYOUT_ML_TEST_H

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include <linux/memlayout.h>

#include "ml_sysfs.h"

#define DEV_PATH	"/dev/memlayout"
#define PARAM_PATH	"/sys/module/memlayout/parameters/max_ranges"
#define DEBUGFS_DIR	"/sys/kernel/debug/memlayout/"

#define PG	4096ULL
#define KiB	1024ULL
#define MiB	(1024ULL * KiB)
#define GiB	(1024ULL * MiB)
#define TiB	(1024ULL * GiB)
#define MAXA	((uint64_t)MEMLAYOUT_MAX_ADDRESS)
#define G4	(4 * GiB)

#define K_NONE	MEMLAYOUT_KIND_NONE
#define K_RAM	MEMLAYOUT_KIND_RAM
#define K_MMIO	MEMLAYOUT_KIND_MMIO
#define K_ECAM	MEMLAYOUT_KIND_PCI_ECAM
#define K_PMMIO	MEMLAYOUT_KIND_PCI_MMIO

#define L_NONE	MEMLAYOUT_LIST_NONE
#define L_RAM	MEMLAYOUT_LIST_RAM
#define L_MMIO	MEMLAYOUT_LIST_MMIO
#define L_ECAM	MEMLAYOUT_LIST_PCI_ECAM
#define L_PMMIO	MEMLAYOUT_LIST_PCI_MMIO
#define L_VTL2	MEMLAYOUT_LIST_VTL2
#define L_NODES	MEMLAYOUT_LIST_NODES
#define L_PLACE	MEMLAYOUT_LIST_PLACE

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define U64P(p)		((uint64_t)(uintptr_t)(p))

typedef struct memlayout_range mr_t;

/* ------------------------------------------------------------------ */
/* Layout requests                                                      */
/* ------------------------------------------------------------------ */

/**
 * struct lay - one SET_LAYOUT request, as lists (turned into a
 * struct memlayout_set by mkset()).
 */
struct lay {
	uint32_t source;
	uint64_t ram_size;
	const uint64_t *nodes;
	uint32_t nr_nodes;
	const mr_t *ram, *mmio, *ecam, *pmmio;
	uint32_t nr_ram, nr_mmio, nr_ecam, nr_pmmio;
	bool has_vtl2;
	mr_t vtl2;
};

#define R(a, b)		{ (a), (b), 0, 0 }
#define RV(a, b, v)	{ (a), (b), (v), 0 }
#define NR_R(...)	((uint32_t)(sizeof((mr_t[]){ __VA_ARGS__ }) / sizeof(mr_t)))
#define NR_U64(...)	((uint32_t)(sizeof((uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)))

#define C1(sz)		.source = MEMLAYOUT_SOURCE_SIZE, .ram_size = (sz)
#define C2(...)		.source = MEMLAYOUT_SOURCE_NODES, \
			.nodes = (uint64_t[]){ __VA_ARGS__ }, .nr_nodes = NR_U64(__VA_ARGS__)
#define C3(...)		.source = MEMLAYOUT_SOURCE_RANGES, \
			.ram = (mr_t[]){ __VA_ARGS__ }, .nr_ram = NR_R(__VA_ARGS__)
#define C3_NORAM	.source = MEMLAYOUT_SOURCE_RANGES
#define MMIO(...)	.mmio = (mr_t[]){ __VA_ARGS__ }, .nr_mmio = NR_R(__VA_ARGS__)
#define ECAM(...)	.ecam = (mr_t[]){ __VA_ARGS__ }, .nr_ecam = NR_R(__VA_ARGS__)
#define PMMIO(...)	.pmmio = (mr_t[]){ __VA_ARGS__ }, .nr_pmmio = NR_R(__VA_ARGS__)
#define VTL2(a, b)	.has_vtl2 = true, .vtl2 = R((a), (b))

#define PAGE_RW		(pages)
#define PAGE_NONE	(pages + PG)
#define PAGE_RO		(pages + 2 * PG)

#define STAT_FIELDS(X) X(present) X(nr_ram) X(nr_mmio) X(nr_pci_ecam) \
	X(nr_pci_mmio) X(reserved) X(generation) X(ram_size) X(end_of_ram) \
	X(ram_below_4gb) X(ram_above_4gb) X(max_ram_below_4gb) \
	X(ram_above_high_mmio) X(end_of_layout) X(vtl2_start) X(vtl2_end)

struct pk {
	uint64_t a;
	uint32_t k;
};

#define SNAP_N 48

struct snap {
	int stats_err, probe_err;
	struct memlayout_stats st;
	uint64_t probe_gen;
	uint32_t kinds[SNAP_N];
};

#define MODEL_MAX 1024

struct ent {
	uint64_t start, end;
	uint32_t vnode, kind;
};

struct model {
	uint32_t n;
	struct ent e[MODEL_MAX];
	bool has_vtl2;
	mr_t vtl2;
	struct memlayout_stats st;	/* expected, generation 0 */
	uint8_t fp[MEMLAYOUT_FINGERPRINT_SIZE];	/* F1, from e[] and vtl2 */
};

struct example {
	const char *name;
	struct lay l;
	/* expected RAM list (hand-written) */
	uint32_t nr_ram;
	mr_t ram[10];
	/* expected stats, generation filled in at run time */
	struct memlayout_stats st;
	uint32_t nr_pk;
	struct pk pk[24];
};

#define ST(pres, nr, nm, ne, np, rs, eor, b4, a4, mb4, ahm, eol, vs, ve) \
	{ .size = sizeof(struct memlayout_stats), .present = (pres), .nr_ram = (nr), \
	  .nr_mmio = (nm), .nr_pci_ecam = (ne), .nr_pci_mmio = (np), .ram_size = (rs), \
	  .end_of_ram = (eor), .ram_below_4gb = (b4), .ram_above_4gb = (a4), \
	  .max_ram_below_4gb = (mb4), .ram_above_high_mmio = (ahm), \
	  .end_of_layout = (eol), .vtl2_start = (vs), .vtl2_end = (ve) }

#define P_V2	MEMLAYOUT_STATS_VTL2
#define P_MB	MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB
#define P_HM	MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO

struct rlay {
	struct lay l;
	uint64_t unit;
	uint64_t nodes[8];
	mr_t ram[64], mmio[40], ecam[40], pmmio[40];
};

/*
 * The documented validation order (Documentation/memlayout.rst, "Order of
 * the checks") applied to any request with small counts: the errno and
 * reason SET_LAYOUT must give, 0 when the request is valid.
 */
struct verdict {
	int err;
	uint32_t rule, list, index, olist, oindex;
};

extern uint64_t rng_state;
extern unsigned char *pages;
extern long long base_live, base_open;
extern const mr_t ex5_ram[3], ex5_mmio[1], ex5_ecam[1], ex5_pmmio[2];
extern const struct lay ex5;
extern const struct example examples[];
extern const unsigned int nr_examples;
extern int diag_muted;

__attribute__((format(printf, 1, 2))) void diag(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...);
const char *errname(int e);
const char *kindname(uint32_t k);
const char *listname(uint32_t l);
const char *rulename(uint32_t r);
int xioctl(int fd, unsigned long cmd, void *arg);
bool eq64(const char *what, uint64_t got, uint64_t exp);
bool eqerr(const char *what, int got, int exp);
double now_s(void);
int open_dev(void);
int open_ex5(uint64_t *gen);
uint64_t rnd(void);
uint64_t rndn(uint64_t n);
int set_max_ranges(long long v);
void setup_pages(void);
void *ro_copy(const void *src, size_t len);
int do_set(int fd, struct memlayout_set *s);
int set_lay(int fd, const struct lay *l, uint64_t *gen);
int get_stats(int fd, struct memlayout_stats *st);
int get_ranges(int fd, uint32_t list, mr_t *buf, uint32_t cap, uint32_t *count, uint64_t *gen);
int probe(int fd, const uint64_t *addrs, uint32_t *kinds, uint32_t n, uint64_t *gen);
bool stats_equal(const struct memlayout_stats *got, const struct memlayout_stats *exp);
bool check_stats(int fd, const struct memlayout_stats *exp);
bool check_list(int fd, uint32_t list, const mr_t *exp, uint32_t n, uint64_t gen);
bool check_probes(int fd, const struct pk *pk, uint32_t n, uint64_t gen);
bool check_model(int fd, const struct lay *l, uint64_t gen);
void take_snap(int fd, struct snap *s);
bool snap_same(int fd, const struct snap *before);
bool rej_reason(int fd, struct memlayout_set *s, int err, const struct memlayout_reason *w,
		const char *what);
__attribute__((format(printf, 5, 6)))
bool raw_rej(int fd, unsigned long cmd, void *arg, int err, const char *fmt, ...);
bool debugfs_ok(void);
long long wait_counter(const char *name, long long want, double secs, double *took);
bool read_fdinfo(int fd, char *out, size_t len);
const char *kx(uint64_t v);
void fdinfo_expect(const struct lay *l, uint64_t gen, char *out, size_t len);
bool check_fdinfo(int fd, const struct lay *l, uint64_t gen);
struct memlayout_set mkset(const struct lay *l);
void model_build(const struct lay *l, struct model *m);
uint32_t model_probe(const struct model *m, uint64_t a);
struct memlayout_probe_range model_covering(const struct model *m, uint64_t a);
void model_sha256(const void *data, size_t len, uint8_t out[32]);
const char *fphex(const uint8_t *fp);
int get_layout(int fd, struct memlayout_map_entry *buf, uint32_t cap, uint32_t *count,
	       struct memlayout_stats *st, uint64_t *gen, uint8_t *fp);
int get_placements(int fd, struct memlayout_placed *buf, uint32_t cap, uint32_t *count,
		   uint64_t *gen);
int probe_ranges(int fd, const uint64_t *addrs, uint32_t *kinds,
		 struct memlayout_probe_range *ranges, uint32_t n, uint64_t *gen);
uint32_t model_list(const struct model *m, uint32_t list, mr_t *out);
uint32_t model_edges(const struct model *m, uint64_t *a, uint32_t max);
void random_lay(struct rlay *r);
struct verdict model_validate(const struct lay *l);
void mutate(struct rlay *r);

/* In a harness TEST: one check, described by a printf format. */
#define CHECK(ok, ...) do { EXPECT_TRUE(ok) TH_LOG(__VA_ARGS__); } while (0)
/* In a harness TEST: raw_rej() as one check. */
#define RAW_REJECT(...) do { EXPECT_TRUE(raw_rej(__VA_ARGS__)); } while (0)

#endif /* MEMLAYOUT_ML_TEST_H */
