#!/bin/sh
# tables.sh QPAN - --format tsv|csv and --table: every table in both
# formats over the samples and the cases, read back (CSV with Python's
# csv module, tests/tables.py) and compared with the JSON of the same
# documents; RFC 4180 quoting of a source named with a quote, a comma
# and a line break; the statistics table as TSV always printed it;
# --output-dir files with their header row; the usage errors.
# PASS/FAIL lines like the other suites.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init tables "$@"

TABLES="statistics officials units awards tasks documents"
STATS_HEADER=$(printf 'source\tmeeting_date\tcategory\tvalue\tunit\tapprox\titem\tprovince\tspan_start\tspan_end')
if command -v python3 >/dev/null 2>&1; then HAVE_PY=1; else HAVE_PY=; fi
[ -n "$HAVE_PY" ] || echo "NOTE tables: no python3, CSV not read back"

"$QPAN" data/samples tests/cases >"$T/nd" 2>"$T/err"
check tables.json.runs "exit $?: $(first "$T/err")" [ -s "$T/nd" ]
docs=$(lines "$T/nd")

# --- every table, both formats, against the JSON ------------------------
for fmt in tsv csv; do
	for t in $TABLES; do
		q -f "$fmt" --table "$t" data/samples tests/cases
		cp "$T/out" "$T/$t.$fmt"
		check "tables.$fmt.$t.runs" "exit $rc: $(first "$T/err")" \
			[ "$rc" -eq 0 ] && [ ! -s "$T/err" ]
		if [ -n "$HAVE_PY" ]; then
			python3 tests/tables.py "$fmt" "$t" "$T/$t.$fmt" "$T/nd" \
				>"$T/why" 2>&1
			check "tables.$fmt.$t.matches_json" "$(first "$T/why")" \
				[ $? -eq 0 ]
		fi
	done
done

# The documents table: one row per document, its date the JSON's.
check tables.documents.one_row_per_document \
	"$(($(lines "$T/documents.tsv") - 1)) rows for $docs documents" \
	[ "$(($(lines "$T/documents.tsv") - 1))" -eq "$docs" ]
if command -v jq >/dev/null 2>&1; then
	jq -r '.meeting.date // ""' "$T/nd" >"$T/want"
	tail -n +2 "$T/documents.tsv" | cut -f2 >"$T/got"
	check tables.documents.dates_are_json "$(diff "$T/want" "$T/got" | head -n 3 | tr '\n' '|')" \
		cmp -s "$T/want" "$T/got"
	if [ -n "$HAVE_PY" ]; then
		# The statistics' values, read from the CSV, are jq's.
		jq -r '.statistics[].value' "$T/nd" >"$T/want"
		python3 -c 'import csv, sys
for r in list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))):
    print(r["value"])' "$T/statistics.csv" >"$T/got"
		check tables.csv.statistics.values_are_jq \
			"$(diff "$T/want" "$T/got" | head -n 3 | tr '\n' '|')" \
			cmp -s "$T/want" "$T/got"
	fi
else
	echo "NOTE tables: no jq, dates and values not compared with it"
fi

# --- statistics: the TSV it always was ------------------------------------
check tables.tsv.statistics.header "header: $(first "$T/statistics.tsv")" \
	[ "$(head -n 1 "$T/statistics.tsv")" = "$STATS_HEADER" ]
awk -F'\t' 'NF != 10 { bad = 1 } END { exit bad }' "$T/statistics.tsv"
ok tsv.statistics.ten_columns
"$QPAN" -f tsv data/samples tests/cases >"$T/default.tsv" 2>/dev/null
check tables.tsv.statistics.is_the_default "-f tsv and --table statistics differ" \
	cmp -s "$T/default.tsv" "$T/statistics.tsv"
