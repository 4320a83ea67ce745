/*
 * text_vnnum.c - the number parser (src/text/vnnum.c, vn_number_parse):
 * a dot groups thousands and a comma is the decimal point, plain
 * digits, only n bytes read, and malformed numbers refused, never
 * guessed.
 */
#include <string.h>

#include "harness.h"

/* Numbers vn_number_parse must read whole, exactly. */
static const struct {
	const char *name, *s;
	double      want;
} nums[] = {
	/* A dot groups thousands, a comma is the decimal point. */
	{"vnnum.thousands_4.000", "4.000", 4000},
	{"vnnum.thousands_38.434", "38.434", 38434},
	{"vnnum.thousands_two_groups", "12.000.000", 12000000},
	{"vnnum.thousands_four_groups", "1.250.000.000", 1250000000},
	{"vnnum.decimal_37,5", "37,5", 37.5},
	{"vnnum.decimal_0,5", "0,5", 0.5},
	{"vnnum.decimal_2,5", "2,5", 2.5},
	{"vnnum.decimal_1,2", "1,2", 1.2},
	{"vnnum.decimal_1,04", "1,04", 1.04},
	{"vnnum.decimal_0,125", "0,125", 0.125},
	{"vnnum.grouped_decimal_1.234,5", "1.234,5", 1234.5},
	{"vnnum.grouped_decimal_12.500,25", "12.500,25", 12500.25},
	/* Plain digits, with a leading zero too. */
	{"vnnum.plain_47", "47", 47},
	{"vnnum.plain_0", "0", 0},
	{"vnnum.plain_01", "01", 1},
	{"vnnum.plain_2023", "2023", 2023},
	{"vnnum.plain_4000_ungrouped", "4000", 4000},
	{"vnnum.plain_15_digits", "999999999999999", 999999999999999.0},
	{"vnnum.grouped_15_digits", "100.000.000.000.000", 1e14},
};

/* Malformed: refused, never guessed. */
static const struct {
	const char *name, *s;
} not_nums[] = {
	{"vnnum.bad_double_dot", "1..2"},
	{"vnnum.bad_leading_comma", ",5"},
	{"vnnum.bad_leading_dot", ".5"},
	{"vnnum.bad_trailing_comma", "4,"},
	{"vnnum.bad_trailing_dot", "5."},
	{"vnnum.bad_short_group", "1.23"},
	{"vnnum.bad_long_group", "1.2345"},
	{"vnnum.bad_short_inner_group", "1.000.00"},
	{"vnnum.bad_first_group_too_long", "1000.000"},
	{"vnnum.bad_dot_after_comma", "1,5.000"},
	{"vnnum.bad_two_commas", "1,2,3"},
	{"vnnum.bad_grouped_trailing_comma", "1.000,"},
	{"vnnum.bad_sign", "-5"},
	{"vnnum.bad_space_inside", "4 000"},
	{"vnnum.bad_trailing_space", "5 "},
	{"vnnum.bad_letters", "abc"},
	{"vnnum.bad_digits_then_letters", "12kg"},
	{"vnnum.bad_word_number", "hai"},
	{"vnnum.bad_empty", ""},
	{"vnnum.bad_16_digits", "1234567890123456"},
	{"vnnum.bad_16_digits_grouped", "1.000.000.000.000.000"},
	{"vnnum.bad_16_digits_with_decimals", "1.234,5678901234567"},
	{"vnnum.bad_40_digits", "1234567890123456789012345678901234567890"},
};

/* Prefixes: only n bytes are read, the rest of the buffer is not the
 * number. */
static const struct {
	const char *name, *s;
	size_t      n;
	double      want;
} prefixes[] = {
	{"vnnum.reads_n_bytes_only", "4.000 vụ", 5, 4000},
	{"vnnum.reads_n_bytes_prefix", "125", 2, 12},
};

void test_vnnum(void)
{
	for (size_t i = 0; i < COUNT(nums); i++) {
		double v = -12345.678;
		int rc = vn_number_parse(nums[i].s, strlen(nums[i].s), &v);
		check(nums[i].name, rc == 0 && v == nums[i].want,
		      "\"%s\": rc %d, value %.17g, want %.17g", nums[i].s, rc, v,
		      nums[i].want);
	}
	for (size_t i = 0; i < COUNT(prefixes); i++) {
		double v = -1;
		int rc = vn_number_parse(prefixes[i].s, prefixes[i].n, &v);
		check(prefixes[i].name, rc == 0 && v == prefixes[i].want,
		      "rc %d, value %.17g", rc, v);
	}
	for (size_t i = 0; i < COUNT(not_nums); i++) {
		double v = -12345.678;
		size_t n = strlen(not_nums[i].s);
		int rc = vn_number_parse(not_nums[i].s, n, &v);
		check(not_nums[i].name, rc == -1,
		      "\"%s\": rc %d (value %.17g), want -1",
		      show(not_nums[i].s, n), rc, v);
	}
}
