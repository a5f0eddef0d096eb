/*
 * sqlite_dialect.c - run SQLite migrations in the target database, one
 * statement at a time, and turn each into a 'struct stmt' (see
 * sqlite_dialect.h). Rebuilds are recognised in sqlite_rebuild.c, the
 * catalog is written in sqlite_sync.c.
 */
#include "sqlite_dialect.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "locks.h"
#include "sqlite_lex.h"
#include "sqlite_replay_int.h"
#include "banned.h"

/* ---- the dialect's name ---- */

int dialect_parse(const char *name, enum dialect *out)
{
	if (!strcmp(name, "postgresql") || !strcmp(name, "postgres")) {
		*out = DIALECT_POSTGRESQL;
		return 0;
	}
	if (!strcmp(name, "sqlite") || !strcmp(name, "sqlite3")) {
		*out = DIALECT_SQLITE;
		return 0;
	}
	return -1;
}

const char *dialect_name(enum dialect d)
{
	return d == DIALECT_SQLITE ? "sqlite" : "postgresql";
}

bool dialect_sqlite_name(const char *path)
{
	size_t n = strlen(path);

	return (n > 11 && !strcasecmp(path + n - 11, ".sql.sqlite")) ||
	       (n > 11 && !strcasecmp(path + n - 11, ".sqlite.sql"));
}

enum dialect dialect_resolve(enum dialect d, const struct history *h)
{
	if (d != DIALECT_AUTO)
		return d;
	if (!h->nr)
		return DIALECT_POSTGRESQL;
	for (int i = 0; i < h->nr; i++)
		if (!dialect_sqlite_name(h->items[i].path))
			return DIALECT_POSTGRESQL;
	return DIALECT_SQLITE;
}

/* ---- what holds for SQLite ---- */

bool sqlite_rule_applies(enum rule_id rule)
{
	switch (rule) {
	case RULE_DROP_TABLE:
	case RULE_DROP_COLUMN:
	case RULE_DELETE_ALL_ROWS:
	case RULE_TABLE_REBUILD_LOSES_DATA:
	case RULE_NARROWING_TYPE_CHANGE:
	case RULE_ADD_REQUIRED_COLUMN:
	case RULE_SET_NOT_NULL:
	case RULE_UNIQUE_ON_EXISTING_DATA:
	case RULE_RENAME_TABLE:
	case RULE_RENAME_COLUMN:
	case RULE_MISSING_FK_INDEX:
	case RULE_REDUNDANT_INDEX:
	case RULE_NAMING_CONVENTION:
	case RULE_FOREIGN_KEYS_LEFT_OFF:
		return true;
	default:
		/* locking, rewrites and PostgreSQL's types: SQLite locks the
		   whole database, rebuilds rather than rewrites, and has type
		   affinities, not types */
		return false;
	}
}

static const char text_to_number[] =
	"text that looks like a number is stored as a number ('007' becomes 7,"
	" '1.50' becomes 1.5), so the text as written is lost";

bool sqlite_type_change_narrows(const char *from, const char *to, bool strict,
				const char **why)
{
	char a = sq_affinity(from), b = sq_affinity(to);

	if (strict && !strcasecmp(to, "ANY"))
		return false;   /* stores every value as it is */
	if (strict && a != b && b != 'b') {
		*why = "a STRICT column refuses values of another type: the copy fails on the"
		       " first one";
		return true;
	}
	if (a == b)
		return false;
	if ((b == 'i' || b == 'n' || b == 'r') && (a == 't' || a == 'b')) {
		*why = text_to_number;
		return true;
	}
	if (b == 'r' && (a == 'i' || a == 'n')) {
		*why = "integers beyond 2^53 lose precision when stored as REAL";
		return true;
	}
	return false;
}

/* ---- the replay object ---- */

int sqlite_replay_new(struct sqlite_replay **out, struct catalog *cat,
		      const struct sandbox_limits *lim)
{
	struct sqlite_replay *r = xcalloc(1, sizeof(*r));

	if (sandbox_open(&r->sb, lim)) {
		free(r);
		return -1;
	}
	r->cat = cat;
	r->public_id = cat_schema_find(cat, "public");
	arena_init(&r->arena);
	arena_init(&r->file_arena);
	r->reader.sb = r->sb;
	r->reader.arena = &r->arena;
	r->cur = arena_alloc(&r->arena, sizeof(*r->cur));
	r->synced = r->cur;
	r->cookie = sandbox_schema_cookie(r->sb);
	*out = r;
	return 0;
}

static void file_reset(struct sqlite_replay *r)
{
	arena_release(&r->file_arena);
	arena_init(&r->file_arena);
	for (int i = 0; i < r->nr_recs; i++) {
		free(r->recs[i].no_drop);
		free(r->recs[i].no_rename);
	}
	r->nr_recs = 0;
}

void sqlite_replay_free(struct sqlite_replay *r)
{
	if (!r)
		return;
	file_reset(r);
	free(r->recs);
	arena_release(&r->file_arena);
	arena_release(&r->arena);
	sandbox_free(r->sb);
	free(r);
}

/* The schema may have changed: read it back when it did. */
static void reread(struct sqlite_replay *r, struct sq_origin *origin)
{
	int64_t cookie = sandbox_schema_cookie(r->sb);

	if (cookie == r->cookie)
		return;
	r->cookie = cookie;
	r->cur = sq_read(&r->reader, r->cur, origin);
}

/* ---- what a statement is ---- */

static const char *adup(struct arena *a, char *s)
{
	const char *ret = arena_strdup(a, s);

	free(s);
	return ret;
}

static const char *name_at(struct arena *a, const struct sqlx_tokens *k, int i)
{
	return sqlx_is_name(k, i) ? adup(a, sqlx_name_dup(k, i)) : NULL;
}

