/*
 * print.c - build the output object with cJSON, in the field order of
 * SPEC.md.  Spans are mapped from norm to input bytes here, the only
 * place that knows about both; "text" is cut from norm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "output.h"

/* A cJSON string of norm[s..e). */
static cJSON *norm_string(const qp_doc *d, qp_span sp)
{
	size_t n = sp.e - sp.s;
	char *tmp = malloc(n + 1);
	if (!tmp)
		return NULL;
	memcpy(tmp, d->norm.s + sp.s, n);
	tmp[n] = '\0';
	cJSON *j = cJSON_CreateString(tmp);
	free(tmp);
	return j;
}

/* Add "text" and "span" for sp to obj. */
static void add_evidence(cJSON *obj, const qp_doc *d, qp_span sp)
{
	cJSON_AddItemToObject(obj, "text", norm_string(d, sp));
	cJSON *span = cJSON_AddArrayToObject(obj, "span");
	cJSON_AddItemToArray(span,
	                     cJSON_CreateNumber((double)qp_text_src(&d->norm, sp.s)));
	cJSON_AddItemToArray(span,
	                     cJSON_CreateNumber((double)qp_text_src(&d->norm, sp.e)));
}

/* With --explain, the id of the rule behind an item. */
static void add_rule(cJSON *obj, const char *rule, int explain)
{
	if (explain && rule)
		cJSON_AddStringToObject(obj, "rule", rule);
}

static cJSON *meeting_object(const qp_doc *d, const qp_result *r, int explain)
{
	const qp_meeting *mt = &r->meeting;
	cJSON *m = cJSON_CreateObject();
	if (mt->found && mt->year) {
		char date[16];
		snprintf(date, sizeof date, "%04d-%02d-%02d", mt->year, mt->month,
		         mt->day);
		cJSON_AddStringToObject(m, "date", date);
	} else {
		cJSON_AddNullToObject(m, "date");
	}
	if (mt->time_of_day)
		cJSON_AddStringToObject(m, "time_of_day", mt->time_of_day);
	else
		cJSON_AddNullToObject(m, "time_of_day");
	if (mt->report_year)
		cJSON_AddNumberToObject(m, "report_year", mt->report_year);
	else
		cJSON_AddNullToObject(m, "report_year");
	if (mt->plan_year)
		cJSON_AddNumberToObject(m, "plan_year", mt->plan_year);
	else
		cJSON_AddNullToObject(m, "plan_year");
	cJSON *orgs = cJSON_AddArrayToObject(m, "organizers");
	for (size_t i = 0; i < mt->norganizers; i++)
		cJSON_AddItemToArray(orgs, cJSON_CreateString(mt->organizers[i]));
	if (mt->locality.e > mt->locality.s) {
		cJSON *loc = cJSON_AddObjectToObject(m, "locality");
		cJSON_AddItemToObject(loc, "name", norm_string(d, mt->locality));
		if (mt->locality_level)
			cJSON_AddStringToObject(loc, "level", mt->locality_level);
		else
			cJSON_AddNullToObject(loc, "level");
	} else {
		cJSON_AddNullToObject(m, "locality");
	}
	if (mt->span.e > mt->span.s) {
		add_evidence(m, d, mt->span);
	} else {
		cJSON_AddNullToObject(m, "text");
		cJSON_AddNullToObject(m, "span");
	}
	add_rule(m, mt->rule, explain);
	return m;
}

/* A span as a string, or JSON null when empty. */
static cJSON *span_or_null(const qp_doc *d, qp_span sp)
{
	return sp.e > sp.s ? norm_string(d, sp) : cJSON_CreateNull();
}

