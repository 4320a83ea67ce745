/*
 * main.c - wire the stages together:
 *
 *   operands, --files-from --walk--> paths --\
 *   stdin --records--> records ---------------+--pool (pipeline per
 *                                                document)--> emit
 *   (--incremental: a source the manifest has as it is now is skipped
 *   before the pool; messages, --progress and --stats: report.h)
 *
 * (--files stops at the paths: printed, nothing read.)
 *
 * emit prints each document's output on stdout in the chosen format (or
 * to its own file under --output-dir), or
 * its error on stderr, in input order, and remembers failures for the
 * exit status: 0 all well, 1 some document failed or the output could
 * not be written, 2 bad usage or bad rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "extract.h"
#include "lib.h"
#include "manifest.h"
#include "pool.h"
#include "outdir.h"
#include "output.h"
#include "records.h"
#include "report.h"
#include "rules.h"
#include "walk.h"

typedef struct {
	int    format;       /* QP_OUT_* */
	char  *header;       /* tsv, csv: the table's header row (owned), on
	                      * stdout once and atop each --output-dir file */
	const char *output_dir;   /* --output-dir, or NULL: stdout */
	int    incremental;
	int    records;      /* sources are record ids (outdir.h, exact) */
	qp_outdir *od;       /* the output directory, or NULL ... */
	int    od_err;       /* ... and why it cannot be used */
	qp_manifest *manifest;    /* what earlier runs read, or NULL */
	int    manifest_failed;   /* its update failed (said once) */
	qp_pool *pool;
	int    failed;       /* some document could not be read */
	int    out_failed;   /* writing the output failed */
	size_t emitted;      /* documents printed */
	int    prune;        /* --prune */
	int    input_complete;    /* every operand or record was taken */
	qp_report rep;       /* messages, --progress, --stats */
} run;

