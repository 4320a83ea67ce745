/*
 * pf_build.c - the prefilter's registry of patterns and clauses, and
 * its automata (see prefilter.h, pf_impl.h).
 *
 *   qp_pf_add(pattern, layer)   kept as given: a run that scans nothing
 *                               reads nothing
 *   qp_pf_build, once           (under pf->lock; later calls return at
 *                               once)
 *     each pattern -> pf_read() -> start strings, clauses
 *       -> intern()             clause ids, one per distinct clause of
 *                               a layer ({"bà", "ông"} is shared)
 *     -> au_build(layer)        the clauses' distinct literals, their
 *                               groups (literals in the same clauses)
 *                               and an Aho-Corasick DFA over byte classes
 *   qp_pf_clauses(id)           a pattern's clause ids, for match.c
 *
 * Everything here is read-only once built: the scans (pf_scan.c) of
 * several threads share it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pf_impl.h"

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
	pf_memo_free(pf);
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

/* Clause c on stderr: '  [3] needs L0 n=2: "bà" "ông"'. */
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

/* --- clauses and patterns ------------------------------------------- */

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
			n = qp_utf8_back(s->v[i], 0, LIT_MAX);
			s->v[i][n] = '\0';
		}
	}
	pf_set_norm(s);
}

/* The id of clause s in layer (added if new; s is consumed). */
static long intern(qp_pf *pf, int layer, int prefix, strset *s)
{
	norm_literals(s, layer);   /* sorted too */
	for (size_t i = 0; i < pf->ncl; i++) {
		clause *c = &pf->cl[i];
		if (c->layer != layer || c->prefix != prefix || c->n != s->n)
			continue;
		size_t k = 0;
		while (k < s->n && !strcmp(c->lits[k], s->v[k]))
			k++;
		if (k == s->n) {
			pf_set_free(s);
			return (long)i;
		}
	}
	if (qp_grow(&pf->cl, &pf->capcl, pf->ncl, sizeof *pf->cl)) {
		pf_set_free(s);
		return -1;
	}
	clause *c = &pf->cl[pf->ncl];
	memset(c, 0, sizeof *c);
	c->layer = layer;
	c->prefix = prefix;
	c->n = s->n;
	c->lits = pf_set_move(s).v;
	return (long)pf->ncl++;
}

long qp_pf_add(qp_pf *pf, const char *pat, size_t len, int layer)
{
	if (qp_grow(&pf->pats, &pf->cappats, pf->npats, sizeof *pf->pats))
		return -1;
	pattern *p = &pf->pats[pf->npats];
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

/* Read pattern p; its start strings and clauses become clause ids. */
static int read_pattern(qp_pf *pf, pattern *p)
{
	strset starts;
	cnf c;
	if (pf_read(pf, p->pat, p->len, p->layer, &starts, &c))
		return -1;
	if (starts.n) {
		long id = intern(pf, p->layer, 1, &starts);
		if (id < 0) {
			pf_cnf_free(&c);
			return -1;
		}
		p->starts = (uint32_t)id;
	}
	if (c.n) {
		p->clauses = malloc(c.n * sizeof *p->clauses);
		if (!p->clauses) {
			pf_cnf_free(&c);
			return -1;
		}
		for (size_t i = 0; i < c.n; i++) {
			long id = intern(pf, p->layer, 0, &c.v[i]);
			if (id < 0) {
				pf_cnf_free(&c);
				free(p->clauses);
				p->clauses = NULL;
				p->nclauses = 0;
				return -1;
			}
			p->clauses[p->nclauses++] = (uint32_t)id;
		}
	}
	pf_cnf_free(&c);
	return 0;
}

/* --- the automata --------------------------------------------------- */

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
				if (qp_grow(&c->groups, &c->capgroups,
				            c->ngroups, sizeof *c->groups)) {
					free(seen);
					goto nomem;
				}
				c->groups[c->ngroups++] = a->group[l];
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

/* --- building, once ------------------------------------------------- */

static int build(qp_pf *pf)
{
	pf_case_init();
	for (size_t i = 0; i < pf->npats; i++)
		if (read_pattern(pf, &pf->pats[i]))
			return -1;
	pf_memo_free(pf);
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
