/*
 * json.c - a result as one JSON object (output.h), built with cJSON in
 * the field order of SPEC.md.
 *
 *   qp_result (spans in norm) --norm.src--> "span": input bytes
 *                             --norm.s----> "text": cut from norm
 *
 * This layer and tsv.c are the only places that know both offsets.
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

/* A span as a string, or JSON null when empty. */
static cJSON *span_or_null(const qp_doc *d, qp_span sp)
{
	return sp.e > sp.s ? norm_string(d, sp) : cJSON_CreateNull();
}

static cJSON *string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *count_or_null(long n)
{
	return n >= 0 ? cJSON_CreateNumber((double)n) : cJSON_CreateNull();
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
	cJSON_AddItemToObject(m, "time_of_day", string_or_null(mt->time_of_day));
	cJSON_AddItemToObject(m, "report_year",
	                      count_or_null(mt->report_year ? mt->report_year : -1));
	cJSON_AddItemToObject(m, "plan_year",
	                      count_or_null(mt->plan_year ? mt->plan_year : -1));
	cJSON *orgs = cJSON_AddArrayToObject(m, "organizers");
	for (size_t i = 0; i < mt->norganizers; i++)
		cJSON_AddItemToArray(orgs, cJSON_CreateString(mt->organizers[i]));
	/* A province found with no place ("Công an tỉnh" and the text's
	 * province) still makes a locality: name and level null. */
	if (mt->locality.e > mt->locality.s || mt->province) {
		cJSON *loc = cJSON_AddObjectToObject(m, "locality");
		cJSON_AddItemToObject(loc, "name", span_or_null(d, mt->locality));
		cJSON_AddItemToObject(loc, "level", mt->locality.e > mt->locality.s
		                      ? string_or_null(mt->locality_level)
		                      : cJSON_CreateNull());
		cJSON_AddItemToObject(loc, "province", string_or_null(mt->province));
		cJSON_AddItemToObject(loc, "province_2025",
		                      string_or_null(mt->province_2025));
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

/* One item's own members into j; returns the span its "text" and
 * "span" come from, and its rule in *rule. */
typedef qp_span fill_fn(cJSON *j, const qp_doc *d, const void *item,
                        const char **rule);

/* The array of n items of elem bytes: for each an object with fill's
 * members, then its evidence and (with --explain) its rule. */
static cJSON *items_array(const qp_doc *d, const void *items, size_t n,
                          size_t elem, fill_fn *fill, int explain)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *j = cJSON_CreateObject();
		const char *rule = NULL;
		qp_span sp = fill(j, d, (const char *)items + i * elem, &rule);
		add_evidence(j, d, sp);
		add_rule(j, rule, explain);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

static qp_span fill_official(cJSON *j, const qp_doc *d, const void *item,
                             const char **rule)
{
#define QP_ROLE_NAME(name, json) json,
	static const char *const roles[] = {QP_ROLES(QP_ROLE_NAME)};
#undef QP_ROLE_NAME
	const qp_official *o = item;
	cJSON_AddItemToObject(j, "name", norm_string(d, o->name));
	cJSON_AddItemToObject(j, "rank", span_or_null(d, o->rank));
	cJSON_AddItemToObject(j, "title", span_or_null(d, o->title));
	cJSON *rl = cJSON_AddArrayToObject(j, "roles");
	for (unsigned k = 0; k < QP_NROLES; k++)
		if (o->roles & (1u << k))
			cJSON_AddItemToArray(rl, cJSON_CreateString(roles[k]));
	*rule = o->rule;
	return o->mention;
}

static qp_span fill_unit(cJSON *j, const qp_doc *d, const void *item,
                         const char **rule)
{
	(void)d;
	const qp_unit *u = item;
	cJSON_AddStringToObject(j, "name", u->name);
	cJSON_AddStringToObject(j, "canonical", u->canonical);
	*rule = u->rule;
	return u->span;
}

static qp_span fill_stat(cJSON *j, const qp_doc *d, const void *item,
                         const char **rule)
{
	const qp_stat *st = item;
	cJSON_AddStringToObject(j, "category", st->category);
	cJSON_AddNumberToObject(j, "value", st->value);
	cJSON_AddStringToObject(j, "unit", st->unit);
	cJSON_AddItemToObject(j, "approx", string_or_null(st->approx));
	cJSON_AddItemToObject(j, "item", span_or_null(d, st->item));
	if (st->of >= 0)
		cJSON_AddNumberToObject(j, "of", (double)st->of);
	*rule = st->rule;
	return st->span;
}

static qp_span fill_award(cJSON *j, const qp_doc *d, const void *item,
                          const char **rule)
{
	const qp_award *aw = item;
	cJSON_AddItemToObject(j, "form", string_or_null(aw->form));
	cJSON_AddItemToObject(j, "title", span_or_null(d, aw->title));
	cJSON_AddItemToObject(j, "issuer", span_or_null(d, aw->issuer));
	cJSON_AddItemToObject(j, "collectives", count_or_null(aw->collectives));
	cJSON_AddItemToObject(j, "individuals", count_or_null(aw->individuals));
	*rule = aw->rule;
	return aw->span;
}

static qp_span fill_task(cJSON *j, const qp_doc *d, const void *item,
                         const char **rule)
{
	(void)d;
	const qp_task *t = item;
	cJSON_AddItemToObject(j, "year", count_or_null(t->year ? t->year : -1));
	*rule = t->rule;
	return t->span;
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
	cJSON_AddItemToObject(o, "officials", items_array(d, r->officials,
		r->nofficials, sizeof *r->officials, fill_official, ex));
	cJSON_AddItemToObject(o, "units", items_array(d, r->units, r->nunits,
		sizeof *r->units, fill_unit, ex));
	cJSON_AddItemToObject(o, "statistics", items_array(d, r->stats,
		r->nstats, sizeof *r->stats, fill_stat, ex));
	cJSON_AddItemToObject(o, "awards", items_array(d, r->awards, r->nawards,
		sizeof *r->awards, fill_award, ex));
	cJSON_AddItemToObject(o, "tasks", items_array(d, r->tasks, r->ntasks,
		sizeof *r->tasks, fill_task, ex));
	char *s = ro->pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}
