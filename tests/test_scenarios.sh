#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every scenario runs, briefly, for every variant instance: the program
# as a user runs it, --all-variants with one short repetition each, in
# timer mode (emulated under qemu).  From its JSON: every scenario has
# rows for every instance; each row was measured, or skipped for one of
# the reasons this design expects (kCFI would trap, sites code only for
# the designs as posted, the designs that can only branch directly
# (arm64 inline; x86 inline and jmp) cannot reach the far target, no
# second CPU for update/concurrent, nothing data-cold in a design without
# a literal), and for no other; the counter mode
# says timer or emulated, as it is.  And --quick lists every scenario for
# every variant as posted.
#   TB_BUILD  absolute build directory    RUN  emulator prefix, or empty
#   ARCH      architecture under test
set -u
tb="$TB_BUILD/trampbench"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0

$RUN "$tb" --list >"$dir/list" 2>/dev/null || fails=$((fails + 1))
$RUN "$tb" --list-scenarios >"$dir/scn" 2>/dev/null || fails=$((fails + 1))
$RUN "$tb" --quick --no-out --benchmark_list_tests=true \
	>"$dir/quick" 2>"$dir/quick.err" || {
	echo "FAIL: --quick --benchmark_list_tests"
	cat "$dir/quick.err"
	fails=$((fails + 1))
}
$RUN "$tb" --full --scenario sites --no-out --benchmark_list_tests=true \
	>"$dir/full" 2>"$dir/full.err" || {
	echo "FAIL: --full --benchmark_list_tests"
	cat "$dir/full.err"
	fails=$((fails + 1))
}

start=$(date +%s)
# Rows that cannot run here are listed, not failures: the run exits 0
# unless the meter refused a row (checked below).
$RUN "$tb" --all-variants --repetitions 1 --batches 16 --events none \
	--out "$dir/all.json" >"$dir/run.out" 2>"$dir/run.err"
rc=$?
echo "trampbench --all-variants --repetitions 1 --batches 16: $(($(date +%s) - start)) s"
[ -s "$dir/all.json" ] || {
	echo "FAIL: no results file"
	tail -20 "$dir/run.err"
	exit 1
}

/usr/bin/python3 - "$dir" "$ARCH" "${RUN:+emulated}" "$rc" <<'EOPY' || fails=$((fails + 1))
import collections, json, re, sys

d, arch, emulated = sys.argv[1], sys.argv[2], sys.argv[3] == 'emulated'
rc = int(sys.argv[4])
bad = 0


def check(cond, what):
    global bad
    print(('ok: ' if cond else 'FAIL: ') + what)
    bad += not cond
    return cond


insts, defaults = [], []
for line in open(d + '/list'):
    f = line.split()
    if f:
        insts.append(f[0])
        if '(as posted)' in line:
            defaults.append(f[0])
scenarios = [l.split()[0] for l in open(d + '/scn') if l.strip()]
check(len(insts) > 0 and len(defaults) == len(set(i.split(':')[0]
                                                  for i in insts)),
      '%d instances, %d as posted; scenarios: %s' % (
          len(insts), len(defaults), ' '.join(scenarios)))


def split(name):
    """scenario/spec[/params]/iterations:... -> (scenario, spec, params)"""
    name = re.sub(r'/(iterations|repeats|manual_time).*$', '', name)
    parts = name.split('/')
    return parts[0], parts[1] if len(parts) > 1 else '', \
        '/'.join(parts[2:])


# --quick lists every scenario for every variant as posted.
quick = {split(l.strip())[:2] for l in open(d + '/quick') if '/' in l}
missing = ['%s/%s' % (s, v) for s in scenarios for v in defaults
           if (s, v) not in quick]
check(not missing, '--quick lists all %d scenarios x %d variants as posted%s'
      % (len(scenarios), len(defaults),
         ': missing ' + ', '.join(missing) if missing else ''))

res = json.load(open(d + '/all.json'))
ctx = res['context']
mode = 'emulated' if emulated else 'timer'
check(ctx.get('counter_mode') == mode,
      'counter mode %s (%s)' % (ctx.get('counter_mode'),
                                 ctx.get('counter_mode_why')))
rows = {}
for r in res['benchmarks']:
    s, spec, params = split(r['name'])
    if s in scenarios:
        rows.setdefault((s, spec), []).append((params, r))

knobs = {}
for i in insts:
    v, _, k = i.partition(':')
    knobs[i] = dict([('variant', v)] +
                    [tuple(kv.split('=')) for kv in k.split(',') if kv])


