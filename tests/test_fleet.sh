#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make fleet end to end over real ssh (one stand-in: a wrapper of the
# real parallel that merges two hosts, as parallel did with a host listed
# twice).  An OpenSSH server is started on a high loopback port as this
# user, with a key made here; a generated ssh config gives it several
# names, and the fleet is:
#
#   h1, h2                    aliases of it (Host h1 -> 127.0.0.1:PORT)
#   USER@127.0.0.1:PORT       the same, spelt as ssh destination and port
#   hbad                      an alias whose session has CC=false (ssh's
#                             SetEnv, let through by sshd's AcceptEnv CC):
#                             a machine whose compiler fails, so its
#                             build fails for real
#   hdead                     an alias to a port where nothing listens
#
# each good host with its own remote folder (the hosts file's second
# field).  The run: every good host's result comes back and is valid
# trampbench JSON of this version, each host has its log, the two bad
# ones are reported with their reasons and stop nothing, the merged
# report has one column per good host; --resume runs only the hosts
# without a result and overwrites nothing; Ctrl-C during a long run
# leaves no trampbench running on the host.  First, a hosts file naming
# one host twice is refused in one line, changing nothing, a job that
# parallel never starts is reported as that, and the remote half says
# why a set-up failed (without ssh).  Remote builds are real builds
# (the tracked files of this tree, --worktree), without set-up
# (--no-setup: this machine has its packages).  Natively only.
set -u
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() {
	echo "skip: $*"
	exit 0
}

src=${TB_SRC:?}
if [ -n "${RUN:-}" ]; then
	skip "the fleet builds natively on its hosts; not under $RUN (ARCH=$ARCH)"
fi
# .ci/run's second pass forces a foreign PMU on this machine's libpfm4;
# ssh does not carry LIBPFM_FORCE_PMU to the hosts, so that pass would
# run this test unchanged, for another 4 minutes
if [ -n "${LIBPFM_FORCE_PMU:-}" ]; then
	skip "LIBPFM_FORCE_PMU=$LIBPFM_FORCE_PMU does not reach the fleet's hosts: the same test as without it"
fi
for c in parallel ssh ssh-keygen rsync perl setsid python3 git; do
	command -v $c >/dev/null 2>&1 || skip "$c is not installed (scripts/setup.sh installs it)"
done
sshd=/usr/sbin/sshd
[ -x $sshd ] || skip "no $sshd (Debian package openssh-server)"
git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
	skip "$src is not a git checkout: the fleet sends the committed tree"
# make check's variables are not the fleet's
unset MAKEFLAGS MFLAGS MAKELEVEL O

tmp=$(mktemp -d /tmp/tb-fleet-test.XXXXXX)
fleetpid=
cleanup() {
	[ -n "$fleetpid" ] && kill -INT "-$fleetpid" 2>/dev/null
	[ -f "$tmp/sshd.pid" ] && kill "$(cat "$tmp/sshd.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- the remote half's reasons, without ssh -------------------------------
# fleet-remote.sh beside a stand-in tree whose set-up fails: the reason is
# the set-up's own line, with the sudo hint only when sudo failed
echo "=== fleet-remote.sh: a set-up that fails"
for why in "sudo: a password is required" \
	"E: Unable to locate package libpfm4-dev"; do
	rm -rf "$tmp/fr"
	mkdir -p "$tmp/fr/tree/scripts"
	cp "$src/scripts/fleet-remote.sh" "$tmp/fr/tree/scripts/"
	# as setup.sh fails: sudo's line, or its own, then the end of apt's log
	{
		echo '#!/bin/sh'
		case $why in E:*)
			echo "echo 'setup.sh: apt-get install failed; the end of apt output (/tmp/log):'" ;;
		esac
		echo "echo '$why'; exit 1"
	} >"$tmp/fr/tree/scripts/setup.sh"
	chmod +x "$tmp/fr/tree/scripts/setup.sh"
	(cd "$tmp/fr" && sh tree/scripts/fleet-remote.sh k v --) >"$tmp/fr.out" 2>&1
	rc=$?
	line=$(grep '^tb-fleet: failed setup ' "$tmp/fr.out")
	case $why in
	sudo:*) hint="(root or password-less sudo needed; --no-setup skips it)" ;;
	*) hint="(--no-setup skips it)" ;;
	esac
	if [ $rc -eq 10 ] &&
		[ "$line" = "tb-fleet: failed setup scripts/setup.sh exited 1: $why $hint" ]; then
		ok "set-up failing with '$why': that line, $hint"
	else
		sed 's/^/  | /' "$tmp/fr.out"
		bad "set-up failing with '$why': not that line and '$hint' (exit $rc)"
	fi
