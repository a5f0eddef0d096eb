/*
 * constore.h - the catalog's table constraints, kept in C (catalog.c
 * shows them to SQL as the virtual table "constraints"; nothing else
 * uses this). An INSERT into the SQLite table with its five indexes
 * cost about 15,000 instructions, a long history adds thousands.
 *
 * A constraint is a row indexed by its id. Five of its fields are keys
 * (CK_*): the rows with one value of a key are a list through the rows
 * in id order, which is the order the table's index on that field gave
 * them. A key of 0 (NULL) is in no list. Strings are interned (stored
 * once) and never freed before the store; the name is a key by its
 * string's id.
 *
 * Ids are handed out as SQLite does for an INTEGER PRIMARY KEY without
 * AUTOINCREMENT: one past the highest id in use, so the id of the newest
 * constraint, once dropped, is given again (colstore.h does the same).
 *
 * Lifecycle: constore_init() (no allocation), constore_release().
 */
#ifndef MIGSAFE_CONSTORE_H
#define MIGSAFE_CONSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkstore.h"
#include "strpool.h"
#include "util.h"

/* The keys: con_row.key[] */
enum con_key {
	CK_REL,         /* rel_id; 0: the id is free */
	CK_NAME,        /* the name's string id */
	CK_REF,         /* ref_rel_id */
	CK_INDEX,       /* index_id */
	CK_PARENT,      /* parent_con */
	CON_KEYS
};

/* One constraint, as the SQL table "constraints" had it ("file" is
   computed, stmt_hash shown as 16 hex digits). */
struct con_row {
	uint32_t key[CON_KEYS];
	uint32_t key_next[CON_KEYS];    /* the next row with this key, 0: none */
	uint32_t key_prev[CON_KEYS];    /* the previous one; the first row's is
					   the last row (O(1) append) */
	uint32_t expr, not_null_column; /* string ids, 0: NULL */
	uint32_t file_ref;              /* files.id, 0: NULL */
	int32_t validated, is_deferrable, created_file, in_range;
	int32_t line, col, end_line, end_col;
	int64_t start_offset, end_offset;
	uint64_t stmt_hash;
	char kind;
	char on_delete, on_update;      /* 0: NULL */
};

struct constore {
	/* rows[id], rows[0] unused; above max_id not initialised */
	struct con_row *rows;
	size_t rows_alloc;
	int64_t max_id;         /* highest id in use, 0: none */
	size_t nr;              /* rows in use */
	struct ls_map keys[CON_KEYS];   /* a key's value -> its first row */
	struct strpool strs;    /* the rows' strings */
};

void constore_init(struct constore *s);
void constore_release(struct constore *s);

/* Intern a string (NULL: 0); the text stays until constore_release(). */
uint32_t constore_intern(struct constore *s, const char *str);
/* The sid of a string already interned, else 0 (no row has it). */
uint32_t constore_str_find(const struct constore *s, const char *str);
static inline const char *constore_str(const struct constore *s, uint32_t sid)
{
	return strpool_str(&s->strs, sid);
}

/* The constraint with this id, or NULL. */
static inline struct con_row *constore_get(const struct constore *s, int64_t id)
{
	struct con_row *r;

	if (id <= 0 || id > s->max_id)
		return NULL;
	r = &s->rows[id];
	return r->key[CK_REL] ? r : NULL;
}

/*
 * Add a row (row->key[CK_REL] and [CK_NAME] set; the lists' fields are
 * the store's): id 0 gives it the next id, any other id is the one it
 * had (constore_load(), ids ascending). Returns its id.
 */
int64_t constore_add(struct constore *s, const struct con_row *row, int64_t id);
/* Take a row out (an id not in use: nothing). */
void constore_delete(struct constore *s, int64_t id);
/* Give a row's key k (not CK_REL) another value, 0 for NULL. */
void constore_set_key(struct constore *s, int64_t id, enum con_key k, uint32_t value);
/* The first row whose key k is 'value' (not 0), or 0; then
   rows[id].key_next[k], in id order. */
uint32_t constore_key_first(const struct constore *s, enum con_key k, uint64_t value);
/* The first id in use above 'id', or 0: a scan in id order. */
int64_t constore_next(const struct constore *s, int64_t id);

struct strbuf;

/*
 * The store as bytes, appended to 'out': its strings once each, then its
 * rows in id order with their ids, integers little-endian. What a cached
 * catalog keeps of the constraints (catalog_save()).
 */
void constore_save(const struct constore *s, struct strbuf *out);
/*
 * Fill an empty store from constore_save()'s bytes; returns how many
 * bytes it read, or 0 when they cannot be a store (too short, a string
 * without its end, a string id or a row id out of order or range, a row
 * without a relation or a name): the store is then partly filled, to be
 * released.
 */
size_t constore_load(struct constore *s, const void *data, size_t len);

#endif
