/*
 * strpool.c - interned strings (strpool.h).
 */
#include "strpool.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

void strpool_init(struct strpool *p)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->text);
}

void strpool_release(struct strpool *p)
{
	free(p->strs);
	free(p->slots);
	arena_release(&p->text);
	strpool_init(p);
}

/*
 * Eight bytes at a time (FNV-1a, a byte at a time, was a sixth of the
 * pool's lookups in a long history). Only this process's slots use the
 * value: it is never saved.
 */
uint64_t strpool_hash(const char *str, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= 8; n -= 8, str += 8) {
		memcpy(&w, str, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (n) {
		w = 0;
		memcpy(&w, str, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return h ^ h >> 33;
}

static uint64_t str_hash(const char *str)
{
	return strpool_hash(str, strlen(str));
}

/* A slot's key: the string's id, and above it the top half of its
   hash, so a probe reads a string only when the halves match (in a
   long history the strings are megabytes: each one read was a cache
   miss). */
static uint64_t slot_of(uint64_t h, uint32_t id)
{
	return (h >> 32) << 32 | id;
}

static void slot_put(struct strpool_slot *slots, size_t alloc, uint64_t h, uint32_t id,
		     const char *str)
{
	size_t i = h & (alloc - 1);

	while (slots[i].key)
		i = (i + 1) & (alloc - 1);
	slots[i].key = slot_of(h, id);
	slots[i].str = str;
}

/* Slots for 'nr' strings at most half full, rehashed once. */
static void slots_reserve(struct strpool *p, size_t nr)
{
	size_t alloc = p->slots_alloc ? p->slots_alloc : 256;
	struct strpool_slot *slots;

	while (2 * (nr + 1) > alloc)
		alloc *= 2;
	if (alloc == p->slots_alloc)
		return;
	slots = xcalloc(alloc, sizeof(*slots));
	for (size_t i = 0; i < p->nr; i++)
		slot_put(slots, alloc, str_hash(p->strs[i]), (uint32_t)i + 1, p->strs[i]);
	free(p->slots);
	p->slots = slots;
	p->slots_alloc = alloc;
}

static uint32_t lookup(const struct strpool *p, const char *str, uint64_t h)
{
	uint64_t tag = slot_of(h, 0);
	size_t i;

	if (!p->slots_alloc)
		return 0;
	for (i = h & (p->slots_alloc - 1); p->slots[i].key; i = (i + 1) & (p->slots_alloc - 1))
		if ((p->slots[i].key ^ tag) >> 32 == 0 && !strcmp(p->slots[i].str, str))
			return (uint32_t)p->slots[i].key;
	return 0;
}

uint32_t strpool_find(const struct strpool *p, const char *str)
{
	return str ? lookup(p, str, str_hash(str)) : 0;
}

uint32_t strpool_find_hashed(const struct strpool *p, const char *str, uint64_t h)
{
	return lookup(p, str, h);
}

/* strpool_intern() of the 'n' bytes at 'str' (its strlen()). */
static uint32_t intern_len(struct strpool *p, const char *str, size_t n)
{
	uint64_t h = strpool_hash(str, n);
	uint32_t id;

	if ((id = lookup(p, str, h)))
		return id;
	if (2 * (p->nr + 1) > p->slots_alloc)
		slots_reserve(p, p->nr);
	if (p->nr >= UINT32_MAX - 1)
		die("too many distinct strings in the catalog");
	ALLOC_GROW(p->strs, p->nr + 1, p->alloc);
	p->strs[p->nr++] = arena_strndup(&p->text, str, n);
	id = (uint32_t)p->nr;
	slot_put(p->slots, p->slots_alloc, h, id, p->strs[id - 1]);
	return id;
}

uint32_t strpool_intern(struct strpool *p, const char *str)
{
	return str ? intern_len(p, str, strlen(str)) : 0;
}

void strpool_save(const struct strpool *p, struct strbuf *out)
{
	put_u32(out, (uint32_t)p->nr);
	for (size_t i = 0; i < p->nr; i++)
		strbuf_add(out, p->strs[i], strlen(p->strs[i]) + 1);
}

int strpool_load(struct strpool *p, struct reader *r, uint32_t **map, uint32_t *nr)
{
	*nr = rd_u32(r);
	if (r->bad || *nr > (size_t)(r->end - r->p))   /* a byte each at least */
		return -1;
	*map = xcalloc(*nr ? *nr : 1, sizeof(**map));
	/* room for them all at once (a cached catalog's pools hold tens of
	   thousands: grown one at a time, each was hashed again and again) */
	slots_reserve(p, p->nr + *nr);
	ALLOC_GROW(p->strs, p->nr + *nr, p->alloc);
	for (uint32_t i = 0; i < *nr; i++) {
		const unsigned char *nul = memchr(r->p, '\0', (size_t)(r->end - r->p));

		if (!nul)
			return -1;
		(*map)[i] = intern_len(p, (const char *)r->p, (size_t)(nul - r->p));
		r->p = nul + 1;
	}
	return 0;
}

size_t strpool_load_rows(struct strpool *p, const void *data, size_t len, size_t row_bytes,
			 strpool_row_fn *row, void *store)
{
	struct reader b = { data, (const unsigned char *)data + len, false };
	uint32_t *map = NULL;
	uint32_t nr_strs, nr_rows;
	uint64_t max_id;
	size_t ret = 0;

	if (strpool_load(p, &b, &map, &nr_strs))
		goto out;
	nr_rows = rd_u32(&b);
	if (b.bad || nr_rows > (size_t)(b.end - b.p) / row_bytes)
		goto out;
	/* ids have gaps (rows dropped): one far beyond what the rows can
	   account for is damage, never memory to reserve */
	max_id = 16 * (uint64_t)nr_rows + 65536;
	for (uint32_t i = 0; i < nr_rows; i++)
		if (row(store, &b, map, nr_strs, max_id))
			goto out;
	ret = (size_t)(b.p - (const unsigned char *)data);
out:
	free(map);
	return ret;
}
