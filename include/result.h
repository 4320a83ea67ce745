/*
 * result.h - what the extractors found in one document.
 *
 * Plain structs, no JSON: the printer turns them into output at the
 * end.  Every span is a half-open byte range of the document's norm
 * text; the printer maps it to input bytes and cuts the text from norm.
 * A qp_result owns its arrays and strings; qp_result_free() releases
 * them.
 *
 * Layer: extract (the seam between extraction and output; it includes
 * nothing and is included by both).
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
	size_t      norganizers, caporganizers;
	qp_span     locality;       /* place name in norm; s == e if none */
	const char *locality_level; /* "tỉnh", "huyện" ... or NULL (static) */
	const char *province;       /* the province the locality lies in, as
	                             * provinces.tsv names it, or NULL; set
	                             * with no locality too (province.c) */
	const char *province_2025;  /* that province after 2025-07-01, or
	                             * NULL (both owned by the rules) */
	const char *rule;           /* id of the rule that found the date or
	                             * the sentence (owned by the rules) */
} qp_meeting;

/* What an official did at the meeting, in output order: X(NAME, "name
 * in the output").  Each is a bit of qp_official.roles (QP_ROLE_CHAIR
 * ...); every role but the chair's is found by the rules "role.NAME"
 * (the chair's have their own: role.chair.*). */
#define QP_ROLES(X) \
	X(CHAIR,     "chair") \
	X(ATTENDEE,  "attendee") \
	X(SPEAKER,   "speaker") \
	X(REPORTER,  "reporter") \
	X(PRESENTER, "presenter")

#define QP_ROLE_INDEX(name, json) QP_ROLE_I_##name,
enum { QP_ROLES(QP_ROLE_INDEX) QP_NROLES };
#undef QP_ROLE_INDEX
#define QP_ROLE_BIT(name, json) QP_ROLE_##name = 1u << QP_ROLE_I_##name,
enum { QP_ROLES(QP_ROLE_BIT) };
#undef QP_ROLE_BIT

/* The categories of a statistic (SPEC.md), X(name): the names are the
 * output's, the values of lexicon/stat_units.tsv's third column and the
 * last part of a stat.context rule's id. */
#define QP_CATEGORIES(X) \
	X(cases) X(suspects) X(drugs) X(traffic) X(money) X(operations) \
	X(recruitment) X(other)

typedef struct {
	qp_span  name;        /* in norm */
	qp_span  rank;        /* s == e when none */
	qp_span  title;       /* s == e when none */
	qp_span  mention;     /* the first mention, whole */
	char    *key;         /* folded name: one official per key (owned) */
	unsigned roles;
	const char *rule;     /* rule of the first mention (owned by rules) */
} qp_official;

typedef struct {
	qp_span  span;        /* where it is named, in norm */
	char    *name;        /* as written, without parentheses (owned) */
	char    *canonical;   /* abbreviations expanded (owned) */
	char    *key;         /* folded canonical: one unit per key (owned) */
	const char *rule;     /* (owned by the rules) */
} qp_unit;

typedef struct {
	qp_span     span;       /* the number with its unit (and item) */
	double      value;      /* normalized: 4.000 -> 4000, money in đồng */
	const char *unit;       /* "vụ", "kg", "VND" ... (owned by the rules) */
	const char *category;   /* one of SPEC.md's categories (static) */
	const char *approx;     /* "nearly", "over", "about" or NULL */
	qp_span     item;       /* "ma túy tổng hợp"; s == e when none */
	long        of;         /* the 7 of "7/7 cơ sở", or -1 */
	const char *rule;       /* (owned by the rules) */
} qp_stat;

typedef struct {
	qp_span     span;         /* the clause that gives it */
	const char *form;         /* "Bằng khen" ... (owned by the rules) or NULL */
	qp_span     title;        /* "Đơn vị Quyết thắng"; s == e when none */
	qp_span     issuer;       /* "UBND tỉnh"; s == e when none */
	long        collectives;  /* -1 when not counted */
	long        individuals;  /* -1 when not counted */
	const char *rule;         /* the count's or the title's rule */
} qp_award;

typedef struct {
	qp_span span;   /* one clause of a directive */
	int     year;   /* the year it is set for, 0 when unknown */
	const char *rule;   /* the lead-in or marker that opened its passage */
} qp_task;

typedef struct {
	int        has_title;
	qp_span    title;           /* the headline, in norm */
	size_t     body_start;      /* norm offset after a publication stamp */
	char       published[11];   /* "YYYY-MM" or "YYYY-MM-DD", "" if unknown */
	int        pub_year, pub_month, pub_day;  /* 0 where unknown */
	qp_meeting meeting;
	qp_official *officials;
	size_t       nofficials, capofficials;
	qp_unit     *units;
	size_t       nunits, capunits;
	qp_stat     *stats;
	size_t       nstats, capstats;
	qp_award    *awards;
	size_t       nawards, capawards;
	qp_task     *tasks;
	size_t       ntasks, captasks;
} qp_result;

void qp_result_init(qp_result *r);
void qp_result_free(qp_result *r);

#endif
