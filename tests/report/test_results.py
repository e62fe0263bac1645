# SPDX-License-Identifier: GPL-2.0
"""Reading results files (report/results.py), bad input above all: every
bad file gives one line naming it, no traceback, and the good files of
the same call are still read."""

import os

import pytest

import results
from conftest import copy, edited, fixture


def test_reads_every_scenario_and_variant(native):
    run = results.load(native)
    assert run.machine.mode == 'timer'
    assert run.scenarios() == list(results.SCENARIOS)
    designs = {c.design for c in run.cases if c.scenario == 'hot'}
    assert {'cbz', 'tail', 'jmp', 'indirect', 'inline'} <= designs
    hot = [c for c in run.cases if c.scenario == 'hot']
    assert all(len(c.values('cycles')) == 5 for c in hot)
    assert {c.params for c in hot} == {'tput', 'lat'}


def test_one_repetition_is_read(one_rep):
    run = results.load(one_rep)
    hot = run.scenario_cases('hot')
    assert hot and all(len(c.values('cycles')) == 1 for c in hot)


def test_skipped_cases_keep_their_reason(native):
    far = results.load(native).scenario_cases('far')
    skipped = [c for c in far if c.skipped]
    assert skipped and all('reach' in c.skipped for c in skipped)
    assert all(not c.reps for c in skipped)


def test_names_split():
    assert results.split_name(
        'sites/cbz:pad=on,align=8/n:4/order:rr/iterations:200/repeats:3/'
        'manual_time') == ('sites', 'cbz:pad=on,align=8', 'n:4/order:rr')
    assert results.split_name('null/inline/iterations:1/manual_time') == \
        ('null', 'inline', '')


def bad(path, *words):
    """load() must refuse @path in one line naming it and saying @words."""
    with pytest.raises(results.ResultsError) as e:
        results.load(path)
    msg = str(e.value)
    assert msg.startswith(str(path) + ': ')
    assert '\n' not in msg
    for w in words:
        assert w in msg
    return msg


def test_missing(tmp_path):
    bad(tmp_path / 'nope.json', 'no such file')


def test_truncated(tmp_path):
    text = open(fixture('native-quick.json')).read()
    p = tmp_path / 'cut.json'
    p.write_text(text[:len(text) // 2])
    bad(p, 'truncated')


def test_binary(tmp_path):
    p = tmp_path / 'bin.json'
    p.write_bytes(open('/bin/true', 'rb').read()[:4096])
    bad(p, 'binary')


def test_empty(tmp_path):
    p = tmp_path / 'empty.json'
    p.write_text('')
    bad(p, 'empty')


def test_plain_google_benchmark():
    bad(fixture('plain-gbench.json'), 'not from trampbench')


@pytest.mark.parametrize('text,words', [
    ('42', ['top level is a number']),
    ('null', ['top level is null']),
    ('[]', ['top level is a list']),
    ('{"context": []}', ["'context' an object"]),
    ('{"context": {}, "benchmarks": null}', ["'benchmarks' a list"]),
])
def test_wrong_shape(tmp_path, text, words):
    p = tmp_path / 'shape.json'
    p.write_text(text)
    bad(p, *words)


def test_null_number(tmp_path):
    def change(d):
        d['benchmarks'][0]['real_time'] = None
        return d
    bad(edited(tmp_path, 'null.json', change), 'real_time is null')


def test_string_counter(tmp_path):
    def change(d):
        d['benchmarks'][3]['cycles'] = 'fast'
        return d
    bad(edited(tmp_path, 'str.json', change), 'cycles is a string')


def test_other_format(tmp_path):
    def change(d):
        d['context']['results_format'] = '99'
        return d
    bad(edited(tmp_path, 'v99.json', change), 'results format 99',
        'reads format 1')


def test_no_benchmarks(tmp_path):
    def change(d):
        d['benchmarks'] = []
        return d
    bad(edited(tmp_path, 'none.json', change), 'no benchmarks')


def test_bad_event_roles(tmp_path):
    def change(d):
        d['context']['event_roles'] = 'cycles'
        return d
    bad(edited(tmp_path, 'roles.json', change), 'role=counter')


def test_event_roles_name_counters(tmp_path):
    def change(d):
        d['context']['event_roles'] = 'mispredicts=probe_cycles'
        return d
    run = results.load(edited(tmp_path, 'roles.json', change))
    assert run.counter('mispredicts') == 'probe_cycles'
    assert run.counter('l1i_refill') is None
    assert run.counter('cycles') == 'cycles'


def test_good_files_survive_bad_ones(tmp_path, native, emulated):
    runs, errors = results.load_all([native, str(tmp_path / 'x.json'),
                                     fixture('plain-gbench.json'),
                                     emulated])
    assert [r.path for r in runs] == [native, emulated]
    assert len(errors) == 2 and all('\n' not in e for e in errors)


def test_one_machine(tmp_path, native, emulated):
    b = fixture('native-quick-b.json')
    runs, _ = results.load_all([native, emulated, b])
    same, errors = results.one_machine(runs)
    assert [r.path for r in same] == [native, b]
    assert len(errors) == 1 and errors[0].startswith(emulated + ': ')
    assert 'another machine' in errors[0]


def test_pooled_repetitions(native):
    b = fixture('native-quick-b.json')
    runs, _ = results.load_all([native, b])
    pooled = results.pooled(runs)
    hot = pooled[('hot', [c for c in runs[0].cases
                          if c.scenario == 'hot'][0].spec, 'tput')]
    assert len(hot.values('cycles')) == 10


def test_model_file(tmp_path):
    p = tmp_path / 'model.json'
    p.write_text('{"kind": "something else"}')
    with pytest.raises(results.ResultsError) as e:
        results.load_model(str(p))
    assert 'make model' in str(e.value)


def test_cases_in_registration_order(native):
    """Random interleaving ends benchmarks in any order; reports list
    them as registered (Google Benchmark's family_index)."""
    import json
    rows = json.load(open(native))['benchmarks']
    fam = {}
    for r in rows:
        if r.get('run_type') == 'iteration':
            fam.setdefault(results.split_name(r['run_name']),
                           (r['family_index'],
                            r['per_family_instance_index']))
    got = [fam[(c.scenario, c.spec, c.params)]
           for c in results.load(native).cases]
    assert got == sorted(got)
    # the file itself is not in that order (else the test shows nothing)
    assert list(fam.values()) != sorted(fam.values())
