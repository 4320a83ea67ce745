/*
 * pf_strset.c - sets of strings and conjunctions of them, the values
 * the prefilter's reader computes (pf_impl.h).
 *
 *   strset   {"bà", "ông"}: the exact set of a part, a clause, or the
 *            strings every match starts with; grown by pf_set_push,
 *            then pf_set_norm (sorted, no repeats)
 *   cnf      {{"chủ trì"}, {"bà", "ông"}}: every match holds one string
 *            of each clause; pf_cnf_take keeps only useful clauses (at
 *            most CLAUSE_MAX strings, none shorter than LIT_MIN bytes)
 *
 * The strings are NUL-terminated copies owned by their set; a clause
 * ends its life as a registered clause's literals (pf_build.c).
 */
#include <stdlib.h>
#include <string.h>

#include "pf_impl.h"

void pf_set_free(strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (strset)SET_EMPTY;
}

int pf_set_has(const strset *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return 1;
	return 0;
}

int pf_set_push(strset *s, const char *x, size_t n)
{
	char *c = malloc(n + 1);
	if (!c)
		return -1;
	memcpy(c, x, n);
	c[n] = '\0';
	if (qp_grow(&s->v, &s->cap, s->n, sizeof *s->v)) {
		free(c);
		return -1;
	}
	s->v[s->n++] = c;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void pf_set_norm(strset *s)
{
	if (s->n < 2)
		return;
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	size_t k = 1;
	for (size_t i = 1; i < s->n; i++) {
		if (!strcmp(s->v[i], s->v[k - 1]))
			free(s->v[i]);
		else
			s->v[k++] = s->v[i];
	}
	s->n = k;
}

int pf_set_add(strset *s, const char *x, size_t n)
{
	if (pf_set_has(s, x) && strlen(x) == n)
		return 0;
	return pf_set_push(s, x, n);
}

int pf_set_single(strset *s, const char *x, size_t n)
{
	*s = (strset)SET_EMPTY;
	return pf_set_push(s, x, n);
}

int pf_set_product(const strset *a, const strset *b, strset *out)
{
	*out = (strset)SET_EMPTY;
	out->v = malloc((a->n * b->n + 1) * sizeof *out->v);
	if (!out->v)
		return -1;
	out->cap = a->n * b->n + 1;
	for (size_t i = 0; i < a->n; i++) {
		size_t la = strlen(a->v[i]);
		for (size_t k = 0; k < b->n; k++) {
			size_t lb = strlen(b->v[k]);
			char *c = malloc(la + lb + 1);
			if (!c)
				return -1;
			memcpy(c, a->v[i], la);
			memcpy(c + la, b->v[k], lb + 1);
			out->v[out->n++] = c;
		}
	}
	pf_set_norm(out);
	return 0;
}

size_t pf_set_minlen(const strset *s)
{
	size_t m = (size_t)-1;
	for (size_t i = 0; i < s->n; i++) {
		size_t l = strlen(s->v[i]);
		if (l < m)
			m = l;
	}
	return s->n ? m : 0;
}

int pf_set_copy(const strset *a, strset *out)
{
	*out = (strset)SET_EMPTY;
	out->v = malloc((a->n + 1) * sizeof *out->v);
	if (!out->v)
		return -1;
	out->cap = a->n + 1;
	for (size_t i = 0; i < a->n; i++) {
		out->v[i] = strdup(a->v[i]);
		if (!out->v[i]) {
			pf_set_free(out);
			return -1;
		}
		out->n++;
	}
	return 0;
}

void pf_cnf_free(cnf *c)
{
	for (size_t i = 0; i < c->n; i++)
		pf_set_free(&c->v[i]);
	free(c->v);
	*c = (cnf)CNF_EMPTY;
}

int pf_cnf_take(cnf *c, strset *s)
{
	if (s->n == 0 || s->n > CLAUSE_MAX || pf_set_minlen(s) < LIT_MIN) {
		pf_set_free(s);
		return 0;
	}
	if (qp_grow(&c->v, &c->cap, c->n, sizeof *c->v)) {
		pf_set_free(s);
		return -1;
	}
	c->v[c->n++] = pf_set_move(s);
	return 0;
}

/* Longer shortest string, then fewer strings. */
int pf_better(const strset *a, const strset *b)
{
	size_t ma = pf_set_minlen(a), mb = pf_set_minlen(b);
	if (ma != mb)
		return ma > mb;
	return a->n < b->n;
}
