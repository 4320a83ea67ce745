/*
 * rules.c - load, expand and compile the rule data (see rules.h).
 *
 * Loading is three passes over the files, in name order: lexicons, then
 * macros ("@name" lines), then rules, so a rule may use any macro or
 * lexicon wherever it is defined.  Every pattern is compiled once with
 * PCRE2_UTF|PCRE2_UCP and JIT-compiled; fold-layer patterns are first
 * passed through the same fold as the documents (without lower-casing:
 * they are compiled caselessly instead, which keeps escapes like \S).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "input.h"
#include "normalize.h"
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

struct qp_rules {
	qp_rule     *rules;
	size_t       nrules;
	const qp_rule **ptrs;  /* &rules[i], for qp_rules_family */
	qp_lexicon  *lex;
	size_t       nlex;
	struct macro *macros;
	size_t       nmacros;
};

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
	char *key = qp_vn_key(s, n);
	if (!key)
		return -1;
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
static int add_alternation(sbuf *b, const qp_lexicon *lx)
{
	if (sb_add(b, "(?:", 3))
		return -1;
	/* Tables are looked up longest key first too. */
	char **keys = malloc((lx->n + 1) * sizeof *keys);
	if (!keys)
		return -1;
	memcpy(keys, lx->entries, lx->n * sizeof *keys);
	qsort(keys, lx->n, sizeof *keys, by_length_desc);
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

static int expand(const qp_rules *r, const char *pat, sbuf *out, int depth,
                  char *err, size_t errlen)
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
			    expand(r, m->body, out, depth + 1, err, errlen) ||
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
			if (add_alternation(out, lx))
				return -1;
		}
		p = c + 2;
	}
	return 0;
}

static int compile_rule(qp_rules *r, qp_rule *rule, const char *pattern,
                        const char *where, char *err, size_t errlen)
{
	sbuf ex = {0};
	char why[256] = "";
	if (expand(r, pattern, &ex, 0, why, sizeof why)) {
		seterr(err, errlen, "%s: %s: %s", where, rule->id,
		       why[0] ? why : "out of memory");
		free(ex.s);
		return -1;
	}
	const char *src = ex.s ? ex.s : "";
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
	int ec;
	PCRE2_SIZE eo;
	rule->re = pcre2_compile((PCRE2_SPTR)src, srclen, opts, &ec, &eo, NULL);
	if (!rule->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		seterr(err, errlen, "%s: %s: %s at offset %zu", where, rule->id,
		       (char *)msg, (size_t)eo);
	} else {
		/* JIT is an optimisation: where it is unavailable the
		 * interpreter runs the same pattern. */
		pcre2_jit_compile(rule->re, PCRE2_JIT_COMPLETE);
	}
	qp_text_free(&folded);
	free(ex.s);
	return rule->re ? 0 : -1;
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
	if (!files || !r) {
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
					r->nrules++;
					if (compile_rule(r, rule, t2 + 1, where, err, errlen)) {
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
	free_files(files, nf);
	return r;
nomem:
	seterr(err, errlen, "out of memory loading rules");
fail:
	free_files(files, nf);
	qp_rules_free(r);
	return NULL;
}

void qp_rules_free(qp_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrules; i++) {
		free(r->rules[i].id);
		pcre2_code_free(r->rules[i].re);
	}
	free(r->rules);
	free(r->ptrs);
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
	for (size_t i = 0; i < r->nmacros; i++) {
		free(r->macros[i].name);
		free(r->macros[i].body);
	}
	free(r->macros);
	free(r);
}

size_t qp_rules_family(const qp_rules *r, const char *family,
                       const qp_rule *const **first)
{
	size_t fl = strlen(family), i = 0, n = 0;
	/* Rules of a family are contiguous when they come from one file,
	 * which is how the data is written; find the first run. */
	while (i < r->nrules && !(strncmp(r->rules[i].id, family, fl) == 0 &&
	       (r->rules[i].id[fl] == '\0' || r->rules[i].id[fl] == '.')))
		i++;
	*first = r->ptrs + i;
	while (i + n < r->nrules &&
	       strncmp(r->rules[i + n].id, family, fl) == 0 &&
	       (r->rules[i + n].id[fl] == '\0' || r->rules[i + n].id[fl] == '.'))
		n++;
	return n;
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
	if (!m->md || !m->mc || !m->js) {
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
	m->md = NULL;
	m->mc = NULL;
	m->js = NULL;
}

int qp_match(qp_matcher *m, const qp_rule *rule, const char *subject,
             size_t len, size_t from)
{
	if (from > len)
		return 0;
	int rc = pcre2_match(rule->re, (PCRE2_SPTR)subject, len, from,
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
