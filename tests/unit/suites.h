/*
 * suites.h - the one list of unit test suites, in the order they run.
 *
 * Each row is X(name, function): `unit` runs them all in this order
 * ("unit NAME..." runs only the named ones), and harness.h declares
 * every function from the same list.  The order matters a little: the
 * suites draw random input from one PRNG stream (harness.h, rng()).
 *
 * To add a suite: write void test_something(void) in the file of the
 * module it tests, tests/unit/<layer>_<module>.c (the Makefile builds
 * every .c file in tests/unit/, a new one too), include "harness.h",
 * report with check() or a group, and add a row here.
 */
#ifndef QPAN_UNIT_SUITES_H
#define QPAN_UNIT_SUITES_H

#define UNIT_SUITES(X)                                                    \
	X("normalize",   test_normalize)   /* text_nfc.c */              \
	X("map",         test_map)         /* text_nfc.c */              \
	X("norm_errors", test_norm_errors) /* text_nfc.c */              \
	X("fold",        test_fold)        /* text_fold.c */             \
	X("rules",       test_rules)       /* rules.c */                 \
	X("examples",    test_rule_examples) /* rules_examples.c */      \
	X("prefilter",   test_prefilter)   /* rules_prefilter.c */       \
	X("header",      test_header)      /* extract_header.c */        \
	X("text",        test_text)        /* text_text.c */             \
	X("readfile",    test_readfile)    /* lib_readfile.c */          \
	X("cli",         test_cli)         /* app_cli.c */               \
	X("walk",        test_walk)        /* app_walk.c */              \
	X("outdir",      test_outdir)      /* app_outdir.c */            \
	X("vnnum",       test_vnnum)       /* text_vnnum.c */            \
	X("grow",        test_grow)        /* lib_grow.c */

#define UNIT_DECLARE_SUITE(name, function) void function(void);
UNIT_SUITES(UNIT_DECLARE_SUITE)
#undef UNIT_DECLARE_SUITE

#endif
