# SPDX-License-Identifier: GPL-2.0
"""The cross-run rule (report/verdict.py) and the three places that
decide with it: summary.txt (tables and "wins where"), report/merge's
cells and scripts/precision.py; on recorded runs that agree and on
recorded runs that disagree.

Recorded runs: tests/fixtures/results/group-quick/ (three runs of one
make-report group, the Zen 4 VM) and results/x86-zen5-vm-precision-
20261202/ (five runs of hot on the Zen 5 VM: runs 1 and 2 under host
contention, 3 to 5 quiet)."""

import glob
import json
import os
import random
import shutil
import statistics
import subprocess
import sys

import pytest

import results
import summary
import verdict

from conftest import PY, REPORT, TOP, fixture, run

GROUP = sorted(glob.glob(fixture('group-quick/run*.json')))
PRECISION = sorted(glob.glob(os.path.join(
    TOP, 'results', 'x86-zen5-vm-precision-20261202', 'run*.json')))
CBZ = 'cbz:pad=on,align=8,lit=rodata'
TAIL = 'tail:pad=on,align=16,lit=rodata,null=ret0'
INDIRECT = 'indirect:kcfi=off'               # as the Zen 5 runs name it
G_INDIRECT = 'indirect:kcfi=off,null=nop,retpoline=off'    # the Zen 4's


def test_recorded_sets_are_there():
    assert len(GROUP) == 3 and len(PRECISION) == 5


# ------------------------------------------------ the rule by itself

@pytest.mark.parametrize('diffs,why', [
    ([1.0, 1.1, 1.05], 'holds'),
    ([-1.0, -1.1, -1.05, -0.98], 'holds'),
    ([1.0, -0.1, 1.2], 'sign'),         # one run the other way
    ([0.0, 1.0, 1.0], 'sign'),          # zero is no sign
    ([0.1, 1.0, 0.5], 'spread'),        # 0.1 < spread 0.9
    ([0.5, 1.0, 0.75], 'spread'),       # smallest = spread: not more
    ([0.004, 0.005, 0.0045], 'spread'), # below what reports print
    ([1.0, 1.1], 'few'),
    ([1.0], 'few'),
    ([], 'none'),
    ([None, 1.0, 1.1, 1.05], 'holds'),  # a run without both left out
])
def test_the_rule(diffs, why):
    v = verdict.across(diffs)
    assert v.why == why
    assert v.holds == (why == 'holds')
    assert v.decided == (why in ('holds', 'sign', 'spread'))


def test_estimate_and_spread():
    v = verdict.across([-1.0, -1.2, -1.1])
    assert v.estimate == pytest.approx(-1.1)
    assert v.spread == pytest.approx(0.2)
    assert v.runs == 3


@pytest.mark.parametrize('k', [3, 4, 5])
def test_null_rate_is_the_rules(k):
    """The false-positive rate summary.txt states is the rule's: with
    no difference and normal run-to-run noise, across() holds that
    often (a seeded simulation, within four standard errors)."""
    rng = random.Random(20261204 + k)
    n = 100000
    hits = sum(verdict.across([rng.gauss(0, 1) for _ in range(k)]).holds
               for _ in range(n))
    want = verdict.null_rate(k)
    assert abs(hits / n - want) < 4 * (want * (1 - want) / n) ** 0.5 + 1e-4
    assert verdict.null_rate(2) is None and verdict.null_rate(1) is None


# ------------------------------------ per-run differences, from the JSON

def raw_values(path, scenario, spec, params):
    """Cycles of a benchmark's repetitions read straight from the file:
    those the contention probe left unflagged, or all when it flagged
    every one (the treatment results.py documents)."""
    with open(path) as f:
        rows = json.load(f)['benchmarks']
    want = '/'.join(p for p in (scenario, spec, params) if p) + '/'
    reps = [r for r in rows if r.get('run_type') == 'iteration' and
            r['run_name'].startswith(want) and 'cycles' in r]
    quiet = [r for r in reps if r.get('contention_pct', 0) <= 1.0]
    return [r['cycles'] for r in (quiet or reps)]


