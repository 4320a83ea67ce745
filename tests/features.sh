#!/bin/sh
# features.sh QPAN - output formats, legacy encodings, --explain,
# --progress, NDJSON record input and -j ordering, end to end.
# Prints PASS/FAIL lines like the other suites.
set -u
qpan=$1
here=$(dirname "$0")
enc="$here/fixtures/encodings"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { # NAME: PASS when the previous command succeeded
	if [ "$?" -eq 0 ]; then echo "PASS features/$1"; else echo "FAIL features/$1"; fi
}

# --- formats -------------------------------------------------------------
"$qpan" "$here/../data/samples" > "$tmp/nd" 2>/dev/null
n=$(wc -l < "$tmp/nd")
"$qpan" --format json "$here/../data/samples" > "$tmp/arr"
jq -e --argjson n "$n" 'type == "array" and length == $n' "$tmp/arr" >/dev/null
ok format-json-is-one-array
jq -c '.[]' "$tmp/arr" | cmp -s - "$tmp/nd"
ok format-json-same-objects
"$qpan" --format json /nonexistent 2>/dev/null | jq -e '. == []' >/dev/null
ok format-json-empty-array
"$qpan" --format pretty "$here/../data/samples" > "$tmp/pretty"
[ "$(wc -l < "$tmp/pretty")" -gt $((n * 10)) ] && jq -c . "$tmp/pretty" | cmp -s - "$tmp/nd"
ok format-pretty-same-objects
"$qpan" -p "$here/../data/samples" | cmp -s - "$tmp/pretty"
ok pretty-flag-is-format-pretty
"$qpan" --format tsv "$here/../data/samples" > "$tmp/tsv"
[ "$(head -1 "$tmp/tsv")" = "$(printf 'source\tmeeting_date\tcategory\tvalue\tunit\tapprox\titem')" ]
ok format-tsv-header
[ "$(($(wc -l < "$tmp/tsv") - 1))" -eq "$(jq -s '[.[].statistics | length] | add' "$tmp/nd")" ]
ok format-tsv-one-row-per-statistic
awk -F'\t' 'NR > 1 && NF != 7 { bad = 1 } END { exit bad }' "$tmp/tsv"
ok format-tsv-seven-columns
jq -r '.source as $s | .meeting.date as $d | .statistics[] |
	[$s, ($d // ""), .category, (.value | tostring), .unit, (.approx // ""), (.item // "")] | @tsv' \
	"$tmp/nd" | cmp -s - "$(tail -n +2 "$tmp/tsv" > "$tmp/rows"; echo "$tmp/rows")"
ok format-tsv-matches-json
"$qpan" --format xml /dev/null > /dev/null 2>&1
[ "$?" -eq 2 ]
ok format-unknown-is-usage-error

# --- encodings -------------------------------------------------------------
"$qpan" "$enc/utf8.txt" | jq -c 'del(.source, .encoding) | del(.. | .span?)' > "$tmp/ref"
for e in cp1258 tcvn3 viscii vni utf16le utf16be; do
	"$qpan" "$enc/$e.txt" > "$tmp/$e" 2>"$tmp/$e.err"
	[ "$?" -eq 0 ] && [ ! -s "$tmp/$e.err" ]
	ok "encoding-auto-$e-reads"
	jq -c 'del(.source, .encoding) | del(.. | .span?)' "$tmp/$e" | cmp -s - "$tmp/ref"
	ok "encoding-auto-$e-same-answers"
	want=$e
	[ "$e" = utf16le ] && want=utf-16le
	[ "$e" = utf16be ] && want=utf-16be
	jq -e --arg w "$want" '.encoding == $w' "$tmp/$e" >/dev/null
	ok "encoding-auto-$e-reported"
	# Every span cuts the bytes of the original file: decode them the
	# same way and compare with the text.
	jq -r '.. | objects | select(has("span") and .span != null) | "\(.span[0]) \(.span[1])"' "$tmp/$e" |
	while read -r s t; do
		tail -c +$((s + 1)) "$enc/$e.txt" | head -c $((t - s)) > "$tmp/piece"
		"$qpan" --encoding "$want" "$tmp/piece" > /dev/null 2>&1 || echo bad
	done | grep -q bad
	[ "$?" -ne 0 ]
	ok "encoding-$e-spans-cut-whole-characters"
done
"$qpan" --encoding tcvn3 "$enc/tcvn3.txt" | jq -c 'del(.source, .encoding) | del(.. | .span?)' | cmp -s - "$tmp/ref"
ok encoding-explicit-tcvn3
"$qpan" --encoding vni "$enc/vni.txt" | jq -e '.encoding == "vni"' >/dev/null
ok encoding-explicit-vni
"$qpan" --encoding utf-8 "$enc/tcvn3.txt" > /dev/null 2>"$tmp/err"
[ "$?" -eq 1 ] && grep -q "invalid UTF-8" "$tmp/err"
ok encoding-utf8-refuses-legacy
"$qpan" --encoding klingon /dev/null > /dev/null 2>&1
[ "$?" -eq 2 ]
ok encoding-unknown-is-usage-error
"$qpan" "$enc/utf8.txt" | jq -e '.encoding == "utf-8"' >/dev/null
ok encoding-utf8-reported

# --- explain -----------------------------------------------------------------
"$qpan" --explain "$here/../data/samples" "$here/cases" > "$tmp/ex"
jq -e '[.meeting, .officials[], .units[], .statistics[], .awards[], .tasks[]]
	| map(select(. != null and has("span") and .span != null)) | all(has("rule"))' "$tmp/ex" |
	grep -qv true
[ "$?" -ne 0 ]
ok explain-every-item-has-a-rule
jq -r '.. | objects | .rule? // empty' "$tmp/ex" | sort -u > "$tmp/ids"
cut -f1 "$here"/../data/rules/*.rules | grep -v '^[#@]' | grep . | sort -u > "$tmp/known"
comm -23 "$tmp/ids" "$tmp/known" | grep -q .
[ "$?" -ne 0 ] && [ -s "$tmp/ids" ]
ok explain-ids-are-rule-ids
"$qpan" "$here/../data/samples" | jq -e '[.. | objects | has("rule")] | any | not' >/dev/null
ok no-rule-without-explain

# --- progress ----------------------------------------------------------------
"$qpan" --progress "$here/../data/samples" > /dev/null 2>"$tmp/err"
[ ! -s "$tmp/err" ]
ok progress-silent-when-not-a-terminal
if command -v script >/dev/null 2>&1; then
	script -qec "$qpan --progress $here/../data/samples > /dev/null" /dev/null > "$tmp/tty" 2>&1
	grep -q "4/4 documents" "$tmp/tty"
	ok progress-on-a-terminal
fi

# --- NDJSON records, -j order ---------------------------------------------
printf '%s\n' '{"id":"a","text":"Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị."}' \
	'not json' '{"id":7,"text":"x"}' '{"nope":1}' '' > "$tmp/rec"
"$qpan" --input-format ndjson < "$tmp/rec" > "$tmp/out" 2>"$tmp/err"
[ "$?" -eq 1 ]
ok records-bad-record-exit-1
[ "$(jq -r .source "$tmp/out" | tr '\n' ' ')" = "a 7 " ]
ok records-source-is-id
grep -q '^qpan: -:2: not a JSON object$' "$tmp/err" && grep -q '^qpan: -:4: no "text" string' "$tmp/err"
ok records-errors-name-the-line
"$qpan" --input-format ndjson x < /dev/null > /dev/null 2>&1
[ "$?" -eq 2 ]
ok records-refuse-operands
for j in 1 2 3; do "$qpan" -j $j "$here/cases" "$here/../data/samples" > "$tmp/j$j" 2>&1; done
cmp -s "$tmp/j1" "$tmp/j2" && cmp -s "$tmp/j1" "$tmp/j3"
ok jobs-output-identical
"$qpan" -j 0 /dev/null > /dev/null 2>&1
[ "$?" -eq 2 ]
ok jobs-zero-is-usage-error
