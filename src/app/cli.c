/*
 * cli.c - parse the command line with getopt_long; keep --help here,
 * in step with man/qpan.1.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
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
"files matching --glob, in sorted order; - or no operand reads stdin\n"
"(- at most once).\n"
"\n"
"Options:\n"
"  -e, --encoding NAME auto (default), utf-8, utf-16, cp1258, tcvn3,\n"
"                      viscii or vni; auto reads UTF-8, UTF-16 with a BOM,\n"
"                      else guesses the legacy encoding; the output's\n"
"                      \"encoding\" says which was read\n"
"      --explain       add to each item the id of the rule that found it\n"
"  -f, --format FMT    ndjson (default, one object a line), json (one\n"
"                      array), pretty (indented), tsv (one row per\n"
"                      statistic, with a header row)\n"
"  -g, --glob PATTERN  file names to read in directories (default *.txt)\n"
"  -j, --jobs N        documents processed at once (default: one per\n"
"                      core, at most 64); the output order never changes\n"
"      --input-format text|ndjson\n"
"                      text (default): operands are documents; ndjson:\n"
"                      read {\"id\": ..., \"text\": ...} records from stdin,\n"
"                      one a line, UTF-8; one output object per record,\n"
"                      source = id\n"
"      --incremental   with --output-dir: skip documents that an earlier\n"
"                      run read just as they are now (DIR/.qpan-manifest)\n"
"      --invalid MODE  bytes not valid in the encoding read: error (the\n"
"                      default: the document fails, with the offset of\n"
"                      the first) or replace (each becomes U+FFFD, with a\n"
"                      warning; spans still count input bytes)\n"
"      --max-bytes N   refuse documents larger than N bytes (suffixes\n"
"                      K, M, G; default 512M), record lines over N + 64K\n"
"  -o, --output-dir DIR\n"
"                      write one DIR/PATH.json per document (PATH: the\n"
"                      source path; .tsv with -f tsv), whole or not at\n"
"                      all; one run at a time per DIR\n"
"  -p, --pretty        the same as --format pretty\n"
"      --progress      documents done, total and MB/s on stderr, when it\n"
"                      is a terminal (nothing in cron logs)\n"
"  -r, --rules DIR     read rules/*.rules and lexicon/* from DIR; a file\n"
"                      there replaces the built-in one of the same name\n"
"  -h, --help          show this help and exit\n"
"  -V, --version       show the version and exit\n"
"\n"
"Exit status: 0 all documents processed; 1 some document failed (missing,\n"
"unreadable, binary, not valid in its encoding, too large, a bad record,\n"
"a special file or a directory loop) or output failed; 2 bad usage or bad\n"
"rules.\n"
"\n"
"Examples:\n"
"  qpan articles/ | jq -r '[.source, .meeting.date] | @tsv'\n"
"  qpan -j 2 --max-bytes 10M archive/ > facts.ndjson\n"
"  jq -c '{id: .url, text: .body}' pages.ndjson | qpan --input-format ndjson\n"
"  qpan --format tsv --encoding tcvn3 old-archive/ > statistics.tsv\n"
"\n"
"See qpan(1) for the output fields.\n", out);
}

/* A whole number, with an optional K, M or G (powers of 1024) when
 * suffixes are allowed.  Returns 0, or -1 for anything else. */
