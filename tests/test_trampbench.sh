#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# End to end: the trampbench program as a user runs it.  Bad input fails
# with one clear line; a short run writes Google Benchmark JSON that says
# how it was measured, with sane calibration rows, that compare.py reads,
# and that a second run never overwrites; natively, perf stat agrees.
set -u
tb="$TB_BUILD/trampbench"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Bad input: nonzero exit, one line naming the valid values, said
# before the self-test runs, nothing on stdout, and nothing written or
# changed: run in a folder holding a results file, compared before and
# after.  REFUSE_ENV: VAR=value words for the environment.
REFUSE_ENV=
tree_state() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f -exec md5sum {} + |
		LC_ALL=C sort)
}
refuse() {
	want=$1
	shift
	rm -rf "$dir/ref"
	mkdir -p "$dir/ref/results"
	echo '{"old": 1}' >"$dir/ref/results/old.json"
	before=$(tree_state "$dir/ref")
	# bounded: what is not refused would measure for minutes
	(cd "$dir/ref" && env $REFUSE_ENV timeout 60 $RUN "$tb" "$@") \
		>"$dir/out" 2>"$dir/err"
	rc=$?
	after=$(tree_state "$dir/ref")
	# one line, beside the image loader's note under qemu-user
	lines=$(grep -v "; patching with " "$dir/err" | grep -c .)
	if [ $rc -ne 0 ] && grep -q -- "$want" "$dir/err" &&
		[ "$lines" -eq 1 ] &&
		[ ! -s "$dir/out" ] && ! grep -q "self-test" "$dir/err" &&
		[ "$before" = "$after" ]; then
		ok "${REFUSE_ENV:+$REFUSE_ENV }$* -> exit $rc: $(grep -- "$want" "$dir/err" | head -1)"
	else
		bad "${REFUSE_ENV:+$REFUSE_ENV }$* -> exit $rc, expected one line with '$want' before the self-test, nothing on stdout, the folder unchanged"
		[ "$before" = "$after" ] || echo "folder changed: $(ls -AR "$dir/ref")"
		cat "$dir/out" "$dir/err"
	fi
}
expect_error() {
	want=$1
	shift
	refuse "$want" --no-out "$@"
}
expect_error "unknown variant 'nosuch'" --variant nosuch
expect_error "valid: 8, 16, 32, 64" --variant cbz:align=3
expect_error "unknown event 'NO_SUCH_EVENT'" --events NO_SUCH_EVENT
expect_error "not an online CPU" --cpu 4096
expect_error "repetitions takes" --repetitions 0
expect_error "batches takes" --batches 3
expect_error "multiples of 4 from 0 to 60" --site-shift 2
expect_error "multiples of 4 from 0 to 60" --site-shift 0,64
expect_error "names 12 twice" --site-shift 12,0,12
expect_error "unknown scenario 'nosuch'" --scenario nosuch
expect_error "given twice" --scenario null --scenario null
expect_error "applies to the hot scenario" --scenario null --site-shift 4
expect_error "out needs a file name" --out ''
expect_error "out needs a file name" --out=
expect_error "not abbreviated: --out?" --ou "$dir/elsewhere.json"
expect_error "not abbreviated: --no-out?" --no-o
expect_error "unknown option '--bogus'" --bogus
expect_error "unknown option '--benchmark_bogus'" --benchmark_bogus=1
expect_error "unknown option '-x'" -x
expect_error "unrecognized argument 'positional'" positional
expect_error "unrecognized argument '--list' after --" -- --list
expect_error "--list takes no value" --list=3
expect_error "--out needs a value (FILE)" --out
expect_error "events needs a list" --events ''
expect_error "knob 'align' given twice" --variant cbz:align=16,align=8
# An instance named twice, as a scenario twice, is refused.
expect_error "--variant cbz given twice" --variant cbz --variant cbz
expect_error "name the same instance (cbz:pad=on,align=8,lit=rodata)" \
	--variant cbz --variant cbz:align=8
expect_error "--all-variants measures every instance" --all-variants \
	--variant tail
# Google Benchmark's flags that trampbench sets itself, named with ours;
# the same through Google Benchmark's environment variables.
expect_error "--benchmark_repetitions is trampbench's --repetitions" \
	--benchmark_repetitions=2
expect_error "--benchmark_min_time is trampbench's --batches" \
	--benchmark_min_time=0.1
expect_error "--benchmark_min_warmup_time does not apply" \
	--benchmark_min_warmup_time=0.1
expect_error "is Google Benchmark JSON" --benchmark_out_format=csv
expect_error "'counter_mode' is a context key trampbench writes itself" \
	--benchmark_context=board=rpi,counter_mode=pmu
