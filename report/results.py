# SPDX-License-Identifier: GPL-2.0
"""Reading trampbench results files: the one place that knows their shape.

Every report (summary.py, plots.py, merge, compare) reads results through
load() or load_all(), and sees:

    Run         one results file: its Machine and its Cases, in file order
    Machine     where and how it ran: host, core, MIDR, kernel, counter mode
    Case        one benchmark (scenario, variant spec, parameters) with its
                per-repetition values, or the reason it was skipped

Runs are the unit of every verdict (report/verdict.py): a Case of
pooled() keeps its repetitions run by run (per_run()).  make report
writes one group of runs, results/<name>/run1.json ... runK.json, each
with the context keys run_group (the same id in all of them), run_index
and run_count; group_key() and report_name() read them.

The facts of the program's own tables come from each run's context,
as the program writes them (bench/context.c), in Run.facts: the
scenarios in order with their descriptions, the designs, the instances
as posted, the baseline every difference is taken against, the
contention bound, and the level (user, or kernel for trampbench
--kernel).  No report lists them itself.  A file written before those
keys falls back, here and nowhere else (_old_facts()), to the generator
of the code image (variants/gen-image.py) and to the file's own rows.

Repetitions the contention probe flagged (contention_pct over the run's
contention_pct_max) are left out here, once, for every report; where
every repetition of a case in a run was flagged, they are all kept and
the case says so (all_contended).  Under an emulator the probe times the
emulator, and nothing is left out.

A file that is not a trampbench results file of a format this code reads
raises ResultsError with one line that names the file, says what is wrong
and what to do; nothing here prints a traceback for bad input.

Each row carries its benchmark's parts (scenario, variant, variant_short,
params) beside Google Benchmark's name, and those are read; a file
written before them is read by its names, "scenario/<variant spec>/
<parameters>" followed by Google Benchmark's own suffixes (iterations:,
repeats:, manual_time).  Per-repetition rows are read, not Google
Benchmark's aggregates, so a run of one repetition is reported too and
every statistic is computed here from the same values.
"""

import glob
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field

# The results format this code reads (context key results_format).  Files
# written before the key existed (format 0) have the same shape.
FORMATS = ('0', '1')
FORMAT = '1'

MODE_NOTE = {
    'pmu': 'hardware counters',
    'timer': 'timer only: no PMU; cycles from a dependent-add calibration',
    'emulated': 'EMULATED (timer under an emulator): not a uarch result',
}

# A results file of a group of runs (make report): runN.json in the
# group's folder.
RUN_FILE = re.compile(r'run(\d+)\.json$')

# Google Benchmark's name suffixes, and keys of a row that are not counters.
GB_SUFFIXES = ('iterations:', 'repeats:', 'min_time:', 'min_warmup_time:',
               'manual_time', 'real_time', 'process_time', 'threads:')
ROW_KEYS = {'name', 'family_index', 'per_family_instance_index', 'run_name',
            'run_type', 'repetitions', 'repetition_index', 'threads',
            'iterations', 'real_time', 'cpu_time', 'time_unit', 'label',
            'error_occurred', 'error_message', 'aggregate_name',
            'aggregate_unit', 'skipped', 'skip_message',
            # the benchmark's parts, which trampbench adds to each row
            'scenario', 'variant', 'variant_short', 'params'}


def design_of(spec):
    """A variant's design: "cbz" of "cbz:pad=on,align=8"."""
    return spec.split(':', 1)[0]


# The generator of the code image: the one source of the designs, their
# instances as posted and the baseline (read by _old_facts() alone).
GEN_IMAGE = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'variants', 'gen-image.py')
# Where a run measured: user space, or inside the kernel module
# (trampbench --kernel); a file without the context key level is user.
LEVELS = ('user', 'kernel')


