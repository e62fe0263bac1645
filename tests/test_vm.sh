#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The qemu-system lane (make vm, scripts/vm/) end to end, and through it
# the counter path against a real kernel's PMU driver: Debian's own
# kernel under TCG, the build's trampbench inside.
#
# First, on any host: emulation detection must not fire on the recorded
# real machines of tests/fixtures/.  Then, for ARCH=arm64:
#   the lane itself (-cpu max, -icount shift=0, --quick): results and
#     console log back, labelled emulated everywhere, and every row with a
#     cost model reading exactly the model's instructions per call;
#   the PMU path (a job, tests/vm/arm64-pmu.job): the PMU and its type as
#     sysfs has them, missing events dropped by name, both read paths with
#     identical counts, a split group, Debian's paranoid 3 as non-root,
#     perf stat over the same span, BTI enforced by the kernel, code
#     written under a real mm, the core from midr_el1;
#   without -icount: cycles that are no core's said so, and a counter that
#     opens but counts 0 labelled INVALID;
#   -cpu neoverse-n1 and cortex-a72: the core named, emulation detected;
#   faults: an unknown VM_CPU or VM_KERNEL, a package apt does not know, a
#     guest that panics, one that hangs: one line, nothing in results/.
# For ARCH=x86: a guest in timer mode, labelled emulated.
#   TB_SRC, TB_BUILD, ARCH, RUN   as scripts/run-tests.sh sets them
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
tmp=$(mktemp -d /tmp/tb-vm-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# --- no false alarm on real machines (no qemu-system needed) -------------
fired=
for f in "$src"/tests/fixtures/*/; do
	[ -d "$f/sys" ] || continue
	$RUN "$build/trampbench" --check --root "$f" >"$tmp/fx" 2>&1
	grep -q '^emulated:\|EMULATED' "$tmp/fx" && fired="$fired ${f%/}"
done
if [ -z "$fired" ]; then
	ok "no recorded machine of tests/fixtures/ is taken for an emulator"
else
	bad "emulation detected on recorded machines:$fired"
fi
# ... and a recording with qemu's PMU (no BR_MIS_PRED) is one (arm64)
if [ "$arch" = arm64 ]; then
	cp -r "$src/tests/fixtures/graviton2" "$tmp/g2"
	rm "$tmp/g2/sys/bus/event_source/devices/armv8_pmuv3_0/events/br_mis_pred"
	$RUN "$build/trampbench" --check --root "$tmp/g2" >"$tmp/fx" 2>&1
	if grep -q "^emulated: .*lacks BR_MIS_PRED" "$tmp/fx"; then
		ok "a PMUv3 without BR_MIS_PRED is qemu's: $(grep '^emulated' "$tmp/fx" | cut -c16-80)..."
	else
		bad "a PMUv3 without BR_MIS_PRED not taken for an emulator"
		cat "$tmp/fx"
	fi
	rm -rf "$tmp/g2"
fi

# --- the guests -------------------------------------------------------------
# .ci/run's second pass forces a foreign PMU on this host's libpfm4; the
# guest's libpfm4 never sees it: the same test again, minutes for nothing
if [ -n "${LIBPFM_FORCE_PMU:-}" ]; then
	[ $fails -eq 0 ] || exit 1
	skip "LIBPFM_FORCE_PMU=$LIBPFM_FORCE_PMU does not reach the guest"
fi
case $arch in
arm64) qemu=qemu-system-aarch64 ;;
x86) qemu=qemu-system-x86_64 ;;
esac
for c in $qemu cpio apt-get dpkg-deb; do
	if ! command -v $c >/dev/null 2>&1; then
		# CI installs it (scripts/setup.sh): missing there is a failure
		[ "${CI:-}" = true ] && { bad "$c not installed"; exit 1; }
		[ $fails -eq 0 ] || exit 1
		skip "$c is not installed (scripts/setup.sh installs it)"
	fi
done
vm() {
	"$src/scripts/vm/vm.sh" --arch "$arch" --build "$build" "$@"
}
# the context value @2 of results file @1
ctx() {
	$py -c 'import json, sys
print(json.load(open(sys.argv[1]))["context"].get(sys.argv[2], ""))' "$1" "$2"
}
# every iteration row of @1 whose label lacks @2 (the names)
unlabelled() {
	$py -c 'import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type") == "iteration" and not b.get("error_occurred") \
            and b["name"].split("/")[0] != "calibration" \
            and sys.argv[2] not in b.get("label", ""):
        print(b["name"])' "$1" "$2"
}

if [ "$arch" = x86 ]; then
	mkdir -p "$tmp/res"
	if vm --results "$tmp/res" -- --quick --scenario null --variant cbz \
		>"$tmp/log" 2>&1; then
		f=$(ls "$tmp"/res/*.json)
		ok "an x86 guest measured: $(tail -n 1 "$tmp/log")"
		case "$f" in
		*-emulated-tcg-*.json) ok "its results name says emulated: ${f##*/}" ;;
		*) bad "results name without the emulation: ${f##*/}" ;;
		esac
		[ "$(ctx "$f" counter_mode)" = emulated ] &&
			ctx "$f" emulation_why | grep -q TCGTCGTCGTCG &&
			ok "timer mode under qemu-system, told by CPUID: $(ctx "$f" emulation_why)" ||
			bad "x86 guest's context: $(ctx "$f" counter_mode), $(ctx "$f" emulation_why)"
		ctx "$f" core_cycles | grep -q '^no: ' &&
			ok "cycles said to be no core's: $(ctx "$f" core_cycles)" ||
			bad "core_cycles: $(ctx "$f" core_cycles)"
		grep -q "EMULATED under qemu-system TCG" "$tmp/log" &&
			ok "the terminal tables say EMULATED" ||
			bad "the terminal tables do not say EMULATED"
	else
		bad "the x86 guest failed"
		tail -n 20 "$tmp/log"
	fi
	[ $fails -eq 0 ] && echo "test_vm: all passed" || echo "test_vm: $fails failed"
	[ $fails -eq 0 ]
	exit
