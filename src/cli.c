/*
 * cli.c - parse the command line with getopt_long; keep --help here,
 * in step with man/qpan.1.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void qp_cli_help(FILE *out)
{
	fputs(
"Usage: qpan [OPTIONS] [FILE|DIR|-]...\n"
"Extract facts from Vietnamese reports of year-end defense and security\n"
"conferences: one JSON object per document (NDJSON), in input order.\n"
"\n"
"Operands: a FILE is one document; a DIR is searched recursively for\n"
"files matching --glob, in sorted order; - or no operand reads stdin.\n"
"\n"
"Options:\n"
"  -g, --glob PATTERN  file names to read in directories (default *.txt)\n"
"  -p, --pretty        indented JSON for people instead of NDJSON\n"
"  -r, --rules DIR     read rules/*.rules and lexicon/* from DIR; a file\n"
"                      there replaces the built-in one of the same name\n"
"  -h, --help          show this help and exit\n"
"  -V, --version       show the version and exit\n"
"\n"
"Exit status: 0 all documents processed; 1 some document could not be\n"
"read (missing, unreadable, binary, invalid UTF-8, directory loop) or\n"
"output failed; 2 bad usage or bad rules.\n"
"\n"
"Example:\n"
"  qpan articles/ | jq -r '[.source, .meeting.date] | @tsv'\n"
"\n"
"See qpan(1) for the output fields.\n", out);
}

int qp_cli_parse(int argc, char **argv, qp_options *o, char *err,
                 size_t errlen)
{
	static const struct option longopts[] = {
		{"glob", required_argument, NULL, 'g'},
		{"pretty", no_argument, NULL, 'p'},
		{"rules", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->glob = "*.txt";
	opterr = 0;
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, ":g:pr:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			if (!optarg[0]) {
				snprintf(err, errlen, "--glob needs a non-empty pattern");
				return -1;
			}
			o->glob = optarg;
			break;
		case 'p':
			o->pretty = 1;
			break;
		case 'r':
			o->rules_dir = optarg;
			break;
		case 'h':
			o->help = 1;
			break;
		case 'V':
			o->version = 1;
			break;
		case ':':
			snprintf(err, errlen, "option '%s' needs an argument",
			         argv[optind - 1]);
			return -1;
		default:
			/* getopt_long sets optopt to the short letter even for
			 * "--pretty=1"; name what the user typed when it was long. */
			if (optopt && strncmp(argv[optind - 1], "--", 2) != 0)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else if (optopt)
				snprintf(err, errlen, "option '%s' takes no argument",
				         argv[optind - 1]);
			else
				snprintf(err, errlen, "unknown option '%s'",
				         argv[optind - 1]);
			return -1;
		}
	}
	o->operands = argv + optind;
	o->noperands = argc - optind;
	return 0;
}
