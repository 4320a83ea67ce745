/*
 * compile.c - one rule from its pattern text to what matching needs:
 * expanded (macro.c), folded for fold-layer rules, read by the
 * prefilter; then, once every rule is read, all of them compiled by
 * PCRE2, plain and anchored, and JIT-compiled where that works
 * (rules_compile_all); and the families index, every id prefix in a
 * hash table, so qp_rules_family() never scans.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_impl.h"

/* Record the names of the pattern's capture groups, each once:
 * "(?<d>", "(?P<d>" and "(?'d'" (not look-behinds "(?<=" "(?<!").
 * Escaped parentheses and class contents are skipped. */
static int scan_groups(struct qp_rule_x *x, const char *p, size_t n)
{
	int in_class = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (in_class) {
			in_class = p[i] != ']';
			continue;
		}
		if (p[i] == '[') {
			in_class = 1;
			if (i + 1 < n && p[i + 1] == ']')
				i++;   /* "[]...]": the ] is a member */
			continue;
		}
		if (p[i] != '(' || i + 3 >= n || p[i + 1] != '?')
			continue;
		size_t k = i + 2;
		char close = '>';
		if (p[k] == 'P' && p[k + 1] == '<')
			k += 2;
		else if (p[k] == '<' && p[k + 1] != '=' && p[k + 1] != '!')
			k++;
		else if (p[k] == '\'') {
			k++;
			close = '\'';
		} else
			continue;
		size_t e = k;
		while (e < n && p[e] != close)
			e++;
		if (e == n || e == k)
			continue;
		size_t g;
		for (g = 0; g < x->ngroups; g++)
			if (strlen(x->groups[g]) == e - k &&
			    !memcmp(x->groups[g], p + k, e - k))
				break;
		if (g < x->ngroups)
			continue;
		if (qp_grow(&x->groups, &x->capgroups, x->ngroups, sizeof *x->groups) ||
		    !(x->groups[x->ngroups] = strndup(p + k, e - k)))
			return -1;
		x->ngroups++;
	}
	return 0;
}

/* --- PCRE2's memory while compiling (struct rules_mem) --------------- */

/* What the JIT compiler may need at most for a pattern of n bytes: about
 * 140 bytes a pattern byte for the built-in rules (official.listed,
 * 8271 bytes, takes 1.1 MB at its peak), and a floor for the small
 * ones; twice that. */
static size_t jit_need(size_t n)
{
	return 256 * 1024 + (n < SIZE_MAX / 512 ? 280 * n : SIZE_MAX / 2);
}

static int in_reserve(const struct rules_mem *mem, const void *p)
{
	const char *c = p;
	return mem->reserve && c >= mem->reserve && c < mem->reserve + mem->size;
}

static void *mem_alloc(size_t n, void *data)
{
	struct rules_mem *mem = data;
	void *p = malloc(n);
	if (p || !mem->in_jit || !mem->reserve)
		return p;
	/* The JIT compiler is short of memory: lend it the reserve (16-byte
	 * aligned pieces, never given back) rather than let it crash. */
	size_t at = (mem->used + 15) & ~(size_t)15;
	if (at > mem->size || n > mem->size - at)
		return NULL;
	mem->used = at + n;
	mem->drawn = 1;
	return mem->reserve + at;
}

static void mem_free(void *p, void *data)
{
	if (!in_reserve(data, p))
		free(p);
}

void rules_mem_release(qp_rules *r)
{
	if (!r->mem.drawn) {
		free(r->mem.reserve);
		r->mem.reserve = NULL;
		r->mem.size = 0;
	}
}

/* PCRE2's code for the rule's final pattern (anchored: matching only at
 * the start offset), or NULL with err set. */
static pcre2_code *rule_pcre2(const qp_rule *rule, int anchored,
                              pcre2_compile_context *cc, char *err,
                              size_t errlen)
{
	const struct qp_rule_x *x = rule->x;
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)x->pattern, x->patlen,
	                               x->opts | (anchored ? PCRE2_ANCHORED : 0),
	                               &ec, &eo, cc);
	if (!re && ec == PCRE2_ERROR_HEAP_FAILED) {
		rules_seterr(err, errlen, "%s: %s: out of memory", rule->where,
		             rule->id);
	} else if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		rules_seterr(err, errlen, "%s: %s: %s at offset %zu", rule->where,
		             rule->id, (char *)msg, (size_t)eo);
	}
	return re;
}

/* JIT-compile re, unless memory has already run short; 1 when it has
 * JIT code.  Failing is no error: the interpreter runs the same code. */
