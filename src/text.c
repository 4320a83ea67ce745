/*
 * text.c - growable UTF-8 buffer with a per-byte source offset map.
 * See text.h for the model.  Growth is geometric, so building a text of
 * n bytes costs O(n) however it is appended.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

void qp_text_init(qp_text *t)
{
	memset(t, 0, sizeof *t);
}

void qp_text_free(qp_text *t)
{
	free(t->s);
	free(t->src);
	qp_text_init(t);
}

int qp_text_reserve(qp_text *t, size_t n)
{
	if (n > SIZE_MAX / 2 - t->len - 1)
		return -1;
	size_t need = t->len + n + 1;
	if (need <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : 256;
	while (cap < need)
		cap *= 2;
	char *s = realloc(t->s, cap);
	if (!s)
		return -1;
	t->s = s;
	size_t *src = realloc(t->src, cap * sizeof *src);
	if (!src)
		return -1;
	t->src = src;
	t->cap = cap;
	return 0;
}

int qp_text_put(qp_text *t, const char *p, size_t n, size_t from)
{
	if (qp_text_reserve(t, n))
		return -1;
	memcpy(t->s + t->len, p, n);
	for (size_t i = 0; i < n; i++)
		t->src[t->len + i] = from;
	t->len += n;
	return 0;
}

int qp_text_copy(qp_text *t, const char *p, size_t n, size_t from)
{
	if (qp_text_reserve(t, n))
		return -1;
	memcpy(t->s + t->len, p, n);
	for (size_t i = 0; i < n; i++)
		t->src[t->len + i] = from + i;
	t->len += n;
	return 0;
}

int qp_text_finish(qp_text *t, size_t source_len)
{
	if (qp_text_reserve(t, 0))
		return -1;
	t->s[t->len] = '\0';
	t->src[t->len] = source_len;
	return 0;
}
