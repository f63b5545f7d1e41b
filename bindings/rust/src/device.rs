//! The device client: one open `/dev/memlayout` file and its ioctls.

use crate::error::{Error, Reason};
use crate::layout::AddressType;
use crate::place::{PlaceReason, PlacedClass, PlacedKind};
use crate::range::{MemoryRange, MemoryRangeWithNode};
use crate::sys;
use std::fs::{File, OpenOptions};
use std::io;
use std::mem::size_of;
use std::os::unix::io::{AsRawFd, RawFd};
use std::path::Path;

/// The device node [`Device::open`] opens.
pub const DEVICE_PATH: &str = "/dev/memlayout";

/// Where the RAM of a layout request comes from (SPEC C1-C3).
#[derive(Clone, Copy, Debug)]
pub enum RamSource<'a> {
    /// C1: this many bytes, placed upward from 0 around the holes, vnode 0.
    Size(u64),
    /// C2: per-node sizes, node 0 first, placed as C1 places one size.
    Nodes(&'a [u64]),
    /// C3: these RAM ranges, exactly as given.
    Ranges(&'a [MemoryRangeWithNode]),
}

/// A SET_LAYOUT request: the RAM, the three hole lists (each sorted, may
/// be empty) and an optional VTL2 range.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// Where the RAM comes from.
    pub ram: RamSource<'a>,
    /// MMIO gaps.
    pub mmio: &'a [MemoryRange],
    /// PCI ECAM windows.
    pub pci_ecam: &'a [MemoryRange],
    /// PCI MMIO windows.
    pub pci_mmio: &'a [MemoryRange],
    /// The VTL2 range, above all RAM.
    pub vtl2: Option<MemoryRange>,
    /// Check only (`MEMLAYOUT_SET_DRY_RUN`): the kernel builds and
    /// validates the layout and replies, but the file keeps its layout.
    pub dry_run: bool,
}

impl<'a> Request<'a> {
    /// A request for `ram` with no holes, no VTL2, not a dry run.
    pub fn new(ram: RamSource<'a>) -> Self {
        Self {
            ram,
            mmio: &[],
            pci_ecam: &[],
            pci_mmio: &[],
            vtl2: None,
            dry_run: false,
        }
    }
}

/// What SET_LAYOUT answers when it accepts a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The new layout's generation (1 for a file's first, then +1); 0 for
    /// a dry run.
    pub generation: u64,
    /// The layout's SHA-256 fingerprint (SPEC F1).
    pub fingerprint: [u8; 32],
}

/// The figures of one layout (GET_STATS), SPEC Q2-Q8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Generation of the layout described.
    pub generation: u64,
    /// Q2: total RAM bytes (VTL2 excluded).
    pub ram_size: u64,
    /// Q3: end of the last RAM range.
    pub end_of_ram: u64,
    /// Q4: RAM bytes below 4 GiB.
    pub ram_below_4gb: u64,
    /// Q5: RAM bytes at or above 4 GiB.
    pub ram_above_4gb: u64,
    /// Q6: where RAM below 4 GiB ends, when RAM starts below 4 GiB.
    pub max_ram_below_4gb: Option<u64>,
    /// Q7: RAM above the second of exactly two MMIO gaps.
    pub ram_above_high_mmio: Option<u64>,
    /// Q8: the largest end of RAM and holes.
    pub end_of_layout: u64,
    /// The VTL2 range, if any.
    pub vtl2_range: Option<MemoryRange>,
    /// Number of RAM ranges.
    pub nr_ram: u32,
    /// Number of MMIO gaps.
    pub nr_mmio: u32,
    /// Number of PCI ECAM windows.
    pub nr_pci_ecam: u32,
    /// Number of PCI MMIO windows.
    pub nr_pci_mmio: u32,
    /// The layout's fingerprint (zero from a kernel that has none).
    pub fingerprint: [u8; 32],
}

