/*
 * main.c - the unit test program: runs the suites of suites.h, or one
 * of two helper modes that are not tests, for tests/run.sh and
 * tests/cli.sh:
 *   unit                every suite, in order (the output protocol is
 *                       in harness.h; the status is 0 however many
 *                       checks failed)
 *   unit NAME...        only the named suites, in the order given
 *   unit --nfc          copy stdin to stdout in NFC (utf8proc_NFC)
 *   unit --leak-probe   leak memory on purpose: does LeakSanitizer run?
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "harness.h"
#include "lib.h"

/* The table of suites, one row for each X(name, function) of
 * UNIT_SUITES in suites.h (to add a suite, see there). */
static const struct suite {
	const char *name;
	void      (*run)(void);
} suites[] = {
#define UNIT_SUITE_ROW(name, function) {name, function},
	UNIT_SUITES(UNIT_SUITE_ROW)
#undef UNIT_SUITE_ROW
};

/* unit --nfc: stdin to stdout in NFC (for tests/cli.sh, which has no
 * other normalizer it may count on). */
static int nfc_filter(void)
{
	char *buf;
	size_t len;
	if (qp_read_file("-", 0, &buf, &len))
		return 1;
	char *out = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf);
	free(buf);
	if (!out)
		return 1;
	fputs(out, stdout);
	free(out);
	return fflush(stdout) == EOF;
}

/* unit --leak-probe: lose a few blocks, so that tests/run.sh can see
 * whether LeakSanitizer works here. */
__attribute__((noinline)) static void leak_some(void)
{
	for (int i = 0; i < 8; i++) {
		void *volatile p = malloc(64 + (size_t)i);
		p = NULL;
		(void)p;
	}
}

static const struct suite *find_suite(const char *name)
{
	for (size_t i = 0; i < COUNT(suites); i++)
		if (strcmp(suites[i].name, name) == 0)
			return &suites[i];
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--nfc") == 0)
		return nfc_filter();
	if (argc > 1 && strcmp(argv[1], "--leak-probe") == 0) {
		leak_some();
		return 0;
	}
	if (argc == 1) {
		for (size_t i = 0; i < COUNT(suites); i++)
			suites[i].run();
		return 0;
	}
	/* Named suites: all names are checked before any suite runs. */
	for (int a = 1; a < argc; a++) {
		if (!find_suite(argv[a])) {
			fprintf(stderr, "unit: no suite %s; the suites are:", argv[a]);
			for (size_t i = 0; i < COUNT(suites); i++)
				fprintf(stderr, " %s", suites[i].name);
			fputc('\n', stderr);
			return 2;
		}
	}
	for (int a = 1; a < argc; a++)
		find_suite(argv[a])->run();
	return 0;
}
