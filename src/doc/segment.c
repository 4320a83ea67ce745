/*
 * segment.c - sentence boundaries (see segment.h), one pass over norm.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "doc.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Does a new sentence start at norm[i]?  Capital letter, digit, quote,
 * or an opening bracket/dash. */
static int starts_sentence(const qp_text *t, size_t i)
{
	if (i >= t->len)
		return 1;
	unsigned char c = (unsigned char)t->s[i];
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		       c == '"' || c == '\'' || c == '(' || c == '-' || c == '\n';
	utf8proc_int32_t cp;
	if (utf8proc_iterate((const utf8proc_uint8_t *)t->s + i,
	                     (utf8proc_ssize_t)(t->len - i), &cp) < 0)
		return 0;
	utf8proc_category_t cat = utf8proc_category(cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
	       cat == UTF8PROC_CATEGORY_PI || cat == UTF8PROC_CATEGORY_PS ||
	       cat == UTF8PROC_CATEGORY_PD;
}

/* Is the word ending at t[dot] (before a ".") an abbreviation that
 * takes a dot in place names: "TP.", "TX.", "Q.", "P.", "H."?  One or two
 * capitals preceded by a space or the sentence start. */
static int is_abbreviation(const qp_text *t, size_t start, size_t dot)
{
	size_t a = dot;
	while (a > start && t->s[a - 1] >= 'A' && t->s[a - 1] <= 'Z')
		a--;
	if (dot - a < 1 || dot - a > 2)
		return 0;
	if (a > start && t->s[a - 1] != ' ' && t->s[a - 1] != '(')
		return 0;
	static const char *const abbr[] = {"TP", "TX", "Q", "P", "H", "TT"};
	for (size_t k = 0; k < sizeof abbr / sizeof *abbr; k++)
		if (strlen(abbr[k]) == dot - a && !memcmp(t->s + a, abbr[k], dot - a))
			return 1;
	return 0;
}

/* A "sentence" longer than this (a run-on line, a table, hostile input)
 * is cut at the last space before the limit: rules then never see more
 * than this much text at once, which keeps every document linear. */
#define MAX_SENTENCE 4096

static int push_one(const qp_doc *d, qp_sentences *s, size_t a, size_t b,
                    size_t line);

static int push(const qp_doc *d, qp_sentences *s, size_t a, size_t b,
                size_t line)
{
	const char *t = d->norm.s;
	while (b - a > MAX_SENTENCE) {
		size_t cut = a + MAX_SENTENCE;
		while (cut > a + MAX_SENTENCE / 2 && t[cut] != ' ')
			cut--;
		if (t[cut] != ' ')   /* no space: cut at a character boundary */
			cut = qp_utf8_back(t, a, a + MAX_SENTENCE);
		if (push_one(d, s, a, cut, line))
			return -1;
		a = cut;
	}
	return push_one(d, s, a, b, line);
}

static int push_one(const qp_doc *d, qp_sentences *s, size_t a, size_t b,
                    size_t line)
{
	const qp_text *t = &d->norm;
	while (a < b && (is_space(t->s[a]) || t->s[a] == '\n'))
		a++;
	while (b > a && (is_space(t->s[b - 1]) || t->s[b - 1] == '\n'))
		b--;
	if (a == b)
		return 0;
	if (qp_grow(&s->v, &s->cap, s->n, sizeof *s->v))
		return -1;
	qp_sentence *x = &s->v[s->n++];
	x->ns = a;
	x->ne = b;
	x->fs = qp_text_lower_bound(&d->fold, a);
	x->fe = qp_text_lower_bound(&d->fold, b);
	x->line = line;
	return 0;
}

int qp_segment(const qp_doc *d, qp_sentences *s)
{
	const qp_text *t = &d->norm;
	size_t start = 0, line = 0, start_line = 0;
	s->n = 0;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->s[i];
		if (c == '\n') {
			if (push(d, s, start, i, start_line))
				return -1;
			start = i + 1;
			start_line = ++line;
			continue;
		}
		size_t end = 0;
		if (c == '.' || c == '!' || c == '?')
			end = i + 1;
		else if ((unsigned char)c == 0xE2 && i + 2 < t->len &&
		         (unsigned char)t->s[i + 1] == 0x80 &&
		         (unsigned char)t->s[i + 2] == 0xA6)  /* … */
			end = i + 3;
		if (!end)
			continue;
		/* Swallow a run of closing punctuation: "...", ".”", ".)" */
		while (end < t->len && (t->s[end] == '.' || t->s[end] == '"' ||
		       t->s[end] == ')' || t->s[end] == '!' || t->s[end] == '?'))
			end++;
		while (end + 2 < t->len && (unsigned char)t->s[end] == 0xE2 &&
		       (unsigned char)t->s[end + 1] == 0x80 &&
		       ((unsigned char)t->s[end + 2] == 0x9D ||
		        (unsigned char)t->s[end + 2] == 0x99 ||
		        (unsigned char)t->s[end + 2] == 0xA6))
			end += 3;
		size_t j = end;
		if (j < t->len && !is_space(t->s[j]) && t->s[j] != '\n')
			continue;   /* "4.000", "TP.HCM", "a.b" */
		if (c == '.' && end == i + 1 && is_abbreviation(t, start, i))
			continue;   /* "UBND TP. Hòa Lạc", "Q. Ba Đình" */
		while (j < t->len && is_space(t->s[j]))
			j++;
		if (!starts_sentence(t, j))
			continue;
		if (push(d, s, start, end, start_line))
			return -1;
		start = end;
		i = end - 1;
	}
	return push(d, s, start, t->len, start_line);
}

void qp_sentences_free(qp_sentences *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

const qp_sentence *qp_sentence_at(const qp_sentences *s, size_t off)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].ne <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->v[lo].ns <= off ? &s->v[lo] : NULL;
}

qp_sentence qp_sentence_of(const qp_doc *d, size_t ns, size_t ne)
{
	qp_sentence x = {ns, ne, qp_text_lower_bound(&d->fold, ns),
	                 qp_text_lower_bound(&d->fold, ne), 0};
	return x;
}

int qp_next_clause(const qp_doc *d, size_t *pos, size_t end, qp_sentence *cl)
{
	const char *t = d->norm.s;
	size_t a = *pos;
	while (a < end && t[a] == ' ')
		a++;
	if (a >= end)
		return 0;
	const char *semi = memchr(t + a, ';', end - a);
	size_t b = semi ? (size_t)(semi - t) : end;
	*cl = qp_sentence_of(d, a, b);
	*pos = b + 1;
	return 1;
}
