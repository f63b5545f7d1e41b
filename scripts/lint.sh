#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Static checks the kernel community runs, each counted as one check:
# checkpatch --strict, kernel-doc -Wall, the UAPI header's self-containment
# (C90 twice, C++, 32-bit, as usr/include's hdrtest does) and its lack of
# holes (pahole), and coccicheck. W=1 and sparse run in modules.sh.
# Appends "lint <passed> <failed>" to RESULTS.
#
# usage: scripts/lint.sh CACHE_DIR [RESULTS]
set -u

cache=$1
results=${2:-}
project=$(cd "$(dirname "$0")/.." && pwd -P)
K=$("$project/scripts/kernel-tree.sh" "$cache" "$project") || exit 1
KDIR=$("$project/scripts/kdirs.sh" | tail -n 1)
out=$cache/lint
rm -rf "$out" && mkdir -p "$out/hdr/linux"
passed=0
failed=0

check() {	# check NAME COMMAND...: pass when COMMAND succeeds
	name=$1
	shift
	if "$@" > "$out/$name.log" 2>&1; then
		echo "lint[$name]: ok"
		passed=$((passed + 1))
	else
		cat "$out/$name.log"
		echo "lint[$name]: FAILED"
		failed=$((failed + 1))
	fi
}

cd "$project" || exit 1
kernel_c="$(ls memlayout_*.c kunit/*.c)"
kernel_h="memlayout_ioctl.h memlayout_names.h include/linux/memlayout.h include/uapi/linux/memlayout.h $(ls kunit/*.h)"

checkpatch() {
	"$K/scripts/checkpatch.pl" --no-tree --strict --show-types --quiet \
		-f Kbuild $kernel_c $kernel_h
}
check checkpatch checkpatch

check kernel-doc "$K/scripts/kernel-doc" -none -Wall -Werror $kernel_c $kernel_h

hdrtest() {
	(cd "$KDIR" && scripts/headers_install.sh \
		"$project/include/uapi/linux/memlayout.h" "$out/hdr/linux/memlayout.h") &&
	for std in "-x c -std=c90" "-x c -std=c11" "-x c -std=c90 -m32" \
		   "-x c++ -std=c++11" "-x c++ -std=c++17 -m32"; do
		# shellcheck disable=SC2086
		gcc $std -Wall -Wextra -Werror -pedantic -fsyntax-only /dev/null \
			-I"$out/hdr" -include "$out/hdr/linux/memlayout.h" \
			-include "$out/hdr/linux/memlayout.h" || return 1
	done
}
check uapi-self-contained hdrtest

holes() {
	printf '#include <linux/memlayout.h>\n' > "$out/structs.c"
	for s in range reason info set stats get_ranges probe; do
		printf 'struct memlayout_%s v_%s;\n' "$s" "$s" >> "$out/structs.c"
	done
	for m in -m64 -m32; do
		gcc $m -g -c -I"$out/hdr" -o "$out/structs$m.o" "$out/structs.c" &&
		pahole "$out/structs$m.o" > "$out/pahole$m.txt" || return 1
		if grep -E 'XXX|hole|padding' "$out/pahole$m.txt"; then
			return 1
		fi
	done
	# 32- and 64-bit layouts must be identical.
	diff "$out/pahole-m64.txt" "$out/pahole-m32.txt"
}
check uapi-no-holes holes

# What "make coccicheck MODE=report" runs, restricted to the kernel code
# (the userspace programs are not kernel code) and to the rules that do
# not need OCaml scripting, which Debian's spatch lacks.
coccicheck() {
	command -v spatch > /dev/null || { echo "spatch missing"; return 1; }
	: > "$out/cocci.txt"
	for rule in $(grep -L 'script:ocaml' $(find "$K/scripts/coccinelle" -name '*.cocci' | sort)); do
		opts=$(sed -n 's|^// Options:||p' "$rule")
		# shellcheck disable=SC2086
		spatch -D report --no-show-diff --very-quiet $opts \
			-I "$K/arch/x86/include" -I "$K/include" \
			-I "$K/arch/x86/include/uapi" -I "$K/include/uapi" \
			-I "$project/include" -I "$project/include/uapi" \
			--include "$K/include/linux/kconfig.h" \
			--cocci-file "$rule" $kernel_c $kernel_h \
			>> "$out/cocci.txt" 2> /dev/null
	done
	echo "$(grep -c . "$out/cocci.txt") lines of findings"
	! grep . "$out/cocci.txt"
}
check coccicheck coccicheck

echo "lint: $passed passed, $failed failed (logs: $out)"
[ -n "$results" ] && echo "lint $passed $failed" >> "$results"
[ "$failed" -eq 0 ]
