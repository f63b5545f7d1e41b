//! Raw mirrors of `include/uapi/linux/memlayout.h`.
//!
//! Every struct is `#[repr(C)]` with the header's member order; a compile
//! time check holds each to the header's `MEMLAYOUT_*_SIZE_VER*` value, so
//! a header change that this file misses fails the build. Most users never
//! need this module: [`Device`](crate::Device) and
//! [`MemoryLayout`](crate::MemoryLayout) wrap it.

use std::os::raw::{c_int, c_long, c_ulong, c_void};

/// `MEMLAYOUT_PAGE_SIZE`: every address and size is a multiple of it.
pub const PAGE_SIZE: u64 = 4096;
/// `MEMLAYOUT_MAX_ADDRESS`: the highest end a range may have (2^64 - 4096).
pub const MAX_ADDRESS: u64 = !0u64 - PAGE_SIZE + 1;

/// `MEMLAYOUT_KIND_NONE`: no range covers the address (or it is VTL2).
pub const KIND_NONE: u32 = 0;
/// `MEMLAYOUT_KIND_RAM`: guest RAM.
pub const KIND_RAM: u32 = 1;
/// `MEMLAYOUT_KIND_MMIO`: an MMIO gap.
pub const KIND_MMIO: u32 = 2;
/// `MEMLAYOUT_KIND_PCI_ECAM`: a PCI ECAM window.
pub const KIND_PCI_ECAM: u32 = 3;
/// `MEMLAYOUT_KIND_PCI_MMIO`: a PCI MMIO (BAR) window.
pub const KIND_PCI_MMIO: u32 = 4;

/// `MEMLAYOUT_LIST_NONE`: a rejection not about one list.
pub const LIST_NONE: u32 = 0;
/// `MEMLAYOUT_LIST_RAM`: RAM ranges (given or placed).
pub const LIST_RAM: u32 = 1;
/// `MEMLAYOUT_LIST_MMIO`: MMIO gaps.
pub const LIST_MMIO: u32 = 2;
/// `MEMLAYOUT_LIST_PCI_ECAM`: PCI ECAM holes.
pub const LIST_PCI_ECAM: u32 = 3;
/// `MEMLAYOUT_LIST_PCI_MMIO`: PCI MMIO holes.
pub const LIST_PCI_MMIO: u32 = 4;
/// `MEMLAYOUT_LIST_VTL2`: the VTL2 range (index 0).
pub const LIST_VTL2: u32 = 5;
/// `MEMLAYOUT_LIST_NODES`: the per-node RAM sizes.
pub const LIST_NODES: u32 = 6;
/// `MEMLAYOUT_LIST_PLACE`: the placement requests (SPEC C4); the index is
/// the request's position in the array.
pub const LIST_PLACE: u32 = 7;

/// `MEMLAYOUT_RULE_NONE`: accepted, or not a rule (e.g. `ENOMEM`).
pub const RULE_NONE: u32 = 0;
/// `MEMLAYOUT_RULE_BAD_SIZE` (SPEC R1, `EINVAL`).
pub const RULE_BAD_SIZE: u32 = 1;
/// `MEMLAYOUT_RULE_BAD_RANGE` (SPEC R2, `EINVAL`).
pub const RULE_BAD_RANGE: u32 = 2;
/// `MEMLAYOUT_RULE_BAD_ORDER` (SPEC R3, `EINVAL`).
pub const RULE_BAD_ORDER: u32 = 3;
/// `MEMLAYOUT_RULE_OVERLAP` (SPEC R4, `EEXIST`).
pub const RULE_OVERLAP: u32 = 4;
/// `MEMLAYOUT_RULE_NO_RAM` (SPEC R5, `EINVAL`).
pub const RULE_NO_RAM: u32 = 5;
/// `MEMLAYOUT_RULE_TOO_LARGE` (SPEC R6, `EOVERFLOW`).
pub const RULE_TOO_LARGE: u32 = 6;
/// `MEMLAYOUT_RULE_VTL2_BELOW_RAM` (SPEC R7, `EINVAL`).
pub const RULE_VTL2_BELOW_RAM: u32 = 7;
/// `MEMLAYOUT_RULE_TOO_MANY` (SPEC R8, `E2BIG`).
pub const RULE_TOO_MANY: u32 = 8;
/// `MEMLAYOUT_RULE_PLACE_SIZE` (SPEC P1, `EINVAL`).
pub const RULE_PLACE_SIZE: u32 = 9;
/// `MEMLAYOUT_RULE_PLACE_ALIGN` (SPEC P2, `EINVAL`).
pub const RULE_PLACE_ALIGN: u32 = 10;
/// `MEMLAYOUT_RULE_PINNED_OVERLAP` (SPEC P3, `EEXIST`).
pub const RULE_PINNED_OVERLAP: u32 = 11;
/// `MEMLAYOUT_RULE_EXHAUSTED` (SPEC P4, `ENOSPC`).
pub const RULE_EXHAUSTED: u32 = 12;
/// `MEMLAYOUT_REASON_FLAGS`: an unknown flag bit or source.
pub const REASON_FLAGS: u32 = 16;
/// `MEMLAYOUT_REASON_RESERVED`: a field that must be zero is not.
pub const REASON_RESERVED: u32 = 17;
/// `MEMLAYOUT_REASON_SIZE`: the struct's size or tail is not understood.
pub const REASON_SIZE: u32 = 18;

