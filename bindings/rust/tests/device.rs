//! The crate against a real `/dev/memlayout` (the module in the test
//! guests, or libmemlayout's offline engine through lib/fakedev.c on the
//! host): the scenarios of the seed's unit tests (`layout`, `bad_layout`,
//! `probe_address` in seed/memory.rs) and of upstream OpenVMM's
//! corresponding ones, written anew, plus the interface's extras; and the
//! placement (SPEC C4) through [`LayoutBuilder`]: upstream's LayoutBuilder
//! scenarios (vm_topology/src/layout.rs), written anew with addresses
//! computed by hand from SPEC's phase rules, the q35 layout of issue 9,
//! and every rejection.
//!
//! Prints TAP: a plan, then one "ok"/"not ok" line per test. A failed
//! assertion fails its test only. Without the device every test is skipped
//! with the reason. Exit status: 0 when every test passed.

use memlayout::*;
use std::panic;

const KB: u64 = 1024;
const MB: u64 = 1024 * KB;
const GB: u64 = 1024 * MB;
const TB: u64 = 1024 * GB;

const EINVAL: i32 = 22;
const EEXIST: i32 = 17;
const ENOENT: i32 = 2;
const ENOSPC: i32 = 28;
const E2BIG: i32 = 7;
const PAGE: u64 = 4096;
const MAX: u64 = MemoryRange::MAX_ADDRESS;

fn r(s: u64, e: u64) -> MemoryRange {
    MemoryRange::new(s..e)
}

fn rn(s: u64, e: u64, vnode: u32) -> MemoryRangeWithNode {
    MemoryRangeWithNode {
        range: r(s, e),
        vnode,
    }
}

/// The seed's two MMIO gaps.
fn seed_mmio() -> [MemoryRange; 2] {
    [r(GB, 2 * GB), r(3 * GB, 4 * GB)]
}

/// The seed's RAM around them.
fn seed_ram() -> [MemoryRangeWithNode; 3] {
    [
        rn(0, GB, 0),
        rn(2 * GB, 3 * GB, 0),
        rn(4 * GB, TB + 2 * GB, 0),
    ]
}

/// The kernel's reason of a rejection (panics on success or an I/O error).
fn reason<T: std::fmt::Debug>(res: Result<T, Error>) -> (Error, Reason) {
    let e = res.expect_err("the request must be rejected");
    let r = *e.reason().unwrap_or_else(|| panic!("no reason in {:?}", e));
    (e, r)
}

/// Every layout read back must carry the fingerprint this crate computes
/// from its ranges (SPEC F1, F2), and the snapshot's figures must be
/// GET_STATS' (one layout).
fn check_consistent(l: &MemoryLayout) {
    let s = l.snapshot();
    assert_eq!(
        fingerprint(&s.entries, s.stats.vtl2_range),
        l.fingerprint(),
        "kernel and crate fingerprints differ"
    );
    assert_eq!(&l.device().stats().unwrap(), &s.stats);
    assert_eq!(s.stats.generation, s.generation);
}

/// Seed `layout`, upstream `layout`: C1 and C3 build the same layout.
/// SPEC C1, C3, Q1-Q8.
fn layout() {
    let mmio = seed_mmio();
    let ram = seed_ram();
    let l = MemoryLayout::new(TB, &mmio, &[], &[], None).unwrap();
    assert_eq!(l.ram(), &ram);
    assert_eq!(l.mmio(), &mmio);
    assert!(l.pci_ecam().is_empty() && l.pci_mmio().is_empty());
    assert_eq!(l.ram_size(), TB);
    assert_eq!(l.end_of_ram(), TB + 2 * GB);
    assert_eq!(l.end_of_layout(), TB + 2 * GB);
    assert_eq!(l.end_of_ram_or_mmio(), TB + 2 * GB);
    // Q4-Q7: counted per byte at 4 GiB (SPEC D2).
    assert_eq!(l.ram_below_4gb(), 2 * GB);
    assert_eq!(l.ram_above_4gb(), TB - 2 * GB);
    assert_eq!(l.max_ram_below_4gb(), Some(3 * GB));
    assert_eq!(l.ram_above_high_mmio(), Some(TB - 2 * GB));
    assert_eq!(l.vtl2_range(), None);
    assert_eq!(l.generation(), 1);
    check_consistent(&l);

    let l3 = MemoryLayout::new_from_ranges(&ram, &mmio).unwrap();
    assert_eq!(l3.ram(), &ram);
    assert_eq!(l3.mmio(), &mmio);
    assert_eq!(l3.ram_size(), TB);
    assert_eq!(l3.end_of_ram(), TB + 2 * GB);
    assert_eq!(l3.end_of_layout(), TB + 2 * GB);
    // Equal layouts, equal fingerprints however built (SPEC F1).
    assert_eq!(l3.fingerprint(), l.fingerprint());
    check_consistent(&l3);
}

/// Seed `bad_layout`, upstream `bad_layout`: SPEC R1, R3, R4, R5.
fn bad_layout() {
    let (e, why) = reason(MemoryLayout::new(TB + 1, &[], &[], &[], None));
    assert!(matches!(e, Error::BadSize(_)), "{:?}", e);
    assert_eq!((why.rule, why.errno), (sys::RULE_BAD_SIZE, EINVAL));

    let reversed = [r(3 * GB, 4 * GB), r(GB, 2 * GB)];
    let (e, why) = reason(MemoryLayout::new(TB, &reversed, &[], &[], None));
    assert!(matches!(e, Error::BadMmioGaps(_)), "{:?}", e);
    assert_eq!(
        (why.rule, why.list, why.index),
        (sys::RULE_BAD_ORDER, sys::LIST_MMIO, 1)
    );
    assert_eq!(
        e.to_string(),
        "R3 bad order: mmio[1] starts before the end of mmio[0]: Invalid argument"
    );

    // No RAM, and unsorted gaps: rejected either way.
    let (_, why) = reason(MemoryLayout::new_from_ranges(&[], &reversed));
    assert!(why.rule == sys::RULE_BAD_ORDER || why.rule == sys::RULE_NO_RAM);
    assert_eq!(why.errno, EINVAL);
    let (_, why) = reason(MemoryLayout::new_from_ranges(&[], &seed_mmio()));
    assert_eq!((why.rule, why.errno), (sys::RULE_NO_RAM, EINVAL));

    let (_, why) = reason(MemoryLayout::new_from_ranges(&[rn(0, GB, 0)], &reversed));
    assert_eq!(
        (why.rule, why.list, why.index),
        (sys::RULE_BAD_ORDER, sys::LIST_MMIO, 1)
    );

    // RAM running 1 MiB into the first gap (SPEC R4).
    let (e, why) = reason(MemoryLayout::new_from_ranges(
        &[rn(0, GB + MB, 0)],
        &seed_mmio(),
    ));
    assert!(matches!(e, Error::BadMemoryRanges(_)), "{:?}", e);
    assert_eq!((why.rule, why.errno), (sys::RULE_OVERLAP, EEXIST));
    let pair = [(why.list, why.index), (why.other_list, why.other_index)];
    assert!(pair.contains(&(sys::LIST_RAM, 0)) && pair.contains(&(sys::LIST_MMIO, 0)));
    assert!(e.to_string().starts_with("R4 overlap: "));
    assert!(e.to_string().ends_with(": File exists"));

    // Upstream: a PCI window on an MMIO gap, and on each other (SPEC R4).
    let one_mb = [r(GB, GB + MB)];
    for (ecam, pmmio, mmio) in [
        (&one_mb[..], &[][..], &seed_mmio()[..]),
        (&[][..], &one_mb[..], &seed_mmio()[..]),
        (&one_mb[..], &one_mb[..], &[][..]),
    ] {
        let (e, why) = reason(MemoryLayout::new(TB, mmio, ecam, pmmio, None));
        assert!(matches!(e, Error::BadMemoryRanges(_)), "{:?}", e);
        assert_eq!((why.rule, why.errno), (sys::RULE_OVERLAP, EEXIST));
    }
}

/// Seed `probe_address`, upstream `probe_address`: SPEC Q9.
fn probe_address() {
    let l = MemoryLayout::new_from_ranges(&seed_ram(), &seed_mmio()).unwrap();
    for a in [0, 256, 2 * GB, 4 * GB, TB, TB + 1] {
        assert_eq!(l.probe_address(a), Some(AddressType::Ram), "{:#x}", a);
    }
    for a in [GB, GB + 123, 3 * GB] {
        assert_eq!(l.probe_address(a), Some(AddressType::Mmio), "{:#x}", a);
    }
    for a in [TB + 2 * GB, TB + 3 * GB, 4 * TB] {
        assert_eq!(l.probe_address(a), None, "{:#x}", a);
    }
    // Ends are exclusive: the last byte of a range is in it.
    assert_eq!(l.probe_address(GB - 1), Some(AddressType::Ram));
    assert_eq!(l.probe_address(2 * GB - 1), Some(AddressType::Mmio));
    assert_eq!(l.probe_address(u64::MAX), None);
    // The kernel answered, not probe_address()'s fallback.
    let addrs = [0, GB - 1, GB, 2 * GB - 1, TB + 1, TB + 2 * GB, u64::MAX];
    let (kinds, gen) = l.device().probe(&addrs).unwrap();
    assert_eq!(gen, l.generation());
    let each: Vec<_> = addrs.iter().map(|&a| l.probe_address(a)).collect();
    assert_eq!(kinds, each);
}

/// The batch form with covering ranges: each answer names its range and
/// that range's index in its kind's list, all from one generation (SPEC
/// Q9; UAPI struct memlayout_probe_range).
fn probe_batch_ranges() {
    let ram = [rn(0, GB, 0), rn(2 * GB, 3 * GB, 1), rn(4 * GB, 6 * GB, 1)];
    let l = MemoryLayout::new_from_resolved_ranges(
        ram.to_vec(),
        vec![r(GB, 2 * GB)],
        vec![r(3 * GB, 3 * GB + 256 * MB)],
        vec![r(6 * GB, 8 * GB)],
        Some(r(8 * GB, 8 * GB + 64 * MB)),
    )
    .unwrap();
    let addrs = [
        0,
        GB,
        2 * GB + 5,
        3 * GB,
        3 * GB + 256 * MB,
        5 * GB,
        7 * GB,
        8 * GB,
        u64::MAX,
    ];
    let hits = l.probe_batch(&addrs).unwrap();
    // What each address probes as, and its covering range with its index.
    type Hit = (Option<AddressType>, Option<(MemoryRangeWithNode, u32)>);
    let want: [Hit; 9] = [
        (Some(AddressType::Ram), Some((rn(0, GB, 0), 0))),
        (Some(AddressType::Mmio), Some((rn(GB, 2 * GB, 0), 0))),
        (Some(AddressType::Ram), Some((rn(2 * GB, 3 * GB, 1), 1))),
        (
            Some(AddressType::PciEcam),
            Some((rn(3 * GB, 3 * GB + 256 * MB, 0), 0)),
        ),
        (None, None),
        (Some(AddressType::Ram), Some((rn(4 * GB, 6 * GB, 1), 2))),
        (Some(AddressType::PciMmio), Some((rn(6 * GB, 8 * GB, 0), 0))),
        (None, None), // VTL2 probes as none
        (None, None),
    ];
    assert_eq!(hits.len(), addrs.len());
    for ((h, w), a) in hits.iter().zip(want.iter()).zip(addrs) {
        assert_eq!(h.address, a);
        assert_eq!(h.address_type, w.0, "{:#x}", a);
        assert_eq!(h.range, w.1.clone().map(|x| x.0), "{:#x}", a);
        assert_eq!(h.index, w.1.clone().map(|x| x.1), "{:#x}", a);
        // ranges(kind)[index] is the covering range.
        if let (Some(t), Some(i)) = (h.address_type, h.index) {
            let (list, _) = l.device().ranges(t.kind()).unwrap();
            assert_eq!(Some(&list[i as usize]), h.range.as_ref());
        }
    }
    let (kinds, gen) = l.device().probe(&addrs).unwrap();
    assert_eq!(gen, l.generation());
    assert_eq!(
        kinds,
        hits.iter().map(|h| h.address_type).collect::<Vec<_>>()
    );
}

/// Upstream `pci_ranges`: C1 skips holes of every kind (SPEC C1, Q8, Q9).
fn pci_ranges() {
    let mmio = [r(3 * GB, 4 * GB)];
    let ecam = [r(2 * TB - GB, 2 * TB)];
    let pmmio = [r(2 * GB, 3 * GB), r(5 * GB, 6 * GB)];
    let l = MemoryLayout::new(TB, &mmio, &ecam, &pmmio, None).unwrap();
    assert_eq!(
        l.ram(),
        &[
            rn(0, 2 * GB, 0),
            rn(4 * GB, 5 * GB, 0),
            rn(6 * GB, TB + 3 * GB, 0)
        ]
    );
    assert_eq!(l.pci_ecam(), &ecam);
    assert_eq!(l.pci_mmio(), &pmmio);
    assert_eq!(l.end_of_layout(), 2 * TB);
    for a in [2 * GB, 2 * GB + MB, 5 * GB, 5 * GB + MB] {
        assert_eq!(l.probe_address(a), Some(AddressType::PciMmio), "{:#x}", a);
    }
    assert_eq!(l.probe_address(2 * TB - GB), Some(AddressType::PciEcam));
    // One MMIO gap: Q7 is absent.
    assert_eq!(l.ram_above_high_mmio(), None);
    check_consistent(&l);
}