@dataclass
class Facts:
    """What the program says of its own tables, as a run's context
    writes it (bench/context.c): the reports read these, never a list
    of their own."""
    scenarios: list         # every scenario, in the program's order
    about: dict             # scenario -> its line
    unit: dict              # scenario -> what its cycles are per
    describe: dict          # scenario -> its paragraph
    designs: list           # in the generator's order
    baseline: str           # the instance differences are taken against
    posted: list            # the instances as posted (is_default)
    contention_pct: float   # a probe over this % above the quietest:
    #                         contended (None: the run has no probe)
    level: str = 'user'     # user or kernel
    old: bool = False       # the run predates these keys: _old_facts()

    @property
    def baseline_design(self):
        return design_of(self.baseline) if self.baseline else ''


_generator = None


def generator():
    """variants/gen-image.py as a module (imported once), or None when
    the tree has none."""
    global _generator
    if _generator is None:
        import importlib.util
        try:
            spec = importlib.util.spec_from_file_location('gen_image',
                                                          GEN_IMAGE)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
        except (OSError, ImportError, SyntaxError):
            mod = False
        _generator = mod
    return _generator or None


def all_designs():
    """Every design of every architecture, in the generator's order
    (its first architecture's, then the others' own): the order of rows,
    and what fixes each design's colour in every plot."""
    gen = generator()
    out = []
    for table in (gen.VARIANTS.values() if gen else ()):
        for variant, _ in table:
            if variant not in out:
                out.append(variant)
    return out


def _words(ctx, prefix):
    n = len(prefix)
    return {k[n:]: str(v) for k, v in ctx.items()
            if k.startswith(prefix) and isinstance(v, str)}


def _old_facts(ctx, rows):
    """The one fallback, for a file written before the program wrote
    its facts (bench/context.c): the designs, their instances as posted
    and the baseline from the generator (variants/gen-image.py) for the
    run's architecture; the scenarios in the order the run registered
    them; the contention bound from the run's own contention_gate
    sentence.  Such a file has no scenario descriptions."""
    gen = generator()
    arch = str(ctx.get('arch', ''))
    table = gen.VARIANTS.get(arch, []) if gen else []
    scen = []
    for r in sorted((r for r in rows if isinstance(r, dict)),
                    key=lambda r: _registered(r, 0)):
        name = r.get('run_name', r.get('name'))
        s = split_name(name)[0] if isinstance(name, str) else ''
        if s and s != 'calibration' and s not in scen:
            scen.append(s)
    m = re.search(r'probe reads over (\d+(?:\.\d+)?)%',
                  str(ctx.get('contention_gate', '')))
    return {'scenarios': scen, 'designs': [v for v, _ in table],
            'baseline': gen.baseline(arch) if table else '',
            'posted': gen.posted(arch) if table else [],
            'contention_pct': float(m.group(1)) if m else None}


def _facts(path, ctx, rows):
    level = str(ctx.get('level') or 'user')
    if level not in LEVELS:
        raise _bad(path, "context level is '%s', want user or kernel: "
                   'the file is damaged; measure again' % level)
    if 'scenario_order' not in ctx:
        return Facts(about={}, unit={}, describe={}, level=level, old=True,
                     **_old_facts(ctx, rows))
    pct = ctx.get('contention_pct_max')
    try:
        pct = None if pct is None else float(pct)
    except (TypeError, ValueError):
        raise _bad(path, "context contention_pct_max is '%s', want a "
                   'number: the file is damaged; measure again' % pct)

    def listed(key, sep):
        return [w.strip() for w in str(ctx.get(key, '')).split(sep)
                if w.strip()]

    return Facts(scenarios=listed('scenario_order', ','),
                 about=_words(ctx, 'scenario_about.'),
                 unit=_words(ctx, 'scenario_unit.'),
                 describe=_words(ctx, 'scenario_describe.'),
                 designs=listed('designs', ','),
                 baseline=str(ctx.get('baseline', '')),
                 posted=listed('as_posted', ' '),
                 contention_pct=pct, level=level)


def _old_shorts(facts, cases):
    """Short names for the cases of a file without variant_short: the
    design for an instance as posted, or for the one instance of its
    design in the run (its knobs may predate the generator's); any
    other instance by its full spec."""
    count = {}
    for spec in {c.spec for c in cases}:
        count[design_of(spec)] = count.get(design_of(spec), 0) + 1
    for c in cases:
        if not c.short:
            c.short = c.design if c.spec in facts.posted or \
                count[c.design] == 1 else c.spec


