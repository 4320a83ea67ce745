/*
 * embedded.h - the data/ files compiled into the binary.  The table is
 * generated at build time by src/gen/embed.c, sorted by name.
 */
#ifndef QPAN_EMBEDDED_H
#define QPAN_EMBEDDED_H

#include <stddef.h>

struct qp_blob {
	const char *name;   /* path under data/, e.g. "rules/meeting.rules" */
	const char *data;   /* contents, NUL-terminated */
	size_t      len;
};

extern const struct qp_blob qp_embedded[];
extern const size_t qp_embedded_count;

#endif
