//! Firmware maps rendered from a [`Snapshot`], with libmemlayout's
//! policies (`lib/firmware.c`, `Documentation/userspace-api/firmware-maps.rst`):
//!
//! * e820: RAM is type 1 and RAM ranges that touch are merged, node splits
//!   included; PCI ECAM windows and the VTL2 range are type 2 (reserved);
//!   MMIO gaps and PCI MMIO windows are left out (a hole in e820). With
//!   `legacy`, the BIOS carve-out as SeaBIOS leaves it, of any RAM there:
//!   `[0x9fc00, 0xa0000)` (EBDA) and `[0xf0000, 0x100000)` (BIOS) are
//!   reserved, `[0xa0000, 0xf0000)` (VGA, option ROMs) gets no entry.
//! * SRAT: one Memory Affinity Structure (ACPI 6.5, 5.2.16.2) per run of
//!   touching RAM ranges of one vnode, its proximity domain the vnode,
//!   flagged enabled.

use crate::device::Snapshot;
use crate::layout::AddressType;

/// e820 type of usable RAM (`E820_TYPE_RAM`, ACPI AddressRangeMemory).
pub const E820_RAM: u32 = 1;
/// e820 type of reserved space (`E820_TYPE_RESERVED`).
pub const E820_RESERVED: u32 = 2;

const EBDA_START: u64 = 0x9fc00;
const VGA_START: u64 = 0xa0000;
const BIOS_START: u64 = 0xf0000;
const BIOS_END: u64 = 0x10_0000;

/// One e820 entry (`struct boot_e820_entry`, in host order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct E820Entry {
    /// First byte.
    pub addr: u64,
    /// Bytes.
    pub size: u64,
    /// [`E820_RAM`] or [`E820_RESERVED`].
    pub kind: u32,
}

impl E820Entry {
    /// The 20-byte `struct boot_e820_entry` image (little-endian, packed)
    /// a VMM writes into the guest's boot parameters.
    pub fn to_bytes(&self) -> [u8; 20] {
        let mut b = [0u8; 20];
        b[..8].copy_from_slice(&self.addr.to_le_bytes());
        b[8..16].copy_from_slice(&self.size.to_le_bytes());
        b[16..].copy_from_slice(&self.kind.to_le_bytes());
        b
    }
}

fn push(out: &mut Vec<E820Entry>, start: u64, end: u64, kind: u32) {
    if start >= end {
        return;
    }
    if let Some(last) = out.last_mut() {
        if last.kind == kind && last.addr + last.size == start {
            last.size += end - start;
            return;
        }
    }
    out.push(E820Entry {
        addr: start,
        size: end - start,
        kind,
    });
}

/// The e820 table of `snap` (see the module's policy).
pub fn e820(snap: &Snapshot, legacy: bool) -> Vec<E820Entry> {
    let mut out = Vec::new();
    let mut vtl2 = snap.stats.vtl2_range;
    for e in &snap.entries {
        if let Some(v) = vtl2 {
            if v.start() < e.range.start() {
                push(&mut out, v.start(), v.end(), E820_RESERVED);
                vtl2 = None;
            }
        }
        let (s, t) = (e.range.start(), e.range.end());
        match e.kind {
            AddressType::Ram if legacy && s < BIOS_END => {
                for (lo, hi, kind) in [
                    (0, EBDA_START, E820_RAM),
                    (EBDA_START, VGA_START, E820_RESERVED),
                    (BIOS_START, BIOS_END, E820_RESERVED),
                    (BIOS_END, u64::MAX, E820_RAM),
                ] {
                    push(&mut out, s.max(lo), t.min(hi), kind);
                }
            }
            AddressType::Ram => push(&mut out, s, t, E820_RAM),
            AddressType::PciEcam => push(&mut out, s, t, E820_RESERVED),
            AddressType::Mmio | AddressType::PciMmio => {}
        }
    }
    if let Some(v) = vtl2 {
        push(&mut out, v.start(), v.end(), E820_RESERVED);
    }
    out
}

/// One ACPI SRAT Memory Affinity Structure (type 1, 40 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SratMemory {
    /// The proximity domain: the vnode.
    pub proximity_domain: u32,
    /// First byte.
    pub base: u64,
    /// Bytes.
    pub length: u64,
    /// Bit 0: enabled.
    pub flags: u32,
}

impl SratMemory {
    /// The 40-byte structure as it goes into the SRAT (little-endian).
    pub fn to_bytes(&self) -> [u8; 40] {
        let mut b = [0u8; 40];
        b[0] = 1;
        b[1] = 40;
        b[2..6].copy_from_slice(&self.proximity_domain.to_le_bytes());
        b[8..16].copy_from_slice(&self.base.to_le_bytes());
        b[16..24].copy_from_slice(&self.length.to_le_bytes());
        b[28..32].copy_from_slice(&self.flags.to_le_bytes());
        b
    }
}

/// The SRAT memory affinity structures of `snap` (see the module's
/// policy).
pub fn srat_memory(snap: &Snapshot) -> Vec<SratMemory> {
    let mut out: Vec<SratMemory> = Vec::new();
    for e in snap.ranges_of(AddressType::Ram) {
        if let Some(last) = out.last_mut() {
            if last.proximity_domain == e.vnode && last.base + last.length == e.range.start() {
                last.length += e.range.len();
                continue;
            }
        }
        out.push(SratMemory {
            proximity_domain: e.vnode,
            base: e.range.start(),
            length: e.range.len(),
            flags: 1,
        });
    }
    out
}
