/*
 * text_nfc.c - NFC with an offset map (src/text/normalize.c,
 * qp_normalize): normalization against utf8proc_NFC as the oracle, the
 * offset map (also over random strings), the BOM and line ends, and
 * input errors (NUL, invalid UTF-8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "harness.h"

/* ------------------------------------------------------------------ */
/* Normalization: qp_normalize against utf8proc_NFC                    */
/* ------------------------------------------------------------------ */

/* The line-end and BOM rules of qp_normalize applied to s[0..n) (a
 * BOM only when `bom` is set: inside a slice it is not at the start of
 * the document).  NFC never joins across CR or LF, so NFC of the result
 * is what qp_normalize must produce.  Returns a malloc'd, NUL-terminated
 * string. */
static char *lines_and_bom(const char *s, size_t n, int bom)
{
	char *o = malloc(n + 1);
	size_t k = 0, i = 0;
	if (!o)
		abort();
	if (bom && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < n; i++) {
		if (s[i] == '\r') {
			o[k++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			o[k++] = s[i];
		}
	}
	o[k] = '\0';
	return o;
}

/* utf8proc's NFC of s[0..n) (no NUL inside), malloc'd. */
static char *oracle_nfc(const char *s, size_t n, int bom)
{
	char *pre = lines_and_bom(s, n, bom);
	char *out = (char *)utf8proc_NFC((const utf8proc_uint8_t *)pre);
	free(pre);
	return out;
}

/*
 * Check the offset map of norm (made from in[0..n)):
 *   - every src[i] is an offset into the input, src is non-decreasing,
 *     src[len] is the input length;
 *   - every piece of norm maps back to input bytes that normalize to it.
 * A piece is one character of norm, or several consecutive characters
 * that share one source offset (one input cluster that composed into
 * more than one character, like "a" U+0301 U+0302): a span can only be
 * cut between pieces, so that is what must round-trip.
 * Returns 0, or -1 with the reason in why.
 */
static int map_ok(const char *in, size_t n, const qp_text *norm, char *why,
                  size_t wl)
{
	for (size_t i = 0; i < norm->len; i++) {
		if (norm->src[i] >= n) {
			snprintf(why, wl, "src[%zu] = %zu is past the input (%zu bytes)",
			         i, norm->src[i], n);
			return -1;
		}
		if (i && norm->src[i] < norm->src[i - 1]) {
			snprintf(why, wl, "src decreases at %zu: %zu then %zu", i,
			         norm->src[i - 1], norm->src[i]);
			return -1;
		}
	}
	if (norm->src[norm->len] != n) {
		snprintf(why, wl, "src[len] = %zu, want the input length %zu",
		         norm->src[norm->len], n);
		return -1;
	}
	if (norm->len && norm->src[norm->len] < norm->src[norm->len - 1]) {
		snprintf(why, wl, "src[len] below src[len-1]");
		return -1;
	}
	size_t i = 0;
	while (i < norm->len) {
		/* The piece [i, j): extend over characters with the same src. */
		size_t j = i + 1;
		while (j < norm->len && (!is_lead((unsigned char)norm->s[j]) ||
		                         norm->src[j] == norm->src[i]))
			j++;
		size_t a = norm->src[i], b = norm->src[j];
		char *want = oracle_nfc(in + a, b - a, 0);
		int ok = want && strlen(want) == j - i &&
		         memcmp(want, norm->s + i, j - i) == 0;
		if (!ok) {
			snprintf(why, wl, "norm[%zu..%zu) %s maps to input [%zu..%zu) "
			         "%s, whose NFC is %s", i, j, show(norm->s + i, j - i),
			         a, b, show(in + a, b - a), shows_or_error(want));
			free(want);
			return -1;
		}
		free(want);
		i = j;
	}
	return 0;
}

/* Normalize in[0..n) and compare with the oracle (into g) and check the
 * map (into gm; may be NULL). */
static void norm_case(group *g, group *gm, const char *in, size_t n)
{
	qp_text t;
	qp_text_init(&t);
	size_t bad = 0;
	g->cases++;
	qp_norm_status st = qp_normalize(in, n, &t, &bad);
	char *want = oracle_nfc(in, n, 1);
	if (st != QP_NORM_OK) {
		group_fail(g, "%s: status %d at %zu, want OK", show(in, n), st, bad);
	} else if (!want || strlen(want) != t.len ||
	           memcmp(want, t.s, t.len) != 0) {
		group_fail(g, "%s: got %s, want %s", show(in, n), show(t.s, t.len),
		           want ? shows(want) : "(oracle error)");
	} else if (gm) {
		char why[900];
		gm->cases++;
		if (map_ok(in, n, &t, why, sizeof why))
			group_fail(gm, "%s: %s", show(in, n), why);
	}
	free(want);
	qp_text_free(&t);
}

/* The words of s (NFC) alternately in NFC and in NFD, malloc'd. */
static char *mixed_nfc_nfd(const char *s)
{
	char *d = oracle_nfd(s);
	char *mix = malloc(strlen(d) + strlen(s) + 1);
	size_t k = 0;
	/* Take words alternately from the NFC and the NFD form (the spaces
	 * are the same in both). */
	const char *p = s, *q = d;
	int from_nfd = 0;
	for (;;) {
		size_t lp = strcspn(p, " "), lq = strcspn(q, " ");
		if (from_nfd)
			memcpy(mix + k, q, lq), k += lq;
		else
			memcpy(mix + k, p, lp), k += lp;
		from_nfd = !from_nfd;
		p += lp;
		q += lq;
		if (*p != ' ' || *q != ' ')
			break;
		mix[k++] = ' ';
		p++;
		q++;
	}
	mix[k] = '\0';
	free(d);
	return mix;
}

/* Combining marks after ASCII letters, in and out of order. */
static const char *const marks[] = {
	"a\u0301", "Tha\u0300nh", "e\u0302\u0323", "e\u0323\u0302",
	"o\u031B\u0300", "o\u0300\u031B", "u\u0323\u031B", "A\u0306\u0309",
	"d\u0323", "x\u0301y\u0300z", "a\u0301\u0302", "i\u0345\u0301",
	"q\u0307\u0323", "Hoa\u0300 Bi\u0300nh", "\u0301a", "1\u0301",
	" \u0303", "-\u0309", "y\u0303\u0303", "o\u0302\u0301\u0323",
};

/* Hangul: leading + vowel (+ trailing) jamo compose to syllables, an LV
 * syllable takes a trailing jamo. */
static const char *const hangul[] = {
	"\u1100\u1161", "\u1100\u1161\u11A8", "\uAC00\u11A8",
	"x\u1112\u1175\u11C2y", "\u1100\u1161\u11A8\u11A8",
	"\uAC01\u11A8", "\u1161\u11A8", "\u1100\u1100\u1161",
	"\u1100\u11A7", "\u1100\u1161\u0301",
};

/* U+212B ANGSTROM SIGN is U+00C5 in NFC, alone or between other
 * characters. */
static const char *const angstrom[] = {
	"\u212B", "x\u212By", "\u212B\u0301",
};

/* Other singletons, and composition exclusions. */
static const char *const singles[] = {
	"\u2126", "\u212A", "a\u0340", "\u0340", "\u0344", "\u0374",
	"\u037E", "\u0387", "\u1FEF", "\u2000", "\uF900", "\U0002F800",
	"\u0958", "\uFB1D", "\u2ADC", "\U0001D15E",
};

/* The exact NFC of U+212B alone, beside its oracle group. */
static void angstrom_is_00C5(void)
{
	qp_text t;
	qp_text_init(&t);
	size_t bad;
	qp_normalize("\u212B", 3, &t, &bad);
	check("norm.singleton_212B_is_00C5",
	      t.len == 2 && memcmp(t.s, "\u00C5", 2) == 0,
	      "NFC of U+212B gave %s, want <U+00C5>", show(t.s, t.len));
	qp_text_free(&t);
}

/* A set of strings, each normalized against the oracle (group `name`)
 * and, when map_name is not NULL, checked for its map; `make` (when
 * not NULL) turns each string into the malloc'd one to normalize, and
 * `then` (when not NULL) is a check of its own that follows. */
struct norm_set {
	const char        *name, *map_name;
	const char *const *in;
	size_t             n;
	char            *(*make)(const char *);
	void             (*then)(void);
};

static void norm_set_run(const struct norm_set *set)
{
	group g, gm;
	group_start(&g, set->name);
	group_start(&gm, set->map_name);
	for (size_t i = 0; i < set->n; i++) {
		char *made = set->make ? set->make(set->in[i]) : NULL;
		const char *s = made ? made : set->in[i];
		norm_case(&g, set->map_name ? &gm : NULL, s, strlen(s));
		free(made);
	}
	group_end(&g);
	if (set->map_name)
		group_end(&gm);
	if (set->then)
		set->then();
}

/* Singletons and non-starter decompositions (U+212B, U+0340, U+0344):
 * code points that NFC changes even standing alone, though they are not
 * composition exclusions. */
static int is_singleton(int32_t cp)
{
	char one[5];
	size_t n = 0;
	put_cp(one, &n, cp);
	one[n] = '\0';
	char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)one);
	int changes = nfc && strcmp(nfc, one) != 0;
	free(nfc);
	return changes && !utf8proc_get_property(cp)->comp_exclusion;
}

