# SPDX-License-Identifier: GPL-2.0
"""The report's statistics against values known from tables."""

import statistics

import pytest

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


# Critical values of the Mann-Whitney U statistic, two-tailed, alpha =
# 0.05: the difference is significant when the smaller U is at most the
# value.  The exact values of Milton, "An extended table of critical
# values for the Mann-Whitney (Wilcoxon) two-sample statistic", JASA 59
# (1964) 925-934, as every textbook table reproduces them (e.g.
# real-statistics.com's "Mann-Whitney Table", alpha = .05 two-tailed).
# None: no U is significant at that size.
U_05 = {
    (2, 2): None, (2, 7): None, (2, 8): 0, (2, 10): 0,
    (3, 3): None, (3, 4): None, (3, 5): 0, (3, 6): 1, (3, 7): 1,
    (3, 8): 2, (3, 9): 2, (3, 10): 3,
    (4, 4): 0, (4, 5): 1, (4, 6): 2, (4, 7): 3, (4, 8): 4, (4, 9): 4,
    (4, 10): 5,
    (5, 5): 2, (5, 6): 3, (5, 7): 5, (5, 8): 6, (5, 9): 7, (5, 10): 8,
    (6, 6): 5, (6, 7): 6, (6, 8): 8, (6, 9): 10, (6, 10): 11,
    (7, 7): 8, (7, 8): 10, (7, 9): 12, (7, 10): 14,
    (8, 8): 13, (8, 9): 15, (8, 10): 17,
    (9, 9): 17, (9, 10): 20, (10, 10): 23,
}


@pytest.mark.parametrize('m,n', sorted(U_05))
def test_ci_endpoints_match_the_table(m, n):
    """The 95% interval of the Hodges-Lehmann shift is bounded by the
    (U+1)-th smallest and the (U+1)-th largest of the m x n pairwise
    differences, U the tabled critical value (Hollander & Wolfe, 4.3):
    checked on samples whose differences are all distinct and known."""
    xs = [100.0 * i for i in range(m)]
    base = [float(j) for j in range(n)]
    d = sorted(x - y for x in xs for y in base)
    assert len(set(d)) == m * n
    est, ci, p = stats.shift(xs, base)
    assert est == statistics.median(d)
    u = U_05[(m, n)]
    if u is None:
        assert ci is None
    else:
        assert ci == (d[u], d[m * n - 1 - u])
        # and the other way round: the same ranks of the reversed shift
        assert stats.shift(base, xs)[1] == (-d[m * n - 1 - u], -d[u])


@pytest.mark.parametrize('p,want', [
    (0.0001, '**'), (0.00999, '**'), (0.01, '*'), (0.0101, '*'),
    (0.0499, '*'), (0.05, ''), (0.0501, ''), (0.1, ''), (0.19, ''),
    (0.5, ''), (1.0, ''), (None, '?')])
def test_mark_thresholds(p, want):
    """** below 0.01, * below 0.05, nothing from 0.05 on."""
    assert stats.mark(p) == want


def test_holm():
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06,
    # 0.04, kept non-decreasing: 0.06 for the last two
    assert stats.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx(
        [0.03, 0.06, 0.06, 0.02])
    assert stats.holm([0.5, None, 0.2]) == [0.5, None, 0.4]
    assert stats.holm([0.9, 0.8]) == [1.0, 1.0]
    assert stats.holm([]) == []


def test_iqr_is_robust():
    xs = [1.0, 2.0, 3.0, 4.0, 100.0]
    assert stats.iqr(xs) == 2.0           # quartiles 2 and 4
    assert stats.spread(xs) == (1.0, 100.0)
    assert stats.iqr([1.0, 3.0]) == 1.0      # quartiles 1.5 and 2.5
    assert stats.iqr([5.0]) is None


def test_exact_p_of_separated_samples():
    """5 against 5, wholly apart: 2 of the C(10, 5) = 252 arrangements
    are as extreme, two-sided."""
    p = stats.shift([10.0, 11, 12, 13, 14], [1.0, 2, 3, 4, 5])[2]
    assert p == pytest.approx(2 / 252)
