/*
 * extractor.h - what every extractor of src/extract sees: the context
 * of one document, and rules found sentence by sentence (find.c).
 *
 *   qp_match m;
 *   if (qp_find_family(c, "meeting.host.active", s, from, &m)) {
 *           size_t a, b;
 *           if (qp_found(c, &m, "host", &a, &b))  ... norm[a..b) ...
 *           r->rule = m.rule->id;
 *   }
 *
 * qp_find() hides the layer: a fold rule runs on the sentence's fold
 * text, a norm rule on its norm text, and qp_found() always answers in
 * norm offsets.  A match is the caller's value: nothing is remembered
 * between calls.  The extractors are listed in families.h.
 */
#ifndef QPAN_EXTRACTOR_H
#define QPAN_EXTRACTOR_H

#include "doc.h"
#include "extract.h"
#include "lib.h"
#include "result.h"
#include "rules.h"
#include "text.h"

typedef struct {
	const qp_doc       *doc;
	const qp_sentences *sents;
	const qp_rules     *rules;
	qp_matcher         *m;
} qp_ctx;

/* Find `rule` in sentence s at or after norm offset `from` (the match
 * cannot look before from, and "^" means from).  1 with *out, or 0. */
int qp_find(const qp_ctx *c, const qp_rule *rule, const qp_sentence *s,
            size_t from, qp_match *out);
/* The first rule of `family` (in file order) that matches. */
int qp_find_family(const qp_ctx *c, const char *family, const qp_sentence *s,
                   size_t from, qp_match *out);
/* Norm bounds of a named group of m (NULL: the whole match); 0 when the
 * group did not take part. */
int qp_found(const qp_ctx *c, const qp_match *m, const char *group,
             size_t *s, size_t *e);
/* A group of m parsed as a non-negative integer (digits only, at most 9
 * of them), or -1. */
long qp_found_int(const qp_ctx *c, const qp_match *m, const char *group);

/* Are norm[a) and norm[b) the same bytes?  (doc: a const qp_doc *, so
 * that it serves as a qp_push_unique() context too.) */
int qp_same_text(const void *doc, qp_span a, qp_span b);
/* h continued over the bytes of norm[a): qp_same_text's key hashed. */
uint64_t qp_hash_span(const qp_doc *d, uint64_t h, qp_span a);

/* Page furniture (page.c).  Does a rule of `family` ("page.furniture",
 * "page.caption", "page.topic") match the norm line [ls, le) whole? */
int qp_page_line_is(const qp_ctx *c, const char *family, size_t ls,
                    size_t le);
/* qp_page_line_is() for the whole line that norm offset `at` is on. */
int qp_page_on_line(const qp_ctx *c, const char *family, size_t at);
/* The sentences of `all` that are not on a furniture line, into *out
 * (initialised with {0}; the caller frees it): 0, or -1 (memory). */
int qp_page_content(const qp_ctx *c, const qp_sentences *all,
                    qp_sentences *out);

/* The extractors, one a file, declared from the families table. */
#define QP_FAMILY_DECLARE(name, fn) int fn(qp_ctx *c, qp_result *r);
#include "families.h"
QP_FAMILIES(QP_FAMILY_DECLARE)
#undef QP_FAMILY_DECLARE

#endif
