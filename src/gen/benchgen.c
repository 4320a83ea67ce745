/*
 * benchgen.c - build the benchmark corpus from the project's own sample
 * documents (never from ../shared):
 *
 *   benchgen OUTDIR N SAMPLE...
 *
 * writes OUTDIR/tree/DDD/NNNNNN.txt (N documents of about 5 KB, 100 per
 * directory), the same documents as one NDJSON stream OUTDIR/docs.ndjson
 * ({"id","text"} records), and single documents OUTDIR/10mb.txt and
 * OUTDIR/100mb.txt.  Each document is a sample with a paragraph of
 * another appended and its digits varied, so no two are identical.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DOC_BYTES 5000

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b) {
		b[n] = '\0';
		*len = (size_t)n;
	}
	return b;
}

/* Make one document into buf (cap bytes): sample a, then paragraphs of
 * sample b until about DOC_BYTES, digits varied. */
static size_t make_doc(char *buf, size_t cap, char **s, size_t *l, int n)
{
	int a = (int)(next_rand() % (unsigned)n), b = (int)(next_rand() % (unsigned)n);
	size_t len = l[a] < cap ? l[a] : cap;
	memcpy(buf, s[a], len);
	const char *p = s[b];
	while (len < DOC_BYTES && *p) {
		const char *nl = strchr(p, '\n');
		size_t k = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (len + k + 1 > cap)
			break;
		memcpy(buf + len, p, k);
		len += k;
		p += k;
	}
	/* Vary digits, but not in the publication stamp (first 16 bytes). */
	for (size_t i = 16; i < len; i++)
		if (buf[i] >= '0' && buf[i] <= '9' && next_rand() % 3 == 0)
			buf[i] = (char)('0' + next_rand() % 10);
	return len;
}

static void json_string(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int write_big(const char *path, size_t target, char **s, size_t *l,
                     int n, char *buf, size_t cap)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t done = 0;
	while (done < target) {
		size_t k = make_doc(buf, cap, s, l, n);
		/* One long report: drop the stamp line of all but the first. */
		size_t skip = 0;
		if (done) {
			const char *nl = memchr(buf, '\n', k);
			skip = nl ? (size_t)(nl - buf + 1) : 0;
		}
		fwrite(buf + skip, 1, k - skip, f);
		done += k - skip;
	}
	return fclose(f);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: benchgen OUTDIR N SAMPLE...\n");
		return 2;
	}
	const char *out = argv[1];
	long ndocs = atol(argv[2]);
	int n = argc - 3;
	char **s = calloc((size_t)n, sizeof *s);
	size_t *l = calloc((size_t)n, sizeof *l);
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	char path[4096];
	if (!s || !l || !buf)
		return 1;
	for (int i = 0; i < n; i++)
		if (!(s[i] = slurp(argv[3 + i], &l[i]))) {
			perror(argv[3 + i]);
			return 1;
		}
	snprintf(path, sizeof path, "%s/tree", out);
	if (mkdir(out, 0777) && errno != EEXIST)
		return perror(out), 1;
	if (mkdir(path, 0777) && errno != EEXIST)
		return perror(path), 1;
	snprintf(path, sizeof path, "%s/docs.ndjson", out);
	FILE *nd = fopen(path, "wb");
	if (!nd)
		return perror(path), 1;
	for (long d = 0; d < ndocs; d++) {
		size_t k = make_doc(buf, cap, s, l, n);
		snprintf(path, sizeof path, "%s/tree/%03ld", out, d / 100);
		if (d % 100 == 0 && mkdir(path, 0777) && errno != EEXIST)
			return perror(path), 1;
		snprintf(path, sizeof path, "%s/tree/%03ld/%06ld.txt", out, d / 100, d);
		FILE *f = fopen(path, "wb");
		if (!f)
			return perror(path), 1;
		fwrite(buf, 1, k, f);
		fclose(f);
		fprintf(nd, "{\"id\":\"%06ld\",\"text\":", d);
		json_string(nd, buf, k);
		fputs("}\n", nd);
	}
	fclose(nd);
	snprintf(path, sizeof path, "%s/10mb.txt", out);
	if (write_big(path, 10u << 20, s, l, n, buf, cap))
		return perror(path), 1;
	snprintf(path, sizeof path, "%s/100mb.txt", out);
	if (write_big(path, 100u << 20, s, l, n, buf, cap))
		return perror(path), 1;
	return 0;
}