static int write_all(const char *p, size_t n)
{
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

/* The extension of per-document output files. */
static const char *out_ext(const run *rn)
{
	return rn->format == QP_OUT_TSV ? ".tsv"
	       : rn->format == QP_OUT_CSV ? ".csv" : ".json";
}

/* --output-dir: remember the source with the identity it was read with
 * (when it got that far), as written or as failed, so that an unchanged
 * one is neither redone nor reported again (manifest.h).  The
 * manifest's first failure is said once. */
static void record_source(run *rn, const char *source, const qp_outcome *out,
                          int failed)
{
	if (!rn->manifest || out->id.kind == QP_ID_NONE)
		return;
	int rc = qp_manifest_record(rn->manifest, source, &out->id, failed);
	if (rc && !rn->manifest_failed) {
		qp_report_run(&rn->rep, "%s/.qpan-manifest: %s", rn->output_dir,
		              strerror(rc));
		rn->manifest_failed = rn->failed = 1;
	}
}

/* --output-dir: the document's own file, whole or not at all, and then
 * its identity in the manifest. */
static void emit_file(run *rn, const char *source, const qp_outcome *out)
{
	char *name = qp_outdir_name(source, out_ext(rn), rn->records);
	char *path = name ? qp_outdir_join(rn->output_dir, name) : NULL;
	char *data = NULL;
	size_t n = strlen(out->json);
	size_t hn = rn->header ? strlen(rn->header) : 0;
	int rc = ENOMEM;
	if (path && !rn->od) {
		rc = rn->od_err;
	} else if (path && (data = malloc(n + hn + 2))) {
		size_t k = hn;
		memcpy(data, rn->header ? rn->header : "", hn);
		memcpy(data + k, out->json, n);
		k += n;
		if (!rn->header)
			data[k++] = '\n';
		rc = qp_outdir_write(rn->od, name, data, k);
	}
	if (rc) {
		qp_report_doc_error(&rn->rep, source, "writing %s: %s",
		                    path ? path : "output", strerror(rc));
		rn->failed = 1;
		rn->rep.failed++;
	} else {
		record_source(rn, source, out, 0);
	}
	free(data);
	free(path);
	free(name);
}

/* Print one outcome in the chosen format, in input order. */
static int emit(const char *source, const qp_outcome *out, void *ctx)
{
	run *rn = ctx;
	rn->rep.done++;
	rn->rep.bytes += (double)out->bytes;
	if (out->warning)
		qp_report_doc(&rn->rep, source, "warning", out->warning, out->offset);
	if (out->error || !out->json) {
		/* No message either: even the message could not be made. */
		if (out->error)
			qp_report_doc(&rn->rep, source, "error", out->error,
			              out->offset);
		else
			qp_report_doc_error(&rn->rep, source, "out of memory");
		rn->failed = 1;
		rn->rep.failed++;
		if (out->error)
			record_source(rn, source, out, 1);
	} else if (rn->output_dir) {
		emit_file(rn, source, out);
	} else {
		size_t n = strlen(out->json);
		int rc = 0;
		if (rn->format == QP_OUT_JSON)
			rc = write_all(rn->emitted ? ",\n" : "[\n", 2);
		rc |= write_all(out->json, n);
		if (!rn->header && rn->format != QP_OUT_JSON)
			rc |= write_all("\n", 1);
		if (rc || fflush(stdout) == EOF) {
			/* A reader that went away (qpan | head) is no error to
			 * report: stop quietly. */
			if (errno != EPIPE)
				qp_report_run(&rn->rep, "writing output: %s",
				        strerror(errno));
			rn->out_failed = 1;
			return 1;
		}
		rn->emitted++;
	}
	qp_report_progress(&rn->rep, 0);
	return 0;
}

/* Open and close the output as the format needs: the table's header
 * row, the JSON array's brackets. */
static int output_start(run *rn)
{
	if (rn->output_dir)
		return 0;
	if (rn->header)
		return write_all(rn->header, strlen(rn->header));
	return 0;
}

static int output_end(run *rn)
{
	if (rn->output_dir)
		return 0;
	if (rn->format == QP_OUT_JSON)
		return write_all(rn->emitted ? "\n]\n" : "[]\n",
		                 rn->emitted ? 3 : 3);
	return 0;
}

/* What --incremental does with a source (manifest.h). */
enum { SOURCE_TODO, SOURCE_UP_TO_DATE, SOURCE_STILL_FAILING };

/* --incremental: is source (text: a record's text, NULL for a file)
 * exactly as an earlier run of this qpan and these rules read it, with
 * its output still there, or as it was when it failed?  Standard input
 * as an operand is always read.  Under --prune, notes the source as
 * named. */
static int classify(run *rn, const char *source, const char *text,
                    size_t len, size_t max_bytes)
{
	if (!rn->manifest)
		return SOURCE_TODO;
	if (rn->prune)
		qp_manifest_seen(rn->manifest, source);
	int failed = 0;
	const qp_source_id *old = rn->incremental
	        ? qp_manifest_find(rn->manifest, source, &failed) : NULL;
	if (!old || (!text && !strcmp(source, "-")))
		return SOURCE_TODO;
	qp_source_id now;
	if (text)
		qp_source_id_text(&now, text, len);
	else if (qp_source_id_path(source, max_bytes, &now))
		return SOURCE_TODO;   /* gone: let the reader say so */
	if (!qp_source_id_same(old, &now))
		return SOURCE_TODO;
	if (failed)
		return SOURCE_STILL_FAILING;
	char *name = qp_outdir_name(source, out_ext(rn), rn->records);
	int yes = name && qp_outdir_exists(rn->od, name);
	free(name);
	return yes ? SOURCE_UP_TO_DATE : SOURCE_TODO;
}

/* Count a source that classify says needs no reading; 1 if so. */
static int skipped(run *rn, int what)
{
	if (what == SOURCE_UP_TO_DATE)
		rn->rep.up_to_date++;
	else if (what == SOURCE_STILL_FAILING)
		rn->rep.still_failing++;
	return what != SOURCE_TODO;
}

typedef struct {
	run    *rn;
	size_t  max_bytes;
	/* --progress: the paths to read, gathered first so the total
	 * counts only those */
	struct gathered { char *path; int err; } *todo;
	size_t  n, cap;
	int     oom;
} walk_ctx;

/* The operands (stdin when there are none and no --files-from), then
 * the --files-from list, walked in order.  1: fn stopped the walk; -1:
 * the list could not be opened or read (said here); 0. */
static int walk_inputs(const qp_options *opt, const qp_report *rep,
                       qp_walk_fn fn, void *ctx)
{
	static char *stdin_operand[] = {"-"};
	int none = !opt->noperands && !opt->files_from;
	char **ops = none ? stdin_operand : opt->operands;
	int nops = none ? 1 : opt->noperands;
	int stdin_taken = 0;
	for (int i = 0; i < nops; i++) {
		stdin_taken |= !strcmp(ops[i], "-");
		if (qp_walk(ops[i], &opt->globs, fn, ctx))
			return 1;
	}
	if (!opt->files_from)
		return 0;
	int from_stdin = !strcmp(opt->files_from, "-");
	FILE *list = from_stdin ? stdin : fopen(opt->files_from, "r");
	if (!list) {
		qp_report_run(rep, "%s: %s", opt->files_from, strerror(errno));
		return -1;
	}
	stdin_taken |= from_stdin;
	int rc = qp_walk_list(list, opt->null ? '\0' : '\n', &stdin_taken,
	                      &opt->globs, fn, ctx);
	if (rc < 0)
		qp_report_run(rep, "%s: %s", opt->files_from, strerror(errno));
	if (!from_stdin)
		fclose(list);
	return rc;
}

/* --files: the path of each document, as it would be read; one that
 * would fail is reported with the message reading it would give. */
typedef struct {
	int delim;
	int failed, out_failed;
	const qp_report *rep;
} file_list;

static int print_path(const char *path, int err, void *ctx)
{
	file_list *fl = ctx;
	if (!err && strcmp(path, "-") != 0) {
		/* Opened, not read (O_NONBLOCK: a FIFO does not wait). */
		int fd = qp_open_path(AT_FDCWD, path,
		                      O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			err = errno;
		else
			close(fd);
	}
	if (err) {
		/* With err set, the pipeline reads nothing: only its message. */
		qp_pipeline_opts none = {0};
		qp_outcome out;
		qp_pipeline_file(&none, NULL, path, err, &out);
		if (out.error)
			qp_report_doc(fl->rep, path, "error", out.error, -1);
		else
			qp_report_doc_error(fl->rep, path, "out of memory");
		qp_outcome_free(&out);
		fl->failed = 1;
		return 0;
	}
	if (fputs(path, stdout) == EOF || putchar(fl->delim) == EOF) {
		if (errno != EPIPE)
			qp_report_run(fl->rep, "writing output: %s",
			              strerror(errno));
		fl->out_failed = 1;
		return 1;
	}
	return 0;
}

static int submit_path(const char *path, int err, void *ctx)
{
	walk_ctx *w = ctx;
	if (!err && skipped(w->rn, classify(w->rn, path, NULL, 0, w->max_bytes)))
		return 0;
	return qp_pool_file(w->rn->pool, path, err) != 0;
}

static int gather_path(const char *path, int err, void *ctx)
{
	walk_ctx *w = ctx;
	if (!err && skipped(w->rn, classify(w->rn, path, NULL, 0, w->max_bytes)))
		return 0;
	char *p = NULL;
	if (qp_grow(&w->todo, &w->cap, w->n, sizeof *w->todo) ||
	    !(p = strdup(path))) {
		w->oom = 1;
		return 1;
	}
	w->todo[w->n++] = (struct gathered){p, err};
	return 0;
}

/* Feed NDJSON records from stdin to the pool.  1 when the whole stream
 * was read. */
static int submit_records(qp_pool *pool, run *rn, const qp_pipeline_opts *po)
{
	qp_records rs;
	qp_records_init(&rs, stdin);
	/* A line holds a text of up to --max-bytes and the JSON around it. */
	rs.max_line = po->max_bytes ? po->max_bytes + 65536 : 0;
	rs.replace_invalid = po->replace_invalid;
	char *id, *text;
	size_t len;
	const char *why;
	int rc;
	while ((rc = qp_records_next(&rs, &id, &text, &len, &why)) != 0) {
		/* A bad record is reported in order, after what came before. */
		int stop = 0;
		if (rc < 0 && id && rs.id_len) {
			/* "ID: line N": the source is the id, the line goes
			 * with the reason (the same text, and --errors json
			 * gets the id as the source). */
			char *src = strndup(id, rs.id_len);
			char *reason = NULL;
			if (src && asprintf(&reason, "%s: %s", id + rs.id_len + 2,
			                    why) < 0)
				reason = NULL;
			stop = src && reason ? qp_pool_failed(pool, src, reason)
			                     : qp_pool_failed(pool, id, why);
			free(src);
			free(reason);
		} else if (rc < 0) {   /* no id: not even it could be allocated */
			stop = qp_pool_failed(pool, id ? id : "-", why);
		} else if (skipped(rn, classify(rn, id, text, len, 0))) {
			free(text);
		} else {
			stop = qp_pool_bytes(pool, id, text, len);
		}
		free(id);
		if (stop)
			break;
	}
	int complete = rc == 0;
	if (ferror(stdin)) {
		qp_report_run(&rn->rep, "-: %s", strerror(errno));
		rn->failed = 1;
		complete = 0;
	}
	qp_records_free(&rs);
	return complete;
}

static void walk_ctx_free(walk_ctx *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->todo[i].path);
	free(w->todo);
}

/* --prune: is the source of this manifest entry gone?  A file that no
 * longer exists (its path, from the directory qpan runs in); in a run
 * of records, an id this run's input did not have.  Its outputs are
 * removed, in every format's name. */
static int prune_source(const char *source, int kind, int seen, void *ctx)
{
	run *rn = ctx;
	struct stat st;
	if (kind == QP_ID_FILE) {
		if (rn->records || stat(source, &st) == 0 ||
		    (errno != ENOENT && errno != ENOTDIR))
			return 0;
	} else if (!rn->records || seen) {
		return 0;
	}
	static const char *const exts[] = {".json", ".tsv", ".csv"};
	int rc = 0;
	for (size_t i = 0; i < sizeof exts / sizeof *exts && !rc; i++) {
		char *name = qp_outdir_name(source, exts[i], rn->records);
		rc = name ? qp_outdir_remove(rn->od, name) : ENOMEM;
		free(name);
	}
	if (rc) {
		qp_report_doc_error(&rn->rep, source, "removing its output: %s",
		                    strerror(rc));
		rn->failed = 1;
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	qp_options opt;
	char err[1200];
	/* Blocks of 1 MB and up are mapped on their own: growing one (a
	 * large document's texts and maps) moves no bytes, and freeing it
	 * gives the memory back at once.  (glibc otherwise raises this
	 * threshold after the first large block is freed.) */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	if (qp_cli_parse(argc, argv, &opt, err, sizeof err)) {
		qp_diag("%s", err);
		fputs("Try 'qpan --help' for more information.\n", stderr);
		return 2;
	}
	if (opt.help || opt.version || opt.generate) {
		if (opt.help)
			qp_cli_help(stdout);
		else if (opt.generate)
			qp_cli_generate(stdout, opt.generate);
		else
			printf("qpan %s\n", QPAN_VERSION);
		if (fflush(stdout) == EOF || ferror(stdout)) {
			if (errno != EPIPE)
				qp_diag("writing output: %s",
				        strerror(errno));
			return 1;
		}
		return 0;
	}
	if (opt.list_files) {
		qp_report rep;
		qp_report_init(&rep, opt.quiet, opt.errors_json, 0);
		file_list fl = {opt.null ? '\0' : '\n', 0, 0, &rep};
		if (walk_inputs(&opt, &rep, print_path, &fl) < 0)
			fl.failed = 1;
		if (!fl.out_failed && fflush(stdout) == EOF) {
			if (errno != EPIPE)
				qp_report_run(&rep, "writing output: %s",
				              strerror(errno));
			fl.out_failed = 1;
		}
		return fl.failed || fl.out_failed;
	}
	if (opt.input == QP_INPUT_NDJSON && opt.noperands) {
		fprintf(stderr, "qpan: --input-format ndjson reads standard input "
		        "only, not operands\nTry 'qpan --help' for more "
		        "information.\n");
		return 2;
	}
	qp_encoding enc;
	if (qp_encoding_parse(opt.encoding, &enc)) {
		fprintf(stderr, "qpan: --encoding is auto, utf-8, utf-16, cp1258, "
		        "tcvn3, viscii or vni, not '%s'\nTry 'qpan --help' for "
		        "more information.\n", opt.encoding);
		return 2;
	}
	qp_rules *rules = qp_rules_load(opt.rules_dir, err, sizeof err);
	if (!rules || qp_extract_check(rules, err, sizeof err)) {
		qp_diag("rules: %s", err);
		qp_rules_free(rules);
		return 2;
	}
	qp_codecs *codecs = qp_codecs_new(rules, err, sizeof err);
	if (!codecs) {
		qp_diag("encodings: %s", err);
		qp_rules_free(rules);
		return 2;
	}
	int jobs = opt.jobs;
	if (jobs <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n < 1 ? 1 : n > 64 ? 64 : (int)n;
	}
	run rn = {0};
	rn.format = opt.format;
	rn.output_dir = opt.output_dir;
	rn.incremental = opt.incremental;
	rn.records = opt.input == QP_INPUT_NDJSON;
	qp_report_init(&rn.rep, opt.quiet, opt.errors_json,
	               opt.progress && isatty(STDERR_FILENO));
	rn.prune = opt.prune;
	if (rn.output_dir) {
		/* Another run writing here could mix its files with ours:
		 * refused.  A directory that cannot be made or opened fails
		 * each document with the reason, as before any lock. */
		rn.od = qp_outdir_open(rn.output_dir, &rn.od_err);
		if (!rn.od && rn.od_err == QP_OUTDIR_BUSY) {
			qp_report_run(&rn.rep, "%s: another qpan run is writing here",
			        rn.output_dir);
			qp_codecs_free(codecs);
			qp_rules_free(rules);
			return 1;
		}
		/* What this run is: outputs of another qpan or other rules
		 * are not up to date (manifest.h). */
		char stamp[64];
		snprintf(stamp, sizeof stamp, "qpan %s rules %016" PRIx64,
		         QPAN_VERSION, qp_rules_hash(rules));
		int merr = 0;
		if (rn.od && !(rn.manifest = qp_manifest_open(rn.od, stamp, &merr))) {
			qp_report_run(&rn.rep, "%s/.qpan-manifest: %s", rn.output_dir,
			        strerror(merr));
			rn.failed = 1;
		}
		if (rn.od)
			qp_outdir_catch_signals();
	}
	/* --progress: the documents left to do are gathered first, so the
	 * total is theirs. */
	walk_ctx w = {&rn, opt.max_bytes, NULL, 0, 0, 0};
	int gathered = rn.rep.progress && opt.input == QP_INPUT_TEXT;
	int walked = gathered ? walk_inputs(&opt, &rn.rep, gather_path, &w) : 0;
	rn.rep.total = w.n;

	/* Records are JSON strings, UTF-8 whatever --encoding says. */
	if (opt.input == QP_INPUT_NDJSON)
		enc = QP_ENC_UTF8;
	qp_pipeline_opts po = {rules, codecs, enc, opt.format, opt.explain,
	                       opt.max_bytes, opt.replace_invalid,
	                       opt.emit_records, opt.table};
	int tabular = opt.format == QP_OUT_TSV || opt.format == QP_OUT_CSV;
	rn.header = tabular ? qp_table_header(opt.table,
	                                      opt.format == QP_OUT_CSV) : NULL;
	qp_pool *pool = !tabular || rn.header ? qp_pool_new(jobs, &po, emit, &rn)
	                                      : NULL;
	rn.pool = pool;
	if (!pool || w.oom) {
		qp_report_run(&rn.rep, "out of memory");
		free(rn.header);
		walk_ctx_free(&w);
		if (pool)
			qp_pool_finish(pool);
		qp_manifest_close(rn.manifest);
		qp_outdir_close(rn.od);
		qp_codecs_free(codecs);
		qp_rules_free(rules);
		return 1;
	}
	if (output_start(&rn)) {
		qp_report_run(&rn.rep, "writing output: %s", strerror(errno));
		rn.out_failed = 1;
	} else if (opt.input == QP_INPUT_NDJSON) {
		rn.input_complete = submit_records(pool, &rn, &po);
	} else if (gathered) {
		size_t i = 0;
		while (i < w.n &&
		       !qp_pool_file(pool, w.todo[i].path, w.todo[i].err))
			i++;
		rn.input_complete = walked == 0 && i == w.n;
		rn.failed |= walked < 0;
	} else {
		walked = walk_inputs(&opt, &rn.rep, submit_path, &w);
		rn.input_complete = walked == 0;
		rn.failed |= walked < 0;
	}
	walk_ctx_free(&w);
	if (qp_pool_finish(pool) && !rn.out_failed)
		rn.failed = 1;
	if (rn.prune && rn.manifest && rn.input_complete && !rn.out_failed)
		rn.rep.pruned = qp_manifest_prune(rn.manifest, prune_source, &rn);
	if (!rn.out_failed && (output_end(&rn) || fflush(stdout) == EOF)) {
		if (errno != EPIPE)
			qp_report_run(&rn.rep, "writing output: %s", strerror(errno));
		rn.out_failed = 1;
	}
	qp_report_progress(&rn.rep, 1);
	if (opt.stats)
		qp_report_stats(&rn.rep);
	int merr = qp_manifest_close(rn.manifest);
	if (merr) {
		qp_report_run(&rn.rep, "%s/.qpan-manifest: %s", rn.output_dir,
		              strerror(merr));
		rn.failed = 1;
	}
	qp_outdir_close(rn.od);
	free(rn.header);
	qp_codecs_free(codecs);
	qp_rules_free(rules);
	return rn.failed || rn.out_failed ? 1 : 0;
}
