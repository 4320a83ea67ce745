/*
 * lexicon.c - word lists and tables (lexicon/NAME.txt, NAME.tsv): read
 * one from its file, fold every entry once into a sorted key array, and
 * look a word up by its fold ("Hoà" finds "hòa").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_impl.h"

int lexicon_by_length_desc(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
	return x < y ? 1 : x > y ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

struct keyed {
	char  *key;
	size_t index;
};

/* By key, then by entry: equal keys (a name in several rows of a
 * table) stay in file order, so qp_lexicon_find_all() lists them so. */
static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

/* Fold every entry once so lookups are a binary search. */
static int build_keys(qp_lexicon *lx)
{
	struct keyed *k = malloc((lx->n + 1) * sizeof *k);
	lx->keys = malloc((lx->n + 1) * sizeof *lx->keys);
	lx->key_index = malloc((lx->n + 1) * sizeof *lx->key_index);
	if (!k || !lx->keys || !lx->key_index) {
		free(k);
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < lx->n; i++) {
		/* Entries are valid UTF-8 (checked on reading): no key
		 * means no memory, and a lexicon without one of its
		 * entries would silently miss it. */
		char *key = qp_vn_key(lx->entries[i], strlen(lx->entries[i]));
		if (!key) {
			while (n > 0)
				free(k[--n].key);
			free(k);
			return -1;
		}
		k[n].key = key;
		k[n++].index = i;
	}
	qsort(k, n, sizeof *k, cmp_keyed);
	for (size_t i = 0; i < n; i++) {
		lx->keys[i] = k[i].key;
		lx->key_index[i] = k[i].index;
	}
	lx->nkeys = n;
	free(k);
	return 0;
}

/* The first of lx's sorted keys whose first n bytes are not below
 * key[0..n) (after: above it). */
static size_t bound(const qp_lexicon *lx, const char *key, size_t n, int after)
{
	size_t lo = 0, hi = lx->nkeys;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(lx->keys[mid], key, n);
		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t qp_lexicon_prefixed(const qp_lexicon *lx, const char *key, size_t n,
                           size_t *first)
{
	*first = 0;
	if (!lx)
		return 0;
	*first = bound(lx, key, n, 0);
	return bound(lx, key, n, 1) - *first;
}

long qp_lexicon_find_all(const qp_lexicon *lx, const char *s, size_t n,
                         size_t *first)
{
	*first = 0;
	if (!lx)
		return 0;
	char stack[256], *key = stack;
	long kl = qp_fold_key(s, n, stack, sizeof stack);
	if (kl < 0)
		return 0;   /* not UTF-8: no key equals it */
	if ((size_t)kl >= sizeof stack) {
		if (!(key = malloc((size_t)kl + 1)))
			return -1;
		if (qp_fold_key(s, n, key, (size_t)kl + 1) != kl) {
			free(key);
			return 0;
		}
	}
	/* Among the keys that start with key, those equal to it come first. */
	size_t m = qp_lexicon_prefixed(lx, key, (size_t)kl, first), eq = 0;
	while (eq < m && lx->keys[*first + eq][kl] == '\0')
		eq++;
	if (key != stack)
		free(key);
	return (long)eq;
}

long qp_lexicon_find(const qp_lexicon *lx, const char *s, size_t n)
{
	size_t first;
	return qp_lexicon_find_all(lx, s, n, &first) > 0
	       ? (long)lx->key_index[first] : -1;
}

/* Read list or table f into lx (zeroed): entries of a list sorted
 * longest first, a table's rows in file order (a row without a tab is
 * skipped).  0, or -1 when out of memory. */
int lexicon_load(qp_lexicon *lx, const struct file *f)
{
	const char *base = strchr(f->name, '/') + 1;
	lx->name = strndup(base, strcspn(base, "."));
	if (!lx->name)
		return -1;
	int table = rules_ends_with(f->name, ".tsv");
	size_t pos = 0, lineno = 0, n, cap = 0, vcap = 0, v2cap = 0;
	const char *p;
	while (rules_line(f, &pos, &lineno, &p, &n)) {
		if (n == 0 || p[0] == '#')
			continue;
		const char *tab = memchr(p, '\t', n);
		if (table && !tab)
			continue;
		if (qp_grow(&lx->entries, &cap, lx->n, sizeof *lx->entries) ||
		    (table && (qp_grow_to(&lx->values, &vcap, cap, sizeof *lx->values) ||
		               qp_grow_to(&lx->values2, &v2cap, cap,
		                          sizeof *lx->values2))))
			return -1;
		if (!table) {
			if (!(lx->entries[lx->n] = strndup(p, n)))
				return -1;
			lx->n++;
			continue;
		}
		const char *v = tab + 1, *end = p + n;
		const char *tab2 = memchr(v, '\t', (size_t)(end - v));
		char *key = strndup(p, (size_t)(tab - p));
		char *val = strndup(v, (size_t)((tab2 ? tab2 : end) - v));
		char *val2 = tab2 ? strndup(tab2 + 1, (size_t)(end - tab2 - 1))
		                  : strdup("");
		if (!key || !val || !val2) {
			free(key);
			free(val);
			free(val2);
			return -1;
		}
		lx->entries[lx->n] = key;
		lx->values[lx->n] = val;
		lx->values2[lx->n++] = val2;
	}
	if (!table)
		qsort(lx->entries, lx->n, sizeof(char *), lexicon_by_length_desc);
	return build_keys(lx);
}

/* Free a string array of n entries (NULL: none). */
static void free_strings(char **v, size_t n)
{
	for (size_t k = 0; v && k < n; k++)
		free(v[k]);
	free(v);
}

void lexicon_free(qp_lexicon *lx)
{
	/* The columns of a table, or the entries of a list, and the keys. */
	free_strings(lx->entries, lx->n);
	free_strings(lx->values, lx->n);
	free_strings(lx->values2, lx->n);
	free_strings(lx->keys, lx->nkeys);
	free(lx->key_index);
	free(lx->name);
}

const qp_lexicon *qp_rules_lexicon(const qp_rules *r, const char *name)
{
	for (size_t i = 0; i < r->nlex; i++)
		if (!strcmp(r->lex[i].name, name))
			return &r->lex[i];
	return NULL;
}
