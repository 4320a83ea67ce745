#!/bin/sh
# cli.sh - end-to-end tests of the qpan binary: sh tests/cli.sh build/qpan
#
# Every check prints one line: "PASS name" or "FAIL name: reason"
# (tests/run.sh counts them); lines starting with "NOTE" are remarks.
# The script itself exits 0 unless it cannot run at all.
#
# Needs sh, coreutils and jq only.  The fixtures in tests/fixtures/ are
# invented documents: stamp.txt (publication stamp), posted.txt ("Đăng
# ngày" line), dateline.txt, lede.txt (no headline), crlf_bom.txt
# (posted.txt with a BOM and CRLF line ends) and nfd.txt (stamp.txt in
# NFD).  Trees with links, binary and invalid files are made in a
# temporary directory at run time.
#
# Checking spans of the NFD fixture needs an NFC filter: the unit test
# binary next to qpan provides one ("unit --nfc"); without it that
# check is skipped with a NOTE.

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init cli "$@"
UNIT=$(dirname "$QPAN")/unit
F=tests/fixtures

# ---------------------------------------------------------------------
# Helpers (besides tests/lib.sh's; q runs qpan under a 30 s timeout, so
# a walk that loops is killed)

# Is every line of a file one JSON object?
all_objects() {
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s\n' "$line" | jq -e 'type == "object"' >/dev/null 2>&1 ||
			return 1
	done <"$1"
}

# field FILE JQ: the raw values of JQ over the objects of FILE, one a
# line.
field() { jq -r "$2" "$1" 2>/dev/null; }

# The two ends of a file, CR and LF made visible, for messages.
ends() {
	if [ "$(wc -c <"$1")" -le 100 ]; then
		cat "$1"
	else
		head -c 50 "$1"
		printf ' ... '
		tail -c 40 "$1"
	fi | sed 's/\r/\\r/g' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/\\n/g'
}

# ---------------------------------------------------------------------
# Good files

q $F/stamp.txt $F/posted.txt $F/dateline.txt $F/lede.txt
check cli.exit.good_files "exit $rc, stderr: $(first "$T/err")" \
	[ "$rc" -eq 0 ]
check cli.stderr.good_files_quiet "stderr: $(first "$T/err")" \
	[ ! -s "$T/err" ]
check cli.output.one_line_per_doc "$(wc -l <"$T/out") lines for 4 files" \
	[ "$(wc -l <"$T/out")" -eq 4 ]
check cli.output.valid_json "a line is not one JSON object" all_objects "$T/out"
got=$(field "$T/out" .source | tr '\n' ' ')
check cli.output.argument_order "sources: $got" \
	[ "$got" = "$F/stamp.txt $F/posted.txt $F/dateline.txt $F/lede.txt " ]
cp "$T/out" "$T/four.ndjson"

# Every object has the fields of SPEC.md, with the right types.
schema='def has_all($ks): . as $o | all($ks[]; . as $k | $o | has($k));
  type == "object"
  and has_all(["source", "title", "published", "meeting", "officials",
               "units", "statistics", "awards", "tasks"])
  and (.source | type == "string")
  and (.title == null or (.title | type == "string"))
  and (.published == null or
       (.published | test("^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")))
  and (.meeting | type == "object" and
       has_all(["date", "time_of_day", "report_year", "plan_year",
                "organizers", "locality", "text", "span"]))
  and (.meeting.date == null or
       (.meeting.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))
  and (.meeting.organizers | type == "array")
  and ([.officials, .units, .statistics, .awards, .tasks] |
       all(.[]; type == "array"))'
bad=$(jq -c "select(($schema) | not) | .source" "$T/four.ndjson" 2>&1)
check cli.output.schema "objects not matching SPEC.md: $bad" [ -z "$bad" ]

