# SPDX-License-Identifier: GPL-2.0
"""report/report.py, the driver behind make report: one machine's
summary and plots in one folder, replaced only when complete."""

import glob
import json
import os
import shutil
import subprocess

import pytest

from conftest import PY, REPORT, TOP, fixture, run

DRIVER = os.path.join(REPORT, 'report.py')


def report(*args):
    return run([PY, DRIVER] + [str(a) for a in args])


def test_writes_summary_and_plots(tmp_path, native):
    out = tmp_path / 'r'
    rc, stdout, stderr = report('-o', out, native)
    assert rc == 0, stderr
    summary = (out / 'summary.txt').read_text()
    assert summary in stdout
    assert 'Which variant wins where' in summary
    for f in ('sites.png', 'sites.svg', 'bars.png', 'updates.png',
              'gnuplot/sites.dat'):
        assert (out / f).stat().st_size > 0, f
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)
    assert not [p for p in os.listdir(tmp_path) if p.startswith('.tmp-')]


def test_replaces_an_earlier_report_whole(tmp_path, native, one_rep):
    out = tmp_path / 'r'
    assert report('-q', '-o', out, native)[0] == 0
    (out / 'stale.txt').write_text('from before')
    assert report('-q', '-o', out, one_rep)[0] == 0
    assert not (out / 'stale.txt').exists()
    assert not (out / 'updates.png').exists()   # one_rep has no updates
    assert 'hot' in (out / 'summary.txt').read_text()


def test_bad_input_keeps_the_earlier_report(tmp_path, native):
    out = tmp_path / 'r'
    assert report('-q', '-o', out, native)[0] == 0
    before = (out / 'summary.txt').read_text()
    rc, _, stderr = report('-q', '-o', out, tmp_path / 'missing.json')
    assert rc == 1 and 'Traceback' not in stderr
    assert stderr.strip() == 'report: %s: no such file' % (
        tmp_path / 'missing.json')
    assert (out / 'summary.txt').read_text() == before


def test_another_machine_refused_the_rest_reported(tmp_path, native,
                                                   emulated):
    out = tmp_path / 'r'
    rc, stdout, stderr = report('-q', '-o', out, native, emulated)
    assert rc == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        'report: %s: another machine' % emulated)
    assert 'AMD Zen 5' in (out / 'summary.txt').read_text()
    assert 'EMULATED' not in (out / 'summary.txt').read_text()


def test_default_folder_is_named_after_the_run():
    import report as driver
    import results
    run_ = results.load(fixture('native-one-rep.json'))
    assert driver.default_dir(run_) == os.path.join(REPORT,
                                                    'native-one-rep')


def rerun_lines(folder):
    """{.dat path: the command of its '# rerun (in this folder):' line}."""
    out = {}
    gdir = os.path.join(folder, 'gnuplot')
    for n in sorted(os.listdir(gdir)):
        if n.endswith('.dat'):
            with open(os.path.join(gdir, n)) as f:
                lines = [ln for ln in f if ln.startswith('# rerun')]
            assert len(lines) == 1, n
            head, _, cmd = lines[0].partition(': ')
            assert head == '# rerun (in this folder)', lines[0]
            out[os.path.join(gdir, n)] = cmd.strip()
    assert len(out) == 3
    return out


