/*
 * report.h - everything a run says on stderr besides usage: messages
 * about single documents and about the run, the --progress line and the
 * --stats summary, in the form the options chose.
 *
 *   emit (per outcome) --qp_report_doc--> "qpan: SOURCE: reason", or one
 *       {"source", "error"|"warning", "offset"} JSON line (--errors
 *       json), or nothing (--quiet)
 *   the run (output, manifest) --qp_report_run--> the same, source null;
 *       never silenced
 *   counters (read, failed, up to date, still failing, pruned, bytes)
 *       --qp_report_progress--> a line rewritten on a terminal
 *       --qp_report_stats--> one line (or {"stats": ...}) at the end
 *
 * A qp_report is a plain struct owned by the run (main.c); it allocates
 * nothing that outlives a call.
 */
#ifndef QPAN_REPORT_H
#define QPAN_REPORT_H

#include <stddef.h>

typedef struct {
	int    quiet;         /* --quiet: no per-document messages */
	int    errors_json;   /* --errors json */
	int    progress;      /* --progress, and stderr is a terminal */
	size_t done;          /* documents read (their outcomes emitted) */
	size_t total;         /* documents to do, 0: not known */
	size_t failed;        /* documents that failed this run */
	size_t up_to_date;    /* skipped: up to date */
	size_t still_failing; /* skipped: failed before, unchanged */
	size_t pruned;        /* outputs removed (--prune) */
	double bytes;         /* of the documents read */
	double start, last;   /* monotonic seconds: the run's start, the
	                       * last progress line */
} qp_report;

/* Start the clock; the flags as the options say. */
void qp_report_init(qp_report *r, int quiet, int errors_json, int progress);

/* A document's error or warning (key "error" or "warning"), msg
 * "SOURCE: reason" as the pipeline makes it; offset the byte it names,
 * or -1. */
void qp_report_doc(const qp_report *r, const char *source, const char *key,
                   const char *msg, long long offset);
/* A document's error, "reason" formatted here. */
void qp_report_doc_error(const qp_report *r, const char *source,
                         const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A message about the run, not one document (--quiet keeps it). */
void qp_report_run(const qp_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The --progress line, at most ten a second unless final (which ends
 * it with a line break).  Does nothing without --progress. */
void qp_report_progress(qp_report *r, int final);
/* The --stats line. */
void qp_report_stats(const qp_report *r);

#endif