/// `MEMLAYOUT_SOURCE_SIZE`: RAM from one size (SPEC C1).
pub const SOURCE_SIZE: u32 = 1;
/// `MEMLAYOUT_SOURCE_NODES`: RAM from per-node sizes (SPEC C2).
pub const SOURCE_NODES: u32 = 2;
/// `MEMLAYOUT_SOURCE_RANGES`: RAM from explicit ranges (SPEC C3).
pub const SOURCE_RANGES: u32 = 3;
/// `MEMLAYOUT_SOURCE_PLACE`: the whole address space placed from
/// [`PlaceReq`] requests (SPEC C4).
pub const SOURCE_PLACE: u32 = 4;

/// `MEMLAYOUT_CLASS_RESERVED`: kept out of every allocation, not part of
/// the layout.
pub const CLASS_RESERVED: u32 = 1;
/// `MEMLAYOUT_CLASS_FIXED`: a hole pinned where given.
pub const CLASS_FIXED: u32 = 2;
/// `MEMLAYOUT_CLASS_MMIO32`: a hole placed top down below 4 GiB.
pub const CLASS_MMIO32: u32 = 3;
/// `MEMLAYOUT_CLASS_RAM`: one vNUMA node's RAM, placed bottom up.
pub const CLASS_RAM: u32 = 4;
/// `MEMLAYOUT_CLASS_MMIO64`: a hole placed above RAM and 4 GiB.
pub const CLASS_MMIO64: u32 = 5;
/// `MEMLAYOUT_CLASS_POST_MMIO`: a hole or the VTL2 range, placed above
/// everything else in caller order.
pub const CLASS_POST_MMIO: u32 = 6;
/// `MEMLAYOUT_PLACE_VTL2`: [`PlaceReq::kind`] of the (at most one)
/// post-MMIO request that is the layout's VTL2 range.
pub const PLACE_VTL2: u32 = 5;

/// `MEMLAYOUT_SET_VTL2`: [`Set::vtl2`] is given.
pub const SET_VTL2: u32 = 1 << 0;
/// `MEMLAYOUT_SET_DRY_RUN`: check and reply, publish nothing.
pub const SET_DRY_RUN: u32 = 1 << 1;

/// `MEMLAYOUT_STATS_VTL2`: [`Stats::vtl2_start`]/`vtl2_end` are valid.
pub const STATS_VTL2: u32 = 1 << 0;
/// `MEMLAYOUT_STATS_MAX_RAM_BELOW_4GB`: Q6 is valid.
pub const STATS_MAX_RAM_BELOW_4GB: u32 = 1 << 1;
/// `MEMLAYOUT_STATS_RAM_ABOVE_HIGH_MMIO`: Q7 is valid.
pub const STATS_RAM_ABOVE_HIGH_MMIO: u32 = 1 << 2;

/// `MEMLAYOUT_FINGERPRINT_SIZE`: bytes of a SHA-256 fingerprint.
pub const FINGERPRINT_SIZE: usize = 32;
/// `MEMLAYOUT_PROBE_NO_RANGE`: [`ProbeRange::index`] of an uncovered address.
pub const PROBE_NO_RANGE: u32 = 0xffff_ffff;

/// `MEMLAYOUT_IOC_MAGIC`.
pub const IOC_MAGIC: u32 = 0xBA;

/// The kernel's `_IO(type, nr)` on x86, arm64, riscv and the other
/// architectures with the generic ioctl layout: direction and size 0, so
/// the number is `type << 8 | nr`.
pub const fn io(ty: u32, nr: u32) -> c_ulong {
    ((ty << 8) | nr) as c_ulong
}

/// `MEMLAYOUT_IOC_GET_INFO`.
pub const IOC_GET_INFO: c_ulong = io(IOC_MAGIC, 0x00);
/// `MEMLAYOUT_IOC_SET_LAYOUT`.
pub const IOC_SET_LAYOUT: c_ulong = io(IOC_MAGIC, 0x10);
/// `MEMLAYOUT_IOC_GET_STATS`.
pub const IOC_GET_STATS: c_ulong = io(IOC_MAGIC, 0x11);
/// `MEMLAYOUT_IOC_GET_RANGES`.
pub const IOC_GET_RANGES: c_ulong = io(IOC_MAGIC, 0x12);
/// `MEMLAYOUT_IOC_GET_LAYOUT`.
pub const IOC_GET_LAYOUT: c_ulong = io(IOC_MAGIC, 0x13);
/// `MEMLAYOUT_IOC_GET_PLACEMENTS`.
pub const IOC_GET_PLACEMENTS: c_ulong = io(IOC_MAGIC, 0x14);
/// `MEMLAYOUT_IOC_PROBE`.
pub const IOC_PROBE: c_ulong = io(IOC_MAGIC, 0x20);
/// `MEMLAYOUT_IOC_CHECK_HOST` (SPEC H1-H3).
pub const IOC_CHECK_HOST: c_ulong = io(IOC_MAGIC, 0x30);

