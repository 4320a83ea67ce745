#!/bin/sh
# debian.sh QPAN - the debian/ recipe builds a .deb: a copy of the tree
# (the files git knows plus uncommitted ones, never build/) goes to
# $T/src, "dpkg-buildpackage -us -uc -b" runs there (it writes the .deb
# to $T, not beside the real tree), and the package must hold usr/bin/qpan,
# the manual and usr/share/qpan/schema.json, carry qpan --version's
# version, and its qpan must print for data/samples what QPAN prints.
# Skipped with a NOTE when dpkg-buildpackage or debhelper's dh is not
# installed.  PASS/FAIL lines like the other suites; plain build only.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init debian "$@"

for tool in dpkg-buildpackage dh dpkg-deb; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "NOTE debian skipped: no $tool (apt-get install dpkg-dev debhelper)"
		exit 0
	fi
done

mkdir "$T/src"
if command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -co --exclude-standard | grep -v '^build/' | while IFS= read -r f; do
		[ -e "$f" ] && printf '%s\n' "$f"
	done | tar cf - -T - | (cd "$T/src" && tar xf -)
else
	tar cf - --exclude=./build . | (cd "$T/src" && tar xf -)
fi
check debian.copy "$(ls "$T/src" | tr '\n' ' ')" \
	sh -c '[ -x "$1/debian/rules" ] && [ ! -e "$1/build" ]' sh "$T/src"

TO=600
(cd "$T/src" && qp_timed dpkg-buildpackage -us -uc -b) >"$T/log" 2>&1
rc=$?
deb=$(ls "$T"/qpan_*.deb 2>/dev/null | head -n 1)
check debian.builds "status $rc; $(tail -n 5 "$T/log" | tr '\n' '|')" \
	sh -c '[ "$1" -eq 0 ] && [ -n "$2" ]' sh "$rc" "$deb"
if [ -z "$deb" ]; then
	exit 0
fi

dpkg-deb -c "$deb" | awk '{print $NF}' >"$T/list"
for f in ./usr/bin/qpan ./usr/share/man/man1/qpan.1.gz ./usr/share/qpan/schema.json; do
	check "debian.has.${f#./}" "not in $(basename "$deb")" grep -qx "$f" "$T/list"
done
v=$("$QPAN" --version | sed -n 's/^qpan //p')
dv=$(dpkg-deb -f "$deb" Version)
check debian.version_is_qpan_version "package $dv, qpan --version $v" \
	sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' sh "$v" "$dv"

dpkg-deb -x "$deb" "$T/x"
check debian.schema_is_data_schema "differs" \
	cmp -s data/schema.json "$T/x/usr/share/qpan/schema.json"
"$QPAN" data/samples >"$T/want" 2>"$T/want.err"
st1=$?
TO=30
qp_timed "$T/x/usr/bin/qpan" data/samples >"$T/got" 2>"$T/got.err"
st2=$?
check debian.packaged_qpan_same_output "status $st2 (build: $st1); stderr $(flat "$T/got.err"); $(cmp "$T/want" "$T/got" 2>&1)" \
	sh -c '[ "$1" = 0.0 ] && [ -s "$2" ] && cmp -s "$2" "$3"' sh "$st1.$st2" "$T/want" "$T/got"