fi

# --- arm64: the lane, as make vm ARGS=--quick runs it ------------------------
mkdir -p "$tmp/res"
start=$(date +%s)
if vm --results "$tmp/res" -- --quick >"$tmp/lane.log" 2>&1; then
	ok "make vm's lane, --quick: $(tail -n 1 "$tmp/lane.log") ($(($(date +%s) - start)) s in all)"
else
	bad "make vm's lane failed"
	tail -n 30 "$tmp/lane.log"
fi
lane=$(ls "$tmp"/res/*.json 2>/dev/null | head -n 1)
if [ -n "$lane" ]; then
	case "$lane" in
	*/qemu-max-arm64-emulated-tcg-*.json) ok "results name: ${lane##*/}" ;;
	*) bad "results name: ${lane##*/}" ;;
	esac
	[ -s "${lane%.json}.console.log" ] &&
		grep -q "^emulated: *qemu-system TCG" "${lane%.json}.console.log" &&
		ok "its console log came back, with the check's emulated line" ||
		bad "no console log, or no emulated line in it"
	ctx "$lane" emulation | grep -q 'icount: cycles count instructions' &&
		ok "context emulation: $(ctx "$lane" emulation)" ||
		bad "context emulation: $(ctx "$lane" emulation)"
	[ "$(ctx "$lane" counter_mode)" = pmu ] &&
		[ "$(ctx "$lane" counter_read)" = mrs ] &&
		ok "pmu mode through the kernel's driver, read with mrs" ||
		bad "counter_mode $(ctx "$lane" counter_mode), read $(ctx "$lane" counter_read)"
	u=$(unlabelled "$lane" EMULATED)
	[ -z "$u" ] && ok "every measured row labelled EMULATED" ||
		bad "rows without EMULATED: $(echo $u | cut -c1-200)"
	# calibration/empty reads an exact 0 per call: no INVALID for it
	grep -q INVALID "$lane" && bad "INVALID rows: $(grep -o '[a-z_/]*INVALID[^"]*' "$lane" | head -n 3)" ||
		ok "no row INVALID (calibration/empty's exact 0 per call is no zero count)"
	# exact: under icount a row reads its model to the instruction
	$py - "$lane" >"$tmp/exact" <<'EOF'
import json, sys
rows = [b for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("run_type") == "iteration" and "expect_instructions" in b]
off = [b for b in rows
       if b.get("INST_RETIRED", b.get("instructions")) is None or
       abs(b.get("INST_RETIRED", b.get("instructions")) -
           b["expect_instructions"]) > 1e-9 or "MISMATCH" in b["label"]]
scen = sorted({b["name"].split("/")[0] for b in rows})
print(len(rows), len(off), ",".join(scen))
for b in off[:10]:
    print("  %s: %s instructions/call, the model %s" % (
        b["name"], b.get("INST_RETIRED"), b["expect_instructions"]))
