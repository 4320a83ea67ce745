/*
 * rules.c - rules and lexicons (src/rules/: load, macros, lexicons,
 * compile, match): the embedded data and its families, a data directory
 * of our own (macros, lexicons, fold and norm layers, named groups), a
 * file that replaces an embedded one, load errors that name the file,
 * the line and the rule, and lookups of every entry of a key
 * (qp_lexicon_find_all) with the gazetteer tables that need them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules.h"

/* The rule with this id, or NULL. */
static const qp_rule *find_rule(const qp_rules *r, const char *id)
{
	for (size_t i = 0; i < qp_rules_count(r); i++)
		if (strcmp(qp_rules_at(r, i)->id, id) == 0)
			return qp_rules_at(r, i);
	return NULL;
}

/* Does `id` match somewhere in s (prepared as a document, matched on
 * the layer the rule asks for)?  The whole match goes to got. */
static int rule_matches(const qp_rules *r, qp_matcher *m, const char *id,
                        const char *s, char *got, size_t gotlen)
{
	const qp_rule *rule = find_rule(r, id);
	if (got)
		snprintf(got, gotlen, "(rule %s not loaded)", id);
	return rule && rule_on_text(m, rule, s, got, gotlen) > 0;
}

/* Expect rule `id` to match s and, when want is not NULL, the whole
 * match to be want (written as plain text: for a fold rule it is
 * compared in its folded form). */
static void expect_match(const char *name, const qp_rules *r, qp_matcher *m,
                         const char *id, const char *s, const char *want)
{
	char got[512];
	int hit = rule_matches(r, m, id, s, got, sizeof got);
	const qp_rule *rule = find_rule(r, id);
	char *w = NULL;
	if (want)
		w = rule && rule->layer == QP_LAYER_FOLD ? fold_of(want)
		                                          : strdup(want);
	check(name, hit && (!w || strcmp(got, w) == 0),
	      "rule %s on %s: %s%s%s%s", id, shows(s), hit ? "matched " : "",
	      shows(got), w ? ", want " : "", w ? shows(w) : "");
	free(w);
}

static void expect_no_match(const char *name, const qp_rules *r,
                            qp_matcher *m, const char *id, const char *s)
{
	char got[512];
	int hit = rule_matches(r, m, id, s, got, sizeof got);
	check(name, !hit && strstr(got, "not loaded") == NULL,
	      "rule %s on %s: %s", id, shows(s), hit ? got : "not loaded");
}

/* Load rules from a new temp dir holding the given files (pairs of
 * name, text, ended by NULL); returns the rules or NULL with err. */
static qp_rules *load_dir(const char *const *files, char *err, size_t errlen)
{
	char *dir = make_tmpdir();
	for (size_t i = 0; files[i]; i += 2)
		write_file(dir, files[i], files[i + 1]);
	err[0] = '\0';
	qp_rules *r = qp_rules_load(dir, err, errlen);
	rm_tree(dir);
	free(dir);
	return r;
}

/* Expect loading to fail with a message containing every needle (the
 * NULL ones excepted). */
static void expect_load_error(const char *name, const char *const *files,
                              const char *const needles[3])
{
	char err[1200];
	qp_rules *r = load_dir(files, err, sizeof err);
	const char *missing = NULL;
	for (int i = 0; !r && !missing && i < 3; i++)
		if (needles[i] && !strstr(err, needles[i]))
			missing = needles[i];
	check(name, !r && !missing, r ? "loaded, want an error" :
	      "error %s does not mention %s", shows(err), missing ? missing : "");
	qp_rules_free(r);
}

