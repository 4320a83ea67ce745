#!/bin/sh
# bench.sh QPAN GEN_DIR RUNSTAT - throughput and memory figures for
# qpan on the generated corpus (see src/gen/benchgen.c), then the figures
# issue 5 sets targets for, each with its target.  Wall time of the whole
# process, as runstat measures it; the short runs (startup) are the best
# of five.  Asserts nothing (CI machines are noisy): "met" or "NOT met"
# is information, not a failure.
set -eu
qpan=$1 dir=$2 runstat=$3

# measure [runstat options] CMD...: prints "SECONDS PEAK_KB"
measure() {
	"$runstat" "$@" 2>&1 >/dev/null | tail -1
}
# best N [runstat options] CMD...: the fastest of N runs (and its RSS)
best() {
	n=$1
	shift
	k=0 out=
	while [ $k -lt "$n" ]; do
		m=$(measure "$@")
		out=$(printf '%s\n%s\n' "$out" "$m" | awk 'NF' | sort -n | head -1)
		k=$((k + 1))
	done
	echo "$out"
}

# Input bytes: the documents' text (file sizes, not directory blocks).
tree_bytes=$(find "$dir/tree" -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
ndocs=$(find "$dir/tree" -name '*.txt' | wc -l)
nd_bytes=$(wc -c < "$dir/docs.ndjson")
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

printf 'corpus: %s documents, %s MB of text in a tree; %s MB as NDJSON\n' \
	"$ndocs" "$(mb "$tree_bytes")" "$(mb "$nd_bytes")"
printf '%-34s %9s %9s %10s %10s\n' "run" "seconds" "MB/s" "docs/s" "peak RSS"
row() { # LABEL BYTES DOCS "SECONDS KB"
	set -- "$1" "$2" "$3" $4
	awk -v l="$1" -v b="$2" -v d="$3" -v s="$4" -v k="$5" 'BEGIN {
		printf "%-34s %9.3f %9.1f %10.0f %8.1f MB\n", l, s,
			(s > 0 ? b / 1048576 / s : 0), (s > 0 && d > 0 ? d / s : 0), k / 1024 }'
}

s_empty=$(best 5 -i /dev/null "$qpan" -j1 -)
row "empty run (startup, rules)" 0 0 "$s_empty"
s_tree1=$(measure "$qpan" -j1 "$dir/tree")
row "tree, -j1" "$tree_bytes" "$ndocs" "$s_tree1"
s_nd1=$(measure -i "$dir/docs.ndjson" "$qpan" -j1 --input-format ndjson)
row "NDJSON stream, -j1" "$tree_bytes" "$ndocs" "$s_nd1"
s_tree2=$(measure "$qpan" -j2 "$dir/tree")
row "tree, -j2" "$tree_bytes" "$ndocs" "$s_tree2"
s_nd2=$(measure -i "$dir/docs.ndjson" "$qpan" -j2 --input-format ndjson)
row "NDJSON stream, -j2" "$tree_bytes" "$ndocs" "$s_nd2"
# A tenth of the tree: peak RSS must not grow with the number of documents.
part=$(find "$dir/tree" -mindepth 1 -maxdepth 1 -type d | LC_ALL=C sort | head -20)
part_bytes=$(find $part -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
part_docs=$(find $part -name '*.txt' | wc -l)
# shellcheck disable=SC2086
s_part=$(measure "$qpan" -j2 $part)
row "a tenth of the tree, -j2" "$part_bytes" "$part_docs" "$s_part"
s10=$(measure "$qpan" -j1 "$dir/10mb.txt")
s100=$(measure "$qpan" -j1 "$dir/100mb.txt")
b10=$(wc -c < "$dir/10mb.txt")
b100=$(wc -c < "$dir/100mb.txt")
row "one 10 MB document" "$b10" 1 "$s10"
row "one 100 MB document" "$b100" 1 "$s100"
echo "reference floors on the same tree:"
row "cat" "$tree_bytes" "$ndocs" "$(measure sh -c "find '$dir/tree' -name '*.txt' -exec cat {} +")"
if command -v rg >/dev/null 2>&1; then
	row "rg -c 'hội nghị'" "$tree_bytes" "$ndocs" "$(measure rg -c 'hội nghị' "$dir/tree")"
else
	echo "rg not installed: no ripgrep floor (apt-get install ripgrep)"
fi

# The targets (issue 5), from the runs above.
echo "targets:"
awk -v tb="$tree_bytes" -v e="$s_empty" -v t1="$s_tree1" -v n1="$s_nd1" \
    -v t2="$s_tree2" -v n2="$s_nd2" -v p="$s_part" -v a="$s10" -v b="$s100" \
    -v b100="$b100" 'BEGIN {
	split(e, E, " "); split(t1, T1, " "); split(n1, N1, " ");
	split(t2, T2, " "); split(n2, N2, " "); split(p, P, " ");
	split(a, A, " "); split(b, B, " ");
	mbs = tb / 1048576 / T1[1]; nmbs = tb / 1048576 / N1[1];
	one = mbs > nmbs ? mbs : nmbs;
	row("one core: MB/s (tree, NDJSON)",
	    sprintf("%.1f, %.1f", mbs, nmbs), ">= 40 (aim 100)", one >= 40);
	r = T1[1] / T2[1]; rn = N1[1] / N2[1];
	row("-j2 speed-up over -j1 (tree, NDJSON)",
	    sprintf("%.2f, %.2f", r, rn), ">= 1.8", r >= 1.8 && rn >= 1.8);
	row("startup (empty run)", sprintf("%.1f ms", E[1] * 1000), "< 20 ms",
	    E[1] < 0.020);
	row("100 MB / 10 MB document time", sprintf("%.2f", B[1] / A[1]),
	    "< 12", B[1] / A[1] < 12);
	row("peak RSS, 100 MB document",
	    sprintf("%.0f MB = %.1f x", B[2] / 1024, B[2] * 1024 / b100),
	    "small multiple", B[2] * 1024 / b100 <= 8);
	row("peak RSS, whole tree vs a tenth (-j2)",
	    sprintf("%.1f vs %.1f MB", T2[2] / 1024, P[2] / 1024),
	    "no growth", T2[2] <= P[2] * 1.5 + 4096);
}
function row(what, got, want, ok) {
	printf "  %-38s %-18s target %-16s %s\n", what, got, want,
		ok ? "met" : "NOT met"
}'
