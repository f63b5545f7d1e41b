//! Errors, the kernel's rejection reasons, and their names and messages.
//!
//! The names and the message text are libmemlayout's (`lib/names.c`:
//! `memlayout_rule_name()`, `memlayout_strerror()` and friends), so a Rust
//! VMM and a C one print the same line for the same rejection.

use crate::sys;
use std::fmt;
use std::io;

/// Why the kernel rejected a layout: the rule it broke, the list and index
/// of the offending item, and the errno (`struct memlayout_reason` plus
/// the errno of the call).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reason {
    /// The positive errno (`EINVAL`, `EEXIST`, ...); 0 for success.
    pub errno: i32,
    /// A `sys::RULE_*` or `sys::REASON_*` value (0: no rule).
    pub rule: u32,
    /// The `sys::LIST_*` holding the offending item.
    pub list: u32,
    /// Its index in that list (R8: the limit).
    pub index: u32,
    /// R4/R7: the list of the other range.
    pub other_list: u32,
    /// R4/R7: the index of the other range.
    pub other_index: u32,
    /// `sys::REASON_*`: byte offset of the offending member.
    pub field: u32,
}

impl Reason {
    /// The reason the kernel wrote, with the errno of the call.
    pub fn from_raw(r: &sys::Reason, errno: i32) -> Self {
        Self {
            errno: errno.abs(),
            rule: r.rule,
            list: r.list,
            index: r.index,
            other_list: r.other_list,
            other_index: r.other_index,
            field: r.field,
        }
    }

    /// The short name of the rule ("R4", "reserved", ...), if known.
    pub fn rule_name(&self) -> Option<&'static str> {
        rule_name(self.rule)
    }

    /// The short name of the list ("mmio", ...), if known.
    pub fn list_name(&self) -> Option<&'static str> {
        list_name(self.list)
    }
}

/// The short name of a rule or interface reason: "none", "R1" .. "R8",
/// "P1" .. "P4", "flags", "reserved", "size"; `None` for a value not
/// known here.
pub fn rule_name(rule: u32) -> Option<&'static str> {
    Some(match rule {
        sys::RULE_NONE => "none",
        sys::RULE_BAD_SIZE => "R1",
        sys::RULE_BAD_RANGE => "R2",
        sys::RULE_BAD_ORDER => "R3",
        sys::RULE_OVERLAP => "R4",
        sys::RULE_NO_RAM => "R5",
        sys::RULE_TOO_LARGE => "R6",
        sys::RULE_VTL2_BELOW_RAM => "R7",
        sys::RULE_TOO_MANY => "R8",
        sys::RULE_PLACE_SIZE => "P1",
        sys::RULE_PLACE_ALIGN => "P2",
        sys::RULE_PINNED_OVERLAP => "P3",
        sys::RULE_EXHAUSTED => "P4",
        sys::REASON_FLAGS => "flags",
        sys::REASON_RESERVED => "reserved",
        sys::REASON_SIZE => "size",
        _ => return None,
    })
}

/// The short name of a list: "none", "ram", "mmio", "pci_ecam",
/// "pci_mmio", "vtl2", "nodes", "place"; `None` for a value not known
/// here.
pub fn list_name(list: u32) -> Option<&'static str> {
    Some(match list {
        sys::LIST_NONE => "none",
        sys::LIST_RAM => "ram",
        sys::LIST_MMIO => "mmio",
        sys::LIST_PCI_ECAM => "pci_ecam",
        sys::LIST_PCI_MMIO => "pci_mmio",
        sys::LIST_VTL2 => "vtl2",
        sys::LIST_NODES => "nodes",
        sys::LIST_PLACE => "place",
        _ => return None,
    })
}

