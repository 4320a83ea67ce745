#!/bin/sh
# hostile.sh - qpan against hostile input: sh tests/hostile.sh build/qpan
#
# Same protocol as cli.sh: one "PASS name" or "FAIL name: reason" line
# per check, "NOTE ..." for remarks; exit 0 unless the script cannot run.
#
# Every case of issue 6: empty and blank files, NUL bytes, each kind of
# invalid UTF-8, a 50 MB line, a million one-word sentences, 10,000
# numbers in a row, names and titles thousands of characters long,
# directory loops, a directory named x.txt, FIFOs, files that vanish
# between listing and reading, --max-bytes, a document built to make the
# rules backtrack, a closed output pipe and a full disk.  Each asserts
# the message ("qpan: PATH: reason"), the exit status, that the other
# documents of the same run are still printed, and that the run ends
# (every run is under `timeout`; 124 means it did not).
#
# Big inputs are generated in a temporary directory and removed.
# QPAN_TEST_SCALE=N (default 1) divides the sizes of the big cases by N:
# run.sh sets it for the sanitized builds, so the normal build runs them
# full size.
#
# Needs sh, coreutils and jq only.

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init hostile "$@"
F=$ROOT/tests/fixtures
QP_REASON_MAX=400	# reasons can quote long messages: cut them

SCALE=${QPAN_TEST_SCALE:-1}
case $SCALE in
'' | *[!0-9]* | 0) SCALE=1 ;;
esac

# ---------------------------------------------------------------------
# Helpers (besides tests/lib.sh's).  q runs qpan under `timeout $TO`,
# 60 s unless a case sets TO; 124 means the run did not finish.

TO=60

# finished: the last run was not killed by the timeout.
finished() { [ "$rc" -ne 124 ] && [ "$rc" -lt 128 ]; }
why_status() { # WANT: a reason for a failed status check
	if [ "$rc" -eq 124 ]; then
		echo "did not finish within ${TO}s (killed)"
	else
		echo "exit $rc, want $1; stderr: $(flat "$T/err")"
	fi
}

# q_pipe FILE ARGS...: q ARGS with FILE on standard input through a pipe
# (so qpan cannot know its size).
q_pipe() {
	_in=$1
	shift
	cat "$_in" | { q "$@"; echo "$rc" >"$T/rc"; }
	rc=$(cat "$T/rc")
}

# clean PREFIX [MORE]: the checks PREFIX.exit (the last run exited 0;
# MORE is added to the reason) and PREFIX.quiet (nothing on stderr).
clean() {
	check "$1.exit" "$(why_status 0)${2:+ $2}" [ "$rc" -eq 0 ]
	check "$1.quiet" "stderr: $(flat "$T/err")" [ ! -s "$T/err" ]
}

# sources FILE: the .source of each object, space-separated, with the
# temporary directory shown as T.
sources() {
	jq -r .source "$1" 2>/dev/null | sed "s|^$T|T|" | tr '\n' ' '
}
# printed SOURCE...: the last run printed one document for each SOURCE,
# in this order, and no other; ended STATUS SOURCE...: and it exited
# STATUS.
printed() {
	[ "$(jq -r .source "$T/out" 2>/dev/null | tr '\n' ' ')" = "$(printf '%s ' "$@")" ]
}
ended() {
	[ "$rc" -eq "$1" ] || return 1
	shift
	printed "$@"
}

# objects_ok FILE N: FILE holds exactly N lines, each one JSON object
# with the fields of every document.
objects_ok() {
	[ "$(lines "$1")" -eq "$2" ] || return 1
	[ "$2" -eq 0 ] && return 0
	jq -e -s --argjson n "$2" 'length == $n and all(.[]; type == "object"
	    and has("source") and has("title") and has("meeting")
	    and (.officials | type == "array") and (.statistics | type == "array"))' \
		"$1" >/dev/null 2>&1
}

# spans_in FILE OUT: every span in OUT is [s, e) with 0 <= s <= e <= size
# of FILE.
spans_in() {
	_size=$(wc -c <"$1")
	jq -e --argjson size "$_size" '[.. | objects | select(.span? | type == "array")
	    | .span | select(length != 2 or .[0] < 0 or .[0] > .[1] or .[1] > $size)]
	    | length == 0' "$2" >/dev/null 2>&1
}

# stderr_is LINE...: stderr is exactly these lines, in this order.
stderr_is() {
	printf '%s\n' "$@" >"$T/want_err"
	cmp -s "$T/want_err" "$T/err"
}

# rep STRING N: STRING N times, each followed by a space; no newline.
rep() { yes "$1" | head -n "$2" | tr '\n' ' '; }

