/*
 * header.c - the headline and the publication date (rules: header.*).
 *
 * The headline is the first non-blank line, after a leading publication
 * stamp (" date 2024-12 ") and skipping lines that only carry a date
 * ("Đăng ngày 13/12/2023", "Hải Phòng, ngày 24 tháng 01 năm 2020").  If
 * that line is really the lead sentence (header.lede.*) there is no
 * headline.  The publication date comes from the stamp, else from the
 * first date-only line among the first few lines.
 */
#include <stdio.h>
#include <string.h>

#include "extractor.h"

#define TITLE_MAX_BYTES 400   /* longer first lines are paragraphs */
#define HEADER_LINES 8        /* non-blank lines searched for a date */

/* Parse the digits of fold[s..e) as a small number; -1 if not digits. */
static int small_number(const char *s, size_t a, size_t b)
{
	int v = 0;
	if (a >= b || b - a > 4)
		return -1;
	for (size_t i = a; i < b; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Read groups y, m and d of a match in the fold; d may be absent.
 * Returns 1 when they form a plausible date. */
static int match_date(const qp_ctx *c, const qp_match *mt, int *y, int *m,
                      int *d)
{
	const char *fold = c->doc->fold.s;
	size_t s, e;
	*y = *m = *d = 0;
	if (qp_match_group(mt, "y", &s, &e))
		*y = small_number(fold, s, e);
	if (qp_match_group(mt, "m", &s, &e))
		*m = small_number(fold, s, e);
	if (qp_match_group(mt, "d", &s, &e))
		*d = small_number(fold, s, e);
	return *y >= 1900 && *y <= 2100 && *m >= 1 && *m <= 12 && *d >= 0 &&
	       *d <= 31;
}

/* Does any rule of `family` match the line fold[ls..le)?  The first
 * match (in fold offsets: lines are read in the fold) goes to *mt. */
static int line_matches(qp_ctx *c, const char *family, size_t ls, size_t le,
                        qp_match *mt)
{
	const qp_rule *const *rules;
	size_t n = qp_rules_family(c->rules, family, &rules);
	for (size_t i = 0; i < n; i++)
		if (qp_match_find(c->m, rules[i], c->doc->fold.s, ls, le, mt))
			return 1;
	return 0;
}

static void set_published(qp_result *r, int y, int m, int d)
{
	r->pub_year = y;
	r->pub_month = m;
	r->pub_day = d;
	if (d)
		snprintf(r->published, sizeof r->published, "%04d-%02d-%02d", y,
		         m, d);
	else
		snprintf(r->published, sizeof r->published, "%04d-%02d", y, m);
}

int qp_extract_header(qp_ctx *c, qp_result *r)
{
	const qp_text *f = &c->doc->fold;
	size_t pos = 0, lines = 0;
	int want_title = 1;
	qp_match mt;

	while (pos < f->len && lines < HEADER_LINES) {
		const char *nl = memchr(f->s + pos, '\n', f->len - pos);
		size_t ls = pos, le = nl ? (size_t)(nl - f->s) : f->len;
		pos = nl ? le + 1 : f->len;

		if (ls == 0 && line_matches(c, "header.stamp", ls, le, &mt)) {
			int y, m, d;
			if (match_date(c, &mt, &y, &m, &d))
				set_published(r, y, m, d);
			size_t s, e;
			qp_match_group(&mt, NULL, &s, &e);
			ls = e;
			r->body_start = qp_text_src(f, ls);
		}
		size_t a = ls, b = le;
		while (a < b && strchr(" \t\f\v\r", f->s[a]))
			a++;
		while (b > a && strchr(" \t\f\v\r", f->s[b - 1]))
			b--;
		if (a == b)
			continue;
		lines++;
		if (line_matches(c, "header.posted", a, b, &mt)) {
			int y, m, d;
			if (!r->published[0] && match_date(c, &mt, &y, &m, &d) && d)
				set_published(r, y, m, d);
			continue;
		}
		if (want_title) {
			want_title = 0;
			if (!line_matches(c, "header.lede", a, b, &mt) &&
			    qp_text_src(f, b) - qp_text_src(f, a) <= TITLE_MAX_BYTES) {
				r->has_title = 1;
				r->title.s = qp_text_src(f, a);
				r->title.e = qp_text_src(f, b);
			}
		}
	}
	return 0;
}
