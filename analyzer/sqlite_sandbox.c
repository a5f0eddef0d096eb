/*
 * sqlite_sandbox.c - the locked-down target database (see
 * sqlite_sandbox.h for what is denied and why).
 */
#include "sqlite_sandbox.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"
#include "banned.h"

#define NOFILE_VFS "migsafe-nofile"

/* ---- a VFS without files ---- */

/*
 * The main database is ":memory:" and temp_store is MEMORY, so SQLite
 * never needs a file; should anything still ask for one (an ATTACH, a
 * VACUUM INTO, a temporary file), the request fails here.
 */
static int nofile_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
		       int *out_flags)
{
	f->pMethods = NULL;
	return SQLITE_CANTOPEN;
}

static int nofile_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	return SQLITE_IOERR_DELETE;
}

static int nofile_access(sqlite3_vfs *vfs, const char *name, int flags, int *res)
{
	*res = 0;
	return SQLITE_OK;
}

static int nofile_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	sqlite3_snprintf(n, out, "%s", name);
	return SQLITE_OK;
}

static void *nofile_dlopen(sqlite3_vfs *vfs, const char *name)
{
	return NULL;
}

static void nofile_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	sqlite3_snprintf(n, msg, "extension loading is disabled");
}

static void (*nofile_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	return NULL;
}

static void nofile_dlclose(sqlite3_vfs *vfs, void *h)
{
}

/* Time and randomness come from the default VFS. */
static sqlite3_vfs *real_vfs(sqlite3_vfs *vfs)
{
	return vfs->pAppData;
}

static int nofile_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	return real_vfs(vfs)->xRandomness(real_vfs(vfs), n, out);
}

static int nofile_sleep(sqlite3_vfs *vfs, int us)
{
	return 0;   /* nothing to wait for: no locks, no files */
}

static int nofile_current_time(sqlite3_vfs *vfs, double *out)
{
	return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}

static int nofile_last_error(sqlite3_vfs *vfs, int n, char *msg)
{
	return 0;
}

static int nofile_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	sqlite3_vfs *r = real_vfs(vfs);
	double d;
	int rc;

	if (r->iVersion >= 2 && r->xCurrentTimeInt64)
		return r->xCurrentTimeInt64(r, out);
	rc = r->xCurrentTime(r, &d);
	*out = (sqlite3_int64)(d * 86400000.0);
	return rc;
}

static sqlite3_vfs nofile_vfs = {
	.iVersion = 2,
	.szOsFile = sizeof(sqlite3_file),
	.mxPathname = 512,
	.zName = NOFILE_VFS,
	.xOpen = nofile_open,
	.xDelete = nofile_delete,
	.xAccess = nofile_access,
	.xFullPathname = nofile_full_pathname,
	.xDlOpen = nofile_dlopen,
	.xDlError = nofile_dlerror,
	.xDlSym = nofile_dlsym,
	.xDlClose = nofile_dlclose,
	.xRandomness = nofile_randomness,
	.xSleep = nofile_sleep,
	.xCurrentTime = nofile_current_time,
	.xGetLastError = nofile_last_error,
	.xCurrentTimeInt64 = nofile_current_time64,
};

static int register_vfs(void)
{
	if (sqlite3_vfs_find(NOFILE_VFS))
		return 0;
	nofile_vfs.pAppData = sqlite3_vfs_find(NULL);
	if (!nofile_vfs.pAppData)
		return -1;
	return sqlite3_vfs_register(&nofile_vfs, 0) == SQLITE_OK ? 0 : -1;
}

/* ---- the authorizer ---- */

/* Functions that read or write files, load code, or hand out pointers. */
static const char *const denied_functions[] = {
	"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit", "fsdir",
	"lsmode", "zipfile", "sqlar_compress", "sqlar_uncompress", "sqlite_dbpage",
};

/* Virtual table modules SQLite itself provides (none touches a file). */
static const char *const allowed_modules[] = {
	"fts3", "fts4", "fts5", "fts3tokenize", "fts5vocab", "rtree", "rtree_i32", "geopoly",
};

/*
 * PRAGMAs that change what SQL means or what the schema is (or only
 * read): they run. Every other PRAGMA tunes storage, memory or locking
 * (or would lift migsafe's limits: max_page_count, hard_heap_limit,
 * temp_store...), none of which changes the schema, so it is made a
 * no-op, as SQLite does with a PRAGMA it does not know.
 */
