#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the code image: every static-call variant as real assembly.

The sequences themselves live in variants/<arch>/variants.S.inc as GNU as
macros; this script only instantiates them: one instance per (variant,
knob combination), each with a few static calls ("keys"), their call
sites, C-callable wrappers, unrolled benchmark loops, and the descriptor
tables the C side (variants/registry.c) reads.  Each instance has two
bench keys, throughput and latency, with their loops generated at every
site shift (the hot scenario), and a scenario key with the loop shapes
the other scenarios find by name (struct tb_image_shape: "call", "cond",
"cold"; "sites" for the designs as posted).  The knob matrix below is the
single list of what exists; C learns it from the descriptors, whose
layouts (DESC) are written here once: --header emits their C side,
image_desc.h.

    gen-image.py --arch ARCH -o variants.S
    gen-image.py --header -o image_desc.h
"""

import argparse
import itertools
import random
import sys

ALIGN = ['8', '16', '32', '64']
PAD = ['on', 'off']
LIT = ['rodata', 'adjacent']
ONOFF = ['off', 'on']

# variant -> [(knob, values)], first value of each knob is the default
# unless DEFAULTS says otherwise.  Order of knobs is the canonical order.
VARIANTS = {
    'arm64': [
        ('cbz', [('pad', PAD), ('align', ALIGN), ('lit', LIT)]),
        ('tail', [('pad', PAD), ('align', ALIGN), ('lit', LIT),
                  ('null', ['ret0', 'nop'])]),
        ('direct', [('pad', PAD), ('align', ALIGN), ('null', ['ret', 'lit'])]),
        ('indirect', [('kcfi', ONOFF), ('null', ['nop', 'test'])]),
        ('inline', []),
    ],
    'x86': [
        ('jmp', [('pad', PAD), ('align', ['4'] + ALIGN)]),
        ('cbz', [('pad', PAD), ('align', ALIGN), ('lit', LIT)]),
        ('tail', [('pad', PAD), ('align', ALIGN), ('lit', LIT),
                  ('null', ['ret0', 'nop'])]),
        ('indirect', [('kcfi', ONOFF), ('null', ['nop', 'test']),
                      ('retpoline', ONOFF)]),
        ('inline', []),
    ],
}

# Defaults are the designs as posted: v7 `.align 3`; the merged version
# `.align 4`; v6 keeps literal, bti and slot in one 16-byte block; x86's
# own trampoline is ARCH_DEFINE_STATIC_CALL_TRAMP: `.align 4` (bytes, on
# x86) and no endbr64 (ANNOTATE_NOENDBR: only ever called directly).
DEFAULTS = {
    ('arm64', 'tail'): {'align': '16'},
    ('arm64', 'direct'): {'align': '16'},
    ('x86', 'tail'): {'align': '16'},
    ('x86', 'jmp'): {'pad': 'off', 'align': '4'},
}

# The baseline: the design every difference is taken against, as posted
# (the v7 patch's cbz, "arm64: implement support for static call
# trampolines", March 2026; x86 runs the same sequence).  Its instance is
# marked is_baseline in the image; C finds it with tb_baseline_instance().
BASELINE = 'cbz'

# How a key starts out: enum tb_key_init of the descriptors' header.
INITS = [('TARGET', None), ('NULL', None), ('RET0', None),
         ('LITPATH', 'direct: target reached through the literal')]
INIT_TARGET, INIT_NULL, INIT_RET0, INIT_LITPATH = range(len(INITS))
# Key flags: TB_KEY_<name>.
KEY_FLAGS = [('BENCH', 'key has the unrolled benchmark loops'),
             ('LAT', 'bench key calling tb_lat_target, calls chained'),
             ('SCN', 'the scenario key: scenarios set its state up')]
KEY_BENCH, KEY_LAT, KEY_SCN = (1 << i for i in range(len(KEY_FLAGS)))
UNROLL = 16            # loop1 has UNROLL sites, loop2 twice as many
# Every bench loop is generated with its body (first call site) this many
# bytes after a 64-byte boundary (TB_SITE_SHIFT_MAX and _STEP).
SHIFTS = range(0, 64, 4)
N_CHECK_TARGETS = 4
# The sites shape (for the designs as posted): N = 1, 2, 4 ... SITES_MAX.
SITES_MAX = 4096
SITES_N = [1 << i for i in range(SITES_MAX.bit_length())]
SPACINGS = ['packed', 'line']
ORDERS = ['rr', 'random']
# The cold scenario's predictor walk (TB_PWALK, run before every cold
# sample): taken direct branches, indirect branch sites (each taken to two
# targets) and nested calls, each past the largest BTB, indirect target
# array and return stack of the fleet (the figures are in docs/cold.md).
PWALK_DIRECT = 32768
PWALK_INDIRECT = 4096
PWALK_DEPTH = 256

# The instruction kinds (TB_INSN_<op>) for patched slots and sites.
SLOT_OPS = {
    # arch, variant: {init: (op, symbol)}
    ('arm64', 'direct'): {INIT_TARGET: 'b', INIT_NULL: 'ret',
                          INIT_RET0: 'b', INIT_LITPATH: 'nop'},
    ('arm64', 'inline'): {INIT_TARGET: 'bl', INIT_NULL: 'nop',
                          INIT_RET0: 'ret0'},
    ('x86', 'jmp'): {INIT_TARGET: 'jmp', INIT_NULL: 'ret', INIT_RET0: 'jmp'},
    ('x86', 'inline'): {INIT_TARGET: 'call', INIT_NULL: 'nop',
                        INIT_RET0: 'ret0'},
}

RET0 = '__static_call_return0'
NOP = '__static_call_nop'

# The descriptors' layouts, the one place they are written: the image's
# tables are emitted in this order and image_desc.h (--header) declares
# them from it.  Every field is an int64_t: a self-relative pointer
# ('ptr', ".quad sym - .", 0 for none) or a number ('num'); the header
# starts with two char[8], its magic and architecture.
MAGIC = 'TBIMG01'
DESC = [
    ('tb_image_header', 'The image, at its first byte.', [
        ('text_end', 'ptr', None), ('rodata_end', 'ptr', None),
        ('image_end', 'ptr', None),
        ('instances', 'ptr', 'struct tb_image_instance[ninstances]'),
        ('ninstances', 'num', None),
        ('targets', 'ptr', 'the check targets: int64_t[ntargets]'),
        ('ntargets', 'num', None),
        ('hits', 'ptr', 'their calls: uint64_t[ntargets + 1]'),
        ('ret0', 'ptr', RET0), ('nop', 'ptr', NOP),
        ('bench_target', 'ptr', None), ('lat_target', 'ptr', None),
        ('badtype_target', 'ptr', 'a check target with a wrong kCFI id'),
        ('probe', 'ptr', None), ('nopad_probe', 'ptr', None),
        ('init', 'ptr', 'the pointers to make: (where, what) pairs'),
        ('init_size', 'num', 'their bytes'),
        ('bench_target_b', 'ptr', 'a second bench target, for flips'),
        ('pwalk', 'ptr', 'cold: the predictor walk, void f(void)'),
        ('cold_evict', 'ptr', 'cold: the eviction by address, void f(const '
         'u64 *lines,\nu64 nwarm, u64 ndata, u64 ncode)'),
        ('pwalk_direct', 'num', "the walk's taken direct branches"),
        ('pwalk_indirect', 'num', 'its indirect sites'),
        ('pwalk_depth', 'num', 'its call depth'),
    ]),
    ('tb_image_instance', 'An instance: a variant at one knob setting.', [
        ('name', 'ptr', 'its spec, every knob spelled out'),
        ('variant', 'ptr', None),
        ('keys', 'ptr', 'struct tb_image_key[nkeys]'), ('nkeys', 'num', None),
        ('is_default', 'num', 'the design as posted'),
        ('is_baseline', 'num', 'the instance differences are taken against'),
        ('shapes', 'ptr', 'struct tb_image_shape[nshapes]'),
        ('nshapes', 'num', None),
    ]),
    ('tb_image_shape',
     'A loop pair generated for the scenarios, found by name and parameters\n'
     '(e.g. "sites", "n:64/order:rr/spacing:packed"): `one` makes `items`\n'
     'calls per pass and `two` twice as many, or (cold) `one` is the control\n'
     'sample and `two` the call sample (or, params "control", a second\n'
     'control): functions `u64 f(void)` returning the ticks of their site.', [
         ('name', 'ptr', 'a string'), ('params', 'ptr', 'a string'),
         ('key', 'num', 'index of the key its sites call; -1: many'),
         ('shift', 'num', 'bytes from a 64-byte boundary to site1'),
         ('one', 'ptr', None),
         ('two', 'ptr', 'none: one at twice the passes'),
         ('site1', 'ptr', "the first call site of one (two's for cold)"),
         ('items', 'num', None),
     ]),
    ('tb_image_key', 'A static call of an instance.', [
        ('init', 'num', 'enum tb_key_init'), ('flags', 'num', 'TB_KEY_*'),
        ('tramp', 'ptr', None), ('lit', 'ptr', None), ('slot', 'ptr', None),
        ('call', 'ptr', None), ('cond', 'ptr', None),
        ('loops', 'ptr', 'bench keys: struct tb_image_loop[nloops]'),
        ('nloops', 'num', None), ('unroll', 'num', None),
        ('sites', 'ptr', 'inline: every call site, int64_t[nsites]'),
        ('nsites', 'num', None),
    ]),
    ('tb_image_loop',
     "A bench key's loop pair at one site shift; nloops of them, ascending.",
     [('shift', 'num', 'bytes from a 64-byte boundary to the body'),
      ('loop1', 'ptr', 'unroll sites a pass'),
      ('loop2', 'ptr', '2 * unroll sites a pass'),
      ('site1', 'ptr', 'the first call site (body start) of loop1'),
      ('site2', 'ptr', '... of loop2')]),
]


def desc_row(struct, **values):
    """The .quad lines of one @struct, its fields in the schema's order:
    a symbol (or None) for a pointer, an int or an expression for a
    number."""
    fields = next(f for n, _, f in DESC if n == struct)
    assert set(values) == {f for f, _, _ in fields}, struct
    out = []
    for field, kind, _ in fields:
        v = values[field]
        out.append(rel(v) if kind == 'ptr' else '\t.quad %s' % (v,))
    return out


def header():
    """image_desc.h: the descriptors' C side, from DESC and the constants."""
    def comment(text, indent=''):
        lines = text.split('\n')
        if len(lines) == 1 and 8 * len(indent) + len(text) < 74:
            return ['%s/* %s */' % (indent, text)]
        return (['%s/*' % indent] + ['%s * %s' % (indent, t) for t in lines]
                + ['%s */' % indent])

    out = ['/* Generated by variants/gen-image.py --header: edit that. */',
           '/*',
           " * The code image's descriptors, as gen-image.py emits them: what",
           ' * the registry (registry.h) reads, wherever the image is (mapped',
           ' * by image.c in user space, or linked into a module).  Pointers',
           ' * are self-relative (".quad sym - .") so they hold wherever the',
           ' * image lives; tb_rel() turns one into an address.',
           ' */', '#ifndef TB_IMAGE_DESC_H', '#define TB_IMAGE_DESC_H', '',
           '#include <stddef.h>', '#include <stdint.h>', '',
           '#define TB_IMAGE_MAGIC "%s"' % MAGIC, '']
    for name, about, fields in DESC:
        out += comment(about)
        out.append('struct %s {' % name)
        if name == 'tb_image_header':
            out += ['\tchar magic[8];', '\tchar arch[8];']
        for field, _, note in fields:
            decl = 'int64_t %s;' % field
            # the comment after it where it fits, else above it
            if note and '\n' not in note and \
                    8 + len(decl) + len(note) + 7 <= 80:
                out.append('\t%s /* %s */' % (decl, note))
            elif note:
                out += comment(note, '\t') + ['\t' + decl]
            else:
                out.append('\t' + decl)
        out += ['};', '']
    out.append('/* How a key starts out. */')
    out.append('enum tb_key_init {')
    for init, note in INITS:
        out.append('\tTB_INIT_%s,%s' % (init, ' /* %s */' % note if note
                                          else ''))
    out += ['};', '']
    for i, (flag, note) in enumerate(KEY_FLAGS):
        out.append('#define TB_KEY_%s %d /* %s */' % (flag, 1 << i, note))
    out += ['',
            '/* Bench loops are generated with the body at these offsets '
            'mod 64. */',
            '#define TB_SITE_SHIFT_MAX %d' % SHIFTS[-1],
            '#define TB_SITE_SHIFT_STEP %d' % SHIFTS.step,
            '/* The sites shape: N = 1, 2, 4 ... TB_SITES_MAX. */',
            '#define TB_SITES_MAX %d' % SITES_MAX, '',
            'static inline void *tb_rel(const int64_t *field)', '{',
            '\treturn *field ? (char *)field + *field : NULL;', '}', '',
            '#endif', '']
    return '\n'.join(out)


