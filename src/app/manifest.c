/*
 * manifest.c - the identities of sources read by earlier runs (see
 * manifest.h for the file's format and the up-to-date rule).
 *
 *   DIR/.qpan-manifest --parse--> table (source -> identity, last line
 *   wins) <--record-- this run's outputs (also appended to the file)
 *   table --close--> the file rewritten, one line per source
 *
 * The table is a hash table of its own entries, chained by index.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"
#include "manifest.h"
#include "outdir.h"

#define MANIFEST_NAME ".qpan-manifest"
#define MANIFEST_V1 "qpan-manifest 1\n"
#define MANIFEST_V2 "qpan-manifest 2\t"

void qp_source_id_text(qp_source_id *id, const char *text, size_t n)
{
	memset(id, 0, sizeof *id);
	id->kind = QP_ID_TEXT;
	id->size = n;
	id->hash = qp_hash_bytes(QP_HASH_SEED, text, n);
	id->hashed = 1;
}

int qp_source_id_same(const qp_source_id *a, const qp_source_id *b)
{
	if (a->kind != b->kind || a->size != b->size)
		return 0;
	if (a->hashed && b->hashed && a->hash != b->hash)
		return 0;
	return a->kind != QP_ID_FILE ||
	       (a->mtime_ns == b->mtime_ns && a->dev == b->dev &&
	        a->ino == b->ino);
}

void qp_source_id_file(qp_source_id *id, const struct stat *st,
                       const struct timespec *read)
{
	if (!S_ISREG(st->st_mode))
		return;   /* a FIFO, a terminal: only what was read counts */
	id->kind = QP_ID_FILE;
	id->size = (uint64_t)st->st_size;   /* as it was before the read */
	id->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	               st->st_mtim.tv_nsec;
	id->dev = (uint64_t)st->st_dev;
	id->ino = (uint64_t)st->st_ino;
	id->read_ns = (int64_t)read->tv_sec * 1000000000 + read->tv_nsec;
}

int qp_source_id_path(const char *source, size_t max_bytes,
                      qp_source_id *now)
{
	int fd = qp_open_path(AT_FDCWD, source, O_PATH);
	struct stat st;
	if (fd < 0)
		return -1;
	int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	if (!ok)
		return -1;
	struct timespec when = {0, 0};
	char *raw;
	size_t len;
	memset(now, 0, sizeof *now);
	int rc = qp_read_file_stat(source, max_bytes, &raw, &len, &st);
	if (rc == 0) {
		qp_source_id_text(now, raw, len);
		free(raw);
	} else if (rc != EFBIG) {
		return -1;
	}
	qp_source_id_file(now, &st, &when);
	return now->kind == QP_ID_FILE ? 0 : -1;
}

typedef struct {
	char        *source;
	qp_source_id id;
	int          failed;
	int          stale;  /* recorded under another stamp: kept for
	                      * --prune, trusted for nothing */
	int          gone;   /* pruned: not written back */
	int          seen;   /* named in this run (qp_manifest_seen) */
	size_t       next;   /* chain: index + 1, 0 ends */
} entry;

struct qp_manifest {
	qp_outdir *od;
	char   *stamp;       /* this run's */
	int     stale;       /* the file is of another stamp */
	entry  *entries;
	size_t  n, cap;
	size_t *buckets;     /* index + 1, 0: empty */
	size_t  nbuckets;    /* a power of two */
	int     appendfd;
	int     torn;        /* the file does not end with a line break */
};

static size_t bucket_of(const qp_manifest *m, const char *source)
{
	return (size_t)qp_hash_bytes(QP_HASH_SEED, source, strlen(source)) &
	       (m->nbuckets - 1);
}

static entry *lookup(const qp_manifest *m, const char *source)
{
	if (!m->nbuckets)
		return NULL;
	for (size_t i = m->buckets[bucket_of(m, source)]; i;
	     i = m->entries[i - 1].next)
		if (strcmp(m->entries[i - 1].source, source) == 0)
			return &m->entries[i - 1];
	return NULL;
}

static int rehash(qp_manifest *m)
{
	size_t nb = m->nbuckets ? m->nbuckets * 2 : 1024;
	size_t *b = calloc(nb, sizeof *b);
	if (!b)
		return ENOMEM;
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = nb;
	for (size_t i = 0; i < m->n; i++) {
		size_t k = bucket_of(m, m->entries[i].source);
		m->entries[i].next = b[k];
		b[k] = i + 1;
	}
	return 0;
}