impl Stats {
    fn from_raw(s: &sys::Stats) -> Self {
        let opt = |bit: u32, v: u64| if s.present & bit != 0 { Some(v) } else { None };
        Self {
            generation: s.generation,
            ram_size: s.ram_size,
            end_of_ram: s.end_of_ram,
            ram_below_4gb: s.ram_below_4gb,
            ram_above_4gb: s.ram_above_4gb,
            max_ram_below_4gb: opt(sys::STATS_MAX_RAM_BELOW_4GB, s.max_ram_below_4gb),
            ram_above_high_mmio: opt(sys::STATS_RAM_ABOVE_HIGH_MMIO, s.ram_above_high_mmio),
            end_of_layout: s.end_of_layout,
            vtl2_range: if s.present & sys::STATS_VTL2 != 0 {
                Some(MemoryRange::from_kernel(s.vtl2_start, s.vtl2_end))
            } else {
                None
            },
            nr_ram: s.nr_ram,
            nr_mmio: s.nr_mmio,
            nr_pci_ecam: s.nr_pci_ecam,
            nr_pci_mmio: s.nr_pci_mmio,
            fingerprint: s.fingerprint,
        }
    }
}

/// One range of a layout, of any kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutEntry {
    /// The range.
    pub range: MemoryRange,
    /// Its virtual NUMA node (RAM), else 0.
    pub vnode: u32,
    /// What it is.
    pub kind: AddressType,
}

/// One whole layout read in one call (GET_LAYOUT): every range in address
/// order, the figures, the generation and the fingerprint, all of the same
/// layout even while another thread replaces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The layout's generation.
    pub generation: u64,
    /// Its SHA-256 fingerprint (SPEC F1).
    pub fingerprint: [u8; 32],
    /// Its figures (VTL2 in [`Stats::vtl2_range`]).
    pub stats: Stats,
    /// RAM and holes (not VTL2), in address order.
    pub entries: Vec<LayoutEntry>,
}

impl Snapshot {
    /// The ranges of one kind, in address order.
    pub fn ranges_of(&self, kind: AddressType) -> impl Iterator<Item = &LayoutEntry> + '_ {
        self.entries.iter().filter(move |e| e.kind == kind)
    }
}

/// The answer to one probed address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeHit {
    /// The address probed.
    pub address: u64,
    /// What backs it; `None` when nothing does (or it is VTL2).
    pub address_type: Option<AddressType>,
    /// The covering range and its vnode, when there is one.
    pub range: Option<MemoryRangeWithNode>,
    /// The covering range's index in its kind's list (as
    /// [`Device::ranges`] returns it).
    pub index: Option<u32>,
}

/// One placed range of a layout built by placement (GET_PLACEMENTS): the
/// range, the class and index of the request it comes from (the kernel's
/// tag), its kind and its node. [`LayoutBuilder`](crate::LayoutBuilder)
/// turns these into tagged [`PlacedRange`](crate::PlacedRange)s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlacedEntry {
    /// The placed range.
    pub range: MemoryRange,
    /// The class of the request it comes from.
    pub class: PlacedClass,
    /// That request's index among the requests of its class.
    pub index: u32,
    /// Its kind: [`PlacedKind::Ram`] for RAM, [`PlacedKind::None`] for a
    /// reserved range, [`PlacedKind::Vtl2`] for the VTL2 range.
    pub kind: PlacedKind,
    /// RAM: the vNUMA node (the RAM request's index); else 0.
    pub vnode: u32,
}

/// An open `/dev/memlayout` file. Each open file holds its own layout.
#[derive(Debug)]
pub struct Device {
    file: File,
}

fn ptr_of<T>(s: &[T]) -> u64 {
    if s.is_empty() {
        0
    } else {
        s.as_ptr() as usize as u64
    }
}

fn len_of<T>(s: &[T]) -> Result<u32, Error> {
    u32::try_from(s.len()).map_err(|_| Error::Io(io::Error::from_raw_os_error(E2BIG)))
}

const E2BIG: i32 = 7;
const EMSGSIZE: i32 = 90;

impl Device {
    /// Opens [`DEVICE_PATH`] for reading and writing.
    pub fn open() -> Result<Self, Error> {
        Self::open_path(DEVICE_PATH)
    }

