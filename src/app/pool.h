/*
 * pool.h - run documents through the pipeline on N threads and hand the
 * outcomes back in submission order.
 *
 * The caller submits jobs from one thread; finished outcomes are passed
 * to `emit` on that same thread, strictly in the order submitted, so
 * the output of -j N is byte for byte the output of -j 1.  At most
 * `window` documents are in flight, which bounds memory whatever the
 * number of documents.  With one thread nothing is started: each job
 * runs inline.
 */
#ifndef QPAN_POOL_H
#define QPAN_POOL_H

#include <stddef.h>

#include "pipeline.h"

/* Called in order with each outcome; return nonzero to stop (output
 * failed): later submissions are then refused. */
typedef int (*qp_emit_fn)(const char *source, const qp_outcome *out,
                          void *ctx);

typedef struct qp_pool qp_pool;

qp_pool *qp_pool_new(int threads, const qp_pipeline_opts *o, qp_emit_fn emit,
                     void *ctx);
/* Submit a path (copied) that the walker found, or failed with err. */
int qp_pool_file(qp_pool *p, const char *path, int err);
/* Submit bytes in memory (taken over) named source (copied). */
int qp_pool_bytes(qp_pool *p, const char *source, char *raw, size_t len);
/* Submit a document that already failed (an unreadable record): its
 * message "source: why" comes out in order with the rest (why is
 * copied). */
int qp_pool_failed(qp_pool *p, const char *source, const char *why);
/* Wait for everything submitted, emit it, stop the threads, free the
 * pool.  Returns nonzero if emit asked to stop or a thread failed. */
int qp_pool_finish(qp_pool *p);

#endif
