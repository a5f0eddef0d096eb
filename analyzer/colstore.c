/*
 * colstore.c - the catalog's columns in C (see colstore.h).
 */
#include "colstore.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

void colstore_init(struct colstore *s)
{
	memset(s, 0, sizeof(*s));
	strpool_init(&s->strs);
}

void colstore_release(struct colstore *s)
{
	rows_free(s->rows);
	free(s->slots);
	free(s->rels);
	ls_map_release(&s->collations);
	strpool_release(&s->strs);
	colstore_init(s);
}

/* ---- strings ---- */

cs_str colstore_str_find(const struct colstore *s, const char *str)
{
	return strpool_find(&s->strs, str);
}

cs_str colstore_intern(struct colstore *s, const char *str)
{
	return strpool_intern(&s->strs, str);
}

/* ---- (rel_id, name) -> id ---- */

static uint64_t key_hash(uint64_t rel, cs_str name)
{
	uint64_t h = ((uint64_t)rel * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)name * 0xc2b2ae3d27d4eb4full);

	return h ^ h >> 29;
}

static size_t key_slot(const struct colstore *s, uint64_t rel, cs_str name)
{
	return (size_t)key_hash(rel, name) & (s->slots_alloc - 1);
}

/* A slot: the id, and above it the top half of its key's hash, so a
   probe reads a row only when the halves match (the rows of a long
   history are megabytes: each one read was a cache miss). */
static uint64_t slot_tag(uint64_t rel, cs_str name)
{
	return key_hash(rel, name) >> 32 << 32;
}

static void slot_put(struct colstore *s, uint32_t id)
{
	size_t i = key_slot(s, s->rows[id].rel_id, s->rows[id].name);

	while (s->slots[i])
		i = (i + 1) & (s->slots_alloc - 1);
	s->slots[i] = slot_tag(s->rows[id].rel_id, s->rows[id].name) | id;
}

static void slots_grow(struct colstore *s)
{
	size_t old = s->slots_alloc;
	uint64_t *slots = s->slots;

	s->slots_alloc = old ? 2 * old : 1024;
	s->slots = xcalloc(s->slots_alloc, sizeof(*s->slots));
	for (size_t i = 0; i < old; i++)
		if (slots[i])
			slot_put(s, (uint32_t)slots[i]);
	free(slots);
}

/* The slot that holds id (its row still keyed as when it was put). */
static size_t slot_of(const struct colstore *s, uint32_t id)
{
	size_t i = key_slot(s, s->rows[id].rel_id, s->rows[id].name);

	while ((uint32_t)s->slots[i] != id) {
		if (!s->slots[i])
			BUG("column %u missing from its key slots", id);
		i = (i + 1) & (s->slots_alloc - 1);
	}
	return i;
}

/* Take id out of the slots, moving back the entries that follow
   (linear probing without tombstones). */
static void slot_remove(struct colstore *s, uint32_t id)
{
	size_t mask = s->slots_alloc - 1, hole = slot_of(s, id), i = hole;

	s->slots[hole] = 0;
	for (i = (i + 1) & mask; s->slots[i]; i = (i + 1) & mask) {
		uint32_t other = (uint32_t)s->slots[i];
		size_t home = key_slot(s, s->rows[other].rel_id, s->rows[other].name);

		/* other may move to the hole when its home is not in (hole, i] */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			s->slots[hole] = s->slots[i];
			s->slots[i] = 0;
			hole = i;
		}
	}
}

int64_t colstore_find(const struct colstore *s, int64_t rel, cs_str name)
{
	uint64_t tag;
	size_t i;

	if (!s->slots_alloc || !name)
		return 0;
	tag = slot_tag((uint64_t)rel, name);
	for (i = key_slot(s, (uint64_t)rel, name); s->slots[i]; i = (i + 1) & (s->slots_alloc - 1)) {
		uint32_t id = (uint32_t)s->slots[i];
		const struct col_row *r;

		if ((s->slots[i] ^ tag) >> 32)
			continue;
		r = &s->rows[id];
		if (r->rel_id == (uint64_t)rel && r->name == name)
			return id;
	}
	return 0;
}

/* ---- collations, aside ---- */

cs_str colstore_collation(const struct colstore *s, int64_t id)
{
	const struct col_row *r = colstore_get(s, id);

	return r && (r->flags & CS_COLLATION) ? ls_map_get(&s->collations, (uint64_t)id) : 0;
}

void colstore_set_collation(struct colstore *s, int64_t id, cs_str collation)
{
	struct col_row *r = colstore_get(s, id);

	if (!r)
		return;
	r->flags = (uint8_t)((r->flags & ~CS_COLLATION) | (collation ? CS_COLLATION : 0));
	if (collation)  /* without the flag the map is not read */
		*ls_map_at(&s->collations, (uint32_t)id) = collation;
}