/// Upstream `resolved_ranges_constructor` and its two rejections (SPEC
/// C3, R4, R7, D5).
fn resolved_ranges() {
    let ram = vec![rn(0, GB, 0), rn(2 * GB, 3 * GB, 1)];
    let l = MemoryLayout::new_from_resolved_ranges(
        ram.clone(),
        vec![r(GB, 2 * GB)],
        vec![r(4 * GB, 4 * GB + MB)],
        vec![r(5 * GB, 6 * GB)],
        None,
    )
    .unwrap();
    assert_eq!(l.ram(), &ram[..]);
    assert_eq!(l.mmio(), &[r(GB, 2 * GB)]);
    assert_eq!(l.probe_address(4 * GB), Some(AddressType::PciEcam));
    assert_eq!(l.probe_address(5 * GB), Some(AddressType::PciMmio));

    let (e, why) = reason(MemoryLayout::new_from_resolved_ranges(
        vec![rn(0, 2 * GB, 0)],
        vec![r(GB, 2 * GB)],
        vec![],
        vec![],
        None,
    ));
    assert!(matches!(e, Error::BadMemoryRanges(_)), "{:?}", e);
    assert_eq!(why.rule, sys::RULE_OVERLAP);

    let (e, why) = reason(MemoryLayout::new_from_resolved_ranges(
        vec![rn(0, GB, 0), rn(3 * GB, 4 * GB, 0)],
        vec![r(GB, 2 * GB)],
        vec![],
        vec![],
        Some(r(2 * GB, 2 * GB + MB)),
    ));
    assert!(matches!(e, Error::Vtl2RangeBeforeEndOfRam(_)), "{:?}", e);
    assert_eq!(
        (why.rule, why.list, why.other_list, why.other_index),
        (sys::RULE_VTL2_BELOW_RAM, sys::LIST_VTL2, sys::LIST_RAM, 1)
    );
    assert_eq!(
        e.to_string(),
        "R7 VTL2 below end of RAM: vtl2 starts below the end of ram[1]: Invalid argument"
    );
}

/// Upstream's `numa_*` tests (SPEC C2, R1).
fn numa() {
    let l = MemoryLayout::new_with_numa(&[2 * GB, 2 * GB], &[r(2 * GB, 3 * GB)], &[], &[], None)
        .unwrap();
    assert_eq!(l.ram(), &[rn(0, 2 * GB, 0), rn(3 * GB, 5 * GB, 1)]);
    assert_eq!(l.ram_size(), 4 * GB);

    let l = MemoryLayout::new_with_numa(&[2 * GB, 2 * GB], &[r(3 * GB, 4 * GB)], &[], &[], None)
        .unwrap();
    assert_eq!(
        l.ram(),
        &[
            rn(0, 2 * GB, 0),
            rn(2 * GB, 3 * GB, 1),
            rn(4 * GB, 5 * GB, 1)
        ]
    );
    assert_eq!(l.ram_size(), 4 * GB);

    let l = MemoryLayout::new_with_numa(&[GB, GB, GB], &[], &[], &[], None).unwrap();
    assert_eq!(
        l.ram(),
        &[rn(0, GB, 0), rn(GB, 2 * GB, 1), rn(2 * GB, 3 * GB, 2)]
    );

    let one = MemoryLayout::new(TB, &seed_mmio(), &[], &[], None).unwrap();
    let numa = MemoryLayout::new_with_numa(&[TB], &seed_mmio(), &[], &[], None).unwrap();
    assert_eq!(one.ram(), numa.ram());
    assert_eq!(one.fingerprint(), numa.fingerprint());

    let (e, _) = reason(MemoryLayout::new_with_numa(&[], &[], &[], &[], None));
    assert!(matches!(e, Error::EmptyNumaSizes(_)), "{:?}", e);
    for (sizes, index) in [(&[GB + 1][..], 0), (&[0][..], 0), (&[GB, 0][..], 1)] {
        let (e, why) = reason(MemoryLayout::new_with_numa(sizes, &[], &[], &[], None));
        assert!(matches!(e, Error::BadNumaSize(_)), "{:?}", e);
        assert_eq!(
            (why.rule, why.list, why.index),
            (sys::RULE_BAD_SIZE, sys::LIST_NODES, index)
        );
    }
}

/// SPEC D2: Q4/Q5/Q6 count bytes at the 4 GiB line.
fn figures_at_4gb() {
    let l = MemoryLayout::new(8 * GB, &[], &[], &[], None).unwrap();
    assert_eq!(l.ram_below_4gb(), 4 * GB);
    assert_eq!(l.ram_above_4gb(), 4 * GB);
    assert_eq!(l.max_ram_below_4gb(), Some(4 * GB));
    assert_eq!(l.ram_above_high_mmio(), None);
    let l = MemoryLayout::new_from_ranges(&[rn(4 * GB, 5 * GB, 0)], &[]).unwrap();
    assert_eq!(l.max_ram_below_4gb(), None);
}

/// VTL2 sits above RAM, is not RAM and probes as none (SPEC Q2, Q9, F1).
fn vtl2() {
    let v = r(8 * GB, 8 * GB + 32 * MB);
    let l = MemoryLayout::new(4 * GB, &[r(3 * GB, 4 * GB)], &[], &[], Some(v)).unwrap();
    assert_eq!(l.vtl2_range(), Some(v));
    assert_eq!(l.ram_size(), 4 * GB);
    assert_eq!(l.end_of_layout(), 5 * GB);
    assert_eq!(l.probe_address(8 * GB), None);
    check_consistent(&l);
    let without = MemoryLayout::new(4 * GB, &[r(3 * GB, 4 * GB)], &[], &[], None).unwrap();
    assert_ne!(l.fingerprint(), without.fingerprint());
    // SPEC D7: an empty VTL2 range is rejected (R2).
    let (_, why) = reason(MemoryLayout::new(
        4 * GB,
        &[],
        &[],
        &[],
        Some(MemoryRange::new(8 * GB..8 * GB)),
    ));
    assert_eq!((why.rule, why.list), (sys::RULE_BAD_RANGE, sys::LIST_VTL2));
}

/// Dry run: the same reply as a real SET_LAYOUT (fingerprint, reason),
/// generation 0, and the file keeps its layout.
fn dry_run() {
    let dev = Device::open().unwrap();
    let gaps = seed_mmio();
    let mut req = Request::new(RamSource::Size(8 * GB));
    req.mmio = &gaps;
    let first = dev.set_layout(&req).unwrap();
    assert_eq!(first.generation, 1);
    let before = dev.snapshot().unwrap();

    let other = Request {
        ram: RamSource::Nodes(&[4 * GB, 4 * GB]),
        dry_run: true,
        ..req
    };
    let planned = dev.set_layout(&other).unwrap();
    assert_eq!(planned.generation, 0);
    assert_ne!(planned.fingerprint, first.fingerprint);
    assert_eq!(
        dev.snapshot().unwrap(),
        before,
        "a dry run changed the layout"
    );

    // A rejected dry run carries its reason like a real one.
    let bad = Request {
        ram: RamSource::Size(GB + 1),
        dry_run: true,
        ..req
    };
    let (_, why) = reason(dev.set_layout(&bad));
    assert_eq!(why.rule, sys::RULE_BAD_SIZE);

    // Committing the planned layout gives the planned fingerprint.
    let done = dev
        .set_layout(&Request {
            dry_run: false,
            ..other
        })
        .unwrap();
    assert_eq!(done.generation, 2);
    assert_eq!(done.fingerprint, planned.fingerprint);
    let l = MemoryLayout::from_device(dev).unwrap();
    assert_eq!(l.fingerprint(), planned.fingerprint);
    check_consistent(&l);
}

/// A rejected request changes nothing (SPEC "a rejected request changes
/// nothing"); a new one replaces the layout with generation + 1.
fn rejection_keeps_layout() {
    let dev = Device::open().unwrap();
    let gaps = seed_mmio();
    let req = Request {
        mmio: &gaps,
        ..Request::new(RamSource::Size(4 * GB))
    };
    dev.set_layout(&req).unwrap();
    let before = dev.snapshot().unwrap();
    let ram = [rn(0, GB + MB, 0)];
    let bad = Request {
        ram: RamSource::Ranges(&ram),
        ..req
    };
    let (_, why) = reason(dev.set_layout(&bad));
    assert_eq!(why.rule, sys::RULE_OVERLAP);
    assert_eq!(dev.snapshot().unwrap(), before);
    let again = dev.set_layout(&req).unwrap();
    assert_eq!(again.generation, before.generation + 1);
    assert_eq!(again.fingerprint, before.fingerprint);
}

/// GET_LAYOUT's count negotiation on a layout larger than one guess, and
/// its entries are every list's, in address order (UAPI GET_LAYOUT).
fn snapshot_many_ranges() {
    let gaps: Vec<MemoryRange> = (0..200u64)
        .map(|i| r(GB + i * 2 * MB, GB + i * 2 * MB + MB))
        .collect();
    let l = MemoryLayout::new_with_numa(&[GB, GB], &gaps, &[], &[], None).unwrap();
    let s = l.snapshot();
    assert_eq!(l.mmio(), &gaps[..]);
    // Node 0 is [0, 1 GiB); node 1 fills the 199 holes of 1 MiB between
    // the gaps, then the rest above the last one.
    assert_eq!(l.ram_size(), 2 * GB);
    assert_eq!(l.ram().len(), 201);
    assert_eq!(l.ram()[0], rn(0, GB, 0));
    assert_eq!(l.ram()[1], rn(GB + MB, GB + 2 * MB, 1));
    assert_eq!(s.entries.len() as u32, s.stats.nr_ram + s.stats.nr_mmio);
    assert!(s
        .entries
        .windows(2)
        .all(|w| w[0].range.end() <= w[1].range.start()));
    let (ram, gen) = l.device().ranges(sys::LIST_RAM).unwrap();
    assert_eq!(gen, l.generation());
    assert_eq!(ram, l.ram());
    assert_eq!(
        l.ram()
            .iter()
            .filter(|x| x.vnode == 1)
            .map(|x| x.range.len())
            .sum::<u64>(),
        GB
    );
    check_consistent(&l);
}

// ---- placement (SPEC C4) ----------------------------------------------

/// One expected placed range: tag, class, kind, range, node.
fn pr(tag: &str, class: PlacedClass, kind: PlacedKind, s: u64, e: u64, node: Option<u32>) -> Want {
    (tag.to_string(), class, kind, r(s, e), node)
}

/// A placed range as the tests compare it: tag, class, kind, range, node.
type Want = (String, PlacedClass, PlacedKind, MemoryRange, Option<u32>);

fn ram_at(tag: &str, s: u64, e: u64, node: u32) -> Want {
    pr(tag, PlacedClass::Ram, PlacedKind::Ram, s, e, Some(node))
}

/// Allocates on a new device file; checks what every placement must
/// satisfy and returns the placed ranges with the file.
fn place(b: &LayoutBuilder) -> (Vec<PlacedRange>, Device) {
    let dev = Device::open().unwrap();
    let placed = b
        .allocate(&dev)
        .unwrap_or_else(|e| panic!("rejected: {}", e));
    check_placed(&dev, b, &placed);
    (placed, dev)
}

/// The placed ranges are sorted and disjoint, no reserved range is last
/// (SPEC C4 Result), each index names a request of its class whose tag it
/// carries, and the file's layout is exactly what C3 builds from them: the
/// RAM extents with their nodes, the holes by kind, VTL2 (SPEC C4, F1).
fn check_placed(dev: &Device, b: &LayoutBuilder, placed: &[PlacedRange]) {
    assert!(
        placed
            .windows(2)
            .all(|w| w[0].range.end() <= w[1].range.start()),
        "not sorted and disjoint: {:?}",
        placed
    );
    if let Some(last) = placed.last() {
        assert_ne!(
            last.class,
            PlacedClass::Reserved,
            "a trailing reserved range"
        );
    }
    for p in placed {
        let pos = b
            .requests()
            .iter()
            .enumerate()
            .filter(|(_, q)| q.class == p.class.raw())
            .nth(p.index as usize)
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("no request for {:?}", p));
        assert_eq!(&*b.tags()[pos], &*p.tag);
        assert_eq!(p.node.is_some(), p.class == PlacedClass::Ram);
    }
    let snap = dev.snapshot().unwrap();
    let want: Vec<LayoutEntry> = placed
        .iter()
        .filter_map(|p| {
            p.kind.address_type().map(|kind| LayoutEntry {
                range: p.range,
                vnode: p.node.unwrap_or(0),
                kind,
            })
        })
        .collect();
    assert_eq!(snap.entries, want);
    let vtl2: Vec<MemoryRange> = placed
        .iter()
        .filter(|p| p.kind == PlacedKind::Vtl2)
        .map(|p| p.range)
        .collect();
    assert_eq!(snap.stats.vtl2_range, vtl2.first().copied());
    assert_eq!(
        fingerprint(&snap.entries, snap.stats.vtl2_range),
        snap.fingerprint
    );
    let (entries, gen) = dev.placements().unwrap();
    assert_eq!(gen, snap.generation);
    assert_eq!(b.resolve(&entries), placed);
}