/* The code points random strings may not hold: a BOM first (it has
 * tests of its own), and with the second, no singletons either. */
static int32_t no_bom(int32_t cp, int at)
{
	return at == 0 && cp == 0xFEFF ? 'a' : cp;
}

static int32_t no_bom_no_singleton(int32_t cp, int at)
{
	return (at == 0 && cp == 0xFEFF) || is_singleton(cp) ? 'a' : cp;
}

/* 4000 random strings of 1 to 16 interesting code points, checked
 * against the oracle (group `name`) and for their map (`map_name`). */
static void random_strings(const char *name, const char *map_name,
                           int32_t (*fix)(int32_t, int))
{
	group g, gm;
	group_start(&g, name);
	group_start(&gm, map_name);
	for (int k = 0; k < 4000; k++) {
		char buf[RANDOM_TEXT_MAX];
		size_t n = random_text(buf, fix);
		norm_case(&g, &gm, buf, n);
	}
	group_end(&g);
	group_end(&gm);
}

void test_normalize(void)
{
	const struct norm_set sets[] = {
		/* Vietnamese NFC text is left alone, and its NFD form
		 * composes; mixed: words alternately in NFC and in NFD. */
		{"norm.oracle.vietnamese_nfc", "norm.map.vietnamese_nfc", vi_nfc,
		 n_vi_nfc, NULL, NULL},
		{"norm.oracle.vietnamese_nfd", "norm.map.vietnamese_nfd", vi_nfc,
		 n_vi_nfc, oracle_nfd, NULL},
		{"norm.oracle.vietnamese_mixed", "norm.map.vietnamese_mixed",
		 vi_nfc, n_vi_nfc, mixed_nfc_nfd, NULL},
		{"norm.oracle.marks_after_ascii", "norm.map.marks_after_ascii",
		 marks, COUNT(marks), NULL, NULL},
		{"norm.oracle.hangul", "norm.map.hangul", hangul, COUNT(hangul),
		 NULL, NULL},
		{"norm.oracle.singleton_212B", NULL, angstrom, COUNT(angstrom),
		 NULL, angstrom_is_00C5},
		{"norm.oracle.singletons_and_exclusions",
		 "norm.map.singletons_and_exclusions", singles, COUNT(singles),
		 NULL, NULL},
	};
	for (size_t i = 0; i < COUNT(sets); i++)
		norm_set_run(&sets[i]);

	/* Random strings over the interesting code points; then again
	 * without the singletons, so that a bug with those (which have
	 * tests of their own) does not hide everything else. */
	random_strings("norm.oracle.random", "norm.map.random", no_bom);
	random_strings("norm.oracle.random_no_singletons",
	               "norm.map.random_no_singletons", no_bom_no_singleton);
}

