#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plain-text summary of trampbench results, to paste into an LKML reply.

    report/summary.py results/A.json [results/B.json ...]

One block per file: where and how it was measured (core, counter mode,
patch mode; an emulated or timer-only run says so), then each benchmark's
median per call over the repetitions, with the standard deviation, and
every per-call counter the run has (cycles, instructions, mispredicts...).
"""

import json
import sys

# Counters that describe the run, not the call.
NOT_PER_CALL = {'redone_batches', 'expect_mismatch', 'core_ghz_start',
                'core_ghz_end', 'drift_pct'}
MODE_NOTE = {
    'pmu': 'hardware counters',
    'timer': 'timer only: cycles estimated from a dependent-add calibration',
    'emulated': 'EMULATED (qemu-user): not any CPU\'s timing',
}


def load(path):
    with open(path) as f:
        data = json.load(f)
    if 'context' not in data or 'benchmarks' not in data:
        raise ValueError('not a Google Benchmark JSON file')
    return data


def medians(data):
    """{name: (median row, stddev row)} in the file's order."""
    rows = {}
    for r in data['benchmarks']:
        if r.get('run_type') != 'aggregate':
            continue
        name = r['run_name'].split('/min_time:')[0].split('/iterations:')[0]
        rows.setdefault(name, {})[r['aggregate_name']] = r
    return {n: (a['median'], a.get('stddev')) for n, a in rows.items()
            if 'median' in a}


def summary(path):
    data = load(path)
    ctx = data['context']
    mode = ctx.get('counter_mode', '?')
    ident = ctx.get('midr') or ctx.get('model_name')
    out = ['%s' % path,
           '  %s %s%s, cpu %s; kernel %s' % (
               ctx.get('arch', '?'), ctx.get('core_type', '?'),
               ' (%s)' % ident if ident else '', ctx.get('cpu', '?'),
               ctx.get('kernel', '?')),
           '  counters: %s (%s)' % (mode, MODE_NOTE.get(mode, '?')),
           '  patch mode %s, governor %s, trampbench %s' % (
               ctx.get('patch_mode', '?'), ctx.get('governor', '?'),
               ctx.get('trampbench_version', '?'))]
    for key in sorted(k for k in ctx if k.startswith('warning')):
        out.append('  warning: %s' % ctx[key])
    rows = medians(data)
    counters = []
    for med, _ in rows.values():
        for k in med:
            if (k not in counters and k not in NOT_PER_CALL and
                    isinstance(med[k], (int, float)) and
                    k not in ('real_time', 'cpu_time', 'iterations',
                              'repetitions', 'repetition_index', 'threads',
                              'family_index', 'per_family_instance_index',
                              'cycles')):
                counters.append(k)
    width = max([len(n) for n in rows] + [9])
    head = '  %-*s %16s %9s' % (width, 'benchmark', 'cycles/call', 'ns/call')
    widths = [max(12, len(c)) for c in counters]
    head += ''.join(' %*s' % (w, c) for w, c in zip(widths, counters))
    out += ['', head, '  ' + '-' * (len(head) - 2)]
    for name, (med, sd) in rows.items():
        cyc = med.get('cycles')
        spread = sd.get('cycles') if sd else None
        cell = '-' if cyc is None else (
            '%.2f' % cyc + (' +-%.2f' % spread if spread is not None else ''))
        line = '  %-*s %16s %9.3f' % (width, name, cell, med['real_time'])
        for w, c in zip(widths, counters):
            line += ' %*s' % (w, '%.3f' % med[c] if c in med else '')
        if 'MISMATCH' in med.get('label', ''):
            line += '  ' + med['label']
        out.append(line.rstrip())
    return '\n'.join(out)


def main(argv):
    if len(argv) < 2 or argv[1] in ('-h', '--help'):
        print(__doc__.strip())
        return 0 if len(argv) > 1 else 2
    blocks = []
    for path in argv[1:]:
        try:
            blocks.append(summary(path))
        except (OSError, ValueError, KeyError) as e:
            print('summary.py: %s: %s' % (path, e), file=sys.stderr)
            return 1
    print('\n\n'.join(blocks))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
