/*
 * catalog.h - the schema model: an in-memory SQLite database (the
 * "ephemeral database", schema in catalog.sql) that migrations are
 * replayed into. The only module that talks to SQLite for the catalog.
 *
 * Replay writes through the cat_* mutators; rules and 'inspect' read
 * through the lookups and iterators. Every object created records the
 * current origin (cat_set_origin): which migration and statement made it.
 *
 * Ids are SQLite rowids (> 0), or given as SQLite gives them for the
 * tables kept in C (relations, columns, constraints: one past the
 * highest in use); 0 means "none". Lookups fill caller-owned structs
 * whose strings are fixed-size arrays (PostgreSQL names are at most 63
 * bytes), so nothing returned needs freeing.
 */
#ifndef MIGSAFE_CATALOG_H
#define MIGSAFE_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "finding.h"

#define NAME_MAX_BYTES 63   /* PostgreSQL's NAMEDATALEN - 1 */
#define NAMEBUF (NAME_MAX_BYTES + 1)

typedef int64_t cat_id;

struct catalog;

/* Receives one description of an object ('view "v"', ...). */
typedef void (*cat_describe_fn)(void *data, const char *what);

/* Where the statement being replayed is; copied by cat_set_origin. */
struct cat_origin {
	int file_index;         /* -1: before the history (--initial-schema);
	                           -2: the layout's prelude (engine.c) */
	bool in_range;
	const char *file;       /* display path; must outlive the catalog */
	struct loc loc;
};

/*
 * For a program whose SQLite databases are all used by one thread: no
 * mutexes, no count of memory in use, and SQLite's memory from
 * sqlite_mem.c's free lists (not under AddressSanitizer). Call it before
 * any database is opened (later it changes nothing); without it SQLite
 * stays safe for threads, only slower.
 */
void catalog_single_thread(void);
int catalog_open(struct catalog **out);   /* 0 or -1 with a message */
void catalog_free(struct catalog *c);
/* "SQLite 3.53.2": the library the catalog (and the SQLite dialect) runs on. */
const char *catalog_backend_version(void);
void cat_set_origin(struct catalog *c, const struct cat_origin *o);

/*
 * Run read-only SQL over the catalog (inspect, custom rules): calls fn
 * for each row with the column count, names and values as text (NULL
 * for SQL NULL). Returns 0, or -1 with *err (if not NULL) set to
 * SQLite's message (caller frees). fn returning non-zero stops early.
 */
typedef int (*cat_row_fn)(void *data, int ncols, const char *const *names,
			  const char *const *values);
int catalog_query(struct catalog *c, const char *sql, cat_row_fn fn, void *data, char **err);
/*
 * The same for a question asked once per statement: 'sql' must be a
 * string literal (it is compiled once and cached by its address), and
 * read-only; ?1 is bound to id, ?2 and ?3 to the texts (NULL binds NULL).
 * Returns 0 or -1.
 */
int catalog_query_static(struct catalog *c, const char *sql, cat_id id, const char *text2,
			 const char *text3, cat_row_fn fn, void *data);

/* ---- schemas ---- */
cat_id cat_schema_find(struct catalog *c, const char *name);
cat_id cat_schema_create(struct catalog *c, const char *name);
/* Count the objects (relations, types, functions) a schema holds. */
int cat_schema_count_objects(struct catalog *c, cat_id schema);
void cat_schema_drop(struct catalog *c, cat_id schema);
void cat_schema_rename(struct catalog *c, cat_id schema, const char *name);
/* Where the schema was created (-1 before the history) and if in range. */
void cat_schema_origin(struct catalog *c, cat_id schema, int *file, bool *in_range);

/* ---- relations (tables, views, sequences, indexes) ---- */
enum rel_kind {
	REL_TABLE = 'r',
	REL_PARTITIONED = 'p',
	REL_VIEW = 'v',
	REL_MATVIEW = 'm',
	REL_SEQUENCE = 'S',
	REL_INDEX = 'i',
	REL_FOREIGN = 'f',
};

struct cat_rel {
	cat_id id;
	cat_id schema_id;
	char schema[NAMEBUF];
	char name[NAMEBUF];
	enum rel_kind kind;
	cat_id table_id;        /* index: its table; sequence: owner table */
	int created_file;       /* -1: before the history */
	bool in_range;
	bool columns_unknown;   /* CREATE TABLE AS the model could not follow */
};

/* 0 and *out filled, or -1 when there is no such relation. */
int cat_rel_find(struct catalog *c, cat_id schema, const char *name, struct cat_rel *out);
int cat_rel_get(struct catalog *c, cat_id id, struct cat_rel *out);
cat_id cat_rel_create(struct catalog *c, cat_id schema, const char *name,
		      enum rel_kind kind, cat_id table_id);
void cat_rel_drop(struct catalog *c, cat_id rel);
void cat_rel_rename(struct catalog *c, cat_id rel, const char *name);
void cat_rel_set_schema(struct catalog *c, cat_id rel, cat_id schema);
/* Does a relation that moves with 'rel' (itself, its indexes, the
   sequences it owns) have a name 'schema' holds (cat_rel_name_taken())?
   The first such name in 'name' (NAMEBUF) and the word for what holds
   it, else NULL. */
const char *cat_rel_move_conflict(struct catalog *c, cat_id rel, cat_id schema, char *name);
void cat_rel_set_kind(struct catalog *c, cat_id rel, enum rel_kind kind);
void cat_rel_set_parent(struct catalog *c, cat_id rel, cat_id parent);
/* column: "unlogged", "rls_enabled", "rls_forced" or "columns_unknown";
   value 0 or 1 (anything else is 1) */
void cat_rel_set_flag(struct catalog *c, cat_id rel, const char *column, int value);
/* column: "comment", "definition", "partition_key" or "partition_bound"
   (text copied; NULL for none) */
void cat_rel_set_text(struct catalog *c, cat_id rel, const char *column, const char *text);
/* The same text (the catalog's, valid until it changes), or NULL. */
const char *cat_rel_text(struct catalog *c, cat_id rel, const char *column);
/* The views that read relation 'rel', each once, in *views (malloc'ed:
   the caller frees it); how many. */
int cat_views_reading(struct catalog *c, cat_id rel, cat_id **views);

/* ---- columns ---- */
struct cat_col {
	cat_id id;
	cat_id rel_id;
	int attnum;
	char name[NAMEBUF];
	struct type_ref type;   /* name/schema point into the two arrays below */
	char type_name[NAMEBUF];
	char type_schema[NAMEBUF];
	bool not_null;
	bool has_default;
	char default_volatility;  /* 'i', 's', 'v' or 0 */
	char identity;            /* 'a', 'd' or 0 */
	bool generated;
	int created_file;
	char collation[NAMEBUF];  /* COLLATE's name, "": the type's default */
};

int cat_col_find(struct catalog *c, cat_id rel, const char *name, struct cat_col *out);
int cat_col_get(struct catalog *c, cat_id id, struct cat_col *out);
/* All columns of a relation in attnum order; *cols is malloc'ed. */
int cat_col_list(struct catalog *c, cat_id rel, struct cat_col **cols, int *nr);

struct cat_col_def {
	const char *name;
	const struct type_ref *type;
	bool not_null;
	const char *default_expr;     /* normalised text, or NULL */
	char default_volatility;      /* 'i', 's', 'v' or 0 */
	char identity;                /* 'a', 'd' or 0 */
	const char *generated;        /* expression text, or NULL */
	const char *collation;        /* COLLATE's name, or NULL */
};
cat_id cat_col_add(struct catalog *c, cat_id rel, const struct cat_col_def *def);
/* ALTER COLUMN ... TYPE: the collation given (NULL: the type's default). */
void cat_col_set_collation(struct catalog *c, cat_id col, const char *collation);
void cat_col_drop(struct catalog *c, cat_id col);
void cat_col_rename(struct catalog *c, cat_id col, const char *name);
/* After a column of 'table' was renamed 'from' -> 'to': the expressions
   stored with the table (defaults, generated columns, CHECKs, index keys
   and predicates) name it by its new name, as PostgreSQL, which keeps
   them by attnum, prints them. */
