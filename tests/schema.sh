#!/bin/sh
# schema.sh QPAN - every object qpan prints for the project's documents
# (samples, fixtures, extraction cases; also with --explain) must validate
# against data/schema.json.  Needs python3 with jsonschema (Debian:
# python3-jsonschema, installed by .ci/deps).
set -u
qpan=$1
here=$(dirname "$0")
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
"$py" -c 'import json,sys; json.load(open(sys.argv[1]))' "$here/../data/schema.json" ||
	echo "FAIL schema: data/schema.json is not JSON"
inputs="$here/../data/samples $here/cases $here/fixtures"
# shellcheck disable=SC2086
"$qpan" $inputs 2>/dev/null | "$py" "$here/schema.py" "$here/../data/schema.json"
# shellcheck disable=SC2086
"$qpan" --explain $inputs 2>/dev/null |
	"$py" "$here/schema.py" "$here/../data/schema.json" | sed 's|schema/|schema/explain:|'
# shellcheck disable=SC2086
"$qpan" --format json $inputs 2>/dev/null |
	"$py" -c 'import json,sys; [print(json.dumps(o)) for o in json.load(sys.stdin)]' |
	"$py" "$here/schema.py" "$here/../data/schema.json" | sed 's|schema/|schema/array:|'