# --encoding: when qpan has the option, invalid UTF-8 cases ask for
# UTF-8 explicitly (an automatic guess may read the bytes as a legacy
# encoding, which is not what these cases test).
if "$QPAN" --help 2>/dev/null | grep -q -- '--encoding'; then
	ENC="--encoding utf-8"
else
	ENC=
fi

GOOD=$F/lede.txt        # a document that always works
GOOD2=$F/stamp.txt

# ---------------------------------------------------------------------
# Empty and blank documents: each is a document with nothing found
# (exit 0, one object, nothing on stderr), like cli.empty_file.

: >"$T/empty.txt"
printf '\357\273\277' >"$T/bom.txt"
printf ' \t\n\r\n   \n\n\f\v' >"$T/blank.txt"
printf '\357\273\277 \r\n\t\r\n' >"$T/bom_blank.txt"
printf '\n\n\n\n' >"$T/newlines.txt"
q "$T/empty.txt" "$T/bom.txt" "$T/blank.txt" "$T/bom_blank.txt" "$T/newlines.txt" "$GOOD"
clean hostile.blank
check hostile.blank.one_object_each "$(lines "$T/out") lines: $(sources "$T/out")" \
	[ "$(sources "$T/out")" = "T/empty.txt T/bom.txt T/blank.txt T/bom_blank.txt T/newlines.txt $GOOD " ]
# Nothing is found in any of them: no title, no date, no span.
for k in empty bom blank bom_blank newlines; do
	got=$(jq -c --arg s "$T/$k.txt" 'select(.source == $s) | [.title, .published,
	      .meeting.text, ([.. | objects | select(.span? != null)] | length)]' \
		"$T/out" 2>/dev/null)
	check "hostile.blank.$k.nothing_found" "got $got" [ "$got" = "[null,null,null,0]" ]
done

# ---------------------------------------------------------------------
# Bad documents are run in batches: one qpan run over every case of a
# kind, good documents between them, then one result line per case
# (its message, exactly) and per batch (exit status, the good documents
# printed in order, no other message).
#
# batch_add NAME MESSAGE: the case's file is $T/NAME.txt and its
# expected message is "qpan: $T/NAME.txt: MESSAGE".
batch_start() { : >"$T/batch.files"; : >"$T/batch.names"; : >"$T/batch.msgs"; }
batch_add() {
	printf '%s\n' "$1" >>"$T/batch.names"
	printf 'qpan: %s: %s\n' "$T/$1.txt" "$2" >>"$T/batch.msgs"
}
# batch_run PREFIX [OPTIONS...]: run GOOD, each case, GOOD2.
batch_run() {
	_p=$1
	shift
	set -- "$@" "$GOOD"
	while IFS= read -r _n; do
		set -- "$@" "$T/$_n.txt"
	done <"$T/batch.names"
	q "$@" "$GOOD2"
	while IFS= read -r _n; do
		_m=$(grep -F "qpan: $T/$_n.txt: " "$T/batch.msgs")
		check "$_p.$_n" "want '$(printf '%s' "$_m" | sed "s|$T|T|")', stderr: $(grep -F "$T/$_n.txt" "$T/err" | sed "s|$T|T|" | head -c 200)" \
			grep -qxF "$_m" "$T/err"
	done <"$T/batch.names"
	check "$_p.batch.exit" "$(why_status 1)" [ "$rc" -eq 1 ]
	check "$_p.batch.only_those_messages" "$(lines "$T/err") lines for $(lines "$T/batch.msgs") cases" \
		[ "$(lines "$T/err")" -eq "$(lines "$T/batch.msgs")" ]
	check "$_p.batch.others_printed" "sources: $(sources "$T/out")" \
		printed "$GOOD" "$GOOD2"
}

# ---------------------------------------------------------------------
# NUL bytes: "binary file (NUL byte at offset N), not text", N in bytes
# of the input as given (a BOM and CR count).

batch_start
nul() { batch_add "$1" "binary file (NUL byte at offset $2), not text"; }
printf '\000' >"$T/nul_only.txt"
nul nul_only 0
head -c 1048576 /dev/zero >"$T/nul_mb.txt"
nul nul_mb 0
printf '\357\273\277Ti\341\273\201u \304\221\341\273\201\r\n\r\nab\000cd\n' >"$T/nul_after_bom_crlf.txt"
nul nul_after_bom_crlf 21
{ cat "$GOOD2"; printf '\000'; } >"$T/nul_at_end.txt"
nul nul_at_end "$(wc -c <"$GOOD2" | tr -d ' ')"
printf 'Ti\303\252u \304\221\341\273\201\000\377\n' >"$T/nul_then_bad.txt"
nul nul_then_bad 11
batch_run hostile.nul

