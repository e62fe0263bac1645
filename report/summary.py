#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""summary.txt: one machine's trampbench results, to paste into an LKML reply.

    report/summary.py [--model MODEL.json] results/A.json [B.json ...]

Plain text, ASCII, no tabs, no line over 72 columns.  Each file is one
run of one machine (make report writes a group of them); a file of
another machine, or one that is not a results file, is named on stderr
with one line, the rest still reported, and the exit status is 1.

What it holds, in order: the machine, its runs and how it counted (an
emulated or timer-only run says so first); the calibration rows with
what each should read; per scenario a table of variants (cycles per
call: the median of the run medians, the IQR and min..max of the
repetitions, mispredicts and L1I refills per call where counted, the
difference to cbz, the v7 patch, with its 95% CI (one run) or per-run
range, the Mann-Whitney mark, Holm-adjusted, and with several runs the
verdict of report/verdict.py); which variant wins where, against the
runner-up; how many tests it made and how they are accounted for; an
ASCII plot of the sites sweep (gnuplot's dumb terminal); the static
model beside the hot rows when --model has this core; a note on
run-to-run precision.
"""

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import results  # noqa: E402
import stats    # noqa: E402
import tsv      # noqa: E402
import verdict  # noqa: E402
from outdir import PlotFailed  # noqa: E402

WIDTH = 72
# How many runs make report measures (scripts/report.sh's RUNS).
DEFAULT_RUNS = 5
# Parameter words in their natural order.
WORD_RANK = {'tput': 0, 'lat': 1, 'alone': 0, 'concurrent': 1,
             'rr': 0, 'random': 1, 'packed': 0, 'line': 1}
# Scenarios swept over a numeric parameter: compact table per N.
SWEEP = {'sites': 'n'}
# Where a run's core name maps to an llvm cpu (written elsewhere).
MODEL_CPUS = os.path.join(os.path.dirname(HERE), 'harness', 'data',
                          'model-cpus.tsv')
GNUPLOT = 'gnuplot'
IND = ' ' * 10      # the machine block's continuation lines

CALIBRATION = (
    # name, counter, unit suffix, hint
    ('empty', 'cycles', '', '~0: the difference method residue'),
    ('add_chain', 'cycles', '', '~1: one dependent add per cycle'),
    ('mul_chain', 'cycles', '', 'no stated latency for this core'),
    ('call_ret', 'cycles', '', 'a call of a ret: the cheapest call'),
    ('branch_random', 'mispredict_penalty', '',
     'mispredict_penalty, > 0 on a core'),
    ('core_clock_drift', 'drift_pct', '%',
     'within +-2% (warned beyond)'),
)


# ---------------------------------------------------------------- text

class _Wrapper(textwrap.TextWrapper):
    """Breaks between words and after commas, never inside a word: a
    path or a variant spec stays whole for copying, and a word longer
    than a line gets one of its own, over the width."""

    def _split(self, text):
        return [c for c in re.split(r'(\s+|(?<=,)(?=\S))', text) if c]


def wrap(text, indent='', first=None, width=WIDTH):
    """@text wrapped to @width, every line starting with @indent (the
    first with @first when given)."""
    first = indent if first is None else first
    w = _Wrapper(width, initial_indent=first, subsequent_indent=indent,
                 break_on_hyphens=False, break_long_words=False)
    return w.wrap(text) or [first.rstrip()]


def wrap_spec(spec, indent=''):
    """A variant spec over several lines, broken after its commas only
    (a part longer than a line is left whole)."""
    out, line = [], indent
    for part in re.split(r'(?<=,)', spec):
        if len(line) + len(part) > WIDTH and line.strip():
            out.append(line)
            line = indent + '  '
        line += part
    out.append(line)
    return out


def ascii(text):
    """@text with anything outside printable ASCII replaced."""
    text = text.replace('\t', ' ')
    return ''.join(c if ' ' <= c <= '~' else '?' for c in text)


def fit(text, width):
    """@text cut at a word to @width columns, '...' marking the cut."""
    if len(text) <= width:
        return text
    cut = text[:max(width - 3, 0)]
    if ' ' in cut[width // 2:]:
        cut = cut[:cut.rindex(' ')]
    return cut.rstrip(' ,;:') + '...'


def num(x, signed=False):
    """A value with the precision its size deserves; '-' for none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return '-'
    a = abs(x)
    if a >= 1e8:
        s, v = 'M', x / 1e6
    elif a >= 1e5:
        s, v = 'k', x / 1e3
    else:
        s, v = '', x
    av = abs(v)
    dec = 2 if av < 10 else 1 if av < 100 else 0
    t = ('%+.*f' if signed else '%.*f') % (dec, v)
    if float(t) == 0:
        t = ('+' if signed else '') + t.lstrip('+-')
    return t + s


def table(headers, rows, right=None):
    """Lines of a table: columns as wide as their contents, the first
    (the names) left-aligned, the others right-aligned unless @right
    says otherwise.  A row whose second cell is a dict {'span': text}
    writes text across the other columns.  A name too long for the
    width left is written on a line of its own, the numbers below."""
    n = len(headers)
    right = right or [False] + [True] * (n - 1)
    cells = [r for r in rows if not isinstance(r[1], dict)]
    widths = [max([len(headers[i])] + [len(r[i]) for r in cells])
              for i in range(n)]
    for gap in (2, 1):
        rest = sum(widths[1:]) + gap * (n - 1)
        if widths[0] + rest <= WIDTH:
            break
    name_w = max(min(widths[0], WIDTH - rest), len(headers[0]))
    widths[0] = name_w

    def line(r):
        parts = []
        for i, c in enumerate(r):
            parts.append(c.rjust(widths[i]) if right[i]
                         else c.ljust(widths[i]))
        return (' ' * gap).join(parts).rstrip()

    out = [line(headers)]
    for r in rows:
        name = r[0]
        if len(name) > name_w:
            out += wrap_spec(name)
            name = ''
        if isinstance(r[1], dict):
            text = r[1]['span']
            width = WIDTH - name_w - gap
            out.append((name.ljust(name_w) + ' ' * gap +
                        fit(text, width)).rstrip())
        else:
            out.append(line([name] + list(r[1:])))
    return out


# ------------------------------------------------------------ ordering

def _param_key(params):
    key = []
    for p in filter(None, params.split('/')):
        k, colon, v = p.partition(':')
        if not colon:
            k, v = '', k
        if re.fullmatch(r'-?\d+', v):
            key.append((k, (0, int(v), '')))
        elif v in WORD_RANK:
            key.append((k, (1, WORD_RANK[v], '')))
        else:
            key.append((k, (2, 0, v)))
    return key


def spec_key(designs):
    """The sort key of variant specs: by design in the order @designs
    (results.design_order(): the baseline's first), then by spec, its
    numbers as numbers."""
    def key(spec):
        design = results.design_of(spec)
        rank = designs.index(design) if design in designs else len(designs)
        natural = [(0, int(t), '') if t.isdigit() else (1, 0, t)
                   for t in re.split(r'(\d+)', spec)]
        return (rank, design, natural)
    return key


def show_params(params):
    """Parameters as titles show them: 'order:rr/spacing:packed/n:64'
    -> 'rr/packed/n:64' (a value that names itself loses its key)."""
    out = []
    for p in filter(None, params.split('/')):
        k, colon, v = p.partition(':')
        out.append(v if colon and v in WORD_RANK else p)
    return '/'.join(out)


# --------------------------------------------------------------- stats

def testable(m, n):
    """Whether the U test on m against n values can reach p < ALPHA at
    all: the smallest two-sided exact p is 2 / C(m + n, m)."""
    return m >= 2 and n >= 2 and 2 / math.comb(m + n, m) < stats.ALPHA


def min_p(m, n):
    return min(1.0, 2 / math.comb(m + n, m)) if m and n else 1.0


MARK_RANK = {'': 0, '*': 1, '**': 2}


class Test:
    """One comparison a - b: its U test in each run (Holm-adjusted over
    the summary's tests of that run by Ledger.finish()) and its verdict
    across runs (verdict.py)."""

    def __init__(self, a, b):
        self.a, self.b = a, b
        self.verdict = verdict.compare(a, b)
        self.per_run = {}       # run index: (estimate, ci, p, testable)
        for i, (xs, ys) in enumerate(zip(a.per_run('cycles'),
                                         b.per_run('cycles'))):
            if xs and ys:
                est, ci, p = stats.shift(xs, ys)
                self.per_run[i] = (est, ci, p, testable(len(xs), len(ys)))
        self.adjusted = {}      # run index: Holm-adjusted p

    @property
    def estimate(self):
        return self.verdict.estimate

    @property
    def ci(self):
        """The 95% CI of the one run's difference (None with several)."""
        if len(self.per_run) != 1:
            return None
        return next(iter(self.per_run.values()))[1]

    @property
    def untestable(self):
        """(m, n) of a run whose U test cannot reach p < 0.05, or None."""
        for i, (_, _, _, ok) in self.per_run.items():
            if not ok:
                return (len(self.a.per_run('cycles')[i]),
                        len(self.b.per_run('cycles')[i]))
        return None

    @property
    def mark(self):
        """The within-run mark every run reached, Holm-adjusted: '**',
        '*', '' (not significant in some run), '?' (a run too small to
        test)."""
        if not self.per_run or self.untestable:
            return '?'
        marks = [stats.mark(self.adjusted.get(i)) for i in self.per_run]
        if '?' in marks:
            return '?'
        return min(marks, key=MARK_RANK.get)


class Flipped:
    """A Test seen the other way round: b - a."""

    def __init__(self, test):
        self.test = test
        self.verdict = verdict.across([-d for d in test.verdict.diffs])

    @property
    def estimate(self):
        return self.verdict.estimate

    @property
    def ci(self):
        ci = self.test.ci
        return (-ci[1], -ci[0]) if ci else None

    @property
    def mark(self):
        return self.test.mark

    @property
    def untestable(self):
        u = self.test.untestable
        return (u[1], u[0]) if u else None


class Ledger:
    """Every comparison a summary makes, once each (a - b and b - a are
    one): the within-run tests are Holm-adjusted per run over all of
    them (finish()), which is what their marks claim."""

    def __init__(self, nruns):
        self.nruns = nruns
        self.tests = {}
        self.kinds = {}     # key: what asked for it first

    def test(self, a, b, kind='base'):
        key = (a.scenario, a.params, a.spec, b.spec)
        back = (b.scenario, b.params, b.spec, a.spec)
        if back in self.tests:
            return Flipped(self.tests[back])
        if key not in self.tests:
            self.tests[key] = Test(a, b)
            self.kinds[key] = kind
        return self.tests[key]

    def count(self, kind):
        return sum(1 for k in self.kinds.values() if k == kind)

    def finish(self):
        for i in range(self.nruns):
            have = [t for t in self.tests.values() if i in t.per_run]
            adj = stats.holm([t.per_run[i][2] for t in have])
            for t, p in zip(have, adj):
                t.adjusted[i] = p

    def per_run_counts(self):
        """How many U tests each run makes (runs without any left out)."""
        return [n for n in (sum(1 for t in self.tests.values()
                                if i in t.per_run)
                            for i in range(self.nruns)) if n]


class Row:
    """One case's numbers, and its comparison with the baseline case."""

    def __init__(self, case, base, roles, ledger):
        self.case = case
        self.cyc = case.values('cycles')
        self.median = verdict.center(case)
        self.iqr = stats.iqr(self.cyc)
        self.range = stats.spread(self.cyc)
        self.extra = {}
        for role in ('mispredicts', 'l1i_refill'):
            key = roles.get(role)
            self.extra[role] = verdict.center(case, key) if key else None
        self.counted = {r: bool(roles.get(r)) for r in self.extra}
        self.is_base = base is case
        self.test = None
        if base is not None and not self.is_base and self.cyc and \
                base.values('cycles'):
            self.test = ledger.test(case, base)

    @property
    def mark(self):
        return self.test.mark if self.test else ''

    def cells(self, name, multi, counters):
        def extra(role):
            if not self.counted[role]:
                return '-'
            return num(self.extra[role])

        v = self.test.verdict if self.test else None
        if self.is_base:
            diff, ci, word = 'base', '', ''
        elif self.test is None or v.estimate is None:
            diff, ci, word = '', '', ''
        else:
            diff, word = num(v.estimate, True), v.word
            lo_hi = self.test.ci
            if multi:
                ci = num(v.spread)
            else:
                ci = ('[%s,%s]' % (num(lo_hi[0], True), num(lo_hi[1], True))
                      if lo_hi else '-')
        rng = ('%s..%s' % (num(self.range[0]), num(self.range[1]))
               if self.range else '-')
        cells = [name, num(self.median), num(self.iqr), rng]
        if counters:
            cells += [extra('mispredicts'), extra('l1i_refill')]
        cells += [diff, ci, '' if self.is_base else self.mark]
        if multi:
            cells.append(word)
        return cells


def head(multi, counters, base):
    """The columns of a scenario table and their alignment (@base: the
    baseline's design)."""
    cols = [('variant', False), ('cycles', True), ('IQR', True),
            ('min..max', True)]
    if counters:
        cols += [('mispr', True), ('L1I', True)]
    cols += [('vs ' + base, True),
             ('runs', True) if multi else ('95% CI', False),
             ('sig', False)]
    if multi:
        cols.append(('verdict', False))
    return [c for c, _ in cols], [r for _, r in cols]


def expand(out):
    """@out with each callable (a part drawn once every test is known)
    replaced by the lines it returns."""
    lines = []
    for x in out:
        lines.extend(x() if callable(x) else [x])
    return lines


# -------------------------------------------------------------- blocks

def _mode_lines(runs):
    m = runs[0].machine
    ctx = runs[0].context
    why = ctx.get('counter_mode_why', '')
    out = []
    if m.mode == 'emulated':
        out += wrap('EMULATED (%s): not a uarch result. The run '
                    'executed under an emulator; its "cycles" are timer '
                    'ticks over the ticks of an add chain the emulator '
                    'also runs: they describe the emulator, not any '
                    'core. No mispredicts, no L1I refills.' % m.emulator,
                    IND, 'counters: ')
    elif m.mode == 'pmu' and m.emulated:
        out += wrap('pmu, EMULATED (%s): the counters of the emulator\'s '
                    'PMU model, through a real kernel\'s driver; %s.' %
                    (m.emulation, 'exact instruction counts' if m.icount
                     else 'its cycles are its virtual clock'),
                    IND, 'counters: ')
    elif m.mode == 'timer':
        out += wrap('timer (no PMU): cycles come from a timer '
                    'calibration, timer ticks over the ticks of a '
                    'dependent add chain (one add per cycle) timed in the '
                    'same batches; mispredicts and L1I refills are not '
                    'counted.', IND, 'counters: ')
    elif m.mode == 'pmu':
        roles = ', '.join('%s=%s' % kv for kv in
                          sorted(runs[0].roles.items())) or 'none named'
        out += wrap('pmu: hardware counters, per call (%s).' % roles,
                    IND, 'counters: ')
    else:
        out += wrap('%s: %s' % (m.mode, results.MODE_NOTE.get(
            m.mode, 'unknown counter mode')), IND, 'counters: ')
    if why:
        out += wrap('why: %s' % why, IND + '  ', IND)
    return out


def machine_block(runs, pooled):
    m = runs[0].machine
    out = []
    box = []
    if m.emulated:
        box += ['EMULATED (%s): not a uarch result.' % m.emulator,
                'These numbers describe the emulator, not any %s core.' %
                m.arch]
        if m.icount:
            box.append('qemu -icount: its cycles count instructions.')
    if m.not_core_cycles:
        box.append('NOT CORE CYCLES: %s.' % m.not_core_cycles)
    if box:
        bar = '*' * WIDTH
        out.append(bar)
        for line in box:
            for part in wrap(line, width=WIDTH - 6):
                out.append(('*  ' + part).ljust(WIDTH - 1)[:WIDTH - 1] +
                           '*')
        out += [bar, '']
    title = 'trampbench results: %s (%s), %s mode%s' % (
        m.core, m.arch, m.mode,
        ', kernel' if runs[0].level == 'kernel' else '')
    out += wrap(title)
    out.append('=' * min(WIDTH, len(out[-1])))
    ident = ('MIDR %s' % m.ident if m.arch == 'arm64' else
             'model %s' % m.ident) if m.ident else 'no MIDR/model recorded'
    fam = runs[0].context.get('family_model') or ''
    out += wrap('%s, %s%s, cpu %s, host %s' % (
        m.core, ident, ' (%s)' % fam if fam else '', m.cpu, m.host),
        IND, 'core:     ')
    out += wrap(m.kernel, IND, 'kernel:   ')
    out += _mode_lines(runs)
    versions = sorted({r.machine.version for r in runs})
    notes = sorted({r.version_note for r in runs if r.version_note})
    out += wrap(', '.join(versions) + (' (%s)' % '; '.join(notes)
                                       if notes else ''),
                IND, 'version:  trampbench ')
    counts = sorted({len(v) for c in pooled.values()
                     if c.scenario != 'calibration' and c.reps
                     for v in c.per_run('cycles') if v})
    if not counts:
        reps = 'none measured'
    elif len(counts) == 1:
        reps = '%d per benchmark' % counts[0]
    else:
        reps = '%d-%d per benchmark' % (counts[0], counts[-1])
    if len(runs) > 1:
        reps += ' in each run'
    out += wrap(reps, IND, 'reps:     ')
    out += wrap(results.describe_runs(runs) +
                ('' if len(runs) > 1 else
                 ': no verdict across runs is possible'),
                IND, 'runs:     ')
    out += wrap(contended_line(runs, pooled), IND, 'probe:    ')
    dates = sorted({str(r.context.get('date', '?')) for r in runs})
    out += wrap(dates[0] if len(dates) == 1 else
                '%s .. %s' % (dates[0], dates[-1]), IND, 'date:     ')
    for i, r in enumerate(runs):
        out += wrap(r.path, IND, 'files:    ' if i == 0 else IND)
    warns = []
    for r in runs:
        for k in sorted(r.context):
            if k.startswith('warning') and r.context[k] not in warns:
                warns.append(str(r.context[k]))
    for w in warns:
        out += wrap(w, IND, 'warning:  ')
    return out


def contended_line(runs, pooled):
    """How many repetitions the contention probe had left out."""
    if runs[0].machine.emulated:
        return ('none left out: under an emulator the probe times the '
                'emulator')
    bound = runs[0].facts.contention_pct
    if bound is None:
        return 'none: the run had no contention probe'
    left = sum(c.contended for c in pooled.values())
    kept = sum(len(v) for c in pooled.values() for i, v in
               enumerate(c.per_run('cycles')) if i in c.all_contended)
    total = left + sum(len(c.reps) for c in pooled.values())
    text = ("%d of %d repetitions contended (over %.0f%% above the run's "
            'quietest): %d left out' % (left + kept, total, bound, left))
    if kept:
        text += (', %d kept where a case had no other (said under its '
                 'table)' % kept)
    return text


def calibration_block(pooled, mode):
    cal = {c.spec: c for c in pooled.values() if c.scenario == 'calibration'}
    out = ['Calibration (per item; median and IQR of the repetitions)']
    rows = []

    def cells(c, counter, unit):
        xs = c.values(counter)
        return [num(verdict.center(c, counter)) + unit,
                num(stats.iqr(xs)) + unit if len(xs) > 1 else '-']

    for name, counter, unit, hint in CALIBRATION:
        c = cal.pop(name, None)
        if name == 'add_chain' and mode != 'pmu':
            hint = '1: defines the clock, no check'
        if c is None:
            rows.append([name, {'span': 'not in this run'}])
            continue
        if c.skipped and not c.reps:
            rows.append([name, {'span': 'skipped: ' + c.skipped}])
            continue
        want = c.values('expect_cycles')
        if name == 'mul_chain' and want:
            # the latency the core's guide states (harness/data/latency.tsv)
            off = abs(verdict.center(c, counter) / want[0] - 1) > 0.05
            hint = '%s: stated latency%s' % (
                '%g' % want[0], ', OFF by >5%' if off else '')
        rows.append([name] + cells(c, counter, unit) + [hint])
    for name, c in sorted(cal.items()):
        rows.append([name] + cells(c, 'cycles', '') + [''])
    out += table(['row', 'median', 'IQR', 'should read'], rows,
                 [False, True, True, False])
    return out


def _label_parts(cases, mode, key):
    """The labels of a scenario's cases, once each: parts that vary with
    a parameter have its value replaced by the parameter's name; parts
    only some variants carry name them."""
    by_spec = {}
    for c in cases:
        if not c.reps:
            continue
        by_spec.setdefault(c.spec, []).append(c)
    parts = {}          # text -> set of designs
    for spec, cs in by_spec.items():
        split = {c.params: [p.strip() for p in c.label.split(';')
                            if p.strip() and p.strip() != mode]
                 for c in cs}
        common = set.intersection(*(set(v) for v in split.values())) \
            if split else set()
        for c in cs:
            for p in split[c.params]:
                if p not in common:
                    for kv in filter(None, c.params.split('/')):
                        k, colon, v = kv.partition(':')
                        if colon and v:
                            p = re.sub(r'\b%s\b' % re.escape(v), k.upper(),
                                       p)
                parts.setdefault(p, set()).add(c.design)
    designs = {c.design for c in cases if c.reps}
    out = []
    for p, ds in parts.items():
        if ds == designs:
            out.append(p)
        else:
            out.append('%s (%s)' % (p, ', '.join(sorted(
                ds, key=key))))
    return out


class Sheet:
    """What the tables of one summary share: the counters' roles, the
    ledger of its tests, whether it has several runs, and what the
    later blocks collect (wins, sweeps to plot)."""

    def __init__(self, runs, roles, mode):
        self.roles = roles
        self.mode = mode
        # the program's facts: its scenario descriptions (the first
        # run's that has each), the baseline and the designs' order
        self.facts = [r.facts for r in runs]
        self.baseline = results.baseline_of(runs)
        self.base = results.design_of(self.baseline) if self.baseline \
            else 'base'
        self.spec_key = spec_key(results.design_order(runs))
        self.nruns = len(runs)
        self.multi = len(runs) > 1
        self.counters = bool(roles)
        self.ledger = Ledger(len(runs))
        self.wins = []          # (title, names, {spec: Row}, cases)
        self.plots = []
        self.contended = []     # (title, variant, runs) all contended
        self.win_rows = []      # wins_rows()


def group_table(cases, names, base, sheet, title):
    """The full table of one parameter set, one row per variant (drawn
    once the ledger is finished); its {spec: Row}."""
    rows = []
    stats_rows = {}
    for c in cases:
        if c.skipped and not c.reps:
            reason = re.split(r': |; ', c.skipped, 1)[0]
            rows.append((names[c.spec], 'skipped: ' + reason))
            continue
        r = Row(c, base, sheet.roles, sheet.ledger)
        stats_rows[c.spec] = r
        rows.append((names[c.spec], r))
        if c.all_contended:
            sheet.contended.append((title, names[c.spec], c.all_contended))

    def draw():
        hd, right = head(sheet.multi, sheet.counters, sheet.base)
        cells = [[n, {'span': r}] if isinstance(r, str) else
                 r.cells(n, sheet.multi, sheet.counters) for n, r in rows]
        return table(hd, cells, right)
    return draw, stats_rows


def sweep_mark(r, sheet):
    """A sweep cell's mark against the baseline: the within-run mark of
    one run,
    '!' where the difference holds across several."""
    if r.test is None:
        return ''
    if sheet.multi:
        return '!' if r.test.verdict.holds else ''
    return r.mark


def sweep_table(cases_by_n, specs, names, base_spec, sheet, key):
    """Cycles per call, a column per value of the swept parameter, each
    marked against the baseline at that value (drawn once the ledger is
    finished)."""
    ns = sorted(cases_by_n, key=int)
    rows = {}
    for n in ns:
        cs = cases_by_n[n]
        base = cs.get(base_spec)
        base = base if base is not None and base.reps else None
        for spec, c in cs.items():
            if c.skipped and not c.reps:
                rows[(spec, n)] = 'skip'
                continue
            rows[(spec, n)] = Row(c, base, sheet.roles, sheet.ledger)

    def draw():
        cells = {k: 'skip' if r == 'skip' else
                 (num(r.median), sweep_mark(r, sheet))
                 for k, r in rows.items()}
        name_w = max([len('variant')] + [len(names[s]) for s in specs])
        name_w = min(name_w, 14)
        vw = max([len('%s=%s' % (key.upper(), n)) for n in ns] +
                 [len(v[0]) for v in cells.values() if v != 'skip'])
        cw = vw + 2 + 1
        for k, v in cells.items():
            cells[k] = ('skip'.rjust(vw) + '  ' if v == 'skip' else
                        v[0].rjust(vw) + v[1].ljust(2))
        per = max(1, (WIDTH - name_w) // cw)
        out = []
        for i in range(0, len(ns), per):
            chunk = ns[i:i + per]
            hd = 'variant'.ljust(name_w) + ''.join(
                ' ' + ('%s=%s' % (key.upper(), n)).rjust(vw) + '  '
                for n in chunk)
            out.append(hd.rstrip())
            for s in specs:
                name = names[s]
                if len(name) > name_w:
                    out += wrap_spec(name)
                    name = ''
                out.append((name.ljust(name_w) + ''.join(
                    cells.get((s, n), '').rjust(cw)
                    for n in chunk)).rstrip())
        return out
    return draw


def scenario_block(scenario, cases, sheet):
    # what the program says of the scenario (its context's words)
    about = next((f.describe[scenario] for f in sheet.facts
                  if scenario in f.describe), '')
    unit = next((f.unit[scenario] for f in sheet.facts
                 if scenario in f.unit), '')
    out = [scenario, '=' * len(scenario)]
    if about:
        out += wrap(about, '  ', '  ')
    out += wrap(unit or 'not recorded in this file (older than the '
                'program\'s own words for its scenarios)', '  ', '  unit: ')
    parts = _label_parts(cases, sheet.mode, sheet.spec_key)
    if parts:
        out += wrap('; '.join(parts), '    ', '  label: ')
    specs = sorted({c.spec for c in cases}, key=sheet.spec_key)
    names = {c.spec: c.short for c in cases}
    base_spec = verdict.baseline_spec(specs, sheet.baseline)
    base = sheet.base
    if base_spec and names[base_spec] != base:
        out += wrap('vs %s: against %s' % (base, base_spec), '    ', '  ')
    elif not base_spec:
        out += wrap('vs %s: no %s measured here, so no differences' %
                    (base, base), '    ', '  ')
    groups = {}
    for c in cases:
        groups.setdefault(c.params, {})[c.spec] = c
    sweep = SWEEP.get(scenario)
    if sweep and any(c.param(sweep, '').isdigit() for c in cases):
        by_rest = {}
        for params, cs in groups.items():
            parts = [p for p in params.split('/')
                     if not p.startswith(sweep + ':')]
            n = next((p.split(':', 1)[1] for p in params.split('/')
                      if p.startswith(sweep + ':')), None)
            if n is None or not n.isdigit():
                by_rest.setdefault(params, {})['?'] = cs
                continue
            by_rest.setdefault('/'.join(parts), {})[n] = cs
        for rest in sorted(by_rest, key=_param_key):
            cases_by_n = by_rest[rest]
            if '?' in cases_by_n:
                cs = cases_by_n.pop('?')
                out += _one_group(scenario, rest, cs, names, base_spec,
                                  sheet)
                if not cases_by_n:
                    continue
            title = ('%s/%s' % (scenario, show_params(rest)) if rest
                     else scenario)
            rest_specs = [s for s in specs
                          if any(s in cs for cs in cases_by_n.values())]
            if len(cases_by_n) > 1:
                out.append('')
                what = ('!: vs %s at that %s, holds' if sheet.multi else
                        'mark: vs %s at that %s') % (sheet.base,
                                                     sweep.upper())
                out += wrap('%s: cycles per call by %s%s' % (
                    title, sweep.upper(), ' (%s)' % what
                    if base_spec else ''))
                out.append(sweep_table(cases_by_n, rest_specs, names,
                                       base_spec, sheet, sweep))
                sheet.plots.append((title, sweep, cases_by_n, rest_specs,
                                    names))
            top = max(cases_by_n, key=int)
            out += _one_group(scenario, '%s/%s:%s' % (rest, sweep, top)
                              if rest else '%s:%s' % (sweep, top),
                              cases_by_n[top], names, base_spec, sheet)
    else:
        for params in sorted(groups, key=_param_key):
            out += _one_group(scenario, params, groups[params], names,
                              base_spec, sheet)
    return out


def _one_group(scenario, params, cs, names, base_spec, sheet):
    title = ('%s/%s' % (scenario, show_params(params)) if params
             else scenario)
    cases = [cs[s] for s in sorted(cs, key=sheet.spec_key)]
    base = cs.get(base_spec) if base_spec else None
    if base is not None and not base.reps:
        base = None
    out = ['']
    if params:
        out += wrap(title)
    draw, rows = group_table(cases, names, base, sheet, title)
    out.append(draw)
    sheet.wins.append((title, names, rows, cases))
    return out


def wins_rows(sheet):
    """Each case's winner, tested against its runner-up (the tests are
    registered with the ledger now; the rows drawn once it is
    finished): [(title, names, winner case, runner-up, Test or None)]."""
    out = []
    for title, names, rows, cases in sheet.wins:
        measured = [c for c in cases if c.spec in rows and
                    rows[c.spec].median is not None]
        best, nxt, _ = verdict.winner(measured)
        test = sheet.ledger.test(nxt, best, 'win') if nxt is not None \
            else None
        out.append((title, names, best, nxt, test))
    return out


def win_word(test, sheet):
    """A case's verdict: wins (its lead over the runner-up holds across
    runs), tie, or '-' (too few runs for a verdict)."""
    v = test.verdict
    if not v.decided:
        return '-'
    return 'wins' if v.holds else 'tie'


def wins_block(sheet, wins):
    out = ['Which variant wins where',
           '------------------------']
    if sheet.multi:
        text = ('fastest: lowest median of the run medians; next: the '
                'runner-up; by: how much slower it is (the median over '
                'the runs of their Hodges-Lehmann differences); sig: '
                'its U test against the winner, within each run, Holm-'
                'adjusted (the mark every run reached); verdict: wins '
                'when the lead holds across the runs (the rule below), '
                'tie when it does not: the runner-up is as fast, as far '
                'as these runs can tell%s.' % (
                    '; -: fewer than %d runs, no verdict' %
                    verdict.MIN_RUNS
                    if sheet.nruns < verdict.MIN_RUNS else ''))
    else:
        text = ('fastest: lowest median; next: the runner-up; by: how '
                'much slower it is (Hodges-Lehmann); sig: its U test '
                'against the winner in this run, Holm-adjusted. One run '
                'cannot give a verdict across runs: whether the winner '
                'still wins in the next run is not known, so none is '
                'given (make report measures %d runs).' %
                DEFAULT_RUNS)
    out += wrap(text)
    rows = []
    for title, names, best, nxt, test in wins:
        if best is None:
            rows.append([title, {'span': 'nothing measured'}])
            continue
        if nxt is None:
            rows.append([title, names[best.spec], num(verdict.center(best)),
                         '-', '', '', 'only one measured'])
            continue
        rows.append([title, names[best.spec], num(verdict.center(best)),
                     names[nxt.spec], num(test.estimate, True), test.mark,
                     win_word(test, sheet) if sheet.multi else '-'])
    out += table(['case', 'fastest', 'cycles', 'next', 'by', 'sig',
                  'verdict'], rows,
                 [False, False, True, False, True, False, False])
    return out


def tests_block(sheet):
    """How many tests the summary makes and how that is accounted for."""
    counts = sheet.ledger.per_run_counts()
    n = len(sheet.ledger.tests)
    wins = sheet.ledger.count('win')
    if not counts:
        return []
    per = (str(counts[0]) if len(set(counts)) == 1 else
           '%d-%d' % (min(counts), max(counts)))
    text = ('Tests: this summary makes %d comparisons (%d against %s '
            'and %d more of a winner against its runner-up), each by a '
            'Mann-Whitney U test within each run: %s. The sig marks are '
            'Holm-adjusted over the tests of a run (family-wise error '
            'at most 5%% per run, 1%% for **). '
            % (n, n - wins, sheet.base, wins,
               '%s tests in each of %d runs' % (per, sheet.nruns)
               if sheet.multi else '%s tests in its one run' % per))
    rate = verdict.null_rate(sheet.nruns)
    if rate is None:
        text += ('They are within-run tests only: a verdict needs %d '
                 'runs or more (report/verdict.py), and %s no '
                 'verdict.' % (verdict.MIN_RUNS,
                               'one run gives' if sheet.nruns == 1 else
                               'these %d runs give' % sheet.nruns))
    else:
        text += ('The verdict of each comparison is the cross-run rule '
                 '(report/verdict.py): every run agrees in sign, and the '
                 'smallest difference exceeds the run-to-run spread of '
                 'the differences (and %.2g cycles). With no true '
                 'difference it holds with probability %.2g%% over %d '
                 'runs (normal run-to-run noise), so about %.2g of these '
                 '%d comparisons could hold by chance.' % (
                     verdict.RESOLUTION, 100 * rate, sheet.nruns,
                     rate * n, n))
    text += powerless(sheet, counts)
    holding = sum(1 for t in sheet.ledger.tests.values()
                  if t.verdict.holds)
    marked = sum(1 for t in sheet.ledger.tests.values()
                 if t.mark in ('*', '**'))
    if sheet.multi and rate is not None:
        text += (' Here %d of %d hold across runs; %d are significant '
                 'in every run\'s own Holm-adjusted test.' % (
                     holding, n, marked))
    return wrap(text)


def powerless(sheet, counts):
    """When no within-run test can reach Holm's first threshold: say so,
    and how many repetitions a mark would take."""
    sizes = [(len(t.a.per_run('cycles')[i]), len(t.b.per_run('cycles')[i]))
             for t in sheet.ledger.tests.values() for i in t.per_run]
    if not sizes:
        return ''
    best = min(min_p(m, n) for m, n in sizes)
    need = stats.ALPHA / max(counts)
    if best < need:
        return ''
    r = 2
    while min_p(r, r) >= need:
        r += 1
    m, n = max(sizes, key=lambda mn: (min(mn), max(mn)))
    return (' No within-run test here can be significant: %d against %d '
            'repetitions give p %.2g at the least, and Holm over %d tests '
            'asks p < %.2g of the first (it would take %d repetitions '
            'each).' % (m, n, best, max(counts), need, r))


def plot_block(plots, strict=False):
    """The sites sweep as gnuplot's dumb terminal draws it: the group
    with the most values of N.  A gnuplot that fails is said in the
    text, or with @strict raises PlotFailed."""
    if not plots:
        return []
    title, key, cases_by_n, specs, names = max(
        plots, key=lambda p: len(p[2]))
    series = []
    for s in specs:
        pts = []
        for n in sorted(cases_by_n, key=int):
            c = cases_by_n[n].get(s)
            v = verdict.center(c) if c is not None else None
            if v is not None:
                pts.append((int(n), v))
        if pts:
            series.append((fit(names[s], 24), pts))
    out = ['%s: cycles per call against %s (log2 x)' % (title, key.upper())]
    exe = shutil.which(GNUPLOT)
    if exe is None:
        return out + ['(no plot: gnuplot is not installed; apt-get install '
                      'gnuplot-nox)']
    if not series:
        return out + ['(no plot: nothing measured)']
    script = ['set terminal dumb %d 24' % WIDTH,
              'set logscale x 2', 'set format x "%.0f"',
              'set xlabel "%s"' % key.upper(),
              'set key left top noenhanced',
              'set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05',
              'plot ' + ', '.join(
                  "'-' using 1:2 with linespoints title \"%s\"" %
                  name.replace('"', "'") for name, _ in series)]
    for _, pts in series:
        script += ['%d %.6g' % p for p in pts] + ['e']
    try:
        proc = subprocess.run([exe], input='\n'.join(script) + '\n',
                              capture_output=True, text=True, timeout=30)
        err = (proc.stderr.strip().splitlines() or ['no output'])[-1]
        failed = proc.returncode != 0 or not proc.stdout.strip()
    except (OSError, subprocess.SubprocessError) as e:
        err, failed = str(e), True
    if failed and strict:
        raise PlotFailed("plot of %s in summary.txt (gnuplot's dumb "
                         'terminal): %s' % (title, ascii(err).strip()))
    if failed:
        return out + ['(no plot: gnuplot: %s)' % fit(ascii(err), 55)]
    lines = [ascii(ln.replace('\f', '')).rstrip()[:WIDTH]
             for ln in proc.stdout.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return out + lines


def _model_cpu(machine):
    """The llvm cpu harness/data/model-cpus.tsv has for @machine's core,
    or None (no file, no row).  Its fields: mcpu, arch, the core names it
    stands for (comma-separated, '-' for none), ..."""
    try:
        rows = tsv.rows(MODEL_CPUS)
    except (OSError, tsv.Error):
        return None
    for _, fields in rows:
        if len(fields) < 3 or fields[1] != machine.arch:
            continue
        names = [n.strip().lower() for n in fields[2].split(',')]
        if machine.core.lower() in names:
            return fields[0]
    return None


def _model_variant(variants, spec):
    """The model's entry for @spec: the same spec, else the entry of its
    design whose options are all @spec's (the most of them wins)."""
    if spec in variants:
        return variants[spec]
    design, _, opts = spec.partition(':')
    have = set(filter(None, opts.split(',')))
    best, most = None, -1
    for key, v in variants.items():
        d, _, o = key.partition(':')
        want = set(filter(None, o.split(',')))
        if d == design and want <= have and len(want) > most:
            best, most = v, len(want)
    return best


def model_block(model, machine, hot_rows, key):
    """The static model's cycles per call beside the measured hot rows,
    when @model has this machine's core; @key sorts the variants."""
    if not isinstance(model, dict):
        return []
    cpu = _model_cpu(machine)
    cores = model.get('cores') if isinstance(model.get('cores'), dict) \
        else {}
    entry = cores.get(cpu) if cpu else None
    tool = str(model.get('tool', 'llvm-mca'))
    if not isinstance(entry, dict) or (
            entry.get('arch') not in (None, machine.arch)):
        return wrap('static model (llvm-mca): none for %s (no llvm cpu '
                    'for it in harness/data/model-cpus.tsv, or the model '
                    '(%s) lacks it)' % (machine.core, tool), '  ')
    variants = entry.get('variants') if isinstance(
        entry.get('variants'), dict) else {}
    out = wrap('static model (llvm-mca): %s, llvm cpu %s; its cycles '
               'per call beside the measured hot rows:' % (tool, cpu))
    params = sorted({p for p, _ in hot_rows}, key=_param_key)
    specs = sorted({s for _, s in hot_rows}, key=key)
    names = {s: r.case.short for (_, s), r in hot_rows.items()}
    rows = []
    for s in specs:
        m = _model_variant(variants, s) or {}
        cyc = m.get('cycles_per_call') if isinstance(m, dict) else None
        cyc = cyc if isinstance(cyc, (int, float)) else None
        rows.append([names[s], num(cyc)] +
                    [num(hot_rows[(p, s)].median) if (p, s) in hot_rows
                     else '-' for p in params])
    out += table(['variant', 'model'] + ['hot/%s' % p if p else 'hot'
                                         for p in params], rows)
    note = model.get('note')
    if isinstance(note, str) and note.strip():
        out += wrap('model note: ' + note.strip(), '  ')
    return out


# ------------------------------------------------------------- summary

def summary_text(runs, model=None, strict=False):
    """summary.txt for @runs, the Run objects of one machine (checked
    with results.one_machine()); @model: a model JSON's dict, or None.
    @strict: a plot gnuplot fails to draw raises PlotFailed.  Runs of
    trampbench --kernel are a section of their own, after the user
    runs, labelled kernel: never pooled with them."""
    if not runs:
        return 'no results\n'
    levels = results.by_level(runs)
    if len(levels) == 1:
        return level_text(runs, model, strict)
    bar = '#' * WIDTH
    return (level_text(levels['user'], model, strict) + '\n' +
            '\n'.join([bar] + wrap(
                'kernel: the runs of this machine measured inside the '
                'kernel (trampbench --kernel), reported on their own: '
                'never pooled with the user runs above.') + [bar, '']) +
            '\n' + level_text(levels['kernel'], None, strict))


def level_text(runs, model, strict):
    """summary_text() of @runs, all of one level."""
    pooled = results.pooled(runs)
    roles = {}
    for r in runs:
        for role in ('mispredicts', 'l1i_refill'):
            if role not in roles and r.counter(role):
                roles[role] = r.counter(role)
    machine = runs[0].machine
    mode = machine.mode
    sheet = Sheet(runs, roles, mode)
    out = machine_block(runs, pooled)
    out += [''] + calibration_block(pooled, mode)
    out += ['']
    if sheet.multi:
        cols = ('cycles: the median over the runs of each run\'s median '
                'over its repetitions, per call (per update in update); '
                'IQR, min..max: interquartile range and extremes of all '
                'the repetitions; ')
        diff = ('vs %s: the difference to %s (the v7 patch), the '
                'median over the runs of each run\'s Hodges-Lehmann '
                'difference; runs: how far those differences spread '
                '(largest minus smallest); sig: each run\'s Mann-Whitney U test, Holm-'
                'adjusted, the mark every run reached (** p<0.01, * '
                'p<0.05, blank: not significant in some run, ? too few '
                'repetitions to test); verdict: holds (the difference is '
                'a result across the runs), flips (the runs disagree in '
                'sign), noise (it is within what the runs disagree by)%s. '
                % (sheet.base, sheet.base,
                   ', few (fewer than %d runs)' % verdict.MIN_RUNS
                   if sheet.nruns < verdict.MIN_RUNS else ''))
    else:
        cols = ('cycles: median over the repetitions, per call (per '
                'update in update); IQR, min..max: interquartile range '
                'and extremes of the repetitions; ')
        diff = ('vs %s: the Hodges-Lehmann difference to %s (the v7 '
                'patch) with its 95%% CI ("-": too few repetitions for '
                'one); sig: Mann-Whitney U test, Holm-adjusted, ** '
                'p<0.01, * p<0.05, blank not significant, ? too few '
                'repetitions to test. One run: no verdict across runs, '
                'so none of these differences is known to be a result. '
                % (sheet.base, sheet.base))
    counters = ('mispr, L1I: branch mispredicts and L1I refills per '
                'call ("-": not counted in this run); ' if sheet.counters
                else '')
    out += wrap('Per scenario. ' + cols + counters + diff +
                ('Variants are named by design (as posted, or the one '
                 'instance of it in the run), any other instance by its '
                 'full spec.' if any(
                     f.old for f in sheet.facts) else
                 'Variants are named by design as posted, any other '
                 'instance by the knobs in which it differs from it.'))
    scen = []
    for c in pooled.values():
        if c.scenario != 'calibration' and c.scenario not in scen:
            scen.append(c.scenario)
    order = results.scenario_order(runs, scen)
    hot_rows = {}
    for s in order:
        cases = [c for c in pooled.values() if c.scenario == s]
        out += [''] + scenario_block(s, cases, sheet)
        if s == 'hot':
            for title, names, rows, _ in sheet.wins:
                if title.split('/')[0] == 'hot':
                    p = title[len('hot/'):] if '/' in title else ''
                    for spec, r in rows.items():
                        hot_rows[(p, spec)] = r
            if model is not None:
                out += [''] + model_block(model, machine, hot_rows,
                                          sheet.spec_key)
    sheet.win_rows = wins_rows(sheet)
    sheet.ledger.finish()
    out.append(lambda: contended_note(sheet))
    out.append(lambda: untestable_note(sheet))
    out += [''] + wins_block(sheet, sheet.win_rows)
    out += [''] + tests_block(sheet)
    plot = plot_block(sheet.plots, strict)
    if plot:
        out += [''] + plot
    out += ['']
    out += wrap('Precision: the repetitions of one run share its '
                'conditions (clock, neighbours, layout, modes of the '
                'core), so a within-run test only says a difference is '
                'larger than what varies within that run. A result is '
                'a difference that holds across separate runs '
                '(report/verdict.py, docs/precision.md); `make report` '
                'measures %d runs, `make precision` the run-to-run '
                'spread of the default matrix.' % DEFAULT_RUNS)
    text = '\n'.join(ascii(ln).rstrip() for ln in expand(out))
    return text + '\n'


def contended_note(sheet):
    """The cases measured only while contended, said under the tables."""
    if not sheet.contended:
        return []
    cases = ['%s %s%s' % (title, name, ' (run %s)' % ', '.join(
        str(i + 1) for i in idx) if sheet.multi else '')
        for title, name, idx in sheet.contended]
    return [''] + wrap('contended: every repetition of %s was flagged by '
                       'the contention probe, so all of them were kept '
                       'there: those numbers include another guest\'s '
                       'load.' % '; '.join(cases), '    ')


def untestable_note(sheet):
    """Why a mark is '?'."""
    pairs = sorted({t.untestable for t in sheet.ledger.tests.values()
                    if t.untestable})
    if not pairs:
        return []
    m, n = pairs[0]
    text = ('? : too few repetitions for the U test: with %d against '
            '%d the smallest p it can give is %.2g, so no difference '
            'can reach p<0.05 (3 against 3: 0.1; it takes 4 each for '
            'p<0.05 and 5 each for p<0.01, before Holm).' %
            (m, n, min_p(m, n)))
    if m < 2 or n < 2:
        text = ('? : too few repetitions for the U test (%d against '
                '%d: one repetition cannot be tested); 3 against 3 '
                'cannot reach p<0.05 either (smallest p 0.1): it '
                'takes 4 each for p<0.05, 5 each for p<0.01.' % (m, n))
    return [''] + wrap(text, '    ')


# ----------------------------------------------------------------- CLI

def main(argv):
    ap = argparse.ArgumentParser(
        prog='summary.py', description='summary.txt of trampbench results '
        'of one machine, for an LKML reply')
    ap.add_argument('--model', metavar='MODEL.json',
                    help='a static model (llvm-mca) to show beside hot')
    ap.add_argument('files', nargs='+', metavar='FILE',
                    help='results files of one machine')
    args = ap.parse_args(argv[1:])
    bad = False
    model = None
    if args.model:
        try:
            model = results.load_model(args.model)
        except results.ResultsError as e:
            print('summary.py: %s' % e, file=sys.stderr)
            bad = True
    runs, errors = results.load_all(args.files)
    runs, again = results.once(runs)
    for w in again:
        print('summary.py: %s' % w, file=sys.stderr)
    runs, other = results.one_machine(runs)
    for e in errors + other:
        print('summary.py: %s' % e, file=sys.stderr)
    bad = bad or bool(errors or other)
    if runs:
        sys.stdout.write(summary_text(runs, model))
        sys.stdout.flush()
    elif not errors and not other:
        print('summary.py: nothing to report', file=sys.stderr)
        bad = True
    return 1 if bad else 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:      # no traceback, ever: one line instead
        print('summary.py: internal error: %s: %s' % (
            type(e).__name__, str(e).splitlines()[0] if str(e) else ''),
            file=sys.stderr)
        sys.exit(2)
