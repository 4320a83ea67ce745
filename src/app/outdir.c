/*
 * outdir.c - per-document output files (see outdir.h).
 *
 *   source --qp_outdir_name--> "in/a/x.txt.json"
 *   data --qp_outdir_write--> DIR/in/a/ (mkdirat, one component at a
 *        time from DIR's descriptor) -> x.txt.json.Ab3xZ9.tmp (O_EXCL,
 *        in the signal table) -> fsync -> renameat -> x.txt.json
 *
 * Every path is opened relative to a directory descriptor, so an output
 * path longer than PATH_MAX works as well as a short one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"
#include "manifest.h"
#include "outdir.h"

struct qp_outdir {
	char *dir;   /* as given, for messages and reading */
	int dirfd;
	int lockfd;
};

/* ---------------------------------------------------------------------
 * The temporary files in progress, for the signal handler (outdir.h,
 * "Global state").  A slot is filled, then marked used; the handler
 * only reads it. */

#define TMP_SLOTS 4

static struct {
	volatile sig_atomic_t used;
	int  dirfd;
	char name[NAME_MAX + 32];   /* as big as qp_outdir_write's */
} tmp_slots[TMP_SLOTS];

static int tmp_claim(int dirfd, const char *name)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (!tmp_slots[i].used) {
			tmp_slots[i].dirfd = dirfd;
			snprintf(tmp_slots[i].name, sizeof tmp_slots[i].name, "%s",
			         name);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			tmp_slots[i].used = 1;
			return i;
		}
	return -1;
}

static void tmp_release(int slot)
{
	if (slot >= 0)
		tmp_slots[slot].used = 0;
}

static void on_signal(int sig)
{
	/* unlinkat and _exit are async-signal-safe. */
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_slots[i].used)
			unlinkat(tmp_slots[i].dirfd, tmp_slots[i].name, 0);
	_exit(128 + sig);
}

void qp_outdir_catch_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);   /* one handler at a time */
	/* A signal ignored when qpan started stays ignored: "nohup qpan"
	 * must survive its SIGHUP. */
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* ---------------------------------------------------------------------
 * Names */

/* Append the escaped component s[0..n) to p at *k. */
static void put_component(char *p, size_t *k, const char *s, size_t n,
                          int exact)
{
	if (n == 0 && exact) {
		memcpy(p + *k, "%empty", 6);
		*k += 6;
	} else if (n == 1 && s[0] == '.') {
		memcpy(p + *k, "%2e", 3);
		*k += 3;
	} else if (n == 2 && s[0] == '.' && s[1] == '.') {
		memcpy(p + *k, "%2e%2e", 6);
		*k += 6;
	} else {
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '%') {
				memcpy(p + *k, "%25", 3);
				*k += 3;
			} else {
				p[(*k)++] = s[i];
			}
		}
	}
}

/* The component p[start..*k) plus ext (for the last one) too long for
 * one file name: keep its head, add "%h" and the hash of all of it. */
static void shorten(char *p, size_t start, size_t *k, size_t extlen)
{
	size_t len = *k - start;
	if (len + extlen <= QP_OUTDIR_NAME_MAX)
		return;
	uint64_t h = qp_hash_bytes(QP_HASH_SEED, p + start, len);
	size_t keep = QP_OUTDIR_NAME_MAX - extlen - 18;
	/* Not inside a UTF-8 character, nor inside a "%25". */
	while (keep > 0 && ((unsigned char)p[start + keep] & 0xC0) == 0x80)
		keep--;
	for (size_t back = 1; back <= 2 && back <= keep; back++)
		if (p[start + keep - back] == '%') {
			keep -= back;
			break;
		}
	*k = start + keep;
	*k += (size_t)sprintf(p + *k, "%%h%016llx", (unsigned long long)h);
}

char *qp_outdir_name(const char *source, const char *ext, int exact)
{
	size_t n = strlen(source), el = strlen(ext);
	/* Worst case: every byte its own empty component "%empty/" (7 per
	 * byte), "%2f/" in front, "%2e" when nothing is left. */
	char *p = malloc(7 * n + 7 + 4 + 3 + el + 1);
	if (!p)
		return NULL;
	size_t k = 0;
	const char *s = source;
	if (*s == '/') {
		memcpy(p, "%2f/", 4);   /* absolute: its own subtree */
		k = 4;
		s++;
	}
	size_t top = k;
	for (;;) {
		const char *e = strchr(s, '/');
		size_t cl = e ? (size_t)(e - s) : strlen(s);
		int last = !e;
		if (exact || !(cl == 0 || (cl == 1 && s[0] == '.'))) {
			size_t start = k;
			put_component(p, &k, s, cl, exact);
			shorten(p, start, &k, last ? el : 0);
			p[k++] = '/';
		}
		if (last)
			break;
		s = e + 1;
	}
	if (k == top) {
		memcpy(p + k, "%2e/", 4);   /* "", ".", "./": the path itself */
		k += 4;
	}
	k--;   /* the last '/' */
	memcpy(p + k, ext, el + 1);
	return p;
}

