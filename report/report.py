#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One machine's report: summary.txt for email, and the plots.

    report/report.py [-o DIR] [--model FILE] results/RUN.json [MORE.json]
    report/report.py [-o DIR] [--model FILE] --list "A.json B.json"

Each file is one run of one machine, and runs are the unit of every
verdict (report/verdict.py); a file of another machine is refused in one
line (report/merge compares machines).  Writes DIR/summary.txt and the
plots (default DIR: report/<first file's name>/, for runN.json of a
group the folder's name) and prints the summary.  DIR is a new
folder or one holding an earlier report (outdir.MARKER), which is
replaced only once the new report is complete; any other existing path
is refused, and a plot that fails fails the report.
"""

import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import outdir  # noqa: E402
import results  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def default_dir(run):
    return os.path.join(HERE, results.report_name(run))


def split_list(text):
    """The results files of a --list (make report's RESULTS=): one a
    line, and on a line separated by spaces, except where a space is part
    of an existing file's name: "a b.json" is that file when it exists,
    a and b.json otherwise.  The longest name that exists wins.  A name
    that is none but holds * ? or [ is a pattern, as the shell's."""
    names = []

    def add(name):
        found = sorted(glob.glob(name)) if not os.path.exists(name) and \
            any(c in name for c in '*?[') else []
        names.extend(found or [name])

    for line in text.replace('\r', '').split('\n'):
        if os.path.exists(line):
            add(line)
            continue
        words = line.split(' ')
        i = 0
        while i < len(words):
            if not words[i]:
                i += 1
                continue
            j = len(words)
            while j > i + 1 and not os.path.exists(' '.join(words[i:j])):
                j -= 1
            add(' '.join(words[i:j]))
            i = j
    return names


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
    ap.add_argument('--list', metavar='TEXT', help='results files as make '
                    "report's RESULTS= gives them: one a line, or "
                    "separated by spaces that are not part of an existing "
                    "file's name")
    ap.add_argument('files', nargs='*', metavar='FILE.json')
    a = ap.parse_args(argv)
    files = a.files + split_list(a.list or '')
    if not files:
        ap.error('give a results file (results/*.json)')

    runs, errors = results.load_all(files)
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
        outdir.check(out, files, name)
        with outdir.Building(out, 'report/report.py') as tmp:
            text, written = build(runs, tmp, model)
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
          (rel, len(written) - 1, rel))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
