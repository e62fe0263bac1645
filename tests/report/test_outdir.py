# SPDX-License-Identifier: GPL-2.0
"""Nothing outside a report's own output is ever removed or replaced.

report.py, merge and plots.py write a new folder, or replace one that
holds a report of ours (its marker file) whole; any other existing path
is refused in one line, with nothing touched (hashed before and after).
The tests that could touch the tree run a copy of report/ in a
temporary folder, so a broken build of them cannot harm the checkout.
"""

import hashlib
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess

import pytest

from conftest import PY, REPORT, fixture, run

MARKER = '.trampbench-report'


def snapshot(path):
    """{relative path: what it is} of everything under @path (or the
    file itself): file contents hashed, links read, folders listed."""
    out = {}

    def one(p, rel):
        if os.path.islink(p):
            out[rel] = 'link ' + os.readlink(p)
        elif os.path.isfile(p):
            with open(p, 'rb') as f:
                out[rel] = hashlib.sha256(f.read()).hexdigest()
        elif os.path.isdir(p):
            out[rel] = 'folder'
    one(path, '.')
    if os.path.isdir(path) and not os.path.islink(path):
        for top, dirs, files in os.walk(path):
            for n in dirs + files:
                p = os.path.join(top, n)
                one(p, os.path.relpath(p, path))
    return out


def code_copy(tmp_path):
    """report/'s code (not its reports) in @tmp_path/tree/report: a
    default folder there is @tmp_path/tree/report/<name>."""
    dst = tmp_path / 'tree' / 'report'
    dst.mkdir(parents=True)
    for n in os.listdir(REPORT):
        src = os.path.join(REPORT, n)
        if n.endswith('.py') or n in ('merge', 'compare'):
            shutil.copy2(src, dst / n)
    shutil.copytree(os.path.join(REPORT, 'gnuplot'), dst / 'gnuplot')
    return dst


def one_line(stderr, *words):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert 'Traceback' not in stderr
    return lines[0]


def refused(cmd, cwd, watched, *words):
    """Run @cmd; it must fail with one line holding @words and leave
    every path of @watched as it was."""
    before = {str(w): snapshot(str(w)) for w in watched}
    rc, stdout, stderr = run([str(c) for c in cmd], cwd=str(cwd))
    assert rc != 0
    line = one_line(stderr, *words)
    for w in watched:
        assert snapshot(str(w)) == before[str(w)], w
    assert not any(n.startswith(('.tmp-', '.old-'))
                   for w in watched if os.path.isdir(str(w))
                   for n in os.listdir(str(w)))
    return line


@pytest.fixture
def work(tmp_path):
    """A folder as a user's: results/ with two saved runs in it."""
    res = tmp_path / 'results'
    res.mkdir()
    shutil.copy(fixture('native-quick.json'), res / 'a.json')
    shutil.copy(fixture('native-one-rep.json'), res / 'b.json')
    (tmp_path / 'notes.txt').write_text('mine\n')
    return tmp_path


DRIVER = os.path.join(REPORT, 'report.py')
MERGE = os.path.join(REPORT, 'merge')
PLOTS = os.path.join(REPORT, 'plots.py')
TOOLS = {'report': [PY, DRIVER, '-q'], 'merge': [PY, MERGE, '--no-plots'],
         'plots': [PY, PLOTS]}


def tool(name, out, *files):
    if name == 'plots':
        return TOOLS[name] + [out] + list(files)
    return TOOLS[name] + ['-o', out] + list(files)


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_results_folder_refused(work, name):
    line = refused(tool(name, 'results', 'results/a.json'), work,
                   [work], 'results', 'holds no report of ours',
                   'choose a new -o folder')
    assert line.startswith(name + ': ')


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_current_folder_refused(work, name):
    refused(tool(name, '.', 'results/a.json'), work, [work],
            'holds no report of ours', 'choose a new -o folder')


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_a_file_refused(work, name):
    refused(tool(name, 'notes.txt', 'results/a.json'), work, [work],
            'notes.txt is a file', 'choose a new -o folder')