# Conflicting output flags: which one was meant?
refuse "--benchmark_out is trampbench's --out" --benchmark_out=B.json
refuse "--benchmark_out is trampbench's --out" --out A.json \
	--benchmark_out=B.json
refuse "--out given twice (A.json, B.json)" --out A.json --out=B.json
refuse "--out X.json and --no-out contradict" --no-out --out X.json
REFUSE_ENV=BENCHMARK_OUT=B.json
refuse "BENCHMARK_OUT is set: --benchmark_out is trampbench's --out" \
	--out A.json
REFUSE_ENV=BENCHMARK_REPETITIONS=2
refuse "BENCHMARK_REPETITIONS is set" --out A.json
REFUSE_ENV=BENCHMARK_OUT_FORMAT=csv
refuse "BENCHMARK_OUT_FORMAT=csv: the results file" --out A.json
# an empty forced PMU forces none: refused as empty, not "netburst"
REFUSE_ENV=LIBPFM_FORCE_PMU=
refuse "LIBPFM_FORCE_PMU is empty, which forces no PMU" --out A.json
REFUSE_ENV=
# libpfm4 would ignore an unknown forced PMU (the old value is kept for
# a caller that forces one, as .ci/run does)
old_force=${LIBPFM_FORCE_PMU-unset}
# The names offered: every one, this host's own (what libpfm4 detects
# here) and the foreign ones .ci/run forces among them.
host_pmu=$(env -u LIBPFM_FORCE_PMU $RUN "$tb" --list-events 2>/dev/null |
	sed -n 's/.*; libpfm4 PMU: \([^ ]*\)$/\1/p')
export LIBPFM_FORCE_PMU=garbage
expect_error "LIBPFM_FORCE_PMU=garbage is no core PMU" --self-test
foreign=amd64_fam19h_zen3
[ "$ARCH" = arm64 ] && foreign=arm_v2
[ "$host_pmu" = none ] && host_pmu=
for name in $foreign $host_pmu; do
	[ "$name" = "$host_pmu" ] && name="$name (this host's)"
	if grep -qF -- "$name" "$dir/err" && ! grep -qF '...' "$dir/err"; then
		ok "LIBPFM_FORCE_PMU=garbage offers $name"
	else
		bad "LIBPFM_FORCE_PMU=garbage does not offer $name: $(cat "$dir/err")"
	fi
done
if [ "$old_force" = unset ]; then
	unset LIBPFM_FORCE_PMU
else
	LIBPFM_FORCE_PMU=$old_force
fi
[ -e "$dir/elsewhere.json" ] && bad "--ou wrote $dir/elsewhere.json"

# The trap children (the self-test's and test_static_call's kCFI traps,
# test_bti's probes)
# dump no core, even with ulimit -c unlimited, natively or under qemu-user
# (which writes qemu_*.core itself), and nothing says "core dumped".
no_cores() {
	what=$1
	shift
	rm -rf "$dir/cores"
	mkdir "$dir/cores"
	(
		cd "$dir/cores" || exit 1
		ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)"
		exec "$@"
	) >"$dir/core.out" 2>&1
	rc=$?
	left=$(ls -A "$dir/cores")
	if [ $rc -eq 0 ] && [ -z "$left" ] &&
		! grep -qi "core dumped" "$dir/core.out"; then
		ok "$what: no core file (ulimit -c $(ulimit -H -c), core_pattern $(cat /proc/sys/kernel/core_pattern 2>/dev/null))"
	else
		bad "$what: exit $rc, left '$(echo $left | cut -c1-200)', $(grep -ci "core dumped" "$dir/core.out") 'core dumped' lines"
	fi
}
if [ "$(ulimit -H -c)" = 0 ]; then
	echo "no-core checks: skipped, the hard core-size limit is 0 here"
else
	no_cores "--self-test" $RUN "$tb" --self-test
	no_cores "test_static_call" $RUN "$TB_BUILD/tests/test_static_call"
	[ "$ARCH" = arm64 ] && [ -x "$TB_BUILD/tests/test_bti" ] &&
		no_cores "test_bti" $RUN "$TB_BUILD/tests/test_bti"
fi

# --benchmark_filter: the progress counts only the repetitions that run
# (two hot cases of cbz, 2 repetitions each) and reaches 100%.
$RUN "$tb" --no-out --scenario hot --variant cbz --repetitions 2 \
	--batches 16 --benchmark_filter='^hot/' >/dev/null 2>"$dir/prog"
if grep -q '100% of 4 repetitions' "$dir/prog"; then
	ok "a filtered run's progress counts its own 4 repetitions"
else
	bad "a filtered run's progress: $(grep 'repetitions' "$dir/prog" |
		tail -n 1)"
fi