class ResultsError(Exception):
    """Bad input: str() is one line naming the file."""


@dataclass
class Machine:
    host: str
    arch: str
    core: str
    ident: str          # MIDR (arm64) or the CPU model name (x86)
    kernel: str
    mode: str           # pmu, timer or emulated
    version: str        # trampbench version that measured
    cpu: str
    # what emulated the CPU ("qemu-system TCG, -icount: ..."), or ""; a
    # qemu-system guest has a PMU, so its mode can be pmu
    emulation: str = ''
    # "" or "yes" when the run's cycles can be a core's, "no: why" when
    # its calibration said they cannot (context core_cycles)
    core_cycles: str = ''
    # user, or kernel (trampbench --kernel): not part of key(), a
    # machine's kernel runs are its own, told apart by Run.level
    level: str = 'user'

    def key(self):
        """What must match for two runs to be one machine's."""
        return (self.host, self.arch, self.core, self.ident, self.mode,
                self.emulation)

    def title(self):
        """One line for plot titles and headers."""
        t = '%s %s on %s' % (self.core, self.arch, self.host)
        if self.level == 'kernel':
            t += ', kernel'
        if self.emulated:
            return '%s, %s mode, EMULATED' % (t, self.mode)
        return '%s, %s mode' % (t, self.mode)

    @property
    def emulated(self):
        return self.mode == 'emulated' or bool(self.emulation)

    @property
    def emulator(self):
        """What emulated the run, as its outputs name it ("" for none)."""
        if self.emulation:
            return self.emulation.split(',')[0]
        return 'qemu-user' if self.mode == 'emulated' else ''

    @property
    def icount(self):
        """qemu-system -icount: its cycles count instructions."""
        return 'icount: cycles count instructions' in self.emulation

    @property
    def not_core_cycles(self):
        """Why the run's cycles are no core's, or ""."""
        return self.core_cycles[4:] if self.core_cycles.startswith('no: ') \
            else ''

    def emulated_mark(self):
        """"EMULATED (qemu-system TCG): not a uarch result", or ""."""
        if not self.emulated:
            return ''
        return 'EMULATED (%s): not a uarch result' % self.emulator


@dataclass
class Case:
    scenario: str
    spec: str           # variant spec as the program names it
    params: str         # "" or e.g. "n:4096/order:rr/spacing:packed"
    label: str = ''
    skipped: str = ''   # the reason, when the case could not run here
    reps: list = field(default_factory=list)   # one {counter: value} each
    invalid: str = ''   # why repetitions were left out: a counter read 0
    contended: int = 0  # repetitions left out: the probe flagged them
    # runs (indices, as per_run()'s) where every repetition was
    # contended, and all of them were kept
    all_contended: list = field(default_factory=list)
    # the repetitions run by run (pooled()); None: one run, reps
    by_run: list = None
    # the program's short name of the variant (the row's variant_short,
    # tb_instance_short_name()): what every report prints
    short: str = ''

    @property
    def design(self):
        return design_of(self.spec)

    def param(self, name, default=None):
        """The value of one parameter, e.g. param('n') -> '4096'."""
        for p in self.params.split('/'):
            k, _, v = p.partition(':')
            if k == name and v:
                return v
        return default

    def values(self, counter):
        """Per-repetition values of @counter (absent ones left out), of
        every run."""
        return [r[counter] for r in self.reps if counter in r]

    def per_run(self, counter):
        """The values of @counter run by run: a list per run, in the
        order of the runs pooled (empty where this case has none)."""
        runs = self.by_run if self.by_run is not None else [self.reps]
        return [[r[counter] for r in reps if counter in r]
                for reps in runs]


@dataclass
class Run:
    path: str
    context: dict
    machine: Machine
    cases: list
    roles: dict         # role -> counter name ({} without a PMU)
    facts: Facts = None     # the program's own tables, as it wrote them
    version_note: str = ''
    rows_digest: str = ''   # of the benchmark rows, for identity()

    def counter(self, role):
        """The counter key holding @role ("cycles", "mispredicts",
        "l1i_refill"), or None when this run did not count it."""
        if role == 'cycles':
            return 'cycles'
        return self.roles.get(role)

    def calibration(self):
        return [c for c in self.cases if c.scenario == 'calibration']

    def scenario_cases(self, scenario):
        return [c for c in self.cases if c.scenario == scenario]

    @property
    def group(self):
        """The id of the group of runs this run belongs to, or ""."""
        return str(self.context.get('run_group', '') or '')

    @property
    def index(self):
        """Its place in its group (1 ...), or 0."""
        return _int(self.context.get('run_index'))

    @property
    def count(self):
        """How many runs its group was to have, or 0."""
        return _int(self.context.get('run_count'))

    @property
    def level(self):
        """user, or kernel for a run of trampbench --kernel."""
        return self.facts.level

    def scenarios(self):
        """The scenarios this run has, in the program's order."""
        have = {c.scenario for c in self.cases}
        return scenario_order([self], have)


def scenario_order(runs, have):
    """The scenarios of @have in the order @runs' program gives them
    (calibration left out); any the runs do not list, by name after."""
    order = []
    for r in runs:
        order += [s for s in r.facts.scenarios if s not in order]
    known = [s for s in order if s in have]
    return known + sorted(set(have) - set(order) - {'calibration'})


def design_order(runs=()):
    """The designs in the order every report lists them: the baseline's
    first, then the generator's order (all_designs()), then any other
    design @runs' programs name."""
    out = []
    for r in runs:
        b = r.facts.baseline_design
        if b and b not in out:
            out.append(b)
    for d in all_designs() + [d for r in runs for d in r.facts.designs]:
        if d not in out:
            out.append(d)
    return out


def baseline_of(runs):
    """The instance @runs take their differences against (the first
    run's that names one), or ""."""
    return next((r.facts.baseline for r in runs if r.facts.baseline), '')


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def _bad(path, what):
    return ResultsError('%s: %s' % (path, what))


def _kind(v):
    if v is None:
        return 'null'
    return {bool: 'a boolean', int: 'a number', float: 'a number',
            str: 'a string', list: 'a list', dict: 'an object'}.get(
                type(v), type(v).__name__)


def _read_json(path):
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except FileNotFoundError:
        raise _bad(path, 'no such file')
    except IsADirectoryError:
        raise _bad(path, 'is a folder, not a results file')
    except OSError as e:
        raise _bad(path, 'cannot read: %s' % e.strerror)
    if not raw.strip():
        raise _bad(path, 'empty file: the run did not finish; run again')
    if b'\0' in raw:
        raise _bad(path, 'binary data, not JSON: give a trampbench '
                   'results file (results/*.json)')
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError:
        raise _bad(path, 'not UTF-8 text: give a trampbench results file')
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        end = len(text.rstrip())
        what = 'truncated JSON' if e.pos >= end else 'not valid JSON'
        raise _bad(path, '%s (line %d column %d: %s): rerun, or give '
                   'another file' % (what, e.lineno, e.colno, e.msg))
    except RecursionError:
        raise _bad(path, 'JSON nested too deeply: not a results file')


def _params_text(params):
    """A row's params object as the name prints it: {"n": "64",
    "order": "rr"} -> "n:64/order:rr"; a true flag by its name alone
    ({"tput": true} -> "tput")."""
    out = []
    for k, v in params.items():
        if v is True:
            out.append(k)
        elif v not in (False, None, ''):
            out.append('%s:%s' % (k, v))
    return '/'.join(out)


def _parts(path, i, r, name):
    """(scenario, spec, params) of row @i: the fields the program gives
    every row, else (a file written before them) out of its name."""
    if 'scenario' not in r:
        return split_name(name)
    scenario, spec, params = r.get('scenario'), r.get('variant'), \
        r.get('params', {})
    if not isinstance(scenario, str) or not isinstance(spec, str) or \
            not isinstance(params, dict):
        raise _bad(path, 'benchmark %d (%s): scenario, variant and params '
                   'are %s, %s and %s, want two strings and an object: '
                   'the file is damaged; measure again' %
                   (i, name, _kind(scenario), _kind(spec), _kind(params)))
    return scenario, spec, _params_text(params)


