/*
 * normalize.c - NFC with an offset map, and the folded matching form.
 *
 * NFC.  The input is cut into clusters: a character followed by the
 * combining marks that attach to it ("e" U+0302 U+0323 in an NFD "ệ").
 * Each cluster is composed on its own with utf8proc, and every byte it
 * produces maps to the cluster's first input byte; the next cluster's
 * start closes the range.  So any span that starts and ends on a
 * character boundary of norm maps to a well-formed span of the input.
 * Fast paths: an ASCII character not followed by a mark is copied, and
 * so is a single character that NFC leaves alone (nfc_stable_alone).
 *
 * Fold.  Case is kept (rules match it caselessly, but a rule can still
 * ask for a capital with \p{Lu}, as names need); qp_vn_key() passes
 * QP_FOLD_CASE for lower-cased comparison keys.  Vietnamese writes the tone mark on different vowels in the old
 * and new styles: "Hoà"/"Hòa", "thuỷ"/"thủy".  The fold takes each word
 * apart (NFD), lifts its tone mark off whatever vowel
 * carries it and puts it back on the word's first vowel, then composes
 * again: both spellings of "Hòa" fold to "hòa", "thuỷ" to "thủy", and
 * "quốc" to "qúôc".  Every vowel with every tone has a precomposed form,
 * so the fold never leaves a loose combining mark (which would break
 * \b in patterns).  Nobody reads the fold; rules are folded the same
 * way when they are compiled, so a rule written either way matches both.
 * Dashes fold to "-", curly quotes to '"' and "'", and non-breaking and
 * other spaces to " ".
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "normalize.h"

#define NFC_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)

/* A small growable array of code points with the offset each came from. */
typedef struct {
	int32_t *cp;
	size_t  *at;
	size_t   n, cap;
} cpbuf;

static int cpbuf_push(cpbuf *b, int32_t cp, size_t at)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		int32_t *c = realloc(b->cp, cap * sizeof *c);
		if (!c)
			return -1;
		b->cp = c;
		size_t *a = realloc(b->at, cap * sizeof *a);
		if (!a)
			return -1;
		b->at = a;
		b->cap = cap;
	}
	b->cp[b->n] = cp;
	b->at[b->n] = at;
	b->n++;
	return 0;
}

static void cpbuf_free(cpbuf *b)
{
	free(b->cp);
	free(b->at);
}

int qp_is_tone_mark(int32_t cp)
{
	return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 ||
	       cp == 0x323;
}

/* Does cp attach to the character before it?  Combining marks (any
 * class), and the Hangul vowel and final jamo that NFC joins to a
 * leading consonant. */
static int attaches(int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);
	if (p->combining_class != 0)
		return 1;
	if (p->category == UTF8PROC_CATEGORY_MN ||
	    p->category == UTF8PROC_CATEGORY_MC)
		return 1;
	return cp >= 0x1161 && cp <= 0x11C2;
}

/* Does NFC leave cp alone when nothing attaches to it?  Yes without a
 * canonical decomposition (utf8proc: decomp_type 0 with a sequence), and
 * for the precomposed Latin letters Vietnamese is written in (U+00C0 to
 * U+024F, U+1E00 to U+1EFF), which are never excluded from composition.
 * Anything else (singletons such as U+212B, excluded compositions) takes
 * the slow path through utf8proc. */
static int nfc_stable_alone(int32_t cp)
{
	if (cp < 0x80)
		return 1;
	const utf8proc_property_t *p = utf8proc_get_property(cp);
	if (p->combining_class != 0)
		return 0;
	if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0)
		return 1;
	return (cp >= 0xC0 && cp <= 0x24F) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* Decode one character at s[i]; returns its length, or -1 if invalid. */
static utf8proc_ssize_t decode(const char *s, size_t len, size_t i, int32_t *cp)
{
	return utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                        (utf8proc_ssize_t)(len - i), cp);
}

/* Compose cps[0..n) (already decomposed, canonically ordered) and append
 * the UTF-8 to out, every byte mapped to `from`. */
static int put_composed(qp_text *out, int32_t *cps, size_t n, size_t from)
{
	utf8proc_ssize_t m = utf8proc_normalize_utf32(cps, (utf8proc_ssize_t)n,
	                                              NFC_OPTS);
	if (m < 0)
		return -1;
	for (utf8proc_ssize_t k = 0; k < m; k++) {
		utf8proc_uint8_t b[4];
		utf8proc_ssize_t w = utf8proc_encode_char(cps[k], b);
		if (qp_text_put(out, (const char *)b, (size_t)w, from))
			return -1;
	}
	return 0;
}

