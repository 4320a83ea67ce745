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

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init valgrind "$@"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "NOTE valgrind.skipped: valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
F=tests/fixtures

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

TO=120

# vg_to OUT NAME WANT_STATUS ARGS...: run qpan under valgrind (under
# `timeout $TO`; stdin as given to vg_to, stdout to OUT); PASS when
# valgrind found nothing and the status is WANT_STATUS.  vg NAME
# WANT_STATUS ARGS...: the same with stdout to $T/out.
vg_to() {
	_out=$1 _name=valgrind.$2 _want=$3
	shift 3
	qp_timed valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect \
		--suppressions="$T/jit.supp" --log-file="$T/vg.log" \
		"$QPAN" "$@" >"$_out" 2>"$T/err"
	_rc=$?
	if [ -s "$T/vg.log" ] || [ "$_rc" -eq 99 ]; then
		fail "$_name" "exit $_rc, $(grep -v '^==[0-9]*== *$' "$T/vg.log" |
			head -n 12 | sed 's/^==[0-9]*== //' | tr '\n' '|' | head -c 600)"
	elif [ "$_rc" -ne "$_want" ]; then
		fail "$_name" "exit $_rc, want $_want; stderr: $(head -n 3 "$T/err" | tr '\n' '|')"
	else
		pass "$_name"
	fi
}
vg() { vg_to "$T/out" "$@"; }

# Inputs.
printf 'Ti\303\252u \304\221\341\273\201 \377 sai\n' >"$T/bad_utf8.txt"
printf 'Ti\303\252u\n\000\n' >"$T/nul.txt"
D=$T/tree
loop_tree "$D"
cp "$T/bad_utf8.txt" "$D/in/c.txt"
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
	vg_to /dev/full write_error 1 -j 2 data/samples
fi
exit 0