fn got(placed: &[PlacedRange]) -> Vec<Want> {
    placed
        .iter()
        .map(|p| (p.tag.to_string(), p.class, p.kind, p.range, p.node))
        .collect()
}

/// The rejection of a placement on a new device file.
fn place_err(b: &LayoutBuilder) -> AllocateError {
    let dev = Device::open().unwrap();
    let e = b
        .allocate(&dev)
        .expect_err("the placement must be rejected");
    // A rejected request leaves the file without a layout.
    assert_eq!(
        dev.snapshot().map(|_| ()).unwrap_err().errno(),
        Some(ENOENT)
    );
    e
}

fn m32(b: &mut LayoutBuilder, tag: &str, size: u64, align: u64) {
    b.request(tag, PlacedKind::Mmio, size, align, Placement::Mmio32);
}

fn m64(b: &mut LayoutBuilder, tag: &str, size: u64, align: u64) {
    b.request(tag, PlacedKind::Mmio, size, align, Placement::Mmio64);
}

fn post(b: &mut LayoutBuilder, tag: &str, size: u64, align: u64) {
    b.request(tag, PlacedKind::Mmio, size, align, Placement::PostMmio);
}

/// Upstream `empty_input`: upstream places nothing; the kernel rejects a
/// placement with no RAM (SPEC C4 "R5 applies after every phase").
fn place_empty_input() {
    let e = place_err(&LayoutBuilder::new());
    assert!(
        matches!(&e, AllocateError::Layout(Error::BadMemoryRanges(_))),
        "{:?}",
        e
    );
    assert_eq!((e.rule(), e.errno()), (sys::RULE_NO_RAM, Some(EINVAL)));
    assert_eq!(
        e.to_string(),
        "R5 no RAM: the layout would hold no RAM range: Invalid argument"
    );
    // D8: memory-less nodes alone are no RAM either.
    let mut b = LayoutBuilder::new();
    b.ram("n0", 0, PAGE).ram("n1", 0, PAGE);
    assert_eq!(place_err(&b).rule(), sys::RULE_NO_RAM);
}

/// Upstream `fixed_request_is_reported`, `fixed_hypertransport_hole_*`:
/// a fixed range is placed where given and reported, even above
/// everything else (SPEC C4 phase 1, Result).
fn place_fixed_reported() {
    let mut b = LayoutBuilder::new();
    b.fixed("fixed", PlacedKind::Mmio, r(0xFC00_0000, 0xFC40_0000));
    b.ram("ram", GB, PAGE);
    let (p, _) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            pr(
                "fixed",
                PlacedClass::Fixed,
                PlacedKind::Mmio,
                0xFC00_0000,
                0xFC40_0000,
                None
            ),
        ]
    );
    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    let ht = r(0xFD_0000_0000, 0xFD_4000_0000);
    b.fixed("amd_hypertransport_hole", PlacedKind::Mmio, ht);
    let (p, _) = place(&b);
    assert_eq!(p.len(), 2);
    assert_eq!(p.last().unwrap().range, ht);
    assert_eq!(&*p.last().unwrap().tag, "amd_hypertransport_hole");
}

/// Upstream `fixed_overlap_rejected`, `reserved_overlap_rejected`, and
/// which pair P3 names: the first overlapping neighbours of the pinned
/// ranges sorted by start, reserved before fixed on equal starts (SPEC
/// P3, -EEXIST).
fn place_pinned_overlap() {
    let pair = |e: &AllocateError| match e {
        AllocateError::FixedOverlap {
            tag_a,
            class_a,
            index_a,
            range_a,
            tag_b,
            class_b,
            index_b,
            range_b,
            ..
        } => (
            tag_a.to_string(),
            *class_a,
            *index_a,
            *range_a,
            tag_b.to_string(),
            *class_b,
            *index_b,
            *range_b,
        ),
        e => panic!("not P3: {:?}", e),
    };
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.fixed("first", PlacedKind::Mmio, r(0x1000, 0x3000));
    b.fixed("second", PlacedKind::Mmio, r(0x2000, 0x3000));
    let e = place_err(&b);
    assert_eq!(
        pair(&e),
        (
            "first".into(),
            PlacedClass::Fixed,
            0,
            r(0x1000, 0x3000),
            "second".into(),
            PlacedClass::Fixed,
            1,
            r(0x2000, 0x3000)
        )
    );
    assert_eq!((e.rule_name(), e.errno()), (Some("P3"), Some(EEXIST)));
    assert_eq!(
        e.to_string(),
        "fixed/reserved requests first and second overlap"
    );
    let why = e.reason().unwrap();
    // The reason's array positions: "first" is request 1, "second" 2.
    assert_eq!(
        (why.reason.list, why.reason.index, why.reason.other_index),
        (sys::LIST_PLACE, 1, 2)
    );

    let mut b = LayoutBuilder::new();
    b.reserve("reserved", r(GB, GB + MB));
    b.fixed("fixed", PlacedKind::Mmio, r(GB + PAGE, GB + PAGE + MB));
    b.ram("ram", GB, PAGE);
    let p = pair(&place_err(&b));
    assert_eq!((&p.0[..], p.1), ("reserved", PlacedClass::Reserved));
    assert_eq!((&p.4[..], p.5), ("fixed", PlacedClass::Fixed));

    // Sorted by start: c [0, 1G+4K), a [1G, 2G), b [1G+1M, 1G+2M): c and
    // a are the first overlapping neighbours, whatever the call order.
    let mut b = LayoutBuilder::new();
    b.fixed("b", PlacedKind::Mmio, r(GB + MB, GB + 2 * MB));
    b.reserve("a", r(GB, 2 * GB));
    b.fixed("c", PlacedKind::Mmio, r(0, GB + PAGE));
    b.ram("ram", GB, PAGE);
    let p = pair(&place_err(&b));
    assert_eq!((&p.0[..], p.1, p.2), ("c", PlacedClass::Fixed, 1));
    assert_eq!((&p.4[..], p.5, p.6), ("a", PlacedClass::Reserved, 0));
    // Equal starts: reserved before fixed, though called after it.
    let mut b = LayoutBuilder::new();
    b.fixed("f", PlacedKind::PciMmio, r(2 * GB, 2 * GB + PAGE));
    b.reserve("r", r(2 * GB, 3 * GB));
    b.ram("ram", GB, PAGE);
    let p = pair(&place_err(&b));
    assert_eq!((&p.0[..], &p.4[..]), ("r", "f"));
}

/// Upstream `invalid_request_rejected`, and SPEC's check order: R2 on
/// pinned ranges, then P3, then per class (mmio32, ram, mmio64,
/// post-MMIO) each request P1 then P2 (-EINVAL).
fn place_invalid_requests() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    m32(&mut b, "zero", 0, PAGE);
    let e = place_err(&b);
    assert!(
        matches!(
            &e,
            AllocateError::InvalidSize {
                class: PlacedClass::Mmio32,
                index: 0,
                size: 0,
                ..
            }
        ),
        "{:?}",
        e
    );
    assert_eq!(
        (e.tag(), e.rule_name(), e.errno()),
        (Some("zero"), Some("P1"), Some(EINVAL))
    );
    assert_eq!(
        e.to_string(),
        "zero: invalid size 0x0 (must be > 0 and a multiple of 0x1000)"
    );

    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    m32(&mut b, "alignment", PAGE, KB);
    let e = place_err(&b);
    assert!(
        matches!(
            &e,
            AllocateError::InvalidAlignment {
                alignment: 1024,
                ..
            }
        ),
        "{:?}",
        e
    );
    assert_eq!(
        e.to_string(),
        "alignment: invalid alignment 0x400 (must be >= 0x1000 and a power of 2)"
    );

    // RAM: a size not a multiple of 4 KiB, an alignment not a power of 2.
    let mut b = LayoutBuilder::new();
    b.ram("n0", GB, PAGE).ram("n1", 0x1800, PAGE);
    let e = place_err(&b);
    assert!(
        matches!(
            &e,
            AllocateError::InvalidSize {
                class: PlacedClass::Ram,
                index: 1,
                size: 0x1800,
                ..
            }
        ),
        "{:?}",
        e
    );
    let mut b = LayoutBuilder::new();
    b.ram("n0", GB, 3 * PAGE);
    let e = place_err(&b);
    assert!(
        matches!(
            &e,
            AllocateError::InvalidAlignment {
                alignment: 0x3000,
                ..
            }
        ),
        "{:?}",
        e
    );
    assert_eq!(e.tag(), Some("n0"));

    // P1 before P2 on one request.
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    post(&mut b, "both", 0, KB);
    assert!(matches!(place_err(&b), AllocateError::InvalidSize { .. }));

    // Class order, not call order: post-MMIO, mmio64 and RAM are bad too,
    // and called first, but mmio32 is checked first.
    let mut b = LayoutBuilder::new();
    post(&mut b, "p", 0, PAGE);
    m64(&mut b, "h", 0, PAGE);
    b.ram("n", 0x1800, PAGE);
    m32(&mut b, "l", PAGE, 0);
    assert_eq!(place_err(&b).tag(), Some("l"));
    let mut b = LayoutBuilder::new();
    post(&mut b, "p", 0, PAGE);
    m64(&mut b, "h", 0, PAGE);
    b.ram("n", 0x1800, PAGE);
    assert_eq!(place_err(&b).tag(), Some("n"));

    // R2 (an empty pinned range) before P3 before P1.
    let mut b = LayoutBuilder::new();
    m32(&mut b, "bad", 0, PAGE);
    b.fixed("x", PlacedKind::Mmio, r(0, 2 * PAGE));
    b.fixed("y", PlacedKind::Mmio, r(PAGE, 3 * PAGE));
    b.reserve("empty", r(GB, GB));
    b.ram("ram", GB, PAGE);
    let e = place_err(&b);
    assert!(
        matches!(
            &e,
            AllocateError::InvalidRange {
                class: PlacedClass::Reserved,
                ..
            }
        ),
        "{:?}",
        e
    );
    assert_eq!((e.tag(), e.errno()), (Some("empty"), Some(EINVAL)));
    assert_eq!(
        e.to_string(),
        "empty: invalid range (empty, reversed, not 4 KiB aligned or ending above 0xfffffffffffff000)"
    );
    let mut b = LayoutBuilder::new();
    m32(&mut b, "bad", 0, PAGE);
    b.fixed("x", PlacedKind::Mmio, r(0, 2 * PAGE));
    b.fixed("y", PlacedKind::Mmio, r(PAGE, 3 * PAGE));
    b.ram("ram", GB, PAGE);
    assert!(matches!(place_err(&b), AllocateError::FixedOverlap { .. }));
}

/// A kind the class does not take: fixed and 32-bit MMIO need a hole
/// kind; VTL2 is for one post-MMIO request only (SPEC C4 Requests;
/// -EINVAL, the reason naming the request's kind member).
fn place_unsupported_kind() {
    let cases: [(&str, PlacedKind, Placement); 3] = [
        ("ram_kind", PlacedKind::Ram, Placement::Mmio32),
        ("vtl2_low", PlacedKind::Vtl2, Placement::Mmio64),
        ("no_kind", PlacedKind::None, Placement::PostMmio),
    ];
    for (tag, kind, placement) in cases {
        let mut b = LayoutBuilder::new();
        b.ram("ram", GB, PAGE);
        b.request(tag, kind, MB, MB, placement);
        let e = place_err(&b);
        assert!(
            matches!(&e, AllocateError::UnsupportedKind { .. }),
            "{}: {:?}",
            tag,
            e
        );
        assert_eq!(
            e.to_string(),
            format!("{}: kind is not a kind this class takes", tag)
        );
        assert_eq!(e.errno(), Some(EINVAL));
        assert_eq!(e.reason().unwrap().reason.field, 4); // place_req.kind
    }
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.fixed("vtl2_fixed", PlacedKind::Vtl2, r(8 * GB, 9 * GB));
    assert_eq!(place_err(&b).tag(), Some("vtl2_fixed"));
    // Two VTL2 requests: the second is refused.
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.request("vtl2", PlacedKind::Vtl2, MB, MB, Placement::PostMmio);
    b.request("vtl2_again", PlacedKind::Vtl2, MB, MB, Placement::PostMmio);
    let e = place_err(&b);
    assert!(
        matches!(
            &e,
            AllocateError::UnsupportedKind {
                class: PlacedClass::PostMmio,
                index: 1,
                ..
            }
        ),
        "{:?}",
        e
    );
    assert_eq!(e.tag(), Some("vtl2_again"));
}