class Image:
    def __init__(self, arch):
        self.arch = arch
        self.out = []
        self.desc = []      # .tb.desc lines (instance and key tables)
        self.strs = []      # .tb.str lines
        self.strings = {}   # string -> its label
        self.nstr = 0

    def emit(self, line=''):
        self.out.append(line)

    def string(self, s):
        if s in self.strings:
            return self.strings[s]
        label = 'tb_str_%d' % self.nstr
        self.strings[s] = label
        self.nstr += 1
        self.strs.append('%s:\t.asciz "%s"' % (label, s))
        return label


def rel(sym):
    """A self-relative pointer: valid wherever the image is mapped."""
    return '\t.quad %s - .' % sym if sym else '\t.quad 0'


def instances(arch):
    for variant, knobs in VARIANTS[arch]:
        names = [k for k, _ in knobs]
        for combo in itertools.product(*[v for _, v in knobs]):
            yield variant, dict(zip(names, combo)), names


def default_knobs(arch, variant, knobs):
    d = {k: v[0] for k, v in knobs}
    d.update(DEFAULTS.get((arch, variant), {}))
    return d


def spec_of(variant, knobs, order):
    """The canonical spec: "cbz:pad=on,align=8,lit=rodata"."""
    return variant + (':' + ','.join('%s=%s' % (k, knobs[k]) for k in order)
                      if order else '')


