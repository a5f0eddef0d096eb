/*
 * catalog.c - the schema model in an in-memory SQLite database.
 *
 * Every query is a string literal; prepared statements are cached by the
 * literal's address, so each is compiled once per run.
 */
#include "catalog.h"
#include "colstore.h"
#include "constore.h"
#include "linkstore.h"
#include "relstore.h"
#include "sqlite_mem.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "embedded.h"
#include "keywords.h"
#include "types.h"
#include "banned.h"

#define STMT_CACHE 256   /* power of two, larger than the number of queries */

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

/* Schema names looked up by id: a handful per statement, few schemas. */
#define SCHEMA_CACHE 16

struct schema_slot {
	char name[NAME_MAX_BYTES + 1];
	cat_id id;              /* 0: there is no such schema */
};

/*
 * Types looked up by name, answered from C: replay and the rules ask for
 * the same few types of a statement, and many lookups miss (a built-in
 * type searched for in the user's schema). The update hook keeps the
 * answers true (see row_changed()): a row that is updated or deleted
 * takes its cached copy with it, and a row inserted or updated retires
 * every cached "no such type", counted by a generation.
 */
#define TYPE_CACHE 64

struct type_slot {
	cat_id id;              /* or: none while neg equals catalog.type_neg */
	uint64_t neg;
	cat_id schema;
	char name[NAME_MAX_BYTES + 1];
	char kind;
};

/*
 * A relation or column found by name, NAME_MEMO of each kept by a hash
 * of the name and its owner (schema or relation): a statement's rules
 * look up again what its replay just did (on a long history, half the
 * relations asked for and a quarter of the columns), and a lookup in
 * the stores is three or four cache misses. An entry is checked against
 * its row when used: a row gone, renamed or reused is a miss.
 */
#define NAME_MEMO 32

struct name_memo {
	uint64_t hash;          /* strpool_hash() of the name */
	uint32_t owner, id;     /* id 0: empty */
};

struct catalog {
	sqlite3 *db;
	/* generation: starts at 1, slots at 0 */
	uint64_t type_neg;
	/* cat_has_constrained_domains()'s answer, true while domains_neg
	   equals type_neg (a type inserted or updated may change it) */
	uint64_t domains_neg;
	bool domains_any;
	/* Every name a constraint has had, as a Bloom filter (CON_NAME_BITS
	   bits, owned; NULL: not kept, as in a catalog loaded from an image):
	   most names asked for are being chosen for a new constraint and
	   exist nowhere. Names only join it (constraints are written only
	   by the cat_con_* functions, which add them). */
	uint64_t *con_names;
	uint64_t names_freed;   /* cat_names_freed() */
	struct type_slot types[TYPE_CACHE];
	/* The columns: not in SQLite's tables but here, shown to SQL as the
	   virtual table "columns" (see the section on it). Owned. */
	struct colstore colstore;
	/* index_columns and constraint_columns, the same way (virtual
	   tables of those names). Owned. */
	struct linkstore index_cols, con_cols;
	/* view_deps too (its trigger's work is now done where rows go),
	   and indexes (a table's, in the order added) */
	struct linkstore view_deps, indexes;
	/* the constraints too (virtual table "constraints"). Owned. */
	struct constore cons;
	/* and the relations (virtual table "relations"), which the update
	   hook does not see: their writers do what it did. Owned. */
	struct relstore rels;
	/* the last relations (by schema) and columns (by relation) found
	   by name: see name_memo */
	struct name_memo rel_memo[NAME_MEMO], col_memo[NAME_MEMO];
	struct stmt_slot cache[STMT_CACHE];
	struct schema_slot schemas[SCHEMA_CACHE];
	int nr_schemas;         /* valid slots; 0 after any schema change */
	/* the one row the running INSERT adds, when its key is known: it
	   retires the one "no such object" that it makes wrong */
	const char *keyed_table;
	cat_id key_owner;
	const char *key_name;
	/* Every (schema, name) a type has had, as a Bloom filter: a name
	   it has not seen is none, without asking SQLite (a built-in type
	   looked for in the user's schema, the name a CREATE is about to
	   take). Names only join it: a dropped type leaves a false
	   "maybe", which SQLite then answers. (A relation is found in C.) */
	enum { NAMES_NONE, NAMES_STALE, NAMES_VALID } names_state;
	uint64_t *names;        /* names_bits bits */
	size_t names_bits;
	/* the keys set in it (names_nr, owned): a filter grown past an
	   eighth of its bits is remade from them, not from the tables (on
	   200,000 statements five rebuilds read 115,000 rows) */
	uint64_t *names_keys;
	size_t names_nr, names_keys_alloc;
	/* files: paths[i] is the path of files.id i + 1; path_slots finds
	   a path's id (open addressing, 0 free); the origin's id is
	   origin_ref (0: no file), origin_path its path (in paths) */
	char **paths;
	size_t nr_paths, paths_alloc;
	uint32_t *path_slots;
	size_t path_slots_alloc;
	const char *origin_path;
	cat_id origin_ref;
	bool views_pending;     /* dropping_views has rows */
	bool dropping_views;    /* drop_pending_views() is under way */
	struct cat_origin origin;
	int errors;
};

static void forget_type(struct catalog *c, cat_id id)
{
	for (int i = 0; i < TYPE_CACHE; i++)
		if (c->types[i].id == id)
			c->types[i].id = 0, c->types[i].neg = 0;
}

/* The cached "no such type" for one key, if there is one, goes. */
static void retire_none(struct catalog *c, cat_id owner, const char *name)
{
	uint64_t h = fnv1a64(name, strlen(name), (uint64_t)owner);
	struct type_slot *t = &c->types[h & (TYPE_CACHE - 1)];

	if (!t->id && t->schema == owner && !strcmp(t->name, name))
		t->neg = 0;
}

/*
 * The name filter (catalog.names): three bits a type's name. A catalog
 * loaded from an image has none (NAMES_NONE: a pre-commit run asks few
 * questions, and reading every name would cost more). Moving a type to
 * another schema, renaming it and an INSERT whose name is not known
 * here make it stale: rebuilt from the table on the next question. A
 * filter grown past an eighth of its bits doubles, remade from the
 * keys it keeps.
 */
#define NAMES_MIN_BITS (1u << 16)

static sqlite3_stmt *q(struct catalog *c, const char *sql);
static int64_t one_int(sqlite3_stmt *st, int64_t dflt);
static bool domain_con_in_schema(struct catalog *c, cat_id schema, const char *name);

static uint64_t name_key(cat_id owner, const char *name, size_t len)
{
	return fnv1a64(name, len, (uint64_t)owner);
}

/*
 * A Bloom filter of 'bits' bits (a power of two) in 'w': three bits a
 * key. The names of types and those of constraints have one each.
 */
static size_t bloom_bit(uint64_t h, int i, size_t bits)
{
	return (h + (uint64_t)i * ((h >> 32) | 1)) & (bits - 1);
}

static void bloom_set(uint64_t *w, size_t bits, uint64_t h)
{
	for (int i = 0; i < 3; i++) {
		size_t bit = bloom_bit(h, i, bits);

		w[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
}

static bool bloom_has(const uint64_t *w, size_t bits, uint64_t h)
{
	for (int i = 0; i < 3; i++) {
		size_t bit = bloom_bit(h, i, bits);

		if (!(w[bit / 64] >> (bit % 64) & 1))
			return false;
	}
	return true;
}

/* An empty filter of at least NAMES_MIN_BITS bits, and twice as many
   as for 'nr' keys at an eighth of its bits. */
static void names_make(struct catalog *c, size_t nr)
{
	size_t bits = NAMES_MIN_BITS;

	while (nr * 16 > bits)
		bits *= 2;
	free(c->names);
	c->names = xcalloc(bits / 64, sizeof(*c->names));
	c->names_bits = bits;
}

static void names_set(struct catalog *c, uint64_t h)
{
	ALLOC_GROW(c->names_keys, c->names_nr + 1, c->names_keys_alloc);
	c->names_keys[c->names_nr++] = h;
	bloom_set(c->names, c->names_bits, h);
}

static void names_add(struct catalog *c, cat_id owner, const char *name)
{
	if (c->names_state != NAMES_VALID)
		return;
	names_set(c, name_key(owner, name, strlen(name)));
	if (c->names_nr * 8 > c->names_bits) {
		names_make(c, c->names_nr);
		for (size_t i = 0; i < c->names_nr; i++)
			bloom_set(c->names, c->names_bits, c->names_keys[i]);
	}
}

static void names_stale(struct catalog *c)
{
	if (c->names_state == NAMES_VALID)
		c->names_state = NAMES_STALE;
}

static int names_rebuild(struct catalog *c)
{
	sqlite3_stmt *st = q(c, "SELECT count(*) FROM types");
	int rc;

	names_make(c, (size_t)one_int(st, 0));
	c->names_nr = 0;
	st = q(c, "SELECT schema_id, name FROM types");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);

		if (name)
			names_set(c, name_key(sqlite3_column_int64(st, 0), name, strlen(name)));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static bool names_may_have(struct catalog *c, cat_id owner, const char *name, size_t len)
{
	uint64_t h;

	if (c->names_state == NAMES_NONE)
		return true;
	if (c->names_state == NAMES_STALE) {
		if (names_rebuild(c)) {
			c->names_state = NAMES_NONE;
			return true;
		}
		c->names_state = NAMES_VALID;
	}
	h = name_key(owner, name, len);
	return bloom_has(c->names, c->names_bits, h);
}

/* A relation exists: a column belongs to one (the foreign key the
   table had). */
static bool rel_live(const struct catalog *c, cat_id id)
{
	return relstore_get(&c->rels, id) != NULL;
}

#define CON_NAME_BITS ((size_t)1 << 20)

static void con_names_add(struct catalog *c, const char *name)
{
	if (c->con_names && name)
		bloom_set(c->con_names, CON_NAME_BITS, fnv1a64(name, strlen(name), 0));
}

/* false: no constraint anywhere has the name 'name' */
static bool con_names_may_have(const struct catalog *c, const char *name)
{
	return !c->con_names || !name ||
	       bloom_has(c->con_names, CON_NAME_BITS, fnv1a64(name, strlen(name), 0));
}

/*
 * sqlite3_update_hook: every row inserted, updated or deleted, including
 * the rows that the catalog's triggers change (the catalog has no
 * WITHOUT ROWID table, which the hook would not see), but none of a
 * virtual table: the C stores' writers do what it would have done.
 */
static void row_changed(void *data, int op, const char *db, const char *table,
			sqlite3_int64 row)
{
	struct catalog *c = data;

	(void)db;
	/* a relation's or a constraint's name is freed where it goes or is
	   renamed (rel_gone(), con_gone(), ...: the hook does not see a
	   virtual table) */
	if (op != SQLITE_INSERT && !strcmp(table, "types"))
		c->names_freed++;
	if (op == SQLITE_INSERT && c->keyed_table && !strcmp(table, c->keyed_table)) {
		retire_none(c, c->key_owner, c->key_name);
		names_add(c, c->key_owner, c->key_name);
		c->keyed_table = NULL;
		return;
	}
	/* only the functions that rename or move say what a name becomes */
	if (op == SQLITE_INSERT && !strcmp(table, "types"))
		names_stale(c);
	if (!strcmp(table, "types")) {
		if (op != SQLITE_DELETE)
			c->type_neg++;
		if (op != SQLITE_INSERT)
			forget_type(c, row);
	} else if (!strcmp(table, "schemas")) {
		c->nr_schemas = 0;      /* names by id, and ids by name */
	} else if (!strcmp(table, "dropping_views") && op == SQLITE_INSERT) {
		c->views_pending = true;
	}
}

static sqlite3_stmt *q(struct catalog *c, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) & (STMT_CACHE - 1);
	struct stmt_slot *s;

	for (;; h = (h + 1) & (STMT_CACHE - 1)) {
		s = &c->cache[h];
		if (s->sql == sql) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			goto out;
		}
		if (!s->sql)
			break;
	}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL))
		BUG("catalog query does not compile: %s\n%s", sqlite3_errmsg(c->db), sql);
	s->sql = sql;
out:
	return s->st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_id(sqlite3_stmt *st, int i, cat_id id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

static void drop_pending_views(struct catalog *c);
static void hold(struct catalog *c);
static void rel_gone(struct catalog *c, cat_id rel);

/* Step a statement that returns no rows, leaving the views it drops
   to the caller (run() drops them at once). */
static void step(struct catalog *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		c->errors++;
		if (getenv("MIGSAFE_DEBUG"))
			warning("catalog: %s", sqlite3_errmsg(c->db));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		hold(c);
}

static void views_settle(struct catalog *c);

/* Step a statement that returns no rows. */
static void run(struct catalog *c, sqlite3_stmt *st)
{
	step(c, st);
	views_settle(c);
}

static cat_id run_insert(struct catalog *c, sqlite3_stmt *st)
{
	int before = c->errors;

	run(c, st);
	return c->errors == before ? sqlite3_last_insert_rowid(c->db) : 0;
}

/* Run an INSERT of one row of 'table' whose key is (owner, name). */
static cat_id run_keyed_insert(struct catalog *c, sqlite3_stmt *st, const char *table,
			       cat_id owner, const char *name)
{
	cat_id id;

	if (name) {
		c->keyed_table = table;
		c->key_owner = owner;
		c->key_name = name;
	}
	id = run_insert(c, st);
	c->keyed_table = NULL;
	return id;
}

/* Step a query returning one integer; 'dflt' when no row. */
static int64_t one_int(sqlite3_stmt *st, int64_t dflt)
{
	int64_t v = dflt;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static void copy_name(char *dst, const unsigned char *src)
{
	size_t n = src ? strlen((const char *)src) : 0;

	if (n > NAME_MAX_BYTES)
		n = NAME_MAX_BYTES;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Run a statement whose only parameters are an id (?1) and a text (?2). */
static void by_id_text(struct catalog *c, const char *sql, cat_id id, const char *text)
{
	sqlite3_stmt *st = q(c, sql);

	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, text);
	run(c, st);
}

/* Run a statement whose only parameter is an id (?1). */
static void by_id(struct catalog *c, const char *sql, cat_id id)
{
	sqlite3_stmt *st = q(c, sql);

	sqlite3_bind_int64(st, 1, id);
	run(c, st);
}

/*
 * The views the last statement left without what they read (the
 * triggers that delete view_deps rows queued them), then the views that leaves so,
 * round by round, until none is left: however long a chain of views is,
 * no trigger program nests another.
 */
static void drop_pending_views(struct catalog *c)
{
	cat_id *ids = NULL;
	size_t alloc = 0, nr;
	sqlite3_stmt *st;

	c->dropping_views = true;
	while (c->views_pending) {
		c->views_pending = false;
		st = q(c, "SELECT view_id FROM dropping_views");
		for (nr = 0; sqlite3_step(st) == SQLITE_ROW; nr++) {
			ALLOC_GROW(ids, nr + 1, alloc);
			ids[nr] = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		run(c, q(c, "DELETE FROM dropping_views"));
		for (size_t i = 0; i < nr; i++)
			rel_gone(c, ids[i]);
	}
	c->dropping_views = false;
	free(ids);
}

static void bind_origin(struct catalog *c, sqlite3_stmt *st, int first)
{
	sqlite3_bind_int(st, first, c->origin.file_index);
	sqlite3_bind_int(st, first + 1, c->origin.in_range);
	bind_id(st, first + 2, c->origin_ref);
	sqlite3_bind_int(st, first + 3, c->origin.loc.line);
}

/* migsafe_file(file_ref): the path, for the "file" columns. */
static void file_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct catalog *c = sqlite3_user_data(ctx);
	sqlite3_int64 ref = sqlite3_value_int64(argv[0]);

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || ref < 1 || (size_t)ref > c->nr_paths)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, c->paths[ref - 1], -1, SQLITE_STATIC);
}

static void path_slot_put(uint32_t *slots, size_t alloc, const char *path, uint32_t ref)
{
	size_t i = fnv1a64(path, strlen(path), FNV1A64_INIT) & (alloc - 1);

	while (slots[i])
		i = (i + 1) & (alloc - 1);
	slots[i] = ref;
}

/* Remember path as files.id nr_paths + 1 (no SQL). */
static cat_id path_remember(struct catalog *c, const char *path)
{
	if (2 * (c->nr_paths + 1) > c->path_slots_alloc) {
		size_t alloc = c->path_slots_alloc ? 2 * c->path_slots_alloc : 64;
		uint32_t *slots = xcalloc(alloc, sizeof(*slots));

		for (size_t i = 0; i < c->nr_paths; i++)
			path_slot_put(slots, alloc, c->paths[i], (uint32_t)i + 1);
		free(c->path_slots);
		c->path_slots = slots;
		c->path_slots_alloc = alloc;
	}
	ALLOC_GROW(c->paths, c->nr_paths + 1, c->paths_alloc);
	c->paths[c->nr_paths++] = xstrdup(path);
	path_slot_put(c->path_slots, c->path_slots_alloc, path, (uint32_t)c->nr_paths);
	return (cat_id)c->nr_paths;
}

static cat_id path_find(const struct catalog *c, const char *path)
{
	size_t i;

	if (!c->path_slots_alloc)
		return 0;
	i = fnv1a64(path, strlen(path), FNV1A64_INIT) & (c->path_slots_alloc - 1);
	for (; c->path_slots[i]; i = (i + 1) & (c->path_slots_alloc - 1))
		if (!strcmp(c->paths[c->path_slots[i] - 1], path))
			return c->path_slots[i];
	return 0;
}

/* The files.id of a path, added to files the first time. */
static cat_id path_ref(struct catalog *c, const char *path)
{
	sqlite3_stmt *st;
	cat_id ref;

	if (!path)
		return 0;
	if ((ref = path_find(c, path)))
		return ref;
	ref = path_remember(c, path);
	st = q(c, "INSERT INTO files (id, path) VALUES (?1, ?2)");
	sqlite3_bind_int64(st, 1, ref);
	bind_text(st, 2, path);
	run(c, st);
	return ref;
}

/* A loaded image's files, in id order from 1; -1 when they are not. */
static int paths_load(struct catalog *c)
{
	sqlite3_stmt *st = q(c, "SELECT id, path FROM files ORDER BY id");
	int rc, ret = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 1);

		if (!path || sqlite3_column_int64(st, 0) != (sqlite3_int64)c->nr_paths + 1) {
			ret = -1;
			break;
		}
		path_remember(c, path);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? ret : -1;
}

void catalog_single_thread(void)
{
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK)
		return;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (!UNDER_ASAN)   /* else SQLite keeps malloc(), which ASan watches */
		sqlite3_config(SQLITE_CONFIG_MALLOC, sqlite_mem_methods());
}

/* An empty in-memory database with the connection set up for the catalog. */
static const sqlite3_module col_module;
static const sqlite3_module con_module;
static const sqlite3_module rel_module;
static void links_init(struct catalog *c);
static int links_register(struct catalog *c);
static void links_release(struct catalog *c);

static int connect(struct catalog **out)
{
	struct catalog *c = xcalloc(1, sizeof(*c));

	*out = c;
	c->origin.file_index = -1;
	c->type_neg = 1;
	colstore_init(&c->colstore);
	constore_init(&c->cons);
	relstore_init(&c->rels);
	links_init(c);
	/* only the main thread uses the catalog (prefetch.c parses, never
	   asks it): no mutex around every call */
	if (sqlite3_open_v2(":memory:", &c->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL))
		return -1;
	/* a view on a view goes when the first one goes: triggers that fire
	   triggers */
	if (sqlite3_exec(c->db, "PRAGMA temp_store=MEMORY;"
			 " PRAGMA recursive_triggers=ON;", NULL, NULL, NULL))
		return -1;
	sqlite3_update_hook(c->db, row_changed, c);
	/* before the schema: the "file" columns are computed by it */
	if (sqlite3_create_function(c->db, "migsafe_file", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				    c, file_fn, NULL, NULL))
		return -1;
	if (sqlite3_create_module(c->db, "migsafe_columns", &col_module, c) ||
	    sqlite3_create_module(c->db, "migsafe_constraints", &con_module, c) ||
	    sqlite3_create_module(c->db, "migsafe_relations", &rel_module, c) ||
	    links_register(c))
		return -1;
	return 0;
}

/* What the database keeps (a loaded image has its own settings). */
static void settle(struct catalog *c)
{
	/* secure_delete: Debian's SQLite zeroes what is deleted; nothing
	   here is a secret, and the zeroing is work on every cascade */
	sqlite3_exec(c->db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		     " PRAGMA secure_delete=OFF;", NULL, NULL, NULL);
	/* The page cache: SQLite's default 2 MB holds a small part of the
	   catalog of 200,000 statements, whose pages then go back and forth
	   between it and the in-memory database (-3% CPU there, -3% on
	   20,000; pages are taken as needed, not reserved). */
	sqlite3_exec(c->db, "PRAGMA cache_size=-65536", NULL, NULL, NULL);
}

/*
 * One transaction from open to save: with no journal a failed statement
 * leaves its changes either way, and a transaction per statement cost
 * about as much as the statement (begin, commit, the page cache's
 * bookkeeping: 150,000 of them on 20,000 statements). An error that ends
 * the transaction (out of memory) leaves autocommit on: the next run
 * opens another.
 */
