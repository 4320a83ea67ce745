/*
 * result.h - what the extractors found in one document.
 *
 * Plain structs, no JSON: the printer turns them into output at the
 * end.  Every span is a half-open byte range of the document's norm
 * text; the printer maps it to input bytes and cuts the text from norm.
 * A qp_result owns its arrays and strings; qp_result_free() releases
 * them.
 */
#ifndef QPAN_RESULT_H
#define QPAN_RESULT_H

#include <stddef.h>

typedef struct {
	size_t s, e;
} qp_span;

typedef struct {
	int         found;          /* a meeting sentence was identified */
	qp_span     span;           /* that sentence */
	int         year, month, day;   /* date; year 0 when not inferable */
	const char *time_of_day;    /* "morning" ... or NULL (static) */
	int         report_year, plan_year;   /* 0 when unknown */
	char      **organizers;     /* owned strings */
	size_t      norganizers;
	qp_span     locality;       /* place name in norm; s == e if none */
	const char *locality_level; /* "tỉnh", "huyện" ... or NULL (static) */
} qp_meeting;

typedef struct {
	int        has_title;
	qp_span    title;           /* the headline, in norm */
	size_t     body_start;      /* norm offset after a publication stamp */
	char       published[11];   /* "YYYY-MM" or "YYYY-MM-DD", "" if unknown */
	int        pub_year, pub_month, pub_day;  /* 0 where unknown */
	qp_meeting meeting;
} qp_result;

void qp_result_init(qp_result *r);
void qp_result_free(qp_result *r);

#endif
