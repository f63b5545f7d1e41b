#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make -C lib check: lib/test.c against libmemlayout.a and against
# libmemlayout.so, the documentation's example, the exported symbols, and
# an install into a DESTDIR used through pkg-config. Ends with one line,
# "N passed, N failed", and exits non-zero on any failure.
#
# Environment: CC (cc), B (the build directory, default lib/), RESULTS (a
# file that gets the line "lib PASSED FAILED", for scripts/check.sh).
set -u
src=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$src/.." && pwd -P)
B=${B:-$src}
CC=${CC:-cc}
tmp=$B/check.tmp
passed=0
failed=0
cflags="-std=gnu11 -O2 -g -Wall -Wextra -Werror -I$src -I$top/include/uapi"

ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# run NAME CMD...: a test program that prints "N passed, N failed" last.
run() {
	name=$1
	shift
	"$@" > "$tmp/$name.log" 2>&1
	rc=$?
	grep '^FAIL' "$tmp/$name.log" | sed "s/^/  $name: /"
	set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$tmp/$name.log" | tail -n 1)
	if [ $# -ne 2 ]; then
		bad "$name did not finish (rc $rc, log $tmp/$name.log)"
		tail -n 5 "$tmp/$name.log" | sed 's/^/  /'
		return
	fi
	passed=$((passed + $1))
	failed=$((failed + $2))
	if [ "$rc" -ne 0 ] && [ "$2" -eq 0 ]; then
		bad "$name exited $rc"
	fi
	echo "$name: $1 passed, $2 failed"
}

rm -rf "$tmp"
mkdir -p "$tmp"

# The tests, linked statically and dynamically.
if $CC $cflags -o "$tmp/test-static" "$src/test.c" "$B/libmemlayout.a" -lfdt -pthread; then
	run test-static "$tmp/test-static"
else
	bad "build test.c against libmemlayout.a"
fi
if $CC $cflags -o "$tmp/test-shared" "$src/test.c" -L"$B" -lmemlayout \
	-Wl,-rpath,"$B" -pthread; then
	if ldd "$tmp/test-shared" | grep -q "libmemlayout.so.0 => $B/"; then
		ok "test-shared loads $B/libmemlayout.so.0"
	else
		bad "test-shared does not load $B/libmemlayout.so.0"
	fi
	run test-shared "$tmp/test-shared"
else
	bad "build test.c against libmemlayout.so"
fi

# check_example NAME SRC EXPECT WHAT: SRC builds against libmemlayout.a,
# runs offline and prints exactly EXPECT.
check_example() {
	if [ -s "$2" ] && $CC $cflags -o "$tmp/$1" "$2" "$B/libmemlayout.a" -lfdt; then
		if "$tmp/$1" --offline > "$tmp/$1.out" 2>&1 && cmp -s "$tmp/$1.out" "$3"; then
			ok "$4 builds, runs offline and prints ${3#"$top"/}"
		else
			bad "$4: its output differs from ${3#"$top"/}:"
			diff "$3" "$tmp/$1.out" | sed 's/^/  /'
		fi
	else
		bad "$4 does not build"
	fi
}

# The documentation's example, extracted from the .rst.
rst=$top/Documentation/userspace-api/libmemlayout.rst
awk '/^\.\. code-block:: c$/ { getline; on = 1; next }
     on && /^[^ \t]/ && !/^$/ { on = 0 }
     on { sub(/^    /, ""); print }' "$rst" > "$tmp/example.c"
check_example example "$tmp/example.c" "$src/example.expect" "the example in libmemlayout.rst"

# The VMM guide's C example, built as its readers build it; the test
# guests run it against the module.
check_example vmm "$top/examples/vmm.c" "$top/examples/vmm.expect" "examples/vmm.c (the VMM guide)"

# ... and the placement example (SPEC C4).
check_example place "$top/examples/place.c" "$top/examples/place.expect" "examples/place.c (the VMM guide, C4)"

# ... and host fit (SPEC H1) against this machine's own CPU width.
check_example hostfit "$top/examples/hostfit.c" "$top/examples/hostfit.expect" "examples/hostfit.c (the VMM guide, H1)"

# ... and the KVM audit (SPEC H4) over a VMM's planned memslots.
check_example kvmaudit "$top/examples/kvmaudit.c" "$top/examples/kvmaudit.expect" "examples/kvmaudit.c (the VMM guide, H4)"

# The guide shows those outputs; they must be the same.
# check_guide NAME END: the literal block after "What it prints
# (``examples/NAME" up to the line starting END is examples/NAME.expect.
check_guide() {
	sed -n "/^What it prints (\`\`examples\/$1/,/^$2/p" \
		"$top/Documentation/userspace-api/vmm-guide.rst" |
		sed -n 's/^    //p' > "$tmp/guide-$1.out"
	if cmp -s "$tmp/guide-$1.out" "$top/examples/$1.expect"; then
		ok "vmm-guide.rst shows examples/$1.expect as the program's output"
	else
		bad "vmm-guide.rst's shown output differs from examples/$1.expect"
	fi
}
check_guide vmm "Points worth"
check_guide place "Worth noticing"
check_guide hostfit "What a destination"
check_guide kvmaudit "What the audit"

# libmemlayout.h (and the UAPI header it includes) is usable from C++: it
# declares extern "C", and no member or parameter may be a C++ keyword.
printf '#include <libmemlayout.h>\nint main() { return memlayout_class_name(1) ? 0 : 1; }\n' \
	> "$tmp/cxx.cc"
if g++ -std=c++11 -Wall -Werror -I"$src" -I"$top/include/uapi" -o "$tmp/cxx" \
	"$tmp/cxx.cc" "$B/libmemlayout.a" -lfdt && "$tmp/cxx"; then
	ok "libmemlayout.h compiles and links as C++"
else
	bad "libmemlayout.h does not compile or link as C++"
fi

# The library builds warning-free (-Wall -Wextra -Werror) with gcc and clang.
for cc in gcc clang; do
	if ! command -v $cc > /dev/null 2>&1; then
		bad "$cc not found"
	elif make -s -C "$src" B="$tmp/$cc" CC=$cc > "$tmp/$cc.log" 2>&1; then
		ok "libmemlayout builds with $cc -Wall -Wextra -Werror"
	else
		bad "libmemlayout with $cc (log $tmp/$cc.log)"
		head -n 20 "$tmp/$cc.log" | sed 's/^/  /'
	fi
done

# Only the API is exported from the shared library: exactly the functions
# lib/libmemlayout.h declares MEMLAYOUT_API.
want=$(grep -A1 '^MEMLAYOUT_API' "$src/libmemlayout.h" | tr '\n' ' ' |
	grep -o 'memlayout_[a-z0-9_]*(' | tr -d '(' | sort | tr '\n' ' ')
have=$(nm -D --defined-only "$B/libmemlayout.so" | awk '{ print $3 }' | sort |
	tr '\n' ' ')
if [ -n "$want" ] && [ "$want" = "$have" ]; then
	ok "libmemlayout.so exports the $(echo $want | wc -w) functions libmemlayout.h declares, and nothing else"
else
	bad "libmemlayout.so exports: $have; libmemlayout.h declares: $want"
fi
if readelf -d "$B/libmemlayout.so.0" | grep -q 'SONAME.*\[libmemlayout.so.0\]'; then
	ok "soname libmemlayout.so.0"
else
	bad "soname is not libmemlayout.so.0"
fi

# memlayoutctl (on libmemlayout.a) through tests/vm/cli_test.sh, its device
# played by the offline engine (lib/fakedev.c): exact CLI output.
echo 4096 > "$tmp/max_ranges"
if $CC $cflags -o "$tmp/memlayoutctl" "$top/tools/memlayoutctl.c" "$B/libmemlayout.a" -lfdt &&
   $CC $cflags -shared -fPIC -o "$tmp/fakedev.so" "$src/fakedev.c" \
	"$B/libmemlayout.a" -ldl -pthread; then
	MEMLAYOUTCTL=$tmp/memlayoutctl MEMLAYOUTCTL32=/nonexistent \
	MEMLAYOUT_PARAM=$tmp/max_ranges FAKEDEV_PARAM=$tmp/max_ranges \
	TMPDIR=$tmp LD_PRELOAD=$tmp/fakedev.so \
		sh "$top/tests/vm/cli_test.sh" > "$tmp/cli_test.tap" 2>&1
	cli_ok=$(grep -c '^ok ' "$tmp/cli_test.tap")
	cli_bad=$(grep -c '^not ok ' "$tmp/cli_test.tap")
	passed=$((passed + cli_ok))
	failed=$((failed + cli_bad))
	grep -A4 '^not ok ' "$tmp/cli_test.tap" | sed 's/^/  cli_test: /'
	echo "cli_test (offline device): $cli_ok passed, $cli_bad failed"
	if [ "$cli_ok" -eq 0 ]; then
		bad "cli_test.sh ran no test (log $tmp/cli_test.tap)"
	fi
	# The device client's own code (ioctls, the EMSGSIZE loop) on the
	# same cases; the test guest runs this against the module.
	if [ -x "$tmp/test-static" ]; then
		FAKEDEV_PARAM=$tmp/max_ranges LD_PRELOAD=$tmp/fakedev.so \
			run test-device "$tmp/test-static" --device /dev/memlayout \
			--param "$tmp/max_ranges"
	fi
else
	bad "build memlayoutctl or lib/fakedev.c"
fi

# Install into a DESTDIR, then build a program with pkg-config from it.
dest=$tmp/destdir
if make -s -C "$src" B="$B" CC="$CC" PREFIX=/opt/ml DESTDIR="$dest" install > "$tmp/install.log" 2>&1; then
	missing=
	for f in lib/libmemlayout.a lib/libmemlayout.so lib/libmemlayout.so.0 \
		 lib/libmemlayout.so.0.1.0 lib/pkgconfig/memlayout.pc \
		 include/libmemlayout.h include/libmemlayout/linux/memlayout.h; do
		[ -e "$dest/opt/ml/$f" ] || missing="$missing $f"
	done
	if [ -z "$missing" ]; then
		ok "install PREFIX=/opt/ml DESTDIR=...: library, soname links, headers, memlayout.pc"
	else
		bad "install is missing:$missing"
	fi
	pc="env PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=$dest/opt/ml/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest"
	cat > "$tmp/tiny.c" <<'EOT'
#include <stdio.h>
#include <libmemlayout.h>

int main(void)
{
	struct memlayout_handle *h = memlayout_offline(0);
	struct memlayout_set s = { .source = MEMLAYOUT_SOURCE_SIZE,
				   .ram_size = 1ULL << 30 };
	struct memlayout_stats st;

	if (!h || memlayout_set(h, &s) || memlayout_get_stats(h, &st))
		return 1;
	printf("%s 0x%llx\n", memlayout_kind_name(MEMLAYOUT_KIND_RAM),
	       (unsigned long long)st.end_of_ram);
	memlayout_close(h);
	return 0;
}
EOT
	flags=$($pc pkg-config --cflags --libs memlayout)
	# shellcheck disable=SC2086
	if $CC -Wall -Werror -o "$tmp/tiny" "$tmp/tiny.c" $flags &&
	   [ "$(LD_LIBRARY_PATH=$dest/opt/ml/lib "$tmp/tiny")" = "ram 0x40000000" ]; then
		ok "a program built with pkg-config --cflags --libs memlayout ($flags) runs"
	else
		bad "pkg-config build from the DESTDIR tree (flags: $flags)"
	fi
	# shellcheck disable=SC2086
	if $CC -Wall -Werror -static -o "$tmp/tiny-static" "$tmp/tiny.c" \
		$($pc pkg-config --cflags --libs --static memlayout) &&
	   [ "$("$tmp/tiny-static")" = "ram 0x40000000" ]; then
		ok "the same program linked statically against the installed libmemlayout.a"
	else
		bad "static pkg-config build from the DESTDIR tree"
	fi
else
	bad "make install DESTDIR=$dest (log $tmp/install.log)"
fi

[ -n "${RESULTS:-}" ] && echo "lib $passed $failed" >> "$RESULTS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
