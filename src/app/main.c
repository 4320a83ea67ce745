/*
 * main.c - wire the stages together:
 *
 *   operands --walk--> paths ----\
 *   stdin --records--> records ---+--pool (pipeline per document)--> emit
 *
 * emit prints each document's output on stdout in the chosen format (or
 * to its own file under --output-dir), or
 * its error on stderr, in input order, and remembers failures for the
 * exit status: 0 all well, 1 some document failed or the output could
 * not be written, 2 bad usage or bad rules.
 */
#include <errno.h>
#include <fcntl.h>
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
	/* --progress */
	int    progress;
	size_t done, total;  /* total 0: not known */
	double bytes, start, last;
} run;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One status line on stderr, rewritten in place; at most ten a second
 * unless final. */
static void show_progress(run *rn, int final)
{
	double t = now();
	if (!final && t - rn->last < 0.1)
		return;
	rn->last = t;
	double secs = t - rn->start;
	double mbs = secs > 0 ? rn->bytes / 1048576.0 / secs : 0;
	if (rn->total)
		fprintf(stderr, "\rqpan: %zu/%zu documents, %.1f MB/s ", rn->done,
		        rn->total, mbs);
	else
		fprintf(stderr, "\rqpan: %zu documents, %.1f MB/s ", rn->done, mbs);
	if (final)
		fputc('\n', stderr);
}

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
		qp_diag("%s: writing %s: %s", source,
		        path ? path : "output", strerror(rc));
		rn->failed = 1;
	} else if (rn->manifest && out->id.kind != QP_ID_NONE &&
	           (rc = qp_manifest_record(rn->manifest, source, &out->id)) &&
	           !rn->manifest_failed) {
		qp_diag("%s/.qpan-manifest: %s", rn->output_dir, strerror(rc));
		rn->manifest_failed = rn->failed = 1;
	}
	free(data);
	free(path);
	free(name);
}

/* Print one outcome in the chosen format, in input order. */
static int emit(const char *source, const qp_outcome *out, void *ctx)
{
	run *rn = ctx;
	if (rn->progress) {
		rn->done++;
		rn->bytes += (double)out->bytes;
	}
	if (out->warning) {
		if (rn->progress)
			fputs("\r\033[K", stderr);
		qp_diag("%s", out->warning);
	}
	if (out->error || !out->json) {
		if (rn->progress)
			fputs("\r\033[K", stderr);
		/* No message either: even the message could not be made. */
		if (out->error)
			qp_diag("%s", out->error);
		else
			qp_diag("%s: out of memory", source);
		rn->failed = 1;
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
				qp_diag("writing output: %s",
				        strerror(errno));
			rn->out_failed = 1;
			return 1;
		}
		rn->emitted++;
	}
	if (rn->progress)
		show_progress(rn, 0);
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

static int count_path(const char *path, int err, void *ctx)
{
	(void)path;
	(void)err;
	(*(size_t *)ctx)++;
	return 0;
}

/* Is the file source still what the manifest says was read (old)?
 * Same size, time, device and inode; and when the time was too close to
 * the read to tell a change in the same tick, the same bytes too
 * (manifest.h).  Such a check, when it passes, is recorded with this
 * read's time, so the next run need not read the file again. */
static int file_unchanged(run *rn, const char *source, const qp_source_id *old)
{
	int fd = qp_open_path(AT_FDCWD, source, O_PATH);
	struct stat st;
	if (fd < 0)
		return 0;   /* gone: let the reader say so, never skip quietly */
	int ok = fstat(fd, &st) == 0;
	close(fd);
	qp_source_id now = {0};
	struct timespec when = {0, 0};
	if (ok)
		qp_source_id_file(&now, &st, &when);
	if (!ok || now.kind != QP_ID_FILE || now.size != old->size ||
	    now.mtime_ns != old->mtime_ns || now.dev != old->dev ||
	    now.ino != old->ino)
		return 0;
	if (old->mtime_ns < old->read_ns - QP_MANIFEST_RACY_NS)
		return 1;
	char *raw;
	size_t len;
	clock_gettime(CLOCK_REALTIME, &when);
	if (qp_read_file_stat(source, 0, &raw, &len, &st))
		return 0;
	qp_source_id_text(&now, raw, len);
	free(raw);
	qp_source_id_file(&now, &st, &when);
	if (now.hash != old->hash || now.size != old->size ||
	    now.mtime_ns != old->mtime_ns || now.ino != old->ino)
		return 0;
	qp_source_id seen = now;   /* old points into the table */
	int rc = qp_manifest_record(rn->manifest, source, &seen);
	if (rc && !rn->manifest_failed) {
		qp_diag("%s/.qpan-manifest: %s", rn->output_dir, strerror(rc));
		rn->manifest_failed = rn->failed = 1;
	}
	return 1;
}

/* --incremental: was this source, as it is now, read by an earlier run
 * whose output is still there?  text: a record's text (NULL for a
 * file).  Standard input as an operand is always read. */
