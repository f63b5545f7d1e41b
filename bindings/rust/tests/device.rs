//! The crate against a real `/dev/memlayout` (the module in the test
//! guests, or libmemlayout's offline engine through lib/fakedev.c on the
//! host): the scenarios of the seed's unit tests (`layout`, `bad_layout`,
//! `probe_address` in seed/memory.rs) and of upstream OpenVMM's
//! corresponding ones, written anew, plus the interface's extras.
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
    let want: [(Option<AddressType>, Option<(MemoryRangeWithNode, u32)>); 9] = [
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

/// GET_INFO answers what this crate relies on.
fn info() {
    let i = Device::open().unwrap().info().unwrap();
    assert_eq!(i.api_version, 1);
    assert_eq!(i.page_size, sys::PAGE_SIZE);
    assert_eq!(i.max_address, sys::MAX_ADDRESS);
    assert!(i.max_probe >= 1 && i.max_ranges >= 1);
    for nr in [0x00, 0x10, 0x11, 0x12, 0x13, 0x20] {
        assert!(i.commands & (1u64 << nr) != 0, "command {:#x} missing", nr);
    }
    assert!(i.set_flags & sys::SET_DRY_RUN != 0);
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

/// A test: its name, its function, and whether it needs two threads on
/// one device file (skipped with MEMLAYOUT_TEST_SINGLE_THREAD set: the
/// offline engine behind lib/fakedev.c has no lock).
type Test = (&'static str, fn(), bool);

const TESTS: &[Test] = &[
    ("layout (seed, upstream)", layout, false),
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
        "snapshot while another thread replaces the layout",
        snapshot_while_replaced,
        true,
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