static void hold(struct catalog *c)
{
	if (sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
}

static void release(struct catalog *c)
{
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

/*
 * The schema: catalog.sql run, or (in migsafe) its result copied. The
 * image is made at build time by this file's code compiled with
 * MIGSAFE_CATALOG_FROM_SQL (tools/catalog_image.c): creating the schema
 * costs SQLite two parses of each CREATE, reading an image one.
 */
static size_t image_room(size_t len);

static int create_schema(struct catalog *c, char **err)
{
#ifdef MIGSAFE_CATALOG_FROM_SQL
	return sqlite3_exec(c->db, embedded_catalog_sql, NULL, NULL, err);
#else
	size_t len = embedded_catalog_image_len;
	unsigned char *image = sqlite3_malloc64(len + image_room(len));

	(void)err;
	if (!image)
		return SQLITE_NOMEM;
	memcpy(image, embedded_catalog_image, len);
	/* SQLite frees 'image' when this fails */
	return sqlite3_deserialize(c->db, "main", image, (sqlite3_int64)len,
				   (sqlite3_int64)(len + image_room(len)),
				   SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
#endif
}

int catalog_open(struct catalog **out)
{
	struct catalog *c;
	char *err = NULL;

	if (connect(&c) || create_schema(c, &err))
		goto fail;
	settle(c);
	hold(c);
	c->names_state = NAMES_STALE;
	/* empty: the image has no constraint */
	c->con_names = xcalloc(CON_NAME_BITS / 64, sizeof(*c->con_names));
	*out = c;
	return 0;
fail:
	error("cannot create the schema catalog: %s", err ? err : sqlite3_errmsg(c->db));
	sqlite3_free(err);
	catalog_free(c);
	*out = NULL;
	return -1;
}

const char *catalog_backend_version(void)
{
	static char buf[32];

	if (!buf[0])
		snprintf(buf, sizeof(buf), "SQLite %s", sqlite3_libversion());
	return buf;
}

/*
 * MIGSAFE_CHECK_CATALOG (the test suite sets it): no row may refer to a
 * relation, index, constraint, schema, type or function that is gone.
 * The ids that refer to them carry no REFERENCES clause (catalog.sql
 * says why), so this stands in for the check SQLite's foreign keys made.
 * (A NULL is tested apart: "NULL NOT IN (an empty list)" is true.)
 */
static void check_refs(struct catalog *c)
{
	static const char sql[] =
		"SELECT 'relations.table_id', id FROM relations"
		"  WHERE table_id IS NOT NULL AND table_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'relations.parent_id', id FROM relations"
		"  WHERE parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'indexes', rel_id FROM indexes WHERE rel_id NOT IN (SELECT id FROM relations)"
		"  OR table_id IS NOT NULL AND table_id NOT IN (SELECT id FROM relations)"
		"  OR parent_index IS NOT NULL AND parent_index NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'constraints', id FROM constraints"
		"  WHERE rel_id NOT IN (SELECT id FROM relations)"
		"  OR ref_rel_id IS NOT NULL AND ref_rel_id NOT IN (SELECT id FROM relations)"
		"  OR index_id IS NOT NULL AND index_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'view_deps', view_id FROM view_deps"
		"  WHERE view_id NOT IN (SELECT id FROM relations) OR rel_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'sequence_owners', seq_id FROM sequence_owners"
		"  WHERE seq_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'triggers', id FROM triggers WHERE rel_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'policies', id FROM policies WHERE rel_id NOT IN (SELECT id FROM relations)"
		" UNION ALL SELECT 'index_columns', index_id FROM index_columns"
		"  WHERE index_id NOT IN (SELECT rel_id FROM indexes)"
		" UNION ALL SELECT 'index_deps', index_id FROM index_deps"
		"  WHERE index_id NOT IN (SELECT rel_id FROM indexes)"
		" UNION ALL SELECT 'constraint_columns', con_id FROM constraint_columns"
		"  WHERE con_id NOT IN (SELECT id FROM constraints)"
		" UNION ALL SELECT 'constraints.parent_con', id FROM constraints"
		"  WHERE parent_con IS NOT NULL AND parent_con NOT IN (SELECT id FROM constraints)"
		" UNION ALL SELECT 'relations.schema_id', id FROM relations"
		"  WHERE schema_id NOT IN (SELECT id FROM schemas)"
		" UNION ALL SELECT 'types', id FROM types WHERE schema_id NOT IN (SELECT id FROM schemas)"
		" UNION ALL SELECT 'functions', id FROM functions"
		"  WHERE schema_id NOT IN (SELECT id FROM schemas)"
		" UNION ALL SELECT 'enum_values', type_id FROM enum_values"
		"  WHERE type_id NOT IN (SELECT id FROM types)"
		" UNION ALL SELECT 'domain_constraints', id FROM domain_constraints"
		"  WHERE type_id NOT IN (SELECT id FROM types)"
		" UNION ALL SELECT 'triggers.function_id', id FROM triggers"
		"  WHERE function_id IS NOT NULL AND function_id NOT IN (SELECT id FROM functions)"
		" LIMIT 1";
	sqlite3_stmt *st = NULL;

	/* a database that is not a catalog (a forged cache image being
	   refused) has nothing to check */
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL))
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		BUG("catalog: a row of %s (id %lld) refers to a row that is gone",
		    sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
}

void catalog_free(struct catalog *c)
{
	size_t i;

	if (!c)
		return;
	if (getenv("MIGSAFE_CHECK_CATALOG"))
		check_refs(c);
	for (i = 0; i < STMT_CACHE; i++)
		if (c->cache[i].st)
			sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	for (i = 0; i < c->nr_paths; i++)
		free(c->paths[i]);
	free(c->paths);
	free(c->path_slots);
	free(c->names);
	free(c->names_keys);
	free(c->con_names);
	colstore_release(&c->colstore);
	constore_release(&c->cons);
	relstore_release(&c->rels);
	links_release(c);
	free(c);
}

void cat_set_origin(struct catalog *c, const struct cat_origin *o)
{
	c->origin = *o;
	/* a file's statements come one after another: one strcmp() each */
	if (!o->file || !c->origin_path || strcmp(o->file, c->origin_path)) {
		c->origin_ref = path_ref(c, o->file);
		c->origin_path = c->origin_ref ? c->paths[c->origin_ref - 1] : NULL;
	}
}

static int row_values(sqlite3_stmt *st, cat_row_fn fn, void *data)
{
	const char *names[64], *values[64];
	int n = sqlite3_column_count(st), rc;

	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			values[i] = (const char *)sqlite3_column_text(st, i);
		if (fn(data, n, names, values))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int catalog_query_static(struct catalog *c, const char *sql, cat_id id, const char *text2,
			 const char *text3, cat_row_fn fn, void *data)
{
	sqlite3_stmt *st = q(c, sql);

	if (!sqlite3_stmt_readonly(st))
		BUG("catalog_query_static() with SQL that writes: %s", sql);
	bind_id(st, 1, id);
	bind_text(st, 2, text2);
	bind_text(st, 3, text3);
	return row_values(st, fn, data);
}

int catalog_query(struct catalog *c, const char *sql, cat_row_fn fn, void *data, char **err)
{
	sqlite3_stmt *st = NULL;
	int ret = -1;

	if (err)
		*err = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL))
		goto out;
	if (!sqlite3_stmt_readonly(st)) {
		if (err)
			*err = xstrdup("only read-only queries are allowed");
		goto out;
	}
	ret = row_values(st, fn, data);
out:
	if (ret && err && !*err)
		*err = xstrdup(sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return ret;
}

uint64_t cat_names_freed(const struct catalog *c)
{
	return c->names_freed;
}

/* ---- schemas ---- */

/* The schema cache's name for schema 'id', or NULL. */
static const char *schema_cached(const struct catalog *c, cat_id id)
{
	for (int i = 0; i < c->nr_schemas; i++)
		if (c->schemas[i].id == id)
			return c->schemas[i].name;
	return NULL;
}

/* Into the schema cache while it has room (id 0: no such schema). */
static void schema_remember(struct catalog *c, cat_id id, const char *name)
{
	struct schema_slot *slot;

	if (c->nr_schemas >= SCHEMA_CACHE)
		return;
	slot = &c->schemas[c->nr_schemas++];
	memcpy(slot->name, name, strlen(name) + 1);
	slot->id = id;
}

cat_id cat_schema_find(struct catalog *c, const char *name)
{
	sqlite3_stmt *st;
	cat_id id;

	if (!name || strlen(name) > NAME_MAX_BYTES)
		return 0;
	for (int i = 0; i < c->nr_schemas; i++)
		if (!strcmp(c->schemas[i].name, name))
			return c->schemas[i].id;
	st = q(c, "SELECT id FROM schemas WHERE name = ?1");
	bind_text(st, 1, name);
	id = one_int(st, 0);
	schema_remember(c, id, name);
	return id;
}

cat_id cat_schema_create(struct catalog *c, const char *name)
{
	sqlite3_stmt *st = q(c, "INSERT INTO schemas (name, created_file, in_range, file_ref, line)"
			     " VALUES (?1, ?2, ?3, ?4, ?5)");

	bind_text(st, 1, name);
	bind_origin(c, st, 2);
	c->nr_schemas = 0;
	return run_insert(c, st);
}

int cat_schema_count_objects(struct catalog *c, cat_id schema)
{
	sqlite3_stmt *st = q(c,
		"SELECT (SELECT count(*) FROM relations WHERE schema_id = ?1 AND kind <> 'i')"
		" + (SELECT count(*) FROM types WHERE schema_id = ?1)"
		" + (SELECT count(*) FROM functions WHERE schema_id = ?1)");

	sqlite3_bind_int64(st, 1, schema);
	return (int)one_int(st, 0);
}

void cat_schema_drop(struct catalog *c, cat_id schema)
{
	c->nr_schemas = 0;
	by_id(c, "DELETE FROM schemas WHERE id = ?1", schema);
}

void cat_schema_rename(struct catalog *c, cat_id schema, const char *name)
{
	c->nr_schemas = 0;
	by_id_text(c, "UPDATE schemas SET name = ?2 WHERE id = ?1", schema, name);
}

void cat_schema_origin(struct catalog *c, cat_id schema, int *file, bool *in_range)
{
	sqlite3_stmt *st = q(c, "SELECT created_file, in_range FROM schemas WHERE id = ?1");

	sqlite3_bind_int64(st, 1, schema);
	*file = -1;
	*in_range = false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*file = sqlite3_column_int(st, 0);
		*in_range = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
}

/* ---- relations ---- */

/* An id as a key of the C stores: 0 (NULL) for none or one that
   cannot be an id (no row has it). */
static uint32_t store_id(cat_id id)
{
	return id > 0 && id < UINT32_MAX ? (uint32_t)id : 0;
}

/* A schema's name by id: the schema cache, or SQLite (kept there). */
static void schema_name(struct catalog *c, cat_id id, char *out)
{
	const char *cached = schema_cached(c, id);
	sqlite3_stmt *st;

	if (cached) {
		memcpy(out, cached, strlen(cached) + 1);
		return;
	}
	st = q(c, "SELECT name FROM schemas WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	out[0] = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		copy_name(out, sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (out[0])
		schema_remember(c, id, out);
}

/* Relation 'id' as struct cat_rel (out NULL: only whether it is
   there); -1 when its schema is gone, as the lookup's join with
   schemas had it. */
static int rel_fill(struct catalog *c, cat_id id, const struct rel_row *r, struct cat_rel *out)
{
	if (!out)
		return 0;
	schema_name(c, r->key[RK_SCHEMA], out->schema);
	if (!out->schema[0])
		return -1;
	out->id = id;
	out->schema_id = r->key[RK_SCHEMA];
	copy_name(out->name, (const unsigned char *)relstore_str(&c->rels, r->name));
	out->kind = (enum rel_kind)r->kind;
	out->table_id = r->key[RK_TABLE];
	out->created_file = r->created_file;
	out->in_range = r->flags & RF_IN_RANGE;
	out->columns_unknown = r->flags & RF_COLUMNS_UNKNOWN;
	return 0;
}

static struct name_memo *memo_slot(struct name_memo *memo, uint64_t h, uint32_t owner)
{
	return &memo[(h ^ owner * 0x9e3779b97f4a7c15ull) >> 59 & (NAME_MEMO - 1)];
}

/* The relation named 'name' ('len' bytes) in 'schema', or 0. */
static uint32_t rel_by_name(struct catalog *c, cat_id schema, const char *name, size_t len)
{
	const struct rel_row *r;
	struct name_memo *m;
	uint64_t h;
	uint32_t id;

	if (schema < 0 || schema >= UINT32_MAX)
		return 0;
	h = strpool_hash(name, len);
	m = memo_slot(c->rel_memo, h, (uint32_t)schema);
	if (m->hash == h && m->owner == schema && (r = relstore_get(&c->rels, m->id)) &&
	    r->key[RK_SCHEMA] == schema && !strcmp(relstore_str(&c->rels, r->name), name))
		return m->id;
	id = relstore_find(&c->rels, (uint32_t)schema,
			   strpool_find_hashed(&c->rels.strs, name, h));
	if (id)
		*m = (struct name_memo){ h, (uint32_t)schema, id };
	return id;
}

int cat_rel_find(struct catalog *c, cat_id schema, const char *name, struct cat_rel *out)
{
	size_t len;
	uint32_t id;

	if (!name || (len = strlen(name)) > NAME_MAX_BYTES ||
	    !(id = rel_by_name(c, schema, name, len)))
		return -1;
	return rel_fill(c, id, &c->rels.rows[id], out);
}

int cat_rel_get(struct catalog *c, cat_id id, struct cat_rel *out)
{
	const struct rel_row *r = relstore_get(&c->rels, id);

	return r ? rel_fill(c, id, r, out) : -1;
}

bool cat_has_row_type(char kind)
{
	return kind != REL_INDEX && kind != REL_SEQUENCE;
}

const char *cat_rel_name_taken(struct catalog *c, cat_id schema, const char *name, bool row_type)
{
	char kind = 0;

	if (!cat_rel_find(c, schema, name, NULL))
		return "relation";
	if (!cat_type_find(c, schema, name, &kind))
		return NULL;
	return kind == 'c' ? "relation" : row_type ? "type" : NULL;
}

static void col_refused(struct catalog *c, const char *why);

/* (schema, name) may be a relation's: the table's NOT NULL and UNIQUE
   constraints; the name's sid, or 0 (counted as a failed statement). */
static uint32_t rel_name_ok(struct catalog *c, cat_id schema, const char *name)
{
	uint32_t sid;

	if (!name || schema < 0 || schema >= UINT32_MAX) {
		col_refused(c, "NOT NULL constraint failed: relations");
		return 0;
	}
	sid = relstore_intern(&c->rels, name);
	if (relstore_find(&c->rels, (uint32_t)schema, sid)) {
		col_refused(c, "UNIQUE constraint failed: relations.schema_id, relations.name");
		return 0;
	}
	return sid;
}

cat_id cat_rel_create(struct catalog *c, cat_id schema, const char *name,
		      enum rel_kind kind, cat_id table_id)
{
	struct rel_row r = { 0 };

	if (!kind) {
		col_refused(c, "NOT NULL constraint failed: relations.kind");
		return 0;
	}
	if (!(r.name = rel_name_ok(c, schema, name)))
		return 0;
	r.key[RK_SCHEMA] = (uint32_t)schema;
	r.key[RK_TABLE] = store_id(table_id);
	r.kind = (char)kind;
	r.created_file = c->origin.file_index;
	r.flags = c->origin.in_range ? RF_IN_RANGE : 0;
	r.file_ref = (uint32_t)c->origin_ref;
	r.line = c->origin.loc.line;
	return relstore_add(&c->rels, &r, 0);
}

static void rel_gone(struct catalog *c, cat_id rel);

/* After a write that may have queued views (dropping_views): they go
   now, unless this is drop_pending_views()'s own work. */
static void views_settle(struct catalog *c)
{
	if (c->views_pending && !c->dropping_views)
		drop_pending_views(c);
}

void cat_rel_drop(struct catalog *c, cat_id rel)
{
	rel_gone(c, rel);
	views_settle(c);
}

void cat_rel_rename(struct catalog *c, cat_id rel, const char *name)
{
	struct rel_row *r = relstore_get(&c->rels, rel);
	uint32_t sid;

	if (!r || !(sid = rel_name_ok(c, r->key[RK_SCHEMA], name)))
		return;
	relstore_set_name(&c->rels, rel, sid);
	c->names_freed++;
}

/* An id once into a list of ids (the relations that move together). */
static void id_once(cat_id **ids, size_t *nr, size_t *alloc, cat_id id)
{
	for (size_t i = 0; i < *nr; i++)
		if ((*ids)[i] == id)
			return;
	ALLOC_GROW(*ids, *nr + 1, *alloc);
	(*ids)[(*nr)++] = id;
}

static int cmp_id(const void *a, const void *b)
{
	cat_id x = *(const cat_id *)a, y = *(const cat_id *)b;

	return x < y ? -1 : x > y;
}

/*
 * The relations that move with relation 'rel', in id order: itself, its
 * indexes and the sequences its columns own (serial, or OWNED BY), as
 * in PostgreSQL. cat_col_defaults_follow() moves the defaults of the
 * same sequences (MOVES_WITH_1).
 */
static size_t rel_moving(struct catalog *c, cat_id rel, cat_id **ids)
{
	sqlite3_stmt *st = q(c, "SELECT so.seq_id FROM sequence_owners so JOIN columns cl"
			     " ON cl.id = so.column_id WHERE cl.rel_id = ?1");
	size_t nr = 0, alloc = 0;

	*ids = NULL;
	if (!relstore_get(&c->rels, rel))
		return 0;
	id_once(ids, &nr, &alloc, rel);
	for (uint32_t id = relstore_key_first(&c->rels, RK_TABLE, (uint64_t)rel); id;
	     id = c->rels.rows[id].key_next[RK_TABLE])
		id_once(ids, &nr, &alloc, id);
	sqlite3_bind_int64(st, 1, rel);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (relstore_get(&c->rels, sqlite3_column_int64(st, 0)))
			id_once(ids, &nr, &alloc, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	qsort(*ids, nr, sizeof(**ids), cmp_id);
	return nr;
}

/* The relations that move with relation ?1 (a condition on relations;
   rel_moving() in C). */
#define MOVES_WITH_1 "(id = ?1 OR table_id = ?1 OR id IN (SELECT so.seq_id" \
	" FROM sequence_owners so JOIN columns cl ON cl.id = so.column_id" \
	" WHERE cl.rel_id = ?1))"

const char *cat_rel_move_conflict(struct catalog *c, cat_id rel, cat_id schema, char *name)
{
	cat_id *ids;
	size_t nr = rel_moving(c, rel, &ids);
	const char *taken = NULL;

	for (size_t i = 0; i < nr && !taken; i++) {
		const struct rel_row *r = &c->rels.rows[ids[i]];
		const char *s = relstore_str(&c->rels, r->name);

		if (r->key[RK_SCHEMA] != schema &&
		    (taken = cat_rel_name_taken(c, schema, s, cat_has_row_type(r->kind))))
			copy_name(name, (const unsigned char *)s);
	}
	free(ids);
	return taken;
}

/* A name taken in the new schema stops the move there, as the UPDATE's
   UNIQUE constraint stopped it. */
void cat_rel_set_schema(struct catalog *c, cat_id rel, cat_id schema)
{
	cat_id *ids;
	size_t nr = rel_moving(c, rel, &ids);

	for (size_t i = 0; i < nr; i++) {
		const struct rel_row *r = &c->rels.rows[ids[i]];

		if (r->key[RK_SCHEMA] == schema)
			continue;
		if (!rel_name_ok(c, schema, relstore_str(&c->rels, r->name)))
			break;
		relstore_set_key(&c->rels, ids[i], RK_SCHEMA, (uint32_t)schema);
	}
	c->names_freed += nr != 0;
	free(ids);
}

void cat_rel_set_kind(struct catalog *c, cat_id rel, enum rel_kind kind)
{
	struct rel_row *r = relstore_get(&c->rels, rel);

	if (!r)
		return;
	if (!kind)
		col_refused(c, "NOT NULL constraint failed: relations.kind");
	else
		r->kind = (char)kind;
}

void cat_rel_set_parent(struct catalog *c, cat_id rel, cat_id parent)
{
	relstore_set_key(&c->rels, rel, RK_PARENT, store_id(parent));
}

void cat_rel_set_flag(struct catalog *c, cat_id rel, const char *column, int value)
{
	struct rel_row *r = relstore_get(&c->rels, rel);
	uint8_t bit;

	if (!strcmp(column, "unlogged"))
		bit = RF_UNLOGGED;
	else if (!strcmp(column, "rls_enabled"))
		bit = RF_RLS_ENABLED;
	else if (!strcmp(column, "rls_forced"))
		bit = RF_RLS_FORCED;
	else if (!strcmp(column, "columns_unknown"))
		bit = RF_COLUMNS_UNKNOWN;
	else
		BUG("no relation flag '%s'", column);
	if (r)
		r->flags = (uint8_t)(value ? r->flags | bit : r->flags & ~bit);
}

/* Where in a relation's row the text field 'column' is. */
static size_t rel_text_field(const char *column)
{
	if (!strcmp(column, "comment"))
		return offsetof(struct rel_row, comment);
	if (!strcmp(column, "definition"))
		return offsetof(struct rel_row, definition);
	if (!strcmp(column, "partition_key"))
		return offsetof(struct rel_row, partition_key);
	if (!strcmp(column, "partition_bound"))
		return offsetof(struct rel_row, partition_bound);
	BUG("no relation text '%s'", column);
}

/* The string id of a relation's text 'column' (rel_text_field()), or
   NULL when there is no such relation. */
static uint32_t *rel_text_slot(struct catalog *c, cat_id rel, const char *column)
{
	size_t field = rel_text_field(column);
	struct rel_row *r = relstore_get(&c->rels, rel);

	return r ? (uint32_t *)((char *)r + field) : NULL;
}

void cat_rel_set_text(struct catalog *c, cat_id rel, const char *column, const char *text)
{
	uint32_t *slot = rel_text_slot(c, rel, column);

	if (slot)
		*slot = relstore_intern(&c->rels, text);
}

const char *cat_rel_text(struct catalog *c, cat_id rel, const char *column)
{
	const uint32_t *slot = rel_text_slot(c, rel, column);

	return slot ? relstore_str(&c->rels, *slot) : NULL;
}

int cat_views_reading(struct catalog *c, cat_id rel, cat_id **views)
{
	const struct linkstore *vd = &c->view_deps;
	size_t alloc = 0;
	int n = 0;

	*views = NULL;
	if (rel <= 0)
		return 0;       /* key_first(0) would give the rows whose rel_id is NULL */
	for (uint32_t id = linkstore_key_first(vd, 0, (uint64_t)rel); id;
	     id = vd->rows[id].key_next[0]) {
		cat_id view = vd->rows[id].parent;
		int i;

		for (i = 0; i < n && (*views)[i] != view; i++)
			;
		if (i < n)
			continue;
		ALLOC_GROW(*views, (size_t)n + 1, alloc);
		(*views)[n++] = view;
	}
	return n;
}

static void bind_char(sqlite3_stmt *st, int i, char ch)
{
	char s[2] = { ch, 0 };

	if (ch)
		sqlite3_bind_text(st, i, s, 1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* ---- columns (in catalog.colstore, not in SQLite's tables) ---- */

/*
 * A column as struct cat_col, names cut at NAME_MAX_BYTES as they were
 * when this was read from SQL.
 */
static void col_fill(const struct catalog *c, cat_id id, const struct col_row *r,
		     struct cat_col *o)
{
	const struct colstore *s = &c->colstore;

	memset(o, 0, sizeof(*o));
	o->id = id;
	o->rel_id = r->rel_id;
	o->attnum = r->attnum;
	copy_name(o->name, (const unsigned char *)colstore_str(s, r->name));
	copy_name(o->type_name, (const unsigned char *)colstore_str(s, r->type_name));
	copy_name(o->type_schema, (const unsigned char *)colstore_str(s, r->type_schema));
	o->type.name = o->type_name;
	o->type.schema = o->type_schema[0] ? o->type_schema : NULL;
	if (r->flags & CS_TYPMOD1) {
		o->type.mods[0] = r->typmod1;
		o->type.nr_mods = 1;
	}
	if (r->flags & CS_TYPMOD2) {
		o->type.mods[1] = r->typmod2;
		o->type.nr_mods = 2;
	}
	o->type.array_dims = r->array_dims;
	o->not_null = r->flags & CS_NOT_NULL;
	o->has_default = r->default_expr != 0;
	o->default_volatility = r->default_volatility;
	o->identity = r->identity;
	o->generated = r->generated != 0;
	o->created_file = r->created_file;
	if (r->flags & CS_COLLATION)
		copy_name(o->collation,
			  (const unsigned char *)colstore_str(s, colstore_collation(s, id)));
}

/* The column named 'name' ('len' bytes) of relation 'rel', or 0. */
static cat_id col_by_name(struct catalog *c, cat_id rel, const char *name, size_t len)
{
	const struct colstore *s = &c->colstore;
	const struct col_row *r;
	struct name_memo *m;
	uint64_t h;
	cat_id id;

	if (rel <= 0 || rel >= UINT32_MAX)
		return 0;
	h = strpool_hash(name, len);
	m = memo_slot(c->col_memo, h, (uint32_t)rel);
	if (m->hash == h && m->owner == rel && (r = colstore_get(s, m->id)) &&
	    r->rel_id == rel && !strcmp(colstore_str(s, r->name), name))
		return m->id;
	id = colstore_find(s, rel, strpool_find_hashed(&s->strs, name, h));
	if (id)
		*m = (struct name_memo){ h, (uint32_t)rel, (uint32_t)id };
	return id;
}

int cat_col_find(struct catalog *c, cat_id rel, const char *name, struct cat_col *out)
{
	cat_id id;
	size_t len;

	if (!name || (len = strlen(name)) > NAME_MAX_BYTES || !(id = col_by_name(c, rel, name, len)))
		return -1;
	if (out)
		col_fill(c, id, colstore_get(&c->colstore, id), out);
	return 0;
}

int cat_col_get(struct catalog *c, cat_id id, struct cat_col *out)
{
	const struct col_row *r = colstore_get(&c->colstore, id);

	if (!r)
		return -1;
	if (out)
		col_fill(c, id, r, out);
	return 0;
}

int cat_col_list(struct catalog *c, cat_id rel, struct cat_col **cols, int *nr)
{
	const struct colstore *s = &c->colstore;
	struct cat_col *v = NULL;
	int n = 0, i = 0;

	for (uint32_t id = colstore_first(s, rel); id; id = s->rows[id].next)
		n++;
	/* filled in place: the type name pointers point into the array */
	if (n)
		v = xcalloc((size_t)n, sizeof(*v));
	for (uint32_t id = colstore_first(s, rel); id; id = s->rows[id].next)
		col_fill(c, id, &s->rows[id], &v[i++]);
	*cols = v;
	*nr = n;
	return 0;
}

/* A write SQLite would have refused (a constraint of the table the
   columns were): counted as an error, as run() counts one. */
static void col_refused(struct catalog *c, const char *why)
{
	c->errors++;
	if (getenv("MIGSAFE_DEBUG"))
		warning("catalog: %s", why);
}

static void col_set_type(struct catalog *c, struct col_row *r, const struct type_ref *t)
{
	struct strbuf sb;

	strbuf_init(&sb);
	type_format(t, &sb);
	r->type = colstore_intern(&c->colstore, sb.buf);
	strbuf_release(&sb);
	r->type_schema = colstore_intern(&c->colstore, t->schema);
	r->type_name = colstore_intern(&c->colstore, t->name ? t->name : "unknown");
	r->flags &= (uint8_t)~(CS_TYPMOD1 | CS_TYPMOD2);
	r->typmod1 = r->typmod2 = 0;
	if (t->nr_mods >= 1) {
		r->typmod1 = t->mods[0];
		r->flags |= CS_TYPMOD1;
	}
	if (t->nr_mods >= 2) {
		r->typmod2 = t->mods[1];
		r->flags |= CS_TYPMOD2;
	}
	r->array_dims = t->array_dims;
}

/* Where the column was made: the origin, as bind_origin() has it. */
static void col_set_origin(struct catalog *c, struct col_row *r)
{
	r->created_file = c->origin.file_index;
	r->flags = (uint8_t)((r->flags & ~CS_IN_RANGE) | (c->origin.in_range ? CS_IN_RANGE : 0));
	r->file_ref = (uint32_t)c->origin_ref;
	r->line = c->origin.loc.line;
}

/* A column named 'name' may join 'rel' (the checks of its old table:
   the relation exists, the name is there and not taken); its sid or 0. */
static cs_str col_name_ok(struct catalog *c, cat_id rel, const char *name)
{
	cs_str sid;

	if (!name || !rel_live(c, rel) || rel >= UINT32_MAX) {
		col_refused(c, "FOREIGN KEY or NOT NULL constraint failed: columns");
		return 0;
	}
	sid = colstore_intern(&c->colstore, name);
	if (colstore_find(&c->colstore, rel, sid)) {
		col_refused(c, "UNIQUE constraint failed: columns.rel_id, columns.name");
		return 0;
	}
	return sid;
}

/*
 * A row naming column 'col' may be stored: the foreign key on columns.id
 * the tables that name columns had (a NULL, col 0, passes when the row
 * may have none). A row that fails is not stored, counted as run()
 * counts a failed statement.
 */
static bool col_ref_ok(struct catalog *c, cat_id col, bool null_ok)
{
	if ((null_ok && !col) || colstore_get(&c->colstore, col))
		return true;
	col_refused(c, "FOREIGN KEY constraint failed: no such column");
	return false;
}

cat_id cat_col_add(struct catalog *c, cat_id rel, const struct cat_col_def *d)
{
	struct col_row r = { 0 };
	cat_id id;

	if (!(r.name = col_name_ok(c, rel, d->name)))
		return 0;
	r.rel_id = rel;
	r.attnum = colstore_next_attnum(&c->colstore, rel);
	col_set_type(c, &r, d->type);
	if (d->not_null)
		r.flags |= CS_NOT_NULL;
	r.default_expr = colstore_intern(&c->colstore, d->default_expr);
	r.default_volatility = d->default_volatility;
	r.identity = d->identity;
	r.generated = colstore_intern(&c->colstore, d->generated);
	col_set_origin(c, &r);
	id = colstore_add(&c->colstore, &r, 0);
	if (d->collation)
		colstore_set_collation(&c->colstore, id, colstore_intern(&c->colstore, d->collation));
	return id;
}

void cat_col_set_collation(struct catalog *c, cat_id col, const char *collation)
{
	colstore_set_collation(&c->colstore, col, colstore_intern(&c->colstore, collation));
}

/* What used the column goes (the trigger column_gone, catalog.sql). */
static void col_dependents_drop(struct catalog *c, cat_id col)
{
	sqlite3_stmt *st = q(c, "INSERT OR IGNORE INTO gone_columns (id) VALUES (?1)");

	sqlite3_bind_int64(st, 1, col);
	step(c, st);
	st = q(c, "DELETE FROM gone_columns WHERE id = ?1");
	sqlite3_bind_int64(st, 1, col);
	step(c, st);
}

void cat_col_drop(struct catalog *c, cat_id col)
{
	const struct col_row *r = colstore_get(&c->colstore, col);

	if (!r)
		return;
	col_dependents_drop(c, col);
	colstore_delete(&c->colstore, col);
	if (c->views_pending && !c->dropping_views)
		drop_pending_views(c);
}

void cat_col_rename(struct catalog *c, cat_id col, const char *name)
{
	struct col_row *r = colstore_get(&c->colstore, col);
	cs_str sid;
	cat_id other;

	if (!r)
		return;
	if (!name) {
		col_refused(c, "NOT NULL constraint failed: columns.name");
		return;
	}
	sid = colstore_intern(&c->colstore, name);
	other = colstore_find(&c->colstore, r->rel_id, sid);
	if (other && other != col)
		col_refused(c, "UNIQUE constraint failed: columns.rel_id, columns.name");
	else if (!other)
		colstore_rename(&c->colstore, col, sid);
}

void cat_col_set_type(struct catalog *c, cat_id col, const struct type_ref *t)
{
	struct col_row *r = colstore_get(&c->colstore, col);

	if (r)
		col_set_type(c, r, t);
}

void cat_col_set_not_null(struct catalog *c, cat_id col, bool not_null)
{
	struct col_row *r = colstore_get(&c->colstore, col);

	if (r)
		r->flags = (uint8_t)((r->flags & ~CS_NOT_NULL) | (not_null ? CS_NOT_NULL : 0));
}

/* ---- a renamed column in stored expressions ---- */

static void rename_in_con_exprs(struct catalog *c, cat_id table, const char *from, const char *to)
{
	struct constore *s = &c->cons;

	for (uint32_t id = constore_key_first(s, CK_REL, (uint64_t)table); id;
	     id = s->rows[id].key_next[CK_REL]) {
		struct con_row *r = &s->rows[id];
		const char *text = constore_str(s, r->expr);
		char *e = text ? expr_rename_column(text, from, to) : NULL;

		if (e) {
			r->expr = constore_intern(s, e);
			free(e);
		}
		text = constore_str(s, r->not_null_column);
		if (text && !strcmp(text, from))
			r->not_null_column = constore_intern(s, to);
	}
}

/* A colstore string through expr_rename_column(); the same id if unchanged. */
static cs_str rename_in_col_str(struct catalog *c, cs_str sid, const char *from, const char *to)
{
	const char *text = colstore_str(&c->colstore, sid);
	char *e = text ? expr_rename_column(text, from, to) : NULL;

	if (e) {
		sid = colstore_intern(&c->colstore, e);
		free(e);
	}
	return sid;
}

static void rename_in_col_exprs(struct catalog *c, cat_id table, const char *from, const char *to)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM columns WHERE rel_id = ?1");
	cat_id *ids = NULL;
	size_t n = 0, alloc = 0;

	sqlite3_bind_int64(st, 1, table);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ids, n + 1, alloc);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++) {
		struct col_row *r = colstore_get(&c->colstore, ids[i]);

		if (!r)
			continue;
		r->default_expr = rename_in_col_str(c, r->default_expr, from, to);
		r->generated = rename_in_col_str(c, r->generated, from, to);
	}
	free(ids);
}

/* A linkstore row's string k through expr_rename_column(). */
static void rename_in_link_str(struct linkstore *s, uint32_t id, int k, const char *from,
			       const char *to)
{
	const char *text = linkstore_str(s, s->rows[id].str[k]);
	char *e = text ? expr_rename_column(text, from, to) : NULL;

	if (e)
		linkstore_set_str(s, id, k, e);
	free(e);
}

/* The indexes store holds a table's indexes as its rows (key 0: the
   index's relation), the index_cols store an index's columns. */
static void rename_in_index_exprs(struct catalog *c, cat_id table, const char *from,
				  const char *to)
{
	struct linkstore *ix = &c->indexes, *ic = &c->index_cols;

	for (uint32_t row = linkstore_first(ix, (uint64_t)table); row; row = ix->rows[row].next) {
		rename_in_link_str(ix, row, 0, from, to);   /* the predicate */
		for (uint32_t id = linkstore_first(ic, ix->rows[row].key[0]); id;
		     id = ic->rows[id].next)
			if (!ic->rows[id].key[0])   /* an expression, not a column */
				rename_in_link_str(ic, id, 0, from, to);
	}
}

void cat_col_rename_refs(struct catalog *c, cat_id table, const char *from, const char *to)
{
	rename_in_con_exprs(c, table, from, to);
	rename_in_col_exprs(c, table, from, to);
	rename_in_index_exprs(c, table, from, to);
}

void cat_col_set_default(struct catalog *c, cat_id col, const char *expr, char volatility)
{
	struct col_row *r = colstore_get(&c->colstore, col);

	if (!r)
		return;
	r->default_expr = colstore_intern(&c->colstore, expr);
	r->default_volatility = expr ? volatility : 0;
}

void cat_col_set_identity(struct catalog *c, cat_id col, char identity)
{
	struct col_row *r = colstore_get(&c->colstore, col);

	if (r)
		r->identity = identity;
}

void cat_col_set_generated(struct catalog *c, cat_id col, const char *expr)
{
	struct col_row *r = colstore_get(&c->colstore, col);

	if (r)
		r->generated = colstore_intern(&c->colstore, expr);
}

void cat_col_set_type_text(struct catalog *c, cat_id col, const char *text)
{
	struct col_row *r = colstore_get(&c->colstore, col);

	if (r)
		r->type = colstore_intern(&c->colstore, text ? text : "");
}

/*
 * cat_col_defaults_follow(): each sequence's default, as the interned
 * text at its old place and at its new one, sorted by the old, so that
 * one pass over the columns moves them all.
 */
struct default_move {
	cs_str from, to;
};

static int default_move_cmp(const void *a, const void *b)
{
	cs_str x = ((const struct default_move *)a)->from;
	cs_str y = ((const struct default_move *)b)->from;

	return (x > y) - (x < y);
}

/* serial_default_format() of schema.name interned, or with 'add' false
   its sid if interned (0: no column has that default). */
static cs_str seq_default_sid(struct catalog *c, const char *schema, const char *name, bool add)
{
	struct strbuf sb;
	cs_str sid;

	strbuf_init(&sb);
	serial_default_format(&sb, schema, name);
	sid = add ? colstore_intern(&c->colstore, sb.buf) : colstore_str_find(&c->colstore, sb.buf);
	strbuf_release(&sb);
	return sid;
}

static void col_defaults_move(struct catalog *c, struct default_move *m, size_t n)
{
	struct colstore *s = &c->colstore;
	struct default_move key, *hit;

	qsort(m, n, sizeof(*m), default_move_cmp);
	for (int64_t id = colstore_next(s, 0); id; id = colstore_next(s, id)) {
		key.from = s->rows[id].default_expr;
		if (key.from && (hit = bsearch(&key, m, n, sizeof(*m), default_move_cmp)))
			s->rows[id].default_expr = hit->to;
	}
}

void cat_col_defaults_follow(struct catalog *c, cat_id rel, cat_id sid, const char *schema,
			     const char *name)
{
	sqlite3_stmt *st = q(c, "SELECT r.id, s.name, r.name FROM relations r"
			     " JOIN schemas s ON s.id = r.schema_id WHERE r.kind = 'S'"
			     " AND (r.schema_id = ?2 OR r.id IN"
			     " (SELECT id FROM relations WHERE " MOVES_WITH_1 "))");
	struct default_move *m = NULL;
	size_t n = 0, alloc = 0;

	bind_id(st, 1, rel);
	bind_id(st, 2, sid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *old_schema = (const char *)sqlite3_column_text(st, 1);
		const char *old_name = (const char *)sqlite3_column_text(st, 2);
		bool renamed = name && sqlite3_column_int64(st, 0) == rel;
		cs_str from = seq_default_sid(c, old_schema, old_name, false);

		if (!from)
			continue;
		ALLOC_GROW(m, n + 1, alloc);
		m[n].from = from;
		m[n++].to = seq_default_sid(c, schema ? schema : old_schema,
					    renamed ? name : old_name, true);
	}
	sqlite3_reset(st);
	if (n)
		col_defaults_move(c, m, n);
	free(m);
}

/* ---- "columns": the virtual table that shows catalog.colstore to SQL ---- */

/*
 * The SQL every query of "columns" was written against keeps working:
 * the same columns in the same order, "file" computed from file_ref,
 * rows in the order the table and its indexes gave them (col_order()).
 * Lookups by id, by rel_id and by (rel_id, name) cost what an index's
 * did, so joins on them stay loops over a few rows.
 *
 * Only the trigger relation_columns_gone writes it: it deletes the
 * columns of a relation that is gone. Anything else that tries to
 * change it (no SQL of a rule or a user can: catalog_query() runs only
 * statements that do not write) gets an error.
 */
enum col_field {
	CF_ID, CF_REL_ID, CF_ATTNUM, CF_NAME, CF_TYPE, CF_TYPE_SCHEMA, CF_TYPE_NAME,
	CF_TYPMOD1, CF_TYPMOD2, CF_ARRAY_DIMS, CF_NOT_NULL, CF_DEFAULT_EXPR,
	CF_DEFAULT_VOLATILITY, CF_IDENTITY, CF_GENERATED, CF_COMMENT, CF_CREATED_FILE,
	CF_IN_RANGE, CF_FILE_REF, CF_FILE, CF_LINE, CF_COLLATION,
};

static const char col_table_sql[] =
	"CREATE TABLE x(id INTEGER, rel_id INTEGER, attnum INTEGER, name TEXT, type TEXT,"
	" type_schema TEXT, type_name TEXT, typmod1 INTEGER, typmod2 INTEGER,"
	" array_dims INTEGER, not_null INTEGER, default_expr TEXT, default_volatility TEXT,"
	" identity TEXT, generated TEXT, comment TEXT, created_file INTEGER,"
	" in_range INTEGER, file_ref INTEGER, file TEXT, line INTEGER, collation TEXT)";

/* xBestIndex's plans (idxNum bits): what is looked up, and the order
   of the rows (see col_order()) */
#define BY_ID   1
#define BY_REL  2
#define BY_NAME 4
#define IN_REL_NAME   8     /* by relation id, then name */
#define IN_REL_ATTNUM 16    /* by relation id, then attnum */

struct col_vtab {
	sqlite3_vtab base;
	struct catalog *c;
};

/* The ids of the rows a virtual table's scan matched, taken at xFilter
   (the columns' and the link tables' cursors): ids[i] is the row. */
struct id_list {
	uint32_t *ids;          /* owned unless == one */
	uint32_t one[16];
	size_t nr, i, alloc;
};

static void id_list_init(struct id_list *l)
{
	l->ids = l->one;
	l->nr = l->i = l->alloc = 0;
}

static void id_list_reset(struct id_list *l)
{
	if (l->ids != l->one)
		free(l->ids);
	id_list_init(l);
}

static void id_list_add(struct id_list *l, uint32_t id)
{
	if (l->nr == ARRAY_SIZE(l->one) && l->ids == l->one) {
		l->alloc = 4 * ARRAY_SIZE(l->one);
		l->ids = xmalloc(l->alloc * sizeof(*l->ids));
		memcpy(l->ids, l->one, sizeof(l->one));
	}
	if (l->ids != l->one)
		ALLOC_GROW(l->ids, l->nr + 1, l->alloc);
	l->ids[l->nr++] = id;
}

/* A C store as its cursors see it: is a row there, and the next id in
   use above 'id' (0: none), for a scan in id order. */
struct store_ops {
	bool (*live)(const struct catalog *c, cat_id id);
	cat_id (*next)(const struct catalog *c, cat_id id);
};

/* A cursor of "columns" or "constraints": the ids a plan matched, taken
   when the scan starts (xFilter): rows deleted while it runs (a
   DELETE's own, a trigger's) are skipped. */
struct col_cursor {
	sqlite3_vtab_cursor base;
	struct catalog *c;
	const struct store_ops *ops;
	bool scan;              /* every row in id order: cur is the row */
	cat_id cur;
	struct id_list list;    /* else */
};

/* A virtual table of catalog 'c' declared as 'decl' ("columns",
   "constraints": a struct col_vtab each). */
static int vtab_connect(sqlite3 *db, struct catalog *c, const char *decl, sqlite3_vtab **out)
{
	struct col_vtab *t;
	int rc;

	if ((rc = sqlite3_declare_vtab(db, decl)) != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
	if (!(t = sqlite3_malloc(sizeof(*t))))
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->c = c;
	*out = &t->base;
	return SQLITE_OK;
}

static int col_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		       sqlite3_vtab **out, char **err)
{
	(void)argc, (void)argv, (void)err;
	return vtab_connect(db, aux, col_table_sql, out);
}

static int col_disconnect(sqlite3_vtab *tab)
{
	sqlite3_free(tab);
	return SQLITE_OK;
}

/*
 * The usable constraint SQLite offers on one column of a store's table
 * with operator 'op', or -1 (on 'name_field', only one that compares as
 * the store does: BINARY). Field 0 is every store table's id, the rowid.
 */
static int store_usable(sqlite3_index_info *info, int field, int op, int name_field)
{
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *k = &info->aConstraint[i];
		int col = k->iColumn < 0 ? 0 : k->iColumn;

		if (!k->usable || k->op != op || col != field)
			continue;
		if (field != name_field || !sqlite3_stricmp(sqlite3_vtab_collation(info, i), "BINARY"))
			return i;
	}
	return -1;
}

static int col_eq(sqlite3_index_info *info, int field)
{
	return store_usable(info, field, SQLITE_INDEX_CONSTRAINT_EQ, CF_NAME);
}

/* A plan that gives one row at most, costed as a seek. */
static void plan_unique(sqlite3_index_info *info, int plan, double cost)
{
	info->idxNum = plan;
	info->estimatedCost = cost;
	info->estimatedRows = 1;
	info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
}

/* A lookup by the key in 'field' (= or IS) as 'plan', with 'is' added
   for IS; false when none is usable. */
static bool store_key_plan(sqlite3_index_info *info, int field, int name_field, int plan, int is)
{
	int eq = store_usable(info, field, SQLITE_INDEX_CONSTRAINT_EQ, name_field);
	int by_is = eq >= 0 ? -1 : store_usable(info, field, SQLITE_INDEX_CONSTRAINT_IS, name_field);

	if (eq < 0 && by_is < 0)
		return false;
	info->idxNum = plan | (eq < 0 ? is : 0);
	info->aConstraintUsage[eq >= 0 ? eq : by_is].argvIndex = 1;
	info->estimatedCost = 60;
	info->estimatedRows = 10;
	return true;
}

/* The only write a store's table takes is a DELETE (argc 1): anything
   else is refused with SQLITE_READONLY, naming the table. */
static int store_delete_only(sqlite3_vtab *tab, int argc, const char *table)
{
	if (argc == 1)
		return SQLITE_OK;
	sqlite3_free(tab->zErrMsg);
	tab->zErrMsg = sqlite3_mprintf("table %s may not be modified", table);
	return SQLITE_READONLY;
}

/*
 * The order the table's rows came in to a query without ORDER BY, which
 * depended on the columns it reads (colUsed): SQLite read an index that
 * has them all rather than the table. Its index on (rel_id, name) when
 * name is among them and it has them; its index on (rel_id, attnum)
 * when that has them, and for any lookup by rel_id; else rowid order.
 */
static int col_order(const sqlite3_index_info *info, bool by_rel)
{
	sqlite3_uint64 key = (1ull << CF_ID) | (1ull << CF_REL_ID), used = info->colUsed;

	if ((used & (1ull << CF_NAME)) && !(used & ~(key | (1ull << CF_NAME))))
		return IN_REL_NAME;
	if (by_rel || !(used & ~(key | (1ull << CF_ATTNUM))))
		return IN_REL_ATTNUM;
	return 0;
}

/*
 * Costs as SQLite's own for a table of about a million rows: a lookup
 * by key is one row, a relation's columns a few (costed as the table's
 * index on rel_id was, a seek and a few rows: a join from relations to
 * columns without a condition on relations keeps reading columns in
 * the outer loop, as it did), a scan all of them (never cheap, whatever
 * the store holds when a statement is prepared: cached statements keep
 * their plans). SQLite checks the constraints again (omit stays 0): it
 * knows the affinities, xFilter need not.
 */
static int col_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
	int id = col_eq(info, CF_ID), rel = col_eq(info, CF_REL_ID), name = col_eq(info, CF_NAME);

	(void)tab;
	if (id >= 0) {
		plan_unique(info, BY_ID, 1);
		info->aConstraintUsage[id].argvIndex = 1;
	} else if (rel >= 0 && name >= 0) {
		plan_unique(info, BY_REL | BY_NAME, 2);
		info->aConstraintUsage[rel].argvIndex = 1;
		info->aConstraintUsage[name].argvIndex = 2;
	} else if (rel >= 0) {
		info->idxNum = BY_REL | col_order(info, true);
		info->aConstraintUsage[rel].argvIndex = 1;
		info->estimatedCost = 60;
		info->estimatedRows = 10;
	} else {
		info->idxNum = col_order(info, false);
		info->estimatedCost = 1e6;
		info->estimatedRows = 1000000;
	}
	return SQLITE_OK;
}

static int store_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out, const struct store_ops *ops)
{
	struct col_cursor *k = sqlite3_malloc(sizeof(*k));

	if (!k)
		return SQLITE_NOMEM;
	memset(k, 0, sizeof(*k));
	k->c = ((struct col_vtab *)tab)->c;
	k->ops = ops;
	id_list_init(&k->list);
	*out = &k->base;
	return SQLITE_OK;
}

static bool col_live(const struct catalog *c, cat_id id)
{
	return colstore_get(&c->colstore, id) != NULL;
}

static cat_id col_next_id(const struct catalog *c, cat_id id)
{
	return colstore_next(&c->colstore, id);
}

static const struct store_ops col_ops = { col_live, col_next_id };

static int col_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
	return store_open(tab, out, &col_ops);
}

