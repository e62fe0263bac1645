# SPDX-License-Identifier: GPL-2.0
"""report/summary.py on the fixture runs (tests/fixtures/results/).

    /usr/bin/python3 -m pytest -q tests/report/test_summary.py
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REPORT = os.path.join(TOP, 'report')
FIX = os.path.join(TOP, 'tests', 'fixtures', 'results')
sys.path.insert(0, REPORT)

import results  # noqa: E402
import stats    # noqa: E402
import summary  # noqa: E402
from conftest import edited  # noqa: E402

GOOD = ('native-quick.json', 'native-quick-b.json', 'native-one-rep.json',
        'emulated-quick.json')
SCRIPT = os.path.join(REPORT, 'summary.py')


def fixture(name):
    return os.path.join(FIX, name)


def runs_of(*names):
    runs, errors = results.load_all([fixture(n) for n in names])
    assert not errors
    runs, other = results.one_machine(runs)
    assert not other
    return runs


def text_of(*names, model=None):
    return summary.summary_text(runs_of(*names), model)


def sections(text):
    """{scenario: its text} by the scenario headings ('hot' over '===')."""
    lines = text.splitlines()
    heads = [i for i in range(len(lines) - 1)
             if lines[i] and set(lines[i + 1]) == {'='} and
             len(lines[i + 1]) == len(lines[i]) and ' ' not in lines[i]]
    out = {}
    for k, i in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        out[lines[i]] = '\n'.join(lines[i:end])
    return out


def block(text, title):
    """The lines from the one starting with @title to the next blank."""
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith(title))
    out = []
    for ln in lines[i:]:
        if not ln.strip():
            break
        out.append(ln)
    return out


def table_rows(text, title):
    """{first cell: cells} of the table under the line @title."""
    rows = {}
    for ln in block(text, title)[2:]:
        cells = ln.split()
        rows[cells[0]] = cells
    return rows


GROUP = tuple('group-quick/run%d.json' % i for i in (1, 2, 3))
CASES = [(n,) for n in GOOD] + [('native-quick.json', 'native-quick-b.json'),
                                GROUP]


def check_width(text):
    """72 columns, plain ASCII, no tabs; only a word too long for any
    line (a path), after at most its label, is over the width."""
    for i, ln in enumerate(text.splitlines(), 1):
        words = ln.split()
        single = len(words) == 1 or (len(words) == 2 and
                                     words[0].endswith(':'))
        assert len(ln) <= 72 or (single and len(words[-1]) > 72 - 10), \
            'line %d is %d wide: %r' % (i, len(ln), ln)
        assert '\t' not in ln, 'tab in line %d' % i
        assert all(' ' <= c <= '~' for c in ln), 'not ASCII: %r' % ln


@pytest.mark.parametrize('names', CASES)
def test_plain_text_72_columns(names):
    check_width(text_of(*names))


def long_copies(tmp_path, *names):
    """The fixtures @names copied below a long folder name, as a copy of
    the tree in one (scripts/mutants.sh's) has them."""
    d = tmp_path / ('a-very-long-folder-name-' * 3 + 'for-the-tree') / 'x'
    d.mkdir(parents=True)
    out = []
    for n in names:
        shutil.copy(fixture(n), d / n)
        out.append(str(d / n))
    return out


def whole(text, word):
    """Whether @word is one whole word of one of @text's lines."""
    return any(word in ln.split() for ln in text.splitlines())


@pytest.mark.parametrize('names', CASES)
def test_every_scenario_and_design_appears(names):
    text = text_of(*names)
    secs = sections(text)
    pooled = results.pooled(runs_of(*names))
    want = {}
    for c in pooled.values():
        if c.scenario != 'calibration':
            want.setdefault(c.scenario, set()).add(c.design)
    assert set(secs) == set(want)
    for scenario, designs in want.items():
        rows = set(re.findall(r'^([a-z]+)\b', secs[scenario], re.M))
        assert designs <= rows, (scenario, designs - rows)


def test_emulated_run_says_so_first():
    text = text_of('emulated-quick.json')
    head = '\n'.join(text.splitlines()[:4])
    assert 'EMULATED (qemu-user): not a uarch result' in head
    assert 'EMULATED' not in text_of('native-quick.json')


def test_timer_run_says_where_cycles_come_from():
    text = text_of('native-quick.json')
    counters = ' '.join(' '.join(block(text, 'counters:')).split())
    assert 'timer calibration' in counters
    assert 'mispredicts and L1I refills are not counted' in counters
    # nothing counted them: no columns for them
    head = block(text, 'hot/tput')[1].split()
    assert head[:4] == ['variant', 'cycles', 'IQR', 'min..max']
    assert 'mispr' not in head and 'L1I' not in head


def test_machine_block(tmp_path):
    files = long_copies(tmp_path, 'native-quick.json', 'native-quick-b.json')
    runs, _ = results.load_all(files)
    text = summary.summary_text(runs)
    ctx = runs[0].context
    for want in ('core:     %s, model %s' % (ctx['core_name'],
                                            ctx['model_name']),
                 'kernel:   %s' % ctx['kernel'],
                 'version:  trampbench %s' % ctx['trampbench_version'],
                 'reps:     1-5 per benchmark in each run',
                 'runs:     2 runs',
                 'date:     %s .. ' % ctx['date']):
        assert want in text
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith('files:'))
    assert lines[i].split() == ['files:', files[0]]
    assert lines[i + 1].split() == [files[1]]
    check_width(text)


