# SPDX-License-Identifier: GPL-2.0
"""report/report.py, the driver behind make report: one machine's
summary and plots in one folder, replaced only when complete."""

import os

from conftest import PY, REPORT, fixture, run

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
