/*
 * fuzz.c - libFuzzer target over the whole pipeline: make fuzz.
 *
 * Each input is run twice:
 *
 *   1. as one document: qp_pipeline_bytes (normalize, fold, segment,
 *      extract, render) on a malloc'd copy of the bytes, which the
 *      pipeline takes over;
 *   2. as a stream of NDJSON records (qp_records_next over fmemopen of
 *      the same bytes), each record's text run through the pipeline
 *      as in 1.
 *
 * Beyond "no crash, no sanitizer report, no leak", every outcome is
 * checked against the output contract, and a violation aborts (so the
 * fuzzer keeps the input):
 *
 *   - a document gives either an object or an error, never both;
 *   - an error is "SOURCE: reason", one line;
 *   - an object is one line of JSON (NDJSON) that cJSON parses, with
 *     "source" the name given, and every "span" is [s, e] with
 *     0 <= s <= e <= the document's size in bytes and a string "text"
 *     beside it.
 *
 * The rules are the embedded ones (no --rules), loaded once in
 * LLVMFuzzerInitialize and kept for the life of the process, as qpan
 * does; so are the legacy encoding tables when the tree has them.
 *
 * A crash the fuzzer finds goes, minimized (-minimize_crash=1), to
 * tests/fuzz/regressions/; `make test` replays that directory.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "pipeline.h"
#include "records.h"
#include "rules.h"

#if defined(__has_include)
#if __has_include("doc.h")
#include "doc.h"
#define FUZZ_CODECS 1
#endif
#endif

#define MAX_RECORDS 64

static qp_rules *rules;
static qp_matcher *matcher;
static qp_pipeline_opts opts;

__attribute__((noreturn, format(printf, 1, 2)))
static void violated(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: contract violated: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[1024];
	rules = qp_rules_load(NULL, err, sizeof err);
	if (!rules) {
		fprintf(stderr, "fuzz: rules: %s\n", err);
		exit(2);
	}
	if (!(matcher = qp_matcher_new(rules))) {
		fprintf(stderr, "fuzz: out of memory\n");
		exit(2);
	}
	opts.rules = rules;
	opts.max_bytes = 64u << 20;
#ifdef FUZZ_CODECS
	opts.codecs = qp_codecs_new(rules, err, sizeof err);
	if (!opts.codecs) {
		fprintf(stderr, "fuzz: encodings: %s\n", err);
		exit(2);
	}
#endif
	return 0;
}

/* Every span under j is within [0, size] and has a text beside it. */
static void check_spans(const cJSON *j, size_t size, const char *source)
{
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return;
	const cJSON *span = cJSON_IsObject(j)
	                        ? cJSON_GetObjectItemCaseSensitive(j, "span")
	                        : NULL;
	if (span && !cJSON_IsNull(span)) {
		const cJSON *a = cJSON_GetArrayItem(span, 0);
		const cJSON *b = cJSON_GetArrayItem(span, 1);
		if (!cJSON_IsArray(span) || cJSON_GetArraySize(span) != 2 ||
		    !cJSON_IsNumber(a) || !cJSON_IsNumber(b))
			violated("%s: a span is not [start, end]", source);
		double s = a->valuedouble, e = b->valuedouble;
		if (s < 0 || s > e || e > (double)size)
			violated("%s: span [%.0f, %.0f] outside the %zu-byte document",
			         source, s, e, size);
		if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "text")))
			violated("%s: span [%.0f, %.0f] without a text", source, s, e);
	}
	const cJSON *c;
	cJSON_ArrayForEach(c, j)
		check_spans(c, size, source);
}

static int utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t k = qp_utf8_valid_len(u + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Does base64 text b decode to exactly the bytes of s? */
static int base64_is(const char *b, const char *s)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(b), w = 0, want = strlen(s);
	if (n % 4)
		return 0;
	for (size_t i = 0; i < n; i += 4) {
		unsigned long v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			const char *d = b[i + k] == '=' ? NULL : strchr(digits, b[i + k]);
			if (b[i + k] == '=')
				pad++;
			else if (!d || !b[i + k] || pad)
				return 0;
			v = v << 6 | (d ? (unsigned long)(d - digits) : 0);
		}
		for (int k = 0; k < 3 - pad; k++, w++)
			if (w >= want || (unsigned char)s[w] != (v >> (16 - 8 * k) & 0xff))
				return 0;
	}
	return w == want;
}

static void check_outcome(const qp_outcome *o, const char *source, size_t size)
{
	if (o->json && o->error)
		violated("%s: both an object and an error", source);
	if (o->error) {
		size_t n = strlen(source);
		if (strncmp(o->error, source, n) || strncmp(o->error + n, ": ", 2) ||
		    !o->error[n + 2] || strchr(o->error, '\n'))
			violated("error message not \"%s: reason\": \"%s\"", source,
			         o->error);
		return;
	}
	if (!o->json)
		return;   /* out of memory, and no message: nothing to check */
	if (strchr(o->json, '\n'))
		violated("%s: the NDJSON object spans lines", source);
	cJSON *j = cJSON_Parse(o->json);
	if (!j || !cJSON_IsObject(j))
		violated("%s: output is not a JSON object: %.200s", source, o->json);
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(j, "source");
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(j, "source_base64");
	if (!cJSON_IsString(src))
		violated("%s: no \"source\"", source);
	if (utf8_valid(source)) {
		if (strcmp(src->valuestring, source) || b64)
			violated("%s: \"source\" is not the name given", source);
	} else if (!utf8_valid(src->valuestring) || !cJSON_IsString(b64) ||
	           !base64_is(b64->valuestring, source)) {
		/* A name that is not UTF-8: valid text in "source", the exact
		 * bytes in "source_base64". */
		violated("%s: a name that is not UTF-8 is not kept whole", source);
	}
	check_spans(j, size, source);
	cJSON_Delete(j);
}

static void run(const char *source, const char *data, size_t size)
{
	char *raw = malloc(size + 1);
	if (!raw)
		return;
	memcpy(raw, data, size);
	raw[size] = '\0';
	qp_outcome o;
	qp_pipeline_bytes(&opts, matcher, source, raw, size, &o);
	check_outcome(&o, source, size);
	qp_outcome_free(&o);
}

static void run_records(const uint8_t *data, size_t size)
{
	if (size == 0)
		return;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return;
	qp_records rs;
	qp_records_init(&rs, f);
	char *id, *text;
	size_t len;
	const char *why;
	int rc, n = 0;
	while (n++ < MAX_RECORDS &&
	       (rc = qp_records_next(&rs, &id, &text, &len, &why)) != 0) {
		if (!id)
			violated("a record without a name");
		if (rc > 0) {
			if (!text)
				violated("record %s: no text", id);
			run(id, text, len);
			free(text);
		} else if (!why || !*why) {
			violated("record %s: refused without a reason", id);
		}
		free(id);
	}
	qp_records_free(&rs);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run("fuzz", (const char *)data, size);
	run_records(data, size);
	return 0;
}