def test_paths_are_never_split(tmp_path):
    """Wherever the tree is, each file's path is one word of the summary,
    and the summary keeps to 72 columns but for it."""
    for names in (('native-one-rep.json',), ('emulated-quick.json',)):
        files = long_copies(tmp_path / names[0], *names)
        runs, _ = results.load_all(files)
        text = summary.summary_text(runs)
        for f in files:
            assert len(f) > 72 and whole(text, f), f
        check_width(text)


def broken_between_words(text, lines):
    """Whether @lines are @text wrapped with each break between words
    or after a comma: never inside a word."""
    pos = 0
    for ln in lines:
        chunk = ln.strip()
        at = text.index(chunk, pos)
        if text[pos:at].strip() or (at and text[at - 1] not in ' ,'):
            return False
        pos = at + len(chunk)
    return not text[pos:].strip()


def test_wrap_breaks_between_words_and_after_commas():
    spec = 'cbz:pad=on,align=8,lit=rodata,null=ret0,extra=a-long-knob-value'
    text = 'vs cbz: against %s and against %s too' % (spec, spec)
    lines = summary.wrap(text, '    ', '  ')
    assert len(lines) > 1 and broken_between_words(text, lines)
    assert all(len(ln) <= 72 for ln in lines)
    path = '/x/' + 'a-very-long-folder-name-' * 4 + 'results/native.json'
    lines = summary.wrap('one %s two' % path, '    ', '  ')
    assert lines == ['  one', '    ' + path, '    two']
    long = 'design:' + ','.join('knob%d=%s' % (i, 'v' * 70) for i in range(3))
    lines = summary.wrap_spec(long)
    assert broken_between_words(long, lines)
    assert [ln.strip().rstrip(',') for ln in lines] == \
        [long.split(',')[0]] + long.split(',')[1:]


