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

uint64_t qp_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* Room in the index for one more key: it doubles when half full, and
 * every key is placed again by its stored hash (no element is read). */
static int uniq_reserve(qp_uniq *u)
{
	if (u->used < u->cap / 2)
		return 0;
	size_t cap = u->cap ? u->cap * 2 : 64;
	if (cap > (size_t)-1 / sizeof *u->slot)
		return -1;
	qp_uniq_slot *slot = calloc(cap, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < u->cap; i++) {
		if (!u->slot[i].index)
			continue;
		size_t j = (size_t)u->slot[i].hash & (cap - 1);
		while (slot[j].index)
			j = (j + 1) & (cap - 1);
		slot[j] = u->slot[i];
	}
	free(u->slot);
	u->slot = slot;
	u->cap = cap;
	return 0;
}

int qp_push_unique(void *vp, size_t *n, size_t *cap, size_t elem,
                   const void *item, uint64_t hash, qp_uniq *u,
                   int (*same)(const void *ctx, const void *a, const void *b),
                   const void *ctx)
{
	if (uniq_reserve(u))
		return -1;
	char *v;
	memcpy(&v, vp, sizeof v);
	size_t j = (size_t)hash & (u->cap - 1);
	for (; u->slot[j].index; j = (j + 1) & (u->cap - 1))
		if (u->slot[j].hash == hash &&
		    same(ctx, v + (u->slot[j].index - 1) * elem, item))
			return 0;
	if (qp_grow(vp, cap, *n, elem))
		return -1;
	memcpy(&v, vp, sizeof v);
	memcpy(v + *n * elem, item, elem);
	(*n)++;
	u->slot[j].hash = hash;
	u->slot[j].index = *n;
	u->used++;
	return 1;
}

void qp_uniq_free(qp_uniq *u)
{
	free(u->slot);
	*u = (qp_uniq){0};
}

int qp_grow(void *vp, size_t *cap, size_t n, size_t elem)
{
	return n < *cap ? 0 : qp_grow_to(vp, cap, n + 1, elem);
}
