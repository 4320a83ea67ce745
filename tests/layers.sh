#!/bin/sh
# layers.sh - the layering of src/ holds: sh tests/layers.sh
#
# The layers, lowest first, are the Makefile's LAYERS (lib text rules
# doc extract output app): src/LAYER/ holds a layer's sources and its
# internal headers, include/LAYER.h its one public header (result.h,
# the seam between extraction and output, says "Layer: extract").  A
# file may include
#   - a header beside it (an internal header of its own layer), and
#   - the public header of its own layer or of a layer below it;
# nothing else of the project: not a layer above (rules must not know
# of documents), not another layer's internal header.  Public headers
# obey the same rule.  One check per file: "PASS layers.FILE" or "FAIL
# layers.FILE: why".  Needs sh, sed and grep.
. "$(dirname "$0")/lib.sh"
qp_root
SELF=$ROOT/tests/layers.sh
# QP_LAYERS_ROOT: check that tree instead (the self-test below).
[ -n "$QP_LAYERS_ROOT" ] && { cd "$QP_LAYERS_ROOT" || exit 2; }

layers=$(sed -n 's/^LAYERS *:= *//p' Makefile)
if [ -z "$layers" ]; then
	fail layers.makefile "no LAYERS := line in the Makefile"
	exit 0
fi

# rank LAYER: its position, lowest 1; empty when it is not a layer.
rank() {
	_i=0
	for _l in $layers; do
		_i=$((_i + 1))
		[ "$_l" = "$1" ] && { echo $_i; return; }
	done
}
# layer_of_public HEADER (a name in include/): the layer it belongs to.
layer_of_public() {
	_b=${1%.h}
	if [ -n "$(rank "$_b")" ]; then
		echo "$_b"
	else
		sed -n 's/^ \* Layer: *\([a-z]*\).*/\1/p' "include/$1" | head -n 1
	fi
}

# check_file FILE LAYER: every project include of FILE is allowed.
check_file() {
	_f=$1 _own=$(rank "$2") _dir=$(dirname "$1") _why=
	for _h in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$_f"); do
		if [ "$_dir" != include ] && [ -f "$_dir/$_h" ]; then
			continue   # beside it: its own layer's internal header
		fi
		if [ ! -f "include/$_h" ]; then
			_why="$_why; \"$_h\" is no public header (another layer's internal one?)"
			continue
		fi
		_hl=$(layer_of_public "$_h")
		_r=$(rank "$_hl")
		if [ -z "$_r" ]; then
			_why="$_why; include/$_h belongs to no layer"
		elif [ "$_r" -gt "$_own" ]; then
			_why="$_why; \"$_h\" is of the $_hl layer, above $2"
		fi
	done
	if [ -z "$_why" ]; then
		pass "layers.$_f"
	else
		fail "layers.$_f" "${_why#; }"
	fi
}

for l in $layers; do
	if [ ! -d "src/$l" ]; then
		fail "layers.src/$l" "no directory for layer $l"
		continue
	fi
	for f in "src/$l"/*.c "src/$l"/*.h; do
		[ -f "$f" ] && check_file "$f" "$l"
	done
done
for f in include/*.h; do
	l=$(layer_of_public "$(basename "$f")")
	if [ -z "$(rank "$l")" ]; then
		fail "layers.$f" "belongs to no layer (name it LAYER.h or say \"Layer: NAME\")"
		continue
	fi
	check_file "$f" "$l"
done
# Every source is in a layer (src/gen/ holds build tools, not qpan).
for f in src/*.c src/*.h; do
	[ -f "$f" ] && fail "layers.$f" "outside every layer folder"
done

# Self-test: a tree with a rule file that knows of documents and an
# extractor that reaches into the matcher's internals must fail.
if [ -z "$QP_LAYERS_ROOT" ]; then
	qp_tmpdir layers
	mkdir -p "$T/src/lib" "$T/src/doc" "$T/src/rules" "$T/include"
	printf 'LAYERS := lib rules doc\n' >"$T/Makefile"
	: >"$T/include/lib.h"
	: >"$T/include/rules.h"
	: >"$T/include/doc.h"
	: >"$T/src/rules/secret.h"
	printf '#include "lib.h"\n#include "doc.h"\n' >"$T/src/rules/up.c"
	printf '#include "secret.h"\n' >"$T/src/doc/peek.c"
	printf '#include "rules.h"\n' >"$T/src/doc/ok.c"
	QP_LAYERS_ROOT=$T sh "$SELF" >"$T/result" 2>&1
	check layers.selftest.upward "$(flat "$T/result")" \
		grep -q '^FAIL layers.src/rules/up.c: "doc.h" is of the doc layer' \
		"$T/result"
	check layers.selftest.internal "$(flat "$T/result")" \
		grep -q '^FAIL layers.src/doc/peek.c: "secret.h" is no public' \
		"$T/result"
	check layers.selftest.allowed "$(flat "$T/result")" \
		grep -q '^PASS layers.src/doc/ok.c$' "$T/result"
fi
exit 0
