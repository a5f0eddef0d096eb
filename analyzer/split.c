/*
 * split.c - our own SQL statement splitter.
 *
 * A single-pass lexer that knows just enough of PostgreSQL's lexical
 * rules to find the semicolons that end statements: comments (nested
 * block comments, as PostgreSQL has them), string literals in their
 * flavours, quoted identifiers, dollar quotes, parentheses and the
 * BEGIN ATOMIC ... END bodies of SQL-standard functions.
 *
 * We do not use libpg_query's scanner-based splitter: it crashes on an
 * unterminated string literal and drops statements that do not start
 * with a keyword, which is exactly the input error recovery sees.
 */
#include "parse.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "banned.h"

struct splitter {
	const char *s;
	size_t len;
	split_stmt_fn fn;
	split_comment_fn cfn;
	void *data;

	/* the statement being collected */
	size_t start;        /* first significant byte; SIZE_MAX: none yet */
	size_t last_end;     /* end of the last significant token */
	int paren_depth;
	int atomic_depth;    /* inside BEGIN ATOMIC: 1 + open CASEs */
	bool after_begin;    /* previous token was the word BEGIN */
};

/*
 * Character classes, one lookup per byte (the splitter reads every byte
 * of every file): CH_SPACE is SQL white space; CH_START may start an
 * unquoted name (letters, '_', any byte of a multi-byte character);
 * CH_CONT may continue one (also digits and '$').
 */
enum { CH_SPACE = 1, CH_START = 2, CH_CONT = 4 };
static const unsigned char ch_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,
	0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 0, 0, 0, 0, 6,
	0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 0, 0, 0, 0, 0,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
};

static bool is_space(unsigned char c)
{
	return ch_class[c] & CH_SPACE;
}

static bool is_ident_start(unsigned char c)
{
	return ch_class[c] & CH_START;
}

static bool is_ident_cont(unsigned char c)
{
	return ch_class[c] & CH_CONT;
}

static bool word_is(const char *w, size_t n, const char *kw)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!kw[i] || c != (unsigned char)kw[i])
			return false;
	}
	return !kw[n];
}

/* "-- ..." up to (not including) the newline */
static size_t skip_line_comment(const struct splitter *sp, size_t i)
{
	const char *nl = memchr(sp->s + i, '\n', sp->len - i);

	return nl ? (size_t)(nl - sp->s) : sp->len;
}

/* A block comment; they nest in PostgreSQL, unlike C */
static size_t skip_block_comment(const struct splitter *sp, size_t i)
{
	int depth = 1;

	for (i += 2; i < sp->len; i++) {
		if (sp->s[i] == '/' && i + 1 < sp->len && sp->s[i + 1] == '*') {
			depth++;
			i++;
		} else if (sp->s[i] == '*' && i + 1 < sp->len &&
			   sp->s[i + 1] == '/') {
			i++;
			if (!--depth)
				return i + 1;
		}
	}
	return sp->len;
}

/*
 * A literal quoted by 'q' (a string or an identifier) where a doubled
 * quote stands for itself; with 'backslash', \x escapes any byte too
 * (E'...' strings). 'i' is at the opening quote.
 */
static size_t skip_quoted(const struct splitter *sp, size_t i, char q,
			  bool backslash)
{
	for (i++; i < sp->len; i++) {
		char c = sp->s[i];

		if (backslash && c == '\\') {
			i++;
		} else if (c == q) {
			if (i + 1 < sp->len && sp->s[i + 1] == q)
				i++;
			else
				return i + 1;
		}
	}
	return sp->len;
}

/*
 * Length of the dollar-quote delimiter "$tag$" at 'i', or 0 when the
 * '$' does not open one ("$1" is a parameter; a tag cannot start with
 * a digit and holds no '$').
 */
static size_t dollar_tag_len(const struct splitter *sp, size_t i)
{
	size_t j = i + 1;

	if (j < sp->len && sp->s[j] != '$') {
		if (!is_ident_start((unsigned char)sp->s[j]))
			return 0;
		while (j < sp->len && is_ident_cont((unsigned char)sp->s[j]) &&
		       sp->s[j] != '$')
			j++;
	}
	if (j >= sp->len || sp->s[j] != '$')
		return 0;
	return j + 1 - i;
}

