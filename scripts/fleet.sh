#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Measure a list of machines over ssh and merge their results: the
# driver behind `make fleet HOSTS=hosts.txt`.  GNU parallel is the engine
# (one job per host, pinned to it with --hostgroups; --transferfile and
# --return move the files with rsync; --joblog keeps the record); OpenSSH
# underneath.  scripts/fleet-remote.sh is what runs on each host.
#
#   scripts/fleet.sh [options] HOSTS [-- TRAMPBENCH-ARGS...]
#
#   -F FILE        ssh config to use (also SSH_CONFIG=FILE)
#   --no-setup     do not run scripts/setup.sh on the hosts
#   --resume       go on in the newest results/fleet-*/ (or --dir): hosts
#                  whose result is there are not run again
#   --dir DIR      the fleet's folder (default results/fleet-YYYYMMDD,
#                  -2, -3 ... when it exists)
#   --results DIR  where fleet-* folders go (default results/)
#   --worktree     send the working tree's tracked files, uncommitted
#                  changes included (git stash create; new files once
#                  git add-ed), not HEAD
#
# HOSTS: one host a line, as ssh takes it (user@host, a Host alias of
# the ssh config, host:port, user@host:port, ssh://user@host:port,
# [v6addr]:port), then optionally the remote folder (default
# trampbench-fleet/NAME under the remote home); '#' starts a comment.
# A host listed twice (the same user@host and port) is refused.
# Results: DIR/NAME/NAME.json and DIR/NAME/run.log per host (NAME is the
# destination made path-safe), DIR/joblog (parallel's), DIR/fleet.txt
# (the hosts' outcomes), DIR/merge/ (report/merge's folder: merge.txt,
# merge.json, the plots; a merge replaces only a folder of its own).
# Exit 0 when every host gave a result and the merge succeeded.
set -u
set -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
me=fleet
say() { printf '%s: %s\n' "$me" "$*"; }
die() {
	say "$*" >&2
	exit 2
}
usage() {
	sed -n '/^#   scripts\/fleet.sh/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

ssh_config=${SSH_CONFIG:-}
setup=yes
resume=no
dir=
results=$top/results
worktree=no
hosts=
while [ $# -gt 0 ]; do
	case $1 in
	-F) [ $# -ge 2 ] || usage; ssh_config=$2; shift ;;
	--no-setup) setup=no ;;
	--resume) resume=yes ;;
	--dir) [ $# -ge 2 ] || usage; dir=$2; shift ;;
	--results) [ $# -ge 2 ] || usage; results=$2; shift ;;
	--worktree) worktree=yes ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) [ -z "$hosts" ] || die "one hosts file, not '$hosts' and '$1'"
	   hosts=$1 ;;
	esac
	shift
done
args=("$@")
[ -n "$hosts" ] || die "no hosts file: make fleet HOSTS=hosts.txt (one ssh destination a line)"
[ -r "$hosts" ] || die "cannot read hosts file '$hosts'"
if [ -n "$ssh_config" ]; then
	[ -r "$ssh_config" ] || die "cannot read ssh config '$ssh_config'"
	ssh_config=$(cd "$(dirname "$ssh_config")" && pwd)/$(basename "$ssh_config")
	case $ssh_config in *[[:space:],]*)
		die "the ssh config's path may not hold a space or a comma (parallel splits its logins on them): $ssh_config" ;;
	esac
fi
for c in parallel ssh rsync git python3; do
	command -v "$c" >/dev/null 2>&1 ||
		die "$c is not installed (scripts/setup.sh installs it; Debian: parallel openssh-client rsync git python3)"
done

# POSIX-shell quoting for what the remote shell evaluates.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
fmt_t() {
	local s=$1
	[ "$s" -lt 0 ] && s=0
	if [ "$s" -ge 3600 ]; then
		printf '%dh%02dm' $((s / 3600)) $((s % 3600 / 60))
	else
		printf '%dm%02ds' $((s / 60)) $((s % 60))
	fi
}