# ---------------------------------------------------------------------
# Invalid UTF-8, every kind: "invalid UTF-8 at byte offset N", where N
# is the first byte of the bad sequence.  When qpan has --encoding these
# runs ask for UTF-8 (see ENC above).

batch_start
mkdir -p "$T/badenc"
bad_utf8() { # NAME BYTES(printf) [OFFSET]
	printf "Ti\303\252u \304\221\341\273\201 $2 sai\n" >"$T/$1.txt"
	cp "$T/$1.txt" "$T/badenc/"
	batch_add "$1" "invalid UTF-8 at byte offset ${3:-12}"
}
# Overlong forms of "/" (2, 3 and 4 bytes), of U+0000, and the largest
# overlong 3-byte form (U+07FF).
bad_utf8 overlong2 '\300\257'
bad_utf8 overlong2_c1 '\301\277'
bad_utf8 overlong3 '\340\200\257'
bad_utf8 overlong3_max '\340\237\277'
bad_utf8 overlong4 '\360\200\200\257'
bad_utf8 overlong4_max '\360\217\277\277'
bad_utf8 overlong_nul '\300\200'
# UTF-16 surrogates: high, low, and a pair encoded as two 3-byte forms.
bad_utf8 surrogate_high '\355\240\200'
bad_utf8 surrogate_low '\355\277\277'
bad_utf8 surrogate_pair '\355\240\275\355\270\200'
# Above U+10FFFF, and every byte that never appears in UTF-8.
bad_utf8 above_max '\364\220\200\200'
for b in 365 366 367 370 371 372 373 374 375 376 377; do
	bad_utf8 "byte_$b" "\\$b\\200\\200\\200"
done
# 5- and 6-byte forms of the old definition.
bad_utf8 five_byte '\370\210\200\200\200'
bad_utf8 six_byte '\374\204\200\200\200\200'
# A continuation byte alone, a lead byte followed by ASCII, a sequence
# cut short in the middle of the text.
bad_utf8 lone_continuation '\200'
bad_utf8 lead_then_ascii '\303A'
bad_utf8 cut_mid '\341\272 '
# A sequence cut by the end of the file (no newline after it), for each
# length; the offset is that of the lead byte.
n=$(wc -c <"$GOOD2" | tr -d ' ')
cut_at_eof() { # NAME BYTES
	{ cat "$GOOD2"; printf "$2"; } >"$T/$1.txt"
	cp "$T/$1.txt" "$T/badenc/"
	batch_add "$1" "invalid UTF-8 at byte offset $n"
}
cut_at_eof cut_eof_2of2 '\303'
cut_at_eof cut_eof_2of3 '\341\272'
cut_at_eof cut_eof_3of4 '\360\237\230'
printf '\341' >"$T/cut_eof_alone.txt"
batch_add cut_eof_alone "invalid UTF-8 at byte offset 0"
batch_run hostile.utf8 $ENC

# After a BOM and CRLF line ends the offset still counts every byte.
printf '\357\273\277ab\r\ncd\377\n' >"$T/bad_after_bom.txt"
q $ENC "$T/bad_after_bom.txt"
check hostile.utf8.offset_counts_bom_and_cr "stderr: $(flat "$T/err")" \
	stderr_is "qpan: $T/bad_after_bom.txt: invalid UTF-8 at byte offset 9"
# With the default encoding (when qpan guesses legacy encodings), each
# of those files is either read or reported by name; nothing else.
if [ -n "$ENC" ]; then
	q "$T/badenc"
	ls "$T/badenc" | sed "s|^|$T/badenc/|" >"$T/all"
	{ jq -r .source "$T/out" 2>/dev/null
	  sed -n "s|^qpan: \($T/badenc/[^:]*\): .*|\1|p" "$T/err"; } | sort >"$T/seen"
	check hostile.utf8.default_encoding.each_read_or_reported \
		"$(why_status '0 or 1'); not accounted for: $(comm -23 "$T/all" "$T/seen" | tr '\n' ' ')" \
		sh -c 'finished() { [ "$1" -ne 124 ] && [ "$1" -lt 128 ]; }
		       finished "$1" && cmp -s "$2" "$3" &&
		       [ "$(wc -l <"$4")" -eq "$(grep -c "^qpan: " "$4")" ] &&
		       { [ "$1" -eq 0 -a ! -s "$4" ] || [ "$1" -eq 1 -a -s "$4" ]; }' \
		sh "$rc" "$T/all" "$T/seen" "$T/err"