/// Upstream `mmio32_uses_top_down_placement_below_4_gib` (SPEC C4 phase
/// 2): the highest aligned fit below the fixed range.
fn place_mmio32_top_down() {
    let mut b = LayoutBuilder::new();
    b.fixed("reserved", PlacedKind::Mmio, r(0xFE00_0000, 4 * GB));
    m32(&mut b, "first", MB, MB);
    m32(&mut b, "second", MB, MB);
    b.ram("ram", GB, PAGE);
    let (p, _) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            pr(
                "second",
                PlacedClass::Mmio32,
                PlacedKind::Mmio,
                0xFDE0_0000,
                0xFDF0_0000,
                None
            ),
            pr(
                "first",
                PlacedClass::Mmio32,
                PlacedKind::Mmio,
                0xFDF0_0000,
                0xFE00_0000,
                None
            ),
            pr(
                "reserved",
                PlacedClass::Fixed,
                PlacedKind::Mmio,
                0xFE00_0000,
                4 * GB,
                None
            ),
        ]
    );
}

/// Upstream `mmio32_orders_by_alignment_then_size_then_request_order`
/// (SPEC C4 phase 2): "aligned" (256M) first at 0xF0000000, then "large"
/// (4M) at the top, then the two equal 1M ones in call order below it.
fn place_mmio32_order() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.request("small", PlacedKind::Mmio, MB, MB, Placement::Mmio32);
    b.request(
        "aligned",
        PlacedKind::PciEcam,
        MB,
        256 * MB,
        Placement::Mmio32,
    );
    b.request("large", PlacedKind::PciMmio, 4 * MB, MB, Placement::Mmio32);
    b.request("small2", PlacedKind::Mmio, MB, MB, Placement::Mmio32);
    let (p, _) = place(&b);
    let m = PlacedClass::Mmio32;
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            pr(
                "aligned",
                m,
                PlacedKind::PciEcam,
                0xF000_0000,
                0xF010_0000,
                None
            ),
            pr(
                "small2",
                m,
                PlacedKind::Mmio,
                0xFFA0_0000,
                0xFFB0_0000,
                None
            ),
            pr("small", m, PlacedKind::Mmio, 0xFFB0_0000, 0xFFC0_0000, None),
            pr("large", m, PlacedKind::PciMmio, 0xFFC0_0000, 4 * GB, None),
        ]
    );
    // Each index is the request's position in its class, in call order.
    let idx: Vec<u32> = p[1..].iter().map(|x| x.index).collect();
    assert_eq!(idx, [1, 3, 0, 2]);
}

/// Upstream `ram_starts_at_zero`, `ram_requests_are_placed_in_order`
/// (SPEC C4 phase 3).
fn place_ram_in_order() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    let (p, _) = place(&b);
    assert_eq!(got(&p), [ram_at("ram", 0, 2 * GB, 0)]);

    let mut b = LayoutBuilder::new();
    b.ram("first", 2 * GB, PAGE).ram("second", GB, PAGE);
    let (p, _) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("first", 0, 2 * GB, 0),
            ram_at("second", 2 * GB, 3 * GB, 1)
        ]
    );
}

/// Upstream `ram_splits_around_fixed_ranges_and_mmio32`: the 2G mmio32
/// request takes [2G, 4G); RAM fills [0, 1G), [1G+1M, 2G) and the rest
/// from 4G (SPEC C4 phase 3).
fn place_ram_splits() {
    let mut b = LayoutBuilder::new();
    b.fixed("fixed", PlacedKind::Mmio, r(GB, GB + MB));
    m32(&mut b, "mmio32", 2 * GB, MB);
    b.ram("ram", 3 * GB, PAGE);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            pr(
                "fixed",
                PlacedClass::Fixed,
                PlacedKind::Mmio,
                GB,
                GB + MB,
                None
            ),
            ram_at("ram", GB + MB, 2 * GB, 0),
            pr(
                "mmio32",
                PlacedClass::Mmio32,
                PlacedKind::Mmio,
                2 * GB,
                4 * GB,
                None
            ),
            ram_at("ram", 4 * GB, 5 * GB + MB, 0),
        ]
    );
    assert_eq!(dev.stats().unwrap().ram_size, 3 * GB);
}

/// Upstream `ram_split_chunks_round_down_to_alignment`,
/// `ram_request_does_not_backfill_earlier_fragments` (SPEC C4 phase 3):
/// [0, 1G+1M) gives a 1G extent, the next starts at 2G; the fragment
/// [1G+2M, 2G) stays free, and the second node starts at 3G.
fn place_ram_round_down_no_backfill() {
    let mut b = LayoutBuilder::new();
    b.fixed("hole", PlacedKind::Mmio, r(GB + MB, GB + 2 * MB));
    b.ram("ram", 2 * GB, GB);
    let (p, _) = place(&b);
    let hole = pr(
        "hole",
        PlacedClass::Fixed,
        PlacedKind::Mmio,
        GB + MB,
        GB + 2 * MB,
        None,
    );
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            hole.clone(),
            ram_at("ram", 2 * GB, 3 * GB, 0)
        ]
    );

    b.ram("second", 256 * MB, PAGE);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            hole,
            ram_at("ram", 2 * GB, 3 * GB, 0),
            ram_at("second", 3 * GB, 3 * GB + 256 * MB, 1),
        ]
    );
    // The fragment is nobody's.
    let (kinds, _) = dev.probe(&[GB + 2 * MB, 2 * GB - 1]).unwrap();
    assert_eq!(kinds, [None, None]);
}

/// Upstream `ram_in_order_keeps_flattened_list_sorted_with_mmio32`: a 1M
/// BAR fixed just above 1G; node 0 splits around it, node 1 follows at
/// its end (SPEC C4 phase 3).
fn place_ram_sorted_around_bar() {
    let mut b = LayoutBuilder::new();
    b.fixed("pcie_bar", PlacedKind::PciMmio, r(0x4010_0000, 0x4020_0000));
    b.ram("first", 2 * GB, PAGE).ram("second", 512 * MB, PAGE);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("first", 0, 0x4010_0000, 0),
            pr(
                "pcie_bar",
                PlacedClass::Fixed,
                PlacedKind::PciMmio,
                0x4010_0000,
                0x4020_0000,
                None
            ),
            ram_at("first", 0x4020_0000, 0x8010_0000, 0),
            ram_at("second", 0x8010_0000, 0xA010_0000, 1),
        ]
    );
    let (ram, _) = dev.ranges(sys::LIST_RAM).unwrap();
    assert!(ram
        .windows(2)
        .all(|w| w[0].range.end() <= w[1].range.start()));
    assert_eq!(ram.iter().map(|x| x.vnode).collect::<Vec<_>>(), [0, 0, 1]);
}

/// Upstream `mmio64_uses_bottom_up_placement_above_four_gib`,
/// `mmio64_starts_above_ram_when_ram_exceeds_four_gib`,
/// `mmio64_skips_fixed_ranges_above_four_gib` (SPEC C4 phase 4: the
/// lowest fit at or above max(end of RAM, 4 GiB)).
fn place_mmio64() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    m64(&mut b, "first", MB, MB);
    m64(&mut b, "second", MB, MB);
    let (p, _) = place(&b);
    let h = PlacedClass::Mmio64;
    assert_eq!(
        got(&p)[1..],
        [
            pr("first", h, PlacedKind::Mmio, 4 * GB, 4 * GB + MB, None),
            pr(
                "second",
                h,
                PlacedKind::Mmio,
                4 * GB + MB,
                4 * GB + 2 * MB,
                None
            ),
        ]
    );

    let mut b = LayoutBuilder::new();
    b.ram("ram", 6 * GB, PAGE);
    m64(&mut b, "mmio64", MB, MB);
    let (p, _) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, 6 * GB, 0),
            pr("mmio64", h, PlacedKind::Mmio, 6 * GB, 6 * GB + MB, None),
        ]
    );

    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    b.fixed("fixed", PlacedKind::Mmio, r(4 * GB, 4 * GB + MB));
    m64(&mut b, "mmio64", MB, MB);
    let (p, _) = place(&b);
    assert_eq!(p[2].range, r(4 * GB + MB, 4 * GB + 2 * MB));
    assert_eq!(&*p[2].tag, "mmio64");
}

/// Upstream `post_mmio_uses_bottom_up_placement_after_all_mmio`,
/// `post_mmio_preserves_request_order` (SPEC C4 phase 5: caller order,
/// each at or above the highest end of the non-reserved ranges).
fn place_post_mmio() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    m64(&mut b, "mmio64", MB, MB);
    post(&mut b, "post_mmio", MB, MB);
    let (p, _) = place(&b);
    assert_eq!(
        got(&p)[1..],
        [
            pr(
                "mmio64",
                PlacedClass::Mmio64,
                PlacedKind::Mmio,
                4 * GB,
                4 * GB + MB,
                None
            ),
            pr(
                "post_mmio",
                PlacedClass::PostMmio,
                PlacedKind::Mmio,
                4 * GB + MB,
                4 * GB + 2 * MB,
                None
            ),
        ]
    );

    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    post(&mut b, "first", MB, MB);
    post(&mut b, "aligned", MB, GB);
    let (p, _) = place(&b);
    let q = PlacedClass::PostMmio;
    assert_eq!(
        got(&p)[1..],
        [
            pr("first", q, PlacedKind::Mmio, 2 * GB, 2 * GB + MB, None),
            pr("aligned", q, PlacedKind::Mmio, 3 * GB, 3 * GB + MB, None),
        ]
    );
}

/// Upstream `high_reserved_range_does_not_affect_post_mmio_placement`,
/// `reserved_range_between_allocations_is_reported` (SPEC C4 phase 5,
/// Result): a reserved range above everything is dropped and does not
/// raise the post-MMIO floor; one between placed ranges is reported, kind
/// none, and is not part of the layout.
fn place_reserved() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    b.reserve("high_reserved", r(0xFD_0000_0000, 0xFD_4000_0000));
    post(&mut b, "post_mmio", MB, MB);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, 2 * GB, 0),
            pr(
                "post_mmio",
                PlacedClass::PostMmio,
                PlacedKind::Mmio,
                2 * GB,
                2 * GB + MB,
                None
            ),
        ]
    );
    assert_eq!(dev.stats().unwrap().end_of_layout, 2 * GB + MB);

    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    b.reserve("reserved", r(2 * GB, 2 * GB + MB));
    post(&mut b, "post_mmio", MB, MB);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, 2 * GB, 0),
            pr(
                "reserved",
                PlacedClass::Reserved,
                PlacedKind::None,
                2 * GB,
                2 * GB + MB,
                None
            ),
            pr(
                "post_mmio",
                PlacedClass::PostMmio,
                PlacedKind::Mmio,
                2 * GB + MB,
                2 * GB + 2 * MB,
                None
            ),
        ]
    );
    // Reserved is not in the layout: probes none.
    assert_eq!(dev.probe(&[2 * GB]).unwrap().0, [None]);
}

/// Upstream `exhaustion_reports_phase`, each phase with its free bytes
/// between the phase's floor and limit (SPEC P4, -ENOSPC).
fn place_exhausted() {
    let exhausted = |b: &LayoutBuilder| match place_err(b) {
        AllocateError::Exhausted {
            tag,
            size,
            alignment,
            phase,
            free_space,
            reason,
            ..
        } => {
            assert_eq!(reason.reason.errno, ENOSPC);
            assert_eq!(reason.reason.rule, sys::RULE_EXHAUSTED);
            (tag.to_string(), size, alignment, phase, free_space)
        }
        e => panic!("not P4: {:?}", e),
    };
    // mmio32, before RAM: all 4 GiB free.
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    m32(&mut b, "too_big", 4 * GB + PAGE, PAGE);
    assert_eq!(
        exhausted(&b),
        (
            "too_big".into(),
            4 * GB + PAGE,
            PAGE,
            AllocationPhase::Mmio32,
            4 * GB
        )
    );
    // The issue's message: 32 MiB left below 4 GiB.
    let mut b = LayoutBuilder::new();
    b.fixed("low", PlacedKind::Mmio, r(0, 4 * GB - 32 * MB));
    m32(&mut b, "vmbus", 128 * MB, MB);
    b.ram("ram", GB, PAGE);
    let e = place_err(&b);
    assert_eq!(
        e.to_string(),
        "vmbus: cannot allocate 0x8000000 bytes with alignment 0x100000 during mmio32; 0x2000000 bytes free"
    );
    assert_eq!(e.reason().unwrap().reason.index, 1); // array position

    // RAM: nothing free at all; then node 1 with only [4G, 8G) above
    // node 0's end.
    let mut b = LayoutBuilder::new();
    b.fixed("fixed", PlacedKind::Mmio, r(0, MAX));
    b.ram("ram", PAGE, PAGE);
    assert_eq!(
        exhausted(&b),
        ("ram".into(), PAGE, PAGE, AllocationPhase::Ram, 0)
    );
    let mut b = LayoutBuilder::new();
    b.fixed("top", PlacedKind::Mmio, r(8 * GB, MAX));
    b.ram("n0", 4 * GB, PAGE).ram("n1", 8 * GB, PAGE);
    assert_eq!(
        exhausted(&b),
        ("n1".into(), 8 * GB, PAGE, AllocationPhase::Ram, 4 * GB)
    );

    // mmio64: nothing above RAM; then 1M above 4G for a 2M request.
    let mut b = LayoutBuilder::new();
    b.ram("ram", PAGE, PAGE);
    b.fixed("fixed", PlacedKind::Mmio, r(PAGE, MAX));
    m64(&mut b, "mmio64", PAGE, PAGE);
    assert_eq!(
        exhausted(&b),
        ("mmio64".into(), PAGE, PAGE, AllocationPhase::Mmio64, 0)
    );
    let mut b = LayoutBuilder::new();
    b.ram("ram", PAGE, PAGE);
    b.fixed("fixed", PlacedKind::Mmio, r(4 * GB + MB, MAX));
    m64(&mut b, "pci", 2 * MB, PAGE);
    assert_eq!(
        exhausted(&b),
        ("pci".into(), 2 * MB, PAGE, AllocationPhase::Mmio64, MB)
    );

    // post-MMIO: the reserved range does not raise the floor (end of RAM,
    // 4K), so [4K, 8K) is free, too small for 8K.
    let mut b = LayoutBuilder::new();
    b.ram("ram", PAGE, PAGE);
    b.reserve("rest", r(2 * PAGE, MAX));
    post(&mut b, "post", 2 * PAGE, PAGE);
    assert_eq!(
        exhausted(&b),
        (
            "post".into(),
            2 * PAGE,
            PAGE,
            AllocationPhase::PostMmio,
            PAGE
        )
    );
}

