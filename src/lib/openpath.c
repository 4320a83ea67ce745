/*
 * openpath.c - open a path of any length (lib.h, qp_open_path).
 *
 * open(2) refuses a path of PATH_MAX bytes or more (ENAMETOOLONG) even
 * when every component is short, so a document found deep in a tree
 * could be listed but not read.  Such a path is opened a piece at a
 * time: each piece is the longest run of whole components shorter than
 * PATH_MAX, opened relative to the directory the one before it opened
 * ("a/b/.../c" + "d/.../x.txt"), with O_PATH so that only search
 * permission is needed on the way, as open(2) itself needs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib.h"

int qp_open_path(int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, flags | O_CLOEXEC, 0666);
	if (fd >= 0 || errno != ENAMETOOLONG)
		return fd;
	size_t n = strlen(path);
	char *copy = malloc(n + 1);
	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, path, n + 1);
	int cur = dirfd;
	char *s = copy;
	for (;;) {
		size_t left = strlen(s);
		if (left < PATH_MAX) {
			fd = openat(cur, s, flags | O_CLOEXEC, 0666);
			break;
		}
		/* The last '/' that keeps the piece shorter than PATH_MAX;
		 * none at all: one component is too long, as open says. */
		char *cut = NULL;
		for (char *p = s + PATH_MAX - 1; p > s; p--)
			if (*p == '/') {
				cut = p;
				break;
			}
		if (!cut) {
			errno = ENAMETOOLONG;
			fd = -1;
			break;
		}
		*cut = '\0';
		int next = openat(cur, s, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (next < 0) {
			fd = -1;
			break;
		}
		if (cur != dirfd)
			close(cur);
		cur = next;
		s = cut + 1;
		while (*s == '/')
			s++;
	}
	int e = errno;
	if (cur != dirfd)
		close(cur);
	free(copy);
	errno = e;
	return fd;
}