/* ---- relations' column lists ---- */

uint32_t colstore_first(const struct colstore *s, int64_t rel)
{
	if (rel <= 0 || (uint64_t)rel >= s->rels_alloc)
		return 0;
	return s->rels[rel].first;
}

int32_t colstore_next_attnum(const struct colstore *s, int64_t rel)
{
	if (rel <= 0 || (uint64_t)rel >= s->rels_alloc || !s->rels[rel].last)
		return 1;
	return s->rows[s->rels[rel].last].attnum + 1;
}

static struct col_ends *rel_ends(struct colstore *s, uint32_t rel)
{
	if (rel >= s->rels_alloc) {
		size_t alloc = s->rels_alloc ? s->rels_alloc : 256;

		while (alloc <= rel)
			alloc *= 2;
		s->rels = xrealloc(s->rels, alloc * sizeof(*s->rels));
		memset(s->rels + s->rels_alloc, 0, (alloc - s->rels_alloc) * sizeof(*s->rels));
		s->rels_alloc = alloc;
	}
	return &s->rels[rel];
}

/* Link id into its relation's list in attnum order (almost always last). */
static void list_insert(struct colstore *s, uint32_t id)
{
	struct col_row *r = &s->rows[id];
	struct col_ends *e = rel_ends(s, r->rel_id);
	uint32_t *link = &e->first;

	r->next = 0;
	if (e->last && s->rows[e->last].attnum <= r->attnum)
		link = &s->rows[e->last].next;
	else
		while (*link && s->rows[*link].attnum <= r->attnum)
			link = &s->rows[*link].next;
	r->next = *link;
	*link = id;
	if (!r->next)
		e->last = id;
}

static void list_remove(struct colstore *s, uint32_t id)
{
	struct col_ends *e = rel_ends(s, s->rows[id].rel_id);
	uint32_t *link = &e->first, prev = 0;

	while (*link != id) {
		if (!*link)
			BUG("column %u missing from its relation's list", id);
		prev = *link;
		link = &s->rows[*link].next;
	}
	*link = s->rows[id].next;
	if (e->last == id)
		e->last = prev;
}

/* ---- rows ---- */

int64_t colstore_add(struct colstore *s, const struct col_row *row, int64_t id)
{
	if (!id)
		id = s->max_id + 1;
	if (id <= s->max_id || !row->rel_id)
		BUG("column %lld added out of order", (long long)id);
	s->rows = rows_reserve(s->rows, &s->rows_alloc, sizeof(*s->rows), id, s->max_id,
			       1024, "columns");
	if (2 * (s->nr + 1) > s->slots_alloc)
		slots_grow(s);
	s->rows[id] = *row;
	s->max_id = id;
	s->nr++;
	slot_put(s, (uint32_t)id);
	list_insert(s, (uint32_t)id);
	return id;
}

void colstore_delete(struct colstore *s, int64_t id)
{
	struct col_row *r = colstore_get(s, id);

	if (!r)
		return;
	slot_remove(s, (uint32_t)id);
	list_remove(s, (uint32_t)id);
	memset(r, 0, sizeof(*r));
	s->nr--;
	while (s->max_id && !s->rows[s->max_id].rel_id)
		s->max_id--;
}

void colstore_rename(struct colstore *s, int64_t id, cs_str name)
{
	if (!colstore_get(s, id))
		return;
	slot_remove(s, (uint32_t)id);
	s->rows[id].name = name;
	slot_put(s, (uint32_t)id);
}

int64_t colstore_next(const struct colstore *s, int64_t id)
{
	if (id < 0)
		id = 0;
	while (++id <= s->max_id)
		if (s->rows[id].rel_id)
			return id;
	return 0;
}

/* ---- as bytes (a cached catalog's image carries them) ---- */

