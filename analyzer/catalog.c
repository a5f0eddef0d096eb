/*
 * catalog.c - the schema model in an in-memory SQLite database.
 *
 * Every query is a string literal; prepared statements are cached by the
 * literal's address, so each is compiled once per run.
 */
#include "catalog.h"
#include "sqlite_mem.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
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
 * Lookups answered from C: replay, the lock table and the rules ask for
 * the same few relations, columns and types of a statement, and many
 * lookups miss (the name a CREATE is about to take; a built-in type
 * searched for in the user's schema). The update hook keeps the answers
 * true (see row_changed()): a row that is updated or deleted takes its
 * cached copy with it, and a row inserted or updated retires every
 * cached "no such object" of its kind, counted by a generation.
 */
#define REL_CACHE 2048
#define COL_CACHE 2048
#define TYPE_CACHE 64

struct rel_slot {
	bool found;             /* or: none while neg equals catalog.rel_neg */
	uint64_t neg;
	cat_id schema;
	char name[NAME_MAX_BYTES + 1];
	struct cat_rel rel;
};

struct col_slot {
	bool found;             /* or: none while neg equals catalog.col_neg */
	uint64_t neg;
	cat_id rel;
	struct cat_col col;     /* col.name is the key; type points into it */
};

struct type_slot {
	cat_id id;              /* or: none while neg equals catalog.type_neg */
	uint64_t neg;
	cat_id schema;
	char name[NAME_MAX_BYTES + 1];
	char kind;
};

/* The highest attnum of a relation's columns while gen equals
   catalog.attnum_gen: a table's columns are added one by one, and
   max(attnum) reads every column the table has so far. */
#define ATTNUM_CACHE 64

struct attnum_slot {
	uint64_t gen;
	cat_id rel;
	int max;
};

struct catalog {
	sqlite3 *db;
	/* generations: start at 1, slots at 0 */
	uint64_t rel_neg, col_neg, type_neg, attnum_gen;
	uint64_t names_freed;   /* cat_names_freed() */
	struct rel_slot rels[REL_CACHE];
	struct col_slot cols[COL_CACHE];
	/* the slot (index + 1) that holds the row of an id, by the id's low
	   bits: every slot found holds is reachable from here, so the update
	   hook forgets a row without searching (a slot whose entry another
	   row's takes is emptied) */
	uint16_t rel_by_id[REL_CACHE];
	uint16_t col_by_id[COL_CACHE];
	struct type_slot types[TYPE_CACHE];
	/* the ids of the relations ever given a child (partition or
	   inheritance) by cat_rel_set_parent(), the only way to one, as
	   bits: a relation whose bit is clear has none, without asking */
	uint64_t *parents;
	size_t parents_words;
	struct attnum_slot attnums[ATTNUM_CACHE];
	struct stmt_slot cache[STMT_CACHE];
	struct schema_slot schemas[SCHEMA_CACHE];
	int nr_schemas;         /* valid slots; 0 after any schema change */
	/* the one row the running INSERT adds, when its key is known: it
	   retires the one "no such object" that it makes wrong */
	const char *keyed_table;
	cat_id key_owner;
	const char *key_name;
	/* The relation cat_rel_create() made last, while all its columns
	   came through cat_col_add(): the hashes of their names (as
	   cat_col_find() takes them), complete, so a name not among them is
	   no column without asking SQLite: the names a CREATE TABLE adds one
	   by one. fresh_rel 0: none; any other change to columns ends it. */
	cat_id fresh_rel;
	uint64_t *fresh;        /* open addressing, 0 free */
	size_t fresh_alloc, fresh_nr;
	/* Every (schema, name) a relation or a type has had, as a Bloom
	   filter: a name it has not seen is neither, without asking SQLite
	   (the name a CREATE is about to take, a built-in type looked for
	   in the user's schema). Names only join it: a dropped object
	   leaves a false "maybe", which SQLite then answers. */
	enum { NAMES_NONE, NAMES_STALE, NAMES_VALID } names_state;
	uint64_t *names;        /* names_bits bits */
	size_t names_bits, names_nr;
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

static void forget_rel(struct catalog *c, cat_id id)
{
	struct rel_slot *r;
	uint16_t i = id ? c->rel_by_id[(uint64_t)id & (REL_CACHE - 1)] : 0;

	if (!id) {
		for (int k = 0; k < REL_CACHE; k++)
			if (c->rels[k].found)
				c->rels[k].found = false, c->rels[k].neg = 0;
		return;
	}
	if (i && (r = &c->rels[i - 1])->found && r->rel.id == id)
		r->found = false, r->neg = 0;
}

static void forget_col(struct catalog *c, cat_id id)
{
	struct col_slot *k;
	uint16_t i = c->col_by_id[(uint64_t)id & (COL_CACHE - 1)];

	if (i && (k = &c->cols[i - 1])->found && k->col.id == id)
		k->found = false, k->neg = 0;
}

/* Slot 'slot' now holds the row of 'id': make it the one by_id finds. */
static void rel_held(struct catalog *c, struct rel_slot *slot)
{
	uint16_t *e = &c->rel_by_id[(uint64_t)slot->rel.id & (REL_CACHE - 1)];
	uint16_t i = (uint16_t)(slot - c->rels + 1);

	if (*e && *e != i && c->rels[*e - 1].found)
		c->rels[*e - 1].found = false, c->rels[*e - 1].neg = 0;
	*e = i;
}

static void col_held(struct catalog *c, struct col_slot *slot)
{
	uint16_t *e = &c->col_by_id[(uint64_t)slot->col.id & (COL_CACHE - 1)];
	uint16_t i = (uint16_t)(slot - c->cols + 1);

	if (*e && *e != i && c->cols[*e - 1].found)
		c->cols[*e - 1].found = false, c->cols[*e - 1].neg = 0;
	*e = i;
}

static void forget_type(struct catalog *c, cat_id id)
{
	for (int i = 0; i < TYPE_CACHE; i++)
		if (c->types[i].id == id)
			c->types[i].id = 0, c->types[i].neg = 0;
}

/* A column's key: its slot in cols, its entry in the fresh set (never 0). */
static uint64_t col_key(cat_id rel, const char *name, size_t len)
{
	uint64_t h = fnv1a64(name, len, (uint64_t)rel);

	return h ? h : 1;
}

/* The cached "no such object" for one key, if there is one, goes. */
static void retire_none(struct catalog *c, const char *table, cat_id owner, const char *name)
{
	bool columns = !strcmp(table, "columns");
	size_t len = strlen(name);
	uint64_t h = columns ? col_key(owner, name, len) : fnv1a64(name, len, (uint64_t)owner);

	if (!strcmp(table, "relations")) {
		struct rel_slot *r = &c->rels[h & (REL_CACHE - 1)];

		if (!r->found && r->schema == owner && !strcmp(r->name, name))
			r->neg = 0;
	} else if (columns) {
		struct col_slot *k = &c->cols[h & (COL_CACHE - 1)];

		if (!k->found && k->rel == owner && !strcmp(k->col.name, name))
			k->neg = 0;
	} else {
		struct type_slot *t = &c->types[h & (TYPE_CACHE - 1)];

		if (!t->id && t->schema == owner && !strcmp(t->name, name))
			t->neg = 0;
	}
}

static void fresh_start(struct catalog *c, cat_id rel)
{
	c->fresh_rel = rel;
	c->fresh_nr = 0;
	if (c->fresh)
		memset(c->fresh, 0, c->fresh_alloc * sizeof(*c->fresh));
}

static bool fresh_has(const struct catalog *c, uint64_t h)
{
	for (size_t i = h & (c->fresh_alloc - 1); c->fresh_alloc; i = (i + 1) & (c->fresh_alloc - 1)) {
		if (c->fresh[i] == h)
			return true;
		if (!c->fresh[i])
			return false;
	}
	return false;
}

static void fresh_put(uint64_t *set, size_t alloc, uint64_t h)
{
	size_t i = h & (alloc - 1);

	while (set[i] && set[i] != h)
		i = (i + 1) & (alloc - 1);
	set[i] = h;
}

static void fresh_add(struct catalog *c, uint64_t h)
{
	if (2 * (c->fresh_nr + 1) > c->fresh_alloc) {
		size_t alloc = c->fresh_alloc ? 2 * c->fresh_alloc : 64;
		uint64_t *set = xcalloc(alloc, sizeof(*set));

		for (size_t i = 0; i < c->fresh_alloc; i++)
			if (c->fresh[i])
				fresh_put(set, alloc, c->fresh[i]);
		free(c->fresh);
		c->fresh = set;
		c->fresh_alloc = alloc;
	}
	fresh_put(c->fresh, c->fresh_alloc, h);
	c->fresh_nr++;
}

/*
 * The name filter (catalog.names): three bits a name. A catalog loaded
 * from an image has none (NAMES_NONE: a pre-commit run asks few
 * questions, and reading every name would cost more). Moving objects
 * between schemas, renaming a type, an INSERT whose name is not known
 * here, and a filter grown past an eighth of its bits make it stale:
 * rebuilt from the tables on the next question.
 */
#define NAMES_MIN_BITS (1u << 16)

static sqlite3_stmt *q(struct catalog *c, const char *sql);
static int64_t one_int(sqlite3_stmt *st, int64_t dflt);

static uint64_t name_key(cat_id owner, const char *name, size_t len)
{
	return fnv1a64(name, len, (uint64_t)owner);
}

/* The i-th (of three) bit of a name's key h. */
static size_t names_bit(const struct catalog *c, uint64_t h, int i)
{
	return (h + (uint64_t)i * ((h >> 32) | 1)) & (c->names_bits - 1);
}

static void names_set(struct catalog *c, uint64_t h)
{
	for (int i = 0; i < 3; i++) {
		size_t bit = names_bit(c, h, i);

		c->names[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
}

static void names_add(struct catalog *c, cat_id owner, const char *name)
{
	if (c->names_state != NAMES_VALID)
		return;
	if (++c->names_nr * 8 > c->names_bits) {
		c->names_state = NAMES_STALE;
		return;
	}
	names_set(c, name_key(owner, name, strlen(name)));
}

static void names_stale(struct catalog *c)
{
	if (c->names_state == NAMES_VALID)
		c->names_state = NAMES_STALE;
}

static int names_rebuild(struct catalog *c)
{
	sqlite3_stmt *st = q(c, "SELECT (SELECT count(*) FROM relations) +"
			     " (SELECT count(*) FROM types)");
	size_t bits = NAMES_MIN_BITS;
	int rc;

	c->names_nr = (size_t)one_int(st, 0);
	while (c->names_nr * 16 > bits)
		bits *= 2;
	free(c->names);
	c->names = xcalloc(bits / 64, sizeof(*c->names));
	c->names_bits = bits;
	st = q(c, "SELECT schema_id, name FROM relations UNION ALL SELECT schema_id, name FROM types");
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
	for (int i = 0; i < 3; i++) {
		size_t bit = names_bit(c, h, i);

		if (!(c->names[bit / 64] & ((uint64_t)1 << (bit % 64))))
			return false;
	}
	return true;
}

/*
 * sqlite3_update_hook: every row inserted, updated or deleted, including
 * the rows that ON DELETE CASCADE / SET NULL and the catalog's triggers
 * change (the catalog has no WITHOUT ROWID table, which the hook would
 * not see). A relation's cached row carries its schema's name.
 */
static void row_changed(void *data, int op, const char *db, const char *table,
			sqlite3_int64 row)
{
	struct catalog *c = data;

	(void)db;
	if (op != SQLITE_INSERT && (!strcmp(table, "relations") || !strcmp(table, "types") ||
				    !strcmp(table, "constraints")))
		c->names_freed++;
	if (op == SQLITE_INSERT && c->keyed_table && !strcmp(table, c->keyed_table)) {
		retire_none(c, table, c->key_owner, c->key_name);
		if (c->fresh_rel && c->key_owner == c->fresh_rel && !strcmp(table, "columns"))
			fresh_add(c, col_key(c->key_owner, c->key_name, strlen(c->key_name)));
		else if (!strcmp(table, "relations") || !strcmp(table, "types"))
			names_add(c, c->key_owner, c->key_name);
		c->keyed_table = NULL;
		return;
	}
	/* only the functions that rename or move say what a name becomes */
	if (op == SQLITE_INSERT && (!strcmp(table, "relations") || !strcmp(table, "types")))
		names_stale(c);
	if (!strcmp(table, "columns"))
		c->fresh_rel = 0;
	if (!strcmp(table, "relations")) {
		if (op != SQLITE_DELETE)
			c->rel_neg++;
		if (op != SQLITE_INSERT)
			forget_rel(c, row);
	} else if (!strcmp(table, "columns")) {
		if (op != SQLITE_DELETE)
			c->col_neg++;
		if (op != SQLITE_INSERT)
			forget_col(c, row);
		if (op != SQLITE_UPDATE)   /* no UPDATE sets attnum */
			c->attnum_gen++;
	} else if (!strcmp(table, "types")) {
		if (op != SQLITE_DELETE)
			c->type_neg++;
		if (op != SQLITE_INSERT)
			forget_type(c, row);
	} else if (!strcmp(table, "schemas") && op == SQLITE_UPDATE) {
		forget_rel(c, 0);
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

/* Step a statement that returns no rows. */
static void run(struct catalog *c, sqlite3_stmt *st)
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
	if (c->views_pending && !c->dropping_views)
		drop_pending_views(c);
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
 * view_dep_gone trigger queued them), then the views that leaves so,
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
			by_id(c, "DELETE FROM relations WHERE id = ?1", ids[i]);
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

/* Under AddressSanitizer SQLite keeps malloc(), which ASan watches. */
#if defined(__SANITIZE_ADDRESS__)
#define OWN_SQLITE_MEM 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OWN_SQLITE_MEM 0
#endif
#endif
#ifndef OWN_SQLITE_MEM
#define OWN_SQLITE_MEM 1
#endif

void catalog_single_thread(void)
{
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK)
		return;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (OWN_SQLITE_MEM)
		sqlite3_config(SQLITE_CONFIG_MALLOC, sqlite_mem_methods());
}

/* An empty in-memory database with the connection set up for the catalog. */
static int connect(struct catalog **out)
{
	struct catalog *c = xcalloc(1, sizeof(*c));

	*out = c;
	c->origin.file_index = -1;
	c->rel_neg = c->col_neg = c->type_neg = c->attnum_gen = 1;
	/* only the main thread uses the catalog (prefetch.c parses, never
	   asks it): no mutex around every call */
	if (sqlite3_open_v2(":memory:", &c->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL))
		return -1;
	/* a view on a view goes when the first one goes: triggers that fire
	   triggers */
	if (sqlite3_exec(c->db, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
			 " PRAGMA recursive_triggers=ON;", NULL, NULL, NULL))
		return -1;
	sqlite3_update_hook(c->db, row_changed, c);
	/* before the schema: the "file" columns are computed by it */
	if (sqlite3_create_function(c->db, "migsafe_file", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				    c, file_fn, NULL, NULL))
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
	*out = c;
	return 0;
fail:
	error("cannot create the schema catalog: %s", err ? err : sqlite3_errmsg(c->db));
	sqlite3_free(err);
	catalog_free(c);
	*out = NULL;
	return -1;
}

void catalog_free(struct catalog *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < STMT_CACHE; i++)
		if (c->cache[i].st)
			sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
	for (i = 0; i < c->nr_paths; i++)
		free(c->paths[i]);
	free(c->paths);
	free(c->path_slots);
	free(c->parents);
	free(c->names);
	free(c->fresh);
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

cat_id cat_schema_find(struct catalog *c, const char *name)
{
	sqlite3_stmt *st;
	struct schema_slot *slot;
	cat_id id;

	if (!name || strlen(name) > NAME_MAX_BYTES)
		return 0;
	for (int i = 0; i < c->nr_schemas; i++)
		if (!strcmp(c->schemas[i].name, name))
			return c->schemas[i].id;
	st = q(c, "SELECT id FROM schemas WHERE name = ?1");
	bind_text(st, 1, name);
	id = one_int(st, 0);
	if (c->nr_schemas < SCHEMA_CACHE) {
		slot = &c->schemas[c->nr_schemas++];
		memcpy(slot->name, name, strlen(name) + 1);
		slot->id = id;
	}
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

#define REL_COLS "r.id, r.schema_id, s.name, r.name, r.kind, r.table_id, r.created_file, r.in_range," \
	" r.columns_unknown"

static int rel_row(sqlite3_stmt *st, struct cat_rel *out)
{
	int found = sqlite3_step(st) == SQLITE_ROW;

	if (found && out) {
		out->id = sqlite3_column_int64(st, 0);
		out->schema_id = sqlite3_column_int64(st, 1);
		copy_name(out->schema, sqlite3_column_text(st, 2));
		copy_name(out->name, sqlite3_column_text(st, 3));
		out->kind = (enum rel_kind)sqlite3_column_text(st, 4)[0];
		out->table_id = sqlite3_column_int64(st, 5);
		out->created_file = sqlite3_column_int(st, 6);
		out->in_range = sqlite3_column_int(st, 7);
		out->columns_unknown = sqlite3_column_int(st, 8);
	}
	sqlite3_reset(st);
	return found ? 0 : -1;
}

int cat_rel_find(struct catalog *c, cat_id schema, const char *name, struct cat_rel *out)
{
	sqlite3_stmt *st;
	struct rel_slot *slot;
	size_t len = name ? strlen(name) : 0;
	int ret;

	if (!name || len > NAME_MAX_BYTES)
		return -1;
	slot = &c->rels[fnv1a64(name, len, (uint64_t)schema) & (REL_CACHE - 1)];
	if ((slot->found || slot->neg == c->rel_neg) && slot->schema == schema &&
	    !strcmp(slot->name, name))
		goto out;
	if (!names_may_have(c, schema, name, len)) {
		slot->found = false;
	} else {
		st = q(c, "SELECT " REL_COLS " FROM relations r JOIN schemas s"
		       " ON s.id = r.schema_id WHERE r.schema_id = ?1 AND r.name = ?2");
		sqlite3_bind_int64(st, 1, schema);
		bind_text(st, 2, name);
		slot->found = !rel_row(st, &slot->rel);
		if (slot->found)
			rel_held(c, slot);
	}
	slot->neg = c->rel_neg;
	slot->schema = schema;
	memcpy(slot->name, name, len + 1);
out:
	ret = slot->found ? 0 : -1;
	if (!ret && out)
		*out = slot->rel;
	return ret;
}

int cat_rel_get(struct catalog *c, cat_id id, struct cat_rel *out)
{
	sqlite3_stmt *st = q(c, "SELECT " REL_COLS " FROM relations r JOIN schemas s"
			     " ON s.id = r.schema_id WHERE r.id = ?1");

	sqlite3_bind_int64(st, 1, id);
	return rel_row(st, out);
}

/* PostgreSQL: a table's row type shares pg_type with user types. */
bool cat_rel_name_free(struct catalog *c, cat_id schema, const char *name)
{
	return cat_rel_find(c, schema, name, NULL) && !cat_type_find(c, schema, name, NULL);
}

cat_id cat_rel_create(struct catalog *c, cat_id schema, const char *name,
		      enum rel_kind kind, cat_id table_id)
{
	sqlite3_stmt *st = q(c, "INSERT INTO relations (schema_id, name, kind, table_id,"
			     " created_file, in_range, file_ref, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	char k[2] = { (char)kind, 0 };
	cat_id id;

	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	bind_text(st, 3, k);
	bind_id(st, 4, table_id);
	bind_origin(c, st, 5);
	id = run_keyed_insert(c, st, "relations", schema, name);
	/* an index or a sequence made on the way leaves the table fresh */
	if (id && (kind == REL_TABLE || kind == REL_PARTITIONED))
		fresh_start(c, id);
	return id;
}

void cat_rel_drop(struct catalog *c, cat_id rel)
{
	by_id(c, "DELETE FROM relations WHERE id = ?1", rel);
}

void cat_rel_rename(struct catalog *c, cat_id rel, const char *name)
{
	struct cat_rel r;

	if (c->names_state == NAMES_VALID) {
		if (cat_rel_get(c, rel, &r))
			names_stale(c);
		else
			names_add(c, r.schema_id, name);
	}
	by_id_text(c, "UPDATE relations SET name = ?2 WHERE id = ?1", rel, name);
}

void cat_rel_set_schema(struct catalog *c, cat_id rel, cat_id schema)
{
	sqlite3_stmt *st = q(c, "UPDATE relations SET schema_id = ?2 WHERE id = ?1 OR table_id = ?1");

	names_stale(c);
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int64(st, 2, schema);
	run(c, st);
}

void cat_rel_set_kind(struct catalog *c, cat_id rel, enum rel_kind kind)
{
	sqlite3_stmt *st = q(c, "UPDATE relations SET kind = ?2 WHERE id = ?1");
	char k[2] = { (char)kind, 0 };

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, k);
	run(c, st);
}

static void parent_mark(struct catalog *c, cat_id id)
{
	size_t w = (size_t)id / 64;

	if (id <= 0)
		return;
	if (w >= c->parents_words) {
		size_t words = w + 1 > 2 * c->parents_words ? w + 1 : 2 * c->parents_words;

		c->parents = xrealloc(c->parents, words * sizeof(*c->parents));
		memset(c->parents + c->parents_words, 0,
		       (words - c->parents_words) * sizeof(*c->parents));
		c->parents_words = words;
	}
	c->parents[w] |= (uint64_t)1 << (id % 64);
}

static bool parent_maybe(const struct catalog *c, cat_id id)
{
	size_t w = (size_t)id / 64;

	return id > 0 && w < c->parents_words && (c->parents[w] >> (id % 64) & 1);
}

/* A loaded image's parents. */
static int parents_load(struct catalog *c)
{
	sqlite3_stmt *st = q(c, "SELECT DISTINCT parent_id FROM relations"
			     " WHERE parent_id IS NOT NULL");
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		parent_mark(c, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void cat_rel_set_parent(struct catalog *c, cat_id rel, cat_id parent)
{
	sqlite3_stmt *st = q(c, "UPDATE relations SET parent_id = ?2 WHERE id = ?1");

	if (parent)
		parent_mark(c, parent);

	sqlite3_bind_int64(st, 1, rel);
	bind_id(st, 2, parent);
	run(c, st);
}

void cat_rel_set_flag(struct catalog *c, cat_id rel, const char *column, int value)
{
	sqlite3_stmt *st;

	if (!strcmp(column, "unlogged"))
		st = q(c, "UPDATE relations SET unlogged = ?2 WHERE id = ?1");
	else if (!strcmp(column, "rls_enabled"))
		st = q(c, "UPDATE relations SET rls_enabled = ?2 WHERE id = ?1");
	else if (!strcmp(column, "rls_forced"))
		st = q(c, "UPDATE relations SET rls_forced = ?2 WHERE id = ?1");
	else if (!strcmp(column, "columns_unknown"))
		st = q(c, "UPDATE relations SET columns_unknown = ?2 WHERE id = ?1");
	else
		BUG("no relation flag '%s'", column);
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int(st, 2, value);
	run(c, st);
}

void cat_rel_set_text(struct catalog *c, cat_id rel, const char *column, const char *text)
{
	sqlite3_stmt *st;

	if (!strcmp(column, "comment"))
		st = q(c, "UPDATE relations SET comment = ?2 WHERE id = ?1");
	else if (!strcmp(column, "definition"))
		st = q(c, "UPDATE relations SET definition = ?2 WHERE id = ?1");
	else
		BUG("no relation text '%s'", column);
	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, text);
	run(c, st);
}

/* ---- columns ---- */

#define COL_COLS "id, rel_id, attnum, name, type_name, type_schema, typmod1, typmod2," \
	" array_dims, not_null, default_expr IS NOT NULL, default_volatility, identity," \
	" generated IS NOT NULL, created_file"

static void col_from_row(sqlite3_stmt *st, struct cat_col *o)
{
	const unsigned char *s;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(st, 0);
	o->rel_id = sqlite3_column_int64(st, 1);
	o->attnum = sqlite3_column_int(st, 2);
	copy_name(o->name, sqlite3_column_text(st, 3));
	copy_name(o->type_name, sqlite3_column_text(st, 4));
	copy_name(o->type_schema, sqlite3_column_text(st, 5));
	o->type.name = o->type_name;
	o->type.schema = o->type_schema[0] ? o->type_schema : NULL;
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		o->type.mods[0] = sqlite3_column_int(st, 6);
		o->type.nr_mods = 1;
	}
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		o->type.mods[1] = sqlite3_column_int(st, 7);
		o->type.nr_mods = 2;
	}
	o->type.array_dims = sqlite3_column_int(st, 8);
	o->not_null = sqlite3_column_int(st, 9);
	o->has_default = sqlite3_column_int(st, 10);
	s = sqlite3_column_text(st, 11);
	o->default_volatility = s ? (char)s[0] : 0;
	s = sqlite3_column_text(st, 12);
	o->identity = s ? (char)s[0] : 0;
	o->generated = sqlite3_column_int(st, 13);
	o->created_file = sqlite3_column_int(st, 14);
}

static int col_row(sqlite3_stmt *st, struct cat_col *out)
{
	int found = sqlite3_step(st) == SQLITE_ROW;

	if (found && out)
		col_from_row(st, out);
	sqlite3_reset(st);
	return found ? 0 : -1;
}

/* A copy of a cached column whose type points into the copy. */
static void col_copy(struct cat_col *dst, const struct cat_col *src)
{
	*dst = *src;
	dst->type.name = dst->type_name;
	dst->type.schema = dst->type_schema[0] ? dst->type_schema : NULL;
}

int cat_col_find(struct catalog *c, cat_id rel, const char *name, struct cat_col *out)
{
	sqlite3_stmt *st;
	struct col_slot *slot;
	size_t len = name ? strlen(name) : 0;
	uint64_t h;
	int ret;

	if (!name || len > NAME_MAX_BYTES)
		return -1;
	h = col_key(rel, name, len);
	slot = &c->cols[h & (COL_CACHE - 1)];
	if ((slot->found || slot->neg == c->col_neg) && slot->rel == rel &&
	    !strcmp(slot->col.name, name))
		goto out;
	if (rel && rel == c->fresh_rel && !fresh_has(c, h)) {
		slot->found = false;
	} else {
		st = q(c, "SELECT " COL_COLS " FROM columns WHERE rel_id = ?1 AND name = ?2");
		sqlite3_bind_int64(st, 1, rel);
		bind_text(st, 2, name);
		slot->found = !col_row(st, &slot->col);
		if (slot->found)
			col_held(c, slot);
	}
	slot->neg = c->col_neg;
	slot->rel = rel;
	memcpy(slot->col.name, name, len + 1);
out:
	ret = slot->found ? 0 : -1;
	if (!ret && out)
		col_copy(out, &slot->col);
	return ret;
}

int cat_col_get(struct catalog *c, cat_id id, struct cat_col *out)
{
	sqlite3_stmt *st = q(c, "SELECT " COL_COLS " FROM columns WHERE id = ?1");

	sqlite3_bind_int64(st, 1, id);
	return col_row(st, out);
}

int cat_col_list(struct catalog *c, cat_id rel, struct cat_col **cols, int *nr)
{
	sqlite3_stmt *st = q(c, "SELECT " COL_COLS " FROM columns WHERE rel_id = ?1 ORDER BY attnum");
	struct cat_col *v = NULL;
	int n = 0;
	size_t alloc = 0;

	sqlite3_bind_int64(st, 1, rel);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(v, (size_t)n + 1, alloc);
		col_from_row(st, &v[n++]);
	}
	sqlite3_reset(st);
	/* the type name pointers must point into the final array */
	for (int i = 0; i < n; i++) {
		v[i].type.name = v[i].type_name;
		v[i].type.schema = v[i].type_schema[0] ? v[i].type_schema : NULL;
	}
	*cols = v;
	*nr = n;
	return 0;
}

static void bind_type(sqlite3_stmt *st, int first, const struct type_ref *t)
{
	struct strbuf sb;

	strbuf_init(&sb);
	type_format(t, &sb);
	sqlite3_bind_text(st, first, sb.buf, (int)sb.len, SQLITE_TRANSIENT);
	strbuf_release(&sb);
	bind_text(st, first + 1, t->schema);
	bind_text(st, first + 2, t->name ? t->name : "unknown");
	if (t->nr_mods >= 1)
		sqlite3_bind_int(st, first + 3, t->mods[0]);
	else
		sqlite3_bind_null(st, first + 3);
	if (t->nr_mods >= 2)
		sqlite3_bind_int(st, first + 4, t->mods[1]);
	else
		sqlite3_bind_null(st, first + 4);
	sqlite3_bind_int(st, first + 5, t->array_dims);
}

static void bind_char(sqlite3_stmt *st, int i, char ch)
{
	char s[2] = { ch, 0 };

	if (ch)
		sqlite3_bind_text(st, i, s, 1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* The attnum the next column of 'rel' gets: one past the highest. */
static struct attnum_slot *next_attnum(struct catalog *c, cat_id rel)
{
	struct attnum_slot *slot = &c->attnums[(uint64_t)rel & (ATTNUM_CACHE - 1)];
	sqlite3_stmt *st;

	if (slot->gen == c->attnum_gen && slot->rel == rel)
		return slot;
	st = q(c, "SELECT coalesce(max(attnum), 0) FROM columns WHERE rel_id = ?1");
	sqlite3_bind_int64(st, 1, rel);
	slot->max = (int)one_int(st, 0);
	slot->rel = rel;
	slot->gen = c->attnum_gen;
	return slot;
}

/*
 * The row cat_col_add() just inserted, as col_from_row() would read it
 * back, in the slot a lookup of its name goes to: a column is mostly
 * named again soon after it is made (its table's constraints, indexes,
 * the foreign keys that reference it).
 */
static void col_prefill(struct catalog *c, cat_id rel, cat_id id, int attnum,
			const struct cat_col_def *d)
{
	const struct type_ref *t = d->type;
	size_t len = strlen(d->name);
	struct col_slot *slot;
	struct cat_col *o;

	if (len > NAME_MAX_BYTES)
		return;
	slot = &c->cols[col_key(rel, d->name, len) & (COL_CACHE - 1)];
	o = &slot->col;
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->rel_id = rel;
	o->attnum = attnum;
	memcpy(o->name, d->name, len + 1);
	copy_name(o->type_name, (const unsigned char *)(t->name ? t->name : "unknown"));
	copy_name(o->type_schema, (const unsigned char *)t->schema);
	o->type.name = o->type_name;
	o->type.schema = o->type_schema[0] ? o->type_schema : NULL;
	o->type.nr_mods = t->nr_mods >= 2 ? 2 : t->nr_mods >= 1 ? 1 : 0;
	for (int i = 0; i < o->type.nr_mods; i++)
		o->type.mods[i] = t->mods[i];
	o->type.array_dims = t->array_dims;
	o->not_null = d->not_null;
	o->has_default = d->default_expr != NULL;
	o->default_volatility = d->default_volatility;
	o->identity = d->identity;
	o->generated = d->generated != NULL;
	o->created_file = c->origin.file_index;
	slot->found = true;
	slot->neg = 0;
	slot->rel = rel;
	col_held(c, slot);
}

cat_id cat_col_add(struct catalog *c, cat_id rel, const struct cat_col_def *d)
{
	struct attnum_slot *slot = next_attnum(c, rel);
	sqlite3_stmt *st = q(c, "INSERT INTO columns (rel_id, attnum, name, type, type_schema,"
		" type_name, typmod1, typmod2, array_dims, not_null, default_expr,"
		" default_volatility, identity, generated, created_file, in_range, file_ref, line)"
		" VALUES (?1, ?18, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
		" ?16, ?17)");
	int attnum = slot->max + 1;
	cat_id id;

	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int(st, 18, attnum);
	bind_text(st, 2, d->name);
	bind_type(st, 3, d->type);
	sqlite3_bind_int(st, 9, d->not_null);
	bind_text(st, 10, d->default_expr);
	bind_char(st, 11, d->default_volatility);
	bind_char(st, 12, d->identity);
	bind_text(st, 13, d->generated);
	bind_origin(c, st, 14);
	id = run_keyed_insert(c, st, "columns", rel, d->name);
	if (id) {
		/* a keyed INSERT leaves the slots to us (row_changed()) */
		slot->max = attnum;
		slot->rel = rel;
		slot->gen = c->attnum_gen;
		col_prefill(c, rel, id, attnum, d);
	}
	return id;
}

void cat_col_drop(struct catalog *c, cat_id col)
{
	by_id(c, "DELETE FROM columns WHERE id = ?1", col);
}

void cat_col_rename(struct catalog *c, cat_id col, const char *name)
{
	by_id_text(c, "UPDATE columns SET name = ?2 WHERE id = ?1", col, name);
}

void cat_col_set_type(struct catalog *c, cat_id col, const struct type_ref *t)
{
	sqlite3_stmt *st = q(c, "UPDATE columns SET type = ?2, type_schema = ?3, type_name = ?4,"
			     " typmod1 = ?5, typmod2 = ?6, array_dims = ?7 WHERE id = ?1");

	sqlite3_bind_int64(st, 1, col);
	bind_type(st, 2, t);
	run(c, st);
}

void cat_col_set_not_null(struct catalog *c, cat_id col, bool not_null)
{
	sqlite3_stmt *st = q(c, "UPDATE columns SET not_null = ?2 WHERE id = ?1");

	sqlite3_bind_int64(st, 1, col);
	sqlite3_bind_int(st, 2, not_null);
	run(c, st);
}

void cat_col_set_default(struct catalog *c, cat_id col, const char *expr, char volatility)
{
	sqlite3_stmt *st = q(c, "UPDATE columns SET default_expr = ?2, default_volatility = ?3"
			     " WHERE id = ?1");

	sqlite3_bind_int64(st, 1, col);
	bind_text(st, 2, expr);
	bind_char(st, 3, expr ? volatility : 0);
	run(c, st);
}

void cat_col_set_identity(struct catalog *c, cat_id col, char identity)
{
	sqlite3_stmt *st = q(c, "UPDATE columns SET identity = ?2 WHERE id = ?1");

	sqlite3_bind_int64(st, 1, col);
	bind_char(st, 2, identity);
	run(c, st);
}

void cat_col_set_generated(struct catalog *c, cat_id col, const char *expr)
{
	by_id_text(c, "UPDATE columns SET generated = ?2 WHERE id = ?1", col, expr);
}

void cat_col_set_type_text(struct catalog *c, cat_id col, const char *text)
{
	sqlite3_stmt *st = q(c, "UPDATE columns SET type = ?2 WHERE id = ?1");

	sqlite3_bind_int64(st, 1, col);
	bind_text(st, 2, text ? text : "");
	run(c, st);
}

/* ---- constraints ---- */

static int con_row(sqlite3_stmt *st, struct cat_con *o)
{
	int found = sqlite3_step(st) == SQLITE_ROW;

	if (found && o) {
		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(st, 0);
		o->rel_id = sqlite3_column_int64(st, 1);
		copy_name(o->name, sqlite3_column_text(st, 2));
		o->kind = (enum con_kind)sqlite3_column_text(st, 3)[0];
		o->validated = sqlite3_column_int(st, 4);
		o->ref_rel_id = sqlite3_column_int64(st, 5);
		o->index_id = sqlite3_column_int64(st, 6);
		copy_name(o->not_null_column, sqlite3_column_text(st, 7));
	}
	sqlite3_reset(st);
	return found ? 0 : -1;
}

int cat_con_find(struct catalog *c, cat_id rel, const char *name, struct cat_con *out)
{
	sqlite3_stmt *st = q(c, "SELECT id, rel_id, name, kind, validated, ref_rel_id, index_id,"
			     " not_null_column FROM constraints WHERE rel_id = ?1 AND name = ?2");

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, name);
	return con_row(st, out);
}

bool cat_con_name_taken(struct catalog *c, cat_id rel, const char *name)
{
	return !cat_con_find(c, rel, name, NULL);
}

static void con_add_columns(struct catalog *c, cat_id con, const struct cat_con_def *d)
{
	sqlite3_stmt *st;

	for (int i = 0; i < d->nr_columns; i++) {
		st = q(c, "INSERT INTO constraint_columns (con_id, pos, column_id, ref_column_id)"
		       " VALUES (?1, ?2, ?3, ?4)");
		sqlite3_bind_int64(st, 1, con);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_int64(st, 3, d->columns[i]);
		bind_id(st, 4, d->ref_columns ? d->ref_columns[i] : 0);
		run(c, st);
	}
}

cat_id cat_con_add(struct catalog *c, cat_id rel, const struct cat_con_def *d)
{
	sqlite3_stmt *st = q(c, "INSERT INTO constraints (rel_id, name, kind, expr, not_null_column,"
		" validated, ref_rel_id, on_delete, on_update, is_deferrable, index_id, created_file,"
		" in_range, file_ref, line, col, end_line, end_col, start_offset, end_offset, stmt_hash)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		" ?17, ?18, ?19, ?20, ?21)");
	const struct loc *l = &c->origin.loc;
	char hash[17];
	cat_id id;

	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)l->stmt_hash);
	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, d->name);
	bind_char(st, 3, (char)d->kind);
	bind_text(st, 4, d->expr);
	bind_text(st, 5, d->not_null_column);
	sqlite3_bind_int(st, 6, d->validated);
	bind_id(st, 7, d->ref_rel_id);
	bind_char(st, 8, d->kind == CON_FOREIGN ? d->on_delete : 0);
	bind_char(st, 9, d->kind == CON_FOREIGN ? d->on_update : 0);
	sqlite3_bind_int(st, 10, d->deferrable);
	bind_id(st, 11, d->index_id);
	bind_origin(c, st, 12);
	sqlite3_bind_int(st, 16, l->col);
	sqlite3_bind_int(st, 17, l->end_line);
	sqlite3_bind_int(st, 18, l->end_col);
	sqlite3_bind_int64(st, 19, (int64_t)l->start);
	sqlite3_bind_int64(st, 20, (int64_t)l->end);
	bind_text(st, 21, hash);
	id = run_insert(c, st);
	if (id)
		con_add_columns(c, id, d);
	return id;
}

void cat_con_drop(struct catalog *c, cat_id con)
{
	by_id(c, "DELETE FROM constraints WHERE id = ?1", con);
}

void cat_con_rename(struct catalog *c, cat_id con, const char *name)
{
	by_id_text(c, "UPDATE constraints SET name = ?2 WHERE id = ?1", con, name);
}

void cat_con_validate(struct catalog *c, cat_id con)
{
	by_id(c, "UPDATE constraints SET validated = 1 WHERE id = ?1", con);
}

bool cat_has_not_null_check(struct catalog *c, cat_id rel, const char *column)
{
	sqlite3_stmt *st = q(c, "SELECT 1 FROM constraints WHERE rel_id = ?1 AND kind = 'c'"
			     " AND validated AND not_null_column = ?2");

	sqlite3_bind_int64(st, 1, rel);
	bind_text(st, 2, column);
	return one_int(st, 0);
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
	sqlite3_stmt *st;
	int nr_key = 0;

	if (!id)
		return 0;
	for (int i = 0; i < nr_cols; i++)
		nr_key += !cols[i].include;
	st = q(c, "INSERT INTO indexes (rel_id, table_id, is_unique, is_primary, method,"
	       " predicate, nr_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, table);
	sqlite3_bind_int(st, 3, unique);
	sqlite3_bind_int(st, 4, primary);
	bind_text(st, 5, method ? method : "btree");
	bind_text(st, 6, predicate);
	sqlite3_bind_int(st, 7, nr_key);
	run(c, st);
	for (int i = 0; i < nr_cols; i++) {
		st = q(c, "INSERT INTO index_columns (index_id, pos, column_id, expr, is_include,"
		       " descending) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, i + 1);
		bind_id(st, 3, cols[i].column_id);
		bind_text(st, 4, cols[i].expr);
		sqlite3_bind_int(st, 5, cols[i].include);
		sqlite3_bind_int(st, 6, cols[i].desc);
		run(c, st);
	}
	return id;
}

void cat_index_dep(struct catalog *c, cat_id index, cat_id column)
{
	sqlite3_stmt *st = q(c, "INSERT INTO index_deps (index_id, column_id) VALUES (?1, ?2)");

	sqlite3_bind_int64(st, 1, index);
	sqlite3_bind_int64(st, 2, column);
	run(c, st);
}

void cat_index_set_primary(struct catalog *c, cat_id index)
{
	by_id(c, "UPDATE indexes SET is_primary = 1, is_unique = 1 WHERE rel_id = ?1", index);
}

int cat_index_key_columns(struct catalog *c, cat_id index, cat_id **cols, int *nr)
{
	sqlite3_stmt *st = q(c, "SELECT column_id FROM index_columns WHERE index_id = ?1"
			     " AND NOT is_include ORDER BY pos");
	cat_id *v = NULL;
	size_t alloc = 0;
	int n = 0, ret = 0;

	sqlite3_bind_int64(st, 1, index);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(v, (size_t)n + 1, alloc);
		v[n] = sqlite3_column_int64(st, 0);
		if (!v[n++])
			ret = -1;
	}
	sqlite3_reset(st);
	*cols = v;
	*nr = n;
	return ret;
}

static bool fk_refs_exactly(struct catalog *c, cat_id con, const cat_id *cols, int nr)
{
	sqlite3_stmt *st = q(c, "SELECT ref_column_id FROM constraint_columns WHERE con_id = ?1");
	int n = 0, hits = 0;

	sqlite3_bind_int64(st, 1, con);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cat_id id = sqlite3_column_int64(st, 0);

		n++;
		for (int i = 0; i < nr; i++)
			hits += cols[i] == id;
	}
	sqlite3_reset(st);
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

/* Whether a whole index of 'table' starts with 'col'. */
static bool index_starts_with(struct catalog *c, cat_id table, cat_id col)
{
	sqlite3_stmt *st = q(c, "SELECT 1 FROM index_columns ic JOIN indexes i"
			     " ON i.rel_id = ic.index_id WHERE ic.column_id = ?1"
			     " AND ic.pos = 1 AND ic.is_include = 0 AND i.table_id = ?2"
			     " AND i.predicate IS NULL AND i.nr_key >= 1");

	sqlite3_bind_int64(st, 1, col);
	sqlite3_bind_int64(st, 2, table);
	return one_int(st, 0) != 0;
}

bool cat_index_covers(struct catalog *c, cat_id table, const cat_id *cols, int nr)
{
	sqlite3_stmt *st;
	cat_id have[32], index = 0;
	int n = 0;
	bool found = false;

	if (nr <= 0 || nr > (int)ARRAY_SIZE(have))
		return false;
	/* most foreign keys: found from the column's index entries */
	if (nr == 1)
		return index_starts_with(c, table, cols[0]);
	/* the first nr key columns of each whole index, index by index
	   (CROSS JOIN keeps indexes the outer loop: no sort needed) */
	st = q(c, "SELECT ic.index_id, ic.column_id FROM indexes i"
	       " CROSS JOIN index_columns ic ON ic.index_id = i.rel_id"
	       " WHERE i.table_id = ?1 AND i.predicate IS NULL AND i.nr_key >= ?2"
	       " AND ic.pos <= ?2 AND ic.is_include = 0 AND ic.column_id IS NOT NULL");
	sqlite3_bind_int64(st, 1, table);
	sqlite3_bind_int(st, 2, nr);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		cat_id id = sqlite3_column_int64(st, 0);

		if (id != index) {
			found = index && ids_cover(have, n, cols, nr);
			index = id;
			n = 0;
		}
		if (n < nr)
			have[n++] = sqlite3_column_int64(st, 1);
	}
	if (!found)
		found = index && ids_cover(have, n, cols, nr);
	sqlite3_reset(st);
	return found;
}

/* ---- partitions, inheritance and LIKE ---- */

cat_id cat_col_copy(struct catalog *c, cat_id src, cat_id dst, unsigned what)
{
	sqlite3_stmt *st = q(c, "INSERT INTO columns (rel_id, attnum, name, type, type_schema,"
		" type_name, typmod1, typmod2, array_dims, not_null, default_expr,"
		" default_volatility, identity, generated, created_file, in_range, file_ref, line)"
		" SELECT ?2, (SELECT coalesce(max(attnum), 0) + 1 FROM columns WHERE rel_id = ?2),"
		" name, type, type_schema, type_name, typmod1, typmod2, array_dims, not_null,"
		" CASE WHEN ?3 THEN default_expr END, CASE WHEN ?3 THEN default_volatility END,"
		" CASE WHEN ?4 THEN identity END, CASE WHEN ?5 THEN generated END,"
		" ?6, ?7, ?8, ?9 FROM columns WHERE id = ?1");

	sqlite3_bind_int64(st, 1, src);
	sqlite3_bind_int64(st, 2, dst);
	sqlite3_bind_int(st, 3, !!(what & COPY_DEFAULT));
	sqlite3_bind_int(st, 4, !!(what & COPY_IDENTITY));
	sqlite3_bind_int(st, 5, !!(what & COPY_GENERATED));
	bind_origin(c, st, 6);
	return run_insert(c, st);
}

int cat_rel_children(struct catalog *c, cat_id rel, cat_id **ids, int *nr)
{
	sqlite3_stmt *st;
	size_t alloc = 0;

	*ids = NULL;
	*nr = 0;
	if (!parent_maybe(c, rel))
		return 0;
	st = q(c, "SELECT id FROM relations WHERE parent_id = ?1 AND kind <> 'i' ORDER BY id");
	sqlite3_bind_int64(st, 1, rel);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(*ids, (size_t)*nr + 1, alloc);
		(*ids)[(*nr)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return *nr;
}

void cat_con_set_parent(struct catalog *c, cat_id con, cat_id parent_con)
{
	sqlite3_stmt *st = q(c, "UPDATE constraints SET parent_con = ?2 WHERE id = ?1");

	sqlite3_bind_int64(st, 1, con);
	bind_id(st, 2, parent_con);
	run(c, st);
}

void cat_index_set_parent(struct catalog *c, cat_id index, cat_id parent_index)
{
	sqlite3_stmt *st = q(c, "UPDATE indexes SET parent_index = ?2 WHERE rel_id = ?1");

	sqlite3_bind_int64(st, 1, index);
	bind_id(st, 2, parent_index);
	run(c, st);
}

/* Copy one constraint's columns onto 'con' of 'dst', matched by name. */
static void clone_con_columns(struct catalog *c, cat_id from, cat_id con, cat_id dst)
{
	sqlite3_stmt *st = q(c, "INSERT INTO constraint_columns (con_id, pos, column_id, ref_column_id)"
			     " SELECT ?2, cc.pos, d.id, cc.ref_column_id FROM constraint_columns cc"
			     " JOIN columns s ON s.id = cc.column_id"
			     " JOIN columns d ON d.rel_id = ?3 AND d.name = s.name WHERE cc.con_id = ?1");

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, con);
	sqlite3_bind_int64(st, 3, dst);
	run(c, st);
}

int cat_con_clone(struct catalog *c, cat_id src, cat_id dst, char kind, bool inherit)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM constraints WHERE rel_id = ?1 AND kind = ?2"
			     " AND name NOT IN (SELECT name FROM constraints WHERE rel_id = ?3)"
			     " ORDER BY id");
	cat_id *ids = NULL;
	size_t alloc = 0;
	int n = 0;
	char k[2] = { kind, 0 };

	sqlite3_bind_int64(st, 1, src);
	bind_text(st, 2, k);
	sqlite3_bind_int64(st, 3, dst);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ids, (size_t)n + 1, alloc);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		cat_id con;

		st = q(c, "INSERT INTO constraints (rel_id, name, kind, expr, not_null_column,"
		       " validated, ref_rel_id, on_delete, on_update, is_deferrable, created_file,"
		       " in_range, file_ref, line, col, end_line, end_col, start_offset, end_offset,"
		       " stmt_hash, parent_con) SELECT ?2, name, kind, expr, not_null_column,"
		       " validated, ref_rel_id, on_delete, on_update, is_deferrable, created_file,"
		       " in_range, file_ref, line, col, end_line, end_col, start_offset, end_offset,"
		       " stmt_hash, CASE WHEN ?3 THEN id END FROM constraints WHERE id = ?1");
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, dst);
		sqlite3_bind_int(st, 3, inherit);
		if ((con = run_insert(c, st)))
			clone_con_columns(c, ids[i], con, dst);
	}
	free(ids);
	return n;
}

