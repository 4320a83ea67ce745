/*
 * walk.h - turn command-line operands into the documents to read.
 *
 * A file operand is one document; "-" is standard input; a directory is
 * searched recursively for names matching a glob ("*.txt" by default),
 * entries visited in byte order of their names so runs are repeatable.
 * Symbolic links are followed; a directory that is its own ancestor (a
 * loop) is reported, not entered again.  A directory that cannot be
 * listed or searched (no r, no x, no descriptor left) is reported, with
 * its errno, instead of its subtree.  Depth is not bounded by PATH_MAX:
 * a path handed on may be longer, and is opened with qp_open_path.
 */
#ifndef QPAN_WALK_H
#define QPAN_WALK_H

/* A file met in a directory that is not a regular file (a FIFO, a socket,
 * a device): reading it could block the run forever, so it is reported,
 * not read.  A FIFO named as an operand is read. */
#define QP_WALK_NOT_REGULAR (-2)
/* A directory met again below itself, through a symbolic link. */
#define QP_WALK_DIR_LOOP (-3)

/* Called for each document in order.  `err` is 0 for a document to read,
 * or an errno-style code (why a directory could not be listed or a
 * name could not be followed), or QP_WALK_DIR_LOOP or
 * QP_WALK_NOT_REGULAR, for a path that failed before reading.  Return nonzero to stop the walk. */
typedef int (*qp_walk_fn)(const char *path, int err, void *ctx);

/* Walk one operand.  Returns nonzero if the callback asked to stop. */
int qp_walk(const char *operand, const char *glob, qp_walk_fn fn, void *ctx);

#endif