def raw_diffs(paths, scenario, spec, params, base=CBZ):
    out = []
    for p in paths:
        a = raw_values(p, scenario, spec, params)
        b = raw_values(p, scenario, base, params)
        out.append(statistics.median(x - y for x in a for y in b))
    return out


def case(paths, scenario, spec, params):
    runs, errors = results.load_all(paths)
    assert not errors
    return results.pooled(runs)[(scenario, spec, params)]


def verdict_of(paths, scenario, spec, params, base=CBZ):
    return verdict.compare(case(paths, scenario, spec, params),
                           case(paths, scenario, base, params))


@pytest.mark.parametrize('paths,scenario,spec,params', [
    (GROUP, 'hot', G_INDIRECT, 'tput'),
    (GROUP, 'hot', 'inline', 'lat'),
    (GROUP, 'null', 'inline', ''),
    (GROUP, 'sites', 'inline', 'n:4096/order:rr/spacing:packed'),
    (PRECISION[2:], 'hot', 'inline', 'tput'),
    (PRECISION[2:], 'hot', 'inline', 'lat'),
])
def test_recorded_runs_that_agree(paths, scenario, spec, params):
    v = verdict_of(paths, scenario, spec, params)
    assert v.diffs == pytest.approx(raw_diffs(paths, scenario, spec,
                                              params))
    assert v.why == 'holds', v.diffs


@pytest.mark.parametrize('paths,scenario,spec,params,why', [
    # runs 1 and 2 contended: the 1-cycle difference is 2.05 in one
    (PRECISION, 'hot', 'inline', 'lat', 'spread'),
    (PRECISION, 'hot', TAIL, 'lat', 'sign'),
    (PRECISION, 'hot', TAIL, 'tput', 'sign'),
    (GROUP, 'cold', 'inline', '', 'sign'),
    (GROUP, 'flip', TAIL, 'k:1024', 'sign'),
    (GROUP, 'cold', G_INDIRECT, '', 'spread'),
])
def test_recorded_runs_that_disagree(paths, scenario, spec, params, why):
    v = verdict_of(paths, scenario, spec, params)
    assert v.diffs == pytest.approx(raw_diffs(paths, scenario, spec,
                                              params))
    assert v.why == why, v.diffs


def test_one_or_two_runs_give_no_verdict():
    for paths in (GROUP[:1], GROUP[:2]):
        v = verdict_of(paths, 'hot', G_INDIRECT, 'tput')
        assert v.why == 'few' and not v.decided
        assert v.runs == len(paths)


def test_center_is_the_median_of_run_medians():
    c = case(GROUP, 'hot', CBZ, 'tput')
    meds = [statistics.median(raw_values(p, 'hot', CBZ, 'tput'))
            for p in GROUP]
    assert verdict.center(c) == statistics.median(meds)


def test_winner_against_the_runner_up():
    runs, _ = results.load_all(GROUP)
    pooled = results.pooled(runs)
    hot = [c for c in pooled.values() if (c.scenario, c.params) ==
           ('hot', 'tput')]
    best, nxt, lead = verdict.winner(hot)
    assert (best.design, nxt.design) == ('indirect', 'inline')
    assert not lead.holds and lead.decided      # a tie
    null = [c for c in pooled.values() if c.scenario == 'null']
    best, nxt, lead = verdict.winner(null)
    assert (best.design, nxt.design) == ('inline', 'indirect')
    assert lead.holds


def test_baseline_is_the_runs_own():
    """The baseline the run names (its context's, CBZ here), else the
    first instance of its design by name, else none."""
    assert verdict.baseline_spec(['tail', 'cbz:pad=off', CBZ], CBZ) == CBZ
    assert verdict.baseline_spec(['cbz:pad=off,x', 'cbz:pad=off'],
                                 CBZ) == 'cbz:pad=off'
    assert verdict.baseline_spec(['tail', 'inline'], CBZ) is None
    assert verdict.baseline_spec(['tail', 'tail:pad=off', CBZ],
                                 'tail:pad=off') == 'tail:pad=off'
    assert verdict.baseline_spec([CBZ], '') is None


