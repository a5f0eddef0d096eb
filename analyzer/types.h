/*
 * types.h - PostgreSQL type knowledge that needs no catalog: how
 * format_type() spells a type (and quote_identifier() a name), what an
 * ALTER COLUMN TYPE does to the stored values, the default a serial
 * column gets (and the sequence a nextval() default names), and the
 * volatility of built-in functions.
 */
#ifndef MIGSAFE_TYPES_H
#define MIGSAFE_TYPES_H

#include "ast.h"

/* Append the type as PostgreSQL's format_type() prints it
   ("character varying(64)", "timestamp with time zone", "integer[]"). */
void type_format(const struct type_ref *t, struct strbuf *out);

/* The same, into a static rotating buffer (for messages; 8 slots). */
const char *type_str(const struct type_ref *t);

/*
 * Append the name 's' as PostgreSQL's quote_identifier() prints it (what
 * format_type() and regclass output use): bare when it is only a-z, 0-9
 * and '_', does not start with a digit and is not a keyword other than
 * an unreserved one (keywords.h); otherwise double-quoted, inner double
 * quotes doubled ("Users", "my table", "abc$", "user", "order", any
 * non-ASCII name).
 */
void add_ident(struct strbuf *out, const char *s);

/*
 * Append the default of a serial column whose sequence is schema.seq
 * (schema NULL: public), as pg_get_expr() prints it with a fresh
 * session's search path: nextval() of a regclass constant that names the
 * sequence qualified outside public, each part through add_ident()
 * (nextval('orders_id_seq'::regclass),
 * nextval('billing."Order_id_seq"'::regclass)).
 */
void serial_default_format(struct strbuf *out, const char *schema, const char *seq);

/*
 * The sequence a default names when it is only nextval() of a constant,
 * as parse.c spells it (nextval('s'), nextval('billing.s'::regclass)),
 * the constant read as regclass input reads it: a part in double quotes
 * as written ("" for "), one without folded to lower case (ASCII
 * letters), spaces around a part ignored. Fills name and schema ("" when
 * not qualified), 'size' bytes each. Returns 0, or -1 for a default of
 * another shape or a constant it does not read (three parts, an empty
 * part, one of 'size' bytes or more, where PostgreSQL would cut it).
 */
int nextval_default_parse(const char *text, char *schema, char *name, size_t size);

enum type_change {
	TC_SAME,        /* no change */
	TC_COMPATIBLE,  /* binary coercible: catalog-only, no rewrite
	                   (varchar(n) -> varchar(m > n), varchar -> text) */
	TC_REWRITE,     /* every old value fits, but the table is rewritten
	                   (int4 -> int8, numeric scale up) */
	TC_NARROWING,   /* some old values do not fit or change meaning */
};

/*
 * Classify ALTER COLUMN ... TYPE from 'from' to 'to'. When narrowing,
 * *why (if not NULL) is set to a short static explanation
 * ("values longer than 32 characters are rejected").
 */
enum type_change type_change_classify(const struct type_ref *from,
				      const struct type_ref *to, const char **why);

bool type_equal(const struct type_ref *a, const struct type_ref *b);

/*
 * Volatility of a built-in function by name: 'i' immutable, 's' stable,
 * 'v' volatile, 0 unknown.
 */
char builtin_volatility(const char *func);

/*
 * An expression's text (a CHECK, a default, an index key or predicate,
 * as parse.c renders it: strings in single quotes, names bare, where a
 * bare keyword is never a column since a column so named is rendered
 * quoted, or double-quoted) with every reference to column 'from'
 * naming 'to' instead: a string the caller frees, or NULL when the
 * text has none (a type after '::', a qualified name's part and a
 * function's name are not column references).
 */
char *expr_rename_column(const char *text, const char *from, const char *to);

#endif
