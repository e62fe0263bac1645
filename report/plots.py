#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Plots of trampbench results: matplotlib figures and gnuplot data.

    write_plots(runs, outdir)               one machine's run(s)
    write_merge_plots(columns, rows, outdir) the cross-machine report

For one machine's runs write_plots draws, for each case, the value the
summary gives (the median of the run medians, verdict.center()) with the
min..max of all its repetitions as error bars:

    sites     cycles/call (and mispredicts/call when counted) against the
              number of call sites N, log2 x, a line per variant, a panel
              per order/spacing
    bars      a panel per scenario (hot, null, ret0, far, cold, ...), a
              group per parameter set, a bar per variant
    updates   flip (cycles per call, one update per K calls, against K)
              and update (cycles per update), log y where values span
              decades

as outdir/<name>.png and .svg (matplotlib), and the same numbers as
outdir/gnuplot/<name>.dat, drawn by report/gnuplot/<name>.gp into
outdir/gnuplot/<name>.png and .svg.  Each .dat carries its title, labels
and colours in '# key: value' header lines, so a .gp reruns by hand:

    gnuplot -e "datafile='DIR/gnuplot/sites.dat'" report/gnuplot/sites.gp

(out='x.svg' picks the file and terminal; title='...' overrides), and
its '# rerun' line says how from its own folder.