def posted(arch):
    """The spec of each design as posted, in the table's order."""
    return [spec_of(v, default_knobs(arch, v, k), [n for n, _ in k])
            for v, k in VARIANTS[arch]]


def baseline(arch):
    """The baseline instance's spec ("cbz:pad=on,align=8,lit=rodata")."""
    return next(p for p in posted(arch) if p.split(':')[0] == BASELINE)


def key_inits(arch, variant):
    inits = [INIT_TARGET, INIT_NULL, INIT_RET0]
    if (arch, variant) == ('arm64', 'direct'):
        inits.append(INIT_LITPATH)
    return inits


def initial(arch, variant, knobs, init, target):
    """Literal value and slot/site instruction a key starts with."""
    null = knobs.get('null')
    if init == INIT_NULL:
        # The designs that never hold NULL point at a function instead.
        lit = {('tail', 'nop'): NOP, ('tail', 'ret0'): RET0,
               ('indirect', 'nop'): NOP}.get((variant, null), '0')
    elif init == INIT_RET0:
        lit = RET0
    else:
        lit = target
    if variant == 'inline':
        lit = '0'
    ops = SLOT_OPS.get((arch, variant))
    if ops is None:
        return lit, 'nop', '0'
    op = ops[init]
    if init == INIT_NULL and null == 'lit':
        op = 'nop'      # direct:null=lit: slot nop, literal 0, cbz taken
    sym = {INIT_TARGET: target, INIT_RET0: RET0}.get(init, '0')
    return lit, op, sym


