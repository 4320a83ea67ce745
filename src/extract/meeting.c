/*
 * meeting.c - when the conference was held, the years it covers and who
 * held it (rules: meeting.*).
 *
 * The meeting sentence is the first one that both says a meeting was
 * held (meeting.sentence) and carries a date rule; date rules are tried
 * in order, each over the whole document, so an opening date ("Chiều
 * 28/12, UBND ... tổ chức hội nghị") beats a date inside a sentence.
 * A missing year is inferred as SPEC.md says: the latest such date not
 * after the publication date, else from the year under review (October
 * to December: that year; January to March: the next).
 *
 * The host is what stands between the opening date and "tổ chức hội
 * nghị"; "Thị ủy, Ủy ban nhân dân thị xã Cửa Lò" is two organizers.
 */
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"
#include "text.h"

static const char *time_of_day(const qp_ctx *c, const qp_match *mt)
{
	static const char *const words[] = {"sáng", "trưa", "chiều", "tối", "đêm"};
	static const char *const names[] = {"morning", "noon", "afternoon",
	                                    "evening", "evening"};
	size_t s, e;
	if (!qp_found(c, mt, "tod", &s, &e))
		return NULL;
	int i = qp_vn_lookup(c->doc->norm.s + s, e - s, words, 5);
	return i < 0 ? NULL : names[i];
}

/* Where rules may start in s: after the publication stamp. */
static size_t first_from(const qp_result *r, const qp_sentence *s)
{
	return s->ns < r->body_start ? r->body_start : s->ns;
}

/* "(QĐND) - Chiều" alone at the end of the line before the dated
 * sentence s: the part of the day is that word. */
static const char *tod_before(const qp_ctx *c, const qp_sentence *prev,
                              const qp_sentence *s)
{
	qp_match mt;
	if (prev->line + 1 != s->line ||
	    !qp_find_family(c, "meeting.tod_before", prev, prev->ns, &mt))
		return NULL;
	return time_of_day(c, &mt);
}

/* Find the meeting sentence and its date. */
static void find_date(qp_ctx *c, qp_result *r, size_t *date_end)
{
	qp_match mt;
	qp_meeting *m = &r->meeting;
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, "meeting.date", &rules);
	for (size_t k = 0; k < nr && !m->found; k++) {
		for (size_t i = 0; i < c->sents->n; i++) {
			const qp_sentence *s = &c->sents->v[i];
			size_t from = first_from(r, s);
			if (!qp_find_family(c, "meeting.sentence", s, from, &mt) ||
			    !qp_find(c, rules[k], s, from, &mt))
				continue;
			long d = qp_found_int(c, &mt, "d"), mo = qp_found_int(c, &mt, "m");
			long y = qp_found_int(c, &mt, "y");
			if (d < 1 || d > 31 || mo < 1 || mo > 12)
				continue;
			m->found = 1;
			m->span.s = s->ns;
			m->span.e = s->ne;
			m->day = (int)d;
			m->month = (int)mo;
			m->year = y >= 1900 && y <= 2100 ? (int)y : 0;
			m->time_of_day = time_of_day(c, &mt);
			if (!m->time_of_day && i > 0)
				m->time_of_day = tod_before(c, &c->sents->v[i - 1], s);
			m->rule = rules[k]->id;
			size_t a;
			qp_found(c, &mt, NULL, &a, date_end);
			break;
		}
	}
	if (m->found)
		return;
	/* No date: the meeting sentence is still worth knowing. */
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (qp_find_family(c, "meeting.sentence", s, first_from(r, s), &mt)) {
			m->rule = mt.rule->id;
			m->span.s = s->ns;
			m->span.e = s->ne;
			*date_end = first_from(r, s);
			return;
		}
	}
}

/* Is y acceptable for the family?  A plan year follows the report year. */
static int year_ok(const qp_meeting *m, int plan, long y)
{
	if (y < 1900 || y > 2100)
		return 0;
	return !plan || !m->report_year || y == m->report_year + 1;
}

/* Search one rule over one sentence for an acceptable year. */
static int year_in(qp_ctx *c, const qp_rule *rule, const qp_sentence *s,
                   size_t from, const qp_meeting *m, int plan)
{
	qp_match mt;
	while (qp_find(c, rule, s, from, &mt)) {
		long y = qp_found_int(c, &mt, "y");
		if (year_ok(m, plan, y))
			return (int)y;
		size_t a, e;
		qp_found(c, &mt, NULL, &a, &e);
		/* Resume just past this match's start. */
		from = qp_utf8_fwd(c->doc->norm.s, a + 1, s->ne);
	}
	return 0;
}

/* The meeting sentence first, with every rule of the family; then each
 * rule over the whole document. */
