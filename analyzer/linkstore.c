/*
 * linkstore.c - lists of catalog rows by parent and by key, in C: the
 * index and constraint columns, views' dependencies, indexes (see
 * linkstore.h).
 */
#include "linkstore.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

void linkstore_init(struct linkstore *s)
{
	memset(s, 0, sizeof(*s));
	s->by_pos = true;
	arena_init(&s->text);
}

void ls_map_release(struct ls_map *m)
{
	free(m->slots);
}

void linkstore_release(struct linkstore *s)
{
	bool by_pos = s->by_pos;

	rows_free(s->rows);
	ls_map_release(&s->parents);
	for (int k = 0; k < LS_KEYS; k++)
		ls_map_release(&s->keys[k]);
	free(s->strs);
	arena_release(&s->text);
	linkstore_init(s);
	s->by_pos = by_pos;
}

/* ---- id -> first row ---- */

static size_t map_home(const struct ls_map *m, uint32_t id)
{
	return (size_t)((id * 0x9E3779B1u) & (m->alloc - 1));
}

/* The slot of 'id', or of the free slot where it would go. */
static size_t map_slot(const struct ls_map *m, uint32_t id)
{
	size_t i = map_home(m, id);

	while (m->slots[i].id && m->slots[i].id != id)
		i = (i + 1) & (m->alloc - 1);
	return i;
}

/* Rehash into 'alloc' slots, a power of two. */
static void map_resize(struct ls_map *m, size_t alloc)
{
	struct ls_map old = *m;

	m->alloc = alloc;
	m->slots = xcalloc(m->alloc, sizeof(*m->slots));
	for (size_t i = 0; i < old.alloc; i++)
		if (old.slots[i].id)
			m->slots[map_slot(m, old.slots[i].id)] = old.slots[i];
	ls_map_release(&old);
}

static void map_grow(struct ls_map *m)
{
	map_resize(m, m->alloc ? 2 * m->alloc : 64);
}

void ls_map_reserve(struct ls_map *m, size_t n)
{
	size_t alloc = m->alloc ? m->alloc : 64;

	while (4 * (n + 1) > 3 * alloc)
		alloc *= 2;
	if (alloc > m->alloc)
		map_resize(m, alloc);
}

uint32_t ls_map_get(const struct ls_map *m, uint64_t id)
{
	size_t i;

	if (!m->alloc || !id || id > UINT32_MAX)
		return 0;
	i = map_slot(m, (uint32_t)id);
	return m->slots[i].id ? m->slots[i].first : 0;
}

/* The first row's place for 'id', made if need be (an id stays in the
   map once there: a parent or key without rows has first 0). */
uint32_t *ls_map_at(struct ls_map *m, uint32_t id)
{
	size_t i;

	if (4 * (m->nr + 1) > 3 * m->alloc)      /* at most 3/4 full */
		map_grow(m);
	i = map_slot(m, id);
	if (!m->slots[i].id) {
		m->slots[i] = (struct ls_slot){ id, 0 };
		m->nr++;
	}
	return &m->slots[i].first;
}

/* ---- rows ---- */

static uint32_t *key_head(struct linkstore *s, int k, uint32_t value)
{
	return value ? ls_map_at(&s->keys[k], value) : &s->null_first[k];
}

static uint32_t *chain_next(const struct ls_chain *c, uint32_t id)
{
	return (uint32_t *)(void *)(c->rows + id * c->stride + c->next);
}

static uint32_t *chain_prev(const struct ls_chain *c, uint32_t id)
{
	return (uint32_t *)(void *)(c->rows + id * c->stride + c->prev);
}

/* At the end, but for a key changed on a row older than the last. */
void ls_chain_insert(const struct ls_chain *c, uint32_t *head, uint32_t id)
{
	uint32_t last, at;

	*chain_next(c, id) = 0;
	if (!*head) {
		*head = id;
		*chain_prev(c, id) = id;
		return;
	}
	last = *chain_prev(c, *head);
	if (last < id) {
		*chain_prev(c, id) = last;
		*chain_next(c, last) = id;
		*chain_prev(c, *head) = id;
		return;
	}
	if (*head > id) {               /* the new first */
		*chain_next(c, id) = *head;
		*chain_prev(c, id) = last;
		*chain_prev(c, *head) = id;
		*head = id;
		return;
	}
	for (at = *head; *chain_next(c, at) < id; at = *chain_next(c, at))
		;
	*chain_next(c, id) = *chain_next(c, at);
	*chain_prev(c, id) = at;
	*chain_prev(c, *chain_next(c, id)) = id;
	*chain_next(c, at) = id;
}

