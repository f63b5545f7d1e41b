/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz input decoder both libFuzzer targets share (fuzz_core.c, the
 * builder; fuzz_place.c, the placement engine): bytes read in order, 0
 * once the input is used up, and 64-bit values drawn from the families
 * that matter to a layout.
 */
#ifndef _ML_FUZZ_INPUT_H
#define _ML_FUZZ_INPUT_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/memlayout.h>

#define PAGE		MEMLAYOUT_PAGE_SIZE
#define MAXA		MEMLAYOUT_MAX_ADDRESS
#define G4		(1ULL << 32)

/**
 * struct fz_in - fuzz input being decoded
 * @p: the bytes.
 * @n: their number.
 * @pos: the next byte to read.
 */
struct fz_in {
	const u8 *p;
	size_t n;
	size_t pos;
};

/* A byte of input; 0 once the input is used up. */
static inline u8 rd8(struct fz_in *in)
{
	return in->pos < in->n ? in->p[in->pos++] : 0;
}

static inline u64 rdle(struct fz_in *in, int bytes)
{
	u64 v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (u64)rd8(in) << (8 * i);
	return v;
}

/*
 * A 64-bit value: a tag byte (low nibble) choosing a family of values that
 * matter here, then its operand. @base is what relative tags count from
 * (the previous end for a start, the start for an end).
 */
static inline u64 rdval(struct fz_in *in, u64 base)
{
	u64 v;
	u8 k;

	switch (rd8(in) & 0x0f) {
	case 0:		/* zero */
		return 0;
	case 1:		/* n pages */
		return (u64)rd8(in) * PAGE;
	case 2:		/* n pages, 16 bits */
		return rdle(in, 2) * PAGE;
	case 3:		/* n GiB */
		return (u64)rd8(in) << 30;
	case 4:		/* 4 GiB +- n pages */
		return G4 + (u64)(s64)(s8)rd8(in) * PAGE;
	case 5:		/* MAX_ADDRESS - n pages */
		return MAXA - (u64)rd8(in) * PAGE;
	case 6:		/* U64_MAX - n */
		return U64_MAX - rd8(in);
	case 7:		/* 2^k, then - or + a page */
		k = rd8(in);
		v = 1ULL << (k & 63);
		if (k & 0x40)
			v -= PAGE;
		if (k & 0x80)
			v += PAGE;
		return v;
	case 8:		/* raw */
		return rdle(in, 8);
	case 9:		/* base + n pages: touching or gapped */
		return base + (u64)rd8(in) * PAGE;
	case 10:	/* base - n pages: overlapping or reversed */
		return base - (u64)rd8(in) * PAGE;
	case 11:	/* base + n GiB */
		return base + ((u64)rd8(in) << 30);
	case 12:	/* base +- n bytes: unaligned */
		return base + (u64)(s64)(s8)rd8(in);
	case 13:	/* base */
		return base;
	case 14:	/* n TiB */
		return (u64)rd8(in) << 40;
	default:	/* n MiB, 16 bits */
		return rdle(in, 2) << 20;
	}
}

#endif /* _ML_FUZZ_INPUT_H */