# --help and -h: trampbench's usage first, then Google Benchmark's flags
# under a heading.
for h in --help -h; do
	$RUN "$tb" $h >"$dir/help" 2>&1
	rc=$?
	own=$(grep -n -- "--variant SPEC" "$dir/help" | cut -d: -f1)
	head=$(grep -n "^Google Benchmark's flags" "$dir/help" | cut -d: -f1)
	gb=$(grep -n -- "--benchmark_filter=" "$dir/help" | cut -d: -f1)
	if [ $rc -eq 0 ] && head -1 "$dir/help" | grep -q "^usage: trampbench" &&
		[ -n "$own" ] && [ -n "$head" ] && [ -n "$gb" ] &&
		[ "$own" -lt "$head" ] && [ "$head" -lt "$gb" ]; then
		ok "$h: usage (line 1), --variant (line $own), Google Benchmark's flags (line $head)"
	else
		bad "$h: exit $rc, usage not first or Google Benchmark's flags not under their heading"
		head -3 "$dir/help"
	fi
done

# A usage error in a folder without results/ leaves none behind.
mkdir "$dir/usage"
(cd "$dir/usage" && $RUN "$tb" --repetitions 0 >/dev/null 2>&1)
if [ -e "$dir/usage/results" ]; then
	bad "a usage error left results/ behind: $(ls -A "$dir/usage/results")"
else
	ok "a usage error creates no results/"
fi

# What event names encode to: a forced Neoverse N1 PMU under qemu, perf's
# generic hardware events natively.
if [ -n "$RUN" ] && [ "$ARCH" = arm64 ]; then
	LIBPFM_FORCE_PMU=arm_n1 $RUN "$tb" --list-events >"$dir/ev" 2>&1
	want='BR_MIS_PRED  *arm_n1  *type 4 config 0x10$'
else
	$RUN "$tb" --list-events >"$dir/ev" 2>&1
	want='branch-misses  *perf  *type 0 config 0x5$'
fi
if grep -q "$want" "$dir/ev"; then
	ok "--list-events: $(grep "$want" "$dir/ev" | tr -s ' ')"
else
	bad "--list-events does not show '$want'"
	cat "$dir/ev"
fi

# In a folder without results/: listing writes nothing; a run makes
# results/ and a new file in it.
mkdir "$dir/empty"
(cd "$dir/empty" && $RUN "$tb" --list >/dev/null 2>&1) ||
	bad "--list in a folder without results/"
if [ -e "$dir/empty/results" ]; then
	bad "--list created results/"
else
	ok "--list writes no results file"
fi
# Its name: results/<host>-<core>-<date>.json, <core> the context's
# core_slug (-emulated under qemu-user); a second run the same day gets
# -2, never the same file.
day0=$(date +%Y%m%d)
for i in 1 2; do
	(cd "$dir/empty" && $RUN "$tb" --variant inline --scenario hot \
		--repetitions 1 --batches 16 --events none >/dev/null 2>&1)
