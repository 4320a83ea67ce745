/*
 * text_fold.c - the folded matching form (src/text/normalize.c, qp_fold
 * through qp_doc_prepare, and qp_fold_bytes for comparison keys): one
 * tone placement, case in the key but not in the document fold,
 * punctuation and spaces, NFD and NFC alike, and the fold's offset map
 * into norm.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The comparison key of s (NFC): qp_fold_bytes with QP_FOLD_CASE. */
static char *key_of(const char *s)
{
	qp_text t;
	qp_text_init(&t);
	char *out = NULL;
	if (qp_fold_bytes(s, strlen(s), QP_FOLD_CASE, &t) == 0)
		out = strdup(t.s);
	qp_text_free(&t);
	return out;
}

/* What a fold case expects of a and b. */
enum fold_rel {
	SAME_FOLD,    /* fold(a) == fold(b) */
	SAME_KEY,     /* key(a) == key(b) */
	FOLD_IS,      /* fold(a) == b (an NFC literal) */
	KEY_IS,       /* key(a) == b */
	FOLD_DIFFERS, /* fold(a) != fold(b) */
};

static const struct {
	enum fold_rel rel;
	const char   *name, *a, *b;
} fold_cases[] = {
	/* One tone placement: the old and the new spelling fold alike
	 * (which vowel the fold puts the tone on is its own business). */
	{SAME_FOLD, "fold.tone.hoa", "Hoà", "Hòa"},
	{SAME_FOLD, "fold.tone.thuy", "thuỷ", "thủy"},
	{SAME_FOLD, "fold.tone.khoe", "khoẻ", "khỏe"},
	{SAME_FOLD, "fold.tone.hoe", "Thanh Hoè", "Thanh Hòe"},
	{SAME_FOLD, "fold.tone.quy", "quý", "qúy"},
	{SAME_FOLD, "fold.tone.sentence", "Hoà Bình, thuỷ lợi, khoẻ mạnh",
	 "Hòa Bình, thủy lợi, khỏe mạnh"},
	/* Different words stay different. */
	{FOLD_DIFFERS, "fold.tone.distinct", "hòa", "hóa"},
	/* Case: the comparison key is lower case, whatever the document
	 * fold does with case (rules match it caselessly: see rules.*). */
	{SAME_KEY, "fold.key.hoa_binh", "HÒA BÌNH", "hoà bình"},
	{SAME_KEY, "fold.key.quan_khu", "Quân khu 4", "quân khu 4"},
	{SAME_KEY, "fold.key.QUAN_KHU", "QUÂN KHU 4", "quân khu 4"},
	{SAME_KEY, "fold.key.ascii", "UBND Huyện", "ubnd huyện"},
	{SAME_KEY, "fold.key.d_stroke", "ĐỒNG CHÍ", "đồng chí"},
	{SAME_KEY, "fold.key.tone_and_case", "THUỶ", "thủy"},
	/* The document fold keeps case (normalize.h): "\p{Lu}" in a rule
	 * must still see a capital. */
	{FOLD_IS, "fold.case_kept", "Quân khu 4", "Quân khu 4"},
	{KEY_IS, "fold.key.lower_value", "Quân khu", "quân khu"},
	/* Punctuation and spaces (inputs without tones or capitals, so the
	 * folded value is known whatever the tone and case policy). */
	{FOLD_IS, "fold.dash.en_em", "a – b — c ‒ d", "a - b - c - d"},
	{FOLD_IS, "fold.dash.minus", "5 − 3", "5 - 3"},
	{FOLD_IS, "fold.quote.double", "“an ninh”", "\"an ninh\""},
	{FOLD_IS, "fold.quote.single", "‘ok’", "'ok'"},
	{FOLD_IS, "fold.space.nbsp", "a\u00A0b", "a b"},
	{FOLD_IS, "fold.space.narrow", "10\u202F000", "10 000"},
	{FOLD_IS, "fold.ellipsis", "vv…", "vv..."},
	{FOLD_IS, "fold.digits_kept", "12/2024 - 37,5", "12/2024 - 37,5"},
	{SAME_FOLD, "fold.space.nbsp_in_words", "Đại\u00A0tá", "Đại tá"},
};

