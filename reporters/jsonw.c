#include "jsonw.h"

#include <stdint.h>
#include <string.h>

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

static void out_bytes(struct jsonw *w, const char *p, size_t n)
{
	if (n > sizeof(w->buf) - w->len) {
		jsonw_flush(w);
		if (n >= sizeof(w->buf)) {
			fwrite(p, 1, n, w->out);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void out_char(struct jsonw *w, char c)
{
	if (w->len == sizeof(w->buf))
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

void jsonw_init(struct jsonw *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void newline_indent(struct jsonw *w, int depth)
{
	out_char(w, '\n');
	out_bytes(w, spaces, (size_t)(INDENT * depth));
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

/* A byte that goes out as it is, when it starts no multi-byte sequence. */
static bool plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

#define BYTES(b) (0x0101010101010101ULL * (b))

/*
 * Is any byte of x not plain_ascii(): below 0x20, 0x80 and above, '"' or
 * '\\'? (v - BYTES(n)) & ~v has a byte's top bit set when some byte of
 * v is below n (n <= 0x80; a borrow only sets bits above a byte that is
 * below n, so "any" is exact); a byte equal to c is a zero byte of
 * x ^ BYTES(c).
 */
static bool word_special(uint64_t x)
{
	uint64_t quote = x ^ BYTES('"'), bslash = x ^ BYTES('\\');
	uint64_t hit = x;

	hit |= (x - BYTES(0x20)) & ~x;
	hit |= (quote - BYTES(1)) & ~quote;
	hit |= (bslash - BYTES(1)) & ~bslash;
	return (hit & BYTES(0x80)) != 0;
}

/*
 * The first byte in [s, end) that is not plain_ascii(), or end: eight
 * bytes at a time while none of them is, then the last eight of the
 * string (str, at least that long) at once: the bytes already seen
 * there are plain, so checking them again changes nothing.
 */
static const char *skip_plain(const char *str, const char *s, const char *end)
{
	uint64_t x;

	while (end - s >= 8) {
		memcpy(&x, s, 8);
		if (word_special(x))
			break;
		s += 8;
	}
	if (end - s < 8 && end - str >= 8) {
		memcpy(&x, end - 8, 8);
		if (!word_special(x))
			return end;
	}
	while (s < end && plain_ascii((unsigned char)*s))
		s++;
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
		out_str(w, short_escape[c]);
	else
		out_bytes(w, u, sizeof(u));
}

/*
 * The string's bytes in runs that need no change, each run written at
 * once; between them an escape, or U+FFFD for a byte that is not valid
 * UTF-8.
 */
static void write_string(struct jsonw *w, const char *str)
{
	const char *s = str, *run = str, *end = str + strlen(str);
	size_t n;

	out_char(w, '"');
	while ((s = skip_plain(str, s, end)) < end) {
		n = (unsigned char)*s >= 0x80 ? report_utf8_len(s) : 1;
		if (n > 1) {
			s += n;
			continue;
		}
		out_bytes(w, run, (size_t)(s - run));
		if ((unsigned char)*s >= 0x80)
			out_str(w, "\xef\xbf\xbd");
		else
			write_escape(w, (unsigned char)*s);
		run = ++s;
	}
	out_bytes(w, run, (size_t)(s - run));
	out_char(w, '"');
}

void jsonw_key(struct jsonw *w, const char *key)
{
	before_member(w, true);
	write_string(w, key);
	out_bytes(w, ": ", 2);
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	before_member(w, false);
	write_string(w, s);
	after_value(w);
}

void jsonw_int(struct jsonw *w, long long v)
{
	char buf[24], *end = buf + sizeof(buf);
	char *p = decimal_digits(end, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0);

	before_member(w, false);
	out_bytes(w, p, (size_t)(end - p));
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

void jsonw_key_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_key_int(struct jsonw *w, const char *key, long long v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_finish(struct jsonw *w)
{
	if (!w->done)
		BUG("jsonw: the document is not complete");
	out_char(w, '\n');
	jsonw_flush(w);
}
