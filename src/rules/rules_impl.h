/*
 * rules_impl.h - what the files of src/rules share and nothing outside
 * sees: the rule set's layout, a rule's private part, and the helpers
 * one file offers another.  Data flows load.c -> lexicon.c (lexicons)
 * -> compile.c (each rule, through macro.c and trie.c) -> match.c.
 */
#ifndef QPAN_RULES_IMPL_H
#define QPAN_RULES_IMPL_H

#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "lib.h"
#include "prefilter.h"
#include "rules.h"
#include "text.h"

#define MACRO_DEPTH 8
#define RULES_FILE_MAX (16u << 20)   /* bytes in one data file (qpan(1),
                                      * LIMITS) */
#define MATCH_LIMIT 1000000u
#define DEPTH_LIMIT 10000u

/* A data file: embedded, or read from --rules DIR. */
struct file {
	char  *name;   /* "rules/x.rules" */
	char  *data;
	size_t len;
	int    owned;  /* data was read from --rules DIR */
	int    added;  /* ... under a name no embedded file has */
};

struct macro {
	char *name;
	char *body;
};

struct qp_rule_example {
	char *text;        /* a sentence, as written under the rule */
	int   must_match;  /* "#=" 1, "#!" 0 */
};

/* What src/rules keeps per rule beyond the public fields.  Everything
 * is made while loading (qp_rules_load, which compiles every rule) and
 * only read afterwards, by any number of threads. */
struct qp_rule_x {
	pcre2_code     *re;       /* the final pattern, compiled */
	pcre2_code     *anch;     /* the same compiled anchored, for matching
	                           * only at a start string (match.c) */
	int             jit_ok, anch_jit_ok;   /* JIT code exists; else
	                                        * the interpreter runs it */
	qp_pf          *pf;       /* the rule set's prefilter */
	long            pfid;     /* this pattern's id in it */
	/* The final pattern text (expanded, folded) and its options. */
	char           *pattern;
	size_t          patlen;
	uint32_t        opts;
	char          **groups;   /* named groups of the pattern, each once */
	size_t          ngroups, capgroups;
	struct qp_rule_example *examples;   /* "#=" and "#!" lines */
	size_t          nexamples, capexamples;
};

/* PCRE2's memory while the rules are compiled (compile.c).  libpcre2
 * 10.42's JIT compiler can crash when an allocation of its own fails
 * (under `ulimit -v`, say) instead of reporting it; so while it runs,
 * an allocation that fails is served from a reserve set aside before,
 * and once that has happened no further rule is JIT-compiled: those
 * run in the interpreter, which reports a lack of memory properly.
 * Codes keep a pointer to this (their memory functions), so it lives
 * as long as the rule set. */
struct rules_mem {
	char  *reserve;     /* NULL: none could be had (no JIT at all) */
	size_t size, used;
	int    in_jit;      /* pcre2_jit_compile() is running */
	int    drawn;       /* the reserve was drawn on */
};

/* Families by name: every prefix of a rule id ending at a dot or at
 * its end, with the run qp_rules_family() returns for it. */
struct family {
	char           *name;
	size_t          len;
	const qp_rule **v;   /* its rules in file order, in fam_rules */
	size_t          n;
};

struct qp_rules {
	uint64_t     hash;    /* of the rule data loaded (qp_rules_hash) */
	char       **alt[2];  /* per lexicon and layer: its alternation text,
	                       * built on first use (the same lexicon is in
	                       * many patterns) */
	qp_rule     *rules;
	size_t       nrules, caprules;
	const qp_rule **fam_rules;  /* every family's rules, one slice each */
	struct family *fam;    /* hash table, nfam slots (a power of two) */
	size_t       nfam;
	qp_pf       *pf;
	qp_lexicon  *lex;
	size_t       nlex, caplex;
	size_t      *lex_added;   /* per lexicon, while loading: 1 + the index
	                           * of its file when that has a new name
	                           * (from DIR), else 0 */
	size_t       caplex_added;
	unsigned char *lex_used;    /* per lexicon: some {{name}} uses it */
	struct macro *macros;
	size_t       nmacros, capmacros;
	struct rules_mem mem;     /* see above; codes point to it */
};

/* load.c */
void rules_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The next line of f, every line (comments and blanks too), without its
 * line end (LF or CRLF): 1 with *line, *n (not NUL-terminated), 0 at
 * the end.  *pos starts at 0, *lineno counts lines read. */
int rules_line(const struct file *f, size_t *pos, size_t *lineno,
               const char **line, size_t *n);
int rules_ends_with(const char *s, const char *suf);
/* Is s[0..n) valid UTF-8?  (A fold or a key of valid UTF-8 that cannot
 * be made means memory ran out.) */
int rules_utf8_ok(const char *s, size_t n);

/* lexicon.c: read f into lx (zeroed); 0, or -1 when out of memory. */
int lexicon_load(qp_lexicon *lx, const struct file *f);
void lexicon_free(qp_lexicon *lx);
int lexicon_by_length_desc(const void *a, const void *b);

/* trie.c: append lexicon lx as a non-capturing alternation (layer < 0:
 * plain, no trie); 0, or -1 when out of memory. */
int lexicon_alternation(qp_sbuf *b, const qp_lexicon *lx, int layer);

/* macro.c: expand {{x}} in pat into out. */
int macro_expand(qp_rules *r, const char *pat, qp_sbuf *out, int depth,
           int layer, char *err, size_t errlen);
void macro_free_alts(qp_rules *r);

/* compile.c: expand, fold and record one rule's pattern; 0, or -1 with
 * err set. */
int rule_compile(qp_rules *r, qp_rule *rule, const char *pattern,
                 char *err, size_t errlen);
/* Compile every rule of r with PCRE2, plain and anchored, and JIT
 * compile both where that works: 0, or -1 with err set (a pattern
 * PCRE2 refuses, or out of memory). */
int rules_compile_all(qp_rules *r, char *err, size_t errlen);
/* Give back the reserve of r->mem when nothing was drawn from it. */
void rules_mem_release(qp_rules *r);
void rule_free(qp_rule *rule);
int families_build(qp_rules *r);

#endif
