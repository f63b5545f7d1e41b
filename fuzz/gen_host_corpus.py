#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write fuzz/host-corpus/: seeds of fuzz/fuzz_host.c, one per SPEC H1-H3
edge (its input format is in that file's header comment). The target is
differential: each seed is checked against the brute-force model there."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "host-corpus")

# fuzz_host.c's anchor and width tables (indexes).
A_G4, A_MSI, A_2_39, A_3G, A_16M = 5, 3, 6, 14, 2
W39, W64, W32 = 0, 10, 14


def rng(kind, gap=0, length=0, vtl2=False):
    """A range byte: kind, VTL2, gap mode, length mode."""
    return [kind | (4 if vtl2 else 0) | gap << 3 | length << 5]


def raw(v):
    return [2] + list(struct.pack("<Q", v))


def anchor(i, delta=0):
    return [1, i, delta & 0xff]


ZERO = [7]


def dev(flags, ap_start, ap_last, regions=()):
    b = [flags] + ap_start + ap_last + [len(regions)]
    for r in regions:
        b += r
    return b


def region(type_byte, start, last, flags=0):
    return [type_byte] + start + last + [flags]


# name: (bytes, outcome "RETURN, H1 n, H2 n, H3 n" worked out by hand).
SEEDS = {
    # H1: RAM [0, 2^39) fits, a page of mmio from 2^39 conflicts.
    "h1-edge-2-39": [0, 2] + rng(0, 0, 1) + [A_2_39, 0] + rng(1) + [0]
    + [W39, 0],
    # H2: RAM to 2^39 + a page, aperture [0, 2^39 - 1].
    "h2-aperture-39": [0, 1] + rng(0, 0, 1) + [A_2_39, 1] + [W64, 1]
    + dev(3, ZERO, raw((1 << 39) - 1)),
    # H3: RAM [0, 4 GiB) over the MSI window.
    "h3-msi": [0, 1] + rng(0, 0, 1) + [A_G4, 0] + [W64, 1]
    + dev(1, ZERO, ZERO, [region(2, anchor(A_MSI), raw(0xfeefffff))]),
    # H3: the relaxable ISA direct region over RAM [0, 16 MiB).
    "h3-isa-relaxable": [0, 1] + rng(0, 0, 1) + [A_16M, 0] + [W64, 1]
    + dev(1, ZERO, ZERO, [region(0, ZERO, raw((16 << 20) - 1), 1)]),
    # All rules, VTL2 between holes, a device without IOMMU, a sink
    # failing at its second conflict.
    "order-vtl2-stop": [1 | 8, 3] + rng(0, 0, 1) + [A_G4, 0]
    + rng(1, 1, 0, True) + [16, 255] + rng(3, 3, 0) + [200, 0]
    + [W32, 2] + dev(3, ZERO, raw((1 << 32) - 1),
                     [region(2, anchor(A_MSI), raw(0xfeefffff))])
    + dev(0, ZERO, ZERO) + [2, 0],
    # Malformed: phys_bits 0.
    "malformed-phys-0": [0, 1] + rng(0) + [0] + [0xc0, 0],
    # Malformed: 65 devices.
    "malformed-65-devices": [16, 1] + rng(0) + [0] + [W64, 0xff],
    # 2001 RAM ranges (long walks), aperture [3 GiB, U64_MAX], a region.
    "pattern-many": [2 | 4, 1] + rng(0) + [0] + [0xd0, 0x07, 0, 0x00, 0x08,
                                                  0, 0]
    + [W32, 1] + dev(3, anchor(A_3G), [6, 0],
                     [region(1, anchor(A_G4), [5, 1])]),
}

# The outcomes, each worked out from SPEC H1-H3 by hand.
EXPECT = {
    "h1-edge-2-39": "0, H1 1, H2 0, H3 0",
    "h2-aperture-39": "0, H1 0, H2 1, H3 0",
    "h3-msi": "0, H1 0, H2 0, H3 1",
    "h3-isa-relaxable": "0, H1 0, H2 0, H3 1",
    # 32 bits: VTL2 and pci_mmio; the aperture: VTL2; MSI: RAM; the
    # sink's failure at call 2 is not the outcome (the full run is).
    "order-vtl2-stop": "0, H1 2, H2 1, H3 1",
    "malformed-phys-0": "-22, H1 0, H2 0, H3 0",
    "malformed-65-devices": "-22, H1 0, H2 0, H3 0",
    # Pattern range i is [(i + 1)(8 MiB + 4 KiB), + 4 KiB), i < 2000.
    # H1: i >= 511 (1489); H2: RAM 0 and i + 1 <= 383 (384);
    # H3 [4 GiB, 5 GiB - 1]: 511 <= i <= 638 (128).
    "pattern-many": "0, H1 1489, H2 384, H3 128",
}

os.makedirs(OUT, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes(data))
with open(os.path.join(OUT, "EXPECT"), "w") as f:
    for name in sorted(EXPECT):
        f.write(f"{name}: {EXPECT[name]}\n")