static void cursor_reset(struct col_cursor *k)
{
	id_list_reset(&k->list);
	k->scan = false;
	k->cur = 0;
}

static int store_close(sqlite3_vtab_cursor *cur)
{
	cursor_reset((struct col_cursor *)cur);
	sqlite3_free(cur);
	return SQLITE_OK;
}

/* An id to look up: 1 (in *id), 0 when none can equal v (NULL, a
   fraction), -1 when only SQLite can tell (text: affinity). */
static int value_id(sqlite3_value *v, cat_id *id)
{
	double d;

	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		*id = sqlite3_value_int64(v);
		return 1;
	case SQLITE_FLOAT:
		d = sqlite3_value_double(v);
		if (d < -9e18 || d > 9e18 || d != (double)(cat_id)d)
			return 0;
		*id = (cat_id)d;
		return 1;
	case SQLITE_NULL:
		return 0;
	default:
		return -1;
	}
}

/* A plan by id: the row of id v if it is there, or a scan when only
   SQLite can compare v with the ids (text: affinity). */
static void filter_id(struct col_cursor *k, sqlite3_value *v)
{
	cat_id id;
	int known = value_id(v, &id);

	if (known > 0 && k->ops->live(k->c, id))
		id_list_add(&k->list, (uint32_t)id);
	k->scan = known < 0;
}

struct named_id {
	const char *name;
	uint32_t id;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named_id *)a)->name, ((const struct named_id *)b)->name);
}

/* The ids from 'from' on (one relation's) in name order (names have
   no NUL: strcmp() compares as SQLite's BINARY). */
static void sort_by_name(struct col_cursor *k, size_t from)
{
	const struct colstore *s = &k->c->colstore;
	struct named_id few[ARRAY_SIZE(k->list.one)], *v = few;
	size_t n = k->list.nr - from;

	if (n < 2)
		return;
	if (n > ARRAY_SIZE(few))
		v = xmalloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i].id = k->list.ids[from + i];
		v[i].name = colstore_str(s, s->rows[v[i].id].name);
	}
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0; i < n; i++)
		k->list.ids[from + i] = v[i].id;
	if (v != few)
		free(v);
}

/* The columns of relation 'rel' in the order the plan says. */
static void add_rel(struct col_cursor *k, int plan, cat_id rel)
{
	const struct colstore *s = &k->c->colstore;
	size_t from = k->list.nr;

	for (uint32_t id = colstore_first(s, rel); id; id = s->rows[id].next)
		id_list_add(&k->list, id);
	if (plan & IN_REL_NAME)
		sort_by_name(k, from);
}

/* The columns of relation argv[0] (named argv[1] when by name). */
static void filter_rel(struct col_cursor *k, int plan, sqlite3_value **argv)
{
	const struct colstore *s = &k->c->colstore;
	cat_id rel;
	int known = value_id(argv[0], &rel);

	if (known < 0) {
		k->scan = true;
		return;
	}
	if (!known)
		return;
	if ((plan & BY_NAME) && sqlite3_value_type(argv[1]) == SQLITE_TEXT) {
		cat_id id = colstore_find(s, rel, colstore_str_find(s,
				(const char *)sqlite3_value_text(argv[1])));

		if (id)
			id_list_add(&k->list, (uint32_t)id);
		return;
	}
	add_rel(k, plan, rel);
}

static int col_filter(sqlite3_vtab_cursor *cur, int plan, const char *plan_str, int argc,
		      sqlite3_value **argv)
{
	struct col_cursor *k = (struct col_cursor *)cur;

	(void)plan_str, (void)argc;
	cursor_reset(k);
	if (plan & BY_ID) {
		filter_id(k, argv[0]);
	} else if (plan & BY_REL) {
		filter_rel(k, plan, argv);
	} else if (plan & (IN_REL_NAME | IN_REL_ATTNUM)) {
		for (size_t rel = 1; rel < k->c->colstore.rels_alloc; rel++)
			add_rel(k, plan, (cat_id)rel);
	} else {
		k->scan = true;
	}
	if (k->scan)
		k->cur = colstore_next(&k->c->colstore, 0);
	return SQLITE_OK;
}

static int store_next(sqlite3_vtab_cursor *cur)
{
	struct col_cursor *k = (struct col_cursor *)cur;

	if (k->scan)
		k->cur = k->ops->next(k->c, k->cur);
	else
		k->list.i++;
	return SQLITE_OK;
}

/* The row under the cursor: with a snapshot, the first one may be gone. */
static cat_id cursor_id(struct col_cursor *k)
{
	if (k->scan)
		return k->cur;
	while (k->list.i < k->list.nr && !k->ops->live(k->c, k->list.ids[k->list.i]))
		k->list.i++;
	return k->list.i < k->list.nr ? k->list.ids[k->list.i] : 0;
}

static int store_eof(sqlite3_vtab_cursor *cur)
{
	return !cursor_id((struct col_cursor *)cur);
}

