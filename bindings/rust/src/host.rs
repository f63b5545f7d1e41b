//! Host fit (SPEC H1-H3): [`Device::check_host`] checks the file's layout
//! against this host's CPU width and the IOMMUs of the devices named, and
//! returns every conflict.

use crate::device::Device;
use crate::error::Error;
use crate::sys;
use std::fmt;
use std::fs::File;
use std::io;
use std::marker::PhantomData;
use std::mem::size_of;
use std::ops::{Range, RangeInclusive};
use std::os::unix::io::AsRawFd;

const EINVAL: i32 = 22;
const EMSGSIZE: i32 = 90;

/// A device [`Device::check_host`] checks: a PCI address, or a VFIO group
/// or device file the caller holds (borrowed for `'a`, never closed here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostDevice<'a> {
    raw: sys::HostDevice,
    _file: PhantomData<&'a File>,
}

/// The value of the hex digits `s`, all of them exactly.
fn hex(s: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in s {
        v = v * 16 + (c as char).to_digit(16)?;
    }
    Some(v)
}

impl HostDevice<'static> {
    /// A PCI device by address: `"SSSS:BB:DD.F"` (segment, 4 hex digits)
    /// or `"BB:DD.F"` (segment 0), bus and device 2 hex digits (device at
    /// most `1f`), function one digit 0-7, as lspci and
    /// `/sys/bus/pci/devices` spell them; nothing else (`EINVAL`).
    pub fn pci(bdf: &str) -> Result<Self, Error> {
        let b = bdf.as_bytes();
        let bad = || Error::Io(io::Error::from_raw_os_error(EINVAL));
        let (seg, rest) = match b.len() {
            12 if b[4] == b':' => (hex(&b[..4]).ok_or_else(bad)?, &b[5..]),
            7 => (0, b),
            _ => return Err(bad()),
        };
        if rest[2] != b':' || rest[5] != b'.' {
            return Err(bad());
        }
        let bus = hex(&rest[..2]).ok_or_else(bad)?;
        let dev = hex(&rest[3..5]).ok_or_else(bad)?;
        let func = match rest[6] {
            c @ b'0'..=b'7' => u32::from(c - b'0'),
            _ => return Err(bad()),
        };
        if dev > 0x1f {
            return Err(bad());
        }
        Ok(Self {
            raw: sys::HostDevice {
                typ: sys::DEVICE_PCI,
                pci_segment: seg as u16,
                pci_bus: bus as u8,
                pci_devfn: (dev << 3 | func) as u8,
                ..Default::default()
            },
            _file: PhantomData,
        })
    }
}

impl<'a> HostDevice<'a> {
    /// The device of a VFIO group (`/dev/vfio/N`) or device
    /// (`/dev/vfio/devices/vfioX`) file the caller holds; the file must
    /// stay open for as long as this value is used.
    pub fn vfio(file: &'a File) -> Self {
        Self {
            raw: sys::HostDevice {
                typ: sys::DEVICE_VFIO,
                fd: file.as_raw_fd(),
                ..Default::default()
            },
            _file: PhantomData,
        }
    }

    /// The record as the ioctl takes it.
    pub fn raw(&self) -> &sys::HostDevice {
        &self.raw
    }
}

/// A PCI address: segment, bus, device, function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PciAddress {
    /// The segment (domain).
    pub segment: u16,
    /// The bus.
    pub bus: u8,
    /// The device, 0 to 31.
    pub device: u8,
    /// The function, 0 to 7.
    pub function: u8,
}

impl fmt::Display for PciAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04x}:{:02x}:{:02x}.{}",
            self.segment, self.bus, self.device, self.function
        )
    }
}

/// The kind of a device's current IOMMU domain (`MEMLAYOUT_DOMAIN_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// No IOMMU, or no domain.
    None,
    /// Blocked: no DMA at all.
    Blocked,
    /// Identity (passthrough): no aperture.
    Identity,
    /// The kernel's DMA API domain.
    Dma,
    /// Owned by userspace or KVM: VFIO type1, iommufd.
    Unmanaged,
    /// Another kind (SVA, nested, ...).
    Other,
}

impl Domain {
    fn from_raw(v: u32) -> Option<Self> {
        Some(match v {
            sys::DOMAIN_NONE => Domain::None,
            sys::DOMAIN_BLOCKED => Domain::Blocked,
            sys::DOMAIN_IDENTITY => Domain::Identity,
            sys::DOMAIN_DMA => Domain::Dma,
            sys::DOMAIN_UNMANAGED => Domain::Unmanaged,
            sys::DOMAIN_OTHER => Domain::Other,
            _ => return None,
        })
    }

