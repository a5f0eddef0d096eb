#include "discover.h"
#include "strpool.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "banned.h"

static const char *const layout_names[] = {
	[LAYOUT_PLAIN] = "plain",
	[LAYOUT_GOLANG_MIGRATE] = "golang-migrate",
	[LAYOUT_GOOSE] = "goose",
	[LAYOUT_ATLAS] = "atlas",
	[LAYOUT_FLYWAY] = "flyway",
	[LAYOUT_DBMATE] = "dbmate",
	[LAYOUT_DIESEL] = "diesel",
	[LAYOUT_PRISMA] = "prisma",
	[LAYOUT_SQL_MIGRATE] = "sql-migrate",
};

const char *layout_name(enum layout l)
{
	if ((size_t)l >= ARRAY_SIZE(layout_names))
		BUG("unknown layout %d", (int)l);
	return layout_names[l];
}

static int layout_by_name(const char *name, enum layout *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(layout_names); i++) {
		if (!strcmp(name, layout_names[i])) {
			*out = (enum layout)i;
			return 0;
		}
	}
	return error("unknown layout '%s' (expected golang-migrate, goose, sql-migrate, "
		     "atlas, flyway, dbmate, diesel, prisma or plain)", name);
}

static enum tx_mode default_tx(enum layout l)
{
	if (l == LAYOUT_GOLANG_MIGRATE || l == LAYOUT_PRISMA)
		return TX_IMPLICIT;
	return TX_PER_FILE;
}

void history_init(struct history *h)
{
	h->items = NULL;
	h->nr = h->alloc = 0;
	h->nr_dirs = 0;
}

static void migration_release(struct migration *m)
{
	free(m->path);
	free(m->display);
	free(m->version);
	free(m->name);
}

void history_release(struct history *h)
{
	int i;

	for (i = 0; i < h->nr; i++)
		migration_release(&h->items[i]);
	free(h->items);
	history_init(h);
}

/* ---- versions ---- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Length of the version at the start of 's': digits, with '.' and '-'
 * allowed between digits ("13.1", "2018-02-17-205753"). 0 if none.
 */
static size_t version_span(const char *s)
{
	size_t i = 0;

	while (is_digit(s[i]) || ((s[i] == '.' || s[i] == '-') && i && is_digit(s[i + 1])))
		i++;
	return i;
}

/* The next run of digits at or after 's'; *len is 0 at the end. */
static const char *next_digits(const char *s, size_t *len)
{
	const char *p;

	while (*s && !is_digit(*s))
		s++;
	for (p = s; is_digit(*p); p++)
		;
	*len = (size_t)(p - s);
	return s;
}

static int cmp_number(const char *a, size_t la, const char *b, size_t lb)
{
	int c;

	while (la > 1 && *a == '0')
		a++, la--;
	while (lb > 1 && *b == '0')
		b++, lb--;
	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(a, b, la);
	return (c > 0) - (c < 0);
}

static bool has_digit(const char *s)
{
	for (; *s; s++)
		if (is_digit(*s))
			return true;
	return false;
}

/* Length of 's' when it is digits only (most versions), else 0. */
static size_t all_digits(const char *s)
{
	size_t i = 0;

	while (is_digit(s[i]))
		i++;
	return s[i] ? 0 : i;
}

int version_cmp(const char *a, const char *b)
{
	size_t da = all_digits(a), db = all_digits(b);

	/* what the loop below gives, without walking each twice (sorting a
	   2,000-file history compares 17,000 pairs) */
	if (da && db)
		return cmp_number(a, da, b, db);
	if (!has_digit(a) && !has_digit(b)) {
		int c = strcmp(a, b);

		return (c > 0) - (c < 0);
	}
	for (;;) {
		size_t la, lb;
		const char *pa = next_digits(a, &la), *pb = next_digits(b, &lb);
		int c;

		if (!la || !lb)
			return (la > 0) - (lb > 0);
		c = cmp_number(pa, la, pb, lb);
		if (c)
			return c;
		a = pa + la;
		b = pb + lb;
	}
}