void cat_col_rename_refs(struct catalog *c, cat_id table, const char *from, const char *to);
void cat_col_set_type(struct catalog *c, cat_id col, const struct type_ref *type);
void cat_col_set_not_null(struct catalog *c, cat_id col, bool not_null);
void cat_col_set_default(struct catalog *c, cat_id col, const char *expr, char volatility);
void cat_col_set_identity(struct catalog *c, cat_id col, char identity);
void cat_col_set_generated(struct catalog *c, cat_id col, const char *expr);
/* Show the column's type as 'text' (SQLite: the type as declared, which
   type_format() cannot spell); type_name and the modifiers stay. */
void cat_col_set_type_text(struct catalog *c, cat_id col, const char *text);
/*
 * PostgreSQL holds the sequence of a nextval() default by its OID: the
 * text pg_get_expr() prints follows the sequence when it is renamed or
 * moved. Call before such a change: relation 'rel' (a sequence renamed
 * to 'name', NULL: keeping its name) and the sequences cat_rel_set_schema()
 * moves with it go to the schema named 'schema' (NULL: stay), or, rel 0,
 * schema 'sid' is renamed to 'schema'. Every column whose default is
 * serial_default_format() of such a sequence (replay writes a serial
 * column's and a resolved nextval('...')'s so) gets the new text.
 */
void cat_col_defaults_follow(struct catalog *c, cat_id rel, cat_id sid, const char *schema,
			     const char *name);

/* ---- constraints ---- */
struct cat_con {
	cat_id id;
	cat_id rel_id;
	char name[NAMEBUF];
	enum con_kind kind;
	bool validated;
	cat_id ref_rel_id;
	cat_id index_id;
	char not_null_column[NAMEBUF];   /* "" unless CHECK (col IS NOT NULL) */
};

int cat_con_find(struct catalog *c, cat_id rel, const char *name, struct cat_con *out);
/* Is 'name' used by a constraint of 'rel'? */
bool cat_con_name_taken(struct catalog *c, cat_id rel, const char *name);

struct cat_con_def {
	enum con_kind kind;
	const char *name;
	const cat_id *columns;         /* key columns (check: referenced ones) */
	int nr_columns;
	const cat_id *ref_columns;     /* FK: referenced columns */
	cat_id ref_rel_id;
	const char *expr;              /* CHECK text */
	const char *not_null_column;
	bool validated;
	char on_delete, on_update;
	bool deferrable;
	cat_id index_id;
};
cat_id cat_con_add(struct catalog *c, cat_id rel, const struct cat_con_def *def);
void cat_con_drop(struct catalog *c, cat_id con);
void cat_con_rename(struct catalog *c, cat_id con, const char *name);
void cat_con_validate(struct catalog *c, cat_id con);
/* Is there a domain with NOT NULL or CHECK constraints? (Answered from
   C until a type is added or changed.) */
bool cat_has_constrained_domains(struct catalog *c);
/* A validated CHECK (col IS NOT NULL) on rel exists? */
bool cat_has_not_null_check(struct catalog *c, cat_id rel, const char *column);
/* Primary key columns of rel, in order (malloc'ed); 0 found, -1 none. */
int cat_primary_key(struct catalog *c, cat_id rel, cat_id **cols, int *nr);

/* ---- indexes ---- */
struct cat_index_col {
	cat_id column_id;       /* 0 for an expression */
	const char *expr;
	const char *opclass;    /* as written (gin_trgm_ops), NULL: the default */
	bool include;
	bool desc;
};
cat_id cat_index_add(struct catalog *c, cat_id schema, const char *name, cat_id table,
		     bool unique, bool primary, const char *method, const char *predicate,
		     const struct cat_index_col *cols, int nr_cols);