/* ------------------------------------------------------------------ */
/* Offset map details: BOM and line ends                               */
/* ------------------------------------------------------------------ */

/* Normalize in (n bytes), expecting OK; returns the text in *t. */
static int norm_ok(const char *in, size_t n, qp_text *t)
{
	size_t bad = 0;
	qp_text_init(t);
	return qp_normalize(in, n, t, &bad) == QP_NORM_OK;
}

/* in and its length, for string literals (which may hold a NUL). */
#define LIT(s) s, sizeof(s) - 1

/* Inputs whose normalization is known: the check `name` expects
 * norm(in) == want and a valid map. */
static const struct {
	const char *name;
	const char *in;
	size_t      n;
	const char *want;
} norm_expected[] = {
	{"norm.bom.only", LIT("\xEF\xBB\xBF"), ""},
	{"norm.bom.then_nfd", LIT("\xEF\xBB\xBFTha\xCC\x80nh"), "Thành"},
	/* A BOM later in the text is a ZWNBSP and stays. */
	{"norm.bom.inner_kept", LIT("a\xEF\xBB\xBF"), "a\xEF\xBB\xBF"},
	/* Line ends. */
	{"norm.crlf.ascii", LIT("ab\r\ncd\r\n"), "ab\ncd\n"},
	{"norm.crlf.lone_cr", LIT("ab\rcd\r"), "ab\ncd\n"},
	{"norm.crlf.cr_cr_lf", LIT("a\r\r\nb"), "a\n\nb"},
	{"norm.crlf.after_vietnamese", LIT("Hà\r\nNội"), "Hà\nNội"},
	{"norm.crlf.before_vietnamese", LIT("x\r\nĐà"), "x\nĐà"},
	{"norm.crlf.lone_cr_before_vietnamese", LIT("x\rĐà"), "x\nĐà"},
	{"norm.crlf.lone_cr_before_mark", LIT("\r\xCC\x81"), "\n\xCC\x81"},
	{"norm.crlf.bom_crlf", LIT("\xEF\xBB\xBFTi\xC3\xAAu \xC4\x91\xE1"
	 "\xBB\x81\r\nd\xC3\xB2ng 2\r\n"), "Tiêu đề\ndòng 2\n"},
};

