#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make report: the main job.  Install what is missing, build, measure the
# default matrix on this machine (trampbench shows a compact table per
# scenario as it goes), then write report/<run>/summary.txt and the plots
# from the new results file.  From make:
#   ARGS     more trampbench arguments (--quick, --raw-console, ...)
#   OTHER=1  also the other architecture, under qemu-user (emulated: its
#            report says so everywhere; it is not a uarch result)
#   RESULTS  report these saved results files instead of measuring: one
#            a line, or separated by spaces that are not part of an
#            existing file's name (report.py --list)
set -u
cd "$(dirname "$0")/.." || exit 1
PY=/usr/bin/python3	# Debian's, with scipy and matplotlib

if [ -n "${RESULTS:-}" ]; then
	exec "$PY" report/report.py --list "$RESULTS"
fi

scripts/setup.sh || exit 1
. scripts/hostarch.sh
rc=0

# measure ARCH [make variables...]: build, run, report the new file.
measure() {
	arch=$1
	shift
	echo "=== make ARCH=$arch $*"
	make -j"$(nproc)" ARCH="$arch" "$@" || return 1
	run=
	[ "$arch" = "$native" ] ||
		run=$(make -s --no-print-directory ARCH="$arch" "$@" print-RUN)
	mkdir -p results
	before=$(ls results/*.json 2>/dev/null)
	echo "=== ${run:+$run }build/$arch/trampbench ${ARGS:-}"
	# shellcheck disable=SC2086
	$run "build/$arch/trampbench" ${ARGS:-} || return 1
	new=
	for f in results/*.json; do
		echo "$before" | grep -qxF "$f" || new=$f
	done
	if [ -z "$new" ]; then
		echo "report.sh: the run wrote no results file" >&2
		return 1
	fi
	"$PY" report/report.py "$new"
}

measure "$native" || rc=1
if [ "${OTHER:-0}" = 1 ]; then
	measure "$other" CROSS_COMPILE="$cross" || rc=1
fi
exit $rc
