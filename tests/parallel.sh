#!/bin/sh
# parallel.sh QPAN - qpan as a mapper: an NDJSON stream of {"id","text"}
# records split by GNU parallel --pipe across two jobs gives, sorted, the
# same lines as one run over the whole stream (the contract of Hadoop
# Streaming and Spark's RDD.pipe as well).
set -u
qpan=$1
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v parallel >/dev/null 2>&1; then
	echo "FAIL parallel: GNU parallel is not installed (apt-get install parallel)"
	exit 0
fi
check() { # NAME: PASS when the previous command succeeded
	if [ "$?" -eq 0 ]; then echo "PASS parallel/$1"; else echo "FAIL parallel/$1"; fi
}

# One record per document of the project's own: samples and cases.
for f in "$here"/../data/samples/*.txt "$here"/cases/*.txt; do
	jq -cRs --arg id "$(basename "$f" .txt)" '{id: $id, text: .}' "$f"
done > "$tmp/in.ndjson"
n=$(wc -l < "$tmp/in.ndjson")

"$qpan" --input-format ndjson < "$tmp/in.ndjson" > "$tmp/one" 2>"$tmp/err1"
[ "$?" -eq 0 ] && [ ! -s "$tmp/err1" ]
check single-run-clean

parallel --will-cite --pipe -N 5 -j 2 "$qpan" --input-format ndjson \
	< "$tmp/in.ndjson" > "$tmp/many" 2>"$tmp/err2"
[ "$?" -eq 0 ] && [ ! -s "$tmp/err2" ]
check split-run-clean

[ "$(wc -l < "$tmp/one")" -eq "$n" ] && [ "$n" -gt 10 ]
check one-object-per-record

sort "$tmp/one" > "$tmp/one.sorted"
sort "$tmp/many" > "$tmp/many.sorted"
cmp -s "$tmp/one.sorted" "$tmp/many.sorted"
check split-equals-single

jq -r .id "$tmp/in.ndjson" | sort > "$tmp/ids"
jq -r .source "$tmp/one" | sort > "$tmp/sources"
cmp -s "$tmp/ids" "$tmp/sources"
check source-is-id