static int parse_size(const char *s, int suffixes, unsigned long long *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	unsigned shift = 0;
	if (suffixes && *end) {
		const char *u = strchr("KMG", toupper((unsigned char)*end));
		if (!u || !*u || end[1])
			return -1;
		shift = 10u * (unsigned)(u - "KMG" + 1);
		end++;
	}
	if (*end || v > (~0ULL >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

int qp_cli_parse(int argc, char **argv, qp_options *o, char *err,
                 size_t errlen)
{
	enum { OPT_MAX_BYTES = 256, OPT_INPUT_FORMAT, OPT_EXPLAIN, OPT_PROGRESS,
	       OPT_INCREMENTAL, OPT_INVALID };
	static const struct option longopts[] = {
		{"output-dir", required_argument, NULL, 'o'},
		{"incremental", no_argument, NULL, OPT_INCREMENTAL},
		{"encoding", required_argument, NULL, 'e'},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		{"format", required_argument, NULL, 'f'},
		{"progress", no_argument, NULL, OPT_PROGRESS},
		{"glob", required_argument, NULL, 'g'},
		{"jobs", required_argument, NULL, 'j'},
		{"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
		{"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
		{"invalid", required_argument, NULL, OPT_INVALID},
		{"pretty", no_argument, NULL, 'p'},
		{"rules", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->glob = "*.txt";
	o->max_bytes = QP_DEFAULT_MAX_BYTES;
	o->encoding = "auto";
	opterr = 0;
	optind = 1;
	int ch;
	while ((ch = getopt_long(argc, argv, ":e:f:g:j:o:pr:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'g':
		case 'o':
			/* An empty pattern or directory is a mistake, not a
			 * choice (an unset variable in a cron line). */
			if (!optarg[0]) {
				snprintf(err, errlen, "%s", ch == 'g'
				         ? "--glob needs a non-empty pattern"
				         : "--output-dir needs a directory");
				return -1;
			}
			*(ch == 'g' ? &o->glob : &o->output_dir) = optarg;
			break;
		case 'j': {
			unsigned long long v;
			if (parse_size(optarg, 0, &v) || v < 1 || v > 1024) {
				snprintf(err, errlen, "--jobs needs a number from 1 "
				         "to 1024, not '%s'", optarg);
				return -1;
			}
			o->jobs = (int)v;
			break;
		}
		case OPT_MAX_BYTES: {
			unsigned long long v;
			if (parse_size(optarg, 1, &v) || v < 1) {
				snprintf(err, errlen, "--max-bytes needs a size such as "
				         "1000000, 64K, 10M or 1G, not '%s'", optarg);
				return -1;
			}
			o->max_bytes = (size_t)v;
			break;
		}
		case OPT_INPUT_FORMAT:
			if (!strcmp(optarg, "text"))
				o->input = QP_INPUT_TEXT;
			else if (!strcmp(optarg, "ndjson"))
				o->input = QP_INPUT_NDJSON;
			else {
				snprintf(err, errlen, "--input-format is text or ndjson, "
				         "not '%s'", optarg);
				return -1;
			}
			break;
		case OPT_INVALID:
			if (!strcmp(optarg, "error") || !strcmp(optarg, "replace")) {
				o->replace_invalid = optarg[0] == 'r';
			} else {
				snprintf(err, errlen, "--invalid is error or replace, "
				         "not '%s'", optarg);
				return -1;
			}
			break;
		case 'p':
			o->format = QP_OUT_PRETTY;
			break;
		case 'e':
			o->encoding = optarg;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_INCREMENTAL:
			o->incremental = 1;
			break;
		case OPT_PROGRESS:
			o->progress = 1;
			break;
		case 'f': {
			static const char *const fmts[] = {"ndjson", "json", "pretty",
			                                   "tsv"};
			int k = 0;
			while (k < 4 && strcmp(optarg, fmts[k]))
				k++;
			if (k == 4) {
				snprintf(err, errlen, "--format is ndjson, json, pretty or "
				         "tsv, not '%s'", optarg);
				return -1;
			}
			o->format = k;   /* the order of QP_OUT_* */
			break;
		}
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
				snprintf(err, errlen, "unknown or ambiguous option '%s'",
				         argv[optind - 1]);
			return -1;
		}
	}
	if (o->incremental && !o->output_dir) {
		snprintf(err, errlen, "--incremental needs --output-dir");
		return -1;
	}
	o->operands = argv + optind;
	o->noperands = argc - optind;
	/* Standard input can be read once: a second "-" would be an empty
	 * document (qpan - - < report.txt). */
	int stdin_operands = 0;
	for (int i = 0; i < o->noperands; i++)
		if (!strcmp(o->operands[i], "-") && ++stdin_operands > 1) {
			snprintf(err, errlen, "- (standard input) can be given only "
			         "once");
			return -1;
		}
	return 0;
}
