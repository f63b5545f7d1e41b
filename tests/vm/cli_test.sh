#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# memlayoutctl end to end, inside the test guest (busybox ash, as root, with
# memlayout.ko loaded): exact output for the SPEC examples, one rejection
# per rule R1..R8, exit codes, usage errors and --batch. Prints TAP lines.
#
# Every expected string below was worked out by hand from SPEC.md (and the
# CLI's documented output format), not copied from the program's output.
#
#   sh cli_test.sh            # uses /bin/memlayoutctl
#   MEMLAYOUTCTL=./memlayoutctl MEMLAYOUT_PARAM=file sh cli_test.sh

CLI=${MEMLAYOUTCTL:-/bin/memlayoutctl}
CLI32=${MEMLAYOUTCTL32:-/bin/memlayoutctl32}
PARAM=${MEMLAYOUT_PARAM:-/sys/module/memlayout/parameters/max_ranges}
TMP=${TMPDIR:-/tmp}/cli_test.$$
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

# run ARGS...: $out = stdout, $err = stderr, $rc = exit status
run() {
	out=$("$CLI" "$@" 2>"$TMP/err")
	rc=$?
	err=$(cat "$TMP/err")
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

# ---- exact JSON for the SPEC examples ----------------------------------

# SPEC seed example: 1 TiB, mmio [1G,2G) and [3G,4G). RAM fills [0,1G),
# [2G,3G), then 1T - 2G from 4G: [4G, 1T+2G). Q4 = 2G, Q5 = 1T - 2G,
# Q7 (two mmio gaps) = RAM starting at or above 4G = 1T - 2G, Q6 = 3G.
seed='{"ram":[{"start":"0x0","end":"0x40000000","node":"0x0"},{"start":"0x80000000","end":"0xc0000000","node":"0x0"},{"start":"0x100000000","end":"0x10080000000","node":"0x0"}],"mmio":[{"start":"0x40000000","end":"0x80000000"},{"start":"0xc0000000","end":"0x100000000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x10000000000","end_of_ram":"0x10080000000","ram_below_4gb":"0x80000000","ram_above_4gb":"0xff80000000","ram_above_high_mmio":"0xff80000000","max_ram_below_4gb":"0xc0000000","end_of_layout":"0x10080000000","probes":[]}'
expect "SPEC seed example (C1, 1 TiB, two mmio gaps) --json" 0 "$seed" \
	--json --ram-size 1T --mmio 1G-2G --mmio 3G-4G
# The same layout written in hex without suffixes.
expect "SPEC seed example with hex numbers" 0 "$seed" \
	--json --ram-size 0x10000000000 --mmio 0x40000000-0x80000000 \
	--mmio 0xc0000000-0x100000000

# D1: the hole at 0 leaves an empty chunk, which is skipped.
expect "D1: 1 GiB with mmio [0,4K) gives RAM [4K, 1G+4K)" 0 \
'{"ram":[{"start":"0x1000","end":"0x40001000","node":"0x0"}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[]}' \
	--json --ram-size 1G --mmio 0-4K

# D2: bytes are split exactly at 4 GiB; D3: no holes, Q8 = end of RAM.
expect "D2: RAM [0,8G) is 4G below, 4G above, max below 4G = 4G" 0 \
'{"ram":[{"start":"0x0","end":"0x200000000","node":"0x0"}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x200000000","end_of_ram":"0x200000000","ram_below_4gb":"0x100000000","ram_above_4gb":"0x100000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x200000000","probes":[]}' \
	--json --ram 0-8G

# C2: nodes of 1G, 2G, 512M; ECAM [2G,3G), mmio [0xfe000000,4G).
#   [0,2G) before the ECAM: node 0 [0,1G), node 1 [1G,2G) (split mid-chunk)
#   [3G,0xfe000000) = 992M: node 1 (32M of its 2G still left)
#   above 4G: node 1 [4G,4G+32M), node 2 [4G+32M, 4G+544M)
# Q4 = 1G+1G+992M = 0xbe000000, Q5 = 32M+512M = 0x22000000,
# Q6 = end of [3G,0xfe000000), one mmio gap so Q7 absent.
expect "C2: three nodes split around a PCI ECAM hole and an mmio gap" 0 \
'{"ram":[{"start":"0x0","end":"0x40000000","node":"0x0"},{"start":"0x40000000","end":"0x80000000","node":"0x1"},{"start":"0xc0000000","end":"0xfe000000","node":"0x1"},{"start":"0x100000000","end":"0x102000000","node":"0x1"},{"start":"0x102000000","end":"0x122000000","node":"0x2"}],"mmio":[{"start":"0xfe000000","end":"0x100000000"}],"pci_ecam":[{"start":"0x80000000","end":"0xc0000000"}],"pci_mmio":[],"vtl2":null,"ram_size":"0xe0000000","end_of_ram":"0x122000000","ram_below_4gb":"0xbe000000","ram_above_4gb":"0x22000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0xfe000000","end_of_layout":"0x122000000","probes":[]}' \
	--json --node-size 1G --node-size 2G --node-size 512M \
	--pci-ecam 2G-3G --mmio 0xfe000000-4G

# C2, two nodes, one chunk split where node 0's budget ends.
expect "C2: two nodes, node split mid-chunk before a PCI ECAM hole" 0 \
'{"ram":[{"start":"0x0","end":"0x40000000","node":"0x0"},{"start":"0x40000000","end":"0x80000000","node":"0x1"},{"start":"0xc0000000","end":"0x100000000","node":"0x1"}],"mmio":[],"pci_ecam":[{"start":"0x80000000","end":"0xc0000000"}],"pci_mmio":[],"vtl2":null,"ram_size":"0xc0000000","end_of_ram":"0x100000000","ram_below_4gb":"0xc0000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x100000000","probes":[]}' \
	--json --node-size 1G --node-size 2G --pci-ecam 2G-3G

# C3 with every kind, touching RAM ranges kept apart, node ids passed
# through, VTL2 above RAM (not RAM, not in Q8), and probes at each edge.
expect "C3: every list, VTL2 and probes (VTL2 and unmapped => none)" 0 \
'{"ram":[{"start":"0x0","end":"0x40000000","node":"0x0"},{"start":"0x40000000","end":"0x80000000","node":"0x3"}],"mmio":[{"start":"0x80000000","end":"0xc0000000"}],"pci_ecam":[{"start":"0xc0000000","end":"0xd0000000"}],"pci_mmio":[{"start":"0xe0000000","end":"0x100000000"}],"vtl2":{"start":"0x200000000","end":"0x200200000"},"ram_size":"0x80000000","end_of_ram":"0x80000000","ram_below_4gb":"0x80000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x80000000","end_of_layout":"0x100000000","probes":[{"addr":"0x0","kind":"ram"},{"addr":"0x3fffffff","kind":"ram"},{"addr":"0x40000000","kind":"ram"},{"addr":"0x7fffffff","kind":"ram"},{"addr":"0x80000000","kind":"mmio"},{"addr":"0xcfffffff","kind":"pci_ecam"},{"addr":"0xd0000000","kind":"none"},{"addr":"0xe0000000","kind":"pci_mmio"},{"addr":"0xffffffff","kind":"pci_mmio"},{"addr":"0x100000000","kind":"none"},{"addr":"0x200000000","kind":"none"},{"addr":"0x2001ff000","kind":"none"},{"addr":"0xffffffffffffffff","kind":"none"}]}' \
	--json --ram 0-1G --ram 1G-2G:3 --mmio 2G-3G --pci-ecam 3G-0xd0000000 \
	--pci-mmio 0xe0000000-4G --vtl2 8G-0x200200000 \
	--probe 0 --probe 0x3fffffff --probe 1G --probe 0x7fffffff \
	--probe 2G --probe 0xcfffffff --probe 0xd0000000 --probe 0xe0000000 \
	--probe 0xffffffff --probe 4G --probe 8G --probe 0x2001ff000 \
	--probe 0xffffffffffffffff

# Node ids are u32, printed as hex strings.
expect "C3: node id 0xffffffff passed through" 0 \
'{"ram":[{"start":"0x1000","end":"0x2000","node":"0xffffffff"}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x1000","end_of_ram":"0x2000","ram_below_4gb":"0x1000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x2000","end_of_layout":"0x2000","probes":[{"addr":"0xfff","kind":"none"},{"addr":"0x1000","kind":"ram"},{"addr":"0x2000","kind":"none"}]}' \
	--json --ram 4K-8K:4294967295 --probe 0xfff --probe 4K --probe 8K

# RAM up to MAX_ADDRESS = 2^64 - 4K is allowed (R6 boundary).
expect "C1: RAM ending exactly at MAX_ADDRESS is accepted" 0 \
'{"ram":[{"start":"0x0","end":"0xfffffffffffff000","node":"0x0"}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0xfffffffffffff000","end_of_ram":"0xfffffffffffff000","ram_below_4gb":"0x100000000","ram_above_4gb":"0xfffffffefffff000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0xfffffffffffff000","probes":[{"addr":"0xffffffffffffefff","kind":"ram"},{"addr":"0xfffffffffffff000","kind":"none"}]}' \
	--json --ram-size 0xfffffffffffff000 \
	--probe 0xffffffffffffefff --probe 0xfffffffffffff000

# ---- the human map ------------------------------------------------------

# Inclusive ends like /proc/iomem; kind padded to 8, size right-aligned in
# 10 columns, two spaces before the node.
expect "human map of the seed example, stats and probes" 0 \
"0x0000000000000000-0x000000003fffffff ram           1 GiB  node 0
0x0000000040000000-0x000000007fffffff mmio          1 GiB
0x0000000080000000-0x00000000bfffffff ram           1 GiB  node 0
0x00000000c0000000-0x00000000ffffffff mmio          1 GiB
0x0000000100000000-0x000001007fffffff ram        1022 GiB  node 0
ram_size             0x10000000000 (1 TiB)
end_of_ram           0x10080000000 (1026 GiB)
ram_below_4gb        0x80000000 (2 GiB)
ram_above_4gb        0xff80000000 (1022 GiB)
ram_above_high_mmio  0xff80000000 (1022 GiB)
max_ram_below_4gb    0xc0000000 (3 GiB)
end_of_layout        0x10080000000 (1026 GiB)
probe 0x0: ram
probe 0x40000000: mmio
probe 0x10080000000: none" \
	--ram-size 1T --mmio 1G-2G --mmio 3G-4G \
	--probe 0 --probe 1G --probe 0x10080000000

# VTL2 appears in the map; Q6 and Q7 absent (no RAM below 4G, one gap).
expect "human map with VTL2 and absent values" 0 \
"0x0000000000000000-0x000000000000ffff mmio         64 KiB
0x0000000100000000-0x000000013fffffff ram           1 GiB  node 2
0x0000000140000000-0x00000001401fffff vtl2          2 MiB
ram_size             0x40000000 (1 GiB)
end_of_ram           0x140000000 (5 GiB)
ram_below_4gb        0x0 (0 B)
ram_above_4gb        0x40000000 (1 GiB)
ram_above_high_mmio  absent
max_ram_below_4gb    absent
end_of_layout        0x140000000 (5 GiB)" \
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
	expect "R8: 5 mmio gaps with max_ranges 4" 1 \
'{"error":{"errno":"E2BIG","rule":"R8","list":"mmio","index":4,"message":"R8 too many ranges: mmio holds 5 entries, more than max_ranges 4"}}' \
		--json --ram-size 1G --mmio 1G-2G --mmio 2G-3G --mmio 3G-4G \
		--mmio 4G-5G --mmio 5G-6G
	expect "R8: 4 mmio gaps with max_ranges 4 are fine" 0 \
'{"ram":[{"start":"0x0","end":"0x40000000","node":"0x0"}],"mmio":[{"start":"0x40000000","end":"0x80000000"},{"start":"0x80000000","end":"0xc0000000"},{"start":"0xc0000000","end":"0x100000000"},{"start":"0x100000000","end":"0x140000000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40000000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40000000","end_of_layout":"0x140000000","probes":[]}' \
		--json --ram-size 1G --mmio 1G-2G --mmio 2G-3G --mmio 3G-4G \
		--mmio 4G-5G
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
	"memlayoutctl: --ram-size: '1X' is not a number (decimal or 0x-hex, optional K/M/G/T suffix)" \
	"$(printf '%s\n' "$err" | sed -n 1p)"

run --help
case $out in
Usage:*) help_ok=1 ;;
*) help_ok=0 ;;
esac
check "--help exits 0 with a usage text" "rc=0 1" "rc=$rc $help_ok"

