/*
 * fold.c - norm to the matching form, and comparison keys (text.h).
 *
 * Case is kept (rules match it caselessly, but a rule can still
 * ask for a capital with \p{Lu}, as names need); comparison keys
 * (qp_fold_key) are lower-cased too.  Vietnamese writes the
 * tone mark on different vowels in the old and new styles: "Hoà"/"Hòa",
 * "thuỷ"/"thủy".  The fold takes each word apart (NFD), lifts its tone
 * mark off whatever vowel carries it and puts it back on the word's
 * first vowel, then composes again: both spellings of "Hòa" fold to
 * "hòa", "thuỷ" to "thủy", and "quốc" to "qúôc".  Every vowel with every
 * tone has a precomposed form, so the fold never leaves a loose
 * combining mark (which would break \b in patterns).  Nobody reads the
 * fold; rules are folded the same way when they are compiled, so a rule
 * written either way matches both.  Dashes fold to "-", curly quotes to
 * '"' and "'", and non-breaking and other spaces to " ".
 * Fast path: a word made only of ASCII letters and precomposed Latin
 * letters (a base letter with at most one tone and the Vietnamese
 * marks) is folded character by character from a table built once with
 * utf8proc itself (unicode.c), so it gives exactly what the general
 * path (fold_word) gives; anything else takes the general path.  A
 * word the fold leaves as it is (its tone already on the first vowel)
 * is not rewritten at all: unchanged text accumulates in one stretch,
 * written at once.  The fold of a document, of a rule's pattern and of
 * a comparison key are one function, fold_run(), into a sink.
 */
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

#define FAST_WORD_CHARS 64

/* The replacement for a non-letter character in the fold, or NULL. */
static const char *fold_punct(int32_t cp)
{
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
		return "-";
	if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0xAB ||
	    cp == 0xBB)
		return "\"";
	if (cp == 0x2018 || cp == 0x2019)
		return "'";
	if (cp == 0x2026)
		return "...";
	if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
	    cp == 0x3000)
		return " ";
	return NULL;
}

/* Fold one word w[0..n) (NFC, at least one non-ASCII byte) the general
 * way.  `base` is the offset of w in the source of the map. */
static int fold_word(const char *w, size_t n, size_t base, int lower,
                     uc_sink *out, uc_cpbuf *cps, int32_t *tmp, size_t tmpcap)
{
	int32_t tone = 0;
	size_t vowel = (size_t)-1;   /* index in cps of the first vowel */
	size_t last_letter = base;
	size_t i = 0;

	cps->n = 0;
	while (i < n) {
		int32_t cp;
		utf8proc_ssize_t len = uc_decode(w, n, i, &cp);
		if (len < 0)
			return -1;
		int dc;
		utf8proc_ssize_t dn = utf8proc_decompose_char(
			cp, tmp, (utf8proc_ssize_t)tmpcap,
			UTF8PROC_DECOMPOSE, &dc);
		if (dn < 0 || (size_t)dn > tmpcap)
			return -1;
		for (utf8proc_ssize_t k = 0; k < dn; k++) {
			int32_t d = tmp[k];
			if (qp_is_tone_mark(d)) {
				if (!tone)
					tone = d;
				continue;
			}
			if (lower && k == 0)
				d = utf8proc_tolower(d);
			if (k == 0 && vowel == (size_t)-1 && d < 0x80 &&
			    strchr("aeiouyAEIOUY", (int)d))
				vowel = cps->n;
			if (uc_cpbuf_push(cps, d, base + i))
				return -1;
		}
		if (!uc_attaches(cp))
			last_letter = base + i;
		i += (size_t)len;
	}
	if (tone && vowel == (size_t)-1) {
		/* No vowel to carry it ("ngh̀"?): keep it after the last letter. */
		if (uc_cpbuf_push(cps, tone, last_letter))
			return -1;
	} else if (tone) {
		/* Insert among the vowel's marks in canonical order, or it
		 * will not compose: "ậ" is a + U+0323 (class 220) + U+0302
		 * (class 230), "ợ" is o + U+031B (216) + U+0323. */
		int cls = utf8proc_get_property(tone)->combining_class;
		size_t at = vowel + 1;
		while (at < cps->n && uc_attaches(cps->cp[at]) &&
		       utf8proc_get_property(cps->cp[at])->combining_class <= cls)
			at++;
		if (uc_cpbuf_push(cps, 0, 0))
			return -1;
		memmove(cps->cp + at + 1, cps->cp + at,
		        (cps->n - 1 - at) * sizeof *cps->cp);
		memmove(cps->at + at + 1, cps->at + at,
		        (cps->n - 1 - at) * sizeof *cps->at);
		cps->cp[at] = tone;
		cps->at[at] = cps->at[vowel];
	}

	/* Compose cluster by cluster so every output byte keeps the offset
	 * of the letter it was built on. */
	for (size_t k = 0; k < cps->n;) {
		size_t e = k + 1;
		while (e < cps->n && uc_attaches(cps->cp[e]))
			e++;
		if (uc_sink_composed(out, cps->cp + k, e - k, cps->at[k]))
			return -1;
		k = e;
	}
	return 0;
}