static void result_str(sqlite3_context *ctx, const struct colstore *s, cs_str sid)
{
	if (sid)
		sqlite3_result_text(ctx, colstore_str(s, sid), -1, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

static void result_char(sqlite3_context *ctx, char ch)
{
	if (ch)
		sqlite3_result_text(ctx, &ch, 1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

static void result_file(sqlite3_context *ctx, const struct catalog *c, uint32_t ref)
{
	if (ref < 1 || ref > c->nr_paths)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, c->paths[ref - 1], -1, SQLITE_STATIC);
}

static void result_opt_int(sqlite3_context *ctx, bool set, int64_t v)
{
	if (set)
		sqlite3_result_int64(ctx, v);
	else
		sqlite3_result_null(ctx);
}

/* The fields other than the strings. */
static void col_number(sqlite3_context *ctx, cat_id id, const struct col_row *r, int field)
{
	switch (field) {
	case CF_ID: sqlite3_result_int64(ctx, id); break;
	case CF_REL_ID: sqlite3_result_int64(ctx, r->rel_id); break;
	case CF_ATTNUM: sqlite3_result_int(ctx, r->attnum); break;
	case CF_TYPMOD1: result_opt_int(ctx, r->flags & CS_TYPMOD1, r->typmod1); break;
	case CF_TYPMOD2: result_opt_int(ctx, r->flags & CS_TYPMOD2, r->typmod2); break;
	case CF_ARRAY_DIMS: sqlite3_result_int(ctx, r->array_dims); break;
	case CF_NOT_NULL: sqlite3_result_int(ctx, !!(r->flags & CS_NOT_NULL)); break;
	case CF_CREATED_FILE: sqlite3_result_int(ctx, r->created_file); break;
	case CF_IN_RANGE: sqlite3_result_int(ctx, !!(r->flags & CS_IN_RANGE)); break;
	case CF_FILE_REF: result_opt_int(ctx, r->file_ref != 0, r->file_ref); break;
	case CF_LINE: sqlite3_result_int(ctx, r->line); break;
	default: sqlite3_result_null(ctx); break;
	}
}

static int col_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int field)
{
	struct col_cursor *k = (struct col_cursor *)cur;
	const struct colstore *s = &k->c->colstore;
	cat_id id = cursor_id(k);
	const struct col_row *r = colstore_get(s, id);

	if (!r) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	switch (field) {
	case CF_NAME: result_str(ctx, s, r->name); break;
	case CF_TYPE: result_str(ctx, s, r->type); break;
	case CF_TYPE_SCHEMA: result_str(ctx, s, r->type_schema); break;
	case CF_TYPE_NAME: result_str(ctx, s, r->type_name); break;
	case CF_DEFAULT_EXPR: result_str(ctx, s, r->default_expr); break;
	case CF_DEFAULT_VOLATILITY: result_char(ctx, r->default_volatility); break;
	case CF_IDENTITY: result_char(ctx, r->identity); break;
	case CF_GENERATED: result_str(ctx, s, r->generated); break;
	case CF_COMMENT: result_str(ctx, s, r->comment); break;
	case CF_COLLATION: result_str(ctx, s, colstore_collation(s, id)); break;
	case CF_FILE: result_file(ctx, k->c, r->file_ref); break;
	default: col_number(ctx, id, r, field); break;
	}
	return SQLITE_OK;
}

static int store_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = cursor_id((struct col_cursor *)cur);
	return SQLITE_OK;
}

/* DELETE of a column whose relation is gone; nothing else. */
static int col_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *rowid)
{
	struct catalog *c = ((struct col_vtab *)tab)->c;
	const struct col_row *r;

	(void)rowid;
	if (store_delete_only(tab, argc, "columns"))
		return SQLITE_READONLY;
	r = colstore_get(&c->colstore, sqlite3_value_int64(argv[0]));
	if (r && rel_live(c, r->rel_id)) {
		sqlite3_free(tab->zErrMsg);
		tab->zErrMsg = sqlite3_mprintf("a column goes only with its relation");
		return SQLITE_CONSTRAINT;
	}
	colstore_delete(&c->colstore, sqlite3_value_int64(argv[0]));
	return SQLITE_OK;
}

static const sqlite3_module col_module = {
	.iVersion = 0,
	.xCreate = col_connect,
	.xConnect = col_connect,
	.xBestIndex = col_best_index,
	.xDisconnect = col_disconnect,
	.xDestroy = col_disconnect,
	.xOpen = col_open,
	.xClose = store_close,
	.xFilter = col_filter,
	.xNext = store_next,
	.xEof = store_eof,
	.xColumn = col_column,
	.xRowid = store_rowid,
	.xUpdate = col_update,
};

/* ---- "index_columns", "constraint_columns", "view_deps", "indexes":
   virtual tables that show the catalog's linkstores to SQL ---- */

/*
 * The SQL written against the tables they were keeps working: the same
 * columns in the same order, rows in the order the table and its
 * indexes gave them (a parent's by position; by a key, the order they
 * were added; a scan, the same). Lookups by parent, by parent and
 * position, and by each key (= or IS) cost what an index's did.
 *
 * Only the triggers that clear what a gone index or constraint had
 * write them, and only DELETE; anything else gets an error (no SQL of a
 * rule or a user can: catalog_query() runs only statements that do not
 * write). That a column going takes its indexes and constraints along
 * is column_gone's, in catalog.sql (no trigger on a virtual table).
 */
struct link_table {
	const char *module;
	const char *decl;
	int parent_field;
	int pos_field;                  /* -1: none */
	/* the field a parent's rows come in ascending order of, -1: none */
	int order_field;
	int key_field[LS_KEYS];         /* the field of key k, -1: none */
	/* key 0 is the row's own id (indexes.rel_id): looked up by first,
	   and the rowid SQL sees */
	bool key0_unique;
	/* any other field, NULL: none */
	void (*column)(sqlite3_context *ctx, const struct linkstore *s,
		       const struct link_row *r, int field);
	size_t store;                   /* offsetof() the catalog's store */
};

/* index_columns: expr, is_include (flag bit 0), descending (bit 1),
   opclass */
#define IC_INCLUDE 1u
#define IC_DESC    2u

static void index_col_field(sqlite3_context *ctx, const struct linkstore *s,
			    const struct link_row *r, int field)
{
	const char *expr = linkstore_str(s, r->str[0]);

	switch (field) {
	case 3:
		if (expr)
			sqlite3_result_text(ctx, expr, -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	case 4: sqlite3_result_int(ctx, !!(r->flags & IC_INCLUDE)); break;
	case 5: sqlite3_result_int(ctx, !!(r->flags & IC_DESC)); break;
	case 6:
		if (r->str[1])
			sqlite3_result_text(ctx, linkstore_str(s, r->str[1]), -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	default: sqlite3_result_null(ctx); break;
	}
}

static const struct link_table index_cols_table = {
	"migsafe_index_columns",
	"CREATE TABLE x(index_id INTEGER, pos INTEGER, column_id INTEGER, expr TEXT,"
	" is_include INTEGER, descending INTEGER, opclass TEXT)",
	0, 1, 1, { 2, -1 }, false, index_col_field, offsetof(struct catalog, index_cols),
};

static const struct link_table con_cols_table = {
	"migsafe_constraint_columns",
	"CREATE TABLE x(con_id INTEGER, pos INTEGER, column_id INTEGER, ref_column_id INTEGER)",
	0, 1, 1, { 2, 3 }, false, NULL, offsetof(struct catalog, con_cols),
};

/* view_deps: no position, a view's rows as they were added */
static const struct link_table view_deps_table = {
	"migsafe_view_deps",
	"CREATE TABLE x(view_id INTEGER, rel_id INTEGER, column_id INTEGER)",
	0, -1, -1, { 1, 2 }, false, NULL, offsetof(struct catalog, view_deps),
};

/*
 * indexes: a table's (the parent's) rows as added, which is by rel_id
 * (key 0, the index's relation); parent_index is key 1, nr_key the
 * position (not an order), predicate and method the strings.
 */
#define IX_UNIQUE  1u
#define IX_PRIMARY 2u
#define IX_NND     4u

static void index_field(sqlite3_context *ctx, const struct linkstore *s,
			const struct link_row *r, int field)
{
	const char *str;

	switch (field) {
	case 2: sqlite3_result_int(ctx, !!(r->flags & IX_UNIQUE)); break;
	case 3: sqlite3_result_int(ctx, !!(r->flags & IX_PRIMARY)); break;
	case 4:
	case 5:
		if ((str = linkstore_str(s, r->str[field == 4 ? 1 : 0])))
			sqlite3_result_text(ctx, str, -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	case 6: sqlite3_result_int(ctx, !!(r->flags & IX_NND)); break;
	default: sqlite3_result_null(ctx); break;
	}
}

static const struct link_table indexes_table = {
	"migsafe_indexes",
	"CREATE TABLE x(rel_id INTEGER, table_id INTEGER, is_unique INTEGER,"
	" is_primary INTEGER, method TEXT, predicate TEXT, nulls_not_distinct INTEGER,"
	" nr_key INTEGER, parent_index INTEGER)",
	1, 7, 0, { 0, 8 }, true, index_field, offsetof(struct catalog, indexes),
};

/* Every link table, in the order a saved catalog has their bytes. */
static const struct link_table *const link_tables[] = {
	&index_cols_table, &con_cols_table, &view_deps_table, &indexes_table,
};

static struct linkstore *link_store(struct catalog *c, const struct link_table *t)
{
	return (struct linkstore *)((char *)c + t->store);
}

static void links_init(struct catalog *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(link_tables); i++) {
		const struct link_table *t = link_tables[i];
		struct linkstore *s = link_store(c, t);

		linkstore_init(s);
		/* a parent's rows by position when that is their order,
		   else as added */
		s->by_pos = t->order_field == t->pos_field;
	}
}

static void links_release(struct catalog *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(link_tables); i++)
		linkstore_release(link_store(c, link_tables[i]));
}

static void links_save(struct catalog *c, struct strbuf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(link_tables); i++)
		linkstore_save(link_store(c, link_tables[i]), out);
}

/* The stores from catalog_save()'s bytes: how many it read, 0 when
   they are not stores. */
static size_t links_load(struct catalog *c, const unsigned char *data, size_t len)
{
	size_t at = 0, n;

	for (size_t i = 0; i < ARRAY_SIZE(link_tables); i++) {
		if (!(n = linkstore_load(link_store(c, link_tables[i]), data + at, len - at)))
			return 0;
		at += n;
	}
	return at;
}

/* xBestIndex's plans (idxNum bits) */
#define LP_PARENT 1
#define LP_POS    2
#define LP_KEY    4     /* idxNum >> LP_KEY_SHIFT is the key */
#define LP_IS     8     /* the key compared with IS: NULL finds NULL */
#define LP_KEY_SHIFT 8

struct link_vtab {
	sqlite3_vtab base;
	struct linkstore *s;
	const struct link_table *t;
};

/* The rows a plan matched, taken when the scan starts (xFilter); a row
   deleted while it runs is skipped (ids are never given again). */
struct link_cursor {
	sqlite3_vtab_cursor base;
	const struct linkstore *s;
	const struct link_table *t;
	bool scan;              /* ids cur .. end - 1 */
	uint32_t cur, end;
	struct id_list list;    /* else */
};

static int link_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
			sqlite3_vtab **out, char **err)
{
	struct catalog *c = aux;
	const char *module = argc > 0 ? argv[0] : "";
	const struct link_table *t = NULL;
	struct link_vtab *v;
	int rc;

	(void)err;
	for (size_t i = 0; i < ARRAY_SIZE(link_tables) && !t; i++)
		if (!strcmp(module, link_tables[i]->module))
			t = link_tables[i];
	if (!t)
		return SQLITE_ERROR;
	if ((rc = sqlite3_declare_vtab(db, t->decl)) != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
	if (!(v = sqlite3_malloc(sizeof(*v))))
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->s = link_store(c, t);
	v->t = t;
	*out = &v->base;
	return SQLITE_OK;
}

/* The usable constraint on 'field' with operator 'op', or -1. */
static int link_usable(const sqlite3_index_info *info, int field, int op)
{
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *k = &info->aConstraint[i];

		if (k->usable && k->op == op && k->iColumn == field)
			return i;
	}
	return -1;
}

/* Whether the ORDER BY is the order of one parent's rows: its order
   field, or the parent then that, ascending. */
static bool link_parent_order(const struct link_table *t, const sqlite3_index_info *info)
{
	int n = info->nOrderBy, first = 0;

	if (t->order_field < 0)
		return false;
	if (n == 2 && info->aOrderBy[0].iColumn == t->parent_field && !info->aOrderBy[0].desc)
		first = 1;
	else if (n != 1)
		return false;
	return info->aOrderBy[first].iColumn == t->order_field && !info->aOrderBy[first].desc;
}

/* The plan for a lookup by key k (= or IS), false when none is usable. */
static bool link_key_plan(const struct link_table *t, sqlite3_index_info *info, int k)
{
	int eq = t->key_field[k] < 0 ? -1 :
		link_usable(info, t->key_field[k], SQLITE_INDEX_CONSTRAINT_EQ);
	int is = t->key_field[k] < 0 ? -1 :
		link_usable(info, t->key_field[k], SQLITE_INDEX_CONSTRAINT_IS);
	bool unique = !k && t->key0_unique;

	if (eq < 0 && is < 0)
		return false;
	info->idxNum = LP_KEY | (eq < 0 ? LP_IS : 0) | (k << LP_KEY_SHIFT);
	info->aConstraintUsage[eq >= 0 ? eq : is].argvIndex = 1;
	info->estimatedCost = unique ? 1 : 60;
	info->estimatedRows = unique ? 1 : 10;
	if (unique)
		info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
	return true;
}

/* Costs as SQLite's own for indexed lookups in a large table (see
   col_best_index()); SQLite checks the constraints again (omit 0). A
   parent's rows come in their order field's order: a sort for that is
   not needed. */
static int link_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
	const struct link_table *t = ((struct link_vtab *)tab)->t;
	int parent = link_usable(info, t->parent_field, SQLITE_INDEX_CONSTRAINT_EQ);
	int pos = t->pos_field < 0 ? -1 : link_usable(info, t->pos_field, SQLITE_INDEX_CONSTRAINT_EQ);

	if (t->key0_unique && link_key_plan(t, info, 0))
		return SQLITE_OK;
	if (parent >= 0) {
		info->idxNum = LP_PARENT;
		info->aConstraintUsage[parent].argvIndex = 1;
		info->estimatedCost = 10;
		info->estimatedRows = 4;
		info->orderByConsumed = link_parent_order(t, info);
		if (pos >= 0) {
			info->idxNum |= LP_POS;
			info->aConstraintUsage[pos].argvIndex = 2;
			info->estimatedCost = 2;
			info->estimatedRows = 1;
			info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
		}
		return SQLITE_OK;
	}
	for (int k = 0; k < LS_KEYS; k++)
		if (link_key_plan(t, info, k))
			return SQLITE_OK;
	info->idxNum = 0;
	info->estimatedCost = 1e6;
	info->estimatedRows = 1000000;
	return SQLITE_OK;
}

static int link_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
	struct link_vtab *v = (struct link_vtab *)tab;
	struct link_cursor *k = sqlite3_malloc(sizeof(*k));

	if (!k)
		return SQLITE_NOMEM;
	memset(k, 0, sizeof(*k));
	k->s = v->s;
	k->t = v->t;
	id_list_init(&k->list);
	*out = &k->base;
	return SQLITE_OK;
}

static void link_reset(struct link_cursor *k)
{
	id_list_reset(&k->list);
	k->scan = false;
	k->cur = k->end = 0;
}

static int link_close(sqlite3_vtab_cursor *cur)
{
	link_reset((struct link_cursor *)cur);
	sqlite3_free(cur);
	return SQLITE_OK;
}

static void link_scan(struct link_cursor *k)
{
	k->scan = true;
	k->cur = 1;
	k->end = (uint32_t)k->s->nr_rows;
	while (k->cur < k->end && !linkstore_get(k->s, k->cur))
		k->cur++;
}

/* An integer that can equal v in an INTEGER column: text as the
   column's affinity makes it (SQLite checks each row again). */
static bool link_value(sqlite3_value *v, cat_id *id)
{
	if (sqlite3_value_type(v) == SQLITE_TEXT)
		sqlite3_value_numeric_type(v);
	return value_id(v, id) > 0;
}

/* A parent's rows, in pos order (at position argv[1] when LP_POS). */
static void link_filter_parent(struct link_cursor *k, int plan, sqlite3_value **argv)
{
	cat_id parent = 0, pos = 0;

	if (!link_value(argv[0], &parent) || parent <= 0 ||
	    ((plan & LP_POS) && !link_value(argv[1], &pos)))
		return;
	for (uint32_t id = linkstore_first(k->s, (uint64_t)parent); id; id = k->s->rows[id].next)
		if (!(plan & LP_POS) || k->s->rows[id].pos == pos)
			id_list_add(&k->list, id);
}

/* The rows whose key equals argv[0] (with IS, NULL finds NULL). */
static void link_filter_key(struct link_cursor *k, int plan, sqlite3_value **argv)
{
	int key = plan >> LP_KEY_SHIFT;
	bool null = sqlite3_value_type(argv[0]) == SQLITE_NULL;
	cat_id value = 0;
	uint32_t id;

	if (null ? !(plan & LP_IS) : !link_value(argv[0], &value) || value <= 0)
		return;
	for (id = linkstore_key_first(k->s, key, (uint64_t)value); id;
	     id = k->s->rows[id].key_next[key])
		id_list_add(&k->list, id);
}

static int link_filter(sqlite3_vtab_cursor *cur, int plan, const char *plan_str, int argc,
		       sqlite3_value **argv)
{
	struct link_cursor *k = (struct link_cursor *)cur;

	(void)plan_str, (void)argc;
	link_reset(k);
	if (plan & LP_PARENT)
		link_filter_parent(k, plan, argv);
	else if (plan & LP_KEY)
		link_filter_key(k, plan, argv);
	else
		link_scan(k);
	return SQLITE_OK;
}

/* The row under the cursor, 0 at the end (a taken row may be gone). */
static uint32_t link_row_id(struct link_cursor *k)
{
	if (k->scan)
		return k->cur < k->end ? k->cur : 0;
	while (k->list.i < k->list.nr && !linkstore_get(k->s, k->list.ids[k->list.i]))
		k->list.i++;
	return k->list.i < k->list.nr ? k->list.ids[k->list.i] : 0;
}

static int link_next(sqlite3_vtab_cursor *cur)
{
	struct link_cursor *k = (struct link_cursor *)cur;

	if (k->scan) {
		while (++k->cur < k->end && !linkstore_get(k->s, k->cur))
			;
		return SQLITE_OK;
	}
	k->list.i++;
	return SQLITE_OK;
}

static int link_eof(sqlite3_vtab_cursor *cur)
{
	return !link_row_id((struct link_cursor *)cur);
}

static int link_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int field)
{
	struct link_cursor *k = (struct link_cursor *)cur;
	const struct link_row *r = linkstore_get(k->s, link_row_id(k));

	if (!r) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	if (field == k->t->parent_field) {
		sqlite3_result_int64(ctx, r->parent);
		return SQLITE_OK;
	}
	if (field == k->t->pos_field) {
		sqlite3_result_int(ctx, r->pos);
		return SQLITE_OK;
	}
	for (int i = 0; i < LS_KEYS; i++)
		if (field == k->t->key_field[i]) {
			result_opt_int(ctx, r->key[i] != 0, r->key[i]);
			return SQLITE_OK;
		}
	if (k->t->column)
		k->t->column(ctx, k->s, r, field);
	else
		sqlite3_result_null(ctx);
	return SQLITE_OK;
}

static int link_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	struct link_cursor *k = (struct link_cursor *)cur;
	uint32_t id = link_row_id(k);

	*rowid = id && k->t->key0_unique ? k->s->rows[id].key[0] : id;
	return SQLITE_OK;
}

/* DELETE (a trigger's, when what the rows belong to is gone); nothing else. */
static int link_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *rowid)
{
	struct link_vtab *v = (struct link_vtab *)tab;
	sqlite3_int64 id = sqlite3_value_int64(argv[0]);

	(void)rowid;
	if (argc != 1) {
		sqlite3_free(tab->zErrMsg);
		tab->zErrMsg = sqlite3_mprintf("table %s may not be modified",
					       v->t->module + strlen("migsafe_"));
		return SQLITE_READONLY;
	}
	if (id > 0 && id <= UINT32_MAX && v->t->key0_unique)
		id = linkstore_key_first(v->s, 0, (uint64_t)id);
	if (id > 0 && id <= UINT32_MAX)
		linkstore_delete(v->s, (uint32_t)id);
	return SQLITE_OK;
}

static const sqlite3_module link_module = {
	.iVersion = 0,
	.xCreate = link_connect,
	.xConnect = link_connect,
	.xBestIndex = link_best_index,
	.xDisconnect = col_disconnect,
	.xDestroy = col_disconnect,
	.xOpen = link_open,
	.xClose = link_close,
	.xFilter = link_filter,
	.xNext = link_next,
	.xEof = link_eof,
	.xColumn = link_column,
	.xRowid = link_rowid,
	.xUpdate = link_update,
};

static int links_register(struct catalog *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(link_tables); i++)
		if (sqlite3_create_module(c->db, link_tables[i]->module, &link_module, c))
			return -1;
	return 0;
}

/* ---- constraints ---- */

/*
 * "constraints": a virtual table that shows the catalog's constore to
 * SQL with the columns the table had, in the same order ("file" is
 * computed from file_ref, as the table's generated column was). Rows
 * come in id order, which is what the table and its indexes gave a
 * lookup by one value of a key: by id, rel_id, name, ref_rel_id,
 * index_id or parent_con (= or IS; IN is = once per value), each as
 * cheap as an index's. A scan is in id order too.
 *
 * Only DELETE comes from SQL (the triggers of what a constraint belongs
 * to: its relation, the relation it references, its index, a column it
 * uses); it takes what the trigger constraint_gone took (con_gone()).
 * The cat_con_* functions write it in C; any other write gets an error.
 */
enum con_field {
	KF_ID, KF_REL_ID, KF_NAME, KF_KIND, KF_EXPR, KF_NOT_NULL_COLUMN, KF_VALIDATED,
	KF_REF_REL_ID, KF_ON_DELETE, KF_ON_UPDATE, KF_IS_DEFERRABLE, KF_INDEX_ID,
	KF_CREATED_FILE, KF_IN_RANGE, KF_FILE_REF, KF_FILE, KF_LINE, KF_COL, KF_END_LINE,
	KF_END_COL, KF_START_OFFSET, KF_END_OFFSET, KF_STMT_HASH, KF_PARENT_CON,
};

static const char con_table_sql[] =
	"CREATE TABLE x(id INTEGER, rel_id INTEGER, name TEXT, kind TEXT, expr TEXT,"
	" not_null_column TEXT, validated INTEGER, ref_rel_id INTEGER, on_delete TEXT,"
	" on_update TEXT, is_deferrable INTEGER, index_id INTEGER, created_file INTEGER,"
	" in_range INTEGER, file_ref INTEGER, file TEXT, line INTEGER, col INTEGER,"
	" end_line INTEGER, end_col INTEGER, start_offset INTEGER, end_offset INTEGER,"
	" stmt_hash TEXT, parent_con INTEGER)";

/* the field of each key (enum con_key) */
static const int con_key_field[CON_KEYS] = {
	[CK_REL] = KF_REL_ID, [CK_NAME] = KF_NAME, [CK_REF] = KF_REF_REL_ID,
	[CK_INDEX] = KF_INDEX_ID, [CK_PARENT] = KF_PARENT_CON,
};
/* the keys in the order xBestIndex tries them: those with the fewest
   rows a value first */
static const enum con_key con_key_order[CON_KEYS] = {
	CK_INDEX, CK_NAME, CK_PARENT, CK_REF, CK_REL,
};

/* xBestIndex's plans (idxNum bits) */
#define KP_ID  1
#define KP_KEY 2        /* idxNum >> KP_KEY_SHIFT is the key */
#define KP_IS  4        /* the key compared with IS: NULL (a scan) too */
#define KP_KEY_SHIFT 8

/* The ids a plan matched, taken at xFilter (a row deleted while the
   scan runs, a DELETE's own or a cascade's, is skipped). */

static int con_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		       sqlite3_vtab **out, char **err)
{
	(void)argc, (void)argv, (void)err;
	return vtab_connect(db, aux, con_table_sql, out);
}

/* The plan for a lookup by key k (= or IS), false when none is usable. */
static bool con_key_plan(sqlite3_index_info *info, enum con_key k)
{
	return store_key_plan(info, con_key_field[k], KF_NAME, KP_KEY | ((int)k << KP_KEY_SHIFT),
			      KP_IS);
}

/* Costs as SQLite's own for a large table (see col_best_index()); SQLite
   checks the constraints again (omit stays 0). */
