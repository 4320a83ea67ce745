/*
 * prefilter.c - required literals of a pattern, and an Aho-Corasick
 * pass that finds them (see prefilter.h).
 *
 * Reading a pattern.  A small recursive-descent reader walks the PCRE2
 * syntax the rules use and computes, for every part, either its exact
 * set (the finite set of strings it can match: "ông|bà", "(?:đồng
 * )?chí") or, when that is unknown or too large, the clauses any match
 * of it satisfies.  Concatenation multiplies exact sets while they stay
 * small and otherwise collects clauses; alternation unites exact sets,
 * or keeps one clause made of the best clause of every branch; "?" and
 * "*" make a part optional (exact set plus "", or nothing required);
 * lookarounds, anchors and \b are empty; classes, ".", \d, \p{..} are
 * single unknown characters.  Anything unexpected gives up on the whole
 * pattern: no clauses, so the rule always runs.  This is the usual
 * required-literal analysis (as in RE2's prefilter), kept conservative:
 * a clause is only ever a necessary condition.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "prefilter.h"

#define EXACT_MAX   64    /* strings in an exact set built by products */
#define CLAUSE_MAX  400   /* strings in one clause */
#define LIT_MIN     2     /* bytes in the shortest useful literal */
#define PF_MIN_BYTES 16384  /* text to see before building (qp_pf_scan) */

/* ------------------------------------------------------------------ */
/* Lower-casing that keeps byte lengths                                */
/* ------------------------------------------------------------------ */

#define LOWER_TAB 0x1F00
static uint16_t lower_tab[LOWER_TAB];  /* cp -> lower case, 0: leave */

static int safe_letter(int32_t c)
{
	if (!((c >= 0xC0 && c < 0x250) || (c >= 0x1EA0 && c < 0x1F00)))
		return 0;
	utf8proc_category_t cat = utf8proc_category(c);
	if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LL)
		return 0;
	/* Members of PCRE2's caseless sets and odd case pairs. */
	static const int32_t odd[] = {0xB5, 0xC5, 0xE5, 0xDF, 0x17F, 0x130,
		0x131, 0x1C4, 0x1C5, 0x1C6, 0x1C7, 0x1C8, 0x1C9, 0x1CA, 0x1CB,
		0x1CC, 0x1F1, 0x1F2, 0x1F3, 0x1E9E, 0x1E60, 0x1E61, 0x1E9B, 0xFF,
		0x178};
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
		if (odd[i] == c)
			return 0;
	int32_t l = utf8proc_tolower(c), u = utf8proc_toupper(c);
	utf8proc_uint8_t b[4];
	utf8proc_ssize_t n = utf8proc_encode_char(c, b);
	if (utf8proc_encode_char(l, b) != n || utf8proc_encode_char(u, b) != n)
		return 0;
	if (l >= LOWER_TAB || u >= LOWER_TAB)
		return 0;
	return utf8proc_tolower(u) == l && utf8proc_toupper(l) == u;
}

/* Characters that make a document unfilterable: U+017F and U+212A,
 * which match "s" and "k" caselessly, and digits and white space other
 * than ASCII ones, which \d and \s match (UCP).  Bits below
 * UNSAFE_TAB; above, asked of utf8proc (rare characters in a fold). */
#define UNSAFE_TAB 0x2000
static unsigned char unsafe[UNSAFE_TAB / 8];

static int unsafe_slow(int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return c == 0x17F || c == 0x212A || c == 0x85 ||
	       k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_ZS ||
	       k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP;
}

static void build_lower(void)
{
	for (int32_t c = 0xC0; c < LOWER_TAB; c++)
		if (safe_letter(c))
			lower_tab[c] = (uint16_t)utf8proc_tolower(c);
	for (int32_t c = 0x80; c < UNSAFE_TAB; c++)
		if (unsafe_slow(c))
			unsafe[c >> 3] |= (unsigned char)(1 << (c & 7));
}

static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

/* Decode a valid 2- or 3-byte character; 0 otherwise. */
static size_t dec23(const unsigned char *p, size_t n, int32_t *cp)
{
	if (p[0] >= 0xC2 && p[0] < 0xE0 && n >= 2 && (p[1] & 0xC0) == 0x80) {
		*cp = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] >= 0xE0 && p[0] < 0xF0 && n >= 3 && (p[1] & 0xC0) == 0x80 &&
	    (p[2] & 0xC0) == 0x80) {
		*cp = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		return 3;
	}
	return 0;
}

