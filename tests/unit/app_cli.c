/*
 * app_cli.c - the command line (src/app/cli.c, qp_cli_parse): options
 * and operands, the defaults, an unknown option, a missing argument,
 * "--", and --table with the formats it needs.
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
	      strcmp(o.glob, "*.md") == 0 && strcmp(o.rules_dir, "d") == 0 &&
	      o.noperands == 2 && strcmp(o.operands[0], "a") == 0 &&
	      strcmp(o.operands[1], "-") == 0, "rc %d: %s", rc, err);
	char *argv2[] = {"qpan", NULL};
	rc = qp_cli_parse(1, argv2, &o, err, sizeof err);
	check("cli.parse_defaults", rc == 0 && strcmp(o.glob, "*.txt") == 0 &&
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
	/* --table: a table of output.h with tsv or csv; else a usage error
	 * naming what is wrong. */
	char *argv6[] = {"qpan", "--table", "documents", "-f", "csv", NULL};
	rc = qp_cli_parse(5, argv6, &o, err, sizeof err);
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
