//! Host tests that need no device: request codes, struct layouts, names
//! and messages, ranges, the fingerprint and the firmware maps.

use crate::sys;
use crate::*;
use std::mem::size_of;
use std::ptr::addr_of;

const GB: u64 = 1 << 30;

#[test]
fn request_codes_are_io_0xba() {
    // _IO(0xBA, nr) = 0xBA << 8 | nr: no direction, no size.
    assert_eq!(sys::IOC_GET_INFO, 0xba00);
    assert_eq!(sys::IOC_SET_LAYOUT, 0xba10);
    assert_eq!(sys::IOC_GET_STATS, 0xba11);
    assert_eq!(sys::IOC_GET_RANGES, 0xba12);
    assert_eq!(sys::IOC_GET_LAYOUT, 0xba13);
    assert_eq!(sys::IOC_PROBE, 0xba20);
}

#[test]
fn struct_sizes_match_the_header() {
    assert_eq!(size_of::<sys::Info>(), sys::INFO_SIZE_VER0);
    assert_eq!(size_of::<sys::Set>(), sys::SET_SIZE_VER1);
    assert_eq!(size_of::<sys::Stats>(), sys::STATS_SIZE_VER1);
    assert_eq!(size_of::<sys::GetLayout>(), sys::GET_LAYOUT_SIZE_VER0);
    assert_eq!(size_of::<sys::GetRanges>(), sys::GET_RANGES_SIZE_VER0);
    assert_eq!(size_of::<sys::Probe>(), sys::PROBE_SIZE_VER1);
    assert_eq!(size_of::<sys::Range>(), 24);
    assert_eq!(size_of::<sys::MapEntry>(), 24);
    assert_eq!(size_of::<sys::ProbeRange>(), 24);
    assert_eq!(size_of::<sys::Reason>(), 24);
}

/// The member offsets field_name() relies on are the struct's.
#[test]
fn set_field_offsets() {
    let s = sys::Set::default();
    let base = addr_of!(s) as usize;
    let off = |p: usize| (p - base) as u32;
    assert_eq!(
        field_name(0, off(addr_of!(s.ram_size) as usize)),
        Some("ram_size")
    );
    assert_eq!(
        field_name(0, off(addr_of!(s.mmio_ptr) as usize)),
        Some("mmio_ptr")
    );
    assert_eq!(
        field_name(0, off(addr_of!(s.nr_pci_mmio) as usize)),
        Some("nr_pci_mmio")
    );
    assert_eq!(field_name(0, off(addr_of!(s.vtl2) as usize)), Some("vtl2"));
    assert_eq!(off(addr_of!(s.reason) as usize), 104);
    assert_eq!(off(addr_of!(s.fingerprint) as usize), 136);
    let r = sys::Range::default();
    let rb = addr_of!(r) as usize;
    assert_eq!(
        field_name(1, (addr_of!(r.vnode) as usize - rb) as u32),
        Some("vnode")
    );
    assert_eq!(
        field_name(1, (addr_of!(r.reserved) as usize - rb) as u32),
        Some("reserved")
    );
}

#[test]
fn names() {
    assert_eq!(rule_name(4), Some("R4"));
    assert_eq!(rule_name(17), Some("reserved"));
    assert_eq!(rule_name(9), None);
    assert_eq!(list_name(6), Some("nodes"));
    assert_eq!(kind_name(3), Some("pci_ecam"));
    assert_eq!(AddressType::PciMmio.name(), "pci_mmio");
    assert_eq!(AddressType::from_kind(0), None);
    for t in [
        AddressType::Ram,
        AddressType::Mmio,
        AddressType::PciEcam,
        AddressType::PciMmio,
    ] {
        assert_eq!(AddressType::from_kind(t.kind()), Some(t));
    }
}

fn reason(errno: i32, rule: u32, list: u32, index: u32, ol: u32, oi: u32, field: u32) -> Reason {
    Reason {
        errno,
        rule,
        list,
        index,
        other_list: ol,
        other_index: oi,
        field,
    }
}

