/*
 * normalize.h - from input bytes to the two texts the rules match on.
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
#ifndef QPAN_NORMALIZE_H
#define QPAN_NORMALIZE_H

#include "text.h"

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

/* The comparison key of s[0..n) (the fold with QP_FOLD_CASE, no map)
 * into buf: returns its length, written with a NUL when it is below
 * cap (call again with a larger buffer otherwise), or -1 when s is not
 * valid UTF-8. */
long qp_fold_key(const char *s, size_t n, char *buf, size_t cap);

/* True for the five Vietnamese tone marks in decomposed form:
 * grave U+0300, acute U+0301, tilde U+0303, hook U+0309, dot U+0323. */
int qp_is_tone_mark(int32_t cp);

#endif
