/*
 * pgjson.c - decode libpg_query's JSON parse trees in place (pgjson.h).
 *
 * A recursive descent parser that follows cJSON 1.7's parse_value(),
 * parse_object() and parse_array() (one parse_container() here),
 * parse_string() and parse_number() step for step, so that it accepts
 * and builds what they do; the differences are only where the bytes go.
 * The text's NUL is the sentinel that ends every scan: no byte the
 * parser expects is NUL, and every byte it writes lies behind the byte
 * it reads next, so the first NUL ahead of the cursor is always the end
 * of the text.
 */
#include "pgjson.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "banned.h"

/* Nodes are taken from the allocator this many at a time. */
#define NODE_BATCH 64

struct dec {
	unsigned char *p;          /* the next byte to read */
	const unsigned char *nul;  /* the text's NUL */
	int depth;                 /* arrays and objects open */
	cJSON *free, *end;         /* nodes allocated, not handed out yet */
	pgjson_alloc_fn *alloc;
	void *data;
};

/* A container's children as they are appended. */
struct kids {
	cJSON *head, *tail;
};

static bool parse_value(struct dec *d, cJSON *item);

static cJSON *new_node(struct dec *d)
{
	cJSON *n;

	if (d->free == d->end) {
		d->free = d->alloc(d->data, NODE_BATCH * sizeof(cJSON));
		if (!d->free)
			return NULL;
		d->end = d->free + NODE_BATCH;
	}
	n = d->free++;
	memset(n, 0, sizeof(*n));
	return n;
}

/* cJSON's whitespace: every byte from 1 to 32 (NUL ends the text). */
static unsigned char *skip_ws(unsigned char *p)
{
	while ((unsigned char)(*p - 1) < 32)
		p++;
	return p;
}

static bool is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* The bytes cJSON's parse_number() hands to strtod(). */
static bool is_number_byte(unsigned char c)
{
	return is_digit(c) || c == '+' || c == '-' || c == 'e' || c == 'E' ||
	       c == '.';
}

/* ---- numbers ------------------------------------------------------ */

/* cJSON's valueint: saturated, else truncated. */
static void set_number(cJSON *item, double x)
{
	item->valuedouble = x;
	if (x >= INT_MAX)
		item->valueint = INT_MAX;
	else if (x <= (double)INT_MIN)
		item->valueint = INT_MIN;
	else
		item->valueint = (int)x;
	item->type = cJSON_Number;
}

/*
 * cJSON's way: every number byte that follows, '.' as the locale's
 * decimal point, strtod(), and the text advances by what strtod() read.
 * (cJSON 1.7.15 stopped at 63 bytes; since the fix for CVE-2023-26819,
 * in 1.7.18 and Debian's 1.7.15, it takes them all.)
 */
static bool parse_number_strtod(struct dec *d, cJSON *item)
{
	char small[64], *buf = small, point = *localeconv()->decimal_point;
	char *after;
	size_t i, n = 0;
	double x;

	while (is_number_byte(d->p[n]))
		n++;
	if (n >= sizeof(small))
		buf = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		buf[i] = d->p[i] == '.' ? point : (char)d->p[i];
	buf[n] = '\0';
	x = strtod(buf, &after);
	if (after != buf) {
		set_number(item, x);
		d->p += after - buf;
	}
	if (buf != small)
		free(buf);
	return after != buf;
}

/*
 * An integer of up to 15 digits is exact in a double, so it is the
 * value strtod() would return; anything else goes to strtod().
 */
static bool parse_number(struct dec *d, cJSON *item)
{
	bool neg = *d->p == '-';
	unsigned char *s = d->p + neg, *t = s;
	uint64_t v = 0;
	double x;

	while (t - s < 15 && is_digit(*t))
		v = v * 10 + (uint64_t)(*t++ - '0');
	if (t == s || is_number_byte(*t))
		return parse_number_strtod(d, item);
	x = (double)v;
	set_number(item, neg ? -x : x);
	d->p = t;
	return true;
}