static int con_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
	int id = store_usable(info, KF_ID, SQLITE_INDEX_CONSTRAINT_EQ, KF_NAME);

	(void)tab;
	if (id >= 0) {
		plan_unique(info, KP_ID, 1);
		info->aConstraintUsage[id].argvIndex = 1;
		return SQLITE_OK;
	}
	for (int i = 0; i < CON_KEYS; i++)
		if (con_key_plan(info, con_key_order[i]))
			return SQLITE_OK;
	info->idxNum = 0;
	info->estimatedCost = 1e6;
	info->estimatedRows = 1000000;
	return SQLITE_OK;
}

static bool con_live(const struct catalog *c, cat_id id)
{
	return constore_get(&c->cons, id) != NULL;
}

static cat_id con_next_id(const struct catalog *c, cat_id id)
{
	return constore_next(&c->cons, id);
}

static const struct store_ops con_ops = { con_live, con_next_id };

static int con_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
	return store_open(tab, out, &con_ops);
}

static void con_filter_key(struct col_cursor *k, int plan, sqlite3_value **argv)
{
	const struct constore *s = &k->c->cons;
	enum con_key key = (enum con_key)(plan >> KP_KEY_SHIFT);
	int type = sqlite3_value_type(argv[0]);
	cat_id value = 0;

	if (type == SQLITE_NULL || (key == CK_NAME && type != SQLITE_TEXT)) {
		k->scan = (plan & KP_IS) || key == CK_NAME;
		return;
	}
	if (key == CK_NAME)
		value = constore_str_find(s, (const char *)sqlite3_value_text(argv[0]));
	else if (!link_value(argv[0], &value) || value <= 0)
		return;
	for (uint32_t id = constore_key_first(s, key, (uint64_t)value); id;
	     id = s->rows[id].key_next[key])
		id_list_add(&k->list, id);
}

static int con_filter(sqlite3_vtab_cursor *cur, int plan, const char *plan_str, int argc,
		      sqlite3_value **argv)
{
	struct col_cursor *k = (struct col_cursor *)cur;

	(void)plan_str, (void)argc;
	cursor_reset(k);
	if (plan & KP_ID) {
		filter_id(k, argv[0]);
	} else if (plan & KP_KEY) {
		con_filter_key(k, plan, argv);
	} else {
		k->scan = true;
	}
	if (k->scan)
		k->cur = constore_next(&k->c->cons, 0);
	return SQLITE_OK;
}

/* The fields that are strings. */
static void con_text(sqlite3_context *ctx, const struct catalog *c, const struct con_row *r,
		     int field)
{
	const struct constore *s = &c->cons;
	char hash[HEX_U64];
	const char *str = NULL;

	switch (field) {
	case KF_NAME: str = constore_str(s, r->key[CK_NAME]); break;
	case KF_KIND: result_char(ctx, r->kind); return;
	case KF_EXPR: str = constore_str(s, r->expr); break;
	case KF_NOT_NULL_COLUMN: str = constore_str(s, r->not_null_column); break;
	case KF_ON_DELETE: result_char(ctx, r->on_delete); return;
	case KF_ON_UPDATE: result_char(ctx, r->on_update); return;
	case KF_FILE: result_file(ctx, c, r->file_ref); return;
	case KF_STMT_HASH:
		hex_u64(hash, r->stmt_hash);
		sqlite3_result_text(ctx, hash, -1, SQLITE_TRANSIENT);
		return;
	default: break;
	}
	if (str)
		sqlite3_result_text(ctx, str, -1, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

static int con_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int field)
{
	struct col_cursor *k = (struct col_cursor *)cur;
	cat_id id = cursor_id(k);
	const struct con_row *r = constore_get(&k->c->cons, id);

	if (!r) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	switch (field) {
	case KF_ID: sqlite3_result_int64(ctx, id); break;
	case KF_REL_ID: sqlite3_result_int64(ctx, r->key[CK_REL]); break;
	case KF_VALIDATED: sqlite3_result_int(ctx, r->validated); break;
	case KF_REF_REL_ID: result_opt_int(ctx, r->key[CK_REF], r->key[CK_REF]); break;
	case KF_IS_DEFERRABLE: sqlite3_result_int(ctx, r->is_deferrable); break;
	case KF_INDEX_ID: result_opt_int(ctx, r->key[CK_INDEX], r->key[CK_INDEX]); break;
	case KF_CREATED_FILE: sqlite3_result_int(ctx, r->created_file); break;
	case KF_IN_RANGE: sqlite3_result_int(ctx, r->in_range); break;
	case KF_FILE_REF: result_opt_int(ctx, r->file_ref, r->file_ref); break;
	case KF_LINE: sqlite3_result_int(ctx, r->line); break;
	case KF_COL: sqlite3_result_int(ctx, r->col); break;
	case KF_END_LINE: sqlite3_result_int(ctx, r->end_line); break;
	case KF_END_COL: sqlite3_result_int(ctx, r->end_col); break;
	case KF_START_OFFSET: sqlite3_result_int64(ctx, r->start_offset); break;
	case KF_END_OFFSET: sqlite3_result_int64(ctx, r->end_offset); break;
	case KF_PARENT_CON: result_opt_int(ctx, r->key[CK_PARENT], r->key[CK_PARENT]); break;
	default: con_text(ctx, k->c, r, field); break;
	}
	return SQLITE_OK;
}

/*
 * A constraint goes, with what the trigger constraint_gone took along:
 * its columns, and the constraints that inherit it (theirs too). Its
 * name is freed (the update hook counted that for the table).
 */
static void con_gone(struct catalog *c, cat_id con)
{
	uint32_t id;

	if (!constore_get(&c->cons, con))
		return;
	constore_delete(&c->cons, con);
	c->names_freed++;
	while ((id = linkstore_first(&c->con_cols, (uint64_t)con)))
		linkstore_delete(&c->con_cols, id);
	while ((id = constore_key_first(&c->cons, CK_PARENT, (uint64_t)con)))
		con_gone(c, id);
}

/* DELETE (a trigger's, when what the constraint belongs to is gone);
   nothing else. */
static int con_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *rowid)
{
	(void)rowid;
	if (store_delete_only(tab, argc, "constraints"))
		return SQLITE_READONLY;
	con_gone(((struct col_vtab *)tab)->c, sqlite3_value_int64(argv[0]));
	return SQLITE_OK;
}

static const sqlite3_module con_module = {
	.iVersion = 0,
	.xCreate = con_connect,
	.xConnect = con_connect,
	.xBestIndex = con_best_index,
	.xDisconnect = col_disconnect,
	.xDestroy = col_disconnect,
	.xOpen = con_open,
	.xClose = store_close,
	.xFilter = con_filter,
	.xNext = store_next,
	.xEof = store_eof,
	.xColumn = con_column,
	.xRowid = store_rowid,
	.xUpdate = con_update,
};

/* ---- "relations": the virtual table that shows catalog.rels to SQL ---- */

/*
 * The same columns in the same order as the table had ("file" computed
 * from file_ref), rows in the order the table and its indexes gave
 * them: by id (the rowid), by a table_id or a parent_id (= or IS; IN
 * is = once per value) in id order, as the partial indexes on them
 * did; by a schema_id in name order, and by (schema_id, name), as the
 * unique key's index did; a scan in id order, or in (schema_id, name)
 * order when it reads no column but those (SQLite read the unique key's
 * index then, which held them all).
 *
 * Only DELETE comes from SQL (the triggers of what a relation belongs
 * to: its schema, a column its index uses, its index_deps row, its
 * owning column); it takes what goes with the relation (rel_gone()).
 * The cat_rel_* functions write it in C; any other write gets an error.
 */
enum rel_field {
	RV_ID, RV_SCHEMA_ID, RV_NAME, RV_KIND, RV_TABLE_ID, RV_PARENT_ID, RV_UNLOGGED,
	RV_RLS_ENABLED, RV_RLS_FORCED, RV_COMMENT, RV_DEFINITION, RV_PARTITION_KEY,
	RV_PARTITION_BOUND, RV_COLUMNS_UNKNOWN, RV_CREATED_FILE, RV_IN_RANGE, RV_FILE_REF,
	RV_FILE, RV_LINE,
};

static const char rel_table_sql[] =
	"CREATE TABLE x(id INTEGER, schema_id INTEGER, name TEXT, kind TEXT, table_id INTEGER,"
	" parent_id INTEGER, unlogged INTEGER, rls_enabled INTEGER, rls_forced INTEGER,"
	" comment TEXT, definition TEXT, partition_key TEXT, partition_bound TEXT,"
	" columns_unknown INTEGER, created_file INTEGER, in_range INTEGER, file_ref INTEGER,"
	" file TEXT, line INTEGER)";

/* xBestIndex's plans (idxNum bits) */
#define RP_ID      1
#define RP_NAME    2    /* schema_id and name */
#define RP_SCHEMA  4    /* schema_id: rows by name */
#define RP_KEY     8    /* table_id or parent_id: idxNum >> RP_KEY_SHIFT */
#define RP_IS      16   /* the key compared with IS: NULL (a scan) too */
#define RP_BY_NAME 32   /* a scan in (schema_id, name) order */
#define RP_KEY_SHIFT 8

static int rel_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		       sqlite3_vtab **out, char **err)
{
	(void)argc, (void)argv, (void)err;
	return vtab_connect(db, aux, rel_table_sql, out);
}

/* The plan for a lookup by table_id or parent_id (= or IS), false when
   none is usable. */
static bool rel_key_plan(sqlite3_index_info *info, enum rel_key k)
{
	return store_key_plan(info, k == RK_TABLE ? RV_TABLE_ID : RV_PARENT_ID, RV_NAME,
			      RP_KEY | ((int)k << RP_KEY_SHIFT), RP_IS);
}

/* Costs as SQLite's own for a large table (see col_best_index()); SQLite
   checks the constraints again (omit stays 0). */
static int rel_best_index(sqlite3_vtab *tab, sqlite3_index_info *info)
{
	int id = store_usable(info, RV_ID, SQLITE_INDEX_CONSTRAINT_EQ, RV_NAME);
	int schema = store_usable(info, RV_SCHEMA_ID, SQLITE_INDEX_CONSTRAINT_EQ, RV_NAME);
	int name = store_usable(info, RV_NAME, SQLITE_INDEX_CONSTRAINT_EQ, RV_NAME);
	sqlite3_uint64 key = (1ull << RV_ID) | (1ull << RV_SCHEMA_ID) | (1ull << RV_NAME);

	(void)tab;
	if (id >= 0) {
		plan_unique(info, RP_ID, 1);
		info->aConstraintUsage[id].argvIndex = 1;
	} else if (schema >= 0 && name >= 0) {
		plan_unique(info, RP_NAME, 2);
		info->aConstraintUsage[schema].argvIndex = 1;
		info->aConstraintUsage[name].argvIndex = 2;
	} else if (rel_key_plan(info, RK_TABLE) || rel_key_plan(info, RK_PARENT)) {
		return SQLITE_OK;
	} else if (schema >= 0) {
		info->idxNum = RP_SCHEMA;
		info->aConstraintUsage[schema].argvIndex = 1;
		info->estimatedCost = 60;
		info->estimatedRows = 10;
	} else {
		/* no column read (count(*)): no order to keep */
		info->idxNum = !info->colUsed || info->colUsed & ~key ? 0 : RP_BY_NAME;
		info->estimatedCost = 1e6;
		info->estimatedRows = 1000000;
	}
	return SQLITE_OK;
}

static cat_id rel_next_id(const struct catalog *c, cat_id id)
{
	return relstore_next(&c->rels, id);
}

static const struct store_ops rel_ops = { rel_live, rel_next_id };

static int rel_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **out)
{
	return store_open(tab, out, &rel_ops);
}

struct named_rel {
	uint32_t schema, id;
	const char *name;
};

static int by_schema_name(const void *a, const void *b)
{
	const struct named_rel *x = a, *y = b;

	if (x->schema != y->schema)
		return x->schema < y->schema ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The ids the cursor took, in (schema_id, name) order (names have no
   NUL: strcmp() compares as SQLite's BINARY). */
static void rel_sort_by_name(struct col_cursor *k)
{
	const struct relstore *s = &k->c->rels;
	size_t n = k->list.nr;
	struct named_rel *v;

	if (n < 2)
		return;
	v = xmalloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		const struct rel_row *r = &s->rows[k->list.ids[i]];

		v[i].id = k->list.ids[i];
		v[i].schema = r->key[RK_SCHEMA];
		v[i].name = relstore_str(s, r->name);
	}
	qsort(v, n, sizeof(*v), by_schema_name);
	for (size_t i = 0; i < n; i++)
		k->list.ids[i] = v[i].id;
	free(v);
}

static void rel_filter_key(struct col_cursor *k, int plan, sqlite3_value **argv);

/* The relation (argv[0], argv[1]): schema_id and name. A name that is
   not text (a number the column's affinity makes text) is compared by
   SQLite: the schema's rows. */
static void rel_filter_name(struct col_cursor *k, sqlite3_value **argv)
{
	const struct relstore *s = &k->c->rels;
	cat_id schema;
	uint32_t id;

	if (sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
		rel_filter_key(k, RP_SCHEMA, argv);
		return;
	}
	if (!link_value(argv[0], &schema) || schema < 0 || schema >= UINT32_MAX)
		return;
	id = relstore_find(s, (uint32_t)schema,
			   relstore_str_find(s, (const char *)sqlite3_value_text(argv[1])));
	if (id)
		id_list_add(&k->list, id);
}

/* The rows whose key (a plan's, or the schema) equals argv[0]; with
   IS, a NULL is a scan. */
static void rel_filter_key(struct col_cursor *k, int plan, sqlite3_value **argv)
{
	const struct relstore *s = &k->c->rels;
	enum rel_key key = plan & RP_SCHEMA ? RK_SCHEMA : (enum rel_key)(plan >> RP_KEY_SHIFT);
	cat_id value = 0;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		k->scan = plan & RP_IS;
		return;
	}
	if (!link_value(argv[0], &value) || value <= 0)
		return;
	for (uint32_t id = relstore_key_first(s, key, (uint64_t)value); id;
	     id = s->rows[id].key_next[key])
		id_list_add(&k->list, id);
	if (plan & RP_SCHEMA)
		rel_sort_by_name(k);
}

static int rel_filter(sqlite3_vtab_cursor *cur, int plan, const char *plan_str, int argc,
		      sqlite3_value **argv)
{
	struct col_cursor *k = (struct col_cursor *)cur;

	(void)plan_str, (void)argc;
	cursor_reset(k);
	if (plan & RP_ID) {
		filter_id(k, argv[0]);
	} else if (plan & RP_NAME) {
		rel_filter_name(k, argv);
	} else if (plan & (RP_KEY | RP_SCHEMA)) {
		rel_filter_key(k, plan, argv);
	} else if (plan & RP_BY_NAME) {
		for (int64_t id = relstore_next(&k->c->rels, 0); id;
		     id = relstore_next(&k->c->rels, id))
			id_list_add(&k->list, (uint32_t)id);
		rel_sort_by_name(k);
	} else {
		k->scan = true;
	}
	if (k->scan)
		k->cur = relstore_next(&k->c->rels, 0);
	return SQLITE_OK;
}

static void result_rel_str(sqlite3_context *ctx, const struct relstore *s, uint32_t sid)
{
	if (sid)
		sqlite3_result_text(ctx, relstore_str(s, sid), -1, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

static int rel_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int field)
{
	struct col_cursor *k = (struct col_cursor *)cur;
	const struct relstore *s = &k->c->rels;
	cat_id id = cursor_id(k);
	const struct rel_row *r = relstore_get(s, id);

	if (!r) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	switch (field) {
	case RV_ID: sqlite3_result_int64(ctx, id); break;
	case RV_SCHEMA_ID: sqlite3_result_int64(ctx, r->key[RK_SCHEMA]); break;
	case RV_NAME: result_rel_str(ctx, s, r->name); break;
	case RV_KIND: result_char(ctx, r->kind); break;
	case RV_TABLE_ID: result_opt_int(ctx, r->key[RK_TABLE], r->key[RK_TABLE]); break;
	case RV_PARENT_ID: result_opt_int(ctx, r->key[RK_PARENT], r->key[RK_PARENT]); break;
	case RV_UNLOGGED: sqlite3_result_int(ctx, !!(r->flags & RF_UNLOGGED)); break;
	case RV_RLS_ENABLED: sqlite3_result_int(ctx, !!(r->flags & RF_RLS_ENABLED)); break;
	case RV_RLS_FORCED: sqlite3_result_int(ctx, !!(r->flags & RF_RLS_FORCED)); break;
	case RV_COMMENT: result_rel_str(ctx, s, r->comment); break;
	case RV_DEFINITION: result_rel_str(ctx, s, r->definition); break;
	case RV_PARTITION_KEY: result_rel_str(ctx, s, r->partition_key); break;
	case RV_PARTITION_BOUND: result_rel_str(ctx, s, r->partition_bound); break;
	case RV_COLUMNS_UNKNOWN: sqlite3_result_int(ctx, !!(r->flags & RF_COLUMNS_UNKNOWN)); break;
	case RV_CREATED_FILE: sqlite3_result_int(ctx, r->created_file); break;
	case RV_IN_RANGE: sqlite3_result_int(ctx, !!(r->flags & RF_IN_RANGE)); break;
	case RV_FILE_REF: result_opt_int(ctx, r->file_ref, r->file_ref); break;
	case RV_FILE: result_file(ctx, k->c, r->file_ref); break;
	case RV_LINE: sqlite3_result_int(ctx, r->line); break;
	default: sqlite3_result_null(ctx); break;
	}
	return SQLITE_OK;
}

/*
 * A statement of the cascade, run with ?1 bound to 'id' (views it
 * queues are left to the caller). It may run inside one of its own
 * (a trigger that deletes a relation, from a statement rel_gone() ran):
 * the cached statement is then busy, and a fresh one runs instead.
 */
static void cascade_by_id(struct catalog *c, const char *sql, cat_id id)
{
	size_t h = ((uintptr_t)sql >> 3) & (STMT_CACHE - 1);
	sqlite3_stmt *st = NULL;

	for (; c->cache[h].sql; h = (h + 1) & (STMT_CACHE - 1))
		if (c->cache[h].sql == sql) {
			st = c->cache[h].st;
			break;
		}
	if (!st || !sqlite3_stmt_busy(st)) {
		st = q(c, sql);
		sqlite3_bind_int64(st, 1, id);
		step(c, st);
		return;
	}
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) {
		c->errors++;
		return;
	}
	sqlite3_bind_int64(st, 1, id);
	step(c, st);
	sqlite3_finalize(st);
}

/* The views that read relation 'rel' go after the statement (into
   dropping_views), and their rows that name it now. */
static void rel_readers_gone(struct catalog *c, cat_id rel)
{
	struct linkstore *s = &c->view_deps;
	uint32_t id;

	while ((id = linkstore_key_first(s, 0, (uint64_t)rel))) {
		cascade_by_id(c, "INSERT OR IGNORE INTO dropping_views (view_id) VALUES (?1)",
			      s->rows[id].parent);
		linkstore_delete(s, id);
	}
}

/* Every row of parent 'parent' in a link store goes. */
static void link_rows_gone(struct linkstore *s, cat_id parent)
{
	uint32_t id;

	while ((id = linkstore_first(s, (uint64_t)parent)))
		linkstore_delete(s, id);
}

/* The constraints whose key k is 'value' go (con_gone()). */
static void cons_gone(struct catalog *c, enum con_key k, cat_id value)
{
	uint32_t id;

	while ((id = constore_key_first(&c->cons, k, (uint64_t)value)))
		con_gone(c, id);
}

/* What goes with an index: its partitions' indexes, its row of
   indexes, its columns and index_deps rows, its constraint. */
static void index_gone(struct catalog *c, cat_id index)
{
	struct linkstore *s = &c->indexes;
	uint32_t id;

	while ((id = linkstore_key_first(s, 1, (uint64_t)index))) {
		cat_id part = s->rows[id].key[0];

		if (rel_live(c, part))
			rel_gone(c, part);
		else
			linkstore_delete(s, id);
	}
	if ((id = linkstore_key_first(s, 0, (uint64_t)index)))
		linkstore_delete(s, id);
	link_rows_gone(&c->index_cols, index);
	cascade_by_id(c, "DELETE FROM index_deps WHERE index_id = ?1", index);
	cons_gone(c, CK_INDEX, index);
}

/* What goes with a table, a view or another relation that is neither
   an index nor a sequence. */
static void table_gone(struct catalog *c, cat_id rel)
{
	uint32_t id;

	while ((id = relstore_key_first(&c->rels, RK_TABLE, (uint64_t)rel)))
		rel_gone(c, id);
	while ((id = relstore_key_first(&c->rels, RK_PARENT, (uint64_t)rel)))
		relstore_set_key(&c->rels, id, RK_PARENT, 0);
	link_rows_gone(&c->indexes, rel);
	cons_gone(c, CK_REL, rel);
	cons_gone(c, CK_REF, rel);
	link_rows_gone(&c->view_deps, rel);
	rel_readers_gone(c, rel);
	cascade_by_id(c, "DELETE FROM triggers WHERE rel_id = ?1", rel);
	cascade_by_id(c, "DELETE FROM policies WHERE rel_id = ?1", rel);
}

/*
 * A relation goes, and what refers to it, as the triggers on the table
 * relations did (what ON DELETE CASCADE and SET NULL on thirteen
 * foreign keys did before them), by kind: an index's columns and
 * constraint, a sequence's readers and owner, a table's indexes,
 * sequences, constraints, views, triggers and policies; its columns
 * (the sequences they own go with them). Views that read it are queued
 * in dropping_views, for the caller to drop after the statement. Its
 * name is freed (cat_names_freed()).
 */
static void rel_gone(struct catalog *c, cat_id rel)
{
	const struct rel_row *r = relstore_get(&c->rels, rel);
	char kind;

	if (!r)
		return;
	kind = r->kind;
	relstore_delete(&c->rels, rel);
	c->names_freed++;
	if (colstore_first(&c->colstore, rel)) {
		cascade_by_id(c, "DELETE FROM sequence_owners WHERE column_id IN"
			      " (SELECT id FROM columns WHERE rel_id = ?1)", rel);
		while (colstore_first(&c->colstore, rel))
			colstore_delete(&c->colstore, colstore_first(&c->colstore, rel));
	}
	if (kind == REL_SEQUENCE) {
		rel_readers_gone(c, rel);
		cascade_by_id(c, "DELETE FROM sequence_owners WHERE seq_id = ?1", rel);
	} else if (kind == REL_INDEX) {
		index_gone(c, rel);
	} else {
		table_gone(c, rel);
	}
}

/* DELETE (a trigger's, when what the relation belongs to is gone);
   nothing else. */
static int rel_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *rowid)
{
	(void)rowid;
	if (store_delete_only(tab, argc, "relations"))
		return SQLITE_READONLY;
	rel_gone(((struct col_vtab *)tab)->c, sqlite3_value_int64(argv[0]));
	return SQLITE_OK;
}

static const sqlite3_module rel_module = {
	.iVersion = 0,
	.xCreate = rel_connect,
	.xConnect = rel_connect,
	.xBestIndex = rel_best_index,
	.xDisconnect = col_disconnect,
	.xDestroy = col_disconnect,
	.xOpen = rel_open,
	.xClose = store_close,
	.xFilter = rel_filter,
	.xNext = store_next,
	.xEof = store_eof,
	.xColumn = rel_column,
	.xRowid = store_rowid,
	.xUpdate = rel_update,
};

/* The row of constraint 'con' as struct cat_con. */
static void con_fill(const struct catalog *c, cat_id con, const struct con_row *r,
		     struct cat_con *o)
{
	memset(o, 0, sizeof(*o));
	o->id = con;
	o->rel_id = r->key[CK_REL];
	copy_name(o->name, (const unsigned char *)constore_str(&c->cons, r->key[CK_NAME]));
	o->kind = (enum con_kind)r->kind;
	o->validated = r->validated;
	o->ref_rel_id = r->key[CK_REF];
	o->index_id = r->key[CK_INDEX];
	copy_name(o->not_null_column,
		  (const unsigned char *)constore_str(&c->cons, r->not_null_column));
}

/*
 * The constraint of 'rel' named 'name' (a string id), or 0; there is
 * one at most (the replay refuses a second). The rows with the name
 * and the rows of rel are walked in turn, so it costs the shorter list:
 * a name that many schemas' tables share (tenant1.users_pkey, ...
 * tenant1000.users_pkey) made each lookup read them all. A name chain
 * of one row costs what it did.
 */
static uint32_t con_by_name(const struct constore *s, cat_id rel, uint32_t name)
{
	uint32_t a = name ? constore_key_first(s, CK_NAME, name) : 0, b = 0;

	while (a) {
		if (s->rows[a].key[CK_REL] == rel)
			return a;
		if (!(a = s->rows[a].key_next[CK_NAME]))
			break;
		b = b ? s->rows[b].key_next[CK_REL] : constore_key_first(s, CK_REL, (uint64_t)rel);
		if (!b)
			break;
		if (s->rows[b].key[CK_NAME] == name)
			return b;
	}
	return 0;
}

