# SPDX-License-Identifier: GPL-2.0
"""The report's statistics against values known from tables."""

import stats


def test_critical_values_match_the_table():
    # Mann-Whitney two-sided 5% critical U (any table, e.g. Siegel &
    # Castellan): n=10,10 -> 23, n=5,5 -> 2, n=4,4 -> 0; the interval uses
    # the pairwise differences of rank U+1.
    assert stats._crit(10, 10) == 24
    assert stats._crit(5, 5) == 3
    assert stats._crit(4, 4) == 1
    assert stats._crit(3, 3) == 0


def test_exact_tail():
    # P(U <= 0) for 3 and 3 values: 1 of C(6,3) = 20 orderings
    assert abs(stats._p_le(0, 3, 3) - 1 / 20) < 1e-12


def test_shift_of_separated_samples():
    a = [10 + i * 0.01 for i in range(10)]
    b = [12 + i * 0.01 for i in range(10)]
    est, ci, p = stats.shift(b, a)
    assert abs(est - 2) < 1e-9
    assert ci[0] <= est <= ci[1] and ci[0] > 1.8
    assert p < 0.001 and stats.mark(p) == '**'


def test_too_few_repetitions():
    est, ci, p = stats.shift([5, 6, 7], [1, 2, 3])
    assert est == 4 and ci is None and p > 0.05
    assert stats.mark(stats.shift([5], [1])[2]) == '?'


def test_no_difference():
    a = [1.0, 2.0, 3.0, 4.0, 5.0]
    est, ci, p = stats.shift(a, list(reversed(a)))
    assert est == 0 and p == 1.0 and stats.mark(p) == ''
