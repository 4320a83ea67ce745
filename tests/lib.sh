# lib.sh - the preamble and helpers shared by the shell suites in tests/.
# Not run by itself: a suite sources it, then names itself, e.g. cli.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	qp_suite_init cli "$@"
#
# qp_suite_init NAME ARGS... takes exactly one argument, the qpan binary
# (else a usage line on stderr and exit 2), and sets
#	QP_SUITE  NAME
#	QPAN      the binary as an absolute path; when it is not an
#	          executable, prints "FAIL NAME.binary: ..." and exits 0
#	ROOT      the repository root, which becomes the current directory
#	T         a new temporary directory, removed on exit (HUP, INT and
#	          TERM remove it and exit 2)
# run.sh, which takes build directories, not a binary, uses the two
# halves qp_root and qp_tmpdir NAME alone.  Everything here is POSIX sh
# (the suites run under dash) and works under set -u.
#
# The output protocol, which run.sh counts:
#	PASS name
#	FAIL name: reason     (newlines in the reason shown as "|")
#	NOTE ...              a remark, not counted
# A suite exits 0 unless it cannot run at all.
#
# Results:
#	pass NAME, fail NAME REASON   one line each (QP_REASON_MAX, when a
#	                              suite sets it, cuts reasons to that
#	                              many bytes)
#	check NAME REASON CMD...      PASS NAME when CMD succeeds, else FAIL
#	ok NAME                       PASS SUITE/NAME when the previous
#	                              command succeeded, else "FAIL
#	                              SUITE/NAME: status N"
# Running qpan:
#	qp_timed CMD...       CMD under `timeout $TO` (seconds; 30 unless
#	                      the suite sets TO) where there is timeout(1)
#	q ARGS...             qp_timed qpan ARGS, stdout in $T/out, stderr
#	                      in $T/err, status in $rc (124: timed out)
#	exits STATUS ARGS...  succeeds when qpan ARGS, its output thrown
#	                      away, exits STATUS
#	sanitizer_scan WHAT   a sanitizer report in $T/err is noted in
#	                      $T/sanitizer (q does this after each run)
#	qp_sanitizer_check    the check SUITE.sanitizer_clean over those
# Inputs: loop_tree DIR, a directory to walk with a symbolic link loop
# and a dangling link in it.
# Tools: qp_python MODULE..., a python3 that imports them.
# For messages: first FILE (its first line), flat FILE (its lines joined
# by "|"), lines FILE (how many lines).

# shellcheck shell=sh
QP_SUITE=
QP_REASON_MAX=
TO=30
if command -v timeout >/dev/null 2>&1; then HAVE_TIMEOUT=1; else HAVE_TIMEOUT=; fi

# qp_root: cd to the repository root (the parent of this script's
# directory), kept in ROOT.
qp_root() {
	ROOT=$(cd "$(dirname "$0")/.." && pwd)
	cd "$ROOT" || exit 2
}

# qp_tmpdir NAME: a temporary directory $T, qpan-NAME.XXXXXX, removed
# when the script ends.
qp_tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/qpan-$1.XXXXXX") || exit 2
	trap 'rm -rf "$T"' EXIT
	trap 'rm -rf "$T"; exit 2' HUP INT TERM
}

qp_suite_init() { # NAME ARGS...
	QP_SUITE=$1
	shift
	if [ $# -ne 1 ]; then
		echo "usage: sh tests/$QP_SUITE.sh PATH/TO/qpan" >&2
		exit 2
	fi
	case $1 in
	/*) QPAN=$1 ;;
	*) QPAN=$(pwd)/$1 ;;
	esac
	if [ ! -x "$QPAN" ]; then
		echo "FAIL $QP_SUITE.binary: $QPAN is not an executable"
		exit 0
	fi
	qp_root
	qp_tmpdir "$QP_SUITE"
}

# ---------------------------------------------------------------------
# Results

pass() { printf 'PASS %s\n' "$1"; }
fail() {
	_qp_reason=$(printf '%s' "$2" | tr '\n' '|')
	if [ -n "$QP_REASON_MAX" ]; then
		_qp_reason=$(printf '%s' "$_qp_reason" | head -c "$QP_REASON_MAX")
	fi
	printf 'FAIL %s: %s\n' "$1" "$_qp_reason"
}

# check NAME REASON CONDITION...: PASS if the command succeeds.
check() {
	_qp_name=$1 _qp_why=$2
	shift 2
	if "$@"; then pass "$_qp_name"; else fail "$_qp_name" "$_qp_why"; fi
}

# ok NAME: PASS SUITE/NAME when the previous command succeeded.
ok() {
	_qp_st=$?
	if [ "$_qp_st" -eq 0 ]; then
		pass "$QP_SUITE/$1"
	else
		fail "$QP_SUITE/$1" "status $_qp_st"
	fi
}

# ---------------------------------------------------------------------
# Running qpan

qp_timed() {
	if [ -n "$HAVE_TIMEOUT" ]; then
		timeout "$TO" "$@"
	else
		"$@"
	fi
}

# shellcheck disable=SC2034  # rc is for the suites
q() {
	qp_timed "$QPAN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	sanitizer_scan "$*"
}

exits() {
	_qp_want=$1
	shift
	"$QPAN" "$@" >/dev/null 2>&1
	[ "$?" -eq "$_qp_want" ]
}

sanitizer_scan() { # WHAT: how the run is named in the report
	if grep -q 'Sanitizer\|runtime error:' "$T/err"; then
		{ printf 'qpan %s: ' "$(printf '%s' "$1" | head -c 100)"
		  grep -m1 'Sanitizer\|runtime error:' "$T/err"; } >>"$T/sanitizer"
	fi
}

# The reports collected by q and sanitizer_scan (only meaningful for a
# sanitized build; a report also changes the status, which the checks
# look at).
qp_sanitizer_check() {
	check "$QP_SUITE.sanitizer_clean" \
		"$(head -n 3 "$T/sanitizer" 2>/dev/null | tr '\n' '|')" \
		[ ! -s "$T/sanitizer" ]
}

# loop_tree DIR: a tree that a walk must get through, made of the
# fixtures: the documents DIR/a.txt (stamp.txt) and DIR/in/z.txt
# (posted.txt), DIR/in/back, a symbolic link to DIR (a loop), and
# DIR/dangling.txt, a link to nothing.
loop_tree() {
	mkdir -p "$1/in"
	cp "$ROOT/tests/fixtures/stamp.txt" "$1/a.txt"
	cp "$ROOT/tests/fixtures/posted.txt" "$1/in/z.txt"
	ln -s .. "$1/in/back"
	ln -s nowhere "$1/dangling.txt"
}

# ---------------------------------------------------------------------
# For messages

# The first line of a file (at most 200 bytes).
first() { head -n 1 "$1" | head -c 200; }
# qp_python MODULE...: print the first of python3 and /usr/bin/python3
# (Debian's, which its python3-* packages serve) that imports every
# MODULE; fail when none does.
qp_python() {
	for qp_py in python3 /usr/bin/python3; do
		if command -v "$qp_py" >/dev/null 2>&1 &&
		   "$qp_py" -c "import $(echo "$@" | tr ' ' ',')" 2>/dev/null; then
			echo "$qp_py"
			return 0
		fi
	done
	return 1
}
# A file's lines joined by "|" (at most 300 bytes).
flat() { tr '\n' '|' <"$1" | head -c 300; }
# Number of lines.
lines() { wc -l <"$1" | tr -d ' '; }
