/*
 * pf_info.c - what is known of a part of a pattern, and how parts
 * combine (pf_impl.h); the reader (pf_read.c) calls these as it goes.
 *
 *   an atom      "ô" -> exact {"ô"}; "." or a class -> one unknown
 *                character; "^", "\b", "(?=..)" -> exact {""}
 *   quantified   "(?:đồng )?" -> exact {"", "đồng "}; "x+" needs what
 *                x needs and starts as x starts; "x*" needs nothing
 *   a sequence   (pf_read.c multiplies exact sets) the prefixes of the
 *                whole, from its parts (pf_elems_*)
 *   alternation  "ông|bà" -> exact {"bà", "ông"}; else one clause,
 *                the best clause of each branch united (pf_info_alt)
 *
 * Each info owns its sets; a function that takes one by value or says
 * "consumed" frees it.  An allocation that fails sets r->oom, and the
 * whole pattern is then given up by pf_read().
 */
#include <stdlib.h>
#include <string.h>

#include "pf_impl.h"

void pf_info_free(info *x)
{
	pf_set_free(&x->ex);
	pf_cnf_free(&x->req);
	pf_set_free(&x->pre);
	x->exact = 0;
	x->pre_ok = 0;
}

info pf_info_any(void)
{
	info x;
	memset(&x, 0, sizeof x);
	x.nullable = 1;
	return x;
}

info pf_info_anychar(void)
{
	info x;
	memset(&x, 0, sizeof x);
	return x;
}

int pf_get_pre(const info *x, strset *out, int *nullable)
{
	*out = (strset)SET_EMPTY;
	if (x->exact) {
		*nullable = 0;
		for (size_t i = 0; i < x->ex.n; i++) {
			if (!x->ex.v[i][0]) {
				*nullable = 1;
				continue;
			}
			if (pf_set_push(out, x->ex.v[i], strlen(x->ex.v[i])))
				return -1;
		}
		return 1;
	}
	*nullable = x->nullable;
	if (!x->pre_ok)
		return 0;
	for (size_t i = 0; i < x->pre.n; i++)
		if (pf_set_push(out, x->pre.v[i], strlen(x->pre.v[i])))
			return -1;
	return 1;
}

info pf_info_empty(reader *r)
{
	info x = pf_info_any();
	x.exact = 1;
	if (pf_set_single(&x.ex, "", 0))
		r->oom = 1;
	return x;
}

/* A caseless letter whose case partners are not known cannot be. */
int pf_lit_char(const reader *r, const unsigned char *p, size_t n,
                unsigned char *b)
{
	memcpy(b, p, n);
	return !r->caseless || pf_lower_lit(b, n);
}

info pf_info_char(reader *r, const unsigned char *p, size_t n)
{
	unsigned char b[4];
	if (!pf_lit_char(r, p, n, b))
		return pf_info_anychar();   /* case partners unknown */
	info x = pf_info_any();
	x.exact = 1;
	if (pf_set_single(&x.ex, (const char *)b, n))
		r->oom = 1;
	return x;
}

cnf pf_to_req(reader *r, info *x)
{
	cnf c = CNF_EMPTY;
	if (x->exact) {
		if (!pf_set_has(&x->ex, "") && pf_cnf_take(&c, &x->ex))
			r->oom = 1;
		pf_set_free(&x->ex);
		x->exact = 0;
		return c;
	}
	return pf_cnf_move(&x->req);
}

int pf_info_copy(const info *a, info *out)
{
	*out = pf_info_any();
	out->exact = a->exact;
	out->nullable = a->nullable;
	out->pre_ok = a->pre_ok;
	if (pf_set_copy(&a->ex, &out->ex) || pf_set_copy(&a->pre, &out->pre))
		return -1;
	out->req.v = calloc(a->req.n + 1, sizeof *out->req.v);
	if (!out->req.v)
		return -1;
	out->req.cap = a->req.n + 1;
	for (size_t i = 0; i < a->req.n; i++) {
		if (pf_set_copy(&a->req.v[i], &out->req.v[i]))
			return -1;
		out->req.n++;
	}
	return 0;
}

/* Is x exactly one space (what \s and "[ ]" read as in the fold)? */
static int is_space_atom(const info *x)
{
	return x->exact && x->ex.n == 1 && !strcmp(x->ex.v[0], " ");
}

