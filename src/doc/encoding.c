/*
 * encoding.c - legacy encodings to UTF-8 with an offset map (see
 * encoding.h).
 *
 * A single-byte encoding is a table: byte -> up to 11 bytes of UTF-8.
 * The tables are filled once: CP1258, TCVN5712-1 and VISCII by asking
 * glibc iconv for each byte alone (flushed, so a base letter that iconv
 * would hold back to compose comes out; NFC composes later), VNI from
 * Windows-1252 with lexicon/vni.tsv on top.  "auto" reads valid UTF-8
 * as it is, UTF-16 by its byte-order mark, UTF-8 with a few bad bytes
 * as UTF-8 (see mostly_utf8), and otherwise decodes with every legacy
 * table and keeps the reading with the most common Vietnamese words
 * (lexicon/common_words) and the fewest unlikely characters.
 *
 * With `replace` (--invalid replace) a byte that is not valid in the
 * encoding read (in UTF-16 a code unit) becomes U+FFFD, mapped to that
 * byte, instead of failing the document:
 *
 *   raw   "Hà\x93 Nội"  --decode-->  "Hà\uFFFD Nội"   (3 bytes from 3)
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "doc.h"
#include "text.h"

#define ENTRY_BYTES 11

typedef struct {
	unsigned char len;                /* 0: the byte is invalid */
	char          utf8[ENTRY_BYTES];
} entry;

struct qp_codecs {
	entry table[QP_ENC_COUNT][256];
};

static const struct {
	const char *name;
	qp_encoding enc;
} names[] = {
	{"auto", QP_ENC_AUTO}, {"utf-8", QP_ENC_UTF8}, {"utf8", QP_ENC_UTF8},
	{"utf-16", QP_ENC_UTF16}, {"utf16", QP_ENC_UTF16},
	{"utf-16le", QP_ENC_UTF16LE}, {"utf-16be", QP_ENC_UTF16BE},
	{"cp1258", QP_ENC_CP1258}, {"windows-1258", QP_ENC_CP1258},
	{"tcvn3", QP_ENC_TCVN3}, {"tcvn", QP_ENC_TCVN3},
	{"tcvn5712-1", QP_ENC_TCVN3}, {"viscii", QP_ENC_VISCII},
	{"vni", QP_ENC_VNI},
};

int qp_encoding_parse(const char *name, qp_encoding *out)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcasecmp(name, names[i].name)) {
			*out = names[i].enc;
			return 0;
		}
	return -1;
}

const char *qp_encoding_name(qp_encoding e)
{
	static const char *const n[QP_ENC_COUNT] = {
		"auto", "utf-8", "utf-16", "utf-16le", "utf-16be", "cp1258",
		"tcvn3", "viscii", "vni"};
	return e < QP_ENC_COUNT ? n[e] : "?";
}

/* Fill t from iconv's reading of each byte alone. */
static int table_from_iconv(entry *t, const char *charset)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return -1;
	for (int b = 0; b < 256; b++) {
		char in = (char)b, *ip = &in;
		char *op = t[b].utf8;
		size_t il = 1, ol = ENTRY_BYTES;
		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 ||
		    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
			t[b].len = 0;
			continue;
		}
		t[b].len = (unsigned char)(ENTRY_BYTES - ol);
		/* Bytes that decode to C0 controls other than white space are
		 * invalid in a text document. */
		if (t[b].len == 1 && (unsigned char)t[b].utf8[0] < 0x20 &&
		    !strchr("\t\n\r\f\v", t[b].utf8[0]))
			t[b].len = 0;
	}
	iconv_close(cd);
	return 0;
}

/* VNI: Windows-1252 overridden by lexicon/vni.tsv. */
static int table_vni(entry *t, const qp_rules *rules)
{
	if (table_from_iconv(t, "CP1252"))
		return -1;
	const qp_lexicon *lx = rules ? qp_rules_lexicon(rules, "vni") : NULL;
	if (!lx)
		return -1;
	for (size_t i = 0; i < lx->n; i++) {
		unsigned long b = strtoul(lx->entries[i], NULL, 16);
		if (b > 255)
			return -1;
		entry e = {0, {0}};
		for (const char *p = lx->values[i]; (p = strstr(p, "U+")); p += 2) {
			long cp = strtol(p + 2, NULL, 16);
			unsigned char u[4];
			utf8proc_ssize_t n = utf8proc_encode_char((int32_t)cp, u);
			if (n <= 0 || e.len + n > ENTRY_BYTES)
				return -1;
			memcpy(e.utf8 + e.len, u, (size_t)n);
			e.len = (unsigned char)(e.len + n);
		}
		t[b] = e;
	}
	return 0;
}

