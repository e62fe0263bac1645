#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the code image: every static-call variant as real assembly.

The sequences themselves live in variants/<arch>/variants.S.inc as GNU as
macros; this script only instantiates them: one instance per (variant,
knob combination), each with a few static calls ("keys"), their call
sites, C-callable wrappers, unrolled benchmark loops, and the descriptor
tables the C side (variants/image.c) reads.  Each instance has two
bench keys, throughput and latency, with their loops generated at every
site shift.  The knob matrix below is the single list of what exists; C
learns it from the descriptors.
"""

import argparse
import itertools
import sys

ALIGN = ['8', '16', '32', '64']
PAD = ['on', 'off']
LIT = ['rodata', 'adjacent']

# variant -> [(knob, values)], first value of each knob is the default
# unless DEFAULTS says otherwise.  Order of knobs is the canonical order.
VARIANTS = {
    'arm64': [
        ('cbz', [('pad', PAD), ('align', ALIGN), ('lit', LIT)]),
        ('tail', [('pad', PAD), ('align', ALIGN), ('lit', LIT),
                  ('null', ['ret0', 'nop'])]),
        ('direct', [('pad', PAD), ('align', ALIGN)]),
        ('indirect', [('kcfi', ['off', 'on'])]),
        ('inline', []),
    ],
    'x86': [
        ('jmp', [('pad', PAD), ('align', ALIGN)]),
        ('cbz', [('pad', PAD), ('align', ALIGN), ('lit', LIT)]),
        ('tail', [('pad', PAD), ('align', ALIGN), ('lit', LIT),
                  ('null', ['ret0', 'nop'])]),
        ('indirect', [('kcfi', ['off', 'on'])]),
        ('inline', []),
    ],
}

# Defaults are the designs as posted: v7 `.align 3`; the merged version
# `.align 4`; v6 keeps literal, bti and slot in one 16-byte block.
DEFAULTS = {
    ('arm64', 'tail'): {'align': '16'},
    ('arm64', 'direct'): {'align': '16'},
    ('x86', 'tail'): {'align': '16'},
}

# How a key starts out.  Values match enum tb_key_init in variants/image.h.
INIT_TARGET, INIT_NULL, INIT_RET0, INIT_LITPATH = 0, 1, 2, 3
KEY_BENCH = 1          # key flag: has unrolled benchmark loops
KEY_LAT = 2            # bench key whose calls are chained through x
UNROLL = 16            # loop1 has UNROLL sites, loop2 twice as many
# Every bench loop is generated with its body (first call site) this many
# bytes after a 64-byte boundary (TB_SITE_SHIFT_* in static_call.h).
SHIFTS = range(0, 64, 4)
N_CHECK_TARGETS = 4

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


class Image:
    def __init__(self, arch):
        self.arch = arch
        self.out = []
        self.desc = []      # .tb.desc lines (instance and key tables)
        self.strs = []      # .tb.str lines
        self.nstr = 0

    def emit(self, line=''):
        self.out.append(line)

    def string(self, s):
        label = 'tb_str_%d' % self.nstr
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


def key_inits(arch, variant):
    inits = [INIT_TARGET, INIT_NULL, INIT_RET0]
    if (arch, variant) == ('arm64', 'direct'):
        inits.append(INIT_LITPATH)
    return inits


def initial(arch, variant, knobs, init, target):
    """Literal value and slot/site instruction a key starts with."""
    null_fn = NOP if knobs.get('null') == 'nop' else RET0
    if init == INIT_NULL:
        lit = null_fn if variant == 'tail' else '0'
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
    sym = {INIT_TARGET: target, INIT_RET0: RET0}.get(init, '0')
    return lit, op, sym


def gen_instance(img, idx, variant, knobs, order, is_default):
    arch = img.arch
    tag = '_'.join([variant] + [
        {'pad': lambda v: 'pad' if v == 'on' else 'nopad',
         'align': lambda v: 'a' + v,
         'kcfi': lambda v: 'kcfi' if v == 'on' else 'nokcfi'}.get(
             k, lambda v: v)(knobs[k]) for k in order])
    spec = variant + (':' + ','.join('%s=%s' % (k, knobs[k])
                                     for k in order) if order else '')
    pad = knobs.get('pad', 'on')
    align = knobs.get('align', '8')
    lit = knobs.get('lit', 'rodata')
    null = knobs.get('null', 'ret0')
    kcfi = knobs.get('kcfi', 'off')

    keys = []
    inits = [(i, 0) for i in key_inits(arch, variant)]
    # tb_key() finds the throughput key as the first bench key.
    inits.append((INIT_TARGET, KEY_BENCH))
    inits.append((INIT_TARGET, KEY_BENCH | KEY_LAT))
    for k, (init, flags) in enumerate(inits):
        key = 'tb_%s_k%d' % (tag, k)
        lat = 1 if flags & KEY_LAT else 0
        target = 'tb_target_0'
        if flags & KEY_BENCH:
            target = 'tb_lat_target' if lat else 'tb_bench_target'
        litval, op, sym = initial(arch, variant, knobs, init, target)
        img.emit('/* %s, key %d */' % (spec, k))
        img.emit('\tTB_TRAMP_%s %s, %s, %s, %s, %s, %s, %s, %s' % (
            variant, key, pad, align, lit, null, litval, op, sym))
        sites = []

        def site(cond):
            label = '.L%s_s%d' % (key, len(sites))
            sites.append(label)
            return '%s, %s, %s, %s, %s, %s' % (key, label, cond, kcfi, op,
                                               sym)

        img.emit('\tTB_WRAPPER %s_call, %s, %s' % (key, variant, site(0)))
        img.emit('\tTB_WRAPPER %s_cond, %s, %s' % (key, variant, site(1)))
        loops = []
        shifts = SHIFTS if flags & KEY_BENCH else []
        for shift in shifts:
            names = []
            for unroll in (UNROLL, 2 * UNROLL):
                name = '%s_loop%d_s%d' % (key, unroll, shift)
                names.append(name)
                img.emit('\tTB_LOOP_HEAD %s, %d, %d' % (name, shift, lat))
                for _ in range(unroll):
                    img.emit('\tTB_LOOP_SITE %d, %s, %s' % (lat, variant,
                                                           site(0)))
                img.emit('\tTB_LOOP_TAIL %s' % name)
            loops.append((shift, names))
        has_tramp = variant not in ('indirect', 'inline')
        has_lit = variant not in ('inline', 'jmp')
        has_slot = (arch, variant) in SLOT_OPS and variant != 'inline'
        # Only inline patches its sites; the others need no site table.
        patched = sites if variant == 'inline' else []
        img.desc.append('%s_sites:' % key)
        img.desc += [rel(s) for s in patched]
        # struct tb_image_loop: shift, loop1, loop2, body1, body2
        img.desc.append('%s_loops:' % key)
        for shift, names in loops:
            img.desc.append('\t.quad %d' % shift)
            img.desc += [rel(n) for n in names]
            img.desc += [rel(n + '_body') for n in names]
        keys.append([
            '\t.quad %d' % init, '\t.quad %d' % flags,
            rel(key + '_tramp' if has_tramp else None),
            rel(key + '_lit' if has_lit else None),
            rel('.L' + key + '_slot' if has_slot else None),
            rel(key + '_call'), rel(key + '_cond'),
            rel(key + '_loops' if loops else None),
            '\t.quad %d' % len(loops), '\t.quad %d' % UNROLL,
            rel(key + '_sites'), '\t.quad %d' % len(patched),
        ])
    img.desc.append('tb_inst%d_keys:' % idx)
    for k in keys:
        img.desc += k
    return [rel(img.string(spec)), rel(img.string(variant)),
            rel('tb_inst%d_keys' % idx), '\t.quad %d' % len(keys),
            '\t.quad %d' % (1 if is_default else 0)]


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
    img.emit('\tTB_LAT_TARGET tb_lat_target')
    img.emit('\tTB_RET0 %s' % RET0)
    img.emit('\tTB_NOP %s' % NOP)
    img.emit('\tTB_PROBE tb_probe')
    img.emit('\tTB_NOPAD_PROBE tb_nopad_probe')
    img.emit()

    inst_rows = []
    for idx, (variant, knobs, order) in enumerate(instances(arch)):
        is_default = knobs == default_knobs(arch, variant,
                                            dict(VARIANTS[arch])[variant])
        inst_rows.append(gen_instance(img, idx, variant, knobs, order,
                                      is_default))

    img.emit()
    img.emit('/* Per-target call counters (tb_hits[N_CHECK_TARGETS + 1]). */')
    img.emit('\t.data\n\t.balign 64\ntb_hits:\n\t.fill %d, 8, 0'
             % (N_CHECK_TARGETS + 1))
    img.emit('\t.pushsection .tb.init, "a"\ntb_init_end:\n\t.popsection')
    img.emit()
    img.emit('/* Descriptors, read by variants/image.c. */')
    img.emit('\t.section .tb.head, "a"\n\t.balign 8')
    img.emit('\t.globl tb_image_header\n\t.type tb_image_header, %object')
    img.emit('tb_image_header:')
    img.emit('\t.ascii "TBIMG01\\0"')
    img.emit('\t.ascii "%-8s"' % arch)
    for row in ['tb_text_end', 'tb_rodata_end', 'tb_image_end',
                'tb_instances']:
        img.emit(rel(row))
    img.emit('\t.quad %d' % len(inst_rows))
    img.emit(rel('tb_targets'))
    img.emit('\t.quad %d' % N_CHECK_TARGETS)
    for row in ['tb_hits', RET0, NOP, 'tb_bench_target', 'tb_lat_target',
                'tb_target_badtype', 'tb_probe', 'tb_nopad_probe',
                'tb_init']:
        img.emit(rel(row))
    img.emit('\t.quad tb_init_end - tb_init')
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
    ap.add_argument('--arch', required=True, choices=sorted(VARIANTS))
    ap.add_argument('-o', '--output', required=True)
    args = ap.parse_args()
    text = generate(args.arch)
    with open(args.output, 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
