/*
 * jsonw.h - a streaming JSON writer for the reporters: each value goes
 * to the stream as it is given, nothing is kept but the nesting and a
 * small output buffer, so a report costs the same memory for ten
 * findings or a million.
 *
 * The layout is jansson's json_dumpf(JSON_INDENT(2) | JSON_PRESERVE_ORDER)
 * byte for byte (the formats were written with jansson first, and their
 * readers and golden files know that layout): a container's members one
 * per line, indented two spaces per level, "," at the end of all but the
 * last, ": " after a key, "[]" and "{}" when empty. Strings are escaped
 * as jansson escapes them: '"', '\\' and the control characters below
 * U+0020 (\b \f \n \r \t, the others as \u00XX), everything else as is;
 * each byte that is not part of a valid UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) becomes U+FFFD,
 * as the reporters did before this writer (jansson refuses invalid UTF-8).
 *
 * Usage:
 *
 *	struct jsonw w;
 *
 *	jsonw_init(&w, out);
 *	jsonw_object_begin(&w);
 *	jsonw_key_str(&w, "name", "migsafe");
 *	jsonw_key(&w, "findings");
 *	jsonw_array_begin(&w);
 *	...
 *	jsonw_array_end(&w);
 *	jsonw_object_end(&w);
 *	jsonw_finish(&w);          (the newline after the document)
 *
 * Output is gathered in the writer's buffer and handed to the stream a
 * block at a time (a stdio call per piece cost more than the rest of
 * the writer). The buffer goes to the stream when full, when the
 * document is complete, and at jsonw_flush(): a reporter calls that
 * before it returns, so between its calls the stream holds everything
 * written, as if there were no buffer.
 *
 * Ownership: the writer owns nothing and allocates nothing; 'out' stays
 * the caller's (the writer neither fflush()es nor closes it). Strings
 * are read during the call only.
 *
 * Errors: write errors are left in the stream's error indicator, where
 * the caller finds them once at the end (report_finish()). Misuse - a
 * value in an object without its key, a key in an array, closing what is
 * not open, nesting deeper than JSONW_MAX_DEPTH, a second document - is
 * a BUG().
 */
#ifndef MIGSAFE_JSONW_H
#define MIGSAFE_JSONW_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define JSONW_MAX_DEPTH 32
#define JSONW_BUF 4096
/*
 * Room past the buffer's JSONW_BUF bytes that never holds output: the
 * writer stores a few fixed-size blocks (all the spaces an indent may
 * need, a string's last bytes padded to the size it checks at once)
 * whose tail lands there, cheaper than copies of the exact length.
 * jsonw.c asserts it is enough.
 */
#define JSONW_SLACK 64

struct jsonw {
	FILE *out;               /* not owned */
	size_t len;              /* bytes in buf not yet given to out, at most JSONW_BUF */
	char buf[JSONW_BUF + JSONW_SLACK];
	int depth;               /* containers open */
	bool after_key;          /* a key was written; its value is next */
	bool done;               /* the top-level value is complete */
	/* per open container, outermost first */
	bool is_object[JSONW_MAX_DEPTH];
	bool has_members[JSONW_MAX_DEPTH];
};

/* Start a document on 'out'; allocates nothing, so there is no release. */
void jsonw_init(struct jsonw *w, FILE *out);

void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);

/* A string value; JSON null when s is NULL. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_int(struct jsonw *w, long long v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);

/*
 * Keys: the _n functions take the key's length (strlen(key)). Keys are
 * string literals nearly always, so the functions below are inline:
 * where the key is a literal, its strlen() is done at compile time.
 */
void jsonw_key_n(struct jsonw *w, const char *key, size_t n);
void jsonw_key_str_n(struct jsonw *w, const char *key, size_t n, const char *s);
void jsonw_key_int_n(struct jsonw *w, const char *key, size_t n, long long v);

/* The next member's key, in an object. */
static inline void jsonw_key(struct jsonw *w, const char *key)
{
	jsonw_key_n(w, key, strlen(key));
}

/* A key and its value. */
static inline void jsonw_key_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key_str_n(w, key, strlen(key), s);
}

static inline void jsonw_key_int(struct jsonw *w, const char *key, long long v)
{
	jsonw_key_int_n(w, key, strlen(key), v);
}

/* Hand what the writer holds to the stream (fwrite, not fflush). */
void jsonw_flush(struct jsonw *w);

/*
 * End the document: the newline after the top-level value (jansson's
 * dump leaves it to the caller), and jsonw_flush(). BUG() when the value
 * is not complete.
 */
void jsonw_finish(struct jsonw *w);

#endif
