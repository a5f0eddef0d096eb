#include "jsonw.h"

#include <string.h>

#include "reporter.h"
#include "util.h"
#include "banned.h"

/*
 * Only the main thread writes reports, and a report is megabytes of
 * single characters and short runs: stdio's unlocked calls, which skip
 * the stream's lock (taken on every call once prefetch.c has started a
 * thread).
 */
#define out_char(c, f) putc_unlocked((c), (f))
#define out_bytes(p, n, f) fwrite_unlocked((p), 1, (n), (f))
#define out_str(s, f) out_bytes((s), strlen(s), (f))

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
	out_char('\n', w->out);
	out_bytes(spaces, (size_t)(INDENT * depth), w->out);
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
		out_char(',', w->out);
	w->has_members[top] = true;
	newline_indent(w, w->depth);
}

/* A scalar was written: at the top, that is the whole document. */
static void after_value(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = true;
}

static void open_container(struct jsonw *w, bool is_object)
{
	before_member(w, false);
	if (w->depth == JSONW_MAX_DEPTH)
		BUG("jsonw: nesting deeper than %d", JSONW_MAX_DEPTH);
	w->is_object[w->depth] = is_object;
	w->has_members[w->depth] = false;
	w->depth++;
	out_char(is_object ? '{' : '[', w->out);
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
	out_char(is_object ? '}' : ']', w->out);
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

static void write_escape(FILE *out, unsigned char c)
{
	/* jansson's short escapes; other control characters as \u00XX */
	static const char *const short_escape[128] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
		['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
	};
	static const char hex[] = "0123456789ABCDEF";
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

	if (c < 128 && short_escape[c])
		out_str(short_escape[c], out);
	else
		out_bytes(u, sizeof(u), out);
}

/*
 * The string's bytes in runs that need no change, each run written at
 * once; between them an escape, or U+FFFD for a byte that is not valid
 * UTF-8.
 */
static void write_string(FILE *out, const char *str)
{
	const char *s = str, *run = str;
	size_t n;

	out_char('"', out);
	while (*s) {
		if (plain_ascii((unsigned char)*s)) {
			s++;
			continue;
		}
		n = (unsigned char)*s >= 0x80 ? report_utf8_len(s) : 1;
		if (n > 1) {
			s += n;
			continue;
		}
		out_bytes(run, (size_t)(s - run), out);
		if ((unsigned char)*s >= 0x80)
			out_str("\xef\xbf\xbd", out);
		else
			write_escape(out, (unsigned char)*s);
		run = ++s;
	}
	out_bytes(run, (size_t)(s - run), out);
	out_char('"', out);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	before_member(w, true);
	write_string(w->out, key);
	out_str(": ", w->out);
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	before_member(w, false);
	write_string(w->out, s);
	after_value(w);
}

void jsonw_int(struct jsonw *w, long long v)
{
	char buf[24];
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	size_t i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	before_member(w, false);
	out_bytes(buf + i, sizeof(buf) - i, w->out);
	after_value(w);
}

static void literal(struct jsonw *w, const char *s)
{
	before_member(w, false);
	out_str(s, w->out);
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
	out_char('\n', w->out);
}
