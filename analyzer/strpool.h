/*
 * strpool.h - interned strings: each distinct string kept once, named by
 * an id (1, 2, ...; 0 stands for NULL), its bytes never moved or freed
 * before the pool is. The catalog's C stores (colstore.h, constore.h)
 * keep their rows' strings in one each: a name, a type or a default
 * repeated on thousands of rows is stored once and compared as an id.
 *
 * Lifecycle: strpool_init() (no allocation), strpool_release().
 */
#ifndef MIGSAFE_STRPOOL_H
#define MIGSAFE_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* A string in the pool's hash: its id, the top half of its hash above
   it (0: a free slot), and its text, so a probe reads the text next
   and not strs[] first (in a long history each was a cache miss). */
struct strpool_slot {
	uint64_t key;
	const char *str;
};

struct strpool {
	const char **strs;      /* strs[id - 1], in the order interned */
	size_t nr, alloc;
	struct strpool_slot *slots;     /* by hash: open addressing, linear
					   probing, at most half full */
	size_t slots_alloc;
	struct arena text;      /* the strings' bytes */
};

void strpool_init(struct strpool *p);
void strpool_release(struct strpool *p);

/* The id of 'str' (NULL: 0), interned when new; the text is copied. */
uint32_t strpool_intern(struct strpool *p, const char *str);
/* The id of a string already interned, else 0. */
uint32_t strpool_find(const struct strpool *p, const char *str);
/* The pool's hash of the 'n' bytes at 'str' (any bytes; this process's
   only, never to be saved), and strpool_find() given it for 'str'
   (not NULL, 'n' its strlen()). */
uint64_t strpool_hash(const char *str, size_t n);
uint32_t strpool_find_hashed(const struct strpool *p, const char *str, uint64_t h);
/* The string of an id (0: NULL); valid until strpool_release(). */
static inline const char *strpool_str(const struct strpool *p, uint32_t id)
{
	return id ? p->strs[id - 1] : NULL;
}

/* The pool as bytes, appended to 'out': a count, then each string with
   its NUL, in id order. */
void strpool_save(const struct strpool *p, struct strbuf *out);
/*
 * Intern into 'p' the strings strpool_save() wrote, read from 'r';
 * *map (the caller frees it) gives for a saved id - 1 its id in 'p',
 * *nr how many there were. -1 when the bytes cannot be a pool.
 */
int strpool_load(struct strpool *p, struct reader *r, uint32_t **map, uint32_t *nr);
/*
 * A store's bytes as it saves them: its pool (strpool_save()), a count
 * of rows, the rows. 'row' reads one into 'store' (its strings' ids
 * through 'map'; ids past 'max_id' are damage), -1 when it cannot;
 * 'row_bytes' is the least a row takes. Returns the bytes read, 0 when
 * they cannot be such a store (it is then partly filled).
 */
typedef int strpool_row_fn(void *store, struct reader *r, const uint32_t *map, uint32_t nr,
			   uint64_t max_id);
size_t strpool_load_rows(struct strpool *p, const void *data, size_t len, size_t row_bytes,
			 strpool_row_fn *row, void *store);
/* A saved id read from 'r', as 'map' renames it; 0 stays 0, and an id
   past 'nr' makes the bytes bad. Inline: a cached catalog's rows read
   hundreds of thousands. */
static inline uint32_t strpool_read_id(struct reader *r, const uint32_t *map, uint32_t nr)
{
	uint32_t id = rd_u32(r);

	if (id > nr)
		r->bad = true;
	return id && id <= nr ? map[id - 1] : 0;
}

#endif
