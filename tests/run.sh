#!/bin/sh
# run.sh - run every test suite and sum up:
#
#   sh tests/run.sh BUILD_DIR [ASAN_DIR...]
#
# For each directory, runs DIR/unit, "sh tests/cli.sh DIR/qpan" and,
# when it is there, "sh tests/extract.sh DIR/qpan" (the data-driven
# extraction cases, same protocol).  The first directory is a plain
# build; the others are sanitized builds, run with ASAN_OPTIONS and
# UBSAN_OPTIONS that make any report fatal.
#
# Suites print "PASS name" / "FAIL name: reason" lines.  This script
# prints, per suite, "SUITE (DIR): N passed, M failed", then that suite's
# FAIL lines in full and its NOTE lines.  A suite that crashes (nonzero
# exit, a sanitizer report, no results at all) adds a FAIL line of its
# own.  The very last line is "N passed, M failed" over everything; the
# exit status is 1 if anything failed, else 0.

if [ $# -lt 1 ]; then
	echo "usage: sh tests/run.sh BUILD_DIR [ASAN_DIR...]" >&2
	exit 2
fi
cd "$(dirname "$0")/.." || exit 2

T=$(mktemp -d "${TMPDIR:-/tmp}/qpan-run.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'rm -rf "$T"; exit 2' HUP INT TERM

passed=0
failed=0

# report SUITE DIR STATUS: count and show the suite's results in
# $T/out (stdout) and $T/err (stderr); STATUS is its exit status.
report() {
	suite=$1 dir=$2 st=$3
	p=$(grep -c '^PASS ' "$T/out")
	f=$(grep -c '^FAIL ' "$T/out")
	crash=
	if [ "$st" -ne 0 ]; then
		crash="exited with status $st"
	elif grep -q 'ERROR: [A-Za-z]*Sanitizer\|runtime error:' "$T/err"; then
		crash="sanitizer report on stderr"
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		crash="no PASS or FAIL lines"
	fi
	[ -n "$crash" ] && f=$((f + 1))
	echo "$suite ($dir): $p passed, $f failed"
	grep '^FAIL \|^NOTE' "$T/out"
	if [ -n "$crash" ]; then
		echo "FAIL $suite ($dir): $crash"
		# The end of its stderr says why (a sanitizer report, a
		# signal); indented so that it is not taken for a result.
		tail -n 25 "$T/err" | sed 's/^/    | /'
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# Can LeakSanitizer run here?  It cannot under ptrace or in some
# sandboxes; then leaks are not checked, which is noted, not failed.
# The probe leaks on purpose: LeakSanitizer must say so.
leaks_work() { # UNIT
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 "$1" --leak-probe \
		>/dev/null 2>"$T/probe"
	grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$T/probe"
}

first=1
for dir in "$@"; do
	if [ -n "$first" ]; then
		first=
		unset ASAN_OPTIONS UBSAN_OPTIONS
	else
		leaks=1
		if [ -x "$dir/unit" ] && ! leaks_work "$dir/unit"; then
			leaks=0
			echo "NOTE LeakSanitizer cannot run here ($(grep -m1 . \
				"$T/probe" | head -c 160)); $dir runs with detect_leaks=0"
		fi
		ASAN_OPTIONS=detect_leaks=$leaks:abort_on_error=1
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		export ASAN_OPTIONS UBSAN_OPTIONS
	fi

	if [ -x "$dir/unit" ]; then
		"$dir/unit" >"$T/out" 2>"$T/err"
		report unit "$dir" $?
	else
		: >"$T/out"
		echo "$dir/unit: not built" >"$T/err"
		report unit "$dir" 127
	fi

	sh tests/cli.sh "$dir/qpan" >"$T/out" 2>"$T/err"
	report cli "$dir" $?

	if [ -f tests/extract.sh ]; then
		sh tests/extract.sh "$dir/qpan" >"$T/out" 2>"$T/err"
		report extract "$dir" $?
	fi

	sh tests/features.sh "$dir/qpan" >"$T/out" 2>"$T/err"
	report features "$dir" $?

	sh tests/outdir.sh "$dir/qpan" >"$T/out" 2>"$T/err"
	report outdir "$dir" $?

	# Output against data/schema.json, and qpan as a GNU parallel
	# mapper: the normal build is enough for these.
	if [ "$dir" = "$1" ]; then
		sh tests/schema.sh "$dir/qpan" >"$T/out" 2>"$T/err"
		report schema "$dir" $?
		sh tests/parallel.sh "$dir/qpan" >"$T/out" 2>"$T/err"
		report parallel "$dir" $?
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