Every plot names the machine and its counter mode.  An emulated run is
marked "EMULATED (qemu-user) - not a uarch result" across every panel;
a timer-mode run says its cycles come from a timer calibration.  Colours
are fixed per design (design_color()) in every plot.
"""

import math
import os
import shlex
import shutil
import subprocess
import sys

import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402
import stats  # noqa: E402
import verdict  # noqa: E402
from outdir import PlotFailed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
GNUPLOT_DIR = os.path.join(HERE, 'gnuplot')
GNUPLOT = 'gnuplot'         # the program; tests point it elsewhere

# One colour per design, the same in every plot (Okabe-Ito, colour-blind
# safe): the nth design of the generator (results.all_designs(), the
# baseline first) takes the nth; the first, vermillion, is the question.
DESIGNS = results.all_designs()
PALETTE = ('#D55E00', '#0072B2', '#009E73', '#CC79A7', '#404040',
           '#E69F00')
OTHER_COLORS = ('#56B4E9', '#F0E442', '#8C564B', '#17BECF')
# Markers too, so lines that lie on each other stay told apart.
MARKERS = ('o', 's', '^', 'D', 'v', 'P')
GP_POINTS = {'o': 7, 's': 5, '^': 9, 'D': 13, 'v': 11, 'P': 3}
# Further instances of one design: dashes (lines), hatches (bars).
DASHES = ((), (6, 3), (2, 2), (6, 2, 2, 2))
GP_DASHES = (1, 2, 3, 4)
HATCHES = ('', '//', '..', 'xx')

EMULATED_MARK = 'EMULATED (%s) \u2014 not a uarch result'
WATERMARK = 'EMULATED (%s) \u2014\nnot a uarch result'
MODE_SUBTITLE = {
    'pmu': 'pmu mode: hardware counters',
    'timer': 'timer mode: cycles from timer calibration',
}
# What the cycles counter of a scenario is per (cycles/call otherwise),
# and the scenarios with a plot of their own: how each is drawn, not
# which scenarios there are (results.scenario_order() says that).
UNITS = {  # facts: how drawn'update': 'cycles/update',
         'flip': 'cycles/call, 1 update per K calls'}
# Scenarios with a plot of their own; the others are bars.
OWN_PLOT = ('sites', 'flip', 'update', 'calibration')  # facts: how drawn

RC = {
    'font.size': 11, 'axes.titlesize': 12, 'axes.labelsize': 11,
    'legend.fontsize': 10, 'figure.titlesize': 13,
    'svg.fonttype': 'none',         # text stays text: searchable SVG
    'svg.hashsalt': 'trampbench',   # stable ids: same input, same SVG
    'axes.grid': True, 'grid.alpha': 0.3,
}


# ---------------------------------------------------------------- common

def design_rank(name):
    d = results.design_of(name)
    return (DESIGNS.index(d) if d in DESIGNS else len(DESIGNS), d, name)


def design_color(name):
    d = results.design_of(name)
    i = DESIGNS.index(d) if d in DESIGNS else len(PALETTE)
    if i < len(PALETTE):
        return PALETTE[i]
    return OTHER_COLORS[sum(map(ord, d)) % len(OTHER_COLORS)]


class Styles:
    """Label, colour, dash and hatch of every variant of a plot set, so
    one variant looks the same in all of them.  @labels: {name: the
    program's short name (Case.short)}; without, a name is its label."""

    def __init__(self, names, labels=None):
        names = sorted(set(names), key=design_rank)
        self.order = names
        self.label = {n: (labels or {}).get(n, n) for n in names}
        nth, self.nth = {}, {}
        for n in names:
            d = results.design_of(n)
            self.nth[n] = nth.get(d, 0) % len(DASHES)
            nth[d] = nth.get(d, 0) + 1

    def color(self, n):
        return design_color(n)

    def dashes(self, n):
        return DASHES[self.nth[n]]

    def hatch(self, n):
        return HATCHES[self.nth[n]]

    def marker(self, n):
        d = results.design_of(n)
        i = DESIGNS.index(d) if d in DESIGNS else len(MARKERS)
        return MARKERS[i] if i < len(MARKERS) else 'o'


def summary(case, counter='cycles'):
    """(value, low, high) of @case's @counter: the value the summary
    gives (verdict.center(): the median of the run medians) and the
    extremes of every repetition; None when nothing was measured."""
    values = case.values(counter)
    if not values:
        return None
    m = verdict.center(case, counter)
    sp = stats.spread(values)
    return (m, min(sp[0], m), max(sp[1], m)) if sp else (m, m, m)


def title_lines(machine):
    if machine.emulated:
        sub = EMULATED_MARK % machine.emulator
        if machine.icount:
            sub += '; cycles count instructions'
    else:
        sub = MODE_SUBTITLE.get(machine.mode, '%s mode' % machine.mode)
    if machine.not_core_cycles:
        sub += '\nNOT CORE CYCLES: %s' % machine.not_core_cycles
    return machine.title(), sub


def param_words(params, drop=()):
    """"order:rr/spacing:packed" -> "order rr, spacing packed"."""
    words = []
    for p in filter(None, params.split('/')):
        k, _, v = p.partition(':')
        if k not in drop:
            words.append('%s %s' % (k, v) if v else k)
    return ', '.join(words)


def without(params, key):
    return '/'.join(p for p in params.split('/')
                    if p and p.partition(':')[0] != key)


def number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def spans_decades(values, factor=20.0):
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return bool(vals) and min(vals) > 0 and max(vals) / min(vals) >= factor


# ------------------------------------------------------- what is drawn

def sites_data(cases, mis_key):
    """{panel params: {spec: [(N, cyc, mis)]}} with cyc/mis summaries."""
    panels = {}
    for c in cases:
        if c.scenario != 'sites' or c.skipped:
            continue
        cyc = summary(c)
        if cyc is None:
            continue
        mis = summary(c, mis_key) if mis_key else None
        n = number(c.param('n'))
        panels.setdefault(without(c.params, 'n'), {}).setdefault(
            c.spec, []).append((n, cyc, mis))
    for lines in panels.values():
        for pts in lines.values():
            pts.sort(key=lambda p: p[0])
    return panels


def keyed_data(cases, scenario, key):
    """flip: {spec: [(K, cyc)]} against the numeric parameter @key."""
    lines = {}
    for c in cases:
        if c.scenario != scenario or c.skipped:
            continue
        cyc = summary(c)
        if cyc is not None:
            lines.setdefault(c.spec, []).append((number(c.param(key)), cyc))
    for pts in lines.values():
        pts.sort(key=lambda p: p[0])
    return lines


def group_data(cases, scenario):
    """[(params, {spec: summary or skip reason})] in first-seen order."""
    groups = {}
    for c in cases:
        if c.scenario != scenario:
            continue
        g = groups.setdefault(c.params, {})
        s = summary(c)
        g[c.spec] = s if s is not None else (c.skipped or 'no data')
    return list(groups.items())


def bar_scenarios(cases, runs):
    """The scenarios of @cases drawn as bars, in @runs' program order."""
    return results.scenario_order(runs, {c.scenario for c in cases
                                         if c.scenario not in OWN_PLOT})


# ------------------------------------------------------------ matplotlib

def mark_emulated(ax, emulator):
    """The watermark across one panel of an emulated run."""
    ax.set_facecolor('#f3f3f3')
    ax.text(0.5, 0.5, WATERMARK % emulator, transform=ax.transAxes,
            ha='center', va='center', rotation=20, fontsize=13,
            color='#c00000', alpha=0.45, zorder=10, fontweight='bold',
            bbox=dict(boxstyle='round,pad=0.4', fc='none', ec='#c00000',
                      lw=2, alpha=0.45))


def new_figure(npanels, nrows, machine, what, width=5.6, height=3.9):
    ncols = math.ceil(npanels / nrows)
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(width * ncols + 1.8, height * nrows))
    title, sub = title_lines(machine)
    fig.suptitle('%s \u2014 %s\n%s' % (what, title, sub), fontsize=13,
                 color='#c00000' if machine.emulated else 'black')
    flat = [a for row in axes for a in row]
    for a in flat[npanels:]:
        a.set_visible(False)
    return fig, axes, flat[:npanels]