/*
 * Split a file or directory name without its extension into version
 * and description: "0002_1.7.0_schema" gives "0002" and "1.7.0_schema",
 * "V2_add" gives "2" and "add".
 */
static void split_version(const char *stem, size_t n, char **version, char **name)
{
	char *tmp = xstrndup(stem, n);
	const char *v = tmp[0] == 'V' && is_digit(tmp[1]) ? tmp + 1 : tmp;
	size_t vlen = version_span(v);
	const char *rest = v + vlen;

	if (vlen && (*rest == '_' || *rest == '-' || *rest == '.'))
		rest++;
	*version = xstrndup(v, vlen);
	*name = xstrdup(vlen ? rest : tmp);
	free(tmp);
}

/* Flyway: "V13.1__desc" or "V1_1__desc"; the version is kept as written. */
static void split_flyway(const char *stem, size_t n, char **version, char **name)
{
	const char *sep = strstr(stem, "__");

	if (!sep || (size_t)(sep - stem) > n)
		BUG("not a flyway name '%s'", stem);
	*version = xstrndup(stem + 1, (size_t)(sep - stem) - 1);
	*name = xstrndup(sep + 2, n - (size_t)(sep + 2 - stem));
}

/* ---- file names ---- */

/*
 * Does 'name' end with 'suffix' (".sql", ".up.sql"), or with it and
 * ".sqlite": SQLite migrations may be named *.sql.sqlite, which also
 * tells migsafe their dialect (sqlite_dialect.h).
 */
static bool sql_name_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix), x = strlen(".sqlite");

	if (str_ends_with(name, suffix))
		return true;
	return n >= k + x && str_ends_with(name, ".sqlite") &&
	       !strncmp(name + n - x - k, suffix, k);
}

static bool is_down(const char *name)
{
	return !strcmp(name, "down.sql") || sql_name_ends(name, ".down.sql");
}

/* golang-migrate: ^[0-9]+_.*\.up\.sql$ */
static bool is_golang_up(const char *name)
{
	size_t i = 0;

	while (is_digit(name[i]))
		i++;
	return i && name[i] == '_' && sql_name_ends(name, ".up.sql");
}

/* Flyway versioned: ^V[0-9]+([._][0-9]+)*__.*\.sql$ */
static bool is_flyway(const char *name)
{
	size_t i = 1;

	if (name[0] != 'V' || !is_digit(name[1]))
		return false;
	for (;;) {
		while (is_digit(name[i]))
			i++;
		if (name[i] == '_' && name[i + 1] == '_')
			break;
		if ((name[i] != '.' && name[i] != '_') || !is_digit(name[i + 1]))
			return false;
		i++;
	}
	return sql_name_ends(name, ".sql");
}

/* Any *.sql whose name starts with a version ("001-init.sql", "V2_x.sql"). */
static bool is_plain(const char *name)
{
	const char *p = name[0] == 'V' ? name + 1 : name;

	return is_digit(*p) && sql_name_ends(name, ".sql") && !is_down(name);
}

/* ---- the scan ---- */

/* What discovery knows about each item of h->items, in the same order. */
struct found {
	dev_t dev;
	ino_t ino;
	int dir;          /* index into scan.dirs, -1 for a lone file */
	bool named;       /* named on the command line */
};

struct scanned_dir {
	dev_t dev;
	ino_t ino;
	bool whole;       /* named as a directory: all of it is in range */
};

struct scan {
	struct history *h;
	bool forced;
	enum layout force;
	struct found *found;
	size_t found_alloc;
	struct scanned_dir *dirs;
	int nr_dirs;
	size_t dirs_alloc;
	bool any_file_arg;
	struct strpool paths;     /* the items' paths, to know a named file
	                             without stat(): ids as items are added */
	int *path_item;           /* path_item[id - 1]: its index in h->items */
	size_t path_item_alloc;
};

/* "dir" + "name" with exactly one slash between; "" + name is name.
   (By hand: a history joins thousands, and a format cost 700
   instructions each.) */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir), k = strlen(name);
	size_t slash = n && dir[n - 1] != '/';
	char *p = xmalloc(n + slash + k + 1);

	memcpy(p, dir, n);
	if (slash)
		p[n] = '/';
	memcpy(p + n + slash, name, k + 1);
	return p;
}

