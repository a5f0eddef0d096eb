#include "source.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "banned.h"

#define MB (1024.0 * 1024.0)

static const unsigned char utf8_bom[3] = { 0xef, 0xbb, 0xbf };

static bool has_bom(const char *text, size_t len)
{
	return len >= sizeof(utf8_bom) && !memcmp(text, utf8_bom, sizeof(utf8_bom));
}

static void set_why(char **why, char *msg)
{
	if (why)
		*why = msg;
	else
		free(msg);
}

/* strerror() capitalises; our reasons are lower case throughout. */
static char *reason_errno(const char *what, int err)
{
	char *msg = xstrfmt("%s: %s", what, strerror(err));
	size_t n = strlen(what) + 2;

	msg[n] = (char)tolower((unsigned char)msg[n]);
	return msg;
}

static char *reason_too_large(double bytes)
{
	return xstrfmt("file too large (%.1f MB, limit %u MB)",
		       bytes / MB, (unsigned)(SOURCE_MAX_BYTES / (1024 * 1024)));
}

/*
 * Length of the valid UTF-8 sequence at p (at most 'avail' bytes), or 0
 * when it is invalid: overlong forms, UTF-16 surrogates and code points
 * above U+10FFFF are refused (RFC 3629, table 3-7 of Unicode).
 */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (avail < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* True when the 8 bytes at p are all ASCII. */
static bool ascii8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return !(w & 0x8080808080808080ULL);
}

