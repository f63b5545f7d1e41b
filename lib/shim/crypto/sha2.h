/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <crypto/sha2.h>: the kernel's SHA-256 library
 * interface (sha256_init/update/final, as in Linux 6.1 to 6.12), backed by
 * lib/shim/sha256.c, so that memlayout_fingerprint.c builds unchanged in
 * libmemlayout and the fuzzers.
 */
#ifndef _ML_SHIM_CRYPTO_SHA2_H
#define _ML_SHIM_CRYPTO_SHA2_H

#include <linux/types.h>

#define SHA256_DIGEST_SIZE	32
#define SHA256_BLOCK_SIZE	64

struct sha256_state {
	u32 state[SHA256_DIGEST_SIZE / 4];
	u64 count;
	u8 buf[SHA256_BLOCK_SIZE];
};

void sha256_init(struct sha256_state *sctx);
void sha256_update(struct sha256_state *sctx, const u8 *data,
		   unsigned int len);
void sha256_final(struct sha256_state *sctx, u8 *out);
void sha256(const u8 *data, unsigned int len, u8 *out);

#endif /* _ML_SHIM_CRYPTO_SHA2_H */
