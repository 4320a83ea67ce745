/*
 * records.c - read NDJSON records with cJSON (see records.h).  Blank
 * lines are skipped; every other line is one record or one error:
 *
 *   read a line (at most max_line bytes: a longer one is skipped to its
 *   LF and refused) --> cJSON parses one value; anything but white
 *   space after it is an error ({"id":1,...}{"id":2,...} on one line,
 *   records split by CR alone) --> a walk over the object's members
 *   finds the source text of "id" and "text" --> the id as written
 *   (7, 0.1, 1e400 stay those digits), the text's NULs counted from
 *   its literal (cJSON's C string would end at the first) --> UTF-8
 *   checked, unless --invalid replace lets the pipeline repair it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

#include "doc.h"
#include "lib.h"
#include "records.h"

void qp_records_init(qp_records *r, FILE *in)
{
	memset(r, 0, sizeof *r);
	r->in = in;
}

void qp_records_free(qp_records *r)
{
	free(r->line);
	r->line = NULL;
}

/* The next line into r->line (its LF dropped, r->len bytes, NUL after
 * them).  1: a line; 0: end of input; -1: out of memory; -2: longer
 * than max_line (read through to its LF, the rest thrown away). */
static int read_line(qp_records *r)
{
	size_t most = r->max_line ? r->max_line : (size_t)-1 / 2;
	int c, too_long = 0, any = 0;
	r->len = 0;
	if (!r->line) {   /* a blank first line still has a buffer */
		r->line = malloc(4096);
		if (!r->line)
			return -1;
		r->cap = 4096;
	}
	while ((c = getc(r->in)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (too_long)
			continue;
		if (r->len == most) {
			too_long = 1;
			continue;
		}
		if (r->len + 1 >= r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 4096;
			if (cap > most + 1)
				cap = most + 1;
			char *b = realloc(r->line, cap + 1);
			if (!b)
				return -1;
			r->line = b;
			r->cap = cap + 1;
		}
		r->line[r->len++] = (char)c;
	}
	if (!any)
		return 0;
	r->line[r->len] = '\0';
	return too_long ? -2 : 1;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* The end of the JSON value at p (already validated by cJSON). */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;
	do {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else if (depth) {
			p++;
		} else {
			while (p < end && !strchr(",}] \t\r\n", *p))
				p++;
		}
		if (depth)
			p = skip_space(p, end);
	} while (depth && p < end);
	return p;
}

/* Is the key literal [p, q) (quotes included) the name `want`? */
static int key_is(const char *p, const char *q, const char *want)
{
	if (!memchr(p, '\\', (size_t)(q - p)))
		return (size_t)(q - p) == strlen(want) + 2 &&
		       !memcmp(p + 1, want, strlen(want));
	cJSON *k = cJSON_ParseWithLength(p, (size_t)(q - p));
	int yes = cJSON_IsString(k) && !strcmp(k->valuestring, want);
	cJSON_Delete(k);
	return yes;
}

typedef struct {
	const char *at, *end;   /* the value's source text, or NULL */
} span;

/* The source text of the first "id" and "text" members of the object
 * at p (the first, as cJSON_GetObjectItem finds them). */
static void member_spans(const char *p, const char *end, span *id,
                         span *text)
{
	id->at = text->at = NULL;
	p = skip_space(p, end);
	if (p == end || *p != '{')
		return;
	for (p = skip_space(p + 1, end); p < end && *p == '"';) {
		const char *k = p, *kend = skip_value(p, end);
		p = skip_space(kend, end);
		p = skip_space(p + 1, end);   /* the ':' */
		const char *v = p;
		p = skip_value(p, end);
		span *s = key_is(k, kend, "id") ? id
		          : key_is(k, kend, "text") ? text : NULL;
		if (s && !s->at) {
			s->at = v;
			s->end = p;
		}
		p = skip_space(p, end);
		if (p < end && *p == ',')
			p = skip_space(p + 1, end);
		else
			break;
	}
}

/* Does the string literal [p, q) say U+0000 (a raw NUL byte, or \u0000;
 * "\\u0000" is a backslash and "u0000")? */
static int has_nul(const char *p, const char *q)
{
	for (; p < q; p++) {
		if (*p == '\0')
			return 1;
		if (*p == '\\' && p + 1 < q) {
			p++;
			if (*p == 'u' && q - p > 4 && !memcmp(p + 1, "0000", 4))
				return 1;
		}
	}
	return 0;
}

/* A bad line: "-:LINE", or "ID: line LINE" for a record with an id. */
static char *line_name(qp_records *r, const char *id)
{
	size_t n = (id ? strlen(id) : 0) + 48;
	char *s = malloc(n);
	if (!s)
		return NULL;
	if (id)
		snprintf(s, n, "%s: line %zu", id, r->lineno);
	else
		snprintf(s, n, "-:%zu", r->lineno);
	r->id_len = id ? strlen(id) : 0;
	return s;
}

/* "text:" and 16 hex digits of a hash of the text, for a record with
 * no id: the same in whichever split of a stream the record is, unlike
 * its line number. */
static char *text_name(const char *text, size_t len)
{
	char *s = malloc(sizeof "text:" + 16);
	if (s)
		snprintf(s, sizeof "text:" + 16, "text:%016llx",
		         (unsigned long long)qp_hash_bytes(QP_HASH_SEED, text, len));
	return s;
}

int qp_records_next(qp_records *r, char **id, char **text, size_t *len,
                    const char **why)
{
	*id = *text = NULL;
	int got;
	for (;;) {
		got = read_line(r);
		if (got == 0)
			return 0;
		r->lineno++;
		if (got < 0)
			break;
		const char *p = skip_space(r->line, r->line + r->len);
		if (p < r->line + r->len)
			break;
	}
	if (got == -1) {
		*why = "out of memory";
		*id = line_name(r, NULL);
		return -1;
	}
	if (got == -2) {
		/* Text of up to --max-bytes, with room for the id and the
		 * JSON around it, is read; a longer line is not held. */
		*why = "record line too long (over --max-bytes + 64K bytes)";
		*id = line_name(r, NULL);
		return -1;
	}
	const char *line = r->line, *end = r->line + r->len, *parsed = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(line, r->len, &parsed, 0);
	span sid, stext;
	if (cJSON_IsObject(j))
		member_spans(line, end, &sid, &stext);
	cJSON *jt = j ? cJSON_GetObjectItemCaseSensitive(j, "text") : NULL;
	cJSON *ji = j ? cJSON_GetObjectItemCaseSensitive(j, "id") : NULL;
	char *name = NULL;   /* the id as written */
	if (cJSON_IsString(ji)) {
		name = strdup(ji->valuestring);
	} else if (cJSON_IsNumber(ji) && sid.at) {
		name = strndup(sid.at, (size_t)(sid.end - sid.at));
	}
	if ((cJSON_IsString(ji) || cJSON_IsNumber(ji)) && !name) {
		cJSON_Delete(j);
		*why = "out of memory";
		*id = line_name(r, NULL);
		return -1;
	}
	int rc = -1;
	size_t bad;
	if (!cJSON_IsObject(j))
		*why = "not a JSON object";
	else if (skip_space(parsed, end) != end)
		*why = "more after the record's JSON object (one record a line, "
		       "ended by LF)";
	else if (!cJSON_IsString(jt) || !stext.at)
		*why = "no \"text\" string in the record";
	else if (has_nul(stext.at, stext.end))
		*why = "binary record (its text holds a NUL character), not text";
	else if (!r->replace_invalid &&
	         !qp_utf8_valid(jt->valuestring, strlen(jt->valuestring), &bad))
		*why = "text not valid UTF-8 (records are UTF-8; see --invalid)";
	else {
		*len = strlen(jt->valuestring);
		*text = malloc(*len + 1);
		if (*text) {
			memcpy(*text, jt->valuestring, *len + 1);
			rc = 1;
		} else {
			*why = "out of memory";
		}
	}
	cJSON_Delete(j);
	if (rc == 1) {
		*id = name ? name : text_name(*text, *len);
	} else {
		*id = line_name(r, name);
		free(name);
	}
	if (!*id) {
		free(*text);
		*text = NULL;
		*why = "out of memory";
		return -1;
	}
	return rc;
}
