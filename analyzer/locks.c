/*
 * locks.c - lock modes per statement, from pg_locks.md.
 */
#include "locks.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "engine.h"
#include "types.h"
#include "banned.h"

void lock_list_init(struct lock_list *l)
{
	memset(l, 0, sizeof(*l));
}

void lock_list_reset(struct lock_list *l)
{
	for (int i = 0; i < l->nr_pool; i++)
		free(l->pool[i]);
	l->nr_pool = 0;
	l->nr = 0;
}

void lock_list_release(struct lock_list *l)
{
	lock_list_reset(l);
	free(l->pool);
	free(l->items);
	lock_list_init(l);
}

static const char *const mode_names[] = {
	[LOCK_NONE] = "none",
	[LOCK_ACCESS_SHARE] = "ACCESS SHARE",
	[LOCK_ROW_SHARE] = "ROW SHARE",
	[LOCK_ROW_EXCLUSIVE] = "ROW EXCLUSIVE",
	[LOCK_SHARE_UPDATE_EXCLUSIVE] = "SHARE UPDATE EXCLUSIVE",
	[LOCK_SHARE] = "SHARE",
	[LOCK_SHARE_ROW_EXCLUSIVE] = "SHARE ROW EXCLUSIVE",
	[LOCK_EXCLUSIVE] = "EXCLUSIVE",
	[LOCK_ACCESS_EXCLUSIVE] = "ACCESS EXCLUSIVE",
};

static const char *const pg_names[] = {
	[LOCK_NONE] = "none",
	[LOCK_ACCESS_SHARE] = "AccessShareLock",
	[LOCK_ROW_SHARE] = "RowShareLock",
	[LOCK_ROW_EXCLUSIVE] = "RowExclusiveLock",
	[LOCK_SHARE_UPDATE_EXCLUSIVE] = "ShareUpdateExclusiveLock",
	[LOCK_SHARE] = "ShareLock",
	[LOCK_SHARE_ROW_EXCLUSIVE] = "ShareRowExclusiveLock",
	[LOCK_EXCLUSIVE] = "ExclusiveLock",
	[LOCK_ACCESS_EXCLUSIVE] = "AccessExclusiveLock",
};

const char *lock_mode_name(enum lock_mode m)
{
	return mode_names[m];
}

const char *lock_mode_pg_name(enum lock_mode m)
{
	return pg_names[m];
}

const char *lock_mode_blocks(enum lock_mode m)
{
	switch (m) {
	case LOCK_ACCESS_EXCLUSIVE: return "reads and writes";
	case LOCK_EXCLUSIVE: return "writes and SELECT FOR UPDATE/SHARE";
	case LOCK_SHARE_ROW_EXCLUSIVE:
	case LOCK_SHARE: return "writes";
	default: return "no ordinary DML";
	}
}

/* ---- building the list ---- */

struct lctx {
	struct rule_ctx *ctx;
	const struct stmt *st;
	const struct change *ch;
	int nr;
	struct lock_list *out;
	/* change_at()'s index of ch by start, made on its first call when
	   nr > CHANGE_SCAN (malloc'ed) */
	struct keyed_pos *by_start;
};

static struct lock *add_qname(struct lctx *x, const struct qname *q, enum lock_mode mode,
			      const char *why);

/*
 * Names found by catalog queries live only as long as the query; keep a
 * copy in the list's pool (freed with the list).
 */
static const char *keep(struct lctx *x, const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = xstrdup(s);
	ALLOC_GROW(x->out->pool, (size_t)x->out->nr_pool + 1, x->out->alloc_pool);
	x->out->pool[x->out->nr_pool++] = p;
	return p;
}

static struct lock *add_qname_copy(struct lctx *x, const struct qname *q, enum lock_mode mode,
				   const char *why)
{
	struct qname k = { keep(x, q->schema), keep(x, q->name) };

	return add_qname(x, &k, mode, why);
}

static struct lock *add(struct lctx *x, const char *schema, const char *rel,
			enum lock_mode mode, const char *why)
{
	struct lock *l;

	ALLOC_GROW(x->out->items, (size_t)x->out->nr + 1, x->out->alloc);
	l = &x->out->items[x->out->nr++];
	memset(l, 0, sizeof(*l));
	l->schema = schema;
	l->relation = rel;
	l->mode = mode;
	l->why = why;
	return l;
}

