/*
 * table.c - a result as rows of one table (output.h), TSV or CSV: the
 * tables of --table, each a list of columns, so that the header and
 * every row come from the same list.
 *
 *   qp_result --table's count--> rows (an item each: a statistic, an
 *     official ...; the documents table has one row)
 *             --each column's cell--> a field's bytes (scratch)
 *             --field()--> TSV (tabs and line breaks become spaces) or
 *                          CSV (RFC 4180: quoted when it must be)
 *
 * Every table but statistics starts with source, meeting_date and
 * province and ends, where its item has a span, with span_start and
 * span_end (input bytes, as the JSON's "span").  statistics keeps the
 * seven columns TSV always had first, in their places, and adds
 * province, span_start and span_end after them.  A null is an empty field; a list
 * (roles, organizers) is joined with ";".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "output.h"

typedef struct table table;

/* The row being written: which document, which item. */
typedef struct {
	const qp_doc    *d;
	const qp_result *r;
	const table     *t;
	size_t           i;        /* the item's index in its array */
	char             date[16]; /* the meeting date, or "" */
} row;

/* A cell appends its field's bytes, unquoted, to b: 0, or -1 when out
 * of memory. */
typedef int cell_fn(const row *rw, qp_sbuf *b);

typedef struct {
	const char *name;
	cell_fn    *cell;
} column;

struct table {
	const char    *name;                     /* --table NAME */
	size_t       (*count)(const qp_result *r);   /* rows per document */
	qp_span      (*span)(const row *rw);     /* the item's evidence, for
	                                          * span_start and span_end */
	const column  *cols;
	size_t         ncols;
};

/* --- fields ---------------------------------------------------------- */

static int put_str(qp_sbuf *b, const char *s)
{
	return s ? qp_sbuf_puts(b, s) : 0;
}

/* norm[sp), or nothing when the span is empty. */
static int put_span(const row *rw, qp_sbuf *b, qp_span sp)
{
	return sp.e > sp.s ? qp_sbuf_add(b, rw->d->norm.s + sp.s, sp.e - sp.s)
	                   : 0;
}

/* A whole number; nothing when it is below `least` (-1 and 0 mean
 * "unknown" in qp_result). */
static int put_long(qp_sbuf *b, long v, long least)
{
	char num[32];
	if (v < least)
		return 0;
	snprintf(num, sizeof num, "%ld", v);
	return qp_sbuf_puts(b, num);
}

static int put_size(qp_sbuf *b, size_t v)
{
	char num[32];
	snprintf(num, sizeof num, "%zu", v);
	return qp_sbuf_puts(b, num);
}

/* --- the columns every table shares --------------------------------- */

static int c_source(const row *rw, qp_sbuf *b)
{
	return put_str(b, rw->d->source);
}

static int c_date(const row *rw, qp_sbuf *b)
{
	return put_str(b, rw->date);
}

static int c_province(const row *rw, qp_sbuf *b)
{
	return put_str(b, rw->r->meeting.province);
}

static int c_span_start(const row *rw, qp_sbuf *b)
{
	return put_size(b, qp_text_src(&rw->d->norm, rw->t->span(rw).s));
}

static int c_span_end(const row *rw, qp_sbuf *b)
{
	return put_size(b, qp_text_src(&rw->d->norm, rw->t->span(rw).e));
}

#define SHARED_HEAD {"source", c_source}, {"meeting_date", c_date}, \
                    {"province", c_province}
#define SPAN_TAIL   {"span_start", c_span_start}, {"span_end", c_span_end}
#define NCOLS(a)    (sizeof (a) / sizeof *(a))

/* --- statistics (the seven columns of TSV before --table, in their
 * places, then province and the span) ---------------------------------- */

static const qp_stat *stat_of(const row *rw) { return &rw->r->stats[rw->i]; }

static int c_stat_category(const row *rw, qp_sbuf *b)
{
	return put_str(b, stat_of(rw)->category);
}

static int c_stat_value(const row *rw, qp_sbuf *b)
{
	char num[64];
	/* %.15g prints 37.5 as 37.5 and 950000000 whole. */
	snprintf(num, sizeof num, "%.15g", stat_of(rw)->value);
	return qp_sbuf_puts(b, num);
}