# ----------------------------------------------------- summary.txt

def summary_of(paths):
    runs, errors = results.load_all(paths)
    assert not errors
    return summary.summary_text(runs)


def table(text, title):
    """{variant: cells} of the table under the line @title."""
    lines = text.splitlines()
    i = lines.index(title)
    assert lines[i + 1].split()[-1] in ('sig', 'verdict')
    out = {}
    for ln in lines[i + 2:]:
        if not ln.strip():
            break
        out[ln.split()[0]] = ln.split()
    return out


def wins(text):
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith('case '))
    out = {}
    for ln in lines[i + 1:]:
        if not ln.strip():
            break
        out[ln.split()[0]] = ln.split()
    return out


def test_summary_verdicts_of_runs_that_agree():
    text = summary_of(GROUP)
    assert 'runs:     3 runs (group fixture-quick: runs 1, 2, 3 of 3)' \
        in text
    hot = table(text, 'hot/tput')
    assert hot['indirect'][-1] == 'holds' and hot['inline'][-1] == 'holds'
    assert hot['tail'][-1] == 'flips'
    # the runs column: how far the per-run differences spread
    d = raw_diffs(GROUP, 'hot', G_INDIRECT, 'tput')
    assert hot['indirect'][5] == summary.num(max(d) - min(d))
    assert hot['indirect'][4] == summary.num(statistics.median(d), True)
    w = wins(text)
    assert w['hot/tput'][1:4] == ['indirect', '4.05', 'inline']
    assert w['hot/tput'][-1] == 'tie'
    assert w['null'][-1] == 'wins' and w['null'][1] == 'inline'
    assert w['cold'][-1] == 'tie'


def test_summary_verdicts_of_runs_that_disagree():
    text = summary_of(PRECISION)
    lat = table(text, 'hot/lat')
    assert lat['tail'][-1] == 'flips'
    assert lat['inline'][-1] == 'noise'
    assert lat['jmp'][-1] == 'holds'
    # and the same runs without the two contended ones
    quiet = table(summary_of(PRECISION[2:]), 'hot/lat')
    assert quiet['inline'][-1] == 'holds'


def test_summary_says_one_run_cannot_decide():
    text = summary_of(GROUP[:1])
    assert 'runs: 1 run (run 1 of 3 of group fixture-quick): no verdict ' \
        'across runs is possible' in ' '.join(text.split())
    assert 'One run cannot give a verdict across runs' in ' '.join(
        text.split())
    assert all(r[-1] == '-' for r in wins(text).values())
    assert 'verdict' not in text.splitlines()[
        text.splitlines().index('hot/tput') + 1]


def test_summary_counts_its_tests():
    """How many comparisons, how many tests per run, Holm, and how many
    could hold by chance: stated, and true of the tables."""
    text = ' '.join(summary_of(GROUP).split())
    runs, _ = results.load_all(GROUP)
    pooled = results.pooled(runs)
    by = {}
    for c in pooled.values():
        if c.scenario != 'calibration' and c.reps:
            by.setdefault((c.scenario, c.params), []).append(c)
    against = {(k, frozenset((c.spec, CBZ))) for k, cs in by.items()
               if any(b.spec == CBZ for b in cs)
               for c in cs if c.spec != CBZ}
    # a table per scenario and parameters, but for the sweep's smaller N
    tables = [k for k in by if not (k[0] == 'sites' and
                                    k[1].startswith(('n:1/', 'n:64/')))]
    winners = set()
    for k in tables:
        best, nxt = verdict.ranked(by[k])[:2]
        winners.add((k, frozenset((best.spec, nxt.spec))))
    n = len(against | winners)
    assert ('this summary makes %d comparisons (%d against cbz and %d more '
            'of a winner against its runner-up)' % (
                n, len(against), len(winners - against))) in text
    assert '%d tests in each of 3 runs' % n in text
    assert 'Holm-adjusted over the tests of a run' in text
    assert 'probability 3.9% over 3 runs' in text
    assert 'about %.2g of these %d comparisons could hold by chance' % (
        0.0389 * n, n) in text


# ------------------------------------------------------------ merge

