/*
 * lib_readfile.c - reading a file whole (src/lib/readfile.c,
 * qp_read_file): a regular file, a directory (EISDIR), a missing file
 * (ENOENT).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lib.h"

void test_readfile(void)
{
	char *dir = make_tmpdir();
	write_file(dir, "doc.txt", "Hà Nội\n");
	char path[4096];
	snprintf(path, sizeof path, "%s/doc.txt", dir);
	char *buf = NULL;
	size_t len = 0;
	int rc = qp_read_file(path, 0, &buf, &len);
	check("input.read_file", rc == 0 && len == strlen("Hà Nội\n") &&
	      memcmp(buf, "Hà Nội\n", len) == 0 && buf[len] == '\0',
	      "rc %d len %zu", rc, len);
	free(buf);
	buf = NULL;
	rc = qp_read_file(dir, 0, &buf, &len);
	check("input.read_dir", rc == EISDIR, "rc %d (%s), want EISDIR", rc,
	      strerror(rc));
	if (!rc)
		free(buf);
	snprintf(path, sizeof path, "%s/missing.txt", dir);
	rc = qp_read_file(path, 0, &buf, &len);
	check("input.read_missing", rc == ENOENT, "rc %d, want ENOENT", rc);
	rm_tree(dir);
	free(dir);
}