/// `MEMLAYOUT_IOC_CHECK_KVM` (SPEC H4).
pub const IOC_CHECK_KVM: c_ulong = io(IOC_MAGIC, 0x31);

/// `MEMLAYOUT_HOST_CPU_WIDTH`: [`HostConflict::rule`] H1.
pub const HOST_CPU_WIDTH: u32 = 1;
/// `MEMLAYOUT_HOST_APERTURE`: [`HostConflict::rule`] H2.
pub const HOST_APERTURE: u32 = 2;
/// `MEMLAYOUT_HOST_RESERVED`: [`HostConflict::rule`] H3.
pub const HOST_RESERVED: u32 = 3;

/// `MEMLAYOUT_DEVICE_PCI`: [`HostDevice::typ`], named by PCI address.
pub const DEVICE_PCI: u32 = 1;
/// `MEMLAYOUT_DEVICE_VFIO`: [`HostDevice::typ`], named by a VFIO file.
pub const DEVICE_VFIO: u32 = 2;
/// `MEMLAYOUT_DEVICE_IOMMU` (out): the device is in an IOMMU group.
pub const DEVICE_IOMMU: u32 = 1 << 0;
/// `MEMLAYOUT_DEVICE_APERTURE` (out): H2 was checked.
pub const DEVICE_APERTURE: u32 = 1 << 1;
/// `MEMLAYOUT_DEVICE_PCI_ADDR` (out): the PCI members name the device.
pub const DEVICE_PCI_ADDR: u32 = 1 << 2;

/// `MEMLAYOUT_DOMAIN_NONE`: no IOMMU, or no domain.
pub const DOMAIN_NONE: u32 = 0;
/// `MEMLAYOUT_DOMAIN_BLOCKED`.
pub const DOMAIN_BLOCKED: u32 = 1;
/// `MEMLAYOUT_DOMAIN_IDENTITY`: passthrough, no aperture.
pub const DOMAIN_IDENTITY: u32 = 2;
/// `MEMLAYOUT_DOMAIN_DMA`: the kernel's DMA API domain.
pub const DOMAIN_DMA: u32 = 3;
/// `MEMLAYOUT_DOMAIN_UNMANAGED`: VFIO type1, iommufd, KVM.
pub const DOMAIN_UNMANAGED: u32 = 4;
/// `MEMLAYOUT_DOMAIN_OTHER`: SVA, nested, ...
pub const DOMAIN_OTHER: u32 = 5;

/// `MEMLAYOUT_RESV_NONE`: [`HostConflict::host_type`] of H1 and H2.
pub const RESV_NONE: u32 = 0;
/// `MEMLAYOUT_RESV_DIRECT`: identity mapped (RMRR, IVMD).
pub const RESV_DIRECT: u32 = 1;
/// `MEMLAYOUT_RESV_RESERVED`: never mapped.
pub const RESV_RESERVED: u32 = 2;
/// `MEMLAYOUT_RESV_MSI`: the hardware MSI window.
pub const RESV_MSI: u32 = 3;
/// `MEMLAYOUT_RESV_SW_MSI`: software-managed MSI (arm64).
pub const RESV_SW_MSI: u32 = 4;
/// `MEMLAYOUT_HOST_RELAXABLE`: [`HostConflict::host_flags`], a direct
/// region the kernel may relax.
pub const HOST_RELAXABLE: u32 = 1 << 0;
/// `MEMLAYOUT_NO_DEVICE`: [`HostConflict::device`] of H1, and
/// [`CheckHost::error_device`] when no device failed.
pub const NO_DEVICE: u32 = 0xffff_ffff;
/// `MEMLAYOUT_CHECK_HOST_SIZE_VER0`.
pub const CHECK_HOST_SIZE_VER0: usize = 48;

/// `struct memlayout_host_device`: one device CHECK_HOST checks (in/out).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostDevice {
    /// In: [`DEVICE_PCI`] or [`DEVICE_VFIO`] (`type` in C).
    pub typ: u32,
    /// In: the VFIO group or device file ([`DEVICE_VFIO`]); else 0.
    pub fd: i32,
    /// In (PCI) / out (VFIO, with [`DEVICE_PCI_ADDR`]): the PCI segment.
    pub pci_segment: u16,
    /// In/out: the bus.
    pub pci_bus: u8,
    /// In/out: `(device << 3) | function`.
    pub pci_devfn: u8,
    /// In: 0; out: `DEVICE_*` flags.
    pub flags: u32,
    /// Out: the IOMMU group's number, with [`DEVICE_IOMMU`].
    pub iommu_group: u32,
    /// Out: `DOMAIN_*` of the group's current domain.
    pub domain_type: u32,
    /// Out: number of reserved regions of the group.
    pub nr_resv: u32,
    /// In: 0; out: 0.
    pub reserved: u32,
    /// Out: first byte of the aperture, with [`DEVICE_APERTURE`].
    pub aperture_start: u64,
    /// Out: its last byte (inclusive).
    pub aperture_last: u64,
}

