/*
 * text_text.c - the text buffer with its offset map (src/text/text.c,
 * qp_text): copy maps one-to-one, put maps all to one offset, lower
 * bounds, and growth past the first allocation.
 */
#include <string.h>

#include "harness.h"

void test_text(void)
{
	/* qp_text: copy maps one-to-one, put maps all to one offset. */
	qp_text t;
	qp_text_init(&t);
	int rc = qp_text_copy(&t, "abc", 3, 10) | qp_text_put(&t, "XY", 2, 20) |
	         qp_text_finish(&t, 30);
	check("text.copy_put_finish", rc == 0 && t.len == 5 &&
	      strcmp(t.s, "abcXY") == 0 && t.src[0] == 10 && t.src[2] == 12 &&
	      t.src[3] == 20 && t.src[4] == 20 && t.src[5] == 30,
	      "got %s", show(t.s, t.len));
	check("text.lower_bound", qp_text_lower_bound(&t, 0) == 0 &&
	      qp_text_lower_bound(&t, 11) == 1 &&
	      qp_text_lower_bound(&t, 13) == 3 &&
	      qp_text_lower_bound(&t, 20) == 3 &&
	      qp_text_lower_bound(&t, 21) == 5,
	      "lower bounds %zu %zu %zu %zu %zu", qp_text_lower_bound(&t, 0),
	      qp_text_lower_bound(&t, 11), qp_text_lower_bound(&t, 13),
	      qp_text_lower_bound(&t, 20), qp_text_lower_bound(&t, 21));
	/* Growth past the first allocation keeps the content. */
	for (int i = 0; i < 1000; i++)
		qp_text_put(&t, "z", 1, 40);
	qp_text_finish(&t, 50);
	check("text.grows", t.len == 1005 && t.s[1004] == 'z' && t.s[1005] == 0 &&
	      t.src[1005] == 50 && memcmp(t.s, "abcXY", 5) == 0,
	      "len %zu", t.len);
	qp_text_free(&t);
}
