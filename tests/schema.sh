#!/bin/sh
# schema.sh QPAN - every object qpan prints for the project's documents
# (samples, fixtures, extraction cases; also with --explain) must validate
# against data/schema.json.  Needs python3 with jsonschema (Debian:
# python3-jsonschema, installed by .ci/deps).
#
# tests/schema.py prints a PASS or FAIL line per object and exits 1 when
# it printed a FAIL; this script passes its lines on and checks that its
# status agrees with them (schema/PREFIXstatus), but exits 0 itself:
# run.sh counts the FAIL lines, and would count a nonzero exit as a
# crash.  schema.py is tested on an object that is not valid.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init schema "$@"
py=$(qp_python jsonschema) || py=""
if [ -z "$py" ]; then
	echo "FAIL schema: no python3 with jsonschema (apt-get install python3-jsonschema)"
	exit 0
fi
"$py" -c 'import json,sys; json.load(open(sys.argv[1]))' data/schema.json ||
	echo "FAIL schema: data/schema.json is not JSON"
# The check names are the sources as given (schema/tests/../data/samples/
# NAME.txt, as they have always been named).
inputs="tests/../data/samples tests/cases tests/fixtures"
# validate PREFIX: every object of the NDJSON on stdin against the
# schema, its check named schema/PREFIXSOURCE; schema.py's status must
# be 1 with FAIL lines and 0 without.
validate() {
	"$py" tests/schema.py data/schema.json >"$T/v" 2>"$T/verr"
	_st=$?
	sed "s|schema/|schema/$1|" "$T/v"
	if grep -q '^FAIL ' "$T/v"; then
		[ "$_st" -eq 1 ] ||
			fail "schema/${1}status" "FAIL lines, but schema.py exited $_st"
	elif [ "$_st" -ne 0 ]; then
		fail "schema/${1}status" "schema.py exited $_st: $(first "$T/verr")"
	fi
}

# schema.py itself: an object that breaks the schema is a FAIL line and
# exit status 1.
printf '{"source": "bad.txt", "encoding": 7}\n' |
	"$py" tests/schema.py data/schema.json >"$T/bad" 2>"$T/err"
st=$?
check schema.py.fails_invalid "exit $st, printed: $(flat "$T/bad") $(first "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^FAIL schema/bad.txt: " "$2"' sh "$st" "$T/bad"
# shellcheck disable=SC2086
"$QPAN" $inputs 2>/dev/null | validate ''
# shellcheck disable=SC2086
"$QPAN" --explain $inputs 2>/dev/null | validate explain:
# shellcheck disable=SC2086
"$QPAN" --format json $inputs 2>/dev/null |
	"$py" -c 'import json,sys; [print(json.dumps(o)) for o in json.load(sys.stdin)]' |
	validate array:

# The FAIL lines say what failed; run.sh counts them.
exit 0
