#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write fuzz/place-corpus/: seed inputs of fuzz/fuzz_place.c (SPEC C4).

Each input exercises one phase or rule of "Placement (constructor C4)" in
SPEC; its expected outcome in place-corpus/EXPECT is written here by hand
from SPEC (never computed), so `replay-place -e EXPECT` checks the model of
fuzz_place.c itself, as fuzz/gen_corpus.py does for the core's model.

    python3 fuzz/gen_place_corpus.py            # (re)write the corpus
    python3 fuzz/gen_place_corpus.py --check    # compare, write nothing

Input format: see the comment at the top of fuzz/fuzz_place.c.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "place-corpus")

K = 1 << 10
M = 1 << 20
G = 1 << 30
PAGE = 4096
MAXA = (1 << 64) - PAGE

CLASS = {"reserved": 0, "fixed": 1, "mmio32": 2, "ram": 3, "mmio64": 4,
         "post": 5}
# Kind selectors (bits 3-5 of the request byte).
KIND = {None: 0, "mmio": 1, "pci_ecam": 2, "pci_mmio": 3, "vtl2": 4,
        "zero": 5, "ram": 6}
# fuzz_place.c's table of odd alignments (byte 0xe0 | index).
ODD_ALIGN = [0, 1, 2, 2048, 0x3000, 0x5000, 4095, 4097,
             (1 << 64) - 1, (1 << 63) + PAGE, 0x1800, 1 << 63,
             PAGE, 2 * M, G, M + PAGE]
MAX_TABLE = [1, 2, 3, 4095, 4096, 4097, 65536, 0xffffffff,
             0, 5, 8, 16, 31, 32, 64, 100]
PATTERN_TABLE = [300, 1000, 4095, 4096, 4097, 2048, 512, 257]


def val(v):
    """A value: tag 8 (raw 64 bits)."""
    return bytes([8]) + struct.pack("<Q", v % (1 << 64))


def align(a):
    if a & (a - 1) == 0 and PAGE <= a < (1 << 64):
        return bytes([a.bit_length() - 1 - 12])
    return bytes([0xe0 | ODD_ALIGN.index(a)])


def reqbyte(cls, kind=None, raw_class=None):
    if raw_class is not None:
        return bytes([7 | (KIND[kind] << 3), raw_class])
    return bytes([CLASS[cls] | (KIND[kind] << 3)])


def pin(cls, start, end, kind=None):
    if cls == "fixed" and kind is None:
        kind = "mmio"
    return reqbyte(cls, kind) + val(start) + val(end)


def dyn(cls, size, al=PAGE, kind=None):
    if cls in ("mmio32", "mmio64", "post") and kind is None:
        kind = "mmio"
    return reqbyte(cls, kind) + val(size) + align(al)


def ram(size, al=PAGE):
    return dyn("ram", size, al)


def case(reqs, max_ranges=None, junk=False, pattern=None):
    h = 0
    body = b""
    if max_ranges is not None:
        h |= 1
        body += bytes([max_ranges if max_ranges < 17 else
                       0xf0 | MAX_TABLE.index(max_ranges)])
    if pattern is not None:
        h |= 2
    if junk:
        h |= 4
    body += bytes([len(reqs)]) + b"".join(reqs)
    if pattern is not None:
        count, cls, kind, start, stride, size, al = pattern
        body += bytes([count if count < 0xf8 else
                       0xf8 | PATTERN_TABLE.index(count)])
        body += reqbyte(cls, kind) + val(start) + val(stride) + val(size)
        body += align(al)
    return bytes([h]) + body


def placed(*rs):
    return "placed=" + ",".join("%#x-%#x:%s/%d" % r for r in rs)


def p4(cls, index, size, al, free):
    return ("errno=ENOSPC rule=P4 class=%s index=%d phase=%s size=%#x "
            "align=%#x free=%#x" % (cls, index, cls, size, al, free))


CASES = []


def add(name, data, expect):
    CASES.append((name, data, expect))


# --- realistic layouts ------------------------------------------------------
add("q35", case([
    pin("fixed", 0xFE000000, 4 * G),
    dyn("mmio32", 256 * M, 256 * M, "pci_ecam"),
    ram(3 * G, 2 * M), ram(3 * G, G),
    dyn("mmio64", 64 * G, G, "pci_mmio"),
    dyn("post", 64 * M, 2 * M, "vtl2")]),
    "errno=0 rule=NONE " + placed(
        (0, 0xC0000000, "ram", 0),
        (0xE0000000, 0xF0000000, "mmio32", 0),
        (0xFE000000, 0x100000000, "fixed", 0),
        (0x100000000, 0x1C0000000, "ram", 1),
        (0x1C0000000, 0x11C0000000, "mmio64", 0),
        (0x11C0000000, 0x11C4000000, "post", 0)))
