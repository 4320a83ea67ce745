/*
 * json.c - a result as one JSON object (output.h), built with cJSON in
 * the field order of SPEC.md.
 *
 *   qp_result (spans in norm) --norm.src--> "span": input bytes
 *                             --norm.s----> "text": cut from norm
 *
 * This layer and tsv.c are the only places that know both offsets.
 *
 * qp_render_record is the other object made here: --emit-records'
 * {"id", "text"} line, the text referenced by cJSON, not copied.
 *
 * Every node goes into the tree through put() or push(), which note a
 * failed allocation (a NULL node, or a parent that could not take it)
 * in the builder: one failure anywhere makes the whole object fail
 * (qp_render returns NULL), never an object with a member missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "lib.h"
#include "output.h"

/* One document's tree being built: the document and whether any
 * allocation failed so far. */
typedef struct {
	const qp_doc *d;
	int           oom;
} builder;

/* obj[key] = item; a NULL item or a failed insertion marks b (the item
 * is freed when the parent could not take it). */
static cJSON *put(builder *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->oom = 1;
		return NULL;
	}
	return item;
}

/* arr += item, as put(). */
static cJSON *push(builder *b, cJSON *arr, cJSON *item)
{
	if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		b->oom = 1;
		return NULL;
	}
	return item;
}

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

static cJSON *number(double v) { return cJSON_CreateNumber(v); }

/* Add "text" and "span" for sp to obj. */
static void add_evidence(builder *b, cJSON *obj, qp_span sp)
{
	put(b, obj, "text", norm_string(b->d, sp));
	cJSON *span = put(b, obj, "span", cJSON_CreateArray());
	push(b, span, number((double)qp_text_src(&b->d->norm, sp.s)));
	push(b, span, number((double)qp_text_src(&b->d->norm, sp.e)));
}

/* With --explain, the id of the rule behind an item. */
static void add_rule(builder *b, cJSON *obj, const char *rule, int explain)
{
	if (explain && rule)
		put(b, obj, "rule", cJSON_CreateString(rule));
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
	return n >= 0 ? number((double)n) : cJSON_CreateNull();
}

/* src with U+FFFD for each byte that is not part of valid UTF-8, in a
 * malloc'd copy; *bad says how many.  NULL when there are none (src
 * serves as it is: nothing is copied) or, with *bad > 0, when out of
 * memory. */
static char *utf8_shown(const char *src, size_t n, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)src;
	*bad = 0;
	for (size_t i = 0; i < n;) {
		size_t k = qp_utf8_valid_len(u + i, n - i);
		*bad += !k;
		i += k ? k : 1;
	}
	char *shown = *bad ? malloc(n + 2 * *bad + 1) : NULL; /* 1 -> 3 bytes */
	if (!shown)
		return NULL;
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		size_t k = qp_utf8_valid_len(u + i, n - i);
		if (k) {
			memcpy(shown + w, src + i, k);
			w += k;
			i += k;
		} else {
			memcpy(shown + w, "\xEF\xBF\xBD", 3);
			w += 3;
			i++;
		}
	}
	shown[w] = '\0';
	return shown;
}

/* "source": the name as given when it is valid UTF-8.  A name that is
 * not (a file name is bytes) would make the line invalid JSON: "source"
 * then has U+FFFD for each malformed byte, readable and valid, and
 * "source_base64" carries the exact bytes (RFC 4648, padded) so that
 * nothing is lost: "caf\xe9.txt" -> "caf\uFFFD.txt" and "Y2Fm6S50eHQ=".
 * The same for a record's "id" and "id_base64" (key, key64). */
