#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Static model of one static call per variant: llvm-mca on the real code.

For each variant as posted (variants/gen-image.py's defaults) and
indirect with kCFI on (ALSO), the instructions one call executes with a
non-NULL target are read out of the generated code image (the linked
image/variants.elf of `make`): from the first call site of the
throughput bench loop (<tb_<instance>_k<N>_loop16_s0_body>) through the
trampoline to the target's `ret`.  The walk follows the control flow the
way a call with a valid target runs: direct branches and calls to their
target, an indirect branch or call to the value the image stores in the
key's literal (the .tb.init table the loader applies), a conditional
branch falls through unless its fall-through traps (the NULL tests fall
through; the kCFI check, whose fall-through is brk/ud2, is taken), and
the walk ends when the target's `ret` returns to the call site.

llvm-mca (Debian's llvm) then runs that straight-line sequence for each
core of harness/data/model-cpus.tsv.  llvm-mca treats the block as the
body of a loop and ignores control flow: the branches occupy their
pipes but never redirect fetch, mispredict or bubble, and a call does not
enter anything (its callee is simply the next instructions of the
block).  So this is a static model, not a measurement.

Per core and variant it reports
  cycles_per_call  llvm-mca's steady state: the Total Cycles of 2N
                   iterations minus those of N, divided by N (the same
                   difference of two loops the benchmark takes, so the
                   pipeline fill and drain cancel): what the model says a
                   call costs in a hot loop of calls, with dependencies,
                   dispatch width and retirement all in it
  rthroughput      llvm-mca's Block RThroughput: the bound from execution
                   resources alone (no dependencies, no dispatch limit)
  instructions     instructions one call executes
  branch_pressure  resource pressure per call on the core's branch pipes
                   (the `branch` column of model-cpus.tsv)
  sequence         the instructions, as disassembled from the image

Two corrections to llvm-mca's defaults, both stated in every output: it
assumes a call's results arrive after 100 cycles (it cannot see the
callee; here the callee is in the block), so -call-latency=1 (a branch
and link writes its link register in a cycle); and its Zen scheduling
models give endbr64 100 micro-ops (unmodelled), while AMD Zen, which has
no IBT, runs it as a NOP: the x86 input has `nop` in its place.

    scripts/model.py --image arm64=build/arm64/image/variants.elf \\
                     --image x86=build/x86/image/variants.elf
    LLVM_MCA=llvm-mca-22 scripts/model.py --image x86=... -o /tmp/m.json

The JSON goes to results/model-llvm<major>.json (or -o FILE) and never
over an existing file: an identical one is left as it is, a different
one is an error.
"""

import argparse
import concurrent.futures
import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
CPUS_TSV = os.path.join(SRC, 'harness', 'data', 'model-cpus.tsv')
CORES_TSV = os.path.join(SRC, 'harness', 'data', 'cores.tsv')
GEN_IMAGE = os.path.join(SRC, 'variants', 'gen-image.py')
sys.path.insert(0, os.path.join(SRC, 'report'))
import tsv  # noqa: E402  (the one reader of harness/data/*.tsv)

# The Debian package whose llvm-mca knows every core of model-cpus.tsv and
# lists each of them in -mcpu=help (llvm-mca-19 knows apple-m1 only as an
# alias of apple-a14; llvm-mca-14 lacks most of them).
PACKAGE = 'llvm-22'

# Besides each design as posted (variants/gen-image.py's table, whose
# defaults are the designs as posted), the model runs these instances,
# each right after its design: kCFI's type check is what an indirect
# call costs in a kernel built with it, though not as posted.
ALSO = {'indirect': [{'kcfi': 'on'}]}
TRIPLE = {'arm64': 'aarch64', 'x86': 'x86_64'}

# Instruction classes for the walk, by mnemonic.
ARM64 = {'call': {'bl'}, 'icall': {'blr'}, 'jump': {'b'}, 'ijump': {'br'},
         'cond': {'cbz', 'cbnz', 'tbz', 'tbnz'}, 'ret': {'ret'},
         'trap': {'brk', 'udf', 'hlt'}}
X86 = {'call': {'call', 'callq'}, 'jump': {'jmp', 'jmpq'}, 'ret': {'ret', 'retq'},
       'trap': {'ud2', 'ud1', 'ud1l', 'int3'}}

# What the llvm-mca input has in place of an instruction, and why.
SUBSTITUTE = {
    'x86': {'endbr64': ('nop', 'endbr64 modelled as nop (llvm-mca\'s Zen '
                               'models give it 100 uops; Zen, without IBT, '
                               'runs it as a NOP)')},
}
MCA_FLAGS = ['-call-latency=1']
ITERATIONS = 1000
MAX_INSNS = 64          # a walk longer than this has lost its way


class ModelError(Exception):
    pass


def die(msg):
    print('model.py: ' + msg, file=sys.stderr)
    sys.exit(1)


# ---- data ----------------------------------------------------------------

def tsv_rows(path, nfields):
    try:
        return tsv.rows(path, nfields)
    except tsv.Error as e:
        raise ModelError(str(e))


def load_cpus():
    """model-cpus.tsv: [{mcpu, arch, names, branch}], names checked
    against cores.tsv's name column."""
    known = {f[2] for _, f in tsv_rows(CORES_TSV, 10)}
    cpus, seen = [], set()
    for n, (mcpu, arch, names, branch, _notes) in tsv_rows(CPUS_TSV, 5):
        where = '%s:%d' % (os.path.relpath(CPUS_TSV, SRC), n)
        if arch not in gen_image().VARIANTS:
            raise ModelError('%s: arch %r (arm64 or x86)' % (where, arch))
        if mcpu in seen:
            raise ModelError('%s: %s twice' % (where, mcpu))
        seen.add(mcpu)
        names = [] if names == '-' else names.split(',')
        for name in names:
            if name not in known:
                raise ModelError('%s: no core named %r in cores.tsv'
                                 % (where, name))
        cpus.append({'mcpu': mcpu, 'arch': arch, 'names': names,
                     'branch': branch.split(',')})
    return cpus


_gen_image = None


def gen_image():
    global _gen_image
    if _gen_image is None:
        spec = importlib.util.spec_from_file_location('gen_image',
                                                      GEN_IMAGE)
        _gen_image = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_gen_image)
    return _gen_image


