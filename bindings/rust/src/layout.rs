//! [`MemoryLayout`]: OpenVMM's `vm_topology::memory::MemoryLayout`, built
//! and validated by the kernel.

use crate::device::{Device, ProbeHit, RamSource, Request, Snapshot, Stats};
use crate::error::Error;
use crate::range::{MemoryRange, MemoryRangeWithNode};
use crate::sys;
use std::sync::Arc;

/// The type backing an address (upstream's `AddressType`).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressType {
    /// The address describes RAM.
    Ram,
    /// The address describes MMIO.
    Mmio,
    /// The address describes PCI ECAM.
    PciEcam,
    /// The address describes PCI MMIO.
    PciMmio,
}

impl AddressType {
    /// The type of a `MEMLAYOUT_KIND_*` value; `None` for
    /// `MEMLAYOUT_KIND_NONE` and for values not known here.
    pub fn from_kind(kind: u32) -> Option<Self> {
        match kind {
            sys::KIND_RAM => Some(Self::Ram),
            sys::KIND_MMIO => Some(Self::Mmio),
            sys::KIND_PCI_ECAM => Some(Self::PciEcam),
            sys::KIND_PCI_MMIO => Some(Self::PciMmio),
            _ => None,
        }
    }

    /// The `MEMLAYOUT_KIND_*` value, which is also the `MEMLAYOUT_LIST_*`
    /// value of the list holding ranges of this type.
    pub fn kind(self) -> u32 {
        match self {
            Self::Ram => sys::KIND_RAM,
            Self::Mmio => sys::KIND_MMIO,
            Self::PciEcam => sys::KIND_PCI_ECAM,
            Self::PciMmio => sys::KIND_PCI_MMIO,
        }
    }

    /// The name libmemlayout and `memlayoutctl` use ("ram", "mmio",
    /// "pci_ecam", "pci_mmio").
    pub fn name(self) -> &'static str {
        crate::error::kind_name(self.kind()).expect("every type has a name")
    }
}

/// Describes the memory layout of a guest.
///
/// The API of OpenVMM's `vm_topology::memory::MemoryLayout`, so that a
/// Rust VMM can swap it in, with the layout built, validated and held by
/// the kernel: each constructor opens `/dev/memlayout`, sends the request
/// (SET_LAYOUT) and reads the accepted layout back in one consistent call
/// (GET_LAYOUT). The value keeps the file open; [`probe_address`] asks the
/// kernel. Clones share the file.
///
/// Where the kernel's contract (`SPEC.md`) differs from upstream, the
/// kernel's wins: an empty range is an error, Q4-Q6 count bytes exactly
/// at 4 GiB, RAM that cannot all be placed is an error.
///
/// [`probe_address`]: MemoryLayout::probe_address
#[derive(Debug, Clone)]
pub struct MemoryLayout {
    device: Arc<Device>,
    ram: Vec<MemoryRangeWithNode>,
    mmio: Vec<MemoryRange>,
    pci_ecam: Vec<MemoryRange>,
    pci_mmio: Vec<MemoryRange>,
    snapshot: Snapshot,
}

impl MemoryLayout {
    /// Makes a new memory layout for a guest with `ram_size` bytes of
    /// memory (SPEC C1), placed upward from 0 around the gaps of all three
    /// kinds, all on vnode 0.
    ///
    /// `ram_size` must be a non-zero multiple of the page size. Each gap
    /// list must be in order and non-overlapping, and no two ranges of any
    /// lists may overlap. `vtl2_range` is memory reserved for VTL2, above
    /// all RAM; it is not reported in [`ram`](MemoryLayout::ram).
    pub fn new(
        ram_size: u64,
        mmio_gaps: &[MemoryRange],
        pci_ecam_gaps: &[MemoryRange],
        pci_mmio_gaps: &[MemoryRange],
        vtl2_range: Option<MemoryRange>,
    ) -> Result<Self, Error> {
        Self::build(Request {
            ram: RamSource::Size(ram_size),
            mmio: mmio_gaps,
            pci_ecam: pci_ecam_gaps,
            pci_mmio: pci_mmio_gaps,
            vtl2: vtl2_range,
            dry_run: false,
        })
    }