static void test_embedded(qp_matcher *mp)
{
	char err[1200] = "";
	qp_rules *r = qp_rules_load(NULL, err, sizeof err);
	check("rules.embedded.load", r != NULL, "%s", err);
	if (r) {
		const qp_rule *const *first;
		size_t ns = qp_rules_family(r, "header.stamp", &first);
		size_t np = qp_rules_family(r, "header.posted", &first);
		size_t nh = qp_rules_family(r, "header", &first);
		size_t nx = qp_rules_family(r, "no.such.family", &first);
		check("rules.embedded.families", ns == 1 && np >= 1 &&
		      nh >= ns + np && nx == 0 && qp_rules_count(r) >= nh,
		      "header.stamp %zu, header.posted %zu, header %zu, none %zu, "
		      "count %zu", ns, np, nh, nx, qp_rules_count(r));
		/* "header" must not take "headerx.*": the family ends at a dot. */
		nh = qp_rules_family(r, "header", &first);
		int clean = 1;
		for (size_t i = 0; i < nh; i++)
			if (strncmp(first[i]->id, "header.", 7) != 0)
				clean = 0;
		check("rules.embedded.family_prefix", clean && nh > 0,
		      "a rule outside header.* in family header");
		check("rules.embedded.at_out_of_range",
		      qp_rules_at(r, qp_rules_count(r)) == NULL,
		      "qp_rules_at(count) is not NULL");
		check("rules.embedded.no_such_lexicon",
		      qp_rules_lexicon(r, "no-such-lexicon") == NULL,
		      "found a lexicon that does not exist");
		expect_match("rules.embedded.stamp_matches", r, mp, "header.stamp",
		             " date 2024-12 Tiêu đề", " date 2024-12 ");
	}
	qp_rules_free(r);
}

/* A data directory of our own. */
static const char *const mine[] = {
	"rules/x.rules",
	"# x.rules - test rules\n"
	"\n"
	"@num\tfold\t\\d{1,2}\n"
	"@dm\tfold\t{{num}}/{{num}}\n"
	"x.macro\tfold\tngày {{dm}}\n"
	"x.lex\tfold\t{{y}} tỉnh\n"
	"x.old_tone\tfold\thòa bình\n"
	"x.new_tone\tfold\tthuỷ lợi\n"
	"x.case\tnorm\tThủy\n"
	"x.named\tfold\t(?<d>\\d{1,2})/(?<m>\\d{1,2})\n",
	"lexicon/y.txt",
	"# y.txt - units\n"
	"Công an\n"
	"Bộ Chỉ huy Quân sự\n"
	"\n"
	"Ban CHQS\n",
	NULL,
};

/* Rules of `mine` on text: the check `name` expects rule `id` to match
 * s (the whole match being want, unless that is NULL), or with
 * hit 0 not to match. */
static const struct {
	const char *name, *id, *s, *want;
	int         hit;
} mine_cases[] = {
	{"rules.dir.macro", "x.macro", "Họp ngày 15/12 tại hội trường",
	 "ngày 15/12", 1},
	{"rules.dir.fold_caseless", "x.macro", "HỌP NGÀY 15/12", "NGÀY 15/12", 1},
	{"rules.dir.macro_no_match", "x.macro", "Họp ngày mười lăm", NULL, 0},
	{"rules.dir.lexicon_longest", "x.lex", "Bộ Chỉ huy Quân sự tỉnh",
	 "Bộ Chỉ huy Quân sự tỉnh", 1},
	{"rules.dir.lexicon_whitespace", "x.lex", "Bộ  Chỉ\thuy\nQuân sự tỉnh",
	 "Bộ  Chỉ\thuy\nQuân sự tỉnh", 1},
	{"rules.dir.lexicon_abbrev", "x.lex", "theo BAN CHQS tỉnh",
	 "BAN CHQS tỉnh", 1},
	{"rules.dir.fold_old_pattern_new_text", "x.old_tone", "xã Hoà Bình Tây",
	 "Hoà Bình", 1},
	{"rules.dir.fold_old_pattern_old_text", "x.old_tone", "XÃ HÒA BÌNH",
	 "HÒA BÌNH", 1},
	{"rules.dir.fold_new_pattern_old_text", "x.new_tone",
	 "công trình thủy lợi", NULL, 1},
	{"rules.dir.fold_pattern_nfd_text", "x.old_tone",
	 "Hoa\xCC\x80 Bi\xCC\x80nh", NULL, 1},
	{"rules.dir.norm_case_kept", "x.case", "Hồ Thủy", "Thủy", 1},
	{"rules.dir.norm_case_differs", "x.case", "hồ thủy", NULL, 0},
};

