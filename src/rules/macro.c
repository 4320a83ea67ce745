/*
 * macro.c - {{x}} in a pattern: macro @x, or else lexicon x as an
 * alternation (trie.c), expanded recursively up to MACRO_DEPTH.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_impl.h"

int macro_expand(qp_rules *r, const char *pat, qp_sbuf *out, int depth,
                  int layer, char *err, size_t errlen)
{
	const char *p = pat;
	while (*p) {
		const char *o = strstr(p, "{{");
		if (!o)
			return qp_sbuf_add(out, p, strlen(p));
		const char *c = strstr(o + 2, "}}");
		if (!c) {
			rules_seterr(err, errlen, "unclosed {{ in pattern");
			return -1;
		}
		if (qp_sbuf_add(out, p, (size_t)(o - p)))
			return -1;
		size_t nl = (size_t)(c - o - 2);
		const struct macro *m = NULL;
		for (size_t i = 0; i < r->nmacros; i++)
			if (strlen(r->macros[i].name) == nl &&
			    memcmp(r->macros[i].name, o + 2, nl) == 0)
				m = &r->macros[i];
		if (m) {
			if (depth >= MACRO_DEPTH) {
				rules_seterr(err, errlen, "macros nested too deep at {{%.*s}}",
				       (int)nl, o + 2);
				return -1;
			}
			if (qp_sbuf_add(out, "(?:", 3) ||
			    macro_expand(r, m->body, out, depth + 1, layer, err, errlen) ||
			    qp_sbuf_add(out, ")", 1))
				return -1;
		} else {
			const qp_lexicon *lx = NULL;
			for (size_t i = 0; i < r->nlex; i++)
				if (strlen(r->lex[i].name) == nl &&
				    memcmp(r->lex[i].name, o + 2, nl) == 0)
					lx = &r->lex[i];
			if (!lx) {
				rules_seterr(err, errlen, "unknown macro or lexicon {{%.*s}}",
				       (int)nl, o + 2);
				return -1;
			}
			size_t li = (size_t)(lx - r->lex);
			if (r->lex_used)
				r->lex_used[li] = 1;
			char **memo = layer >= 0 && r->alt[layer] ? &r->alt[layer][li]
			                                          : NULL;
			if (memo && *memo) {
				if (qp_sbuf_add(out, *memo, strlen(*memo)))
					return -1;
			} else {
				size_t mark = out->n;
				if (lexicon_alternation(out, lx, layer))
					return -1;
				if (memo)
					*memo = strndup(out->s + mark, out->n - mark);
			}
		}
		p = c + 2;
	}
	return 0;
}

void macro_free_alts(qp_rules *r)
{
	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; r->alt[l] && i < r->nlex; i++)
			free(r->alt[l][i]);
		free(r->alt[l]);
		r->alt[l] = NULL;
	}
}