/// The short name of a kind: "none", "ram", "mmio", "pci_ecam",
/// "pci_mmio"; `None` for a value not known here.
pub fn kind_name(kind: u32) -> Option<&'static str> {
    Some(match kind {
        sys::KIND_NONE => "none",
        sys::KIND_RAM => "ram",
        sys::KIND_MMIO => "mmio",
        sys::KIND_PCI_ECAM => "pci_ecam",
        sys::KIND_PCI_MMIO => "pci_mmio",
        _ => return None,
    })
}

/// The short name of a placement class (also a P4 phase): "reserved",
/// "fixed", "mmio32", "ram", "mmio64", "post_mmio"; `None` for a value
/// not known here (libmemlayout's `memlayout_class_name()`).
pub fn class_name(class: u32) -> Option<&'static str> {
    Some(match class {
        sys::CLASS_RESERVED => "reserved",
        sys::CLASS_FIXED => "fixed",
        sys::CLASS_MMIO32 => "mmio32",
        sys::CLASS_RAM => "ram",
        sys::CLASS_MMIO64 => "mmio64",
        sys::CLASS_POST_MMIO => "post_mmio",
        _ => return None,
    })
}

/// The member an interface reason's `field` points at: with list
/// `LIST_NONE`, a member of `struct memlayout_set` ("ram_size",
/// "mmio_ptr", "vtl2", "place_ptr", ...); with `LIST_PLACE`, a member of
/// `struct memlayout_place_req` ("class", "kind", "start", ...); with any
/// other list, a member of `struct memlayout_range` ("vnode",
/// "reserved").
pub fn field_name(list: u32, field: u32) -> Option<&'static str> {
    if list == sys::LIST_PLACE {
        Some(match field {
            0 => "class",
            4 => "kind",
            8 => "start",
            16 => "end",
            24 => "size",
            32 => "align",
            _ => return None,
        })
    } else if list == sys::LIST_NONE {
        Some(match field {
            0 => "size",
            4 => "flags",
            8 => "source",
            12 => "nr_nodes",
            16 => "ram_size",
            24 => "nodes_ptr",
            32 => "ram_ptr",
            40 => "mmio_ptr",
            48 => "pci_ecam_ptr",
            56 => "pci_mmio_ptr",
            64 => "nr_ram",
            68 => "nr_mmio",
            72 => "nr_pci_ecam",
            76 => "nr_pci_mmio",
            80 => "vtl2",
            168 => "place_ptr",
            176 => "nr_place",
            180 => "place_flags",
            _ => return None,
        })
    } else {
        match field {
            16 => Some("vnode"),
            20 => Some("reserved"),
            _ => None,
        }
    }
}

