/*
 * text.h - the text layer: UTF-8 text that remembers where each byte
 * came from, the two forms rules match on, and small facts about
 * written Vietnamese.  Its sections below come from (in order):
 *
 *   qp_text      text.c     bytes plus an offset map back to the text
 *                           they were made from
 *   NFC          nfc.c      input bytes -> norm (NFC, LF, no BOM)
 *   fold         fold.c     norm -> fold (one tone placement, plain
 *                           dashes and quotes), comparison keys
 *   Vietnamese   vn.c       words, capitals, lookups, cleaning
 *   numbers      vnnum.c    "4.000" = 4000, "37,5" = 37.5
 *
 * Depends on lib.h only (and on libutf8proc inside its .c files).
 */
#ifndef QPAN_TEXT_H
#define QPAN_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "lib.h"

/*
 * qp_text (text.c) - a UTF-8 string that remembers where each byte came from.
 *
 * Every stage that rewrites text (NFC normalization, folding) produces a
 * qp_text: the new bytes plus, for every byte, the offset in the text it
 * was made from.  src(len) is the length of that earlier text, so a
 * half-open range [s, e) of this text maps back to [src(s), src(e)).
 * Chaining two maps (fold -> norm -> input) is how a match found in the
 * folded text becomes a span in the bytes the user gave us.
 *
 * The map is kept in one of two forms, chosen when the text is started:
 *
 *   dense   (qp_text_init)        src[] holds len + 1 offsets, one a
 *                                 byte: 8 bytes of map per byte of text.
 *   runs    (qp_text_init_runs)   src is NULL; the map is a list of
 *                                 runs, each a stretch of bytes whose
 *                                 offsets follow one rule (see below).
 *                                 A document's norm and fold use this:
 *                                 text copied or rewritten one character
 *                                 for one character needs no new run, so
 *                                 the map of a 100 MB document in NFC is
 *                                 a few kilobytes instead of 1.6 GB.
 *
 * qp_text_src(t, i) reads either form (O(1) dense, O(log runs) runs);
 * qp_text_lower_bound() searches either in O(log n).  Code that
 * indexes t->src[] directly only works on dense texts.
 *
 * A qp_text owns its arrays; qp_text_free() releases them.
 */

/* One run of a run map: bytes [at, next run's at) of the text.  With
 * kind QP_RUN_COPY byte at+k maps to from+k (bytes copied one to one);
 * QP_RUN_CHAR maps every byte of a character to from + (the character's
 * first byte - at) (each character made from one character of the
 * same length, as the fold does); QP_RUN_CONST maps every byte to from. */
enum { QP_RUN_COPY, QP_RUN_CHAR, QP_RUN_CONST };

typedef struct {
	size_t   at;            /* first byte of the run in this text */
	uint64_t from : 62;     /* its source offset */
	uint64_t kind : 2;      /* QP_RUN_* */
} qp_run;

typedef struct {
	char   *s;    /* NUL-terminated UTF-8, len bytes before the NUL */
	size_t  len;
	size_t *src;  /* dense map: len + 1 entries; NULL for a run map */
	size_t  cap;  /* allocated bytes in s (and entries in src, minus one) */
	/* Run map (when runs_mode is set). */
	int     runs_mode;
	qp_run *runs;
	size_t  nruns, capruns;
	size_t  src_len;   /* src(len): the length of the source text */
	size_t  finger;    /* the run the last lookup ended in (a cache:
	                    * lookups go through a document mostly in
	                    * order; one thread reads a document) */
} qp_text;

/* A text with a dense map. */
void qp_text_init(qp_text *t);
/* A text with a run map. */
void qp_text_init_runs(qp_text *t);
/* Release the arrays; the text keeps its mode and is empty. */
void qp_text_free(qp_text *t);
/* Make room for n more bytes; returns 0, or -1 when memory is exhausted. */
int  qp_text_reserve(qp_text *t, size_t n);
/* Append n bytes that all came from source offset `from`. */
int  qp_text_put(qp_text *t, const char *p, size_t n, size_t from);
/* Append one whole character of n bytes made from the source character
 * at `from` (every byte maps to from; in a run map it continues a
 * QP_RUN_CHAR run when it can). */
int  qp_text_put_char(qp_text *t, const char *p, size_t n, size_t from);
/* Append n bytes of whole characters, each made from the character at
 * the same place in the source starting at `from` (each byte maps to
 * from + the offset of its character's first byte: QP_RUN_CHAR). */
int  qp_text_put_chars(qp_text *t, const char *p, size_t n, size_t from);
/* Append n bytes copied one-to-one from the source starting at `from`. */
int  qp_text_copy(qp_text *t, const char *p, size_t n, size_t from);
/* Terminate: write the NUL and src(len) = source_len. */
int  qp_text_finish(qp_text *t, size_t source_len);
/* Send the map on through via: src(i) becomes via's src of src(i) (a
 * text made from a text made from the input, mapped to the input).
 * Keeps t's mode; 0, or -1 when out of memory. */
int  qp_text_remap(qp_text *t, const qp_text *via);
/* Give back the unused part of the buffers (a large text, once built). */
void qp_text_shrink(qp_text *t);
/* Empty the text, keeping its buffers and its mode. */
void qp_text_clear(qp_text *t);

/* The source offset of byte i (0 <= i <= len) in either form. */
size_t qp_text_src_runs(const qp_text *t, size_t i);
/* The first byte of t whose source offset is >= off (binary search:
 * src is non-decreasing).  Maps a norm offset to a fold offset. */
