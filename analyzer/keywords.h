/*
 * keywords.h - whether PostgreSQL's quote_identifier() quotes a name.
 */
#ifndef MIGSAFE_KEYWORDS_H
#define MIGSAFE_KEYWORDS_H

#include <stdbool.h>

/*
 * True when quote_identifier() would double-quote 's': it is empty, is
 * not only a-z, 0-9 and '_', starts with a digit, or is a keyword of any
 * category but unreserved (user, order, precision, left; not name, data).
 * The keyword list is libpg_query's own, so it is the parser's.
 */
bool ident_needs_quotes(const char *s);

#endif
