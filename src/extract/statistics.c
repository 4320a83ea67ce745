/*
 * statistics.c - the year's counted facts (rules: stat.*; lexicons
 * stat_units, scales, numerals, stat_items).
 *
 * Every number followed by a counting noun from the lexicon is a
 * statistic: "294 vụ/498 đối tượng" is two.  The value goes through the
 * one number parser (vnnum.c) and a scale word ("950 triệu đồng" is
 * 950000000 VND).  The noun gives a default category; the words right
 * after it may change it ("trường hợp vi phạm ATGT" is traffic, "kg ma
 * túy" drugs).  A vague quantity ("hàng trăm vụ") has no value and is
 * skipped, never guessed.  The same fact stated twice (same value,
 * unit, category, item and verb before it) is kept once.
 */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"
#include "text.h"

#define LEFT_CONTEXT 200   /* bytes of sentence before a number read */

#define QP_CATEGORY_NAME(name) #name,
static const char *const categories[] = {QP_CATEGORIES(QP_CATEGORY_NAME)};
#undef QP_CATEGORY_NAME

/* A category name from data, checked against SPEC.md's list. */
static const char *category_named(const char *name)
{
	for (size_t i = 0; i < sizeof categories / sizeof *categories; i++)
		if (!strcmp(name, categories[i]))
			return categories[i];
	return "other";
}

static const char *approx_named(const qp_ctx *c, size_t s, size_t e)
{
	static const char *const words[] = {"gần", "trên", "hơn", "khoảng",
	                                    "xấp xỉ", "ước", "tới", "lên tới"};
	static const char *const names[] = {"nearly", "over", "over", "about",
	                                    "about", "about", "about", "about"};
	int i = qp_vn_lookup(c->doc->norm.s + s, e - s, words, 8);
	return i < 0 ? NULL : names[i];
}

/* Which categories a context rule may override: traffic turns cases
 * and plain counts into traffic; drugs and recruitment only plain ones;
 * anything may turn out to be a plain count. */
static int may_override(const char *base, const char *to)
{
	if (!strcmp(base, "other") || !strcmp(to, "other"))
		return 1;
	return !strcmp(to, "traffic") && !strcmp(base, "cases");
}

/* The category given by the words after the unit: from the unit up to
 * the next comma, semicolon or full stop, or a digit after a word that
 * follows it (so "đối tượng 4" is seen whole), at most 80 bytes on. */
static const char *context_category(qp_ctx *c, const qp_sentence *s,
                                    size_t from, size_t unit_end,
                                    const char *base)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	size_t end = unit_end;
	while (end < s->ne && end - unit_end < 80 && !strchr(",;.", norm[end]) &&
	       !(end > unit_end + 1 && norm[end] >= '0' && norm[end] <= '9'))
		end++;
	qp_sentence win = qp_sentence_of(c->doc, from, end);
	/* Earlier in the sentence, at most LEFT_CONTEXT bytes back. */
	size_t ls = from > s->ns + LEFT_CONTEXT ? from - LEFT_CONTEXT : s->ns;
	ls = qp_utf8_fwd(norm, ls, from);
	qp_sentence left = qp_sentence_of(c->doc, ls, from);
	/* Only listed plain counts look left (lexicon stat_left_context). */
	const qp_lexicon *lefts = qp_rules_lexicon(c->rules, "stat_left_context");
	long left_ok = -1;
	if (lefts && !strcmp(base, "other")) {
		left_ok = qp_lexicon_find(lefts, norm + from, unit_end - from);
	}
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, "stat.context", &rules);
	for (size_t k = 0; k < nr; k++) {
		const char *to = strrchr(rules[k]->id, '.') + 1;
		if (!may_override(base, to))
			continue;
		if (qp_find(c, rules[k], &win, from, &mt))
			return category_named(to);
		if (left_ok >= 0 && !strcmp(lefts->values[left_ok], to) &&
		    qp_find(c, rules[k], &left, ls, &mt))
			return category_named(to);
	}
	return base;
}

/* The word before a statistic ("khởi tố" of "khởi tố 8 vụ"): the same
 * fact told twice comes with the same verb. */
static qp_span word_before(const qp_doc *d, size_t at)
{
	const char *s = d->norm.s;
	size_t e = at;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == ','))
		e--;
	size_t b = e;
	while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\n' && s[b - 1] != ',')
		b--;
	return (qp_span){b, e};
}

/* The same fact stated twice (a lead repeats the body): same value,
 * unit, category, item and the same word before it. */
