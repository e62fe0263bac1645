#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The report's tests (tests/report/, pytest) on the fixture runs of
# tests/fixtures/results/.  They test Python, not the architecture under
# test, so they run once: with the native build.
#   RUN  emulator prefix, or empty when native
PY=/usr/bin/python3	# Debian's, with scipy, matplotlib and pytest
if [ -n "${RUN:-}" ]; then
	echo "the report's tests run with the native build; skipped under $RUN"
	exit 0
fi
if ! "$PY" -c 'import pytest, scipy, matplotlib' 2>/dev/null; then
	echo "$PY lacks pytest, scipy or matplotlib: run scripts/setup.sh"
	exit 1
fi
cd "${TB_SRC:?TB_SRC is not set}" || exit 1
exec "$PY" -m pytest -q -p no:cacheprovider tests/report