def test_numbers_are_the_statistics_of_the_repetitions():
    runs = runs_of('native-quick.json')
    text = summary.summary_text(runs)
    pooled = results.pooled(runs)

    def case(design):
        return next(c for c in pooled.values() if c.scenario == 'hot' and
                    c.params == 'tput' and c.design == design)

    base, other = case('cbz'), case('inline')
    rows = table_rows(text, 'hot/tput')
    xs = sorted(base.values('cycles'))
    assert rows['cbz'][1] == summary.num(statistics.median(xs))
    q = statistics.quantiles(xs, n=4, method='inclusive')
    assert rows['cbz'][2] == summary.num(q[2] - q[0])
    assert rows['cbz'][3] == '%s..%s' % (summary.num(xs[0]),
                                         summary.num(xs[-1]))
    assert rows['cbz'][4] == 'base'
    est, ci, p = stats.shift(other.values('cycles'), base.values('cycles'))
    assert rows['inline'][4] == summary.num(est, True)
    assert rows['inline'][5] == '[%s,%s]' % (summary.num(ci[0], True),
                                             summary.num(ci[1], True))
    # 5 against 5, wholly apart: p = 2/252, '**' alone, but not after
    # Holm over the summary's 55 tests (0.0079 x 55 > 0.05): no mark
    assert p == pytest.approx(2 / 252) and stats.mark(p) == '**'
    assert len(rows['inline']) == 6


def test_one_repetition_is_reported_with_question_marks():
    text = text_of('native-one-rep.json')
    rows = table_rows(text, 'hot/tput')
    assert set(rows) >= {'cbz', 'tail', 'indirect', 'inline', 'jmp'}
    for name, cells in rows.items():
        if name != 'cbz':
            assert cells[-1] == '?', cells
    assert '? : too few repetitions' in text


def test_three_repetitions_cannot_reach_significance_footnote():
    text = text_of('emulated-quick.json')
    rows = table_rows(text, 'hot/tput')
    assert all(c[-1] == '?' for n, c in rows.items() if n != 'cbz')
    note = ' '.join(ln.strip() for ln in
                    block(text, '    ? : too few repetitions'))
    assert 'with 3 against 3 the smallest p it can give is 0.1' in note
    assert 'no difference can reach p<0.05' in note


def test_testable_matches_scipy():
    from scipy.stats import mannwhitneyu
    for m, n in ((3, 3), (3, 4), (4, 4), (5, 5)):
        lo = mannwhitneyu(list(range(m)), list(range(10, 10 + n)),
                          alternative='two-sided').pvalue
        assert summary.testable(m, n) == (lo < 0.05), (m, n, lo)


@pytest.mark.parametrize('name', GOOD)
def test_calibration_rows(name):
    text = text_of(name)
    cal = block(text, 'Calibration')
    got = {ln.split()[0]: ln for ln in cal[2:]}
    assert set(got) == {'empty', 'add_chain', 'mul_chain', 'call_ret',
                        'branch_random', 'core_clock_drift'}
    assert cal[1].split() == ['row', 'median', 'IQR', 'should', 'read']
    # no PMU: the add chain is the clock's definition, and says so
    assert '1: defines the clock, no check' in \
        got['add_chain'] and '~0' in got['empty']
    # these runs predate the multiply chain
    assert 'not in this run' in got['mul_chain']
    assert 'mispredict_penalty' in got['branch_random']
    assert re.search(r' -?\d+\.\d+% ', got['core_clock_drift'])


def test_mul_chain_against_its_stated_latency(tmp_path):
    """A real run with the multiply chain (native-calibration.json, timer
    mode on a Zen 4 guest): the latency the row carries is what it should
    read, and a run that reads another is flagged."""
    text = text_of('native-calibration.json')
    got = {ln.split()[0]: ln for ln in block(text, 'Calibration')[2:]}
    assert got['mul_chain'].split()[1] == '3.00'
    assert got['mul_chain'].endswith('3: stated latency')
    with open(fixture('native-calibration.json')) as f:
        data = json.load(f)
    for b in data['benchmarks']:
        if b['name'].startswith('calibration/mul_chain'):
            b['cycles'] *= 1.1
    path = tmp_path / 'slow-mul.json'
    path.write_text(json.dumps(data))
    runs, errors = results.load_all([str(path)])
    assert not errors
    got = {ln.split()[0]: ln for ln in
           block(summary.summary_text(runs), 'Calibration')[2:]}
    assert got['mul_chain'].endswith('3: stated latency, OFF by >5%')


