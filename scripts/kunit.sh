#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run memlayout's KUnit suites with the kernel's own kunit.py, in a cached
# linux-source-6.12 tree (see kernel-tree.sh), and append
# "kunit-<config> <passed> <failed>" to RESULTS when it is given.
#
# usage: scripts/kunit.sh CACHE_DIR CONFIG [RESULTS]
#   CONFIG: default  UML, kunit/.kunitconfig (lockdep, atomic-sleep checks)
#           san      UML, the same plus KASAN and UBSAN
#           x86      x86_64 SMP guest (QEMU, 4 vCPUs), kunit/x86.kunitconfig:
#                    KASAN, lockdep, kmemleak, failslab; the race suite
#                    really races here. After the suites, the initramfs
#                    runs two kmemleak scans and prints the report.
#           kcsan    x86_64 SMP guest, kunit/kcsan.kunitconfig: KCSAN on
#                    the concurrency suite, memlayout_race
#           i386     32-bit x86 guest, kunit/.kunitconfig: catches 64-bit
#                    divisions that need libgcc (__umoddi3) and 32-bit
#                    truncations
#           kmemleak old name of x86
#           bench    the benchmark (kunit/bench.kunitconfig), prints a table
# For x86 and kcsan, the kernel's own reports in the console (KASAN, KCSAN,
# UBSAN, lockdep, WARN, kmemleak) that name a memlayout function fail the
# layer as well (scripts/kreports.py), one failure each.
# QEMU_ACCEL (default tcg,thread=multi) picks the accelerator of the x86
# and kcsan guests; KUNIT_JOBS the build's parallelism (default: nproc);
# KUNIT_BUILD_ROOT where build directories and logs go (default CACHE_DIR).
set -u

cache=$1
config=$2
results=${3:-}
[ "$config" = kmemleak ] && config=x86
project=$(cd "$(dirname "$0")/.." && pwd -P)
tree=$("$project/scripts/kernel-tree.sh" "$cache" "$project") || exit 1
# Build directories and logs; scripts/mutants.sh points this elsewhere.
root=${KUNIT_BUILD_ROOT:-$cache}
log=$root/kunit-$config.log
build=$root/build-$config
jobs=${KUNIT_JOBS:-$(nproc)}
accel=${QEMU_ACCEL:-tcg,thread=multi}

kdir=drivers/misc/memlayout/kunit
kunitconfig=$kdir
filter='memlayout_*'
extra=""
own_boot=""
case $config in
default) ;;
san)
	extra="--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_UBSAN=y
	       --kconfig_add CONFIG_UBSAN_ALIGNMENT=n"
	;;
x86)
	kunitconfig=$kdir/x86.kunitconfig
	own_boot=kmemleak
	# The fault-injection suite, once its Kconfig symbol exists.
	if grep -q '^config MEMLAYOUT_KUNIT_FAULT' "$project/Kconfig"; then
		extra="--kconfig_add CONFIG_MEMLAYOUT_KUNIT_FAULT=y"
	fi
	;;
kcsan)
	kunitconfig=$kdir/kcsan.kunitconfig
	filter='memlayout_race*'
	own_boot=plain
	;;
i386)
	extra="--arch=i386 --timeout=900"
	;;
bench)
	kunitconfig=$kdir/bench.kunitconfig
	filter='memlayout_bench*'
	extra="--raw_output=all"
	;;
*)
	echo "kunit.sh: unknown config $config" >&2
	exit 2
	;;
esac

# Writes a busybox initramfs whose /init runs once the built-in suites are
# done: two kmemleak scans (an object is reported only when it is older
# than 5 s and its checksum is unchanged since the previous scan), the
# report between markers, then a reboot, which -no-reboot turns into
# QEMU's exit.
make_initramfs() {
	out=$1
	dir=$root/initramfs
	mkdir -p "$dir"
	cat > "$dir/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
k=/sys/kernel/debug/kmemleak
if [ -w $k ] && echo scan > $k; then
	sleep 6
	echo scan > $k
	sleep 6
	echo scan > $k
	echo "memlayout-kmemleak: begin"
	cat $k
	echo "memlayout-kmemleak: end"
else
	echo "memlayout-kmemleak: unavailable"
fi
reboot -f
EOF
	cat > "$dir/list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /bin 0755 0 0
file /bin/busybox $(command -v busybox) 0755 0 0
slink /bin/sh busybox 0777 0 0
slink /bin/mount busybox 0777 0 0
slink /bin/sleep busybox 0777 0 0
slink /bin/cat busybox 0777 0 0
slink /bin/reboot busybox 0777 0 0
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $dir/init 0755 0 0
EOF
	"$build/usr/gen_init_cpio" "$dir/list" > "$out"
}

