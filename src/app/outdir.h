/*
 * outdir.h - one output file per document (--output-dir), written so
 * that a run killed half-way leaves only whole files: each file is
 * written to "NAME.tmp" beside it and renamed into place.
 *
 * NAME is the document's source path with ".json" added (".tsv" for
 * --format tsv): "in/a/x.txt" writes DIR/in/a/x.txt.json.  So that no
 * two sources share a file and none escapes DIR, a ".." component is
 * written "%2e%2e", a "%" "%25", and an absolute path goes under "%2f/";
 * "." and empty components are dropped (they name the same file).
 * Standard input is "-", so "-.json"; a record id is a path like any.
 */
#ifndef QPAN_OUTDIR_H
#define QPAN_OUTDIR_H

#include <stddef.h>

/* The output path for source under dir (malloc'd), or NULL. */
char *qp_outdir_path(const char *dir, const char *source, const char *ext);
/* Write data[0..n) to path atomically, creating parent directories.
 * Returns 0, or an errno value. */
int   qp_outdir_write(const char *path, const char *data, size_t n);
/* --incremental: is path's output newer than the input?  (A record on
 * standard input has no date: an existing output is up to date.) */
int   qp_outdir_up_to_date(const char *input, const char *output);

#endif
