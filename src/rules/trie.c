/*
 * trie.c - a lexicon as a pattern: the alternation {{name}} expands to,
 * longest entry first, written as a trie when that keeps its meaning.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "rules_impl.h"

/* Append a lexicon as a non-capturing alternation. */
static int add_trie(qp_sbuf *b, const qp_lexicon *lx, char **keys, int layer);

/* layer < 0: a plain alternation, no trie. */
int lexicon_alternation(qp_sbuf *b, const qp_lexicon *lx, int layer)
{
	/* Tables are looked up longest key first too. */
	char **keys = malloc((lx->n + 1) * sizeof *keys);
	if (!keys)
		return -1;
	memcpy(keys, lx->entries, lx->n * sizeof *keys);
	qsort(keys, lx->n, sizeof *keys, lexicon_by_length_desc);
	if (layer >= 0 && lx->n > 1) {
		size_t mark = b->n;
		if (qp_sbuf_add(b, "(?:", 3)) {
			free(keys);
			return -1;
		}
		int t = add_trie(b, lx, keys, layer);
		if (t <= 0) {
			free(keys);
			return t < 0 ? -1 : qp_sbuf_add(b, ")", 1);
		}
		b->n = mark;
		if (b->s)
			b->s[mark] = '\0';
	}
	if (qp_sbuf_add(b, "(?:", 3)) {
		free(keys);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < lx->n && !rc; i++) {
		if (i)
			rc |= qp_sbuf_add(b, "|", 1);
		for (const char *p = keys[i]; *p && !rc; p++) {
			if (*p == ' ') {
				while (p[1] == ' ')
					p++;
				rc |= qp_sbuf_add(b, "\\s+", 3);
			} else if (strchr("\\^$.[]|()?*+{}-/#", *p)) {
				rc |= qp_sbuf_add(b, "\\", 1) | qp_sbuf_add(b, p, 1);
			} else {
				rc |= qp_sbuf_add(b, p, 1);
			}
		}
	}
	free(keys);
	return rc | qp_sbuf_add(b, ")", 1);
}

/* Lexicon alternations as tries.  "(?:Nguyễn|Ngô|Nông)" makes PCRE2
 * try every entry in turn at every position; the trie
 * "(?:N(?:guyễn|gô|ông))" reads each character once.  The two match
 * the same text the same way when the order of the entries does not
 * matter, which holds for entries that no text can match two of at one
 * place: only entries of which one is a prefix of another (token by
 * token: characters, caselessly for fold rules, and runs of spaces) can
 * both match, and for those the trie keeps the longer first, as the
 * longest-first alternation does ("(?:Phó(?:\s+Chủ\s+tịch|))").  Fold
 * rules get their entries folded first (so the trie is already in the
 * fold, which folds each piece of a word to itself).  A lexicon whose
 * order cannot be kept, or with a letter whose case partners are not a
 * plain pair, stays a plain alternation. */
typedef struct {
	const char *s;    /* the entry (folded for fold rules) */
	size_t      len;
	size_t      order;   /* its place in the longest-first alternation */
} trie_entry;

/* The next token of e at *i: 0 for the end, ' ' for a run of spaces,
 * else the character's code point (lower-cased when caseless); *tl is
 * its length in bytes. */
static int32_t trie_token(const trie_entry *e, size_t i, int caseless,
                          size_t *tl)
{
	if (i >= e->len) {
		*tl = 0;
		return 0;
	}
	if (e->s[i] == ' ') {
		size_t k = i;
		while (k < e->len && e->s[k] == ' ')
			k++;
		*tl = k - i;
		return ' ';
	}
	int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)e->s + i,
	                                      (utf8proc_ssize_t)(e->len - i), &cp);
	if (n <= 0) {
		*tl = 1;
		return -1;
	}
	*tl = (size_t)n;
	if (caseless)
		cp = utf8proc_tolower(cp);
	return cp;
}

/* May this character be merged with its case partner in a caseless
 * trie?  ASCII, and Latin letters whose only partner is the plain
 * other case (not U+017F/U+212A and the like). */
static int trie_char_ok(int32_t cp)
{
	if (cp < 0x80)
		return 1;   /* (U+212A folds to k, U+017F is refused below) */
	if (!((cp >= 0xC0 && cp < 0x250) || (cp >= 0x1EA0 && cp < 0x1F00)))
		return !(utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp);
	if (cp == 0xC5 || cp == 0xE5 || cp == 0xDF || cp == 0x17F ||
	    cp == 0x130 || cp == 0x131 || (cp >= 0x1C4 && cp <= 0x1CC) ||
	    (cp >= 0x1F1 && cp <= 0x1F3) || cp == 0xFF || cp == 0x178)
		return 0;
	int32_t l = utf8proc_tolower(cp), u = utf8proc_toupper(cp);
	return utf8proc_tolower(u) == l && utf8proc_toupper(l) == u;
}

static int trie_emit_char(qp_sbuf *b, const char *p, size_t n)
{
	if (n == 1 && strchr("\\^$.[]|()?*+{}-/#", *p))
		return qp_sbuf_add(b, "\\", 1) | qp_sbuf_add(b, p, 1);
	return qp_sbuf_add(b, p, n);
}

