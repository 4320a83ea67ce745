/*
 * print.c - write the output object in the field order of SPEC.md.
 * Spans are mapped from norm to input bytes here, the only place that
 * knows about both; "text" is cut from norm.
 *
 * The JSON is written straight into one growing buffer, in the bytes
 * cJSON would print for the same tree (cJSON_PrintUnformatted, and
 * cJSON_Print for --pretty: the same escapes, number formats, tabs and
 * separators), without building a tree of nodes and strings first.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

#include "print.h"

#define MAX_DEPTH 32

/* The writer: the buffer, and per open object or array whether it
 * still has no member. */
typedef struct {
	char  *s;
	size_t n, cap;
	int    pretty;
	int    depth;
	int    empty[MAX_DEPTH];
	int    oom;
} jw;

static void grow(jw *w, size_t more)
{
	if (w->oom || w->n + more + 1 <= w->cap)
		return;
	size_t cap = w->cap ? w->cap : 1024;
	while (cap < w->n + more + 1)
		cap *= 2;
	char *s = realloc(w->s, cap);
	if (!s) {
		w->oom = 1;
		return;
	}
	w->s = s;
	w->cap = cap;
}

static void put(jw *w, const char *p, size_t n)
{
	grow(w, n);
	if (w->oom)
		return;
	memcpy(w->s + w->n, p, n);
	w->n += n;
}

static void putc1(jw *w, char c)
{
	grow(w, 1);
	if (!w->oom)
		w->s[w->n++] = c;
}

static void tabs(jw *w, int n)
{
	grow(w, (size_t)(n > 0 ? n : 0));
	for (int i = 0; i < n && !w->oom; i++)
		w->s[w->n++] = '\t';
}

/* A JSON string of p[0..n) as cJSON escapes it: " \ and the control
 * characters; other bytes as they are. */
