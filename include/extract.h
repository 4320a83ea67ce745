/*
 * extract.h - the extraction stage: one function per field family, each
 * in its own file, each reading the document and writing its part of
 * the result.  They run in the order listed; a later family may read
 * what an earlier one wrote (the meeting sentence, the places named).
 *
 * Rules are matched one sentence at a time through qp_find(), which
 * hides the layer: a fold rule runs on the sentence's fold text, a norm
 * rule on its norm text, and qp_found() always answers in norm offsets.
 * When the context has the document's prefilter hits (prefilter.h),
 * qp_find() skips a rule whose needed literals are not in the range and
 * tries a rule with start strings only where they occur; the answer is
 * the one a plain scan gives.
 */
#ifndef QPAN_EXTRACT_H
#define QPAN_EXTRACT_H

#include "doc.h"
#include "result.h"
#include "rules.h"
#include "segment.h"

typedef struct {
	const qp_doc       *doc;
	const qp_sentences *sents;
	const qp_rules     *rules;
	qp_matcher         *m;
	const qp_rule      *last;   /* rule of the last successful qp_find */
	const qp_sentence  *in;     /* and the sentence it matched in */
	size_t              base;   /* layer offset of that sentence */
	const struct qp_pf_hits *hits;  /* the document's literals, or NULL:
	                                 * qp_find skips a rule whose required
	                                 * literals are not in the range */
} qp_ctx;

/* Find `rule` in sentence s at or after norm offset `from`.  Returns 1
 * and remembers the match for qp_found(), or 0. */
int qp_find(qp_ctx *c, const qp_rule *rule, const qp_sentence *s, size_t from);
/* Norm bounds of a named group of the last match (NULL: whole match). */
int qp_found(const qp_ctx *c, const char *group, size_t *s, size_t *e);
/* Find any rule of `family` in s (rules tried in order; first wins). */
int qp_find_family(qp_ctx *c, const char *family, const qp_sentence *s,
                   size_t from);
/* A group of the last match parsed as a non-negative integer (digits
 * only, at most 9 of them), or -1. */
long qp_found_int(const qp_ctx *c, const char *group);

/* header.c: title and publication date. */
int qp_extract_header(qp_ctx *c, qp_result *r);
/* meeting.c: date, time of day, years, organizers, locality. */
int qp_extract_meeting(qp_ctx *c, qp_result *r);

/* officials.c: people with a rank or title, merged, with roles. */
int qp_extract_officials(qp_ctx *c, qp_result *r);

/* units.c: forces and commands, with abbreviations expanded. */
int qp_extract_units(qp_ctx *c, qp_result *r);

/* statistics.c: counted facts, values normalized, with categories. */
int qp_extract_statistics(qp_ctx *c, qp_result *r);

/* awards.c: commendations with their counts. */
int qp_extract_awards(qp_ctx *c, qp_result *r);

/* tasks.c: directions for the coming year, one clause each. */
int qp_extract_tasks(qp_ctx *c, qp_result *r);

/* Run every family in order.  Returns 0, or -1 when out of memory. */
int qp_extract(qp_ctx *c, qp_result *r);

#endif
