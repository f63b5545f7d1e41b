#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests in real Debian kernels: for each kernel whose headers
# kdirs.sh finds, build memlayout.ko against them, fetch the matching
# linux-image-<abi>-amd64-unsigned (same package version as the headers),
# pack a busybox initramfs with the module, the static test programs
# (64-bit and 32-bit) and memlayoutctl, boot it under qemu-system-x86_64
# -accel tcg, and read the TAP lines the guest prints on the serial console.
#
# usage: scripts/vmtest.sh CACHE_DIR [MODE] [RESULTS]
#   MODE: test (default; appends "vmtest-<abi> <passed> <failed>" to
#         RESULTS), run (the README demo, 6.12 only), bench (probe costs).
#   KERNELS="6.12" (env) limits the kernels by version prefix.
set -u

cache=$1
mode=${2:-test}
results=${3:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
vm=$cache/vm
mkdir -p "$vm/bin" "$vm/kernels"
CC=${CC:-gcc}
cflags="-O2 -Wall -Wextra -Werror -static -I$project/include/uapi"

fail() {
	echo "vmtest: $*" >&2
	exit 1
}

# Userspace programs, built once for every kernel.
build_programs() {
	$CC $cflags -pthread -o "$vm/bin/memlayout_test" \
		"$project/tests/vm/memlayout_test.c" &&
	$CC $cflags -m32 -pthread -o "$vm/bin/memlayout_test32" \
		"$project/tests/vm/memlayout_test.c" &&
	$CC $cflags -o "$vm/bin/memlayoutctl" "$project/tools/memlayoutctl.c" &&
	$CC $cflags -m32 -o "$vm/bin/memlayoutctl32" "$project/tools/memlayoutctl.c" &&
	if [ -f "$project/tests/vm/ioctl_fuzz.c" ]; then
		$CC $cflags -pthread -o "$vm/bin/ioctl_fuzz" \
			"$project/tests/vm/ioctl_fuzz.c"
	fi
}

# The kernel image whose package version equals the headers' version.
fetch_kernel() {	# fetch_kernel ABI -> path of vmlinuz
	abi=$1
	dir=$vm/kernels/$abi
	if [ ! -f "$dir/vmlinuz" ]; then
		version=$(dpkg-query -W -f='${Version}' "linux-headers-$abi") ||
			fail "no linux-headers-$abi package"
		pkg=linux-image-$abi-unsigned
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		chmod 777 "$dir.tmp"	# apt's _apt user downloads into it
		(cd "$dir.tmp" && { apt-get download -q "$pkg=$version" ||
			{ apt-get update -q && apt-get download -q "$pkg=$version"; }; }) >&2 ||
			fail "cannot download $pkg=$version"
		dpkg-deb -x "$dir.tmp"/*.deb "$dir.tmp/x" || fail "cannot unpack $pkg"
		mkdir -p "$dir"
		cp "$dir.tmp/x/boot/vmlinuz-$abi" "$dir/vmlinuz" || fail "no vmlinuz in $pkg"
		echo "$version" > "$dir/version"
		rm -rf "$dir.tmp"
	fi
	echo "$dir/vmlinuz"
}

build_module() {	# build_module KDIR OUT
	rm -rf "$2" && mkdir -p "$2" &&
	(cd "$project" && cp -r Kbuild memlayout_*.[ch] include "$2/") &&
	make -s -C "$1" M="$2" modules > "$2/build.log" 2>&1 ||
		{ cat "$2/build.log"; return 1; }
}

pack_initramfs() {	# pack_initramfs MODULE OUT
	root=$vm/root
	rm -rf "$root" && mkdir -p "$root/bin" "$root/tests" "$root/proc" \
		"$root/sys" "$root/dev" "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	cp "$project/tests/vm/init.sh" "$root/init"
	cp "$project/tests/vm/demo.sh" "$root/demo.sh"
	cp "$1" "$root/memlayout.ko"
	cp "$vm/bin/"* "$root/bin/"
	[ -f "$project/tests/vm/cli_test.sh" ] &&
		cp "$project/tests/vm/cli_test.sh" "$root/tests/"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$2"
}

boot() {	# boot VMLINUZ INITRD LOG
	timeout "${VMTEST_TIMEOUT:-900}" qemu-system-x86_64 -accel tcg \
		-m 1024 -smp 2 -nographic -no-reboot -nodefaults \
		-serial stdio -kernel "$1" -initrd "$2" \
		-append "console=ttyS0 panic=-1 loglevel=3 mlmode=$mode" \
		< /dev/null 2>&1 | tr -d '\r' > "$3"
}

build_programs || fail "cannot build the test programs"
rc=0
for kdir in $("$project/scripts/kdirs.sh"); do
	abi=${kdir#/usr/src/linux-headers-}
	series=$(echo "$abi" | cut -d. -f1,2)
	case " ${KERNELS:-6.1 6.12} " in *" $series "*) ;; *) continue ;; esac
	[ "$mode" = test ] || [ "$series" = 6.12 ] || continue

	out=$vm/$abi
	log=$out/serial.log
	passed=0
	failed=0
	mkdir -p "$out"
	t0=$(date +%s)
	if vmlinuz=$(fetch_kernel "$abi") &&
	   build_module "$kdir" "$out/module" &&
	   pack_initramfs "$out/module/memlayout.ko" "$out/initramfs.gz"; then
		boot "$vmlinuz" "$out/initramfs.gz" "$log"
		if [ "$mode" = test ]; then
			passed=$(grep -c '^ok ' "$log")
			failed=$(grep -c '^not ok ' "$log")
			grep -A3 '^not ok ' "$log"
			if ! grep -q '^memlayout-vmtest: done' "$log"; then
				tail -n 40 "$log"
				echo "vmtest[$abi]: guest did not finish (crash or timeout)"
				failed=$((failed + 1))
			fi
		else
			# The first line starts with the console's escape codes.
			sed -n '/memlayout-vmtest: kernel/,/^memlayout-vmtest: done/p' "$log"
			grep -q '^memlayout-vmtest: done' "$log" || { tail -n 40 "$log"; rc=1; }
		fi
	else
		failed=1
	fi
	if [ "$mode" = test ]; then
		echo "vmtest[$abi]: $passed passed, $failed failed in $(( $(date +%s) - t0 )) s (log: $log)"
		[ -n "$results" ] && echo "vmtest-$abi $passed $failed" >> "$results"
		[ "$failed" -eq 0 ] || rc=1
	fi
done
exit $rc