static int c_stat_unit(const row *rw, qp_sbuf *b)
{
	return put_str(b, stat_of(rw)->unit);
}

static int c_stat_approx(const row *rw, qp_sbuf *b)
{
	return put_str(b, stat_of(rw)->approx);
}

static int c_stat_item(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, stat_of(rw)->item);
}

static size_t n_stats(const qp_result *r) { return r->nstats; }
static qp_span stat_span(const row *rw) { return stat_of(rw)->span; }

static const column stat_cols[] = {
	{"source", c_source}, {"meeting_date", c_date},
	{"category", c_stat_category}, {"value", c_stat_value},
	{"unit", c_stat_unit}, {"approx", c_stat_approx},
	{"item", c_stat_item}, {"province", c_province}, SPAN_TAIL,
};

/* --- officials ------------------------------------------------------- */

static const qp_official *off_of(const row *rw)
{
	return &rw->r->officials[rw->i];
}

static int c_off_name(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, off_of(rw)->name);
}

static int c_off_rank(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, off_of(rw)->rank);
}

static int c_off_title(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, off_of(rw)->title);
}

static int c_off_roles(const row *rw, qp_sbuf *b)
{
#define QP_ROLE_NAME(name, json) json,
	static const char *const roles[] = {QP_ROLES(QP_ROLE_NAME)};
#undef QP_ROLE_NAME
	int rc = 0;
	const char *sep = "";
	for (unsigned k = 0; k < QP_NROLES; k++)
		if (off_of(rw)->roles & (1u << k)) {
			rc |= qp_sbuf_puts(b, sep) | qp_sbuf_puts(b, roles[k]);
			sep = ";";
		}
	return rc;
}

static size_t n_officials(const qp_result *r) { return r->nofficials; }
static qp_span off_span(const row *rw) { return off_of(rw)->mention; }

static const column official_cols[] = {
	SHARED_HEAD,
	{"name", c_off_name}, {"rank", c_off_rank}, {"title", c_off_title},
	{"roles", c_off_roles},
	SPAN_TAIL,
};

/* --- units ----------------------------------------------------------- */

static const qp_unit *unit_of(const row *rw) { return &rw->r->units[rw->i]; }

static int c_unit_name(const row *rw, qp_sbuf *b)
{
	return put_str(b, unit_of(rw)->name);
}

static int c_unit_canonical(const row *rw, qp_sbuf *b)
{
	return put_str(b, unit_of(rw)->canonical);
}

static size_t n_units(const qp_result *r) { return r->nunits; }
static qp_span unit_span(const row *rw) { return unit_of(rw)->span; }

static const column unit_cols[] = {
	SHARED_HEAD,
	{"name", c_unit_name}, {"canonical", c_unit_canonical},
	SPAN_TAIL,
};

/* --- awards ---------------------------------------------------------- */

static const qp_award *award_of(const row *rw)
{
	return &rw->r->awards[rw->i];
}

static int c_award_form(const row *rw, qp_sbuf *b)
{
	return put_str(b, award_of(rw)->form);
}

static int c_award_title(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, award_of(rw)->title);
}

static int c_award_issuer(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, award_of(rw)->issuer);
}

static int c_award_collectives(const row *rw, qp_sbuf *b)
{
	return put_long(b, award_of(rw)->collectives, 0);
}

static int c_award_individuals(const row *rw, qp_sbuf *b)
{
	return put_long(b, award_of(rw)->individuals, 0);
}

static size_t n_awards(const qp_result *r) { return r->nawards; }
static qp_span award_span(const row *rw) { return award_of(rw)->span; }

static const column award_cols[] = {
	SHARED_HEAD,
	{"form", c_award_form}, {"title", c_award_title},
	{"issuer", c_award_issuer}, {"collectives", c_award_collectives},
	{"individuals", c_award_individuals},
	SPAN_TAIL,
};

/* --- tasks ----------------------------------------------------------- */

static const qp_task *task_of(const row *rw) { return &rw->r->tasks[rw->i]; }

