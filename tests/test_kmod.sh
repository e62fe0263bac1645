#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-kernel mode (kmod/, trampbench --kernel, docs/kernel.md) in the
# qemu-system lane: the module built with Kbuild against Debian's headers
# of the guest's kernel (scripts/vm/kheaders.sh: downloaded, unpacked,
# never installed), then in the guest (tests/kmod/kmod.job): loaded,
# self-tested, a quick kernel run of hot, null, ret0 and update, the
# module unloaded (lsmod empty after), the results labelled kernel and
# read by report/report.py, the kernel's own static_call's rows present
# and labelled with what this kernel does, on arm64 with icount every
# row with a cost model reading exactly its instructions per call (as
# user space's model says); refusals in one line with exit 2 and
# nothing made or changed (no module, another kernel's module, not
# root, module loading disabled), a failed self-test unloaded and
# named, a bad module parameter refused with one line in the log.  A
# user-space run says level user.  Skips, with the reason, without
# qemu-system, a cross compiler, or apt's lists for the packages.
#   TB_SRC, TB_BUILD, ARCH, RUN, TB_CC   as scripts/run-tests.sh sets them
set -u
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
skip() {
	echo "skip: $*"
	exit 0
}
src=${TB_SRC:?}
build=${TB_BUILD:?}
arch=${ARCH:?}
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/tb-kmod-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# --- level user in a user-space run (any host) ----------------------------
$RUN "$build/trampbench" --quick --scenario null --variant cbz \
	--repetitions 1 --batches 16 --out "$tmp/u.json" \
	>"$tmp/u.log" 2>&1
if $py -c 'import json,sys; d=json.load(open(sys.argv[1]));
sys.exit(d["context"].get("level") != "user" or
         any(b["name"].startswith("kernel/") for b in d["benchmarks"]))' \
	"$tmp/u.json" 2>/dev/null; then
	ok "a user-space run says level: user, no row named kernel/"
else
	bad "a user-space run's context has no level: user"
	tail -3 "$tmp/u.log"
fi

case "${TB_CC:-cc}" in
*clang*) skip "the module is built with the kernel's compiler (gcc for Debian's); this build is clang's" ;;
esac
case $arch in
arm64) qemu=qemu-system-aarch64 ;;
x86) qemu=qemu-system-x86_64 ;;
esac
command -v $qemu >/dev/null 2>&1 ||
	skip "$qemu is not installed (scripts/setup.sh installs it)"
host=$(uname -m | sed -e s/x86_64/x86/ -e s/aarch64/arm64/)
cross=
if [ "$arch" != "$host" ]; then
	cross=$([ "$arch" = arm64 ] && echo aarch64-linux-gnu- || echo x86_64-linux-gnu-)
	command -v ${cross}gcc >/dev/null 2>&1 ||
		skip "${cross}gcc is not installed (scripts/setup.sh)"
fi

# --- build: Debian's headers, make kmod -----------------------------------
if ! kdir=$("$src/scripts/vm/kheaders.sh" "$arch" 2>"$tmp/kh.err"); then
	if grep -q "apt-get update\|cannot download" "$tmp/kh.err"; then
		skip "Debian's headers cannot be had: $(cat "$tmp/kh.err")"
	fi
	bad "scripts/vm/kheaders.sh $arch: $(cat "$tmp/kh.err")"
	exit 1
fi
start=$(date +%s)
if make -s -C "$src" kmod ARCH="$arch" ${cross:+CROSS_COMPILE=$cross} \
	O="$build" KDIR="$kdir" >"$tmp/build.log" 2>&1; then
	ok "make kmod against $(basename "$kdir"): $(($(date +%s) - start)) s"
else
	bad "make kmod failed:"
	tail -20 "$tmp/build.log"
	exit 1
fi
ko=$build/kmod/trampbench.ko
# ... and a make kmod without a kernel build folder says what to do
if make -s -C "$src" kmod ARCH="$arch" O="$tmp/nob" KDIR="$tmp/none" \
	>"$tmp/nokdir" 2>&1; then
	bad "make kmod with no build folder at KDIR succeeded"