/* The index uses 'column' in an expression or its predicate: dropping
   the column drops the index. */
void cat_index_dep(struct catalog *c, cat_id index, cat_id column);
/* The key columns of an index that are plain columns, in order
   (malloc'ed); -1 when an expression is among them. */
int cat_index_key_columns(struct catalog *c, cat_id index, cat_id **cols, int *nr);
/*
 * Drop the foreign keys that reference 'table' through exactly the
 * columns 'cols' (what goes with a dropped primary key or unique
 * constraint under CASCADE); calls fn for each. Returns how many.
 */
int cat_drop_fks_on_key(struct catalog *c, cat_id table, const cat_id *cols, int nr,
			cat_describe_fn fn, void *data);
void cat_index_set_primary(struct catalog *c, cat_id index);
/* Find the constraint enforced by an index (0 if none). */
cat_id cat_index_constraint(struct catalog *c, cat_id index);

/*
 * Is there a non-partial index on 'table' whose leading key columns are
 * exactly the set 'cols' (in any order)?
 */
bool cat_index_covers(struct catalog *c, cat_id table, const cat_id *cols, int nr);

/* ---- partitions, inheritance and LIKE ---- */

/* Copy flags for cat_col_copy. */
#define COPY_DEFAULT    (1u << 0)
#define COPY_IDENTITY   (1u << 1)
#define COPY_GENERATED  (1u << 2)

/* Append a copy of column 'src' (name, type, NOT NULL and what 'what'
   says) to relation 'dst'; returns the new column's id. */
cat_id cat_col_copy(struct catalog *c, cat_id src, cat_id dst, unsigned what);

/* Relations whose parent (partitioned table or inheritance parent) is 'rel'. */
int cat_rel_children(struct catalog *c, cat_id rel, cat_id **ids, int *nr);

/*
 * Copy the CHECK ('c') or foreign key ('f') constraints of 'src' onto
 * 'dst' under the same names, columns matched by name; with 'inherit'
 * the copies belong to the originals (they go when the original goes).
 * A constraint 'dst' already has by that name is kept. Returns how many.
 */
int cat_con_clone(struct catalog *c, cat_id src, cat_id dst, char kind, bool inherit);

/* Partition 'child' is detached: what it inherited becomes its own. */
void cat_detach(struct catalog *c, cat_id child);

/* An index of a table, for copying it to another table. */
struct cat_index_info {
	cat_id id;
	char name[NAMEBUF];
	bool unique, primary, nulls_not_distinct;
	char con_kind;              /* 'p', 'u', 'x' when a constraint uses it */
	char method[NAMEBUF];
	char *predicate;            /* malloc'ed or NULL */
	int nr_cols;
	struct {
		char name[NAMEBUF];     /* "" for an expression */
		char *expr;             /* malloc'ed or NULL */
		char *opclass;          /* malloc'ed or NULL */
		bool include, desc;
	} *cols;                    /* malloc'ed */
};
int cat_index_list(struct catalog *c, cat_id table, struct cat_index_info **out, int *nr);
void cat_index_list_free(struct cat_index_info *list, int nr);
/* A unique index with NULLS NOT DISTINCT (PostgreSQL 15). */
void cat_index_set_nulls_not_distinct(struct catalog *c, cat_id index);
/* Mark 'index' as the partition of 'parent_index' (it goes with it). */
void cat_index_set_parent(struct catalog *c, cat_id index, cat_id parent_index);
/* Mark constraint 'con' as inherited from 'parent_con'. */
void cat_con_set_parent(struct catalog *c, cat_id con, cat_id parent_con);

/* ---- dependency queries ---- */
/*
 * Describe every object that depends on relation 'rel' (or on its column
 * 'col' when col != 0): what PostgreSQL refuses to drop it for without
 * CASCADE, and removes with CASCADE: foreign keys of other tables that
 * reference it, views reading it. Calls fn(data, description) for each,
 * e.g. 'constraint "orders_user_id_fkey" on table "orders"', 'view "v"'.
 * Returns how many.
 */