struct candidate {
	const char *path;       /* to open */
	const char *display;
	const char *stem;       /* name the version is read from */
	size_t stem_len;
	enum layout layout;
	enum tx_mode tx;
	const struct stat *st;
	int dir;
};

void file_meta_from(struct file_meta *m, const struct stat *st)
{
	m->size = (uint64_t)st->st_size;
	m->ino = (uint64_t)st->st_ino;
	m->dev = (uint64_t)st->st_dev;
	m->mtime_ns = timespec_ns(&st->st_mtim);
	m->ctime_ns = timespec_ns(&st->st_ctim);
}

/* Item 'i' is opened as 'path' (the first item to have it keeps it). */
static void remember_path(struct scan *s, const char *path, int i)
{
	size_t id = strpool_intern(&s->paths, path);

	if (id != s->paths.nr)
		return;
	ALLOC_GROW(s->path_item, id, s->path_item_alloc);
	s->path_item[id - 1] = i;
}

/* The item a scan found at exactly 'path', or -1. */
static int item_at_path(const struct scan *s, const char *path)
{
	uint32_t id = strpool_find(&s->paths, path);

	return id ? s->path_item[id - 1] : -1;
}

static void add_migration(struct scan *s, const struct candidate *c)
{
	struct migration *m;
	struct found *f;

	ALLOC_GROW(s->h->items, s->h->nr + 1, s->h->alloc);
	ALLOC_GROW(s->found, (size_t)s->h->nr + 1, s->found_alloc);
	m = &s->h->items[s->h->nr];
	f = &s->found[s->h->nr];
	s->h->nr++;

	memset(m, 0, sizeof(*m));     /* base_state: BASE_UNKNOWN */
	m->path = xstrdup(c->path);
	m->display = xstrdup(c->display);
	if (c->layout == LAYOUT_FLYWAY)
		split_flyway(c->stem, c->stem_len, &m->version, &m->name);
	else
		split_version(c->stem, c->stem_len, &m->version, &m->name);
	m->layout = c->layout;
	m->tx = c->tx;
	m->in_range = false;
	file_meta_from(&m->meta, c->st);
	f->dev = c->st->st_dev;
	f->ino = c->st->st_ino;
	f->dir = c->dir;
	f->named = false;
	remember_path(s, m->path, s->h->nr - 1);
}

/* Length of a root file's name without what follows the description. */
static size_t name_stem_len(const char *name)
{
	size_t n = strlen(name);

	if (!str_ends_with(name, ".sql") && str_ends_with(name, ".sql.sqlite"))
		n -= strlen(".sqlite");
	if (n >= strlen(".up.sql") && !strncmp(name + n - strlen(".up.sql"), ".up.sql", 7))
		return n - strlen(".up.sql");
	return n - strlen(".sql");
}

/* Does a root file belong to the history, given the directory's layout? */
static bool root_file_matches(const char *name, enum layout l)
{
	switch (l) {
	case LAYOUT_GOLANG_MIGRATE:
		return is_golang_up(name);
	case LAYOUT_FLYWAY:
		return is_flyway(name);
	case LAYOUT_ATLAS:
		return is_digit(name[0]) && sql_name_ends(name, ".sql") && !is_down(name);
	case LAYOUT_DIESEL:
	case LAYOUT_PRISMA:
		return false;
	default:
		return is_plain(name);
	}
}

struct dir_entries {
	char **names;           /* in 'text' */
	unsigned char *types;   /* d_type: DT_REG, DT_DIR, DT_UNKNOWN, ... */
	int nr;
	size_t alloc, types_alloc;
	struct arena text;
};

static void dir_entries_release(struct dir_entries *e)
{
	free(e->names);
	free(e->types);
	arena_release(&e->text);
	e->names = NULL;
	e->types = NULL;
	e->nr = 0;
	e->alloc = 0;
}

/* The entries of 'd' (opened as 'dir'), which stays open. Their names
   share blocks: a history is thousands of files, one malloc each cost
   more than reading the directory. */