def instance_tag(variant, knobs, order):
    short = {'pad': lambda v: 'pad' if v == 'on' else 'nopad',
             'align': lambda v: 'a' + v,
             'kcfi': lambda v: 'kcfi' if v == 'on' else 'nokcfi',
             'null': lambda v: 'null' + v,
             'retpoline': lambda v: 'rp' if v == 'on' else 'norp'}
    return '_'.join([variant] + [short.get(k, lambda v: v)(knobs[k])
                                 for k in order])


class Key:
    """One static call of an instance: its trampoline and its sites."""

    def __init__(self, img, inst, name, init, flags, target, align=None):
        self.img, self.inst, self.name = img, inst, name
        self.init, self.flags = init, flags
        self.sites = []
        v, k = inst.variant, inst.knobs
        self.litval, self.op, self.sym = initial(img.arch, v, k, init, target)
        img.emit('\tTB_TRAMP_%s %s, %s, %s, %s, %s, %s, %s, %s' % (
            v, name, k.get('pad', 'on'), align or k.get('align', '8'),
            k.get('lit', 'rodata'), k.get('null', 'ret0'), self.litval,
            self.op, self.sym))

    def site(self, cond):
        """Arguments of a TB_SITE_<variant>: a new, labelled call site."""
        k = self.inst.knobs
        # Only indirect tests at the site, and only with null=test; the
        # kernel's generic static_call_cond() calls __static_call_nop.
        if self.inst.variant == 'indirect' and k.get('null') != 'test':
            cond = 0
        label = '.L%s_s%d' % (self.name, len(self.sites))
        self.sites.append(label)
        return '%s, %s, %s, %s, %s, %s, %s' % (
            self.name, label, cond, k.get('kcfi', 'off'), self.op, self.sym,
            k.get('retpoline', 'off'))


class Instance:
    def __init__(self, arch, variant, knobs, order):
        self.variant, self.knobs, self.order = variant, knobs, order
        self.tag = instance_tag(variant, knobs, order)
        self.spec = spec_of(variant, knobs, order)
        self.has_tramp = variant not in ('indirect', 'inline')
        self.has_lit = variant not in ('inline', 'jmp')
        self.has_slot = (arch, variant) in SLOT_OPS and variant != 'inline'


def emit_loop(img, name, shift, lat, calls):
    """A loop `u64 f(passes, x)` over the given site argument strings."""
    img.emit('\tTB_LOOP_HEAD %s, %d, %d' % (name, shift, lat))
    for variant, args in calls:
        img.emit('\tTB_LOOP_SITE %d, %s, %s' % (lat, variant, args))
    img.emit('\tTB_LOOP_TAIL %s' % name)


def shape_row(name, params, key, shift, one, two, site1, items):
    """struct tb_image_shape: two None is one at twice the passes."""
    return desc_row('tb_image_shape', name=name, params=params, key=key,
                    shift=shift, one=one, two=two, site1=site1, items=items)


def gen_sites(img, inst, shapes):
    """The sites shape: N distinct static calls, each with its own
    trampoline, literal and call site, for N = 1, 2, 4 ... SITES_MAX;
    trampolines packed as in .static_call.text (at the instance's
    alignment) or one per 64-byte line; called round-robin or in a random
    but fixed order.  The N of a loop are always the first N keys, so a
    loop's working set is compact whatever the order."""
    v = inst.variant
    # Without trampolines (indirect, inline) there is nothing to space.
    for spacing in SPACINGS if inst.has_tramp else SPACINGS[:1]:
        align = '64' if spacing == 'line' else None
        img.emit('/* %s: sites, %s */' % (inst.spec, spacing))
        keys = [Key(img, inst, 'tb_%s_%s%d' % (inst.tag, spacing, i),
                    INIT_TARGET, 0, 'tb_bench_target', align)
                for i in range(SITES_MAX)]
        for order in ORDERS:
            for n in SITES_N:
                seq = list(range(n))
                if order == 'random':
                    random.Random(n).shuffle(seq)
                name = 'tb_%s_sites_%s_%s_n%d' % (inst.tag, spacing, order, n)
                emit_loop(img, name, 0, 0,
                          [(v, keys[i].site(0)) for i in seq])
                # no loop two: loop one at twice the passes, so the
                # difference is whole passes (N calls and the loop's
                # branch), through the same code
                shapes.append(shape_row(
                    img.string('sites'),
                    img.string('n:%d/order:%s/spacing:%s' % (n, order,
                                                              spacing)),
                    -1, 0, name, None, name + '_body', n))


