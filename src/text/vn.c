/*
 * vn.c - word and capitalization helpers over NFC text (see vn.h).
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

static utf8proc_ssize_t next_cp(const char *s, size_t len, size_t i,
                                utf8proc_int32_t *cp)
{
	return utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                        (utf8proc_ssize_t)(len - i), cp);
}

size_t qp_vn_word_end(const char *s, size_t len, size_t i)
{
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {   /* ASCII: letters and digits, without utf8proc */
			unsigned char l = b | 0x20;
			if (!((l >= 'a' && l <= 'z') || (b >= '0' && b <= '9')))
				break;
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = next_cp(s, len, i, &cp);
		if (n <= 0)
			break;
		utf8proc_category_t c = utf8proc_category(cp);
		if (!((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
		      c == UTF8PROC_CATEGORY_ND))
			break;
		i += (size_t)n;
	}
	return i;
}

int qp_vn_is_capitalized(const char *s, size_t a, size_t b)
{
	size_t i = a, k = 0;
	int lower = 0;
	while (i < b) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = next_cp(s, b, i, &cp);
		if (n <= 0)
			return 0;
		utf8proc_category_t c = utf8proc_category(cp);
		if (k == 0 && c != UTF8PROC_CATEGORY_LU && c != UTF8PROC_CATEGORY_LT)
			return 0;
		if (k > 0) {
			if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_ND)
				return 0;
			if (c == UTF8PROC_CATEGORY_LL)
				lower = 1;
		}
		k++;
		i += (size_t)n;
	}
	/* A lone capital is a syllable too: "Giàng A Dình". */
	return lower || k == 1;
}

size_t qp_vn_cap_run(const char *s, size_t len, size_t i, size_t max,
                     size_t *nwords, size_t *starts)
{
	size_t end = i, n = 0, p = i;
	while (n < max && p < len) {
		size_t e = qp_vn_word_end(s, len, p);
		if (e == p || !qp_vn_is_capitalized(s, p, e))
			break;
		if (starts)
			starts[n] = p;
		n++;
		end = e;
		if (e + 1 < len && s[e] == ' ' && s[e + 1] != ' ')
			p = e + 1;
		else
			break;
	}
	*nwords = n;
	return end;
}

/* The key of s[0..n) into buf (cap bytes) or, when longer, a new
 * malloc'd buffer (*heap); NULL when s is not valid UTF-8 or out of
 * memory. */
static char *key_into(const char *s, size_t n, char *buf, size_t cap,
                      char **heap)
{
	*heap = NULL;
	long k = qp_fold_key(s, n, buf, cap);
	if (k < 0)
		return NULL;
	if ((size_t)k < cap)
		return buf;
	*heap = malloc((size_t)k + 1);
	if (!*heap || qp_fold_key(s, n, *heap, (size_t)k + 1) != k) {
		free(*heap);
		*heap = NULL;
	}
	return *heap;
}

char *qp_vn_key(const char *s, size_t n)
{
	char buf[256], *heap;
	char *k = key_into(s, n, buf, sizeof buf, &heap);
	if (!k || heap)
		return k;
	return strdup(k);
}

int qp_vn_lookup(const char *s, size_t n, const char *const *words,
                 size_t count)
{
	char kb[256], wb[256], *kh, *wh;
	char *k = key_into(s, n, kb, sizeof kb, &kh);
	int found = -1;
	for (size_t i = 0; k && found < 0 && i < count; i++) {
		char *w = key_into(words[i], strlen(words[i]), wb, sizeof wb, &wh);
		if (w && !strcmp(k, w))
			found = (int)i;
		free(wh);
	}
	free(kh);
	return found;
}

/* Copy norm[s..e) without parenthesized parts ("Bộ đội Biên phòng
 * (BĐBP) tỉnh" -> "Bộ đội Biên phòng tỉnh") and with spaces collapsed. */
char *qp_vn_clean(const char *norm, size_t s, size_t e)
{
	char *out = malloc(e - s + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	int depth = 0;
	for (size_t i = s; i < e; i++) {
		char ch = norm[i];
		if (ch == '(') {
			depth++;
			continue;
		}
		if (ch == ')' && depth) {
			depth--;
			continue;
		}
		if (depth)
			continue;
		if ((ch == ' ' || ch == '\t' || ch == '\n') &&
		    (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = ch == '\t' || ch == '\n' ? ' ' : ch;
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == ','))
		n--;
	out[n] = '\0';
	return out;
}