def finish(fig, outdir, name, handles, machine, axes):
    if machine.emulated:
        for a in axes:
            mark_emulated(a, machine.emulator)
    return save(fig, outdir, name, handles, 'variant')


def save(fig, outdir, name, handles, legend):
    """Legend on the right, then @name.png and .svg (no date in them,
    so a report made again differs only where its numbers do)."""
    if handles:
        fig.legend(handles=handles, loc='center left',
                   bbox_to_anchor=(1.0, 0.5), frameon=False, title=legend)
    fig.tight_layout()
    paths = []
    for ext in ('png', 'svg'):
        p = os.path.join(outdir, '%s.%s' % (name, ext))
        meta = {'Date': None} if ext == 'svg' else {'Software': None}
        fig.savefig(p, dpi=110, bbox_inches='tight', metadata=meta)
        paths.append(p)
    plt.close(fig)
    return paths


def line_handle(st, spec):
    return plt.Line2D([], [], color=st.color(spec), lw=2,
                      marker=st.marker(spec),
                      dashes=st.dashes(spec), label=st.label[spec])


def bar_handle(st, spec):
    return Patch(facecolor=st.color(spec), hatch=st.hatch(spec),
                 edgecolor='black', lw=0.5, label=st.label[spec])


def draw_lines(ax, st, lines, idx):
    """Lines of (x, ..., summary at @idx) points with min..max bars."""
    for spec in st.order:
        pts = [(p[0], p[idx]) for p in lines.get(spec, ())
               if p[idx] is not None and not math.isnan(p[0])]
        if not pts:
            continue
        xs = [p[0] for p in pts]
        med = [p[1][0] for p in pts]
        err = [[m - p[1][1] for m, p in zip(med, pts)],
               [p[1][2] - m for m, p in zip(med, pts)]]
        ax.errorbar(xs, med, yerr=err, color=st.color(spec), lw=2,
                    marker=st.marker(spec), ms=6, capsize=4,
                    dashes=st.dashes(spec), alpha=0.9,
                    label=st.label[spec])


def log2_axis(ax, xs):
    ax.set_xscale('log', base=2)
    xs = sorted({x for x in xs if x > 0})
    if xs:
        ax.set_xticks(xs)
        ax.set_xticklabels(['%g' % x for x in xs])
        ax.minorticks_off()


def plot_sites(outdir, machine, st, panels, counted):
    keys = list(panels)
    nrows = 2 if counted else 1
    fig, axes, _ = new_figure(len(keys) * nrows, nrows, machine,
                              'sites sweep')
    axes = [a for row in axes for a in row]
    used = []
    for i, key in enumerate(keys):
        lines = panels[key]
        xs = [p[0] for pts in lines.values() for p in pts]
        for row, (idx, ylabel) in enumerate(
                [(1, 'cycles/call')] +
                ([(2, 'mispredicts/call')] if counted else [])):
            ax = axes[row * len(keys) + i]
            used.append(ax)
            draw_lines(ax, st, lines, idx)
            log2_axis(ax, xs)
            ax.set_xlabel('N (call sites)')
            ax.set_ylabel(ylabel)
            ax.set_title(param_words(key) or 'sites')
            lo = [p[idx][1] for pts in lines.values() for p in pts
                  if p[idx] is not None]
            if lo and min(lo) >= 0:
                ax.set_ylim(bottom=0)
    present = {s for lines in panels.values() for s in lines}
    handles = [line_handle(st, s) for s in st.order if s in present]
    return finish(fig, outdir, 'sites', handles, machine, used)


