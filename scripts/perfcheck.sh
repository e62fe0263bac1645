#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make perfcheck: count one variant's hot loop with trampbench's own
# counters while `perf stat` counts the same span (perf's control FIFOs
# switch it on and off around the loop), then compare the totals.  With a
# hardware PMU they must agree within 3%; without one (a VM) the check
# runs on the task clock, a software event, to the same bound.
#   perfcheck.sh TRAMPBENCH [VARIANT]           count, then compare
#   perfcheck.sh --collect DIR TRAMPBENCH [VARIANT]
#                            count only, into DIR (busybox sh is enough:
#                            a qemu-system guest, scripts/vm/)
#   perfcheck.sh --compare DIR [TOLERANCE]      compare what --collect
#                            left (TOLERANCE in %, default 3; 0: exact)
#   PERFCHECK_EVENTS         hardware events to count (default cycles,
#                            instructions, branches, branch-misses)
set -eu
collect= compare=
case "${1:-}" in
--collect) collect=${2:?usage: perfcheck.sh --collect DIR TRAMPBENCH [VARIANT]}; shift 2 ;;
--compare) compare=${2:?usage: perfcheck.sh --compare DIR [TOLERANCE]}; shift 2 ;;
esac

# Compare DIR/perf.csv with DIR/tb.out, to TOLERANCE percent.
compare() {
	dir=$1 tolerance=$2
	echo "perfcheck: hot/$(cat "$dir/variant"), $(cat "$dir/mode")"
/usr/bin/python3 - "$dir/perf.csv" "$dir/tb.out" "$tolerance" <<'EOPY'
import csv, sys

perf_csv, tb_out, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
perf = {}
for row in csv.reader(l for l in open(perf_csv) if l[:1].isdigit()):
    value, unit, name = row[0], row[1], row[2].split(':')[0]
    # perf reports the task clock in msec, trampbench in ns
    perf[name] = float(value) * (1e6 if unit == 'msec' else 1)
ours = {}
for line in open(tb_out):
    if line.startswith('perfcheck,'):
        _, name, value = line.strip().split(',')
        ours[name] = float(value)
calls = ours.pop('calls', 0)
bad = 0
print('%-16s %16s %16s %8s' % ('event', 'perf stat', 'trampbench', 'diff'))
for name, v in ours.items():
    p = perf.get(name)
    if p is None:
        print('%-16s %16s %16.0f   perf did not count it' % (name, '-', v))
        bad += 1
        continue
    diff = 100.0 * (v - p) / p if p else float('inf')
    ok = abs(diff) <= tol
    bad += not ok
    print('%-16s %16.0f %16.0f %+7.2f%% %s' % (name, p, v, diff,
          'ok' if ok else 'DISAGREE (> %g%%)' % tol))
print('%d calls; %s' % (calls, 'totals agree' if not bad else
                         '%d total(s) disagree' % bad))
sys.exit(1 if bad or not ours else 0)
EOPY
}

if [ -n "$compare" ]; then
	compare "$compare" "${1:-3}"
	exit
fi
prog=${1:?usage: perfcheck.sh TRAMPBENCH [VARIANT]}
variant=${2:-cbz}

command -v perf >/dev/null 2>&1 || {
	echo "perfcheck: perf not found: install linux-perf (Debian) or linux-tools (Ubuntu)" >&2
	exit 1
}
if perf stat -x, -e cycles:u true >/dev/null 2>&1 &&
	! perf stat -x, -e cycles:u true 2>&1 | grep -q 'not supported'; then
	events=${PERFCHECK_EVENTS:-cycles,instructions,branches,branch-misses}
	mode="hardware counters"
else
	events="task-clock"
	mode="software events (no hardware PMU here)"
fi

if [ -n "$collect" ]; then
	dir=$collect
	mkdir -p "$dir"
else
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
fi
rm -f "$dir/ctl" "$dir/ack"
mkfifo "$dir/ctl" "$dir/ack"
echo "$variant" >"$dir/variant"
echo "$mode" >"$dir/mode"
# :u matches trampbench's user-only counting; task-clock takes no modifier.
perf_events=$(echo "$events" | sed -e 's/\([a-z-]*\)/\1:u/g' -e 's/task-clock:u/task-clock/')
perf stat -x, -o "$dir/perf.csv" -e "$perf_events" --delay=-1 \
	--control "fifo:$dir/ctl,$dir/ack" -- \
	"$prog" --no-out --variant "$variant" --events "$events" \
	--perf-control "$dir/ctl,$dir/ack" >"$dir/tb.out" 2>"$dir/tb.err" || {
	cat "$dir/tb.err" >&2
	echo "perfcheck: trampbench under perf stat failed" >&2
	exit 1
}
rm -f "$dir/ctl" "$dir/ack"
[ -n "$collect" ] && exit 0
compare "$dir" 3