/* A qualified name at i into rec->db / *name; the index after it. */
static int qname_at(struct arena *a, const struct sqlx_tokens *k, int i, struct sq_rec *rec,
		    const char **name)
{
	char *schema, *n;
	int next = sqlx_qname(k, i, &schema, &n);

	if (next < 0)
		return i;
	rec->db = schema ? adup(a, schema) : NULL;
	*name = adup(a, n);
	return next;
}

static int skip_if(const struct sqlx_tokens *k, int i, bool not, bool *flag)
{
	if (sqlx_is(k, i, "IF") && (!not || sqlx_is(k, i + 1, "NOT")) &&
	    sqlx_is(k, i + (not ? 2 : 1), "EXISTS")) {
		*flag = true;
		return i + (not ? 3 : 2);
	}
	return i;
}

/* Is there a WHERE at the statement's own level after token i? */
static bool top_where(const struct sqlx_tokens *k, int i)
{
	for (; i < k->nr; i++)
		if (k->tok[i].depth == 0 && sqlx_is(k, i, "WHERE"))
			return true;
	return false;
}

static void classify_create(struct arena *a, const struct sqlx_tokens *k, int i,
			    struct sq_rec *rec)
{
	bool dummy = false;

	if (sqlx_is(k, i, "TEMP") || sqlx_is(k, i, "TEMPORARY")) {
		rec->temp = true;
		i++;
	}
	if (sqlx_is(k, i, "UNIQUE") || sqlx_is(k, i, "VIRTUAL"))
		i++;
	if (sqlx_is(k, i, "TABLE")) {
		i = qname_at(a, k, skip_if(k, i + 1, true, &dummy), rec, &rec->object);
		rec->verb = sqlx_is(k, i, "AS") ? V_CREATE_TABLE_AS : V_CREATE_TABLE;
	} else if (sqlx_is(k, i, "INDEX")) {
		i = qname_at(a, k, skip_if(k, i + 1, true, &dummy), rec, &rec->object);
		rec->verb = V_CREATE_INDEX;
		if (sqlx_is(k, i, "ON"))
			rec->table = name_at(a, k, i + 1);
	} else if (sqlx_is(k, i, "VIEW")) {
		qname_at(a, k, skip_if(k, i + 1, true, &dummy), rec, &rec->object);
		rec->verb = V_CREATE_VIEW;
	} else if (sqlx_is(k, i, "TRIGGER")) {
		i = qname_at(a, k, skip_if(k, i + 1, true, &dummy), rec, &rec->object);
		rec->verb = V_CREATE_TRIGGER;
		for (; i < k->nr; i++)
			if (k->tok[i].depth == 0 && sqlx_is(k, i, "ON")) {
				rec->table = name_at(a, k, i + 1);
				break;
			}
	}
}

static void classify_drop(struct arena *a, const struct sqlx_tokens *k, int i,
			  struct sq_rec *rec)
{
	static const struct { const char *kw; enum sq_verb v; } kinds[] = {
		{ "TABLE", V_DROP_TABLE }, { "INDEX", V_DROP_INDEX },
		{ "VIEW", V_DROP_VIEW }, { "TRIGGER", V_DROP_TRIGGER },
	};

	for (size_t j = 0; j < ARRAY_SIZE(kinds); j++)
		if (sqlx_is(k, i, kinds[j].kw)) {
			rec->verb = kinds[j].v;
			qname_at(a, k, skip_if(k, i + 1, false, &rec->if_exists), rec, &rec->object);
		}
}

static void classify_alter(struct arena *a, const struct sqlx_tokens *k, int i,
			   struct sq_rec *rec)
{
	if (!sqlx_is(k, i, "TABLE"))
		return;
	i = qname_at(a, k, i + 1, rec, &rec->object);
	if (sqlx_is(k, i, "RENAME") && sqlx_is(k, i + 1, "TO")) {
		rec->verb = V_RENAME_TABLE;
		rec->new_name = name_at(a, k, i + 2);
	} else if (sqlx_is(k, i, "RENAME")) {
		i += sqlx_is(k, i + 1, "COLUMN") ? 2 : 1;
		rec->verb = V_RENAME_COLUMN;
		rec->column = name_at(a, k, i);
		if (sqlx_is(k, i + 1, "TO"))
			rec->new_name = name_at(a, k, i + 2);
	} else if (sqlx_is(k, i, "ADD")) {
		rec->verb = V_ADD_COLUMN;
		i += sqlx_is(k, i + 1, "COLUMN") ? 2 : 1;
		rec->column = name_at(a, k, i);
	} else if (sqlx_is(k, i, "DROP")) {
		rec->verb = V_DROP_COLUMN;
		i += sqlx_is(k, i + 1, "COLUMN") ? 2 : 1;
		rec->column = name_at(a, k, i);
	}
}

static void classify_pragma(struct arena *a, const struct sqlx_tokens *k, int i,
			    struct sq_rec *rec)
{
	char *schema, *name;
	int next = sqlx_qname(k, i, &schema, &name);

