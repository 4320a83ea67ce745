/*
 * vnnum.c - parse a Vietnamese-formatted number (see vnnum.h).
 */
#include "text.h"

#define MAX_DIGITS 15

int vn_number_parse(const char *s, size_t n, double *value)
{
	/* The digits make an integer mantissa (exact in a double up to 15
	 * digits), divided once at the end: 1,04 is 104 / 100, exactly the
	 * double nearest 1.04. */
	double v = 0, div = 1;
	size_t i = 0, digits = 0, group = 0;
	int grouped = 0, decimal = 0;

	if (n == 0 || s[0] < '0' || s[0] > '9')
		return -1;
	for (; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (++digits > MAX_DIGITS)
				return -1;
			v = v * 10 + (c - '0');
			if (decimal)
				div *= 10;
			else
				group++;
			continue;
		}
		if (c == '.' && !decimal) {
			/* A thousands dot: the digits before it are a whole
			 * first group (1-3) or a full group, and exactly three
			 * digits follow. */
			if ((grouped ? group != 3 : group == 0 || group > 3))
				return -1;
			size_t k = 0;
			while (i + 1 + k < n && s[i + 1 + k] >= '0' &&
			       s[i + 1 + k] <= '9')
				k++;
			if (k != 3)
				return -1;
			grouped = 1;
			group = 0;
			continue;
		}
		if (c == ',' && !decimal) {
			if (grouped && group != 3)
				return -1;
			if (i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
				return -1;
			decimal = 1;
			continue;
		}
		return -1;
	}
	if (grouped && !decimal && group != 3)
		return -1;
	*value = v / div;
	return 0;
}
