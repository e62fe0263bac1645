# SPDX-License-Identifier: GPL-2.0
"""Reading results files (report/results.py), bad input above all: every
bad file gives one line naming it, no traceback, and the good files of
the same call are still read."""

import glob
import json
import os

import pytest

import results
from conftest import copy, edited, fixture


def test_reads_every_scenario_and_variant(native):
    run = results.load(native)
    assert run.machine.mode == 'timer'
    # a file older than the context's scenario_order: the order the run
    # registered its benchmarks in, the program's
    assert run.facts.old
    assert run.scenarios() == ['hot', 'null', 'ret0', 'far', 'sites',
                               'flip', 'update', 'cold']
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


# ---------------------------------------------------- impossible numbers

def row_of(data, key, scenario=None):
    """Index of the first measured repetition with @key (of @scenario)."""
    return next(i for i, r in enumerate(data['benchmarks'])
                if r.get('run_type') == 'iteration' and key in r and
                not r.get('error_occurred') and
                (scenario is None or r['name'].startswith(scenario + '/')))


def refused_row(tmp_path, key, value, *words):
    """A copy of the fixture with @key of one hot row set to @value must
    be refused naming the file, the row (index and name) and @key."""
    where = []

    def change(d):
        i = row_of(d, key, 'hot')
        d['benchmarks'][i][key] = value
        where.append('benchmark %d (%s)' % (i, d['benchmarks'][i]['name']))
        return d
    path = edited(tmp_path, 'bad.json', change)
    return bad(path, where[0], key, *words)


@pytest.mark.parametrize('key', ['cycles', 'real_time', 'steal',
                                 'cpu_time'])
@pytest.mark.parametrize('value,word', [(float('nan'), 'NaN'),
                                        (float('inf'), 'Infinity'),
                                        (float('-inf'), '-Infinity')])
def test_nan_and_infinity_refused(tmp_path, key, value, word):
    # json.dumps writes NaN and Infinity, as Python's json reads them
    msg = refused_row(tmp_path, key, value, word)
    assert 'measure again' in msg


def test_nan_in_the_context_refused(tmp_path):
    def change(d):
        d['context']['load_avg'] = [0.5, float('nan'), 0.1]
        return d
    bad(edited(tmp_path, 'ctx.json', change), 'context load_avg[1]', 'NaN')


def test_nan_in_aggregates_is_not_read(native):
    """Google Benchmark writes NaN for the cv of a counter that stays 0;
    aggregates are not read, so the fixtures load."""
    text = open(native).read()
    assert 'NaN' in text
    rows = json.loads(text)['benchmarks']
    assert all(r['run_type'] == 'aggregate' for r in rows
               if 'NaN' in json.dumps(r))
    assert results.load(native).cases


@pytest.mark.parametrize('key', [
    'cpu_time', 'iterations', 'repetitions', 'threads', 'probe_cycles',
    'core_ghz', 'core_ghz_start', 'core_ghz_end', 'cycles_sd',
    'contention_retries', 'redone_batches', 'others_busy', 'steal'])
def test_never_negative(tmp_path, key):
    with open(fixture('native-quick.json')) as f:
        data = json.load(f)
    i = row_of(data, key)
    data['benchmarks'][i][key] = -1.0
    p = tmp_path / 'neg.json'
    p.write_text(json.dumps(data))
    bad(p, 'benchmark %d (%s)' % (i, data['benchmarks'][i]['name']),
        '%s is -1' % key, 'never negative')


def test_cycles_far_below_zero(tmp_path):
    msg = refused_row(tmp_path, 'cycles', -5.0, 'noise')
    assert 'is -5' in msg


def test_real_time_far_below_zero(tmp_path):
    refused_row(tmp_path, 'real_time', -5.0, 'noise')


def test_real_time_of_a_pmu_row_is_not_held_to_the_counters_noise(
        tmp_path):
    """In pmu mode cycles_sd is the counters' noise (0 under qemu's
    icount): the timer's real_time of a difference near 0 may read below
    it and the row still loads; its cycles are still held to it."""
    with open(fixture('native-quick.json')) as f:
        data = json.load(f)
    i = row_of(data, 'cycles', 'hot')
    r = data['benchmarks'][i]
    r['label'] = 'pmu EMULATED NOT CORE CYCLES'
    r['cycles'], r['cycles_sd'], r['real_time'] = 0.0, 0.0, -0.64
    p = tmp_path / 'pmu.json'
    p.write_text(json.dumps(data))
    assert results.load(str(p))
    r['cycles'] = -0.5
    p.write_text(json.dumps(data))
    bad(p, 'benchmark %d' % i, 'cycles is -0.5', 'noise')


def test_slightly_negative_within_the_rows_noise(tmp_path):
    """A difference near 0 reads either side of it: just inside the
    row's own bound loads, just outside is refused."""
    with open(fixture('native-quick.json')) as f:
        data = json.load(f)
    assert '200 batches' in data['context']['estimator']
    i = row_of(data, 'cycles', 'hot')
    r = data['benchmarks'][i]
    r['cycles_sd'] = 0.02
    # resolution + 3 sd + 4 sd / sqrt(kept), 50 of 200 batches kept
    bound = 0.01 + 3 * 0.02 + 4 * 0.02 / 50 ** 0.5
    ghz = r['core_ghz']
    for frac, ok in ((0.95, True), (1.05, False)):
        r['cycles'] = -bound * frac
        r['real_time'] = -bound * frac / ghz
        p = tmp_path / ('f%s.json' % frac)
        p.write_text(json.dumps(data))
        if ok:
            assert results.load(str(p))
        else:
            bad(p, 'benchmark %d' % i, 'cycles', 'noise')
    # without cycles_sd: the resolution alone
    del r['cycles_sd']
    r['cycles'], r['real_time'] = -0.02, 0.0
    p = tmp_path / 'nosd.json'
    p.write_text(json.dumps(data))
    bad(p, 'cycles is -0.02')


def test_kept_batches_of_the_context():
    assert results.kept_batches({'estimator': 'per repetition: 1000 '
                                 'batches after 32 warm-up batches; the '
                                 'quickest 25% by total time kept'}) == 250
    assert results.kept_batches({'estimator': '3 batches after 0 warm-up '
                                 'batches; the quickest 25% kept'}) == 1
    assert results.kept_batches({}) is None


def committed():
    """Every results file of the tree: results/ and the fixtures."""
    top = os.path.dirname(os.path.dirname(fixture('x')))
    top = os.path.dirname(os.path.dirname(top))
    found = sorted(glob.glob(os.path.join(top, 'results', '*.json')) +
                   glob.glob(os.path.join(top, 'results', '*', '*.json')) +
                   glob.glob(fixture('*.json')))
    return [p for p in found if not os.path.basename(p).startswith(
        'model-') and not p.endswith('plain-gbench.json')]


def test_every_committed_results_file_loads():
    files = committed()
    assert len(files) >= 5
    for p in files:
        assert results.load(p).cases, p
