#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/model.py (make model): the static model of each variant.
#   - every variant's sequence, read out of this build's image, is the
#     call path the design says, from its call site to the target's ret;
#   - llvm-mca runs for every core of harness/data/model-cpus.tsv of this
#     architecture, and the JSON has every core x variant with positive
#     numbers, in the shape others read;
#   - an existing different file is never overwritten;
#   - without a usable llvm-mca: one line naming the package, exit 1.
# Without llvm-mca on the machine the test skips, except under CI (CI=true),
# where scripts/setup.sh has installed it: there it fails.
#   TB_SRC  source folder    TB_BUILD  absolute build folder    ARCH
src=${TB_SRC:?TB_SRC is not set}
build=${TB_BUILD:?TB_BUILD is not set}
arch=${ARCH:?ARCH is not set}
# The interpreter itself, not a wrapper that needs PATH (pyenv's shims).
py=$("${PYTHON:-python3}" -c 'import sys; print(sys.executable)') ||
	{ echo "test_model: no python3"; exit 1; }
model=$src/scripts/model.py
image=$build/image/variants.elf
fails=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

fail() { echo "not ok: $*"; fails=$((fails + 1)); }

[ -f "$image" ] || { echo "test_model: no $image (build first)"; exit 1; }

# No llvm-mca at all (an empty PATH), and one that does not exist: one
# line on stderr naming the package, exit status 1.  These run first and
# need no llvm.
mkdir "$tmp/empty"
for how in path given; do
	if [ $how = path ]; then
		env -u LLVM_MCA PATH="$tmp/empty" "$py" "$model" \
			--image "$arch=$image" -o "$tmp/none.json" \
			>"$tmp/out" 2>"$tmp/err"
	else
		LLVM_MCA=/nonexistent/llvm-mca-99 "$py" "$model" \
			--image "$arch=$image" -o "$tmp/none.json" \
			>"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	   grep -q 'llvm-22' "$tmp/err" && [ ! -e "$tmp/none.json" ]; then
		echo "ok: no llvm-mca ($how): $(cat "$tmp/err")"
	else
		fail "no llvm-mca ($how): exit $rc, stderr: $(cat "$tmp/err")"
	fi
done

# The model itself, for every core of this architecture.
"$py" "$model" --image "$arch=$image" -o "$tmp/m.json" --sequences \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] && grep -q 'no llvm-mca' "$tmp/err"; then
	if [ -n "${CI:-}" ]; then
		echo "not ok: $(cat "$tmp/err") (CI: scripts/setup.sh installs it)"
		exit 1
	fi
	echo "test_model: SKIP: $(cat "$tmp/err")"
	exit 0
fi
if [ $rc -ne 0 ]; then
	fail "model.py exit $rc: $(cat "$tmp/err")"
	echo "test_model: $fails failure(s)"
	exit 1
fi
cat "$tmp/out"
grep -q 'static model (llvm-mca [0-9.]*), not a measurement' "$tmp/out" ||
	fail "the table does not say it is a static model"

"$py" - "$tmp/m.json" "$arch" "$src/harness/data/model-cpus.tsv" <<'EOF' ||
import json, re, sys

path, arch, tsv = sys.argv[1:]
doc = json.load(open(path))
bad = []

# The design's call path per variant: mnemonics in order (x86 suffix q
# dropped), and what the first instruction and the walk must reach.
DESIGN = {
    'arm64': {
        'cbz': ('bl bti adrp ldr cbz br bti ret', '_tramp'),
        'tail': ('bl bti adrp ldr br bti ret', '_tramp'),
        'direct': ('bl bti b bti ret', '_tramp'),
        'indirect': ('adrp ldr blr bti ret', '_lit'),
        'indirect:kcfi=on': ('adrp ldr ldur mov movk cmp b.eq blr bti ret',
                             '_lit'),
        'inline': ('bl bti ret', 'tb_bench_target'),
    },
    'x86': {
        'jmp': ('call jmp endbr64 ret', '_tramp'),
        'cbz': ('call endbr64 mov test je jmp endbr64 ret', '_tramp'),
        'tail': ('call endbr64 jmp endbr64 ret', '_tramp'),
        'indirect': ('call endbr64 ret', '_lit(%rip)'),
        'indirect:kcfi=on': ('mov mov add je call endbr64 ret', '_lit(%rip)'),
        'inline': ('call endbr64 ret', 'tb_bench_target'),
    },
}[arch]

want_keys = ['kind', 'results_format', 'tool', 'note', 'cores']
if list(doc) != want_keys:
    bad.append('top-level keys %s, want %s' % (list(doc), want_keys))
