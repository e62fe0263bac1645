#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The arm64 cost model (ops->cost) against the instructions qemu-user
# really runs, and the functions the calls really enter.  qemu-user has no ptrace, so tests/test_cost cannot step
# itself there; instead it runs in trace mode (TB_COST_TRACE) under
# `qemu -singlestep -d exec,nochain`, which logs one "Trace" line per
# translation block executed, and with -singlestep a block is one
# instruction.  That is checked on every line (the block's instruction
# count, cflags & 0x1ff, is 1) and by following the control flow through
# the image: a non-branch must run into the next word, a direct branch to
# its target or past it, a ret to its call.
#
# Per row (the program prints them: throughput and latency bench keys of
# each instance, and its scenario key pointed at NULL, RET0 and the far
# target, and its cold samples; see tests/test_cost.c), instructions and
# branches inside the image text, in either executable mapping, are
# counted while loop1(1, 0) and loop2(1, 0) run (segments between the calls of the program's mark
# function); (loop2 - loop1) / unroll must equal the model.  Entries into
# the watched functions (bench and latency targets, return0, nop, the far
# target) are counted too: every call must enter the row's one, or none,
# and no other.  Instruction words are those qemu translated (-d in_asm:
# a block is logged when translated, again after its code is patched), so
# a row that patches text (direct's slot, inline's sites) is classified
# as it ran.
#   TB_BUILD  absolute build directory    RUN  emulator prefix, or empty
#   ARCH      architecture under test
PYTHON=${PYTHON:-python3}

case "$ARCH:$RUN" in
arm64:*qemu*) ;;
*)
	where=natively
	[ -n "$RUN" ] && where="under $RUN"
	echo "test_cost.sh: nothing to do for ARCH=${ARCH:-?} $where:" \
	     "this script is for arm64 under qemu-user; natively" \
	     "tests/test_cost single-steps with ptrace"
	exit 0
	;;
esac

bin=${TB_BUILD:?TB_BUILD is not set}/tests/test_cost
if [ ! -x "$bin" ]; then
	echo "$bin is missing: build it first (make check does)"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# qemu 8.1 renamed -singlestep to -one-insn-per-tb.
one=-singlestep
if $RUN -h 2>&1 | grep -q -- -one-insn-per-tb; then
	one=-one-insn-per-tb
fi
# $RUN unquoted: it may carry options of its own.
if ! TB_COST_TRACE=1 \
		$RUN $one -d in_asm,exec,nochain -D "$tmp/exec.log" "$bin" \
		>"$tmp/out" 2>"$tmp/err"; then
	cat "$tmp/err"
	echo "test_cost (trace mode) failed under $RUN"
	exit 1
fi

exec "$PYTHON" - "$tmp/out" "$tmp/exec.log" "$one" <<'EOF'
import re
import sys

out, log, one = sys.argv[1:4]


def die(msg):
    print('test_cost.sh: ' + msg)
    sys.exit(1)


# What the program printed: the mark, the text's and the far mapping's
# ranges, the watched functions, skipped rows, then one line per row.
mark, text, far, funcs, rows, skips = None, None, None, {}, [], []
for line in open(out):
    f = line.split()
    if not f:
        continue
    if f[0] == 'mark':
        mark = int(f[1], 16)
    elif f[0] == 'text':
        text = (int(f[1], 16), int(f[2], 16))
    elif f[0] == 'far':
        far = (int(f[1], 16), int(f[2], 16))
    elif f[0] == 'func':
        funcs[int(f[2], 16)] = f[1]
    elif f[0] == 'skip':
        skips.append(line.strip())
    elif f[0] == 'row':
        rows.append({'name': f[1], 'mode': f[2],
                     'loop': (int(f[3], 16), int(f[4], 16)),
                     'unroll': int(f[5]), 'model': (int(f[6]), int(f[7])),
                     'enters': f[8], 'calls': (int(f[9]), int(f[10])),
                     'insns': [0, 0], 'branches': [0, 0],
                     'entries': [{}, {}], 'first': [None, None]})
if mark is None or text is None or far is None or not rows:
    die('trace mode printed no mark, text, far mapping or rows')
start, end = text
words = {}       # pc -> the word qemu last translated there (-d in_asm)


def inside(pc):
    return start <= pc < end or far[0] <= pc < far[1]


def sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


# A64 branches: (kind, target or None).
def branch(pc, w):
    if w & 0x7c000000 == 0x14000000:        # b, bl
        kind = 'bl' if w & 0x80000000 else 'b'
        return kind, pc + 4 * sext(w & 0x3ffffff, 26)
    if w & 0xff000010 == 0x54000000 or w & 0x7e000000 == 0x34000000:
        return 'cond', pc + 4 * sext((w >> 5) & 0x7ffff, 19)  # b.cond, cb*
    if w & 0x7e000000 == 0x36000000:        # tbz, tbnz
        return 'cond', pc + 4 * sext((w >> 5) & 0x3fff, 14)
    for kind, op in (('br', 0xd61f0000), ('blr', 0xd63f0000),
                     ('ret', 0xd65f0000)):
        if w & 0xfffffc1f == op:
            return kind, None
    return None, None


# The PCs that ran, in order, each with the word it ran (the last
# translation of that PC before it ran).  A block logged, then stopped
# before it started ("Stopped execution of TB chain before"), runs again:
# drop it.
trace = re.compile(r'Trace \d+: 0x[0-9a-f]+ '
                   r'\[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]')
stopped = re.compile(r'Stopped execution of TB chain before 0x[0-9a-f]+ '
                     r'\[([0-9a-f]+)\]')
