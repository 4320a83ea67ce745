#!/bin/sh
# reliability.sh - qpan never loses, hangs or garbles: sh tests/reliability.sh build/qpan
#
# Same protocol as cli.sh: one "PASS name" or "FAIL name: reason" line
# per check, "NOTE ..." for remarks; exit 0 unless the script cannot run.
#
# The lead's items of issue 12 (the hostile review's second round):
# linear deduplication of statistics and awards on a document of
# millions of numbers, "source" that stays valid JSON for any file name
# (invalid UTF-8 kept losslessly), messages that a crafted file name
# cannot split or forge, and runs under a failing allocator (the
# LD_PRELOAD shim build/failalloc.so, when it was built: every run
# either completes or fails with a message and exit 1 or 2).
#
# QPAN_TEST_SCALE=N (default 1) divides the sizes of the big cases by N.
# Needs sh, coreutils and jq only.

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init reliability "$@"
QP_REASON_MAX=400

SCALE=${QPAN_TEST_SCALE:-1}
case $SCALE in
'' | *[!0-9]* | 0) SCALE=1 ;;
esac
TO=60

# ---------------------------------------------------------------------
# 1. Deduplication is linear.  A document of N distinct statistics (one
# per number) was deduplicated by comparing each with all before it:
# 150,000 of them took 27 s, 400,000 (4.4 MB) more than 3 minutes.
# They must finish well within the timeout (a second or two here),
# every distinct statistic kept and a repeated sentence counted once.

n=$((400000 / SCALE))
{
	echo 'Hội nghị tổng kết công tác quốc phòng năm 2024.'
	seq 100001 $((100000 + n)) | sed 's/$/ vụ/' | tr '\n' ' '
	echo '.'
	echo 'Năm qua, Công an huyện đã khởi tố 77 vụ án, bắt 12 đối tượng.'
	echo 'Trong năm, Công an huyện đã khởi tố 77 vụ án, bắt 12 đối tượng.'
} >"$T/numbers.txt"
q "$T/numbers.txt"
if [ "$rc" -eq 124 ]; then
	fail reliability.dedupe.linear "$(wc -c <"$T/numbers.txt") bytes of numbers did not finish within ${TO}s"
elif [ "$rc" -ne 0 ]; then
	fail reliability.dedupe.linear "exit $rc; stderr: $(flat "$T/err")"
else
	pass reliability.dedupe.linear
	got=$(jq '.statistics | length' "$T/out")
	# n numbers (six digits: none reads as a year), then 77 and 12
	# once: the repeated sentence is the same facts told twice.
	check reliability.dedupe.kept "want $((n + 2)) statistics, got $got" \
		[ "$got" = "$((n + 2))" ]
fi

# ---------------------------------------------------------------------
# 16. A file name that is not valid UTF-8 stays valid JSON: "source" has
# U+FFFD for the bad byte, "source_base64" the exact bytes.

mkdir "$T/names"
bad=$(printf 'caf\351.txt')
echo 'Hội nghị tổng kết công tác quốc phòng năm 2024.' >"$T/names/$bad"
here=$(pwd)
cd "$T/names" && q "$bad"
cd "$here" || exit 2
if [ "$rc" -ne 0 ]; then
	fail reliability.source.invalid_utf8 "exit $rc; stderr: $(flat "$T/err")"
elif ! iconv -f UTF-8 -t UTF-8 "$T/out" >/dev/null 2>&1; then
	# (jq would take the bad byte: it reads one as U+FFFD.)
	fail reliability.source.invalid_utf8 "not valid UTF-8, so not JSON: $(od -c "$T/out" | head -2 | tr '\n' ' ')"
else
	pass reliability.source.invalid_utf8
	check reliability.source.replacement "source is $(jq -r .source "$T/out")" \
		[ "$(jq -r .source "$T/out")" = "caf$(printf '\357\277\275').txt" ]
	jq -r .source_base64 "$T/out" | base64 -d >"$T/name" 2>/dev/null
	printf '%s' "$bad" >"$T/want"
	check reliability.source.base64_exact "source_base64 is $(jq -r .source_base64 "$T/out")" \
		cmp -s "$T/name" "$T/want"
