//! Placement (SPEC C4): [`LayoutBuilder`], shaped like OpenVMM's
//! `vm_topology::layout::LayoutBuilder`, with the kernel as the allocator.
//!
//! The builder collects requests, each with a caller tag; [`allocate`]
//! sends them in one SET_LAYOUT (`MEMLAYOUT_SOURCE_PLACE`), and the kernel
//! places them (reserved and fixed ranges, then 32-bit MMIO top down below
//! 4 GiB, RAM bottom up per vNUMA node, 64-bit MMIO above RAM and 4 GiB,
//! post-MMIO ranges last), makes the result the file's layout and reports
//! the placed ranges (GET_PLACEMENTS), which come back here sorted by
//! address and tagged. A rejection names the request by its tag, with the
//! rule and, when a phase ran out of space, the size, alignment, phase and
//! free bytes, worded as upstream words it.
//!
//! [`allocate`]: LayoutBuilder::allocate

use crate::device::{Accepted, Device, PlacedEntry};
use crate::error::{class_name, Error, Reason};
use crate::layout::{AddressType, MemoryLayout};
use crate::range::MemoryRange;
use crate::sys;
use std::fmt;
use std::io;
use std::sync::Arc;

/// Where a dynamic single-range request is placed (upstream's
/// `Placement`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    /// Below 4 GiB, top down; requests sorted by alignment, then size,
    /// both descending, ties in caller order.
    Mmio32,
    /// At or above the end of RAM and 4 GiB, bottom up; sorted as
    /// [`Placement::Mmio32`].
    Mmio64,
    /// Bottom up above every other non-reserved range, in caller order.
    PostMmio,
}

impl Placement {
    /// The class of a request placed this way.
    pub fn class(self) -> PlacedClass {
        match self {
            Self::Mmio32 => PlacedClass::Mmio32,
            Self::Mmio64 => PlacedClass::Mmio64,
            Self::PostMmio => PlacedClass::PostMmio,
        }
    }
}

/// The class of a request and of the ranges placed for it (upstream's
/// `PlacedRangeKind`; `MEMLAYOUT_CLASS_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlacedClass {
    /// Kept out of every allocation; not part of the layout.
    Reserved,
    /// A hole pinned where given.
    Fixed,
    /// A hole placed top down below 4 GiB.
    Mmio32,
    /// One vNUMA node's RAM, placed bottom up, possibly split.
    Ram,
    /// A hole placed above RAM and 4 GiB.
    Mmio64,
    /// A hole or the VTL2 range, placed above everything else.
    PostMmio,
}

impl PlacedClass {
    /// Every class, in the order the kernel numbers (and places) them.
    pub const ALL: [PlacedClass; 6] = [
        Self::Reserved,
        Self::Fixed,
        Self::Mmio32,
        Self::Ram,
        Self::Mmio64,
        Self::PostMmio,
    ];

    /// The `MEMLAYOUT_CLASS_*` value.
    pub fn raw(self) -> u32 {
        match self {
            Self::Reserved => sys::CLASS_RESERVED,
            Self::Fixed => sys::CLASS_FIXED,
            Self::Mmio32 => sys::CLASS_MMIO32,
            Self::Ram => sys::CLASS_RAM,
            Self::Mmio64 => sys::CLASS_MMIO64,
            Self::PostMmio => sys::CLASS_POST_MMIO,
        }
    }

    /// The class of a `MEMLAYOUT_CLASS_*` value; `None` for one not known
    /// here.
    pub fn from_raw(class: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.raw() == class)
    }

    /// The name libmemlayout and `memlayoutctl` use: "reserved", "fixed",
    /// "mmio32", "ram", "mmio64", "post_mmio".
    pub fn name(self) -> &'static str {
        class_name(self.raw()).expect("every class has a name")
    }
}

