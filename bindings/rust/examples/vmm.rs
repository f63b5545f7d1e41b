//! A VMM's memory setup on the memlayout crate: a two-node q35 layout with
//! ECAM and a 64-bit PCI window, read back in one snapshot, rendered as
//! e820 and SRAT, probed in a batch, and a rejected request reported; then
//! the same kind of guest placed by the kernel from requests (SPEC C4,
//! upstream's LayoutBuilder), and a request that cannot fit.
//! Its output is compared with examples/vmm.expect in `make check`.

use memlayout::firmware::{e820, srat_memory};
use memlayout::{hex, LayoutBuilder, MemoryLayout, MemoryRange, PlacedKind, Placement};

const MB: u64 = 1 << 20;
const GB: u64 = 1 << 30;

fn main() {
    if let Err(e) = run() {
        eprintln!("vmm: {}", e);
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let chipset = [MemoryRange::new(0xf000_0000..4 * GB)]; // IOAPIC, LAPIC, HPET, flash
    let ecam = [MemoryRange::new(0xe000_0000..0xf000_0000)]; // 256 buses
    let pci = [
        MemoryRange::new(0xc000_0000..0xe000_0000), // 32-bit BARs
        MemoryRange::new(256 * GB..288 * GB),       // 64-bit BARs
    ];
    let layout = MemoryLayout::new_with_numa(&[2 * GB, 4 * GB], &chipset, &ecam, &pci, None)?;

    let snap = layout.snapshot();
    println!(
        "generation {} fingerprint {}",
        snap.generation,
        hex(&snap.fingerprint)
    );
    for e in &snap.entries {
        println!("{:<8} {} node {}", e.kind.name(), e.range, e.vnode);
    }
    for e in e820(snap, true) {
        println!("e820 {:#014x} {:#014x} type {}", e.addr, e.size, e.kind);
    }
    for m in srat_memory(snap) {
        println!(
            "srat node {} {:#014x} {:#014x}",
            m.proximity_domain, m.base, m.length
        );
    }

    let addrs = [
        0x9f000,
        0xb000_0000,
        0xe010_0000,
        0xfee0_0000,
        5 * GB,
        260 * GB,
        300 * GB,
    ];
    for hit in layout.probe_batch(&addrs)? {
        match (hit.address_type, hit.range, hit.index) {
            (Some(t), Some(r), Some(i)) => {
                println!("probe {:#x}: {}[{}] {}", hit.address, t.name(), i, r)
            }
            _ => println!("probe {:#x}: none", hit.address),
        }
    }

    // An ECAM window misplaced over the 32-bit BARs: the kernel names the
    // rule and both ranges.
    let bad = [MemoryRange::new(0xd000_0000..0xe000_0000)];
    match MemoryLayout::new_with_numa(&[2 * GB, 4 * GB], &chipset, &bad, &pci, None) {
        Ok(_) => println!("unexpectedly accepted"),
        Err(e) => println!("rejected: {}", e),
    }
    place()?;
    Ok(())
}

/// The kernel places the guest: a fixed chipset block, ECAM below 4 GiB,
/// two 3 GiB nodes, a 64 GiB 64-bit PCI window and VTL2 after everything.
fn place() -> Result<(), memlayout::AllocateError> {
    let mut b = LayoutBuilder::new();
    b.fixed(
        "lapic_ioapic",
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
    .ram("node1", 3 * GB, GB)
    .request("pci64", PlacedKind::PciMmio, 64 * GB, GB, Placement::Mmio64)
    .request(
        "vtl2",
        PlacedKind::Vtl2,
        64 * MB,
        2 * MB,
        Placement::PostMmio,
    );
    let (layout, placed) = b.build()?;
    println!(
        "placed generation {} fingerprint {}",
        layout.generation(),
        hex(&layout.fingerprint())
    );
    for p in &placed {
        let node = p.node.map_or("-".to_string(), |n| n.to_string());
        println!(
            "place {:<12} {:<9} {:<8} {} node {}",
            p.tag, p.class, p.kind, p.range, node
        );
    }
    println!(
        "placed ram {:#x} end_of_ram {:#x} end_of_layout {:#x}",
        layout.ram_size(),
        layout.end_of_ram(),
        layout.end_of_layout()
    );

    // A 4 GiB BAR asked for below 4 GiB: the kernel names the request,
    // the phase and the space that was left.
    b.request("gpu", PlacedKind::PciMmio, 4 * GB, GB, Placement::Mmio32);
    match b.dry_run(layout.device()) {
        Ok(_) => println!("unexpectedly placed"),
        Err(e) => println!("not placed: {}", e),
    }
    Ok(())
}
