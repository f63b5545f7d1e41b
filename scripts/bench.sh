#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The userspace benchmark (bench/bench.c): the core as libmemlayout builds
# it (memlayout_core.c unchanged over lib/shim/), compiled with gcc and
# with clang, each timed in one process, interleaved, against the seed's
# own memory.rs (../shared/seed/memory.rs, built by Debian's cargo and
# rustc 1.63 offline into a static library, bench/seed/). Prints one table
# per compiler. Never pass/fail on the figures.
#
# usage: scripts/bench.sh OUT_DIR [REV] [-q] [ROUNDS]
#   REV: time the core of that commit instead of this checkout (the
#        harness is always this checkout's), e.g. to compare with main.
#   -q, ROUNDS: passed to bench (fewer sizes; rounds, default 7).
# SEED (default: ../shared/seed/memory.rs next to the checkout, else
# /work/shared/seed/memory.rs) names the seed's file.
set -eu

out=$1
shift
project=$(cd "$(dirname "$0")/.." && pwd -P)
src=$project
label="this checkout"
if [ $# -gt 0 ] && [ "$1" != -q ] && ! [ "$1" -eq "$1" ] 2>/dev/null; then
	rev=$1
	shift
	sha=$(git -C "$project" rev-parse --short "$rev")
	src=$out/src-$sha
	if [ ! -d "$src" ]; then
		mkdir -p "$src.tmp"
		git -C "$project" archive "$sha" | tar -x -C "$src.tmp"
		mv "$src.tmp" "$src"
	fi
	label="$rev ($sha)"
fi
seed=${SEED:-$project/../shared/seed/memory.rs}
[ -f "$seed" ] || seed=/work/shared/seed/memory.rs
if [ ! -f "$seed" ]; then
	echo "bench: the seed's memory.rs is missing (set SEED)" >&2
	exit 1
fi
mkdir -p "$out"

# The seed, as a static library: a copy of bench/seed/ with memory.rs in.
crate=$out/seed
rm -rf "$crate"
mkdir -p "$crate"
cp -r "$project/bench/seed/." "$crate/"
cp "$seed" "$crate/src/memory.rs"
(cd "$crate" && RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$out/target \
	nice /usr/bin/cargo build --release --offline --quiet)
seedlib=$out/target/release/libmemlayout_seed_bench.a

inc="-I$src/lib/shim -I$src/include -I$src/include/uapi -I$src/lib"
for cc in gcc clang; do
	lib=$out/lib-$cc-$(basename "$src")
	nice make -s -C "$src/lib" B="$lib" CC=$cc CFLAGS="-O2 -g" \
		"$lib/libmemlayout.a"
	# shellcheck disable=SC2086 # $inc is a list of -I options
	nice $cc -std=gnu11 -O2 -g -Wall -Wextra -Werror $inc \
		-o "$out/bench-$cc" "$project/bench/bench.c" \
		"$lib/libmemlayout.a" "$seedlib" -lpthread -ldl -lm
done

for cc in gcc clang; do
	echo "bench: core of $label built with $($cc --version | head -n 1), seed with $(/usr/bin/rustc --version)"
	nice "$out/bench-$cc" "$@"
done
