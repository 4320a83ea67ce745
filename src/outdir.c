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
	const char *src = strcmp(source, "-") ? source : "stdin";
	while (src[0] == '/' || (src[0] == '.' && src[1] == '/'))
		src += src[0] == '/' ? 1 : 2;
	size_t n = strlen(src), dl = strlen(dir);
	/* Room for every ".." doubling to "__" is not needed: same length. */
	char *p = malloc(dl + 1 + n + strlen(ext) + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	size_t k = dl;
	if (k && p[k - 1] != '/')
		p[k++] = '/';
	size_t start = k;
	for (size_t i = 0; i < n; i++) {
		/* A ".." component becomes "__"; an empty one is dropped. */
		if (src[i] == '.' && src[i + 1] == '.' &&
		    (i == 0 || src[i - 1] == '/') &&
		    (src[i + 2] == '/' || src[i + 2] == '\0')) {
			p[k++] = '_';
			p[k++] = '_';
			i++;
			continue;
		}
		if (src[i] == '/' && k > start && p[k - 1] == '/')
			continue;
		p[k++] = src[i];
	}
	p[k] = '\0';
	/* Replace the extension of the last component. */
	char *slash = strrchr(p + start, '/');
	char *dot = strrchr(slash ? slash + 1 : p + start, '.');
	if (dot && dot != (slash ? slash + 1 : p + start))
		*dot = '\0';
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
	if (!strcmp(input, "-") || stat(input, &in))
		return 1;
	return out.st_mtim.tv_sec > in.st_mtim.tv_sec ||
	       (out.st_mtim.tv_sec == in.st_mtim.tv_sec &&
	        out.st_mtim.tv_nsec >= in.st_mtim.tv_nsec);
}
