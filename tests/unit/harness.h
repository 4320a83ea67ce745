/*
 * harness.h - what the unit test suites share: reporting checks,
 * messages, random input, temporary files, sample text, and preparing a
 * document.  The suites themselves are listed in suites.h.
 *
 * Every check prints one line on stdout: "PASS name" or "FAIL name:
 * reason".  tests/run.sh counts them; main() returns 0 however many
 * failed, so a nonzero status means the program itself broke (a crash,
 * a sanitizer report).  Checks that run many cases (the NFC oracle, the
 * offset map over random strings) print one line for the whole group,
 * naming the first case that failed.
 *
 * All text here is invented for the tests; no corpus text is copied.
 */
#ifndef QPAN_UNIT_HARNESS_H
#define QPAN_UNIT_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "text.h"

/* ---- Reporting ---------------------------------------------------- */

/* Report one check.  The reason (printf-style) is only used on
 * failure.  Returns ok. */
__attribute__((format(printf, 3, 4)))
int check(const char *name, int ok, const char *fmt, ...);

/* A group of cases reported as one check: counts the cases and keeps
 * the reason of the first that failed. */
typedef struct {
	const char *name;
	size_t      cases, failed;
	char        first[1024];
} group;

void group_start(group *g, const char *name);
__attribute__((format(printf, 2, 3)))
void group_fail(group *g, const char *fmt, ...);
void group_end(group *g);

/* Render s[0..n) unambiguously for a message: printable ASCII as is,
 * other characters as <U+XXXX>, invalid bytes as \xNN.  Returns a
 * pointer to one of a few rotating static buffers. */
const char *show(const char *s, size_t n);
const char *shows(const char *s);
/* shows(s), or "(error)" when s is NULL (a helper that failed). */
const char *shows_or_error(const char *s);

/* The number of elements of an array. */
#define COUNT(a) (sizeof(a) / sizeof *(a))

/* ---- UTF-8 and random input --------------------------------------- */

/* Append code point cp as UTF-8 to buf (of at least *n + 4 bytes). */
void put_cp(char *buf, size_t *n, int32_t cp);
/* Is byte c the first byte of a UTF-8 character? */
int is_lead(unsigned char c);

/* A deterministic PRNG (xorshift64*), so failures can be replayed.
 * One stream for the whole run: the suites draw from it in order. */
uint32_t rng(void);

/* Interesting code points for random strings: ASCII, precomposed
 * Vietnamese, combining marks of many classes, singletons and other
 * canonical decompositions NFC does not keep, composition exclusions,
 * Hangul jamo and syllables, starters that compose with the character
 * before them, and assorted punctuation and symbols.  No CR, no NUL,
 * no BOM (those have their own tests). */
extern const int32_t interesting[];
extern const size_t  n_interesting;

/* The longest random_text(), with its NUL. */
#define RANDOM_TEXT_MAX (16 * 4 + 1)
/* Fill buf with 1 to 16 random interesting code points and a NUL;
 * returns the length in bytes.  When fix is not NULL each code point
 * goes through fix(cp, index) first. */
size_t random_text(char buf[RANDOM_TEXT_MAX], int32_t (*fix)(int32_t, int));

/* ---- Sample text -------------------------------------------------- */

/* Vietnamese text, NFC, invented for the tests. */
extern const char *const vi_nfc[];
extern const size_t      n_vi_nfc;

/* utf8proc's NFD of s, malloc'd. */
char *oracle_nfd(const char *s);

/* ---- Documents ---------------------------------------------------- */

/* qp_doc_init(d, "test") and qp_doc_prepare() on a copy of s, as UTF-8
 * with no codecs and no rules.  Call qp_doc_free(d) whatever it
 * returns. */
qp_norm_status doc_prepare(qp_doc *d, const char *s);

/* The fold of s (any normalization) through normalize + fold,
 * malloc'd, or NULL. */
char *fold_of(const char *s);

/* Does rule match somewhere in s, prepared as a document and matched
 * on the rule's layer?  1 or 0; -1 when s does not prepare.  With got,
 * the whole match (or "(no match)") is written there when s prepared. */
int rule_on_text(qp_matcher *m, const qp_rule *rule, const char *s,
                 char *got, size_t gotlen);

/* ---- Temporary files ---------------------------------------------- */

/* A new empty directory under $TMPDIR or /tmp; the name is malloc'd. */
char *make_tmpdir(void);
/* Remove a directory tree without following links. */
void rm_tree(const char *dir);
/* Write dir/rel (creating parent directories) with the given text. */
void write_file(const char *dir, const char *rel, const char *text);

#include "suites.h"

#endif
