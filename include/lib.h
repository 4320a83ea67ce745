/*
 * lib.h - the bottom layer: small tools every other layer uses, and
 * nothing of Vietnamese or of the rules.
 *
 *   growth        qp_grow(): room for one more element in an array that
 *                 doubles, so n appends cost O(n); qp_grow_to(): room
 *                 for `need` elements.  On failure the array is
 *                 unchanged and still the caller's.
 *
 *                     if (qp_grow(&r->stats, &r->capstats, r->nstats,
 *                                 sizeof *r->stats))
 *                             return -1;
 *                     r->stats[r->nstats++] = st;
 *
 *   qp_sbuf       a NUL-terminated string that grows as it is appended
 *                 to; the buffer is the caller's to free (qp_sbuf_free).
 *   UTF-8         the length of a character from its lead byte, and
 *                 moving an offset onto a character boundary.
 *   qp_gallop()   the first element above a key in a sorted array,
 *                 searched from a finger (where the last search ended),
 *                 for lookups that go through a document in order.
 *   qp_read_file  a file (or standard input) read whole.
 *   qp_open_path  openat(2) that also opens paths of PATH_MAX bytes or
 *                 more (a document deep in a tree).
 *   qp_diag()     a one-line message on stderr, "qpan: ..." with
 *                 control bytes and invalid UTF-8 of names escaped.
 *
 * Layers (see README, "Source tree"): lib < text < rules < doc <
 * extract < output < app; this header includes nothing of the project.
 */
#ifndef QPAN_LIB_H
#define QPAN_LIB_H

#include <stddef.h>
#include <stdint.h>

/* --- growth (grow.c) ------------------------------------------------ */

/* *(void **)vp is the array, *cap its capacity, n the elements in use:
 * make room for one more.  0, or -1 when out of memory. */
int qp_grow(void *vp, size_t *cap, size_t n, size_t elem);
/* Make room for `need` elements (capacity doubles from 8 until it
 * holds them). */
int qp_grow_to(void *vp, size_t *cap, size_t need, size_t elem);
/* FNV-1a over n bytes, continuing from h (start with QP_HASH_SEED):
 * the hash of the keys of qp_push_unique. */
#define QP_HASH_SEED 0xcbf29ce484222325ULL
uint64_t qp_hash_bytes(uint64_t h, const void *p, size_t n);

/* An index of the elements of one array by a hash of their key, so that
 * "is this fact there already?" costs O(1), not a pass over the array
 * (a document of 100,000 numbers has 100,000 statistics).  Start with
 * {0}; the array's owner frees it with qp_uniq_free when the array is
 * complete. */
typedef struct {
	uint64_t hash;
	size_t   index;   /* element + 1; 0 for a free slot */
} qp_uniq_slot;
typedef struct {
	qp_uniq_slot *slot;
	size_t        cap, used;
} qp_uniq;

/* Append the elem bytes at item unless same(ctx, e, item) holds for an
 * element e already there with the same hash (the same fact told
 * twice): 1 appended, 0 already there, -1 out of memory (array and
 * index unchanged).  Every element of the array must have come in
 * through the same index u. */
int  qp_push_unique(void *vp, size_t *n, size_t *cap, size_t elem,
                    const void *item, uint64_t hash, qp_uniq *u,
                    int (*same)(const void *ctx, const void *a, const void *b),
                    const void *ctx);
void qp_uniq_free(qp_uniq *u);

/* --- string buffer (sbuf.c) ------------------------------------------ */

typedef struct {
	char  *s;     /* NUL-terminated once anything was added; NULL before */
	size_t n;     /* bytes before the NUL */
	size_t cap;   /* bytes allocated */
} qp_sbuf;

/* Append n bytes; 0, or -1 when out of memory (b unchanged). */
int  qp_sbuf_add(qp_sbuf *b, const char *p, size_t n);
/* Append a NUL-terminated string. */
int  qp_sbuf_puts(qp_sbuf *b, const char *s);
/* Make room for n more bytes (and the NUL) without adding them: the
 * caller writes b->s[b->n ...] and advances b->n itself. */
int  qp_sbuf_reserve(qp_sbuf *b, size_t n);
/* Cut back to the first n bytes (n <= b->n). */
void qp_sbuf_truncate(qp_sbuf *b, size_t n);
/* Give the string to the caller (b is empty afterwards); NULL when
 * nothing was ever added and memory for "" cannot be had. */
char *qp_sbuf_take(qp_sbuf *b);
void qp_sbuf_free(qp_sbuf *b);

