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
# 0.9 MB took 14 s.  3 MB of them must finish well within the timeout,
# every distinct statistic kept and a repeated sentence counted once.

n=$((150000 / SCALE))
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
