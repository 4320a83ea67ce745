/*
 * rules.c - load, expand and compile the rule data (see rules.h).
 *
 * Loading is three passes over the files, in name order: lexicons, then
 * macros ("@name" lines), then rules, so a rule may use any macro or
 * lexicon wherever it is defined.  Every pattern is compiled once with
 * PCRE2_UTF|PCRE2_UCP; fold-layer patterns are first passed through the
 * same fold as the documents (without lower-casing: they are compiled
 * caselessly instead, which keeps escapes like \S).
 *
 * Speed.  JIT compilation waits for a rule's first match (qp_match), so
 * a run pays only for the rules it uses and an empty run starts at
 * once.  Each final pattern is also read by the prefilter (prefilter.h)
 * for the literals its matches need and the strings they start with;
 * a rule with start strings gets a second, anchored compilation (again
 * on first use) that qp_find() runs only where one of them occurs.
 * Families are found in a hash table of every id prefix, not by
 * scanning the rules.  Build with -DQP_PROFILE for cycles and calls per
 * rule on stderr at exit.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "embedded.h"
#include "input.h"
#include "normalize.h"
#include "prefilter.h"
#include "rules.h"
#include "vn.h"

#define MACRO_DEPTH 8
#define MATCH_LIMIT 1000000u
#define DEPTH_LIMIT 10000u

struct file {
	char  *name;   /* "rules/x.rules" */
	char  *data;
	size_t len;
	int    owned;  /* data was read from --rules DIR */
};

struct macro {
	char *name;
	char *body;
};

/* What rules.c keeps per rule beyond the public fields. */
struct qp_rule_x {
	atomic_int      jitted;   /* compiled and JIT compiled (or tried) */
	pthread_mutex_t lock;     /* held while compiling */
	char           *where;    /* "rules/x.rules:12", for a late error */
	qp_pf          *pf;       /* the rule set's prefilter */
	long            pfid;     /* this pattern's id in it */
	/* The pattern compiled anchored, for matching at those starts only:
	 * built on first use from the final pattern text. */
	char           *pattern;
	size_t          patlen;
	uint32_t        opts;
	atomic_int      anch_state;   /* 0 not yet, 1 ready, -1 failed */
	pcre2_code     *anch;
	int             jit_ok, anch_jit_ok;   /* JIT code exists */
};

/* Families by name: every prefix of a rule id ending at a dot or at
 * its end, with the run qp_rules_family() returns for it. */
struct family {
	char  *name;
	size_t len;
	size_t first, n;
};

struct qp_rules {
	char       **alt[2];  /* per lexicon and layer: its alternation text,
	                       * built on first use (the same lexicon is in
	                       * many patterns) */
	qp_rule     *rules;
	size_t       nrules;
	const qp_rule **ptrs;  /* &rules[i], for qp_rules_family */
	struct family *fam;    /* hash table, nfam slots (a power of two) */
	size_t       nfam;
	qp_pf       *pf;
	qp_lexicon  *lex;
	size_t       nlex;
	struct macro *macros;
	size_t       nmacros;
};

static int build_families(qp_rules *r);
static void free_alts(qp_rules *r);

/* A tiny string builder for pattern expansion. */
typedef struct {
	char  *s;
	size_t n, cap;
} sbuf;

static int sb_add(sbuf *b, const char *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return -1;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->name,
	              ((const struct file *)b)->name);
}

/* Read DIR/sub/ * with a data extension into the file list, replacing
 * embedded files of the same name. */
static int add_dir(struct file **files, size_t *n, const char *dir,
                   const char *sub, int *found, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : (seterr(err, errlen, "%s: %s", path,
		                                     strerror(errno)), -1);
	*found = 1;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!ends_with(e->d_name, ".rules") && !ends_with(e->d_name, ".txt") &&
		    !ends_with(e->d_name, ".tsv"))
			continue;
		char name[1024], full[5120];
		snprintf(name, sizeof name, "%s/%s", sub, e->d_name);
		snprintf(full, sizeof full, "%s/%s", dir, name);
		char *data;
		size_t len;
		int rc = qp_input_read(full, 0, &data, &len);
		if (rc) {
			seterr(err, errlen, "%s: %s", full, strerror(rc));
			closedir(d);
			return -1;
		}
		size_t i;
		for (i = 0; i < *n && strcmp((*files)[i].name, name) != 0; i++)
			;
		if (i == *n) {
			struct file *f = realloc(*files, (*n + 1) * sizeof *f);
			if (!f) {
				free(data);
				closedir(d);
				seterr(err, errlen, "out of memory");
				return -1;
			}
			*files = f;
			(*n)++;
			f[i].name = strdup(name);
		} else if ((*files)[i].owned) {
			free((*files)[i].data);
		} else {
			(*files)[i].name = strdup(name);
		}
		(*files)[i].data = data;
		(*files)[i].len = len;
		(*files)[i].owned = 1;
	}
	closedir(d);
	return 0;
}