# ---- --batch -------------------------------------------------------------

printf '%s\n' "--ram-size 1G --mmio 0-4K" "--ram 0-2G --mmio 1G-3G" \
	"--ram 0-8G" > "$TMP/batch3"
out=$("$CLI" --batch < "$TMP/batch3")
rc=$?
check "--batch, 2 good lines and 1 rejected: 3 exact lines, exit 1" \
'rc=1 {"ram":[{"start":"0x1000","end":"0x40001000","node":"0x0"}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x40000000","end_of_ram":"0x40001000","ram_below_4gb":"0x40000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x40001000","end_of_layout":"0x40001000","probes":[]}
{"error":{"errno":"EEXIST","rule":"R4","list":"ram","index":0,"message":"R4 overlap: ram[0] [0x0, 0x80000000) overlaps mmio[0] [0x40000000, 0xc0000000)"}}
{"ram":[{"start":"0x0","end":"0x200000000","node":"0x0"}],"mmio":[],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x200000000","end_of_ram":"0x200000000","ram_below_4gb":"0x100000000","ram_above_4gb":"0x100000000","ram_above_high_mmio":null,"max_ram_below_4gb":"0x100000000","end_of_layout":"0x200000000","probes":[]}' \
	"rc=$rc $out"

printf '%s\n' "--ram-size 1G" "--ram-size 1G --bogus" "--ram-size 2G" \
	> "$TMP/batchu"
out=$("$CLI" --batch < "$TMP/batchu")
rc=$?
check "--batch with a usage error line: error line, processing goes on, exit 2" \
'rc=2 3 {"error":{"errno":"EINVAL","rule":null,"list":"none","index":0,"message":"usage: unknown or malformed option '"'"'--bogus'"'"'"}}' \
	"rc=$rc $(printf '%s\n' "$out" | wc -l) $(printf '%s\n' "$out" | sed -n 2p)"

# 2000 layouts: line i asks for i MiB above a 4 KiB hole at 0 and probes 0.
seq 1 2000 | sed 's/.*/--ram-size &M --mmio 0-4K --probe 0 --probe 4K/' \
	> "$TMP/batch2000"
"$CLI" --batch < "$TMP/batch2000" > "$TMP/out2000"
rc=$?
check "--batch of 2000 lines: exit 0, 2000 lines out" "rc=0 2000" \
	"rc=$rc $(wc -l < "$TMP/out2000" | sed 's/ //g')"
check "--batch of 2000 lines: every line is a layout" 2000 \
	"$(grep -c '^{"ram":\[{"start":"0x1000","end":"0x[0-9a-f]*1000","node":"0x0"}\],"mmio":\[{"start":"0x0","end":"0x1000"}\],.*"probes":\[{"addr":"0x0","kind":"mmio"},{"addr":"0x1000","kind":"ram"}\]}$' "$TMP/out2000")"
# 2000 MiB = 0x7d000000, shifted up by the 4 KiB hole.
check "--batch of 2000 lines: last line exact" \
'{"ram":[{"start":"0x1000","end":"0x7d001000","node":"0x0"}],"mmio":[{"start":"0x0","end":"0x1000"}],"pci_ecam":[],"pci_mmio":[],"vtl2":null,"ram_size":"0x7d000000","end_of_ram":"0x7d001000","ram_below_4gb":"0x7d000000","ram_above_4gb":"0x0","ram_above_high_mmio":null,"max_ram_below_4gb":"0x7d001000","end_of_layout":"0x7d001000","probes":[{"addr":"0x0","kind":"mmio"},{"addr":"0x1000","kind":"ram"}]}' \
	"$(sed -n 2000p "$TMP/out2000")"

# ---- the 32-bit build (compat_ioctl), when the image has one -------------

if [ -x "$CLI32" ]; then
	out32=$("$CLI32" --json --ram-size 1T --mmio 1G-2G --mmio 3G-4G)
	check "32-bit memlayoutctl: seed example identical" "$seed" "$out32"
	"$CLI32" --batch < "$TMP/batch2000" > "$TMP/out2000_32"
	check "32-bit memlayoutctl: 2000-line batch identical" \
		"$(cat "$TMP/out2000")" "$(cat "$TMP/out2000_32")"
fi

rm -rf "$TMP"
echo "# cli_test.sh: $n checks, $failed failed"
[ "$failed" = 0 ]
