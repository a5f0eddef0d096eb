/*
 * naming-convention: names created or given by a statement must match
 * the PCRE2 pattern configured for their kind ("naming" in
 * .migsafe.json). Names PostgreSQL generates for indexes count too (an
 * unnamed index is named by PostgreSQL); generated constraint names are
 * not checked.
 */
#include "helpers.h"
#include "config.h"
#include "banned.h"

static void check_name(struct rule_ctx *ctx, enum naming_kind kind, const char *name,
		       const char *object)
{
	const struct config *cfg = ctx_config(ctx);

	if (!name || config_name_ok(cfg, kind, name))
		return;
	report(ctx, RULE_NAMING_CONVENTION, object,
	       "%s name \"%s\" does not match the configured pattern /%s/",
	       naming_kind_name(kind), name, cfg->naming[kind]);
}

static enum naming_kind con_kind_of(enum con_kind k)
{
	return k == CON_FOREIGN ? NAMING_FOREIGN_KEY : NAMING_CONSTRAINT;
}

static void create_table(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch)
{
	const struct create_table *ct = &st->u.create_table;

	check_name(ctx, NAMING_TABLE, ch->rel.name, object_path(ch->rel.schema, ch->rel.name, NULL));
	for (int i = 0; i < ct->nr_columns; i++)
		if (ct->columns[i].type.name)
			check_name(ctx, NAMING_COLUMN, ct->columns[i].name,
				   object_path(ch->rel.schema, ch->rel.name, ct->columns[i].name));
	for (int i = 0; i < ct->nr_constraints; i++)
		check_name(ctx, con_kind_of(ct->constraints[i].kind), ct->constraints[i].name,
			   object_path(ch->rel.schema, ch->rel.name, NULL));
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		const char *obj = object_path(ch->rel.schema, ch->rel.name, ch->column);

		switch (ch->kind) {
		case CH_CREATE_TABLE:
			create_table(ctx, st, ch);
			break;
		case CH_ADD_COLUMN:
			check_name(ctx, NAMING_COLUMN, ch->column, obj);
			break;
		case CH_ADD_CONSTRAINT:
			check_name(ctx, con_kind_of(ch->con_kind), ch->name, obj);
			break;
		case CH_CREATE_INDEX:
			check_name(ctx, NAMING_INDEX, ch->name, obj);
			break;
		case CH_RENAME_TABLE:
			check_name(ctx, NAMING_TABLE, ch->new_name, obj);
			break;
		case CH_RENAME_COLUMN:
			check_name(ctx, NAMING_COLUMN, ch->new_name, obj);
			break;
		case CH_RENAME_CONSTRAINT:
			check_name(ctx, NAMING_CONSTRAINT, ch->new_name, obj);
			break;
		case CH_RENAME_INDEX:
			check_name(ctx, NAMING_INDEX, ch->new_name, obj);
			break;
		default:
			break;
		}
	}
}

const struct rule_impl rule_naming_convention = { check, NULL };
