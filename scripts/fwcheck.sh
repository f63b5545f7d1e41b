#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libmemlayout's firmware maps, checked by their real consumers
# (Documentation/userspace-api/firmware-maps.rst):
#
# 1. lib/fw_test.c against the static library: exact expected tables for
#    e820, SRAT and FDT (TAP); it also writes each case's maps and its
#    hand-written expectations (fw_test --emit).
# 2. SRAT: ACPICA's disassembler, "iasl -d", on every rendered table: no
#    warning (a bad checksum is one), and every Memory Affinity structure
#    it decodes has the expected base, length, proximity domain and
#    enabled flag. A table with one byte changed must draw the checksum
#    warning (so this check can fail).
# 3. FDT: "dtc -I dtb -O dts" with no warning, then "fdtget" reads each
#    /memory node's name, reg, numa-node-id and device_type.
# 4. e820 and SRAT in a Linux guest: the Debian kernel scripts/vmtest.sh
#    uses boots under QEMU (TCG) with the rendered e820 table as
#    "memmap=exactmap memmap=SIZE@START memmap=SIZE$START ..." and the
#    rendered SRAT as its only SRAT ("-acpitable"); its busybox /init
#    prints the kernel's "user-defined physical RAM map" and "ACPI: SRAT:
#    Node" lines and the NUMA nodes it made, which must be the expected
#    tables.
#
# Appends "firmware <passed> <failed>" to RESULTS when given; exits
# non-zero on any failure.
#
# usage: scripts/fwcheck.sh CACHE_DIR [RESULTS]
#   FWCHECK_BOOT=0 (env) skips the guests.
#   LIBFDT (env): how to link libfdt (default -lfdt).
set -u

cache=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
work=$cache/fwcheck
lib=$cache/fwlib
kernels=$cache/vm/kernels
CC=${CC:-cc}
passed=0
failed=0
n=0

mkdir -p "$work" "$lib" "$kernels"

ok() {		# ok DESCRIPTION
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - fwcheck: $*"
}

not_ok() {	# not_ok DESCRIPTION
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - fwcheck: $*"
}