/// `struct memlayout_host_conflict`: one conflict CHECK_HOST found.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostConflict {
    /// `HOST_*`: H1, H2 or H3.
    pub rule: u32,
    /// The layout range's list (`LIST_*`; VTL2 is [`LIST_VTL2`]).
    pub list: u32,
    /// Its index in that list.
    pub index: u32,
    /// The device's index in the caller's array, or [`NO_DEVICE`] (H1).
    pub device: u32,
    /// The layout range's first byte.
    pub start: u64,
    /// One past its last byte.
    pub end: u64,
    /// First byte of the host range.
    pub host_start: u64,
    /// Last byte of the host range (inclusive).
    pub host_last: u64,
    /// `RESV_*` for H3, else [`RESV_NONE`].
    pub host_type: u32,
    /// [`HOST_RELAXABLE`] or 0.
    pub host_flags: u32,
    /// The CPU width H1 checked against.
    pub phys_bits: u32,
    /// 0.
    pub reserved: u32,
}

/// `struct memlayout_check_host` (`MEMLAYOUT_IOC_CHECK_HOST`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckHost {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// In: number of [`HostDevice`] at `devices_ptr`.
    pub nr_devices: u32,
    /// In: capacity of `conflicts_ptr`; out: the number of conflicts.
    pub count: u32,
    /// In: address of the devices; 0 exactly when `nr_devices` is 0.
    pub devices_ptr: u64,
    /// In: address of `count` [`HostConflict`]; 0 exactly when `count` is 0.
    pub conflicts_ptr: u64,
    /// Out: generation of the layout checked.
    pub generation: u64,
    /// Out: the host CPU's physical address width (H1).
    pub phys_bits: u32,
    /// Out: index of the device that could not be resolved, or [`NO_DEVICE`].
    pub error_device: u32,
}

/// `MEMLAYOUT_KVM_UNBACKED`: [`KvmFinding::kind`], RAM no memslot backs.
pub const KVM_UNBACKED: u32 = 1;
/// `MEMLAYOUT_KVM_READONLY`: RAM backed only by a read-only memslot.
pub const KVM_READONLY: u32 = 2;
/// `MEMLAYOUT_KVM_OVER_HOLE`: a memslot's bytes over a hole.
pub const KVM_OVER_HOLE: u32 = 3;
/// `MEMLAYOUT_KVM_OUTSIDE`: a memslot's bytes outside the layout.
pub const KVM_OUTSIDE: u32 = 4;
/// `MEMLAYOUT_KVM_NO_SLOT`: [`KvmFinding::slot_id`] when no memslot is
/// concerned.
pub const KVM_NO_SLOT: u32 = 0xffff_ffff;
/// `MEMLAYOUT_CHECK_KVM_SIZE_VER0`.
pub const CHECK_KVM_SIZE_VER0: usize = 40;
/// `KVM_MEM_LOG_DIRTY_PAGES` (`<linux/kvm.h>`): [`KvmFinding::slot_flags`].
pub const KVM_MEM_LOG_DIRTY_PAGES: u32 = 1 << 0;
/// `KVM_MEM_READONLY`.
pub const KVM_MEM_READONLY: u32 = 1 << 1;
/// `KVM_MEM_GUEST_MEMFD`.
pub const KVM_MEM_GUEST_MEMFD: u32 = 1 << 2;

/// `struct memlayout_kvm_finding`: one finding of CHECK_KVM.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KvmFinding {
    /// `KVM_*`: [`KVM_UNBACKED`] .. [`KVM_OUTSIDE`].
    pub kind: u32,
    /// The layout range's list (`LIST_*`), [`LIST_NONE`] for [`KVM_OUTSIDE`].
    pub list: u32,
    /// Its index in that list; 0 for none.
    pub index: u32,
    /// The KVM address space (x86: 1 is SMM's).
    pub as_id: u32,
    /// First byte of the finding.
    pub start: u64,
    /// One past its last byte.
    pub end: u64,
    /// The layout range's first byte (0 for none).
    pub range_start: u64,
    /// One past its last byte (0 for none).
    pub range_end: u64,
    /// The memslot's first guest-physical byte (0 for none).
    pub slot_start: u64,
    /// One past its last (0 for none).
    pub slot_end: u64,
    /// The memslot's id (`slot & 0xffff`), or [`KVM_NO_SLOT`].
    pub slot_id: u32,
    /// Its `KVM_MEM_*` flags (0 for none).
    pub slot_flags: u32,
}