asm = re.compile(r'0x([0-9a-f]+):\s+([0-9a-f]{8})\b')
pcs, dropped, translated = [], 0, 0
with open(log, errors='replace') as f:
    for line in f:
        m = trace.match(line)
        if m:
            if int(m.group(2), 16) & 0x1ff != 1:  # CF_COUNT_MASK
                die('blocks of more than one instruction: %s not in effect?'
                    ' %s' % (one, line.strip()))
            pc = int(m.group(1), 16)
            pcs.append((pc, words.get(pc)))
            continue
        m = asm.match(line)
        if m:
            pc = int(m.group(1), 16)
            if inside(pc):
                words[pc] = int(m.group(2), 16)
                translated += 1
            continue
        m = stopped.match(line)
        if m and pcs and pcs[-1][0] == int(m.group(1), 16):
            pcs.pop()
            dropped += 1
        elif m or line.startswith('Trace'):
            die('unexpected qemu exec log line: ' + line.strip())
if not translated:
    die('no instruction words in the log: qemu -d in_asm not in effect?')

seg, nmarks = -1, 0
prev = None      # last pc, if it was in the image during a segment
stack = []       # return addresses of calls made inside the image
flow = []        # control-flow breaks: the one-insn-per-line assumption


def bad_flow(msg):
    r = rows[seg // 2]
    flow.append('%s %s: %s' % (r['name'], r['mode'], msg))


def at(pc):
    if start <= pc < end:
        return 'image+%#x' % (pc - start)
    if far[0] <= pc < far[1]:
        return 'far+%#x' % (pc - far[0])
    return '%#x' % pc


def follow(pc):
    """Check that pc can follow prev, the image instruction before it."""
    kind, target = branch(prev, prevword)
    into = inside(pc)
    if kind in ('bl', 'blr'):
        stack.append(prev + 4)
    if kind is None:
        ok = pc == prev + 4
    elif kind in ('b', 'bl'):
        ok = pc == target
    elif kind == 'cond':
        ok = pc in (prev + 4, target)
    elif kind == 'ret':       # to its caller, or out of the loop
        ok = pc == stack.pop() if stack else not into
    else:                     # br, blr: anywhere in the image
        ok = into
    if not ok:
        bad_flow('%s came after %s (%08x, %s)' % (
            at(pc), at(prev), prevword, kind or 'not a branch'))


# Segments between marks: 2i is loop1 of row i, 2i + 1 its loop2.
prevword = None
for pc, w in pcs:
    if pc == mark:
        if prev is not None:
            bad_flow('%s ran into the mark' % at(prev))
        seg, nmarks, prev = seg + 1, nmarks + 1, None
        continue
    if seg < 0 or seg >= 2 * len(rows):
        if inside(pc) and seg >= 0:
            die('image code ran after the last loop, at %s' % at(pc))
        continue
    r, half = rows[seg // 2], seg % 2
    into = inside(pc)
    if into and w is None:
        die('%s ran at %s with no word logged by -d in_asm' % (
            r['name'], at(pc)))
    if prev is not None:
        follow(pc)
    elif into:
        if r['first'][half] is not None:
            bad_flow('image entered twice in one loop call, at %s' % at(pc))
        r['first'][half] = pc
        stack = []
    if into:
        r['insns'][half] += 1
        r['branches'][half] += branch(pc, w)[0] is not None
        if pc in funcs:
            e = r['entries'][half]
            e[funcs[pc]] = e.get(funcs[pc], 0) + 1
    prev, prevword = (pc, w) if into else (None, None)

if nmarks != 2 * len(rows) + 1:
    die('%d mark calls in the log, expected %d' % (nmarks, 2 * len(rows) + 1))

print('qemu -d exec: %d blocks run, each one instruction%s; control flow '
      'through the image %s' % (len(pcs), ', %d interrupted' % dropped
                                if dropped else '',
                                'continuous' if not flow else 'BROKEN'))
for msg in flow[:10]:
    print('  ' + msg)
for line in skips:
    print(line)
print('%-44s %-4s %6s %5s %6s %5s  %-16s %-16s' % (
    'instance (per call)', 'mode', 'insns', 'model', 'branch', 'model',
    'entered', 'expected'))
bad = []
for r in rows:
    di = r['insns'][1] - r['insns'][0]
    db = r['branches'][1] - r['branches'][0]
    mi, mb = r['model']
    n = r['unroll']
    # Every call enters the row's function (n and 2n in the two loops;
    # the cold rows: none in the control, one in the call), no other
    # watched function is entered.
    want = [{} if r['enters'] == 'none' or not r['calls'][h]
            else {r['enters']: r['calls'][h]} for h in (0, 1)]
    got = ','.join('%s %.2f' % (f, (r['entries'][1].get(f, 0) -
                                    r['entries'][0].get(f, 0)) / n)
                   for f in sorted(set(r['entries'][0]) |
                                   set(r['entries'][1]))) or 'none'
    ok = (di == mi * n and db == mb * n and tuple(r['first']) == r['loop']
          and r['entries'] == want)
    print('%-44s %-4s %6.2f %5d %6.2f %5d  %-16s %-16s %s'
          % (r['name'], r['mode'], di / n, mi, db / n, mb, got, r['enters'],
             'ok' if ok else 'MISMATCH'))
    if not ok:
        bad.append('%s %s' % (r['name'], r['mode']))
print('%d rows traced under qemu (%d skipped), %d mismatch%s%s'
      % (len(rows), len(skips), len(bad), '' if len(bad) == 1 else 'es',
         ': ' + ', '.join(bad) if bad else ''))
sys.exit(1 if bad or flow else 0)
EOF
