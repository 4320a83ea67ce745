/*
 * print.h - the last stage: a result as one JSON object (SPEC.md).
 */
#ifndef QPAN_PRINT_H
#define QPAN_PRINT_H

#include "doc.h"
#include "result.h"

/* Render the document's object; a malloc'd string the caller frees, or
 * NULL when out of memory.  pretty: indented for people; otherwise one
 * line (NDJSON). */
char *qp_render(const qp_doc *d, const qp_result *r, int pretty);

#endif