# Titles and publication dates of the fixtures.
expect_header() { # NAME FILE TITLE PUBLISHED (the last two as JSON)
	q "$2"
	got=$(field "$T/out" '[.title, .published] | tojson')
	check "$1" "got $got" [ "$got" = "[$3,$4]" ]
}
expect_header cli.header.stamp $F/stamp.txt \
	'"Huyện Đông Khê Hạ giữ vững quốc phòng - an ninh năm 2024"' '"2024-12"'
expect_header cli.header.posted $F/posted.txt \
	'"Thị xã Lam Phổ triển khai nhiệm vụ quân sự, quốc phòng năm 2024"' \
	'"2023-12-13"'
expect_header cli.header.dateline $F/dateline.txt \
	'"Công an tỉnh Bắc Vân tổng kết phong trào toàn dân bảo vệ an ninh Tổ quốc"' \
	'"2020-01-24"'
expect_header cli.header.lede $F/lede.txt null null

# An empty document is still a document.
: >"$T/empty.txt"
q "$T/empty.txt"
got=$(field "$T/out" '[.title, .published] | tojson')
check cli.empty_file "exit $rc, output $(first "$T/out")" \
	[ "$rc" -eq 0 -a "$(wc -l <"$T/out")" -eq 1 -a "$got" = "[null,null]" ]

# ---------------------------------------------------------------------
# Standard input

q - <$F/stamp.txt
src=$(field "$T/out" .source)
title=$(field "$T/out" .title)
check cli.stdin.dash "exit $rc, source '$src', title '$title'" \
	[ "$rc" -eq 0 -a "$src" = "-" -a \
	  "$title" = "Huyện Đông Khê Hạ giữ vững quốc phòng - an ninh năm 2024" ]
q <$F/posted.txt
src=$(field "$T/out" .source)
pub=$(field "$T/out" .published)
check cli.stdin.no_operand "exit $rc, source '$src', published '$pub'" \
	[ "$rc" -eq 0 -a "$src" = "-" -a "$pub" = "2023-12-13" ]
q $F/stamp.txt - $F/posted.txt <$F/lede.txt
got=$(field "$T/out" '[.source, .title] | tojson' | tr '\n' ' ')
check cli.stdin.between_files "got $got" \
	[ "$got" = "[\"$F/stamp.txt\",\"Huyện Đông Khê Hạ giữ vững quốc phòng - an ninh năm 2024\"] [\"-\",null] [\"$F/posted.txt\",\"Thị xã Lam Phổ triển khai nhiệm vụ quân sự, quốc phòng năm 2024\"] " ]

# ---------------------------------------------------------------------
# Directories

D=$T/tree
mkdir -p "$D/sub/deeper" "$D/sub2"
cp $F/stamp.txt "$D/b.txt"
cp $F/posted.txt "$D/a.txt"
cp $F/lede.txt "$D/B.txt"
cp $F/dateline.txt "$D/sub/c.txt"
cp $F/lede.txt "$D/sub/deeper/d.txt"
cp $F/lede.txt "$D/sub2/e.txt"
cp $F/posted.txt "$D/notes.md"
cp $F/stamp.txt "$D/sub/more.md"
cp $F/stamp.txt "$D/upper.TXT"
cp $F/stamp.txt "$D/plain"
# walk_sources NAME SOURCES ARGS...: qpan ARGS exits 0 and prints these
# sources, in this order ($D shown as D).
walk_sources() {
	_n=$1 _want=$2
	shift 2
	q "$@"
	got=$(field "$T/out" .source | sed "s|^$D|D|" | tr '\n' ' ')
	check "$_n" "exit $rc, sources: $got" [ "$rc" -eq 0 -a "$got" = "$_want" ]
}
walk_sources cli.dir.sorted_recursive_txt \
	"D/B.txt D/a.txt D/b.txt D/sub/c.txt D/sub/deeper/d.txt D/sub2/e.txt " "$D"