elif grep -q "no kernel build folder at $tmp/none: install the headers" "$tmp/nokdir"; then
	ok "make kmod without a build folder: $(grep 'no kernel build' "$tmp/nokdir" | cut -c1-70)..."
else
	bad "make kmod without a build folder: $(tail -1 "$tmp/nokdir")"
fi
# another kernel's module: the same bytes, another release in vermagic
$py - "$ko" "$tmp/other.ko" <<'PY'
import re, sys
b = open(sys.argv[1], 'rb').read()
m = re.search(rb'vermagic=([^ \0]+)', b)
rel = m.group(1)
other = re.sub(rb'[0-9]+', lambda d: b'9' * len(d.group(0)), rel, count=1)
open(sys.argv[2], 'wb').write(b.replace(b'vermagic=' + rel,
                                        b'vermagic=' + other, 1))
PY

# --- the guest -------------------------------------------------------------
start=$(date +%s)
if ! "$src/scripts/vm/vm.sh" --arch "$arch" --build "$build" \
	--file "$ko=trampbench.ko" --file "$tmp/other.ko=other.ko" \
	--job "$src/tests/kmod/kmod.job" --out "$tmp/out" \
	>"$tmp/vm.log" 2>&1; then
	bad "the guest's job did not finish:"
	tail -20 "$tmp/vm.log"
	exit 1
fi
o=$tmp/out
ok "guest job: $(($(date +%s) - start)) s"
if [ "$(cat "$o/k.rc")" = 0 ] && [ "$(cat "$o/k.lsmod")" = 0 ]; then
	ok "trampbench --kernel ran in $(cat "$o/k.secs") s and unloaded the module: lsmod shows none"
else
	bad "trampbench --kernel: exit $(cat "$o/k.rc"), $(cat "$o/k.lsmod") module(s) left"
	grep 'trampbench:' "$o/k.log" | grep -v '% of' | tail -5
	$py -c 'import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    m = b.get("error_message", "")
    if b.get("error_occurred") and not m.startswith(("in the kernel", "the ")):
        print("   ", b["name"], m)' "$o/k.json" 2>&1 | head -5
fi
grep -q "^kernel: module .* loaded, self-test of [0-9]* instances ok" "$o/k.log" &&
	ok "$(grep -o 'self-test of [0-9]* instances ok.*' "$o/k.log")" ||
	bad "no kernel self-test line in the run's output"
[ "$(cat "$o/tainted")" = 12288 ] &&
	ok "taint 12288: out of tree, unsigned, nothing else" ||
	bad "the kernel is tainted $(cat "$o/tainted"), not 12288"
if grep -q -- '-kernel-.*\.json$' "$o/name.ls"; then
	ok "default results name: $(cat "$o/name.ls")"
else
	bad "default results name has no -kernel: $(cat "$o/name.ls")"
fi
icount=$([ "$arch" = arm64 ] && echo 1 || echo 0)
if $py - "$o/k.json" "$icount" >"$tmp/rows" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
icount = sys.argv[2] == '1'
fail = []
if d['context'].get('level') != 'kernel':
    fail.append('context level is %r' % d['context'].get('level'))
rows = [b for b in d['benchmarks'] if b.get('run_type') == 'iteration']
named = [b for b in rows if not b['name'].startswith('calibration/')]
if not named or any(not b['name'].startswith('kernel/') for b in named):
    fail.append('a row not named kernel/')
own = [b for b in named if b.get('variant', '').startswith('static_call:kind=')]
scns = sorted({b['scenario'] for b in own})
if scns != ['hot', 'null', 'ret0', 'update']:
    fail.append("the kernel's static_call has rows for %s" % scns)
kinds = {b['variant'] for b in own}
for b in own:
    if "the kernel's own static_call: " not in b.get('label', '') and \
            'error_message' not in b:
        fail.append('%s unlabelled: %s' % (b['name'], b.get('label')))