def expected_skip(s, inst, params):
    """Why (a pattern) this row cannot run here, or None; a pattern
    ending in '?' may run or not (it depends on the machine)."""
    k = knobs[inst]
    kcfi = k['variant'] == 'indirect' and k.get('kcfi') == 'on'
    if s == 'null' and kcfi and k.get('null') == 'nop':
        return 'traps under kCFI'
    if s == 'ret0' and kcfi:
        return 'traps under kCFI'
    if s == 'far' and arch == 'arm64' and k['variant'] == 'inline':
        return 'cannot reach an out-of-range target'
    if s == 'far' and arch == 'x86' and k['variant'] in ('inline', 'jmp'):
        return 'rel32 cannot reach it'
    if s == 'sites' and inst not in defaults:
        return 'generated for the designs as posted only'
    if s == 'update' and params == 'concurrent':
        return 'needs a second CPU?'  # only on a one-CPU machine
    if (s == 'cold' and k['variant'] in ('inline', 'jmp') and
            not params.startswith('code')):
        return 'loads no literal or pointer'
    return None


# The meter refuses a repetition it cannot trust: every try disturbed by
# a context switch (natively), or no clock in any of its 16 batches.  On
# a busy shared machine a few rows may be; that is the instrument
# working, not a scenario failing, as long as they are few.
refusal = re.compile(r'disturbed \(context switches or migrations\) in '
                     r'every try|the add chain measured no time')
absent, wrong, failed, refused, measured, skipped = [], [], [], [], 0, 0
for s in scenarios:
    for inst in insts:
        got = rows.get((s, inst))
        if not got:
            absent.append('%s/%s' % (s, inst))
            continue
        for params, r in got:
            name = '/'.join(x for x in (s, inst, params) if x)
            why = expected_skip(s, inst, params)
            msg = r.get('error_message', '')
            if r.get('error_occurred'):
                if not msg:
                    failed.append(name + ': skipped without a reason')
                elif why and re.search(why, msg):
                    skipped += 1
                elif refusal.search(msg):
                    refused.append('%s: %s' % (name, msg))
                else:
                    failed.append('%s: %s' % (name, msg))
                continue
            if why and not why.endswith('?'):
                wrong.append('%s: measured, expected skipped (%s)' % (
                    name, why))
                continue
            label = r.get('label', '')
            if 'cycles' not in r or not label.startswith(mode):
                wrong.append('%s: no cycles, or label %r not %s' % (
                    name, label, mode))
                continue
            measured += 1
check(not absent, 'every scenario has rows for all %d instances%s' % (
    len(insts), ': missing ' + ', '.join(absent[:10]) if absent else ''))
check(not failed, 'no row failed or was skipped for an unexpected reason%s'
      % (': ' + '; '.join(failed[:10]) if failed else ''))
check(len(refused) * 20 <= measured + len(refused),
      '%d row(s) refused by the meter on a busy machine (at most 5%%)%s' % (
          len(refused), ': ' + '; '.join(refused[:5]) if refused else ''))
check(not wrong, 'rows skipped exactly where expected, measured ones '
      'labelled %s%s' % (mode, ': ' + '; '.join(wrong[:10]) if wrong else ''))
# The sites sweep, per variant as posted.
for v in defaults:
    ns = sorted(int(re.match(r'n:(\d+)', p).group(1))
                for p, r in rows.get(('sites', v), []) if p.startswith('n:'))
    check(ns and ns[0] == 1 and ns[-1] == 4096,
          'sites/%s: N from %s to %s' % (v, ns[:1], ns[-1:]))
# --full: every power of 2 from 1 to 4096, round-robin and random, and
# one per line where there are trampolines.
full = collections.defaultdict(set)
for l in open(d + '/full'):
    m = re.match(r'sites/([^/]+)/n:(\d+)/order:(\w+)/spacing:(\w+)', l)
    if m:
        full[m.group(1)].add((int(m.group(2)), m.group(3), m.group(4)))
for v in defaults:
    knobs = [('rr', 'packed'), ('random', 'packed')]
    if not v.startswith(('indirect', 'inline')):
        knobs.append(('rr', 'line'))
    want = {(1 << l, o, sp) for l in range(13) for o, sp in knobs}
    check(full[v] == want, 'sites/%s --full: %d parameter sets (%d wanted)'
          % (v, len(full[v]), len(want)))
check(rc == (1 if refused else 0),
      'exit status %d: %s' % (rc, 'a refused row is a failure' if refused
                              else 'skipped rows are not failures'))
print('%d rows measured, %d skipped as expected' % (measured, skipped))
sys.exit(1 if bad else 0)
EOPY

echo "test_scenarios: $fails failure(s)"
[ $fails -eq 0 ]
