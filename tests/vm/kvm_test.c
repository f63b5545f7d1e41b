// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_test - MEMLAYOUT_IOC_CHECK_KVM (SPEC H4) against real KVM VMs.
 *
 * scripts/vmtest.sh runs it in the host-fit guest (q35, "-cpu max": QEMU's
 * TCG implements AMD SVM there), where init.sh loads Debian's own kvm.ko
 * and kvm-amd.ko. The test creates VMs (KVM_CREATE_VM; no vCPU ever runs),
 * sets memslots with KVM_SET_USER_MEMORY_REGION, sets layouts on
 * /dev/memlayout and computes every finding independently (expect():
 * from the layout as GET_RANGES gives it and the memslots it set itself),
 * in the documented order (include/uapi/linux/memlayout.h, "DOC: KVM
 * audit"); the ioctl's answer must be exactly that list.
 *
 * Memslots need host virtual memory but never real memory here: they all
 * share one anonymous MAP_NORESERVE mapping (KVM requires only the guest
 * ranges of one address space to be disjoint, and nothing is touched
 * without a vCPU). A 32-bit build cannot map more than a few GiB, so a
 * slot larger than the mapping is set as several adjacent slots, which
 * expect() knows like any other.
 *
 * "kvm_not_loaded" needs KVM absent (init.sh runs it alone, with -t,
 * before loading KVM and after unloading it); every other test needs
 * /dev/kvm (init.sh runs them with -T kvm_not_loaded). Each SKIPs
 * otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/kvm.h>

#include "kselftest_harness.h"
#include "ml_test.h"

#define MAX_SLOTS	128
#define MAX_FIND	256
#define MAX_LR		64

/* The host memory every memslot maps (see the file's comment). */
#if UINTPTR_MAX > 0xffffffffUL
#define BACK_SIZE	(64 * GiB)
#else
#define BACK_SIZE	(3 * GiB)
#endif

static void *back;

/* One memslot as the test set it. */
struct slot {
	uint32_t as, id, flags;
	uint64_t start, end;
};

/* A VM and the memslots the test set in it. */
struct vm {
	int fd;
	uint32_t nr, next_id;
	struct slot s[MAX_SLOTS];
};

/* The layout of a file: every range GET_RANGES gives, with its list. */
struct lrange {
	uint32_t list, index;
	uint64_t start, end;
};

static struct lrange lr[MAX_LR];
static unsigned int nr_lr;

static bool kvm_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/kvm", &st);
}

static int kvm_dev(void)
{
	return open("/dev/kvm", O_RDWR | O_CLOEXEC);
}

