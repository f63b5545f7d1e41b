#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prepare (once) an extracted Debian linux-source-6.12 tree in a cache
# directory outside the repository, wire drivers/misc/memlayout to this
# checkout, and print the tree's path. Idempotent: a ready tree is reused,
# only the symlink is refreshed, so kunit.py rebuilds incrementally.
#
# usage: scripts/kernel-tree.sh CACHE_DIR PROJECT_DIR
set -eu

cache=$1
project=$(cd "$2" && pwd -P)
tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | head -n 1)
tree=$cache/linux-source-6.12

if [ -z "$tarball" ]; then
	echo "kernel-tree: /usr/src/linux-source-6.12*.tar.xz missing (apt-get install linux-source-6.12)" >&2
	exit 1
fi

if [ ! -f "$tree/.memlayout-ready" ] || [ "$tarball" -nt "$tree/.memlayout-ready" ]; then
	echo "kernel-tree: extracting $tarball into $tree" >&2
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1
	# Hook the project into drivers/misc the way an in-tree driver is.
	sed -i '/^endmenu/i source "drivers/misc/memlayout/Kconfig"' \
		"$tree.tmp/drivers/misc/Kconfig"
	echo 'obj-y += memlayout/' >> "$tree.tmp/drivers/misc/Makefile"
	touch "$tree.tmp/.memlayout-ready"
	mv "$tree.tmp" "$tree"
fi

ln -sfn "$project" "$tree/drivers/misc/memlayout"
echo "$tree"
