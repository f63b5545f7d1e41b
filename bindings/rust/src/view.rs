//! The shared view (SPEC V1-V3): a file's layout mapped read-only into
//! this process, probed with no system call.
//!
//! The kernel rewrites the mapping on every SET_LAYOUT under a sequence
//! counter (UAPI header, "DOC: Shared view"). Every read here follows that
//! protocol: `seq` loaded with acquire ordering (odd: the writer is inside,
//! read again), the header and the ranges read with relaxed atomic loads,
//! each offset and index checked against the mapping before it is used,
//! an acquire fence, then `seq` again: if it changed, what was read is
//! discarded and read anew. A torn read is thus never returned, and never
//! reads outside the mapping first.

use crate::device::Device;
use crate::error::Error;
use crate::layout::AddressType;
use crate::range::{MemoryRange, MemoryRangeWithNode};
use crate::sys;
use std::io;
use std::mem::size_of;
use std::os::unix::io::AsRawFd;
use std::ptr;
use std::sync::atomic::{fence, AtomicU32, AtomicU64, AtomicU8, Ordering};

const ENOENT: i32 = 2;
const E2BIG: i32 = 7;
const EINVAL: i32 = 22;
const EPROTO: i32 = 71;

/// One address answered through the view: what backs it, the range that
/// covers it and the generation of the layout that answered (SPEC Q9 for
/// that generation, V1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewHit {
    /// What backs the address; `None` when nothing does (or it is VTL2).
    pub address_type: Option<AddressType>,
    /// The covering range and its vnode, when there is one.
    pub range: Option<MemoryRangeWithNode>,
    /// The generation of the layout that answered.
    pub generation: u64,
}

/// A file's shared view, mapped `PROT_READ`, `MAP_SHARED` (SPEC V1).
///
/// The mapping holds the file: the [`Device`] may be dropped first. It
/// is [`Send`] and [`Sync`]: any thread may probe through it while another
/// replaces the layout; each answer is wholly of one layout (SPEC V2).
#[derive(Debug)]
pub struct View {
    base: *const u8,
    len: usize,
}

// SAFETY: the mapping is read-only memory that lives until drop; every
// read of it is an atomic load.
unsafe impl Send for View {}
// SAFETY: as above; `&View` only ever loads.
unsafe impl Sync for View {}

fn io_err(errno: i32) -> Error {
    Error::Io(io::Error::from_raw_os_error(errno))
}

fn page_size() -> usize {
    // SAFETY: sysconf() has no memory arguments.
    let p = unsafe { sys::sysconf(sys::SC_PAGESIZE) };
    if p > 0 {
        p as usize
    } else {
        4096
    }
}

/// `mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0)`, the errno on failure.
fn map(fd: i32, len: usize) -> Result<*const u8, i32> {
    // SAFETY: a new mapping at an address the kernel chooses; no memory
    // of this process is touched.
    let p = unsafe { sys::mmap(ptr::null_mut(), len, sys::PROT_READ, sys::MAP_SHARED, fd, 0) };
    if p as usize == !0usize {
        Err(io::Error::last_os_error().raw_os_error().unwrap_or(0))
    } else {
        Ok(p as *const u8)
    }
}

impl View {
    /// Maps `dev`'s shared view. `size` is the view's size to ask for
    /// when the file has none yet (the first mapping of a file fixes it; a
    /// whole number of pages up to [`sys::VIEW_MAX_SIZE`], rounded up
    /// here); 0 asks for room for the largest layout the kernel accepts
    /// (seven lists of GET_INFO's `max_ranges`), which is never too large.
    /// When the view exists, it is mapped whole, whatever `size`.
    ///
    /// Errors: the errno of `mmap()` (`EINVAL` for a size over the
    /// maximum, `ENOMEM`, `ENODEV` from a kernel without the view).
    pub fn open(dev: &Device, size: usize) -> Result<View, Error> {
        let page = page_size();
        let mut len = if size == 0 {
            let max = dev.info().map(|i| i.max_ranges as usize).unwrap_or(4096);
            let want = 128 + 7 * max * (size_of::<u64>() + size_of::<sys::ViewRecord>());
            want.min(sys::VIEW_MAX_SIZE)
        } else {
            size
        };
        len = (len + page - 1) / page * page;
        let fd = dev.as_raw_fd();
        let base = match map(fd, len) {
            Ok(p) => p,
            Err(EINVAL) if len > page && len <= sys::VIEW_MAX_SIZE => {
                // The view exists, smaller: its header says how big.
                let p = map(fd, page).map_err(io_err)?;
                let probe = View { base: p, len: page };
                let have = probe.load64(16 + 16) as usize;
                drop(probe);
                len = have;
                map(fd, len).map_err(io_err)?
            }
            Err(e) => return Err(io_err(e)),
        };
        Ok(View { base, len })
    }