qp_norm_status qp_normalize(const char *raw, size_t len, qp_text *norm,
                            size_t *bad_at)
{
	qp_norm_status st = QP_NORM_OK;
	int32_t *dec = NULL;
	size_t deccap = 0;
	size_t i = 0;

	norm->len = 0;
	if (qp_text_reserve(norm, len))
		return QP_NORM_NOMEM;
	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
		i = 3;

	while (i < len) {
		unsigned char c = (unsigned char)raw[i];
		if (c == 0) {
			*bad_at = i;
			st = QP_NORM_NUL;
			goto out;
		}
		/* CRLF and a lone CR become LF, mapped to the CR so that a
		 * span ending at a line end stops before it. */
		if (c == '\r') {
			if (qp_text_put(norm, "\n", 1, i))
				goto nomem;
			i += i + 1 < len && raw[i + 1] == '\n' ? 2 : 1;
			continue;
		}
		/* ASCII not followed by a possible combining mark: copy. */
		if (c < 0x80 && (i + 1 >= len || (unsigned char)raw[i + 1] < 0x80)) {
			if (qp_text_copy(norm, raw + i, 1, i))
				goto nomem;
			i++;
			continue;
		}
		/* A cluster: one character and the marks attached to it. */
		int32_t cp;
		utf8proc_ssize_t n = decode(raw, len, i, &cp);
		if (n < 0) {
			*bad_at = i;
			st = QP_NORM_BAD_UTF8;
			goto out;
		}
		size_t start = i, end = i + (size_t)n;
		size_t count = 1;
		while (end < len && (unsigned char)raw[end] >= 0x80) {
			int32_t next;
			utf8proc_ssize_t m = decode(raw, len, end, &next);
			if (m < 0) {
				*bad_at = end;
				st = QP_NORM_BAD_UTF8;
				goto out;
			}
			if (!attaches(next))
				break;
			end += (size_t)m;
			count++;
		}
		if (count == 1 && nfc_stable_alone(cp)) {
			if (qp_text_copy(norm, raw + start, end - start, start))
				goto nomem;
			i = end;
			continue;
		}
		/* Decompose the cluster (at most 4 code points per input byte
		 * is a safe bound for canonical decomposition), then compose. */
		size_t need = (end - start) * 4 + 4;
		if (need > deccap) {
			int32_t *d = realloc(dec, need * sizeof *d);
			if (!d)
				goto nomem;
			dec = d;
			deccap = need;
		}
		utf8proc_ssize_t dn = utf8proc_decompose(
			(const utf8proc_uint8_t *)raw + start,
			(utf8proc_ssize_t)(end - start), dec,
			(utf8proc_ssize_t)deccap, NFC_OPTS);
		if (dn < 0 || (size_t)dn > deccap) {
			*bad_at = start;
			st = dn == UTF8PROC_ERROR_NOMEM ? QP_NORM_NOMEM
			                                : QP_NORM_BAD_UTF8;
			goto out;
		}
		if (put_composed(norm, dec, (size_t)dn, start))
			goto nomem;
		i = end;
	}
	if (qp_text_finish(norm, len))
		goto nomem;
out:
	free(dec);
	return st;
nomem:
	free(dec);
	return QP_NORM_NOMEM;
}

/* The replacement for a non-letter character in the fold, or NULL. */
static const char *fold_punct(int32_t cp)
{
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
		return "-";
	if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB ||
	    cp == 0xBB)
		return "\"";
	if (cp == 0x2018 || cp == 0x2019)
		return "'";
	if (cp == 0x2026)
		return "...";
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	    cp == 0x3000)
		return " ";
	return NULL;
}

static int is_word_char(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
}

/* Fold one word w[0..n) (NFC, at least one non-ASCII byte).  `base` is
 * the offset of w in the source of the map. */
