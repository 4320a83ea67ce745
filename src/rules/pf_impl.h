/*
 * pf_impl.h - what the files of the literal prefilter (prefilter.h)
 * share and nothing else sees.  Data flows:
 *
 *   qp_pf_add(pattern)        pf_build.c   kept as given
 *   qp_pf_build, once         pf_build.c   (by the first scan to need it)
 *     pattern -> pf_read()    pf_read.c    the syntax, on the algebra of
 *                                          parts (pf_info.c) over string
 *                                          sets and clauses (pf_strset.c)
 *       -> start strings, clauses ("{{ranks}}\s+{{name}}": the ranks)
 *     -> clause ids, literal groups, an automaton per layer (pf_build.c)
 *   qp_pf_scan(fold, norm)    pf_scan.c    the fold lower-cased as it is
 *                                          read (pf_case.c)
 *     -> occurrences per literal group, by end
 *   qp_pf_may/next/starts     pf_scan.c    galloping searches in them
 *
 * Every function one file offers another is named pf_*.
 */
#ifndef QPAN_PF_IMPL_H
#define QPAN_PF_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lib.h"
#include "prefilter.h"

#define CLAUSE_MAX  400   /* strings in one clause */
#define LIT_MIN     2     /* bytes in the shortest useful literal */
#define LIT_MAX     200   /* bytes kept of a literal (< the scan's ring) */
#define OUT_FLAG    0x80000000u  /* in a transition: the state has outputs */

/* --- lower-casing that keeps byte lengths (pf_case.c) --------------- */

/* Build the tables (once; before anything below is used). */
void   pf_case_init(void);
/* Lower-case the literal character b[0..n) of a caseless pattern in
 * place ("Đ" -> "đ"); 0 when its case partners are not the plain pair,
 * so it cannot be looked for. */
int    pf_lower_lit(unsigned char *b, size_t n);
/* Lower-case the text's character at p in place (n bytes available);
 * its length, or 0 for one that makes the document unfilterable. */
size_t pf_lower_char(unsigned char *p, size_t n);

/* --- string sets and clauses (pf_strset.c) -------------------------- */

typedef struct {
	char  **v;
	size_t  n, cap;
} strset;

/* A conjunction of clauses, each a set of strings one of which occurs
 * in every match. */
typedef struct {
	strset *v;
	size_t  n, cap;
} cnf;

#define SET_EMPTY {NULL, 0, 0}
#define CNF_EMPTY {NULL, 0, 0}

/* What s held, leaving it empty (t = pf_set_move(&x.ex)). */
static inline strset pf_set_move(strset *s)
{
	strset t = *s;
	*s = (strset)SET_EMPTY;
	return t;
}
static inline cnf pf_cnf_move(cnf *c)
{
	cnf t = *c;
	*c = (cnf)CNF_EMPTY;
	return t;
}

void   pf_set_free(strset *s);
int    pf_set_has(const strset *s, const char *x);
/* Append a copy of x (n bytes), duplicates and all (pf_set_norm after). */
int    pf_set_push(strset *s, const char *x, size_t n);
/* Sort and drop duplicates. */
void   pf_set_norm(strset *s);
/* Add a copy of x (n bytes) unless present. */
int    pf_set_add(strset *s, const char *x, size_t n);
/* s = {x} (s need not be initialized). */
int    pf_set_single(strset *s, const char *x, size_t n);
/* out = a x b, normalized: {"ông ", "bà "} x {"an"} = {"bà an",
 * "ông an"}. */
int    pf_set_product(const strset *a, const strset *b, strset *out);
size_t pf_set_minlen(const strset *s);
int    pf_set_copy(const strset *a, strset *out);
void   pf_cnf_free(cnf *c);
/* Take over clause s when it is useful (else free it). */
int    pf_cnf_take(cnf *c, strset *s);
/* Is clause a a better filter than b? */
int    pf_better(const strset *a, const strset *b);

/* --- parts of a pattern (pf_info.c) --------------------------------- */

typedef struct {
	int    exact;     /* ex holds every string the part can match */
	strset ex;
	cnf    req;       /* otherwise: clauses every match satisfies, */
	int    nullable;  /* whether it can match the empty string, */
	int    pre_ok;    /* and when this is set, */
	strset pre;       /* strings every non-empty match starts with */
} info;

struct qp_pf;

typedef struct {
	const unsigned char *p, *end;
	int caseless;
	int bail;
	int oom;
	struct qp_pf *pf;   /* for its memo of groups already read */
} reader;

