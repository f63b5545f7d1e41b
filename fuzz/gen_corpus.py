#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write memlayout's seed corpora and their expectations.

    fuzz/gen_corpus.py [--out DIR] [--check]

Writes, under DIR (default: the directory of this script):

  corpus/NAME            one input per SPEC rule and case (R1-R8, C1-C3,
                         D1-D7, Q6-Q9), in fuzz_core.c's input format
  corpus.expect          the outcome SPEC gives for each of them
  kunit-corpus/NAME      the requests of the KUnit tables (kunit/*_kunit.c)
  kunit-corpus.expect    the outcomes those tables expect

The expectations are written by hand from SPEC and the KUnit tables, not
computed: replay -e checks the fuzz target's model against them. With
--check nothing is written; the exit status says whether the files on
disk are what this script would write.

The input format is described in fuzz/README.md; encode() below is its
writer, decode_value() a mirror of the reader used to check each value.
"""

import argparse
import os
import sys

PAGE = 4096
MAX = (1 << 64) - PAGE
U64 = (1 << 64) - 1
U32 = (1 << 32) - 1
LIMIT = 65536
DEFAULT_LIMIT = 4096
PATTERN_MAX = 4200
PATTERN_HUGE = 0xA5C3
PATTERN_BIG = (1365, 1366, 4095, 4096, 4097, PATTERN_MAX)
COUNT_MOD = 20
G4 = 1 << 32


def KB(x):
    return x << 10


def MB(x):
    return x << 20


def GB(x):
    return x << 30


def TB(x):
    return x << 40


# Tables of fuzz_core.c's decoder.
MAX_TABLE = [1, 2, 3, 4095, 4096, 4097, PATTERN_MAX, LIMIT - 1, LIMIT,
             LIMIT + 1, U32, 0x80000000, 8191, 100000, 5, 0]
PARAM_TABLE = [4096, 4095, 4097, LIMIT, 1, 2, 3, PATTERN_MAX, 8192,
               LIMIT - 1, 100, 17, 18, 19, 20, 4096]

LISTS = ["ram", "mmio", "pci_ecam", "pci_mmio"]
NULL_BIT = {"ram": 1, "mmio": 2, "pci_ecam": 4, "pci_mmio": 8, "nodes": 16}
SOURCES = {"c1": 1, "c2": 2, "c3": 3}

ERRNO_OF_RULE = {
    "BAD_SIZE": "EINVAL", "BAD_RANGE": "EINVAL", "BAD_ORDER": "EINVAL",
    "OVERLAP": "EEXIST", "NO_RAM": "EINVAL", "TOO_LARGE": "EOVERFLOW",
    "VTL2_BELOW_RAM": "EINVAL", "TOO_MANY": "E2BIG",
}


# ---------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------

def s8(b):
    return b - 256 if b >= 128 else b


def decode_value(data, base=0):
    """Mirror of fuzz_core.c rdval(): returns (value, bytes used)."""
    data = bytes(data) + bytes(16)
    tag = data[0] & 0x0F
    b = data[1]
    le16 = data[1] | data[2] << 8
    m = U64
    if tag == 0:
        return 0, 1
    if tag == 1:
        return b * PAGE, 2
    if tag == 2:
        return le16 * PAGE, 3
    if tag == 3:
        return b << 30, 2
    if tag == 4:
        return (G4 + s8(b) * PAGE) & m, 2
    if tag == 5:
        return (MAX - b * PAGE) & m, 2
    if tag == 6:
        return U64 - b, 2
    if tag == 7:
        v = 1 << (b & 63)
        if b & 0x40:
            v -= PAGE
        if b & 0x80:
            v += PAGE
        return v & m, 2
    if tag == 8:
        return int.from_bytes(data[1:9], "little"), 9
    if tag == 9:
        return (base + b * PAGE) & m, 2
    if tag == 10:
        return (base - b * PAGE) & m, 2
    if tag == 11:
        return (base + (b << 30)) & m, 2
    if tag == 12:
        return (base + s8(b)) & m, 2
    if tag == 13:
        return base, 1
    if tag == 14:
        return (b << 40) & m, 2
    return (le16 << 20) & m, 3


def encode_value(v):
    """The shortest absolute encoding of v (no relative tags)."""
    v &= U64
    cands = [bytes([8]) + v.to_bytes(8, "little")]
    if v == 0:
        cands.append(bytes([0]))
    if v % PAGE == 0 and v // PAGE < 256:
        cands.append(bytes([1, v // PAGE]))
    if v % PAGE == 0 and v // PAGE < 65536:
        cands.append(bytes([2]) + (v // PAGE).to_bytes(2, "little"))
    if v % GB(1) == 0 and v >> 30 < 256:
        cands.append(bytes([3, v >> 30]))
    if v % TB(1) == 0 and v >> 40 < 256:
        cands.append(bytes([14, v >> 40]))
    if v % MB(1) == 0 and v >> 20 < 65536:
        cands.append(bytes([15]) + (v >> 20).to_bytes(2, "little"))
    d = v - G4
    if d % PAGE == 0 and -128 <= d // PAGE <= 127:
        cands.append(bytes([4, (d // PAGE) & 0xFF]))
    if v <= MAX and (MAX - v) % PAGE == 0 and (MAX - v) // PAGE < 256:
        cands.append(bytes([5, (MAX - v) // PAGE]))
    if U64 - v < 256:
        cands.append(bytes([6, U64 - v]))
    for k in range(64):
        if v == 1 << k:
            cands.append(bytes([7, k]))
        if v == (1 << k) - PAGE:
            cands.append(bytes([7, k | 0x40]))
        if v == (1 << k) + PAGE:
            cands.append(bytes([7, k | 0x80]))
    best = min(cands, key=len)
    got, used = decode_value(best)
    assert got == v and used == len(best), (hex(v), best)
    return best


# ---------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------

def R(s, e, vnode=0):
    return (s, e, vnode)


class Pattern:
    """k ranges [start + i * stride, + length) (or k nodes of start bytes)."""

    def __init__(self, k, start, stride=0, length=0, vnode=0):
        self.k, self.start, self.stride = k, start, stride
        self.length, self.vnode = length, vnode


class Req:
    def __init__(self, source, ram_size=0, nodes=(), ram=(), mmio=(),
                 pci_ecam=(), pci_mmio=(), vtl2=None, max_ranges=0,
                 param=None, null=(), put=False, patterns=None, probes=()):
        self.source = source
        self.ram_size = ram_size
        self.nodes = list(nodes)
        self.lists = {"ram": list(ram), "mmio": list(mmio),
                      "pci_ecam": list(pci_ecam), "pci_mmio": list(pci_mmio)}
        self.vtl2 = vtl2
        self.max_ranges = max_ranges
        self.param = param
        self.null = set(null)
        self.put = put
        self.patterns = patterns or {}
        self.probes = list(probes)

    def encode(self):
        pats = self.patterns
        h = 0
        out = bytearray()
        if self.source in SOURCES:
            h |= SOURCES[self.source]
        if self.vtl2 is not None:
            h |= 0x04
        if self.max_ranges:
            h |= 0x08
        if self.param is not None:
            h |= 0x10
        if self.null:
            h |= 0x20
        if self.put:
            h |= 0x40
        if pats:
            h |= 0x80
        out.append(h)
        if self.source not in SOURCES:
            v = self.source
            if v == 0:
                out.append(0)
            elif v == U32:
                out.append(1)
            else:
                assert 4 <= v <= 257, v
                out.append(v - 2)
        if self.max_ranges:
            if self.max_ranges <= 16:
                out.append(self.max_ranges)
            else:
                out.append(0xF0 + MAX_TABLE.index(self.max_ranges))
        if self.param is not None:
            if 1 <= self.param <= 16:
                out.append(self.param - 1)
            else:
                out.append(0xF0 + PARAM_TABLE.index(self.param))
        if self.null:
            m = 0
            for name in self.null:
                m |= NULL_BIT[name]
            out.append(m)
        for name in LISTS:
            assert len(self.lists[name]) < COUNT_MOD, name
            out.append(len(self.lists[name]))
        assert len(self.nodes) < COUNT_MOD
        out.append(len(self.nodes))
        out += encode_value(self.ram_size)
        for size in self.nodes:
            out += encode_value(size)
        for name in LISTS:
            for r in self.lists[name]:
                out += self.encode_range(r)
        if self.vtl2 is not None:
            out += self.encode_range(self.vtl2)
        if pats:
            for name in LISTS + ["nodes"]:
                p = pats.get(name)
                if not p or not p.k:
                    out.append(0)
                    continue
                if p.k < 64:
                    out.append(p.k << 2 | 1)
                else:
                    k = PATTERN_HUGE if p.k == LIMIT + 1 else p.k
                    assert k < 256 or k in PATTERN_BIG or k == PATTERN_HUGE, p.k
                    out.append(3)
                    out += k.to_bytes(2, "little")
                out += encode_value(p.start)
                out += encode_value(p.stride)
                out += encode_value(p.length)
                assert p.vnode < 256
                out.append(p.vnode)
        assert len(self.probes) <= 32
        out.append(len(self.probes))
        for a in self.probes:
            out += encode_value(a)
        return bytes(out)

    @staticmethod
    def encode_range(r):
        s, e, vnode = r
        if vnode == U32:
            x = 0xFF
        else:
            assert 0 <= vnode < 0xFF, vnode
            x = vnode
        return encode_value(s) + encode_value(e) + bytes([x])


def C1(size, **kw):
    return Req("c1", ram_size=size, **kw)


def C2(*nodes, **kw):
    return Req("c2", nodes=nodes, **kw)


def C3(*ram, **kw):
    return Req("c3", ram=ram, **kw)


# ---------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------

def ERR(rule, lst="NONE", index=0, other="NONE", other_index=0):
    return "%s %s %s %d %s %d" % (ERRNO_OF_RULE[rule], rule, lst, index,
                                  other, other_index)


MALFORMED = "EINVAL NONE NONE 0 NONE 0"


def fmt_opt(v):
    return "none" if v is None else hex(v)


def OK(ram=None, size=None, eor=None, below=None, above=None,
       max4g="skip", high="skip", eol=None, vtl2="skip", **counts):
    """Accepted; optional checks of Q1-Q8 (max4g/high/vtl2 None: absent)."""
    t = ["0"]
    if size is not None:
        t.append("size=%#x" % size)
    if eor is not None:
        t.append("eor=%#x" % eor)
    if below is not None:
        t.append("below=%#x" % below)
    if above is not None:
        t.append("above=%#x" % above)
    if max4g != "skip":
        t.append("max4g=" + fmt_opt(max4g))
    if high != "skip":
        t.append("high=" + fmt_opt(high))
    if eol is not None:
        t.append("eol=%#x" % eol)
    if vtl2 != "skip":
        t.append("vtl2=" + fmt_opt(vtl2))
    for key in ("nram", "nmmio", "necam", "npmmio"):
        if key in counts:
            t.append("%s=%d" % (key, counts.pop(key)))
    assert not counts, counts
    if ram is not None:
        t.append("ram=" + ",".join(
            "%#x-%#x" % (r[0], r[1]) + ("/%d" % r[2] if r[2] else "")
            for r in ram))
    return " ".join(t)


# Seed corpus: the SPEC, rule by rule.
# ---------------------------------------------------------------------

SEED_MMIO = [R(GB(1), GB(2)), R(GB(3), GB(4))]
SEED_RAM = [R(0, GB(1)), R(GB(2), GB(3)), R(GB(4), TB(1) + GB(2))]
SEED_PROBES = [0, 256, GB(2), GB(4), TB(1), TB(1) + 1, GB(1), GB(1) + 123,
               GB(3), TB(1) + GB(2), TB(1) + GB(3), TB(4)]


def four(base=GB(2)):
    """Four one-GiB ranges, one GiB apart, from base."""
    return [R(base + GB(2 * i), base + GB(2 * i + 1)) for i in range(4)]


def seed_cases():
    c = []

    def add(name, req, want):
        c.append((name, req, want))

    # C1: RAM from a size
    add("c1-seed-layout", C1(TB(1), mmio=SEED_MMIO, probes=SEED_PROBES),
        OK(ram=SEED_RAM, size=TB(1), eor=TB(1) + GB(2), below=GB(2),
           above=TB(1) - GB(2), max4g=GB(3), high=TB(1) - GB(2),
           eol=TB(1) + GB(2), vtl2=None, nmmio=2, necam=0, npmmio=0))
    add("c1-all-hole-kinds",
        C1(GB(4), mmio=[R(GB(1), GB(2))],
           pci_ecam=[R(GB(2) + MB(512), GB(3))],
           pci_mmio=[R(GB(2), GB(2) + MB(256))]),
        OK(ram=[R(0, GB(1)), R(GB(2) + MB(256), GB(2) + MB(512)),
                R(GB(3), GB(5) + MB(768))],
           size=GB(4), eor=GB(5) + MB(768), below=GB(2) + MB(256),
           above=GB(1) + MB(768), max4g=G4, high=None, eol=GB(5) + MB(768)))
    add("c1-max-address", C1(MAX),
        OK(ram=[R(0, MAX)], size=MAX, eor=MAX, below=G4, above=MAX - G4,
           max4g=G4, eol=MAX))
    add("c1-one-page", C1(PAGE),
        OK(ram=[R(0, PAGE)], size=PAGE, below=PAGE, above=0, max4g=PAGE,
           eol=PAGE))
    add("c1-holes-above-ram-vtl2",
        C1(GB(1), mmio=[R(GB(2), GB(3))], pci_ecam=[R(GB(4), GB(5))],
           pci_mmio=[R(GB(8), GB(9))], vtl2=R(GB(16), GB(17))),
        OK(ram=[R(0, GB(1))], eor=GB(1), eol=GB(9), vtl2=GB(16)))
    add("c1-put-release",
        C1(GB(2), mmio=[R(GB(1), GB(1) + PAGE)], put=True),
        OK(ram=[R(0, GB(1)), R(GB(1) + PAGE, GB(2) + PAGE)]))
    add("c1-ignores-c2-c3-fields",
        Req("c1", ram_size=GB(1), ram=[R(GB(3), GB(4)), R(0, GB(1))],
            nodes=[0], max_ranges=1),
        OK(ram=[R(0, GB(1))]))

    # C2: RAM from node sizes
    add("c2-split-mid-chunk", C2(MB(512), GB(1), mmio=[R(GB(1), GB(2))]),
        OK(ram=[R(0, MB(512), 0), R(MB(512), GB(1), 1),
                R(GB(2), GB(2) + MB(512), 1)],
           size=GB(1) + MB(512), eor=GB(2) + MB(512)))
    add("c2-three-nodes-three-holes",
        C2(GB(1) + MB(512), GB(1) + MB(512), GB(1), mmio=[R(GB(1), GB(2))],
           pci_ecam=[R(GB(3), GB(3) + MB(256))], pci_mmio=[R(GB(5), GB(6))]),
        OK(ram=[R(0, GB(1), 0), R(GB(2), GB(2) + MB(512), 0),
                R(GB(2) + MB(512), GB(3), 1),
                R(GB(3) + MB(256), GB(4) + MB(256), 1),
                R(GB(4) + MB(256), GB(5), 2), R(GB(6), GB(6) + MB(256), 2)],
           size=GB(4), eor=GB(6) + MB(256), eol=GB(6) + MB(256)))
    add("c2-nodes-fill-max", C2(PAGE, MAX - PAGE),
        OK(ram=[R(0, PAGE, 0), R(PAGE, MAX, 1)], size=MAX, eor=MAX))
    add("c2-vtl2-above-nodes",
        C2(GB(1), GB(1), mmio=[R(GB(1), GB(2))], vtl2=R(GB(3), GB(4))),
        OK(ram=[R(0, GB(1), 0), R(GB(2), GB(3), 1)], vtl2=GB(3)))
    add("c2-ignores-c1-c3-fields",
        Req("c2", nodes=[GB(1)], ram_size=1, ram=[R(5, 3)]),
        OK(ram=[R(0, GB(1))]))

    # C3: RAM as given
    add("c3-seed-layout", C3(*SEED_RAM, mmio=SEED_MMIO, probes=SEED_PROBES),
        OK(ram=SEED_RAM, size=TB(1), eor=TB(1) + GB(2), below=GB(2),
           above=TB(1) - GB(2), max4g=GB(3), high=TB(1) - GB(2)))
    add("c3-vnodes-touching",
        C3(R(0, GB(1), 3), R(GB(1), GB(2), 3), R(GB(2), GB(3), U32),
           R(GB(4), GB(5), 0)),
        OK(ram=[R(0, GB(1), 3), R(GB(1), GB(2), 3), R(GB(2), GB(3), U32),
                R(GB(4), GB(5), 0)], size=GB(4), eor=GB(5)))
    mixed = dict(mmio=[R(GB(2), GB(3)), R(GB(64), GB(128))],
                 pci_ecam=[R(GB(3), GB(3) + MB(256))],
                 pci_mmio=[R(GB(3) + MB(256), GB(4))],
                 vtl2=R(GB(6), GB(6) + MB(64)))
    add("c3-mixed-vtl2",
        C3(R(0, GB(1)), R(GB(1), GB(2), 1), R(GB(4), GB(6)),
           probes=[GB(6), GB(6) + MB(32), GB(64) - 1, GB(100) + 123,
                   GB(128), TB(1), U64, GB(3) - 1], **mixed),
        OK(size=GB(4), eor=GB(6), below=GB(2), above=GB(2), max4g=GB(2),
           high=0, eol=GB(128), vtl2=GB(6), nram=3, nmmio=2, necam=1,
           npmmio=1))
    add("c3-ignores-c1-c2-fields",
        Req("c3", ram=[R(GB(2), GB(3), 1)], ram_size=1, nodes=[0]),
        OK(ram=[R(GB(2), GB(3), 1)]))

    # R1
    add("r1-c1-zero", C1(0), ERR("BAD_SIZE"))
    add("r1-c1-unaligned", C1(GB(1) + KB(2)), ERR("BAD_SIZE"))
    add("r1-c1-u64-max", C1(U64), ERR("BAD_SIZE"))
    add("r1-c2-no-nodes", C2(), ERR("BAD_SIZE", "NODES"))
    add("r1-c2-node1-zero", C2(GB(1), 0, GB(1)), ERR("BAD_SIZE", "NODES", 1))
    add("r1-c2-node2-unaligned", C2(GB(1), GB(1), GB(1) + 512),
        ERR("BAD_SIZE", "NODES", 2))
    add("r1-before-r2", C1(0, mmio=[R(GB(4), GB(4))]), ERR("BAD_SIZE"))

    # R2
    add("r2-ram-empty", C3(R(0, GB(1)), R(GB(2), GB(2))),
        ERR("BAD_RANGE", "RAM", 1))
    add("r2-ram-reversed", C3(R(GB(2), GB(1))), ERR("BAD_RANGE", "RAM"))
    add("r2-mmio-unaligned",
        C1(GB(1), mmio=[R(GB(1), GB(2)), R(GB(3), GB(3) + 100)]),
        ERR("BAD_RANGE", "MMIO", 1))
    add("r2-pci-ecam-above-max", C1(GB(1), pci_ecam=[R(GB(4), U64)]),
        ERR("BAD_RANGE", "PCI_ECAM"))
    add("r2-pci-mmio-wrapped",
        C1(GB(1), pci_mmio=[R(MAX - PAGE, (MAX + PAGE) & U64)]),
        ERR("BAD_RANGE", "PCI_MMIO"))
    add("r2-vtl2-empty-d7", C1(GB(1), vtl2=R(GB(2), GB(2))),
        ERR("BAD_RANGE", "VTL2"))
    add("r2-vtl2-unaligned", C3(R(0, GB(1)), vtl2=R(GB(2) + 1, GB(3))),
        ERR("BAD_RANGE", "VTL2"))
    add("r2-before-r3",
        C3(R(GB(1), GB(2)), R(0, MB(512)), pci_mmio=[R(GB(8), GB(8))]),
        ERR("BAD_RANGE", "PCI_MMIO"))
    add("r2-c1-ignores-ram", C1(GB(1), ram=[R(5, 3)]), OK(ram=[R(0, GB(1))]))

    # R3
    add("r3-ram-unsorted", C3(R(GB(1), GB(2)), R(0, MB(512))),
        ERR("BAD_ORDER", "RAM", 1))
    add("r3-mmio-overlapping",
        C1(GB(1), mmio=[R(GB(2), GB(4)), R(GB(3), GB(5))]),
        ERR("BAD_ORDER", "MMIO", 1))
    add("r3-pci-ecam-one-page",
        C1(GB(1), pci_ecam=[R(GB(2), GB(3)), R(GB(3), GB(4)),
                            R(GB(4) - PAGE, GB(5))]),
        ERR("BAD_ORDER", "PCI_ECAM", 2))
    add("r3-pci-mmio-duplicate",
        C1(GB(1), pci_mmio=[R(GB(2), GB(3)), R(GB(2), GB(3))]),
        ERR("BAD_ORDER", "PCI_MMIO", 1))
    add("r3-before-r6",
        C1(MAX, mmio=[R(2 * PAGE, 3 * PAGE), R(0, PAGE)]),
        ERR("BAD_ORDER", "MMIO", 1))
    add("r3-r4-touching-accepted",
        C3(R(0, GB(1)), R(GB(1), GB(2)),
           mmio=[R(GB(2), GB(3)), R(GB(3), GB(4))],
           pci_ecam=[R(GB(4), GB(5)), R(GB(5), GB(6))],
           pci_mmio=[R(GB(6), GB(7)), R(GB(7), GB(8))],
           vtl2=R(GB(8), GB(9))),
        OK(size=GB(2), eol=GB(8), vtl2=GB(8), high=0))

    # R4
    add("r4-ram-then-mmio", C3(R(0, GB(2)), mmio=[R(GB(1), GB(3))]),
        ERR("OVERLAP", "RAM", 0, "MMIO", 0))
    add("r4-mmio-then-ram", C3(R(GB(1), GB(3)), mmio=[R(0, GB(2))]),
        ERR("OVERLAP", "MMIO", 0, "RAM", 0))
    add("r4-same-start-ram-first", C3(R(GB(1), GB(2)), mmio=[R(GB(1), GB(3))]),
        ERR("OVERLAP", "RAM", 0, "MMIO", 0))
    add("r4-same-start-lower-list-first",
        C1(GB(1), pci_mmio=[R(GB(4), GB(5))], pci_ecam=[R(GB(4), GB(6))]),
        ERR("OVERLAP", "PCI_ECAM", 0, "PCI_MMIO", 0))
    add("r4-c1-holes", C1(GB(1), mmio=[R(GB(2), GB(3))],
                          pci_ecam=[R(GB(2) + MB(512), GB(4))]),
        ERR("OVERLAP", "MMIO", 0, "PCI_ECAM", 0))
    add("r4-lowest-pair",
        C3(R(0, GB(2)), R(GB(4), GB(6)), pci_ecam=[R(GB(5), GB(7))],
           mmio=[R(GB(1), GB(3))]),
        ERR("OVERLAP", "RAM", 0, "MMIO", 0))
    add("r4-hole-inside-ram", C3(R(0, GB(4)), pci_mmio=[R(GB(1), GB(2))]),
        ERR("OVERLAP", "RAM", 0, "PCI_MMIO", 0))
    add("r4-vtl2-in-c1-ram", C1(GB(2), vtl2=R(GB(1), GB(1) + PAGE)),
        ERR("OVERLAP", "RAM", 0, "VTL2", 0))
    add("r4-vtl2-in-c2-node1",
        C2(GB(1), GB(1), vtl2=R(GB(1) + MB(512), GB(1) + MB(513))),
        ERR("OVERLAP", "RAM", 1, "VTL2", 0))
    add("r4-vtl2-same-start-as-hole",
        C1(GB(1), mmio=[R(GB(4), GB(5))], vtl2=R(GB(4), GB(6))),
        ERR("OVERLAP", "MMIO", 0, "VTL2", 0))
    add("r4-vtl2-first-lowest-range",
        C3(R(GB(1), GB(2)), R(GB(3), GB(4)), vtl2=R(MB(512), GB(5))),
        ERR("OVERLAP", "VTL2", 0, "RAM", 0))
    add("r4-vtl2-spanning-lowest-hole",
        C3(R(0, GB(1)), R(GB(2), GB(3)), mmio=[R(GB(1), GB(2))],
           vtl2=R(GB(1) + MB(512), GB(4))),
        ERR("OVERLAP", "MMIO", 0, "VTL2", 0))
    add("r4-pairs-before-vtl2",
        C3(R(0, GB(1)), R(GB(2), GB(3)), mmio=[R(GB(2) + MB(512), GB(4))],
           vtl2=R(MB(512), MB(512) + PAGE)),
        ERR("OVERLAP", "RAM", 1, "MMIO", 0))
    add("r4-before-r5",
        C3(mmio=[R(GB(1), GB(3))], pci_ecam=[R(GB(2), GB(4))]),
        ERR("OVERLAP", "MMIO", 0, "PCI_ECAM", 0))
    add("r4-before-r7",
        C3(R(0, GB(1)), R(GB(2), GB(3)), vtl2=R(MB(512), GB(1) + MB(512))),
        ERR("OVERLAP", "RAM", 0, "VTL2", 0))

    # R5
    add("r5-nothing", C3(), ERR("NO_RAM", "RAM"))
    add("r5-holes-only",
        C3(mmio=[R(GB(1), GB(2))], pci_ecam=[R(GB(2), GB(3))],
           pci_mmio=[R(GB(3), GB(4))]), ERR("NO_RAM", "RAM"))
    add("r5-vtl2-only", C3(vtl2=R(0, PAGE)), ERR("NO_RAM", "RAM"))

    # R6
    add("r6-c1-max-after-page-hole", C1(MAX, mmio=[R(0, PAGE)]),
        ERR("TOO_LARGE"))
    add("r6-c1-hole-at-top",
        C1(MAX - GB(1) + PAGE, pci_mmio=[R(MAX - GB(1), MAX)]),
        ERR("TOO_LARGE"))
    add("r6-c2-sum-wraps", C2(1 << 63, 1 << 63), ERR("TOO_LARGE", "NODES", 1))
    add("r6-c2-node2-no-fit-d6",
        C2(GB(1), GB(1), MAX - GB(2), mmio=[R(0, PAGE)]),
        ERR("TOO_LARGE", "NODES", 2))
    add("r6-before-r4",
        C1(MAX, mmio=[R(PAGE, 3 * PAGE)], pci_ecam=[R(2 * PAGE, 4 * PAGE)]),
        ERR("TOO_LARGE"))
    # Placement skips the union of the holes, even overlapping ones.
    add("r6-union-of-overlapping-holes",
        C1(MAX - 2 * PAGE, mmio=[R(PAGE, 3 * PAGE)],
           pci_ecam=[R(2 * PAGE, 4 * PAGE)]),
        ERR("TOO_LARGE"))
    add("r4-overlapping-holes-ram-fits",
        C1(MAX - 3 * PAGE, mmio=[R(PAGE, 3 * PAGE)],
           pci_ecam=[R(2 * PAGE, 4 * PAGE)]),
        ERR("OVERLAP", "MMIO", 0, "PCI_ECAM", 0))

    # R7
    add("r7-vtl2-between-ram",
        C3(R(0, GB(1)), R(GB(2), GB(3)), vtl2=R(GB(1), GB(2))),
        ERR("VTL2_BELOW_RAM", "VTL2", 0, "RAM", 1))
    add("r7-vtl2-below-all-ram", C3(R(GB(1), GB(2)), vtl2=R(0, GB(1))),
        ERR("VTL2_BELOW_RAM", "VTL2", 0, "RAM", 0))
    add("r7-vtl2-at-end-of-ram-d5", C3(R(0, GB(1)), vtl2=R(GB(1), GB(2))),
        OK(size=GB(1), eor=GB(1), eol=GB(1), vtl2=GB(1)))
    add("r7-c1-vtl2-below-hole",
        C1(GB(1), mmio=[R(GB(4), GB(5))], vtl2=R(GB(2), GB(3))),
        OK(vtl2=GB(2), eol=GB(5)))

    # R8
    add("r8-ram", C3(*four(0), max_ranges=3), ERR("TOO_MANY", "RAM", 3))
    add("r8-mmio", C1(GB(1), mmio=four()[:3], max_ranges=2),
        ERR("TOO_MANY", "MMIO", 2))
    add("r8-pci-ecam", C1(GB(1), pci_ecam=four()[:3], max_ranges=2),
        ERR("TOO_MANY", "PCI_ECAM", 2))
    add("r8-pci-mmio", C1(GB(1), pci_mmio=four()[:3], max_ranges=2),
        ERR("TOO_MANY", "PCI_MMIO", 2))
    add("r8-nodes", C2(GB(1), GB(1), GB(1), max_ranges=2),
        ERR("TOO_MANY", "NODES", 2))
    add("r8-before-r1", C2(0, GB(1), GB(1), max_ranges=2),
        ERR("TOO_MANY", "NODES", 2))
    add("r8-module-param", C1(GB(1), mmio=four(), param=3),
        ERR("TOO_MANY", "MMIO", 3))
    add("r8-module-param-fits", C1(GB(1), mmio=four(), param=4),
        OK(nmmio=4))
    add("r8-max-ranges-over-param",
        C1(GB(1), mmio=four(), param=2, max_ranges=4), OK(nmmio=4))
    add("r8-placed-ram-unlimited",
        C1(GB(3), mmio=SEED_MMIO, max_ranges=2), OK(nram=3))
    # (max_ranges 0 and the default 4096: kunit-corpus/extremes-*)

    # Malformed requests: -EINVAL, rule NONE
    add("malformed-source-0", Req(0, ram_size=GB(1)), MALFORMED)
    add("malformed-source-4", Req(4, ram_size=GB(1)), MALFORMED)
    add("malformed-source-u32-max", Req(U32, ram_size=GB(1)), MALFORMED)
    add("malformed-null-mmio", C1(GB(1), mmio=[R(GB(2), GB(3))], null={"mmio"}),
        MALFORMED)
    add("malformed-null-ram", C3(R(0, GB(1)), null={"ram"}), MALFORMED)
    # Documented as malformed; the core says R1 (see fuzz/README.md).
    add("malformed-null-nodes", C2(GB(1), null={"nodes"}), MALFORMED)
    add("malformed-after-r8",
        C1(GB(1), mmio=four()[:2], null={"mmio"}, max_ranges=1),
        ERR("TOO_MANY", "MMIO", 1))
    add("null-unused-arrays",
        C1(GB(1), ram=[R(0, GB(1))], nodes=[GB(1)], null={"ram", "nodes"}),
        OK(ram=[R(0, GB(1))]))
    add("null-empty-lists", C3(R(0, GB(1)), null={"mmio", "pci_ecam"}),
        OK(ram=[R(0, GB(1))]))

    # D1-D7
    add("d1-hole-at-zero", C1(GB(1), mmio=[R(0, KB(4))]),
        OK(ram=[R(KB(4), GB(1) + KB(4))], size=GB(1)))
    add("d1-touching-holes",
        C1(GB(2), mmio=[R(GB(1), GB(2))], pci_ecam=[R(GB(2), GB(3))]),
        OK(ram=[R(0, GB(1)), R(GB(3), GB(4))]))
    add("d1-c2-nodes-after-hole-at-zero",
        C2(PAGE, PAGE, PAGE, mmio=[R(0, GB(1))]),
        OK(ram=[R(GB(1), GB(1) + PAGE, 0), R(GB(1) + PAGE, GB(1) + 2 * PAGE, 1),
                R(GB(1) + 2 * PAGE, GB(1) + 3 * PAGE, 2)], max4g=GB(1) + 3 * PAGE))
    add("d2-8g-no-gaps", C3(R(0, GB(8))),
        OK(size=GB(8), below=G4, above=G4, max4g=G4))
    add("d2-3g-4g-below", C3(R(GB(3), GB(4))),
        OK(size=GB(1), below=GB(1), above=0, max4g=G4))
    add("d2-crossing-4g", C3(R(G4 - PAGE, G4 + PAGE)),
        OK(size=2 * PAGE, below=PAGE, above=PAGE, max4g=G4))
    add("d2-c1-hole-straddling-4g", C1(GB(4), mmio=[R(GB(3), GB(5))],
                                       probes=[G4 - 1, G4, GB(5)]),
        OK(ram=[R(0, GB(3)), R(GB(5), GB(6))], below=GB(3), above=GB(1),
           max4g=GB(3)))
    add("q6-absent-above-4g", C3(R(G4, GB(6))),
        OK(below=0, above=GB(2), max4g=None))
    add("q6-last-range-below-4g",
        C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(5), GB(6))),
        OK(below=GB(2), above=GB(1), max4g=GB(3)))
    add("d3-no-holes", C1(GB(1)), OK(eol=GB(1), eor=GB(1)))
    add("d3-vtl2-no-holes", C3(R(0, GB(1)), vtl2=R(GB(1), GB(2))),
        OK(eol=GB(1), vtl2=GB(1)))
    add("d4-reversed-c3", C3(R(GB(2), GB(1))), ERR("BAD_RANGE", "RAM"))
    add("d6-c2-pushed-past-max",
        C2(GB(1), MAX - GB(1), pci_ecam=[R(GB(2), GB(2) + PAGE)]),
        ERR("TOO_LARGE", "NODES", 1))
    add("d7-vtl2-empty-c3", C3(R(0, GB(1)), vtl2=R(GB(1), GB(1))),
        ERR("BAD_RANGE", "VTL2"))

    # Q7, Q8, Q9
    add("q7-two-mmio-around-pci-ecam",
        C1(TB(1), mmio=[R(GB(1), GB(2)), R(GB(7), GB(8))],
           pci_ecam=[R(GB(3), GB(4))]),
        OK(high=TB(1) - GB(5)))
    add("q7-absent-pci-only",
        C1(TB(1), pci_mmio=[R(GB(1), GB(2)), R(GB(3), GB(4))]), OK(high=None))
    add("q7-absent-three-mmio",
        C1(TB(1), mmio=[R(GB(1), GB(2)), R(GB(3), GB(4)), R(GB(8), GB(9))]),
        OK(high=None))
    add("q7-c3-range-at-gap-end",
        C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(4), GB(6)), mmio=SEED_MMIO),
        OK(high=GB(2)))
    add("q8-mmio-highest",
        C1(GB(1), mmio=[R(GB(200), GB(201))], pci_ecam=[R(GB(5), GB(6))],
           pci_mmio=[R(GB(64), GB(128))]), OK(eol=GB(201)))
    add("q9-top-of-address-space",
        C3(R(MAX - PAGE, MAX), probes=[0, MAX - PAGE - 1, MAX - PAGE, MAX - 1,
                                       MAX, U64]),
        OK(max4g=None, eol=MAX))
    add("q9-many-probes",
        C3(R(PAGE, 3 * PAGE), R(3 * PAGE, 4 * PAGE, 1),
           mmio=[R(5 * PAGE, 6 * PAGE)], pci_ecam=[R(6 * PAGE, 7 * PAGE)],
           pci_mmio=[R(9 * PAGE, 10 * PAGE)], vtl2=R(7 * PAGE, 9 * PAGE),
           probes=[U64, 0, 4 * PAGE, PAGE, 2 * PAGE, 3 * PAGE, 5 * PAGE,
                   6 * PAGE, 7 * PAGE, 8 * PAGE, 9 * PAGE, 10 * PAGE,
                   10 * PAGE - 1, 0, PAGE - 1, 4 * PAGE - 1]),
        OK(size=3 * PAGE, eol=10 * PAGE, vtl2=7 * PAGE))
    return c


# KUnit tables: kunit/*_kunit.c, row by row.
# ---------------------------------------------------------------------

def kunit_cases():
    c = []
    P = PAGE

    def add(name, req, want):
        c.append((name, req, want))

    # --- memlayout_construct (construct_kunit.c)
    add("construct-seed-layout-from-size", C1(TB(1), mmio=SEED_MMIO),
        OK(ram=SEED_RAM, nmmio=2, size=TB(1), eor=TB(1) + GB(2)))
    add("construct-seed-layout-from-ranges", C3(*SEED_RAM, mmio=SEED_MMIO),
        OK(ram=SEED_RAM, nmmio=2, size=TB(1), eor=TB(1) + GB(2)))
    add("construct-bad-layout-new-tb-plus-1", C1(TB(1) + 1), ERR("BAD_SIZE"))
    unsorted = [R(GB(3), GB(4)), R(GB(1), GB(2))]
    add("construct-bad-layout-new-unsorted", C1(TB(1), mmio=unsorted),
        ERR("BAD_ORDER", "MMIO", 1))
    add("construct-bad-layout-ranges-no-ram-unsorted", C3(mmio=unsorted),
        ERR("BAD_ORDER", "MMIO", 1))
    add("construct-bad-layout-ranges-unsorted",
        C3(R(0, GB(1)), mmio=unsorted), ERR("BAD_ORDER", "MMIO", 1))
    add("construct-bad-layout-ranges-overlap",
        C3(R(0, GB(1) + MB(1)), mmio=SEED_MMIO),
        ERR("OVERLAP", "RAM", 0, "MMIO", 0))
    add("construct-seed-probe-address",
        C3(*SEED_RAM, mmio=SEED_MMIO, probes=SEED_PROBES), OK(ram=SEED_RAM))
    add("construct-from-size-without-holes", C1(GB(1)),
        OK(ram=[R(0, GB(1))], nmmio=0, necam=0, npmmio=0, vtl2=None))
    add("construct-from-size-skips-all-hole-kinds",
        C1(GB(4), mmio=[R(GB(1), GB(2))],
           pci_ecam=[R(GB(2) + MB(512), GB(3))],
           pci_mmio=[R(GB(2), GB(2) + MB(256))]),
        OK(ram=[R(0, GB(1)), R(GB(2) + MB(256), GB(2) + MB(512)),
                R(GB(3), GB(5) + MB(768))], size=GB(4), eor=GB(5) + MB(768),
           nmmio=1, necam=1, npmmio=1))
    add("construct-from-size-skips-chunk-at-zero",
        C1(GB(1), mmio=[R(0, KB(4))]),
        OK(ram=[R(KB(4), GB(1) + KB(4))], size=GB(1)))
    add("construct-from-size-skips-touching-holes",
        C1(GB(2), mmio=[R(GB(1), GB(2))], pci_ecam=[R(GB(2), GB(3))]),
        OK(ram=[R(0, GB(1)), R(GB(3), GB(4))]))
    add("construct-from-size-ends-at-hole", C1(GB(1), mmio=[R(GB(1), GB(2))]),
        OK(ram=[R(0, GB(1))], eol=GB(2)))
    add("construct-from-size-page-past-hole",
        C1(GB(1) + P, mmio=[R(GB(1), GB(2))]),
        OK(ram=[R(0, GB(1)), R(GB(2), GB(2) + P)]))
    add("construct-from-size-keeps-holes-above-ram",
        C1(GB(1), mmio=[R(GB(2), GB(3))], pci_ecam=[R(GB(4), GB(5))],
           pci_mmio=[R(GB(8), GB(9))]),
        OK(ram=[R(0, GB(1))], nmmio=1, necam=1, npmmio=1, eor=GB(1),
           eol=GB(9)))
    add("construct-from-size-statistics", C1(TB(1), mmio=SEED_MMIO),
        OK(size=TB(1), eor=TB(1) + GB(2), below=GB(2), above=TB(1) - GB(2),
           max4g=GB(3), eol=TB(1) + GB(2)))
    add("construct-from-nodes-assigns-vnodes", C2(GB(1), GB(2)),
        OK(ram=[R(0, GB(1), 0), R(GB(1), GB(3), 1)], size=GB(3), eor=GB(3)))
    as_given = [R(0, GB(1), 3), R(GB(1), GB(2), 3), R(GB(2), GB(3), U32),
                R(GB(4), GB(5), 0)]
    add("construct-from-ranges-keeps-ranges-as-given", C3(*as_given),
        OK(ram=as_given, size=GB(4), eor=GB(5)))
    add("construct-reads-back-every-list",
        C3(R(0, GB(1), 2), R(GB(1), GB(2), 5), mmio=[R(GB(2), GB(3), 9)],
           pci_ecam=[R(GB(3), GB(3) + MB(256), 4),
                     R(GB(3) + MB(512), GB(3) + MB(768))],
           pci_mmio=[R(GB(4), GB(8))], vtl2=R(GB(8), GB(9))),
        OK(ram=[R(0, GB(1), 2), R(GB(1), GB(2), 5)], nmmio=1, necam=2,
           npmmio=1, vtl2=GB(8), size=GB(2), eor=GB(2), eol=GB(8)))
    add("construct-without-vtl2-has-empty-vtl2-list",
        C3(*SEED_RAM, mmio=SEED_MMIO), OK(vtl2=None, necam=0, npmmio=0))
    add("construct-from-ranges-accepts-vtl2",
        C3(R(0, GB(1)), vtl2=R(GB(1), GB(2)), probes=[GB(1)]),
        OK(vtl2=GB(1), size=GB(1), eor=GB(1)))
    add("construct-from-size-vtl2-excluded-from-stats",
        C1(GB(1), vtl2=R(GB(4), GB(5)), probes=[GB(4)]),
        OK(ram=[R(0, GB(1))], vtl2=GB(4), size=GB(1), above=0, eor=GB(1),
           eol=GB(1)))
    add("construct-c1-ignores-c3-fields",
        Req("c1", ram_size=GB(1), ram=[R(GB(3), GB(4)), R(0, GB(1))],
            nodes=[0]),
        OK(ram=[R(0, GB(1))]))
    add("construct-c3-ignores-c1-fields",
        Req("c3", ram_size=1, ram=[R(GB(2), GB(3), 1)]),
        OK(ram=[R(GB(2), GB(3), 1)]))
    q7 = [
        ("two-mmio-gaps", C1(TB(1), mmio=SEED_MMIO), TB(1) - GB(2)),
        ("no-mmio-gap", C1(TB(1)), None),
        ("one-mmio-gap", C1(TB(1), mmio=[R(GB(1), GB(2))]), None),
        ("three-mmio-gaps", C1(TB(1), mmio=SEED_MMIO + [R(GB(8), GB(9))]),
         None),
        ("two-mmio-around-pci-ecam",
         C1(TB(1), mmio=[R(GB(1), GB(2)), R(GB(7), GB(8))],
            pci_ecam=[R(GB(3), GB(4))]), TB(1) - GB(5)),
        ("one-mmio-one-pci-ecam",
         C1(TB(1), mmio=[R(GB(1), GB(2))], pci_ecam=[R(GB(3), GB(4))]), None),
        ("two-pci-mmio-only", C1(TB(1), pci_mmio=SEED_MMIO), None),
        ("two-mmio-plus-pci-above",
         C1(TB(1), mmio=SEED_MMIO, pci_ecam=[R(GB(5), GB(6))],
            pci_mmio=[R(GB(7), GB(8))]), TB(1) - GB(2)),
        ("two-mmio-above-all-ram",
         C1(GB(1), mmio=[R(GB(2), GB(3)), R(GB(4), GB(5))]), 0),
        ("c3-ram-at-second-gap-end",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(4), GB(6)), mmio=SEED_MMIO),
         GB(2)),
    ]
    for name, req, high in q7:
        add("construct-q7-" + name, req, OK(high=high))
    q8 = [
        ("no-holes", C1(GB(1)), GB(1)),
        ("seed-layout", C1(TB(1), mmio=SEED_MMIO), TB(1) + GB(2)),
        ("mmio-above-ram", C1(GB(1), mmio=[R(GB(2), GB(3))]), GB(3)),
        ("pci-ecam-highest",
         C1(GB(1), mmio=[R(GB(2), GB(3))], pci_ecam=[R(GB(5), GB(6))]), GB(6)),
        ("pci-mmio-highest",
         C1(GB(1), mmio=[R(GB(2), GB(3))], pci_ecam=[R(GB(5), GB(6))],
            pci_mmio=[R(GB(64), GB(128))]), GB(128)),
        ("mmio-highest",
         C1(GB(1), mmio=[R(GB(200), GB(201))], pci_ecam=[R(GB(5), GB(6))],
            pci_mmio=[R(GB(64), GB(128))]), GB(201)),
        ("vtl2-above-highest-hole",
         C1(GB(1), mmio=[R(GB(2), GB(3))], vtl2=R(GB(8), GB(9))), GB(3)),
        ("vtl2-no-holes", C3(R(0, GB(1)), vtl2=R(GB(1), GB(2))), GB(1)),
    ]
    for name, req, eol in q8:
        add("construct-q8-" + name, req, OK(eol=eol))

    # --- memlayout_validate (validate_kunit.c)
    v = []
    v += [
        ("bad-size-c1-zero", C1(0), ERR("BAD_SIZE")),
        ("bad-size-c1-one-byte", C1(1), ERR("BAD_SIZE")),
        ("bad-size-c1-page-minus-one", C1(P - 1), ERR("BAD_SIZE")),
        ("bad-size-c1-1g-plus-2k", C1(GB(1) + KB(2)), ERR("BAD_SIZE")),
        ("bad-size-c1-u64-max", C1(U64), ERR("BAD_SIZE")),
        ("bad-size-c2-empty", C2(null={"nodes"}), ERR("BAD_SIZE", "NODES")),
        ("bad-size-c2-node0-zero", C2(0, GB(1)), ERR("BAD_SIZE", "NODES")),
        ("bad-size-c2-node2-zero", C2(GB(1), GB(1), 0),
         ERR("BAD_SIZE", "NODES", 2)),
        ("bad-size-c2-node1-unaligned", C2(GB(1), GB(1) + 512),
         ERR("BAD_SIZE", "NODES", 1)),
        ("bad-size-c2-nodes-1-2-bad", C2(GB(1), P - 1, 0),
         ERR("BAD_SIZE", "NODES", 1)),
        ("bad-size-c1-one-page", C1(P), OK()),
        ("bad-size-c2-one-page", C2(P), OK()),
    ]
    BR = "BAD_RANGE"
    v += [
        ("bad-range-ram-empty-1", C3(R(0, GB(1)), R(GB(2), GB(2))),
         ERR(BR, "RAM", 1)),
        ("bad-range-ram-reversed", C3(R(GB(2), GB(1))), ERR(BR, "RAM")),
        ("bad-range-ram-unaligned-start", C3(R(512, GB(1))), ERR(BR, "RAM")),
        ("bad-range-ram-unaligned-end-2",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(4), GB(5) + 1)),
         ERR(BR, "RAM", 2)),
        ("bad-range-ram-above-max", C3(R(MAX - P, U64)), ERR(BR, "RAM")),
        ("bad-range-ram-wrapped", C3(R(MAX, 0)), ERR(BR, "RAM")),
        ("bad-range-mmio-empty", C1(GB(1), mmio=[R(GB(4), GB(4))]),
         ERR(BR, "MMIO")),
        ("bad-range-mmio-reversed-1",
         C1(GB(1), mmio=[R(GB(1), GB(2)), R(GB(4), GB(3))]),
         ERR(BR, "MMIO", 1)),
        ("bad-range-mmio-unaligned-end-2",
         C1(GB(1), mmio=[R(GB(1), GB(2)), R(GB(3), GB(4)),
                         R(GB(5), GB(5) + 100)]), ERR(BR, "MMIO", 2)),
        ("bad-range-mmio-above-max", C1(GB(1), mmio=[R(MAX - P, U64)]),
         ERR(BR, "MMIO")),
        ("bad-range-pci-ecam-empty", C1(GB(1), pci_ecam=[R(GB(4), GB(4))]),
         ERR(BR, "PCI_ECAM")),
        ("bad-range-pci-ecam-unaligned-start-1",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3)), R(GB(4) + 8, GB(5))]),
         ERR(BR, "PCI_ECAM", 1)),
        ("bad-range-pci-ecam-reversed", C1(GB(1), pci_ecam=[R(GB(5), GB(4))]),
         ERR(BR, "PCI_ECAM")),
        ("bad-range-pci-ecam-above-max", C1(GB(1), pci_ecam=[R(GB(4), U64)]),
         ERR(BR, "PCI_ECAM")),
        ("bad-range-pci-mmio-empty-1",
         C1(GB(1), pci_mmio=[R(GB(2), GB(3)), R(GB(4), GB(4))]),
         ERR(BR, "PCI_MMIO", 1)),
        ("bad-range-pci-mmio-unaligned-end",
         C1(GB(1), pci_mmio=[R(GB(4), GB(5) - 1)]), ERR(BR, "PCI_MMIO")),
        ("bad-range-pci-mmio-reversed", C1(GB(1), pci_mmio=[R(GB(5), GB(4))]),
         ERR(BR, "PCI_MMIO")),
        ("bad-range-pci-mmio-above-max",
         C1(GB(1), pci_mmio=[R(MAX - GB(1), MAX + 1)]), ERR(BR, "PCI_MMIO")),
        ("bad-range-vtl2-empty", C1(GB(1), vtl2=R(GB(2), GB(2))),
         ERR(BR, "VTL2")),
        ("bad-range-vtl2-reversed", C1(GB(1), vtl2=R(GB(3), GB(2))),
         ERR(BR, "VTL2")),
        ("bad-range-vtl2-unaligned-start", C1(GB(1), vtl2=R(GB(2) + 1, GB(3))),
         ERR(BR, "VTL2")),
        ("bad-range-vtl2-above-max", C1(GB(1), vtl2=R(MAX - P, U64)),
         ERR(BR, "VTL2")),
    ]
    BO = "BAD_ORDER"
    v += [
        ("bad-order-ram-unsorted", C3(R(GB(1), GB(2)), R(0, MB(512))),
         ERR(BO, "RAM", 1)),
        ("bad-order-ram-overlapping", C3(R(0, GB(2)), R(GB(1), GB(3))),
         ERR(BO, "RAM", 1)),
        ("bad-order-ram-duplicate", C3(R(0, GB(1)), R(0, GB(1))),
         ERR(BO, "RAM", 1)),
        ("bad-order-ram-2-page-inside-1",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(3) - P, GB(4))),
         ERR(BO, "RAM", 2)),
        ("bad-order-ram-2-below-0",
         C3(R(GB(1), GB(2)), R(GB(3), GB(4)), R(0, MB(512))),
         ERR(BO, "RAM", 2)),
        ("bad-order-mmio-unsorted",
         C1(GB(1), mmio=[R(GB(3), GB(4)), R(GB(2), GB(2) + MB(512))]),
         ERR(BO, "MMIO", 1)),
        ("bad-order-mmio-overlapping",
         C1(GB(1), mmio=[R(GB(2), GB(4)), R(GB(3), GB(5))]),
         ERR(BO, "MMIO", 1)),
        ("bad-order-pci-ecam-unsorted",
         C1(GB(1), pci_ecam=[R(GB(3), GB(4)), R(GB(2), GB(3))]),
         ERR(BO, "PCI_ECAM", 1)),
        ("bad-order-pci-ecam-overlapping-2",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3)), R(GB(3), GB(4)),
                             R(GB(4) - P, GB(5))]),
         ERR(BO, "PCI_ECAM", 2)),
        ("bad-order-pci-mmio-unsorted",
         C1(GB(1), pci_mmio=[R(GB(8), GB(9)), R(GB(2), GB(3))]),
         ERR(BO, "PCI_MMIO", 1)),
        ("bad-order-pci-mmio-duplicate",
         C1(GB(1), pci_mmio=[R(GB(2), GB(3)), R(GB(2), GB(3))]),
         ERR(BO, "PCI_MMIO", 1)),
        ("bad-order-touching-accepted",
         C3(R(0, GB(1)), R(GB(1), GB(2)),
            mmio=[R(GB(2), GB(3)), R(GB(3), GB(4))],
            pci_ecam=[R(GB(4), GB(5)), R(GB(5), GB(6))],
            pci_mmio=[R(GB(6), GB(7)), R(GB(7), GB(8))]), OK()),
    ]
    OV = "OVERLAP"
    v += [
        ("overlap-mmio-overlapping-ram", C3(R(0, GB(2)), mmio=[R(GB(1), GB(3))]),
         ERR(OV, "RAM", 0, "MMIO", 0)),
        ("overlap-ram-overlapping-mmio", C3(R(GB(1), GB(3)), mmio=[R(0, GB(2))]),
         ERR(OV, "MMIO", 0, "RAM", 0)),
        ("overlap-pci-ecam-overlapping-ram",
         C3(R(0, GB(2)), pci_ecam=[R(GB(1), GB(3))]),
         ERR(OV, "RAM", 0, "PCI_ECAM", 0)),
        ("overlap-ram-1-overlapping-pci-ecam",
         C3(R(0, GB(1)), R(GB(3), GB(4)), pci_ecam=[R(GB(2), GB(3) + P)]),
         ERR(OV, "PCI_ECAM", 0, "RAM", 1)),
        ("overlap-pci-mmio-1-overlapping-ram-2",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(5), GB(6)),
            pci_mmio=[R(GB(1), GB(2)), R(GB(5) + MB(512), GB(7))]),
         ERR(OV, "RAM", 2, "PCI_MMIO", 1)),
        ("overlap-pci-mmio-inside-ram",
         C3(R(0, GB(4)), pci_mmio=[R(GB(1), GB(2))]),
         ERR(OV, "RAM", 0, "PCI_MMIO", 0)),
        ("overlap-pci-ecam-overlapping-mmio",
         C1(GB(1), mmio=[R(GB(2), GB(3))], pci_ecam=[R(GB(2) + MB(512), GB(4))]),
         ERR(OV, "MMIO", 0, "PCI_ECAM", 0)),
        ("overlap-mmio-overlapping-pci-ecam",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3))], mmio=[R(GB(2) + MB(512), GB(4))]),
         ERR(OV, "PCI_ECAM", 0, "MMIO", 0)),
        ("overlap-pci-mmio-overlapping-mmio-1",
         C1(GB(1), mmio=[R(GB(2), GB(3)), R(GB(4), GB(6))],
            pci_mmio=[R(GB(5), GB(7))]),
         ERR(OV, "MMIO", 1, "PCI_MMIO", 0)),
        ("overlap-pci-mmio-overlapping-pci-ecam",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3))], pci_mmio=[R(GB(3) - P, GB(4))]),
         ERR(OV, "PCI_ECAM", 0, "PCI_MMIO", 0)),
        ("overlap-pci-ecam-overlapping-pci-mmio",
         C1(GB(1), pci_mmio=[R(GB(2), GB(3))], pci_ecam=[R(GB(3) - P, GB(4))]),
         ERR(OV, "PCI_MMIO", 0, "PCI_ECAM", 0)),
        ("overlap-vtl2-overlapping-ram", C3(R(0, GB(2)), vtl2=R(GB(1), GB(3))),
         ERR(OV, "RAM", 0, "VTL2", 0)),
        ("overlap-ram-overlapping-vtl2",
         C3(R(GB(1), GB(2)), vtl2=R(0, GB(1) + P)),
         ERR(OV, "VTL2", 0, "RAM", 0)),
        ("overlap-vtl2-inside-c1-ram", C1(GB(2), vtl2=R(GB(1), GB(1) + P)),
         ERR(OV, "RAM", 0, "VTL2", 0)),
        ("overlap-vtl2-inside-c2-node-1",
         C2(GB(1), GB(1), vtl2=R(GB(1) + MB(512), GB(1) + MB(513))),
         ERR(OV, "RAM", 1, "VTL2", 0)),
        ("overlap-vtl2-overlapping-mmio",
         C1(GB(1), mmio=[R(GB(4), GB(5))], vtl2=R(GB(4) + MB(512), GB(6))),
         ERR(OV, "MMIO", 0, "VTL2", 0)),
        ("overlap-mmio-overlapping-vtl2",
         C1(GB(1), mmio=[R(GB(4), GB(5))], vtl2=R(GB(2), GB(4) + P)),
         ERR(OV, "VTL2", 0, "MMIO", 0)),
        ("overlap-vtl2-overlapping-pci-ecam-1",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3)), R(GB(4), GB(5))],
            vtl2=R(GB(4) + MB(512), GB(6))),
         ERR(OV, "PCI_ECAM", 1, "VTL2", 0)),
        ("overlap-pci-mmio-overlapping-vtl2",
         C1(GB(1), pci_mmio=[R(GB(4), GB(5))], vtl2=R(GB(3), GB(4) + MB(512))),
         ERR(OV, "VTL2", 0, "PCI_MMIO", 0)),
        ("overlap-touching-accepted",
         C3(R(0, GB(1)), mmio=[R(GB(1), GB(2))],
            pci_ecam=[R(GB(2), GB(3)), R(GB(4), GB(5))],
            pci_mmio=[R(GB(5), GB(6))], vtl2=R(GB(3), GB(4))), OK(vtl2=GB(3))),
    ]
    v += [
        ("no-ram-nothing", C3(null={"ram"}), ERR("NO_RAM", "RAM")),
        ("no-ram-holes-of-every-kind",
         C3(mmio=[R(GB(1), GB(2))], pci_ecam=[R(GB(2), GB(3))],
            pci_mmio=[R(GB(3), GB(4))]), ERR("NO_RAM", "RAM")),
        ("no-ram-only-vtl2", C3(vtl2=R(GB(1), GB(2))), ERR("NO_RAM", "RAM")),
        ("no-ram-pointer-but-no-count", C3(), ERR("NO_RAM", "RAM")),
    ]
    TL = "TOO_LARGE"
    v += [
        ("too-large-c1-max-after-page-hole", C1(MAX, mmio=[R(0, P)]), ERR(TL)),
        ("too-large-c1-two-page-hole",
         C1(MAX - P, mmio=[R(P, 3 * P)]), ERR(TL)),
        ("too-large-c1-page-after-top-hole",
         C1(MAX - GB(1) + P, pci_mmio=[R(MAX - GB(1), MAX)]), ERR(TL)),
        ("too-large-c1-three-kinds",
         C1(MAX - 2 * P, mmio=[R(P, 2 * P)], pci_ecam=[R(3 * P, 4 * P)],
            pci_mmio=[R(5 * P, 6 * P)]), ERR(TL)),
        ("too-large-c2-2-63-twice", C2(1 << 63, 1 << 63),
         ERR(TL, "NODES", 1)),
        ("too-large-c2-node-1-above-hole",
         C2(GB(1), MAX - GB(1), mmio=[R(GB(2), GB(2) + P)]),
         ERR(TL, "NODES", 1)),
        ("too-large-c2-node-2-wraps", C2(P, P, MAX), ERR(TL, "NODES", 2)),
        ("too-large-c2-node-2-after-page-hole",
         C2(GB(1), GB(1), MAX - GB(2), mmio=[R(0, P)]), ERR(TL, "NODES", 2)),
        ("too-large-c1-max-accepted", C1(MAX), OK()),
        ("too-large-c1-max-after-hole-accepted",
         C1(MAX - P, mmio=[R(P, 2 * P)]), OK(eor=MAX)),
        ("too-large-c2-sum-max-accepted", C2(P, MAX - P), OK(eor=MAX)),
    ]
    VB = "VTL2_BELOW_RAM"
    v += [
        ("vtl2-between-two-ram",
         C3(R(0, GB(1)), R(GB(2), GB(3)), vtl2=R(GB(1), GB(2))),
         ERR(VB, "VTL2", 0, "RAM", 1)),
        ("vtl2-below-all-ram", C3(R(GB(1), GB(2)), vtl2=R(0, GB(1))),
         ERR(VB, "VTL2", 0, "RAM", 0)),
        ("vtl2-below-last-of-three",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(4), GB(5)),
            vtl2=R(GB(4) - P, GB(4))), ERR(VB, "VTL2", 0, "RAM", 2)),
        ("vtl2-at-end-of-ram", C3(R(0, GB(1)), vtl2=R(GB(1), GB(2))),
         OK(vtl2=GB(1))),
        ("vtl2-c1-below-hole",
         C1(GB(1), mmio=[R(GB(4), GB(5))], vtl2=R(GB(2), GB(3))),
         OK(vtl2=GB(2))),
        ("vtl2-c2-above-nodes",
         C2(GB(1), GB(1), mmio=[R(GB(1), GB(2))], vtl2=R(GB(3), GB(4))),
         OK(vtl2=GB(3))),
    ]
    TM = "TOO_MANY"
    g27 = [R(GB(2), GB(3)), R(GB(4), GB(5)), R(GB(6), GB(7))]
    too_many = [
        ("max-2-three-ram",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(4), GB(5)), max_ranges=2),
         ERR(TM, "RAM", 2)),
        ("max-2-three-mmio", C1(GB(1), mmio=g27, max_ranges=2),
         ERR(TM, "MMIO", 2)),
        ("max-2-three-pci-ecam", C1(GB(1), pci_ecam=g27, max_ranges=2),
         ERR(TM, "PCI_ECAM", 2)),
        ("max-2-three-pci-mmio", C1(GB(1), pci_mmio=g27, max_ranges=2),
         ERR(TM, "PCI_MMIO", 2)),
        ("max-2-three-nodes", C2(GB(1), GB(1), GB(1), max_ranges=2),
         ERR(TM, "NODES", 2)),
        ("max-1-two-ram", C3(R(0, GB(1)), R(GB(2), GB(3)), max_ranges=1),
         ERR(TM, "RAM", 1)),
        ("max-2-two-in-every-list",
         C3(R(0, GB(1)), R(GB(1), GB(2)),
            mmio=[R(GB(2), GB(3)), R(GB(3), GB(4))],
            pci_ecam=[R(GB(4), GB(5)), R(GB(5), GB(6))],
            pci_mmio=[R(GB(6), GB(7)), R(GB(7), GB(8))], max_ranges=2), OK()),
        ("max-2-c1-three-placed-ram",
         C1(GB(3), mmio=SEED_MMIO, max_ranges=2), OK(nram=3)),
        ("max-1-c1-unused-ram-list",
         C1(GB(1), ram=[R(0, GB(1)), R(GB(2), GB(3))], max_ranges=1), OK()),
    ]
    v += [("too-many-" + n, r, w) for n, r, w in too_many]
    v += [
        ("order-r8-nodes-before-r1", C2(0, GB(1), GB(1), max_ranges=2),
         ERR(TM, "NODES", 2)),
        ("order-r8-mmio-before-r2",
         C1(GB(1), mmio=[R(GB(4), GB(4)), R(GB(5), GB(5))], max_ranges=1),
         ERR(TM, "MMIO", 1)),
        ("order-r8-ram-before-mmio",
         C3(R(0, GB(1)), R(GB(8), GB(9)),
            mmio=[R(GB(2), GB(3)), R(GB(4), GB(5))], max_ranges=1),
         ERR(TM, "RAM", 1)),
        ("order-r8-mmio-before-pci-ecam",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3)), R(GB(4), GB(5))],
            mmio=[R(GB(6), GB(7)), R(GB(8), GB(9))], max_ranges=1),
         ERR(TM, "MMIO", 1)),
        ("order-r8-pci-ecam-before-pci-mmio",
         C1(GB(1), pci_mmio=[R(GB(2), GB(3)), R(GB(4), GB(5))],
            pci_ecam=[R(GB(6), GB(7)), R(GB(8), GB(9))], max_ranges=1),
         ERR(TM, "PCI_ECAM", 1)),
        ("order-r8-pci-mmio-before-nodes",
         C2(GB(1), GB(1), pci_mmio=[R(GB(4), GB(5)), R(GB(6), GB(7))],
            max_ranges=1), ERR(TM, "PCI_MMIO", 1)),
        ("order-r1-before-r2", C1(0, mmio=[R(GB(4), GB(4))]), ERR("BAD_SIZE")),
        ("order-r1-before-r6", C2(1 << 63, 0, 1 << 63),
         ERR("BAD_SIZE", "NODES", 1)),
        ("order-r2-before-r3-same-range",
         C1(GB(1), mmio=[R(GB(2), GB(3)), R(GB(1), GB(1) + 100)]),
         ERR(BR, "MMIO", 1)),
        ("order-r2-pci-mmio-before-r3-ram",
         C3(R(GB(1), GB(2)), R(0, MB(512)), pci_mmio=[R(GB(8), GB(8))]),
         ERR(BR, "PCI_MMIO")),
        ("order-r2-ram-before-mmio",
         C3(R(0, GB(1)), R(GB(2), GB(2) + 1), mmio=[R(GB(4), GB(3))]),
         ERR(BR, "RAM", 1)),
        ("order-r2-mmio-before-pci-ecam",
         C1(GB(1), pci_ecam=[R(GB(9), GB(9))],
            mmio=[R(GB(1), GB(2)), R(GB(2), GB(3)), R(GB(4), GB(4))]),
         ERR(BR, "MMIO", 2)),
        ("order-r2-pci-ecam-before-pci-mmio",
         C1(GB(1), pci_mmio=[R(GB(3), GB(2))],
            pci_ecam=[R(GB(4), GB(4) + 1)]), ERR(BR, "PCI_ECAM")),
        ("order-r2-pci-mmio-before-vtl2",
         C1(GB(1), pci_mmio=[R(GB(3), GB(3))], vtl2=R(GB(8), GB(8))),
         ERR(BR, "PCI_MMIO")),
        ("order-r2-ascending-index",
         C1(GB(1), mmio=[R(GB(1), GB(2)), R(GB(3), GB(3)), R(GB(5), GB(4))]),
         ERR(BR, "MMIO", 1)),
        ("order-r3-ram-before-mmio",
         C3(R(GB(1), GB(2)), R(0, MB(512)),
            mmio=[R(GB(5), GB(6)), R(GB(3), GB(4))]), ERR(BO, "RAM", 1)),
        ("order-r3-mmio-before-pci-ecam",
         C1(GB(1), pci_ecam=[R(GB(3), GB(4)), R(GB(2), GB(3))],
            mmio=[R(GB(8), GB(10)), R(GB(9), GB(11))]), ERR(BO, "MMIO", 1)),
        ("order-r3-pci-ecam-before-pci-mmio",
         C1(GB(1), pci_mmio=[R(GB(3), GB(4)), R(GB(2), GB(3))],
            pci_ecam=[R(GB(8), GB(10)), R(GB(9), GB(11))]),
         ERR(BO, "PCI_ECAM", 1)),
        ("order-r3-before-r4",
         C3(R(0, GB(2)), mmio=[R(GB(3), GB(4)), R(GB(1), GB(2))]),
         ERR(BO, "MMIO", 1)),
        ("order-r3-before-r6", C1(MAX, mmio=[R(2 * P, 3 * P), R(0, P)]),
         ERR(BO, "MMIO", 1)),
        ("order-r6-before-r4",
         C1(MAX, mmio=[R(P, 3 * P)], pci_ecam=[R(2 * P, 4 * P)]), ERR(TL)),
        ("order-r6-before-r4-vtl2",
         C1(MAX, mmio=[R(0, P)], vtl2=R(GB(1), GB(2))), ERR(TL)),
        ("order-r6-c2-before-r4",
         C2(1 << 63, 1 << 63, mmio=[R(GB(1), GB(3))],
            pci_mmio=[R(GB(2), GB(4))]), ERR(TL, "NODES", 1)),
        ("order-r4-before-r5",
         C3(mmio=[R(GB(1), GB(3))], pci_ecam=[R(GB(2), GB(4))]),
         ERR(OV, "MMIO", 0, "PCI_ECAM", 0)),
        ("order-r4-before-r7",
         C3(R(0, GB(1)), R(GB(2), GB(3)), vtl2=R(MB(512), GB(1) + MB(512))),
         ERR(OV, "RAM", 0, "VTL2", 0)),
        ("order-r4-pair-before-vtl2",
         C3(R(0, GB(1)), R(GB(2), GB(3)), mmio=[R(GB(2) + MB(512), GB(4))],
            vtl2=R(MB(512), MB(512) + P)), ERR(OV, "RAM", 1, "MMIO", 0)),
        ("order-r4-lowest-pair",
         C3(R(0, GB(2)), R(GB(4), GB(6)), pci_ecam=[R(GB(5), GB(7))],
            mmio=[R(GB(1), GB(3))]), ERR(OV, "RAM", 0, "MMIO", 0)),
        ("order-r5-before-r7", C3(vtl2=R(0, P)), ERR("NO_RAM", "RAM")),
        ("check-counts-without-arrays-pci-ecam",
         Req("c1", null={"mmio", "pci_ecam"}, patterns={
             "mmio": Pattern(4096, P, 2 * P, P),
             "pci_ecam": Pattern(4097, P, 2 * P, P)}),
         ERR(TM, "PCI_ECAM", 4096)),
        ("check-counts-without-arrays-nodes",
         C2(P, P, P, P, mmio=g27, null={"mmio", "nodes"}, max_ranges=3),
         ERR(TM, "NODES", 3)),
        ("rejection-good-layout",
         C3(R(0, GB(1), 4), mmio=[R(GB(1), GB(2))],
            probes=[GB(1)]), OK(ram=[R(0, GB(1), 4)])),
        ("rejection-overlapping-layout",
         C3(R(0, GB(2)), mmio=[R(GB(1), GB(2))]), ERR(OV, "RAM", 0, "MMIO", 0)),
    ]
    for name, req, want in v:
        add("validate-" + name, req, want)

    # --- memlayout_4gb (boundary_kunit.c)
    b = [
        ("ram-0-8g", C3(R(0, GB(8))), GB(8), G4, G4, G4),
        ("c1-8g", C1(GB(8)), GB(8), G4, G4, G4),
        ("ram-3g-4g", C3(R(GB(3), GB(4))), GB(1), GB(1), 0, G4),
        ("c1-4g", C1(GB(4)), GB(4), GB(4), 0, G4),
        ("c1-4g-minus-page", C1(GB(4) - P), GB(4) - P, GB(4) - P, 0,
         GB(4) - P),
        ("ram-3g-5g", C3(R(GB(3), GB(5))), GB(2), GB(1), GB(1), G4),
        ("ram-page-either-side", C3(R(G4 - P, G4 + P)), 2 * P, P, P, G4),
        ("c1-4g-gap-1g-2g", C1(GB(4), mmio=[R(GB(1), GB(2))]), GB(4), GB(3),
         GB(1), G4),
        ("ram-at-4g", C3(R(GB(4), GB(6))), GB(2), 0, GB(2), None),
        ("ram-far-above", C3(R(TB(1), TB(2))), TB(1), 0, TB(1), None),
        ("c1-gap-0-4g", C1(GB(1), mmio=[R(0, GB(4))]), GB(1), 0, GB(1), None),
        ("c2-pci-mmio-0-4g", C2(GB(1), GB(1), pci_mmio=[R(0, GB(4))]), GB(2),
         0, GB(2), None),
        ("c1-mmio-straddling", C1(GB(4), mmio=[R(GB(3), GB(5))]), GB(4), GB(3),
         GB(1), GB(3)),
        ("c1-pci-ecam-straddling",
         C1(GB(4), pci_ecam=[R(GB(3) + MB(512), GB(4) + MB(512))]), GB(4),
         GB(3) + MB(512), MB(512), GB(3) + MB(512)),
        ("c1-6g-mmio-pci-mmio-straddling",
         C1(GB(6), mmio=[R(GB(1), GB(2))],
            pci_mmio=[R(GB(3) + MB(512), GB(4) + MB(512))]),
         GB(6), GB(2) + MB(512), GB(3) + MB(512), GB(3) + MB(512)),
        ("ram-three-ranges",
         C3(R(0, GB(1)), R(GB(2), GB(3)), R(GB(5), GB(6))), GB(3), GB(2),
         GB(1), GB(3)),
        ("c1-tb-seed", C1(TB(1), mmio=SEED_MMIO), TB(1), GB(2),
         TB(1) - GB(2), GB(3)),
        ("touching-below", C3(R(0, GB(1), 0), R(GB(1), GB(2), 1),
                              R(GB(2), GB(3), 2)), GB(3), GB(3), 0, GB(3)),
        ("touching-at-4g", C3(R(GB(2), GB(4)), R(GB(4), GB(5), 1)), GB(3),
         GB(2), GB(1), G4),
        ("one-page", C1(P), P, P, 0, P),
        ("c2-gap-below-4g", C2(GB(3), GB(2), mmio=[R(GB(3), GB(4))]), GB(5),
         GB(3), GB(2), GB(3)),
        ("vtl2-below-4g", C3(R(0, GB(1)), vtl2=R(GB(1), GB(2))), GB(1), GB(1),
         0, GB(1)),
    ]
    for name, req, size, below, above, max4g in b:
        add("4gb-" + name, req, OK(size=size, below=below, above=above,
                                   max4g=max4g))
    add("4gb-probe-across-4gb",
        C1(GB(4), mmio=[R(GB(1), GB(2))], probes=[G4 - 1, G4, GB(5)]),
        OK(ram=[R(0, GB(1)), R(GB(2), GB(5))]))
    add("4gb-hole-straddling-4gb",
        C1(GB(4), mmio=[R(GB(3), GB(5))], probes=[G4 - 1, G4, GB(5)]),
        OK(ram=[R(0, GB(3)), R(GB(5), GB(6))], eor=GB(6)))

    # --- memlayout_numa (numa_kunit.c)
    add("numa-splits-node-mid-chunk", C2(MB(512), GB(1), mmio=[R(GB(1), GB(2))]),
        OK(ram=[R(0, MB(512), 0), R(MB(512), GB(1), 1),
                R(GB(2), GB(2) + MB(512), 1)], size=GB(1) + MB(512),
           eor=GB(2) + MB(512)))
    add("numa-places-nodes-across-several-holes",
        C2(GB(1) + MB(512), GB(1) + MB(512), GB(1), mmio=[R(GB(1), GB(2))],
           pci_ecam=[R(GB(3), GB(3) + MB(256))], pci_mmio=[R(GB(5), GB(6))]),
        OK(ram=[R(0, GB(1), 0), R(GB(2), GB(2) + MB(512), 0),
                R(GB(2) + MB(512), GB(3), 1),
                R(GB(3) + MB(256), GB(4) + MB(256), 1),
                R(GB(4) + MB(256), GB(5), 2), R(GB(6), GB(6) + MB(256), 2)],
           size=GB(4), eor=GB(6) + MB(256), eol=GB(6) + MB(256)))
    add("numa-node-exactly-fills-chunk", C2(GB(1), GB(2), mmio=SEED_MMIO),
        OK(ram=[R(0, GB(1), 0), R(GB(2), GB(3), 1), R(GB(4), GB(5), 1)]))
    add("numa-node-fills-chunk-before-touching-holes",
        C2(GB(1), GB(1), mmio=[R(GB(1), GB(2))], pci_ecam=[R(GB(2), GB(3))]),
        OK(ram=[R(0, GB(1), 0), R(GB(3), GB(4), 1)]))
    add("numa-node-spans-several-chunks",
        C2(3 * P, P, mmio=[R(P, 2 * P)], pci_mmio=[R(3 * P, 4 * P)]),
        OK(ram=[R(0, P, 0), R(2 * P, 3 * P, 0), R(4 * P, 5 * P, 0),
                R(5 * P, 6 * P, 1)]))
    add("numa-nodes-after-last-hole-are-contiguous",
        C2(P, P, P, mmio=[R(0, GB(1))]),
        OK(ram=[R(GB(1), GB(1) + P, 0), R(GB(1) + P, GB(1) + 2 * P, 1),
                R(GB(1) + 2 * P, GB(1) + 3 * P, 2)]))
    add("numa-single-node", C2(TB(1), mmio=SEED_MMIO), OK(ram=SEED_RAM))
    add("numa-single-size", C1(TB(1), mmio=SEED_MMIO), OK(ram=SEED_RAM))
    holes = [R((2 * i + 1) * P, (2 * i + 2) * P) for i in range(15)]
    add("numa-vnode-is-node-index",
        C2(*([P] * 16), mmio=holes[0:5], pci_ecam=holes[5:10],
           pci_mmio=holes[10:15]),
        OK(ram=[R(2 * i * P, (2 * i + 1) * P, i) for i in range(16)],
           size=16 * P))
    add("numa-statistics", C2(GB(3), GB(2), mmio=[R(GB(3), GB(4))]),
        OK(ram=[R(0, GB(3), 0), R(GB(4), GB(6), 1)], size=GB(5), below=GB(3),
           above=GB(2), max4g=GB(3), high=None))
    add("numa-nodes-fill-address-space", C2(P, MAX - P),
        OK(ram=[R(0, P, 0), R(P, MAX, 1)], size=MAX, eor=MAX))
    add("numa-accepts-vtl2-above-nodes",
        C2(GB(1), GB(1), vtl2=R(GB(2), GB(3))),
        OK(ram=[R(0, GB(1), 0), R(GB(1), GB(2), 1)], vtl2=GB(2), size=GB(2)))
    nb = [
        ("node-0-zero", C2(0), ERR("BAD_SIZE", "NODES")),
        ("node-2-zero", C2(GB(1), GB(1), 0), ERR("BAD_SIZE", "NODES", 2)),
        ("node-1-unaligned", C2(GB(1), GB(1) + 1, GB(1)),
         ERR("BAD_SIZE", "NODES", 1)),
        ("node-0-page-minus-one", C2(P - 1), ERR("BAD_SIZE", "NODES")),
        ("node-3-u64-max", C2(P, P, P, U64), ERR("BAD_SIZE", "NODES", 3)),
        ("empty-node-list", C2(null={"nodes"}), ERR("BAD_SIZE", "NODES")),
        ("empty-node-list-with-pointer", C2(), ERR("BAD_SIZE", "NODES")),
    ]
    for name, req, want in nb:
        add("numa-bad-size-" + name, req, want)
    nt = [
        ("2-63-twice", C2(1 << 63, 1 << 63), ERR(TL, "NODES", 1)),
        ("max-plus-page", C2(MAX, P), ERR(TL, "NODES", 1)),
        ("max-plus-max", C2(MAX, MAX), ERR(TL, "NODES", 1)),
        ("page-page-max", C2(P, P, MAX), ERR(TL, "NODES", 2)),
        ("2-63-2-62-2-62", C2(1 << 63, 1 << 62, 1 << 62), ERR(TL, "NODES", 2)),
        ("sum-fits-pushed-by-hole",
         C2(GB(1), MAX - GB(1), pci_ecam=[R(GB(2), GB(2) + P)]),
         ERR(TL, "NODES", 1)),
        ("node-3-past-top-hole",
         C2(GB(1), GB(1), MAX - GB(3), GB(1), mmio=[R(MAX - GB(1), MAX)]),
         ERR(TL, "NODES", 3)),
        ("r8-before-r6", C2(1 << 63, 1 << 63, P, max_ranges=2),
         ERR(TM, "NODES", 2)),
    ]
    for name, req, want in nt:
        add("numa-too-large-" + name, req, want)
    add("numa-four-nodes-max-4", C2(P, P, P, P, max_ranges=4), OK(nram=4))
    add("numa-five-nodes-max-4", C2(P, P, P, P, P, max_ranges=4),
        ERR(TM, "NODES", 4))

    # --- memlayout_probe (probe_kunit.c)
    ecam_end = GB(3) + MB(256)
    vtl2_end = GB(6) + MB(64)
    mixed = dict(mmio=[R(GB(2), GB(3)), R(GB(64), GB(128))],
                 pci_ecam=[R(GB(3), ecam_end)],
                 pci_mmio=[R(ecam_end, GB(4))], vtl2=R(GB(6), vtl2_end))
    mixed_ram = [R(0, GB(1), 0), R(GB(1), GB(2), 1), R(GB(4), GB(6), 0)]
    mixed_probes = [0, GB(1) - 1, GB(1), GB(2) - 1, GB(2), GB(3) - 1, GB(3),
                    ecam_end - 1, ecam_end, GB(4) - 1, GB(4), GB(6) - 1, GB(6),
                    vtl2_end - 1, vtl2_end, GB(64) - 1, GB(64), GB(100) + 123,
                    GB(128) - 1, GB(128), TB(1), MAX - 1, MAX, U64]
    add("probe-mixed-layout-edges", C3(*mixed_ram, probes=mixed_probes, **mixed),
        OK(ram=mixed_ram, vtl2=GB(6), nmmio=2, necam=1, npmmio=1))
    add("probe-mixed-layout-batch",
        C3(*mixed_ram, probes=[U64, GB(4), 0, GB(6), GB(3), GB(3), ecam_end,
                               GB(2) - 1, GB(64), 0], **mixed),
        OK(ram=mixed_ram))
    add("probe-address-zero-unmapped",
        C3(R(GB(1), GB(2)), pci_ecam=[R(GB(3), GB(4))],
           probes=[0, GB(1) - 1, GB(1), GB(2), GB(3) - 1, GB(3), U64]),
        OK(ram=[R(GB(1), GB(2))]))
    add("probe-top-hole",
        C1(GB(1), pci_mmio=[R(MAX - GB(1), MAX)],
           probes=[MAX - GB(1) - 1, MAX - GB(1), MAX - 1, MAX, U64]),
        OK(eol=MAX))
    add("probe-top-ram",
        C3(R(MAX - P, MAX), probes=[0, MAX - P - 1, MAX - P, MAX - 1, MAX, U64]),
        OK(ram=[R(MAX - P, MAX)]))
    add("probe-layout-c2-over-every-hole-kind",
        C2(GB(1) + P, MB(3), GB(7), mmio=[R(P, 2 * P), R(GB(3), GB(4))],
           pci_ecam=[R(GB(2), GB(2) + MB(1))],
           pci_mmio=[R(GB(2) + MB(1), GB(2) + MB(2)), R(MAX - GB(1), MAX)],
           vtl2=R(TB(1), TB(1) + GB(1))),
        OK(ram=[R(0, P, 0), R(2 * P, GB(1) + 2 * P, 0),
                R(GB(1) + 2 * P, GB(1) + 2 * P + MB(3), 1),
                R(GB(1) + 2 * P + MB(3), GB(2), 2),
                R(GB(2) + MB(2), GB(3), 2),
                R(GB(4), GB(9) + 2 * P + MB(5), 2)],
           vtl2=TB(1), eol=MAX, size=GB(8) + P + MB(3)))

    # --- memlayout_extremes (extremes_kunit.c)
    top = [
        ("ram-top-page", C3(R(0, GB(1)), R(MAX - P, MAX)), "skip"),
        ("ram-everything", C3(R(0, MAX)), "skip"),
        ("c1-max", C1(MAX), "skip"),
        ("mmio-top-1g", C1(GB(1), mmio=[R(MAX - GB(1), MAX)]), "skip"),
        ("pci-ecam-top-page",
         C1(GB(1), pci_ecam=[R(GB(2), GB(3)), R(MAX - P, MAX)]), "skip"),
        ("pci-mmio-top-1t", C1(GB(1), pci_mmio=[R(MAX - TB(1), MAX)]), "skip"),
        ("vtl2-top-page", C1(GB(1), vtl2=R(MAX - P, MAX)), MAX - P),
    ]
    for name, req, vtl2 in top:
        req.probes = [MAX - 1, MAX, U64]
        want = OK(vtl2=vtl2) if vtl2 != "skip" else OK(eol=MAX)
        add("extremes-top-" + name, req, want)
    am = [
        ("ram-ending-u64-max", C3(R(MAX - P, U64)), ERR(BR, "RAM")),
        ("ram-1-ending-max-plus-1", C3(R(0, GB(1)), R(MAX - P, MAX + 1)),
         ERR(BR, "RAM", 1)),
        ("ram-wrapped", C3(R(MAX, 0)), ERR(BR, "RAM")),
        ("mmio-ending-u64-max", C1(GB(1), mmio=[R(MAX - P, U64)]),
         ERR(BR, "MMIO")),
        ("mmio-1-wrapped",
         C1(GB(1), mmio=[R(GB(2), GB(3)), R(MAX - GB(1), 0)]),
         ERR(BR, "MMIO", 1)),
        ("pci-ecam-max-u64-max", C1(GB(1), pci_ecam=[R(MAX, U64)]),
         ERR(BR, "PCI_ECAM")),
        ("pci-mmio-wrapped", C1(GB(1), pci_mmio=[R(MAX - P, 0)]),
         ERR(BR, "PCI_MMIO")),
        ("vtl2-ending-u64-max", C1(GB(1), vtl2=R(MAX - P, U64)),
         ERR(BR, "VTL2")),
        ("vtl2-wrapped", C1(GB(1), vtl2=R(MAX, 0)), ERR(BR, "VTL2")),
    ]
    for name, req, want in am:
        add("extremes-above-max-" + name, req, want)
    pl = [
        ("c1-max-top-page-hole", C1(MAX, pci_ecam=[R(MAX - P, MAX)]), ERR(TL)),
        ("c1-2-63-around-2-63-hole",
         C1(1 << 63, mmio=[R(1 << 62, 3 << 62)]), ERR(TL)),
        ("c1-max-after-hole-at-0", C1(MAX, pci_mmio=[R(0, GB(1))]), ERR(TL)),
        ("c2-top-page-hole",
         C2(MAX - P, P, pci_ecam=[R(MAX - P, MAX)]), ERR(TL, "NODES", 1)),
        ("c2-four-2-62", C2(1 << 62, 1 << 62, 1 << 62, 1 << 62),
         ERR(TL, "NODES", 3)),
        ("c2-sum-max-accepted",
         C2(1 << 62, 1 << 62, 1 << 62, (1 << 62) - P), OK(eor=MAX)),
    ]
    for name, req, want in pl:
        add("extremes-placement-" + name, req, want)
    add("extremes-ram-fills-address-space", C1(MAX),
        OK(ram=[R(0, MAX)], size=MAX, eor=MAX, below=G4, above=MAX - G4,
           max4g=G4, eol=MAX))
    add("extremes-hole-at-top-ram-below",
        C1(GB(1), mmio=[R(GB(2), GB(3)), R(MAX - GB(1), MAX)]),
        OK(ram=[R(0, GB(1))], nmmio=2, eor=GB(1), eol=MAX, high=0))
    add("extremes-ram-fills-up-to-top-hole",
        C1(MAX - P, pci_ecam=[R(MAX - P, MAX)], probes=[MAX - 1]),
        OK(ram=[R(0, MAX - P)], eol=MAX))
    add("extremes-ram-around-huge-hole",
        C1(1 << 63, mmio=[R(1 << 62, (3 << 62) - P)]),
        OK(ram=[R(0, 1 << 62), R((3 << 62) - P, MAX)], size=1 << 63))

    def limit_req(lst, n, mx):
        if lst == "nodes":
            return C2(*([P] * n), max_ranges=mx)
        rs = [R((2 * i + (lst != "ram")) * P, (2 * i + (lst != "ram") + 1) * P)
              for i in range(n)]
        if lst == "ram":
            return C3(*rs, max_ranges=mx)
        return C1(P, max_ranges=mx, **{lst: rs})
    names = {"ram": "RAM", "mmio": "MMIO", "pci_ecam": "PCI_ECAM",
             "pci_mmio": "PCI_MMIO", "nodes": "NODES"}
    for lst in ("ram", "mmio", "pci_ecam", "pci_mmio", "nodes"):
        key = {"ram": "nram", "mmio": "nmmio", "pci_ecam": "necam",
               "pci_mmio": "npmmio", "nodes": "nram"}[lst]
        tag = lst.replace("_", "-")
        add("extremes-max-ranges-accepts-5-" + tag, limit_req(lst, 5, 5),
            OK(**{key: 5}))
        add("extremes-max-ranges-rejects-6-" + tag, limit_req(lst, 6, 5),
            ERR(TM, names[lst], 5))
    odd = Pattern(4096, P, 2 * P, P)
    add("extremes-max-ranges-zero-default-4096",
        C1(P, patterns={"mmio": odd}), OK(nmmio=4096))
    add("extremes-max-ranges-zero-default-4097-mmio",
        C1(P, patterns={"mmio": Pattern(4097, P, 2 * P, P)}),
        ERR(TM, "MMIO", 4096))
    add("extremes-max-ranges-zero-default-4097-ram",
        C3(patterns={"ram": Pattern(4097, 0, 2 * P, P)}),
        ERR(TM, "RAM", 4096))
    add("extremes-max-ranges-above-default",
        C1(P, max_ranges=4097,
           patterns={"pci_mmio": Pattern(4097, P, 2 * P, P)}),
        OK(npmmio=4097))
    add("extremes-max-ranges-capped-at-limit",
        C1(P, max_ranges=U32,
           patterns={"mmio": Pattern(LIMIT + 1, P, 2 * P, P)}),
        ERR(TM, "MMIO", LIMIT))
    big = dict(size=4097 * P, eor=8193 * P, eol=8193 * P, nram=4097)
    add("extremes-large-layout-mmio",
        C1(4097 * P, max_ranges=4096, patterns={"mmio": odd}),
        OK(nmmio=4096, **big))
    add("extremes-large-layout-three-kinds",
        C1(4097 * P, max_ranges=4096, patterns={
            "mmio": Pattern(1366, P, 6 * P, P),
            "pci_ecam": Pattern(1365, 3 * P, 6 * P, P),
            "pci_mmio": Pattern(1365, 5 * P, 6 * P, P)}),
        OK(nmmio=1366, necam=1365, npmmio=1365, **big))
    return c


def render(cases):
    files = {}
    lines = []
    for name, req, want in cases:
        assert name not in files, name
        files[name] = req.encode()
        lines.append("%s %s" % (name, want))
    return files, "\n".join(lines) + "\n"


HEADER = ("# Generated by fuzz/gen_corpus.py; do not edit. One line per input:\n"
          "# NAME ERRNO [RULE LIST INDEX OTHER_LIST OTHER_INDEX] [KEY=VALUE]...\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=here)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    stale = []
    for sub, cases in (("corpus", seed_cases()), ("kunit-corpus", kunit_cases())):
        files, expect = render(cases)
        d = os.path.join(args.out, sub)
        exp = os.path.join(args.out, sub + ".expect")
        if args.check:
            have = set(os.listdir(d)) if os.path.isdir(d) else set()
            if have != set(files):
                stale.append(d)
            for name, data in files.items():
                p = os.path.join(d, name)
                if not os.path.exists(p) or open(p, "rb").read() != data:
                    stale.append(p)
            if not os.path.exists(exp) or open(exp).read() != HEADER + expect:
                stale.append(exp)
            continue
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old not in files:
                os.unlink(os.path.join(d, old))
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        with open(exp, "w") as f:
            f.write(HEADER + expect)
        print("%s: %d inputs" % (d, len(files)))
    if stale:
        print("out of date: " + " ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
