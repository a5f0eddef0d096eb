/*
 * sqlite_lex.h - SQLite's tokens, for the little the SQLite dialect must
 * know about a statement's text that SQLite's own parser does not tell:
 * where a statement that SQLite rejects ends, which clauses a copy
 * (INSERT ... SELECT) has, the parts of a stored CREATE statement
 * (CHECK and generated expressions, an index's expressions and WHERE).
 *
 * The tokenizer follows SQLite's tokenize.c: -- and C comments, '...'
 * strings, "...", [...] and `...` identifiers, X'..' blobs, numbers,
 * ?NNN :name @name $name parameters. Keywords are words compared without
 * regard to case. Nothing here allocates except the token array and the
 * strings the *_dup functions return.
 */
#ifndef MIGSAFE_SQLITE_LEX_H
#define MIGSAFE_SQLITE_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum sqlx_kind {
	SQLX_WORD,        /* keyword or bare identifier */
	SQLX_QUOTED,      /* "id", [id] or `id` */
	SQLX_STRING,      /* 'text' */
	SQLX_NUMBER,
	SQLX_BLOB,        /* X'00ff' */
	SQLX_PARAM,       /* ?1 :name @name $name */
	SQLX_LP,
	SQLX_RP,
	SQLX_COMMA,
	SQLX_DOT,
	SQLX_SEMI,
	SQLX_OP,          /* any other operator or punctuation */
};

struct sqlx_token {
	enum sqlx_kind kind;
	size_t start, end;    /* byte span in the text */
	int depth;            /* parentheses open before the token */
};

/* The tokens of one statement (comments and white space left out). */
struct sqlx_tokens {
	const char *text;
	struct sqlx_token *tok;
	int nr;
	size_t alloc;
};

/* Past white space, comments and a UTF-8 byte order mark from 'pos'. */
size_t sqlx_skip_space(const char *text, size_t len, size_t pos);

/*
 * Where the statement starting at 'start' ends: just after the ';' at
 * which sqlite3_complete() says it is complete (so a CREATE TRIGGER's
 * inner statements do not end it), or 'len'.
 */
size_t sqlx_stmt_end(const char *text, size_t len, size_t start);

/* The end of the last token in [start, end) that is not a ';'. */
size_t sqlx_trim_end(const char *text, size_t start, size_t end);

/* Call fn for every comment of text[0..len) (not those inside strings
   or quoted names), with its byte span. */
void sqlx_each_comment(const char *text, size_t len,
		       void (*fn)(void *data, size_t start, size_t end), void *data);

void sqlx_tokenize(struct sqlx_tokens *t, const char *text, size_t start, size_t end);
void sqlx_tokens_release(struct sqlx_tokens *t);

/* Is token i the keyword 'kw' (any case)? False past the end. */
bool sqlx_is(const struct sqlx_tokens *t, int i, const char *kw);
/* Is token i a name (a word or a quoted identifier; strings are
   accepted too, as SQLite accepts them in most places a name goes)? */
bool sqlx_is_name(const struct sqlx_tokens *t, int i);
/* Token i as a name, quotes removed (malloc'ed). */
char *sqlx_name_dup(const struct sqlx_tokens *t, int i);
/* The text from token i to token j (inclusive), runs of white space
   outside strings made one space, comments left out (malloc'ed). */
char *sqlx_text_dup(const struct sqlx_tokens *t, int i, int j);
/* The index of the ')' closing the '(' at token i, or -1. */
int sqlx_close_paren(const struct sqlx_tokens *t, int i);

/*
 * A qualified name at token i ("name" or "schema.name"): fills *schema
 * (NULL when not qualified) and *name (malloc'ed), returns the index
 * after it, or -1 when there is no name.
 */
int sqlx_qname(const struct sqlx_tokens *t, int i, char **schema, char **name);

#endif
