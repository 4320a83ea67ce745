/*
 * pf_scan.c - one pass of the prefilter over a document, and the
 * questions asked of what it found (see prefilter.h, pf_impl.h).
 *
 *   qp_pf_scan(fold, norm)   the fold through layer 0's automaton,
 *                            lower-cased (pf_case.c) and every run of
 *                            white space read as one space; norm through
 *                            layer 1's as plain bytes
 *     -> h->group[layer][g]  the occurrences [s, e) of literal group g,
 *                            in the order they end
 *   qp_pf_may(c, a, b)       does one lie wholly inside [a, b)?
 *   qp_pf_next, qp_pf_starts where the next ones start ("ông" at 1204)
 *
 * A search starts with a galloping one (qp_gallop) from where the last
 * one in that list ended: the extractors go through a document in
 * order, so on a large one each costs O(log distance).  The hits are a
 * thread's own, reused from document to document; the qp_pf is shared.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pf_impl.h"

#define PF_MIN_BYTES 16384  /* text to see before building (qp_pf_scan) */

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
	size_t       ngroup[2], capgroup[2];
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
	/* On a 100 MB document these lists are the largest thing after
	 * the texts; the room doubling leaves is never written, so it is
	 * not resident (peak RSS as when they grew by half). */
	if (qp_grow(&v->v, &v->cap, v->n, sizeof *v->v))
		return -1;
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
		l = pf_lower_char(b, l);
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
			if (qp_grow_to(&h->group[l], &h->capgroup[l], ng,
			               sizeof *h->group[l]))
				return -1;
			memset(h->group[l] + h->ngroup[l], 0,
			       (ng - h->ngroup[l]) * sizeof *h->group[l]);
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

/* The end of occurrence k of the list at ctx (qp_gallop's key). */
static size_t occ_end(const void *ctx, size_t k)
{
	const occ *o = (const occ *)ctx + k;
	return OCC_E(o);
}

/* The first occurrence in v ending after x: a galloping search from
 * the finger, then a binary one (O(log distance)). */
static size_t first_ending_after(const occvec *cv, size_t x)
{
	occvec *v = (occvec *)cv;   /* only the finger changes */
	return qp_gallop(v->n, &v->finger, x, occ_end, v->v);
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