static size_t skip_dollar_quoted(const struct splitter *sp, size_t i,
				 size_t tag_len)
{
	const char *tag = sp->s + i;
	size_t j = i + tag_len;

	while (j + tag_len <= sp->len) {
		const char *p = memchr(sp->s + j, '$', sp->len - j);

		if (!p)
			break;
		j = (size_t)(p - sp->s);
		if (j + tag_len <= sp->len && !memcmp(p, tag, tag_len))
			return j + tag_len;
		j++;
	}
	return sp->len;
}

/*
 * Words matter only for BEGIN ATOMIC bodies: semicolons inside one do
 * not end the statement, and its END may be preceded by CASE ... END
 * pairs. psql uses the same heuristic.
 */
static void see_word(struct splitter *sp, const char *w, size_t n)
{
	bool was_begin = sp->after_begin;

	sp->after_begin = false;
	if (n < 3 || n > 6)
		return;
	if (sp->atomic_depth) {
		if (word_is(w, n, "case"))
			sp->atomic_depth++;
		else if (word_is(w, n, "end"))
			sp->atomic_depth--;
	} else if (word_is(w, n, "begin")) {
		sp->after_begin = true;
	} else if (was_begin && !sp->paren_depth && word_is(w, n, "atomic")) {
		sp->atomic_depth = 1;
	}
}

static size_t skip_word(const struct splitter *sp, size_t i)
{
	while (i < sp->len && is_ident_cont((unsigned char)sp->s[i]))
		i++;
	return i;
}

static void end_statement(struct splitter *sp)
{
	if (sp->start != SIZE_MAX && sp->fn)
		sp->fn(sp->data, sp->start, sp->last_end);
	sp->start = SIZE_MAX;
	sp->last_end = 0;
	sp->paren_depth = 0;
	sp->atomic_depth = 0;
	sp->after_begin = false;
}

static void token(struct splitter *sp, size_t start, size_t end)
{
	if (sp->start == SIZE_MAX)
		sp->start = start;
	sp->last_end = end;
}

/* A prefixed literal: E'..', U&'..', U&"..". Returns 0 when not one. */
static size_t skip_prefixed(const struct splitter *sp, size_t i)
{
	char c = sp->s[i];

	if ((c == 'e' || c == 'E') && i + 1 < sp->len && sp->s[i + 1] == '\'')
		return skip_quoted(sp, i + 1, '\'', true);
	if ((c == 'u' || c == 'U') && i + 2 < sp->len && sp->s[i + 1] == '&' &&
	    (sp->s[i + 2] == '\'' || sp->s[i + 2] == '"'))
		return skip_quoted(sp, i + 2, sp->s[i + 2], false);
	return 0;
}

/*
 * Consume one token at 'i' (not whitespace, not a comment) and return
 * the offset after it.
 */
static size_t lex_token(struct splitter *sp, size_t i)
{
	unsigned char c = (unsigned char)sp->s[i];
	size_t end, n;

	if (c == '\'' || c == '"')
		return skip_quoted(sp, i, (char)c, false);
	if (c == '$' && (n = dollar_tag_len(sp, i)))
		return skip_dollar_quoted(sp, i, n);
	if (is_ident_start(c)) {
		if ((end = skip_prefixed(sp, i)))
			return end;
		end = skip_word(sp, i);
		see_word(sp, sp->s + i, end - i);
		return end;
	}
	sp->after_begin = false;
	if (c >= '0' && c <= '9')
		return skip_word(sp, i);
	if (c == '(')
		sp->paren_depth++;
	else if (c == ')' && sp->paren_depth > 0)
		sp->paren_depth--;
	return i + 1;
}

static size_t lex_comment(struct splitter *sp, size_t i)
{
	size_t end;

	if (sp->s[i] == '-')
		end = skip_line_comment(sp, i);
	else
		end = skip_block_comment(sp, i);
	if (sp->cfn)
		sp->cfn(sp->data, i, end);
	return end;
}

static bool comment_starts(const struct splitter *sp, size_t i)
{
	char c = sp->s[i];

	if (i + 1 >= sp->len)
		return false;
	return (c == '-' && sp->s[i + 1] == '-') ||
	       (c == '/' && sp->s[i + 1] == '*');
}