	rec->verb = V_PRAGMA;
	if (next < 0)
		return;
	free(schema);
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	rec->pragma = adup(a, name);
	if (next < k->nr && (k->tok[next].kind == SQLX_LP ||
			     (k->tok[next].kind == SQLX_OP && k->text[k->tok[next].start] == '=')))
		next++;
	if (next < k->nr) {
		char *v = k->tok[next].kind == SQLX_NUMBER || k->tok[next].kind == SQLX_OP
			  ? sqlx_text_dup(k, next, next) : sqlx_name_dup(k, next);

		for (char *p = v; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		rec->pragma_value = adup(a, v);
	}
}

/* WITH ... <verb>: the verb's token. */
static int after_with(const struct sqlx_tokens *k)
{
	static const char *const verbs[] = { "INSERT", "REPLACE", "UPDATE", "DELETE", "SELECT",
					     "VALUES" };

	for (int i = 1; i < k->nr; i++)
		for (size_t j = 0; k->tok[i].depth == 0 && j < ARRAY_SIZE(verbs); j++)
			if (sqlx_is(k, i, verbs[j]))
				return i;
	return k->nr;
}

static void classify_dml(struct arena *a, const struct sqlx_tokens *k, int i,
			 struct sq_rec *rec)
{
	if (sqlx_is(k, i, "INSERT") || sqlx_is(k, i, "REPLACE")) {
		rec->verb = V_INSERT;
		i++;
		if (sqlx_is(k, i, "OR"))
			i += 2;
		if (sqlx_is(k, i, "INTO"))
			qname_at(a, k, i + 1, rec, &rec->object);
	} else if (sqlx_is(k, i, "UPDATE")) {
		rec->verb = V_UPDATE;
		i++;
		if (sqlx_is(k, i, "OR"))
			i += 2;
		i = qname_at(a, k, i, rec, &rec->object);
		rec->has_where = top_where(k, i);
	} else if (sqlx_is(k, i, "DELETE")) {
		rec->verb = V_DELETE;
		i = qname_at(a, k, i + (sqlx_is(k, i + 1, "FROM") ? 2 : 1), rec, &rec->object);
		rec->has_where = top_where(k, i);
	} else if (sqlx_is(k, i, "SELECT") || sqlx_is(k, i, "VALUES")) {
		rec->verb = V_SELECT;
	}
}

static void classify(struct arena *a, const struct sqlx_tokens *k, struct sq_rec *rec)
{
	static const struct { const char *kw; enum sq_verb v; } simple[] = {
		{ "BEGIN", V_BEGIN }, { "COMMIT", V_COMMIT }, { "END", V_COMMIT },
		{ "ROLLBACK", V_ROLLBACK }, { "SAVEPOINT", V_SAVEPOINT },
		{ "RELEASE", V_RELEASE }, { "VACUUM", V_VACUUM }, { "ATTACH", V_ATTACH },
		{ "DETACH", V_DETACH },
	};
	int i = 0;

	rec->verb = V_OTHER;
	if (sqlx_is(k, 0, "WITH"))
		i = after_with(k);
	if (sqlx_is(k, i, "CREATE"))
		classify_create(a, k, i + 1, rec);
	else if (sqlx_is(k, i, "DROP"))
		classify_drop(a, k, i + 1, rec);
	else if (sqlx_is(k, i, "ALTER"))
		classify_alter(a, k, i + 1, rec);
	else if (sqlx_is(k, i, "PRAGMA"))
		classify_pragma(a, k, i + 1, rec);
	else
		classify_dml(a, k, i, rec);
	for (size_t j = 0; rec->verb == V_OTHER && j < ARRAY_SIZE(simple); j++)
		if (sqlx_is(k, 0, simple[j].kw))
			rec->verb = simple[j].v;
	if (rec->verb == V_ROLLBACK && (sqlx_is(k, 1, "TO") || sqlx_is(k, 2, "TO")))
		rec->verb = V_SAVEPOINT;
}

/* ---- copies: INSERT ... SELECT, CREATE TABLE ... AS SELECT ---- */

static void add_filter(struct sq_copy *c, const char *what)
{
	for (int i = 0; i < c->nr_filters; i++)
		if (!strcmp(c->filters[i], what))
			return;
	if (c->nr_filters < SQ_MAX_FILTERS)
		c->filters[c->nr_filters++] = what;
}

static bool ends_where(const struct sqlx_tokens *k, int i)
{
	return sqlx_is(k, i, "GROUP") || sqlx_is(k, i, "ORDER") || sqlx_is(k, i, "LIMIT") ||
	       sqlx_is(k, i, "WINDOW") || sqlx_is(k, i, "UNION") || sqlx_is(k, i, "EXCEPT") ||
	       sqlx_is(k, i, "INTERSECT");
}

/* The columns a WHERE starting at token w keeps NOT NULL: "col IS NOT
   NULL" (or NOTNULL) ANDed at its own level; none when it has an OR. */
static void where_not_null(struct arena *a, const struct sqlx_tokens *k, int w, int e,
			   struct sq_copy *c)
{
	int depth = k->tok[w].depth, end = w + 1;

	while (end < e && !(k->tok[end].depth == depth && ends_where(k, end)))
		end++;
	for (int i = w + 1; i < end; i++)
		if (k->tok[i].depth == depth && sqlx_is(k, i, "OR"))
			return;
	c->not_null = arena_alloc(a, (size_t)(end - w) * sizeof(*c->not_null));
	for (int i = w + 1; i < end; i++) {
		bool is_not_null = (sqlx_is(k, i + 1, "IS") && sqlx_is(k, i + 2, "NOT") &&
				    sqlx_is(k, i + 3, "NULL")) || sqlx_is(k, i + 1, "NOTNULL") ||
				   (sqlx_is(k, i + 1, "NOT") && sqlx_is(k, i + 2, "NULL"));

		if (k->tok[i].depth == depth && sqlx_is_name(k, i) && is_not_null)
			c->not_null[c->nr_not_null++] = adup(a, sqlx_name_dup(k, i));
	}
}

/* Clauses of the SELECT in tokens [s, e) that keep some rows out. */
static void copy_filters(struct arena *a, const struct sqlx_tokens *k, int s, int e,
			 struct sq_copy *c)
{
	int depth = k->tok[s].depth;
	bool in_from = false;