done

# ---- an sshd of our own ------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C tb-fleet-test -f "$tmp/key" &&
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" ||
	skip "ssh-keygen failed"
cp "$tmp/key.pub" "$tmp/authorized_keys"
user=$(id -un)
# root's sshd wants its privilege separation folder, as the service makes it
[ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd
started=no
for try in 1 2 3 4 5; do
	port=$((20000 + ($$ * 7 + try * 131) % 40000))
	cat >"$tmp/sshd_config" <<-EOF
	Port $port
	ListenAddress 127.0.0.1
	HostKey $tmp/hostkey
	AuthorizedKeysFile $tmp/authorized_keys
	PidFile $tmp/sshd.pid
	UsePAM no
	StrictModes no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PermitRootLogin prohibit-password
	AcceptEnv CC
	MaxStartups 100
	MaxSessions 100
	EOF
	rm -f "$tmp/sshd.pid"
	$sshd -D -f "$tmp/sshd_config" -E "$tmp/sshd.log" &
	spid=$!
	cat >"$tmp/ssh_config" <<-EOF
	Host h1 h2 hbad
		HostName 127.0.0.1
		Port $port
	Host hbad
		SetEnv CC=false
	Host hdead
		HostName 127.0.0.1
		Port $((port + 1))
	Host *
		User $user
		IdentityFile $tmp/key
		IdentitiesOnly yes
		UserKnownHostsFile /dev/null
		StrictHostKeyChecking no
		LogLevel ERROR
	EOF
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		if ssh -F "$tmp/ssh_config" -o BatchMode=yes h1 true 2>/dev/null; then
			started=yes
			break 2
		fi
		kill -0 $spid 2>/dev/null || break
		sleep 1
	done
	kill $spid 2>/dev/null
	wait $spid 2>/dev/null
done
if [ $started = no ]; then
	sed 's/^/  sshd: /' "$tmp/sshd.log"
	skip "sshd would not start here (its log is above)"
fi
ok "sshd on 127.0.0.1:$port as $user"
ssh -F "$tmp/ssh_config" -o BatchMode=yes -o ConnectTimeout=3 hdead true 2>/dev/null &&
	skip "port $((port + 1)) answers: no unreachable host to test"

r=$tmp/remote
args="--quick --scenario hot --repetitions 2 --batches 16"

# ---- a host listed twice -------------------------------------------------
# parallel merges identical sshlogins, so the second job of one host would
# never start and the fleet would wait for it forever: refused before
# anything starts.  Each try runs in a process group of its own, stopped
# as by Ctrl-C if still going after 30 s (a hang).
echo "=== a host listed twice"
res=$tmp/results
mkdir -p "$res/fleet-20000101"
echo kept >"$res/fleet-20000101/merge.txt"
echo kept >"$res/other.json"
# every path with its mode, size and time, and every file's sum
snap() {
	(cd "$1" && find . -exec ls -ld --time-style=+%s {} + | sort &&
		find . -type f -exec cksum {} + | sort)
}
before=$(snap "$res")
try=0
dup() {	# dup DEST LINE LINE: the hosts file on stdin is refused
	try=$((try + 1))
	cat >"$tmp/dup$try.txt"
	setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
		"$src/scripts/fleet.sh" -F "$tmp/ssh_config" --no-setup \
		--worktree --results "$res" "$tmp/dup$try.txt" -- $args \
		>"$tmp/dup$try.out" 2>&1 &
	fleetpid=$!
	for _ in $(seq 30); do
		kill -0 $fleetpid 2>/dev/null || break
		sleep 1
	done
	hung=no
	if kill -0 $fleetpid 2>/dev/null; then
		hung=yes
		kill -INT "-$fleetpid"
	fi
	wait $fleetpid
	rc=$?
	fleetpid=
	sed 's/^/  | /' "$tmp/dup$try.out"
	if [ $hung = yes ]; then
		bad "$1 twice: still running after 30 s (stopped)"
	elif [ $rc -ne 0 ] && [ "$(wc -l <"$tmp/dup$try.out")" -eq 1 ] &&
		grep -F "$1" "$tmp/dup$try.out" | grep -E -q "lines? $2\b.* $3\b"; then
		ok "$1 twice (lines $2 and $3): refused in one line naming it (exit $rc)"
	else
		bad "$1 twice: not refused in one line naming it and lines $2, $3 (exit $rc)"
	fi
	[ ! -e "$r/dup$try" ] || bad "$1 twice: started (made $r/dup$try)"
	[ "$(snap "$res")" = "$before" ] ||
		bad "$1 twice: the results folder changed"
}
dup h1 1 3 <<EOF
h1 $r/dup1/a
# a comment
h1 $r/dup1/b
EOF
# CRLF line ends, each with its own remote folder
printf '%s\r\n' "hdead $r/dup2/a" "$user@127.0.0.1:$port $r/dup2/b" \
	"$user@127.0.0.1:$port $r/dup2/c" >"$tmp/crlf.txt"
dup "$user@127.0.0.1:$port" 2 3 <"$tmp/crlf.txt"
# one destination spelt two ways
dup "ssh://$user@[127.0.0.1]:$port" 1 2 <<EOF
$user@127.0.0.1:$port $r/dup3/a
ssh://$user@[127.0.0.1]:$port $r/dup3/b
EOF
[ "$(snap "$res")" = "$before" ] &&
	ok "the refused hosts files left the results folder as it was" ||
	bad "the results folder changed"

# ---- a job that never starts ---------------------------------------------
# What a host listed twice did: parallel merges two sshlogins that are
# the same, and the job pinned to the second never starts.  The real
# parallel, given a host list whose last line is the first's login under
# the last's group, does that; stopped by Ctrl-C, the fleet must say the
# job never started, not blame the host's tools.  And a parallel that
# ends without running anything.
echo "=== a job parallel never starts"
real=$(command -v parallel)
mkdir -p "$tmp/merge" "$tmp/none"
cat >"$tmp/merge/parallel" <<EOF
#!/bin/sh
prev=
for a; do
	[ "\$prev" = --sshloginfile ] && f=\$a
	prev=\$a
done
first=\$(sed -n '1s,^@[^/]*/,,p' "\$f")
group=\$(sed -n '\$s,/.*,,p' "\$f")
sed -i '\$d' "\$f"
echo "\$group/\$first" >>"\$f"
exec $real "\$@"
EOF
printf '#!/bin/sh\nexit 3\n' >"$tmp/none/parallel"
chmod +x "$tmp/merge/parallel" "$tmp/none/parallel"
printf 'hdead %s\nh1 %s\n' "$r/ns/dead" "$r/ns/h1" >"$tmp/hosts-ns.txt"
PATH=$tmp/merge:$PATH setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
	"$src/scripts/fleet.sh" -F "$tmp/ssh_config" --no-setup --worktree \
	--dir "$tmp/fleet-ns" "$tmp/hosts-ns.txt" -- $args >"$tmp/out-ns" 2>&1 &
fleetpid=$!
for _ in $(seq 30); do
	grep -q ' unreachable ' "$tmp/out-ns" 2>/dev/null && break
	sleep 1
done
sleep 2
kill -INT "-$fleetpid"
wait $fleetpid
fleetpid=
sed 's/^/  | /' "$tmp/out-ns"
# the table: which of the two jobs got the merged host is parallel's choice
table=$(sed -n '/^host  *outcome /,$p' "$tmp/out-ns")
[ "$(echo "$table" | grep -E -c '^(hdead|h1) +interrupted +- .*parallel had not started its job')" -eq 1 ] &&
	ok "a job never started, stopped by Ctrl-C: said so" ||
	bad "the job that never started: not 'interrupted ... parallel had not started its job'"
[ "$(echo "$table" | grep -E -c '^(hdead|h1) +unreachable +- .*Connection refused')" -eq 1 ] ||
	bad "the job that ran: not 'unreachable ... Connection refused'"
grep -q 'tar, sh and rsync' "$tmp/out-ns" &&
	bad "a job that never started blamed on the host's tar, sh or rsync"
PATH=$tmp/none:$PATH "$src/scripts/fleet.sh" -F "$tmp/ssh_config" --no-setup \
	--worktree --dir "$tmp/fleet-none" "$tmp/hosts-ns.txt" -- $args \
	>"$tmp/out-none" 2>&1
rc=$?
sed 's/^/  | /' "$tmp/out-none"
[ $rc -ne 0 ] &&
	[ "$(grep -E -c ' not started +- .*parallel ended without starting its job \(parallel exit 3\)' "$tmp/out-none")" -eq 2 ] &&
	ok "parallel ending at once: both hosts 'not started', with its exit" ||
	bad "parallel ending at once: not 'not started ... (parallel exit 3)' for both (exit $rc)"

cat >"$tmp/hosts.txt" <<EOF
# the test's fleet: destination, then the host's remote folder
h1 $r/h1
h2 $r/h2
$user@127.0.0.1:$port $r/h3	# the same server, by address and port
hbad $r/bad
hdead $r/dead
EOF
good="h1 h2 ${user}_127.0.0.1_$port"
dir=$tmp/fleet

# ---- the fleet, by make ------------------------------------------------
echo "=== make fleet (3 good hosts, one failing build, one unreachable)"
start=$(date +%s)
make -s -C "$src" fleet HOSTS="$tmp/hosts.txt" SSH_CONFIG="$tmp/ssh_config" \
	FLEET_FLAGS="--no-setup --worktree --dir $dir" ARGS="$args" \
	>"$tmp/out1" 2>&1
rc=$?
sed 's/^/  | /' "$tmp/out1"
echo "  (exit $rc after $(($(date +%s) - start)) s)"
[ $rc -ne 0 ] && ok "make fleet exits nonzero with hosts failing" ||
	bad "make fleet exited 0 although two hosts failed"
version=$(cat "$dir/fleet.version" 2>/dev/null)

for k in $good; do
	f=$dir/$k/$k.json
	if python3 - "$f" "$version" <<-'EOF'; then
	import json, sys
	d = json.load(open(sys.argv[1]))
	c = d["context"]
	assert d["benchmarks"], "no benchmarks"
	for key in ("host", "core_name", "kernel", "counter_mode", "arch"):
	    assert c.get(key), "context has no " + key
	assert c["trampbench_version"] == sys.argv[2], \
	    "version %s, not %s" % (c["trampbench_version"], sys.argv[2])
	EOF
		ok "$k: its result came back, valid, trampbench $version"
	else
		bad "$k: no valid result at $f"
	fi
	[ -s "$dir/$k/run.log" ] && grep -q '^tb-fleet: done' "$dir/$k/run.log" &&
		ok "$k: its log came back" || bad "$k: no complete log at $dir/$k/run.log"
done
for h in h1 h2 h3; do
	[ -f "$r/$h/tree/Makefile" ] && [ -d "$r/$h/tree/build" ] ||
		bad "$h: no tree built in its own remote folder $r/$h"
done
grep -q '^tb-fleet: failed build make exited' "$dir/hbad/run.log" &&
	grep -E -q '^hbad +build failed .*make exited.*log: '"$dir/hbad/run.log" "$tmp/out1" &&
	ok "hbad: reported as a failed build, with its log" ||
	bad "hbad: not reported as 'build failed ... log: $dir/hbad/run.log'"
grep -E -q '^hdead +unreachable .*Connection refused.*log: '"$dir/hdead/run.log" "$tmp/out1" &&
	ok "hdead: reported unreachable, with the reason and its log" ||
	bad "hdead: not reported as 'unreachable ... Connection refused'"
grep -E -q '^h1 +(build|self-test|run) .*eta ~?[0-9]+m[0-9]{2}s' "$tmp/out1" &&
	ok "a state line with an ETA per host while it ran" ||
	bad "no 'h1 STATE elapsed eta' line in the output"
for k in $good hbad hdead; do
	[ -s "$dir/$k/run.log" ] || bad "$k: no log"
done

# the merged report: one column per good host
if python3 - "$dir/merge/merge.json" "$version" $good <<-'EOF'; then
	import json, os, sys
	m = json.load(open(sys.argv[1]))
	cols = m["columns"]
	files = sorted(os.path.basename(c["file"]) for c in cols)
	want = sorted(k + ".json" for k in sys.argv[3:])
	assert files == want, "columns %s, not %s" % (files, want)
	for c in cols:
	    for key in ("host", "core", "kernel", "counter_mode", "version"):
	        assert c.get(key), "a column has no " + key
	    assert c["version"] == sys.argv[2]
	assert os.path.getsize(os.path.join(os.path.dirname(sys.argv[1]), "merge.txt"))
	EOF
	ok "merged report: one column per good host"
else
	[ -x "$src/report/merge" ] || echo "  (report/merge is not in this tree yet)"
	bad "no merged report with one column per good host in $dir/merge/merge.json"
fi

# ---- --resume: only the hosts without a result ---------------------------
echo "=== scripts/fleet.sh --resume"
sums=$(cd "$dir" && cat */*.json | cksum)
jobs=$(grep -c -v '^Seq' "$dir/joblog")
"$src/scripts/fleet.sh" -F "$tmp/ssh_config" --no-setup --worktree --resume \
	--dir "$dir" "$tmp/hosts.txt" -- $args >"$tmp/out2" 2>&1
rc=$?
sed 's/^/  | /' "$tmp/out2"
n=$(grep -c 'skipped, its result is already here' "$tmp/out2")
[ "$n" -eq 3 ] && ok "--resume skipped the 3 hosts with a result" ||
	bad "--resume skipped $n hosts, not 3"
new=$(($(grep -c -v '^Seq' "$dir/joblog") - jobs))
[ $new -eq 2 ] && ok "--resume ran 2 jobs (hbad, hdead)" ||
	bad "--resume ran $new jobs, not 2"
[ "$(cd "$dir" && cat */*.json | cksum)" = "$sums" ] &&
	ok "no fetched result was touched" || bad "fetched results changed"
[ -s "$dir/hbad/run.log.1" ] && [ -s "$dir/hbad/run.log" ] &&
	ok "the first try's log kept as run.log.1" ||
	bad "hbad's earlier log was not kept"
[ $rc -ne 0 ] || bad "--resume exited 0 with two hosts still failing"

# ---- Ctrl-C stops the remote run -----------------------------------------
echo "=== Ctrl-C during a long run"
echo "h1 $r/int" >"$tmp/hosts-int.txt"
# setsid: a process group of its own, which gets the SIGINT as a
# terminal's Ctrl-C would; perl: a background job's SIGINT is ignored
setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' \
	"$src/scripts/fleet.sh" -F "$tmp/ssh_config" --no-setup --worktree \
	--dir "$tmp/fleet-int" "$tmp/hosts-int.txt" -- --scenario hot \
	--repetitions 1000 >"$tmp/out3" 2>&1 &
fleetpid=$!
running=no
for _ in $(seq 300); do
	if pgrep -f "$r/int/tree/build/.*/trampbench --scenario" >/dev/null; then
		running=yes
		break
	fi
	kill -0 $fleetpid 2>/dev/null || break
	sleep 1
done
if [ $running = yes ]; then
	sleep 2
	kill -INT "-$fleetpid"
	wait $fleetpid
	rc=$?
	fleetpid=
	left=yes
	for _ in $(seq 15); do
		pgrep -f "$r/int/" >/dev/null || { left=no; break; }
		sleep 1
	done
	sed 's/^/  | /' "$tmp/out3"
	[ $left = no ] && ok "after Ctrl-C no process runs in the host's folder" ||
		{ bad "after Ctrl-C still running:"; pgrep -af "$r/int/"; }
	[ $rc -eq 130 ] && grep -q 'interrupted' "$tmp/out3" &&
		ok "the fleet says it was interrupted (exit 130)" ||
		bad "interrupted fleet exited $rc without saying so"
else
	sed 's/^/  | /' "$tmp/out3"
	bad "the long run never started"
fi

[ $fails -eq 0 ] || echo "$fails check(s) failed"
[ $fails -eq 0 ]