# Against the output saved before --table existed (the brief's baseline),
# when it is there: the seven columns of old, in their places.
before=${QPAN_TSV_BEFORE:-/tmp/tables-before.tsv}
if [ -s "$before" ]; then
	cut -f1-7 "$T/default.tsv" >"$T/first7"
	check tables.tsv.statistics.first_seven_as_before \
		"$(diff "$before" "$T/first7" | head -n 3 | tr '\n' '|')" \
		cmp -s "$before" "$T/first7"
else
	echo "NOTE tables: no $before, the statistics TSV compared with its documented header only"
fi

# --- CSV bytes ------------------------------------------------------------
check tables.csv.statistics.header "header: $(first "$T/statistics.csv")" \
	[ "$(head -n 1 "$T/statistics.csv")" = \
	  "$(printf 'source,meeting_date,category,value,unit,approx,item,province,span_start,span_end\r')" ]
# The cases quote within their text: such a field is quoted, its quotes
# doubled.
check tables.csv.quotes_doubled "no \"\" in the tasks CSV" \
	grep -q '""' "$T/tasks.csv"
check tables.tsv.nothing_quoted "a doubled quote in the tasks TSV" \
	sh -c '! grep -q "\"\"" "$1"' sh "$T/tasks.tsv"

# --- a source whose name needs quoting -------------------------------------
mkdir -p "$T/odd"
odd='bao cao "quy 4", Ha Tinh
moi.txt'
cat >"$T/odd/$odd" <<'EOF'
Công an tỉnh Hà Tĩnh tổng kết công tác năm 2023

Sáng 20/12, Công an tỉnh Hà Tĩnh tổ chức hội nghị tổng kết công tác bảo đảm an ninh, trật tự năm 2023, triển khai nhiệm vụ năm 2024.
Đại tá Nguyễn Văn Hùng, Giám đốc Công an tỉnh chủ trì hội nghị.
Năm 2023, lực lượng Công an tỉnh đã phát hiện, bắt giữ 125 vụ, 230 đối tượng phạm tội về ma túy, thu giữ 4,5 kg ma túy tổng hợp.
Năm 2024, Công an tỉnh cần tiếp tục thực hiện hiệu quả phong trào "Toàn dân bảo vệ an ninh Tổ quốc", nâng cao chất lượng công tác nắm tình hình.
Dịp này, 12 tập thể và 25 cá nhân được Bộ Công an tặng Bằng khen.
EOF
(cd "$T/odd" && "$QPAN" "$odd") >"$T/odd.nd" 2>"$T/err"
check tables.odd_name.json "exit $?: $(first "$T/err")" [ -s "$T/odd.nd" ]
for t in $TABLES; do
	(cd "$T/odd" && "$QPAN" -f csv --table "$t" "$odd") >"$T/odd.csv" 2>/dev/null
	if [ -n "$HAVE_PY" ]; then
		python3 - "$T/odd.csv" "$odd" "$t" >"$T/why" 2>&1 <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
body = rows[1:]
bad = [r for r in body if len(r) != len(rows[0]) or r[0] != sys.argv[2]]
if not body or bad:
    print("%d rows, %d wrong: %r" % (len(body), len(bad), bad[:1]))
    sys.exit(1)
# Every table carries the province: third, but for statistics (eighth,
# after the seven columns TSV always had).
k = 7 if sys.argv[3] == "statistics" else 2
if rows[0][k] != "province":
    print("no province column: %r" % rows[0])
    sys.exit(1)
if body[0][k] != "Hà Tĩnh":
    print("province %r" % body[0][2])
    sys.exit(1)
EOF
		check "tables.csv.$t.odd_name_reads_back" "$(first "$T/why")" [ $? -eq 0 ]
		python3 tests/tables.py csv "$t" "$T/odd.csv" "$T/odd.nd" >"$T/why" 2>&1
		check "tables.csv.$t.odd_name_matches_json" "$(first "$T/why")" [ $? -eq 0 ]
	fi
	(cd "$T/odd" && "$QPAN" -f tsv --table "$t" "$odd") >"$T/odd.tsv" 2>/dev/null
	# TSV is not quoted: the line break in the name became a space.
	check "tables.tsv.$t.odd_name_one_line" "$(flat "$T/odd.tsv")" \
		sh -c '[ "$(tail -n +2 "$1" | cut -f1 | sort -u)" = "$2" ]' sh \
		"$T/odd.tsv" 'bao cao "quy 4", Ha Tinh moi.txt'