/// The text is libmemlayout's memlayout_strerror() (lib/names.c).
#[test]
fn messages_are_memlayout_strerror() {
    let cases = [
        (reason(17, 4, 2, 1, 1, 0, 0), "R4 overlap: mmio[1] overlaps ram[0]: File exists"),
        (
            reason(22, 3, 2, 1, 0, 0, 0),
            "R3 bad order: mmio[1] starts before the end of mmio[0]: Invalid argument",
        ),
        (
            reason(22, 1, 0, 0, 0, 0, 0),
            "R1 bad size: ram_size is zero or not a multiple of 4 KiB: Invalid argument",
        ),
        (
            reason(22, 1, 6, 0, 0, 0, 0),
            "R1 bad size: no node size given, or nodes[0] is zero or not a multiple of 4 KiB: Invalid argument",
        ),
        (
            reason(22, 2, 3, 0, 0, 0, 0),
            "R2 bad range: pci_ecam[0] is empty, reversed, not 4 KiB aligned or ends above 0xfffffffffffff000: Invalid argument",
        ),
        (reason(22, 5, 0, 0, 0, 0, 0), "R5 no RAM: the layout would hold no RAM range: Invalid argument"),
        (
            reason(75, 6, 0, 0, 0, 0, 0),
            "R6 too large: the RAM does not fit at or below 0xfffffffffffff000: Value too large for defined data type",
        ),
        (
            reason(22, 7, 5, 0, 1, 2, 0),
            "R7 VTL2 below end of RAM: vtl2 starts below the end of ram[2]: Invalid argument",
        ),
        (
            reason(7, 8, 2, 4096, 0, 0, 0),
            "R8 too many ranges: mmio holds more than max_ranges 4096 entries: Argument list too long",
        ),
        (reason(95, 16, 0, 0, 0, 0, 4), "unsupported value in flags: Operation not supported"),
        (
            reason(22, 17, 0, 0, 0, 0, 16),
            "field ram_size must be zero here (unused by this source, reserved, or a pointer without its count): Invalid argument",
        ),
        (reason(22, 17, 2, 3, 0, 0, 16), "vnode of mmio[3] must be zero: Invalid argument"),
        (
            reason(7, 18, 0, 0, 0, 0, 200),
            "the command's size or tail is not understood (byte 200): Argument list too long",
        ),
        (reason(12, 0, 0, 0, 0, 0, 0), "Cannot allocate memory"),
        (reason(0, 0, 0, 0, 0, 0, 0), "success"),
        (reason(22, 42, 9, 1, 0, 0, 0), "unknown rule 42 at list9[1]: Invalid argument"),
    ];
    for (r, text) in cases {
        assert_eq!(r.to_string(), text);
        if r.errno != 0 {
            assert_eq!(Error::from_reason(r).to_string(), text);
        }
    }
}

#[test]
fn errors_map_to_upstream_variants() {
    let v = |rule, list| Error::from_reason(reason(22, rule, list, 0, 0, 0, 0));
    assert!(matches!(v(1, 0), Error::BadSize(_)));
    assert!(matches!(v(1, 6), Error::BadNumaSize(_)));
    assert!(matches!(v(3, 2), Error::BadMmioGaps(_)));
    assert!(matches!(v(2, 4), Error::BadMmioGaps(_)));
    assert!(matches!(v(3, 1), Error::BadMemoryRanges(_)));
    assert!(matches!(v(4, 2), Error::BadMemoryRanges(_)));
    assert!(matches!(v(5, 0), Error::BadMemoryRanges(_)));
    assert!(matches!(v(6, 0), Error::TooLarge(_)));
    assert!(matches!(v(7, 5), Error::Vtl2RangeBeforeEndOfRam(_)));
    assert!(matches!(v(8, 1), Error::TooManyRanges(_)));
    assert!(matches!(v(17, 0), Error::Rejected(_)));
    assert_eq!(v(4, 2).errno(), Some(22));
}

#[test]
fn memory_range() {
    let r = MemoryRange::new(GB..2 * GB);
    assert_eq!(r.len(), GB);
    assert!(r.contains_addr(GB) && !r.contains_addr(2 * GB));
    assert!(r.overlaps(&MemoryRange::new(0..GB + 4096)));
    assert!(!r.overlaps(&MemoryRange::new(0..GB)));
    assert_eq!(r.offset_of(GB + 8), Some(8));
    assert!(MemoryRange::EMPTY.is_empty());
    assert!(MemoryRange::try_new(1..4096).is_err());
    assert!(MemoryRange::try_new(8192..4096).is_err());
    assert!(MemoryRange::try_new(0..MemoryRange::MAX_ADDRESS).is_ok());
    assert_eq!(r.to_string(), "0x40000000-0x80000000");
    let n = MemoryRangeWithNode { range: r, vnode: 1 };
    assert_eq!(n.to_string(), "0x40000000-0x80000000(1)");
}

#[test]
#[should_panic]
fn memory_range_unaligned_panics() {
    let _ = MemoryRange::new(0..GB + 1);
}