def variants(gi, arch):
    """[(variant, knobs overriding its defaults)]: each design as posted,
    in the generator's order, each followed by its ALSO instances."""
    out = []
    for variant, _ in gi.VARIANTS[arch]:
        out.append((variant, {}))
        out += [(variant, over) for over in ALSO.get(variant, [])]
    return out


def instance(gi, arch, variant, over):
    """The instance tag, spec and throughput bench key of a variant as
    posted, named as gen-image.py names them."""
    knobs_def = dict(gi.VARIANTS[arch])[variant]
    knobs = gi.default_knobs(arch, variant, knobs_def)
    knobs.update(over)
    order = [k for k, _ in knobs_def]
    tag = gi.instance_tag(variant, knobs, order)
    # gen_instance(): one key per initial state, then the throughput bench
    # key (the one tb_key() finds first), the latency one, the scenario one.
    key = 'tb_%s_k%d' % (tag, len(gi.key_inits(arch, variant)))
    name = variant + ''.join(':%s=%s' % kv for kv in sorted(over.items()))
    return name, tag, key


# ---- the image -------------------------------------------------------------

class Elf:
    """Symbols and sections of the linked image (ELF64, little-endian)."""

    def __init__(self, path):
        with open(path, 'rb') as f:
            self.data = data = f.read()
        if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
            raise ModelError('%s: not a little-endian ELF64 file' % path)
        shoff, = struct.unpack_from('<Q', data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
        secs = []
        for i in range(shnum):
            (name, typ, _flags, addr, off, size, link, _info, _align,
             entsize) = struct.unpack_from('<IIQQQQIIQQ', data,
                                           shoff + i * shentsize)
            secs.append((name, typ, addr, off, size, link, entsize))
        stroff = secs[shstrndx][3]
        self.sections = {}
        for name, typ, addr, off, size, link, entsize in secs:
            self.sections[self._str(stroff, name)] = (addr, off, size)
        self.syms = {}
        for name, typ, addr, off, size, link, entsize in secs:
            if typ != 2:        # SHT_SYMTAB
                continue
            strtab = secs[link][3]
            for o in range(off, off + size, entsize):
                st_name, _info, _other, _shndx, value, sz = struct.unpack_from(
                    '<IBBHQQ', data, o)
                if st_name:
                    self.syms[self._str(strtab, st_name)] = (value, sz)
        self.by_addr = {}
        for s, (v, _) in sorted(self.syms.items()):
            self.by_addr.setdefault(v, s)

    def _str(self, base, off):
        end = self.data.index(b'\0', base + off)
        return self.data[base + off:end].decode()

    def addr(self, sym):
        if sym not in self.syms:
            raise ModelError('no symbol %s in the image' % sym)
        return self.syms[sym][0]

    def read(self, addr, size):
        for a, off, sz in self.sections.values():
            if a <= addr and addr + size <= a + sz and off:
                return self.data[off + addr - a:off + addr - a + size]
        raise ModelError('0x%x is in no section of the image' % addr)

    def pointers(self):
        """The pointer table the loader applies (.tb.init, between
        tb_init and tb_init_end): pointer address -> address it holds."""
        start, end = self.addr('tb_init'), self.addr('tb_init_end')
        table = self.read(start, end - start)
        out = {}
        for i in range(0, end - start, 16):
            a, b = struct.unpack_from('<qq', table, i)
            out[start + i + a] = start + i + 8 + b
        return out


class Insn:
    def __init__(self, addr, mnem, ops, comment):
        self.addr, self.mnem, self.ops, self.comment = addr, mnem, ops, comment
        self.next = None

    def text(self):
        return (self.mnem + ' ' + self.ops).strip()


ADDR_SYM = re.compile(r'0x([0-9a-f]+) <([^>]+)>')


class Disasm:
    """Instructions of the image, disassembled by llvm-objdump a window at
    a time."""

    def __init__(self, objdump, path, elf):
        self.objdump, self.path, self.elf = objdump, path, elf
        self.insns = {}

    def at(self, addr):
        if addr not in self.insns:
            self._window(addr, addr + 64)
        if addr not in self.insns:
            raise ModelError('no instruction at 0x%x' % addr)
        return self.insns[addr]

    def _window(self, start, stop):
        out = subprocess.run(
            [self.objdump, '-d', '--no-show-raw-insn', '--no-leading-headers',
             '--start-address=0x%x' % start, '--stop-address=0x%x' % stop,
             self.path], capture_output=True, text=True)
        if out.returncode:
            raise ModelError('%s: %s' % (self.objdump, out.stderr.strip()))
        prev = None
        for line in out.stdout.splitlines():
            m = re.match(r'\s*([0-9a-f]+):\s+(\S+)\s*(.*)$', line)
            if not m:
                continue
            addr = int(m.group(1), 16)
            # Comments: '// ...' (arm64), ' # ...' (x86: rip targets, imm)
            rest, _, comment = m.group(3).partition('//')
            parts = re.split(r'\s+#\s', rest, maxsplit=1)
            if len(parts) == 2:
                rest, comment = parts
            insn = Insn(addr, m.group(2), rest.strip(), comment.strip())
            if prev is not None:
                prev.next = addr
            self.insns.setdefault(addr, insn)
            prev = insn


def classify(arch, insn):
    m = insn.mnem
    if arch == 'arm64':
        for kind, names in ARM64.items():
            if m in names:
                return kind
        if m.startswith('b.'):
            return 'cond'
        return 'plain'
    indirect = insn.ops.startswith('*')
    if m in X86['call']:
        return 'icall' if indirect else 'call'
    if m in X86['jump']:
        return 'ijump' if indirect else 'jump'
    if m in X86['ret']:
        return 'ret'
    if m in X86['trap']:
        return 'trap'
    if m.startswith('j'):
        return 'cond'
    return 'plain'


def branch_target(insn):
    m = ADDR_SYM.search(insn.ops)
    if not m:
        raise ModelError('no target in %r' % insn.text())
    return int(m.group(1), 16)


def successor(dis, insn):
    if insn.next is None:
        dis._window(insn.addr, insn.addr + 64)
        if insn.next is None:
            raise ModelError('no instruction after 0x%x' % insn.addr)
    return insn.next


def walk(arch, elf, dis, key):
    """The instructions one call through `key` executes, from its first
    call site in the throughput loop to the target's return."""
    pointers = elf.pointers()
    lit = elf.syms.get(key + '_lit')
    pc = elf.addr(key + '_loop16_s0_body')
    path, stack = [], []
    while True:
        if len(path) >= MAX_INSNS:
            raise ModelError('%s: no return after %d instructions'
                             % (key, MAX_INSNS))
        insn = dis.at(pc)
        path.append(insn)
        kind = classify(arch, insn)
        if kind == 'trap':
            raise ModelError('%s: the walk reached a trap at 0x%x (%s)'
                             % (key, pc, insn.text()))
        if kind in ('icall', 'ijump'):
            if lit is None or lit[0] not in pointers:
                raise ModelError('%s: indirect branch at 0x%x, but no '
                                 'literal with a value' % (key, pc))
            dest = pointers[lit[0]]
        elif kind in ('call', 'jump'):
            dest = branch_target(insn)
        if kind in ('call', 'icall'):
            stack.append(successor(dis, insn))
            pc = dest
        elif kind in ('jump', 'ijump'):
            pc = dest
        elif kind == 'ret':
            if not stack:
                raise ModelError('%s: ret at 0x%x with no call' % (key, pc))
            pc = stack.pop()
            if not stack:
                return path
        elif kind == 'cond':
            fall = successor(dis, insn)
            # A non-NULL target passes every NULL test; a check whose
            # fall-through traps (kCFI) passes, i.e. is taken.
            if classify(arch, dis.at(fall)) == 'trap':
                pc = branch_target(insn)
            else:
                pc = fall
        else:
            pc = successor(dis, insn)


def render(arch, elf, path):
    """Assembler text of each instruction: addresses as symbols, and
    arm64's adrp/ldr pair as the source has it (sym, :lo12:sym)."""
    out = []
    for i, insn in enumerate(path):
        ops = insn.ops
        if arch == 'x86' and '(%rip)' in ops:
            m = ADDR_SYM.search(insn.comment or '')
            if m:
                ops = re.sub(r'-?0x[0-9a-f]+\(%rip\)', m.group(2) + '(%rip)',
                             ops)
        if arch == 'arm64' and insn.mnem == 'adrp' and i + 1 < len(path):
            reg = ops.split(',')[0]
            nxt = path[i + 1]
            m = re.match(r'(\w+), \[%s, #(0x[0-9a-f]+|\d+)\]$' % reg, nxt.ops)
            page = branch_target(insn)
            sym = m and elf.by_addr.get(page + int(m.group(2), 0))
            if sym:
                out.append('adrp %s, %s' % (reg, sym))
                path[i + 1] = Insn(nxt.addr, nxt.mnem, '%s, [%s, :lo12:%s]'
                                   % (m.group(1), reg, sym), '')
                path[i + 1].next = nxt.next
                continue
        ops = ADDR_SYM.sub(lambda m: m.group(2), ops)
        out.append((insn.mnem + ' ' + ops).strip())
    return out


def extract(arch, image, objdump):
    """variant name -> its sequence, for every variant as posted."""
    gi = gen_image()
    elf = Elf(image)
    dis = Disasm(objdump, image, elf)
    seqs = {}
    for variant, over in variants(gi, arch):
        name, _tag, key = instance(gi, arch, variant, over)
        seqs[name] = render(arch, elf, walk(arch, elf, dis, key))
    return seqs


# ---- llvm-mca ----------------------------------------------------------------

def mca_version(mca):
    try:
        out = subprocess.run([mca, '--version'], capture_output=True,
                             text=True).stdout
    except OSError:
        return None
    m = re.search(r'LLVM version (\d+)\.(\d+)\.(\d+)', out)
    return m and m.group(0).split()[-1]


def mca_problems(mca, cpus):
    """Why this llvm-mca cannot run the model ([] when it can)."""
    if mca_version(mca) is None:
        return ['does not run']
    helptext = subprocess.run([mca, '--help-hidden'], capture_output=True,
                              text=True).stdout
    missing = [f.split('=')[0] for f in MCA_FLAGS
               if f.split('=')[0] not in helptext]
    for c in cpus:
        err = subprocess.run(
            [mca, '-mtriple=' + TRIPLE[c['arch']], '-mcpu=' + c['mcpu'],
             '-iterations=1', '-'], input='nop\n', capture_output=True,
            text=True).stderr
        if 'not a recognized processor' in err:
            missing.append(c['mcpu'])
    return missing


def find_mca(given, cpus):
    """The llvm-mca to use: the one given, else the newest llvm-mca-N on
    PATH that knows every core."""
    want = 'install Debian\'s %s (scripts/setup.sh does)' % PACKAGE
    if given:
        path = shutil.which(given)
        if not path:
            die('LLVM_MCA=%s: not found; %s' % (given, want))
        bad = mca_problems(path, cpus)
        if bad:
            die('%s lacks %s; %s' % (given, ', '.join(bad), want))
        return path
    found = {}
    for d in os.environ.get('PATH', '').split(os.pathsep):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for n in names:
            m = re.fullmatch(r'llvm-mca(?:-(\d+))?', n)
            if m and os.access(os.path.join(d, n), os.X_OK):
                v = mca_version(os.path.join(d, n))
                if v:
                    found.setdefault(n, (tuple(map(int, v.split('.'))),
                                         os.path.join(d, n)))
    tried = []
    for n, (_v, path) in sorted(found.items(), key=lambda x: x[1][0],
                                reverse=True):
        bad = mca_problems(path, cpus)
        if not bad:
            return path
        tried.append('%s lacks %s' % (n, ', '.join(bad)))
    die('no llvm-mca that knows every core of model-cpus.tsv%s; %s'
        % (' (' + '; '.join(tried) + ')' if tried else ' on PATH', want))


def find_objdump(mca):
    """llvm-objdump of the same llvm, beside llvm-mca."""
    d, n = os.path.split(mca)
    cand = os.path.join(d, n.replace('llvm-mca', 'llvm-objdump'))
    if os.access(cand, os.X_OK):
        return cand
    real = os.path.realpath(mca)
    cand = os.path.join(os.path.dirname(real), 'llvm-objdump')
    if os.access(cand, os.X_OK):
        return cand
    die('no llvm-objdump beside %s; install Debian\'s %s' % (mca, PACKAGE))


def run_mca(mca, cpu, text, iterations):
    out = subprocess.run(
        [mca, '-mtriple=' + TRIPLE[cpu['arch']], '-mcpu=' + cpu['mcpu'],
         '-iterations=%d' % iterations, '--json'] + MCA_FLAGS + ['-'],
        input=text, capture_output=True, text=True)
    if out.returncode:
        raise ModelError('llvm-mca -mcpu=%s: %s'
                         % (cpu['mcpu'], out.stderr.strip()))
    return json.loads(out.stdout)


def model(mca, cpu, seq):
    subst = SUBSTITUTE.get(cpu['arch'], {})
    text = '\n'.join(subst[s][0] if s in subst else s for s in seq) + '\n'
    one = run_mca(mca, cpu, text, ITERATIONS)
    two = run_mca(mca, cpu, text, 2 * ITERATIONS)
    region = two['CodeRegions'][0]
    n = len(region['Instructions'])
    if n != len(seq):
        raise ModelError('llvm-mca read %d instructions of %d' % (n, len(seq)))
    for info in region['InstructionInfoView']['InstructionList']:
        if info['NumMicroOpcodes'] >= 50:
            raise ModelError('llvm-mca -mcpu=%s models %r as %d uops: '
                             'unmodelled' % (cpu['mcpu'],
                                             seq[info['Instruction']],
                                             info['NumMicroOpcodes']))
    names = [r.split('.')[0] for r in two['TargetInfo']['Resources']]
    for b in cpu['branch']:
        if b not in names:
            raise ModelError('-mcpu=%s has no resource %s (it has %s)'
                             % (cpu['mcpu'], b, ', '.join(sorted(set(names)))))
    pressure = sum(e['ResourceUsage']
                   for e in region['ResourcePressureView']['ResourcePressureInfo']
                   if e['InstructionIndex'] == n
                   and names[e['ResourceIndex']] in cpu['branch'])
    c1 = one['CodeRegions'][0]['SummaryView']['TotalCycles']
    c2 = region['SummaryView']['TotalCycles']
    return {'cycles_per_call': float(round((c2 - c1) / ITERATIONS, 3)),
            'rthroughput': float(round(
                region['SummaryView']['BlockRThroughput'], 3)),
            'instructions': len(seq),
            'branch_pressure': float(round(pressure, 3)),
            'sequence': seq}


# ---- output --------------------------------------------------------------------

def label(version):
    return 'static model (llvm-mca %s), not a measurement' % version


def note(version, archs):
    s = label(version) + '; -call-latency=1'
    for arch in archs:
        for _, (_, why) in SUBSTITUTE.get(arch, {}).items():
            s += '; %s: %s' % (arch, why)
    return s


def table(doc, version):
    lines = [label(version) + ':',
             'per call in a hot loop: cycles (llvm-mca steady state), '
             '[Block RThroughput], branch-pipe pressure',
             'llvm-mca ignores control flow: no fetch redirects, no '
             'mispredicts, no return-stack; see docs/model.md']
    by_arch = {}
    for mcpu, c in doc['cores'].items():
        by_arch.setdefault(c['arch'], []).append((mcpu, c['variants']))
    for arch, cores in by_arch.items():
        names = list(cores[0][1])
        w = max(16, max(len(n) for n in names) + 1)
        lines.append('')
        lines.append('%-12s' % arch + ''.join('%*s' % (w, n) for n in names))
        lines.append('%-12s' % 'instructions' + ''.join(
            '%*d' % (w, cores[0][1][n]['instructions']) for n in names))
        for mcpu, vs in cores:
            lines.append('%-12s' % mcpu + ''.join(
                '%*s' % (w, '%.2f [%.2f] %.1f' % (
                    vs[n]['cycles_per_call'], vs[n]['rthroughput'],
                    vs[n]['branch_pressure'])) for n in names))
    return '\n'.join(lines)


def write_new(path, text):
    """Write text to path, never over an existing file: an identical one
    stays, a different one is an error."""
    if os.path.exists(path):
        with open(path) as f:
            if f.read() == text:
                return 'unchanged'
        die('%s exists and differs; not overwritten (give -o FILE)' % path)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix='.model-')
    try:
        with os.fdopen(fd, 'w') as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)      # mkstemp made it 0600
        os.link(tmp, path)      # fails if path appeared meanwhile
    except FileExistsError:
        die('%s exists; not overwritten (give -o FILE)' % path)
    finally:
        os.unlink(tmp)
    return 'written'


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.splitlines()[2:]))
    ap.add_argument('--image', action='append', default=[],
                    metavar='ARCH=ELF', help='a linked code image '
                    '(image/variants.elf of a build); once per architecture')
    ap.add_argument('--llvm-mca', default=os.environ.get('LLVM_MCA'),
                    help='llvm-mca to run (default: $LLVM_MCA, else the '
                    'newest llvm-mca-N on PATH that knows every core)')
    ap.add_argument('-o', '--output', help='JSON file (default '
                    'results/model-llvm<major>.json)')
    ap.add_argument('--cores', help='comma-separated llvm CPUs of '
                    'model-cpus.tsv (default: all of the images\' '
                    'architectures)')
    ap.add_argument('--sequences', action='store_true',
                    help='print each variant\'s sequence')
    a = ap.parse_args()
    try:
        cpus = load_cpus()
    except ModelError as e:
        die(str(e))
    images = {}
    for spec in a.image:
        arch, _, path = spec.partition('=')
        if arch not in gen_image().VARIANTS or not path:
            die('--image %s: want arm64=ELF or x86=ELF' % spec)
        images[arch] = path
    if not images:
        die('no --image given (make model builds and passes them)')
    cpus = [c for c in cpus if c['arch'] in images]
    if a.cores:
        want = a.cores.split(',')
        unknown = set(want) - {c['mcpu'] for c in cpus}
        if unknown:
            die('--cores: %s not in model-cpus.tsv for %s'
                % (', '.join(sorted(unknown)), ', '.join(sorted(images))))
        cpus = [c for c in cpus if c['mcpu'] in want]
    mca = find_mca(a.llvm_mca, cpus)
    version = mca_version(mca)
    objdump = find_objdump(mca)
    try:
        seqs = {arch: extract(arch, path, objdump)
                for arch, path in sorted(images.items())}
        doc = {'kind': 'trampbench-model', 'results_format': '1',
               'tool': 'llvm-mca ' + version,
               'note': note(version, sorted(images)),
               'cores': {}}
        # llvm-mca runs are independent: run them side by side.
        with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
            runs = {(cpu['mcpu'], name): pool.submit(model, mca, cpu, seq)
                    for cpu in cpus
                    for name, seq in seqs[cpu['arch']].items()}
            for cpu in cpus:
                doc['cores'][cpu['mcpu']] = {
                    'arch': cpu['arch'],
                    'variants': {name: runs[cpu['mcpu'], name].result()
                                 for name in seqs[cpu['arch']]}}
    except ModelError as e:
        die(str(e))
    out = a.output or os.path.join(
        'results', 'model-llvm%s.json' % version.split('.')[0])
    print(table(doc, version))
    if a.sequences:
        for arch, vs in seqs.items():
            for name, seq in vs.items():
                print('\n%s %s:\n    %s' % (arch, name, '\n    '.join(seq)))
    what = write_new(out, json.dumps(doc, indent=1) + '\n')
    print('\n%s: %s (%s)' % (out, what, label(version)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