/* Expect norm(in) == want and a valid map; one check named name. */
static void expect_norm(const char *name, const char *in, size_t n,
                        const char *want)
{
	qp_text t;
	char why[900] = "";
	if (!norm_ok(in, n, &t)) {
		check(name, 0, "%s: not OK", show(in, n));
	} else if (t.len != strlen(want) || memcmp(t.s, want, t.len) != 0) {
		check(name, 0, "%s: got %s, want %s", show(in, n), show(t.s, t.len),
		      shows(want));
	} else {
		check(name, map_ok(in, n, &t, why, sizeof why) == 0, "%s: %s",
		      show(in, n), why);
	}
	qp_text_free(&t);
}

void test_map(void)
{
	qp_text t;

	/* A leading BOM is dropped; the map starts at 3. */
	const char bom[] = "\xEF\xBB\xBFHo\xC3\xA0 B\xC3\xACnh";
	if (norm_ok(bom, sizeof bom - 1, &t))
		check("norm.bom.stripped",
		      t.len == sizeof bom - 4 && memcmp(t.s, bom + 3, t.len) == 0 &&
		      t.src[0] == 3 && t.src[t.len] == sizeof bom - 1,
		      "got %s, src[0] = %zu", show(t.s, t.len), t.src[0]);
	else
		check("norm.bom.stripped", 0, "not OK");
	qp_text_free(&t);
	for (size_t i = 0; i < COUNT(norm_expected); i++)
		expect_norm(norm_expected[i].name, norm_expected[i].in,
		            norm_expected[i].n, norm_expected[i].want);

	/* CRLF: the LF of norm must map back to the whole "\r\n", so a span
	 * that ends before the line end does not take the CR with it. */
	if (norm_ok("ab\r\ncd", 6, &t))
		check("norm.crlf.span_excludes_cr", t.len == 5 && t.src[2] == 2,
		      "the LF at norm 2 maps to input %zu, want 2 (the CR); "
		      "norm \"ab\" maps to input %s", t.src[2],
		      show("ab\r\ncd", t.src[2]));
	else
		check("norm.crlf.span_excludes_cr", 0, "not OK");
	qp_text_free(&t);

	/* The map of an NFD text points at the start of each cluster. */
	const char nfd[] = "Tha\xCC\x80nh"; /* T h a U+0300 n h */
	if (norm_ok(nfd, sizeof nfd - 1, &t))
		check("norm.map.nfd_cluster_starts",
		      t.len == 6 && t.src[2] == 2 && t.src[3] == 2 &&
		      t.src[4] == 5 && t.src[5] == 6 && t.src[6] == 7,
		      "src = %zu %zu %zu %zu %zu %zu %zu", t.src[0], t.src[1],
		      t.src[2], t.src[3], t.src[4], t.src[5], t.src[6]);
	else
		check("norm.map.nfd_cluster_starts", 0, "not OK");
	qp_text_free(&t);

	/* Reusing a qp_text: it is reset, not appended to. */
	qp_text_init(&t);
	size_t bad;
	qp_normalize("first", 5, &t, &bad);
	qp_normalize("xy", 2, &t, &bad);
	check("norm.reuse_resets", t.len == 2 && strcmp(t.s, "xy") == 0 &&
	      t.src[2] == 2, "got %s", show(t.s, t.len));
	qp_text_free(&t);
}

