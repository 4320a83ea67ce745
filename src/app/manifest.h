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
 * the size and hash of its text.  A file is up to date when all of
 * size, time, device and inode are the same now and its output exists;
 * when the recorded time was within QP_MANIFEST_RACY_NS of the read
 * (a change in the same clock tick would not show), the hash must match
 * too.  Times are never compared with the output's.
 *
 * The file: a header line "qpan-manifest 1", then one line per source,
 * tab-separated:
 *   SOURCE  file  SIZE  MTIME  DEV  INODE  READ-TIME  HASH
 *   SOURCE  text  SIZE  -      -    -      -          HASH
 * (times as SECONDS.NANOSECONDS, HASH 16 hex digits, SOURCE with "%",
 * tab, CR and LF written %25 %09 %0d %0a).  Lines are appended as
 * outputs are written, so a killed run loses nothing it finished; a
 * later line for a source replaces an earlier one; a torn last line is
 * ignored.  At the end of a run the file is rewritten whole (atomically)
 * with one line per source.  Fields after these are ignored, so a later
 * version can add some; a file whose header is not version 1 is not
 * trusted (every document is done again) and is rewritten.
 */
#ifndef QPAN_MANIFEST_H
#define QPAN_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

struct stat;
struct timespec;

/* Recorded times closer than this to the read: verify the hash. */
#define QP_MANIFEST_RACY_NS 2000000000LL

enum { QP_ID_NONE, QP_ID_FILE, QP_ID_TEXT };

typedef struct {
	int      kind;        /* QP_ID_*; NONE: nothing known */
	uint64_t size;
	int64_t  mtime_ns;    /* file: modification time, ns since 1970 */
	uint64_t dev, ino;    /* file */
	int64_t  read_ns;     /* file: when it was read */
	uint64_t hash;        /* FNV-1a of the bytes read */
} qp_source_id;

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
 * appending.  NULL with *err an errno value. */
qp_manifest *qp_manifest_open(qp_outdir *od, int *err);
/* The recorded identity of source, or NULL. */
const qp_source_id *qp_manifest_find(const qp_manifest *m,
                                     const char *source);
/* Remember source's identity and append its line.  0 or an errno. */
int qp_manifest_record(qp_manifest *m, const char *source,
                       const qp_source_id *id);
/* Rewrite the file whole, one line per source; free m.  0 or an errno
 * (m is freed either way). */
int qp_manifest_close(qp_manifest *m);

#endif
