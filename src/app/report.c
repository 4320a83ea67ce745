/*
 * report.c - what a run says on stderr (report.h): a message is built
 * whole (text, or JSON through the output layer's qp_render_message),
 * then written with one call, after the progress line is cleared, so
 * that lines from the writer thread never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib.h"
#include "output.h"
#include "report.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void qp_report_init(qp_report *r, int quiet, int errors_json, int progress)
{
	memset(r, 0, sizeof *r);
	r->quiet = quiet;
	r->errors_json = errors_json;
	r->progress = progress;
	r->start = now();
}

/* Before any message: the progress line goes (it is rewritten next). */
static void clear_progress(const qp_report *r)
{
	if (r->progress)
		fputs("\r\033[K", stderr);
}

/* One JSON line, or when even that could not be made (out of memory),
 * the text. */
static void put_json(char *line, const char *text)
{
	if (line)
		fprintf(stderr, "%s\n", line);
	else
		qp_diag("%s", text);
	free(line);
}

void qp_report_doc(const qp_report *r, const char *source, const char *key,
                   const char *msg, long long offset)
{
	if (r->quiet)
		return;
	clear_progress(r);
	if (!r->errors_json) {
		qp_diag("%s", msg);
		return;
	}
	size_t n = strlen(source);
	const char *reason = !strncmp(msg, source, n) && msg[n] == ':' &&
	                     msg[n + 1] == ' ' ? msg + n + 2 : msg;
	put_json(qp_render_message(source, key, reason, offset), msg);
}

void qp_report_doc_error(const qp_report *r, const char *source,
                         const char *fmt, ...)
{
	char reason[1024], *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (asprintf(&msg, "%s: %s", source, reason) < 0)
		msg = NULL;
	if (msg)
		qp_report_doc(r, source, "error", msg, -1);
	else if (!r->quiet)
		qp_diag("%s: %s", source, reason);
	free(msg);
}

void qp_report_run(const qp_report *r, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	clear_progress(r);
	if (r->errors_json)
		put_json(qp_render_message(NULL, "error", text, -1), text);
	else
		qp_diag("%s", text);
}

void qp_report_progress(qp_report *r, int final)
{
	if (!r->progress)
		return;
	double t = now();
	if (!final && t - r->last < 0.1)
		return;
	r->last = t;
	double secs = t - r->start;
	double mbs = secs > 0 ? r->bytes / 1e6 / secs : 0;
	if (r->total)
		fprintf(stderr, "\rqpan: %zu/%zu documents, %.1f MB/s ", r->done,
		        r->total, mbs);
	else
		fprintf(stderr, "\rqpan: %zu documents, %.1f MB/s ", r->done, mbs);
	if (final)
		fputc('\n', stderr);
}

void qp_report_stats(const qp_report *r)
{
	double secs = now() - r->start;
	qp_run_stats st = {r->done, r->up_to_date, r->failed, r->still_failing,
	                   r->pruned, r->bytes, secs};
	char text[320];
	snprintf(text, sizeof text, "%zu read, %zu up to date, %zu failed, "
	         "still failing: %zu, %zu pruned, %.0f bytes, %.2f s, %.1f MB/s",
	         st.read, st.up_to_date, st.failed, st.still_failing, st.pruned,
	         st.bytes, secs, secs > 0 ? st.bytes / 1e6 / secs : 0.0);
	if (r->errors_json)
		put_json(qp_render_stats(&st), text);
	else
		qp_diag("%s", text);
}