exact = [b for b in rows if b.get('expect_instructions', 0) > 0 and
         'skipped' not in b.get('label', '')]
bad = [b['name'] for b in exact if b.get('expect_mismatch')]
if icount and (not exact or bad):
    fail.append('instructions per call off the model: %s' % bad[:3])
print('%d rows, %d against the cost model, kind %s' % (len(rows), len(exact),
      ','.join(sorted(kinds))))
for f in fail:
    print('FAIL', f)
sys.exit(1 if fail else 0)
PY
then
	ok "results: level kernel, rows kernel/..., $(cat "$tmp/rows")"
else
	bad "results: $(cat "$tmp/rows")"
fi
want_kind=$(grep -q 'CONFIG_HAVE_STATIC_CALL_INLINE 1' "$kdir/include/generated/autoconf.h" && echo inline ||
	{ grep -q 'CONFIG_HAVE_STATIC_CALL 1' "$kdir/include/generated/autoconf.h" && echo trampoline || echo generic; })
grep -q "static_call:kind=$want_kind" "$tmp/rows" &&
	ok "the kernel's static_call is $want_kind, as its autoconf.h says" ||
	bad "the kernel's static_call is not labelled $want_kind: $(cat "$tmp/rows")"
# x86 guests time with TCG's timer: a row near 0 (inline's RET0, an xor)
# can read below 0 by more than its noise, which the report refuses
if [ "$arch" = x86 ]; then
	ok "report/report.py on the kernel run: not on x86 (timer-mode TCG rows near 0 can read below it)"
elif $py "$src/report/report.py" -q -o "$tmp/report" "$o/k.json" \
	>"$tmp/report.log" 2>&1 && [ -s "$tmp/report/summary.txt" ]; then
	ok "report/report.py reads the kernel run"
else
	bad "report/report.py on the kernel run: $(tail -3 "$tmp/report.log")"
fi

# refusals: one line, exit 2 (a self-test 1), nothing made or changed
for r in nomod:"no module at /w/none.ko: build it for this kernel with make kmod KDIR=" \
	vermagic:"was built for kernel .*, this is .*: rebuild it with make kmod KDIR=" \
	nonroot:"run it as root" \
	disabled:"module loading is disabled" \
	selftest:"the kernel self-test failed, module unloaded: tail:pad=on,align=16,lit=rodata,null=ret0: "; do
	n=${r%%:*} want=${r#*:}
	rc=$(cat "$o/$n.rc")
	lines=$(wc -l <"$o/$n.err")
	if [ "$n" = selftest ]; then
		lines=$(grep -c '^trampbench: ' "$o/$n.err")
		exp=1
	else
		exp=2
	fi
	if [ "$rc" = "$exp" ] && [ "$lines" = 1 ] && grep -q "$want" "$o/$n.err" &&
		[ "$(cat "$o/$n.tree")" = same ] && [ ! -s "$o/$n.out" -o "$n" = selftest ]; then
		ok "$n refused: $(cut -c1-90 "$o/$n.err" | tail -1)"
	else
		bad "$n: exit $rc, $lines line(s), tree $(head -c 60 "$o/$n.tree"): $(cat "$o/$n.err")"
	fi
done
[ "$(cat "$o/selftest.lsmod")" = 0 ] && ok "the failed self-test's module is unloaded" ||
	bad "a module is left after the failed self-test"
# one line a load (busybox's insmod tries finit_module, then init_module)
if [ "$(cat "$o/param.rc")" != 0 ] && [ -s "$o/param.dmesg" ] &&
	[ "$(sed 's/^\[[^]]*\] //' "$o/param.dmesg" | sort -u | wc -l)" = 1 ] &&
	[ "$(cat "$o/param.lsmod")" = 0 ]; then
	ok "a bad module parameter: refused, one line: $(sed 's/^\[[^]]*\] //' "$o/param.dmesg" | sort -u)"
else
	bad "a bad module parameter: exit $(cat "$o/param.rc"), log: $(cat "$o/param.dmesg")"
fi
[ $fails -eq 0 ]
