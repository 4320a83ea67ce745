#!/bin/sh
# inputs.sh QPAN - naming the inputs: -g and --iglob as one set (a union
# of includes, "!" excludes files and directories, a "/" matches the
# path below the operand), --files (what would be read, in order, read
# nothing), --files-from a file or stdin (-0: NUL-ended names, one with
# a newline), their usage errors, and --emit-records, whose records fed
# back with --input-format ndjson give the same facts (byte for byte for
# UTF-8 input; legacy input comes out as UTF-8 text).  PASS/FAIL lines
# like the other suites.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init inputs "$@"

# The tree: names in byte order are B.TXT a.txt notes.md old.bak skip/
# sub/ (sub: c.txt d.TXT).  --files reads nothing, so most files are one
# line; the fixtures are real documents.
D=$T/d
mkdir -p "$D/sub" "$D/skip"
cp tests/fixtures/stamp.txt "$D/a.txt"
cp tests/fixtures/posted.txt "$D/B.TXT"
printf 'Ghi chú hội nghị tổng kết.\n' >"$D/notes.md"
printf 'Bản cũ.\n' >"$D/old.bak"
cp tests/fixtures/dateline.txt "$D/sub/c.txt"
printf 'Huyện đội tổng kết năm 2023.\n' >"$D/sub/d.TXT"
printf 'Bỏ qua.\n' >"$D/skip/e.txt"

# expect_files NAME WANT ARGS...: --files ARGS lists WANT (the paths
# below $D, on one line), status 0.
expect_files() {
	_n=$1 _w=$2
	shift 2
	q --files "$@"
	_got=$(sed "s|^$D/||" "$T/out" | tr '\n' ' ')
	check "inputs.$_n" "status $rc, got [$_got], want [$_w]; $(first "$T/err")" \
		[ "$rc" -eq 0 ] && [ "$_got" = "$_w" ]
}

# --- globs -----------------------------------------------------------
expect_files glob.default "a.txt skip/e.txt sub/c.txt " "$D"
expect_files glob.union "a.txt notes.md skip/e.txt sub/c.txt " \
	-g '*.md' -g '*.txt' "$D"
expect_files glob.union_order_free "a.txt notes.md skip/e.txt sub/c.txt " \
	-g '*.txt' -g '*.md' "$D"
expect_files glob.exclude_wins "a.txt notes.md sub/c.txt " \
	-g '*.txt' -g '*.md' -g '!e.txt' "$D"
expect_files glob.exclude_only_keeps_default "a.txt sub/c.txt " -g '!skip' "$D"
expect_files glob.exclude_directory "a.txt skip/e.txt " -g '!sub' "$D"
expect_files glob.path "sub/c.txt sub/d.TXT " -g 'sub/*' "$D"
expect_files glob.path_star_in_one_name "" -g '*/c.txt' -g '!sub' "$D"
expect_files glob.case_sensitive "B.TXT sub/d.TXT " -g '*.TXT' "$D"
expect_files iglob "B.TXT a.txt skip/e.txt sub/c.txt sub/d.TXT " \
	--iglob '*.txt' "$D"
expect_files iglob.mixed_with_glob "B.TXT a.txt notes.md " \
	--iglob '*.TXT' -g '*.md' --iglob '!SUB' --iglob '!Skip' "$D"
expect_files iglob.exclude "a.txt skip/e.txt sub/c.txt " \
	-g '*.txt' --iglob '*.TXT' --iglob '!b.txt' --iglob '!D.txt' "$D"
# Operands themselves are never filtered.
expect_files glob.not_for_operands "notes.md " -g '!*.md' "$D/notes.md"
q -g '!' "$D"
check inputs.glob.empty_exclusion_refused "status $rc; $(first "$T/err")" \
	[ "$rc" -eq 2 ]
# Extraction reads the same set (not only --files).
q -g '*.txt' --iglob '*.TXT' -g '!sub' "$D"
check inputs.glob.extraction_reads_the_set "status $rc; sources $(jq -r .source "$T/out" | tr '\n' ' ')" \
	[ "$rc" -eq 0 ] && [ "$(jq -r .source "$T/out" | sed "s|^$D/||" | tr '\n' ' ')" = "B.TXT a.txt skip/e.txt " ]

# --- --files ---------------------------------------------------------
expect_files files.operand_order "sub/c.txt a.txt notes.md " \
	"$D/sub" "$D/a.txt" "$D/notes.md"
