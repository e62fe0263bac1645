#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The arm64 cost model (ops->cost) against the instructions qemu-user
# really runs.  qemu-user has no ptrace, so tests/test_cost cannot step
# itself there; instead it runs in trace mode (TB_COST_TRACE) under
# `qemu -singlestep -d exec,nochain`, which logs one "Trace" line per
# translation block executed, and with -singlestep a block is one
# instruction.  That is checked on every line (the block's instruction
# count, cflags & 0x1ff, is 1) and by following the control flow through
# the image: a non-branch must run into the next word, a direct branch to
# its target or past it, a ret to its call.
#
# Per bench key (throughput and latency of each instance), instructions
# and branches inside the image text are counted while loop1(1, 0) and
# loop2(1, 0) at site shift 0 run (segments between the calls of the
# program's mark function); (loop2 - loop1) / unroll must equal the
# model.  Instruction words are read from the text as mapped, which the
# program writes out ($TB_COST_TEXT): image/variants.bin with the
# load-time patch of the probe.
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
if ! TB_COST_TRACE=1 TB_COST_TEXT="$tmp/text" \
		$RUN $one -d exec,nochain -D "$tmp/exec.log" "$bin" \
		>"$tmp/out" 2>"$tmp/err"; then
	cat "$tmp/err"
	echo "test_cost (trace mode) failed under $RUN"
	exit 1
fi

exec "$PYTHON" - "$tmp/out" "$tmp/exec.log" "$tmp/text" "$one" <<'EOF'
import re
import struct
import sys

out, log, textfile, one = sys.argv[1:5]


def die(msg):
    print('test_cost.sh: ' + msg)
    sys.exit(1)


# What the program printed: the mark, then one line per bench key.
mark, text, rows = None, None, []
for line in open(out):
    f = line.split()
    if f and f[0] == 'mark':
        mark = int(f[1], 16)
    elif f and f[0] == 'instance':
        text = (int(f[5], 16), int(f[6], 16))
        rows.append({'name': f[1], 'loop': (int(f[2], 16), int(f[3], 16)),
                     'unroll': int(f[4]), 'model': (int(f[7]), int(f[8])),
                     'mode': f[9],
                     'insns': [0, 0], 'branches': [0, 0],
                     'first': [None, None]})
if mark is None or not rows:
    die('trace mode printed no mark or no instances')
start, end = text
code = open(textfile, 'rb').read()
if len(code) != end - start:
    die('%s holds %d bytes of text, not %d' % (textfile, len(code),
                                               end - start))


def word(pc):
    return struct.unpack_from('<I', code, pc - start)[0]


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


# The PCs that ran, in order.  A block logged, then stopped before it
# started ("Stopped execution of TB chain before"), runs again: drop it.
trace = re.compile(r'Trace \d+: 0x[0-9a-f]+ '
                   r'\[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]')
stopped = re.compile(r'Stopped execution of TB chain before 0x[0-9a-f]+ '
                     r'\[([0-9a-f]+)\]')
pcs, dropped = [], 0
with open(log, errors='replace') as f:
    for line in f:
        m = trace.match(line)
        if m:
            if int(m.group(2), 16) & 0x1ff != 1:  # CF_COUNT_MASK
                die('blocks of more than one instruction: %s not in effect?'
                    ' %s' % (one, line.strip()))
            pcs.append(int(m.group(1), 16))
            continue
        m = stopped.match(line)
        if m and pcs and pcs[-1] == int(m.group(1), 16):
            pcs.pop()
            dropped += 1
        elif m or line.startswith('Trace'):
            die('unexpected qemu exec log line: ' + line.strip())

seg, nmarks = -1, 0
prev = None      # last pc, if it was in the image during a segment
stack = []       # return addresses of calls made inside the image
flow = []        # control-flow breaks: the one-insn-per-line assumption


def bad_flow(msg):
    r = rows[seg // 2]
    flow.append('%s %s: %s' % (r['name'], r['mode'], msg))


def at(pc):
    return 'image+%#x' % (pc - start) if start <= pc < end else '%#x' % pc


def follow(pc):
    """Check that pc can follow prev, the image instruction before it."""
    kind, target = branch(prev, word(prev))
    inside = start <= pc < end
    if kind in ('bl', 'blr'):
        stack.append(prev + 4)
    if kind is None:
        ok = pc == prev + 4
    elif kind in ('b', 'bl'):
        ok = pc == target
    elif kind == 'cond':
        ok = pc in (prev + 4, target)
    elif kind == 'ret':       # to its caller, or out of the loop
        ok = pc == stack.pop() if stack else not inside
    else:                     # br, blr: anywhere in the image
        ok = inside
    if not ok:
        bad_flow('%s came after %s (%08x, %s)' % (
            at(pc), at(prev), word(prev), kind or 'not a branch'))


# Segments between marks: 2i is loop1 of row i, 2i + 1 its loop2.
for pc in pcs:
    if pc == mark:
        if prev is not None:
            bad_flow('%s ran into the mark' % at(prev))
        seg, nmarks, prev = seg + 1, nmarks + 1, None
        continue
    if seg < 0 or seg >= 2 * len(rows):
        continue
    r, half = rows[seg // 2], seg % 2
    inside = start <= pc < end
    if prev is not None:
        follow(pc)
    elif inside:
        if r['first'][half] is not None:
            bad_flow('image entered twice in one loop call, at %s' % at(pc))
        r['first'][half] = pc
        stack = []
    if inside:
        r['insns'][half] += 1
        r['branches'][half] += branch(pc, word(pc))[0] is not None
    prev = pc if inside else None

if nmarks != 2 * len(rows) + 1:
    die('%d mark calls in the log, expected %d' % (nmarks, 2 * len(rows) + 1))

print('qemu -d exec: %d blocks run, each one instruction%s; control flow '
      'through the image %s' % (len(pcs), ', %d interrupted' % dropped
                                if dropped else '',
                                'continuous' if not flow else 'BROKEN'))
for msg in flow[:10]:
    print('  ' + msg)
print('%-44s %-4s %6s %5s %6s %5s' % ('instance (per call)', 'mode',
                                      'insns', 'model', 'branch', 'model'))
bad = []
for r in rows:
    di = r['insns'][1] - r['insns'][0]
    db = r['branches'][1] - r['branches'][0]
    mi, mb = r['model']
    ok = (di == mi * r['unroll'] and db == mb * r['unroll'] and
          tuple(r['first']) == r['loop'])
    print('%-44s %-4s %6.2f %5d %6.2f %5d  %s'
          % (r['name'], r['mode'], di / r['unroll'], mi, db / r['unroll'],
             mb, 'ok' if ok else 'MISMATCH'))
    if not ok:
        bad.append('%s %s' % (r['name'], r['mode']))
print('%d bench keys traced under qemu, %d mismatch%s%s'
      % (len(rows), len(bad), '' if len(bad) == 1 else 'es',
         ': ' + ', '.join(bad) if bad else ''))
sys.exit(1 if bad or flow else 0)
EOF