    /// The bytes mapped (the view's size).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is mapped (never: a view is at least one page).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The mapping's address (for tests of the mapping's protection).
    pub fn as_ptr(&self) -> *const u8 {
        self.base
    }

    fn load32(&self, off: usize) -> u32 {
        debug_assert!(off % 4 == 0 && off + 4 <= self.len);
        // SAFETY: the caller checked `off` against the mapping; the
        // mapping is page aligned and `off` 4-aligned.
        unsafe { (*(self.base.add(off) as *const AtomicU32)).load(Ordering::Relaxed) }
    }

    fn load64(&self, off: usize) -> u64 {
        debug_assert!(off % 8 == 0 && off + 8 <= self.len);
        // SAFETY: as load32(), 8-aligned.
        unsafe { (*(self.base.add(off) as *const AtomicU64)).load(Ordering::Relaxed) }
    }

    fn seq_acquire(&self) -> u32 {
        // SAFETY: `seq` is at offset 8 of a mapping of at least a page.
        unsafe { (*(self.base.add(8) as *const AtomicU32)).load(Ordering::Acquire) }
    }

    /// Runs `read` between two equal even values of `seq` until it read
    /// one layout whole; `read` must only load through `self`.
    fn read<T>(&self, mut read: impl FnMut() -> T) -> T {
        loop {
            let seq = self.seq_acquire();
            if seq & 1 != 0 {
                std::hint::spin_loop();
                continue;
            }
            let v = read();
            fence(Ordering::Acquire);
            if self.load32(8) == seq {
                return v;
            }
        }
    }

    /// A copy of the view's header, of one layout (its `seq` is the even
    /// value it was read under).
    pub fn header(&self) -> sys::View {
        self.read(|| {
            let mut fp = [0u8; sys::FINGERPRINT_SIZE];
            for (i, b) in fp.iter_mut().enumerate() {
                // SAFETY: the fingerprint lies inside the header, which
                // lies inside the mapping.
                *b = unsafe {
                    (*(self.base.add(72 + i) as *const AtomicU8)).load(Ordering::Relaxed)
                };
            }
            // An older module's header has no index members: none.
            let indexed = self.load32(28) as usize >= sys::VIEW_HEADER_SIZE;
            sys::View {
                magic: self.load32(0),
                version: self.load32(4),
                seq: self.load32(8),
                flags: self.load32(12),
                generation: self.load64(16),
                nr: self.load32(24),
                header_size: self.load32(28),
                size: self.load64(32),
                starts_off: self.load64(40),
                records_off: self.load64(48),
                vtl2_start: self.load64(56),
                vtl2_end: self.load64(64),
                fingerprint: fp,
                index_off: if indexed { self.load64(104) } else { 0 },
                index_shift: if indexed {
                    self.load32(112)
                } else {
                    sys::VIEW_NO_INDEX
                },
                reserved: 0,
            }
        })
    }

    /// Where the ranges are, checked against the mapping: (`nr`, starts'
    /// offset, records' offset, the bucket index's offset and shift when
    /// the view has one within the mapping), or the errno (`ENOENT`: no
    /// layout yet, `E2BIG`: the ranges are not in the view).
    fn ranges_at(&self) -> Result<(u32, usize, usize, Option<(usize, u32)>), i32> {
        let flags = self.load32(12);
        let nr = self.load32(24) as u64;
        let so = self.load64(40);
        let ro = self.load64(48);
        if flags & sys::VIEW_LAYOUT == 0 {
            return Err(ENOENT);
        }
        let starts_end = so.checked_add(nr * 8);
        let records_end = ro.checked_add(nr * size_of::<sys::ViewRecord>() as u64);
        match (starts_end, records_end) {
            (Some(se), Some(re))
                if flags & sys::VIEW_TOO_LARGE == 0
                    && so % 8 == 0
                    && ro % 8 == 0
                    && so >= sys::VIEW_HEADER_SIZE as u64
                    && se <= ro
                    && re <= self.len as u64 =>
            {
                // The index follows the records (version 1), 8 bytes a
                // range; an older module's header has no index members.
                let io = re;
                let shift = self.load32(112);
                let index = if self.load32(28) as usize >= sys::VIEW_HEADER_SIZE
                    && self.load64(104) == io
                    && shift <= 63
                    && nr > 0
                    && io + nr * 8 <= self.len as u64
                {
                    Some((io as usize, shift))
                } else {
                    None
                };
                Ok((nr as u32, so as usize, ro as usize, index))
            }
            _ => Err(E2BIG),
        }
    }