qp_codecs *qp_codecs_new(const qp_rules *rules, char *err, size_t errlen)
{
	qp_codecs *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	static const struct { qp_encoding e; const char *cs; } iconvs[] = {
		{QP_ENC_CP1258, "CP1258"}, {QP_ENC_TCVN3, "TCVN5712-1"},
		{QP_ENC_VISCII, "VISCII"},
	};
	for (size_t i = 0; i < sizeof iconvs / sizeof *iconvs; i++)
		if (table_from_iconv(c->table[iconvs[i].e], iconvs[i].cs)) {
			snprintf(err, errlen, "iconv cannot convert from %s",
			         iconvs[i].cs);
			free(c);
			return NULL;
		}
	if (table_vni(c->table[QP_ENC_VNI], rules)) {
		snprintf(err, errlen, "lexicon/vni.tsv is missing or malformed, or "
		         "iconv lacks CP1252");
		free(c);
		return NULL;
	}
	return c;
}

void qp_codecs_free(qp_codecs *c)
{
	free(c);
}

int qp_utf8_valid(const char *raw, size_t len, size_t *bad_at)
{
	size_t i = 0;
	while (i < len) {
		if ((unsigned char)raw[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(
			(const utf8proc_uint8_t *)raw + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0) {
			*bad_at = i;
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

/* How UTF-8 a text looks: its valid multi-byte characters, the bytes
 * that are no part of a valid character, and the first of those. */
typedef struct {
	size_t multi, bad, first_bad;
} utf8_census;

static utf8_census census(const char *raw, size_t len)
{
	utf8_census c = {0, 0, 0};
	const unsigned char *u = (const unsigned char *)raw;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = qp_utf8_valid_len(u + i, len - i);
		if (n) {
			c.multi++;
			i += n;
		} else {
			if (!c.bad++)
				c.first_bad = i;
			i++;
		}
	}
	return c;
}

/* UTF-8 with a few bad bytes, not a legacy encoding: at least
 * UTF8_PER_BAD valid multi-byte characters for each bad byte.  In
 * TCVN3, VISCII, VNI and Windows-1258 text a letter byte is almost
 * never followed by bytes that make it valid UTF-8: over the samples
 * and test cases converted to each, one valid "character" turned up for
 * a hundred bad bytes (at most one for ten in a short text).  A UTF-8
 * article with a stray Windows-1252 quote (0x93) or no-break space
 * (0xA0) has hundreds of valid characters for that one bad byte:
 *
 *   "Hội nghị tổng kết \x93công tác\x94"   10 valid, 2 bad: UTF-8
 *   TCVN3 "Héi nghÞ tæng kÕt" (bytes)      0 valid, 4 bad: legacy   */
#define UTF8_PER_BAD 3

static int mostly_utf8(const utf8_census *c)
{
	return c->multi >= UTF8_PER_BAD * c->bad;
}

/* UTF-8 with every bad byte as U+FFFD (3 bytes, mapped to it), valid
 * stretches copied.  A large text keeps a run map: a few runs per bad
 * byte instead of eight bytes of map for every byte. */
static int decode_utf8_replacing(const char *raw, size_t len, qp_text *out,
                                 size_t *replaced, size_t *first)
{
	const unsigned char *u = (const unsigned char *)raw;
	if (len > QP_DOC_DENSE_MAX && !out->runs_mode) {
		qp_text_free(out);
		qp_text_init_runs(out);
	}
	out->len = 0;
	if (qp_text_reserve(out, len + 16))
		return -2;
	size_t start = 0;   /* of the valid stretch not yet copied */
	for (size_t i = 0; i < len;) {
		size_t n = u[i] < 0x80 ? 1 : qp_utf8_valid_len(u + i, len - i);
		if (n) {
			i += n;
			continue;
		}
		if (qp_text_copy(out, raw + start, i - start, start) ||
		    qp_text_put(out, "\xEF\xBF\xBD", 3, i))
			return -2;
		if (!(*replaced)++)
			*first = i;
		start = ++i;
	}
	if (qp_text_copy(out, raw + start, len - start, start))
		return -2;
	return qp_text_finish(out, len) ? -2 : 0;
}

/* A byte the table has no character for fails the reading (-1, at
 * *bad_at), or with `replace` becomes U+FFFD. */
static int decode_table(const entry *t, const char *raw, size_t len,
                        int replace, qp_text *out, size_t *bad_at,
                        size_t *replaced)
{
	out->len = 0;
	if (qp_text_reserve(out, len + len / 2))
		return -2;
	for (size_t i = 0; i < len; i++) {
		const entry *e = &t[(unsigned char)raw[i]];
		if (!e->len) {
			if (!replace) {
				*bad_at = i;
				return -1;
			}
			if (!(*replaced)++)
				*bad_at = i;
			if (qp_text_put(out, "\xEF\xBF\xBD", 3, i))
				return -2;
			continue;
		}
		if (qp_text_put(out, e->utf8, e->len, i))
			return -2;
	}
	return qp_text_finish(out, len) ? -2 : 0;
}

/* A lone surrogate (or a high one not followed by a low one) and an odd
 * last byte fail the reading, or with `replace` become U+FFFD. */
static int decode_utf16(const char *raw, size_t len, int big, size_t skip,
                        int replace, qp_text *out, size_t *bad_at,
                        size_t *replaced)
{
	const unsigned char *u = (const unsigned char *)raw;
	out->len = 0;
	if (qp_text_reserve(out, len * 2))
		return -2;
	size_t i = skip;
	for (; i < len; i += 2) {
		size_t at = i;
		uint32_t w;
		if (i + 1 >= len) {
			w = 0xFFFD0000;   /* an odd trailing byte: invalid */
		} else {
			w = big ? (uint32_t)(u[i] << 8 | u[i + 1])
			        : (uint32_t)(u[i + 1] << 8 | u[i]);
		}
		if (w >= 0xD800 && w <= 0xDBFF) {
			uint32_t w2 = 0;
			if (i + 3 < len)
				w2 = big ? (uint32_t)(u[i + 2] << 8 | u[i + 3])
				         : (uint32_t)(u[i + 3] << 8 | u[i + 2]);
			if (w2 >= 0xDC00 && w2 <= 0xDFFF) {
				w = 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00);
				i += 2;
			} else {
				w = 0xFFFD0000;
			}
		} else if (w >= 0xDC00 && w <= 0xDFFF) {
			w = 0xFFFD0000;
		}
		if (w == 0xFFFD0000) {
			if (!replace) {
				*bad_at = at;
				return -1;
			}
			if (!(*replaced)++)
				*bad_at = at;
			w = 0xFFFD;
		}
		unsigned char b[4];
		utf8proc_ssize_t n = utf8proc_encode_char((int32_t)w, b);
		if (qp_text_put(out, (const char *)b, (size_t)n, at))
			return -2;
	}
	return qp_text_finish(out, len) ? -2 : 0;
}

/* How Vietnamese does a reading look?  Ten points per common word, one
 * off for each character no Vietnamese text has. */
static long score(const qp_rules *rules, const qp_text *t)
{
	const qp_lexicon *common = qp_rules_lexicon(rules, "common_words");
	long s = 0;
	size_t i = 0;
	while (i < t->len) {
		size_t e = qp_vn_word_end(t->s, t->len, i);
		if (e > i) {
			if (e - i <= 24 && qp_lexicon_find(common, t->s + i, e - i) >= 0)
				s += 10;
			i = e;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(
			(const utf8proc_uint8_t *)t->s + i, (utf8proc_ssize_t)(t->len - i), &cp);
		if (n <= 0)
			break;
		if ((cp >= 0x80 && cp <= 0xBF) || (cp >= 0x2500 && cp <= 0x25FF) ||
		    cp == 0xD7 || cp == 0xF7)
			s--;
		i += (size_t)n;
	}
	return s;
}

/* UTF-8 as it is (0), or with `replace` and bad bytes, decoded with
 * U+FFFD for them (1). */
static int utf8_reading(const char *raw, size_t len, int replace,
                        const utf8_census *c, qp_text *out, size_t *bad_at,
                        size_t *replaced)
{
	if (!replace || c->bad == 0)
		return 0;
	return decode_utf8_replacing(raw, len, out, replaced, bad_at) ? -2 : 1;
}

int qp_decode(const qp_codecs *c, const qp_rules *rules, const char *raw,
              size_t len, qp_encoding want, int replace, qp_text *out,
              qp_encoding *used, size_t *bad_at, size_t *replaced)
{
	const unsigned char *u = (const unsigned char *)raw;
	int bom_le = len >= 2 && u[0] == 0xFF && u[1] == 0xFE;
	int bom_be = len >= 2 && u[0] == 0xFE && u[1] == 0xFF;
	int rc;

	*replaced = 0;
	switch (want) {
	case QP_ENC_UTF8: {
		*used = QP_ENC_UTF8;
		utf8_census cs = replace ? census(raw, len) : (utf8_census){0, 0, 0};
		return utf8_reading(raw, len, replace, &cs, out, bad_at, replaced);
	}
	case QP_ENC_UTF16:
	case QP_ENC_UTF16LE:
	case QP_ENC_UTF16BE: {
		int big = want == QP_ENC_UTF16BE || (want == QP_ENC_UTF16 && bom_be);
		size_t skip = (big ? bom_be : bom_le) ? 2 : 0;
		*used = big ? QP_ENC_UTF16BE : QP_ENC_UTF16LE;
		rc = decode_utf16(raw, len, big, skip, replace, out, bad_at,
		                  replaced);
		return rc == 0 ? 1 : rc;
	}
	case QP_ENC_CP1258:
	case QP_ENC_TCVN3:
	case QP_ENC_VISCII:
	case QP_ENC_VNI:
		*used = want;
		rc = decode_table(c->table[want], raw, len, replace, out, bad_at,
		                  replaced);
		return rc == 0 ? 1 : rc;
	default:
		break;
	}
	/* auto */
	if (bom_le || bom_be) {
		*used = bom_be ? QP_ENC_UTF16BE : QP_ENC_UTF16LE;
		rc = decode_utf16(raw, len, bom_be, 2, replace, out, bad_at,
		                  replaced);
		return rc == 0 ? 1 : rc;
	}
	utf8_census cs = census(raw, len);
	*used = QP_ENC_UTF8;
	if (cs.bad == 0 || memchr(raw, 0, len) || mostly_utf8(&cs)) {
		/* Valid, binary (the normalizer says so), or UTF-8 with a
		 * few bad bytes: the normalizer reports the first, or they
		 * are replaced. */
		return utf8_reading(raw, len, replace, &cs, out, bad_at, replaced);
	}
	static const qp_encoding legacy[] = {QP_ENC_VNI, QP_ENC_TCVN3,
	                                     QP_ENC_CP1258, QP_ENC_VISCII};
	long best = 0;
	qp_encoding pick = QP_ENC_AUTO;
	qp_text tmp;
	qp_text_init(&tmp);
	for (size_t k = 0; k < sizeof legacy / sizeof *legacy; k++) {
		size_t b2, r2 = 0;
		rc = decode_table(c->table[legacy[k]], raw, len, 0, &tmp, &b2, &r2);
		if (rc == -2) {
			qp_text_free(&tmp);
			return -2;
		}
		if (rc)
			continue;
		long s = score(rules, &tmp);
		if (pick == QP_ENC_AUTO || s > best) {
			best = s;
			pick = legacy[k];
		}
	}
	qp_text_free(&tmp);
	if (pick == QP_ENC_AUTO || best <= 0) {
		/* No reading looks like Vietnamese: bad UTF-8, reported at its
		 * first bad byte, or replaced. */
		if (!replace) {
			*bad_at = cs.first_bad;
			return -1;
		}
		return utf8_reading(raw, len, replace, &cs, out, bad_at, replaced);
	}
	*used = pick;
	rc = decode_table(c->table[pick], raw, len, 0, out, bad_at, replaced);
	return rc == 0 ? 1 : rc;
}