# ---- the hosts ----------------------------------------------------------
# dest[i]: as written; login[i]: ssh's destination; port[i]; rdir[i];
# key[i]: the path-safe, unique name of its results folder.
dest=() login=() port=() rdir=() key=()
declare -A taken=() seen=()
line_of=()
n=0
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	line=${line%$'\r'}
	line=${line%%#*}
	read -r d r extra <<<"$line"
	[ -n "${d:-}" ] || continue
	[ -z "${extra:-}" ] ||
		die "$hosts:$lineno: one destination and one remote folder at most, not '$line'"
	case ${r:-} in *[[:space:],@]*)
		die "$hosts:$lineno: the remote folder may not hold a space, a comma or an @" ;;
	esac
	h=${d#ssh://}
	u='' p=''
	case $h in *@*) u=${h%@*}@ h=${h##*@} ;; esac
	case $h in
	\[*\]:*) p=${h##*:} h=${h%:*} h=${h#[} h=${h%]} ;;
	\[*\]) h=${h#[} h=${h%]} ;;
	*:*:*) ;;			# a bare IPv6 address
	*:*) p=${h##*:} h=${h%:*} ;;
	esac
	case $p in *[!0-9]*) die "$hosts:$lineno: bad port '$p' in '$d'" ;; esac
	[ -n "$h" ] || die "$hosts:$lineno: no host in '$d'"
	# parallel merges sshlogins that are the same user@host and port: a
	# host listed twice (however spelt) would be a job that never starts
	id=$u$h
	[ -n "$p" ] && id=$id:$((10#$p))
	if [ -n "${seen[$id]:-}" ]; then
		j=${seen[$id]}
		if [ "${dest[line_of[j]]}" = "$d" ]; then
			die "$hosts: host '$d' is listed twice, on lines $j and $lineno: list each host once (two runs on one machine need two Host aliases in the ssh config)"
		fi
		die "$hosts: '${dest[line_of[j]]}' (line $j) and '$d' (line $lineno) are the same host: list each host once (two runs on one machine need two Host aliases in the ssh config)"
	fi
	seen[$id]=$lineno
	line_of[lineno]=$n
	k=$(printf '%s' "$d" | sed -e 's,^ssh://,,' -e 's/[^A-Za-z0-9._-]/_/g' -e 's/^[.]/_/')
	base=$k
	j=2
	while [ -n "${taken[$k]:-}" ]; do
		k=$base-$j
		j=$((j + 1))
	done
	taken[$k]=1
	dest[n]=$d login[n]=$u$h port[n]=$p key[n]=$k
	rdir[n]=${r:-trampbench-fleet/$k}
	n=$((n + 1))
done <"$hosts"
[ $n -gt 0 ] || die "$hosts lists no host"

# ---- the fleet's folder -------------------------------------------------
if [ -z "$dir" ]; then
	if [ $resume = yes ]; then
		# shellcheck disable=SC2012
		dir=$(ls -d "$results"/fleet-* 2>/dev/null | sort -V | tail -n 1)
		[ -n "$dir" ] || die "--resume: no $results/fleet-* to resume"
	else
		dir=$results/fleet-$(date +%Y%m%d)
		j=2
		while [ -e "$dir" ]; do
			dir=$results/fleet-$(date +%Y%m%d)-$j
			j=$((j + 1))
		done
	fi
fi
[ $resume = yes ] && [ ! -d "$dir" ] && die "--resume: no folder $dir"
mkdir -p "$dir" || die "cannot make $dir"
dir=$(cd "$dir" && pwd)

# ---- what is sent: the committed tree -----------------------------------
cd "$top" || exit 2
commit=$(git rev-parse --verify -q HEAD) || die "$top is not a git checkout with a commit"
version=$(git describe --always "$commit")
# tracked files only: results/fleet-* of earlier runs are untracked too
dirty=$(git status --porcelain --untracked-files=no)
if [ $worktree = yes ]; then
	stash=$(git stash create) || die "git stash create failed"
	if [ -n "$stash" ]; then
		commit=$stash
		version=$version-dirty
	fi
elif [ -n "$dirty" ]; then
	say "warning: uncommitted changes are not sent; the hosts run commit $version as committed (--worktree sends tracked changes too)" >&2
fi
if [ -f "$dir/fleet.version" ]; then
	old=$(cat "$dir/fleet.version")
	[ "$old" = "$version" ] ||
		say "warning: $dir holds results of trampbench $old; new ones are $version: the merge labels each column's version, compare across them with care" >&2
fi
echo "$version" >"$dir/fleet.version.tmp" && mv "$dir/fleet.version.tmp" "$dir/fleet.version"

# the stage's path goes into parallel's logins, which split on blanks and commas
tmpd=${TMPDIR:-/tmp}
case $tmpd in *[[:space:],]*) tmpd=/tmp ;; esac
stage=$(mktemp -d "$tmpd/tb-fleet.XXXXXX") || exit 2
trap 'rm -rf "$stage"' EXIT
git archive --format=tar -o "$stage/tb.tar" "$commit" || die "git archive failed"

# ---- which hosts run ----------------------------------------------------
sshopts="-o BatchMode=yes -o ConnectTimeout=20 -o ServerAliveInterval=15 -o ServerAliveCountMax=4"
[ -n "$ssh_config" ] && sshopts="-F $ssh_config $sshopts"
run=() jobseq=()
: >"$stage/slf"
# parallel runs each job's every ssh (transfer, command, return) through
# this, which marks the job (its Seq) as started
# shellcheck disable=SC2016 # PARALLEL_SEQ: the wrapper's, at each call
printf '#!/bin/sh\n: >"%s/started.${PARALLEL_SEQ:-0}"\nexec ssh "$@"\n' \
	"$stage" >"$stage/ssh"
chmod +x "$stage/ssh"
for ((i = 0; i < n; i++)); do
	k=${key[i]}
	mkdir -p "$dir/$k"
	if [ -s "$dir/$k/$k.json" ]; then
		say "${dest[i]}: skipped, its result is already here ($dir/$k/$k.json)"
		continue
	fi
	# a log of an earlier try is kept, never overwritten
	if [ -e "$dir/$k/run.log" ]; then
		j=1
		while [ -e "$dir/$k/run.log.$j" ]; do j=$((j + 1)); done
		mv "$dir/$k/run.log" "$dir/$k/run.log.$j"
	fi
	: >"$dir/$k/run.log"
	echo "@h$i/1/$stage/ssh $sshopts ${port[i]:+-p ${port[i]} }${login[i]}" >>"$stage/slf"
	run+=("$i")
	jobseq[i]=${#run[@]}	# the job's Seq in the joblog
done

# ---- the state of each host, as it runs ---------------------------------
# ETA: each stage's mean time on the hosts that finished it in this run,
# else a guess; in the run stage trampbench's own ETA once it gives one.
quick=no
for a in "${args[@]}"; do [ "$a" = --quick ] && quick=yes; done
declare -A guess=([connect]=20 [setup]=180 [build]=120 [self-test]=5 [run]=180 [fetch]=5)
[ $quick = yes ] && guess[run]=20
stages="connect setup build self-test run fetch"
[ $setup = no ] && stages="connect build self-test run fetch"

# jobrow I: "EXITVAL SIGNAL" of host I's job in this run's joblog, or
# nothing while parallel has not ended it (or never started it)
jobrow() {
	[ -n "${jobseq[$1]:-}" ] && [ -f "$dir/joblog" ] || return 0
	tail -n +$((joblog_start + 1)) "$dir/joblog" |
		awk -F'\t' -v s="${jobseq[$1]}" '$1 == s { print $7, $8; exit }'
}
was_interrupted() { [ $interrupted = yes ]; }

# verdict I: the host's outcome, one line, from its files and its row of
# the joblog: the first thing that went wrong, never a guess
valid_json() {
	python3 - "$1" <<-'EOF' 2>/dev/null
	import json, sys
	d = json.load(open(sys.argv[1]))
	c = d["context"]
	assert isinstance(d["benchmarks"], list) and d["benchmarks"]
	print("%s|%s|%s|%s" % (c.get("core_name", "?"), c.get("counter_mode", "?"),
	      c.get("trampbench_version", "?"), c.get("kernel", "?")))
	EOF
}
verdict() {
	local i=$1 k=${key[$1]} log why row ex sig st hint=
	log=$dir/$k/run.log
	if [ -s "$dir/$k/$k.json" ]; then
		if valid_json "$dir/$k/$k.json" >/dev/null; then
			echo "ok"
		else
			echo "failed: $k.json came back but is not valid trampbench JSON"
		fi
		return
	fi
	if why=$(grep -m1 '^tb-fleet: failed ' "$log"); then
		why=${why#tb-fleet: failed }
		echo "${why%% *} failed: ${why#* }"
		return
	fi
	row=$(jobrow "$i")
	if [ -z "$row" ] && [ ! -e "$stage/started.${jobseq[i]:-}" ]; then
		if was_interrupted; then
			echo "interrupted: stopped by Ctrl-C; parallel had not started its job"
		else
			echo "not started: parallel ended without starting its job${prc:+ (parallel exit $prc)}"
		fi
		return
	fi
	# no row for a job that started: parallel was stopped before it ended
	ex='' sig=0
	[ -n "$row" ] && read -r ex sig <<<"$row"
	st=$(grep '^tb-fleet: stage ' "$log" | tail -n 1 | cut -d' ' -f3)
	if ! grep -q '^tb-fleet: host ' "$log"; then
		# the remote script never began: ssh, the transfer or the unpacking
		why=$(grep -m1 -E '^ssh: |Connection (refused|timed out|closed)|Could not resolve|Permission denied \(|Host key verification|No route|Network is unreachable' "$log")
		if [ -n "$why" ]; then
			echo "unreachable: $why"
		elif was_interrupted; then
			echo "interrupted: stopped by Ctrl-C while connecting"
		elif [ -z "$ex" ]; then
			echo "failed: parallel ended${prc:+ (exit $prc)} while it connected"
		elif [ "$ex" = 255 ]; then
			echo "unreachable: ssh exit 255, nothing printed"
		else
			why=$(grep -m1 . "$log")
			case "$why" in *"not found"* | *"No such file"*)
				hint=" (tar, sh and rsync are needed on the host)" ;;
			esac
			echo "start failed: ${why:-nothing printed} (exit $ex)$hint"
		fi
	elif was_interrupted; then
		grep -q '^tb-fleet: done' "$log" && st=fetch
		echo "interrupted: stopped by Ctrl-C in its ${st:-first} stage"
	elif [ -z "$ex" ]; then
		echo "failed: parallel ended${prc:+ (exit $prc)} during its ${st:-first} stage"
	elif grep -q '^tb-fleet: done' "$log"; then
		echo "fetch failed: $k.json did not come back (exit $ex)"
	elif [ "$sig" != 0 ]; then
		echo "failed: killed by signal $sig in its ${st:-first} stage"
	else
		echo "failed: exit $ex in its ${st:-first} stage, which gave no reason"
	fi
}

line() { printf '%-30s %-13s %7s  %s\n' "$1" "$2" "$3" "$4"; }

monitor() {
	trap '' INT
	local t k i s last_beat=0 rest text approx E R
	declare -A idx=() state=() since=() born=() runeta=() runeta_at=() sum=() cnt=() over=() ended=()
	for i in "${run[@]}"; do
		idx[${key[i]}]=$i
		state[${key[i]}]=connect
		since[${key[i]}]=$SECONDS
		born[${key[i]}]=$SECONDS
	done
	est() {	# est STAGE: E its expected seconds; approx=1 when guessed
		if [ "${cnt[$1]:-0}" -gt 0 ]; then
			E=$((sum[$1] / cnt[$1]))
		else
			approx=1
			E=${guess[$1]}
		fi
	}
	eta() {	# eta KEY: R the seconds left for that host
		local k=$1 st=${state[$1]} after=no s x
		R=0
		for s in $stages; do
			if [ $after = yes ]; then
				est "$s"
				R=$((R + E))
			elif [ "$s" = "$st" ]; then
				after=yes
				if [ "$s" = run ] && [ -n "${runeta[$k]:-}" ]; then
					x=$((runeta[$k] - (SECONDS - runeta_at[$k])))
				else
					est "$s"
					x=$((E - (SECONDS - since[$k])))
				fi
				[ $x -lt 0 ] && x=0
				R=$((R + x))
			fi
		done
	}
	show() {	# show KEY: its line
		local k=$1 i=${idx[$1]} mark=
		approx=0
		eta "$k"
		[ $approx = 1 ] && mark='~'
		line "${dest[i]}" "${state[$k]}" "$(fmt_t $((SECONDS - born[$k])))" \
			"eta $mark$(fmt_t "$R")"
	}
	finish() {	# finish I
		local i=$1 k=${key[$1]} v
		over[$k]=1
		v=$(verdict "$i")
		state[$k]=${v%%:*}
		line "${dest[i]}" "${v%%:*}" "$(fmt_t $((SECONDS - born[$k])))" \
			"$([ "$v" = ok ] && echo "$dir/$k/$k.json" || echo "${v#*: } (log: $dir/$k/run.log)")"
	}
	for i in "${run[@]}"; do show "${key[i]}"; done
	while :; do
		if IFS= read -r -t 2 text; then
			text=${text%%$'\r'*}	# ssh ends its errors with \r\n
			k=${text%%$'\t'*}
			if [ "$k" = "$text" ] || [ -z "${idx[$k]:-}" ]; then
				printf '%s\n' "$text" >&2	# parallel's own
				continue
			fi
			rest=${text#*$'\t'}
			printf '%s\n' "$rest" >>"$dir/$k/run.log"
			case $rest in
			"tb-fleet: stage "*)
				state[$k]=${rest#tb-fleet: stage }
				since[$k]=$SECONDS
				show "$k" ;;
			"tb-fleet: host "*)
				s=$((SECONDS - since[$k]))
				sum[connect]=$((${sum[connect]:-0} + s))
				cnt[connect]=$((${cnt[connect]:-0} + 1)) ;;
			"tb-fleet: ok "*)
				# shellcheck disable=SC2086
				set -- $rest
				sum[$3]=$((${sum[$3]:-0} + $4))
				cnt[$3]=$((${cnt[$3]:-0} + 1)) ;;
			"tb-fleet: done")
				state[$k]=fetch
				since[$k]=$SECONDS ;;
			"tb-fleet: failed "*)
				state[$k]=failing ;;
			"trampbench: "*"% of "*" repetitions, ETA "*)
				t=${rest##*ETA }
				runeta[$k]=$((10#${t%%m*} * 60 + 10#$(echo "${t#*m}" | tr -dc 0-9)))
				runeta_at[$k]=$SECONDS ;;
			esac
		else
			[ $? -gt 128 ] || break		# end of the stream
		fi
		# jobs that ended: the joblog's new lines (Seq is the input order)
		if [ -f "$dir/joblog" ]; then
			while IFS=$'\t' read -r s _; do
				[ "$s" = Seq ] && continue
				i=${run[s - 1]:-}
				[ -n "$i" ] || continue
				k=${key[i]}
				[ -z "${over[$k]:-}" ] || continue
				# parallel may still be passing on its last lines:
				# finish once its last marker came; a host never
				# reached has none (a few seconds), one killed
				# mid-stage neither (half a minute)
				[ -n "${ended[$k]:-}" ] || ended[$k]=$SECONDS
				case ${state[$k]} in
				fetch | failing) finish "$i" ;;
				connect) [ $((SECONDS - ended[$k])) -lt 3 ] || finish "$i" ;;
				*) [ $((SECONDS - ended[$k])) -lt 30 ] || finish "$i" ;;
				esac
			done < <(tail -n +$((joblog_start + 1)) "$dir/joblog")
		fi
		if [ $((SECONDS - last_beat)) -ge 60 ]; then
			last_beat=$SECONDS
			for i in "${run[@]}"; do
				[ -z "${over[${key[i]}]:-}" ] && show "${key[i]}"
			done
		fi
	done
	# a job parallel did not end (it was stopped, or failed): whether by
	# Ctrl-C only the main shell knows, once the pipeline is over (its
	# trap waits for that), so that outcome is left to the table below
	for i in "${run[@]}"; do
		[ -z "${over[${key[i]}]:-}" ] && [ -n "$(jobrow "$i")" ] &&
			finish "$i"
	done
	return 0
}

