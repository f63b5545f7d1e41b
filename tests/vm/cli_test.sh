#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# memlayoutctl end to end, inside the test guest (busybox ash, as root, with
# memlayout.ko loaded): exact output for the SPEC examples, one rejection
# per rule R1..R8, exit codes, usage errors, --batch, the range syntax, the
# map's columns, the firmware maps, diff, --dry-run, the probes'
# covering ranges, the shared view (--view, --view-info; SPEC V1, V3) and
# host fit (--check-host; SPEC H1-H3) and the KVM audit (--check-kvm;
# SPEC H4).
# Prints TAP lines.
#
# Every expected string below was worked out by hand from SPEC.md (and the
# CLI's documented output format, Documentation/man/memlayoutctl.8), not
# copied from the program's output. Fingerprints (SPEC F1) are computed
# here by fp(), from the expected ranges and the encoding documented in
# include/uapi/linux/memlayout.h ("DOC: Fingerprint"), with sha256sum.
#
# Both ways: unless MEMLAYOUTCTL_OFFLINE=0, every invocation that uses the
# device is run a second time with --offline (libmemlayout's offline
# engine, no device), and its exit status, stdout and stderr must be
# byte-identical to the device's (issue 8: "output identical to the
# device's on every example").
#
#   sh cli_test.sh            # uses /bin/memlayoutctl
#   MEMLAYOUTCTL=./memlayoutctl MEMLAYOUT_PARAM=file sh cli_test.sh
#   MEMLAYOUTCTL_OFFLINE=0 sh cli_test.sh     # the device only

CLI=${MEMLAYOUTCTL:-/bin/memlayoutctl}
CLI32=${MEMLAYOUTCTL32:-/bin/memlayoutctl32}
PARAM=${MEMLAYOUT_PARAM:-/sys/module/memlayout/parameters/max_ranges}
TMP=${TMPDIR:-/tmp}/cli_test.$$
BOTH=${MEMLAYOUTCTL_OFFLINE:-1}
# Extra options of the --offline run (--max-ranges while R8 is tested).
OFFLINE_OPTS=
mkdir -p "$TMP" || exit 1

n=0
failed=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}

# diag LABEL TEXT: print TEXT as TAP comments
diag() {
	printf '%s\n' "$2" | sed "s/^/# $1: /"
}

# check DESC EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diag expected "$2"
		diag got "$3"
	fi
}

# run ARGS...: $out = stdout, $err = stderr, $rc = exit status; then the
# same with --offline, which must give the same three (not for --device).
run() {
	out=$("$CLI" "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
	case " $* " in
	*" --device "*|*" --offline "*|*" --max-ranges "*) return ;;
	esac
	[ "$BOTH" = 1 ] || return
	# shellcheck disable=SC2086
	if [ "$1" = diff ]; then
		shift
		o_out=$("$CLI" diff --offline $OFFLINE_OPTS "$@" 2>"$TMP/err")
		o_rc=$?
		set -- diff "$@"
	else
		o_out=$("$CLI" --offline $OFFLINE_OPTS "$@" 2>"$TMP/err")
		o_rc=$?
	fi
	o_err=$(cat "$TMP/err")
	check "--offline identical: $*" "rc=$rc out=$out err=$err" \
		"rc=$o_rc out=$o_out err=$o_err"
}

