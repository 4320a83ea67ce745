/*
 * grow.c - geometric growth for arrays (see lib.h): every growable
 * array in qpan grows through these two functions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"

int qp_grow_to(void *vp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return -1;
		c *= 2;
	}
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

int qp_push_unique(void *vp, size_t *n, size_t *cap, size_t elem,
                   const void *item,
                   int (*same)(const void *ctx, const void *a, const void *b),
                   const void *ctx)
{
	char *v;
	memcpy(&v, vp, sizeof v);
	for (size_t i = 0; i < *n; i++)
		if (same(ctx, v + i * elem, item))
			return 0;
	if (qp_grow(vp, cap, *n, elem))
		return -1;
	memcpy(&v, vp, sizeof v);
	memcpy(v + *n * elem, item, elem);
	(*n)++;
	return 1;
}

int qp_grow(void *vp, size_t *cap, size_t n, size_t elem)
{
	return n < *cap ? 0 : qp_grow_to(vp, cap, n + 1, elem);
}