/* The unchanged stretch s[a..b): each character made from itself, its
 * ASCII capitals lower-cased for keys (the other letters of a stretch
 * are their own lower case: fold_run checked). */
static inline __attribute__((always_inline)) int
flush(uc_sink *o, const char *s, size_t a, size_t b,
                        int lower)
{
	if (!lower || a >= b)
		return a < b ? uc_sink_chars(o, s + a, b - a, a) : 0;
	if (!o->t) {
		/* A key: lower-case straight into the buffer. */
		for (size_t j = a; j < b; j++, o->n++)
			if (o->n < o->cap)
				o->buf[o->n] = s[j] >= 'A' && s[j] <= 'Z'
				               ? (char)(s[j] + 32) : s[j];
		return 0;
	}
	char buf[256];
	while (a < b) {
		size_t k = b - a;
		if (k > sizeof buf)
			k = qp_utf8_back(s, a + 1, a + sizeof buf) - a;
		for (size_t j = 0; j < k; j++) {
			char c = s[a + j];
			buf[j] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		if (uc_sink_chars(o, buf, k, a))
			return -1;
		a += k;
	}
	return 0;
}

/* The fold of s[0..n) into o, lower-cased when `lower` (keys).  What
 * the fold leaves as it is (ASCII, words whose tone is already in
 * place, most punctuation) accumulates in the stretch [reg, i) and is
 * written at once, each character mapped to itself.  Always inlined
 * into its three callers below, each with a constant `lower` and a sink
 * of one kind, so each is compiled for its case (a document's fold, a
 * comparison key) from this one text. */
static inline __attribute__((always_inline)) int
fold_run(const char *s, size_t n, int lower, uc_sink *o)
{
	const unsigned char *u = (const unsigned char *)s;
	uc_cpbuf cps = {0};
	int32_t tmp[32];
	size_t i = 0, reg = 0;   /* [reg, i) is unchanged */
	int rc = -1;

	uc_tables();
	while (i < n) {
		while (i < n && u[i] < 0x80)
			i++;
		if (i >= n)
			break;
		int32_t cp;
		size_t l = uc_decode_fast(u + i, n - i, &cp);
		if (!l) {
			utf8proc_ssize_t m = uc_decode(s, n, i, &cp);
			if (m < 0)
				goto done;
			l = (size_t)m;
		}
		const fold_entry *e0 = uc_fold_lookup(cp);
		if ((e0 && e0->valid) || uc_is_word_char(cp)) {
			/* The word around i: its ASCII letters before, then
			 * letters and marks on; each character's table entry
			 * (NULL: the general path), the first vowel, the tone. */
			const fold_entry *ent[FAST_WORD_CHARS];
			unsigned char off[FAST_WORD_CHARS];
			size_t ws = i, we, nc = 0, vowel = (size_t)-1, toned = 0;
			size_t toned_at = 0;
			int tone = 0, fast = 1, self = 1;
			while (ws > reg && uc_is_ascii_letter(u[ws - 1]))
				ws--;
			for (we = ws; we < n;) {
				const fold_entry *e;
				size_t l2;
				if (u[we] < 0x80) {
					if (!uc_is_ascii_letter(u[we]))
						break;
					e = uc_fold_lookup(u[we]);
					l2 = 1;
				} else {
					int32_t c2;
					l2 = uc_decode_fast(u + we, n - we, &c2);
					if (!l2) {
						utf8proc_ssize_t m = uc_decode(s, n, we, &c2);
						if (m < 0)
							goto done;
						l2 = (size_t)m;
					}
					e = uc_fold_lookup(c2);
					if (!e || !e->valid) {
						if (!uc_is_word_char(c2))
							break;
						e = NULL;
					}
				}
				if (!e || nc == FAST_WORD_CHARS || we - ws > 200) {
					fast = 0;
				} else {
					if (vowel == (size_t)-1 && e->vowel)
						vowel = nc;
					if (e->tone) {
						if (!tone)
							tone = e->tone;
						if (!toned++)
							toned_at = nc;
					}
					/* ASCII capitals are lower-cased by flush(). */
					self &= lower ? e->self_lower || (u[we] >= 'A' &&
					                                  u[we] <= 'Z')
					              : e->self;
					ent[nc] = e;
					off[nc++] = (unsigned char)(we - ws);
				}
				we += l2;
			}
			if (fast && tone && vowel == (size_t)-1)
				fast = 0;
			if (fast && self && (!tone || (toned == 1 && toned_at == vowel))) {
				i = we;   /* folds to itself */
				continue;
			}
			if (flush(o, s, reg, ws, lower))
				goto done;
			if (fast) {
				for (size_t k = 0; k < nc; k++) {
					const char (*forms)[4] = lower ? ent[k]->lower
					                               : ent[k]->out;
					const char *f = forms[k == vowel ? tone : 0];
					if (uc_sink_char(o, f, strlen(f), ws + off[k]))
						goto done;
				}
			} else if (fold_word(s + ws, we - ws, ws, lower, o, &cps, tmp,
			                     32)) {
				goto done;
			}
			reg = i = we;
			continue;
		}
		/* A non-ASCII character that is not part of a word. */
		const char *rep = fold_punct(cp);
		if (flush(o, s, reg, i, lower))
			goto done;
		if (rep ? uc_sink_put(o, rep, strlen(rep), i)
		        : uc_sink_copy(o, s + i, l, i))
			goto done;
		reg = i = i + l;
	}
	if (flush(o, s, reg, n, lower))
		goto done;
	rc = 0;
done:
	uc_cpbuf_free(&cps);
	return rc;
}

int qp_fold_bytes(const char *s, size_t n, int flags, qp_text *out)
{
	uc_sink o = {out, NULL, 0, 0};
	if (qp_text_reserve(out, n))
		return -1;
	if ((flags & QP_FOLD_CASE) ? fold_run(s, n, 1, &o) : fold_run(s, n, 0, &o))
		return -1;
	return qp_text_finish(out, n);
}

long qp_fold_key(const char *s, size_t n, char *buf, size_t cap)
{
	uc_sink o = {NULL, buf, cap, 0};
	if (fold_run(s, n, 1, &o))
		return -1;
	if (o.n < cap)
		buf[o.n] = '\0';
	return (long)o.n;
}

int qp_fold(const qp_text *norm, qp_text *fold)
{
	qp_text_clear(fold);
	return qp_fold_bytes(norm->s, norm->len, 0, fold);
}
