#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run-to-run precision of trampbench: K separate invocations (one group
of runs, as make report makes), then per benchmark the median of each
run, their range and interquartile range, the cv across repetitions,
and each variant's difference against the baseline the runs name (cbz;
same scenario, same parameters) run by run, with the verdict of
report/verdict.py on it: the rule summary.txt and report/merge decide
with.

The files are read by report/results.py, like every report's: it leaves
out the repetitions the contention probe flagged (contention_pct over
the run's contention_pct_max), and where every repetition of a
benchmark in a run was flagged it keeps them all, marked `*` here.
Runs of one level only: kernel runs (trampbench --kernel) are reported
apart from user ones, each set on its own.

    scripts/precision.py [--runs K] [--keep DIR] -- PROGRAM [ARGS...]
    scripts/precision.py --report A.json B.json ...

`make precision` runs it on the host's build with the default variants.
Only the standard library: it runs wherever trampbench does.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'report'))
import results  # noqa: E402
import stats  # noqa: E402
import verdict  # noqa: E402


def group_id():
    """A run_group id no other group has: host, time, process."""
    return 'precision-%s-%s-%d' % (socket.gethostname().split('.')[0],
                                   time.strftime('%Y%m%dT%H%M%SZ',
                                                 time.gmtime()),
                                   os.getpid())


def run(argv, runs, keep):
    paths = []
    group = group_id()
    for i in range(runs):
        path = os.path.join(keep, 'run%d.json' % (i + 1))
        if os.path.exists(path):
            sys.exit('precision.py: %s exists; give an empty --keep folder'
                     % path)
        print('precision.py: run %d of %d: %s' % (i + 1, runs,
                                                 ' '.join(argv)),
              file=sys.stderr, flush=True)
        ctx = '--benchmark_context=run_group=%s,run_index=%d,run_count=%d' \
            % (group, i + 1, runs)
        r = subprocess.run(argv + ['--out', path, ctx],
                           stdout=subprocess.DEVNULL)
        if r.returncode:
            sys.exit('precision.py: run %d failed (exit %d); see its output'
                     ' with the same command' % (i + 1, r.returncode))
        paths.append(path)
    return paths


def name_of(c):
    return '/'.join(p for p in (c.scenario, c.spec, c.params) if p)


def cv(values):
    """Percent, or None for fewer than two values or a mean of 0."""
    if len(values) < 2 or not statistics.mean(values):
        return None
    return 100 * statistics.stdev(values) / abs(statistics.mean(values))


def fmt(x, width=7, signed=False):
    if x is None:
        return '%*s' % (width, '-')
    return ('%+*.3f' if signed else '%*.3f') % (width, x)


