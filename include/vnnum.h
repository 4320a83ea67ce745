/*
 * vnnum.h - Vietnamese numbers, as written in these reports.
 *
 *   "4.000" = 4000        a dot groups thousands (groups of exactly 3)
 *   "37,5" = 37.5         a comma is the decimal point
 *   "1.234,5" = 1234.5    both together
 *   "47" "01"             plain digits
 *
 * Anything else is refused rather than guessed: "1..2", ",5", "1.23"
 * (a dot not followed by a group of three), "4,", a run of more than 15
 * digits (beyond what a double holds exactly).  Scale words ("nghìn",
 * "triệu", "tỷ") and counting words ("hai", "mười") are data: see
 * lexicon/scales.tsv and lexicon/numerals.tsv.
 */
#ifndef QPAN_VNNUM_H
#define QPAN_VNNUM_H

#include <stddef.h>

/* Parse s[0..n) whole as a number; returns 0 and sets *value, or -1. */
int vn_number_parse(const char *s, size_t n, double *value);

#endif
