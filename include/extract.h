/*
 * extract.h - the extraction layer: one document's sentences in, its
 * qp_result (result.h) out.
 *
 *   qp_extract()        runs every field family in the order of the
 *                       families table (src/extract/families.h), each
 *                       in its own file, each writing its part of the
 *                       result; a later family may read what an earlier
 *                       one wrote (the meeting sentence, places named).
 *   qp_extract_check()  checks a rule set against that table: every
 *                       rule's family is known, it has the capture
 *                       groups its extractor reads, and no other.
 *
 * Depends on lib.h, text.h, rules.h, doc.h and result.h.
 */
#ifndef QPAN_EXTRACT_H
#define QPAN_EXTRACT_H

#include <stddef.h>

#include "doc.h"
#include "result.h"
#include "rules.h"

/* Extract everything from d (segmented into sents) into r (initialised
 * with qp_result_init), matching with m, which the caller has scanned
 * over d (qp_matcher_scan) or not.  0, or -1 when out of memory. */
int qp_extract(const qp_doc *d, const qp_sentences *sents,
               const qp_rules *rules, qp_matcher *m, qp_result *r);

/* 0 when every rule of `rules` belongs to a family of the table and
 * names exactly the groups it may; else -1 and a message in err naming
 * the rule's file and line and the unknown or missing name. */
int qp_extract_check(const qp_rules *rules, char *err, size_t errlen);

#endif
