/*
 * extract.h - the extraction stage: one function per field family, each
 * in its own file, each reading the document and writing its part of
 * the result.  They run in the order listed; a later family may read
 * what an earlier one wrote.
 */
#ifndef QPAN_EXTRACT_H
#define QPAN_EXTRACT_H

#include "doc.h"
#include "result.h"
#include "rules.h"

typedef struct {
	const qp_doc   *doc;
	const qp_rules *rules;
	qp_matcher     *m;
} qp_ctx;

/* header.c: title and publication date. */
int qp_extract_header(qp_ctx *c, qp_result *r);

/* Run every family in order.  Returns 0, or -1 when out of memory. */
int qp_extract(qp_ctx *c, qp_result *r);

#endif
