#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tools' documentation: the man pages memlayoutctl(8) and
# libmemlayout(3) (Documentation/man/), checked as issue 8 item 4 asks.
#
# 1. "man --warnings -l -Tutf8 PAGE" renders each page with groff's
#    warnings on: any line on stderr is a failure (and is shown).
# 2. libmemlayout.3 names every function lib/libmemlayout.h declares
#    MEMLAYOUT_API (so the page cannot fall behind the header).
# 3. memlayoutctl.8 documents every long option of tools/memlayoutctl.c's
#    long_options[] table, and the diff command; and every column of the
#    map's columns[] table (--output), as a ".B NAME" item.
# 4. The example program in libmemlayout.3 (between .EX and .EE) builds
#    with -Wall -Wextra -Werror against libmemlayout.a (built in
#    CACHE/toolscheck-lib) and runs, printing "N ranges, fingerprint HEX".
#
# Appends "tools <passed> <failed>" to RESULTS when given; exits non-zero
# on any failure.
#
# usage: scripts/toolscheck.sh CACHE_DIR [RESULTS]
#   LIBFDT (env): how to link libfdt (default -lfdt).
set -u

cache=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
man_dir=$project/Documentation/man
work=$cache/toolscheck
lib=$cache/toolscheck-lib
CC=${CC:-cc}
LIBFDT=${LIBFDT:--lfdt}
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

mkdir -p "$work"

# 1. groff's warnings
for page in memlayoutctl.8 libmemlayout.3; do
	if [ ! -f "$man_dir/$page" ]; then
		bad "$page: missing"
		continue
	fi
	if ! man --warnings -l -Tutf8 "$man_dir/$page" > "$work/$page.txt" \
		2> "$work/$page.err"; then
		bad "$page: man failed"
		sed 's/^/  /' "$work/$page.err"
	elif [ -s "$work/$page.err" ]; then
		bad "$page: man --warnings printed warnings"
		sed 's/^/  /' "$work/$page.err"
	elif [ ! -s "$work/$page.txt" ]; then
		bad "$page: rendered to nothing"
	else
		ok "$page: man --warnings -l -Tutf8, no warning ($(wc -l < "$work/$page.txt") lines)"
	fi
done

# 2. every exported function in libmemlayout.3
funcs=$(grep -A1 '^MEMLAYOUT_API' "$project/lib/libmemlayout.h" | tr '\n' ' ' |
	grep -o 'memlayout_[a-z0-9_]*(' | tr -d '(' | sort -u)
missing=
for f in $funcs; do
	grep -q "$f" "$man_dir/libmemlayout.3" 2>/dev/null || missing="$missing $f"
done
if [ -z "$funcs" ]; then
	bad "libmemlayout.3: no MEMLAYOUT_API function found in lib/libmemlayout.h"
elif [ -n "$missing" ]; then
	bad "libmemlayout.3 does not name:$missing"
else
	ok "libmemlayout.3 names all $(echo $funcs | wc -w) functions of libmemlayout.h"
fi

# 3. every long option in memlayoutctl.8 (options are written \-\-name)
opts=$(sed -n '/^static const struct option long_options/,/^};/p' \
	"$project/tools/memlayoutctl.c" | sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)".*/\1/p')
missing=
for o in $opts diff; do
	esc=$(printf '%s\n' "$o" | sed 's/-/\\\\-/g')
	grep -q -- "$esc" "$man_dir/memlayoutctl.8" 2>/dev/null || missing="$missing $o"
done
if [ -z "$opts" ]; then
	bad "memlayoutctl.8: no long option found in tools/memlayoutctl.c"
elif [ -n "$missing" ]; then
	bad "memlayoutctl.8 does not document:$missing"
else
	ok "memlayoutctl.8 documents all $(echo $opts | wc -w) options and diff"
fi

# 3b. every --output column in memlayoutctl.8 (an item ".B NAME")
cols=$(sed -n 's/^[[:space:]]*\[COL_[A-Z]*\] = { "\([A-Z]*\)".*/\1/p' \
	"$project/tools/memlayoutctl.c")
missing=
for c in $cols; do
	grep -qx "\.B $c" "$man_dir/memlayoutctl.8" 2>/dev/null || missing="$missing $c"
done
if [ -z "$cols" ]; then
	bad "memlayoutctl.8: no --output column found in tools/memlayoutctl.c"
elif [ -n "$missing" ]; then
	bad "memlayoutctl.8 does not document the --output columns:$missing"
else
	ok "memlayoutctl.8 documents all $(echo $cols | wc -w) --output columns"
fi

# 4. libmemlayout.3's example builds and runs
sed -n '/^\.EX$/,/^\.EE$/p' "$man_dir/libmemlayout.3" | sed '/^\.E[XE]$/d' |
	sed 's/\\e/\\/g; s/\\-/-/g; s/^\\&//' > "$work/example.c"
if ! make -s -C "$project/lib" B="$lib" "$lib/libmemlayout.a" > "$work/lib.log" 2>&1; then
	bad "libmemlayout.a did not build (log $work/lib.log)"
elif ! $CC -std=gnu11 -Wall -Wextra -Werror -I"$project/lib" \
	-I"$project/include/uapi" -o "$work/example" "$work/example.c" \
	"$lib/libmemlayout.a" $LIBFDT > "$work/example.log" 2>&1; then
	bad "libmemlayout.3's example does not build (log $work/example.log)"
	head -n 10 "$work/example.log" | sed 's/^/  /'
elif out=$("$work/example") &&
     printf '%s\n' "$out" | grep -Eq '^[0-9]+ ranges, fingerprint [0-9a-f]{64}$'; then
	ok "libmemlayout.3's example builds and runs: $out"
else
	bad "libmemlayout.3's example printed: $out"
fi

[ -n "$results" ] && echo "tools $passed $failed" >> "$results"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