void cat_detach(struct catalog *c, cat_id child)
{
	sqlite3_stmt *st = q(c, "UPDATE constraints SET parent_con = NULL WHERE rel_id = ?1");

	sqlite3_bind_int64(st, 1, child);
	run(c, st);
	st = q(c, "UPDATE indexes SET parent_index = NULL WHERE table_id = ?1");
	sqlite3_bind_int64(st, 1, child);
	run(c, st);
	cat_rel_set_parent(c, child, 0);
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

static void index_info_columns(struct catalog *c, struct cat_index_info *ix)
{
	sqlite3_stmt *st = q(c, "SELECT cl.name, ic.expr, ic.is_include, ic.descending"
			     " FROM index_columns ic LEFT JOIN columns cl ON cl.id = ic.column_id"
			     " WHERE ic.index_id = ?1 ORDER BY ic.pos");
	size_t alloc = 0;

	sqlite3_bind_int64(st, 1, ix->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ix->cols, (size_t)ix->nr_cols + 1, alloc);
		copy_name(ix->cols[ix->nr_cols].name, sqlite3_column_text(st, 0));
		ix->cols[ix->nr_cols].expr = dup_text(st, 1);
		ix->cols[ix->nr_cols].include = sqlite3_column_int(st, 2);
		ix->cols[ix->nr_cols++].desc = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
}

int cat_index_list(struct catalog *c, cat_id table, struct cat_index_info **out, int *nr)
{
	sqlite3_stmt *st = q(c, "SELECT r.id, r.name, i.is_unique, i.is_primary, i.method,"
			     " i.predicate, (SELECT kind FROM constraints WHERE index_id = r.id)"
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
		for (int j = 0; j < list[i].nr_cols; j++)
			free(list[i].cols[j].expr);
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

int cat_rel_dependents(struct catalog *c, cat_id rel, cat_id col, cat_describe_fn fn, void *data)
{
	sqlite3_stmt *st;

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
		"   || ' \"' || r.name || '\"' FROM relations r WHERE r.id IN deps"
		" UNION ALL SELECT 'sequence \"' || r.name || '\"' FROM sequence_owners so"
		"   JOIN relations r ON r.id = so.seq_id JOIN columns cl ON cl.id = so.column_id"
		"   WHERE ?2 <> 0 AND so.column_id = ?2");
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int64(st, 2, col);
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

bool cat_con_name_in_schema(struct catalog *c, cat_id schema, const char *name)
{
	sqlite3_stmt *st = q(c, "SELECT 1 FROM constraints k JOIN relations r ON r.id = k.rel_id"
			     " WHERE r.schema_id = ?1 AND k.name = ?2");

	sqlite3_bind_int64(st, 1, schema);
	bind_text(st, 2, name);
	return one_int(st, 0);
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

/* ---- range queries ---- */

static void fk_columns(struct catalog *c, struct cat_fk *fk)
{
	sqlite3_stmt *st = q(c, "SELECT cc.column_id, cl.name FROM constraint_columns cc"
			     " JOIN columns cl ON cl.id = cc.column_id WHERE cc.con_id = ?1 ORDER BY cc.pos");
	struct strbuf sb;

	strbuf_init(&sb);
	fk->nr_cols = 0;
	sqlite3_bind_int64(st, 1, fk->con_id);
	while (sqlite3_step(st) == SQLITE_ROW && fk->nr_cols < (int)ARRAY_SIZE(fk->col_ids)) {
		fk->col_ids[fk->nr_cols++] = sqlite3_column_int64(st, 0);
		if (sb.len)
			strbuf_addstr(&sb, ", ");
		strbuf_addf(&sb, "\"%s\"", sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	snprintf(fk->columns, sizeof(fk->columns), "%s", sb.buf);
	strbuf_release(&sb);
}

/* One foreign key's row; -1 when it is gone. */
static int range_fk(struct catalog *c, cat_id id, struct cat_fk *fk)
{
	sqlite3_stmt *st = q(c, "SELECT k.name, k.rel_id, s.name, r.name, k.created_file,"
		" k.line, k.col, k.end_line, k.end_col, k.start_offset, k.end_offset, k.stmt_hash"
		" FROM constraints k JOIN relations r ON r.id = k.rel_id"
		" JOIN schemas s ON s.id = r.schema_id WHERE k.id = ?1");
	const unsigned char *hash;
	int ret = -1;

	memset(fk, 0, sizeof(*fk));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto out;
	fk->con_id = id;
	copy_name(fk->name, sqlite3_column_text(st, 0));
	fk->rel_id = sqlite3_column_int64(st, 1);
	copy_name(fk->schema, sqlite3_column_text(st, 2));
	copy_name(fk->table, sqlite3_column_text(st, 3));
	fk->file_index = sqlite3_column_int(st, 4);
	fk->loc.file_index = fk->file_index;
	fk->loc.line = sqlite3_column_int(st, 5);
	fk->loc.col = sqlite3_column_int(st, 6);
	fk->loc.end_line = sqlite3_column_int(st, 7);
	fk->loc.end_col = sqlite3_column_int(st, 8);
	fk->loc.start = (size_t)sqlite3_column_int64(st, 9);
	fk->loc.end = (size_t)sqlite3_column_int64(st, 10);
	hash = sqlite3_column_text(st, 11);
	fk->loc.stmt_hash = hash ? strtoull((const char *)hash, NULL, 16) : 0;
	ret = 0;
out:
	sqlite3_reset(st);
	return ret;
}

/*
 * The ids first, in order (the callback runs other catalog queries),
 * then one foreign key at a time: a struct cat_fk is most of a kilobyte,
 * and a long history linted whole has tens of thousands in range.
 */
void cat_foreach_range_fk(struct catalog *c, cat_fk_fn fn, void *data)
{
	sqlite3_stmt *st = q(c, "SELECT k.id FROM constraints k WHERE k.kind = 'f' AND k.in_range"
			     " ORDER BY k.created_file, k.start_offset, k.id");
	cat_id *ids = NULL;
	size_t alloc = 0, n = 0;
	struct cat_fk fk;

	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(ids, n + 1, alloc);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < n; i++) {
		if (range_fk(c, ids[i], &fk))
			continue;
		fk_columns(c, &fk);
		fn(data, &fk);
	}
	free(ids);
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

/* Ids of the columns whose type is schema.name (any array depth). */
static int columns_of_type(struct catalog *c, const char *schema, const char *name, cat_id **ids)
{
	sqlite3_stmt *st = q(c, "SELECT id FROM columns WHERE type_name = ?2 AND"
			     " (type_schema = ?1 OR (type_schema IS NULL AND ?1 = 'public'))");
	size_t alloc = 0;
	int n = 0;

	*ids = NULL;
	bind_text(st, 1, schema);
	bind_text(st, 2, name);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(*ids, (size_t)n + 1, alloc);
		(*ids)[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
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

void cat_type_set_constrained(struct catalog *c, cat_id type)
{
	by_id(c, "UPDATE types SET constrained = 1 WHERE id = ?1", type);
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
	sqlite3_stmt *st = q(c, "INSERT INTO view_deps (view_id, rel_id, column_id) VALUES (?1, ?2, ?3)");

	sqlite3_bind_int64(st, 1, view);
	sqlite3_bind_int64(st, 2, rel);
	bind_id(st, 3, col);
	run(c, st);
}

void cat_view_clear_deps(struct catalog *c, cat_id view)
{
	by_id(c, "INSERT OR IGNORE INTO replacing_views VALUES (?1)", view);
	by_id(c, "DELETE FROM view_deps WHERE view_id = ?1", view);
	by_id(c, "DELETE FROM replacing_views WHERE view_id = ?1", view);
}

void cat_sequence_own(struct catalog *c, cat_id seq, cat_id col)
{
	sqlite3_stmt *st = q(c, "INSERT OR REPLACE INTO sequence_owners (seq_id, column_id)"
			     " VALUES (?1, ?2)");

	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, col);
	run(c, st);
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

/* The image, then the hash of its schema, little-endian: SQLite's own
   copy of the database, grown by 8 bytes (no second copy). */
int catalog_save(struct catalog *c, struct cat_image *out)
{
	sqlite3_int64 size = 0;
	unsigned char *image, *grown;
	uint64_t hash;

	out->data = NULL;
	out->len = 0;
	release(c);
	image = sqlite3_serialize(c->db, "main", &size, 0);
	hold(c);
	if (!image || schema_hash(c->db, &hash)) {
		sqlite3_free(image);
		return -1;
	}
	if (!(grown = sqlite3_realloc64(image, (sqlite3_uint64)size + 8))) {
		sqlite3_free(image);
		return -1;
	}
	for (int i = 0; i < 8; i++)
		grown[size + i] = (unsigned char)(hash >> (8 * i));
	out->data = grown;
	out->len = (size_t)size + 8;
	return 0;
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
	uint64_t want = 0, have;

	*out = NULL;
	if (len <= 8) {
		sqlite3_free(image);
		return -1;
	}
	len -= 8;
	for (int i = 0; i < 8; i++)
		want |= (uint64_t)image[len + i] << (8 * i);
	if (connect(&c)) {
		sqlite3_free(image);
		goto fail;
	}
	/* SQLite frees 'image' when this fails */
	if (sqlite3_deserialize(c->db, "main", image, (sqlite3_int64)len,
				(sqlite3_int64)(len + 8 + image_room(len + 8)),
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE))
		goto fail;
	settle(c);
	/* SQLite answers SQLITE_CORRUPT for a damaged file, never crashes;
	   the catalog's own queries must compile against it */
	if (schema_hash(c->db, &have) || have != want || paths_load(c) || parents_load(c))
		goto fail;
	hold(c);
	*out = c;
	return 0;
fail:
	catalog_free(c);
	return -1;
}
