/*
 * normalize.c - NFC with an offset map, and the folded matching form.
 *
 * NFC.  The input is cut into clusters: a character followed by the
 * combining marks that attach to it ("e" U+0302 U+0323 in an NFD "ệ").
 * Each cluster is composed on its own with utf8proc, and every byte it
 * produces maps to the cluster's first input byte; the next cluster's
 * start closes the range.  So any span that starts and ends on a
 * character boundary of norm maps to a well-formed span of the input.
 * Fast path: a run of characters that NFC leaves alone (ASCII other than
 * NUL and CR, and single characters that nfc_stable_alone() accepts),
 * none followed by a mark, is validated and copied in one piece; only
 * what stops the run goes through utf8proc.  Text already in NFC, which
 * is nearly all Vietnamese text, never leaves the fast path.
 *
 * Fold.  Case is kept (rules match it caselessly, but a rule can still
 * ask for a capital with \p{Lu}, as names need); qp_vn_key() passes
 * QP_FOLD_CASE for lower-cased comparison keys.  Vietnamese writes the
 * tone mark on different vowels in the old and new styles: "Hoà"/"Hòa",
 * "thuỷ"/"thủy".  The fold takes each word apart (NFD), lifts its tone
 * mark off whatever vowel carries it and puts it back on the word's
 * first vowel, then composes again: both spellings of "Hòa" fold to
 * "hòa", "thuỷ" to "thủy", and "quốc" to "qúôc".  Every vowel with every
 * tone has a precomposed form, so the fold never leaves a loose
 * combining mark (which would break \b in patterns).  Nobody reads the
 * fold; rules are folded the same way when they are compiled, so a rule
 * written either way matches both.  Dashes fold to "-", curly quotes to
 * '"' and "'", and non-breaking and other spaces to " ".
 * Fast path: a word made only of ASCII letters and precomposed Latin
 * letters (a base letter with at most one tone and the Vietnamese
 * marks) is folded character by character from a table built once with
 * utf8proc itself (fold_table), so it gives exactly what the general
 * path (fold_word) gives; anything else takes the general path.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

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
static int attaches_slow(int32_t cp)
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
static int nfc_stable_alone_slow(int32_t cp)
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

static int is_word_char_slow(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
}

/* ------------------------------------------------------------------ */
/* Tables built once per process                                       */
/* ------------------------------------------------------------------ */

/* Character classes for code points below CP_TABLE (the Latin, Greek,
 * Cyrillic and general punctuation blocks, where nearly all text is). */
#define CP_TABLE 0x3000
enum { CP_ATTACHES = 1, CP_STABLE = 2, CP_WORD = 4 };
static unsigned char cp_class[CP_TABLE];

/* The fold of one precomposed letter, by the tone it is to carry: out[0]
 * without a tone, out[1..5] with grave, acute, tilde, hook, dot below;
 * lower[] the same lower-cased (QP_FOLD_CASE).  UTF-8, NUL-terminated;
 * "" where the form does not exist as one character. */
typedef struct {
	unsigned char valid;  /* a letter the fast path can fold */
	unsigned char vowel;  /* its base letter is a, e, i, o, u or y */
	unsigned char tone;   /* 0, or the tone it carries (1..5) */
	unsigned char self;   /* out[tone] is the letter itself */
	char out[6][4];
	char lower[6][4];
} fold_entry;

#define FT_LO1 0
#define FT_HI1 0x250
#define FT_LO2 0x1E00
#define FT_HI2 0x1F00
static fold_entry fold_table[(FT_HI1 - FT_LO1) + (FT_HI2 - FT_LO2)];

static const int32_t tones[6] = {0, 0x300, 0x301, 0x303, 0x309, 0x323};

static int tone_index(int32_t cp)
{
	for (int k = 1; k < 6; k++)
		if (tones[k] == cp)
			return k;
	return 0;
}

static const fold_entry *fold_lookup(int32_t cp)
{
	if (cp >= FT_LO1 && cp < FT_HI1)
		return &fold_table[cp - FT_LO1];
	if (cp >= FT_LO2 && cp < FT_HI2)
		return &fold_table[(FT_HI1 - FT_LO1) + (cp - FT_LO2)];
	return NULL;
}

