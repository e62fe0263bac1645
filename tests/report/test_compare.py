# SPDX-License-Identifier: GPL-2.0
"""report/compare: the fixture runs through Google Benchmark's compare.py.

    /usr/bin/python3 -m pytest -q tests/report/test_compare.py
"""

import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FIX = os.path.join(TOP, 'tests', 'fixtures', 'results')
COMPARE = os.path.join(TOP, 'report', 'compare')
GB_COMPARE = '/usr/share/benchmark/compare.py'

needs_compare_py = pytest.mark.skipif(
    not os.path.isfile(GB_COMPARE),
    reason='%s is missing (libbenchmark-tools)' % GB_COMPARE)


def fixture(name):
    return os.path.join(FIX, name)


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, COMPARE] + list(args),
                          capture_output=True, text=True, timeout=300,
                          env=e)


def load_module():
    """report/compare as a module (it has no .py suffix)."""
    loader = importlib.machinery.SourceFileLoader('tb_compare', COMPARE)
    spec = importlib.util.spec_from_loader('tb_compare', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def utest_lines(out, name_re):
    """compare.py's U test lines of benchmarks matching @name_re."""
    return [ln for ln in out.splitlines()
            if re.match(r'%s.*_pvalue ' % name_re, ln)]


@needs_compare_py
def test_two_runs():
    a, b = fixture('native-quick.json'), fixture('native-quick-b.json')
    p = run(a, b)
    assert p.returncode == 0, p.stderr
    assert 'Comparing %s to %s' % (a, b) in p.stdout
    lines = utest_lines(p.stdout, r"hot/cbz:pad=on,align=8,lit=rodata/tput/manual_time")
    assert len(lines) == 1
    assert re.search(r'_pvalue +\d\.\d{4} +\d\.\d{4} +U Test, '
                     r'Repetitions: 5 vs 5\.', lines[0])
    assert 'different machines' not in p.stdout
    # the skipped cases are named, not compared
    assert 'not compared, skipped in %s: far/inline' % a in p.stdout
    assert not re.search(r'^far/inline ', p.stdout, re.M)


@needs_compare_py
def test_runs_of_different_repetition_counts_pair_up():
    p = run(fixture('native-quick.json'), fixture('native-one-rep.json'))
    assert p.returncode == 0, p.stderr
    assert re.search(r'^hot/cbz:pad=on,align=8,lit=rodata/tput/manual_time +[-+]\d',
                     p.stdout, re.M)


@needs_compare_py
def test_two_variants_of_one_run():
    a = fixture('native-quick.json')
    p = run('--variants', 'cbz', 'tail', a)
    assert p.returncode == 0, p.stderr
    cbz = 'cbz:pad=on,align=8,lit=rodata'
    tail = 'tail:pad=on,align=16,lit=rodata,null=ret0'
    assert 'variants: %s against %s' % (cbz, tail) in p.stdout
    assert 'Comparing /%s/ to /%s/ (from %s)' % (cbz, tail, a) in p.stdout
    pair = re.escape('hot[/%s/ vs. /%s/]tput' % (cbz, tail))
    lines = utest_lines(p.stdout, pair)
    assert len(lines) == 1
    assert 'U Test, Repetitions: 5 vs 5' in lines[0]
    # every scenario both variants ran, and nothing of another variant
    for s in ('hot', 'null', 'ret0', 'far', 'sites', 'flip', 'update',
              'cold'):
        assert re.search(r'^%s\[/' % s, p.stdout, re.M), s
    table = p.stdout[p.stdout.index('\nBenchmark '):]
    assert 'indirect' not in table and 'jmp:' not in table


@needs_compare_py
def test_two_variants_of_two_runs():
    p = run('--variants', 'cbz', 'tail', fixture('native-quick.json'),
            fixture('native-quick-b.json'))
    assert p.returncode == 0, p.stderr
    assert re.search(r'^Comparing /cbz:\S+/ \(from \S+native-quick.json\) '
                     r'to /tail:\S+/ \(from \S+native-quick-b.json\)$',
                     p.stdout, re.M)
    assert utest_lines(p.stdout, re.escape('hot[/cbz'))


@needs_compare_py
def test_different_machines_are_named():
    p = run(fixture('native-quick.json'), fixture('emulated-quick.json'))
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith('note: different machines: ')
    assert 'EMULATED (qemu-user): not a uarch result' in p.stdout
    assert 'Comparing ' in p.stdout


@pytest.mark.parametrize('args', [
    ('plain-gbench.json', 'native-quick.json'),
    ('native-quick.json', 'plain-gbench.json'),
    ('no-such.json', 'native-quick.json'),
    ('--variants', 'cbz', 'tail', 'plain-gbench.json'),
])
def test_bad_file_is_refused(args):
    bad = next(a for a in args if a in ('plain-gbench.json', 'no-such.json'))
    p = run(*[fixture(a) if a.endswith('.json') else a for a in args])
    assert p.returncode == 1
    err = p.stderr.splitlines()
    assert len(err) == 1 and fixture(bad) in err[0], p.stderr
    assert 'Traceback' not in p.stderr and not p.stdout


def test_unknown_variant_is_refused():
    p = run('--variants', 'cbz', 'direct', fixture('native-quick.json'))
    assert p.returncode == 1
    assert p.stderr.strip().endswith(
        'no variant direct in this run (it has cbz, indirect, inline, jmp, '
        'tail)')
    assert len(p.stderr.splitlines()) == 1 and not p.stdout


def test_missing_compare_py_names_the_package():
    p = run(fixture('native-quick.json'), fixture('native-quick-b.json'),
            env={'TB_COMPARE_PY': '/nonexistent/compare.py'})
    assert p.returncode == 1
    assert p.stderr.splitlines() == [
        'compare: /nonexistent/compare.py is missing: install the Debian '
        'package libbenchmark-tools']


def test_missing_scipy_names_the_package(monkeypatch, capsys):
    mod = load_module()
    monkeypatch.setattr(mod, 'COMPARE', __file__)
    monkeypatch.setattr(mod, 'PYTHON', '/bin/false')
    rc = mod.main(['compare', fixture('native-quick.json'),
                   fixture('native-quick-b.json')])
    out, err = capsys.readouterr()
    assert rc == 1 and not out
    assert len(err.splitlines()) == 1
    assert 'install the Debian package python3-scipy' in err
