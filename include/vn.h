/*
 * vn.h - small facts about written Vietnamese that several extractors
 * need: where words end, which words are capitalized, how to fold a
 * short string for comparison.
 *
 * Vietnamese writes one syllable per space-separated word; personal and
 * place names capitalize every syllable ("Nguyễn Hồng Phong", "Hà
 * Tĩnh"), abbreviations are all capitals ("UBND", "BĐBP").
 */
#ifndef QPAN_VN_H
#define QPAN_VN_H

#include <stddef.h>

/* End of the word (letters, marks, digits) starting at s[i]. */
size_t qp_vn_word_end(const char *s, size_t len, size_t i);
/* Is s[a..b) a capitalized word: a capital then lower-case letters, or
 * a lone capital ("Hồng" and the "A" of "Giàng A Dình" yes; "UBND" and
 * "hồng" no)? */
int qp_vn_is_capitalized(const char *s, size_t a, size_t b);
/* The run of capitalized words starting at s[i], separated by single
 * spaces, at most max words: returns its end (i when none) and the
 * number of words and their starts (starts may be NULL). */
size_t qp_vn_cap_run(const char *s, size_t len, size_t i, size_t max,
                     size_t *nwords, size_t *starts);
/* Fold s[0..n) for comparison (lower case, one tone placement, as the
 * matching fold) into a new malloc'd string; NULL when out of memory. */
char *qp_vn_key(const char *s, size_t n);

/* Look the fold of s[0..n) up in words[0..count) (compared by fold, so
 * "Sáng", "sáng" and an NFD "sáng" all find "sáng"); index or -1. */
int qp_vn_lookup(const char *s, size_t n, const char *const *words,
                 size_t count);

/* Copy norm[s..e) without parenthesized parts ("Bộ đội Biên phòng
 * (BĐBP) tỉnh" -> "Bộ đội Biên phòng tỉnh"), white space collapsed and
 * trailing commas dropped; a new malloc'd string, NULL without memory. */
char *qp_vn_clean(const char *norm, size_t s, size_t e);

#endif