char *qp_outdir_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] != '/';
	char *p = malloc(dl + slash + nl + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + slash, name, nl + 1);
	return p;
}

/* ---------------------------------------------------------------------
 * The directory */

static void remove_stale(qp_outdir *od);

/* mkdir -p dir, then open it. */
static int open_dir(const char *dir)
{
	int fd = qp_open_path(AT_FDCWD, dir, O_PATH | O_DIRECTORY);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	char *p = strdup(dir);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return qp_open_path(AT_FDCWD, dir, O_PATH | O_DIRECTORY);
}

qp_outdir *qp_outdir_open(const char *dir, int *err)
{
	qp_outdir *od = malloc(sizeof *od);
	if (!od) {
		*err = ENOMEM;
		return NULL;
	}
	od->dir = strdup(dir);
	od->dirfd = od->dir ? open_dir(dir) : (errno = ENOMEM, -1);
	od->lockfd = od->dirfd < 0 ? -1
	             : openat(od->dirfd, ".qpan-lock",
	                      O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (od->lockfd < 0) {
		*err = errno;
	} else if (flock(od->lockfd, LOCK_EX | LOCK_NB)) {
		*err = errno == EWOULDBLOCK ? QP_OUTDIR_BUSY : errno;
	} else {
		remove_stale(od);
		return od;
	}
	if (od->lockfd >= 0)
		close(od->lockfd);
	if (od->dirfd >= 0)
		close(od->dirfd);
	free(od->dir);
	free(od);
	return NULL;
}

void qp_outdir_close(qp_outdir *od)
{
	if (!od)
		return;
	close(od->lockfd);   /* the lock goes with it */
	close(od->dirfd);
	free(od->dir);
	free(od);
}

int qp_outdir_fd(const qp_outdir *od)
{
	return od->dirfd;
}

const char *qp_outdir_dir(const qp_outdir *od)
{
	return od->dir;
}

int qp_outdir_exists(const qp_outdir *od, const char *name)
{
	int fd = qp_open_path(od->dirfd, name, O_PATH);
	if (fd < 0)
		return 0;
	struct stat st;
	int yes = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return yes;
}

int qp_outdir_remove(qp_outdir *od, const char *name)
{
	const char *slash = strrchr(name, '/');
	int pfd = od->dirfd, rc = 0;
	if (slash) {
		char *parent = strndup(name, (size_t)(slash - name));
		if (!parent)
			return ENOMEM;
		pfd = qp_open_path(od->dirfd, parent, O_PATH | O_DIRECTORY);
		free(parent);
		if (pfd < 0)
			return errno == ENOENT || errno == ENOTDIR ? 0 : errno;
	}
	if (unlinkat(pfd, slash ? slash + 1 : name, 0) < 0 && errno != ENOENT)
		rc = errno;
	if (pfd != od->dirfd)
		close(pfd);
	return rc;
}

/* Open (making it) the directory that holds name's last component;
 * *last is that component.  Returns a descriptor or -1 with errno. */
static int open_parent(int dirfd, char *name, const char **last)
{
	int cur = dirfd;
	char *s = name;
	for (char *e; (e = strchr(s, '/'));) {
		*e = '\0';
		int next = -1;
		if (mkdirat(cur, s, 0777) == 0 || errno == EEXIST)
			next = openat(cur, s, O_PATH | O_DIRECTORY | O_CLOEXEC);
		int err = errno;
		*e = '/';
		if (cur != dirfd)
			close(cur);
		if (next < 0) {
			errno = err;
			return -1;
		}
		cur = next;
		s = e + 1;
	}
	*last = s;
	return cur == dirfd ? fcntl(dirfd, F_DUPFD_CLOEXEC, 0) : cur;
}

/* The temporary file being written, as a path inside DIR, is kept in
 * the lock file while it exists: a run killed with SIGKILL (which no
 * handler sees) leaves its name there, and the next run to take the
 * lock removes it (qp_outdir_open).  Best effort: if the lock file
 * cannot be written, such a file is only left behind. */
static void note_pending(const qp_outdir *od, const char *prefix,
                         size_t prefixlen, const char *tmp)
{
	char line[PATH_MAX + NAME_MAX + 2];
	size_t tl = strlen(tmp);
	if (ftruncate(od->lockfd, 0) || prefixlen + tl + 1 > sizeof line)
		return;
	memcpy(line, prefix, prefixlen);
	memcpy(line + prefixlen, tmp, tl);
	line[prefixlen + tl] = '\n';
	if (pwrite(od->lockfd, line, prefixlen + tl + 1, 0) < 0)
		return;
}

static void clear_pending(const qp_outdir *od)
{
	if (ftruncate(od->lockfd, 0))
		return;   /* best effort, as above */
}

/* Remove the temporary file a killed run named in the lock file, if
 * it is one: a relative path with no "." or ".." component, ending in
 * ".tmp". */
static void remove_stale(qp_outdir *od)
{
	char line[PATH_MAX + NAME_MAX + 2];
	ssize_t r = pread(od->lockfd, line, sizeof line - 1, 0);
	if (r <= 1 || line[r - 1] != '\n')
		return;
	line[r - 1] = '\0';
	if (strlen(line) != (size_t)r - 1 || line[0] == '/' || r < 6 ||
	    strcmp(line + r - 5, ".tmp") != 0)
		return;
	for (const char *c = line; *c;) {
		size_t cl = strcspn(c, "/");
		if (cl == 0 || (c[0] == '.' && (cl == 1 || (cl == 2 && c[1] == '.'))))
			return;
		c += cl + (c[cl] == '/');
	}
	int fd = qp_open_path(od->dirfd, line, O_PATH | O_NOFOLLOW);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		char *slash = strrchr(line, '/');
		if (!slash) {
			unlinkat(od->dirfd, line, 0);
		} else {
			*slash = '\0';
			int pfd = qp_open_path(od->dirfd, line, O_PATH | O_DIRECTORY);
			if (pfd >= 0) {
				unlinkat(pfd, slash + 1, 0);
				close(pfd);
			}
		}
	}
	if (fd >= 0)
		close(fd);
	clear_pending(od);
}

