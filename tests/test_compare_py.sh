#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Google Benchmark's JSON, as the shim publishes it, loads unchanged in
# Google Benchmark's own compare.py: two runs of tests/test_gbench
# (TB_GBENCH_JSON_OUT mode), compared.
#   TB_BUILD  absolute build directory      RUN  emulator prefix, or empty
COMPARE=/usr/share/benchmark/compare.py
PYTHON=/usr/bin/python3	# Debian's, with scipy; not whatever is on PATH

if [ ! -f "$COMPARE" ]; then
	echo "$COMPARE is missing: install libbenchmark-tools"
	exit 1
fi
if ! "$PYTHON" -c 'import scipy, numpy' 2>/dev/null; then
	echo "$PYTHON cannot import scipy/numpy (compare.py needs them):" \
	     "install python3-scipy"
	exit 1
fi
bin=${TB_BUILD:?TB_BUILD is not set}/tests/test_gbench
if [ ! -x "$bin" ]; then
	echo "$bin is missing: build it first (make check does)"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

for run in a b; do
	# $RUN unquoted: empty natively, "qemu-aarch64" for arm64.
	if ! TB_GBENCH_JSON_OUT="$tmp/$run.json" $RUN "$bin" \
			>"$tmp/$run.log" 2>&1; then
		cat "$tmp/$run.log"
		echo "test_gbench could not write $tmp/$run.json"
		exit 1
	fi
done

if ! "$PYTHON" "$COMPARE" --no-color benchmarks "$tmp/a.json" \
		"$tmp/b.json" >"$tmp/compare.out" 2>&1; then
	cat "$tmp/compare.out"
	echo "compare.py failed on the shim's JSON"
	exit 1
fi
cat "$tmp/compare.out"
# One comparison line per benchmark, aggregates included.
for name in tb_test/batch/manual_time tb_test/batch/manual_time_median \
	    tb_test/loop/repeats:2; do
	if ! grep -q "^$name " "$tmp/compare.out"; then
		echo "compare.py printed no line for $name"
		exit 1
	fi
done
echo "compare.py compared the shim's JSON"
