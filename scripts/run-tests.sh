#!/bin/sh
# Run test programs (cmocka binaries or shell scripts) for one architecture
# and close with one "N passed, N failed" line.
#   RUN   emulator prefix for cross-built binaries (empty when native)
#   ARCH  architecture being tested (for the summary line)
# Each binary or script is one test program; a nonzero exit is a failure.
passed=0
failed=0
failures=
for t in "$@"; do
	name=$(basename "$t")
	printf '=== %s (%s%s)\n' "$name" "$ARCH" "${RUN:+, under $RUN}"
	case "$t" in
	*.sh) sh "$t" ;;
	*) $RUN "$t" ;;
	esac
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
	else
		echo "*** $name failed (exit $rc)"
		failed=$((failed + 1))
		failures="$failures $name"
	fi
done
[ -n "$failures" ] && echo "failed on $ARCH:$failures"
echo "$ARCH: $passed passed, $failed failed"
[ $failed -eq 0 ]
