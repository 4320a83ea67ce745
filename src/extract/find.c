/*
 * find.c - rules found one sentence at a time (extractor.h).  A sentence
 * is known by its range in norm and in fold; a rule runs on the range of
 * its layer, from `from` on, and a fold match is mapped back to norm
 * through the fold's offset map.  The matcher below (rules.h) decides
 * how cheaply it can answer; this file only chooses the text and range.
 */
#include <stdint.h>
#include <string.h>

#include "extractor.h"

int qp_find(const qp_ctx *c, const qp_rule *rule, const qp_sentence *s,
            size_t from, qp_match *out)
{
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
	return qp_match_find(c->m, rule, t->s, a, b, out);
}

int qp_find_family(const qp_ctx *c, const char *family, const qp_sentence *s,
                   size_t from, qp_match *out)
{
	const qp_rule *const *rules;
	size_t n = qp_rules_family(c->rules, family, &rules);
	for (size_t i = 0; i < n; i++)
		if (qp_find(c, rules[i], s, from, out))
			return 1;
	return 0;
}

int qp_found(const qp_ctx *c, const qp_match *m, const char *group,
             size_t *s, size_t *e)
{
	size_t a, b;
	if (!qp_match_group(m, group, &a, &b))
		return 0;
	if (m->rule->layer == QP_LAYER_FOLD) {
		a = qp_text_src(&c->doc->fold, a);
		b = qp_text_src(&c->doc->fold, b);
	}
	*s = a;
	*e = b;
	return 1;
}

int qp_same_text(const void *doc, qp_span a, qp_span b)
{
	const qp_doc *d = doc;
	return a.e - a.s == b.e - b.s &&
	       !memcmp(d->norm.s + a.s, d->norm.s + b.s, a.e - a.s);
}

uint64_t qp_hash_span(const qp_doc *d, uint64_t h, qp_span a)
{
	return qp_hash_bytes(h, d->norm.s + a.s, a.e - a.s);
}

long qp_found_int(const qp_ctx *c, const qp_match *m, const char *group)
{
	size_t s, e;
	if (!qp_found(c, m, group, &s, &e) || s == e || e - s > 9)
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
