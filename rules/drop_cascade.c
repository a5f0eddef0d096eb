/*
 * drop-cascade: DROP ... CASCADE (and ALTER TABLE ... DROP COLUMN /
 * DROP CONSTRAINT ... CASCADE) removes whatever depends on the object,
 * without naming it. Replay lists what the catalog says goes with it
 * (change->dropped); the finding names each of those, or says that
 * nothing depends on the object today, since CASCADE will still take
 * whatever is added before the migration runs.
 *
 * Replay does not list the column defaults that call nextval() of a
 * dropped sequence; they are read from the catalog here. Types,
 * functions and extensions have no dependents list: the finding says
 * what CASCADE reaches from such an object.
 *
 * Quiet when the object is new (created in this file, or in an explicit
 * range): whatever depends on it was created after it, so is new too.
 * DROP TRIGGER / DROP POLICY ... CASCADE are quiet: nothing can depend
 * on a trigger or a policy.
 */
#include <string.h>

#include "helpers.h"
#include "types.h"
#include "banned.h"

/* 'table "users"', 'column "users"."email"', ... */
static void describe(struct strbuf *sb, const struct stmt *st, const struct change *ch)
{
	const char *rel = quote_rel(ch->rel.schema, ch->rel.name);

	switch (ch->kind) {
	case CH_DROP_COLUMN:
		strbuf_addf(sb, "column %s.\"%s\"", rel, ch->column);
		break;
	case CH_DROP_CONSTRAINT:
		strbuf_addf(sb, "constraint \"%s\" on %s", ch->name, rel);
		break;
	case CH_DROP_INDEX:
		strbuf_addf(sb, "index %s", quote_rel(ch->rel.schema, ch->name));
		break;
	case CH_DROP_SCHEMA:
		strbuf_addf(sb, "schema \"%s\"", ch->name);
		break;
	default:
		strbuf_addf(sb, "%s %s", st->kind == ST_DROP ? obj_kind_name(st->u.drop.kind)
							      : "relation", rel);
		break;
	}
}

static const char *object_of(const struct change *ch)
{
	switch (ch->kind) {
	case CH_DROP_COLUMN:
		return object_path(ch->rel.schema, ch->rel.name, ch->column);
	case CH_DROP_CONSTRAINT:
		return object_path(ch->rel.schema, ch->rel.name, ch->name);
	case CH_DROP_INDEX:
		return object_path(ch->rel.schema, ch->name, NULL);
	case CH_DROP_SCHEMA:
		return ch->name;
	default:
		return object_path(ch->rel.schema, ch->rel.name, NULL);
	}
}

static bool cascading_change(const struct change *ch)
{
	switch (ch->kind) {
	case CH_DROP_TABLE:
	case CH_DROP_VIEW:
	case CH_DROP_SEQUENCE:
	case CH_DROP_INDEX:
	case CH_DROP_SCHEMA:
	case CH_DROP_COLUMN:
	case CH_DROP_CONSTRAINT:
		return ch->cascade;
	default:
		return false;
	}
}

/* SQL string literal contents: ' doubled. */
static void add_sql_quoted(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_addch(sb, '\'');
		strbuf_addch(sb, *s);
	}
}

static int add_default(void *data, int ncols, const char *const *names,
		       const char *const *values)
{
	struct strbuf *sb = data;

	(void)names;
	if (ncols == 3 && values[0] && values[1] && values[2])
		strbuf_addf(sb, "%sdefault of column %s.\"%s\"", sb->len ? ", " : "",
			    quote_rel(values[0], values[1]), values[2]);
	return 0;
}

/*
 * Column defaults that call nextval() of a dropped sequence: CASCADE
 * removes them (replay lists only relations and constraints). Read from
 * the catalog after the statement, where the defaults are still recorded:
 * a serial column's as PostgreSQL prints it (serial_default_format(),
 * qualified outside public, quoted), one a migration wrote as written,
 * naming the sequence bare or qualified.
 */
static void sequence_defaults(struct rule_ctx *ctx, const struct change *ch, struct strbuf *out)
{
	struct strbuf sql, serial;

	strbuf_init(&sql);
	strbuf_init(&serial);
	serial_default_format(&serial, ch->rel.schema, ch->rel.name);
	strbuf_addstr(&sql, "SELECT s.name, r.name, c.name FROM columns c"
		      " JOIN relations r ON r.id = c.rel_id JOIN schemas s ON s.id = r.schema_id"
		      " WHERE instr(c.default_expr, '");
	add_sql_quoted(&sql, serial.buf);
	strbuf_addstr(&sql, "') > 0 OR instr(c.default_expr, 'nextval(''");
	add_sql_quoted(&sql, ch->rel.name);
	strbuf_addstr(&sql, "''') > 0 OR instr(c.default_expr, 'nextval(''");
	add_sql_quoted(&sql, ch->rel.schema);
	strbuf_addch(&sql, '.');
	add_sql_quoted(&sql, ch->rel.name);
	strbuf_addstr(&sql, "''') > 0 ORDER BY r.name, c.attnum");
	catalog_query(ctx_catalog(ctx), sql.buf, add_default, out, NULL);
	strbuf_release(&sql);
	strbuf_release(&serial);
}

