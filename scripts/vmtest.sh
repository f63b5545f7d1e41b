#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests in real Debian kernels: for each kernel whose headers
# kdirs.sh finds, build memlayout.ko against them, fetch the matching
# linux-image-<abi>-amd64-unsigned (same package version as the headers),
# pack a busybox initramfs with the module, the static test programs
# (tests/vm/*.c on the kernel's kselftest harness, 64-bit and 32-bit) and
# memlayoutctl, boot it under qemu-system-x86_64 -accel tcg, and count the
# TAP lines the guest prints on the serial console (count_tap below).
#
# usage: scripts/vmtest.sh CACHE_DIR [MODE] [RESULTS]
#   MODE: test (default; appends "vmtest-<abi> <passed> <failed>" to
#         RESULTS), run (the README demo, 6.12 only), bench (probe costs).
#   KERNELS="6.12" (env) limits the kernels by version prefix.
#   VMTEST_WORK (env): work directory instead of CACHE/vm.
#   VMTEST_MACHINES="q35" (env, test mode) boots only those of the test
#   guest ("pc") and the host-fit guest ("q35"), while iterating.
set -u

cache=$1
mode=${2:-test}
results=${3:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
# VMTEST_WORK (env): where programs, initramfs and logs go (default
# CACHE/vm); downloaded kernels are always shared in CACHE/vm/kernels.
vm=${VMTEST_WORK:-$cache/vm}
kernels=$cache/vm/kernels
mkdir -p "$vm/bin" "$kernels"
CC=${CC:-gcc}
cflags="-O2 -Wall -Wextra -Werror -static -I$project/include/uapi"

fail() {
	echo "vmtest: $*" >&2
	exit 1
}

# The kernel's selftest harness (kselftest_harness.h, kselftest.h) from the
# extracted linux-source tree; prepared once by kernel-tree.sh.
ksft_dir() {
	tree=$cache/linux-source-6.12
	[ -f "$tree/.memlayout-ready" ] ||
		tree=$("$project/scripts/kernel-tree.sh" "$cache" "$project") || return 1
	echo "$tree/tools/testing/selftests"
}

# Userspace programs, built once for every kernel: each tests/vm/*.c other
# than the shared ml_*.c is a program, linked with the shared ones, in a
# 64-bit and a 32-bit (compat_ioctl) build; ioctl_fuzz only in 64-bit.
build_programs() {
	ksft=$(ksft_dir) || return 1
	tcflags="-O2 -Wall -Wextra -Wno-sign-compare -Wno-unused-parameter"
	tcflags="$tcflags -Wno-clobbered -Werror -static -pthread"
	tcflags="$tcflags -I$project/include/uapi -I$ksft -I$project/tests/vm"
	shared=$(ls "$project"/tests/vm/ml_*.c 2>/dev/null)
	rm -f "$vm/bin/"*
	# libmemlayout, 64- and 32-bit: memlayoutctl is built on it, and its
	# tests run through its device client (init.sh runs them). Debian's
	# libfdt-dev is 64-bit only (and not co-installable with its i386
	# build), so the 32-bit programs get libfdt built from the kernel
	# tree's own copy (scripts/dtc/libfdt), with its header.
	fdtsrc=${ksft%/tools/testing/selftests}/scripts/dtc/libfdt
	rm -rf "$vm/libfdt32" && mkdir -p "$vm/libfdt32" || return 1
	for f in fdt fdt_ro fdt_rw fdt_wip fdt_sw fdt_strerror fdt_addresses \
		 fdt_empty_tree; do
		$CC -O2 -m32 -I"$fdtsrc" -c "$fdtsrc/$f.c" -o "$vm/libfdt32/$f.o" ||
			return 1
	done
	ar rcs "$vm/libfdt32/libfdt.a" "$vm/libfdt32/"*.o &&
	make -s -C "$project/lib" B="$vm/lib64" CC="$CC" CFLAGS=-O2 \
		"$vm/lib64/libmemlayout.a" > /dev/null &&
	make -s -C "$project/lib" B="$vm/lib32" CC="$CC" \
		CFLAGS="-O2 -m32 -I$fdtsrc" "$vm/lib32/libmemlayout.a" > /dev/null || return 1
	for src in "$project"/tests/vm/*.c; do
		name=$(basename "$src" .c)
		case $name in ml_*) continue ;; esac
		# bench compares the device with libmemlayout's offline engine
		# and reads the view with it; view_test reads the view through
		# libmemlayout's reader (the one implementation of its protocol).
		lib64="" lib32=""
		case $name in bench|view_test)
			lib64="-I$project/lib $vm/lib64/libmemlayout.a -lfdt"
			lib32="-I$project/lib $vm/lib32/libmemlayout.a $vm/libfdt32/libfdt.a"
			;;
		esac
		# shellcheck disable=SC2086
		$CC $tcflags -o "$vm/bin/$name" "$src" $shared $lib64 || return 1
		[ "$name" = ioctl_fuzz ] && continue
		# shellcheck disable=SC2086
		$CC $tcflags -m32 -o "$vm/bin/${name}32" "$src" $shared $lib32 || return 1
	done
	$CC $cflags -I"$project/lib" -o "$vm/bin/memlayoutctl" \
		"$project/tools/memlayoutctl.c" "$vm/lib64/libmemlayout.a" -lfdt &&
	$CC $cflags -I"$project/lib" -m32 -o "$vm/bin/memlayoutctl32" \
		"$project/tools/memlayoutctl.c" "$vm/lib32/libmemlayout.a" \
		"$vm/libfdt32/libfdt.a" &&
	$CC $cflags -I"$project/lib" -o "$vm/bin/libmemlayout_device" \
		"$project/lib/test.c" "$vm/lib64/libmemlayout.a" -lfdt &&
	$CC $cflags -I"$project/lib" -m32 -o "$vm/bin/libmemlayout_device32" \
		"$project/lib/test.c" "$vm/lib32/libmemlayout.a" "$vm/libfdt32/libfdt.a" &&
	# The VMM guide's C program, against the module (init.sh compares).
	for ex in vmm place hostfit kvmaudit; do
		$CC $cflags -I"$project/lib" -o "$vm/bin/c_$ex" \
			"$project/examples/$ex.c" "$vm/lib64/libmemlayout.a" -lfdt || return 1
	done
	# The Rust crate's device tests (rust_test: TAP, run by init.sh's
	# *_test loop) and example VMM (rust_vmm), static, built by
	# scripts/rust.sh, which check.sh runs before this layer.
	for f in rust_test rust_vmm; do
		if [ -x "$cache/rust/guest/$f" ]; then
			cp "$cache/rust/guest/$f" "$vm/bin/" || return 1
		else
			echo "vmtest: no $cache/rust/guest/$f (scripts/rust.sh $cache builds it)" >&2
		fi
	done
}

# The kernel image whose package version equals the headers' version, and
# from the same package Debian's own modules the guests load (busybox
# insmod reads no .ko.xz, so they are unpacked), each set after what
# "modinfo -F depends" says it needs, with "order", the insmod order:
# DIR/vfio, VFIO for the host-fit guest (vfio-pci, vfio_iommu_type1; 6.1
# has vfio_virqfd as a module, 6.12 builds it into vfio.ko), and DIR/kvm,
# KVM for the KVM audit (kvm-amd: kvm, irqbypass, ccp on both). A kernel
# fetched before a set was kept is fetched again for it; a set already
# there is kept as it is (other runs may be reading it).
fetch_kernel() {	# fetch_kernel ABI -> path of vmlinuz
	abi=$1
	dir=$kernels/$abi
	if [ ! -f "$dir/vmlinuz" ] || [ ! -f "$dir/vfio/order" ] ||
	   [ ! -f "$dir/kvm/order" ]; then
		version=$(dpkg-query -W -f='${Version}' "linux-headers-$abi") ||
			fail "no linux-headers-$abi package"
		pkg=linux-image-$abi-unsigned
		tmp=$dir.tmp.$$
		rm -rf "$tmp" && mkdir -p "$tmp"
		chmod 777 "$tmp"	# apt's _apt user downloads into it
		(cd "$tmp" && { apt-get download -q "$pkg=$version" ||
			{ apt-get update -q && apt-get download -q "$pkg=$version"; }; }) >&2 ||
			fail "cannot download $pkg=$version"
		dpkg-deb -x "$tmp"/*.deb "$tmp/x" || fail "cannot unpack $pkg"
		mkdir -p "$dir"
		if [ ! -f "$dir/vmlinuz" ]; then
			cp "$tmp/x/boot/vmlinuz-$abi" "$dir/vmlinuz" ||
				fail "no vmlinuz in $pkg"
			echo "$version" > "$dir/version"
		fi
		for set in vfio kvm; do
			[ -f "$dir/$set/order" ] && continue
			case $set in
			vfio) names="vfio_iommu_type1 vfio_pci" ;;
			kvm) names="kvm_amd" ;;
			esac
			# shellcheck disable=SC2086
			mod_set "$tmp/x/lib/modules/$abi" "$tmp/$set" $names >&2 ||
				fail "no $set modules in $pkg"
			rm -rf "$dir/$set" && mv "$tmp/$set" "$dir/$set" ||
				fail "cannot keep $dir/$set"
		done
		rm -rf "$tmp"
	fi
	echo "$dir/vmlinuz"
}

# mod_set MODDIR OUT NAME...: the modules NAME with their dependencies,
# each after what it depends on, into OUT (OUT/order).
mod_set() {
	mkdir -p "$2" && : > "$2/order" || return 1
	moddir=$1
	out=$2
	shift 2
	for m in "$@"; do
		mod_add "$moddir" "$out" "$m" || return 1
	done
}

# mod_add MODDIR OUT NAME: NAME after its dependencies (a subshell: the
# recursion keeps its variables; OUT/order holds what is done).
mod_add() (
	name=$(echo "$3" | tr - _)
	grep -qx "$name" "$2/order" && exit 0
	ko=$(find "$1/kernel" -name "$(echo "$name" | sed 's/_/[-_]/g').ko*" | head -n 1)
	[ -n "$ko" ] || { echo "vmtest: module $3 not in $1" >&2; exit 1; }
	for d in $(modinfo -F depends "$ko" | tr , ' '); do
		mod_add "$1" "$2" "$d" || exit 1
	done
	case $ko in
	*.xz) xz -dc "$ko" > "$2/$name.ko" ;;
	*.zst) zstd -qdc "$ko" > "$2/$name.ko" ;;
	*) cp "$ko" "$2/$name.ko" ;;
	esac || exit 1
	echo "$name" >> "$2/order"
)

build_module() {	# build_module KDIR OUT
	rm -rf "$2" && mkdir -p "$2" &&
	(cd "$project" && cp -r Kbuild memlayout_*.[ch] include "$2/") &&
	make -s -C "$1" M="$2" modules > "$2/build.log" 2>&1 ||
		{ cat "$2/build.log"; return 1; }
}

# pack_initramfs MODULE KERNEL_DIR OUT: KERNEL_DIR is fetch_kernel's, its
# VFIO set goes to /modules, its KVM set to /modules/kvm.
pack_initramfs() {
	root=$vm/root
	rm -rf "$root" && mkdir -p "$root/bin" "$root/tests" "$root/proc" \
		"$root/sys" "$root/dev" "$root/tmp" "$root/modules/kvm"
	cp /bin/busybox "$root/bin/busybox"
	cp "$2/vfio/"* "$root/modules/" && cp "$2/kvm/"* "$root/modules/kvm/" || return 1
	cp "$project/tests/vm/init.sh" "$root/init"
	cp "$project/tests/vm/demo.sh" "$root/demo.sh"
	cp "$1" "$root/memlayout.ko"
	cp "$vm/bin/"* "$root/bin/"
	[ -f "$project/tests/vm/cli_test.sh" ] &&
		cp "$project/tests/vm/cli_test.sh" "$root/tests/"
	cp "$project/examples/vmm.expect" "$root/tests/c_vmm.expect"
	cp "$project/examples/place.expect" "$root/tests/c_place.expect"
	cp "$project/examples/hostfit.expect" "$root/tests/c_hostfit.expect"
	cp "$project/examples/kvmaudit.expect" "$root/tests/c_kvmaudit.expect"
	[ -f "$project/bindings/rust/examples/vmm.expect" ] &&
		cp "$project/bindings/rust/examples/vmm.expect" "$root/tests/rust_vmm.expect"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$3"
}

# boot VMLINUZ INITRD LOG [MACHINE]: MACHINE "pc" (default) is the test
# guest, "q35" the host-fit guest: a q35 with a 40-bit CPU
# (phys-bits=40), an Intel IOMMU with a 39-bit DMAR (aw-bits=39) turned on
# with intel_iommu=on, and QEMU's "edu" PCI device, alone in its IOMMU
# group, which init.sh binds to vfio-pci. Under TCG neither
# kernel-irqchip=split (only KVM needs it for interrupt remapping) nor
# caching-mode=on (only QEMU's own VFIO needs it, to shadow a guest's
# mappings) is needed. Interrupt remapping stays on (VFIO's type1 refuses
# a container without it), but its boot-time timer check through the
# remapped IO-APIC (setup_IO_APIC()) fails now and then under TCG on a
# loaded host, and the kernel panics ("timer doesn't work through
# Interrupt-remapped IO-APIC"): no_timer_check, as for any emulated
# timer. One vCPU: it runs host fit's tests alone. The same guest runs
# the KVM audit's (SPEC H4): QEMU's TCG implements AMD SVM with nested
# paging in "-cpu max", so Debian's kvm-amd loads in it and /dev/kvm
# appears (the pc guest's default CPU has no SVM: its KVM is absent).
boot() {
	case ${4:-pc} in
	q35)
		machine="-machine q35 -cpu max,phys-bits=40 -m 512 -smp 1"
		machine="$machine -device intel-iommu,aw-bits=39 -device edu"
		append="intel_iommu=on no_timer_check mlmode=hostfit"
		;;
	*)
		machine="-m 1024 -smp 2"
		append="mlmode=$mode"
		;;
	esac
	# shellcheck disable=SC2086
	timeout "${VMTEST_TIMEOUT:-900}" qemu-system-x86_64 -accel tcg \
		$machine -nographic -no-reboot -nodefaults \
		-serial stdio -kernel "$1" -initrd "$2" \
		-append "console=ttyS0 panic=-1 loglevel=3 $append" \
		< /dev/null 2>&1 | tr -d '\r' > "$3"
}

# count_tap LOG: prints "PASSED FAILED SKIPPED". Every "ok"/"not ok" line
# counts once; SKIPPED says how many of the passed ones are "ok ... # SKIP"
# (a kselftest SKIP: a test this kernel or machine cannot run) (the guest's programs print flat TAP, one stream after another).
# init.sh brackets each program with "# memlayout-vmtest: run NAME" and
# "# memlayout-vmtest: exit NAME RC": a program that printed fewer results
# than its plan ("1..N"), no plan at all, no exit line (it hung or the
# guest died), or a non-zero status without a failed result, adds the
# missing results (at least one) as failures; so does an "ok ... # XFAIL"
# or "# XPASS" (none is declared). Notes go to LOG.count.
count_tap() {
	awk -v notes="$1.count" '
	function close_prog(rc, why) {
		miss = 0
		if (plan < 0) { miss = 1; why = why " no TAP plan" }
		else if (res < plan) { miss = plan - res; why = why " " res " of " plan " results" }
		if (rc != 0 && !bad && !miss) { miss = 1; why = why " exit status " rc " without a failed result" }
		if (miss) {
			extra += miss
			printf "vmtest-count: %s: %d missing/failed:%s\n", prog, miss, why > notes
		}
		inprog = 0
	}
	/^# memlayout-vmtest: run / { if (inprog) close_prog(1, " no exit line;"); prog = $4; inprog = 1; plan = -1; res = 0; bad = 0; next }
	/^# memlayout-vmtest: exit / { if (inprog) close_prog($5 + 0, ""); next }
	inprog && plan < 0 && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
	/^ok .*# (XFAIL|XPASS)/ {
		# No test declares an expected failure: exit status 2 or 3
		# from a test is a bug in it, not a pass.
		nok++; if (inprog) { res++; bad++ }
		printf "vmtest-count: %s: %s\n", prog, $0 > notes
		next
	}
	/^ok .*# SKIP/ { skip++ }
	/^ok / { ok++; if (inprog) res++; next }
	/^not ok / { nok++; if (inprog) { res++; bad++ }; next }
	END {
		if (inprog) close_prog(1, " no exit line (hung or crashed);")
		print ok + 0, nok + extra, skip + 0
	}' "$1"
}

build_programs || fail "cannot build the test programs"
# guest MACHINE LOG: boots the current kernel's initramfs in MACHINE (see
# boot) and, in test mode, sets passed/failed from its TAP.
guest() {
	rm -f "$2.count" "$2.boot1"
	boot "$vmlinuz" "$out/initramfs.gz" "$2" "$1"
	# Debian's kernel under TCG now and then oopses in its own early
	# initcalls (seen: int3 in sched_clock_cpu() during text
	# patching), before /init runs and before memlayout.ko exists.
	# That says nothing about this project: boot once more, and say
	# so. A crash after /init started is never retried.
	if ! grep -q 'memlayout-vmtest: kernel' "$2"; then
		echo "vmtest[$abi/$1]: the kernel died before /init (log kept as $2.boot1); booting again"
		grep -m 3 -E 'Oops|panic|BUG' "$2" | sed 's/^/  /'
		mv "$2" "$2.boot1"
		boot "$vmlinuz" "$out/initramfs.gz" "$2" "$1"
	fi
	if [ "$mode" = test ]; then
		# shellcheck disable=SC2046
		set -- "$1" "$2" $(count_tap "$2")
		passed=$3
		failed=$4
		skipped=$5
		grep -B1 -A3 '^not ok ' "$2"
		grep '^vmtest-count: ' "$2.count" 2>/dev/null
		if ! grep -q '^memlayout-vmtest: done' "$2"; then
			tail -n 40 "$2"
			echo "vmtest[$abi/$1]: guest did not finish (crash or timeout)"
			failed=$((failed + 1))
		fi
	else
		# The first line starts with the console's escape codes.
		sed -n '/memlayout-vmtest: kernel/,/^memlayout-vmtest: done/p' "$2"
		grep -q '^memlayout-vmtest: done' "$2" || { tail -n 40 "$2"; rc=1; }
	fi
}

# report MACHINE LOG SECONDS: one results line per kernel and machine
# ("vmtest-<abi>" for the test guest, "vmtest-q35-<abi>" for host fit).
report() {
	echo "vmtest[$abi/$1]: $passed passed ($skipped of them SKIP), $failed failed in $3 s (log: $2)"
	grep '^ok .*# SKIP' "$2" 2>/dev/null | sed 's/^/  /'
	tag=vmtest-$abi
	[ "$1" = pc ] || tag=vmtest-$1-$abi
	[ -n "$results" ] && echo "$tag $passed $failed" >> "$results"
	[ "$failed" -eq 0 ] || rc=1
}

rc=0
for kdir in $("$project/scripts/kdirs.sh"); do
	abi=${kdir#/usr/src/linux-headers-}
	series=$(echo "$abi" | cut -d. -f1,2)
	case " ${KERNELS:-6.1 6.12} " in *" $series "*) ;; *) continue ;; esac
	[ "$mode" = test ] || [ "$series" = 6.12 ] || continue

	out=$vm/$abi
	passed=0
	failed=0
	skipped=0
	mkdir -p "$out"
	t0=$(date +%s)
	if ! vmlinuz=$(fetch_kernel "$abi") ||
	   ! build_module "$kdir" "$out/module" ||
	   ! pack_initramfs "$out/module/memlayout.ko" "$(dirname "$vmlinuz")" \
			"$out/initramfs.gz"; then
		failed=1
		[ "$mode" = test ] && report pc "$out/serial.log" 0
		continue
	fi
	if [ "$mode" != test ]; then
		guest pc "$out/serial.log"
		continue
	fi
	case " ${VMTEST_MACHINES:-pc q35} " in *" pc "*)
		guest pc "$out/serial.log"
		report pc "$out/serial.log" $(( $(date +%s) - t0 ))
	esac
	# The host-fit guest (SPEC H1-H3 against a real IOMMU, H4 with
	# Debian's KVM): init.sh's "hostfit" mode, the same initramfs.
	case " ${VMTEST_MACHINES:-pc q35} " in *" q35 "*)
		t0=$(date +%s)
		guest q35 "$out/hostfit.log"
		report q35 "$out/hostfit.log" $(( $(date +%s) - t0 ))
	esac
done
exit $rc
