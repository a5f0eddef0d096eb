#include "jsonw.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#define JSONW_SSE2 1
#include <emmintrin.h>
#else
#define JSONW_SSE2 0
#endif

#include "reporter.h"
#include "util.h"
#include "banned.h"

/*
 * The buffer: a report is megabytes of single characters and short
 * runs, and a stdio call for each (even unlocked) cost more than
 * everything else here.
 */
void jsonw_flush(struct jsonw *w)
{
	if (w->len)
		fwrite(w->buf, 1, w->len, w->out);
	w->len = 0;
}

/*
 * Copy the n <= 32 bytes at s to d inline, as two copies of a fixed
 * size that may overlap (a memcpy() of a length known only at run time
 * is a call, and most strings end in one of these).
 */
static void copy_short(char *d, const char *s, size_t n)
{
	if (n >= 16) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

static void out_bytes(struct jsonw *w, const char *p, size_t n)
{
	if (n > JSONW_BUF - w->len) {
		jsonw_flush(w);
		if (n >= JSONW_BUF) {
			fwrite(p, 1, n, w->out);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void out_char(struct jsonw *w, char c)
{
	if (w->len == JSONW_BUF)
		jsonw_flush(w);
	w->buf[w->len++] = c;
}

static void out_str(struct jsonw *w, const char *s)
{
	out_bytes(w, s, strlen(s));
}

#define INDENT 2
/* Enough spaces for the deepest line: one INDENT per level. */
static const char spaces[] =
	"                                                                ";
_Static_assert(sizeof(spaces) - 1 >= INDENT * JSONW_MAX_DEPTH, "spaces too short");
_Static_assert(JSONW_SLACK >= sizeof(spaces) - 1, "JSONW_SLACK too small for the spaces");

void jsonw_init(struct jsonw *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/*
 * All the spaces go in, a fixed-size copy that the compiler makes a few
 * stores (a copy of the exact length is a call to memcpy, on every line
 * of the report); those past the indent land beyond len, in the buffer
 * or its slack, where the next output overwrites them.
 */
static void newline_indent(struct jsonw *w, int depth)
{
	size_t n = (size_t)(INDENT * depth);

	if (JSONW_BUF - w->len < 1 + n)
		jsonw_flush(w);
	w->buf[w->len] = '\n';
	memcpy(w->buf + w->len + 1, spaces, sizeof(spaces) - 1);
	w->len += 1 + n;
}

/*
 * Whatever goes before a value or a key: nothing after a key or at the
 * top, else the comma after the previous member and the new line.
 */
static void before_member(struct jsonw *w, bool is_key)
{
	int top = w->depth - 1;

	if (w->after_key) {
		if (is_key)
			BUG("jsonw: a key where its value should be");
		w->after_key = false;
		return;
	}
	if (w->depth == 0) {
		if (w->done || is_key)
			BUG("jsonw: a second value or a key at the top");
		return;
	}
	if (w->is_object[top] != is_key)
		BUG(is_key ? "jsonw: a key in an array" : "jsonw: a value without its key");
	if (w->has_members[top])
		out_char(w, ',');
	w->has_members[top] = true;
	newline_indent(w, w->depth);
}

/* A value was written: at the top, that is the whole document. */
static void after_value(struct jsonw *w)
{
	if (w->depth == 0) {
		w->done = true;
		jsonw_flush(w);
	}
}

static void open_container(struct jsonw *w, bool is_object)
{
	before_member(w, false);
	if (w->depth == JSONW_MAX_DEPTH)
		BUG("jsonw: nesting deeper than %d", JSONW_MAX_DEPTH);
	w->is_object[w->depth] = is_object;
	w->has_members[w->depth] = false;
	w->depth++;
	out_char(w, is_object ? '{' : '[');
}

static void close_container(struct jsonw *w, bool is_object)
{
	int top = w->depth - 1;

	if (top < 0 || w->is_object[top] != is_object || w->after_key)
		BUG("jsonw: closing %s that is not open or awaits a value",
		    is_object ? "an object" : "an array");
	w->depth--;
	if (w->has_members[top])
		newline_indent(w, w->depth);
	out_char(w, is_object ? '}' : ']');
	after_value(w);
}

void jsonw_object_begin(struct jsonw *w)
{
	open_container(w, true);
}

void jsonw_object_end(struct jsonw *w)
{
	close_container(w, true);
}

void jsonw_array_begin(struct jsonw *w)
{
	open_container(w, false);
}

void jsonw_array_end(struct jsonw *w)
{
	close_container(w, false);
}

/*
 * Plain bytes - those that go out as they are: not below 0x20, not 0x80
 * and above (UTF-8, checked apart), not '"' or '\\' - are found a block
 * at a time: block_plain() says how many of the BLOCK bytes at p are
 * plain before the first that is not (BLOCK when all are).
 */
#if JSONW_SSE2
/*
 * Sixteen bytes in a few instructions (SSE2 is in every x86-64): as
 * signed bytes, those below 0x20 and those of 0x80 and above are the
 * ones less than 0x20.
 */
#define BLOCK 16

static size_t block_plain(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i bad = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
	unsigned mask;

	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
	mask = (unsigned)_mm_movemask_epi8(bad);
	return mask ? (size_t)__builtin_ctz(mask) : BLOCK;
}
#else
#define BLOCK 8
#define BYTES(b) (0x0101010101010101ULL * (b))

static bool plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/*
 * Eight bytes as a word. (v - BYTES(n)) & ~v sets a byte's top bit when
 * the byte of v is below n (n <= 0x80); a borrow sets bits only above a
 * byte that is below n, so whether any is set is exact, and so is the
 * lowest one: the first byte in memory on a little-endian machine. A
 * byte equal to c is a zero byte of x ^ BYTES(c).
 */
static size_t block_plain(const char *p)
{
	uint64_t x, quote, bslash, hit;
	size_t i = 0;

	memcpy(&x, p, 8);
	quote = x ^ BYTES('"');
	bslash = x ^ BYTES('\\');
	hit = x;
	hit |= (x - BYTES(0x20)) & ~x;
	hit |= (quote - BYTES(1)) & ~quote;
	hit |= (bslash - BYTES(1)) & ~bslash;
	hit &= BYTES(0x80);
	if (!hit)
		return BLOCK;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(hit) / 8;
#endif
	while (plain_ascii((unsigned char)p[i]))
		i++;
	return i;
}
#endif

_Static_assert(JSONW_SLACK >= BLOCK, "JSONW_SLACK too small for a block");

/*
 * Copy the plain bytes that start the n at s to d; returns how many.
 * Whole blocks are copied and checked where they land; the last, short
 * one is copied with plain bytes after it, so that its check reads no
 * byte past the string's end (which may be a page's) and none left in
 * the buffer from before. Writes up to BLOCK bytes past d + n.
 */
static size_t copy_plain(char *d, const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; n - i >= BLOCK; i += BLOCK) {
		memcpy(d + i, s + i, BLOCK);
		if ((k = block_plain(d + i)) < BLOCK)
			return i + k;
	}
	if (i == n)
		return n;
	memset(d + n, 'a', BLOCK);
	copy_short(d + i, s + i, n - i);
	k = block_plain(d + i);
	return k < n - i ? i + k : n;
}

/*
 * Copy the plain bytes of [s, end) to the buffer, flushing it as it
 * fills; returns the first byte that is not plain, or end.
 */
static const char *put_plain(struct jsonw *w, const char *s, const char *end)
{
	size_t n, k;

	while (s < end) {
		if (w->len == JSONW_BUF)
			jsonw_flush(w);
		n = (size_t)(end - s);
		if (n > JSONW_BUF - w->len)
			n = JSONW_BUF - w->len;
		k = copy_plain(w->buf + w->len, s, n);
		w->len += k;
		s += k;
		if (k < n)
			break;
	}
	return s;
}

static void write_escape(struct jsonw *w, unsigned char c)
{
	/* jansson's short escapes; other control characters as \u00XX */
	static const char *const short_escape[128] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
		['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
	};
	static const char hex[] = "0123456789ABCDEF";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

	if (c < 128 && short_escape[c])
		out_bytes(w, short_escape[c], 2);
	else
		out_bytes(w, u, sizeof(u));
}

/*
 * The byte at s, which is not plain: a valid UTF-8 sequence as it is, an
 * escape, or U+FFFD for a byte that is not valid UTF-8. Returns the byte
 * after. The string's NUL stops report_utf8_len() at its end.
 */
static const char *put_special(struct jsonw *w, const char *s)
{
	size_t n = 1;

	if ((unsigned char)*s < 0x80)
		write_escape(w, (unsigned char)*s);
	else if ((n = report_utf8_len(s)) > 1)
		out_bytes(w, s, n);
	else
		out_bytes(w, "\xef\xbf\xbd", 3);
	return s + n;
}

/* The rest [s, end) of a NUL-terminated string and its closing quote. */
static void finish_string(struct jsonw *w, const char *s, const char *end)
{
	while ((s = put_plain(w, s, end)) < end) {
		/* the quotes around names in messages: most escapes */
		if (*s == '"' && JSONW_BUF - w->len >= 2) {
			memcpy(w->buf + w->len, "\\\"", 2);
			w->len += 2;
			s++;
			continue;
		}
		s = put_special(w, s);
	}
	out_char(w, '"');
}

/* The n bytes of NUL-terminated str, quoted and escaped. */
static void write_string(struct jsonw *w, const char *str, size_t n)
{
	out_char(w, '"');
	finish_string(w, str, str + n);
}

/*
 * A key as most are, in one go: the member of an object, plain, with
 * room in the buffer for all of ",\n", the indent, the key quoted and
 * ": ". False, with nothing written, for any other (write_string()
 * escapes it, before_member() finds misuse).
 */
static bool key_at_once(struct jsonw *w, const char *key, size_t n)
{
	int top = w->depth - 1;
	size_t indent = (size_t)(INDENT * w->depth);
	char *p;

	if (w->after_key || top < 0 || !w->is_object[top] ||
	    JSONW_BUF - w->len < n + indent + 6)
		return false;
	p = w->buf + w->len;
	/* the comma, kept when the object has members */
	*p = ',';
	p += w->has_members[top];
	*p++ = '\n';
	/* all the spaces, as newline_indent() does */
	memcpy(p, spaces, sizeof(spaces) - 1);
	p += indent;
	*p++ = '"';
	if (copy_plain(p, key, n) < n)
		return false;
	memcpy(p + n, "\": ", 3);
	w->len = (size_t)(p + n + 3 - w->buf);
	w->has_members[top] = true;
	w->after_key = true;
	return true;
}

void jsonw_key_n(struct jsonw *w, const char *key, size_t n)
{
	if (key_at_once(w, key, n))
		return;
	before_member(w, true);
	write_string(w, key, n);
	out_bytes(w, ": ", 2);
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	size_t n, k;
	char *d;

	if (!s) {
		jsonw_null(w);
		return;
	}
	n = strlen(s);
	/*
	 * After its key (never at the top, so after_value() has nothing
	 * to do) and with room for it: copied in one go, as far as it is
	 * plain.
	 */
	if (w->after_key && JSONW_BUF - w->len >= n + 2) {
		w->after_key = false;
		d = w->buf + w->len;
		d[0] = '"';
		k = copy_plain(d + 1, s, n);
		if (k == n) {
			d[n + 1] = '"';
			w->len += n + 2;
			return;
		}
		w->len += 1 + k;
		finish_string(w, s + k, s + n);
		return;
	}
	before_member(w, false);
	write_string(w, s, n);
	after_value(w);
}

void jsonw_int(struct jsonw *w, long long v)
{
	char buf[24], *end = buf + sizeof(buf);
	char *p = decimal_digits(end, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0);

	before_member(w, false);
	/* at most 20 bytes: out_bytes() would call memcpy() */
	if (JSONW_BUF - w->len < sizeof(buf))
		jsonw_flush(w);
	copy_short(w->buf + w->len, p, (size_t)(end - p));
	w->len += (size_t)(end - p);
	after_value(w);
}

static void literal(struct jsonw *w, const char *s)
{
	before_member(w, false);
	out_str(w, s);
	after_value(w);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	literal(w, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
	literal(w, "null");
}

void jsonw_key_str_n(struct jsonw *w, const char *key, size_t n, const char *s)
{
	jsonw_key_n(w, key, n);
	jsonw_str(w, s);
}

void jsonw_key_int_n(struct jsonw *w, const char *key, size_t n, long long v)
{
	jsonw_key_n(w, key, n);
	jsonw_int(w, v);
}

void jsonw_finish(struct jsonw *w)
{
	if (!w->done)
		BUG("jsonw: the document is not complete");
	out_char(w, '\n');
	jsonw_flush(w);
}
