#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Differential fuzzing of memlayout_core.c in userspace (fuzz/README.md):
# build the core unchanged against lib/shim/ with libFuzzer, ASan and
# UBSan, replay every checked-in input (fuzz/corpus/, fuzz/kunit-corpus/)
# against the model and its hand-written expectations, then fuzz for
# FUZZ_SECONDS on one core, starting from a copy of fuzz/corpus/.
# The same for the placement engine memlayout_place.c (SPEC C4) with a
# second target, fuzz/fuzz_place.c: replay fuzz/place-corpus/ against its
# EXPECT file, then fuzz for FUZZ_PLACE_SECONDS, taken out of FUZZ_SECONDS.
# The same for host fit memlayout_host.c (SPEC H1-H3) with a third,
# fuzz/fuzz_host.c: replay fuzz/host-corpus/ against its EXPECT file, then
# fuzz for FUZZ_HOST_SECONDS, also taken out of FUZZ_SECONDS.
# The same for the KVM audit memlayout_audit.c (SPEC H4) with a fourth,
# fuzz/fuzz_audit.c: replay fuzz/audit-corpus/ against its EXPECT file,
# then fuzz for FUZZ_AUDIT_SECONDS, also taken out of FUZZ_SECONDS.
#
# usage: scripts/fuzz.sh CACHE_DIR [RESULTS]
#
# Everything is built and written under CACHE_DIR/fuzz; the repository is
# not written to. Prints "fuzz: P passed, F failed" (one check per
# replayed input, one for the fuzzing run) and appends "fuzz P F" to
# RESULTS if given. Exits non-zero on any crash, mismatch or build error.
#
# Environment:
#   FUZZ_SECONDS   length of the fuzzing runs together (default 60; 0 skips
#                  them)
#   FUZZ_PLACE_SECONDS  the placement target's share of FUZZ_SECONDS
#                  (default a third of it)
#   FUZZ_HOST_SECONDS   the host fit target's share of FUZZ_SECONDS
#                  (default a sixth of it)
#   FUZZ_AUDIT_SECONDS  the KVM audit target's share of FUZZ_SECONDS
#                  (default a sixth of it)
#   ML_FUZZ_ALLOW  known core deviations to tolerate (fuzz/README.md)
#   CLANG          the compiler (default clang)
#
# Installs nothing: needs clang and libclang-rt-14-dev (scripts/deps.sh).
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 CACHE_DIR [RESULTS]" >&2
	exit 2
fi
cache=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
out=$cache/fuzz
secs=${FUZZ_SECONDS:-60}
place_secs=${FUZZ_PLACE_SECONDS:-$((secs / 3))}
host_secs=${FUZZ_HOST_SECONDS:-$((secs / 6))}
audit_secs=${FUZZ_AUDIT_SECONDS:-$((secs / 6))}
[ "$place_secs" -gt "$secs" ] && place_secs=$secs
secs=$((secs - place_secs))
[ "$host_secs" -gt "$secs" ] && host_secs=$secs
secs=$((secs - host_secs))
[ "$audit_secs" -gt "$secs" ] && audit_secs=$secs
secs=$((secs - audit_secs))
clang=${CLANG:-clang}
passed=0
failed=0