/* Set source's identity in the table (source copied). */
static int put(qp_manifest *m, const char *source, const qp_source_id *id,
               int failed, int stale)
{
	entry *e = lookup(m, source);
	if (e) {
		e->id = *id;
		e->failed = failed;
		e->stale = stale;
		e->gone = 0;
		return 0;
	}
	if (m->n >= m->nbuckets && rehash(m))
		return ENOMEM;
	if (qp_grow(&m->entries, &m->cap, m->n, sizeof *m->entries))
		return ENOMEM;
	char *s = strdup(source);
	if (!s)
		return ENOMEM;
	size_t k = bucket_of(m, source);
	m->entries[m->n] = (entry){s, *id, failed, stale, 0, 0, m->buckets[k]};
	m->buckets[k] = ++m->n;
	return 0;
}

/* ---------------------------------------------------------------------
 * Lines */

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Undo the escaping of SOURCE in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		int a, b;
		if (*s == '%' && (a = hexval(s[1])) >= 0 && (b = hexval(s[2])) >= 0) {
			*o++ = (char)(a * 16 + b);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static int parse_time(const char *s, int64_t *ns)
{
	long long sec;
	long frac;
	char *e;
	sec = strtoll(s, &e, 10);
	if (*e != '.' || strlen(e + 1) != 9)
		return -1;
	frac = strtol(e + 1, &e, 10);
	if (*e)
		return -1;
	*ns = (int64_t)sec * 1000000000 + frac;
	return 0;
}

/* One line (NUL-terminated, no line break) into the table; a line that
 * does not parse is skipped.  Version 1 lines have no STATUS. */
static int parse_line(qp_manifest *m, char *line)
{
	char *f[9];
	int nf = 0;
	for (char *s = line; nf < 9;) {
		f[nf++] = s;
		char *t = strchr(s, '\t');
		if (!t)
			break;
		*t = '\0';
		s = t + 1;
	}
	if (nf < 8)
		return 0;
	qp_source_id id;
	memset(&id, 0, sizeof id);
	char *e;
	int failed = nf > 8 && strcmp(f[8], "failed") == 0;
	int stale = m->stale || (nf > 8 && strcmp(f[8], "stale") == 0);
	id.size = strtoull(f[2], &e, 10);
	if (*e || !*f[2])
		return 0;
	if (strcmp(f[7], "-") != 0) {
		if (strlen(f[7]) != 16)
			return 0;
		id.hash = strtoull(f[7], &e, 16);
		if (*e)
			return 0;
		id.hashed = 1;
	}
	if (strcmp(f[1], "text") == 0) {
		id.kind = QP_ID_TEXT;
	} else if (strcmp(f[1], "file") == 0) {
		id.kind = QP_ID_FILE;
		id.dev = strtoull(f[4], &e, 10);
		if (*e || !*f[4])
			return 0;
		id.ino = strtoull(f[5], &e, 10);
		if (*e || !*f[5] || parse_time(f[3], &id.mtime_ns) ||
		    parse_time(f[6], &id.read_ns))
			return 0;
	} else {
		return 0;
	}
	unescape(f[0]);
	return put(m, f[0], &id, failed, stale);
}

/* Append source's line to b.  0, or -1 when out of memory. */
static int put_line(qp_sbuf *b, const char *source, const qp_source_id *id,
                    const char *status)
{
	int bad = 0;
	for (const char *s = source; *s; s++) {
		char esc[4] = {*s, 0, 0, 0};
		if (*s == '%' || *s == '\t' || *s == '\n' || *s == '\r')
			snprintf(esc, sizeof esc, "%%%02x", (unsigned char)*s);
		bad |= qp_sbuf_puts(b, esc);
	}
	char t[240], hash[20] = "-";
	if (id->hashed)
		snprintf(hash, sizeof hash, "%016" PRIx64, id->hash);
	if (id->kind == QP_ID_FILE)
		snprintf(t, sizeof t, "\tfile\t%" PRIu64 "\t%" PRId64 ".%09" PRId64
		         "\t%" PRIu64 "\t%" PRIu64 "\t%" PRId64 ".%09" PRId64
		         "\t%s\t%s\n", id->size, id->mtime_ns / 1000000000,
		         id->mtime_ns % 1000000000, id->dev, id->ino,
		         id->read_ns / 1000000000, id->read_ns % 1000000000, hash,
		         status);
	else
		snprintf(t, sizeof t, "\ttext\t%" PRIu64 "\t-\t-\t-\t-\t%s\t%s\n",
		         id->size, hash, status);
	return bad | qp_sbuf_puts(b, t);
}

/* ---------------------------------------------------------------------
 * The file */

static void manifest_free(qp_manifest *m)
{
	if (m->appendfd >= 0)
		close(m->appendfd);
	for (size_t i = 0; i < m->n; i++)
		free(m->entries[i].source);
	free(m->entries);
	free(m->buckets);
	free(m->stamp);
	free(m);
}

/* The header line of this run's manifest, into b. */
static int put_header(qp_sbuf *b, const char *stamp)
{
	return qp_sbuf_puts(b, MANIFEST_V2) | qp_sbuf_puts(b, stamp) |
	       qp_sbuf_puts(b, "\n");
}

qp_manifest *qp_manifest_open(qp_outdir *od, const char *stamp, int *err)
{
	qp_manifest *m = calloc(1, sizeof *m);
	if (!m || !(m->stamp = strdup(stamp))) {
		free(m);
		*err = ENOMEM;
		return NULL;
	}
	m->od = od;
	m->appendfd = -1;
	int dfd = qp_outdir_fd(od);
	char *path = qp_outdir_join(qp_outdir_dir(od), MANIFEST_NAME);
	char *text = NULL;
	size_t len = 0;
	int rc = path ? qp_read_file(path, 0, &text, &len) : ENOMEM;
	free(path);
	if (rc == ENOENT)
		rc = 0;
	/* The header: this run's stamp, another's, version 1's, or none
	 * (not a manifest: start afresh). */
	char *body = NULL;
	size_t v2 = strlen(MANIFEST_V2), v1 = strlen(MANIFEST_V1);
	char *eol = !rc && text ? memchr(text, '\n', len) : NULL;
	if (eol && (size_t)(eol - text) >= v2 && !memcmp(text, MANIFEST_V2, v2)) {
		*eol = '\0';
		m->stale = strcmp(text + v2, stamp) != 0;
		body = eol + 1;
	} else if (eol && len >= v1 && !memcmp(text, MANIFEST_V1, v1)) {
		m->stale = 1;
		body = text + v1;
	}
	if (body) {
		char *s = body;
		for (char *nl; !rc && (nl = memchr(s, '\n', len - (size_t)(s - text)));
		     s = nl + 1) {
			*nl = '\0';
			rc = parse_line(m, s);
		}
		m->torn = s < text + len;
	} else if (!rc && text && len) {
		m->torn = 1;
	}
	/* Lines appended under another header would be read as of its
	 * stamp: append nothing until the rewrite at the end. */
	if (m->stale)
		m->torn = 1;
	free(text);
	if (!rc) {
		m->appendfd = openat(dfd, MANIFEST_NAME,
		                     O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (m->appendfd < 0)
			rc = errno;
	}
	if (!rc && len == 0) {
		qp_sbuf h = {0};
		if (put_header(&h, stamp))
			rc = ENOMEM;
		else if (write(m->appendfd, h.s, h.n) != (ssize_t)h.n)
			rc = errno ? errno : EIO;
		qp_sbuf_free(&h);
	}
	if (rc) {
		manifest_free(m);
		*err = rc;
		return NULL;
	}
	return m;
}

const qp_source_id *qp_manifest_find(const qp_manifest *m, const char *source,
                                     int *failed)
{
	const entry *e = lookup(m, source);
	if (!e || e->gone || e->stale)
		return NULL;
	*failed = e->failed;
	return &e->id;
}

void qp_manifest_seen(qp_manifest *m, const char *source)
{
	entry *e = lookup(m, source);
	if (e)
		e->seen = 1;
}

size_t qp_manifest_prune(qp_manifest *m,
                         int (*gone)(const char *source, int kind, int seen,
                                     void *ctx),
                         void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++) {
		entry *e = &m->entries[i];
		if (!e->gone && gone(e->source, e->id.kind, e->seen, ctx)) {
			e->gone = 1;
			n++;
		}
	}
	return n;
}

int qp_manifest_record(qp_manifest *m, const char *source,
                       const qp_source_id *id, int failed)
{
	if (put(m, source, id, failed, 0))
		return ENOMEM;
	qp_manifest_seen(m, source);
	if (m->torn)
		return 0;   /* appending would join a broken line: the final
		             * rewrite keeps it */
	qp_sbuf b = {0};
	if (put_line(&b, source, id, failed ? "failed" : "ok")) {
		qp_sbuf_free(&b);
		return ENOMEM;
	}
	/* One write of one line: with O_APPEND it lands whole or not. */
	ssize_t w = write(m->appendfd, b.s, b.n);
	int rc = w == (ssize_t)b.n ? 0 : w < 0 ? errno : EIO;
	qp_sbuf_free(&b);
	return rc;
}

int qp_manifest_close(qp_manifest *m)
{
	if (!m)
		return 0;
	qp_sbuf b = {0};
	int bad = put_header(&b, m->stamp);
	/* Entries of another stamp are kept (their outputs are still
	 * there, for --prune) as "stale": trusted by no later run. */
	for (size_t i = 0; i < m->n && !bad; i++) {
		entry *e = &m->entries[i];
		if (!e->gone)
			bad = put_line(&b, e->source, &e->id, e->stale ? "stale"
			               : e->failed ? "failed" : "ok");
	}
	int rc = bad ? ENOMEM : qp_outdir_write(m->od, MANIFEST_NAME, b.s, b.n);
	qp_sbuf_free(&b);
	manifest_free(m);
	return rc;
}