static struct lock *add_ref(struct lctx *x, const struct rel_ref *r, enum lock_mode mode,
			    const char *why)
{
	struct lock *l = add(x, r->schema, r->name, mode, why);

	l->is_new = ctx_rel_is_new(x->ctx, r);
	return l;
}

/* A relation named in the statement, resolved as replay does now. */
static struct lock *add_qname(struct lctx *x, const struct qname *q, enum lock_mode mode,
			      const char *why)
{
	struct cat_rel rel;
	struct lock *l;

	if (ctx_find_rel(x->ctx, q, &rel))
		return add(x, q->schema, q->name, mode, why);
	l = add(x, q->schema ? q->schema : "public", q->name, mode, why);
	l->is_new = rel.created_file >= 0 &&
		    ctx_rel_is_new(x->ctx, &(struct rel_ref){ .id = rel.id, .known = true,
				   .created_file = rel.created_file, .created_in_range = rel.in_range });
	/* the schema string must outlive the lookup: keep the one written,
	   or "public" when the relation lives there */
	if (!q->schema && strcmp(rel.schema, "public"))
		l->schema = NULL;
	return l;
}

/* ---- catalog questions (read-only SQL through catalog_query_static) ---- */

struct name_rows {
	char (*names)[2 * NAMEBUF + 2];   /* "schema.name" */
	int nr, max;
};

static int collect_name(void *data, int n, const char *const *names, const char *const *values)
{
	struct name_rows *r = data;

	if (r->nr < r->max && n >= 1 && values[0])
		snprintf(r->names[r->nr++], sizeof(r->names[0]), "%s", values[0]);
	return 0;
}

/* Run 'sql' (a literal: ?1 the id, ?2 and ?3 texts) and collect its
   first column. */
static int query_names(struct lctx *x, const char *sql, cat_id id, const char *text2,
		       const char *text3, struct name_rows *out)
{
	if (catalog_query_static(ctx_catalog(x->ctx), sql, id, text2, text3, collect_name, out))
		return 0;
	return out->nr;
}

/* Split "schema.name" (from query_names) into a lock entry. */
static struct lock *add_qualified(struct lctx *x, const char *qualified, enum lock_mode mode,
				  const char *why)
{
	const char *dot = strchr(qualified, '.');
	struct qname q;
	char schema[NAMEBUF];

	if (!dot)
		return add(x, NULL, qualified, mode, why);
	snprintf(schema, sizeof(schema), "%.*s", (int)(dot - qualified), qualified);
	q.schema = schema;
	q.name = dot + 1;
	return add_qname_copy(x, &q, mode, why);
}

/*
 * Changes that change_at() reads one by one; past them it searches an
 * index. Each subcommand of an ALTER TABLE looked up its change by
 * reading them all: an ALTER TABLE of 100,000 subcommands took 85 s.
 */
#define CHANGE_SCAN 16

static void index_changes(struct lctx *x)
{
	x->by_start = xcalloc((size_t)x->nr, sizeof(*x->by_start));
	for (int i = 0; i < x->nr; i++)
		x->by_start[i] = (struct keyed_pos){ x->ch[i].start, i };
	qsort(x->by_start, (size_t)x->nr, sizeof(*x->by_start), keyed_pos_cmp);
}

/* The change replay recorded for the subcommand starting at 'start' (the
   first, in ch[]), or NULL. */
static const struct change *change_at(struct lctx *x, size_t start)
{
	size_t at;

	if (x->nr <= CHANGE_SCAN) {
		for (int i = 0; i < x->nr; i++)
			if (x->ch[i].start == start)
				return &x->ch[i];
		return NULL;
	}
	if (!x->by_start)
		index_changes(x);
	at = keyed_pos_lower(x->by_start, (size_t)x->nr, start);
	return at < (size_t)x->nr && x->by_start[at].key == start ?
	       &x->ch[x->by_start[at].pos] : NULL;
}

/* The relation an ALTER TABLE acts on, as replay resolved it. */
static struct lock *alter_target(struct lctx *x, const struct alter_cmd *cmd,
				 enum lock_mode mode, const char *why)
{
	const struct change *c = change_at(x, cmd->start);
	struct lock *l;

