/*
 * text.h - a UTF-8 string that remembers where each byte came from.
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
 * qp_text_lower_bound() (doc.h) searches either in O(log n).  Code that
 * indexes t->src[] directly only works on dense texts.
 *
 * A qp_text owns its arrays; qp_text_free() releases them.
 */
#ifndef QPAN_TEXT_H
#define QPAN_TEXT_H

#include <stddef.h>
#include <stdint.h>

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
/* qp_text_lower_bound() for a run map. */
size_t qp_text_lower_bound_runs(const qp_text *t, size_t off);
static inline size_t qp_text_src(const qp_text *t, size_t i)
{
	return t->runs_mode ? qp_text_src_runs(t, i) : t->src[i];
}

#endif
