# SPDX-License-Identifier: GPL-2.0
"""Shared by the report's tests: where the tree, the report code and the
fixture runs (tests/fixtures/results/, real short runs) are."""

import json
import os
import shutil
import subprocess
import sys

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
REPORT = os.path.join(TOP, 'report')
FIXTURES = os.path.join(TOP, 'tests', 'fixtures', 'results')
PY = '/usr/bin/python3'
sys.path.insert(0, REPORT)


def fixture(name):
    return os.path.join(FIXTURES, name)


@pytest.fixture
def native():
    return fixture('native-quick.json')


@pytest.fixture
def emulated():
    return fixture('emulated-quick.json')


@pytest.fixture
def one_rep():
    return fixture('native-one-rep.json')


def run(args, cwd=None):
    """Run a report command; (exit status, stdout, stderr)."""
    p = subprocess.run(args, cwd=cwd or TOP, capture_output=True,
                       text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def edited(tmp_path, name, change):
    """A copy of a fixture run with change(data) applied, as bad input."""
    with open(fixture('native-quick.json')) as f:
        data = json.load(f)
    data = change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def copy(tmp_path, name, as_name=None):
    dst = tmp_path / (as_name or name)
    shutil.copy(fixture(name), dst)
    return str(dst)