    /// libmemlayout's name: "none", "blocked", "identity", "dma",
    /// "unmanaged", "other".
    pub fn name(self) -> &'static str {
        match self {
            Domain::None => "none",
            Domain::Blocked => "blocked",
            Domain::Identity => "identity",
            Domain::Dma => "dma",
            Domain::Unmanaged => "unmanaged",
            Domain::Other => "other",
        }
    }
}

/// What the kernel found about one device named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceFit {
    /// The PCI device: the one named, or the one a VFIO file names.
    pub pci: Option<PciAddress>,
    /// Its IOMMU group (`/sys/kernel/iommu_groups/N`); `None`: no IOMMU,
    /// which is not a conflict.
    pub iommu_group: Option<u32>,
    /// The group's current domain.
    pub domain: Domain,
    /// The aperture H2 checked (inclusive), when the domain enforces one.
    pub aperture: Option<RangeInclusive<u64>>,
    /// Number of reserved regions of the group (H3).
    pub reserved_regions: u32,
}

/// Which rule a conflict breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostRule {
    /// H1: the range ends above 2^phys_bits.
    CpuWidth,
    /// H2: a RAM or VTL2 range outside the device's IOMMU aperture.
    Aperture,
    /// H3: a RAM or VTL2 range overlaps a reserved region of its group.
    Reserved,
}

impl HostRule {
    /// "H1", "H2" or "H3".
    pub fn name(self) -> &'static str {
        match self {
            HostRule::CpuWidth => "H1",
            HostRule::Aperture => "H2",
            HostRule::Reserved => "H3",
        }
    }
}

/// The host range's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostType {
    /// H1 (the addresses above the CPU width) or H2 (the aperture).
    None,
    /// A direct-mapped region (RMRR, IVMD).
    Direct,
    /// A region never mapped.
    Reserved,
    /// The hardware MSI window.
    Msi,
    /// A software-managed MSI window (arm64).
    SwMsi,
}

impl HostType {
    fn from_raw(v: u32) -> Option<Self> {
        Some(match v {
            sys::RESV_NONE => HostType::None,
            sys::RESV_DIRECT => HostType::Direct,
            sys::RESV_RESERVED => HostType::Reserved,
            sys::RESV_MSI => HostType::Msi,
            sys::RESV_SW_MSI => HostType::SwMsi,
            _ => return None,
        })
    }

    /// The word `/sys/kernel/iommu_groups/N/reserved_regions` prints:
    /// "direct" (or "direct-relaxable"), "reserved", "msi" (both MSI
    /// types); "none" for [`HostType::None`].
    pub fn sysfs_name(self, relaxable: bool) -> &'static str {
        match self {
            HostType::None => "none",
            HostType::Direct if relaxable => "direct-relaxable",
            HostType::Direct => "direct",
            HostType::Reserved => "reserved",
            HostType::Msi | HostType::SwMsi => "msi",
        }
    }
}

/// One conflict of the layout with the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostConflict {
    /// The rule.
    pub rule: HostRule,
    /// The layout range's list (`sys::LIST_*`; VTL2 is `sys::LIST_VTL2`).
    pub list: u32,
    /// Its index in that list.
    pub index: u32,
    /// The layout range, half-open.
    pub range: Range<u64>,
    /// The device's index in the array given, `None` for H1.
    pub device: Option<u32>,
    /// The host range, inclusive: H1 `2^phys_bits ..= 2^64 - 1`, H2 the
    /// aperture, H3 the reserved region.
    pub host: RangeInclusive<u64>,
    /// The host range's type.
    pub host_type: HostType,
    /// The region is direct-mapped and the kernel may relax it.
    pub relaxable: bool,
}

impl HostConflict {
    fn from_raw(c: &sys::HostConflict) -> Option<Self> {
        let rule = match c.rule {
            sys::HOST_CPU_WIDTH => HostRule::CpuWidth,
            sys::HOST_APERTURE => HostRule::Aperture,
            sys::HOST_RESERVED => HostRule::Reserved,
            _ => return None,
        };
        Some(Self {
            rule,
            list: c.list,
            index: c.index,
            range: c.start..c.end,
            device: if c.device == sys::NO_DEVICE {
                None
            } else {
                Some(c.device)
            },
            host: c.host_start..=c.host_last,
            host_type: HostType::from_raw(c.host_type)?,
            relaxable: c.host_flags & sys::HOST_RELAXABLE != 0,
        })
    }
}