static void str(jw *w, const char *p, size_t n)
{
	grow(w, n + 2);
	if (w->oom)
		return;
	w->s[w->n++] = '"';
	size_t i = 0;
	while (i < n) {
		size_t k = i;
		while (k < n && (unsigned char)p[k] >= 32 && p[k] != '"' &&
		       p[k] != '\\')
			k++;
		put(w, p + i, k - i);
		if (k == n)
			break;
		unsigned char c = (unsigned char)p[k];
		char esc[8];
		switch (c) {
		case '"': put(w, "\\\"", 2); break;
		case '\\': put(w, "\\\\", 2); break;
		case '\b': put(w, "\\b", 2); break;
		case '\f': put(w, "\\f", 2); break;
		case '\n': put(w, "\\n", 2); break;
		case '\r': put(w, "\\r", 2); break;
		case '\t': put(w, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			put(w, esc, 6);
		}
		i = k + 1;
	}
	putc1(w, '"');
}

/* A member name, with what goes before it. */
static void key(jw *w, const char *k)
{
	if (!w->empty[w->depth - 1]) {
		putc1(w, ',');
		if (w->pretty)
			putc1(w, '\n');
	}
	w->empty[w->depth - 1] = 0;
	if (w->pretty)
		tabs(w, w->depth);
	str(w, k, strlen(k));
	putc1(w, ':');
	if (w->pretty)
		putc1(w, '\t');
}

/* An element of an array: the separator before all but the first. */
static void elem(jw *w)
{
	if (!w->empty[w->depth - 1]) {
		putc1(w, ',');
		if (w->pretty)
			putc1(w, ' ');
	}
	w->empty[w->depth - 1] = 0;
}

/* Open an object or an array (its key() or elem() comes first). */
static void open(jw *w, char c)
{
	putc1(w, c);
	if (w->depth < MAX_DEPTH)
		w->empty[w->depth] = 1;
	w->depth++;
	if (c == '{' && w->pretty)
		putc1(w, '\n');
}

static void close_obj(jw *w)
{
	if (w->pretty) {
		if (!w->empty[w->depth - 1])
			putc1(w, '\n');
		tabs(w, w->depth - 1);
	}
	putc1(w, '}');
	w->depth--;
}

static void close_arr(jw *w)
{
	putc1(w, ']');
	w->depth--;
}

static void null(jw *w)
{
	put(w, "null", 4);
}

/* A number as cJSON prints it: an integer when the value is its int
 * (clamped to int), else %1.15g, or %1.17g when that does not read
 * back as the same double. */
static void num(jw *w, double d)
{
	char b[32];
	int valueint = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN
	                                                             : (int)d;
	int len;
	if (isnan(d) || isinf(d)) {
		len = snprintf(b, sizeof b, "null");
	} else if (d == (double)valueint) {
		len = snprintf(b, sizeof b, "%d", valueint);
	} else {
		double test = 0.0;
		len = snprintf(b, sizeof b, "%1.15g", d);
		int ok = sscanf(b, "%lg", &test) == 1;
		double maxv = fabs(test) > fabs(d) ? fabs(test) : fabs(d);
		if (!ok || !(fabs(test - d) <= maxv * DBL_EPSILON))
			len = snprintf(b, sizeof b, "%1.17g", d);
	}
	put(w, b, (size_t)len);
}

static void kstr(jw *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		str(w, v, strlen(v));
	else
		null(w);
}

static void knum(jw *w, const char *k, double v)
{
	key(w, k);
	num(w, v);
}

static void knull(jw *w, const char *k)
{
	key(w, k);
	null(w);
}

/* norm[s..e) as a string. */
static void norm_str(jw *w, const qp_doc *d, qp_span sp)
{
	str(w, d->norm.s + sp.s, sp.e - sp.s);
}

/* A span as a string, or null when empty. */
static void span_or_null(jw *w, const char *k, const qp_doc *d, qp_span sp)
{
	key(w, k);
	if (sp.e > sp.s)
		norm_str(w, d, sp);
	else
		null(w);
}

/* "text" and "span" for sp. */
static void evidence(jw *w, const qp_doc *d, qp_span sp)
{
	key(w, "text");
	norm_str(w, d, sp);
	key(w, "span");
	open(w, '[');
	elem(w);
	num(w, (double)qp_text_src(&d->norm, sp.s));
	elem(w);
	num(w, (double)qp_text_src(&d->norm, sp.e));
	close_arr(w);
}

/* With --explain, the id of the rule behind an item. */
static void rule(jw *w, const char *id, int explain)
{
	if (explain && id)
		kstr(w, "rule", id);
}

static void meeting_object(jw *w, const qp_doc *d, const qp_result *r,
                           int explain)
{
	const qp_meeting *mt = &r->meeting;
	open(w, '{');
	if (mt->found && mt->year) {
		char date[16];
		snprintf(date, sizeof date, "%04d-%02d-%02d", mt->year, mt->month,
		         mt->day);
		kstr(w, "date", date);
	} else {
		knull(w, "date");
	}
	kstr(w, "time_of_day", mt->time_of_day);
	if (mt->report_year)
		knum(w, "report_year", mt->report_year);
	else
		knull(w, "report_year");
	if (mt->plan_year)
		knum(w, "plan_year", mt->plan_year);
	else
		knull(w, "plan_year");
	key(w, "organizers");
	open(w, '[');
	for (size_t i = 0; i < mt->norganizers; i++) {
		elem(w);
		str(w, mt->organizers[i], strlen(mt->organizers[i]));
	}
	close_arr(w);
	if (mt->locality.e > mt->locality.s) {
		key(w, "locality");
		open(w, '{');
		key(w, "name");
		norm_str(w, d, mt->locality);
		kstr(w, "level", mt->locality_level);
		close_obj(w);
	} else {
		knull(w, "locality");
	}
	if (mt->span.e > mt->span.s) {
		evidence(w, d, mt->span);
	} else {
		knull(w, "text");
		knull(w, "span");
	}
	rule(w, mt->rule, explain);
	close_obj(w);
}

static void officials_array(jw *w, const qp_doc *d, const qp_result *r,
                            int explain)
{
	static const char *const roles[] = {"chair", "attendee", "speaker",
	                                    "reporter", "presenter"};
	open(w, '[');
	for (size_t i = 0; i < r->nofficials; i++) {
		const qp_official *o = &r->officials[i];
		elem(w);
		open(w, '{');
		key(w, "name");
		norm_str(w, d, o->name);
		span_or_null(w, "rank", d, o->rank);
		span_or_null(w, "title", d, o->title);
		key(w, "roles");
		open(w, '[');
		for (unsigned k = 0; k < 5; k++)
			if (o->roles & (1u << k)) {
				elem(w);
				str(w, roles[k], strlen(roles[k]));
			}
		close_arr(w);
		evidence(w, d, o->mention);
		rule(w, o->rule, explain);
		close_obj(w);
	}
	close_arr(w);
}

static void units_array(jw *w, const qp_doc *d, const qp_result *r,
                        int explain)
{
	open(w, '[');
	for (size_t i = 0; i < r->nunits; i++) {
		const qp_unit *u = &r->units[i];
		elem(w);
		open(w, '{');
		kstr(w, "name", u->name);
		kstr(w, "canonical", u->canonical);
		evidence(w, d, u->span);
		rule(w, u->rule, explain);
		close_obj(w);
	}
	close_arr(w);
}

static void statistics_array(jw *w, const qp_doc *d, const qp_result *r,
                             int explain)
{
	open(w, '[');
	for (size_t i = 0; i < r->nstats; i++) {
		const qp_stat *st = &r->stats[i];
		elem(w);
		open(w, '{');
		kstr(w, "category", st->category);
		knum(w, "value", st->value);
		kstr(w, "unit", st->unit);
		kstr(w, "approx", st->approx);
		span_or_null(w, "item", d, st->item);
		if (st->of >= 0)
			knum(w, "of", (double)st->of);
		evidence(w, d, st->span);
		rule(w, st->rule, explain);
		close_obj(w);
	}
	close_arr(w);
}

static void count_or_null(jw *w, const char *k, long n)
{
	if (n >= 0)
		knum(w, k, (double)n);
	else
		knull(w, k);
}

static void awards_array(jw *w, const qp_doc *d, const qp_result *r,
                         int explain)
{
	open(w, '[');
	for (size_t i = 0; i < r->nawards; i++) {
		const qp_award *aw = &r->awards[i];
		elem(w);
		open(w, '{');
		kstr(w, "form", aw->form);
		span_or_null(w, "title", d, aw->title);
		span_or_null(w, "issuer", d, aw->issuer);
		count_or_null(w, "collectives", aw->collectives);
		count_or_null(w, "individuals", aw->individuals);
		evidence(w, d, aw->span);
		rule(w, aw->rule, explain);
		close_obj(w);
	}
	close_arr(w);
}

static void tasks_array(jw *w, const qp_doc *d, const qp_result *r,
                        int explain)
{
	open(w, '[');
	for (size_t i = 0; i < r->ntasks; i++) {
		const qp_task *t = &r->tasks[i];
		elem(w);
		open(w, '{');
		if (t->year)
			knum(w, "year", t->year);
		else
			knull(w, "year");
		evidence(w, d, t->span);
		rule(w, t->rule, explain);
		close_obj(w);
	}
	close_arr(w);
}

char *qp_render(const qp_doc *d, const qp_result *r, const qp_render_opts *ro)
{
	int ex = ro->explain;
	jw w;
	memset(&w, 0, sizeof w);
	w.pretty = ro->pretty;
	/* About the size of the last output: most of it is text. */
	grow(&w, 4096);
	open(&w, '{');
	kstr(&w, "source", d->source);
	kstr(&w, "encoding", qp_encoding_name(d->encoding));
	if (r->has_title) {
		key(&w, "title");
		norm_str(&w, d, r->title);
	} else
		knull(&w, "title");
	if (r->published[0])
		kstr(&w, "published", r->published);
	else
		knull(&w, "published");
	key(&w, "meeting");
	meeting_object(&w, d, r, ex);
	key(&w, "officials");
	officials_array(&w, d, r, ex);
	key(&w, "units");
	units_array(&w, d, r, ex);
	key(&w, "statistics");
	statistics_array(&w, d, r, ex);
	key(&w, "awards");
	awards_array(&w, d, r, ex);
	key(&w, "tasks");
	tasks_array(&w, d, r, ex);
	close_obj(&w);
	if (w.oom) {
		free(w.s);
		return NULL;
	}
	w.s[w.n] = '\0';
	return w.s;
}

const char qp_tsv_header[] =
	"source\tmeeting_date\tcategory\tvalue\tunit\tapprox\titem\n";

/* Append a TSV field: tabs and line breaks become spaces. */
static int tsv_field(char **buf, size_t *len, size_t *cap, const char *p,
                     size_t n, char end)
{
	if (*len + n + 2 > *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		while (c < *len + n + 2)
			c *= 2;
		char *b = realloc(*buf, c);
		if (!b)
			return -1;
		*buf = b;
		*cap = c;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		(*buf)[(*len)++] = ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch;
	}
	(*buf)[(*len)++] = end;
	(*buf)[*len] = '\0';
	return 0;
}

char *qp_render_tsv(const qp_doc *d, const qp_result *r)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	char date[16] = "", value[64];
	const qp_meeting *mt = &r->meeting;
	if (mt->found && mt->year)
		snprintf(date, sizeof date, "%04d-%02d-%02d", mt->year, mt->month,
		         mt->day);
	int rc = tsv_field(&buf, &len, &cap, "", 0, '\0');
	len = 0;
	for (size_t i = 0; i < r->nstats && !rc; i++) {
		const qp_stat *st = &r->stats[i];
		/* %.15g prints 37.5 as 37.5 and 950000000 whole. */
		snprintf(value, sizeof value, "%.15g", st->value);
		const char *item = d->norm.s + st->item.s;
		rc |= tsv_field(&buf, &len, &cap, d->source, strlen(d->source), '\t');
		rc |= tsv_field(&buf, &len, &cap, date, strlen(date), '\t');
		rc |= tsv_field(&buf, &len, &cap, st->category, strlen(st->category), '\t');
		rc |= tsv_field(&buf, &len, &cap, value, strlen(value), '\t');
		rc |= tsv_field(&buf, &len, &cap, st->unit, strlen(st->unit), '\t');
		rc |= tsv_field(&buf, &len, &cap, st->approx ? st->approx : "",
		                st->approx ? strlen(st->approx) : 0, '\t');
		rc |= tsv_field(&buf, &len, &cap, item, st->item.e - st->item.s, '\n');
	}
	if (rc) {
		free(buf);
		return NULL;
	}
	return buf;
}