	for (int i = s; i < e; i++) {
		if (k->tok[i].depth != depth)
			continue;
		if (sqlx_is(k, i, "FROM"))
			in_from = true;
		else if (sqlx_is(k, i, "WHERE") || sqlx_is(k, i, "GROUP") || sqlx_is(k, i, "ORDER") ||
			 sqlx_is(k, i, "LIMIT") || sqlx_is(k, i, "WINDOW") || sqlx_is(k, i, "UNION") ||
			 sqlx_is(k, i, "EXCEPT") || sqlx_is(k, i, "INTERSECT"))
			in_from = false;
		if (sqlx_is(k, i, "WHERE")) {
			add_filter(c, "WHERE");
			where_not_null(a, k, i, e, c);
		}
		else if (sqlx_is(k, i, "GROUP"))
			add_filter(c, "GROUP BY");
		else if (sqlx_is(k, i, "LIMIT"))
			add_filter(c, "LIMIT");
		else if (sqlx_is(k, i, "DISTINCT") && sqlx_is(k, i - 1, "SELECT"))
			add_filter(c, "DISTINCT");
		else if (sqlx_is(k, i, "EXCEPT") || sqlx_is(k, i, "INTERSECT"))
			add_filter(c, sqlx_is(k, i, "EXCEPT") ? "EXCEPT" : "INTERSECT");
		else if (sqlx_is(k, i, "UNION") && !sqlx_is(k, i + 1, "ALL"))
			add_filter(c, "UNION");
		else if (sqlx_is(k, i, "JOIN") && !sqlx_is(k, i - 1, "LEFT") &&
			 !(sqlx_is(k, i - 1, "OUTER") && sqlx_is(k, i - 2, "LEFT")))
			add_filter(c, "JOIN");
		else if (in_from && k->tok[i].kind == SQLX_COMMA)
			add_filter(c, "JOIN");
	}
}

static const char *col_text(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

/* Prepare the SELECT alone: where each result column comes from, and
   every column it reads. */
static int describe_select(struct sqlite_replay *r, const char *sql, size_t n, struct sq_copy *c)
{
	struct arena *a = &r->file_arena;
	sqlite3_stmt *st = NULL;
	int rc;

	r->sb->record_reads = true;
	rc = sandbox_prepare(r->sb, sql, (int)n, &st, NULL);
	r->sb->record_reads = false;
	if (rc != SQLITE_OK || !st) {
		sqlite3_finalize(st);
		return -1;
	}
	c->nr_results = sqlite3_column_count(st);
	c->results = arena_alloc(a, (size_t)c->nr_results * sizeof(*c->results) + 1);
	for (int i = 0; i < c->nr_results; i++) {
		c->results[i].db = col_text(a, sqlite3_column_database_name(st, i));
		c->results[i].table = col_text(a, sqlite3_column_table_name(st, i));
		c->results[i].column = col_text(a, sqlite3_column_origin_name(st, i));
	}
	sqlite3_finalize(st);
	c->reads = arena_alloc(a, (size_t)r->sb->nr_events * sizeof(*c->reads) + 1);
	for (int i = 0; i < r->sb->nr_events; i++) {
		const struct sandbox_event *e = &r->sb->events[i];

		if (e->code != SQLITE_READ || !e->a)
			continue;
		c->reads[c->nr_reads].db = col_text(a, e->db);
		c->reads[c->nr_reads].table = col_text(a, e->a);
		c->reads[c->nr_reads++].column = col_text(a, e->b);
	}
	return 0;
}

/* The INSERT's target, column list and the token its rows start at. */
static int insert_header(struct arena *a, const struct sqlx_tokens *k, struct sq_copy *c)
{
	int i = sqlx_is(k, 0, "WITH") ? after_with(k) : 0;
	char *schema, *name;

	if (sqlx_is(k, i, "REPLACE"))
		add_filter(c, "OR REPLACE");
	i++;
	if (sqlx_is(k, i, "OR")) {
		if (sqlx_is(k, i + 1, "IGNORE"))
			add_filter(c, "OR IGNORE");
		else if (sqlx_is(k, i + 1, "REPLACE"))
			add_filter(c, "OR REPLACE");
		i += 2;
	}
	if (!sqlx_is(k, i, "INTO") || (i = sqlx_qname(k, i + 1, &schema, &name)) < 0)
		return -1;
	c->target_db = schema ? adup(a, schema) : NULL;
	c->target = adup(a, name);
	if (sqlx_is(k, i, "AS"))
		i += 2;
	if (i < k->nr && k->tok[i].kind == SQLX_LP) {
		int close = sqlx_close_paren(k, i);

		if (close < 0)
			return -1;
		c->columns = arena_alloc(a, (size_t)(close - i) * sizeof(*c->columns));
		for (int j = i + 1; j < close; j++)
			if (sqlx_is_name(k, j))
				c->columns[c->nr_columns++] = name_at(a, k, j);
		i = close + 1;
	}
	return sqlx_is(k, i, "SELECT") || sqlx_is(k, i, "WITH") ? i : -1;
}

static struct sq_copy *analyze_copy(struct sqlite_replay *r, const struct sqlx_tokens *k,
				    struct sq_rec *rec)
{
	struct sq_copy *c = arena_alloc(&r->file_arena, sizeof(*c));
	int s = -1, e;

	if (rec->verb == V_INSERT) {
		s = insert_header(&r->file_arena, k, c);
	} else {
		for (int i = 0; i < k->nr && s < 0; i++)
			if (k->tok[i].depth == 0 && sqlx_is(k, i, "AS"))
				s = i + 1;
		c->target_db = rec->temp ? "temp" : rec->db;
		c->target = rec->object;
	}
	if (s < 0 || s >= k->nr || !(sqlx_is(k, s, "SELECT") || sqlx_is(k, s, "WITH")))
		return NULL;
	for (e = s; e < k->nr; e++)
		if (k->tok[e].depth == k->tok[s].depth &&
		    (sqlx_is(k, e, "RETURNING") ||
		     (sqlx_is(k, e, "ON") && sqlx_is(k, e + 1, "CONFLICT"))))
			break;
	copy_filters(&r->file_arena, k, s, e, c);
	if (describe_select(r, k->text + k->tok[s].start, k->tok[e - 1].end - k->tok[s].start, c))
		return NULL;
	return c;
}

/* ---- running a statement ---- */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Why a statement failed, as a finding's rule (or rec->syntax). */
static void failed(struct sqlite_replay *r, struct sq_rec *rec, int rc, bool parsing,
		   size_t pos)
{
	struct arena *a = &r->file_arena;
	const char *msg = sqlite3_errmsg(r->sb->db);
	int off = sqlite3_error_offset(r->sb->db);

	rec->ok = false;
	rec->err_offset = off >= 0 ? pos + (size_t)off : rec->start;
	rec->rule = RULE_SYNTAX_ERROR;
	if (r->sb->denied) {
		rec->rule = RULE_UNANALYZABLE_STATEMENT;
		rec->message = adup(a, xstrfmt("%s is not run: migsafe never lets migration"
			" SQL open files or load code, so what the statement does is not replayed",
			r->sb->denied));
		return;
	}
	if (r->sb->interrupted || (rc & 0xff) == SQLITE_INTERRUPT) {
		rec->rule = RULE_UNANALYZABLE_STATEMENT;
		rec->message = adup(a, xstrfmt("the statement ran past migsafe's limit"
			" (%.0f seconds, %lld thousand instructions) and was stopped: its effect is"
			" not replayed", r->sb->lim.seconds, (long long)r->sb->lim.instructions));
		return;
	}
	if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_NOMEM) {
		rec->rule = RULE_UNANALYZABLE_STATEMENT;
		rec->message = adup(a, xstrfmt("the statement needs more %s than migsafe allows"
			" (%s): its effect is not replayed", (rc & 0xff) == SQLITE_FULL ? "space" : "memory",
			msg));
		return;
	}
	rec->message = arena_strdup(a, msg);
	if (starts(msg, "no such "))
		rec->rule = RULE_UNKNOWN_OBJECT;
	else if (strstr(msg, " already exists"))
		rec->rule = RULE_DUPLICATE_OBJECT;
	else if (starts(msg, "Cannot add a NOT NULL column with default value NULL"))
		rec->rule = RULE_ADD_REQUIRED_COLUMN;
	else if (starts(msg, "cannot start a transaction within a transaction"))
		rec->rule = RULE_TRANSACTION_NESTING;
	else if (parsing)
		rec->syntax = true;
}

/* Names the authorizer saw: the UPDATE's columns, the statement's table. */
static void take_events(struct sqlite_replay *r, struct sq_rec *rec)
{
	struct arena *a = &r->file_arena;
	const char *target = NULL;
	int n = 0;

	for (int i = 0; i < r->sb->nr_events; i++) {
		const struct sandbox_event *e = &r->sb->events[i];

		if (e->code == SQLITE_INSERT || e->code == SQLITE_UPDATE || e->code == SQLITE_DELETE) {
			if (!target)
				target = e->a;
			n += e->code == SQLITE_UPDATE && e->a && !strcmp(e->a, target);
		}
	}
	if (rec->verb == V_UPDATE && n) {
		rec->set_columns = arena_alloc(a, (size_t)n * sizeof(*rec->set_columns));
		for (int i = 0; i < r->sb->nr_events; i++) {
			const struct sandbox_event *e = &r->sb->events[i];

			if (e->code == SQLITE_UPDATE && e->a && !strcmp(e->a, target) && e->b)
				rec->set_columns[rec->nr_set_columns++] = arena_strdup(a, e->b);
		}
	}
	if (target && (rec->verb == V_INSERT || rec->verb == V_UPDATE || rec->verb == V_DELETE))
		rec->object = arena_strdup(a, target);
}

/* Execute statement text[pos..end); returns where the next one starts. */
static size_t run_one(struct sqlite_replay *r, struct sq_rec *rec, const char *text, size_t pos,
		      size_t end)
{
	struct sqlx_tokens k = { 0 };
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	sqlx_tokenize(&k, text, pos, end);
	classify(&r->file_arena, &k, rec);
	if (rec->verb == V_INSERT || rec->verb == V_CREATE_TABLE_AS)
		rec->copy = analyze_copy(r, &k, rec);
	sqlx_tokens_release(&k);
	if (rec->verb == V_VACUUM) {
		/* no effect on the schema; VACUUM INTO writes a file */
		rec->skipped = true;
		return end;
	}
	rc = sandbox_prepare(r->sb, text + pos, (int)(end - pos), &st, &tail);
	if (rc != SQLITE_OK) {
		failed(r, rec, rc, true, pos);
		return end;
	}
	if (!st)
		return tail ? (size_t)(tail - text) : end;
	rec->writes = !sqlite3_stmt_readonly(st);
	take_events(r, rec);
	rc = sandbox_run(r->sb, st);
	sqlite3_finalize(st);
	rec->ok = rc == SQLITE_DONE;
	if (!rec->ok)
		failed(r, rec, rc, false, pos);
	reread(r, rec->origin);
	return tail ? (size_t)(tail - text) : end;
}

static struct sq_origin *new_origin(struct sqlite_replay *r)
{
	return arena_alloc(&r->arena, sizeof(struct sq_origin));
}

static void run_file(struct sqlite_replay *r, const char *text, size_t len, bool in_transaction)
{
	size_t pos = 0;

	/* as the migration tool runs it: a user's BEGIN fails, PRAGMA
	   foreign_keys does nothing */
	if (in_transaction)
		sandbox_exec_internal(r->sb, "BEGIN");

	while ((pos = sqlx_skip_space(text, len, pos)) < len) {
		size_t end = sqlx_stmt_end(text, len, pos), next;
		struct sq_rec *rec;

		ALLOC_GROW(r->recs, (size_t)r->nr_recs + 1, r->alloc_recs);
		rec = &r->recs[r->nr_recs];
		memset(rec, 0, sizeof(*rec));
		rec->start = pos;
		rec->before = r->cur;
		rec->origin = new_origin(r);
		next = run_one(r, rec, text, pos, end);
		if (next <= pos)
			next = end;
		rec->after = r->cur;
		rec->end = sqlx_trim_end(text, pos, next);
		if (rec->end > rec->start)
			r->nr_recs++;   /* else only a ';' */
		pos = next;
	}
	if (!sqlite3_get_autocommit(r->sb->db) && sandbox_exec_internal(r->sb, "COMMIT"))
		warning("cannot commit a migration in the SQLite database it runs in: %s",
			sqlite3_errmsg(r->sb->db));
}

/* ---- the statements the engine sees ---- */

static struct qname qn(const char *name)
{
	struct qname q = { NULL, name };

