/*
 * sqlite_mem.c - size-class free lists in front of malloc() for SQLite
 * (sqlite_mem.h). On the 20,000-statement benchmark SQLite asks for
 * 840,000 blocks, almost all small and freed soon after.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_mem.h"

#include "banned.h"

#define HEADER 16                       /* keeps the payload 16-aligned */
#define CLASSES (SQLITE_MEM_SMALL / 16)
#define CHUNK (64 * 1024)

struct chunk {
	struct chunk *next;
	/* blocks follow, from offset HEADER */
};

static void *free_list[CLASSES + 1];    /* by size / 16; a block's first word links */
static struct chunk *chunks;
static char *carve, *carve_end;

static uint64_t *header(void *p)
{
	return (uint64_t *)((char *)p - HEADER);
}

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* A new small block of 'size' bytes (a multiple of 16), header included. */
static void *carve_block(size_t size)
{
	struct chunk *c;
	char *p;

	if ((size_t)(carve_end - carve) < HEADER + size) {
		if (!(c = malloc(CHUNK)))
			return NULL;
		c->next = chunks;
		chunks = c;
		carve = (char *)c + HEADER;
		carve_end = (char *)c + CHUNK;
	}
	p = carve;
	carve += HEADER + size;
	return p + HEADER;
}

static void *mem_malloc(int n)
{
	size_t size = n > 0 ? (size_t)n : 1;
	void *p;

	if (size <= SQLITE_MEM_SMALL) {
		size = round16(size);
		p = free_list[size / 16];
		if (p)
			free_list[size / 16] = *(void **)p;
		else if (!(p = carve_block(size)))
			return NULL;
	} else {
		char *h = malloc(HEADER + size);

		if (!h)
			return NULL;
		p = h + HEADER;
	}
	*header(p) = size;
	return p;
}

static void mem_free(void *p)
{
	uint64_t size;

	if (!p)
		return;
	size = *header(p);
	if (size <= SQLITE_MEM_SMALL) {
		*(void **)p = free_list[size / 16];
		free_list[size / 16] = p;
	} else {
		free(header(p));
	}
}

static int mem_size(void *p)
{
	return p ? (int)*header(p) : 0;
}

static void *mem_realloc(void *p, int n)
{
	size_t old = (size_t)*header(p), size = n > 0 ? (size_t)n : 1;
	void *q;

	if (old > SQLITE_MEM_SMALL && size > SQLITE_MEM_SMALL) {
		char *h = realloc(header(p), HEADER + size);

		if (!h)
			return NULL;
		q = h + HEADER;
		*header(q) = size;
		return q;
	}
	if (size <= SQLITE_MEM_SMALL && round16(size) == old)
		return p;
	if (!(q = mem_malloc(n)))
		return NULL;
	memcpy(q, p, old < size ? old : size);
	mem_free(p);
	return q;
}

static int mem_roundup(int n)
{
	return n <= SQLITE_MEM_SMALL ? (int)round16(n > 0 ? (size_t)n : 1) : n;
}

static int mem_init(void *data)
{
	(void)data;
	return SQLITE_OK;
}

static void mem_shutdown(void *data)
{
	(void)data;
	while (chunks) {
		struct chunk *next = chunks->next;

		free(chunks);
		chunks = next;
	}
	memset(free_list, 0, sizeof(free_list));
	carve = carve_end = NULL;
}

const sqlite3_mem_methods *sqlite_mem_methods(void)
{
	static const sqlite3_mem_methods methods = {
		mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup,
		mem_init, mem_shutdown, NULL
	};

	return &methods;
}