/* ---- strings ------------------------------------------------------ */

static unsigned hex4(const unsigned char *s)
{
	unsigned h = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c = s[i];

		if (is_digit(c))
			h = h << 4 | (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			h = h << 4 | (unsigned)(c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			h = h << 4 | (unsigned)(c - 'a' + 10);
		else
			return 0;   /* cJSON's parse_hex4(): U+0000 */
	}
	return h;
}

static void put_utf8(unsigned char **o, unsigned long cp)
{
	unsigned char *p = *o;

	if (cp < 0x80) {
		*p++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*p++ = (unsigned char)(0xC0 | cp >> 6);
		*p++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*p++ = (unsigned char)(0xE0 | cp >> 12);
		*p++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*p++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*p++ = (unsigned char)(0xF0 | cp >> 18);
		*p++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		*p++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		*p++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*o = p;
}

/*
 * "\uXXXX" or a surrogate pair "\uD8XX\uDCXX" at 'in', before 'end':
 * write its UTF-8 at *o and return how many bytes it took (6 or 12),
 * or 0 where cJSON's utf16_literal_to_utf8() fails. Everything is read
 * before *o is written, and *o <= in, so this works in place.
 */
static int utf16_escape(const unsigned char *in, const unsigned char *end,
			unsigned char **o)
{
	unsigned first, second;

	if (end - in < 6)
		return 0;
	first = hex4(in + 2);
	if (first >= 0xDC00 && first <= 0xDFFF)
		return 0;
	if (first < 0xD800 || first > 0xDBFF) {
		put_utf8(o, first);
		return 6;
	}
	if (end - (in + 6) < 6 || in[6] != '\\' || in[7] != 'u')
		return 0;
	second = hex4(in + 8);
	if (second < 0xDC00 || second > 0xDFFF)
		return 0;
	put_utf8(o, 0x10000 + ((unsigned long)(first & 0x3FF) << 10 |
			       (second & 0x3FF)));
	return 12;
}

/*
 * cJSON's two passes over a string with escapes: find the closing quote
 * (a backslash hides the byte after it), then decode up to it, writing
 * at 'o' (the first backslash) over the bytes already read. Like cJSON,
 * the decoding may read the closing quote as the second byte of an
 * escape; it never reads past it.
 */
static bool parse_escaped(struct dec *d, unsigned char *in, char **out)
{
	unsigned char *end = in, *o = in;

	while (*end != '"') {
		if (!*end || (*end == '\\' && !*++end))
			return false;
		end++;
	}
	while (in < end) {
		int n = 2;

		if (*in != '\\') {
			*o++ = *in++;
			continue;
		}
		switch (in[1]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case '"': case '\\': case '/': *o++ = in[1]; break;
		case 'u':
			if (!(n = utf16_escape(in, end, &o)))
				return false;
			break;
		default:
			return false;
		}
		in += n;
	}
	*o = '\0';
	d->p = end + 1;
	return true;
}

/* Where a string's plain run ends: at a quote, a backslash or the NUL. */
static const bool string_stop[256] = { [0] = true, ['"'] = true, ['\\'] = true };

/*
 * The first quote, backslash or NUL from q on. Sixteen bytes at a time
 * while they all lie before the text's NUL (the bytes behind the cursor
 * change, those ahead do not): a tree's strings are short but many, and
 * the loop a byte at a time was a fifth of the decoder.
 */
static unsigned char *string_end(unsigned char *q, const unsigned char *nul)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');

	while (nul - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
						       _mm_cmpeq_epi8(v, backslash)));

		if (m)
			return q + __builtin_ctz((unsigned)m);
		q += 16;
	}
#else
	(void)nul;
#endif
	while (!string_stop[*q])
		q++;
	return q;
}

/* *d->p is '"': the string, unescaped and NUL-terminated in place. */
static bool parse_string(struct dec *d, char **out)
{
	unsigned char *s = d->p + 1, *q = string_end(s, d->nul);

	*out = (char *)s;
	if (*q == '"') {
		*q = '\0';
		d->p = q + 1;
		return true;
	}
	return *q && parse_escaped(d, q, out);
}