	if (!c && x->nr)
		c = &x->ch[0];
	if (c && c->rel.name)
		l = add_ref(x, &c->rel, mode, why);
	else
		l = add_qname(x, &x->st->u.alter_table.rel, mode, why);
	l->start = cmd->start;
	return l;
}

bool locks_fills_rows(const struct rule_ctx *ctx, const struct column_def *cd)
{
	const struct expr *e = cd->default_expr;

	if (cd->type.serial || cd->identity || cd->generated)
		return true;
	if (!e || e->is_null)
		return false;
	if (ctx_pg_version(ctx) < 11)
		return true;   /* no "fast default" before PostgreSQL 11 */
	for (int i = 0; i < e->nr_funcs; i++) {
		char v = builtin_volatility(e->funcs[i]);

		if (!v || v == 'v')
			return true;
	}
	return false;
}

/* Is the column's type a domain with NOT NULL or CHECK constraints? */
static bool constrained_domain(struct lctx *x, const struct type_ref *t)
{
	char names[1][2 * NAMEBUF + 2];
	struct name_rows r = { names, 0, 1 };

	/* most histories have none: no query for every column added */
	if (!t->name || !cat_has_constrained_domains(ctx_catalog(x->ctx)))
		return false;
	return query_names(x, "SELECT t.name FROM types t JOIN schemas s ON s.id = t.schema_id"
			   " WHERE t.kind = 'd' AND t.constrained AND t.name = ?2"
			   " AND (?3 IS NULL OR s.name = ?3)", 0, t->name, t->schema, &r) > 0;
}

static void add_column(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct column_def *cd = cmd->coldef;
	struct lock *l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "ADD COLUMN");

	/* a domain's constraints are checked against every row's value, its
	   default or NULL, which takes the rewrite path (measured on
	   PostgreSQL 15 with and without a DEFAULT) */
	l->rewrite = locks_fills_rows(x->ctx, cd) || constrained_domain(x, &cd->type);
	l->scan = l->rewrite || (cd->not_null && !cd->default_expr);
}

static bool column_has_check(struct lctx *x, const struct rel_ref *rel, const char *column)
{
	char names[1][2 * NAMEBUF + 2];
	struct name_rows r = { names, 0, 1 };

	return query_names(x, "SELECT k.name FROM constraints k JOIN constraint_columns cc"
			   " ON cc.con_id = k.id JOIN columns c ON c.id = cc.column_id"
			   " WHERE k.kind = 'c' AND c.rel_id = ?1 AND c.name = ?2",
			   rel->id, column, NULL, &r) > 0;
}

static void alter_type(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct change *c = change_at(x, cmd->start);
	struct lock *l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "ALTER COLUMN TYPE");
	enum type_change tc = TC_REWRITE;

	if (c && c->rel.known)
		tc = type_change_classify(&c->old_type, &c->new_type, NULL);
	l->rewrite = tc == TC_REWRITE || tc == TC_NARROWING || cmd->using_expr;
	/* without a rewrite, a CHECK constraint on the column is re-checked */
	l->scan = l->rewrite || (c && c->rel.known && column_has_check(x, &c->rel, cmd->column));
}

static void set_not_null(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct change *c = change_at(x, cmd->start);
	struct lock *l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "SET NOT NULL");

	l->scan = !(c && (c->was_not_null ||
			  (c->not_null_check && ctx_pg_version(x->ctx) >= 12)));
}

static bool columns_added_here(const struct lctx *x, const struct constraint_def *cd)
{
	const struct alter_table *at = &x->st->u.alter_table;

	for (int i = 0; i < cd->nr_columns; i++) {
		bool added = false;

		for (int j = 0; j < at->nr_cmds; j++)
			added |= at->cmds[j].kind == AT_ADD_COLUMN &&
				 !strcmp(at->cmds[j].coldef->name, cd->columns[i]);
		if (!added)
			return false;
	}
	return cd->nr_columns > 0;
}

