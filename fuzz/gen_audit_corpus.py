#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write fuzz/audit-corpus/: seeds of fuzz/fuzz_audit.c, one per SPEC H4
case (its input format is in that file's header comment). The target is
differential: each seed is checked against the brute-force model there."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit-corpus")

RAM, MMIO = 0, 1
# Header bits.
H_VTL2, H_PATTERN, H_SLEEP, H_STOP, H_JUNK, H_SLOT_PATTERN = 1, 2, 4, 8, 16, 32
# Memslot start modes (bits 2-4) and end modes (bits 5-7).
S_POS, S_PAGES, S_EDGE, S_GIB, S_MAXA = 0, 1, 2, 3, 5
E_PAGES, E_EDGE, E_GIB, E_U64_MAX = 0, 1, 2, 4
RO = 2


def rng(kind, length_mode, n, vtl2=False):
    """A range with no gap before it: kind, VTL2, length mode, operand."""
    return [kind | (4 if vtl2 else 0) | length_mode << 5, n]


def gib(kind, n):
    """A range of n + 1 GiB right after the previous one."""
    return rng(kind, 2, n)


def slot(as_mode, start, end, flags, *ops):
    return [as_mode | start << 2 | end << 5, flags] + list(ops)


def edge(i, end, delta=0):
    """Operands of an edge: range i (address order), start or end, pages."""
    return [i, ((delta << 1) | (1 if end else 0)) & 0xff]


# RAM [0, 2G), MMIO [2G, 4G), RAM [4G, 8G).
Q = [3] + gib(RAM, 1) + gib(MMIO, 1) + gib(RAM, 3)

# name: (bytes, outcome "RETURN, as N, unbacked N, readonly N, over_hole N,
# outside N" worked out by hand).
SEEDS = {
    # Memslots [0, 2G) and [4G, 8G): exactly the RAM.
    "exact": [0] + Q + [2] + slot(0, S_POS, E_GIB, 0, 1)
    + slot(0, S_GIB, E_GIB, 0, 2, 3),
    # [4K, 2G - 4K) and [4G, 8G): a page unbacked at each end of RAM 0.
    "unbacked-each-end": [0] + Q + [2]
    + slot(0, S_PAGES, E_EDGE, 0, 1, *edge(0, True, -1))
    + slot(0, S_EDGE, E_EDGE, 0, *edge(2, False), *edge(2, True)),
    # One read-only memslot [0, 10G): read-only RAM 0 and RAM 1, over
    # MMIO, outside [8G, 10G).
    "readonly-over-all": [0] + Q + [1] + slot(0, S_POS, E_GIB, RO, 9),
    # The same, the sink failing at its second finding (the outcome is
    # the full run's).
    "readonly-stop-2": [H_STOP] + Q + [1] + slot(0, S_POS, E_GIB, RO, 9)
    + [2, 0],
    # RAM [0, 2G), VTL2 [2G, 2G + 64M); a memslot [0, VTL2's end + 4K):
    # VTL2 is inside, the page past it outside.
    "vtl2-inside": [H_VTL2, 2] + gib(RAM, 1) + rng(MMIO, 1, 63, True)
    + [1] + slot(0, S_POS, E_EDGE, 0, *edge(1, True, 1)),
    # RAM [0, 2G); address space 1 [0, 1G), 4 [0, 2G): 0, 2, 3 skipped.
    "spaces-skipped": [0, 1] + gib(RAM, 1) + [2] + slot(1, S_POS, E_GIB, 0, 0)
    + slot(2, S_POS, E_EDGE, 0, *edge(0, True)),
    # RAM [0, 2G); [0, 1G) then one overlapping it by a byte.
    "malformed-overlap": [H_JUNK, 1] + gib(RAM, 1) + [2]
    + slot(0, S_POS, E_GIB, 0, 0) + slot(0, S_POS, E_PAGES, 0xa0, 0),
    # RAM [0, 2G) exactly, a memslot [MAX_ADDRESS, 2^64 - 1).
    "outside-top": [0, 1] + gib(RAM, 1) + [2]
    + slot(0, S_POS, E_EDGE, 0, *edge(0, True))
    + slot(0, S_MAXA, E_U64_MAX, 0, 0),
    # 500 ranges [3i + 1, 3i + 3) pages, kinds RAM, RAM, MMIO, RAM by i % 4;
    # 500 memslots exactly over them, read-only when i % 4 is 1.
    "pattern-many": [H_PATTERN | H_SLEEP | H_SLOT_PATTERN, 0]
    + [0xf4, 0x01, 0x10, 1, 0, 1, 0] + [0]
    + [0xf4, 0x01, 0x08, 1, 0, 1, 0],
}

# The outcomes, each worked out from SPEC H4 by hand.
EXPECT = {
    "exact": "0, as 1, unbacked 0, readonly 0, over_hole 0, outside 0",
    "unbacked-each-end": "0, as 1, unbacked 2, readonly 0, over_hole 0, outside 0",
    "readonly-over-all": "0, as 1, unbacked 0, readonly 2, over_hole 1, outside 1",
    "readonly-stop-2": "0, as 1, unbacked 0, readonly 2, over_hole 1, outside 1",
    "vtl2-inside": "0, as 1, unbacked 0, readonly 0, over_hole 0, outside 1",
    # Address space 1: [1G, 2G) unbacked; 4: exact.
    "spaces-skipped": "0, as 2, unbacked 1, readonly 0, over_hole 0, outside 0",
    "malformed-overlap": "-22, as 0, unbacked 0, readonly 0, over_hole 0, outside 0",
    "outside-top": "0, as 1, unbacked 0, readonly 0, over_hole 0, outside 1",
    # i % 4 == 1: read-only RAM (125); i % 4 == 2: over MMIO (125).
    "pattern-many": "0, as 1, unbacked 0, readonly 125, over_hole 125, outside 0",
}

os.makedirs(OUT, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes(data))
with open(os.path.join(OUT, "EXPECT"), "w") as f:
    for name in sorted(EXPECT):
        f.write(f"{name}: {EXPECT[name]}\n")