if doc.get('kind') != 'trampbench-model' or doc.get('results_format') != '1':
    bad.append('kind/results_format: %r %r' % (doc.get('kind'),
                                               doc.get('results_format')))
if not re.fullmatch(r'llvm-mca \d+\.\d+\.\d+', doc.get('tool', '')):
    bad.append('tool %r' % doc.get('tool'))
if not doc.get('note', '').startswith('static model (llvm-mca %s), not a '
                                      'measurement' % doc['tool'].split()[1]):
    bad.append('note %r' % doc.get('note'))

cores = [l.split('\t')[0] for l in open(tsv)
         if l.strip() and not l.startswith('#') and l.split('\t')[1] == arch]
if list(doc['cores']) != cores:
    bad.append('cores %s, want %s' % (list(doc['cores']), cores))

# AT&T size suffixes, as llvm-objdump may print them or not.
SUFFIXED = {'callq': 'call', 'retq': 'ret', 'jmpq': 'jmp', 'movq': 'mov',
            'movl': 'mov', 'testq': 'test', 'addl': 'add'}

def norm(insn):
    m = insn.split()[0]
    return SUFFIXED.get(m, m) if arch == 'x86' else m

for core, c in doc['cores'].items():
    if c.get('arch') != arch:
        bad.append('%s: arch %r' % (core, c.get('arch')))
    if list(c['variants']) != list(DESIGN):
        bad.append('%s: variants %s, want %s' % (core, list(c['variants']),
                                                 list(DESIGN)))
    for name, v in c['variants'].items():
        keys = ['cycles_per_call', 'rthroughput', 'instructions',
                'branch_pressure', 'sequence']
        if list(v) != keys:
            bad.append('%s %s: keys %s' % (core, name, list(v)))
            continue
        for k in keys[:4]:
            if not (isinstance(v[k], (int, float)) and v[k] > 0):
                bad.append('%s %s: %s = %r' % (core, name, k, v[k]))
        if v['instructions'] != len(v['sequence']):
            bad.append('%s %s: %d instructions, %d in the sequence'
                       % (core, name, v['instructions'], len(v['sequence'])))
        if name not in DESIGN:
            continue
        seq = v['sequence']
        mn, first = DESIGN[name]
        got = ' '.join(norm(i) for i in seq)
        if got != mn:
            bad.append('%s %s: %s, want %s' % (core, name, got, mn))
        if first not in seq[0]:
            bad.append('%s %s: starts %r, want its call site (%s)'
                       % (core, name, seq[0], first))
        if not seq[-1].startswith('ret'):
            bad.append('%s %s: ends %r, not the target\'s ret'
                       % (core, name, seq[-1]))
        if any(re.match(r'(brk|udf|ud[12]|int3)\b', i) for i in seq):
            bad.append('%s %s: a trap on the path' % (core, name))

# The sequences are one per variant, the same for every core.
seqs = {json.dumps({n: v['sequence'] for n, v in c['variants'].items()})
        for c in doc['cores'].values()}
if len(seqs) != 1:
    bad.append('cores disagree on the sequences')
for b in bad:
    print('not ok: ' + b)
if not bad:
    print('ok: %d cores x %d variants, each sequence the design\'s call path'
          % (len(doc['cores']), len(DESIGN)))
sys.exit(1 if bad else 0)
EOF
	fails=$((fails + 1))

# Never over an existing file: a different one stays and is an error; an
# identical one stays and is not.
one=$(awk -F'\t' -v a="$arch" '!/^#/ && $2 == a { print $1; exit }' \
	"$src/harness/data/model-cpus.tsv")
echo '{}' >"$tmp/other.json"
"$py" "$model" --image "$arch=$image" --cores "$one" -o "$tmp/other.json" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$tmp/other.json")" = '{}' ] &&
   grep -q 'not overwritten' "$tmp/err"; then
	echo "ok: an existing different file is not overwritten"
else
	fail "over an existing file: exit $rc, $(cat "$tmp/err")"
fi
"$py" "$model" --image "$arch=$image" --cores "$one" -o "$tmp/one.json" \
	>/dev/null 2>&1 && cp "$tmp/one.json" "$tmp/one.copy" &&
"$py" "$model" --image "$arch=$image" --cores "$one" -o "$tmp/one.json" \
	>"$tmp/out" 2>&1 && grep -q unchanged "$tmp/out" &&
	cmp -s "$tmp/one.json" "$tmp/one.copy" &&
	echo "ok: an identical run leaves the file as it was" ||
	fail "a second identical run: $(cat "$tmp/out")"

echo "test_model: $fails failure(s)"
[ $fails -eq 0 ]
