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
	[ "$(find out3 -type f ! -name '.qpan-*' | wc -l)" -eq 4 ]
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

# The man page says what the code does: a vanished operand is reported.
sed -n '/^\.SH OUTPUT FILES/,/^\.SH LIMITS/p' "$ROOT/man/qpan.1" > man-files &&
	! grep -q 'without a message' man-files &&
	tr '\n' ' ' < man-files | grep -q 'no longer exists is reported'
ok man-says-vanished-input-is-reported

# out1 holds extra files from the tests above; compare what out2 has.
[ -d out2 ] && (cd out2 && find . -name '*.json') > list && [ -s list ] &&
	! while read -r f; do cmp -s "out1/$f" "out2/$f" || echo "$f"; done < list | grep -q .
ok rerun-output-equals-one-run

# ---------------------------------------------------------------------
# Record ids are names: every id its own file, all inside DIR.
mkdir ids && cd ids || exit 0
printf '{"id":"%s","text":"Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị %s."}\n' \
	'' 1 . 2 ./ 3 .. 4 / 5 a 6 a/ 7 a//b 8 a/b 9 '%2e' 10 > recs
"$QPAN" --input-format ndjson -o out < recs 2>err
[ "$?" -eq 0 ] && [ "$(ls)" = "$(printf 'err\nout\nrecs')" ] &&
	[ "$(find out -type f ! -name '.qpan-*' | wc -l)" -eq 10 ] &&
	[ -f out/%empty.json ] && [ -f out/%2e.json ] && [ -f out/%2e/%empty.json ] &&
	[ -f out/%2e%2e.json ] && [ -f out/%252e.json ]
ok ids-get-files-of-their-own-inside-dir
cd .. || exit 0

# A name as long as a file name can be still gets a file: shortened
# with a hash, one per source.
long=$(printf '%0250d' 0 | tr 0 n)
cp in/a/doc3.txt "$long.txt" && cp in/b/doc1.txt "${long}x.txt" &&
	"$QPAN" -o out5 "$long.txt" "${long}x.txt" 2>err &&
	[ "$(find out5 -name '*%h????????????????.json' | wc -l)" -eq 2 ] &&
	[ ! -s err ]
ok long-names-are-shortened
rm -f "$long.txt" "${long}x.txt"

# ---------------------------------------------------------------------
# --incremental trusts what was read, not times.  The same size and
# modification time as when read, other bytes (an edit in the same clock
# tick): done again.
mkdir inc && cp in/a/doc3.txt inc/d.txt && "$QPAN" -o out6 inc/d.txt &&
	cp out6/inc/d.txt.json before6 && m=$(stat -c %.9Y inc/d.txt) &&
	sed 's/[0-9]/9/' inc/d.txt > inc/e && cat inc/e > inc/d.txt &&
	touch -d "@$m" inc/d.txt && [ "$(stat -c %.9Y inc/d.txt)" = "$m" ] &&
	"$QPAN" -o out6 --incremental inc/d.txt &&
	"$QPAN" inc/d.txt | cmp -s - out6/inc/d.txt.json &&
	! cmp -s before6 out6/inc/d.txt.json
ok incremental-same-time-other-bytes-redone
# An older file put in its place (cp -p, a restored backup): done again.
cp -p in/b/doc1.txt inc/old.txt && touch -d 2001-01-01 inc/old.txt &&
	cp -p inc/old.txt inc/d.txt && "$QPAN" -o out6 --incremental inc/d.txt &&
	"$QPAN" inc/d.txt | cmp -s - out6/inc/d.txt.json
ok incremental-older-replacement-redone
# A record whose text changed under the same id: done again.
printf '{"id":"r","text":"Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị."}\n' |
	"$QPAN" --input-format ndjson -o out7 &&
	printf '{"id":"r","text":"Sáng 6/12, UBND huyện Tân Hà tổ chức hội nghị."}\n' |
	"$QPAN" --input-format ndjson -o out7 --incremental &&
	grep -q '"text":"Sáng 6/12' out7/r.json
