//! KVM audit (SPEC H4): [`Device::check_kvm`] checks the file's layout
//! against the memslots of a KVM VM the caller holds, in every address
//! space, and returns every finding. KVM gives userspace no way to list a
//! VM's memslots; the module reads them.

use crate::device::Device;
use crate::error::{list_name, Error};
use crate::sys;
use std::fmt;
use std::io;
use std::mem::size_of;
use std::ops::Range;
use std::os::unix::io::AsRawFd;

const EINVAL: i32 = 22;
const EMSGSIZE: i32 = 90;

/// What a finding says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KvmFindingKind {
    /// RAM that no memslot backs.
    Unbacked,
    /// RAM backed only by a read-only memslot (`KVM_MEM_READONLY`).
    ReadOnly,
    /// A memslot's bytes over a hole (mmio, pci_ecam, pci_mmio): device
    /// memory such as a ROM or a VRAM BAR is legitimate there; the caller
    /// judges from the hole's kind and the slot's flags.
    OverHole,
    /// A memslot's bytes outside every range of the layout (VTL2 counts as
    /// inside).
    Outside,
}

impl KvmFindingKind {
    fn from_raw(kind: u32) -> Option<Self> {
        Some(match kind {
            sys::KVM_UNBACKED => Self::Unbacked,
            sys::KVM_READONLY => Self::ReadOnly,
            sys::KVM_OVER_HOLE => Self::OverHole,
            sys::KVM_OUTSIDE => Self::Outside,
            _ => return None,
        })
    }

    /// libmemlayout's name: "unbacked", "readonly", "over-hole", "outside".
    pub fn name(self) -> &'static str {
        match self {
            Self::Unbacked => "unbacked",
            Self::ReadOnly => "readonly",
            Self::OverHole => "over-hole",
            Self::Outside => "outside",
        }
    }
}

/// The layout range a finding lies in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvmLayoutRange {
    /// Its list (`sys::LIST_RAM` .. `sys::LIST_PCI_MMIO`).
    pub list: u32,
    /// Its index in that list (GET_RANGES order).
    pub index: u32,
    /// The range, half-open.
    pub range: Range<u64>,
}

/// The memslot a finding concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvmSlot {
    /// Its id as the VMM set it (`slot & 0xffff`).
    pub id: u32,
    /// Its guest-physical range, half-open.
    pub range: Range<u64>,
    /// Its `KVM_MEM_*` flags (`sys::KVM_MEM_*`).
    pub flags: u32,
}

impl KvmSlot {
    /// The slot was set with `KVM_MEM_READONLY`.
    pub fn read_only(&self) -> bool {
        self.flags & sys::KVM_MEM_READONLY != 0
    }
}

/// One finding: a maximal run of bytes with one kind, layout range and
/// memslot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvmFinding {
    /// What it says.
    pub kind: KvmFindingKind,
    /// The KVM address space (x86: 1 is SMM's).
    pub as_id: u32,
    /// The bytes concerned, half-open.
    pub range: Range<u64>,
    /// The layout range they lie in; `None` for [`KvmFindingKind::Outside`].
    pub layout: Option<KvmLayoutRange>,
    /// The memslot; `None` for [`KvmFindingKind::Unbacked`].
    pub slot: Option<KvmSlot>,
}

impl KvmFinding {
    fn from_raw(f: &sys::KvmFinding) -> Option<Self> {
        let kind = KvmFindingKind::from_raw(f.kind)?;
        let layout = if f.list == sys::LIST_NONE {
            None
        } else {
            Some(KvmLayoutRange {
                list: f.list,
                index: f.index,
                range: f.range_start..f.range_end,
            })
        };
        let slot = if f.slot_id == sys::KVM_NO_SLOT {
            None
        } else {
            Some(KvmSlot {
                id: f.slot_id,
                range: f.slot_start..f.slot_end,
                flags: f.slot_flags,
            })
        };
        // What the header promises of each kind, or the reply is not believed.
        let ok = f.start < f.end
            && match kind {
                KvmFindingKind::Unbacked => layout.is_some() && slot.is_none(),
                KvmFindingKind::Outside => layout.is_none() && slot.is_some(),
                _ => layout.is_some() && slot.is_some(),
            };
        if !ok {
            return None;
        }
        Some(Self {
            kind,
            as_id: f.as_id,
            range: f.start..f.end,
            layout,
            slot,
        })
    }
}

