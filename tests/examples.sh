#!/bin/sh
# examples.sh QPAN - every example in the documentation runs, as jq tests
# its manual: the docs cannot show a command that does not work.
#
#   man/qpan.1: each .EX ... .EE block under .SH OPTIONS and .SH EXAMPLES,
#               groff escapes turned back into shell text (\- \e \& \(aq
#               \(dq \[uXXXX] ...; an escape this script does not know
#               fails the block, so that it is never run half-read)
#   README.md:  each fenced block marked ```sh (or bash, shell; ```console
#               blocks run their "$ " lines); ```python, ```json and
#               unmarked blocks (output, the --help copy) are not run
#   qpan --help: the lines under "Examples:"
#       |
#       v  one script per block, in a fresh scratch directory
#   bash -e -o pipefail SCRIPT under timeout 60, stdin /dev/null
#       |
#       v
#   PASS examples.SOURCE.LINE.WORDS  (LINE: the .EX or fence line; WORDS:
#   the first words of its first command), or FAIL with the exit status
#   and the first line of its stderr.
#
# The scratch directory (a copy of $T/template for each block) has what
# the examples name: articles/ (data/samples and the first three
# tests/cases), archive/ (the samples and a CP1258 document), old-archive/
# and old.txt (TCVN3, tests/fixtures/encodings/tcvn3.txt), report.txt (a
# sample), pages.ndjson ({"url", "body"} records), records.ndjson ({"id",
# "text"}), mirror/ (*.utf8 files), scraped/ (UTF-8 with a stray
# Windows-1252 byte), myrules/rules/header.rules, data/ and tests/
# and contrib/ (symbolic links to the tree's), scans/ (mixed-case names
# and a .BAK), last-run (an old file, for find -newer), build/qpan (the binary under test) and
# build/bench/corpus/tree/00[01] (a tiny stand-in for make bench's
# corpus), and a HOME with ~/.local/share/bash-completion/completions/.
# PATH starts with a directory holding qpan (the binary under test) and
# vi, a stub editor that appends a comment line to its file (and less,
# as cat, where there is no less).
#
# What a block says is rewritten first (sed), so that it runs here:
#   /usr/local/bin/qpan    -> the binary under test
#   /usr/local/share/qpan  -> SCRATCH/share/qpan (rules/ and lexicon/ as
#                             make install copies them)
#   /srv/news              -> SCRATCH
#   a crontab line (five time fields, then a command) -> its command
#   lines starting "make", "sh .ci/", "apt-get", "sudo" or
#   "dpkg-buildpackage" (building,
#   installing) are not run: a NOTE lists them, and a block of nothing
#   else is only noted (not even make install DESTDIR=...: it would
#   build in the tree, and a suite runs on a binary it is given; the
#   scratch share/qpan and PATH stand in for what it installs)
#   a block of lines that all start with "{" is NDJSON records: it is fed
#   to qpan --input-format ndjson
# A block whose first line is "# needs: TOOL[, TOOL...]" is skipped, with
# a NOTE, when a TOOL is not a command here; "ssh-hosts" (node1, node2 for
# parallel --sshlogin) is never available here.
# A comment that names a file a line writes ("qpan -o facts data/samples
# # facts/data/samples/NAME.txt.json, ...") is checked too: after the
# block, a file must match it ("..." and capitalized words are wildcards).
#
# QP_EXAMPLES_KEEP=DIR keeps each block's script as run, DIR/SOURCE.LINE.sh.
# Fewer than 10 blocks from the man page or from the README is a FAIL
# (a broken reader must not pass by running nothing).
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init examples "$@"
TO=60
QP_REASON_MAX=300

if ! command -v bash >/dev/null 2>&1; then
	echo "FAIL examples.bash: no bash to run the examples with"
	exit 0
fi

# ---------------------------------------------------------------------
# The blocks: $T/blocks/SOURCE.LINE, listed in $T/list as "SOURCE LINE".

mkdir -p "$T/blocks"
: >"$T/list"

