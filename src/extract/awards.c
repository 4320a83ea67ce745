/*
 * awards.c - commendations (rules: award.*; lexicon award_forms).
 *
 * A sentence that mentions an award is cut into clauses at ";".  In a
 * clause, forms, titles and issuers are attributes and counts of
 * collectives ("tập thể") and individuals ("cá nhân") make awards: a
 * count of a kind the current award already has starts the next award,
 * which takes the attributes last seen before it.  A clause with
 * attributes (a form, a title or an issuer) but no count is one award
 * with no counts; one with several titles is one award per title.  Identical awards in a
 * document are kept once.
 */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"

#define MAX_ITEMS 64

/* One thing read from a clause, in text order. */
typedef struct {
	size_t      at;
	enum { IT_FORM, IT_TITLE, IT_ISSUER, IT_COLL, IT_INDIV } kind;
	qp_span     span;
	const char *form;
	long        n;
	const char *rule;
} item;

static int cmp_items(const void *a, const void *b)
{
	size_t x = ((const item *)a)->at, y = ((const item *)b)->at;
	return x < y ? -1 : x > y;
}

/* The same award told twice: same form, counts, title and issuer. */
static int same_award(const void *doc, const void *a, const void *b)
{
	const qp_award *x = a, *y = b;
	return x->form == y->form && x->collectives == y->collectives &&
	       x->individuals == y->individuals &&
	       qp_same_text(doc, x->title, y->title) &&
	       qp_same_text(doc, x->issuer, y->issuer);
}

/* same_award's key hashed: equal awards hash alike. */
static uint64_t award_hash(const qp_doc *d, const qp_award *aw)
{
	uint64_t h = qp_hash_bytes(QP_HASH_SEED, &aw->form, sizeof aw->form);
	h = qp_hash_bytes(h, &aw->collectives, sizeof aw->collectives);
	h = qp_hash_bytes(h, &aw->individuals, sizeof aw->individuals);
	h = qp_hash_span(d, h, aw->title);
	return qp_hash_span(d, h, aw->issuer);
}

static int add_award(qp_ctx *c, qp_result *r, qp_uniq *seen,
                     const qp_award *aw)
{
	return qp_push_unique(&r->awards, &r->nawards, &r->capawards,
	                      sizeof *r->awards, aw, award_hash(c->doc, aw), seen,
	                      same_award, c->doc) < 0
	       ? -1 : 0;
}

/* Collect every match of one rule family into items. */
static void collect(qp_ctx *c, const qp_sentence *cl, const char *family,
                    int kind, const char *group, item *items, size_t *n)
{
	qp_match mt;
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, family, &rules);
	const qp_lexicon *forms = qp_rules_lexicon(c->rules, "award_forms");
	for (size_t k = 0; k < nr; k++) {
		size_t from = cl->ns;
		while (*n < MAX_ITEMS && from < cl->ne &&
		       qp_find(c, rules[k], cl, from, &mt)) {
			size_t ms, me;
			qp_found(c, &mt, NULL, &ms, &me);
			from = me > from ? me : from + 1;
			item it = {0};
			it.kind = kind;
			it.rule = rules[k]->id;
			if (!qp_found(c, &mt, group, &it.span.s, &it.span.e))
				continue;
			it.at = it.span.s;
			if (kind == IT_COLL)
				it.span.e = me;   /* "12 cá nhân", not "12" */
			if (kind == IT_FORM) {
				long f = qp_lexicon_find(forms, c->doc->norm.s + it.span.s,
				                         it.span.e - it.span.s);
				if (f < 0)
					continue;
				it.form = forms->entries[f];
			} else if (kind == IT_COLL) {
				size_t ks, ke, ns, ne;
				double v;
				/* "1.785 cá nhân": the one number parser reads it. */
				qp_found(c, &mt, "n", &ns, &ne);
				if (vn_number_parse(c->doc->norm.s + ns, ne - ns, &v) ||
				    v < 0 || v > 1e7 || v != (double)(long)v)
					continue;
				it.n = (long)v;
				if (qp_found(c, &mt, "individual", &ks, &ke))
					it.kind = IT_INDIV;
			}
			items[(*n)++] = it;
		}
	}
}

