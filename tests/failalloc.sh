#!/bin/sh
# failalloc.sh - qpan when memory runs out: sh tests/failalloc.sh build/qpan
#
# Same protocol as cli.sh: one "PASS name" or "FAIL name: reason" line
# per check, "NOTE ..." for remarks; exit 0 unless the script cannot run.
#
# With the LD_PRELOAD shim failalloc.so beside qpan (tests/failalloc.c,
# built by make test), each run makes the Nth allocation fail (or every
# allocation from the Nth on), N swept over the whole run (see
# sweep_points) up to the number of allocations a clean run makes.  Every run must end one of two ways: exit 0 with exactly the
# output of a clean run, or exit 1 or 2 with a "qpan: " message on
# stderr.  A crash, a hang, or exit 0 with other output (a lexicon cut
# short, a statistic without its value, a document skipped) fails.
#
# Scenarios: files with -j1 and -j2, NDJSON records on stdin, TSV, CSV, and
# -o DIR.  The plain build only (a sanitizer's allocator is not the
# shim's).  Needs sh, coreutils and cmp.

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init failalloc "$@"
SHIM=$(dirname "$QPAN")/failalloc.so
if [ ! -f "$SHIM" ]; then
	echo "NOTE failalloc: $SHIM not built, skipped"
	exit 0
fi
TO=30
S=$ROOT/data/samples

# The N to try: 1..150 (start-up), +5% from there, and 150 more spread
# evenly up to the clean run's count (the documents come after the
# rules, in the last quarter or so), in order.
sweep_points() { # COUNT
	awk -v max="$1" 'BEGIN {
		for (n = 1; n <= 150 && n <= max; n++) print n
		for (x = 150; x < max; x *= 1.05) print int(x)
		for (i = 1; i <= 150; i++) print int(max * i / 150)
	}' | sort -n | uniq
}

# scenario NAME STDIN ARGS...: sweep qpan ARGS (stdin from STDIN, a file
# or /dev/null).  $T/ref is the clean run's output.
scenario() {
	_name=$1 _in=$2
	shift 2
	rm -rf "$T/od"
	qp_timed env FAILALLOC_COUNT="$T/count" LD_PRELOAD="$SHIM" "$QPAN" "$@" \
		<"$_in" >"$T/ref" 2>"$T/referr"
	_rc=$?
	if [ "$_rc" -ne 0 ]; then
		fail "failalloc.$_name.clean" "exit $_rc: $(flat "$T/referr")"
		return
	fi
	od_ref=
	if [ -d "$T/od" ]; then
		(cd "$T/od" && find . -type f ! -name '.qpan-*' | sort |
			xargs cat) >"$T/ref.od"
		od_ref=$T/ref.od
	fi
	_count=$(cat "$T/count")
	for _mode in 0 1; do
		_bad= _runs=0 _failed=0
		for n in $(sweep_points "$_count"); do
			rm -rf "$T/od"
			qp_timed env FAILALLOC_N=$n FAILALLOC_AFTER=$_mode LD_PRELOAD="$SHIM" \
				"$QPAN" "$@" <"$_in" >"$T/out" 2>"$T/err"
			rc=$?
			_runs=$((_runs + 1))
			if [ "$rc" -eq 0 ]; then
				_same=1
				cmp -s "$T/out" "$T/ref" || _same=
				if [ -n "$od_ref" ]; then
					(cd "$T/od" 2>/dev/null && find . -type f ! -name '.qpan-*' |
						sort | xargs cat) >"$T/out.od" 2>/dev/null
					cmp -s "$T/out.od" "$od_ref" || _same=
				fi
				if [ -z "$_same" ]; then
					_bad="N=$n: exit 0 but output differs from a clean run; stderr: $(flat "$T/err")"
					break
				fi
			elif [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then
				_failed=$((_failed + 1))
				if ! grep -q '^qpan: ' "$T/err"; then
					_bad="N=$n: exit $rc without a message; stderr: $(flat "$T/err")"
					break
				fi
				# Memory, not the data, ran short: say so.
				if grep -q 'not valid UTF-8\|not a regular file\|NUL byte' "$T/err"; then
					_bad="N=$n: out of memory reported as something else: $(flat "$T/err")"
					break
				fi
			else
				_bad="N=$n: exit $rc (crash or hang); stderr: $(flat "$T/err")"
				break
			fi
		done
		_what=nth
		[ "$_mode" -eq 1 ] && _what=from_nth
		if [ -n "$_bad" ]; then
			fail "failalloc.$_name.$_what" "$_bad"
		else
			pass "failalloc.$_name.$_what"
			echo "NOTE failalloc.$_name.$_what: $_runs runs over $_count allocations, $_failed failed with a message"
		fi
	done
}

printf '{"id": "a", "text": "Hội nghị tổng kết công tác quốc phòng năm 2024. Công an huyện đã khởi tố 12 vụ, bắt 30 đối tượng."}\n{"id": "b", "text": "Ban CHQS huyện tổ chức hội nghị."}\n' >"$T/records.ndjson"

scenario files_j1 /dev/null -j1 "$S"
scenario files_j2 /dev/null -j2 "$S"
scenario records "$T/records.ndjson" -j1 --input-format ndjson
scenario tsv /dev/null -j1 --format tsv "$S"
scenario csv_officials /dev/null -j1 --format csv --table officials "$S"
scenario outdir /dev/null -j1 -o "$T/od" "$S"

# Under `ulimit -v` (address space), from too little to start to enough:
# PCRE2's JIT compiler can crash when its own allocation fails (libpcre2
# 10.42); qpan lends it a reserve and falls back to the interpreter, so
# every run completes or stops with a message.
if (ulimit -v 100000) 2>/dev/null; then
	_bad=
	for kb in 4000 6000 8000 10000 12000 14000 16000 20000 24000 32000 48000 64000; do
		(ulimit -v $kb; exec "$QPAN" -j2 "$S") >"$T/out" 2>"$T/err"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			"$QPAN" -j2 "$S" >"$T/ref" 2>/dev/null
			cmp -s "$T/out" "$T/ref" ||
				{ _bad="ulimit -v $kb: exit 0, other output"; break; }
		elif [ "$rc" -eq 127 ] && grep -q 'error while loading shared' "$T/err"; then
			: # too little even for the dynamic loader
		elif [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ] || ! grep -q '^qpan: ' "$T/err"; then
			_bad="ulimit -v $kb: exit $rc; stderr: $(flat "$T/err")"
			break
		fi
	done
	check failalloc.ulimit_v "$_bad" [ -z "$_bad" ]
else
	echo "NOTE failalloc.ulimit_v: ulimit -v not available, skipped"
fi
