/*
 * linkstore.h - the rows that list, in order, what a catalog object is
 * made of: an index's columns, a constraint's columns. The catalog
 * keeps "index_columns" and "constraint_columns" in one each and shows
 * them to SQL as virtual tables of those names (catalog.c); nothing
 * else uses this.
 *
 * A row belongs to a parent (an index's or a constraint's id) at a
 * position, names up to LS_KEYS other ids, its keys (a column; for a
 * foreign key also the column it references), and carries up to
 * LS_STRS strings, a number and a few flag bits. Three ways in, each a
 * list through the rows: a parent's rows in position order (or, with
 * by_pos false, in the order they were added); the rows with one value
 * of a key (NULL, 0, included) in the order of their ids; every row in
 * that order. A SQLite table with an index on each key gave rows in
 * these orders. The same store holds the indexes (a table's, with its
 * index's id as a key): see catalog.c.
 *
 * Row ids are handed out ascending and never given again: a row that
 * goes stays in the array, marked gone, so that a scan which took ids
 * before a delete finds the row gone rather than another one. Strings
 * are not freed before the store.
 *
 * Lifecycle: linkstore_init() (no allocation), linkstore_release().
 */
#ifndef MIGSAFE_LINKSTORE_H
#define MIGSAFE_LINKSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define LS_KEYS 2
#define LS_STRS 2

struct link_row {
	uint32_t parent;                /* 0: the row is gone */
	int32_t pos;
	uint32_t key[LS_KEYS];          /* 0: NULL */
	uint32_t str[LS_STRS];          /* strs[str - 1]; 0: NULL */
	uint32_t flags;                 /* the caller's */
	uint32_t next;                  /* the parent's next row, 0: none */
	uint32_t key_next[LS_KEYS];     /* the next row with this key, 0: none */
	uint32_t key_prev[LS_KEYS];     /* the previous one; the first row's
					   is the last row (O(1) append) */
};

/* id -> first row, open addressing (id 0 marks a free slot); an id and
   its first row side by side, so that a lookup misses the cache once */
struct ls_slot {
	uint32_t id, first;
};

struct ls_map {
	struct ls_slot *slots;
	size_t alloc, nr;
};

struct linkstore {
	struct link_row *rows;          /* rows[id], rows[0] unused */
	size_t nr_rows;                 /* ids below this were given */
	size_t rows_alloc;
	size_t live;                    /* rows not gone */
	bool by_pos;                    /* a parent's rows by pos (the default) */
	struct ls_map parents;
	/* the last row of the parent a row was last linked into, where
	   the next row of that parent most likely goes; 0: none */
	uint32_t tail_parent, tail;
	struct ls_map keys[LS_KEYS];
	uint32_t null_first[LS_KEYS];   /* the rows whose key is NULL */
	const char **strs;
	size_t nr_strs, strs_alloc;
	struct arena text;
};

/* The map's use (constore.c and relstore.c have their keys in them
   too): the first row of 'id' (0 or past UINT32_MAX, a value no row
   has: 0), or 0; its place, made if need be (an id stays once there). */
uint32_t ls_map_get(const struct ls_map *m, uint64_t id);
uint32_t *ls_map_at(struct ls_map *m, uint32_t id);
/* Room for 'n' ids in all, so that adding them does not grow the map
   (a load that knows its count). */
void ls_map_reserve(struct ls_map *m, size_t n);
void ls_map_release(struct ls_map *m);

/*
 * The rows that share a key's value, as a list in id order through two
 * uint32_t fields of each row: next (0 ends it) and prev (the first
 * row's is the last row, so that the usual append is O(1)). 'rows' is
 * a store's row array, 'stride' the size of a row, 'next' and 'prev'
 * the byte offsets of one key's two fields in a row; '*head' is the
 * list's first row (0: empty). Used for linkstore's keys and constore's.
 */
struct ls_chain {
	unsigned char *rows;
	size_t stride, next, prev;
};
/* Row 'id' into the list, in id order (its fields are overwritten). */
void ls_chain_insert(const struct ls_chain *c, uint32_t *head, uint32_t id);
/* Row 'id' out of the list it is in. */
void ls_chain_remove(const struct ls_chain *c, uint32_t *head, uint32_t id);

/*
 * A store whose rows hold arrays key[], key_next[] and key_prev[] of
 * uint32_t, one entry a key (linkstore's rows, constore's, relstore's):
 * the size of a row and the byte offsets of the three arrays.
 */
struct ls_keys {
	size_t stride, key, next, prev;
};
/* Key k's list through 'rows' (a store's row array). */
struct ls_chain ls_keys_chain(const struct ls_keys *t, void *rows, int k);
/* Row id into the list of its key k's value, whose first row 'map'
   holds, or out of it; a key of 0 (NULL) is in none. */
void ls_keys_link(const struct ls_keys *t, void *rows, struct ls_map *map, int k, uint32_t id);
void ls_keys_unlink(const struct ls_keys *t, void *rows, struct ls_map *map, int k, uint32_t id);

/* by_pos is set: a parent's rows come by position */
void linkstore_init(struct linkstore *s);
void linkstore_release(struct linkstore *s);

/* Add a row (parent != 0; strings copied, NULL for none: str may be
   NULL for no strings). Returns its id. */
uint32_t linkstore_add(struct linkstore *s, uint32_t parent, int32_t pos,
		       const uint32_t key[LS_KEYS], const char *const str[LS_STRS],
		       uint32_t flags);
/* Give a row's key k another value (its place among that value's rows
   is by id, as for a row added). */
void linkstore_set_key(struct linkstore *s, uint32_t id, int k, uint32_t value);
/* Give a row's string k another text (copied; NULL for none). */
void linkstore_set_str(struct linkstore *s, uint32_t id, int k, const char *str);
/* Take a row out (an id that is gone or was never given: nothing). */
void linkstore_delete(struct linkstore *s, uint32_t id);

/* The row with this id, or NULL (gone, or never given). */
static inline const struct link_row *linkstore_get(const struct linkstore *s, uint64_t id)
{
	const struct link_row *r = id && id < s->nr_rows ? &s->rows[id] : NULL;

	return r && r->parent ? r : NULL;
}

static inline const char *linkstore_str(const struct linkstore *s, uint32_t sid)
{
	return sid ? s->strs[sid - 1] : NULL;
}

/* A parent's first row (position order), or 0; then rows[id].next. */
uint32_t linkstore_first(const struct linkstore *s, uint64_t parent);
/* The first row whose key k is 'value' (0: NULL), or 0; then
   rows[id].key_next[k]. */
uint32_t linkstore_key_first(const struct linkstore *s, int k, uint64_t value);

struct strbuf;

/*
 * The rows as bytes, appended to 'out': their number, then each row
 * (parent, position, keys, flags, then each string's length + 1 or 0
 * and its bytes), integers four bytes little-endian, ids ascending. What a
 * cached catalog keeps of the store (catalog_save()); ids are not kept.
 */
void linkstore_save(const struct linkstore *s, struct strbuf *out);
/*
 * Fill an empty store from linkstore_save()'s bytes; returns how many
 * bytes it read, or 0 when they cannot be a store (too short, a row
 * without a parent, a string past the end): the store is then partly
 * filled, to be released.
 */
size_t linkstore_load(struct linkstore *s, const void *data, size_t len);

#endif
