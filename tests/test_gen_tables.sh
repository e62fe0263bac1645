#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# harness/data/gen-tables.py refuses a bad data row with file:line and
# what is wrong, and takes a good extra row (what a new core is).
#   TB_SRC  source folder
src=${TB_SRC:?TB_SRC is not set}
gen=$src/harness/data/gen-tables.py
fails=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# one row (tab-separated, cores.tsv's format), the message it must give
check() {
	printf '%s\n' "$1" >"$tmp/extra.tsv"
	if python3 "$gen" --add-cores "$tmp/extra.tsv" -o "$tmp/t.c" \
		2>"$tmp/err"; then
		echo "not ok: accepted: $1"; fails=$((fails + 1))
	elif grep -q "extra.tsv:1: $2" "$tmp/err"; then
		echo "ok: $(cat "$tmp/err")"
	else
		echo "not ok: '$1' gave: $(cat "$tmp/err")"; fails=$((fails + 1))
	fi
}
T=$(printf '\t')
check "arm64${T}0x41:0xd0c${T}N1 again${T}x${T}-${T}-${T}armv8_pmuv3${T}armv8${T}1${T}@pmuv3" \
	"arm64 0x41:0xd0c is already"
check "arm64${T}0x41:0xzz${T}X${T}x${T}-${T}-${T}armv8_pmuv3${T}armv8${T}1${T}@pmuv3" \
	"'0xzz' is not a hex number"
check "arm64${T}0x41:0xd85${T}X${T}x${T}-${T}-${T}nosuch${T}armv8${T}1${T}@pmuv3" \
	"no event table 'nosuch'"
check "arm64${T}0x41:0xd85${T}X${T}x${T}-${T}-${T}armv8_pmuv3${T}armv9${T}1${T}@pmuv3" \
	"kind 'armv9'"
check "arm64${T}0x41:0xd85${T}X${T}x${T}-${T}-${T}armv8_pmuv3${T}armv8${T}1${T}@nosuch" \
	"defaults '@nosuch'"
check "arm64${T}0x41:0xd85${T}X${T}x${T}-${T}-${T}armv8_pmuv3${T}armv8${T}1" \
	"9 tab-separated fields, want 10"

# a good row: in the generated C, nothing else changed
printf 'arm64\t0x41:0xd85\tCortex-X925\tCortex-X925\t-\t-\tarmv8_pmuv3\tarmv8\t1\t@pmuv3\n' \
	>"$tmp/extra.tsv"
python3 "$gen" -o "$tmp/base.c" &&
	python3 "$gen" --add-cores "$tmp/extra.tsv" -o "$tmp/new.c" || fails=$((fails + 1))
if diff "$tmp/base.c" "$tmp/new.c" | grep -q '"Cortex-X925"' &&
   [ "$(diff "$tmp/base.c" "$tmp/new.c" | grep -c '^>')" -le 7 ]; then
	echo "ok: a good extra row is one more table entry"
else
	echo "not ok: the extra row"; fails=$((fails + 1))
fi
echo "test_gen_tables: $fails failure(s)"
[ $fails -eq 0 ]