static void add_constraint(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct constraint_def *cd = cmd->con;
	struct lock *l;

	switch (cd->kind) {
	case CON_FOREIGN:
		l = alter_target(x, cmd, LOCK_SHARE_ROW_EXCLUSIVE, "ADD FOREIGN KEY");
		/* a column added by the same statement holds only NULLs */
		l->scan = !cd->not_valid && !columns_added_here(x, cd);
		/* validation probes the referenced table for every row */
		add_qname(x, &cd->ref_table, LOCK_SHARE_ROW_EXCLUSIVE,
			  "referenced by the new foreign key")->scan = l->scan;
		break;
	case CON_CHECK:
		l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "ADD CHECK");
		l->scan = !cd->not_valid;
		break;
	default:
		l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE,
				 cd->kind == CON_PRIMARY ? "ADD PRIMARY KEY" :
				 cd->kind == CON_UNIQUE ? "ADD UNIQUE" : "ADD EXCLUDE");
		l->scan = !cd->using_index;   /* the index build reads every row */
		break;
	}
}

/* Dropping a foreign key takes ACCESS EXCLUSIVE on the table it references. */
static void parent_locks(struct lctx *x, const struct change *c, const char *why)
{
	for (int i = 0; c && i < c->nr_parents; i++)
		add_qualified(x, c->parents[i], LOCK_ACCESS_EXCLUSIVE, why);
}

/* VALIDATE of a foreign key reads the referenced table under ROW SHARE. */
static void fk_target_lock(struct lctx *x, const struct rel_ref *rel, const char *con)
{
	char names[1][2 * NAMEBUF + 2];
	struct name_rows r = { names, 0, 1 };

	if (query_names(x, "SELECT s.name || '.' || t.name FROM constraints k"
			" JOIN relations t ON t.id = k.ref_rel_id JOIN schemas s ON s.id = t.schema_id"
			" WHERE k.rel_id = ?1 AND k.name = ?2", rel->id, con, NULL, &r) > 0)
		add_qualified(x, names[0], LOCK_ROW_SHARE, "referenced by the validated foreign key")
			->scan = true;
}

static void constraint_op(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct change *c = change_at(x, cmd->start);
	bool validate = cmd->kind == AT_VALIDATE_CONSTRAINT;
	struct lock *l;

	l = alter_target(x, cmd, validate ? LOCK_SHARE_UPDATE_EXCLUSIVE : LOCK_ACCESS_EXCLUSIVE,
			 validate ? "VALIDATE CONSTRAINT" : "DROP CONSTRAINT");
	l->scan = validate;
	if (!validate)
		parent_locks(x, c, "referenced by the dropped foreign key");
	if (validate && c && c->rel.known && c->con_kind == CON_FOREIGN)
		fk_target_lock(x, &c->rel, cmd->name);
}

static void partition_cmd(struct lctx *x, const struct alter_cmd *cmd)
{
	bool attach = cmd->kind == AT_ATTACH_PARTITION;
	enum lock_mode parent = attach || cmd->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE
							     : LOCK_ACCESS_EXCLUSIVE;
	struct lock *l;

	alter_target(x, cmd, parent, attach ? "ATTACH PARTITION" : "DETACH PARTITION");
	l = add_qname(x, &cmd->partition, cmd->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE
							    : LOCK_ACCESS_EXCLUSIVE, "the partition");
	l->scan = attach;
}

static void simple_cmd(struct lctx *x, const struct alter_cmd *cmd)
{
	struct lock *l;

	switch (cmd->kind) {
	case AT_SET_STORAGE:
	case AT_CLUSTER_ON:
		alter_target(x, cmd, LOCK_SHARE_UPDATE_EXCLUSIVE, "SET (options/statistics)");
		break;
	case AT_ENABLE_TRIGGER:
	case AT_DISABLE_TRIGGER:
		alter_target(x, cmd, LOCK_SHARE_ROW_EXCLUSIVE, "ENABLE/DISABLE TRIGGER");
		break;
	case AT_SET_TABLESPACE:
		alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "SET TABLESPACE")->rewrite = true;
		break;
	case AT_SET_LOGGED:
	case AT_SET_UNLOGGED:
		l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "SET LOGGED/UNLOGGED");
		l->rewrite = l->scan = true;
		break;
	case AT_DROP_COLUMN:
		alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "DROP COLUMN");
		parent_locks(x, change_at(x, cmd->start), "referenced by a dropped foreign key");
		break;
	default:
		alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "ALTER TABLE");
		break;
	}
}