# groff to text: the escapes the man page uses, and UTF-8 for \[uXXXX].
# Unknown escapes go to $T/blocks/SOURCE.LINE.bad.
LC_ALL=C awk -v dir="$T/blocks" -v list="$T/list" '
function hexval(h,   i, c, v) {
	v = 0
	h = toupper(h)
	for (i = 1; i <= length(h); i++) {
		c = index("0123456789ABCDEF", substr(h, i, 1)) - 1
		v = v * 16 + c
	}
	return v
}
function utf8(cp) {
	if (cp < 128) return sprintf("%c", cp)
	if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
	if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096),
		128 + int(cp / 64) % 64, 128 + cp % 64)
	return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64,
		128 + int(cp / 64) % 64, 128 + cp % 64)
}
function unescape(s,   out, c, j, name) {
	out = ""
	while ((j = index(s, "\\")) > 0) {
		out = out substr(s, 1, j - 1)
		c = substr(s, j + 1, 1)
		s = substr(s, j + 2)
		if (c == "-") out = out "-"
		else if (c == "e" || c == "\\") out = out "\\"
		else if (c == "&" || c == "c") out = out
		else if (c == " " || c == "~") out = out " "
		else if (c == "(") {
			name = substr(s, 1, 2)
			s = substr(s, 3)
			if (name in named) out = out named[name]
			else bad = bad " \\(" name
		} else if (c == "[") {
			j = index(s, "]")
			name = substr(s, 1, j - 1)
			s = substr(s, j + 1)
			if (name ~ /^u[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]+$/)
				out = out utf8(hexval(substr(name, 2)))
			else if (name in named) out = out named[name]
			else bad = bad " \\[" name "]"
		} else if (c == "f") {
			# a font change: \fB, \f(CW, \f[CR]
			c = substr(s, 1, 1)
			if (c == "(") s = substr(s, 4)
			else if (c == "[") s = substr(s, index(s, "]") + 1)
			else s = substr(s, 2)
		} else bad = bad " \\" c
	}
	return out s
}
BEGIN {
	named["aq"] = "\047"; named["dq"] = "\""; named["ha"] = "^"
	named["rs"] = "\\"; named["ti"] = "~"; named["em"] = utf8(8212)
	named["en"] = utf8(8211); named["bu"] = utf8(8226)
	named["lq"] = utf8(8220); named["rq"] = utf8(8221)
	named["oq"] = utf8(8216); named["cq"] = utf8(8217)
}
/^\.SH/ {
	sec = $0
	sub(/^\.SH[ \t]*/, "", sec)
	gsub(/"/, "", sec)
	want = (sec == "OPTIONS" || sec == "EXAMPLES")
	next
}
want && /^\.EX/ {
	inex = 1
	file = dir "/man." NR
	bad = ""
	printf "" >file
	print "man " NR >>list
	next
}
inex && /^\.EE/ {
	inex = 0
	close(file)
	if (bad != "") print "unknown groff escapes:" bad >(file ".bad")
	next
}
inex && /^[.\047]/ { next }      # a request inside the block
inex { print unescape($0) >file }
' man/qpan.1

# README fences: ```sh (bash, shell) as they are, ```console by its
# "$ " lines.
awk -v dir="$T/blocks" -v list="$T/list" '
/^```/ {
	if (!fence) {
		fence = 1
		lang = substr($0, 4)
		sub(/[ \t{].*/, "", lang)
		run = (lang == "sh" || lang == "bash" || lang == "shell" || lang == "console")
		if (run) {
			file = dir "/readme." NR
			printf "" >file
			print "readme " NR >>list
		}
	} else {
		if (run) close(file)
		fence = run = 0
	}
	next
}
run && lang == "console" { if (sub(/^\$ /, "")) print >file; next }
run { print >file }
' README.md

# --help: the indented lines under "Examples:", up to a blank line.
"$QPAN" --help 2>/dev/null | awk -v dir="$T/blocks" -v list="$T/list" '
/^Examples:/ { p = 1; next }
p && !/^  / { p = 0 }
p {
	sub(/^  /, "")
	print >(dir "/help." NR)
	close(dir "/help." NR)
	print "help " NR >>list
}'

n_man=$(grep -c '^man ' "$T/list")
n_readme=$(grep -c '^readme ' "$T/list")
n_help=$(grep -c '^help ' "$T/list")
check examples.man.found "only $n_man .EX blocks under OPTIONS and EXAMPLES in man/qpan.1" \
	[ "$n_man" -ge 10 ]
check examples.readme.found "only $n_readme sh/console blocks in README.md" \
	[ "$n_readme" -ge 10 ]
check examples.help.found "no examples in qpan --help" [ "$n_help" -ge 1 ]

# ---------------------------------------------------------------------
# The scratch template and PATH

B=$T/bin
mkdir -p "$B"
ln -s "$QPAN" "$B/qpan"
cat >"$B/vi" <<'EOF'
#!/bin/sh
# vi stub for tests/examples.sh: "edits" each file by appending a comment.
for f in "$@"; do
	case $f in -*) continue ;; esac
	echo "# edited by the examples test" >>"$f"
done
EOF
chmod +x "$B/vi"
# A pager, where there is none, passes its input through.
if ! command -v less >/dev/null 2>&1; then
	printf '#!/bin/sh\ncat "$@"\n' >"$B/less"
	chmod +x "$B/less"
fi

W=$T/template
mkdir -p "$W/articles" "$W/archive" "$W/old-archive" "$W/mirror/sub" \
	"$W/scraped" "$W/myrules/rules" "$W/share/qpan" "$W/build" \
	"$W/build/bench/corpus/tree/000" "$W/build/bench/corpus/tree/001" \
	"$W/home/.local/share/bash-completion/completions" "$W/scans/b"
cp data/samples/*.txt "$W/articles/"
# scans/: names in mixed case, and a backup (--iglob examples).
cp data/samples/huyen-tan-luy-2023.txt "$W/scans/TAN-LUY.TXT"
cp data/samples/bdbp-ha-lam-2023.txt "$W/scans/b/ha-lam.txt"
cp data/samples/bdbp-ha-lam-2023.txt "$W/scans/b/ha-lam.txt.BAK"
n=0
for f in tests/cases/*.txt; do
	[ $n -lt 3 ] && cp "$f" "$W/articles/"
	n=$((n + 1))
done
cp data/samples/*.txt tests/fixtures/encodings/cp1258.txt "$W/archive/"
cp tests/fixtures/encodings/tcvn3.txt "$W/old-archive/dong-hoa-2023.txt"
cp tests/fixtures/encodings/tcvn3.txt "$W/old.txt"
cp data/samples/huyen-tan-luy-2023.txt "$W/report.txt"
cp data/samples/huyen-tan-luy-2023.txt "$W/mirror/tan-luy.utf8"
cp data/samples/thi-xa-hoa-van-2023.txt "$W/mirror/sub/hoa-van.utf8"
{ cat data/samples/bdbp-ha-lam-2023.txt; printf 'L\341\273\261c l\306\260\341\273\243ng \223v\303\240ng\224.\n'; } \
	>"$W/scraped/ha-lam.txt"
cp data/rules/header.rules "$W/myrules/rules/"
cp -R data/rules data/lexicon "$W/share/qpan/"
ln -s "$ROOT/data" "$W/data"
ln -s "$ROOT/tests" "$W/tests"
ln -s "$ROOT/contrib" "$W/contrib"
# last-run: the time of a previous run (find -newer), older than the rest.
touch -d 2001-01-01 "$W/last-run"
ln -s "$QPAN" "$W/build/qpan"
cp data/samples/huyen-tan-luy-2023.txt "$W/build/bench/corpus/tree/000/"
cp data/samples/thi-xa-hoa-van-2023.txt "$W/build/bench/corpus/tree/001/"
for f in data/samples/*.txt; do
	jq -cRs --arg url "https://tin.example.vn/$(basename "$f" .txt).html" \
		'{url: $url, title: "", body: .}' "$f"
done >"$W/pages.ndjson"
for f in "$W"/articles/*.txt; do
	jq -cRs --arg id "articles/${f##*/}" '{id: $id, text: .}' "$f"
done >"$W/records.ndjson"

# sed_path PATH: PATH escaped for the replacement side of s|...|...|.
sed_path() { printf '%s\n' "$1" | sed 's/[\\&|]/\\&/g'; }

# ---------------------------------------------------------------------
# Running a block

# words FILE: the first words of its first command, for the check name.
words() {
	grep -v '^[[:space:]]*\(#.*\)\{0,1\}$' "$1" | head -n 1 |
		sed 's/^\([0-9*][0-9*,/-]* \{1,\}\)\{5\}//' |
		awk '{ print $1, $2, $3 }' | sed 's/[^A-Za-z0-9_.]\{1,\}/-/g; s/^-//; s/-$//' |
		cut -c 1-30
}

# The lines that build or install, not run.
not_run='^[[:space:]]*(make|sudo|apt-get|dpkg-buildpackage)([[:space:]]|$)|^[[:space:]]*sh \.ci/'

# run_block SOURCE LINE: prepare, run and judge $T/blocks/SOURCE.LINE.
run_block() {
	src=$T/blocks/$1.$2
	# Build and install commands are not run.
	grep -E "$not_run" "$src" >"$src.skipped"
	grep -v -E "$not_run" "$src" >"$src.kept"
	name=examples.$1.$2
	w=$(words "$src.kept")
	[ -n "$w" ] || w=$(words "$src")
	[ -n "$w" ] && name=$name.$w
	if [ -f "$src.bad" ]; then
		fail "$name" "$(cat "$src.bad")"
		return
	fi
	# # needs: TOOL, ...
	needs=$(sed -n '1s/^#[[:space:]]*needs:[[:space:]]*//p' "$src" | tr ',' ' ')
	for tool in $needs; do
		if [ "$tool" = ssh-hosts ]; then
			echo "NOTE $name skipped: needs ssh hosts (node1, node2), never available here"
			return
		fi
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "NOTE $name skipped: no $tool"
			return
		fi
	done
	if [ -s "$src.skipped" ]; then
		sed 's/[[:space:]]*#.*//' "$src.skipped" >"$src.skipped.cmd"
		echo "NOTE $name: lines not run (building or installing): $(flat "$src.skipped.cmd")"
	fi
	if ! grep -q -v '^[[:space:]]*\(#.*\)\{0,1\}$' "$src.kept"; then
		return
	fi
	# NDJSON records, or commands.
	if ! grep -v '^[[:space:]]*$' "$src.kept" | grep -q -v '^{'; then
		cp "$src.kept" "$src.records"
		printf 'qpan --input-format ndjson < %s >/dev/null\n' "$src.records" >"$src.kept"
	fi
	dir=$T/run.$1.$2
	cp -RP "$W" "$dir"
	sed -e 's/^\([0-9*][0-9*,/-]* \{1,\}\)\{5\}//' \
		-e "s|/usr/local/bin/qpan|$(sed_path "$B/qpan")|g" \
		-e "s|/usr/local/share/qpan|$(sed_path "$dir/share/qpan")|g" \
		-e "s|/srv/news|$(sed_path "$dir")|g" \
		"$src.kept" >"$src.run"
	[ -n "${QP_EXAMPLES_KEEP:-}" ] && cp "$src.run" "$QP_EXAMPLES_KEEP/$1.$2.sh"
	(cd "$dir" && HOME=$dir/home PATH=$B:$PATH qp_timed bash -e -o pipefail "$src.run") \
		</dev/null >"$src.out" 2>"$src.err"
	st=$?
	if [ "$st" -ne 0 ]; then
		why="exit $st"
		[ "$st" -eq 124 ] && why="timed out after $TO s"
		fail "$name" "$why: $(first "$src.err")"
		return
	fi
	# A comment naming a file the line writes: "CMD   # DIR/FILE.EXT, ...".
	sed -n 's/.*[[:space:]]#[[:space:]]\{1,\}\([A-Za-z0-9_.-]\{1,\}\/[A-Za-z0-9_./-]*\.[a-z]\{1,\}\),\{0,1\}\([[:space:]].*\)\{0,1\}$/\1/p' \
		"$src.run" >"$src.writes"
	while IFS= read -r out; do
		pat=$(printf '%s\n' "$out" | sed 's|\.\.\./|*|g; s/[A-Z][A-Z][A-Z]*/*/g')
		if [ -z "$(cd "$dir" && find . -path "./$pat" | head -n 1)" ]; then
			fail "$name" "exit 0, but no file $out as its comment says (written: $(cd "$dir" &&
				find . -newer "$src.run" -type f -name '*.json' | head -n 3 | tr '\n' ' '))"
			return
		fi
	done <"$src.writes"
	pass "$name"
	rm -rf "$dir"
}

while read -r source line; do
	run_block "$source" "$line"
done <"$T/list"