static void read_entries(DIR *d, struct dir_entries *e)
{
	struct dirent *de;

	arena_init(&e->text);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;  /* ".", ".." and hidden files */
		ALLOC_GROW(e->names, (size_t)e->nr + 1, e->alloc);
		ALLOC_GROW(e->types, (size_t)e->nr + 1, e->types_alloc);
		e->types[e->nr] = de->d_type;
		e->names[e->nr++] = arena_strdup(&e->text, de->d_name);
	}
}

static bool has_entry(const struct dir_entries *e, const char *name)
{
	int i;

	for (i = 0; i < e->nr; i++)
		if (!strcmp(e->names[i], name))
			return true;
	return false;
}

/* The layout of a directory's root files, from their names. */
static enum layout detect_root_layout(const struct dir_entries *e)
{
	int i;

	if (has_entry(e, "atlas.sum"))
		return LAYOUT_ATLAS;
	for (i = 0; i < e->nr; i++)
		if (is_golang_up(e->names[i]))
			return LAYOUT_GOLANG_MIGRATE;
	for (i = 0; i < e->nr; i++)
		if (is_flyway(e->names[i]))
			return LAYOUT_FLYWAY;
	return LAYOUT_PLAIN;
}

static bool is_regular(const char *path, struct stat *st)
{
	return !stat(path, st) && S_ISREG(st->st_mode);
}

/* diesel's metadata.toml: run_in_transaction = false */
static bool diesel_no_transaction(const char *subdir)
{
	char *path = join(subdir, "metadata.toml"), *text = NULL;
	const char *p;
	size_t len;
	bool ret = false;

	if (read_file(path, &text, &len, 65536) < 0)
		goto out;
	for (p = text; (p = strstr(p, "run_in_transaction")); ) {
		p += strlen("run_in_transaction");
		p += strspn(p, " \t");
		if (*p != '=')
			continue;
		p++;
		p += strspn(p, " \t");
		if (!strncmp(p, "false", 5)) {
			ret = true;
			break;
		}
	}
out:
	free(text);
	free(path);
	return ret;
}

static void add_root_file(struct scan *s, const char *path, const char *prefix,
			  const char *name, enum layout l, const struct stat *st,
			  int dir_idx)
{
	char *display = join(prefix, name);
	struct candidate c = { path, display, name, name_stem_len(name), l,
			       default_tx(l), st, dir_idx };

	add_migration(s, &c);
	free(display);
}

static const struct {
	const char *file;
	enum layout layout;
} sub_kinds[] = {
	{ "migration.sql", LAYOUT_PRISMA },
	{ "up.sql", LAYOUT_DIESEL },
};

/* Which of sub_kinds the directory 'sub' holds, or -1; sets *path. */
static int sub_kind(const struct scan *s, const char *sub, char **path, struct stat *st)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sub_kinds); i++) {
		if (s->forced && s->force != sub_kinds[i].layout)
			continue;
		*path = join(sub, sub_kinds[i].file);
		if (is_regular(*path, st))
			return (int)i;
		free(*path);
	}
	*path = NULL;
	return -1;
}

/*
 * A subdirectory '<version>_name/' holding up.sql (diesel) or
 * migration.sql (Prisma). Only one level: nothing below it is read, so
 * a symlink loop is never followed.
 */
static void add_sub_migration(struct scan *s, const char *dir, const char *prefix,
			      const char *name, int dir_idx)
{
	char *sub = join(dir, name), *subdisp = join(prefix, name), *path, *display;
	struct stat st;
	int kind = sub_kind(s, sub, &path, &st);
	struct candidate c = { path, NULL, name, strlen(name), LAYOUT_PLAIN,
			       TX_PER_FILE, &st, dir_idx };

	if (kind < 0)
		goto out;
	c.display = display = join(subdisp, sub_kinds[kind].file);
	c.layout = sub_kinds[kind].layout;
	c.tx = default_tx(c.layout);
	if (c.layout == LAYOUT_DIESEL && diesel_no_transaction(sub))
		c.tx = TX_NONE;
	add_migration(s, &c);
	free(display);
out:
	free(path);
	free(sub);
	free(subdisp);
}