/* One check named name: a and b as rel says. */
static void fold_case(enum fold_rel rel, const char *name, const char *a,
                      const char *b)
{
	int key = rel == SAME_KEY || rel == KEY_IS;
	const char *what = key ? "key" : "fold";
	char *(*form)(const char *) = key ? key_of : fold_of;
	char *fa = form(a);
	char *fb = rel == FOLD_IS || rel == KEY_IS ? NULL : form(b);
	switch (rel) {
	case SAME_FOLD:
	case SAME_KEY:
		check(name, fa && fb && strcmp(fa, fb) == 0, "%s %s = %s but %s "
		      "%s = %s", what, shows(a), shows_or_error(fa), what,
		      shows(b), shows_or_error(fb));
		break;
	case FOLD_IS:
		check(name, fa && strcmp(fa, b) == 0, "fold of %s is %s, want %s",
		      shows(a), shows_or_error(fa), shows(b));
		break;
	case KEY_IS:
		check(name, fa && strcmp(fa, b) == 0, "key of \"%s\" is %s", a,
		      shows_or_error(fa));
		break;
	case FOLD_DIFFERS:
		check(name, fa && fb && strcmp(fa, fb) != 0,
		      "\"%s\" and \"%s\" both fold to %s", a, b,
		      shows_or_error(fa));
		break;
	}
	free(fa);
	free(fb);
}

/* Is the fold map of d sane?  fold.src is monotonic and within norm,
 * fold characters start on character boundaries of norm, and
 * src[len] == norm.len.  A failure goes to g, for s. */
static void fold_map_case(group *g, const qp_doc *d, const char *s)
{
	const qp_text *f = &d->fold, *nm = &d->norm;
	for (size_t i = 0; i <= f->len; i++) {
		/* (Bytes copied one-to-one map their continuation bytes to
		 * continuation bytes: only the first byte of a fold
		 * character must land on a boundary.) */
		if (f->src[i] > nm->len ||
		    (i < f->len && f->src[i] >= nm->len) ||
		    (i && f->src[i] < f->src[i - 1]) ||
		    (i < f->len && is_lead((unsigned char)f->s[i]) &&
		     !is_lead((unsigned char)nm->s[f->src[i]]))) {
			group_fail(g, "%s: fold.src[%zu] = %zu (norm len %zu) is out "
			           "of range, decreasing or mid-character", shows(s),
			           i, f->src[i], nm->len);
			break;
		}
	}
	if (f->src[f->len] != nm->len)
		group_fail(g, "%s: fold.src[len] = %zu, want %zu", shows(s),
		           f->src[f->len], nm->len);
}

void test_fold(void)
{
	for (size_t i = 0; i < COUNT(fold_cases); i++)
		fold_case(fold_cases[i].rel, fold_cases[i].name, fold_cases[i].a,
		          fold_cases[i].b);

	/* NFD and NFC input give the same fold, for whole paragraphs. */
	group g;
	group_start(&g, "fold.nfd_equals_nfc");
	for (size_t i = 0; i < n_vi_nfc; i++) {
		char *d = oracle_nfd(vi_nfc[i]);
		char *fa = fold_of(vi_nfc[i]), *fb = fold_of(d);
		g.cases++;
		if (!fa || !fb || strcmp(fa, fb) != 0)
			group_fail(&g, "%s: NFC folds to %s, NFD to %s",
			           shows(vi_nfc[i]), shows_or_error(fa),
			           shows_or_error(fb));
		free(fa);
		free(fb);
		free(d);
	}
	group_end(&g);

	/* The fold map over Vietnamese text and random strings. */
	group_start(&g, "fold.map.monotonic");
	for (size_t k = 0; k < 1000 + n_vi_nfc; k++) {
		char buf[RANDOM_TEXT_MAX];
		const char *s = buf;
		if (k < n_vi_nfc)
			s = vi_nfc[k];
		else
			random_text(buf, NULL);
		qp_doc d;
		g.cases++;
		if (doc_prepare(&d, s) != QP_NORM_OK)
			group_fail(&g, "%s: prepare failed", shows(s));
		else
			fold_map_case(&g, &d, s);
		qp_doc_free(&d);
	}
	group_end(&g);

	/* Fold offsets: each fold byte maps to the start of the norm
	 * character it was built on, so the first byte of a word maps to the
	 * word's start and lower_bound finds the word again. */
	qp_doc d;
	if (doc_prepare(&d, "X Đại tá") == QP_NORM_OK) {
		/* norm: X=0 ' '=1 Đ=2,3 ạ=4..6 i=7 ' '=8 t=9 á=10,11 */
		size_t f_d = qp_text_lower_bound(&d.fold, 2);
		size_t f_sp = qp_text_lower_bound(&d.fold, 8);
		size_t f_t = qp_text_lower_bound(&d.fold, 9);
		check("fold.map.word_letters",
		      f_d == 2 && d.fold.src[f_d] == 2 && d.fold.s[f_sp] == ' ' &&
		      d.fold.src[f_sp] == 8 && (d.fold.s[f_t] | 0x20) == 't' &&
		      d.fold.src[d.fold.len] == d.norm.len,
		      "fold %s: lower_bound(2)=%zu lower_bound(8)=%zu "
		      "lower_bound(9)=%zu", shows(d.fold.s), f_d, f_sp, f_t);
	} else {
		check("fold.map.word_letters", 0, "prepare failed");
	}
	qp_doc_free(&d);
}
