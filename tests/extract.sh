#!/bin/sh
# shellcheck disable=SC2016  # jq programs in single quotes
# extract.sh - data-driven tests of the extraction rules:
#     sh tests/extract.sh PATH/TO/qpan
#
# Every tests/cases/NAME.txt is a small invented document; next to it,
# NAME.checks holds one check a line, "description<TAB>jq-expression",
# evaluated against the document's output object.  A check passes when
# the expression yields at least one value and every value is `true`;
# an error or no value at all is a failure.  Blank lines and lines
# starting with "#" are ignored.
#
# Every check prints one line, "PASS extract/NAME: description" or
# "FAIL extract/NAME: description (got: ...)", where "got" shows the
# part of the output the expression looks at: the first path in it
# (".meeting.date"), officials as "name|rank|title|roles" and units as
# "name=>canonical".  Besides its checks, each case is checked for one
# JSON object with the right "source", and for spans: every object with
# a "span" must cut from the input file exactly the bytes of its "text"
# (the cases are NFC UTF-8, so the text is compared byte for byte: a
# span that takes the CR of a CRLF line end is wrong).
#
# Fast: qpan runs once over all cases and jq once over all outputs (the
# checks of each case become one part of a generated jq program).  If
# either run fails, qpan and jq run once per case, and jq once per check
# for a case whose checks do not compile, so one broken check or one
# crash spoils nothing else.  Case names must not contain spaces or
# quotes.  Needs sh, jq and coreutils only.  Exits 0 unless it cannot
# run at all; the caller counts the FAIL lines.

# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init extract "$@"
C=tests/cases
TAB=$(printf '\t')

# The part of the jq program shared by all cases.
cat >"$T/lib.jq" <<'EOF'
def _chk(f): [try f catch {"__error": .}];
def _verdict:
  if length == 0 then "EMPTY"
  elif any(.[]; type == "object" and has("__error")) then
    "ERROR" + (map(select(type == "object" and has("__error")))[0].__error
               | tostring | gsub("\n"; " "))
  elif all(.[]; . == true) then "OK" else "NO" end;
# What the expression $e looks at, short.
def _got($e):
  ([$e | match("\\.[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*"; "g") | .string][0]
   // "") as $p
  | if ($p | startswith(".officials")) then
      [.officials[]? | "\(.name)|\(.rank)|\(.title)|\(.roles | join(","))"]
    elif ($p | startswith(".units")) then [.units[]? | "\(.name)=>\(.canonical)"]
    elif $p == ".meeting" then .meeting | del(.text, .span)
    elif $p == "" then {title, published, meeting: (.meeting | del(.text, .span))}
    else (try getpath($p | ltrimstr(".") | split(".")) catch null) end
  | tojson | if length > 300 then .[0:300] + "..." else . end;
# Report the verdicts $r of the checks described in $ds (expressions
# $exs) on the output $doc of case $n.
def _report($n; $doc; $r; $ds; $exs):
  range(0; $r | length) as $j | ($r[$j] | _verdict) as $v
  | if $v == "OK" then "PASS extract/\($n): \($ds[$j])"
    elif ($v | startswith("ERROR")) then
      "FAIL extract/\($n): \($ds[$j]) (got: jq error: \($v | ltrimstr("ERROR")))"
    elif $v == "EMPTY" then
      "FAIL extract/\($n): \($ds[$j]) (got: no value; \($doc | _got($exs[$j])))"
    else "FAIL extract/\($n): \($ds[$j]) (got: \($doc | _got($exs[$j])))" end;
# A string as UTF-8 bytes: the case files are valid UTF-8, so this is
# the file as given (BOM and CR included).
def _utf8: [explode[] | if . < 128 then .
    elif . < 2048 then (192 + ((. / 64) | floor)), (128 + . % 64)
    elif . < 65536 then (224 + ((. / 4096) | floor)),
      (128 + ((. / 64) | floor) % 64), (128 + . % 64)
    else (240 + ((. / 262144) | floor)), (128 + ((. / 4096) | floor) % 64),
      (128 + ((. / 64) | floor) % 64), (128 + . % 64) end];
# Every object with a span must cut its text from the bytes $b: one
# PASS line, or a SPAN line per bad span for the shell to show.
def _spans($n; $b):
  [paths(type == "object" and has("span") and (.span | type) == "array")] as $ps
  | [ $ps[] as $p | getpath($p) as $o
      | select(($o.span | length) != 2
          or ($o.span[0] | type) != "number" or ($o.span[1] | type) != "number"
          or $o.span[0] < 0 or $o.span[0] > $o.span[1] or $o.span[1] > ($b | length)
          or ($o.text | type) != "string"
          or $b[$o.span[0]:$o.span[1]] != ($o.text | _utf8))
      | "SPAN\t\($n)\t\($p | map(tostring) | join("."))\t\($o.span[0])\t\($o.span[1])\t\($o.text | tojson)" ]
  | if length == 0 then "PASS extract/\($n): all \($ps | length) spans cut their text from the input"
    else .[] end;
EOF

say() { printf '%s\n' "$*"; }

# gen_case I K NAME EXPRS SPANS: the jq program part for case I, whose
# output is input number K of the run: the checks in file EXPRS (one
# expression a line; descriptions in $d_I, expressions in $e_I, file
# contents in $r_I), and the span check if SPANS is 1.
gen_case() {
	printf '(($all[%s] // null) as $doc\n' "$2"
	printf '| if ($doc | type) != "object" then "FAIL extract/%s: one JSON object (got: \\($doc | tojson | .[0:200]))"\n' "$3"
	printf '  else ($e_%s | split("\\n")) as $exs | ($d_%s | split("\\n")) as $ds\n' "$1" "$1"
	printf '  | ($doc | [\n'
	_sep=
	while IFS= read -r _e; do
		printf '%s_chk(%s\n)\n' "$_sep" "$_e"
		_sep=,
	done <"$4"
	printf ']) as $r | _report("%s"; $doc; $r; $ds; $exs)' "$3"
	if [ "$5" -eq 1 ]; then
		printf ', ($doc | _spans("%s"; $r_%s | _utf8))' "$3" "$1"
	fi
	printf '\n  end)\n'
}

# run_jq PROGRAM OUTPUT ARGS...: run the program on the outputs.
run_jq() {
	_p=$1 _o=$2
	shift 2
	{ cat "$T/lib.jq"; printf '[inputs] as $all\n| '; cat "$_p"; } >"$_p.jq"
	jq -nr "$@" -f "$_p.jq" "$_o"
}

# Prepare every case: $T/d.I (descriptions), $T/e.I (expressions), the
# jq arguments and the program part.
ls "$C"/*.txt 2>/dev/null >"$T/cases"
if [ ! -s "$T/cases" ]; then
	say "FAIL extract.cases: no cases in $C"
	exit 0
fi
i=0
: >"$T/all.part"
: >"$T/args"
while IFS= read -r f; do
	name=${f##*/}
	name=${name%.txt}
	chk=$C/$name.checks
	# The first check is built in.
	printf 'one JSON object, source is the path as given\ttype == "object" and .source == "%s"\n' "$f" >"$T/lines"
	if [ -f "$chk" ]; then
		grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$chk" >>"$T/lines"
	else
		say "FAIL extract/$name: $chk is missing"
	fi
	cut -f1 "$T/lines" >"$T/d.$i"
	cut -f2- "$T/lines" >"$T/e.$i"
	printf '%s\n' "--rawfile d_$i $T/d.$i --rawfile e_$i $T/e.$i --rawfile r_$i $f" >>"$T/args"
	[ "$i" -gt 0 ] && printf ',\n' >>"$T/all.part"
	gen_case "$i" "$i" "$name" "$T/e.$i" 1 >>"$T/all.part"
	i=$((i + 1))