void ls_chain_remove(const struct ls_chain *c, uint32_t *head, uint32_t id)
{
	uint32_t next = *chain_next(c, id), prev = *chain_prev(c, id);

	if (*head == id) {
		*head = next;
		if (next)
			*chain_prev(c, next) = prev;
		return;
	}
	*chain_next(c, prev) = next;
	*chain_prev(c, next ? next : *head) = prev;
}

struct ls_chain ls_keys_chain(const struct ls_keys *t, void *rows, int k)
{
	struct ls_chain c = {
		rows, t->stride,
		t->next + (size_t)k * sizeof(uint32_t), t->prev + (size_t)k * sizeof(uint32_t),
	};

	return c;
}

static uint32_t row_key(const struct ls_keys *t, void *rows, int k, uint32_t id)
{
	uint32_t key;

	memcpy(&key, (unsigned char *)rows + (size_t)id * t->stride + t->key +
	       (size_t)k * sizeof(uint32_t), sizeof(key));
	return key;
}

void ls_keys_link(const struct ls_keys *t, void *rows, struct ls_map *map, int k, uint32_t id)
{
	struct ls_chain c = ls_keys_chain(t, rows, k);
	uint32_t key = row_key(t, rows, k, id);

	*chain_next(&c, id) = *chain_prev(&c, id) = 0;
	if (key)
		ls_chain_insert(&c, ls_map_at(map, key), id);
}

void ls_keys_unlink(const struct ls_keys *t, void *rows, struct ls_map *map, int k, uint32_t id)
{
	struct ls_chain c = ls_keys_chain(t, rows, k);
	uint32_t key = row_key(t, rows, k, id);

	if (key)
		ls_chain_remove(&c, ls_map_at(map, key), id);
}

static const struct ls_keys link_keys = {
	sizeof(struct link_row), offsetof(struct link_row, key),
	offsetof(struct link_row, key_next), offsetof(struct link_row, key_prev),
};

/* Key k's list of the rows in id order. */
static struct ls_chain key_chain(struct linkstore *s, int k)
{
	return ls_keys_chain(&link_keys, s->rows, k);
}

static void key_append(struct linkstore *s, int k, uint32_t id)
{
	struct ls_chain c = key_chain(s, k);

	ls_chain_insert(&c, key_head(s, k, s->rows[id].key[k]), id);
}

static void key_unlink(struct linkstore *s, int k, uint32_t id)
{
	struct ls_chain c = key_chain(s, k);

	ls_chain_remove(&c, key_head(s, k, s->rows[id].key[k]), id);
}

/*
 * Into the parent's list after the last row of a lower position. Rows
 * mostly come in order, so the walk went to the end: an index of
 * 100,000 columns, or 20,000 indexes of one table, took seconds. Rows
 * of one parent mostly come one after another too: after the last row
 * linked, when it is its parent's last, there is nothing to walk.
 */
static void parent_link(struct linkstore *s, uint32_t id)
{
	struct link_row *r = &s->rows[id];
	uint32_t *at;

	if (s->tail && s->tail_parent == r->parent && !s->rows[s->tail].next &&
	    (!s->by_pos || s->rows[s->tail].pos <= r->pos)) {
		at = &s->rows[s->tail].next;
	} else {
		at = ls_map_at(&s->parents, r->parent);
		while (*at && (!s->by_pos || s->rows[*at].pos <= r->pos))
			at = &s->rows[*at].next;
	}
	r->next = *at;
	*at = id;
	s->tail_parent = r->parent;
	s->tail = id;
}

static void parent_unlink(struct linkstore *s, uint32_t id)
{
	uint32_t *at = ls_map_at(&s->parents, s->rows[id].parent);

	while (*at && *at != id)
		at = &s->rows[*at].next;
	if (*at)
		*at = s->rows[id].next;
	if (s->tail == id)
		s->tail = 0;
}

static uint32_t str_add(struct linkstore *s, const char *str)
{
	if (!str)
		return 0;
	ALLOC_GROW(s->strs, s->nr_strs + 1, s->strs_alloc);
	s->strs[s->nr_strs++] = arena_strdup(&s->text, str);
	return (uint32_t)s->nr_strs;
}

uint32_t linkstore_add(struct linkstore *s, uint32_t parent, int32_t pos,
		       const uint32_t key[LS_KEYS], const char *const str[LS_STRS],
		       uint32_t flags)
{
	struct link_row *r;
	uint32_t id;

	if (!parent)
		BUG("linkstore_add() without a parent");
	if (!s->nr_rows)
		s->nr_rows = 1;
	s->rows = rows_reserve(s->rows, &s->rows_alloc, sizeof(*s->rows), (int64_t)s->nr_rows,
			       (int64_t)s->nr_rows - 1, 64, "index or constraint columns");
	id = (uint32_t)s->nr_rows++;
	r = &s->rows[id];
	memset(r, 0, sizeof(*r));
	r->parent = parent;
	r->pos = pos;
	memcpy(r->key, key, sizeof(r->key));
	for (int i = 0; str && i < LS_STRS; i++)
		r->str[i] = str_add(s, str[i]);
	r->flags = flags;
	parent_link(s, id);
	for (int k = 0; k < LS_KEYS; k++)
		key_append(s, k, id);
	s->live++;
	return id;
}

