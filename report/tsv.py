# SPDX-License-Identifier: GPL-2.0
"""The one reader of the suite's data tables (harness/data/*.tsv) on
the Python side: tab-separated, '#' starts a comment line, blank lines
skipped; Python's csv module splits the fields, with no quoting (a quote
is a character like any other, as gen-tables.py reads it).

Only the standard library: scripts/model.py and scripts/precision.py
run wherever trampbench does.
"""

import csv


class Error(Exception):
    """A line with the wrong number of fields: str() is file:line."""


def rows(path, nfields=None):
    """[(line number, [field, ...])] of @path, each field stripped;
    with @nfields, a line of another count of fields raises Error.
    OSError when the file cannot be read."""
    out = []
    with open(path, newline='', encoding='utf-8', errors='replace') as f:
        reader = csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE)
        for fields in reader:
            n = reader.line_num
            if not fields or not ''.join(fields).strip() or \
                    fields[0].lstrip().startswith('#'):
                continue
            if nfields is not None and len(fields) != nfields:
                raise Error('%s:%d: %d tab-separated fields, want %d'
                            % (path, n, len(fields), nfields))
            out.append((n, [x.strip() for x in fields]))
    return out