/* Offset of the first byte that starts an invalid sequence, or len. */
static size_t utf8_first_invalid(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		if (len - i >= 8 && ascii8(p + i)) {
			i += 8;
			continue;
		}
		n = utf8_seq_len(p + i, len - i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

/* 1-based line of 'offset', counting line ends as the line index does. */
static int line_of(const char *text, size_t offset)
{
	int line = 1;
	size_t i;

	for (i = 0; i < offset; i++) {
		if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n'))
			line++;
	}
	return line;
}

int source_validate(const char *text, size_t len, char **why)
{
	const char *nul = memchr(text, '\0', len);
	size_t bad;

	if (nul) {
		set_why(why, xstrfmt("binary file (NUL byte at offset %zu)",
				     (size_t)(nul - text)));
		return -1;
	}
	bad = utf8_first_invalid(text, len);
	if (bad == len)
		return 0;
	set_why(why, xstrfmt("not valid UTF-8 (byte 0x%02x at line %d)",
			     (unsigned char)text[bad], line_of(text, bad)));
	return -1;
}

static void build_lines(struct source_file *sf)
{
	size_t alloc = 0, i;
	const char *t = sf->text;

	sf->lines = NULL;
	sf->nr_lines = 0;
	sf->memo_line = 0;
	ALLOC_GROW(sf->lines, 1, alloc);
	sf->lines[sf->nr_lines++] = 0;
	/* most files end their lines with '\n' alone: memchr() finds them
	   at a fraction of the byte loop's cost (8 instructions a byte) */
	if (sf->len && !memchr(t, '\r', sf->len)) {
		const char *p = t, *end = t + sf->len;

		while ((p = memchr(p, '\n', (size_t)(end - p)))) {
			p++;
			ALLOC_GROW(sf->lines, (size_t)sf->nr_lines + 1, alloc);
			sf->lines[sf->nr_lines++] = (size_t)(p - t);
		}
		return;
	}
	for (i = 0; i < sf->len; i++) {
		if (t[i] != '\n' && t[i] != '\r')
			continue;
		if (t[i] == '\r' && i + 1 < sf->len && t[i + 1] == '\n')
			continue;
		ALLOC_GROW(sf->lines, (size_t)sf->nr_lines + 1, alloc);
		sf->lines[sf->nr_lines++] = i + 1;
	}
}

void source_from_text(struct source_file *sf, const char *path, char *text, size_t len)
{
	sf->path = xstrdup(path);
	sf->text = text;
	sf->len = len;
	build_lines(sf);
}

void source_release(struct source_file *sf)
{
	free(sf->path);
	free(sf->text);
	free(sf->lines);
	memset(sf, 0, sizeof(*sf));
}

int source_load(struct source_file *sf, const char *path, char **why)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;

	memset(sf, 0, sizeof(*sf));
	if (why)
		*why = NULL;
	if (read_file_stat(path, &text, &len, SOURCE_MAX_BYTES, &st) < 0) {
		if (errno == EISDIR)
			set_why(why, xstrdup("cannot read: is a directory"));
		else if (errno == EFBIG && S_ISREG(st.st_mode) &&
			 (uintmax_t)st.st_size > SOURCE_MAX_BYTES)
			set_why(why, reason_too_large((double)st.st_size));
		else if (errno == EFBIG)
			set_why(why, xstrfmt("file too large (more than %u MB)",
					     (unsigned)(SOURCE_MAX_BYTES / (1024 * 1024))));
		else
			set_why(why, reason_errno("cannot read", errno));
		return -1;
	}
	if (source_validate(text, len, why) < 0) {
		free(text);
		return -1;
	}
	source_from_text(sf, path, text, len);
	return 0;
}

/* Index of the line holding 'offset': the last start <= offset. */
static int find_line(const struct source_file *sf, size_t offset)
{
	int lo = 0, hi = sf->nr_lines - 1;

	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;

		if (sf->lines[mid] <= offset)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

struct srcpos source_pos(const struct source_file *sf, size_t offset)
{
	struct srcpos pos = { 1, 1 };
	struct source_file *memo;
	size_t start;
	int idx;

	if (!sf->lines || !sf->nr_lines)
		return pos;
	if (offset > sf->len)
		offset = sf->len;
	idx = find_line(sf, offset);
	start = sf->lines[idx];
	/* a BOM is invisible in editors: the text after it is column 1 */
	if (!idx && has_bom(sf->text, sf->len) && offset >= sizeof(utf8_bom))
		start = sizeof(utf8_bom);
	pos.line = idx + 1;
	if (sf->memo_line == pos.line && sf->memo_offset <= offset && sf->memo_offset >= start)
		pos.col = sf->memo_col + utf8_chars(sf->text + sf->memo_offset,
						    offset - sf->memo_offset);
	else
		pos.col = 1 + utf8_chars(sf->text + start, offset - start);
	memo = (struct source_file *)sf;   /* the memo is not the file's content */
	memo->memo_offset = offset;
	memo->memo_line = pos.line;
	memo->memo_col = pos.col;
	return pos;
}

const char *source_line(const struct source_file *sf, int line, size_t *len)
{
	size_t start, end;

	*len = 0;
	if (line < 1 || line > sf->nr_lines)
		return NULL;
	start = sf->lines[line - 1];
	end = line < sf->nr_lines ? sf->lines[line] : sf->len;
	if (end > start && sf->text[end - 1] == '\n')
		end--;
	if (end > start && sf->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return sf->text + start;
}

/* Length of a comment starting at p (0 if none): -- to end of line,
   or a block comment (nesting is rare enough to ignore here). */
static size_t comment_len(const char *p, const char *end)
{
	const char *q;

	if (p + 1 < end && p[0] == '-' && p[1] == '-') {
		for (q = p; q < end && *q != '\n'; q++)
			;
		return (size_t)(q - p);
	}
	if (p + 1 < end && p[0] == '/' && p[1] == '*') {
		for (q = p + 2; q + 1 < end && !(q[0] == '*' && q[1] == '/'); q++)
			;
		return (size_t)(q + 2 <= end ? q + 2 - p : end - p);
	}
	return 0;
}

/* FP_PLAIN and FP_UPPER first: the run of them is the hot loop */
enum { FP_PLAIN, FP_UPPER, FP_SPACE, FP_COMMENT, FP_QUOTE };

#define FP_UP(ch) [ch] = FP_UPPER
static const unsigned char fp_class[256] = {
	[' '] = FP_SPACE, ['\t'] = FP_SPACE, ['\n'] = FP_SPACE, ['\r'] = FP_SPACE,
	['-'] = FP_COMMENT, ['/'] = FP_COMMENT, ['\''] = FP_QUOTE,
	FP_UP('A'), FP_UP('B'), FP_UP('C'), FP_UP('D'), FP_UP('E'), FP_UP('F'),
	FP_UP('G'), FP_UP('H'), FP_UP('I'), FP_UP('J'), FP_UP('K'), FP_UP('L'),
	FP_UP('M'), FP_UP('N'), FP_UP('O'), FP_UP('P'), FP_UP('Q'), FP_UP('R'),
	FP_UP('S'), FP_UP('T'), FP_UP('U'), FP_UP('V'), FP_UP('W'), FP_UP('X'),
	FP_UP('Y'), FP_UP('Z'),
};
#undef FP_UP

/*
 * Keywords and unquoted names are case-insensitive: folded to lower
 * case. A string literal is taken as it is, quotes included.
 */
uint64_t source_fingerprint(const struct source_file *sf, size_t start, size_t end)
{
	const char *p = sf->text + start, *e = sf->text + end, *close;
	uint64_t h = FNV1A64_INIT;
	bool space = false;
	size_t skip;

	while (p < e) {
		unsigned char c = (unsigned char)*p;

		switch (fp_class[c]) {
		case FP_PLAIN:
		case FP_UPPER:
			/* a run of them: names, keywords, numbers, operators */
			if (space)
				h = fnv1a64_byte(h, ' ');
			space = false;
			do {
				if (fp_class[c] == FP_UPPER)
					c = (unsigned char)(c - 'A' + 'a');
				h = fnv1a64_byte(h, c);
				if (++p == e)
					break;
				c = (unsigned char)*p;
			} while (fp_class[c] <= FP_UPPER);
			continue;
		case FP_SPACE:
			space = true;
			p++;
			continue;
		case FP_COMMENT:
			if ((skip = comment_len(p, e))) {
				space = true;
				p += skip;
				continue;
			}
			break;
		case FP_QUOTE:
			close = memchr(p + 1, '\'', (size_t)(e - p - 1));
			close = close ? close + 1 : e;
			if (space)
				h = fnv1a64_byte(h, ' ');
			space = false;
			for (; p < close; p++)
				h = fnv1a64_byte(h, (unsigned char)*p);
			continue;
		}
		if (space)
			h = fnv1a64_byte(h, ' ');
		space = false;
		h = fnv1a64_byte(h, c);
		p++;
	}
	return h;
}