static void test_own_dir(qp_matcher *mp)
{
	char err[1200] = "";
	qp_rules *r = load_dir(mine, err, sizeof err);
	check("rules.dir.load", r != NULL, "%s", err);
	if (r) {
		for (size_t i = 0; i < COUNT(mine_cases); i++) {
			if (mine_cases[i].hit)
				expect_match(mine_cases[i].name, r, mp, mine_cases[i].id,
				             mine_cases[i].s, mine_cases[i].want);
			else
				expect_no_match(mine_cases[i].name, r, mp,
				                mine_cases[i].id, mine_cases[i].s);
		}
		const qp_lexicon *lx = qp_rules_lexicon(r, "y");
		check("rules.dir.lexicon_entries",
		      lx && lx->n == 3 && !lx->values &&
		      strcmp(lx->entries[0], "Bộ Chỉ huy Quân sự") == 0,
		      "lexicon y: %zu entries, first %s", lx ? lx->n : 0,
		      lx && lx->n ? shows(lx->entries[0]) : "-");
		/* Named groups. */
		const qp_rule *named = find_rule(r, "x.named");
		size_t s = 0, e = 0, s2 = 0, e2 = 0;
		qp_match mt;
		int ok = named &&
		         qp_match_find(mp, named, "ngay 24/12", 0, 10, &mt) &&
		         qp_match_group(&mt, "d", &s, &e) &&
		         qp_match_group(&mt, "m", &s2, &e2) &&
		         !qp_match_group(&mt, "nosuch", &s, &e);
		check("rules.dir.named_groups", ok && s == 5 && e == 7 && s2 == 8 &&
		      e2 == 10, "d [%zu,%zu) m [%zu,%zu)", s, e, s2, e2);
		check("rules.dir.match_from_past_end",
		      named && !qp_match_find(mp, named, "24/12", 6, 5, &mt),
		      "matched with from > len");
		/* The embedded files are still there. */
		const qp_rule *const *first;
		check("rules.dir.adds_to_embedded",
		      qp_rules_family(r, "header.stamp", &first) == 1,
		      "header.stamp missing after loading a DIR");
	}
	qp_rules_free(r);

	/* A file in DIR replaces the embedded file of the same name. */
	static const char *const override[] = {
		"rules/header.rules", "header.stamp\tfold\tzzz\n", NULL,
	};
	r = load_dir(override, err, sizeof err);
	check("rules.dir.override_load", r != NULL, "%s", err);
	if (r) {
		const qp_rule *const *first;
		check("rules.dir.override_replaces",
		      qp_rules_family(r, "header.posted", &first) == 0 &&
		      qp_rules_family(r, "header.stamp", &first) == 1,
		      "embedded header.rules still loaded");
		expect_match("rules.dir.override_matches", r, mp, "header.stamp",
		             "ZZZ", "ZZZ");
	}
	qp_rules_free(r);
}

/* The VALUE column of the entries qp_lexicon_find_all() gives for s,
 * joined with "|" into buf ("" for none, "(error)" when it failed). */
static const char *all_values(const qp_lexicon *lx, const char *s,
                              char *buf, size_t cap)
{
	size_t first, len = 0;
	long n = qp_lexicon_find_all(lx, s, strlen(s), &first);
	buf[0] = '\0';
	if (n < 0)
		snprintf(buf, cap, "(error)");
	for (long i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? "|" : "",
		                        lx->values[lx->key_index[first + (size_t)i]]);
	return buf;
}

/* A table of our own with one key on several rows, under tone and case
 * variants; it replaces the built-in districts.tsv. */
static const char *const repeats[] = {
	"lexicon/districts.tsv",
	"# districts.tsv - a key on several rows\n"
	"Hoà Bình\tA\thuyện\n"
	"Tân Phú\tB\thuyện\n"
	"Hòa Bình\tC\tthị xã\n"
	"Hoa Bình\tD\thuyện\n"
	"HÒA BÌNH\tE\n",
	NULL,
};

