/*
 * doc.c - a document's lifetime: take the bytes, normalize, fold, free.
 */
#include <string.h>
#include <stdlib.h>

#include "doc.h"

void qp_doc_init(qp_doc *d, const char *source)
{
	memset(d, 0, sizeof *d);
	d->source = source;
	qp_text_init(&d->norm);
	qp_text_init(&d->fold);
}

qp_norm_status qp_doc_prepare(qp_doc *d, char *raw, size_t len, size_t *bad_at)
{
	d->raw = raw;
	d->raw_len = len;
	qp_norm_status st = qp_normalize(raw, len, &d->norm, bad_at);
	if (st != QP_NORM_OK)
		return st;
	if (qp_fold(&d->norm, &d->fold))
		return QP_NORM_NOMEM;
	return QP_NORM_OK;
}

void qp_doc_free(qp_doc *d)
{
	free(d->raw);
	qp_text_free(&d->norm);
	qp_text_free(&d->fold);
	d->raw = NULL;
}

size_t qp_text_lower_bound(const qp_text *t, size_t off)
{
	size_t lo = 0, hi = t->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->src[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