/*
 * May entry 'name' (of type 'type' as the directory lists it) be ours?
 * Most names say it is not (down migrations), or the type the directory
 * lists does (a symbolic link still needs stat()).
 */
static bool entry_wanted(const char *name, unsigned char type, enum layout root)
{
	bool maybe_dir = version_span(name), maybe_file = root_file_matches(name, root);

	return (maybe_dir && type != DT_REG) || (maybe_file && type != DT_DIR);
}

/* Room for 'n' more migrations, made once: grown one at a time, the
   items of a long history were copied again and again. */
static void reserve_items(struct scan *s, int n)
{
	ALLOC_GROW(s->h->items, (size_t)s->h->nr + (size_t)n, s->h->alloc);
	ALLOC_GROW(s->found, (size_t)s->h->nr + (size_t)n, s->found_alloc);
}

/* An entry 'name' of 'dir' that entry_wanted() (open as 'dfd': no path
   walk per entry). */
static void add_entry(struct scan *s, int dfd, const char *dir, const char *prefix,
		      const char *name, enum layout root, int dir_idx)
{
	char *path;
	struct stat st;

	if (fstatat(dfd, name, &st, 0) < 0)
		return;  /* a dangling link or a loop (ELOOP): not ours */
	if (S_ISDIR(st.st_mode) && version_span(name)) {
		if (!s->forced || s->force == LAYOUT_DIESEL || s->force == LAYOUT_PRISMA)
			add_sub_migration(s, dir, prefix, name, dir_idx);
	} else if (S_ISREG(st.st_mode) && root_file_matches(name, root)) {
		path = join(dir, name);
		add_root_file(s, path, prefix, name, root, &st, dir_idx);
		free(path);
	}
}

/* Index in s->dirs of the directory with this identity, or -1. */
static int find_dir(const struct scan *s, const struct stat *st)
{
	int i;

	for (i = 0; i < s->nr_dirs; i++)
		if (s->dirs[i].dev == st->st_dev && s->dirs[i].ino == st->st_ino)
			return i;
	return -1;
}

/*
 * Scan 'dir' (opened as 'dir', shown with 'prefix') once, however many
 * times it is named. Sets *idx to its index in s->dirs.
 */
static int scan_dir(struct scan *s, const char *dir, const char *prefix,
		    bool whole, int *idx)
{
	struct dir_entries e = { 0 };
	struct stat st;
	enum layout root;
	DIR *d;
	int i, wanted = 0;

	if (stat(dir, &st) < 0)
		return error("cannot access '%s': %s", dir, strerror(errno));
	*idx = find_dir(s, &st);
	if (*idx >= 0) {
		s->dirs[*idx].whole |= whole;
		return 0;
	}
	if (!(d = opendir(dir)))
		return error("cannot open directory '%s': %s", dir, strerror(errno));
	read_entries(d, &e);
	ALLOC_GROW(s->dirs, (size_t)s->nr_dirs + 1, s->dirs_alloc);
	*idx = s->nr_dirs++;
	s->dirs[*idx].dev = st.st_dev;
	s->dirs[*idx].ino = st.st_ino;
	s->dirs[*idx].whole = whole;
	root = s->forced ? s->force : detect_root_layout(&e);
	/* the entries that may be ours, in order (the names stay in e.text) */
	for (i = 0; i < e.nr; i++)
		if (entry_wanted(e.names[i], e.types[i], root))
			e.names[wanted++] = e.names[i];
	reserve_items(s, wanted);
	for (i = 0; i < wanted; i++)
		add_entry(s, dirfd(d), dir, prefix, e.names[i], root, *idx);
	closedir(d);
	dir_entries_release(&e);
	return 0;
}

static int count_in_dir(const struct scan *s, int idx)
{
	int i, n = 0;

	for (i = 0; i < s->h->nr; i++)
		if (s->found[i].dir == idx)
			n++;
	return n;
}

static int add_dir_arg(struct scan *s, const char *arg)
{
	int idx;

	if (scan_dir(s, arg, arg, true, &idx) < 0)
		return -1;
	if (!count_in_dir(s, idx))
		return error("no migrations found in '%s'", arg);
	return 0;
}