static void alter_table(struct lctx *x)
{
	const struct alter_table *at = &x->st->u.alter_table;

	if (at->relkind == OBJ_INDEX) {
		add_qname(x, &at->rel, LOCK_SHARE_UPDATE_EXCLUSIVE, "ALTER INDEX");
		return;
	}
	for (int i = 0; i < at->nr_cmds; i++) {
		const struct alter_cmd *cmd = &at->cmds[i];

		switch (cmd->kind) {
		case AT_ADD_COLUMN: add_column(x, cmd); break;
		case AT_ALTER_TYPE: alter_type(x, cmd); break;
		case AT_SET_NOT_NULL: set_not_null(x, cmd); break;
		case AT_ADD_CONSTRAINT: add_constraint(x, cmd); break;
		case AT_DROP_CONSTRAINT:
		case AT_VALIDATE_CONSTRAINT: constraint_op(x, cmd); break;
		case AT_ATTACH_PARTITION:
		case AT_DETACH_PARTITION: partition_cmd(x, cmd); break;
		default: simple_cmd(x, cmd); break;
		}
	}
}

/* The partitions under 'parent', at every level; 'scan': each is read. */
static void partition_locks(struct lctx *x, const struct rel_ref *parent, enum lock_mode mode,
			    const char *why, bool scan)
{
	char names[64][2 * NAMEBUF + 2];
	struct name_rows r = { names, 0, 64 };
	int n = query_names(x, "WITH RECURSIVE p(id) AS (SELECT id FROM relations WHERE parent_id = ?1"
			    " UNION SELECT r.id FROM relations r JOIN p ON r.parent_id = p.id)"
			    " SELECT s.name || '.' || r.name FROM p JOIN relations r ON r.id = p.id"
			    " JOIN schemas s ON s.id = r.schema_id WHERE r.kind = 'r' ORDER BY r.id",
			    parent->id, NULL, NULL, &r);

	for (int i = 0; i < n; i++)
		add_qualified(x, names[i], mode, why)->scan = scan;
}

static void create_index(struct lctx *x)
{
	const struct index_def *ix = &x->st->u.index;
	struct lock *l;

	if (x->nr && x->ch[0].rel.name)
		l = add_ref(x, &x->ch[0].rel, ix->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE : LOCK_SHARE,
			    ix->concurrently ? "CREATE INDEX CONCURRENTLY" : "CREATE INDEX");
	else
		l = add_qname(x, &ix->table, ix->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE : LOCK_SHARE,
			      "CREATE INDEX");
	/* a partitioned table has no rows of its own: every partition is
	   locked and read */
	l->scan = !(x->nr && x->ch[0].rel.kind == REL_PARTITIONED);
	if (!l->scan && !ix->only)
		partition_locks(x, &x->ch[0].rel, LOCK_SHARE, "CREATE INDEX on the partitioned table",
				true);
}

static void drops(struct lctx *x)
{
	const struct drop_stmt *d = &x->st->u.drop;

	for (int i = 0; i < x->nr; i++) {
		const struct change *c = &x->ch[i];

		switch (c->kind) {
		case CH_DROP_INDEX:
			add_ref(x, &c->rel, d->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE
							    : LOCK_ACCESS_EXCLUSIVE, "DROP INDEX");
			break;
		case CH_DROP_TABLE:
		case CH_DROP_VIEW:
		case CH_DROP_SEQUENCE:
			add_ref(x, &c->rel, LOCK_ACCESS_EXCLUSIVE, "DROP");
			for (int j = 0; j < c->nr_parents; j++)
				add(x, NULL, c->parents[j], LOCK_ACCESS_EXCLUSIVE,
				    "referenced by a foreign key of the dropped table");
			break;
		default:
			break;
		}
	}
}

/* A relation named as messages quote it: "t" (public) or "s"."t". */
static struct lock *add_unquoted(struct lctx *x, const char *quoted, enum lock_mode mode,
				 const char *why)
{
	char buf[2 * NAMEBUF + 8], *dot;
	struct qname q = { "public", NULL };
	size_t w = 0;

	for (const char *p = quoted; *p && w + 1 < sizeof(buf); p++)
		if (*p != '"')
			buf[w++] = *p;
	buf[w] = '\0';
	dot = strstr(quoted, "\".\"") ? strchr(buf, '.') : NULL;
	if (dot) {
		*dot = '\0';
		q.schema = buf;
		q.name = dot + 1;
	} else {
		q.name = buf;
	}
	return add_qname_copy(x, &q, mode, why);
}

