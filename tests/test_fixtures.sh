#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every machine of tests/fixtures/ through trampbench --check,
# --list-cpus and --list-events against its recorded tree (--root), with
# the exact expected output of tests/fixtures/expected/<machine>.<what>
# and the exit status --check promises (0: a pmu-mode run is possible).
# No PMU, libpfm4 model or CPU of this host is asked: the same output on
# any host, natively and under qemu.  Then the cortex-x925 machine,
# whose core is in no row of harness/data/cores.tsv, through
# trampbench-extra, built with one more data row (tests/extra-cores.tsv):
# a new core needs no C change.
#
#   TB_SRC, TB_BUILD  source and build folders; RUN  emulator prefix
#   TB_FIXTURES_UPDATE=1  rewrite the expected files (then read the diff)
src=${TB_SRC:?TB_SRC is not set}
tb=${TB_BUILD:?TB_BUILD is not set}/trampbench
extra=$TB_BUILD/tests/trampbench-extra
exp=$src/tests/fixtures/expected
unset LIBPFM_FORCE_PMU	# the trees speak for themselves
fails=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

bad() { echo "not ok: $*"; fails=$((fails + 1)); }

# machine, and the --check exit status it must give
while read -r m rc; do
	[ -d "$src/tests/fixtures/$m" ] || { bad "$m: no fixture"; continue; }
	for what in check list-cpus list-events; do
		(cd "$src/tests/fixtures" && $RUN "$tb" --$what --root "$m") \
			>"$tmp/out" 2>&1
		got=$?
		if [ "$TB_FIXTURES_UPDATE" = 1 ]; then
			cp "$tmp/out" "$exp/$m.$what"
		elif ! diff -u "$exp/$m.$what" "$tmp/out"; then
			bad "$m --$what: output differs (above)"
			continue
		fi
		want=0
		[ $what = check ] && want=$rc
		if [ $got -ne "$want" ]; then
			bad "$m --$what: exit $got, want $want"
			continue
		fi
		echo "ok: $m --$what (exit $got)"
	done
done <<EOF2
graviton2 0
graviton3 0
graviton4 0
ampere-altra 0
ampereone 0
grace 0
apple-m1 0
apple-m2 0
rk3399 0
rpi4-a72 0
x86-zen3 0
x86-zen4 1
x86-zen5 0
intel-adl 1
cortex-x925 0
EOF2

# big.LITTLE: each core type's raw events on its own PMU's type
(cd "$src/tests/fixtures" &&
 $RUN "$tb" --list-events --root rk3399 --cpu 0 --events CPU_CYCLES) \
	>"$tmp/little" 2>&1
if grep -q 'CPU_CYCLES  *armv8_cortex_a53  *type 8 config 0x11$' \
	"$tmp/little"; then
	echo "ok: rk3399 cpu 0 counts on armv8_cortex_a53 (type 8)"
else
	bad "rk3399 cpu 0: not on armv8_cortex_a53's type"; cat "$tmp/little"
fi

# One data row: the unknown core gets its name with no C change.
(cd "$src/tests/fixtures" && $RUN "$tb" --check --root cortex-x925) \
	>"$tmp/plain" 2>&1
(cd "$src/tests/fixtures" && $RUN "$extra" --check --root cortex-x925) \
	>"$tmp/extra" 2>&1
if grep -q '^core: *unknown arm64 PMUv3 core' "$tmp/plain" &&
   grep -q '^core: *Cortex-X925 (Cortex-X925), MIDR 0x410fd850' \
	"$tmp/extra"; then
	echo "ok: cortex-x925 is known once its data row is added"
else
	bad "cortex-x925: the extra data row was not picked up"
	cat "$tmp/plain" "$tmp/extra"
fi

# Bad input: one line that says what to do, and a nonzero exit.
$RUN "$tb" --check --root /nonexistent/tree >"$tmp/err" 2>&1
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
   grep -q "not a readable folder" "$tmp/err"; then
	echo "ok: --root of a missing folder: $(cat "$tmp/err")"
else
	bad "--root /nonexistent/tree: exit $rc"; cat "$tmp/err"
fi
(cd "$src/tests/fixtures" && $RUN "$tb" --check --root rk3399 --cpu 9) \
	>"$tmp/err" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q -- "--cpu 9: not an online CPU (valid: 0-5)" \
	"$tmp/err"; then
	echo "ok: --cpu of the tree checked: $(cat "$tmp/err")"
else
	bad "--check --cpu 9 on rk3399: exit $rc"; cat "$tmp/err"
fi

# This machine, whatever it is: the screen prints without a PMU, and the
# exit status agrees with the verdict (under qemu: emulated, never ready).
$RUN "$tb" --check >"$tmp/live" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	verdict='^verdict: *ready for a pmu-mode run$'
else
	verdict='^verdict: *not ready'
fi
if [ $rc -le 1 ] && grep -q "$verdict" "$tmp/live" &&
   grep -q '^patch mode: ' "$tmp/live" && grep -q '^timer: ' "$tmp/live" &&
   { [ -z "$RUN" ] || grep -q '^counter mode: *emulated' "$tmp/live"; }; then
	echo "ok: --check here: $(grep '^counter mode' "$tmp/live"), exit $rc"
else
	bad "--check on this machine: exit $rc"; cat "$tmp/live"
fi

echo "test_fixtures: $fails failure(s)"
[ $fails -eq 0 ]
