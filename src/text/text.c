/*
 * text.c - growable UTF-8 buffer with a source offset map, dense or as
 * runs (see text.h for the model).  Growth is geometric, so building a
 * text of n bytes costs O(n) however it is appended; a run map grows by
 * one run only where the rule of the last run does not already give the
 * offsets of the new bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

void qp_text_init(qp_text *t)
{
	memset(t, 0, sizeof *t);
}

void qp_text_init_runs(qp_text *t)
{
	memset(t, 0, sizeof *t);
	t->runs_mode = 1;
}

void qp_text_free(qp_text *t)
{
	int runs = t->runs_mode;
	free(t->s);
	free(t->src);
	free(t->runs);
	memset(t, 0, sizeof *t);
	t->runs_mode = runs;
}

void qp_text_shrink(qp_text *t)
{
	if (t->src || t->len + 1 >= t->cap)
		return;
	char *s = realloc(t->s, t->len + 1);
	if (s) {
		t->s = s;
		t->cap = t->len + 1;
	}
	if (t->nruns < t->capruns) {
		qp_run *r = realloc(t->runs, (t->nruns ? t->nruns : 1) * sizeof *r);
		if (r) {
			t->runs = r;
			t->capruns = t->nruns ? t->nruns : 1;
		}
	}
}

void qp_text_clear(qp_text *t)
{
	t->len = 0;
	t->nruns = 0;
	t->src_len = 0;
}

int qp_text_reserve(qp_text *t, size_t n)
{
	if (n > SIZE_MAX / 16 - t->len - 1)
		return -1;
	size_t need = t->len + n + 1;
	if (need <= t->cap)
		return 0;
	/* The map first: t->cap must never promise more map than there is.
	 * Both grow from the same capacity to the same new one. */
	size_t cap = t->cap, mapcap = t->cap;
	if (!t->runs_mode && qp_grow_to(&t->src, &mapcap, need, sizeof *t->src))
		return -1;
	if (qp_grow_to(&t->s, &cap, need, 1))
		return -1;
	t->cap = cap;
	return 0;
}

static int new_run(qp_text *t, size_t from, int kind)
{
	if (qp_grow(&t->runs, &t->capruns, t->nruns, sizeof *t->runs))
		return -1;
	t->runs[t->nruns].at = t->len;
	t->runs[t->nruns].from = from;
	t->runs[t->nruns].kind = kind;
	t->nruns++;
	return 0;
}

/* The offset the last run gives the next byte, were it the first byte
 * of a character; (size_t)-1 when there is no run. */
static size_t next_from(const qp_text *t)
{
	if (!t->nruns)
		return (size_t)-1;
	const qp_run *r = &t->runs[t->nruns - 1];
	return r->kind == QP_RUN_CONST ? r->from : r->from + (t->len - r->at);
}

static int is_ascii(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return 0;
	return 1;
}

/* Runs: account for n bytes about to be appended at t->len.  how is
 * QP_RUN_COPY (one to one), QP_RUN_CHAR (one character) or QP_RUN_CONST
 * (all to one offset). */
static int runs_add(qp_text *t, const char *p, size_t n, size_t from, int how)
{
	if (n == 0)
		return 0;
	/* A single byte, or a put of exactly one character, maps the same
	 * way under every rule that starts it at `from`. */
	if (how == QP_RUN_CONST && (n == 1 || qp_utf8_len((unsigned char)p[0]) == n))
		how = QP_RUN_CHAR;
	if (how == QP_RUN_CHAR && n == 1)
		how = QP_RUN_COPY;
	if (t->nruns) {
		const qp_run *r = &t->runs[t->nruns - 1];
		size_t nf = next_from(t);
		switch (r->kind) {
		case QP_RUN_COPY:
			if (how == QP_RUN_COPY && from == nf)
				return 0;
			break;
		case QP_RUN_CHAR:
			if (from == nf && (how == QP_RUN_CHAR ||
			                   (how == QP_RUN_COPY && is_ascii(p, n))))
				return 0;
			break;
		case QP_RUN_CONST:
			/* Only bytes that all map to the same offset. */
			if (from == r->from &&
			    (how == QP_RUN_CONST || n == 1 ||
			     (how == QP_RUN_CHAR && qp_utf8_len((unsigned char)p[0]) == n)))
				return 0;
			break;
		}
	}
	return new_run(t, from, how);
}

/* What an append's bytes map to: all to `from` (CONST, a replacement),
 * one character made from one (CHAR), whole characters each made from
 * the one at the same place (CHARS), or one to one (COPY). */
enum { PUT_CONST, PUT_CHAR, PUT_CHARS, PUT_COPY };

/* Append n bytes mapped as `how` says (a constant in every caller, so
 * each public function below is this, specialized). */
static inline int append(qp_text *t, const char *p, size_t n, size_t from,
                         int how)
{
	if (qp_text_reserve(t, n))
		return -1;
	if (t->runs_mode) {
		int kind = how == PUT_CONST ? QP_RUN_CONST
		         : how == PUT_CHAR  ? QP_RUN_CHAR
		         : how == PUT_COPY  ? QP_RUN_COPY
		         : is_ascii(p, n)   ? QP_RUN_COPY : QP_RUN_CHAR;
		if (runs_add(t, p, n, from, kind))
			return -1;
	} else if (how == PUT_CONST || how == PUT_CHAR) {
		for (size_t i = 0; i < n; i++)
			t->src[t->len + i] = from;
	} else if (how == PUT_COPY) {
		for (size_t i = 0; i < n; i++)
			t->src[t->len + i] = from + i;
	} else {
		size_t c = 0;
		for (size_t i = 0; i < n; i++) {
			if (!qp_utf8_cont((unsigned char)p[i]))
				c = i;
			t->src[t->len + i] = from + c;
		}
	}
	memcpy(t->s + t->len, p, n);
	t->len += n;
	return 0;
}

