//! Page-aligned guest-physical ranges, as OpenVMM's `memory_range` crate
//! and `vm_topology::memory` have them.

use crate::sys;
use std::fmt;
use std::ops::Range;

/// A half-open, page-aligned range of guest-physical addresses,
/// `[start, end)`.
///
/// Like upstream's `memory_range::MemoryRange`, it may be empty
/// ([`MemoryRange::EMPTY`]) but never reversed or unaligned: [`new`] panics
/// on those and [`try_new`] returns an error. The kernel rejects an empty
/// range in a request (SPEC R2).
///
/// [`new`]: MemoryRange::new
/// [`try_new`]: MemoryRange::try_new
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MemoryRange {
    start: u64,
    end: u64,
}

/// The error of [`MemoryRange::try_new`]: the bounds are reversed, not
/// page aligned, or end above [`MemoryRange::MAX_ADDRESS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidMemoryRange(pub Range<u64>);

impl fmt::Display for InvalidMemoryRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid memory range {:#x}-{:#x}: reversed, not page aligned or above {:#x}",
            self.0.start,
            self.0.end,
            MemoryRange::MAX_ADDRESS
        )
    }
}

impl std::error::Error for InvalidMemoryRange {}

impl MemoryRange {
    /// The highest end a range may have: 2^64 - 4096.
    pub const MAX_ADDRESS: u64 = sys::MAX_ADDRESS;

    /// The empty range at address 0.
    pub const EMPTY: Self = Self { start: 0, end: 0 };

    /// The range `range.start..range.end`.
    ///
    /// # Panics
    ///
    /// When the bounds are reversed, not multiples of 4096, or end above
    /// [`MemoryRange::MAX_ADDRESS`] (as upstream's `MemoryRange::new`).
    pub const fn new(range: Range<u64>) -> Self {
        assert!(range.start <= range.end, "reversed memory range");
        assert!(range.start % sys::PAGE_SIZE == 0, "unaligned start");
        assert!(range.end % sys::PAGE_SIZE == 0, "unaligned end");
        assert!(range.end <= Self::MAX_ADDRESS, "end above MAX_ADDRESS");
        Self {
            start: range.start,
            end: range.end,
        }
    }

    /// The range `range.start..range.end`, or an error where [`new`]
    /// would panic.
    ///
    /// [`new`]: MemoryRange::new
    pub fn try_new(range: Range<u64>) -> Result<Self, InvalidMemoryRange> {
        if range.start > range.end
            || range.start % sys::PAGE_SIZE != 0
            || range.end % sys::PAGE_SIZE != 0
            || range.end > Self::MAX_ADDRESS
        {
            return Err(InvalidMemoryRange(range));
        }
        Ok(Self {
            start: range.start,
            end: range.end,
        })
    }

    /// The first address.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// One past the last address.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// The number of bytes.
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    /// Whether the range holds no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `addr` lies in `[start, end)`.
    pub fn contains_addr(&self, addr: u64) -> bool {
        self.start <= addr && addr < self.end
    }

    /// Whether `other` lies entirely inside this range.
    pub fn contains(&self, other: &Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two ranges share at least one byte.
    pub fn overlaps(&self, other: &Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The offset of `addr` from the start, when the range contains it.
    pub fn offset_of(&self, addr: u64) -> Option<u64> {
        if self.contains_addr(addr) {
            Some(addr - self.start)
        } else {
            None
        }
    }

    pub(crate) fn to_raw(self, vnode: u32) -> sys::Range {
        sys::Range {
            start: self.start,
            end: self.end,
            vnode,
            reserved: 0,
        }
    }

    /// A range read from the kernel, which never returns an invalid one.
    pub(crate) fn from_kernel(start: u64, end: u64) -> Self {
        Self { start, end }
    }
}

impl fmt::Display for MemoryRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}-{:#x}", self.start, self.end)
    }
}

impl From<MemoryRange> for Range<u64> {
    fn from(r: MemoryRange) -> Self {
        r.start..r.end
    }
}

impl TryFrom<Range<u64>> for MemoryRange {
    type Error = InvalidMemoryRange;

    fn try_from(range: Range<u64>) -> Result<Self, Self::Error> {
        Self::try_new(range)
    }
}

/// A page-aligned range with the virtual NUMA node it belongs to, as
/// upstream's `vm_topology::memory::MemoryRangeWithNode`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemoryRangeWithNode {
    /// The memory range.
    pub range: MemoryRange,
    /// The virtual NUMA node the range belongs to.
    pub vnode: u32,
}

impl fmt::Display for MemoryRangeWithNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.range, self.vnode)
    }
}