@pytest.mark.parametrize('link', ['link', 'link/'])
@pytest.mark.parametrize('name', sorted(TOOLS))
def test_a_link_to_a_report_refused(work, name, link):
    assert run(tool('report', str(work / 'r'), 'results/a.json'),
               cwd=str(work))[0] == 0
    os.symlink('r', str(work / 'link'))
    refused(tool(name, link, 'results/b.json'), work, [work],
            '%s is a symbolic link' % link, 'choose a new -o folder')


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_a_report_holding_an_input_refused(work, name):
    assert run(tool('report', str(work / 'r'), 'results/a.json'),
               cwd=str(work))[0] == 0
    shutil.copy(str(work / 'results' / 'b.json'), str(work / 'r' / 'b.json'))
    refused(tool(name, 'r', 'r/b.json'), work, [work],
            'r holds r/b.json', 'choose another -o folder')


def test_a_report_holding_a_refused_input_refused(work):
    """A file report.py leaves out (another machine's) is an input all
    the same: the folder holding it is not replaced."""
    assert run(tool('report', str(work / 'r'), 'results/a.json'),
               cwd=str(work))[0] == 0
    shutil.copy(fixture('emulated-quick.json'), str(work / 'r' / 'emu.json'))
    before = snapshot(str(work))
    rc, _, stderr = run(tool('report', 'r', 'results/b.json', 'r/emu.json'),
                        cwd=str(work))
    assert rc == 1
    assert 'r holds r/emu.json, an input' in stderr.splitlines()[-1]
    assert snapshot(str(work)) == before


@pytest.mark.parametrize('name', sorted(TOOLS))
def test_every_output_is_marked_and_replaced_whole(work, name):
    out = work / 'out'
    assert run(tool(name, 'out', 'results/a.json'), cwd=str(work))[0] == 0
    marker = (out / MARKER).read_text()
    assert marker.count('\n') == 1 and 'written by report/' in marker
    (out / 'stale.png').write_text('of an earlier report')
    rc, _, stderr = run(tool(name, 'out', 'results/b.json'), cwd=str(work))
    assert rc == 0, stderr
    assert not (out / 'stale.png').exists() and (out / MARKER).exists()
    assert not [n for n in os.listdir(str(work)) if n.startswith('.')]


@pytest.mark.parametrize('stem,what', [('gnuplot', 'folder'),
                                       ('merge', 'file'),
                                       ('results.py', 'file'),
                                       ('__pycache__', 'folder')])
def test_a_results_name_never_lands_on_the_tree(tmp_path, stem, what):
    """gnuplot.json's default report is report/gnuplot, merge.json's
    report/merge: the tree's own, so refused, and left as they were."""
    code = code_copy(tmp_path)
    (code / '__pycache__').mkdir(exist_ok=True)
    (code / '__pycache__' / 'x.pyc').write_text('')
    target = code / stem
    assert target.exists() and (target.is_dir() == (what == 'folder'))
    src = tmp_path / (stem + '.json')
    shutil.copy(fixture('native-one-rep.json'), src)
    words = ['is a file'] if what == 'file' else ['holds no report of ours']
    refused([PY, code / 'report.py', '-q', src], tmp_path, [code],
            'the default folder for %s.json' % stem, *words,
            'choose a new -o folder')


def test_a_new_default_folder_is_made(tmp_path):
    """results.json: report/results is no path of the tree, so made."""
    code = code_copy(tmp_path)
    src = tmp_path / 'results.json'
    shutil.copy(fixture('native-one-rep.json'), src)
    rc, _, stderr = run([PY, code / 'report.py', '-q', src], cwd=tmp_path)
    assert rc == 0, stderr
    assert (code / 'results' / MARKER).exists()
    assert (code / 'results.py').is_file()


def test_merge_twice_a_day_replaces_it_whole(tmp_path):
    code = code_copy(tmp_path)
    a, b = fixture('native-quick.json'), fixture('native-one-rep.json')
    rc, _, stderr = run([PY, code / 'merge', a, b], cwd=str(tmp_path))
    assert rc == 0, stderr
    (out,) = [p for p in code.iterdir() if p.name.startswith('merge-')]
    plots = sorted(p.name for p in out.glob('merge-*.png'))
    assert plots and (out / MARKER).exists()
    rc, _, stderr = run([PY, code / 'merge', '--no-plots', b],
                        cwd=str(tmp_path))
    assert rc == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        MARKER, 'merge.json', 'merge.txt']
    assert '[1]' not in (out / 'merge.txt').read_text()
    assert not [n for n in os.listdir(str(code)) if n.startswith('.')]