	return q;
}

/* The model's spelling of a table the statement names. */
static const char *model_name(const struct sq_rec *rec, const char *name)
{
	const struct sq_table *t = sq_find(rec->after, NULL, name);

	if (!t)
		t = sq_find(rec->before, NULL, name);
	return t ? t->name : name;
}

static void build_create_table(struct stmt_list *l, struct stmt *st, const struct sq_rec *rec)
{
	struct create_table *ct = &st->u.create_table;
	const struct sq_table *t = sq_find(rec->after, rec->temp ? "temp" : rec->db, rec->object);

	st->kind = ST_CREATE_TABLE;
	ct->name = qn(t ? t->name : rec->object);
	ct->temporary = rec->temp;
	ct->as_select = rec->verb == V_CREATE_TABLE_AS;
	if (!t || t->view)
		return;
	ct->columns = arena_alloc(&l->arena, (size_t)t->nr_cols * sizeof(*ct->columns) + 1);
	for (int i = 0; i < t->nr_cols; i++)
		ct->columns[ct->nr_columns++] = *sq_coldef(&l->arena, &t->cols[i]);
}

static void build_create_index(struct stmt_list *l, struct stmt *st, const struct sq_rec *rec)
{
	const struct sq_table *t = rec->table ? sq_find(rec->after, NULL, rec->table) : NULL;

	st->kind = ST_CREATE_INDEX;
	for (int i = 0; t && i < t->nr_ix; i++)
		if (!strcasecmp(t->ix[i].name, rec->object)) {
			st->u.index = *sq_index_def(&l->arena, t, &t->ix[i]);
			return;
		}
	st->u.index.name = rec->object;
	st->u.index.table = qn(rec->table);
	st->u.index.method = "btree";
}

static void build_drop(struct stmt_list *l, struct stmt *st, const struct sq_rec *rec)
{
	struct drop_stmt *d = &st->u.drop;

	st->kind = ST_DROP;
	d->kind = rec->verb == V_DROP_TABLE ? OBJ_TABLE : rec->verb == V_DROP_INDEX ? OBJ_INDEX :
		  rec->verb == V_DROP_VIEW ? OBJ_VIEW : OBJ_TRIGGER;
	d->objects = arena_alloc(&l->arena, sizeof(*d->objects));
	d->objects[0] = qn(d->kind == OBJ_TABLE ? model_name(rec, rec->object) : rec->object);
	d->nr_objects = 1;
	d->if_exists = rec->if_exists;
}

/* The column ADD COLUMN added (the one not there before). */
static const struct sq_col *added_column(const struct sq_rec *rec)
{
	const struct sq_table *t = sq_find(rec->after, NULL, rec->object);
	const struct sq_table *b = t ? sq_find_tid(rec->before, t->tid) : NULL;

	for (int i = 0; t && b && i < t->nr_cols; i++)
		if (!sq_col_find(b, t->cols[i].name))
			return &t->cols[i];
	return NULL;
}

static void build_alter(struct stmt_list *l, struct stmt *st, const struct sq_rec *rec)
{
	struct alter_table *at = &st->u.alter_table;
	const struct sq_col *c = rec->verb == V_ADD_COLUMN ? added_column(rec) : NULL;

	st->kind = ST_ALTER_TABLE;
	at->rel = qn(model_name(rec, rec->object));
	at->relkind = OBJ_TABLE;
	at->cmds = arena_alloc(&l->arena, sizeof(*at->cmds));
	at->nr_cmds = 1;
	at->cmds[0].kind = rec->verb == V_ADD_COLUMN ? AT_ADD_COLUMN : AT_DROP_COLUMN;
	at->cmds[0].column = c ? c->name : rec->column;
	at->cmds[0].start = rec->start;
	if (c)
		at->cmds[0].coldef = sq_coldef(&l->arena, c);
}

static void build_rename(struct stmt *st, const struct sq_rec *rec)
{
	struct rename_stmt *rn = &st->u.rename;

	st->kind = ST_RENAME;
	rn->kind = rec->verb == V_RENAME_TABLE ? OBJ_TABLE : OBJ_COLUMN;
	rn->relkind = OBJ_TABLE;
	rn->rel = qn(rec->verb == V_RENAME_TABLE ? rec->object : model_name(rec, rec->object));
	rn->subname = rec->column;
	rn->newname = rec->new_name;
}

static void build_dml(struct stmt *st, const struct sq_rec *rec)
{
	struct dml_stmt *d = &st->u.dml;

	st->kind = rec->verb == V_INSERT ? ST_INSERT : rec->verb == V_UPDATE ? ST_UPDATE : ST_DELETE;
	d->rel = qn(model_name(rec, rec->object));
	d->has_where = rec->has_where;
	if (rec->verb == V_UPDATE) {
		d->set_columns = rec->set_columns;
		d->nr_set_columns = rec->nr_set_columns;
	} else if (rec->verb == V_INSERT && rec->copy) {
		d->set_columns = rec->copy->columns;
		d->nr_set_columns = rec->copy->nr_columns;
	}
}

static void build_txn(struct stmt *st, const struct sq_rec *rec)
{
	st->kind = ST_TRANSACTION;
	switch (rec->verb) {
	case V_BEGIN: st->u.txn.kind = TXN_BEGIN; break;
	case V_COMMIT: st->u.txn.kind = TXN_COMMIT; break;
	case V_ROLLBACK: st->u.txn.kind = TXN_ROLLBACK; break;
	case V_RELEASE: st->u.txn.kind = TXN_RELEASE; break;
	default: st->u.txn.kind = TXN_SAVEPOINT; break;
	}
}

static void build_stmt(struct stmt_list *l, struct stmt *st, const struct sq_rec *rec)
{
	memset(st, 0, sizeof(*st));
	st->node = "sqlite";
	st->start = rec->start;
	st->end = rec->end;
	st->kind = ST_OTHER;
	if (rec->syntax) {
		st->kind = ST_SYNTAX_ERROR;
		st->u.error.message = rec->message;
		st->u.error.offset = rec->err_offset;
		return;
	}
	switch (rec->verb) {
	case V_CREATE_TABLE: case V_CREATE_TABLE_AS:
		build_create_table(l, st, rec);
		break;
	case V_CREATE_INDEX:
		build_create_index(l, st, rec);
		break;
	case V_CREATE_VIEW:
		st->kind = ST_CREATE_VIEW;
		st->u.view.name = qn(rec->object);
		break;
	case V_CREATE_TRIGGER:
		st->kind = ST_CREATE_TRIGGER;
		st->u.trigger.name = rec->object;
		st->u.trigger.table = qn(rec->table);
		break;
	case V_DROP_TABLE: case V_DROP_INDEX: case V_DROP_VIEW: case V_DROP_TRIGGER:
		build_drop(l, st, rec);
		break;
	case V_RENAME_TABLE: case V_RENAME_COLUMN:
		build_rename(st, rec);
		break;
	case V_ADD_COLUMN: case V_DROP_COLUMN:
		build_alter(l, st, rec);
		break;
	case V_INSERT: case V_UPDATE: case V_DELETE:
		build_dml(st, rec);
		break;
	case V_SELECT:
		st->kind = ST_SELECT;
		break;
	case V_PRAGMA:
		st->kind = ST_SET;
		st->u.set.name = rec->pragma;
		st->u.set.values = arena_alloc(&l->arena, sizeof(*st->u.set.values));
		st->u.set.values[0] = rec->pragma_value;
		st->u.set.nr_values = rec->pragma_value ? 1 : 0;
		break;
	case V_BEGIN: case V_COMMIT: case V_ROLLBACK: case V_SAVEPOINT: case V_RELEASE:
		build_txn(st, rec);
		break;
	default:
		break;
	}
}

/* ---- comments (suppression directives) ---- */

struct comment_walk {
	struct stmt_list *l;
	const char *text;
	struct sql_comment *items;
	int nr;
	size_t alloc;
};

static void one_comment(void *data, size_t start, size_t end)
{
	struct comment_walk *w = data;
	size_t b = start + 2, e = end;
	struct sql_comment *c;

	if (w->text[start] == '/' && e - start >= 4 && w->text[e - 2] == '*' && w->text[e - 1] == '/')
		e -= 2;
	while (b < e && (w->text[b] == ' ' || w->text[b] == '\t' || w->text[b] == '\n' ||
			 w->text[b] == '\r'))
		b++;
	while (e > b && (w->text[e - 1] == ' ' || w->text[e - 1] == '\t' ||
			 w->text[e - 1] == '\n' || w->text[e - 1] == '\r'))
		e--;
	ALLOC_GROW(w->items, (size_t)w->nr + 1, w->alloc);
	c = &w->items[w->nr++];
	c->start = start;
	c->end = end;
	c->text = arena_strndup(&w->l->arena, w->text + b, e - b);
}

static void collect_comments(struct stmt_list *l, const char *text, size_t len)
{
	struct comment_walk w = { l, text, NULL, 0, 0 };

	sqlx_each_comment(text, len, one_comment, &w);
	l->comments = arena_alloc(&l->arena, (size_t)w.nr * sizeof(*l->comments) + 1);
	if (w.nr)
		memcpy(l->comments, w.items, (size_t)w.nr * sizeof(*l->comments));
	l->nr_comments = w.nr;
	free(w.items);
}

/* ---- the API ---- */

/* Does a statement of the file start with BEGIN? */
static bool opens_transaction(const char *text, size_t len)
{
	size_t pos = 0;

	while ((pos = sqlx_skip_space(text, len, pos)) < len) {
		size_t end = sqlx_stmt_end(text, len, pos);
		struct sqlx_tokens k = { 0 };
		bool begin;

		sqlx_tokenize(&k, text, pos, end);
		begin = sqlx_is(&k, 0, "BEGIN");
		sqlx_tokens_release(&k);
		if (begin)
			return true;
		pos = end;
	}
	return false;
}

int sqlite_replay_file(struct sqlite_replay *r, const char *text, size_t len,
		       enum tx_mode tx, enum layout layout, struct stmt_list *out)
{
	bool wrapped = tx != TX_NONE && !(layout == LAYOUT_PLAIN && opens_transaction(text, len));

