/*
 * pf_read.c - the prefilter's reader of patterns (pf_impl.h): the
 * literal strings a pattern's matches need.
 *
 *   pf_read(pattern)    read_alt  "|" of read_seq, united (pf_info_alt)
 *                       read_seq  quantified atoms: exact sets multiplied
 *                                 while small ("(?:đồng )?chí" -> {"chí",
 *                                 "đồng chí"}), else clauses collected
 *                       read_atom a character, class, escape or group
 *     -> *needs          the clauses every match satisfies
 *     -> *starts         the strings every match starts with, when they
 *                        are good places to try a match at
 *
 * A small recursive-descent reader of the PCRE2 syntax the rules use,
 * computing for every part either its exact set (the finite set of
 * strings it can match: "ông|bà") or, when that is unknown or too
 * large, the clauses any match of it satisfies; pf_info.c holds that
 * algebra.  Lookarounds, anchors and \b are empty; classes, ".", \d,
 * \p{..} are single unknown characters.  Anything unexpected (back
 * references, conditionals, inline options, ...) sets r->bail and gives
 * up on the whole pattern: no clauses, so the rule always runs.  This
 * is the usual required-literal analysis (as in RE2's prefilter), kept
 * conservative: a clause is only ever a necessary condition.  Long
 * groups (a lexicon, a macro) come again and again: what one gave is
 * remembered in the qp_pf (memo) until the last pattern is read.
 */
#include <stdlib.h>
#include <string.h>

#include "pf_impl.h"

#define EXACT_MAX 64   /* strings in an exact set built by products */

static info read_alt(reader *r);

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

/* --- the memo of groups --------------------------------------------- */

#define MEMO_MIN 32   /* bytes in the shortest group worth remembering */

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
	if (!pf ||
	    qp_grow(&pf->memo, &pf->capmemo, pf->nmemo, sizeof *pf->memo))
		return;
	memo_ent *m = &pf->memo[pf->nmemo];
	m->key = malloc(n);
	if (!m->key)
		return;
	if (pf_info_copy(x, &m->val)) {
		pf_info_free(&m->val);
		free(m->key);
		return;
	}
	memcpy(m->key, p, n);
	m->n = n;
	m->caseless = r->caseless;
	pf->nmemo++;
}

void pf_memo_free(qp_pf *pf)
{
	for (size_t i = 0; i < pf->nmemo; i++) {
		free(pf->memo[i].key);
		pf_info_free(&pf->memo[i].val);
	}
	free(pf->memo);
	pf->memo = NULL;
	pf->nmemo = pf->capmemo = 0;
}

/* --- atoms, sequences, alternatives --------------------------------- */

/* A group, at its "(". */
static info read_group(reader *r)
{
	unsigned char c = *r->p;
	r->p++;
	int kind = 0;   /* 0 group, 1 zero-width, 2 opaque */
	if (r->p < r->end && *r->p == '?') {
		r->p++;
		if (r->p >= r->end) {
			r->bail = 1;
			return pf_info_any();
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
					return pf_info_any();
				}
			}
			unsigned char close = *r->p == '\'' ? '\'' : '>';
			r->p++;
			while (r->p < r->end && *r->p != close) {
				if (!(*r->p == '_' || (*r->p >= '0' && *r->p <= '9') ||
				      ((*r->p | 0x20) >= 'a' && (*r->p | 0x20) <= 'z'))) {
					r->bail = 1;
					return pf_info_any();
				}
				r->p++;
			}
			if (r->p >= r->end) {
				r->bail = 1;
				return pf_info_any();
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
				return pf_info_any();
			}
			r->p++;
			kind = 2;
		} else {
			r->bail = 1;   /* conditionals, recursion, comments */
			return pf_info_any();
		}
	} else if (r->p < r->end && *r->p == '*') {
		r->bail = 1;   /* verbs */
		return pf_info_any();
	}
	info x = read_alt(r);
	if (r->bail || r->p >= r->end || *r->p != ')') {
		pf_info_free(&x);
		r->bail = 1;
		return pf_info_any();
	}
	r->p++;
	if (kind == 0)
		return x;
	pf_info_free(&x);
	return kind == 1 ? pf_info_empty(r) : pf_info_any();
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
			size_t l = qp_utf8_len(*q);
			if (q + l < r->end && q[l] == ']') {
				r->p = q + l + 1;
				return pf_info_char(r, q, l);
			}
		}
		skip_class(r);
		return pf_info_anychar();
	}
	if (c == '.') {
		r->p++;
		return pf_info_anychar();
	}
	if (c == '^' || c == '$') {
		r->p++;
		return pf_info_empty(r);
	}
	if (c == '\\') {
		if (r->p + 1 >= r->end) {
			r->bail = 1;
			return pf_info_any();
		}
		unsigned char e = r->p[1];
		r->p += 2;
		if (strchr("bBAzZG", e))
			return pf_info_empty(r);
		if (e == 'd') {
			/* A digit: documents with other digits than ASCII ones
			 * are not filtered (qp_pf_scan). */
			info x = pf_info_anychar();
			x.exact = 1;
			for (char d = '0'; d <= '9'; d++)
				if (pf_set_push(&x.ex, &d, 1))
					r->oom = 1;
			return x;
		}
		if (e == 's' && r->caseless) {
			unsigned char sp = ' ';
			return pf_info_char(r, &sp, 1);
		}
		if (strchr("DwWsShHvVRNXC", e))
			return pf_info_anychar();
		if (e == 'p' || e == 'P') {
			if (r->p < r->end && *r->p == '{') {
				while (r->p < r->end && *r->p != '}')
					r->p++;
				if (r->p >= r->end) {
					r->bail = 1;
					return pf_info_any();
				}
				r->p++;
			} else if (r->p < r->end) {
				r->p++;
			}
			return pf_info_anychar();
		}
		static const char ctl[] = "tnrfea";
		static const char val[] = "\t\n\r\f\x1b\a";
		const char *k = strchr(ctl, e);
		if (k && e) {
			unsigned char ch = (unsigned char)val[k - ctl];
			return pf_info_char(r, &ch, 1);
		}
		if (e < 0x80 && !((e | 0x20) >= 'a' && (e | 0x20) <= 'z') &&
		    !(e >= '0' && e <= '9')) {
			unsigned char ch = e;   /* escaped punctuation */
			return pf_info_char(r, &ch, 1);
		}
		r->bail = 1;   /* \x, \Q, \K, back references, ... */
		return pf_info_any();
	}
	if (c == ')' || c == '|') {
		r->bail = 1;
		return pf_info_any();
	}
	if (c == '*' || c == '+' || c == '?') {
		r->bail = 1;   /* a quantifier with nothing before it */
		return pf_info_any();
	}
	size_t l = qp_utf8_len(c);
	if (r->p + l > r->end) {
		r->bail = 1;
		return pf_info_any();
	}
	const unsigned char *q = r->p;
	r->p += l;
	if (c == '{')
		return pf_info_anychar();   /* a literal brace */
	return pf_info_char(r, q, l);
}

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
				if (pf_info_copy(m, &x))
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

