/*
 * type-change-rewrite: ALTER COLUMN ... TYPE that keeps every value but
 * is not binary-coercible (int4 -> int8, timestamp -> timestamptz,
 * numeric scale up, char(n) -> text, json -> jsonb), or whose USING
 * expression computes new values: PostgreSQL rewrites the table and
 * rebuilds its indexes under ACCESS EXCLUSIVE (pg_locks.md, section 6).
 *
 * Narrowing changes are narrowing-type-change's. A USING that is just
 * the column, or the column cast to the new type, changes nothing
 * (PostgreSQL reduces it to the plain coercion); timestamp <->
 * timestamptz does not rewrite from PostgreSQL 12 when the session
 * TimeZone is UTC, which we know only if the file sets it.
 */
#include <ctype.h>
#include <string.h>

#include "helpers.h"
#include "locks.h"
#include "types.h"
#include "banned.h"

static const struct alter_cmd *cmd_of(const struct stmt *st, const struct change *ch)
{
	if (st->kind != ST_ALTER_TABLE)
		return NULL;
	for (int i = 0; i < st->u.alter_table.nr_cmds; i++)
		if (st->u.alter_table.cmds[i].start == ch->start)
			return &st->u.alter_table.cmds[i];
	return NULL;
}

/* The type as the parser renders a cast to it ("varchar(64)", "int8[]"). */
static void cast_text(struct strbuf *sb, const struct type_ref *t, bool with_schema)
{
	if (with_schema && t->schema)
		strbuf_addf(sb, "%s.", t->schema);
	strbuf_addstr(sb, t->name ? t->name : "?");
	for (int i = 0; i < t->nr_mods; i++)
		strbuf_addf(sb, "%s%d", i ? "," : "(", t->mods[i]);
	if (t->nr_mods > 0)
		strbuf_addch(sb, ')');
	for (int i = 0; i < t->array_dims; i++)
		strbuf_addstr(sb, "[]");
}

static bool is_cast_to(const char *rest, const struct type_ref *t, bool with_schema)
{
	struct strbuf sb;
	bool same;

	strbuf_init(&sb);
	cast_text(&sb, t, with_schema);
	same = !strcmp(rest, sb.buf);
	strbuf_release(&sb);
	return same;
}

/* USING col, or USING col::newtype: the plain coercion, nothing computed. */
static bool trivial_using(const struct expr *e, const char *column, const struct type_ref *to)
{
	size_t n = strlen(column);

	if (!e->text || e->nr_funcs || e->has_subquery || strncmp(e->text, column, n))
		return false;
	if (!e->text[n])
		return true;
	if (strncmp(e->text + n, "::", 2))
		return false;
	return is_cast_to(e->text + n + 2, to, false) || is_cast_to(e->text + n + 2, to, true);
}

static bool eq_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

static bool is_utc(const char *v)
{
	static const char *const zones[] = {
		"utc", "etc/utc", "gmt", "etc/gmt", "zulu", "etc/zulu", "universal",
		"etc/universal", "uct", "etc/uct", "z", "0", "+00:00", "00:00",
	};

	for (size_t i = 0; i < ARRAY_SIZE(zones); i++)
		if (eq_nocase(v, zones[i]))
			return true;
	return false;
}

/* Did an earlier statement of the file set TimeZone to UTC (and keep it)? */
static bool session_utc(struct rule_ctx *ctx)
{
	const struct stmt *stmts;
	const struct set_stmt *s;
	int nr, cur, tz = ctx_last_set(ctx, "timezone");

	if (tz < 0 || ctx_last_set(ctx, "all") > tz)
		return false;
	ctx_file_statements(ctx, &stmts, &nr, &cur);
	s = &stmts[tz].u.set;
	return !s->reset && s->nr_values == 1 && s->values[0] && is_utc(s->values[0]);
}

static bool is_timestamp_pair(const struct type_ref *a, const struct type_ref *b)
{
	return !a->schema && !b->schema && a->name && b->name && !a->array_dims &&
	       !b->array_dims &&
	       ((!strcmp(a->name, "timestamp") && !strcmp(b->name, "timestamptz")) ||
		(!strcmp(a->name, "timestamptz") && !strcmp(b->name, "timestamp")));
}

/*
 * The lock annotations (locks.h, from pg_locks.md) are the reference for
 * what rewrites: when none of this statement's ALTER COLUMN TYPE entries
 * for the table says "rewrite", stay quiet whatever we concluded here.
 */
static bool locks_say_no_rewrite(struct rule_ctx *ctx, const struct rel_ref *rel)
{
	const struct lock_list *l = ctx_locks(ctx);
	bool seen = false;

	for (int i = 0; l && i < l->nr; i++) {
		const struct lock *k = &l->items[i];

		if (!k->relation || strcmp(k->relation, rel->name) ||
		    (k->schema && strcmp(k->schema, rel->schema)) ||
		    !k->why || strcmp(k->why, "ALTER COLUMN TYPE"))
			continue;
		if (k->rewrite)
			return false;
		seen = true;
	}
	return seen;
}

static void check_change(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch)
{
	const struct alter_cmd *cmd = cmd_of(st, ch);
	const struct expr *using = cmd ? cmd->using_expr : NULL;
	enum type_change tc = type_change_classify(&ch->old_type, &ch->new_type, NULL);
	bool computed = using && !trivial_using(using, ch->column, &ch->new_type);
	bool tz = is_timestamp_pair(&ch->old_type, &ch->new_type);
	const char *rel = quote_rel(ch->rel.schema, ch->rel.name);

	if (tc == TC_NARROWING)
		return;   /* narrowing-type-change */
	if (tc == TC_REWRITE && tz && !computed && ctx_pg_version(ctx) >= 12 && session_utc(ctx))
		return;   /* catalog-only with TimeZone = UTC */
	if (tc != TC_REWRITE && !computed)
		return;   /* binary-coercible: catalog-only */
	if (locks_say_no_rewrite(ctx, &ch->rel))
		return;
	report(ctx, RULE_TYPE_CHANGE_REWRITE, object_path(ch->rel.schema, ch->rel.name, ch->column),
	       "changing %s.\"%s\" from %s to %s%s%s%s rewrites %s and all its indexes under an"
	       " ACCESS EXCLUSIVE lock: no reads or writes until it finishes%s",
	       rel, ch->column, type_str(&ch->old_type), type_str(&ch->new_type),
	       computed ? " USING (" : "", computed ? using->text : "", computed ? ")" : "", rel,
	       tz && !computed && ctx_pg_version(ctx) >= 12 ?
	       " (unless the session TimeZone is UTC)" : "");
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_ALTER_TYPE || !ch->rel.known || ctx_rel_is_new(ctx, &ch->rel))
			continue;
		check_change(ctx, st, ch);
	}
}

const struct rule_impl rule_type_change_rewrite = { check, NULL };
