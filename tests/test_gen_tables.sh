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

# A refused table leaves the output it was to replace as it was.
echo 'not to be overwritten' >"$tmp/t.c"
before=$(md5sum <"$tmp/t.c")
kept() {
	[ "$(md5sum <"$tmp/t.c")" = "$before" ] && return 0
	echo "not ok: a refused table changed the output file"
	fails=$((fails + 1))
	echo 'not to be overwritten' >"$tmp/t.c"
}

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
	kept
}

# one row appended to a copy of latency.tsv, the message it must give;
# Cortex-X925, a core of no row there, comes from --add-cores
check_lat() {
	rm -rf "$tmp/data" && cp -r "$src/harness/data" "$tmp/data" &&
		printf '%s\n' "$1" >>"$tmp/data/latency.tsv" || exit 1
	n=$(wc -l <"$tmp/data/latency.tsv")
	if python3 "$gen" --data "$tmp/data" --add-cores "$src/tests/extra-cores.tsv" \
		-o "$tmp/t.c" 2>"$tmp/err"; then
		echo "not ok: accepted: $1"; fails=$((fails + 1))
	elif grep -q "latency.tsv:$n: $2" "$tmp/err"; then
		echo "ok: $(cat "$tmp/err")"
	else
		echo "not ok: '$1' gave: $(cat "$tmp/err")"; fails=$((fails + 1))
	fi
	kept
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

check_lat "arm64${T}Neoverse N9${T}2${T}a guide" \
	"no arm64 core named 'Neoverse N9' in cores.tsv"
check_lat "x86${T}Neoverse N1${T}4${T}a guide" \
	"no x86 core named 'Neoverse N1'"
check_lat "arm64${T}Neoverse N1${T}3${T}a guide" \
	"arm64 'Neoverse N1' is already in"
check_lat "arm64${T}Cortex-X925${T}three${T}a guide" \
	"cycles 'three' is not a number"
check_lat "arm64${T}Cortex-X925${T}1${T}a guide" \
	"cycles 1: a stated latency must be more than 1"
check_lat "arm64${T}Cortex-X925${T}nan${T}a guide" \
	"cycles nan: a stated latency must be more than 1"
check_lat "arm64${T}Cortex-X925${T}5${T}-" "no source"
check_lat "arm64${T}Cortex-X925${T}5" "3 tab-separated fields, want 4"
check_lat "riscv${T}Cortex-X925${T}5${T}a guide" "arch 'riscv'"

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

# ... and a latency for it, one more latency entry
rm -rf "$tmp/data" && cp -r "$src/harness/data" "$tmp/data" || exit 1
printf 'arm64\tCortex-X925\t2\ta guide\n' >>"$tmp/data/latency.tsv"
python3 "$gen" --data "$tmp/data" --add-cores "$tmp/extra.tsv" \
	-o "$tmp/lat.c" || fails=$((fails + 1))
if diff "$tmp/new.c" "$tmp/lat.c" | grep -q '.core = "Cortex-X925", .cycles = 2.0' &&
   [ "$(diff "$tmp/new.c" "$tmp/lat.c" | grep -c '^>')" -le 3 ]; then
	echo "ok: a latency for a new core is one more latency entry"
else
	echo "not ok: the new core's latency"; fails=$((fails + 1))
fi
# The header is the schema, from gen-tables.py alone: it reads no data
# (a folder without any gives the same header), and it declares every
# table the tables file defines.
mkdir -p "$tmp/nodata"
if python3 "$gen" --header -o "$tmp/t.h" &&
	python3 "$gen" --header --data "$tmp/nodata" -o "$tmp/t2.h" &&
	cmp -s "$tmp/t.h" "$tmp/t2.h"; then
	echo "ok: the header is the schema, whatever the data"
else
	echo "not ok: --header"; fails=$((fails + 1))
fi
for t in $(sed -n 's/^const struct \([a-z_]*\) .*\[\] = {$/\1/p' "$tmp/base.c"); do
	grep -q "^struct $t {" "$tmp/t.h" || {
		echo "not ok: the header lacks struct $t"; fails=$((fails + 1))
	}
done
# ... and no file of the tree writes it again: the enums and row types
# are defined in the generated header only.
again=$(grep -rlE '^(enum tb_role|enum tb_pmu_kind|struct tb_(core|event|metric|latency)_row) \{' \
	"$src/harness" "$src/bench" "$src/variants" "$src/tests" \
	--include='*.[ch]' --include='*.cc' 2>/dev/null)
if [ -z "$again" ]; then
	echo "ok: the tables' types are written in gen-tables.py alone"
else
	echo "not ok: the tables' types written again in: $again"
	fails=$((fails + 1))
fi
echo "test_gen_tables: $fails failure(s)"
[ $fails -eq 0 ]
