/*
 * unique-on-existing-data: a unique index or constraint on columns that
 * already hold data fails when two rows share a key. Quiet when the data
 * cannot hold duplicates: the table is new, a key column was added in
 * this migration and is NULL in every row (NULLs are distinct) or gets a
 * value per row (identity, serial, volatile default), a key column is
 * GENERATED ALWAYS AS IDENTITY (only its sequence writes it), or the table
 * already has a unique index on a subset of the key. ADD ... USING INDEX
 * is quiet: the index it takes over is unique already.
 */
#include <string.h>

#include "helpers.h"
#include "banned.h"

#define MAX_KEY 32

/* What the rows of a key column hold. */
enum col_data {
	DATA_EXISTING,   /* whatever production wrote */
	DATA_NULL,       /* added in this migration without a default */
	DATA_PER_ROW,    /* added here with a value computed per row */
	DATA_SAME,       /* added here with one default for every row */
};

struct key {
	const char *cols[MAX_KEY];   /* column names the key uses */
	int nr;
	bool plain;                  /* only plain columns, no expressions */
	bool nulls_not_distinct;
	struct strbuf shown;         /* "("email", lower(name))" */
};

static void key_add(struct key *k, const char *col)
{
	for (int i = 0; i < k->nr; i++)
		if (!strcmp(k->cols[i], col))
			return;
	if (k->nr < MAX_KEY)
		k->cols[k->nr++] = col;
	else
		k->plain = false;   /* too wide to reason about: stay careful */
}

static void key_from_index(struct key *k, const struct index_def *ix)
{
	k->nulls_not_distinct = ix->nulls_not_distinct;
	for (int i = 0; i < ix->nr_elems; i++) {
		const struct index_elem *e = &ix->elems[i];

		strbuf_addstr(&k->shown, i ? ", " : "(");
		if (e->column) {
			key_add(k, e->column);
			strbuf_addf(&k->shown, "\"%s\"", e->column);
			continue;
		}
		k->plain = false;
		strbuf_addstr(&k->shown, e->expr && e->expr->text ? e->expr->text : "...");
		for (int j = 0; e->expr && j < e->expr->nr_columns; j++)
			key_add(k, e->expr->columns[j]);
	}
	strbuf_addch(&k->shown, ')');
}

static void key_from_constraint(struct key *k, const struct constraint_def *cd)
{
	for (int i = 0; i < cd->nr_columns; i++) {
		key_add(k, cd->columns[i]);
		strbuf_addf(&k->shown, "%s\"%s\"", i ? ", " : "(", cd->columns[i]);
	}
	strbuf_addch(&k->shown, ')');
}

static bool same_rel(const struct qname *q, const struct rel_ref *rel)
{
	return q->name && !strcmp(q->name, rel->name) &&
	       (!q->schema || !rel->schema || !strcmp(q->schema, rel->schema));
}

/* Did an earlier statement of this file write rows of the table? */
static bool rows_written_here(struct rule_ctx *ctx, const struct rel_ref *rel)
{
	const struct stmt *stmts;
	const int *idx;
	int nr, cur, n = ctx_stmts_naming(ctx, rel->name, &idx);

	ctx_file_statements(ctx, &stmts, &nr, &cur);
	for (int j = 0; j < n && idx[j] < cur; j++) {
		const struct stmt *s = &stmts[idx[j]];

		if ((s->kind == ST_INSERT || s->kind == ST_UPDATE) && same_rel(&s->u.dml.rel, rel))
			return true;
	}
	return false;
}

/* Created in the current file: the engine's "new" test without the range. */
static bool made_in_this_file(const struct rule_ctx *ctx, int created_file)
{
	struct rel_ref r = { .known = true, .created_file = created_file };

	return ctx_rel_is_new(ctx, &r);
}

static enum col_data column_data(struct rule_ctx *ctx, const struct rel_ref *rel,
				 const char *name, bool written)
{
	struct cat_col col;

	if (cat_col_find(ctx_catalog(ctx), rel->id, name, &col))
		return DATA_EXISTING;
	if (col.identity == IDENTITY_ALWAYS)
		return DATA_PER_ROW;   /* only the sequence writes it */
	if (written || !made_in_this_file(ctx, col.created_file) || col.generated)
		return DATA_EXISTING;
	if (col.identity || (col.has_default && col.default_volatility == 'v'))
		return DATA_PER_ROW;
	return col.has_default ? DATA_SAME : DATA_NULL;
}

/* ---- an existing unique index on a subset of the key ---- */

