#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job: install what is missing, build for the host and for the
# other architecture, and run trampbench on both (the other under
# qemu-user, which every output labels as emulated).  Extra arguments go
# to trampbench.
set -u
cd "$(dirname "$0")/.." || exit 1
scripts/setup.sh || exit 1

. scripts/hostarch.sh
args=${*:-}
rc=0
for target in "ARCH=$native" "ARCH=$other CROSS_COMPILE=$cross"; do
	echo "=== make $target run ARGS='$args'"
	# shellcheck disable=SC2086
	make -j"$(nproc)" $target run ARGS="$args" || rc=1
done
exit $rc