void linkstore_set_key(struct linkstore *s, uint32_t id, int k, uint32_t value)
{
	if (!linkstore_get(s, id) || s->rows[id].key[k] == value)
		return;
	key_unlink(s, k, id);
	s->rows[id].key[k] = value;
	key_append(s, k, id);
}

void linkstore_set_str(struct linkstore *s, uint32_t id, int k, const char *str)
{
	if (linkstore_get(s, id))
		s->rows[id].str[k] = str_add(s, str);   /* the old text stays in the arena */
}

void linkstore_delete(struct linkstore *s, uint32_t id)
{
	if (!linkstore_get(s, id))
		return;
	parent_unlink(s, id);
	for (int k = 0; k < LS_KEYS; k++)
		key_unlink(s, k, id);
	s->rows[id].parent = 0;
	s->live--;
}

uint32_t linkstore_first(const struct linkstore *s, uint64_t parent)
{
	return ls_map_get(&s->parents, parent);
}

uint32_t linkstore_key_first(const struct linkstore *s, int k, uint64_t value)
{
	if (!value)
		return s->null_first[k];
	return ls_map_get(&s->keys[k], value);
}

/* ---- bytes ---- */

void linkstore_save(const struct linkstore *s, struct strbuf *out)
{
	put_u32(out, (uint32_t)s->live);
	for (size_t id = 1; id < s->nr_rows; id++) {
		const struct link_row *r = &s->rows[id];

		if (!r->parent)
			continue;
		put_u32(out, r->parent);
		put_u32(out, (uint32_t)r->pos);
		for (int k = 0; k < LS_KEYS; k++)
			put_u32(out, r->key[k]);
		put_u32(out, r->flags);
		for (int i = 0; i < LS_STRS; i++) {
			const char *str = linkstore_str(s, r->str[i]);

			put_u32(out, str ? (uint32_t)strlen(str) + 1 : 0);
			if (str)
				strbuf_addstr(out, str);
		}
	}
}

/* parent, pos, keys, flags, string lengths */
#define ROW_WORDS (3 + LS_KEYS + LS_STRS)

/*
 * A saved string, copied NUL-terminated into 'buf' at its end: its
 * offset there, -1 for NULL (length 0); *bad for one that is not there.
 */
static long load_str(struct reader *b, struct strbuf *buf, bool *bad)
{
	uint32_t len = rd_u32(b);
	const unsigned char *text;
	size_t at = buf->len;

	if (b->bad || !len)
		return -1;
	if (!(text = rd_bytes(b, len - 1)) || memchr(text, '\0', len - 1)) {
		*bad = true;
		return -1;
	}
	strbuf_add(buf, text, len - 1);
	strbuf_addch(buf, '\0');
	return (long)at;
}

/* 'buf': scratch space for the row's strings (no allocation per row) */
static int load_row(struct linkstore *s, struct reader *b, struct strbuf *buf)
{
	uint32_t parent = rd_u32(b), key[LS_KEYS], flags;
	int32_t pos = (int32_t)rd_u32(b);
	const char *str[LS_STRS];
	long at[LS_STRS];
	bool bad = false;

	for (int k = 0; k < LS_KEYS; k++)
		key[k] = rd_u32(b);
	flags = rd_u32(b);
	strbuf_reset(buf);
	for (int i = 0; i < LS_STRS; i++)
		at[i] = load_str(b, buf, &bad);
	if (b->bad || bad || !parent)
		return -1;
	for (int i = 0; i < LS_STRS; i++)
		str[i] = at[i] < 0 ? NULL : buf->buf + at[i];
	linkstore_add(s, parent, pos, key, str, flags);
	return 0;
}

size_t linkstore_load(struct linkstore *s, const void *data, size_t len)
{
	struct reader b = { data, (const unsigned char *)data + len, false };
	uint32_t nr = rd_u32(&b);
	struct strbuf buf;
	size_t ret = 0;

	if (b.bad || nr > (size_t)(b.end - b.p) / (4 * ROW_WORDS))
		return 0;
	/* no map grows while the rows come in (at most nr ids each) */
	ls_map_reserve(&s->parents, nr);
	for (int k = 0; k < LS_KEYS; k++)
		ls_map_reserve(&s->keys[k], nr);
	strbuf_init(&buf);
	for (uint32_t i = 0; i < nr; i++)
		if (load_row(s, &b, &buf))
			goto out;
	ret = (size_t)(b.p - (const unsigned char *)data);
out:
	strbuf_release(&buf);
	return ret;
}
