/*
 * tsv.c - a result's statistics as TSV rows (output.h): one row a
 * statistic, the document's source and meeting date on each, so rows
 * of many documents can be concatenated and summed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "output.h"

const char qp_tsv_header[] =
	"source\tmeeting_date\tcategory\tvalue\tunit\tapprox\titem\n";

/* Append a TSV field and its end (a tab or a newline): tabs and line
 * breaks inside it become spaces. */
static int tsv_field(qp_sbuf *b, const char *p, size_t n, char end)
{
	if (qp_sbuf_reserve(b, n + 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		b->s[b->n++] = ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch;
	}
	b->s[b->n++] = end;
	b->s[b->n] = '\0';
	return 0;
}

static int tsv_str(qp_sbuf *b, const char *s, char end)
{
	return tsv_field(b, s, strlen(s), end);
}

char *qp_render_tsv(const qp_doc *d, const qp_result *r)
{
	qp_sbuf b = {0};
	char date[16] = "", value[64];
	const qp_meeting *mt = &r->meeting;
	if (mt->found && mt->year)
		snprintf(date, sizeof date, "%04d-%02d-%02d", mt->year, mt->month,
		         mt->day);
	int rc = qp_sbuf_add(&b, "", 0);
	for (size_t i = 0; i < r->nstats && !rc; i++) {
		const qp_stat *st = &r->stats[i];
		/* %.15g prints 37.5 as 37.5 and 950000000 whole. */
		snprintf(value, sizeof value, "%.15g", st->value);
		const char *item = d->norm.s + st->item.s;
		rc |= tsv_str(&b, d->source, '\t');
		rc |= tsv_str(&b, date, '\t');
		rc |= tsv_str(&b, st->category, '\t');
		rc |= tsv_str(&b, value, '\t');
		rc |= tsv_str(&b, st->unit, '\t');
		rc |= tsv_str(&b, st->approx ? st->approx : "", '\t');
		rc |= tsv_field(&b, item, st->item.e - st->item.s, '\n');
	}
	if (rc) {
		qp_sbuf_free(&b);
		return NULL;
	}
	return qp_sbuf_take(&b);
}