def gen_instance(img, idx, variant, knobs, order, is_default, is_baseline):
    arch = img.arch
    inst = Instance(arch, variant, knobs, order)
    keys, shapes = [], []
    inits = [(i, 0) for i in key_inits(arch, variant)]
    # tb_key() finds the throughput key as the first bench key.
    inits.append((INIT_TARGET, KEY_BENCH))
    inits.append((INIT_TARGET, KEY_BENCH | KEY_LAT))
    inits.append((INIT_TARGET, KEY_SCN))
    for k, (init, flags) in enumerate(inits):
        name = 'tb_%s_k%d' % (inst.tag, k)
        lat = 1 if flags & KEY_LAT else 0
        target = 'tb_target_0'
        if flags & (KEY_BENCH | KEY_SCN):
            target = 'tb_lat_target' if lat else 'tb_bench_target'
        img.emit('/* %s, key %d */' % (inst.spec, k))
        key = Key(img, inst, name, init, flags, target)
        img.emit('\tTB_WRAPPER %s_call, %s, %s' % (name, variant,
                                                    key.site(0)))
        img.emit('\tTB_WRAPPER %s_cond, %s, %s' % (name, variant,
                                                    key.site(1)))
        loops = []
        for shift in (SHIFTS if flags & KEY_BENCH else []):
            names = []
            for unroll in (UNROLL, 2 * UNROLL):
                lname = '%s_loop%d_s%d' % (name, unroll, shift)
                names.append(lname)
                emit_loop(img, lname, shift, lat,
                          [(variant, key.site(0)) for _ in range(unroll)])
            loops.append((shift, names))
        if flags & KEY_SCN:
            # The scenario key's shapes: plain and conditional sites, and
            # the cold samples: one call between two timer reads, and two
            # controls, the same with the site's bytes as nops.
            for shape, cond in (('call', 0), ('cond', 1)):
                names = []
                for unroll in (UNROLL, 2 * UNROLL):
                    lname = '%s_%s%d' % (name, shape, unroll)
                    names.append(lname)
                    emit_loop(img, lname, 0, 0,
                              [(variant, key.site(cond))
                               for _ in range(unroll)])
                shapes.append(shape_row(img.string(shape), img.string(''),
                                        k, 0, names[0], names[1],
                                        names[0] + '_body', UNROLL))
            call, ctrl, ctrl2 = (name + '_cold_' + k
                                 for k in ('call', 'ctrl', 'ctrl2'))
            img.emit('\tTB_COLD_STUB %s, call, none, %s, %s' % (
                call, variant, key.site(0)))
            for stub in (ctrl, ctrl2):
                img.emit('\tTB_COLD_STUB %s, nop, %s, %s' % (stub, call,
                                                            variant))
            # one: the control; two: the call (or the second control)
            shapes.append(shape_row(img.string('cold'), img.string(''), k,
                                    0, ctrl, call, call + '_site', 1))
            shapes.append(shape_row(img.string('cold'),
                                    img.string('control'), k, 0, ctrl,
                                    ctrl2, ctrl2 + '_site', 1))
        # Only inline patches its sites; the others need no site table.
        patched = key.sites if variant == 'inline' else []
        img.desc.append('%s_sites:' % name)
        img.desc += [rel(s) for s in patched]
        img.desc.append('%s_loops:' % name)
        for shift, (one, two) in loops:
            img.desc += desc_row('tb_image_loop', shift=shift, loop1=one,
                                 loop2=two, site1=one + '_body',
                                 site2=two + '_body')
        keys.append(desc_row(
            'tb_image_key', init=init, flags=flags,
            tramp=name + '_tramp' if inst.has_tramp else None,
            lit=name + '_lit' if inst.has_lit else None,
            slot='.L' + name + '_slot' if inst.has_slot else None,
            call=name + '_call', cond=name + '_cond',
            loops=name + '_loops' if loops else None, nloops=len(loops),
            unroll=UNROLL, sites=name + '_sites', nsites=len(patched)))
    if is_default:
        gen_sites(img, inst, shapes)
    img.desc.append('tb_inst%d_keys:' % idx)
    for k in keys:
        img.desc += k
    img.desc.append('tb_inst%d_shapes:' % idx)
    for row in shapes:
        img.desc += row
    return desc_row('tb_image_instance', name=img.string(inst.spec),
                    variant=img.string(variant), keys='tb_inst%d_keys' % idx,
                    nkeys=len(keys), is_default=1 if is_default else 0,
                    is_baseline=1 if is_baseline else 0,
                    shapes='tb_inst%d_shapes' % idx, nshapes=len(shapes))


