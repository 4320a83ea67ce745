#!/bin/sh
# parallel.sh QPAN - qpan as a mapper: an NDJSON stream of {"id","text"}
# records split by GNU parallel --pipe across two jobs gives, sorted, the
# same lines as one run over the whole stream (the contract of Hadoop
# Streaming and Spark's RDD.pipe as well).
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init parallel "$@"

if ! command -v parallel >/dev/null 2>&1; then
	echo "FAIL parallel: GNU parallel is not installed (apt-get install parallel)"
	exit 0
fi

# One record per document of the project's own: samples and cases.
for f in data/samples/*.txt tests/cases/*.txt; do
	jq -cRs --arg id "$(basename "$f" .txt)" '{id: $id, text: .}' "$f"
done > "$T/in.ndjson"
n=$(wc -l < "$T/in.ndjson")

"$QPAN" --input-format ndjson < "$T/in.ndjson" > "$T/one" 2>"$T/err1"
[ "$?" -eq 0 ] && [ ! -s "$T/err1" ]
ok single-run-clean

parallel --will-cite --pipe -N 5 -j 2 "$QPAN" --input-format ndjson \
	< "$T/in.ndjson" > "$T/many" 2>"$T/err2"
[ "$?" -eq 0 ] && [ ! -s "$T/err2" ]
ok split-run-clean

[ "$(wc -l < "$T/one")" -eq "$n" ] && [ "$n" -gt 10 ]
ok one-object-per-record

sort "$T/one" > "$T/one.sorted"
sort "$T/many" > "$T/many.sorted"
cmp -s "$T/one.sorted" "$T/many.sorted"
ok split-equals-single

jq -r .id "$T/in.ndjson" | sort > "$T/ids"
jq -r .source "$T/one" | sort > "$T/sources"
cmp -s "$T/ids" "$T/sources"
ok source-is-id