def split_name(name):
    """"sites/cbz:.../n:4/.../iterations:1000/manual_time" ->
    ("sites", "cbz:...", "n:4/...")."""
    parts = [p for p in name.split('/')
             if not p.startswith(GB_SUFFIXES)]
    scenario = parts[0] if parts else ''
    spec = parts[1] if len(parts) > 1 else ''
    return scenario, spec, '/'.join(parts[2:])


def _number(path, i, name, key, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _bad(path, 'benchmark %d (%s): %s is %s, want a number' %
                   (i, name, key, _kind(v)))
    if not math.isfinite(v):
        # Python's json reads NaN and Infinity; no run measures them
        raise _bad(path, 'benchmark %d (%s): %s is %s, not a measurement: '
                   'the file is damaged; measure again' %
                   (i, name, key, _constant(v)))
    return float(v)


def _constant(v):
    return 'NaN' if math.isnan(v) else 'Infinity' if v > 0 else '-Infinity'


def kept_batches(ctx):
    """How many batches each repetition kept, as the run's estimator
    context says ("1000 batches ... the quickest 25% ... kept"), or None
    for a run that does not say."""
    m = re.search(r'(\d+) batches\b.*\bquickest (\d+(?:\.\d+)?)%',
                  str(ctx.get('estimator', '')))
    if not m:
        return None
    return max(1, math.ceil(int(m.group(1)) * float(m.group(2)) / 100))


# How far below zero a row's cycles may read.  cycles is a difference:
# the mean over the kept batches of (2N-call loop - N-call loop) / N, so
# a cost near 0 (calibration/empty by design, inline's NULL path) reads
# either side of 0.  Allowed, summed:
#   RESOLUTION  0.01 cycles, the finest the summary prints;
#   SELECTION   3 cycles_sd: the kept batches are the quickest quarter by
#               total time, and that choice can move their mean; for
#               normal batches the quickest quarter's mean lies 1.27 sd
#               of all batches below theirs, about 2.6 sd of the kept
#               ones (cycles_sd is over the kept batches);
#   CHANCE      4 cycles_sd / sqrt(kept): the mean of the kept batches.
# A row without cycles_sd has RESOLUTION alone; a run that does not say
# how many batches it kept counts as keeping one.  real_time is the same
# difference in ns: the same bound over the row's core_ghz (1 without).
RESOLUTION = 0.01
SELECTION = 3.0
CHANCE = 4.0


def noise_bound(rep, kept):
    """How far below zero @rep's cycles may read, in cycles."""
    sd = rep.get('cycles_sd') or 0.0
    return RESOLUTION + SELECTION * sd + CHANCE * sd / math.sqrt(kept or 1)


# Quantities no noise makes negative: counts, rates, the process's CPU
# time, the spread of the kept batches.
NEVER_NEGATIVE = ('cpu_time', 'iterations', 'repetitions', 'threads',
                  'probe_cycles', 'core_ghz', 'core_ghz_start',
                  'core_ghz_end', 'cycles_sd', 'contention_retries',
                  'redone_batches', 'others_busy', 'steal')


def _check_signs(path, i, name, row, rep, kept):
    """Refuse values of row @i that cannot be: below zero where nothing
    is, or cycles (and real_time) further below it than noise_bound()."""
    for key in NEVER_NEGATIVE:
        v = rep.get(key, row.get(key))
        if isinstance(v, (int, float)) and not isinstance(v, bool) and \
                v < 0:
            raise _bad(path, 'benchmark %d (%s): %s is %g, and it is never '
                       'negative: the file is damaged; measure again' %
                       (i, name, key, v))
    bound = noise_bound(rep, kept)
    ghz = rep.get('core_ghz') or 1.0
    checks = [('cycles', rep.get('cycles'), bound, 'cycles')]
    # cycles_sd is the timer's noise only where the cycles are the
    # timer's: in pmu mode the counters' (exact under qemu's icount)
    # say nothing of the timer's, so real_time is not held to it
    if not str(row.get('label', '')).startswith('pmu'):
        checks.append(('real_time', row.get('real_time'), bound / ghz, 'ns'))
    for key, v, limit, unit in checks:
        if isinstance(v, (int, float)) and v < -limit:
            raise _bad(path, 'benchmark %d (%s): %s is %.4g, below 0 by '
                       'more than its noise allows (%.4g %s, from '
                       'cycles_sd): not a measurement; measure again' %
                       (i, name, key, v, limit, unit))


def _finite_context(path, v, where):
    """Refuse NaN and Infinity anywhere in the context."""
    if isinstance(v, float) and not math.isfinite(v):
        raise _bad(path, 'context %s is %s: the file is damaged; measure '
                   'again' % (where, _constant(v)))
    if isinstance(v, dict):
        for k, x in v.items():
            _finite_context(path, x, '%s.%s' % (where, k) if where else k)
    elif isinstance(v, list):
        for n, x in enumerate(v):
            _finite_context(path, x, '%s[%d]' % (where, n))


def _registered(row, i):
    """Where a benchmark was registered: Google Benchmark's family and
    instance index, else its place in the file."""
    fam, inst = row.get('family_index'), row.get('per_family_instance_index')
    if isinstance(fam, int) and isinstance(inst, int):
        return (0, fam, inst, i)
    return (1, 0, 0, i)


def _machine(path, ctx):
    def s(key, default='?'):
        v = ctx.get(key)
        return str(v) if v not in (None, '') else default

    arch = s('arch')
    ident = s('midr', '') or s('model_name', '')
    return Machine(host=s('host', s('host_name')), arch=arch,
                   core=s('core_name', s('core_type')), ident=ident,
                   kernel=s('kernel'), mode=s('counter_mode'),
                   version=s('trampbench_version'), cpu=s('cpu'),
                   emulation=s('emulation', ''),
                   core_cycles=s('core_cycles', ''),
                   level=s('level', 'user'))


def _roles(path, ctx):
    """event_roles "cycles=CPU_CYCLES,mispredicts=BR_MIS_PRED" -> dict."""
    text = ctx.get('event_roles', '')
    roles = {}
    if not isinstance(text, str):
        raise _bad(path, 'context event_roles is %s, want a string' %
                   _kind(text))
    for item in filter(None, text.split(',')):
        role, eq, counter = item.partition('=')
        if not eq or not role or not counter:
            raise _bad(path, "context event_roles: '%s' is not "
                       "role=counter" % item)
        roles[role.strip()] = counter.strip()
    return roles


def _invalid_why(label):
    """"INVALID: CPU_CYCLES counted 0" out of a row's label."""
    i = label.find('INVALID')
    if i < 0:
        return 'INVALID: a counter counted 0'
    j = label.find(' MISMATCH', i)
    return label[i:j if j > 0 else len(label)].strip()


def load(path):
    """One results file as a Run; ResultsError if it is not one."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise _bad(path, 'JSON of the wrong shape: the top level is %s, '
                   "want an object with 'context' and 'benchmarks'" %
                   _kind(data))
    ctx, rows = data.get('context'), data.get('benchmarks')
    if not isinstance(ctx, dict) or not isinstance(rows, list):
        raise _bad(path, "JSON of the wrong shape: want 'context' an object "
                   "and 'benchmarks' a list (got %s and %s): not Google "
                   "Benchmark's JSON" % (_kind(ctx), _kind(rows)))
    if 'trampbench_version' not in ctx:
        raise _bad(path, 'Google Benchmark JSON, but not from trampbench '
                   '(no trampbench_version in its context): give a '
                   'results file of build/<arch>/trampbench')
    fmt = str(ctx.get('results_format', '0'))
    if fmt not in FORMATS:
        raise _bad(path, 'results format %s from trampbench %s; this report '
                   'reads format %s: report it with the trampbench version '
                   'that wrote it, or measure again' %
                   (fmt, ctx.get('trampbench_version'), FORMAT))
    _finite_context(path, ctx, '')
    facts = _facts(path, ctx, rows)
    roles = _roles(path, ctx)
    kept = kept_batches(ctx)
    cases, order = {}, {}
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise _bad(path, 'benchmark %d is %s, want an object' %
                       (i, _kind(r)))
        name = r.get('run_name', r.get('name'))
        if not isinstance(name, str) or not name:
            raise _bad(path, 'benchmark %d has no name' % i)
        if r.get('run_type', 'iteration') != 'iteration':
            # aggregates: recomputed from the repetitions, so not read
            # (Google Benchmark writes NaN for the cv of a counter that
            # is 0 throughout)
            continue
        for key in ('real_time', 'cpu_time', 'iterations'):
            if key in r:
                _number(path, i, name, key, r[key])
        scenario, spec, params = _parts(path, i, r, name)
        c = cases.get((scenario, spec, params))
        if c is None:
            short = r.get('variant_short')
            c = cases[(scenario, spec, params)] = Case(
                scenario, spec, params,
                short=short if isinstance(short, str) else '')
            order[id(c)] = _registered(r, i)
        label = r.get('label', '')
        c.label = label if isinstance(label, str) else ''
        if r.get('error_occurred') or r.get('skipped'):
            msg = r.get('error_message', r.get('skip_message', ''))
            c.skipped = str(msg or 'skipped')
            continue
        rep = {}
        for key, v in r.items():
            if key in ROW_KEYS:
                continue
            rep[key] = _number(path, i, name, key, v)
        _check_signs(path, i, name, r, rep, kept)
        if rep.get('invalid'):
            # a counter that counted 0 (the label says which): its
            # numbers are no measurement, and no report shows them
            c.invalid = _invalid_why(c.label)
            continue
        c.reps.append(rep)
    if not cases:
        raise _bad(path, 'no benchmarks in it: the run measured nothing')
    machine = _machine(path, ctx)
    _old_shorts(facts, cases.values())
    for c in cases.values():
        if c.invalid and not c.reps and not c.skipped:
            c.skipped = c.invalid
        if not machine.emulated and facts.contention_pct is not None:
            _leave_out_contended(c, facts.contention_pct)
    # registration order, not the order randomly interleaved runs ended
    ordered = sorted(cases.values(), key=lambda c: order[id(c)])
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode())
    run = Run(path=path, context=ctx, machine=machine,
              cases=ordered, roles=roles, facts=facts,
              rows_digest=digest.hexdigest())
    if fmt == '0':
        run.version_note = 'written before results_format 1'
    return run


def contended(rep, bound):
    """Whether the contention probe flagged repetition @rep: read over
    @bound % above the run's quietest (the run's contention_pct_max)."""
    return rep.get('contention_pct', 0.0) > bound


def _leave_out_contended(case, bound):
    """@case's contended repetitions left out, unless all of them are."""
    quiet = [r for r in case.reps if not contended(r, bound)]
    if quiet:
        case.contended = len(case.reps) - len(quiet)
        case.reps = quiet
    elif case.reps:
        case.all_contended = [0]


