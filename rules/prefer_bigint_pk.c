/*
 * prefer-bigint-pk: a primary key column of type integer or smallint
 * (serial and smallserial included), declared by CREATE TABLE or added
 * with ALTER TABLE ... ADD PRIMARY KEY.
 *
 * A single-column key is reported whatever fills it. In a composite key
 * only the columns a sequence fills (serial, identity, a nextval()
 * default) are: the others are usually references to other tables,
 * whose own keys are where the limit is, or small ordinals.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "types.h"
#include "banned.h"

struct pk_column {
	const char *name;
	struct type_ref type;
	bool from_sequence;     /* serial, identity or nextval() default */
};

static bool is_small_int(const struct type_ref *t)
{
	return t->name && !t->schema && !t->array_dims &&
	       (!strcmp(t->name, "int4") || !strcmp(t->name, "int2"));
}

static bool calls_nextval(const struct expr *e)
{
	for (int i = 0; e && i < e->nr_funcs; i++)
		if (!strcmp(e->funcs[i], "nextval"))
			return true;
	return false;
}

static void from_coldef(struct pk_column *c, const struct column_def *def)
{
	c->name = def->name;
	c->type = def->type;
	c->from_sequence = def->type.serial || def->identity != IDENTITY_NONE ||
			   calls_nextval(def->default_expr);
}

static const char *type_spelling(const struct type_ref *t)
{
	if (t->serial)
		return !strcmp(t->name, "int2") ? "smallserial" : "serial";
	return type_str(t);
}

static void report_column(struct rule_ctx *ctx, const char *schema, const char *table,
			  const struct pk_column *c, int nr_key)
{
	bool two = !strcmp(c->type.name, "int2");

	if (!is_small_int(&c->type) || (nr_key > 1 && !c->from_sequence))
		return;
	report(ctx, RULE_PREFER_BIGINT_PK, object_path(schema, table, c->name),
	       "primary key column %s.\"%s\" is %s: it runs out of values at %s, and"
	       " widening it later rewrites the table and its indexes under an ACCESS"
	       " EXCLUSIVE lock; use bigint",
	       quote_rel(schema, table), c->name, type_spelling(&c->type),
	       two ? "32767" : "2147483647");
}

static const struct column_def *find_coldef(const struct create_table *ct, const char *name)
{
	for (int i = 0; i < ct->nr_columns; i++)
		if (ct->columns[i].type.name && !strcmp(ct->columns[i].name, name))
			return &ct->columns[i];
	return NULL;
}

static void check_create(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch,
			 int n)
{
	const struct create_table *ct = &st->u.create_table;
	const char *schema = ct->name.schema, *table = ct->name.name;
	bool created = false;

	for (int i = 0; i < n; i++)
		if (ch[i].kind == CH_CREATE_TABLE) {
			schema = ch[i].rel.schema;
			table = ch[i].rel.name;
			created = true;
		}
	if (!created && ct->if_not_exists)
		return;   /* the table was there already: nothing was created */
	for (int i = 0; i < ct->nr_constraints; i++) {
		const struct constraint_def *con = &ct->constraints[i];

		if (con->kind != CON_PRIMARY)
			continue;
		for (int j = 0; j < con->nr_columns; j++) {
			const struct column_def *def = find_coldef(ct, con->columns[j]);
			struct pk_column c;

			if (!def)
				continue;   /* from LIKE, INHERITS or PARTITION OF */
			from_coldef(&c, def);
			report_column(ctx, schema, table, &c, con->nr_columns);
		}
	}
}

/* A key column of ALTER TABLE ... ADD PRIMARY KEY: added by the same
   statement, or already in the table. */
static int alter_pk_column(struct rule_ctx *ctx, const struct change *ch, int n,
			   const struct rel_ref *rel, const char *name, struct pk_column *c,
			   struct cat_col *col)
{
	for (int i = 0; i < n; i++)
		if (ch[i].kind == CH_ADD_COLUMN && ch[i].coldef && !strcmp(ch[i].coldef->name, name)) {
			from_coldef(c, ch[i].coldef);
			return 0;
		}
	if (!rel->known || cat_col_find(ctx_catalog(ctx), rel->id, name, col))
		return -1;
	c->name = name;
	c->type = col->type;
	c->from_sequence = col->identity || (col->has_default && col->default_volatility == 'v');
	return 0;
}

static void check_key_column(struct rule_ctx *ctx, const struct change *ch, int n,
			     const struct change *pk, const char *name, int nr_key)
{
	struct pk_column c;
	struct cat_col col;

	if (!alter_pk_column(ctx, ch, n, &pk->rel, name, &c, &col))
		report_column(ctx, pk->rel.schema, pk->rel.name, &c, nr_key);
}

static void check_add_pk(struct rule_ctx *ctx, const struct change *ch, int n,
			 const struct change *pk)
{
	cat_id *ids = NULL;
	int nr = 0;

	if (pk->con->nr_columns) {
		for (int i = 0; i < pk->con->nr_columns; i++)
			check_key_column(ctx, ch, n, pk, pk->con->columns[i], pk->con->nr_columns);
		return;
	}
	/* ADD PRIMARY KEY USING INDEX: the key is the index's columns */
	if (!pk->rel.known || cat_primary_key(ctx_catalog(ctx), pk->rel.id, &ids, &nr))
		return;
	for (int i = 0; i < nr; i++) {
		struct cat_col col;

		if (!cat_col_get(ctx_catalog(ctx), ids[i], &col))
			check_key_column(ctx, ch, n, pk, col.name, nr);
	}
	free(ids);
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	if (st->kind == ST_CREATE_TABLE) {
		check_create(ctx, st, ch, n);
		return;
	}
	for (int i = 0; i < n; i++)
		if (ch[i].kind == CH_ADD_CONSTRAINT && ch[i].con_kind == CON_PRIMARY && ch[i].con)
			check_add_pk(ctx, ch, n, &ch[i]);
}

const struct rule_impl rule_prefer_bigint_pk = { check, NULL };
