/*
 * colstore.c - the catalog's columns in C (see colstore.h).
 */
#include "colstore.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

#define BLOCK_BYTES (64 * 1024)

void colstore_init(struct colstore *s)
{
	memset(s, 0, sizeof(*s));
}

void colstore_release(struct colstore *s)
{
	for (size_t i = 0; i < s->nr_blocks; i++)
		free(s->blocks[i]);
	free(s->rows);
	free(s->slots);
	free(s->rels);
	free(s->strs);
	free(s->str_slots);
	free(s->blocks);
	colstore_init(s);
}

/* ---- strings ---- */

static uint64_t str_hash(const char *str)
{
	return fnv1a64(str, strlen(str), FNV1A64_INIT);
}

static void str_slot_put(uint32_t *slots, size_t alloc, uint64_t h, uint32_t sid)
{
	size_t i = h & (alloc - 1);

	while (slots[i])
		i = (i + 1) & (alloc - 1);
	slots[i] = sid;
}

static void str_slots_grow(struct colstore *s)
{
	size_t alloc = s->str_slots_alloc ? 2 * s->str_slots_alloc : 256;
	uint32_t *slots = xcalloc(alloc, sizeof(*slots));

	for (size_t i = 0; i < s->nr_strs; i++)
		str_slot_put(slots, alloc, str_hash(s->strs[i]), (uint32_t)i + 1);
	free(s->str_slots);
	s->str_slots = slots;
	s->str_slots_alloc = alloc;
}

/* A copy of len + 1 bytes in the blocks, which never move. */
static char *str_copy(struct colstore *s, const char *str, size_t len)
{
	char *p;

	if (!s->nr_blocks || s->block_used + len + 1 > s->block_size) {
		size_t size = len + 1 > BLOCK_BYTES ? len + 1 : BLOCK_BYTES;

		ALLOC_GROW(s->blocks, s->nr_blocks + 1, s->blocks_alloc);
		s->blocks[s->nr_blocks++] = xmalloc(size);
		s->block_size = size;
		s->block_used = 0;
	}
	p = s->blocks[s->nr_blocks - 1] + s->block_used;
	memcpy(p, str, len + 1);
	s->block_used += len + 1;
	return p;
}

static cs_str str_lookup(const struct colstore *s, const char *str, uint64_t h)
{
	size_t i;

	if (!s->str_slots_alloc)
		return 0;
	for (i = h & (s->str_slots_alloc - 1); s->str_slots[i];
	     i = (i + 1) & (s->str_slots_alloc - 1))
		if (!strcmp(s->strs[s->str_slots[i] - 1], str))
			return s->str_slots[i];
	return 0;
}

cs_str colstore_str_find(const struct colstore *s, const char *str)
{
	return str ? str_lookup(s, str, str_hash(str)) : 0;
}

cs_str colstore_intern(struct colstore *s, const char *str)
{
	uint64_t h;
	cs_str sid;

	if (!str)
		return 0;
	h = str_hash(str);
	if ((sid = str_lookup(s, str, h)))
		return sid;
	if (2 * (s->nr_strs + 1) > s->str_slots_alloc)
		str_slots_grow(s);
	if (s->nr_strs >= UINT32_MAX - 1)
		die("too many distinct column strings");
	ALLOC_GROW(s->strs, s->nr_strs + 1, s->strs_alloc);
	s->strs[s->nr_strs++] = str_copy(s, str, strlen(str));
	sid = (cs_str)s->nr_strs;
	str_slot_put(s->str_slots, s->str_slots_alloc, h, sid);
	return sid;
}

/* ---- (rel_id, name) -> id ---- */

static size_t key_slot(const struct colstore *s, uint64_t rel, cs_str name)
{
	uint64_t h = ((uint64_t)rel * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)name * 0xc2b2ae3d27d4eb4full);

	h ^= h >> 29;
	return (size_t)h & (s->slots_alloc - 1);
}

static void slot_put(struct colstore *s, uint32_t id)
{
	size_t i = key_slot(s, s->rows[id].rel_id, s->rows[id].name);

	while (s->slots[i])
		i = (i + 1) & (s->slots_alloc - 1);
	s->slots[i] = id;
}

static void slots_grow(struct colstore *s)
{
	size_t old = s->slots_alloc;
	uint32_t *slots = s->slots;

	s->slots_alloc = old ? 2 * old : 1024;
	s->slots = xcalloc(s->slots_alloc, sizeof(*s->slots));
	for (size_t i = 0; i < old; i++)
		if (slots[i])
			slot_put(s, slots[i]);
	free(slots);
}

/* The slot that holds id (its row still keyed as when it was put). */
static size_t slot_of(const struct colstore *s, uint32_t id)
{
	size_t i = key_slot(s, s->rows[id].rel_id, s->rows[id].name);

	while (s->slots[i] != id) {
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
		uint32_t other = s->slots[i];
		size_t home = key_slot(s, s->rows[other].rel_id, s->rows[other].name);

		/* other may move to the hole when its home is not in (hole, i] */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			s->slots[hole] = other;
			s->slots[i] = 0;
			hole = i;
		}
	}
}

int64_t colstore_find(const struct colstore *s, int64_t rel, cs_str name)
{
	size_t i;

	if (!s->slots_alloc || !name)
		return 0;
	for (i = key_slot(s, (uint64_t)rel, name); s->slots[i]; i = (i + 1) & (s->slots_alloc - 1)) {
		const struct col_row *r = &s->rows[s->slots[i]];

		if (r->rel_id == (uint64_t)rel && r->name == name)
			return s->slots[i];
	}
	return 0;
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

/* Room for rows[id]; the rows between max_id and id are made free. */
static void rows_reserve(struct colstore *s, int64_t id)
{
	if ((uint64_t)id >= UINT32_MAX)
		die("too many columns");
	if ((size_t)id >= s->rows_alloc) {
		size_t alloc = s->rows_alloc ? s->rows_alloc : 1024;

		while (alloc <= (size_t)id)
			alloc += alloc / 2;
		s->rows = xrealloc(s->rows, alloc * sizeof(*s->rows));
		s->rows_alloc = alloc;
	}
	memset(s->rows + s->max_id + 1, 0, (size_t)(id - s->max_id - 1) * sizeof(*s->rows));
}

int64_t colstore_add(struct colstore *s, const struct col_row *row, int64_t id)
{
	if (!id)
		id = s->max_id + 1;
	if (id <= s->max_id || !row->rel_id)
		BUG("column %lld added out of order", (long long)id);
	rows_reserve(s, id);
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