def load_all(paths):
    """(runs, errors): every good file loaded, one line per bad one."""
    runs, errors = [], []
    for p in paths:
        try:
            runs.append(load(p))
        except ResultsError as e:
            errors.append(str(e))
    return runs, errors


def identity(run):
    """What makes two results files one run: the same host, date,
    trampbench version, place in a group and benchmark rows.  A path
    given twice, a link to a file given too, and a copy of it all have
    it; two runs of one group never do (their run_index differs)."""
    ctx = run.context
    return (str(ctx.get('host', ctx.get('host_name'))), str(ctx.get('date')),
            str(ctx.get('trampbench_version')), run.group, run.index,
            run.rows_digest)


def once(runs):
    """(runs, warnings): @runs with a run given again (identity()) left
    out, and one line for each left out."""
    seen, out, warnings = {}, [], []
    for r in runs:
        first = seen.setdefault(identity(r), r)
        if first is r:
            out.append(r)
        elif first.path == r.path:
            warnings.append('%s: given twice: counted once' % r.path)
        else:
            warnings.append('%s: the same run as %s (host, date, '
                            'trampbench version and rows): counted once'
                            % (r.path, first.path))
    return out, warnings


def by_level(runs):
    """{level: runs} of @runs, user first: a kernel run is a run of its
    own, never pooled with a user one."""
    out = {}
    for lv in LEVELS:
        same = [r for r in runs if r.level == lv]
        if same:
            out[lv] = same
    return out