/// `struct memlayout_check_kvm` (`MEMLAYOUT_IOC_CHECK_KVM`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckKvm {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// In: a KVM VM file descriptor (from `KVM_CREATE_VM`).
    pub vm_fd: i32,
    /// In: capacity of `findings_ptr`; out: the number of findings.
    pub count: u32,
    /// In: address of `count` [`KvmFinding`]; 0 exactly when `count` is 0.
    pub findings_ptr: u64,
    /// Out: generation of the layout checked.
    pub generation: u64,
    /// Out: memslots read, over every address space.
    pub nr_slots: u32,
    /// Out: address spaces holding at least one memslot.
    pub nr_as: u32,
}

/// `struct memlayout_range`: one guest-physical range.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// First byte, page aligned.
    pub start: u64,
    /// One past the last byte, page aligned.
    pub end: u64,
    /// Virtual NUMA node of a RAM range, 0 for holes and VTL2.
    pub vnode: u32,
    /// Must be zero.
    pub reserved: u32,
}

/// `struct memlayout_info` (`MEMLAYOUT_IOC_GET_INFO`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Info {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// Out: 1.
    pub api_version: u32,
    /// Out: the R8 limit per list.
    pub max_ranges: u32,
    /// Out: most addresses one PROBE accepts.
    pub max_probe: u32,
    /// Out: flag bits SET_LAYOUT accepts.
    pub set_flags: u32,
    /// Out: [`PAGE_SIZE`].
    pub page_size: u64,
    /// Out: [`MAX_ADDRESS`].
    pub max_address: u64,
    /// Out: number of kinds.
    pub nr_kinds: u32,
    /// Out: number of lists.
    pub nr_lists: u32,
    /// Out: highest rule or reason value a rejection can carry.
    pub max_rule: u32,
    /// Out: bit N set when source N is accepted.
    pub sources: u32,
    /// Out: flag bits PROBE accepts.
    pub probe_flags: u32,
    /// Out: flag bits GET_RANGES accepts.
    pub get_ranges_flags: u32,
    /// Out: bit N set when command `_IO(0xBA, N)` exists.
    pub commands: u64,
    /// Out: placement classes are `1 ..= nr_classes` (`CLASS_*`); 0 when
    /// the kernel has no placement (C4), or is older than
    /// [`INFO_SIZE_VER1`].
    pub nr_classes: u32,
    /// Out: most devices one `MEMLAYOUT_IOC_CHECK_HOST` names
    /// ([`CheckHost::nr_devices`]); 0 when the kernel has no host fit
    /// (this member was reserved, and 0, before).
    pub max_devices: u32,
}

/// `struct memlayout_reason`: why SET_LAYOUT rejected a request.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reason {
    /// A `RULE_*` or `REASON_*` value.
    pub rule: u32,
    /// The `LIST_*` holding the offending item.
    pub list: u32,
    /// Its index in that list (R8: the limit).
    pub index: u32,
    /// R4/R7: the list of the other range.
    pub other_list: u32,
    /// R4/R7: the index of the other range.
    pub other_index: u32,
    /// `REASON_*`: byte offset of the offending member.
    pub field: u32,
}

/// `struct memlayout_set` (`MEMLAYOUT_IOC_SET_LAYOUT`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Set {
    /// In: the struct's size.
    pub size: u32,
    /// In: [`SET_VTL2`], [`SET_DRY_RUN`].
    pub flags: u32,
    /// In: a `SOURCE_*` value.
    pub source: u32,
    /// In (C2): number of node sizes.
    pub nr_nodes: u32,
    /// In (C1): bytes of RAM.
    pub ram_size: u64,
    /// In (C2): address of the node sizes.
    pub nodes_ptr: u64,
    /// In (C3): address of the RAM ranges.
    pub ram_ptr: u64,
    /// In: address of the MMIO gaps.
    pub mmio_ptr: u64,
    /// In: address of the PCI ECAM holes.
    pub pci_ecam_ptr: u64,
    /// In: address of the PCI MMIO holes.
    pub pci_mmio_ptr: u64,
    /// In (C3): number of RAM ranges.
    pub nr_ram: u32,
    /// In: number of MMIO gaps.
    pub nr_mmio: u32,
    /// In: number of PCI ECAM holes.
    pub nr_pci_ecam: u32,
    /// In: number of PCI MMIO holes.
    pub nr_pci_mmio: u32,
    /// In: the VTL2 range with [`SET_VTL2`].
    pub vtl2: Range,
    /// Out: why the request was rejected.
    pub reason: Reason,
    /// Out: the new layout's generation (0 for a dry run).
    pub generation: u64,
    /// Out: the layout's fingerprint (dry run included).
    pub fingerprint: [u8; FINGERPRINT_SIZE],
    /// In (C4): address of `nr_place` [`PlaceReq`].
    pub place_ptr: u64,
    /// In (C4): number of requests.
    pub nr_place: u32,
    /// In: 0.
    pub place_flags: u32,
    /// Out: a C4 rejection's class, index and P4 figures.
    pub place_reason: PlaceReason,
}

