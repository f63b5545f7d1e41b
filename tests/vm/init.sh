#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the memlayout test guest (packed by scripts/vmtest.sh). The
# kernel command line's "mlmode=" picks what to do: "test" (TAP output for
# the harness), "hostfit" (the host-fit guest: q35 with an Intel IOMMU
# and a CPU with AMD SVM, see vmtest.sh's boot(); it also runs the KVM
# audit's tests with Debian's KVM), "run" (the README's demo) or "bench". Ends by
# powering off.
#
# Each test program (/bin/*_test, 64-bit, and /bin/*_test32, 32-bit
# through compat_ioctl) prints its own TAP stream (kselftest harness). They
# are bracketed by "# memlayout-vmtest: run NAME" and "# memlayout-vmtest:
# exit NAME STATUS" so that vmtest.sh can hold each to its plan.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /tmp && mount -t tmpfs tmp /tmp
mount -t cgroup2 none /sys/fs/cgroup

mode=$(sed -n 's/.*mlmode=\([a-z]*\).*/\1/p' /proc/cmdline)
n=0
tap() {	# tap STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

run() {	# run PROGRAM [ARGS]: one TAP program, bracketed for vmtest.sh
	name=$1
	shift
	echo "# memlayout-vmtest: run $name"
	"/bin/$name" "$@"
	echo "# memlayout-vmtest: exit $name $?"
}

# dmesg_clean FILE: no WARN/BUG/Oops/...; "Call Trace" only inside the
# reports an expected allocation failure prints (the memcg OOM report of
# enomem_test, whose only task is exempt from the OOM killer, and the
# vmalloc failure warning).
dmesg_clean() {
	! grep -E 'WARNING|BUG|Oops|KFENCE|KASAN|general protection|UBSAN' "$1" &&
	awk '/invoked oom-killer|vmalloc error|page allocation failure/ { ok++ }
	     /Call Trace/ { if (ok-- <= 0) bad++ }
	     END { exit bad > 0 }' "$1"
}

echo "memlayout-vmtest: kernel $(uname -r) mode ${mode:-test}"
# Debian's own VFIO modules of this kernel (vmtest.sh's fetch_kernel, in
# dependency order), before memlayout.ko, in both test guests: host fit
# names devices by their VFIO files.
case ${mode:-test} in test|hostfit)
	for m in $(cat /modules/order); do
		insmod "/modules/$m.ko"
		tap $? "insmod $m.ko (Debian's)"
	done
	;;
esac
insmod /memlayout.ko
tap $? "insmod memlayout.ko"
# devtmpfs creates the node asynchronously
i=0
while [ ! -c /dev/memlayout ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

case $mode in
run)
	sh /demo.sh
	;;
bench)
	/bin/bench
	;;