def one_machine(runs):
    """Split @runs into those of the first run's machine and one error
    line for each run of another machine."""
    if not runs:
        return [], []
    key = runs[0].machine.key()
    same, errors = [], []
    for r in runs:
        if r.machine.key() == key:
            same.append(r)
        else:
            errors.append('%s: another machine (%s) than %s (%s): report '
                          'it on its own, or compare machines with '
                          'report/merge' % (r.path, r.machine.title(),
                                            runs[0].path,
                                            runs[0].machine.title()))
    return same, errors


def pooled(runs):
    """Cases of several runs of one machine, in the first run's order:
    {(scenario, spec, params): Case}, each with the repetitions of every
    run (values()) and run by run (per_run(), a list for each of @runs,
    empty where the case is not in that run)."""
    out = {}
    for i, run in enumerate(runs):
        for c in run.cases:
            k = (c.scenario, c.spec, c.params)
            if k not in out:
                out[k] = Case(c.scenario, c.spec, c.params, c.label,
                              c.skipped, [], c.invalid,
                              by_run=[[] for _ in runs], short=c.short)
            p = out[k]
            p.reps.extend(c.reps)
            p.by_run[i] = list(c.reps)
            p.invalid = p.invalid or c.invalid
            p.contended += c.contended
            if c.all_contended:
                p.all_contended.append(i)
    for c in out.values():
        if c.reps:
            c.skipped = ''      # measured in one run, skipped in another
    return out


