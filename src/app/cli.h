/*
 * cli.h - the command line: options and operands, nothing else.  The
 * options are the rows of optlist.h; --help and the shell completions
 * are printed from them.
 */
#ifndef QPAN_CLI_H
#define QPAN_CLI_H

#include <stdio.h>

#include "pipeline.h"
#include "walk.h"

#define QPAN_VERSION "0.1.0"

/* In the order of --input-format's words in optlist.h. */
enum { QP_INPUT_TEXT, QP_INPUT_NDJSON };

/* --generate: the completion script to print. */
enum { QP_GEN_BASH = 1, QP_GEN_ZSH, QP_GEN_FISH };   /* optlist.h's order */

#define QP_DEFAULT_MAX_BYTES ((size_t)512 << 20)

typedef struct {
	int          format;      /* --format (QP_OUT_* of pipeline.h) */
	int          table;       /* --table (QP_TABLE_* of output.h) */
	int          table_given; /* --table was given (needs tsv or csv) */
	const char  *encoding;    /* --encoding name, checked by main */
	int          explain;     /* --explain: rule ids on items */
	int          progress;    /* --progress: a status line on a terminal */
	const char  *output_dir;  /* --output-dir: one file per document */
	int          incremental; /* --incremental: skip up-to-date outputs */
	int          prune;       /* --prune: remove outputs of gone sources */
	int          stats;       /* --stats: a summary line at the end */
	int          quiet;       /* --quiet: no per-document messages */
	int          errors_json; /* --errors json */
	int          jobs;        /* --jobs: worker threads (0: one per core) */
	size_t       max_bytes;   /* --max-bytes: largest document read */
	int          input;       /* --input-format: QP_INPUT_* */
	int          replace_invalid; /* --invalid replace (0: error) */
	int          help;        /* --help */
	int          version;     /* --version */
	int          generate;    /* --generate: QP_GEN_*, or 0 */
	qp_globs     globs;       /* --glob, --iglob: which files in directories */
	const char  *files_from;  /* --files-from: a list of operands ("-": stdin) */
	int          null;        /* -0: --files-from and --files names end in NUL */
	int          list_files;  /* --files: print the paths, read nothing */
	int          emit_records; /* --emit-records: decoded text as NDJSON records */
	const char  *rules_dir;   /* --rules: data directory overriding the defaults */
	char       **operands;    /* files, directories, "-" */
	int          noperands;
} qp_options;

/* Parse argv.  Returns 0, or -1 with a one-line reason in err (a usage
 * error: exit status 2). */
int  qp_cli_parse(int argc, char **argv, qp_options *o, char *err,
                  size_t errlen);
/* --help, and --generate's script of kind QP_GEN_*: both from the one
 * option list, optlist.h. */
void qp_cli_help(FILE *out);
void qp_cli_generate(FILE *out, int kind);

#endif