/// `KVM_MEM_*` flags by name, as libmemlayout's
/// `memlayout_kvm_slot_flags_str()` writes them ("-" for none).
pub fn kvm_flags_name(flags: u32) -> String {
    const NAMES: [&str; 3] = ["log-dirty", "readonly", "guest-memfd"];
    let mut v: Vec<String> = NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| flags & (1 << i) != 0)
        .map(|(_, n)| n.to_string())
        .collect();
    if flags & !7 != 0 {
        v.push(format!("{:#x}", flags & !7));
    }
    if v.is_empty() {
        "-".to_string()
    } else {
        v.join(",")
    }
}

/// The line libmemlayout's `memlayout_kvm_finding_str()` prints, inclusive
/// ends, e.g. `unbacked: as 0 0x0-0xfff of ram[0] 0x0-0x7fffffff: no memslot`.
impl fmt::Display for KvmFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: as {} {:#x}-{:#x} ",
            self.kind.name(),
            self.as_id,
            self.range.start,
            self.range.end - 1
        )?;
        match &self.layout {
            Some(l) => write!(
                f,
                "of {}[{}] {:#x}-{:#x}: ",
                list_name(l.list).unwrap_or("?"),
                l.index,
                l.range.start,
                l.range.end.saturating_sub(1).max(l.range.start)
            )?,
            None => write!(f, "outside the layout: ")?,
        }
        match &self.slot {
            Some(s) => write!(
                f,
                "slot {} {:#x}-{:#x} flags {}",
                s.id,
                s.range.start,
                s.range.end.saturating_sub(1).max(s.range.start),
                kvm_flags_name(s.flags)
            ),
            None => write!(f, "no memslot"),
        }
    }
}

/// What [`Device::check_kvm`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvmAudit {
    /// The generation of the layout checked.
    pub generation: u64,
    /// Memslots read, over every address space.
    pub nr_slots: u32,
    /// Address spaces holding at least one memslot (the others are not
    /// audited).
    pub nr_as: u32,
    /// Every finding, address space by address space, each in address
    /// order.
    pub findings: Vec<KvmFinding>,
}

impl KvmAudit {
    /// No finding: the memslots match the layout.
    pub fn matches(&self) -> bool {
        self.findings.is_empty()
    }
}

impl Device {
    /// CHECK_KVM (SPEC H4): every finding of the file's layout against the
    /// memslots of the KVM VM `vm` (the file `KVM_CREATE_VM` returned; it
    /// stays the caller's), in every address space. Changes nothing. The
    /// `EMSGSIZE` count negotiation is done here (asked again while the
    /// count grows).
    ///
    /// Errors ([`Error::errno`]): `ENOENT` (no layout), `EBADF` (not
    /// open), `ENOPKG` (KVM is not loaded), `EINVAL` (not a KVM VM; also a
    /// reply this crate does not believe), `ESRCH` (the VM is being
    /// destroyed), `ENOTTY` (a module without the command).
    pub fn check_kvm(&self, vm: &impl AsRawFd) -> Result<KvmAudit, Error> {
        let mut buf: Vec<sys::KvmFinding> = Vec::new();
        loop {
            let mut c = sys::CheckKvm {
                size: size_of::<sys::CheckKvm>() as u32,
                vm_fd: vm.as_raw_fd(),
                count: buf.len() as u32,
                findings_ptr: if buf.is_empty() { 0 } else { buf.as_mut_ptr() as usize as u64 },
                ..Default::default()
            };
            match self.raw_ioctl(sys::IOC_CHECK_KVM, &mut c) {
                Ok(()) => {
                    let bad = || Error::Io(io::Error::from_raw_os_error(EINVAL));
                    if c.count as usize > buf.len() {
                        return Err(bad());
                    }
                    buf.truncate(c.count as usize);
                    let findings = buf
                        .iter()
                        .map(|x| KvmFinding::from_raw(x).ok_or_else(bad))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(KvmAudit {
                        generation: c.generation,
                        nr_slots: c.nr_slots,
                        nr_as: c.nr_as,
                        findings,
                    });
                }
                // EMSGSIZE always asks for more than was given.
                Err(EMSGSIZE) if c.count as usize > buf.len() => {
                    buf = vec![sys::KvmFinding::default(); c.count as usize]
                }
                Err(e) => return Err(Error::Io(io::Error::from_raw_os_error(e))),
            }
        }
    }
}
