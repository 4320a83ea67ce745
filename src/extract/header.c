/*
 * header.c - the headline and the publication date (rules: header.*,
 * and page.* for what lies around the article on a scraped page).
 *
 * The publication date comes from a leading stamp (" date 2024-12 "),
 * else from the first line among the first few that only says when the
 * page was posted ("Đăng ngày 13/12/2023", "08:40 05/01/2024", "Thứ
 * Hai, 04/12/2023 - 09:15").
 *
 * The headline is chosen among the lines before the article begins
 * (a lead sentence, header.lede.*, or a paragraph too long for a
 * headline), by evidence rather than by position alone:
 *
 *   "Truyền hình Đại Lâm"                    no topic word: 2
 *   "Trang chủ > Tin tức"                    furniture: never
 *   "Quang cảnh hội nghị. Ảnh: Minh Anh"     caption: never
 *   "Huyện Cam Lộ tổng kết công tác QP-AN"   topic, capital, no stop: 5
 *
 * A topic word (page.topic) counts 3, a capital first letter 1, no
 * final stop 1, fewer than three words -1; the best line with a score of
 * at least 1 wins, the earlier on a tie.  No such line: no headline
 * (the text starts mid-article or with a caption).
 */
#include <stdio.h>
#include <string.h>

#include "extractor.h"

#define TITLE_MAX_BYTES 400   /* longer first lines are paragraphs */
#define HEADER_LINES 12       /* non-blank lines searched for a date */

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

/* How much norm[s..e) looks like the headline (see the top). */
static int headline_score(qp_ctx *c, size_t s, size_t e)
{
	const char *norm = c->doc->norm.s;
	int score = 0, words = 0;
	if (qp_page_line_is(c, "page.topic", s, e))
		score += 3;
	size_t we = qp_vn_word_end(norm, e, s);
	if (qp_vn_is_capitalized(norm, s, we) || (norm[s] >= '0' && norm[s] <= '9') ||
	    (norm[s] >= 'A' && norm[s] <= 'Z'))
		score += 1;
	if (norm[e - 1] != '.')
		score += 1;
	for (size_t i = s; i < e; i++)
		words += (i == s || norm[i - 1] == ' ') && norm[i] != ' ';
	if (words < 3)
		score -= 1;
	return score;
}

int qp_extract_header(qp_ctx *c, qp_result *r)
{
	const qp_text *f = &c->doc->fold;
	size_t pos = 0, lines = 0;
	int searching = 1, best = 0;
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
		size_t ns = qp_text_src(f, a), ne = qp_text_src(f, b);
		if (!searching || qp_page_line_is(c, "page.furniture", ns, ne))
			continue;
		if (line_matches(c, "header.lede", a, b, &mt) ||
		    ne - ns > TITLE_MAX_BYTES) {
			searching = 0;   /* the article has begun */
			continue;
		}
		if (qp_page_line_is(c, "page.caption", ns, ne))
			continue;
		int score = headline_score(c, ns, ne);
		if (score >= 1 && score > best) {
			best = score;
			r->has_title = 1;
			r->title.s = ns;
			r->title.e = ne;
			/* "... năm 2024 - Báo Quân đội nhân dân": the page's
			 * <title> with the site's name after it. */
			if (line_matches(c, "header.site_suffix", a, b, &mt)) {
				size_t ms, me;
				qp_match_group(&mt, NULL, &ms, &me);
				if (ms > a)
					r->title.e = qp_text_src(f, ms);
			}
		}
	}
	return 0;
}
