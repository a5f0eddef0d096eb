/*
 * source.h - one migration file's text and the mapping from byte
 * offsets to 1-based line and column.
 *
 * Columns count characters (UTF-8 code points), not bytes, as SARIF's
 * "unicodeCodePoints" column kind and editors expect. A tab is one
 * character.
 */
#ifndef MIGSAFE_SOURCE_H
#define MIGSAFE_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Files above this size are refused with a message (see source_load). */
#define SOURCE_MAX_BYTES (64u * 1024 * 1024)

struct source_file {
	char *path;        /* owned: the path as the user named it */
	char *text;        /* owned: NUL-terminated contents (see masking) */
	size_t len;        /* bytes in text, not counting the NUL */
	size_t *lines;     /* owned: byte offset of the start of each line */
	int nr_lines;
	/* source_pos()'s last answer, so that positions asked in order on
	   one long line (a minified migration) cost a walk of it once */
	size_t memo_offset;
	int memo_line, memo_col;  /* 0: no memo */
};

/* A position in a file. line and col are 1-based. */
struct srcpos {
	int line;
	int col;
};

/*
 * Load 'path' into 'sf'. Returns 0, or -1 after filling 'why' (if not
 * NULL) with a one-line, lower-case reason naming no path: "cannot read:
 * permission denied", "binary file (NUL byte at offset 12)", "not valid
 * UTF-8 (byte 0xff at line 3)", "file too large (70 MB, limit 64 MB)".
 * On failure sf is left released.
 */
int source_load(struct source_file *sf, const char *path, char **why);

/*
 * Take ownership of 'text' (NUL-terminated, 'len' bytes) as the contents
 * of a file named 'path'; builds the line index. Used by tests and by
 * source_load. Does not validate.
 */
void source_from_text(struct source_file *sf, const char *path, char *text, size_t len);

void source_release(struct source_file *sf);

/* Map a byte offset (0..len) to line/column. O(log lines). */
struct srcpos source_pos(const struct source_file *sf, size_t offset);

/*
 * The fingerprint of the text in [start, end), which survives
 * reformatting: comments left out, white space runs as one space, letters
 * outside string literals in lower case.
 */
uint64_t source_fingerprint(const struct source_file *sf, size_t start, size_t end);

/* The text of line 'line' (1-based) without its newline; *len is set. */
const char *source_line(const struct source_file *sf, int line, size_t *len);

/*
 * Check that text is valid UTF-8 with no NUL byte. Returns 0 or -1 and a
 * reason in *why (caller frees). A leading UTF-8 BOM is accepted.
 */
int source_validate(const char *text, size_t len, char **why);

#endif
