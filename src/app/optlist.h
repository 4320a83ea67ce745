/*
 * optlist.h - every command-line option of qpan, once.  cli.c includes
 * this list to build, from the same rows, the option enum, the table
 * getopt_long reads, the --help text and the bash, zsh and fish
 * completion scripts (qpan --generate); tests/docs.sh checks that
 * man/qpan.1 lists the same options (as jq builds its opcodes from
 * opcode_list.h, and ripgrep its help, man page and completions from one
 * flag list).
 *
 * A row is QP_OPT(ID, LONG, SHORT, ARG, VALUES, BRIEF, HELP):
 *   ID      the name of its OPT_ID constant (cli.c's switch)
 *   LONG    the long name, without "--"
 *   SHORT   its letter, or 0
 *   ARG     the argument's name in --help, or NULL: it takes none
 *   VALUES  for completion: the words it takes ("a b c"), "<file>",
 *           "<dir>", or "" (anything); a leading "*" marks an option
 *           that may be given more than once (zsh's "*" spec), e.g.
 *           "*" or "*<file>".  For an option of words the parser
 *           takes a word's index too (cli.c, word_value: --format's
 *           "ndjson json pretty tsv csv" is the order of QP_OUT_*) and
 *           lists them when one is wrong
 *   BRIEF   a few words, for the completion menus
 *   HELP    one paragraph, wrapped by --help at 76 columns
 * The order of the rows is the order of --help.
 *
 * How to add an option:
 *   1. a row here;
 *   2. its field in qp_options (cli.h) and its case in qp_cli_parse
 *      (cli.c), which must fail with a one-line reason on a bad value;
 *   3. a .TP entry in man/qpan.1's OPTIONS and the README's copy of
 *      --help (tests/docs.sh fails until both agree);
 *   4. a test that fails without it.
 */
QP_OPT(EMIT_RECORDS, "emit-records", 0, NULL, "",
       "print decoded texts as NDJSON records",
       "instead of extracting, print each document as an {\"id\": PATH, "
       "\"text\": ...} line: its text decoded to UTF-8 (--encoding, "
       "--invalid), not normalized, for --input-format ndjson")
QP_OPT(ENCODING, "encoding", 'e', "NAME",
       "auto utf-8 utf-16 cp1258 tcvn3 viscii vni",
       "the encoding of the documents",
       "auto (default), utf-8, utf-16, cp1258, tcvn3, viscii or vni; auto "
       "reads UTF-8, UTF-16 with a BOM, else guesses the legacy encoding; "
       "the output's \"encoding\" says which was read")
QP_OPT(ERRORS, "errors", 0, "FORM", "text json",
       "how per-document messages look",
       "per-document errors and warnings on stderr as text (default: "
       "\"qpan: SOURCE: reason\") or json (one {\"source\", \"error\" or "
       "\"warning\", \"offset\"} object a line)")
QP_OPT(EXPLAIN, "explain", 0, NULL, "",
       "add the id of the rule behind each item",
       "add to each item the id of the rule that found it")
QP_OPT(FILES, "files", 0, NULL, "",
       "list the files that would be read",
       "print the paths that would be read, one a line (NUL-ended with "
       "-0), and exit, reading nothing")
QP_OPT(FILES_FROM, "files-from", 0, "FILE", "<file>",
       "read operands from FILE",
       "read more operands from FILE (- for stdin), one a line, after "
       "those on the command line; empty lines are skipped, nothing is "
       "trimmed")
QP_OPT(FORMAT, "format", 'f', "FMT", "ndjson json pretty tsv csv",
       "the output format",
       "ndjson (default, one object a line), json (one array), pretty "
       "(indented), tsv or csv (a header row, then one row per item of "
       "--table; csv is RFC 4180: quoted where needed, lines ending CRLF)")
QP_OPT(GENERATE, "generate", 0, "KIND",
       "complete-bash complete-zsh complete-fish",
       "print a completion script",
       "print a completion script (complete-bash, complete-zsh or "
       "complete-fish) and exit")
