#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One machine's report: summary.txt for email, and the plots.

    report/report.py [-o DIR] [--model FILE] results/RUN.json [MORE.json]

Several files of one machine are pooled (their repetitions together);
a file of another machine is refused in one line (report/merge compares
machines).  Writes DIR/summary.txt and the plots (default DIR:
report/<first file's name>/), replacing that folder's earlier report
only once the new one is complete, and prints the summary.
"""

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def default_dir(run):
    return os.path.join(HERE, results.report_name(run))


def build(runs, out, model):
    """Write the report into @out, a new folder; the files written."""
    import plots
    import summary
    text = summary.summary_text(runs, model=model)
    with open(os.path.join(out, 'summary.txt'), 'w') as f:
        f.write(text)
    return text, [os.path.join(out, 'summary.txt')] + \
        list(plots.write_plots(runs, out))


def publish(tmp, out):
    """Put the finished report @tmp in place of @out."""
    old = None
    if os.path.exists(out):
        old = out + '.old-%d' % os.getpid()
        os.rename(out, old)
    os.rename(tmp, out)
    if old:
        shutil.rmtree(old)


def main(argv):
    ap = argparse.ArgumentParser(
        prog='report/report.py',
        description=__doc__.strip().splitlines()[0])
    ap.add_argument('-o', '--out-dir', help='where to write the report '
                    '(default: report/<name of the first file>/)')
    ap.add_argument('--model', help='a model file of make model (default: '
                    'the newest results/model-*.json, if any)')
    ap.add_argument('-q', '--quiet', action='store_true',
                    help='do not print the summary')
    ap.add_argument('files', nargs='+', metavar='FILE.json')
    a = ap.parse_args(argv)

    runs, errors = results.load_all(a.files)
    runs, again = results.once(runs)
    for w in again:
        print('report: %s' % w, file=sys.stderr)
    runs, other = results.one_machine(runs)
    errors += other
    model = None
    try:
        model = results.given_or_newest_model(a.model)
    except results.ResultsError as e:
        errors.append(str(e))
    for e in errors:
        print('report: %s' % e, file=sys.stderr)
    if not runs:
        return 1
    out = os.path.abspath(a.out_dir or default_dir(runs[0]))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='.tmp-', dir=os.path.dirname(out))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)   # mkdtemp's 0700 is no report's mode
    try:
        text, files = build(runs, tmp, model)
        publish(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not a.quiet:
        sys.stdout.write(text)
    rel = os.path.relpath(out)
    print('report: %s/summary.txt and %d plot file(s) in %s/' %
          (rel, len(files) - 1, rel))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
