/*
 * outdir.c - atomic per-document output files (see outdir.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"

char *qp_outdir_path(const char *dir, const char *source, const char *ext)
{
	size_t n = strlen(source), dl = strlen(dir);
	/* Worst case: every byte escaped as %XX, plus "%2f/" in front. */
	char *p = malloc(dl + 1 + 3 * n + 4 + strlen(ext) + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	size_t k = dl;
	if (k && p[k - 1] != '/')
		p[k++] = '/';
	const char *s = source;
	if (*s == '/') {
		memcpy(p + k, "%2f/", 4);   /* absolute: its own subtree */
		k += 4;
	}
	while (*s) {
		const char *e = strchr(s, '/');
		size_t cl = e ? (size_t)(e - s) : strlen(s);
		if (cl == 0 || (cl == 1 && s[0] == '.')) {
			/* "a//b" and "a/./b" name the same file as "a/b" */
		} else if (cl == 2 && s[0] == '.' && s[1] == '.') {
			memcpy(p + k, "%2e%2e/", 7);
			k += 7;
		} else {
			for (size_t i = 0; i < cl; i++) {
				if (s[i] == '%') {
					memcpy(p + k, "%25", 3);
					k += 3;
				} else {
					p[k++] = s[i];
				}
			}
			p[k++] = '/';
		}
		s += cl + (e ? 1 : 0);
	}
	if (k > dl && p[k - 1] == '/')
		k--;
	p[k] = '\0';
	strcat(p, ext);
	return p;
}

/* mkdir -p of the directories above path. */
static int make_parents(char *path)
{
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		int rc = mkdir(path, 0777);
		int e = errno;
		*s = '/';
		if (rc && e != EEXIST)
			return e;
	}
	return 0;
}

int qp_outdir_write(const char *path, const char *data, size_t n)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 5);
	if (!tmp)
		return ENOMEM;
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp", 5);
	int rc = make_parents(tmp);
	int fd = rc ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 && !rc)
		rc = errno;
	for (size_t off = 0; !rc && off < n;) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			rc = errno;
		else
			off += (size_t)w;
	}
	if (fd >= 0 && close(fd) && !rc)
		rc = errno;
	if (!rc && rename(tmp, path))
		rc = errno;
	if (rc && fd >= 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int qp_outdir_up_to_date(const char *input, const char *output)
{
	struct stat in, out;
	if (stat(output, &out))
		return 0;
	if (!strcmp(input, "-"))
		return 1;
	if (stat(input, &in))
		return 0;   /* gone: let the reader say so, never skip quietly */
	return out.st_mtim.tv_sec > in.st_mtim.tv_sec ||
	       (out.st_mtim.tv_sec == in.st_mtim.tv_sec &&
	        out.st_mtim.tv_nsec >= in.st_mtim.tv_nsec);
}