def generate(arch):
    img = Image(arch)
    img.emit('/* Generated by variants/gen-image.py --arch %s: do not edit. */'
             % arch)
    img.emit('#include "variants.S.inc"')
    img.emit('\tTB_GNU_PROPERTY')
    img.emit('\t.pushsection .tb.init, "a"\ntb_init:\n\t.popsection')
    img.emit()
    img.emit('/* Functions every instance shares. */')
    for i in range(N_CHECK_TARGETS):
        img.emit('\tTB_CHECK_TARGET tb_target_%d, %d' % (i, i))
    img.emit('\tTB_CHECK_TARGET tb_target_badtype, %d, TB_KCFI_TYPEID_BAD'
             % N_CHECK_TARGETS)
    img.emit('\tTB_BENCH_TARGET tb_bench_target')
    img.emit('\tTB_BENCH_TARGET tb_bench_target_b')
    img.emit('\tTB_LAT_TARGET tb_lat_target')
    img.emit('\tTB_RET0 %s' % RET0)
    img.emit('\tTB_NOP %s' % NOP)
    img.emit('\tTB_PROBE tb_probe')
    img.emit('\tTB_NOPAD_PROBE tb_nopad_probe')
    img.emit('\tTB_THUNKS')
    img.emit('\tTB_PWALK tb_pwalk, %d, %d, %d' % (PWALK_DIRECT, PWALK_INDIRECT,
                                                  PWALK_DEPTH))
    img.emit('\tTB_COLD_EVICT tb_cold_evict')
    img.emit()

    inst_rows = []
    base = baseline(arch)
    for idx, (variant, knobs, order) in enumerate(instances(arch)):
        is_default = knobs == default_knobs(arch, variant,
                                            dict(VARIANTS[arch])[variant])
        inst_rows.append(gen_instance(img, idx, variant, knobs, order,
                                      is_default,
                                      spec_of(variant, knobs, order) == base))

    img.emit()
    img.emit('/* Per-target call counters (tb_hits[N_CHECK_TARGETS + 1]). */')
    img.emit('\t.data\n\t.balign 64\ntb_hits:\n\t.fill %d, 8, 0'
             % (N_CHECK_TARGETS + 1))
    img.emit('\t.pushsection .tb.init, "a"\ntb_init_end:\n\t.popsection')
    img.emit()
    img.emit('/* Descriptors, read by variants/registry.c. */')
    img.emit('\t.section .tb.head, "a"\n\t.balign 8')
    img.emit('\t.globl tb_image_header\n\t.type tb_image_header, %object')
    img.emit('tb_image_header:')
    img.emit('\t.ascii "%s\\0"' % MAGIC)
    img.emit('\t.ascii "%-8s"' % arch)
    img.out += desc_row(
        'tb_image_header', text_end='tb_text_end',
        rodata_end='tb_rodata_end', image_end='tb_image_end',
        instances='tb_instances', ninstances=len(inst_rows),
        targets='tb_targets', ntargets=N_CHECK_TARGETS, hits='tb_hits',
        ret0=RET0, nop=NOP, bench_target='tb_bench_target',
        lat_target='tb_lat_target', badtype_target='tb_target_badtype',
        probe='tb_probe', nopad_probe='tb_nopad_probe', init='tb_init',
        init_size='tb_init_end - tb_init',
        bench_target_b='tb_bench_target_b', pwalk='tb_pwalk',
        cold_evict='tb_cold_evict', pwalk_direct=PWALK_DIRECT,
        pwalk_indirect=PWALK_INDIRECT, pwalk_depth=PWALK_DEPTH)
    img.emit('\t.size tb_image_header, . - tb_image_header')
    img.emit('\t.section .tb.desc, "a"\n\t.balign 8')
    img.emit('tb_targets:')
    for i in range(N_CHECK_TARGETS):
        img.emit(rel('tb_target_%d' % i))
    img.emit('tb_instances:')
    for row in inst_rows:
        img.out += row
    img.out += img.desc
    img.emit('\t.section .tb.str, "a"')
    img.out += img.strs
    img.emit('/* End markers: image.lds places these sections last. */')
    img.emit('\t.section .tb.text.end, "ax"\ntb_text_end:')
    img.emit('\t.section .tb.rodata.end, "a"\ntb_rodata_end:')
    img.emit('\t.section .tb.data.end, "aw"\ntb_image_end:')
    img.emit('\t.section .note.GNU-stack, "", %progbits')
    return '\n'.join(img.out) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--arch', choices=sorted(VARIANTS))
    ap.add_argument('--header', action='store_true',
                    help='write image_desc.h, the descriptors\' C side')
    ap.add_argument('-o', '--output', required=True)
    args = ap.parse_args()
    if not args.header and not args.arch:
        ap.error('--arch is needed for the image')
    text = header() if args.header else generate(args.arch)
    with open(args.output, 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