static const struct {
	const char *name, *query, *want;
} repeat_cases[] = {
	{"rules.find_all.every_row_in_file_order", "hoà bình", "A|C|E"},
	{"rules.find_all.tone_placement", "Hòa Bình", "A|C|E"},
	{"rules.find_all.one_row", "Tân Phú", "B"},
	{"rules.find_all.other_word", "Hoa Bình", "D"},
	{"rules.find_all.none", "Hòa Bình Tây", ""},
	{"rules.find_all.prefix_is_not_a_key", "Hòa", ""},
	{"rules.find_all.not_utf8", "Ho\xE0", ""},
};

static void test_find_all(void)
{
	char err[1200] = "", buf[1024];
	qp_rules *r = load_dir(repeats, err, sizeof err);
	check("rules.find_all.load", r != NULL, "%s", err);
	const qp_lexicon *lx = r ? qp_rules_lexicon(r, "districts") : NULL;
	for (size_t i = 0; lx && i < COUNT(repeat_cases); i++) {
		all_values(lx, repeat_cases[i].query, buf, sizeof buf);
		check(repeat_cases[i].name, strcmp(buf, repeat_cases[i].want) == 0,
		      "%s: got %s, want %s", shows(repeat_cases[i].query), shows(buf),
		      shows(repeat_cases[i].want));
	}
	if (lx) {
		long one = qp_lexicon_find(lx, "HOÀ BÌNH", strlen("HOÀ BÌNH"));
		check("rules.find_all.find_takes_the_first", one == 0,
		      "qp_lexicon_find: entry %ld, want 0", one);
		char longer[600];
		memset(longer, 'a', sizeof longer - 1);
		longer[sizeof longer - 1] = '\0';
		all_values(lx, longer, buf, sizeof buf);
		check("rules.find_all.long_query", buf[0] == '\0', "got %s", shows(buf));
	}
	/* Keys by prefix, for lookups that grow a word at a time. */
	static const struct {
		const char *name, *prefix;
		size_t      want;
	} prefixes[] = {
		{"rules.prefixed.word", "Hoà", 3},
		{"rules.prefixed.whole_key", "hòa bình", 3},
		{"rules.prefixed.letter", "H", 4},
		{"rules.prefixed.other", "tân", 1},
		{"rules.prefixed.none", "x", 0},
		{"rules.prefixed.longer_than_every_key", "hòa bình tây", 0},
	};
	for (size_t i = 0; lx && i < COUNT(prefixes); i++) {
		char key[64];
		long kl = qp_fold_key(prefixes[i].prefix, strlen(prefixes[i].prefix),
		                      key, sizeof key);
		size_t first = 0, m = kl < 0 ? 0
		                 : qp_lexicon_prefixed(lx, key, (size_t)kl, &first);
		int ok = m == prefixes[i].want;
		for (size_t k = 0; ok && k < m; k++)
			ok = !strncmp(lx->keys[first + k], key, (size_t)kl);
		check(prefixes[i].name, ok, "%s: %zu keys, want %zu",
		      shows(prefixes[i].prefix), m, prefixes[i].want);
	}
	size_t first = 7;
	check("rules.find_all.no_lexicon",
	      qp_lexicon_find_all(NULL, "x", 1, &first) == 0 && first == 0,
	      "a NULL lexicon found something");
	qp_rules_free(r);

	/* The built-in gazetteer: "Châu Thành" in ten provinces, and every
	 * province a table names is a row of provinces.tsv. */
	r = qp_rules_load(NULL, err, sizeof err);
	const qp_lexicon *prov = r ? qp_rules_lexicon(r, "provinces") : NULL;
	const qp_lexicon *dist = r ? qp_rules_lexicon(r, "districts") : NULL;
	const qp_lexicon *alias = r ? qp_rules_lexicon(r, "province_aliases") : NULL;
	check("rules.gazetteer.loaded", prov && dist && alias && prov->n == 63,
	      "provinces %zu rows", prov ? prov->n : 0);
	if (prov && dist && alias) {
		size_t k;
		long n = qp_lexicon_find_all(dist, "Châu Thành", strlen("Châu Thành"), &k);
		int distinct = n == 10;
		for (long i = 1; distinct && i < n; i++)
			distinct = strcmp(dist->values[dist->key_index[k + (size_t)i - 1]],
			                  dist->values[dist->key_index[k + (size_t)i]]) != 0;
		check("rules.gazetteer.chau_thanh_ten", distinct,
		      "Châu Thành: %ld rows, want 10 in distinct provinces", n);
		const char *bad = NULL;
		for (size_t i = 0; !bad && i < prov->n; i++)
			if (qp_lexicon_find(prov, prov->values[i], strlen(prov->values[i])) < 0)
				bad = prov->values[i];
		for (size_t i = 0; !bad && i < dist->n; i++)
			if (qp_lexicon_find(prov, dist->values[i], strlen(dist->values[i])) < 0)
				bad = dist->values[i];
		for (size_t i = 0; !bad && i < alias->n; i++)
			if (qp_lexicon_find(prov, alias->values[i], strlen(alias->values[i])) < 0)
				bad = alias->values[i];
		check("rules.gazetteer.provinces_known", !bad,
		      "%s is named by a table but is not in provinces.tsv",
		      bad ? shows(bad) : "");
	}
	qp_rules_free(r);
}

