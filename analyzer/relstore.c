/*
 * relstore.c - the catalog's relations in C (see relstore.h).
 */
#include "relstore.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

void relstore_init(struct relstore *s)
{
	memset(s, 0, sizeof(*s));
	strpool_init(&s->strs);
}

void relstore_release(struct relstore *s)
{
	rows_free(s->rows);
	for (int k = 0; k < REL_KEYS; k++)
		ls_map_release(&s->keys[k]);
	free(s->names);
	strpool_release(&s->strs);
	relstore_init(s);
}

/* ---- strings ---- */

uint32_t relstore_str_find(const struct relstore *s, const char *str)
{
	return strpool_find(&s->strs, str);
}

uint32_t relstore_intern(struct relstore *s, const char *str)
{
	return strpool_intern(&s->strs, str);
}

/* ---- the rows by (schema, name) ---- */

static size_t name_hash(uint32_t schema, uint32_t name)
{
	uint64_t h = ((uint64_t)schema << 32 | name) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h ^ h >> 29);
}

/* A slot: the row's id, and above it the top half of its key's hash,
   so a probe reads a row only when the halves match (each row read in
   a long history was a cache miss). */
static uint64_t name_tag(uint32_t schema, uint32_t name)
{
	return (uint64_t)name_hash(schema, name) >> 32 << 32;
}

/* The slot where row 'id' would start looking. */
static size_t name_home(const struct relstore *s, uint32_t id)
{
	const struct rel_row *r = &s->rows[id];

	return name_hash(r->key[RK_SCHEMA], r->name) & (s->names_alloc - 1);
}

uint32_t relstore_find(const struct relstore *s, uint32_t schema, uint32_t name)
{
	size_t mask = s->names_alloc - 1, i;
	uint64_t tag;
	uint32_t id;

	if (!name || !s->names_alloc)
		return 0;
	tag = name_tag(schema, name);
	for (i = name_hash(schema, name) & mask; (id = (uint32_t)s->names[i]); i = (i + 1) & mask)
		if (!((s->names[i] ^ tag) >> 32) &&
		    s->rows[id].name == name && s->rows[id].key[RK_SCHEMA] == schema)
			return id;
	return 0;
}

static void name_put(struct relstore *s, uint32_t id)
{
	size_t mask = s->names_alloc - 1, i;

	for (i = name_home(s, id); s->names[i]; i = (i + 1) & mask)
		;
	s->names[i] = name_tag(s->rows[id].key[RK_SCHEMA], s->rows[id].name) | id;
}

/* Row 'id' into the hash, which grows to stay at most half full. */
static void name_link(struct relstore *s, uint32_t id)
{
	if (2 * (s->nr + 1) > s->names_alloc) {
		uint64_t *old = s->names;
		size_t nr_old = s->names_alloc;

		s->names_alloc = nr_old ? 2 * nr_old : 256;
		s->names = xcalloc(s->names_alloc, sizeof(*s->names));
		for (size_t i = 0; i < nr_old; i++)
			if (old[i])
				name_put(s, (uint32_t)old[i]);
		free(old);
	}
	name_put(s, id);
}

/* Row 'id' out of the hash (its schema and name still the ones it was
   put in with): the rows after it in its run move back, so that no
   lookup stops at the hole. */