int cat_con_find(struct catalog *c, cat_id rel, const char *name, struct cat_con *out)
{
	uint32_t id;

	if (!name || !con_names_may_have(c, name) ||
	    !(id = con_by_name(&c->cons, rel, constore_str_find(&c->cons, name))))
		return -1;
	if (out)
		con_fill(c, id, &c->cons.rows[id], out);
	return 0;
}

bool cat_con_name_taken(struct catalog *c, cat_id rel, const char *name)
{
	return !cat_con_find(c, rel, name, NULL);
}

static void con_add_columns(struct catalog *c, cat_id con, const struct cat_con_def *d)
{
	for (int i = 0; i < d->nr_columns; i++) {
		cat_id ref = d->ref_columns ? d->ref_columns[i] : 0;
		uint32_t key[LS_KEYS] = { (uint32_t)d->columns[i], (uint32_t)ref };

		if (!col_ref_ok(c, d->columns[i], false) || !col_ref_ok(c, ref, true))
			continue;
		linkstore_add(&c->con_cols, (uint32_t)con, i + 1, key, NULL, 0);
	}
}

cat_id cat_con_add(struct catalog *c, cat_id rel, const struct cat_con_def *d)
{
	const struct loc *l = &c->origin.loc;
	struct con_row r = { 0 };
	cat_id id;

	/* what the table's NOT NULL columns refused */
	if (!store_id(rel) || !d->name || !d->kind) {
		col_refused(c, "a constraint without a relation, a name or a kind");
		return 0;
	}
	r.key[CK_REL] = (uint32_t)rel;
	r.key[CK_NAME] = constore_intern(&c->cons, d->name);
	r.key[CK_REF] = store_id(d->ref_rel_id);
	r.key[CK_INDEX] = store_id(d->index_id);
	r.kind = (char)d->kind;
	r.expr = constore_intern(&c->cons, d->expr);
	r.not_null_column = constore_intern(&c->cons, d->not_null_column);
	r.validated = d->validated;
	r.on_delete = d->kind == CON_FOREIGN ? d->on_delete : 0;
	r.on_update = d->kind == CON_FOREIGN ? d->on_update : 0;
	r.is_deferrable = d->deferrable;
	r.created_file = c->origin.file_index;
	r.in_range = c->origin.in_range;
	r.file_ref = (uint32_t)c->origin_ref;
	r.line = l->line;
	r.col = l->col;
	r.end_line = l->end_line;
	r.end_col = l->end_col;
	r.start_offset = (int64_t)l->start;
	r.end_offset = (int64_t)l->end;
	r.stmt_hash = l->stmt_hash;
	con_names_add(c, d->name);
	id = constore_add(&c->cons, &r, 0);
	con_add_columns(c, id, d);
	return id;
}

void cat_con_drop(struct catalog *c, cat_id con)
{
	con_gone(c, con);
}

void cat_con_rename(struct catalog *c, cat_id con, const char *name)
{
	if (!constore_get(&c->cons, con))
		return;
	if (!name) {
		col_refused(c, "a constraint without a name");
		return;
	}
	con_names_add(c, name);
	constore_set_key(&c->cons, con, CK_NAME, constore_intern(&c->cons, name));
	c->names_freed++;
}

void cat_con_validate(struct catalog *c, cat_id con)
{
	struct con_row *r = constore_get(&c->cons, con);

	if (r)
		r->validated = 1;
}

bool cat_has_constrained_domains(struct catalog *c)
{
	sqlite3_stmt *st;

	if (c->domains_neg != c->type_neg) {
		st = q(c, "SELECT EXISTS (SELECT 1 FROM types WHERE kind = 'd' AND constrained)");
		c->domains_any = one_int(st, 1);
		c->domains_neg = c->type_neg;
	}
	return c->domains_any;
}

bool cat_has_not_null_check(struct catalog *c, cat_id rel, const char *column)
{
	const struct constore *s = &c->cons;
	uint32_t sid = column ? constore_str_find(s, column) : 0;

	if (!sid)
		return false;
	for (uint32_t id = constore_key_first(s, CK_REL, (uint64_t)rel); id;
	     id = s->rows[id].key_next[CK_REL]) {
		const struct con_row *r = &s->rows[id];

		if (r->kind == 'c' && r->validated && r->not_null_column == sid)
			return true;
	}
	return false;
}

int cat_primary_key(struct catalog *c, cat_id rel, cat_id **cols, int *nr)
{
	sqlite3_stmt *st = q(c, "SELECT cc.column_id FROM constraints k JOIN constraint_columns cc"
			     " ON cc.con_id = k.id WHERE k.rel_id = ?1 AND k.kind = 'p' ORDER BY cc.pos");
	cat_id *v = NULL;
	size_t alloc = 0;
	int n = 0;

	sqlite3_bind_int64(st, 1, rel);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(v, (size_t)n + 1, alloc);
		v[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	*cols = v;
	*nr = n;
	return n ? 0 : -1;
}

/* ---- indexes ---- */

cat_id cat_index_add(struct catalog *c, cat_id schema, const char *name, cat_id table,
		     bool unique, bool primary, const char *method, const char *predicate,
		     const struct cat_index_col *cols, int nr_cols)
{
	cat_id id = cat_rel_create(c, schema, name, REL_INDEX, table);
	uint32_t key[LS_KEYS] = { (uint32_t)id, 0 };
	const char *str[LS_STRS] = { predicate, method ? method : "btree" };
	int nr_key = 0;

	if (!id)
		return 0;
	for (int i = 0; i < nr_cols; i++)
		nr_key += !cols[i].include;
	linkstore_add(&c->indexes, (uint32_t)table, nr_key, key, str,
		      (unique ? IX_UNIQUE : 0) | (primary ? IX_PRIMARY : 0));
	for (int i = 0; i < nr_cols; i++) {
		uint32_t col[LS_KEYS] = { (uint32_t)cols[i].column_id, 0 };
		const char *expr[LS_STRS] = { cols[i].expr, cols[i].opclass };

		if (!col_ref_ok(c, cols[i].column_id, true))
			continue;
		linkstore_add(&c->index_cols, (uint32_t)id, i + 1, col, expr,
			      (cols[i].include ? IC_INCLUDE : 0) | (cols[i].desc ? IC_DESC : 0));
	}
	return id;
}

void cat_index_dep(struct catalog *c, cat_id index, cat_id column)
{
	sqlite3_stmt *st = q(c, "INSERT INTO index_deps (index_id, column_id) VALUES (?1, ?2)");

	if (!col_ref_ok(c, column, false))
		return;
	sqlite3_bind_int64(st, 1, index);
	sqlite3_bind_int64(st, 2, column);
	run(c, st);
}

/* The row of index 'index' in the indexes store, or 0. */
static uint32_t index_row(const struct catalog *c, cat_id index)
{
	return index > 0 ? linkstore_key_first(&c->indexes, 0, (uint64_t)index) : 0;
}

void cat_index_set_primary(struct catalog *c, cat_id index)
{
	uint32_t id = index_row(c, index);

	if (id)
		c->indexes.rows[id].flags |= IX_PRIMARY | IX_UNIQUE;
}

int cat_index_key_columns(struct catalog *c, cat_id index, cat_id **cols, int *nr)
{
	const struct linkstore *s = &c->index_cols;
	cat_id *v = NULL;
	size_t alloc = 0;
	int n = 0, ret = 0;

	for (uint32_t id = linkstore_first(s, (uint64_t)index); id; id = s->rows[id].next) {
		if (s->rows[id].flags & IC_INCLUDE)
			continue;
		ALLOC_GROW(v, (size_t)n + 1, alloc);
		v[n] = s->rows[id].key[0];
		if (!v[n++])
			ret = -1;
	}
	*cols = v;
	*nr = n;
	return ret;
}

static bool fk_refs_exactly(struct catalog *c, cat_id con, const cat_id *cols, int nr)
{
	const struct linkstore *s = &c->con_cols;
	int n = 0, hits = 0;

	for (uint32_t id = linkstore_first(s, (uint64_t)con); id; id = s->rows[id].next) {
		cat_id ref = s->rows[id].key[1];

		n++;
		for (int i = 0; i < nr; i++)
			hits += cols[i] == ref;
	}
	return n == nr && hits == nr;
}

int cat_drop_fks_on_key(struct catalog *c, cat_id table, const cat_id *cols, int nr,
			cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st = q(c, "SELECT k.id, 'constraint \"' || k.name || '\" on table \"' ||"
			     " r.name || '\"' FROM constraints k JOIN relations r ON r.id = k.rel_id"
			     " WHERE k.kind = 'f' AND k.ref_rel_id = ?1");
	cat_id *ids = NULL;
	char **what = NULL;
	size_t a1 = 0, a2 = 0;
	int n = 0, dropped = 0;

	sqlite3_bind_int64(st, 1, table);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ids, (size_t)n + 1, a1);
		ALLOC_GROW(what, (size_t)n + 1, a2);
		ids[n] = sqlite3_column_int64(st, 0);
		what[n++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		if (fk_refs_exactly(c, ids[i], cols, nr)) {
			if (fn)
				fn(data, what[i]);
			cat_con_drop(c, ids[i]);
			dropped++;
		}
		free(what[i]);
	}
	free(ids);
	free(what);
	return dropped;
}

cat_id cat_index_constraint(struct catalog *c, cat_id index)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM constraints WHERE index_id = ?1");

	sqlite3_bind_int64(st, 1, index);
	return one_int(st, 0);
}

/* Is every one of the nr ids in have[0..n-1]? (Both sets are short.) */
static bool ids_cover(const cat_id *have, int n, const cat_id *cols, int nr)
{
	if (n != nr)
		return false;
	for (int i = 0; i < nr; i++) {
		int j = 0;

		while (j < n && have[j] != cols[i])
			j++;
		if (j == n)
			return false;
	}
	return true;
}

/*
 * Do the first nr key columns of a whole index (no predicate) of
 * 'table' cover cols[], in any order? Read from the stores: it is asked
 * for every foreign key in range at the end of a lint.
 */
bool cat_index_covers(struct catalog *c, cat_id table, const cat_id *cols, int nr)
{
	const struct linkstore *ix = &c->indexes, *ic = &c->index_cols;
	cat_id have[32];

	if (nr <= 0 || nr > (int)ARRAY_SIZE(have))
		return false;
	for (uint32_t i = linkstore_first(ix, (uint64_t)table); i; i = ix->rows[i].next) {
		const struct link_row *x = &ix->rows[i];
		int n = 0;

		if (x->str[0] || x->pos < nr)
			continue;
		for (uint32_t j = linkstore_first(ic, x->key[0]); j; j = ic->rows[j].next) {
			const struct link_row *y = &ic->rows[j];

			if (y->pos <= nr && !(y->flags & IC_INCLUDE) && y->key[0] && n < nr)
				have[n++] = y->key[0];
		}
		if (ids_cover(have, n, cols, nr))
			return true;
	}
	return false;
}

/* ---- partitions, inheritance and LIKE ---- */

cat_id cat_col_copy(struct catalog *c, cat_id src, cat_id dst, unsigned what)
{
	const struct col_row *from = colstore_get(&c->colstore, src);
	struct col_row r;
	cat_id id;

	if (!from)
		return 0;
	r = *from;
	if (!col_name_ok(c, dst, colstore_str(&c->colstore, r.name)))
		return 0;
	r.rel_id = dst;
	r.attnum = colstore_next_attnum(&c->colstore, dst);
	if (!(what & COPY_DEFAULT))
		r.default_expr = 0, r.default_volatility = 0;
	if (!(what & COPY_IDENTITY))
		r.identity = 0;
	if (!(what & COPY_GENERATED))
		r.generated = 0;
	r.comment = 0;
	r.flags &= (uint8_t)~CS_COLLATION;
	col_set_origin(c, &r);
	id = colstore_add(&c->colstore, &r, 0);
	colstore_set_collation(&c->colstore, id, colstore_collation(&c->colstore, src));
	return id;
}

int cat_rel_children(struct catalog *c, cat_id rel, cat_id **ids, int *nr)
{
	size_t alloc = 0;

	*ids = NULL;
	*nr = 0;
	for (uint32_t id = relstore_key_first(&c->rels, RK_PARENT, (uint64_t)rel); id;
	     id = c->rels.rows[id].key_next[RK_PARENT]) {
		if (c->rels.rows[id].kind == REL_INDEX)
			continue;
		ALLOC_GROW(*ids, (size_t)*nr + 1, alloc);
		(*ids)[(*nr)++] = id;
	}
	return *nr;
}

void cat_con_set_parent(struct catalog *c, cat_id con, cat_id parent_con)
{
	constore_set_key(&c->cons, con, CK_PARENT, store_id(parent_con));
}

void cat_index_set_parent(struct catalog *c, cat_id index, cat_id parent_index)
{
	uint32_t id = index_row(c, index);

	if (id)
		linkstore_set_key(&c->indexes, id, 1, (uint32_t)(parent_index > 0 ? parent_index : 0));
}

void cat_index_set_nulls_not_distinct(struct catalog *c, cat_id index)
{
	uint32_t id = index_row(c, index);

	if (id)
		c->indexes.rows[id].flags |= IX_NND;
}

/* Copy one constraint's columns onto 'con' of 'dst', matched by name
   (a column 'dst' does not have is left out). */
static void clone_con_columns(struct catalog *c, cat_id from, cat_id con, cat_id dst)
{
	struct linkstore *s = &c->con_cols;

	for (uint32_t id = linkstore_first(s, (uint64_t)from); id; id = s->rows[id].next) {
		const struct col_row *src = colstore_get(&c->colstore, s->rows[id].key[0]);
		uint32_t key[LS_KEYS] = { 0, s->rows[id].key[1] };

		if (!src || !(key[0] = (uint32_t)colstore_find(&c->colstore, dst, src->name)))
			continue;
		linkstore_add(s, (uint32_t)con, s->rows[id].pos, key, NULL, 0);
	}
}

/* The ids of src's constraints of kind 'kind' whose names dst has not,
   in id order (taken before any is copied). */
static int con_clone_ids(const struct constore *s, cat_id src, cat_id dst, char kind,
			 uint32_t **ids)
{
	size_t alloc = 0;
	int n = 0;

	*ids = NULL;
	for (uint32_t id = constore_key_first(s, CK_REL, (uint64_t)src); id;
	     id = s->rows[id].key_next[CK_REL]) {
		const struct con_row *r = &s->rows[id];

		if (r->kind != kind || con_by_name(s, dst, r->key[CK_NAME]))
			continue;
		ALLOC_GROW(*ids, (size_t)n + 1, alloc);
		(*ids)[n++] = id;
	}
	return n;
}

int cat_con_clone(struct catalog *c, cat_id src, cat_id dst, char kind, bool inherit)
{
	uint32_t *ids = NULL;
	int n = src > 0 ? con_clone_ids(&c->cons, src, dst, kind, &ids) : 0;

	if (n && !store_id(dst)) {
		col_refused(c, "a constraint without a relation");
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		/* all but the index: the copy's name is its source's, in the
		   filter already */
		struct con_row r = c->cons.rows[ids[i]];
		cat_id con;

		r.key[CK_REL] = (uint32_t)dst;
		r.key[CK_INDEX] = 0;
		r.key[CK_PARENT] = inherit ? ids[i] : 0;
		con = constore_add(&c->cons, &r, 0);
		clone_con_columns(c, ids[i], con, dst);
	}
	free(ids);
	return n;
}

void cat_detach(struct catalog *c, cat_id child)
{
	struct constore *s = &c->cons;

	for (uint32_t id = constore_key_first(s, CK_REL, (uint64_t)child); id;
	     id = s->rows[id].key_next[CK_REL])
		constore_set_key(s, id, CK_PARENT, 0);
	for (uint32_t id = linkstore_first(&c->indexes, (uint64_t)child); id;
	     id = c->indexes.rows[id].next)
		linkstore_set_key(&c->indexes, id, 1, 0);
	cat_rel_set_parent(c, child, 0);
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

static void index_info_columns(struct catalog *c, struct cat_index_info *ix)
{
	sqlite3_stmt *st = q(c, "SELECT cl.name, ic.expr, ic.is_include, ic.descending, ic.opclass"
			     " FROM index_columns ic LEFT JOIN columns cl ON cl.id = ic.column_id"
			     " WHERE ic.index_id = ?1 ORDER BY ic.pos");
	size_t alloc = 0;

	sqlite3_bind_int64(st, 1, ix->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ix->cols, (size_t)ix->nr_cols + 1, alloc);
		copy_name(ix->cols[ix->nr_cols].name, sqlite3_column_text(st, 0));
		ix->cols[ix->nr_cols].expr = dup_text(st, 1);
		ix->cols[ix->nr_cols].include = sqlite3_column_int(st, 2);
		ix->cols[ix->nr_cols].desc = sqlite3_column_int(st, 3);
		ix->cols[ix->nr_cols++].opclass = dup_text(st, 4);
	}
	sqlite3_reset(st);
}

int cat_index_list(struct catalog *c, cat_id table, struct cat_index_info **out, int *nr)
{
	sqlite3_stmt *st = q(c, "SELECT r.id, r.name, i.is_unique, i.is_primary, i.method,"
			     " i.predicate, (SELECT kind FROM constraints WHERE index_id = r.id),"
			     " i.nulls_not_distinct"
			     " FROM indexes i JOIN relations r ON r.id = i.rel_id"
			     " WHERE i.table_id = ?1 ORDER BY r.id");
	struct cat_index_info *v = NULL;
	size_t alloc = 0;
	int n = 0;

	sqlite3_bind_int64(st, 1, table);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *k;

		ALLOC_GROW(v, (size_t)n + 1, alloc);
		memset(&v[n], 0, sizeof(v[n]));
		v[n].id = sqlite3_column_int64(st, 0);
		copy_name(v[n].name, sqlite3_column_text(st, 1));
		v[n].unique = sqlite3_column_int(st, 2);
		v[n].primary = sqlite3_column_int(st, 3);
		copy_name(v[n].method, sqlite3_column_text(st, 4));
		v[n].predicate = dup_text(st, 5);
		v[n].nulls_not_distinct = sqlite3_column_int(st, 7);
		k = sqlite3_column_text(st, 6);
		v[n++].con_kind = k ? (char)k[0] : 0;
	}
	sqlite3_reset(st);
	for (int i = 0; i < n; i++)
		index_info_columns(c, &v[i]);
	*out = v;
	*nr = n;
	return 0;
}

void cat_index_list_free(struct cat_index_info *list, int nr)
{
	for (int i = 0; i < nr; i++) {
		for (int j = 0; j < list[i].nr_cols; j++) {
			free(list[i].cols[j].expr);
			free(list[i].cols[j].opclass);
		}
		free(list[i].cols);
		free(list[i].predicate);
	}
	free(list);
}

/* ---- dependents ---- */

static int describe_rows(sqlite3_stmt *st, cat_describe_fn fn, void *data)
{
	int n = 0;

	while (sqlite3_step(st) == SQLITE_ROW) {
		if (fn)
			fn(data, (const char *)sqlite3_column_text(st, 0));
		n++;
	}
	sqlite3_reset(st);
	return n;
}

/* A view on 'rel' (on its column 'col', unless 0), or another table's
   foreign key to it? (The C stores' answer to what was two EXISTS.) */
static bool may_have_dependents(const struct catalog *c, cat_id rel, cat_id col)
{
	const struct linkstore *vd = &c->view_deps;
	const struct constore *k = &c->cons;

	if (rel <= 0)
		return false;   /* key_first(0) would give the rows whose rel_id is NULL */
	for (uint32_t id = linkstore_key_first(vd, 0, (uint64_t)rel); id;
	     id = vd->rows[id].key_next[0])
		if (!col || vd->rows[id].key[1] == col)
			return true;
	for (uint32_t id = constore_key_first(k, CK_REF, (uint64_t)rel); id;
	     id = k->rows[id].key_next[CK_REF])
		if (k->rows[id].kind == 'f' && k->rows[id].key[CK_REL] != rel)
			return true;
	return false;
}

int cat_rel_dependents(struct catalog *c, cat_id rel, cat_id col, cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st;

	/*
	 * Most relations and columns dropped have no dependents; the query
	 * below builds its recursive and IN lists as temporary tables
	 * whether or not there is a row to find (~80k instructions).
	 */
	if (!may_have_dependents(c, rel, col))
		return 0;
	st = q(c,
		"WITH RECURSIVE deps(id) AS ("
		"  SELECT view_id FROM view_deps WHERE rel_id = ?1 AND (?2 = 0 OR column_id = ?2)"
		"  UNION SELECT vd.view_id FROM view_deps vd JOIN deps ON vd.rel_id = deps.id)"
		" SELECT 'constraint \"' || k.name || '\" on table \"' || r.name || '\"'"
		"   FROM constraints k JOIN relations r ON r.id = k.rel_id"
		"   WHERE k.kind = 'f' AND k.rel_id <> ?1 AND (k.ref_rel_id = ?1 OR k.ref_rel_id IN deps)"
		"   AND (?2 = 0 OR EXISTS (SELECT 1 FROM constraint_columns cc WHERE cc.con_id = k.id"
		"        AND cc.ref_column_id = ?2))"
		" UNION ALL SELECT CASE r.kind WHEN 'm' THEN 'materialized view' ELSE 'view' END"
		"   || ' \"' || r.name || '\"' FROM relations r WHERE r.id IN deps");
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int64(st, 2, col);
	return describe_rows(st, fn, data);
}

int cat_col_goes_with(struct catalog *c, cat_id col, cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st;

	/* most columns dropped have none: the IN lists below are temporary
	   tables made whether or not they find a row */
	st = q(c, "SELECT EXISTS (SELECT 1 FROM index_columns WHERE column_id = ?1)"
	       " OR EXISTS (SELECT 1 FROM index_deps WHERE column_id = ?1)"
	       " OR EXISTS (SELECT 1 FROM constraint_columns WHERE column_id = ?1)"
	       " OR EXISTS (SELECT 1 FROM sequence_owners WHERE column_id = ?1)");
	sqlite3_bind_int64(st, 1, col);
	if (!one_int(st, 1))
		return 0;
	st = q(c,
		"WITH ix(id) AS (SELECT index_id FROM index_columns WHERE column_id = ?1"
		"  UNION SELECT index_id FROM index_deps WHERE column_id = ?1)"
		" SELECT d FROM ("
		"  SELECT 1 AS o, r.id AS i, 'index \"' || r.name || '\"' AS d FROM relations r"
		"   WHERE r.id IN ix AND NOT EXISTS (SELECT 1 FROM constraints k WHERE k.index_id = r.id)"
		"  UNION ALL SELECT 2, k.id, 'constraint \"' || k.name || '\"' FROM constraints k"
		"   WHERE k.id IN (SELECT con_id FROM constraint_columns WHERE column_id = ?1)"
		"   OR k.index_id IN ix"
		"  UNION ALL SELECT 3, r.id, 'sequence \"' || r.name || '\"' FROM sequence_owners so"
		"   JOIN relations r ON r.id = so.seq_id WHERE so.column_id = ?1)"
		" ORDER BY o, i");
	sqlite3_bind_int64(st, 1, col);
	return describe_rows(st, fn, data);
}

int cat_truncate_cascade(struct catalog *c, cat_id rel, cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st = q(c,
		"WITH RECURSIVE reach(id) AS (SELECT ?1"
		"  UNION SELECT k.rel_id FROM constraints k JOIN reach ON k.ref_rel_id = reach.id"
		"  WHERE k.kind = 'f')"
		" SELECT CASE s.name WHEN 'public' THEN '\"' || r.name || '\"'"
		"   ELSE '\"' || s.name || '\".\"' || r.name || '\"' END"
		" FROM reach JOIN relations r ON r.id = reach.id JOIN schemas s ON s.id = r.schema_id"
		" WHERE reach.id <> ?1 ORDER BY r.name");

	sqlite3_bind_int64(st, 1, rel);
	return describe_rows(st, fn, data);
}