walk_sources cli.dir.glob "D/notes.md D/sub/more.md " --glob '*.md' "$D"
walk_sources cli.dir.glob_short_and_file_operand "D/sub/more.md D/notes.md " \
	-g '*.[mM][dD]' "$D/sub" "$D/notes.md"
mkdir "$D/empty"
q "$D/empty"
check cli.dir.empty "exit $rc, stderr: $(first "$T/err")" \
	[ "$rc" -eq 0 -a ! -s "$T/out" -a ! -s "$T/err" ]
walk_sources cli.dir.trailing_slash_and_any_file "D/sub/c.txt D/sub/deeper/d.txt D/plain " \
	"$D/sub/" "$D/plain"

# ---------------------------------------------------------------------
# Documents that cannot be read

q $F/stamp.txt "$T/missing.txt" $F/posted.txt
got=$(field "$T/out" .source | tr '\n' ' ')
check cli.missing.exit "exit $rc, want 1" [ "$rc" -eq 1 ]
check cli.missing.message "stderr: $(first "$T/err")" \
	[ "$(cat "$T/err")" = "qpan: $T/missing.txt: No such file or directory" ]
check cli.missing.others_printed "sources: $got" \
	[ "$got" = "$F/stamp.txt $F/posted.txt " ]

# unreadable NAME FILE REASON ARGS...: qpan ARGS, which are FILE and
# lede.txt, exits 1, says "qpan: FILE: ...REASON..." and still prints
# lede.txt.
unreadable() {
	_u_name=$1 _u_file=$2 _u_reason=$3
	shift 3
	q "$@"
	check "$_u_name.exit" "exit $rc, want 1" [ "$rc" -eq 1 ]
	check "$_u_name.message" "stderr: $(first "$T/err")" \
		grep -q "^qpan: $_u_file: .*$_u_reason" "$T/err"
	check "$_u_name.others_printed" "$(wc -l <"$T/out") lines" \
		[ "$(field "$T/out" .source)" = "$F/lede.txt" ]
}
printf 'Ti\303\252u \304\221\341\273\201\n\000binary\n' >"$T/bin.txt"
unreadable cli.binary "$T/bin.txt" binary "$T/bin.txt" $F/lede.txt
printf 'Ti\303\252u \304\221\341\273\201 \377\376 sai\n' >"$T/latin.txt"
unreadable cli.bad_utf8 "$T/latin.txt" 'invalid UTF-8' $F/lede.txt "$T/latin.txt"
printf 'abc\355\240\200\n' >"$T/surrogate.txt"
q "$T/surrogate.txt"
check cli.bad_utf8.surrogate "exit $rc, stderr: $(first "$T/err")" \
	[ "$rc" -eq 1 -a ! -s "$T/out" ]

q "$D/plain/x.txt" $F/lede.txt
check cli.missing.not_a_directory "exit $rc, stderr: $(first "$T/err")" \
	sh -c '[ "$1" -eq 1 ] && [ "$(wc -l <"$2")" -eq 1 ] &&
	       grep -q "^qpan: $3: Not a directory$" "$4"' \
	sh "$rc" "$T/out" "$D/plain/x.txt" "$T/err"

# A symbolic link loop in a directory: reported once, the walk goes on.
L=$T/loopy
loop_tree "$L"
q "$L"
got=$(field "$T/out" .source | sed "s|^$L|L|" | tr '\n' ' ')
check cli.loop.exit "exit $rc, want 1" [ "$rc" -eq 1 ]
check cli.loop.message "stderr: $(flat "$T/err")" \
	[ "$(grep -c "^qpan: $L/in/back: .*loop" "$T/err")" -eq 1 ]
check cli.loop.dangling_link "stderr: $(flat "$T/err")" \
	grep -q "^qpan: $L/dangling.txt: No such file or directory" "$T/err"
check cli.loop.run_finishes "sources: $got" \
	[ "$got" = "L/a.txt L/in/z.txt " ]