static cJSON *officials_array(const qp_doc *d, const qp_result *r, int explain)
{
	static const char *const roles[] = {"chair", "attendee", "speaker",
	                                    "reporter", "presenter"};
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < r->nofficials; i++) {
		const qp_official *o = &r->officials[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddItemToObject(j, "name", norm_string(d, o->name));
		cJSON_AddItemToObject(j, "rank", span_or_null(d, o->rank));
		cJSON_AddItemToObject(j, "title", span_or_null(d, o->title));
		cJSON *rl = cJSON_AddArrayToObject(j, "roles");
		for (unsigned k = 0; k < 5; k++)
			if (o->roles & (1u << k))
				cJSON_AddItemToArray(rl, cJSON_CreateString(roles[k]));
		add_evidence(j, d, o->mention);
		add_rule(j, o->rule, explain);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

static cJSON *units_array(const qp_doc *d, const qp_result *r, int explain)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < r->nunits; i++) {
		const qp_unit *u = &r->units[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "name", u->name);
		cJSON_AddStringToObject(j, "canonical", u->canonical);
		add_evidence(j, d, u->span);
		add_rule(j, u->rule, explain);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

static cJSON *statistics_array(const qp_doc *d, const qp_result *r, int explain)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < r->nstats; i++) {
		const qp_stat *st = &r->stats[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "category", st->category);
		cJSON_AddNumberToObject(j, "value", st->value);
		cJSON_AddStringToObject(j, "unit", st->unit);
		if (st->approx)
			cJSON_AddStringToObject(j, "approx", st->approx);
		else
			cJSON_AddNullToObject(j, "approx");
		cJSON_AddItemToObject(j, "item", span_or_null(d, st->item));
		if (st->of >= 0)
			cJSON_AddNumberToObject(j, "of", (double)st->of);
		add_evidence(j, d, st->span);
		add_rule(j, st->rule, explain);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

static cJSON *count_or_null(long n)
{
	return n >= 0 ? cJSON_CreateNumber((double)n) : cJSON_CreateNull();
}

static cJSON *awards_array(const qp_doc *d, const qp_result *r, int explain)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < r->nawards; i++) {
		const qp_award *aw = &r->awards[i];
		cJSON *j = cJSON_CreateObject();
		if (aw->form)
			cJSON_AddStringToObject(j, "form", aw->form);
		else
			cJSON_AddNullToObject(j, "form");
		cJSON_AddItemToObject(j, "title", span_or_null(d, aw->title));
		cJSON_AddItemToObject(j, "issuer", span_or_null(d, aw->issuer));
		cJSON_AddItemToObject(j, "collectives", count_or_null(aw->collectives));
		cJSON_AddItemToObject(j, "individuals", count_or_null(aw->individuals));
		add_evidence(j, d, aw->span);
		add_rule(j, aw->rule, explain);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

static cJSON *tasks_array(const qp_doc *d, const qp_result *r, int explain)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < r->ntasks; i++) {
		const qp_task *t = &r->tasks[i];
		cJSON *j = cJSON_CreateObject();
		if (t->year)
			cJSON_AddNumberToObject(j, "year", t->year);
		else
			cJSON_AddNullToObject(j, "year");
		add_evidence(j, d, t->span);
		add_rule(j, t->rule, explain);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

char *qp_render(const qp_doc *d, const qp_result *r, const qp_render_opts *ro)
{
	int ex = ro->explain;
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "source", d->source);
	cJSON_AddStringToObject(o, "encoding", qp_encoding_name(d->encoding));
	if (r->has_title)
		cJSON_AddItemToObject(o, "title", norm_string(d, r->title));
	else
		cJSON_AddNullToObject(o, "title");
	if (r->published[0])
		cJSON_AddStringToObject(o, "published", r->published);
	else
		cJSON_AddNullToObject(o, "published");
	cJSON_AddItemToObject(o, "meeting", meeting_object(d, r, ex));
	cJSON_AddItemToObject(o, "officials", officials_array(d, r, ex));
	cJSON_AddItemToObject(o, "units", units_array(d, r, ex));
	cJSON_AddItemToObject(o, "statistics", statistics_array(d, r, ex));
	cJSON_AddItemToObject(o, "awards", awards_array(d, r, ex));
	cJSON_AddItemToObject(o, "tasks", tasks_array(d, r, ex));
	char *s = ro->pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
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