static int rule_jit(struct rules_mem *mem, pcre2_code *re)
{
	if (!mem->reserve || mem->drawn)
		return 0;
	mem->in_jit = 1;
	int rc = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	mem->in_jit = 0;
	return rc == 0;
}

int rules_compile_all(qp_rules *r, char *err, size_t errlen)
{
	/* The reserve: enough for the largest pattern's JIT compilation.
	 * Untouched unless memory runs out, so it costs address space, not
	 * memory.  Without it, no JIT at all. */
	size_t longest = 0;
	for (size_t i = 0; i < r->nrules; i++)
		if (r->rules[i].x->patlen > longest)
			longest = r->rules[i].x->patlen;
	r->mem.size = jit_need(longest);
	r->mem.reserve = malloc(r->mem.size);
	if (!r->mem.reserve)
		r->mem.size = 0;
	pcre2_general_context *gc =
	    pcre2_general_context_create(mem_alloc, mem_free, &r->mem);
	pcre2_compile_context *cc = gc ? pcre2_compile_context_create(gc) : NULL;
	int rc = cc ? 0 : -1;
	if (!cc)
		rules_seterr(err, errlen, "out of memory loading rules");
	for (size_t i = 0; i < r->nrules && !rc; i++) {
		qp_rule *rule = &r->rules[i];
		struct qp_rule_x *x = rule->x;
		if (!(x->re = rule_pcre2(rule, 0, cc, err, errlen)) ||
		    !(x->anch = rule_pcre2(rule, 1, cc, err, errlen))) {
			rc = -1;
			break;
		}
		x->jit_ok = rule_jit(&r->mem, x->re);
		x->anch_jit_ok = rule_jit(&r->mem, x->anch);
	}
	/* Codes copy the memory functions they were compiled with; the
	 * contexts themselves can go. */
	pcre2_compile_context_free(cc);
	pcre2_general_context_free(gc);
	return rc;
}

int rule_compile(qp_rules *r, qp_rule *rule, const char *pattern,
                 char *err, size_t errlen)
{
	qp_sbuf ex = {0};
	char why[256] = "";
	const char *where = rule->where;
	if (macro_expand(r, pattern, &ex, 0, rule->layer, why, sizeof why)) {
		rules_seterr(err, errlen, "%s: %s: %s", where, rule->id,
		             why[0] ? why : "out of memory");
		qp_sbuf_free(&ex);
		return -1;
	}
	/* Inline options ("(?-i:...)") may change what is caseless around a
	 * lexicon: no tries in such a pattern (layer -1). */
	for (const char *q = ex.s ? strstr(ex.s, "(?") : NULL; q;
	     q = strstr(q + 2, "(?")) {
		if (!strchr("imnsxJU^-", q[2]) || q[2] == '\0')
			continue;
		qp_sbuf_truncate(&ex, 0);
		if (macro_expand(r, pattern, &ex, 0, -1, why, sizeof why)) {
			rules_seterr(err, errlen, "%s: %s: %s", where, rule->id,
			             why[0] ? why : "out of memory");
			qp_sbuf_free(&ex);
			return -1;
		}
		break;
	}
	const char *src = ex.s ? ex.s : "";
#ifdef QP_PF_DEBUG
	if (getenv("QPAN_PATDUMP"))
		fprintf(stderr, "PATTERN %s (%zu bytes): %s\n", rule->id, ex.n, src);
#endif
	size_t srclen = ex.n;
	qp_text folded;
	qp_text_init(&folded);
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	if (rule->layer == QP_LAYER_FOLD) {
		if (qp_fold_bytes(src, srclen, 0, &folded)) {
			rules_seterr(err, errlen, "%s: %s: %s", where, rule->id,
			             rules_utf8_ok(src, srclen)
			             ? "out of memory" : "pattern is not valid UTF-8");
			qp_text_free(&folded);
			qp_sbuf_free(&ex);
			return -1;
		}
		src = folded.s;
		srclen = folded.len;
		opts |= PCRE2_CASELESS;
	}
	struct qp_rule_x *x = rule->x;
	int ok = 1;
	if ((x->pfid = qp_pf_add(r->pf, src, srclen, rule->layer)) < 0 ||
	    !(x->pattern = malloc(srclen + 1)) || scan_groups(x, src, srclen)) {
		rules_seterr(err, errlen, "%s: %s: out of memory", where, rule->id);
		ok = 0;
	} else {
		x->pf = r->pf;
		memcpy(x->pattern, src, srclen);
		x->pattern[srclen] = '\0';
		x->patlen = srclen;
		x->opts = opts;
	}
	qp_text_free(&folded);
	qp_sbuf_free(&ex);
	return ok ? 0 : -1;
}

