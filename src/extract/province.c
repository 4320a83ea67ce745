/*
 * province.c - the province a meeting's locality lies in, as of the
 * article and after 2025-07-01 (lexicons provinces, districts,
 * province_aliases, surnames; no rules).  It runs after meeting.c and
 * reads the locality that wrote.  Users total statistics per province,
 * so a wrong province is worse than none: one is given only with
 * evidence.
 *
 *   a. A province-level locality: level "tỉnh", or "thành phố" and a
 *      centrally-run city (provinces.tsv's level "thành phố"): the place
 *      itself when it, or an alias, is a province.
 *        "UBND tỉnh Thừa Thiên Huế"     -> Huế (alias)
 *        "UBND thành phố Hải Phòng"     -> Hải Phòng
 *        "UBND tỉnh Võ Trọng Hải"       -> no province: go to c
 *   b. A district, town or city under a province ("huyện", "quận",
 *      "thị xã", "thành phố"): the districts.tsv rows of its name, those
 *      of its level (any level when none is).  One province among them
 *      is the answer; several are candidates, and c picks among them
 *      only: the candidate the text names most, none on a tie.
 *        "UBND huyện Đức Thọ"           -> Hà Tĩnh
 *        "UBND thành phố Hà Tĩnh"       -> Hà Tĩnh (a city of Hà Tĩnh)
 *        "huyện Châu Thành" + "tỉnh Bến Tre" named -> Bến Tre
 *        "huyện Châu Thành" alone       -> none (ten provinces have one)
 *   c. Otherwise (a commune, no locality, a name in neither table): the
 *      province the whole text names most, none on a tie.  A mention is
 *      a province or an alias written as a whole name, with the
 *      capitals of its entry ("Hòa bình", peace, is not Hoà Bình), or
 *      "huyện|quận|thị xã|thành phố|TP|TX X" with X a district of one
 *      province:
 *        "Tây Ninh Hòa"                 -> not Tây Ninh (a longer name)
 *        "Đông Hà Nam", "Nguyễn Bình Định" -> not Hà Nam, Bình Định (the
 *                                          end of a longer name, or of
 *                                          a person's)
 *        "UBND Hà Tĩnh", "BĐBP Lai Châu" -> Hà Tĩnh, Lai Châu (an
 *                                          abbreviation is no name)
 *        "tỉnh Hà Tĩnh Trần Văn An"     -> Hà Tĩnh (a person's name may
 *                                          follow: 2-4 words opening
 *                                          with a family name)
 *        "tư tưởng Hồ Chí Minh"         -> none: three words opening
 *                                          with a family name are a
 *                                          person unless a level word
 *                                          ("thành phố", "TP", "tỉnh")
 *                                          stands before them
 *        "huyện Lục Ngạn"               -> Bắc Giang
 *        "TP.HCM", "TP. Hồ Chí Minh"    -> Hồ Chí Minh (aliases)
 *
 * province_2025 is provinces.tsv's VALUE column of the province found.
 * The scan reads the document's fold (one tone placement, plain dashes
 * and spaces; case kept) once, left to right: at a word that opens
 * with a capital it looks up the runs of words from there, and at a
 * level word the district after it.  A run grows a word at a time,
 * its comparison key with it, while some key of the table starts so
 * (qp_lexicon_prefixed): most words cost one fold and one binary
 * search.  Nothing is compiled or allocated per word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extractor.h"
#include "lib.h"
#include "text.h"

#define RUN_WORDS 6   /* words in a run looked up ("TP. Hồ Chí Minh": 4) */
#define KEY_RUN 256   /* bytes of a run's comparison key */
#define NONE SIZE_MAX

typedef struct {
	const qp_lexicon *prov, *dist, *alias, *sur;
	const char *t;           /* the document's fold */
	size_t      len;
	unsigned   *count;       /* per provinces.tsv row: its mentions */
	char        loc_key[KEY_RUN];  /* the locality's comparison key, or "" */
	unsigned char *cand;     /* per row: a candidate of an ambiguous district */
} scan;

/* Runs of words from one start that a lexicon has as keys: for each,
 * where it ends, the lexicon and its equal keys, and whether the words
 * before its end are spaced like a person's name (single spaces). */
