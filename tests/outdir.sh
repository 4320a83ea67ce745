#!/bin/sh
# outdir.sh QPAN - --output-dir and --incremental: one whole file per
# document, and a batch killed half-way that a rerun finishes without
# redoing or duplicating work.  PASS/FAIL lines like the other suites.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init outdir "$@"

# A batch: copies of the samples in nested folders.
mkdir -p "$T/in/a" "$T/in/b/c"
i=0
while [ $i -lt 60 ]; do
	for f in data/samples/*.txt; do
		i=$((i + 1))
		case $((i % 3)) in
		0) cp "$f" "$T/in/a/doc$i.txt" ;;
		1) cp "$f" "$T/in/b/doc$i.txt" ;;
		*) cp "$f" "$T/in/b/c/doc$i.txt" ;;
		esac
	done
done
total=$(find "$T/in" -name '*.txt' | wc -l)
cd "$T" || exit 0

# One file per document, mirroring the source path, same object as stdout.
"$QPAN" -o out1 in > stdout1 2>err1
[ "$?" -eq 0 ] && [ ! -s stdout1 ] && [ ! -s err1 ]
ok writes-nothing-to-stdout
[ "$(find out1 -name '*.json' | wc -l)" -eq "$total" ]
ok one-file-per-document
[ -f out1/in/b/c/doc2.txt.json ]
ok path-mirrors-source
"$QPAN" in/b/c/doc2.txt | cmp -s - out1/in/b/c/doc2.txt.json
ok file-equals-stdout-object
"$QPAN" -o out1 --format tsv in/a/doc3.txt && head -1 out1/in/a/doc3.txt.tsv | grep -q '^source	meeting_date'
ok tsv-files
printf 'Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị.' | "$QPAN" -o out1 && [ -f out1/-.json ]
ok stdin-file
(cd in/a && "$QPAN" -o "$T/out1" ../b/doc1.txt) && [ -f out1/%2e%2e/b/doc1.txt.json ]
ok dotdot-stays-inside
# Names that look alike still get files of their own.
mkdir -p __ && cp in/b/doc1.txt __/doc1.txt && cp in/b/doc1.txt in/b/doc1.htm &&
	(cd in/a && "$QPAN" -o "$T/out3" ../../__/doc1.txt) &&
	"$QPAN" -o out3 __/doc1.txt --glob '*' in/b/doc1.htm in/b/doc1.txt &&
	[ "$(find out3 -type f | wc -l)" -eq 4 ]
ok no-two-sources-share-a-file
"$QPAN" -o /dev/null/x in/a/doc3.txt 2>err
[ "$?" -eq 1 ] && grep -q '^qpan: in/a/doc3.txt: writing /dev/null/x/in/a/doc3.txt.json: ' err
ok unwritable-dir-is-an-error
exits 2 --incremental in
ok incremental-needs-output-dir

# Kill a run half-way, then finish it with --incremental.
"$QPAN" -j1 -o out2 in 2>/dev/null &
pid=$!
n=0
while [ "$(find out2 -name '*.json' 2>/dev/null | wc -l)" -lt 20 ] && [ $n -lt 2000 ]; do
	n=$((n + 1))
	kill -0 "$pid" 2>/dev/null || break
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
done_before=$(find out2 -name '*.json' | wc -l)
find out2 -name '*.json' -exec jq -e . {} + > /dev/null 2>&1
ok killed-run-leaves-only-whole-files
[ "$done_before" -lt "$total" ] || echo "NOTE the first run finished before it was killed"
# Remember when each finished file was written: a rerun must not redo it.
find out2 -name '*.json' -exec stat -c '%n %.9Y' {} + | sort > before
"$QPAN" -o out2 --incremental in 2>err2
[ "$?" -eq 0 ] && [ ! -s err2 ]
ok rerun-finishes
[ "$(find out2 -name '*.json' | wc -l)" -eq "$total" ]
ok rerun-completes-the-set
[ -d out2 ] && [ -z "$(find out2 -name '*.tmp')" ]
ok no-temporary-files-left
[ -s before ] && find out2 -name '*.json' -exec stat -c '%n %.9Y' {} + | sort |
	join before - | awk '$2 != $3 { bad = 1 } END { exit bad }'
ok rerun-did-not-redo-finished-files
# An input that vanished is reported, not skipped for having an output.
cp in/a/doc3.txt gone.txt && "$QPAN" -o out4 gone.txt && rm gone.txt &&
	! "$QPAN" -o out4 --incremental gone.txt 2>err && grep -q '^qpan: gone.txt: No such file' err
ok incremental-reports-vanished-input

# out1 holds extra files from the tests above; compare what out2 has.
[ -d out2 ] && (cd out2 && find . -name '*.json') > list && [ -s list ] &&
	! while read -r f; do cmp -s "out1/$f" "out2/$f" || echo "$f"; done < list | grep -q .
ok rerun-output-equals-one-run