/*
 * Length of the directory part of 'path' (without the trailing slash,
 * but "/" stays "/"), looking only at the first 'len' bytes.
 */
static size_t dirname_len(const char *path, size_t len)
{
	while (len && path[len - 1] != '/')
		len--;
	while (len > 1 && path[len - 1] == '/')
		len--;
	return len;
}

char *history_dir_of(const char *arg)
{
	const char *base = strrchr(arg, '/');
	size_t n = dirname_len(arg, strlen(arg));

	base = base ? base + 1 : arg;
	if ((!strcmp(base, "up.sql") || !strcmp(base, "migration.sql")) && n)
		n = dirname_len(arg, n);
	return xstrndup(arg, n);
}

static int find_file(const struct scan *s, const struct stat *st)
{
	int i;

	for (i = 0; i < s->h->nr; i++)
		if (s->found[i].dev == st->st_dev && s->found[i].ino == st->st_ino)
			return i;
	return -1;
}

/* A named file that its directory's layout does not list: lint it alone. */
static void add_lone_file(struct scan *s, const char *arg, const struct stat *st)
{
	const char *base = strrchr(arg, '/');
	enum layout l = s->forced ? s->force : LAYOUT_PLAIN;
	struct candidate c = { arg, arg, NULL, 0, l, default_tx(l), st, -1 };

	base = base ? base + 1 : arg;
	c.stem = base;
	c.stem_len = sql_name_ends(base, ".sql") ? name_stem_len(base) : strlen(base);
	if (l == LAYOUT_FLYWAY && !is_flyway(base))
		c.layout = LAYOUT_PLAIN;
	add_migration(s, &c);
}

/* Item 'i' was named on the command line as 'arg'. */
static void name_item(struct scan *s, int i, const char *arg)
{
	struct migration *m = &s->h->items[i];

	free(m->display);
	free(m->path);
	m->display = xstrdup(arg);
	m->path = xstrdup(arg);
	remember_path(s, arg, i);
	s->found[i].named = true;
	s->any_file_arg = true;
}

static int add_file_arg(struct scan *s, const char *arg, const struct stat *st)
{
	char *dir = history_dir_of(arg);
	int idx, i, ret = -1;

	if (scan_dir(s, *dir ? dir : ".", dir, false, &idx) < 0)
		goto out;
	if ((i = item_at_path(s, arg)) < 0)
		i = find_file(s, st);  /* another spelling of a path */
	if (i < 0) {
		add_lone_file(s, arg, st);
		i = s->h->nr - 1;
	}
	name_item(s, i, arg);
	ret = 0;
out:
	free(dir);
	return ret;
}

