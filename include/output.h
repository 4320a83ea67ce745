/*
 * output.h - the output layer, the last stage: a result as one JSON
 * object (json.c, SPEC.md) or as TSV rows (tsv.c); and a document's
 * decoded text as an NDJSON record (json.c, --emit-records).  Depends on lib.h,
 * text.h, doc.h and result.h; it matches nothing.
 */
#ifndef QPAN_OUTPUT_H
#define QPAN_OUTPUT_H

#include "doc.h"
#include "result.h"

typedef struct {
	int pretty;    /* indented for people; otherwise one line (NDJSON) */
	int explain;   /* add "rule": the id of the rule behind each item */
} qp_render_opts;

/* Render the document's object; a malloc'd string the caller frees, or
 * NULL when out of memory. */
char *qp_render(const qp_doc *d, const qp_result *r, const qp_render_opts *o);

/* The TSV header and the rows for one document (one per statistic:
 * source, meeting date, category, value, unit, approx, item), every row
 * ending in a newline; "" when there are none.  Tabs and line breaks in
 * fields become spaces. */
extern const char qp_tsv_header[];

/* --emit-records: {"id": id, "text": text} on one line, text a
 * NUL-ended UTF-8 string (not copied).  An id that is not UTF-8 comes
 * out as "source" does: "id" with U+FFFD, "id_base64" its bytes.  A
 * malloc'd string, or NULL when out of memory. */
char *qp_render_record(const char *id, const char *text);
char *qp_render_tsv(const qp_doc *d, const qp_result *r);

/* A message as one JSON line (--errors json), without the newline:
 * {"source": ..., KEY: text, "offset": N or null} (offset < 0: null),
 * source as in the output objects (source_base64 beside it when it is
 * not UTF-8), null when source is NULL (a message about the run, not a
 * document).  malloc'd, or NULL when out of memory. */
char *qp_render_message(const char *source, const char *key,
                        const char *text, long long offset);

/* A run's figures (--stats). */
typedef struct {
	size_t read, up_to_date, failed, still_failing, pruned;
	double bytes, seconds;
} qp_run_stats;
/* {"stats": {"read": N, "up_to_date": N, "failed": N, "still_failing":
 * N, "pruned": N, "bytes": N, "seconds": X, "mb_per_s": X}}, one line
 * without the newline (malloc'd, or NULL when out of memory). */
char *qp_render_stats(const qp_run_stats *st);

#endif
