/*
 * relstore.h - the catalog's relations (tables, views, sequences,
 * indexes: what PostgreSQL keeps in pg_class), kept in C (catalog.c
 * shows them to SQL as the virtual table "relations"; nothing else uses
 * this). An INSERT into the SQLite table with its unique key and two
 * partial indexes cost about 12,000 instructions, a DELETE with its
 * triggers 65,000, and a history adds thousands of relations.
 *
 * A relation is a row indexed by its id. Three of its fields are keys
 * (RK_*): the rows with one value of a key are a list through the rows
 * in id order, which is the order the table's indexes on those fields
 * gave them. A key of 0 (NULL) is in no list. (schema, name) is unique
 * and found through a hash of ids. Strings are interned (stored once)
 * and never freed before the store; a name is compared by its
 * string's id.
 *
 * Ids are handed out as SQLite does for an INTEGER PRIMARY KEY without
 * AUTOINCREMENT: one past the highest id in use, so the id of the newest
 * relation, once dropped, is given again (colstore.h does the same).
 *
 * Lifecycle: relstore_init() (no allocation), relstore_release().
 */
#ifndef MIGSAFE_RELSTORE_H
#define MIGSAFE_RELSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkstore.h"
#include "strpool.h"
#include "util.h"

/* The keys: rel_row.key[] */
enum rel_key {
	RK_SCHEMA,      /* schema_id */
	RK_TABLE,       /* table_id: an index's table, a sequence's owner */
	RK_PARENT,      /* parent_id: a partition's partitioned table */
	REL_KEYS
};

/* Bits of rel_row.flags: the table's 0/1 columns */
#define RF_UNLOGGED        (1u << 0)
#define RF_RLS_ENABLED     (1u << 1)
#define RF_RLS_FORCED      (1u << 2)
#define RF_COLUMNS_UNKNOWN (1u << 3)
#define RF_IN_RANGE        (1u << 4)
#define RF_ALL             0x1fu

/* One relation, as the SQL table "relations" had it ("file" is computed). */
struct rel_row {
	uint32_t key[REL_KEYS];
	uint32_t key_next[REL_KEYS];    /* the next row with this key, 0: none */
	uint32_t key_prev[REL_KEYS];    /* the previous one; the first row's is
					   the last row (O(1) append) */
	uint32_t name;                  /* a string id, never 0 */
	/* string ids, 0: NULL */
	uint32_t comment, definition, partition_key, partition_bound;
	uint32_t file_ref;              /* files.id, 0: NULL */
	int32_t created_file, line;
	uint8_t flags;                  /* RF_* */
	char kind;                      /* 0: the id is free */
};

struct relstore {
	/* rows[id], rows[0] unused; above max_id not initialised */
	struct rel_row *rows;
	size_t rows_alloc;
	int64_t max_id;         /* highest id in use, 0: none */
	size_t nr;              /* rows in use */
	struct ls_map keys[REL_KEYS];   /* a key's value -> its first row */
	/* the rows by (schema, name): open addressing, linear probing, 0
	   free, at most half full; the top half of the key's hash above
	   each id */
	uint64_t *names;
	size_t names_alloc;
	struct strpool strs;    /* the rows' strings */
};

void relstore_init(struct relstore *s);
void relstore_release(struct relstore *s);

/* Intern a string (NULL: 0); the text stays until relstore_release(). */
uint32_t relstore_intern(struct relstore *s, const char *str);
/* The sid of a string already interned, else 0 (no row has it). */
uint32_t relstore_str_find(const struct relstore *s, const char *str);
static inline const char *relstore_str(const struct relstore *s, uint32_t sid)
{
	return strpool_str(&s->strs, sid);
}

/* The relation with this id, or NULL. */
static inline struct rel_row *relstore_get(const struct relstore *s, int64_t id)
{
	struct rel_row *r;

	if (id <= 0 || id > s->max_id)
		return NULL;
	r = &s->rows[id];
	return r->kind ? r : NULL;
}

/* The id of the relation named 'name' (a sid; 0: none) in 'schema', or 0. */
uint32_t relstore_find(const struct relstore *s, uint32_t schema, uint32_t name);

/*
 * Add a row (row->kind and row->name set, its (schema, name) free: see
 * relstore_find(); the lists' fields are the store's): id 0 gives it
 * the next id, any other id is the one it had (relstore_load(), ids
 * ascending). Returns its id.
 */
int64_t relstore_add(struct relstore *s, const struct rel_row *row, int64_t id);
/* Take a row out (an id not in use: nothing). */
void relstore_delete(struct relstore *s, int64_t id);
/* Give a row's key k another value, 0 for NULL (RK_SCHEMA: the
   (schema, name) must be free). */
void relstore_set_key(struct relstore *s, int64_t id, enum rel_key k, uint32_t value);
/* Give a row another name (a sid; the (schema, name) must be free). */
void relstore_set_name(struct relstore *s, int64_t id, uint32_t name);
/* The first row whose key k is 'value' (not 0), or 0; then
   rows[id].key_next[k], in id order. */
uint32_t relstore_key_first(const struct relstore *s, enum rel_key k, uint64_t value);
/* The first id in use above 'id', or 0: a scan in id order. */
int64_t relstore_next(const struct relstore *s, int64_t id);

struct strbuf;

/*
 * The store as bytes, appended to 'out': its strings once each, then its
 * rows in id order with their ids, integers little-endian. What a cached
 * catalog keeps of the relations (catalog_save()).
 */
void relstore_save(const struct relstore *s, struct strbuf *out);
/*
 * Fill an empty store from relstore_save()'s bytes; returns how many
 * bytes it read, or 0 when they cannot be a store (too short, a string
 * without its end, a string id or a row id out of order or range, a row
 * without a kind or a name, two rows with one (schema, name)): the store
 * is then partly filled, to be released.
 */
size_t relstore_load(struct relstore *s, const void *data, size_t len);

#endif
