// SPDX-License-Identifier: GPL-2.0
//! Stand-in for OpenVMM's `memory_range` crate, as ../shared/seed/README.md
//! describes it: a half-open, 4 KiB-aligned `[start, end)` byte range,
//! ordered by `(start, end)`.

use std::fmt;
use std::ops::Range;

const PAGE_SIZE: u64 = 4096;

/// A page-aligned byte range `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemoryRange {
    start: u64,
    end: u64,
}

impl MemoryRange {
    /// The highest address a range may end at.
    pub const MAX_ADDRESS: u64 = u64::MAX - (PAGE_SIZE - 1);

    /// A new range; panics unless both ends are page aligned and
    /// `start <= end <= MAX_ADDRESS`.
    pub fn new(range: Range<u64>) -> Self {
        assert!(range.start & (PAGE_SIZE - 1) == 0, "start not page aligned");
        assert!(range.end & (PAGE_SIZE - 1) == 0, "end not page aligned");
        assert!(range.start <= range.end, "start after end");
        assert!(range.end <= Self::MAX_ADDRESS, "end above MAX_ADDRESS");
        Self {
            start: range.start,
            end: range.end,
        }
    }

    /// First byte.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// One past the last byte.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Length in bytes.
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    /// Whether the range holds no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the two ranges share a byte.
    pub fn overlaps(&self, other: &Self) -> bool {
        self.end > other.start && self.start < other.end
    }

    /// Whether `addr` is in the range.
    pub fn contains_addr(&self, addr: u64) -> bool {
        self.start <= addr && addr < self.end
    }
}

impl fmt::Display for MemoryRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}-{:#x}", self.start, self.end)
    }
}
