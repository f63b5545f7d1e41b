#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Rust crate (bindings/rust) with Debian's own toolchain, never a rustup
# one that may be first in PATH: /usr/bin/cargo with RUSTC=/usr/bin/rustc,
# offline (the crate has no dependencies). Steps, each counted:
#
# * build the library, the device tests and the example, warnings denied;
# * cargo doc, warnings denied;
# * the host unit tests and doc tests (no device: request codes, struct
#   sizes, names and messages, ranges, SHA-256, e820/SRAT policy);
# * the device tests (tests/device.rs, TAP) and the example VMM against
#   libmemlayout's offline engine through lib/fakedev.c (LD_PRELOAD); the
#   example's output must equal bindings/rust/examples/vmm.expect, which
#   the guests compare with the module's answers too;
# * the static guest programs scripts/vmtest.sh packs: CACHE/rust/guest/
#   rust_test (the device tests) and rust_vmm (the example).
#
# usage: scripts/rust.sh CACHE_DIR [RESULTS]
#   appends "rust <passed> <failed>" to RESULTS. Build output goes to
#   CACHE_DIR/rust, never into the repository.
set -u

cache=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
crate=$project/bindings/rust
out=$cache/rust
guest=$out/guest
log=$out/log
mkdir -p "$out" "$log"
rm -rf "$guest" && mkdir -p "$guest"

cargo=/usr/bin/cargo
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
# Nothing from a user's ~/.cargo (config, registry): the crate needs none.
export CARGO_HOME="$out/cargo-home"
unset RUSTFLAGS RUSTDOCFLAGS CARGO_BUILD_TARGET CARGO_TARGET_DIR

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - rust: $1"; }
bad() { failed=$((failed + 1)); echo "not ok - rust: $1"; }

# step NAME LOG CMD...: one result; the log's tail on failure.
step() {
	name=$1
	file=$log/$2
	shift 2
	if "$@" > "$file" 2>&1; then
		ok "$name"
	else
		bad "$name"
		tail -n 30 "$file" | sed 's/^/# /'
		return 1
	fi
}

# count_libtest LOG: adds a cargo test run's "test NAME ... ok|FAILED".
count_libtest() {
	p=$(grep -c '^test .* \.\.\. ok$' "$1")
	f=$(grep -c '^test .* \.\.\. FAILED$' "$1")
	passed=$((passed + p))
	failed=$((failed + f))
	echo "rust: $(basename "$1"): $p passed, $f failed"
	grep '^test .* \.\.\. FAILED$' "$1"
}

# count_tap LOG: adds a TAP stream's results, held to its plan.
count_tap() {
	tap=$1
	set -- $(awk '/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
		/^ok / { ok++ } /^not ok / { nok++ }
		END { miss = plan - ok - nok; if (plan == "" || miss < 0) miss = 1
		      print ok + 0, nok + miss }' "$1")
	passed=$((passed + $1))
	failed=$((failed + $2))
	echo "rust: $(basename "$tap"): $1 passed, $2 failed"
	grep -B5 '^not ok ' "$tap"
}

host=$out/target
cd "$crate" || exit 1
if step "build (lib, tests, example; -D warnings)" build.log \
	env RUSTFLAGS="-D warnings" nice "$cargo" build --offline \
	--target-dir "$host" --lib --tests --examples; then
	step "cargo doc (-D warnings)" doc.log \
		env RUSTDOCFLAGS="-D warnings" nice "$cargo" doc --offline \
		--target-dir "$host" --no-deps --lib
	env RUSTFLAGS="-D warnings" nice "$cargo" test --offline \
		--target-dir "$host" --lib > "$log/unit.log" 2>&1 ||
		bad "unit tests did not all run"
	count_libtest "$log/unit.log"
	env RUSTFLAGS="-D warnings" nice "$cargo" test --offline \
		--target-dir "$host" --doc > "$log/doc-tests.log" 2>&1 ||
		bad "doc tests did not all run"
	count_libtest "$log/doc-tests.log"

	# The device tests and the example on the offline engine. The test
	# binary's path has cargo's hash in it: ask cargo for it.
	dev=$(env RUSTFLAGS="-D warnings" "$cargo" test --offline \
		--target-dir "$host" --test device --no-run \
		--message-format=json 2>/dev/null |
		sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
	echo 4096 > "$out/max_ranges"
	# Only the static library: fakedev.c needs no libfdt.
	if nice make -s -C "$project/lib" B="$out/lib" "$out/lib/libmemlayout.a" \
		> "$log/lib.log" 2>&1 &&
	   cc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$project/lib" \
		-I"$project/include/uapi" -shared -fPIC -o "$out/fakedev.so" \
		"$project/lib/fakedev.c" "$out/lib/libmemlayout.a" -ldl \
		>> "$log/lib.log" 2>&1 && [ -x "$dev" ]; then
		# The offline engine has no lock: no concurrent test on it;
		# and fakedev's view is the engine's buffer, not a mapping
		# whose protection mprotect() could test.
		MEMLAYOUT_TEST_SINGLE_THREAD=1 MEMLAYOUT_TEST_FAKEDEV=1 \
		FAKEDEV_PARAM=$out/max_ranges LD_PRELOAD=$out/fakedev.so \
			"$dev" > "$log/device.tap" 2>&1
		echo "rust: device tests on the offline engine:"
		count_tap "$log/device.tap"
		if FAKEDEV_PARAM=$out/max_ranges LD_PRELOAD=$out/fakedev.so \
			"$host/debug/examples/vmm" > "$log/vmm.out" 2>&1 &&
		   diff -u "$crate/examples/vmm.expect" "$log/vmm.out" > "$log/vmm.diff"; then
			ok "examples/vmm on the offline engine prints vmm.expect ($(wc -l < "$crate/examples/vmm.rs") lines of Rust)"
		else
			bad "examples/vmm on the offline engine prints vmm.expect"
			sed 's/^/# /' "$log/vmm.diff" "$log/vmm.out" | head -n 40
		fi
	else
		bad "libmemlayout, lib/fakedev.c or the device test binary"
		tail -n 20 "$log/lib.log" | sed 's/^/# /'
	fi
fi

# Static programs for the Debian guests (glibc's static libc, as the C
# test programs): the device tests and the example.
static=$out/target-static
triple=x86_64-unknown-linux-gnu
sflags="-C target-feature=+crt-static -C strip=debuginfo"
if step "static guest programs (rust_test, rust_vmm)" static.log \
	env RUSTFLAGS="$sflags" nice "$cargo" build --offline --release \
	--target-dir "$static" --target $triple --tests --examples; then
	sdev=$(env RUSTFLAGS="$sflags" "$cargo" test --offline --release \
		--target-dir "$static" --target $triple --test device \
		--no-run --message-format=json 2>/dev/null |
		sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
	# Static: no program interpreter (the guests have no ld.so).
	for f in rust_test rust_vmm; do
		case $f in
		rust_test) src=$sdev ;;
		*) src=$static/$triple/release/examples/vmm ;;
		esac
		cp "$src" "$guest/$f" && readelf -l "$guest/$f" > "$log/$f.phdr" &&
			! grep -q 'program interpreter' "$log/$f.phdr" ||
			{ bad "$f is a static program"; rm -f "$guest/$f"; }
	done
fi

echo "rust: $passed passed, $failed failed"
[ -n "$results" ] && echo "rust $passed $failed" >> "$results"
[ "$failed" -eq 0 ]
