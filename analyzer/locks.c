/*
 * locks.c - lock modes per statement, from pg_locks.md.
 */
#include "locks.h"

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "types.h"
#include "banned.h"

void lock_list_init(struct lock_list *l)
{
	memset(l, 0, sizeof(*l));
}

void lock_list_reset(struct lock_list *l)
{
	l->nr = 0;
}

void lock_list_release(struct lock_list *l)
{
	free(l->items);
	lock_list_init(l);
}

static const char *const names[] = {
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
	return names[m];
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
};

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

/* The change replay recorded for the subcommand starting at 'start'. */
static const struct change *change_at(struct lctx *x, size_t start)
{
	for (int i = 0; i < x->nr; i++)
		if (x->ch[i].start == start)
			return &x->ch[i];
	return NULL;
}

/* The relation an ALTER TABLE acts on, as replay resolved it. */
static struct lock *alter_target(struct lctx *x, const struct alter_cmd *cmd,
				 enum lock_mode mode, const char *why)
{
	const struct change *c = change_at(x, cmd->start);

	if (!c && x->nr)
		c = &x->ch[0];
	if (c && c->rel.name)
		return add_ref(x, &c->rel, mode, why);
	return add_qname(x, &x->st->u.alter_table.rel, mode, why);
}

static bool volatile_default(const struct rule_ctx *ctx, const struct column_def *cd)
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

static void add_column(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct column_def *cd = cmd->coldef;
	struct lock *l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "ADD COLUMN");

	l->rewrite = volatile_default(x->ctx, cd);
	l->scan = l->rewrite || (cd->not_null && !cd->default_expr);
}

static void alter_type(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct change *c = change_at(x, cmd->start);
	struct lock *l = alter_target(x, cmd, LOCK_ACCESS_EXCLUSIVE, "ALTER COLUMN TYPE");
	enum type_change tc = TC_REWRITE;

	if (c && c->rel.known)
		tc = type_change_classify(&c->old_type, &c->new_type, NULL);
	l->rewrite = tc == TC_REWRITE || tc == TC_NARROWING || cmd->using_expr;
	l->scan = l->rewrite;
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
		add_qname(x, &cd->ref_table, LOCK_SHARE_ROW_EXCLUSIVE, "referenced by the new foreign key");
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

static void constraint_op(struct lctx *x, const struct alter_cmd *cmd)
{
	const struct change *c = change_at(x, cmd->start);
	bool validate = cmd->kind == AT_VALIDATE_CONSTRAINT;
	struct lock *l;

	l = alter_target(x, cmd, validate ? LOCK_SHARE_UPDATE_EXCLUSIVE : LOCK_ACCESS_EXCLUSIVE,
			 validate ? "VALIDATE CONSTRAINT" : "DROP CONSTRAINT");
	l->scan = validate;
	(void)c;
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
	l->scan = true;
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
			add(x, NULL, c->dropped[j], LOCK_ACCESS_EXCLUSIVE, "emptied by CASCADE")->rewrite = true;
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

static void maintenance(struct lctx *x)
{
	const struct maintenance_stmt *m = &x->st->u.maint;
	enum lock_mode mode = LOCK_ACCESS_EXCLUSIVE;
	bool rewrite = true;

	if (!strcmp(m->what, "vacuum") || !strcmp(m->what, "analyze")) {
		mode = LOCK_SHARE_UPDATE_EXCLUSIVE;
		rewrite = false;
	} else if (!strcmp(m->what, "reindex")) {
		mode = m->concurrently ? LOCK_SHARE_UPDATE_EXCLUSIVE : LOCK_ACCESS_EXCLUSIVE;
	} else if (!strcmp(m->what, "refresh materialized view") && m->concurrently) {
		mode = LOCK_EXCLUSIVE;
		rewrite = false;
	}
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

void locks_compute(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch,
		   int nr, struct lock_list *out)
{
	struct lctx x = { ctx, st, ch, nr, out };

	lock_list_reset(out);
	switch (st->kind) {
	case ST_CREATE_TABLE: create_table(&x); break;
	case ST_ALTER_TABLE: alter_table(&x); break;
	case ST_CREATE_INDEX: create_index(&x); break;
	case ST_DROP: drops(&x); break;
	case ST_TRUNCATE: truncate_lock(&x); break;
	case ST_RENAME: rename_lock(&x); break;
	case ST_MAINTENANCE: maintenance(&x); break;
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
}