    /// Makes a new memory layout with RAM split into vNUMA nodes (SPEC
    /// C2): node 0 gets the first `numa_mem_sizes[0]` bytes placed as
    /// [`new`](MemoryLayout::new) places them, node 1 the next, and so on;
    /// a chunk between two gaps is split where a node's budget ends.
    pub fn new_with_numa(
        numa_mem_sizes: &[u64],
        mmio_gaps: &[MemoryRange],
        pci_ecam_gaps: &[MemoryRange],
        pci_mmio_gaps: &[MemoryRange],
        vtl2_range: Option<MemoryRange>,
    ) -> Result<Self, Error> {
        Self::build(Request {
            ram: RamSource::Nodes(numa_mem_sizes),
            mmio: mmio_gaps,
            pci_ecam: pci_ecam_gaps,
            pci_mmio: pci_mmio_gaps,
            vtl2: vtl2_range,
            dry_run: false,
        })
        .map_err(|e| match e {
            Error::BadNumaSize(r) if numa_mem_sizes.is_empty() => Error::EmptyNumaSizes(r),
            e => e,
        })
    }

    /// Makes a new memory layout from explicit RAM ranges and MMIO gaps
    /// (SPEC C3). `memory` and `gaps` must each be sorted, non-overlapping
    /// and page aligned; the RAM ranges are kept exactly as given.
    pub fn new_from_ranges(
        memory: &[MemoryRangeWithNode],
        gaps: &[MemoryRange],
    ) -> Result<Self, Error> {
        Self::new_from_resolved_ranges(memory.to_vec(), gaps.to_vec(), vec![], vec![], None)
    }

    /// Makes a new memory layout from already resolved RAM ranges, the
    /// three hole lists and a VTL2 range (SPEC C3 with every list), as a
    /// VMM that placed its address space itself has them.
    pub fn new_from_resolved_ranges(
        ram: Vec<MemoryRangeWithNode>,
        mmio_gaps: Vec<MemoryRange>,
        pci_ecam_gaps: Vec<MemoryRange>,
        pci_mmio_gaps: Vec<MemoryRange>,
        vtl2_range: Option<MemoryRange>,
    ) -> Result<Self, Error> {
        Self::build(Request {
            ram: RamSource::Ranges(&ram),
            mmio: &mmio_gaps,
            pci_ecam: &pci_ecam_gaps,
            pci_mmio: &pci_mmio_gaps,
            vtl2: vtl2_range,
            dry_run: false,
        })
    }

    /// Sends `request` on a newly opened `/dev/memlayout` and reads the
    /// layout back. A dry-run request is refused (`EINVAL`): use
    /// [`Device::set_layout`] to check a layout without building one.
    pub fn build(request: Request<'_>) -> Result<Self, Error> {
        Self::build_on(Device::open()?, request)
    }

    /// As [`build`](MemoryLayout::build), on a device the caller opened.
    pub fn build_on(device: Device, request: Request<'_>) -> Result<Self, Error> {
        if request.dry_run {
            return Err(Error::Io(std::io::Error::from_raw_os_error(22)));
        }
        device.set_layout(&request)?;
        Self::from_device(device)
    }

    /// The layout a device file already holds.
    pub fn from_device(device: Device) -> Result<Self, Error> {
        let snapshot = device.snapshot()?;
        let pick = |t: AddressType| {
            snapshot
                .ranges_of(t)
                .map(|e| e.range)
                .collect::<Vec<MemoryRange>>()
        };
        Ok(Self {
            ram: snapshot
                .ranges_of(AddressType::Ram)
                .map(|e| MemoryRangeWithNode {
                    range: e.range,
                    vnode: e.vnode,
                })
                .collect(),
            mmio: pick(AddressType::Mmio),
            pci_ecam: pick(AddressType::PciEcam),
            pci_mmio: pick(AddressType::PciMmio),
            device: Arc::new(device),
            snapshot,
        })
    }

