/*
 * input.h - read one document's bytes, whole, from a file or stdin.
 */
#ifndef QPAN_INPUT_H
#define QPAN_INPUT_H

#include <stddef.h>

/* Read all of `path` ("-" is standard input) into a new malloc'd buffer
 * (*out, *len; one spare NUL byte after the data).  Returns 0, or an
 * errno value describing why the file could not be read: EFBIG when it
 * is longer than max bytes (0: no limit), EISDIR for a directory. */
int qp_input_read(const char *path, size_t max, char **out, size_t *len);

#endif