hostfit)
	# The host-fit guest: QEMU's edu device (1234:11e8) bound to
	# vfio-pci, the facts the kernel shows (address sizes, each IOMMU
	# group's devices, domain type and reserved regions) as comments,
	# then hostfit_test (64- and 32-bit), told to expect an IOMMU.
	edu=""
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && edu=${d##*/}
	done
	bound=1
	if [ -n "$edu" ] &&
	   echo vfio-pci > "/sys/bus/pci/devices/$edu/driver_override" &&
	   echo "$edu" > /sys/bus/pci/drivers_probe &&
	   [ "$(basename "$(readlink "/sys/bus/pci/devices/$edu/driver")")" = vfio-pci ]; then
		bound=0
	fi
	grp=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group" 2>/dev/null)")
	tap $bound "edu ${edu:-(none)} bound to vfio-pci, IOMMU group ${grp:-(none)}"
	i=0
	while [ ! -c "/dev/vfio/$grp" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	test -c "/dev/vfio/$grp"
	tap $? "/dev/vfio/$grp exists"
	echo "# $(grep -m 1 'address sizes' /proc/cpuinfo)"
	for c in /sys/class/iommu/*/intel-iommu/cap; do
		[ -f "$c" ] && echo "# $c: $(cat "$c")"
	done
	for g in /sys/kernel/iommu_groups/*; do
		echo "# iommu group ${g##*/}: $(ls "$g/devices" | tr '\n' ' ')type $(cat "$g/type" 2>/dev/null)"
		sed 's/^/#   reserved: /' "$g/reserved_regions"
	done
	echo "# /dev/vfio: $(ls /dev/vfio | tr '\n' ' ')"
	[ -d /dev/vfio/devices ] && echo "# /dev/vfio/devices: $(ls /dev/vfio/devices | tr '\n' ' ')"
	export MLHOST_EXPECT=iommu
	run hostfit_test
	run hostfit_test32
	# memlayoutctl --check-host, where this build has it: the README's
	# two examples (demo.sh) against every PCI device and the VFIO group
	# file, for the record (its exact output is cli_test.sh's concern).
	if memlayoutctl --help 2>&1 | grep -q -e --check-host; then
		devargs=""
		for d in /sys/bus/pci/devices/*; do
			devargs="$devargs --device ${d##*/}"
		done
		[ -c "/dev/vfio/$grp" ] && devargs="$devargs --vfio /dev/vfio/$grp"
		for ex in "--ram-size 1T --mmio 1G-2G --mmio 3G-4G --vtl2 0x10100000000-0x10140000000" \
			  "--node-size 3G --node-size 3G --pci-ecam 2G-0x90000000 --pci-mmio 0xe0000000-4G"; do
			echo "# memlayoutctl --check-host $ex$devargs"
			# shellcheck disable=SC2086
			memlayoutctl --check-host $ex $devargs 2>&1 | sed 's/^/#   /'
		done
	fi
	# The KVM audit (SPEC H4) in the same guest: QEMU's TCG implements
	# AMD SVM in "-cpu max", so Debian's own kvm-amd (vmtest.sh's
	# fetch_kernel: /modules/kvm, in dependency order; irqbypass is
	# already in as VFIO's) loads with nested paging and /dev/kvm
	# appears. kvm_test's "kvm_not_loaded" runs before KVM is loaded
	# and again after it is unloaded while memlayout.ko stays; the
	# other tests run in between. No vCPU ever runs.
	kvm_t0=$(cut -d' ' -f1 /proc/uptime)
	run kvm_test -t kvm_not_loaded
	for m in $(cat /modules/kvm/order); do
		if [ -d "/sys/module/$m" ]; then
			echo "# $m.ko already loaded"
			continue
		fi
		insmod "/modules/kvm/$m.ko"
		tap $? "insmod $m.ko (Debian's)"
	done
	i=0
	while [ ! -c /dev/kvm ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	test -c /dev/kvm
	tap $? "/dev/kvm exists"
	echo "# kvm_amd: npt=$(cat /sys/module/kvm_amd/parameters/npt 2>/dev/null) nested=$(cat /sys/module/kvm_amd/parameters/nested 2>/dev/null)"
	run kvm_test -T kvm_not_loaded
	run kvm_test32 -T kvm_not_loaded
	echo "# refcounts before rmmod: kvm $(cat /sys/module/kvm/refcnt) kvm_amd $(cat /sys/module/kvm_amd/refcnt) memlayout $(cat /sys/module/memlayout/refcnt)"
	rmmod kvm_amd kvm
	tap $? "rmmod kvm_amd kvm while memlayout.ko stays loaded"
	run kvm_test -t kvm_not_loaded
	run kvm_test32 -t kvm_not_loaded
	echo "# KVM audit: $(awk -v t0="$kvm_t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime) s in this guest"
	dmesg -c > /tmp/dmesg
	dmesg_clean /tmp/dmesg
	tap $? "dmesg free of WARN/BUG/Oops"
	rmmod memlayout
	tap $? "rmmod memlayout"
	;;