    /// Opens the device node at `path`.
    pub fn open_path<P: AsRef<Path>>(path: P) -> Result<Self, Error> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        Ok(Self { file })
    }

    /// Wraps a file already open on the device.
    pub fn from_file(file: File) -> Self {
        Self { file }
    }

    /// The ioctl, with the errno as a positive `Err`.
    fn ioctl<T>(&self, req: std::os::raw::c_ulong, arg: &mut T) -> Result<(), i32> {
        // SAFETY: every request of this interface takes a pointer to the
        // struct it is called with here, of the size written in its first
        // member; the arrays it points to outlive the call.
        let rc = unsafe { sys::ioctl(self.file.as_raw_fd(), req, arg as *mut T) };
        if rc < 0 {
            Err(io::Error::last_os_error().raw_os_error().unwrap_or(0))
        } else {
            Ok(())
        }
    }

    /// The ioctl, for the other modules of the crate.
    pub(crate) fn raw_ioctl<T>(&self, req: std::os::raw::c_ulong, arg: &mut T) -> Result<(), i32> {
        self.ioctl(req, arg)
    }

    fn io_err(errno: i32) -> Error {
        Error::Io(io::Error::from_raw_os_error(errno))
    }

    /// GET_INFO: what this kernel supports.
    pub fn info(&self) -> Result<sys::Info, Error> {
        let mut i = sys::Info {
            size: size_of::<sys::Info>() as u32,
            ..Default::default()
        };
        self.ioctl(sys::IOC_GET_INFO, &mut i)
            .map_err(Self::io_err)?;
        Ok(i)
    }

    /// SET_LAYOUT: builds the requested layout and, unless it is a dry run,
    /// makes it this file's layout. On rejection the error carries the
    /// kernel's reason and the file keeps its previous layout.
    pub fn set_layout(&self, req: &Request<'_>) -> Result<Accepted, Error> {
        let raw = |r: &[MemoryRange]| r.iter().map(|x| x.to_raw(0)).collect::<Vec<_>>();
        let mmio = raw(req.mmio);
        let ecam = raw(req.pci_ecam);
        let pmmio = raw(req.pci_mmio);
        let mut s = sys::Set {
            size: size_of::<sys::Set>() as u32,
            mmio_ptr: ptr_of(&mmio),
            nr_mmio: len_of(&mmio)?,
            pci_ecam_ptr: ptr_of(&ecam),
            nr_pci_ecam: len_of(&ecam)?,
            pci_mmio_ptr: ptr_of(&pmmio),
            nr_pci_mmio: len_of(&pmmio)?,
            ..Default::default()
        };
        let ram: Vec<sys::Range>;
        match req.ram {
            RamSource::Size(n) => {
                s.source = sys::SOURCE_SIZE;
                s.ram_size = n;
            }
            RamSource::Nodes(nodes) => {
                s.source = sys::SOURCE_NODES;
                s.nodes_ptr = ptr_of(nodes);
                s.nr_nodes = len_of(nodes)?;
            }
            RamSource::Ranges(r) => {
                ram = r.iter().map(|x| x.range.to_raw(x.vnode)).collect();
                s.source = sys::SOURCE_RANGES;
                s.ram_ptr = ptr_of(&ram);
                s.nr_ram = len_of(&ram)?;
            }
        }
        if let Some(v) = req.vtl2 {
            s.flags |= sys::SET_VTL2;
            s.vtl2 = v.to_raw(0);
        }
        if req.dry_run {
            s.flags |= sys::SET_DRY_RUN;
        }
        match self.ioctl(sys::IOC_SET_LAYOUT, &mut s) {
            Ok(()) => Ok(Accepted {
                generation: s.generation,
                fingerprint: s.fingerprint,
            }),
            Err(errno) => Err(Error::from_reason(Reason::from_raw(&s.reason, errno))),
        }
    }

    /// SET_LAYOUT with `MEMLAYOUT_SOURCE_PLACE` (SPEC C4): places the
    /// whole address space from `reqs` and, unless `dry_run`, makes the
    /// result the file's layout. On rejection the reason (rule, array
    /// position, class and index, P4 figures) comes back with the errno,
    /// and the file keeps its previous layout.
    /// [`LayoutBuilder`](crate::LayoutBuilder) is the typed way to call it.
    pub fn set_placement(
        &self,
        reqs: &[sys::PlaceReq],
        dry_run: bool,
    ) -> Result<Accepted, PlaceReason> {
        let mut s = sys::Set {
            size: size_of::<sys::Set>() as u32,
            source: sys::SOURCE_PLACE,
            flags: if dry_run { sys::SET_DRY_RUN } else { 0 },
            place_ptr: ptr_of(reqs),
            ..Default::default()
        };
        s.nr_place = match u32::try_from(reqs.len()) {
            Ok(n) => n,
            Err(_) => return Err(PlaceReason::from_errno(E2BIG)),
        };
        match self.ioctl(sys::IOC_SET_LAYOUT, &mut s) {
            Ok(()) => Ok(Accepted {
                generation: s.generation,
                fingerprint: s.fingerprint,
            }),
            Err(errno) => Err(PlaceReason::from_raw(&s.reason, &s.place_reason, errno)),
        }
    }

    /// GET_PLACEMENTS: the placed ranges of the file's layout in address
    /// order, and the generation read (the `EMSGSIZE` count negotiation is
    /// done here). A layout built by C1-C3 has none; `ENOENT`: no layout.
    pub fn placements(&self) -> Result<(Vec<PlacedEntry>, u64), Error> {
        let mut buf: Vec<sys::Placed> = Vec::new();
        loop {
            let mut g = sys::GetPlacements {
                size: size_of::<sys::GetPlacements>() as u32,
                count: len_of(&buf)?,
                entries_ptr: ptr_of(&buf),
                ..Default::default()
            };
            match self.ioctl(sys::IOC_GET_PLACEMENTS, &mut g) {
                Ok(()) => {
                    buf.truncate(g.count as usize);
                    let mut v = Vec::with_capacity(buf.len());
                    for p in &buf {
                        // EINVAL: a class or kind this crate does not know.
                        let class =
                            PlacedClass::from_raw(p.class).ok_or_else(|| Self::io_err(22))?;
                        let kind = PlacedKind::from_raw(p.kind).ok_or_else(|| Self::io_err(22))?;
                        v.push(PlacedEntry {
                            range: MemoryRange::from_kernel(p.start, p.end),
                            class,
                            index: p.index,
                            kind,
                            vnode: p.vnode,
                        });
                    }
                    return Ok((v, g.generation));
                }
                Err(EMSGSIZE) => buf = vec![sys::Placed::default(); g.count as usize],
                Err(e) => return Err(Self::io_err(e)),
            }
        }
    }

    /// GET_STATS: the figures of the file's layout (`ENOENT`: none yet).
    pub fn stats(&self) -> Result<Stats, Error> {
        let mut s = sys::Stats {
            size: size_of::<sys::Stats>() as u32,
            ..Default::default()
        };
        self.ioctl(sys::IOC_GET_STATS, &mut s)
            .map_err(Self::io_err)?;
        Ok(Stats::from_raw(&s))
    }

    /// GET_RANGES: one list (`sys::LIST_RAM`, `_MMIO`, `_PCI_ECAM`,
    /// `_PCI_MMIO` or `_VTL2`), all of it, and the generation read. The
    /// `EMSGSIZE` size negotiation is done here.
    pub fn ranges(&self, list: u32) -> Result<(Vec<MemoryRangeWithNode>, u64), Error> {
        let mut buf: Vec<sys::Range> = Vec::new();
        loop {
            let mut g = sys::GetRanges {
                size: size_of::<sys::GetRanges>() as u32,
                list,
                count: len_of(&buf)?,
                ranges_ptr: ptr_of(&buf),
                ..Default::default()
            };
            match self.ioctl(sys::IOC_GET_RANGES, &mut g) {
                Ok(()) => {
                    buf.truncate(g.count as usize);
                    let v = buf
                        .iter()
                        .map(|r| MemoryRangeWithNode {
                            range: MemoryRange::from_kernel(r.start, r.end),
                            vnode: r.vnode,
                        })
                        .collect();
                    return Ok((v, g.generation));
                }
                Err(EMSGSIZE) => buf = vec![sys::Range::default(); g.count as usize],
                Err(e) => return Err(Self::io_err(e)),
            }
        }
    }

    /// GET_LAYOUT: the whole layout, consistent, in one call (the
    /// `EMSGSIZE` count negotiation is done here; a layout that grows in
    /// between is asked for again).
    pub fn snapshot(&self) -> Result<Snapshot, Error> {
        let mut buf: Vec<sys::MapEntry> = Vec::new();
        loop {
            let mut st = sys::Stats {
                size: size_of::<sys::Stats>() as u32,
                ..Default::default()
            };
            let mut g = sys::GetLayout {
                size: size_of::<sys::GetLayout>() as u32,
                count: len_of(&buf)?,
                entries_ptr: ptr_of(&buf),
                stats_ptr: &mut st as *mut sys::Stats as usize as u64,
                ..Default::default()
            };
            match self.ioctl(sys::IOC_GET_LAYOUT, &mut g) {
                Ok(()) => {
                    buf.truncate(g.count as usize);
                    let mut entries = Vec::with_capacity(buf.len());
                    for e in &buf {
                        entries.push(LayoutEntry {
                            range: MemoryRange::from_kernel(e.start, e.end),
                            vnode: e.vnode,
                            kind: AddressType::from_kind(e.kind).ok_or_else(|| {
                                Self::io_err(22) // EINVAL: a kind this crate does not know
                            })?,
                        });
                    }
                    return Ok(Snapshot {
                        generation: g.generation,
                        fingerprint: g.fingerprint,
                        stats: Stats::from_raw(&st),
                        entries,
                    });
                }
                Err(EMSGSIZE) => buf = vec![sys::MapEntry::default(); g.count as usize],
                Err(e) => return Err(Self::io_err(e)),
            }
        }
    }

    /// PROBE: what backs each address, all answered by one layout (its
    /// generation is returned too). No call for an empty batch.
    pub fn probe(&self, addrs: &[u64]) -> Result<(Vec<Option<AddressType>>, u64), Error> {
        let mut kinds = vec![0u32; addrs.len()];
        let gen = self.probe_raw(addrs, &mut kinds, None)?;
        Ok((kinds.into_iter().map(AddressType::from_kind).collect(), gen))
    }

    /// PROBE with covering ranges: for each address, its kind and the
    /// range that covers it (start, end, vnode, index in its kind's list),
    /// as PROCMAP_QUERY returns the VMA covering an address.
    pub fn probe_ranges(&self, addrs: &[u64]) -> Result<(Vec<ProbeHit>, u64), Error> {
        let mut kinds = vec![0u32; addrs.len()];
        let mut ranges = vec![sys::ProbeRange::default(); addrs.len()];
        let gen = self.probe_raw(addrs, &mut kinds, Some(&mut ranges))?;
        let hits = addrs
            .iter()
            .zip(kinds.iter().zip(ranges.iter()))
            .map(|(&address, (&k, r))| {
                let covered = r.index != sys::PROBE_NO_RANGE;
                ProbeHit {
                    address,
                    address_type: AddressType::from_kind(k),
                    range: if covered {
                        Some(MemoryRangeWithNode {
                            range: MemoryRange::from_kernel(r.start, r.end),
                            vnode: r.vnode,
                        })
                    } else {
                        None
                    },
                    index: if covered { Some(r.index) } else { None },
                }
            })
            .collect();
        Ok((hits, gen))
    }

    fn probe_raw(
        &self,
        addrs: &[u64],
        kinds: &mut [u32],
        ranges: Option<&mut [sys::ProbeRange]>,
    ) -> Result<u64, Error> {
        if addrs.is_empty() {
            return Ok(0);
        }
        let mut p = sys::Probe {
            size: size_of::<sys::Probe>() as u32,
            count: len_of(addrs)?,
            addrs_ptr: ptr_of(addrs),
            kinds_ptr: kinds.as_mut_ptr() as usize as u64,
            ranges_ptr: ranges.map_or(0, |r| r.as_mut_ptr() as usize as u64),
            ..Default::default()
        };
        self.ioctl(sys::IOC_PROBE, &mut p).map_err(Self::io_err)?;
        Ok(p.generation)
    }
}

impl AsRawFd for Device {
    fn as_raw_fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }
}
