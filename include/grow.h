/*
 * grow.h - room for one more element in a growable array.
 *
 *   if (qp_grow(&r->stats, &r->capstats, r->nstats, sizeof *r->stats))
 *           return -1;
 *   r->stats[r->nstats++] = st;
 *
 * Capacity doubles (from 8), so n appends cost O(n).  On failure the
 * array is unchanged and still owned by the caller.
 */
#ifndef QPAN_GROW_H
#define QPAN_GROW_H

#include <stddef.h>

/* *(void **)vp is the array, *cap its capacity, n the elements in use. */
int qp_grow(void *vp, size_t *cap, size_t n, size_t elem);

#endif