size_t qp_text_lower_bound(const qp_text *t, size_t off);
/* qp_text_lower_bound() for a run map. */
size_t qp_text_lower_bound_runs(const qp_text *t, size_t off);
static inline size_t qp_text_src(const qp_text *t, size_t i)
{
	return t->runs_mode ? qp_text_src_runs(t, i) : t->src[i];
}

/*
 * NFC and fold (nfc.c, fold.c) - from input bytes to the two texts the
 * rules match on.
 *
 *   input bytes --qp_normalize--> norm (NFC, LF line ends, no BOM)
 *   norm        --qp_fold------>  fold (one tone placement, plain
 *                                       dashes, quotes and spaces; case
 *                                       kept, rules match it caselessly)
 *
 * norm.src maps each norm byte to an input byte; fold.src maps each fold
 * byte to a norm byte.  Output text is always cut from norm; spans are
 * always reported through norm.src, in bytes of the input as given.
 */

typedef enum {
	QP_NORM_OK = 0,
	QP_NORM_NUL,        /* a NUL byte: binary, not text */
	QP_NORM_BAD_UTF8,   /* not valid UTF-8 */
	QP_NORM_NOMEM
} qp_norm_status;

/* Validate `raw` as UTF-8 and build its NFC form in `norm` (which must be
 * initialised; it is reset).  A leading UTF-8 BOM is dropped, CRLF and a
 * lone CR become LF.  On failure *bad_at is the offending byte offset. */
qp_norm_status qp_normalize(const char *raw, size_t len, qp_text *norm,
                            size_t *bad_at);

/* Options for qp_fold_bytes. */
enum {
	QP_FOLD_CASE = 1  /* also lower-case letters (comparison keys) */
};

/* Fold `norm` for matching: see the file comment.  `fold` is reset. */
int qp_fold(const qp_text *norm, qp_text *fold);

/* Fold any NFC string (rule patterns, comparison keys): appends to
 * `out`, map relative to `s`.  Without QP_FOLD_CASE case is kept, which
 * patterns need (escapes like \S, group names). */
int qp_fold_bytes(const char *s, size_t n, int flags, qp_text *out);

/* The comparison key of s[0..n) (the fold with QP_FOLD_CASE, no map:
 * the same fold, into a buffer)
 * into buf: returns its length, written with a NUL when it is below
 * cap (call again with a larger buffer otherwise), or -1 when s is not
 * valid UTF-8. */
long qp_fold_key(const char *s, size_t n, char *buf, size_t cap);

/* True for the five Vietnamese tone marks in decomposed form:
 * grave U+0300, acute U+0301, tilde U+0303, hook U+0309, dot U+0323. */
int qp_is_tone_mark(int32_t cp);

/*
 * Vietnamese (vn.c) - small facts about written Vietnamese that several extractors
 * need: where words end, which words are capitalized, how to fold a
 * short string for comparison.
 *
 * Vietnamese writes one syllable per space-separated word; personal and
 * place names capitalize every syllable ("Nguyễn Hồng Phong", "Hà
 * Tĩnh"), abbreviations are all capitals ("UBND", "BĐBP").
 */

/* End of the word (letters, marks, digits) starting at s[i]. */
size_t qp_vn_word_end(const char *s, size_t len, size_t i);
/* Is s[a..b) a capitalized word: a capital then lower-case letters, or
 * a lone capital ("Hồng" and the "A" of "Giàng A Dình" yes; "UBND" and
 * "hồng" no)? */
int qp_vn_is_capitalized(const char *s, size_t a, size_t b);
/* The run of capitalized words starting at s[i], separated by single
 * spaces, at most max words: returns its end (i when none) and the
 * number of words and their starts (starts may be NULL). */
size_t qp_vn_cap_run(const char *s, size_t len, size_t i, size_t max,
                     size_t *nwords, size_t *starts);
/* Fold s[0..n) for comparison (lower case, one tone placement, as the
 * matching fold) into a new malloc'd string; NULL when out of memory. */
char *qp_vn_key(const char *s, size_t n);

/* Look the fold of s[0..n) up in words[0..count) (compared by fold, so
 * "Sáng", "sáng" and an NFD "sáng" all find "sáng"); index or -1. */
int qp_vn_lookup(const char *s, size_t n, const char *const *words,
                 size_t count);

/* Copy norm[s..e) without parenthesized parts ("Bộ đội Biên phòng
 * (BĐBP) tỉnh" -> "Bộ đội Biên phòng tỉnh"), white space collapsed and
 * trailing commas dropped; a new malloc'd string, NULL without memory. */
char *qp_vn_clean(const char *norm, size_t s, size_t e);

/*
 * Numbers (vnnum.c) - Vietnamese numbers, as written in these reports.
 *
 *   "4.000" = 4000        a dot groups thousands (groups of exactly 3)
 *   "37,5" = 37.5         a comma is the decimal point
 *   "1.234,5" = 1234.5    both together
 *   "47" "01"             plain digits
 *
 * Anything else is refused rather than guessed: "1..2", ",5", "1.23"
 * (a dot not followed by a group of three), "4,", a run of more than 15
 * digits (beyond what a double holds exactly).  Scale words ("nghìn",
 * "triệu", "tỷ") and counting words ("hai", "mười") are data: see
 * lexicon/scales.tsv and lexicon/numerals.tsv.
 */

/* Parse s[0..n) whole as a number; returns 0 and sets *value, or -1. */
int vn_number_parse(const char *s, size_t n, double *value);

#endif