static int find_year(qp_ctx *c, const qp_result *r, const char *family,
                     int plan)
{
	const qp_meeting *m = &r->meeting;
	const qp_rule *const *rules;
	size_t nr = qp_rules_family(c->rules, family, &rules);
	if (m->span.e > m->span.s) {
		qp_sentence ms = qp_sentence_of(c->doc, m->span.s, m->span.e);
		for (size_t k = 0; k < nr; k++) {
			int y = year_in(c, rules[k], &ms, ms.ns, m, plan);
			if (y)
				return y;
		}
	}
	for (size_t k = 0; k < nr; k++)
		for (size_t i = 0; i < c->sents->n; i++) {
			const qp_sentence *s = &c->sents->v[i];
			int y = year_in(c, rules[k], s, first_from(r, s), m, plan);
			if (y)
				return y;
		}
	return 0;
}

/* Does a rule of `family` match anywhere in the text?  ("nhiệm vụ năm
 * tới": the year after the one reviewed; "tổng kết công tác năm qua":
 * the year before the one planned.) */
static int said_anywhere(qp_ctx *c, const qp_result *r, const char *family)
{
	qp_match mt;
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (qp_find_family(c, family, s, first_from(r, s), &mt))
			return 1;
	}
	return 0;
}

static void infer_year(qp_result *r)
{
	qp_meeting *m = &r->meeting;
	if (!m->found || m->year)
		return;
	if (r->pub_year) {
		m->year = r->pub_year;
		if (m->month > r->pub_month ||
		    (m->month == r->pub_month && r->pub_day && m->day > r->pub_day))
			m->year--;
	} else if (m->report_year) {
		m->year = m->month <= 3 ? m->report_year + 1 : m->report_year;
	} else if (m->plan_year) {
		m->year = m->month <= 3 ? m->plan_year : m->plan_year - 1;
	}
}

static int add_organizer(qp_meeting *m, const char *norm, size_t s, size_t e)
{
	if (qp_grow(&m->organizers, &m->caporganizers, m->norganizers,
	            sizeof *m->organizers))
		return -1;
	/* "Thanh Chương:" of a headline "Thanh Chương: Tổng kết ...". */
	while (e > s && (norm[e - 1] == ':' || norm[e - 1] == ' '))
		e--;
	char *name = qp_vn_clean(norm, s, e);
	if (name && name[0])
		m->organizers[m->norganizers++] = name;
	else
		free(name);   /* nothing left once cleaned: no organizer */
	return name ? 0 : -1;
}

/* Past a match of `family` anchored at s, or s when none. */
static size_t skip_rule(qp_ctx *c, const char *family, size_t s, size_t e)
{
	qp_match mt;
	qp_sentence rest = qp_sentence_of(c->doc, s, e);
	size_t a, b;
	if (!qp_find_family(c, family, &rest, s, &mt))
		return s;
	qp_found(c, &mt, NULL, &a, &b);
	return a == s && b > s ? b : s;
}

/* Split the host range at the meeting.host.split rule. */
static int split_hosts(qp_ctx *c, qp_meeting *m, size_t hs, size_t he)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	qp_sentence host = qp_sentence_of(c->doc, hs, he);
	size_t part = hs, from = hs;
	while (qp_find_family(c, "meeting.host.split", &host, from, &mt)) {
		size_t a, b;
		qp_found(c, &mt, NULL, &a, &b);
		if (b <= from)
			break;
		/* A comma inside parentheses does not split, nor one in a
		 * list after a colon: "các đồn Biên phòng: Cửa Lò, Nghi
		 * Thiết và Bến Thủy" is one host. */
		int depth = 0, listed = 0;
		for (size_t i = part; i < a; i++) {
			depth += norm[i] == '(' ? 1 : norm[i] == ')' ? -1 : 0;
			listed |= norm[i] == ':';
		}
		if (depth <= 0 && !listed) {
			if (add_organizer(m, norm, part, a))
				return -1;
			/* "Đồn Biên phòng Nậm Ma, BĐBP Lai Châu": the post's
			 * command, no host of its own. */
			if (skip_rule(c, "meeting.host.post", part, a) > part &&
			    skip_rule(c, "meeting.host.command", b, he) > b)
				return 0;
			part = b;
		}
		from = b;
	}
	return add_organizer(m, norm, part, he);
}

/* The host named before the verb of holding (meeting.host.active) in
 * norm[from..e): what is left of it once a source tag, "Vừa qua," or a
 * venue is skipped, when it starts like a name.  1 with *hs..*he. */