done

# --- no rows: the header alone ----------------------------------------------
printf 'Không có gì.' | "$QPAN" -f csv --table awards >"$T/empty.csv" 2>/dev/null
check tables.csv.no_rows_header_only "$(flat "$T/empty.csv")" \
	[ "$(lines "$T/empty.csv")" -eq 1 ]

# --- --output-dir: NAME.csv per document, each with its header --------------
cp -R data/samples "$T/in"
for t in $TABLES; do
	(cd "$T" && "$QPAN" -o "out-$t" -f csv --table "$t" in) 2>"$T/err"
	st=$?
	bad=
	for f in "$T"/in/*.txt; do
		(cd "$T" && "$QPAN" -f csv --table "$t" "in/${f##*/}") >"$T/one" 2>&1
		cmp -s "$T/one" "$T/out-$t/in/${f##*/}.csv" || bad="$bad ${f##*/}"
	done
	n=$(find "$T/out-$t" -name '*.csv' 2>/dev/null | wc -l)
	check "tables.outdir.csv.$t" "exit $st, $n files, differ from stdout:$bad $(first "$T/err")" \
		[ "$st" -eq 0 ] && [ -z "$bad" ] && [ "$n" -eq "$(ls "$T/in" | wc -l)" ]
done
(cd "$T" && "$QPAN" -o out-tsv -f tsv --table officials in/huyen-tan-luy-2023.txt) 2>/dev/null
check tables.outdir.tsv.officials "$(ls "$T/out-tsv/in" 2>&1 | tr '\n' ' ')" \
	sh -c 'head -n 1 "$1" 2>/dev/null | grep -q "^source	meeting_date	province	name"' sh \
	"$T/out-tsv/in/huyen-tan-luy-2023.txt.tsv"

# --- usage errors -------------------------------------------------------------
# usage NAME WANT ARGS...: exit 2 and one "qpan:" line, matching WANT.
usage() {
	_n=$1 _w=$2
	shift 2
	q "$@"
	check "tables.usage.$_n" "exit $rc: $(flat "$T/err")" \
		sh -c '[ "$1" -eq 2 ] && [ ! -s "$2" ] &&
		       [ "$(grep -c "^qpan: " "$3")" -eq 1 ] &&
		       head -n 1 "$3" | grep -q -- "$4"' sh \
		"$rc" "$T/out" "$T/err" "$_w"
}
usage table_without_format '^qpan: --table needs --format tsv or csv$' \
	--table units data/samples
usage table_with_json '--table needs --format tsv or csv' \
	-f json --table units data/samples
usage table_then_pretty '--table needs --format tsv or csv' \
	-f csv --table units -p data/samples
usage bad_table "^qpan: --table is statistics, officials, units, awards, tasks or documents, not 'staff'$" \
	-f csv --table staff data/samples
usage bad_format_names_csv 'tsv or csv' -f xlsx data/samples

# Completion offers every table name that the message lists.
"$QPAN" --generate complete-bash >"$T/complete.bash"
if command -v bash >/dev/null 2>&1; then
	bash -c '. "$1"; COMP_WORDS=(qpan --table ""); COMP_CWORD=2; _qpan
	         printf "%s\n" "${COMPREPLY[@]}"' sh "$T/complete.bash" >"$T/c"
	printf '%s\n' $TABLES >"$T/want"
	check tables.complete.table_names "offered: $(flat "$T/c")" \
		cmp -s "$T/want" "$T/c"
fi

qp_sanitizer_check
