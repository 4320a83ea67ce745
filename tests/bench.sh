#!/bin/sh
# bench.sh QPAN GEN_DIR RUNSTAT - throughput and memory figures for
# qpan on the generated corpus (see src/gen/benchgen.c).  Prints figures;
# asserts nothing (CI machines are noisy).
set -eu
qpan=$1 dir=$2 runstat=$3

# run LABEL [runstat options] -- CMD...: prints seconds and peak RSS
measure() {
	"$runstat" "$@" 2>&1 >/dev/null | tail -1
}

tree_bytes=$(du -sb "$dir/tree" | cut -f1)
ndocs=$(find "$dir/tree" -name '*.txt' | wc -l)
nd_bytes=$(wc -c < "$dir/docs.ndjson")
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

printf 'corpus: %s documents, %s MB in a tree; %s MB as NDJSON\n' \
	"$ndocs" "$(mb "$tree_bytes")" "$(mb "$nd_bytes")"
printf '%-34s %9s %9s %10s %10s\n' "run" "seconds" "MB/s" "docs/s" "peak RSS"
row() { # LABEL BYTES DOCS "SECONDS KB"
	set -- "$1" "$2" "$3" $4
	awk -v l="$1" -v b="$2" -v d="$3" -v s="$4" -v k="$5" 'BEGIN {
		printf "%-34s %9.3f %9.1f %10.0f %8.1f MB\n", l, s,
			(s > 0 ? b / 1048576 / s : 0), (s > 0 && d > 0 ? d / s : 0), k / 1024 }'
}

row "empty run (startup, rules)" 0 0 "$(measure -i /dev/null "$qpan" -j1 -)"
for j in 1 2; do
	row "tree, -j$j" "$tree_bytes" "$ndocs" "$(measure "$qpan" -j$j "$dir/tree")"
	row "NDJSON stream, -j$j" "$tree_bytes" "$ndocs" \
		"$(measure -i "$dir/docs.ndjson" "$qpan" -j$j --input-format ndjson)"
done
s10=$(measure "$qpan" -j1 "$dir/10mb.txt")
s100=$(measure "$qpan" -j1 "$dir/100mb.txt")
row "one 10 MB document" $((10 << 20)) 1 "$s10"
row "one 100 MB document" $((100 << 20)) 1 "$s100"
awk -v a="${s10%% *}" -v b="${s100%% *}" \
	'BEGIN { printf "100 MB time / 10 MB time: %.2f (target < 12)\n", b / a }'
echo "reference floors on the same tree:"
row "cat" "$tree_bytes" "$ndocs" "$(measure sh -c "find '$dir/tree' -name '*.txt' -exec cat {} +")"
if command -v rg >/dev/null 2>&1; then
	row "rg -c 'hội nghị'" "$tree_bytes" "$ndocs" "$(measure rg -c 'hội nghị' "$dir/tree")"
else
	echo "rg not installed: no ripgrep floor (apt-get install ripgrep)"
fi