/* Each field on its own: a struct's padding is not data. */
static void put_row(struct strbuf *out, const struct colstore *s, uint32_t id,
		    const struct col_row *r)
{
	const uint32_t v[] = {
		id, r->rel_id, (uint32_t)r->attnum, r->name, r->type, r->type_schema,
		r->type_name, (uint32_t)r->typmod1, (uint32_t)r->typmod2,
		(uint32_t)r->array_dims, r->default_expr, r->generated, r->comment,
		(uint32_t)r->created_file, (uint32_t)r->line, r->file_ref,
		(uint32_t)(unsigned char)r->default_volatility |
		(uint32_t)(unsigned char)r->identity << 8 |
		(uint32_t)(r->flags & ~CS_COLLATION) << 16,
		colstore_collation(s, id),
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		put_u32(out, v[i]);
}

#define ROW_WORDS 18

void colstore_save(const struct colstore *s, struct strbuf *out)
{
	strpool_save(&s->strs, out);
	put_u32(out, (uint32_t)s->nr);
	for (int64_t id = colstore_next(s, 0); id; id = colstore_next(s, id))
		put_row(out, s, (uint32_t)id, &s->rows[id]);
}

static int load_row(struct colstore *s, struct reader *b, const cs_str *map, uint32_t nr,
		    uint64_t max_id, uint32_t max_rel)
{
	struct col_row r = { 0 };
	uint32_t id = rd_u32(b), packed;
	cs_str collation;

	r.rel_id = rd_u32(b);
	r.attnum = (int32_t)rd_u32(b);
	r.name = strpool_read_id(b, map, nr);
	r.type = strpool_read_id(b, map, nr);
	r.type_schema = strpool_read_id(b, map, nr);
	r.type_name = strpool_read_id(b, map, nr);
	r.typmod1 = (int32_t)rd_u32(b);
	r.typmod2 = (int32_t)rd_u32(b);
	r.array_dims = (int32_t)rd_u32(b);
	r.default_expr = strpool_read_id(b, map, nr);
	r.generated = strpool_read_id(b, map, nr);
	r.comment = strpool_read_id(b, map, nr);
	r.created_file = (int32_t)rd_u32(b);
	r.line = (int32_t)rd_u32(b);
	r.file_ref = rd_u32(b);
	packed = rd_u32(b);
	r.default_volatility = (char)(packed & 0xff);
	r.identity = (char)(packed >> 8 & 0xff);
	r.flags = (uint8_t)(packed >> 16);
	collation = strpool_read_id(b, map, nr);
	/* what colstore_add() takes: ids ascending, a relation and a name */
	if (b->bad || id <= s->max_id || id > max_id || !r.rel_id || r.rel_id > max_rel ||
	    !r.name || colstore_find(s, r.rel_id, r.name) || packed >> 24 ||
	    (r.flags & CS_COLLATION))
		return -1;
	colstore_add(s, &r, id);
	if (collation)
		colstore_set_collation(s, id, collation);
	return 0;
}

/* Room for n rows up to id 'last' at once, not grown row by row. */
static void presize(struct colstore *s, uint32_t n, uint32_t last)
{
	size_t slots = 1024;

	while (slots < 2 * (size_t)n + 2)
		slots *= 2;
	if (slots > s->slots_alloc) {
		free(s->slots);
		s->slots = xcalloc(slots, sizeof(*s->slots));
		s->slots_alloc = slots;
		memory_prefault(s->slots, slots * sizeof(*s->slots));
		for (int64_t id = colstore_next(s, 0); id; id = colstore_next(s, id))
			slot_put(s, (uint32_t)id);
	}
	if (last && (size_t)last >= s->rows_alloc) {
		s->rows = rows_resize(s->rows, &s->rows_alloc, sizeof(*s->rows), (size_t)last + 1,
				      s->max_id ? (size_t)s->max_id + 1 : 0);
		/* every row is written next: one fault per page cost more */
		memory_prefault(s->rows, ((size_t)last + 1) * sizeof(*s->rows));
	}
}

int colstore_load(struct colstore *s, const void *data, size_t len, uint32_t max_rel)
{
	struct reader b = { data, (const unsigned char *)data + len, false };
	cs_str *map = NULL;
	uint32_t nr_strs, nr_rows;
	uint64_t max_id;
	int ret = -1;

	if (strpool_load(&s->strs, &b, &map, &nr_strs))
		goto out;
	nr_rows = rd_u32(&b);
	if (b.bad || nr_rows > (size_t)(b.end - b.p) / (4 * ROW_WORDS))
		goto out;
	/*
	 * Ids have gaps (dropped columns), but rows are kept up to the
	 * highest: an id far beyond what the rows can account for is taken
	 * for damage, never for memory to reserve (a store that did have
	 * such gaps is only a cache miss).
	 */
	max_id = 16 * (uint64_t)nr_rows + 65536;
	if (nr_rows && (size_t)(b.end - b.p) == (size_t)nr_rows * 4 * ROW_WORDS) {
		struct reader last = { b.end - 4 * ROW_WORDS, b.end, false };
		uint32_t id = rd_u32(&last);

		presize(s, nr_rows, id <= max_id ? id : 0);
	}
	for (uint32_t i = 0; i < nr_rows; i++)
		if (load_row(s, &b, map, nr_strs, max_id, max_rel))
			goto out;
	ret = b.p == b.end ? 0 : -1;
out:
	free(map);
	return ret;
}
