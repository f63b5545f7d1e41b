#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the Debian kernel header trees to build against, one per line:
# the newest installed 6.1 and 6.12 amd64 headers.
set -eu
for series in 6.1 6.12; do
	ls -d /usr/src/linux-headers-"$series".*-amd64 2>/dev/null |
		sort -V | tail -n 1
done
