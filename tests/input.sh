#!/bin/sh
# input.sh QPAN - reading input reliably: NDJSON records taken exactly
# as written (one record a line, ids' digits, NULs and bad UTF-8 in the
# text refused with the line number, a line over the limit skipped),
# UTF-8 with a stray byte not mistaken for a legacy encoding
# (--invalid error|replace), standard input named once, an endless
# stream refused at --max-bytes.  PASS/FAIL lines like the other suites.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init input "$@"

nd() { q --input-format ndjson "$@"; }
srcs() { jq -r .source "$T/out" 2>/dev/null | tr '\n' ' '; }
GOODREC='{"id":"g","text":"Xong."}'

# --- NDJSON: one record a line ------------------------------------------
printf '%s\n' '{"id":"a","text":"Xong."}{"id":"b","text":"Xong."}' "$GOODREC" >"$T/two"
nd <"$T/two"
check input.ndjson.two_on_a_line "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: a: line 1: more after the record" "$2" && [ "$3" = "g " ]' \
	sh "$rc" "$T/err" "$(srcs)"
printf '{"id":"a","text":"Xong."}\r{"id":"b","text":"Xong."}\n{"id":"c","text":"Xong."}\r\n' >"$T/cr"
nd <"$T/cr"
check input.ndjson.cr_only_refused_crlf_fine "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: a: line 1: more after" "$2" && [ "$3" = "c " ]' \
	sh "$rc" "$T/err" "$(srcs)"

# --- NUL in the text, and only there ------------------------------------
printf '{"id":"r","text":"Xo\000ng."}\n%s\n' "$GOODREC" >"$T/rawnul"
nd <"$T/rawnul"
check input.ndjson.raw_nul_refused "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: r: line 1: .*NUL" "$2" && [ "$3" = "g " ]' \
	sh "$rc" "$T/err" "$(srcs)"
printf '%s\n' '{"id":"u","text":"Xo\u0000ng."}' '{"id":"e","text":"Xong \\u0000.","note":"\u0000"}' >"$T/esc"
nd <"$T/esc"
check input.ndjson.nul_only_in_decoded_text "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: u: line 1: .*NUL" "$2" && [ "$3" = "e " ] && [ "$(wc -l <"$2")" -eq 1 ]' \
	sh "$rc" "$T/err" "$(srcs)"

# --- ids as written -----------------------------------------------------
printf '%s\n' '{"id":0.1,"text":"Xong."}' '{"id":12345678901234567890,"text":"Xong."}' \
	'{"id":1e400,"text":"Xong."}' '{"id":-7,"text":"Xong."}' >"$T/ids"
nd <"$T/ids"
check input.ndjson.number_ids_as_written "status $rc; sources $(srcs)" \
	[ "$rc.$(srcs)" = "0.0.1 12345678901234567890 1e400 -7 " ]

# --- records without an id: named by a hash of the text, the same in
# any split of the stream (a line number would repeat across splits) ---
printf '%s\n' '{"text":"Hội nghị tổng kết."}' '{"text":"Xong."}' >"$T/noid"
printf '%s\n' '{"id":"g","text":"Xong."}' '{"text":"Hội nghị tổng kết."}' >"$T/noid2"
nd <"$T/noid"
a=$(srcs)
nd <"$T/noid2"
b=$(srcs)
check input.ndjson.no_id_named_by_text_hash "sources $a / $b" \
	sh -c 'set -- $1 $2 $3 $4; case "$1" in text:[0-9a-f]*) ;; *) exit 1;; esac &&
	       [ ${#1} -eq 21 ] && [ "$1" != "$2" ] && [ "$1" = "$4" ] && [ "$3" = g ]' sh "$a$b"

# --- records are UTF-8 --------------------------------------------------
printf '{"id":"w","text":"H\223i ngh\353"}\n%s\n' "$GOODREC" >"$T/latin"
nd <"$T/latin"
check input.ndjson.non_utf8_refused "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: w: line 1: text not valid UTF-8" "$2" && [ "$3" = "g " ]' \
	sh "$rc" "$T/err" "$(srcs)"
nd --invalid replace <"$T/latin"
check input.ndjson.non_utf8_replaced "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^qpan: w: 2 invalid UTF-8 bytes replaced, first at byte offset 1$" "$2" && [ "$3" = "w g " ]' \
	sh "$rc" "$T/err" "$(srcs)"

# --- a record line over the limit ---------------------------------------
{ printf '{"id":"long","text":"'; head -c 200000 /dev/zero | tr '\0' 'a'; printf '"}\n%s\n' "$GOODREC"; } >"$T/long"
nd --max-bytes 1K <"$T/long"
check input.ndjson.long_line_skipped "status $rc; stderr $(flat "$T/err"); sources $(srcs)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: -:1: record line too long" "$2" && [ "$3" = "g " ]' \
	sh "$rc" "$T/err" "$(srcs)"
head -c 20000000 /dev/zero >"$T/zeros"
nd --max-bytes 1K <"$T/zeros"
check input.ndjson.endless_line "status $rc; stderr $(flat "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: -:1: record line too long" "$2"' sh "$rc" "$T/err"

# --- an endless stream as a document ------------------------------------
q --max-bytes 1M - </dev/zero
check input.stdin_endless_refused "status $rc; stderr $(flat "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: -: larger than the limit of 1048576 bytes" "$2"' sh "$rc" "$T/err"

# --- UTF-8 with a stray byte --------------------------------------------
S=data/samples/bdbp-ha-lam-2023.txt
{ head -c 100 "$S"; printf '\223'; tail -c +101 "$S"; } >"$T/stray.txt"
q "$T/stray.txt"
check input.stray_byte_fails "status $rc; stderr $(flat "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && [ "$(cat "$2")" = "qpan: $3: invalid UTF-8 at byte offset 100" ]' \
	sh "$rc" "$T/err" "$T/stray.txt"
q --invalid replace "$T/stray.txt"
span=$(jq -r '.meeting.span | "\(.[0]) \(.[1])"' "$T/out" 2>/dev/null)
a=${span% *} b=${span#* }
check input.stray_byte_replaced "status $rc; stderr $(flat "$T/err"); span $span" \
	sh -c '[ "$1" -eq 0 ] && [ "$(cat "$2")" = "qpan: $3: 1 invalid UTF-8 byte replaced, first at byte offset 100" ] &&
	       [ "$(jq -r .encoding "$4")" = utf-8 ] &&
	       [ "$(tail -c +$(($5 + 1)) "$3" | head -c $(($6 - $5)))" = "$(jq -r .meeting.text "$4")" ]' \
	sh "$rc" "$T/err" "$T/stray.txt" "$T/out" "$a" "$b"
for e in tcvn3 viscii vni cp1258; do
	q tests/fixtures/encodings/$e.txt
	check input.legacy_$e.still_read "status $rc; encoding $(jq -r .encoding "$T/out" 2>&1)" \
		[ "$rc.$(jq -r .encoding "$T/out")" = "0.$e" ]
done
exits 2 --invalid maybe "$S"
ok invalid-mode-checked

# --- standard input once ------------------------------------------------
printf 'Xong.' >"$T/x.txt"
q - - <"$T/x.txt"
check input.stdin_twice_refused "status $rc; stderr $(flat "$T/err")" \
	sh -c '[ "$1" -eq 2 ] && grep -q "^qpan: - (standard input) can be given only once" "$2" && [ ! -s "$3" ]' \
	sh "$rc" "$T/err" "$T/out"

qp_sanitizer_check