# ------------------------------------------------------ failing plots

def fake_gnuplot(tmp_path, fail_when):
    """A gnuplot first on PATH that fails (one line on stderr, exit 1)
    when its arguments are @fail_when ('args': the plots' own runs,
    'stdin': the summary's dumb terminal), else runs the real one."""
    real = shutil.which('gnuplot')
    if real is None:
        pytest.skip('no gnuplot')
    d = tmp_path / 'bin'
    d.mkdir()
    test = '[ $# -gt 0 ]' if fail_when == 'args' else '[ $# -eq 0 ]'
    (d / 'gnuplot').write_text(
        '#!/bin/sh\nif %s; then echo "x range is invalid" >&2; exit 1; fi\n'
        'exec %s "$@"\n' % (test, real))
    (d / 'gnuplot').chmod(0o755)
    env = dict(os.environ, PATH='%s:%s' % (d, os.environ['PATH']))
    return env


def run_env(cmd, env, cwd):
    p = subprocess.run([str(c) for c in cmd], cwd=str(cwd), env=env,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.parametrize('where,words', [
    ('args', ['plot sites (gnuplot, png): x range is invalid']),
    ('stdin', ['in summary.txt', 'x range is invalid'])])
def test_a_failing_gnuplot_fails_the_report(work, tmp_path_factory, where,
                                             words):
    out = work / 'r'
    assert run(tool('report', str(out), 'results/a.json'),
               cwd=str(work))[0] == 0
    before = snapshot(str(work))
    env = fake_gnuplot(tmp_path_factory.mktemp('fake'), where)
    rc, stdout, stderr = run_env(tool('report', 'r', 'results/b.json'), env,
                                 work)
    assert rc == 1 and not stdout
    one_line(stderr, *words, 'r/ left as it was')
    assert snapshot(str(work)) == before


def test_a_failing_gnuplot_fails_plots_py(work, tmp_path_factory):
    env = fake_gnuplot(tmp_path_factory.mktemp('fake'), 'args')
    rc, _, stderr = run_env(tool('plots', 'p', 'results/a.json'), env, work)
    assert rc == 1
    one_line(stderr, 'plot sites (gnuplot', 'no plots written')
    assert not (work / 'p').exists()


def load_script(path, name):
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def broken(*args, **kw):
    raise ValueError('Image size of 99999x3 pixels is too large')


def test_a_failing_matplotlib_fails_the_report(work, monkeypatch, capsys):
    import plots
    import report as driver
    out = str(work / 'r')
    assert driver.main(['-q', '-o', out, str(work / 'results' / 'a.json')]) \
        == 0
    before = snapshot(str(work))
    monkeypatch.setattr(plots, 'plot_bars', broken)
    capsys.readouterr()
    rc = driver.main(['-q', '-o', out, str(work / 'results' / 'b.json')])
    assert rc == 1
    one_line(capsys.readouterr().err, 'plot bars (matplotlib): ValueError: '
             'Image size', 'left as it was')
    assert snapshot(str(work)) == before


def test_a_failing_merge_plot_fails_the_merge(work, monkeypatch, capsys):
    import plots
    merge = load_script(MERGE, 'tb_merge')
    out = str(work / 'm')
    files = [str(work / 'results' / n) for n in ('a.json', 'b.json')]
    assert merge.main(['-o', out] + files) == 0
    before = snapshot(str(work))
    monkeypatch.setattr(plots, 'merge_plot', broken)
    capsys.readouterr()
    assert merge.main(['-o', out] + files) == 1
    one_line(capsys.readouterr().err, 'plot hot', '(matplotlib)',
             'left as it was')
    assert snapshot(str(work)) == before


def test_a_nan_row_keeps_the_earlier_report(work):
    out = work / 'r'
    assert run(tool('report', str(out), 'results/a.json'),
               cwd=str(work))[0] == 0
    text = (work / 'results' / 'a.json').read_text()
    i = text.index('"cycles": ') + len('"cycles": ')
    j = text.index(',', i)
    (work / 'nan.json').write_text(text[:i] + 'NaN' + text[j:])
    line = refused(tool('report', 'r', 'nan.json'), work, [work],
                   'nan.json: benchmark ', 'cycles is NaN')
    assert line.startswith('report: ')