info pf_quantify(reader *r, info x, long min, long max)
{
	if (min == 1 && max == 1)
		return x;
	/* The fold layer's literals are looked for with every run of white
	 * space read as one space, so a run of spaces is one space. */
	if (r->caseless && is_space_atom(&x)) {
		if (min == 0 && pf_set_add(&x.ex, "", 0))
			r->oom = 1;
		return x;
	}
	if (min == 0 && x.exact && max == 1) {
		if (pf_set_add(&x.ex, "", 0))
			r->oom = 1;
		return x;
	}
	/* A non-empty match starts with a non-empty match of one copy; at
	 * least once, what one copy needs, the whole needs. */
	info y = pf_info_anychar();
	int nullable;
	int k = pf_get_pre(&x, &y.pre, &nullable);
	if (k < 0)
		r->oom = 1;
	y.pre_ok = k > 0;
	y.nullable = min == 0 || nullable;
	if (min > 0)
		y.req = pf_to_req(r, &x);
	pf_info_free(&x);
	return y;
}

void pf_elems_add(reader *r, elems *es, const info *x)
{
	if (qp_grow(&es->v, &es->cap, es->n, sizeof *es->v)) {
		r->oom = 1;
		return;
	}
	elem *e = &es->v[es->n];
	int k = pf_get_pre(x, &e->pre, &e->nullable);
	if (k < 0)
		r->oom = 1;
	e->ok = k > 0;
	es->n++;
}

void pf_elems_add_set(reader *r, elems *es, const strset *s)
{
	info x = pf_info_anychar();
	x.exact = 1;
	x.ex = *s;
	pf_elems_add(r, es, &x);
}

/* From the last part back: a part that cannot be empty starts all that
 * follows it; an optional one adds its prefixes to theirs. */
void pf_elems_finish(reader *r, elems *es, info *x)
{
	int ok = 1, nullable = 1;
	strset pre = SET_EMPTY;
	for (size_t k = es->n; k-- > 0;) {
		elem *e = &es->v[k];
		if (!e->nullable) {
			pf_set_free(&pre);
			pre = pf_set_move(&e->pre);
			ok = e->ok;
			nullable = 0;
		} else {
			for (size_t i = 0; i < e->pre.n; i++) {
				const char *s = e->pre.v[i];
				if (pf_set_push(&pre, s, strlen(s)))
					r->oom = 1;
			}
			ok &= e->ok;
		}
	}
	for (size_t k = 0; k < es->n; k++)
		pf_set_free(&es->v[k].pre);
	free(es->v);
	*es = (elems){NULL, 0, 0};
	pf_set_norm(&pre);
	if (!ok || pre.n > CLAUSE_MAX) {
		pf_set_free(&pre);
		ok = 0;
	}
	x->pre = pre;
	x->pre_ok = ok;
	x->nullable = nullable;
}

info pf_info_alt(reader *r, info *br, size_t nb)
{
	info x = pf_info_any();
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
		x.ex.cap = total + 1;
		for (size_t i = 0; i < nb; i++) {
			for (size_t k = 0; k < br[i].ex.n; k++)
				x.ex.v[x.ex.n++] = br[i].ex.v[k];
			br[i].ex.n = 0;
		}
		pf_set_norm(&x.ex);
		goto out;
	}
	/* The prefixes: those of every branch. */
	x.pre_ok = 1;
	x.nullable = 0;
	for (size_t i = 0; i < nb; i++) {
		strset p;
		int nullable;
		int k = pf_get_pre(&br[i], &p, &nullable);
		if (k < 0)
			r->oom = 1;
		x.nullable |= nullable;
		x.pre_ok &= k > 0;
		for (size_t j = 0; j < p.n && x.pre_ok; j++)
			if (pf_set_push(&x.pre, p.v[j], strlen(p.v[j])))
				r->oom = 1;
		pf_set_free(&p);
	}
	pf_set_norm(&x.pre);
	if (!x.pre_ok || x.pre.n > CLAUSE_MAX) {
		x.pre_ok = 0;
		pf_set_free(&x.pre);
	}
	/* One clause: the best clause of each branch, united. */
	strset u = SET_EMPTY;
	for (size_t i = 0; i < nb; i++) {
		cnf c = pf_to_req(r, &br[i]);
		const strset *best = NULL;
		for (size_t k = 0; k < c.n; k++)
			if (!best || pf_better(&c.v[k], best))
				best = &c.v[k];
		if (!best) {
			pf_cnf_free(&c);
			pf_set_free(&u);
			goto out;   /* a branch that needs nothing */
		}
		for (size_t k = 0; k < best->n; k++)
			if (pf_set_push(&u, best->v[k], strlen(best->v[k])))
				r->oom = 1;
		pf_cnf_free(&c);
	}
	pf_set_norm(&u);
	if (pf_cnf_take(&x.req, &u))
		r->oom = 1;
out:
	for (size_t i = 0; i < nb; i++)
		pf_info_free(&br[i]);
	free(br);
	return x;
}