def draw_bars(ax, st, groups, log=False, name=''):
    """Grouped bars: one group per parameter set (its tick @name when
    it has no parameters), a bar per variant."""
    specs = [s for s in st.order if any(s in g for _, g in groups)]
    width = 0.8 / max(len(specs), 1)
    ticks = []
    for gi, (params, g) in enumerate(groups):
        ticks.append(params or name)
        for si, spec in enumerate(specs):
            x = gi + (si - (len(specs) - 1) / 2) * width
            v = g.get(spec)
            if isinstance(v, tuple):
                ax.bar(x, v[0], width * 0.92, color=st.color(spec),
                       hatch=st.hatch(spec), edgecolor='black', lw=0.5,
                       yerr=[[v[0] - v[1]], [v[2] - v[0]]], capsize=3,
                       error_kw=dict(lw=1), label=st.label[spec])
            elif v is not None:
                # skipped here: say so where the bar would be
                ax.text(x, 0.02, 'n/a', rotation=90, ha='center',
                        va='bottom', fontsize=8, color='#606060',
                        transform=ax.get_xaxis_transform())
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(ticks)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.grid(False, axis='x')
    if log:
        ax.set_yscale('log')
    ax.axhline(0, color='black', lw=0.6)
    return specs


def plot_bars(outdir, machine, st, cases, scen):
    n = len(scen)
    nrows = math.ceil(n / 3)
    fig, _, axes = new_figure(n, nrows, machine, 'cycles per call',
                              width=4.2, height=3.6)
    present = set()
    for ax, s in zip(axes, scen):
        groups = group_data(cases, s)
        present.update(draw_bars(ax, st, groups, name=s))
        ax.set_title(s)
        ax.set_ylabel('cycles/call')
    handles = [bar_handle(st, s) for s in st.order if s in present]
    return finish(fig, outdir, 'bars', handles, machine, axes)


def plot_updates(outdir, machine, st, flip, update):
    panels = (['flip'] if flip else []) + (['update'] if update else [])
    fig, _, axes = new_figure(len(panels), 1, machine, 'updates',
                              height=4.6)
    present = set()
    for ax, what in zip(axes, panels):
        if what == 'flip':
            draw_lines(ax, st, flip, 1)
            log2_axis(ax, [p[0] for pts in flip.values() for p in pts])
            if spans_decades([p[1][0] for pts in flip.values()
                              for p in pts]):
                ax.set_yscale('log')
            ax.set_xlabel('K (calls per update)')
            ax.set_ylabel('cycles/call, 1 update per K calls')
            ax.set_title('flip')
            present.update(flip)
        else:
            vals = [v[0] for _, g in update for v in g.values()
                    if isinstance(v, tuple)]
            present.update(draw_bars(ax, st, update,
                                     log=spans_decades(vals), name='update'))
            ax.set_ylabel('cycles/update')
            ax.set_title('update')
    handles = [line_handle(st, s) for s in st.order if s in present]
    return finish(fig, outdir, 'updates', handles, machine, axes)


# --------------------------------------------------------------- gnuplot

def gp_quote(s):
    return str(s).replace('\n', ' ')


def gp_num(v):
    return 'NaN' if v is None or math.isnan(v) else '%.6g' % v


def gp_header(f, kind, machine, st, specs, runs, extra):
    title, sub = title_lines(machine)
    f.write('# trampbench %s, written by report/plots.py from %s\n' % (
        kind, ' '.join(os.path.basename(r.path) for r in runs)))
    f.write('# title: %s\n' % gp_quote(title))
    f.write('# subtitle: %s\n' % gp_quote(sub))
    f.write('# emulated: %d\n' % machine.emulated)
    f.write('# labels: %s\n' % ' '.join(st.label[s].replace(' ', '_')
                                        for s in specs))
    f.write('# colors: %s\n' % ' '.join(st.color(s) for s in specs))
    f.write('# dashes: %s\n' % ' '.join(str(GP_DASHES[st.nth[s]])
                                        for s in specs))
    f.write('# points: %s\n' % ' '.join(str(GP_POINTS[st.marker(s)])
                                        for s in specs))
    for i, line in enumerate(WATERMARK.split('\n')):
        f.write('# watermark%d: %s\n' % (i + 1, line))
    for k, v in extra:
        f.write('# %s: %s\n' % (k, v))