/// `struct memlayout_place_req`: one placement request (SPEC C4). A member
/// the class does not use must be zero.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlaceReq {
    /// A `CLASS_*` value.
    pub class: u32,
    /// Fixed, mmio32, mmio64, post-MMIO: `KIND_MMIO`, `KIND_PCI_ECAM`,
    /// `KIND_PCI_MMIO`, or [`PLACE_VTL2`] for one post-MMIO request;
    /// reserved and RAM: 0.
    pub kind: u32,
    /// Reserved and fixed: first byte.
    pub start: u64,
    /// Reserved and fixed: one past the last byte.
    pub end: u64,
    /// Mmio32, RAM, mmio64, post-MMIO: bytes (RAM: 0 is a memory-less
    /// node).
    pub size: u64,
    /// Mmio32, RAM, mmio64, post-MMIO: alignment (no default: pass
    /// [`PAGE_SIZE`] for any page).
    pub align: u64,
}

/// `struct memlayout_placed`: one placed range (GET_PLACEMENTS).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Placed {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// The `CLASS_*` of the request it comes from.
    pub class: u32,
    /// That request's index in its class (its tag).
    pub index: u32,
    /// The request's kind: `KIND_RAM` for RAM, 0 for reserved.
    pub kind: u32,
    /// RAM: the node (the RAM request's index); else 0.
    pub vnode: u32,
}

/// `struct memlayout_place_reason`: what a C4 rejection adds to
/// [`Reason`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlaceReason {
    /// The offending request's `CLASS_*` (R8: the class with too many).
    pub class: u32,
    /// Its index in that class (R8: the limit).
    pub index: u32,
    /// P3: the class of the second pinned range.
    pub other_class: u32,
    /// P3: its index in that class.
    pub other_index: u32,
    /// P4: the phase that ran out (the `CLASS_*` being placed).
    pub phase: u32,
    /// 0.
    pub reserved: u32,
    /// P1, P2, P4: the request's size.
    pub size: u64,
    /// P1, P2, P4: its alignment.
    pub align: u64,
    /// P4: the free bytes left between the phase's floor and its limit.
    pub free: u64,
}

/// `struct memlayout_get_placements` (`MEMLAYOUT_IOC_GET_PLACEMENTS`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GetPlacements {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// In: capacity of `entries_ptr`; out: placed ranges in the layout.
    pub count: u32,
    /// In: 0.
    pub reserved: u32,
    /// In: address of `count` [`Placed`].
    pub entries_ptr: u64,
    /// Out: generation of the layout read.
    pub generation: u64,
}

/// `struct memlayout_stats` (`MEMLAYOUT_IOC_GET_STATS`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// Out: `STATS_*` bits of the valid optional values.
    pub present: u32,
    /// Out: number of RAM ranges.
    pub nr_ram: u32,
    /// Out: number of MMIO gaps.
    pub nr_mmio: u32,
    /// Out: number of PCI ECAM holes.
    pub nr_pci_ecam: u32,
    /// Out: number of PCI MMIO holes.
    pub nr_pci_mmio: u32,
    /// Out: 0.
    pub reserved: u32,
    /// Out: generation of the layout described.
    pub generation: u64,
    /// Out: Q2.
    pub ram_size: u64,
    /// Out: Q3.
    pub end_of_ram: u64,
    /// Out: Q4.
    pub ram_below_4gb: u64,
    /// Out: Q5.
    pub ram_above_4gb: u64,
    /// Out: Q6, with [`STATS_MAX_RAM_BELOW_4GB`].
    pub max_ram_below_4gb: u64,
    /// Out: Q7, with [`STATS_RAM_ABOVE_HIGH_MMIO`].
    pub ram_above_high_mmio: u64,
    /// Out: Q8.
    pub end_of_layout: u64,
    /// Out: VTL2 start, with [`STATS_VTL2`].
    pub vtl2_start: u64,
    /// Out: VTL2 end, with [`STATS_VTL2`].
    pub vtl2_end: u64,
    /// Out: the layout's fingerprint.
    pub fingerprint: [u8; FINGERPRINT_SIZE],
}

/// `struct memlayout_map_entry`: one range of any kind.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapEntry {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// Virtual NUMA node of RAM, 0 for holes.
    pub vnode: u32,
    /// A `KIND_*` value.
    pub kind: u32,
}

/// `struct memlayout_get_layout` (`MEMLAYOUT_IOC_GET_LAYOUT`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GetLayout {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// In: capacity of `entries_ptr`; out: ranges in the layout.
    pub count: u32,
    /// In: 0.
    pub reserved: u32,
    /// In: address of `count` [`MapEntry`].
    pub entries_ptr: u64,
    /// In: 0 or the address of a [`Stats`] to fill.
    pub stats_ptr: u64,
    /// Out: generation of the layout read.
    pub generation: u64,
    /// Out: its fingerprint.
    pub fingerprint: [u8; FINGERPRINT_SIZE],
}