EOF
	set -- $(head -n 1 "$tmp/exact")
	if [ "${1:-0}" -gt 100 ] && [ "$2" = 0 ]; then
		ok "all $1 rows with a cost model ($3) read it exactly"
	else
		bad "exactness: $(head -n 1 "$tmp/exact")"
		tail -n +2 "$tmp/exact"
	fi
fi

# --- arm64: the PMU path ------------------------------------------------------
b=$build/tests
out=$tmp/pmu
if vm --perf --with "$b/test_bti" --with "$b/test_text_write" \
	--with "$b/test_meter" --with "$b/test_perf_group" \
	--file "$build/image/variants.so=image/variants.so" \
	--job "$src/tests/vm/arm64-pmu.job" --out "$out" >"$tmp/pmu.log" 2>&1; then
	ok "the PMU job: $(tail -n 1 "$tmp/pmu.log")"
else
	bad "the PMU job failed"
	tail -n 20 "$tmp/pmu.log"
fi
if [ -f "$out/check.txt" ]; then
	type=$(cat "$out/sysfs-type")
	grep -q "^pmu: *armv8_pmuv3 (type $type, cpus 0-1)" "$out/check.txt" &&
		ok "--check: armv8_pmuv3, type $type as the guest's sysfs says" ||
		bad "--check's pmu line: $(grep '^pmu' "$out/check.txt"), sysfs type $type"
	dropped=
	for e in BR_MIS_PRED BR_PRED L1I_CACHE_REFILL; do
		grep -q "^trampbench: no $e on PMU armv8_pmuv3" "$out/user-read.log" ||
			dropped="$dropped $e"
	done
	grep -qx br_mis_pred "$out/sysfs-events" && dropped="$dropped (sysfs has br_mis_pred)"
	[ -z "$dropped" ] &&
		ok "events qemu lacks dropped by name (BR_MIS_PRED, BR_PRED, L1I_CACHE_REFILL)" ||
		bad "not dropped by name:$dropped"
	grep -q "^default events: CPU_CYCLES,INST_RETIRED,STALL_FRONTEND$" "$out/check.txt" &&
		ok "--check lists the default events sysfs has: $(grep '^default events' "$out/check.txt" | cut -c17-)" ||
		bad "--check's default events: $(grep '^default events' "$out/check.txt")"
	grep -q "^perf_event_paranoid: 3 (counting allowed to root only" "$out/check.txt" &&
		ok "Debian's paranoid 3 said to allow root only" ||
		bad "paranoid line: $(grep '^perf_event_paranoid' "$out/check.txt")"
	grep -q "verdict: .*EMULATED" "$out/check.txt" && [ "$(cat "$out/check.rc")" = 0 ] &&
		ok "--check: $(grep '^verdict' "$out/check.txt" | cut -c16-)" ||
		bad "--check's verdict: $(grep '^verdict' "$out/check.txt")"
	grep -q "cpus 0-1 .*pmu armv8_pmuv3 .*(--cpu 1)" "$out/list-cpus.txt" &&
		ok "--list-cpus with -smp 2: $(cat "$out/list-cpus.txt")" ||
		bad "--list-cpus: $(cat "$out/list-cpus.txt")"
	# both read paths: recorded, and the same counts to the instruction
	$py - "$out/user-read.json" "$out/syscall-read.json" >"$tmp/paths" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def rows(d):
    # the rows whose code runs the same instructions every time (a cost
    # model's): branch_random's path follows its random bits
    return {r["name"]: r for r in d["benchmarks"]
            if r.get("run_type") == "iteration" and "INST_RETIRED" in r
            and "expect_instructions" in r}
ra, rb = rows(a), rows(b)
same = all(ra[k]["INST_RETIRED"] == rb[k]["INST_RETIRED"] and
           ra[k]["cycles"] == rb[k]["cycles"] for k in ra) and ra.keys() == rb.keys()
print(a["context"].get("counter_read"), b["context"].get("counter_read"),
      len(ra), "same" if same else "differ")
EOF
	set -- $(cat "$tmp/paths")
	[ "$1" = mrs ] && [ "$2" = read ] && [ "${3:-0}" -gt 0 ] && [ "$4" = same ] &&
		ok "perf_user_access 1 reads with mrs, 0 with read(): $3 rows, identical counts" ||
		bad "read paths: $(cat "$tmp/paths")"
	# a group larger than the PMU: split, every part counted, none scaled
	$py - "$out/split.json" >"$tmp/split" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = [b for b in d["benchmarks"] if b.get("run_type") == "iteration" and
     b["name"].startswith("null/")]
