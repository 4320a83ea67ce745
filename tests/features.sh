#!/bin/sh
# features.sh QPAN - output formats, legacy encodings, --explain,
# --progress, NDJSON record input and -j ordering, end to end.
# Prints PASS/FAIL lines like the other suites.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init features "$@"
enc=tests/fixtures/encodings

# --- formats -------------------------------------------------------------
"$QPAN" data/samples > "$T/nd" 2>/dev/null
n=$(wc -l < "$T/nd")
"$QPAN" --format json data/samples > "$T/arr"
jq -e --argjson n "$n" 'type == "array" and length == $n' "$T/arr" >/dev/null
ok format-json-is-one-array
jq -c '.[]' "$T/arr" | cmp -s - "$T/nd"
ok format-json-same-objects
"$QPAN" --format json /nonexistent 2>/dev/null | jq -e '. == []' >/dev/null
ok format-json-empty-array
"$QPAN" --format pretty data/samples > "$T/pretty"
[ "$(wc -l < "$T/pretty")" -gt $((n * 10)) ] && jq -c . "$T/pretty" | cmp -s - "$T/nd"
ok format-pretty-same-objects
"$QPAN" -p data/samples | cmp -s - "$T/pretty"
ok pretty-flag-is-format-pretty
"$QPAN" --format tsv data/samples > "$T/tsv"
[ "$(head -1 "$T/tsv")" = "$(printf 'source\tmeeting_date\tcategory\tvalue\tunit\tapprox\titem\tprovince\tspan_start\tspan_end')" ]
ok format-tsv-header
[ "$(($(wc -l < "$T/tsv") - 1))" -eq "$(jq -s '[.[].statistics | length] | add' "$T/nd")" ]
ok format-tsv-one-row-per-statistic
awk -F'\t' 'NR > 1 && NF != 10 { bad = 1 } END { exit bad }' "$T/tsv"
ok format-tsv-ten-columns
jq -r '.source as $s | .meeting.date as $d | .meeting.locality.province as $p | .statistics[] |
	[$s, ($d // ""), .category, (.value | tostring), .unit, (.approx // ""), (.item // ""),
	 ($p // ""), .span[0], .span[1]] | @tsv' \
	"$T/nd" | cmp -s - "$(tail -n +2 "$T/tsv" > "$T/rows"; echo "$T/rows")"
ok format-tsv-matches-json
exits 2 --format xml /dev/null
ok format-unknown-is-usage-error

# --- encodings -------------------------------------------------------------
"$QPAN" "$enc/utf8.txt" | jq -c 'del(.source, .encoding) | del(.. | .span?)' > "$T/ref"
for e in cp1258 tcvn3 viscii vni utf16le utf16be; do
	"$QPAN" "$enc/$e.txt" > "$T/$e" 2>"$T/$e.err"
	[ "$?" -eq 0 ] && [ ! -s "$T/$e.err" ]
	ok "encoding-auto-$e-reads"
	jq -c 'del(.source, .encoding) | del(.. | .span?)' "$T/$e" | cmp -s - "$T/ref"
	ok "encoding-auto-$e-same-answers"
	want=$e
	[ "$e" = utf16le ] && want=utf-16le
	[ "$e" = utf16be ] && want=utf-16be
	jq -e --arg w "$want" '.encoding == $w' "$T/$e" >/dev/null
	ok "encoding-auto-$e-reported"
	# Every span cuts the bytes of the original file: decode them the
	# same way and compare with the text.
	jq -r '.. | objects | select(has("span") and .span != null) | "\(.span[0]) \(.span[1])"' "$T/$e" |
	while read -r s t; do
		tail -c +$((s + 1)) "$enc/$e.txt" | head -c $((t - s)) > "$T/piece"
		"$QPAN" --encoding "$want" "$T/piece" > /dev/null 2>&1 || echo bad
	done | grep -q bad
	[ "$?" -ne 0 ]
	ok "encoding-$e-spans-cut-whole-characters"
done
"$QPAN" --encoding tcvn3 "$enc/tcvn3.txt" | jq -c 'del(.source, .encoding) | del(.. | .span?)' | cmp -s - "$T/ref"
ok encoding-explicit-tcvn3
"$QPAN" --encoding vni "$enc/vni.txt" | jq -e '.encoding == "vni"' >/dev/null
ok encoding-explicit-vni
"$QPAN" --encoding utf-8 "$enc/tcvn3.txt" > /dev/null 2>"$T/err"
[ "$?" -eq 1 ] && grep -q "invalid UTF-8" "$T/err"
ok encoding-utf8-refuses-legacy
exits 2 --encoding klingon /dev/null
ok encoding-unknown-is-usage-error
"$QPAN" "$enc/utf8.txt" | jq -e '.encoding == "utf-8"' >/dev/null
ok encoding-utf8-reported

# --- explain -----------------------------------------------------------------
"$QPAN" --explain data/samples tests/cases > "$T/ex"
jq -e '[.meeting, .officials[], .units[], .statistics[], .awards[], .tasks[]]
	| map(select(. != null and has("span") and .span != null)) | all(has("rule"))' "$T/ex" |
	grep -qv true
[ "$?" -ne 0 ]
ok explain-every-item-has-a-rule
jq -r '.. | objects | .rule? // empty' "$T/ex" | sort -u > "$T/ids"
cut -f1 data/rules/*.rules | grep -v '^[#@]' | grep . | sort -u > "$T/known"
comm -23 "$T/ids" "$T/known" | grep -q .
[ "$?" -ne 0 ] && [ -s "$T/ids" ]
ok explain-ids-are-rule-ids
"$QPAN" data/samples | jq -e '[.. | objects | has("rule")] | any | not' >/dev/null
ok no-rule-without-explain

# --- progress ----------------------------------------------------------------
"$QPAN" --progress data/samples > /dev/null 2>"$T/err"
[ ! -s "$T/err" ]
ok progress-silent-when-not-a-terminal
if command -v script >/dev/null 2>&1; then
	script -qec "$QPAN --progress data/samples > /dev/null" /dev/null > "$T/tty" 2>&1
	grep -q "4/4 documents" "$T/tty"
	ok progress-on-a-terminal
fi

# --- NDJSON records, -j order ---------------------------------------------
printf '%s\n' '{"id":"a","text":"Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị."}' \
	'not json' '{"id":7,"text":"x"}' '{"nope":1}' '' > "$T/rec"
"$QPAN" --input-format ndjson < "$T/rec" > "$T/out" 2>"$T/err"
[ "$?" -eq 1 ]
ok records-bad-record-exit-1
[ "$(jq -r .source "$T/out" | tr '\n' ' ')" = "a 7 " ]
ok records-source-is-id
grep -q '^qpan: -:2: not a JSON object$' "$T/err" && grep -q '^qpan: -:4: no "text" string' "$T/err"
ok records-errors-name-the-line
exits 2 --input-format ndjson x </dev/null
ok records-refuse-operands
for j in 1 2 3; do "$QPAN" -j $j tests/cases data/samples > "$T/j$j" 2>&1; done
cmp -s "$T/j1" "$T/j2" && cmp -s "$T/j1" "$T/j3"
ok jobs-output-identical
exits 2 -j 0 /dev/null
ok jobs-zero-is-usage-error