impl fmt::Display for PlacedClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The kind of a request and of the ranges placed for it: the hole kind
/// of a fixed, 32-bit, 64-bit or post-MMIO request, or [`Vtl2`] for the
/// one post-MMIO request that is the layout's VTL2 range. Placed RAM has
/// kind [`Ram`] and a reserved range [`None`]; the kernel refuses a kind
/// its class does not take.
///
/// [`Vtl2`]: PlacedKind::Vtl2
/// [`Ram`]: PlacedKind::Ram
/// [`None`]: PlacedKind::None
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlacedKind {
    /// No kind (`MEMLAYOUT_KIND_NONE`): a reserved range.
    None,
    /// RAM (`MEMLAYOUT_KIND_RAM`).
    Ram,
    /// An MMIO gap (`MEMLAYOUT_KIND_MMIO`).
    Mmio,
    /// A PCI ECAM window (`MEMLAYOUT_KIND_PCI_ECAM`).
    PciEcam,
    /// A PCI MMIO (BAR) window (`MEMLAYOUT_KIND_PCI_MMIO`).
    PciMmio,
    /// The VTL2 range (`MEMLAYOUT_PLACE_VTL2`); post-MMIO only, at most
    /// one.
    Vtl2,
}

impl PlacedKind {
    const ALL: [PlacedKind; 6] = [
        Self::None,
        Self::Ram,
        Self::Mmio,
        Self::PciEcam,
        Self::PciMmio,
        Self::Vtl2,
    ];

    /// The value of `struct memlayout_place_req.kind` (a `KIND_*` value,
    /// or `PLACE_VTL2`).
    pub fn raw(self) -> u32 {
        match self {
            Self::None => sys::KIND_NONE,
            Self::Ram => sys::KIND_RAM,
            Self::Mmio => sys::KIND_MMIO,
            Self::PciEcam => sys::KIND_PCI_ECAM,
            Self::PciMmio => sys::KIND_PCI_MMIO,
            Self::Vtl2 => sys::PLACE_VTL2,
        }
    }

    /// The kind of a raw value; `None` for one not known here.
    pub fn from_raw(kind: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.raw() == kind)
    }

    /// The name `memlayoutctl --json` uses: "none", "ram", "mmio",
    /// "pci_ecam", "pci_mmio", "vtl2".
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Ram => "ram",
            Self::Mmio => "mmio",
            Self::PciEcam => "pci_ecam",
            Self::PciMmio => "pci_mmio",
            Self::Vtl2 => "vtl2",
        }
    }

    /// What a probe of the range answers: `None` for a reserved range
    /// and for VTL2, which are not RAM or holes of the layout.
    pub fn address_type(self) -> Option<AddressType> {
        AddressType::from_kind(self.raw()).filter(|_| self != Self::Vtl2)
    }
}

impl From<AddressType> for PlacedKind {
    fn from(t: AddressType) -> Self {
        match t {
            AddressType::Ram => Self::Ram,
            AddressType::Mmio => Self::Mmio,
            AddressType::PciEcam => Self::PciEcam,
            AddressType::PciMmio => Self::PciMmio,
        }
    }
}

impl fmt::Display for PlacedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The phase that ran out of space (upstream's `AllocationPhase`; the
/// class being placed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AllocationPhase {
    /// 32-bit MMIO, within [0, 4 GiB).
    Mmio32,
    /// RAM, from the end of RAM placed so far.
    Ram,
    /// 64-bit MMIO, from max(end of RAM, 4 GiB).
    Mmio64,
    /// Post-MMIO, from the highest end of the non-reserved ranges.
    PostMmio,
}

impl AllocationPhase {
    /// The phase of a `MEMLAYOUT_CLASS_*` value; `None` for a class that
    /// is not placed by a phase.
    pub fn from_raw(phase: u32) -> Option<Self> {
        Some(match PlacedClass::from_raw(phase)? {
            PlacedClass::Mmio32 => Self::Mmio32,
            PlacedClass::Ram => Self::Ram,
            PlacedClass::Mmio64 => Self::Mmio64,
            PlacedClass::PostMmio => Self::PostMmio,
            _ => return None,
        })
    }

    /// The class this phase places.
    pub fn class(self) -> PlacedClass {
        match self {
            Self::Mmio32 => PlacedClass::Mmio32,
            Self::Ram => PlacedClass::Ram,
            Self::Mmio64 => PlacedClass::Mmio64,
            Self::PostMmio => PlacedClass::PostMmio,
        }
    }
}

impl fmt::Display for AllocationPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.class().name())
    }
}

/// A placed range returned by [`LayoutBuilder::allocate`] (upstream's
/// `PlacedRange`, with the kernel's class, index and kind, and the node of
/// RAM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedRange {
    /// The caller's tag of the request.
    pub tag: Arc<str>,
    /// The request's class (upstream's `kind`).
    pub class: PlacedClass,
    /// The request's index among the requests of its class (the
    /// kernel's tag).
    pub index: u32,
    /// The range's kind.
    pub kind: PlacedKind,
    /// The placed range.
    pub range: MemoryRange,
    /// RAM: the vNUMA node (the RAM request's index among the RAM
    /// requests); `None` for every other class.
    pub node: Option<u32>,
}