print(len(r), all(b.get("cycles", 0) > 0 and b.get("instructions", 0) > 0 and
                  b.get("r08", 0) == b.get("instructions") and
                  "INVALID" not in b.get("label", "") for b in r))
EOF
	grep -q "split\|groups" "$out/split.log" >/dev/null 2>&1
	[ "$(cat "$tmp/split")" = "3 True" ] &&
		ok "8 events on 7 counters: measured in split groups, r08 = instructions in every row" ||
		bad "split group: $(cat "$tmp/split"); $(grep -i 'group\|split\|trampbench:' "$out/split.log" | tail -n 3)"
	[ "$(cat "$out/nonroot.rc")" != 0 ] &&
		grep -q "perf_event_paranoid is 3: run .sysctl kernel.perf_event_paranoid=" "$out/nonroot.log" &&
		ok "not root at paranoid 3: $(grep 'paranoid is' "$out/nonroot.log" | cut -c13-)" ||
		bad "not root at paranoid 3: exit $(cat "$out/nonroot.rc"), $(tail -n 1 "$out/nonroot.log")"
	grep -q '^qemu-max-arm64-emulated-tcg-[0-9]*\.json$' "$out/default-name" &&
		ok "default results name: $(cat "$out/default-name")" ||
		bad "default results name: $(cat "$out/default-name")"
	# perf stat's span holds trampbench's and the FIFO handshake around
	# it: a fixed count of harness instructions, the same for cycles and
	# instructions (equal under icount), tiny against the loop's
	if [ "$(cat "$out/perfcheck.rc")" = 0 ]; then
		mkdir -p "$tmp/pc"
		for f in "$out"/perfcheck-*; do
			cp "$f" "$tmp/pc/${f##*/perfcheck-}"
		done
		"$src/scripts/perfcheck.sh" --compare "$tmp/pc" 0.001 >"$tmp/pcr" 2>&1
		pr=$?
		$py - "$tmp/pc" >"$tmp/pcd" <<'EOF'
import csv, sys
d = sys.argv[1]
perf = {r[2].split(":")[0]: int(r[0]) for r in
        csv.reader(l for l in open(d + "/perf.csv") if l[:1].isdigit())}
ours = {l.split(",")[1]: int(l.split(",")[2]) for l in open(d + "/tb.out")
        if l.startswith("perfcheck,")}
diff = {k: perf[k] - ours[k] for k in ("cycles", "instructions")}
print(diff["cycles"], diff["instructions"], ours["instructions"])
EOF
		set -- $(cat "$tmp/pcd")
		if [ $pr -eq 0 ] && [ "$1" = "$2" ] && [ "$1" -ge 0 ] && [ "$1" -lt 5000 ]; then
			ok "perf stat and trampbench: $3 instructions, perf's span $1 more (the FIFO handshake), cycles the same"
		else
			bad "perfcheck: $(tail -n 1 "$tmp/pcr"); differences $*"
		fi
	else
		bad "perfcheck in the guest: $(tail -n 2 "$out/perfcheck.log")"
	fi
	for t in test_bti test_text_write test_meter test_perf_group; do
		if [ "$(cat "$out/$t.rc")" = 0 ]; then
			ok "$t in the guest: $(grep -c '^\[       OK \]' "$out/$t.log") ok, $(grep -c '^\[  SKIPPED \]' "$out/$t.log") skipped"
		else
			bad "$t in the guest"
			tail -n 10 "$out/$t.log"
		fi
	done
	grep -q "pad=off entries raised SIGILL" "$out/test_bti.log" &&
		grep -q "GNU property BTI; an entry without .bti c. raises SIGILL" "$out/test_bti.log" &&
		ok "BTI enforced by the kernel: PROT_BTI image and BTI-marked .so" ||
		bad "test_bti did not see the kernel enforce BTI"
fi

# --- arm64: qemu's virtual clock, no icount ------------------------------------
cat >"$tmp/noicount.job" <<'EOF'
trampbench --no-out --quick --scenario hot --variant cbz \
	--events cycles,r08 --benchmark_format=json >/out/run.json 2>/out/run.log