/* Data directories that do not load: the check `name` expects the
 * error to mention every needle (file:line, the rule, the reason). */
#define FILES(...) ((const char *const[]){__VA_ARGS__, NULL})
static const struct {
	const char        *name;
	const char *const *files;
	const char        *needles[3];
} load_errors[] = {
	{"rules.err.bad_pattern", FILES("rules/bad.rules",
	 "# a comment\n"
	 "\n"
	 "ok.one\tfold\tabc\n"
	 "bad.paren\tfold\t(abc\n"), {"rules/bad.rules:4", "bad.paren", NULL}},
	{"rules.err.bad_layer", FILES("rules/layer.rules",
	 "ok.one\tnorm\tabc\nx.layer\tfoo\tabc\n"),
	 {"rules/layer.rules:2", "x.layer", "foo"}},
	{"rules.err.no_tabs", FILES("rules/tabs.rules", "x.tabs fold abc\n"),
	 {"rules/tabs.rules:1", "TAB", NULL}},
	{"rules.err.unknown_macro", FILES("rules/u.rules",
	 "x.u\tfold\ta{{nosuch}}b\n"), {"rules/u.rules:1", "x.u", "nosuch"}},
	{"rules.err.unclosed_braces", FILES("rules/c.rules", "x.c\tfold\ta{{y\n"),
	 {"rules/c.rules:1", "x.c", NULL}},
	{"rules.err.macro_loop", FILES("rules/l.rules",
	 "@a\tfold\t{{b}}\n@b\tfold\t{{a}}\nx.l\tfold\t{{a}}\n"),
	 {"rules/l.rules:3", "x.l", "deep"}},
	{"rules.err.no_subdirs", FILES("other/z.txt", "x\n"),
	 {"no rules/", NULL, NULL}},
};
#undef FILES

void test_rules(void)
{
	char err[1200] = "";
	/* A matcher that no document was scanned for runs any rule set's
	 * rules (it only needs the set to scan one). */
	qp_rules *mr = qp_rules_load(NULL, err, sizeof err);
	qp_matcher *mp = mr ? qp_matcher_new(mr) : NULL;
	if (!mp) {
		check("rules.matcher_init", 0, "out of memory");
		qp_rules_free(mr);
		return;
	}

	test_embedded(mp);
	test_own_dir(mp);
	test_find_all();

	/* Errors name the file, the line and the rule. */
	for (size_t i = 0; i < COUNT(load_errors); i++)
		expect_load_error(load_errors[i].name, load_errors[i].files,
		                  load_errors[i].needles);
	qp_rules *r = qp_rules_load("/nonexistent/qpan-unit", err, sizeof err);
	check("rules.err.missing_dir", r == NULL, "loaded a missing DIR");
	qp_rules_free(r);

	qp_matcher_free(mp);
	qp_rules_free(mr);
}
