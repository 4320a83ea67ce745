#!/bin/sh
# cron.sh QPAN - runs a cron job can trust (-o DIR --incremental):
#
#   the manifest's stamp (qpan's version, the rules' hash) -> everything
#   redone when either changes; other bytes under the same size and
#   time -> redone; --prune -> outputs of deleted sources (and of records
#   no longer in the stream) removed; a broken file reported once, then
#   "still failing" until it changes; --progress counting only what is
#   left; --stats, --quiet and --errors json on stderr.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init cron "$@"

mkdir -p "$T/in/sub"
for f in data/samples/*.txt; do cp "$f" "$T/in/"; done
cp tests/cases/task-leads.txt "$T/in/sub/"
n=$(find "$T/in" -name '*.txt' | wc -l)
cp -r data "$T/rules"
cd "$T" || exit 0
S=$ROOT/data/samples

# jqe ARGS: jq -e, quietly.
jqe() { jq -e "$@" >/dev/null 2>&1; }
# stats FILE: the --stats line's counts, "READ UPTODATE FAILED STILL PRUNED".
stats() {
	sed -n 's/^qpan: \([0-9]*\) read, \([0-9]*\) up to date, \([0-9]*\) failed, still failing: \([0-9]*\), \([0-9]*\) pruned, [0-9]* bytes, [0-9.]* s, [0-9.]* MB\/s$/\1 \2 \3 \4 \5/p' "$1"
}

# ---------------------------------------------------------------------
# --stats, and the stamp

"$QPAN" -o o1 --stats in 2>err
check cron.stats.first_run "exit $?, stats: $(stats err), stderr: $(flat err)" \
	[ "$(stats err)" = "$n 0 0 0 0" ]
"$QPAN" -o o1 --incremental --stats in 2>err
check cron.stats.all_up_to_date "stats: $(stats err)" [ "$(stats err)" = "0 $n 0 0 0" ]
"$QPAN" --stats "$S"/*.txt >/dev/null 2>err
check cron.stats.without_output_dir "stderr: $(flat err)" \
	[ "$(stats err)" = "$(ls "$S"/*.txt | wc -l) 0 0 0 0" ]

version=$("$QPAN" --version | sed 's/^qpan //')
head -n 1 o1/.qpan-manifest >hdr
check cron.manifest.stamp "header: $(cat hdr)" \
	grep -Eq "^qpan-manifest 2	qpan $version rules [0-9a-f]{16}\$" hdr

# Other rules (one comment more): every document again, then up to date.
echo '# one more comment' >>rules/rules/header.rules
"$QPAN" -o o1 --incremental --stats --rules rules in 2>err
check cron.rules_changed.redone "stats: $(stats err)" [ "$(stats err)" = "$n 0 0 0 0" ]
"$QPAN" -o o1 --incremental --stats --rules rules in 2>err
check cron.rules_changed.then_up_to_date "stats: $(stats err)" [ "$(stats err)" = "0 $n 0 0 0" ]
head -n 1 o1/.qpan-manifest >hdr2
check cron.rules_changed.new_stamp "headers: $(cat hdr) / $(cat hdr2)" \
	sh -c '! cmp -s "$1" "$2"' sh hdr hdr2
# And back to the built-in rules: a stamp seen before is not trusted
# after another came between (the entries were of the other one).
"$QPAN" -o o1 --incremental --stats in 2>err
check cron.rules_back.redone "stats: $(stats err)" [ "$(stats err)" = "$n 0 0 0 0" ]

# Another qpan version wrote the manifest: every document again.
sed "1s/qpan $version /qpan 0.0.1 /" o1/.qpan-manifest >m && cat m >o1/.qpan-manifest
"$QPAN" -o o1 --incremental --stats in 2>err
check cron.version_changed.redone "stats: $(stats err)" [ "$(stats err)" = "$n 0 0 0 0" ]
# A version 1 manifest (no stamp): trusted for nothing, rewritten.
{ echo 'qpan-manifest 1'; sed 1d o1/.qpan-manifest | cut -f1-8; } >m && cat m >o1/.qpan-manifest
"$QPAN" -o o1 --incremental --stats in 2>err
check cron.manifest_v1.redone "stats: $(stats err)" [ "$(stats err)" = "$n 0 0 0 0" ]
check cron.manifest_v1.rewritten "header: $(head -n 1 o1/.qpan-manifest)" \
	grep -q '^qpan-manifest 2	' o1/.qpan-manifest

# Other bytes, same size, same time, same inode (an edit restored with
# touch -r): redone, the output is the new text's.
f=in/sub/task-leads.txt
touch -r "$f" stamp.ref
sed 's/[0-9]/7/' "$f" >tmp && cat tmp >"$f" && touch -r stamp.ref "$f"
"$QPAN" -o o1 --incremental --stats in 2>err
check cron.same_time_other_bytes.redone "stats: $(stats err)" [ "$(stats err)" = "1 $((n - 1)) 0 0 0" ]
"$QPAN" "$f" | cmp -s - "o1/$f.json"
ok same_time_other_bytes.output_new

# ---------------------------------------------------------------------
# --prune

cp -r in gone && "$QPAN" -o o1 gone 2>/dev/null
rm gone/sub/task-leads.txt
"$QPAN" -o o1 --incremental --stats in gone 2>err
check cron.prune.not_without_it "stats: $(stats err), file: $(ls o1/gone/sub)" \
	sh -c '[ -f o1/gone/sub/task-leads.txt.json ] && [ "$(echo "$1" | cut -d" " -f5)" = 0 ]' sh "$(stats err)"
"$QPAN" -o o1 --incremental --prune --stats in gone 2>err
check cron.prune.removes_gone "stats: $(stats err), left: $(ls o1/gone/sub)" \
	sh -c '[ ! -e o1/gone/sub/task-leads.txt.json ] && [ "$(echo "$1" | cut -d" " -f5)" = 1 ]' sh "$(stats err)"
check cron.prune.keeps_the_rest "$(find o1 -name '*.json' | wc -l) outputs" \
	[ "$(find o1 -name '*.json' | wc -l)" -eq $((2 * n - 1)) ]
check cron.prune.manifest_forgets "still in the manifest" \
	sh -c '! grep -q "^gone/sub/task-leads.txt	" o1/.qpan-manifest'
# Sources not named in this run but still there are kept.
"$QPAN" -o o1 --incremental --prune --stats in 2>err
check cron.prune.keeps_unnamed_existing "stats: $(stats err)" \
	sh -c '[ -f o1/gone/huyen-tan-luy-2023.txt.json ] && [ "$(echo "$1" | cut -d" " -f5)" = 0 ]' sh "$(stats err)"
exits 2 --prune in
ok prune.needs_output_dir
# Records: an id the stream no longer has.
printf '{"id":"r1","text":"Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị."}\n{"id":"r2","text":"Chiều 6/12, Công an huyện Mỹ Lâm tổng kết công tác năm."}\n' >recs
"$QPAN" --input-format ndjson -o rout <recs && head -n 1 recs |
	"$QPAN" --input-format ndjson -o rout --incremental --prune --stats 2>err
check cron.prune.records "stats: $(stats err), files: $(ls rout)" \
	sh -c '[ -f rout/r1.json ] && [ ! -e rout/r2.json ] && [ "$1" = "0 1 0 0 1" ]' sh "$(stats err)"

# ---------------------------------------------------------------------
# A broken file: reported, then remembered until it changes.

mkdir -p br && cp "$S/huyen-tan-luy-2023.txt" br/ok.txt
printf 'H\000i ngh\000' >br/bin.txt
"$QPAN" -o bout --incremental --stats br 2>err
st=$?
check cron.failing.reported "exit $st, stderr: $(flat err)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "^qpan: br/bin.txt: binary file" "$2" && [ "$3" = "2 0 1 0 0" ]' sh "$st" err "$(stats err)"
"$QPAN" -o bout --incremental --stats br 2>err
st=$?
check cron.failing.once "exit $st, stderr: $(flat err)" \
	sh -c '[ "$1" -eq 0 ] && ! grep -q "bin.txt" "$2" && [ "$3" = "0 1 0 1 0" ]' sh "$st" err "$(stats err)"
printf 'H\000i ngh\000 2' >br/bin.txt
"$QPAN" -o bout --incremental --stats br 2>err
st=$?
check cron.failing.changed_reported_again "exit $st, stderr: $(flat err)" \
	sh -c '[ "$1" -eq 1 ] && grep -q "br/bin.txt: binary" "$2" && [ "$3" = "1 1 1 0 0" ]' sh "$st" err "$(stats err)"
printf 'Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị.\n' >br/bin.txt
"$QPAN" -o bout --incremental --stats br 2>err
st=$?
check cron.failing.fixed "exit $st, stderr: $(flat err)" \
	sh -c '[ "$1" -eq 0 ] && [ -f bout/br/bin.txt.json ] && [ "$3" = "1 1 0 0 0" ]' sh "$st" err "$(stats err)"
# Too large: known by size and time only, remembered the same way.
head -c 3000 "$S/huyen-tan-luy-2023.txt" >br/big.txt
"$QPAN" -o bout --incremental --max-bytes 1K br 2>/dev/null
"$QPAN" -o bout --incremental --max-bytes 1K --stats br 2>err
st=$?
check cron.failing.too_large_once "exit $st, stderr: $(flat err)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(echo "$3" | cut -d" " -f4)" = 1 ]' sh "$st" err "$(stats err)"
# Without --incremental every run reads (and reports) everything.
"$QPAN" -o bout --max-bytes 1K br 2>err
check cron.failing.full_run_reports "stderr: $(flat err)" grep -q 'big.txt: larger than' err

# ---------------------------------------------------------------------
# --quiet and --errors json

printf 'x\000y' >bin2.txt
printf 'Ng\303\240y 5/12 \377 UBND huy\341\273\207n T\303\242n H\303\240 t\341\273\225 ch\341\273\251c h\341\273\231i ngh\341\273\213.\n' >inv.txt
printf 'Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị.\n' >"$(printf 'caf\351.txt')"
q --quiet --stats bin2.txt missing.txt in/huyen-tan-luy-2023.txt
check cron.quiet.status_and_stats "exit $rc, stderr: $(flat "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && [ "$(wc -l <"$2")" -eq 1 ] && [ "$4" = "3 0 2 0 0" ] && [ -s "$3" ]' \
	sh "$rc" "$T/err" "$T/out" "$(stats "$T/err")"
q --errors json bin2.txt missing.txt
check cron.errors_json.lines "exit $rc, stderr: $(flat "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && [ "$(jq -c . "$2" | wc -l)" -eq 2 ]' sh "$rc" "$T/err"
jq -e -s '.[0] == {"source": "bin2.txt", "error": "binary file (NUL byte at offset 1), not text", "offset": 1}
	and .[1].source == "missing.txt" and (.[1].error | test("No such file"))
	and .[1].offset == null' "$T/err" >/dev/null 2>&1
ok errors_json.fields
q --errors json --invalid replace inv.txt
check cron.errors_json.warning "stderr: $(flat "$T/err")" \
	jqe '.source == "inv.txt" and (.warning | test("replaced")) and .offset == 11' "$T/err"
q --errors json --input-format ndjson <<EOF
{"id": "a", "text": 5}
EOF
check cron.errors_json.record "stderr: $(flat "$T/err")" \
	jqe '.source == "a" and (.error | test("^line 1: no .text."))' "$T/err"
q --errors json --max-bytes 5 "$(printf 'caf\351.txt')"
check cron.errors_json.not_utf8_name "stderr: $(flat "$T/err")" \
	jqe '.source == "caf\ufffd.txt" and .source_base64 == "Y2Fm6S50eHQ="' "$T/err"
q --errors json --stats -o ejs bin2.txt in/huyen-tan-luy-2023.txt
check cron.errors_json.stats "stderr: $(flat "$T/err")" \
	jqe -s 'length == 2 and .[0].source == "bin2.txt" and
	        .[1].stats.read == 2 and .[1].stats.failed == 1 and
	        .[1].stats.still_failing == 0 and (.[1].stats.seconds | type) == "number"' "$T/err"
if [ -w /dev/full ]; then
	"$QPAN" --errors json in/huyen-tan-luy-2023.txt >/dev/full 2>"$T/err"
	check cron.errors_json.run_message "stderr: $(flat "$T/err")" \
		jqe '.source == null and (.error | test("^writing output: "))' "$T/err"
fi
exits 2 --errors xml in
ok errors_json.bad_value

# ---------------------------------------------------------------------
# --progress counts only what is left to do.

if command -v script >/dev/null 2>&1; then
	touch in/huyen-tan-luy-2023.txt
	script -qec "$QPAN -o o1 --incremental --progress in" /dev/null >tty 2>&1
	check cron.progress.remaining "terminal: $(tr '\r' '|' <tty | head -c 200)" \
		grep -q '1/1 documents' tty
else
	echo "NOTE cron: no script(1), --progress on a terminal not checked"
fi
