/*
 * segment.h - cut a document into sentences.
 *
 * A sentence ends at a line break, or at ". ", "! ", "? " or "…" when
 * the next word starts with a capital letter, a digit or a quote (so
 * "4.000", "37,5" and "TP. Huế" stay whole).  Each sentence is known by
 * its range in norm and in fold.  Extractors work sentence by sentence,
 * so no rule ever scans across a sentence boundary, and work stays
 * linear in the document's length.
 */
#ifndef QPAN_SEGMENT_H
#define QPAN_SEGMENT_H

#include <stddef.h>

#include "doc.h"

typedef struct {
	size_t ns, ne;   /* [ns, ne) in norm, trimmed of surrounding space */
	size_t fs, fe;   /* the same sentence in fold */
	size_t line;     /* 0-based index of the line it starts on */
} qp_sentence;

typedef struct {
	qp_sentence *v;
	size_t       n, cap;
} qp_sentences;

/* Segment d into s (initialised with {0}); returns 0 or -1 (memory). */
int  qp_segment(const qp_doc *d, qp_sentences *s);
void qp_sentences_free(qp_sentences *s);
/* A pseudo-sentence over any norm range, so that rules can be run on a
 * part of a sentence (a list of hosts, a title). */
qp_sentence qp_sentence_of(const qp_doc *d, size_t ns, size_t ne);
/* Clauses: the parts of norm[*pos..end) between semicolons, leading
 * spaces skipped.  Sets *cl to the next clause and advances *pos past
 * it; returns 0 when there is none left.
 *
 *   size_t pos = s->ns;  qp_sentence cl;
 *   while (qp_next_clause(d, &pos, s->ne, &cl)) ...                  */
int qp_next_clause(const qp_doc *d, size_t *pos, size_t end, qp_sentence *cl);
/* The sentence containing norm offset off, or NULL. */
const qp_sentence *qp_sentence_at(const qp_sentences *s, size_t off);

#endif
