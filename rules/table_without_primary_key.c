/*
 * table-without-primary-key: a table created in the lint range that has
 * no primary key at its end, reported at its CREATE TABLE; and an
 * existing table whose primary key a statement drops without the
 * migration file adding one back, reported at that statement.
 *
 * Quiet for partitions (the key belongs on the partitioned table, which
 * is reported itself when it was created in the range), the migration
 * tools' bookkeeping tables, and tables dropped again by the end. Old
 * keyless tables that the range merely alters are not reported: the
 * migration did not make them so.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* ---- the end state of tables created in the range ---- */

struct keyless {
	char schema[NAMEBUF], table[NAMEBUF];
	char unique[NAMEBUF];   /* a UNIQUE constraint on NOT NULL columns, or "" */
	struct loc loc;
};

struct keyless_list {
	struct keyless *items;
	int nr;
	size_t alloc;
};

static void copy_text(char *dst, const char *src)
{
	snprintf(dst, NAMEBUF, "%s", src ? src : "");
}

static void collect(void *data, const char *schema, const char *table, int created_file,
		    int line, const char *unique)
{
	struct keyless_list *l = data;
	struct keyless *k;

	ALLOC_GROW(l->items, (size_t)l->nr + 1, l->alloc);
	k = &l->items[l->nr++];
	memset(k, 0, sizeof(*k));
	copy_text(k->schema, schema);
	copy_text(k->table, table);
	copy_text(k->unique, unique);
	/* relations keep the file and line of the CREATE TABLE, not its
	   column or span: the finding points at the start of that line */
	k->loc.file_index = created_file;
	k->loc.line = line;
	k->loc.col = 1;
}

static void report_keyless(struct rule_ctx *ctx, const struct keyless *k)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_addf(&sb, "table %s has no primary key: nothing identifies a single row,"
		    " duplicate rows go unnoticed, and logical replication rejects its UPDATEs"
		    " and DELETEs unless a replica identity is set", quote_rel(k->schema, k->table));
	if (*k->unique)
		strbuf_addf(&sb, "; its UNIQUE constraint \"%s\" on NOT NULL columns could"
			    " become the primary key", k->unique);
	report_at(ctx, RULE_TABLE_WITHOUT_PRIMARY_KEY, &k->loc,
		  object_path(k->schema, k->table, NULL), "%s", sb.buf);
	strbuf_release(&sb);
}

static void check_range(struct rule_ctx *ctx)
{
	struct keyless_list l = { NULL, 0, 0 };

	cat_foreach_keyless_table(ctx_catalog(ctx), collect, &l);
	for (int i = 0; i < l.nr; i++)
		report_keyless(ctx, &l.items[i]);
	free(l.items);
}

/* ---- an existing table's primary key dropped ---- */

static bool is_rel(struct rule_ctx *ctx, const struct qname *qn, cat_id id)
{
	struct cat_rel rel;

	return !ctx_find_rel(ctx, qn, &rel) && rel.id == id;
}

static bool adds_primary_key(const struct alter_table *at)
{
	for (int i = 0; i < at->nr_cmds; i++)
		if (at->cmds[i].kind == AT_ADD_CONSTRAINT && at->cmds[i].con &&
		    at->cmds[i].con->kind == CON_PRIMARY)
			return true;
	return false;
}

/* Does a later statement of the file give the table a key, or drop it? */
static bool settled_later(struct rule_ctx *ctx, cat_id id)
{
	const struct stmt *stmts;
	int nr, cur;

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int i = cur + 1; i < nr; i++) {
		const struct stmt *st = &stmts[i];

		if (st->kind == ST_ALTER_TABLE && adds_primary_key(&st->u.alter_table) &&
		    is_rel(ctx, &st->u.alter_table.rel, id))
			return true;
		if (st->kind == ST_DROP && st->u.drop.kind == OBJ_TABLE)
			for (int j = 0; j < st->u.drop.nr_objects; j++)
				if (is_rel(ctx, &st->u.drop.objects[j], id))
					return true;
	}
	return false;
}

static bool has_primary_key(struct rule_ctx *ctx, cat_id rel)
{
	cat_id *cols = NULL;
	int nr = 0, ret = cat_primary_key(ctx_catalog(ctx), rel, &cols, &nr);

	free(cols);
	return !ret;
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind != CH_DROP_CONSTRAINT || ch->con_kind != CON_PRIMARY)
			continue;
		/* tables created in the range are judged by their end state */
		if (!ch->rel.known || ch->rel.created_in_range)
			continue;
		if (has_primary_key(ctx, ch->rel.id) || settled_later(ctx, ch->rel.id))
			continue;
		report(ctx, RULE_TABLE_WITHOUT_PRIMARY_KEY,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "dropping primary key \"%s\" leaves table %s without one, and this migration"
		       " adds none back: nothing identifies a single row any more, and logical"
		       " replication rejects its UPDATEs and DELETEs unless a replica identity is set",
		       ch->name, quote_rel(ch->rel.schema, ch->rel.name));
	}
}

const struct rule_impl rule_table_without_primary_key = { check, check_range };
