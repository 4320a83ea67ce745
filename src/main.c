/*
 * main.c - wire the stages together:
 *
 *   operands --walk--> paths ----\
 *   stdin --records--> records ---+--pool (pipeline per document)--> emit
 *
 * emit prints each document's object on stdout, or its error on
 * stderr, in input order, and remembers failures for the exit status:
 * 0 all well, 1 some document failed or the output could not be
 * written, 2 bad usage or bad rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pool.h"
#include "records.h"
#include "rules.h"
#include "walk.h"

typedef struct {
	int failed;       /* some document could not be read */
	int out_failed;   /* writing the output failed */
} run;

static int emit(const qp_outcome *out, void *ctx)
{
	run *rn = ctx;
	if (out->error) {
		fprintf(stderr, "qpan: %s\n", out->error);
		rn->failed = 1;
		return 0;
	}
	size_t n = strlen(out->json);
	if (fwrite(out->json, 1, n, stdout) != n || putchar('\n') == EOF ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "qpan: writing output: %s\n", strerror(errno));
		rn->out_failed = 1;
		return 1;
	}
	return 0;
}

static int submit_path(const char *path, int err, void *ctx)
{
	return qp_pool_file(ctx, path, err) != 0;
}

/* Feed NDJSON records from stdin to the pool. */
static void submit_records(qp_pool *pool, run *rn)
{
	qp_records rs;
	qp_records_init(&rs, stdin);
	char *id, *text;
	size_t len;
	const char *why;
	int rc;
	while ((rc = qp_records_next(&rs, &id, &text, &len, &why)) != 0) {
		/* A bad record is reported in order, after what came before. */
		int stop = rc < 0 ? qp_pool_failed(pool, id, why)
		                  : qp_pool_bytes(pool, id, text, len);
		free(id);
		if (stop)
			break;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "qpan: -: %s\n", strerror(errno));
		rn->failed = 1;
	}
	qp_records_free(&rs);
}

int main(int argc, char **argv)
{
	qp_options opt;
	char err[1200];
	if (qp_cli_parse(argc, argv, &opt, err, sizeof err)) {
		fprintf(stderr, "qpan: %s\nTry 'qpan --help' for more information.\n",
		        err);
		return 2;
	}
	if (opt.help || opt.version) {
		if (opt.help)
			qp_cli_help(stdout);
		else
			printf("qpan %s\n", QPAN_VERSION);
		return fflush(stdout) == EOF ? 1 : 0;
	}
	if (opt.input == QP_INPUT_NDJSON && opt.noperands) {
		fprintf(stderr, "qpan: --input-format ndjson reads standard input "
		        "only, not operands\nTry 'qpan --help' for more "
		        "information.\n");
		return 2;
	}
	qp_rules *rules = qp_rules_load(opt.rules_dir, err, sizeof err);
	if (!rules) {
		fprintf(stderr, "qpan: rules: %s\n", err);
		return 2;
	}
	int jobs = opt.jobs;
	if (jobs <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n < 1 ? 1 : n > 64 ? 64 : (int)n;
	}
	run rn = {0, 0};
	qp_pipeline_opts po = {rules, opt.pretty, opt.max_bytes};
	qp_pool *pool = qp_pool_new(jobs, &po, emit, &rn);
	if (!pool) {
		fprintf(stderr, "qpan: out of memory\n");
		qp_rules_free(rules);
		return 1;
	}
	if (opt.input == QP_INPUT_NDJSON) {
		submit_records(pool, &rn);
	} else {
		static char *stdin_operand[] = {"-"};
		char **ops = opt.noperands ? opt.operands : stdin_operand;
		int nops = opt.noperands ? opt.noperands : 1;
		for (int i = 0; i < nops && !rn.out_failed; i++)
			if (qp_walk(ops[i], opt.glob, submit_path, pool))
				break;
	}
	if (qp_pool_finish(pool) && !rn.out_failed)
		rn.failed = 1;
	qp_rules_free(rules);
	return rn.failed || rn.out_failed ? 1 : 0;
}