/* A part of a sequence, for the prefixes of the whole. */
typedef struct {
	int    ok, nullable;
	strset pre;
} elem;

typedef struct {
	elem  *v;
	size_t n, cap;
} elems;

void pf_info_free(info *x);
/* A part about which nothing is known: it may match anything, even
 * nothing, and needs nothing. */
info pf_info_any(void);
/* One character not known in advance (a class, ".", \w ...). */
info pf_info_anychar(void);
/* Exactly the empty string (an anchor, a lookaround). */
info pf_info_empty(reader *r);
/* The literal character p[0..n) as it is looked for, into b; 0 when it
 * cannot be. */
int  pf_lit_char(const reader *r, const unsigned char *p, size_t n,
                 unsigned char *b);
/* A literal character (UTF-8 bytes p[0..n)). */
info pf_info_char(reader *r, const unsigned char *p, size_t n);
/* The strings every non-empty match of x starts with, copied into out;
 * 0 when not known, -1 out of memory.  *nullable: whether x can match
 * nothing. */
int  pf_get_pre(const info *x, strset *out, int *nullable);
/* The clauses of x (its exact set as one clause), taken from it. */
cnf  pf_to_req(reader *r, info *x);
int  pf_info_copy(const info *a, info *out);
/* x{min,max} (max -1: no limit); x is consumed. */
info pf_quantify(reader *r, info x, long min, long max);
void pf_elems_add(reader *r, elems *es, const info *x);
/* An exact set as a part (s stays the caller's). */
void pf_elems_add_set(reader *r, elems *es, const strset *s);
/* The prefixes of the whole sequence into x; es is emptied. */
void pf_elems_finish(reader *r, elems *es, info *x);
/* The alternation of br[0..nb) (consumed, br freed). */
info pf_info_alt(reader *r, info *br, size_t nb);

/* --- the reader (pf_read.c) ----------------------------------------- */

/* Read pattern (pat, len) of layer: *starts, the strings every match
 * starts with when they are good ones to start at (else empty), and
 * *needs, its clauses (none when it cannot be read).  0, or -1 when
 * out of memory (both empty then). */
int  pf_read(struct qp_pf *pf, const char *pat, size_t len, int layer,
             strset *starts, cnf *needs);
/* Forget the groups read so far (after the last pattern). */
void pf_memo_free(struct qp_pf *pf);

/* --- the registry and the automata (pf_build.c) --------------------- */

typedef struct {
	int      layer;
	int      prefix;   /* a rule's start strings */
	char   **lits;     /* sorted */
	size_t   n;
	uint32_t *groups;  /* the literal groups it is made of (below) */
	size_t   ngroups, capgroups;
} clause;

/* One layer's automaton. */
typedef struct {
	char    **lits;       /* distinct literals */
	size_t    nlits;
	uint32_t *lit_len;
	uint32_t *cl_start;   /* literal i's clauses: cl[cl_start[i]..[i+1]) */
	uint32_t *cl;
	unsigned char cls[256];   /* byte -> class */
	size_t    nclass;
	uint32_t *group;      /* literal -> its group */
	size_t    ngroups;
	uint32_t *next;       /* nstates x nclass */
	uint32_t *out_start;  /* state s outputs lit ids out[out_start[s]..] */
	uint32_t *out;
	size_t    nstates;
} automaton;

/* A group of a pattern already read: its text and what it gave. */
typedef struct {
	unsigned char *key;
	size_t         n;
	int            caseless;
	info           val;
} memo_ent;

/* A pattern as given, and what reading it found. */
typedef struct {
	char     *pat;
	size_t    len;
	int       layer;
	uint32_t *clauses;
	size_t    nclauses;
	uint32_t  starts;
} pattern;

struct qp_pf {
	pattern  *pats;     /* read when the first document is scanned */
	size_t    npats, cappats;
	atomic_int built;   /* 1 built, -1 failed (no filtering) */
	atomic_size_t seen; /* bytes of fold scanned before it was built */
	pthread_mutex_t lock;
	clause   *cl;
	size_t    ncl, capcl;
	automaton au[2];
	memo_ent *memo;     /* groups read so far (while patterns are read) */
	size_t    nmemo, capmemo;
};

#ifdef QP_PF_DEBUG
/* Print clause c on stderr (from a debugger, or a test). */
void qp_pf_dump(const qp_pf *pf, uint32_t c);
#endif

#endif
