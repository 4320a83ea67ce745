/*
 * unit.c - unit tests of qpan's modules, with a harness of its own.
 *
 * Every check prints one line on stdout: "PASS name" or "FAIL name:
 * reason".  tests/run.sh counts them; main() returns 0 however many
 * failed, so a nonzero status means the program itself broke (a crash,
 * a sanitizer report).  Checks that run many cases (the NFC oracle, the
 * offset map over random strings) print one line for the whole group,
 * naming the first case that failed.
 *
 * Suites, in order: normalization (against utf8proc_NFC as the oracle),
 * the offset map, input errors, the fold, rules and lexicons, header
 * extraction, small helpers, and the directory walker.
 *
 * Two helper modes are not tests, for tests/run.sh and tests/cli.sh:
 *   unit --nfc          copy stdin to stdout in NFC (utf8proc_NFC)
 *   unit --leak-probe   leak memory on purpose: does LeakSanitizer run?
 *
 * All text here is invented for the tests; no corpus text is copied.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "cli.h"
#include "doc.h"
#include "extract.h"
#include "extractor.h"
#include "lib.h"
#include "text.h"
#include "result.h"
#include "rules.h"
#include "walk.h"

/* ------------------------------------------------------------------ */
/* Harness                                                             */
/* ------------------------------------------------------------------ */

static unsigned n_pass, n_fail;

/* Report one check.  The reason (printf-style) is only used on failure. */
__attribute__((format(printf, 3, 4)))
static int check(const char *name, int ok, const char *fmt, ...)
{
	if (ok) {
		printf("PASS %s\n", name);
		n_pass++;
	} else {
		va_list ap;
		va_start(ap, fmt);
		printf("FAIL %s: ", name);
		vprintf(fmt, ap);
		putchar('\n');
		va_end(ap);
		n_fail++;
	}
	fflush(stdout);
	return ok;
}

/* A group of cases reported as one check: counts the cases and keeps
 * the reason of the first that failed. */
typedef struct {
	const char *name;
	size_t      cases, failed;
	char        first[1024];
} group;

static void group_start(group *g, const char *name)
{
	memset(g, 0, sizeof *g);
	g->name = name;
}

__attribute__((format(printf, 2, 3)))
static void group_fail(group *g, const char *fmt, ...)
{
	if (g->failed++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(g->first, sizeof g->first, fmt, ap);
		va_end(ap);
	}
}

static void group_end(group *g)
{
	check(g->name, g->failed == 0, "%zu of %zu cases failed; first: %s",
	      g->failed, g->cases, g->first);
}

/* Render s[0..n) unambiguously for a message: printable ASCII as is,
 * other characters as <U+XXXX>, invalid bytes as \xNN.  Returns a
 * pointer to one of a few rotating static buffers. */
static const char *show(const char *s, size_t n)
{
	static char bufs[4][512];
	static int which;
	char *b = bufs[which++ % 4];
	size_t o = 0, i = 0;
	const size_t cap = sizeof bufs[0] - 16;
	b[o++] = '"';
	while (i < n && o < cap) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
			b[o++] = (char)c;
			i++;
			continue;
		}
		if (c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '\\') {
			b[o++] = '\\';
			b[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't'
			         : (char)c;
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (l <= 0 || c < 0x80) {
			o += (size_t)snprintf(b + o, sizeof bufs[0] - o, "\\x%02X", c);
			i++;
		} else {
			o += (size_t)snprintf(b + o, sizeof bufs[0] - o, "<U+%04X>",
			                      (unsigned)cp);
			i += (size_t)l;
		}
	}
	if (i < n)
		o += (size_t)snprintf(b + o, sizeof bufs[0] - o, "...");
	b[o++] = '"';
	b[o] = '\0';
	return b;
}

static const char *shows(const char *s)
{
	return show(s, strlen(s));
}

/* Append code point cp as UTF-8 to buf (of at least *n + 4 bytes). */
static void put_cp(char *buf, size_t *n, int32_t cp)
{
	*n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf + *n);
}

/* A deterministic PRNG (xorshift64*), so failures can be replayed. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

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

static char *oracle_nfd(const char *s)
{
	return (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
}

/* Is byte c the first byte of a UTF-8 character? */
static int is_lead(unsigned char c)
{
	return (c & 0xC0) != 0x80;
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
			         a, b, show(in + a, b - a),
			         want ? shows(want) : "(error)");
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

static void norm_case_s(group *g, group *gm, const char *in)
{
	norm_case(g, gm, in, strlen(in));
}

/* Vietnamese text, NFC, invented for the tests. */
static const char *const vi_nfc[] = {
	"Sáng 18/12, Ủy ban nhân dân huyện Đông Khê Hạ tổ chức hội nghị tổng "
	"kết công tác quốc phòng - an ninh năm 2024.",
	"Đồng chí Lường Văn Khởi, Phó Bí thư Huyện ủy, Chủ tịch UBND huyện "
	"chủ trì hội nghị.",
	"Thượng tá Nguyễn Thị Hoà, Trưởng Công an huyện báo cáo: lực lượng "
	"chức năng đã triệt phá 12 vụ/27 đối tượng, thu giữ 1,5 kg ma túy.",
	"Quỹ “Vì an ninh Tổ quốc” được ủng hộ hơn 950 triệu đồng — tăng so "
	"với năm trước; thuỷ, thủy, Hòa, Hoà, khoẻ, khỏe, quý, qúy.",
	"ă â ê ô ơ ư đ Ă Â Ê Ô Ơ Ư Đ ạ ả ã ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẹ ẻ ẽ ế ề ể ễ "
	"ệ ỉ ĩ ị ọ ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ủ ũ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ Ỳ Ỵ Ỷ Ỹ",
	"BAN CHỈ HUY QUÂN SỰ THỊ XÃ LAM PHỔ\nĐẠI TÁ TRƯƠNG MINH ĐỨC\n\n",
	"",
	"a",
	"\n",
};

/* Interesting code points for random strings: ASCII, precomposed
 * Vietnamese, combining marks of many classes, singletons and other
 * canonical decompositions NFC does not keep, composition exclusions,
 * Hangul jamo and syllables, starters that compose with the character
 * before them, and assorted punctuation and symbols.  No CR, no NUL,
 * no BOM (those have their own tests). */