typedef struct {
	size_t            end;
	const qp_lexicon *lx;
	size_t            first, count;   /* lx->keys[first ...] equal the run */
	size_t            words;
	int               spaced;
} hit;

/* A table (KEY, VALUE) by name, or NULL when missing or a plain list. */
static const qp_lexicon *table(const qp_rules *rules, const char *name)
{
	const qp_lexicon *lx = qp_rules_lexicon(rules, name);
	return lx && lx->values ? lx : NULL;
}

/* The provinces.tsv row that s[0..n) names (compared by fold): 1 with
 * *row, 0 none, -1 out of memory. */
static int province_named(const scan *sc, const char *s, size_t n, size_t *row)
{
	size_t k;
	long m = qp_lexicon_find_all(sc->prov, s, n, &k);
	if (m > 0)
		*row = sc->prov->key_index[k];
	return m > 0 ? 1 : (int)m;
}

/* The provinces.tsv row a hit names, directly or as an alias: 1 with
 * *row, 0 none, -1 out of memory. */
static int hit_row(const scan *sc, const hit *h, size_t *row)
{
	size_t e = h->lx->key_index[h->first];
	if (h->lx == sc->prov) {
		*row = e;
		return 1;
	}
	return province_named(sc, h->lx->values[e], strlen(h->lx->values[e]), row);
}

static int is_surname(const scan *sc, size_t a, size_t b)
{
	return qp_lexicon_find(sc->sur, sc->t + a, b - a) >= 0;
}

/* Does a word start at i? */
static int word_at(const scan *sc, size_t i)
{
	return i < sc->len && qp_vn_word_end(sc->t, sc->len, i) > i;
}

/* Does the word at i open with a capital ("Hà", "UBND", "HÀ")? */
static int upper_at(const scan *sc, size_t i)
{
	if (i < sc->len && sc->t[i] >= 'a' && sc->t[i] <= 'z')
		return 0;   /* most words: no need to find their end */
	return word_at(sc, i) &&
	       qp_vn_is_capitalized(sc->t, i, i + qp_utf8_len((unsigned char)sc->t[i]));
}

static int digit_at(const scan *sc, size_t i)
{
	return i < sc->len && sc->t[i] >= '0' && sc->t[i] <= '9';
}

/* The gap after a word ending at e, up to the next word of a name: one
 * space, or a dash, dot or apostrophe with at most a space on each side
 * ("Bà Rịa - Vũng Tàu", "TP.HCM", "TP. Hồ", "M'Đrắk").  Its length, or
 * 0 when no name goes on there. */
static size_t gap(const scan *sc, size_t e)
{
	const char *t = sc->t;
	size_t i = e;
	if (i < sc->len && t[i] == ' ')
		i++;
	if (i < sc->len && (t[i] == '-' || t[i] == '.' || t[i] == '\'')) {
		i++;
		if (i < sc->len && t[i] == ' ')
			i++;
	}
	return i > e && word_at(sc, i) ? i - e : 0;
}

/* Append the comparison key of t[a..b) to key (*kl bytes, KEY_RUN
 * at most); 0 when it does not fit. */
static int add_key(const scan *sc, size_t a, size_t b, char *key, size_t *kl)
{
	long n = qp_fold_key(sc->t + a, b - a, key + *kl, KEY_RUN - *kl);
	if (n < 0 || (size_t)n >= KEY_RUN - *kl)
		return 0;
	*kl += (size_t)n;
	return 1;
}

/* Every run of 1 to RUN_WORDS words from p that lx[0] or lx[1] (either
 * may be NULL) has as a key, shorter first, into h: how many.  The
 * first word opens with a capital (or, with digits, is a number: "quận
 * 1"); the others may be any words ("Thành phố Hồ Chí Minh").  The run
 * grows a word at a time while some key starts with it, so a word no
 * name begins with costs one fold and a search. */
