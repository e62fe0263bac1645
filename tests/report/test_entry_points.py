# SPDX-License-Identifier: GPL-2.0
"""The report's commands run however they are called: executable, and
with Debian's /usr/bin/python3 (scipy, matplotlib), even when another
python3 comes first on PATH (a pyenv or venv one)."""

import os
import subprocess

import pytest

from conftest import REPORT, TOP, fixture

PY = '/usr/bin/python3'
COMMANDS = ['report.py', 'summary.py', 'plots.py', 'merge', 'compare']
GB_COMPARE = '/usr/share/benchmark/compare.py'


def stub_path(tmp_path, kind):
    """A PATH whose first python3 exits 1, or lacks scipy."""
    d = tmp_path / ('stub-' + kind)
    d.mkdir()
    if kind == 'exits 1':
        body = '#!/bin/sh\necho "not this python3" >&2\nexit 1\n'
    else:
        fake = d / 'site' / 'scipy'
        fake.mkdir(parents=True)
        (fake / '__init__.py').write_text(
            "raise ImportError('No module named scipy (the stub)')\n")
        body = '#!/bin/sh\nPYTHONPATH=%s exec %s "$@"\n' % (d / 'site', PY)
    (d / 'python3').write_text(body)
    (d / 'python3').chmod(0o755)
    return '%s:/usr/bin:/bin' % d


@pytest.mark.parametrize('name', COMMANDS)
def test_executable_with_debians_python(name):
    path = os.path.join(REPORT, name)
    assert os.access(path, os.X_OK), '%s is not executable' % path
    with open(path) as f:
        assert f.readline().rstrip('\n') == '#!' + PY, path


def test_executable_in_git():
    """The mode git records, for checkouts and git archive copies."""
    p = subprocess.run(['git', 'ls-files', '-s', '--'] +
                       ['report/' + n for n in COMMANDS], cwd=TOP,
                       capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout.strip():
        pytest.skip('not a git checkout')
    modes = {ln.split('\t')[1]: ln.split()[0]
             for ln in p.stdout.splitlines()}
    assert modes == {'report/' + n: '100755' for n in COMMANDS}


@pytest.mark.parametrize('kind', ['exits 1', 'lacks scipy'])
@pytest.mark.parametrize('name,args,want', [
    ('report.py', ['-q', '-o', '{tmp}/r', '{run}'], 'report: '),
    ('summary.py', ['{run}'], 'trampbench results: '),
    ('plots.py', ['{tmp}/p', '{run}'], 'wrote '),
    ('merge', ['--no-plots', '-o', '{tmp}/m', '{run}'], 'trampbench: '),
    ('compare', ['{run}', '{run}'], 'compare.py compares'),
])
def test_runs_whatever_python3_comes_first(tmp_path, kind, name, args,
                                           want):
    if name == 'compare' and not os.path.isfile(GB_COMPARE):
        pytest.skip('%s is missing (libbenchmark-tools)' % GB_COMPARE)
    env = dict(os.environ, PATH=stub_path(tmp_path, kind))
    env.pop('PYTHONPATH', None)
    argv = [os.path.join(REPORT, name)] + [
        a.format(tmp=tmp_path, run=fixture('native-one-rep.json'))
        for a in args]
    p = subprocess.run(argv, env=env, cwd=str(tmp_path),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert 'Traceback' not in p.stderr and 'not this python3' not in p.stderr
    assert want in p.stdout
