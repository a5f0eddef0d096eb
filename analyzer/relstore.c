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
	free(s->rows);
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

/* Key k's list of the rows in id order (a NULL key is in none). */
static struct ls_chain key_chain(struct relstore *s, enum rel_key k)
{
	struct ls_chain c = {
		(unsigned char *)s->rows, sizeof(*s->rows),
		offsetof(struct rel_row, key_next) + (size_t)k * sizeof(uint32_t),
		offsetof(struct rel_row, key_prev) + (size_t)k * sizeof(uint32_t),
	};

	return c;
}

static void key_link(struct relstore *s, enum rel_key k, uint32_t id)
{
	struct rel_row *r = &s->rows[id];
	struct ls_chain c = key_chain(s, k);

	r->key_next[k] = r->key_prev[k] = 0;
	if (r->key[k])
		ls_chain_insert(&c, ls_map_at(&s->keys[k], r->key[k]), id);
}

static void key_unlink(struct relstore *s, enum rel_key k, uint32_t id)
{
	struct ls_chain c = key_chain(s, k);

	if (s->rows[id].key[k])
		ls_chain_remove(&c, ls_map_at(&s->keys[k], s->rows[id].key[k]), id);
}

uint32_t relstore_key_first(const struct relstore *s, enum rel_key k, uint64_t value)
{
	return value && value <= UINT32_MAX ? ls_map_get(&s->keys[k], (uint32_t)value) : 0;
}

/* ---- rows ---- */

/* Room for rows[id]; the rows between max_id and id are made free. */
static void rows_reserve(struct relstore *s, int64_t id)
{
	if ((uint64_t)id >= UINT32_MAX)
		die("too many relations");
	if ((size_t)id >= s->rows_alloc) {
		size_t alloc = s->rows_alloc ? s->rows_alloc : 256;

		while (alloc <= (size_t)id)
			alloc += alloc / 2 + 1;
		s->rows = xrealloc(s->rows, alloc * sizeof(*s->rows));
		s->rows_alloc = alloc;
	}
	memset(s->rows + s->max_id + 1, 0, (size_t)(id - s->max_id - 1) * sizeof(*s->rows));
}

int64_t relstore_add(struct relstore *s, const struct rel_row *row, int64_t id)
{
	if (!id)
		id = s->max_id + 1;
	if (id <= s->max_id || !row->kind || !row->name ||
	    relstore_find(s, row->key[RK_SCHEMA], row->name))
		BUG("relation %lld added out of order or twice", (long long)id);
	rows_reserve(s, id);
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

static int load_row(struct relstore *s, struct reader *b, const uint32_t *map, uint32_t nr,
		    uint64_t max_id)
{
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
	struct reader b = { data, (const unsigned char *)data + len, false };
	uint32_t *map = NULL;
	uint32_t nr_strs, nr_rows;
	uint64_t max_id;
	size_t ret = 0;

	if (strpool_load(&s->strs, &b, &map, &nr_strs))
		goto out;
	nr_rows = rd_u32(&b);
	if (b.bad || nr_rows > (size_t)(b.end - b.p) / (4 * ROW_WORDS))
		goto out;
	/* ids have gaps (dropped relations): one far beyond what the rows
	   can account for is damage, never memory to reserve */
	max_id = 16 * (uint64_t)nr_rows + 65536;
	for (uint32_t i = 0; i < nr_rows; i++)
		if (load_row(s, &b, map, nr_strs, max_id))
			goto out;
	ret = (size_t)(b.p - (const unsigned char *)data);
out:
	free(map);
	return ret;
}
