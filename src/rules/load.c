/*
 * load.c - read the rule data (rules.h).
 *
 *   embedded files --(--rules DIR: DIR/rules/, DIR/lexicon/ overlay
 *   them by name)--> files, sorted by name --> lexicons (lexicon.c)
 *   --> macros ("@name" lines) --> rules (compile.c) --> families index
 *
 * Macros are read before rules, so a rule may use any macro or lexicon
 * wherever it is defined.  Comment lines "#= TEXT" and "#! TEXT" under
 * a rule are its examples: a sentence it must match, and one it must
 * not (tests/unit checks them all).  Every rule keeps its file and line
 * for the messages of later checks.  What this builds, qp_rules_free()
 * frees.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embedded.h"
#include "rules_impl.h"

void rules_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int rules_ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

int rules_utf8_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = qp_utf8_valid_len(u + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Read one data file of --rules DIR: only a regular file (a FIFO would
 * block the start forever, /dev/zero never end), opened without
 * blocking, of at most RULES_FILE_MAX bytes, with no NUL byte (it would
 * cut a pattern or an entry short).  0, or -1 with err set. */
static int read_data_file(const char *path, char **data, size_t *len,
                          char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		rules_seterr(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		rules_seterr(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size > (off_t)RULES_FILE_MAX) {
		rules_seterr(err, errlen, "%s: larger than the limit of %u bytes for "
		             "a rules or lexicon file", path, RULES_FILE_MAX);
		close(fd);
		return -1;
	}
	/* Read to the end, but never past the limit (the file may grow). */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	int rc = buf ? 0 : ENOMEM;
	while (!rc) {
		if (n == cap) {
			char *nb = cap > RULES_FILE_MAX ? NULL
			           : realloc(buf, 2 * cap + 1);
			if (!nb) {
				rc = cap > RULES_FILE_MAX ? EFBIG : ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno != EINTR)
			rc = errno;
		else if (k == 0)
			break;
		else if (k > 0)
			n += (size_t)k;
	}
	close(fd);
	if (!rc && n > RULES_FILE_MAX)
		rc = EFBIG;
	if (rc) {
		if (rc == EFBIG)
			rules_seterr(err, errlen, "%s: larger than the limit of %u bytes "
			             "for a rules or lexicon file", path, RULES_FILE_MAX);
		else if (rc == ENOMEM)
			rules_seterr(err, errlen, "%s: out of memory loading rules", path);
		else
			rules_seterr(err, errlen, "%s: %s", path, strerror(rc));
		free(buf);
		return -1;
	}
	const char *nul = memchr(buf, '\0', n);
	if (nul) {
		size_t line = 1;
		for (const char *q = buf; q < nul; q++)
			line += *q == '\n';
		rules_seterr(err, errlen, "%s:%zu: NUL byte in the line", path, line);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->name,
	              ((const struct file *)b)->name);
}

/* Read DIR/sub/ * with a data extension into the file list, replacing
 * embedded files of the same name. */
static int add_dir(struct file **files, size_t *n, size_t *cap, const char *dir,
                   const char *sub, int *found, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : (rules_seterr(err, errlen, "%s: %s", path,
		                                     strerror(errno)), -1);
	*found = 1;
	struct dirent *e;
	int lexicons = !strcmp(sub, "lexicon");
	while ((e = readdir(d))) {
		/* Hidden files and editors' backups ("x.rules~") are not data;
		 * any other name must be one qpan reads, so that a misnamed
		 * file ("meeting.rule") is not silently left out. */
		if (e->d_name[0] == '.' || rules_ends_with(e->d_name, "~"))
			continue;
		if (lexicons ? !rules_ends_with(e->d_name, ".txt") &&
		               !rules_ends_with(e->d_name, ".tsv")
		             : !rules_ends_with(e->d_name, ".rules")) {
			rules_seterr(err, errlen, "%s/%s: not a %s file (%s/ holds %s)",
			             path, e->d_name, lexicons ? "lexicon" : "rules",
			             sub, lexicons ? "NAME.txt lists and NAME.tsv tables"
			                           : "NAME.rules files");
			closedir(d);
			return -1;
		}
		char name[1024], full[5120];
		snprintf(name, sizeof name, "%s/%s", sub, e->d_name);
		snprintf(full, sizeof full, "%s/%s", dir, name);
		char *data;
		size_t len;
		if (read_data_file(full, &data, &len, err, errlen)) {
			closedir(d);
			return -1;
		}
		size_t i;
		for (i = 0; i < *n && strcmp((*files)[i].name, name) != 0; i++)
			;
		if (i == *n) {
			if (qp_grow(files, cap, *n, sizeof **files)) {
				free(data);
				closedir(d);
				rules_seterr(err, errlen, "out of memory");
				return -1;
			}
			memset(&(*files)[i], 0, sizeof **files);
			(*n)++;
			(*files)[i].name = strdup(name);
			(*files)[i].added = 1;
		} else if ((*files)[i].owned) {
			free((*files)[i].data);
		} else {
			(*files)[i].name = strdup(name);
		}
		(*files)[i].data = data;
		(*files)[i].len = len;
		(*files)[i].owned = 1;
	}
	closedir(d);
	return 0;
}

int rules_line(const struct file *f, size_t *pos, size_t *lineno,
               const char **line, size_t *n)
{
	if (*pos >= f->len)
		return 0;
	const char *p = f->data + *pos;
	const char *nl = memchr(p, '\n', f->len - *pos);
	size_t k = nl ? (size_t)(nl - p) : f->len - *pos;
	*pos += k + (nl ? 1 : 0);
	(*lineno)++;
	if (k && p[k - 1] == '\r')
		k--;
	*line = p;
	*n = k;
	return 1;
}

static void free_files(struct file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (files[i].owned) {
			free(files[i].data);
			free(files[i].name);
		}
	}
	free(files);
}

/* The embedded files, overlaid by DIR's (dir may be NULL), by name. */
static struct file *gather_files(const char *dir, size_t *nfiles, char *err,
                                 size_t errlen)
{
	size_t nf = qp_embedded_count, cap = nf + 1;
	struct file *files = calloc(cap, sizeof *files);
	if (!files) {
		rules_seterr(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nf; i++) {
		files[i].name = (char *)qp_embedded[i].name;
		files[i].data = (char *)qp_embedded[i].data;
		files[i].len = qp_embedded[i].len;
	}
	if (dir) {
		/* "--rules typo": say so, not that it lacks rules/. */
		struct stat st;
		int e = stat(dir, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
		if (e) {
			rules_seterr(err, errlen, "%s: %s", dir, strerror(e));
			goto fail;
		}
		int found = 0;
		if (add_dir(&files, &nf, &cap, dir, "rules", &found, err, errlen) ||
		    add_dir(&files, &nf, &cap, dir, "lexicon", &found, err, errlen))
			goto fail;
		if (!found) {
			rules_seterr(err, errlen,
			             "%s: no rules/ or lexicon/ directory in it", dir);
			goto fail;
		}
		/* Names of files read from DIR must be owned copies. */
		for (size_t i = 0; i < nf; i++)
			if (files[i].owned && files[i].name == NULL) {
				rules_seterr(err, errlen, "out of memory");
				goto fail;
			}
	}
	qsort(files, nf, sizeof *files, cmp_files);
	*nfiles = nf;
	return files;
fail:
	free_files(files, nf);
	return NULL;
}

/* An example line under a rule: "#= sentence" (must match) or "#!
 * sentence" (must not). */
static int add_example(qp_rule *rule, const char *p, size_t n)
{
	struct qp_rule_x *x = rule->x;
	size_t k = 2;
	while (k < n && (p[k] == ' ' || p[k] == '\t'))
		k++;
	if (qp_grow(&x->examples, &x->capexamples, x->nexamples,
	            sizeof *x->examples))
		return -1;
	char *text = strndup(p + k, n - k);
	if (!text)
		return -1;
	x->examples[x->nexamples].text = text;
	x->examples[x->nexamples++].must_match = p[1] == '=';
	return 0;
}

/* A new rule at the end of r's list: id, layer and place set, the rest
 * zero.  NULL when out of memory. */
static qp_rule *new_rule(qp_rules *r, const char *id, int layer,
                         const char *where)
{
	if (qp_grow(&r->rules, &r->caprules, r->nrules, sizeof *r->rules))
		return NULL;
	qp_rule *rule = &r->rules[r->nrules];
	memset(rule, 0, sizeof *rule);
	rule->layer = layer;
	rule->id = strdup(id);
	rule->where = strdup(where);
	rule->x = calloc(1, sizeof *rule->x);
	r->nrules++;   /* even half made: qp_rules_free() frees it */
	return rule->id && rule->where && rule->x ? rule : NULL;
}

/* One pass over the rules files: macros (pass 0) or rules (pass 1).
 * 0, -1 with err set. */
static int read_rules(qp_rules *r, const struct file *f, int pass,
                      char *err, size_t errlen)
{
	size_t pos = 0, lineno = 0, n;
	const char *p;
	qp_rule *last = NULL;   /* the rule examples attach to */
	char where[1100] = "", *line = NULL;
	while (rules_line(f, &pos, &lineno, &p, &n)) {
		if (n >= 2 && p[0] == '#' && (p[1] == '=' || p[1] == '!')) {
			if (pass == 0)
				continue;
			snprintf(where, sizeof where, "%s:%zu", f->name, lineno);
			if (!last) {
				rules_seterr(err, errlen, "%s: example with no rule above "
				             "it (\"#=\" and \"#!\" lines follow a rule)",
				             where);
				return -1;
			}
			if (add_example(last, p, n))
				goto nomem;
			continue;
		}
		if (n == 0 || p[0] == '#')
			continue;
		snprintf(where, sizeof where, "%s:%zu", f->name, lineno);
		if (memchr(p, '\0', n)) {
			rules_seterr(err, errlen, "%s: NUL byte in the line", where);
			return -1;
		}
		if (!(line = strndup(p, n)))
			goto nomem;
		char *t1 = strchr(line, '\t');
		char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2) {
			rules_seterr(err, errlen, "%s: expected ID<TAB>LAYER<TAB>PATTERN",
			             where);
			goto fail;
		}
		*t1 = *t2 = '\0';
		int is_macro = line[0] == '@';
		if (is_macro)
			last = NULL;   /* examples under a macro have no rule */
		if (pass == 0 && is_macro) {
			if (qp_grow(&r->macros, &r->capmacros, r->nmacros,
			            sizeof *r->macros))
				goto nomem;
			struct macro *m = &r->macros[r->nmacros++];
			m->name = strdup(line + 1);
			m->body = strdup(t2 + 1);
			if (!m->name || !m->body)
				goto nomem;
		} else if (pass == 1 && !is_macro) {
			int layer;
			if (!strcmp(t1 + 1, "fold"))
				layer = QP_LAYER_FOLD;
			else if (!strcmp(t1 + 1, "norm"))
				layer = QP_LAYER_NORM;
			else {
				rules_seterr(err, errlen,
				             "%s: %s: layer must be fold or norm, not '%s'",
				             where, line, t1 + 1);
				goto fail;
			}
			if (!(last = new_rule(r, line, layer, where)))
				goto nomem;
			if (rule_compile(r, last, t2 + 1, err, errlen))
				goto fail;
		}
		free(line);
		line = NULL;
	}
	return 0;
nomem:
	rules_seterr(err, errlen, "%s: out of memory loading rules", where);
fail:
	free(line);
	return -1;
}

uint64_t qp_rules_hash(const qp_rules *r)
{
	return r->hash;
}

qp_rules *qp_rules_load(const char *dir, char *err, size_t errlen)
{
	size_t nf = 0;
	struct file *files = gather_files(dir, &nf, err, errlen);
	if (!files)
		return NULL;
	qp_rules *r = calloc(1, sizeof *r);
	if (r)
		r->pf = qp_pf_new();
	if (!r || !r->pf)
		goto nomem;
	/* What the data in force is, in a few bytes: every file's name,
	 * length and bytes, in name order (--incremental redoes documents
	 * when it changes). */
	r->hash = QP_HASH_SEED;
	for (size_t i = 0; i < nf; i++) {
		char len[24];
		int k = snprintf(len, sizeof len, "%zu", files[i].len);
		r->hash = qp_hash_bytes(r->hash, files[i].name,
		                        strlen(files[i].name) + 1);
		r->hash = qp_hash_bytes(r->hash, len, (size_t)k + 1);
		r->hash = qp_hash_bytes(r->hash, files[i].data, files[i].len);
	}

	/* Pass 1: lexicons. */
	for (size_t i = 0; i < nf; i++) {
		if (strncmp(files[i].name, "lexicon/", 8))
			continue;
		if (qp_grow(&r->lex, &r->caplex, r->nlex, sizeof *r->lex) ||
		    qp_grow(&r->lex_added, &r->caplex_added, r->nlex,
		            sizeof *r->lex_added))
			goto nomem;
		memset(&r->lex[r->nlex], 0, sizeof *r->lex);
		r->lex_added[r->nlex] = files[i].added ? i + 1 : 0;
		if (lexicon_load(&r->lex[r->nlex++], &files[i]))
			goto nomem;
	}
	for (int l = 0; l < 2; l++) {
		r->alt[l] = calloc(r->nlex + 1, sizeof *r->alt[l]);
		if (!r->alt[l])
			goto nomem;
	}
	r->lex_used = calloc(r->nlex + 1, 1);
	if (!r->lex_used)
		goto nomem;
	/* Pass 2 and 3: macros, then rules; then every rule compiled
	 * (and JIT-compiled where that works) before any document, so
	 * that a rule that cannot be compiled, for want of memory too,
	 * stops qpan here and no document is printed short. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nf; i++)
			if (!strncmp(files[i].name, "rules/", 6) &&
			    read_rules(r, &files[i], pass, err, errlen))
				goto fail;
	if (rules_compile_all(r, err, errlen))
		goto fail;
	rules_mem_release(r);
	/* A lexicon of a new name that no pattern uses is a typo in its
	 * file name: qpan itself looks lexicons up only by built-in names. */
	for (size_t i = 0; i < r->nlex; i++)
		if (r->lex_added[i] && !r->lex_used[i]) {
			rules_seterr(err, errlen, "%s/%s: unknown lexicon: no rule uses "
			             "{{%s}}, and it replaces no built-in lexicon", dir,
			             files[r->lex_added[i] - 1].name, r->lex[i].name);
			goto fail;
		}
	macro_free_alts(r);
	if (families_build(r))
		goto nomem;
	free_files(files, nf);
	return r;
nomem:
	rules_seterr(err, errlen, "out of memory loading rules");
fail:
	free_files(files, nf);
	qp_rules_free(r);
	return NULL;
}

void qp_rules_free(qp_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrules; i++)
		rule_free(&r->rules[i]);
	/* After the codes, which may hold pieces of it (mem_free leaves
	 * those alone). */
	free(r->mem.reserve);
	free(r->rules);
	free(r->fam_rules);
	for (size_t i = 0; i < r->nfam; i++)
		free(r->fam[i].name);
	free(r->fam);
	qp_pf_free(r->pf);
	for (size_t i = 0; i < r->nlex; i++)
		lexicon_free(&r->lex[i]);
	free(r->lex);
	free(r->lex_added);
	free(r->lex_used);
	macro_free_alts(r);
	for (size_t i = 0; i < r->nmacros; i++) {
		free(r->macros[i].name);
		free(r->macros[i].body);
	}
	free(r->macros);
	free(r);
}