/// Requests at the top of the address space (SPEC C4, MAX_ADDRESS):
/// mmio64 can take the last 2 MiB below MAX_ADDRESS, but not at a 2 MiB
/// alignment (the next aligned start would wrap); post-MMIO then finds
/// nothing.
fn place_near_max_address() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.fixed("wall", PlacedKind::PciMmio, r(4 * GB, MAX - 2 * MB));
    m64(&mut b, "last", 2 * MB, PAGE);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p).last().unwrap(),
        &pr(
            "last",
            PlacedClass::Mmio64,
            PlacedKind::Mmio,
            MAX - 2 * MB,
            MAX,
            None
        )
    );
    assert_eq!(dev.stats().unwrap().end_of_layout, MAX);
    assert_eq!(
        dev.probe(&[MAX - 1, u64::MAX]).unwrap().0,
        [Some(AddressType::Mmio), None]
    );

    let mut b2 = b.clone();
    post(&mut b2, "post", PAGE, PAGE);
    match place_err(&b2) {
        AllocateError::Exhausted {
            phase: AllocationPhase::PostMmio,
            free_space: 0,
            ..
        } => {}
        e => panic!("{:?}", e),
    }
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.fixed("wall", PlacedKind::PciMmio, r(4 * GB, MAX - 2 * MB));
    m64(&mut b, "aligned", 2 * MB, 2 * MB);
    match place_err(&b) {
        AllocateError::Exhausted {
            phase: AllocationPhase::Mmio64,
            free_space,
            ..
        } => {
            assert_eq!(free_space, 2 * MB)
        }
        e => panic!("{:?}", e),
    }
}

/// SPEC D8: a RAM request of size 0 is a memory-less node: it places
/// nothing and keeps its node number; the next node is 2.
fn place_memoryless_node() {
    let mut b = LayoutBuilder::new();
    b.ram("n0", GB, PAGE)
        .ram("n1", 0, PAGE)
        .ram("n2", GB, 2 * MB);
    let (p, dev) = place(&b);
    assert_eq!(
        got(&p),
        [ram_at("n0", 0, GB, 0), ram_at("n2", GB, 2 * GB, 2)]
    );
    let (ram, _) = dev.ranges(sys::LIST_RAM).unwrap();
    assert_eq!(ram, [rn(0, GB, 0), rn(GB, 2 * GB, 2)]);
}

/// Upstream `sorted_result_preserves_tags_and_kinds`.
fn place_tags_and_kinds() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    b.request("mmio32", PlacedKind::PciEcam, MB, MB, Placement::Mmio32);
    b.request("mmio64", PlacedKind::PciMmio, MB, MB, Placement::Mmio64);
    let (p, _) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("ram", 0, GB, 0),
            pr(
                "mmio32",
                PlacedClass::Mmio32,
                PlacedKind::PciEcam,
                4 * GB - MB,
                4 * GB,
                None
            ),
            pr(
                "mmio64",
                PlacedClass::Mmio64,
                PlacedKind::PciMmio,
                4 * GB,
                4 * GB + MB,
                None
            ),
        ]
    );
}

/// Upstream `deterministic`: ten placements of the same requests give the
/// same ranges and fingerprint. By hand: ECAM (256M aligned) at
/// 0xE0000000, VMBus at the top of [0xF0000000, 0xFE000000), virtio just
/// below it, RAM from 0, the 1G window at 4G.
fn place_deterministic() {
    let mut b = LayoutBuilder::new();
    b.ram("ram", 2 * GB, PAGE);
    b.fixed("reserved", PlacedKind::Mmio, r(0xFE00_0000, 4 * GB));
    m32(&mut b, "vmbus_low", 128 * MB, MB);
    b.request(
        "pcie_ecam",
        PlacedKind::PciEcam,
        256 * MB,
        256 * MB,
        Placement::Mmio32,
    );
    b.request("pcie_high", PlacedKind::PciMmio, GB, MB, Placement::Mmio64);
    m32(&mut b, "virtio", PAGE, PAGE);
    let (first, dev) = place(&b);
    let m = PlacedClass::Mmio32;
    assert_eq!(
        got(&first),
        [
            ram_at("ram", 0, 2 * GB, 0),
            pr(
                "pcie_ecam",
                m,
                PlacedKind::PciEcam,
                0xE000_0000,
                0xF000_0000,
                None
            ),
            pr(
                "virtio",
                m,
                PlacedKind::Mmio,
                0xF5FF_F000,
                0xF600_0000,
                None
            ),
            pr(
                "vmbus_low",
                m,
                PlacedKind::Mmio,
                0xF600_0000,
                0xFE00_0000,
                None
            ),
            pr(
                "reserved",
                PlacedClass::Fixed,
                PlacedKind::Mmio,
                0xFE00_0000,
                4 * GB,
                None
            ),
            pr(
                "pcie_high",
                PlacedClass::Mmio64,
                PlacedKind::PciMmio,
                4 * GB,
                5 * GB,
                None
            ),
        ]
    );
    let fp = dev.stats().unwrap().fingerprint;
    for _ in 0..10 {
        let (again, dev) = place(&b);
        assert_eq!(again, first);
        assert_eq!(dev.stats().unwrap().fingerprint, fp);
    }
}

/// Issue 9's x86 q35 guest: the LAPIC/IOAPIC block fixed at
/// 0xFE000000-4G, a 256M ECAM (256M aligned) below 4G, two 3G nodes at 2M
/// and 1G alignment, a 64G 64-bit PCI window (1G aligned) and a 64M VTL2
/// range (2M aligned). By hand (SPEC C4 phases):
/// * ECAM: align_down(0xFE000000 - 256M, 256M) = 0xE0000000;
/// * node 0: [0, 3G) fits in [0, 0xE0000000);
/// * node 1 from 3G: [3G, 0xE0000000) holds no 1G multiple, nor does
///   [0xF0000000, 0xFE000000) (align_up is 4G); so [4G, 7G);
/// * PCI window at max(7G, 4G) = 7G: [7G, 71G); VTL2 at 71G.
fn place_q35() {
    let mut b = LayoutBuilder::new();
    b.fixed("lapic_ioapic", PlacedKind::Mmio, r(0xFE00_0000, 4 * GB));
    b.request(
        "ecam",
        PlacedKind::PciEcam,
        256 * MB,
        256 * MB,
        Placement::Mmio32,
    );
    b.ram("node0", 3 * GB, 2 * MB);
    b.ram("node1", 3 * GB, GB);
    b.request("pci64", PlacedKind::PciMmio, 64 * GB, GB, Placement::Mmio64);
    b.request(
        "vtl2",
        PlacedKind::Vtl2,
        64 * MB,
        2 * MB,
        Placement::PostMmio,
    );
    let (p, _) = place(&b);
    assert_eq!(
        got(&p),
        [
            ram_at("node0", 0, 3 * GB, 0),
            pr(
                "ecam",
                PlacedClass::Mmio32,
                PlacedKind::PciEcam,
                0xE000_0000,
                0xF000_0000,
                None
            ),
            pr(
                "lapic_ioapic",
                PlacedClass::Fixed,
                PlacedKind::Mmio,
                0xFE00_0000,
                4 * GB,
                None
            ),
            ram_at("node1", 4 * GB, 7 * GB, 1),
            pr(
                "pci64",
                PlacedClass::Mmio64,
                PlacedKind::PciMmio,
                7 * GB,
                71 * GB,
                None
            ),
            pr(
                "vtl2",
                PlacedClass::PostMmio,
                PlacedKind::Vtl2,
                71 * GB,
                71 * GB + 64 * MB,
                None
            ),
        ]
    );

    // The same through build(): the layout upstream's resolver would
    // make, with the figures of SPEC Q2-Q8.
    let (l, placed) = b.build().unwrap();
    assert_eq!(placed, p);
    assert_eq!(l.ram(), &[rn(0, 3 * GB, 0), rn(4 * GB, 7 * GB, 1)]);
    assert_eq!(l.pci_ecam(), &[r(0xE000_0000, 0xF000_0000)]);
    assert_eq!(l.mmio(), &[r(0xFE00_0000, 4 * GB)]);
    assert_eq!(l.pci_mmio(), &[r(7 * GB, 71 * GB)]);
    assert_eq!(l.vtl2_range(), Some(r(71 * GB, 71 * GB + 64 * MB)));
    assert_eq!(l.ram_size(), 6 * GB);
    assert_eq!(l.end_of_ram(), 7 * GB);
    assert_eq!(l.ram_below_4gb(), 3 * GB);
    assert_eq!(l.ram_above_4gb(), 3 * GB);
    assert_eq!(l.max_ram_below_4gb(), Some(3 * GB));
    assert_eq!(l.end_of_layout(), 71 * GB);
    let probes = [
        (0, Some(AddressType::Ram)),
        (3 * GB - 1, Some(AddressType::Ram)),
        (3 * GB, None),
        (0xE000_0000, Some(AddressType::PciEcam)),
        (0xF000_0000, None),
        (0xFE00_0000, Some(AddressType::Mmio)),
        (4 * GB, Some(AddressType::Ram)),
        (7 * GB, Some(AddressType::PciMmio)),
        (71 * GB - 1, Some(AddressType::PciMmio)),
        (71 * GB, None), // VTL2
    ];
    for (a, want) in probes {
        assert_eq!(l.probe_address(a), want, "{:#x}", a);
    }
    check_consistent(&l);
}

/// SPEC R8 per class: one mmio32 request more than max_ranges (-E2BIG,
/// the limit in the reason); exactly the limit is placed, in caller
/// order down from 4G, read back through GET_PLACEMENTS' count
/// negotiation.
fn place_too_many() {
    let max = Device::open().unwrap().info().unwrap().max_ranges;
    let n = max.min(4096);
    let mut b = LayoutBuilder::new();
    b.ram("ram", GB, PAGE);
    for i in 0..n {
        m32(&mut b, &format!("dev{}", i), PAGE, PAGE);
    }
    let (p, _) = place(&b);
    assert_eq!(p.len() as u32, n + 1);
    for (i, x) in p[1..].iter().rev().enumerate() {
        let top = 4 * GB - i as u64 * PAGE;
        assert_eq!(&*x.tag, format!("dev{}", i));
        assert_eq!(x.range, r(top - PAGE, top));
    }
    if n == max {
        m32(&mut b, "one_more", PAGE, PAGE);
        let e = place_err(&b);
        assert!(
            matches!(
                &e,
                AllocateError::TooManyRequests {
                    class: Some(PlacedClass::Mmio32),
                    ..
                }
            ),
            "{:?}",
            e
        );
        assert_eq!(e.errno(), Some(E2BIG));
        assert_eq!(
            e.to_string(),
            format!("too many mmio32 requests (more than {})", max)
        );
    }
}

/// A dry run places and checks as allocate() does, replies the same
/// fingerprint, and publishes nothing; a rejected placement keeps the
/// previous layout; GET_PLACEMENTS of a C1 layout is empty (UAPI
/// SET_LAYOUT, GET_PLACEMENTS).
fn place_dry_run_and_rejection() {
    let dev = Device::open().unwrap();
    let mut a = LayoutBuilder::new();
    a.ram("ram", 4 * GB, PAGE);
    let first = a.allocate(&dev).unwrap();
    let before = dev.snapshot().unwrap();
    assert_eq!(before.generation, 1);

    let mut b = a.clone();
    b.request("pci", PlacedKind::PciMmio, GB, GB, Placement::Mmio64);
    let planned = b.dry_run(&dev).unwrap();
    assert_eq!(planned.generation, 0);
    assert_ne!(planned.fingerprint, before.fingerprint);
    assert_eq!(
        dev.snapshot().unwrap(),
        before,
        "a dry run changed the layout"
    );
    assert_eq!(b.resolve(&dev.placements().unwrap().0), first);

    let mut bad = b.clone();
    m32(&mut bad, "zero", 0, PAGE);
    assert!(matches!(
        bad.dry_run(&dev),
        Err(AllocateError::InvalidSize { .. })
    ));
    let e = bad.allocate(&dev).unwrap_err();
    assert_eq!(e.tag(), Some("zero"));
    assert_eq!(
        dev.snapshot().unwrap(),
        before,
        "a rejection changed the layout"
    );

    let done = b.allocate(&dev).unwrap();
    let after = dev.snapshot().unwrap();
    assert_eq!(
        (after.generation, after.fingerprint),
        (2, planned.fingerprint)
    );
    assert_eq!(done.len(), 2);

    // C1-C3 layouts have no placement; no layout at all is ENOENT.
    dev.set_layout(&Request::new(RamSource::Size(GB))).unwrap();
    let (entries, gen) = dev.placements().unwrap();
    assert!(entries.is_empty());
    assert_eq!(gen, 3);
    let e = Device::open().unwrap().placements().unwrap_err();
    assert_eq!(e.errno(), Some(ENOENT));
}

