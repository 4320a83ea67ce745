/*
 * pool.c - an ordered worker pool (see pool.h).
 *
 * Jobs live in a ring of `window` slots indexed by sequence number.
 * Three counters move forward: `submitted` (the caller filled the
 * slot), `taken` (a worker claimed it) and `emitted` (the caller printed
 * it).  Workers sleep on `work` until taken < submitted; the caller
 * sleeps on `done` until the slot at `emitted` is finished.  Outcomes
 * are emitted outside the lock, so writing never blocks the workers
 * for longer than the ring allows.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#define WINDOW_PER_THREAD 16

enum { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

typedef struct {
	int        state;
	char      *source;   /* owned */
	int        err;      /* walker error for a file job */
	char      *raw;      /* bytes job when not NULL (owned until run) */
	size_t     len;
	int        bytes_job;
	char       *why;     /* a job that failed before it ran (a copy) */
	qp_outcome out;
} slot;

struct qp_pool {
	const qp_pipeline_opts *o;
	qp_emit_fn      emit;
	void           *ctx;
	int             nthreads;
	pthread_t      *threads;
	qp_matcher     *inline_matcher;   /* used when nthreads == 1 */
	slot           *ring;
	size_t          window;
	size_t          submitted, taken, emitted;
	int             closing, stopped, failed;
	pthread_mutex_t lock;
	pthread_cond_t  work, done;
};

static void run_slot(const qp_pool *p, qp_matcher *m, slot *s)
{
	if (s->why) {
		size_t n = strlen(s->source) + strlen(s->why) + 3;
		memset(&s->out, 0, sizeof s->out);
		s->out.offset = -1;
		if ((s->out.error = malloc(n)))
			snprintf(s->out.error, n, "%s: %s", s->source, s->why);
	} else if (s->bytes_job) {
		qp_pipeline_bytes(p->o, m, s->source, s->raw, s->len, &s->out);
		s->raw = NULL;
	} else {
		qp_pipeline_file(p->o, m, s->source, s->err, &s->out);
	}
}

static void *worker(void *arg)
{
	qp_pool *p = arg;
	qp_matcher *m = qp_matcher_new(p->o->rules);
	int ok = m != NULL;
	pthread_mutex_lock(&p->lock);
	if (!ok)
		p->failed = 1;
	for (;;) {
		while (p->taken == p->submitted && !p->closing)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->taken == p->submitted)
			break;
		slot *s = &p->ring[p->taken++ % p->window];
		pthread_mutex_unlock(&p->lock);
		if (ok)
			run_slot(p, m, s);   /* else: no json, no error: emit()
			                      * says "SOURCE: out of memory" */
		pthread_mutex_lock(&p->lock);
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	qp_matcher_free(m);
	return NULL;
}

/* Emit finished slots at the head of the ring; with wait, block until
 * the head is finished.  Called and returns with the lock held. */
static void drain(qp_pool *p, int wait)
{
	while (p->emitted < p->submitted) {
		slot *s = &p->ring[p->emitted % p->window];
		if (s->state != SLOT_DONE) {
			if (!wait)
				return;
			pthread_cond_wait(&p->done, &p->lock);
			continue;
		}
		pthread_mutex_unlock(&p->lock);
		if (!p->stopped && p->emit(s->source, &s->out, p->ctx))
			p->stopped = 1;
		qp_outcome_free(&s->out);
		free(s->source);
		free(s->raw);
		free(s->why);
		s->source = s->raw = s->why = NULL;
		pthread_mutex_lock(&p->lock);
		s->state = SLOT_FREE;
		p->emitted++;
		if (wait == 1)
			wait = 0;   /* one slot freed: enough to submit */
	}
}

qp_pool *qp_pool_new(int threads, const qp_pipeline_opts *o, qp_emit_fn emit,
                     void *ctx)
{
	qp_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->o = o;
	p->emit = emit;
	p->ctx = ctx;
	p->nthreads = threads < 1 ? 1 : threads;
	p->window = p->nthreads == 1 ? 1 : (size_t)p->nthreads * WINDOW_PER_THREAD;
	p->ring = calloc(p->window, sizeof *p->ring);
	if (!p->ring)
		goto fail;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (p->nthreads == 1) {
		if (!(p->inline_matcher = qp_matcher_new(o->rules)))
			goto fail;
		return p;
	}
	p->threads = calloc((size_t)p->nthreads, sizeof *p->threads);
	if (!p->threads)
		goto fail;
	for (int i = 0; i < p->nthreads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p)) {
			/* Run with the threads that did start. */
			p->nthreads = i;
			break;
		}
	}
	if (p->nthreads == 0)
		goto fail;
	return p;
fail:
	free(p->threads);
	free(p->ring);
	free(p);
	return NULL;
}

static int submit(qp_pool *p, const char *source, int err, char *raw,
                  size_t len, int bytes_job, const char *why)
{
	if (p->stopped) {
		free(raw);
		return -1;
	}
	char *src = strdup(source), *w = why ? strdup(why) : NULL;
	if (!src || (why && !w)) {
		free(src);
		free(w);
		/* Not even the name could be copied: the document fails with
		 * "out of memory" in its place (an outcome with neither json
		 * nor error), after those before it, and the walk goes on. */
		qp_outcome none = {0};
		none.offset = -1;
		free(raw);
		if (p->threads) {
			pthread_mutex_lock(&p->lock);
			drain(p, 2);
			pthread_mutex_unlock(&p->lock);
		}
		if (!p->stopped && p->emit(source, &none, p->ctx))
			p->stopped = 1;
		return p->stopped ? -1 : 0;
	}
	if (!p->threads) {
		slot s = {SLOT_DONE, src, err, raw, len, bytes_job, w, {0}};
		run_slot(p, p->inline_matcher, &s);
		if (!p->stopped && p->emit(s.source, &s.out, p->ctx))
			p->stopped = 1;
		qp_outcome_free(&s.out);
		free(s.source);
		free(s.raw);
		free(s.why);
		return p->stopped ? -1 : 0;
	}
	pthread_mutex_lock(&p->lock);
	while (p->submitted - p->emitted == p->window)
		drain(p, 1);
	slot *s = &p->ring[p->submitted % p->window];
	s->state = SLOT_QUEUED;
	s->source = src;
	s->err = err;
	s->raw = raw;
	s->len = len;
	s->bytes_job = bytes_job;
	s->why = w;
	memset(&s->out, 0, sizeof s->out);
	p->submitted++;
	pthread_cond_signal(&p->work);
	drain(p, 0);
	int stopped = p->stopped;
	pthread_mutex_unlock(&p->lock);
	return stopped ? -1 : 0;
}

int qp_pool_file(qp_pool *p, const char *path, int err)
{
	return submit(p, path, err, NULL, 0, 0, NULL);
}

int qp_pool_bytes(qp_pool *p, const char *source, char *raw, size_t len)
{
	return submit(p, source, 0, raw, len, 1, NULL);
}

int qp_pool_failed(qp_pool *p, const char *source, const char *why)
{
	return submit(p, source, 0, NULL, 0, 0, why);
}

int qp_pool_finish(qp_pool *p)
{
	int rc;
	if (p->threads) {
		pthread_mutex_lock(&p->lock);
		drain(p, 2);
		p->closing = 1;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->lock);
		for (int i = 0; i < p->nthreads; i++)
			pthread_join(p->threads[i], NULL);
		free(p->threads);
	} else {
		qp_matcher_free(p->inline_matcher);
	}
	rc = p->stopped || p->failed;
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p->ring);
	free(p);
	return rc;
}