/* A sequence of quantified atoms, up to "|" or ")" or the end. */
static info read_seq(reader *r)
{
	strset cur;
	int all_exact = 1;
	cnf req = CNF_EMPTY;
	elems es = {NULL, 0, 0};
	if (pf_set_single(&cur, "", 0))
		r->oom = 1;
	while (!r->bail && !r->oom && r->p < r->end && *r->p != '|' &&
	       *r->p != ')') {
		/* A plain character not quantified, after a single string:
		 * append it in place (most of a pattern is such). */
		unsigned char c = *r->p;
		if (cur.n == 1 && !strchr("\\()[]|.^$*+?{", c) && c != 0) {
			size_t l = qp_utf8_len(c);
			const unsigned char *q = r->p + l;
			unsigned char b[4];
			if (r->p + l <= r->end &&
			    (q >= r->end || !strchr("*+?{", *q) || !*q) &&
			    pf_lit_char(r, r->p, l, b)) {
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
			a = pf_quantify(r, a, min, max);
		if (r->bail) {
			pf_info_free(&a);
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
			pf_info_free(&a);
			continue;
		}
		if (a.exact && cur.n * a.ex.n <= EXACT_MAX) {
			strset p;
			if (pf_set_product(&cur, &a.ex, &p))
				r->oom = 1;
			pf_set_free(&cur);
			cur = p;
			pf_info_free(&a);
			continue;
		}
		all_exact = 0;
		pf_elems_add_set(r, &es, &cur);
		if (pf_cnf_take(&req, &cur))
			r->oom = 1;
		if (a.exact) {
			cur = pf_set_move(&a.ex);
			pf_info_free(&a);
			continue;
		}
		pf_elems_add(r, &es, &a);
		cnf more = pf_to_req(r, &a);
		for (size_t i = 0; i < more.n; i++)
			if (pf_cnf_take(&req, &more.v[i]))
				r->oom = 1;
		pf_cnf_free(&more);
		pf_info_free(&a);
		if (pf_set_single(&cur, "", 0))
			r->oom = 1;
	}
	info x = pf_info_any();
	if (all_exact) {
		pf_cnf_free(&req);
		free(es.v);
		x.exact = 1;
		x.nullable = 0;
		x.ex = cur;
		return x;
	}
	pf_elems_add_set(r, &es, &cur);
	pf_elems_finish(r, &es, &x);
	if (pf_cnf_take(&req, &cur))
		r->oom = 1;
	x.req = req;
	return x;
}

/* Alternatives separated by "|", up to ")" or the end. */
static info read_alt(reader *r)
{
	info *br = NULL;
	size_t nb = 0, cap = 0;
	for (;;) {
		if (qp_grow(&br, &cap, nb, sizeof *br)) {
			r->oom = 1;
			break;
		}
		br[nb++] = read_seq(r);
		if (r->bail || r->oom || r->p >= r->end || *r->p != '|')
			break;
		r->p++;
	}
	return pf_info_alt(r, br, nb);
}

/* --- a whole pattern ------------------------------------------------ */

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

int pf_read(qp_pf *pf, const char *pat, size_t len, int layer,
            strset *starts, cnf *needs)
{
	reader r = {(const unsigned char *)pat,
	            (const unsigned char *)pat + len, layer == 0, 0, 0, pf};
	*starts = (strset)SET_EMPTY;
	*needs = (cnf)CNF_EMPTY;
	info x = read_alt(&r);
	if (r.p != r.end)
		r.bail = 1;
	if (!r.bail && !r.oom) {
		int nullable;
		int k = pf_get_pre(&x, starts, &nullable);
		if (k < 0)
			r.oom = 1;
		pf_set_norm(starts);
		if (k <= 0 || nullable || !good_starts(starts))
			pf_set_free(starts);
		*needs = pf_to_req(&r, &x);
	}
	pf_info_free(&x);
	if (r.oom) {
		pf_set_free(starts);
		pf_cnf_free(needs);
		return -1;
	}
	return 0;
}
