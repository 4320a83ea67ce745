/*
 * families.c - the field families at work (families.h): qp_extract()
 * takes the page furniture out (page.c), runs the extractors in the
 * table's order over the sentences left, and qp_extract_check() holds a
 * rule set to the table.
 *
 *   rule "stat.count" (rules/statistics.rules:12), groups num unit ...
 *     -> longest table prefix "stat": required "num", allowed "approx
 *        of word scale unit item" -> every group known, none missing
 *   rule "stat.contxt.drugs" -> no rule family: refused, with its file
 *        and line, before any document is read
 */
#include <stdio.h>
#include <string.h>

#include "extractor.h"
#include "families.h"

int qp_extract(const qp_doc *d, const qp_sentences *sents,
               const qp_rules *rules, qp_matcher *m, qp_result *r)
{
	qp_ctx c = {.doc = d, .sents = sents, .rules = rules, .m = m};
	qp_sentences content = {0};
	int rc = qp_page_content(&c, sents, &content);
	c.sents = &content;
#define QP_FAMILY_RUN(name, fn) \
	if (!rc && fn(&c, r)) \
		rc = -1;
	QP_FAMILIES(QP_FAMILY_RUN)
#undef QP_FAMILY_RUN
	qp_sentences_free(&content);
	return rc;
}

struct rule_family {
	const char *field;      /* the field family's name */
	const char *prefix;     /* "meeting.date", or several space-separated */
	const char *required;   /* groups, space-separated */
	const char *allowed;    /* further groups it may have */
	int         names;      /* QP_NAMES_* */
};

#define QP_RULE_FAMILY_ROW(field, prefix, required, allowed, names) \
	{#field, prefix, required, allowed, names},
static const struct rule_family rule_families[] = {
	QP_RULE_FAMILIES(QP_RULE_FAMILY_ROW)
};
#undef QP_RULE_FAMILY_ROW

#define QP_CATEGORY_NAME(name) #name,
static const char *const categories[] = {QP_CATEGORIES(QP_CATEGORY_NAME)};
#undef QP_CATEGORY_NAME

/* The next word of a space-separated list of the table ("d m y"):
 * 1 with *w, *n and *p moved past it, 0 at the end.
 *
 *   for (const char *p = list, *w; next_word(&p, &w, &n);) ...     */
static int next_word(const char **p, const char **w, size_t *n)
{
	if (!**p)
		return 0;
	*w = *p;
	*n = strcspn(*p, " ");
	*p += *n;
	*p += **p == ' ';
	return 1;
}

/* Is word[0..n) one of the words of list? */
static int in_list(const char *list, const char *word, size_t n)
{
	const char *w;
	size_t k;
	for (const char *p = list; next_word(&p, &w, &k);)
		if (k == n && !memcmp(w, word, n))
			return 1;
	return 0;
}

/* The row of the longest rule family id belongs to, or NULL; *prefix
 * and *plen: that family's name. */
static const struct rule_family *family_of(const char *id,
                                           const char **prefix, size_t *plen)
{
	const struct rule_family *best = NULL;
	size_t bl = 0;
	const char *w;
	size_t n;
	for (size_t i = 0; i < sizeof rule_families / sizeof *rule_families; i++)
		for (const char *p = rule_families[i].prefix; next_word(&p, &w, &n);)
			if (n > bl && !strncmp(id, w, n) &&
			    (id[n] == '\0' || id[n] == '.')) {
				best = &rule_families[i];
				bl = n;
				*prefix = w;
				*plen = n;
			}
	return best;
}

static int check_rule(const qp_rule *rule, char *err, size_t errlen)
{
	const char *fam = NULL;
	size_t fl = 0;
	const struct rule_family *f = family_of(rule->id, &fam, &fl);
	if (!f) {
		snprintf(err, errlen, "%s: %s: unknown rule family (no extractor "
		         "reads rules named so; see src/extract/families.h)",
		         rule->where, rule->id);
		return -1;
	}
	size_t n;
	const char *const *groups = qp_rule_groups(rule, &n);
	for (size_t i = 0; i < n; i++)
		if (!in_list(f->required, groups[i], strlen(groups[i])) &&
		    !in_list(f->allowed, groups[i], strlen(groups[i]))) {
			int none = !f->required[0] && !f->allowed[0];
			snprintf(err, errlen, "%s: %s: unknown capture group '%s' (%.*s "
			         "rules %s%s%s%s)", rule->where, rule->id, groups[i],
			         (int)fl, fam, none ? "have no named groups" : "may have: ",
			         f->required, f->required[0] && f->allowed[0] ? " " : "",
			         f->allowed);
			return -1;
		}
	const char *w;
	size_t k;
	for (const char *p = f->required; next_word(&p, &w, &k);) {
		size_t i;
		for (i = 0; i < n; i++)
			if (strlen(groups[i]) == k && !memcmp(groups[i], w, k))
				break;
		if (i == n) {
			snprintf(err, errlen, "%s: %s: missing capture group '%.*s' "
			         "(%.*s rules need: %s)", rule->where, rule->id, (int)k, w,
			         (int)fl, fam, f->required);
			return -1;
		}
	}
	if (f->names == QP_NAMES_CATEGORY) {
		const char *last = strrchr(rule->id, '.') + 1;
		size_t i;
		for (i = 0; i < sizeof categories / sizeof *categories; i++)
			if (!strcmp(last, categories[i]))
				break;
		if (i == sizeof categories / sizeof *categories) {
			snprintf(err, errlen, "%s: %s: unknown category '%s' (%.*s.NAME "
			         "names a category of SPEC.md)", rule->where, rule->id,
			         last, (int)fl, fam);
			return -1;
		}
	}
	return 0;
}

int qp_extract_check(const qp_rules *rules, char *err, size_t errlen)
{
	for (size_t i = 0; i < qp_rules_count(rules); i++)
		if (check_rule(qp_rules_at(rules, i), err, errlen))
			return -1;
	return 0;
}
