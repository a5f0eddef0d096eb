/*
 * colstore.h - the catalog's columns, kept in C (catalog.c shows them
 * to SQL as the virtual table "columns"; nothing else uses this).
 *
 * A column is a row indexed by its id; its strings are interned (the
 * same name, type or default is stored once) and never freed before the
 * store. Three ways in, each O(1) or the length of one relation's
 * column list: by id, by (relation, name), and a relation's columns in
 * attnum order (a list through the rows). A row is 68 bytes: a long
 * history has a few hundred thousand.
 *
 * Ids are handed out as SQLite does for an INTEGER PRIMARY KEY without
 * AUTOINCREMENT: one past the highest id in use, so the id of the newest
 * column, once dropped, is given again.
 *
 * Lifecycle: colstore_init() (no allocation), colstore_release().
 */
#ifndef MIGSAFE_COLSTORE_H
#define MIGSAFE_COLSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linkstore.h"
#include "strpool.h"
#include "util.h"

/* A string's id in the store; 0 is SQL NULL. */
typedef uint32_t cs_str;

/* Bits of col_row.flags */
#define CS_TYPMOD1   (1u << 0)   /* typmod1 is not NULL */
#define CS_TYPMOD2   (1u << 1)
#define CS_NOT_NULL  (1u << 2)
#define CS_IN_RANGE  (1u << 3)
#define CS_COLLATION (1u << 4)   /* colstore_collation() has one */

/* One column, as the SQL table "columns" has it ("file" is computed). */
struct col_row {
	uint32_t rel_id;        /* 0: the id is free */
	uint32_t next;          /* the relation's next column (attnum order), 0: none */
	int32_t attnum;
	cs_str name, type, type_schema, type_name;
	int32_t typmod1, typmod2;
	int32_t array_dims;
	cs_str default_expr, generated, comment;
	int32_t created_file;
	int32_t line;
	uint32_t file_ref;      /* files.id, 0: NULL */
	char default_volatility;   /* 'i', 's', 'v' or 0 (NULL) */
	char identity;             /* 'a', 'd' or 0 (NULL) */
	uint8_t flags;             /* CS_* */
};

/* One relation's columns: the first and last ids of its list, 0: none. */
struct col_ends {
	uint32_t first, last;
};

struct colstore {
	/* rows[id], rows[0] unused; above max_id not initialised (the
	   array grows without touching its pages) */
	struct col_row *rows;
	size_t rows_alloc;
	int64_t max_id;         /* highest id in use, 0: none */
	size_t nr;              /* columns in use */
	/* (rel_id, name) -> id: open addressing, linear probing, 0 free;
	   the top half of the key's hash above each id */
	uint64_t *slots;
	size_t slots_alloc;
	/* by relation id */
	struct col_ends *rels;
	size_t rels_alloc;
	struct strpool strs;    /* the rows' strings */
	/* id -> COLLATE's name, for the rows flagged CS_COLLATION (few
	   columns have one: kept aside, not a field of every row) */
	struct ls_map collations;
};

void colstore_init(struct colstore *s);
void colstore_release(struct colstore *s);

/* Intern a string (NULL: 0); the text stays until colstore_release(). */
cs_str colstore_intern(struct colstore *s, const char *str);
/* The sid of a string already interned, else 0 (no column has it). */
cs_str colstore_str_find(const struct colstore *s, const char *str);
/* The text of a sid (NULL for 0). */
static inline const char *colstore_str(const struct colstore *s, cs_str sid)
{
	return strpool_str(&s->strs, sid);
}

/* The column with this id, or NULL. */
static inline struct col_row *colstore_get(const struct colstore *s, int64_t id)
{
	struct col_row *r;

	if (id <= 0 || id > s->max_id)
		return NULL;
	r = &s->rows[id];
	return r->rel_id ? r : NULL;
}

/* The id of column 'name' of relation 'rel', or 0. */
int64_t colstore_find(const struct colstore *s, int64_t rel, cs_str name);
/* A row's collation (0: its type's own); set it (0 clears it). */
cs_str colstore_collation(const struct colstore *s, int64_t id);
void colstore_set_collation(struct colstore *s, int64_t id, cs_str collation);
/* The first column of 'rel' (attnum order), or 0; then rows[id].next. */
uint32_t colstore_first(const struct colstore *s, int64_t rel);
/* The attnum a new column of 'rel' gets: one past the highest. */
int32_t colstore_next_attnum(const struct colstore *s, int64_t rel);

/*
 * Add a column (row->rel_id (< 2^32), ->name set; the name not taken in
 * the relation): id 0 gives it the next id, any other id is the one it
 * had (catalog_load(), ids ascending). Returns its id.
 */
int64_t colstore_add(struct colstore *s, const struct col_row *row, int64_t id);
void colstore_delete(struct colstore *s, int64_t id);
/* Rename (the new name not taken in the relation). */
void colstore_rename(struct colstore *s, int64_t id, cs_str name);
/* The first id in use above 'id', or 0: a scan in id order. */
int64_t colstore_next(const struct colstore *s, int64_t id);

struct strbuf;

/*
 * The store as bytes, appended to 'out': its strings once each, then its
 * rows in id order, every integer four bytes little-endian. What a
 * cached catalog keeps of the columns (catalog_save()).
 */
void colstore_save(const struct colstore *s, struct strbuf *out);
/*
 * Fill an empty store from colstore_save()'s bytes. -1 when they cannot
 * be a store (a string without its end, a string id or a row id out of
 * order or range, ids far beyond the number of rows, a name taken twice,
 * bytes left over): the store is then partly filled, to be released.
 */
/* The rows' relation ids are at most 'max_rel' (the relations' highest
   id: each is an index into an array here, so a damaged one must not
   become gigabytes to reserve). */
int colstore_load(struct colstore *s, const void *data, size_t len, uint32_t max_rel);

#endif