/* Iterate over the content lines of a file: skips comments and blanks,
 * strips a trailing CR.  Returns the line in a fresh string or NULL. */
static char *next_line(const struct file *f, size_t *pos, size_t *lineno)
{
	while (*pos < f->len) {
		const char *p = f->data + *pos;
		const char *nl = memchr(p, '\n', f->len - *pos);
		size_t n = nl ? (size_t)(nl - p) : f->len - *pos;
		*pos += n + (nl ? 1 : 0);
		(*lineno)++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0 || p[0] == '#')
			continue;
		char *line = malloc(n + 1);
		if (!line)
			return NULL;
		memcpy(line, p, n);
		line[n] = '\0';
		return line;
	}
	return NULL;
}

static int by_length_desc(const void *a, const void *b)
{
	size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
	return x < y ? 1 : x > y ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

struct keyed {
	char  *key;
	size_t index;
};

static int cmp_keyed(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key,
	              ((const struct keyed *)b)->key);
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
		char *key = qp_vn_key(lx->entries[i], strlen(lx->entries[i]));
		if (!key)
			continue;
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

long qp_lexicon_find(const qp_lexicon *lx, const char *s, size_t n)
{
	if (!lx)
		return -1;
	char stack[256], *key = stack;
	long kl = qp_fold_key(s, n, stack, sizeof stack);
	if (kl < 0)
		return -1;
	if ((size_t)kl >= sizeof stack) {
		key = malloc((size_t)kl + 1);
		if (!key || qp_fold_key(s, n, key, (size_t)kl + 1) != kl) {
			free(key);
			return -1;
		}
	}
	size_t lo = 0, hi = lx->nkeys;
	long found = -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lx->keys[mid], key);
		if (c == 0) {
			found = (long)lx->key_index[mid];
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (key != stack)
		free(key);
	return found;
}

static int load_lexicon(qp_lexicon *lx, const struct file *f)
{
	const char *base = strchr(f->name, '/') + 1;
	size_t bl = strcspn(base, ".");
	lx->name = strndup(base, bl);
	int table = ends_with(f->name, ".tsv");
	size_t pos = 0, lineno = 0, cap = 0;
	char *line;
	while ((line = next_line(f, &pos, &lineno))) {
		if (lx->n == cap) {
			cap = cap ? cap * 2 : 64;
			lx->entries = realloc(lx->entries, cap * sizeof(char *));
			if (table) {
				lx->values = realloc(lx->values, cap * sizeof(char *));
				lx->values2 = realloc(lx->values2, cap * sizeof(char *));
			}
			if (!lx->entries || (table && (!lx->values || !lx->values2)))
				return -1;
		}
		char *tab = strchr(line, '\t');
		if (table) {
			if (!tab) {
				free(line);
				continue;
			}
			*tab = '\0';
			char *tab2 = strchr(tab + 1, '\t');
			if (tab2)
				*tab2 = '\0';
			lx->values[lx->n] = strdup(tab + 1);
			lx->values2[lx->n] = strdup(tab2 ? tab2 + 1 : "");
		}
		lx->entries[lx->n++] = line;
	}
	if (!table)
		qsort(lx->entries, lx->n, sizeof(char *), by_length_desc);
	return lx->name && !build_keys(lx) ? 0 : -1;
}

/* Append a lexicon as a non-capturing alternation. */
static int add_trie(sbuf *b, const qp_lexicon *lx, char **keys, int layer);

/* layer < 0: a plain alternation, no trie. */
static int add_alternation(sbuf *b, const qp_lexicon *lx, int layer)
{
	/* Tables are looked up longest key first too. */
	char **keys = malloc((lx->n + 1) * sizeof *keys);
	if (!keys)
		return -1;
	memcpy(keys, lx->entries, lx->n * sizeof *keys);
	qsort(keys, lx->n, sizeof *keys, by_length_desc);
	if (layer >= 0 && lx->n > 1) {
		size_t mark = b->n;
		if (sb_add(b, "(?:", 3)) {
			free(keys);
			return -1;
		}
		int t = add_trie(b, lx, keys, layer);
		if (t <= 0) {
			free(keys);
			return t < 0 ? -1 : sb_add(b, ")", 1);
		}
		b->n = mark;
		if (b->s)
			b->s[mark] = '\0';
	}
	if (sb_add(b, "(?:", 3)) {
		free(keys);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < lx->n && !rc; i++) {
		if (i)
			rc |= sb_add(b, "|", 1);
		for (const char *p = keys[i]; *p && !rc; p++) {
			if (*p == ' ') {
				while (p[1] == ' ')
					p++;
				rc |= sb_add(b, "\\s+", 3);
			} else if (strchr("\\^$.[]|()?*+{}-/#", *p)) {
				rc |= sb_add(b, "\\", 1) | sb_add(b, p, 1);
			} else {
				rc |= sb_add(b, p, 1);
			}
		}
	}
	free(keys);
	return rc | sb_add(b, ")", 1);
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

static int trie_emit_char(sbuf *b, const char *p, size_t n)
{
	if (n == 1 && strchr("\\^$.[]|()?*+{}-/#", *p))
		return sb_add(b, "\\", 1) | sb_add(b, p, 1);
	return sb_add(b, p, n);
}

/* Emit the trie of entries v[0..n), all equal up to byte `at` of each
 * (their offsets differ: at[] per entry). */
static int trie_emit(sbuf *b, trie_entry *v, size_t *at, size_t n,
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
		rc |= sb_add(b, "(?:", 3);
	trie_entry *sub = malloc((n + 1) * sizeof *sub);
	size_t *subat = malloc((n + 1) * sizeof *subat);
	if (!sub || !subat)
		rc = -1;
	for (size_t g = 0; g < ngroups && !rc && !*bad; g++) {
		if (g)
			rc |= sb_add(b, "|", 1);
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
			rc |= sb_add(b, "\\s+", 3);
		else
			rc |= trie_emit_char(b, v[first].s + at[first], tl);
		rc |= trie_emit(b, sub, subat, m, caseless, bad);
	}
	if (group && terminal != (size_t)-1)
		rc |= sb_add(b, "|", 1);
	if (group)
		rc |= sb_add(b, ")", 1);
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
static int add_trie(sbuf *b, const qp_lexicon *lx, char **keys, int layer)
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

static int expand(const qp_rules *r, const char *pat, sbuf *out, int depth,
                  int layer, char *err, size_t errlen)
{
	const char *p = pat;
	while (*p) {
		const char *o = strstr(p, "{{");
		if (!o)
			return sb_add(out, p, strlen(p));
		const char *c = strstr(o + 2, "}}");
		if (!c) {
			seterr(err, errlen, "unclosed {{ in pattern");
			return -1;
		}
		if (sb_add(out, p, (size_t)(o - p)))
			return -1;
		size_t nl = (size_t)(c - o - 2);
		const struct macro *m = NULL;
		for (size_t i = 0; i < r->nmacros; i++)
			if (strlen(r->macros[i].name) == nl &&
			    memcmp(r->macros[i].name, o + 2, nl) == 0)
				m = &r->macros[i];
		if (m) {
			if (depth >= MACRO_DEPTH) {
				seterr(err, errlen, "macros nested too deep at {{%.*s}}",
				       (int)nl, o + 2);
				return -1;
			}
			if (sb_add(out, "(?:", 3) ||
			    expand(r, m->body, out, depth + 1, layer, err, errlen) ||
			    sb_add(out, ")", 1))
				return -1;
		} else {
			const qp_lexicon *lx = NULL;
			for (size_t i = 0; i < r->nlex; i++)
				if (strlen(r->lex[i].name) == nl &&
				    memcmp(r->lex[i].name, o + 2, nl) == 0)
					lx = &r->lex[i];
			if (!lx) {
				seterr(err, errlen, "unknown macro or lexicon {{%.*s}}",
				       (int)nl, o + 2);
				return -1;
			}
			size_t li = (size_t)(lx - r->lex);
			char **memo = layer >= 0 && r->alt[layer] ? &r->alt[layer][li]
			                                          : NULL;
			if (memo && *memo) {
				if (sb_add(out, *memo, strlen(*memo)))
					return -1;
			} else {
				size_t mark = out->n;
				if (add_alternation(out, lx, layer))
					return -1;
				if (memo)
					*memo = strndup(out->s + mark, out->n - mark);
			}
		}
		p = c + 2;
	}
	return 0;
}

static int compile_rule(qp_rules *r, qp_rule *rule, const char *pattern,
                        const char *where, int eager, char *err, size_t errlen)
{
	sbuf ex = {0};
	char why[256] = "";
	int layer = rule->layer;
	if (expand(r, pattern, &ex, 0, layer, why, sizeof why)) {
		seterr(err, errlen, "%s: %s: %s", where, rule->id,
		       why[0] ? why : "out of memory");
		free(ex.s);
		return -1;
	}
	/* Inline options ("(?-i:...)") may change what is caseless around a
	 * lexicon: no tries in such a pattern (layer -1). */
	for (const char *q = ex.s ? strstr(ex.s, "(?") : NULL; q;
	     q = strstr(q + 2, "(?")) {
		if (!strchr("imnsxJU^-", q[2]) || q[2] == '\0')
			continue;
		ex.n = 0;
		if (ex.s)
			ex.s[0] = '\0';
		if (expand(r, pattern, &ex, 0, -1, why, sizeof why)) {
			seterr(err, errlen, "%s: %s: %s", where, rule->id,
			       why[0] ? why : "out of memory");
			free(ex.s);
			return -1;
		}
		break;
	}
	const char *src = ex.s ? ex.s : "";
#ifdef QP_PF_DEBUG
	if (getenv("QPAN_PATDUMP"))
		fprintf(stderr, "PATTERN %s (%zu bytes): %s\n", rule->id, ex.n, src);
#endif
	size_t srclen = ex.n;
	qp_text folded;
	qp_text_init(&folded);
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	if (rule->layer == QP_LAYER_FOLD) {
		if (qp_fold_bytes(src, srclen, 0, &folded)) {
			seterr(err, errlen, "%s: %s: pattern is not valid UTF-8",
			       where, rule->id);
			free(ex.s);
			return -1;
		}
		src = folded.s;
		srclen = folded.len;
		opts |= PCRE2_CASELESS;
	}
	int ec, ok = 1;
	PCRE2_SIZE eo;
	/* The built-in rules are compiled on first use (qp_match): they are
	 * checked when qpan is built (make), and a run pays only for what
	 * it uses.  With --rules DIR every rule is compiled now, so that a
	 * broken one stops qpan before any document. */
	if (eager) {
		rule->re = pcre2_compile((PCRE2_SPTR)src, srclen, opts, &ec, &eo,
		                         NULL);
		if (!rule->re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(ec, msg, sizeof msg);
			seterr(err, errlen, "%s: %s: %s at offset %zu", where, rule->id,
			       (char *)msg, (size_t)eo);
			ok = 0;
		}
	}
	if (ok && ((rule->x->pfid = qp_pf_add(r->pf, src, srclen,
	                                      rule->layer)) < 0 ||
	           !(rule->x->pattern = malloc(srclen + 1)))) {
		seterr(err, errlen, "%s: %s: out of memory", where, rule->id);
		ok = 0;
	} else if (ok) {
		rule->x->pf = r->pf;
		memcpy(rule->x->pattern, src, srclen);
		rule->x->pattern[srclen] = '\0';
		rule->x->patlen = srclen;
		rule->x->opts = opts;
		rule->x->where = strdup(where);
	}
	qp_text_free(&folded);
	free(ex.s);
	return ok ? 0 : -1;
}

static void free_files(struct file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (files[i].owned) {
			free(files[i].data);
			free(files[i].name);
		}
	}
	free(files);
}

qp_rules *qp_rules_load(const char *dir, char *err, size_t errlen)
{
	size_t nf = qp_embedded_count;
	struct file *files = calloc(nf + 1, sizeof *files);
	qp_rules *r = calloc(1, sizeof *r);
	if (r)
		r->pf = qp_pf_new();
	if (!files || !r || !r->pf) {
		if (r)
			qp_pf_free(r->pf);
		free(files);
		free(r);
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nf; i++) {
		files[i].name = (char *)qp_embedded[i].name;
		files[i].data = (char *)qp_embedded[i].data;
		files[i].len = qp_embedded[i].len;
	}
	if (dir) {
		int found = 0;
		if (add_dir(&files, &nf, dir, "rules", &found, err, errlen) ||
		    add_dir(&files, &nf, dir, "lexicon", &found, err, errlen))
			goto fail;
		if (!found) {
			seterr(err, errlen, "%s: no rules/ or lexicon/ directory in it",
			       dir);
			goto fail;
		}
		/* Names of files read from DIR must be owned copies. */
		for (size_t i = 0; i < nf; i++)
			if (files[i].owned && files[i].name == NULL)
				goto nomem;
	}
	qsort(files, nf, sizeof *files, cmp_files);

	/* Pass 1: lexicons. */
	for (size_t i = 0; i < nf; i++) {
		if (!strncmp(files[i].name, "lexicon/", 8)) {
			qp_lexicon *lx = realloc(r->lex, (r->nlex + 1) * sizeof *lx);
			if (!lx)
				goto nomem;
			r->lex = lx;
			memset(&lx[r->nlex], 0, sizeof *lx);
			if (load_lexicon(&lx[r->nlex++], &files[i]))
				goto nomem;
		}
	}
	for (int l = 0; l < 2; l++) {
		r->alt[l] = calloc(r->nlex + 1, sizeof *r->alt[l]);
		if (!r->alt[l])
			goto nomem;
	}
	/* Pass 2 and 3: macros, then rules. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nf; i++) {
			if (strncmp(files[i].name, "rules/", 6))
				continue;
			size_t pos = 0, lineno = 0;
			char *line;
			while ((line = next_line(&files[i], &pos, &lineno))) {
				char where[1100];
				snprintf(where, sizeof where, "%s:%zu", files[i].name,
				         lineno);
				char *t1 = strchr(line, '\t');
				char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
				if (!t2) {
					seterr(err, errlen,
					       "%s: expected ID<TAB>LAYER<TAB>PATTERN", where);
					free(line);
					goto fail;
				}
				*t1 = *t2 = '\0';
				int is_macro = line[0] == '@';
				if (pass == 0 && is_macro) {
					struct macro *m = realloc(r->macros,
						(r->nmacros + 1) * sizeof *m);
					if (!m) {
						free(line);
						goto nomem;
					}
					r->macros = m;
					m[r->nmacros].name = strdup(line + 1);
					m[r->nmacros++].body = strdup(t2 + 1);
				} else if (pass == 1 && !is_macro) {
					int layer;
					if (!strcmp(t1 + 1, "fold"))
						layer = QP_LAYER_FOLD;
					else if (!strcmp(t1 + 1, "norm"))
						layer = QP_LAYER_NORM;
					else {
						seterr(err, errlen,
						       "%s: %s: layer must be fold or norm, not '%s'",
						       where, line, t1 + 1);
						free(line);
						goto fail;
					}
					qp_rule *nr = realloc(r->rules,
						(r->nrules + 1) * sizeof *nr);
					if (!nr) {
						free(line);
						goto nomem;
					}
					r->rules = nr;
					qp_rule *rule = &nr[r->nrules];
					rule->id = strdup(line);
					rule->layer = layer;
					rule->re = NULL;
					rule->x = calloc(1, sizeof *rule->x);
					r->nrules++;
					if (!rule->id || !rule->x) {
						free(line);
						goto nomem;
					}
					pthread_mutex_init(&rule->x->lock, NULL);
					if (compile_rule(r, rule, t2 + 1, where, dir != NULL,
					                 err, errlen)) {
						free(line);
						goto fail;
					}
				}
				free(line);
			}
		}
	}
	r->ptrs = malloc((r->nrules + 1) * sizeof *r->ptrs);
	if (!r->ptrs)
		goto nomem;
	for (size_t i = 0; i < r->nrules; i++)
		r->ptrs[i] = &r->rules[i];
	free_alts(r);
	if (build_families(r))
		goto nomem;
#ifdef QP_PF_DEBUG
	if (getenv("QPAN_PFDUMP") && !qp_pf_build(r->pf)) {
		void qp_pf_dump(const qp_pf *pf, uint32_t c);
		for (size_t i = 0; i < r->nrules; i++) {
			size_t n;
			uint32_t st;
			const uint32_t *cl = qp_pf_clauses(r->pf, r->rules[i].x->pfid,
			                                   &n, &st);
			fprintf(stderr, "%s:\n", r->rules[i].id);
			if (st != UINT32_MAX)
				qp_pf_dump(r->pf, st);
			for (size_t k = 0; k < n; k++)
				qp_pf_dump(r->pf, cl[k]);
		}
	}
#endif
	free_files(files, nf);
	return r;
nomem:
	seterr(err, errlen, "out of memory loading rules");
fail:
	free_files(files, nf);
	qp_rules_free(r);
	return NULL;
}

static void free_alts(qp_rules *r)
{
	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; r->alt[l] && i < r->nlex; i++)
			free(r->alt[l][i]);
		free(r->alt[l]);
		r->alt[l] = NULL;
	}
}

void qp_rules_free(qp_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrules; i++) {
		free(r->rules[i].id);
		pcre2_code_free(r->rules[i].re);
		if (r->rules[i].x) {
			pthread_mutex_destroy(&r->rules[i].x->lock);
			free(r->rules[i].x->pattern);
			free(r->rules[i].x->where);
			pcre2_code_free(r->rules[i].x->anch);
			free(r->rules[i].x);
		}
	}
	free(r->rules);
	free(r->ptrs);
	for (size_t i = 0; i < r->nfam; i++)
		free(r->fam[i].name);
	free(r->fam);
	qp_pf_free(r->pf);
	for (size_t i = 0; i < r->nlex; i++) {
		for (size_t k = 0; k < r->lex[i].n; k++) {
			free(r->lex[i].entries[k]);
			if (r->lex[i].values) {
				free(r->lex[i].values[k]);
				free(r->lex[i].values2[k]);
			}
		}
		for (size_t k = 0; k < r->lex[i].nkeys; k++)
			free(r->lex[i].keys[k]);
		free(r->lex[i].keys);
		free(r->lex[i].key_index);
		free(r->lex[i].entries);
		free(r->lex[i].values);
		free(r->lex[i].values2);
		free(r->lex[i].name);
	}
	free(r->lex);
	free_alts(r);
	for (size_t i = 0; i < r->nmacros; i++) {
		free(r->macros[i].name);
		free(r->macros[i].body);
	}
	free(r->macros);
	free(r);
}

/* The run of rules of `family` the original linear search finds: the
 * first run of contiguous rules whose id is family or starts with
 * "family.". */
static size_t family_scan(const qp_rules *r, const char *family, size_t fl,
                          size_t *first)
{
	size_t i = 0, n = 0;
	/* Rules of a family are contiguous when they come from one file,
	 * which is how the data is written; find the first run. */
	while (i < r->nrules && !(strncmp(r->rules[i].id, family, fl) == 0 &&
	       (r->rules[i].id[fl] == '\0' || r->rules[i].id[fl] == '.')))
		i++;
	*first = i;
	while (i + n < r->nrules &&
	       strncmp(r->rules[i + n].id, family, fl) == 0 &&
	       (r->rules[i + n].id[fl] == '\0' || r->rules[i + n].id[fl] == '.'))
		n++;
	return n;
}

/* A cheap hash of a family name: its length and its first and last
 * eight bytes (names differ there). */
static size_t hash_name(const char *s, size_t n)
{
	uint64_t a = 0, b = 0;
	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	uint64_t h = (a * 0x9E3779B97F4A7C15u) ^ (b * 0xC2B2AE3D27D4EB4Fu) ^ n;
	return (size_t)(h ^ (h >> 29));
}

static struct family *family_slot(const qp_rules *r, const char *s, size_t n)
{
	size_t mask = r->nfam - 1;
	for (size_t h = hash_name(s, n) & mask;; h = (h + 1) & mask) {
		struct family *f = &r->fam[h];
		if (!f->name || (f->len == n && memcmp(f->name, s, n) == 0))
			return f;
	}
}

/* Every prefix of every id that ends at a dot or at the end, with its
 * run, in a hash table: qp_rules_family() without scanning. */
static int build_families(qp_rules *r)
{
	size_t want = 16;
	for (size_t i = 0; i < r->nrules; i++)
		for (const char *p = r->rules[i].id; *p; p++)
			want += *p == '.';
	want += r->nrules;
	r->nfam = 64;
	while (r->nfam < want * 2)
		r->nfam *= 2;
	r->fam = calloc(r->nfam, sizeof *r->fam);
	if (!r->fam)
		return -1;
	for (size_t i = 0; i < r->nrules; i++) {
		const char *id = r->rules[i].id;
		for (size_t k = 1;; k++) {
			if (id[k] != '.' && id[k] != '\0')
				continue;
			struct family *f = family_slot(r, id, k);
			if (!f->name) {
				f->name = strndup(id, k);
				if (!f->name)
					return -1;
				f->len = k;
				f->n = family_scan(r, f->name, k, &f->first);
			}
			if (id[k] == '\0')
				break;
		}
	}
	return 0;
}

size_t qp_rules_family(const qp_rules *r, const char *family,
                       const qp_rule *const **first)
{
	size_t fl = strlen(family);
	const struct family *f = r->nfam ? family_slot(r, family, fl) : NULL;
	if (f && f->name) {
		*first = r->ptrs + f->first;
		return f->n;
	}
	/* A name no rule id starts with: none (as the scan would say). */
	size_t i;
	size_t n = family_scan(r, family, fl, &i);
	*first = r->ptrs + i;
	return n;
}

struct qp_pf *qp_rules_prefilter(const qp_rules *r)
{
	return r->pf;
}

uint32_t qp_rule_starts(const qp_rule *rule)
{
	size_t n;
	uint32_t st = UINT32_MAX;
	if (rule->x && rule->x->pf)
		qp_pf_clauses(rule->x->pf, rule->x->pfid, &n, &st);
	return st;
}

const uint32_t *qp_rule_clauses(const qp_rule *rule, size_t *n)
{
	uint32_t st;
	*n = 0;
	return rule->x && rule->x->pf
	       ? qp_pf_clauses(rule->x->pf, rule->x->pfid, n, &st) : NULL;
}

const qp_lexicon *qp_rules_lexicon(const qp_rules *r, const char *name)
{
	for (size_t i = 0; i < r->nlex; i++)
		if (!strcmp(r->lex[i].name, name))
			return &r->lex[i];
	return NULL;
}

size_t qp_rules_count(const qp_rules *r)
{
	return r->nrules;
}

const qp_rule *qp_rules_at(const qp_rules *r, size_t i)
{
	return i < r->nrules ? &r->rules[i] : NULL;
}

int qp_matcher_init(qp_matcher *m)
{
	m->md = pcre2_match_data_create(64, NULL);
	m->mc = pcre2_match_context_create(NULL);
	m->js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	m->hits = qp_pf_hits_new();
	if (!m->md || !m->mc || !m->js || !m->hits) {
		qp_matcher_free(m);
		return -1;
	}
	pcre2_set_match_limit(m->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mc, DEPTH_LIMIT);
	pcre2_jit_stack_assign(m->mc, NULL, m->js);
	return 0;
}

void qp_matcher_free(qp_matcher *m)
{
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	pcre2_jit_stack_free(m->js);
	qp_pf_hits_free(m->hits);
	m->md = NULL;
	m->mc = NULL;
	m->js = NULL;
	m->hits = NULL;
}

/* JIT-compile a rule the first time it is used: an empty or a short run
 * then pays only for the rules it needs.  JIT is an optimisation: where
 * it is unavailable the interpreter runs the same pattern. */
static void jit_rule(const qp_rule *rule)
{
	struct qp_rule_x *x = rule->x;
	pthread_mutex_lock(&x->lock);
	if (!atomic_load_explicit(&x->jitted, memory_order_relaxed)) {
		if (!rule->re) {
			int ec;
			PCRE2_SIZE eo;
			/* (const: the compiled code is the rule's to cache) */
			((qp_rule *)rule)->re = pcre2_compile(
				(PCRE2_SPTR)x->pattern, x->patlen, x->opts, &ec, &eo, NULL);
			if (!rule->re) {
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message(ec, msg, sizeof msg);
				fprintf(stderr, "qpan: rules: %s: %s: %s at offset %zu "
				        "(the rule matches nothing)\n", x->where, rule->id,
				        (char *)msg, (size_t)eo);
			}
		}
		x->jit_ok = rule->re &&
		            pcre2_jit_compile(rule->re, PCRE2_JIT_COMPLETE) == 0;
		atomic_store_explicit(&x->jitted, 1, memory_order_release);
	}
	pthread_mutex_unlock(&x->lock);
}

/* The rule compiled (on first use): 0, or -1 when it cannot be. */
static int ready(const qp_rule *rule)
{
	if (rule->x && !atomic_load_explicit(&rule->x->jitted, memory_order_acquire))
		jit_rule(rule);
	return rule->re ? 0 : -1;
}

#ifdef QP_PROFILE
#include <x86intrin.h>
static const qp_rule *prof_rules[2000];
static char *prof_id[2000];
static unsigned long long prof_cyc[2000], prof_calls[2000], prof_hits[2000],
	prof_bytes[2000];
static int prof_n;
static void prof_dump(void)
{
	for (int i = 0; i < prof_n; i++)
		fprintf(stderr, "PROF %llu %llu %llu %llu %s\n", prof_cyc[i],
		        prof_calls[i], prof_hits[i], prof_bytes[i], prof_id[i]);
}
static int prof_match(qp_matcher *m, const qp_rule *rule, const char *subject,
                      size_t len, size_t from);
int qp_match(qp_matcher *m, const qp_rule *rule, const char *subject,
             size_t len, size_t from)
{
	int k;
	for (k = 0; k < prof_n && prof_rules[k] != rule; k++)
		;
	if (k == prof_n) {
		prof_id[k] = strdup(rule->id);
		prof_rules[prof_n++] = rule;
		if (k == 0)
			atexit(prof_dump);
	}
	if (rule->x && !atomic_load_explicit(&rule->x->jitted, memory_order_acquire))
		jit_rule(rule);
	unsigned long long t0 = __rdtsc();
	int rc = prof_match(m, rule, subject, len, from);
	prof_cyc[k] += __rdtsc() - t0;
	prof_calls[k]++;
	prof_hits[k] += rc > 0;
	prof_bytes[k] += len - from;
	return rc;
}
#define qp_match prof_match
#endif

int qp_match(qp_matcher *m, const qp_rule *rule, const char *subject,
             size_t len, size_t from)
{
	if (from > len)
		return 0;
	if (ready(rule))
		return 0;
	int rc = rule->x && rule->x->jit_ok
	         ? pcre2_jit_match(rule->re, (PCRE2_SPTR)subject, len, from, 0,
	                           m->md, m->mc)
	         : pcre2_match(rule->re, (PCRE2_SPTR)subject, len, from,
	                       PCRE2_NO_UTF_CHECK, m->md, m->mc);
	return rc > 0;
}

int qp_group(const qp_matcher *m, const qp_rule *rule, const char *name,
             size_t *s, size_t *e)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	uint32_t count = pcre2_get_ovector_count(m->md);
	if (!name) {
		*s = ov[0];
		*e = ov[1];
		return 1;
	}
	if (ready(rule))
		return 0;
	/* A name may stand for several groups ((?J) or alternatives that
	 * each capture "d"): take the first that took part. */
	PCRE2_SPTR first, last;
	int size = pcre2_substring_nametable_scan(rule->re, (PCRE2_SPTR)name,
	                                          &first, &last);
	if (size < 0)
		return 0;
	for (PCRE2_SPTR p = first; p <= last; p += size) {
		uint32_t n = ((uint32_t)p[0] << 8) | p[1];
		if (n < count && ov[2 * n] != PCRE2_UNSET) {
			*s = ov[2 * n];
			*e = ov[2 * n + 1];
			return 1;
		}
	}
	return 0;
}

/* Compile (and JIT) the anchored form of a rule the first time it is
 * wanted. */
static int anchored(const qp_rule *rule)
{
	struct qp_rule_x *x = rule->x;
	int st = atomic_load_explicit(&x->anch_state, memory_order_acquire);
	if (st)
		return st > 0;
	pthread_mutex_lock(&x->lock);
	st = atomic_load_explicit(&x->anch_state, memory_order_relaxed);
	if (!st) {
		int ec;
		PCRE2_SIZE eo;
		x->anch = pcre2_compile((PCRE2_SPTR)x->pattern, x->patlen,
		                        x->opts | PCRE2_ANCHORED, &ec, &eo, NULL);
		if (x->anch)
			x->anch_jit_ok = pcre2_jit_compile(x->anch,
			                                   PCRE2_JIT_COMPLETE) == 0;
		st = x->anch ? 1 : -1;
		atomic_store_explicit(&x->anch_state, st, memory_order_release);
	}
	pthread_mutex_unlock(&x->lock);
	return st > 0;
}

int qp_match_at(qp_matcher *m, const qp_rule *rule, const char *subject,
                size_t len, size_t at)
{
	if (!rule->x || !rule->x->pattern || !anchored(rule))
		return -1;
	if (at > len)
		return 0;
#ifdef QP_PROFILE
	int k;
	for (k = 0; k < prof_n && prof_rules[k] != rule; k++)
		;
	if (k == prof_n) {
		prof_id[k] = strdup(rule->id);
		prof_rules[prof_n++] = rule;
		if (k == 0)
			atexit(prof_dump);
	}
	unsigned long long t0 = __rdtsc();
#endif
	/* The JIT entry point skips pcre2_match's argument checks. */
	int rc = rule->x->anch_jit_ok
	         ? pcre2_jit_match(rule->x->anch, (PCRE2_SPTR)subject, len, at, 0,
	                           m->md, m->mc)
	         : pcre2_match(rule->x->anch, (PCRE2_SPTR)subject, len, at,
	                       PCRE2_NO_UTF_CHECK, m->md, m->mc);
#ifdef QP_PROFILE
	prof_cyc[k] += __rdtsc() - t0;
	prof_calls[k]++;
	prof_hits[k] += rc > 0;
	prof_bytes[k] += len - at;
#endif
	return rc > 0;
}
