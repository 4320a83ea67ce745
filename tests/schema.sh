#!/bin/sh
# schema.sh QPAN - every object qpan prints for the project's documents
# (samples, fixtures, extraction cases; also with --explain) must validate
# against data/schema.json.  Needs python3 with jsonschema (Debian:
# python3-jsonschema, installed by .ci/deps).
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init schema "$@"
py=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema' 2>/dev/null; then
		py=$p
		break
	fi
done
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
# schema, its check named schema/PREFIXSOURCE.
validate() {
	"$py" tests/schema.py data/schema.json | sed "s|schema/|schema/$1|"
}
# shellcheck disable=SC2086
"$QPAN" $inputs 2>/dev/null | validate ''
# shellcheck disable=SC2086
"$QPAN" --explain $inputs 2>/dev/null | validate explain:
# shellcheck disable=SC2086
"$QPAN" --format json $inputs 2>/dev/null |
	"$py" -c 'import json,sys; [print(json.dumps(o)) for o in json.load(sys.stdin)]' |
	validate array:
