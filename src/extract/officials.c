/*
 * officials.c - people named with a title or a rank (rules: official.*,
 * role.*, place.level; lexicons surnames, places).
 *
 * Each sentence is searched with every official.* rule in file order; a
 * later rule does not take a name an earlier one already found.  The
 * title-first rule ("Chủ tịch UBND thành phố Thanh Hóa Trần Anh Chung")
 * captures a run of capitalized words that may begin with a place; the
 * name is the last 3-4 of them that open with a family name, and the
 * rest goes back to the title.  Roles come from the sentence: "chủ trì"
 * makes a chair of everyone named before it in the same clause (up to a
 * ";"), and so on (see officials.rules).  The same person named twice,
 * compared by folded name, is one official with the union of roles; a
 * name cut off inside its last syllable (a truncated line: "Tôn Thị
 * Ngọc Hạ") is the whole name given elsewhere.
 */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"
#include "text.h"

#define MAX_RUN 8
#define MAX_TITLE_FIRST 400   /* bytes of title before a name */

typedef struct {
	qp_official o;
	int         from_shape;  /* found by its shape, not by an introducer */
} mention;

typedef struct {
	mention *v;
	size_t   n, cap;
} mentions;

static int in_range(qp_ctx *c, const char *family, size_t a, size_t b);

static int is_surname(const qp_ctx *c, const char *s, size_t a, size_t b)
{
	return qp_lexicon_find(qp_rules_lexicon(c->rules, "surnames"), s + a,
	                       b - a) >= 0;
}

/* Trim spaces and trailing commas or dashes from a norm span. */
static qp_span trim(const char *s, qp_span sp)
{
	while (sp.s < sp.e && (s[sp.s] == ' ' || s[sp.s] == '\t'))
		sp.s++;
	while (sp.e > sp.s && strchr(" \t,-", s[sp.e - 1]))
		sp.e--;
	return sp;
}

/* For a title-first match, pick the name out of the capitalized run and
 * give the words before it back to the title.  Returns 0 to reject. */
static int split_run(const qp_ctx *c, qp_official *o)
{
	const char *s = c->doc->norm.s;
	size_t starts[MAX_RUN + 1], n;
	size_t end = qp_vn_cap_run(s, o->name.e, o->name.s, MAX_RUN, &n, starts);
	if (n < 2)
		return 0;
	size_t k = (size_t)-1;
	if (n <= 4 && is_surname(c, s, starts[0],
	                         qp_vn_word_end(s, end, starts[0])))
		k = 0;
	/* Otherwise the longest 2-4 word tail that opens with a family
	 * name and leaves at least two words (a place) before it. */
	for (size_t i = n >= 4 ? 2 : 1; k == (size_t)-1 && i + 2 <= n; i++)
		if (n - i <= 4 && is_surname(c, s, starts[i],
		                             qp_vn_word_end(s, end, starts[i])))
			k = i;
	if (k == (size_t)-1)
		return 0;
	if (k > 0)
		o->title.e = qp_vn_word_end(s, end, starts[k - 1]);
	o->name.s = starts[k];
	o->name.e = end;
	return 1;
}

/* A position inside the name's capitalized run, with no comma before it
 * ("A Phương Phó Bí thư Huyện ủy"): cut the name before it, and take it
 * as the title when the match had none (title.after). */
static void cut_at_position(qp_ctx *c, const qp_sentence *sent, qp_official *o)
{
	qp_match mt;
	const char *s = c->doc->norm.s;
	size_t starts[MAX_RUN + 1], n;
	qp_vn_cap_run(s, o->name.e, o->name.s, MAX_RUN, &n, starts);
	for (size_t k = 2; k < n; k++) {
		qp_sentence rest = qp_sentence_of(c->doc, starts[k], sent->ne);
		size_t a, b;
		if (!qp_find_family(c, "title.after", &rest, starts[k], &mt) ||
		    !qp_found(c, &mt, "title", &a, &b))
			continue;
		o->name.e = qp_vn_word_end(s, o->name.e, starts[k - 1]);
		if (o->title.e == o->title.s) {
			o->title.s = a;
			o->title.e = b;
			o->mention.e = b > o->mention.e ? b : o->mention.e;
		}
		return;
	}
}

/* A two-word name right after a level word is a place: "huyện Vũ Quang". */
static int after_level_word(qp_ctx *c, size_t name_s, size_t name_words)
{
	qp_match mt;
	if (name_words != 2)
		return 0;
	size_t a = name_s > 24 ? name_s - 24 : 0;
	a = qp_utf8_fwd(c->doc->norm.s, a, name_s);
	qp_sentence before = qp_sentence_of(c->doc, a, name_s);
	return qp_find_family(c, "place.level", &before, a, &mt);
}

/* Names that are places ("Hà Tĩnh") or years ("Giáp Thìn"). */
static int not_a_person(const qp_ctx *c, qp_span name)
{
	const char *norm = c->doc->norm.s;
	static const char *const lists[] = {"places", "lunar_years"};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		if (qp_lexicon_find(qp_rules_lexicon(c->rules, lists[i]),
		                    norm + name.s, name.e - name.s) >= 0)
			return 1;
	return 0;
}

static int overlaps(qp_span a, qp_span b)
{
	return a.s < b.e && b.s < a.e;
}

static int push_mention(mentions *ms, const mention *m)
{
	if (qp_grow(&ms->v, &ms->cap, ms->n, sizeof *ms->v))
		return -1;
	ms->v[ms->n++] = *m;
	return 0;
}

/* Every official.* match in sentence s, as mentions. */
static int find_mentions(qp_ctx *c, const qp_sentence *s, mentions *ms)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, "official", &rules);
	for (size_t k = 0; k < nr; k++) {
		int title_first = strstr(rules[k]->id, "title_first") != NULL;
		size_t from = s->ns;
		while (from < s->ne && qp_find(c, rules[k], s, from, &mt)) {
			mention m;
			memset(&m, 0, sizeof m);
			size_t ms_, me;
			qp_found(c, &mt, NULL, &ms_, &me);
			from = me > from ? me : from + 1;
			if (!qp_found(c, &mt, "name", &m.o.name.s, &m.o.name.e))
				continue;
			qp_found(c, &mt, "rank", &m.o.rank.s, &m.o.rank.e);
			qp_found(c, &mt, "title", &m.o.title.s, &m.o.title.e);
			m.o.mention.s = ms_;
			m.o.mention.e = me;
			m.o.rule = rules[k]->id;
			m.from_shape = title_first ||
			               strstr(rules[k]->id, "listed") != NULL;
			if (title_first) {
				if (m.o.title.e - m.o.title.s > MAX_TITLE_FIRST ||
				    in_range(c, "title.verb", m.o.title.s, m.o.title.e) ||
				    !split_run(c, &m.o))
					continue;
				/* Resume after the name only: the rest may hold
				 * the next person. */
				from = m.o.name.e;
			}
			if (!title_first)
				cut_at_position(c, s, &m.o);
			m.o.title = trim(norm, m.o.title);
			size_t words;
			qp_vn_cap_run(norm, m.o.name.e, m.o.name.s, MAX_RUN, &words,
			              NULL);
			/* Title first, with nothing between: two words are too
			 * likely the end of a place ("Huyện ủy Trần Đề"). */
			if (words < (title_first ? 3u : 2u) || not_a_person(c, m.o.name) ||
			    (m.from_shape && after_level_word(c, m.o.name.s, words)))
				continue;
			int dup = 0;
			for (size_t i = 0; i < ms->n && !dup; i++)
				dup = overlaps(ms->v[i].o.name, m.o.name);
			if (!dup && push_mention(ms, &m))
				return -1;
		}
	}
	return 0;
}

/* The clause of s around norm offset at: between the ';' before it and
 * the ';' after it. */
static qp_span clause_of(const char *norm, const qp_sentence *s, size_t at)
{
	qp_span cl = {s->ns, s->ne};
	for (size_t i = at; i > s->ns; i--)
		if (norm[i - 1] == ';') {
			cl.s = i;
			break;
		}
	for (size_t i = at; i < s->ne; i++)
		if (norm[i] == ';') {
			cl.e = i;
			break;
		}
	return cl;
}

/* Does any rule of family match inside norm[a..b)? */
static int in_range(qp_ctx *c, const char *family, size_t a, size_t b)
{
	qp_match mt;
	if (b <= a)
		return 0;
	qp_sentence gap = qp_sentence_of(c->doc, a, b);
	return qp_find_family(c, family, &gap, a, &mt);
}

/* Chairs: everyone named before "chủ trì" in its clause, unless "chủ
 * trì" has a subject of its own ("X đề nghị Ban CHQS chủ trì"); and after
 * "dưới sự chủ trì của", the people named in a row (joined only by
 * "và", commas, "đồng chí"). */
static void assign_chairs(qp_ctx *c, const qp_sentence *s, mentions *ms)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	size_t from = s->ns;
	while (qp_find_family(c, "role.chair.before", s, from, &mt)) {
		size_t a, b;
		qp_found(c, &mt, NULL, &a, &b);
		from = b;
		qp_span cl = clause_of(norm, s, a);
		/* "A - ...; B - ...; C - ... đồng chủ trì": co-chairs are
		 * listed over semicolons, so the whole sentence before. */
		if (in_range(c, "role.chair.co", a, b))
			cl.s = s->ns;
		for (size_t i = 0; i < ms->n; i++) {
			qp_official *o = &ms->v[i].o;
			if (o->mention.s < a && o->mention.s >= cl.s &&
			    !in_range(c, "role.chair.blocker", o->mention.e, a))
				o->roles |= QP_ROLE_CHAIR;
		}
	}
	if (qp_find_family(c, "role.chair.after", s, s->ns, &mt)) {
		size_t a, prev;
		qp_found(c, &mt, NULL, &a, &prev);
		for (size_t i = 0; i < ms->n; i++) {
			qp_official *o = &ms->v[i].o;
			if (o->name.s < prev)
				continue;
			qp_sentence gap = qp_sentence_of(c->doc, prev, o->mention.s);
			if (o->mention.s > prev &&
			    !qp_find_family(c, "role.chair.joiner", &gap, prev, &mt))
				break;
			o->roles |= QP_ROLE_CHAIR;
			prev = o->mention.e;
		}
	}
}