EOF
if vm --no-icount --job "$tmp/noicount.job" --out "$tmp/ni" >"$tmp/ni.log" 2>&1; then
	f=$tmp/ni/run.json
	ctx "$f" core_cycles | grep -q "^no: the add chain read -\{0,1\}[0-9.]* cycles per dependent add" &&
		ok "no icount: $(ctx "$f" core_cycles)" ||
		bad "no icount: core_cycles $(ctx "$f" core_cycles)"
	ctx "$f" emulation | grep -q "virtual clock" &&
		ok "no icount: $(ctx "$f" emulation)" || bad "no icount: $(ctx "$f" emulation)"
	# raw 0x08 would open and count 0 here: the sysfs check drops it
	# first, by name, so no row can carry its zero
	grep -q "^trampbench: no r08 on PMU armv8_pmuv3 (.*): dropped" "$tmp/ni/run.log" &&
		! grep -q '"r08"' "$f" &&
		ok "no icount: raw 0x08, which would count 0, dropped by name before it opens" ||
		bad "no icount: r08 not dropped: $(grep r08 "$tmp/ni/run.log" | head -n 2)"
	u=$(unlabelled "$f" "NOT CORE CYCLES")
	[ -z "$u" ] && ok "every row says NOT CORE CYCLES" || bad "rows not said: $u"
else
	bad "the no-icount guest failed"
	tail -n 20 "$tmp/ni.log"
fi

# --- arm64: the core of each -cpu, from the kernel's midr_el1 ----------------
echo 'trampbench --check >/out/check.txt 2>&1' >"$tmp/check.job"
for c in neoverse-n1:"Neoverse N1" cortex-a72:"Cortex-A72"; do
	cpu=${c%%:*} name=${c#*:}
	rm -rf "$tmp/c"
	if vm --cpu "$cpu" --job "$tmp/check.job" --out "$tmp/c" >"$tmp/c.log" 2>&1 &&
		grep -q "^core: *$name ($name), MIDR 0x41" "$tmp/c/check.txt" &&
		grep -q "^emulated: *qemu-system TCG: PMU armv8_pmuv3 lacks" "$tmp/c/check.txt"; then
		ok "-cpu $cpu: $name from midr_el1, and emulated"
	else
		bad "-cpu $cpu: $(grep -E '^(core|emulated)' "$tmp/c/check.txt" 2>/dev/null)"
		tail -n 5 "$tmp/c.log"
	fi
done

# --- faults: one line, exit 1, nothing in results/ ---------------------------
mkdir -p "$tmp/empty"
expect_fail() {
	what=$1 want=$2
	shift 2
	"$@" >"$tmp/f.out" 2>"$tmp/f.err"
	rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$want" "$tmp/f.err" &&
		[ -z "$(ls -A "$tmp/empty")" ]; then
		ok "$what: exit $rc, $(grep -- "$want" "$tmp/f.err" | head -n 1 | cut -c1-110)"
	else
		bad "$what: exit $rc, wanted '$want'"
		tail -n 5 "$tmp/f.err"
	fi
}
expect_fail "unknown VM_CPU" "unknown VM_CPU 'cortex-z99' for arm64 (valid: .*neoverse-n1" \
	vm --cpu cortex-z99 --results "$tmp/empty"
expect_fail "unknown VM_KERNEL" "unknown VM_KERNEL '9.9.9-1-arm64' for arm64 (valid: .*-arm64" \
	vm --kernel 9.9.9-1-arm64 --results "$tmp/empty"
# apt without its lists, the cache empty: as on a machine without network
mkdir -p "$tmp/lists/partial"
printf 'Dir::State::Lists "%s/lists";\n' "$tmp" >"$tmp/apt.conf"
expect_fail "no package" "apt knows no linux-image-arm64:arm64" \
	env APT_CONFIG="$tmp/apt.conf" VM_CACHE="$tmp/cache" \
	"$src/scripts/vm/vm.sh" --arch arm64 --build "$build" --results "$tmp/empty"
echo 'echo c >/proc/sysrq-trigger' >"$tmp/panic.job"
expect_fail "a guest that panics" "its kernel panicked after .* s (Kernel panic - not syncing: sysrq triggered crash)" \
	vm --job "$tmp/panic.job" --out "$tmp/empty/panic"
grep -q "^    \[ *[0-9.]*\] " "$tmp/f.err" &&
	ok "... and its console's last lines are shown" ||
	bad "the panic's console lines not shown"
echo 'sleep 600' >"$tmp/hang.job"
start=$(date +%s)
expect_fail "a guest that hangs" "stopped at the bound, 20 s" \
	vm --timeout 20 --job "$tmp/hang.job" --out "$tmp/empty/hang"
[ $(($(date +%s) - start)) -lt 60 ] && ok "... stopped at its bound" ||
	bad "the hang took $(($(date +%s) - start)) s"

[ $fails -eq 0 ] && echo "test_vm: all passed" || echo "test_vm: $fails failed"
[ $fails -eq 0 ]