static void truncate_lock(struct lctx *x)
{
	for (int i = 0; i < x->nr; i++) {
		const struct change *c = &x->ch[i];
		struct lock *l;

		if (c->kind != CH_TRUNCATE)
			continue;
		l = add_ref(x, &c->rel, LOCK_ACCESS_EXCLUSIVE, "TRUNCATE");
		l->rewrite = true;
		for (int j = 0; j < c->nr_dropped; j++)
			add_unquoted(x, c->dropped[j], LOCK_ACCESS_EXCLUSIVE,
				     "emptied by CASCADE")->rewrite = true;
	}
}

static void create_table(struct lctx *x)
{
	const struct create_table *ct = &x->st->u.create_table;

	if (x->nr && x->ch[0].kind == CH_CREATE_TABLE)
		add_ref(x, &x->ch[0].rel, LOCK_ACCESS_EXCLUSIVE, "CREATE TABLE");
	for (int i = 0; i < ct->nr_constraints; i++)
		if (ct->constraints[i].kind == CON_FOREIGN)
			add_qname(x, &ct->constraints[i].ref_table, LOCK_SHARE_ROW_EXCLUSIVE,
				  "referenced by a foreign key of the new table");
	if (ct->partition_of.name)
		add_qname(x, &ct->partition_of, LOCK_ACCESS_EXCLUSIVE, "PARTITION OF");
}

/* The tables a materialized view reads: ACCESS SHARE, scanned. */
static void view_sources(struct lctx *x, const struct qname *view)
{
	char names[32][2 * NAMEBUF + 2];
	struct name_rows r = { names, 0, 32 };
	struct cat_rel rel;
	int n;

	if (ctx_find_rel(x->ctx, view, &rel))
		return;
	n = query_names(x, "SELECT DISTINCT s.name || '.' || t.name FROM view_deps d"
			" JOIN relations t ON t.id = d.rel_id JOIN schemas s ON s.id = t.schema_id"
			" WHERE d.view_id = ?1 ORDER BY 1", rel.id, NULL, NULL, &r);
	for (int i = 0; i < n; i++)
		add_qualified(x, names[i], LOCK_ACCESS_SHARE, "read by the refresh")->scan = true;
}

/*
 * REINDEX rebuilds indexes, not the table: SHARE on the table (its rows
 * are read), ACCESS EXCLUSIVE on each index, which blocks every query
 * that plans against the table.
 */
static void reindex(struct lctx *x, const struct maintenance_stmt *m)
{
	for (int i = 0; i < m->nr_rels; i++) {
		struct cat_rel rel, table;
		struct lock *l;

		if (m->relkind == OBJ_INDEX && !ctx_find_rel(x->ctx, &m->rels[i], &rel) &&
		    !cat_rel_get(ctx_catalog(x->ctx), rel.table_id, &table)) {
			struct qname t = { table.schema, table.name };

			l = add_qname_copy(x, &t, m->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE
								  : LOCK_SHARE, "REINDEX INDEX");
			l->scan = true;
			l = add_qname(x, &m->rels[i], m->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE
								    : LOCK_ACCESS_EXCLUSIVE, "the rebuilt index");
			l->rewrite = true;
			continue;
		}
		l = add_qname(x, &m->rels[i], m->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE
							    : LOCK_SHARE, "REINDEX");
		l->scan = true;
	}
}

static void maintenance(struct lctx *x)
{
	const struct maintenance_stmt *m = &x->st->u.maint;
	enum lock_mode mode = LOCK_ACCESS_EXCLUSIVE;
	bool rewrite = true;

	if (!strcmp(m->what, "reindex")) {
		reindex(x, m);
		return;
	}
	if (!strcmp(m->what, "vacuum") || !strcmp(m->what, "analyze")) {
		mode = LOCK_SHARE_UPDATE_EXCLUSIVE;
		rewrite = false;
	} else if (!strcmp(m->what, "refresh materialized view") && m->concurrently) {
		mode = LOCK_EXCLUSIVE;
		rewrite = false;
	}
	if (!strcmp(m->what, "refresh materialized view"))
		for (int i = 0; i < m->nr_rels; i++)
			view_sources(x, &m->rels[i]);
	for (int i = 0; i < m->nr_rels; i++) {
		struct lock *l = add_qname(x, &m->rels[i], mode, m->what);

		l->rewrite = rewrite;
		l->scan = true;
	}
}

