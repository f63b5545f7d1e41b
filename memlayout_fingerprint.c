// SPDX-License-Identifier: GPL-2.0
/*
 * memlayout: the layout fingerprint (SPEC F1).
 *
 * SHA-256, with the kernel's own library, over the canonical encoding that
 * the UAPI header documents ("DOC: Fingerprint"): a tag, the number of
 * ranges and whether VTL2 is present, then one 24-byte little-endian
 * record per range in address order, then VTL2's. The encoder is a
 * stream, so the kernel (from a built layout) and libmemlayout (from the
 * entries a snapshot holds) feed the same code and cannot disagree.
 * Like the rest of the core: no uaccess, no locking.
 */
#include <crypto/sha2.h>
#include <linux/build_bug.h>
#include <linux/export.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include <linux/memlayout.h>

/* The tag, 16 bytes without a NUL: a new encoding gets a new tag. */
static const char ml_fp_tag[16] = "memlayout.fp.v1\n";

/**
 * struct ml_fp_record - one range as the encoding writes it
 * @start: first byte.
 * @end: one past the last byte.
 * @vnode: virtual NUMA node (0 for holes and VTL2).
 * @kind: ``MEMLAYOUT_KIND_*`` (0 for VTL2).
 */
struct ml_fp_record {
	__le64 start;
	__le64 end;
	__le32 vnode;
	__le32 kind;
};

static_assert(sizeof(struct ml_fp_record) == sizeof(struct memlayout_map_entry),
	      "one record is the image of one map entry");

/**
 * memlayout_fp_begin() - start a fingerprint
 * @fp: the state.
 * @nr: number of ranges that will follow (VTL2 not counted).
 * @has_vtl2: whether memlayout_fp_end() will be given a VTL2 range.
 *
 * Context: any.
 */
void memlayout_fp_begin(struct memlayout_fp *fp, u32 nr, bool has_vtl2)
{
	__le32 head[2] = { cpu_to_le32(nr), cpu_to_le32(has_vtl2) };

	sha256_init(&fp->sha);
	sha256_update(&fp->sha, (const u8 *)ml_fp_tag, sizeof(ml_fp_tag));
	sha256_update(&fp->sha, (const u8 *)head, sizeof(head));
}
EXPORT_SYMBOL_GPL(memlayout_fp_begin);

/**
 * memlayout_fp_range() - add one range, in address order
 * @fp: the state.
 * @start: first byte.
 * @end: one past the last byte.
 * @vnode: virtual NUMA node.
 * @kind: ``MEMLAYOUT_KIND_*``.
 *
 * Context: any.
 */
void memlayout_fp_range(struct memlayout_fp *fp, u64 start, u64 end,
			u32 vnode, u32 kind)
{
	struct ml_fp_record r = {
		.start = cpu_to_le64(start),
		.end = cpu_to_le64(end),
		.vnode = cpu_to_le32(vnode),
		.kind = cpu_to_le32(kind),
	};

	sha256_update(&fp->sha, (const u8 *)&r, sizeof(r));
}
EXPORT_SYMBOL_GPL(memlayout_fp_range);

/**
 * memlayout_fp_end() - finish a fingerprint
 * @fp: the state.
 * @vtl2: the VTL2 range if memlayout_fp_begin() announced one, else %NULL.
 * @out: receives the %MEMLAYOUT_FINGERPRINT_SIZE bytes.
 *
 * Context: any.
 */
void memlayout_fp_end(struct memlayout_fp *fp,
		      const struct memlayout_range *vtl2, u8 *out)
{
	if (vtl2)
		memlayout_fp_range(fp, vtl2->start, vtl2->end, 0, 0);
	sha256_final(&fp->sha, out);
}
EXPORT_SYMBOL_GPL(memlayout_fp_end);

/**
 * memlayout_fingerprint_layout() - compute a built layout's fingerprint
 * @l: the layout; its ranges and VTL2 are final.
 * @may_sleep: whether cond_resched() may be called (every 1024 ranges).
 *
 * Stores the result in @l->fingerprint. memlayout_build() does not: the
 * layout's publisher calls this once, before anyone else can see the
 * layout (memlayout_set_accepted()); readers only copy the stored value.
 * Keeping the SHA-256 out of the build keeps a build as cheap as the
 * seed's for callers that never need the fingerprint.
 *
 * Context: any; sleeps only if @may_sleep. O(number of ranges).
 */
void memlayout_fingerprint_layout(struct memlayout *l, bool may_sleep)
{
	bool has_vtl2 = l->flags & MEMLAYOUT_HAS_VTL2;
	struct memlayout_range vtl2 = {
		.start = l->vtl2_start,
		.end = l->vtl2_end,
	};
	struct memlayout_entry e;
	struct memlayout_fp fp;
	u32 i;

	memlayout_fp_begin(&fp, l->nr, has_vtl2);
	for (i = 0; i < l->nr; i++) {
		memlayout_entry(l, i, &e);
		memlayout_fp_range(&fp, e.start, e.end, e.vnode, e.kind);
		if (may_sleep && !((i + 1) % 1024))
			cond_resched();
	}
	memlayout_fp_end(&fp, has_vtl2 ? &vtl2 : NULL, l->fingerprint);
}
EXPORT_SYMBOL_GPL(memlayout_fingerprint_layout);