/* ---- arrays and objects ------------------------------------------- */

static cJSON *add_kid(struct dec *d, struct kids *k)
{
	cJSON *n = new_node(d);

	if (!n)
		return NULL;
	if (k->tail) {
		k->tail->next = n;
		n->prev = k->tail;
	} else {
		k->head = n;
	}
	k->tail = n;
	return n;
}

/* Past '[' or '{'; false when that is one level too deep. */
static bool open_container(struct dec *d)
{
	if (d->depth >= PGJSON_NESTING_LIMIT)
		return false;
	d->depth++;
	d->p = skip_ws(d->p + 1);
	return true;
}

/* At ']' or '}' (checked by the caller). */
static void close_container(struct dec *d, cJSON *item, struct kids *k,
			    int type)
{
	if (k->head)
		k->head->prev = k->tail;   /* cJSON's: the head's prev is the tail */
	item->type = type;
	item->child = k->head;
	d->depth--;
	d->p++;
}

/* After a member: true and past the ',' when another one follows. */
static bool next_member(struct dec *d)
{
	d->p = skip_ws(d->p);
	if (*d->p != ',')
		return false;
	d->p = skip_ws(d->p + 1);
	return true;
}

/* "key" : -> n->string; leaves d->p at the value */
static bool parse_key(struct dec *d, cJSON *n)
{
	if (*d->p != '"' || !parse_string(d, &n->string))
		return false;
	d->p = skip_ws(d->p);
	if (*d->p != ':')
		return false;
	d->p = skip_ws(d->p + 1);
	return true;
}

/* An array, or an object (its members have keys), at its opening byte. */
static bool parse_container(struct dec *d, cJSON *item, bool object)
{
	char close = object ? '}' : ']';
	struct kids k = { NULL, NULL };
	cJSON *n;

	if (!open_container(d))
		return false;
	if (*d->p != close) {
		do {
			if (!(n = add_kid(d, &k)) || (object && !parse_key(d, n)) ||
			    !parse_value(d, n))
				return false;
		} while (next_member(d));
		if (*d->p != close)
			return false;
	}
	close_container(d, item, &k, object ? cJSON_Object : cJSON_Array);
	return true;
}

/* ---- values ------------------------------------------------------- */

/* 'word' (after its first byte, which the caller matched) at d->p */
static bool parse_word(struct dec *d, const char *word, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (d->p[i] != (unsigned char)word[i])
			return false;   /* a NUL stops the loop too */
	d->p += len;
	return true;
}

static bool parse_value(struct dec *d, cJSON *item)
{
	switch (*d->p) {
	case 'n':
		item->type = cJSON_NULL;
		return parse_word(d, "null", 4);
	case 'f':
		item->type = cJSON_False;
		return parse_word(d, "false", 5);
	case 't':
		item->type = cJSON_True;
		item->valueint = 1;
		return parse_word(d, "true", 4);
	case '"':
		item->type = cJSON_String;
		return parse_string(d, &item->valuestring);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(d, item);
	case '[':
		return parse_container(d, item, false);
	case '{':
		return parse_container(d, item, true);
	default:
		return false;
	}
}

cJSON *pgjson_parse(char *text, pgjson_alloc_fn *alloc, void *data)
{
	struct dec d = { (unsigned char *)text, NULL, 0, NULL, NULL, alloc, data };
	cJSON *root;

	if (!text || !(root = new_node(&d)))
		return NULL;
	d.nul = (const unsigned char *)text + strlen(text);
	/* cJSON skips a BOM only when a byte follows it */
	if (d.p[0] == 0xEF && d.p[1] == 0xBB && d.p[2] == 0xBF && d.p[3])
		d.p += 3;
	d.p = skip_ws(d.p);
	return parse_value(&d, root) ? root : NULL;
}