static void rename_lock(struct lctx *x)
{
	const struct rename_stmt *rn = &x->st->u.rename;
	enum lock_mode mode = rn->kind == OBJ_INDEX ? LOCK_SHARE_UPDATE_EXCLUSIVE
						    : LOCK_ACCESS_EXCLUSIVE;

	switch (rn->kind) {
	case OBJ_TABLE:
	case OBJ_INDEX:
	case OBJ_VIEW:
	case OBJ_MATVIEW:
	case OBJ_SEQUENCE:
	case OBJ_COLUMN:
	case OBJ_CONSTRAINT:
	case OBJ_TRIGGER:
		if (x->nr && x->ch[0].rel.name)
			add_ref(x, &x->ch[0].rel, mode, "RENAME");
		else
			add_qname(x, &rn->rel, mode, "RENAME");
		break;
	default:
		break;
	}
}

/*
 * LOCK TABLE takes the mode it names (ACCESS EXCLUSIVE when it names
 * none) on each relation, and without ONLY on a partitioned table's
 * partitions, and holds them to the end of the transaction. (Tables
 * that INHERITS a locked one are locked too; the lock list leaves them
 * out.)
 */
static void lock_table(struct lctx *x)
{
	const struct lock_stmt *ls = &x->st->u.lock;
	enum lock_mode mode = LOCK_ACCESS_EXCLUSIVE;
	int first;

	if (ls->mode >= LOCK_ACCESS_SHARE && ls->mode <= LOCK_ACCESS_EXCLUSIVE)
		mode = (enum lock_mode)ls->mode;
	for (int i = 0; i < ls->nr_rels; i++) {
		struct cat_rel rel;

		first = x->out->nr;
		add_qname(x, &ls->rels[i], mode, "LOCK TABLE");
		if (!ls->only[i] && !ctx_find_rel(x->ctx, &ls->rels[i], &rel) &&
		    rel.kind == REL_PARTITIONED)
			partition_locks(x, &(struct rel_ref){ .id = rel.id, .known = true }, mode,
					"LOCK TABLE on the partitioned table", false);
		for (int j = first; j < x->out->nr; j++)
			x->out->items[j].nowait = ls->nowait;
	}
}

void locks_compute(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch,
		   int nr, struct lock_list *out)
{
	struct lctx x = { ctx, st, ch, nr, out, NULL };

	lock_list_reset(out);
	switch (st->kind) {
	case ST_CREATE_TABLE: create_table(&x); break;
	case ST_ALTER_TABLE: alter_table(&x); break;
	case ST_CREATE_INDEX: create_index(&x); break;
	case ST_DROP: drops(&x); break;
	case ST_TRUNCATE: truncate_lock(&x); break;
	case ST_RENAME: rename_lock(&x); break;
	case ST_MAINTENANCE: maintenance(&x); break;
	case ST_LOCK: lock_table(&x); break;
	case ST_CREATE_TRIGGER:
		add_qname(&x, &st->u.trigger.table, LOCK_SHARE_ROW_EXCLUSIVE, "CREATE TRIGGER");
		break;
	case ST_COMMENT:
		if (st->u.comment.obj.name)
			add_qname(&x, &st->u.comment.obj, LOCK_SHARE_UPDATE_EXCLUSIVE, "COMMENT");
		break;
	case ST_INSERT:
	case ST_UPDATE:
	case ST_DELETE:
		if (st->u.dml.rel.name)
			add_qname(&x, &st->u.dml.rel, LOCK_ROW_EXCLUSIVE,
				  st->kind == ST_INSERT ? "INSERT" : st->kind == ST_UPDATE ? "UPDATE"
											 : "DELETE");
		break;
	default:
		break;
	}
	free(x.by_start);
}
