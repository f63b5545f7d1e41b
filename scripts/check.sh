#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The single test entry point behind "make check": install what is missing,
# run every test layer, print one summary line "N passed, N failed" summed
# over all of them, and exit non-zero on any failure.
#
# usage: scripts/check.sh CACHE_DIR
set -u

cache=$1
project=$(cd "$(dirname "$0")/.." && pwd -P)
results=$cache/results.$$
mkdir -p "$cache"
: > "$results"
start=$(date +%s)

run_layer() {
	name=$1
	shift
	t0=$(date +%s)
	echo "=== $name"
	if ! "$@"; then
		# A layer that broke before reporting still counts as a failure.
		grep -q "^$name" "$results" || echo "$name 0 1" >> "$results"
	fi
	echo "=== $name: $(( $(date +%s) - t0 )) s"
}

if ! "$project/scripts/deps.sh"; then
	echo "deps 0 1" >> "$results"
fi
run_layer modules "$project/scripts/modules.sh" "$cache/modules" "$results"
run_layer lint "$project/scripts/lint.sh" "$cache" "$results"
run_layer fuzz "$project/scripts/fuzz.sh" "$cache" "$results"
run_layer coverage "$project/scripts/coverage.sh" "$cache" "$results"
# libmemlayout: offline engine, names, device client through lib/fakedev.c,
# memlayoutctl's CLI tests on the host, install through pkg-config.
run_layer lib env RESULTS="$results" make -s -C "$project/lib" B="$cache/lib" check
# memlayoutctl's and libmemlayout's man pages (man --warnings) and examples.
run_layer tools "$project/scripts/toolscheck.sh" "$cache" "$results"
# Firmware maps checked by their consumers: iasl -d (SRAT), dtc/fdtget
# (FDT), and Linux guests booting the rendered e820 and SRAT.
run_layer firmware "$project/scripts/fwcheck.sh" "$cache" "$results"
run_layer kunit-default "$project/scripts/kunit.sh" "$cache" default "$results"
run_layer kunit-san "$project/scripts/kunit.sh" "$cache" san "$results"
# x86_64 SMP guests: every suite on 4 vCPUs with KASAN, lockdep and
# failslab, then a kmemleak scan; the race suite again under KCSAN.
run_layer kunit-x86 "$project/scripts/kunit.sh" "$cache" x86 "$results"
run_layer kunit-kcsan "$project/scripts/kunit.sh" "$cache" kcsan "$results"
# A 32-bit kernel: a u64 division or modulo that needs libgcc fails the link.
run_layer kunit-i386 "$project/scripts/kunit.sh" "$cache" i386 "$results"
# The Rust crate: build, cargo doc, host tests; its static guest programs
# for the vmtest layer, which runs them against the module.
run_layer rust "$project/scripts/rust.sh" "$cache" "$results"
run_layer vmtest "$project/scripts/vmtest.sh" "$cache" test "$results"

echo "=== summary ($(( $(date +%s) - start )) s)"
awk '{ printf "  %-16s %5d passed, %d failed\n", $1, $2, $3 }' "$results"
total_p=$(awk '{ s += $2 } END { print s + 0 }' "$results")
total_f=$(awk '{ s += $3 } END { print s + 0 }' "$results")
rm -f "$results"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
