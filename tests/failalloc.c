/*
 * failalloc.c - an LD_PRELOAD shim that makes one allocation fail, for
 * tests/failalloc.sh: every run of qpan under it must either complete
 * (exit 0, the same output as without it) or fail with a message and
 * exit status 1 or 2, never crash, hang or print a shorter result.
 *
 *   FAILALLOC_N=N      the Nth call (from 1, counted over malloc, calloc,
 *                      realloc, posix_memalign, aligned_alloc and
 *                      memalign together) returns NULL with errno ENOMEM;
 *                      0 or unset: none fails
 *   FAILALLOC_AFTER=1  every call from the Nth on fails (memory that
 *                      stays exhausted), not only the Nth
 *   FAILALLOC_COUNT=F  at exit, write the number of calls made to F (the
 *                      sweep's upper bound)
 *
 * The real allocator is glibc's __libc_* entry points, so the shim needs
 * no dlsym (which allocates).  The counter is atomic: qpan's workers
 * allocate in threads.  Built as build/failalloc.so by `make test`; it
 * is a test tool, never linked into qpan.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_ulong calls;
static unsigned long fail_at;   /* read once, before threads start */
static int fail_after;

__attribute__((constructor)) static void failalloc_init(void)
{
	const char *n = getenv("FAILALLOC_N"), *a = getenv("FAILALLOC_AFTER");
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	fail_after = a && *a == '1';
}

__attribute__((destructor)) static void failalloc_report(void)
{
	const char *f = getenv("FAILALLOC_COUNT");
	if (!f)
		return;
	int fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%lu\n", (unsigned long)calls);
	if (write(fd, buf, (size_t)len) < 0)
		(void)0;
	close(fd);
}

/* Does this call fail? */
static int failing(void)
{
	unsigned long k = atomic_fetch_add(&calls, 1) + 1;
	if (fail_at && (k == fail_at || (fail_after && k > fail_at))) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	return failing() ? NULL : __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
	return failing() ? NULL : __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
	return failing() ? NULL : __libc_realloc(p, n);
}

void *memalign(size_t al, size_t n)
{
	return failing() ? NULL : __libc_memalign(al, n);
}

void *aligned_alloc(size_t al, size_t n)
{
	return failing() ? NULL : __libc_memalign(al, n);
}

int posix_memalign(void **out, size_t al, size_t n)
{
	if (failing())
		return ENOMEM;
	void *p = __libc_memalign(al, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
