/*
 * extract.c - run the field families in order (see extract.h), and own
 * the result's lifetime.
 */
#include <string.h>

#include "extract.h"

void qp_result_init(qp_result *r)
{
	memset(r, 0, sizeof *r);
}

void qp_result_free(qp_result *r)
{
	qp_result_init(r);
}

int qp_extract(qp_ctx *c, qp_result *r)
{
	if (qp_extract_header(c, r))
		return -1;
	return 0;
}
