/*
 * lib_grow.c - the deduplicating append (src/lib/grow.c,
 * qp_push_unique): an element equal to one already there is not added
 * again, whether its hash is unique or shared with every other key (the
 * index must fall back on `same`), the order of first appearance is
 * kept, and the index survives its own growth.
 */
#include <stdlib.h>

#include "harness.h"
#include "lib.h"

static int same_int(const void *ctx, const void *a, const void *b)
{
	(void)ctx;
	return *(const int *)a == *(const int *)b;
}

/* Push 0..n-1 twice (the second round must add nothing), each with
 * hash_of(i): the identity, or one constant for all. */
static void push_twice(const char *name, size_t n, int collide)
{
	int *v = NULL;
	size_t nv = 0, cap = 0;
	qp_uniq u = {0};
	int bad = 0;
	for (int round = 0; round < 2 && !bad; round++)
		for (size_t i = 0; i < n && !bad; i++) {
			int x = (int)i;
			uint64_t h = collide ? 42 : qp_hash_bytes(QP_HASH_SEED, &x, sizeof x);
			int rc = qp_push_unique(&v, &nv, &cap, sizeof *v, &x, h, &u,
			                        same_int, NULL);
			if (rc != (round == 0 ? 1 : 0))
				bad = 1;
		}
	for (size_t i = 0; i < nv && !bad; i++)
		if (v[i] != (int)i)
			bad = 1;
	check(name, !bad && nv == n, "%zu elements, want %zu", nv, n);
	free(v);
	qp_uniq_free(&u);
}

void test_grow(void)
{
	push_twice("grow.unique_distinct_hashes", 100000, 0);
	push_twice("grow.unique_all_hashes_equal", 500, 1);
	check("grow.hash_differs", qp_hash_bytes(QP_HASH_SEED, "ab", 2) !=
	                           qp_hash_bytes(QP_HASH_SEED, "ba", 2), "same hash");
}