static int c_task_year(const row *rw, qp_sbuf *b)
{
	return put_long(b, task_of(rw)->year, 1);
}

static int c_task_text(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, task_of(rw)->span);
}

static size_t n_tasks(const qp_result *r) { return r->ntasks; }
static qp_span task_span(const row *rw) { return task_of(rw)->span; }

static const column task_cols[] = {
	SHARED_HEAD,
	{"year", c_task_year}, {"text", c_task_text},
	SPAN_TAIL,
};

/* --- documents: one row each ----------------------------------------- */

static int c_doc_province_2025(const row *rw, qp_sbuf *b)
{
	return put_str(b, rw->r->meeting.province_2025);
}

static int c_doc_locality(const row *rw, qp_sbuf *b)
{
	return put_span(rw, b, rw->r->meeting.locality);
}

static int c_doc_locality_level(const row *rw, qp_sbuf *b)
{
	const qp_meeting *mt = &rw->r->meeting;
	return mt->locality.e > mt->locality.s ? put_str(b, mt->locality_level)
	                                       : 0;
}

static int c_doc_time_of_day(const row *rw, qp_sbuf *b)
{
	return put_str(b, rw->r->meeting.time_of_day);
}

static int c_doc_report_year(const row *rw, qp_sbuf *b)
{
	return put_long(b, rw->r->meeting.report_year, 1);
}

static int c_doc_plan_year(const row *rw, qp_sbuf *b)
{
	return put_long(b, rw->r->meeting.plan_year, 1);
}

static int c_doc_organizers(const row *rw, qp_sbuf *b)
{
	const qp_meeting *mt = &rw->r->meeting;
	int rc = 0;
	for (size_t k = 0; k < mt->norganizers; k++)
		rc |= qp_sbuf_puts(b, k ? ";" : "") |
		      qp_sbuf_puts(b, mt->organizers[k]);
	return rc;
}

static int c_doc_title(const row *rw, qp_sbuf *b)
{
	return rw->r->has_title ? put_span(rw, b, rw->r->title) : 0;
}

static int c_doc_published(const row *rw, qp_sbuf *b)
{
	return put_str(b, rw->r->published);
}

static int c_doc_encoding(const row *rw, qp_sbuf *b)
{
	return put_str(b, qp_encoding_name(rw->d->encoding));
}

static int c_doc_officials(const row *rw, qp_sbuf *b)
{
	return put_size(b, rw->r->nofficials);
}

static int c_doc_units(const row *rw, qp_sbuf *b)
{
	return put_size(b, rw->r->nunits);
}

static int c_doc_statistics(const row *rw, qp_sbuf *b)
{
	return put_size(b, rw->r->nstats);
}

static int c_doc_awards(const row *rw, qp_sbuf *b)
{
	return put_size(b, rw->r->nawards);
}

static int c_doc_tasks(const row *rw, qp_sbuf *b)
{
	return put_size(b, rw->r->ntasks);
}

static size_t n_one(const qp_result *r) { (void)r; return 1; }

static const column document_cols[] = {
	SHARED_HEAD,
	{"province_2025", c_doc_province_2025},
	{"locality", c_doc_locality}, {"locality_level", c_doc_locality_level},
	{"time_of_day", c_doc_time_of_day},
	{"report_year", c_doc_report_year}, {"plan_year", c_doc_plan_year},
	{"organizers", c_doc_organizers},
	{"title", c_doc_title}, {"published", c_doc_published},
	{"encoding", c_doc_encoding},
	{"officials", c_doc_officials}, {"units", c_doc_units},
	{"statistics", c_doc_statistics}, {"awards", c_doc_awards},
	{"tasks", c_doc_tasks},
};

/* --- the tables, indexed by QP_TABLE_* (output.h) ------------------- */