add("q35-junk-fields", case([
    pin("fixed", 0xFE000000, 4 * G),
    dyn("mmio32", 256 * M, 256 * M, "pci_ecam"),
    ram(3 * G, 2 * M), ram(3 * G, G),
    dyn("mmio64", 64 * G, G, "pci_mmio"),
    dyn("post", 64 * M, 2 * M, "vtl2")], junk=True),
    "errno=0 rule=NONE n=6")
add("arm64", case([
    pin("reserved", 0, G),
    pin("fixed", 0xEF000000, 4 * G),
    dyn("mmio32", 128 * M, 2 * M),
    ram(2 * G, 2 * M)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "reserved", 0),
        (0x40000000, 0xC0000000, "ram", 0),
        (0xE7000000, 0xEF000000, "mmio32", 0),
        (0xEF000000, 0x100000000, "fixed", 0)))

# --- phases ------------------------------------------------------------------
# mmio32: by alignment, then size, descending; ties in caller order.
add("mmio32-order", case([
    dyn("mmio32", M, PAGE), dyn("mmio32", 2 * M, M),
    dyn("mmio32", M, M), dyn("mmio32", 2 * M, M, "pci_mmio"),
    ram(G)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "ram", 0),
        (0xFFA00000, 0xFFB00000, "mmio32", 0),
        (0xFFB00000, 0xFFC00000, "mmio32", 2),
        (0xFFC00000, 0xFFE00000, "mmio32", 3),
        (0xFFE00000, 0x100000000, "mmio32", 1)))
# RAM splits around a fixed range; the split extent rounds down to 2 MiB.
add("ram-split", case([
    pin("fixed", 0x50100000, 0x50200000), ram(2 * G, 2 * M)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x50000000, "ram", 0),
        (0x50100000, 0x50200000, "fixed", 0),
        (0x50200000, 0x80200000, "ram", 0)))
# Each RAM request starts at or above the end of the previous one.
add("ram-no-backfill", case([
    pin("fixed", 0x10000000, 0x10001000),
    ram(128 * M), ram(512 * M, 512 * M), ram(PAGE)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x8000000, "ram", 0),
        (0x10000000, 0x10001000, "fixed", 0),
        (0x20000000, 0x40000000, "ram", 1),
        (0x40000000, 0x40001000, "ram", 2)))
# mmio64 at or above 4 GiB (RAM is smaller), skipping a fixed range, 4 GiB
# alignment placed first.
add("mmio64-skip-fixed", case([
    ram(G), pin("fixed", 4 * G, 4 * G + M),
    dyn("mmio64", M), dyn("mmio64", 4 * G, 4 * G)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "ram", 0),
        (0x100000000, 0x100100000, "fixed", 0),
        (0x100100000, 0x100200000, "mmio64", 0),
        (0x200000000, 0x300000000, "mmio64", 1)))
add("mmio64-above-ram", case([
    ram(8 * G), dyn("mmio64", G, G, "pci_mmio")]),
    "errno=0 rule=NONE " + placed(
        (0, 0x200000000, "ram", 0),
        (0x200000000, 0x240000000, "mmio64", 0)))
# Post-MMIO in caller order above every non-reserved range: the first fits
# below a reserved range, the second (VTL2) goes past it.
add("post-order-reserved", case([
    ram(G), pin("reserved", 2 * G, 2 * G + 256 * M),
    dyn("post", M), dyn("post", 2 * G, PAGE, "vtl2")]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "ram", 0),
        (0x40000000, 0x40100000, "post", 0),
        (0x80000000, 0x90000000, "reserved", 0),
        (0x90000000, 0x110000000, "post", 1)))
# Reserved ranges below a placed range are reported, those above all dropped.
add("reserved-trailing", case([
    pin("reserved", 8 * G, 9 * G), pin("reserved", 2 * G, 3 * G),
    pin("reserved", MAXA - G, MAXA), ram(G), dyn("mmio64", G, G)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "ram", 0),
        (0x80000000, 0xC0000000, "reserved", 1),
        (0x100000000, 0x140000000, "mmio64", 0)))
