/*
 * readfile.c - read a file (a document, a rules file) whole (lib.h).
 * Regular files are sized with fstat and read in one go; pipes, stdin
 * and devices grow a buffer geometrically.  With a limit, at most
 * limit + 1 bytes are ever read or allocated: one byte over is enough
 * to know the input is too large, so `qpan /dev/zero` stops at the
 * limit instead of growing a buffer to twice its size first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib.h"

static int read_fd(int fd, size_t hint, size_t max, char **out, size_t *len)
{
	/* The most bytes worth holding: max + 1 (0: no limit). */
	size_t most = max && max < SIZE_MAX - 1 ? max + 1 : SIZE_MAX - 1;
	size_t cap = hint ? hint + 1 : 65536, n = 0;
	if (cap > most)
		cap = most;
	char *buf = malloc(cap + 1);
	if (!buf)
		return ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap == most || cap > ((size_t)-1) / 4)
				goto nomem;
			size_t grown = cap * 2 < most ? cap * 2 : most;
			char *b = realloc(buf, grown + 1);
			if (!b)
				goto nomem;
			buf = b;
			cap = grown;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (max && n > max) {
			free(buf);
			return EFBIG;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
nomem:
	free(buf);
	return ENOMEM;
}

int qp_read_file(const char *path, size_t max, char **out, size_t *len)
{
	return qp_read_file_stat(path, max, out, len, NULL);
}

int qp_read_file_stat(const char *path, size_t max, char **out, size_t *len,
                      struct stat *st_out)
{
	int fd = path[0] == '-' && path[1] == '\0'
	             ? STDIN_FILENO : qp_open_path(AT_FDCWD, path, O_RDONLY);
	if (fd < 0)
		return errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		if (fd != STDIN_FILENO)
			close(fd);
		return e;
	}
	if (st_out)
		*st_out = st;
	if (fd == STDIN_FILENO)
		return read_fd(STDIN_FILENO, 0, max, out, len);
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return EISDIR;
	}
	size_t hint = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
	if (max && hint > max) {
		close(fd);
		return EFBIG;
	}
	int rc = read_fd(fd, hint, max, out, len);
	close(fd);
	return rc;
}
