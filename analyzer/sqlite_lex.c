/*
 * sqlite_lex.c - SQLite's tokens (see sqlite_lex.h).
 */
#include "sqlite_lex.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "banned.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* SQLite's IdChar(): letters, digits, '_', '$' and every byte >= 0x80. */
static bool is_id_char(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || is_digit(c) || u == '_' ||
	       u == '$' || u >= 0x80;
}

/* Length of a comment at p (0 if none). */
static size_t comment_len(const char *p, size_t n)
{
	size_t i;

	if (n >= 2 && p[0] == '-' && p[1] == '-') {
		for (i = 2; i < n && p[i] != '\n'; i++)
			;
		return i;
	}
	if (n >= 2 && p[0] == '/' && p[1] == '*') {
		for (i = 2; i + 1 < n && !(p[i] == '*' && p[i + 1] == '/'); i++)
			;
		return i + 1 < n ? i + 2 : n;
	}
	return 0;
}

size_t sqlx_skip_space(const char *text, size_t len, size_t pos)
{
	while (pos < len) {
		size_t c;

		if (is_space(text[pos])) {
			pos++;
		} else if (len - pos >= 3 && !memcmp(text + pos, "\xEF\xBB\xBF", 3)) {
			pos += 3;
		} else if ((c = comment_len(text + pos, len - pos))) {
			pos += c;
		} else {
			break;
		}
	}
	return pos;
}

/* A quoted run ending with 'close', where a doubled 'close' is one. */
static size_t quoted_len(const char *p, size_t n, char close, bool doubled)
{
	size_t i;

	for (i = 1; i < n; i++) {
		if (p[i] != close)
			continue;
		if (doubled && i + 1 < n && p[i + 1] == close) {
			i++;
			continue;
		}
		return i + 1;
	}
	return n;   /* unterminated: the rest is the token */
}

static size_t number_len(const char *p, size_t n)
{
	size_t i = 0;

	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (i = 2; i < n && is_id_char(p[i]); i++)
			;
		return i;
	}
	while (i < n && (is_digit(p[i]) || p[i] == '_'))
		i++;
	if (i < n && p[i] == '.')
		for (i++; i < n && (is_digit(p[i]) || p[i] == '_'); i++)
			;
	if (i + 1 < n && (p[i] == 'e' || p[i] == 'E') &&
	    (is_digit(p[i + 1]) || ((p[i + 1] == '+' || p[i + 1] == '-') && i + 2 < n &&
				    is_digit(p[i + 2])))) {
		for (i += 2; i < n && is_digit(p[i]); i++)
			;
	}
	return i ? i : 1;
}

static size_t word_len(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && is_id_char(p[i]))
		i++;
	return i ? i : 1;
}

static const char *const two_char_ops[] = {
	"||", "<=", ">=", "!=", "<>", "==", "<<", ">>", "->",
};

static size_t op_len(const char *p, size_t n)
{
	if (n >= 3 && !memcmp(p, "->>", 3))
		return 3;
	for (size_t i = 0; n >= 2 && i < ARRAY_SIZE(two_char_ops); i++)
		if (!memcmp(p, two_char_ops[i], 2))
			return 2;
	return 1;
}

/* One token at p (n > 0, not space or comment): its length and kind. */
static size_t token_len(const char *p, size_t n, enum sqlx_kind *kind)
{
	switch (p[0]) {
	case '(': *kind = SQLX_LP; return 1;
	case ')': *kind = SQLX_RP; return 1;
	case ',': *kind = SQLX_COMMA; return 1;
	case ';': *kind = SQLX_SEMI; return 1;
	case '\'': *kind = SQLX_STRING; return quoted_len(p, n, '\'', true);
	case '"': *kind = SQLX_QUOTED; return quoted_len(p, n, '"', true);
	case '`': *kind = SQLX_QUOTED; return quoted_len(p, n, '`', true);
	case '[': *kind = SQLX_QUOTED; return quoted_len(p, n, ']', false);
	case '.':
		if (n > 1 && is_digit(p[1])) {
			*kind = SQLX_NUMBER;
			return number_len(p, n);
		}
		*kind = SQLX_DOT;
		return 1;
	case '?': case ':': case '@': case '$': case '#':
		*kind = SQLX_PARAM;
		return 1 + (n > 1 ? word_len(p + 1, n - 1) : 0);
	default:
		break;
	}
	if (is_digit(p[0])) {
		*kind = SQLX_NUMBER;
		return number_len(p, n);
	}
	if ((p[0] == 'x' || p[0] == 'X') && n > 1 && p[1] == '\'') {
		*kind = SQLX_BLOB;
		return 1 + quoted_len(p + 1, n - 1, '\'', false);
	}
	if (is_id_char(p[0])) {
		*kind = SQLX_WORD;
		return word_len(p, n);
	}
	*kind = SQLX_OP;
	return op_len(p, n);
}

