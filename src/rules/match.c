/*
 * match.c - running rules (rules.h).
 *
 *   qp_matcher_scan(doc's fold, norm)   the prefilter records where the
 *                                       rules' literals occur
 *   qp_match_find(rule, text, a, b)     skip   when a literal every match
 *                                              needs is not in [a, b)
 *                                       starts when every match starts
 *                                              with one of a few strings:
 *                                              the anchored form, tried
 *                                              only where they occur
 *                                       plain  PCRE2 from a
 *   -> qp_match                         offsets copied out, in text
 *
 * The prefilter (prefilter.h) is seen by no other layer: its answer is
 * the one a plain scan gives, only cheaper.  A build with -DQP_PF_VERIFY
 * (the fuzzer's) runs the plain scan too and aborts when they differ.
 *
 * Every rule was compiled, and JIT-compiled where that worked, when
 * the rules were loaded (compile.c): nothing here compiles, so a rule
 * set is only read, by any number of threads.  JIT is an optimisation:
 * where it is unavailable the interpreter runs the same pattern.  A
 * rule that hits a match or depth limit, or fills the JIT stack,
 * matches nothing there (a bound by design); one that cannot run (PCRE2
 * out of memory) is an error, not "no match": the matcher
 * keeps it (qp_matcher_error) and matches nothing more until the next
 * document, which the caller then fails.  Build with -DQP_PROFILE for
 * cycles and calls per rule on stderr when a matcher is freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "rules_impl.h"

#ifdef QP_PROFILE
#include <x86intrin.h>
struct prof {
	unsigned long long cycles, calls, hits, bytes;
};
#endif

struct qp_matcher {
	const qp_rules      *rules;
	pcre2_match_data    *md;
	pcre2_match_context *mc;
	pcre2_jit_stack     *js;
	qp_pf_hits          *hits;
	const char          *scanned[2];   /* the fold and norm texts the hits
	                                    * are of, or NULL */
	int                  pairs;        /* of the last successful run */
	int                  failed;       /* a rule could not run: error */
	char                 error[640];
#ifdef QP_PROFILE
	struct prof         *prof;         /* per rule */
#endif
};

qp_matcher *qp_matcher_new(const qp_rules *r)
{
	qp_matcher *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->rules = r;
	m->md = pcre2_match_data_create(QP_MATCH_PAIRS, NULL);
	m->mc = pcre2_match_context_create(NULL);
	m->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	m->hits = qp_pf_hits_new();
#ifdef QP_PROFILE
	m->prof = calloc(r->nrules + 1, sizeof *m->prof);
	if (!m->prof) {
		qp_matcher_free(m);
		return NULL;
	}
#endif
	if (!m->md || !m->mc || !m->js || !m->hits) {
		qp_matcher_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mc, DEPTH_LIMIT);
	pcre2_jit_stack_assign(m->mc, NULL, m->js);
	return m;
}

void qp_matcher_free(qp_matcher *m)
{
	if (!m)
		return;
#ifdef QP_PROFILE
	for (size_t i = 0; m->prof && i < m->rules->nrules; i++)
		if (m->prof[i].calls)
			fprintf(stderr, "PROF %llu %llu %llu %llu %s\n",
			        m->prof[i].cycles, m->prof[i].calls, m->prof[i].hits,
			        m->prof[i].bytes, m->rules->rules[i].id);
	free(m->prof);
#endif
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	pcre2_jit_stack_free(m->js);
	qp_pf_hits_free(m->hits);
	free(m);
}

void qp_matcher_scan(qp_matcher *m, const char *fold, size_t flen,
                     const char *norm, size_t nlen)
{
	int ok = qp_pf_scan(m->rules->pf, fold, flen, norm, nlen, m->hits) == 0;
	m->scanned[QP_LAYER_FOLD] = ok ? fold : NULL;
	m->scanned[QP_LAYER_NORM] = ok ? norm : NULL;
	m->failed = 0;   /* a new document */
}

void qp_matcher_trim(qp_matcher *m)
{
	qp_pf_hits_trim(m->hits);
	m->scanned[0] = m->scanned[1] = NULL;
}

/* A rule that could not run on this document: keep the first such
 * error (qp_matcher_error) and stop matching until the next document. */
static void run_failed(qp_matcher *m, const qp_rule *rule, int rc)
{
	if (m->failed)
		return;
	m->failed = 1;
	PCRE2_UCHAR msg[200];
	if (rc == PCRE2_ERROR_NOMEMORY)
		snprintf((char *)msg, sizeof msg, "out of memory");
	else if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
		snprintf((char *)msg, sizeof msg, "PCRE2 error %d", rc);
	snprintf(m->error, sizeof m->error, "%s: %s: %s", rule->where, rule->id,
	         (char *)msg);
}

/* One PCRE2 run of the rule (anchored: only at `at`) on subject[0..len)
 * from at: 1 matched (in m->md), 0 not, -1 the rule could not run
 * (m->error says why). */
static int run(qp_matcher *m, const qp_rule *rule, int anchored,
               const char *subject, size_t len, size_t at)
{
	const struct qp_rule_x *x = rule->x;
	pcre2_code *re = anchored ? x->anch : x->re;
	int jit = anchored ? x->anch_jit_ok : x->jit_ok;
#ifdef QP_PROFILE
	unsigned long long t0 = __rdtsc();
#endif
	/* The JIT entry point skips pcre2_match's argument checks. */
	int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)subject, len, at, 0,
	                               m->md, m->mc)
	             : pcre2_match(re, (PCRE2_SPTR)subject, len, at,
	                           PCRE2_NO_UTF_CHECK, m->md, m->mc);