fi
# A valid name has no source_base64.
printf 'Hội nghị tổng kết.\n' >"$T/names/plain.txt"
q "$T/names/plain.txt"
check reliability.source.valid_has_no_base64 "source_base64 on a valid name" \
	[ "$(jq 'has("source_base64")' "$T/out")" = false ]
# An NDJSON record id with a raw invalid byte: the same.
printf '{"id": "b\351n", "text": "Hội nghị tổng kết."}\n' >"$T/rec.ndjson"
q --input-format ndjson <"$T/rec.ndjson"
check reliability.source.record_id "exit $rc, output: $(flat "$T/out")" \
	sh -c 'jq -e ".source_base64 == \"Yulu\"" "$1" >/dev/null' sh "$T/out"

# ---------------------------------------------------------------------
# 20. A newline in a file name cannot split a message or forge a line.

forged=$(printf 'gone\nqpan: forged.txt')
q "$T/$forged"
lines=$(wc -l <"$T/err")
check reliability.message.one_line "want 1 stderr line, got $lines: $(flat "$T/err")" \
	[ "$lines" -eq 1 ]
check reliability.message.no_forged_line "stderr: $(flat "$T/err")" \
	sh -c '! grep -q "^qpan: forged" "$1" && grep -q "gone\\\\nqpan: forged.txt" "$1"' sh "$T/err"
check reliability.message.exit "exit $rc, want 1" [ "$rc" -eq 1 ]

# ---------------------------------------------------------------------
# Rules from --rules DIR (items 14 and 21): a FIFO or a link to
# /dev/zero among the files is refused at once (it used to block
# forever, or be read until memory ran out), so is a file over the size
# limit and a NUL byte anywhere in one (it cut the pattern or entry
# short); a --rules that does not exist says so.

S=$ROOT/data/samples
mkdir -p "$T/r/rules" "$T/r/lexicon"
TO=20
rules_refused() { # NAME WANT-IN-MESSAGE
	q --rules "$T/r" "$S"
	check "reliability.rules.$1" "exit $rc, want 2 and \"$2\"; stderr: $(flat "$T/err")" \
		sh -c '[ "$1" -eq 2 ] && grep -q "$2" "$3" && [ ! -s "$4" ]' sh "$rc" "$2" "$T/err" "$T/out"
}
if mkfifo "$T/r/rules/fifo.rules" 2>/dev/null; then
	rules_refused fifo 'fifo.rules: not a regular file'
	rm -f "$T/r/rules/fifo.rules"
fi
ln -s /dev/zero "$T/r/rules/zero.rules"
rules_refused dev_zero 'zero.rules: not a regular file'
rm -f "$T/r/rules/zero.rules"
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '#' >"$T/r/rules/big.rules"
rules_refused too_big 'big.rules: larger than the limit of 16777216 bytes'
rm -f "$T/r/rules/big.rules"
printf 'unit.zz_extra\tnorm\tNam\n#= Nam\000Bộ\n' >"$T/r/rules/extra.rules"
rules_refused nul_in_rules 'extra.rules:2: NUL byte in the line'
rm -f "$T/r/rules/extra.rules"
printf 'Lê\nNguyễn\000Văn\n' >"$T/r/lexicon/surnames.txt"
rules_refused nul_in_lexicon 'surnames.txt:2: NUL byte in the line'
rm -f "$T/r/lexicon/surnames.txt"
q --rules "$T/no-such-dir" "$S"
check reliability.rules.missing_dir "exit $rc; stderr: $(flat "$T/err")" \
	sh -c '[ "$1" -eq 2 ] && grep -q "no-such-dir: No such file or directory" "$2"' sh "$rc" "$T/err"
q --rules "$S/bdbp-ha-lam-2023.txt" "$S"
check reliability.rules.not_a_dir "exit $rc; stderr: $(flat "$T/err")" \
	sh -c '[ "$1" -eq 2 ] && grep -q "Not a directory" "$2"' sh "$rc" "$T/err"
