#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the memlayout test guest (packed by scripts/vmtest.sh). The
# kernel command line's "mlmode=" picks what to do: "test" (TAP output for
# the harness), "run" (the README's demo) or "bench". Ends by powering off.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /tmp && mount -t tmpfs tmp /tmp

mode=$(sed -n 's/.*mlmode=\([a-z]*\).*/\1/p' /proc/cmdline)
n=0
tap() {	# tap STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

echo "memlayout-vmtest: kernel $(uname -r) mode ${mode:-test}"
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
	/bin/memlayout_test --bench
	;;
*)
	test -c /dev/memlayout
	tap $? "/dev/memlayout exists"
	[ "$(stat -c %a /dev/memlayout)" = 600 ]
	tap $? "/dev/memlayout is mode 0600 by default"
	echo "# memlayout_test (64-bit)"
	/bin/memlayout_test
	tap $? "memlayout_test (64-bit) exits 0"
	echo "# memlayout_test32 (32-bit, compat_ioctl)"
	/bin/memlayout_test32
	tap $? "memlayout_test32 (32-bit) exits 0"
	/bin/memlayout_test --answers > /tmp/answers64 &&
		/bin/memlayout_test32 --answers > /tmp/answers32 &&
		[ -s /tmp/answers64 ] && cmp /tmp/answers64 /tmp/answers32
	tap $? "32-bit process gets answers identical to 64-bit ($(wc -l < /tmp/answers64) lines)"
	if [ -f /tests/cli_test.sh ]; then
		echo "# cli_test.sh"
		sh /tests/cli_test.sh
	fi
	if [ -x /bin/ioctl_fuzz ]; then
		echo "# ioctl_fuzz"
		/bin/ioctl_fuzz --calls "${MLFUZZ_CALLS:-1000000}"
		tap $? "ioctl_fuzz exits 0"
	fi
	for f in live_layouts open_files; do
		v=$(cat /sys/kernel/debug/memlayout/$f)
		[ "$v" = 0 ]
		tap $? "debugfs $f back to 0 after all tests (is $v)"
	done
	rmmod memlayout
	tap $? "rmmod memlayout"
	dmesg > /tmp/dmesg
	if grep -E 'WARNING|BUG|Oops|KFENCE|KASAN|general protection|Call Trace|UBSAN' /tmp/dmesg; then
		tap 1 "dmesg free of WARN/BUG/Oops"
	else
		tap 0 "dmesg free of WARN/BUG/Oops"
	fi
	;;
esac

echo "memlayout-vmtest: done"
poweroff -f
