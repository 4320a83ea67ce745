/*
 * manifest.h - what --incremental knows of earlier runs: the identity
 * of each source as it was when it was read, kept in DIR/.qpan-manifest.
 *
 *   reader (pipeline) --qp_source_id--> outcome --emit--> output file
 *       written, then qp_manifest_record (one line appended)
 *   next run: qp_manifest_find(source) vs the source now -> skip or redo
 *
 * A file's identity is its size, modification time (nanoseconds),
 * device and inode from fstat on the descriptor it was read from,
 * before the first byte was read, the time of that read, and the
 * FNV-1a hash of the bytes read.  A record's (and standard input's) is
 * the size and hash of its text.  A source is up to date when every one
 * of these is the same now (so the file is read again to hash it:
 * `cp -p` or `rsync -t` of other bytes with the same size and time is
 * seen), the run's stamp (qpan's version and the hash of the rules in
 * force) is the manifest's, and its output exists.  A source that
 * failed is remembered as failed, with its identity (the hash only when
 * its bytes were read): unchanged, it is "still failing", not read nor
 * reported again.  Times are never compared with the output's.
 *
 * The file: a header line "qpan-manifest 2 STAMP" (a tab before STAMP,
 * "qpan VERSION rules HASH"), then one line per source, tab-separated:
 *   SOURCE  file  SIZE  MTIME  DEV  INODE  READ-TIME  HASH  STATUS
 *   SOURCE  text  SIZE  -      -    -      -          HASH  STATUS
 * (times as SECONDS.NANOSECONDS, HASH 16 hex digits or "-" when the
 * bytes were never read, STATUS "ok", "failed" or "stale" (recorded
 * under another stamp: kept for --prune only), SOURCE with "%", tab,
 * CR and LF written %25 %09 %0d %0a).  Lines are appended as outputs
 * are written, so a killed run loses nothing it finished; a later line
 * for a source replaces an earlier one; a torn last line is ignored.
 * At the end of a run the file is rewritten whole (atomically) with one
 * line per source.  Fields after these are ignored, so a later version
 * can add some.  A version 1 file (no stamp, no STATUS: "ok"), or one
 * with another stamp, is read for --prune but trusted for nothing:
 * every document is done again, and the file rewritten with this run's
 * stamp.
 */
#ifndef QPAN_MANIFEST_H
#define QPAN_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

struct stat;
struct timespec;

enum { QP_ID_NONE, QP_ID_FILE, QP_ID_TEXT };

typedef struct {
	int      kind;        /* QP_ID_*; NONE: nothing known */
	uint64_t size;
	int64_t  mtime_ns;    /* file: modification time, ns since 1970 */
	uint64_t dev, ino;    /* file */
	int64_t  read_ns;     /* file: when it was read */
	uint64_t hash;        /* FNV-1a of the bytes read ... */
	int      hashed;      /* ... when they were read (not: too large) */
} qp_source_id;

/* The identity of the regular file at path now: its stat, and the hash
 * of its bytes when it can be read (one over max_bytes, 0: no limit,
 * has none, as when it failed for that).  0, or -1 when it is gone, not
 * a regular file (a FIFO is never read here), or cannot be read. */
int qp_source_id_path(const char *path, size_t max_bytes, qp_source_id *id);
/* Are a and b the same identity (the read time aside)?  A hash counts
 * when both have one. */
int qp_source_id_same(const qp_source_id *a, const qp_source_id *b);

/* The identity of text[0..n) (a record, standard input). */
void qp_source_id_text(qp_source_id *id, const char *text, size_t n);
/* Make id, the identity of the text read (qp_source_id_text), that of
 * the file it was read from: st from before reading at time `read`.  A
 * file that is not regular (a FIFO) keeps the identity of its text. */
void qp_source_id_file(qp_source_id *id, const struct stat *st,
                       const struct timespec *read);

typedef struct qp_manifest qp_manifest;
typedef struct qp_outdir qp_outdir;

/* Read DIR/.qpan-manifest (a missing one is empty) and open it for
 * appending; stamp says what this run is ("qpan 0.1.0 rules HASH", no
 * tab or line break).  NULL with *err an errno value. */
qp_manifest *qp_manifest_open(qp_outdir *od, const char *stamp, int *err);
/* The recorded identity of source, with *failed set when it failed, or
 * NULL: unknown, or recorded under another stamp. */
const qp_source_id *qp_manifest_find(const qp_manifest *m,
                                     const char *source, int *failed);
/* Remember source's identity, and whether it failed, and append its
 * line.  0 or an errno. */
int qp_manifest_record(qp_manifest *m, const char *source,
                       const qp_source_id *id, int failed);
/* Note that this run named source (read it or found it up to date). */
void qp_manifest_seen(qp_manifest *m, const char *source);
/* --prune: call gone(source, kind, seen, ctx) for every source known
 * (under any stamp), in the manifest's order, seen when this run named
 * or recorded it; one for which it returns 1 is forgotten (not written
 * back).  Returns how many were forgotten. */
size_t qp_manifest_prune(qp_manifest *m,
                         int (*gone)(const char *source, int kind, int seen,
                                     void *ctx),
                         void *ctx);
/* Rewrite the file whole, one line per source; free m.  0 or an errno
 * (m is freed either way). */
int qp_manifest_close(qp_manifest *m);

#endif