#[test]
fn sha256_vectors() {
    let digest = |d: &[u8]| {
        let mut h = Sha256::new();
        h.update(d);
        h.finish()
    };
    assert_eq!(
        hex(&digest(b"")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(&digest(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(
        hex(&digest(
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        )),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

fn entry(s: u64, e: u64, vnode: u32, kind: AddressType) -> LayoutEntry {
    LayoutEntry {
        range: MemoryRange::new(s..e),
        vnode,
        kind,
    }
}

#[test]
fn fingerprint_encoding() {
    let e = [
        entry(0, GB, 0, AddressType::Ram),
        entry(GB, 2 * GB, 0, AddressType::Mmio),
    ];
    // The encoding by hand: magic, N, has_vtl2, then the records.
    let mut h = Sha256::new();
    h.update(b"memlayout.fp.v1\n");
    h.update(&[2, 0, 0, 0, 0, 0, 0, 0]);
    for (s, t, k) in [(0u64, GB, 1u32), (GB, 2 * GB, 2)] {
        h.update(&s.to_le_bytes());
        h.update(&t.to_le_bytes());
        h.update(&0u32.to_le_bytes());
        h.update(&k.to_le_bytes());
    }
    assert_eq!(fingerprint(&e, None), h.finish());
    // Any change changes it: a vnode, a kind, VTL2.
    let mut e2 = e;
    e2[0].vnode = 1;
    assert_ne!(fingerprint(&e, None), fingerprint(&e2, None));
    e2 = e;
    e2[1].kind = AddressType::PciMmio;
    assert_ne!(fingerprint(&e, None), fingerprint(&e2, None));
    let v = Some(MemoryRange::new(4 * GB..5 * GB));
    assert_ne!(fingerprint(&e, None), fingerprint(&e, v));
}

fn snap(entries: Vec<LayoutEntry>, vtl2: Option<MemoryRange>) -> Snapshot {
    Snapshot {
        generation: 0,
        fingerprint: [0; 32],
        stats: Stats {
            generation: 0,
            ram_size: 0,
            end_of_ram: 0,
            ram_below_4gb: 0,
            ram_above_4gb: 0,
            max_ram_below_4gb: None,
            ram_above_high_mmio: None,
            end_of_layout: 0,
            vtl2_range: vtl2,
            nr_ram: 0,
            nr_mmio: 0,
            nr_pci_ecam: 0,
            nr_pci_mmio: 0,
            fingerprint: [0; 32],
        },
        entries,
    }
}

#[test]
fn e820_and_srat_policy() {
    use firmware::*;
    let s = snap(
        vec![
            entry(0, GB, 0, AddressType::Ram),
            entry(GB, 2 * GB, 1, AddressType::Ram),
            entry(2 * GB, 3 * GB, 0, AddressType::PciEcam),
            entry(3 * GB, 4 * GB, 0, AddressType::Mmio),
            entry(4 * GB, 5 * GB, 1, AddressType::Ram),
            entry(5 * GB, 6 * GB, 1, AddressType::Ram),
            entry(8 * GB, 9 * GB, 0, AddressType::PciMmio),
        ],
        Some(MemoryRange::new(6 * GB..7 * GB)),
    );
    let e = |addr, size, kind| E820Entry { addr, size, kind };
    assert_eq!(
        e820(&s, false),
        vec![
            e(0, 2 * GB, E820_RAM),
            e(2 * GB, GB, E820_RESERVED),
            e(4 * GB, 2 * GB, E820_RAM),
            e(6 * GB, GB, E820_RESERVED),
        ]
    );
    let legacy = e820(&s, true);
    assert_eq!(legacy[0], e(0, 0x9fc00, E820_RAM));
    assert_eq!(legacy[1], e(0x9fc00, 0x400, E820_RESERVED));
    assert_eq!(legacy[2], e(0xf0000, 0x10000, E820_RESERVED));
    assert_eq!(legacy[3], e(0x100000, 2 * GB - 0x100000, E820_RAM));
    assert_eq!(legacy.len(), 7);
    // RAM that starts at 1 MiB, or ends in the VGA window.
    let s2 = snap(
        vec![
            entry(0, 0xa_0000 + 0x1_0000, 0, AddressType::Ram),
            entry(0x10_0000, GB, 0, AddressType::Ram),
        ],
        None,
    );
    assert_eq!(
        e820(&s2, true),
        vec![
            e(0, 0x9fc00, E820_RAM),
            e(0x9fc00, 0x400, E820_RESERVED),
            e(0x10_0000, GB - 0x10_0000, E820_RAM),
        ]
    );
    assert_eq!(
        e(1, 2, 3).to_bytes()[..],
        [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0]
    );
    let m = |d, base, length| SratMemory {
        proximity_domain: d,
        base,
        length,
        flags: 1,
    };
    assert_eq!(
        srat_memory(&s),
        vec![m(0, 0, GB), m(1, GB, GB), m(1, 4 * GB, 2 * GB)]
    );
    let b = m(1, GB, GB).to_bytes();
    assert_eq!(
        (b[0], b[1], b[2], b[11], b[19], b[28]),
        (1, 40, 1, 0x40, 0x40, 1)
    );
}
