#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run-to-run precision of trampbench: K separate invocations, then per
benchmark the median of each invocation, their spread, the cv across
repetitions, and each variant's difference against `inline` (same loop
shape and site shift) with its spread.

Repetitions that trampbench's contention probe flagged (contention_pct
over 1: another guest shared the core all the way through its retries)
are left out, and each run says how many there were; a benchmark left
with none in a run falls back to all of them there, marked `*`.
--all-reps keeps every repetition.

    scripts/precision.py [--runs K] [--keep DIR] -- PROGRAM [ARGS...]

`make precision` runs it on the host's build with the default variants.
Only the standard library: it runs wherever trampbench does.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


CONTENDED_PCT = 1.0


def load(path, all_reps=False):
    """{run_name: [cycles of each repetition]}, the context, and
    (contended, total) repetition counts and the benchmarks that had to
    fall back to contended repetitions."""
    with open(path) as f:
        data = json.load(f)
    quiet, every = {}, {}
    contended = total = 0
    for b in data.get('benchmarks', []):
        if b.get('run_type') != 'iteration' or 'cycles' not in b:
            continue
        if b.get('error_occurred'):
            continue
        total += 1
        every.setdefault(b['run_name'], []).append(b['cycles'])
        if b.get('contention_pct', 0) > CONTENDED_PCT:
            contended += 1
            if not all_reps:
                continue
        quiet.setdefault(b['run_name'], []).append(b['cycles'])
    fallback = set(every) - set(quiet)
    for name in fallback:
        quiet[name] = every[name]
    return quiet, data.get('context', {}), (contended, total), fallback


def short(run_name):
    """hot/cbz:.../tput/iterations:1000/repeats:10 -> hot/cbz:.../tput"""
    return '/'.join(p for p in run_name.split('/')
                    if not p.startswith(('iterations:', 'repeats:',
                                         'min_time:', 'manual_time')))


def baseline_of(name):
    """The inline row a scenario row is compared with (same scenario,
    same parameters), or None."""
    parts = name.split('/')
    if parts[0] == 'calibration' or len(parts) < 2 or parts[1] == 'inline':
        return None
    return '/'.join([parts[0], 'inline'] + parts[2:])


def spread(values):
    return max(values) - min(values) if values else float('nan')


def run(argv, runs, keep):
    paths = []
    for i in range(runs):
        path = os.path.join(keep, 'run%d.json' % (i + 1))
        if os.path.exists(path):
            sys.exit('precision.py: %s exists; give an empty --keep folder'
                     % path)
        print('precision.py: run %d of %d: %s' % (i + 1, runs,
                                                 ' '.join(argv)),
              file=sys.stderr, flush=True)
        r = subprocess.run(argv + ['--out', path], stdout=subprocess.DEVNULL)
        if r.returncode:
            sys.exit('precision.py: run %d failed (exit %d); see its output'
                     ' with the same command' % (i + 1, r.returncode))
        paths.append(path)
    return paths


def report(paths, out=sys.stdout, all_reps=False):
    per_run = []   # [{name: median}] per invocation
    cvs = {}       # name -> [cv of each invocation, %]
    marks = []     # [{name}] per invocation: fell back to contended reps
    counts = []
    ctx = None
    for p in paths:
        reps, c, n, fallback = load(p, all_reps)
        ctx = ctx or c
        counts.append(n)
        marks.append({short(f) for f in fallback})
        medians = {}
        for run_name, v in reps.items():
            name = short(run_name)
            medians[name] = statistics.median(v)
            if len(v) > 1 and statistics.mean(v):
                cvs.setdefault(name, []).append(
                    100 * statistics.stdev(v) / abs(statistics.mean(v)))
        per_run.append(medians)
    names = sorted(set().union(*per_run),
                   key=lambda n: (not n.startswith('calibration'), n))
    k = len(per_run)
    print('trampbench precision: %d invocations of %s' % (
        k, ctx.get('trampbench_version', '?') if ctx else '?'), file=out)
    if ctx:
        print('where: %s %s, %s, %s mode, %s' % (
            ctx.get('arch', '?'), ctx.get('core_name', '?'),
            ctx.get('model_name', ''), ctx.get('counter_mode', '?'),
            ctx.get('host', '?')), file=out)
    print('cycles per call: median of each invocation; spread = max - min'
          ' of those; cv = across repetitions, median over invocations',
          file=out)
    for i, (bad, total) in enumerate(counts):
        print('run%d: %d of %d repetitions contended (probe over %.0f%% above'
              ' the run\'s quietest)%s' % (
                  i + 1, bad, total, CONTENDED_PCT,
                  '' if all_reps or not bad else ', left out'), file=out)
    print(file=out)
    w = max(len(n) for n in names) if names else 10
    print('%-*s %s  %7s %6s' % (w, 'benchmark', ' '.join(
        '%7s ' % ('run%d' % (i + 1)) for i in range(k)), 'spread', 'cv%'),
        file=out)
    for n in names:
        meds = [r.get(n) for r in per_run]
        have = [m for m in meds if m is not None]
        cv = statistics.median(cvs[n]) if cvs.get(n) else float('nan')
        print('%-*s %s  %7.3f %6.2f' % (w, n, ' '.join(
            ('%7.3f' % m if m is not None else '%7s' % '-') +
            ('*' if n in marks[i] else ' ') for i, m in enumerate(meds)),
            spread(have), cv), file=out)
    rows = [(n, baseline_of(n)) for n in names]
    rows = [(n, b) for n, b in rows if b and b in names]
    if rows:
        print(file=out)
        print('difference against inline (same scenario, same parameters), cycles'
              ' per call', file=out)
        print('%-*s %s  %7s %7s' % (w, 'benchmark', ' '.join(
            '%7s' % ('run%d' % (i + 1)) for i in range(k)), 'median',
            'spread'), file=out)
        for n, b in rows:
            d = [r[n] - r[b] for r in per_run if n in r and b in r]
            print('%-*s %s  %7.3f %7.3f' % (w, n, ' '.join(
                '%7.3f' % x for x in d), statistics.median(d), spread(d)),
                file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', type=int, default=5, help='invocations (5)')
    ap.add_argument('--keep', help='folder for the result files (default:'
                    ' a temporary one, removed)')
    ap.add_argument('--report', nargs='+', metavar='JSON',
                    help='only report on result files already made')
    ap.add_argument('--all-reps', action='store_true',
                    help='keep repetitions the contention probe flagged')
    ap.add_argument('command', nargs='*', help='trampbench and its'
                    ' arguments (after --)')
    a = ap.parse_args()
    if a.report:
        report(a.report, all_reps=a.all_reps)
        return 0
    if not a.command or a.runs < 2:
        ap.error('give -- PROGRAM [ARGS] and --runs of 2 or more')
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
        report(run(a.command, a.runs, a.keep), all_reps=a.all_reps)
    else:
        with tempfile.TemporaryDirectory() as d:
            report(run(a.command, a.runs, d), all_reps=a.all_reps)
    return 0


if __name__ == '__main__':
    sys.exit(main())