fi
# Standard input with bad bytes is named "-".
printf 'abc\377\n' >"$T/stdin_bad.txt"
q_pipe "$T/stdin_bad.txt" $ENC - "$GOOD"
check hostile.utf8.stdin "exit $rc, stderr: $(flat "$T/err")" ended 1 "$GOOD"
check hostile.utf8.stdin.message "stderr: $(flat "$T/err")" \
	stderr_is "qpan: -: invalid UTF-8 at byte offset 3"

# ---------------------------------------------------------------------
# Big documents.  Sizes are divided by QPAN_TEST_SCALE.

TO=300

# One line of 50 MB with no newline anywhere, no full stop: one sentence.
phrase='năm 2023 công tác quốc phòng - an ninh được giữ vững, Công an huyện tổ chức hội nghị tổng kết'
plen=$(( $(printf '%s ' "$phrase" | wc -c) ))
mb=$((50 / SCALE)); [ "$mb" -ge 1 ] || mb=1
rep "$phrase" $((mb * 1048576 / plen + 1)) >"$T/line.txt"
size=$(wc -c <"$T/line.txt" | tr -d ' ')
q "$T/line.txt" "$GOOD"
clean "hostile.line_${mb}mb" "($size bytes)"
# One jq pass over the (big) output: per line, its source and how many
# of its spans fall outside the big file.
jq -r --argjson size "$size" '[.source, ([.. | objects | select(.span? | type == "array")
    | .span | select(length != 2 or .[0] < 0 or .[0] > .[1] or .[1] > $size)] | length)]
    | @tsv' "$T/out" >"$T/summary" 2>/dev/null
check "hostile.line_${mb}mb.output" "$(lines "$T/out") lines: $(flat "$T/summary")" \
	[ "$(lines "$T/out")" -eq 2 -a "$(cut -f1 "$T/summary" | tr '\n' ' ')" = "$T/line.txt $GOOD " ]
check "hostile.line_${mb}mb.spans" "spans outside the file: $(flat "$T/summary")" \
	[ "$(cut -f2 "$T/summary" | tr '\n' ' ')" = "0 0 " ]
rm -f "$T/out"
# The same file over a --max-bytes limit: refused with a message.
lim=$((size / 2))
q --max-bytes "$lim" "$GOOD" "$T/line.txt" "$GOOD2"
check "hostile.max_bytes.big_file.exit" "$(why_status 1)" [ "$rc" -eq 1 ]
check "hostile.max_bytes.big_file.message" "stderr: $(flat "$T/err")" \
	stderr_is "qpan: $T/line.txt: larger than the limit of $lim bytes (--max-bytes)"
check "hostile.max_bytes.big_file.others_printed" "sources: $(sources "$T/out")" \
	printed "$GOOD" "$GOOD2"
# ... and the same bytes on standard input (a pipe: no size known).
q_pipe "$T/line.txt" --max-bytes "$lim" - "$GOOD"
check hostile.max_bytes.stdin_pipe "exit $rc, stderr: $(flat "$T/err")" ended 1 "$GOOD"
check hostile.max_bytes.stdin_pipe.message "stderr: $(flat "$T/err")" \
	stderr_is "qpan: -: larger than the limit of $lim bytes (--max-bytes)"
rm -f "$T/line.txt"

# A million one-word sentences.
nsent=$((1000000 / SCALE))
yes 'Xong.' | head -n "$nsent" | tr '\n' ' ' >"$T/sentences.txt"
q "$GOOD" "$T/sentences.txt" "$GOOD2"
clean "hostile.sentences_$nsent"
check "hostile.sentences_$nsent.output" "sources: $(sources "$T/out")" \
	printed "$GOOD" "$T/sentences.txt" "$GOOD2"
# The same, one sentence a line (a tenth as many).
yes 'Xong.' | head -n $((nsent / 10)) >"$T/sentences_lines.txt"
q "$T/sentences_lines.txt" "$GOOD"
check "hostile.sentences_$((nsent / 10)).lines" "$(why_status 0), $(lines "$T/out") lines" \
	ended 0 "$T/sentences_lines.txt" "$GOOD"
rm -f "$T/sentences.txt" "$T/sentences_lines.txt"

# big_doc PREFIX FILE: qpan FILE GOOD exits 0, quietly, with two whole
# objects whose spans are inside FILE.
big_doc() {
	q "$2" "$GOOD"
	clean "$1"
	check "$1.output" "$(lines "$T/out") lines: $(first "$T/out")" objects_ok "$T/out" 2
	check "$1.spans" "a span outside the file" spans_in "$2" "$T/out"
}

