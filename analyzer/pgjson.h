/*
 * pgjson.h - decode libpg_query's JSON parse trees in place.
 *
 * cJSON_Parse() copies every key and string out of the text into its own
 * allocation and runs strtod() on every number; for libpg_query's trees
 * (tens of thousands of small values per file) that was a tenth of a
 * lint. pgjson_parse() builds the same tree - the same struct cJSON
 * nodes with the same type, valuestring, valueint, valuedouble, string
 * and next/prev/child links - without copying: keys and strings are
 * unescaped and NUL-terminated inside the text itself (unescaping only
 * shrinks), integers are read without strtod(), and nodes come from the
 * caller's allocator.
 *
 * It accepts exactly the texts cJSON_Parse() accepts and builds the same
 * tree from them - cJSON 1.7.15 as Debian 12 ships it, whose numbers may
 * be of any length (the fix for CVE-2023-26819, upstream in 1.7.18) -
 * quirks included: a UTF-8 BOM is skipped,
 * bytes 1..32 count as whitespace, text after the value is ignored,
 * "\u" with bad hex digits decodes to U+0000, and nesting deeper than
 * PGJSON_NESTING_LIMIT arrays and objects fails the decode. Where cJSON
 * fails (an unpaired or invalid surrogate, an unknown escape, a number
 * strtod() cannot read, a truncated text) pgjson_parse() fails too: it
 * returns NULL, having read nothing past the text's NUL and written
 * nothing outside the text.
 *
 * Ownership. The caller keeps the text; pgjson_parse() rewrites it, and
 * the tree's strings point into it, so the text must outlive the tree
 * and is no longer the JSON it was, even after a failed decode (copy
 * what you need from it first). The nodes belong to 'alloc', which must
 * be an arena of some kind: pgjson never frees a node, and on failure
 * the nodes it allocated are left to the allocator. So never hand the
 * tree to cJSON_Delete() or to any cJSON function that frees or changes
 * it; reading it with cJSON's accessors (cJSON_IsString(),
 * cJSON_GetObjectItemCaseSensitive(), cJSON_ArrayForEach(), ...) is fine.
 */
#ifndef MIGSAFE_PGJSON_H
#define MIGSAFE_PGJSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* cJSON's CJSON_NESTING_LIMIT: deeper trees fail, as they do in cJSON */
#define PGJSON_NESTING_LIMIT 1000

/*
 * Returns 'size' bytes aligned for a struct cJSON, or NULL (which fails
 * the decode). 'data' is pgjson_parse()'s.
 */
typedef void *pgjson_alloc_fn(void *data, size_t size);

/*
 * Decode the NUL-terminated JSON 'text' in place. Returns the root, or
 * NULL when cJSON_Parse() would fail on the text or 'alloc' fails.
 */
cJSON *pgjson_parse(char *text, pgjson_alloc_fn *alloc, void *data);

#endif