q --files -0 "$D/sub" "$D/a.txt"
check inputs.files.null "got $(od -c "$T/out" | head -n 3 | tr '\n' ' ')" \
	[ "$(tr '\0' '|' <"$T/out")" = "$D/sub/c.txt|$D/a.txt|" ]
q --files "$D/a.txt" "$D/missing.txt" "$D/sub"
check inputs.files.missing_reported "status $rc; stderr $(flat "$T/err"); out $(flat "$T/out")" \
	[ "$rc" -eq 1 ] && grep -q "^qpan: $D/missing.txt: No such file" "$T/err" &&
	[ "$(flat "$T/out")" = "$D/a.txt|$D/sub/c.txt|" ]
loop_tree "$T/loop"
q --files "$T/loop"
check inputs.files.loop_reported "status $rc; stderr $(flat "$T/err"); out $(flat "$T/out")" \
	[ "$rc" -eq 1 ] && grep -q "in/back: directory loop" "$T/err" &&
	grep -q "dangling.txt: No such file" "$T/err" &&
	[ "$(flat "$T/out")" = "$T/loop/a.txt|$T/loop/in/z.txt|" ]
# Nothing is read: a FIFO with no writer is listed at once.
mkfifo "$T/fifo"
TO=5 q --files "$T/fifo"
check inputs.files.reads_nothing "status $rc; $(first "$T/err")" \
	[ "$rc" -eq 0 ] && [ "$(cat "$T/out")" = "$T/fifo" ]

# --- --files-from ----------------------------------------------------
# Command-line operands first, then the list; blank lines skipped; a
# directory in the list is walked like an operand.
printf '%s\n\n%s\n' "$D/B.TXT" "$D/sub" >"$T/list"
q --files --files-from "$T/list" "$D/a.txt"
check inputs.files_from.file "status $rc; out $(flat "$T/out"); $(first "$T/err")" \
	[ "$rc" -eq 0 ] && [ "$(flat "$T/out")" = "$D/a.txt|$D/B.TXT|$D/sub/c.txt|" ]
qp_timed "$QPAN" --files-from - <"$T/list" >"$T/out" 2>"$T/err"
rc=$?
check inputs.files_from.stdin "status $rc; sources $(jq -r .source "$T/out" 2>/dev/null | tr '\n' ' ')" \
	[ "$rc" -eq 0 ] && [ "$(jq -r .source "$T/out" | tr '\n' '|')" = "$D/B.TXT|$D/sub/c.txt|" ]
# Nothing trimmed: "a.txt" then CR is another name.
printf '%s\r\n%s\n' "$D/a.txt" "$D/B.TXT" >"$T/crlist"
q --files-from "$T/crlist"
check inputs.files_from.cr_kept "status $rc; stderr $(flat "$T/err")" \
	[ "$rc" -eq 1 ] && grep -q "a.txt.: No such file" "$T/err" &&
	[ "$(jq -r .source "$T/out")" = "$D/B.TXT" ]
# -0: a name with a newline in it, from find -print0.
mkdir "$T/nl"
cp tests/fixtures/stamp.txt "$T/nl/ngày
mới.txt"
cp tests/fixtures/posted.txt "$T/nl/z.txt"
(cd "$T/nl" && find . -type f -print0 | LC_ALL=C sort -z) >"$T/nullist"
(cd "$T/nl" && qp_timed "$QPAN" --files-from - -0 <"$T/nullist" >"$T/out" 2>"$T/err")
rc=$?
check inputs.files_from.null_newline_name "status $rc; $(first "$T/err"); sources $(jq -c .source "$T/out" 2>/dev/null | tr '\n' ' ')" \
	[ "$rc" -eq 0 ] && [ "$(jq -c .source "$T/out" | tr '\n' ' ')" = '"./ngày\nmới.txt" "./z.txt" ' ]
(cd "$T/nl" && "$QPAN" --files --files-from "$T/nullist" -0 >"$T/out" 2>"$T/err")
rc=$?
check inputs.files_from.null_with_files "status $rc; out $(od -c "$T/out" | head -n 2 | tr '\n' ' ')" \
	[ "$rc" -eq 0 ] && [ "$(tr '\0\n' '|#' <"$T/out")" = "./ngày#mới.txt|./z.txt|" ]
