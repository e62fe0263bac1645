#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The test command: install what is missing, then build and test every
# architecture this machine can run: the host natively, the other one
# cross-built and run under qemu-user; and build both with clang too,
# since the tree must be warning-free under gcc and clang.
# Ends with one "N passed, N failed" line over all architectures.
set -u
cd "$(dirname "$0")/.." || exit 1
scripts/setup.sh || exit 1

. scripts/hostarch.sh
jobs=$(nproc)
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# make ... check; add its "ARCH: N passed, N failed" line to the totals.
check() {
	make -j"$jobs" "$@" check 2>&1 | tee "$log"
	line=$(grep -E '^[a-z0-9]+: [0-9]+ passed, [0-9]+ failed$' "$log" |
		tail -n 1)
	if [ -z "$line" ]; then
		echo "*** make $* check did not run its tests"
		failed=$((failed + 1))
		return
	fi
	set -- $line
	passed=$((passed + $2))
	failed=$((failed + $4))
}

# A build that must succeed (no tests run): counts as one test.
build() {
	echo "=== make $*"
	if make -j"$jobs" "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
	else
		cat "$log"
		echo "*** make $* failed"
		failed=$((failed + 1))
	fi
}

check ARCH="$native"
check ARCH="$other" CROSS_COMPILE="$cross"
build LLVM=1 ARCH="$native" O="build/clang-$native"
build LLVM=1 ARCH="$other" CROSS_COMPILE="$cross" O="build/clang-$other"

echo "all architectures: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