static size_t runs_at(const scan *sc, size_t p, int digits,
                      const qp_lexicon *const lx[2], hit h[RUN_WORDS])
{
	char key[KEY_RUN];
	size_t kl = 0, nh = 0, e = p, words = 0;
	int spaced = 1;
	if (!upper_at(sc, p) && !(digits && digit_at(sc, p)))
		return 0;
	while (words < RUN_WORDS) {
		size_t we = qp_vn_word_end(sc->t, sc->len, p);
		if (!add_key(sc, e, we, key, &kl))   /* the gap, then the word */
			break;
		words++;
		int more = 0;
		for (int k = 0; k < 2; k++) {
			size_t first, m = qp_lexicon_prefixed(lx[k], key, kl, &first), eq = 0;
			more |= m > 0;
			while (eq < m && lx[k]->keys[first + eq][kl] == '\0')
				eq++;
			if (eq && nh < RUN_WORDS)
				h[nh++] = (hit){we, lx[k], first, eq, words, spaced};
		}
		size_t g = gap(sc, we);
		if (!more || !g)
			break;
		spaced &= g == 1 && sc->t[we] == ' ';
		e = we;
		p = we + g;
	}
	return nh;
}

/* Is t[a..b) written with a capital wherever the entry it is a key of
 * has one?  "Hòa bình" (peace) is not the province Hoà Bình. */
static int case_fits(const scan *sc, size_t a, size_t b, const char *entry)
{
	size_t j = 0, n = strlen(entry);
	while (a < b && j < n) {
		size_t ae = qp_vn_word_end(sc->t, b, a), je = qp_vn_word_end(entry, n, j);
		if (ae == a || je == j) {   /* the same gap in both */
			a += ae == a;
			j += je == j;
			continue;
		}
		if (qp_vn_is_capitalized(entry, j, j + qp_utf8_len((unsigned char)entry[j])) &&
		    !upper_at(sc, a))
			return 0;
		a = ae;
		j = je;
	}
	return 1;
}

/* Is a name ending at e followed by more of a name?  "Tây Ninh Hòa"
 * is, after "Tây Ninh"; a person's name (2-4 capitalized words opening
 * with a family name: "tỉnh Hà Tĩnh Trần Văn An") is not. */
static int followed(const scan *sc, size_t e)
{
	if (e + 1 >= sc->len || sc->t[e] != ' ' || !upper_at(sc, e + 1))
		return 0;
	size_t n, starts[5];
	qp_vn_cap_run(sc->t, sc->len, e + 1, 5, &n, starts);
	return !(n >= 2 && n <= 4 &&
	         is_surname(sc, starts[0], qp_vn_word_end(sc->t, sc->len, starts[0])));
}

/* Is the word t[a..b) written as a name: a capital, then lower case
 * ("Đông", "A"; not "UBND")? */
static int title_case(const scan *sc, size_t a, size_t b)
{
	return qp_vn_is_capitalized(sc->t, a, b);
}

/* Is the name at p the tail of a longer one ("Đông Hà Nam", "Nguyễn
 * Bình Định")?  The word just before it is written as a name, or, in
 * capitals ("ĐÔNG HÀ NAM"), in capitals too.  An abbreviation before a
 * name is not part of it ("UBND Hà Tĩnh", "BĐBP Lai Châu"). */
static int after_name(const scan *sc, size_t p)
{
	const char *t = sc->t;
	if (p < 2 || t[p - 1] != ' ')
		return 0;
	size_t e = p - 1, s = e;
	while (s > 0) {
		size_t j = qp_utf8_back(t, 0, s - 1);
		if (qp_vn_word_end(t, e, j) != e)
			break;
		s = j;
	}
	if (s == e || !upper_at(sc, s))
		return 0;
	return title_case(sc, s, e) ||
	       !title_case(sc, p, qp_vn_word_end(t, sc->len, p));
}

/* A province or alias written at p: the longest run from p that is one
 * and is not followed by more of a name.  Right after a level word
 * (after_level) that is all; elsewhere it must not end a longer name
 * (after_name), and three or more spaced words opening with a family
 * name ("Hồ Chí Minh") are a person.  1 with *end and *row, 0 none, -1
 * out of memory. */