void sqlx_each_comment(const char *text, size_t len,
		       void (*fn)(void *data, size_t start, size_t end), void *data)
{
	size_t pos = 0;

	while (pos < len) {
		enum sqlx_kind kind;
		size_t c;

		if (is_space(text[pos])) {
			pos++;
		} else if ((c = comment_len(text + pos, len - pos))) {
			fn(data, pos, pos + c);
			pos += c;
		} else {
			pos += token_len(text + pos, len - pos, &kind);
		}
	}
}

void sqlx_tokenize(struct sqlx_tokens *t, const char *text, size_t start, size_t end)
{
	size_t pos = start;
	int depth = 0;

	t->text = text;
	t->nr = 0;
	while ((pos = sqlx_skip_space(text, end, pos)) < end) {
		struct sqlx_token *k;
		enum sqlx_kind kind;
		size_t n = token_len(text + pos, end - pos, &kind);

		ALLOC_GROW(t->tok, (size_t)t->nr + 1, t->alloc);
		k = &t->tok[t->nr++];
		k->kind = kind;
		k->start = pos;
		k->end = pos + n;
		if (kind == SQLX_RP && depth > 0)
			depth--;
		k->depth = depth;
		if (kind == SQLX_LP)
			depth++;
		pos += n;
	}
}

void sqlx_tokens_release(struct sqlx_tokens *t)
{
	free(t->tok);
	t->tok = NULL;
	t->nr = 0;
	t->alloc = 0;
}

size_t sqlx_stmt_end(const char *text, size_t len, size_t start)
{
	size_t pos = start;

	while ((pos = sqlx_skip_space(text, len, pos)) < len) {
		enum sqlx_kind kind;
		size_t n = token_len(text + pos, len - pos, &kind);

		pos += n;
		if (kind == SQLX_SEMI) {
			char *s = xstrndup(text + start, pos - start);
			bool done = sqlite3_complete(s);

			free(s);
			if (done)
				return pos;
		}
	}
	return len;
}

size_t sqlx_trim_end(const char *text, size_t start, size_t end)
{
	size_t pos = start, last = start;

	while ((pos = sqlx_skip_space(text, end, pos)) < end) {
		enum sqlx_kind kind;
		size_t n = token_len(text + pos, end - pos, &kind);

		if (kind != SQLX_SEMI)
			last = pos + n;
		pos += n;
	}
	return last;
}

bool sqlx_is(const struct sqlx_tokens *t, int i, const char *kw)
{
	size_t n;

	if (i < 0 || i >= t->nr || t->tok[i].kind != SQLX_WORD)
		return false;
	n = t->tok[i].end - t->tok[i].start;
	return n == strlen(kw) && !strncasecmp(t->text + t->tok[i].start, kw, n);
}

bool sqlx_is_name(const struct sqlx_tokens *t, int i)
{
	return i >= 0 && i < t->nr && (t->tok[i].kind == SQLX_WORD ||
				       t->tok[i].kind == SQLX_QUOTED ||
				       t->tok[i].kind == SQLX_STRING);
}

char *sqlx_name_dup(const struct sqlx_tokens *t, int i)
{
	const struct sqlx_token *k = &t->tok[i];
	const char *p = t->text + k->start;
	size_t n = k->end - k->start;
	struct strbuf sb;
	char close;

	if (k->kind == SQLX_WORD || n < 2)
		return xstrndup(p, n);
	close = p[0] == '[' ? ']' : p[0];
	strbuf_init(&sb);
	for (size_t j = 1; j < n; j++) {
		if (p[j] == close) {
			if (close != ']' && j + 1 < n && p[j + 1] == close) {
				strbuf_addch(&sb, close);
				j++;
				continue;
			}
			break;
		}
		strbuf_addch(&sb, p[j]);
	}
	return strbuf_detach(&sb);
}

char *sqlx_text_dup(const struct sqlx_tokens *t, int i, int j)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (int k = i; k <= j && k < t->nr; k++) {
		const struct sqlx_token *a = &t->tok[k];

		if (k > i && a->start > t->tok[k - 1].end && t->tok[k - 1].kind != SQLX_LP &&
		    a->kind != SQLX_RP && a->kind != SQLX_COMMA)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, t->text + a->start, a->end - a->start);
	}
	return strbuf_detach(&sb);
}

int sqlx_close_paren(const struct sqlx_tokens *t, int i)
{
	if (i < 0 || i >= t->nr || t->tok[i].kind != SQLX_LP)
		return -1;
	for (int k = i + 1; k < t->nr; k++)
		if (t->tok[k].kind == SQLX_RP && t->tok[k].depth == t->tok[i].depth)
			return k;
	return -1;
}

int sqlx_qname(const struct sqlx_tokens *t, int i, char **schema, char **name)
{
	*schema = NULL;
	*name = NULL;
	if (!sqlx_is_name(t, i))
		return -1;
	if (i + 2 < t->nr && t->tok[i + 1].kind == SQLX_DOT && sqlx_is_name(t, i + 2)) {
		*schema = sqlx_name_dup(t, i);
		*name = sqlx_name_dup(t, i + 2);
		return i + 3;
	}
	*name = sqlx_name_dup(t, i);
	return i + 1;
}