finish() {
	echo "firmware: $passed passed, $failed failed"
	[ -n "$results" ] && echo "firmware $passed $failed" >> "$results"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

# same FILE1 FILE2 DESCRIPTION: one result, with a diff when they differ.
same() {
	if cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3"
		diff "$1" "$2" | sed 's/^/#   /'
	fi
}

# ---- 1. fw_test -------------------------------------------------------------

maps=$work/maps
rm -rf "$maps" && mkdir -p "$maps"
# The static library is all fw_test links. LIBFDT may be several words.
# shellcheck disable=SC2086
if ! make -s -C "$project/lib" B="$lib" CFLAGS=-O2 "$lib/libmemlayout.a" \
	> "$work/build.log" 2>&1 ||
   ! $CC -O2 -Wall -Wextra -Werror -I"$project/lib" -I"$project/include/uapi" \
	-o "$lib/fw_test" "$project/lib/fw_test.c" "$lib/libmemlayout.a" \
	${LIBFDT:--lfdt} >> "$work/build.log" 2>&1; then
	cat "$work/build.log"
	not_ok "build libmemlayout and fw_test"
	finish
fi
"$lib/fw_test" --emit "$maps" > "$work/fw_test.log" 2>&1
rc=$?
grep '^not ok ' "$work/fw_test.log"
p=$(grep -c '^ok ' "$work/fw_test.log")
f=$(grep -c '^not ok ' "$work/fw_test.log")
# fw_test's own summary must agree with its TAP lines, and it must exit 0
# exactly when nothing failed: a crash half-way is a failure.
if ! tail -n 1 "$work/fw_test.log" | grep -qx "$p passed, $f failed" ||
   { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
	tail -n 5 "$work/fw_test.log"
	f=$((f + 1))
fi
passed=$((passed + p))
failed=$((failed + f))
echo "fw_test: $p passed, $f failed"

cases=
for f in "$maps"/*.srat; do
	[ -f "$f" ] && cases="$cases $(basename "$f" .srat)"
done
[ -n "$cases" ] || { not_ok "fw_test --emit wrote no maps"; finish; }

# ---- 2. SRAT through iasl -d --------------------------------------------------

# srat_entries DSL: "BASE LENGTH DOMAIN ENABLED" per Memory Affinity
# structure iasl decoded, numbers normalised to 0x%x / %d.
srat_entries() {
	awk '/Subtable Type : 01 \[Memory Affinity\]/ { m = 1; next }
	     /Subtable Type :/ { m = 0 }
	     m && /Proximity Domain :/ { pd = $NF }
	     m && /Base Address :/ { base = $NF }
	     m && /Address Length :/ { len = $NF }
	     m && / Enabled :/ { print base, len, pd, $NF; m = 0 }' "$1" |
	while read -r base len pd en; do
		printf '0x%x 0x%x %d %d\n' "0x$base" "0x$len" "0x$pd" "$en"
	done
}

for c in $cases; do
	d=$work/iasl.$c
	rm -rf "$d" && mkdir -p "$d"
	cp "$maps/$c.srat" "$d/srat.dat"
	if ! (cd "$d" && iasl -d srat.dat) > "$d/iasl.log" 2>&1 ||
	   [ ! -f "$d/srat.dsl" ]; then
		not_ok "iasl -d $c.srat"
		sed 's/^/#   /' "$d/iasl.log"
		continue
	fi
	if grep -Eiq 'warning|error|incorrect' "$d/iasl.log" "$d/srat.dsl"; then
		not_ok "iasl -d $c.srat: no warning (checksum, length)"
		grep -Ei 'warning|error|incorrect' "$d/iasl.log" "$d/srat.dsl" |
			sed 's/^/#   /'
	else
		ok "iasl -d $c.srat: no warning (checksum, length)"
	fi
	size=$(stat -c %s "$d/srat.dat")
	if grep -Eq 'Signature : "SRAT"' "$d/srat.dsl" &&
	   grep -Eq 'Revision : 03$' "$d/srat.dsl" &&
	   grep -Eq "Table Length : $(printf %08X "$size")\$" "$d/srat.dsl" &&
	   grep -Eq 'Table Revision : 00000001$' "$d/srat.dsl"; then
		ok "iasl -d $c.srat: SRAT, revision 3, length $size, table revision 1"
	else
		not_ok "iasl -d $c.srat: SRAT, revision 3, length $size, table revision 1"
	fi
	srat_entries "$d/srat.dsl" > "$d/got"
	sed 's/$/ 1/' "$maps/$c.mem.expect" > "$d/want"
	same "$d/want" "$d/got" \
		"iasl -d $c.srat: $(wc -l < "$d/want") memory affinity structures (base, length, domain, enabled)"
done

# The checksum check can fail: one byte changed must be reported.
d=$work/iasl.corrupt
rm -rf "$d" && mkdir -p "$d"
# shellcheck disable=SC2086
set -- $cases
cp "$maps/$1.srat" "$d/srat.dat"
printf '\377' | dd of="$d/srat.dat" bs=1 seek=60 conv=notrunc 2> /dev/null
(cd "$d" && iasl -d srat.dat) > "$d/iasl.log" 2>&1
if grep -q 'Incorrect checksum' "$d/iasl.log"; then
	ok "iasl -d flags a corrupted $1.srat (Incorrect checksum)"
else
	not_ok "iasl -d flags a corrupted $1.srat (Incorrect checksum)"
fi

# ---- 3. FDT through dtc and fdtget -------------------------------------------

for c in $cases; do
	dtb=$maps/$c.dtb
	d=$work/dtc.$c
	rm -rf "$d" && mkdir -p "$d"
	if dtc -I dtb -O dts -o "$d/$c.dts" "$dtb" 2> "$d/dtc.err" &&
	   [ ! -s "$d/dtc.err" ] &&
	   dtc -I dts -O dtb -o "$d/again.dtb" "$d/$c.dts" 2>> "$d/dtc.err" &&
	   [ ! -s "$d/dtc.err" ]; then
		ok "dtc -I dtb -O dts $c.dtb, and back: no warning"
	else
		not_ok "dtc -I dtb -O dts $c.dtb, and back: no warning"
		sed 's/^/#   /' "$d/dtc.err"
	fi
	ac=$(fdtget -t u "$dtb" / '#address-cells' 2>&1)
	sc=$(fdtget -t u "$dtb" / '#size-cells' 2>&1)
	if [ "$ac" = 2 ] && [ "$sc" = 2 ]; then
		ok "fdtget $c.dtb: / has #address-cells 2, #size-cells 2"
	else
		not_ok "fdtget $c.dtb: / has #address-cells 2, #size-cells 2 (got $ac, $sc)"
	fi
	: > "$d/got"
	for node in $(fdtget -l "$dtb" /); do
		case $node in memory@*) ;; *) continue ;; esac
		# shellcheck disable=SC2046
		set -- $(fdtget -t x "$dtb" "/$node" reg)
		if [ $# -ne 4 ]; then
			echo "bad-reg $node $*" >> "$d/got"
			continue
		fi
		start=$(( (0x$1 << 32) | 0x$2 ))
		size=$(( (0x$3 << 32) | 0x$4 ))
		nid=$(fdtget -t u "$dtb" "/$node" numa-node-id)
		dt=$(fdtget -t s "$dtb" "/$node" device_type)
		[ "$node" = "$(printf 'memory@%x' "$start")" ] || echo "bad-name $node" >> "$d/got"
		[ "$dt" = memory ] || echo "bad-device_type $node $dt" >> "$d/got"
		printf '0x%x 0x%x %d\n' "$start" "$size" "$nid" >> "$d/got"
	done
	same "$maps/$c.mem.expect" "$d/got" \
		"fdtget $c.dtb: $(wc -l < "$maps/$c.mem.expect") /memory nodes (name, reg, numa-node-id, device_type)"
done

# ---- 4. e820 and SRAT in a Linux guest ----------------------------------------

# The 6.12 Debian kernel vmtest.sh boots (same download, same cache).
fetch_kernel() {	# fetch_kernel -> path of vmlinuz
	kdir=$("$project/scripts/kdirs.sh" | tail -n 1)
	abi=${kdir#/usr/src/linux-headers-}
	dir=$kernels/$abi
	if [ -n "$kdir" ] && [ ! -f "$dir/vmlinuz" ]; then
		version=$(dpkg-query -W -f='${Version}' "linux-headers-$abi") ||
			return 1
		pkg=linux-image-$abi-unsigned
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		chmod 777 "$dir.tmp"
		(cd "$dir.tmp" && { apt-get download -q "$pkg=$version" ||
			{ apt-get update -q && apt-get download -q "$pkg=$version"; }; }) >&2 &&
		dpkg-deb -x "$dir.tmp"/*.deb "$dir.tmp/x" && mkdir -p "$dir" &&
		cp "$dir.tmp/x/boot/vmlinuz-$abi" "$dir/vmlinuz" &&
		echo "$version" > "$dir/version" || return 1
		rm -rf "$dir.tmp"
	fi
	[ -f "$dir/vmlinuz" ] && echo "$dir/vmlinuz"
}

pack_initramfs() {	# pack_initramfs OUT
	root=$work/root
	rm -rf "$root" && mkdir -p "$root/bin" &&
	cp /bin/busybox "$root/bin/busybox" &&
	cat > "$root/init" <<'EOF' &&
#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys
mount -t proc proc /proc
mount -t sysfs sys /sys
echo "fwcheck: begin"
dmesg | grep -E 'user: \[mem |ACPI: SRAT: Node '
for n in /sys/devices/system/node/node*; do echo "fwcheck: ${n##*/}"; done
echo "fwcheck: end"
reboot -f
EOF
	chmod 755 "$root/init" &&
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$1"
}

