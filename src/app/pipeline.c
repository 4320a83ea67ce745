/*
 * pipeline.c - the stages for one document, wired in order (see
 * pipeline.h).  Every failure becomes one message naming the document.
 *
 * With --emit-records the stages stop after decoding: read -> decode
 * (or check the UTF-8) -> {"id", "text"} (record_bytes).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "doc.h"
#include "extract.h"
#include "lib.h"
#include "pipeline.h"
#include "output.h"
#include "walk.h"

/* "source: message" into a new string at *dst (NULL when out of
 * memory). */
static void vsay(char **dst, const char *source, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(source) + strlen(msg) + 3;
	*dst = malloc(n);
	if (*dst)
		snprintf(*dst, n, "%s: %s", source, msg);
}

__attribute__((format(printf, 3, 4)))
static void fail(qp_outcome *out, const char *source, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(&out->error, source, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warn(qp_outcome *out, const char *source, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(&out->warning, source, fmt, ap);
	va_end(ap);
}

/* --invalid replace: say what was replaced, "3 invalid UTF-8 bytes
 * replaced, first at byte offset 120" (UTF-16: code units).  0, or -1
 * when even that message could not be made. */
static int warn_replaced(qp_outcome *out, const char *source,
                         qp_encoding enc, size_t replaced, size_t first)
{
	if (!replaced)
		return 0;
	int utf16 = enc == QP_ENC_UTF16LE || enc == QP_ENC_UTF16BE;
	const char *name = enc == QP_ENC_UTF8 ? "UTF-8" : qp_encoding_name(enc);
	out->offset = (long long)first;
	warn(out, source, "%zu invalid %s %s%s replaced, first at byte offset "
	     "%zu", replaced, name, utf16 ? "code unit" : "byte",
	     replaced == 1 ? "" : "s", first);
	return out->warning ? 0 : -1;
}

/* --emit-records: raw (taken over) decoded as extraction would decode
 * it, and failing as it would (binary, invalid, out of memory), then
 * written as one record.  Only the text and the printed line are held
 * at the end: the input bytes go once they are decoded. */
static void record_bytes(const qp_pipeline_opts *o, const char *source,
                         char *raw, size_t len, qp_outcome *out)
{
	qp_text decoded;
	if (len > QP_DOC_DENSE_MAX)
		qp_text_init_runs(&decoded);
	else
		qp_text_init(&decoded);
	qp_encoding used = QP_ENC_UTF8;
	size_t bad = 0, replaced = 0;
	int dec = qp_decode(o->codecs, o->rules, raw, len, o->encoding,
	                    o->replace_invalid, &decoded, &used, &bad,
	                    &replaced);
	const char *text = dec == 1 ? decoded.s : raw;
	size_t n = dec == 1 ? decoded.len : len;
	if (dec == 1) {
		free(raw);
		raw = NULL;
	}
	/* What the normalizer would stop at: the first NUL or bad byte. */
	const char *nul = dec >= 0 ? memchr(text, 0, n) : NULL;
	size_t bad_utf8 = n;
	if (dec == 0 && !qp_utf8_valid(text, n, &bad_utf8) && nul &&
	    (size_t)(nul - text) > bad_utf8)
		nul = NULL;
	if (dec == -2) {
		fail(out, source, "out of memory");
	} else if (dec == -1 && used != QP_ENC_UTF8) {
		out->offset = (long long)bad;
		fail(out, source, "not valid %s at byte offset %zu",
		     qp_encoding_name(used), bad);
	} else if (dec == -1) {
		out->offset = (long long)bad;
		fail(out, source, "invalid UTF-8 at byte offset %zu", bad);
	} else if (nul) {
		size_t at = (size_t)(nul - text);
		at = dec == 1 ? qp_text_src(&decoded, at) : at;
		out->offset = (long long)at;
		fail(out, source, "binary file (NUL byte at offset %zu), not text",
		     at);
	} else if (bad_utf8 < n) {
		out->offset = (long long)bad_utf8;
		fail(out, source, "invalid UTF-8 at byte offset %zu", bad_utf8);
	} else if (warn_replaced(out, source, used, replaced, bad) ||
	           !(out->json = qp_render_record(source, text))) {
		free(out->warning);
		out->warning = NULL;
		fail(out, source, "out of memory");
	}
	free(raw);
	qp_text_free(&decoded);
}

void qp_pipeline_bytes(const qp_pipeline_opts *o, qp_matcher *m,
                       const char *source, char *raw, size_t len,
                       qp_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->offset = -1;
	out->bytes = len;
	qp_source_id_text(&out->id, raw, len);
	if (o->max_bytes && len > o->max_bytes) {
		fail(out, source, "document of %zu bytes is larger than the limit "
		     "of %zu bytes (--max-bytes)", len, o->max_bytes);
		free(raw);
		return;
	}
	if (o->emit_records) {
		record_bytes(o, source, raw, len, out);
		return;
	}
	qp_doc doc;
	qp_doc_init(&doc, source);
	doc.replace_invalid = o->replace_invalid;
	size_t bad = 0;
	qp_norm_status st = qp_doc_prepare(&doc, raw, len, o->codecs, o->rules,
	                                   o->encoding, &bad);
	if (st == QP_NORM_NUL || st == QP_NORM_BAD_UTF8)
		out->offset = (long long)bad;
	if (st == QP_NORM_NUL) {
		fail(out, source, "binary file (NUL byte at offset %zu), not text",
		     bad);
	} else if (st == QP_NORM_BAD_UTF8 && doc.encoding != QP_ENC_UTF8) {
		fail(out, source, "not valid %s at byte offset %zu",
		     qp_encoding_name(doc.encoding), bad);
	} else if (st == QP_NORM_BAD_UTF8) {
		fail(out, source, "invalid UTF-8 at byte offset %zu", bad);
	} else if (st != QP_NORM_OK ||
	           warn_replaced(out, source, doc.encoding, doc.replaced,
	                         doc.first_replaced)) {
		fail(out, source, "out of memory");
	} else {
		qp_sentences sents = {0};
		qp_result res;
		qp_result_init(&res);
		qp_matcher_scan(m, doc.fold.s, doc.fold.len, doc.norm.s,
		                doc.norm.len);
		int ok = qp_segment(&doc, &sents) == 0 &&
		         qp_extract(&doc, &sents, o->rules, m, &res) == 0;
		if (ok && qp_matcher_error(m)) {
			/* A rule could not run: what was found is not all. */
			fail(out, source, "rules: %s", qp_matcher_error(m));
			ok = 0;
		}
		if (ok) {
			qp_render_opts ro = {o->format == QP_OUT_PRETTY, o->explain};
			if (doc.norm.runs_mode) {
				/* A large document: what only extraction needed goes
				 * before the output is built beside the rest. */
				qp_matcher_trim(m);
				qp_sentences_free(&sents);
				qp_text_free(&doc.fold);
			}
			out->json = o->format == QP_OUT_TSV ||
			            o->format == QP_OUT_CSV
			                ? qp_render_table(&doc, &res, o->table,
			                                  o->format == QP_OUT_CSV)
			                : qp_render(&doc, &res, &ro);
		}
		if (!out->json) {
			if (!out->error)
				fail(out, source, "out of memory");
			free(out->warning);
			out->warning = NULL;
		}
		qp_result_free(&res);
		qp_sentences_free(&sents);
	}
	qp_doc_free(&doc);
}

void qp_pipeline_file(const qp_pipeline_opts *o, qp_matcher *m,
                      const char *path, int err, qp_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->offset = -1;
	if (err == QP_WALK_DIR_LOOP) {
		fail(out, path, "directory loop (a symbolic link leads back to a "
		     "directory above it)");
		return;
	}
	if (err == QP_WALK_STDIN_TAKEN) {
		fail(out, path, "standard input is read once, and it is already "
		     "taken (--files-from -, a - operand or an earlier -)");
		return;
	}
	if (err == QP_WALK_NOT_REGULAR) {
		fail(out, path, "not a regular file (a FIFO, socket or device), "
		     "skipped");
		return;
	}
	if (err) {
		fail(out, path, "%s", strerror(err));
		return;
	}
	char *raw;
	size_t len;
	/* The identity is taken as the file is read (manifest.h): its
	 * fstat from before the first byte, and the bytes themselves. */
	struct timespec when;
	struct stat st;
	clock_gettime(CLOCK_REALTIME, &when);
	int rc = qp_read_file_stat(path, o->max_bytes, &raw, &len, &st);
	if (rc == EFBIG) {
		/* Known by its size and times, not its bytes (manifest.h). */
		qp_source_id_file(&out->id, &st, &when);
		fail(out, path, "larger than the limit of %zu bytes (--max-bytes)",
		     o->max_bytes);
		return;
	}
	if (rc) {
		fail(out, path, "%s", strerror(rc));
		return;
	}
	qp_pipeline_bytes(o, m, path, raw, len, out);   /* hashes raw */
	qp_source_id_file(&out->id, &st, &when);
}

void qp_outcome_free(qp_outcome *out)
{
	free(out->json);
	free(out->error);
	free(out->warning);
	out->json = out->error = out->warning = NULL;
}
