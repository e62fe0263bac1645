#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# scripts/setup.sh keeps its promise: apt's own output goes to the log it
# names, never to the terminal, on an x86-64 and on an arm64 host, for
# every apt call (multiarch, the packages, perf, llvm-22); a failing
# step shows the end of the log and exits 1; V=1 lets apt's output
# through.  Run against stand-ins on a PATH of their own (uname, dpkg,
# dpkg-query, apt-get, apt-cache, sudo), so nothing is installed and the
# host's architecture and packages do not matter.
set -u
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

if [ -n "${RUN:-}" ]; then
	echo "skip: setup.sh is a shell script, tested once, natively; not under $RUN"
	exit 0
fi
src=${TB_SRC:?TB_SRC is not set}
tmp=$(mktemp -d /tmp/tb-setup-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# the stand-ins, and only the tools setup.sh needs besides (no perf)
mkdir -p "$tmp/bin"
for c in grep mktemp wc tail tee sed id cat; do
	p=$(command -v $c) || { echo "skip: no $c"; exit 0; }
	ln -s "$p" "$tmp/bin/$c"
done
cat >"$tmp/bin/uname" <<EOF
#!/bin/sh
[ "\$1" = -m ] && { echo "\$TB_MACHINE"; exit 0; }
exec $(command -v uname) "\$@"
EOF
cat >"$tmp/bin/dpkg" <<'EOF'
#!/bin/sh
echo "dpkg $*" >>"$TB_CALLS"
EOF
# every package missing
cat >"$tmp/bin/dpkg-query" <<'EOF'
#!/bin/sh
echo "unknown ok not-installed"
EOF
# apt-get: 30 lines on stdout and 3 on stderr, as apt is talkative; it
# fails when one of its arguments is a word of TB_APT_FAIL
cat >"$tmp/bin/apt-get" <<'EOF'
#!/bin/sh
echo "apt-get $*" >>"$TB_CALLS"
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
	echo "apt-said $n: $1"
done
echo "apt-said on stderr: W: $1" >&2
echo "apt-said on stderr: E?" >&2
echo "apt-said on stderr: done" >&2
for a; do
	for f in ${TB_APT_FAIL:-}; do
		[ "$a" = "$f" ] && exit 100
	done
done
exit 0
EOF
# an Ubuntu host's sources already serve the foreign packages
printf '#!/bin/sh\necho "  Candidate: 1.0"\n' >"$tmp/bin/apt-cache"
printf '#!/bin/sh\nexec "$@"\n' >"$tmp/bin/sudo"
chmod +x "$tmp/bin/"*

# setup MACHINE [VAR=VALUE...]: scripts/setup.sh with the stand-ins; rc,
# its output in $out, the stand-ins' calls in $calls ($apt of apt-get),
# the log it names in $log; shown() prints the output if a check failed
shown() {
	[ $fails -eq "$1" ] || sed 's/^/  | /' "$out"
}
n=0
setup() {
	n=$((n + 1))
	out=$tmp/out$n calls=$tmp/calls$n
	: >"$calls"
	m=$1
	shift
	mkdir "$tmp/t$n"
	env -i PATH="$tmp/bin" HOME="$tmp" TMPDIR="$tmp/t$n" TB_MACHINE="$m" \
		TB_CALLS="$calls" "$@" /bin/sh "$src/scripts/setup.sh" \
		>"$out" 2>&1
	rc=$?
	apt=$(grep -c '^apt-get ' "$calls")
	log=$(sed -n "s/.*apt's output in \([^ ):]*\).*/\1/p" "$out" | head -n 1)
}

for m in aarch64 x86_64; do
	echo "=== setup.sh on $m, every package missing"
	f0=$fails
	setup $m
	[ $rc -eq 0 ] || bad "$m: exit $rc"
	if grep -q 'apt-said' "$out"; then
		bad "$m: apt's output reached the terminal"
	else
		ok "$m: none of apt's output on the terminal"
	fi
	grep -v -q '^setup\.sh: ' "$out" &&
		bad "$m: a line not of setup.sh's own"
	for a in "update -q" "install -y -q --no-install-recommends make" \
		"install -y -q linux-perf" \
		"install -y -q --no-install-recommends llvm-22"; do
		grep -q "^apt-get $a" "$calls" ||
			bad "$m: no 'apt-get $a' (calls: $(tr '\n' ';' <"$calls"))"
	done
	want=$((apt * 33))
	if [ -n "$log" ] && [ -f "$log" ] &&
		[ "$(grep -c 'apt-said' "$log")" -eq "$want" ]; then
		ok "$m: all $want lines of its $apt apt-get calls in the log"
	else
		bad "$m: the log '$log' does not hold the $want lines apt-get printed"
	fi
	[ "$(grep -c '^+ apt-get ' "$log" 2>/dev/null)" -eq "$apt" ] ||
		bad "$m: the log does not name each apt-get call"
	grep -q 'multiarch' "$out" && grep -q 'dpkg --add-architecture' "$calls" ||
		bad "$m: multiarch not enabled"
	shown $f0
done

echo "=== no perf package"
f0=$fails
setup aarch64 TB_APT_FAIL="linux-perf linux-tools-common"
[ $rc -eq 0 ] || bad "exit $rc although perf is optional"
grep -q 'no perf package found' "$out" && ! grep -q 'apt-said' "$out" &&
	ok "no perf: said in one line, apt's output kept in the log" ||
	bad "no perf: not one line without apt's output"
shown $f0

echo "=== the packages fail to install"
f0=$fails
setup aarch64 TB_APT_FAIL=--no-install-recommends
if [ $rc -eq 1 ] && grep -q "apt-get install failed; the end of apt's output" "$out" &&
	[ "$(grep -c 'apt-said' "$out")" -eq 20 ] &&
	tail -n 1 "$out" | grep -q 'apt-said on stderr: done'; then
	ok "a failed install: exit 1 and the log's last 20 lines"
else
	bad "a failed install: not exit 1 with the log's last 20 lines (exit $rc)"
fi
grep -q 'llvm-22' "$calls" && bad "went on after the install failed"
shown $f0

echo "=== V=1"
f0=$fails
setup aarch64 V=1
[ $rc -eq 0 ] && [ "$(grep -c 'apt-said' "$out")" -eq $((apt * 33)) ] &&
	[ -z "$(ls "$tmp/t$n")" ] &&
	ok "V=1: apt's output on the terminal, no log" ||
	bad "V=1: apt's output not all on the terminal, or a log made"
shown $f0

[ $fails -eq 0 ] || echo "$fails check(s) failed"
[ $fails -eq 0 ]