ok incremental-changed-record-redone
# Unchanged, and outputs deleted by hand come back.
"$QPAN" -o out6 --incremental inc/d.txt && s1=$(stat -c %.9Y out6/inc/d.txt.json) &&
	"$QPAN" -o out6 --incremental inc/d.txt && [ "$(stat -c %.9Y out6/inc/d.txt.json)" = "$s1" ] &&
	rm out6/inc/d.txt.json && "$QPAN" -o out6 --incremental inc/d.txt &&
	[ -f out6/inc/d.txt.json ] && head -1 out6/.qpan-manifest | grep -q '^qpan-manifest 2	qpan '
ok incremental-keeps-unchanged-redoes-missing

# ---------------------------------------------------------------------
# Two runs on one directory: the second is refused while the first holds
# the lock; temporaries are this writer's own (a file planted at the old
# fixed name is not written through), fsync'd before the rename.
if command -v flock >/dev/null 2>&1; then
	mkdir -p out8
	flock out8/.qpan-lock sleep 5 &
	lpid=$!
	n=0
	while flock -n out8/.qpan-lock true 2>/dev/null && [ $n -lt 100 ]; do n=$((n + 1)); sleep 0.05; done
	"$QPAN" -o out8 in/a/doc3.txt 2>err
	[ "$?" -eq 1 ] && [ "$(cat err)" = "qpan: out8: another qpan run is writing here" ] &&
		[ ! -e out8/in ]
	ok second-run-refused-while-locked
	kill "$lpid" 2>/dev/null
	wait "$lpid" 2>/dev/null
else
	echo "NOTE no flock(1): second-run-refused-while-locked not checked"
fi
echo precious > victim && mkdir -p out9/in/a && ln -s "$T/victim" out9/in/a/doc3.txt.json.tmp &&
	"$QPAN" -o out9 in/a/doc3.txt && [ "$(cat victim)" = precious ] &&
	jq -e . out9/in/a/doc3.txt.json >/dev/null
ok temporary-is-a-new-file-of-its-own
if command -v strace >/dev/null 2>&1 &&
	strace -f -e trace=fsync,renameat,rename,renameat2 -o trace "$QPAN" -o out10 in/a/doc3.txt 2>/dev/null; then
	awk '/fsync\(/ { f = 1 } /rename.*doc3\.txt\.json"/ { ok = f } END { exit !ok }' trace
	ok fsync-before-rename
else
	echo "NOTE strace cannot run here: fsync-before-rename not checked"
fi

# SIGTERM, SIGINT, SIGHUP: temporaries removed, status 128+signal.  Many
# small records, so that a signal often comes while a file is open.
i=0
while [ $i -lt 3000 ]; do
	echo "{\"id\":\"s/d$i\",\"text\":\"Sáng 5/12, UBND huyện Tân Hà tổ chức hội nghị.\"}"
	i=$((i + 1))
done > many
# A background job starts with SIGINT ignored, and an ignored signal
# stays ignored (nohup): env --default-signal undoes that where it can.
sigs="TERM HUP TERM HUP TERM HUP"
dflt=
if env --default-signal=INT true 2>/dev/null; then
	sigs="TERM INT HUP TERM INT HUP TERM INT HUP TERM"
	dflt="env --default-signal=INT"
else
	echo "NOTE no env --default-signal: SIGINT not checked"
fi
sig_ok=1
for sig in $sigs; do
	rm -rf out11
	# shellcheck disable=SC2086
	$dflt "$QPAN" -j1 --input-format ndjson -o out11 < many 2>/dev/null &
	pid=$!
	n=0
	while [ "$(ls out11/s 2>/dev/null | wc -l)" -lt $((20 + n % 7)) ] && [ $n -lt 2000 ]; do
		n=$((n + 1))
	done
	kill -s "$sig" "$pid"
	wait "$pid"
	st=$?
	case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
	if [ "$st" -ne "$want" ] || [ -n "$(find out11 -name '*.tmp')" ]; then
		sig_ok=0
		echo "NOTE SIG$sig: status $st (want $want), left: $(find out11 -name '*.tmp' | head -3 | tr '\n' ' ')"
		break
	fi
