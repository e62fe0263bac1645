# SPDX-License-Identifier: GPL-2.0
"""Every fact in one place: no file of report/ or scripts/ lists the
scenarios or the designs by hand, the reports take them from the runs'
context (bench/context.c writes them), and a kernel run (trampbench
--kernel, context level: kernel) is a run of its own.

The kernel runs here are made by editing a copy of a fixture run's
context and names in the test (tests/fixtures/results/ has no kernel
run yet): level kernel, 'kernel' in each row's name and the file's."""

import ast
import glob
import importlib.machinery
import importlib.util
import json
import os
import re

import results
import summary
from conftest import REPORT, TOP, fixture

_loader = importlib.machinery.SourceFileLoader(
    'merge_mod', os.path.join(REPORT, 'merge'))
merge_mod = importlib.util.module_from_spec(
    importlib.util.spec_from_loader('merge_mod', _loader))
_loader.exec_module(merge_mod)

# The scenarios: one file each in bench/scenarios/ (the table's
# entries); the designs: the generator's (variants/gen-image.py).
SCENARIOS = {os.path.splitext(os.path.basename(p))[0]
             for p in glob.glob(os.path.join(TOP, 'bench', 'scenarios',
                                             '*.c'))
             if '.about' in open(p).read()}
DESIGNS = set(results.all_designs())
# A line may say a literal is how something is drawn, not a list of
# facts (plots.py's own plots and units per scenario).
EXEMPT = '# facts: how drawn'


def python_files():
    """report/ and scripts/: the .py files and the Python scripts
    without the suffix (report/merge, report/compare)."""
    out = []
    for folder in ('report', 'scripts'):
        for p in sorted(glob.glob(os.path.join(TOP, folder, '*'))):
            if not os.path.isfile(p):
                continue
            with open(p, errors='replace') as f:
                first = f.readline()
            if p.endswith('.py') or 'python' in first:
                out.append(p)
    return out


def _names(node):
    """The string constants of a literal's elements (a dict's keys)."""
    elts = node.keys if isinstance(node, ast.Dict) else node.elts
    return [e.value for e in elts if isinstance(e, ast.Constant) and
            isinstance(e.value, str)]


