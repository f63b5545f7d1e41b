/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C interface of the seed's MemoryLayout (bench/seed/src/lib.rs): the
 * seed's own memory.rs, built by cargo into a static library.
 */
#ifndef _ML_BENCH_SEED_H
#define _ML_BENCH_SEED_H

#include <linux/types.h>
#include <uapi/linux/memlayout.h>

struct seed_input;
struct seed_layout;

/* The RAM ranges and MMIO gaps, converted once for the seed. */
struct seed_input *seed_input_new(const struct memlayout_range *ram, u32 nr_ram,
				  const struct memlayout_range *mmio, u32 nr_mmio);
void seed_input_free(struct seed_input *in);
/* MemoryLayout::new_from_ranges() (C3); NULL if the seed rejects it. */
struct seed_layout *seed_build_ranges(const struct seed_input *in);
/* MemoryLayout::new() (C1); NULL if the seed rejects it. */
struct seed_layout *seed_build_size(const struct seed_input *in, u64 ram_size);
void seed_layout_free(struct seed_layout *l);
/* probe_address() as a MEMLAYOUT_KIND_* value. */
u32 seed_probe(const struct seed_layout *l, u64 addr);
/* @count probes cycling through @addrs[0 .. @nr); the sum of the kinds. */
u64 seed_probe_loop(const struct seed_layout *l, const u64 *addrs, u32 nr,
		    u64 count);

#endif /* _ML_BENCH_SEED_H */
