# SPDX-License-Identifier: GPL-2.0
"""When a difference between two variants is a result: the one rule.

Runs are the unit.  A run is one trampbench process; its repetitions
share its conditions (the clock, the neighbours, the layout, a mode of
the core), so repetitions of one run are not independent evidence, and
a difference a run's own U test calls significant can be gone in the
next run (docs/precision.md).  So a comparison of variant a against
variant b is taken run by run:

    d_i   the Hodges-Lehmann difference a - b within run i (the median
          of every pairwise difference of their repetitions in run i)

and it is a result, "holds", when over the runs that measured both

    1. there are at least MIN_RUNS of them,
    2. every d_i has the same sign, and
    3. the smallest |d_i| exceeds the run-to-run spread max(d) - min(d)
       and the finest step the reports print (RESOLUTION).

Otherwise it is "flips" (the runs disagree in sign), "noise" (they
agree in sign, but the difference is within what the runs disagree
by) or, with fewer than MIN_RUNS runs, no verdict at all: one run
cannot say whether its difference survives the next.

The rule only compares the runs' differences with each other, so its
false-positive rate does not depend on the size of the noise: with no
true difference and independent, normal run-to-run noise, it says
"holds" with the probability NULL_RATE[K] for K runs (simulated, 2e7
draws for each K; 20% for 2 runs, which is why 3 is the least).

summary.py (its tables and "wins where"), merge (its cells) and
scripts/precision.py all decide with this module, against the same
baseline (baseline_spec(): the instance each run's context names), on
repetitions read by results.py (which leaves out contended ones the
same way for all of them).

Only the standard library: scripts/precision.py runs wherever
trampbench does.
"""

import statistics
from dataclasses import dataclass, field

# Fewer runs give no verdict.
MIN_RUNS = 3
# Cycles: the finest the reports print; a smaller difference is none.
RESOLUTION = 0.01
# P(holds) for K runs when there is no difference (normal noise).
NULL_RATE = {2: 0.205, 3: 0.0389, 4: 0.0070, 5: 0.0013, 6: 0.00022,
             7: 0.000038, 8: 0.0000064}

WORDS = {'holds': 'holds', 'sign': 'flips', 'spread': 'noise',
         'few': 'few', 'none': '-'}


def null_rate(k):
    """P(holds) with no true difference over @k runs (None under
    MIN_RUNS: no verdict then)."""
    if k < MIN_RUNS:
        return None
    return NULL_RATE.get(k, NULL_RATE[max(NULL_RATE)])


def design_of(spec):
    return spec.split(':', 1)[0]


def baseline_spec(specs, baseline):
    """The instance of @specs every difference is taken against: the
    run's @baseline (its context's, results.baseline_of()) when
    measured, else the first by name of its design; None without one."""
    if not baseline:
        return None
    same = sorted(s for s in specs if design_of(s) == design_of(baseline))
    if not same:
        return None
    return baseline if baseline in same else same[0]


def hodges_lehmann(xs, base):
    """The difference xs - base: the median of all pairwise
    differences (None when either is empty)."""
    if not xs or not base:
        return None
    return statistics.median(x - y for x in xs for y in base)


def run_median(values):
    return statistics.median(values) if values else None


def center(case, counter='cycles'):
    """What a report gives as a case's value: the median over its runs
    of each run's median (for one run, the median of its repetitions);
    None when nothing was measured."""
    meds = [run_median(v) for v in case.per_run(counter) if v]
    return statistics.median(meds) if meds else None


@dataclass
class Verdict:
    """The cross-run verdict on one comparison a - b."""
    diffs: list = field(default_factory=list)   # d_i, one per run
    why: str = 'none'       # holds, sign, spread, few, none

    @property
    def runs(self):
        return len(self.diffs)

    @property
    def holds(self):
        return self.why == 'holds'

    @property
    def decided(self):
        """Whether there were runs enough for a verdict."""
        return self.why in ('holds', 'sign', 'spread')

    @property
    def estimate(self):
        """The median of the per-run differences."""
        return statistics.median(self.diffs) if self.diffs else None

    @property
    def spread(self):
        return max(self.diffs) - min(self.diffs) if self.diffs else None

    @property
    def word(self):
        return WORDS[self.why]


def across(diffs):
    """The rule (see the top of this file) on per-run differences."""
    diffs = [d for d in diffs if d is not None]
    if not diffs:
        return Verdict([], 'none')
    if len(diffs) < MIN_RUNS:
        return Verdict(diffs, 'few')
    if not (all(d > 0 for d in diffs) or all(d < 0 for d in diffs)):
        return Verdict(diffs, 'sign')
    smallest = min(abs(d) for d in diffs)
    if smallest <= max(diffs) - min(diffs) or smallest < RESOLUTION:
        return Verdict(diffs, 'spread')
    return Verdict(diffs, 'holds')


def run_diffs(a, b, counter='cycles'):
    """d_i of case @a against case @b for each run (Cases of
    results.pooled(), whose per_run() lists are aligned by run); None
    for a run that did not measure both."""
    return [hodges_lehmann(x, y) for x, y in zip(a.per_run(counter),
                                                 b.per_run(counter))]


def compare(a, b, counter='cycles'):
    """The verdict on case @a against case @b."""
    return across(run_diffs(a, b, counter))


def ranked(cases, counter='cycles'):
    """@cases that measured @counter, fastest first (by center(), then
    by name, so a tie in value is broken the same way everywhere)."""
    have = [(center(c, counter), c.spec, c) for c in cases]
    have = [h for h in have if h[0] is not None]
    return [c for _, _, c in sorted(have, key=lambda h: (h[0], h[1]))]


def winner(cases, counter='cycles'):
    """(fastest case, runner-up or None, verdict on runner-up minus
    fastest): the win holds when that difference does."""
    order = ranked(cases, counter)
    if not order:
        return None, None, Verdict()
    if len(order) == 1:
        return order[0], None, Verdict()
    return order[0], order[1], compare(order[1], order[0], counter)
