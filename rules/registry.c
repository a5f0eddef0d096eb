/*
 * registry.c - the rule table built from RULE_LIST, the implementations
 * by id, and access to the embedded doc pages.
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "util.h"
#include "banned.h"

extern const struct rule_impl rule_drop_table, rule_drop_column, rule_drop_schema,
	rule_truncate_table, rule_narrowing_type_change, rule_add_required_column,
	rule_set_not_null, rule_index_not_concurrent, rule_concurrent_in_transaction,
	rule_missing_fk_index;

#define IMPL(e) [RULE_##e] =
static const struct rule_impl *const impls[NR_RULES] = {
	IMPL(DROP_TABLE) &rule_drop_table,
	IMPL(DROP_COLUMN) &rule_drop_column,
	IMPL(DROP_SCHEMA) &rule_drop_schema,
	IMPL(TRUNCATE_TABLE) &rule_truncate_table,
	IMPL(NARROWING_TYPE_CHANGE) &rule_narrowing_type_change,
	IMPL(ADD_REQUIRED_COLUMN) &rule_add_required_column,
	IMPL(SET_NOT_NULL) &rule_set_not_null,
	IMPL(INDEX_NOT_CONCURRENT) &rule_index_not_concurrent,
	IMPL(CONCURRENT_IN_TRANSACTION) &rule_concurrent_in_transaction,
	IMPL(MISSING_FK_INDEX) &rule_missing_fk_index,
};
#undef IMPL

const struct rule_info rule_table[NR_RULES] = {
#define R_INFO(e, id, cat, sev, sum) \
	[RULE_##e] = { RULE_##e, id, cat, sev, sum, NULL },
	RULE_LIST(R_INFO)
#undef R_INFO
};

const struct rule_info *rule_by_id(const char *id)
{
	for (int i = 0; i < NR_RULES; i++)
		if (!strcmp(rule_table[i].id, id))
			return &rule_table[i];
	return NULL;
}

const struct rule_impl *rule_impl_of(const struct rule_info *r)
{
	return impls[r->rule];
}

const char *rule_doc(const struct rule_info *r)
{
	for (const struct embedded_doc *d = embedded_docs; d->id; d++)
		if (!strcmp(d->id, r->id))
			return d->text;
	return NULL;
}

/* The value of a "key: value" header line of a doc page (malloc'ed). */
char *rule_doc_field(const struct rule_info *r, const char *key)
{
	const char *doc = rule_doc(r), *p;
	size_t klen = strlen(key);

	for (p = doc; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, "## ", 3))
			break;   /* header lines come before the first section */
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			const char *v = p + klen + 1, *end = strchr(v, '\n');

			while (*v == ' ')
				v++;
			return xstrndup(v, end ? (size_t)(end - v) : strlen(v));
		}
	}
	return NULL;
}

const char *rule_help(const struct rule_info *r)
{
	static char *cache[NR_RULES];
	static bool done[NR_RULES];

	if (!done[r->rule]) {
		cache[r->rule] = rule_doc_field(r, "help");
		done[r->rule] = true;
	}
	return cache[r->rule];
}
