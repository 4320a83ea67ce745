/*
 * app_outdir.c - the names of --output-dir files (src/app/outdir.c,
 * qp_outdir_name): escaping, record ids that name no file ("", ".",
 * "./"), and names too long for the file system shortened with a hash.
 * Each case is a source, whether it is a record id, and the name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "outdir.h"

struct name_case {
	const char *source;
	int         exact;
	const char *want;
};

static const struct name_case names[] = {
	{"in/a/x.txt", 0, "in/a/x.txt.json"},
	{"./in//a/./x.txt", 0, "in/a/x.txt.json"},
	{"../b/x%y", 0, "%2e%2e/b/x%25y.json"},
	{"/srv/b.txt", 0, "%2f/srv/b.txt.json"},
	{"-", 0, "-.json"},
	{".", 0, "%2e.json"},
	{"", 0, "%2e.json"},
	/* Record ids: every one its own file. */
	{"", 1, "%empty.json"},
	{".", 1, "%2e.json"},
	{"./", 1, "%2e/%empty.json"},
	{"a/", 1, "a/%empty.json"},
	{"a//b", 1, "a/%empty/b.json"},
	{"..", 1, "%2e%2e.json"},
	{"/", 1, "%2f/%empty.json"},
	{"%2e", 1, "%252e.json"},
	{"news/2023/a.html", 1, "news/2023/a.html.json"},
};

void test_outdir(void)
{
	for (size_t i = 0; i < COUNT(names); i++) {
		char *got = qp_outdir_name(names[i].source, ".json", names[i].exact);
		char nm[80];
		snprintf(nm, sizeof nm, "outdir.name.%zu", i);
		check(nm, got && strcmp(got, names[i].want) == 0,
		      "\"%s\" (%s) gave \"%s\", want \"%s\"", names[i].source,
		      names[i].exact ? "id" : "path", got ? got : "(null)",
		      names[i].want);
		free(got);
	}

	/* 250 bytes + ".json" does not fit: cut, "%h" and 16 hex digits;
	 * one byte more is another name; a short name is left alone. */
	char a[300], b[300];
	memset(a, 'n', 250);
	a[250] = '\0';
	memcpy(b, a, 251);
	b[249] = 'm';
	char *na = qp_outdir_name(a, ".json", 0);
	char *nb = qp_outdir_name(b, ".json", 0);
	size_t la = na ? strlen(na) : 0;
	check("outdir.long_name_fits", na && la <= QP_OUTDIR_NAME_MAX &&
	      strstr(na, "%h") == na + la - 5 - 18 && !strcmp(na + la - 5, ".json"),
	      "gave %zu bytes: %s", la, na ? na : "(null)");
	check("outdir.long_names_differ", na && nb && strcmp(na, nb) != 0,
	      "both %s", na ? na : "(null)");
	/* A directory component too, and "%" escapes that grow the name;
	 * never cut inside a "%25" or a UTF-8 character. */
	char c[600] = "";
	for (int i = 0; i < 90; i++)
		strcat(c, "%");
	strcat(c, "/");
	for (int i = 0; i < 130; i++)
		strcat(c, "\xc3\xa1");   /* á */
	char *nc = qp_outdir_name(c, ".json", 0);
	int ok = nc != NULL;
	const char *slash = nc ? strchr(nc, '/') : NULL;
	ok = ok && slash && (size_t)(slash - nc) <= QP_OUTDIR_NAME_MAX &&
	     strlen(slash + 1) <= QP_OUTDIR_NAME_MAX;
	if (ok) {
		const char *h1 = strstr(nc, "%h"), *h2 = strstr(slash, "%h");
		ok = h1 && h1 < slash && (h1 - nc) % 3 == 0 && h2 &&
		     ((unsigned char)h2[-1] == 0xa1);
	}
	check("outdir.long_components_cut_cleanly", ok, "gave %s",
	      nc ? nc : "(null)");
	free(na);
	free(nb);
	free(nc);
}