void rule_free(qp_rule *rule)
{
	free(rule->id);
	free(rule->where);
	struct qp_rule_x *x = rule->x;
	if (!x)
		return;
	pcre2_code_free(x->re);
	pcre2_code_free(x->anch);
	free(x->pattern);
	for (size_t i = 0; i < x->ngroups; i++)
		free(x->groups[i]);
	free(x->groups);
	for (size_t i = 0; i < x->nexamples; i++)
		free(x->examples[i].text);
	free(x->examples);
	free(x);
}

const char *const *qp_rule_groups(const qp_rule *rule, size_t *n)
{
	*n = rule->x ? rule->x->ngroups : 0;
	return rule->x ? (const char *const *)rule->x->groups : NULL;
}

const char *qp_rule_example(const qp_rule *rule, size_t i, int *must_match)
{
	if (!rule->x || i >= rule->x->nexamples)
		return NULL;
	*must_match = rule->x->examples[i].must_match;
	return rule->x->examples[i].text;
}

/* A cheap hash of a family name: its length and its first and last
 * eight bytes (names differ there). */
static size_t hash_name(const char *s, size_t n)
{
	uint64_t a = 0, b = 0;
	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	uint64_t h = (a * 0x9E3779B97F4A7C15u) ^ (b * 0xC2B2AE3D27D4EB4Fu) ^ n;
	return (size_t)(h ^ (h >> 29));
}

static struct family *family_slot(const qp_rules *r, const char *s, size_t n)
{
	size_t mask = r->nfam - 1;
	for (size_t h = hash_name(s, n) & mask;; h = (h + 1) & mask) {
		struct family *f = &r->fam[h];
		if (!f->name || (f->len == n && memcmp(f->name, s, n) == 0))
			return f;
	}
}

/* Every prefix of every id that ends at a dot or at the end, in a hash
 * table, with the rules it names in file order: qp_rules_family()
 * without scanning.  A family need not be written in one run: a file
 * that --rules DIR adds ("rules/zz.rules: meeting.date.extra") joins
 * the family where its file sorts, and its rules are tried after those
 * before it.  Two passes: count each family's rules, then hand each its
 * slice of one array (r->fam_rules) and fill the slices in rule order. */
int families_build(qp_rules *r)
{
	size_t want = 16;
	for (size_t i = 0; i < r->nrules; i++)
		for (const char *p = r->rules[i].id; *p; p++)
			want += *p == '.';
	want += r->nrules;
	r->nfam = 64;
	while (r->nfam < want * 2)
		r->nfam *= 2;
	r->fam = calloc(r->nfam, sizeof *r->fam);
	if (!r->fam)
		return -1;
	size_t total = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			r->fam_rules = malloc((total + 1) * sizeof *r->fam_rules);
			if (!r->fam_rules)
				return -1;
			size_t at = 0;
			for (size_t h = 0; h < r->nfam; h++)
				if (r->fam[h].name) {
					r->fam[h].v = r->fam_rules + at;
					at += r->fam[h].n;
					r->fam[h].n = 0;
				}
		}
		for (size_t i = 0; i < r->nrules; i++) {
			const char *id = r->rules[i].id;
			for (size_t k = 1;; k++) {
				if (id[k] != '.' && id[k] != '\0')
					continue;
				struct family *f = family_slot(r, id, k);
				if (!f->name) {
					f->name = strndup(id, k);
					if (!f->name)
						return -1;
					f->len = k;
				}
				if (pass == 1)
					f->v[f->n] = &r->rules[i];
				f->n++;
				total += pass == 0;
				if (id[k] == '\0')
					break;
			}
		}
	}
	return 0;
}

size_t qp_rules_family(const qp_rules *r, const char *family,
                       const qp_rule *const **first)
{
	static const qp_rule *const none[1] = {NULL};
	const struct family *f =
	    r->nfam ? family_slot(r, family, strlen(family)) : NULL;
	if (f && f->name) {
		*first = f->v;
		return f->n;
	}
	*first = none;   /* a name no rule id starts with: no rules */
	return 0;
}

size_t qp_rules_count(const qp_rules *r)
{
	return r->nrules;
}

const qp_rule *qp_rules_at(const qp_rules *r, size_t i)
{
	return i < r->nrules ? &r->rules[i] : NULL;
}