int cat_rel_dependents(struct catalog *c, cat_id rel, cat_id col,
		       cat_describe_fn fn, void *data);
/*
 * Describe what goes with column 'col' when it is dropped, CASCADE or
 * not: the indexes that use it (in their keys, expressions or
 * predicate) and no constraint owns, the table's constraints that use
 * it or whose index does, and the sequences it owns; e.g. 'index "i"',
 * 'constraint "t_a_key"', 'sequence "t_id_seq"', in that order, each
 * kind in id order. Returns how many.
 */
int cat_col_goes_with(struct catalog *c, cat_id col, cat_describe_fn fn, void *data);

/* Tables referenced by the foreign keys of 'rel' that use column 'col'. */
int cat_fk_parents_of_column(struct catalog *c, cat_id rel, cat_id col, cat_describe_fn fn,
			     void *data);
/* Tables the foreign keys of 'rel' reference (other than itself). */
int cat_fk_parents(struct catalog *c, cat_id rel, cat_describe_fn fn, void *data);

/* The tables (not 'rel') whose foreign keys reference 'rel', by id, into
   *out (malloc'ed, NULL when none); how many. */
int cat_fk_children(struct catalog *c, cat_id rel, cat_id **out);
/* Tables a TRUNCATE ... CASCADE of 'rel' also empties (recursively). */
int cat_truncate_cascade(struct catalog *c, cat_id rel, cat_describe_fn fn, void *data);

/* Is a constraint with this name anywhere in the schema, a table's or a
   domain's? (PostgreSQL picks generated constraint names unique per
   schema.) */
bool cat_con_name_in_schema(struct catalog *c, cat_id schema, const char *name);

/* Every object a DROP SCHEMA ... CASCADE would remove. */
int cat_schema_contents(struct catalog *c, cat_id schema, cat_describe_fn fn, void *data);
/* The names of the relations (indexes too) in a schema, fn() each. */
void cat_schema_relations(struct catalog *c, cat_id schema, cat_describe_fn fn, void *data);

/* ---- range queries (for range rules) ---- */
/*
 * Two btree indexes a and b of one table where every key column of a
 * is b's at the same position (its direction too, unless a has one
 * key), a's INCLUDE columns are somewhere in b, both have the same
 * predicate, and a is neither a primary key, an exclusion constraint's
 * index nor a partition's copy; a unique index (a UNIQUE constraint's
 * too) only when b is unique or the primary key on the same key columns
 * (and NULLS NOT DISTINCT alike); one of the two created in the range.
 * Strings are valid during the callback; columns "a, b" (names, or
 * expressions).
 */
struct cat_index_pair {
	cat_id a, b;
	const char *a_name, *b_name, *schema, *table, *a_columns, *b_columns;
	bool a_in_range, b_in_range, same_keys;
	bool unique;              /* a is unique (and so is b) */
	int a_file, a_line, b_file, b_line;
};
typedef void (*cat_index_pair_fn)(void *data, const struct cat_index_pair *p);
/*
 * For each index a of such a pair, by a's creation (file, line), then
 * a's id: the pair with the first b by id, where b is not a's identical
 * twin created after it (of two identical indexes the newer is the
 * redundant one).
 */
void cat_foreach_redundant_pair(struct catalog *c, cat_index_pair_fn fn, void *data);

/* Has 'table' a unique index (a primary key's too) without a predicate
   whose key columns are 'cols', in any order: what a foreign key may
   reference? (A deferrable one may not; the model does not tell.) */
bool cat_unique_key_on(struct catalog *c, cat_id table, const cat_id *cols, int n);

/* One key column of a unique index without a predicate: the index,
   where it was created, the column's name (NULL: an expression) and
   whether it is NOT NULL. */
typedef void (*cat_ukey_fn)(void *data, cat_id index, int created_file, int line,
			    const char *column, bool not_null);
/* Each key column of table's unique indexes without a predicate: the
   indexes in id order, an index's columns together, in order. */