done
[ "$sig_ok" -eq 1 ]
ok signals-remove-temporaries
# ... but a signal ignored when qpan starts stays ignored.
(trap '' HUP && exec "$QPAN" -j1 --input-format ndjson -o out11b < many 2>/dev/null) &
pid=$!
n=0
while [ "$(ls out11b/s 2>/dev/null | wc -l)" -lt 20 ] && [ $n -lt 2000 ]; do n=$((n + 1)); done
kill -s HUP "$pid" 2>/dev/null
wait "$pid"
[ "$?" -eq 0 ] && [ "$(ls out11b/s | wc -l)" -eq 3000 ]
ok ignored-signal-stays-ignored
# SIGKILL cannot be caught: the next run on the directory removes what
# the killed one was writing (named in the lock file).
mkdir -p out12/in/a && : > out12/in/a/doc3.txt.json.Zz9Zz9.tmp &&
	printf 'in/a/doc3.txt.json.Zz9Zz9.tmp\n' > out12/.qpan-lock &&
	"$QPAN" -o out12 in/b/doc1.txt && [ -z "$(find out12 -name '*.tmp')" ]
ok next-run-removes-killed-runs-temporary

# ---------------------------------------------------------------------
# Every directory that cannot be walked is reported.  Root ignores
# permissions, so as root qpan runs without the capabilities that do it.
as_user=
if [ "$(id -u)" -eq 0 ]; then
	mkdir -p probe && chmod 000 probe
	if command -v setpriv >/dev/null 2>&1 &&
		! setpriv --bounding-set=-dac_override,-dac_read_search ls probe >/dev/null 2>&1; then
		as_user="setpriv --bounding-set=-dac_override,-dac_read_search"
	else
		as_user=none
	fi
	chmod 755 probe
fi
if [ "$as_user" = none ]; then
	echo "NOTE running as root without setpriv: unreadable-directories-reported not checked"
else
	mkdir -p perm/noexec/sub perm/noread perm/ok && cp in/a/doc3.txt perm/ok/a.txt &&
		cp in/a/doc3.txt perm/noexec/sub/b.txt && cp in/a/doc3.txt perm/noread/c.txt &&
		chmod 644 perm/noexec && chmod 000 perm/noread
	# shellcheck disable=SC2086
	$as_user "$QPAN" perm > out 2>err
	st=$?
	chmod 755 perm/noexec perm/noread
	[ "$st" -eq 1 ] && grep -q '^qpan: perm/noexec: Permission denied$' err &&
		grep -q '^qpan: perm/noread: Permission denied$' err &&
		[ "$(lines err)" -eq 2 ] && grep -q '"source": *"perm/ok/a.txt"' out
	ok unreadable-directories-reported
fi

# A tree deeper than PATH_MAX is walked, read and written whole.
seg=$(printf '%0200d' 0 | tr 0 d)
mkdir deep && (
	cd deep || exit 1
	i=0
	while [ $i -lt 25 ]; do
		mkdir "$seg" && cd -P "$seg" || exit 1
		i=$((i + 1))
	done
	cp "$T/in/a/doc3.txt" bottom.txt
) && "$QPAN" deep > out 2>err && [ ! -s err ] &&
	[ "$(grep -c '"source"' out)" -eq 1 ] && grep -q 'bottom.txt"' out &&
	"$QPAN" -o out13 deep 2>err && [ ! -s err ] &&
	[ "$(find out13 -name bottom.txt.json | wc -l)" -eq 1 ]
ok deeper-than-path-max