static void add_name(builder *b, cJSON *o, const char *key,
                     const char *key64, const char *src)
{
	const unsigned char *u = (const unsigned char *)src;
	size_t n = strlen(src), bad;
	char *shown = utf8_shown(src, n, &bad);
	if (!bad) {
		put(b, o, key, cJSON_CreateString(src));
		return;
	}
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *raw = malloc((n + 2) / 3 * 4 + 1);
	if (shown && raw) {
		size_t w = 0;
		for (size_t i = 0; i < n; i += 3) {
			unsigned long v = (unsigned long)u[i] << 16;
			if (i + 1 < n) v |= (unsigned long)u[i + 1] << 8;
			if (i + 2 < n) v |= u[i + 2];
			raw[w++] = b64[v >> 18 & 63];
			raw[w++] = b64[v >> 12 & 63];
			raw[w++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
			raw[w++] = i + 2 < n ? b64[v & 63] : '=';
		}
		raw[w] = '\0';
		put(b, o, key, cJSON_CreateString(shown));
		put(b, o, key64, cJSON_CreateString(raw));
	} else {
		b->oom = 1;
	}
	free(shown);
	free(raw);
}

char *qp_render_message(const char *source, const char *key,
                        const char *text, long long offset)
{
	builder b = {NULL, 0};
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	size_t bad;
	char *shown = utf8_shown(text, strlen(text), &bad);
	const char *shown_text = bad ? shown : text;   /* NULL: no memory */
	if (source)
		add_name(&b, o, "source", "source_base64", source);
	else
		put(&b, o, "source", cJSON_CreateNull());
	put(&b, o, key, shown_text ? cJSON_CreateString(shown_text) : NULL);
	put(&b, o, "offset", offset >= 0 ? cJSON_CreateNumber((double)offset)
	                                 : cJSON_CreateNull());
	free(shown);
	char *s = b.oom ? NULL : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

char *qp_render_stats(const qp_run_stats *st)
{
	builder b = {NULL, 0};
	cJSON *o = cJSON_CreateObject(), *f = cJSON_CreateObject();
	put(&b, o, "stats", f);
	if (!o || b.oom) {
		cJSON_Delete(o);
		return NULL;
	}
	put(&b, f, "read", cJSON_CreateNumber((double)st->read));
	put(&b, f, "up_to_date", cJSON_CreateNumber((double)st->up_to_date));
	put(&b, f, "failed", cJSON_CreateNumber((double)st->failed));
	put(&b, f, "still_failing", cJSON_CreateNumber((double)st->still_failing));
	put(&b, f, "pruned", cJSON_CreateNumber((double)st->pruned));
	put(&b, f, "bytes", cJSON_CreateNumber(st->bytes));
	/* Rounded as the text line is: 0.52 s, 1.2 MB/s. */
	put(&b, f, "seconds", cJSON_CreateNumber(
	        (double)(long long)(st->seconds * 100 + 0.5) / 100));
	double mbs = st->seconds > 0 ? st->bytes / 1e6 / st->seconds : 0;
	put(&b, f, "mb_per_s", cJSON_CreateNumber(
	        (double)(long long)(mbs * 10 + 0.5) / 10));
	char *s = b.oom ? NULL : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static cJSON *meeting_object(builder *b, const qp_result *r, int explain)
{
	const qp_doc *d = b->d;
	const qp_meeting *mt = &r->meeting;
	cJSON *m = cJSON_CreateObject();
	if (mt->found && mt->year) {
		char date[16];
		snprintf(date, sizeof date, "%04d-%02d-%02d", mt->year, mt->month,
		         mt->day);
		put(b, m, "date", cJSON_CreateString(date));
	} else {
		put(b, m, "date", cJSON_CreateNull());
	}
	put(b, m, "time_of_day", string_or_null(mt->time_of_day));
	put(b, m, "report_year",
	    count_or_null(mt->report_year ? mt->report_year : -1));
	put(b, m, "plan_year", count_or_null(mt->plan_year ? mt->plan_year : -1));
	cJSON *orgs = put(b, m, "organizers", cJSON_CreateArray());
	for (size_t i = 0; i < mt->norganizers; i++)
		push(b, orgs, cJSON_CreateString(mt->organizers[i]));
	/* A province found with no place ("Công an tỉnh" and the text's
	 * province) still makes a locality: name and level null. */
	if (mt->locality.e > mt->locality.s || mt->province) {
		cJSON *loc = put(b, m, "locality", cJSON_CreateObject());
		put(b, loc, "name", span_or_null(d, mt->locality));
		put(b, loc, "level", mt->locality.e > mt->locality.s
		                     ? string_or_null(mt->locality_level)
		                     : cJSON_CreateNull());
		put(b, loc, "province", string_or_null(mt->province));
		put(b, loc, "province_2025", string_or_null(mt->province_2025));
	} else {
		put(b, m, "locality", cJSON_CreateNull());
	}
	if (mt->span.e > mt->span.s) {
		add_evidence(b, m, mt->span);
	} else {
		put(b, m, "text", cJSON_CreateNull());
		put(b, m, "span", cJSON_CreateNull());
	}
	add_rule(b, m, mt->rule, explain);
	return m;
}

/* One item's own members into j; returns the span its "text" and
 * "span" come from, and its rule in *rule. */
typedef qp_span fill_fn(builder *b, cJSON *j, const void *item,
                        const char **rule);

/* The array of n items of elem bytes: for each an object with fill's
 * members, then its evidence and (with --explain) its rule. */
static cJSON *items_array(builder *b, const void *items, size_t n,
                          size_t elem, fill_fn *fill, int explain)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n && !b->oom; i++) {
		cJSON *j = push(b, a, cJSON_CreateObject());
		const char *rule = NULL;
		qp_span sp = fill(b, j, (const char *)items + i * elem, &rule);
		add_evidence(b, j, sp);
		add_rule(b, j, rule, explain);
	}
	return a;
}

static qp_span fill_official(builder *b, cJSON *j, const void *item,
                             const char **rule)
{
#define QP_ROLE_NAME(name, json) json,
	static const char *const roles[] = {QP_ROLES(QP_ROLE_NAME)};
#undef QP_ROLE_NAME
	const qp_official *o = item;
	put(b, j, "name", norm_string(b->d, o->name));
	put(b, j, "rank", span_or_null(b->d, o->rank));
	put(b, j, "title", span_or_null(b->d, o->title));
	cJSON *rl = put(b, j, "roles", cJSON_CreateArray());
	for (unsigned k = 0; k < QP_NROLES; k++)
		if (o->roles & (1u << k))
			push(b, rl, cJSON_CreateString(roles[k]));
	*rule = o->rule;
	return o->mention;
}

static qp_span fill_unit(builder *b, cJSON *j, const void *item,
                         const char **rule)
{
	const qp_unit *u = item;
	put(b, j, "name", cJSON_CreateString(u->name));
	put(b, j, "canonical", cJSON_CreateString(u->canonical));
	*rule = u->rule;
	return u->span;
}

static qp_span fill_stat(builder *b, cJSON *j, const void *item,
                         const char **rule)
{
	const qp_stat *st = item;
	put(b, j, "category", cJSON_CreateString(st->category));
	put(b, j, "value", number(st->value));
	put(b, j, "unit", cJSON_CreateString(st->unit));
	put(b, j, "approx", string_or_null(st->approx));
	put(b, j, "item", span_or_null(b->d, st->item));
	if (st->of >= 0)
		put(b, j, "of", number((double)st->of));
	*rule = st->rule;
	return st->span;
}

static qp_span fill_award(builder *b, cJSON *j, const void *item,
                          const char **rule)
{
	const qp_award *aw = item;
	put(b, j, "form", string_or_null(aw->form));
	put(b, j, "title", span_or_null(b->d, aw->title));
	put(b, j, "issuer", span_or_null(b->d, aw->issuer));
	put(b, j, "collectives", count_or_null(aw->collectives));
	put(b, j, "individuals", count_or_null(aw->individuals));
	*rule = aw->rule;
	return aw->span;
}

static qp_span fill_task(builder *b, cJSON *j, const void *item,
                         const char **rule)
{
	const qp_task *t = item;
	put(b, j, "year", count_or_null(t->year ? t->year : -1));
	*rule = t->rule;
	return t->span;
}

char *qp_render(const qp_doc *d, const qp_result *r, const qp_render_opts *ro)
{
	int ex = ro->explain;
	builder b = {d, 0};
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	add_name(&b, o, "source", "source_base64", d->source);
	put(&b, o, "encoding", cJSON_CreateString(qp_encoding_name(d->encoding)));
	put(&b, o, "title", r->has_title ? norm_string(d, r->title)
	                                 : cJSON_CreateNull());
	put(&b, o, "published", r->published[0] ? cJSON_CreateString(r->published)
	                                        : cJSON_CreateNull());
	put(&b, o, "meeting", meeting_object(&b, r, ex));
	put(&b, o, "officials", items_array(&b, r->officials, r->nofficials,
	                                    sizeof *r->officials, fill_official, ex));
	put(&b, o, "units", items_array(&b, r->units, r->nunits,
	                                sizeof *r->units, fill_unit, ex));
	put(&b, o, "statistics", items_array(&b, r->stats, r->nstats,
	                                     sizeof *r->stats, fill_stat, ex));
	put(&b, o, "awards", items_array(&b, r->awards, r->nawards,
	                                 sizeof *r->awards, fill_award, ex));
	put(&b, o, "tasks", items_array(&b, r->tasks, r->ntasks,
	                                sizeof *r->tasks, fill_task, ex));
	char *s = b.oom ? NULL
	          : ro->pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

char *qp_render_record(const char *id, const char *text)
{
	builder b = {NULL, 0};
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	add_name(&b, o, "id", "id_base64", id);
	/* A reference: the text is printed from where it is, the one copy
	 * beside the printed line. */
	put(&b, o, "text", cJSON_CreateStringReference(text));
	char *s = b.oom ? NULL : cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}
