#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make report: the main job.  Install what is missing, build, measure the
# default matrix on this machine RUNS times, each a trampbench process of
# its own (trampbench shows a compact table per scenario as it goes),
# then write report/<name>/summary.txt and the plots from those runs.
# Runs are the unit of every verdict (report/verdict.py): a difference
# is a result only when it holds across them, so one run is not enough.
#   ARGS     more trampbench arguments (--quick, --raw-console, ...)
#   RUNS     how many runs (5); each --repetitions 4 --batches 400 unless
#            ARGS says --quick, --repetitions or --batches, so the five
#            cost what one run of the full default did
#   OTHER=1  also the other architecture, under qemu-user, one run
#            (emulated: its report says so everywhere; not a uarch
#            result, and no verdict)
#   RESULTS  report these saved results files instead of measuring: one
#            a line, or separated by spaces that are not part of an
#            existing file's name (report.py --list)
# The runs of one make report are results/<name>/run1.json ... runK.json
# (<name> the name trampbench gives the first, -2, -3 ... if taken),
# each with run_group, run_index and run_count in its context.
set -u
cd "$(dirname "$0")/.." || exit 1
PY=/usr/bin/python3	# Debian's, with scipy and matplotlib
RUNS=${RUNS:-5}
SIZE='--repetitions 4 --batches 400'

if [ -n "${RESULTS:-}" ]; then
	exec "$PY" report/report.py --list "$RESULTS"
fi

case $RUNS in
'' | *[!0-9]* | 0)
	echo "report.sh: RUNS=$RUNS is not a number of runs: give RUNS=5 (or 3 or more for a verdict)" >&2
	exit 2 ;;
esac
for a in ${ARGS:-}; do
	case $a in
	--out | --out=* | --no-out)
		echo "report.sh: ARGS has $a: make report names its own results (results/<name>/run*.json); drop it, or run build/<arch>/trampbench $a yourself" >&2
		exit 2 ;;
	--quick | --repetitions | --repetitions=* | --batches | --batches=*)
		SIZE= ;;
	esac
done

scripts/setup.sh || exit 1
. scripts/hostarch.sh
rc=0

# new_file BEFORE: the results/*.json not in the list BEFORE, or "".
new_file() {
	new=
	for f in results/*.json; do
		[ -e "$f" ] || continue
		echo "$1" | grep -qxF "$f" || new=$f
	done
	echo "$new"
}

# free_dir STEM: results/STEM, or STEM-2, -3 ... where neither it nor
# report/ of the same name exists.
free_dir() {
	d=$1 k=1
	while [ -e "results/$d" ] || [ -e "report/$d" ]; do
		k=$((k + 1))
		d=$1-$k
	done
	echo "results/$d"
}

# measure ARCH RUNS [make variables...]: build, run RUNS times, report.
measure() {
	arch=$1 runs=$2
	shift 2
	echo "=== make ARCH=$arch $*"
	make -j"$(nproc)" ARCH="$arch" "$@" || return 1
	run=
	[ "$arch" = "$native" ] ||
		run=$(make -s --no-print-directory ARCH="$arch" "$@" print-RUN)
	mkdir -p results
	group="$(hostname -s 2>/dev/null || echo host)-$(date -u +%Y%m%dT%H%M%SZ)-$$"
	ctx=
	size=$SIZE
	if [ "$runs" -gt 1 ]; then
		ctx="--benchmark_context=run_group=$group,run_index=1,run_count=$runs"
	else
		size=
	fi
	before=$(ls results/*.json 2>/dev/null)
	echo "=== ${run:+$run }build/$arch/trampbench ${ARGS:-} $size${ctx:+ (run 1 of $runs)}"
	# shellcheck disable=SC2086
	$run "build/$arch/trampbench" ${ARGS:-} $size $ctx || return 1
	first=$(new_file "$before")
	if [ -z "$first" ]; then
		echo "report.sh: the run wrote no results file" >&2
		return 1
	fi
	if [ "$runs" -eq 1 ]; then
		"$PY" report/report.py "$first"
		return
	fi
	dir=$(free_dir "$(basename "$first" .json)")
	mkdir "$dir" && mv "$first" "$dir/run1.json" || return 1
	files="$dir/run1.json"
	i=2
	while [ "$i" -le "$runs" ]; do
		ctx="--benchmark_context=run_group=$group,run_index=$i,run_count=$runs"
		echo "=== ${run:+$run }build/$arch/trampbench ${ARGS:-} $size (run $i of $runs)"
		# shellcheck disable=SC2086
		if ! $run "build/$arch/trampbench" ${ARGS:-} $size \
			--out "$dir/run$i.json" $ctx; then
			echo "report.sh: run $i of $runs failed; the runs before it are in $dir/ (make report RESULTS='$dir/run*.json' reports them)" >&2
			return 1
		fi
		files="$files
$dir/run$i.json"
		i=$((i + 1))
	done
	"$PY" report/report.py --list "$files"
}

measure "$native" "$RUNS" || rc=1
if [ "${OTHER:-0}" = 1 ]; then
	measure "$other" 1 CROSS_COMPILE="$cross" || rc=1
fi
exit $rc