/// Why the kernel rejected a placement: [`Reason`] (rule, errno, the
/// request's position in the array) plus `struct memlayout_place_reason`
/// (the request's class and index, and the P4 figures). Its `Display` is
/// libmemlayout's `memlayout_place_strerror()` line without caller tags
/// (a request reads as `mmio32[1]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlaceReason {
    /// The rule, the errno, and for a request (list `sys::LIST_PLACE`)
    /// its position in the array (`index`; P3: `other_index` too).
    pub reason: Reason,
    /// The request's `MEMLAYOUT_CLASS_*` (R8: the class with too many
    /// requests, 0 for the whole array).
    pub class: u32,
    /// Its index in its class (R8: the limit).
    pub index: u32,
    /// P3: the class of the second pinned range.
    pub other_class: u32,
    /// P3: its index in that class.
    pub other_index: u32,
    /// P4: the phase that ran out (a `MEMLAYOUT_CLASS_*`).
    pub phase: u32,
    /// P1, P2, P4: the request's size.
    pub size: u64,
    /// P1, P2, P4: its alignment.
    pub align: u64,
    /// P4: the free bytes left between the phase's floor and its limit.
    pub free: u64,
}

impl PlaceReason {
    /// The reasons the kernel wrote, with the errno of the call.
    pub fn from_raw(r: &sys::Reason, p: &sys::PlaceReason, errno: i32) -> Self {
        Self {
            reason: Reason::from_raw(r, errno),
            class: p.class,
            index: p.index,
            other_class: p.other_class,
            other_index: p.other_index,
            phase: p.phase,
            size: p.size,
            align: p.align,
            free: p.free,
        }
    }