int cat_fk_children(struct catalog *c, cat_id rel, cat_id **out)
{
	sqlite3_stmt *st = q(c, "SELECT DISTINCT k.rel_id FROM constraints k WHERE k.ref_rel_id = ?1"
			     " AND k.kind = 'f' AND k.rel_id <> ?1 ORDER BY 1");
	size_t alloc = 0;
	int n = 0;

	*out = NULL;
	sqlite3_bind_int64(st, 1, rel);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(*out, (size_t)n + 1, alloc);
		(*out)[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return n;
}

int cat_fk_parents_of_column(struct catalog *c, cat_id rel, cat_id col, cat_describe_fn fn,
			     void *data)
{
	sqlite3_stmt *st = q(c, "SELECT DISTINCT s.name || '.' || r.name FROM constraints k"
			     " JOIN constraint_columns cc ON cc.con_id = k.id"
			     " JOIN relations r ON r.id = k.ref_rel_id JOIN schemas s ON s.id = r.schema_id"
			     " WHERE k.rel_id = ?1 AND k.kind = 'f' AND cc.column_id = ?2"
			     " AND k.ref_rel_id <> ?1 ORDER BY 1");

	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int64(st, 2, col);
	return describe_rows(st, fn, data);
}

int cat_fk_parents(struct catalog *c, cat_id rel, cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st = q(c, "SELECT DISTINCT s.name || '.' || r.name FROM constraints k"
			     " JOIN relations r ON r.id = k.ref_rel_id JOIN schemas s ON s.id = r.schema_id"
			     " WHERE k.rel_id = ?1 AND k.kind = 'f' AND k.ref_rel_id <> ?1 ORDER BY 1");

	sqlite3_bind_int64(st, 1, rel);
	return describe_rows(st, fn, data);
}

/* The schema's constraints, relation after relation: *rel and *con
   the place, both 0 to start; false at the end. */
static bool schema_con_next(const struct catalog *c, uint32_t schema, uint32_t *rel,
			    uint32_t *con)
{
	const struct constore *s = &c->cons;

	if (*con && (*con = s->rows[*con].key_next[CK_REL]))
		return true;
	/* one relation a step, those without constraints too */
	*rel = *rel ? c->rels.rows[*rel].key_next[RK_SCHEMA]
		    : relstore_key_first(&c->rels, RK_SCHEMA, schema);
	if (!*rel)
		return false;
	*con = constore_key_first(s, CK_REL, *rel);
	return true;
}

/*
 * A table's constraint of the name in the schema? The rows with the
 * name, and the schema's relations' constraints, are walked in turn, as
 * in con_by_name(): the catalog's SQL joined every constraint of the
 * name with its relation, and 1,000 tenant schemas of the same tables
 * took 4 s, most of it here.
 */
static bool table_con_in_schema(struct catalog *c, cat_id schema, const char *name)
{
	const struct constore *s = &c->cons;
	uint32_t sid, a, rel = 0, con = 0;

	if (!name || !con_names_may_have(c, name) || schema <= 0 || schema >= UINT32_MAX ||
	    !(sid = constore_str_find(&c->cons, name)))
		return false;
	for (a = constore_key_first(s, CK_NAME, sid); a; a = s->rows[a].key_next[CK_NAME]) {
		const struct rel_row *r = relstore_get(&c->rels, s->rows[a].key[CK_REL]);

		if (r && r->key[RK_SCHEMA] == (uint32_t)schema)
			return true;
		if (!schema_con_next(c, (uint32_t)schema, &rel, &con))
			return false;
		if (con && s->rows[con].key[CK_NAME] == sid)
			return true;
	}
	return false;
}

bool cat_con_name_in_schema(struct catalog *c, cat_id schema, const char *name)
{
	return table_con_in_schema(c, schema, name) || (name && domain_con_in_schema(c, schema, name));
}

void cat_schema_relations(struct catalog *c, cat_id schema, cat_describe_fn fn, void *data)
{
	if (schema <= 0 || schema >= UINT32_MAX)
		return;
	for (uint32_t id = relstore_key_first(&c->rels, RK_SCHEMA, (uint64_t)schema); id;
	     id = c->rels.rows[id].key_next[RK_SCHEMA])
		fn(data, relstore_str(&c->rels, c->rels.rows[id].name));
}

int cat_schema_contents(struct catalog *c, cat_id schema, cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st = q(c,
		"SELECT CASE kind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'"
		" WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'"
		" WHEN 'f' THEN 'foreign table' END || ' \"' || name || '\"'"
		" FROM relations WHERE schema_id = ?1 AND kind <> 'i'"
		" UNION ALL SELECT 'type \"' || name || '\"' FROM types WHERE schema_id = ?1"
		" UNION ALL SELECT 'function \"' || name || signature || '\"' FROM functions"
		" WHERE schema_id = ?1");

	sqlite3_bind_int64(st, 1, schema);
	return describe_rows(st, fn, data);
}

/*
 * The key columns of a table's unique indexes without a predicate, in
 * index id order, an index's columns in order: what
 *   SELECT i.rel_id, r.created_file, r.line, c.name, c.not_null
 *   FROM indexes i JOIN relations r ON r.id = i.rel_id
 *   JOIN index_columns ic ON ic.index_id = i.rel_id AND ic.is_include = 0
 *   LEFT JOIN columns c ON c.id = ic.column_id
 *   WHERE i.table_id = ?1 AND i.is_unique = 1 AND i.predicate IS NULL
 * gives, read from the stores (as that query, 25,000 instructions for
 * each ADD UNIQUE or unique index on an existing table).
 */
void cat_foreach_unique_key_column(struct catalog *c, cat_id table, cat_ukey_fn fn, void *data)
{
	const struct linkstore *ix = &c->indexes, *ic = &c->index_cols;

	if (table <= 0 || table >= UINT32_MAX)
		return;
	for (uint32_t i = linkstore_first(ix, (uint64_t)table); i; i = ix->rows[i].next) {
		const struct link_row *x = &ix->rows[i];
		const struct rel_row *r = relstore_get(&c->rels, x->key[0]);

		if (!(x->flags & IX_UNIQUE) || x->str[0] || !r)
			continue;
		for (uint32_t j = linkstore_first(ic, x->key[0]); j; j = ic->rows[j].next) {
			const struct link_row *y = &ic->rows[j];
			const struct col_row *col = colstore_get(&c->colstore, y->key[0]);

			if (y->flags & IC_INCLUDE)
				continue;
			fn(data, x->key[0], r->created_file, r->line,
			   col ? colstore_str(&c->colstore, col->name) : NULL,
			   col && (col->flags & CS_NOT_NULL));
		}
	}
}

bool cat_unique_key_on(struct catalog *c, cat_id table, const cat_id *cols, int n)
{
	const struct linkstore *ix = &c->indexes, *ic = &c->index_cols;

	if (table <= 0 || table >= UINT32_MAX)
		return false;
	for (uint32_t i = linkstore_first(ix, (uint64_t)table); i; i = ix->rows[i].next) {
		const struct link_row *x = &ix->rows[i];
		int found = 0;

		if (!(x->flags & IX_UNIQUE) || x->str[0] || x->pos != n)
			continue;
		for (uint32_t j = linkstore_first(ic, x->key[0]); j; j = ic->rows[j].next) {
			const struct link_row *y = &ic->rows[j];
			int k = 0;

			if (y->flags & IC_INCLUDE)
				continue;
			while (k < n && (cat_id)y->key[0] != cols[k])
				k++;
			if (!y->key[0] || k == n)
				break;
			found++;
		}
		if (found == n)
			return true;
	}
	return false;
}

/* ---- tables without a primary key (table-without-primary-key) ---- */

/* Does relation 'rel' have a constraint of this kind? */
static bool has_con_kind(const struct constore *k, uint32_t rel, char kind)
{
	for (uint32_t id = constore_key_first(k, CK_REL, rel); id; id = k->rows[id].key_next[CK_REL])
		if (k->rows[id].kind == kind)
			return true;
	return false;
}

/* The first UNIQUE constraint of 'rel' whose columns are all NOT NULL
   (a column no longer there counts as one), or NULL. */
static const char *not_null_unique(const struct catalog *c, uint32_t rel)
{
	const struct constore *k = &c->cons;
	const struct linkstore *cc = &c->con_cols;

	for (uint32_t id = constore_key_first(k, CK_REL, rel); id; id = k->rows[id].key_next[CK_REL]) {
		uint32_t j;

		if (k->rows[id].kind != 'u')
			continue;
		for (j = linkstore_first(cc, id); j; j = cc->rows[j].next) {
			const struct col_row *col = colstore_get(&c->colstore, cc->rows[j].key[0]);

			if (col && !(col->flags & CS_NOT_NULL))
				break;
		}
		if (!j)
			return constore_str(k, k->rows[id].key[CK_NAME]);
	}
	return NULL;
}

/* Where a relation was created, then ids: the order the end-of-lint
   lists (keyless tables, index pairs) are reported in. */
struct placed_key {
	int32_t file, line;
	uint32_t a, b;
};

static int placed_cmp(const void *x, const void *y)
{
	const struct placed_key *p = x, *q = y;

	if (p->file != q->file)
		return p->file < q->file ? -1 : 1;
	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

static bool keyless(const struct catalog *c, const struct rel_row *r)
{
	const struct rel_row *parent = relstore_get(&c->rels, r->key[RK_PARENT]);

	return (r->kind == REL_TABLE || r->kind == REL_PARTITIONED) && (r->flags & RF_IN_RANGE) &&
	       r->created_file >= 0 && !(parent && parent->kind == REL_PARTITIONED);
}

/*
 * What table-without-primary-key's query over relations, schemas and
 * constraints gave, from the stores: it scanned every relation at the
 * end of the lint, 7% of a pre-commit run with --cache.
 */
void cat_foreach_keyless_table(struct catalog *c, cat_keyless_fn fn, void *data)
{
	const struct relstore *rs = &c->rels;
	struct placed_key *keys = NULL;
	size_t n = 0, alloc = 0;
	char schema[NAMEBUF], table[NAMEBUF], unique[NAMEBUF];

	for (int64_t id = 1; id <= rs->max_id; id++) {
		const struct rel_row *r = &rs->rows[id];

		if (!r->kind || !keyless(c, r) || has_con_kind(&c->cons, (uint32_t)id, 'p'))
			continue;
		ALLOC_GROW(keys, n + 1, alloc);
		keys[n++] = (struct placed_key){ r->created_file, r->line, (uint32_t)id, 0 };
	}
	if (n)
		qsort(keys, n, sizeof(*keys), placed_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct rel_row *r = &rs->rows[keys[i].a];

		schema_name(c, r->key[RK_SCHEMA], schema);
		if (!schema[0] || !strncasecmp(schema, "pg_temp", 7))
			continue;
		copy_name(table, (const unsigned char *)relstore_str(rs, r->name));
		copy_name(unique, (const unsigned char *)not_null_unique(c, keys[i].a));
		fn(data, schema, table, r->created_file, r->line, unique);
	}
	free(keys);
}

/* ---- index pairs (redundant-index) ---- */

static bool str_is(const char *x, const char *y)
{
	return x == y || (x && y && !strcmp(x, y));
}

/* The row of index ix (its index_columns) at position pos, or 0. */
static uint32_t index_col_at(const struct linkstore *ic, uint32_t ix, int32_t pos)
{
	for (uint32_t id = linkstore_first(ic, ix); id; id = ic->rows[id].next)
		if (ic->rows[id].pos == pos)
			return id;
	return 0;
}

/* Do rows x and y of index_columns name the same column or expression,
   with the same operator class as written (text_pattern_ops serves LIKE
   'x%', the default does not)? */
static bool same_index_col(const struct linkstore *ic, uint32_t x, uint32_t y)
{
	return ic->rows[x].key[0] == ic->rows[y].key[0] &&
	       str_is(linkstore_str(ic, ic->rows[x].str[0]), linkstore_str(ic, ic->rows[y].str[0])) &&
	       str_is(linkstore_str(ic, ic->rows[x].str[1]), linkstore_str(ic, ic->rows[y].str[1]));
}

/* Does b hold what index a does, key by key, and a's INCLUDE columns? */
static bool index_leads(const struct linkstore *ic, uint32_t a, uint32_t b, int32_t a_keys)
{
	for (uint32_t x = linkstore_first(ic, a); x; x = ic->rows[x].next) {
		const struct link_row *rx = &ic->rows[x];
		uint32_t y;

		if (rx->flags & IC_INCLUDE) {
			for (y = linkstore_first(ic, b); y && !same_index_col(ic, x, y); y = ic->rows[y].next)
				;
		} else {
			y = index_col_at(ic, b, rx->pos);
			if (y && ((ic->rows[y].flags & IC_INCLUDE) || !same_index_col(ic, x, y) ||
				  (a_keys != 1 && (ic->rows[y].flags & IC_DESC) != (rx->flags & IC_DESC))))
				y = 0;
		}
		if (!y)
			return false;
	}
	return true;
}

/* An index's key columns as "a, b": names, or expressions. */
static void index_key_text(struct catalog *c, uint32_t ix, struct strbuf *out)
{
	const struct linkstore *ic = &c->index_cols;

	strbuf_reset(out);
	for (uint32_t id = linkstore_first(ic, ix); id; id = ic->rows[id].next) {
		const struct link_row *r = &ic->rows[id];
		const struct col_row *col = colstore_get(&c->colstore, r->key[0]);
		const char *text = col ? colstore_str(&c->colstore, col->name) : linkstore_str(ic, r->str[0]);

		if ((r->flags & IC_INCLUDE) || !text)
			continue;
		if (out->len)
			strbuf_addstr(out, ", ");
		strbuf_addstr(out, text);
	}
}

/*
 * May index row a be the redundant one (its table and schema there)?
 * Not a primary key, an exclusion constraint's index or a partition's
 * copy; a unique one only next to its twin (unique_twins()).
 */
static bool may_be_redundant(struct catalog *c, const struct link_row *a)
{
	const char *method = linkstore_str(&c->indexes, a->str[1]);

	return a->parent && method && !strcmp(method, "btree") && !(a->flags & IX_PRIMARY) &&
	       !a->key[1] &&
	       ((a->flags & IX_UNIQUE) || !constore_key_first(&c->cons, CK_INDEX, a->key[0]));
}

/* A unique index a and b enforce the same: b is unique (or the primary
   key) on the same number of key columns, with NULLS NOT DISTINCT as a. */
static bool unique_twins(const struct link_row *a, const struct link_row *b)
{
	return (b->flags & (IX_UNIQUE | IX_PRIMARY)) && a->pos == b->pos &&
	       (a->flags & IX_NND) == (b->flags & IX_NND);
}

static bool pair_ok(struct catalog *c, const struct link_row *a, const struct link_row *b,
		    uint32_t first_a)
{
	const struct linkstore *ix = &c->indexes, *ic = &c->index_cols;
	const char *method = linkstore_str(ix, b->str[1]);
	const struct rel_row *ra = relstore_get(&c->rels, a->key[0]);
	const struct rel_row *rb = relstore_get(&c->rels, b->key[0]);
	uint32_t first_b = index_col_at(ic, b->key[0], 1);

	return b != a && b->key[0] != a->key[0] && ra && rb && first_b &&
	       (!(a->flags & IX_UNIQUE) || unique_twins(a, b)) &&
	       same_index_col(ic, first_a, first_b) &&
	       ((ra->flags | rb->flags) & RF_IN_RANGE) && method && !strcmp(method, "btree") &&
	       str_is(linkstore_str(ix, a->str[0]), linkstore_str(ix, b->str[0])) &&
	       a->pos <= b->pos && index_leads(ic, a->key[0], b->key[0], a->pos);
}

/*
 * The tables with an index made in the lint range, as a bitmap by
 * relation id (malloc'ed): a pair needs one such index, and a pre-commit
 * run's range holds a few of a history's thousands.
 */
static unsigned char *tables_in_range(struct catalog *c)
{
	const struct linkstore *ix = &c->indexes;
	unsigned char *hot = xcalloc((size_t)c->rels.max_id / 8 + 1, 1);

	for (uint32_t a = 1; a < ix->nr_rows; a++) {
		const struct link_row *r = &ix->rows[a];
		const struct rel_row *rel = r->parent ? relstore_get(&c->rels, r->key[0]) : NULL;

		if (rel && (rel->flags & RF_IN_RANGE) && r->parent <= (uint64_t)c->rels.max_id)
			hot[r->parent / 8] |= (unsigned char)(1u << (r->parent % 8));
	}
	return hot;
}

/* Was index a (a row of c->indexes) created before index b? */
static bool index_older(struct catalog *c, const struct link_row *a, const struct link_row *b)
{
	const struct rel_row *ra = relstore_get(&c->rels, a->key[0]);
	const struct rel_row *rb = relstore_get(&c->rels, b->key[0]);

	if (ra->created_file != rb->created_file)
		return ra->created_file < rb->created_file;
	if (ra->line != rb->line)
		return ra->line < rb->line;
	return a->key[0] < b->key[0];
}

/* An index of the table index_pairs() is at: its row in c->indexes,
   its relation id, its first column (a row of c->index_cols) and that
   column's id (0: an expression). */
struct table_index {
	uint32_t row, rel, first, first_col;
};

static int table_index_cmp(const void *x, const void *y)
{
	const struct table_index *p = x, *q = y;

	if (p->first_col != q->first_col)
		return p->first_col < q->first_col ? -1 : 1;
	return (p->rel > q->rel) - (p->rel < q->rel);
}

/* The indexes of table 'parent', by first column, then id. */
static size_t table_indexes(struct catalog *c, uint32_t parent, struct table_index **v,
			    size_t *alloc)
{
	const struct linkstore *ix = &c->indexes, *ic = &c->index_cols;
	size_t n = 0;

	for (uint32_t r = linkstore_first(ix, parent); r; r = ix->rows[r].next) {
		uint32_t first = index_col_at(ic, ix->rows[r].key[0], 1);

		ALLOC_GROW(*v, n + 1, *alloc);
		(*v)[n++] = (struct table_index){ r, ix->rows[r].key[0], first,
						  first ? ic->rows[first].key[0] : 0 };
	}
	qsort(*v, n, sizeof(**v), table_index_cmp);
	return n;
}

/*
 * Of a table's indexes v[0..n), sorted by table_indexes(), the first
 * (by id) that index v[k] is redundant next to, 0: none; only those of
 * the same first column can be, v[run..] up to the next first column.
 * Of two identical indexes only the newer is redundant: b is passed
 * over when a is the older and a leads b as b leads a.
 */
static uint32_t index_covering(struct catalog *c, const struct table_index *v, size_t n,
			       size_t run, size_t k)
{
	const struct linkstore *ix = &c->indexes;
	const struct link_row *ra = &ix->rows[v[k].row];

	for (size_t j = run; j < n && v[j].first_col == v[k].first_col; j++) {
		const struct link_row *rb = &ix->rows[v[j].row];

		if (j == k || !pair_ok(c, ra, rb, v[k].first))
			continue;
		if (index_older(c, ra, rb) && may_be_redundant(c, rb) && v[j].first &&
		    pair_ok(c, rb, ra, v[j].first))
			continue;
		return v[j].row;
	}
	return 0;
}

/*
 * The pairs, found first (the callback may ask the catalog more): one
 * per redundant index. Every pair once, and the rule picking from them,
 * made k(k - 1) of k identical indexes on a table: 20,000 of them took
 * 6 GB and more than two minutes. Each index is compared with those of
 * its table that start with the same column, in id order, up to the
 * first it is redundant next to.
 */
static size_t index_pairs(struct catalog *c, struct placed_key **out)
{
	const struct linkstore *ix = &c->indexes;
	unsigned char *hot = tables_in_range(c);
	struct placed_key *keys = NULL;
	struct table_index *v = NULL;
	size_t n = 0, alloc = 0, v_alloc = 0;

	for (int64_t t = 1; t <= c->rels.max_id; t++) {
		size_t nr;

		if (!(hot[t / 8] & (1u << (t % 8))))
			continue;
		nr = table_indexes(c, (uint32_t)t, &v, &v_alloc);
		for (size_t k = 0, run = 0; k < nr; k++) {
			const struct link_row *ra = &ix->rows[v[k].row];
			const struct rel_row *rel;
			uint32_t b;

			if (v[k].first_col != v[run].first_col)
				run = k;
			if (!may_be_redundant(c, ra) || !v[k].first ||
			    !(b = index_covering(c, v, nr, run, k)))
				continue;
			rel = relstore_get(&c->rels, ra->key[0]);
			ALLOC_GROW(keys, n + 1, alloc);
			keys[n].file = rel->created_file;
			keys[n].line = rel->line;
			keys[n].a = ra->key[0];
			keys[n++].b = ix->rows[b].key[0];
		}
	}
	free(v);
	free(hot);
	if (n)
		qsort(keys, n, sizeof(*keys), placed_cmp);
	*out = keys;
	return n;
}

/*
 * What redundant-index's query over indexes, index_columns, relations
 * and schemas gave, from the stores: it ran at the end of the lint,
 * when nothing else runs (22M instructions on 20,000 statements).
 */
void cat_foreach_redundant_pair(struct catalog *c, cat_index_pair_fn fn, void *data)
{
	struct placed_key *keys;
	size_t n = index_pairs(c, &keys);
	struct strbuf ca, cb;
	char schema[NAMEBUF], table[NAMEBUF], a_name[NAMEBUF], b_name[NAMEBUF];

	strbuf_init(&ca);
	strbuf_init(&cb);
	for (size_t i = 0; i < n; i++) {
		const struct rel_row *ra = relstore_get(&c->rels, keys[i].a);
		const struct rel_row *rb = relstore_get(&c->rels, keys[i].b);
		const struct link_row *ixa = &c->indexes.rows[linkstore_key_first(&c->indexes, 0, keys[i].a)];
		const struct link_row *ixb = &c->indexes.rows[linkstore_key_first(&c->indexes, 0, keys[i].b)];
		const struct rel_row *t = relstore_get(&c->rels, ixa->parent);
		struct cat_index_pair p;

		if (!t)
			continue;
		schema_name(c, t->key[RK_SCHEMA], schema);
		if (!schema[0])
			continue;
		copy_name(table, (const unsigned char *)relstore_str(&c->rels, t->name));
		copy_name(a_name, (const unsigned char *)relstore_str(&c->rels, ra->name));
		copy_name(b_name, (const unsigned char *)relstore_str(&c->rels, rb->name));
		index_key_text(c, keys[i].a, &ca);
		index_key_text(c, keys[i].b, &cb);
		p.a = keys[i].a;
		p.b = keys[i].b;
		p.a_name = a_name;
		p.b_name = b_name;
		p.schema = schema;
		p.table = table;
		p.a_columns = ca.buf;
		p.b_columns = cb.buf;
		p.a_in_range = ra->flags & RF_IN_RANGE;
		p.b_in_range = rb->flags & RF_IN_RANGE;
		p.same_keys = ixa->pos == ixb->pos;
		p.unique = ixa->flags & IX_UNIQUE;
		p.a_file = ra->created_file;
		p.a_line = ra->line;
		p.b_file = rb->created_file;
		p.b_line = rb->line;
		fn(data, &p);
	}
	strbuf_release(&ca);
	strbuf_release(&cb);
	free(keys);
}

/* ---- range queries ---- */

static void fk_columns(struct catalog *c, struct cat_fk *fk)
{
	const struct linkstore *s = &c->con_cols;
	struct strbuf sb;

	strbuf_init(&sb);
	fk->nr_cols = 0;
	/* the constraint's columns in pos order; one that is gone is left
	   out, as the join with columns left it out */
	for (uint32_t id = linkstore_first(s, (uint64_t)fk->con_id);
	     id && fk->nr_cols < (int)ARRAY_SIZE(fk->col_ids); id = s->rows[id].next) {
		cat_id col = s->rows[id].key[0];
		const struct col_row *r = colstore_get(&c->colstore, col);

		if (!r)
			continue;
		fk->col_ids[fk->nr_cols++] = col;
		if (sb.len)
			strbuf_addstr(&sb, ", ");
		strbuf_addf(&sb, "\"%s\"", colstore_str(&c->colstore, r->name));
	}
	fmt_buf(fk->columns, sizeof(fk->columns), "%s", sb.buf);
	strbuf_release(&sb);
}

/* One foreign key's row; -1 when it is gone (or its table, or the
   table's schema, as the query's joins had it). */
static int range_fk(struct catalog *c, cat_id id, struct cat_fk *fk)
{
	const struct con_row *k = constore_get(&c->cons, id);
	const struct rel_row *r = k ? relstore_get(&c->rels, k->key[CK_REL]) : NULL;

	memset(fk, 0, sizeof(*fk));
	if (!r)
		return -1;
	schema_name(c, r->key[RK_SCHEMA], fk->schema);
	if (!fk->schema[0])
		return -1;
	fk->con_id = id;
	copy_name(fk->name, (const unsigned char *)constore_str(&c->cons, k->key[CK_NAME]));
	fk->rel_id = k->key[CK_REL];
	copy_name(fk->table, (const unsigned char *)relstore_str(&c->rels, r->name));
	fk->file_index = k->created_file;
	fk->loc.file_index = fk->file_index;
	fk->loc.line = k->line;
	fk->loc.col = k->col;
	fk->loc.end_line = k->end_line;
	fk->loc.end_col = k->end_col;
	fk->loc.start = (size_t)k->start_offset;
	fk->loc.end = (size_t)k->end_offset;
	fk->loc.stmt_hash = k->stmt_hash;
	return 0;
}

struct fk_key {
	int32_t file;
	int64_t offset;
	cat_id id;
};

static int fk_key_cmp(const void *a, const void *b)
{
	const struct fk_key *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The ids first, in order (the callback runs other catalog queries),
 * then one foreign key at a time: a struct cat_fk is most of a kilobyte,
 * and a long history linted whole has tens of thousands in range. The
 * constraints are C (constore.c): read there, not through SQL (a query
 * per foreign key was 25M instructions on 20,000 statements, at the
 * end of the lint, when nothing else runs).
 */
void cat_foreach_range_fk(struct catalog *c, cat_fk_fn fn, void *data)
{
	struct fk_key *keys = NULL;
	size_t alloc = 0, n = 0;
	struct cat_fk fk;

	for (int64_t id = constore_next(&c->cons, 0); id; id = constore_next(&c->cons, id)) {
		const struct con_row *k = constore_get(&c->cons, id);

		if (k->kind != 'f' || !k->in_range)
			continue;
		ALLOC_GROW(keys, n + 1, alloc);
		keys[n].file = k->created_file;
		keys[n].offset = k->start_offset;
		keys[n++].id = id;
	}
	if (n)
		qsort(keys, n, sizeof(*keys), fk_key_cmp);
	for (size_t i = 0; i < n; i++) {
		if (range_fk(c, keys[i].id, &fk))
			continue;
		fk_columns(c, &fk);
		fn(data, &fk);
	}
	free(keys);
}

/* ---- types ---- */

cat_id cat_type_find(struct catalog *c, cat_id schema, const char *name, char *kind)
{
	sqlite3_stmt *st;
	struct type_slot *slot;
	size_t len = name ? strlen(name) : 0;

	if (!name || len > NAME_MAX_BYTES)
		return 0;
	slot = &c->types[fnv1a64(name, len, (uint64_t)schema) & (TYPE_CACHE - 1)];
	if ((slot->id || slot->neg == c->type_neg) && slot->schema == schema &&
	    !strcmp(slot->name, name))
		goto out;
	slot->id = 0;
	if (names_may_have(c, schema, name, len)) {
		st = q(c, "SELECT id, kind FROM types WHERE schema_id = ?1 AND name = ?2");
		sqlite3_bind_int64(st, 1, schema);
		bind_text(st, 2, name);
		if (sqlite3_step(st) == SQLITE_ROW) {
			slot->id = sqlite3_column_int64(st, 0);
			slot->kind = (char)sqlite3_column_text(st, 1)[0];
		}
		sqlite3_reset(st);
	}
	slot->neg = c->type_neg;
	slot->schema = schema;
	memcpy(slot->name, name, len + 1);
out:
	if (slot->id && kind)
		*kind = slot->kind;
	return slot->id;
}

cat_id cat_type_create(struct catalog *c, cat_id schema, const char *name, char kind,
		       const char *base_type)
{
	sqlite3_stmt *st = q(c, "INSERT INTO types (schema_id, name, kind, base_type, created_file,"
			     " in_range, file_ref, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	bind_char(st, 3, kind);
	bind_text(st, 4, base_type);
	bind_origin(c, st, 5);
	return run_keyed_insert(c, st, "types", schema, name);
}

/* Schema and name of a type, into caller buffers; -1 when absent. */
static int type_names(struct catalog *c, cat_id type, char *schema, char *name)
{
	sqlite3_stmt *st = q(c, "SELECT s.name, t.name FROM types t JOIN schemas s"
			     " ON s.id = t.schema_id WHERE t.id = ?1");
	int found = sqlite3_step((sqlite3_bind_int64(st, 1, type), st)) == SQLITE_ROW;

	if (found) {
		copy_name(schema, sqlite3_column_text(st, 0));
		copy_name(name, sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return found ? 0 : -1;
}

/* Ids of the columns whose type is schema.name (any array depth; a
   built-in type's columns have no type_schema: 'public'), id order. */
static int columns_of_type(struct catalog *c, const char *schema, const char *name, cat_id **ids)
{
	const struct colstore *s = &c->colstore;
	cs_str want_schema = colstore_str_find(s, schema), want_name = colstore_str_find(s, name);
	bool public = schema && !strcmp(schema, "public");
	size_t alloc = 0;
	int n = 0;

	*ids = NULL;
	if (!want_name)
		return 0;
	for (cat_id id = colstore_next(s, 0); id; id = colstore_next(s, id)) {
		const struct col_row *r = &s->rows[id];

		if (r->type_name != want_name ||
		    (r->type_schema ? r->type_schema != want_schema : !public))
			continue;
		ALLOC_GROW(*ids, (size_t)n + 1, alloc);
		(*ids)[n++] = id;
	}
	return n;
}

static void retype_columns(struct catalog *c, const char *schema, const char *name,
			   const char *new_schema, const char *new_name)
{
	cat_id *ids;
	int n = columns_of_type(c, schema, name, &ids);

	for (int i = 0; i < n; i++) {
		struct cat_col col;

		if (cat_col_get(c, ids[i], &col))
			continue;
		col.type.schema = new_schema;
		col.type.name = new_name;
		cat_col_set_type(c, ids[i], &col.type);
	}
	free(ids);
}

/* ---- a domain's DEFAULT, NOT NULL and CHECKs ---- */

/* Domain 'type''s constrained flag and definition (catalog.sql), from
   what it holds now. */
static void domain_refresh(struct catalog *c, cat_id type)
{
	sqlite3_stmt *st = q(c, "SELECT default_expr, not_null FROM types WHERE id = ?1");
	bool constrained = false;
	struct strbuf sb;

	strbuf_init(&sb);
	sqlite3_bind_int64(st, 1, type);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_text(st, 0))
			strbuf_addf(&sb, " DEFAULT %s", (const char *)sqlite3_column_text(st, 0));
		if ((constrained = sqlite3_column_int(st, 1)))
			strbuf_addstr(&sb, " NOT NULL");
	}
	sqlite3_reset(st);
	st = q(c, "SELECT name, expr, validated FROM domain_constraints WHERE type_id = ?1"
	       " ORDER BY id");
	sqlite3_bind_int64(st, 1, type);
	while (sqlite3_step(st) == SQLITE_ROW) {
		constrained = true;
		if (!sqlite3_column_int(st, 2) || !sqlite3_column_text(st, 1))
			continue;       /* inspect adds it NOT VALID, after */
		strbuf_addstr(&sb, " CONSTRAINT ");
		add_ident(&sb, (const char *)sqlite3_column_text(st, 0));
		strbuf_addf(&sb, " CHECK (%s)", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	st = q(c, "UPDATE types SET constrained = ?2, definition = ?3 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, type);
	sqlite3_bind_int(st, 2, constrained);
	bind_text(st, 3, sb.len ? sb.buf + 1 : NULL);
	run(c, st);
	strbuf_release(&sb);
}

bool cat_domain_con_exists(struct catalog *c, cat_id type, const char *name)
{
	sqlite3_stmt *st = q(c, "SELECT EXISTS (SELECT 1 FROM domain_constraints"
			     " WHERE type_id = ?1 AND name = ?2)");

	sqlite3_bind_int64(st, 1, type);
	bind_text(st, 2, name);
	return one_int(st, 0);
}

void cat_domain_con_add(struct catalog *c, cat_id type, const char *name, const char *expr,
			bool validated)
{
	sqlite3_stmt *st = q(c, "INSERT INTO domain_constraints (type_id, name, expr, validated)"
			     " VALUES (?1, ?2, ?3, ?4)");

	sqlite3_bind_int64(st, 1, type);
	bind_text(st, 2, name);
	bind_text(st, 3, expr);
	sqlite3_bind_int(st, 4, validated);
	run(c, st);
	domain_refresh(c, type);
}

void cat_domain_con_drop(struct catalog *c, cat_id type, const char *name)
{
	by_id_text(c, "DELETE FROM domain_constraints WHERE type_id = ?1 AND name = ?2", type, name);
	domain_refresh(c, type);
}

void cat_domain_con_rename(struct catalog *c, cat_id type, const char *name, const char *new_name)
{
	sqlite3_stmt *st = q(c, "UPDATE domain_constraints SET name = ?3"
			     " WHERE type_id = ?1 AND name = ?2");

	sqlite3_bind_int64(st, 1, type);
	bind_text(st, 2, name);
	bind_text(st, 3, new_name);
	run(c, st);
	domain_refresh(c, type);
}

void cat_domain_con_validate(struct catalog *c, cat_id type, const char *name)
{
	by_id_text(c, "UPDATE domain_constraints SET validated = 1 WHERE type_id = ?1 AND name = ?2",
		   type, name);
	domain_refresh(c, type);
}

void cat_domain_set_not_null(struct catalog *c, cat_id type, bool not_null)
{
	by_id(c, not_null ? "UPDATE types SET not_null = 1 WHERE id = ?1"
			  : "UPDATE types SET not_null = 0 WHERE id = ?1", type);
	domain_refresh(c, type);
}

void cat_domain_set_default(struct catalog *c, cat_id type, const char *expr)
{
	by_id_text(c, "UPDATE types SET default_expr = ?2 WHERE id = ?1", type, expr);
	domain_refresh(c, type);
}

/* Is 'name' a domain constraint's in 'schema'? (cat_con_name_in_schema()) */
static bool domain_con_in_schema(struct catalog *c, cat_id schema, const char *name)
{
	sqlite3_stmt *st;

	/* a domain with a CHECK is a constrained one, and most histories have
	   none: no query for every name generated */
	if (!cat_has_constrained_domains(c))
		return false;
	st = q(c, "SELECT EXISTS (SELECT 1 FROM domain_constraints k JOIN types t"
	       " ON t.id = k.type_id WHERE t.schema_id = ?1 AND k.name = ?2)");
	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	return one_int(st, 0);
}

void cat_rel_set_partition_key(struct catalog *c, cat_id rel, const char *text)
{
	cat_rel_set_text(c, rel, "partition_key", text);
}

void cat_rel_set_partition_bound(struct catalog *c, cat_id rel, const char *text)
{
	cat_rel_set_text(c, rel, "partition_bound", text);
}

void cat_type_set_definition(struct catalog *c, cat_id type, const char *text)
{
	by_id_text(c, "UPDATE types SET definition = ?2 WHERE id = ?1", type, text);
}

void cat_type_drop(struct catalog *c, cat_id type)
{
	char schema[NAMEBUF], name[NAMEBUF];
	sqlite3_stmt *st;
	cat_id *ids;
	int n;

	if (!type_names(c, type, schema, name)) {
		n = columns_of_type(c, schema, name, &ids);
		for (int i = 0; i < n; i++)
			cat_col_drop(c, ids[i]);
		free(ids);
	}
	st = q(c, "DELETE FROM types WHERE id = ?1");
	sqlite3_bind_int64(st, 1, type);
	run(c, st);
}

/* After a type changed name or schema, the columns follow it. */
static void type_moved(struct catalog *c, cat_id type, const char *old_schema, const char *old_name)
{
	char schema[NAMEBUF], name[NAMEBUF];

	if (!type_names(c, type, schema, name))
		retype_columns(c, old_schema, old_name, schema, name);
}

void cat_type_rename(struct catalog *c, cat_id type, const char *name)
{
	char old_schema[NAMEBUF], old_name[NAMEBUF];
	sqlite3_stmt *st;

	if (type_names(c, type, old_schema, old_name))
		return;
	names_stale(c);
	st = q(c, "UPDATE types SET name = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, type);
	bind_text(st, 2, name);
	run(c, st);
	type_moved(c, type, old_schema, old_name);
}

void cat_type_set_schema(struct catalog *c, cat_id type, cat_id schema)
{
	char old_schema[NAMEBUF], old_name[NAMEBUF];
	sqlite3_stmt *st;

	if (type_names(c, type, old_schema, old_name))
		return;
	names_stale(c);
	st = q(c, "UPDATE types SET schema_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, type);
	sqlite3_bind_int64(st, 2, schema);
	run(c, st);
	type_moved(c, type, old_schema, old_name);
}

/* The label's sort order; false when the enum has no such label. */
static bool enum_order(struct catalog *c, cat_id type, const char *label, double *order)
{
	sqlite3_stmt *st = q(c, "SELECT sort_order FROM enum_values WHERE type_id = ?1 AND label = ?2");
	bool found;

	sqlite3_bind_int64(st, 1, type);
	bind_text(st, 2, label);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found && order)
		*order = sqlite3_column_double(st, 0);
	sqlite3_reset(st);
	return found;
}

/* The sort order next to 'order' (the next larger, or smaller if !after). */
static double enum_neighbor_order(struct catalog *c, cat_id type, double order, bool after)
{
	sqlite3_stmt *st = after
		? q(c, "SELECT min(sort_order) FROM enum_values WHERE type_id = ?1 AND sort_order > ?2")
		: q(c, "SELECT max(sort_order) FROM enum_values WHERE type_id = ?1 AND sort_order < ?2");
	double v = after ? order + 2 : order - 2;

	sqlite3_bind_int64(st, 1, type);
	sqlite3_bind_double(st, 2, order);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_reset(st);
	return v;
}

int cat_enum_add(struct catalog *c, cat_id type, const char *label, const char *neighbor, bool after)
{
	sqlite3_stmt *st;
	double order;

	if (neighbor) {
		double at;

		if (!enum_order(c, type, neighbor, &at))
			return -1;
		order = (at + enum_neighbor_order(c, type, at, after)) / 2;
	} else {
		order = 1;
		st = q(c, "SELECT coalesce(max(sort_order), 0) FROM enum_values WHERE type_id = ?1");
		sqlite3_bind_int64(st, 1, type);
		if (sqlite3_step(st) == SQLITE_ROW)
			order = sqlite3_column_double(st, 0) + 1;
		sqlite3_reset(st);
	}
	st = q(c, "INSERT INTO enum_values (type_id, sort_order, label) VALUES (?1, ?2, ?3)");
	sqlite3_bind_int64(st, 1, type);
	sqlite3_bind_double(st, 2, order);
	bind_text(st, 3, label);
	run(c, st);
	return 0;
}

bool cat_enum_has(struct catalog *c, cat_id type, const char *label)
{
	return enum_order(c, type, label, NULL);
}

int cat_enum_rename(struct catalog *c, cat_id type, const char *from, const char *to)
{
	sqlite3_stmt *st;

	if (!cat_enum_has(c, type, from))
		return -1;
	st = q(c, "UPDATE enum_values SET label = ?3 WHERE type_id = ?1 AND label = ?2");
	sqlite3_bind_int64(st, 1, type);
	bind_text(st, 2, from);
	bind_text(st, 3, to);
	run(c, st);
	return 0;
}

/* ---- extensions, functions, triggers, policies ---- */

bool cat_extension_exists(struct catalog *c, const char *name)
{
	sqlite3_stmt *st = q(c, "SELECT 1 FROM extensions WHERE name = ?1");

	bind_text(st, 1, name);
	return one_int(st, 0);
}

void cat_extension_create(struct catalog *c, const char *name, const char *schema)
{
	sqlite3_stmt *st = q(c, "INSERT INTO extensions (name, schema_name, created_file)"
			     " VALUES (?1, ?2, ?3)");

	bind_text(st, 1, name);
	bind_text(st, 2, schema);
	sqlite3_bind_int(st, 3, c->origin.file_index);
	run(c, st);
}

void cat_extension_drop(struct catalog *c, const char *name)
{
	sqlite3_stmt *st = q(c, "DELETE FROM extensions WHERE name = ?1");

	bind_text(st, 1, name);
	run(c, st);
}

cat_id cat_function_find(struct catalog *c, cat_id schema, const char *name, const char *sig)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM functions WHERE schema_id = ?1 AND name = ?2"
			     " AND signature = ?3");

	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	bind_text(st, 3, sig);
	return one_int(st, 0);
}

cat_id cat_function_find_any(struct catalog *c, cat_id schema, const char *name, int *count)
{
	sqlite3_stmt *st = q(c, "SELECT min(id), count(*) FROM functions WHERE schema_id = ?1"
			     " AND name = ?2");
	cat_id id = 0;

	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (count)
			*count = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return id;
}

cat_id cat_function_create(struct catalog *c, cat_id schema, const char *name, const char *sig,
			   bool procedure, const char *language, const char *volatility)
{
	sqlite3_stmt *st = q(c, "INSERT INTO functions (schema_id, name, signature, kind, language,"
			     " volatility, created_file) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	bind_text(st, 3, sig ? sig : "()");
	bind_text(st, 4, procedure ? "p" : "f");
	bind_text(st, 5, language);
	bind_text(st, 6, volatility);
	sqlite3_bind_int(st, 7, c->origin.file_index);
	return run_insert(c, st);
}

void cat_function_drop(struct catalog *c, cat_id fn)
{
	by_id(c, "DELETE FROM functions WHERE id = ?1", fn);
}

void cat_function_rename(struct catalog *c, cat_id fn, const char *name)
{
	by_id_text(c, "UPDATE functions SET name = ?2 WHERE id = ?1", fn, name);
}

cat_id cat_trigger_find(struct catalog *c, cat_id rel, const char *name)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM triggers WHERE rel_id = ?1 AND name = ?2");

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, name);
	return one_int(st, 0);
}

void cat_trigger_set_function(struct catalog *c, cat_id trig, cat_id fn)
{
	sqlite3_stmt *st = q(c, "UPDATE triggers SET function_id = ?2 WHERE id = ?1");

	sqlite3_bind_int64(st, 1, trig);
	bind_id(st, 2, fn);
	run(c, st);
}

cat_id cat_trigger_create(struct catalog *c, cat_id rel, const char *name)
{
	sqlite3_stmt *st = q(c, "INSERT INTO triggers (rel_id, name, created_file) VALUES (?1, ?2, ?3)");

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, name);
	sqlite3_bind_int(st, 3, c->origin.file_index);
	return run_insert(c, st);
}

void cat_trigger_drop(struct catalog *c, cat_id trig)
{
	by_id(c, "DELETE FROM triggers WHERE id = ?1", trig);
}

void cat_trigger_rename(struct catalog *c, cat_id trig, const char *name)
{
	by_id_text(c, "UPDATE triggers SET name = ?2 WHERE id = ?1", trig, name);
}

cat_id cat_policy_find(struct catalog *c, cat_id rel, const char *name)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM policies WHERE rel_id = ?1 AND name = ?2");

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, name);
	return one_int(st, 0);
}

cat_id cat_policy_create(struct catalog *c, cat_id rel, const char *name)
{
	sqlite3_stmt *st = q(c, "INSERT INTO policies (rel_id, name, created_file) VALUES (?1, ?2, ?3)");

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, name);
	sqlite3_bind_int(st, 3, c->origin.file_index);
	return run_insert(c, st);
}

void cat_policy_drop(struct catalog *c, cat_id pol)
{
	by_id(c, "DELETE FROM policies WHERE id = ?1", pol);
}

void cat_policy_rename(struct catalog *c, cat_id pol, const char *name)
{
	by_id_text(c, "UPDATE policies SET name = ?2 WHERE id = ?1", pol, name);
}

void cat_view_dep(struct catalog *c, cat_id view, cat_id rel, cat_id col)
{
	uint32_t key[LS_KEYS] = { (uint32_t)rel, (uint32_t)col };

	if (!col_ref_ok(c, col, true))
		return;
	linkstore_add(&c->view_deps, (uint32_t)view, 0, key, NULL, 0);
}

/* Its rows go without taking the view along (they are not deleted
   through SQL, whose cascades would drop it). */
void cat_view_clear_deps(struct catalog *c, cat_id view)
{
	uint32_t id;

	while ((id = linkstore_first(&c->view_deps, (uint64_t)view)))
		linkstore_delete(&c->view_deps, id);
}

/*
 * A new owner replaces the old one and the sequence stays. Not INSERT OR
 * REPLACE: the row it deletes fires sequence_owner_gone, which drops the
 * sequence (when a foreign key still checked seq_id, that failed the
 * INSERT and the owner never changed; without it, the new row pointed
 * at a dropped sequence).
 */
void cat_sequence_own(struct catalog *c, cat_id seq, cat_id col)
{
	sqlite3_stmt *st;

	if (!col_ref_ok(c, col, false))
		return;
	st = q(c, "SELECT EXISTS (SELECT 1 FROM sequence_owners WHERE seq_id = ?1)");
	sqlite3_bind_int64(st, 1, seq);
	if (one_int(st, 0))
		cat_sequence_disown(c, seq);
	st = q(c, "INSERT INTO sequence_owners (seq_id, column_id) VALUES (?1, ?2)");
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, col);
	run(c, st);
}

