/*
 * fuzz_pgjson.c - libFuzzer target for the in-place JSON decoder: the
 * input (up to its first NUL) is decoded by cJSON_Parse(), the
 * reference, and by pgjson_parse(); the target aborts when one decodes
 * and the other does not, or when the trees differ in any field (type,
 * key, string bytes, valueint, valuedouble bit for bit, links). The
 * sanitizers catch any read or write outside the input.
 *
 * Seed it with libpg_query's JSON (tests/test_pgjson.c makes it) and
 * fuzz/json.dict. Build with -DMIGSAFE_FUZZ=ON and clang.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pgjson.h"

/* Every node allocation is its own block, all freed after the input. */
struct blocks {
	void **v;
	size_t nr, alloc;
};

static void *blocks_alloc(void *data, size_t n)
{
	struct blocks *b = data;

	if (b->nr == b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 16;
		if (!(b->v = realloc(b->v, b->alloc * sizeof(*b->v))))
			abort();
	}
	return b->v[b->nr++] = malloc(n);
}

static void blocks_release(struct blocks *b)
{
	for (size_t i = 0; i < b->nr; i++)
		free(b->v[i]);
	free(b->v);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_tree(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;

	if (a->type != b->type || !same_str(a->string, b->string) ||
	    !same_str(a->valuestring, b->valuestring) ||
	    a->valueint != b->valueint ||
	    memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) ||
	    !a->child != !b->child)
		return false;
	if (a->child && (a->child->prev == NULL) != (b->child->prev == NULL))
		return false;
	for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
		if (!same_tree(x, y) || (x != a->child && y->prev->next != y))
			return false;
	return !x && !y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct blocks b = { NULL, 0, 0 };
	cJSON *ref, *got;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	ref = cJSON_Parse(text);
	got = pgjson_parse(text, blocks_alloc, &b);
	if (!ref != !got || (ref && !same_tree(ref, got)))
		abort();
	cJSON_Delete(ref);
	blocks_release(&b);
	free(text);
	return 0;
}