/* ------------------------------------------------------------------ */
/* Input errors: NUL and invalid UTF-8                                 */
/* ------------------------------------------------------------------ */

void test_norm_errors(void)
{
	static const struct {
		const char    *name;
		const char    *in;
		size_t         len;
		qp_norm_status want;
		size_t         at;
	} cases[] = {
		{"norm.err.nul", "ab\0cd", 5, QP_NORM_NUL, 2},
		{"norm.err.nul_first", "\0", 1, QP_NORM_NUL, 0},
		{"norm.err.nul_after_bom", "\xEF\xBB\xBF\0", 4, QP_NORM_NUL, 3},
		{"norm.err.nul_after_mark", "a\xCC\x81\0z", 5, QP_NORM_NUL, 3},
		{"norm.err.nul_after_vietnamese", "\xC4\x91\0", 3, QP_NORM_NUL, 2},
		{"norm.err.overlong_c0_80", "ab\xC0\x80", 4, QP_NORM_BAD_UTF8, 2},
		{"norm.err.overlong_c1_bf", "\xC1\xBF", 2, QP_NORM_BAD_UTF8, 0},
		{"norm.err.overlong_e0_80_80", "x\xE0\x80\x80", 4,
		 QP_NORM_BAD_UTF8, 1},
		{"norm.err.overlong_f0_80_80_80", "\xF0\x80\x80\x80", 4,
		 QP_NORM_BAD_UTF8, 0},
		{"norm.err.surrogate_ed_a0_80", "ab\xED\xA0\x80", 5,
		 QP_NORM_BAD_UTF8, 2},
		{"norm.err.surrogate_ed_bf_bf", "\xED\xBF\xBF", 3,
		 QP_NORM_BAD_UTF8, 0},
		{"norm.err.above_10ffff", "\xF4\x90\x80\x80", 4,
		 QP_NORM_BAD_UTF8, 0},
		{"norm.err.byte_f5", "a\xF5\x80\x80\x80", 5, QP_NORM_BAD_UTF8, 1},
		{"norm.err.byte_f8", "\xF8\x88\x80\x80\x80", 5,
		 QP_NORM_BAD_UTF8, 0},
		{"norm.err.byte_fe", "ab\xFE", 3, QP_NORM_BAD_UTF8, 2},
		{"norm.err.byte_ff", "\xFF", 1, QP_NORM_BAD_UTF8, 0},
		{"norm.err.truncated_at_end", "abc\xE1\xBB", 5,
		 QP_NORM_BAD_UTF8, 3},
		{"norm.err.truncated_2byte_at_end", "\xC3", 1, QP_NORM_BAD_UTF8, 0},
		{"norm.err.truncated_4byte_at_end", "\xC4\x91\xF0\x9F\x98", 5,
		 QP_NORM_BAD_UTF8, 2},
		{"norm.err.truncated_before_ascii", "\xE1\xBB" "a", 3,
		 QP_NORM_BAD_UTF8, 0},
		{"norm.err.lone_continuation", "a\x80" "b", 3, QP_NORM_BAD_UTF8, 1},
		{"norm.err.continuation_after_char", "H\xC3\xA0\xBF", 4,
		 QP_NORM_BAD_UTF8, 3},
		{"norm.err.bad_after_mark", "a\xCC\x81\xFF", 4, QP_NORM_BAD_UTF8, 3},
		{"norm.err.bad_after_bom", "\xEF\xBB\xBF\x80", 4,
		 QP_NORM_BAD_UTF8, 3},
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		qp_text t;
		qp_text_init(&t);
		size_t bad = (size_t)-1;
		qp_norm_status st = qp_normalize(cases[i].in, cases[i].len, &t,
		                                 &bad);
		check(cases[i].name, st == cases[i].want && bad == cases[i].at,
		      "%s: status %d at %zu, want status %d at %zu",
		      show(cases[i].in, cases[i].len), st,
		      st == QP_NORM_OK ? (size_t)0 : bad, cases[i].want,
		      cases[i].at);
		qp_text_free(&t);
	}
}
