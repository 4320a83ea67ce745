/*
 * app_cli.c - the command line (src/app/cli.c, qp_cli_parse): options
 * and operands, the defaults, an unknown option, a missing argument,
 * "--", repeated --glob and --iglob in one list, the usage errors of
 * the input options (--files-from, -0, --files, --emit-records), and
 * --table with the formats it needs.
 */
#include <string.h>

#include "cli.h"
#include "harness.h"
#include "output.h"

void test_cli(void)
{
	qp_options o;
	char err[256] = "";
	char *argv1[] = {"qpan", "-p", "--glob", "*.md", "--rules=d", "a", "-",
	                 NULL};
	int rc = qp_cli_parse(7, argv1, &o, err, sizeof err);
	check("cli.parse_options", rc == 0 && (o.format == QP_OUT_PRETTY) && !o.help &&
	      o.globs.n == 1 && strcmp(o.globs.v[0].pattern, "*.md") == 0 &&
	      !o.globs.v[0].exclude && !o.globs.v[0].casefold &&
	      strcmp(o.rules_dir, "d") == 0 &&
	      o.noperands == 2 && strcmp(o.operands[0], "a") == 0 &&
	      strcmp(o.operands[1], "-") == 0, "rc %d: %s", rc, err);
	char *argv2[] = {"qpan", NULL};
	rc = qp_cli_parse(1, argv2, &o, err, sizeof err);
	check("cli.parse_defaults", rc == 0 && o.globs.n == 0 &&
	      !(o.format == QP_OUT_PRETTY) && !o.rules_dir && o.noperands == 0, "rc %d: %s", rc,
	      err);
	char *argv3[] = {"qpan", "--bogus", NULL};
	err[0] = '\0';
	rc = qp_cli_parse(2, argv3, &o, err, sizeof err);
	check("cli.parse_unknown", rc == -1 && strstr(err, "--bogus"),
	      "rc %d: %s", rc, err);
	char *argv4[] = {"qpan", "-g", NULL};
	err[0] = '\0';
	rc = qp_cli_parse(2, argv4, &o, err, sizeof err);
	check("cli.parse_missing_argument", rc == -1 && strstr(err, "-g"),
	      "rc %d: %s", rc, err);
	char *argv5[] = {"qpan", "--", "-p", NULL};
	rc = qp_cli_parse(3, argv5, &o, err, sizeof err);
	check("cli.parse_double_dash", rc == 0 && !(o.format == QP_OUT_PRETTY) && o.noperands == 1 &&
	      strcmp(o.operands[0], "-p") == 0, "rc %d", rc);

	/* -g and --iglob make one list, in order, "!" taken off. */
	char *argv6[] = {"qpan", "-g", "*.txt", "--iglob", "!*.BAK", "-g",
	                 "!old", "--iglob=*.md", NULL};
	rc = qp_cli_parse(8, argv6, &o, err, sizeof err);
	check("cli.glob_list", rc == 0 && o.globs.n == 4 &&
	      !strcmp(o.globs.v[0].pattern, "*.txt") && !o.globs.v[0].exclude &&
	      !o.globs.v[0].casefold &&
	      !strcmp(o.globs.v[1].pattern, "*.BAK") && o.globs.v[1].exclude &&
	      o.globs.v[1].casefold &&
	      !strcmp(o.globs.v[2].pattern, "old") && o.globs.v[2].exclude &&
	      !o.globs.v[2].casefold &&
	      !strcmp(o.globs.v[3].pattern, "*.md") && o.globs.v[3].casefold,
	      "rc %d: %s, %d patterns", rc, err, o.globs.n);
	char *argv7[] = {"qpan", "--files-from", "-", "-0", "--files", "a",
	                 NULL};
	rc = qp_cli_parse(6, argv7, &o, err, sizeof err);
	check("cli.files_from", rc == 0 && !strcmp(o.files_from, "-") &&
	      o.null && o.list_files && o.noperands == 1, "rc %d: %s", rc, err);

	/* Usage errors, each with its reason. */
	static const struct {
		const char *name, *why;
		char *argv[6];
	} bad[] = {
		{"cli.empty_glob", "non-empty", {"qpan", "-g", "!", NULL}},
		{"cli.empty_iglob", "non-empty", {"qpan", "--iglob", "", NULL}},
		{"cli.null_alone", "-0", {"qpan", "-0", "a", NULL}},
		{"cli.stdin_twice", "once", {"qpan", "--files-from", "-", "-",
		                             NULL}},
		{"cli.records_files", "together", {"qpan", "--files",
		                                   "--emit-records", NULL}},
		{"cli.records_format", "NDJSON", {"qpan", "--emit-records", "-f",
		                                  "tsv", NULL}},
		{"cli.records_outdir", "NDJSON", {"qpan", "--emit-records", "-o",
		                                  "d", NULL}},
		{"cli.ndjson_files_from", "--files-from", {"qpan",
		 "--input-format", "ndjson", "--files-from", "x", NULL}},
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		int argc = 0;
		while (bad[i].argv[argc])
			argc++;
		char *args[6];
		memcpy(args, bad[i].argv, sizeof args);
		err[0] = '\0';
		rc = qp_cli_parse(argc, args, &o, err, sizeof err);
		check(bad[i].name, rc == -1 && strstr(err, bad[i].why),
		      "rc %d: %s", rc, err);
	}
	/* More patterns than the set holds: refused, not cut short. */
	static char *many[2 * QP_GLOBS_MAX + 4];
	int n = 0;
	many[n++] = "qpan";
	for (int i = 0; i <= QP_GLOBS_MAX; i++) {
		many[n++] = "-g";
		many[n++] = "*.txt";
	}
	many[n] = NULL;
	rc = qp_cli_parse(n, many, &o, err, sizeof err);
	check("cli.too_many_globs", rc == -1 && strstr(err, "at most"),
	      "rc %d: %s", rc, err);

	/* --table: a table of output.h with tsv or csv; else a usage error
	 * naming what is wrong. */
	char *argv9[] = {"qpan", "--table", "documents", "-f", "csv", NULL};
	rc = qp_cli_parse(5, argv9, &o, err, sizeof err);
	check("cli.parse_table", rc == 0 && o.format == QP_OUT_CSV &&
	      o.table == QP_TABLE_DOCUMENTS, "rc %d: %s", rc, err);
	rc = qp_cli_parse(3, (char *[]){"qpan", "-f", "tsv", NULL}, &o, err,
	                  sizeof err);
	check("cli.parse_table_default", rc == 0 && o.format == QP_OUT_TSV &&
	      o.table == QP_TABLE_STATISTICS, "rc %d: %s", rc, err);
	err[0] = '\0';
	rc = qp_cli_parse(3, (char *[]){"qpan", "--table", "units", NULL}, &o,
	                  err, sizeof err);
	check("cli.parse_table_needs_tsv_or_csv", rc == -1 &&
	      strstr(err, "--format tsv or csv"), "rc %d: %s", rc, err);
	err[0] = '\0';
	rc = qp_cli_parse(5, (char *[]){"qpan", "-f", "csv", "--table", "staff",
	                                NULL}, &o, err, sizeof err);
	check("cli.parse_table_unknown", rc == -1 && !strcmp(err, "--table is "
	      "statistics, officials, units, awards, tasks or documents, not "
	      "'staff'"), "rc %d: %s", rc, err);
}
