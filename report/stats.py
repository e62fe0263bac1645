# SPDX-License-Identifier: GPL-2.0
"""The statistics of a report, on per-repetition values.

A difference between two variants is the Hodges-Lehmann estimate (the
median of all pairwise differences) with its distribution-free 95%
confidence interval, the one that inverts the Mann-Whitney U test
(Hollander & Wolfe, "Nonparametric Statistical Methods", 3rd ed., 4.3);
significance is scipy's Mann-Whitney U test, two-sided, exact for small
samples.  Neither assumes normal repetitions, which contention on a
shared machine makes skewed.

Repetitions of one run share the run's conditions: a difference that is
significant within a run can still be smaller than what separate runs
disagree by (docs/precision.md).  These tests are within a run, and a
summary makes many of them, so their marks are Holm-adjusted (holm());
whether a difference is a result is the cross-run rule of verdict.py.

scipy is imported where a test needs it, so the rest (median, iqr,
holm, the exact U distribution) serves scripts/precision.py without it.
"""

import math
import statistics

ALPHA = 0.05
STRONG = 0.01       # '**'


def _scipy():
    from scipy import stats as sps
    return sps


def median(xs):
    return statistics.median(xs) if xs else None


def spread(xs):
    """(low, high) of the repetitions, or None for fewer than two."""
    return (min(xs), max(xs)) if len(xs) > 1 else None


def iqr(xs):
    """The interquartile range (quartiles by linear interpolation
    between the order statistics, statistics' 'inclusive' method), a
    spread one outlier does not set; None for fewer than two values."""
    if len(xs) < 2:
        return None
    q = statistics.quantiles(xs, n=4, method='inclusive')
    return q[2] - q[0]


def holm(ps):
    """Holm's step-down adjustment of the p-values @ps (None stays
    None): the family-wise error of every mark made from them is at
    most the mark's level.  The i-th smallest of m is multiplied by
    m - i + 1, and the adjusted values kept non-decreasing."""
    have = sorted((p, i) for i, p in enumerate(ps) if p is not None)
    m = len(have)
    out = list(ps)
    run = 0.0
    for rank, (p, i) in enumerate(have):
        run = max(run, min(1.0, (m - rank) * p))
        out[i] = run
    return out


def _crit(m, n):
    """The largest k with P(U <= k - 1) <= ALPHA / 2 under the null: the
    pairwise differences of rank k and mn - k + 1 bound the interval.
    0 when the samples are too small for any 95% interval."""
    k = 0
    # exact null distribution of U for small samples, normal otherwise
    for cand in range(1, m * n // 2 + 1):
        if m * n <= 400:
            p = _p_le(cand - 1, m, n)
        else:
            mu, sd = m * n / 2, math.sqrt(m * n * (m + n + 1) / 12)
            p = _scipy().norm.cdf((cand - 1 + 0.5 - mu) / sd)
        if p <= ALPHA / 2:
            k = cand
        else:
            break
    return k


_U_CACHE = {}


def _p_le(u, m, n):
    """P(U <= u) for sample sizes m, n, no ties (exact, by counting)."""
    key = (m, n)
    if key not in _U_CACHE:
        # f[i][j][u]: arrangements of i and j with U = u (recurrence)
        counts = {(0, j): {0: 1} for j in range(n + 1)}
        for i in range(1, m + 1):
            counts[(i, 0)] = {0: 1}
            for j in range(1, n + 1):
                a, b = counts[(i - 1, j)], counts[(i, j - 1)]
                c = {}
                for uu, w in a.items():     # largest is from sample 1
                    c[uu + j] = c.get(uu + j, 0) + w
                for uu, w in b.items():
                    c[uu] = c.get(uu, 0) + w
                counts[(i, j)] = c
        dist = counts[(m, n)]
        total = sum(dist.values())
        cum, acc = [], 0
        for uu in range(m * n + 1):
            acc += dist.get(uu, 0)
            cum.append(acc / total)
        _U_CACHE[key] = cum
    cum = _U_CACHE[key]
    return cum[u] if u >= 0 else 0.0


def shift(xs, base):
    """The difference xs - base: (estimate, (lo, hi) or None, p or None).

    The interval is None when the samples are too small for a 95% one
    (fewer than 4 values each); p is None for fewer than two values in
    either sample.
    """
    if not xs or not base:
        return None, None, None
    d = sorted(x - y for x in xs for y in base)
    est = statistics.median(d)
    k = _crit(len(xs), len(base))
    ci = (d[k - 1], d[len(d) - k]) if k else None
    p = None
    if len(xs) > 1 and len(base) > 1:
        if len(set(xs) | set(base)) == 1:
            p = 1.0
        else:
            p = float(_scipy().mannwhitneyu(
                xs, base, alternative='two-sided').pvalue)
    return est, ci, p


def mark(p):
    """'**' p < 0.01, '*' p < 0.05, '' otherwise, '?' not testable."""
    if p is None:
        return '?'
    return '**' if p < STRONG else '*' if p < ALPHA else ''
