/*
 * tasks.c - the directions set for the coming year (rules: task.*; the
 * award.trigger rule ends a passage too).
 *
 * Walks the sentences once, in order, keeping one bit of state: whether
 * a directive passage is open (see tasks.rules for what opens, continues
 * and ends one; a photo caption line ends one too).  Each sentence in a passage is split at ";" into
 * clauses, and a clause at a comma before a directive verb (task.split):
 * one task each.  A lead-in ("Đồng chí yêu cầu", "Trọng tâm là:") is cut
 * off.  A task is at least three words long; a split that would leave a
 * shorter part is not made.
 */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"

#define PASSAGE_PARAGRAPHS 3   /* paragraphs a passage runs on unprompted */
#define MIN_TASK_WORDS 3

static size_t count_words(const char *s, size_t a, size_t b)
{
	size_t words = 0;
	int in = 0;
	for (size_t i = a; i < b; i++) {
		int sp = s[i] == ' ' || s[i] == ',' || s[i] == '\n';
		words += !sp && !in;
		in = !sp;
	}
	return words;
}

static int add_task(qp_ctx *c, qp_result *r, size_t a, size_t b,
                    const char *rule)
{
	const char *norm = c->doc->norm.s;
	/* Trim spaces, connecting punctuation and a trailing ellipsis. */
	while (a < b && strchr(" ,:-\"", norm[a]))
		a++;
	while (b > a && strchr(" ,;.:\"", norm[b - 1]))
		b--;
	if (b >= a + 3 && !memcmp(norm + b - 3, "\xE2\x80\xA6", 3))
		b -= 3;
	while (b > a && strchr(" ,;.:\"", norm[b - 1]))
		b--;
	if (count_words(norm, a, b) < MIN_TASK_WORDS)
		return 0;
	if (qp_grow(&r->tasks, &r->captasks, r->ntasks, sizeof *r->tasks))
		return -1;
	qp_task *t = &r->tasks[r->ntasks++];
	t->span.s = a;
	t->span.e = b;
	t->year = r->meeting.plan_year;
	t->rule = rule;
	return 0;
}

static int in_line(qp_ctx *c, const char *family, size_t a, size_t b)
{
	qp_match mt;
	qp_sentence line = qp_sentence_of(c->doc, a, b);
	return b > a && qp_find_family(c, family, &line, a, &mt);
}

/* Add norm[a..b) as tasks, split before directive verbs (task.split). */
static int add_split(qp_ctx *c, qp_result *r, size_t a, size_t b,
                     const char *rule)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	qp_sentence cl = qp_sentence_of(c->doc, a, b);
	size_t part = a, from = a;
	while (from < b && qp_find_family(c, "task.split", &cl, from, &mt)) {
		size_t s, e;
		qp_found(c, &mt, NULL, &s, &e);
		from = e > from ? e : from + 1;
		if (count_words(norm, part, s) >= MIN_TASK_WORDS &&
		    count_words(norm, e, b) >= MIN_TASK_WORDS) {
			if (add_task(c, r, part, s, rule))
				return -1;
			part = e;
		}
	}
	return add_task(c, r, part, b, rule);
}

/* Decide one clause: stop, open a passage, continue one, or skip. */
static int read_clause(qp_ctx *c, qp_result *r, const qp_sentence *cl,
                       int *open, size_t *paragraphs, const char **opener)
{
	qp_match mt;
	int lead = qp_find_family(c, "task.lead", cl, cl->ns, &mt);
	const char *lead_rule = lead ? mt.rule->id : NULL;
	size_t start = cl->ns;
	if (lead) {
		size_t a;
		qp_found(c, &mt, NULL, &a, &start);
		/* "... nhấn mạnh: Năm 2020, huyện đã ..." reports, not directs. */
		qp_sentence rest = qp_sentence_of(c->doc, start, cl->ne);
		if (qp_find_family(c, "task.stop.report", &rest, start, &mt)) {
			*open = 0;
			return 0;
		}
	}
	if (qp_find_family(c, "task.stop", cl, cl->ns, &mt) ||
	    (!lead && qp_find_family(c, "task.narrative", cl, cl->ns, &mt))) {
		*open = 0;
		return 0;
	}
	if (!lead && qp_find_family(c, "task.result", cl, cl->ns, &mt)) {
		*open = 0;
		return 0;
	}
	if (lead) {
		*opener = lead_rule;
		*open = 1;
		*paragraphs = 0;
	} else if (qp_find_family(c, "task.mark", cl, cl->ns, &mt)) {
		*opener = mt.rule->id;
		*open = 1;
		*paragraphs = 0;
	} else if (!*open || *paragraphs > PASSAGE_PARAGRAPHS) {
		*open = 0;
		return 0;
	}
	return add_split(c, r, start, cl->ne, *opener);
}

/* Does the line that sentence s starts on credit a photo ("... Ảnh:
 * Minh Châu")?  Then every sentence of it is a caption. */
static int caption_line(qp_ctx *c, const qp_sentence *s)
{
	const char *norm = c->doc->norm.s;
	size_t a = s->ns, b = s->ns;
	while (a > 0 && norm[a - 1] != '\n')
		a--;
	while (b < c->doc->norm.len && norm[b] != '\n')
		b++;
	return in_line(c, "task.caption", a, b);
}

int qp_extract_tasks(qp_ctx *c, qp_result *r)
{
	int open = 0;
	const char *opener = NULL;   /* the rule that opened the passage */
	int caption = 0;             /* the current line credits a photo */
	size_t paragraphs = 0, last_line = (size_t)-1;
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (s->line != last_line) {
			if (last_line != (size_t)-1)
				paragraphs++;
			caption = caption_line(c, s);
		}
		last_line = s->line;
		if (caption) {
			/* A photo caption is no direction and ends a passage. */
			open = 0;
			continue;
		}
		/* One clause at a time, split at ';'. */
		size_t pos = s->ns < r->body_start ? r->body_start : s->ns;
		qp_sentence cl;
		while (qp_next_clause(c->doc, &pos, s->ne, &cl))
			if (read_clause(c, r, &cl, &open, &paragraphs, &opener))
				return -1;
	}
	return 0;
}