# Each guest: CASE MACHINE MEMORY, where QEMU's RAM for MACHINE and
# MEMORY covers every RAM entry of the case (q35 with 2.75 GiB or more
# has RAM at 0-2G and from 4G, with less all of it at 0). "split" is not
# booted: its table is one entry, and Linux ignores an e820 table of
# fewer than two (append_e820_table(); as memmap=, "Invalid user supplied
# memory map"); its merge is booted in "boot" and "q35".
guests="boot:q35:3G legacy:q35:1G vtl2:q35:1G vtl2mid:q35:1G q35:q35:6G"

if [ "${FWCHECK_BOOT:-1}" = 0 ]; then
	echo "fwcheck: FWCHECK_BOOT=0, no guest booted"
	finish
fi
if ! vmlinuz=$(fetch_kernel) || ! pack_initramfs "$work/initramfs.gz"; then
	not_ok "a Debian kernel and a busybox initramfs for the guests"
	finish
fi
for g in $guests; do
	IFS=: read -r c machine mem <<EOF
$g
EOF
	log=$work/guest.$c.log
	params=$(awk '{ printf " memmap=%s%s%s", $2, ($3 == 1 ? "@" : "$"), $1 }' \
		"$maps/$c.e820")
	timeout "${FWCHECK_TIMEOUT:-60}" qemu-system-x86_64 -accel tcg \
		-M "$machine" -m "$mem" -smp 1 -nographic -no-reboot -nodefaults \
		-serial stdio -kernel "$vmlinuz" -initrd "$work/initramfs.gz" \
		-acpitable file="$maps/$c.srat" \
		-append "console=ttyS0 panic=-1 loglevel=3 memmap=exactmap$params" \
		< /dev/null 2>&1 | tr -d '\r' > "$log"
	if ! grep -q '^fwcheck: end' "$log"; then
		not_ok "guest $c ($machine, -m $mem) booted with its e820 and SRAT"
		tail -n 20 "$log" | sed 's/^/#   /'
		continue
	fi
	# user: [mem 0xA-0xB] usable|reserved  ->  "0xA SIZE TYPE"
	sed -n 's/.*user: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\] \([a-z]*\).*/\1 \2 \3/p' \
		"$log" | while read -r a b t; do
		case $t in usable) t=1 ;; reserved) t=2 ;; esac
		printf '0x%x 0x%x %s\n' "$a" $((b + 1 - a)) "$t"
	done > "$log.e820"
	same "$maps/$c.e820.expect" "$log.e820" \
		"guest $c: Linux's user-defined e820 map is the expected $(wc -l < "$maps/$c.e820.expect") entries"
	# ACPI: SRAT: Node N PXM P [mem 0xA-0xB]  ->  "0xA SIZE P"
	sed -n 's/.*ACPI: SRAT: Node [0-9]* PXM \([0-9]*\) \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/\2 \3 \1/p' \
		"$log" | while read -r a b p; do
		printf '0x%x 0x%x %d\n' "$a" $((b + 1 - a)) "$p"
	done > "$log.srat"
	same "$maps/$c.mem.expect" "$log.srat" \
		"guest $c: Linux's SRAT parser read the expected $(wc -l < "$maps/$c.mem.expect") memory affinities"
	want=$(awk '{ print $3 }' "$maps/$c.mem.expect" | sort -u | wc -l)
	got=$(grep -c '^fwcheck: node[0-9]' "$log")
	if [ "$want" -eq "$got" ]; then
		ok "guest $c: $got NUMA nodes online"
	else
		not_ok "guest $c: $want NUMA nodes expected, $got online"
	fi
done
finish
