#!/bin/sh
# build.sh QPAN - the Makefile's side of packaging: a missing pkg-config
# or library stops make in one line naming the Debian package (while
# clean, uninstall and the deps targets still work), and make install /
# make uninstall with DESTDIR put in and take out the binary, the manual
# and share/qpan/schema.json.  QPAN's directory is the build installed
# (BUILD=), so nothing is compiled.  PASS/FAIL lines like the other
# suites; plain build only.
set -u
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
qp_suite_init build "$@"
BDIR=$(dirname "$QPAN")

# A pkg-config that knows every library but one (FAKE_MISSING), and
# one that is not there at all.
cat >"$T/pkg-config" <<'EOS'
#!/bin/sh
for a; do [ "$a" = "$FAKE_MISSING" ] && exit 1; done
exec pkg-config "$@"
EOS
chmod +x "$T/pkg-config"

# mk ARGS...: make in the tree, stdout in $T/out, stderr in $T/err,
# status in $rc.
mk() {
	make --no-print-directory "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
# one_line WANT: make failed with exactly one line, on stderr, that
# ends with WANT.
one_line() {
	[ "$rc" -ne 0 ] && [ ! -s "$T/out" ] && [ "$(lines "$T/err")" -eq 1 ] &&
		grep -q ": \*\*\* $1\.  Stop\.$" "$T/err"
}

for lib in libutf8proc:libutf8proc-dev libpcre2-8:libpcre2-dev libcjson:libcjson-dev; do
	name=${lib%%:*} deb=${lib#*:}
	FAKE_MISSING=$name mk -n PKG_CONFIG="$T/pkg-config" BUILD="$T/b"
	check build.missing_$name.one_line "status $rc; stderr $(flat "$T/err"); stdout $(first "$T/out")" \
		one_line "pkg-config cannot find $name: install $deb (apt-get install $deb)"
done
export FAKE_MISSING=libpcre2-8
mk PKG_CONFIG="$T/pkg-config" BUILD="$T/b" all
check build.missing_lib.real_make "status $rc; stderr $(flat "$T/err")" \
	sh -c '[ "$1" -ne 0 ] && [ "$(wc -l <"$2")" -eq 1 ] && [ ! -e "$3" ]' \
	sh "$rc" "$T/err" "$T/b"
mk -n PKG_CONFIG="$T/pkg-config" install
check build.missing_lib.install "status $rc; stderr $(flat "$T/err")" \
	one_line "pkg-config cannot find libpcre2-8: install libpcre2-dev (apt-get install libpcre2-dev)"
mk -n PKG_CONFIG="$T/pkg-config" clean uninstall deps-build deps-test deps
check build.missing_lib.clean_uninstall_deps_still_work "status $rc; stderr $(flat "$T/err")" \
	sh -c '[ "$1" -eq 0 ] && [ ! -s "$2" ] && grep -q "^rm -rf build" "$3" && grep -q "^sh .ci/deps build" "$3"' \
	sh "$rc" "$T/err" "$T/out"

for how in absent empty; do
	pc=
	[ "$how" = absent ] && pc=$T/no-such-pkg-config
	mk -n PKG_CONFIG="$pc" BUILD="$T/b"
	check "build.no_pkg_config.$how" "status $rc; stderr $(flat "$T/err")" \
		sh -c 'grep -q "install pkg-config (apt-get install pkg-config)" "$2" && [ "$1" -ne 0 ] && [ "$(wc -l <"$2")" -eq 1 ]' \
		sh "$rc" "$T/err"
done
mk -n PKG_CONFIG="$T/no-such-pkg-config" clean
check build.no_pkg_config.clean_works "status $rc; stderr $(flat "$T/err")" \
	[ "$rc" -eq 0 ]
unset FAKE_MISSING

# --- make install / uninstall with DESTDIR --------------------------------
S=$T/stage
mk -s install DESTDIR="$S" PREFIX=/usr BUILD="$BDIR"
check build.install.runs "status $rc; stderr $(flat "$T/err")" [ "$rc" -eq 0 ]
check build.install.binary "$(ls -l "$S/usr/bin/qpan" 2>&1)" \
	sh -c '[ -x "$1" ] && cmp -s "$1" "$2"' sh "$S/usr/bin/qpan" "$QPAN"
check build.install.runs_installed "$("$S/usr/bin/qpan" --version 2>&1 | head -c 100)" \
	sh -c '"$1" --version | grep -q "^qpan [0-9]"' sh "$S/usr/bin/qpan"
check build.install.manual "$(ls -l "$S/usr/share/man/man1" 2>&1 | flat /dev/stdin)" \
	cmp -s man/qpan.1 "$S/usr/share/man/man1/qpan.1"
check build.install.schema "$(ls "$S/usr/share/qpan" 2>&1 | tr '\n' ' ')" \
	cmp -s data/schema.json "$S/usr/share/qpan/schema.json"
check build.install.rules "$(ls "$S/usr/share/qpan/rules" 2>&1 | head -n 3 | tr '\n' ' ')" \
	sh -c 'for f in data/rules/*.rules; do cmp -s "$f" "$1/${f#data/}" || exit 1; done' sh "$S/usr/share/qpan"
mk -s uninstall DESTDIR="$S" PREFIX=/usr
left=$(cd "$S" && find . -type f | head -n 5 | tr '\n' ' ')
check build.uninstall.removes_all "status $rc; left: $left" \
	sh -c '[ "$1" -eq 0 ] && [ -z "$2" ] && [ ! -e "$3/usr/share/qpan" ]' sh "$rc" "$left" "$S"
