/*
 * parse_int.h - what parse.c and parse_node.c share: the parsing
 * module's context and the pieces of parse.c the tree walker calls.
 * Nothing outside those two files includes it.
 *
 * parse.c translates libpg_query's JSON trees; parse_node.c translates
 * the statements migsafe sees most (CREATE TABLE, ALTER TABLE, CREATE
 * INDEX) straight from the parser's own tree, and hands every other
 * statement, and every expression, to parse.c as JSON.
 */
#ifndef MIGSAFE_PARSE_INT_H
#define MIGSAFE_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <pg_query.h>

#include "ast.h"
#include "util.h"

struct strvec {
	const char **v;
	size_t nr, alloc;
};

struct qvec {
	struct qname *v;
	size_t nr, alloc;
};

struct pctx {
	struct arena *arena;
	const char *text;          /* the whole file */
	size_t len;
	size_t base;               /* file offset of the text being parsed */
	size_t limit;              /* end of that text in the file */
	size_t stmt_start;         /* the current statement: stands in for */
	size_t stmt_end;           /* locations libpg_query does not know */

	/* results, on the heap until they are moved into the arena (the
	   statements are an arena_block_resize() block, adopted whole) */
	struct stmt *stmts;
	size_t nr_stmts, alloc_stmts;
	struct sql_comment *comments;
	size_t nr_comments, alloc_comments;

	/* scratch space reused across statements */
	struct strbuf sb;          /* expression text */
	struct strbuf piece;       /* NUL-terminated piece for the slow path */
	struct strvec funcs, cols; /* one expression's functions and columns */
	bool has_subquery;
	struct qvec rels;          /* a view's relations ... */
	struct strvec ctes, relcols;  /* ... its CTE names and columns */

	/* a big file: the statements split_sql() found, not parsed yet */
	struct span { size_t start, end; } *run;
	size_t nr_run, alloc_run;
};

/* Copies into the statements' arena; NULL stays NULL. */
static inline char *sdup(struct pctx *ctx, const char *s)
{
	return arena_strdup(ctx->arena, s);
}

static inline char *sdup_lower(struct pctx *ctx, const char *s)
{
	char *p = sdup(ctx, s), *q;

	for (q = p; q && *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

/*
 * A new statement for the raw statement at 'loc' (its stmt_location)
 * of 'len' bytes (0: to the end of the text), trimmed of spaces and
 * comments; sets ctx->stmt_start/stmt_end to its span.
 */
struct stmt *pctx_begin_stmt(struct pctx *ctx, int loc, int len);

/* A file offset for a node's location (-1: the statement's start). */
size_t pctx_at(struct pctx *ctx, int location);

/*
 * The integer written at 'location' (-1: none, 0), read from the text:
 * libpg_query 15-4.0.0's JSON drops the value of a zero or negative
 * integer constant (fixed upstream in PR #249), and both readers of a
 * tree must agree on what they give for one.
 */
long pctx_int_at(struct pctx *ctx, int location);

/*
 * An expression's making: pctx_expr_begin() empties the scratch space
 * and gives a zeroed expression (in the arena); the caller renders the
 * text into ctx->sb (and the functions and columns it names into
 * ctx->funcs and ctx->cols); pctx_expr_text() copies them into it.
 */
struct expr *pctx_expr_begin(struct pctx *ctx);
void pctx_expr_text(struct pctx *ctx, struct expr *e);

/* The canonical name of a built-in type, or NULL; sets *serial. */
const char *pctx_builtin_type(const char *name, bool *serial);

/* A type as text: with its typmods when 'with_mods'; 'quote': names as
   an expression's text needs them (a cast) */
void pctx_type_text(struct strbuf *sb, const struct type_ref *t, bool with_mods, bool quote);

/* s between q's, each q in it doubled ('it''s') */
void pctx_quoted(struct strbuf *sb, const char *s, char q);

/* The strings of 'v', each once, copied into the arena; empties 'v'. */
const char **pctx_strvec_to_arena(struct pctx *ctx, struct strvec *v, int *nr);

/* Add to a strvec (its array on the heap). */
void pctx_strvec_add(struct strvec *v, const char *s);

/*
 * 'json' is libpg_query's JSON of one or more raw statements (a "stmts"
 * array): decode it in place and add its statements. Returns 0, or -1
 * when it does not decode (nothing added); then *node, when 'node' is
 * not NULL, is the first statement's node name (malloc'ed, or NULL).
 */
int pctx_add_json(struct pctx *ctx, char *json, char **node);

/* The node name of the (first) statement in a JSON text, read from the
   text, which may be cut short; malloc'ed, NULL when there is none. */
char *pctx_json_node_name(const char *json);

/*
 * 'json' is libpg_query's JSON of a "stmts" array whose one element's
 * "stmt" is an expression: the expression, as make_expr() reads it from
 * a statement's tree. *ok is set false when the text does not decode.
 */
struct expr *pctx_expr_json(struct pctx *ctx, char *json, bool *ok);

/*
 * parse_node.c: parse 'sql' (NUL-terminated; locations count from
 * ctx->base) and add its statements. Returns 0; 1 on a syntax error,
 * with *err set (free it with pg_query_free_error()); -1 when a
 * statement does not decode (nothing added), with *node as
 * pctx_add_json() sets it: its tree is nested deeper than migsafe reads.
 */
int node_parse(struct pctx *ctx, const char *sql, PgQueryError **err, char **node);

/*
 * parse_node.c: pg_query_parse() of 'sql', with the JSON writer's stack
 * bounded (pgguard.h): a tree nested deeper is an error, "stack depth
 * limit exceeded" as PostgreSQL says it. Free the result with
 * pg_query_free_parse_result().
 */
PgQueryParseResult node_parse_json(const char *sql);

/* libpg_query's, declared in its internal header only */
void pg_query_free_error(PgQueryError *error);

#endif
