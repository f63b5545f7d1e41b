/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fuzz_core.c shares with the replay driver: the libFuzzer entry
 * point and a summary of the last input's outcome, which replay.c checks
 * against the hand-written expectations of the seed corpora.
 */
#ifndef _ML_FUZZ_CORE_H
#define _ML_FUZZ_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/memlayout.h>

/* RAM ranges of an accepted layout kept in the summary. */
#define FZ_SUMMARY_RAM	64

/**
 * struct fz_summary - outcome of the last input (core and model agreed)
 * @ret: 0 if the request was accepted, else the negative errno.
 * @err: the error report.
 * @count: ranges per list (index ``MEMLAYOUT_LIST_*``; VTL2 at 5).
 * @ram: the first FZ_SUMMARY_RAM RAM ranges (vnode included).
 * @ram_size: Q2.
 * @end_of_ram: Q3.
 * @below: Q4.
 * @above: Q5.
 * @has_max4g: Q6 present.
 * @max4g: Q6.
 * @has_high: Q7 present.
 * @high: Q7.
 * @eol: Q8.
 * @vtl2_start: VTL2 start, if @count[5].
 * @vtl2_end: VTL2 end, if @count[5].
 */
struct fz_summary {
	int ret;
	struct memlayout_error err;
	u32 count[MEMLAYOUT_LIST_VTL2 + 1];
	struct memlayout_range ram[FZ_SUMMARY_RAM];
	u64 ram_size;
	u64 end_of_ram;
	u64 below;
	u64 above;
	bool has_max4g;
	u64 max4g;
	bool has_high;
	u64 high;
	u64 eol;
	u64 vtl2_start;
	u64 vtl2_end;
};

extern struct fz_summary fz_last;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* _ML_FUZZ_CORE_H */