# Writing the output fails.
if [ -w /dev/full ]; then
	"$QPAN" $F/stamp.txt >/dev/full 2>"$T/err"
	rc=$?
	check cli.output.write_error "exit $rc, stderr: $(first "$T/err")" \
		[ "$rc" -eq 1 -a -s "$T/err" ]
fi

# ---------------------------------------------------------------------
# Options

q --no-such-option $F/stamp.txt
check cli.usage.unknown_option "exit $rc, stderr: $(first "$T/err")" \
	[ "$rc" -eq 2 -a ! -s "$T/out" ]
check cli.usage.unknown_option_message "stderr: $(first "$T/err")" \
	sh -c 'grep -q -- "--no-such-option" "$1" && grep -q -- "Usage\|--help" "$1"' \
	sh "$T/err"
q -Z $F/stamp.txt
check cli.usage.unknown_short_option "exit $rc, stderr: $(first "$T/err")" \
	[ "$rc" -eq 2 -a ! -s "$T/out" ]
for opt in --glob --rules -g -r; do
	q $opt
	check "cli.usage.missing_argument.${opt#-}" "exit $rc, stderr: $(first "$T/err")" \
		sh -c '[ "$1" -eq 2 ] && grep -q -- "$2" "$3" &&
		       grep -q -- "Usage\|--help" "$3"' sh "$rc" "$opt" "$T/err"
done
q --glob '' "$D"
check cli.usage.empty_glob "exit $rc, want 2" [ "$rc" -eq 2 ]

q --help
check cli.help.exit "exit $rc, stderr: $(first "$T/err")" \
	[ "$rc" -eq 0 -a ! -s "$T/err" ]
check cli.help.usage_line "first line: $(first "$T/out")" \
	grep -q '^Usage: qpan' "$T/out"
# Every long option: the ones SPEC and the brief name, and every row of
# src/app/optlist.h, so a new option cannot go undocumented.
longopts=$(sed -n 's/^QP_OPT([A-Z_]*, "\([a-z][a-z-]*\)".*/\1/p' src/app/optlist.h)
check cli.help.option_list "no QP_OPT rows read from src/app/optlist.h" \
	[ "$(echo "$longopts" | wc -w)" -ge 10 ]
missing=
for o in glob pretty rules help version $longopts; do
	grep -q -- "--$o\b" "$T/out" || missing="$missing --$o"
done
check cli.help.long_options "not in --help:$missing" [ -z "$missing" ]
q -h
check cli.help.short "exit $rc" sh -c '[ "$1" -eq 0 ] && grep -q "^Usage" "$2"' \
	sh "$rc" "$T/out"
q --version
check cli.version "exit $rc, output: $(first "$T/out")" \
	sh -c '[ "$1" -eq 0 ] && grep -Eq "^qpan [0-9]+\.[0-9]+(\.[0-9]+)?" "$2"' \
	sh "$rc" "$T/out"
q -V
check cli.version.short "exit $rc" [ "$rc" -eq 0 -a -s "$T/out" ]

# --pretty: several lines a document, the same objects.
q --pretty $F/stamp.txt $F/posted.txt
cp "$T/out" "$T/pretty.json"
check cli.pretty.exit "exit $rc" [ "$rc" -eq 0 ]
check cli.pretty.multiline "$(wc -l <"$T/pretty.json") lines" \
	[ "$(wc -l <"$T/pretty.json")" -gt 4 ]
q $F/stamp.txt $F/posted.txt
jq -S -c . "$T/pretty.json" >"$T/a" 2>/dev/null
jq -S -c . "$T/out" >"$T/b" 2>/dev/null
check cli.pretty.same_objects "pretty and NDJSON objects differ" \
	sh -c '[ -s "$1" ] && [ "$(wc -l <"$1")" -eq 2 ] && cmp -s "$1" "$2"' \
	sh "$T/a" "$T/b"