/* The host mapping every slot uses; false when it cannot be had. */
static bool backing(void)
{
	if (back)
		return true;
	back = mmap(NULL, BACK_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (back == MAP_FAILED) {
		diag("mmap of %llu MiB (MAP_NORESERVE) failed: %s",
		     (unsigned long long)(BACK_SIZE / MiB), strerror(errno));
		back = NULL;
		return false;
	}
	return true;
}

static int vm_create(struct vm *v)
{
	int kvm = kvm_dev();

	memset(v, 0, sizeof(*v));
	v->fd = -1;
	if (kvm < 0)
		return -errno;
	v->fd = ioctl(kvm, KVM_CREATE_VM, 0);
	close(kvm);
	return v->fd < 0 ? -errno : 0;
}

static int vm_cap(int fd, long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

/* KVM_SET_USER_MEMORY_REGION of one slot; size 0 deletes it. */
static int set_region(int fd, uint32_t as, uint32_t id, uint64_t start, uint64_t size,
		      uint32_t flags)
{
	struct kvm_userspace_memory_region m = {
		.slot = id | as << 16, .flags = flags, .guest_phys_addr = start,
		.memory_size = size, .userspace_addr = size ? U64P(back) : 0,
	};

	return ioctl(fd, KVM_SET_USER_MEMORY_REGION, &m) < 0 ? -errno : 0;
}

/*
 * [start, end) in address space @as as one memslot, or as adjacent ones
 * of at most BACK_SIZE each; recorded in @v. 0 or KVM's -errno.
 */
static int add(struct vm *v, uint32_t as, uint64_t start, uint64_t end, uint32_t flags)
{
	while (start < end) {
		uint64_t e = end - start > BACK_SIZE ? start + BACK_SIZE : end;
		int r;

		if (v->nr == MAX_SLOTS)
			return -ENOSPC;
		r = set_region(v->fd, as, v->next_id, start, e - start, flags);
		if (r) {
			diag("KVM_SET_USER_MEMORY_REGION as %u id %u [%#llx, %#llx) flags %#x: %s",
			     as, v->next_id, (unsigned long long)start, (unsigned long long)e,
			     flags, errname(r));
			return r;
		}
		v->s[v->nr++] = (struct slot){ as, v->next_id++, flags, start, e };
		start = e;
	}
	return 0;
}

/* Deletes slot number @i of @v (KVM: memory_size 0). */
static int del(struct vm *v, uint32_t i)
{
	int r = set_region(v->fd, v->s[i].as, v->s[i].id, v->s[i].start, 0, 0);

	if (!r)
		v->s[i] = v->s[--v->nr];
	return r;
}

static void vm_close(struct vm *v)
{
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

/* The file's layout: RAM, MMIO, PCI ECAM, PCI MMIO and VTL2. */
static bool read_layout(int fd)
{
	static const uint32_t lists[] = { L_RAM, L_MMIO, L_ECAM, L_PMMIO, L_VTL2 };
	mr_t buf[MAX_LR];
	unsigned int i, j;
	uint32_t n;

	nr_lr = 0;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		if (get_ranges(fd, lists[i], buf, MAX_LR - nr_lr, &n, NULL)) {
			diag("GET_RANGES list %u failed", lists[i]);
			return false;
		}
		for (j = 0; j < n; j++)
			lr[nr_lr++] = (struct lrange){ lists[i], j, buf[j].start, buf[j].end };
	}
	return true;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void fnd(struct memlayout_kvm_finding *f, unsigned int *n, uint32_t kind,
		const struct lrange *r, const struct slot *s, uint32_t as, uint64_t a,
		uint64_t b)
{
	if (*n < MAX_FIND)
		f[*n] = (struct memlayout_kvm_finding){
			.kind = kind, .list = r ? r->list : L_NONE, .index = r ? r->index : 0,
			.as_id = as, .start = a, .end = b,
			.range_start = r ? r->start : 0, .range_end = r ? r->end : 0,
			.slot_start = s ? s->start : 0, .slot_end = s ? s->end : 0,
			.slot_id = s ? s->id : MEMLAYOUT_KVM_NO_SLOT,
			.slot_flags = s ? s->flags : 0,
		};
	(*n)++;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_lr(const void *a, const void *b)
{
	const struct lrange *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_find(const void *a, const void *b)
{
	const struct memlayout_kvm_finding *x = a, *y = b;

	if (x->as_id != y->as_id)
		return x->as_id < y->as_id ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Every finding of the current layout (read_layout()) against the
 * memslots of @v, as SPEC H4 and the UAPI header define them, address
 * space by address space (only those holding a slot), in address order.
 * *@nr_as: address spaces with a slot.
 */
static unsigned int expect(const struct vm *v, struct memlayout_kvm_finding *f,
			   uint32_t *nr_as)
{
	struct slot s[MAX_SLOTS];
	struct lrange l[MAX_LR];
	unsigned int n = 0, i, j, k, ns;
	uint32_t as;

	memcpy(l, lr, nr_lr * sizeof(l[0]));
	qsort(l, nr_lr, sizeof(l[0]), cmp_lr);
	*nr_as = 0;
	for (as = 0; as < 2; as++) {
		for (ns = 0, i = 0; i < v->nr; i++)
			if (v->s[i].as == as)
				s[ns++] = v->s[i];
		if (!ns)
			continue;
		(*nr_as)++;
		qsort(s, ns, sizeof(s[0]), cmp_slot);
		for (i = 0; i < nr_lr; i++) {
			uint64_t at = l[i].start;

			if (l[i].list == L_VTL2)
				continue;
			for (j = 0; j < ns; j++) {
				uint64_t a = max64(l[i].start, s[j].start);
				uint64_t b = min64(l[i].end, s[j].end);

				if (a >= b)
					continue;
				if (l[i].list != L_RAM) {
					fnd(f, &n, MEMLAYOUT_KVM_OVER_HOLE, &l[i], &s[j], as, a, b);
					continue;
				}
				if (a > at)
					fnd(f, &n, MEMLAYOUT_KVM_UNBACKED, &l[i], NULL, as, at, a);
				if (s[j].flags & KVM_MEM_READONLY)
					fnd(f, &n, MEMLAYOUT_KVM_READONLY, &l[i], &s[j], as, a, b);
				at = b;
			}
			if (l[i].list == L_RAM && at < l[i].end)
				fnd(f, &n, MEMLAYOUT_KVM_UNBACKED, &l[i], NULL, as, at, l[i].end);
		}
		/* The bytes of each slot in no range (VTL2 counts as inside). */
		for (j = 0; j < ns; j++) {
			uint64_t at = s[j].start;

			for (k = 0; k < nr_lr && at < s[j].end; k++) {
				if (l[k].end <= at)
					continue;
				if (l[k].start >= s[j].end)
					break;
				if (l[k].start > at)
					fnd(f, &n, MEMLAYOUT_KVM_OUTSIDE, NULL, &s[j], as, at,
					    l[k].start);
				at = max64(at, l[k].end);
			}
			if (at < s[j].end)
				fnd(f, &n, MEMLAYOUT_KVM_OUTSIDE, NULL, &s[j], as, at, s[j].end);
		}
	}
	if (n <= MAX_FIND)
		qsort(f, n, sizeof(f[0]), cmp_find);
	return n;
}

static int check_kvm(int fd, int vm_fd, struct memlayout_kvm_finding *f, uint32_t cap,
		     struct memlayout_check_kvm *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->vm_fd = vm_fd;
	c->count = cap;
	c->findings_ptr = cap ? U64P(f) : 0;
	c->generation = 0xA5A5A5A5A5A5A5A5ULL;
	c->nr_slots = 0xA5A5A5A5;
	c->nr_as = 0xA5A5A5A5;
	return xioctl(fd, MEMLAYOUT_IOC_CHECK_KVM, c);
}

static const char *kname(uint32_t k)
{
	static const char *const n[] = { "?", "unbacked", "readonly", "over_hole", "outside" };

	return k < ARRAY_SIZE(n) ? n[k] : "?";
}

static void show(void (*out)(const char *, ...), const char *who,
		 const struct memlayout_kvm_finding *f)
{
	char slot[96];

	if (f->slot_id == MEMLAYOUT_KVM_NO_SLOT)
		snprintf(slot, sizeof(slot), "no slot");
	else
		snprintf(slot, sizeof(slot), "slot %u [%#llx, %#llx) flags %#x", f->slot_id,
			 (unsigned long long)f->slot_start, (unsigned long long)f->slot_end,
			 f->slot_flags);
	out("%s%s as %u [%#llx, %#llx) %s[%u] [%#llx, %#llx) %s", who, kname(f->kind),
	    f->as_id, (unsigned long long)f->start, (unsigned long long)f->end,
	    listname(f->list), f->index, (unsigned long long)f->range_start,
	    (unsigned long long)f->range_end, slot);
}

/*
 * CHECK_KVM of @vm against the file's layout: exactly expect()'s list,
 * the generation GET_STATS gives, every slot read, the address spaces
 * holding one. The findings are printed (as the ioctl gave them) with
 * @what. Returns the number of findings, or -1 on any difference.
 */
static int check_exact(int fd, const struct vm *v, const char *what)
{
	static struct memlayout_kvm_finding got[MAX_FIND], exp[MAX_FIND];
	struct memlayout_check_kvm c;
	struct memlayout_stats st;
	unsigned int n, i;
	uint32_t nr_as;
	bool ok = true;
	int r;

	if (!read_layout(fd) || get_stats(fd, &st))
		return -1;
	n = expect(v, exp, &nr_as);
	if (n > MAX_FIND) {
		diag("%s: %u findings expected, more than the test holds", what, n);
		return -1;
	}
	memset(got, 0xA5, sizeof(got));
	r = check_kvm(fd, v->fd, got, MAX_FIND, &c);
	if (r) {
		diag("%s: CHECK_KVM failed: %s", what, errname(r));
		return -1;
	}
	ok &= eq64("count", c.count, n);
	ok &= eq64("generation", c.generation, st.generation);
	ok &= eq64("nr_slots", c.nr_slots, v->nr);
	ok &= eq64("nr_as", c.nr_as, nr_as);
	for (i = 0; i < n && i < c.count; i++) {
		if (memcmp(&got[i], &exp[i], sizeof(exp[i]))) {
			diag("%s: finding %u differs", what, i);
			show(diag, "  expected ", &exp[i]);
			show(diag, "  got      ", &got[i]);
			ok = false;
		}
	}
	for (i = n; i < c.count && i < MAX_FIND; i++)
		show(diag, "  extra ", &got[i]);
	for (i = c.count; i < n; i++)
		show(diag, "  missing ", &exp[i]);
	if (c.count < MAX_FIND)
		ok &= eq64("entry past count untouched", got[c.count].kind, 0xA5A5A5A5);
	note("%s: %u findings (%u slots, %u address spaces)", what, c.count, c.nr_slots,
	     c.nr_as);
	for (i = 0; i < c.count && i < MAX_FIND; i++)
		show(note, "  ", &got[i]);
	if (!ok) {
		for (i = 0; i < v->nr; i++)
			diag("  slot as %u id %u [%#llx, %#llx) flags %#x", v->s[i].as,
			     v->s[i].id, (unsigned long long)v->s[i].start,
			     (unsigned long long)v->s[i].end, v->s[i].flags);
		return -1;
	}
	return (int)n;
}

/*
 * Memslots matching the layout exactly, in address space @as: one slot
 * per run of adjacent RAM ranges (a node split is one slot, as a VMM
 * sets it), none over a hole or VTL2.
 */
static int back_ram(struct vm *v, uint32_t as)
{
	struct lrange l[MAX_LR];
	unsigned int i, n = 0;
	int r;

	for (i = 0; i < nr_lr; i++)
		if (lr[i].list == L_RAM)
			l[n++] = lr[i];
	qsort(l, n, sizeof(l[0]), cmp_lr);
	for (i = 0; i < n; i++) {
		uint64_t a = l[i].start;

		while (i + 1 < n && l[i + 1].start == l[i].end)
			i++;
		r = add(v, as, a, l[i].end, 0);
		if (r)
			return r;
	}
	return 0;
}

/* The RAM ranges of the current layout, sorted; returns how many. */
static unsigned int ram_runs(mr_t *out)
{
	struct lrange l[MAX_LR];
	unsigned int i, n = 0, m = 0;

	for (i = 0; i < nr_lr; i++)
		if (lr[i].list == L_RAM)
			l[n++] = lr[i];
	qsort(l, n, sizeof(l[0]), cmp_lr);
	for (i = 0; i < n; i++) {
		out[m] = (mr_t)R(l[i].start, l[i].end);
		while (i + 1 < n && l[i + 1].start == l[i].end)
			out[m].end = l[++i].end;
		m++;
	}
	return m;
}

static uint64_t end_of_layout(int fd)
{
	struct memlayout_stats st;

	return get_stats(fd, &st) ? 0 : st.end_of_layout;
}

/* Past every range, VTL2 too (end_of_layout does not count VTL2). */
static uint64_t top_of_layout(int fd)
{
	struct memlayout_stats st;

	if (get_stats(fd, &st))
		return 0;
	return max64(st.end_of_layout, st.vtl2_end);
}

/* ------------------------------------------------------------------ */
/* The layouts                                                          */
/* ------------------------------------------------------------------ */

/*
 * The layouts of the other tests: the README's 6 GiB two-node guest (an
 * ECAM and a PCI MMIO hole below 4 GiB, node 0 split around the ECAM,
 * node 1 adjacent to it), its 1 TiB guest scaled to 64 GiB (this
 * machine's 40 physical address bits cannot hold a memslot past 1 TiB;
 * its MMIO gaps as they are, VTL2 above all RAM past a gap), and the
 * SPEC's example 5 (three vNUMA RAM ranges, every hole kind, RAM above a
 * PCI MMIO hole).
 */
static const struct lay two_node = { C2(3 * GiB, 3 * GiB), ECAM(R(2 * GiB, 0x90000000)),
				     PMMIO(R(0xe0000000, 4 * GiB)) };
static const struct lay big = { C1(64 * GiB), MMIO(R(GiB, 2 * GiB), R(3 * GiB, 4 * GiB)),
				VTL2(68 * GiB, 68 * GiB + 64 * MiB) };

struct named {
	const char *name;
	const struct lay *l;
};

static const struct named layouts[] = {
	{ "6 GiB two-node, ECAM [2G, 0x90000000), PCI MMIO [0xe0000000, 4G)", &two_node },
	{ "64 GiB, MMIO [1G, 2G) [3G, 4G), VTL2 [68G, 68G + 64M)", &big },
	{ "SPEC example 5", &ex5 },
};

/* Skips the test unless KVM is there; the backing mapping must be. */
static bool need_kvm(struct __test_metadata *_metadata)
{
	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return false, "no /dev/kvm (KVM not loaded)");
	ASSERT_TRUE(backing());
	return true;
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

/*
 * KVM not loaded (UAPI "DOC: KVM audit"): no file can be a VM, -ENOPKG
 * for any open file, and the module works otherwise. init.sh runs this
 * before loading KVM and after unloading it (memlayout.ko loaded all
 * along).
 */
TEST(kvm_not_loaded)
{
	struct memlayout_kvm_finding f[4];
	struct memlayout_check_kvm c;
	uint64_t gen;
	int fd, null;

	if (kvm_loaded())
		SKIP(return, "KVM is loaded (init.sh runs this before and after it)");
	fd = open_dev();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, null);
	ASSERT_EQ(0, set_lay(fd, &two_node, &gen));
	EXPECT_EQ(-ENOPKG, check_kvm(fd, null, f, ARRAY_SIZE(f), &c)) TH_LOG("/dev/null");
	EXPECT_EQ(-ENOPKG, check_kvm(fd, fd, NULL, 0, &c)) TH_LOG("/dev/memlayout itself");
	/* The documented order: a closed fd is -EBADF first. */
	EXPECT_EQ(-EBADF, check_kvm(fd, -1, NULL, 0, &c)) TH_LOG("fd -1");
	EXPECT_EQ(0, access("/dev/kvm", F_OK) ? 0 : 1) TH_LOG("no /dev/kvm");
	/* The rest of the module answers as ever. */
	EXPECT_TRUE(check_model(fd, &two_node, gen));
	close(null);
	close(fd);
}

/* The machine: KVM's API, the capabilities the other tests use. */
TEST(machine)
{
	struct memlayout_info in = { .size = sizeof(in) };
	int kvm, fd;
	struct vm v;

	if (!need_kvm(_metadata))
		return;
	kvm = kvm_dev();
	ASSERT_LE(0, kvm);
	EXPECT_EQ(KVM_API_VERSION, ioctl(kvm, KVM_GET_API_VERSION, 0));
	ASSERT_EQ(0, vm_create(&v));
	note("KVM_CAP_READONLY_MEM %d, KVM_CAP_MULTI_ADDRESS_SPACE %d, KVM_CAP_NR_MEMSLOTS %d",
	     vm_cap(v.fd, KVM_CAP_READONLY_MEM), vm_cap(v.fd, KVM_CAP_MULTI_ADDRESS_SPACE),
	     vm_cap(v.fd, KVM_CAP_NR_MEMSLOTS));
	fd = open_dev();
	ASSERT_EQ(0, xioctl(fd, MEMLAYOUT_IOC_GET_INFO, &in));
	CHECK(in.commands & (1ULL << _IOC_NR(MEMLAYOUT_IOC_CHECK_KVM)),
	      "GET_INFO commands has CHECK_KVM: %#llx", (unsigned long long)in.commands);
	vm_close(&v);
	close(kvm);
	close(fd);
}

/*
 * Exact backing, every layout: no finding, in address space 0 alone and
 * with the same slots in address space 1 too (x86's SMM one). A node
 * split backed by one slot is no finding (H4).
 */
TEST(exact_match)
{
	unsigned int i;
	int fd, as2;
	char what[160];

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	for (i = 0; i < ARRAY_SIZE(layouts); i++) {
		struct vm v;

		ASSERT_EQ(0, set_lay(fd, layouts[i].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		ASSERT_EQ(0, vm_create(&v));
		as2 = vm_cap(v.fd, KVM_CAP_MULTI_ADDRESS_SPACE) > 1;
		ASSERT_EQ(0, back_ram(&v, 0));
		snprintf(what, sizeof(what), "%s, exact", layouts[i].name);
		EXPECT_EQ(0, check_exact(fd, &v, what));
		if (as2) {
			ASSERT_EQ(0, back_ram(&v, 1));
			snprintf(what, sizeof(what), "%s, exact in address spaces 0 and 1",
				 layouts[i].name);
			EXPECT_EQ(0, check_exact(fd, &v, what));
		}
		vm_close(&v);
	}
	close(fd);
}

/*
 * A VM without any memslot: no address space holds one, so there is
 * nothing to report (UAPI: an address space without slots is skipped).
 */
TEST(no_memslots)
{
	struct memlayout_check_kvm c;
	struct vm v;
	int fd;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	ASSERT_EQ(0, vm_create(&v));
	EXPECT_EQ(0, check_exact(fd, &v, "no memslot"));
	EXPECT_EQ(0, check_kvm(fd, v.fd, NULL, 0, &c));
	EXPECT_EQ(0, c.count);
	EXPECT_EQ(0, c.nr_slots);
	EXPECT_EQ(0, c.nr_as);
	vm_close(&v);
	close(fd);
}

/*
 * H4 unbacked RAM: each RAM run's slot a page short at each end gives,
 * per run, an unbacked page at its first range's start and one at its
 * last range's end (written out by hand for the first run, [0, 2G) of
 * the two-node layout, besides expect()).
 */
TEST(unbacked_page_each_end)
{
	static struct memlayout_kvm_finding f[MAX_FIND];
	struct memlayout_check_kvm c;
	mr_t runs[MAX_LR];
	unsigned int i, nr, li;
	char what[160];
	int fd, n;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	for (li = 0; li < ARRAY_SIZE(layouts); li++) {
		struct vm v;

		ASSERT_EQ(0, set_lay(fd, layouts[li].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		nr = ram_runs(runs);
		ASSERT_EQ(0, vm_create(&v));
		for (i = 0; i < nr; i++)
			ASSERT_EQ(0, add(&v, 0, runs[i].start + PG, runs[i].end - PG, 0));
		snprintf(what, sizeof(what), "%s, each RAM run a page short at each end",
			 layouts[li].name);
		n = check_exact(fd, &v, what);
		EXPECT_EQ(2 * (int)nr, n);
		if (li == 0) {
			ASSERT_EQ(0, check_kvm(fd, v.fd, f, MAX_FIND, &c));
			EXPECT_EQ(MEMLAYOUT_KVM_UNBACKED, f[0].kind);
			EXPECT_EQ(L_RAM, f[0].list);
			EXPECT_EQ(0, f[0].index);
			EXPECT_EQ(0, f[0].start);
			EXPECT_EQ(PG, f[0].end);
			EXPECT_EQ(0, f[0].range_start);
			EXPECT_EQ(2 * GiB, f[0].range_end);
			EXPECT_EQ(MEMLAYOUT_KVM_NO_SLOT, f[0].slot_id);
			EXPECT_EQ(0, f[0].slot_start);
			EXPECT_EQ(0, f[0].slot_end);
			EXPECT_EQ(0, f[0].slot_flags);
			EXPECT_EQ(2 * GiB - PG, f[1].start);
			EXPECT_EQ(2 * GiB, f[1].end);
		}
		vm_close(&v);
	}
	close(fd);
}

/*
 * H4 read-only backing: each RAM run in turn backed by a KVM_MEM_READONLY
 * slot (where KVM_CAP_READONLY_MEM says so), the others read-write: one
 * finding per RAM range of that run (a node split gives two, same slot).
 * A dirty-logging slot is no finding, and its flags are reported as set.
 */
TEST(readonly_slot)
{
	mr_t runs[MAX_LR];
	unsigned int i, j, nr, li;
	char what[160];
	int fd, n;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	for (li = 0; li < ARRAY_SIZE(layouts); li++) {
		ASSERT_EQ(0, set_lay(fd, layouts[li].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		nr = ram_runs(runs);
		for (i = 0; i < nr; i++) {
			struct vm v;

			ASSERT_EQ(0, vm_create(&v));
			if (!vm_cap(v.fd, KVM_CAP_READONLY_MEM)) {
				vm_close(&v);
				close(fd);
				SKIP(return, "no KVM_CAP_READONLY_MEM");
			}
			for (j = 0; j < nr; j++)
				ASSERT_EQ(0, add(&v, 0, runs[j].start, runs[j].end,
						 j == i ? KVM_MEM_READONLY :
						 KVM_MEM_LOG_DIRTY_PAGES));
			snprintf(what, sizeof(what), "%s, RAM run %u read-only", layouts[li].name,
				 i);
			n = check_exact(fd, &v, what);
			EXPECT_LE(1, n);
			vm_close(&v);
		}
	}
	close(fd);
}

/*
 * H4 over a hole: device memory in each hole of the two-node layout and
 * example 5 (the VRAM BAR case: a slot inside the PCI MMIO window; a
 * read-only ROM-like one in the ECAM or MMIO hole) besides exact RAM
 * backing: one finding each, with the hole's list and the slot's flags.
 */
TEST(slot_over_hole)
{
	unsigned int li, i;
	char what[160];
	int fd, n;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	for (li = 0; li < ARRAY_SIZE(layouts); li++) {
		unsigned int holes = 0;
		struct vm v;

		ASSERT_EQ(0, set_lay(fd, layouts[li].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		ASSERT_EQ(0, vm_create(&v));
		ASSERT_EQ(0, back_ram(&v, 0));
		for (i = 0; i < nr_lr; i++) {
			uint64_t sz = min64(16 * MiB, lr[i].end - lr[i].start);

			if (lr[i].list == L_RAM || lr[i].list == L_VTL2)
				continue;
			/* A 16 MiB BAR at the hole's start; a "ROM" at its end. */
			ASSERT_EQ(0, add(&v, 0, lr[i].start, lr[i].start + sz, 0));
			if (lr[i].end - lr[i].start > 2 * sz &&
			    vm_cap(v.fd, KVM_CAP_READONLY_MEM))
				ASSERT_EQ(0, add(&v, 0, lr[i].end - PG * 64, lr[i].end,
						 KVM_MEM_READONLY));
			holes++;
		}
		snprintf(what, sizeof(what), "%s, device memory in each of its %u holes",
			 layouts[li].name, holes);
		n = check_exact(fd, &v, what);
		EXPECT_LE((int)holes, n);
		vm_close(&v);
	}
	close(fd);
}

/*
 * H4 a slot spanning RAM and a hole: the first RAM run of the two-node
 * layout, [0, 2G), backed by one slot reaching 64 MiB into the ECAM hole:
 * one finding, over the hole's first 64 MiB, naming that slot; the RAM
 * is backed (written out by hand besides expect()). Then every RAM run
 * of every layout grown a page into what follows it.
 */
TEST(slot_spans_ram_and_hole)
{
	static struct memlayout_kvm_finding f[MAX_FIND];
	struct memlayout_check_kvm c;
	mr_t runs[MAX_LR];
	unsigned int i, nr, li;
	char what[160];
	struct vm v;
	int fd;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	ASSERT_TRUE(read_layout(fd));
	nr = ram_runs(runs);
	ASSERT_EQ(0, vm_create(&v));
	ASSERT_EQ(0, add(&v, 0, 0, 2 * GiB + 64 * MiB, 0));
	for (i = 1; i < nr; i++)
		ASSERT_EQ(0, add(&v, 0, runs[i].start, runs[i].end, 0));
	EXPECT_EQ(1, check_exact(fd, &v, "two-node, RAM [0, 2G) slot 64 MiB into the ECAM"));
	ASSERT_EQ(0, check_kvm(fd, v.fd, f, MAX_FIND, &c));
	ASSERT_EQ(1, c.count);
	EXPECT_EQ(MEMLAYOUT_KVM_OVER_HOLE, f[0].kind);
	EXPECT_EQ(L_ECAM, f[0].list);
	EXPECT_EQ(0, f[0].index);
	EXPECT_EQ(2 * GiB, f[0].start);
	EXPECT_EQ(2 * GiB + 64 * MiB, f[0].end);
	EXPECT_EQ(2 * GiB, f[0].range_start);
	EXPECT_EQ(0x90000000, f[0].range_end);
	EXPECT_EQ(v.s[0].id, f[0].slot_id);
	EXPECT_EQ(0, f[0].slot_start);
	EXPECT_EQ(2 * GiB + 64 * MiB, f[0].slot_end);
	vm_close(&v);

	for (li = 0; li < ARRAY_SIZE(layouts); li++) {
		uint64_t eol;

		ASSERT_EQ(0, set_lay(fd, layouts[li].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		eol = end_of_layout(fd);
		nr = ram_runs(runs);
		ASSERT_EQ(0, vm_create(&v));
		for (i = 0; i < nr; i++)
			ASSERT_EQ(0, add(&v, 0, runs[i].start,
					 runs[i].end + PG, 0));
		snprintf(what, sizeof(what), "%s, each RAM run's slot a page longer (eol %#llx)",
			 layouts[li].name, (unsigned long long)eol);
		EXPECT_LE((int)nr, check_exact(fd, &v, what));
		vm_close(&v);
	}
	close(fd);
}

/*
 * H4 outside the layout: a slot at end_of_layout (in example 5 below its
 * VTL2 range) and one page 1 GiB above everything; in the scaled 1 TiB
 * layout also one over the gap below VTL2, across VTL2 (inside) and past
 * it (two findings, one slot); a slot over VTL2 alone is no finding.
 */
TEST(slot_outside)
{
	unsigned int li;
	char what[160];
	struct vm v;
	int fd;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	for (li = 0; li < ARRAY_SIZE(layouts); li++) {
		uint64_t eol, top;

		ASSERT_EQ(0, set_lay(fd, layouts[li].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		eol = end_of_layout(fd);
		ASSERT_LT(0, eol);
		ASSERT_EQ(0, vm_create(&v));
		ASSERT_EQ(0, back_ram(&v, 0));
		ASSERT_EQ(0, add(&v, 0, eol, eol + 256 * MiB, 0));
		snprintf(what, sizeof(what), "%s, a slot at end_of_layout %#llx",
			 layouts[li].name, (unsigned long long)eol);
		EXPECT_EQ(1, check_exact(fd, &v, what));
		top = top_of_layout(fd);
		ASSERT_EQ(0, add(&v, 0, top + GiB, top + GiB + PG, KVM_MEM_LOG_DIRTY_PAGES));
		snprintf(what, sizeof(what), "%s, and one page at %#llx", layouts[li].name,
			 (unsigned long long)(top + GiB));
		EXPECT_EQ(2, check_exact(fd, &v, what));
		vm_close(&v);
	}
	ASSERT_EQ(0, set_lay(fd, &big, NULL));
	ASSERT_TRUE(read_layout(fd));
	ASSERT_EQ(0, vm_create(&v));
	ASSERT_EQ(0, back_ram(&v, 0));
	ASSERT_EQ(0, add(&v, 0, 68 * GiB, 68 * GiB + 64 * MiB, 0));
	EXPECT_EQ(0, check_exact(fd, &v, "64 GiB, a slot over VTL2 exactly"));
	ASSERT_EQ(0, del(&v, v.nr - 1));
	ASSERT_EQ(0, add(&v, 0, 67 * GiB, 69 * GiB, 0));
	EXPECT_EQ(2, check_exact(fd, &v, "64 GiB, a slot over [67G, 69G): gap, VTL2, above"));
	vm_close(&v);
	close(fd);
}

/*
 * Address space 1 (x86's SMM): exact in 0; in 1 only the first RAM run
 * and a slot over the first hole: every other RAM byte is unbacked in
 * address space 1, and the findings come after address space 0's.
 */
TEST(address_space_1)
{
	mr_t runs[MAX_LR];
	unsigned int li, i, later;
	char what[160];
	int fd, n;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	for (li = 0; li < ARRAY_SIZE(layouts); li++) {
		struct vm v;

		ASSERT_EQ(0, set_lay(fd, layouts[li].l, NULL));
		ASSERT_TRUE(read_layout(fd));
		ram_runs(runs);
		for (later = 0, i = 0; i < nr_lr; i++)
			later += lr[i].list == L_RAM && lr[i].start >= runs[0].end;
		ASSERT_EQ(0, vm_create(&v));
		if (vm_cap(v.fd, KVM_CAP_MULTI_ADDRESS_SPACE) < 2) {
			vm_close(&v);
			close(fd);
			SKIP(return, "KVM_CAP_MULTI_ADDRESS_SPACE < 2");
		}
		ASSERT_EQ(0, back_ram(&v, 0));
		ASSERT_EQ(0, add(&v, 1, runs[0].start, runs[0].end, 0));
		for (i = 0; i < nr_lr; i++)
			if (lr[i].list != L_RAM && lr[i].list != L_VTL2)
				break;
		ASSERT_LT(i, nr_lr);
		ASSERT_EQ(0, add(&v, 1, lr[i].start, lr[i].start + PG, 0));
		/* A page short in address space 0 too: findings in both. */
		ASSERT_EQ(0, del(&v, 0));
		ASSERT_EQ(0, add(&v, 0, runs[0].start, runs[0].end - PG, 0));
		snprintf(what, sizeof(what), "%s, address space 1 with RAM run 0 and a hole page",
			 layouts[li].name);
		/* 0: RAM run 0's last page; 1: the hole page, each later RAM range. */
		n = check_exact(fd, &v, what);
		EXPECT_EQ(2 + (int)later, n);
		vm_close(&v);
	}
	close(fd);
}

/*
 * A node split backed by one slot is no finding (H4), and neither is one
 * RAM range backed by two adjacent slots; one page between them is.
 */
TEST(node_split_one_slot)
{
	mr_t runs[MAX_LR];
	unsigned int i, nr, split = 0;
	struct vm v;
	int fd;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &ex5, NULL));
	ASSERT_TRUE(read_layout(fd));
	nr = ram_runs(runs);
	for (i = 0; i < nr_lr; i++)
		split += lr[i].list == L_RAM && lr[i].start == runs[0].start &&
			 lr[i].end < runs[0].end;
	ASSERT_EQ(1, split) TH_LOG("example 5: [0, 2G) is two RAM ranges (vnodes 0 and 1)");
	ASSERT_EQ(0, vm_create(&v));
	ASSERT_EQ(0, add(&v, 0, runs[0].start, runs[0].end, 0));
	for (i = 1; i < nr; i++) {
		ASSERT_EQ(0, add(&v, 0, runs[i].start, runs[i].start + GiB, 0));
		ASSERT_EQ(0, add(&v, 0, runs[i].start + GiB, runs[i].end, 0));
	}
	EXPECT_EQ(0, check_exact(fd, &v, "example 5, [0, 2G) one slot, others two each"));
	ASSERT_EQ(0, del(&v, v.nr - 1));
	ASSERT_EQ(0, add(&v, 0, runs[nr - 1].start + GiB + PG, runs[nr - 1].end, 0));
	EXPECT_EQ(1, check_exact(fd, &v, "example 5, a page between two slots"));
	vm_close(&v);
	close(fd);
}

/* The generation is the layout's; replacing it changes the answer. */
TEST(generation_and_replacement)
{
	struct memlayout_check_kvm c;
	struct memlayout_stats st;
	uint64_t gen;
	struct vm v;
	int fd;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, vm_create(&v));
	EXPECT_EQ(-ENOENT, check_kvm(fd, v.fd, NULL, 0, &c)) TH_LOG("no layout yet");
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	ASSERT_TRUE(read_layout(fd));
	ASSERT_EQ(0, back_ram(&v, 0));
	EXPECT_EQ(0, check_exact(fd, &v, "two-node, exact"));
	ASSERT_EQ(0, get_stats(fd, &st));
	gen = st.generation;
	ASSERT_EQ(0, set_lay(fd, &ex5, NULL));
	ASSERT_EQ(0, get_stats(fd, &st));
	CHECK(st.generation != gen, "a new generation: %llu", (unsigned long long)gen);
	EXPECT_LE(1, check_exact(fd, &v, "two-node's slots against example 5"));
	vm_close(&v);
	close(fd);
}

/*
 * Count negotiation as GET_RANGES: too small a buffer gives -EMSGSIZE
 * with the count needed and no finding written; then exactly that count
 * succeeds and a larger buffer keeps its tail.
 */
TEST(count_negotiation)
{
	static struct memlayout_kvm_finding f[MAX_FIND], f2[MAX_FIND];
	struct memlayout_check_kvm c;
	mr_t runs[MAX_LR];
	unsigned int i, nr;
	uint32_t need;
	struct vm v;
	int fd, n;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	ASSERT_TRUE(read_layout(fd));
	nr = ram_runs(runs);
	ASSERT_EQ(0, vm_create(&v));
	for (i = 0; i < nr; i++)
		ASSERT_EQ(0, add(&v, 0, runs[i].start + PG, runs[i].end - PG, 0));
	n = check_exact(fd, &v, "negotiation");
	ASSERT_LE(2, n);
	EXPECT_EQ(-EMSGSIZE, check_kvm(fd, v.fd, NULL, 0, &c));
	EXPECT_EQ((uint32_t)n, c.count);
	EXPECT_EQ(v.nr, c.nr_slots);
	EXPECT_EQ(1, c.nr_as);
	need = c.count;
	memset(f, 0xA5, sizeof(f));
	EXPECT_EQ(-EMSGSIZE, check_kvm(fd, v.fd, f, need - 1, &c));
	EXPECT_EQ(need, c.count);
	EXPECT_EQ(0xA5A5A5A5, f[0].kind) TH_LOG("nothing written on -EMSGSIZE");
	EXPECT_EQ(0, check_kvm(fd, v.fd, f, need, &c));
	EXPECT_EQ(need, c.count);
	EXPECT_EQ(v.nr, c.nr_slots);
	EXPECT_EQ(1, c.nr_as);
	memset(f2, 0xA5, sizeof(f2));
	EXPECT_EQ(0, check_kvm(fd, v.fd, f2, need + 3, &c));
	EXPECT_EQ(need, c.count);
	EXPECT_EQ(0, memcmp(f, f2, need * sizeof(f[0])));
	EXPECT_EQ(0xA5A5A5A5, f2[need].kind) TH_LOG("the tail past count untouched");
	vm_close(&v);
	close(fd);
}

/* Files that are not a KVM VM, fds that are not open, hostile members. */
TEST(hostile)
{
	struct memlayout_kvm_finding f[16];
	struct memlayout_check_kvm c;
	int fd, null, kvm, closed;
	struct vm v;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	kvm = kvm_dev();
	ASSERT_LE(0, null);
	ASSERT_LE(0, kvm);
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	EXPECT_EQ(-EINVAL, check_kvm(fd, null, f, ARRAY_SIZE(f), &c)) TH_LOG("/dev/null");
	EXPECT_EQ(-EINVAL, check_kvm(fd, kvm, f, ARRAY_SIZE(f), &c)) TH_LOG("/dev/kvm");
	EXPECT_EQ(-EINVAL, check_kvm(fd, fd, f, ARRAY_SIZE(f), &c)) TH_LOG("/dev/memlayout");
	closed = dup(null);
	ASSERT_LE(0, closed);
	close(closed);
	EXPECT_EQ(-EBADF, check_kvm(fd, closed, f, ARRAY_SIZE(f), &c)) TH_LOG("a closed fd");
	EXPECT_EQ(-EBADF, check_kvm(fd, -1, f, ARRAY_SIZE(f), &c)) TH_LOG("fd -1");
	EXPECT_EQ(-EBADF, check_kvm(fd, 0x7fffffff, f, ARRAY_SIZE(f), &c)) TH_LOG("fd INT_MAX");

	ASSERT_EQ(0, vm_create(&v));
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vm_fd = v.fd;
	c.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, xioctl(fd, MEMLAYOUT_IOC_CHECK_KVM, &c)) TH_LOG("flags 1");
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vm_fd = v.fd;
	c.count = 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_KVM, &c)) TH_LOG("count 1, no buffer");
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vm_fd = v.fd;
	c.findings_ptr = U64P(f);
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_KVM, &c)) TH_LOG("buffer, count 0");
	memset(&c, 0, sizeof(c));
	c.size = MEMLAYOUT_CHECK_KVM_SIZE_VER0 - 8;
	c.vm_fd = v.fd;
	EXPECT_EQ(-EINVAL, xioctl(fd, MEMLAYOUT_IOC_CHECK_KVM, &c)) TH_LOG("size < VER0");
	/* A finding to write into memory that cannot take it. */
	ASSERT_EQ(0, add(&v, 0, 0, GiB, 0));
	setup_pages();
	EXPECT_EQ(-EFAULT, check_kvm(fd, v.fd, (void *)PAGE_NONE, 16, &c))
		TH_LOG("findings unwritable");
	EXPECT_EQ(-EFAULT, check_kvm(fd, v.fd, (void *)PAGE_RO, 16, &c))
		TH_LOG("findings read-only");
	vm_close(&v);
	close(kvm);
	close(null);
	close(fd);
}

/* A thread that sets, changes and deletes one memslot, over and over. */
struct toggler {
	struct vm *v;
	uint64_t start, end;
	int stop, err;
	unsigned long rounds;
};

static void *toggle_loop(void *arg)
{
	struct toggler *t = arg;
	uint32_t id = t->v->next_id;

	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE) && !t->err) {
		t->err = set_region(t->v->fd, 0, id, t->start, t->end - t->start, 0);
		if (!t->err)
			t->err = set_region(t->v->fd, 0, id, t->start, t->end - t->start,
					    KVM_MEM_LOG_DIRTY_PAGES);
		if (!t->err)
			t->err = set_region(t->v->fd, 0, id, t->start, 0, 0);
		__atomic_add_fetch(&t->rounds, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * Memslots changing while checks run for a second (KVM's SRCU: each
 * answer is one set of memslots): one thread sets a 16 MiB slot in the
 * PCI MMIO hole, turns on dirty logging and deletes it, over and over;
 * each answer must be exactly the one of a state it went through: no
 * such slot, the slot with flags 0, or with KVM_MEM_LOG_DIRTY_PAGES
 * (never KVM's internal flags of a slot being deleted).
 */
TEST(slots_change_while_checking)
{
	static struct memlayout_kvm_finding exp[3][MAX_FIND], got[MAX_FIND];
	unsigned long seen[4] = { 0 }, calls = 0;
	struct memlayout_check_kvm c;
	struct toggler t = { 0 };
	unsigned int n[3], k;
	uint32_t nr_as, nr0;
	pthread_t th;
	struct vm v;
	double t0;
	int fd, r;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	ASSERT_TRUE(read_layout(fd));
	ASSERT_EQ(0, vm_create(&v));
	ASSERT_EQ(0, back_ram(&v, 0));
	nr0 = v.nr;
	n[0] = expect(&v, exp[0], &nr_as);
	v.s[v.nr++] = (struct slot){ 0, v.next_id, 0, 0xe0000000, 0xe1000000 };
	n[1] = expect(&v, exp[1], &nr_as);
	v.s[v.nr - 1].flags = KVM_MEM_LOG_DIRTY_PAGES;
	n[2] = expect(&v, exp[2], &nr_as);
	v.nr--;
	ASSERT_EQ(0, n[0]);
	ASSERT_EQ(1, n[1]);
	t = (struct toggler){ .v = &v, .start = 0xe0000000, .end = 0xe1000000 };
	ASSERT_EQ(0, pthread_create(&th, NULL, toggle_loop, &t));
	t0 = now_s();
	do {
		memset(got, 0xA5, sizeof(got[0]) * 2);
		r = check_kvm(fd, v.fd, got, MAX_FIND, &c);
		calls++;
		for (k = 0; k < 3; k++)
			if (!r && c.count == n[k] &&
			    c.nr_slots == nr0 + (k > 0) &&
			    !memcmp(got, exp[k], n[k] * sizeof(got[0])))
				break;
		seen[k]++;
		if (k == 3 && seen[3] == 1) {
			diag("an answer of no state: %s, count %u, nr_slots %u", errname(r),
			     c.count, c.nr_slots);
			for (k = 0; !r && k < c.count && k < 4; k++)
				show(diag, "  ", &got[k]);
		}
	} while (now_s() - t0 < 1.0);
	__atomic_store_n(&t.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	EXPECT_EQ(0, t.err) TH_LOG("KVM_SET_USER_MEMORY_REGION: %s", errname(t.err));
	note("%lu checks during %lu rounds: %lu without the slot, %lu with flags 0, %lu %s, %lu %s",
	     calls, t.rounds, seen[0], seen[1], seen[2], "with dirty logging",
	     seen[3], "of no state");
	EXPECT_EQ(0, seen[3]);
	vm_close(&v);
	close(fd);
}

/* The VM fd closed by another thread while one checks in a loop. */
struct racer {
	int fd, vm_fd;
	int stop;
	unsigned long calls, ok, ebadf, other;
	int bad_err;
};

static void *race_loop(void *arg)
{
	static struct memlayout_kvm_finding f[MAX_FIND];
	struct racer *r = arg;
	struct memlayout_check_kvm c;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		int e = check_kvm(r->fd, r->vm_fd, f, MAX_FIND, &c);

		if (!e) {
			__atomic_add_fetch(&r->ok, 1, __ATOMIC_RELEASE);
		} else if (e == -EBADF) {
			__atomic_add_fetch(&r->ebadf, 1, __ATOMIC_RELEASE);
		} else {
			r->bad_err = e;
			__atomic_add_fetch(&r->other, 1, __ATOMIC_RELEASE);
		}
		__atomic_add_fetch(&r->calls, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * Closing the VM while another thread checks it in a loop: no crash,
 * every call succeeds or fails with -EBADF, and -EBADF once it is closed.
 * 20 rounds, each with the last reference to the VM in that fd.
 */
TEST(close_while_checking)
{
	unsigned long calls = 0, ok = 0, ebadf = 0, other = 0;
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	unsigned int round;
	int fd, last = 0;

	if (!need_kvm(_metadata))
		return;
	fd = open_dev();
	ASSERT_EQ(0, set_lay(fd, &two_node, NULL));
	ASSERT_TRUE(read_layout(fd));
	for (round = 0; round < 20; round++) {
		struct racer r = { .fd = fd };
		pthread_t t;
		struct vm v;

		ASSERT_EQ(0, vm_create(&v));
		ASSERT_EQ(0, back_ram(&v, 0));
		ASSERT_EQ(0, add(&v, 0, 0xe0000000, 0xe0000000 + PG, 0));
		r.vm_fd = v.fd;
		ASSERT_EQ(0, pthread_create(&t, NULL, race_loop, &r));
		/* At least one call before the close, one -EBADF after it. */
		while (!__atomic_load_n(&r.calls, __ATOMIC_ACQUIRE))
			sched_yield();
		ts.tv_nsec = (long)(round % 5) * 1000 * 1000;
		nanosleep(&ts, NULL);
		vm_close(&v);
		while (!__atomic_load_n(&r.ebadf, __ATOMIC_ACQUIRE) &&
		       !__atomic_load_n(&r.other, __ATOMIC_ACQUIRE))
			sched_yield();
		__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
		pthread_join(t, NULL);
		calls += r.calls;
		ok += r.ok;
		ebadf += r.ebadf;
		other += r.other;
		if (r.other)
			last = r.bad_err;
		/* Closed: -EBADF now (no other thread opens anything). */
		EXPECT_EQ(-EBADF, check_kvm(fd, r.vm_fd, NULL, 0, &(struct memlayout_check_kvm){}));
	}
	note("%lu calls: %lu succeeded, %lu -EBADF, %lu other", calls, ok, ebadf, other);
	CHECK(other == 0, "every call 0 or -EBADF (another: %s)", errname(last));
	CHECK(ok > 0 && ebadf > 0, "both outcomes seen: %lu ok, %lu -EBADF", ok, ebadf);
	close(fd);
}

TEST_HARNESS_MAIN