/// The raw request array (Device::set_placement): what the typed builder
/// cannot send is refused by the interface, naming the request's position
/// and member: an unknown class (-EOPNOTSUPP), a member the class does
/// not use (-EINVAL), and more requests in all than six classes of
/// max_ranges (R8, -E2BIG) (UAPI struct memlayout_place_req).
fn place_raw_requests() {
    let dev = Device::open().unwrap();
    let ram = sys::PlaceReq {
        class: sys::CLASS_RAM,
        size: GB,
        align: PAGE,
        ..Default::default()
    };
    let bad_class = sys::PlaceReq {
        class: 7,
        ..Default::default()
    };
    let reqs = [ram, bad_class];
    let why = dev.set_placement(&reqs, false).unwrap_err();
    assert_eq!(
        (why.reason.rule, why.reason.list, why.reason.index),
        (sys::REASON_FLAGS, sys::LIST_PLACE, 1)
    );
    assert_eq!(why.reason.errno, 95);
    let e = AllocateError::from_reason(why, &reqs, &[]);
    assert!(
        matches!(&e, AllocateError::Layout(Error::Rejected(_))),
        "{:?}",
        e
    );
    assert_eq!(
        e.to_string(),
        "unsupported value in class: Operation not supported"
    );

    let sized_reserve = sys::PlaceReq {
        class: sys::CLASS_RESERVED,
        start: 8 * GB,
        end: 9 * GB,
        size: PAGE,
        ..Default::default()
    };
    let reqs = [ram, sized_reserve];
    let why = dev.set_placement(&reqs, true).unwrap_err();
    assert_eq!(
        (why.reason.rule, why.reason.index, why.reason.errno),
        (sys::REASON_RESERVED, 1, EINVAL)
    );
    assert_eq!(field_name(why.reason.list, why.reason.field), Some("size"));
    assert_eq!(
        why.to_string(),
        "size of place[1] must be zero: Invalid argument"
    );

    let max = dev.info().unwrap().max_ranges as usize;
    let reqs = vec![ram; 6 * max + 1];
    let why = dev.set_placement(&reqs, true).unwrap_err();
    assert_eq!(
        (why.reason.rule, why.reason.errno, why.class),
        (sys::RULE_TOO_MANY, E2BIG, 0)
    );
    assert_eq!(why.reason.index as usize, 6 * max);
    assert_eq!(
        why.to_string(),
        format!("too many placement requests (more than {})", 6 * max)
    );
    // Nothing was published by any of them.
    assert_eq!(
        dev.snapshot().map(|_| ()).unwrap_err().errno(),
        Some(ENOENT)
    );
}

/// GET_INFO answers what this crate relies on.
fn info() {
    let i = Device::open().unwrap().info().unwrap();
    assert_eq!(i.api_version, 1);
    assert_eq!(i.page_size, sys::PAGE_SIZE);
    assert_eq!(i.max_address, sys::MAX_ADDRESS);
    assert!(i.max_probe >= 1 && i.max_ranges >= 1);
    for nr in [0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x20] {
        assert!(i.commands & (1u64 << nr) != 0, "command {:#x} missing", nr);
    }
    assert!(i.set_flags & sys::SET_DRY_RUN != 0);
    // Placement (C4): its source and six classes; eight lists, P4 the
    // highest rule before the interface reasons.
    assert!(i.sources & (1 << sys::SOURCE_PLACE) != 0);
    assert_eq!(i.nr_classes, 6);
    assert_eq!(i.nr_lists, 8);
    assert!(i.max_rule >= sys::RULE_EXHAUSTED);
}

/// A file with no layout: queries and probes fail with ENOENT.
fn no_layout() {
    let dev = Device::open().unwrap();
    for e in [
        dev.snapshot().map(|_| ()).unwrap_err(),
        dev.stats().map(|_| ()).unwrap_err(),
        dev.probe(&[0]).map(|_| ()).unwrap_err(),
    ] {
        assert_eq!(e.errno(), Some(ENOENT), "{:?}", e);
        assert_eq!(e.to_string(), "No such file or directory");
    }
}

/// SPEC R8: one range more than GET_INFO's max_ranges is refused with
/// the limit as the index.
fn too_many_ranges() {
    let max = Device::open().unwrap().info().unwrap().max_ranges as u64;
    let gaps: Vec<MemoryRange> = (0..=max)
        .map(|i| r(4 * GB + i * 8 * KB, 4 * GB + i * 8 * KB + 4 * KB))
        .collect();
    let (e, why) = reason(MemoryLayout::new(GB, &gaps, &[], &[], None));
    assert!(matches!(e, Error::TooManyRanges(_)), "{:?}", e);
    assert_eq!(
        (why.list, why.index as u64, why.errno),
        (sys::LIST_MMIO, max, 7)
    );
    assert_eq!(
        e.to_string(),
        format!(
            "R8 too many ranges: mmio holds more than max_ranges {} entries: Argument list too long",
            max
        )
    );
    // Exactly the limit is accepted.
    let l = MemoryLayout::new(GB, &gaps[..max as usize], &[], &[], None).unwrap();
    assert_eq!(l.mmio().len() as u64, max);
}

/// GET_LAYOUT reads one layout while another thread replaces it: every
/// snapshot is whole (its fingerprint is its ranges', its counts its
/// figures') and is one of the two layouts (UAPI GET_LAYOUT).
fn snapshot_while_replaced() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let dev = Arc::new(Device::open().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let gaps: Vec<MemoryRange> = (0..64u64)
        .map(|i| r(GB + i * 2 * MB, GB + i * 2 * MB + MB))
        .collect();
    let sizes = [GB, GB];
    let a = Request::new(RamSource::Size(2 * GB));
    let b = Request {
        mmio: &gaps,
        ..Request::new(RamSource::Nodes(&sizes))
    };
    let fa = dev
        .set_layout(&Request { dry_run: true, ..a })
        .unwrap()
        .fingerprint;
    let fb = dev
        .set_layout(&Request { dry_run: true, ..b })
        .unwrap()
        .fingerprint;
    dev.set_layout(&a).unwrap();
    let writer = {
        let (dev, stop, gaps) = (dev.clone(), stop.clone(), gaps.clone());
        std::thread::spawn(move || {
            let b = Request {
                mmio: &gaps,
                ..Request::new(RamSource::Nodes(&[GB, GB]))
            };
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                dev.set_layout(if n % 2 == 0 { &b } else { &a }).unwrap();
                n += 1;
            }
            n
        })
    };
    // Until both layouts were seen often enough (or a bound, so that a
    // writer that never runs fails the test instead of hanging it).
    let mut seen = [0u32; 2];
    let mut reads = 0;
    while reads < 200_000 && (reads < 500 || seen[0] < 50 || seen[1] < 50) {
        let s = dev.snapshot().unwrap();
        reads += 1;
        assert_eq!(fingerprint(&s.entries, None), s.fingerprint);
        assert_eq!(s.stats.generation, s.generation);
        assert_eq!(s.stats.fingerprint, s.fingerprint);
        let st = &s.stats;
        let n = st.nr_ram + st.nr_mmio + st.nr_pci_ecam + st.nr_pci_mmio;
        assert_eq!(s.entries.len() as u32, n);
        if s.fingerprint == fa {
            seen[0] += 1;
        } else {
            assert_eq!(s.fingerprint, fb, "a snapshot of neither layout");
            seen[1] += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let writes = writer.join().unwrap();
    println!(
        "# snapshot_while_replaced: {} snapshots ({} of A, {} of B) during {} replacements",
        reads, seen[0], seen[1], writes
    );
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "the two threads never overlapped"
    );
}

/// The ranges of a layout whose edges the view tests probe: every kind,
/// two vnodes, VTL2 (which probes as none).
fn view_layout(dev: &Device) -> Accepted {
    let ram = [rn(0, GB, 0), rn(2 * GB, 3 * GB, 1), rn(4 * GB, 6 * GB, 1)];
    let mmio = [r(GB, 2 * GB)];
    let ecam = [r(3 * GB, 3 * GB + 256 * MB)];
    let pci = [r(6 * GB, 8 * GB)];
    dev.set_layout(&Request {
        mmio: &mmio,
        pci_ecam: &ecam,
        pci_mmio: &pci,
        vtl2: Some(r(8 * GB, 8 * GB + 64 * MB)),
        ..Request::new(RamSource::Ranges(&ram))
    })
    .unwrap()
}

/// Every edge of every range of `s` (start, last byte, end), VTL2's, 0
/// and the top of the address space.
fn edges(s: &Snapshot) -> Vec<u64> {
    let mut a = vec![0, u64::MAX, MAX, MAX - 1];
    let vtl2 = s.stats.vtl2_range.iter().map(|v| (v.start(), v.end()));
    for (st, en) in s
        .entries
        .iter()
        .map(|e| (e.range.start(), e.range.end()))
        .chain(vtl2)
    {
        a.extend([st, st + 1, en - 1, en]);
        if st > 0 {
            a.push(st - 1);
        }
    }
    a
}

/// The view's answers are the ioctl's (SPEC V1): kind and covering range
/// for each address, the batch's kinds, and generation and fingerprint
/// those of GET_STATS (V2), on the layout and after a replacement.
fn assert_view_is_ioctl(dev: &Device, v: &View, addrs: &[u64]) {
    let st = dev.stats().unwrap();
    let (hits, gen) = dev.probe_ranges(addrs).unwrap();
    assert_eq!(gen, st.generation);
    for h in &hits {
        let got = v.probe(h.address).unwrap();
        assert_eq!(got.generation, st.generation, "{:#x}", h.address);
        assert_eq!(got.address_type, h.address_type, "{:#x}", h.address);
        assert_eq!(got.range, h.range, "{:#x}", h.address);
    }
    let (kinds, bgen) = v.probe_batch(addrs).unwrap();
    assert_eq!(bgen, st.generation);
    assert_eq!(kinds, dev.probe(addrs).unwrap().0);
    let hd = v.header();
    assert_eq!((hd.magic, hd.version), (sys::VIEW_MAGIC, sys::VIEW_VERSION));
    assert_eq!(hd.header_size as usize, sys::VIEW_HEADER_SIZE);
    assert_eq!(hd.size as usize, v.len());
    assert_eq!(hd.seq % 2, 0);
    assert_eq!(hd.generation, st.generation);
    assert_eq!(hd.fingerprint, st.fingerprint);
    assert_eq!(
        hd.nr,
        st.nr_ram + st.nr_mmio + st.nr_pci_ecam + st.nr_pci_mmio
    );
    assert!(hd.flags & sys::VIEW_LAYOUT != 0);
    assert_eq!(hd.flags & sys::VIEW_TOO_LARGE, 0);
    // Version 1's places: starts at 128, records, then the bucket index,
    // whose shift is the smallest putting the last byte below bucket
    // 2 * nr - 1 (UAPI "Shared view").
    let nr = hd.nr as u64;
    assert_eq!(
        (hd.starts_off, hd.records_off, hd.index_off),
        (128, 128 + 8 * nr, 128 + 24 * nr)
    );
    let last = st.end_of_layout - 1;
    assert!(hd.index_shift <= 63 && (last >> hd.index_shift) < 2 * nr - 1);
    assert!(hd.index_shift == 0 || (last >> (hd.index_shift - 1)) >= 2 * nr - 1);
    let vtl2 = if hd.flags & sys::VIEW_VTL2 != 0 {
        Some(r(hd.vtl2_start, hd.vtl2_end))
    } else {
        None
    };
    assert_eq!(vtl2, st.vtl2_range);
}