q -p $F/lede.txt
check cli.pretty.short "exit $rc" [ "$rc" -eq 0 -a "$(wc -l <"$T/out")" -gt 1 ]

# --rules DIR.
R=$T/rules-bad
mkdir -p "$R/rules"
printf '# broken\nx.ok\tfold\tabc\nx.broken\tfold\t(unclosed\n' >"$R/rules/x.rules"
q --rules "$R" $F/stamp.txt
check cli.rules.broken_exit "exit $rc, want 2" [ "$rc" -eq 2 -a ! -s "$T/out" ]
check cli.rules.broken_message "stderr: $(first "$T/err")" \
	grep -q 'rules/x.rules:3.*x.broken' "$T/err"
printf 'x.layer\tbogus\tabc\n' >"$R/rules/x.rules"
q -r "$R" $F/stamp.txt
check cli.rules.bad_layer "exit $rc, stderr: $(first "$T/err")" \
	sh -c '[ "$1" -eq 2 ] && grep -q "x.rules:1" "$2"' sh "$rc" "$T/err"
q --rules "$T/no-such-dir" $F/stamp.txt
check cli.rules.missing_dir "exit $rc, want 2" [ "$rc" -eq 2 ]
R=$T/rules-extra
mkdir -p "$R/rules" "$R/lexicon"
printf '# nothing matches this\nunit.zz_extra\tfold\t{{zzlist}}\\s+zzzqqq\n' \
	>"$R/rules/zz.rules"
printf 'Mục một\n' >"$R/lexicon/zzlist.txt"
q --rules "$R" $F/stamp.txt $F/posted.txt $F/dateline.txt $F/lede.txt
check cli.rules.extra_changes_nothing "exit $rc, output differs" \
	sh -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' sh "$rc" "$T/out" "$T/four.ndjson"
# The gazetteer is lexicons too: a districts.tsv in DIR replaces the
# built-in one (the invented Tân Lũy becomes a district of Hà Tĩnh).
R=$T/rules-gazetteer
mkdir -p "$R/lexicon"
printf '# districts.tsv - one district\nTân Lũy\tHà Tĩnh\thuyện\n' \
	>"$R/lexicon/districts.tsv"
# province PROVINCE_2025 of $T/out's locality
provinces() { jq -r '.meeting.locality | "\(.province) \(.province_2025)"' "$T/out"; }
q data/samples/huyen-tan-luy-2023.txt
got=$(provinces)
check cli.rules.gazetteer_builtin "exit $rc, got $got" [ "$rc" -eq 0 -a "$got" = "null null" ]
q --rules "$R" data/samples/huyen-tan-luy-2023.txt
got=$(provinces)
check cli.rules.gazetteer_override "exit $rc, got $got" [ "$rc" -eq 0 -a "$got" = "Hà Tĩnh Hà Tĩnh" ]

# A rule in an added file joins its family where the file sorts (after
# meeting.rules): a date shape only it knows is read.
R="$T/joins"
mkdir -p "$R/rules"
printf 'meeting.date.zz\tfold\t\\bvào hôm\\s+(?<d>\\d{1,2})@(?<m>\\d{1,2})\n' \
	>"$R/rules/zz.rules"
printf 'Hội nghị tổng kết công tác quốc phòng năm 2024 của huyện Tân Lạc diễn ra vào hôm 27@12.\n' \
	>"$T/joins.txt"
q --rules "$R" "$T/joins.txt"
check cli.rules.added_rule_joins_family "exit $rc, $(first "$T/out")" \
	sh -c '[ "$1" -eq 0 ] && grep -q "\"date\":\"2024-12-27\"" "$2"' sh "$rc" "$T/out"
q "$T/joins.txt"
check cli.rules.added_rule_needs_its_file "$(first "$T/out")" \
	grep -q '"date":null' "$T/out"

