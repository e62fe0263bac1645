#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The remote half of scripts/fleet.sh, run by GNU parallel on each host
# from the tree it sent (git archive, unpacked in ./tree of the host's
# remote folder):
#
#   sh tree/scripts/fleet-remote.sh KEY VERSION [--no-setup] [-- ARGS...]
#
# set-up (scripts/setup.sh, unless --no-setup), a native build, the
# variant self-test, then trampbench ARGS, writing KEY/KEY.json in the
# remote folder (fleet.sh fetches it with parallel's --return).  Every
# stage is announced on stdout as one line the local side reads:
#
#   tb-fleet: stage NAME               NAME: setup build self-test run
#   tb-fleet: ok NAME SECONDS
#   tb-fleet: failed NAME REASON       then exit 10 + the stage's number
#   tb-fleet: done
#
# so "build failed" is told apart from "self-test failed" and from a host
# that never answered (no line at all).  Everything else the stages print
# follows on stdout too (stderr joined to it): that stream is the host's
# log.  VERSION is recorded by the build (make TB_VERSION=), since an
# unpacked archive has no git history to describe.  Ctrl-C on the local
# side ends the ssh session; parallel's remote wrapper then signals this
# script's process group, which holds every stage's processes.
set -u
exec 2>&1

if [ $# -lt 2 ]; then
	echo "usage: fleet-remote.sh KEY VERSION [--no-setup] [-- ARGS...]"
	exit 2
fi
key=$1
version=$2
shift 2
setup=yes
while [ $# -gt 0 ]; do
	case $1 in
	--no-setup) setup=no ;;
	--) shift; break ;;
	*) echo "fleet-remote.sh: unknown option '$1'"; exit 2 ;;
	esac
	shift
done

top=$(pwd)
out=$top/$key
mkdir -p "$out" || exit 2
cd tree || exit 2

say() { echo "tb-fleet: $*"; }
t0=0
begin() {
	stage=$1
	t0=$(date +%s)
	say "stage $stage"
}
ok() { say "ok $stage $(($(date +%s) - t0))"; }
# Run a stage's command, its output also kept in $out/stage.log; rc set.
# why: the stage's first error line, for the reason a failure gives.
run() {
	{ "$@" </dev/null 2>&1; echo $? >"$out/stage.rc"; } | tee "$out/stage.log"
	rc=$(cat "$out/stage.rc")
	why=$(grep -m1 -i -E 'error|not found|denied|failed|FAIL|^sudo: |are you root' \
		"$out/stage.log" | cut -c1-160)
}
fail() {
	code=$1
	shift
	say "failed $stage $*"
	exit "$code"
}

say "host $(uname -n) $(uname -m) $(uname -r), folder $top, trampbench $version${CC+, CC=$CC from the environment}"
case "$(uname -m)" in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) begin build; fail 11 "unsupported machine $(uname -m) (x86_64 or aarch64 only)" ;;
esac

if [ "$setup" = yes ]; then
	begin setup
	run scripts/setup.sh
	# apt's own error, if any, says more than setup.sh's line before it
	e=$(grep -m1 '^E: ' "$out/stage.log" | cut -c1-160)
	[ -z "$e" ] || why=$e
	# the sudo hint only where sudo or root was what failed
	case $why in
	sudo:* | *"are you root"* | *"Permission denied"*)
		hint="root or password-less sudo needed; --no-setup skips it" ;;
	*) hint="--no-setup skips it" ;;
	esac
	[ "$rc" -eq 0 ] || fail 10 "scripts/setup.sh exited $rc${why:+: $why} ($hint)"
	ok
fi

begin build
jobs=$(nproc 2>/dev/null || echo 1)
run make -j"$jobs" TB_VERSION="$version"
[ "$rc" -eq 0 ] || fail 11 "make exited $rc${why:+: $why}"
ok

prog=$(pwd)/build/$arch/trampbench
begin self-test
run "$prog" --self-test
[ "$rc" -eq 0 ] || fail 12 "trampbench --self-test exited $rc${why:+: $why}"
ok

begin run
result=$out/$key.json
if [ -e "$result" ]; then
	# trampbench never overwrites; an earlier result here was not
	# fetched (or the fleet was resumed): keep it aside, never lose it
	n=1
	while [ -e "$result.$n" ]; do n=$((n + 1)); done
	mv "$result" "$result.$n"
	echo "fleet-remote.sh: an earlier $key.json here kept as $key.json.$n"
fi
set -f
# shellcheck disable=SC2068
run "$prog" $@ --out "$result"
[ "$rc" -eq 0 ] || fail 13 "trampbench exited $rc${why:+: $why}"
[ -s "$result" ] || fail 13 "trampbench wrote no $result"
ok
say 'done'