def hand_lists(text, where='<text>'):
    """[(where:line, what)] for each literal of @text (Python source)
    that holds two or more scenario names or two or more design names:
    a list, tuple, set or a dict's keys, or a string that is nothing
    but such names and separators ("hot,null")."""
    tree = ast.parse(text)
    lines = text.splitlines()
    docs = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and \
                n.body and isinstance(n.body[0], ast.Expr) and \
                isinstance(n.body[0].value, ast.Constant):
            docs.add(id(n.body[0].value))
    found = []
    for n in ast.walk(tree):
        if isinstance(n, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            words = _names(n)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and \
                id(n) not in docs and \
                re.fullmatch(r'\s*\w+(?:[\s,/]+\w+)+\s*', n.value):
            words = re.split(r'[\s,/]+', n.value.strip())
        else:
            continue
        if EXEMPT in lines[n.lineno - 1]:
            continue
        for kind, known in (('scenarios', SCENARIOS),
                            ('designs', DESIGNS)):
            hit = sorted(set(words) & known)
            if len(hit) >= 2:
                found.append(('%s:%d' % (where, n.lineno),
                              '%s %s' % (kind, ', '.join(hit))))
    return found


def test_the_facts_are_known():
    """The check below has something to look for."""
    assert {'hot', 'sites', 'update', 'cold'} <= SCENARIOS
    assert {'cbz', 'tail', 'indirect', 'inline'} <= DESIGNS


def test_the_check_finds_a_hand_list():
    """Each kind of hand-written list is found (and prose is not)."""
    assert hand_lists("ORDER = ('hot', 'null', 'ret0')\n")
    assert hand_lists("D = ['cbz', 'tail']\n")
    assert hand_lists("C = {'cbz': 1, 'jmp': 2}\n")
    assert hand_lists("S = 'hot,null,sites'.split(',')\n")
    assert not hand_lists('"""hot, null and sites are scenarios"""\n')
    assert not hand_lists("ONE = ('cbz',)\nX = ['hot', 'lat']\n")
    assert not hand_lists("U = {'sites': 1,  # facts: how drawn\n"
                          "     'flip': 2}\n")


def test_no_file_lists_the_scenarios_or_designs():
    files = python_files()
    assert any(p.endswith('report/merge') for p in files)
    assert any(p.endswith('scripts/model.py') for p in files)
    found = []
    for p in files:
        with open(p) as f:
            found += hand_lists(f.read(), os.path.relpath(p, TOP))
    assert not found, 'listed by hand (take them from the run\'s ' \
        'context or the generator): %s' % found


# ---------------------------------------------------- from the context

def _with_facts(data):
    """@data (a fixture run's JSON) as the program writes it now: its
    facts in the context (bench/context.c's keys) and each row's parts
    as fields, both made here, with words no report holds."""
    ctx = data['context']
    ctx['scenario_order'] = 'cold,update,flip,sites,far,ret0,null,hot'
    for s in ctx['scenario_order'].split(','):
        ctx['scenario_about.' + s] = 'about %s' % s
        ctx['scenario_unit.' + s] = 'units of %s from the context' % s
        ctx['scenario_describe.' + s] = \
            'the %s paragraph of the context' % s
    ctx['designs'] = 'jmp,cbz,tail,indirect,inline'
    ctx['baseline'] = 'tail:pad=on,align=16,lit=rodata,null=ret0'
    ctx['as_posted'] = ' '.join(
        ['jmp:pad=off,align=4', 'cbz:pad=on,align=8,lit=rodata',
         ctx['baseline'], 'indirect:kcfi=off,null=nop,retpoline=off',
         'inline'])
    ctx['contention_pct_max'] = '1'
    for r in data['benchmarks']:
        scenario, spec, params = results.split_name(r['name'])
        r['scenario'], r['variant'] = scenario, spec
        r['variant_short'] = 'v-' + results.design_of(spec)
        r['params'] = {k: v or True for k, _, v in
                       (p.partition(':') for p in params.split('/') if p)}
    return data


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_the_summary_says_what_the_context_says(tmp_path):
    with open(fixture('native-quick.json')) as f:
        data = _with_facts(json.load(f))
    run = results.load(_write(tmp_path, 'facts.json', data))
    assert not run.facts.old
    text = summary.summary_text([run])
    lines = text.splitlines()
    order = [a for a, b in zip(lines, lines[1:])
             if a in SCENARIOS and b == '=' * len(a)]
    assert order == data['context']['scenario_order'].split(',')
    assert 'unit: units of update from the context' in text
    assert 'the sites paragraph of the context' in text
    # the baseline is the context's (tail here), named as the rows name it
    assert re.search(r'^v-tail +\S+ +\S+ +\S+ +base$', text, re.M)
    assert 'vs tail' in text and 'vs cbz' not in text
    assert not re.search(r'^(cbz|jmp|inline) ', text, re.M)


def test_an_old_file_takes_the_generators_facts(native):
    """A file before the context's facts: the generator's baseline and
    instances as posted, named by design, and no words of its own."""
    run = results.load(native)
    gen = results.generator()
    assert run.facts.old and run.facts.baseline == gen.baseline('x86')
    assert run.facts.posted == gen.posted('x86')
    hot = {c.spec: c.short for c in run.cases if c.scenario == 'hot'}
    assert all(short == results.design_of(spec) for spec, short in
               hot.items())
    text = summary.summary_text([run])
    assert 'unit: not recorded in this file' in text


# ------------------------------------------------------- kernel runs

def _kernel_copy(tmp_path, name='native-quick.json',
                 as_name='vm-amd-zen-5-kernel-20261205.json'):
    """A kernel run made of a copy of fixture @name: context level
    kernel, 'kernel' in every row's name and in the file's."""
    with open(fixture(name)) as f:
        data = _with_facts(json.load(f))
    data['context']['level'] = 'kernel'
    for r in data['benchmarks']:
        for key in ('name', 'run_name'):
            if key in r:
                r[key] = 'kernel/' + r[key]
    return _write(tmp_path, as_name, data)


def _user_copy(tmp_path, name='native-quick.json',
               as_name='vm-amd-zen-5-20261205.json'):
    with open(fixture(name)) as f:
        data = _with_facts(json.load(f))
    return _write(tmp_path, as_name, data)


def test_a_kernel_run_is_read_by_its_fields(tmp_path):
    k = results.load(_kernel_copy(tmp_path))
    u = results.load(_user_copy(tmp_path))
    assert k.level == 'kernel' and u.level == 'user'
    assert [(c.scenario, c.spec, c.params) for c in k.cases] == \
        [(c.scenario, c.spec, c.params) for c in u.cases]
    assert results.one_machine([u, k])[0] == [u, k]
    assert results.by_level([k, u]) == {'user': [u], 'kernel': [k]}


def test_summary_puts_kernel_beside_user(tmp_path):
    u = results.load(_user_copy(tmp_path))
    k = results.load(_kernel_copy(tmp_path))
    alone = summary.summary_text([u])
    both = summary.summary_text([u, k])
    # the user part is the user run's summary, untouched by the kernel's
    assert both.startswith(alone)
    rest = both[len(alone):]
    assert rest.startswith('\n' + '#' * summary.WIDTH + '\nkernel: ')
    assert re.search(r'^trampbench results: .*, kernel$', rest, re.M)
    # its numbers are the kernel run's alone: the same run once, not two
    assert 'reps:     5 per benchmark\n' in rest
    assert 'runs:     1 run' in rest
    assert '1 run' in alone and '2 runs' not in both
    # a copy of the user run: its tables read the same, once each
    tables = alone[alone.index('\nPer scenario.'):]
    assert rest.endswith(tables) and rest.count('\nPer scenario.') == 1


def test_merge_takes_kernel_runs_as_their_own(tmp_path):
    """A group of three user runs and three kernel runs of the same
    group id (one make report measuring both): two columns of three."""
    runs = []
    for level, copy in (('user', _user_copy), ('kernel', _kernel_copy)):
        for i in (1, 2, 3):
            runs.append(results.load(copy(
                tmp_path, 'group-quick/run%d.json' % i,
                '%s-run%d.json' % (level, i))))
    cols, rows = merge_mod.merge(runs)
    assert [c['level'] for c in cols] == ['user', 'kernel']
    assert cols[1]['runs'] == cols[0]['runs'] == 3
    assert '[kernel]' in cols[1]['label']
    body = merge_mod.text(cols, rows)
    assert 'kernel level' in body and '[1] kernel' in body
    # each column's cells are its own runs': the same numbers twice
    for r in rows:
        assert r['values'].get(0) == r['values'].get(1)
