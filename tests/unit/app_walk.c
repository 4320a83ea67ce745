/*
 * app_walk.c - the directory walker (src/app/walk.c, qp_walk) over a
 * temporary tree: byte order, recursion, globs, symbolic links followed
 * and loops reported once, a callback that stops the walk, and operands
 * that are not directories.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "walk.h"

/* Collects what the walk reports as "path err" lines, paths relative
 * to the temp dir; stops after `stop_after` documents when nonzero. */
typedef struct {
	const char *root;
	char        log[8192];
	size_t      n;
	int         calls, stop_after;
} walk_log;

static int walk_cb(const char *path, int err, void *ctx)
{
	walk_log *w = ctx;
	size_t rl = strlen(w->root);
	const char *rel = strncmp(path, w->root, rl) == 0 ? path + rl : path;
	const char *e = err == 0 ? "ok" : err == QP_WALK_DIR_LOOP ? "ELOOP" :
	                err == ENOENT ? "ENOENT" : "other";
	w->n += (size_t)snprintf(w->log + w->n, sizeof w->log - w->n, "%s %s; ",
	                         rel, e);
	w->calls++;
	return w->stop_after && w->calls >= w->stop_after;
}

/* Walk operand with glob; expect the log to be want. */
static void expect_walk(const char *name, const char *root,
                        const char *operand, const char *glob,
                        const char *want, int stop_after)
{
	walk_log w;
	memset(&w, 0, sizeof w);
	w.root = root;
	w.stop_after = stop_after;
	int rc = qp_walk(operand, glob, walk_cb, &w);
	check(name, strcmp(w.log, want) == 0 && (rc != 0) == (stop_after != 0),
	      "walk %s returned %d and gave [%s], want [%s]", glob, rc, w.log,
	      want);
}

/* Walks of the tree: the operand is appended to the root ("" for the
 * root itself), except "-", standard input. */
struct walk_case {
	const char *name, *operand, *glob, *want;
	int         stop_after;
};

static void expect_walks(const char *root, const struct walk_case *c,
                         size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char p[4096];
		if (strcmp(c[i].operand, "-") == 0)
			snprintf(p, sizeof p, "-");
		else
			snprintf(p, sizeof p, "%s%s", root, c[i].operand);
		expect_walk(c[i].name, root, p, c[i].glob, c[i].want,
		            c[i].stop_after);
	}
}

static const struct walk_case walks[] = {
	/* Byte order ("B" < "_" < "a"; "sub" < "sub10" < "sub2"),
	 * recursion, links followed (sub2/link is a second way to
	 * sub/deeper, not a loop), each loop reported once with ELOOP,
	 * the dangling .txt link reported, the .bin one not. */
	{"walk.sorted_recursive", "", "*.txt",
	 "/B.txt ok; "
	 "/_u.txt ok; "
	 "/a.txt ok; "
	 "/dangling.txt ENOENT; "
	 "/loop ELOOP; "
	 "/sub/deeper/up ELOOP; "
	 "/sub/deeper/y.txt ok; "
	 "/sub/z.txt ok; "
	 "/sub10/w.txt ok; "
	 "/sub2/link/up ELOOP; "
	 "/sub2/link/y.txt ok; "
	 "/sub2/x.txt ok; ", 0},
	{"walk.glob_md", "", "*.md",
	 "/c.md ok; "
	 "/loop ELOOP; "
	 "/sub/deeper/up ELOOP; "
	 "/sub2/link/up ELOOP; ", 0},
	{"walk.glob_pattern", "", "[a-c]*.*",
	 "/a.txt ok; "
	 "/c.md ok; "
	 "/loop ELOOP; "
	 "/sub/deeper/up ELOOP; "
	 "/sub2/link/up ELOOP; ", 0},
	/* A trailing slash on the operand does not double the slash. */
	{"walk.trailing_slash", "/sub10/", "*.txt", "/sub10/w.txt ok; ", 0},
	/* A loop is relative to where the walk starts: from sub, the link
	 * sub/deeper/up leads to the root, which is not an ancestor yet, so
	 * it is entered once and the loop is met at root/sub. */
	{"walk.loop_relative_to_start", "/sub", "*.md",
	 "/sub/deeper/up/c.md ok; "
	 "/sub/deeper/up/loop ELOOP; "
	 "/sub/deeper/up/sub ELOOP; "
	 "/sub/deeper/up/sub2/link ELOOP; ", 0},
};

static const struct walk_case more_walks[] = {
	/* The callback can stop the walk. */
	{"walk.stop", "", "*.txt", "/B.txt ok; /_u.txt ok; ", 2},
	/* Operands that are not directories are passed through as they
	 * are. */
	{"walk.file_operand", "/c.md", "*.txt", "/c.md ok; ", 0},
	{"walk.stdin_operand", "-", "*.txt", "- ok; ", 0},
	{"walk.missing_operand", "/missing.txt", "*.txt", "/missing.txt ok; ",
	 0},
};

/* The tree:
 *   B.txt _u.txt a.txt c.md dangling.txt -> nowhere, gone.bin ->
 *   nowhere, loop -> ., sub/{z.txt, deeper/{y.txt, up -> ../..}},
 *   sub2/{x.txt, link -> ../sub/deeper}, sub10/w.txt */
static const char *const tree_files[] = {
	"B.txt", "b", "_u.txt", "u", "a.txt", "a", "c.md", "c",
	"sub/z.txt", "z", "sub/deeper/y.txt", "y", "sub2/x.txt", "x",
	"sub10/w.txt", "w",
};
static const char *const tree_links[] = { /* path, target */
	"dangling.txt", "nowhere", "gone.bin", "nowhere", "loop", ".",
	"sub/deeper/up", "../..", "sub2/link", "../sub/deeper",
};

void test_walk(void)
{
	char *root = make_tmpdir();
	char p[4096];
	for (size_t i = 0; i < COUNT(tree_files); i += 2)
		write_file(root, tree_files[i], tree_files[i + 1]);
	int ok = 1;
	for (size_t i = 0; i < COUNT(tree_links); i += 2) {
		snprintf(p, sizeof p, "%s/%s", root, tree_links[i]);
		ok &= symlink(tree_links[i + 1], p) == 0;
	}
	if (!check("walk.setup", ok, "could not make symbolic links: %s",
	           strerror(errno))) {
		rm_tree(root);
		free(root);
		return;
	}

	expect_walks(root, walks, COUNT(walks));
	/* A walk that starts inside a loop sees the loop once. */
	snprintf(p, sizeof p, "%s/loop", root);
	walk_log w;
	memset(&w, 0, sizeof w);
	w.root = root;
	qp_walk(p, "*.none", walk_cb, &w);
	check("walk.loop_operand", strcmp(w.log, "/loop/loop ELOOP; "
	      "/loop/sub/deeper/up ELOOP; /loop/sub2/link/up ELOOP; ") == 0,
	      "gave [%s]", w.log);
	expect_walks(root, more_walks, COUNT(more_walks));

	/* An empty directory gives nothing.  (Last, and with the tree
	 * already removed: under UBSan a bug here ends the program.) */
	rm_tree(root);
	mkdir(root, 0755);
	expect_walk("walk.empty_dir", root, root, "*.txt", "", 0);
	rmdir(root);
	free(root);
}