QP_OPT(GLOB, "glob", 'g', "PATTERN", "*",
       "file names to read in directories",
       "file names to read in directories (default *.txt); repeatable: "
       "any -g matches; !PATTERN excludes (files and directories); with "
       "a /, matched against the path below the operand")
QP_OPT(IGLOB, "iglob", 0, "PATTERN", "*",
       "like --glob, ignoring ASCII case",
       "like --glob, ASCII letters matching in either case; repeatable, "
       "in one list with -g")
QP_OPT(JOBS, "jobs", 'j', "N", "",
       "documents processed at once",
       "documents processed at once (default: one per core, at most 64); "
       "the output order never changes")
QP_OPT(INPUT_FORMAT, "input-format", 0, "text|ndjson", "text ndjson",
       "operands are documents, or NDJSON records on stdin",
       "text (default): operands are documents; ndjson: read {\"id\": ..., "
       "\"text\": ...} records from stdin, one a line, UTF-8; one output "
       "object per record, source = id")
QP_OPT(INCREMENTAL, "incremental", 0, NULL, "",
       "skip documents that are up to date",
       "with --output-dir: skip documents that an earlier run of this "
       "qpan and these rules read just as they are now, and failed ones "
       "unchanged since they failed (DIR/.qpan-manifest)")
QP_OPT(INVALID, "invalid", 0, "MODE", "error replace",
       "what to do with invalid bytes",
       "bytes not valid in the encoding read: error (the default: the "
       "document fails, with the offset of the first) or replace (each "
       "becomes U+FFFD, with a warning; spans still count input bytes)")
QP_OPT(MAX_BYTES, "max-bytes", 0, "N", "",
       "largest document read",
       "refuse documents larger than N bytes (suffixes K, M, G; default "
       "512M), record lines over N + 64K")
QP_OPT(NULL_NAMES, "null", '0', NULL, "",
       "names end in NUL",
       "with --files-from: names are NUL-ended (find -print0); with "
       "--files: print them NUL-ended")
QP_OPT(OUTPUT_DIR, "output-dir", 'o', "DIR", "<dir>",
       "one output file per document under DIR",
       "write one DIR/PATH.json per document (PATH: the source path; .tsv "
       "or .csv with -f tsv or csv, each with its header row), whole or "
       "not at all; one run at a time per DIR")
QP_OPT(PRETTY, "pretty", 'p', NULL, "",
       "indented JSON",
       "the same as --format pretty")
QP_OPT(PROGRESS, "progress", 0, NULL, "",
       "a status line on a terminal",
       "documents done, of those left to do, and MB/s on stderr, when it "
       "is a terminal (nothing in cron logs)")
QP_OPT(PRUNE, "prune", 0, NULL, "",
       "remove outputs whose source is gone",
       "with --output-dir: remove the outputs of sources that no longer "
       "exist (records: ids not in this run's input)")
QP_OPT(QUIET, "quiet", 'q', NULL, "",
       "no per-document messages",
       "print no per-document errors or warnings (the exit status still "
       "says; --stats still counts them)")
QP_OPT(RULES, "rules", 'r', "DIR", "<dir>",
       "rules and lexicons from DIR",
       "read rules/*.rules and lexicon/* from DIR; a file there replaces "
       "the built-in one of the same name")
QP_OPT(STATS, "stats", 0, NULL, "",
       "a summary line at the end",
       "one line on stderr at the end: documents read, up to date, "
       "failed, still failing, pruned, bytes, seconds and MB/s")
QP_OPT(TABLE, "table", 0, "NAME",
       "statistics officials units awards tasks documents",
       "the table of -f tsv or csv",
       "with --format tsv or csv: statistics (default), officials, units, "
       "awards, tasks or documents (one row per document); qpan(1) TABLES "
       "lists their columns")
QP_OPT(HELP, "help", 'h', NULL, "",
       "show the help",
       "show this help and exit")
QP_OPT(VERSION, "version", 'V', NULL, "",
       "show the version",
       "show the version and exit")
