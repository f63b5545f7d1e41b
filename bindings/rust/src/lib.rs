//! Guest-physical memory layouts for virtual machines, built, validated
//! and probed by the Linux kernel's `memlayout` module through
//! `/dev/memlayout`.
//!
//! [`MemoryLayout`] has the API of OpenVMM's
//! `vm_topology::memory::MemoryLayout` (constructors, accessors,
//! [`MemoryLayout::probe_address`], the [`Error`] variants), so a Rust VMM
//! can swap it in; [`LayoutBuilder`] has the shape of OpenVMM's
//! `vm_topology::layout::LayoutBuilder` and lets the kernel place the
//! whole address space from requests (SPEC C4); [`Device`] is the whole
//! ioctl interface (snapshots, batch probes with covering ranges, dry
//! runs, fingerprints, placements), [`View`] maps a file's shared view
//! and probes it with no system call (SPEC V1-V3), and [`firmware`]
//! renders e820 and SRAT entries from a [`Snapshot`]. [`Device::check_host`]
//! checks the layout against this host's CPU width and the IOMMUs of the
//! devices a VMM assigns (SPEC H1-H3); [`Device::check_kvm`] checks it
//! against the memslots of the caller's KVM VM (SPEC H4).
//!
//! The crate has no dependencies and builds with Rust 1.63.
//!
//! ```no_run
//! use memlayout::{AddressType, MemoryLayout, MemoryRange};
//! const GB: u64 = 1 << 30;
//! let mmio = [MemoryRange::new(3 * GB..4 * GB)];
//! let layout = MemoryLayout::new(4 * GB, &mmio, &[], &[], None)?;
//! assert_eq!(layout.end_of_ram(), 5 * GB);
//! assert_eq!(layout.probe_address(3 * GB), Some(AddressType::Mmio));
//! # Ok::<(), memlayout::Error>(())
//! ```
#![deny(missing_docs)]

mod device;
mod error;
mod fingerprint;
pub mod firmware;
mod host;
mod kvm;
mod layout;
mod place;
mod range;
pub mod sys;
mod view;

pub use device::{
    Accepted, Device, LayoutEntry, PlacedEntry, ProbeHit, RamSource, Request, Snapshot, Stats,
    DEVICE_PATH,
};
pub use error::{
    class_name, errno_text, field_name, kind_name, list_name, rule_name, Error, Reason,
};
pub use fingerprint::{fingerprint, hex, Sha256};
pub use host::{
    DeviceFit, Domain, HostConflict, HostDevice, HostFit, HostRule, HostType, PciAddress,
};
pub use kvm::{kvm_flags_name, KvmAudit, KvmFinding, KvmFindingKind, KvmLayoutRange, KvmSlot};
pub use layout::{AddressType, MemoryLayout};
pub use place::{
    AllocateError, AllocationPhase, LayoutBuilder, PlaceReason, PlacedClass, PlacedKind,
    PlacedRange, Placement,
};
pub use range::{InvalidMemoryRange, MemoryRange, MemoryRangeWithNode};
pub use view::{View, ViewHit};

#[cfg(test)]
mod tests;
