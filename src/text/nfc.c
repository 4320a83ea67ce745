/*
 * nfc.c - input bytes to norm: NFC with an offset map (text.h).
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
 */
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

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
		size_t n = uc_decode_fast(p + j, len - j, &cp);
		if (!n)
			return j;
		if (uc_attaches(cp))
			return last < i ? i : last;   /* the mark's base is not ours */
		if (!uc_nfc_stable_alone(cp))
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

	uc_tables();
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
		utf8proc_ssize_t n = uc_decode(raw, len, i, &cp);
		if (n < 0) {
			*bad_at = i;
			st = QP_NORM_BAD_UTF8;
			goto out;
		}
		size_t start = i, end = i + (size_t)n;
		size_t count = 1;
		while (end < len && (unsigned char)raw[end] >= 0x80) {
			int32_t next;
			utf8proc_ssize_t m = uc_decode(raw, len, end, &next);
			if (m < 0) {
				*bad_at = end;
				st = QP_NORM_BAD_UTF8;
				goto out;
			}
			if (!uc_attaches(next))
				break;
			end += (size_t)m;
			count++;
		}
		if (count == 1 && uc_nfc_stable_alone(cp)) {
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
		uc_sink o = {norm, NULL, 0, 0};
		if (uc_sink_composed(&o, dec, (size_t)dn, start))
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