/* The other roles come from verbs after the mention in the person's
 * clause, before the next person named; verbs before the sentence's
 * first person ("Dự và chỉ đạo hội nghị có A; B") are everyone's, and
 * "dự" anywhere in the sentence makes attendees of all.  A presenter is
 * not the one who "được ... tặng". */
static void assign_roles(qp_ctx *c, const qp_sentence *s, mentions *ms)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	/* Every role but the chair's, by its rules "role.NAME" (result.h). */
#define QP_ROLE_VERB(name, json) {"role." json, QP_ROLE_##name},
	static const struct { const char *family; unsigned role; } verbs[] = {
		QP_ROLES(QP_ROLE_VERB)
	};
#undef QP_ROLE_VERB
	assign_chairs(c, s, ms);
	size_t first = s->ne;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].o.mention.s < first)
			first = ms->v[i].o.mention.s;
	for (size_t i = 0; i < ms->n; i++) {
		qp_official *o = &ms->v[i].o;
		qp_span cl = clause_of(norm, s, o->mention.s);
		/* The verbs that are this person's: up to the next mention. */
		size_t until = cl.e;
		for (size_t k = 0; k < ms->n; k++)
			if (ms->v[k].o.mention.s > o->mention.s &&
			    ms->v[k].o.mention.s < until)
				until = ms->v[k].o.mention.s;
		for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++) {
			unsigned role = verbs[k].role;
			if (role == QP_ROLE_CHAIR)
				continue;   /* assign_chairs() gave it */
			if (role == QP_ROLE_ATTENDEE) {
				if (!(o->roles & QP_ROLE_CHAIR) &&
				    in_range(c, verbs[k].family, s->ns, s->ne))
					o->roles |= role;
				continue;
			}
			if (in_range(c, verbs[k].family, s->ns, first)) {
				o->roles |= role;
				continue;
			}
			qp_sentence after = qp_sentence_of(c->doc, o->mention.e, until);
			if (until <= o->mention.e ||
			    !qp_find_family(c, verbs[k].family, &after, o->mention.e, &mt))
				continue;
			size_t va, vb;
			qp_found(c, &mt, NULL, &va, &vb);
			if (role == QP_ROLE_PRESENTER &&
			    in_range(c, "role.passive", o->mention.e, va))
				continue;
			o->roles |= role;
		}
	}
}

/* Are keys a and b the same person: the same, or one cut off inside
 * its last syllable ("tôn thị ngọc hạ" of a line cut short, "tôn thị
 * ngọc hạnh")?  Returns 0 (no), 1 (yes), 2 (yes, and b is the whole). */
static int same_person(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na == nb)
		return !strcmp(a, b);
	const char *s = na < nb ? a : b, *l = na < nb ? b : a;
	size_t ns = na < nb ? na : nb;
	if (strncmp(s, l, ns) || l[ns] == ' ' || !strchr(s, ' ') ||
	    !strchr(strchr(s, ' ') + 1, ' '))
		return 0;   /* a whole syllable less, or under three syllables */
	return na < nb ? 2 : 1;
}

/* Add a mention to the result, merging with the same person. */
static int merge(qp_ctx *c, qp_result *r, const qp_official *o)
{
	const char *norm = c->doc->norm.s;
	/* Room first, so that the key, once made, always has a home. */
	if (qp_grow(&r->officials, &r->capofficials, r->nofficials,
	            sizeof *r->officials))
		return -1;
	qp_official *new = &r->officials[r->nofficials];
	*new = *o;
	if (!(new->key = qp_vn_key(norm + o->name.s, o->name.e - o->name.s)))
		return -1;
	for (qp_official *x = r->officials; x < new; x++) {
		int same = same_person(x->key, new->key);
		if (!same)
			continue;
		if (same == 2) {
			/* x was the name cut short: this mention names it. */
			char *t = x->key;
			x->key = new->key;
			new->key = t;
			x->name = o->name;
			x->mention = o->mention;
		}
		/* The same person again: what this mention adds. */
		x->roles |= o->roles;
		if (x->rank.e == x->rank.s)
			x->rank = o->rank;
		if (x->title.e == x->title.s)
			x->title = o->title;
		free(new->key);
		return 0;
	}
	r->nofficials++;
	return 0;
}

int qp_extract_officials(qp_ctx *c, qp_result *r)
{
	mentions ms = {0};
	int rc = 0;
	for (size_t i = 0; i < c->sents->n && !rc; i++) {
		const qp_sentence *s = &c->sents->v[i];
		ms.n = 0;
		if (find_mentions(c, s, &ms)) {
			rc = -1;
			break;
		}
		assign_roles(c, s, &ms);
		for (size_t k = 0; k < ms.n && !rc; k++)
			rc = merge(c, r, &ms.v[k].o);
	}
	free(ms.v);
	return rc;
}
