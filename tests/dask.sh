#!/bin/sh
# dask.sh QPAN - contrib/dask/qpan_dask.py on a LocalCluster of two
# worker processes: records of the samples and the extraction cases
# (with ids, and some without) split into partitions give byte for byte
# what one qpan run gives; a bad record gives status 1 with its message
# and the good lines still out; a qpan that dies of SIGSEGV, or exits 3,
# gives status 2, a message and no output.  Skipped with a NOTE when no
# python3 imports dask.distributed (Debian: python3-dask,
# python3-distributed).  PASS/FAIL lines like the other suites; plain
# build only.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init dask "$@"

py=$(qp_python dask.bag dask.distributed) || py=""
if [ -z "$py" ]; then
	echo "NOTE dask skipped: no python3 imports dask.distributed (apt-get install python3-dask python3-distributed)"
	exit 0
fi
# A LocalCluster takes a few seconds to start; one run is bounded.
TO=120

# dk RECORDS [QPAN]: the script, stdout in $T/got, stderr in $T/gerr,
# status in $rc.
dk() {
	qp_timed "$py" contrib/dask/qpan_dask.py --qpan "${2:-$QPAN}" \
		--partitions 5 --workers 2 "$1" >"$T/got" 2>"$T/gerr"
	rc=$?
}
# plain RECORDS: one qpan over all of them, into $T/want, $T/werr, $wrc.
plain() {
	"$QPAN" --input-format ndjson <"$1" >"$T/want" 2>"$T/werr"
	wrc=$?
}

for f in data/samples/*.txt tests/cases/*.txt; do
	jq -cRs --arg id "$(basename "$f" .txt)" '{id: $id, text: .}' "$f"
done >"$T/rec"
# Records without an id: named by a hash of their text, the same
# whatever partition they fall in.
printf '%s\n' '{"text":"Sáng 12/12, Hội đồng giáo dục quốc phòng - an ninh huyện tổ chức hội nghị tổng kết năm 2025."}' \
	'{"text":"Đại tá Trần Văn Bình, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh dự hội nghị."}' >>"$T/rec"
n=$(lines "$T/rec")

plain "$T/rec"
dk "$T/rec"
check dask.same_as_one_run "status $rc (one run: $wrc); $n records; stderr $(flat "$T/gerr"); $(cmp "$T/want" "$T/got" 2>&1)" \
	sh -c '[ "$1.$2" = 0.0 ] && [ "$(wc -l <"$3")" -eq "$5" ] && cmp -s "$3" "$4"' \
	sh "$rc" "$wrc" "$T/want" "$T/got" "$n"

# A bad line and a record without text, in the middle.
{ head -n 20 "$T/rec"; echo 'không phải JSON'; echo '{"id":"notext"}'; tail -n +21 "$T/rec"; } >"$T/bad"
plain "$T/bad"
dk "$T/bad"
check dask.bad_record_status_1_good_lines_out "status $rc (one run: $wrc); stderr $(flat "$T/gerr"); $(cmp "$T/want" "$T/got" 2>&1)" \
	sh -c '[ "$1.$2" = 1.1 ] && [ "$(wc -l <"$4")" -eq "$6" ] && cmp -s "$3" "$4" &&
	       grep -q "^qpan: -:[0-9]*: not a JSON object$" "$5" &&
	       grep -q "^qpan: notext: line [0-9]*: no \"text\" string" "$5"' \
	sh "$rc" "$wrc" "$T/want" "$T/got" "$T/gerr" "$n"

# A qpan that crashes, and one that exits with a status qpan never uses.
printf '#!/bin/sh\ncat >/dev/null\nkill -SEGV $$\n' >"$T/segv"
printf '#!/bin/sh\ncat >/dev/null\necho "qpan: broken" >&2\nexit 3\n' >"$T/three"
chmod +x "$T/segv" "$T/three"
dk "$T/rec" "$T/segv"
check dask.crash_is_status_2 "status $rc; stderr $(flat "$T/gerr"); stdout $(first "$T/got")" \
	sh -c '[ "$1" -eq 2 ] && [ ! -s "$2" ] && grep -q "^qpan_dask: qpan was killed by SIGSEGV on partition" "$3"' \
	sh "$rc" "$T/got" "$T/gerr"
dk "$T/rec" "$T/three"
check dask.status_3_is_status_2 "status $rc; stderr $(flat "$T/gerr"); stdout $(first "$T/got")" \
	sh -c '[ "$1" -eq 2 ] && [ ! -s "$2" ] && grep -q "^qpan_dask: qpan exited with status 3 on partition" "$3" && grep -q "^qpan: broken" "$3"' \
	sh "$rc" "$T/got" "$T/gerr"

# Usage: no records file.
qp_timed "$py" contrib/dask/qpan_dask.py --qpan "$QPAN" "$T/none" >"$T/got" 2>"$T/gerr"
rc=$?
check dask.missing_file_status_2 "status $rc; stderr $(flat "$T/gerr")" \
	sh -c '[ "$1" -eq 2 ] && grep -q "^qpan_dask: .*No such file" "$2"' sh "$rc" "$T/gerr"
