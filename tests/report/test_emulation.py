# SPDX-License-Identifier: GPL-2.0
"""An emulated run is said to be one in every report, and a run whose
calibration no core could read says its cycles are no core's.

The fixtures are real runs in qemu-system guests (make vm;
tests/fixtures/results/make-fixtures.sh): qemu-system-quick.json, arm64
-cpu max with -icount, pmu mode of qemu's PMU; qemu-system-x86.json, an
x86 guest in timer mode whose call of a ret reads 121 "cycles".
"""

import json
import os
import sys

import pytest

from conftest import REPORT, fixture, run

sys.path.insert(0, REPORT)
import plots    # noqa: E402
import results  # noqa: E402
import summary  # noqa: E402

ARM = 'qemu-system-quick.json'
X86 = 'qemu-system-x86.json'


def machine(name):
    return results.load(fixture(name)).machine


def test_a_guest_is_emulated_in_any_counter_mode():
    arm, x86 = machine(ARM), machine(X86)
    assert (arm.mode, arm.emulated, arm.icount) == ('pmu', True, True)
    assert arm.emulator == 'qemu-system TCG'
    assert (x86.mode, x86.emulated, x86.icount) == ('emulated', True, False)
    # qemu-user's runs, as before
    user = machine('emulated-quick.json')
    assert user.emulated and user.emulator == 'qemu-user'
    assert not machine('native-quick.json').emulated


def test_not_core_cycles():
    assert machine(X86).not_core_cycles.startswith(
        'a call of a bare ret read 121.4 cycles')
    assert machine(ARM).not_core_cycles == \
        'qemu -icount counts instructions, not cycles'
    assert machine('native-quick.json').not_core_cycles == ''


def box(text):
    """The starred box at the top of a summary, its lines' text."""
    lines = text.splitlines()
    assert lines[0] == '*' * summary.WIDTH, lines[0]
    end = lines.index('*' * summary.WIDTH, 1)
    for l in lines[1:end]:
        assert len(l) == summary.WIDTH and l.startswith('*  ') and \
            l.endswith('*'), l
    return ' '.join(l[3:-1].strip() for l in lines[1:end])


def test_summary_boxes_the_emulator_and_icount():
    text = summary.summary_text([results.load(fixture(ARM))])
    b = box(text)
    assert 'EMULATED (qemu-system TCG): not a uarch result.' in b
    assert 'qemu -icount: its cycles count instructions.' in b
    assert 'NOT CORE CYCLES' in b
    assert 'pmu, EMULATED (qemu-system TCG, -icount' in text
    # the title line says it too
    assert 'pmu mode' in text and 'qemu-user' not in text


def test_summary_says_cycles_are_no_cores():
    b = box(summary.summary_text([results.load(fixture(X86))]))
    assert 'EMULATED (qemu-system TCG)' in b
    assert 'NOT CORE CYCLES: a call of a bare ret read 121.4 cycles' in b
    assert 'icount' not in b


def test_plot_titles_name_the_emulator():
    title, sub = plots.title_lines(machine(ARM))
    assert 'EMULATED' in title
    assert 'EMULATED (qemu-system TCG)' in sub and \
        'cycles count instructions' in sub
    title, sub = plots.title_lines(machine(X86))
    assert 'NOT CORE CYCLES' in sub
    _, sub = plots.title_lines(machine('emulated-quick.json'))
    assert 'EMULATED (qemu-user)' in sub


def test_merge_marks_emulated_columns(tmp_path):
    out = tmp_path / 'm'
    rc, so, se = run([os.path.join(REPORT, 'merge'), '-o', str(out),
                      fixture('native-quick.json'), fixture(ARM),
                      fixture(X86)])
    assert rc == 0, se
    text = (out / 'merge.txt').read_text()
    assert 'EMULATED columns ran under qemu-system TCG' in text
    assert 'NOT CORE CYCLES in [1], [2]' in text
    cols = json.loads((out / 'merge.json').read_text())['columns']
    assert [c['emulated'] for c in cols] == [False, True, True]


def invalid_copy(tmp_path):
    """native-quick.json with hot's first case counting 0 cycles."""
    with open(fixture('native-quick.json')) as f:
        data = json.load(f)
    name = None
    for b in data['benchmarks']:
        if b.get('run_type') != 'iteration' or \
                not b['name'].startswith('hot/'):
            continue
        name = name or b['run_name']
        if b['run_name'] == name:
            b['invalid'] = 1
            b['label'] = 'pmu INVALID: CPU_CYCLES counted 0'
    path = tmp_path / 'invalid.json'
    path.write_text(json.dumps(data))
    return str(path), name


def test_invalid_rows_are_never_reported(tmp_path):
    path, name = invalid_copy(tmp_path)
    run_ = results.load(path)
    scenario, spec, params = results.split_name(name)
    c = [c for c in run_.cases if (c.scenario, c.spec, c.params) ==
         (scenario, spec, params)][0]
    assert c.reps == []
    assert c.skipped == 'INVALID: CPU_CYCLES counted 0'
    text = summary.summary_text([run_])
    # listed as not measured, its numbers nowhere
    assert 'skipped: INVALID' in text
