/*
 * records.h - documents that arrive as NDJSON records on a stream,
 * {"id": ..., "text": ...} one per line: the mapper contract of Hadoop
 * Streaming, Spark's RDD.pipe and GNU parallel --pipe.
 *
 *   stream --line (at most max_line bytes)--> one JSON object, nothing
 *   after it --> id and text, taken from the line as written --> checks
 *   (no NUL, UTF-8) --> a record, or a refusal naming its line
 */
#ifndef QPAN_RECORDS_H
#define QPAN_RECORDS_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	FILE  *in;
	size_t max_line;   /* longest line read (bytes before its LF; 0: no
	                    * limit); a longer one is skipped and refused,
	                    * nothing more than max_line bytes is held */
	int    replace_invalid; /* pass text that is not UTF-8 on (the
	                    * pipeline replaces its bad bytes); 0: refuse it */
	char  *line;       /* the current line, NUL-terminated, reused */
	size_t len, cap;
	size_t lineno;
	size_t id_len;     /* after a refusal: the length of the record's own
	                    * id at the start of *id ("ID: line LINE"), 0
	                    * when it had none ("-:LINE") */
} qp_records;

/* Read from `in`, with no line limit and invalid UTF-8 refused: set
 * max_line and replace_invalid after this to change that. */
void qp_records_init(qp_records *r, FILE *in);
void qp_records_free(qp_records *r);

/* The next record: 1 with *id (the "id" as a string: a number as it is
 * written on the line; a missing one becomes "text:" and 16 hex digits
 * of the 64-bit qp_hash_bytes of the text, the same in any split of the
 * stream, where a line number would repeat) and *text (its
 * UTF-8 bytes, *len, exactly as the JSON string says them) both
 * malloc'd; 0 at end of input; -1 for a line that is not such a record,
 * with *id naming it ("ID: line LINE", or "-:LINE" when it has no
 * usable id) and *why the reason (static).  *id is NULL only when
 * memory for the name ran out. */
int qp_records_next(qp_records *r, char **id, char **text, size_t *len,
                    const char **why);

#endif
