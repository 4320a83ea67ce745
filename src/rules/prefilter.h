/*
 * prefilter.h - literals a rule cannot match without, found in one pass.
 *
 * Most rules cannot match most sentences: "chủ trì" is not there, no
 * rank is named.  When a rule is compiled its pattern is read for the
 * literal strings every match must contain: a list of clauses, each a
 * set of strings of which at least one occurs inside the match
 * ("{{ranks}}\s+{{name}}" needs one of the ranks).  A pattern it cannot
 * read (back references, conditionals, inline options, ...) simply gets
 * no clauses, and a clause is only kept when all its strings are at
 * least two bytes long.  Fold-layer rules match caselessly, so their
 * literals and the text they are looked for in are lower-cased; only
 * letters whose case partners are the plain upper/lower pair (ASCII and
 * the precomposed Latin letters of Vietnamese) are used, and a document
 * holding U+017F or U+212A (which match "s" and "k" caselessly) is not
 * filtered at all.
 *
 * Per document, one pass of an Aho-Corasick automaton over the fold
 * (and one over norm, when norm rules have literals) records where each
 * clause's strings occur.  qp_find() then skips a rule in a range that
 * lacks any of its clauses: the same answer PCRE2 would have given, for
 * a binary search instead of a backtracking scan.
 *
 * A qp_pf is read-only once built and shared by threads; each thread
 * scans into its own qp_pf_hits, reused from document to document.
 *
 * The code is in pf_*.c beside this header: pf_read.c reads patterns,
 * pf_build.c keeps the clauses and builds the automata, pf_scan.c scans
 * and answers; pf_impl.h shows how the files fit together.
 */
#ifndef QPAN_PREFILTER_H
#define QPAN_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

typedef struct qp_pf qp_pf;
typedef struct qp_pf_hits qp_pf_hits;

qp_pf *qp_pf_new(void);
void   qp_pf_free(qp_pf *pf);
/* Add a (final, folded) pattern of layer 0 (fold: caseless) or 1
 * (norm); returns its id, or -1 when out of memory.  Patterns are read
 * and the automata built when the first document is scanned (or at
 * qp_pf_build), so a run that reads nothing pays nothing. */
long qp_pf_add(qp_pf *pf, const char *pattern, size_t len, int layer);
/* Read the patterns and build the automata, once (thread-safe; later
 * calls return at once); 0, or -1 when out of memory. */
int qp_pf_build(qp_pf *pf);
/* After qp_pf_build: pattern id's clause ids (*n of them: every match
 * satisfies each) and *starts, the clause holding the strings every
 * match starts with (UINT32_MAX: none known). */
const uint32_t *qp_pf_clauses(const qp_pf *pf, long id, size_t *n,
                              uint32_t *starts);
/* Number of clauses and literals (for the curious). */
size_t qp_pf_nclauses(const qp_pf *pf);

qp_pf_hits *qp_pf_hits_new(void);
void        qp_pf_hits_free(qp_pf_hits *h);
/* Give back the memory of the last scan (after a large document); the
 * hits then say nothing until the next scan. */
void        qp_pf_hits_trim(qp_pf_hits *h);
/* Record the clauses' literals in a document's fold and norm texts.
 * Returns 0, or -1 when the document is not filtered (out of memory,
 * over 4 GiB, holding a character the lower-casing cannot handle, or
 * among the first 16 KB of a run, before the automata are built):
 * qp_pf_may() then answers yes to everything. */
int qp_pf_scan(qp_pf *pf, const char *fold, size_t flen,
               const char *norm, size_t nlen, qp_pf_hits *h);
/* Might clause c be satisfied in [a, b) of its layer: does one of its
 * strings lie wholly inside? */
int qp_pf_may(const qp_pf_hits *h, uint32_t c, size_t a, size_t b);
/* Is h a scanned document (the answers above mean something)? */
int qp_pf_valid(const qp_pf_hits *h);
/* For a start clause c: the first offset >= from where one of its
 * strings starts and ends by b, or (size_t)-1. */
size_t qp_pf_next(const qp_pf_hits *h, uint32_t c, size_t from, size_t b);
/* The same for up to max of them at once: the offsets >= from where a
 * string of c starts and ends by b, ascending, no repeats, into out;
 * returns how many, *more set when there are others after the last. */
size_t qp_pf_starts(const qp_pf_hits *h, uint32_t c, size_t from, size_t b,
                    size_t *out, size_t max, int *more);

#endif
