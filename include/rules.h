/*
 * rules.h - the rule and lexicon data, compiled once per process.
 *
 * Data lives in data/ and is embedded in the binary at build time:
 *
 *   rules/NAME.rules   one rule a line:  ID <TAB> LAYER <TAB> PATTERN
 *                      LAYER is "fold" (one tone placement, plain dashes
 *                      and quotes; matched caselessly, but \p{Lu} still
 *                      asks for a capital) or "norm" (NFC, case-sensitive).
 *                      An ID starting with "@" defines a macro instead.
 *   lexicon/NAME.txt   one entry a line (a word list)
 *   lexicon/NAME.tsv   KEY <TAB> VALUE [<TAB> VALUE2] a line (a table)
 *
 * Lines starting with "#" and blank lines are ignored.  In a pattern,
 * {{x}} is replaced by macro @x or, failing that, by lexicon x as an
 * alternation of its entries (longest first, spaces matching any run of
 * white space).  `--rules DIR` reads DIR/rules/NAME.rules and
 * DIR/lexicon/NAME.*: a file there replaces the embedded file of the same
 * name, and a new name adds to the set.
 *
 * A compiled qp_rules is read-only after loading, so threads share it;
 * each thread matches with its own qp_matcher.
 */
#ifndef QPAN_RULES_H
#define QPAN_RULES_H

#include <stddef.h>
#include <stdint.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum { QP_LAYER_FOLD, QP_LAYER_NORM };

struct qp_rule_x;

typedef struct {
	char       *id;     /* stable name, e.g. "meeting.date.daymonth" */
	int         layer;  /* QP_LAYER_FOLD or QP_LAYER_NORM */
	pcre2_code *re;     /* JIT-compiled on first use (qp_match) */
	struct qp_rule_x *x;   /* private to rules.c: JIT state, literals */
} qp_rule;

typedef struct {
	char  *name;        /* file name without extension */
	char **entries;     /* lexicon entries, or KEY entries of a table */
	char **values;      /* VALUE column of a table; NULL for a list */
	char **values2;     /* third column ("" where a line has none) */
	size_t n;
	char **keys;        /* folded lower-case entries, sorted, for lookup */
	size_t *key_index;  /* keys[i] is the fold of entries[key_index[i]] */
	size_t nkeys;
} qp_lexicon;

typedef struct qp_rules qp_rules;

/* Load the embedded data, overridden by `dir` when not NULL.  On failure
 * returns NULL and writes a one-line reason to err. */
qp_rules *qp_rules_load(const char *dir, char *err, size_t errlen);
void      qp_rules_free(qp_rules *r);

/* The rules whose id is `family` or starts with `family.`, in file
 * order: returns how many, and sets *first to an array of pointers
 * that lives as long as the rule set. */
size_t qp_rules_family(const qp_rules *r, const char *family,
                       const qp_rule *const **first);
/* A lexicon by name, or NULL. */
const qp_lexicon *qp_rules_lexicon(const qp_rules *r, const char *name);
/* Is s[0..n) an entry of lx, compared by lower-cased fold ("Hoà" finds
 * "hòa")?  Returns the entry's index, or -1. */
long qp_lexicon_find(const qp_lexicon *lx, const char *s, size_t n);
/* Number of rules loaded. */
size_t qp_rules_count(const qp_rules *r);
const qp_rule *qp_rules_at(const qp_rules *r, size_t i);

/* The literal prefilter of the rule set (prefilter.h), and the clause
 * ids of one rule: every match of the rule satisfies every clause. */
struct qp_pf;
struct qp_pf *qp_rules_prefilter(const qp_rules *r);
const uint32_t *qp_rule_clauses(const qp_rule *rule, size_t *n);
/* The clause of the strings every match of the rule starts with, or
 * UINT32_MAX. */
uint32_t qp_rule_starts(const qp_rule *rule);

/* Per-thread matching state: match data large enough for every rule,
 * a match context with backtracking limits, a JIT stack, and the
 * prefilter's hits for the document being read (reused). */
struct qp_pf_hits;
typedef struct {
	pcre2_match_data   *md;
	pcre2_match_context *mc;
	pcre2_jit_stack    *js;
	struct qp_pf_hits  *hits;
} qp_matcher;

int  qp_matcher_init(qp_matcher *m);
void qp_matcher_free(qp_matcher *m);

/* Find the next match of `rule` in subject[0..len) at or after `from`.
 * Returns 1 with the match in m->md, 0 when there is none (or a limit
 * was hit: a rule that runs away matches nothing). */
int qp_match(qp_matcher *m, const qp_rule *rule, const char *subject,
             size_t len, size_t from);
/* A match of `rule` starting exactly at subject[at] (the pattern
 * compiled anchored; look-behinds still see subject[0..at)).  Returns 1
 * with the match in m->md, 0 when there is none, -1 when the rule has
 * no anchored form (use qp_match). */
int qp_match_at(qp_matcher *m, const qp_rule *rule, const char *subject,
                size_t len, size_t at);
/* Bounds of the whole match (group 0) or of a named group; returns 0
 * and leaves *s, *e alone when the group did not take part. */
int qp_group(const qp_matcher *m, const qp_rule *rule, const char *name,
             size_t *s, size_t *e);

#endif