static int province_at(const scan *sc, size_t p, int after_level, size_t *end,
                       size_t *row)
{
	const qp_lexicon *const lx[2] = {sc->prov, sc->alias};
	hit h[RUN_WORDS];
	for (size_t k = runs_at(sc, p, 0, lx, h); k-- > 0;) {
		int rc = hit_row(sc, &h[k], row);
		if (rc < 0)
			return -1;
		if (!rc || followed(sc, h[k].end) ||
		    !case_fits(sc, p, h[k].end, h[k].lx->entries[h[k].lx->key_index[h[k].first]]))
			continue;
		if (!after_level &&
		    ((h[k].words >= 3 && h[k].spaced &&
		      is_surname(sc, p, qp_vn_word_end(sc->t, sc->len, p))) ||
		     after_name(sc, p)))
			return 0;
		*end = h[k].end;
		return 1;
	}
	return 0;
}

/* The rows of districts.tsv among keys[first .. first + m) of `level`
 * (all of them when none has that level, or level is NULL): how many
 * name a province of provinces.tsv (-1 out of memory); *only is the
 * province row they share, NONE when several.  With mark, each of
 * their provinces is marked. */
static long district_rows(const scan *sc, size_t first, size_t m,
                          const char *level, unsigned char *mark, size_t *only)
{
	const qp_lexicon *d = sc->dist;
	size_t rows = 0;
	int any = 1, several = 0;
	*only = NONE;
	for (size_t i = 0; level && d->values2 && i < m; i++)
		if (!strcmp(d->values2[d->key_index[first + i]], level))
			any = 0;
	for (size_t i = 0; i < m; i++) {
		size_t e = d->key_index[first + i], p = NONE;
		if (!any && strcmp(d->values2[e], level))
			continue;
		int rc = province_named(sc, d->values[e], strlen(d->values[e]), &p);
		if (rc < 0)
			return -1;
		if (!rc)
			continue;   /* a province provinces.tsv does not have */
		rows++;
		if (mark)
			mark[p] = 1;
		if (!several && *only == NONE)
			*only = p;
		else if (*only != p) {
			several = 1;
			*only = NONE;
		}
	}
	return (long)rows;
}

/* A district written at x after a level word: the longest run from x
 * that is one.  1 with *end and *row when it has one province, 2 with
 * *end when several, 0 none, -1 out of memory. */
static int district_at(const scan *sc, size_t x, const char *level,
                       size_t *end, size_t *row)
{
	const qp_lexicon *const lx[2] = {sc->dist, NULL};
	hit h[RUN_WORDS];
	for (size_t k = runs_at(sc, x, 1, lx, h); k-- > 0;) {
		if (followed(sc, h[k].end) ||
		    !case_fits(sc, x, h[k].end, sc->dist->entries[sc->dist->key_index[h[k].first]]))
			continue;
		long rows = district_rows(sc, h[k].first, h[k].count, level, NULL, row);
		if (rows < 0)
			return -1;
		if (rows) {
			*end = h[k].end;
			return *row == NONE ? 2 : 1;
		}
	}
	return 0;
}

/* The words of a level, as SPEC.md names it ("TP" is "thành phố"). */
static const struct {
	const char *word, *next, *level;
} level_words[] = {
	{"huyện", NULL, "huyện"},   {"quận", NULL, "quận"},
	{"tỉnh", NULL, "tỉnh"},     {"thị", "xã", "thị xã"},
	{"thành", "phố", "thành phố"}, {"tp", NULL, "thành phố"},
	{"tx", NULL, "thị xã"},
};
#define NLEVELS (sizeof level_words / sizeof *level_words)
#define KEY_MAX 16

/* The comparison keys of level_words, folded once per document. */
typedef struct {
	char word[NLEVELS][KEY_MAX], next[NLEVELS][KEY_MAX];
} level_keys;

/* The key of s[0..n) into k (KEY_MAX bytes); "" when longer, or not
 * UTF-8: no level word is. */
static void short_key(const char *s, size_t n, char *k)
{
	long kl = qp_fold_key(s, n, k, KEY_MAX);
	if (kl < 0 || kl >= KEY_MAX)
		k[0] = '\0';
}

static void level_keys_init(level_keys *lk)
{
	for (size_t k = 0; k < NLEVELS; k++) {
		const char *w = level_words[k].word, *x = level_words[k].next;
		short_key(w, strlen(w), lk->word[k]);
		short_key(x ? x : "", x ? strlen(x) : 0, lk->next[k]);
	}
}

