#!/bin/sh
# docs.sh QPAN - the documentation cannot drift from the code:
#
#   --help (printed from src/app/optlist.h) --options--> the same long
#   and short names as man/qpan.1's OPTIONS, and the README's copy of
#   --help is the help itself;
#   the completion scripts (--generate, from the same list) offer every
#   option and every value of the options that take words, in bash (run
#   here), zsh and fish (their syntax checked, when they are installed).
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init docs "$@"

"$QPAN" --help >"$T/help" 2>"$T/err"
check docs.help.runs "stderr: $(first "$T/err")" [ -s "$T/help" ]

# The options --help lists: "-e --encoding" per option line, sorted.
# An option line starts with two spaces and a dash.
help_options() {
	sed -n 's/^  \(-[A-Za-z0-9], \|    \)\(--[a-z][a-z0-9-]*\).*/\1\2/p' "$T/help" |
		sed 's/,//; s/^ *//' | LC_ALL=C sort
}
# The options man/qpan.1 lists: the .TP tag lines of OPTIONS, with
# groff's \- taken for -.
man_options() {
	awk '/^\.SH OPTIONS/{p=1; next} /^\.SH /{p=0} p && t {print; t=0}
	     p && /^\.TP/ {t=1}' man/qpan.1 |
		sed 's/\\-/-/g' |
		while IFS= read -r line; do
			s=$(printf '%s\n' "$line" | grep -o '\(^\| \|"\)-[A-Za-z0-9]\($\| \|"\)' |
				tr -d ' "' | head -n 1)
			l=$(printf '%s\n' "$line" | grep -o -- '--[a-z][a-z0-9-]*' | head -n 1)
			if [ -n "$s" ]; then echo "$s $l"; else echo "$l"; fi
		done | LC_ALL=C sort
}
help_options >"$T/h.opts"
man_options >"$T/m.opts"
check docs.help.lists_options "$(wc -l <"$T/h.opts") options in --help" \
	[ "$(wc -l <"$T/h.opts")" -ge 10 ]
check docs.man.same_options \
	"--help vs man/qpan.1 OPTIONS: $(diff "$T/h.opts" "$T/m.opts" | grep '^[<>]' | tr '\n' ' ')" \
	cmp -s "$T/h.opts" "$T/m.opts"

# The README's copy of --help: from "Usage: qpan" to "See qpan(1)".
awk '/^Usage: qpan/{p=1} p{print} p && /^See qpan\(1\)/{exit}' README.md >"$T/readme.help"
check docs.readme.help "README's --help differs: $(diff "$T/help" "$T/readme.help" | grep '^[<>]' | head -n 4 | tr '\n' '|')" \
	cmp -s "$T/help" "$T/readme.help"

# ---------------------------------------------------------------------
# Completions

for k in bash zsh fish; do
	"$QPAN" --generate "complete-$k" >"$T/complete.$k" 2>"$T/err"
	check "docs.complete.$k.generated" "exit $?, stderr: $(first "$T/err")" \
		[ -s "$T/complete.$k" ] && [ ! -s "$T/err" ]
done
q --generate complete-tcsh
check docs.complete.unknown_kind "exit $rc, stderr: $(first "$T/err")" \
	sh -c '[ "$1" -eq 2 ] && grep -q "complete-bash" "$2"' sh "$rc" "$T/err"

if command -v bash >/dev/null 2>&1; then
	# complete WORD...: what bash offers for the last word.
	complete_bash() {
		bash -c '. "$1"; shift; COMP_WORDS=(qpan "$@"); COMP_CWORD=$#; _qpan
		         printf "%s\n" "${COMPREPLY[@]}"' sh "$T/complete.bash" "$@"
	}
	missing=
	for o in $(cut -d' ' -f2- "$T/h.opts" | tr ' ' '\n' | grep -- '^--'); do
		complete_bash "${o%?}" | grep -qx -- "$o" || missing="$missing $o"
	done
	check docs.complete.bash.options "not offered:$missing" [ -z "$missing" ]
	complete_bash --format '' >"$T/c"
	check docs.complete.bash.format_values "offered: $(flat "$T/c")" \
		sh -c 'grep -qx ndjson "$1" && grep -qx tsv "$1"' sh "$T/c"
	complete_bash -e tc >"$T/c"
	check docs.complete.bash.short_option_values "offered: $(flat "$T/c")" \
		grep -qx tcvn3 "$T/c"
	complete_bash --input-format = n >"$T/c"
	check docs.complete.bash.equals_form "offered: $(flat "$T/c")" \
		grep -qx ndjson "$T/c"
	mkdir -p "$T/dirs/outdir-a"
	(cd "$T/dirs" && complete_bash -o out) >"$T/c"
	check docs.complete.bash.directory "offered: $(flat "$T/c")" \
		grep -qx outdir-a "$T/c"
else
	echo "NOTE docs: no bash, its completion not run"
fi
if command -v zsh >/dev/null 2>&1; then
	check docs.complete.zsh.syntax "zsh -n fails" zsh -n "$T/complete.zsh"
	missing=
	for o in $(grep -o -- '--[a-z][a-z0-9-]*' "$T/h.opts"); do
		grep -q -- "$o[]=[}]" "$T/complete.zsh" || missing="$missing $o"
	done
	check docs.complete.zsh.options "not in it:$missing" [ -z "$missing" ]
else
	echo "NOTE docs: no zsh, its completion script not checked"
fi
if command -v fish >/dev/null 2>&1; then
	check docs.complete.fish.syntax "fish -n fails" fish -n "$T/complete.fish"
	# fish can list the candidates itself.
	fish -c "source $T/complete.fish; complete -C 'qpan --form'" >"$T/c" 2>&1
	check docs.complete.fish.offers "offered: $(flat "$T/c")" \
		grep -q -- '^--format' "$T/c"
	fish -c "source $T/complete.fish; complete -C 'qpan --format '" >"$T/c" 2>&1
	check docs.complete.fish.values "offered: $(flat "$T/c")" \
		grep -q '^ndjson' "$T/c"
else
	echo "NOTE docs: no fish, its completion script not checked"
fi