static void enc23(int32_t cp, unsigned char *p, size_t n)
{
	if (n == 2) {
		p[0] = (unsigned char)(0xC0 | (cp >> 6));
		p[1] = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		p[0] = (unsigned char)(0xE0 | (cp >> 12));
		p[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		p[2] = (unsigned char)(0x80 | (cp & 0x3F));
	}
}

/* Lower-case the character at p in place (n bytes available); returns
 * its length, or 0 for a character that makes the document
 * unfilterable (U+017F, U+212A). */
static size_t lower_char(unsigned char *p, size_t n)
{
	if (p[0] < 0x80) {
		if (p[0] >= 'A' && p[0] <= 'Z')
			p[0] += 32;
		return 1;
	}
	int32_t cp;
	size_t l = dec23(p, n, &cp);
	if (!l) {
		/* 4 bytes: a digit out there is unsafe too. */
		utf8proc_int32_t c4;
		utf8proc_ssize_t m = utf8proc_iterate(p, (utf8proc_ssize_t)n, &c4);
		if (m == 4 && utf8proc_category(c4) == UTF8PROC_CATEGORY_ND)
			return 0;
		return m > 0 ? (size_t)m : 1;
	}
	if (cp < UNSAFE_TAB ? (unsafe[cp >> 3] >> (cp & 7) & 1) : unsafe_slow(cp))
		return 0;
	if (cp < LOWER_TAB && lower_tab[cp] && lower_tab[cp] != cp)
		enc23(lower_tab[cp], p, l);
	return l;
}

/* ------------------------------------------------------------------ */
/* String sets                                                         */
/* ------------------------------------------------------------------ */

typedef struct {
	char  **v;
	size_t  n;
} strset;

static void set_free(strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int set_has(const strset *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return 1;
	return 0;
}

/* Append a copy of x (n bytes), duplicates and all (set_norm after). */
static int set_push(strset *s, const char *x, size_t n)
{
	char *c = malloc(n + 1);
	if (!c)
		return -1;
	memcpy(c, x, n);
	c[n] = '\0';
	char **v = realloc(s->v, (s->n + 1) * sizeof *v);
	if (!v) {
		free(c);
		return -1;
	}
	s->v = v;
	v[s->n++] = c;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
static void set_norm(strset *s)
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

/* Add a copy of x (n bytes) unless present. */
static int set_add(strset *s, const char *x, size_t n)
{
	if (set_has(s, x) && strlen(x) == n)
		return 0;
	return set_push(s, x, n);
}

static int set_single(strset *s, const char *x, size_t n)
{
	s->v = NULL;
	s->n = 0;
	return set_push(s, x, n);
}

/* a x b into out. */
static int set_product(const strset *a, const strset *b, strset *out)
{
	out->v = malloc((a->n * b->n + 1) * sizeof *out->v);
	out->n = 0;
	if (!out->v)
		return -1;
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
	set_norm(out);
	return 0;
}

static size_t set_minlen(const strset *s)
{
	size_t m = (size_t)-1;
	for (size_t i = 0; i < s->n; i++) {
		size_t l = strlen(s->v[i]);
		if (l < m)
			m = l;
	}
	return s->n ? m : 0;
}

/* ------------------------------------------------------------------ */
/* Pattern reading                                                     */
/* ------------------------------------------------------------------ */

typedef struct {
	strset *v;
	size_t  n;
} cnf;

static void cnf_free(cnf *c)
{
	for (size_t i = 0; i < c->n; i++)
		set_free(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Take over clause s (a set of strings) when it is useful. */
static int cnf_take(cnf *c, strset *s)
{
	if (s->n == 0 || s->n > CLAUSE_MAX || set_minlen(s) < LIT_MIN) {
		set_free(s);
		return 0;
	}
	strset *v = realloc(c->v, (c->n + 1) * sizeof *v);
	if (!v) {
		set_free(s);
		return -1;
	}
	c->v = v;
	v[c->n++] = *s;
	s->v = NULL;
	s->n = 0;
	return 0;
}

typedef struct {
	int    exact;     /* ex holds every string the part can match */
	strset ex;
	cnf    req;       /* otherwise: clauses every match satisfies, */
	int    nullable;  /* whether it can match the empty string, */
	int    pre_ok;    /* and when this is set, */
	strset pre;       /* strings every non-empty match starts with */
} info;

static void info_free(info *x)
{
	set_free(&x->ex);
	cnf_free(&x->req);
	set_free(&x->pre);
	x->exact = 0;
	x->pre_ok = 0;
}

/* A part about which nothing is known: it may match anything, even
 * nothing, and needs nothing. */
static info info_any(void)
{
	info x;
	memset(&x, 0, sizeof x);
	x.nullable = 1;
	return x;
}

/* One character not known in advance (a class, ".", \w ...). */
static info info_anychar(void)
{
	info x;
	memset(&x, 0, sizeof x);
	return x;
}

/* The strings every non-empty match of x starts with, copied into out;
 * 0 when not known.  *nullable: whether x can match nothing. */
static int get_pre(const info *x, strset *out, int *nullable)
{
	out->v = NULL;
	out->n = 0;
	if (x->exact) {
		*nullable = 0;
		for (size_t i = 0; i < x->ex.n; i++) {
			if (!x->ex.v[i][0]) {
				*nullable = 1;
				continue;
			}
			if (set_push(out, x->ex.v[i], strlen(x->ex.v[i])))
				return -1;
		}
		return 1;
	}
	*nullable = x->nullable;
	if (!x->pre_ok)
		return 0;
	for (size_t i = 0; i < x->pre.n; i++)
		if (set_push(out, x->pre.v[i], strlen(x->pre.v[i])))
			return -1;
	return 1;
}

struct qp_pf;

typedef struct {
	const unsigned char *p, *end;
	int caseless;
	int bail;
	int oom;
	struct qp_pf *pf;   /* for its memo of groups already read */
} reader;

static info info_empty(reader *r)
{
	info x = info_any();
	x.exact = 1;
	if (set_single(&x.ex, "", 0))
		r->oom = 1;
	return x;
}

/* The literal character p[0..n) as it is looked for, into b; 0 when it
 * cannot be (a caseless letter whose case partners are not known). */
static int lit_char(const reader *r, const unsigned char *p, size_t n,
                    unsigned char *b)
{
	memcpy(b, p, n);
	if (r->caseless) {
		if (n == 1) {
			if (b[0] >= 'A' && b[0] <= 'Z')
				b[0] += 32;
		} else {
			int32_t cp;
			if (!dec23(b, n, &cp) || cp >= LOWER_TAB || !lower_tab[cp])
				return 0;
			enc23(lower_tab[cp], b, n);
		}
	}
	return 1;
}

/* A literal character c (UTF-8 bytes p[0..n)). */
static info info_char(reader *r, const unsigned char *p, size_t n)
{
	unsigned char b[4];
	if (!lit_char(r, p, n, b))
		return info_anychar();   /* case partners unknown */
	info x = info_any();
	x.exact = 1;
	if (set_single(&x.ex, (const char *)b, n))
		r->oom = 1;
	return x;
}

/* The clauses of x (its exact set as one clause). */
static cnf to_req(reader *r, info *x)
{
	cnf c = {NULL, 0};
	if (x->exact) {
		if (!set_has(&x->ex, "") && cnf_take(&c, &x->ex))
			r->oom = 1;
		set_free(&x->ex);
		x->exact = 0;
		return c;
	}
	c = x->req;
	x->req.v = NULL;
	x->req.n = 0;
	return c;
}

/* Is clause a better filter than b?  Longer shortest string, then
 * fewer strings. */
static int better(const strset *a, const strset *b)
{
	size_t ma = set_minlen(a), mb = set_minlen(b);
	if (ma != mb)
		return ma > mb;
	return a->n < b->n;
}

static info read_alt(reader *r);
static info read_atom_rest(reader *r);

/* Skip a character class starting at '['. */
static void skip_class(reader *r)
{
	r->p++;
	if (r->p < r->end && *r->p == '^')
		r->p++;
	if (r->p < r->end && *r->p == ']')
		r->p++;
	while (r->p < r->end && *r->p != ']') {
		if (*r->p == '\\') {
			r->p += 2;
			continue;
		}
		if (*r->p == '[' && r->p + 1 < r->end && r->p[1] == ':') {
			const unsigned char *q = r->p + 2;
			while (q + 1 < r->end && !(q[0] == ':' && q[1] == ']'))
				q++;
			if (q + 1 >= r->end) {
				r->bail = 1;
				return;
			}
			r->p = q + 2;
			continue;
		}
		r->p++;
	}
	if (r->p >= r->end)
		r->bail = 1;
	else
		r->p++;
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int set_copy(const strset *a, strset *out)
{
	out->n = 0;
	out->v = malloc((a->n + 1) * sizeof *out->v);
	if (!out->v)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		out->v[i] = strdup(a->v[i]);
		if (!out->v[i]) {
			set_free(out);
			return -1;
		}
		out->n++;
	}
	return 0;
}

static int info_copy(const info *a, info *out)
{
	*out = info_any();
	out->exact = a->exact;
	out->nullable = a->nullable;
	out->pre_ok = a->pre_ok;
	if (set_copy(&a->ex, &out->ex) || set_copy(&a->pre, &out->pre))
		return -1;
	out->req.v = calloc(a->req.n + 1, sizeof *out->req.v);
	if (!out->req.v)
		return -1;
	for (size_t i = 0; i < a->req.n; i++) {
		if (set_copy(&a->req.v[i], &out->req.v[i]))
			return -1;
		out->req.n++;
	}
	return 0;
}

/* The end of the group opening at p (just past its ")"), or NULL. */
static const unsigned char *group_end(const unsigned char *p,
                                      const unsigned char *end)
{
	int depth = 0;
	while (p < end) {
		unsigned char c = *p;
		if (c == '\\') {
			p += 2;
			continue;
		}
		if (c == '[') {
			reader t = {p, end, 0, 0, 0, NULL};
			skip_class(&t);
			if (t.bail)
				return NULL;
			p = t.p;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

#define MEMO_MIN 32   /* bytes in the shortest group worth remembering */

static const info *memo_get(const reader *r, const unsigned char *p,
                            size_t n);
static void memo_put(reader *r, const unsigned char *p, size_t n,
                     const info *x);
static info read_group(reader *r);

/* One atom; sets r->bail for syntax it does not know. */
static info read_atom(reader *r)
{
	unsigned char c = *r->p;
	if (c == '(') {
		/* A long group read before (a lexicon, a macro) is not read
		 * again. */
		const unsigned char *ge = group_end(r->p, r->end);
		if (ge && (size_t)(ge - r->p) >= MEMO_MIN) {
			const info *m = memo_get(r, r->p, (size_t)(ge - r->p));
			info x;
			if (m) {
				if (info_copy(m, &x))
					r->oom = 1;
				r->p = ge;
				return x;
			}
			const unsigned char *start = r->p;
			x = read_group(r);
			if (!r->bail && !r->oom && r->p == ge)
				memo_put(r, start, (size_t)(ge - start), &x);
			return x;
		}
		return read_group(r);
	}
	return read_atom_rest(r);
}

/* A group, at its "(". */
static info read_group(reader *r)
{
	unsigned char c = *r->p;
	{
		r->p++;
		int kind = 0;   /* 0 group, 1 zero-width, 2 opaque */
		if (r->p < r->end && *r->p == '?') {
			r->p++;
			if (r->p >= r->end) {
				r->bail = 1;
				return info_any();
			}
			c = *r->p;
			if (c == ':' || c == '>' || c == '|') {
				r->p++;
			} else if (c == '=' || c == '!') {
				r->p++;
				kind = 1;
			} else if (c == '<' && r->p + 1 < r->end &&
			           (r->p[1] == '=' || r->p[1] == '!')) {
				r->p += 2;
				kind = 1;
			} else if (c == '<' || c == '\'' || c == 'P') {
				/* Named group: (?<n>, (?'n', (?P<n> */
				if (c == 'P') {
					r->p++;
					if (r->p >= r->end || *r->p != '<') {
						r->bail = 1;
						return info_any();
					}
				}
				unsigned char close = *r->p == '\'' ? '\'' : '>';
				r->p++;
				while (r->p < r->end && *r->p != close) {
					if (!(*r->p == '_' || (*r->p >= '0' && *r->p <= '9') ||
					      ((*r->p | 0x20) >= 'a' && (*r->p | 0x20) <= 'z'))) {
						r->bail = 1;
						return info_any();
					}
					r->p++;
				}
				if (r->p >= r->end) {
					r->bail = 1;
					return info_any();
				}
				r->p++;
			} else if (c == '-' || c == 'i' || c == 'm' || c == 's' ||
			           c == 'x' || c == 'n' || c == 'U' || c == 'J') {
				/* Options for a group only ("(?-i:...)"); set for
				 * the rest of the pattern, give up. */
				while (r->p < r->end && strchr("-imsxnUJ", *r->p))
					r->p++;
				if (r->p >= r->end || *r->p != ':') {
					r->bail = 1;
					return info_any();
				}
				r->p++;
				kind = 2;
			} else {
				r->bail = 1;   /* conditionals, recursion, comments */
				return info_any();
			}
		} else if (r->p < r->end && *r->p == '*') {
			r->bail = 1;   /* verbs */
			return info_any();
		}
		info x = read_alt(r);
		if (r->bail || r->p >= r->end || *r->p != ')') {
			info_free(&x);
			r->bail = 1;
			return info_any();
		}
		r->p++;
		if (kind == 0)
			return x;
		info_free(&x);
		return kind == 1 ? info_empty(r) : info_any();
	}
}

/* Any atom but a group. */
static info read_atom_rest(reader *r)
{
	unsigned char c = *r->p;
	if (c == '[') {
		/* "[x]" with one plain character is that character. */
		const unsigned char *q = r->p + 1;
		if (q < r->end && *q != '^' && *q != ']' && *q != '\\' &&
		    *q != '[') {
			size_t l = utf8_len(*q);
			if (q + l < r->end && q[l] == ']') {
				r->p = q + l + 1;
				return info_char(r, q, l);
			}
		}
		skip_class(r);
		return info_anychar();
	}
	if (c == '.') {
		r->p++;
		return info_anychar();
	}
	if (c == '^' || c == '$') {
		r->p++;
		return info_empty(r);
	}
	if (c == '\\') {
		if (r->p + 1 >= r->end) {
			r->bail = 1;
			return info_any();
		}
		unsigned char e = r->p[1];
		r->p += 2;
		if (strchr("bBAzZG", e))
			return info_empty(r);
		if (e == 'd') {
			/* A digit: documents with other digits than ASCII ones
			 * are not filtered (qp_pf_scan). */
			info x = info_anychar();
			x.exact = 1;
			for (char d = '0'; d <= '9'; d++)
				if (set_push(&x.ex, &d, 1))
					r->oom = 1;
			return x;
		}
		if (e == 's' && r->caseless) {
			unsigned char sp = ' ';
			return info_char(r, &sp, 1);
		}
		if (strchr("DwWsShHvVRNXC", e))
			return info_anychar();
		if (e == 'p' || e == 'P') {
			if (r->p < r->end && *r->p == '{') {
				while (r->p < r->end && *r->p != '}')
					r->p++;
				if (r->p >= r->end) {
					r->bail = 1;
					return info_any();
				}
				r->p++;
			} else if (r->p < r->end) {
				r->p++;
			}
			return info_anychar();
		}
		static const char ctl[] = "tnrfea";
		static const char val[] = "\t\n\r\f\x1b\a";
		const char *k = strchr(ctl, e);
		if (k && e) {
			unsigned char ch = (unsigned char)val[k - ctl];
			return info_char(r, &ch, 1);
		}
		if (e < 0x80 && !((e | 0x20) >= 'a' && (e | 0x20) <= 'z') &&
		    !(e >= '0' && e <= '9')) {
			unsigned char ch = e;
			return info_char(r, &ch, 1);   /* escaped punctuation */
		}
		r->bail = 1;   /* \x, \Q, \K, back references, ... */
		return info_any();
	}
	if (c == ')' || c == '|') {
		r->bail = 1;
		return info_any();
	}
	if (c == '*' || c == '+' || c == '?') {
		r->bail = 1;   /* a quantifier with nothing before it */
		return info_any();
	}
	size_t l = utf8_len(c);
	if (r->p + l > r->end) {
		r->bail = 1;
		return info_any();
	}
	const unsigned char *q = r->p;
	r->p += l;
	if (c == '{')
		return info_anychar();   /* a literal brace */
	return info_char(r, q, l);
}

/* Read a number. */
static int read_num(reader *r, long *v)
{
	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return 0;
	long x = 0;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		x = x * 10 + (*r->p - '0');
		if (x > 100000)
			x = 100000;
		r->p++;
	}
	*v = x;
	return 1;
}

/* A quantifier after an atom, if any: {min, max} (max -1: none). */
static int read_quant(reader *r, long *min, long *max)
{
	if (r->p >= r->end)
		return 0;
	unsigned char c = *r->p;
	if (c == '*' || c == '+' || c == '?') {
		*min = c == '+';
		*max = c == '?' ? 1 : -1;
		r->p++;
	} else if (c == '{') {
		/* PCRE2 10.42: {n}, {n,}, {n,m}; anything else is literal. */
		const unsigned char *save = r->p;
		r->p++;
		long a, b = -1;
		if (!read_num(r, &a)) {
			r->p = save;
			return 0;
		}
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			if (!read_num(r, &b))
				b = -1;
		} else {
			b = a;
		}
		if (r->p >= r->end || *r->p != '}') {
			r->p = save;
			return 0;
		}
		r->p++;
		*min = a;
		*max = b;
	} else {
		return 0;
	}
	if (r->p < r->end && (*r->p == '?' || *r->p == '+'))
		r->p++;
	return 1;
}

/* Is x exactly one space (what \s and "[ ]" read as in the fold)? */
static int is_space_atom(const info *x)
{
	return x->exact && x->ex.n == 1 && !strcmp(x->ex.v[0], " ");
}

static info quantify(reader *r, info x, long min, long max)
{
	if (min == 1 && max == 1)
		return x;
	/* The fold layer's literals are looked for with every run of white
	 * space read as one space, so a run of spaces is one space. */
	if (r->caseless && is_space_atom(&x)) {
		if (min == 0 && set_add(&x.ex, "", 0))
			r->oom = 1;
		return x;
	}
	if (min == 0 && x.exact && max == 1) {
		if (set_add(&x.ex, "", 0))
			r->oom = 1;
		return x;
	}
	/* A non-empty match starts with a non-empty match of one copy; at
	 * least once, what one copy needs, the whole needs. */
	info y = info_anychar();
	int nullable;
	int k = get_pre(&x, &y.pre, &nullable);
	if (k < 0)
		r->oom = 1;
	y.pre_ok = k > 0;
	y.nullable = min == 0 || nullable;
	if (min > 0)
		y.req = to_req(r, &x);
	info_free(&x);
	return y;
}

/* A part of a sequence, for the prefixes of the whole. */
typedef struct {
	int    ok, nullable;
	strset pre;
} elem;

typedef struct {
	elem  *v;
	size_t n;
} elems;

static void elems_add(reader *r, elems *es, const info *x)
{
	elem *v = realloc(es->v, (es->n + 1) * sizeof *v);
	if (!v) {
		r->oom = 1;
		return;
	}
	es->v = v;
	int k = get_pre(x, &v[es->n].pre, &v[es->n].nullable);
	if (k < 0)
		r->oom = 1;
	v[es->n].ok = k > 0;
	es->n++;
}

/* An exact set as a part. */
static void elems_add_set(reader *r, elems *es, const strset *s)
{
	info x = info_anychar();
	x.exact = 1;
	x.ex = *s;
	elems_add(r, es, &x);
}

/* Prefixes of the whole sequence, from the last part back. */
static void elems_finish(reader *r, elems *es, info *x)
{
	int ok = 1, nullable = 1;
	strset pre = {NULL, 0};
	for (size_t k = es->n; k-- > 0;) {
		elem *e = &es->v[k];
		if (!e->nullable) {
			set_free(&pre);
			pre = e->pre;
			e->pre.v = NULL;
			e->pre.n = 0;
			ok = e->ok;
			nullable = 0;
		} else {
			for (size_t i = 0; i < e->pre.n; i++)
				if (set_push(&pre, e->pre.v[i], strlen(e->pre.v[i])))
					r->oom = 1;
			ok &= e->ok;
		}
	}
	for (size_t k = 0; k < es->n; k++)
		set_free(&es->v[k].pre);
	free(es->v);
	es->v = NULL;
	es->n = 0;
	set_norm(&pre);
	if (!ok || pre.n > CLAUSE_MAX) {
		set_free(&pre);
		ok = 0;
	}
	x->pre = pre;
	x->pre_ok = ok;
	x->nullable = nullable;
}

/* A sequence of quantified atoms, up to "|" or ")" or the end. */
static info read_seq(reader *r)
{
	strset cur;
	int all_exact = 1;
	cnf req = {NULL, 0};
	elems es = {NULL, 0};
	if (set_single(&cur, "", 0))
		r->oom = 1;
	while (!r->bail && !r->oom && r->p < r->end && *r->p != '|' &&
	       *r->p != ')') {
		/* A plain character not quantified, after a single string:
		 * append it in place (most of a pattern is such). */
		unsigned char c = *r->p;
		if (cur.n == 1 && !strchr("\\()[]|.^$*+?{", c) && c != 0) {
			size_t l = utf8_len(c);
			const unsigned char *q = r->p + l;
			unsigned char b[4];
			if (r->p + l <= r->end &&
			    (q >= r->end || !strchr("*+?{", *q) || !*q) &&
			    lit_char(r, r->p, l, b)) {
				size_t la = strlen(cur.v[0]);
				char *nc = realloc(cur.v[0], la + l + 1);
				if (!nc) {
					r->oom = 1;
					break;
				}
				memcpy(nc + la, b, l);
				nc[la + l] = '\0';
				cur.v[0] = nc;
				r->p += l;
				continue;
			}
		}
		info a = read_atom(r);
		long min, max;
		if (!r->bail && read_quant(r, &min, &max))
			a = quantify(r, a, min, max);
		if (r->bail) {
			info_free(&a);
			break;
		}
		if (a.exact && cur.n == 1 && a.ex.n == 1) {
			/* One string after one string: append in place. */
			size_t la = strlen(cur.v[0]), lb = strlen(a.ex.v[0]);
			char *c = realloc(cur.v[0], la + lb + 1);
			if (!c) {
				r->oom = 1;
			} else {
				memcpy(c + la, a.ex.v[0], lb + 1);
				cur.v[0] = c;
			}
			info_free(&a);
			continue;
		}
		if (a.exact && cur.n * a.ex.n <= EXACT_MAX) {
			strset p;
			if (set_product(&cur, &a.ex, &p))
				r->oom = 1;
			set_free(&cur);
			cur = p;
			info_free(&a);
			continue;
		}
		all_exact = 0;
		elems_add_set(r, &es, &cur);
		if (cnf_take(&req, &cur))
			r->oom = 1;
		if (a.exact) {
			cur = a.ex;
			a.ex.v = NULL;
			a.ex.n = 0;
			info_free(&a);
			continue;
		}
		elems_add(r, &es, &a);
		cnf more = to_req(r, &a);
		for (size_t i = 0; i < more.n; i++)
			if (cnf_take(&req, &more.v[i]))
				r->oom = 1;
		cnf_free(&more);
		info_free(&a);
		if (set_single(&cur, "", 0))
			r->oom = 1;
	}
	info x = info_any();
	if (all_exact) {
		cnf_free(&req);
		free(es.v);
		x.exact = 1;
		x.nullable = 0;
		x.ex = cur;
		return x;
	}
	elems_add_set(r, &es, &cur);
	elems_finish(r, &es, &x);
	if (cnf_take(&req, &cur))
		r->oom = 1;
	x.req = req;
	return x;
}

/* Alternatives separated by "|", up to ")" or the end. */
static info read_alt(reader *r)
{
	info *br = NULL;
	size_t nb = 0;
	for (;;) {
		info *b = realloc(br, (nb + 1) * sizeof *b);
		if (!b) {
			r->oom = 1;
			break;
		}
		br = b;
		br[nb++] = read_seq(r);
		if (r->bail || r->oom || r->p >= r->end || *r->p != '|')
			break;
		r->p++;
	}
	info x = info_any();
	if (r->bail || r->oom || nb == 0)
		goto out;
	if (nb == 1) {
		x = br[0];
		nb = 0;
		goto out;
	}
	int all_exact = 1;
	size_t total = 0;
	for (size_t i = 0; i < nb; i++) {
		all_exact &= br[i].exact;
		total += br[i].ex.n;
	}
	if (all_exact && total <= CLAUSE_MAX) {
		/* Take the branches' strings over. */
		x.exact = 1;
		x.ex.v = malloc((total + 1) * sizeof *x.ex.v);
		if (!x.ex.v) {
			r->oom = 1;
			goto out;
		}
		for (size_t i = 0; i < nb; i++) {
			for (size_t k = 0; k < br[i].ex.n; k++)
				x.ex.v[x.ex.n++] = br[i].ex.v[k];
			br[i].ex.n = 0;
		}
		set_norm(&x.ex);
		goto out;
	}
	/* The prefixes: those of every branch. */
	x.pre_ok = 1;
	x.nullable = 0;
	for (size_t i = 0; i < nb; i++) {
		strset p;
		int nullable;
		int k = get_pre(&br[i], &p, &nullable);
		if (k < 0)
			r->oom = 1;
		x.nullable |= nullable;
		x.pre_ok &= k > 0;
		for (size_t j = 0; j < p.n && x.pre_ok; j++)
			if (set_push(&x.pre, p.v[j], strlen(p.v[j])))
				r->oom = 1;
		set_free(&p);
	}
	set_norm(&x.pre);
	if (!x.pre_ok || x.pre.n > CLAUSE_MAX) {
		x.pre_ok = 0;
		set_free(&x.pre);
	}
	/* One clause: the best clause of each branch, united. */
	strset u = {NULL, 0};
	for (size_t i = 0; i < nb; i++) {
		cnf c = to_req(r, &br[i]);
		const strset *best = NULL;
		for (size_t k = 0; k < c.n; k++)
			if (!best || better(&c.v[k], best))
				best = &c.v[k];
		if (!best) {
			cnf_free(&c);
			set_free(&u);
			goto out;   /* a branch that needs nothing */
		}
		for (size_t k = 0; k < best->n; k++)
			if (set_push(&u, best->v[k], strlen(best->v[k])))
				r->oom = 1;
		cnf_free(&c);
	}
	set_norm(&u);
	if (cnf_take(&x.req, &u))
		r->oom = 1;
out:
	for (size_t i = 0; i < nb; i++)
		info_free(&br[i]);
	free(br);
	return x;
}

/* ------------------------------------------------------------------ */
/* The registry and the automata                                       */
/* ------------------------------------------------------------------ */

typedef struct {
	int      layer;
	int      prefix;   /* a rule's start strings */
	char   **lits;     /* sorted */
	size_t   n;
	uint32_t *groups;  /* the literal groups it is made of (below) */
	size_t   ngroups;
} clause;

/* One layer's automaton. */
typedef struct {
	char    **lits;       /* distinct literals */
	size_t    nlits;
	uint32_t *lit_len;
	uint32_t *cl_start;   /* literal i's clauses: cl[cl_start[i]..[i+1]) */
	uint32_t *cl;
	unsigned char cls[256];   /* byte -> class */
	size_t    nclass;
	uint32_t *group;      /* literal -> its group */
	size_t    ngroups;
	uint32_t *next;       /* nstates x nclass */
	uint32_t *out_start;  /* state s outputs lit ids out[out_start[s]..] */
	uint32_t *out;
	size_t    nstates;
} automaton;

typedef struct {
	unsigned char *key;
	size_t         n;
	int            caseless;
	info           val;
} memo_ent;

/* A pattern as given, and what reading it found. */
typedef struct {
	char     *pat;
	size_t    len;
	int       layer;
	uint32_t *clauses;
	size_t    nclauses;
	uint32_t  starts;
} pattern;

struct qp_pf {
	pattern  *pats;     /* read when the first document is scanned */
	size_t    npats;
	atomic_int built;   /* 1 built, -1 failed (no filtering) */
	atomic_size_t seen; /* bytes of fold scanned before it was built */
	pthread_mutex_t lock;
	clause   *cl;
	size_t    ncl;
	automaton au[2];
	memo_ent *memo;     /* groups read so far (while patterns are read) */
	size_t    nmemo;
};

static const info *memo_get(const reader *r, const unsigned char *p, size_t n)
{
	const qp_pf *pf = r->pf;
	for (size_t i = 0; pf && i < pf->nmemo; i++) {
		const memo_ent *m = &pf->memo[i];
		if (m->n == n && m->caseless == r->caseless && !memcmp(m->key, p, n))
			return &m->val;
	}
	return NULL;
}

static void memo_put(reader *r, const unsigned char *p, size_t n, const info *x)
{
	qp_pf *pf = r->pf;
	if (!pf)
		return;
	memo_ent *v = realloc(pf->memo, (pf->nmemo + 1) * sizeof *v);
	if (!v)
		return;
	pf->memo = v;
	memo_ent *m = &v[pf->nmemo];
	m->key = malloc(n);
	if (!m->key)
		return;
	if (info_copy(x, &m->val)) {
		info_free(&m->val);
		free(m->key);
		return;
	}
	memcpy(m->key, p, n);
	m->n = n;
	m->caseless = r->caseless;
	pf->nmemo++;
}

static void memo_free(qp_pf *pf)
{
	for (size_t i = 0; i < pf->nmemo; i++) {
		free(pf->memo[i].key);
		info_free(&pf->memo[i].val);
	}
	free(pf->memo);
	pf->memo = NULL;
	pf->nmemo = 0;
}

qp_pf *qp_pf_new(void)
{
	qp_pf *pf = calloc(1, sizeof(qp_pf));
	if (pf)
		pthread_mutex_init(&pf->lock, NULL);
	return pf;
}

static void au_free(automaton *a)
{
	for (size_t i = 0; i < a->nlits; i++)
		free(a->lits[i]);
	free(a->lits);
	free(a->lit_len);
	free(a->cl_start);
	free(a->cl);
	free(a->group);
	free(a->next);
	free(a->out_start);
	free(a->out);
	memset(a, 0, sizeof *a);
}

void qp_pf_free(qp_pf *pf)
{
	if (!pf)
		return;
	for (size_t i = 0; i < pf->ncl; i++) {
		for (size_t k = 0; k < pf->cl[i].n; k++)
			free(pf->cl[i].lits[k]);
		free(pf->cl[i].lits);
		free(pf->cl[i].groups);
	}
	free(pf->cl);
	au_free(&pf->au[0]);
	au_free(&pf->au[1]);
	memo_free(pf);
	for (size_t i = 0; i < pf->npats; i++) {
		free(pf->pats[i].pat);
		free(pf->pats[i].clauses);
	}
	free(pf->pats);
	pthread_mutex_destroy(&pf->lock);
	free(pf);
}

size_t qp_pf_nclauses(const qp_pf *pf)
{
	return pf->ncl;
}

#ifdef QP_PF_DEBUG
#include <stdio.h>
/* Print clause c (rules.c does for every rule when QPAN_PFDUMP is set
 * in the environment of a QP_PF_DEBUG build). */
void qp_pf_dump(const qp_pf *pf, uint32_t c);
void qp_pf_dump(const qp_pf *pf, uint32_t c)
{
	const clause *x = &pf->cl[c];
	fprintf(stderr, "  [%u] %s L%d n=%zu:", c, x->prefix ? "starts" : "needs",
	        x->layer, x->n);
	for (size_t i = 0; i < x->n && i < 12; i++)
		fprintf(stderr, " \"%s\"", x->lits[i]);
	fprintf(stderr, "%s\n", x->n > 12 ? " ..." : "");
}
#endif

#define LIT_MAX 200   /* bytes kept of a literal (the ring in scan) */

/* Literals as the scan sees text: in the fold layer every white-space
 * character is a space and a run of them one space; at most LIT_MAX
 * bytes (a prefix of a needed string is needed too). */
static void norm_literals(strset *s, int layer)
{
	for (size_t i = 0; i < s->n; i++) {
		char *p = s->v[i], *q = p;
		for (; *p; p++) {
			char c = *p;
			if (layer == 0 && (c == '\t' || c == '\n' || c == '\r' ||
			                   c == '\f' || c == '\v'))
				c = ' ';
			if (layer == 0 && c == ' ' && q > s->v[i] && q[-1] == ' ')
				continue;
			*q++ = c;
		}
		*q = '\0';
		size_t n = strlen(s->v[i]);
		if (n > LIT_MAX) {
			n = LIT_MAX;
			while (n > 0 && ((unsigned char)s->v[i][n] & 0xC0) == 0x80)
				n--;
			s->v[i][n] = '\0';
		}
	}
	set_norm(s);
}

/* The id of clause s in layer (added if new; s is consumed). */
static long intern(qp_pf *pf, int layer, int prefix, strset *s)
{
	norm_literals(s, layer);
	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	for (size_t i = 0; i < pf->ncl; i++) {
		clause *c = &pf->cl[i];
		if (c->layer != layer || c->prefix != prefix || c->n != s->n)
			continue;
		size_t k = 0;
		while (k < s->n && !strcmp(c->lits[k], s->v[k]))
			k++;
		if (k == s->n) {
			set_free(s);
			return (long)i;
		}
	}
	clause *v = realloc(pf->cl, (pf->ncl + 1) * sizeof *v);
	if (!v) {
		set_free(s);
		return -1;
	}
	pf->cl = v;
	memset(&v[pf->ncl], 0, sizeof *v);
	v[pf->ncl].layer = layer;
	v[pf->ncl].prefix = prefix;
	v[pf->ncl].lits = s->v;
	v[pf->ncl].n = s->n;
	s->v = NULL;
	s->n = 0;
	return (long)pf->ncl++;
}

/* Are these good strings to start matches at?  Not when one is a
 * single letter or space: that would be nearly every position. */
static int good_starts(const strset *p)
{
	if (p->n == 0 || p->n > CLAUSE_MAX)
		return 0;
	for (size_t i = 0; i < p->n; i++) {
		const unsigned char *x = (const unsigned char *)p->v[i];
		if (!x[0] || x[0] <= ' ')
			return 0;   /* (where a run of spaces starts is not kept) */
		if (!x[1] && ((x[0] | 0x20) >= 'a' && (x[0] | 0x20) <= 'z'))
			return 0;
	}
	return 1;
}

long qp_pf_add(qp_pf *pf, const char *pat, size_t len, int layer)
{
	pattern *v = realloc(pf->pats, (pf->npats + 1) * sizeof *v);
	if (!v)
		return -1;
	pf->pats = v;
	pattern *p = &v[pf->npats];
	memset(p, 0, sizeof *p);
	p->pat = malloc(len + 1);
	if (!p->pat)
		return -1;
	memcpy(p->pat, pat, len);
	p->pat[len] = '\0';
	p->len = len;
	p->layer = layer;
	p->starts = UINT32_MAX;
	return (long)pf->npats++;
}

static int read_pattern(qp_pf *pf, const char *pattern, size_t len, int layer,
                        uint32_t **clauses, size_t *n, uint32_t *starts)
{
	reader r = {(const unsigned char *)pattern,
	            (const unsigned char *)pattern + len, layer == 0, 0, 0, pf};
	*clauses = NULL;
	*n = 0;
	*starts = UINT32_MAX;
	info x = read_alt(&r);
	if (r.p != r.end)
		r.bail = 1;
	cnf c = {NULL, 0};
	if (!r.bail && !r.oom) {
		strset p;
		int nullable;
		int k = get_pre(&x, &p, &nullable);
		if (k < 0)
			r.oom = 1;
		set_norm(&p);
		if (k > 0 && !nullable && good_starts(&p)) {
			long id = intern(pf, layer, 1, &p);
			if (id < 0)
				r.oom = 1;
			else
				*starts = (uint32_t)id;
		}
		set_free(&p);
		c = to_req(&r, &x);
	}
	info_free(&x);
	if (r.oom) {
		cnf_free(&c);
		return -1;
	}
	if (c.n) {
		*clauses = malloc(c.n * sizeof **clauses);
		if (!*clauses) {
			cnf_free(&c);
			return -1;
		}
		for (size_t i = 0; i < c.n; i++) {
			long id = intern(pf, layer, 0, &c.v[i]);
			if (id < 0) {
				cnf_free(&c);
				free(*clauses);
				*clauses = NULL;
				return -1;
			}
			(*clauses)[(*n)++] = (uint32_t)id;
		}
	}
	cnf_free(&c);
	return 0;
}

#define OUT_FLAG 0x80000000u   /* in a transition: the state has outputs */

struct pair {
	const char *lit;
	uint32_t    clause;
};

/* Order literals by the clauses they are in (for grouping). */
static int cmp_membership(const void *x, const void *y, void *ctx)
{
	const automaton *a = ctx;
	uint32_t l1 = *(const uint32_t *)x, l2 = *(const uint32_t *)y;
	uint32_t n1 = a->cl_start[l1 + 1] - a->cl_start[l1];
	uint32_t n2 = a->cl_start[l2 + 1] - a->cl_start[l2];
	if (n1 != n2)
		return n1 < n2 ? -1 : 1;
	for (uint32_t k = 0; k < n1; k++) {
		uint32_t c1 = a->cl[a->cl_start[l1] + k], c2 = a->cl[a->cl_start[l2] + k];
		if (c1 != c2)
			return c1 < c2 ? -1 : 1;
	}
	return 0;
}

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	int c = strcmp(a->lit, b->lit);
	return c ? c : (a->clause > b->clause) - (a->clause < b->clause);
}

/* Build layer's automaton from its clauses' literals. */
static int au_build(qp_pf *pf, int layer)
{
	automaton *a = &pf->au[layer];
	/* Distinct literals, and for each the clauses that hold it. */
	size_t total = 0;
	for (size_t i = 0; i < pf->ncl; i++)
		if (pf->cl[i].layer == layer)
			total += pf->cl[i].n;
	if (!total)
		return 0;
	struct pair *pairs = malloc(total * sizeof *pairs);
	if (!pairs)
		return -1;
	size_t np = 0;
	for (size_t i = 0; i < pf->ncl; i++)
		if (pf->cl[i].layer == layer)
			for (size_t k = 0; k < pf->cl[i].n; k++) {
				pairs[np].lit = pf->cl[i].lits[k];
				pairs[np++].clause = (uint32_t)i;
			}
	/* Sort by literal (then clause): equal literals are adjacent. */
	qsort(pairs, np, sizeof *pairs, cmp_pair);
	a->lits = calloc(np, sizeof *a->lits);
	a->lit_len = calloc(np, sizeof *a->lit_len);
	a->cl_start = calloc(np + 1, sizeof *a->cl_start);
	a->cl = calloc(np, sizeof *a->cl);
	if (!a->lits || !a->lit_len || !a->cl_start || !a->cl)
		goto nomem;
	for (size_t i = 0; i < np; i++) {
		if (i == 0 || strcmp(pairs[i - 1].lit, pairs[i].lit)) {
			a->cl_start[a->nlits] = (uint32_t)i;
			a->lits[a->nlits] = strdup(pairs[i].lit);
			if (!a->lits[a->nlits])
				goto nomem;
			a->lit_len[a->nlits] = (uint32_t)strlen(pairs[i].lit);
			a->nlits++;
		}
		a->cl[i] = pairs[i].clause;
	}
	a->cl_start[a->nlits] = (uint32_t)np;
	/* Literal groups: literals that are in exactly the same clauses
	 * share one list of occurrences, and a clause is the union of a
	 * few groups (every digit is in the start strings of several
	 * rules, but is recorded once). */
	a->group = calloc(a->nlits + 1, sizeof *a->group);
	uint32_t *ord = malloc((a->nlits + 1) * sizeof *ord);
	if (!a->group || !ord) {
		free(ord);
		goto nomem;
	}
	for (size_t l = 0; l < a->nlits; l++)
		ord[l] = (uint32_t)l;
	qsort_r(ord, a->nlits, sizeof *ord, cmp_membership, a);
	a->ngroups = 0;
	for (size_t k = 0; k < a->nlits; k++) {
		if (k && cmp_membership(&ord[k - 1], &ord[k], a))
			a->ngroups++;
		a->group[ord[k]] = (uint32_t)a->ngroups;
	}
	if (a->nlits)
		a->ngroups++;
	free(ord);
	{
		unsigned char *seen = calloc(a->ngroups + 1, 1);
		if (!seen)
			goto nomem;
		for (size_t l = 0; l < a->nlits; l++) {
			if (seen[a->group[l]])
				continue;
			seen[a->group[l]] = 1;
			for (uint32_t j = a->cl_start[l]; j < a->cl_start[l + 1]; j++) {
				clause *c = &pf->cl[a->cl[j]];
				uint32_t *g = realloc(c->groups,
				                      (c->ngroups + 1) * sizeof *g);
				if (!g) {
					free(seen);
					goto nomem;
				}
				c->groups = g;
				g[c->ngroups++] = a->group[l];
			}
		}
		free(seen);
	}
	free(pairs);
	pairs = NULL;

	/* Byte classes: each byte used in a literal has its own. */
	memset(a->cls, 0, sizeof a->cls);
	a->nclass = 1;
	for (size_t i = 0; i < a->nlits; i++)
		for (const unsigned char *p = (const unsigned char *)a->lits[i]; *p; p++)
			if (!a->cls[*p])
				a->cls[*p] = (unsigned char)a->nclass++;
	if (a->nclass > 255)
		goto nomem;   /* cannot happen with bytes, but be safe */

	/* The trie. */
	size_t maxstates = 1;
	for (size_t i = 0; i < a->nlits; i++)
		maxstates += a->lit_len[i];
	uint32_t *next = calloc(maxstates * a->nclass, sizeof *next);
	uint32_t *fail = calloc(maxstates, sizeof *fail);
	uint32_t *term = malloc(maxstates * sizeof *term);   /* lit ending here */
	uint32_t *queue = malloc(maxstates * sizeof *queue);
	if (!next || !fail || !term || !queue) {
		free(next);
		free(fail);
		free(term);
		free(queue);
		goto nomem;
	}
	for (size_t s = 0; s < maxstates; s++)
		term[s] = UINT32_MAX;
	size_t ns = 1;
	for (size_t i = 0; i < a->nlits; i++) {
		uint32_t s = 0;
		for (const unsigned char *p = (const unsigned char *)a->lits[i]; *p; p++) {
			uint32_t *t = &next[s * a->nclass + a->cls[*p]];
			if (!*t)
				*t = (uint32_t)ns++;
			s = *t;
		}
		term[s] = (uint32_t)i;
	}
	/* Failure links breadth first, completing the transitions into a
	 * DFA; outputs are each state's own literal plus its failure
	 * state's outputs. */
	size_t *nout = calloc(ns, sizeof *nout);
	size_t qh = 0, qt = 0;
	if (!nout) {
		free(next);
		free(fail);
		free(term);
		free(queue);
		goto nomem;
	}
	for (size_t c = 0; c < a->nclass; c++) {
		uint32_t t = next[c];
		if (t) {
			fail[t] = 0;
			queue[qt++] = t;
		}
	}
	/* Class 0 (bytes in no literal) always goes back to the root. */
	while (qh < qt) {
		uint32_t s = queue[qh++];
		for (size_t c = 1; c < a->nclass; c++) {
			uint32_t t = next[s * a->nclass + c];
			if (t) {
				fail[t] = next[fail[s] * a->nclass + c];
				queue[qt++] = t;
			} else {
				next[s * a->nclass + c] = next[fail[s] * a->nclass + c];
			}
		}
		next[s * a->nclass] = 0;
	}
	/* Outputs, in BFS order so a failure state is done first. */
	a->out_start = calloc(ns + 1, sizeof *a->out_start);
	if (!a->out_start)
		goto nomem2;
	for (size_t k = 0; k < qt; k++) {
		uint32_t s = queue[k];
		nout[s] = nout[fail[s]] + (term[s] != UINT32_MAX);
	}
	size_t tot = 0;
	for (size_t s = 0; s < ns; s++) {
		a->out_start[s] = (uint32_t)tot;
		tot += nout[s];
	}
	a->out_start[ns] = (uint32_t)tot;
	a->out = malloc((tot + 1) * sizeof *a->out);
	if (!a->out)
		goto nomem2;
	for (size_t k = 0; k < qt; k++) {
		uint32_t s = queue[k];
		uint32_t o = a->out_start[s];
		if (term[s] != UINT32_MAX)
			a->out[o++] = term[s];
		uint32_t f = fail[s];
		for (uint32_t j = a->out_start[f]; j < a->out_start[f + 1]; j++)
			a->out[o++] = a->out[j];
	}
	free(fail);
	free(term);
	free(queue);
	free(nout);
	/* The root's own outputs are none (no empty literals).  Store each
	 * target premultiplied by the number of classes, with OUT_FLAG when
	 * it has outputs, so a step is one load and an add. */
	if (ns * a->nclass >= OUT_FLAG)
		goto nomem3;
	for (size_t k = 0; k < ns * a->nclass; k++) {
		uint32_t t = next[k];
		next[k] = (uint32_t)(t * a->nclass) |
		          (a->out_start[t] != a->out_start[t + 1] ? OUT_FLAG : 0);
	}
	a->next = next;
	a->nstates = ns;
	return 0;
nomem3:
	free(next);
	return -1;
nomem2:
	free(next);
	free(fail);
	free(term);
	free(queue);
	free(nout);
nomem:
	free(pairs);
	return -1;
}

static int build(qp_pf *pf)
{
	pthread_once(&lower_once, build_lower);
	for (size_t i = 0; i < pf->npats; i++) {
		pattern *p = &pf->pats[i];
		if (read_pattern(pf, p->pat, p->len, p->layer, &p->clauses,
		                 &p->nclauses, &p->starts))
			return -1;
	}
	memo_free(pf);
	return au_build(pf, 0) || au_build(pf, 1) ? -1 : 0;
}

int qp_pf_build(qp_pf *pf)
{
	int st = atomic_load_explicit(&pf->built, memory_order_acquire);
	if (st)
		return st > 0 ? 0 : -1;
	pthread_mutex_lock(&pf->lock);
	st = atomic_load_explicit(&pf->built, memory_order_relaxed);
	if (!st) {
		st = build(pf) ? -1 : 1;
		atomic_store_explicit(&pf->built, st, memory_order_release);
	}
	pthread_mutex_unlock(&pf->lock);
	return st > 0 ? 0 : -1;
}

const uint32_t *qp_pf_clauses(const qp_pf *pf, long id, size_t *n,
                              uint32_t *starts)
{
	if (id < 0 || (size_t)id >= pf->npats) {
		*n = 0;
		*starts = UINT32_MAX;
		return NULL;
	}
	*n = pf->pats[id].nclauses;
	*starts = pf->pats[id].starts;
	return pf->pats[id].clauses;
}

/* ------------------------------------------------------------------ */
/* Scanning a document                                                 */
/* ------------------------------------------------------------------ */

/* One occurrence of a literal: [s, s + len) in its layer's text (six
 * bytes: on a large document these are many). */
typedef struct __attribute__((packed)) {
	uint32_t s;
	uint16_t len;
} occ;

#define OCC_E(o) ((o)->s + (uint32_t)(o)->len)

typedef struct {
	occ   *v;
	size_t n, cap;
	size_t finger;   /* where the last search ended: the next starts
	                  * there (extractors go through a document in
	                  * order, so searches stay short on a large one) */
} occvec;

struct qp_pf_hits {
	int          valid;
	const qp_pf *pf;
	occvec      *group[2];   /* per layer and literal group, by end */
	size_t       ngroup[2];
	uint32_t     span[2];    /* the longest occurrence, e - s */
};

qp_pf_hits *qp_pf_hits_new(void)
{
	return calloc(1, sizeof(qp_pf_hits));
}

void qp_pf_hits_free(qp_pf_hits *h)
{
	if (!h)
		return;
	for (int l = 0; l < 2; l++) {
		for (size_t g = 0; g < h->ngroup[l]; g++)
			free(h->group[l][g].v);
		free(h->group[l]);
	}
	free(h);
}

void qp_pf_hits_trim(qp_pf_hits *h)
{
	if (!h)
		return;
	for (int l = 0; l < 2; l++)
		for (size_t g = 0; g < h->ngroup[l]; g++) {
			free(h->group[l][g].v);
			memset(&h->group[l][g], 0, sizeof h->group[l][g]);
		}
	h->valid = 0;
}

static int push_occ(occvec *v, uint32_t s, uint32_t e)
{
	if (v->n == v->cap) {
		/* Grows by half: on a 100 MB document these lists are the
		 * largest thing after the texts. */
		size_t cap = v->cap ? v->cap + v->cap / 2 : 256;
		occ *n = realloc(v->v, cap * sizeof *n);
		if (!n)
			return -1;
		v->v = n;
		v->cap = cap;
	}
	if (e - s > UINT16_MAX)
		return -1;   /* (a literal over 64 KB of spaces: no filtering) */
	v->v[v->n].s = s;
	v->v[v->n].len = (uint16_t)(e - s);
	v->n++;
	return 0;
}

static void spans(qp_pf_hits *h)
{
	for (int l = 0; l < 2; l++) {
		uint32_t m = 0;
		for (size_t g = 0; g < h->ngroup[l]; g++) {
			const occvec *v = &h->group[l][g];
			for (size_t i = 0; i < v->n; i++)
				if (v->v[i].len > m)
					m = v->v[i].len;
		}
		h->span[l] = m;
	}
}

/* The norm layer: plain bytes. */
static int au_run(const automaton *a, const unsigned char *p, size_t n,
                  occvec *out)   /* out: the layer's groups */
{
	uint32_t s = 0;
	const uint32_t *next = a->next;
	const unsigned char *cls = a->cls;
	size_t nc = a->nclass;
	const uint32_t *os = a->out_start;
	for (size_t i = 0; i < n; i++) {
		uint32_t t = next[s + cls[p[i]]];
		s = t & ~OUT_FLAG;
		if (!(t & OUT_FLAG))
			continue;
		uint32_t st = s / (uint32_t)nc;
		uint32_t e = (uint32_t)(i + 1);
		for (uint32_t k = os[st]; k < os[st + 1]; k++) {
			uint32_t lit = a->out[k];
			if (push_occ(&out[a->group[lit]], e - a->lit_len[lit], e))
				return -1;
		}
	}
	return 0;
}

/* Record the outputs of state s: literals ending at byte e; a literal
 * of len bytes starts at the offset ring holds for its first byte. */
static int emit(const automaton *a, uint32_t s, uint32_t e,
                const uint32_t *ring, uint32_t cnt, occvec *out)
{
	for (uint32_t k = a->out_start[s]; k < a->out_start[s + 1]; k++) {
		uint32_t lit = a->out[k];
		if (push_occ(&out[a->group[lit]], ring[(cnt - a->lit_len[lit]) & 255],
		             e))
			return -1;
	}
	return 0;
}

/* The fold layer: lower-cased, every run of white space read as one
 * space.  ring[] holds the text offset of each byte fed to the
 * automaton (for a space, the run's last white-space byte: a literal
 * starting with it starts no earlier), so an occurrence is [where its
 * first byte was, after its last). */
static int scan_fold(const automaton *a, const unsigned char *p, size_t n,
                     occvec *out)
{
	uint32_t ring[256], cnt = 0, s = 0;
	const uint32_t *next = a->next;
	const unsigned char *cls = a->cls;
	size_t nc = a->nclass;
	int in_ws = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if (c == ' ' || (c >= '\t' && c <= '\r')) {
				if (in_ws) {
					ring[(cnt - 1) & 255] = (uint32_t)i++;
					continue;
				}
				in_ws = 1;
				c = ' ';
			} else {
				in_ws = 0;
				if (c >= 'A' && c <= 'Z')
					c += 32;
			}
			ring[cnt++ & 255] = (uint32_t)i;
			uint32_t t = next[s + cls[c]];
			s = t & ~OUT_FLAG;
			if ((t & OUT_FLAG) &&
			    emit(a, s / (uint32_t)nc, (uint32_t)(i + 1), ring, cnt, out))
				return -1;
			i++;
			continue;
		}
		in_ws = 0;
		unsigned char b[4];
		size_t l = n - i < 4 ? n - i : 4;
		memcpy(b, p + i, l);
		l = lower_char(b, l);
		if (!l)
			return -1;
		for (size_t k = 0; k < l; k++) {
			ring[cnt++ & 255] = (uint32_t)(i + k);
			uint32_t t = next[s + cls[b[k]]];
			s = t & ~OUT_FLAG;
			if ((t & OUT_FLAG) &&
			    emit(a, s / (uint32_t)nc, (uint32_t)(i + k + 1), ring, cnt,
			         out))
				return -1;
		}
		i += l;
	}
	return 0;
}

int qp_pf_scan(qp_pf *pf, const char *fold, size_t flen,
               const char *norm, size_t nlen, qp_pf_hits *h)
{
	h->valid = 0;
	h->pf = pf;
	/* Building costs about what filtering saves on 15 KB of text: not
	 * before that much has come (an empty or a one-line run goes
	 * without). */
	if (!atomic_load_explicit(&pf->built, memory_order_acquire) &&
	    atomic_fetch_add(&pf->seen, flen) + flen < PF_MIN_BYTES)
		return -1;
	if (qp_pf_build(pf))
		return -1;
	for (int l = 0; l < 2; l++) {
		size_t ng = pf->au[l].ngroups;
		if (h->ngroup[l] < ng) {
			occvec *v = realloc(h->group[l], ng * sizeof *v);
			if (!v)
				return -1;
			memset(v + h->ngroup[l], 0, (ng - h->ngroup[l]) * sizeof *v);
			h->group[l] = v;
			h->ngroup[l] = ng;
		}
		for (size_t g = 0; g < h->ngroup[l]; g++)
			h->group[l][g].n = 0;
	}
	if (flen >= UINT32_MAX || nlen >= UINT32_MAX)
		return -1;
	if (pf->au[0].nlits && scan_fold(&pf->au[0], (const unsigned char *)fold,
	                                 flen, h->group[0]))
		return -1;
	if (pf->au[1].nlits && au_run(&pf->au[1], (const unsigned char *)norm,
	                              nlen, h->group[1]))
		return -1;
	spans(h);
	h->valid = 1;
	return 0;
}

/* The first occurrence in v ending after x: a galloping search from
 * the finger, then a binary one (O(log distance)). */
static size_t first_ending_after(const occvec *cv, size_t x)
{
	occvec *v = (occvec *)cv;   /* only the finger changes */
	size_t n = v->n, f = v->finger < n ? v->finger : n, lo, hi;
	if (f > 0 && OCC_E(&v->v[f - 1]) > x) {
		/* Left of the finger: [lo, hi) holds the answer. */
		hi = f - 1;
		size_t step = 1;
		for (;;) {
			if (step > hi) {
				lo = 0;
				break;
			}
			lo = hi - step;
			if (OCC_E(&v->v[lo]) <= x) {
				lo++;
				break;
			}
			hi = lo;
			step *= 2;
		}
	} else {
		lo = f;
		size_t step = 1;
		for (;;) {
			hi = lo + step;
			if (hi >= n) {
				hi = n;
				break;
			}
			if (OCC_E(&v->v[hi]) > x)
				break;
			lo = hi + 1;
			step *= 2;
		}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (OCC_E(&v->v[mid]) <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	v->finger = lo;
	return lo;
}

int qp_pf_may(const qp_pf_hits *h, uint32_t ci, size_t a, size_t b)
{
	if (!h || !h->valid || ci >= h->pf->ncl)
		return 1;
	const clause *c = &h->pf->cl[ci];
	for (size_t k = 0; k < c->ngroups; k++) {
		const occvec *v = &h->group[c->layer][c->groups[k]];
		/* From the first ending after a, while ending by b: one that
		 * also starts at or after a (those that do not straddle a,
		 * so this stops at once but for them). */
		for (size_t i = first_ending_after(v, a);
		     i < v->n && OCC_E(&v->v[i]) <= b; i++)
			if (v->v[i].s >= a)
				return 1;
	}
	return 0;
}

size_t qp_pf_next(const qp_pf_hits *h, uint32_t ci, size_t from, size_t b)
{
	const clause *c = &h->pf->cl[ci];
	size_t best = (size_t)-1, span = h->span[c->layer];
	for (size_t k = 0; k < c->ngroups; k++) {
		const occvec *v = &h->group[c->layer][c->groups[k]];
		/* Occurrences come by end, and none is longer than span: past
		 * the best start + span no later one can start before it. */
		for (size_t i = first_ending_after(v, from);
		     i < v->n && OCC_E(&v->v[i]) <= b; i++) {
			const occ *o = &v->v[i];
			if (best != (size_t)-1 && OCC_E(o) > best + span)
				break;
			if (o->s >= from && o->s < best)
				best = o->s;
		}
	}
	return best;
}

size_t qp_pf_starts(const qp_pf_hits *h, uint32_t ci, size_t from, size_t b,
                    size_t *out, size_t max, int *more)
{
	const clause *c = &h->pf->cl[ci];
	size_t n = 0;
	size_t limit = (size_t)-1;   /* no start at or past this is kept */
	for (size_t k = 0; k < c->ngroups; k++) {
		const occvec *v = &h->group[c->layer][c->groups[k]];
		for (size_t i = first_ending_after(v, from);
		     i < v->n && OCC_E(&v->v[i]) <= b; i++) {
			size_t st = v->v[i].s;
			if (st < from || st >= limit)
				continue;
			if (n == max) {
				/* Full: keep the max smallest, drop the largest. */
				size_t big = 0;
				for (size_t j = 1; j < n; j++)
					if (out[j] > out[big])
						big = j;
				limit = out[big];
				out[big] = out[--n];
				if (st >= limit)
					continue;
			}
			out[n++] = st;
		}
	}
	/* Few and nearly in order: insertion sort. */
	for (size_t i = 1; i < n; i++) {
		size_t x = out[i], j = i;
		while (j > 0 && out[j - 1] > x) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = x;
	}
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || out[u - 1] != out[i])
			out[u++] = out[i];
	*more = limit != (size_t)-1;
	return u;
}

int qp_pf_valid(const qp_pf_hits *h)
{
	return h && h->valid;
}