# D8: size 0 is a memory-less node (any alignment), vnodes keep numbering.
add("d8-memless", case([
    ram(0, 0), ram(G), ram(0, 1), ram(PAGE)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "ram", 1),
        (0x40000000, 0x40001000, "ram", 3)))
# R5 comes last, from the build: nothing but memory-less nodes.
add("r5-memless-only", case([ram(0), dyn("mmio32", PAGE)]),
    "errno=0 rule=NONE build=R5 " + placed(
        (0xFFFFF000, 0x100000000, "mmio32", 0)))
add("r5-empty", case([]), "errno=0 rule=NONE build=R5 n=0")
# Near MAX_ADDRESS: a reserved page just below it (trailing: dropped), a
# 2^62 mmio64, post-MMIO filling exactly what is left.
add("near-max", case([
    pin("reserved", MAXA - PAGE, MAXA), ram(G),
    dyn("mmio64", 1 << 62, 1 << 62),
    dyn("post", PAGE, 1 << 63),
    dyn("post", 0x7FFFFFFFFFFFD000)]),
    "errno=0 rule=NONE " + placed(
        (0, 0x40000000, "ram", 0),
        (1 << 62, 1 << 63, "mmio64", 0),
        (1 << 63, (1 << 63) + PAGE, "post", 0),
        ((1 << 63) + PAGE, MAXA - PAGE, "post", 1)))
# A fixed range ending at MAX_ADDRESS lifts the post-MMIO floor to the top.
add("near-max-fixed-top", case([
    pin("fixed", MAXA - PAGE, MAXA), ram(G), dyn("post", PAGE)]),
    p4("post", 0, PAGE, PAGE, 0))
# A large pinned pattern: RAM splits into 1001 one-page extents.
add("pattern-fixed-1000", case([ram(1001 * PAGE)], pattern=(
    1000, "fixed", "pci_mmio", PAGE, 2 * PAGE, PAGE, PAGE)),
    "errno=0 rule=NONE n=2001")
add("pattern-mmio32-300", case([ram(G)], pattern=(
    300, "mmio32", "mmio", 0, 0, PAGE, PAGE)),
    "errno=0 rule=NONE n=301")
# The C3 build's R8 on the RAM extents (17 extents, limit 16).
add("build-r8-extents", case([ram(17 * PAGE)], max_ranges=16, pattern=(
    16, "fixed", "mmio", PAGE, 2 * PAGE, PAGE, PAGE)),
    "errno=0 rule=NONE build=R8 n=33")

# --- P4 in each phase --------------------------------------------------------
add("p4-mmio32", case([pin("fixed", PAGE, 4 * G), ram(G),
                       dyn("mmio32", 2 * PAGE)]),
    p4("mmio32", 0, 2 * PAGE, PAGE, PAGE))
add("p4-ram", case([pin("fixed", 4 * G, MAXA), ram(G), ram(4 * G)]),
    p4("ram", 1, 4 * G, PAGE, 3 * G))
add("p4-ram-align", case([pin("fixed", 0x300000, MAXA),
                          ram(4 * M, 2 * M)]),
    p4("ram", 0, 4 * M, 2 * M, 0x300000))
add("p4-mmio64", case([ram(G), pin("fixed", 4 * G + PAGE, MAXA),
                       dyn("mmio64", 2 * PAGE)]),
    p4("mmio64", 0, 2 * PAGE, PAGE, PAGE))
add("p4-mmio64-wrap", case([ram(G), dyn("mmio64", 1 << 63, 1 << 63)]),
    p4("mmio64", 0, 1 << 63, 1 << 63, MAXA - 4 * G))
add("p4-post", case([ram(G), pin("reserved", 2 * G, MAXA),
                     dyn("post", 2 * G)]),
    p4("post", 0, 2 * G, PAGE, G))
add("p4-post-align-wrap", case([
    ram(G), pin("fixed", (1 << 63) + PAGE, (1 << 63) + 2 * PAGE),
    dyn("post", PAGE, 1 << 63)]),
    p4("post", 0, PAGE, 1 << 63, MAXA - (1 << 63) - 2 * PAGE))

# --- P1, P2, P3, R2, R8 and the check order ---------------------------------
add("p1-zero", case([ram(G), dyn("mmio32", 0)]),
    "errno=EINVAL rule=P1 class=mmio32 index=0")
add("p1-before-p2", case([ram(G), dyn("mmio64", PAGE),
                          dyn("mmio64", 0x1800, 0)]),
    "errno=EINVAL rule=P1 class=mmio64 index=1")