MERGE = os.path.join(REPORT, 'merge')


def merged(tmp_path, *files):
    out = tmp_path / 'm'
    rc, stdout, stderr = run([PY, MERGE, '-o', str(out), '--no-plots'] +
                             list(files))
    assert rc == 0, stderr
    return json.loads((out / 'merge.json').read_text()), stdout


def row(meta, scenario, params):
    return next(r for r in meta['rows']
                if (r['scenario'], r['params']) == (scenario, params))


def test_merge_a_column_per_group(tmp_path):
    meta, stdout = merged(tmp_path, *GROUP, *PRECISION[2:],
                          fixture('native-quick.json'))
    cols = meta['columns']
    assert [c['runs'] for c in cols] == [3, 3, 1]
    assert cols[0]['group'] == 'fixture-quick'
    assert cols[0]['files'] == GROUP
    assert '[0] 3 runs of fixture-quick' in stdout


def test_merge_cells_by_the_rule(tmp_path):
    meta, stdout = merged(tmp_path, *GROUP, fixture('native-quick.json'))
    hot = row(meta, 'hot', 'tput')['cells']
    # indirect and inline: a tie in the three runs; one run: undecided
    assert hot['0']['winner'] == 'indirect' and hot['0']['tie']
    assert hot['0']['runner_up'] == 'inline'
    assert hot['0']['verdict'] == 'noise'
    assert not hot['1']['decided'] and not hot['1']['tie']
    null = row(meta, 'null', '')['cells']['0']
    assert null['winner'] == 'inline' and not null['tie']
    assert null['margin_holds']
    assert null['margin'] == pytest.approx(statistics.median(
        raw_diffs(GROUP, 'null', 'inline', '')))
    lines = {ln[:24].strip(): ln[24:] for ln in stdout.splitlines()
             if ln.startswith(('hot tput', 'null '))}
    assert lines['hot tput'].split() == ['~indirect', '-1.19!',
                                         '?indirect', '-0.994']
    assert lines['null'].split()[0:2] == ['inline', '-4.35!']