    /// One address against the ranges at (`nr`, `so`, `ro`): the
    /// bucket index's candidates (all ranges without one), then a
    /// branch-free binary search among them for the last start at or
    /// below `addr`.
    fn search(
        &self,
        nr: u32,
        so: usize,
        ro: usize,
        index: Option<(usize, u32)>,
        addr: u64,
    ) -> (u32, Option<MemoryRangeWithNode>) {
        if nr == 0 || addr < self.load64(so) {
            return (sys::KIND_NONE, None);
        }
        let last = nr as usize - 1;
        let (mut lo, hi) = match index {
            Some((io, shift)) => {
                // Bucket b's candidates are ranges index[b] to
                // index[b + 1]; what the loads give is bounded by nr - 1
                // first (a torn read must stay within the mapping).
                let top = 2 * last as u64;
                let b = std::cmp::min(addr >> shift, top) as usize;
                let hi = std::cmp::min(self.load32(io + 4 * (b + 1)) as usize, last);
                (std::cmp::min(self.load32(io + 4 * b) as usize, hi), hi)
            }
            None => (0, last),
        };
        let mut n = hi - lo + 1;
        while n > 1 {
            let half = n / 2;
            if self.load64(so + 8 * (lo + half)) <= addr {
                lo += half;
            }
            n -= half;
        }
        let rec = ro + lo * size_of::<sys::ViewRecord>();
        let end = self.load64(rec);
        if addr >= end {
            return (sys::KIND_NONE, None);
        }
        let start = self.load64(so + 8 * lo);
        let vnode = self.load32(rec + 8);
        let kind = self.load32(rec + 12);
        // A torn read may pair any start and end: build the range only
        // from a sane pair (the counter check discards the read anyway).
        let range = if start < end {
            Some(MemoryRangeWithNode {
                range: MemoryRange::from_kernel(start, end),
                vnode,
            })
        } else {
            None
        };
        (kind, range)
    }

    fn check_version(&self) -> Result<(), Error> {
        if self.load32(0) != sys::VIEW_MAGIC || self.load32(4) != sys::VIEW_VERSION {
            return Err(io_err(EPROTO));
        }
        Ok(())
    }

    /// What backs `addr`, the covering range and the generation, all of
    /// one layout (SPEC Q9 through the view, V1-V2), with no system call.
    ///
    /// Errors: `ENOENT` (no layout yet), `E2BIG` (the layout is too large
    /// for the view, SPEC V3: ask [`Device::probe_ranges`]), `EPROTO` (a
    /// view version this crate does not know).
    pub fn probe(&self, addr: u64) -> Result<ViewHit, Error> {
        self.check_version()?;
        self.read(|| {
            let (nr, so, ro, index) = self.ranges_at()?;
            let gen = self.load64(16);
            let (kind, range) = self.search(nr, so, ro, index, addr);
            Ok(ViewHit {
                address_type: AddressType::from_kind(kind),
                range,
                generation: gen,
            })
        })
        .map_err(io_err)
    }

    /// What backs each address, all answered by one layout, and its
    /// generation: [`Device::probe`] through the view. Errors as
    /// [`View::probe`].
    pub fn probe_batch(&self, addrs: &[u64]) -> Result<(Vec<Option<AddressType>>, u64), Error> {
        self.check_version()?;
        let mut kinds = vec![None; addrs.len()];
        let gen = self
            .read(|| {
                let (nr, so, ro, index) = self.ranges_at()?;
                for (k, &a) in kinds.iter_mut().zip(addrs) {
                    *k = AddressType::from_kind(self.search(nr, so, ro, index, a).0);
                }
                Ok(self.load64(16))
            })
            .map_err(io_err)?;
        Ok((kinds, gen))
    }
}

impl Drop for View {
    fn drop(&mut self) {
        // SAFETY: `base` and `len` are the mapping made in open(), used
        // by nothing else.
        unsafe {
            sys::munmap(self.base as *mut _, self.len);
        }
    }
}

impl Device {
    /// The file's shared view (SPEC V1), of the default size when the
    /// file has none yet: [`View::open`]`(self, 0)`.
    pub fn view(&self) -> Result<View, Error> {
        View::open(self, 0)
    }
}
