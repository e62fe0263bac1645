#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# variants/gen-image.py writes both sides of the image's descriptors: the
# tables in the image and their C declarations (--header, image_desc.h),
# from its one schema.  The header does not depend on the architecture;
# no file of the tree declares the descriptors again (a hand-written
# variants/image_desc.h would shadow the generated one: quote includes
# look beside the including file first); and every instance row the
# image has for this architecture has the fields the header declares.
#   TB_SRC  source folder    TB_BUILD  build folder    ARCH  architecture
src=${TB_SRC:?TB_SRC is not set}
gen=$src/variants/gen-image.py
fails=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if python3 "$gen" --header -o "$tmp/a.h" &&
	python3 "$gen" --header --arch arm64 -o "$tmp/b.h" &&
	python3 "$gen" --header --arch x86 -o "$tmp/c.h" &&
	cmp -s "$tmp/a.h" "$tmp/b.h" && cmp -s "$tmp/a.h" "$tmp/c.h"; then
	echo "ok: the header is the same for every architecture"
else
	echo "not ok: --header"; fails=$((fails + 1))
fi
if [ -n "${TB_BUILD:-}" ] && ! cmp -s "$tmp/a.h" "$TB_BUILD/variants/image_desc.h"; then
	echo "not ok: the build's image_desc.h is not gen-image.py's"
	fails=$((fails + 1))
fi

again=$(grep -rlE '^(struct tb_image_(header|instance|shape|key|loop)|enum tb_key_init) \{' \
	"$src/harness" "$src/bench" "$src/variants" "$src/tests" \
	--include='*.[ch]' --include='*.cc' 2>/dev/null)
if [ -z "$again" ]; then
	echo "ok: the descriptors are declared in gen-image.py alone"
else
	echo "not ok: the descriptors declared again in: $again"
	fails=$((fails + 1))
fi

# The instance table of the image: as many .quad lines a row as the
# header's struct tb_image_instance has fields.
python3 "$gen" --arch "${ARCH:-x86}" -o "$tmp/v.S" || fails=$((fails + 1))
want=$(sed -n '/^struct tb_image_instance {/,/^};/p' "$tmp/a.h" |
	grep -c 'int64_t')
rows=$(awk '/^tb_instances:$/ { on = 1; next } on && /:$/ { exit }
	on && /\.quad/ { n++ } END { print n + 0 }' "$tmp/v.S")
ninst=$(grep -c '^/\* .*, key 0 \*/$' "$tmp/v.S")
if [ "$want" -gt 0 ] && [ $((want * ninst)) -eq "$rows" ]; then
	echo "ok: $ninst instance rows of $want fields"
else
	echo "not ok: $rows .quad lines for $ninst instances of $want fields"
	fails=$((fails + 1))
fi
echo "test_gen_image: $fails failure(s)"
[ $fails -eq 0 ]