static const int32_t interesting[] = {
	'a', 'e', 'o', 'u', 'y', 'A', 'O', 'd', 'D', 'g', 'K', ' ', '\n',
	'-', '.', '1',
	0xC0, 0xC5, 0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xEC, 0xF2,
	0xF3, 0xF4, 0xF5, 0xF9, 0xFA, 0xFD, 0x103, 0x110, 0x111, 0x129,
	0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x1EA1, 0x1EA3, 0x1EA5, 0x1EC7,
	0x1EE3, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9,
	0x300, 0x301, 0x302, 0x303, 0x306, 0x308, 0x309, 0x30A, 0x31B,
	0x323, 0x327, 0x328, 0x345, 0x35C, 0x5B0, 0x1DCE, 0x302A, 0x0E48,
	0x212B, 0x2126, 0x212A, 0x340, 0x341, 0x343, 0x344, 0x374, 0x37E,
	0x387, 0x1FEF, 0x2000, 0xF900, 0x2F800,
	0x958, 0x915, 0x93C, 0xFB1D, 0x5D9, 0x5B4, 0x2ADC, 0x1D15E,
	0x1100, 0x1112, 0x1161, 0x1175, 0x11A7, 0x11A8, 0x11C2, 0xAC00,
	0xAC01, 0xD7A3, 0x3131,
	0xB47, 0xB3E, 0xB57, 0xDD9, 0xDCF, 0xDCA, 0x1025, 0x102E, 0x1B05,
	0x1B35, 0x9C7, 0x9BE, 0x9D7, 0xCC6, 0xCC2, 0xCD5,
	0xA0, 0xFEFF, 0x200D, 0x2013, 0x2014, 0x201C, 0x1F600, 0x4E00,
	0xE01, 0x1E9B, 0x131, 0x3D2,
};

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

/* 4000 random strings of 1 to 16 interesting code points, checked
 * against the oracle (group `name`) and for their map (`map_name`). */
static void random_strings(const char *name, const char *map_name,
                           int no_singletons)
{
	const size_t ni = sizeof interesting / sizeof *interesting;
	group g, gm;
	group_start(&g, name);
	group_start(&gm, map_name);
	for (int k = 0; k < 4000; k++) {
		char buf[16 * 4 + 1];
		size_t n = 0;
		int len = 1 + (int)(rng() % 16);
		for (int c = 0; c < len; c++) {
			int32_t cp = interesting[rng() % ni];
			if ((c == 0 && cp == 0xFEFF) ||
			    (no_singletons && is_singleton(cp)))
				cp = 'a';
			put_cp(buf, &n, cp);
		}
		buf[n] = '\0';
		norm_case(&g, &gm, buf, n);
	}
	group_end(&g);
	group_end(&gm);
}