def rerun_line(gp, dat):
    """The command that draws @dat again, run in @dat's own folder: no
    path of the folder the report was built in (it is renamed into
    place), and the script @gp relative to it inside the tree (a report
    folder moves with the checkout), absolute outside."""
    here = os.path.dirname(os.path.abspath(dat))
    script = os.path.abspath(gp)
    if os.path.commonpath([here, TOP]) == TOP:
        script = os.path.relpath(script, here)
    return '# rerun (in this folder): gnuplot -e "datafile=\'%s\'" %s' % (
        os.path.basename(dat), shlex.quote(script))


def gp_sites(f, st, panels, counted):
    keys = list(panels)
    specs = [s for s in st.order if any(s in panels[k] for k in keys)]
    f.write('# columns: N cycles_median cycles_min cycles_max '
            'mispredicts_median mispredicts_min mispredicts_max\n')
    f.write('# blocks: one per panel and label, panel-major; a label '
            'without data in a panel is one NaN row\n')
    for k in keys:
        for s in specs:
            f.write('\n\n# %s %s\n' % (k or 'sites', st.label[s]))
            pts = panels[k].get(s) or [(math.nan, (math.nan,) * 3, None)]
            for n, cyc, mis in pts:
                mis = mis if counted and mis else (math.nan,) * 3
                f.write(' '.join(gp_num(v) for v in (n,) + cyc + mis) +
                        '\n')
    return specs


def gp_groups(f, specs, groups, name):
    for params, g in groups:
        row = ['"%s"' % (params or name)]
        for s in specs:
            v = g.get(s)
            row += [gp_num(x) for x in v] if isinstance(v, tuple) \
                else ['NaN'] * 3
        f.write(' '.join(row) + '\n')


def write_gnuplot(outdir, name, runs, machine, st, specs, extra, body):
    """outdir/gnuplot/<name>.dat, then report/gnuplot/<name>.gp run on it
    for .png and .svg.  Returns (paths, note or None): the note when
    there is no gnuplot; PlotFailed when it fails."""
    gdir = os.path.join(outdir, 'gnuplot')
    os.makedirs(gdir, exist_ok=True)
    gp = os.path.join(GNUPLOT_DIR, name + '.gp')
    dat = os.path.join(gdir, name + '.dat')
    with open(dat, 'w') as f:
        gp_header(f, name, machine, st, specs, runs, extra)
        f.write(rerun_line(gp, dat) + '\n')
        body(f)
    paths = [dat]
    exe = shutil.which(GNUPLOT)
    if exe is None:
        return paths, ('plots: %s not found: wrote the matplotlib figures '
                       'and gnuplot/*.dat only (install gnuplot-nox)' %
                       GNUPLOT)
    for ext in ('png', 'svg'):
        out = os.path.join(gdir, '%s.%s' % (name, ext))
        cmd = [exe, '-e', "datafile='%s'; out='%s'" % (dat, out), gp]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=120)
        except (OSError, subprocess.SubprocessError) as e:
            raise PlotFailed('plot %s (gnuplot, %s): %s' % (
                name, ext, one_line(e)))
        if r.returncode != 0 or not os.path.exists(out) or \
                os.path.getsize(out) == 0:
            why = (r.stderr.strip().splitlines() or
                   ['exit status %d, no %s written' % (r.returncode, ext)])
            raise PlotFailed('plot %s (gnuplot, %s): %s' % (
                name, ext, why[-1].strip()))
        paths.append(out)
    return paths, None


def one_line(e):
    """An exception as one line: its type and first line."""
    text = str(e).strip().splitlines()
    return '%s: %s' % (type(e).__name__, text[0]) if text else \
        type(e).__name__


def drawn(name, draw, *args):
    """draw(*args), a matplotlib figure: its paths; PlotFailed naming the
    plot if matplotlib fails."""
    try:
        return draw(*args)
    except PlotFailed:
        raise
    except Exception as e:
        plt.close('all')
        raise PlotFailed('plot %s (matplotlib): %s' % (name, one_line(e)))


# ---------------------------------------------------------------- driver

def write_plots(runs, outdir):
    """Plots of one machine's @runs into @outdir;
    returns the paths written; PlotFailed names a plot that could not be
    drawn.  Runs of another machine than the first are left out, with a
    line on stderr."""
    runs, others = results.one_machine(list(runs))
    for e in others:
        print('plots: %s' % e, file=sys.stderr)
    if not runs:
        return []
    levels = results.by_level(runs)
    if len(levels) > 1:
        # kernel runs are runs of their own: their plots in kernel/
        return (level_plots(levels['user'], outdir) +
                level_plots(levels['kernel'],
                            os.path.join(outdir, 'kernel')))
    return level_plots(runs, outdir)