void split_sql(const char *text, size_t len, split_stmt_fn fn,
	       split_comment_fn cfn, void *data)
{
	struct splitter sp = {
		.s = text, .len = len, .fn = fn, .cfn = cfn, .data = data,
		.start = SIZE_MAX,
	};
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		size_t end;

		if (is_space(c)) {
			i++;
		} else if (comment_starts(&sp, i)) {
			i = lex_comment(&sp, i);
		} else if (c == ';' && !sp.paren_depth && !sp.atomic_depth) {
			end_statement(&sp);
			i++;
		} else {
			end = lex_token(&sp, i);
			token(&sp, i, end);
			i = end;
		}
	}
	end_statement(&sp);
}

/* ---- comments only ---- */

/*
 * Bytes where something split_sql() skips whole may begin: a comment
 * (two dashes, or a slash and a star), a literal or quoted identifier,
 * a dollar quote. Any other byte is passed over as split_sql() would
 * pass over it (a word, a number, an operator, white space), without
 * lexing it.
 */
static const bool scan_stop[256] = {
	['-'] = true, ['/'] = true, ['\''] = true, ['"'] = true, ['$'] = true,
};

/* The first stop byte in s[i..len), or len. Sixteen bytes at a time. */
static size_t next_stop(const char *s, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i dash = _mm_set1_epi8('-'), slash = _mm_set1_epi8('/'),
		      quote = _mm_set1_epi8('\''), dquote = _mm_set1_epi8('"'),
		      dollar = _mm_set1_epi8('$');

	for (; len - i >= 16; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, slash)),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
						  _mm_cmpeq_epi8(v, dquote)),
				     _mm_cmpeq_epi8(v, dollar)));
		int m = _mm_movemask_epi8(hit);

		if (m)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	while (i < len && !scan_stop[(unsigned char)s[i]])
		i++;
	return i;
}

/*
 * Does a token begin at i, as split_sql() would lex? Yes at 'boundary'
 * (just past something skipped whole, or a lone '$'), and after any
 * byte that cannot continue a word; a byte that can (letters, digits,
 * '_', '$', bytes of multi-byte characters) has i inside its word.
 */
static bool token_starts(const char *s, size_t i, size_t boundary)
{
	return i == boundary || !is_ident_cont((unsigned char)s[i - 1]);
}

void split_comments(const char *text, size_t len, split_comment_fn cfn, void *data)
{
	struct splitter sp = {
		.s = text, .len = len, .cfn = cfn, .data = data, .start = SIZE_MAX,
	};
	size_t i = 0, boundary = 0, end, n;

	while ((i = next_stop(text, i, len)) < len) {
		char c = text[i];

		if (comment_starts(&sp, i)) {
			end = lex_comment(&sp, i);
		} else if (c == '\'') {
			/* E'..' takes backslash escapes when the E is a word of its own */
			bool e = i > boundary && (text[i - 1] == 'e' || text[i - 1] == 'E') &&
				 token_starts(text, i - 1, boundary);

			end = skip_quoted(&sp, i, '\'', e);
		} else if (c == '"') {
			end = skip_quoted(&sp, i, '"', false);
		} else if (c == '$' && token_starts(text, i, boundary)) {
			/* not a dollar quote: a '$' token, and a token starts after it */
			n = dollar_tag_len(&sp, i);
			end = n ? skip_dollar_quoted(&sp, i, n) : i + 1;
		} else {
			i++;
			continue;
		}
		i = boundary = end;
	}
}

size_t sql_find_keyword(const char *text, size_t from, size_t len,
			const char *kw)
{
	struct splitter sp = { .s = text, .len = len, .start = SIZE_MAX };
	size_t i = from, kw_len = strlen(kw);

	while (i < len) {
		unsigned char c = (unsigned char)text[i];
		int depth = sp.paren_depth;
		size_t end;

		if (is_space(c)) {
			i++;
			continue;
		}
		if (comment_starts(&sp, i)) {
			i = lex_comment(&sp, i);
			continue;
		}
		end = lex_token(&sp, i);
		if (!depth && end - i == kw_len && is_ident_start(c) &&
		    word_is(text + i, kw_len, kw))
			return i;
		i = end;
	}
	return len;
}
