#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages memlayout's build and tests need. Idempotent:
# does nothing when everything is present. Needs root (or sudo) only when
# something is missing.
#
# usage: scripts/deps.sh [LAYER...]
#        (layers: build kunit vm lint fuzz lib rust; default: all)
set -eu

pkgs_build="make gcc libc6-dev bc flex bison libelf-dev libssl-dev kmod
	linux-headers-amd64 linux-headers-6.12-amd64 sparse dwarves pkg-config
	binutils"
pkgs_kunit="python3 xz-utils linux-source-6.12 perl"
pkgs_vm="qemu-system-x86 busybox-static gcc-multilib g++-multilib cpio gzip"
pkgs_lint="coccinelle g++"
pkgs_fuzz="clang libclang-rt-14-dev lcov"
# libmemlayout's firmware maps (libfdt) and the consumers that check them
# (dtc/fdtget, iasl), and man for its man pages.
pkgs_lib="libfdt-dev device-tree-compiler acpica-tools man-db g++"
# Debian's own Rust (1.63 on Debian 12): the crate is built with
# /usr/bin/cargo, never a rustup toolchain that may be first in PATH.
pkgs_rust="rustc cargo"

layers=${*:-build kunit vm lint fuzz lib rust}
want=""
for layer in $layers; do
	eval "want=\"\$want \$pkgs_$layer\""
done

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing >&2
