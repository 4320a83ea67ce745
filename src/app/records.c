/*
 * records.c - read NDJSON records with cJSON (see records.h).  Blank
 * lines are skipped; every other line is one record or one error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

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

static char *line_name(const qp_records *r)
{
	char buf[48];
	snprintf(buf, sizeof buf, "-:%zu", r->lineno);
	return strdup(buf);
}

int qp_records_next(qp_records *r, char **id, char **text, size_t *len,
                    const char **why)
{
	ssize_t n;
	*id = *text = NULL;
	for (;;) {
		n = getline(&r->line, &r->cap, r->in);
		if (n < 0)
			return 0;
		r->lineno++;
		size_t k = 0;
		while (k < (size_t)n && strchr(" \t\r\n", r->line[k]))
			k++;
		if (k < (size_t)n)
			break;
	}
	cJSON *j = cJSON_ParseWithLength(r->line, (size_t)n);
	cJSON *jt = j ? cJSON_GetObjectItemCaseSensitive(j, "text") : NULL;
	cJSON *ji = j ? cJSON_GetObjectItemCaseSensitive(j, "id") : NULL;
	if (cJSON_IsString(ji)) {
		*id = strdup(ji->valuestring);
	} else if (cJSON_IsNumber(ji)) {
		char buf[64];
		snprintf(buf, sizeof buf, "%.17g", ji->valuedouble);
		*id = strdup(buf);
	} else {
		*id = line_name(r);
	}
	int rc = -1;
	if (!j)
		*why = "not a JSON object";
	else if (!cJSON_IsObject(j))
		*why = "not a JSON object";
	else if (!cJSON_IsString(jt))
		*why = "no \"text\" string in the record";
	else if (memmem(r->line, (size_t)n, "\\u0000", 6))
		*why = "binary record (its text holds a NUL character), not text";
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
	if (!*id) {
		free(*text);
		*text = NULL;
		*why = "out of memory";
		return -1;
	}
	return rc;
}
