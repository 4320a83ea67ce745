/*
 * doc.h - the document layer: one document from its bytes to the
 * sentences the extractors read.  Its sections below come from:
 *
 *   encodings   encoding.c  legacy Vietnamese encodings to UTF-8, with
 *                           a map back to the input bytes
 *   qp_doc      doc.c       raw --decode--> --NFC--> norm --fold--> fold
 *   sentences   segment.c   sentences and clauses of a document
 *
 * Depends on lib.h, text.h and rules.h (the VNI table is a lexicon).
 */
#ifndef QPAN_DOC_H
#define QPAN_DOC_H

#include <stddef.h>

#include "lib.h"
#include "rules.h"
#include "text.h"

/*
 * Encodings (encoding.c) - read documents written in legacy Vietnamese encodings.
 *
 * Archives still hold Windows-1258, TCVN3 (TCVN 5712), VISCII and VNI
 * text, and UTF-16.  Each single-byte encoding is a table from byte to
 * UTF-8, built once per process (glibc iconv for CP1258, TCVN5712-1 and
 * VISCII; lexicon/vni.tsv over Windows-1252 for VNI).  Decoding keeps a
 * map from every output byte to the input byte it came from, so spans
 * stay in bytes of the input as given.
 */

typedef enum {
	QP_ENC_AUTO, QP_ENC_UTF8, QP_ENC_UTF16, QP_ENC_UTF16LE, QP_ENC_UTF16BE,
	QP_ENC_CP1258, QP_ENC_TCVN3, QP_ENC_VISCII, QP_ENC_VNI, QP_ENC_COUNT
} qp_encoding;

typedef struct qp_codecs qp_codecs;

/* Build the byte tables (read-only afterwards, shared by threads).
 * NULL with a reason in err when a table cannot be built. */
qp_codecs *qp_codecs_new(const qp_rules *rules, char *err, size_t errlen);
void       qp_codecs_free(qp_codecs *c);

/* "auto", "utf-8", "utf-16", "cp1258", "tcvn3", "viscii", "vni" (and a
 * few aliases); -1 for an unknown name. */
int         qp_encoding_parse(const char *name, qp_encoding *out);
/* The name reported in the output's "encoding". */
const char *qp_encoding_name(qp_encoding e);

/* Is raw valid UTF-8?  On no, *bad_at is the first bad byte. */
int qp_utf8_valid(const char *raw, size_t len, size_t *bad_at);

/* Decode raw as `want`.  Returns 0 when raw is to be read as UTF-8 as
 * it is (out untouched), 1 when it was decoded into out (a UTF-8 text
 * whose src maps to raw offsets), -1 when it is not valid in the
 * encoding asked for (*bad_at: where), -2 when memory ran out.  *used
 * says what was read.  With replace, a byte not valid in the encoding
 * read becomes U+FFFD instead (so never -1): *replaced counts them and
 * *bad_at is the first.  With auto, text that is UTF-8 but for a few
 * bad bytes is read as UTF-8 (ENCODINGS in the manual says when). */
int qp_decode(const qp_codecs *c, const qp_rules *rules, const char *raw,
              size_t len, qp_encoding want, int replace, qp_text *out,
              qp_encoding *used, size_t *bad_at, size_t *replaced);

/*
 * The document (doc.c) - one document as it moves through the pipeline.
 *
 *   raw  --normalize-->  norm  --fold-->  fold
 *
 * The document owns all three; qp_doc_free() releases them.
 */

/* Documents up to this size keep dense offset maps (norm.src[] and
 * fold.src[] can be indexed); larger ones keep run maps, where src is
 * NULL and only qp_text_src() reads the map (text.h).  Code that should
 * work on any document uses qp_text_src(). */
#define QP_DOC_DENSE_MAX ((size_t)1 << 20)

typedef struct {
	const char *source;  /* the path as given, "-" for stdin (not owned) */
	char       *raw;     /* the input bytes as given (NULL once a
	                      * document over QP_DOC_DENSE_MAX is prepared) */
	size_t      raw_len;
	qp_encoding encoding; /* what the bytes were read as */
	int         replace_invalid; /* set before qp_doc_prepare: bytes not
	                      * valid in the encoding become U+FFFD */
	size_t      replaced; /* how many were (0: none) */
	size_t      first_replaced; /* the input offset of the first */
	qp_text     norm;    /* NFC; norm.src -> raw offsets */
	qp_text     fold;    /* matching form; fold.src -> norm offsets */
} qp_doc;

void qp_doc_init(qp_doc *d, const char *source);
/* Take ownership of raw[0..len), decode it when it is not UTF-8 (codecs
 * may be NULL: UTF-8 only, and nothing is replaced), and build norm and
 * fold.  On a bad document returns the status and sets *bad_at to the
 * input offset.  With d->replace_invalid set, bad bytes are replaced
 * (d->replaced, d->first_replaced) rather than failing the document. */
qp_norm_status qp_doc_prepare(qp_doc *d, char *raw, size_t len,
                              const qp_codecs *codecs, const qp_rules *rules,
                              qp_encoding want, size_t *bad_at);
void qp_doc_free(qp_doc *d);

/*
 * Sentences (segment.c) - cut a document into sentences.
 *
 * A sentence ends at a line break, or at ". ", "! ", "? " or "…" when
 * the next word starts with a capital letter, a digit or a quote (so
 * "4.000", "37,5" and "TP. Huế" stay whole).  Each sentence is known by
 * its range in norm and in fold.  Extractors work sentence by sentence,
 * so no rule ever scans across a sentence boundary, and work stays
 * linear in the document's length.
 */

typedef struct {
	size_t ns, ne;   /* [ns, ne) in norm, trimmed of surrounding space */
	size_t fs, fe;   /* the same sentence in fold */
	size_t line;     /* 0-based index of the line it starts on */
} qp_sentence;

typedef struct {
	qp_sentence *v;
	size_t       n, cap;
} qp_sentences;

/* Segment d into s (initialised with {0}); returns 0 or -1 (memory). */
int  qp_segment(const qp_doc *d, qp_sentences *s);
void qp_sentences_free(qp_sentences *s);
/* A pseudo-sentence over any norm range, so that rules can be run on a
 * part of a sentence (a list of hosts, a title). */
qp_sentence qp_sentence_of(const qp_doc *d, size_t ns, size_t ne);
/* Clauses: the parts of norm[*pos..end) between semicolons, leading
 * spaces skipped.  Sets *cl to the next clause and advances *pos past
 * it; returns 0 when there is none left.
 *
 *   size_t pos = s->ns;  qp_sentence cl;
 *   while (qp_next_clause(d, &pos, s->ne, &cl)) ...                  */
int qp_next_clause(const qp_doc *d, size_t *pos, size_t end, qp_sentence *cl);
/* The sentence containing norm offset off, or NULL. */
const qp_sentence *qp_sentence_at(const qp_sentences *s, size_t off);

#endif