    /// A failure with no reason from the kernel, only an errno.
    pub fn from_errno(errno: i32) -> Self {
        Self {
            reason: Reason {
                errno: errno.abs(),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

impl fmt::Display for PlaceReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        AllocateError::from_reason(*self, &[], &[]).fmt(f)
    }
}

/// Error returned by [`LayoutBuilder::allocate`] (upstream's
/// `AllocateError`, with the kernel's rules).
///
/// Each request variant names the request by its tag, its class and its
/// index in the class, and keeps the kernel's whole [`PlaceReason`]. The
/// `Display` is libmemlayout's `memlayout_place_strerror()` text with the
/// caller's tags, worded as upstream's, e.g. `vmbus: cannot allocate
/// 0x8000000 bytes with alignment 0x100000 during mmio32; 0x2000000 bytes
/// free`.
#[derive(Debug)]
pub enum AllocateError {
    /// SPEC P1 (`EINVAL`): a size is zero or not a multiple of 4 KiB.
    InvalidSize {
        /// The request's tag.
        tag: Arc<str>,
        /// Its class.
        class: PlacedClass,
        /// Its index in its class.
        index: u32,
        /// The invalid size.
        size: u64,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// SPEC P2 (`EINVAL`): an alignment is not a power of two of at least
    /// 4 KiB.
    InvalidAlignment {
        /// The request's tag.
        tag: Arc<str>,
        /// Its class.
        class: PlacedClass,
        /// Its index in its class.
        index: u32,
        /// The invalid alignment.
        alignment: u64,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// SPEC P3 (`EEXIST`): two reserved or fixed ranges overlap; the first
    /// overlapping neighbours when all are sorted by start (stably:
    /// reserved before fixed, each in caller order).
    FixedOverlap {
        /// The tag of the first (lower) range.
        tag_a: Arc<str>,
        /// Its class.
        class_a: PlacedClass,
        /// Its index in its class.
        index_a: u32,
        /// Its range ([`MemoryRange::EMPTY`] when not known here).
        range_a: MemoryRange,
        /// The tag of the second range.
        tag_b: Arc<str>,
        /// Its class.
        class_b: PlacedClass,
        /// Its index in its class.
        index_b: u32,
        /// Its range ([`MemoryRange::EMPTY`] when not known here).
        range_b: MemoryRange,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// SPEC P4 (`ENOSPC`): a request found no fit in its phase.
    Exhausted {
        /// The request's tag.
        tag: Arc<str>,
        /// Its class.
        class: PlacedClass,
        /// Its index in its class.
        index: u32,
        /// The requested size.
        size: u64,
        /// The requested alignment.
        alignment: u64,
        /// The phase that ran out.
        phase: AllocationPhase,
        /// The free bytes left, at that moment, between the phase's floor
        /// and its limit.
        free_space: u64,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// SPEC R2 (`EINVAL`): a reserved or fixed range is empty (upstream
    /// calls it an invalid size).
    InvalidRange {
        /// The request's tag.
        tag: Arc<str>,
        /// Its class.
        class: PlacedClass,
        /// Its index in its class.
        index: u32,
        /// The range ([`MemoryRange::EMPTY`] when not known here).
        range: MemoryRange,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// `EINVAL`: a kind the request's class does not take (a hole kind is
    /// needed; [`PlacedKind::Vtl2`] only for one post-MMIO request).
    UnsupportedKind {
        /// The request's tag.
        tag: Arc<str>,
        /// Its class.
        class: PlacedClass,
        /// Its index in its class.
        index: u32,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// SPEC R8 (`E2BIG`): more requests of one class than the module's
    /// `max_ranges` (or more than six times that in all).
    TooManyRequests {
        /// The class; `None` when the whole array is too long.
        class: Option<PlacedClass>,
        /// The limit.
        limit: u32,
        /// The kernel's reason (boxed: the error stays small).
        reason: Box<PlaceReason>,
    },
    /// Not about one request: the placed layout was rejected (SPEC R5 no
    /// RAM, which upstream accepts; R8 when RAM split into more extents
    /// than `max_ranges`), the interface refused the call, it failed with
    /// an errno alone (`ENOMEM`), or the device could not be used.
    Layout(Error),
}

/// The caller's tag of the request at `pos`, else `class[index]` as
/// libmemlayout names it, else "place[pos]".
fn tag_at(tags: &[Arc<str>], pos: u32, class: u32, index: u32) -> Arc<str> {
    if let Some(t) = tags.get(pos as usize) {
        return t.clone();
    }
    match class_name(class) {
        Some(c) => format!("{}[{}]", c, index).into(),
        None => format!("place[{}]", pos).into(),
    }
}

fn range_at(reqs: &[sys::PlaceReq], pos: u32) -> MemoryRange {
    reqs.get(pos as usize)
        .and_then(|r| MemoryRange::try_new(r.start..r.end).ok())
        .unwrap_or(MemoryRange::EMPTY)
}

impl AllocateError {
    /// The error for a rejection the kernel reported, naming requests by
    /// `tags` (one per request, in array order; a request with no tag
    /// reads as `class[index]`) and pinned ranges by `reqs`, the array
    /// sent (may be empty).
    pub fn from_reason(r: PlaceReason, reqs: &[sys::PlaceReq], tags: &[Arc<str>]) -> Self {
        let rr = &r.reason;
        let class = PlacedClass::from_raw(r.class);
        if rr.list != sys::LIST_PLACE {
            return Self::Layout(Error::from_reason(*rr));
        }
        let tag = tag_at(tags, rr.index, r.class, r.index);
        let index = r.index;
        match (rr.rule, class) {
            (sys::RULE_TOO_MANY, _) => Self::TooManyRequests {
                class,
                limit: rr.index,
                reason: Box::new(r),
            },
            (sys::RULE_PLACE_SIZE, Some(class)) => Self::InvalidSize {
                tag,
                class,
                index,
                size: r.size,
                reason: Box::new(r),
            },
            (sys::RULE_PLACE_ALIGN, Some(class)) => Self::InvalidAlignment {
                tag,
                class,
                index,
                alignment: r.align,
                reason: Box::new(r),
            },
            (sys::RULE_PINNED_OVERLAP, Some(class_a)) => {
                match PlacedClass::from_raw(r.other_class) {
                    Some(class_b) => Self::FixedOverlap {
                        tag_a: tag,
                        class_a,
                        index_a: index,
                        range_a: range_at(reqs, rr.index),
                        tag_b: tag_at(tags, rr.other_index, r.other_class, r.other_index),
                        class_b,
                        index_b: r.other_index,
                        range_b: range_at(reqs, rr.other_index),
                        reason: Box::new(r),
                    },
                    None => Self::Layout(Error::Rejected(*rr)),
                }
            }
            (sys::RULE_EXHAUSTED, Some(class)) => match AllocationPhase::from_raw(r.phase) {
                Some(phase) => Self::Exhausted {
                    tag,
                    class,
                    index,
                    size: r.size,
                    alignment: r.align,
                    phase,
                    free_space: r.free,
                    reason: Box::new(r),
                },
                None => Self::Layout(Error::Rejected(*rr)),
            },
            (sys::RULE_BAD_RANGE, Some(class)) => Self::InvalidRange {
                tag,
                class,
                index,
                range: range_at(reqs, rr.index),
                reason: Box::new(r),
            },
            (sys::REASON_RESERVED, Some(class)) if rr.field == 4 => Self::UnsupportedKind {
                tag,
                class,
                index,
                reason: Box::new(r),
            },
            // An unknown class, or a member the class does not use:
            // malformed raw requests, which the builder never sends.
            _ => Self::Layout(Error::Rejected(*rr)),
        }
    }

    /// The kernel's placement reason; `None` for [`AllocateError::Layout`]
    /// (whose [`Error::reason`] has the kernel's reason, if any).
    pub fn reason(&self) -> Option<&PlaceReason> {
        match self {
            Self::InvalidSize { reason, .. }
            | Self::InvalidAlignment { reason, .. }
            | Self::FixedOverlap { reason, .. }
            | Self::Exhausted { reason, .. }
            | Self::InvalidRange { reason, .. }
            | Self::UnsupportedKind { reason, .. }
            | Self::TooManyRequests { reason, .. } => Some(&**reason),
            Self::Layout(_) => None,
        }
    }

    /// The kernel's `MEMLAYOUT_RULE_*` or `MEMLAYOUT_REASON_*` value (0: no
    /// rule, or no reason at all).
    pub fn rule(&self) -> u32 {
        match self {
            Self::Layout(e) => e.reason().map_or(0, |r| r.rule),
            _ => self.reason().map_or(0, |r| r.reason.rule),
        }
    }

    /// The rule's short name ("P4", "R5", ...), if known.
    pub fn rule_name(&self) -> Option<&'static str> {
        crate::error::rule_name(self.rule())
    }

    /// The positive errno of the failed call, if it came from one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Self::Layout(e) => e.errno(),
            _ => self.reason().map(|r| r.reason.errno),
        }
    }

    /// The tag of the offending request (P3: the first of the two), if
    /// the error is about one.
    pub fn tag(&self) -> Option<&str> {
        match self {
            Self::InvalidSize { tag, .. }
            | Self::InvalidAlignment { tag, .. }
            | Self::Exhausted { tag, .. }
            | Self::InvalidRange { tag, .. }
            | Self::UnsupportedKind { tag, .. }
            | Self::FixedOverlap { tag_a: tag, .. } => Some(tag),
            Self::TooManyRequests { .. } | Self::Layout(_) => None,
        }
    }
}

impl fmt::Display for AllocateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let page = sys::PAGE_SIZE;
        match self {
            Self::InvalidSize { tag, size, .. } => write!(
                f,
                "{}: invalid size {:#x} (must be > 0 and a multiple of {:#x})",
                tag, size, page
            ),
            Self::InvalidAlignment { tag, alignment, .. } => write!(
                f,
                "{}: invalid alignment {:#x} (must be >= {:#x} and a power of 2)",
                tag, alignment, page
            ),
            Self::FixedOverlap { tag_a, tag_b, .. } => {
                write!(f, "fixed/reserved requests {} and {} overlap", tag_a, tag_b)
            }
            Self::Exhausted {
                tag,
                size,
                alignment,
                phase,
                free_space,
                ..
            } => write!(
                f,
                "{}: cannot allocate {:#x} bytes with alignment {:#x} during {}; {:#x} bytes free",
                tag, size, alignment, phase, free_space
            ),
            Self::InvalidRange { tag, .. } => write!(
                f,
                "{}: invalid range (empty, reversed, not 4 KiB aligned or ending above {:#x})",
                tag,
                sys::MAX_ADDRESS
            ),
            Self::UnsupportedKind { tag, .. } => {
                write!(f, "{}: kind is not a kind this class takes", tag)
            }
            Self::TooManyRequests { class, limit, .. } => write!(
                f,
                "too many {} requests (more than {})",
                class.map_or("placement", PlacedClass::name),
                limit
            ),
            Self::Layout(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AllocateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Layout(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for AllocateError {
    fn from(e: Error) -> Self {
        Self::Layout(e)
    }
}

impl From<io::Error> for AllocateError {
    fn from(e: io::Error) -> Self {
        Self::Layout(Error::Io(e))
    }
}

/// A builder for a VM's whole address space, placed by the kernel (SPEC
/// C4): upstream's `LayoutBuilder`, where each request is one element of
/// the SET_LAYOUT request array, in the order the methods are called.
///
/// Requests of one class keep their call order: it decides the ties of
/// the 32- and 64-bit MMIO phases, the order of post-MMIO ranges, and
/// which RAM request is which vNUMA node. Requests are not checked here:
/// the kernel checks them all, in SPEC's order, and [`allocate`] reports
/// the first broken rule by the request's tag.
///
/// ```no_run
/// use memlayout::{Device, LayoutBuilder, MemoryRange, Placement, PlacedKind};
/// const MB: u64 = 1 << 20;
/// const GB: u64 = 1 << 30;
/// let mut b = LayoutBuilder::new();
/// b.fixed("chipset", PlacedKind::Mmio, MemoryRange::new(0xfe00_0000..4 * GB));
/// b.request("vmbus", PlacedKind::Mmio, 128 * MB, MB, Placement::Mmio32);
/// b.ram("ram", 2 * GB, 4096);
/// let placed = b.allocate(&Device::open()?)?;
/// assert_eq!(placed[0].range, MemoryRange::new(0..2 * GB));
/// let vmbus = placed.iter().find(|p| &*p.tag == "vmbus").unwrap();
/// assert_eq!(vmbus.range.end(), 0xfe00_0000);
/// # Ok::<(), memlayout::AllocateError>(())
/// ```
///
/// [`allocate`]: LayoutBuilder::allocate
#[derive(Clone, Debug, Default)]
pub struct LayoutBuilder {
    reqs: Vec<sys::PlaceReq>,
    tags: Vec<Arc<str>>,
}

impl LayoutBuilder {
    /// A builder with no request.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, tag: Arc<str>, req: sys::PlaceReq) -> &mut Self {
        self.reqs.push(req);
        self.tags.push(tag);
        self
    }

    /// Reserves `range`: no allocation uses it, and it is not part of the
    /// layout. It is reported among the placed ranges unless it lies above
    /// every other one, and it does not raise the post-MMIO floor.
    pub fn reserve(&mut self, tag: impl Into<Arc<str>>, range: MemoryRange) -> &mut Self {
        self.push(
            tag.into(),
            sys::PlaceReq {
                class: sys::CLASS_RESERVED,
                start: range.start(),
                end: range.end(),
                ..Default::default()
            },
        )
    }

    /// Pins a hole of `kind` ([`PlacedKind::Mmio`], `PciEcam` or
    /// `PciMmio`) at `range`. Reserved and fixed ranges must not overlap
    /// (SPEC P3).
    pub fn fixed(
        &mut self,
        tag: impl Into<Arc<str>>,
        kind: PlacedKind,
        range: MemoryRange,
    ) -> &mut Self {
        self.push(
            tag.into(),
            sys::PlaceReq {
                class: sys::CLASS_FIXED,
                kind: kind.raw(),
                start: range.start(),
                end: range.end(),
                ..Default::default()
            },
        )
    }

    /// Requests one range of `size` bytes at a multiple of `alignment`,
    /// placed as `placement` says: a hole of `kind` ([`PlacedKind::Mmio`],
    /// `PciEcam` or `PciMmio`), or, for at most one
    /// [`Placement::PostMmio`] request, [`PlacedKind::Vtl2`], which becomes
    /// the layout's VTL2 range. `size` is a non-zero multiple of 4 KiB
    /// (P1), `alignment` a power of two of at least 4 KiB (P2).
    pub fn request(
        &mut self,
        tag: impl Into<Arc<str>>,
        kind: PlacedKind,
        size: u64,
        alignment: u64,
        placement: Placement,
    ) -> &mut Self {
        self.push(
            tag.into(),
            sys::PlaceReq {
                class: placement.class().raw(),
                kind: kind.raw(),
                size,
                align: alignment,
                ..Default::default()
            },
        )
    }

    /// Requests `size` bytes of RAM for the next vNUMA node (the i-th RAM
    /// request is node i), placed bottom up at or above the end of the
    /// RAM placed before it (never backfilling), split around fixed and
    /// 32-bit MMIO ranges into extents at multiples of `alignment`; an
    /// extent that does not finish the request is rounded down to
    /// `alignment`. `size` 0 is a memory-less node (SPEC D8): it places
    /// nothing and keeps its node number.
    pub fn ram(&mut self, tag: impl Into<Arc<str>>, size: u64, alignment: u64) -> &mut Self {
        self.push(
            tag.into(),
            sys::PlaceReq {
                class: sys::CLASS_RAM,
                size,
                align: alignment,
                ..Default::default()
            },
        )
    }

    /// The request array as SET_LAYOUT receives it, in call order.
    pub fn requests(&self) -> &[sys::PlaceReq] {
        &self.reqs
    }

    /// The tags, one per request, in call order.
    pub fn tags(&self) -> &[Arc<str>] {
        &self.tags
    }

    /// The error for a rejection of this builder's requests.
    pub fn error(&self, reason: PlaceReason) -> AllocateError {
        AllocateError::from_reason(reason, &self.reqs, &self.tags)
    }

    /// Tags the kernel's placed ranges: each one's class and index name
    /// one of this builder's requests, whose tag it gets (a range of
    /// another builder's layout reads as `class[index]`); RAM gets its
    /// node. The order is kept.
    pub fn resolve(&self, entries: &[PlacedEntry]) -> Vec<PlacedRange> {
        // Array positions of each class's requests, in class index order.
        let mut by_class: Vec<Vec<u32>> = vec![Vec::new(); PlacedClass::ALL.len() + 1];
        for (pos, r) in self.reqs.iter().enumerate() {
            if let Some(v) = by_class.get_mut(r.class as usize) {
                v.push(pos as u32);
            }
        }
        entries
            .iter()
            .map(|e| {
                let class = e.class.raw();
                let pos = by_class[class as usize]
                    .get(e.index as usize)
                    .copied()
                    .unwrap_or(u32::MAX);
                PlacedRange {
                    tag: tag_at(&self.tags, pos, class, e.index),
                    class: e.class,
                    index: e.index,
                    kind: e.kind,
                    range: e.range,
                    node: if e.class == PlacedClass::Ram {
                        Some(e.vnode)
                    } else {
                        None
                    },
                }
            })
            .collect()
    }

    /// Places every request on `device`, makes the result the file's
    /// layout, and returns the placed ranges sorted by address, tagged
    /// (reserved ranges above every other range are dropped, as upstream
    /// drops them). On rejection the file keeps its previous layout.
    ///
    /// Unlike upstream, a placement with no RAM is rejected (SPEC R5), and
    /// a RAM request of size 0 is a memory-less node (D8). Should another
    /// thread replace the file's layout between the two calls, the result
    /// is `EAGAIN` ([`AllocateError::Layout`]).
    pub fn allocate(&self, device: &Device) -> Result<Vec<PlacedRange>, AllocateError> {
        let accepted = device
            .set_placement(&self.reqs, false)
            .map_err(|r| self.error(r))?;
        let (entries, generation) = device.placements()?;
        if generation != accepted.generation {
            return Err(io::Error::from_raw_os_error(11).into()); // EAGAIN
        }
        Ok(self.resolve(&entries))
    }

    /// Checks the placement on `device` without making it the layout
    /// (`MEMLAYOUT_SET_DRY_RUN`): the same checks and rejections as
    /// [`allocate`](LayoutBuilder::allocate), and on success the layout's
    /// fingerprint (generation 0); the file keeps its layout.
    pub fn dry_run(&self, device: &Device) -> Result<Accepted, AllocateError> {
        device
            .set_placement(&self.reqs, true)
            .map_err(|r| self.error(r))
    }

    /// Opens `/dev/memlayout`, places every request there and returns the
    /// layout the placement made, as upstream's resolver builds its
    /// `MemoryLayout` from the result, with the placed ranges.
    pub fn build(&self) -> Result<(MemoryLayout, Vec<PlacedRange>), AllocateError> {
        let device = Device::open()?;
        let placed = self.allocate(&device)?;
        let layout = MemoryLayout::from_device(device)?;
        Ok((layout, placed))
    }
}
