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
    assert_eq!(sys::IOC_GET_PLACEMENTS, 0xba14);
    assert_eq!(sys::IOC_PROBE, 0xba20);
}

#[test]
fn struct_sizes_match_the_header() {
    assert_eq!(size_of::<sys::Info>(), sys::INFO_SIZE_VER1);
    assert_eq!(size_of::<sys::Set>(), sys::SET_SIZE_VER2);
    assert_eq!(
        size_of::<sys::GetPlacements>(),
        sys::GET_PLACEMENTS_SIZE_VER0
    );
    assert_eq!(size_of::<sys::PlaceReq>(), 40);
    assert_eq!(size_of::<sys::Placed>(), 32);
    assert_eq!(size_of::<sys::PlaceReason>(), 48);
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
    // VER2: the placement members follow the fingerprint (VER1's end).
    assert_eq!(
        field_name(0, off(addr_of!(s.place_ptr) as usize)),
        Some("place_ptr")
    );
    assert_eq!(
        off(addr_of!(s.place_ptr) as usize) as usize,
        sys::SET_SIZE_VER1
    );
    assert_eq!(
        field_name(0, off(addr_of!(s.nr_place) as usize)),
        Some("nr_place")
    );
    assert_eq!(
        field_name(0, off(addr_of!(s.place_flags) as usize)),
        Some("place_flags")
    );
    assert_eq!(off(addr_of!(s.place_reason) as usize), 184);
    // The members a placement request's REASON_RESERVED names.
    let q = sys::PlaceReq::default();
    let qb = addr_of!(q) as usize;
    let qo = |p: usize| (p - qb) as u32;
    let place = sys::LIST_PLACE;
    assert_eq!(
        field_name(place, qo(addr_of!(q.class) as usize)),
        Some("class")
    );
    assert_eq!(
        field_name(place, qo(addr_of!(q.kind) as usize)),
        Some("kind")
    );
    assert_eq!(
        field_name(place, qo(addr_of!(q.start) as usize)),
        Some("start")
    );
    assert_eq!(field_name(place, qo(addr_of!(q.end) as usize)), Some("end"));
    assert_eq!(
        field_name(place, qo(addr_of!(q.size) as usize)),
        Some("size")
    );
    assert_eq!(
        field_name(place, qo(addr_of!(q.align) as usize)),
        Some("align")
    );
    // GET_INFO VER1: nr_classes right after VER0's end.
    let i = sys::Info::default();
    assert_eq!(
        addr_of!(i.nr_classes) as usize - addr_of!(i) as usize,
        sys::INFO_SIZE_VER0
    );
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
    assert_eq!(rule_name(9), Some("P1"));
    assert_eq!(rule_name(12), Some("P4"));
    assert_eq!(rule_name(13), None);
    assert_eq!(list_name(6), Some("nodes"));
    assert_eq!(list_name(7), Some("place"));
    assert_eq!(list_name(8), None);
    assert_eq!(class_name(0), None);
    assert_eq!(class_name(6), Some("post_mmio"));
    assert_eq!(class_name(7), None);
    for (i, c) in PlacedClass::ALL.iter().enumerate() {
        assert_eq!(c.raw(), i as u32 + 1);
        assert_eq!(PlacedClass::from_raw(c.raw()), Some(*c));
        assert_eq!(Some(c.name()), class_name(c.raw()));
    }
    assert_eq!(PlacedClass::from_raw(0), None);
    let kinds = ["none", "ram", "mmio", "pci_ecam", "pci_mmio", "vtl2"];
    for (raw, name) in kinds.iter().enumerate() {
        let k = PlacedKind::from_raw(raw as u32).unwrap();
        assert_eq!((k.raw(), k.name()), (raw as u32, *name));
    }
    assert_eq!(PlacedKind::from_raw(6), None);
    assert_eq!(PlacedKind::Vtl2.raw(), sys::PLACE_VTL2);
    assert_eq!(PlacedKind::Vtl2.address_type(), None);
    assert_eq!(PlacedKind::None.address_type(), None);
    assert_eq!(
        PlacedKind::PciEcam.address_type(),
        Some(AddressType::PciEcam)
    );
    assert_eq!(PlacedKind::from(AddressType::PciMmio), PlacedKind::PciMmio);
    assert_eq!(AllocationPhase::from_raw(sys::CLASS_FIXED), None);
    assert_eq!(
        AllocationPhase::from_raw(sys::CLASS_RAM),
        Some(AllocationPhase::Ram)
    );
    assert_eq!(AllocationPhase::PostMmio.to_string(), "post_mmio");
    assert_eq!(Placement::Mmio64.class(), PlacedClass::Mmio64);
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
        (
            reason(22, 9, 7, 3, 0, 0, 0),
            "P1 invalid size: place[3] has a size of zero or not a multiple of 4 KiB: Invalid argument",
        ),
        (
            reason(22, 10, 7, 0, 0, 0, 0),
            "P2 invalid alignment: place[0] has an alignment that is not a power of two of at least 4 KiB: Invalid argument",
        ),
        (
            reason(17, 11, 7, 2, 7, 0, 0),
            "P3 pinned overlap: place[2] overlaps place[0]: File exists",
        ),
        (
            reason(28, 12, 7, 5, 0, 0, 0),
            "P4 exhausted: place[5] found no room in its phase: No space left on device",
        ),
        (reason(22, 17, 7, 1, 0, 0, 4), "kind of place[1] must be zero: Invalid argument"),
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
#[allow(clippy::reversed_empty_ranges)] // a reversed range on purpose
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

const MB: u64 = 1 << 20;

/// Every builder method encodes its request as `struct memlayout_place_req`
/// wants it: the class's members set, the others zero, in call order.
#[test]
fn builder_encodes_requests() {
    let mut b = LayoutBuilder::new();
    b.reserve("low", MemoryRange::new(0..MB))
        .fixed(
            "chipset",
            PlacedKind::Mmio,
            MemoryRange::new(0xfe00_0000..4 * GB),
        )
        .request(
            "ecam",
            PlacedKind::PciEcam,
            256 * MB,
            256 * MB,
            Placement::Mmio32,
        )
        .ram("node0", 3 * GB, 2 * MB)
        .ram(String::from("node1"), 0, 4096)
        .request("pci", PlacedKind::PciMmio, 64 * GB, GB, Placement::Mmio64)
        .request(
            "vtl2",
            PlacedKind::Vtl2,
            64 * MB,
            2 * MB,
            Placement::PostMmio,
        );
    let q = |class, kind, start, end, size, align| sys::PlaceReq {
        class,
        kind,
        start,
        end,
        size,
        align,
    };
    assert_eq!(
        b.requests(),
        &[
            q(sys::CLASS_RESERVED, 0, 0, MB, 0, 0),
            q(sys::CLASS_FIXED, sys::KIND_MMIO, 0xfe00_0000, 4 * GB, 0, 0),
            q(
                sys::CLASS_MMIO32,
                sys::KIND_PCI_ECAM,
                0,
                0,
                256 * MB,
                256 * MB
            ),
            q(sys::CLASS_RAM, 0, 0, 0, 3 * GB, 2 * MB),
            q(sys::CLASS_RAM, 0, 0, 0, 0, 4096),
            q(sys::CLASS_MMIO64, sys::KIND_PCI_MMIO, 0, 0, 64 * GB, GB),
            q(sys::CLASS_POST_MMIO, sys::PLACE_VTL2, 0, 0, 64 * MB, 2 * MB),
        ][..]
    );
    let tags: Vec<&str> = b.tags().iter().map(|t| &**t).collect();
    assert_eq!(
        tags,
        ["low", "chipset", "ecam", "node0", "node1", "pci", "vtl2"]
    );
}

fn pe(s: u64, e: u64, class: PlacedClass, index: u32, kind: PlacedKind, vnode: u32) -> PlacedEntry {
    PlacedEntry {
        range: MemoryRange::new(s..e),
        class,
        index,
        kind,
        vnode,
    }
}

/// The kernel names a placed range by (class, index in class); resolve()
/// turns that into the caller's tag, whatever the call order across
/// classes, and gives RAM its node.
#[test]
fn resolve_tags_by_class_and_index() {
    let mut b = LayoutBuilder::new();
    b.ram("n0", GB, 4096)
        .request("a", PlacedKind::Mmio, MB, MB, Placement::Mmio32)
        .ram("n1", GB, 4096)
        .request("b", PlacedKind::Mmio, MB, MB, Placement::Mmio32)
        .fixed("f", PlacedKind::PciMmio, MemoryRange::new(8 * GB..9 * GB));
    let placed = b.resolve(&[
        pe(0, GB, PlacedClass::Ram, 0, PlacedKind::Ram, 0),
        pe(GB, 2 * GB, PlacedClass::Ram, 1, PlacedKind::Ram, 1),
        pe(
            4 * GB - 2 * MB,
            4 * GB - MB,
            PlacedClass::Mmio32,
            1,
            PlacedKind::Mmio,
            0,
        ),
        pe(
            4 * GB - MB,
            4 * GB,
            PlacedClass::Mmio32,
            0,
            PlacedKind::Mmio,
            0,
        ),
        pe(
            8 * GB,
            9 * GB,
            PlacedClass::Fixed,
            0,
            PlacedKind::PciMmio,
            0,
        ),
        // Not one of this builder's requests.
        pe(
            10 * GB,
            11 * GB,
            PlacedClass::Mmio64,
            2,
            PlacedKind::PciMmio,
            0,
        ),
    ]);
    let got: Vec<(&str, Option<u32>)> = placed.iter().map(|p| (&*p.tag, p.node)).collect();
    assert_eq!(
        got,
        [
            ("n0", Some(0)),
            ("n1", Some(1)),
            ("b", None),
            ("a", None),
            ("f", None),
            ("mmio64[2]", None)
        ]
    );
    assert_eq!(placed[4].range, MemoryRange::new(8 * GB..9 * GB));
    assert_eq!(placed[4].kind, PlacedKind::PciMmio);
    assert_eq!(placed[3].index, 0);
}

/// A reason as the kernel writes it for a request at array position `pos`
/// of class `class`, index `index`.
fn preason(errno: i32, rule: u32, pos: u32, class: u32, index: u32) -> PlaceReason {
    PlaceReason {
        reason: reason(errno, rule, sys::LIST_PLACE, pos, 0, 0, 0),
        class,
        index,
        ..Default::default()
    }
}

/// Each rejection becomes its upstream-shaped variant, named by the
/// caller's tag, and reads as libmemlayout's memlayout_place_strerror()
/// (upstream's wording).
#[test]
fn allocate_errors_and_messages() {
    let mut b = LayoutBuilder::new();
    b.reserve("low", MemoryRange::new(0..2 * MB))
        .fixed("chipset", PlacedKind::Mmio, MemoryRange::new(MB..3 * MB))
        .request("vmbus", PlacedKind::Mmio, 128 * MB, MB, Placement::Mmio32)
        .ram("ram", GB, 4096);

    // P4, the message of the issue.
    let mut r = preason(28, sys::RULE_EXHAUSTED, 2, sys::CLASS_MMIO32, 0);
    r.phase = sys::CLASS_MMIO32;
    r.size = 128 * MB;
    r.align = MB;
    r.free = 32 * MB;
    let e = b.error(r);
    assert!(
        matches!(
            &e,
            AllocateError::Exhausted {
                class: PlacedClass::Mmio32,
                index: 0,
                size: 0x800_0000,
                alignment: 0x10_0000,
                phase: AllocationPhase::Mmio32,
                free_space: 0x200_0000,
                ..
            }
        ),
        "{:?}",
        e
    );
    assert_eq!(
        e.to_string(),
        "vmbus: cannot allocate 0x8000000 bytes with alignment 0x100000 during mmio32; 0x2000000 bytes free"
    );
    assert_eq!(
        (e.tag(), e.rule_name(), e.errno()),
        (Some("vmbus"), Some("P4"), Some(28))
    );
    // Without tags: libmemlayout's "class[index]".
    assert_eq!(
        r.to_string(),
        "mmio32[0]: cannot allocate 0x8000000 bytes with alignment 0x100000 during mmio32; 0x2000000 bytes free"
    );

    // P3: both pinned ranges, with their ranges from the array.
    let mut r = preason(17, sys::RULE_PINNED_OVERLAP, 0, sys::CLASS_RESERVED, 0);
    r.reason.other_list = sys::LIST_PLACE;
    r.reason.other_index = 1;
    r.other_class = sys::CLASS_FIXED;
    r.other_index = 0;
    let e = b.error(r);
    match &e {
        AllocateError::FixedOverlap {
            tag_a,
            class_a,
            range_a,
            tag_b,
            class_b,
            index_b,
            range_b,
            ..
        } => {
            assert_eq!((&**tag_a, *class_a), ("low", PlacedClass::Reserved));
            assert_eq!(
                (&**tag_b, *class_b, *index_b),
                ("chipset", PlacedClass::Fixed, 0)
            );
            assert_eq!(*range_a, MemoryRange::new(0..2 * MB));
            assert_eq!(*range_b, MemoryRange::new(MB..3 * MB));
        }
        e => panic!("{:?}", e),
    }
    assert_eq!(
        e.to_string(),
        "fixed/reserved requests low and chipset overlap"
    );
    assert_eq!(
        r.to_string(),
        "fixed/reserved requests reserved[0] and fixed[0] overlap"
    );

    // P1, P2 on RAM.
    let mut r = preason(22, sys::RULE_PLACE_SIZE, 3, sys::CLASS_RAM, 0);
    r.size = 0x1800;
    r.align = 4096;
    let e = b.error(r);
    assert!(matches!(
        &e,
        AllocateError::InvalidSize {
            class: PlacedClass::Ram,
            size: 0x1800,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "ram: invalid size 0x1800 (must be > 0 and a multiple of 0x1000)"
    );
    let mut r = preason(22, sys::RULE_PLACE_ALIGN, 2, sys::CLASS_MMIO32, 0);
    r.size = 128 * MB;
    r.align = 0x400;
    let e = b.error(r);
    assert!(matches!(
        &e,
        AllocateError::InvalidAlignment {
            alignment: 0x400,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "vmbus: invalid alignment 0x400 (must be >= 0x1000 and a power of 2)"
    );

    // R2 on a pinned range, the kind check, R8 per class and for the
    // whole array.
    let e = b.error(preason(22, sys::RULE_BAD_RANGE, 1, sys::CLASS_FIXED, 0));
    assert!(matches!(
        &e,
        AllocateError::InvalidRange {
            class: PlacedClass::Fixed,
            ..
        }
    ));
    assert_eq!(
        e.to_string(),
        "chipset: invalid range (empty, reversed, not 4 KiB aligned or ending above 0xfffffffffffff000)"
    );
    let mut r = preason(22, sys::REASON_RESERVED, 2, sys::CLASS_MMIO32, 0);
    r.reason.field = 4;
    let e = b.error(r);
    assert!(matches!(&e, AllocateError::UnsupportedKind { .. }));
    assert_eq!(e.to_string(), "vmbus: kind is not a kind this class takes");
    let mut r = preason(7, sys::RULE_TOO_MANY, 4096, sys::CLASS_MMIO64, 4096);
    let e = b.error(r);
    assert!(matches!(
        &e,
        AllocateError::TooManyRequests {
            class: Some(PlacedClass::Mmio64),
            limit: 4096,
            ..
        }
    ));
    assert_eq!(e.to_string(), "too many mmio64 requests (more than 4096)");
    r.class = 0;
    r.index = 0;
    r.reason.index = 6 * 4096;
    assert_eq!(
        b.error(r).to_string(),
        "too many placement requests (more than 24576)"
    );

    // Not about a request: the layout's own reason (R5), or an errno.
    let r = PlaceReason {
        reason: reason(22, sys::RULE_NO_RAM, 0, 0, 0, 0, 0),
        ..Default::default()
    };
    let e = b.error(r);
    assert!(matches!(
        &e,
        AllocateError::Layout(Error::BadMemoryRanges(_))
    ));
    assert_eq!(
        e.to_string(),
        "R5 no RAM: the layout would hold no RAM range: Invalid argument"
    );
    assert_eq!(
        (e.rule_name(), e.errno(), e.tag()),
        (Some("R5"), Some(22), None)
    );
    let e = b.error(PlaceReason::from_errno(-12));
    assert_eq!(e.to_string(), "Cannot allocate memory");
    assert_eq!(e.errno(), Some(12));
    // A malformed raw request (unknown class): memlayout_strerror()'s line.
    let mut r = preason(95, sys::REASON_FLAGS, 9, 0, 0);
    r.reason.field = 0;
    assert_eq!(
        b.error(r).to_string(),
        "unsupported value in class: Operation not supported"
    );
}

/// The host-fit structs are the header's (48, 48 and 64 bytes) member by
/// member, and CHECK_HOST is `_IO(0xBA, 0x30)`.
#[test]
fn host_fit_layout() {
    assert_eq!(sys::IOC_CHECK_HOST, 0xba30);
    assert_eq!(size_of::<sys::CheckHost>(), sys::CHECK_HOST_SIZE_VER0);
    assert_eq!(size_of::<sys::CheckHost>(), 48);
    assert_eq!(size_of::<sys::HostDevice>(), 48);
    assert_eq!(size_of::<sys::HostConflict>(), 64);
    let c = sys::CheckHost::default();
    let b = addr_of!(c) as usize;
    let at = |p: usize| p - b;
    assert_eq!(at(addr_of!(c.nr_devices) as usize), 8);
    assert_eq!(at(addr_of!(c.count) as usize), 12);
    assert_eq!(at(addr_of!(c.devices_ptr) as usize), 16);
    assert_eq!(at(addr_of!(c.conflicts_ptr) as usize), 24);
    assert_eq!(at(addr_of!(c.generation) as usize), 32);
    assert_eq!(at(addr_of!(c.phys_bits) as usize), 40);
    assert_eq!(at(addr_of!(c.error_device) as usize), 44);
    let d = sys::HostDevice::default();
    let b = addr_of!(d) as usize;
    let at = |p: usize| p - b;
    assert_eq!(at(addr_of!(d.fd) as usize), 4);
    assert_eq!(at(addr_of!(d.pci_segment) as usize), 8);
    assert_eq!(at(addr_of!(d.pci_bus) as usize), 10);
    assert_eq!(at(addr_of!(d.pci_devfn) as usize), 11);
    assert_eq!(at(addr_of!(d.flags) as usize), 12);
    assert_eq!(at(addr_of!(d.iommu_group) as usize), 16);
    assert_eq!(at(addr_of!(d.domain_type) as usize), 20);
    assert_eq!(at(addr_of!(d.nr_resv) as usize), 24);
    assert_eq!(at(addr_of!(d.reserved) as usize), 28);
    assert_eq!(at(addr_of!(d.aperture_start) as usize), 32);
    assert_eq!(at(addr_of!(d.aperture_last) as usize), 40);
    let h = sys::HostConflict::default();
    let b = addr_of!(h) as usize;
    let at = |p: usize| p - b;
    assert_eq!(at(addr_of!(h.device) as usize), 12);
    assert_eq!(at(addr_of!(h.start) as usize), 16);
    assert_eq!(at(addr_of!(h.end) as usize), 24);
    assert_eq!(at(addr_of!(h.host_start) as usize), 32);
    assert_eq!(at(addr_of!(h.host_last) as usize), 40);
    assert_eq!(at(addr_of!(h.host_type) as usize), 48);
    assert_eq!(at(addr_of!(h.host_flags) as usize), 52);
    assert_eq!(at(addr_of!(h.phys_bits) as usize), 56);
    assert_eq!(at(addr_of!(h.reserved) as usize), 60);
    let i = sys::Info::default();
    assert_eq!(addr_of!(i.max_devices) as usize - addr_of!(i) as usize, 76);
}

/// HostDevice::pci(): the two spellings lspci uses, and nothing else.
#[test]
fn host_device_pci_parsing() {
    let d = HostDevice::pci("0000:00:1f.0").unwrap();
    let r = d.raw();
    assert_eq!(
        (r.typ, r.fd, r.pci_segment, r.pci_bus, r.pci_devfn),
        (sys::DEVICE_PCI, 0, 0, 0, 0xf8)
    );
    let r = *HostDevice::pci("03:00.1").unwrap().raw();
    assert_eq!((r.pci_segment, r.pci_bus, r.pci_devfn), (0, 3, 1));
    let r = *HostDevice::pci("FFFF:Ab:1F.7").unwrap().raw();
    assert_eq!((r.pci_segment, r.pci_bus, r.pci_devfn), (0xffff, 0xab, 0xff));
    for bad in [
        "", "0", "00:1f", "00:1f.8", "00:20.0", "0:01:1f.0", "00:1f.0 ", " 00:1f.0",
        "00:1f.0\n", "+0:1f.0", "0000:00:1f", "00000:00:1f.0", "0000-00:1f.0", "00:1f:0",
        "g0:00.0", "0x00:1f.0", "0000:00:1f.a", "0000:+0:1f.0", "00:1f.\u{e9}", "0000:00:1f.07",
    ] {
        let e = HostDevice::pci(bad).unwrap_err();
        assert_eq!(e.errno(), Some(22), "{:?}", bad);
    }
    let p = PciAddress {
        segment: 0,
        bus: 0x1a,
        device: 3,
        function: 2,
    };
    assert_eq!(p.to_string(), "0000:1a:03.2");
}

/// The names: rules, domains and the sysfs words of reserved regions.
#[test]
fn host_fit_names() {
    assert_eq!(HostRule::CpuWidth.name(), "H1");
    assert_eq!(HostRule::Aperture.name(), "H2");
    assert_eq!(HostRule::Reserved.name(), "H3");
    assert_eq!(Domain::Dma.name(), "dma");
    assert_eq!(Domain::Unmanaged.name(), "unmanaged");
    assert_eq!(HostType::Direct.sysfs_name(true), "direct-relaxable");
    assert_eq!(HostType::Direct.sysfs_name(false), "direct");
    assert_eq!(HostType::Msi.sysfs_name(false), "msi");
    assert_eq!(HostType::SwMsi.sysfs_name(false), "msi");
    assert_eq!(HostType::Reserved.sysfs_name(false), "reserved");
    let e = Error::Device(2, std::io::Error::from_raw_os_error(19));
    assert_eq!(e.errno(), Some(19));
    assert!(e.reason().is_none());
    assert!(e.to_string().starts_with("device 2: "), "{}", e);
}

/// The KVM-audit structs are the header's (40 and 72 bytes) member by
/// member, and CHECK_KVM is `_IO(0xBA, 0x31)` (SPEC H4).
#[test]
fn kvm_audit_layout() {
    assert_eq!(sys::IOC_CHECK_KVM, 0xba31);
    assert_eq!(size_of::<sys::CheckKvm>(), sys::CHECK_KVM_SIZE_VER0);
    assert_eq!(size_of::<sys::CheckKvm>(), 40);
    assert_eq!(size_of::<sys::KvmFinding>(), 72);
    let c = sys::CheckKvm::default();
    let b = addr_of!(c) as usize;
    let at = |p: usize| p - b;
    assert_eq!(at(addr_of!(c.flags) as usize), 4);
    assert_eq!(at(addr_of!(c.vm_fd) as usize), 8);
    assert_eq!(at(addr_of!(c.count) as usize), 12);
    assert_eq!(at(addr_of!(c.findings_ptr) as usize), 16);
    assert_eq!(at(addr_of!(c.generation) as usize), 24);
    assert_eq!(at(addr_of!(c.nr_slots) as usize), 32);
    assert_eq!(at(addr_of!(c.nr_as) as usize), 36);
    let f = sys::KvmFinding::default();
    let b = addr_of!(f) as usize;
    let at = |p: usize| p - b;
    assert_eq!(at(addr_of!(f.list) as usize), 4);
    assert_eq!(at(addr_of!(f.index) as usize), 8);
    assert_eq!(at(addr_of!(f.as_id) as usize), 12);
    assert_eq!(at(addr_of!(f.start) as usize), 16);
    assert_eq!(at(addr_of!(f.end) as usize), 24);
    assert_eq!(at(addr_of!(f.range_start) as usize), 32);
    assert_eq!(at(addr_of!(f.range_end) as usize), 40);
    assert_eq!(at(addr_of!(f.slot_start) as usize), 48);
    assert_eq!(at(addr_of!(f.slot_end) as usize), 56);
    assert_eq!(at(addr_of!(f.slot_id) as usize), 64);
    assert_eq!(at(addr_of!(f.slot_flags) as usize), 68);
}

/// The kinds' names and each finding's line are libmemlayout's (the same
/// strings lib/test.c expects).
#[test]
fn kvm_finding_names() {
    assert_eq!(KvmFindingKind::Unbacked.name(), "unbacked");
    assert_eq!(KvmFindingKind::ReadOnly.name(), "readonly");
    assert_eq!(KvmFindingKind::OverHole.name(), "over-hole");
    assert_eq!(KvmFindingKind::Outside.name(), "outside");
    assert_eq!(kvm_flags_name(0), "-");
    assert_eq!(kvm_flags_name(3), "log-dirty,readonly");
    assert_eq!(kvm_flags_name(0x102), "readonly,0x100");
    let f = KvmFinding {
        kind: KvmFindingKind::Unbacked,
        as_id: 0,
        range: 0..0x1000,
        layout: Some(KvmLayoutRange { list: sys::LIST_RAM, index: 0, range: 0..2 << 30 }),
        slot: None,
    };
    assert_eq!(f.to_string(), "unbacked: as 0 0x0-0xfff of ram[0] 0x0-0x7fffffff: no memslot");
    let f = KvmFinding {
        kind: KvmFindingKind::OverHole,
        as_id: 0,
        range: 3 << 30..(3 << 30) + (1 << 20),
        layout: Some(KvmLayoutRange {
            list: sys::LIST_PCI_ECAM,
            index: 0,
            range: 3 << 30..(3 << 30) + (256 << 20),
        }),
        slot: Some(KvmSlot { id: 0, range: 0..(3 << 30) + (1 << 20), flags: 0 }),
    };
    assert_eq!(
        f.to_string(),
        "over-hole: as 0 0xc0000000-0xc00fffff of pci_ecam[0] 0xc0000000-0xcfffffff: slot 0 0x0-0xc00fffff flags -"
    );
    let f = KvmFinding {
        kind: KvmFindingKind::Outside,
        as_id: 1,
        range: 16 << 30..(16 << 30) + (2 << 20),
        layout: None,
        slot: Some(KvmSlot {
            id: 4,
            range: 16 << 30..(16 << 30) + (2 << 20),
            flags: sys::KVM_MEM_LOG_DIRTY_PAGES,
        }),
    };
    assert_eq!(
        f.to_string(),
        "outside: as 1 0x400000000-0x4001fffff outside the layout: slot 4 0x400000000-0x4001fffff flags log-dirty"
    );
}