/// SPEC V1, V2: probes through the view equal PROBE's, at every edge of
/// every kind and at pseudo-random addresses of a 129-range layout; the
/// header's generation and fingerprint are GET_STATS'; a SET_LAYOUT is
/// seen through the same mapping (seq + 2, the next generation).
fn view_probe_equals_ioctl() {
    let dev = Device::open().unwrap();
    let acc = view_layout(&dev);
    let v = dev.view().unwrap();
    assert!(v.len() >= PAGE as usize && v.len() % PAGE as usize == 0);
    assert_view_is_ioctl(&dev, &v, &edges(&dev.snapshot().unwrap()));
    let hd = v.header();
    assert_eq!(
        (hd.generation, hd.fingerprint),
        (acc.generation, acc.fingerprint)
    );
    assert_eq!(hd.nr, 6);
    // Hit by hand: node 1's second range, index-free.
    let h = v.probe(5 * GB).unwrap();
    assert_eq!(h.address_type, Some(AddressType::Ram));
    assert_eq!(h.range, Some(rn(4 * GB, 6 * GB, 1)));
    assert_eq!(v.probe(8 * GB).unwrap().address_type, None);

    // Replaced: 64 MMIO gaps in 2 GiB of two nodes (129 ranges).
    let gaps: Vec<MemoryRange> = (0..64u64)
        .map(|i| r(GB + i * 2 * MB, GB + i * 2 * MB + MB))
        .collect();
    let acc2 = dev
        .set_layout(&Request {
            mmio: &gaps,
            ..Request::new(RamSource::Nodes(&[GB, GB]))
        })
        .unwrap();
    assert_eq!(acc2.generation, acc.generation + 1);
    let hd2 = v.header();
    assert_eq!(hd2.seq, hd.seq + 2, "one rewrite, under the counter");
    assert_eq!(hd2.nr, 129);
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut addrs = edges(&dev.snapshot().unwrap());
    for _ in 0..2000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        addrs.push(x % (4 * GB));
    }
    assert_view_is_ioctl(&dev, &v, &addrs);
    // A second mapping of the same file sees the same view.
    let v2 = View::open(&dev, 0).unwrap();
    assert_eq!(v2.len(), v.len());
    assert_eq!(v2.header(), v.header());
}

/// SPEC V3: a file with no layout answers ENOENT through the view; a
/// layout too large for a one-page view is flagged, with its generation,
/// fingerprint and count right and no ranges, and probes answer E2BIG
/// (the caller falls back to the ioctl); a smaller layout is answered
/// again. The first mapping fixes the size: a later open maps that size.
fn view_too_large() {
    let dev = Device::open().unwrap();
    let v = View::open(&dev, PAGE as usize).unwrap();
    assert_eq!(v.len(), PAGE as usize);
    let hd = v.header();
    assert_eq!((hd.generation, hd.flags & sys::VIEW_LAYOUT), (0, 0));
    assert_eq!(v.probe(0).unwrap_err().errno(), Some(ENOENT));
    assert_eq!(v.probe_batch(&[0, 1]).unwrap_err().errno(), Some(ENOENT));

    // 200 MMIO gaps above 4 GiB: 401 ranges, more than a page holds.
    let gaps: Vec<MemoryRange> = (0..200u64)
        .map(|i| r(4 * GB + i * 2 * MB + MB, 4 * GB + (i + 1) * 2 * MB))
        .collect();
    let acc = dev
        .set_layout(&Request {
            mmio: &gaps,
            ..Request::new(RamSource::Size(8 * GB))
        })
        .unwrap();
    let st = dev.stats().unwrap();
    let hd = v.header();
    assert!(hd.flags & sys::VIEW_TOO_LARGE != 0 && hd.flags & sys::VIEW_LAYOUT != 0);
    assert_eq!(
        (hd.generation, hd.fingerprint),
        (acc.generation, acc.fingerprint)
    );
    assert_eq!(hd.nr, st.nr_ram + st.nr_mmio);
    assert!(hd.nr as u64 * 32 + 128 > PAGE);
    assert_eq!(v.probe(0).unwrap_err().errno(), Some(E2BIG));
    assert_eq!(v.probe_batch(&[0]).unwrap_err().errno(), Some(E2BIG));
    // The ioctl still answers.
    assert_eq!(
        dev.probe(&[4 * GB + MB]).unwrap().0,
        [Some(AddressType::Mmio)]
    );

    dev.set_layout(&Request::new(RamSource::Size(GB))).unwrap();
    assert_eq!(v.header().flags & sys::VIEW_TOO_LARGE, 0);
    assert_view_is_ioctl(&dev, &v, &[0, GB - 1, GB]);
    // The view exists: a default-sized open maps it whole, one page.
    let v2 = dev.view().unwrap();
    assert_eq!(v2.len(), PAGE as usize);
    assert_eq!(v2.probe(0).unwrap().address_type, Some(AddressType::Ram));
}

/// SPEC V3: writable, executable and private mappings are refused (EPERM,
/// EPERM, EINVAL), and so is an offset; in the guests (the module) a view
/// cannot be made writable or executable with mprotect() (EACCES). The
/// mapping outlives the Device that made it.
fn view_refused_mappings() {
    use std::os::unix::io::AsRawFd;
    let dev = Device::open().unwrap();
    dev.set_layout(&Request::new(RamSource::Size(GB))).unwrap();
    let fd = dev.as_raw_fd();
    let len = PAGE as usize;
    let try_map = |prot: i32, flags: i32, off: i64| -> i32 {
        // SAFETY: a new mapping the kernel places; unmapped at once.
        let p = unsafe { sys::mmap(std::ptr::null_mut(), len, prot, flags, fd, off as _) };
        if p as usize != !0usize {
            unsafe { sys::munmap(p, len) };
            return 0;
        }
        std::io::Error::last_os_error().raw_os_error().unwrap()
    };
    const EPERM: i32 = 1;
    const EACCES: i32 = 13;
    assert_eq!(
        try_map(sys::PROT_READ | sys::PROT_WRITE, sys::MAP_SHARED, 0),
        EPERM
    );
    assert_eq!(
        try_map(sys::PROT_READ | sys::PROT_EXEC, sys::MAP_SHARED, 0),
        EPERM
    );
    assert_eq!(try_map(sys::PROT_READ, sys::MAP_PRIVATE, 0), EINVAL);
    assert_eq!(
        try_map(sys::PROT_READ, sys::MAP_SHARED, PAGE as i64),
        EINVAL
    );
    let v = dev.view().unwrap();
    if std::env::var_os("MEMLAYOUT_TEST_FAKEDEV").is_none() {
        for prot in [
            sys::PROT_READ | sys::PROT_WRITE,
            sys::PROT_READ | sys::PROT_EXEC,
        ] {
            // SAFETY: the view's own mapping; refused, so unchanged.
            let rc = unsafe { sys::mprotect(v.as_ptr() as *mut _, v.len(), prot) };
            assert_eq!(rc, -1, "mprotect({}) accepted", prot);
            assert_eq!(std::io::Error::last_os_error().raw_os_error(), Some(EACCES));
        }
    } else {
        println!("# view_refused_mappings: mprotect() not checked (lib/fakedev.c)");
    }
    let gen = dev.stats().unwrap().generation;
    drop(dev);
    let h = v.probe(GB - 1).unwrap();
    assert_eq!(
        (h.address_type, h.generation),
        (Some(AddressType::Ram), gen)
    );
}

/// SPEC V2 with threads: a writer replaces the layout (A, B, A, ...)
/// while readers probe through the view, one address at a time and in
/// batches. Every answer must be the one of the layout its generation
/// names (A's generations are the initial one's parity), never a mix.
/// Only the writer uses the file; the readers read the mapping alone, so
/// this runs on the offline engine too, whose writer rewrites its view
/// under the same counter (lib/fakedev.c maps it).
fn view_while_replaced() {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let dev = Arc::new(Device::open().unwrap());
    let gaps: Vec<MemoryRange> = (0..64u64)
        .map(|i| r(GB + i * 2 * MB, GB + i * 2 * MB + MB))
        .collect();
    let sizes = [GB, GB];
    let a = Request::new(RamSource::Size(2 * GB));
    let b = Request {
        mmio: &gaps,
        ..Request::new(RamSource::Nodes(&sizes))
    };
    // Where the two layouts differ: every gap's edges and middle.
    let mut addrs: Vec<u64> = vec![0, GB - 1, 2 * GB - 1, 2 * GB, 3 * GB];
    for g in &gaps {
        addrs.extend([g.start(), g.start() + MB / 2, g.end() - 1, g.end()]);
    }
    dev.set_layout(&b).unwrap();
    let want_b = dev.probe_ranges(&addrs).unwrap().0;
    let g0 = dev.set_layout(&a).unwrap().generation;
    let want_a = dev.probe_ranges(&addrs).unwrap().0;
    assert!(want_a.iter().zip(&want_b).any(|(x, y)| x != y));
    let view = Arc::new(dev.view().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let writes = Arc::new(AtomicU64::new(0));
    let writer = {
        let (dev, stop, gaps) = (dev.clone(), stop.clone(), gaps.clone());
        let writes = writes.clone();
        std::thread::spawn(move || {
            let sizes = [GB, GB];
            let b = Request {
                mmio: &gaps,
                ..Request::new(RamSource::Nodes(&sizes))
            };
            let a = Request::new(RamSource::Size(2 * GB));
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                dev.set_layout(if n % 2 == 0 { &b } else { &a }).unwrap();
                n += 1;
                writes.store(n, Ordering::Relaxed);
                // Let the readers see each layout, not mostly the one
                // that takes longer to build.
                std::thread::yield_now();
            }
            n
        })
    };
    let want = Arc::new((want_a, want_b));
    let readers: Vec<_> = (0..2)
        .map(|t| {
            let (view, want, addrs) = (view.clone(), want.clone(), addrs.clone());
            let writes = writes.clone();
            std::thread::spawn(move || {
                let (mut checked, mut seen) = (0u64, [0u64; 2]);
                let mut i = 0;
                // At least 2000 replacements, 20000 answers and 100
                // reads of each layout, or 60 s.
                let t0 = std::time::Instant::now();
                while t0.elapsed().as_secs() < 60
                    && (writes.load(Ordering::Relaxed) < 2000
                        || checked < 20_000
                        || seen[0] < 100
                        || seen[1] < 100)
                {
                    let layout_a;
                    if t == 0 {
                        let k = i % addrs.len();
                        let h = view.probe(addrs[k]).unwrap();
                        assert!(h.generation >= g0);
                        layout_a = (h.generation - g0) % 2 == 0;
                        let w = if layout_a { &want.0[k] } else { &want.1[k] };
                        assert_eq!(
                            (h.address_type, h.range),
                            (w.address_type, w.range.clone()),
                            "{:#x} in generation {}",
                            addrs[k],
                            h.generation
                        );
                        checked += 1;
                    } else {
                        let (kinds, gen) = view.probe_batch(&addrs).unwrap();
                        assert!(gen >= g0);
                        layout_a = (gen - g0) % 2 == 0;
                        let w = if layout_a { &want.0 } else { &want.1 };
                        for (k, h) in kinds.iter().zip(w) {
                            assert_eq!(*k, h.address_type, "generation {}", gen);
                        }
                        checked += kinds.len() as u64;
                    }
                    seen[usize::from(!layout_a)] += 1;
                    i += 1;
                }
                (checked, seen)
            })
        })
        .collect();
    let mut total = 0;
    let mut seen_all = [0u64; 2];
    for (t, h) in readers.into_iter().enumerate() {
        let res = h.join();
        if res.is_err() {
            stop.store(true, Ordering::Relaxed);
            let _ = writer.join();
            panic!("reader {} failed", t);
        }
        let (checked, seen) = res.unwrap();
        println!(
            "# view_while_replaced: reader {} ({}): {} answers checked, {} reads of A, {} of B",
            t,
            if t == 0 { "probe" } else { "probe_batch" },
            checked,
            seen[0],
            seen[1]
        );
        total += checked;
        seen_all[0] += seen[0];
        seen_all[1] += seen[1];
    }
    stop.store(true, Ordering::Relaxed);
    let writes = writer.join().unwrap();
    println!(
        "# view_while_replaced: {} answers checked during {} replacements",
        total, writes
    );
    assert!(
        seen_all[0] > 0 && seen_all[1] > 0,
        "the readers never saw both layouts"
    );
    assert!(writes >= 2000, "only {} replacements", writes);
    assert_eq!(view.header().generation, dev.stats().unwrap().generation);
}

/// A test: its name, its function, and whether it needs two threads on
/// one device file (skipped with MEMLAYOUT_TEST_SINGLE_THREAD set: the
/// offline engine behind lib/fakedev.c has no lock).
type Test = (&'static str, fn(), bool);

/// The CPU width the running kernel reports: "address sizes : N bits
/// physical" in /proc/cpuinfo (x86), read here on its own.
fn cpuinfo_phys_bits() -> Option<u32> {
    let text = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("address sizes"))?;
    let after = line.split(':').nth(1)?;
    after.trim().split(' ').next()?.parse().ok()
}

