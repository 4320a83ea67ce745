/*
 * main.c - wire the stages together:
 *
 *   operands --walk--> paths --read--> bytes --normalize/fold--> doc
 *            --extract--> result --print--> one JSON line on stdout
 *
 * A document that fails is reported on stderr and the run goes on; the
 * exit status remembers it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "doc.h"
#include "extract.h"
#include "input.h"
#include "print.h"
#include "rules.h"
#include "segment.h"
#include "walk.h"

typedef struct {
	const qp_options *opt;
	const qp_rules   *rules;
	qp_matcher        matcher;
	int               failed;      /* some document could not be read */
	int               out_failed;  /* writing the output failed: stop */
} run;

/* One line on stderr naming the document and the reason. */
__attribute__((format(printf, 3, 4)))
static void doc_error(run *rn, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "qpan: %s: ", path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	rn->failed = 1;
}

static int process(const char *path, int err, void *ctx)
{
	run *rn = ctx;
	if (err) {
		if (err == ELOOP)
			doc_error(rn, path, "directory loop (a symbolic link leads "
			          "back to a directory above it)");
		else
			doc_error(rn, path, "%s", strerror(err));
		return 0;
	}
	char *raw;
	size_t len;
	int rc = qp_input_read(path, &raw, &len);
	if (rc) {
		doc_error(rn, path, "%s", strerror(rc));
		return 0;
	}
	qp_doc doc;
	qp_doc_init(&doc, path);
	size_t bad = 0;
	qp_norm_status st = qp_doc_prepare(&doc, raw, len, &bad);
	if (st != QP_NORM_OK) {
		if (st == QP_NORM_NUL)
			doc_error(rn, path, "binary file (NUL byte at offset %llu), "
			          "not text", (unsigned long long)bad);
		else if (st == QP_NORM_BAD_UTF8)
			doc_error(rn, path, "invalid UTF-8 at byte offset %llu",
			          (unsigned long long)bad);
		else
			doc_error(rn, path, "out of memory");
		qp_doc_free(&doc);
		return 0;
	}
	qp_sentences sents = {0};
	qp_result res;
	qp_result_init(&res);
	qp_ctx c = {.doc = &doc, .sents = &sents, .rules = rn->rules,
	            .m = &rn->matcher};
	char *json = NULL;
	if (qp_segment(&doc, &sents) == 0 && qp_extract(&c, &res) == 0)
		json = qp_render(&doc, &res, rn->opt->pretty);
	if (!json) {
		doc_error(rn, path, "out of memory");
	} else {
		size_t n = strlen(json);
		if (fwrite(json, 1, n, stdout) != n || putchar('\n') == EOF ||
		    fflush(stdout) == EOF) {
			fprintf(stderr, "qpan: writing output: %s\n", strerror(errno));
			rn->out_failed = 1;
		}
		free(json);
	}
	qp_result_free(&res);
	qp_sentences_free(&sents);
	qp_doc_free(&doc);
	return rn->out_failed;
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
	if (opt.help) {
		qp_cli_help(stdout);
		return fflush(stdout) == EOF ? 1 : 0;
	}
	if (opt.version) {
		printf("qpan %s\n", QPAN_VERSION);
		return fflush(stdout) == EOF ? 1 : 0;
	}
	qp_rules *rules = qp_rules_load(opt.rules_dir, err, sizeof err);
	if (!rules) {
		fprintf(stderr, "qpan: rules: %s\n", err);
		return 2;
	}
	run rn = {&opt, rules, {0}, 0, 0};
	if (qp_matcher_init(&rn.matcher)) {
		fprintf(stderr, "qpan: out of memory\n");
		qp_rules_free(rules);
		return 1;
	}
	static char *stdin_operand[] = {"-"};
	char **ops = opt.noperands ? opt.operands : stdin_operand;
	int nops = opt.noperands ? opt.noperands : 1;
	for (int i = 0; i < nops && !rn.out_failed; i++)
		qp_walk(ops[i], opt.glob, process, &rn);

	qp_matcher_free(&rn.matcher);
	qp_rules_free(rules);
	return rn.failed || rn.out_failed ? 1 : 0;
}