#ifdef QP_PROFILE
	struct prof *p = &m->prof[rule - m->rules->rules];
	p->cycles += __rdtsc() - t0;
	p->calls++;
	p->hits += rc >= 0;
	p->bytes += len - at;
#endif
	/* A limit hit is a bound by design (qpan(1), LIMITS): a rule that
	 * runs away on one sentence matches nothing there. */
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_MATCHLIMIT ||
	    rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return 0;
	if (rc < 0) {
		/* Out of memory, or anything else: not "no match", which
		 * would silently leave a fact out. */
		run_failed(m, rule, rc);
		return -1;
	}
	/* 0: more groups took part than the match data holds. */
	m->pairs = rc ? rc : QP_MATCH_PAIRS;
	return 1;
}

/* The match in m->md, moved by base, into out. */
static void take(const qp_matcher *m, const qp_rule *rule, size_t base,
                 qp_match *out)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	size_t n = (size_t)m->pairs;
	out->rule = rule;
	out->npairs = n < QP_MATCH_PAIRS ? n : QP_MATCH_PAIRS;
	for (size_t i = 0; i < 2 * out->npairs; i++)
		out->ov[i] = ov[i] == PCRE2_UNSET ? SIZE_MAX : ov[i] + base;
}

/* The prefilter's answer for [a, b) of the layer's text: 0 no match
 * can be there (or a rule could not run: m->failed), 1 a match was
 * found at a start string (in m->md), -1 no answer (run the plain
 * scan). */
static int filtered(qp_matcher *m, const qp_rule *rule, const char *text,
                    size_t a, size_t b)
{
	const struct qp_rule_x *x = rule->x;
	size_t n;
	uint32_t st;
	const uint32_t *cl = qp_pf_clauses(x->pf, x->pfid, &n, &st);
	/* No match can lack a required literal. */
	for (size_t i = 0; i < n; i++)
		if (!qp_pf_may(m->hits, cl[i], a, b))
			return 0;
	if (st == UINT32_MAX)
		return -1;
	/* Every match starts with one of the rule's start strings: try
	 * those places only, in order (the first that matches is where the
	 * scan from a would have matched first). */
	int rc = 0, more;
	size_t at[64], from = a;
	do {
		n = qp_pf_starts(m->hits, st, from, b, at, 64, &more);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = run(m, rule, 1, text + a, b - a, at[i] - a);
		if (n)
			from = at[n - 1] + 1;
	} while (rc == 0 && more && n);
	return rc < 0 ? 0 : rc;
}

#ifdef QP_PF_VERIFY
/* The fuzzer's check: the plain scan must give what the filter gave. */
static void verify(qp_matcher *m, const qp_rule *rule, const char *text,
                   size_t a, size_t b, int rc, const qp_match *got)
{
	size_t s0 = 0, e0 = 0, s1 = 0, e1 = 0;
	if (rc > 0) {
		s0 = got->ov[0];
		e0 = got->ov[1];
	}
	int rc2 = run(m, rule, 0, text + a, b - a, 0);
	if (rc2 > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		s1 = ov[0] + a;
		e1 = ov[1] + a;
	}
	if ((rc > 0) != (rc2 > 0) || s0 != s1 || e0 != e1) {
		fprintf(stderr, "PREFILTER WRONG: %s (%d %zu %zu vs %d %zu %zu) "
		        "on %.*s\n", rule->id, rc, s0, e0, rc2, s1, e1,
		        (int)(b - a), text + a);
		abort();
	}
}
#endif

int qp_match_find(qp_matcher *m, const qp_rule *rule, const char *text,
                  size_t a, size_t b, qp_match *out)
{
	if (a > b || m->failed)
		return 0;
	int rc = -1;
	if (text && text == m->scanned[rule->layer] && qp_pf_valid(m->hits)) {
		rc = filtered(m, rule, text, a, b);
#ifdef QP_PF_VERIFY
		qp_match got;
		if (rc > 0)
			take(m, rule, a, &got);
		if (rc >= 0 && !m->failed)
			verify(m, rule, text, a, b, rc, &got);
		if (rc > 0 && !m->failed)
			*out = got;
		return rc > 0 && !m->failed;
#endif
	}
	if (rc < 0)
		rc = run(m, rule, 0, text + a, b - a, 0);
	if (rc <= 0)
		return 0;
	take(m, rule, a, out);
	return 1;
}

const char *qp_matcher_error(const qp_matcher *m)
{
	return m->failed ? m->error : NULL;
}

int qp_match_group(const qp_match *mt, const char *name, size_t *s,
                   size_t *e)
{
	if (!name) {
		*s = mt->ov[0];
		*e = mt->ov[1];
		return 1;
	}
	/* The name table of the plain form (the anchored form numbers its
	 * groups the same). */
	const pcre2_code *re = mt->rule->x->re;
	/* A name may stand for several groups ((?J) or alternatives that
	 * each capture "d"): take the first that took part. */
	PCRE2_SPTR first, last;
	int size = pcre2_substring_nametable_scan(re, (PCRE2_SPTR)name, &first,
	                                          &last);
	if (size < 0)
		return 0;
	for (PCRE2_SPTR p = first; p <= last; p += size) {
		uint32_t n = ((uint32_t)p[0] << 8) | p[1];
		if (n < mt->npairs && mt->ov[2 * n] != SIZE_MAX) {
			*s = mt->ov[2 * n];
			*e = mt->ov[2 * n + 1];
			return 1;
		}
	}
	return 0;
}