def test_merge_and_summary_and_precision_agree(tmp_path):
    """One rule, one baseline, one treatment of contended repetitions:
    every comparison against cbz gets the same verdict from all three."""
    meta, _ = merged(tmp_path, *PRECISION)
    text = summary_of(PRECISION)
    p = subprocess.run([PY, PRECISION_PY, '--report'] + PRECISION,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    words = precision_verdicts(p.stdout)
    for params in ('tput', 'lat'):
        t = table(text, 'hot/%s' % params)
        for spec, name in ((TAIL, 'tail'), (INDIRECT, 'indirect'),
                           ('inline', 'inline'),
                           ('jmp:pad=on,align=8', 'jmp')):
            v = verdict_of(PRECISION, 'hot', spec, params)
            assert t[name][-1] == v.word
            assert words['hot/%s/%s' % (spec, params)] == v.word
        cell = row(meta, 'hot', params)['cells']['0']
        best = cell['winner']
        spec = {'jmp': 'jmp:pad=on,align=8', 'indirect': INDIRECT,
                'inline': 'inline', 'tail': TAIL}[best]
        assert cell['margin_holds'] == verdict_of(PRECISION, 'hot', spec,
                                                  params).holds


# ----------------------------------------------------- precision.py

PRECISION_PY = os.path.join(TOP, 'scripts', 'precision.py')


def precision_verdicts(stdout):
    """{benchmark: verdict word} of precision.py's difference table."""
    lines = stdout.splitlines()
    i = next(i for i, ln in enumerate(lines)
             if ln.startswith('difference against cbz'))
    assert lines[i + 1].split()[-1] == 'verdict'
    return {ln.split()[0]: ln.split()[-1] for ln in lines[i + 2:]
            if ln.strip()}


def test_precision_reads_as_the_reports_do():
    p = subprocess.run([PY, PRECISION_PY, '--report'] + PRECISION,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    runs, _ = results.load_all(PRECISION)
    for i, path in enumerate(PRECISION):
        with open(path) as f:
            rows = [b for b in json.load(f)['benchmarks']
                    if b.get('run_type') == 'iteration' and
                    not b.get('error_occurred')]
        flagged = sum(1 for b in rows if b.get('contention_pct', 0) > 1)
        left = sum(c.contended for c in runs[i].cases)
        assert ('run%d: %d of %d repetitions contended (probe over 1%% '
                "above the run's quietest): %d left out" % (
                    i + 1, flagged, len(rows), left)) in p.stdout
    # contended runs 1 and 2 lose most repetitions
    assert sum(c.contended for c in runs[1].cases) > 50
    out = p.stdout.split('difference against cbz')
    lines = {ln.split()[0]: ln.split() for ln in out[0].splitlines()
             if ln.startswith('hot/')}
    diffs = {ln.split()[0]: ln.split() for ln in out[1].splitlines()
             if ln.startswith('hot/')}
    row_ = diffs['hot/%s/lat' % TAIL]
    want = raw_diffs(PRECISION, 'hot', TAIL, 'lat')
    assert [float(x) for x in row_[1:6]] == pytest.approx(want, abs=6e-4)
    assert row_[-1] == 'flips'
    # a run whose every repetition was flagged keeps them, marked *
    pooled = results.pooled(runs)
    marked = lines['hot/jmp:pad=on,align=8/lat']
    c = pooled[('hot', 'jmp:pad=on,align=8', 'lat')]
    assert c.all_contended == [1]
    assert marked[2].endswith('*') and not marked[1].endswith('*')


def test_precision_needs_no_scipy(tmp_path):
    """make precision runs python3 wherever trampbench does: the report
    side it imports must work without scipy."""
    code = ('import sys; sys.modules["scipy"] = None; '
            'sys.argv = ["precision.py", "--report"] + sys.argv[1:]; '
            'sys.path.insert(0, %r); import runpy; '
            'runpy.run_path(%r, run_name="__main__")' % (
                os.path.dirname(PRECISION_PY), PRECISION_PY))
    p = subprocess.run([sys.executable, '-c', code] + PRECISION[2:],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert precision_verdicts(p.stdout)['hot/inline/tput'] == 'holds'


def test_precision_bad_file_one_line(tmp_path):
    bad = tmp_path / 'bad.json'
    bad.write_text('{')
    p = subprocess.run([PY, PRECISION_PY, '--report', str(bad)] +
                       PRECISION[2:], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 1
    assert p.stderr.splitlines() == [p.stderr.strip()]
    assert str(bad) in p.stderr and 'Traceback' not in p.stderr
    assert 'hot/inline/tput' in p.stdout


# ------------------------------------------------- runs of one group

def test_runs_of_a_group_are_not_merged_as_copies(tmp_path):
    runs, _ = results.load_all(GROUP)
    kept, warnings = results.once(runs)
    assert len(kept) == 3 and not warnings
    assert {results.group_key(r) for r in runs} == {'group:fixture-quick'}
    assert [r.index for r in runs] == [1, 2, 3]
    # one given again, and a copy of it, are counted once
    dup = tmp_path / 'copy.json'
    shutil.copy(GROUP[1], dup)
    runs, _ = results.load_all(GROUP + [GROUP[1], str(dup)])
    kept, warnings = results.once(runs)
    assert len(kept) == 3 and len(warnings) == 2
    # the same rows in another place of the group are another run
    with open(GROUP[0]) as f:
        data = json.load(f)
    data['context']['run_index'] = 4
    other = tmp_path / 'run4.json'
    other.write_text(json.dumps(data))
    runs, _ = results.load_all(GROUP + [str(other)])
    assert len(results.once(runs)[0]) == 4


def test_a_group_is_reported_under_its_folder_name():
    run_ = results.load(GROUP[0])
    assert results.report_name(run_) == 'group-quick'
    old = results.load(PRECISION[0])
    assert results.report_name(old) == 'x86-zen5-vm-precision-20261202'
    assert results.group_key(old) == 'folder:' + os.path.dirname(
        PRECISION[0])
    single = results.load(fixture('native-quick.json'))
    assert results.report_name(single) == 'native-quick'