cat_id cat_sequence_owner(struct catalog *c, cat_id seq)
{
	sqlite3_stmt *st = q(c, "SELECT cl.rel_id FROM sequence_owners so JOIN columns cl"
			     " ON cl.id = so.column_id WHERE so.seq_id = ?1");

	sqlite3_bind_int64(st, 1, seq);
	return one_int(st, 0);
}

void cat_sequence_disown(struct catalog *c, cat_id seq)
{
	by_id(c, "INSERT OR IGNORE INTO disowning_sequences VALUES (?1)", seq);
	by_id(c, "DELETE FROM sequence_owners WHERE seq_id = ?1", seq);
	by_id(c, "DELETE FROM disowning_sequences WHERE seq_id = ?1", seq);
}

void cat_col_drop_owned_sequences(struct catalog *c, cat_id col)
{
	by_id(c, "DELETE FROM sequence_owners WHERE column_id = ?1", col);
}

/* ---- saving and loading the whole catalog (cache.c) ---- */

/* A hash of the catalog's schema (its tables, indexes, triggers, views). */
static int schema_hash(sqlite3 *db, uint64_t *out)
{
	sqlite3_stmt *st = NULL;
	uint64_t h = FNV1A64_INIT;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema"
			       " ORDER BY type, name", -1, &st, NULL))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (int i = 0; i < 4; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			h = fnv1a64(t ? (const char *)t : "", t ? strlen((const char *)t) + 1 : 1, h);
		}
	sqlite3_finalize(st);
	*out = h;
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * SQLite's image of the database, then the bytes of the index columns,
 * the constraint columns, the views' dependencies, the indexes
 * (linkstore_save()), the constraints (constore_save()), the relations
 * (relstore_save()) and the columns (colstore_save()), their length
 * and the hash of the schema, each eight bytes little-endian: SQLite's
 * own copy of the database, grown (no second copy of it).
 */
int catalog_save(struct catalog *c, struct cat_image *out)
{
	sqlite3_int64 size = 0;
	unsigned char *image, *grown;
	struct strbuf cols;
	uint64_t hash;
	int ret = -1;

	out->data = NULL;
	out->len = 0;
	strbuf_init(&cols);
	links_save(c, &cols);
	constore_save(&c->cons, &cols);
	relstore_save(&c->rels, &cols);
	colstore_save(&c->colstore, &cols);
	release(c);
	image = sqlite3_serialize(c->db, "main", &size, 0);
	hold(c);
	if (!image || schema_hash(c->db, &hash))
		goto out;
	put_u64(&cols, cols.len);
	put_u64(&cols, hash);
	if (!(grown = sqlite3_realloc64(image, (sqlite3_uint64)size + cols.len)))
		goto out;
	image = NULL;
	memcpy(grown + size, cols.buf, cols.len);
	out->data = grown;
	out->len = (size_t)size + cols.len;
	ret = 0;
out:
	sqlite3_free(image);
	strbuf_release(&cols);
	return ret;
}

void cat_image_release(struct cat_image *img)
{
	sqlite3_free(img->data);
	img->data = NULL;
	img->len = 0;
}

/* Room to grow: SQLite copies the whole image into a buffer twice its
   size on the first page it adds beyond the buffer. */
static size_t image_room(size_t len)
{
	return len / 4 > (1 << 20) ? len / 4 : (1 << 20);
}

void *cat_image_alloc(size_t len)
{
	unsigned char *p = sqlite3_malloc64(len + image_room(len));

	if (!p)
		die("out of memory (%zu bytes)", len);
	/* fresh pages one fault at a time cost more than filling them */
	memory_prefault(p, len);
	return p;
}

void cat_image_drop(void *image)
{
	sqlite3_free(image);
}

/*
 * The saved hash stands for the schema this build creates: the cache is
 * keyed by the build and by catalog.sql, so no catalog is created here
 * to compare with (that costs more than reading the image).
 */
int catalog_load(struct catalog **out, void *data, size_t len)
{
	unsigned char *image = data;
	struct catalog *c = NULL;
	size_t db_len, cols_len, links, cons, rels;
	uint64_t want, have;

	*out = NULL;
	if (len <= 16)
		goto fail_image;
	want = get_le(image + len - 8, 8);
	cols_len = (size_t)get_le(image + len - 16, 8);
	if (cols_len > len - 16)
		goto fail_image;
	db_len = len - 16 - cols_len;
	if (connect(&c))
		goto fail_image;
	/* before SQLite owns the buffer: the database may grow over them */
	if (!(links = links_load(c, image + db_len, cols_len)) ||
	    !(cons = constore_load(&c->cons, image + db_len + links, cols_len - links)) ||
	    !(rels = relstore_load(&c->rels, image + db_len + links + cons,
				   cols_len - links - cons)) ||
	    colstore_load(&c->colstore, image + db_len + links + cons + rels,
			  cols_len - links - cons - rels, (uint32_t)c->rels.max_id))
		goto fail_image;
	/* SQLite frees 'image' when this fails */
	if (sqlite3_deserialize(c->db, "main", image, (sqlite3_int64)db_len,
				(sqlite3_int64)(len + image_room(len)),
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE))
		goto fail;
	settle(c);
	/* SQLite answers SQLITE_CORRUPT for a damaged file, never crashes;
	   the catalog's own queries must compile against it */
	if (schema_hash(c->db, &have) || have != want || paths_load(c))
		goto fail;
	hold(c);
	*out = c;
	return 0;
fail_image:
	sqlite3_free(image);
fail:
	catalog_free(c);
	return -1;
}