static int host_before_verb(qp_ctx *c, size_t s, size_t e, size_t from,
                            size_t *hs_out, size_t *he_out)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	qp_sentence ms = qp_sentence_of(c->doc, s, e);
	if (!qp_find_family(c, "meeting.host.active", &ms, from, &mt))
		return 0;
	size_t v, ve;
	qp_found(c, &mt, NULL, &v, &ve);
	size_t hs = from;
	/* Skip a source tag or "Vừa qua, ", then a venue: "tại Hội
	 * trường UBND thành phố, ". */
	hs = skip_rule(c, "meeting.host.lead", hs, v);
	hs = skip_rule(c, "meeting.host.venue", hs, v);
	while (hs < v && (norm[hs] == ',' || norm[hs] == ' ' || norm[hs] == ':' ||
	       norm[hs] == '-'))
		hs++;
	size_t we = qp_vn_word_end(norm, v, hs);
	/* A host is a name: it starts with a capital, or with a level
	 * word ("huyện Bạch Thông tổ chức ..."). */
	qp_sentence head = qp_sentence_of(c->doc, hs, v);
	if (hs < v && v - hs <= 200 && we > hs &&
	    (qp_vn_is_capitalized(norm, hs, we) ||
	     (norm[hs] >= 'A' && norm[hs] <= 'Z') ||
	     (unsigned char)norm[hs] >= 0xC3 ||
	     qp_find_family(c, "meeting.host.head", &head, hs, &mt))) {
		*hs_out = hs;
		*he_out = v;
		return 1;
	}
	return 0;
}

/* Find and split the hosts; *hs..*he is where they were named: before
 * the verb of the meeting sentence, else in "do X tổ chức" anywhere,
 * else before the verb of another sentence that reports the meeting,
 * else before the verb of the headline ("UBND huyện Kỳ Sơn tổng kết
 * công tác quốc phòng - an ninh năm 2024"). */
static int find_hosts(qp_ctx *c, qp_result *r, size_t date_end, size_t *hs_out,
                      size_t *he_out)
{
	qp_match mt;
	qp_meeting *m = &r->meeting;
	size_t hs, he;
	if (m->span.e > m->span.s &&
	    host_before_verb(c, m->span.s, m->span.e, date_end, &hs, &he))
		goto found;
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (qp_find_family(c, "meeting.host.passive", s, first_from(r, s),
		                   &mt) &&
		    qp_found(c, &mt, "host", &hs, &he))
			goto found;
	}
	/* The dated sentence may name no host ("Hội nghị diễn ra vào sáng
	 * ngày 8.1 ...") when the lede before it did. */
	for (size_t i = 0; i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		size_t from = first_from(r, s);
		if (s->ns != m->span.s && !(r->has_title && s->ns <= r->title.s &&
		                            r->title.s < s->ne) &&
		    qp_find_family(c, "meeting.sentence", s, from, &mt) &&
		    host_before_verb(c, s->ns, s->ne, from, &hs, &he))
			goto found;
	}
	if (r->has_title &&
	    host_before_verb(c, r->title.s, r->title.e, r->title.s, &hs, &he))
		goto found;
	return 0;
found:
	*hs_out = hs;
	*he_out = he;
	return split_hosts(c, m, hs, he);
}

/* The level word as SPEC.md names it: "TP" is "thành phố". */
static const char *level_name(const char *norm, size_t s, size_t e)
{
	static const struct {
		const char *word, *level;
	} levels[] = {
		{"tỉnh", "tỉnh"},           {"tỉnh ủy", "tỉnh"},
		{"thành phố", "thành phố"}, {"tp", "thành phố"},
		{"tp.", "thành phố"},       {"thành ủy", "thành phố"},
		{"thị xã", "thị xã"},       {"tx", "thị xã"},
		{"thị ủy", "thị xã"},       {"huyện", "huyện"},
		{"huyện ủy", "huyện"},      {"quận", "quận"},
		{"quận ủy", "quận"},        {"xã", "xã"},
		{"phường", "phường"},
	};
	const char *words[sizeof levels / sizeof *levels];
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
		words[i] = levels[i].word;
	int i = qp_vn_lookup(norm + s, e - s, words, sizeof levels / sizeof *levels);
	return i < 0 ? NULL : levels[i].level;
}

/* Give back a person's name at the end of a place: "tỉnh Lạc Sơn Khúc
 * Văn Định" is Lạc Sơn.  A tail of 2-4 words that opens with a family
 * name, after at least two words, is a name. */
static qp_span trim_place(const qp_ctx *c, qp_span p)
{
	const char *norm = c->doc->norm.s;
	const qp_lexicon *sur = qp_rules_lexicon(c->rules, "surnames");
	size_t starts[8], n;
	qp_vn_cap_run(norm, p.e, p.s, 8, &n, starts);
	for (size_t k = 2; k + 2 <= n; k++) {
		size_t we = qp_vn_word_end(norm, p.e, starts[k]);
		if (n - k <= 4 &&
		    qp_lexicon_find(sur, norm + starts[k], we - starts[k]) >= 0) {
			p.e = qp_vn_word_end(norm, p.e, starts[k - 1]);
			break;
		}
	}
	return p;
}

