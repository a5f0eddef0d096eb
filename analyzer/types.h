/*
 * types.h - PostgreSQL type knowledge that needs no catalog: how
 * format_type() spells a type, what an ALTER COLUMN TYPE does to the
 * stored values, and the volatility of built-in functions.
 */
#ifndef MIGSAFE_TYPES_H
#define MIGSAFE_TYPES_H

#include "ast.h"

/* Append the type as PostgreSQL's format_type() prints it
   ("character varying(64)", "timestamp with time zone", "integer[]"). */
void type_format(const struct type_ref *t, struct strbuf *out);

/* The same, into a static rotating buffer (for messages; 8 slots). */
const char *type_str(const struct type_ref *t);

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

#endif
