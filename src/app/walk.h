/*
 * walk.h - turn command-line operands into the documents to read.
 *
 * A file operand is one document; "-" is standard input; a directory is
 * searched recursively for files that the glob set (qp_globs, built
 * once by the command line) admits, entries visited in byte order of
 * their names so runs are repeatable.  A list of operands (--files-from)
 * is read a name at a time and each name walked like an operand.
 * Symbolic links are followed; a directory that is its own ancestor (a
 * loop) is reported, not entered again.  A directory that cannot be
 * listed or searched (no r, no x, no descriptor left) is reported, with
 * its errno, instead of its subtree.  Depth is not bounded by PATH_MAX:
 * a path handed on may be longer, and is opened with qp_open_path.
 */
#ifndef QPAN_WALK_H
#define QPAN_WALK_H

#include <stdio.h>

/* A file met in a directory that is not a regular file (a FIFO, a socket,
 * a device): reading it could block the run forever, so it is reported,
 * not read.  A FIFO named as an operand is read. */
#define QP_WALK_NOT_REGULAR (-2)
/* A directory met again below itself, through a symbolic link. */
#define QP_WALK_DIR_LOOP (-3)

/* "-" named in a --files-from list when standard input is already
 * taken (the list itself, a "-" operand, an earlier "-" line). */
#define QP_WALK_STDIN_TAKEN (-4)

/* --glob and --iglob: one pattern as given, "!" taken off. */
typedef struct {
	const char *pattern;
	int         exclude;    /* it began with "!" */
	int         casefold;   /* --iglob: ASCII letters match either case */
} qp_glob;

/* The patterns, in command-line order.  A file in a walked directory is
 * read when it matches an include pattern (none given: "*.txt") and no
 * exclude pattern; a directory matching an exclude pattern is not
 * entered.  A pattern without "/" is matched against the entry's name;
 * one with "/" against its path below the operand ("sub/a.txt"), with
 * FNM_PATHNAME (a "*" stays within one name; "**" is no more than "*").
 * Operands themselves (and --files-from names) are never filtered. */
#define QP_GLOBS_MAX 256
typedef struct {
	qp_glob v[QP_GLOBS_MAX];
	int     n;
} qp_globs;

/* Does the entry `name`, at `rel` below the operand, pass the set?  A
 * directory (is_dir) passes unless an exclude pattern matches it. */
int qp_globs_admit(const qp_globs *g, const char *name, const char *rel,
                   int is_dir);

/* Called for each document in order.  `err` is 0 for a document to read,
 * or an errno-style code (why a directory could not be listed or a
 * name could not be followed), or QP_WALK_DIR_LOOP or
 * QP_WALK_NOT_REGULAR, for a path that failed before reading.  Return nonzero to stop the walk. */
typedef int (*qp_walk_fn)(const char *path, int err, void *ctx);

/* Walk one operand.  Returns nonzero if the callback asked to stop. */
int qp_walk(const char *operand, const qp_globs *globs, qp_walk_fn fn,
            void *ctx);

/* --files-from: names from `list`, each ended by `delim` ('\n', or '\0'
 * with -0; the last may be unended), exactly those bytes: empty names
 * are skipped, nothing else is trimmed (a CR before the LF stays part
 * of the name).  Each is walked like an operand; "-" reads standard
 * input unless *stdin_taken, and sets it.  Returns nonzero if the
 * callback asked to stop, -1 with errno when the list could not be read
 * (ENOMEM included: a list is never silently cut short). */
int qp_walk_list(FILE *list, int delim, int *stdin_taken,
                 const qp_globs *globs, qp_walk_fn fn, void *ctx);

#endif