# le HEX N: the N low bytes of the number HEX, little-endian, as printf
# octal escapes
le() {
	_out=
	for _b in $(printf '%s\n' "$1" | sed 's/^0x//; s/^/0000000000000000/;
		s/.*\(.\{16\}\)$/\1/; s/\(..\)/\1 /g'); do
		_out="\\$(printf '%03o' "0x$_b")$_out"
	done
	printf '%s' "$_out" | cut -c1-$(($2 * 4))
}

# fp [--vtl2 START END] START END NODE KIND ...: the fingerprint (SPEC F1)
# of these ranges, in address order: SHA-256 of "memlayout.fp.v1\n", u32
# count, u32 has-VTL2, 24-byte records (u64 start, u64 end, u32 vnode, u32
# kind), then the VTL2 record (start, end, 0, 0); little-endian.
fp() {
	_vtl2=
	_has=0
	if [ "$1" = --vtl2 ]; then
		_vtl2="$(le "$2" 8)$(le "$3" 8)$(le 0 8)"
		_has=1
		shift 3
	fi
	_f="memlayout.fp.v1\\n$(le "$(printf '%x' $(($# / 4)))" 4)$(le $_has 4)"
	while [ $# -ge 4 ]; do
		_f="$_f$(le "$1" 8)$(le "$2" 8)$(le "$(printf '%x' "$3")" 4)$(le "$4" 4)"
		shift 4
	done
	# shellcheck disable=SC2059
	printf "$_f$_vtl2" | sha256sum | cut -d' ' -f1
}

# layout_fp JSON: fp() of the ranges an expected layout JSON lists
layout_fp() {
	# shellcheck disable=SC2046
	fp $(printf '%s\n' "$1" | sed -n 's/.*"vtl2":{"start":"\([^"]*\)","end":"\([^"]*\)"}.*/--vtl2 \1 \2/p') \
	   $(for k in 1:ram 2:mmio 3:pci_ecam 4:pci_mmio; do
		printf '%s\n' "$1" |
		sed -n "s/.*\"${k#*:}\":\[\([^]]*\)\].*/\1/p" |
		sed 's/},{/}|{/g' | tr '|' '\n' |
		sed -n "s/.*\"start\":\"0x\([0-9a-f]*\)\",\"end\":\"\([^\"]*\)\"\(,\"node\":\([0-9]*\)\)\{0,1\}}.*/0000000000000000\1 \2 \4 ${k%%:*}/p"
	   done | sed 's/^0*\([0-9a-f]\{16\}\) \([^ ]*\)  /\1 \2 0 /; s/^0*\([0-9a-f]\{16\}\) /\1 /' |
	   sort | sed 's/^/0x/')
}

# with_fp JSON GEN [LINE]: a layout JSON as memlayoutctl prints it: the
# generation and fingerprint before "probes", and "line" first in --batch
with_fp() {
	_j=$(printf '%s\n' "$1" | sed "s/,\"probes\":/,\"generation\":$2,\"fingerprint\":\"$(layout_fp "$1")\",\"probes\":/")
	[ -n "${3:-}" ] && _j=$(printf '%s\n' "$_j" | sed "s/^{/{\"line\":$3,/")
	printf '%s\n' "$_j"
}

# expect DESC RC EXPECTED_STDOUT ARGS...: exact stdout and exit status
expect() {
	desc=$1
	want_rc=$2
	want=$3
	shift 3
	run "$@"
	check "$desc" "rc=$want_rc $want" "rc=$rc $out"
}

# expect_layout DESC EXPECTED_JSON ARGS...: a layout accepted (exit 0) and
# printed as EXPECTED_JSON with generation 1 and its fingerprint
expect_layout() {
	_d=$1
	_w=$(with_fp "$2" 1)
	shift 2
	expect "$_d" 0 "$_w" "$@"
}

# ---- exact JSON for the SPEC examples ----------------------------------

# SPEC seed example: 1 TiB, mmio [1G,2G) and [3G,4G). RAM fills [0,1G),
# [2G,3G), then 1T - 2G from 4G: [4G, 1T+2G). Q4 = 2G, Q5 = 1T - 2G,
# Q7 (two mmio gaps) = RAM starting at or above 4G = 1T - 2G, Q6 = 3G.
seed='{"ram":[{"start":"0x0","end":"0x40000000","node":0},{"start":"0x80000000","end":"0xc0000000","node":0},{"start":"0x100000000","end":"0x10080000000","node":0}],"mmio":[{"start":"0x40000000","end":"0x80000000"},{"start":"0xc0000000","end":"0x100000000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x10000000000","end_of_ram":"0x10080000000","ram_below_4gb":"0x80000000","ram_above_4gb":"0xff80000000","ram_above_high_mmio":"0xff80000000","max_ram_below_4gb":"0xc0000000","end_of_layout":"0x10080000000","probes":[]}'
expect_layout "SPEC seed example (C1, 1 TiB, two mmio gaps) --json" "$seed" \
	--json --ram-size 1T --mmio 1G-2G --mmio 3G-4G
# The same layout written in hex without suffixes.
expect_layout "SPEC seed example with hex numbers" "$seed" \
	--json --ram-size 0x10000000000 --mmio 0x40000000-0x80000000 \
	--mmio 0xc0000000-0x100000000

# D1: the hole at 0 leaves an empty chunk, which is skipped.
expect_layout "D1: 1 GiB with mmio [0,4K) gives RAM [4K, 1G+4K)" \
'{"ram":[{"start":"0x1000","end":"0x40001000","node":0}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[]}' \
	--json --ram-size 1G --mmio 0-4K

# D2: bytes are split exactly at 4 GiB; D3: no holes, Q8 = end of RAM.
expect_layout "D2: RAM [0,8G) is 4G below, 4G above, max below 4G = 4G" \
'{"ram":[{"start":"0x0","end":"0x200000000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x200000000","end_of_ram":"0x200000000","ram_below_4gb":"0x100000000","ram_above_4gb":"0x100000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x200000000","probes":[]}' \
	--json --ram 0-8G

# C2: nodes of 1G, 2G, 512M; ECAM [2G,3G), mmio [0xfe000000,4G).
#   [0,2G) before the ECAM: node 0 [0,1G), node 1 [1G,2G) (split mid-chunk)
#   [3G,0xfe000000) = 992M: node 1 (32M of its 2G still left)
#   above 4G: node 1 [4G,4G+32M), node 2 [4G+32M, 4G+544M)
# Q4 = 1G+1G+992M = 0xbe000000, Q5 = 32M+512M = 0x22000000,
# Q6 = end of [3G,0xfe000000), one mmio gap so Q7 absent.
expect_layout "C2: three nodes split around a PCI ECAM hole and an mmio gap" \
'{"ram":[{"start":"0x0","end":"0x40000000","node":0},{"start":"0x40000000","end":"0x80000000","node":1},{"start":"0xc0000000","end":"0xfe000000","node":1},{"start":"0x100000000","end":"0x102000000","node":1},{"start":"0x102000000","end":"0x122000000","node":2}],"mmio":[{"start":"0xfe000000","end":"0x100000000"}],"pci_ecam":[{"start":"0x80000000","end":"0xc0000000"}],"pci_mmio":[],"vtl2":null,"ram_size":"0xe0000000","end_of_ram":"0x122000000","ram_below_4gb":"0xbe000000","ram_above_4gb":"0x22000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0xfe000000","end_of_layout":"0x122000000","probes":[]}' \
	--json --node-size 1G --node-size 2G --node-size 512M \
	--pci-ecam 2G-3G --mmio 0xfe000000-4G

# C2, two nodes, one chunk split where node 0's budget ends.
expect_layout "C2: two nodes, node split mid-chunk before a PCI ECAM hole" \
'{"ram":[{"start":"0x0","end":"0x40000000","node":0},{"start":"0x40000000","end":"0x80000000","node":1},{"start":"0xc0000000","end":"0x100000000","node":1}],"mmio":[],"pci_ecam":[{"start":"0x80000000","end":"0xc0000000"}],"pci_mmio":[],"vtl2":null,"ram_size":"0xc0000000","end_of_ram":"0x100000000","ram_below_4gb":"0xc0000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x100000000","probes":[]}' \
	--json --node-size 1G --node-size 2G --pci-ecam 2G-3G

# C3 with every kind, touching RAM ranges kept apart, node ids passed
# through, VTL2 above RAM (not RAM, not in Q8), and probes at each edge.
expect_layout "C3: every list, VTL2 and probes (VTL2 and unmapped => none)" \
'{"ram":[{"start":"0x0","end":"0x40000000","node":0},{"start":"0x40000000","end":"0x80000000","node":3}],"mmio":[{"start":"0x80000000","end":"0xc0000000"}],"pci_ecam":[{"start":"0xc0000000","end":"0xd0000000"}],"pci_mmio":[{"start":"0xe0000000","end":"0x100000000"}],"vtl2":{"start":"0x200000000","end":"0x200200000"},"ram_size":"0x80000000","end_of_ram":"0x80000000","ram_below_4gb":"0x80000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x80000000","end_of_layout":"0x100000000","probes":[{"addr":"0x0","kind":"ram","range":{"start":"0x0","end":"0x40000000","node":0,"index":0}},{"addr":"0x3fffffff","kind":"ram","range":{"start":"0x0","end":"0x40000000","node":0,"index":0}},{"addr":"0x40000000","kind":"ram","range":{"start":"0x40000000","end":"0x80000000","node":3,"index":1}},{"addr":"0x7fffffff","kind":"ram","range":{"start":"0x40000000","end":"0x80000000","node":3,"index":1}},{"addr":"0x80000000","kind":"mmio","range":{"start":"0x80000000","end":"0xc0000000","index":0}},{"addr":"0xcfffffff","kind":"pci_ecam","range":{"start":"0xc0000000","end":"0xd0000000","index":0}},{"addr":"0xd0000000","kind":"none","range":null},{"addr":"0xe0000000","kind":"pci_mmio","range":{"start":"0xe0000000","end":"0x100000000","index":0}},{"addr":"0xffffffff","kind":"pci_mmio","range":{"start":"0xe0000000","end":"0x100000000","index":0}},{"addr":"0x100000000","kind":"none","range":null},{"addr":"0x200000000","kind":"none","range":null},{"addr":"0x2001ff000","kind":"none","range":null},{"addr":"0xffffffffffffffff","kind":"none","range":null}]}' \
	--json --ram 0-1G --ram 1G-2G:3 --mmio 2G-3G --pci-ecam 3G-0xd0000000 \
	--pci-mmio 0xe0000000-4G --vtl2 8G-0x200200000 \
	--probe 0 --probe 0x3fffffff --probe 1G --probe 0x7fffffff \
	--probe 2G --probe 0xcfffffff --probe 0xd0000000 --probe 0xe0000000 \
	--probe 0xffffffff --probe 4G --probe 8G --probe 0x2001ff000 \
	--probe 0xffffffffffffffff

# Node ids are u32, printed as hex strings.
expect_layout "C3: node id 0xffffffff passed through" \
'{"ram":[{"start":"0x1000","end":"0x2000","node":4294967295}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x1000","end_of_ram":"0x2000","ram_below_4gb":"0x1000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x2000","end_of_layout":"0x2000","probes":[{"addr":"0xfff","kind":"none","range":null},{"addr":"0x1000","kind":"ram","range":{"start":"0x1000","end":"0x2000","node":4294967295,"index":0}},{"addr":"0x2000","kind":"none","range":null}]}' \
	--json --ram 4K-8K:4294967295 --probe 0xfff --probe 4K --probe 8K

# RAM up to MAX_ADDRESS = 2^64 - 4K is allowed (R6 boundary).
expect_layout "C1: RAM ending exactly at MAX_ADDRESS is accepted" \
'{"ram":[{"start":"0x0","end":"0xfffffffffffff000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0xfffffffffffff000","end_of_ram":"0xfffffffffffff000","ram_below_4gb":"0x100000000","ram_above_4gb":"0xfffffffefffff000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0xfffffffffffff000","probes":[{"addr":"0xffffffffffffefff","kind":"ram","range":{"start":"0x0","end":"0xfffffffffffff000","node":0,"index":0}},{"addr":"0xfffffffffffff000","kind":"none","range":null}]}' \
	--json --ram-size 0xfffffffffffff000 \
	--probe 0xffffffffffffefff --probe 0xfffffffffffff000

# ---- the human map ------------------------------------------------------

# A header row, then the default columns RANGE (inclusive ends like
# /proc/iomem, 37 wide), KIND (8), SIZE (right-aligned in 10) and NODE
# (right-aligned in 4, "-" for holes and VTL2), one space apart; then the
# figures, the generation and the fingerprint (SPEC F1).
fp_seed=$(fp 0x0 0x40000000 0 1 0x40000000 0x80000000 0 2 \
	0x80000000 0xc0000000 0 1 0xc0000000 0x100000000 0 2 \
	0x100000000 0x10080000000 0 1)
expect "human map of the seed example, stats and probes" 0 \
"RANGE                                 KIND           SIZE NODE
0x0000000000000000-0x000000003fffffff ram           1 GiB    0
0x0000000040000000-0x000000007fffffff mmio          1 GiB    -
0x0000000080000000-0x00000000bfffffff ram           1 GiB    0
0x00000000c0000000-0x00000000ffffffff mmio          1 GiB    -
0x0000000100000000-0x000001007fffffff ram        1022 GiB    0
ram_size             0x10000000000 (1 TiB)
end_of_ram           0x10080000000 (1026 GiB)
ram_below_4gb        0x80000000 (2 GiB)
ram_above_4gb        0xff80000000 (1022 GiB)
ram_above_high_mmio  0xff80000000 (1022 GiB)
max_ram_below_4gb    0xc0000000 (3 GiB)
end_of_layout        0x10080000000 (1026 GiB)
generation           1
fingerprint          $fp_seed
probe 0x0: ram [0x0, 0x40000000) node 0 index 0
probe 0x40000000: mmio [0x40000000, 0x80000000) index 0
probe 0x10080000000: none" \
	--ram-size 1T --mmio 1G-2G --mmio 3G-4G \
	--probe 0 --probe 1G --probe 0x10080000000

# VTL2 appears in the map; Q6 and Q7 absent (no RAM below 4G, one gap).
expect "human map with VTL2 and absent values" 0 \
"RANGE                                 KIND           SIZE NODE
0x0000000000000000-0x000000000000ffff mmio         64 KiB    -
0x0000000100000000-0x000000013fffffff ram           1 GiB    2
0x0000000140000000-0x00000001401fffff vtl2          2 MiB    -
ram_size             0x40000000 (1 GiB)
end_of_ram           0x140000000 (5 GiB)
ram_below_4gb        0x0 (0 B)
ram_above_4gb        0x40000000 (1 GiB)
ram_above_high_mmio  absent
max_ram_below_4gb    absent
end_of_layout        0x140000000 (5 GiB)
generation           1
fingerprint          $(fp --vtl2 0x140000000 0x140200000 0x0 0x10000 0 2 \
	0x100000000 0x140000000 2 1)" \
	--ram 4G-5G:2 --mmio 0-64K --vtl2 5G-0x140200000

# ---- one rejection per rule, exact JSON ---------------------------------

expect "R1: RAM size not page aligned" 1 \
'{"error":{"errno":"EINVAL","rule":"R1","list":"none","index":0,"message":"R1 bad size: RAM size 0x1001 is zero or not a multiple of 4 KiB"}}' \
	--json --ram-size 4097
expect "R1: zero RAM size" 1 \
'{"error":{"errno":"EINVAL","rule":"R1","list":"none","index":0,"message":"R1 bad size: RAM size 0x0 is zero or not a multiple of 4 KiB"}}' \
	--json --ram-size 0
expect "R1: second node size not page aligned" 1 \
'{"error":{"errno":"EINVAL","rule":"R1","list":"nodes","index":1,"message":"R1 bad size: node size nodes[1] = 0x1001 is zero or not a multiple of 4 KiB"}}' \
	--json --node-size 1G --node-size 0x1001
expect "R2: unaligned mmio end" 1 \
'{"error":{"errno":"EINVAL","rule":"R2","list":"mmio","index":0,"message":"R2 bad range: mmio[0] [0x1000, 0x1800) is empty, reversed, not 4 KiB aligned or ends above 0xfffffffffffff000"}}' \
	--json --ram-size 1G --mmio 0x1000-0x1800
expect "R2: empty VTL2 (D7)" 1 \
'{"error":{"errno":"EINVAL","rule":"R2","list":"vtl2","index":0,"message":"R2 bad range: vtl2 [0x200000000, 0x200000000) is empty, reversed, not 4 KiB aligned or ends above 0xfffffffffffff000"}}' \
	--json --ram-size 1G --vtl2 8G-8G
expect "R3: mmio list out of order" 1 \
'{"error":{"errno":"EINVAL","rule":"R3","list":"mmio","index":1,"message":"R3 bad order: mmio[1] [0x40000000, 0x80000000) starts before the end of mmio[0] [0x80000000, 0xc0000000)"}}' \
	--json --ram-size 1G --mmio 2G-3G --mmio 1G-2G
expect "R4: RAM overlaps an mmio gap" 1 \
'{"error":{"errno":"EEXIST","rule":"R4","list":"ram","index":0,"message":"R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000)"}}' \
	--json --ram 0-2G --mmio 1G-3G
expect "R4: mmio gap overlaps a PCI ECAM hole" 1 \
'{"error":{"errno":"EEXIST","rule":"R4","list":"mmio","index":0,"message":"R4 overlap: mmio[0] [0x40000000, 0x80000000) overlaps pci_ecam[0] [0x7ffff000, 0xc0000000)"}}' \
	--json --ram-size 1G --mmio 1G-2G --pci-ecam 0x7ffff000-3G
expect "R4: VTL2 overlaps placed RAM" 1 \
'{"error":{"errno":"EEXIST","rule":"R4","list":"ram","index":0,"message":"R4 overlap: placed ram[0] overlaps vtl2 [0x40000000, 0xc0000000)"}}' \
	--json --ram-size 2G --vtl2 1G-3G
expect "R5: no RAM range (--ram none)" 1 \
'{"error":{"errno":"EINVAL","rule":"R5","list":"ram","index":0,"message":"R5 no RAM: the layout would hold no RAM range"}}' \
	--json --ram none --mmio 0-1G
expect "R6: RAM pushed past MAX_ADDRESS by a hole at 0" 1 \
'{"error":{"errno":"EOVERFLOW","rule":"R6","list":"none","index":0,"message":"R6 too large: 0xfffffffffffff000 bytes of RAM do not fit at or below 0xfffffffffffff000"}}' \
	--json --ram-size 0xfffffffffffff000 --mmio 0-4K
expect "R6: node sizes that wrap 64 bits" 1 \
'{"error":{"errno":"EOVERFLOW","rule":"R6","list":"nodes","index":1,"message":"R6 too large: the RAM of nodes[1] does not fit at or below 0xfffffffffffff000"}}' \
	--json --node-size 0x8000000000000000 --node-size 0x8000000000000000
expect "R7: VTL2 below the end of RAM" 1 \
'{"error":{"errno":"EINVAL","rule":"R7","list":"vtl2","index":0,"message":"R7 VTL2 below end of RAM: vtl2 [0x40000000, 0x80000000) starts below the end of ram[1] [0x80000000, 0xc0000000)"}}' \
	--json --ram 0-1G --ram 2G-3G --vtl2 1G-2G

# R8: lower max_ranges to 4 and give 5 mmio gaps; the kernel names the
# first range past the limit (index 4). Restore the parameter after.
if [ -w "$PARAM" ]; then
	old=$(cat "$PARAM")
	echo 4 > "$PARAM"
	OFFLINE_OPTS="--max-ranges 4"
	expect "R8: 5 mmio gaps with max_ranges 4" 1 \
'{"error":{"errno":"E2BIG","rule":"R8","list":"mmio","index":4,"message":"R8 too many ranges: mmio holds 5 entries, more than max_ranges 4"}}' \
		--json --ram-size 1G --mmio 1G-2G --mmio 2G-3G --mmio 3G-4G \
		--mmio 4G-5G --mmio 5G-6G
	expect_layout "R8: 4 mmio gaps with max_ranges 4 are fine" \
'{"ram":[{"start":"0x0","end":"0x40000000","node":0}],"mmio":[{"start":"0x40000000","end":"0x80000000"},{"start":"0x80000000","end":"0xc0000000"},{"start":"0xc0000000","end":"0x100000000"},{"start":"0x100000000","end":"0x140000000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40000000","end_of_layout":"0x140000000","probes":[]}' \
		--json --ram-size 1G --mmio 1G-2G --mmio 2G-3G --mmio 3G-4G \
		--mmio 4G-5G
	OFFLINE_OPTS=
	echo "$old" > "$PARAM"
	check "max_ranges restored to $old" "$old" "$(cat "$PARAM")"
else
	fail "R8: $PARAM is not writable"
fi

# ---- exit codes and messages without --json ------------------------------

run --ram 0-2G --mmio 1G-3G
check "rejection without --json: exit 1, nothing on stdout" "rc=1 out=" \
	"rc=$rc out=$out"
check "rejection without --json: rule, errno and ranges on stderr" \
	"memlayoutctl: layout rejected: R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000) (errno EEXIST, rule R4, list ram, index 0)" \
	"$err"

expect "missing device --json: exit 1, error object with rule null" 1 \
'{"error":{"errno":"ENOENT","rule":null,"list":"none","index":0,"message":"cannot open /nonexistent/memlayout: No such file or directory"}}' \
	--json --device /nonexistent/memlayout --ram-size 1G
run --device /nonexistent/memlayout --ram-size 1G
check "missing device: exit 1 and a message on stderr" \
	"rc=1 out= err=memlayoutctl: cannot open /nonexistent/memlayout: No such file or directory" \
	"rc=$rc out=$out err=$err"

# usage ARGS...: exit 2, nothing on stdout, a message on stderr
usage() {
	desc=$1
	shift
	run "$@"
	if [ "$rc" = 2 ] && [ -z "$out" ] && [ -n "$err" ]; then
		pass "usage error exits 2: $desc"
	else
		fail "usage error exits 2: $desc"
		diag got "rc=$rc out=$out err=$err"
	fi
}
usage "bad number" --ram-size 1X
usage "bad hex number" --ram-size 0x
usage "number with a sign" --ram-size -1
usage "suffix overflows 64 bits" --ram-size 16777216T
usage "decimal overflows 64 bits" --ram-size 18446744073709551616
usage "range without a dash" --ram-size 1G --mmio 1G
usage "node id above 32 bits" --ram 0-1G:0x100000000
usage "mixed sources --ram-size and --ram" --ram-size 1G --ram 0-1G
usage "mixed sources --node-size and --ram-size" --node-size 1G --ram-size 1G
usage "no RAM source" --mmio 0-4K
usage "unknown option" --ram-size 1G --bogus
usage "missing argument" --ram-size
usage "stray argument" --ram-size 1G extra
usage "--vtl2 twice" --ram-size 1G --vtl2 8G-9G --vtl2 9G-10G
usage "layout options with --batch" --batch --ram-size 1G
run --ram-size 1X
check "usage error message names the bad number" \
	"memlayoutctl: --ram-size: '1X' is not a number (decimal or 0x-hex, optional K/M/G/T/P/E or KiB..EiB suffix)" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

run --help
case $out in
Usage:*) help_ok=1 ;;
*) help_ok=0 ;;
esac
check "--help exits 0 with a usage text" "rc=0 1" "rc=$rc $help_ok"
check "--help shows the placement options' syntax (issue 9 item 4)" \
"  --reserve TAG:RANGE
  --fixed TAG:KIND:RANGE
  --mmio32 TAG:KIND:SIZE[/ALIGN]
  --ram-request TAG:SIZE[/ALIGN]
  --mmio64 TAG:KIND:SIZE[/ALIGN]
  --post-mmio TAG:KIND:SIZE[/ALIGN]" \
	"$(printf '%s\n' "$out" | sed -n 's/^\(  --[a-z0-9-]* TAG:[A-Z:]*[A-Z]\(\[\/ALIGN\]\)\{0,1\}\).*/\1/p')"

# ---- range syntax: START+SIZE, P and E, KiB..EiB (issue 8 item 4) ------

# [1G, 2G) on node 1 written as 1G+1G, a 4 KiB gap at 0, the ECAM window
# [3G, 3G + 256M). One mmio gap: Q7 absent; Q6 = end of the RAM below 4G.
expect_layout "START+SIZE ranges with KiB/MiB/GiB spellings" \
'{"ram":[{"start":"0x40000000","end":"0x80000000","node":1}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[{"start":"0xc0000000","end":"0xd0000000"}],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x80000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x80000000","end_of_layout":"0xd0000000","probes":[]}' \
	--json --ram 1G+1G:1 --mmio 0+4KiB --pci-ecam 3GiB+256MiB

# 1P = 2^50 of RAM from 0; a gap at 1E = 2^60. Q5 = 2^50 - 4G.
expect_layout "P and E suffixes (PiB, EiB)" \
'{"ram":[{"start":"0x0","end":"0x4000000000000","node":0}],"mmio":[{"start":"0x1000000000000000","end":"0x1000000000001000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x4000000000000","end_of_ram":"0x4000000000000","ram_below_4gb":"0x100000000","ram_above_4gb":"0x3ffff00000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x1000000000001000","probes":[{"addr":"0x3ff0000000000","kind":"ram","range":{"start":"0x0","end":"0x4000000000000","node":0,"index":0}},{"addr":"0x4000000000000","kind":"none","range":null},{"addr":"0x1000000000000000","kind":"mmio","range":{"start":"0x1000000000000000","end":"0x1000000000001000","index":0}}]}' \
	--json --ram-size 1P --mmio 1EiB+4K --probe 1023T --probe 1PiB --probe 1e

usage "E suffix overflows 64 bits (16E = 2^64)" --ram-size 16E
usage "START+SIZE past 2^64" --ram-size 1G --mmio 0xfffffffffffff000+4K
usage "misspelt suffix KB" --ram-size 1KB
usage "misspelt suffix Kib" --ram-size 1Kib
usage "suffix on a hex number that ends in E is a digit, then iB" --ram-size 0x1EiB
run --ram-size 1G --mmio 0xfffffffffffff000+4K
check "START+SIZE overflow: the message says so" \
	"memlayoutctl: --mmio '0xfffffffffffff000+4K': START+SIZE does not fit in 64 bits" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

# ---- the map's columns (--output, like lsmem -o) -------------------------

# START and END 18 wide (END inclusive), SIZE right in 10, KIND 8, NODE
# right in 4, INDEX (index in the list of its kind) right in 5.
expect "--output with every column but RANGE, VTL2 in the map" 0 \
"START              END                      SIZE KIND     NODE INDEX
0x0000000000000000 0x000000003fffffff      1 GiB ram         0     0
0x0000000040000000 0x000000007fffffff      1 GiB ram         1     1
0x0000000080000000 0x00000000bfffffff      1 GiB mmio        -     0
0x0000000100000000 0x00000001001fffff      2 MiB vtl2        -     0
ram_size             0x80000000 (2 GiB)
end_of_ram           0x80000000 (2 GiB)
ram_below_4gb        0x80000000 (2 GiB)
ram_above_4gb        0x0 (0 B)
ram_above_high_mmio  absent
max_ram_below_4gb    0x80000000 (2 GiB)
end_of_layout        0xc0000000 (3 GiB)
generation           1
fingerprint          $(fp --vtl2 0x100000000 0x100200000 0x0 0x40000000 0 1 \
	0x40000000 0x80000000 1 1 0x80000000 0xc0000000 0 2)" \
	--output START,END,SIZE,KIND,NODE,INDEX --ram 0-1G --ram 1G-2G:1 \
	--mmio 2G-3G --vtl2 4G+2M

run --output kind,range --ram-size 1G --mmio 1G-2G
check "--output in lower case, a left-aligned last column is not padded" \
"rc=0 KIND     RANGE
ram      0x0000000000000000-0x000000003fffffff
mmio     0x0000000040000000-0x000000007fffffff" \
	"rc=$rc $(printf '%s\n' "$out" | sed -n 1,3p)"

usage "--output with an unknown column" --output START,FOO --ram-size 1G
usage "--output with an empty column" --output START, --ram-size 1G
usage "--output with --json" --output START --json --ram-size 1G
run --output START,FOO --ram-size 1G
check "--output FOO: the message names the column and the valid ones" \
	"memlayoutctl: --output: unknown column 'FOO' (RANGE, START, END, SIZE, KIND, NODE, INDEX, TAG)" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

# ---- --offline (libmemlayout's offline engine) ---------------------------

usage "--offline with --device" --offline --device /dev/memlayout --ram-size 1G
usage "--max-ranges without --offline" --max-ranges 4 --ram-size 1G
usage "--max-ranges 0" --offline --max-ranges 0 --ram-size 1G
expect "--offline needs no device: even with none at the default path" 0 \
	"$(with_fp '{"ram":[{"start":"0x0","end":"0x40000000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40000000","end_of_layout":"0x40000000","probes":[]}' 1)" \
	--offline --json --ram-size 1G
expect "--offline --max-ranges 2: R8 from the offline engine" 1 \
'{"error":{"errno":"E2BIG","rule":"R8","list":"mmio","index":2,"message":"R8 too many ranges: mmio holds 3 entries, more than max_ranges 2"}}' \
	--offline --max-ranges 2 --json --ram-size 1G --mmio 1G-2G \
	--mmio 2G-3G --mmio 3G-4G

# ---- firmware maps (--e820, --srat, --fdt) --------------------------------

# RAM [0,1G) node 0 and [1G,2G) node 1 (adjacent), an mmio gap [2G,3G),
# ECAM [3G,3G+256M), RAM [4G,5G) node 1, VTL2 [5G,5G+2M).
fw="--ram 0-1G --ram 1G-2G:1 --ram 4G-5G:1 --mmio 2G-3G --pci-ecam 3G+256M --vtl2 5G+2M"

# e820 policy (libmemlayout.rst): RAM usable, adjacent RAM merged across
# the node split; ECAM and VTL2 reserved; mmio gaps get no entry.
# shellcheck disable=SC2086
expect "--e820: RAM merged across nodes, ECAM and VTL2 reserved, gap absent" 0 \
"BIOS-e820: [mem 0x0000000000000000-0x000000007fffffff] usable
BIOS-e820: [mem 0x00000000c0000000-0x00000000cfffffff] reserved
BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable
BIOS-e820: [mem 0x0000000140000000-0x00000001401fffff] reserved" \
	--e820 $fw
# shellcheck disable=SC2086
expect "--e820 --json" 0 \
'{"e820":[{"addr":"0x0","size":"0x80000000","type":1,"name":"usable"},{"addr":"0xc0000000","size":"0x10000000","type":2,"name":"reserved"},{"addr":"0x100000000","size":"0x40000000","type":1,"name":"usable"},{"addr":"0x140000000","size":"0x200000","type":2,"name":"reserved"}]}' \
	--e820 --json $fw
# Legacy: EBDA [0x9fc00, 0xa0000) and BIOS [0xf0000, 1M) reserved, VGA and
# option ROMs [0xa0000, 0xf0000) without an entry.
# shellcheck disable=SC2086
expect "--e820=legacy: the BIOS carve-out below 1 MiB" 0 \
"BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved
BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable
BIOS-e820: [mem 0x00000000c0000000-0x00000000cfffffff] reserved
BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable
BIOS-e820: [mem 0x0000000140000000-0x00000001401fffff] reserved" \
	--e820=legacy $fw

# SRAT: a 48-byte header (36 + 12) and one 40-byte Memory Affinity
# Structure per RAM range, proximity domain = node: 48 + 3 * 40 = 168.
# shellcheck disable=SC2086
expect "--srat: header checked, one structure per RAM range" 0 \
"SRAT: length 168, revision 3, checksum ok
SRAT: PXM 0 [mem 0x0000000000000000-0x000000003fffffff]
SRAT: PXM 1 [mem 0x0000000040000000-0x000000007fffffff]
SRAT: PXM 1 [mem 0x0000000100000000-0x000000013fffffff]" \
	--srat $fw
# shellcheck disable=SC2086
expect "--srat --json" 0 \
'{"srat":{"length":168,"revision":3,"checksum_ok":true,"memory":[{"proximity_domain":0,"base":"0x0","length":"0x40000000","enabled":true},{"proximity_domain":1,"base":"0x40000000","length":"0x40000000","enabled":true},{"proximity_domain":1,"base":"0x100000000","length":"0x40000000","enabled":true}]}}' \
	--srat --json $fw

# FDT: /memory@<start> per RAM range (nodes differ, so none merge), reg in
# 2+2 cells, numa-node-id = node; the file is a flattened device tree.
# shellcheck disable=SC2086
expect "--fdt FILE: the memory nodes read back from the blob" 0 \
"/memory@0 reg <0x0 0x40000000> numa-node-id 0
/memory@40000000 reg <0x40000000 0x40000000> numa-node-id 1
/memory@100000000 reg <0x100000000 0x40000000> numa-node-id 1" \
	--fdt "$TMP/fw.dtb" $fw
check "--fdt FILE: FILE starts with the FDT magic d00dfeed" d00dfeed \
	"$(od -An -tx1 -N4 "$TMP/fw.dtb" | tr -d ' \n')"
# shellcheck disable=SC2086
expect "--fdt FILE --json" 0 \
"{\"fdt\":{\"file\":\"$TMP/fw.dtb\",\"memory\":[{\"name\":\"memory@0\",\"reg\":[{\"base\":\"0x0\",\"size\":\"0x40000000\"}],\"numa_node_id\":0},{\"name\":\"memory@40000000\",\"reg\":[{\"base\":\"0x40000000\",\"size\":\"0x40000000\"}],\"numa_node_id\":1},{\"name\":\"memory@100000000\",\"reg\":[{\"base\":\"0x100000000\",\"size\":\"0x40000000\"}],\"numa_node_id\":1}]}}" \
	--fdt "$TMP/fw.dtb" --json $fw
expect "--e820 of a rejected layout: the rejection, exit 1" 1 \
'{"error":{"errno":"EEXIST","rule":"R4","list":"ram","index":0,"message":"R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000)"}}' \
	--e820 --json --ram 0-2G --mmio 1G-3G
usage "two firmware maps at once" --e820 --srat --ram-size 1G
usage "--e820=bogus" --e820=bogus --ram-size 1G
usage "--fdt without a file" --ram-size 1G --fdt

# ---- diff (SPEC F2) --------------------------------------------------------

"$CLI" --json --ram 0-1G --ram 1G-2G:1 --mmio 2G-3G > "$TMP/a.json"
"$CLI" --json --ram 0-1G --ram 1G-3G:1 --pci-mmio 3G-4G --vtl2 8G+2M \
	> "$TMP/b.json"
printf '%s\n' '{"error":{"errno":"EEXIST","rule":"R4","list":"ram","index":0,"message":"x"}}' \
	> "$TMP/err.json"
printf '%s\n' '{"ram":[{"start":"0x0","end":' > "$TMP/cut.json"

expect "diff of a layout with itself: exit 0, no output" 0 "" \
	diff "$TMP/a.json" "$TMP/a.json"
expect "diff --json of a layout with itself" 0 \
	'{"differences":[],"equal":true}' diff --json "$TMP/a.json" "$TMP/a.json"
# A: ram [0,1G) n0, [1G,2G) n1, mmio [2G,3G). B: ram [0,1G) n0, [1G,3G) n1,
# pci_mmio [3G,4G), VTL2 [8G,8G+2M). Ranges by address: ram@1G changed,
# mmio@2G removed, pci_mmio@3G added; then the figures in struct order:
# Q2 Q3 Q4 2G -> 3G, Q6 2G -> 3G, Q8 3G -> 4G; then VTL2.
expect "diff A B: each range and figure that changed, exit 1" 1 \
"changed ram [0x40000000, 0x80000000) node 1 -> [0x40000000, 0xc0000000) node 1
removed mmio [0x80000000, 0xc0000000)
added pci_mmio [0xc0000000, 0x100000000)
changed ram_size 0x80000000 -> 0xc0000000
changed end_of_ram 0x80000000 -> 0xc0000000
changed ram_below_4gb 0x80000000 -> 0xc0000000
changed max_ram_below_4gb 0x80000000 -> 0xc0000000
changed end_of_layout 0xc0000000 -> 0x100000000
changed vtl2 none -> [0x200000000, 0x200200000)" \
	diff "$TMP/a.json" "$TMP/b.json"
expect "diff --json B A: the same differences the other way round" 1 \
'{"differences":[{"op":"changed","old":{"kind":"ram","start":"0x40000000","end":"0xc0000000","node":1},"new":{"kind":"ram","start":"0x40000000","end":"0x80000000","node":1}},{"op":"added","range":{"kind":"mmio","start":"0x80000000","end":"0xc0000000"}},{"op":"removed","range":{"kind":"pci_mmio","start":"0xc0000000","end":"0x100000000"}},{"op":"figure","name":"ram_size","old":"0xc0000000","new":"0x80000000"},{"op":"figure","name":"end_of_ram","old":"0xc0000000","new":"0x80000000"},{"op":"figure","name":"ram_below_4gb","old":"0xc0000000","new":"0x80000000"},{"op":"figure","name":"max_ram_below_4gb","old":"0xc0000000","new":"0x80000000"},{"op":"figure","name":"end_of_layout","old":"0x100000000","new":"0xc0000000"},{"op":"vtl2","old":{"start":"0x200000000","end":"0x200200000"},"new":null}],"equal":false}' \
	diff --json "$TMP/b.json" "$TMP/a.json"
# The same layout built from node sizes (C2) instead of ranges (C3).
expect "diff FILE device: equal layouts from different sources, exit 0" 0 "" \
	diff "$TMP/a.json" device --node-size 1G --node-size 1G --mmio 2G-3G
expect "diff FILE device: a node id changed" 1 \
	"changed ram [0x40000000, 0x80000000) node 1 -> [0x40000000, 0x80000000) node 2" \
	diff "$TMP/a.json" device --ram 0-1G --ram 1G-2G:2 --mmio 2G-3G
# C: 4G around [3G,4G): RAM [0,3G) and [4G,5G). D: a second gap [1G,2G):
# RAM [0,1G), [2G,3G), [4G,6G). ram_size stays 4G and Q6 3G; Q3 5G -> 6G,
# Q4 3G -> 2G, Q5 1G -> 2G, Q8 5G -> 6G; Q7 appears with the second gap
# (RAM above the highest gap, [4G,6G) = 2G).
"$CLI" --json --ram-size 4G --mmio 3G-4G > "$TMP/c.json"
expect "diff FILE device: ranges added, two changed, a figure that appears" 1 \
"changed ram [0x0, 0xc0000000) node 0 -> [0x0, 0x40000000) node 0
added mmio [0x40000000, 0x80000000)
added ram [0x80000000, 0xc0000000) node 0
changed ram [0x100000000, 0x140000000) node 0 -> [0x100000000, 0x180000000) node 0
changed end_of_ram 0x140000000 -> 0x180000000
changed ram_below_4gb 0xc0000000 -> 0x80000000
changed ram_above_4gb 0x40000000 -> 0x80000000
changed ram_above_high_mmio absent -> 0x80000000
changed end_of_layout 0x140000000 -> 0x180000000" \
	diff "$TMP/c.json" device --ram-size 4G --mmio 1G-2G --mmio 3G-4G
# The same start with another kind is not the same range.
"$CLI" --json --ram 0-1G --mmio 1G-2G > "$TMP/e.json"
expect "diff: a gap that became an ECAM window is removed, then added" 1 \
"removed mmio [0x40000000, 0x80000000)
added pci_ecam [0x40000000, 0x80000000)" \
	diff "$TMP/e.json" device --ram 0-1G --pci-ecam 1G-2G
out=$("$CLI" diff - "$TMP/a.json" < "$TMP/a.json")
check "diff - FILE: stdin is a layout file" "rc=$? out=" "rc=0 out=$out"
run diff "$TMP/a.json" /nonexistent.json
check "diff with a missing file: exit 2, the reason on stderr" \
	"rc=2 out= err=memlayoutctl: diff: cannot open /nonexistent.json: No such file or directory" \
	"rc=$rc out=$out err=$err"
run diff "$TMP/err.json" "$TMP/a.json"
check "diff of an error object: exit 2" "rc=2 out=" "rc=$rc out=$out"
run diff "$TMP/cut.json" "$TMP/a.json"
check "diff of a cut file: exit 2" "rc=2 out=" "rc=$rc out=$out"
# A hand-edited file: RAM [1G,2G) on node 3. With the fingerprint that
# the program wrote it no longer matches its ranges (an error); without
# one it is a layout like any other.
sed 's/"node":1}/"node":3}/' "$TMP/a.json" > "$TMP/edited.json"
run diff "$TMP/a.json" "$TMP/edited.json"
check "diff of a file whose fingerprint is not that of its ranges: exit 2" \
	"rc=2 out= err=memlayoutctl: diff: $TMP/edited.json: its fingerprint $(layout_fp "$(cat "$TMP/a.json")") is not that of its ranges ($(layout_fp "$(cat "$TMP/edited.json")"))" \
	"rc=$rc out=$out err=$err"
sed 's/,"fingerprint":"[0-9a-f]*"//' "$TMP/edited.json" > "$TMP/edited2.json"
expect "diff of a hand-edited file without a fingerprint" 1 \
	"changed ram [0x40000000, 0x80000000) node 1 -> [0x40000000, 0x80000000) node 3" \
	diff "$TMP/a.json" "$TMP/edited2.json"
run diff "$TMP/a.json" device --ram 0-2G --mmio 1G-3G
check "diff with a rejected device layout: exit 2" "rc=2 out=" "rc=$rc out=$out"
usage "diff with one layout" diff "$TMP/a.json"
usage "diff with layout options and no device side" diff "$TMP/a.json" \
	"$TMP/b.json" --ram-size 1G
usage "diff device without layout options" diff "$TMP/a.json" device

# ---- --batch -------------------------------------------------------------

# batch FILE: $out, $rc of --batch on FILE; and the same with --offline,
# which must be identical
batch() {
	out=$("$CLI" --batch < "$1")
	rc=$?
	[ "$BOTH" = 1 ] || return
	o_out=$("$CLI" --batch --offline < "$1")
	check "--offline identical: --batch < $(basename "$1")" \
		"rc=$rc $out" "rc=$? $o_out"
}

# Each output line carries its input line; the generation counts the
# layouts built on the one open file (the rejected line builds none).
printf '%s\n' "--ram-size 1G --mmio 0-4K" "--ram 0-2G --mmio 1G-3G" \
	"--ram 0-8G" > "$TMP/batch3"
batch "$TMP/batch3"
check "--batch, 2 good lines and 1 rejected: 3 exact lines, exit 1" \
"rc=1 $(with_fp '{"ram":[{"start":"0x1000","end":"0x40001000","node":0}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[]}' 1 1)
{\"line\":2,\"error\":{\"errno\":\"EEXIST\",\"rule\":\"R4\",\"list\":\"ram\",\"index\":0,\"message\":\"R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000)\"}}
$(with_fp '{"ram":[{"start":"0x0","end":"0x200000000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x200000000","end_of_ram":"0x200000000","ram_below_4gb":"0x100000000","ram_above_4gb":"0x100000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x200000000","probes":[]}' 2 3)" \
	"rc=$rc $out"

# A usage error is reported as one (not as errno EINVAL); the rest runs.
printf '%s\n' "--ram-size 1G" "--ram-size 1G --bogus" "--ram-size 2G" \
	> "$TMP/batchu"
batch "$TMP/batchu"
check "--batch with a usage error line: a usage object, processing goes on, exit 2" \
'rc=2 3 {"line":2,"usage":"unknown or malformed option '"'"'--bogus'"'"'"}' \
	"rc=$rc $(printf '%s\n' "$out" | wc -l) $(printf '%s\n' "$out" | sed -n 2p)"

# Comments: whole lines, trailing ones (even holding options), blank
# lines; a '#' inside a word is not a comment.
printf '%s\n' "# a layout per line" "--ram-size 1G --mmio 0-4K   # 1 GiB above a page" \
	"" "   " "--ram 0-8G#x" "--ram 0-8G # --bogus is commented out" \
	"--probe 0 --ram 0-4K	#tab before" > "$TMP/batchc"
batch "$TMP/batchc"
check "--batch with comments and blank lines: line numbers of the input" \
"rc=2 $(with_fp '{"ram":[{"start":"0x1000","end":"0x40001000","node":0}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[]}' 1 2)
{\"line\":5,\"usage\":\"--ram '0-8G#x': '8G#x' is not a number (decimal or 0x-hex, optional K/M/G/T/P/E or KiB..EiB suffix)\"}
$(with_fp '{"ram":[{"start":"0x0","end":"0x200000000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x200000000","end_of_ram":"0x200000000","ram_below_4gb":"0x100000000","ram_above_4gb":"0x100000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x200000000","probes":[]}' 2 6)
$(with_fp '{"ram":[{"start":"0x0","end":"0x1000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x1000","end_of_ram":"0x1000","ram_below_4gb":"0x1000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x1000","end_of_layout":"0x1000","probes":[{"addr":"0x0","kind":"ram","range":{"start":"0x0","end":"0x1000","node":0,"index":0}}]}' 3 7)" \
	"rc=$rc $out"
printf '%s\n' "--offline --ram-size 1G" "--e820 --ram-size 1G" \
	"--output START --ram-size 1G" > "$TMP/batcho"
batch "$TMP/batcho"
check "--batch: --offline, --e820 and --output are the whole run's (usage)" \
'rc=2 {"line":1,"usage":"--offline is not allowed in a --batch line"}
{"line":2,"usage":"--e820 is not allowed in a --batch line"}
{"line":3,"usage":"--output is not allowed in a --batch line"}' "rc=$rc $out"

# 2000 layouts: line i asks for i MiB above a 4 KiB hole at 0 and probes 0.
seq 1 2000 | sed 's/.*/--ram-size &M --mmio 0-4K --probe 0 --probe 4K/' \
	> "$TMP/batch2000"
"$CLI" --batch < "$TMP/batch2000" > "$TMP/out2000"
rc=$?
check "--batch of 2000 lines: exit 0, 2000 lines out" "rc=0 2000" \
	"rc=$rc $(wc -l < "$TMP/out2000" | sed 's/ //g')"
check "--batch of 2000 lines: every line is a layout" 2000 \
	"$(grep -c '^{"line":[0-9]*,"ram":\[{"start":"0x1000","end":"0x[0-9a-f]*1000","node":0}\],"mmio":\[{"start":"0x0","end":"0x1000"}\],.*,"generation":[0-9]*,"fingerprint":"[0-9a-f]\{64\}","probes":\[{"addr":"0x0","kind":"mmio","range":{"start":"0x0","end":"0x1000","index":0}},{"addr":"0x1000","kind":"ram","range":{"start":"0x1000","end":"0x[0-9a-f]*1000","node":0,"index":0}}\]}$' "$TMP/out2000")"
# 2000 MiB = 0x7d000000, shifted up by the 4 KiB hole.
check "--batch of 2000 lines: last line exact" \
	"$(with_fp '{"ram":[{"start":"0x1000","end":"0x7d001000","node":0}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x7d000000","end_of_ram":"0x7d001000","ram_below_4gb":"0x7d000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x7d001000","end_of_layout":"0x7d001000","probes":[{"addr":"0x0","kind":"mmio","range":{"start":"0x0","end":"0x1000","index":0}},{"addr":"0x1000","kind":"ram","range":{"start":"0x1000","end":"0x7d001000","node":0,"index":0}}]}' 2000 2000)" \
	"$(sed -n 2000p "$TMP/out2000")"
if [ "$BOTH" = 1 ]; then
	"$CLI" --batch --offline < "$TMP/batch2000" > "$TMP/out2000o"
	check "--offline identical: --batch of 2000 lines" \
		"$(cat "$TMP/out2000")" "$(cat "$TMP/out2000o")"
fi

# ---- --dry-run (MEMLAYOUT_SET_DRY_RUN) and probes' covering ranges -------

# A dry run builds and checks the layout as a real SET_LAYOUT does and
# replies with the same fingerprint (SPEC F1), publishing nothing
# (include/uapi/linux/memlayout.h, MEMLAYOUT_SET_DRY_RUN): the verdict is
# one line, computed here by fp() from the layout the SPEC seed example
# builds (see "human map of the seed example" above).
run --dry-run --ram-size 1T --mmio 1G-2G --mmio 3G-4G
check "--dry-run, valid: one verdict line with the fingerprint, exit 0" \
	"rc=0 out=valid (dry run): fingerprint $fp_seed err=" \
	"rc=$rc out=$out err=$err"
expect "--dry-run --json, valid: valid, dry_run and the fingerprint" 0 \
	"{\"valid\":true,\"dry_run\":true,\"fingerprint\":\"$fp_seed\"}" \
	--json --dry-run --ram-size 1T --mmio 1G-2G --mmio 3G-4G
# VTL2 is part of what is checked and fingerprinted.
expect "--dry-run --json with VTL2: its record in the fingerprint" 0 \
	"{\"valid\":true,\"dry_run\":true,\"fingerprint\":\"$(fp --vtl2 0x140000000 0x140200000 0x0 0x10000 0 2 0x100000000 0x140000000 2 1)\"}" \
	--json --dry-run --ram 4G-5G:2 --mmio 0-64K --vtl2 5G-0x140200000

# A rejected dry run is the same rejection as without --dry-run.
run --dry-run --ram 0-2G --mmio 1G-3G
check "--dry-run, rejected: exit 1, the same message on stderr" \
	"rc=1 out= err=memlayoutctl: layout rejected: R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000) (errno EEXIST, rule R4, list ram, index 0)" \
	"rc=$rc out=$out err=$err"
expect "--dry-run --json, rejected (R7): the same error object" 1 \
'{"error":{"errno":"EINVAL","rule":"R7","list":"vtl2","index":0,"message":"R7 VTL2 below end of RAM: vtl2 [0x40000000, 0x80000000) starts below the end of ram[1] [0x80000000, 0xc0000000)"}}' \
	--json --dry-run --ram 0-1G --ram 2G-3G --vtl2 1G-2G

# Nothing is published, so nothing can be probed, rendered or diffed.
usage "--dry-run with --probe" --dry-run --ram-size 1G --probe 0
usage "--dry-run with --e820" --dry-run --ram-size 1G --e820
usage "--dry-run with --srat" --dry-run --ram-size 1G --srat
usage "--dry-run with --fdt" --dry-run --ram-size 1G --fdt "$TMP/dry.dtb"
usage "--dry-run with --output" --dry-run --ram-size 1G --output KIND
usage "--dry-run on the --batch command line" --batch --dry-run < /dev/null
usage "diff --dry-run" diff --dry-run "$TMP/none1" "$TMP/none2"
run --dry-run --ram-size 1G --probe 0
check "--dry-run with --probe: the message" \
	"memlayoutctl: --dry-run publishes no layout: --probe is not allowed" \
	"$(printf '%s\n' "$err" | sed -n 1p)"
# diff's own errors exit 2 too: the message tells the usage error apart.
run diff --dry-run "$TMP/none1" "$TMP/none2"
check "diff --dry-run: the message" \
	"memlayoutctl: diff takes no --dry-run" \
	"$(printf '%s\n' "$err" | sed -n 1p)"
run --batch --dry-run < /dev/null
check "--batch --dry-run: the message" \
	"memlayoutctl: --dry-run goes on each --batch line, not on the command line" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

# --probe prints the range that covers the address (PROBE's ranges_ptr):
# [start, end), the node for RAM, the index in its kind's list; "none"
# alone when no range covers it. C3 with every kind: ram[1] is node 3.
run --ram 0-1G --ram 1G-2G:3 --mmio 2G-3G --pci-ecam 3G-0xd0000000 \
	--pci-mmio 0xe0000000-4G --vtl2 8G-0x200200000 \
	--probe 0x7fffffff --probe 2G --probe 0xcfffffff --probe 0xd0000000 \
	--probe 0xffffffff --probe 8G
check "human probes: covering range, node of RAM, index; none alone" \
"rc=0 probe 0x7fffffff: ram [0x40000000, 0x80000000) node 3 index 1
probe 0x80000000: mmio [0x80000000, 0xc0000000) index 0
probe 0xcfffffff: pci_ecam [0xc0000000, 0xd0000000) index 0
probe 0xd0000000: none
probe 0xffffffff: pci_mmio [0xe0000000, 0x100000000) index 0
probe 0x200000000: none" \
	"rc=$rc $(printf '%s\n' "$out" | grep '^probe ')"

# In a batch, a dry-run line publishes nothing: a later line of probes
# alone asks the layout already there, still line 1's (1 GiB above a
# 4 KiB hole: 0x40001000 is past its RAM, though inside line 2's 2 GiB),
# and the next real layout is generation 2, not 3.
printf '%s\n' "--ram-size 1G --mmio 0-4K" \
	"--dry-run --ram-size 2G   # checked, not published" \
	"--probe 0 --probe 4K --probe 1G --probe 0x40001000" \
	"--dry-run --ram 0-2G --mmio 1G-3G" \
	"--dry-run --ram-size 1G --probe 0" \
	"--ram-size 8K" "--probe 4K" > "$TMP/batchd"
batch "$TMP/batchd"
check "--batch: dry-run lines publish nothing; probes see the layout before" \
"rc=2 $(with_fp '{"ram":[{"start":"0x1000","end":"0x40001000","node":0}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[]}' 1 1)
{\"line\":2,\"valid\":true,\"dry_run\":true,\"fingerprint\":\"$(fp 0x0 0x80000000 0 1)\"}
{\"line\":3,\"generation\":1,\"probes\":[{\"addr\":\"0x0\",\"kind\":\"mmio\",\"range\":{\"start\":\"0x0\",\"end\":\"0x1000\",\"index\":0}},{\"addr\":\"0x1000\",\"kind\":\"ram\",\"range\":{\"start\":\"0x1000\",\"end\":\"0x40001000\",\"node\":0,\"index\":0}},{\"addr\":\"0x40000000\",\"kind\":\"ram\",\"range\":{\"start\":\"0x1000\",\"end\":\"0x40001000\",\"node\":0,\"index\":0}},{\"addr\":\"0x40001000\",\"kind\":\"none\",\"range\":null}]}
{\"line\":4,\"error\":{\"errno\":\"EEXIST\",\"rule\":\"R4\",\"list\":\"ram\",\"index\":0,\"message\":\"R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000)\"}}
{\"line\":5,\"usage\":\"--dry-run publishes no layout: --probe is not allowed\"}
$(with_fp '{"ram":[{"start":"0x0","end":"0x2000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x2000","end_of_ram":"0x2000","ram_below_4gb":"0x2000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x2000","end_of_layout":"0x2000","probes":[]}' 2 6)
{\"line\":7,\"generation\":2,\"probes\":[{\"addr\":\"0x1000\",\"kind\":\"ram\",\"range\":{\"start\":\"0x0\",\"end\":\"0x2000\",\"node\":0,\"index\":0}}]}" \
	"rc=$rc $out"

# Probes alone before any layout: the file holds none (ENOENT); probes
# with holes but no RAM are still a usage error.
printf '%s\n' "--probe 0" "--probe 0 --mmio 0-4K" > "$TMP/batchp"
batch "$TMP/batchp"
check "--batch: probes before any layout (ENOENT), probes with holes (usage)" \
'rc=2 {"line":1,"error":{"errno":"ENOENT","rule":null,"list":"none","index":0,"message":"no layout to probe: no earlier line published one"}}
{"line":2,"usage":"no RAM given: use --ram-size, --node-size or --ram"}' \
	"rc=$rc $out"

# ---- placement (SPEC C4): --reserve, --fixed, --mmio32, --ram-request, ----
# ---- --mmio64, --post-mmio (issue 9 item 4) --------------------------------
#
# Every address below follows from SPEC "Placement (constructor C4)", its
# phases worked through by hand in the comments: reserved and fixed ranges
# leave the free list first; mmio32 goes top down below 4 GiB sorted by
# (alignment, size) descending, ties in caller order; RAM bottom up per
# node, in node order, never below the end of the RAM placed so far, a
# free range giving all that is still needed or else the largest multiple
# of the alignment; mmio64 lowest at or above max(end of RAM, 4 GiB),
# sorted as mmio32; post-MMIO in caller order, lowest at or above the end
# of every non-reserved range placed so far. The layout is then C3's.

# q35 (the issue's report): a 6 GiB guest, two 3 GiB nodes (node 0 2 MiB
# aligned, node 1 1 GiB aligned), the chipset fixed at [0xFE000000, 4G),
# ECAM 256 MiB (256 MiB aligned) as mmio32, a 64 GiB PCI window as mmio64
# (1 GiB aligned), 64 MiB of VTL2 (2 MiB aligned) as post-MMIO.
#   fixed:  [0xfe000000, 0x100000000)
#   mmio32: the highest free range below 4G is [0, 0xfe000000):
#           align_down(0xfe000000 - 0x10000000, 0x10000000) = 0xe0000000
#           -> ecam [0xe0000000, 0xf0000000)
#   ram:    node0 from 0: [0, 0xe0000000) holds 3G -> [0, 0xc0000000).
#           node1 from 0xc0000000, 1G aligned: [0xc0000000, 0xe0000000)
#           holds 0 whole GiB, [0xf0000000, 0xfe000000) starts at 4G
#           aligned up (past its end): both skipped -> [4G, 7G)
#   mmio64: floor max(7G, 4G) = 7G, 1G aligned -> [7G, 71G)
#   post:   floor 71G, 2M aligned -> vtl2 [71G, 71G + 64M)
# Q2 6G, Q3 7G, Q4 = Q5 = 3G, Q6 = 0xc0000000 (end of [0, 3G)), Q7
# absent (one mmio gap), Q8 = 71G (VTL2 is not counted).
q35="--ram-request node0:3G/2M --ram-request node1:3G/1G \
--fixed chipset:mmio:0xFE000000-4G --mmio32 ecam:pci_ecam:256M/256M \
--mmio64 pci64:pci_mmio:64G/1G --post-mmio vtl2:vtl2:64M/2M"
q35_json='{"ram":[{"start":"0x0","end":"0xc0000000","node":0},{"start":"0x100000000","end":"0x1c0000000","node":1}],"mmio":[{"start":"0xfe000000","end":"0x100000000"}],"pci_ecam":[{"start":"0xe0000000","end":"0xf0000000"}],"pci_mmio":[{"start":"0x1c0000000","end":"0x11c0000000"}],"vtl2":{"start":"0x11c0000000","end":"0x11c4000000"},"ram_size":"0x180000000","end_of_ram":"0x1c0000000","ram_below_4gb":"0xc0000000","ram_above_4gb":"0xc0000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0xc0000000","end_of_layout":"0x11c0000000","placements":[{"tag":"node0","class":"ram","kind":"ram","start":"0x0","end":"0xc0000000","node":0},{"tag":"ecam","class":"mmio32","kind":"pci_ecam","start":"0xe0000000","end":"0xf0000000"},{"tag":"chipset","class":"fixed","kind":"mmio","start":"0xfe000000","end":"0x100000000"},{"tag":"node1","class":"ram","kind":"ram","start":"0x100000000","end":"0x1c0000000","node":1},{"tag":"pci64","class":"mmio64","kind":"pci_mmio","start":"0x1c0000000","end":"0x11c0000000"},{"tag":"vtl2","class":"post_mmio","kind":"vtl2","start":"0x11c0000000","end":"0x11c4000000"}],"probes":[]}'
fp_q35=$(fp --vtl2 0x11c0000000 0x11c4000000 0x0 0xc0000000 0 1 \
	0xe0000000 0xf0000000 0 3 0xfe000000 0x100000000 0 2 \
	0x100000000 0x1c0000000 1 1 0x1c0000000 0x11c0000000 0 4)
# shellcheck disable=SC2086
expect_layout "C4 q35: 6 GiB on two nodes, chipset, ECAM, 64 GiB window, VTL2 --json" \
	"$q35_json" --json $q35
# The map as today, with the TAG column added for a placed layout.
# shellcheck disable=SC2086
expect "C4 q35: the map shows each range's tag" 0 \
"RANGE                                 KIND           SIZE NODE TAG
0x0000000000000000-0x00000000bfffffff ram           3 GiB    0 node0
0x00000000e0000000-0x00000000efffffff pci_ecam    256 MiB    - ecam
0x00000000fe000000-0x00000000ffffffff mmio         32 MiB    - chipset
0x0000000100000000-0x00000001bfffffff ram           3 GiB    1 node1
0x00000001c0000000-0x00000011bfffffff pci_mmio     64 GiB    - pci64
0x00000011c0000000-0x00000011c3ffffff vtl2         64 MiB    - vtl2
ram_size             0x180000000 (6 GiB)
end_of_ram           0x1c0000000 (7 GiB)
ram_below_4gb        0xc0000000 (3 GiB)
ram_above_4gb        0xc0000000 (3 GiB)
ram_above_high_mmio  absent
max_ram_below_4gb    0xc0000000 (3 GiB)
end_of_layout        0x11c0000000 (71 GiB)
generation           1
fingerprint          $fp_q35
probe 0xc0000000: none
probe 0xe0000000: pci_ecam [0xe0000000, 0xf0000000) index 0
probe 0x1c0000000: pci_mmio [0x1c0000000, 0x11c0000000) index 0
probe 0x11c0000000: none" \
	$q35 --probe 3G --probe 0xe0000000 --probe 7G --probe 71G

# SPEC F1: the same layout written as C3 by hand has the same
# fingerprint; diff finds nothing between the two.
"$CLI" --json --ram 0-3G --ram 4G-7G:1 --pci-ecam 0xE0000000-0xF0000000 \
	--mmio 0xFE000000-4G --pci-mmio 7G-71G --vtl2 71G+64M > "$TMP/q35c3.json"
# shellcheck disable=SC2086
expect "C4 q35 against the same layout built by hand (C3): diff is empty" 0 "" \
	diff "$TMP/q35c3.json" device $q35
# shellcheck disable=SC2086
expect "C4 --dry-run: the q35 layout's fingerprint, nothing published" 0 \
	"{\"valid\":true,\"dry_run\":true,\"fingerprint\":\"$fp_q35\"}" \
	--json --dry-run $q35

# mmio32 order: alignment, then size, both descending, ties in command-line
# order, whatever the other classes in between. d (256M aligned) first:
# align_down(4G - 4K, 256M) = 0xf0000000; b (64M aligned) from the highest
# free range [0xf0001000, 4G): 0xfc000000; then the 4K-aligned ones by
# size from [0xf0001000, 0xfc000000) downward: c (32M) 0xfa000000, a (16M)
# 0xf9000000, e (16M, after a on the command line) 0xf8000000. RAM [0, 1G).
expect_layout "C4 mmio32: top down by alignment, size, then command-line order" \
'{"ram":[{"start":"0x0","end":"0x40000000","node":0}],"mmio":[{"start":"0xf8000000","end":"0xf9000000"},{"start":"0xf9000000","end":"0xfa000000"},{"start":"0xfa000000","end":"0xfc000000"}],"pci_ecam":[{"start":"0xf0000000","end":"0xf0001000"}],"pci_mmio":[{"start":"0xfc000000","end":"0x100000000"}],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40000000","end_of_layout":"0x100000000","placements":[{"tag":"r","class":"ram","kind":"ram","start":"0x0","end":"0x40000000","node":0},{"tag":"d","class":"mmio32","kind":"pci_ecam","start":"0xf0000000","end":"0xf0001000"},{"tag":"e","class":"mmio32","kind":"mmio","start":"0xf8000000","end":"0xf9000000"},{"tag":"a","class":"mmio32","kind":"mmio","start":"0xf9000000","end":"0xfa000000"},{"tag":"c","class":"mmio32","kind":"mmio","start":"0xfa000000","end":"0xfc000000"},{"tag":"b","class":"mmio32","kind":"pci_mmio","start":"0xfc000000","end":"0x100000000"}],"probes":[]}' \
	--json --mmio32 a:mmio:16M --mmio32 b:pci_mmio:64M/64M \
	--ram-request r:1G --mmio32 c:mmio:32M --mmio32 d:pci_ecam:4K/256M \
	--mmio32 e:mmio:16M

# RAM: split, rounded down to the alignment, never backfilled; D8 a
# memory-less node; reserved ranges below others kept, trailing ones
# dropped.
#   reserved low [0, 1M); top [1T, 2T) (above every other range: dropped)
#   fixed chip [0xfe000000, 4G); mmio32 ecam -> [0xe0000000, 0xf0000000)
#   n0 3G, 1G aligned: [1M, 0xe0000000) from align_up(1M) = 1G holds 2.5G,
#     2G whole -> [1G, 3G); [0xf0000000, 0xfe000000) aligns up to 4G,
#     past its end: skipped; [4G, 5G) takes the last 1G
#   n1 size 0: memory-less, nothing placed, vnode 1 kept for n2
#   n2 512M, 4K aligned, from the end of RAM 5G (not in [1M, 1G), nor
#     [3G, 0xe0000000)): [5G, 5.5G) node 2
# Q2 3.5G, Q3 5.5G, Q4 2G, Q5 1.5G, Q6 3G, Q8 5.5G; the probes: the
# reserved range and the unused 0.5G at 3G are none.
expect_layout "C4 RAM: split, rounded down, no backfill; a memory-less node; reserved ranges" \
'{"ram":[{"start":"0x40000000","end":"0xc0000000","node":0},{"start":"0x100000000","end":"0x140000000","node":0},{"start":"0x140000000","end":"0x160000000","node":2}],"mmio":[{"start":"0xfe000000","end":"0x100000000"}],"pci_ecam":[{"start":"0xe0000000","end":"0xf0000000"}],"pci_mmio":[],"vtl2":null,"ram_size":"0xe0000000","end_of_ram":"0x160000000","ram_below_4gb":"0x80000000","ram_above_4gb":"0x60000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0xc0000000","end_of_layout":"0x160000000","placements":[{"tag":"low","class":"reserved","kind":"none","start":"0x0","end":"0x100000"},{"tag":"n0","class":"ram","kind":"ram","start":"0x40000000","end":"0xc0000000","node":0},{"tag":"ecam","class":"mmio32","kind":"pci_ecam","start":"0xe0000000","end":"0xf0000000"},{"tag":"chip","class":"fixed","kind":"mmio","start":"0xfe000000","end":"0x100000000"},{"tag":"n0","class":"ram","kind":"ram","start":"0x100000000","end":"0x140000000","node":0},{"tag":"n2","class":"ram","kind":"ram","start":"0x140000000","end":"0x160000000","node":2}],"probes":[{"addr":"0x0","kind":"none","range":null},{"addr":"0x40000000","kind":"ram","range":{"start":"0x40000000","end":"0xc0000000","node":0,"index":0}},{"addr":"0xc0000000","kind":"none","range":null},{"addr":"0x150000000","kind":"ram","range":{"start":"0x140000000","end":"0x160000000","node":2,"index":2}}]}' \
	--json --reserve low:0-1M --fixed chip:mmio:0xFE000000-4G \
	--mmio32 ecam:pci_ecam:256M/256M --ram-request n0:3G/1G \
	--ram-request n1:0 --ram-request n2:512M --reserve top:1T-2T \
	--probe 0 --probe 1G --probe 3G --probe 0x150000000

# mmio64 and post-MMIO. RAM [0, 1G): mmio64's floor is max(1G, 4G) = 4G.
#   fixed f [4G, 5G); mmio64 b (2G aligned) first: align_up(5G, 2G) = 6G
#     -> [6G, 8G); then a (1G, 4K aligned): lowest fit [5G, 6G)
#   post-MMIO from the end of every non-reserved range, 8G: p1 (1G) skips
#     the reserved [8G, 9G) -> [9G, 10G); v (vtl2) from 10G -> [10G, +2M)
#   the reserved far [16G, 17G) does not move them, and is dropped;
#   hole [8G, 9G) lies below p1 and stays in the list.
# Q8 10G (p1's end; VTL2 not counted).
expect_layout "C4 mmio64 above RAM and 4 GiB around a fixed window; post-MMIO in order" \
'{"ram":[{"start":"0x0","end":"0x40000000","node":0}],"mmio":[{"start":"0x240000000","end":"0x280000000"}],"pci_ecam":[],"pci_mmio":[{"start":"0x100000000","end":"0x140000000"},{"start":"0x140000000","end":"0x180000000"},{"start":"0x180000000","end":"0x200000000"}],"vtl2":{"start":"0x280000000","end":"0x280200000"},"ram_size":"0x40000000","end_of_ram":"0x40000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40000000","end_of_layout":"0x280000000","placements":[{"tag":"r","class":"ram","kind":"ram","start":"0x0","end":"0x40000000","node":0},{"tag":"f","class":"fixed","kind":"pci_mmio","start":"0x100000000","end":"0x140000000"},{"tag":"a","class":"mmio64","kind":"pci_mmio","start":"0x140000000","end":"0x180000000"},{"tag":"b","class":"mmio64","kind":"pci_mmio","start":"0x180000000","end":"0x200000000"},{"tag":"hole","class":"reserved","kind":"none","start":"0x200000000","end":"0x240000000"},{"tag":"p1","class":"post_mmio","kind":"mmio","start":"0x240000000","end":"0x280000000"},{"tag":"v","class":"post_mmio","kind":"vtl2","start":"0x280000000","end":"0x280200000"}],"probes":[]}' \
	--json --post-mmio p1:mmio:1G --ram-request r:1G --fixed f:pci_mmio:4G+1G \
	--mmio64 a:pci_mmio:1G --mmio64 b:pci_mmio:2G/2G \
	--reserve hole:8G-9G --post-mmio v:vtl2:2M/2M --reserve far:16G-17G

# --output TAG: the tag of a placed range; '-' in a layout not placed.
run --output KIND,TAG --ram-size 1G --mmio 1G-2G
check "--output TAG of a layout not placed: '-'" \
"rc=0 KIND     TAG
ram      -
mmio     -" \
	"rc=$rc $(printf '%s\n' "$out" | sed -n 1,3p)"

# ---- placement rejections: every rule, exact JSON --------------------------

# P4 (upstream's wording): below 4G only [0xfe000000, 4G) = 32M is free.
expect "C4 P4 in mmio32: the request, its size and alignment, the free bytes" 1 \
'{"error":{"errno":"ENOSPC","rule":"P4","tag":"vmbus","class":"mmio32","index":0,"size":"0x8000000","alignment":"0x100000","phase":"mmio32","free":"0x2000000","message":"vmbus: cannot allocate 0x8000000 bytes with alignment 0x100000 during mmio32; 0x2000000 bytes free"}}' \
	--json --ram-request r:1G --fixed low:mmio:0-0xFE000000 \
	--mmio32 vmbus:mmio:128M/1M
# P4 in mmio64: its range is [max(1G, 4G), MAX); everything from 8G is
# reserved, so 4G is free there, less than the 64G asked.
expect "C4 P4 in mmio64: 4 GiB free between 4G and a reserved top" 1 \
'{"error":{"errno":"ENOSPC","rule":"P4","tag":"big","class":"mmio64","index":0,"size":"0x1000000000","alignment":"0x1000","phase":"mmio64","free":"0x100000000","message":"big: cannot allocate 0x1000000000 bytes with alignment 0x1000 during mmio64; 0x100000000 bytes free"}}' \
	--json --ram-request r:1G --reserve hi:8G-0xfffffffffffff000 \
	--mmio64 big:pci_mmio:64G
run --ram-request r:1G --fixed low:mmio:0-0xFE000000 --mmio32 vmbus:mmio:128M/1M
check "C4 rejection without --json: exit 1, upstream's message on stderr" \
	"rc=1 out= err=memlayoutctl: placement rejected: vmbus: cannot allocate 0x8000000 bytes with alignment 0x100000 during mmio32; 0x2000000 bytes free (errno ENOSPC, rule P4, class mmio32, index 0)" \
	"rc=$rc out=$out err=$err"

# P1 and P2, and their order: by class (mmio32, ram, mmio64, post_mmio),
# so ram's P2 comes before the P1 of the mmio64 given first.
expect "C4 P1: a size that is not a multiple of 4 KiB" 1 \
'{"error":{"errno":"EINVAL","rule":"P1","tag":"a","class":"mmio32","index":0,"message":"a: invalid size 0x1800 (must be > 0 and a multiple of 0x1000)"}}' \
	--json --ram-request r:1G --mmio32 a:mmio:0x1800
expect "C4 P1: size 0 of a hole (only RAM may be 0, D8)" 1 \
'{"error":{"errno":"EINVAL","rule":"P1","tag":"w","class":"post_mmio","index":1,"message":"w: invalid size 0x0 (must be > 0 and a multiple of 0x1000)"}}' \
	--json --ram-request r:1G --post-mmio v:mmio:4K --post-mmio w:mmio:0
expect "C4 P2: checked class by class, ram before the mmio64 given first" 1 \
'{"error":{"errno":"EINVAL","rule":"P2","tag":"r","class":"ram","index":0,"message":"r: invalid alignment 0xc00 (must be >= 0x1000 and a power of 2)"}}' \
	--json --mmio64 x:pci_mmio:0x1800 --ram-request r:1G/3K
# P3 comes before every P1 (the size-0 mmio32 z is not reported).
expect "C4 P3: a reserved and a fixed range overlap, both named" 1 \
'{"error":{"errno":"EEXIST","rule":"P3","tag":"lo","class":"reserved","index":0,"other_tag":"chip","other_class":"fixed","other_index":0,"message":"fixed/reserved requests lo and chip overlap"}}' \
	--json --mmio32 z:mmio:0 --ram-request r:1G --reserve lo:0-1G \
	--fixed chip:mmio:512M-2G
expect "C4 R2: an unaligned fixed range" 1 \
'{"error":{"errno":"EINVAL","rule":"R2","tag":"f","class":"fixed","index":1,"message":"f: invalid range (empty, reversed, not 4 KiB aligned or ending above 0xfffffffffffff000)"}}' \
	--json --ram-request r:1G --fixed e:mmio:4G+4K --fixed f:mmio:0x1800-0x3000
# R5 last, after every phase: memory-less nodes alone place no RAM.
expect "C4 R5: memory-less nodes only, no request named" 1 \
'{"error":{"errno":"EINVAL","rule":"R5","tag":null,"class":"ram","index":null,"message":"R5 no RAM: the layout would hold no RAM range: Invalid argument"}}' \
	--json --ram-request n0:0 --ram-request n1:0 --fixed chip:mmio:0xFE000000-4G
run --ram-request n0:0
check "C4 R5 without --json: the rule, no request" \
	"rc=1 out= err=memlayoutctl: placement rejected: R5 no RAM: the layout would hold no RAM range: Invalid argument (errno EINVAL, rule R5)" \
	"rc=$rc out=$out err=$err"

# R8 per class: with max_ranges 4 the fifth mmio32 request (index 4) is
# the first that does not fit.
if [ -w "$PARAM" ]; then
	old=$(cat "$PARAM")
	echo 4 > "$PARAM"
	OFFLINE_OPTS="--max-ranges 4"
	expect "C4 R8: 5 mmio32 requests with max_ranges 4" 1 \
'{"error":{"errno":"E2BIG","rule":"R8","tag":"e","class":"mmio32","index":4,"message":"too many mmio32 requests (more than 4)"}}' \
		--json --ram-request r:1G --mmio32 a:mmio:4K --mmio32 b:mmio:4K \
		--mmio32 c:mmio:4K --mmio32 d:mmio:4K --mmio32 e:mmio:4K
	OFFLINE_OPTS=
	echo "$old" > "$PARAM"
	check "max_ranges restored to $old" "$old" "$(cat "$PARAM")"
else
	fail "C4 R8: $PARAM is not writable"
fi

# ---- placement usage errors ------------------------------------------------

usage "C4 with --ram-size" --ram-size 1G --fixed a:mmio:0-4K
usage "C4 with --node-size" --ram-request r:1G --node-size 1G
usage "C4 with --ram" --ram 0-1G --mmio32 a:mmio:4K
usage "C4 with --mmio" --ram-request r:1G --mmio 0-4K
usage "C4 with --pci-ecam" --pci-ecam 3G+256M --ram-request r:1G
usage "C4 with --pci-mmio" --ram-request r:1G --pci-mmio 8G+1G
usage "C4 with --vtl2" --ram-request r:1G --vtl2 8G+2M
usage "C4 empty tag" --ram-request :1G
usage "C4 no tag" --ram-request 1G
usage "C4 unknown kind" --ram-request r:1G --mmio32 a:ram:4K
usage "C4 kind missing" --ram-request r:1G --mmio64 a:4K
usage "C4 vtl2 is a post-MMIO kind only" --ram-request r:1G --mmio64 a:vtl2:4K
usage "C4 vtl2 twice" --ram-request r:1G --post-mmio a:vtl2:4K --post-mmio b:vtl2:4K
usage "C4 --reserve takes no kind" --reserve a:mmio:0-1G --ram-request r:1G
usage "C4 --fixed without a range" --ram-request r:1G --fixed a:mmio:1G
usage "C4 bad size" --ram-request r:1X
usage "C4 empty alignment" --ram-request r:1G/
usage "C4 START+SIZE past 2^64" --ram-request r:1G --fixed a:mmio:0xfffffffffffff000+4K
run --ram-request r:1G --mmio 0-4K
check "C4 with a hole option: the message" \
	"memlayoutctl: the placement options exclude --mmio, --pci-ecam, --pci-mmio and --vtl2 (place them with --fixed, --mmio32, --mmio64 or --post-mmio)" \
	"$(printf '%s\n' "$err" | sed -n 1p)"
run --ram-size 1G --fixed a:mmio:0-4K
check "C4 with --ram-size: the message" \
	"memlayoutctl: --fixed: the placement options (--reserve, --fixed, --mmio32, --ram-request, --mmio64, --post-mmio) exclude --ram-size, --node-size and --ram" \
	"$(printf '%s\n' "$err" | sed -n 1p)"
run --ram-request r:1G --mmio64 a:vtl2:4K
check "C4 vtl2 on mmio64: the message" \
	"memlayoutctl: --mmio64 'a:vtl2:4K': KIND is mmio, pci_ecam or pci_mmio" \
	"$(printf '%s\n' "$err" | sed -n 1p)"
run --ram-request r:1G --post-mmio a:vtl2:4K --post-mmio b:vtl2:4K
check "C4 vtl2 twice: the message" \
	"memlayoutctl: --post-mmio 'b:vtl2:4K': at most one request may be of kind vtl2" \
	"$(printf '%s\n' "$err" | sed -n 1p)"
run --ram-request r1G
check "C4 no tag: the message shows the syntax" \
	"memlayoutctl: --ram-request 'r1G': expected TAG:SIZE[/ALIGN]" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

# ---- placement in --batch ----------------------------------------------------

# One set per line: a placement (a 64M mmio32 window 64M aligned, at
# 4G - 64M), probes of it alone, a dry run (1 GiB at 0: fingerprint by
# fp()), a rejection, a usage error, then q35 as generation 2.
printf '%s\n' "--ram-request r:1G --mmio32 g:mmio:64M/64M --probe 0xfc000000" \
	"--probe 0x3fffffff" "--dry-run --ram-request r:1G" \
	"--ram-request n0:0   # memory-less only: R5" \
	"--ram-request r:1G --mmio 0-4K" "$q35" > "$TMP/batchpl"
batch "$TMP/batchpl"
check "--batch with placements: layouts, probes, dry run, rejection, usage" \
"rc=2 $(with_fp '{"ram":[{"start":"0x0","end":"0x40000000","node":0}],"mmio":[{"start":"0xfc000000","end":"0x100000000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40000000","end_of_layout":"0x100000000","placements":[{"tag":"r","class":"ram","kind":"ram","start":"0x0","end":"0x40000000","node":0},{"tag":"g","class":"mmio32","kind":"mmio","start":"0xfc000000","end":"0x100000000"}],"probes":[{"addr":"0xfc000000","kind":"mmio","range":{"start":"0xfc000000","end":"0x100000000","index":0}}]}' 1 1)
{\"line\":2,\"generation\":1,\"probes\":[{\"addr\":\"0x3fffffff\",\"kind\":\"ram\",\"range\":{\"start\":\"0x0\",\"end\":\"0x40000000\",\"node\":0,\"index\":0}}]}
{\"line\":3,\"valid\":true,\"dry_run\":true,\"fingerprint\":\"$(fp 0x0 0x40000000 0 1)\"}
{\"line\":4,\"error\":{\"errno\":\"EINVAL\",\"rule\":\"R5\",\"tag\":null,\"class\":\"ram\",\"index\":null,\"message\":\"R5 no RAM: the layout would hold no RAM range: Invalid argument\"}}
{\"line\":5,\"usage\":\"the placement options exclude --mmio, --pci-ecam, --pci-mmio and --vtl2 (place them with --fixed, --mmio32, --mmio64 or --post-mmio)\"}
$(with_fp "$q35_json" 2 6)" \
	"rc=$rc $out"

# ---- the shared view: --view and --view-info (SPEC V1-V3, issue 10) -------

# --view answers the probes through the mapped view (memlayout_view_probe(),
# no system call): every answer equals MEMLAYOUT_IOC_PROBE's for the same
# layout (V1), so the JSON is the ioctl's plus "probes_via":"view" before
# "probes". The C3 layout with every kind, VTL2 and probes at each edge.
c3_args="--ram 0-1G --ram 1G-2G:3 --mmio 2G-3G --pci-ecam 3G-0xd0000000
	--pci-mmio 0xe0000000-4G --vtl2 8G-0x200200000
	--probe 0 --probe 0x3fffffff --probe 1G --probe 0x7fffffff
	--probe 2G --probe 0xcfffffff --probe 0xd0000000 --probe 0xe0000000
	--probe 0xffffffff --probe 4G --probe 8G --probe 0x2001ff000
	--probe 0xffffffffffffffff"
# shellcheck disable=SC2086
run --json $c3_args
ioctl_out=$out
# shellcheck disable=SC2086
run --json --view $c3_args
check "V1: --view answers every probe as the ioctl does (C3, all kinds, edges)" \
	"rc=0 $(printf '%s\n' "$ioctl_out" | sed 's/,"probes":/,"probes_via":"view","probes":/')" \
	"rc=$rc $out"
case $ioctl_out in
*'"probes":[{"addr":"0x0","kind":"ram"'*) pass "V1: the ioctl's answers compared are the C3 ones" ;;
*) fail "V1: the ioctl's answers compared are the C3 ones"; diag got "$ioctl_out" ;;
esac
# The same through a view of one page, which holds these 6 ranges.
# shellcheck disable=SC2086
run --json --view --view-size 4K $c3_args
check "V1: --view --view-size 4K: the same answers" \
	"rc=0 $(printf '%s\n' "$ioctl_out" | sed 's/,"probes":/,"probes_via":"view","probes":/')" \
	"rc=$rc $out"
# A placed layout (C4): index of each kind from the layout.
# shellcheck disable=SC2086
run --json $q35 --probe 0xe0000000 --probe 0x100000000 --probe 0x11c0000000 --probe 0x1c0000000
ioctl_out=$out
# shellcheck disable=SC2086
run --json --view $q35 --probe 0xe0000000 --probe 0x100000000 --probe 0x11c0000000 --probe 0x1c0000000
check "V1: --view on C4 q35 (RAM node 1, ECAM, VTL2, pci_mmio)" \
	"rc=0 $(printf '%s\n' "$ioctl_out" | sed 's/,"probes":/,"probes_via":"view","probes":/')" \
	"rc=$rc $out"

# The map: one line "probes via" before the probes, nothing else changes.
run --ram-size 1G --mmio 0-4K --probe 4K --probe 0x40001000
ioctl_out=$out
run --view --ram-size 1G --mmio 0-4K --probe 4K --probe 0x40001000
check "V1: --view in the map: a 'probes via view' line, the same probes" \
	"rc=0 $(printf '%s\n' "$ioctl_out" | sed '/^probe 0x1000:/i\
probes via           view')" "rc=$rc $out"
check "V1: --view in the map: the probes" \
"probes via           view
probe 0x1000: ram [0x1000, 0x40001000) node 0 index 0
probe 0x40001000: none" "$(printf '%s\n' "$out" | tail -n 3)"

# --batch --view: one view for the whole run; a probe-only line probes the
# layout an earlier line published, through the view, generation 1 then 2.
printf '%s\n' "--ram-size 1G --mmio 0-4K --probe 0" "--probe 4K" \
	"--ram-size 2G --probe 0x40001000" "--probe 0x7fffffff --probe 2G" \
	"--view" > "$TMP/batchview"
out=$("$CLI" --batch --view < "$TMP/batchview")
rc=$?
check "V1: --batch --view: probes of each line through the view; --view on a line is a usage error" \
"rc=2 $(with_fp '{"ram":[{"start":"0x1000","end":"0x40001000","node":0}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[{"addr":"0x0","kind":"mmio","range":{"start":"0x0","end":"0x1000","index":0}}]}' 1 1 | sed 's/,"probes":/,"probes_via":"view","probes":/')
{\"line\":2,\"generation\":1,\"probes_via\":\"view\",\"probes\":[{\"addr\":\"0x1000\",\"kind\":\"ram\",\"range\":{\"start\":\"0x1000\",\"end\":\"0x40001000\",\"node\":0,\"index\":0}}]}
$(with_fp '{"ram":[{"start":"0x0","end":"0x80000000","node":0}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x80000000","end_of_ram":"0x80000000","ram_below_4gb":"0x80000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x80000000","end_of_layout":"0x80000000","probes":[{"addr":"0x40001000","kind":"ram","range":{"start":"0x0","end":"0x80000000","node":0,"index":0}}]}' 2 3 | sed 's/,"probes":/,"probes_via":"view","probes":/')
{\"line\":4,\"generation\":2,\"probes_via\":\"view\",\"probes\":[{\"addr\":\"0x7fffffff\",\"kind\":\"ram\",\"range\":{\"start\":\"0x0\",\"end\":\"0x80000000\",\"node\":0,\"index\":0}},{\"addr\":\"0x80000000\",\"kind\":\"none\",\"range\":null}]}
{\"line\":5,\"usage\":\"--view is not allowed in a --batch line\"}" \
	"rc=$rc $out"
if [ "$BOTH" = 1 ]; then
	o_out=$("$CLI" --batch --offline --view < "$TMP/batchview")
	check "--offline identical: --batch --view" "rc=$rc $out" "rc=$? $o_out"
fi

# V3: a layout too large for the view. One page holds the header and
# (4096 - starts_off) / 32 ranges, fewer than 201 (100 mmio gaps in
# 64 GiB): the view is flagged too large, and --view answers through the
# ioctl and says so ("probes_via":"ioctl"), with the ioctl's answers.
big=
i=1
while [ $i -le 100 ]; do
	big="$big --mmio $((0x100000000 + i * 0x200000))+1M"
	i=$((i + 1))
done
# shellcheck disable=SC2086
run --json --ram-size 64G $big --probe 0x100200000 --probe 0x100300000
ioctl_out=$out
# shellcheck disable=SC2086
run --json --view --view-size 4K --ram-size 64G $big --probe 0x100200000 --probe 0x100300000
check "V3: too large for a 4K view: the ioctl answers, \"probes_via\":\"ioctl\"" \
	"rc=0 $(printf '%s\n' "$ioctl_out" | sed 's/,"probes":/,"probes_via":"ioctl","probes":/')" \
	"rc=$rc $out"
# shellcheck disable=SC2086
run --view --view-size 4K --ram-size 64G $big --probe 0x100200000
check "V3: too large, the map says so" \
"probes via           ioctl (the layout is too large for the 4096-byte view)
probe 0x100200000: mmio [0x100200000, 0x100300000) index 0" \
	"$(printf '%s\n' "$out" | tail -n 2)"
# The default size has room for the largest layout: the view answers.
# shellcheck disable=SC2086
run --json --view --ram-size 64G $big --probe 0x100200000 --probe 0x100300000
check "V3: the default view size holds 201 ranges: the view answers" \
	"rc=0 $(printf '%s\n' "$ioctl_out" | sed 's/,"probes":/,"probes_via":"view","probes":/')" \
	"rc=$rc $out"

# --view-info: the view's header as JSON. Worked out from the UAPI
# ("Shared view"): the first mmap() (before SET_LAYOUT) publishes, the
# SET publishes again, each adding 2 to seq: 4. Generation 1, the layout's
# fingerprint, 5 ranges (the seed example), the starts then the records
# (8 bytes per start) then the bucket index (16 bytes per record), flags
# "layout" only. The bucket size: the smallest shift that puts the
# layout's last byte, 0x1007fffffff, in a bucket below 2 * 5 - 1 = 9.
ish=0
while [ $((0x1007fffffff >> ish)) -ge 9 ]; do ish=$((ish + 1)); done
run --json --view-info --view-size 8K --ram-size 1T --mmio 1G-2G --mmio 3G-4G
so=$(printf '%s\n' "$out" | sed -n 's/.*"starts_off":\([0-9]*\),.*/\1/p')
check "V1: --view-info --json: the header of the seed example" \
"rc=0 {\"size\":8192,\"version\":1,\"header_size\":120,\"seq\":4,\"generation\":1,\"flags\":[\"layout\"],\"too_large\":false,\"nr\":5,\"starts_off\":$so,\"records_off\":$((so + 40)),\"index_off\":$((so + 120)),\"index_shift\":$ish,\"vtl2\":null,\"fingerprint\":\"$(layout_fp "$seed")\"}" \
	"rc=$rc $out"
if [ -n "$so" ] && [ "$so" -ge 120 ] && [ $((so % 8)) = 0 ]; then
	pass "V1: --view-info: starts_off $so past the header, 8-aligned"
else
	fail "V1: --view-info: starts_off past the header, 8-aligned"
	diag got "$so"
fi
# The too-large header keeps nr, generation and fingerprint (V3); VTL2.
# shellcheck disable=SC2086
run --json --view-info --view-size 4K --ram-size 64G $big --vtl2 128G+2M
case $out in
*'"seq":4,"generation":1,"flags":["layout","too_large","vtl2"],"too_large":true,"nr":201,'*'"index_shift":null,"vtl2":{"start":"0x2000000000","end":"0x2000200000"},"fingerprint":"'*) pass "V3: --view-info of a too-large layout: flagged, nr 201, VTL2" ;;
*) fail "V3: --view-info of a too-large layout: flagged, nr 201, VTL2"; diag got "$out" ;;
esac
# The human form.
run --view-info --view-size 8K --ram-size 1T --mmio 1G-2G --mmio 3G-4G --vtl2 2T+2M
check "V1: --view-info: the human form" \
"rc=0 size                 8192 (8 KiB)
version              1 (header 120 bytes)
seq                  4
generation           1
flags                layout,vtl2
ranges               5 (starts at $so, records at $((so + 40)), index at $((so + 120)): buckets of 2^$ish bytes)
vtl2                 0x20000000000-0x200001fffff
fingerprint          $(fp --vtl2 0x20000000000 0x20000200000 0x0 0x40000000 0 1 0x40000000 0x80000000 0 2 0x80000000 0xc0000000 0 1 0xc0000000 0x100000000 0 2 0x100000000 0x10080000000 0 1)" \
	"rc=$rc $out"

usage "--view without --probe" --view --ram-size 1G
usage "--view-size without --view" --view-size 4K --ram-size 1G --probe 0
usage "--view-size below the header" --view --view-size 64 --ram-size 1G --probe 0
usage "--view-size above MEMLAYOUT_VIEW_MAX_SIZE" --view --view-size 65M --ram-size 1G --probe 0
usage "--view-info with --probe" --view-info --ram-size 1G --probe 0
usage "--view-info with --e820" --view-info --e820 --ram-size 1G
usage "--view with --dry-run" --view --dry-run --ram-size 1G --probe 0
usage "--view-info with --dry-run" --view-info --dry-run --ram-size 1G
usage "diff with --view" diff --view a b
usage "--view-info with --batch" --batch --view-info
run --view --ram-size 1G
check "--view without --probe: the message" \
	"memlayoutctl: --view answers the --probe addresses through the shared view: give --probe" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

# ---- host fit: --check-host (SPEC H1-H3) ---------------------------------

# H1's width as the running kernel reports it: "address sizes : N bits
# physical" in /proc/cpuinfo (x86; already reduced for memory encryption).
pb=$(sed -n 's/^address sizes[[:space:]]*:[[:space:]]*\([0-9]*\) bits physical.*/\1/p' \
	/proc/cpuinfo 2>/dev/null | head -n 1)
if [ -n "$pb" ] && [ "$pb" -ge 32 ] && [ "$pb" -le 60 ]; then
	e=$((1 << pb))
	hx() { printf '0x%x' "$1"; }
	cpu_line="cpu: $pb physical address bits (the layout must end at or below 2^$pb)"
	# A hole ending exactly at 2^phys_bits: fits (H1: "at or below").
	run --check-host --ram 0-1G --mmio "$(hx $((e - 0x200000)))-$(hx $e)"
	check "--check-host: a hole ending at 2^$pb fits, exit 0" \
		"rc=0 out=$cpu_line
fits: no conflicts err=" "rc=$rc out=$out err=$err"
	# One page more: one H1 conflict, exit 3.
	run --check-host --ram 0-1G --mmio "$(hx $((e - 0x200000)))-$(hx $((e + 0x1000)))"
	check "--check-host: a hole ending a page above 2^$pb: H1, exit 3" \
		"rc=3 out=$cpu_line
1 conflict:
H1: mmio[0] $(hx $((e - 0x200000)))-$(hx $((e + 0xfff))) ends above 2^$pb (CPU physical address width $pb) err=" \
		"rc=$rc out=$out err=$err"
	# RAM across the edge, VTL2 and a hole above: every range is H1's, in
	# address order; the RAM and the hole below the edge are not.
	run --json --check-host --ram 0-1G --ram "$(hx $((e - 0x1000)))-$(hx $((e + 0x1000)))" \
		--mmio "$(hx $((e - 0x200000)))-$(hx $((e - 0x100000)))" \
		--mmio "$(hx $((e + 0x400000)))-$(hx $((e + 0x800000)))" \
		--vtl2 "$(hx $((e + 0x100000)))+2M"
	h1() { # LIST INDEX START END
		printf '{"rule":"H1","list":"%s","index":%s,"start":"%s","end":"%s","device":null,"host_start":"%s","host_last":"0xffffffffffffffff","host_type":"none","relaxable":false,"phys_bits":%s}' \
			"$1" "$2" "$3" "$4" "$(hx $e)" "$pb"
	}
	check "--check-host --json: RAM across 2^$pb, VTL2, a hole above" \
		"rc=3 out={\"generation\":1,\"phys_bits\":$pb,\"devices\":[],\"host_fit\":[$(h1 ram 1 "$(hx $((e - 0x1000)))" "$(hx $((e + 0x1000)))"),$(h1 vtl2 0 "$(hx $((e + 0x100000)))" "$(hx $((e + 0x300000)))"),$(h1 mmio 1 "$(hx $((e + 0x400000)))" "$(hx $((e + 0x800000)))")]}" \
		"rc=$rc out=$out"
	# Every range of a layout that ends at 2^pb - 4K: nothing.
	run --json --check-host --ram 0-1G --vtl2 "$(hx $((e - 0x200000)))-$(hx $((e - 0x1000)))"
	check "--check-host --json: VTL2 ending below 2^$pb fits, exit 0" \
		"rc=0 out={\"generation\":1,\"phys_bits\":$pb,\"devices\":[],\"host_fit\":[]}" \
		"rc=$rc out=$out"
else
	pass "# skip --check-host H1: no 'address sizes' in /proc/cpuinfo"
fi

# A device that cannot be resolved: its index and the errno, exit 1.
run --check-host --ram-size 1G --device ffff:ff:1f.7
check "--check-host: no such PCI device: exit 1, named by index and address" \
	"rc=1 out= err=memlayoutctl: MEMLAYOUT_IOC_CHECK_HOST: device 0 (ffff:ff:1f.7): No such device" \
	"rc=$rc out=$out err=$err"
: > "$TMP/notvfio"
run --check-host --ram-size 1G --vfio "$TMP/notvfio"
check "--check-host --vfio of a regular file: EINVAL, exit 1" \
	"rc=1 out= err=memlayoutctl: MEMLAYOUT_IOC_CHECK_HOST: device 0 ($TMP/notvfio): Invalid argument" \
	"rc=$rc out=$out err=$err"
run --json --check-host --ram-size 1G --vfio /nonexistent/vfio/7
check "--check-host --vfio of a missing file --json: error object, exit 1" \
	'rc=1 out={"error":{"errno":"ENOENT","rule":null,"list":"none","index":0,"message":"cannot open /nonexistent/vfio/7: No such file or directory"}}' \
	"rc=$rc out=$out"
usage "--device BDF without --check-host" --ram-size 1G --device 00:1f.0
usage "--vfio without --check-host" --ram-size 1G --vfio /dev/null
usage "--check-host with --dry-run" --check-host --dry-run --ram-size 1G
usage "--check-host with --probe" --check-host --ram-size 1G --probe 0
usage "--check-host with --e820" --check-host --e820 --ram-size 1G
usage "--check-host with --batch" --check-host --batch
usage "--check-host without RAM" --check-host

# What --check-host prints for devices, H2 and H3, which no IOMMU-less host
# can show: under lib/fakedev.c only, whose $FAKEDEV_HOST plays three PCI
# devices (lib/fakedev.c: BDF GROUP DOMAIN APERTURE NR REGIONS...), with
# the conflicts computed by its own model of H2/H3. 00:1f.0: group 3, a
# DMA domain with a 39-bit aperture, the LPC bridge's direct-relaxable
# 0-16 MiB and the MSI window; 00:02.0: no IOMMU; 00:03.0: group 5, an
# unmanaged (VFIO) domain with a 38-bit aperture and the MSI window.
case "${LD_PRELOAD:-}:$pb" in
*fakedev*:?*)
	fh='0000:00:1f.0 3 3 0 0x7fffffffff 2 0 0xffffff 1 1 0xfee00000 0xfeefffff 3 0;00:02.0 -1;0000:00:03.0 5 4 0 0x3fffffffff 1 0xfee00000 0xfeefffff 3 0'
	# The 6 GiB two-node guest, VTL2 at 2^39: RAM [0, 3G) and [4G, 7G),
	# the MSI window in the 3G-4G hole. 00:1f.0: VTL2 outside its
	# aperture (H2), node 0's RAM over 0-16 MiB (H3, relaxable);
	# 00:03.0: VTL2 outside (H2). Order: device by device, H2 then H3.
	FAKEDEV_HOST=$fh run --check-host --node-size 3G --node-size 3G --mmio 3G-4G \
		--vtl2 0x8000000000+2M --device 0000:00:1f.0 --device 00:02.0 --device 00:03.0
	check "--check-host: devices, H2 and H3 (6 GiB two-node guest, fakedev's devices)" \
		"rc=3 out=cpu: $pb physical address bits (the layout must end at or below 2^$pb)
device 0: 0000:00:1f.0: IOMMU group 3, domain dma, aperture 0x0-0x7fffffffff, 2 reserved regions
device 1: 0000:00:02.0: no IOMMU
device 2: 0000:00:03.0: IOMMU group 5, domain unmanaged, aperture 0x0-0x3fffffffff, 1 reserved region
3 conflicts:
H2: vtl2[0] 0x8000000000-0x80001fffff is outside the IOMMU aperture 0x0-0x7fffffffff of 0000:00:1f.0
H3: ram[0] 0x0-0xbfffffff overlaps direct-relaxable region 0x0-0xffffff of 0000:00:1f.0
H2: vtl2[0] 0x8000000000-0x80001fffff is outside the IOMMU aperture 0x0-0x3fffffffff of 0000:00:03.0 err=" \
		"rc=$rc out=$out err=$err"
	# RAM across the MSI window and up to the 39-bit aperture's edge: it
	# fits H2 exactly at 2^39, not a page more; both regions of 00:1f.0
	# hit ram[0], in region order.
	FAKEDEV_HOST=$fh run --json --check-host --ram 0-4G --ram 4G-0x8000001000 \
		--device 00:1f.0
	check "--check-host --json: RAM across 0xfee00000 and a page past the 2^39 aperture" \
		"rc=3 out={\"generation\":1,\"phys_bits\":$pb,\"devices\":[{\"index\":0,\"name\":\"0000:00:1f.0\",\"type\":\"pci\",\"pci\":\"0000:00:1f.0\",\"iommu\":true,\"iommu_group\":3,\"domain\":\"dma\",\"aperture\":{\"start\":\"0x0\",\"last\":\"0x7fffffffff\"},\"nr_resv\":2}],\"host_fit\":[{\"rule\":\"H2\",\"list\":\"ram\",\"index\":1,\"start\":\"0x100000000\",\"end\":\"0x8000001000\",\"device\":0,\"host_start\":\"0x0\",\"host_last\":\"0x7fffffffff\",\"host_type\":\"none\",\"relaxable\":false,\"phys_bits\":$pb},{\"rule\":\"H3\",\"list\":\"ram\",\"index\":0,\"start\":\"0x0\",\"end\":\"0x100000000\",\"device\":0,\"host_start\":\"0x0\",\"host_last\":\"0xffffff\",\"host_type\":\"direct-relaxable\",\"relaxable\":true,\"phys_bits\":$pb},{\"rule\":\"H3\",\"list\":\"ram\",\"index\":0,\"start\":\"0x0\",\"end\":\"0x100000000\",\"device\":0,\"host_start\":\"0xfee00000\",\"host_last\":\"0xfeefffff\",\"host_type\":\"msi\",\"relaxable\":false,\"phys_bits\":$pb}]}" \
		"rc=$rc out=$out"
	FAKEDEV_HOST=$fh run --check-host --ram 16M-0xfee00000 --ram 0xfef00000-0x8000000000 \
		--device 00:1f.0 --device 00:02.0
	check "--check-host: RAM from 16 MiB, around the MSI window, up to 2^39: fits, exit 0" \
		"rc=0 out=cpu: $pb physical address bits (the layout must end at or below 2^$pb)
device 0: 0000:00:1f.0: IOMMU group 3, domain dma, aperture 0x0-0x7fffffffff, 2 reserved regions
device 1: 0000:00:02.0: no IOMMU
fits: no conflicts err=" "rc=$rc out=$out err=$err"
	# A device fakedev does not play: its index and address.
	FAKEDEV_HOST=$fh run --check-host --ram-size 1G --device 00:1f.0 --device 00:04.0
	check "--check-host: the second device missing: device 1 named" \
		"rc=1 out= err=memlayoutctl: MEMLAYOUT_IOC_CHECK_HOST: device 1 (0000:00:04.0): No such device" \
		"rc=$rc out=$out err=$err"
	;;
esac

# In a guest with the module (not under lib/fakedev.c): the first PCI
# device, whose findings must be its IOMMU group's reserved_regions in
# sysfs, region by region (H3: RAM [0, 4 GiB) overlaps each one below
# 4 GiB), or "no IOMMU" without a group.
dev1=
for d in /sys/bus/pci/devices/*; do
	[ -e "$d" ] && dev1=$d && break
done
if [ -z "${LD_PRELOAD:-}" ] && [ -c /dev/memlayout ] && [ -n "$dev1" ]; then
	bdf=${dev1##*/}
	run --check-host --ram 0-4G --device "$bdf"
	if [ -e "$dev1/iommu_group" ]; then
		grp=$(basename "$(readlink "$dev1/iommu_group")")
		rf=/sys/kernel/iommu_groups/$grp/reserved_regions
		nres=$(($(wc -l < "$rf")))
		want=$(while read -r s l t; do
			[ $((s)) -lt $((0x100000000)) ] || continue
			printf 'H3: ram[0] 0x0-0xffffffff overlaps %s region 0x%x-0x%x of %s\n' \
				"$t" "$s" "$l" "$bdf"
		done < "$rf")
		check "--check-host --device $bdf: IOMMU group $grp, $nres reserved regions (sysfs)" \
			"1" "$(printf '%s\n' "$out" | grep -c "^device 0: $bdf: IOMMU group $grp, .*, $nres reserved region")"
		check "--check-host --device $bdf: H3 conflicts are sysfs's reserved_regions below 4 GiB" \
			"$want" "$(printf '%s\n' "$out" | grep '^H3:')"
	else
		check "--check-host --device $bdf: no IOMMU group, no IOMMU, fits" \
			"rc=0 device 0: $bdf: no IOMMU
fits: no conflicts" "rc=$rc $(printf '%s\n' "$out" | sed 1d)"
	fi
fi

# ---- the 32-bit build (compat_ioctl), when the image has one -------------

# ---- KVM audit: --check-kvm (SPEC H4) -------------------------------------

# The audit's layout: RAM [0, 2G) node 0 and [2G, 3G) node 1 (a node
# split), pci_ecam [3G, 3G+256M), mmio [0xd0000000, 4G), RAM [4G, 6G)
# node 1, VTL2 [8G, 8G+64M). Each case is run with --offline (the
# library's copy of the core over the --memslot options, no VM), so that
# the output is tested on any host; the device's VM case follows.
kl="--ram 0-2G --ram 2G-3G:1 --pci-ecam 3G+256M --mmio 0xd0000000-4G --ram 4G-6G:1 --vtl2 8G+64M"
# kvm_case DESC WANT_RC WANT_FINDINGS MEMSLOT...: --offline --check-kvm of
# $kl with these memslots; the first line (the header) and the slot lines
# are checked by the first case only.
kvm_case() {
	_d=$1 _rc=$2 _w=$3
	shift 3
	# shellcheck disable=SC2086
	run --offline --check-kvm $kl "$@"
	check "--check-kvm --offline: $_d" "rc=$_rc $_w err=" \
		"rc=$rc $(printf '%s\n' "$out" | sed '/^memslots (no VM): /d; /^slot [0-9]*: /d') err=$err"
}
# shellcheck disable=SC2086
run --offline --check-kvm $kl --memslot 0-3G --memslot 4G-6G --memslot 8G+64M
check "--check-kvm --offline: exact coverage, a node split under one slot, VTL2 under one: exit 0" \
	"rc=0 out=memslots (no VM): 3 memslots in 1 address space, layout generation 1
slot 0: as 0 0x0-0xbfffffff flags -
slot 1: as 0 0x100000000-0x17fffffff flags -
slot 2: as 0 0x200000000-0x203ffffff flags -
matches: no findings err=" "rc=$rc out=$out err=$err"
kvm_case "one page missing at each end of RAM" 3 "2 findings:
unbacked: as 0 0x0-0xfff of ram[0] 0x0-0x7fffffff: no memslot
unbacked: as 0 0x17ffff000-0x17fffffff of ram[2] 0x100000000-0x17fffffff: no memslot" \
	--memslot 4K-3G --memslot 4G-0x17ffff000
kvm_case "a slot over RAM and the ECAM hole, a VRAM BAR in the mmio hole" 3 "2 findings:
over-hole: as 0 0xc0000000-0xc00fffff of pci_ecam[0] 0xc0000000-0xcfffffff: slot 0 0x0-0xc00fffff flags -
over-hole: as 0 0xe0000000-0xe0ffffff of mmio[0] 0xd0000000-0xffffffff: slot 2 0xe0000000-0xe0ffffff flags -" \
	--memslot 0-0xc0100000 --memslot 4G-6G --memslot 0xe0000000+16M
kvm_case "a read-only slot over RAM" 3 "1 finding:
readonly: as 0 0x100000000-0x17fffffff of ram[2] 0x100000000-0x17fffffff: slot 1 0x100000000-0x17fffffff flags readonly" \
	--memslot 0-3G --memslot 4G-6G:ro
kvm_case "slots in two address spaces (SMM's covers 1 GiB)" 3 "3 findings:
unbacked: as 1 0x40000000-0x7fffffff of ram[0] 0x0-0x7fffffff: no memslot
unbacked: as 1 0x80000000-0xbfffffff of ram[1] 0x80000000-0xbfffffff: no memslot
unbacked: as 1 0x100000000-0x17fffffff of ram[2] 0x100000000-0x17fffffff: no memslot" \
	--memslot 0-3G --memslot 4G-6G --memslot 1:0-1G
kvm_case "a slot above end_of_layout, one in the gap [6G, 8G)" 3 "2 findings:
outside: as 0 0x180000000-0x1bfffffff outside the layout: slot 2 0x180000000-0x1bfffffff flags -
outside: as 0 0x400000000-0x4001fffff outside the layout: slot 3 0x400000000-0x4001fffff flags -" \
	--memslot 0-3G --memslot 4G-6G --memslot 6G+1G --memslot 16G+2M
# The JSON schema (memlayoutctl.8): exclusive ends, "range" null outside
# the layout, "slot" null for unbacked RAM, the flags by name.
run --offline --json --check-kvm --ram 0-1G --mmio 1G-2G --memslot 4K-1G --memslot 1G+4K:ro --memslot 1:2G+2M
check "--check-kvm --offline --json: the kvm_audit array, exit 3" \
	'rc=3 out={"generation":1,"vm":false,"nr_slots":3,"nr_as":2,"memslots":[{"as":0,"slot":0,"start":"0x1000","end":"0x40000000","flags":[]},{"as":0,"slot":1,"start":"0x40000000","end":"0x40001000","flags":["readonly"]},{"as":1,"slot":2,"start":"0x80000000","end":"0x80200000","flags":[]}],"kvm_audit":[{"kind":"unbacked","as":0,"start":"0x0","end":"0x1000","range":{"list":"ram","index":0,"start":"0x0","end":"0x40000000"},"slot":null},{"kind":"over-hole","as":0,"start":"0x40000000","end":"0x40001000","range":{"list":"mmio","index":0,"start":"0x40000000","end":"0x80000000"},"slot":{"id":1,"start":"0x40000000","end":"0x40001000","flags":["readonly"]}},{"kind":"unbacked","as":1,"start":"0x0","end":"0x40000000","range":{"list":"ram","index":0,"start":"0x0","end":"0x40000000"},"slot":null},{"kind":"outside","as":1,"start":"0x80000000","end":"0x80200000","range":null,"slot":{"id":2,"start":"0x80000000","end":"0x80200000","flags":[]}}]} err=' \
	"rc=$rc out=$out err=$err"
run --offline --json --check-kvm --ram 0-1G --memslot 0-1G
check "--check-kvm --offline --json: no findings, exit 0" \
	'rc=0 out={"generation":1,"vm":false,"nr_slots":1,"nr_as":1,"memslots":[{"as":0,"slot":0,"start":"0x0","end":"0x40000000","flags":[]}],"kvm_audit":[]}' \
	"rc=$rc out=$out"
# Slots KVM itself would refuse: exit 1, the slot named.
run --offline --check-kvm --ram 0-1G --memslot 0-1G --memslot 512M+1G
check "--check-kvm --offline: overlapping memslots: EEXIST, exit 1" \
	"rc=1 out= err=memlayoutctl: --memslot 1 overlaps an earlier memslot of its address space: File exists" \
	"rc=$rc out=$out err=$err"
run --offline --check-kvm --ram 0-1G --memslot 0-0x3fffff00
check "--check-kvm --offline: an unaligned memslot: EINVAL, exit 1" \
	"rc=1 out= err=memlayoutctl: --memslot 0 is not a memslot KVM takes (empty or not 4 KiB aligned): Invalid argument" \
	"rc=$rc out=$out err=$err"
usage "--memslot without --check-kvm" --ram-size 1G --memslot 0-1G
usage "--check-kvm with --check-host" --check-kvm --check-host --ram-size 1G
usage "--check-kvm with --probe" --check-kvm --ram-size 1G --probe 0
usage "--check-kvm with --batch" --check-kvm --batch
usage "--memslot with a bad flag" --check-kvm --ram-size 1G --memslot 0-1G:rw
usage "--memslot with an address space above 0xffff" --check-kvm --ram-size 1G --memslot 0x10000:0-1G
usage "--memslot without a range" --check-kvm --ram-size 1G --memslot 1:
usage "--memslot 513 times (over 512)" --check-kvm --ram-size 1G $(i=0; while [ $i -le 512 ]; do printf -- '--memslot %dG+4K ' $((i + 2)); i=$((i + 1)); done)

# The device's mode: a throwaway VM from /dev/kvm. Without KVM, a clear
# error; under lib/fakedev.c (which cannot see a VM) the VM is made and
# CHECK_KVM answers ENOPKG; with the module and KVM, the same findings as
# --offline gave for the same memslots.
if ! [ -c /dev/kvm ]; then
	out=$("$CLI" --check-kvm --ram 0-1G --memslot 0-1G 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
	check "--check-kvm without /dev/kvm: a clear error, exit 1" \
		"rc=1 out= err=memlayoutctl: cannot open /dev/kvm: No such file or directory (KVM is not available here: --offline --check-kvm audits the --memslot memslots without a VM)" \
		"rc=$rc out=$out err=$err"
else
	case "${LD_PRELOAD:-}" in
	*fakedev*)
		out=$("$CLI" --check-kvm --ram 0-1G --memslot 0-1G 2>"$TMP/err")
		rc=$?
		err=$(cat "$TMP/err")
		check "--check-kvm under fakedev (no VM visible): a VM is made, CHECK_KVM answers ENOPKG" \
			"rc=1 out= err=memlayoutctl: MEMLAYOUT_IOC_CHECK_KVM: Package not installed (KVM is not loaded where memlayout runs)" \
			"rc=$rc out=$out err=$err"
		;;
	*)
		# kvm_vm DESC MEMSLOT...: the VM's findings are --offline's.
		kvm_vm() {
			_d=$1
			shift
			# shellcheck disable=SC2086
			o=$("$CLI" --offline --check-kvm $kl "$@" 2>&1)
			orc=$?
			# shellcheck disable=SC2086
			v=$("$CLI" --check-kvm $kl "$@" 2>&1)
			vrc=$?
			check "--check-kvm with a VM: $_d: the offline audit's findings" \
				"rc=$orc $(printf '%s\n' "$o" | sed 1d)" \
				"rc=$vrc $(printf '%s\n' "$v" | sed 1d)"
			check "--check-kvm with a VM: $_d: the header" \
				"$(printf '%s\n' "$o" | sed -n '1s/^memslots (no VM): /vm: /p')" \
				"$(printf '%s\n' "$v" | sed -n 1p)"
		}
		kvm_vm "exact" --memslot 0-3G --memslot 4G-6G --memslot 8G+64M
		kvm_vm "a page missing at each end" --memslot 4K-3G --memslot 4G-0x17ffff000
		kvm_vm "over holes (a VRAM BAR)" --memslot 0-0xc0100000 --memslot 4G-6G --memslot 0xe0000000+16M
		kvm_vm "read-only RAM" --memslot 0-3G --memslot 4G-6G:ro
		kvm_vm "outside the layout" --memslot 0-3G --memslot 4G-6G --memslot 6G+1G --memslot 16G+2M
		;;
	esac
fi

if [ -x "$CLI32" ]; then
	out32=$("$CLI32" --json --ram-size 1T --mmio 1G-2G --mmio 3G-4G)
	check "32-bit memlayoutctl: seed example identical" \
		"$(with_fp "$seed" 1)" "$out32"
	out32=$("$CLI32" --offline --json --ram-size 1T --mmio 1G-2G --mmio 3G-4G)
	check "32-bit memlayoutctl --offline: seed example identical" \
		"$(with_fp "$seed" 1)" "$out32"
	# shellcheck disable=SC2086
	out32=$("$CLI32" --json $q35)
	check "32-bit memlayoutctl: C4 q35 identical" \
		"$(with_fp "$q35_json" 1)" "$out32"
	"$CLI32" --batch < "$TMP/batch2000" > "$TMP/out2000_32"
	check "32-bit memlayoutctl: 2000-line batch identical" \
		"$(cat "$TMP/out2000")" "$(cat "$TMP/out2000_32")"
fi

rm -rf "$TMP"
echo "# cli_test.sh: $n checks, $failed failed"
[ "$failed" = 0 ]
