// SPDX-License-Identifier: GPL-2.0
//! The seed's `MemoryLayout` (../shared/seed/memory.rs, copied unchanged to
//! `src/memory.rs` by scripts/bench.sh) behind a C interface, so that
//! bench/bench.c can time it interleaved with the C core in one process,
//! on the same ranges and addresses.
//!
//! Every function takes or returns raw pointers made here; the C side
//! frees what it gets with the matching `*_free`.

#[allow(dead_code)]
mod memory;

use memory::{AddressType, MemoryLayout, MemoryRangeWithNode};
use memory_range::MemoryRange;

/// `struct memlayout_range` of the UAPI header.
#[repr(C)]
pub struct CRange {
    start: u64,
    end: u64,
    vnode: u32,
    reserved: u32,
}

/// The seed's inputs, converted once, outside the timed region.
pub struct SeedInput {
    ram: Vec<MemoryRangeWithNode>,
    gaps: Vec<MemoryRange>,
}

unsafe fn slice<'a>(p: *const CRange, n: u32) -> &'a [CRange] {
    if n == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, n as usize)
    }
}

/// The RAM ranges and MMIO gaps of a layout, as the seed takes them.
#[no_mangle]
pub unsafe extern "C" fn seed_input_new(
    ram: *const CRange,
    nr_ram: u32,
    mmio: *const CRange,
    nr_mmio: u32,
) -> *mut SeedInput {
    let input = SeedInput {
        ram: slice(ram, nr_ram)
            .iter()
            .map(|r| MemoryRangeWithNode {
                range: MemoryRange::new(r.start..r.end),
                vnode: r.vnode,
            })
            .collect(),
        gaps: slice(mmio, nr_mmio)
            .iter()
            .map(|r| MemoryRange::new(r.start..r.end))
            .collect(),
    };
    Box::into_raw(Box::new(input))
}

#[no_mangle]
pub unsafe extern "C" fn seed_input_free(input: *mut SeedInput) {
    drop(Box::from_raw(input));
}

fn boxed(r: Result<MemoryLayout, memory::Error>) -> *mut MemoryLayout {
    match r {
        Ok(l) => Box::into_raw(Box::new(l)),
        Err(_) => std::ptr::null_mut(),
    }
}

/// `MemoryLayout::new_from_ranges()`: the explicit RAM ranges and the gaps
/// (the core's C3). Null if the seed rejects them.
#[no_mangle]
pub unsafe extern "C" fn seed_build_ranges(input: *const SeedInput) -> *mut MemoryLayout {
    let input = &*input;
    boxed(MemoryLayout::new_from_ranges(&input.ram, &input.gaps))
}

/// `MemoryLayout::new()`: a RAM size placed around the gaps (the core's
/// C1). Null if the seed rejects it.
#[no_mangle]
pub unsafe extern "C" fn seed_build_size(input: *const SeedInput, ram_size: u64) -> *mut MemoryLayout {
    let input = &*input;
    boxed(MemoryLayout::new(ram_size, &input.gaps, None))
}

#[no_mangle]
pub unsafe extern "C" fn seed_layout_free(l: *mut MemoryLayout) {
    drop(Box::from_raw(l));
}

/// `MEMLAYOUT_KIND_*` of `probe_address()`'s answer.
fn kind(t: Option<AddressType>) -> u32 {
    match t {
        None => 0,
        Some(AddressType::Ram) => 1,
        Some(AddressType::Mmio) => 2,
    }
}

/// One `probe_address()`, as a kind.
#[no_mangle]
pub unsafe extern "C" fn seed_probe(l: *const MemoryLayout, addr: u64) -> u32 {
    kind((*l).probe_address(addr))
}

/// `count` calls of `probe_address()`, cycling through `addrs[0..nr)`;
/// returns the sum of the kinds, so that no call can be left out.
#[no_mangle]
pub unsafe extern "C" fn seed_probe_loop(
    l: *const MemoryLayout,
    addrs: *const u64,
    nr: u32,
    mut count: u64,
) -> u64 {
    let l = &*l;
    let addrs = std::slice::from_raw_parts(addrs, nr as usize);
    let mut sum = 0u64;
    let mut pos = 0usize;
    while count > 0 {
        sum += kind(l.probe_address(addrs[pos])) as u64;
        pos += 1;
        if pos == addrs.len() {
            pos = 0;
        }
        count -= 1;
    }
    sum
}
