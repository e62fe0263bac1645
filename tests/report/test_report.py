# SPDX-License-Identifier: GPL-2.0
"""report/report.py, the driver behind make report: one machine's
summary and plots in one folder, replaced only when complete."""

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
