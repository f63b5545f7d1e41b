#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Line and branch coverage of memlayout_core.c from the userspace replay
# driver (fuzz/replay.c, built with gcc --coverage) over the checked-in
# inputs: fuzz/corpus/ (SPEC, rule by rule) and fuzz/kunit-corpus/ (the
# requests of the KUnit tables). Goal: >= 95% of lines and >= 85% of
# branches; prints both, and every line and branch not covered.
#
# usage: scripts/coverage.sh CACHE_DIR [RESULTS]
#
# Builds and writes under CACHE_DIR/coverage only (the report is
# CACHE_DIR/coverage/html/index.html). Appends "coverage 1 0" to RESULTS
# when the goal is met, else "coverage 0 1", and exits accordingly.
#
# Installs nothing: needs gcc and lcov (scripts/deps.sh).
#
# $inc, $rc_branch and $summary are split into words on purpose.
# shellcheck disable=SC2086
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 CACHE_DIR [RESULTS]" >&2
	exit 2
fi
cache=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
out=$cache/coverage
line_goal=95
branch_goal=85
rc_branch="--rc lcov_branch_coverage=1"

finish() {
	if [ "$1" = ok ]; then
		echo "coverage: goal met (lines >= $line_goal%, branches >= $branch_goal%)"
		[ -n "$results" ] && echo "coverage 1 0" >> "$results"
		exit 0
	fi
	echo "coverage: goal NOT met (lines >= $line_goal%, branches >= $branch_goal%)"
	[ -n "$results" ] && echo "coverage 0 1" >> "$results"
	exit 1
}

for tool in gcc gcov lcov genhtml; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		echo "coverage: $tool not found; run scripts/deps.sh" >&2
		finish fail
	fi
done

rm -rf "$out"
mkdir -p "$out" || finish fail
out=$(cd "$out" && pwd -P)
inc="-I$project/lib/shim -I$project/include -I$project/include/uapi"

# The replay driver links libmemlayout.a, built by lib/Makefile with
# --coverage; -O0 keeps lines and branches as written. The harness checks
# the core's own name tables, which the library renames (CORE_RENAME).
rename="-Dmemlayout_rule_name=ml_core_rule_name -Dmemlayout_list_name=ml_core_list_name -Dmemlayout_kind_name=ml_core_kind_name"
echo "coverage: building in $out"
# shellcheck disable=SC2086
if ! make -s -C "$project/lib" B="$out/lib" CC=gcc CFLAGS="-O0 -g --coverage" \
	"$out/lib/libmemlayout.a" ||
   ! gcc -std=gnu11 -O1 -g $inc $rename "$project/fuzz/replay.c" "$project/fuzz/fuzz_core.c" \
	"$out/lib/libmemlayout.a" -lfdt --coverage \
	-Wl,--undefined=__gcov_dump -o "$out/replay"; then
	echo "coverage: build failed" >&2
	finish fail
fi

# replay -k runs each input in a child: a mismatch aborts only its own
# input, whose counts replay still writes out (__gcov_dump(), forced into
# the link). fuzz.sh is where mismatches fail the build.
# shellcheck disable=SC2046
"$out/replay" -k $(ls "$project"/fuzz/corpus/* "$project"/fuzz/kunit-corpus/*) \
	> "$out/replay.log" 2>&1
sed -n 's/^FAIL \([^:]*\):.*/coverage: warning: \1 fails the differential check (see fuzz.sh)/p' \
	"$out/replay.log" | sed "s|$project/||"
summary=$(grep '^replay: ' "$out/replay.log")
if [ -z "$summary" ]; then
	echo "coverage: replay did not finish (log: $out/replay.log)" >&2
	finish fail
fi
echo "coverage: $summary"

if ! lcov --quiet --capture $rc_branch --directory "$out" --base-directory "$project" \
	--output-file "$out/all.info" 2> "$out/lcov.log" ||
   ! lcov --quiet $rc_branch --extract "$out/all.info" "*/memlayout_core.c" \
	--output-file "$out/core.info" 2>> "$out/lcov.log"; then
	cat "$out/lcov.log" >&2
	finish fail
fi
genhtml --quiet $rc_branch --output-directory "$out/html" "$out/core.info" \
	> /dev/null 2>> "$out/lcov.log" || true

# Totals straight from the tracefile: LF/LH lines, BRF/BRH branches.
summary=$(awk -F: '
	/^LF:/ { lf += $2 } /^LH:/ { lh += $2 }
	/^BRF:/ { bf += $2 } /^BRH:/ { bh += $2 }
	END {
		printf "%d %d %d %d %.1f %.1f\n", lh, lf, bh, bf,
			lf ? 100 * lh / lf : 0, bf ? 100 * bh / bf : 0
	}' "$out/core.info")
set -- $summary
echo "coverage: memlayout_core.c lines:    $5% ($1 of $2)"
echo "coverage: memlayout_core.c branches: $6% ($3 of $4)"

# What is left, with its source line, its function and why it is left.
why() {
	case "$1" in
	ml_bad_range)
		echo "unreachable: an end above MAX_ADDRESS is never page aligned, so the alignment test rejects it first" ;;
	ml_emit)
		echo "defensive WARN: the counting and the filling pass place the same ranges" ;;
	ml_fill_ram|ml_place)
		echo "unreachable: placed RAM starts at or above the end of every earlier hole, so ml_emit() never rejects it" ;;
	ml_search)
		echo "unreachable: a built layout always holds RAM (R5), so it is never empty" ;;
	*)
		echo "NOT EXPLAINED: add an input for it to fuzz/gen_corpus.py" ;;
	esac
}
awk -F'[:,]' '
	/^FN:/ { fn[$2] = $3 }
	/^DA:/ && $3 == 0 { miss[$2] = miss[$2] " line" }
	/^BRDA:/ && ($5 == "0" || $5 == "-") { miss[$2] = miss[$2] " branch" }
	END {
		for (ln in miss) {
			f = "?"
			best = 0
			for (s in fn)
				if (s + 0 <= ln + 0 && s + 0 > best) {
					best = s + 0
					f = fn[s]
				}
			print ln, f, miss[ln]
		}
	}' "$out/core.info" | sort -n -k1,1 | while read -r ln func what; do
	what=$(echo "$what" | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/^ *//; s/ *$//; s/ /+/g')
	printf "  uncovered %-11s memlayout_core.c:%-5s %-14s %s\n" "$what" "$ln" "$func()" \
		"$(sed -n "${ln}p" "$project/memlayout_core.c" | sed 's/^[[:space:]]*//')"
	echo "      why: $(why "$func")"
done
echo "coverage: report in $out/html/index.html"

ok=$(echo "$5 $6" | awk -v l="$line_goal" -v b="$branch_goal" '{ print ($1 >= l && $2 >= b) ? "ok" : "fail" }')
finish "$ok"
