/*
 * page.c - the web page around the article (rules: page.*).
 *
 * Scraped pages keep their menus, breadcrumbs, timestamps, counters and
 * bylines as lines of their own.  qp_page_content() runs before any
 * extractor and drops every sentence on such a line, so no field reads
 * furniture:
 *
 *   "Trang chủ > Quốc phòng - An ninh"      page.furniture.breadcrumb
 *   "14/12/2024 10:30 Lượt xem: 2.304"      page.furniture.views
 *   "Chiều 15/12, UBND huyện ... tổ chức"   kept
 *
 * After the heading of a list of other stories ("Bài viết liên quan",
 * page.related), every line without a final stop is one of its
 * headlines, furniture too.  The headline chooser (header.c) asks the same of each early line, and
 * also whether it is a photo caption (page.caption) and how much it
 * sounds like these reports (page.topic).  A line is matched whole, its
 * spaces trimmed; norm rules (bylines: case matters) and fold rules
 * alike.  A line longer than PAGE_LINE_MAX bytes is article text, and
 * costs no rule at all.
 */
#include <string.h>

#include "extractor.h"

/* Bytes of the longest line that may be furniture, a caption or a
 * headline: a paragraph of the article is longer, and is not tried. */
#define PAGE_LINE_MAX 320

/* norm[*s..*e) without its spaces at either end. */
static void trim(const char *norm, size_t *s, size_t *e)
{
	while (*s < *e && strchr(" \t\f\v\r", norm[*s]))
		(*s)++;
	while (*e > *s && strchr(" \t\f\v\r", norm[*e - 1]))
		(*e)--;
}

int qp_page_line_is(const qp_ctx *c, const char *family, size_t ls, size_t le)
{
	qp_match mt;
	trim(c->doc->norm.s, &ls, &le);
	if (ls >= le || le - ls > PAGE_LINE_MAX)
		return 0;
	qp_sentence line = qp_sentence_of(c->doc, ls, le);
	return qp_find_family(c, family, &line, ls, &mt);
}

/* The norm line around offset at: [*ls, *le), without its newline. */
static void line_around(const qp_text *norm, size_t at, size_t *ls,
                        size_t *le)
{
	size_t a = at, b = at;
	while (a > 0 && norm->s[a - 1] != '\n')
		a--;
	const char *nl = memchr(norm->s + b, '\n', norm->len - b);
	b = nl ? (size_t)(nl - norm->s) : norm->len;
	*ls = a;
	*le = b;
}

/* Is norm[ls..le) a headline of a list of other stories (no final
 * stop), after that list's heading? */
static int listed_headline(const char *norm, size_t ls, size_t le)
{
	trim(norm, &ls, &le);
	return ls < le && norm[le - 1] != '.';
}

int qp_page_on_line(const qp_ctx *c, const char *family, size_t at)
{
	size_t ls, le;
	line_around(&c->doc->norm, at, &ls, &le);
	return qp_page_line_is(c, family, ls, le);
}

int qp_page_content(const qp_ctx *c, const qp_sentences *all, qp_sentences *out)
{
	size_t last_line = (size_t)-1;
	int furniture = 0, related = 0;
	out->n = 0;
	for (size_t i = 0; i < all->n; i++) {
		const qp_sentence *s = &all->v[i];
		if (s->line != last_line) {
			size_t ls, le;
			line_around(&c->doc->norm, s->ns, &ls, &le);
			related = related && listed_headline(c->doc->norm.s, ls, le);
			if (!related)
				related = qp_page_line_is(c, "page.related", ls, le);
			furniture = related ||
			            qp_page_line_is(c, "page.furniture", ls, le);
			last_line = s->line;
		}
		if (furniture)
			continue;
		if (qp_grow(&out->v, &out->cap, out->n, sizeof *out->v))
			return -1;
		out->v[out->n++] = *s;
	}
	return 0;
}