static int fold_word(const char *w, size_t n, size_t base, int flags,
                     qp_text *out, cpbuf *cps, int32_t *tmp, size_t tmpcap)
{
	int32_t tone = 0;
	size_t vowel = (size_t)-1;   /* index in cps of the first vowel */
	size_t last_letter = base;
	size_t i = 0;

	cps->n = 0;
	while (i < n) {
		int32_t cp;
		utf8proc_ssize_t len = decode(w, n, i, &cp);
		if (len < 0)
			return -1;
		int dc;
		utf8proc_ssize_t dn = utf8proc_decompose_char(
			cp, tmp, (utf8proc_ssize_t)tmpcap,
			UTF8PROC_DECOMPOSE, &dc);
		if (dn < 0 || (size_t)dn > tmpcap)
			return -1;
		for (utf8proc_ssize_t k = 0; k < dn; k++) {
			int32_t d = tmp[k];
			if (qp_is_tone_mark(d)) {
				if (!tone)
					tone = d;
				continue;
			}
			if ((flags & QP_FOLD_CASE) && k == 0)
				d = utf8proc_tolower(d);
			if (k == 0 && vowel == (size_t)-1 && d < 0x80 &&
			    strchr("aeiouyAEIOUY", (int)d))
				vowel = cps->n;
			if (cpbuf_push(cps, d, base + i))
				return -1;
		}
		if (!attaches(cp))
			last_letter = base + i;
		i += (size_t)len;
	}
	if (tone && vowel == (size_t)-1) {
		/* No vowel to carry it ("ngh̀"?): keep it after the last letter. */
		if (cpbuf_push(cps, tone, last_letter))
			return -1;
	} else if (tone) {
		/* Insert among the vowel's marks in canonical order, or it
		 * will not compose: "ậ" is a + U+0323 (class 220) + U+0302
		 * (class 230), "ợ" is o + U+031B (216) + U+0323. */
		int cls = utf8proc_get_property(tone)->combining_class;
		size_t at = vowel + 1;
		while (at < cps->n && attaches(cps->cp[at]) &&
		       utf8proc_get_property(cps->cp[at])->combining_class <= cls)
			at++;
		if (cpbuf_push(cps, 0, 0))
			return -1;
		memmove(cps->cp + at + 1, cps->cp + at,
		        (cps->n - 1 - at) * sizeof *cps->cp);
		memmove(cps->at + at + 1, cps->at + at,
		        (cps->n - 1 - at) * sizeof *cps->at);
		cps->cp[at] = tone;
		cps->at[at] = cps->at[vowel];
	}

	/* Compose cluster by cluster so every output byte keeps the offset
	 * of the letter it was built on. */
	for (size_t k = 0; k < cps->n;) {
		size_t e = k + 1;
		while (e < cps->n && attaches(cps->cp[e]))
			e++;
		if (put_composed(out, cps->cp + k, e - k, cps->at[k]))
			return -1;
		k = e;
	}
	return 0;
}

int qp_fold_bytes(const char *s, size_t n, int flags, qp_text *out)
{
	cpbuf cps = {0};
	int32_t tmp[32];
	int rc = -1;
	size_t i = 0;

	if (qp_text_reserve(out, n))
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
			if (qp_text_copy(out, s + i, 1, i))
				goto done;
			i++;
			continue;
		}
		/* Scan one word: letters and marks; note if it is all ASCII. */
		size_t start = i;
		int ascii = 1;
		while (i < n) {
			c = (unsigned char)s[i];
			if (c < 0x80) {
				if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
					break;
				i++;
				continue;
			}
			int32_t cp;
			utf8proc_ssize_t len = decode(s, n, i, &cp);
			if (len < 0)
				goto done;
			if (!is_word_char(cp))
				break;
			ascii = 0;
			i += (size_t)len;
		}
		if (i > start && ascii) {
			for (size_t k = start; k < i; k++) {
				char l = s[k];
				if ((flags & QP_FOLD_CASE) && l >= 'A' && l <= 'Z')
					l = (char)(l + 32);
				if (qp_text_put(out, &l, 1, k))
					goto done;
			}
			continue;
		}
		if (i > start) {
			if (fold_word(s + start, i - start, start, flags, out,
			              &cps, tmp, 32))
				goto done;
			continue;
		}
		/* A non-ASCII character that is not part of a word. */
		int32_t cp;
		utf8proc_ssize_t len = decode(s, n, i, &cp);
		if (len < 0)
			goto done;
		const char *rep = fold_punct(cp);
		if (rep ? qp_text_put(out, rep, strlen(rep), i)
		        : qp_text_copy(out, s + i, (size_t)len, i))
			goto done;
		i += (size_t)len;
	}
	rc = qp_text_finish(out, n);
done:
	cpbuf_free(&cps);
	return rc;
}

int qp_fold(const qp_text *norm, qp_text *fold)
{
	fold->len = 0;
	return qp_fold_bytes(norm->s, norm->len, 0, fold);
}
