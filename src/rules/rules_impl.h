/*
 * rules_impl.h - what the files of src/rules share and nothing outside
 * sees: the rule set's layout, a rule's private part, and the helpers
 * one file offers another.  Data flows load.c -> lexicon.c (lexicons)
 * -> compile.c (each rule, through macro.c and trie.c) -> match.c.
 */
#ifndef QPAN_RULES_IMPL_H
#define QPAN_RULES_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "lib.h"
#include "prefilter.h"
#include "rules.h"
#include "text.h"

#define MACRO_DEPTH 8
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

/* What src/rules keeps per rule beyond the public fields. */
struct qp_rule_x {
	atomic_int      jitted;   /* compiled and JIT compiled (or tried) */
	pthread_mutex_t lock;     /* held while compiling */
	pcre2_code     *re;       /* compiled on first use (match.c) */
	qp_pf          *pf;       /* the rule set's prefilter */
	long            pfid;     /* this pattern's id in it */
	/* The final pattern text (expanded, folded), compiled on first use;
	 * compiled anchored too, for matching at start strings only. */
	char           *pattern;
	size_t          patlen;
	uint32_t        opts;
	atomic_int      anch_state;   /* 0 not yet, 1 ready, -1 failed */
	pcre2_code     *anch;
	int             jit_ok, anch_jit_ok;   /* JIT code exists */
	char          **groups;   /* named groups of the pattern, each once */
	size_t          ngroups, capgroups;
	struct qp_rule_example *examples;   /* "#=" and "#!" lines */
	size_t          nexamples, capexamples;
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

/* lexicon.c */
int lexicon_load(qp_lexicon *lx, const struct file *f);
void lexicon_free(qp_lexicon *lx);
int lexicon_by_length_desc(const void *a, const void *b);

/* trie.c: append lexicon lx as a non-capturing alternation (layer < 0:
 * plain, no trie). */
int lexicon_alternation(qp_sbuf *b, const qp_lexicon *lx, int layer);

/* macro.c: expand {{x}} in pat into out. */
int macro_expand(qp_rules *r, const char *pat, qp_sbuf *out, int depth,
           int layer, char *err, size_t errlen);
void macro_free_alts(qp_rules *r);

/* compile.c: expand, fold and record one rule's pattern (compiled by
 * PCRE2 now when eager, else on first use); 0, or -1 with err set. */
int rule_compile(qp_rules *r, qp_rule *rule, const char *pattern,
                 int eager, char *err, size_t errlen);
/* PCRE2's code for the rule's final pattern (anchored: matching only
 * at the start offset), or NULL with err set. */
pcre2_code *rule_pcre2(const qp_rule *rule, int anchored, char *err,
                       size_t errlen);
void rule_free(qp_rule *rule);
int families_build(qp_rules *r);

#endif
