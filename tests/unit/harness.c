/*
 * harness.c - the shared part of the unit tests (harness.h): reporting,
 * messages, the PRNG and random text, sample text, documents and
 * temporary files.
 */
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "harness.h"

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

static unsigned n_pass, n_fail;

int check(const char *name, int ok, const char *fmt, ...)
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

void group_start(group *g, const char *name)
{
	memset(g, 0, sizeof *g);
	g->name = name;
}

void group_fail(group *g, const char *fmt, ...)
{
	if (g->failed++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(g->first, sizeof g->first, fmt, ap);
		va_end(ap);
	}
}

void group_end(group *g)
{
	check(g->name, g->failed == 0, "%zu of %zu cases failed; first: %s",
	      g->failed, g->cases, g->first);
}

const char *show(const char *s, size_t n)
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

const char *shows(const char *s)
{
	return show(s, strlen(s));
}

const char *shows_or_error(const char *s)
{
	return s ? shows(s) : "(error)";
}

/* ------------------------------------------------------------------ */
/* UTF-8 and random input                                              */
/* ------------------------------------------------------------------ */

void put_cp(char *buf, size_t *n, int32_t cp)
{
	*n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf + *n);
}

int is_lead(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

const int32_t interesting[] = {
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
const size_t n_interesting = COUNT(interesting);

size_t random_text(char buf[RANDOM_TEXT_MAX], int32_t (*fix)(int32_t, int))
{
	size_t n = 0;
	int len = 1 + (int)(rng() % 16);
	for (int c = 0; c < len; c++) {
		int32_t cp = interesting[rng() % n_interesting];
		put_cp(buf, &n, fix ? fix(cp, c) : cp);
	}
	buf[n] = '\0';
	return n;
}

/* ------------------------------------------------------------------ */
/* Sample text                                                         */
/* ------------------------------------------------------------------ */

const char *const vi_nfc[] = {
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
const size_t n_vi_nfc = COUNT(vi_nfc);

char *oracle_nfd(const char *s)
{
	return (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
}

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

qp_norm_status doc_prepare(qp_doc *d, const char *s)
{
	size_t n = strlen(s), bad;
	char *raw = malloc(n + 1);
	if (!raw)
		abort();
	memcpy(raw, s, n + 1);
	qp_doc_init(d, "test");
	return qp_doc_prepare(d, raw, n, NULL, NULL, QP_ENC_UTF8, &bad);
}

char *fold_of(const char *s)
{
	qp_doc d;
	char *out = NULL;
	if (doc_prepare(&d, s) == QP_NORM_OK)
		out = strdup(d.fold.s);
	qp_doc_free(&d);
	return out;
}

int rule_on_text(qp_matcher *m, const qp_rule *rule, const char *s,
                 char *got, size_t gotlen)
{
	qp_doc d;
	int hit = -1;
	if (doc_prepare(&d, s) == QP_NORM_OK) {
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

void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *make_tmpdir(void)
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

void write_file(const char *dir, const char *rel, const char *text)
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