/* Compose seq[0..n) (one cluster) as put_composed does; the UTF-8 of
 * the result into buf when it is exactly one character, else "". */
static void compose_one(const int32_t *seq, size_t n, char buf[4])
{
	int32_t tmp[16];
	buf[0] = '\0';
	if (n > 8)
		return;
	memcpy(tmp, seq, n * sizeof *tmp);
	utf8proc_ssize_t m = utf8proc_normalize_utf32(tmp, (utf8proc_ssize_t)n,
	                                              NFC_OPTS);
	if (m != 1)
		return;
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t w = utf8proc_encode_char(tmp[0], b);
	if (w < 1 || w > 3)
		return;
	memcpy(buf, b, (size_t)w);
	buf[w] = '\0';
}

/* One fold_table entry: decompose cp as fold_word does, and compose the
 * cluster without its tone and with each tone put back where fold_word
 * puts it, in both cases. */
static void build_entry(int32_t cp, fold_entry *e)
{
	int32_t d[32];
	int dc;
	memset(e, 0, sizeof *e);
	utf8proc_ssize_t dn = utf8proc_decompose_char(cp, d, 32,
	                                              UTF8PROC_DECOMPOSE, &dc);
	if (dn < 1 || dn > 8 || attaches_slow(d[0]) || !is_word_char_slow(cp))
		return;
	int32_t base[8];
	size_t nb = 0;
	int tone = 0;
	for (utf8proc_ssize_t k = 0; k < dn; k++) {
		if (k > 0 && !attaches_slow(d[k]))
			return;
		if (qp_is_tone_mark(d[k])) {
			if (tone)
				return;   /* two tones: the general path */
			tone = tone_index(d[k]);
			continue;
		}
		base[nb++] = d[k];
	}
	e->tone = (unsigned char)tone;
	e->vowel = base[0] < 0x80 && strchr("aeiouyAEIOUY", (int)base[0]);
	for (int lower = 0; lower < 2; lower++) {
		int32_t b[8];
		memcpy(b, base, nb * sizeof *b);
		if (lower)
			b[0] = utf8proc_tolower(b[0]);
		char (*out)[4] = lower ? e->lower : e->out;
		compose_one(b, nb, out[0]);
		if (!out[0][0])
			return;
		for (int t = 1; t < 6 && e->vowel; t++) {
			/* Insert the tone among the base's marks in canonical
			 * order, as fold_word does. */
			int32_t s[9];
			int cls = utf8proc_get_property(tones[t])->combining_class;
			size_t at = 1;
			while (at < nb && attaches_slow(b[at]) &&
			       utf8proc_get_property(b[at])->combining_class <= cls)
				at++;
			memcpy(s, b, at * sizeof *s);
			s[at] = tones[t];
			memcpy(s + at + 1, b + at, (nb - at) * sizeof *s);
			compose_one(s, nb + 1, out[t]);
			if (!out[t][0])
				return;
		}
	}
	e->valid = 1;
	utf8proc_uint8_t me[4];
	utf8proc_ssize_t ml = utf8proc_encode_char(cp, me);
	e->self = ml > 0 && strlen(e->out[tone]) == (size_t)ml &&
	          !memcmp(e->out[tone], me, (size_t)ml);
}

static void build_tables(void)
{
	for (int32_t cp = 0; cp < CP_TABLE; cp++) {
		unsigned char c = 0;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (attaches_slow(cp))
			c |= CP_ATTACHES;
		if (nfc_stable_alone_slow(cp))
			c |= CP_STABLE;
		if (is_word_char_slow(cp))
			c |= CP_WORD;
		cp_class[cp] = c;
	}
	for (int32_t cp = FT_LO1; cp < FT_HI1; cp++)
		build_entry(cp, &fold_table[cp - FT_LO1]);
	for (int32_t cp = FT_LO2; cp < FT_HI2; cp++)
		build_entry(cp, &fold_table[(FT_HI1 - FT_LO1) + (cp - FT_LO2)]);
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables(void)
{
	pthread_once(&tables_once, build_tables);
}

static int attaches(int32_t cp)
{
	if (cp >= 0 && cp < CP_TABLE)
		return cp_class[cp] & CP_ATTACHES;
	return attaches_slow(cp);
}

static int nfc_stable_alone(int32_t cp)
{
	if (cp >= 0 && cp < CP_TABLE)
		return (cp_class[cp] & CP_STABLE) != 0;
	return nfc_stable_alone_slow(cp);
}

static int is_word_char(int32_t cp)
{
	if (cp >= 0 && cp < CP_TABLE)
		return (cp_class[cp] & CP_WORD) != 0;
	return is_word_char_slow(cp);
}

/* Decode one character at s[i]; returns its length, or -1 if invalid. */
static utf8proc_ssize_t decode(const char *s, size_t len, size_t i, int32_t *cp)
{
	return utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                        (utf8proc_ssize_t)(len - i), cp);
}