def level_plots(runs, outdir):
    """write_plots() of @runs, one machine's of one level."""
    os.makedirs(outdir, exist_ok=True)
    machine = runs[0].machine
    cases = [c for c in results.pooled(runs).values()
             if c.scenario != 'calibration']
    mis_key = runs[0].counter('mispredicts')
    if mis_key and not all(r.counter('mispredicts') == mis_key
                           for r in runs):
        mis_key = None
    st = Styles([c.spec for c in cases], {c.spec: c.short for c in cases})
    paths, notes = [], []

    def gnuplot(name, specs, extra, body):
        p, note = write_gnuplot(outdir, name, runs, machine, st, specs,
                                extra, body)
        paths.extend(p)
        if note and note not in notes:
            notes.append(note)

    with plt.rc_context(RC):
        panels = sites_data(cases, mis_key)
        if panels:
            counted = bool(mis_key) and any(
                p[2] for lines in panels.values() for pts in lines.values()
                for p in pts)
            paths += drawn('sites', plot_sites, outdir, machine, st, panels,
                           counted)
            specs = [s for s in st.order
                     if any(s in panels[k] for k in panels)]
            gnuplot('sites', specs,
                    [('panels', ' '.join(k.replace(' ', '_') or 'sites'
                                         for k in panels)),
                     ('mispredicts', int(counted))],
                    lambda f: gp_sites(f, st, panels, counted))
        scen = bar_scenarios(cases, runs)
        if scen:
            paths += drawn('bars', plot_bars, outdir, machine, st, cases,
                           scen)
            specs = [s for s in st.order
                     if any(c.spec == s and c.scenario in scen
                            for c in cases)]

            def bars_body(f):
                f.write('# columns: group, then median min max per label\n')
                f.write('# blocks: one per panel (scenario)\n')
                for s in scen:
                    f.write('\n\n# %s\n' % s)
                    gp_groups(f, specs, group_data(cases, s), s)
            gnuplot('bars', specs, [('panels', ' '.join(scen))], bars_body)
        flip = keyed_data(cases, 'flip', 'k')
        update = group_data(cases, 'update')
        if flip or update:
            paths += drawn('updates', plot_updates, outdir, machine, st,
                           flip, update)
            specs = [s for s in st.order
                     if s in flip or any(s in g for _, g in update)]
            logflip = spans_decades([p[1][0] for pts in flip.values()
                                     for p in pts])
            logupd = spans_decades([v[0] for _, g in update
                                    for v in g.values()
                                    if isinstance(v, tuple)])

            def upd_body(f):
                f.write('# blocks: flip, one per label (K median min '
                        'max); then update, one (group, then median min '
                        'max per label)\n')
                if flip:
                    for s in specs:
                        f.write('\n\n# flip %s\n' % st.label[s])
                        for k, cyc in flip.get(s) or [
                                (math.nan, (math.nan,) * 3)]:
                            f.write(' '.join(gp_num(v) for v in (k,) + cyc)
                                    + '\n')
                if update:
                    f.write('\n\n# update\n')
                    gp_groups(f, specs, update, 'update')
            gnuplot('updates', specs,
                    [('flip', int(bool(flip))), ('update', int(bool(update))),
                     ('logflip', int(logflip)), ('logupdate', int(logupd))],
                    upd_body)
    for n in notes:
        print(n, file=sys.stderr)
    return paths


