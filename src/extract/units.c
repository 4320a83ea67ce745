/*
 * units.c - security and defense forces and commands (rules: unit.*;
 * lexicons abbrev, roman).
 *
 * Rules run in file order over each sentence; a match that overlaps one
 * already taken in the sentence is skipped, so the longest, most
 * specific rule wins ("Bộ Chỉ huy BĐBP tỉnh" rather than "BĐBP tỉnh").
 * The canonical form expands abbreviations word by word ("Bộ CHQS tỉnh"
 * -> "Bộ Chỉ huy Quân sự tỉnh", "Quân khu IV" -> "Quân khu 4"); units
 * with the same canonical form, compared by fold, are one unit, named
 * in the shortest form written ("Bộ Chỉ huy Quân sự tỉnh", then "Bộ
 * CHQS tỉnh": "Bộ CHQS tỉnh").  A short form that is another unit less
 * its number ("Quân khu" after "Quân khu 7") is that unit.
 */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"
#include "text.h"

/* Expand each abbreviated word of name; a Roman numeral after "khu"
 * becomes a number. */
static char *canonical_name(const qp_ctx *c, const char *name)
{
	const qp_lexicon *abbr = qp_rules_lexicon(c->rules, "abbrev");
	const qp_lexicon *roman = qp_rules_lexicon(c->rules, "roman");
	qp_sbuf out = {0};
	const char *p = name, *prev = NULL;
	size_t prevlen = 0;
	int rc = qp_sbuf_add(&out, "", 0);
	while (*p && !rc) {
		size_t n = strcspn(p, " ");
		long i = qp_lexicon_find(abbr, p, n);
		long r = -1;
		if (prev && prevlen == 3 && !memcmp(prev, "khu", 3))
			r = qp_lexicon_find(roman, p, n);
		if (out.n)
			rc |= qp_sbuf_add(&out, " ", 1);
		if (r >= 0)
			rc |= qp_sbuf_puts(&out, roman->values[r]);
		else if (i >= 0)
			rc |= qp_sbuf_puts(&out, abbr->values[i]);
		else
			rc |= qp_sbuf_add(&out, p, n);
		prev = p;
		prevlen = n;
		p += n;
		while (*p == ' ')
			p++;
	}
	if (rc) {
		qp_sbuf_free(&out);
		return NULL;
	}
	return qp_sbuf_take(&out);
}

static int add_unit(qp_ctx *c, qp_result *r, qp_span sp, const char *rule)
{
	qp_unit u = {sp, NULL, NULL, NULL, rule};
	u.name = qp_vn_clean(c->doc->norm.s, sp.s, sp.e);
	if (u.name)
		u.canonical = canonical_name(c, u.name);
	if (u.canonical)
		u.key = qp_vn_key(u.canonical, strlen(u.canonical));
	if (!u.key)
		goto nomem;
	for (size_t i = 0; i < r->nunits; i++) {
		qp_unit *o = &r->units[i];
		if (!strcmp(o->key, u.key)) {
			if (strlen(u.name) < strlen(o->name)) {
				/* The shorter form names it, with its evidence. */
				char *t = o->name;
				o->name = u.name;
				u.name = t;
				o->span = u.span;
				o->rule = u.rule;
			}
			free(u.name);
			free(u.canonical);
			free(u.key);
			return 0;
		}
	}
	if (qp_grow(&r->units, &r->capunits, r->nunits, sizeof *r->units))
		goto nomem;
	r->units[r->nunits++] = u;
	return 0;
nomem:
	free(u.name);
	free(u.canonical);
	free(u.key);
	return -1;
}

/* Is key b the key a followed by a number only ("quân khu" and "quân
 * khu 7", "quân khu iv")? */
static int number_less(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (strncmp(a, b, n) || b[n] != ' ' || !b[n + 1])
		return 0;
	for (const char *p = b + n + 1; *p; p++)
		if (!strchr("0123456789ivx", *p))
			return 0;
	return 1;
}

/* Drop each unit that another one names with its number.  Each unit is
 * judged against the whole list before any is dropped, so the marks go
 * to an array first.  Returns 0, or -1 when out of memory. */
static int drop_number_less(qp_result *r)
{
	if (r->nunits < 2)
		return 0;
	unsigned char *covered = calloc(r->nunits, 1);
	if (!covered)
		return -1;
	for (size_t i = 0; i < r->nunits; i++)
		for (size_t j = 0; j < r->nunits && !covered[i]; j++)
			covered[i] = j != i &&
			             number_less(r->units[i].key, r->units[j].key);
	size_t n = 0;
	for (size_t i = 0; i < r->nunits; i++) {
		if (covered[i]) {
			free(r->units[i].name);
			free(r->units[i].canonical);
			free(r->units[i].key);
		} else {
			r->units[n++] = r->units[i];
		}
	}
	r->nunits = n;
	free(covered);
	return 0;
}

int qp_extract_units(qp_ctx *c, qp_result *r)
{
	qp_match mt;
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, "unit", &rules);
	qp_span taken[64];
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		size_t ntaken = 0;
		for (size_t k = 0; k < nr; k++) {
			size_t from = s->ns;
			while (from < s->ne && qp_find(c, rules[k], s, from, &mt)) {
				qp_span sp;
				qp_found(c, &mt, NULL, &sp.s, &sp.e);
				from = sp.e > from ? sp.e : from + 1;
				if (sp.e == sp.s)
					continue;
				int dup = 0;
				for (size_t t = 0; t < ntaken && !dup; t++)
					dup = sp.s < taken[t].e && taken[t].s < sp.e;
				if (dup)
					continue;
				if (ntaken < sizeof taken / sizeof *taken)
					taken[ntaken++] = sp;
				if (add_unit(c, r, sp, rules[k]->id))
					return -1;
			}
		}
	}
	return drop_number_less(r);
}