# "-" in a list read from stdin: stdin is taken, that entry fails.
printf '%s\n-\n%s\n' "$D/a.txt" "$D/B.TXT" | qp_timed "$QPAN" --files-from - >"$T/out" 2>"$T/err"
rc=$?
check inputs.files_from.dash_line_when_stdin_taken "status $rc; stderr $(flat "$T/err")" \
	[ "$rc" -eq 1 ] && grep -q "^qpan: -: standard input is read once" "$T/err" &&
	[ "$(jq -r .source "$T/out" | tr '\n' '|')" = "$D/a.txt|$D/B.TXT|" ]
q --files-from "$T/no-such-list"
check inputs.files_from.missing_list "status $rc; stderr $(flat "$T/err")" \
	[ "$rc" -eq 1 ] && grep -q "^qpan: $T/no-such-list: No such file" "$T/err"

# --- usage errors ----------------------------------------------------
usage() { # NAME WORD ARGS...: status 2 and WORD in the message
	_n=$1 _w=$2
	shift 2
	q "$@" </dev/null
	check "inputs.usage.$_n" "status $rc; $(first "$T/err")" \
		[ "$rc" -eq 2 ] && grep -q -- "$_w" "$T/err"
}
usage stdin_list_and_dash_operand "only once" --files-from - -
usage null_needs_a_list "needs --files-from or --files" -0 "$D"
usage records_not_with_files "together" --emit-records --files "$D"
usage records_not_with_tsv "NDJSON" --emit-records -f tsv "$D"
usage records_not_with_ndjson_input "ndjson" --emit-records --input-format ndjson
usage files_from_not_with_ndjson_input "ndjson" --files-from "$T/list" --input-format ndjson

# --- --emit-records ----------------------------------------------------
# round_trip NAME OPERAND...: records fed back give the same bytes as
# reading the files, at -j 1 and -j 3.
round_trip() {
	_n=$1
	shift
	"$QPAN" "$@" >"$T/direct" 2>"$T/err1"
	"$QPAN" -j 3 --emit-records "$@" >"$T/records" 2>"$T/err2"
	_rc=$?
	"$QPAN" --input-format ndjson <"$T/records" >"$T/back" 2>>"$T/err2"
	check "inputs.emit_records.round_trip_$_n" "status $_rc; $(first "$T/err2"); $(cmp "$T/direct" "$T/back" 2>&1)" \
		[ "$_rc" -eq 0 ] && [ -s "$T/back" ] && cmp -s "$T/direct" "$T/back"
}
round_trip samples data/samples
round_trip cases tests/cases
round_trip fixtures tests/fixtures/stamp.txt tests/fixtures/crlf_bom.txt tests/fixtures/nfd.txt
"$QPAN" -j 1 --emit-records data/samples tests/cases >"$T/j1"
"$QPAN" -j 3 --emit-records data/samples tests/cases >"$T/j3"
check inputs.emit_records.jobs_same_order "$(cmp "$T/j1" "$T/j3" 2>&1)" cmp -s "$T/j1" "$T/j3"
check inputs.emit_records.one_per_document "$(lines "$T/j1") lines" \
	[ "$(lines "$T/j1")" -eq "$(ls data/samples/*.txt tests/cases/*.txt | wc -l)" ]
# The text is the exact decoded text: the UTF-8 file itself, BOM and
# CRs too (not normalized).
q --emit-records tests/fixtures/crlf_bom.txt
check inputs.emit_records.exact_text "status $rc" \
	sh -c 'jq -j .text "$1" | cmp -s - tests/fixtures/crlf_bom.txt' sh "$T/out"
# Legacy encodings come out as UTF-8: TCVN3 and VISCII as utf8.txt's
# bytes; CP1258's decoding keeps its combining marks (NFC comes later),
# so there the facts agree but for spans.
for e in tcvn3 viscii utf16le utf16be; do
	q --emit-records "tests/fixtures/encodings/$e.txt"
	check "inputs.emit_records.legacy_$e" "status $rc; $(first "$T/err")" \
		sh -c 'jq -j .text "$1" | cmp -s - tests/fixtures/encodings/utf8.txt' sh "$T/out"
