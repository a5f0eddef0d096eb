/*
 * ast.c - lifecycle of a file's statement list and the names of object
 * kinds used in messages.
 */
#include "ast.h"
#include "source.h"

#include "banned.h"

void stmt_list_init(struct stmt_list *l)
{
	arena_init(&l->arena);
	l->stmts = NULL;
	l->nr = 0;
	l->comments = NULL;
	l->nr_comments = 0;
}

void stmt_list_release(struct stmt_list *l)
{
	for (int i = 0; i < l->nr; i++)
		if (l->stmts[i].kind == ST_DO && l->stmts[i].u.do_block.inner)
			stmt_list_release(l->stmts[i].u.do_block.inner);
	arena_release(&l->arena);
	stmt_list_init(l);
}

void stmt_list_place(struct stmt_list *l, const struct source_file *src)
{
	for (int i = 0; i < l->nr; i++) {
		struct stmt *st = &l->stmts[i];
		struct srcpos a = source_pos(src, st->start), b = source_pos(src, st->end);

		st->place.line = a.line;
		st->place.col = a.col;
		st->place.end_line = b.line;
		st->place.end_col = b.col;
		st->place.hash = source_fingerprint(src, st->start, st->end);
	}
}

/* As PostgreSQL's own messages name them ("materialized view"). */
const char *obj_kind_name(enum obj_kind k)
{
	switch (k) {
	case OBJ_TABLE:
		return "table";
	case OBJ_INDEX:
		return "index";
	case OBJ_VIEW:
		return "view";
	case OBJ_MATVIEW:
		return "materialized view";
	case OBJ_SEQUENCE:
		return "sequence";
	case OBJ_SCHEMA:
		return "schema";
	case OBJ_TYPE:
		return "type";
	case OBJ_DOMAIN:
		return "domain";
	case OBJ_EXTENSION:
		return "extension";
	case OBJ_FUNCTION:
		return "function";
	case OBJ_PROCEDURE:
		return "procedure";
	case OBJ_TRIGGER:
		return "trigger";
	case OBJ_POLICY:
		return "policy";
	case OBJ_COLUMN:
		return "column";
	case OBJ_CONSTRAINT:
		return "constraint";
	case OBJ_DATABASE:
		return "database";
	case OBJ_FOREIGN_TABLE:
		return "foreign table";
	case OBJ_NONE:
	case OBJ_OTHER:
		break;
	}
	return "object";
}
