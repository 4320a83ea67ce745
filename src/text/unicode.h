/*
 * unicode.h - what nfc.c and fold.c share inside the text layer: the
 * character classes both ask about (built once per process from
 * utf8proc, then read-only, so threads share them), the fold table of
 * precomposed letters, decoding, and the sink a composed cluster is
 * written to.  Inline, because NFC and the fold call these for nearly
 * every character of every document.
 *
 *   utf8proc --uc_tables() once--> uc_class[], uc_fold_table[]
 *   bytes --uc_decode()--> code point --uc_attaches() ...--> decisions
 *   code points --uc_sink_composed()--> a qp_text (with its map) or a
 *                                       plain buffer (comparison keys)
 */
#ifndef QPAN_UNICODE_H
#define QPAN_UNICODE_H

#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

#include "text.h"

#define NFC_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)

/* Character classes for code points below CP_TABLE (the Latin, Greek,
 * Cyrillic and general punctuation blocks, where nearly all text is). */
#define CP_TABLE 0x3000
enum { CP_ATTACHES = 1, CP_STABLE = 2, CP_WORD = 4 };
extern unsigned char uc_class[CP_TABLE];

/* The fold of one precomposed letter, by the tone it is to carry: out[0]
 * without a tone, out[1..5] with grave, acute, tilde, hook, dot below;
 * lower[] the same lower-cased (comparison keys).  UTF-8, NUL-terminated;
 * "" where the form does not exist as one character. */
typedef struct {
	unsigned char valid;  /* a letter the fast path can fold */
	unsigned char vowel;  /* its base letter is a, e, i, o, u or y */
	unsigned char tone;   /* 0, or the tone it carries (1..5) */
	unsigned char self;   /* out[tone] is the letter itself */
	unsigned char self_lower;   /* lower[tone] is the letter itself */
	char out[6][4];
	char lower[6][4];
} fold_entry;

#define FT_LO1 0
#define FT_HI1 0x250
#define FT_LO2 0x1E00
#define FT_HI2 0x1F00
extern fold_entry uc_fold_table[(FT_HI1 - FT_LO1) + (FT_HI2 - FT_LO2)];

/* Build the tables, once (thread-safe; later calls return at once). */
void uc_tables(void);
/* The classes from utf8proc itself, for code points past the table. */
int uc_attaches_slow(int32_t cp);
int uc_nfc_stable_alone_slow(int32_t cp);
int uc_is_word_char_slow(int32_t cp);

/* Does cp attach to the character before it?  Combining marks (any
 * class), and the Hangul vowel and final jamo NFC joins to a consonant. */
static inline int uc_attaches(int32_t cp)
{
	if (cp >= 0 && cp < CP_TABLE)
		return uc_class[cp] & CP_ATTACHES;
	return uc_attaches_slow(cp);
}

/* Does NFC leave cp alone when nothing attaches to it? */
static inline int uc_nfc_stable_alone(int32_t cp)
{
	if (cp >= 0 && cp < CP_TABLE)
		return (uc_class[cp] & CP_STABLE) != 0;
	return uc_nfc_stable_alone_slow(cp);
}

/* A letter, mark or digit: part of a word. */
static inline int uc_is_word_char(int32_t cp)
{
	if (cp >= 0 && cp < CP_TABLE)
		return (uc_class[cp] & CP_WORD) != 0;
	return uc_is_word_char_slow(cp);
}

static inline const fold_entry *uc_fold_lookup(int32_t cp)
{
	if (cp >= FT_LO1 && cp < FT_HI1)
		return &uc_fold_table[cp - FT_LO1];
	if (cp >= FT_LO2 && cp < FT_HI2)
		return &uc_fold_table[(FT_HI1 - FT_LO1) + (cp - FT_LO2)];
	return NULL;
}

static inline int uc_is_ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Decode one character at s[i]; returns its length, or -1 if invalid. */
static inline utf8proc_ssize_t uc_decode(const char *s, size_t len, size_t i,
                                         int32_t *cp)
{
	return utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                        (utf8proc_ssize_t)(len - i), cp);
}

/* Decode a valid 2- or 3-byte character at p (n bytes available) the
 * way utf8proc_iterate would; 0 for anything else (which the caller then
 * leaves to utf8proc). */
static inline size_t uc_decode_fast(const unsigned char *p, size_t n, int32_t *cp)
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

/* A growable list of code points with the offset each came from. */
typedef struct {
	int32_t *cp;
	size_t  *at;
	size_t   n, cap, capat;
} uc_cpbuf;

int  uc_cpbuf_push(uc_cpbuf *b, int32_t cp, size_t at);
void uc_cpbuf_free(uc_cpbuf *b);

/* Where text goes: a qp_text (with its map), or a plain buffer of cap
 * bytes (comparison keys: no map; n counts what did not fit too). */
typedef struct {
	qp_text *t;
	char    *buf;
	size_t   cap, n;
} uc_sink;

/* The appends, inline: the fold calls them for every word.
 *   copy    n bytes copied one to one from `from` (QP_RUN_COPY)
 *   put     n bytes all made from `from` (a replacement: "..." for U+2026)
 *   char    one character made from the character at `from`
 *   chars   whole characters, each made from the one at the same place */
static inline int uc_sink_copy(uc_sink *o, const char *p, size_t n, size_t from)
{
	if (o->t)
		return qp_text_copy(o->t, p, n, from);
	if (o->n + n <= o->cap)
		memcpy(o->buf + o->n, p, n);
	o->n += n;
	return 0;
}

static inline int uc_sink_put(uc_sink *o, const char *p, size_t n, size_t from)
{
	return o->t ? qp_text_put(o->t, p, n, from) : uc_sink_copy(o, p, n, from);
}

static inline int uc_sink_char(uc_sink *o, const char *p, size_t n, size_t from)
{
	return o->t ? qp_text_put_char(o->t, p, n, from)
	            : uc_sink_copy(o, p, n, from);
}

static inline int uc_sink_chars(uc_sink *o, const char *p, size_t n, size_t from)
{
	return o->t ? qp_text_put_chars(o->t, p, n, from)
	            : uc_sink_copy(o, p, n, from);
}

/* Compose cps[0..n) (one cluster, decomposed and canonically ordered)
 * and append it, every byte made from `from`. */
int uc_sink_composed(uc_sink *o, int32_t *cps, size_t n, size_t from);

#endif