def test_skipped_cases_are_listed_with_their_reason():
    text = text_of('native-quick.json')
    far = sections(text)['far']
    assert re.search(r'^jmp +skipped: rel32 cannot reach it$', far, re.M)
    assert re.search(r'^inline +skipped: rel32 cannot reach it$', far, re.M)


def test_sites_compact_table_and_largest_n():
    text = text_of('native-quick.json')
    sweep = block(text, 'sites/rr/packed: cycles per call by N')
    assert sweep[1].split() == ['variant', 'N=1', 'N=64', 'N=4096']
    assert {ln.split()[0] for ln in sweep[2:]} == {
        'cbz', 'tail', 'indirect', 'inline', 'jmp'}
    full = table_rows(text, 'sites/rr/packed/n:4096')
    assert set(full) == {'cbz', 'tail', 'indirect', 'inline', 'jmp'}


def test_units_once_per_scenario(tmp_path):
    """Each scenario's unit once, in the words its run's context gives
    (bench/context.c writes them; the fixture predates them, so they
    are added here, as the program writes them), else said missing."""
    def units(data):
        ctx = data['context']
        ctx['scenario_order'] = 'hot,null,ret0,far,sites,flip,update,cold'
        ctx['designs'] = 'jmp,cbz,tail,indirect,inline'
        ctx['baseline'] = 'cbz:pad=on,align=8,lit=rodata'
        ctx['scenario_unit.update'] = 'cycles per update (not per call)'
        ctx['scenario_unit.flip'] = (
            "cycles per call: one update's cost shared by k calls, plus "
            'the mispredicts after each change')
        return data

    path = edited(tmp_path, 'units.json', units)
    secs = sections(summary.summary_text([results.load(path)]))
    assert 'unit: cycles per update (not per call)' in secs['update']
    assert "one update's cost shared by k calls" in secs['flip']
    assert 'label: one update per K calls' in secs['flip']
    assert 'unit: not recorded in this file' in secs['hot']
    for s, t in secs.items():
        assert t.count('unit:') == 1, s


def wins_rows(text):
    """{case: cells} of the "Which variant wins where" table."""
    wins = block(text, 'Which variant wins where')
    i = next(i for i, ln in enumerate(wins) if ln.startswith('case '))
    assert wins[i].split() == ['case', 'fastest', 'cycles', 'next', 'by',
                               'sig', 'verdict']
    return {ln.split()[0]: ln.split() for ln in wins[i + 1:]}


def test_wins_table_of_one_run():
    """The winner against its runner-up; one run gives no verdict."""
    text = text_of('native-quick.json')
    rows = wins_rows(text)
    assert set(rows) >= {'hot/tput', 'hot/lat', 'null', 'ret0', 'far',
                         'sites/rr/packed/n:4096', 'flip/k:1',
                         'flip/k:1024', 'update/alone', 'cold'}
    assert rows['hot/tput'][1:4] == ['indirect', '4.00', 'inline']
    assert all(r[-1] == '-' for r in rows.values())
    assert 'One run cannot give a verdict across runs' in ' '.join(
        block(text, 'Which variant wins where'))
    pooled = results.pooled(runs_of('native-quick.json'))
    hot = [c for c in pooled.values() if (c.scenario, c.params) ==
           ('hot', 'tput')]
    by_median = sorted(hot, key=lambda c: statistics.median(
        c.values('cycles')))
    assert [c.design for c in by_median[:2]] == ['indirect', 'inline']
    emu = wins_rows(text_of('emulated-quick.json'))
    assert emu and all(len(r) == 7 and r[-2] == '?' for r in emu.values())


@pytest.mark.skipif(shutil.which('gnuplot') is None,
                    reason='gnuplot is not installed')