/* Is norm[p) a province or a district the lexicons know? */
static int known_place(const qp_ctx *c, qp_span p)
{
	const char *norm = c->doc->norm.s;
	return qp_lexicon_find(qp_rules_lexicon(c->rules, "places"), norm + p.s,
	                       p.e - p.s) >= 0 ||
	       qp_lexicon_find(qp_rules_lexicon(c->rules, "districts"),
	                       norm + p.s, p.e - p.s) >= 0;
}

/* Is the place norm[p) after the level word at lv a person's name
 * instead ("Chủ tịch UBND tỉnh Lê Văn Hải")?  When a position stands
 * right before the level (meeting.position_before), the place starts
 * with a family name, and no lexicon knows it as a place ("Trần Văn
 * Thời" is a district). */
static int person_not_place(qp_ctx *c, size_t lv, qp_span p)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	size_t ls = lv > 60 ? qp_utf8_fwd(norm, lv - 60, lv) : 0;
	qp_sentence before = qp_sentence_of(c->doc, ls, lv);
	if (!qp_find_family(c, "meeting.position_before", &before, ls, &mt))
		return 0;
	const qp_lexicon *sur = qp_rules_lexicon(c->rules, "surnames");
	size_t we = qp_vn_word_end(norm, p.e, p.s);
	if (qp_lexicon_find(sur, norm + p.s, we - p.s) < 0)
		return 0;
	return !known_place(c, p);
}

/* Search scope for "level Place"; keep the first one found (the host
 * itself: "UBND phường Lạc Sơn, quận Gò Vấp" reviews the phường). */
static int locality_in(qp_ctx *c, qp_meeting *m, qp_span scope,
                       const char *level)
{
	qp_match mt;
	const char *norm = c->doc->norm.s;
	if (scope.e <= scope.s)
		return 0;
	qp_sentence sc = qp_sentence_of(c->doc, scope.s, scope.e);
	size_t from = sc.ns, ls, le;
	while (qp_find_family(c, "meeting.locality", &sc, from, &mt)) {
		size_t a, b;
		qp_found(c, &mt, NULL, &a, &b);
		from = b;
		const char *lv = NULL;
		if (qp_found(c, &mt, "level", &ls, &le))
			lv = level_name(norm, ls, le);
		if (level && (!lv || strcmp(lv, level)))
			continue;
		qp_span found, place;
		qp_found(c, &mt, "place", &found.s, &found.e);
		place = trim_place(c, found);
		/* A name given back leaves a place; else it may be all name. */
		if (place.e == found.e && person_not_place(c, a, place))
			continue;
		/* With no level word ("Thanh Chương: ..."), only a place the
		 * lexicons know. */
		if (!lv && !known_place(c, place))
			continue;
		m->locality_level = lv;
		m->locality = place;
		return 1;
	}
	return 0;
}

/* The place reviewed: the first "level Place" in the hosts, else in the
 * title, else in the meeting sentence.  A bare "UBND tỉnh" takes the
 * first place of that level named anywhere in the document. */
static void find_locality(qp_ctx *c, qp_result *r, size_t hs, size_t he)
{
	qp_match mt;
	qp_meeting *m = &r->meeting;
	const char *norm = c->doc->norm.s;
	qp_span scopes[3] = {{hs, he}, r->title, m->span};
	for (int k = 0; k < 3; k++)
		if (locality_in(c, m, scopes[k], NULL))
			return;
	if (he <= hs)
		return;
	qp_sentence host = qp_sentence_of(c->doc, hs, he);
	if (!qp_find_family(c, "meeting.level", &host, hs, &mt))
		return;
	size_t ls, le;
	qp_found(c, &mt, "level", &ls, &le);
	const char *level = level_name(norm, ls, le);
	for (size_t i = 0; level && i < c->sents->n; i++) {
		const qp_sentence *s = &c->sents->v[i];
		if (locality_in(c, m, (qp_span){s->ns, s->ne}, level))
			return;
	}
}

int qp_extract_meeting(qp_ctx *c, qp_result *r)
{
	qp_meeting *m = &r->meeting;
	size_t date_end = 0;
	find_date(c, r, &date_end);
	m->report_year = find_year(c, r, "meeting.report_year", 0);
	m->plan_year = find_year(c, r, "meeting.plan_year", 1);
	if (!m->plan_year && m->report_year &&
	    said_anywhere(c, r, "meeting.next_year"))
		m->plan_year = m->report_year + 1;
	if (!m->report_year && m->plan_year &&
	    said_anywhere(c, r, "meeting.past_year"))
		m->report_year = m->plan_year - 1;
	infer_year(r);
	size_t hs = 0, he = 0;
	if (find_hosts(c, r, date_end, &hs, &he))
		return -1;
	find_locality(c, r, hs, he);
	return 0;
}
