/*
 * sbuf.c - the one growing string of qpan (see lib.h): pattern
 * expansion, TSV rows and unit names are all built in a qp_sbuf.
 *
 *   qp_sbuf b = {0};
 *   if (qp_sbuf_add(&b, "ab", 2) || qp_sbuf_puts(&b, "c"))
 *           ...out of memory: b still holds what it had...
 *   char *s = qp_sbuf_take(&b);   // "abc", the caller's to free
 */
#include <stdlib.h>
#include <string.h>

#include "lib.h"

int qp_sbuf_reserve(qp_sbuf *b, size_t n)
{
	if (n > (size_t)-1 - b->n - 1)
		return -1;
	if (qp_grow_to(&b->s, &b->cap, b->n + n + 1, 1))
		return -1;
	b->s[b->n] = '\0';
	return 0;
}

int qp_sbuf_add(qp_sbuf *b, const char *p, size_t n)
{
	if (qp_sbuf_reserve(b, n))
		return -1;
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

int qp_sbuf_puts(qp_sbuf *b, const char *s)
{
	return qp_sbuf_add(b, s, strlen(s));
}

void qp_sbuf_truncate(qp_sbuf *b, size_t n)
{
	if (b->s && n <= b->n) {
		b->n = n;
		b->s[n] = '\0';
	}
}

char *qp_sbuf_take(qp_sbuf *b)
{
	char *s = b->s ? b->s : calloc(1, 1);
	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

void qp_sbuf_free(qp_sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
}
