#!/bin/sh
# run.sh - run every test suite and sum up:
#
#   sh tests/run.sh BUILD_DIR [ASAN_DIR...]
#
# For each directory, runs DIR/unit and the shell suites cli, extract,
# features, outdir, hostile, input, inputs, reliability, docs, cron and
# tables, each as
# "sh tests/NAME.sh DIR/qpan"
# (they share tests/lib.sh).  The first directory is a plain build; the
# others are sanitized builds, run with ASAN_OPTIONS and UBSAN_OPTIONS
# that make any report fatal.
#
# Hostile input (tests/hostile.sh) has its big inputs a tenth the size
# in the sanitized builds (QPAN_TEST_SCALE=10); valgrind, schema,
# examples (every example of the man page and the README run),
# parallel, failalloc, build (the Makefile's messages and install),
# debian (the .deb) and dask (contrib/dask) run for the plain build
# only.  When QPAN_FUZZ
# names the libFuzzer target (make test sets it to build/fuzz/qpan-fuzz),
# tests/fuzz/regressions/ is replayed and a short fuzz run made, one
# result line each; without clang that is a NOTE, with clang but no
# binary (it did not build) a FAIL.
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
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_root
qp_tmpdir run

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

# run_suite NAME DIR: run tests/NAME.sh on DIR/qpan and report it.
# QPAN_TEST_SCALE (for hostile.sh) is $scale.
run_suite() {
	QPAN_TEST_SCALE=$scale sh "tests/$1.sh" "$2/qpan" >"$T/out" 2>"$T/err"
	report "$1" "$2" $?
}

# Can LeakSanitizer run here?  It cannot under ptrace or in some
# sandboxes; then leaks are not checked, which is noted, not failed.
# The probe leaks on purpose: LeakSanitizer must say so.
leaks_work() { # UNIT
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 "$1" --leak-probe \
		>/dev/null 2>"$T/probe"
	grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$T/probe"
}

# The source tree's layering: no build needed.
sh tests/layers.sh >"$T/out" 2>"$T/err"
report layers src $?

for dir in "$@"; do
	if [ "$dir" = "$1" ]; then
		scale=1
		unset ASAN_OPTIONS UBSAN_OPTIONS
	else
		scale=10
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

	for s in cli extract features outdir hostile input inputs reliability \
	         docs cron tables; do
		run_suite "$s" "$dir"
	done
	# Valgrind, output against data/schema.json, the documentation's
	# examples, qpan as a GNU parallel mapper, and the
	# allocation-failure sweep (LD_PRELOAD, which a sanitizer's
	# allocator would not see); the Makefile, the .deb and the Dask
	# recipe, which build or run that binary: the normal build only.
	if [ "$dir" = "$1" ]; then
		for s in valgrind schema examples parallel failalloc build debian dask; do
			run_suite "$s" "$dir"
		done
	fi
done

# The fuzz target: every regression input once, then a short run from
# the seeds (new inputs go to a scratch corpus, not to the tree).
# fuzz ARGS...: run it, its output in $T/log, its status in $st;
# fuzz_error: the first error in $T/log, for a FAIL line.
fuzz() {
	ASAN_OPTIONS=detect_leaks=${leaks:-1}:abort_on_error=1 \
		"$QPAN_FUZZ" "$@" >"$T/log" 2>&1
	st=$?
}
fuzz_error() {
	grep -m1 'ERROR\|runtime error\|contract violated' "$T/log" | head -c 200
}
if [ -n "$QPAN_FUZZ" ]; then
	if [ -x "$QPAN_FUZZ" ]; then
		set --
		for f in tests/fuzz/regressions/*; do
			[ -f "$f" ] && set -- "$@" "$f"
		done
		: >"$T/out"
		: >"$T/err"
		fdir=$(dirname "$QPAN_FUZZ")
		if [ $# -gt 0 ]; then
			fuzz -runs=1 "$@"
			if [ $st -eq 0 ]; then
				echo "PASS fuzz.regressions ($# inputs)" >"$T/out"
			else
				cp "$T/log" "$fdir/regressions.log"
				echo "FAIL fuzz.regressions: exit $st, $(fuzz_error) (log: $fdir/regressions.log)" >"$T/out"
			fi
		fi
		mkdir -p "$T/corpus"
		fuzz -runs="${FUZZ_RUNS:-2000}" -max_len=32768 \
			-timeout=60 -rss_limit_mb=4096 -dict=tests/fuzz/qpan.dict \
			-artifact_prefix="$T/" "$T/corpus" tests/fuzz/seeds \
			tests/fixtures tests/cases data/samples
		if [ $st -eq 0 ]; then
			echo "PASS fuzz.smoke ($(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' \
				"$T/log") runs)" >>"$T/out"
		else
			cp "$T/log" "$fdir/smoke.log"
			for a in "$T"/crash-* "$T"/timeout-* "$T"/leak-* "$T"/oom-* \
			         "$T"/slow-unit-*; do
				[ -f "$a" ] && cp "$a" "$fdir/smoke-${a##*/}"
			done
			echo "FAIL fuzz.smoke: exit $st, $(fuzz_error) (log: $fdir/smoke.log, input: $fdir/smoke-*)" >>"$T/out"
		fi
		report fuzz "$QPAN_FUZZ" 0
	elif command -v clang >/dev/null 2>&1; then
		echo "FAIL fuzz.build: $QPAN_FUZZ was not built (make fuzz-build says why)" >"$T/out"
		: >"$T/err"
		report fuzz "$QPAN_FUZZ" 0
	else
		echo "NOTE fuzz skipped: no clang to build $QPAN_FUZZ"
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