# 10,000 numbers in a row: bare, with a unit, with thousands dots and
# decimal commas, and as one 10,000-digit number.
{
	echo 'Kết quả năm 2023'
	printf 'Bắt giữ '; seq 1 10000 | tr '\n' ' '; echo 'đối tượng.'
	printf 'Xử lý '; seq 1 10000 | sed 's/$/ vụ,/' | tr '\n' ' '; echo 'trong năm.'
	printf 'Thu giữ '; seq 1000 1 11000 | sed 's/$/.000,5 kg/' | tr '\n' ' '; echo 'ma túy.'
	printf 'Số '; yes 9 | head -n 10000 | tr -d '\n'; echo ' đối tượng.'
	printf 'Ngày '; seq 1 10000 | sed 's|$|/12/2023|' | tr '\n' ' '; echo
} >"$T/numbers.txt"
big_doc hostile.numbers "$T/numbers.txt"
bad=$(jq -c '[.statistics[] | select((.value | type) != "number" or
      (.value | isinfinite) or (.value | isnan))] | .[:3]' "$T/out" 2>/dev/null | head -n 1)
check hostile.numbers.values_are_numbers "statistics: $bad" [ "$bad" = "[]" ]

# Names and titles thousands of characters long.
{
	rep 'Huyện Tân Lũy giữ vững quốc phòng' 300; echo
	echo 'Sáng 12/12/2023, UBND huyện Tân Lũy tổ chức hội nghị tổng kết công tác quốc phòng - an ninh năm 2023.'
	printf 'Đồng chí '; rep 'Nguyễn' 3000; echo '- Chủ tịch UBND huyện phát biểu.'
	printf 'Đại tá '; rep 'Nguyễn Văn' 3000; echo ', Giám đốc Công an tỉnh dự.'
	printf 'Đồng chí Lê Văn An - Chủ tịch '; rep 'Ủy ban nhân dân' 2000; echo 'chủ trì hội nghị.'
	printf 'Chủ tịch UBND tỉnh '; rep 'Lê' 3000; echo 'phát biểu.'
	printf '%s ' 'Tặng danh hiệu "'; rep 'Đơn vị quyết thắng' 2000; echo '" cho 3 tập thể.'
} >"$T/long.txt"
big_doc hostile.long_names "$T/long.txt"
# A headline longer than 400 bytes is no title (qpan(1), OUTPUT).
got=$(jq -c '.title' "$T/out" 2>/dev/null | head -n 1)
check hostile.long_names.headline_is_no_title "title: $(printf '%s' "$got" | head -c 80)" \
	[ "$got" = null ]