/* Create "last.XXXXXX.tmp" in pfd, exclusively, with a random XXXXXX,
 * named in the signal table (*slot) and the lock file before it
 * exists: a signal in between unlinks nothing, or a file of ours. */
static int create_tmp(const qp_outdir *od, int pfd, const char *prefix,
                      size_t prefixlen, const char *last, char *tmp,
                      size_t tmpsize, int *slot)
{
	static const char letters[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char r[6];
		if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
			/* No entropy yet: the time and the attempt will do, O_EXCL
			 * keeps it safe. */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			uint64_t x = qp_hash_bytes(QP_HASH_SEED, &ts, sizeof ts) ^ (uint64_t)getpid() ^
			             (uint64_t)attempt;
			memcpy(r, &x, sizeof r);
		}
		char rnd[7];
		for (int i = 0; i < 6; i++)
			rnd[i] = letters[r[i] % (sizeof letters - 1)];
		rnd[6] = '\0';
		snprintf(tmp, tmpsize, "%s.%s.tmp", last, rnd);
		*slot = tmp_claim(pfd, tmp);
		note_pending(od, prefix, prefixlen, tmp);
		int fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		                0666);
		if (fd >= 0)
			return fd;
		int e = errno;
		tmp_release(*slot);
		*slot = -1;
		if (e != EEXIST) {
			errno = e;
			return -1;
		}
	}
	errno = EEXIST;
	return -1;
}

int qp_outdir_write(qp_outdir *od, const char *name, const char *data,
                    size_t n)
{
	char *copy = strdup(name);
	if (!copy)
		return ENOMEM;
	const char *last;
	int pfd = open_parent(od->dirfd, copy, &last);
	if (pfd < 0) {
		int e = errno;
		free(copy);
		return e;
	}
	int rc = 0;
	char tmp[NAME_MAX + 32];
	int slot = -1, fd = -1;
	if (strlen(last) > QP_OUTDIR_NAME_MAX) {
		rc = ENAMETOOLONG;   /* not a name qp_outdir_name makes */
	} else {
		fd = create_tmp(od, pfd, name, (size_t)(last - copy), last, tmp,
		                sizeof tmp, &slot);
		if (fd < 0)
			rc = errno;
	}
	for (size_t off = 0; !rc && off < n;) {
		ssize_t w = write(fd, data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			rc = errno;
		else
			off += (size_t)w;
	}
	/* On disk before it has the name: a crash leaves the old file or
	 * the new one, never an empty one. */
	if (!rc && fsync(fd))
		rc = errno;
	if (fd >= 0 && close(fd) && !rc)
		rc = errno;
	if (!rc && renameat(pfd, tmp, pfd, last))
		rc = errno;
	if (rc && fd >= 0)
		unlinkat(pfd, tmp, 0);
	tmp_release(slot);
	if (fd >= 0)
		clear_pending(od);
	close(pfd);
	free(copy);
	return rc;
}
