/*
 * pf_case.c - lower-casing that keeps byte lengths, for the prefilter
 * (pf_impl.h).
 *
 *   pf_case_init()      utf8proc -> lower_tab (cp -> lower case) and
 *                       unsafe (characters that stop filtering), once
 *   pf_lower_lit(b)     a caseless pattern's literal "Đ" -> "đ"
 *                       (pf_read.c), or 0: not looked for
 *   pf_lower_char(p)    the fold as the automaton reads it "Ệ" -> "ệ"
 *                       (pf_scan.c), or 0: the document is not filtered
 *
 * Only letters whose case partners are the plain upper/lower pair of
 * the same length are in the table (ASCII and the precomposed Latin
 * letters of Vietnamese), so a literal and the text it is looked for in
 * are lower-cased alike and offsets stay those of the fold.
 */
#include <pthread.h>
#include <stdint.h>
#include <utf8proc.h>

#include "pf_impl.h"

#define LOWER_TAB 0x1F00
static uint16_t lower_tab[LOWER_TAB];  /* cp -> lower case, 0: leave */

static int safe_letter(int32_t c)
{
	if (!((c >= 0xC0 && c < 0x250) || (c >= 0x1EA0 && c < 0x1F00)))
		return 0;
	utf8proc_category_t cat = utf8proc_category(c);
	if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LL)
		return 0;
	/* Members of PCRE2's caseless sets and odd case pairs. */
	static const int32_t odd[] = {0xB5, 0xC5, 0xE5, 0xDF, 0x17F, 0x130,
		0x131, 0x1C4, 0x1C5, 0x1C6, 0x1C7, 0x1C8, 0x1C9, 0x1CA, 0x1CB,
		0x1CC, 0x1F1, 0x1F2, 0x1F3, 0x1E9E, 0x1E60, 0x1E61, 0x1E9B, 0xFF,
		0x178};
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
		if (odd[i] == c)
			return 0;
	int32_t l = utf8proc_tolower(c), u = utf8proc_toupper(c);
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t n = utf8proc_encode_char(c, b);
	if (utf8proc_encode_char(l, b) != n || utf8proc_encode_char(u, b) != n)
		return 0;
	if (l >= LOWER_TAB || u >= LOWER_TAB)
		return 0;
	return utf8proc_tolower(u) == l && utf8proc_toupper(l) == u;
}

/* Characters that make a document unfilterable: U+017F and U+212A,
 * which match "s" and "k" caselessly, and digits and white space other
 * than ASCII ones, which \d and \s match (UCP).  Bits below
 * UNSAFE_TAB; above, asked of utf8proc (rare characters in a fold). */
#define UNSAFE_TAB 0x2000
static unsigned char unsafe[UNSAFE_TAB / 8];

static int unsafe_slow(int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return c == 0x17F || c == 0x212A || c == 0x85 ||
	       k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_ZS ||
	       k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP;
}

static void build_lower(void)
{
	for (int32_t c = 0xC0; c < LOWER_TAB; c++)
		if (safe_letter(c))
			lower_tab[c] = (uint16_t)utf8proc_tolower(c);
	for (int32_t c = 0x80; c < UNSAFE_TAB; c++)
		if (unsafe_slow(c))
			unsafe[c >> 3] |= (unsigned char)(1 << (c & 7));
}

static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

void pf_case_init(void)
{
	pthread_once(&lower_once, build_lower);
}

/* Decode a valid 2- or 3-byte character; 0 otherwise. */
static size_t dec23(const unsigned char *p, size_t n, int32_t *cp)
{
	if (p[0] >= 0xC2 && p[0] < 0xE0 && n >= 2 && qp_utf8_cont(p[1])) {
		*cp = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] >= 0xE0 && p[0] < 0xF0 && n >= 3 && qp_utf8_cont(p[1]) &&
	    qp_utf8_cont(p[2])) {
		*cp = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		return 3;
	}
	return 0;
}

static void enc23(int32_t cp, unsigned char *p, size_t n)
{
	if (n == 2) {
		p[0] = (unsigned char)(0xC0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		p[0] = (unsigned char)(0xE0 | (cp >> 12));
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		p[2] = (unsigned char)(0x80 | (cp & 0x3F));
	}
}

int pf_lower_lit(unsigned char *b, size_t n)
{
	if (n == 1) {
		if (b[0] >= 'A' && b[0] <= 'Z')
			b[0] += 32;
		return 1;
	}
	int32_t cp;
	if (!dec23(b, n, &cp) || cp >= LOWER_TAB || !lower_tab[cp])
		return 0;
	enc23(lower_tab[cp], b, n);
	return 1;
}

size_t pf_lower_char(unsigned char *p, size_t n)
{
	if (p[0] < 0x80) {
		if (p[0] >= 'A' && p[0] <= 'Z')
			p[0] += 32;
		return 1;
	}
	int32_t cp;
	size_t l = dec23(p, n, &cp);
	if (!l) {
		/* 4 bytes: a digit out there is unsafe too. */
		utf8proc_int32_t c4;
		utf8proc_ssize_t m = utf8proc_iterate(p, (utf8proc_ssize_t)n, &c4);
		if (m == 4 && utf8proc_category(c4) == UTF8PROC_CATEGORY_ND)
			return 0;
		return m > 0 ? (size_t)m : 1;
	}
	if (cp < UNSAFE_TAB ? (unsafe[cp >> 3] >> (cp & 7) & 1) : unsafe_slow(cp))
		return 0;
	if (cp < LOWER_TAB && lower_tab[cp] && lower_tab[cp] != cp)
		enc23(lower_tab[cp], p, l);
	return l;
}
