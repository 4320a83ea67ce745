/*
 * doc.h - one document as it moves through the pipeline.
 *
 *   raw  --normalize-->  norm  --fold-->  fold
 *
 * The document owns all three; qp_doc_free() releases them.
 */
#ifndef QPAN_DOC_H
#define QPAN_DOC_H

#include <stddef.h>

#include "encoding.h"
#include "normalize.h"
#include "text.h"

/* Documents up to this size keep dense offset maps (norm.src[] and
 * fold.src[] can be indexed); larger ones keep run maps, where src is
 * NULL and only qp_text_src() reads the map (text.h).  Code that should
 * work on any document uses qp_text_src(). */
#define QP_DOC_DENSE_MAX ((size_t)1 << 20)

typedef struct {
	const char *source;  /* the path as given, "-" for stdin (not owned) */
	char       *raw;     /* the input bytes as given (NULL once a
	                      * document over QP_DOC_DENSE_MAX is prepared) */
	size_t      raw_len;
	qp_encoding encoding; /* what the bytes were read as */
	qp_text     norm;    /* NFC; norm.src -> raw offsets */
	qp_text     fold;    /* matching form; fold.src -> norm offsets */
} qp_doc;

void qp_doc_init(qp_doc *d, const char *source);
/* Take ownership of raw[0..len), decode it when it is not UTF-8 (codecs
 * may be NULL: UTF-8 only), and build norm and fold.  On a bad document
 * returns the status and sets *bad_at to the input offset. */
qp_norm_status qp_doc_prepare(qp_doc *d, char *raw, size_t len,
                              const qp_codecs *codecs, const qp_rules *rules,
                              qp_encoding want, size_t *bad_at);
void qp_doc_free(qp_doc *d);

/* The first byte of t whose source offset is >= off (binary search:
 * src is non-decreasing).  Maps a norm offset to a fold offset. */
size_t qp_text_lower_bound(const qp_text *t, size_t off);

#endif
