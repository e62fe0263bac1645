#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One machine's report: summary.txt for email, and the plots.

    report/report.py [-o DIR] [--model FILE] results/RUN.json [MORE.json]

Several files of one machine are pooled (their repetitions together);
a file of another machine is refused in one line (report/merge compares
machines).  Writes DIR/summary.txt and the plots (default DIR:
report/<first file's name>/) and prints the summary.  DIR is a new
folder or one holding an earlier report (outdir.MARKER), which is
replaced only once the new report is complete; any other existing path
is refused, and a plot that fails fails the report.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import outdir  # noqa: E402
import results  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def default_dir(run):
    return os.path.join(HERE, results.report_name(run))


def build(runs, out, model):
    """Write the report into @out, a new folder; the files written."""
    import plots
    import summary
    text = summary.summary_text(runs, model=model, strict=True)
    with open(os.path.join(out, 'summary.txt'), 'w') as f:
        f.write(text)
    return text, [os.path.join(out, 'summary.txt')] + \
        list(plots.write_plots(runs, out))


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
    if a.out_dir:
        out, name = a.out_dir, '-o %s' % a.out_dir
    else:
        out = default_dir(runs[0])
        name = '%s (the default folder for %s)' % (
            outdir.shown(out), os.path.basename(runs[0].path))
    rel = outdir.shown(out)
    try:
        outdir.check(out, [r.path for r in runs], name)
        with outdir.Building(out, 'report/report.py') as tmp:
            text, files = build(runs, tmp, model)
    except outdir.Refused as e:
        print('report: %s' % e, file=sys.stderr)
        return 1
    except outdir.PlotFailed as e:
        print('report: %s: no report written%s' % (
            e, ', %s/ left as it was' % rel if os.path.exists(out) else ''),
            file=sys.stderr)
        return 1
    except OSError as e:
        print('report: cannot write %s: %s' % (
            e.filename or rel, e.strerror or e), file=sys.stderr)
        return 1
    if not a.quiet:
        sys.stdout.write(text)
    print('report: %s/summary.txt and %d plot file(s) in %s/' %
          (rel, len(files) - 1, rel))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