/// SPEC H1 at its edge, 2^phys_bits: a hole ending there fits, one page
/// more is one conflict naming the hole; a device that cannot be resolved
/// is an error with its index (no PCI segment 0xffff in a test machine).
fn check_host_h1() {
    let dev = Device::open().unwrap();
    let req = Request::new(RamSource::Size(GB));
    let acc = dev.set_layout(&req).unwrap();
    let fit = dev.check_host(&[]).unwrap();
    assert!(fit.fits());
    assert_eq!(fit.generation, acc.generation);
    assert!(fit.devices.is_empty());
    if let Some(pb) = cpuinfo_phys_bits() {
        assert_eq!(fit.phys_bits, pb);
    }
    let pb = fit.phys_bits;
    assert!((32..=64).contains(&pb), "{}", pb);
    if pb <= 60 {
        let e = 1u64 << pb;
        let mut req = Request::new(RamSource::Size(GB));
        let at = [r(e - 2 * MB, e)];
        req.mmio = &at;
        dev.set_layout(&req).unwrap();
        assert!(dev.check_host(&[]).unwrap().fits());
        let above = [r(e - 2 * MB, e + PAGE)];
        req.mmio = &above;
        dev.set_layout(&req).unwrap();
        let fit = dev.check_host(&[]).unwrap();
        assert_eq!(
            fit.conflicts,
            vec![HostConflict {
                rule: HostRule::CpuWidth,
                list: sys::LIST_MMIO,
                index: 0,
                range: e - 2 * MB..e + PAGE,
                device: None,
                host: e..=u64::MAX,
                host_type: HostType::None,
                relaxable: false,
            }]
        );
    }
    let devs = [
        HostDevice::pci("ffff:ff:1f.7").unwrap(),
        HostDevice::pci("ffff:ff:1f.6").unwrap(),
    ];
    match dev.check_host(&devs) {
        Err(Error::Device(0, e)) => assert_eq!(e.raw_os_error(), Some(19)),
        other => panic!("{:?}", other),
    }
    let fresh = Device::open().unwrap();
    assert_eq!(fresh.check_host(&[]).unwrap_err().errno(), Some(ENOENT));
}

/// Devices, H2 and H3 as the crate decodes them, from lib/fakedev.c's
/// synthetic host ($FAKEDEV_HOST: 00:1f.0 in group 3, a DMA domain with a
/// 39-bit aperture, the direct-relaxable 0-16 MiB and the MSI window;
/// 00:02.0 without IOMMU). Only under fakedev: a guest's kernel answers
/// with its own devices (tests/vm/cli_test.sh compares those with sysfs).
fn check_host_devices() {
    if !std::env::var("LD_PRELOAD").map_or(false, |v| v.contains("fakedev")) {
        return;
    }
    std::env::set_var(
        "FAKEDEV_HOST",
        "0000:00:1f.0 3 3 0 0x7fffffffff 2 0 0xffffff 1 1 0xfee00000 0xfeefffff 3 0;00:02.0 -1",
    );
    let dev = Device::open().unwrap();
    let ram = [rn(0, 4 * GB, 0), rn(4 * GB, (1 << 39) + PAGE, 0)];
    dev.set_layout(&Request::new(RamSource::Ranges(&ram))).unwrap();
    let devs = [
        HostDevice::pci("00:1f.0").unwrap(),
        HostDevice::pci("0000:00:02.0").unwrap(),
    ];
    let fit = dev.check_host(&devs);
    std::env::remove_var("FAKEDEV_HOST");
    let fit = fit.unwrap();
    assert_eq!(
        fit.devices,
        vec![
            DeviceFit {
                pci: Some(PciAddress { segment: 0, bus: 0, device: 0x1f, function: 0 }),
                iommu_group: Some(3),
                domain: Domain::Dma,
                aperture: Some(0..=(1 << 39) - 1),
                reserved_regions: 2,
            },
            DeviceFit {
                pci: Some(PciAddress { segment: 0, bus: 0, device: 2, function: 0 }),
                iommu_group: None,
                domain: Domain::None,
                aperture: None,
                reserved_regions: 0,
            },
        ]
    );
    let c = |rule, index, range: std::ops::Range<u64>, host, host_type, relaxable| HostConflict {
        rule,
        list: sys::LIST_RAM,
        index,
        range,
        device: Some(0),
        host,
        host_type,
        relaxable,
    };
    assert_eq!(
        fit.conflicts,
        vec![
            c(HostRule::Aperture, 1, 4 * GB..(1 << 39) + PAGE, 0..=(1 << 39) - 1, HostType::None, false),
            c(HostRule::Reserved, 0, 0..4 * GB, 0..=0xff_ffff, HostType::Direct, true),
            c(HostRule::Reserved, 0, 0..4 * GB, 0xfee0_0000..=0xfeef_ffff, HostType::Msi, false),
        ]
    );
    assert_eq!(fit.conflicts[1].host_type.sysfs_name(true), "direct-relaxable");
}


/// `struct kvm_userspace_memory_region` (`<linux/kvm.h>`).
#[repr(C)]
struct KvmRegion {
    slot: u32,
    flags: u32,
    guest_phys_addr: u64,
    memory_size: u64,
    userspace_addr: u64,
}

/// SPEC H4 through the crate: no layout (ENOENT), a file that is not a VM
/// (EINVAL with KVM loaded, ENOPKG without it or under lib/fakedev.c,
/// which sees no VM), and with /dev/kvm a VM holding one memslot a page
/// short of RAM: one unbacked page, typed.
fn check_kvm() {
    use std::os::unix::io::{AsRawFd, FromRawFd};
    const ENOPKG: i32 = 65;
    let fake = std::env::var("LD_PRELOAD").map_or(false, |v| v.contains("fakedev"));
    let kvm_loaded = std::path::Path::new("/sys/module/kvm").exists();
    let dev = Device::open().unwrap();
    let null = std::fs::File::open("/dev/null").unwrap();
    assert_eq!(dev.check_kvm(&null).unwrap_err().errno(), Some(ENOENT));
    let ram = [rn(0, GB, 0)];
    let mmio = [r(GB, 2 * GB)];
    let mut req = Request::new(RamSource::Ranges(&ram));
    req.mmio = &mmio;
    let acc = dev.set_layout(&req).unwrap();
    let not_vm = if fake || !kvm_loaded { ENOPKG } else { EINVAL };
    assert_eq!(dev.check_kvm(&null).unwrap_err().errno(), Some(not_vm));
    let kvm = match std::fs::OpenOptions::new().read(true).write(true).open("/dev/kvm") {
        Ok(f) => f,
        Err(_) => return, // no KVM here: the cases above are all there is
    };
    // KVM_CREATE_VM = _IO(0xAE, 0x01); KVM_SET_USER_MEMORY_REGION =
    // _IOW(0xAE, 0x46, 32 bytes).
    let fd = unsafe { sys::ioctl(kvm.as_raw_fd(), 0xae01, 0) };
    assert!(fd >= 0, "KVM_CREATE_VM: {}", std::io::Error::last_os_error());
    let vm = unsafe { std::fs::File::from_raw_fd(fd) };
    let size = GB - PAGE;
    let mem = unsafe {
        sys::mmap(
            std::ptr::null_mut(),
            size as usize,
            sys::PROT_READ | sys::PROT_WRITE,
            sys::MAP_PRIVATE | 0x20 | 0x4000, // MAP_ANONYMOUS | MAP_NORESERVE
            -1,
            0,
        )
    };
    assert!(mem as usize != !0, "mmap: {}", std::io::Error::last_os_error());
    let region = KvmRegion {
        slot: 3,
        flags: 0,
        guest_phys_addr: 0,
        memory_size: size,
        userspace_addr: mem as usize as u64,
    };
    let ret = unsafe { sys::ioctl(vm.as_raw_fd(), 0x4020_ae46, &region as *const KvmRegion) };
    assert_eq!(ret, 0, "KVM_SET_USER_MEMORY_REGION: {}", std::io::Error::last_os_error());
    let got = dev.check_kvm(&vm);
    drop(vm);
    unsafe { sys::munmap(mem, size as usize) };
    if fake {
        assert_eq!(got.unwrap_err().errno(), Some(ENOPKG));
        return;
    }
    let audit = got.unwrap();
    assert_eq!(
        audit,
        KvmAudit {
            generation: acc.generation,
            nr_slots: 1,
            nr_as: 1,
            findings: vec![KvmFinding {
                kind: KvmFindingKind::Unbacked,
                as_id: 0,
                range: GB - PAGE..GB,
                layout: Some(KvmLayoutRange { list: sys::LIST_RAM, index: 0, range: 0..GB }),
                slot: None,
            }],
        }
    );
}

const TESTS: &[Test] = &[
    ("layout (seed, upstream)", layout, false),
    ("check_host: H1 at 2^phys_bits, device errors (SPEC H1)", check_host_h1, false),
    ("check_host: devices, H2, H3 (fakedev's host; SPEC H2, H3)", check_host_devices, false),
    ("check_kvm: errors, a VM a page short (SPEC H4)", check_kvm, false),
    ("bad_layout (seed, upstream)", bad_layout, false),
    ("probe_address (seed, upstream)", probe_address, false),
    (
        "probe batch with covering ranges",
        probe_batch_ranges,
        false,
    ),
    ("pci_ranges (upstream)", pci_ranges, false),
    ("resolved_ranges_* (upstream)", resolved_ranges, false),
    ("numa_* (upstream)", numa, false),
    ("figures at 4 GiB (SPEC D2)", figures_at_4gb, false),
    ("vtl2 range", vtl2, false),
    ("dry run", dry_run, false),
    ("rejection keeps the layout", rejection_keeps_layout, false),
    ("snapshot of many ranges", snapshot_many_ranges, false),
    ("GET_INFO", info, false),
    ("no layout yet", no_layout, false),
    ("R8 too many ranges", too_many_ranges, false),
    (
        "view: answers equal PROBE's, generation GET_STATS' (SPEC V1, V2)",
        view_probe_equals_ioctl,
        false,
    ),
    (
        "view: no layout, too large for the view (SPEC V3)",
        view_too_large,
        false,
    ),
    (
        "view: writable, executable, private mappings refused (SPEC V3)",
        view_refused_mappings,
        false,
    ),
    (
        "view: readers during replacements see one layout (SPEC V2)",
        view_while_replaced,
        false,
    ),
    (
        "snapshot while another thread replaces the layout",
        snapshot_while_replaced,
        true,
    ),
    (
        "place: empty_input (upstream), R5",
        place_empty_input,
        false,
    ),
    (
        "place: fixed_request_is_reported, hypertransport hole (upstream)",
        place_fixed_reported,
        false,
    ),
    (
        "place: fixed/reserved_overlap_rejected (upstream), P3 pair",
        place_pinned_overlap,
        false,
    ),
    (
        "place: invalid_request_rejected (upstream), P1/P2/R2 check order",
        place_invalid_requests,
        false,
    ),
    (
        "place: unsupported kinds, one VTL2",
        place_unsupported_kind,
        false,
    ),
    (
        "place: mmio32 top down (upstream)",
        place_mmio32_top_down,
        false,
    ),
    (
        "place: mmio32 by alignment, size, call order (upstream)",
        place_mmio32_order,
        false,
    ),
    (
        "place: ram from zero, in order (upstream)",
        place_ram_in_order,
        false,
    ),
    (
        "place: ram splits around fixed and mmio32 (upstream)",
        place_ram_splits,
        false,
    ),
    (
        "place: ram rounds down, never backfills (upstream)",
        place_ram_round_down_no_backfill,
        false,
    ),
    (
        "place: ram sorted around a BAR (upstream)",
        place_ram_sorted_around_bar,
        false,
    ),
    (
        "place: mmio64 above 4G and RAM (upstream)",
        place_mmio64,
        false,
    ),
    (
        "place: post-MMIO last, in order (upstream)",
        place_post_mmio,
        false,
    ),
    ("place: reserved ranges (upstream)", place_reserved, false),
    (
        "place: exhaustion in every phase with free bytes (upstream, P4)",
        place_exhausted,
        false,
    ),
    ("place: near MAX_ADDRESS", place_near_max_address, false),
    ("place: memory-less node (D8)", place_memoryless_node, false),
    (
        "place: tags and kinds (upstream)",
        place_tags_and_kinds,
        false,
    ),
    (
        "place: deterministic (upstream)",
        place_deterministic,
        false,
    ),
    (
        "place: q35, two nodes, ECAM, PCI window, VTL2 (issue 9)",
        place_q35,
        false,
    ),
    ("place: R8 and count negotiation", place_too_many, false),
    (
        "place: dry run, rejection keeps the layout, GET_PLACEMENTS",
        place_dry_run_and_rejection,
        false,
    ),
    (
        "place: raw requests refused by the interface",
        place_raw_requests,
        false,
    ),
];

fn main() {
    println!("1..{}", TESTS.len());
    // Opened, not stat()ed: lib/fakedev.c plays the device by
    // intercepting open().
    if let Err(e) = Device::open() {
        for (i, (name, _, _)) in TESTS.iter().enumerate() {
            println!(
                "ok {} - rust: {} # SKIP cannot open {}: {}",
                i + 1,
                name,
                DEVICE_PATH,
                e
            );
        }
        return;
    }
    panic::set_hook(Box::new(|p| {
        let msg = p
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let at = p.location().map(|l| l.to_string()).unwrap_or_default();
        for line in format!("{} at {}", msg, at).lines() {
            println!("# {}", line);
        }
    }));
    let mut failed = 0;
    let single = std::env::var_os("MEMLAYOUT_TEST_SINGLE_THREAD").is_some();
    for (i, (name, f, threads)) in TESTS.iter().enumerate() {
        if *threads && single {
            println!("ok {} - rust: {} # SKIP one thread only here", i + 1, name);
        } else if panic::catch_unwind(f).is_ok() {
            println!("ok {} - rust: {}", i + 1, name);
        } else {
            println!("not ok {} - rust: {}", i + 1, name);
            failed += 1;
        }
    }
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