struct subset_scan {
	const struct rule_ctx *ctx;
	const struct key *key;
	int line;                   /* of the current statement */
	cat_id cur;                 /* index being collected, 0: none yet */
	bool ok;                    /* so far a usable subset */
	bool found;
};

static bool in_key(const struct key *k, const char *col)
{
	for (int i = 0; i < k->nr; i++)
		if (!strcmp(k->cols[i], col))
			return true;
	return false;
}

/* One key column of each unique, non-partial index, an index's columns
   together (their order does not matter). */
static void subset_col(void *data, cat_id index, int created_file, int line,
		       const char *column, bool not_null)
{
	struct subset_scan *s = data;

	if (index != s->cur) {
		s->found |= s->cur && s->ok;
		s->cur = index;
		/* the statement's own index does not count */
		s->ok = !(made_in_this_file(s->ctx, created_file) && line == s->line);
	}
	if (!column || !in_key(s->key, column) || (s->key->nulls_not_distinct && !not_null))
		s->ok = false;
}

static bool covered_by_unique_index(struct rule_ctx *ctx, const struct rel_ref *rel,
				    const struct key *k)
{
	struct subset_scan s = { ctx, k, ctx_line(ctx), 0, false, false };

	if (!k->plain || !rel->known)
		return false;
	cat_foreach_unique_key_column(ctx_catalog(ctx), rel->id, subset_col, &s);
	s.found |= s.cur && s.ok;
	return s.found;
}

/* ---- the verdict ---- */

/* Returns the column every row shares a value of (all key columns were
   added here with one default), "" when duplicates are possible, or NULL
   when they are not. */
static const char *duplicates_possible(struct rule_ctx *ctx, const struct stmt *st,
				       const struct rel_ref *rel, const struct key *k)
{
	bool written = rows_written_here(ctx, rel), all_same = k->nr > 0;
	const char *same = NULL;

	for (int i = 0; i < k->nr; i++) {
		enum col_data d = column_data(ctx, rel, k->cols[i], written);

		if (d == DATA_PER_ROW || (d == DATA_NULL && !k->nulls_not_distinct))
			return NULL;
		if (d == DATA_SAME && !same)
			same = k->cols[i];
		all_same &= d == DATA_SAME;
	}
	if (all_same)
		return same;
	return covered_by_unique_index(ctx, rel, k) ? NULL : "";
}

static void check_key(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch,
		      const char *what, struct key *k)
{
	const char *same = duplicates_possible(ctx, st, &ch->rel, k);
	const char *table = quote_rel(ch->rel.schema, ch->rel.name);

	if (!same)
		return;
	if (*same)
		report(ctx, RULE_UNIQUE_ON_EXISTING_DATA,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "%s %s on existing table %s fails as soon as the table has two rows: \"%s\""
		       " was added in this migration with one default for every row",
		       what, k->shown.buf, table, same);
	else
		report(ctx, RULE_UNIQUE_ON_EXISTING_DATA,
		       object_path(ch->rel.schema, ch->rel.name, NULL),
		       "%s %s on existing table %s fails if existing rows hold duplicate values%s",
		       what, k->shown.buf, table,
		       ch->kind == CH_CREATE_INDEX && ch->concurrently
		       ? "; a failed CONCURRENTLY build leaves an INVALID index behind" : "");
}

static void check(struct rule_ctx *ctx, const struct stmt *st, const struct change *ch, int n)
{
	for (int i = 0; i < n; i++, ch++) {
		struct key k = { .plain = true };
		char what[NAMEBUF + 32];

		if (ctx_rel_is_new(ctx, &ch->rel))
			continue;
		strbuf_init(&k.shown);
		if (ch->kind == CH_CREATE_INDEX && ch->index && ch->index->unique) {
			if (ch->name && *ch->name)
				snprintf(what, sizeof(what), "unique index \"%s\"", ch->name);
			else
				snprintf(what, sizeof(what), "unique index");
			key_from_index(&k, ch->index);
			check_key(ctx, st, ch, what, &k);
		} else if (ch->kind == CH_ADD_CONSTRAINT && ch->con && !ch->con->using_index &&
			   (ch->con_kind == CON_UNIQUE || ch->con_kind == CON_PRIMARY)) {
			snprintf(what, sizeof(what), "%s",
				 ch->con_kind == CON_PRIMARY ? "ADD PRIMARY KEY" : "ADD UNIQUE");
			key_from_constraint(&k, ch->con);
			check_key(ctx, st, ch, what, &k);
		}
		strbuf_release(&k.shown);
	}
}

const struct rule_impl rule_unique_on_existing_data = { check, NULL };