# The data contract (src/extract/families.h): a rule no field family
# reads, a capture group its family does not read or lacks, a category
# that is not one, a misnamed file, a new lexicon no rule uses.  Each
# stops qpan before any document: exit 2, no output, and a message that
# names the file (and the line).
# refused NAME FILE CONTENT MESSAGE: FILE (under DIR) holds CONTENT
# (printf format); expect MESSAGE (a grep -F string) on stderr.
refused() {
	rm -rf "$T/contract"
	mkdir -p "$T/contract/rules" "$T/contract/lexicon"
	# shellcheck disable=SC2059
	printf "$3" >"$T/contract/$2"
	q --rules "$T/contract" $F/stamp.txt
	check "cli.rules.contract.$1" "exit $rc, stderr: $(first "$T/err")" \
		sh -c '[ "$1" -eq 2 ] && [ ! -s "$2" ] && grep -qF -- "$3" "$4"' \
		sh "$rc" "$T/out" "$4" "$T/err"
}
refused unknown_family rules/zz.rules \
	'# typo\nmeetng.date.x\tfold\t(?<d>\\d+)/(?<m>\\d+)\n' \
	'rules/zz.rules:2: meetng.date.x: unknown rule family'
refused unknown_group rules/zz.rules \
	'meeting.date.x\tfold\t(?<dd>\\d+)/(?<m>\\d+)\n' \
	"rules/zz.rules:1: meeting.date.x: unknown capture group 'dd'"
refused missing_group rules/zz.rules \
	'header.stamp.x\tfold\tdate (?<y>\\d{4})\n' \
	"rules/zz.rules:1: header.stamp.x: missing capture group 'm'"
refused group_in_override rules/units.rules \
	'unit.police\tfold\t(?<name>công an)\n' \
	"rules/units.rules:1: unit.police: unknown capture group 'name'"
refused unknown_category rules/zz.rules \
	'stat.context.drug\tfold\tma túy\n' \
	"rules/zz.rules:1: stat.context.drug: unknown category 'drug'"
refused example_without_rule rules/zz.rules \
	'#= Sáng 3/12, hội nghị.\nunit.zz\tfold\tzzz\n' \
	'rules/zz.rules:1: example with no rule above it'
refused misnamed_file rules/meeting.rule 'x\n' \
	'meeting.rule: not a rules file'
refused unused_lexicon lexicon/surnmes.txt 'Lê\n' \
	'lexicon/surnmes.txt: unknown lexicon'

# ---------------------------------------------------------------------
# BOM + CRLF, NFD: the same facts, spans in the bytes given

