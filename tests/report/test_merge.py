# SPDX-License-Identifier: GPL-2.0
"""report/merge: one column per run, the winner and its margin per
scenario, honest about where each column came from."""

import json
import os
import statistics

import pytest

import results

from conftest import PY, REPORT, edited, fixture, run

MERGE = os.path.join(REPORT, 'merge')


def merge(tmp_path, *files, plots=False):
    out = tmp_path / 'out'
    rc, stdout, stderr = run([PY, MERGE, '-o', str(out)] +
                             ([] if plots else ['--no-plots']) + list(files))
    meta = None
    if (out / 'merge.json').exists():
        meta = json.loads((out / 'merge.json').read_text())
    return rc, stdout, stderr, out, meta


def test_two_machines(tmp_path, native, emulated):
    rc, stdout, stderr, out, meta = merge(tmp_path, native, emulated,
                                          plots=True)
    assert rc == 0, stderr
    # a plot per scenario and parameters, with a bar group per core
    pngs = list(out.glob('merge-*.png'))
    assert len(pngs) == len(meta['rows'])
    assert all(p.stat().st_size > 1000 for p in pngs)
    cols = meta['columns']
    assert [c['file'] for c in cols] == [native, emulated]
    assert [c['counter_mode'] for c in cols] == ['timer', 'emulated']
    for c in cols:
        assert c['core'] and c['kernel'] and c['version']
    text = (out / 'merge.txt').read_text()
    assert text in stdout
    assert 'EMULATED' in text and '[timer]' in text
    scen = {r['scenario'] for r in meta['rows']}
    assert scen == {'hot', 'null', 'ret0', 'far', 'sites', 'flip',
                    'update', 'cold'}
    # every row has a cell per column, naming a variant of that run
    for r in meta['rows']:
        for i in ('0', '1'):
            cell = r['cells'][i]
            assert cell is None or cell['winner'] in cell['medians']


def test_winner_is_the_fastest_and_margin_against_cbz(tmp_path, native):
    rc, _, _, _, meta = merge(tmp_path, native)
    assert rc == 0
    cases = results.load(native).cases
    checked = 0
    for r in meta['rows']:
        cell = r['cells']['0']
        if not cell:
            continue
        med = cell['medians']
        assert med[cell['winner']] == min(med.values())
        if cell['margin'] is None:
            assert cell['winner'] == 'cbz'
            continue
        # Hodges-Lehmann: the median of every winner - cbz difference
        of = {c.design: c.values('cycles') for c in cases
              if (c.scenario, c.params) == (r['scenario'], r['params'])}
        diffs = [w - b for w in of[cell['winner']] for b in of['cbz']]
        assert cell['margin'] == pytest.approx(statistics.median(diffs))
        checked += 1
    assert checked > 5


def test_one_column_per_run_even_of_one_machine(tmp_path, native):
    b = fixture('native-quick-b.json')
    rc, _, _, _, meta = merge(tmp_path, native, b)
    assert rc == 0 and len(meta['columns']) == 2


def test_versions_differ_said(tmp_path, native):
    def change(d):
        d['context']['trampbench_version'] = 'abc1234'
        return d
    other = edited(tmp_path, 'other-version.json', change)
    rc, stdout, _, _, meta = merge(tmp_path, native, other)
    assert rc == 0
    assert 'different trampbench versions' in stdout
    assert {c['version'] for c in meta['columns']} >= {'abc1234'}


def test_bad_file_named_others_merged(tmp_path, native, emulated):
    rc, stdout, stderr, _, meta = merge(
        tmp_path, native, str(tmp_path / 'missing.json'),
        fixture('plain-gbench.json'), emulated)
    assert rc == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 2 and 'Traceback' not in stderr
    assert lines[0].startswith('merge: %s: ' % (tmp_path / 'missing.json'))
    assert 'plain-gbench.json' in lines[1]
    assert [c['file'] for c in meta['columns']] == [native, emulated]


def test_nothing_to_merge(tmp_path):
    rc, _, stderr, out, _ = merge(tmp_path, str(tmp_path / 'none.json'))
    assert rc == 1 and 'no results file' in stderr
    assert not out.exists()