void cat_foreach_unique_key_column(struct catalog *c, cat_id table, cat_ukey_fn fn, void *data);

/* A table created in the range that ends it without a primary key:
   where it was created, and the first UNIQUE constraint ("" if none)
   whose columns are all NOT NULL. */
typedef void (*cat_keyless_fn)(void *data, const char *schema, const char *table,
			       int created_file, int line, const char *unique);
/* Each such ordinary or partitioned table (not a partition of a
   partitioned table, not in a pg_temp schema), by where it was created
   (file, line), then id. */
void cat_foreach_keyless_table(struct catalog *c, cat_keyless_fn fn, void *data);

struct cat_fk {
	cat_id con_id;
	char name[NAMEBUF];
	cat_id rel_id;
	char schema[NAMEBUF];
	char table[NAMEBUF];
	char columns[256];      /* "a, b" */
	cat_id col_ids[32];
	int nr_cols;
	const char *file;       /* as passed in the origin */
	int file_index;
	struct loc loc;
};
typedef void (*cat_fk_fn)(void *data, const struct cat_fk *fk);
/* Foreign keys added by a statement in the lint range, still present. */
void cat_foreach_range_fk(struct catalog *c, cat_fk_fn fn, void *data);

/* ---- types ---- */
cat_id cat_type_find(struct catalog *c, cat_id schema, const char *name, char *kind);
cat_id cat_type_create(struct catalog *c, cat_id schema, const char *name, char kind,
		       const char *base_type);
/*
 * A domain's CHECK constraints (domain_constraints), NOT NULL and
 * DEFAULT ('expr' normalised; NULL: none). Each change sets the type's
 * constrained flag (NOT NULL or any CHECK: adding a column of it
 * rewrites the table, the constraints are checked for every row) and
 * its definition (catalog.sql). The name functions do nothing for a
 * constraint the domain does not have.
 */
bool cat_domain_con_exists(struct catalog *c, cat_id type, const char *name);
void cat_domain_con_add(struct catalog *c, cat_id type, const char *name, const char *expr,
			bool validated);
void cat_domain_con_drop(struct catalog *c, cat_id type, const char *name);
void cat_domain_con_rename(struct catalog *c, cat_id type, const char *name, const char *new_name);
void cat_domain_con_validate(struct catalog *c, cat_id type, const char *name);
void cat_domain_set_not_null(struct catalog *c, cat_id type, bool not_null);
void cat_domain_set_default(struct catalog *c, cat_id type, const char *expr);
/* The clauses after a domain's type, or a composite's attribute list
   (types.definition). */
void cat_type_set_definition(struct catalog *c, cat_id type, const char *text);
/* relations.partition_key and partition_bound (for inspect's DDL) */
void cat_rel_set_partition_key(struct catalog *c, cat_id rel, const char *text);
void cat_rel_set_partition_bound(struct catalog *c, cat_id rel, const char *text);
/* Dropping a type (CASCADE) drops the columns of that type. */
void cat_type_drop(struct catalog *c, cat_id type);
/* Renaming a type or moving it renames it in every column that uses it. */
void cat_type_rename(struct catalog *c, cat_id type, const char *name);
void cat_type_set_schema(struct catalog *c, cat_id type, cat_id schema);
/* Enum labels: append, or insert before/after 'neighbor'; -1 if absent. */
int cat_enum_add(struct catalog *c, cat_id type, const char *label,
		 const char *neighbor, bool after);
bool cat_enum_has(struct catalog *c, cat_id type, const char *label);
int cat_enum_rename(struct catalog *c, cat_id type, const char *from, const char *to);

/* ---- extensions, functions, triggers, policies ---- */
bool cat_extension_exists(struct catalog *c, const char *name);
void cat_extension_create(struct catalog *c, const char *name, const char *schema);
void cat_extension_drop(struct catalog *c, const char *name);
cat_id cat_function_find(struct catalog *c, cat_id schema, const char *name, const char *sig);
/* Any overload with this name (sig unknown)? */
cat_id cat_function_find_any(struct catalog *c, cat_id schema, const char *name, int *count);
cat_id cat_function_create(struct catalog *c, cat_id schema, const char *name, const char *sig,
			   bool procedure, const char *language, const char *volatility);
