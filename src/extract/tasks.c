/*
 * tasks.c - the directions set for the coming year (rules: task.*; the
 * award.trigger rule ends a passage too).
 *
 * Walks the sentences once, in order, keeping one bit of state: whether
 * a directive passage is open (see tasks.rules for what opens, continues
 * and ends one; a photo caption line ends one too).  Each sentence in a
 * passage is split at ";" into clauses, one task each; a comma list
 * stays one task ("quản lý, bảo vệ vững chắc chủ quyền").  A lead-in
 * ("Đồng chí yêu cầu", "Trọng tâm là:", "Năm 2025," when 2025 is the
 * plan year) is cut off.  A recap ("Đây là những nhiệm vụ trọng tâm
 * ...") makes tasks of the sentences before it on its line.  A task is
 * at least three words long.
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
	while (a < b && strchr(" ,:-+*\"", norm[a]))
		a++;
	if (b - a >= 3 && !memcmp(norm + a, "\xE2\x80\xA2", 3))   /* "•" */
		a += 3;
	while (a < b && norm[a] == ' ')
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

/* "Năm 2025, ...": 1 when the year opening cl is the one whose tasks
 * are set (then *end is past "Năm 2025, "), -1 when it is another (a
 * report of results), 0 when cl opens with no year.  Without a plan
 * year, a year after the one reviewed is the year ahead. */
static int year_ahead(qp_ctx *c, const qp_result *r, const qp_sentence *cl,
                      size_t from, size_t *end)
{
	qp_match mt;
	if (!qp_find_family(c, "task.year", cl, from, &mt))
		return 0;
	long y = qp_found_int(c, &mt, "y");
	const qp_meeting *m = &r->meeting;
	int ahead = m->plan_year ? y == m->plan_year
	                         : m->report_year && y > m->report_year;
	size_t a;
	qp_found(c, &mt, NULL, &a, end);
	return ahead ? 1 : -1;
}

/* Decide one clause: stop, open a passage, continue one, or skip. */
static int read_clause(qp_ctx *c, qp_result *r, const qp_sentence *cl,
                       int *open, size_t *paragraphs, const char **opener)
{
	qp_match mt;
	size_t start = cl->ns;
	/* "Năm 2025, Công an thị xã sẽ tiếp tục ..." opens a passage;
	 * "Năm 2024, ..." reports and ends one. */
	/* "A, B là những nhiệm vụ trọng tâm năm 2025 được ... xác định":
	 * A, B is the task, and the clause says no more. */
	if (qp_find_family(c, "task.named", cl, cl->ns, &mt)) {
		size_t a, b;
		qp_found(c, &mt, NULL, &a, &b);
		if (a > cl->ns)
			return add_task(c, r, cl->ns, a, mt.rule->id);
	}
	int year = year_ahead(c, r, cl, cl->ns, &start);
	if (year < 0) {
		*open = 0;
		return 0;
	}
	/* "... 6 nhiệm vụ trọng tâm.  Trong đó, tập trung ...". */
	if (*open && qp_find_family(c, "task.within", cl, start, &mt)) {
		size_t a;
		qp_found(c, &mt, NULL, &a, &start);
	}
	int lead = qp_find_family(c, "task.lead", cl, start, &mt);
	const char *lead_rule = lead ? mt.rule->id : year ? "task.year" : NULL;
	if (lead) {
		size_t a;
		qp_found(c, &mt, NULL, &a, &start);
		/* "... nhấn mạnh: Năm 2020, huyện đã ..." reports, not directs. */
		qp_sentence rest = qp_sentence_of(c->doc, start, cl->ne);
		size_t e;
		if (qp_find_family(c, "task.stop.report", &rest, start, &mt) ||
		    year_ahead(c, r, &rest, start, &e) < 0) {
			*open = 0;
			return 0;
		}
	}
	lead |= year;
	if (qp_find_family(c, "task.stop", cl, cl->ns, &mt) ||
	    (!lead && qp_find_family(c, "task.narrative", cl, cl->ns, &mt))) {
		*open = 0;
		return 0;
	}
	if (!lead && qp_find_family(c, "task.result", cl, cl->ns, &mt)) {
		*open = 0;
		return 0;
	}
	if (qp_find_family(c, "task.announce", cl, start, &mt)) {
		/* "... xác định 6 nhiệm vụ trọng tâm." opens, says none. */
		*opener = lead_rule ? lead_rule : mt.rule->id;
		*open = 1;
		*paragraphs = 0;
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
	return add_task(c, r, start, cl->ne, *opener);
}

/* Every clause of sentences [from, to) as a task: what a recap ("Đây
 * là những nhiệm vụ trọng tâm ...") names after the fact. */
static int add_recalled(qp_ctx *c, qp_result *r, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++) {
		const qp_sentence *s = &c->sents->v[k];
		size_t pos = s->ns < r->body_start ? r->body_start : s->ns;
		qp_sentence cl;
		while (qp_next_clause(c->doc, &pos, s->ne, &cl))
			if (add_task(c, r, cl.ns, cl.ne, "task.recap"))
				return -1;
	}
	return 0;
}

int qp_extract_tasks(qp_ctx *c, qp_result *r)
{
	int open = 0;
	const char *opener = NULL;   /* the rule that opened the passage */
	int caption = 0;             /* the current line credits a photo */
	size_t paragraphs = 0, last_line = (size_t)-1;
	size_t para_first = 0, para_tasks = 0;  /* this line's first sentence,
	                                         * tasks before it */
	qp_match mt;
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (s->line != last_line) {
			/* A bulleted item ("- ...", "+ ...") goes on the list
			 * it belongs to: it is no paragraph of its own.  Only an
			 * open passage counts paragraphs (opening resets them). */
			qp_sentence head = qp_sentence_of(c->doc, s->ns, s->ne);
			if (last_line != (size_t)-1 &&
			    (!open ||
			     !qp_find_family(c, "task.bullet", &head, s->ns, &mt)))
				paragraphs++;
			/* A photo caption line ("... Ảnh: Minh Châu"): every
			 * sentence of it is. */
			caption = qp_page_on_line(c, "page.caption", s->ns);
			para_first = i;
			para_tasks = r->ntasks;
		}
		last_line = s->line;
		if (caption) {
			/* A photo caption is no direction and ends a passage. */
			open = 0;
			continue;
		}
		size_t pos = s->ns < r->body_start ? r->body_start : s->ns;
		qp_sentence whole = qp_sentence_of(c->doc, pos, s->ne);
		if (qp_find_family(c, "task.recap", &whole, pos, &mt)) {
			/* The sentences before it on its line were the tasks. */
			if (r->ntasks == para_tasks &&
			    add_recalled(c, r, para_first, i))
				return -1;
			open = 0;
			continue;
		}
		/* One clause at a time, split at ';'. */
		qp_sentence cl;
		while (qp_next_clause(c->doc, &pos, s->ne, &cl))
			if (read_clause(c, r, &cl, &open, &paragraphs, &opener))
				return -1;
	}
	return 0;
}