	file_reset(r);
	run_file(r, text, len, wrapped);
	sq_find_rebuilds(r);
	sq_find_dangling(r);
	collect_comments(out, text, len);
	out->stmts = arena_alloc(&out->arena, (size_t)r->nr_recs * sizeof(*out->stmts) + 1);
	for (int i = 0; i < r->nr_recs; i++)
		build_stmt(out, &out->stmts[i], &r->recs[i]);
	out->nr = r->nr_recs;
	return 0;
}

void sqlite_replay_stmt(struct sqlite_replay *r, int index, const struct cat_origin *origin,
			struct replay_result *res)
{
	struct sq_rec *rec;

	if (index < 0 || index >= r->nr_recs)
		BUG("no SQLite statement %d", index);
	rec = &r->recs[index];
	rec->origin->o = *origin;
	rec->origin->set = true;
	sq_changes(r, rec, res);
	cat_set_origin(r->cat, origin);
}

int sqlite_replay_script(struct sqlite_replay *r, const char *sql,
			 const struct cat_origin *origin)
{
	struct sq_origin *o = new_origin(r);
	size_t pos = 0, len = strlen(sql);
	int failures = 0;

	o->o = *origin;
	o->set = true;
	while ((pos = sqlx_skip_space(sql, len, pos)) < len) {
		size_t end = sqlx_stmt_end(sql, len, pos);
		sqlite3_stmt *st = NULL;

		if (sandbox_prepare(r->sb, sql + pos, (int)(end - pos), &st, NULL) != SQLITE_OK ||
		    (st && sandbox_run(r->sb, st) != SQLITE_DONE))
			failures++;
		sqlite3_finalize(st);
		pos = end;
	}
	reread(r, o);
	sq_sync(r, r->cur);
	cat_set_origin(r->cat, origin);
	return failures;
}

/* Each tool's bookkeeping table, as it creates it in SQLite. */
static const char *const sqlite_preludes[] = {
	[LAYOUT_GOLANG_MIGRATE] =
		"CREATE TABLE IF NOT EXISTS schema_migrations (version uint64, dirty bool);"
		"CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);",
	[LAYOUT_GOOSE] =
		"CREATE TABLE IF NOT EXISTS goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT,"
		" version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL,"
		" tstamp TIMESTAMP DEFAULT (datetime('now')));",
	[LAYOUT_FLYWAY] =
		"CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank INT NOT NULL"
		" PRIMARY KEY, version VARCHAR(50), description VARCHAR(200) NOT NULL,"
		" type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT,"
		" installed_by VARCHAR(100) NOT NULL, installed_on TEXT NOT NULL DEFAULT"
		" (strftime('%Y-%m-%d %H:%M:%f','now')), execution_time INT NOT NULL,"
		" success BOOLEAN NOT NULL);"
		"CREATE INDEX IF NOT EXISTS flyway_schema_history_s_idx ON flyway_schema_history (success);",
	[LAYOUT_DBMATE] =
		"CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) primary key);",
	[LAYOUT_DIESEL] =
		"CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY"
		" NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);",
	[LAYOUT_PRISMA] =
		"CREATE TABLE IF NOT EXISTS _prisma_migrations (id TEXT PRIMARY KEY NOT NULL,"
		" checksum TEXT NOT NULL, finished_at DATETIME, migration_name TEXT NOT NULL,"
		" logs TEXT, rolled_back_at DATETIME, started_at DATETIME NOT NULL DEFAULT"
		" current_timestamp, applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0);",
	[LAYOUT_SQL_MIGRATE] =
		"CREATE TABLE IF NOT EXISTS gorp_migrations (id TEXT NOT NULL PRIMARY KEY,"
		" applied_at DATETIME);",
	[LAYOUT_ATLAS] =
		"CREATE TABLE IF NOT EXISTS atlas_schema_revisions (version TEXT NOT NULL PRIMARY KEY,"
		" description TEXT NOT NULL, type INTEGER NOT NULL DEFAULT 2, applied INTEGER NOT NULL"
		" DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, executed_at DATETIME NOT NULL,"
		" execution_time INTEGER NOT NULL, error TEXT, error_stmt TEXT, hash TEXT NOT NULL,"
		" partial_hashes JSON, operator_version TEXT NOT NULL);",
};

void sqlite_replay_prelude(struct sqlite_replay *r, enum layout layout,
			   const struct cat_origin *origin)
{
	if ((size_t)layout < ARRAY_SIZE(sqlite_preludes) && sqlite_preludes[layout])
		sqlite_replay_script(r, sqlite_preludes[layout], origin);
}

void sqlite_stmt_locks(struct sqlite_replay *r, int index, struct lock_list *out)
{
	const struct sq_rec *rec = index >= 0 && index < r->nr_recs ? &r->recs[index] : NULL;
	struct lock *l;

	lock_list_reset(out);
	if (!rec || !rec->ok || !rec->writes)
		return;
	ALLOC_GROW(out->items, (size_t)out->nr + 1, out->alloc);
	l = &out->items[out->nr++];
	memset(l, 0, sizeof(*l));
	l->schema = NULL;
	l->relation = "(database)";
	l->mode = LOCK_EXCLUSIVE;
	l->rewrite = rec->rebuild != NULL;
	l->why = "SQLite's write lock: other writers wait until the transaction ends";
}
