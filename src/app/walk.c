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
 *
 * Which entries are documents is qp_globs_admit's answer alone (the one
 * place a pattern is matched): a name, or with a "/" in the pattern the
 * path below the operand, which is the tail of the path handed on.
 *
 * A --files-from list is read with getdelim, one name at a time, each
 * walked before the next is read: `find ... -print0 | qpan --files-from
 * - -0` starts on the first document while find is still looking.
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

int qp_globs_admit(const qp_globs *g, const char *name, const char *rel,
                   int is_dir)
{
	int included = 0, any_include = 0;
	for (int i = 0; i < g->n; i++) {
		const qp_glob *p = &g->v[i];
		if (!p->exclude && is_dir)
			continue;
		any_include |= !p->exclude;
		if (!p->exclude && included)
			continue;   /* already in: only an exclusion can matter */
		int slash = strchr(p->pattern, '/') != NULL;
		int flags = (slash ? FNM_PATHNAME : 0) |
		            (p->casefold ? FNM_CASEFOLD : 0);
		if (fnmatch(p->pattern, slash ? rel : name, flags) != 0)
			continue;
		if (p->exclude)
			return 0;
		included = 1;
	}
	if (is_dir)
		return 1;
	return any_include ? included : fnmatch("*.txt", name, 0) == 0;
}

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
static int walk_dir(int fd, const char *path, size_t rel_at,
                    const struct stat *st, const qp_globs *globs,
                    const struct ancestor *up, qp_walk_fn fn, void *ctx)
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
		/* The path below the operand: child from rel_at on. */
		const char *rel = child + rel_at;
		int match = qp_globs_admit(globs, names[i], rel, 0);
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
		} else if (S_ISDIR(cst.st_mode) &&
		           !qp_globs_admit(globs, names[i], rel, 1)) {
			;   /* excluded: not entered */
		} else if (S_ISDIR(cst.st_mode)) {
			int cfd = openat(here, names[i],
			                 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (cfd < 0)
				stop = fn(child, errno, ctx);
			else
				stop = walk_dir(cfd, child, rel_at, &cst, globs, &me,
				                fn, ctx);
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

int qp_walk(const char *operand, const qp_globs *globs, qp_walk_fn fn,
            void *ctx)
{
	if (strcmp(operand, "-") != 0) {
		/* O_NONBLOCK: a FIFO operand must not block here. */
		int fd = qp_open_path(AT_FDCWD, operand,
		                      O_RDONLY | O_DIRECTORY | O_NONBLOCK);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0) {
			/* Paths below are operand "/" rel (join adds no second
			 * slash after a trailing one). */
			size_t n = strlen(operand);
			size_t rel_at = n + (n > 0 && operand[n - 1] != '/');
			return walk_dir(fd, operand, rel_at, &st, globs, NULL, fn,
			                ctx);
		}
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

int qp_walk_list(FILE *list, int delim, int *stdin_taken,
                 const qp_globs *globs, qp_walk_fn fn, void *ctx)
{
	char *name = NULL;
	size_t cap = 0;
	ssize_t n;
	int stop = 0;
	errno = 0;
	while (!stop && (n = getdelim(&name, &cap, delim, list)) >= 0) {
		if (n > 0 && name[n - 1] == (char)delim)
			name[--n] = '\0';
		if (n == 0)
			continue;
		if ((size_t)n != strlen(name)) {
			/* A NUL inside a name of a newline list: no path holds
			 * one; what is before it is not what was meant. */
			stop = fn(name, EINVAL, ctx);
		} else if (!strcmp(name, "-") && *stdin_taken) {
			stop = fn(name, QP_WALK_STDIN_TAKEN, ctx);
		} else {
			if (!strcmp(name, "-"))
				*stdin_taken = 1;
			stop = qp_walk(name, globs, fn, ctx);
		}
		errno = 0;
	}
	int e = errno;
	free(name);
	if (!stop && (e || ferror(list))) {
		errno = e ? e : EIO;
		return -1;
	}
	return stop;
}