# Boots the bzImage of $build on 4 vCPUs with the console on stdout.
boot_x86() {
	initrd=$root/initramfs.cpio
	make_initramfs "$initrd" || return 1
	# kunit_shutdown stays unset: the initramfs's /init runs after the
	# suites and ends the run.
	timeout 1500 qemu-system-x86_64 -nodefaults -nographic -no-reboot \
		-accel "$accel" -smp 4 -m 2048 -bios qboot.rom \
		-serial stdio -kernel "$build/arch/x86/boot/bzImage" \
		-initrd "$initrd" \
		-append "console=ttyS0 kunit.filter_glob=$filter panic=-1"
}

cd "$tree" || exit 1
kunit="python3 tools/testing/kunit/kunit.py"
t0=$(date +%s)
if [ -n "$own_boot" ]; then
	rm -f "$build/console.log"
	# shellcheck disable=SC2086
	nice $kunit build --kunitconfig="$kunitconfig" --arch=x86_64 \
		--build_dir="$build" --jobs="$jobs" $extra > "$log" 2>&1
	rc=$?
	t1=$(date +%s)
	echo "kunit[$config]: build $((t1 - t0)) s" | tee -a "$log"
	if [ $rc -eq 0 ]; then
		boot_x86 > "$build/console.log" 2>&1
		echo "kunit[$config]: run $(( $(date +%s) - t1 )) s (QEMU $accel, 4 vCPUs)" | tee -a "$log"
		$kunit parse "$build/console.log" >> "$log" 2>&1
		rc=$?
	fi
else
	# shellcheck disable=SC2086
	nice $kunit run --kunitconfig="$kunitconfig" \
		--build_dir="$build" --jobs="$jobs" \
		$extra "$filter" > "$log" 2>&1
	rc=$?
	echo "kunit[$config]: build and run $(( $(date +%s) - t0 )) s" | tee -a "$log"
fi

if [ "$config" = bench ]; then
	grep -o 'memlayout_bench:.*' "$log" || { tail -n 40 "$log"; exit 1; }
	exit $rc
fi

# "Testing complete. Ran 97 tests: passed: 95, failed: 2"
summary=$(grep -a 'Testing complete' "$log" | tail -n 1)
passed=$(echo "$summary" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
failed=$(echo "$summary" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
crashed=$(echo "$summary" | sed -n 's/.*crashed: \([0-9]*\).*/\1/p')
passed=${passed:-0}
failed=$(( ${failed:-0} + ${crashed:-0} ))
if [ -z "$summary" ] || [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# the build or the run itself broke
fi
if [ -n "$own_boot" ] && [ -f "$build/console.log" ]; then
	flag=""
	[ "$own_boot" = kmemleak ] && flag=--kmemleak
	python3 "$project/scripts/kreports.py" "$build" "$build/console.log" \
		$flag > "$build/reports.txt" 2>&1
	tee -a "$log" < "$build/reports.txt"
	ours=$(grep -c '^kreports: memlayout:\|^kreports: no kmemleak' "$build/reports.txt")
	failed=$((failed + ours))
	grep -a -o '[0-9]* layouts published.*' "$build/console.log"
fi
grep -a -E '^\[[0-9:]+\] (=|\[FAILED\]|\[CRASHED\]|\[SKIPPED\]|.*# .*: (EXPECTATION|ASSERTION))' "$log" | grep -a -v '\[PASSED\]' | tail -n 40
# Every failed test by name, however many expectations came before
# (scripts/mutants.sh reads them from this output).
grep -a -E '^\[[0-9:]+\] \[(FAILED|CRASHED)\] ' "$log"
if [ "$failed" -ne 0 ]; then
	tail -n 60 "$log"
fi
echo "kunit[$config]: $passed passed, $failed failed (log: $log)"
[ -n "$results" ] && echo "kunit-$config $passed $failed" >> "$results"
[ "$failed" -eq 0 ]