/// `struct memlayout_get_ranges` (`MEMLAYOUT_IOC_GET_RANGES`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct GetRanges {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// In: a `LIST_*` value.
    pub list: u32,
    /// In: capacity; out: ranges in the list.
    pub count: u32,
    /// In: address of `count` [`Range`].
    pub ranges_ptr: u64,
    /// Out: generation of the layout read.
    pub generation: u64,
}

/// `struct memlayout_probe` (`MEMLAYOUT_IOC_PROBE`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Probe {
    /// In: the struct's size.
    pub size: u32,
    /// In: 0.
    pub flags: u32,
    /// In: number of addresses.
    pub count: u32,
    /// In: 0.
    pub reserved: u32,
    /// In: address of `count` `u64` addresses.
    pub addrs_ptr: u64,
    /// In: address of `count` `u32` kinds to fill.
    pub kinds_ptr: u64,
    /// Out: generation of the layout that answered.
    pub generation: u64,
    /// In: 0 or the address of `count` [`ProbeRange`] to fill.
    pub ranges_ptr: u64,
}

/// `struct memlayout_probe_range`: the range that answered a probe.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProbeRange {
    /// First byte of the covering range.
    pub start: u64,
    /// One past its last byte.
    pub end: u64,
    /// Its vnode (RAM), else 0.
    pub vnode: u32,
    /// Its index in its kind's list, or [`PROBE_NO_RANGE`].
    pub index: u32,
}

/// `MEMLAYOUT_VIEW_MAGIC`: [`View::magic`] ("MLV1").
pub const VIEW_MAGIC: u32 = 0x3156_4c4d;
/// `MEMLAYOUT_VIEW_VERSION`: the view's layout this crate reads.
pub const VIEW_VERSION: u32 = 1;
/// `MEMLAYOUT_VIEW_MAX_SIZE`: the largest view a file may have.
pub const VIEW_MAX_SIZE: usize = 64 << 20;
/// `MEMLAYOUT_VIEW_LAYOUT`: the file holds a layout.
pub const VIEW_LAYOUT: u32 = 1 << 0;
/// `MEMLAYOUT_VIEW_TOO_LARGE`: its ranges are not in the view (SPEC V3).
pub const VIEW_TOO_LARGE: u32 = 1 << 1;
/// `MEMLAYOUT_VIEW_VTL2`: [`View::vtl2_start`]/`vtl2_end` are valid.
pub const VIEW_VTL2: u32 = 1 << 2;
/// `MEMLAYOUT_VIEW_NO_INDEX`: [`View::index_shift`] when the view holds no
/// ranges.
pub const VIEW_NO_INDEX: u32 = 0xffff_ffff;

/// `struct memlayout_view`: the header of a file's shared view, which
/// `mmap(PROT_READ, MAP_SHARED)` of the file maps (SPEC V1-V3). The
/// kernel rewrites it under [`View::seq`]: read it with the protocol
/// ([`crate::View`] does), never as a plain struct of the mapping.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// [`VIEW_MAGIC`].
    pub magic: u32,
    /// [`VIEW_VERSION`].
    pub version: u32,
    /// The sequence counter: odd while the kernel writes the view.
    pub seq: u32,
    /// `VIEW_*` flags.
    pub flags: u32,
    /// The generation of the layout the view holds (0: none yet).
    pub generation: u64,
    /// Number of ranges (RAM and holes; VTL2 is not a range).
    pub nr: u32,
    /// `sizeof(struct memlayout_view)` as the kernel knows it.
    pub header_size: u32,
    /// The view's size in bytes (what the first `mmap()` fixed).
    pub size: u64,
    /// Byte offset of `u64 starts[nr]`, ascending.
    pub starts_off: u64,
    /// Byte offset of [`ViewRecord`] `records[nr]`.
    pub records_off: u64,
    /// VTL2's start, with [`VIEW_VTL2`].
    pub vtl2_start: u64,
    /// VTL2's end, with [`VIEW_VTL2`].
    pub vtl2_end: u64,
    /// The layout's fingerprint.
    pub fingerprint: [u8; FINGERPRINT_SIZE],
    /// Byte offset of the bucket index, `u32 index[2 * nr]`.
    pub index_off: u64,
    /// log2 of the bucket size, at most 63, or [`VIEW_NO_INDEX`].
    pub index_shift: u32,
    /// 0.
    pub reserved: u32,
}

/// `struct memlayout_view_record`: range i of the view is
/// `[starts[i], records[i].end)`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ViewRecord {
    /// One past its last byte.
    pub end: u64,
    /// Its virtual NUMA node (RAM), else 0.
    pub vnode: u32,
    /// Its `KIND_*`.
    pub kind: u32,
}