/* A level word at t[i..e) ("huyện", "Thị xã", "TP.", "tx"): its level,
 * with *x where the place after it starts; NULL when none. */
static const char *level_at(const scan *sc, const level_keys *lk, size_t i,
                            size_t e, size_t *x)
{
	const char *t = sc->t;
	unsigned char c0 = (unsigned char)t[i] | 0x20;
	if (c0 != 'h' && c0 != 'q' && c0 != 't')
		return NULL;   /* the first letter of every level word */
	char key[KEY_MAX], next[KEY_MAX] = "";
	short_key(t + i, e - i, key);
	size_t ne = e + 1 < sc->len && t[e] == ' '
	            ? qp_vn_word_end(t, sc->len, e + 1) : e;
	for (size_t k = 0; key[0] && k < NLEVELS; k++) {
		if (strcmp(key, lk->word[k]))
			continue;
		size_t p = e;
		if (level_words[k].next) {
			if (ne > e && !next[0])
				short_key(t + e + 1, ne - e - 1, next);
			if (ne == e || strcmp(next, lk->next[k]))
				return NULL;
			p = ne;
		}
		if (p < sc->len && t[p] == '.')
			p++;
		if (p < sc->len && t[p] == ' ')
			p++;
		if (!word_at(sc, p))
			return NULL;
		*x = p;
		return level_words[k].level;
	}
	return NULL;
}

/* Does the province mention at t[i) name the province of another
 * district: ", tỉnh An Giang" after "huyện Chợ Mới" in a report of huyện
 * Phú Tân?  Then it says where a guest comes from, not where the
 * meeting is, and is not counted.  After the locality itself ("huyện
 * Phú Tân, tỉnh Cà Mau") it counts. */
static int of_other_district(const scan *sc, const level_keys *lk, size_t i)
{
	const char *t = sc->t;
	size_t p = i;
	while (p > 0 && t[p - 1] == ' ')
		p--;
	if (p == 0 || t[p - 1] != ',')
		return 0;
	size_t ne = p - 1;
	while (ne > 0 && t[ne - 1] == ' ')
		ne--;
	/* Back over up to four capitalized words to a level word. */
	size_t ns = ne;
	for (int words = 0; words < 4 && ns > 0; words++) {
		size_t q = ns;
		if (words && t[q - 1] == ' ')
			q--;   /* the space between two words of the name */
		size_t we0 = q;
		while (q > 0 && t[q - 1] != ' ' && t[q - 1] != ',')
			q--;
		if (q == we0 || !upper_at(sc, q))
			return 0;
		ns = q;
		/* The word before, or the two before ("thị xã"), a level? */
		size_t e1 = ns > 0 && t[ns - 1] == ' ' ? ns - 1 : ns, s1 = e1;
		while (s1 > 0 && t[s1 - 1] != ' ')
			s1--;
		size_t s2 = s1 > 0 ? s1 - 1 : s1;
		while (s2 > 0 && t[s2 - 1] != ' ')
			s2--;
		size_t starts[2] = {s1, s2};
		for (int k = 0; k < 2 && e1 < ns; k++) {
			size_t x, we = qp_vn_word_end(t, sc->len, starts[k]);
			const char *level = we > starts[k]
			                    ? level_at(sc, lk, starts[k], we, &x) : NULL;
			if (!level || x != ns || !strcmp(level, "tỉnh"))
				continue;
			char key[KEY_RUN];
			long kl = qp_fold_key(t + ns, ne - ns, key, sizeof key);
			return kl >= 0 && (size_t)kl < sizeof key &&
			       strcmp(key, sc->loc_key) != 0;
		}
	}
	return 0;
}