void cat_function_drop(struct catalog *c, cat_id fn);
void cat_function_rename(struct catalog *c, cat_id fn, const char *name);
cat_id cat_trigger_find(struct catalog *c, cat_id rel, const char *name);
cat_id cat_trigger_create(struct catalog *c, cat_id rel, const char *name);
/* The function a trigger executes (0: not modelled); dropping it drops
   the trigger. */
void cat_trigger_set_function(struct catalog *c, cat_id trig, cat_id fn);
void cat_trigger_drop(struct catalog *c, cat_id trig);
void cat_trigger_rename(struct catalog *c, cat_id trig, const char *name);
cat_id cat_policy_find(struct catalog *c, cat_id rel, const char *name);
cat_id cat_policy_create(struct catalog *c, cat_id rel, const char *name);
void cat_policy_drop(struct catalog *c, cat_id pol);
void cat_policy_rename(struct catalog *c, cat_id pol, const char *name);

/* Views: record that view 'view' reads relation 'rel' (column col or 0). */
void cat_view_dep(struct catalog *c, cat_id view, cat_id rel, cat_id col);
void cat_view_clear_deps(struct catalog *c, cat_id view);
void cat_sequence_own(struct catalog *c, cat_id seq, cat_id col);
/* The table whose column owns sequence 'seq' (serial, OWNED BY), or 0. */
cat_id cat_sequence_owner(struct catalog *c, cat_id seq);
/* OWNED BY NONE: the sequence stays, no longer tied to a column. */
void cat_sequence_disown(struct catalog *c, cat_id seq);
/* Drop the sequences a column owns (DROP IDENTITY drops its sequence). */
void cat_col_drop_owned_sequences(struct catalog *c, cat_id col);

/* Has a relation of this kind a row type, whose name is a type's? All
   but an index and (PostgreSQL 15) a sequence. */
bool cat_has_row_type(char kind);
/*
 * Is 'name' taken in 'schema' for a relation, new or renamed? By a
 * relation, by a composite type (a relation to PostgreSQL too), and,
 * for one with a row type ('row_type'), by any type. NULL when free,
 * else the word of PostgreSQL's message: "relation" or "type".
 */
const char *cat_rel_name_taken(struct catalog *c, cat_id schema, const char *name, bool row_type);

/* Moves on whenever a relation, type or constraint goes or changes, so
   that a name taken before may be free: until then, it is taken. */
uint64_t cat_names_freed(const struct catalog *c);

/* ---- the whole catalog as bytes (the --cache of a replayed prefix) ---- */

/* The catalog as bytes: its database image (SQLite's file format), then
   the hash of its schema. The origin is not part of it. */
struct cat_image {
	unsigned char *data;    /* owned: cat_image_release() */
	size_t len;
};

/* Returns 0, or -1 when SQLite cannot (out is then empty). */
int catalog_save(struct catalog *c, struct cat_image *out);
void cat_image_release(struct cat_image *img);

/* Memory for 'len' bytes of an image (and room for the catalog to
   grow), for catalog_load(); cat_image_drop() it when unused. */
void *cat_image_alloc(size_t len);
void cat_image_drop(void *image);

/*
 * A new catalog (catalog_free() it) holding the len bytes of an image
 * catalog_save() made, read into 'image' from cat_image_alloc(len),
 * which it takes in all cases. Returns 0, or -1 and *out NULL when
 * SQLite cannot open the image or its schema is not the one saved with
 * it (a build's cache holds only its own images: cache.c keys by the
 * build). A damaged image that passes (the caller checks its checksum
 * first: SQLite's integrity check costs more than replaying a small
 * history) makes catalog queries fail, as any SQLite error does.
 */
int catalog_load(struct catalog **out, void *image, size_t len);

#endif
