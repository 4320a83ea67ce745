/*
 * unicode.c - the character tables of the text layer (unicode.h), built
 * once per process from utf8proc, and the sink NFC and the fold write
 * composed clusters to.
 *
 *   utf8proc properties --build_tables()--> uc_class[] (attaches, NFC
 *   stable alone, word character) and uc_fold_table[] (each precomposed
 *   letter folded with every tone, built with utf8proc itself, so that
 *   the fold's fast path gives what its general path gives)
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "unicode.h"

unsigned char uc_class[CP_TABLE];
fold_entry uc_fold_table[(FT_HI1 - FT_LO1) + (FT_HI2 - FT_LO2)];

int qp_is_tone_mark(int32_t cp)
{
	return cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 ||
	       cp == 0x323;
}

/* Does cp attach to the character before it?  Combining marks (any
 * class), and the Hangul vowel and final jamo that NFC joins to a
 * leading consonant. */
int uc_attaches_slow(int32_t cp)
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
int uc_nfc_stable_alone_slow(int32_t cp)
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

int uc_is_word_char_slow(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
}

static const int32_t tones[6] = {0, 0x300, 0x301, 0x303, 0x309, 0x323};

static int tone_index(int32_t cp)
{
	for (int k = 1; k < 6; k++)
		if (tones[k] == cp)
			return k;
	return 0;
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
	if (dn < 1 || dn > 8 || uc_attaches_slow(d[0]) || !uc_is_word_char_slow(cp))
		return;
	int32_t base[8];
	size_t nb = 0;
	int tone = 0;
	for (utf8proc_ssize_t k = 0; k < dn; k++) {
		if (k > 0 && !uc_attaches_slow(d[k]))
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
			while (at < nb && uc_attaches_slow(b[at]) &&
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
	e->self_lower = ml > 0 && strlen(e->lower[tone]) == (size_t)ml &&
	                !memcmp(e->lower[tone], me, (size_t)ml);
}

static void build_tables(void)
{
	for (int32_t cp = 0; cp < CP_TABLE; cp++) {
		unsigned char c = 0;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (uc_attaches_slow(cp))
			c |= CP_ATTACHES;
		if (uc_nfc_stable_alone_slow(cp))
			c |= CP_STABLE;
		if (uc_is_word_char_slow(cp))
			c |= CP_WORD;
		uc_class[cp] = c;
	}
	for (int32_t cp = FT_LO1; cp < FT_HI1; cp++)
		build_entry(cp, &uc_fold_table[cp - FT_LO1]);
	for (int32_t cp = FT_LO2; cp < FT_HI2; cp++)
		build_entry(cp, &uc_fold_table[(FT_HI1 - FT_LO1) + (cp - FT_LO2)]);
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

void uc_tables(void)
{
	pthread_once(&tables_once, build_tables);
}

int uc_cpbuf_push(uc_cpbuf *b, int32_t cp, size_t at)
{
	if (qp_grow(&b->cp, &b->cap, b->n, sizeof *b->cp) ||
	    qp_grow_to(&b->at, &b->capat, b->cap, sizeof *b->at))
		return -1;
	b->cp[b->n] = cp;
	b->at[b->n] = at;
	b->n++;
	return 0;
}

void uc_cpbuf_free(uc_cpbuf *b)
{
	free(b->cp);
	free(b->at);
}

int uc_sink_composed(uc_sink *o, int32_t *cps, size_t n, size_t from)
{
	utf8proc_ssize_t m = utf8proc_normalize_utf32(cps, (utf8proc_ssize_t)n,
	                                              NFC_OPTS);
	if (m < 0)
		return -1;
	for (utf8proc_ssize_t k = 0; k < m; k++) {
		utf8proc_uint8_t b[4];
		utf8proc_ssize_t w = utf8proc_encode_char(cps[k], b);
		if (uc_sink_put(o, (const char *)b, (size_t)w, from))
			return -1;
	}
	return 0;
}