done
today=$(date +%Y%m%d)
# the shorter name: the first run's ("-2.json" sorts before ".json")
first=$(cd "$dir/empty" && ls results/*.json 2>/dev/null |
	awk '{ print length($0), $0 }' | sort -n | head -1 | cut -d' ' -f2-)
if [ -z "$first" ]; then
	bad "a run without --out wrote no results/*.json"
else
	slug=$(/usr/bin/python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["context"].get("core_slug", "?"))' \
		"$dir/empty/$first")
	want="-$slug${RUN:+-emulated}-$today"
	case "$first" in
	results/*"$want.json" | results/*"-$slug${RUN:+-emulated}-$day0.json")
		ok "default results file: $first" ;;
	*)
		bad "default results file $first is not results/<host>$want.json" ;;
	esac
	case "$slug" in
	*[!a-z0-9-]* | "" | -* | *-)
		bad "core_slug '$slug' is not a lowercase slug" ;;
	esac
	if [ -e "$dir/empty/${first%.json}-2.json" ]; then
		ok "a second run the same day: ${first%.json}-2.json"
	else
		bad "a second default run: no ${first%.json}-2.json in $(ls "$dir/empty/results")"
	fi
fi

# Interrupted runs (Ctrl-C, kill) leave no partial results file, and no
# results/ they made; a results/ that was there keeps what it held.
for sig in INT TERM; do
	rm -rf "$dir/int"
	mkdir "$dir/int"
	(cd "$dir/int" && timeout -s $sig 2 $RUN "$tb" --variant cbz \
		--events none >/dev/null 2>&1)
	if [ -z "$(ls -A "$dir/int")" ]; then
		ok "a run stopped by SIG$sig leaves nothing, no results/"
	else
		bad "SIG$sig left: $(ls -AR "$dir/int")"
	fi
done
mkdir -p "$dir/int/results"
echo '{"old": 1}' >"$dir/int/results/old.json"
before=$(tree_state "$dir/int")
(cd "$dir/int" && timeout -s INT 2 $RUN "$tb" --variant cbz --events none \
	>/dev/null 2>&1)
if [ "$(tree_state "$dir/int")" = "$before" ]; then
	ok "a run stopped by SIGINT leaves an existing results/ as it was"
else
	bad "SIGINT changed results/: $(ls -A "$dir/int/results")"
fi

# A --benchmark_filter that selects nothing: exit 2 and one line, after
# the self-test; no results file, and none named (as --benchmark_list_tests
# names none).  The default results/ is not left behind either.
short="--variant inline --scenario hot --repetitions 1 --batches 16 --events none"
for args in "--benchmark_filter=nomatch --out F.json" \
	"--benchmark_filter=nomatch" "--benchmark_filter=( --out F.json"; do
	rm -rf "$dir/filt"
	mkdir "$dir/filt"
	(cd "$dir/filt" && $RUN "$tb" $short $args) >"$dir/out" 2>"$dir/err"
	rc=$?
	case "$args" in
	*nomatch*) want="--benchmark_filter=nomatch selects no benchmark" ;;
	*) want="--benchmark_filter=( is no regular expression" ;;
	esac
	if [ $rc -eq 2 ] && grep -qF -- "$want" "$dir/err" &&
		! grep -q "results:" "$dir/out" "$dir/err" &&
		[ -z "$(ls -A "$dir/filt")" ]; then
		ok "$args -> exit 2, nothing written or named: $(grep -F -- "$want" "$dir/err")"
	else
		bad "$args -> exit $rc, left '$(ls -A "$dir/filt")': $(grep -F "results:" "$dir/out" "$dir/err")"
		tail -n 3 "$dir/err"
	fi
done
rm -rf "$dir/filt"
mkdir "$dir/filt"
(cd "$dir/filt" && $RUN "$tb" $short --out F.json \
	--benchmark_list_tests=true) >"$dir/out" 2>"$dir/err"
rc=$?
if [ $rc -eq 0 ] && grep -q "^hot/inline/tput" "$dir/out" &&
	! grep -q "results:" "$dir/out" "$dir/err" &&
	[ -z "$(ls -A "$dir/filt")" ]; then
	ok "--benchmark_list_tests=true lists, writes and names no results file"
else
	bad "--benchmark_list_tests=true: exit $rc, left '$(ls -A "$dir/filt")', $(grep "results:" "$dir/out" "$dir/err")"
fi

# --root with a folder that is no tree of /sys and /proc: exit 2 and one
# line saying what is missing, nothing invented on stdout.
mkdir "$dir/noroot"
for what in check list-events list-cpus; do
	$RUN "$tb" --$what --root "$dir/noroot" >"$dir/out" 2>"$dir/err"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$dir/out" ] &&
		[ "$(grep -c . "$dir/err")" -eq 1 ] &&
		grep -q "no sys/devices/system/cpu/online.*not a recorded tree of /sys and /proc" "$dir/err"; then
		ok "--$what --root (empty folder) -> exit 2: $(cat "$dir/err")"
	else
		bad "--$what --root (empty folder) -> exit $rc: $(cat "$dir/out" "$dir/err")"
	fi
done

# A short run, forced to timer mode, and one with the default events.
# The hot scenario only: what is checked here; test_scenarios.sh runs
# every scenario, and tolerates the rows a busy machine gets refused.
run() {
	$RUN "$tb" --variant cbz --scenario hot --repetitions 2 \
		--batches 64 "$@" >"$dir/run.out" 2>"$dir/run.err"
}
if run --events none --out "$dir/a.json"; then
	ok "run in timer mode wrote a.json"
else
	bad "trampbench run failed"
	cat "$dir/run.err"
fi
run --out "$dir/b.json" || bad "trampbench default-events run failed"
# Two variants: interleaved by default; sites shifted as asked.
run --variant tail --site-shift 0,12 --events none --repetitions 2 \
	--batches 32 --benchmark_filter=hot/ --out "$dir/c.json" ||
	bad "two-variant run with --site-shift failed"
sum=$(md5sum <"$dir/a.json")
if run --events none --out "$dir/a.json"; then
	bad "a second run overwrote $dir/a.json"
elif grep -q "exists" "$dir/run.err" && [ "$(md5sum <"$dir/a.json")" = "$sum" ]; then
	ok "existing results file refused and left intact: $(grep exists "$dir/run.err")"
else
	bad "second run to an existing file: wrong error"
	cat "$dir/run.err"
fi

# What the JSON says: mode, context, calibration rows, per-call counters.
/usr/bin/python3 - "$dir/a.json" "$dir/b.json" "${RUN:+emulated}" "$dir/c.json" <<'EOPY' || fails=$((fails + 1))
import json, sys

a, b = (json.load(open(p)) for p in sys.argv[1:3])
c = json.load(open(sys.argv[4]))
emulated = sys.argv[3] == 'emulated'
bad = 0
def check(cond, what):
    global bad
    print(('ok: ' if cond else 'FAIL: ') + what)
    bad += not cond

ctx = a['context']
for key in ('arch', 'core_type', 'kernel', 'compiler', 'counter_mode',
            'patch_mode', 'governor', 'trampbench_version', 'method',
            'timer', 'core_ghz_calibrated', 'estimator', 'batch_sizing',
            'cycles_from', 'random_interleaving', 'core_slug'):
    check(key in ctx, 'context has %s: %s' % (key, ctx.get(key)))
want = 'emulated' if emulated else 'timer'
check(ctx['counter_mode'] == want, '--events none runs in %s mode' % want)
check(ctx.get('results_format') == '1', 'results_format "1": %r'
      % ctx.get('results_format'))
check(ctx.get('event_roles') == '', 'no event roles in %s mode: %r'
      % (want, ctx.get('event_roles')))
# In pmu mode each role names the key of its counter in every row.
bctx = b['context']
roles = dict(p.split('=', 1) for p in bctx.get('event_roles', '').split(',')
             if p)
if bctx['counter_mode'] == 'pmu':
    meas = [r for r in b['benchmarks'] if r['name'].startswith('hot/')
            and r.get('run_type') == 'iteration']
    check('cycles' in roles and all(k in r for k in roles.values()
                                    for r in meas),
          'pmu mode: event_roles %s, each a counter of every row' % roles)
else:
    check(bctx.get('event_roles') == '', 'default run in %s mode: no '
          'event roles' % bctx['counter_mode'])
check(ctx['random_interleaving'] == 'off',
      'one variant: repetitions not interleaved')
check(c['context']['random_interleaving'] == 'on',
      'two variants: repetitions interleaved by default')
it = [r for r in c['benchmarks'] if r.get('run_type') == 'iteration']
for shape in ('tput', 'lat'):
    for shift in (0, 12):
        part = '/shift:12/' if shift else '/'
        got = [r.get('site_offset') for r in it
               if r['name'].startswith('hot/tail:') and
               (part + shape + '/') in r['name'] and
               ('/shift:' in r['name']) == bool(shift)]
        check(len(got) == 2 and all(g == shift for g in got),
              'hot/tail%s%s: call sites at offset %s in their line' % (
                  part, shape, got))
check(all(r.get('iterations') == 32 for r in it),
      'one iteration per batch: 32 batches per repetition')
check(all(0 <= r.get('others_busy', -1) <= 1 and 0 <= r.get('steal', -1) <= 1
          for r in it), 'load of the other CPUs and steal recorded')
check(b['context']['counter_mode'] in
      (('emulated',) if emulated else ('pmu', 'timer')),
      'default run mode: %s (%s)' % (b['context']['counter_mode'],
                                     b['context'].get('counter_mode_why')))
rows = {r['name']: r for r in a['benchmarks']
        if r.get('run_type') == 'aggregate' and r['aggregate_name'] == 'median'}
def row(prefix):
    return next((r for n, r in rows.items() if n.startswith(prefix)), None)
# A run under an emulator (qemu-user here), or whose quick calibration no
# core could read, says so after the mode, in every row and in the
# context alike.
check(ctx.get('core_cycles', '').split(':')[0] in ('yes', 'no'),
      'context core_cycles: %r' % ctx.get('core_cycles'))
if ctx.get('core_cycles', '').startswith('no: '):
    want += ' NOT CORE CYCLES'
# What each calibration row's label says after the mode: without a PMU
# the add chain is the clock's definition, and says so; the multiply
# chain names its instruction and the stated latency, or that none is.
parts = {'calibration/add_chain': "the clock's definition, no check",
         'calibration/mul_chain': ' chain'}
for name in ('calibration/empty', 'calibration/add_chain',
             'calibration/mul_chain',
             'calibration/call_ret', 'calibration/branch_random',
             'hot/cbz:'):
    if name.startswith('hot/'):
        for shape in ('/tput/', '/lat/'):
            r = row(name + 'pad=on,align=8,lit=rodata' + shape)
            check(r is not None and r.get('cycles', 0) > 0,
                  'hot/cbz %s: %s cycles/call' % (shape, r and r.get('cycles')))
    r = row(name)
    label = r and r.get('label')
    check(r is not None and 'cycles' in r and
          (label == want if name not in parts else
           (label or '').startswith(want + '; ') and parts[name] in label),
          '%s: median %s cycles/call, labelled %s' % (
              name, r and r.get('cycles'), label))
# expect_cycles: the latency the label cites, never under an emulator
r = row('calibration/mul_chain')
cited = r is not None and ' cycles each on ' in r.get('label', '')
check(r is not None and ('expect_cycles' in r) == cited and
      (not cited or ' %g cycles each' % r['expect_cycles'] in r['label']) and
      not (emulated and cited),
      'mul_chain: expect_cycles %s, as its label says' % (
          r and r.get('expect_cycles')))
check(row('calibration/branch_random') is not None and
      'mispredict_penalty' in row('calibration/branch_random'),
      'mispredict penalty reported')
if not emulated:
    # Sane, with room for a shared, noisy VM.
    e, add, call = (row('calibration/' + n)['cycles']
                    for n in ('empty', 'add_chain', 'call_ret'))
    check(abs(e) < 0.5, 'empty loop %.3f cycles/item (about 0)' % e)
    # The clock comes from the same chain each repetition: near 1 anywhere.
    # ... unless the run's own contention gate saw another guest at work
    r = row('calibration/add_chain')
    busy = r.get('contention_pct', 0) > 1 or r.get('steal', 0) > 0.01
    check(0.9 < add < 1.1 or busy,
          'add chain %.3f cycles/add (about 1%s)' % (
              add, '; measured under contention %.1f%%, steal %.3f: not held to it'
              % (r.get('contention_pct', 0), r.get('steal', 0)) if busy else ''))
    check(0 < call < 60, 'call/ret %.2f cycles' % call)
    hot = row('hot/cbz:')['cycles']
    check(0 < hot < 200, 'hot cbz call %.2f cycles' % hot)
sys.exit(1 if bad else 0)
EOPY

# What the reports need, from the program, not restated by them: the
# scenarios (order, descriptions), the designs, the instances as posted,
# the baseline and the contention gate's bound in the context; each row's
# scenario, variant and parameters as fields, which rebuild its name.
$RUN "$tb" --list >"$dir/list" 2>/dev/null || bad "--list failed"
$RUN "$tb" --list-scenarios >"$dir/scns" 2>/dev/null ||
	bad "--list-scenarios failed"
/usr/bin/python3 - "$dir/a.json" "$dir/c.json" "$dir/list" "$dir/scns" <<'EOPY' || fails=$((fails + 1))
import json, sys

a, c = (json.load(open(p)) for p in sys.argv[1:3])
listed = open(sys.argv[3]).read().split('\n')
scns = [l.split(None, 1) for l in open(sys.argv[4]).read().split('\n') if l]
bad = 0
def check(cond, what):
    global bad
    print(('ok: ' if cond else 'FAIL: ') + what)
    bad += not cond

ctx = a['context']
order = [n for n, _ in scns]
check(ctx.get('scenario_order') == ','.join(order),
      'context scenario_order, as --list-scenarios: %s'
      % ctx.get('scenario_order'))
check(all(ctx.get('scenario_about.' + n) == t for n, t in scns),
      "context scenario_about.<name>: each --list-scenarios' line")
check(all(isinstance(ctx.get(k + n), str) for n in order
          for k in ('scenario_unit.', 'scenario_describe.')),
      'context scenario_unit.<name> and scenario_describe.<name>')
specs = [l.split()[0] for l in listed if l]
designs = []
for sp in specs:
    d = sp.split(':', 1)[0]
    if d not in designs:
        designs.append(d)
check(ctx.get('designs') == ','.join(designs),
      'context designs, in --list order: %s' % ctx.get('designs'))
posted = [l.split()[0] for l in listed if l.endswith('(as posted)')]
check(ctx.get('as_posted', '').split(' ') == posted,
      'context as_posted: the (as posted) lines of --list, %d of them'
      % len(posted))
check(ctx.get('baseline') in posted,
      'context baseline, an instance as posted: %s' % ctx.get('baseline'))
pct = ctx.get('contention_pct_max', '')
try:
    pct_ok = float(pct) > 0 and ('over %s%% above' % pct) in \
        ctx.get('contention_gate', '')
except ValueError:
    pct_ok = False
check(pct_ok, "context contention_pct_max %r, the gate's bound" % pct)

def joined(params):
    return '/'.join(k if v is True else '%s:%s' % (k, v)
                    for k, v in params.items())

for name, data in (('a.json', a), ('c.json', c)):
    rows = data['benchmarks']
    wrong = []
    for r in rows:
        p = r.get('params')
        if not (isinstance(r.get('scenario'), str) and
                isinstance(r.get('variant'), str) and
                isinstance(r.get('variant_short'), str) and
                isinstance(p, dict) and
                all(v is True or isinstance(v, str) for v in p.values())):
            wrong.append(r['name'])
            continue
        head = '/'.join([r['scenario'], r['variant']] +
                        ([joined(p)] if p else []))
        if not r['run_name'].startswith(head + '/'):
            wrong.append(r['name'])
        # the short name names the same instance, or is the name
        short = r['variant_short']
        if r['scenario'] != 'calibration' and (
                short.split(':', 1)[0] != r['variant'].split(':', 1)[0] or
                len(short) > len(r['variant'])):
            wrong.append(r['name'])
    check(rows and not wrong,
          '%s: each of %d rows has scenario, variant, variant_short, params '
          'that rebuild its name%s' % (name, len(rows),
                                       ': not ' + wrong[0] if wrong else ''))
hot = [r for r in c['benchmarks'] if r.get('scenario') == 'hot' and
       r.get('run_type') == 'iteration']
check({(r['variant_short'], joined(r['params'])) for r in hot} ==
      {(v, p) for v in ('cbz', 'tail') for p in
       ('tput', 'lat', 'shift:12/tput', 'shift:12/lat')},
      'c.json: hot rows of cbz and tail, shift:12 and its word as params')
cal = [r for r in a['benchmarks'] if r['name'].startswith('calibration/')]
check(cal and all(r.get('scenario') == 'calibration' and
                  r.get('params') == {} and
                  r['name'].startswith('calibration/%s/' % r['variant'])
                  for r in cal),
      'calibration rows: scenario calibration, their own name as variant')
sys.exit(1 if bad else 0)
EOPY

# Every context key a run writes is trampbench's own: none can be given
# with --benchmark_context (it would stand in for the real value), the
# scenario_about.<name> ones included.
keys=$(/usr/bin/python3 -c 'import json, sys
print(" ".join(json.load(open(sys.argv[1]))["context"]))' "$dir/a.json")
taken=0
for k in $keys; do
	$RUN "$tb" --list --benchmark_context="mine=1,$k=x" >"$dir/out" \
		2>"$dir/err"
	if [ $? -eq 2 ] && grep -qF "'$k' is a context key trampbench writes" \
		"$dir/err"; then
		taken=$((taken + 1))
	else
		bad "--benchmark_context=$k=x is not refused: $(head -n 2 "$dir/err")"
	fi
done
[ "$taken" -gt 50 ] && ok "--benchmark_context: each of the $taken keys of a run's context refused" ||
	bad "--benchmark_context: only $taken context keys checked"

# The terminal display: a table per scenario that names the counter
# mode, within 80 columns; Google Benchmark's own rows only with
# --raw-console; a single repetition (no aggregates) shows its rows too.
mode="timer mode, no PMU"
[ -n "$RUN" ] && mode="EMULATED under qemu-user"
num='-\{0,1\}[0-9][0-9.]*'
tab() {
	$RUN "$tb" --variant cbz --scenario hot --batches 16 --events none \
		--no-out "$@" >"$dir/tab" 2>"$dir/tab.err" ||
		bad "trampbench $* failed: $(tail -n 2 "$dir/tab.err")"
}
tab --repetitions 2
if grep -q "^hot: median cycles per call of 2 repetitions; $mode\$" \
	"$dir/tab" &&
	grep -q "^  tput  *cbz  *$num  *$num\.\.$num\$" "$dir/tab" &&
	grep -q "^  lat  *cbz  *$num  *$num\.\.$num\$" "$dir/tab" &&
	grep -q "^  add_chain  *$num  *$num\.\.$num\$" "$dir/tab"; then
	ok "a table per scenario: $(grep -c "^[a-z0-9]*: median" "$dir/tab") tables, $mode"
else
	bad "no hot and calibration tables in the $mode display"
	cat "$dir/tab"
fi
long=$(awk 'length($0) > 80' "$dir/tab")
if [ "$(grep -c "^hot: " "$dir/tab")" -eq 1 ] &&
	! grep -q "manual_time" "$dir/tab" && [ -z "$long" ]; then
	ok "each table once, within 80 columns, no raw rows"
else
	bad "display: a table twice, raw rows or a line over 80 columns: $long"
	cat "$dir/tab"
fi
tab --repetitions 1
if grep -q "^hot: median cycles per call of 1 repetition; $mode\$" \
	"$dir/tab" && grep -q "^  tput  *cbz  *$num\$" "$dir/tab"; then
	ok "--repetitions 1: $(grep "^  tput" "$dir/tab")"
else
	bad "--repetitions 1: no rows in the display"
	cat "$dir/tab"
fi
tab --repetitions 2 --raw-console
if grep -q "^hot/cbz:.*manual_time_median " "$dir/tab" &&
	! grep -q "median cycles per call" "$dir/tab"; then
	ok "--raw-console: Google Benchmark's rows"
else
	bad "--raw-console does not show Google Benchmark's rows"
	head -5 "$dir/tab"
fi

# With JSON on stdout, stdout is JSON alone: the banner and the self-test
# go to stderr.
run --events none --no-out --benchmark_format=json \
	--benchmark_filter=calibration/empty || bad "--benchmark_format=json run"
if /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
	"$dir/run.out" 2>"$dir/jerr" && grep -q "self-test: all variants ok" \
	"$dir/run.err"; then
	ok "--benchmark_format=json: stdout is JSON, the self-test on stderr"
else
	bad "--benchmark_format=json: stdout is not JSON alone: $(cat "$dir/jerr")"
	head -5 "$dir/run.out"
fi

# The meter's counter-group path, with a software event where there is
# no PMU: the task clock per call, counted beside the timer.
if [ -z "$RUN" ]; then
	# A batch disturbed in every try makes the run fail on purpose; on a
	# machine busy with other builds that can happen: try again, twice.
	for try in 1 2 3; do
		run --events task-clock --no-out --benchmark_format=json \
			--benchmark_filter=hot/ && break
		echo "run with --events task-clock failed (try $try):"
		grep -v WARNING "$dir/run.err" | tail -n 3
		[ $try -eq 3 ] && bad "run with --events task-clock failed"
	done
	/usr/bin/python3 - "$dir/run.out" <<'EOPY' || fails=$((fails + 1))
import json, sys
rows = json.load(open(sys.argv[1]))['benchmarks']
# The counted task clock per call against the timer's time per call, for
# the same loops (medians): a wrong difference in one path is 2x off.
# Within 1.5x either way: the hypervisor's steal time is in the timer's
# count and not in the task clock, and the 2 vCPUs here are shared.
meds = [r for r in rows if r['name'].startswith('hot/cbz')
        and r.get('aggregate_name') == 'median']
ok = len(meds) == 2
for r in meds:
    tc, t = r.get('task-clock', 0), r['real_time']
    good = (r['time_unit'] == 'ns' and r['label'] == 'timer' and
            t > 0 and 1 / 1.5 < tc / t < 1.5)
    ok &= good
    print(('ok: ' if good else 'FAIL: ') +
          '%s: task-clock %s ns per call, timer %s ns (ratio %.3f), label %s'
          % (r['name'], tc, t, tc / t if t else 0, r['label']))
sys.exit(0 if ok else 1)
EOPY
fi

# Google Benchmark's own comparison tool reads both files unchanged.
cmp=/usr/share/benchmark/compare.py
if /usr/bin/python3 "$cmp" benchmarks "$dir/a.json" "$dir/b.json" \
	>"$dir/cmp" 2>&1 && grep -q "hot/cbz" "$dir/cmp"; then
	ok "compare.py read both results: $(grep -c / "$dir/cmp") rows"
else
	bad "compare.py failed on trampbench JSON (needs libbenchmark-tools, python3-scipy)"
	cat "$dir/cmp"
fi

# The plain-text summary names the mode, has hot's tables with their cbz
# row and the calibration rows.
note=timer
[ -n "$RUN" ] && note=EMULATED
if /usr/bin/python3 "$TB_SRC/report/summary.py" "$dir/a.json" >"$dir/sum" &&
	grep -q "$note" "$dir/sum" && grep -q '^hot/tput$' "$dir/sum" &&
	grep -q '^cbz ' "$dir/sum" && grep -q '^add_chain ' "$dir/sum"; then
	ok "report/summary.py: $(grep -c '^cbz ' "$dir/sum") cbz rows, says $note"
else
	bad "report/summary.py output"
	cat "$dir/sum"
fi
if /usr/bin/python3 "$TB_SRC/report/summary.py" "$dir/err" 2>"$dir/sumerr"; then
	bad "report/summary.py accepted a file that is not JSON"
else
	ok "report/summary.py refuses a bad file: $(cat "$dir/sumerr")"
fi

# linux-perf cross-check: only natively (perf counts the host).
if [ -z "$RUN" ]; then
	if "$TB_SRC/scripts/perfcheck.sh" "$tb" cbz >"$dir/pc" 2>&1; then
		ok "perfcheck: $(tail -1 "$dir/pc")"
		cat "$dir/pc"
	else
		bad "perfcheck"
		cat "$dir/pc"
	fi
else
	echo "perfcheck: skipped under $RUN (perf stat would count the emulator)"
fi

echo "test_trampbench: $fails failure(s)"
[ $fails -eq 0 ]
