/*
 * lib_readfile.c - reading a file whole (src/lib/readfile.c,
 * qp_read_file): a regular file, a directory (EISDIR), a missing file
 * (ENOENT), and an endless stream over the limit: refused (EFBIG) after
 * reading max + 1 bytes, not a buffer's doubling more.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "lib.h"

/* A pipe whose writer (a child process) sends `total` bytes of 'a' and
 * closes it: read qp_read_file("/dev/fd/N", max), then count what it
 * left in the pipe.  Returns qp_read_file's result; *consumed is how
 * many bytes it took from the pipe. */
static int read_pipe(size_t total, size_t max, size_t *consumed)
{
	int fds[2];
	*consumed = 0;
	if (pipe(fds))
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char chunk[4096];
		memset(chunk, 'a', sizeof chunk);
		close(fds[0]);
		for (size_t left = total; left > 0;) {
			size_t k = left < sizeof chunk ? left : sizeof chunk;
			ssize_t w = write(fds[1], chunk, k);
			if (w <= 0)
				_exit(1);
			left -= (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	char path[64];
	snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
	char *buf = NULL;
	size_t len = 0;
	int rc = qp_read_file(path, max, &buf, &len);
	if (rc == 0)
		free(buf);
	/* What is left in the pipe is what qp_read_file did not read. */
	size_t left = 0;
	char drain[65536];
	ssize_t r;
	while ((r = read(fds[0], drain, sizeof drain)) > 0)
		left += (size_t)r;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	*consumed = total - left;
	return rc;
}

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

	/* A stream over the limit is refused once max + 1 bytes are in,
	 * whatever the buffer's growth would have read (100000 is no power
	 * of two, so a doubling buffer would overshoot it). */
	size_t consumed;
	rc = read_pipe(400000, 100000, &consumed);
	check("input.read_stream_stops_at_limit", rc == EFBIG && consumed == 100001,
	      "rc %d (%s), read %zu bytes of 400000 for a limit of 100000, "
	      "want EFBIG after 100001", rc, rc > 0 ? strerror(rc) : "?",
	      consumed);
	/* At the limit exactly, or under it: read whole. */
	rc = read_pipe(100000, 100000, &consumed);
	check("input.read_stream_at_limit", rc == 0 && consumed == 100000,
	      "rc %d, read %zu of 100000 with the limit 100000", rc, consumed);
	rc = read_pipe(200000, 0, &consumed);
	check("input.read_stream_no_limit", rc == 0 && consumed == 200000,
	      "rc %d, read %zu of 200000 with no limit", rc, consumed);
}