done <"$T/cases"
ncases=$i
ARGS=$(cat "$T/args")

# One qpan run over all cases and one jq run over all outputs; if
# either fails, qpan and jq once per case, and jq once per check of a
# case whose program does not compile.
# shellcheck disable=SC2046,SC2086
if ! { "$QPAN" $(cat "$T/cases") >"$T/all" 2>"$T/err" &&
	[ "$(wc -l <"$T/all")" -eq "$ncases" ] &&
	run_jq "$T/all.part" "$T/all" $ARGS >"$T/res" 2>"$T/jqerr"; }; then
	# qpan's complaints (sanitizer reports) go on to the caller.
	cat "$T/err" >&2
	: >"$T/res"
	i=0
	while IFS= read -r f; do
		name=${f##*/}
		name=${name%.txt}
		"$QPAN" "$f" >"$T/out" 2>"$T/err"
		rc=$?
		cat "$T/err" >&2
		if [ "$rc" -ne 0 ] || [ "$(wc -l <"$T/out")" -ne 1 ]; then
			say "FAIL extract/$name: qpan exits 0 with one line (got: status $rc, $(wc -l <"$T/out") lines: $(head -c 200 "$T/err"))" >>"$T/res"
			i=$((i + 1))
			continue
		fi
		a="--rawfile d_$i $T/d.$i --rawfile e_$i $T/e.$i --rawfile r_$i $f"
		gen_case "$i" 0 "$name" "$T/e.$i" 1 >"$T/one.part"
		# shellcheck disable=SC2086
		if ! run_jq "$T/one.part" "$T/out" $a >>"$T/res" 2>"$T/jqerr"; then
			j=0
			while IFS= read -r e; do
				printf '%s\n' "$e" >"$T/e1"
				head -n $((j + 1)) "$T/d.$i" | tail -n 1 >"$T/d1"
				gen_case 1 0 "$name" "$T/e1" 0 >"$T/one.part"
				run_jq "$T/one.part" "$T/out" --rawfile d_1 "$T/d1" \
					--rawfile e_1 "$T/e1" >>"$T/res" 2>"$T/jqerr" ||
					say "FAIL extract/$name: $(cat "$T/d1") (got: jq error: $(head -n 1 "$T/jqerr" | cut -c1-160))" >>"$T/res"
				j=$((j + 1))
			done <"$T/e.$i"
			: >"$T/e0"
			gen_case 0 0 "$name" "$T/e0" 1 >"$T/one.part"
			run_jq "$T/one.part" "$T/out" --rawfile d_0 "$T/e0" \
				--rawfile e_0 "$T/e0" --rawfile r_0 "$f" >>"$T/res"
		fi
		i=$((i + 1))
	done <"$T/cases"
else
	cat "$T/err" >&2
fi

# Print the results; a bad span is shown with the bytes it cuts.
while IFS= read -r line; do
	case $line in
	"SPAN$TAB"*)
		printf '%s\n' "$line" | {
			IFS="$TAB" read -r _k n where s e txt
			raw=$(tail -c +$((s + 1)) "$C/$n.txt" | head -c $((e - s)) | jq -Rs .)
			say "FAIL extract/$n: span of $where cuts its text (got: [$s,$e) cuts $raw, text is $txt)"
		} ;;
	*) say "$line" ;;
	esac
done <"$T/res"
exit 0