static void name_unlink(struct relstore *s, uint32_t id)
{
	size_t mask = s->names_alloc - 1, i, j, home;

	for (i = name_home(s, id); (uint32_t)s->names[i] != id; i = (i + 1) & mask)
		if (!s->names[i])
			BUG("relation %u not in its schema's names", id);
	for (j = (i + 1) & mask; s->names[j]; j = (j + 1) & mask) {
		home = name_home(s, (uint32_t)s->names[j]);
		/* the row at j may move to i unless its home is in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			s->names[i] = s->names[j];
			i = j;
		}
	}
	s->names[i] = 0;
}

/* ---- the keys' lists ---- */

static const struct ls_keys row_keys = {
	sizeof(struct rel_row), offsetof(struct rel_row, key),
	offsetof(struct rel_row, key_next), offsetof(struct rel_row, key_prev),
};

/* Into (out of) its key value's rows by id; a NULL key is in none. */
static void key_link(struct relstore *s, enum rel_key k, uint32_t id)
{
	ls_keys_link(&row_keys, s->rows, &s->keys[k], k, id);
}

static void key_unlink(struct relstore *s, enum rel_key k, uint32_t id)
{
	ls_keys_unlink(&row_keys, s->rows, &s->keys[k], k, id);
}

uint32_t relstore_key_first(const struct relstore *s, enum rel_key k, uint64_t value)
{
	return ls_map_get(&s->keys[k], value);
}

/* ---- rows ---- */

int64_t relstore_add(struct relstore *s, const struct rel_row *row, int64_t id)
{
	if (!id)
		id = s->max_id + 1;
	if (id <= s->max_id || !row->kind || !row->name ||
	    relstore_find(s, row->key[RK_SCHEMA], row->name))
		BUG("relation %lld added out of order or twice", (long long)id);
	s->rows = rows_reserve(s->rows, &s->rows_alloc, sizeof(*s->rows), id, s->max_id,
			       256, "relations");
	s->rows[id] = *row;
	s->max_id = id;
	name_link(s, (uint32_t)id);
	s->nr++;
	for (int k = 0; k < REL_KEYS; k++)
		key_link(s, k, (uint32_t)id);
	return id;
}

void relstore_delete(struct relstore *s, int64_t id)
{
	struct rel_row *r = relstore_get(s, id);

	if (!r)
		return;
	name_unlink(s, (uint32_t)id);
	for (int k = 0; k < REL_KEYS; k++)
		key_unlink(s, k, (uint32_t)id);
	memset(r, 0, sizeof(*r));
	s->nr--;
	while (s->max_id && !s->rows[s->max_id].kind)
		s->max_id--;
}

void relstore_set_key(struct relstore *s, int64_t id, enum rel_key k, uint32_t value)
{
	struct rel_row *r = relstore_get(s, id);

	if (!r || r->key[k] == value)
		return;
	if (k == RK_SCHEMA)
		name_unlink(s, (uint32_t)id);
	key_unlink(s, k, (uint32_t)id);
	r->key[k] = value;
	key_link(s, k, (uint32_t)id);
	if (k == RK_SCHEMA)
		name_put(s, (uint32_t)id);
}

void relstore_set_name(struct relstore *s, int64_t id, uint32_t name)
{
	struct rel_row *r = relstore_get(s, id);

	if (!r || !name || r->name == name)
		return;
	name_unlink(s, (uint32_t)id);
	r->name = name;
	name_put(s, (uint32_t)id);
}

int64_t relstore_next(const struct relstore *s, int64_t id)
{
	if (id < 0)
		id = 0;
	while (++id <= s->max_id)
		if (s->rows[id].kind)
			return id;
	return 0;
}

/* ---- as bytes (a cached catalog's image carries them) ---- */

/* id, the keys, name, the four texts, file_ref, created_file, line,
   and flags and kind packed */
#define ROW_WORDS (1 + REL_KEYS + 5 + 3 + 1)

/* Each field on its own: a struct's padding is not data. */
static void put_row(struct strbuf *out, uint32_t id, const struct rel_row *r)
{
	const uint32_t v[] = {
		r->name, r->comment, r->definition, r->partition_key, r->partition_bound,
		r->file_ref, (uint32_t)r->created_file, (uint32_t)r->line,
		(uint32_t)(unsigned char)r->kind | (uint32_t)r->flags << 8,
	};

	put_u32(out, id);
	for (int k = 0; k < REL_KEYS; k++)
		put_u32(out, r->key[k]);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		put_u32(out, v[i]);
}

void relstore_save(const struct relstore *s, struct strbuf *out)
{
	strpool_save(&s->strs, out);
	put_u32(out, (uint32_t)s->nr);
	for (int64_t id = relstore_next(s, 0); id; id = relstore_next(s, id))
		put_row(out, (uint32_t)id, &s->rows[id]);
}

static int load_row(void *store, struct reader *b, const uint32_t *map, uint32_t nr,
		    uint64_t max_id)
{
	struct relstore *s = store;
	struct rel_row r = { 0 };
	uint32_t id = rd_u32(b), packed;

	for (int k = 0; k < REL_KEYS; k++)
		r.key[k] = rd_u32(b);
	r.name = strpool_read_id(b, map, nr);
	r.comment = strpool_read_id(b, map, nr);
	r.definition = strpool_read_id(b, map, nr);
	r.partition_key = strpool_read_id(b, map, nr);
	r.partition_bound = strpool_read_id(b, map, nr);
	r.file_ref = rd_u32(b);
	r.created_file = (int32_t)rd_u32(b);
	r.line = (int32_t)rd_u32(b);
	packed = rd_u32(b);
	r.kind = (char)(packed & 0xff);
	r.flags = (uint8_t)(packed >> 8 & 0xff);
	/* what relstore_add() takes: ids ascending, a kind, a name free in
	   its schema, keys that can be ids */
	if (b->bad || id <= s->max_id || id > max_id || !r.kind || !r.name ||
	    packed >> 8 & ~RF_ALL || relstore_find(s, r.key[RK_SCHEMA], r.name))
		return -1;
	for (int k = 0; k < REL_KEYS; k++)
		if (r.key[k] == UINT32_MAX)
			return -1;
	relstore_add(s, &r, id);
	return 0;
}

size_t relstore_load(struct relstore *s, const void *data, size_t len)
{
	return strpool_load_rows(&s->strs, data, len, 4 * ROW_WORDS, load_row, s);
}
