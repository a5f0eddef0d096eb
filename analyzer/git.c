/*
 * git.c - ask git which files a branch added or changed.
 */
#include "git.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

/* Run git with 'argv' (NULL-terminated, without "git") in 'dir'; stdout
   into *out. Returns git's exit status, or -1 when it cannot run. */
static int run_git(const char *dir, const char *const *argv, struct strbuf *out)
{
	const char *args[32];
	int fd[2], status, n = 0;
	char buf[8192];
	ssize_t got;
	pid_t pid;

	args[n++] = "git";
	args[n++] = "-C";
	args[n++] = dir;
	for (int i = 0; argv[i] && n < 30; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp("git", (char *const *)args);
		_exit(127);
	}
	close(fd[1]);
	while ((got = read(fd[0], buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)got);
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void chomp(struct strbuf *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == '\r'))
		sb->buf[--sb->len] = '\0';
}

/* Paths (relative to the top level) listed one per line in 'list'. */
static bool listed(const char *list, const char *rel)
{
	size_t n = strlen(rel);

	for (const char *p = list; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len == n && !memcmp(p, rel, n))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

/* The file's path relative to the repository's top level, or NULL. */
static char *relative_to(const char *top, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(top);

	if (!realpath(path, real) || strncmp(real, top, n) || real[n] != '/')
		return NULL;
	return xstrdup(real + n + 1);
}

struct base_lists {
	struct strbuf added, modified;
};

static int collect(const char *top, const char *mb, struct base_lists *l)
{
	const char *added[] = { "diff", "--name-only", "--no-renames", "--diff-filter=A", mb, NULL };
	const char *modified[] = { "diff", "--name-only", "--no-renames", "--diff-filter=MT", mb, NULL };
	const char *untracked[] = { "ls-files", "--others", "--exclude-standard", NULL };

	if (run_git(top, added, &l->added) || run_git(top, modified, &l->modified))
		return -1;
	return run_git(top, untracked, &l->added) ? -1 : 0;
}

int git_mark_base(struct history *h, const char *base)
{
	const char *top_args[] = { "rev-parse", "--show-toplevel", NULL };
	const char *verify[] = { "rev-parse", "--verify", "--quiet", NULL, NULL };
	const char *mb_args[] = { "merge-base", NULL, "HEAD", NULL };
	struct strbuf top, ref, mb;
	struct base_lists l;
	char *dir = NULL, *slash;
	int ret = -1;

	strbuf_init(&top);
	strbuf_init(&ref);
	strbuf_init(&mb);
	strbuf_init(&l.added);
	strbuf_init(&l.modified);
	if (!h->nr)
		return 0;
	dir = xstrdup(h->items[0].path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir[0] = '.', dir[1] = '\0';
	if (run_git(dir, top_args, &top)) {
		error("--base needs a git repository, and '%s' is not in one (or git is missing)", dir);
		goto out;
	}
	chomp(&top);
	verify[3] = xstrfmt("%s^{commit}", base);
	if (run_git(top.buf, verify, &ref)) {
		error("--base: unknown revision '%s' in '%s'", base, top.buf);
		goto out;
	}
	mb_args[1] = base;
	if (run_git(top.buf, mb_args, &mb)) {
		error("--base: '%s' and HEAD have no common ancestor in '%s'", base, top.buf);
		goto out;
	}
	chomp(&mb);
	if (collect(top.buf, mb.buf, &l)) {
		error("--base: git could not compare '%s' with the working tree", base);
		goto out;
	}
	for (int i = 0; i < h->nr; i++) {
		struct migration *m = &h->items[i];
		char *rel = relative_to(top.buf, m->path);

		m->base_state = rel && listed(l.added.buf, rel) ? BASE_ADDED :
				rel && listed(l.modified.buf, rel) ? BASE_MODIFIED : BASE_UNCHANGED;
		m->in_range = m->base_state == BASE_ADDED;
		free(rel);
	}
	ret = 0;
out:
	free((char *)verify[3]);
	free(dir);
	strbuf_release(&top);
	strbuf_release(&ref);
	strbuf_release(&mb);
	strbuf_release(&l.added);
	strbuf_release(&l.modified);
	return ret;
}