static void check_change(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch)
{
	struct strbuf what, sb, extra;

	if (!ch->rel.known || ctx_rel_is_new(ctx, &ch->rel))
		return;
	strbuf_init(&what);
	strbuf_init(&sb);
	strbuf_init(&extra);
	describe(&what, st, ch);
	if (ch->kind == CH_DROP_SEQUENCE)
		sequence_defaults(ctx, ch, &extra);
	if (ch->nr_dropped || extra.len) {
		strbuf_addf(&sb, "CASCADE also removes what depends on %s: ", what.buf);
		for (int i = 0; i < ch->nr_dropped; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", ch->dropped[i]);
		strbuf_addf(&sb, "%s%s", ch->nr_dropped && extra.len ? ", " : "", extra.buf);
	} else {
		strbuf_addf(&sb, "nothing depends on %s today, but CASCADE will silently remove"
			    " whatever does by the time the migration runs; without it"
			    " PostgreSQL refuses and names the dependents", what.buf);
	}
	report(ctx, RULE_DROP_CASCADE, object_of(ch), "%s", sb.buf);
	strbuf_release(&what);
	strbuf_release(&sb);
	strbuf_release(&extra);
}

/* What CASCADE typically reaches from objects replay does not track
   dependents of. */
static const char *reach_of(enum obj_kind k)
{
	switch (k) {
	case OBJ_TYPE:
	case OBJ_DOMAIN:
		return "columns of that type (with their data), and functions, domains"
		       " and casts that use it";
	case OBJ_EXTENSION:
		return "columns of its types (with their data), indexes using its operator"
		       " classes, and functions and views that use it";
	case OBJ_FUNCTION:
	case OBJ_PROCEDURE:
		return "triggers that execute it, and defaults, CHECK constraints, indexes"
		       " and views that call it";
	default:
		return "every object that depends on it";
	}
}

static bool tracked_by_changes(enum obj_kind k)
{
	switch (k) {
	case OBJ_TABLE:
	case OBJ_VIEW:
	case OBJ_MATVIEW:
	case OBJ_SEQUENCE:
	case OBJ_INDEX:
	case OBJ_FOREIGN_TABLE:
	case OBJ_SCHEMA:
		return true;
	default:
		return false;
	}
}

/* A DROP TYPE of one of the statement's objects: did it exist? */
static bool type_was_dropped(const struct change *ch, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (ch[i].kind == CH_DROP_TYPE && ch[i].name && !strcmp(ch[i].name, name))
			return true;
	return false;
}

static bool same_name(const struct qname *a, const struct qname *b)
{
	return a->name && b->name && !strcmp(a->name, b->name) &&
	       (!a->schema || !b->schema || !strcmp(a->schema, b->schema));
}

/* Did an earlier statement of this file create the object (so whatever
   depends on it is new too)? CREATE OR REPLACE and IF NOT EXISTS may
   have found an existing one, so they do not count. */
static bool created_here(struct rule_ctx *ctx, enum obj_kind kind, const struct qname *q)
{
	const struct stmt *stmts;
	int nr, cur;

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int i = 0; i < cur && i < nr; i++) {
		const struct stmt *s = &stmts[i];

		switch (s->kind) {
		case ST_CREATE_ENUM:
			if (kind == OBJ_TYPE && same_name(&s->u.create_enum.name, q))
				return true;
			break;
		case ST_CREATE_COMPOSITE:
			if (kind == OBJ_TYPE && same_name(&s->u.composite.name, q))
				return true;
			break;
		case ST_CREATE_DOMAIN:
			if (kind == OBJ_DOMAIN && same_name(&s->u.domain.name, q))
				return true;
			break;
		case ST_CREATE_FUNCTION:
			if ((kind == OBJ_FUNCTION || kind == OBJ_PROCEDURE) &&
			    !s->u.function.or_replace && same_name(&s->u.function.name, q))
				return true;
			break;
		case ST_CREATE_EXTENSION:
			if (kind == OBJ_EXTENSION && !s->u.extension.if_not_exists &&
			    s->u.extension.name && !strcmp(s->u.extension.name, q->name))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

/* DROP TYPE / FUNCTION / EXTENSION / ... CASCADE: replay does not list
   their dependents, so say what CASCADE reaches from such an object. */
static void check_untracked(struct rule_ctx *ctx, const struct stmt *st,
			    const struct change *ch, int n)
{
	const struct drop_stmt *d = &st->u.drop;

	if (tracked_by_changes(d->kind) || d->kind == OBJ_TRIGGER || d->kind == OBJ_POLICY)
		return;
	for (int i = 0; i < d->nr_objects; i++) {
		const struct qname *q = &d->objects[i];

		if (!q->name)
			continue;
		if ((d->kind == OBJ_TYPE || d->kind == OBJ_DOMAIN) &&
		    !type_was_dropped(ch, n, q->name))
			continue;   /* IF EXISTS of a missing type, or unknown-object */
		if (created_here(ctx, d->kind, q))
			continue;
		report(ctx, RULE_DROP_CASCADE, object_path(q->schema, q->name, NULL),
		       "CASCADE also silently removes whatever depends on %s %s: %s",
		       obj_kind_name(d->kind), quote_rel(q->schema, q->name), reach_of(d->kind));
	}
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++)
		if (cascading_change(&ch[i]))
			check_change(ctx, st, &ch[i]);
	if (st->kind == ST_DROP && st->u.drop.cascade)
		check_untracked(ctx, st, ch, n);
}

const struct rule_impl rule_drop_cascade = { check, NULL };