add("p2-not-power", case([ram(G), dyn("post", PAGE, 0x3000)]),
    "errno=EINVAL rule=P2 class=post index=0")
add("p2-ram-zero-align", case([ram(PAGE, 0)]),
    "errno=EINVAL rule=P2 class=ram index=0")
add("p2-huge", case([ram(G), dyn("mmio64", PAGE, (1 << 63) + PAGE)]),
    "errno=EINVAL rule=P2 class=mmio64 index=0")
# mmio32 is checked before RAM, whatever the caller order.
add("check-order-class", case([ram(0x1001), dyn("mmio32", PAGE),
                               dyn("mmio32", PAGE, 2048)]),
    "errno=EINVAL rule=P2 class=mmio32 index=1")
add("p3-fixed-pair", case([
    pin("reserved", 0x10000, 0x20000), pin("fixed", 0x1000, 0x8000),
    pin("fixed", 0x7000, 0x9000), ram(G)]),
    "errno=EEXIST rule=P3 class=fixed index=0 other=fixed/1")
add("p3-equal-start", case([
    pin("fixed", PAGE, 2 * PAGE), pin("reserved", PAGE, 3 * PAGE), ram(G)]),
    "errno=EEXIST rule=P3 class=reserved index=0 other=fixed/0")
add("p3-before-p1", case([
    dyn("mmio32", 0), pin("fixed", 0, 2 * PAGE),
    pin("fixed", PAGE, 3 * PAGE)]),
    "errno=EEXIST rule=P3 class=fixed index=0 other=fixed/1")
add("r2-reversed", case([
    pin("reserved", 0, PAGE), pin("reserved", 0, PAGE),
    pin("fixed", 2 * PAGE, PAGE)]),
    "errno=EINVAL rule=R2 class=fixed index=0")
add("r2-near-max", case([pin("reserved", MAXA - PAGE, (1 << 64) - 1)]),
    "errno=EINVAL rule=R2 class=reserved index=0")
add("r8-class", case([
    pin("reserved", 0, PAGE), pin("reserved", PAGE, 2 * PAGE),
    dyn("mmio64", PAGE), dyn("mmio64", PAGE), dyn("mmio64", PAGE),
    ram(0x1001)], max_ranges=2),
    "errno=E2BIG rule=R8 class=mmio64 index=2")
add("r8-4097-ram", case([], pattern=(4097, "ram", None, 0, 0, PAGE, PAGE)),
    "errno=E2BIG rule=R8 class=ram index=4096")

# --- interface checks (kernel-doc of memlayout_place()) ----------------------
add("flags-unknown-class", case([
    ram(G), reqbyte(None, None, raw_class=0) + val(PAGE) + align(PAGE)]),
    "errno=EOPNOTSUPP rule=FLAGS index=1")
add("kind-two-vtl2", case([
    ram(G), dyn("post", PAGE, PAGE, "vtl2"), dyn("post", PAGE, PAGE, "vtl2")]),
    "errno=EINVAL rule=KIND class=post index=1")
add("kind-before-r2", case([
    pin("reserved", 2 * PAGE, PAGE), pin("fixed", 0, PAGE, "zero"), ram(G)]),
    "errno=EINVAL rule=KIND class=fixed index=0")
add("kind-ram", case([dyn("ram", G, PAGE, "mmio")]),
    "errno=EINVAL rule=KIND class=ram index=0")


def main():
    check = "--check" in sys.argv[1:]
    bad = 0
    expect = ["# Generated by fuzz/gen_place_corpus.py; do not edit.",
              "# NAME errno=E rule=R [class= index= other=C/N phase= size= "
              "align= free=] [placed=START-END:C/N,...|n=N] [build=RULE]"]
    for name, data, exp in CASES:
        expect.append("%s %s" % (name, exp))
        path = os.path.join(OUT, name)
        if check:
            try:
                with open(path, "rb") as f:
                    bad += f.read() != data
            except OSError:
                bad += 1
        else:
            os.makedirs(OUT, exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    text = "\n".join(expect) + "\n"
    path = os.path.join(OUT, "EXPECT")
    if check:
        try:
            with open(path) as f:
                bad += f.read() != text
        except OSError:
            bad += 1
        print("gen_place_corpus: %d inputs, %s" %
              (len(CASES), "differ" if bad else "up to date"))
        return 1 if bad else 0
    with open(path, "w") as f:
        f.write(text)
    print("gen_place_corpus: wrote %d inputs and EXPECT" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
