/*
 * fk-type-mismatch: a foreign key whose column type differs from the
 * referenced column's (an integer user_id referencing a bigint id). The
 * types are read from the catalog after the statement, so columns
 * spelled through serial, aliases or LIKE compare by what they are;
 * referenced columns default to the target's primary key.
 *
 * Not a state-only rule: it fires on new tables too (a design flaw is
 * cheapest to fix before the table has rows). Quiet when either side is
 * a user-defined type (a domain over the other side's type is a common,
 * deliberate design), and for a different length or precision of the
 * same type family when the referencing column can hold every
 * referenced value (varchar(100) referencing text).
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "types.h"
#include "banned.h"

static bool text_family(const struct type_ref *t)
{
	return !strcmp(t->name, "text") || !strcmp(t->name, "varchar");
}

/* Can a column of type 'child' not faithfully reference one of 'parent'? */
static bool mismatch(const struct type_ref *child, const struct type_ref *parent)
{
	if (!child->name || !parent->name || child->schema || parent->schema)
		return false;
	if (child->array_dims != parent->array_dims)
		return true;
	if (!strcmp(child->name, parent->name) || (text_family(child) && text_family(parent)))
		return type_change_classify(parent, child, NULL) == TC_NARROWING;
	return true;
}

static int first_value(void *data, int ncols, const char *const *names,
		       const char *const *values)
{
	struct strbuf *out = data;

	(void)names;
	if (ncols > 0 && values[0])
		strbuf_addstr(out, values[0]);
	return 1;
}

/* The constraint's name as the catalog holds it (PostgreSQL generates one
   when the statement gives none): the one replay gave ALTER TABLE's
   constraint ('added'), else the newest FK from 'col' to 'ref' (a new
   table's: its column has no other). */
static void fk_name(struct rule_ctx *ctx, const struct constraint_def *con, const char *added,
		    cat_id col, cat_id ref, struct strbuf *out)
{
	char ref_text[24];

	if (con->name || added) {
		strbuf_addstr(out, con->name ? con->name : added);
		return;
	}
	snprintf(ref_text, sizeof(ref_text), "%lld", (long long)ref);
	catalog_query_static(ctx_catalog(ctx),
			     "SELECT k.name FROM constraints k JOIN constraint_columns cc"
			     " ON cc.con_id = k.id WHERE k.kind = 'f' AND cc.column_id = ?1"
			     " AND cc.ref_column_id = CAST(?2 AS INTEGER) ORDER BY k.id DESC LIMIT 1",
			     col, ref_text, NULL, first_value, out);
}

static void report_pair(struct rule_ctx *ctx, const struct rel_ref *child,
			const struct constraint_def *con, const char *added,
			const struct cat_rel *parent, const struct cat_col *cc,
			const struct cat_col *pc)
{
	struct strbuf fk;
	bool narrower = type_change_classify(&pc->type, &cc->type, NULL) == TC_NARROWING;

	strbuf_init(&fk);
	fk_name(ctx, con, added, cc->id, pc->id, &fk);
	report(ctx, RULE_FK_TYPE_MISMATCH, object_path(child->schema, child->name, cc->name),
	       "foreign key %s%s%s on %s: column \"%s\" is %s but the referenced %s.\"%s\""
	       " is %s%s", fk.len ? "\"" : "", fk.buf, fk.len ? "\"" : "",
	       quote_rel(child->schema, child->name), cc->name,
	       type_str(&cc->type), quote_rel(parent->schema, parent->name), pc->name,
	       type_str(&pc->type),
	       narrower ? "; it cannot hold every value of the referenced column, so some rows"
			  " of the referenced table can never be referenced" :
			  "; joins and the constraint's checks compare values of different types");
	strbuf_release(&fk);
}

static void check_fk(struct rule_ctx *ctx, const struct rel_ref *child,
		     const struct constraint_def *con, const char *added)
{
	struct catalog *c = ctx_catalog(ctx);
	struct cat_rel parent;
	cat_id *pk = NULL;
	int nr_ref = con->nr_ref_columns;

	if (con->kind != CON_FOREIGN || !child->known || !con->ref_table.name ||
	    ctx_find_rel(ctx, &con->ref_table, &parent))
		return;
	if (!nr_ref && cat_primary_key(c, parent.id, &pk, &nr_ref))
		return;
	for (int i = 0; nr_ref == con->nr_columns && i < nr_ref; i++) {
		struct cat_col cc, pc;

		if (cat_col_find(c, child->id, con->columns[i], &cc))
			continue;
		if (pk ? cat_col_get(c, pk[i], &pc)
		       : cat_col_find(c, parent.id, con->ref_columns[i], &pc))
			continue;
		if (mismatch(&cc.type, &pc.type))
			report_pair(ctx, child, con, added, &parent, &cc, &pc);
	}
	free(pk);
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		if (ch->kind == CH_ADD_CONSTRAINT && ch->con) {
			check_fk(ctx, &ch->rel, ch->con, ch->con_name);
		} else if (ch->kind == CH_CREATE_TABLE && st->kind == ST_CREATE_TABLE) {
			const struct create_table *ct = &st->u.create_table;

			for (int j = 0; j < ct->nr_constraints; j++)
				check_fk(ctx, &ch->rel, &ct->constraints[j], NULL);
		}
	}
}

const struct rule_impl rule_fk_type_mismatch = { check, NULL };