static const char *const run_pragmas[] = {
	"application_id", "case_sensitive_like", "collation_list", "compile_options",
	"data_version", "database_list", "defer_foreign_keys", "encoding", "foreign_key_check",
	"foreign_key_list", "foreign_keys", "freelist_count", "function_list",
	"ignore_check_constraints", "index_info", "index_list", "index_xinfo",
	"integrity_check", "legacy_alter_table", "module_list", "page_count", "pragma_list",
	"query_only", "quick_check", "recursive_triggers", "reverse_unordered_selects",
	"schema_version", "table_info", "table_list", "table_xinfo", "user_version",
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcasecmp(list[i], s))
			return true;
	return false;
}

static bool sqlite_internal_table(const char *t)
{
	return t && (!strcasecmp(t, "sqlite_master") || !strcasecmp(t, "sqlite_temp_master") ||
		     !strcasecmp(t, "sqlite_schema") || !strcasecmp(t, "sqlite_temp_schema") ||
		     !strcasecmp(t, "sqlite_sequence") || !strncasecmp(t, "sqlite_stat", 11));
}

static int deny(struct sandbox *s, const char *what)
{
	free(s->denied);
	s->denied = xstrdup(what);
	return SQLITE_DENY;
}

static void record(struct sandbox *s, int code, const char *a, const char *b, const char *db)
{
	struct sandbox_event *e;

	ALLOC_GROW(s->events, (size_t)s->nr_events + 1, s->alloc_events);
	e = &s->events[s->nr_events++];
	e->code = code;
	e->a = a ? xstrdup(a) : NULL;
	e->b = b ? xstrdup(b) : NULL;
	e->db = db ? xstrdup(db) : NULL;
}

/* The table an action code names (for the bookkeeping filter). */
static const char *table_of(int code, const char *a, const char *b)
{
	switch (code) {
	case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TEMP_INDEX:
	case SQLITE_DROP_INDEX: case SQLITE_DROP_TEMP_INDEX:
	case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_TEMP_TRIGGER:
	case SQLITE_DROP_TRIGGER: case SQLITE_DROP_TEMP_TRIGGER:
	case SQLITE_ALTER_TABLE:
		return b;
	case SQLITE_FUNCTION: case SQLITE_PRAGMA: case SQLITE_TRANSACTION:
	case SQLITE_SAVEPOINT: case SQLITE_SELECT: case SQLITE_RECURSIVE:
		return NULL;
	default:
		return a;
	}
}

static int authorize(void *data, int code, const char *a, const char *b, const char *db,
		     const char *trigger)
{
	struct sandbox *s = data;

	if (s->internal)
		return SQLITE_OK;
	switch (code) {
	case SQLITE_ATTACH:
		return deny(s, "ATTACH");
	case SQLITE_DETACH:
		return deny(s, "DETACH");
	case SQLITE_FUNCTION:
		if (in_list(denied_functions, ARRAY_SIZE(denied_functions), b))
			return deny(s, b);
		return SQLITE_OK;
	case SQLITE_CREATE_VTABLE:
		if (!in_list(allowed_modules, ARRAY_SIZE(allowed_modules), b))
			return deny(s, "a virtual table of a module that is not SQLite's own");
		break;
	case SQLITE_PRAGMA:
		if (!in_list(run_pragmas, ARRAY_SIZE(run_pragmas), a))
			return SQLITE_IGNORE;
		if (!strcasecmp(a, "schema_version") && b)
			return SQLITE_IGNORE;   /* writing it corrupts the schema */
		break;
	default:
		break;
	}
	if (trigger || sqlite_internal_table(table_of(code, a, b)))
		return SQLITE_OK;
	if ((code == SQLITE_READ && !s->record_reads) || code == SQLITE_SELECT ||
	    code == SQLITE_FUNCTION || code == SQLITE_RECURSIVE)
		return SQLITE_OK;
	record(s, code, a, b, db);
	return SQLITE_OK;
}

/* ---- limits ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Called every 1000 virtual machine instructions. */
static int progress(void *data)
{
	struct sandbox *s = data;

	if (s->internal)
		return 0;   /* migsafe reading the schema back: bounded by it */
	if (++s->ticks > s->lim.instructions || now() > s->deadline) {
		s->interrupted = true;
		return 1;
	}
	return 0;
}