/* Emit the trie of entries v[0..n), all equal up to byte `at` of each
 * (their offsets differ: at[] per entry). */
static int trie_emit(qp_sbuf *b, trie_entry *v, size_t *at, size_t n,
                     int caseless, int *bad)
{
	/* Group the entries by their next token, in order of first
	 * appearance; an entry that ends here is the terminal. */
	size_t terminal = (size_t)-1;
	size_t ngroups = 0;
	size_t *grp = malloc((n + 1) * sizeof *grp);   /* group of entry */
	int32_t *tok = malloc((n + 1) * sizeof *tok);
	if (!grp || !tok) {
		free(grp);
		free(tok);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t tl;
		int32_t t = trie_token(&v[i], at[i], caseless, &tl);
		if (t < 0 || (caseless && t > ' ' && !trie_char_ok(t))) {
			*bad = 1;
		}
		if (t == 0) {
			if (terminal != (size_t)-1)
				*bad = 1;   /* duplicates are dropped before */
			terminal = i;
			grp[i] = (size_t)-1;
			continue;
		}
		size_t g;
		for (g = 0; g < ngroups && tok[g] != t; g++)
			;
		if (g == ngroups)
			tok[ngroups++] = t;
		grp[i] = g;
	}
	/* The terminal must come after every longer entry below it. */
	if (terminal != (size_t)-1)
		for (size_t i = 0; i < n; i++)
			if (i != terminal && v[i].order > v[terminal].order)
				*bad = 1;
	int rc = 0;
	int group = ngroups > 1 || (ngroups && terminal != (size_t)-1);
	if (group)
		rc |= qp_sbuf_add(b, "(?:", 3);
	trie_entry *sub = malloc((n + 1) * sizeof *sub);
	size_t *subat = malloc((n + 1) * sizeof *subat);
	if (!sub || !subat)
		rc = -1;
	for (size_t g = 0; g < ngroups && !rc && !*bad; g++) {
		if (g)
			rc |= qp_sbuf_add(b, "|", 1);
		size_t m = 0, tl = 0, first = (size_t)-1;
		for (size_t i = 0; i < n; i++)
			if (grp[i] == g) {
				if (first == (size_t)-1)
					first = i;
				sub[m] = v[i];
				trie_token(&v[i], at[i], caseless, &tl);
				subat[m++] = at[i] + tl;
			}
		/* The token as the first entry writes it. */
		trie_token(&v[first], at[first], caseless, &tl);
		if (tok[g] == ' ')
			rc |= qp_sbuf_add(b, "\\s+", 3);
		else
			rc |= trie_emit_char(b, v[first].s + at[first], tl);
		rc |= trie_emit(b, sub, subat, m, caseless, bad);
	}
	if (group && terminal != (size_t)-1)
		rc |= qp_sbuf_add(b, "|", 1);
	if (group)
		rc |= qp_sbuf_add(b, ")", 1);
	free(sub);
	free(subat);
	free(grp);
	free(tok);
	return rc;
}

static int cmp_trie_key(const void *a, const void *b)
{
	const trie_entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* The lexicon as a trie into b; returns 1 when it cannot be (b is
 * left as it was), 0 done, -1 out of memory. */
static int add_trie(qp_sbuf *b, const qp_lexicon *lx, char **keys, int layer)
{
	int caseless = layer == QP_LAYER_FOLD;
	trie_entry *v = calloc(lx->n + 1, sizeof *v);
	size_t *at = calloc(lx->n + 1, sizeof *at);
	qp_text *f = calloc(lx->n + 1, sizeof *f);
	int rc = 1, bad = 0;
	if (!v || !at || !f) {
		rc = -1;
		goto out;
	}
	size_t n = 0;
	for (size_t i = 0; i < lx->n; i++) {
		const char *e = keys[i];
		size_t len = strlen(e);
		if (caseless) {
			qp_text_init(&f[i]);
			if (qp_fold_bytes(e, len, 0, &f[i]))
				goto out;
			e = f[i].s;
			len = f[i].len;
		}
		/* Spaces collapse as the alternation writes them; a trailing
		 * or leading space makes prefixes hard to see: give up. */
		if (!len || e[0] == ' ' || e[len - 1] == ' ')
			goto out;
		v[n].s = e;
		v[n].len = len;
		v[n++].order = i;
	}
	/* Entries equal token by token: the first one only.  (Case
	 * differences count as equal only in caseless tries; finding them
	 * takes the token comparison, done in trie_emit; exact duplicates
	 * are dropped here.) */
	qsort(v, n, sizeof *v, cmp_trie_key);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1].len != v[i].len ||
		    memcmp(v[k - 1].s, v[i].s, v[i].len))
			v[k++] = v[i];
	n = k;
	size_t mark = b->n;
	if (trie_emit(b, v, at, n, caseless, &bad)) {
		rc = -1;
		goto out;
	}
	if (bad) {
		b->n = mark;
		if (b->s)
			b->s[mark] = '\0';
		rc = 1;
	} else {
		rc = 0;
	}
out:
	if (f)
		for (size_t i = 0; i < lx->n; i++)
			qp_text_free(&f[i]);
	free(f);
	free(v);
	free(at);
	return rc;
}
