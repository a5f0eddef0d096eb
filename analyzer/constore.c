/*
 * constore.c - the catalog's table constraints in C (see constore.h).
 */
#include "constore.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

void constore_init(struct constore *s)
{
	memset(s, 0, sizeof(*s));
	strpool_init(&s->strs);
}

void constore_release(struct constore *s)
{
	rows_free(s->rows);
	for (int k = 0; k < CON_KEYS; k++)
		ls_map_release(&s->keys[k]);
	strpool_release(&s->strs);
	constore_init(s);
}

/* ---- strings ---- */

uint32_t constore_str_find(const struct constore *s, const char *str)
{
	return strpool_find(&s->strs, str);
}

uint32_t constore_intern(struct constore *s, const char *str)
{
	return strpool_intern(&s->strs, str);
}

/* ---- the keys' lists ---- */

static const struct ls_keys row_keys = {
	sizeof(struct con_row), offsetof(struct con_row, key),
	offsetof(struct con_row, key_next), offsetof(struct con_row, key_prev),
};

/* Into (out of) its key value's rows by id; a NULL key is in none. */
static void key_link(struct constore *s, enum con_key k, uint32_t id)
{
	ls_keys_link(&row_keys, s->rows, &s->keys[k], k, id);
}

static void key_unlink(struct constore *s, enum con_key k, uint32_t id)
{
	ls_keys_unlink(&row_keys, s->rows, &s->keys[k], k, id);
}

uint32_t constore_key_first(const struct constore *s, enum con_key k, uint64_t value)
{
	return ls_map_get(&s->keys[k], value);
}

/* ---- rows ---- */

int64_t constore_add(struct constore *s, const struct con_row *row, int64_t id)
{
	if (!id)
		id = s->max_id + 1;
	if (id <= s->max_id || !row->key[CK_REL] || !row->key[CK_NAME])
		BUG("constraint %lld added out of order", (long long)id);
	s->rows = rows_reserve(s->rows, &s->rows_alloc, sizeof(*s->rows), id, s->max_id,
			       256, "constraints");
	s->rows[id] = *row;
	s->max_id = id;
	s->nr++;
	for (int k = 0; k < CON_KEYS; k++)
		key_link(s, k, (uint32_t)id);
	return id;
}

void constore_delete(struct constore *s, int64_t id)
{
	struct con_row *r = constore_get(s, id);

	if (!r)
		return;
	for (int k = 0; k < CON_KEYS; k++)
		key_unlink(s, k, (uint32_t)id);
	memset(r, 0, sizeof(*r));
	s->nr--;
	while (s->max_id && !s->rows[s->max_id].key[CK_REL])
		s->max_id--;
}

void constore_set_key(struct constore *s, int64_t id, enum con_key k, uint32_t value)
{
	struct con_row *r = constore_get(s, id);

	if (!r || k == CK_REL || r->key[k] == value)
		return;
	key_unlink(s, k, (uint32_t)id);
	r->key[k] = value;
	key_link(s, k, (uint32_t)id);
}

int64_t constore_next(const struct constore *s, int64_t id)
{
	if (id < 0)
		id = 0;
	while (++id <= s->max_id)
		if (s->rows[id].key[CK_REL])
			return id;
	return 0;
}

/* ---- as bytes (a cached catalog's image carries them) ---- */

/* id, the keys, expr, not_null_column, file_ref, eight int32, two
   int64 and the hash (two words each), kind and the actions packed */
#define ROW_WORDS (1 + CON_KEYS + 3 + 8 + 6 + 1)

/* Each field on its own: a struct's padding is not data. */
static void put_row(struct strbuf *out, uint32_t id, const struct con_row *r)
{
	const uint32_t v[] = {
		r->expr, r->not_null_column, r->file_ref,
		(uint32_t)r->validated, (uint32_t)r->is_deferrable, (uint32_t)r->created_file,
		(uint32_t)r->in_range, (uint32_t)r->line, (uint32_t)r->col,
		(uint32_t)r->end_line, (uint32_t)r->end_col,
		(uint32_t)(unsigned char)r->kind | (uint32_t)(unsigned char)r->on_delete << 8 |
		(uint32_t)(unsigned char)r->on_update << 16,
	};

	put_u32(out, id);
	for (int k = 0; k < CON_KEYS; k++)
		put_u32(out, r->key[k]);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		put_u32(out, v[i]);
	put_u64(out, (uint64_t)r->start_offset);
	put_u64(out, (uint64_t)r->end_offset);
	put_u64(out, r->stmt_hash);
}

void constore_save(const struct constore *s, struct strbuf *out)
{
	strpool_save(&s->strs, out);
	put_u32(out, (uint32_t)s->nr);
	for (int64_t id = constore_next(s, 0); id; id = constore_next(s, id))
		put_row(out, (uint32_t)id, &s->rows[id]);
}

static int load_row(void *store, struct reader *b, const uint32_t *map, uint32_t nr,
		    uint64_t max_id)
{
	struct constore *s = store;
	struct con_row r = { 0 };
	uint32_t id = rd_u32(b), packed;

	for (int k = 0; k < CON_KEYS; k++)
		r.key[k] = k == CK_NAME ? strpool_read_id(b, map, nr) : rd_u32(b);
	r.expr = strpool_read_id(b, map, nr);
	r.not_null_column = strpool_read_id(b, map, nr);
	r.file_ref = rd_u32(b);
	r.validated = (int32_t)rd_u32(b);
	r.is_deferrable = (int32_t)rd_u32(b);
	r.created_file = (int32_t)rd_u32(b);
	r.in_range = (int32_t)rd_u32(b);
	r.line = (int32_t)rd_u32(b);
	r.col = (int32_t)rd_u32(b);
	r.end_line = (int32_t)rd_u32(b);
	r.end_col = (int32_t)rd_u32(b);
	packed = rd_u32(b);
	r.kind = (char)(packed & 0xff);
	r.on_delete = (char)(packed >> 8 & 0xff);
	r.on_update = (char)(packed >> 16 & 0xff);
	r.start_offset = (int64_t)rd_u64(b);
	r.end_offset = (int64_t)rd_u64(b);
	r.stmt_hash = rd_u64(b);
	/* what constore_add() takes: ids ascending, a relation and a name */
	if (b->bad || id <= s->max_id || id > max_id || !r.key[CK_REL] ||
	    r.key[CK_REL] >= UINT32_MAX || !r.key[CK_NAME] || !r.kind || packed >> 24)
		return -1;
	constore_add(s, &r, id);
	return 0;
}

size_t constore_load(struct constore *s, const void *data, size_t len)
{
	return strpool_load_rows(&s->strs, data, len, 4 * ROW_WORDS, load_row, s);
}