static void clear_award(qp_award *aw, size_t at)
{
	memset(aw, 0, sizeof *aw);
	aw->span.s = at;
	aw->collectives = aw->individuals = -1;
}

static int read_clause(qp_ctx *c, qp_result *r, qp_uniq *seen,
                       const qp_sentence *cl)
{
	item items[MAX_ITEMS];
	size_t n = 0;
	collect(c, cl, "award.form", IT_FORM, "form", items, &n);
	collect(c, cl, "award.title", IT_TITLE, "title", items, &n);
	collect(c, cl, "award.issuer", IT_ISSUER, "issuer", items, &n);
	collect(c, cl, "award.count", IT_COLL, "n", items, &n);
	if (n == 0)
		return 0;
	qsort(items, n, sizeof *items, cmp_items);

	/* The attributes in force, and the award being filled. */
	const char *form = NULL;
	qp_span title = {0, 0}, issuer = {0, 0};
	qp_award cur;
	int open = 0, titles = 0, counted = 0;
	clear_award(&cur, cl->ns);
	for (size_t i = 0; i < n; i++) {
		item *it = &items[i];
		switch (it->kind) {
		case IT_FORM: form = it->form; break;
		case IT_TITLE: title = it->span; titles++; break;
		case IT_ISSUER: issuer = it->span; break;
		case IT_COLL:
		case IT_INDIV: {
			long *slot = it->kind == IT_COLL ? &cur.collectives
			                                 : &cur.individuals;
			if (open && *slot >= 0) {
				if (add_award(c, r, seen, &cur))
					return -1;
				open = 0;
			}
			if (!open) {
				clear_award(&cur, cl->ns);
				cur.form = form;
				cur.title = title;
				cur.issuer = issuer;
				open = 1;
			}
			*slot = it->n;
			if (!cur.rule)
				cur.rule = it->rule;
			cur.span.e = it->span.e > cur.span.e ? it->span.e : cur.span.e;
			counted = 1;
			break;
		}
		}
	}
	if (open) {
		/* Attributes named after the counts still belong to the last
		 * award: "khen thưởng 15 tập thể ... bằng Giấy khen". */
		if (!cur.form)
			cur.form = form;
		if (cur.title.e == cur.title.s)
			cur.title = title;
		if (cur.issuer.e == cur.issuer.s)
			cur.issuer = issuer;
		cur.span.e = cl->ne;
		return add_award(c, r, seen, &cur);
	}
	if (counted)
		return 0;
	/* No counts: one award per title, or one for the form alone. */
	for (size_t i = 0; i < n; i++) {
		if (items[i].kind != IT_TITLE && !(titles == 0 && i == n - 1))
			continue;
		clear_award(&cur, cl->ns);
		cur.span.e = cl->ne;
		cur.form = form;
		cur.issuer = issuer;
		cur.rule = items[i].rule;
		if (items[i].kind == IT_TITLE)
			cur.title = items[i].span;
		if (!cur.form && cur.title.e == cur.title.s &&
		    cur.issuer.e == cur.issuer.s)
			continue;
		if (add_award(c, r, seen, &cur))
			return -1;
	}
	return 0;
}

int qp_extract_awards(qp_ctx *c, qp_result *r)
{
	qp_match mt;
	qp_uniq seen = {0};
	int rc = 0;
	for (size_t i = 0; i < c->sents->n && !rc; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (!qp_find_family(c, "award.trigger", s, s->ns, &mt))
			continue;
		size_t pos = s->ns;
		qp_sentence cl;
		while (!rc && qp_next_clause(c->doc, &pos, s->ne, &cl))
			rc = read_clause(c, r, &seen, &cl);
	}
	qp_uniq_free(&seen);
	return rc;
}
