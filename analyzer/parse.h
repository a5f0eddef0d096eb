/*
 * parse.h - SQL text to statements. The only module that includes
 * pg_query.h (parse.c and parse_node.c, with PostgreSQL's own node
 * headers, and the JSON decoder for its trees).
 *
 * parse_sql() parses one file's text (already masked by discovery: parts
 * of the file that the migration tool does not run are blanked with
 * spaces, newlines kept, so byte offsets are offsets into the real file).
 *
 * Error isolation: a syntax error does not hide the rest of the file.
 * The file is first parsed whole (fast path); when that fails, it is
 * split into statements by our own lexer (split.c, which knows strings,
 * dollar quotes, comments, parentheses and BEGIN ATOMIC bodies) and
 * each piece is parsed alone. A piece that fails becomes an
 * ST_SYNTAX_ERROR statement with error_offset at the parser's cursor
 * (as a byte offset into the file).
 *
 * Comments (-- and nested block comments) anywhere outside string
 * literals are recorded in stmt_list.comments, in order.
 */
#ifndef MIGSAFE_PARSE_H
#define MIGSAFE_PARSE_H

#include "ast.h"

/*
 * Parse text[0..len) (NUL-terminated) into 'out', which must be
 * initialised. Returns 0; -1 only for errors that are not the SQL's
 * fault (never for syntax errors). A PL/pgSQL DO block is parsed with
 * its file: parse_do_block()'s result is in the statement's do_block.
 */
int parse_sql(const char *text, size_t len, struct stmt_list *out);

/*
 * The splitter used for error recovery and for comment collection:
 * calls 'fn' for each statement span [start, end) (without the ';',
 * trimmed of leading/trailing whitespace and comments) and 'cfn' for
 * each comment. Either callback may be NULL. Unterminated strings,
 * quotes and comments end the statement at end of text.
 */
typedef void (*split_stmt_fn)(void *data, size_t start, size_t end);
typedef void (*split_comment_fn)(void *data, size_t start, size_t end);
void split_sql(const char *text, size_t len, split_stmt_fn fn,
	       split_comment_fn cfn, void *data);

/* split_sql(text, len, NULL, cfn, data), the same calls, faster: only
   what may hold a comment's start is lexed. */
void split_comments(const char *text, size_t len, split_comment_fn cfn, void *data);

/*
 * Offset of the first word 'kw' (lower case; matched case-insensitively)
 * in text[from..len) that is outside comments, literals, quoted
 * identifiers and parentheses opened after 'from'; 'len' when there is
 * none. Uses split_sql's lexer; parse.c finds the AS of CREATE VIEW
 * with it, because the tree does not say where the query starts.
 */
size_t sql_find_keyword(const char *text, size_t from, size_t len,
			const char *kw);

/*
 * The static SQL statements inside a PL/pgSQL DO block body (every
 * branch, in order, EXECUTE of a string constant included), parsed into
 * 'out' (initialised by the caller); their spans are offsets into a
 * scratch text, not the file. *dynamic is set when the body also runs
 * dynamic SQL (EXECUTE of a computed string). Returns how many
 * statements, or -1 when the body does not parse as PL/pgSQL or is
 * nested inside more DO blocks than are read (16, parse.c).
 */
int parse_do_block(const char *body, struct stmt_list *out, bool *dynamic);

/*
 * A view's query text with relation 'from' (in 'schema') renamed 'to':
 * its FROM items, and the columns qualified by its name where a FROM
 * item names it without an alias, as PostgreSQL prints a view after the
 * rename (it keeps views parsed, by OID). Malloc'ed; NULL when the text
 * does not name it or does not parse.
 */
char *sql_rename_relation(const char *query, const char *schema, const char *from,
			  const char *to);

/* The libpg_query version string (for 'migsafe version'). */
const char *parse_backend_version(void);

/*
 * Threads. parse_sql() and parse_do_block() may run on several threads
 * at once: libpg_query keeps its parser state per thread and frees a
 * thread's when the thread exits (so never call pg_query_exit() on a
 * thread that then exits: libpg_query 15's exit hook frees it again),
 * and cJSON's one global, its last-error position, is written by every
 * parse but never read by us. parse_thread_init() sets up the calling
 * thread's parser state, which the first parse does otherwise; a program
 * that parses on several threads calls it on each, one thread at a time
 * (libpg_query 15's setup writes one process-wide variable, the key of
 * its thread-exit hook).
 */
void parse_thread_init(void);

#endif
