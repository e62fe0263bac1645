# SPDX-License-Identifier: GPL-2.0
"""Where a report goes: a new folder, or one that holds a report of ours.

    check(out, inputs)      refuse @out unless it is new or ours
    with Building(out, 'report/report.py') as tmp:
        ... write into tmp ...
                            then tmp takes @out's place, whole

Every folder report.py, merge and plots.py write holds MARKER, one line
saying what wrote it; only such a folder is ever replaced.  Any other
existing path (a folder without MARKER, a file, a link, '.') is refused,
so neither -o nor a results file's name (gnuplot.json makes report/gnuplot)
can put a report over something else.  A report is built in a temporary
folder beside its place and then renamed into it, the earlier one out of
the way first: no half-written report, and no file of an earlier one
left behind (a plot it had and this one has not).
"""

import os
import shutil
import tempfile

MARKER = '.trampbench-report'


class Refused(Exception):
    """One line: what is wrong with the folder and what to do."""


class PlotFailed(Exception):
    """One line naming the plot that could not be drawn, and why: the
    report fails with it (no report without all its plots)."""


def shown(path):
    """@path as messages name it: relative below the current folder,
    absolute elsewhere."""
    rel = os.path.relpath(path)
    return os.path.abspath(path) if rel.startswith('..') else rel


def _inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([path, folder]) == folder


def ours(path):
    """Whether @path is a folder a report of ours wrote (MARKER in it)."""
    return not os.path.islink(path) and os.path.isdir(path) and \
        os.path.isfile(os.path.join(path, MARKER))


def check(out, inputs=(), name=None):
    """Refuse (Refused) @out, named @name in the message (default: as
    given), unless it does not exist or holds a report of ours that none
    of @inputs lies in."""
    name = name or out
    out = os.path.normpath(out)     # "link/" is the link, not its target
    if os.path.islink(out):
        raise Refused('%s is a symbolic link, not a report folder: choose '
                      'a new -o folder' % name)
    if not os.path.lexists(out):
        return
    if not os.path.isdir(out):
        raise Refused('%s is a file, not a report folder: choose a new -o '
                      'folder' % name)
    if not ours(out):
        raise Refused('%s exists and holds no report of ours (no %s in '
                      'it): choose a new -o folder' % (name, MARKER))
    for p in inputs:
        if os.path.exists(p) and _inside(p, out):
            raise Refused('%s holds %s, an input of this report, and would '
                          'be replaced: choose another -o folder' %
                          (name, p))


class Building:
    """A temporary folder beside @out to write a report into; on leaving
    the block without an exception it replaces @out whole (check() it
    first), else it is removed and @out left as it was."""

    def __init__(self, out, writer):
        self.out = os.path.abspath(out)
        self.writer = writer
        self.tmp = None

    def __enter__(self):
        parent = os.path.dirname(self.out)
        os.makedirs(parent, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix='.tmp-', dir=parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o777 & ~umask)  # mkdtemp's 0700 is no report's
        with open(os.path.join(self.tmp, MARKER), 'w') as f:
            f.write('written by %s (trampbench); the next report into this '
                    'folder replaces it whole\n' % self.writer)
        return self.tmp

    def __exit__(self, kind, value, tb):
        if kind is None:
            try:
                self._publish()
                return False
            except BaseException:
                shutil.rmtree(self.tmp, ignore_errors=True)
                raise
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def _publish(self):
        # again: the place may have changed while the report was built
        check(self.out)
        hold = None
        if os.path.lexists(self.out):
            hold = tempfile.mkdtemp(prefix='.old-',
                                    dir=os.path.dirname(self.out))
            os.rename(self.out, os.path.join(hold, 'report'))
        try:
            os.rename(self.tmp, self.out)
        except BaseException:
            if hold:
                os.rename(os.path.join(hold, 'report'), self.out)
                os.rmdir(hold)
            raise
        if hold:
            shutil.rmtree(hold, ignore_errors=True)
