/*
 * rules_prefilter.c - the matcher's literal prefilter gives what plain
 * PCRE2 gives, on the bundled samples and the extraction case files.
 *
 *   document --qp_matcher_scan()--> matcher with the document's literals
 *   every rule x every sentence (from its start and from its middle):
 *     qp_match_find(on the document's own texts)  -> filtered
 *     qp_match_find(on a copy of the texts)       -> plain PCRE2
 *   the two matches (found or not, every group's offsets) must agree.
 *
 * The matcher applies the prefilter only to the texts it scanned, so
 * the copy is the plain scan.  One check per document.  (The fuzz
 * build checks the same on random input, with -DQP_PF_VERIFY.)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "harness.h"
#include "lib.h"
#include "rules.h"

static int same_match(int h1, const qp_match *a, int h2, const qp_match *b)
{
	if (h1 != h2)
		return 0;
	if (!h1)
		return 1;
	size_t n = a->npairs > b->npairs ? a->npairs : b->npairs;
	for (size_t i = 0; i < 2 * n; i++) {
		size_t x = i < 2 * a->npairs ? a->ov[i] : SIZE_MAX;
		size_t y = i < 2 * b->npairs ? b->ov[i] : SIZE_MAX;
		if (x != y)
			return 0;
	}
	return 1;
}

/* Check every rule on every sentence of the document at path; returns
 * the number of comparisons, writes the first disagreement to why. */
static size_t compare_document(const qp_rules *r, qp_matcher *m,
                               const char *path, char *why, size_t whylen)
{
	char *raw;
	size_t len, bad, n = 0;
	if (qp_read_file(path, 0, &raw, &len)) {
		snprintf(why, whylen, "cannot read it");
		return 0;
	}
	qp_doc d;
	qp_doc_init(&d, path);
	qp_sentences ss = {0};
	if (qp_doc_prepare(&d, raw, len, NULL, NULL, QP_ENC_UTF8, &bad) !=
	    QP_NORM_OK || qp_segment(&d, &ss)) {
		snprintf(why, whylen, "does not prepare");
		qp_doc_free(&d);
		return 0;
	}
	char *copy[2] = {strdup(d.fold.s), strdup(d.norm.s)};
	qp_matcher_scan(m, d.fold.s, d.fold.len, d.norm.s, d.norm.len);
	for (size_t i = 0; copy[0] && copy[1] && i < qp_rules_count(r); i++) {
		const qp_rule *rule = qp_rules_at(r, i);
		int fold = rule->layer == QP_LAYER_FOLD;
		const char *own = fold ? d.fold.s : d.norm.s;
		const char *plain = copy[fold ? 0 : 1];
		for (size_t k = 0; k < ss.n && !why[0]; k++) {
			size_t a = fold ? ss.v[k].fs : ss.v[k].ns;
			size_t b = fold ? ss.v[k].fe : ss.v[k].ne;
			size_t mid = qp_utf8_fwd(own, a + (b - a) / 2, b);
			size_t from[2] = {a, mid};
			for (int f = 0; f < 2; f++) {
				qp_match x, y;
				int hx = qp_match_find(m, rule, own, from[f], b, &x);
				int hy = qp_match_find(m, rule, plain, from[f], b, &y);
				n++;
				if (!same_match(hx, &x, hy, &y))
					snprintf(why, whylen, "%s from %zu in \"%.*s\": "
					         "filtered %s, plain %s", rule->id, from[f],
					         (int)(b - a > 80 ? 80 : b - a), own + a,
					         hx ? "matched" : "no match",
					         hy ? "matched" : "no match");
			}
		}
	}
	if (!copy[0] || !copy[1])
		snprintf(why, whylen, "out of memory");
	free(copy[0]);
	free(copy[1]);
	qp_sentences_free(&ss);
	qp_doc_free(&d);
	return n;
}

/* Every .txt file of dir, in name order, through compare_document. */
static void compare_dir(const qp_rules *r, qp_matcher *m, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (!check("rules.prefilter.dir", n > 0, "%s: no files", dir))
		return;
	for (int i = 0; i < n; i++) {
		const char *e = names[i]->d_name;
		size_t l = strlen(e);
		if (l > 4 && !strcmp(e + l - 4, ".txt")) {
			char path[1024], name[1100], why[400] = "";
			snprintf(path, sizeof path, "%s/%s", dir, e);
			snprintf(name, sizeof name, "rules.prefilter.%s", path);
			size_t k = compare_document(r, m, path, why, sizeof why);
			check(name, !why[0] && k > 0, "%s", why[0] ? why : "no sentences");
		}
		free(names[i]);
	}
	free(names);
}

void test_prefilter(void)
{
	char err[1024];
	qp_rules *r = qp_rules_load(NULL, err, sizeof err);
	qp_matcher *m = r ? qp_matcher_new(r) : NULL;
	if (check("rules.prefilter.setup", m != NULL, "%s", err)) {
		compare_dir(r, m, "data/samples");
		compare_dir(r, m, "tests/cases");
	}
	qp_matcher_free(m);
	qp_rules_free(r);
}
