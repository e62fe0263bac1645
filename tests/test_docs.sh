#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The README is a front page and docs/ holds the rest, so the two must
# stay joined: the README fits 250 lines, every relative link of README.md
# and docs/*.md ([text](path), ![alt](path)) names a file or folder that
# exists, every `docs/...` path they quote exists, and the README's list
# of where to read on links every docs/*.md (a new document nobody can
# find from the front page fails here).  Anchors (#...) are not checked:
# the documents link files, not headings.  Needs nothing built; the
# same on every architecture.
#   TB_SRC  source folder (default: the one above this script)
src=${TB_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
fails=0
max=250

lines=$(wc -l <"$src/README.md")
if [ "$lines" -le $max ]; then
	echo "ok: README.md has $lines lines (at most $max)"
else
	echo "not ok: README.md has $lines lines, more than $max: move a topic to docs/"
	fails=$((fails + 1))
fi

# Markdown links, one "file<TAB>target" a line; a link's target is
# relative to the folder of the file that holds it.
links() {
	for f in "$src/README.md" "$src"/docs/*.md; do
		grep -o '\](\([^)]*\))' "$f" |
			sed -e 's/^\](//' -e 's/)$//' -e 's/#.*//' \
				-e "s|^|$f	|"
	done
}
bad=0
n=0
tab=$(printf '\t')
while IFS="$tab" read -r f target; do
	case $target in
	'' | http://* | https://* | mailto:*) continue ;;
	esac
	n=$((n + 1))
	if [ ! -e "$(dirname "$f")/$target" ]; then
		echo "not ok: ${f#"$src"/} links $target, which does not exist"
		bad=$((bad + 1))
	fi
done <<EOF
$(links)
EOF
if [ $bad -eq 0 ] && [ $n -gt 0 ]; then
	echo "ok: all $n relative links resolve"
elif [ $n -eq 0 ]; then
	echo "not ok: no relative links found (the README must link docs/)"
	bad=1
fi
fails=$((fails + bad))

# `docs/...` as quoted in the text, relative to the top of the tree;
# a placeholder (<name>) or a pattern (*) names no one file.
bad=0
for f in "$src/README.md" "$src"/docs/*.md; do
	for p in $(grep -o '`docs/[^` ]*`' "$f" | tr -d '`' | grep -v '[<*]'); do
		if [ ! -e "$src/$p" ]; then
			echo "not ok: ${f#"$src"/} names $p, which does not exist"
			bad=$((bad + 1))
		fi
	done
done
[ $bad -eq 0 ] && echo "ok: every docs/ path the documents name exists"
fails=$((fails + bad))

# The front page's "read on" list: each document, linked from README.md.
bad=0
for d in "$src"/docs/*.md; do
	name=docs/${d##*/}
	if ! grep -qF "]($name)" "$src/README.md"; then
		echo "not ok: README.md does not link $name: add it to where to read on"
		bad=$((bad + 1))
	fi
done
[ $bad -eq 0 ] && echo "ok: README.md links every docs/*.md"
fails=$((fails + bad))

[ $fails -eq 0 ]
