/*
 * pipeline.h - one document from path (or bytes) to its output line.
 *
 *   read -> normalize/fold -> segment -> extract -> render
 *   read -> decode -> record               (--emit-records)
 *
 * The outcome is plain data (the JSON text or an error message, and a
 * warning beside the JSON) so that a worker thread can produce it and
 * the writer print it later, in input order.  Nothing here touches
 * stdout or stderr.
 */
#ifndef QPAN_PIPELINE_H
#define QPAN_PIPELINE_H

#include <stddef.h>

#include "doc.h"
#include "manifest.h"
#include "rules.h"

/* What one document's output looks like: in the order of --format's
 * words in optlist.h, which parse to it. */
enum { QP_OUT_NDJSON, QP_OUT_JSON, QP_OUT_PRETTY, QP_OUT_TSV, QP_OUT_CSV };

typedef struct {
	const qp_rules  *rules;
	const qp_codecs *codecs;     /* legacy encoding tables */
	qp_encoding      encoding;   /* --encoding */
	int              format;     /* QP_OUT_* */
	int              explain;    /* add the rule id to every item */
	size_t           max_bytes;  /* refuse larger documents; 0: no limit */
	int              replace_invalid; /* --invalid replace: bytes not valid
	                              * in the encoding become U+FFFD */
	int              emit_records; /* --emit-records: decode only, and
	                              * json is the {"id", "text"} record */
	int              table;      /* QP_TABLE_* (output.h), for tsv and csv */
} qp_pipeline_opts;

typedef struct {
	char *json;    /* the output (object, or TSV or CSV rows), or NULL
	                * (malloc'd) */
	char *error;   /* "PATH: reason" when the document failed (malloc'd);
	                * json and error both NULL: it failed for want of
	                * memory, even for the message */
	char *warning; /* "PATH: what was repaired" beside json, or NULL:
	                * "N invalid UTF-8 bytes replaced, first at byte
	                * offset K" (malloc'd) */
	long long offset;  /* the byte offset error or warning names (the
	                * NUL, the first invalid byte), or -1 */
	size_t bytes;  /* input size, for throughput figures */
	qp_source_id id;   /* the source as read (--incremental) */
} qp_outcome;

/* Read path ("-" is stdin) and run it through the pipeline.  `err` is
 * nonzero when the walker already knows the path failed (ELOOP ...). */
void qp_pipeline_file(const qp_pipeline_opts *o, qp_matcher *m,
                      const char *path, int err, qp_outcome *out);
/* Run bytes already in memory (taken over: freed by the pipeline),
 * named `source` in the output. */
void qp_pipeline_bytes(const qp_pipeline_opts *o, qp_matcher *m,
                       const char *source, char *raw, size_t len,
                       qp_outcome *out);
void qp_outcome_free(qp_outcome *out);

#endif