static int add_path(struct scan *s, const char *arg)
{
	struct stat st;
	int i = item_at_path(s, arg);

	/* a file of a directory already scanned (a long list of named
	   files): the scan's stat() of the same path stands */
	if (i >= 0) {
		name_item(s, i, arg);
		return 0;
	}
	if (stat(arg, &st) < 0)
		return error("cannot access '%s': %s", arg, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return add_dir_arg(s, arg);
	if (S_ISREG(st.st_mode))
		return add_file_arg(s, arg, &st);
	return error("'%s' is not a file or directory", arg);
}

static void mark_range(struct scan *s, const char *since)
{
	int i;

	for (i = 0; i < s->h->nr; i++) {
		const struct found *f = &s->found[i];
		struct migration *m = &s->h->items[i];

		m->in_range = !s->any_file_arg || f->named ||
			(f->dir >= 0 && s->dirs[f->dir].whole);
		if (since && version_cmp(m->version, since) < 0)
			m->in_range = false;
	}
}

/* By version; a file without one (a lone named file) goes last. */
static int cmp_migration(const void *va, const void *vb)
{
	const struct migration *a = va, *b = vb;
	int c;

	if (!*a->version != !*b->version)
		return *a->version ? -1 : 1;
	c = version_cmp(a->version, b->version);
	if (c)
		return c;
	return strcmp(a->display, b->display);
}

int discover(const char **paths, int nr_paths, const struct discover_opts *opts,
	     struct history *h, bool *explicit_range)
{
	struct scan s;
	int i, ret = -1;

	memset(&s, 0, sizeof(s));
	strpool_init(&s.paths);
	s.h = h;
	*explicit_range = false;
	if (opts && opts->layout) {
		if (layout_by_name(opts->layout, &s.force) < 0)
			goto out;
		s.forced = true;
	}
	for (i = 0; i < nr_paths; i++)
		if (add_path(&s, paths[i]) < 0)
			goto out;
	mark_range(&s, opts ? opts->since : NULL);
	*explicit_range = s.any_file_arg || (opts && opts->since);
	h->nr_dirs = s.nr_dirs;
	qsort(h->items, (size_t)h->nr, sizeof(*h->items), cmp_migration);
	ret = 0;
out:
	if (ret)
		history_release(h);
	free(s.found);
	free(s.dirs);
	free(s.path_item);
	strpool_release(&s.paths);
	return ret;
}

/* ---- directives and masking ---- */

enum mark {
	MARK_NONE,
	MARK_UP,       /* the part that runs starts here */
	MARK_DOWN,     /* the part that does not run starts here */
	MARK_OTHER,    /* a directive of the tool that starts no part */
};

struct line {
	const char *p;
	size_t n;
};

static size_t skip_blanks(const struct line *l, size_t i)
{
	while (i < l->n && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	return i;
}

/* Case-insensitive 'word' at i; returns the index after it, or 0. */
static size_t match_word(const struct line *l, size_t i, const char *word)
{
	size_t n = strlen(word), k;

	if (l->n - i < n)
		return 0;
	for (k = 0; k < n; k++)
		if (tolower((unsigned char)l->p[i + k]) != word[k])
			return 0;
	return i + n;
}

/* The word ends there: end of line or a blank follows. */
static bool word_ends(const struct line *l, size_t i)
{
	return i >= l->n || isspace((unsigned char)l->p[i]);
}

/* "-- <keyword>" tolerant of blanks; index after the keyword, or 0. */
static size_t comment_keyword(const struct line *l, const char *kw)
{
	size_t i = skip_blanks(l, 0);

	if (l->n - i < 2 || l->p[i] != '-' || l->p[i + 1] != '-')
		return 0;
	return match_word(l, skip_blanks(l, i + 2), kw);
}

/* goose: '-- +goose Up', '-- +goose Down', '-- +goose NO TRANSACTION' */
static enum mark goose_mark(const struct line *l, bool *no_tx)
{
	size_t i = comment_keyword(l, "+goose"), j;

	if (!i)
		return MARK_NONE;
	i = skip_blanks(l, i);
	if ((j = match_word(l, i, "up")) && word_ends(l, j))
		return MARK_UP;
	if ((j = match_word(l, i, "down")) && word_ends(l, j))
		return MARK_DOWN;
	if ((j = match_word(l, i, "no")) && word_ends(l, j) &&
	    (j = match_word(l, skip_blanks(l, j), "transaction")) && word_ends(l, j))
		*no_tx = true;
	return MARK_OTHER;
}

static bool has_token(const struct line *l, size_t i, const char *tok);

/* sql-migrate: '-- +migrate Up [notransaction]', '-- +migrate Down' */
static enum mark sql_migrate_mark(const struct line *l, bool *no_tx)
{
	size_t i = comment_keyword(l, "+migrate"), j;

	if (!i || !word_ends(l, i))
		return MARK_NONE;
	i = skip_blanks(l, i);
	if ((j = match_word(l, i, "up")) && word_ends(l, j)) {
		if (has_token(l, j, "notransaction"))
			*no_tx = true;
		return MARK_UP;
	}
	if ((j = match_word(l, i, "down")) && word_ends(l, j))
		return MARK_DOWN;
	return MARK_OTHER;    /* StatementBegin, StatementEnd */
}

static bool has_token(const struct line *l, size_t i, const char *tok)
{
	size_t j;

	while ((i = skip_blanks(l, i)) < l->n) {
		if ((j = match_word(l, i, tok)) && word_ends(l, j))
			return true;
		while (i < l->n && !isspace((unsigned char)l->p[i]))
			i++;
	}
	return false;
}

/* dbmate: '-- migrate:up [transaction:false]', '-- migrate:down' */
static enum mark dbmate_mark(const struct line *l, bool *no_tx)
{
	size_t i = comment_keyword(l, "migrate:"), j;

	if (!i)
		return MARK_NONE;
	if ((j = match_word(l, i, "up")) && word_ends(l, j)) {
		if (has_token(l, j, "transaction:false"))
			*no_tx = true;
		return MARK_UP;
	}
	if ((j = match_word(l, i, "down")) && word_ends(l, j))
		return MARK_DOWN;
	return MARK_NONE;
}

/* atlas: '-- atlas:txmode none' */
static enum mark atlas_mark(const struct line *l, bool *no_tx)
{
	size_t i = comment_keyword(l, "atlas:txmode"), j;

	if (i && (j = match_word(l, skip_blanks(l, i), "none")) && word_ends(l, j))
		*no_tx = true;
	return i ? MARK_OTHER : MARK_NONE;
}

typedef enum mark (*mark_fn)(const struct line *l, bool *no_tx);

static size_t line_at(const char *text, size_t len, size_t pos, struct line *l)
{
	const char *nl = memchr(text + pos, '\n', len - pos);
	size_t end = nl ? (size_t)(nl - text) : len;

	l->p = text + pos;
	l->n = end - pos;
	return nl ? end + 1 : len;
}

struct marks {
	bool any;         /* some directive of the tool */
	bool up;          /* an up mark */
	bool parts;       /* an up or down mark: only the up parts run */
	bool no_tx;
};

static void find_marks(const char *text, size_t len, mark_fn fn, struct marks *mk)
{
	struct line l;
	size_t pos = 0;

	memset(mk, 0, sizeof(*mk));
	while (pos < len) {
		enum mark m;

		pos = line_at(text, len, pos, &l);
		m = fn(&l, &mk->no_tx);
		mk->any |= m != MARK_NONE;
		mk->up |= m == MARK_UP;
		mk->parts |= m == MARK_UP || m == MARK_DOWN;
	}
}

/* Line ends stay so that line numbers do not move. */
static void blank(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != '\r')
			p[i] = ' ';
}

/* Blank all but the up parts; text before the first mark is not run. */
static void blank_down_parts(char *text, size_t len, mark_fn fn)
{
	bool keep = false, ignored;
	struct line l;
	size_t pos = 0;

	while (pos < len) {
		size_t start = pos;
		enum mark m;

		pos = line_at(text, len, pos, &l);
		m = fn(&l, &ignored);
		if (m == MARK_UP)
			keep = true;
		else if (m == MARK_DOWN)
			keep = false;
		if (!keep)
			blank(text + start, l.n);
	}
}

static mark_fn mark_fn_of(enum layout l)
{
	switch (l) {
	case LAYOUT_GOOSE:
		return goose_mark;
	case LAYOUT_DBMATE:
		return dbmate_mark;
	case LAYOUT_SQL_MIGRATE:
		return sql_migrate_mark;
	case LAYOUT_ATLAS:
		return atlas_mark;
	default:
		return NULL;
	}
}

/* goose and dbmate files are named like plain ones: tell by content. */
static enum layout refine_plain(const char *text, size_t len)
{
	struct marks mk;

	find_marks(text, len, goose_mark, &mk);
	if (mk.any)
		return LAYOUT_GOOSE;
	find_marks(text, len, sql_migrate_mark, &mk);
	if (mk.up)
		return LAYOUT_SQL_MIGRATE;
	find_marks(text, len, dbmate_mark, &mk);
	if (mk.up)
		return LAYOUT_DBMATE;
	return LAYOUT_PLAIN;
}

void migration_mask(struct migration *m, char *text, size_t len)
{
	struct marks mk;
	mark_fn fn;

	if (m->layout == LAYOUT_PLAIN)
		m->layout = refine_plain(text, len);
	fn = mark_fn_of(m->layout);
	if (!fn)
		return;
	find_marks(text, len, fn, &mk);
	if (mk.no_tx)
		m->tx = TX_NONE;
	if (mk.parts)
		blank_down_parts(text, len, fn);
}
