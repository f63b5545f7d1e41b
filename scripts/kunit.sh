#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run memlayout's KUnit suites with the kernel's own kunit.py on UML, in a
# cached linux-source-6.12 tree (see kernel-tree.sh), and append
# "<config> <passed> <failed>" to RESULTS when it is given.
#
# usage: scripts/kunit.sh CACHE_DIR CONFIG [RESULTS]
#   CONFIG: default  .kunitconfig as shipped (lockdep, atomic-sleep checks)
#           san      the same plus KASAN and UBSAN
#           kmemleak the same suites in an x86_64 kernel under QEMU with
#                    kmemleak, then a scan (kunit/kmemleak.kunitconfig)
#           bench    the benchmark (kunit/bench.kunitconfig), prints a table
set -u

cache=$1
config=$2
results=${3:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
tree=$("$project/scripts/kernel-tree.sh" "$cache" "$project") || exit 1
log=$cache/kunit-$config.log

kunitconfig=drivers/misc/memlayout/kunit
filter='memlayout_*'
extra=""
case $config in
default) ;;
san)
	extra="--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_UBSAN=y
	       --kconfig_add CONFIG_UBSAN_ALIGNMENT=n"
	;;
kmemleak)
	kunitconfig=drivers/misc/memlayout/kunit/kmemleak.kunitconfig
	extra="--arch=x86_64 --timeout=900"
	;;
bench)
	kunitconfig=drivers/misc/memlayout/kunit/bench.kunitconfig
	filter='memlayout_bench*'
	extra="--raw_output=all"
	;;
*)
	echo "kunit.sh: unknown config $config" >&2
	exit 2
	;;
esac

cd "$tree" || exit 1
# shellcheck disable=SC2086
python3 tools/testing/kunit/kunit.py run --kunitconfig="$kunitconfig" \
	--build_dir="$cache/build-$config" --jobs="$(nproc)" \
	$extra "$filter" > "$log" 2>&1
rc=$?

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
grep -a -E '^\[[0-9:]+\] (=|\[FAILED\]|\[CRASHED\]|.*# .*: (EXPECTATION|ASSERTION))' "$log" | grep -a -v '\[PASSED\]' | tail -n 40
if [ "$failed" -ne 0 ]; then
	tail -n 60 "$log"
fi
echo "kunit[$config]: $passed passed, $failed failed (log: $log)"
[ -n "$results" ] && echo "kunit-$config $passed $failed" >> "$results"
[ "$failed" -eq 0 ]
