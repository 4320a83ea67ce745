/*
 * extract.c - run the field families in order (see extract.h), the
 * sentence-scoped matching helpers they share, and the result's
 * lifetime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "prefilter.h"

int qp_find(qp_ctx *c, const qp_rule *rule, const qp_sentence *s, size_t from)
{
	/* The subject starts at `from`, so "^" means "here" and a rule never
	 * looks outside the sentence. */
	int fold = rule->layer == QP_LAYER_FOLD;
	const qp_text *t = fold ? &c->doc->fold : &c->doc->norm;
	size_t a = fold ? s->fs : s->ns;
	size_t b = fold ? s->fe : s->ne;
	if (from > s->ns) {
		size_t f = fold ? qp_text_lower_bound(&c->doc->fold, from) : from;
		if (f > b)
			return 0;
		a = f;
	}
	/* No match can lack a required literal: skip PCRE2 when one is
	 * missing from the range (a failed match leaves the last one's
	 * groups alone either way). */
	if (c->hits && qp_pf_valid(c->hits)) {
		size_t n;
		const uint32_t *cl = qp_rule_clauses(rule, &n);
		for (size_t i = 0; i < n; i++)
			if (!qp_pf_may(c->hits, cl[i], a, b)) {
#ifdef QP_PF_VERIFY
				/* Check the prefilter: PCRE2 must agree. */
				if (qp_match(c->m, rule, t->s + a, b - a, 0)) {
					fprintf(stderr, "PREFILTER WRONG: %s on %.*s\n",
					        rule->id, (int)(b - a), t->s + a);
					abort();
				}
#endif
				return 0;
			}
		/* Every match starts with one of the rule's start strings:
		 * try those places only, in order (the first that matches is
		 * where the scan from a would have matched first). */
		uint32_t st = qp_rule_starts(rule);
		if (st != UINT32_MAX) {
			int rc = 0, more;
			size_t at[64], n, from = a;
			do {
				n = qp_pf_starts(c->hits, st, from, b, at, 64, &more);
				for (size_t i = 0; i < n && !rc; i++)
					rc = qp_match_at(c->m, rule, t->s + a, b - a, at[i] - a);
				if (n)
					from = at[n - 1] + 1;
			} while (!rc && more && n);
#ifdef QP_PF_VERIFY
			if (rc >= 0) {
				size_t s0 = 0, e0 = 0;
				if (rc)
					qp_group(c->m, rule, NULL, &s0, &e0);
				int rc2 = qp_match(c->m, rule, t->s + a, b - a, 0);
				size_t s1 = 0, e1 = 0;
				if (rc2)
					qp_group(c->m, rule, NULL, &s1, &e1);
				if (rc != rc2 || s0 != s1 || e0 != e1) {
					fprintf(stderr, "STARTS WRONG: %s (%d %zu %zu vs %d %zu %zu) "
					        "on %.*s\n", rule->id, rc, s0, e0, rc2, s1, e1,
					        (int)(b - a), t->s + a);
					abort();
				}
			}
#endif
			if (rc == 0)
				return 0;
			if (rc > 0)
				goto found;
		}
	}
	if (!qp_match(c->m, rule, t->s + a, b - a, 0))
		return 0;
found:
	c->last = rule;
	c->in = s;
	c->base = a;
	return 1;
}

int qp_found(const qp_ctx *c, const char *group, size_t *s, size_t *e)
{
	size_t a, b;
	if (!c->last || !qp_group(c->m, c->last, group, &a, &b))
		return 0;
	a += c->base;
	b += c->base;
	if (c->last->layer == QP_LAYER_FOLD) {
		a = qp_text_src(&c->doc->fold, a);
		b = qp_text_src(&c->doc->fold, b);
	}
	*s = a;
	*e = b;
	return 1;
}

int qp_find_family(qp_ctx *c, const char *family, const qp_sentence *s,
                   size_t from)
{
	const qp_rule *const *rules;
	size_t n = qp_rules_family(c->rules, family, &rules);
	for (size_t i = 0; i < n; i++)
		if (qp_find(c, rules[i], s, from))
			return 1;
	return 0;
}

long qp_found_int(const qp_ctx *c, const char *group)
{
	size_t s, e;
	if (!qp_found(c, group, &s, &e) || s == e || e - s > 9)
		return -1;
	long v = 0;
	for (size_t i = s; i < e; i++) {
		char ch = c->doc->norm.s[i];
		if (ch < '0' || ch > '9')
			return -1;
		v = v * 10 + (ch - '0');
	}
	return v;
}

void qp_result_init(qp_result *r)
{
	memset(r, 0, sizeof *r);
}

void qp_result_free(qp_result *r)
{
	for (size_t i = 0; i < r->meeting.norganizers; i++)
		free(r->meeting.organizers[i]);
	free(r->meeting.organizers);
	for (size_t i = 0; i < r->nofficials; i++)
		free(r->officials[i].key);
	free(r->officials);
	for (size_t i = 0; i < r->nunits; i++) {
		free(r->units[i].name);
		free(r->units[i].canonical);
		free(r->units[i].key);
	}
	free(r->units);
	free(r->stats);
	free(r->awards);
	free(r->tasks);
	qp_result_init(r);
}

int qp_extract(qp_ctx *c, qp_result *r)
{
	if (qp_extract_header(c, r) || qp_extract_meeting(c, r) ||
	    qp_extract_officials(c, r) || qp_extract_units(c, r) ||
	    qp_extract_statistics(c, r) || qp_extract_awards(c, r) ||
	    qp_extract_tasks(c, r))
		return -1;
	return 0;
}