finish() {
	echo "fuzz: $passed passed, $failed failed"
	[ -n "$results" ] && echo "fuzz $passed $failed" >> "$results"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

mkdir -p "$out" || { failed=1; finish; }
out=$(cd "$out" && pwd -P)

# --- build ---------------------------------------------------------------
if ! command -v "$clang" > /dev/null 2>&1; then
	echo "fuzz: $clang not found; run scripts/deps.sh" >&2
	failed=1
	finish
fi
cflags="-std=gnu11 -g -O1 -Wall -Wextra -I$project/lib/shim -I$project/include -I$project/include/uapi"
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
build() {
	echo "  CC $*" | sed "s|$project/||g"
	# shellcheck disable=SC2086
	"$clang" $cflags $san "$@" || return 1
}
t0=$(date +%s)
echo "fuzz: building in $out"
# The core and the rest of libmemlayout are built by lib/Makefile, as the
# library is, with the fuzzer's coverage and the sanitizers; the harness
# links that libmemlayout.a. The fuzzer is guided by the core's coverage
# (edges and comparisons) and the model's edges; the model skips
# comparison tracing, which would make its deliberately quadratic loops
# crawl. The harness checks the core's own name tables, which the library
# renames (lib/Makefile's CORE_RENAME): it is compiled with the same names.
rename="-Dmemlayout_rule_name=ml_core_rule_name -Dmemlayout_list_name=ml_core_list_name -Dmemlayout_kind_name=ml_core_kind_name"
libflags="-g -O1 $san"
# shellcheck disable=SC2086
if ! make -s -C "$project/lib" B="$out/lib" CC="$clang" \
	CFLAGS="$libflags -fsanitize=fuzzer-no-link" "$out/lib/libmemlayout.a" ||
   ! make -s -C "$project/lib" B="$out/lib-plain" CC="$clang" CFLAGS="$libflags" \
	"$out/lib-plain/libmemlayout.a" ||
   ! build $rename -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp \
	-c "$project/fuzz/fuzz_core.c" -o "$out/fuzz_core.o" ||
   ! build -fsanitize=fuzzer "$out/fuzz_core.o" "$out/lib/libmemlayout.a" -lfdt \
	-o "$out/fuzz_core" ||
   ! build $rename "$project/fuzz/replay.c" "$project/fuzz/fuzz_core.c" \
	"$out/lib-plain/libmemlayout.a" -lfdt -o "$out/replay" ||
   ! build -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp \
	-c "$project/fuzz/fuzz_place.c" -o "$out/fuzz_place.o" ||
   ! build -fsanitize=fuzzer "$out/fuzz_place.o" "$out/lib/libmemlayout.a" -lfdt \
	-o "$out/fuzz_place" ||
   ! build -DFZ_PLACE_REPLAY "$project/fuzz/fuzz_place.c" \
	"$out/lib-plain/libmemlayout.a" -lfdt -o "$out/replay-place" ||
   ! build -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp \
	-c "$project/fuzz/fuzz_host.c" -o "$out/fuzz_host.o" ||
   ! build -fsanitize=fuzzer "$out/fuzz_host.o" "$out/lib/libmemlayout.a" -lfdt \
	-o "$out/fuzz_host" ||
   ! build -DFZ_HOST_REPLAY "$project/fuzz/fuzz_host.c" \
	"$out/lib-plain/libmemlayout.a" -lfdt -o "$out/replay-host" ||
   ! build -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp \
	-c "$project/fuzz/fuzz_audit.c" -o "$out/fuzz_audit.o" ||
   ! build -fsanitize=fuzzer "$out/fuzz_audit.o" "$out/lib/libmemlayout.a" -lfdt \
	-o "$out/fuzz_audit" ||
   ! build -DFZ_AUDIT_REPLAY "$project/fuzz/fuzz_audit.c" \
	"$out/lib-plain/libmemlayout.a" -lfdt -o "$out/replay-audit"; then
	echo "fuzz: build failed" >&2
	failed=1
	finish
fi
echo "fuzz: built in $(( $(date +%s) - t0 )) s"

# count_replay LOG WHAT: add a replay's "replay: N files, P passed, F
# failed" to the totals, and show what failed.
count_replay() {
	summary=$(sed -n 's/^replay: \([0-9]*\) files, \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2 \3/p' \
		"$1")
	if [ -z "$summary" ]; then
		echo "fuzz: FAIL: $2 replay did not finish (log: $1)"
		tail -n 20 "$1" | sed 's/^/  /'
		failed=$((failed + 1))
		return
	fi
	# shellcheck disable=SC2086
	set -- $summary "$1" "$2"
	passed=$((passed + $2))
	failed=$((failed + $3))
	echo "fuzz: replayed $1 $5 inputs: $2 passed, $3 failed (log: $4)"
	grep -E "^FAIL|MISMATCH|runtime error|ERROR: AddressSanitizer|^WARNING" "$4" |
		sed "s|$project/||; s/^/  /"
}

# run_fuzzer TARGET SECS SEEDS WHAT REPLAY: libFuzzer TARGET for SECS on a
# copy of the SEEDS directory (its EXPECT file left out), one check; logs
# $out/TARGET.log and $out/TARGET-0.log, crashes in $out/TARGET-artifacts/.
run_fuzzer() {
	work=$out/$1-corpus.work
	rm -rf "$work" "$out/$1-artifacts"
	mkdir -p "$work" "$out/$1-artifacts"
	for f in "$3"/*; do
		[ "${f##*/}" = EXPECT ] || cp "$f" "$work/"
	done
	echo "fuzz: fuzzing $4 for $2 s (1 job, 1 worker), corpus copy in $work"
	# -jobs=1 runs the fuzzer in a child that logs to fuzz-0.log in the
	# current directory; the parent prints that log when it ends.
	(cd "$out" && rm -f fuzz-0.log &&
	 "$out/$1" -jobs=1 -workers=1 -max_total_time="$2" \
		-timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/$1-artifacts/" "$work") > "$out/$1.log" 2>&1
	rc=$?
	log=$out/$1.log
	if [ -s "$out/fuzz-0.log" ]; then
		mv "$out/fuzz-0.log" "$out/$1-0.log"
		log=$out/$1-0.log
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	echo "fuzz: $4: ${execs:-?} executions, ${rate:-?} exec/s"
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		return
	fi
	failed=$((failed + 1))
	echo "fuzz: FAIL: the $4 fuzzer stopped with status $rc (log: $log):"
	# The report: from the mismatch (or sanitizer error) to the stack
	# trace libFuzzer adds.
	awk '/MISMATCH|WARNING:|runtime error|ERROR: (Address|Leak|libFuzzer)/ { on = 1 }
	     on && /^ *#[0-9]+ / { exit }
	     on && n++ < 40' "$log" | sed 's/^/  /'
	for a in "$out/$1-artifacts"/*; do
		[ -e "$a" ] || continue
		echo "fuzz: reproduce with: $out/$5 $a"
	done
}

# --- replay the checked-in inputs ----------------------------------------
# replay -k runs each input in a child: one check per input.
# shellcheck disable=SC2046
"$out/replay" -k -e "$project/fuzz/corpus.expect" -e "$project/fuzz/kunit-corpus.expect" \
	$(ls "$project"/fuzz/corpus/* "$project"/fuzz/kunit-corpus/*) \
	> "$out/replay.log" 2>&1
count_replay "$out/replay.log" core

# replay-place runs each input in a child against fuzz/place-corpus/EXPECT
# (written by fuzz/gen_place_corpus.py): one check per input.
# shellcheck disable=SC2046
"$out/replay-place" -e "$project/fuzz/place-corpus/EXPECT" \
	$(find "$project/fuzz/place-corpus" -type f ! -name EXPECT | sort) \
	> "$out/replay-place.log" 2>&1
count_replay "$out/replay-place.log" placement

# replay-host runs each input in a child against fuzz/host-corpus/EXPECT
# (written by fuzz/gen_host_corpus.py): one check per input.
# shellcheck disable=SC2046
"$out/replay-host" -e "$project/fuzz/host-corpus/EXPECT" \
	$(find "$project/fuzz/host-corpus" -type f ! -name EXPECT | sort) \
	> "$out/replay-host.log" 2>&1
count_replay "$out/replay-host.log" "host fit"

# replay-audit runs each input in a child against fuzz/audit-corpus/EXPECT
# (written by fuzz/gen_audit_corpus.py): one check per input.
# shellcheck disable=SC2046
"$out/replay-audit" -e "$project/fuzz/audit-corpus/EXPECT" \
	$(find "$project/fuzz/audit-corpus" -type f ! -name EXPECT | sort) \
	> "$out/replay-audit.log" 2>&1
count_replay "$out/replay-audit.log" "KVM audit"

# --- fuzz ----------------------------------------------------------------
[ "$secs" -gt 0 ] &&
	run_fuzzer fuzz_core "$secs" "$project/fuzz/corpus" "the core" replay
[ "$place_secs" -gt 0 ] &&
	run_fuzzer fuzz_place "$place_secs" "$project/fuzz/place-corpus" \
		"the placement engine" replay-place
[ "$host_secs" -gt 0 ] &&
	run_fuzzer fuzz_host "$host_secs" "$project/fuzz/host-corpus" \
		"host fit" replay-host
[ "$audit_secs" -gt 0 ] &&
	run_fuzzer fuzz_audit "$audit_secs" "$project/fuzz/audit-corpus" \
		"the KVM audit" replay-audit

finish