def write_merge_plots(columns, rows, outdir):
    """One plot per scenario/parameters of the cross-machine report: a
    bar group per column (core), a bar per design; emulated columns
    hatched, greyed and labelled.  Returns the paths written; PlotFailed
    names a plot that could not be drawn."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    with plt.rc_context(RC):
        for row in rows:
            values = row.get('values') or {}
            groups = []
            for i, col in enumerate(columns):
                idx = col.get('index', i)
                v = values.get(idx, values.get(str(idx)))
                groups.append((col, v or {}))
            names = {d for _, v in groups for d in v}
            if not names:
                continue
            what = ' '.join(filter(None, [row.get('scenario', '?'),
                                          param_words(row.get('params', ''))]))
            paths += drawn(what, merge_plot, outdir, row, groups, names)
    return paths


def merge_axes(ax, st, groups, emulated):
    """One panel of a merge plot: a group per column, its designs' bars
    side by side; log y where the values span decades."""
    vals = [x for _, v in groups for x in v.values()
            if isinstance(x, (int, float))]
    labels = []
    for gi, (col, v) in enumerate(groups):
        label = col.get('label') or col.get('core', '?')
        if emulated and 'EMULATED' not in label:
            label += ' [EMULATED]'
        labels.append(label.replace(' (', '\n(', 1))
        names = [n for n in st.order if isinstance(v.get(n), (int, float))]
        width = 0.8 / max(len(names), 1)
        for si, name in enumerate(names):
            pos = gi + (si - (len(names) - 1) / 2) * width
            ax.bar(pos, v[name], width * 0.92, color=st.color(name),
                   alpha=0.45 if emulated else 1.0,
                   hatch='xx' if emulated else st.hatch(name),
                   edgecolor='#707070' if emulated else 'black', lw=0.5)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(labels, fontsize=9,
                       color='#c00000' if emulated else 'black')
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.grid(False, axis='x')
    if spans_decades(vals):
        ax.set_yscale('log')
    ax.axhline(0, color='black', lw=0.6)
    if emulated:
        mark_emulated(ax, ' or '.join(sorted({c.get('emulator') or 'qemu'
                                              for c, _ in groups})))
        ax.set_title('EMULATED: own scale, not comparable', fontsize=10,
                     color='#c00000')
    elif any(c.get('mode') == 'timer' for c, _ in groups):
        ax.set_title('[timer]: cycles from timer calibration', fontsize=10)


def merge_plot(outdir, row, groups, names):
    """Silicon columns in one panel; emulated ones (qemu's numbers are no
    core's) in a greyed, watermarked panel of their own scale."""
    st = Styles(names)
    scenario, params = row.get('scenario', '?'), row.get('params', '')
    def emu(col):
        return col.get('emulated', col.get('mode') == 'emulated')

    silicon = [g for g in groups if not emu(g[0]) and g[1]]
    emulated = [g for g in groups if emu(g[0]) and g[1]]
    parts = [(g, e) for g, e in ((silicon, False), (emulated, True)) if g]
    widths = [max(len(g), 1) * max(2.0, 0.45 * len(st.order)) + 0.8
              for g, _ in parts]
    fig, axes = plt.subplots(1, len(parts), squeeze=False,
                             figsize=(sum(widths) + 2.2, 4.8),
                             gridspec_kw={'width_ratios': widths})
    for ax, (g, emu) in zip(axes[0], parts):
        merge_axes(ax, st, g, emu)
    unit = UNITS.get(scenario, 'cycles/call')
    axes[0][0].set_ylabel('median ' + unit)
    what = scenario + (' ' + param_words(params) if params else '')
    sub = 'median %s: a group per core, a bar per design' % unit
    if emulated:
        sub += '\nhatched grey: %s' % (EMULATED_MARK % ' or '.join(
            sorted({c.get('emulator') or 'qemu' for c, _ in emulated})))
    fig.suptitle('%s \u2014 %s' % (what, sub), fontsize=12)
    handles = [Patch(facecolor=st.color(n), hatch=st.hatch(n),
                     edgecolor='black', lw=0.5, label=st.label[n])
               for n in st.order]
    stem = 'merge-' + '-'.join(
        x for x in [scenario] + [p.replace(':', '') for p in
                                 params.split('/') if p] if x)
    return save(fig, outdir, stem, handles, 'design')


def main(argv):
    """report/plots.py OUTDIR results/A.json [B.json ...]: the plots
    alone, for a look, into OUTDIR: a new folder, or one that holds an
    earlier report (which they replace)."""
    import outdir
    if len(argv) < 3:
        print(main.__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    runs, errors = results.load_all(argv[2:])
    runs, again = results.once(runs)
    for e in again + errors:
        print('plots: %s' % e, file=sys.stderr)
    if not runs:
        return 1
    try:
        outdir.check(out, argv[2:])
        with outdir.Building(out, 'report/plots.py') as tmp:
            paths = [os.path.relpath(p, tmp) for p in write_plots(runs, tmp)]
    except outdir.Refused as e:
        print('plots: %s' % e, file=sys.stderr)
        return 1
    except PlotFailed as e:
        print('plots: %s: no plots written' % e, file=sys.stderr)
        return 1
    for p in paths:
        print('wrote %s' % os.path.join(out, p))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
