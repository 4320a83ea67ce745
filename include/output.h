/*
 * output.h - the output layer, the last stage: a result as one JSON
 * object (json.c, SPEC.md) or as the rows of a table, TSV or CSV
 * (table.c); and a document's decoded text as an NDJSON record (json.c,
 * --emit-records).  Depends on lib.h, text.h, doc.h and result.h; it
 * matches nothing.
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

/* The tables of --format tsv and csv (--table NAME), one row per item:
 * statistics (the default: source, meeting_date, category, value, unit,
 * approx, item, the columns TSV always had), officials, units, awards,
 * tasks, and documents (one row per document).  The others start with
 * source, meeting_date and province and end, where the item has a span,
 * with span_start and span_end (input bytes).  README "Tables" and
 * qpan(1) TABLES list every column; table.c holds each table's one list
 * of columns, which the header and the rows are both made from. */
enum {
	QP_TABLE_STATISTICS, QP_TABLE_OFFICIALS, QP_TABLE_UNITS,
	QP_TABLE_AWARDS, QP_TABLE_TASKS, QP_TABLE_DOCUMENTS,
	QP_NTABLES
};

/* A table's --table name (QP_TABLE_*), or NULL past the last; and the
 * table of a name, or -1. */
const char *qp_table_name(int table);
int         qp_table_find(const char *name);

/* The header row, and the rows of one document, of a table; csv 0: TSV
 * (tabs between fields, lines end with LF, tabs and line breaks inside a
 * field become spaces), csv 1: RFC 4180 CSV (commas, lines end with
 * CRLF, a field with a comma, quote, CR or LF quoted and its quotes
 * doubled).  Each a malloc'd string the caller frees ("" when the
 * document has no rows), or NULL when out of memory. */
char *qp_table_header(int table, int csv);
char *qp_render_table(const qp_doc *d, const qp_result *r, int table,
                      int csv);

/* --emit-records: {"id": id, "text": text} on one line, text a
 * NUL-ended UTF-8 string (not copied).  An id that is not UTF-8 comes
 * out as "source" does: "id" with U+FFFD, "id_base64" its bytes.  A
 * malloc'd string, or NULL when out of memory. */
char *qp_render_record(const char *id, const char *text);

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