void sandbox_default_limits(struct sandbox_limits *lim)
{
	lim->seconds = 10.0;
	lim->instructions = 2000000;      /* two billion instructions */
	lim->max_pages = 65536;           /* 256 MiB */
	lim->heap = (int64_t)1 << 30;     /* 1 GiB */
}

static void set_limits(struct sandbox *s)
{
	static const struct { int id, value; } limits[] = {
		{ SQLITE_LIMIT_LENGTH, 64 << 20 },
		{ SQLITE_LIMIT_SQL_LENGTH, 64 << 20 },
		{ SQLITE_LIMIT_COLUMN, 2000 },
		{ SQLITE_LIMIT_EXPR_DEPTH, 1000 },
		{ SQLITE_LIMIT_COMPOUND_SELECT, 500 },
		{ SQLITE_LIMIT_FUNCTION_ARG, 127 },
		{ SQLITE_LIMIT_ATTACHED, 0 },
		{ SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50000 },
		{ SQLITE_LIMIT_VARIABLE_NUMBER, 32766 },
		{ SQLITE_LIMIT_TRIGGER_DEPTH, 100 },
		{ SQLITE_LIMIT_WORKER_THREADS, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(limits); i++)
		sqlite3_limit(s->db, limits[i].id, limits[i].value);
	if (s->lim.heap > 0 && sqlite3_hard_heap_limit64(-1) == 0)
		sqlite3_hard_heap_limit64(s->lim.heap);
	sqlite3_progress_handler(s->db, 1000, progress, s);
}

static int configure(struct sandbox *s)
{
	char *sql;
	int ret;

	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL) ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, NULL) ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL))
		return -1;
	set_limits(s);
	sql = xstrfmt("PRAGMA temp_store = MEMORY; PRAGMA max_page_count = %d;"
		      " PRAGMA temp.max_page_count = %d;", s->lim.max_pages, s->lim.max_pages);
	ret = sandbox_exec_internal(s, sql);
	free(sql);
	if (ret)
		return -1;
	return sqlite3_set_authorizer(s->db, authorize, s) == SQLITE_OK ? 0 : -1;
}

int sandbox_open(struct sandbox **out, const struct sandbox_limits *lim)
{
	struct sandbox *s = xcalloc(1, sizeof(*s));

	if (lim)
		s->lim = *lim;
	else
		sandbox_default_limits(&s->lim);
	if (register_vfs() ||
	    sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NOFILE_VFS) != SQLITE_OK || configure(s)) {
		error("cannot create the SQLite database migrations run in: %s",
		      s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sandbox_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

static void forget_events(struct sandbox *s)
{
	for (int i = 0; i < s->nr_events; i++) {
		free(s->events[i].a);
		free(s->events[i].b);
		free(s->events[i].db);
	}
	s->nr_events = 0;
	free(s->denied);
	s->denied = NULL;
}

void sandbox_free(struct sandbox *s)
{
	if (!s)
		return;
	forget_events(s);
	free(s->events);
	sqlite3_close(s->db);
	free(s);
}

int sandbox_prepare(struct sandbox *s, const char *sql, int n, sqlite3_stmt **st,
		    const char **tail)
{
	forget_events(s);
	s->interrupted = false;
	s->ticks = 0;
	s->deadline = now() + s->lim.seconds;   /* preparing can be slow too */
	return sqlite3_prepare_v2(s->db, sql, n, st, tail);
}

int sandbox_run(struct sandbox *s, sqlite3_stmt *st)
{
	int rc;

	s->interrupted = false;
	s->ticks = 0;
	s->deadline = now() + s->lim.seconds;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	return rc;
}

int sandbox_exec_internal(struct sandbox *s, const char *sql)
{
	int rc;

	s->internal = true;
	s->ticks = 0;
	s->deadline = now() + s->lim.seconds;
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	s->internal = false;
	return rc == SQLITE_OK ? 0 : -1;
}

static int64_t one_int(struct sandbox *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	s->internal = true;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	s->internal = false;
	return v;
}

int64_t sandbox_schema_cookie(struct sandbox *s)
{
	return one_int(s, "PRAGMA main.schema_version") * 4294967296LL +
	       one_int(s, "PRAGMA temp.schema_version");
}
