/*
 * diag.c - messages on standard error that stay one line each and say
 * exactly which file they are about, whatever bytes its name holds.
 *
 *   qp_diag("%s: %s", path, strerror(err));
 *       -> "qpan: in/a\nb.txt: No such file or directory\n"
 *          where the newline in the name is written as the two
 *          characters '\' 'n', so that a crafted name cannot start a
 *          line of its own (a forged "qpan: ..." message).
 *
 * The formatted text goes through qp_escape_msg: control bytes (below
 * 0x20, and 0x7F) are written \n, \t, \r or \xNN, a byte that is not
 * part of valid UTF-8 is written \xNN, and a backslash \\, so the
 * original bytes can always be read back.  Valid UTF-8 (Vietnamese
 * names) is kept as it is.  Nothing here allocates: a message can be
 * printed when memory has run out (it is cut at QP_DIAG_MAX bytes).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib.h"

/* The length of the valid UTF-8 character at s[0..n), or 0 when the
 * bytes there are not one (a stray continuation byte, an overlong or
 * surrogate form, a truncated sequence). */
size_t qp_utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
	           : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if (!qp_utf8_cont(s[i]))
			return 0;
	/* Overlong three- and four-byte forms, surrogates, above U+10FFFF. */
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return len;
}

size_t qp_escape_msg(char *dst, size_t cap, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		char esc[5];
		size_t elen, adv = 1;
		size_t v = qp_utf8_valid_len(s + i, n - i);
		if (v > 1) {
			elen = 0;
			adv = v;
		} else if (s[i] == '\\') {
			memcpy(esc, "\\\\", elen = 2);
		} else if (s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
			esc[0] = '\\';
			esc[1] = s[i] == '\n' ? 'n' : s[i] == '\t' ? 't' : 'r';
			elen = 2;
		} else if (v == 1 && s[i] >= 0x20 && s[i] != 0x7F) {
			esc[0] = (char)s[i];
			elen = 1;
		} else {
			snprintf(esc, sizeof esc, "\\x%02X", s[i]);
			elen = 4;
		}
		size_t out = elen ? elen : adv;
		if (k + out >= cap)
			break;
		memcpy(dst + k, elen ? esc : src + i, out);
		k += out;
		i += adv;
	}
	if (cap)
		dst[k] = '\0';
	return k;
}

void qp_diag(const char *fmt, ...)
{
	char raw[QP_DIAG_MAX], line[QP_DIAG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	size_t len = (size_t)n < sizeof raw ? (size_t)n : sizeof raw - 1;
	qp_escape_msg(line, sizeof line, raw, len);
	fprintf(stderr, "qpan: %s\n", line);
}
