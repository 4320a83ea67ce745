/*
 * doc.c - a document's lifetime: take the bytes, decode them when they
 * are not UTF-8, normalize, fold, free.  A document over
 * QP_DOC_DENSE_MAX bytes keeps run maps (text.h): it then costs about
 * three times its size instead of twenty.
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

qp_norm_status qp_doc_prepare(qp_doc *d, char *raw, size_t len,
                              const qp_codecs *codecs, const qp_rules *rules,
                              qp_encoding want, size_t *bad_at)
{
	d->raw = raw;
	d->raw_len = len;
	if (len > QP_DOC_DENSE_MAX) {
		qp_text_free(&d->norm);
		qp_text_free(&d->fold);
		qp_text_init_runs(&d->norm);
		qp_text_init_runs(&d->fold);
	}
	d->encoding = QP_ENC_UTF8;
	qp_norm_status st;
	int dec = 0;
	qp_text decoded;
	qp_text_init(&decoded);
	if (codecs) {
		dec = qp_decode(codecs, rules, raw, len, want, d->replace_invalid,
		                &decoded, &d->encoding, bad_at, &d->replaced);
		if (dec < 0) {
			qp_text_free(&decoded);
			return dec == -2 ? QP_NORM_NOMEM : QP_NORM_BAD_UTF8;
		}
		if (d->replaced)
			d->first_replaced = *bad_at;
	}
	if (dec == 1) {
		/* Normalize the decoded text, then send its offsets on to the
		 * input bytes through the decoder's map. */
		st = qp_normalize(decoded.s, decoded.len, &d->norm, bad_at);
		if (st == QP_NORM_OK && qp_text_remap(&d->norm, &decoded))
			st = QP_NORM_NOMEM;
		else if (st != QP_NORM_OK && st != QP_NORM_NOMEM &&
		         *bad_at <= decoded.len)
			*bad_at = qp_text_src(&decoded, *bad_at);
	} else {
		st = qp_normalize(raw, len, &d->norm, bad_at);
	}
	qp_text_free(&decoded);
	if (st != QP_NORM_OK)
		return st;
	if (d->norm.runs_mode) {
		/* A large document: nothing reads the input bytes again, and
		 * the texts need no room to grow. */
		free(d->raw);
		d->raw = NULL;
		qp_text_shrink(&d->norm);
	}
	if (qp_fold(&d->norm, &d->fold))
		return QP_NORM_NOMEM;
	qp_text_shrink(&d->fold);
	return QP_NORM_OK;
}

void qp_doc_free(qp_doc *d)
{
	free(d->raw);
	qp_text_free(&d->norm);
	qp_text_free(&d->fold);
	d->raw = NULL;
}
