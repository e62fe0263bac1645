# SPDX-License-Identifier: GPL-2.0
"""report/plots.py on the real fixture runs (tests/fixtures/results).

    /usr/bin/python3 -m pytest -q tests/report/test_plots.py
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

import matplotlib.container
import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FIXTURES = os.path.join(TOP, 'tests', 'fixtures', 'results')
sys.path.insert(0, os.path.join(TOP, 'report'))
import plots  # noqa: E402
import verdict  # noqa: E402
import results  # noqa: E402
import stats  # noqa: E402

HAVE_GNUPLOT = shutil.which('gnuplot') is not None
needs_gnuplot = pytest.mark.skipif(not HAVE_GNUPLOT, reason='no gnuplot')
PNG_MAGIC = b'\x89PNG\r\n\x1a\n'


def load(name):
    return results.load(os.path.join(FIXTURES, name + '.json'))


def expected(names, gnuplot=HAVE_GNUPLOT):
    """Relative paths write_plots writes for plots @names."""
    out = []
    for n in names:
        out += ['%s.png' % n, '%s.svg' % n]
        out += ['gnuplot/%s.dat' % n]
        if gnuplot:
            out += ['gnuplot/%s.png' % n, 'gnuplot/%s.svg' % n]
    return sorted(out)


def written(outdir, paths):
    return sorted(os.path.relpath(p, outdir) for p in paths)


def check_file(path):
    """Non-empty, and a valid PNG / SVG / gnuplot data file."""
    assert os.path.getsize(path) > 0, path
    if path.endswith('.png'):
        with open(path, 'rb') as f:
            assert f.read(8) == PNG_MAGIC, path
    elif path.endswith('.svg'):
        root = ET.parse(path).getroot()     # well-formed XML
        assert root.tag in ('svg', '{http://www.w3.org/2000/svg}svg'), path
    elif path.endswith('.dat'):
        with open(path) as f:
            head = f.read()
        assert '# title: ' in head and '# labels: ' in head, path


def text(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def svgs(paths):
    return [p for p in paths if p.endswith('.svg')]


@pytest.fixture(scope='module')
def plotted(tmp_path_factory):
    """{fixture name: (outdir, paths)}, each fixture plotted once."""
    done = {}

    def get(name):
        if name not in done:
            out = str(tmp_path_factory.mktemp(name))
            done[name] = (out, plots.write_plots([load(name)], out))
        return done[name]
    return get


def test_native_quick_every_file(plotted):
    out, paths = plotted('native-quick')
    assert written(out, paths) == expected(['sites', 'bars', 'updates'])
    for p in paths:
        check_file(p)


def test_timer_run_says_so(plotted):
    out, paths = plotted('native-quick')
    assert load('native-quick').machine.mode == 'timer'
    for p in svgs(paths):
        t = text(p)
        assert 'timer mode: cycles from timer calibration' in t, p
        assert 'AMD Zen 5' in t and ' on vm' in t, p     # core, host
        assert 'EMULATED' not in t, p


def test_emulated_run_is_marked(plotted):
    out, paths = plotted('emulated-quick')
    assert written(out, paths) == expected(['sites', 'bars', 'updates'])
    for p in paths:
        check_file(p)
    for p in svgs(paths):
        t = text(p)
        # the watermark on the panels, and the title line
        assert t.count('EMULATED') >= 2, p
        assert 'not a uarch result' in t, p
        assert 'emulated mode' in t, p


def test_one_repetition_still_plots(plotted):
    out, paths = plotted('native-one-rep')
    assert all(len(c.reps) == 1 for c in load('native-one-rep').cases
               if c.scenario != 'calibration')
    # hot and sites only: no updates plot
    assert written(out, paths) == expected(['sites', 'bars'])
    for p in paths:
        check_file(p)


def without_legend(path):
    """A matplotlib SVG's text without its legend: what is drawn."""
    root = ET.parse(path).getroot()
    for parent in root.iter():
        for child in list(parent):
            if child.get('id', '').startswith('legend'):
                parent.remove(child)
    return ET.tostring(root, encoding='unicode')