int qp_text_put(qp_text *t, const char *p, size_t n, size_t from)
{
	return append(t, p, n, from, PUT_CONST);
}

int qp_text_put_char(qp_text *t, const char *p, size_t n, size_t from)
{
	return append(t, p, n, from, PUT_CHAR);
}

int qp_text_put_chars(qp_text *t, const char *p, size_t n, size_t from)
{
	return append(t, p, n, from, PUT_CHARS);
}

int qp_text_copy(qp_text *t, const char *p, size_t n, size_t from)
{
	return append(t, p, n, from, PUT_COPY);
}

int qp_text_finish(qp_text *t, size_t source_len)
{
	if (qp_text_reserve(t, 0))
		return -1;
	t->s[t->len] = '\0';
	if (t->runs_mode)
		t->src_len = source_len;
	else
		t->src[t->len] = source_len;
	return 0;
}

static size_t run_at_key(const void *t, size_t k)
{
	return ((const qp_text *)t)->runs[k].at;
}

static size_t run_from_key(const void *t, size_t k)
{
	return (size_t)((const qp_text *)t)->runs[k].from;
}

/* The first run k in [0, nruns] with key(k) > x, where key is the run's
 * `at` (by_from 0) or `from` (by_from 1), both non-decreasing: a
 * galloping search from the finger (lib.h). */
static size_t first_run_above(const qp_text *ct, size_t x, int by_from)
{
	qp_text *t = (qp_text *)ct;   /* only the finger changes */
	size_t f = t->finger;
	size_t lo = by_from ? qp_gallop(t->nruns, &f, x, run_from_key, t)
	                    : qp_gallop(t->nruns, &f, x, run_at_key, t);
	t->finger = lo ? lo - 1 : 0;
	return lo;
}

/* The run holding byte i < len. */
static const qp_run *run_at(const qp_text *t, size_t i)
{
	size_t k = first_run_above(t, i, 0);   /* runs[0].at is 0 */
	return &t->runs[k ? k - 1 : 0];
}

static size_t run_src(const qp_text *t, const qp_run *r, size_t i)
{
	switch (r->kind) {
	case QP_RUN_COPY:
		return r->from + (i - r->at);
	case QP_RUN_CHAR:
		return r->from + (qp_utf8_back(t->s, r->at, i) - r->at);
	default:
		return r->from;
	}
}

size_t qp_text_src_runs(const qp_text *t, size_t i)
{
	if (i >= t->len || !t->nruns)
		return t->src_len;
	return run_src(t, run_at(t, i), i);
}

size_t qp_text_lower_bound_runs(const qp_text *t, size_t off)
{
	/* Offsets never decrease, so neither do the runs' first ones: the
	 * first run starting at or past off is the answer unless the run
	 * before it reaches off. */
	size_t lo = off ? first_run_above(t, off - 1, 1) : 0;
	size_t at = lo < t->nruns ? t->runs[lo].at : t->len;
	if (lo == 0)
		return at;
	const qp_run *r = &t->runs[lo - 1];
	if (r->kind == QP_RUN_CONST)
		return at;
	size_t j = r->at + (off - r->from);
	if (j >= at)
		return at;
	return r->kind == QP_RUN_CHAR ? qp_utf8_fwd(t->s, j, at) : j;
}

int qp_text_remap(qp_text *t, const qp_text *via)
{
	size_t src_len = qp_text_src(via, qp_text_src(t, t->len));
	if (!t->runs_mode) {
		for (size_t i = 0; i < t->len; i++)
			t->src[i] = qp_text_src(via, t->src[i]);
		t->src[t->len] = src_len;
		return 0;
	}
	/* Rebuild the runs character by character over the same bytes. */
	qp_text n;
	qp_text_init_runs(&n);
	n.s = t->s;
	n.cap = t->cap;
	int rc = 0;
	for (size_t i = 0; i < t->len && !rc;) {
		size_t l = qp_utf8_len((unsigned char)t->s[i]);
		if (l > t->len - i)
			l = t->len - i;
		size_t v0 = qp_text_src(via, qp_text_src(t, i));
		int same = 1, seq = 1;
		for (size_t k = 1; k < l; k++) {
			size_t v = qp_text_src(via, qp_text_src(t, i + k));
			same &= v == v0;
			seq &= v == v0 + k;
		}
		if (same || seq) {
			rc = runs_add(&n, t->s + i, l, v0, same && l > 1 ? QP_RUN_CHAR
			                                                  : QP_RUN_COPY);
			n.len += l;
		} else {
			for (size_t k = 0; k < l && !rc; k++) {
				rc = runs_add(&n, t->s + i + k, 1,
				              qp_text_src(via, qp_text_src(t, i + k)),
				              QP_RUN_COPY);
				n.len++;
			}
		}
		i += l;
	}
	if (rc) {
		free(n.runs);
		return -1;
	}
	free(t->runs);
	t->runs = n.runs;
	t->nruns = n.nruns;
	t->capruns = n.capruns;
	t->src_len = src_len;
	return 0;
}

size_t qp_text_lower_bound(const qp_text *t, size_t off)
{
	if (t->runs_mode)
		return qp_text_lower_bound_runs(t, off);
	size_t lo = 0, hi = t->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->src[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