def group_key(run):
    """Which runs belong together: the context's run_group, else the
    folder of a file named runN.json (a group written before the key
    existed), else the file itself."""
    if run.group:
        return 'group:' + run.group
    if RUN_FILE.fullmatch(os.path.basename(run.path)):
        return 'folder:' + os.path.dirname(os.path.abspath(run.path))
    return 'file:' + os.path.abspath(run.path)


def describe_runs(runs):
    """One line on what @runs are: how many, and of which group(s)."""
    if len(runs) == 1:
        r = runs[0]
        if r.group and r.count:
            return '1 run (run %d of %d of group %s)' % (r.index, r.count,
                                                        r.group)
        return '1 run'
    groups = {}
    for r in runs:
        groups.setdefault(r.group, []).append(r)
    if list(groups) == ['']:
        return '%d runs' % len(runs)
    parts = []
    for g, rs in groups.items():
        if not g:
            parts.append('%d without a group' % len(rs))
            continue
        count = max(r.count for r in rs)
        idx = sorted(r.index for r in rs)
        parts.append('group %s: runs %s%s' % (
            g, ', '.join(map(str, idx)), ' of %d' % count if count else ''))
    return '%d runs (%s)' % (len(runs), '; '.join(parts))


def report_name(run):
    """The name of a run's report folder: its results file's stem, or
    for runN.json (a run of a group), its folder's name."""
    if RUN_FILE.fullmatch(os.path.basename(run.path)):
        folder = os.path.basename(os.path.dirname(os.path.abspath(run.path)))
        if folder:
            return folder
    return os.path.splitext(os.path.basename(run.path))[0]


def load_model(path):
    """A model file of make model (scripts/model.py) as a dict."""
    try:
        with open(path) as f:
            m = json.load(f)
    except OSError as e:
        raise _bad(path, 'cannot read the model: %s' % e.strerror)
    except ValueError as e:
        raise _bad(path, 'not a model file (%s): make model writes one' % e)
    if not isinstance(m, dict) or m.get('kind') != 'trampbench-model' or \
            not isinstance(m.get('cores'), dict):
        raise _bad(path, 'not a trampbench model file: make model writes '
                   'one')
    return m


def newest_model(top=None):
    """The newest results/model-*.json of the tree, or None."""
    top = top or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              '..')
    found = sorted(glob.glob(os.path.join(top, 'results', 'model-*.json')),
                   key=os.path.getmtime)
    return found[-1] if found else None


def given_or_newest_model(path):
    """The model file @path, else the tree's newest; None without one."""
    path = path or newest_model()
    return load_model(path) if path else None