def rerun_works(folder):
    """Each .dat's rerun line, run in its folder as written, draws its
    plot again; none names the folder the report was built in."""
    if shutil.which('gnuplot') is None:
        pytest.skip('no gnuplot')
    for dat, cmd in rerun_lines(folder).items():
        assert '.tmp-' not in cmd, cmd
        png = dat[:-len('.dat')] + '.png'
        if os.path.exists(png):
            os.remove(png)
        p = subprocess.run(cmd, shell=True, cwd=os.path.dirname(dat),
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, (cmd, p.stderr)
        with open(png, 'rb') as f:
            assert f.read(8) == b'\x89PNG\r\n\x1a\n', png


def test_rerun_lines_work_from_the_final_folder(tmp_path, native):
    out = tmp_path / 'r'
    assert report('-q', '-o', out, native)[0] == 0
    rerun_works(str(out))


def test_rerun_lines_of_a_report_in_the_tree(tmp_path, native):
    """In the tree the script is named relative to the .dat: it holds
    when the checkout moves, and the committed sample's lines too."""
    from test_outdir import code_copy
    code = code_copy(tmp_path)
    src = tmp_path / 'run.json'
    shutil.copy(native, src)
    rc, _, stderr = run([PY, str(code / 'report.py'), '-q', str(src)])
    assert rc == 0, stderr
    for cmd in rerun_lines(str(code / 'run')).values():
        assert ' ../../gnuplot/' in cmd, cmd
    moved = tmp_path / 'moved'
    shutil.move(str(tmp_path / 'tree'), str(moved))
    rerun_works(str(moved / 'report' / 'run'))
    sample = [n for n in os.listdir(REPORT)
              if os.path.isfile(os.path.join(REPORT, n, 'summary.txt'))]
    assert sample
    for n in sample:
        shutil.copytree(os.path.join(REPORT, n), str(moved / 'report' / n))
        rerun_works(str(moved / 'report' / n))


def make_tree(tmp_path):
    """A tree to run make report in: the Makefile, scripts/report.sh and
    report/'s code, with results/ holding 'a b.json', x.json and y.json
    (one machine's runs)."""
    from test_outdir import code_copy
    code_copy(tmp_path)
    tree = tmp_path / 'tree'
    (tree / 'scripts').mkdir()
    shutil.copy2(os.path.join(TOP, 'Makefile'), str(tree / 'Makefile'))
    shutil.copy2(os.path.join(TOP, 'scripts', 'report.sh'),
                 str(tree / 'scripts' / 'report.sh'))
    res = tree / 'results'
    res.mkdir()
    shutil.copy(fixture('native-one-rep.json'), str(res / 'a b.json'))
    shutil.copy(fixture('native-quick.json'), str(res / 'x.json'))
    shutil.copy(fixture('native-quick-b.json'), str(res / 'y.json'))
    return tree


def reports_of(tree):
    """{report folder: the files: lines of its summary}."""
    out = {}
    for d in sorted((tree / 'report').iterdir()):
        if (d / 'summary.txt').exists():
            text = (d / 'summary.txt').read_text()
            out[d.name] = [w for ln in text.splitlines()
                           if ln.startswith(('files:', ' ' * 10 + 'results/'))
                           for w in [ln[10:]]]
    return out


@pytest.mark.parametrize('results,want', [
    ('results/a b.json', {'a b': ['results/a b.json']}),
    ('results/x.json results/y.json',
     {'x': ['results/x.json', 'results/y.json']}),
    (' results/x.json  results/a b.json ',
     {'x': ['results/x.json', 'results/a b.json']}),
    ('results/a b.json\nresults/y.json',
     {'a b': ['results/a b.json', 'results/y.json']}),
    ('results/*.json',
     {'a b': ['results/a b.json', 'results/x.json', 'results/y.json']}),
])
def test_report_sh_results_list(tmp_path, results, want):
    """RESULTS: one file a line, or several separated by spaces that are
    not part of an existing file's name; a name with * is a pattern."""
    tree = make_tree(tmp_path)
    p = subprocess.run([str(tree / 'scripts' / 'report.sh')],
                       env=dict(os.environ, RESULTS=results),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert reports_of(tree) == want


def test_make_report_a_name_with_a_space(tmp_path):
    tree = make_tree(tmp_path)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('MAKE') and k not in ('MFLAGS', 'O')}
    p = subprocess.run(['make', '-s', '-C', str(tree), 'report',
                        'RESULTS=results/a b.json'], env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert 'report: report/a b/summary.txt' in p.stdout
    assert reports_of(tree) == {'a b': ['results/a b.json']}


def test_a_missing_name_is_split_and_named(tmp_path):
    tree = make_tree(tmp_path)
    p = subprocess.run([str(tree / 'scripts' / 'report.sh')],
                       env=dict(os.environ, RESULTS='results/no such.json'),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1
    assert p.stderr.splitlines() == ['report: results/no: no such file',
                                     'report: such.json: no such file']


# ------------------------------------------ make report: a group of runs

FAKE_TB = r'''#!/usr/bin/python3
# A stand-in for build/<arch>/trampbench: it logs its arguments and
# writes the recorded run of its run_index (as trampbench names and
# labels files), so report.sh runs without measuring anything.
import json, os, sys
args = sys.argv[1:]
with open(os.environ['TB_FAKE_LOG'], 'a') as f:
    f.write(' '.join(args) + '\n')
out, ctx = None, {}
for i, a in enumerate(args):
    if a == '--out':
        out = args[i + 1]
    elif a.startswith('--benchmark_context='):
        ctx = dict(kv.split('=', 1) for kv in a.split('=', 1)[1].split(','))
runs = os.environ['TB_FAKE_RUNS'].split(':')
with open(runs[(int(ctx.get('run_index', 1)) - 1) % len(runs)]) as f:
    data = json.load(f)
for k in ('run_group', 'run_index', 'run_count'):
    data['context'].pop(k, None)
data['context'].update(ctx)
if out is None:
    k, out = 1, 'results/vm-amd-zen-4-20261204.json'
    while os.path.exists(out):
        k += 1
        out = 'results/vm-amd-zen-4-20261204-%d.json' % k
if os.path.exists(out):
    sys.exit('fake trampbench: %s exists' % out)
with open(out, 'w') as f:
    json.dump(data, f)
'''


def measuring_tree(tmp_path):
    """make_tree() with what report.sh measures through: a set-up that
    has nothing to do, a make that builds nothing and the stand-in
    trampbench; {PATH, TB_FAKE_*} to run it with."""
    tree = make_tree(tmp_path)
    shutil.copy2(os.path.join(TOP, 'scripts', 'hostarch.sh'),
                 str(tree / 'scripts' / 'hostarch.sh'))
    setup = tree / 'scripts' / 'setup.sh'
    setup.write_text('#!/bin/sh\nexit 0\n')
    setup.chmod(0o755)
    bin_ = tmp_path / 'bin'
    bin_.mkdir()
    (bin_ / 'make').write_text('#!/bin/sh\nexit 0\n')
    (bin_ / 'make').chmod(0o755)
    arch = 'x86' if os.uname().machine == 'x86_64' else 'arm64'
    tb = tree / 'build' / arch / 'trampbench'
    tb.parent.mkdir(parents=True)
    tb.write_text(FAKE_TB)
    tb.chmod(0o755)
    for name in os.listdir(str(tree / 'results')):
        os.remove(str(tree / 'results' / name))
    log = tmp_path / 'tb.log'
    env = dict(os.environ, PATH='%s:%s' % (bin_, os.environ['PATH']),
               TB_FAKE_LOG=str(log), TB_FAKE_RUNS=':'.join(sorted(
                   glob.glob(fixture('group-quick/run*.json')))))
    for k in ('RESULTS', 'ARGS', 'RUNS', 'OTHER'):
        env.pop(k, None)
    return tree, env, log


def report_sh(tree, env, **more):
    return subprocess.run([str(tree / 'scripts' / 'report.sh')],
                          env=dict(env, **more), capture_output=True,
                          text=True, timeout=600)


def test_make_report_measures_a_group_of_runs(tmp_path):
    tree, env, log = measuring_tree(tmp_path)
    p = report_sh(tree, env, RUNS='3')
    assert p.returncode == 0, p.stderr
    folder = tree / 'results' / 'vm-amd-zen-4-20261204'
    assert sorted(os.listdir(str(folder))) == ['run1.json', 'run2.json',
                                               'run3.json']
    assert sorted(os.listdir(str(tree / 'results'))) == [folder.name]
    calls = log.read_text().splitlines()
    assert len(calls) == 3
    groups = set()
    for i, call in enumerate(calls, 1):
        words = call.split()
        assert words[:4] == ['--repetitions', '4', '--batches', '400']
        ctx = [w for w in words if w.startswith('--benchmark_context=')]
        assert len(ctx) == 1
        kv = dict(x.split('=') for x in ctx[0].split('=', 1)[1].split(','))
        assert (kv['run_index'], kv['run_count']) == (str(i), '3')
        groups.add(kv['run_group'])
        # the first is named by trampbench, the others in its folder
        assert ('--out' in words) == (i > 1)
    assert len(groups) == 1
    group = groups.pop()
    for i in (1, 2, 3):
        with open(str(folder / ('run%d.json' % i))) as f:
            ctx = json.load(f)['context']
        assert (ctx['run_group'], ctx['run_index']) == (group, str(i))
    rep = tree / 'report' / folder.name
    text = (rep / 'summary.txt').read_text()
    assert '3 runs (group ' in ' '.join(text.split())
    assert 'verdict' in text and (rep / 'sites.png').stat().st_size > 0
    # again: a new folder beside it, never into it
    p = report_sh(tree, env, RUNS='3')
    assert p.returncode == 0, p.stderr
    assert (tree / 'results' / (folder.name + '-2') / 'run3.json').exists()
    assert (tree / 'report' / (folder.name + '-2') / 'summary.txt').exists()
    assert sorted(os.listdir(str(folder))) == ['run1.json', 'run2.json',
                                               'run3.json']


def test_make_report_quick_keeps_its_own_size(tmp_path):
    tree, env, log = measuring_tree(tmp_path)
    p = report_sh(tree, env, RUNS='3', ARGS='--quick')
    assert p.returncode == 0, p.stderr
    for call in log.read_text().splitlines():
        assert call.split()[0] == '--quick'
        assert '--repetitions' not in call and '--batches' not in call


def test_make_report_one_run_is_one_file(tmp_path):
    tree, env, log = measuring_tree(tmp_path)
    p = report_sh(tree, env, RUNS='1')
    assert p.returncode == 0, p.stderr
    assert os.listdir(str(tree / 'results')) == [
        'vm-amd-zen-4-20261204.json']
    assert 'benchmark_context' not in log.read_text()
    text = (tree / 'report' / 'vm-amd-zen-4-20261204' /
            'summary.txt').read_text()
    assert 'no verdict across runs is possible' in ' '.join(text.split())


@pytest.mark.parametrize('more,words', [
    ({'ARGS': '--quick --out x.json'}, ['ARGS has --out', 'drop it']),
    ({'ARGS': '--no-out'}, ['ARGS has --no-out']),
    ({'RUNS': 'three'}, ['RUNS=three is not a number']),
    ({'RUNS': '0'}, ['RUNS=0 is not a number']),
])
def test_make_report_bad_input_refused(tmp_path, more, words):
    from test_outdir import one_line, snapshot
    tree, env, log = measuring_tree(tmp_path)
    before = snapshot(str(tree))
    p = report_sh(tree, env, **more)
    assert p.returncode == 2
    one_line(p.stderr, *words)
    assert snapshot(str(tree)) == before
    assert not log.exists()


def test_make_report_results_of_a_group(tmp_path):
    """make report RESULTS= takes the K files of one group."""
    tree = make_tree(tmp_path)
    g = tree / 'results' / 'g'
    g.mkdir()
    for p in sorted(glob.glob(fixture('group-quick/run*.json'))):
        shutil.copy(p, str(g / os.path.basename(p)))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('MAKE') and k not in ('MFLAGS', 'O')}
    p = subprocess.run(['make', '-s', '-C', str(tree), 'report',
                        'RESULTS=results/g/run*.json'], env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert reports_of(tree) == {'g': ['results/g/run1.json',
                                      'results/g/run2.json',
                                      'results/g/run3.json']}
    text = (tree / 'report' / 'g' / 'summary.txt').read_text()
    assert 'runs: 3 runs (group fixture-quick: runs 1, 2, 3 of 3)' in \
        ' '.join(text.split())
