#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build memlayout.ko against every Debian kernel from kdirs.sh with W=1 and
# sparse (C=2), each in its own copy of the sources under BUILD_DIR, and
# require zero warnings. Appends "modules <passed> <failed>" to RESULTS.
#
# usage: scripts/modules.sh BUILD_DIR [RESULTS]
set -u

build=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
passed=0
failed=0

for kdir in $("$project/scripts/kdirs.sh"); do
	kver=${kdir#/usr/src/linux-headers-}
	out=$build/$kver
	rm -rf "$out"
	mkdir -p "$out"
	(cd "$project" && cp -r Kbuild memlayout_*.[ch] include "$out/")
	log=$out/build.log
	if make -C "$kdir" M="$out" W=1 C=2 modules > "$log" 2>&1 &&
	   ! grep -E -i 'warning|error' "$log"; then
		size=$(size "$out/memlayout.ko" | awk 'NR == 2 { print $1 + $2 + $3 }')
		echo "modules[$kver]: ok, W=1 and sparse clean, memlayout.ko text+data+bss $size bytes"
		passed=$((passed + 1))
	else
		tail -n 30 "$log"
		echo "modules[$kver]: FAILED (log: $log)"
		failed=$((failed + 1))
	fi
done
if [ $((passed + failed)) -eq 0 ]; then
	echo "modules: no kernel headers found (scripts/deps.sh installs them)"
	failed=1
fi
[ -n "$results" ] && echo "modules $passed $failed" >> "$results"
[ "$failed" -eq 0 ]
