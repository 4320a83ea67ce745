/*
 * grow.c - geometric growth for the result arrays (see grow.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int qp_grow(void *vp, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 8;
	if (c > SIZE_MAX / elem)
		return -1;
	void *old, *v;
	memcpy(&old, vp, sizeof old);
	v = realloc(old, c * elem);
	if (!v)
		return -1;
	memcpy(vp, &v, sizeof v);
	*cap = c;
	return 0;
}
