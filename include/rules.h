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
 * each thread matches with its own qp_matcher.  Files of src/rules:
 * load.c (the overlay and the passes), lexicon.c, trie.c and macro.c
 * (what {{x}} becomes), compile.c (a rule, and the families index),
 * match.c (the matcher), and pf_*.c, the literal prefilter, private to
 * the matcher (prefilter.h).  Depends on lib.h and text.h; PCRE2 is
 * seen only inside src/rules.
 */
#ifndef QPAN_RULES_H
#define QPAN_RULES_H

#include <stddef.h>
#include <stdint.h>

enum { QP_LAYER_FOLD, QP_LAYER_NORM };

struct qp_rule_x;

typedef struct {
	char       *id;     /* stable name, e.g. "meeting.date.daymonth" */
	int         layer;  /* QP_LAYER_FOLD or QP_LAYER_NORM */
	char       *where;  /* "rules/meeting.rules:12": its file and line */
	struct qp_rule_x *x;   /* private to src/rules: compiled code,
	                        * literals, group names */
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
/* A 64-bit hash of all the rule data loaded (file names and bytes, the
 * built-in ones and --rules DIR's): equal hashes, the same rules. */
uint64_t  qp_rules_hash(const qp_rules *r);

/* The rules whose id is `family` or starts with `family.`, in file
 * order: returns how many, and sets *first to an array of pointers
 * that lives as long as the rule set. */
size_t qp_rules_family(const qp_rules *r, const char *family,
                       const qp_rule *const **first);
/* A lexicon by name, or NULL. */
const qp_lexicon *qp_rules_lexicon(const qp_rules *r, const char *name);
/* Is s[0..n) an entry of lx, compared by lower-cased fold ("Hoà" finds
 * "hòa")?  Returns the entry's index (the first in the file of equal
 * ones), or -1 (also when out of memory). */
long qp_lexicon_find(const qp_lexicon *lx, const char *s, size_t n);
/* Every entry of lx whose fold is that of s[0..n): a table may hold a
 * key on several rows (ten provinces have a district "Châu Thành").
 * Returns how many (0: none, or lx is NULL), -1 when out of memory;
 * they are lx->key_index[*first] ... lx->key_index[*first + count - 1],
 * in file order:
 *
 *   size_t k;
 *   long n = qp_lexicon_find_all(districts, "Châu Thành",
 *                              strlen("Châu Thành"), &k);
 *   for (long i = 0; i < n; i++)
 *           province = districts->values[districts->key_index[k + i]];
 */
long qp_lexicon_find_all(const qp_lexicon *lx, const char *s, size_t n,
                         size_t *first);
/* The keys of lx that start with key[0..n), a comparison key already
 * (qp_fold_key): how many, from lx->keys[*first] on; those equal to it
 * come first.  For a lookup that grows a word at a time and stops when
 * no key starts so ("Hà" -> "hà giang", "hà nam" ...; "Hà Văn": none). */
size_t qp_lexicon_prefixed(const qp_lexicon *lx, const char *key, size_t n,
                           size_t *first);
/* Number of rules loaded, and the i-th in file order. */
size_t qp_rules_count(const qp_rules *r);
const qp_rule *qp_rules_at(const qp_rules *r, size_t i);
/* The named capture groups of a rule's expanded pattern ("d", "m"),
 * in the order they are written, each once: *n of them. */
const char *const *qp_rule_groups(const qp_rule *rule, size_t *n);
/* The i-th example written under a rule in its file ("#= sentence" it
 * must match: *must_match 1; "#! sentence" it must not: 0), or NULL
 * past the last. */
const char *qp_rule_example(const qp_rule *rule, size_t i, int *must_match);

/* --- matching (match.c) ------------------------------------------------ */

/* Per-thread matching state (PCRE2 match data with backtracking limits,
 * a JIT stack, and the prefilter's record of the document being read).
 * A qp_rules is shared by threads; a qp_matcher is not. */
typedef struct qp_matcher qp_matcher;

qp_matcher *qp_matcher_new(const qp_rules *r);
void        qp_matcher_free(qp_matcher *m);
/* Start a document: its fold and norm texts are read once for the
 * literals the rules need.  qp_match_find() on those same texts (the
 * same pointers) then skips a rule that cannot match a range.  Without
 * this call, or on other texts, every rule is simply run. */
void qp_matcher_scan(qp_matcher *m, const char *fold, size_t flen,
                     const char *norm, size_t nlen);
/* Give back the memory of the last scan (after a large document). */
void qp_matcher_trim(qp_matcher *m);

/* One match, owned by the caller: the offsets of every group that took
 * part, in the text the match was found in. */
#define QP_MATCH_PAIRS 64
typedef struct {
	const qp_rule *rule;
	size_t         npairs;                  /* groups 0 .. npairs - 1 */
	size_t         ov[2 * QP_MATCH_PAIRS];  /* SIZE_MAX: did not take part */
} qp_match;

/* Find the first match of `rule` in text[a..b): "^" matches at a, and
 * nothing outside [a, b) is seen.  Returns 1 and fills *out, or 0 when
 * there is none (or a limit was hit: a rule that runs away matches
 * nothing); *out is untouched then.  A rule that could not run at all
 * (out of memory) returns 0 too, and every later call until the next
 * qp_matcher_scan(): qp_matcher_error() then says why, and the caller
 * must fail the document rather than print what it has. */
int qp_match_find(qp_matcher *m, const qp_rule *rule, const char *text,
                  size_t a, size_t b, qp_match *out);
/* "FILE:LINE: ID: reason" for the rule that could not run on this
 * document, or NULL when every rule ran. */
const char *qp_matcher_error(const qp_matcher *m);
/* Bounds of the whole match (name NULL) or of a named group; returns 0
 * and leaves *s, *e alone when the group did not take part. */
int qp_match_group(const qp_match *mt, const char *name, size_t *s,
                   size_t *e);

#endif