/// `sizeof(struct memlayout_view)`.
pub const VIEW_HEADER_SIZE: usize = 120;

/// `MEMLAYOUT_INFO_SIZE_VER1` (with `nr_classes`).
pub const INFO_SIZE_VER1: usize = 80;
/// `MEMLAYOUT_INFO_SIZE_VER0`.
pub const INFO_SIZE_VER0: usize = 72;
/// `MEMLAYOUT_SET_SIZE_VER2` (with the placement members, C4).
pub const SET_SIZE_VER2: usize = 232;
/// `MEMLAYOUT_SET_SIZE_VER1` (with the fingerprint).
pub const SET_SIZE_VER1: usize = 168;
/// `MEMLAYOUT_SET_SIZE_VER0`.
pub const SET_SIZE_VER0: usize = 136;
/// `MEMLAYOUT_STATS_SIZE_VER1` (with the fingerprint).
pub const STATS_SIZE_VER1: usize = 144;
/// `MEMLAYOUT_STATS_SIZE_VER0`.
pub const STATS_SIZE_VER0: usize = 112;
/// `MEMLAYOUT_GET_LAYOUT_SIZE_VER0`.
pub const GET_LAYOUT_SIZE_VER0: usize = 72;
/// `MEMLAYOUT_GET_RANGES_SIZE_VER0`.
pub const GET_RANGES_SIZE_VER0: usize = 32;
/// `MEMLAYOUT_PROBE_SIZE_VER1` (with `ranges_ptr`).
pub const PROBE_SIZE_VER1: usize = 48;
/// `MEMLAYOUT_PROBE_SIZE_VER0`.
pub const PROBE_SIZE_VER0: usize = 40;
/// `MEMLAYOUT_GET_PLACEMENTS_SIZE_VER0`.
pub const GET_PLACEMENTS_SIZE_VER0: usize = 32;

// The header's sizes, checked at compile time (the subtraction overflows,
// which does not compile, when a size differs). Every u64 member sits at
// a multiple of 8 and no struct has implicit padding, so the layout is the
// same as C's on 64-bit and 32-bit ABIs alike.
macro_rules! assert_size {
    ($t:ty, $n:expr) => {
        const _: [(); 0 - !(std::mem::size_of::<$t>() == $n) as usize] = [];
        const _: [(); 0 - !(std::mem::align_of::<$t>() >= 4) as usize] = [];
    };
}
assert_size!(Range, 24);
assert_size!(Info, INFO_SIZE_VER1);
assert_size!(Reason, 24);
assert_size!(Set, SET_SIZE_VER2);
assert_size!(Stats, STATS_SIZE_VER1);
assert_size!(MapEntry, 24);
assert_size!(GetLayout, GET_LAYOUT_SIZE_VER0);
assert_size!(GetRanges, GET_RANGES_SIZE_VER0);
assert_size!(Probe, PROBE_SIZE_VER1);
assert_size!(ProbeRange, 24);
assert_size!(PlaceReq, 40);
assert_size!(Placed, 32);
assert_size!(PlaceReason, 48);
assert_size!(GetPlacements, GET_PLACEMENTS_SIZE_VER0);
assert_size!(View, VIEW_HEADER_SIZE);
assert_size!(ViewRecord, 16);
assert_size!(HostDevice, 48);
assert_size!(HostConflict, 64);
assert_size!(CheckHost, CHECK_HOST_SIZE_VER0);
assert_size!(KvmFinding, 72);
assert_size!(CheckKvm, CHECK_KVM_SIZE_VER0);

/// `PROT_READ` for [`mmap`].
pub const PROT_READ: c_int = 1;
/// `PROT_WRITE` for [`mmap`] and [`mprotect`].
pub const PROT_WRITE: c_int = 2;
/// `PROT_EXEC` for [`mmap`] and [`mprotect`].
pub const PROT_EXEC: c_int = 4;
/// `MAP_SHARED` for [`mmap`].
pub const MAP_SHARED: c_int = 1;
/// `MAP_PRIVATE` for [`mmap`].
pub const MAP_PRIVATE: c_int = 2;
/// `_SC_PAGESIZE` for [`sysconf`].
pub const SC_PAGESIZE: c_int = 30;

extern "C" {
    /// The C library's `ioctl(2)`.
    pub fn ioctl(fd: c_int, req: c_ulong, ...) -> c_int;
    /// The C library's `mmap(2)` (`MAP_FAILED` is `!0`).
    pub fn mmap(
        addr: *mut c_void,
        len: usize,
        prot: c_int,
        flags: c_int,
        fd: c_int,
        off: c_long,
    ) -> *mut c_void;
    /// The C library's `munmap(2)`.
    pub fn munmap(addr: *mut c_void, len: usize) -> c_int;
    /// The C library's `mprotect(2)`.
    pub fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> c_int;
    /// The C library's `sysconf(3)`.
    pub fn sysconf(name: c_int) -> c_long;
}
