/*
 * text.h - a UTF-8 string that remembers where each byte came from.
 *
 * Every stage that rewrites text (NFC normalization, folding) produces a
 * qp_text: the new bytes plus, for every byte, the offset in the text it
 * was made from.  src[len] is the length of that earlier text, so a
 * half-open range [s, e) of this text maps back to [src[s], src[e]).
 * Chaining two maps (fold -> norm -> input) is how a match found in the
 * folded text becomes a span in the bytes the user gave us.
 *
 * A qp_text owns both arrays; qp_text_free() releases them.
 */
#ifndef QPAN_TEXT_H
#define QPAN_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	char   *s;    /* NUL-terminated UTF-8, len bytes before the NUL */
	size_t  len;
	size_t *src;  /* len + 1 entries: offset in the source text of each byte */
	size_t  cap;  /* allocated bytes in s (and entries in src, minus one) */
} qp_text;

void qp_text_init(qp_text *t);
void qp_text_free(qp_text *t);
/* Make room for n more bytes; returns 0, or -1 when memory is exhausted. */
int  qp_text_reserve(qp_text *t, size_t n);
/* Append n bytes that all came from source offset `from`. */
int  qp_text_put(qp_text *t, const char *p, size_t n, size_t from);
/* Append n bytes copied one-to-one from the source starting at `from`. */
int  qp_text_copy(qp_text *t, const char *p, size_t n, size_t from);
/* Terminate: write the NUL and src[len] = source_len. */
int  qp_text_finish(qp_text *t, size_t source_len);

#endif