/* --- UTF-8 ------------------------------------------------------------ */

/* Is c a continuation byte (10xxxxxx)? */
static inline int qp_utf8_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}
/* Bytes of the character whose lead byte is c (1 for a continuation
 * byte, so that malformed input never swallows what follows). */
static inline size_t qp_utf8_len(unsigned char c)
{
	return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
/* Move i back onto the start of its character, not below lo. */
static inline size_t qp_utf8_back(const char *s, size_t lo, size_t i)
{
	while (i > lo && qp_utf8_cont((unsigned char)s[i]))
		i--;
	return i;
}
/* Move i forward onto the start of a character, not beyond hi. */
static inline size_t qp_utf8_fwd(const char *s, size_t i, size_t hi)
{
	while (i < hi && qp_utf8_cont((unsigned char)s[i]))
		i++;
	return i;
}

/* The length (1-4) of the valid UTF-8 character at s[0..n) (n >= 1),
 * or 0 when the bytes there are malformed: a stray continuation byte,
 * an overlong form, a surrogate, a sequence cut short. */
size_t qp_utf8_valid_len(const unsigned char *s, size_t n);

/* --- diagnostics (diag.c) ----------------------------------------------- */

/* The longest message qp_diag prints (longer ones are cut). */
#define QP_DIAG_MAX 4096

/* Copy src[0..n) to dst (cap bytes, NUL-terminated) with every byte that
 * could break a one-line message escaped: \n \t \r, other control
 * bytes and bytes of invalid UTF-8 as \xNN, a backslash as \\.  Valid
 * UTF-8 is copied.  Returns the bytes written (cut at a whole escape
 * when dst is full). */
size_t qp_escape_msg(char *dst, size_t cap, const char *src, size_t n);
/* Print "qpan: MESSAGE\n" on stderr, the formatted MESSAGE escaped by
 * qp_escape_msg.  Allocates nothing (usable when memory ran out). */
void qp_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* --- galloping search -------------------------------------------------- */

/* The first k in [0, n] with key(ctx, k) > x, where key is
 * non-decreasing in k: gallops from *finger (towards lower k when
 * key(finger - 1) > x, else upwards), then a binary search; O(log of
 * the distance from the finger).  *finger is left at the answer.  Being
 * inline, a constant `key` is inlined into each caller. */
static inline size_t qp_gallop(size_t n, size_t *finger, size_t x,
                               size_t (*key)(const void *ctx, size_t k),
                               const void *ctx)
{
	size_t f = *finger < n ? *finger : n, lo, hi, step = 1;
	if (f > 0 && key(ctx, f - 1) > x) {
		/* Left of the finger: the answer is in [lo, f). */
		hi = f - 1;
		for (;;) {
			if (step > hi) {
				lo = 0;
				break;
			}
			lo = hi - step;
			if (key(ctx, lo) <= x) {
				lo++;
				break;
			}
			hi = lo;
			step *= 2;
		}
	} else {
		lo = f;
		for (;;) {
			hi = lo + step;
			if (hi >= n) {
				hi = n;
				break;
			}
			if (key(ctx, hi) > x)
				break;
			lo = hi + 1;
			step *= 2;
		}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key(ctx, mid) <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	*finger = lo;
	return lo;
}

/* --- reading files (readfile.c) ----------------------------------------- */

/* Read all of `path` ("-" is standard input) into a new malloc'd buffer
 * (*out, *len; one spare NUL byte after the data).  Returns 0, or an
 * errno value describing why the file could not be read: EFBIG when it
 * is longer than max bytes (0: no limit; a regular file by its size, a
 * stream once max + 1 bytes are read: no more is read or allocated),
 * EISDIR for a directory. */
int qp_read_file(const char *path, size_t max, char **out, size_t *len);
/* The same, and *st (when not NULL) is the file as fstat(2) saw it on
 * the descriptor read, before the first byte was: what was read is at
 * least as old as that (--incremental's identity of a source). */
struct stat;
int qp_read_file_stat(const char *path, size_t max, char **out, size_t *len,
                      struct stat *st);

/* --- opening long paths (openpath.c) ------------------------------------ */

/* openat(dirfd, path, flags) (O_CLOEXEC added, mode 0666 when creating),
 * but a path of PATH_MAX bytes or more is opened a piece at a time
 * instead of failing with ENAMETOOLONG.  Returns the descriptor, or -1
 * with errno set. */
int qp_open_path(int dirfd, const char *path, int flags);

#endif