def test_sites_ascii_plot():
    text = text_of('native-quick.json')
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines)
             if ln.startswith('sites/rr/packed: cycles per call against N'))
    plot = lines[i + 1:i + 24]
    assert sum('|' in ln for ln in plot) >= 15
    assert any(re.search(r'\+-{40,}\+', ln) for ln in plot)
    keys = ' '.join(plot)
    for d in ('cbz', 'tail', 'indirect', 'inline', 'jmp'):
        assert re.search(r'\b%s [*#$%%@&=]{3}[A-Z]' % d, keys), d
    assert re.search(r'^ +1 +4 +16 +64 +256 +1024 +4096$',
                     '\n'.join(plot), re.M)


def test_no_gnuplot_one_line(monkeypatch):
    monkeypatch.setattr(summary, 'GNUPLOT', 'no-such-gnuplot-here')
    text = text_of('native-quick.json')
    lines = text.splitlines()
    i = next(i for i, ln in enumerate(lines)
             if ln.startswith('sites/rr/packed: cycles per call against N'))
    assert lines[i + 1].startswith('(no plot: gnuplot is not installed')
    assert not lines[i + 2].strip()


MODEL = {'kind': 'trampbench-model', 'tool': 'llvm-mca 19.1.7',
         'note': 'the call sequence alone',
         'cores': {'znver5': {'arch': 'x86', 'variants': {
             'cbz': {'cycles_per_call': 2.5, 'rthroughput': 2.0,
                     'instructions': 7, 'branch_pressure': 1.5,
                     'sequence': []},
             'jmp': {'cycles_per_call': 2.25}}}}}


def test_static_model_beside_hot(tmp_path, monkeypatch):
    tsv = tmp_path / 'model-cpus.tsv'
    tsv.write_text('# mcpu\tarch\tnames\tbranch\tnotes\n'
                   'znver4\tx86\tAMD Zen 4\tZn4BRU1\t-\n'
                   'znver5\tx86\tAMD Zen 5,AMD Zen 5c\tZn4BRU1\t-\n')
    monkeypatch.setattr(summary, 'MODEL_CPUS', str(tsv))
    text = text_of('native-quick.json', model=MODEL)
    hot = sections(text)['hot']
    assert 'static model (llvm-mca): llvm-mca 19.1.7, llvm cpu znver5' \
        in hot
    rows = {ln.split()[0]: ln.split() for ln in
            block(hot, 'variant   model')[1:]}
    assert rows['cbz'][1] == '2.50' and rows['jmp'][1] == '2.25'
    assert rows['tail'][1] == '-'
    measured = table_rows(text, 'hot/tput')
    assert rows['cbz'][2] == measured['cbz'][1]


def test_static_model_of_the_tree():
    """The model make model wrote, through harness/data/model-cpus.tsv,
    when the tree has both."""
    path = results.newest_model() if hasattr(results, 'newest_model') \
        else None
    if not path or not os.path.exists(summary.MODEL_CPUS):
        pytest.skip('no results/model-*.json or model-cpus.tsv here')
    model = results.load_model(path)
    text = text_of('native-quick.json', model=model)
    hot = sections(text)['hot']
    if 'znver5' not in model['cores']:
        assert 'static model (llvm-mca): none for AMD Zen 5' in hot
        return
    rows = {ln.split()[0]: ln.split() for ln in
            block(hot, 'variant   model')[1:]}
    want = model['cores']['znver5']['variants']
    for design in ('cbz', 'tail', 'jmp'):
        assert rows[design][1] == summary.num(
            want[design]['cycles_per_call'])


def test_model_variant_matching():
    v = {'indirect': 1, 'indirect:kcfi=on': 2, 'cbz': 3}
    assert summary._model_variant(v, 'indirect:kcfi=on,null=nop') == 2
    assert summary._model_variant(v, 'indirect:kcfi=off,null=nop') == 1
    assert summary._model_variant(v, 'cbz:pad=on,align=8') == 3
    assert summary._model_variant(v, 'tail:pad=on') is None