static void test_normalize(void)
{
	group g, gm;

	/* Vietnamese NFC text is left alone, and its NFD form composes. */
	group_start(&g, "norm.oracle.vietnamese_nfc");
	group_start(&gm, "norm.map.vietnamese_nfc");
	for (size_t i = 0; i < sizeof vi_nfc / sizeof *vi_nfc; i++)
		norm_case_s(&g, &gm, vi_nfc[i]);
	group_end(&g);
	group_end(&gm);

	group_start(&g, "norm.oracle.vietnamese_nfd");
	group_start(&gm, "norm.map.vietnamese_nfd");
	for (size_t i = 0; i < sizeof vi_nfc / sizeof *vi_nfc; i++) {
		char *d = oracle_nfd(vi_nfc[i]);
		norm_case_s(&g, &gm, d);
		free(d);
	}
	group_end(&g);
	group_end(&gm);

	/* Mixed: words alternately in NFC and in NFD. */
	group_start(&g, "norm.oracle.vietnamese_mixed");
	group_start(&gm, "norm.map.vietnamese_mixed");
	for (size_t i = 0; i < sizeof vi_nfc / sizeof *vi_nfc; i++) {
		char *d = oracle_nfd(vi_nfc[i]);
		const char *c = vi_nfc[i];
		size_t cap = strlen(d) + strlen(c) + 1;
		char *mix = malloc(cap);
		size_t k = 0;
		/* Take words alternately from the NFC and the NFD form (the
		 * spaces are the same in both). */
		const char *p = c, *q = d;
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
		norm_case(&g, &gm, mix, k);
		free(mix);
		free(d);
	}
	group_end(&g);
	group_end(&gm);

	/* Combining marks after ASCII letters, in and out of order. */
	static const char *const marks[] = {
		"a\u0301", "Tha\u0300nh", "e\u0302\u0323", "e\u0323\u0302",
		"o\u031B\u0300", "o\u0300\u031B", "u\u0323\u031B", "A\u0306\u0309",
		"d\u0323", "x\u0301y\u0300z", "a\u0301\u0302", "i\u0345\u0301",
		"q\u0307\u0323", "Hoa\u0300 Bi\u0300nh", "\u0301a", "1\u0301",
		" \u0303", "-\u0309", "y\u0303\u0303", "o\u0302\u0301\u0323",
	};
	group_start(&g, "norm.oracle.marks_after_ascii");
	group_start(&gm, "norm.map.marks_after_ascii");
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
		norm_case_s(&g, &gm, marks[i]);
	group_end(&g);
	group_end(&gm);

	/* Hangul: leading + vowel (+ trailing) jamo compose to syllables,
	 * an LV syllable takes a trailing jamo. */
	static const char *const hangul[] = {
		"\u1100\u1161", "\u1100\u1161\u11A8", "\uAC00\u11A8",
		"x\u1112\u1175\u11C2y", "\u1100\u1161\u11A8\u11A8",
		"\uAC01\u11A8", "\u1161\u11A8", "\u1100\u1100\u1161",
		"\u1100\u11A7", "\u1100\u1161\u0301",
	};
	group_start(&g, "norm.oracle.hangul");
	group_start(&gm, "norm.map.hangul");
	for (size_t i = 0; i < sizeof hangul / sizeof *hangul; i++)
		norm_case_s(&g, &gm, hangul[i]);
	group_end(&g);
	group_end(&gm);

	/* Singletons: U+212B ANGSTROM SIGN is U+00C5 in NFC, alone or
	 * between other characters. */
	group_start(&g, "norm.oracle.singleton_212B");
	norm_case_s(&g, NULL, "\u212B");
	norm_case_s(&g, NULL, "x\u212By");
	norm_case_s(&g, NULL, "\u212B\u0301");
	group_end(&g);
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
	static const char *const singles[] = {
		"\u2126", "\u212A", "a\u0340", "\u0340", "\u0344", "\u0374",
		"\u037E", "\u0387", "\u1FEF", "\u2000", "\uF900", "\U0002F800",
		"\u0958", "\uFB1D", "\u2ADC", "\U0001D15E",
	};
	group_start(&g, "norm.oracle.singletons_and_exclusions");
	group_start(&gm, "norm.map.singletons_and_exclusions");
	for (size_t i = 0; i < sizeof singles / sizeof *singles; i++)
		norm_case_s(&g, &gm, singles[i]);
	group_end(&g);
	group_end(&gm);

	/* Random strings over the interesting code points; then again
	 * without the singletons, so that a bug with those (which have
	 * tests of their own) does not hide everything else. */
	random_strings("norm.oracle.random", "norm.map.random", 0);
	random_strings("norm.oracle.random_no_singletons",
	               "norm.map.random_no_singletons", 1);
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

static void test_map(void)
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
	expect_norm("norm.bom.only", LIT("\xEF\xBB\xBF"), "");
	expect_norm("norm.bom.then_nfd", LIT("\xEF\xBB\xBFTha\xCC\x80nh"),
	            "Thành");
	/* A BOM later in the text is a ZWNBSP and stays. */
	expect_norm("norm.bom.inner_kept", LIT("a\xEF\xBB\xBF"), "a\xEF\xBB\xBF");

	/* Line ends. */
	expect_norm("norm.crlf.ascii", LIT("ab\r\ncd\r\n"), "ab\ncd\n");
	expect_norm("norm.crlf.lone_cr", LIT("ab\rcd\r"), "ab\ncd\n");
	expect_norm("norm.crlf.cr_cr_lf", LIT("a\r\r\nb"), "a\n\nb");
	expect_norm("norm.crlf.after_vietnamese", LIT("Hà\r\nNội"), "Hà\nNội");
	expect_norm("norm.crlf.before_vietnamese", LIT("x\r\nĐà"), "x\nĐà");
	expect_norm("norm.crlf.lone_cr_before_vietnamese", LIT("x\rĐà"),
	            "x\nĐà");
	expect_norm("norm.crlf.lone_cr_before_mark", LIT("\r\xCC\x81"),
	            "\n\xCC\x81");
	expect_norm("norm.crlf.bom_crlf", LIT("\xEF\xBB\xBFTi\xC3\xAAu \xC4\x91\xE1"
	            "\xBB\x81\r\nd\xC3\xB2ng 2\r\n"), "Tiêu đề\ndòng 2\n");

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

static void test_norm_errors(void)
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
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
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

/* ------------------------------------------------------------------ */
/* The fold                                                            */
/* ------------------------------------------------------------------ */

/* Fold s (any normalization) through normalize + fold; returns the
 * fold text malloc'd, or NULL. */
static char *fold_of(const char *s)
{
	qp_doc d;
	size_t n = strlen(s), bad;
	char *raw = malloc(n + 1);
	memcpy(raw, s, n + 1);
	qp_doc_init(&d, "test");
	char *out = NULL;
	if (qp_doc_prepare(&d, raw, n, NULL, NULL, QP_ENC_UTF8, &bad) == QP_NORM_OK)
		out = strdup(d.fold.s);
	qp_doc_free(&d);
	return out;
}

/* Expect fold(a) == want (an NFC literal). */
static void expect_fold(const char *name, const char *a, const char *want)
{
	char *f = fold_of(a);
	check(name, f && strcmp(f, want) == 0, "fold of %s is %s, want %s",
	      shows(a), f ? shows(f) : "(error)", shows(want));
	free(f);
}

/* Expect fold(a) == fold(b). */
static void expect_same_fold(const char *name, const char *a, const char *b)
{
	char *fa = fold_of(a), *fb = fold_of(b);
	check(name, fa && fb && strcmp(fa, fb) == 0, "fold %s = %s but fold "
	      "%s = %s", shows(a), fa ? shows(fa) : "(error)", shows(b),
	      fb ? shows(fb) : "(error)");
	free(fa);
	free(fb);
}

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

/* Expect key(a) == key(b). */
static void expect_same_key(const char *name, const char *a, const char *b)
{
	char *ka = key_of(a), *kb = key_of(b);
	check(name, ka && kb && strcmp(ka, kb) == 0, "key %s = %s but key "
	      "%s = %s", shows(a), ka ? shows(ka) : "(error)", shows(b),
	      kb ? shows(kb) : "(error)");
	free(ka);
	free(kb);
}

static void test_fold(void)
{
	/* One tone placement: the old and the new spelling fold alike
	 * (which vowel the fold puts the tone on is its own business). */
	expect_same_fold("fold.tone.hoa", "Hoà", "Hòa");
	expect_same_fold("fold.tone.thuy", "thuỷ", "thủy");
	expect_same_fold("fold.tone.khoe", "khoẻ", "khỏe");
	expect_same_fold("fold.tone.hoe", "Thanh Hoè", "Thanh Hòe");
	expect_same_fold("fold.tone.quy", "quý", "qúy");
	expect_same_fold("fold.tone.sentence", "Hoà Bình, thuỷ lợi, khoẻ mạnh",
	                 "Hòa Bình, thủy lợi, khỏe mạnh");
	/* Different words stay different. */
	char *a = fold_of("hòa"), *b = fold_of("hóa");
	check("fold.tone.distinct", a && b && strcmp(a, b) != 0,
	      "\"hòa\" and \"hóa\" both fold to %s", a ? shows(a) : "(error)");
	free(a);
	free(b);
	/* Case: the comparison key is lower case, whatever the document
	 * fold does with case (rules match it caselessly: see rules.*). */
	expect_same_key("fold.key.hoa_binh", "HÒA BÌNH", "hoà bình");
	expect_same_key("fold.key.quan_khu", "Quân khu 4", "quân khu 4");
	expect_same_key("fold.key.QUAN_KHU", "QUÂN KHU 4", "quân khu 4");
	expect_same_key("fold.key.ascii", "UBND Huyện", "ubnd huyện");
	expect_same_key("fold.key.d_stroke", "ĐỒNG CHÍ", "đồng chí");
	expect_same_key("fold.key.tone_and_case", "THUỶ", "thủy");
	/* The document fold keeps case (normalize.h): "\p{Lu}" in a rule
	 * must still see a capital. */
	expect_fold("fold.case_kept", "Quân khu 4", "Quân khu 4");
	char *k = key_of("Quân khu");
	check("fold.key.lower_value", k && strcmp(k, "quân khu") == 0,
	      "key of \"Quân khu\" is %s", k ? shows(k) : "(error)");
	free(k);
	/* Punctuation and spaces (inputs without tones or capitals, so the
	 * folded value is known whatever the tone and case policy). */
	expect_fold("fold.dash.en_em", "a – b — c ‒ d", "a - b - c - d");
	expect_fold("fold.dash.minus", "5 − 3", "5 - 3");
	expect_fold("fold.quote.double", "“an ninh”", "\"an ninh\"");
	expect_fold("fold.quote.single", "‘ok’", "'ok'");
	expect_fold("fold.space.nbsp", "a\u00A0b", "a b");
	expect_fold("fold.space.narrow", "10\u202F000", "10 000");
	expect_fold("fold.ellipsis", "vv…", "vv...");
	expect_fold("fold.digits_kept", "12/2024 - 37,5", "12/2024 - 37,5");
	expect_same_fold("fold.space.nbsp_in_words", "Đại\u00A0tá", "Đại tá");

	/* NFD and NFC input give the same fold, for whole paragraphs. */
	group g;
	group_start(&g, "fold.nfd_equals_nfc");
	for (size_t i = 0; i < sizeof vi_nfc / sizeof *vi_nfc; i++) {
		char *d = oracle_nfd(vi_nfc[i]);
		char *fa = fold_of(vi_nfc[i]), *fb = fold_of(d);
		g.cases++;
		if (!fa || !fb || strcmp(fa, fb) != 0)
			group_fail(&g, "%s: NFC folds to %s, NFD to %s",
			           shows(vi_nfc[i]), fa ? shows(fa) : "(error)",
			           fb ? shows(fb) : "(error)");
		free(fa);
		free(fb);
		free(d);
	}
	group_end(&g);

	/* fold.src: monotonic, within norm, characters start on character
	 * boundaries of norm, src[len] == norm.len; over Vietnamese text
	 * and random strings. */
	group_start(&g, "fold.map.monotonic");
	const size_t ni = sizeof interesting / sizeof *interesting;
	for (int k = 0; k < 1000 + (int)(sizeof vi_nfc / sizeof *vi_nfc); k++) {
		char buf[16 * 4 + 1];
		const char *s;
		if (k < (int)(sizeof vi_nfc / sizeof *vi_nfc)) {
			s = vi_nfc[k];
		} else {
			size_t n = 0;
			int len = 1 + (int)(rng() % 16);
			for (int c = 0; c < len; c++)
				put_cp(buf, &n, interesting[rng() % ni]);
			buf[n] = '\0';
			s = buf;
		}
		qp_doc d;
		size_t n = strlen(s), bad;
		char *raw = malloc(n + 1);
		memcpy(raw, s, n + 1);
		qp_doc_init(&d, "test");
		g.cases++;
		if (qp_doc_prepare(&d, raw, n, NULL, NULL, QP_ENC_UTF8, &bad) != QP_NORM_OK) {
			group_fail(&g, "%s: prepare failed", shows(s));
		} else {
			const qp_text *f = &d.fold, *nm = &d.norm;
			for (size_t i = 0; i <= f->len; i++) {
				/* (Bytes copied one-to-one map their continuation
				 * bytes to continuation bytes: only the first byte
				 * of a fold character must land on a boundary.) */
				if (f->src[i] > nm->len ||
				    (i < f->len && f->src[i] >= nm->len) ||
				    (i && f->src[i] < f->src[i - 1]) ||
				    (i < f->len && is_lead((unsigned char)f->s[i]) &&
				     !is_lead((unsigned char)nm->s[f->src[i]]))) {
					group_fail(&g, "%s: fold.src[%zu] = %zu (norm len "
					           "%zu) is out of range, decreasing or "
					           "mid-character", shows(s), i, f->src[i],
					           nm->len);
					break;
				}
			}
			if (f->src[f->len] != nm->len)
				group_fail(&g, "%s: fold.src[len] = %zu, want %zu",
				           shows(s), f->src[f->len], nm->len);
		}
		qp_doc_free(&d);
	}
	group_end(&g);

	/* Fold offsets: each fold byte maps to the start of the norm
	 * character it was built on, so the first byte of a word maps to the
	 * word's start and lower_bound finds the word again. */
	qp_doc d;
	char *raw = strdup("X Đại tá");
	size_t bad;
	qp_doc_init(&d, "test");
	if (qp_doc_prepare(&d, raw, strlen(raw), NULL, NULL, QP_ENC_UTF8, &bad) == QP_NORM_OK) {
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

/* ------------------------------------------------------------------ */
/* Temporary files                                                     */
/* ------------------------------------------------------------------ */

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Remove a directory tree without following links. */
static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new empty directory under $TMPDIR or /tmp; the name is malloc'd. */
static char *make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/qpan-unit-XXXXXX",
	         base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		exit(1);
	}
	return strdup(tmpl);
}

/* Write dir/rel (creating parent directories) with the given text. */
static void write_file(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Rules and lexicons                                                  */
/* ------------------------------------------------------------------ */

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
	if (!rule)
		return 0;
	qp_doc d;
	char *raw = strdup(s);
	size_t bad;
	int hit = 0;
	qp_doc_init(&d, "test");
	if (qp_doc_prepare(&d, raw, strlen(raw), NULL, NULL, QP_ENC_UTF8, &bad) == QP_NORM_OK) {
		const qp_text *t = rule->layer == QP_LAYER_FOLD ? &d.fold : &d.norm;
		qp_match mt;
		hit = qp_match_find(m, rule, t->s, 0, t->len, &mt);
		if (got)
			snprintf(got, gotlen, "(no match)");
		if (hit && got) {
			size_t a, b;
			qp_match_group(&mt, NULL, &a, &b);
			snprintf(got, gotlen, "%.*s", (int)(b - a), t->s + a);
		}
	}
	qp_doc_free(&d);
	return hit;
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

/* Expect loading to fail with a message containing every needle. */
static void expect_load_error(const char *name, const char *const *files,
                              const char *n1, const char *n2, const char *n3)
{
	char err[1200];
	qp_rules *r = load_dir(files, err, sizeof err);
	const char *missing = NULL;
	if (!r) {
		if (n1 && !strstr(err, n1))
			missing = n1;
		else if (n2 && !strstr(err, n2))
			missing = n2;
		else if (n3 && !strstr(err, n3))
			missing = n3;
	}
	check(name, !r && !missing, r ? "loaded, want an error" :
	      "error %s does not mention %s", shows(err), missing ? missing : "");
	qp_rules_free(r);
}

static void test_rules(void)
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

	/* The embedded data. */
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
	r = load_dir(mine, err, sizeof err);
	check("rules.dir.load", r != NULL, "%s", err);
	if (r) {
		expect_match("rules.dir.macro", r, mp, "x.macro",
		             "Họp ngày 15/12 tại hội trường", "ngày 15/12");
		expect_match("rules.dir.fold_caseless", r, mp, "x.macro",
		             "HỌP NGÀY 15/12", "NGÀY 15/12");
		expect_no_match("rules.dir.macro_no_match", r, mp, "x.macro",
		                "Họp ngày mười lăm");
		expect_match("rules.dir.lexicon_longest", r, mp, "x.lex",
		             "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh");
		expect_match("rules.dir.lexicon_whitespace", r, mp, "x.lex",
		             "Bộ  Chỉ\thuy\nQuân sự tỉnh",
		             "Bộ  Chỉ\thuy\nQuân sự tỉnh");
		expect_match("rules.dir.lexicon_abbrev", r, mp, "x.lex",
		             "theo BAN CHQS tỉnh", "BAN CHQS tỉnh");
		expect_match("rules.dir.fold_old_pattern_new_text", r, mp,
		             "x.old_tone", "xã Hoà Bình Tây", "Hoà Bình");
		expect_match("rules.dir.fold_old_pattern_old_text", r, mp,
		             "x.old_tone", "XÃ HÒA BÌNH", "HÒA BÌNH");
		expect_match("rules.dir.fold_new_pattern_old_text", r, mp,
		             "x.new_tone", "công trình thủy lợi", NULL);
		expect_match("rules.dir.fold_pattern_nfd_text", r, mp, "x.old_tone",
		             "Hoa\xCC\x80 Bi\xCC\x80nh", NULL);
		expect_match("rules.dir.norm_case_kept", r, mp, "x.case",
		             "Hồ Thủy", "Thủy");
		expect_no_match("rules.dir.norm_case_differs", r, mp, "x.case",
		                "hồ thủy");
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

	/* Errors name the file, the line and the rule. */
	static const char *const bad_pattern[] = {
		"rules/bad.rules",
		"# a comment\n"
		"\n"
		"ok.one\tfold\tabc\n"
		"bad.paren\tfold\t(abc\n",
		NULL,
	};
	expect_load_error("rules.err.bad_pattern", bad_pattern,
	                  "rules/bad.rules:4", "bad.paren", NULL);
	static const char *const bad_layer[] = {
		"rules/layer.rules", "ok.one\tnorm\tabc\nx.layer\tfoo\tabc\n", NULL,
	};
	expect_load_error("rules.err.bad_layer", bad_layer,
	                  "rules/layer.rules:2", "x.layer", "foo");
	static const char *const no_tabs[] = {
		"rules/tabs.rules", "x.tabs fold abc\n", NULL,
	};
	expect_load_error("rules.err.no_tabs", no_tabs, "rules/tabs.rules:1",
	                  "TAB", NULL);
	static const char *const unknown[] = {
		"rules/u.rules", "x.u\tfold\ta{{nosuch}}b\n", NULL,
	};
	expect_load_error("rules.err.unknown_macro", unknown, "rules/u.rules:1",
	                  "x.u", "nosuch");
	static const char *const unclosed[] = {
		"rules/c.rules", "x.c\tfold\ta{{y\n", NULL,
	};
	expect_load_error("rules.err.unclosed_braces", unclosed,
	                  "rules/c.rules:1", "x.c", NULL);
	static const char *const loop[] = {
		"rules/l.rules", "@a\tfold\t{{b}}\n@b\tfold\t{{a}}\nx.l\tfold\t{{a}}\n",
		NULL,
	};
	expect_load_error("rules.err.macro_loop", loop, "rules/l.rules:3", "x.l",
	                  "deep");
	static const char *const empty[] = {"other/z.txt", "x\n", NULL};
	expect_load_error("rules.err.no_subdirs", empty, "no rules/", NULL, NULL);
	r = qp_rules_load("/nonexistent/qpan-unit", err, sizeof err);
	check("rules.err.missing_dir", r == NULL, "loaded a missing DIR");
	qp_rules_free(r);

	qp_matcher_free(mp);
	qp_rules_free(mr);
}

/* ------------------------------------------------------------------ */
/* Header extraction                                                   */
/* ------------------------------------------------------------------ */

/* Run qp_extract_header on text; expect the title (NULL: none) and the
 * publication date ("" for none). */
static void header_case(const char *name, const qp_rules *rules,
                        qp_matcher *m, const char *text, const char *title,
                        const char *published)
{
	qp_doc d;
	char *raw = strdup(text);
	size_t bad;
	qp_doc_init(&d, "test");
	if (qp_doc_prepare(&d, raw, strlen(raw), NULL, NULL, QP_ENC_UTF8, &bad) != QP_NORM_OK) {
		check(name, 0, "prepare failed");
		qp_doc_free(&d);
		return;
	}
	qp_sentences sents = {0};
	qp_result r;
	qp_result_init(&r);
	qp_ctx c = {.doc = &d, .sents = &sents, .rules = rules, .m = m};
	int rc = qp_segment(&d, &sents) ? -1 : qp_extract_header(&c, &r);
	char got[600] = "(none)";
	int title_ok;
	if (r.has_title) {
		int sane = r.title.s <= r.title.e && r.title.e <= d.norm.len;
		snprintf(got, sizeof got, "%s", sane ?
		         show(d.norm.s + r.title.s, r.title.e - r.title.s) :
		         "(span out of range)");
		title_ok = title && sane && strlen(title) == r.title.e - r.title.s &&
		           memcmp(title, d.norm.s + r.title.s, strlen(title)) == 0;
	} else {
		title_ok = title == NULL;
	}
	/* The numeric fields agree with the string. */
	char again[16] = "";
	if (r.pub_year)
		snprintf(again, sizeof again, r.pub_day ? "%04d-%02d-%02d" :
		         "%04d-%02d", r.pub_year, r.pub_month, r.pub_day);
	check(name, rc == 0 && title_ok && strcmp(r.published, published) == 0 &&
	      strcmp(again, published) == 0,
	      "title %s (want %s), published \"%s\" / %d-%d-%d (want \"%s\")",
	      got, title ? shows(title) : "none", r.published, r.pub_year,
	      r.pub_month, r.pub_day, published);
	qp_result_free(&r);
	qp_sentences_free(&sents);
	qp_doc_free(&d);
}

static void test_header(void)
{
	char err[1200];
	qp_rules *r = qp_rules_load(NULL, err, sizeof err);
	qp_matcher *mp = r ? qp_matcher_new(r) : NULL;
	if (!mp) {
		check("header.setup", 0, "%s", err);
		qp_rules_free(r);
		return;
	}
	header_case("header.stamp.month", r, mp,
	            " date 2024-12 Headline\n\nSáng 18/12, hội nghị tổng kết.\n",
	            "Headline", "2024-12");
	header_case("header.stamp.day", r, mp,
	            " date 2025-11-27 Huyện Đông Khê Hạ tổng kết công tác quốc "
	            "phòng - an ninh\nNội dung bài.\n",
	            "Huyện Đông Khê Hạ tổng kết công tác quốc phòng - an ninh",
	            "2025-11-27");
	header_case("header.stamp.crlf_bom", r, mp,
	            "\xEF\xBB\xBF date 2024-01 Lực lượng vũ trang thị xã Lam Phổ "
	            "ra quân\r\n\r\nThân bài.\r\n",
	            "Lực lượng vũ trang thị xã Lam Phổ ra quân", "2024-01");
	header_case("header.stamp.nfd", r, mp,
	            " date 2024-12 Ho\xCC\x80" "a Bi\xCC\x80nh vu\xCC\x9B\xCC\x83ng "
	            "ma\xCC\xA3nh\nThân bài.\n",
	            "Hòa Bình vững mạnh", "2024-12");
	header_case("header.posted.dang_ngay", r, mp,
	            "Thị xã Lam Phổ triển khai nhiệm vụ quốc phòng năm 2024\n"
	            "Đăng ngày 13/12/2023\n\nChiều 12/12, Ban CHQS thị xã họp.\n",
	            "Thị xã Lam Phổ triển khai nhiệm vụ quốc phòng năm 2024",
	            "2023-12-13");
	header_case("header.posted.before_title", r, mp,
	            "Đăng ngày 13/12/2023\nCông an xã Vân Trạch tổng kết năm\n"
	            "Thân bài.\n",
	            "Công an xã Vân Trạch tổng kết năm", "2023-12-13");
	header_case("header.posted.cap_nhat", r, mp,
	            "Huyện Mỹ Lâm Đông bảo đảm an ninh trật tự dịp Tết\n"
	            "Cập nhật:12/01/2019 4:48:37 CH\nThân bài.\n",
	            "Huyện Mỹ Lâm Đông bảo đảm an ninh trật tự dịp Tết",
	            "2019-01-12");
	header_case("header.posted.dateline_words", r, mp,
	            "Bắc Vân, ngày 24 tháng 01 năm 2020\n"
	            "Công an tỉnh Bắc Vân tổng kết phong trào toàn dân bảo vệ an "
	            "ninh Tổ quốc\nThân bài.\n",
	            "Công an tỉnh Bắc Vân tổng kết phong trào toàn dân bảo vệ an "
	            "ninh Tổ quốc", "2020-01-24");
	header_case("header.posted.dateline_digits", r, mp,
	            "Thứ Hai, 16/12/2024 - 09:15\nXã Phú Lãm Đông ra quân\n",
	            "Xã Phú Lãm Đông ra quân", "2024-12-16");
	header_case("header.posted.stamp_wins", r, mp,
	            " date 2024-12 Tin ngắn\nĐăng ngày 02/01/2025\nThân bài.\n",
	            "Tin ngắn", "2024-12");
	header_case("header.lede.agency", r, mp,
	            "(BVO) - Sáng 3/12, Bộ Chỉ huy Quân sự tỉnh Bắc Vân tổ chức "
	            "hội nghị tổng kết công tác quốc phòng năm 2024\n"
	            "Dự hội nghị có lãnh đạo tỉnh.\n", NULL, "");
	header_case("header.lede.dated", r, mp,
	            "Chiều 15/12, UBND huyện Đông Khê Hạ tổ chức hội nghị tổng kết "
	            "công tác quân sự, quốc phòng địa phương năm 2024.\n", NULL, "");
	header_case("header.lede.body_date_not_published", r, mp,
	            "Ngày 21/11/2019, UBND xã Vân Trạch tổ chức hội nghị tổng kết "
	            "công tác quốc phòng năm 2019.\nThân bài.\n", NULL, "");
	header_case("header.body_date_second_line", r, mp,
	            "Xã Vân Trạch tổng kết công tác quốc phòng\n"
	            "Ngày 21/11/2019, UBND xã Vân Trạch tổ chức hội nghị tổng kết "
	            "công tác quốc phòng năm 2019.\n",
	            "Xã Vân Trạch tổng kết công tác quốc phòng", "");
	header_case("header.title.trimmed", r, mp,
	            "\n\n  \t Công an huyện ra quân \t\nThân bài.\n",
	            "Công an huyện ra quân", "");
	header_case("header.empty", r, mp, "", NULL, "");
	header_case("header.blank_lines_only", r, mp, "\n \n\t\n", NULL, "");
	qp_matcher_free(mp);
	qp_rules_free(r);
}

/* ------------------------------------------------------------------ */
/* The walker                                                          */
/* ------------------------------------------------------------------ */

/* Collects what the walk reports as "path err" lines, paths relative
 * to the temp dir; stops after `stop_after` documents when nonzero. */
typedef struct {
	const char *root;
	char        log[8192];
	size_t      n;
	int         calls, stop_after;
} walk_log;

static int walk_cb(const char *path, int err, void *ctx)
{
	walk_log *w = ctx;
	size_t rl = strlen(w->root);
	const char *rel = strncmp(path, w->root, rl) == 0 ? path + rl : path;
	const char *e = err == 0 ? "ok" : err == QP_WALK_DIR_LOOP ? "ELOOP" :
	                err == ENOENT ? "ENOENT" : "other";
	w->n += (size_t)snprintf(w->log + w->n, sizeof w->log - w->n, "%s %s; ",
	                         rel, e);
	w->calls++;
	return w->stop_after && w->calls >= w->stop_after;
}

/* Walk operand with glob; expect the log to be want. */
static void expect_walk(const char *name, const char *root,
                        const char *operand, const char *glob,
                        const char *want, int stop_after)
{
	walk_log w;
	memset(&w, 0, sizeof w);
	w.root = root;
	w.stop_after = stop_after;
	int rc = qp_walk(operand, glob, walk_cb, &w);
	check(name, strcmp(w.log, want) == 0 && (rc != 0) == (stop_after != 0),
	      "walk %s returned %d and gave [%s], want [%s]", glob, rc, w.log,
	      want);
}

static void test_walk(void)
{
	char *root = make_tmpdir();
	char p[4096];
	/* The tree:
	 *   B.txt _u.txt a.txt c.md dangling.txt -> nowhere, gone.bin ->
	 *   nowhere, loop -> ., sub/{z.txt, deeper/{y.txt, up -> ../..}},
	 *   sub2/{x.txt, link -> ../sub/deeper}, sub10/w.txt */
	write_file(root, "B.txt", "b");
	write_file(root, "_u.txt", "u");
	write_file(root, "a.txt", "a");
	write_file(root, "c.md", "c");
	write_file(root, "sub/z.txt", "z");
	write_file(root, "sub/deeper/y.txt", "y");
	write_file(root, "sub2/x.txt", "x");
	write_file(root, "sub10/w.txt", "w");
	snprintf(p, sizeof p, "%s/dangling.txt", root);
	int ok = symlink("nowhere", p) == 0;
	snprintf(p, sizeof p, "%s/gone.bin", root);
	ok &= symlink("nowhere", p) == 0;
	snprintf(p, sizeof p, "%s/loop", root);
	ok &= symlink(".", p) == 0;
	snprintf(p, sizeof p, "%s/sub/deeper/up", root);
	ok &= symlink("../..", p) == 0;
	snprintf(p, sizeof p, "%s/sub2/link", root);
	ok &= symlink("../sub/deeper", p) == 0;
	if (!check("walk.setup", ok, "could not make symbolic links: %s",
	           strerror(errno))) {
		rm_tree(root);
		free(root);
		return;
	}

	/* Byte order ("B" < "_" < "a"; "sub" < "sub10" < "sub2"),
	 * recursion, links followed (sub2/link is a second way to
	 * sub/deeper, not a loop), each loop reported once with ELOOP,
	 * the dangling .txt link reported, the .bin one not. */
	expect_walk("walk.sorted_recursive", root, root, "*.txt",
	            "/B.txt ok; "
	            "/_u.txt ok; "
	            "/a.txt ok; "
	            "/dangling.txt ENOENT; "
	            "/loop ELOOP; "
	            "/sub/deeper/up ELOOP; "
	            "/sub/deeper/y.txt ok; "
	            "/sub/z.txt ok; "
	            "/sub10/w.txt ok; "
	            "/sub2/link/up ELOOP; "
	            "/sub2/link/y.txt ok; "
	            "/sub2/x.txt ok; ", 0);
	expect_walk("walk.glob_md", root, root, "*.md",
	            "/c.md ok; "
	            "/loop ELOOP; "
	            "/sub/deeper/up ELOOP; "
	            "/sub2/link/up ELOOP; ", 0);
	expect_walk("walk.glob_pattern", root, root, "[a-c]*.*",
	            "/a.txt ok; "
	            "/c.md ok; "
	            "/loop ELOOP; "
	            "/sub/deeper/up ELOOP; "
	            "/sub2/link/up ELOOP; ", 0);
	/* A trailing slash on the operand does not double the slash. */
	snprintf(p, sizeof p, "%s/sub10/", root);
	expect_walk("walk.trailing_slash", root, p, "*.txt",
	            "/sub10/w.txt ok; ", 0);
	/* A loop is relative to where the walk starts: from sub, the link
	 * sub/deeper/up leads to the root, which is not an ancestor yet, so
	 * it is entered once and the loop is met at root/sub. */
	snprintf(p, sizeof p, "%s/sub", root);
	expect_walk("walk.loop_relative_to_start", root, p, "*.md",
	            "/sub/deeper/up/c.md ok; "
	            "/sub/deeper/up/loop ELOOP; "
	            "/sub/deeper/up/sub ELOOP; "
	            "/sub/deeper/up/sub2/link ELOOP; ", 0);
	/* A walk that starts inside a loop sees the loop once. */
	snprintf(p, sizeof p, "%s/loop", root);
	walk_log w;
	memset(&w, 0, sizeof w);
	w.root = root;
	qp_walk(p, "*.none", walk_cb, &w);
	check("walk.loop_operand", strcmp(w.log, "/loop/loop ELOOP; "
	      "/loop/sub/deeper/up ELOOP; /loop/sub2/link/up ELOOP; ") == 0,
	      "gave [%s]", w.log);
	/* The callback can stop the walk. */
	expect_walk("walk.stop", root, root, "*.txt", "/B.txt ok; /_u.txt ok; ",
	            2);
	/* Operands that are not directories are passed through as they are. */
	snprintf(p, sizeof p, "%s/c.md", root);
	expect_walk("walk.file_operand", root, p, "*.txt", "/c.md ok; ", 0);
	expect_walk("walk.stdin_operand", root, "-", "*.txt", "- ok; ", 0);
	snprintf(p, sizeof p, "%s/missing.txt", root);
	expect_walk("walk.missing_operand", root, p, "*.txt",
	            "/missing.txt ok; ", 0);
	/* An empty directory gives nothing.  (Last, and with the tree
	 * already removed: under UBSan a bug here ends the program.) */
	rm_tree(root);
	mkdir(root, 0755);
	expect_walk("walk.empty_dir", root, root, "*.txt", "", 0);
	rmdir(root);
	free(root);
}

/* ------------------------------------------------------------------ */
/* Small helpers: text, input, command line                            */
/* ------------------------------------------------------------------ */

static void test_helpers(void)
{
	/* qp_text: copy maps one-to-one, put maps all to one offset. */
	qp_text t;
	qp_text_init(&t);
	int rc = qp_text_copy(&t, "abc", 3, 10) | qp_text_put(&t, "XY", 2, 20) |
	         qp_text_finish(&t, 30);
	check("text.copy_put_finish", rc == 0 && t.len == 5 &&
	      strcmp(t.s, "abcXY") == 0 && t.src[0] == 10 && t.src[2] == 12 &&
	      t.src[3] == 20 && t.src[4] == 20 && t.src[5] == 30,
	      "got %s", show(t.s, t.len));
	check("text.lower_bound", qp_text_lower_bound(&t, 0) == 0 &&
	      qp_text_lower_bound(&t, 11) == 1 &&
	      qp_text_lower_bound(&t, 13) == 3 &&
	      qp_text_lower_bound(&t, 20) == 3 &&
	      qp_text_lower_bound(&t, 21) == 5,
	      "lower bounds %zu %zu %zu %zu %zu", qp_text_lower_bound(&t, 0),
	      qp_text_lower_bound(&t, 11), qp_text_lower_bound(&t, 13),
	      qp_text_lower_bound(&t, 20), qp_text_lower_bound(&t, 21));
	/* Growth past the first allocation keeps the content. */
	for (int i = 0; i < 1000; i++)
		qp_text_put(&t, "z", 1, 40);
	qp_text_finish(&t, 50);
	check("text.grows", t.len == 1005 && t.s[1004] == 'z' && t.s[1005] == 0 &&
	      t.src[1005] == 50 && memcmp(t.s, "abcXY", 5) == 0,
	      "len %zu", t.len);
	qp_text_free(&t);

	/* qp_read_file. */
	char *dir = make_tmpdir();
	write_file(dir, "doc.txt", "Hà Nội\n");
	char path[4096];
	snprintf(path, sizeof path, "%s/doc.txt", dir);
	char *buf = NULL;
	size_t len = 0;
	rc = qp_read_file(path, 0, &buf, &len);
	check("input.read_file", rc == 0 && len == strlen("Hà Nội\n") &&
	      memcmp(buf, "Hà Nội\n", len) == 0 && buf[len] == '\0',
	      "rc %d len %zu", rc, len);
	free(buf);
	buf = NULL;
	rc = qp_read_file(dir, 0, &buf, &len);
	check("input.read_dir", rc == EISDIR, "rc %d (%s), want EISDIR", rc,
	      strerror(rc));
	if (!rc)
		free(buf);
	snprintf(path, sizeof path, "%s/missing.txt", dir);
	rc = qp_read_file(path, 0, &buf, &len);
	check("input.read_missing", rc == ENOENT, "rc %d, want ENOENT", rc);
	rm_tree(dir);
	free(dir);

	/* qp_cli_parse. */
	qp_options o;
	char err[256] = "";
	char *argv1[] = {"qpan", "-p", "--glob", "*.md", "--rules=d", "a", "-",
	                 NULL};
	rc = qp_cli_parse(7, argv1, &o, err, sizeof err);
	check("cli.parse_options", rc == 0 && (o.format == QP_OUT_PRETTY) && !o.help &&
	      strcmp(o.glob, "*.md") == 0 && strcmp(o.rules_dir, "d") == 0 &&
	      o.noperands == 2 && strcmp(o.operands[0], "a") == 0 &&
	      strcmp(o.operands[1], "-") == 0, "rc %d: %s", rc, err);
	char *argv2[] = {"qpan", NULL};
	rc = qp_cli_parse(1, argv2, &o, err, sizeof err);
	check("cli.parse_defaults", rc == 0 && strcmp(o.glob, "*.txt") == 0 &&
	      !(o.format == QP_OUT_PRETTY) && !o.rules_dir && o.noperands == 0, "rc %d: %s", rc,
	      err);
	char *argv3[] = {"qpan", "--bogus", NULL};
	err[0] = '\0';
	rc = qp_cli_parse(2, argv3, &o, err, sizeof err);
	check("cli.parse_unknown", rc == -1 && strstr(err, "--bogus"),
	      "rc %d: %s", rc, err);
	char *argv4[] = {"qpan", "-g", NULL};
	err[0] = '\0';
	rc = qp_cli_parse(2, argv4, &o, err, sizeof err);
	check("cli.parse_missing_argument", rc == -1 && strstr(err, "-g"),
	      "rc %d: %s", rc, err);
	char *argv5[] = {"qpan", "--", "-p", NULL};
	rc = qp_cli_parse(3, argv5, &o, err, sizeof err);
	check("cli.parse_double_dash", rc == 0 && !(o.format == QP_OUT_PRETTY) && o.noperands == 1 &&
	      strcmp(o.operands[0], "-p") == 0, "rc %d", rc);
}

/* ------------------------------------------------------------------ */
/* The number parser (vnnum.c)                                         */
/* ------------------------------------------------------------------ */

/* vn_number_parse on s whole must give exactly `want`. */
static void expect_num(const char *name, const char *s, double want)
{
	double v = -12345.678;
	int rc = vn_number_parse(s, strlen(s), &v);
	check(name, rc == 0 && v == want, "\"%s\": rc %d, value %.17g, want %.17g",
	      s, rc, v, want);
}

/* vn_number_parse on s whole must refuse it. */
static void expect_no_num(const char *name, const char *s, size_t n)
{
	double v = -12345.678;
	int rc = vn_number_parse(s, n, &v);
	check(name, rc == -1, "\"%s\": rc %d (value %.17g), want -1",
	      show(s, n), rc, v);
}

static void test_vnnum(void)
{
	/* A dot groups thousands, a comma is the decimal point. */
	expect_num("vnnum.thousands_4.000", "4.000", 4000);
	expect_num("vnnum.thousands_38.434", "38.434", 38434);
	expect_num("vnnum.thousands_two_groups", "12.000.000", 12000000);
	expect_num("vnnum.thousands_four_groups", "1.250.000.000", 1250000000);
	expect_num("vnnum.decimal_37,5", "37,5", 37.5);
	expect_num("vnnum.decimal_0,5", "0,5", 0.5);
	expect_num("vnnum.decimal_2,5", "2,5", 2.5);
	expect_num("vnnum.decimal_1,2", "1,2", 1.2);
	expect_num("vnnum.decimal_1,04", "1,04", 1.04);
	expect_num("vnnum.decimal_0,125", "0,125", 0.125);
	expect_num("vnnum.grouped_decimal_1.234,5", "1.234,5", 1234.5);
	expect_num("vnnum.grouped_decimal_12.500,25", "12.500,25", 12500.25);
	/* Plain digits, with a leading zero too. */
	expect_num("vnnum.plain_47", "47", 47);
	expect_num("vnnum.plain_0", "0", 0);
	expect_num("vnnum.plain_01", "01", 1);
	expect_num("vnnum.plain_2023", "2023", 2023);
	expect_num("vnnum.plain_4000_ungrouped", "4000", 4000);
	expect_num("vnnum.plain_15_digits", "999999999999999", 999999999999999.0);
	expect_num("vnnum.grouped_15_digits", "100.000.000.000.000", 1e14);

	/* Only n bytes are read: the rest of the buffer is not the number. */
	double v = -1;
	int rc = vn_number_parse("4.000 vụ", 5, &v);
	check("vnnum.reads_n_bytes_only", rc == 0 && v == 4000,
	      "rc %d, value %.17g", rc, v);
	v = -1;
	rc = vn_number_parse("125", 2, &v);
	check("vnnum.reads_n_bytes_prefix", rc == 0 && v == 12, "rc %d, value %.17g",
	      rc, v);

	/* Malformed: refused, never guessed. */
	expect_no_num("vnnum.bad_double_dot", "1..2", 4);
	expect_no_num("vnnum.bad_leading_comma", ",5", 2);
	expect_no_num("vnnum.bad_leading_dot", ".5", 2);
	expect_no_num("vnnum.bad_trailing_comma", "4,", 2);
	expect_no_num("vnnum.bad_trailing_dot", "5.", 2);
	expect_no_num("vnnum.bad_short_group", "1.23", 4);
	expect_no_num("vnnum.bad_long_group", "1.2345", 6);
	expect_no_num("vnnum.bad_short_inner_group", "1.000.00", 8);
	expect_no_num("vnnum.bad_first_group_too_long", "1000.000", 8);
	expect_no_num("vnnum.bad_dot_after_comma", "1,5.000", 7);
	expect_no_num("vnnum.bad_two_commas", "1,2,3", 5);
	expect_no_num("vnnum.bad_grouped_trailing_comma", "1.000,", 6);
	expect_no_num("vnnum.bad_sign", "-5", 2);
	expect_no_num("vnnum.bad_space_inside", "4 000", 5);
	expect_no_num("vnnum.bad_trailing_space", "5 ", 2);
	expect_no_num("vnnum.bad_letters", "abc", 3);
	expect_no_num("vnnum.bad_digits_then_letters", "12kg", 4);
	expect_no_num("vnnum.bad_word_number", "hai", 3);
	expect_no_num("vnnum.bad_empty", "", 0);
	expect_no_num("vnnum.bad_16_digits", "1234567890123456", 16);
	expect_no_num("vnnum.bad_16_digits_grouped", "1.000.000.000.000.000", 21);
	expect_no_num("vnnum.bad_16_digits_with_decimals", "1.234,5678901234567", 19);
	static const char forty[] = "1234567890123456789012345678901234567890";
	expect_no_num("vnnum.bad_40_digits", forty, sizeof forty - 1);
}

/* ------------------------------------------------------------------ */
/* Helper modes and main                                               */
/* ------------------------------------------------------------------ */

/* unit --nfc: stdin to stdout in NFC (for tests/cli.sh, which has no
 * other normalizer it may count on). */
static int nfc_filter(void)
{
	char *buf;
	size_t len;
	if (qp_read_file("-", 0, &buf, &len))
		return 1;
	char *out = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf);
	free(buf);
	if (!out)
		return 1;
	fputs(out, stdout);
	free(out);
	return fflush(stdout) == EOF;
}

/* unit --leak-probe: lose a few blocks, so that tests/run.sh can see
 * whether LeakSanitizer works here. */
__attribute__((noinline)) static void leak_some(void)
{
	for (int i = 0; i < 8; i++) {
		void *volatile p = malloc(64 + (size_t)i);
		p = NULL;
		(void)p;
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--nfc") == 0)
		return nfc_filter();
	if (argc > 1 && strcmp(argv[1], "--leak-probe") == 0) {
		leak_some();
		return 0;
	}
	test_normalize();
	test_map();
	test_norm_errors();
	test_fold();
	test_rules();
	test_header();
	test_helpers();
	test_walk();
	test_vnnum();
	return 0;
}
