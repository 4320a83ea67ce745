/*
 * extract.c - run the field families in order (see extract.h), the
 * sentence-scoped matching helpers they share, and the result's
 * lifetime.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

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
	if (!qp_match(c->m, rule, t->s + a, b - a, 0))
		return 0;
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
		a = c->doc->fold.src[a];
		b = c->doc->fold.src[b];
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