/// The C library's text for an errno, as `strerror()` gives it.
pub fn errno_text(errno: i32) -> String {
    let s = io::Error::from_raw_os_error(errno.abs()).to_string();
    // std appends " (os error N)" to strerror_r()'s text.
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// "mmio[1]", "vtl2", or "list7[2]" for a list not known here.
fn item(list: u32, index: u32) -> String {
    match list_name(list) {
        _ if list == sys::LIST_VTL2 => "vtl2".to_string(),
        Some(name) => format!("{}[{}]", name, index),
        None => format!("list{}[{}]", list, index),
    }
}

impl fmt::Display for Reason {
    /// The line `memlayout_strerror()` writes for this reason and errno,
    /// e.g. `R4 overlap: mmio[1] overlaps ram[0]: File exists`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = item(self.list, self.index);
        let b = item(self.other_list, self.other_index);
        let fld = field_name(self.list, self.field)
            .map(str::to_string)
            .unwrap_or_else(|| format!("byte {}", self.field));
        let max = sys::MAX_ADDRESS;
        let m = match self.rule {
            sys::RULE_NONE if self.errno == 0 => "success".to_string(),
            sys::RULE_NONE => String::new(),
            sys::RULE_BAD_SIZE if self.list == sys::LIST_NODES && self.index == 0 => format!(
                "R1 bad size: no node size given, or {} is zero or not a multiple of 4 KiB",
                a
            ),
            sys::RULE_BAD_SIZE if self.list == sys::LIST_NODES => {
                format!("R1 bad size: {} is zero or not a multiple of 4 KiB", a)
            }
            sys::RULE_BAD_SIZE => {
                "R1 bad size: ram_size is zero or not a multiple of 4 KiB".to_string()
            }
            sys::RULE_BAD_RANGE => format!(
                "R2 bad range: {} is empty, reversed, not 4 KiB aligned or ends above {:#x}",
                a, max
            ),
            sys::RULE_BAD_ORDER => format!(
                "R3 bad order: {} starts before the end of {}",
                a,
                item(self.list, self.index.wrapping_sub(1))
            ),
            sys::RULE_OVERLAP => format!("R4 overlap: {} overlaps {}", a, b),
            sys::RULE_NO_RAM => "R5 no RAM: the layout would hold no RAM range".to_string(),
            sys::RULE_TOO_LARGE if self.list == sys::LIST_NODES => format!(
                "R6 too large: the RAM of {} does not fit at or below {:#x}",
                a, max
            ),
            sys::RULE_TOO_LARGE => format!(
                "R6 too large: the RAM does not fit at or below {:#x}",
                max
            ),
            sys::RULE_VTL2_BELOW_RAM => format!(
                "R7 VTL2 below end of RAM: {} starts below the end of {}",
                a, b
            ),
            sys::RULE_TOO_MANY => format!(
                "R8 too many ranges: {} holds more than max_ranges {} entries",
                list_name(self.list).unwrap_or("a list"),
                self.index
            ),
            sys::RULE_PLACE_SIZE => format!(
                "P1 invalid size: {} has a size of zero or not a multiple of 4 KiB",
                a
            ),
            sys::RULE_PLACE_ALIGN => format!(
                "P2 invalid alignment: {} has an alignment that is not a power of two of at least 4 KiB",
                a
            ),
            sys::RULE_PINNED_OVERLAP => format!("P3 pinned overlap: {} overlaps {}", a, b),
            sys::RULE_EXHAUSTED => format!("P4 exhausted: {} found no room in its phase", a),
            sys::REASON_FLAGS => format!("unsupported value in {}", fld),
            sys::REASON_RESERVED if self.list == sys::LIST_NONE => format!(
                "field {} must be zero here (unused by this source, reserved, or a pointer without its count)",
                fld
            ),
            sys::REASON_RESERVED => format!("{} of {} must be zero", fld, a),
            sys::REASON_SIZE => format!(
                "the command's size or tail is not understood ({})",
                fld
            ),
            rule => format!("unknown rule {} at {}", rule, a),
        };
        if self.errno == 0 {
            f.write_str(&m)
        } else if m.is_empty() {
            f.write_str(&errno_text(self.errno))
        } else {
            write!(f, "{}: {}", m, errno_text(self.errno))
        }
    }
}