interrupted=no
prc=
joblog_start=0
[ -f "$dir/joblog" ] && joblog_start=$(wc -l <"$dir/joblog")
if [ ${#run[@]} -gt 0 ]; then
	flags=
	[ $setup = no ] && flags=" --no-setup"
	rargs=
	for a in "${args[@]}"; do rargs="$rargs $(q "$a")"; done
	cmd="rm -rf tree && mkdir tree && tar -xf tb.tar -C tree && exec sh tree/scripts/fleet-remote.sh {2} $(q "$version")$flags --$rargs"
	ga=() ka=() wa=()
	for i in "${run[@]}"; do
		ga+=("$i@h$i") ka+=("${key[i]}") wa+=("${rdir[i]}")
	done
	say "${#run[@]} host(s) of $n, trampbench $version, results in $dir"
	say "ETA: each stage's mean time on the hosts that finished it, else a guess (~: setup ${guess[setup]}s, build ${guess[build]}s, run ${guess[run]}s); in the run, trampbench's own"
	line host state elapsed "eta / outcome"
	trap 'interrupted=yes' INT TERM
	cd "$dir" || exit 2
	# --hostgroups pins job i to host i (its argument's @h$i); --wd is the
	# host's remote folder, where tb.tar goes and {2}/{2}.json comes from
	# --termseq: when parallel is stopped (Ctrl-C), how its wrapper on the
	# host, seeing its ssh session gone, stops the job's process group
	parallel --hostgroups --sshloginfile "$stage/slf" -j1 \
		--joblog +"$dir/joblog" --line-buffer --tagstring '{2}' \
		--wd '{3}' --transferfile "$stage/./tb.tar" --return '{2}/{2}.json' \
		--termseq INT,1000,TERM,1000,KILL,25 \
		"$cmd" ::: "${ga[@]}" :::+ "${ka[@]}" :::+ "${wa[@]}" 2>&1 | monitor
	prc=${PIPESTATUS[0]}
	trap - INT TERM
	cd "$top" || exit 2
fi

# ---- outcomes, then the merge -------------------------------------------
good=() bad=0 versions=
{
	printf '%-30s %-13s %-8s %-14s %s\n' host outcome mode version "core, kernel / reason"
	for ((i = 0; i < n; i++)); do
		k=${key[i]}
		v=$(verdict "$i")
		if [ "$v" = ok ]; then
			IFS='|' read -r core mode ver kern <<<"$(valid_json "$dir/$k/$k.json")"
			good+=("$dir/$k/$k.json")
			case " $versions " in *" $ver "*) ;; *) versions="$versions $ver" ;; esac
			note=
			[ "$mode" = pmu ] || note=" [$mode mode: no hardware counters]"
			printf '%-30s %-13s %-8s %-14s %s\n' "${dest[i]}" ok "$mode" "$ver" "$core, $kern$note"
		else
			bad=$((bad + 1))
			printf '%-30s %-13s %-8s %-14s %s\n' "${dest[i]}" "${v%%:*}" - - \
				"${v#*: } (log: $dir/$k/run.log)"
		fi
	done
} >"$dir/fleet.txt"
echo
cat "$dir/fleet.txt"
# shellcheck disable=SC2086
set -- $versions
[ $# -gt 1 ] && say "warning: results of $# trampbench versions ($versions ): not comparable as one run; the merge labels each column's version" | tee -a "$dir/fleet.txt"
if [ $interrupted = yes ]; then
	say "interrupted: the remote runs were stopped (parallel ended their ssh sessions); --resume goes on with the hosts that have no result"
	exit 130
fi

rc=0
[ $bad -eq 0 ] || rc=1
if [ ${#good[@]} -eq 0 ]; then
	say "no host gave a result: nothing to merge"
	exit 1
fi
if [ ! -x "$top/report/merge" ]; then
	say "report/merge is not in this tree: nothing merged; the ${#good[@]} result(s) are kept in $dir"
	exit 1
fi
if "$top/report/merge" -o "$dir/merge" "${good[@]}"; then
	say "merged ${#good[@]} host(s): $dir/merge/merge.txt, $dir/merge/merge.json"
else
	say "report/merge failed (exit $?); the results are kept in $dir"
	rc=1
fi
[ $bad -eq 0 ] || say "$bad host(s) without a result; their reasons and logs are above; --resume reruns only them"
exit $rc