done
q --emit-records tests/fixtures/encodings/tcvn3.txt
"$QPAN" --input-format ndjson <"$T/out" | jq -c 'del(.source, .encoding)' >"$T/back"
"$QPAN" tests/fixtures/encodings/utf8.txt | jq -c 'del(.source, .encoding)' >"$T/direct"
check inputs.emit_records.legacy_same_facts "$(cmp "$T/direct" "$T/back" 2>&1)" \
	cmp -s "$T/direct" "$T/back"
nospan='del(.source, .encoding) | walk(if type == "object" then del(.span) else . end)'
q --emit-records --encoding cp1258 tests/fixtures/encodings/cp1258.txt
"$QPAN" --input-format ndjson <"$T/out" | jq -c "$nospan" >"$T/back"
"$QPAN" tests/fixtures/encodings/utf8.txt | jq -c "$nospan" >"$T/direct"
check inputs.emit_records.cp1258_utf8_text "status $rc; $(cmp "$T/direct" "$T/back" 2>&1)" \
	[ "$rc" -eq 0 ] && jq -j .text "$T/out" | iconv -f UTF-8 -t UTF-8 >/dev/null &&
	cmp -s "$T/direct" "$T/back"
# Errors per document, the others still out, in order.
mkdir "$T/bad"
cp tests/fixtures/stamp.txt "$T/bad/a.txt"
printf 'Hội\000nghị\n' >"$T/bad/b.txt"
printf 'Hội nghị \377 tổng kết\n' >"$T/bad/c.txt"
cp tests/fixtures/posted.txt "$T/bad/d.txt"
q --emit-records --encoding utf-8 "$T/bad"
check inputs.emit_records.errors_per_document "status $rc; stderr $(flat "$T/err"); ids $(jq -r .id "$T/out" | tr '\n' ' ')" \
	[ "$rc" -eq 1 ] && grep -q "b.txt: binary file (NUL byte at offset 4)" "$T/err" &&
	grep -q "c.txt: invalid UTF-8 at byte offset 13" "$T/err" &&
	[ "$(jq -r .id "$T/out" | tr '\n' ' ')" = "$T/bad/a.txt $T/bad/d.txt " ]
q --emit-records --invalid replace "$T/bad/c.txt"
check inputs.emit_records.invalid_replace "status $rc; stderr $(flat "$T/err"); $(first "$T/out")" \
	[ "$rc" -eq 0 ] && grep -q "1 invalid UTF-8 byte replaced, first at byte offset 13" "$T/err" &&
	[ "$(jq -r .text "$T/out")" = "Hội nghị � tổng kết" ]
# A name that is not UTF-8: "id" readable, "id_base64" its bytes.
mkdir "$T/raw"
cp tests/fixtures/stamp.txt "$T/raw/caf$(printf '\351').txt"
(cd "$T/raw" && qp_timed "$QPAN" --emit-records . >"$T/out" 2>"$T/err")
rc=$?
check inputs.emit_records.name_not_utf8 "status $rc; $(first "$T/out" | head -c 80)" \
	[ "$rc" -eq 0 ] && [ "$(jq -r .id "$T/out")" = "./caf�.txt" ] &&
	[ "$(jq -r .id_base64 "$T/out")" = "$(printf './caf\351.txt' | base64)" ]
"$QPAN" --input-format ndjson <"$T/out" >"$T/back" 2>"$T/err"
check inputs.emit_records.name_not_utf8_fed_back "$(first "$T/err")" \
	[ "$(jq -r .source "$T/back")" = "./caf�.txt" ]
# With --files-from too.
printf '%s\n' data/samples tests/fixtures/stamp.txt | "$QPAN" --emit-records --files-from - >"$T/records"
check inputs.emit_records.files_from "$(lines "$T/records") lines" \
	[ "$(jq -r .id "$T/records" | tail -n 1)" = tests/fixtures/stamp.txt ] &&
	[ "$(lines "$T/records")" -eq "$(($(ls data/samples/*.txt | wc -l) + 1))" ]

# --- the option list -------------------------------------------------
"$QPAN" --generate complete-zsh >"$T/zsh"
check inputs.zsh_repeatable "$(grep -e '--glob' -e '--iglob' "$T/zsh" | tr '\n' '|')" \
	sh -c "grep -q \"'\\*'{-g+,--glob=}'\" \"\$1\" && grep -q \"'\\*--iglob=\" \"\$1\" &&
	       grep -q \"'(-j --jobs)'\" \"\$1\"" sh "$T/zsh"

qp_sanitizer_check