def report(paths, out=sys.stdout):
    """The precision report of the results files @paths; 1 when one of
    them could not be read (named on stderr), else 0."""
    runs, errors = results.load_all(paths)
    runs, again = results.once(runs)
    runs, other = results.one_machine(runs)
    for e in errors + again + other:
        print('precision.py: %s' % e, file=sys.stderr)
    if not runs:
        return 1
    levels = results.by_level(runs)
    for level in list(levels)[1:]:
        print('precision.py: %s: %s runs, reported apart from the %s '
              'ones: give them on their own' % (
                  ', '.join(r.path for r in levels[level]), level,
                  list(levels)[0]), file=sys.stderr)
        other = True
    runs = next(iter(levels.values()))
    pooled = results.pooled(runs)
    k = len(runs)
    ctx = runs[0].context
    print('trampbench precision: %d runs of %s' % (k, ', '.join(sorted(
        {r.machine.version for r in runs}))), file=out)
    print('where: %s %s, %s, %s mode, %s%s' % (
        ctx.get('arch', '?'), ctx.get('core_name', '?'),
        ctx.get('model_name', ''), ctx.get('counter_mode', '?'),
        ctx.get('host', '?'),
        ', kernel level' if runs[0].level == 'kernel' else ''), file=out)
    print('cycles per call: median of each run; range = max - min of '
          'those, IQR their interquartile range; cv = across '
          'repetitions, median over the runs', file=out)
    for i, r in enumerate(runs):
        left = sum(c.contended for c in r.cases)
        kept = sum(len(c.reps) for c in r.cases if c.all_contended)
        total = left + sum(len(c.reps) for c in r.cases)
        if r.machine.emulated:
            what = 'none left out (emulated: the probe times the emulator)'
        elif r.facts.contention_pct is None:
            what = 'none left out (the run had no contention probe)'
        else:
            what = '%d of %d repetitions contended (probe over %.0f%% ' \
                "above the run's quietest): %d left out" % (
                    left + kept, total, r.facts.contention_pct, left)
            if kept:
                what += ', %d kept where a benchmark had no other (*)' % \
                    kept
        print('run%d: %s' % (i + 1, what), file=out)
    print(file=out)
    cases = sorted((c for c in pooled.values() if c.values('cycles')),
                   key=lambda c: (c.scenario != 'calibration', name_of(c)))
    w = max([len(name_of(c)) for c in cases] + [10])
    print('%-*s %s  %7s %7s %6s' % (w, 'benchmark', ' '.join(
        '%7s ' % ('run%d' % (i + 1)) for i in range(k)), 'range', 'IQR',
        'cv%'), file=out)
    for c in cases:
        per = c.per_run('cycles')
        meds = [verdict.run_median(v) for v in per]
        have = [m for m in meds if m is not None]
        cvs = [x for x in (cv(v) for v in per) if x is not None]
        print('%-*s %s  %s %s %6s' % (w, name_of(c), ' '.join(
            fmt(m) + ('*' if i in c.all_contended else ' ')
            for i, m in enumerate(meds)),
            fmt(max(have) - min(have)), fmt(stats.iqr(have)),
            '%6.2f' % statistics.median(cvs) if cvs else '-'), file=out)
    rows = []
    baseline = results.baseline_of(runs)
    for c in cases:
        if c.scenario == 'calibration':
            continue
        same = [x for x in cases if (x.scenario, x.params) ==
                (c.scenario, c.params)]
        base_spec = verdict.baseline_spec([x.spec for x in same], baseline)
        base = next((x for x in same if x.spec == base_spec), None)
        if base is not None and base is not c:
            rows.append((c, verdict.run_diffs(c, base)))
    if rows:
        print(file=out)
        print('difference against %s (same scenario, same parameters), '
              'cycles per call: each run\'s Hodges-Lehmann difference; '
              'verdict of report/verdict.py (holds: a result across the '
              'runs; flips: they disagree in sign; noise: within their '
              'spread; few: under %d runs)' % (
                  results.design_of(baseline), verdict.MIN_RUNS), file=out)
        print('%-*s %s  %7s %7s  %s' % (w, 'benchmark', ' '.join(
            '%7s' % ('run%d' % (i + 1)) for i in range(k)), 'median',
            'range', 'verdict'), file=out)
        for c, ds in rows:
            v = verdict.across(ds)
            print('%-*s %s  %s %s  %s' % (
                w, name_of(c), ' '.join(fmt(d, signed=True) for d in ds),
                fmt(v.estimate, signed=True), fmt(v.spread), v.word),
                file=out)
    return 1 if errors or other else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--runs', type=int, default=5, help='invocations (5)')
    ap.add_argument('--keep', help='folder for the result files (default:'
                    ' a temporary one, removed)')
    ap.add_argument('--report', nargs='+', metavar='JSON',
                    help='only report on result files already made')
    ap.add_argument('command', nargs='*', help='trampbench and its'
                    ' arguments (after --)')
    a = ap.parse_args()
    if a.report:
        return report(a.report)
    if not a.command or a.runs < 2:
        ap.error('give -- PROGRAM [ARGS] and --runs of 2 or more')
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
        return report(run(a.command, a.runs, a.keep))
    with tempfile.TemporaryDirectory() as d:
        return report(run(a.command, a.runs, d))


if __name__ == '__main__':
    sys.exit(main())
