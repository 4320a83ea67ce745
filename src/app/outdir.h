/*
 * outdir.h - one output file per document (--output-dir), written so
 * that a run killed half-way leaves only whole files, and two runs on
 * one directory cannot mix their files.
 *
 *   qp_outdir_open    mkdir -p DIR, hold its descriptor and the lock
 *                     DIR/.qpan-lock (flock) for the whole run
 *   qp_outdir_name    source -> the file's name inside DIR
 *   qp_outdir_write   data -> DIR/NAME: written to a temporary file of
 *                     this writer's own beside it ("NAME.XXXXXX.tmp",
 *                     created O_EXCL like mkstemp), fsync'd, renamed
 *                     into place
 *   qp_outdir_catch_signals
 *                     SIGTERM, SIGINT, SIGHUP remove the temporary files
 *                     being written, then exit 128+signal
 *
 * Names: NAME is the document's source with ".json" added (".tsv" for
 * --format tsv): "in/a/x.txt" writes DIR/in/a/x.txt.json.  So that no
 * two sources share a file and none escapes DIR, each component is
 * escaped: "%" is written "%25", a ".." component "%2e%2e", and an
 * absolute path goes under "%2f/".  A source path's "." and empty
 * components are dropped (they name the same file: "a//./b" is "a/b"),
 * and a path with no component left is "%2e".  A record id is a name,
 * not a file, so every id gets a file of its own (exact): its "."
 * component is "%2e" and an empty one "%empty" ("" -> "%empty.json",
 * "./" -> "%2e/%empty.json", "a/" -> "a/%empty.json").  Standard input
 * is "-", so "-.json".
 *
 * Long names: a component longer than QP_OUTDIR_NAME_MAX bytes (NAME_MAX,
 * 255, less the temporary suffix) once escaped and with the extension is
 * cut to its first bytes (at a character boundary) followed by "%h" and
 * 16 hex digits of the FNV-1a hash of the whole escaped component, then
 * the extension: it stays one name per source, and "%h" is never made
 * by the escaping.
 *
 * Global state: the table of temporary files being written is the one
 * piece of process-wide mutable state, so that a signal handler (which
 * can be given nothing else) can remove them.  Files are written from
 * the one thread that emits outcomes.
 */
#ifndef QPAN_OUTDIR_H
#define QPAN_OUTDIR_H

#include <stddef.h>

/* ".XXXXXX.tmp" after the name. */
#define QP_OUTDIR_TMP_SUFFIX 11
#define QP_OUTDIR_NAME_MAX (255 - QP_OUTDIR_TMP_SUFFIX)
/* qp_outdir_open's error when another run holds the lock. */
#define QP_OUTDIR_BUSY (-1)

typedef struct qp_outdir qp_outdir;

/* Make dir (and its parents), open it and take its lock.  NULL and
 * *err an errno value or QP_OUTDIR_BUSY when it cannot be used. */
qp_outdir *qp_outdir_open(const char *dir, int *err);
/* Release the lock, close, free. */
void qp_outdir_close(qp_outdir *od);
/* The directory's descriptor, for files of qpan's own in it. */
int qp_outdir_fd(const qp_outdir *od);
/* The directory as given to qp_outdir_open. */
const char *qp_outdir_dir(const qp_outdir *od);

/* The name inside DIR for source (malloc'd), or NULL.  exact: source is
 * a record id, not a path (see above). */
char *qp_outdir_name(const char *source, const char *ext, int exact);
/* dir "/" name, for messages (malloc'd), or NULL. */
char *qp_outdir_join(const char *dir, const char *name);
/* Write data[0..n) to DIR/name atomically, creating parent
 * directories.  Returns 0, or an errno value. */
int qp_outdir_write(qp_outdir *od, const char *name, const char *data,
                    size_t n);
/* Is there a file DIR/name? */
int qp_outdir_exists(const qp_outdir *od, const char *name);
/* Remove the file DIR/name (--prune).  0 when it is gone (also when it
 * was not there), or an errno value. */
int qp_outdir_remove(qp_outdir *od, const char *name);

/* Install the handlers for SIGTERM, SIGINT and SIGHUP. */
void qp_outdir_catch_signals(void);

#endif