/* Count every mention of a province in the document (c above). */
static int count_mentions(scan *sc)
{
	level_keys lk;
	level_keys_init(&lk);
	size_t i = 0;
	while (i < sc->len) {
		size_t we = qp_vn_word_end(sc->t, sc->len, i);
		if (we == i) {
			i += qp_utf8_len((unsigned char)sc->t[i]);
			continue;
		}
		size_t end = we, row = NONE, x = we;
		int rc = upper_at(sc, i) ? province_at(sc, i, 0, &end, &row) : 0;
		const char *level = rc ? NULL : level_at(sc, &lk, i, we, &x);
		if (level && strcmp(level, "tỉnh"))
			rc = district_at(sc, x, level, &end, &row);
		if (level && !rc)
			rc = province_at(sc, x, 1, &end, &row);
		if (rc < 0)
			return -1;
		if (rc == 1 && !of_other_district(sc, &lk, i))
			sc->count[row]++;
		i = rc ? end : we;
	}
	return 0;
}

/* The province of the locality name[0..n) at `level` by a or b above:
 * 1 with *row, 2 when it is a district of several provinces (marked in
 * sc->cand), 0 when neither table has it, -1 out of memory. */
static int locality_row(scan *sc, const char *name, size_t n,
                        const char *level, size_t *row)
{
	size_t k;
	int rc = province_named(sc, name, n, row);
	long m = rc ? 0 : qp_lexicon_find_all(sc->alias, name, n, &k);
	if (m > 0) {
		const char *to = sc->alias->values[sc->alias->key_index[k]];
		rc = province_named(sc, to, strlen(to), row);
	}
	if (rc < 0 || m < 0)
		return -1;
	if (rc) {
		int city = sc->prov->values2 &&
		           !strcmp(sc->prov->values2[*row], "thành phố");
		if (!level || !strcmp(level, "tỉnh") ||
		    (city && !strcmp(level, "thành phố")))
			return 1;
	}
	if (level && !strcmp(level, "tỉnh"))
		return 0;
	if ((m = qp_lexicon_find_all(sc->dist, name, n, &k)) <= 0)
		return (int)m;
	long rows = district_rows(sc, k, (size_t)m, level, sc->cand, row);
	if (rows <= 0)
		return (int)rows;
	return *row == NONE ? 2 : 1;
}

/* The row with the most mentions (among the candidates when `only`),
 * or NONE on a tie or when nothing is named. */
static size_t most_named(const scan *sc, int only)
{
	size_t best = NONE;
	unsigned most = 0;
	int tie = 0;
	for (size_t p = 0; p < sc->prov->n; p++) {
		if (only && !sc->cand[p])
			continue;
		if (sc->count[p] > most) {
			best = p;
			most = sc->count[p];
			tie = 0;
		} else if (most && sc->count[p] == most) {
			tie = 1;
		}
	}
	return tie ? NONE : best;
}

int qp_extract_province(qp_ctx *c, qp_result *r)
{
	qp_meeting *m = &r->meeting;
	scan sc = {
		.prov = table(c->rules, "provinces"),
		.dist = table(c->rules, "districts"),
		.alias = table(c->rules, "province_aliases"),
		.sur = qp_rules_lexicon(c->rules, "surnames"),
		.t = c->doc->fold.s,
		.len = c->doc->fold.len,
	};
	if (!sc.prov || !sc.prov->n)
		return 0;
	sc.count = calloc(sc.prov->n, sizeof *sc.count);
	sc.cand = calloc(sc.prov->n, 1);
	int rc = sc.count && sc.cand ? 0 : -1;
	size_t row = NONE;
	if (m->locality.e > m->locality.s) {
		long kl = qp_fold_key(c->doc->norm.s + m->locality.s,
		                      m->locality.e - m->locality.s, sc.loc_key,
		                      sizeof sc.loc_key);
		if (kl < 0 || (size_t)kl >= sizeof sc.loc_key)
			sc.loc_key[0] = '\0';
	}
	if (!rc && m->locality.e > m->locality.s)
		rc = locality_row(&sc, c->doc->norm.s + m->locality.s,
		                  m->locality.e - m->locality.s, m->locality_level,
		                  &row);
	if (rc == 0 || rc == 2) {
		if (count_mentions(&sc))
			rc = -1;
		else
			row = most_named(&sc, rc == 2);
	}
	if (rc >= 0 && row != NONE) {
		m->province = sc.prov->entries[row];
		m->province_2025 = sc.prov->values[row][0] ? sc.prov->values[row] : NULL;
	}
	free(sc.count);
	free(sc.cand);
	return rc < 0 ? -1 : 0;
}
