/*
 * walk.c - recursive, sorted directory walk with loop detection.
 *
 * Directories are opened relative to their parent's descriptor
 * (openat, fdopendir, fstatat with the entry's own name), so the depth
 * of a tree is not bounded by PATH_MAX: only the path handed to the
 * callback grows, and the reader opens that with qp_open_path (lib.h),
 * which takes it a piece at a time.  Each level holds one descriptor
 * while its entries are visited; a level that cannot get one (EMFILE,
 * EACCES ...) is reported like any directory that cannot be walked.
 *
 * The ancestors of the directory being listed are kept as (device,
 * inode) pairs on a stack in the walk's own frame chain; meeting one of
 * them again through a symbolic link is a loop.  Each directory is read
 * whole and sorted before its entries are visited, which costs memory in
 * proportion to the largest directory, not to the whole tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib.h"
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

/* The sorted names in the directory open on fd (taken over and closed).
 * Returns 0 or an errno value. */
static int list_dir(int fd, char ***names_out, size_t *n_out)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return e;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int err = 0;
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
	if (err) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return err;
	}
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	*names_out = names;
	*n_out = n;
	return 0;
}

/* Walk the directory `path`, open on fd (taken over), which is st. */
static int walk_dir(int fd, const char *path, const struct stat *st,
                    const char *glob, const struct ancestor *up,
                    qp_walk_fn fn, void *ctx)
{
	for (const struct ancestor *a = up; a; a = a->up)
		if (a->dev == st->st_dev && a->ino == st->st_ino) {
			close(fd);
			return fn(path, QP_WALK_DIR_LOOP, ctx);
		}
	struct ancestor me = {st->st_dev, st->st_ino, up};

	/* fdopendir takes one descriptor and closedir closes it; the
	 * entries are opened relative to a second one. */
	int here = dup(fd);
	if (here < 0) {
		int e = errno;
		close(fd);
		return fn(path, e, ctx);
	}
	char **names = NULL;
	size_t n = 0;
	int err = list_dir(fd, &names, &n);
	if (err) {
		close(here);
		return fn(path, err, ctx);
	}
	int stop = 0;
	for (size_t i = 0; i < n && !stop; i++) {
		char *child = join(path, names[i]);
		if (!child) {
			stop = fn(path, ENOMEM, ctx);
			break;
		}
		int match = fnmatch(glob, names[i], 0) == 0;
		struct stat cst;
		if (fstatat(here, names[i], &cst, 0) < 0) {
			int e = errno;
			if (e == EACCES) {
				/* Listed but not searchable (no x): every entry
				 * would fail alike; the directory is what to
				 * report, once. */
				stop = fn(path, e, ctx);
				free(child);
				break;
			}
			/* A dangling link or a file gone since the listing
			 * is reported if it would have been a document; any
			 * other failure may hide a directory: reported. */
			if (match || (e != ENOENT && e != ELOOP))
				stop = fn(child, e, ctx);
		} else if (S_ISDIR(cst.st_mode)) {
			int cfd = openat(here, names[i],
			                 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (cfd < 0)
				stop = fn(child, errno, ctx);
			else
				stop = walk_dir(cfd, child, &cst, glob, &me, fn, ctx);
		} else if (match) {
			stop = fn(child, S_ISREG(cst.st_mode) ? 0 : QP_WALK_NOT_REGULAR,
			          ctx);
		}
		free(child);
	}
	close(here);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return stop;
}

int qp_walk(const char *operand, const char *glob, qp_walk_fn fn, void *ctx)
{
	if (strcmp(operand, "-") != 0) {
		/* O_NONBLOCK: a FIFO operand must not block here. */
		int fd = qp_open_path(AT_FDCWD, operand,
		                      O_RDONLY | O_DIRECTORY | O_NONBLOCK);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0)
			return walk_dir(fd, operand, &st, glob, NULL, fn, ctx);
		int e = errno;
		if (fd >= 0) {
			close(fd);
			return fn(operand, e, ctx);
		}
		/* A directory that cannot be opened (no r) is reported. */
		if (e != ENOTDIR && e != ENOENT && stat(operand, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			return fn(operand, e, ctx);
	}
	/* Files, "-" and paths that do not exist are all documents: the
	 * reader says what is wrong with them. */
	return fn(operand, 0, ctx);
}
