# SPDX-License-Identifier: GPL-2.0
"""One run counts once: the same results file given twice (its path
again, a link to it, a copy) is used once by report.py, summary.py and
merge, with one line on stderr; a run that differs is still pooled."""

import json
import os
import shutil

import pytest

import results
from conftest import PY, REPORT, edited, fixture, run

SUMMARY = os.path.join(REPORT, 'summary.py')
DRIVER = os.path.join(REPORT, 'report.py')
MERGE = os.path.join(REPORT, 'merge')


def again(tmp_path, how):
    """(first path, second path): the fixture, and it once more @how."""
    a = fixture('native-quick.json')
    if how == 'same path':
        return a, a
    b = tmp_path / 'again.json'
    if how == 'link':
        os.symlink(a, b)
    else:
        shutil.copy(a, b)
    return a, str(b)


HOW = ['same path', 'link', 'copy']


def one_warning(stderr, prog, second):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith('%s: %s: ' % (prog, second))
    assert lines[0].endswith('counted once')


@pytest.mark.parametrize('how', HOW)
def test_once_in_the_reader(tmp_path, how):
    a, b = again(tmp_path, how)
    runs, warnings = results.once(results.load_all([a, b])[0])
    assert [r.path for r in runs] == [a]
    assert len(warnings) == 1 and warnings[0].startswith(b + ': ')


@pytest.mark.parametrize('how', HOW)
def test_summary_counts_a_run_once(tmp_path, how):
    a, b = again(tmp_path, how)
    rc, alone, _ = run([PY, SUMMARY, a])
    assert rc == 0
    rc, stdout, stderr = run([PY, SUMMARY, a, b])
    assert rc == 0
    one_warning(stderr, 'summary.py', b)
    assert stdout == alone
    assert 'pooled from' not in stdout


@pytest.mark.parametrize('how', HOW)
def test_report_counts_a_run_once(tmp_path, how):
    a, b = again(tmp_path, how)
    rc, _, _ = run([PY, DRIVER, '-q', '-o', str(tmp_path / 'alone'), a])
    assert rc == 0
    rc, _, stderr = run([PY, DRIVER, '-q', '-o', str(tmp_path / 'both'),
                         a, b])
    assert rc == 0
    one_warning(stderr, 'report', b)
    assert (tmp_path / 'both' / 'summary.txt').read_text() == \
        (tmp_path / 'alone' / 'summary.txt').read_text()


@pytest.mark.parametrize('how', HOW)
def test_merge_counts_a_run_once(tmp_path, how):
    a, b = again(tmp_path, how)
    out = tmp_path / 'm'
    rc, _, stderr = run([PY, MERGE, '--no-plots', '-o', str(out), a, b])
    assert rc == 0
    one_warning(stderr, 'merge', b)
    meta = json.loads((out / 'merge.json').read_text())
    assert [c['file'] for c in meta['columns']] == [a]


@pytest.mark.parametrize('key,value', [('date', '2030-01-01T00:00:00'),
                                       ('host', 'elsewhere'),
                                       ('trampbench_version', 'abc1234')])
def test_another_run_is_not_the_same(tmp_path, key, value):
    def change(d):
        d['context'][key] = value
        return d
    b = edited(tmp_path, 'other.json', change)
    runs, warnings = results.once(results.load_all(
        [fixture('native-quick.json'), b])[0])
    assert len(runs) == 2 and not warnings


def test_other_rows_are_not_the_same(tmp_path):
    def change(d):
        for r in d['benchmarks']:
            if r.get('run_type') == 'iteration' and 'cycles' in r:
                r['cycles'] += 0.001
                break
        return d
    b = edited(tmp_path, 'rows.json', change)
    runs, warnings = results.once(results.load_all(
        [fixture('native-quick.json'), b])[0])
    assert len(runs) == 2 and not warnings