def test_design_colours_fixed(plotted):
    """Every design keeps its colour in every plot it is drawn in."""
    for name in ('native-quick', 'emulated-quick'):
        run = load(name)
        out, paths = plotted(name)
        for plot, scenarios in (('sites', {'sites'}),
                                ('bars', {'hot', 'null', 'ret0', 'far',
                                          'cold'}),
                                ('updates', {'flip', 'update'})):
            designs = {c.design for c in run.cases
                       if c.scenario in scenarios and c.values('cycles')}
            assert designs
            t = without_legend(os.path.join(out, plot + '.svg')).lower()
            for d in designs:
                assert plots.design_color(d).lower() in t, (name, plot, d)
            dat = text(os.path.join(out, 'gnuplot', plot + '.dat'))
            labels = re.search(r'^# labels: (.*)$', dat, re.M).group(1)
            colors = re.search(r'^# colors: (.*)$', dat, re.M).group(1)
            for lab, col in zip(labels.split(), colors.split()):
                assert plots.design_color(lab.split(':')[0]) == col


def test_same_input_same_svg(tmp_path):
    run = load('native-one-rep')
    a = plots.write_plots([run], str(tmp_path / 'a'))
    b = plots.write_plots([run], str(tmp_path / 'b'))
    for pa, pb in zip(a, b):
        if pa.endswith('.svg') and '/gnuplot/' not in pa:
            assert text(pa) == text(pb), pa


def test_two_runs_of_one_machine_pooled(tmp_path):
    runs = [load('native-quick'), load('native-quick-b')]
    paths = plots.write_plots(runs, str(tmp_path))
    assert written(str(tmp_path), paths) == expected(
        ['sites', 'bars', 'updates'])
    dat = text(str(tmp_path / 'gnuplot' / 'sites.dat'))
    assert 'native-quick.json native-quick-b.json' in dat


def test_other_machine_left_out(tmp_path, capsys):
    paths = plots.write_plots([load('native-quick'), load('emulated-quick')],
                              str(tmp_path))
    assert 'another machine' in capsys.readouterr().err
    for p in svgs(paths):
        assert 'EMULATED' not in text(p)


def test_counted_mispredicts_get_a_row(tmp_path):
    """No fixture has a PMU, so this gives the timer run made-up
    mispredict counts, only to exercise the second row of the sites
    plot: the numbers are not a result."""
    run = load('native-one-rep')
    run.machine.mode = 'pmu'
    run.roles = {'mispredicts': 'BR_MISP_RETIRED'}
    for c in run.cases:
        for i, r in enumerate(c.reps):
            r['BR_MISP_RETIRED'] = 0.01 * (i + 1)
    paths = plots.write_plots([run], str(tmp_path))
    t = text(str(tmp_path / 'sites.svg'))
    assert 'mispredicts/call' in t and 'pmu mode' in t
    assert '# mispredicts: 1' in text(str(tmp_path / 'gnuplot' /
                                          'sites.dat'))
    if HAVE_GNUPLOT:
        assert 'mispredicts/call' in text(str(tmp_path / 'gnuplot' /
                                              'sites.svg'))
    for p in paths:
        check_file(p)


def test_without_gnuplot_matplotlib_still_written(tmp_path, monkeypatch,
                                                  capsys):
    monkeypatch.setattr(plots, 'GNUPLOT', 'no-such-gnuplot-here')
    paths = plots.write_plots([load('native-quick')], str(tmp_path))
    assert written(str(tmp_path), paths) == expected(
        ['sites', 'bars', 'updates'], gnuplot=False)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'not found' in err[0], err


