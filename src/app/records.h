/*
 * records.h - documents that arrive as NDJSON records on a stream,
 * {"id": ..., "text": ...} one per line: the mapper contract of Hadoop
 * Streaming, Spark's RDD.pipe and GNU parallel --pipe.
 */
#ifndef QPAN_RECORDS_H
#define QPAN_RECORDS_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
	FILE  *in;
	char  *line;       /* getline buffer, reused */
	size_t cap;
	size_t lineno;
} qp_records;

void qp_records_init(qp_records *r, FILE *in);
void qp_records_free(qp_records *r);

/* The next record: 1 with *id (the "id" as a string: a number is
 * printed, a missing id becomes "-:LINE") and *text (UTF-8 bytes, *len)
 * both malloc'd; 0 at end of input; -1 for a line that is not such a
 * record, with *id naming it and *why the reason (static). */
int qp_records_next(qp_records *r, char **id, char **text, size_t *len,
                    const char **why);

#endif
