/*
 * encoding.h - read documents written in legacy Vietnamese encodings.
 *
 * Archives still hold Windows-1258, TCVN3 (TCVN 5712), VISCII and VNI
 * text, and UTF-16.  Each single-byte encoding is a table from byte to
 * UTF-8, built once per process (glibc iconv for CP1258, TCVN5712-1 and
 * VISCII; lexicon/vni.tsv over Windows-1252 for VNI).  Decoding keeps a
 * map from every output byte to the input byte it came from, so spans
 * stay in bytes of the input as given.
 */
#ifndef QPAN_ENCODING_H
#define QPAN_ENCODING_H

#include <stddef.h>

#include "rules.h"
#include "text.h"

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
 * encoding asked for (*bad_at: where).  *used says what was read. */
int qp_decode(const qp_codecs *c, const qp_rules *rules, const char *raw,
              size_t len, qp_encoding want, qp_text *out, qp_encoding *used,
              size_t *bad_at);

#endif