# A big real document: the samples and the NFD fixture, 120 times,
# after a BOM and with CRLF line ends: over 1 MiB (where qpan may keep
# its offset maps in another form), NFC and CR removal both moving
# offsets.  A sample of its spans, spread over the whole file, must cut
# the bytes whose text they give (CR dropped, then NFC).
UNIT=$(dirname "$QPAN")/unit
{
	printf '\357\273\277'
	i=0
	while [ $i -lt 120 ]; do
		cat data/samples/*.txt "$F/nfd.txt"
		i=$((i + 1))
	done | sed 's/$/\r/'
} >"$T/bigdoc.txt"
q "$T/bigdoc.txt" "$GOOD"
clean hostile.big_real_doc "($(wc -c <"$T/bigdoc.txt") bytes)"
check hostile.big_real_doc.spans_in_file "a span outside the file" spans_in "$T/bigdoc.txt" "$T/out"
if "$UNIT" --nfc </dev/null >/dev/null 2>&1; then
	head -n 1 "$T/out" >"$T/bigdoc.json"
	# Every 17th span and the last 10: "s e", and their texts, each
	# ended by a \001 byte.
	sel='[.. | objects | select(.span? | type == "array")] as $a
	     | [range(0; $a | length; 17), range([($a | length) - 10, 0] | max; $a | length)]
	     | unique | .[] | $a[.]'
	jq -r "$sel"' | "\(.span[0]) \(.span[1])"' "$T/bigdoc.json" >"$T/spans" 2>/dev/null
	jq -j "$sel"' | .text + "\u0001"' "$T/bigdoc.json" >"$T/want" 2>/dev/null
	: >"$T/got"
	while read -r s e; do
		tail -c +$((s + 1)) "$T/bigdoc.txt" | head -c $((e - s)) | tr -d '\r' >>"$T/got"
		printf '\001' >>"$T/got"
	done <"$T/spans"
	"$UNIT" --nfc <"$T/got" >"$T/got.nfc"
	last=$(tail -n 1 "$T/spans")
	check hostile.big_real_doc.spans_cut_their_text \
		"$(wc -l <"$T/spans") spans checked (last at ${last% *}): $(cmp "$T/got.nfc" "$T/want" 2>&1 | head -c 120)" \
		sh -c '[ "$(wc -l <"$1")" -gt 50 ] && [ "${2% *}" -gt 1048576 ] && cmp -s "$3" "$4"' \
		sh "$T/spans" "$last" "$T/got.nfc" "$T/want"
else
	echo "NOTE hostile.big_real_doc.spans_cut_their_text skipped: no $UNIT --nfc"
fi
rm -f "$T/bigdoc.txt" "$T/got" "$T/got.nfc" "$T/want"

# ---------------------------------------------------------------------
# A document built to make the rules backtrack: long sentences of
# "Chủ tịch " (a position that opens official.title_first, whose title
# is a lazy repeat followed by a name that never comes), and of
# mentions that never end.  Every rule call is meant to be bounded
# (qpan(1), RULES: a rule that runs away matches nothing), so the run
# must end, with its output.  Lines of several lengths, so that no
# single stack or step limit happens to cut all of them short.

{
	echo 'Tiêu đề'
	for n in 1000 2000 3000 3500 4000 4000 4000 4000 4000 4000 4000 4000 \
	         4500 5000 6000 8000 12000; do
		rep 'Chủ tịch' "$n"; echo
	done
	for n in 1500 2000 2500; do
		rep 'Chủ tịch UBND tỉnh' "$n"; echo
		rep 'Đồng chí Nguyễn Văn An - Chủ tịch' "$n"; echo
		rep 'Nguyễn Văn An - Bí thư' "$n"; echo
		rep 'Phó Chủ tịch UBND TP. Hòa Lạc' "$n"; echo
	done
} >"$T/backtrack.txt"
TO=20
q "$T/backtrack.txt" "$GOOD"
check hostile.backtrack.finishes "$(why_status 0) ($(wc -c <"$T/backtrack.txt") bytes)" finished
check hostile.backtrack.exit "$(why_status 0)" [ "$rc" -eq 0 ]
check hostile.backtrack.output "$(lines "$T/out") lines" \
	printed "$T/backtrack.txt" "$GOOD"
TO=60

# ---------------------------------------------------------------------
# --max-bytes at the edge, and on records.

head -c 1024 /dev/zero | tr '\0' 'a' >"$T/k1024.txt"
head -c 1025 /dev/zero | tr '\0' 'a' >"$T/k1025.txt"
q --max-bytes 1K "$T/k1024.txt" "$T/k1025.txt" "$GOOD"
check hostile.max_bytes.edge.exit "$(why_status 1)" [ "$rc" -eq 1 ]
check hostile.max_bytes.edge.message "stderr: $(flat "$T/err")" \
	stderr_is "qpan: $T/k1025.txt: larger than the limit of 1024 bytes (--max-bytes)"
check hostile.max_bytes.edge.others_printed "sources: $(sources "$T/out")" \
	printed "$T/k1024.txt" "$GOOD"
jq -cn --rawfile a "$T/k1024.txt" --rawfile b "$T/k1025.txt" \
	'{id: "a", text: $a}, {id: "b", text: $b}, {id: "c", text: "Xong."}' >"$T/records.ndjson"
q --max-bytes 1K --input-format ndjson <"$T/records.ndjson"
check hostile.max_bytes.record.exit "$(why_status 1)" [ "$rc" -eq 1 ]
check hostile.max_bytes.record.message "stderr: $(flat "$T/err")" \
	grep -q '^qpan: b: .*1024 bytes (--max-bytes)$' "$T/err"
check hostile.max_bytes.record.others_printed "sources: $(sources "$T/out")" \
	[ "$(sources "$T/out")" = "a c " ]
# A NUL in a record's text (\u0000) is a NUL byte in the document, as in
# a file: reported, not silently cut short.
printf '{"id":"a","text":"Xong."}\n{"id":"z","text":"Ti\\u00eau \\u0000 \\u0111\\u1ec1"}\n{"id":"c","text":"Xong."}\n' \
	>"$T/nul.ndjson"
q --input-format ndjson <"$T/nul.ndjson"
check hostile.nul.ndjson_record.exit "$(why_status 1); output $(sources "$T/out")" [ "$rc" -eq 1 ]
check hostile.nul.ndjson_record.message "stderr: $(flat "$T/err")" \
	grep -q '^qpan: z: .*NUL' "$T/err"
check hostile.nul.ndjson_record.others_printed "sources: $(sources "$T/out")" \
	[ "$(sources "$T/out")" = "a c " ]

# ---------------------------------------------------------------------
# Directories that loop through symbolic links: each loop reported once
# (exactly), the rest of the tree read, the run ends.

L=$T/loops
mkdir -p "$L/a" "$L/b" "$L/c/d/e"
cp "$GOOD2" "$L/a/1.txt"
cp "$GOOD" "$L/c/d/e/2.txt"
ln -s . "$L/self"
ln -s ../b "$L/a/to_b"
ln -s ../a "$L/b/to_a"
ln -s ../../.. "$L/c/d/e/up"
q "$L"
loopmsg='directory loop (a symbolic link leads back to a directory above it)'
check hostile.loop.exit "$(why_status 1)" [ "$rc" -eq 1 ]
check hostile.loop.messages "stderr: $(flat "$T/err")" \
	stderr_is "qpan: $L/a/to_b/to_a: $loopmsg" "qpan: $L/b/to_a/to_b: $loopmsg" \
	          "qpan: $L/c/d/e/up: $loopmsg" "qpan: $L/self: $loopmsg"
check hostile.loop.others_printed "sources: $(sources "$T/out")" \
	[ "$(sources "$T/out")" = "T/loops/a/1.txt T/loops/b/to_a/1.txt T/loops/c/d/e/2.txt " ]
# The loop as the operand itself.
q "$L/self" "$GOOD"
check hostile.loop.operand "$(why_status 1)" \
	ended 1 "$L/self/a/1.txt" "$L/self/b/to_a/1.txt" "$L/self/c/d/e/2.txt" "$GOOD"

# A directory named x.txt is a directory: searched, not read.
X=$T/dirx
mkdir -p "$X/x.txt/y.txt" "$X/empty.txt"
cp "$GOOD" "$X/a.txt"
cp "$GOOD2" "$X/x.txt/in.txt"
cp "$GOOD" "$X/x.txt/y.txt/deep.txt"
q "$X"
clean hostile.dir_named_txt
check hostile.dir_named_txt.walked "sources: $(sources "$T/out")" \
	[ "$(sources "$T/out")" = "T/dirx/a.txt T/dirx/x.txt/in.txt T/dirx/x.txt/y.txt/deep.txt " ]
q "$X/x.txt" "$X/empty.txt" "$GOOD"
check hostile.dir_named_txt.operand "$(why_status 0), sources: $(sources "$T/out")" \
	sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ]' sh "$rc" "$T/err"

# ---------------------------------------------------------------------
# FIFOs.  In a directory walk a FIFO is not a document that can be read
# to its end (it may never have a writer): it must be reported, not
# read forever.  Given as an operand, it is read like standard input.

if mkfifo "$T/probe.fifo" 2>/dev/null; then
	P=$T/fifo
	mkdir -p "$P"
	cp "$GOOD2" "$P/a.txt"
	mkfifo "$P/b.txt"
	cp "$GOOD" "$P/c.txt"
	TO=10
	q "$P"
	check hostile.fifo.in_dir.finishes "$(why_status 1)" finished
	check hostile.fifo.in_dir.exit "$(why_status 1)" [ "$rc" -eq 1 ]
	check hostile.fifo.in_dir.message "stderr: $(flat "$T/err")" \
		sh -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "^qpan: $2: ..*" "$1"' \
		sh "$T/err" "$P/b.txt"
	check hostile.fifo.in_dir.others_printed "sources: $(sources "$T/out")" \
		[ "$(sources "$T/out")" = "T/fifo/a.txt T/fifo/c.txt " ]
	# An operand: read once a writer comes.
	mkfifo "$T/op.fifo"
	( TO=20; qp_timed sh -c 'cat "$1" >"$2"' sh "$GOOD2" "$T/op.fifo" ) 2>/dev/null &
	writer=$!
	q "$T/op.fifo" "$GOOD"
	wait "$writer" 2>/dev/null
	check hostile.fifo.operand.exit "$(why_status 0)" [ "$rc" -eq 0 ]
	check hostile.fifo.operand.read "sources: $(sources "$T/out")" \
		[ "$(jq -r '[.source, .title] | join(" ")' "$T/out" 2>/dev/null | tr '\n' '|')" = \
		  "$T/op.fifo Huyện Đông Khê Hạ giữ vững quốc phòng - an ninh năm 2024|$GOOD |" ]
	TO=60
else
	echo "NOTE hostile.fifo skipped: mkfifo failed here"
fi

# ---------------------------------------------------------------------
# Files that vanish between listing and reading.  A dangling symbolic
# link whose name matches the glob is such a file, every time: the walk
# lists it, and there is nothing to read.  Likewise a link through a
# file (ENOTDIR) and a link to itself (ELOOP: not a directory loop).

V=$T/vanish
mkdir -p "$V"
cp "$GOOD2" "$V/a.txt"
ln -s gone.txt "$V/b.txt"
ln -s a.txt/inner "$V/c.txt"
ln -s d.txt "$V/d.txt"
cp "$GOOD" "$V/e.txt"
ln -s gone "$V/f.md"    # not matching the glob: not a document
q "$V"
check hostile.vanish.exit "$(why_status 1)" [ "$rc" -eq 1 ]
check hostile.vanish.others_printed "sources: $(sources "$T/out")" \
	[ "$(sources "$T/out")" = "T/vanish/a.txt T/vanish/e.txt " ]
check hostile.vanish.dangling "stderr: $(flat "$T/err")" \
	grep -qx "qpan: $V/b.txt: No such file or directory" "$T/err"
check hostile.vanish.through_a_file "stderr: $(flat "$T/err")" \
	grep -qx "qpan: $V/c.txt: Not a directory" "$T/err"
# A link to itself leads to no directory: the system's reason, not
# "directory loop".
check hostile.vanish.link_to_itself "stderr: $(flat "$T/err")" \
	grep -qx "qpan: $V/d.txt: Too many levels of symbolic links" "$T/err"
check hostile.vanish.only_those "stderr: $(flat "$T/err")" [ "$(lines "$T/err")" -eq 3 ]

# ---------------------------------------------------------------------
# Output integrity.

# Many documents: 40 files in a directory given 60 times.
M=$T/many
mkdir -p "$M"
i=0
while [ $i -lt 40 ]; do
	cp "$GOOD2" "$M/d$i.txt"
	i=$((i + 1))
done
set --
i=0
while [ $i -lt 60 ]; do
	set -- "$@" "$M"
	i=$((i + 1))
done

# qpan ... | head -n 1: qpan ends quietly, killed by SIGPIPE or exiting
# 0 or 1 on EPIPE, with nothing on stderr.  Both with SIGPIPE as it
# comes and with SIGPIPE ignored (as under some CI runners and
# supervisors, where the write fails with EPIPE instead).
sigpipe_ignored() { # is SIGPIPE ignored in this shell (Linux /proc)?
	_ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status 2>/dev/null)
	[ -n "$_ign" ] || return 1
	# bit 13 (SIGPIPE) of a 64-bit hex mask
	[ $(( 0x$(printf '%s' "$_ign" | tail -c 4) & 0x1000 )) -ne 0 ]
}
for jobs in 1 2; do
	for mode in default ignored; do
		if [ $mode = default ] && sigpipe_ignored; then
			echo "NOTE hostile.epipe.default.j$jobs: SIGPIPE is ignored by the caller; only the EPIPE case runs"
			continue
		fi
		if [ $mode = default ]; then
			{ qp_timed "$QPAN" -j "$jobs" "$@" 2>"$T/err"; echo $? >"$T/rc"; } |
				head -n 1 >"$T/out"
		else
			( trap '' PIPE
			  { qp_timed "$QPAN" -j "$jobs" "$@" 2>"$T/err"; echo $? >"$T/rc"; } |
				head -n 1 >"$T/out" )
		fi
		rc=$(cat "$T/rc")
		sanitizer_scan "| head -n 1"
		check "hostile.epipe.$mode.j$jobs.status" "exit $rc, want 0, 1 or 141 (SIGPIPE)" \
			[ "$rc" -eq 0 -o "$rc" -eq 1 -o "$rc" -eq 141 ]
		check "hostile.epipe.$mode.j$jobs.quiet" "stderr: $(flat "$T/err")" [ ! -s "$T/err" ]
		check "hostile.epipe.$mode.j$jobs.first_line" "got: $(first "$T/out")" \
			sh -c '[ "$(jq -r .source "$1" 2>/dev/null)" = "$2/d0.txt" ]' sh "$T/out" "$M"
	done
done

# A full disk: an error with exit 1 and one message, not a silent
# success; nothing more is read.
if [ -w /dev/full ]; then
	full() { # NAME ARGS...
		_n=$1
		shift
		qp_timed "$QPAN" "$@" >/dev/full 2>"$T/err"
		rc=$?
		sanitizer_scan "$* >/dev/full"
		check "hostile.full.$_n" "exit $rc, stderr: $(flat "$T/err")" \
			stderr_is "qpan: writing output: No space left on device"
		check "hostile.full.$_n.exit" "exit $rc, want 1" [ "$rc" -eq 1 ]
	}
	full one_file "$GOOD"
	full pretty -p "$GOOD"
	full many_j1 -j 1 "$@"
	full many_j2 -j 2 "$@"
	full stops_at_once "$GOOD" "$T/no-such.txt"
	printf '{"id":"a","text":"Xong."}\n' >"$T/one.ndjson"
	full ndjson --input-format ndjson <"$T/one.ndjson"
	full help --help
	full version --version
else
	echo "NOTE hostile.full skipped: no writable /dev/full"
fi

# ---------------------------------------------------------------------
# Sanitizers (only meaningful for a sanitized build)

qp_sanitizer_check
exit 0