    /// The MMIO gap ranges.
    pub fn mmio(&self) -> &[MemoryRange] {
        &self.mmio
    }

    /// The PCI ECAM ranges.
    pub fn pci_ecam(&self) -> &[MemoryRange] {
        &self.pci_ecam
    }

    /// The PCI MMIO ranges.
    pub fn pci_mmio(&self) -> &[MemoryRange] {
        &self.pci_mmio
    }

    /// The populated RAM ranges. This does not include the VTL2 range.
    pub fn ram(&self) -> &[MemoryRangeWithNode] {
        &self.ram
    }

    /// A special memory range for VTL2, if any: treated like RAM, but only
    /// used to hold VTL2, above RAM and MMIO.
    pub fn vtl2_range(&self) -> Option<MemoryRange> {
        self.snapshot.stats.vtl2_range
    }

    /// The total RAM size in bytes (SPEC Q2). This is not contiguous.
    pub fn ram_size(&self) -> u64 {
        self.snapshot.stats.ram_size
    }

    /// One past the last byte of RAM (SPEC Q3).
    pub fn end_of_ram(&self) -> u64 {
        self.snapshot.stats.end_of_ram
    }

    /// The bytes of RAM below 4 GiB (SPEC Q4).
    pub fn ram_below_4gb(&self) -> u64 {
        self.snapshot.stats.ram_below_4gb
    }

    /// The bytes of RAM at or above 4 GiB (SPEC Q5).
    pub fn ram_above_4gb(&self) -> u64 {
        self.snapshot.stats.ram_above_4gb
    }

    /// The bytes of RAM above the high MMIO gap (SPEC Q7); `None` unless
    /// there are exactly two MMIO gaps.
    pub fn ram_above_high_mmio(&self) -> Option<u64> {
        self.snapshot.stats.ram_above_high_mmio
    }

    /// The end of RAM below 4 GiB (SPEC Q6); `None` when no RAM starts
    /// below 4 GiB.
    pub fn max_ram_below_4gb(&self) -> Option<u64> {
        self.snapshot.stats.max_ram_below_4gb
    }

    /// One past the last byte of RAM or of any hole (SPEC Q8).
    pub fn end_of_layout(&self) -> u64 {
        self.snapshot.stats.end_of_layout
    }

    /// The seed's name for [`end_of_layout`](MemoryLayout::end_of_layout).
    pub fn end_of_ram_or_mmio(&self) -> u64 {
        self.end_of_layout()
    }

    /// Probes `address` (SPEC Q9): the [`AddressType`] of the range that
    /// contains it, or `None`. The VTL2 range probes as `None`.
    ///
    /// The kernel answers (PROBE); should the call fail, the same answer
    /// is looked up in the ranges read at construction, which are the
    /// file's layout.
    pub fn probe_address(&self, address: u64) -> Option<AddressType> {
        match self.device.probe(&[address]) {
            Ok((kinds, _)) => kinds[0],
            Err(_) => self
                .snapshot
                .entries
                .iter()
                .find(|e| e.range.contains_addr(address))
                .map(|e| e.kind),
        }
    }

    /// Probes many addresses in one call, each with the range that covers
    /// it.
    pub fn probe_batch(&self, addresses: &[u64]) -> Result<Vec<ProbeHit>, Error> {
        Ok(self.device.probe_ranges(addresses)?.0)
    }

    /// The layout's generation on its file.
    pub fn generation(&self) -> u64 {
        self.snapshot.generation
    }

    /// The layout's SHA-256 fingerprint (SPEC F1), as the kernel computed
    /// it; [`fingerprint`](crate::fingerprint()) computes the same here.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.snapshot.fingerprint
    }

    /// The figures as the kernel reported them.
    pub fn stats(&self) -> &Stats {
        &self.snapshot.stats
    }

    /// The whole layout as read (every range in address order).
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The device file holding the layout.
    pub fn device(&self) -> &Device {
        &self.device
    }
}
