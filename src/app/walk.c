/*
 * walk.c - recursive, sorted directory walk with loop detection.
 *
 * The ancestors of the directory being listed are kept as (device,
 * inode) pairs on a stack in the walk's own frame chain; meeting one of
 * them again through a symbolic link is a loop.  Each directory is read
 * whole and sorted before its entries are visited, which costs memory in
 * proportion to the largest directory, not to the whole tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

struct ancestor {
	dev_t dev;
	ino_t ino;
	const struct ancestor *up;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	int slash = a > 0 && dir[a - 1] != '/';
	char *p = malloc(a + slash + b + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	if (slash)
		p[a] = '/';
	memcpy(p + a + slash, name, b + 1);
	return p;
}

static int walk_dir(const char *path, const struct stat *st, const char *glob,
                    const struct ancestor *up, qp_walk_fn fn, void *ctx)
{
	for (const struct ancestor *a = up; a; a = a->up)
		if (a->dev == st->st_dev && a->ino == st->st_ino)
			return fn(path, QP_WALK_DIR_LOOP, ctx);
	struct ancestor me = {st->st_dev, st->st_ino, up};

	DIR *d = opendir(path);
	if (!d)
		return fn(path, errno, ctx);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int stop = 0, err = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				err = ENOMEM;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name))) {
			err = ENOMEM;
			break;
		}
		n++;
	}
	if (!err && errno)
		err = errno;
	closedir(d);
	if (err)
		stop = fn(path, err, ctx);
	else if (n)
		qsort(names, n, sizeof *names, cmp_names);

	for (size_t i = 0; i < n && !stop && !err; i++) {
		char *child = join(path, names[i]);
		if (!child) {
			stop = fn(path, ENOMEM, ctx);
			break;
		}
		struct stat cst;
		if (stat(child, &cst) < 0) {
			/* A dangling link or a file gone since the listing:
			 * report it if it would have been a document. */
			if (fnmatch(glob, names[i], 0) == 0)
				stop = fn(child, errno, ctx);
		} else if (S_ISDIR(cst.st_mode)) {
			stop = walk_dir(child, &cst, glob, &me, fn, ctx);
		} else if (fnmatch(glob, names[i], 0) == 0) {
			stop = fn(child, S_ISREG(cst.st_mode) ? 0 : QP_WALK_NOT_REGULAR,
			          ctx);
		}
		free(child);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return stop;
}

int qp_walk(const char *operand, const char *glob, qp_walk_fn fn, void *ctx)
{
	struct stat st;
	if (strcmp(operand, "-") != 0 && stat(operand, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return walk_dir(operand, &st, glob, NULL, fn, ctx);
	/* Files, "-" and paths that do not exist are all documents: the
	 * reader says what is wrong with them. */
	return fn(operand, 0, ctx);
}
