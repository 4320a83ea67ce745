#!/bin/sh
# valgrind.sh - qpan under valgrind memcheck: sh tests/valgrind.sh build/qpan
#
# Same protocol as cli.sh: one "PASS name" or "FAIL name: reason" line
# per invocation, "NOTE ..." for remarks; exit 0 unless the script
# cannot run.  Each invocation runs under
#
#   valgrind --error-exitcode=99 --leak-check=full
#            --errors-for-leak-kinds=definite,indirect
#
# and passes when valgrind reports nothing and qpan exits with the
# status it documents: success and error paths alike must free what
# they allocate.  The invocations: good files, a missing file, invalid
# UTF-8 and a NUL byte, a directory with a loop and a dangling link,
# NDJSON records with a bad one, -j 2, --pretty, --max-bytes, bad usage,
# bad rules, and a failed write (/dev/full).
#
# PCRE2's JIT-compiled code is machine code valgrind has no symbols
# for; its reads of padding bytes show up as "Conditional jump depends
# on uninitialised value" with an unknown ("???") top frame.  Those are
# suppressed (only those: a frame in qpan or a library has a name).
#
# Meant for a plain (not sanitized) build; runs in about half a minute.
# Without valgrind every check is skipped with a NOTE.

if [ $# -ne 1 ]; then
	echo "usage: sh tests/valgrind.sh PATH/TO/qpan" >&2
	exit 2
fi
case $1 in
/*) QPAN=$1 ;;
*) QPAN=$(pwd)/$1 ;;
esac
if [ ! -x "$QPAN" ]; then
	echo "FAIL valgrind.binary: $QPAN is not an executable"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	echo "NOTE valgrind.skipped: valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
F=tests/fixtures

T=$(mktemp -d "${TMPDIR:-/tmp}/qpan-valgrind.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'rm -rf "$T"; exit 2' HUP INT TERM

cat >"$T/jit.supp" <<'EOF'
{
   pcre2-jit-code-cond
   Memcheck:Cond
   obj:???
}
{
   pcre2-jit-code-value8
   Memcheck:Value8
   obj:???
}
EOF

if command -v timeout >/dev/null 2>&1; then TO="timeout 120"; else TO=; fi

# vg NAME WANT_STATUS ARGS...: run qpan under valgrind (stdin as given
# to vg, stdout to $T/out); PASS when valgrind found nothing and the
# status is WANT_STATUS.
vg() {
	_name=$1 _want=$2
	shift 2
	$TO valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect \
		--suppressions="$T/jit.supp" --log-file="$T/vg.log" \
		"$QPAN" "$@" >"$T/out" 2>"$T/err"
	_rc=$?
	if [ -s "$T/vg.log" ] || [ "$_rc" -eq 99 ]; then
		printf 'FAIL valgrind.%s: exit %s, %s\n' "$_name" "$_rc" \
			"$(grep -v '^==[0-9]*== *$' "$T/vg.log" | head -n 12 |
			   sed 's/^==[0-9]*== //' | tr '\n' '|' | head -c 600)"
	elif [ "$_rc" -ne "$_want" ]; then
		printf 'FAIL valgrind.%s: exit %s, want %s; stderr: %s\n' "$_name" \
			"$_rc" "$_want" "$(head -n 3 "$T/err" | tr '\n' '|')"
	else
		printf 'PASS valgrind.%s\n' "$_name"
	fi
}

# Inputs.
printf 'Ti\303\252u \304\221\341\273\201 \377 sai\n' >"$T/bad_utf8.txt"
printf 'Ti\303\252u\n\000\n' >"$T/nul.txt"
D=$T/tree
mkdir -p "$D/sub"
cp $F/stamp.txt "$D/a.txt"
cp $F/posted.txt "$D/sub/b.txt"
ln -s .. "$D/sub/up"
ln -s nowhere "$D/dangling.txt"
cp "$T/bad_utf8.txt" "$D/sub/c.txt"
printf '%s\n' '{"id":"a","text":"Sáng 12/12, UBND huyện Tân Lũy tổ chức hội nghị."}' \
	'not json' '{"id":7}' '' '{"text":"x"}' '{"id":"z","text":"\u0000"}' \
	'{"id":"big","text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}' \
	>"$T/records.ndjson"
R=$T/rules-bad
mkdir -p "$R/rules"
printf 'x.ok\tfold\tabc\nx.broken\tfold\t(unclosed\n' >"$R/rules/x.rules"

vg good_files 0 -j 1 $F/stamp.txt $F/posted.txt $F/dateline.txt $F/lede.txt \
	$F/crlf_bom.txt $F/nfd.txt
vg missing_file 1 -j 1 $F/stamp.txt "$T/missing.txt" $F/lede.txt
vg bad_input 1 -j 1 "$T/bad_utf8.txt" "$T/nul.txt" $F/lede.txt
vg directory 1 -j 1 "$D"
vg ndjson_bad_record 1 -j 1 --input-format ndjson --max-bytes 64 <"$T/records.ndjson"
vg jobs2 0 -j 2 data/samples $F/stamp.txt
vg pretty_stdin 0 -j 1 --pretty - <$F/posted.txt
vg max_bytes 1 -j 2 --max-bytes 1K $F/stamp.txt $F/lede.txt
vg bad_usage 2 --no-such-option $F/stamp.txt
vg bad_rules 2 --rules "$R" $F/stamp.txt
if [ -w /dev/full ]; then
	$TO valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect \
		--suppressions="$T/jit.supp" --log-file="$T/vg.log" \
		"$QPAN" -j 2 data/samples >/dev/full 2>"$T/err"
	rc=$?
	if [ -s "$T/vg.log" ] || [ "$rc" -ne 1 ]; then
		printf 'FAIL valgrind.write_error: exit %s, want 1; %s\n' "$rc" \
			"$(grep -v '^==[0-9]*== *$' "$T/vg.log" | head -n 12 |
			   sed 's/^==[0-9]*== //' | tr '\n' '|' | head -c 600)"
	else
		echo "PASS valgrind.write_error"
	fi
fi
exit 0