static int up_to_date(run *rn, const char *source, const char *text,
                      size_t len)
{
	if (!rn->incremental || !rn->manifest)
		return 0;
	const qp_source_id *old = qp_manifest_find(rn->manifest, source);
	if (!old || (!text && !strcmp(source, "-")))
		return 0;
	if (text) {
		qp_source_id now;
		qp_source_id_text(&now, text, len);
		if (old->kind != QP_ID_TEXT || now.size != old->size ||
		    now.hash != old->hash)
			return 0;
	} else if (old->kind != QP_ID_FILE || !file_unchanged(rn, source, old)) {
		return 0;
	}
	char *name = qp_outdir_name(source, out_ext(rn), rn->records);
	int yes = name && qp_outdir_exists(rn->od, name);
	free(name);
	return yes;
}

static int submit_path(const char *path, int err, void *ctx)
{
	run *rn = ctx;
	if (!err && up_to_date(rn, path, NULL, 0))
		return 0;
	return qp_pool_file(rn->pool, path, err) != 0;
}

/* Feed NDJSON records from stdin to the pool. */
static void submit_records(qp_pool *pool, run *rn, const qp_pipeline_opts *po)
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
		if (rc < 0)   /* no id: not even it could be allocated */
			stop = qp_pool_failed(pool, id ? id : "-", why);
		else if (up_to_date(rn, id, text, len))
			free(text);
		else
			stop = qp_pool_bytes(pool, id, text, len);
		free(id);
		if (stop)
			break;
	}
	if (ferror(stdin)) {
		qp_diag("-: %s", strerror(errno));
		rn->failed = 1;
	}
	qp_records_free(&rs);
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
	if (rn.output_dir) {
		/* Another run writing here could mix its files with ours:
		 * refused.  A directory that cannot be made or opened fails
		 * each document with the reason, as before any lock. */
		rn.od = qp_outdir_open(rn.output_dir, &rn.od_err);
		if (!rn.od && rn.od_err == QP_OUTDIR_BUSY) {
			qp_diag("%s: another qpan run is writing here",
			        rn.output_dir);
			qp_codecs_free(codecs);
			qp_rules_free(rules);
			return 1;
		}
		int merr = 0;
		if (rn.od && !(rn.manifest = qp_manifest_open(rn.od, &merr))) {
			qp_diag("%s/.qpan-manifest: %s", rn.output_dir,
			        strerror(merr));
			rn.failed = 1;
		}
		if (rn.od)
			qp_outdir_catch_signals();
	}
	rn.progress = opt.progress && isatty(STDERR_FILENO);
	static char *stdin_operand[] = {"-"};
	char **ops = opt.noperands ? opt.operands : stdin_operand;
	int nops = opt.noperands ? opt.noperands : 1;
	if (rn.progress && opt.input == QP_INPUT_TEXT)
		for (int i = 0; i < nops; i++)
			qp_walk(ops[i], opt.glob, count_path, &rn.total);
	rn.start = now();

	/* Records are JSON strings, UTF-8 whatever --encoding says. */
	if (opt.input == QP_INPUT_NDJSON)
		enc = QP_ENC_UTF8;
	qp_pipeline_opts po = {rules, codecs, enc, opt.format, opt.explain,
	                       opt.max_bytes, opt.replace_invalid, opt.table};
	int tabular = opt.format == QP_OUT_TSV || opt.format == QP_OUT_CSV;
	rn.header = tabular ? qp_table_header(opt.table,
	                                      opt.format == QP_OUT_CSV) : NULL;
	qp_pool *pool = !tabular || rn.header ? qp_pool_new(jobs, &po, emit, &rn)
	                                      : NULL;
	rn.pool = pool;
	if (!pool) {
		free(rn.header);
		qp_diag("out of memory");
		qp_manifest_close(rn.manifest);
		qp_outdir_close(rn.od);
		qp_codecs_free(codecs);
		qp_rules_free(rules);
		return 1;
	}
	if (output_start(&rn)) {
		qp_diag("writing output: %s", strerror(errno));
		rn.out_failed = 1;
	} else if (opt.input == QP_INPUT_NDJSON) {
		submit_records(pool, &rn, &po);
	} else {
		for (int i = 0; i < nops && !rn.out_failed; i++)
			if (qp_walk(ops[i], opt.glob, submit_path, &rn))
				break;
	}
	if (qp_pool_finish(pool) && !rn.out_failed)
		rn.failed = 1;
	if (!rn.out_failed && (output_end(&rn) || fflush(stdout) == EOF)) {
		if (errno != EPIPE)
			qp_diag("writing output: %s", strerror(errno));
		rn.out_failed = 1;
	}
	if (rn.progress)
		show_progress(&rn, 1);
	int merr = qp_manifest_close(rn.manifest);
	if (merr) {
		qp_diag("%s/.qpan-manifest: %s", rn.output_dir, strerror(merr));
		rn.failed = 1;
	}
	qp_outdir_close(rn.od);
	free(rn.header);
	qp_codecs_free(codecs);
	qp_rules_free(rules);
	return rn.failed || rn.out_failed ? 1 : 0;
}