/// What [`Device::check_host`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostFit {
    /// The generation of the layout checked.
    pub generation: u64,
    /// The host CPU's physical address width (H1).
    pub phys_bits: u32,
    /// One entry per device given, in the same order.
    pub devices: Vec<DeviceFit>,
    /// Every conflict, in the kernel's order: H1 in address order, then
    /// device by device its H2, then its H3 region by region.
    pub conflicts: Vec<HostConflict>,
}

impl HostFit {
    /// No conflict: the layout fits this host.
    pub fn fits(&self) -> bool {
        self.conflicts.is_empty()
    }
}

fn device_fit(d: &sys::HostDevice) -> Option<DeviceFit> {
    let pci = if d.typ == sys::DEVICE_PCI || d.flags & sys::DEVICE_PCI_ADDR != 0 {
        Some(PciAddress {
            segment: d.pci_segment,
            bus: d.pci_bus,
            device: d.pci_devfn >> 3,
            function: d.pci_devfn & 7,
        })
    } else {
        None
    };
    Some(DeviceFit {
        pci,
        iommu_group: if d.flags & sys::DEVICE_IOMMU != 0 {
            Some(d.iommu_group)
        } else {
            None
        },
        domain: Domain::from_raw(d.domain_type)?,
        aperture: if d.flags & sys::DEVICE_APERTURE != 0 {
            Some(d.aperture_start..=d.aperture_last)
        } else {
            None
        },
        reserved_regions: d.nr_resv,
    })
}

impl Device {
    /// CHECK_HOST (SPEC H1-H3): every conflict of the file's layout with
    /// this host's CPU width and, for each device in `devices`, its IOMMU
    /// aperture and reserved regions. Changes nothing. The `EMSGSIZE`
    /// count negotiation is done here (asked again while the count grows).
    ///
    /// Errors: `ENOENT` (no layout), `E2BIG` (more devices than
    /// [`sys::Info::max_devices`]), [`Error::Device`] with the index of a
    /// device that cannot be resolved; `EINVAL` for a value this crate
    /// does not know in the reply.
    pub fn check_host(&self, devices: &[HostDevice<'_>]) -> Result<HostFit, Error> {
        let nr_devices = u32::try_from(devices.len())
            .map_err(|_| Error::Io(io::Error::from_raw_os_error(7)))?;
        let mut buf: Vec<sys::HostConflict> = Vec::new();
        loop {
            // Each round from the records as built: the kernel writes its
            // findings into them (EMSGSIZE too), and takes no flag in.
            let mut devs: Vec<sys::HostDevice> = devices.iter().map(|d| d.raw).collect();
            let mut c = sys::CheckHost {
                size: size_of::<sys::CheckHost>() as u32,
                nr_devices,
                count: buf.len() as u32,
                devices_ptr: if devs.is_empty() { 0 } else { devs.as_mut_ptr() as usize as u64 },
                conflicts_ptr: if buf.is_empty() { 0 } else { buf.as_mut_ptr() as usize as u64 },
                error_device: sys::NO_DEVICE,
                ..Default::default()
            };
            match self.raw_ioctl(sys::IOC_CHECK_HOST, &mut c) {
                Ok(()) => {
                    buf.truncate(c.count as usize);
                    let bad = || Error::Io(io::Error::from_raw_os_error(EINVAL));
                    let conflicts = buf
                        .iter()
                        .map(|x| HostConflict::from_raw(x).ok_or_else(bad))
                        .collect::<Result<Vec<_>, _>>()?;
                    let devices = devs
                        .iter()
                        .map(|d| device_fit(d).ok_or_else(bad))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(HostFit {
                        generation: c.generation,
                        phys_bits: c.phys_bits,
                        devices,
                        conflicts,
                    });
                }
                // EMSGSIZE always asks for more than was given.
                Err(EMSGSIZE) if c.count as usize > buf.len() => {
                    buf = vec![sys::HostConflict::default(); c.count as usize]
                }
                Err(e) if c.error_device < nr_devices => {
                    return Err(Error::Device(c.error_device, io::Error::from_raw_os_error(e)))
                }
                Err(e) => return Err(Error::Io(io::Error::from_raw_os_error(e))),
            }
        }
    }
}