static int same_stat(const void *doc, const void *x, const void *y)
{
	const qp_doc *d = doc;
	const qp_stat *a = x, *b = y;
	if (a->value != b->value || strcmp(a->unit, b->unit) ||
	    a->category != b->category)
		return 0;
	return qp_same_text(d, a->item, b->item) &&
	       qp_same_text(d, word_before(d, a->span.s),
	                    word_before(d, b->span.s));
}

/* same_stat's key hashed: equal statistics hash alike (unit and
 * category are static strings, compared by their text). */
static uint64_t stat_hash(const qp_doc *d, const qp_stat *st)
{
	double v = st->value == 0 ? 0 : st->value;   /* -0 == 0 */
	uint64_t h = qp_hash_bytes(QP_HASH_SEED, &v, sizeof v);
	h = qp_hash_bytes(h, st->unit, strlen(st->unit));
	h = qp_hash_bytes(h, st->category, strlen(st->category));
	h = qp_hash_span(d, h, st->item);
	return qp_hash_span(d, h, word_before(d, st->span.s));
}

static int add_stat(qp_ctx *c, qp_result *r, qp_uniq *seen,
                    const qp_stat *st)
{
	return qp_push_unique(&r->stats, &r->nstats, &r->capstats,
	                      sizeof *r->stats, st, stat_hash(c->doc, st), seen,
	                      same_stat, c->doc) < 0
	       ? -1 : 0;
}

/* Build a statistic from the current match; 0 when it is not one. */
static int read_match(qp_ctx *c, const qp_match *mt, const qp_sentence *s,
                      qp_stat *st)
{
	const char *norm = c->doc->norm.s;
	const qp_lexicon *units = qp_rules_lexicon(c->rules, "stat_units");
	size_t a, b, us, ue;
	memset(st, 0, sizeof *st);
	st->of = -1;
	st->rule = mt->rule->id;
	qp_found(c, mt, NULL, &st->span.s, &st->span.e);

	const char *base;
	if (qp_found(c, mt, "unit", &us, &ue)) {
		long u = qp_lexicon_find(units, norm + us, ue - us);
		if (u < 0)
			return 0;
		st->unit = units->values[u];
		base = category_named(units->values2[u]);
	} else {
		st->unit = "VND";   /* stat.money: a scale word alone */
		base = "money";
		us = ue = st->span.e;
	}
	if (qp_found(c, mt, "num", &a, &b)) {
		if (vn_number_parse(norm + a, b - a, &st->value))
			return 0;
	} else if (qp_found(c, mt, "word", &a, &b)) {
		/* Number words count only crimes, drugs, money, operations. */
		const qp_lexicon *w = qp_rules_lexicon(c->rules, "numerals");
		long i = qp_lexicon_find(w, norm + a, b - a);
		if (i < 0 || !strcmp(base, "other"))
			return 0;
		st->value = atof(w->values[i]);
	} else {
		return 0;
	}
	if (qp_found(c, mt, "scale", &a, &b)) {
		const qp_lexicon *sc = qp_rules_lexicon(c->rules, "scales");
		long i = qp_lexicon_find(sc, norm + a, b - a);
		if (i >= 0)
			st->value *= atof(sc->values[i]);
	}
	if (qp_found(c, mt, "approx", &a, &b))
		st->approx = approx_named(c, a, b);
	st->of = qp_found_int(c, mt, "of");
	/* "7/7 xã" is 7 of 7; "20/12" is a date, not 20 of 12. */
	if (st->of >= 0 && (double)st->of < st->value)
		return 0;
	qp_found(c, mt, "item", &st->item.s, &st->item.e);
	st->category = context_category(c, s, us, ue, base);
	return 1;
}

int qp_extract_statistics(qp_ctx *c, qp_result *r)
{
	qp_match mt;
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, "stat", &rules);
	qp_uniq seen = {0};
	int rc = 0;
	for (size_t i = 0; i < c->sents->n && !rc; i++) {
		const qp_sentence *s = &c->sents->v[i];
		qp_span taken = {0, 0};   /* matches come in order per rule */
		for (size_t k = 0; k < nr; k++) {
			if (!strncmp(rules[k]->id, "stat.context", 12))
				continue;
			size_t from = s->ns;
			while (!rc && from < s->ne &&
			       qp_find(c, rules[k], s, from, &mt)) {
				qp_stat st;
				int ok = read_match(c, &mt, s, &st);
				from = st.span.e > from ? st.span.e : from + 1;
				/* A later rule does not retake an earlier match. */
				if (!ok || (k > 0 && st.span.s < taken.e &&
				            taken.s < st.span.e))
					continue;
				if (k == 0)
					taken = st.span;
				rc = add_stat(c, r, &seen, &st);
			}
		}
	}
	qp_uniq_free(&seen);
	return rc;
}