# both JQ FILE_A FILE_B: JQ over qpan's output for FILE_A into $T/a,
# for FILE_B into $T/b (compact, keys sorted); same: $T/a is not empty
# and $T/b is the same.
both() {
	q "$2"
	jq -S -c "$1" "$T/out" >"$T/a" 2>/dev/null
	q "$3"
	jq -S -c "$1" "$T/out" >"$T/b" 2>/dev/null
}
same() { [ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; }
both '[.title, .published]' $F/posted.txt $F/crlf_bom.txt
check cli.crlf_bom.header "plain $(cat "$T/a"), BOM+CRLF $(cat "$T/b")" same
# Everything but spans and source is the same as the plain document.
strip='del(.source) | walk(if type == "object" then del(.span) else . end)'
both "$strip" $F/posted.txt $F/crlf_bom.txt
check cli.crlf_bom.same_output "outputs differ beyond spans: $(cmp "$T/a" "$T/b" 2>&1)" same

both "$strip" $F/stamp.txt $F/nfd.txt
check cli.nfd.same_output "outputs differ beyond spans: $(cmp "$T/a" "$T/b" 2>&1)" same
# The NFD spans are longer (more bytes) but cover the same pieces.
both '[.. | objects | select(.span? | type == "array") | .span] | length' \
	$F/stamp.txt $F/nfd.txt
check cli.nfd.same_span_count "NFC $(cat "$T/a") spans, NFD $(cat "$T/b")" same

# Every span of every fixture cuts the bytes its text says.
#   plain: the bytes are the text;  crlf: the text with LF as CRLF (so a
#   span that takes the CR of a line end is wrong);  nfd: NFC of the
#   bytes is the text.
if "$UNIT" --nfc </dev/null >/dev/null 2>&1; then have_nfc=1; else have_nfc=; fi
spans_ok() { # FILE MODE: prints what is wrong and returns 1
	"$QPAN" "$1" >"$T/so" 2>/dev/null || { echo "qpan failed"; return 1; }
	size=$(wc -c <"$1")
	sel='.. | objects | select(.span? | type == "array")'
	jq -r "$sel"' | "\(.span[0]) \(.span[1]) \(.text | type)"' "$T/so" \
		>"$T/spans" || { echo "jq failed"; return 1; }
	# What the spans should cut, one after the other, each ended by a
	# \001 byte (ASCII, so NFC of the whole is the pieces' NFC joined).
	jq -j --arg mode "$2" "$sel"' | (.text | if $mode == "crlf"
	       then gsub("\n"; "\r\n") else . end) + "\u0001"' "$T/so" \
		>"$T/want" 2>/dev/null
	: >"$T/got"
	while read -r s e type; do
		if [ "$type" != string ]; then
			echo "span [$s,$e) has no text"
			return 1
		fi
		if [ "$s" -gt "$e" ] || [ "$e" -gt "$size" ]; then
			echo "span [$s,$e) outside the $size-byte file"
			return 1
		fi
		tail -c +$((s + 1)) "$1" | head -c $((e - s)) >>"$T/got"
		printf '\001' >>"$T/got"
	done <"$T/spans"
	if [ "$2" = nfd ]; then
		"$UNIT" --nfc <"$T/got" >"$T/got.nfc" && mv "$T/got.nfc" "$T/got"
	fi
	wc -l <"$T/spans" >>"$T/nspans"
	cmp -s "$T/got" "$T/want" && return 0
	# Name the first span that differs: count the pieces before the
	# first differing byte.
	at=$(cmp "$T/got" "$T/want" 2>/dev/null | sed -n 's/.* byte \([0-9]*\).*/\1/p')
	k=$(head -c "$((${at:-1} - 1))" "$T/got" | tr -cd '\001' | wc -c)
	k=$((k + 1))
	awk -v RS='\001' -v k="$k" 'NR == k { printf "%s", $0 }' "$T/got" >"$T/cut"
	awk -v RS='\001' -v k="$k" 'NR == k { printf "%s", $0 }' "$T/want" >"$T/text"
	printf "span %s of %s, [%s), cuts '%s' but its text is '%s'\n" "$k" \
	       "$(wc -l <"$T/spans")" "$(sed -n "${k}p" "$T/spans" | cut -d' ' -f1,2 |
	       tr ' ' ',')" "$(ends "$T/cut")" "$(ends "$T/text")"
	return 1
}
: >"$T/nspans"
for f in stamp posted dateline lede; do
	why=$(spans_ok $F/$f.txt plain)
	check "cli.spans.$f" "$why" [ -z "$why" ]
done
why=$(spans_ok $F/crlf_bom.txt crlf)
check cli.spans.crlf_bom "$why" [ -z "$why" ]
if [ -n "$have_nfc" ]; then
	why=$(spans_ok $F/nfd.txt nfd)
	check cli.spans.nfd "$why" [ -z "$why" ]
else
	echo "NOTE cli.spans.nfd skipped: no $UNIT --nfc to normalize with"
fi
total=$(awk '{ n += $1 } END { print n + 0 }' "$T/nspans")
[ "$total" -gt 0 ] || echo "NOTE no spans in the output of the fixtures: span checks were empty"

# ---------------------------------------------------------------------
# Sanitizers (only meaningful for a sanitized build)

qp_sanitizer_check
exit 0
