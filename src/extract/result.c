/*
 * result.c - a qp_result's lifetime (result.h): it owns its arrays and
 * the strings in them; the rule ids and static names it points to are
 * not its own.
 */
#include <stdlib.h>
#include <string.h>

#include "result.h"

void qp_result_init(qp_result *r)
{
	memset(r, 0, sizeof *r);
}

void qp_result_free(qp_result *r)
{
	for (size_t i = 0; i < r->meeting.norganizers; i++)
		free(r->meeting.organizers[i]);
	free(r->meeting.organizers);
	for (size_t i = 0; i < r->nofficials; i++)
		free(r->officials[i].key);
	free(r->officials);
	for (size_t i = 0; i < r->nunits; i++) {
		free(r->units[i].name);
		free(r->units[i].canonical);
		free(r->units[i].key);
	}
	free(r->units);
	free(r->stats);
	free(r->awards);
	free(r->tasks);
	qp_result_init(r);
}