/* Decode a valid 2- or 3-byte character at p (n bytes available) the
 * way utf8proc_iterate would; 0 for anything else (which the caller then
 * leaves to utf8proc). */
static inline size_t decode_fast(const unsigned char *p, size_t n, int32_t *cp)
{
	unsigned char c = p[0];
	if (c >= 0xC2 && c < 0xE0) {
		if (n < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((int32_t)(c & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c < 0xF0) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xED && p[1] > 0x9F)
			return 0;
		int32_t u = ((int32_t)(c & 0x0F) << 12) |
		            ((int32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		if (u < 0x800)
			return 0;
		*cp = u;
		return 3;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* NFC                                                                 */
/* ------------------------------------------------------------------ */

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

/* The end of the run from raw[i] that NFC leaves as it is: characters
 * that are stable alone, none of them NUL or CR, the last not followed
 * by a character that attaches to it. */
static size_t stable_run(const char *raw, size_t len, size_t i)
{
	const unsigned char *p = (const unsigned char *)raw;
	size_t j = i, last = i;
	while (j < len) {
		unsigned char c = p[j];
		if (c < 0x80) {
			if (c == 0 || c == '\r')
				return j;
			last = j++;
			continue;
		}
		int32_t cp;
		size_t n = decode_fast(p + j, len - j, &cp);
		if (!n)
			return j;
		if (attaches(cp))
			return last < i ? i : last;   /* the mark's base is not ours */
		if (!nfc_stable_alone(cp))
			return j;
		last = j;
		j += n;
	}
	return j;
}

qp_norm_status qp_normalize(const char *raw, size_t len, qp_text *norm,
                            size_t *bad_at)
{
	qp_norm_status st = QP_NORM_OK;
	int32_t *dec = NULL;
	size_t deccap = 0;
	size_t i = 0;

	tables();
	qp_text_clear(norm);
	if (qp_text_reserve(norm, len))
		return QP_NORM_NOMEM;
	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
		i = 3;

	while (i < len) {
		size_t j = stable_run(raw, len, i);
		if (j > i) {
			/* The run's last character may be the base of a mark
			 * that follows: stable_run stopped before it then. */
			if (qp_text_copy(norm, raw + i, j - i, i))
				goto nomem;
			i = j;
			if (i >= len)
				break;
		}
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

/* ------------------------------------------------------------------ */
/* Fold                                                                */
/* ------------------------------------------------------------------ */

/* Where the fold goes: a qp_text (with its map), or a plain buffer of
 * cap bytes (comparison keys: no map; n counts what did not fit too). */
typedef struct {
	qp_text *t;
	char    *buf;
	size_t   cap, n;
} sink;

static int sink_copy(sink *o, const char *p, size_t n, size_t from)
{
	if (o->t)
		return qp_text_copy(o->t, p, n, from);
	if (o->n + n <= o->cap)
		memcpy(o->buf + o->n, p, n);
	o->n += n;
	return 0;
}

static int sink_put(sink *o, const char *p, size_t n, size_t from)
{
	if (o->t)
		return qp_text_put(o->t, p, n, from);
	return sink_copy(o, p, n, from);
}

static int sink_char(sink *o, const char *p, size_t n, size_t from)
{
	if (o->t)
		return qp_text_put_char(o->t, p, n, from);
	return sink_copy(o, p, n, from);
}

static int sink_composed(sink *o, int32_t *cps, size_t n, size_t from)
{
	if (o->t)
		return put_composed(o->t, cps, n, from);
	utf8proc_ssize_t m = utf8proc_normalize_utf32(cps, (utf8proc_ssize_t)n,
	                                              NFC_OPTS);
	if (m < 0)
		return -1;
	for (utf8proc_ssize_t k = 0; k < m; k++) {
		utf8proc_uint8_t b[4];
		utf8proc_ssize_t w = utf8proc_encode_char(cps[k], b);
		sink_copy(o, (const char *)b, (size_t)w, from);
	}
	return 0;
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

/* Fold one word w[0..n) (NFC, at least one non-ASCII byte) the general
 * way.  `base` is the offset of w in the source of the map. */
static int fold_word(const char *w, size_t n, size_t base, int flags,
                     sink *out, cpbuf *cps, int32_t *tmp, size_t tmpcap)
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
		if (sink_composed(out, cps->cp + k, e - k, cps->at[k]))
			return -1;
		k = e;
	}
	return 0;
}

#define FAST_WORD_CHARS 64

/* Fold one word w[0..n) from fold_table when every character of it is
 * an ASCII letter or a valid table letter.  Returns 0 to leave it to
 * fold_word; otherwise 1, with the fold in out (*outlen bytes, at most
 * 2n) and for each output character its byte in out and the offset in
 * w of the character it was made from (starts[], from[], *nout). */
static int fold_word_table(const char *w, size_t n, int flags, char *out,
                           size_t *outlen, unsigned char *starts,
                           unsigned char *from, size_t *nout)
{
	const fold_entry *ent[FAST_WORD_CHARS];
	unsigned char off[FAST_WORD_CHARS];
	size_t nc = 0, i = 0, vowel = (size_t)-1;
	int tone = 0;
	const unsigned char *p = (const unsigned char *)w;
	if (n > 120)
		return 0;
	while (i < n) {
		if (nc == FAST_WORD_CHARS)
			return 0;
		int32_t cp;
		size_t l;
		if (p[i] < 0x80) {
			cp = p[i];
			l = 1;
		} else {
			l = decode_fast(p + i, n - i, &cp);
			if (!l)
				return 0;
		}
		const fold_entry *e = fold_lookup(cp);
		if (!e || !e->valid)
			return 0;
		if (vowel == (size_t)-1 && e->vowel)
			vowel = nc;
		if (!tone)
			tone = e->tone;
		ent[nc] = e;
		off[nc++] = (unsigned char)i;
		i += l;
	}
	if (tone && vowel == (size_t)-1)
		return 0;
	int lower = (flags & QP_FOLD_CASE) != 0;
	size_t o = 0;
	for (size_t k = 0; k < nc; k++) {
		const char (*forms)[4] = lower ? ent[k]->lower : ent[k]->out;
		const char *f = forms[k == vowel ? tone : 0];
		starts[k] = (unsigned char)o;
		from[k] = off[k];
		while (*f)
			out[o++] = *f++;
	}
	*outlen = o;
	*nout = nc;
	return 1;
}

/* fold_word_table into a sink; same returns, -1 when out of memory. */
static int fold_word_fast(const char *w, size_t n, size_t base, int flags,
                          sink *out)
{
	char buf[FAST_WORD_CHARS * 3 + 4];
	unsigned char starts[FAST_WORD_CHARS], from[FAST_WORD_CHARS];
	size_t len, nc;
	if (!fold_word_table(w, n, flags, buf, &len, starts, from, &nc))
		return 0;
	for (size_t k = 0; k < nc; k++) {
		size_t e = k + 1 < nc ? starts[k + 1] : len;
		if (sink_char(out, buf + starts[k], e - starts[k], base + from[k]))
			return -1;
	}
	return 1;
}

static int is_ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int fold_into(const char *s, size_t n, int flags, sink *out)
{
	cpbuf cps = {0};
	int32_t tmp[32];
	int rc = -1;
	size_t i = 0;
	const unsigned char *u = (const unsigned char *)s;
	int lower = (flags & QP_FOLD_CASE) != 0;

	tables();
	while (i < n) {
		/* ASCII up to the next non-ASCII byte, less the letters just
		 * before it (they start the word it continues), is copied
		 * whole; lower-cased for keys. */
		size_t j = i;
		while (j < n && u[j] < 0x80)
			j++;
		size_t e = j;
		if (j < n)
			while (e > i && is_ascii_letter(u[e - 1]))
				e--;
		if (e > i) {
			if (!lower) {
				if (sink_copy(out, s + i, e - i, i))
					goto done;
			} else {
				for (size_t k = i; k < e; k++) {
					char l = s[k];
					if (l >= 'A' && l <= 'Z')
						l = (char)(l + 32);
					if (sink_copy(out, &l, 1, k))
						goto done;
				}
			}
			i = e;
			if (i >= n)
				break;
		}
		/* Scan one word: letters and marks; note if it is all ASCII. */
		size_t start = i;
		int ascii = 1;
		while (i < n) {
			unsigned char c = u[i];
			if (c < 0x80) {
				if (!is_ascii_letter(c))
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
			/* Only before the end of the text (the copy above takes
			 * every other ASCII word). */
			for (size_t k = start; k < i; k++) {
				char l = s[k];
				if (lower && l >= 'A' && l <= 'Z')
					l = (char)(l + 32);
				if (sink_copy(out, &l, 1, k))
					goto done;
			}
			continue;
		}
		if (i > start) {
			int f = fold_word_fast(s + start, i - start, start, flags, out);
			if (f < 0)
				goto done;
			if (!f && fold_word(s + start, i - start, start, flags, out,
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
		if (rep ? sink_put(out, rep, strlen(rep), i)
		        : sink_copy(out, s + i, (size_t)len, i))
			goto done;
		i += (size_t)len;
	}
	rc = 0;
done:
	cpbuf_free(&cps);
	return rc;
}

/* The fold without QP_FOLD_CASE into a text, for long texts: what the
 * fold leaves as it is (ASCII, words whose tone is already in place,
 * most punctuation) accumulates in one stretch copied at once, each
 * character mapped to itself as fold_into maps it. */
static int fold_text(const char *s, size_t n, qp_text *t)
{
	const unsigned char *u = (const unsigned char *)s;
	sink o = {t, NULL, 0, 0};
	cpbuf cps = {0};
	int32_t tmp[32];
	size_t i = 0, reg = 0;   /* [reg, i) is unchanged */
	int rc = -1;

	while (i < n) {
		while (i < n && u[i] < 0x80)
			i++;
		if (i >= n)
			break;
		int32_t cp;
		size_t l = decode_fast(u + i, n - i, &cp);
		if (!l) {
			utf8proc_ssize_t m = decode(s, n, i, &cp);
			if (m < 0)
				goto done;
			l = (size_t)m;
		}
		const fold_entry *e0 = fold_lookup(cp);
		if ((e0 && e0->valid) || is_word_char(cp)) {
			/* The word around i: its ASCII letters before, then
			 * letters and marks on; each character's table entry
			 * (NULL: the general path), the first vowel, the tone. */
			const fold_entry *ent[FAST_WORD_CHARS];
			unsigned char off[FAST_WORD_CHARS];
			size_t ws = i, we, nc = 0, vowel = (size_t)-1, toned = 0;
			size_t toned_at = 0;
			int tone = 0, fast = 1, self = 1;
			while (ws > reg && is_ascii_letter(u[ws - 1]))
				ws--;
			for (we = ws; we < n;) {
				const fold_entry *e;
				size_t l2;
				if (u[we] < 0x80) {
					if (!is_ascii_letter(u[we]))
						break;
					e = fold_lookup(u[we]);
					l2 = 1;
				} else {
					int32_t c2;
					l2 = decode_fast(u + we, n - we, &c2);
					if (!l2) {
						utf8proc_ssize_t m = decode(s, n, we, &c2);
						if (m < 0)
							goto done;
						l2 = (size_t)m;
					}
					e = fold_lookup(c2);
					if (!e || !e->valid) {
						if (!is_word_char(c2))
							break;
						e = NULL;
					}
				}
				if (!e || nc == FAST_WORD_CHARS || we - ws > 200) {
					fast = 0;
				} else {
					if (vowel == (size_t)-1 && e->vowel)
						vowel = nc;
					if (e->tone) {
						if (!tone)
							tone = e->tone;
						if (!toned++)
							toned_at = nc;
					}
					self &= e->self;
					ent[nc] = e;
					off[nc++] = (unsigned char)(we - ws);
				}
				we += l2;
			}
			if (fast && tone && vowel == (size_t)-1)
				fast = 0;
			if (fast && self && (!tone || (toned == 1 && toned_at == vowel))) {
				i = we;   /* folds to itself */
				continue;
			}
			if (reg < ws && qp_text_put_chars(t, s + reg, ws - reg, reg))
				goto done;
			if (fast) {
				for (size_t k = 0; k < nc; k++) {
					const char *f = ent[k]->out[k == vowel ? tone : 0];
					if (qp_text_put_char(t, f, strlen(f), ws + off[k]))
						goto done;
				}
			} else if (fold_word(s + ws, we - ws, ws, 0, &o, &cps, tmp, 32)) {
				goto done;
			}
			reg = i = we;
			continue;
		}
		/* A non-ASCII character that is not part of a word. */
		const char *rep = fold_punct(cp);
		if (reg < i && qp_text_put_chars(t, s + reg, i - reg, reg))
			goto done;
		if (rep ? qp_text_put(t, rep, strlen(rep), i)
		        : qp_text_copy(t, s + i, l, i))
			goto done;
		reg = i = i + l;
	}
	if (reg < n && qp_text_put_chars(t, s + reg, n - reg, reg))
		goto done;
	rc = 0;
done:
	cpbuf_free(&cps);
	return rc;
}

int qp_fold_bytes(const char *s, size_t n, int flags, qp_text *out)
{
	sink o = {out, NULL, 0, 0};
	if (qp_text_reserve(out, n))
		return -1;
	tables();
	if (flags == 0 ? fold_text(s, n, out) : fold_into(s, n, flags, &o))
		return -1;
	return qp_text_finish(out, n);
}

/* qp_fold_key for text that is ASCII and table letters only (names,
 * units, the usual): word by word from fold_table, lower-cased.  Returns
 * the length, or -1 to leave it to fold_into. */
static long fold_key_fast(const char *s, size_t n, char *buf, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	while (i < n) {
		if (u[i] < 0x80 && !is_ascii_letter(u[i])) {
			if (o < cap)
				buf[o] = s[i];
			o++;
			i++;
			continue;
		}
		/* A word: its entries, first vowel and tone. */
		const fold_entry *ent[FAST_WORD_CHARS];
		size_t nc = 0, vowel = (size_t)-1;
		int tone = 0;
		while (i < n) {
			int32_t cp;
			size_t l;
			if (u[i] < 0x80) {
				if (!is_ascii_letter(u[i]))
					break;
				cp = u[i];
				l = 1;
			} else {
				l = decode_fast(u + i, n - i, &cp);
				if (!l)
					return -1;
			}
			const fold_entry *e = fold_lookup(cp);
			if (!e || !e->valid || nc == FAST_WORD_CHARS)
				return -1;   /* marks, symbols, long words */
			if (vowel == (size_t)-1 && e->vowel)
				vowel = nc;
			if (!tone)
				tone = e->tone;
			ent[nc++] = e;
			i += l;
		}
		if (tone && vowel == (size_t)-1)
			return -1;
		for (size_t k = 0; k < nc; k++)
			for (const char *f = ent[k]->lower[k == vowel ? tone : 0]; *f; f++) {
				if (o < cap)
					buf[o] = *f;
				o++;
			}
	}
	if (o < cap)
		buf[o] = '\0';
	return (long)o;
}

long qp_fold_key(const char *s, size_t n, char *buf, size_t cap)
{
	tables();
	long k = fold_key_fast(s, n, buf, cap);
	if (k >= 0)
		return k;
	sink o = {NULL, buf, cap, 0};
	if (fold_into(s, n, QP_FOLD_CASE, &o))
		return -1;
	if (o.n < cap)
		buf[o.n] = '\0';
	return (long)o.n;
}

int qp_fold(const qp_text *norm, qp_text *fold)
{
	qp_text_clear(fold);
	return qp_fold_bytes(norm->s, norm->len, 0, fold);
}
