/*
 * outdir.h - one output file per document (--output-dir), written so
 * that a run killed half-way leaves only whole files: each file is
 * written to "NAME.tmp" beside it and renamed into place.
 *
 * NAME mirrors the document's source: the path with its extension
 * replaced (".json", or ".tsv" for --format tsv), a leading "/" or "./"
 * dropped and ".." made "__", so that documents from different folders
 * never share a file.  Standard input is "stdin"; a record id is used as
 * a path in the same way.
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