@needs_gnuplot
@pytest.mark.parametrize('name', ['sites', 'bars', 'updates'])
def test_gnuplot_reruns_by_hand(plotted, tmp_path, name):
    """The rerun line of each .dat, run as a user would, on a copy of
    the .dat alone: title, labels and colours come from its header."""
    out, _ = plotted('emulated-quick')
    dat = tmp_path / (name + '.dat')
    shutil.copy(os.path.join(out, 'gnuplot', name + '.dat'), dat)
    line = re.search(r'^# rerun[^:]*: (gnuplot .*)$', text(str(dat)),
                     re.M).group(1)
    assert 'report/gnuplot/%s.gp' % name in line
    cmd = ['gnuplot', '-e', "datafile='%s'" % dat,
           os.path.join('report', 'gnuplot', name + '.gp')]
    r = subprocess.run(cmd, cwd=TOP, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    check_file(str(tmp_path / (name + '.png')))     # default out
    svg = tmp_path / 'x.svg'
    r = subprocess.run(['gnuplot', '-e', "datafile='%s'; out='%s'" %
                        (dat, svg), os.path.join(TOP, 'report', 'gnuplot',
                                                 name + '.gp')],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    check_file(str(svg))
    assert 'EMULATED' in text(str(svg))


@needs_gnuplot
def test_gnuplot_without_datafile_says_usage():
    r = subprocess.run(['gnuplot', os.path.join(TOP, 'report', 'gnuplot',
                                                'sites.gp')],
                       capture_output=True, text=True)
    assert r.returncode != 0 and 'usage' in r.stdout + r.stderr


def merge_input(names):
    """columns and rows as report/merge builds them: a column per run,
    a row per scenario/params, {column: {variant: median cycles}}."""
    runs = [load(n) for n in names]
    cols = []
    for i, r in enumerate(runs):
        m = r.machine
        mark = {'timer': ' [timer]', 'emulated': ' [EMULATED]'}.get(m.mode,
                                                                   '')
        cols.append({'index': i, 'label': '%s (%s)%s' % (m.core, m.host,
                                                         mark),
                     'mode': m.mode, 'core': m.core})
    keys = []
    for r in runs:
        for c in r.cases:
            k = (c.scenario, c.params)
            if c.scenario != 'calibration' and k not in keys:
                keys.append(k)
    rows = []
    for scenario, params in keys:
        values = {}
        for i, r in enumerate(runs):
            cases = [c for c in r.cases if c.scenario == scenario and
                     c.params == params and c.values('cycles')]
            names = {c.spec: c.short for c in cases}
            if cases:
                values[i] = {names[c.spec]: stats.median(c.values('cycles'))
                             for c in cases}
        rows.append({'scenario': scenario, 'params': params,
                     'values': values})
    return cols, rows


def test_merge_one_plot_per_scenario(tmp_path):
    cols, rows = merge_input(['native-quick', 'emulated-quick'])
    paths = plots.write_merge_plots(cols, rows, str(tmp_path))
    pngs = [p for p in paths if p.endswith('.png')]
    assert len(pngs) == len(rows) == len(set(pngs))
    assert len(svgs(paths)) == len(rows)
    for p in paths:
        check_file(p)
    for p in svgs(paths):
        t = text(p)
        assert 'EMULATED' in t and 'AMD Zen 5' in t, p


def test_merge_keys_as_json_strings(tmp_path):
    """merge.json read back has its column indices as strings."""
    cols, rows = merge_input(['native-quick'])
    rows = [dict(r, values={str(k): v for k, v in r['values'].items()})
            for r in rows]
    paths = plots.write_merge_plots(cols, rows, str(tmp_path))
    assert len(svgs(paths)) == len(rows)
    assert 'EMULATED' not in ''.join(text(p) for p in svgs(paths))


# ------------------------------------------- what the plots were given

GROUP = sorted(os.path.join(FIXTURES, 'group-quick', n)
               for n in os.listdir(os.path.join(FIXTURES, 'group-quick')))


def drawn_data(fig):
    """{panel title: [(label, x, y)]} of a figure: each errorbar line's
    points and each bar (x: its group's tick label)."""
    out = {}
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        pts = out.setdefault(ax.get_title(), [])
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        for cont in ax.containers:
            if isinstance(cont, matplotlib.container.ErrorbarContainer):
                line = cont.lines[0]
                if line is None:
                    continue        # a bar's error bar: the bar has it
                for x, y in zip(line.get_xdata(), line.get_ydata()):
                    pts.append((cont.get_label(), float(x), float(y)))
            elif isinstance(cont, matplotlib.container.BarContainer):
                bar = cont.patches[0]
                gi = round(bar.get_x() + bar.get_width() / 2)
                pts.append((cont.get_label(), ticks[gi],
                            float(bar.get_height())))
    return out


@pytest.fixture(scope='module')
def given(tmp_path_factory):
    """The group's plots: what matplotlib was given ({plot: panels}),
    the folder (gnuplot/*.dat), the pooled cases and the summary."""
    runs = [results.load(p) for p in GROUP]
    figs = {}
    real = plots.save

    def save(fig, outdir, name, handles, legend):
        figs[name] = drawn_data(fig)
        return real(fig, outdir, name, handles, legend)

    plots.save = save
    try:
        out = str(tmp_path_factory.mktemp('group'))
        plots.write_plots(runs, out)
    finally:
        plots.save = real
    pooled = results.pooled(runs)
    import summary
    return figs, out, pooled, summary.summary_text(runs)


def summary_values(pooled, scenario, key):
    """{(variant label, key value): the value the summary gives} of a
    scenario's cases, @key naming what tells them apart in a panel."""
    cases = [c for c in pooled.values() if c.scenario != 'calibration']
    st = plots.Styles([c.spec for c in cases],
                      {c.spec: c.short for c in cases})
    out = {}
    for c in cases:
        if c.scenario == scenario and c.values('cycles'):
            out[(st.label[c.spec], key(c))] = verdict.center(c)
    return out


def test_group_centers_are_not_pooled_medians(given):
    """The group was chosen so that the value (median of the run
    medians) and the median of all repetitions differ: a plot of the
    wrong one is caught below."""
    _, _, pooled, _ = given
    assert sum(1 for c in pooled.values() if c.values('cycles') and
               verdict.center(c) != statistics.median(c.values('cycles'))
               ) > 10


def test_matplotlib_draws_the_summary_values(given):
    figs, _, pooled, _ = given
    checked = 0
    sites = summary_values(pooled, 'sites', lambda c: (
        plots.param_words(plots.without(c.params, 'n')),
        float(c.param('n'))))
    for title, pts in figs['sites'].items():
        for label, x, y in pts:
            assert y == pytest.approx(sites[(label, (title, x))]), \
                (title, label, x)
            checked += 1
    assert checked == len(sites)
    for scenario in ('hot', 'null', 'ret0', 'far', 'cold'):
        want = summary_values(pooled, scenario,
                              lambda c: c.params or c.scenario)
        got = {(label, x): y for label, x, y in figs['bars'][scenario]}
        assert got == pytest.approx(want), scenario
    flip = summary_values(pooled, 'flip', lambda c: float(c.param('k')))
    got = {(label, x): y for label, x, y in figs['updates']['flip']}
    assert got == pytest.approx(flip)
    update = summary_values(pooled, 'update', lambda c: c.params)
    got = {(label, x): y for label, x, y in figs['updates']['update']}
    assert got == pytest.approx(update)


def dat_blocks(path):
    """{block title: [rows of fields]} of a gnuplot .dat file: a block
    starts with a '# title' line after a blank one (the header's '#'
    lines come first, with none blank before them)."""
    blocks, cur, prev = {}, None, None
    for ln in text(path).splitlines():
        if ln.startswith('# ') and prev == '':
            cur = blocks.setdefault(ln[2:].strip(), [])
        elif ln.strip() and not ln.startswith('#') and cur is not None:
            cur.append(ln.split())
        prev = ln
    return blocks


def dat_labels(path):
    return re.search(r'^# labels: (.*)$', text(path), re.M).group(1).split()


def test_gnuplot_is_given_the_summary_values(given):
    _, out, pooled, _ = given
    g = os.path.join(out, 'gnuplot')
    sites = summary_values(pooled, 'sites', lambda c: (
        plots.without(c.params, 'n'), float(c.param('n'))))
    blocks = dat_blocks(os.path.join(g, 'sites.dat'))
    checked = 0
    for (label, (panel, n)), want in sites.items():
        rows = blocks['%s %s' % (panel, label)]
        row = next(r for r in rows if float(r[0]) == n)
        assert float(row[1]) == pytest.approx(want, rel=1e-5)
        checked += 1
    assert checked == len(sites) >= 15
    bars = dat_blocks(os.path.join(g, 'bars.dat'))
    labels = dat_labels(os.path.join(g, 'bars.dat'))
    for scenario in ('hot', 'null', 'cold'):
        want = summary_values(pooled, scenario,
                              lambda c: c.params or c.scenario)
        for r in bars[scenario]:
            group = r[0].strip('"')
            for i, label in enumerate(labels):
                v = float(r[1 + 3 * i])
                if (label, group) in want:
                    assert v == pytest.approx(want[(label, group)],
                                              rel=1e-5), (scenario, label)
                else:
                    assert v != v       # NaN: not measured there
    upd = dat_blocks(os.path.join(g, 'updates.dat'))
    flip = summary_values(pooled, 'flip', lambda c: float(c.param('k')))
    for (label, k), want in flip.items():
        row = next(r for r in upd['flip %s' % label] if float(r[0]) == k)
        assert float(row[1]) == pytest.approx(want, rel=1e-5)


def printed(lines, i):
    """{variant: cycles cell} of the summary table whose header is line
    @i."""
    assert lines[i].split()[:2] == ['variant', 'cycles']
    rows = {}
    for ln in lines[i + 1:]:
        if not ln.strip():
            break
        rows[ln.split()[0]] = ln.split()[1]
    return rows


def table_at(lines, scenario, params):
    """The line of the header of @scenario's table for @params."""
    if params:
        return lines.index('%s/%s' % (scenario, params)) + 1
    sec = next(i for i, ln in enumerate(lines) if ln == scenario and
               set(lines[i + 1]) == {'='})
    return next(i for i in range(sec, len(lines))
                if lines[i].startswith('variant '))


def test_plotted_values_are_the_printed_ones(given):
    """What the plots were given reads, at the summary's precision, as
    the cycles column summary.txt prints for the same case."""
    import summary
    figs, _, _, text_ = given
    lines = text_.splitlines()
    for scenario, params in (('hot', 'tput'), ('hot', 'lat'),
                             ('null', ''), ('ret0', ''), ('cold', '')):
        rows = printed(lines, table_at(lines, scenario, params))
        got = {label: y for label, x, y in figs['bars'][scenario]
               if x == (params or scenario)}
        assert got and set(got) <= set(rows)
        for label, y in got.items():
            assert summary.num(y) == rows[label], (scenario, label)
    # the sites sweep: one column per N
    i = next(i for i, ln in enumerate(lines)
             if ln.startswith('sites/rr/packed: cycles per call by N'))
    head = lines[i + 1].split()
    checked = 0
    for ln in lines[i + 2:]:
        if not ln.strip():
            break
        cells = ln.split()
        for n, cell in zip(head[1:], cells[1:]):
            n = float(n.split('=')[1])
            y = next(y for label, x, y in
                     figs['sites']['order rr, spacing packed']
                     if label == cells[0] and x == n)
            assert summary.num(y) == cell.rstrip('!*'), (cells[0], n)
            checked += 1
    assert checked >= 15