/// Memory layout creation error.
///
/// The first six variants are upstream's (`vm_topology::memory::Error`);
/// each carries the kernel's [`Reason`]. The kernel's rules map onto them
/// as follows: R1 is [`Error::BadSize`] (for per-node sizes,
/// [`Error::BadNumaSize`], or [`Error::EmptyNumaSizes`] when no size is
/// given); R2 and R3 on a hole list are [`Error::BadMmioGaps`], on RAM or
/// VTL2 and R4 and R5 are [`Error::BadMemoryRanges`]; R7 is
/// [`Error::Vtl2RangeBeforeEndOfRam`]. The rest are this crate's own.
/// The placement rules (P1-P4, and R2/R8 on a placement request) are
/// [`AllocateError`](crate::AllocateError)'s; here they are
/// [`Error::Rejected`] or, for R2, [`Error::BadMemoryRanges`].
///
/// Its [`Display`](fmt::Display) is libmemlayout's `memlayout_strerror()`
/// text, e.g. `R3 bad order: mmio[1] starts before the end of mmio[0]:
/// Invalid argument`.
#[derive(Debug)]
pub enum Error {
    /// Invalid memory size (SPEC R1).
    BadSize(Reason),
    /// Invalid NUMA node memory size (SPEC R1 on a node size).
    BadNumaSize(Reason),
    /// Empty NUMA memory sizes (SPEC R1: no node given).
    EmptyNumaSizes(Reason),
    /// Invalid MMIO gap configuration (SPEC R2 or R3 on a hole list).
    BadMmioGaps(Reason),
    /// Invalid memory or MMIO ranges (SPEC R2/R3 on RAM or VTL2, R4, R5).
    BadMemoryRanges(Reason),
    /// VTL2 range is below the end of RAM (SPEC R7).
    Vtl2RangeBeforeEndOfRam(Reason),
    /// Placed RAM does not fit below the highest address (SPEC R6).
    TooLarge(Reason),
    /// A list holds more ranges than the module allows (SPEC R8).
    TooManyRanges(Reason),
    /// Rejected by the ioctl layer: a flag, reserved field or size the
    /// kernel does not accept (`MEMLAYOUT_REASON_*`), or an errno with no
    /// rule (`ENOMEM`, `EFAULT`).
    Rejected(Reason),
    /// Opening the device or a call other than SET_LAYOUT failed.
    Io(io::Error),
    /// CHECK_HOST could not resolve the device at this index of the
    /// caller's array (`ENODEV`: no such PCI device, or a VFIO file the
    /// module cannot resolve; `EBADF`; `EINVAL`: not a VFIO file, or a
    /// record member that must be 0 is not; `EOPNOTSUPP`: unknown type).
    Device(u32, io::Error),
}

impl Error {
    /// The error for a SET_LAYOUT that failed with `errno` and wrote `r`.
    pub fn from_reason(r: Reason) -> Self {
        match r.rule {
            sys::RULE_BAD_SIZE if r.list == sys::LIST_NODES => Error::BadNumaSize(r),
            sys::RULE_BAD_SIZE => Error::BadSize(r),
            sys::RULE_BAD_RANGE | sys::RULE_BAD_ORDER
                if matches!(
                    r.list,
                    sys::LIST_MMIO | sys::LIST_PCI_ECAM | sys::LIST_PCI_MMIO
                ) =>
            {
                Error::BadMmioGaps(r)
            }
            sys::RULE_BAD_RANGE | sys::RULE_BAD_ORDER | sys::RULE_OVERLAP | sys::RULE_NO_RAM => {
                Error::BadMemoryRanges(r)
            }
            sys::RULE_TOO_LARGE => Error::TooLarge(r),
            sys::RULE_VTL2_BELOW_RAM => Error::Vtl2RangeBeforeEndOfRam(r),
            sys::RULE_TOO_MANY => Error::TooManyRanges(r),
            _ => Error::Rejected(r),
        }
    }

    /// The kernel's reason, for every variant but [`Error::Io`].
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Error::BadSize(r)
            | Error::BadNumaSize(r)
            | Error::EmptyNumaSizes(r)
            | Error::BadMmioGaps(r)
            | Error::BadMemoryRanges(r)
            | Error::Vtl2RangeBeforeEndOfRam(r)
            | Error::TooLarge(r)
            | Error::TooManyRanges(r)
            | Error::Rejected(r) => Some(r),
            Error::Io(_) | Error::Device(..) => None,
        }
    }

    /// The positive errno of the failed call, if it came from one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Io(e) | Error::Device(_, e) => e.raw_os_error(),
            _ => self.reason().map(|r| r.errno),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => match e.raw_os_error() {
                Some(n) => f.write_str(&errno_text(n)),
                None => write!(f, "{}", e),
            },
            Error::Device(i, e) => match e.raw_os_error() {
                Some(n) => write!(f, "device {}: {}", i, errno_text(n)),
                None => write!(f, "device {}: {}", i, e),
            },
            _ => write!(f, "{}", self.reason().expect("every other variant has one")),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) | Error::Device(_, e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}