def test_static_model_without_the_core_table(tmp_path, monkeypatch):
    monkeypatch.setattr(summary, 'MODEL_CPUS', str(tmp_path / 'absent'))
    text = text_of('native-quick.json', model=MODEL)
    assert 'static model (llvm-mca): none for AMD Zen 5' in text
    assert 'variant   model' not in text
    assert 'static model' not in text_of('native-quick.json')


def test_pmu_counters_are_shown(tmp_path):
    with open(fixture('native-quick.json')) as f:
        data = json.load(f)
    data['context']['counter_mode'] = 'pmu'
    data['context']['event_roles'] = ('cycles=CPU_CYCLES,mispredicts='
                                      'BR_MIS_PRED,l1i_refill=L1I_REFILL')
    for r in data['benchmarks']:
        if 'cycles' in r:
            r['BR_MIS_PRED'] = 0.25
            r['L1I_REFILL'] = 0.0
    path = tmp_path / 'pmu.json'
    path.write_text(json.dumps(data))
    run = results.load(str(path))
    text = summary.summary_text([run])
    rows = table_rows(text, 'hot/tput')
    assert block(text, 'hot/tput')[1].split()[4:6] == ['mispr', 'L1I']
    assert rows['cbz'][4:6] == ['0.25', '0.00']
    assert 'pmu: hardware counters' in text


def test_several_runs_with_counters_fit_72_columns():
    """The widest table: several runs (runs and verdict columns) and
    pmu counters.  No fixture has a PMU, so the group's runs get made-up
    counts here, only to widen the table: not a result."""
    runs = runs_of(*GROUP)
    for r in runs:
        r.machine.mode = 'pmu'
        r.roles = {'mispredicts': 'BR_MIS_PRED', 'l1i_refill': 'L1I_REFILL'}
        for c in r.cases:
            for i, rep in enumerate(c.reps):
                rep['BR_MIS_PRED'] = 0.01 * i
                rep['L1I_REFILL'] = 123.4
    text = summary.summary_text(runs)
    head = block(text, 'flip/k:1')[1].split()
    assert head == ['variant', 'cycles', 'IQR', 'min..max', 'mispr', 'L1I',
                    'vs', 'cbz', 'runs', 'sig', 'verdict']
    check_width(text)


def cli(*args):
    return subprocess.run([sys.executable, SCRIPT] + list(args),
                          capture_output=True, text=True, timeout=120)


def test_cli_prints_the_summary():
    p = cli(fixture('native-quick.json'))
    assert p.returncode == 0 and not p.stderr
    assert p.stdout == text_of('native-quick.json')


@pytest.mark.parametrize('bad', ['plain-gbench.json', 'no-such.json',
                                 'truncated', 'folder'])
def test_cli_bad_file_among_good(tmp_path, bad):
    if bad == 'truncated':
        path = tmp_path / 'cut.json'
        with open(fixture('native-quick.json')) as f:
            path.write_text(f.read()[:5000])
        bad = str(path)
    elif bad == 'folder':
        bad = str(tmp_path)
    else:
        bad = fixture(bad)
    p = cli(bad, fixture('native-quick.json'))
    assert p.returncode == 1
    err = p.stderr.splitlines()
    assert len(err) == 1 and bad in err[0], p.stderr
    assert 'Traceback' not in p.stderr
    assert p.stdout == text_of('native-quick.json')


def test_cli_another_machine_is_named():
    p = cli(fixture('native-quick.json'), fixture('emulated-quick.json'))
    assert p.returncode == 1
    err = p.stderr.splitlines()
    assert len(err) == 1 and 'emulated-quick.json' in err[0]
    assert 'another machine' in err[0]
    assert p.stdout == text_of('native-quick.json')


def test_cli_bad_model_file(tmp_path):
    m = tmp_path / 'model.json'
    m.write_text('{"kind": "something else"}')
    p = cli('--model', str(m), fixture('native-quick.json'))
    assert p.returncode == 1
    assert len(p.stderr.splitlines()) == 1 and str(m) in p.stderr
    assert p.stdout.startswith('trampbench results:')