static const table tables[QP_NTABLES] = {
	[QP_TABLE_STATISTICS] = {"statistics", n_stats, stat_span, stat_cols,
	                         NCOLS(stat_cols)},
	[QP_TABLE_OFFICIALS]  = {"officials", n_officials, off_span,
	                         official_cols, NCOLS(official_cols)},
	[QP_TABLE_UNITS]      = {"units", n_units, unit_span, unit_cols,
	                         NCOLS(unit_cols)},
	[QP_TABLE_AWARDS]     = {"awards", n_awards, award_span, award_cols,
	                         NCOLS(award_cols)},
	[QP_TABLE_TASKS]      = {"tasks", n_tasks, task_span, task_cols,
	                         NCOLS(task_cols)},
	[QP_TABLE_DOCUMENTS]  = {"documents", n_one, NULL, document_cols,
	                         NCOLS(document_cols)},
};

const char *qp_table_name(int t)
{
	return t >= 0 && t < QP_NTABLES ? tables[t].name : NULL;
}

int qp_table_find(const char *name)
{
	for (int t = 0; t < QP_NTABLES; t++)
		if (!strcmp(name, tables[t].name))
			return t;
	return -1;
}

/* --- the two ways of writing a field --------------------------------- */

/* Append field p[0..n) to out and its end: a separator, or (last) the
 * end of the line.  TSV: tabs and line breaks inside become spaces.
 * CSV (RFC 4180): a field holding a comma, a quote, CR or LF is quoted,
 * its quotes doubled; lines end with CRLF. */
static int field(qp_sbuf *out, const char *p, size_t n, int csv, int last)
{
	if (!csv) {
		if (qp_sbuf_reserve(out, n + 1))
			return -1;
		for (size_t i = 0; i < n; i++) {
			char ch = p[i];
			out->s[out->n++] = ch == '\t' || ch == '\n' || ch == '\r'
			                   ? ' ' : ch;
		}
		out->s[out->n++] = last ? '\n' : '\t';
		out->s[out->n] = '\0';
		return 0;
	}
	size_t quotes = 0;
	int quote = 0;
	for (size_t i = 0; i < n; i++) {
		quotes += p[i] == '"';
		quote |= p[i] == '"' || p[i] == ',' || p[i] == '\r' || p[i] == '\n';
	}
	if (qp_sbuf_reserve(out, n + quotes + 2 + 2))
		return -1;
	if (quote)
		out->s[out->n++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			out->s[out->n++] = '"';
		out->s[out->n++] = p[i];
	}
	if (quote)
		out->s[out->n++] = '"';
	if (last) {
		out->s[out->n++] = '\r';
		out->s[out->n++] = '\n';
	} else {
		out->s[out->n++] = ',';
	}
	out->s[out->n] = '\0';
	return 0;
}

char *qp_table_header(int t, int csv)
{
	qp_sbuf b = {0};
	int rc = t < 0 || t >= QP_NTABLES;
	for (size_t c = 0; !rc && c < tables[t].ncols; c++) {
		const char *name = tables[t].cols[c].name;
		rc = field(&b, name, strlen(name), csv, c + 1 == tables[t].ncols);
	}
	if (rc) {
		qp_sbuf_free(&b);
		return NULL;
	}
	return qp_sbuf_take(&b);
}

char *qp_render_table(const qp_doc *d, const qp_result *r, int t, int csv)
{
	if (t < 0 || t >= QP_NTABLES)
		return NULL;
	qp_sbuf b = {0}, cell = {0};
	row rw = {d, r, &tables[t], 0, ""};
	const qp_meeting *mt = &r->meeting;
	if (mt->found && mt->year)
		snprintf(rw.date, sizeof rw.date, "%04d-%02d-%02d", mt->year,
		         mt->month, mt->day);
	int rc = qp_sbuf_add(&b, "", 0) | qp_sbuf_add(&cell, "", 0);
	size_t rows = rw.t->count(r);
	for (rw.i = 0; rw.i < rows && !rc; rw.i++)
		for (size_t c = 0; c < rw.t->ncols && !rc; c++) {
			qp_sbuf_truncate(&cell, 0);
			rc = rw.t->cols[c].cell(&rw, &cell) ||
			     field(&b, cell.s, cell.n, csv, c + 1 == rw.t->ncols);
		}
	qp_sbuf_free(&cell);
	if (rc) {
		qp_sbuf_free(&b);
		return NULL;
	}
	return qp_sbuf_take(&b);
}