*)
	test -c /dev/memlayout
	tap $? "/dev/memlayout exists"
	[ "$(stat -c %a /dev/memlayout)" = 600 ]
	tap $? "/dev/memlayout is mode 0600 by default"
	# This machine has no IOMMU: hostfit_test checks that no device
	# comes back with one (and no H2/H3 conflict).
	export MLHOST_EXPECT=none
	for t in /bin/*_test /bin/*_test32; do
		t=${t#/bin/}
		case $t in enomem_test*|kvm_test*) continue ;; esac
		[ -x "/bin/$t" ] && run "$t"
	done
	# No KVM in this guest (its CPU has no SVM, no module is loaded):
	# the KVM audit's -ENOPKG; the host-fit guest runs the rest.
	for t in kvm_test kvm_test32; do
		[ -x "/bin/$t" ] && run "$t" -t kvm_not_loaded
	done
	if [ -x /bin/answers ]; then
		/bin/answers > /tmp/answers64 &&
			/bin/answers32 > /tmp/answers32 &&
			[ -s /tmp/answers64 ] && cmp /tmp/answers64 /tmp/answers32
		tap $? "32-bit process gets answers identical to 64-bit ($(wc -l < /tmp/answers64) lines)"
	fi
	if [ -f /tests/cli_test.sh ]; then
		echo "# cli_test.sh"
		sh /tests/cli_test.sh
	fi
	# libmemlayout's device client: lib/test.c's examples, rejections
	# and size checks against the module (R8 through max_ranges). Not
	# named *_test: it prints no TAP of its own, so the loop above skips it.
	for t in libmemlayout_device libmemlayout_device32; do
		[ -x "/bin/$t" ] || continue
		"/bin/$t" --device /dev/memlayout \
			--param /sys/module/memlayout/parameters/max_ranges \
			> "/tmp/$t.out" 2>&1
		tap $? "$t: libmemlayout device client ($(tail -n 1 "/tmp/$t.out"))"
		grep -E '^(FAIL|skip)' "/tmp/$t.out" | sed 's/^/# /'
	done
	# The VMM guide's C program (examples/vmm.c) on the device: the
	# output it gives offline (examples/vmm.expect), byte for byte.
	for ex in vmm place hostfit kvmaudit; do
		/bin/c_$ex > /tmp/c_$ex.out 2>&1 && cmp -s /tests/c_$ex.expect /tmp/c_$ex.out
		tap $? "c_$ex: the VMM guide's examples/$ex.c prints examples/$ex.expect on the device"
		diff /tests/c_$ex.expect /tmp/c_$ex.out | sed 's/^/# /'
	done
	# The Rust crate's example VMM (bindings/rust/examples/vmm.rs): the
	# module must answer it exactly as the offline engine did on the host
	# (examples/vmm.expect). Its tests, rust_test, ran in the loop above.
	if [ -x /bin/rust_vmm ]; then
		/bin/rust_vmm > /tmp/rust_vmm.out 2>&1 &&
			cmp -s /tests/rust_vmm.expect /tmp/rust_vmm.out
		tap $? "rust_vmm: the Rust example VMM prints vmm.expect ($(wc -l < /tmp/rust_vmm.out) lines)"
		diff /tests/rust_vmm.expect /tmp/rust_vmm.out | sed 's/^/# /'
	fi
	if [ -x /bin/ioctl_fuzz ]; then
		run ioctl_fuzz --calls "${MLFUZZ_CALLS:-1000000}"
	fi
	for f in live_layouts open_files; do
		v=$(cat /sys/kernel/debug/memlayout/$f)
		[ "$v" = 0 ]
		tap $? "debugfs $f back to 0 after all tests (is $v)"
	done
	dmesg -c > /tmp/dmesg
	dmesg_clean /tmp/dmesg
	tap $? "dmesg free of WARN/BUG/Oops"
	# Memory cgroup limits last: the expected failure logs a memcg OOM report.
	for t in enomem_test enomem_test32; do
		[ -x "/bin/$t" ] && run "$t"
	done
	rmmod memlayout
	tap $? "rmmod memlayout"
	dmesg > /tmp/dmesg
	echo "# dmesg after the memory cgroup tests: $(grep -c 'invoked oom-killer' /tmp/dmesg) OOM reports, $(grep -c 'vmalloc error' /tmp/dmesg) vmalloc failures, $(grep -c 'Call Trace' /tmp/dmesg) call traces"
	dmesg_clean /tmp/dmesg
	tap $? "dmesg free of WARN/BUG/Oops after the memory cgroup tests"
	;;
esac

echo "memlayout-vmtest: done"
poweroff -f
