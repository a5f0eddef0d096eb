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

/*
 * Each rule's implementation lives in rules/<id>.c. While a rule is being
 * written its symbol may be missing; the weak declaration makes it NULL
 * (the rule then never runs) instead of breaking the build, and
 * tests/test_docs.c fails until every rule has its implementation.
 */
#define WEAK __attribute__((weak))
extern const struct rule_impl rule_transaction_nesting WEAK;
extern const struct rule_impl rule_foreign_keys_left_off WEAK;
extern const struct rule_impl rule_drop_table WEAK;
extern const struct rule_impl rule_drop_column WEAK;
extern const struct rule_impl rule_drop_schema WEAK;
extern const struct rule_impl rule_drop_database WEAK;
extern const struct rule_impl rule_truncate_table WEAK;
extern const struct rule_impl rule_drop_cascade WEAK;
extern const struct rule_impl rule_delete_all_rows WEAK;
extern const struct rule_impl rule_table_rebuild_loses_data WEAK;
extern const struct rule_impl rule_narrowing_type_change WEAK;
extern const struct rule_impl rule_type_change_rewrite WEAK;
extern const struct rule_impl rule_fk_type_mismatch WEAK;
extern const struct rule_impl rule_add_required_column WEAK;
extern const struct rule_impl rule_set_not_null WEAK;
extern const struct rule_impl rule_add_column_volatile_default WEAK;
extern const struct rule_impl rule_index_not_concurrent WEAK;
extern const struct rule_impl rule_drop_index_not_concurrent WEAK;
extern const struct rule_impl rule_concurrent_in_transaction WEAK;
extern const struct rule_impl rule_add_foreign_key_validates WEAK;
extern const struct rule_impl rule_add_check_validates WEAK;
extern const struct rule_impl rule_add_unique_constraint WEAK;
extern const struct rule_impl rule_unique_on_existing_data WEAK;
extern const struct rule_impl rule_missing_lock_timeout WEAK;
extern const struct rule_impl rule_blocking_maintenance WEAK;
extern const struct rule_impl rule_enum_value_in_transaction WEAK;
extern const struct rule_impl rule_rename_table WEAK;
extern const struct rule_impl rule_rename_column WEAK;
extern const struct rule_impl rule_missing_fk_index WEAK;
extern const struct rule_impl rule_table_without_primary_key WEAK;
extern const struct rule_impl rule_redundant_index WEAK;
extern const struct rule_impl rule_prefer_bigint_pk WEAK;
extern const struct rule_impl rule_prefer_timestamptz WEAK;
extern const struct rule_impl rule_prefer_identity WEAK;
extern const struct rule_impl rule_prefer_text WEAK;
extern const struct rule_impl rule_ban_char WEAK;
extern const struct rule_impl rule_prefer_jsonb WEAK;
extern const struct rule_impl rule_naming_convention WEAK;

#define IMPL(e) [RULE_##e] =
static const struct rule_impl *const impls[NR_RULES] = {
	IMPL(TRANSACTION_NESTING) &rule_transaction_nesting,
	IMPL(FOREIGN_KEYS_LEFT_OFF) &rule_foreign_keys_left_off,
	IMPL(DROP_TABLE) &rule_drop_table,
	IMPL(DROP_COLUMN) &rule_drop_column,
	IMPL(DROP_SCHEMA) &rule_drop_schema,
	IMPL(DROP_DATABASE) &rule_drop_database,
	IMPL(TRUNCATE_TABLE) &rule_truncate_table,
	IMPL(DROP_CASCADE) &rule_drop_cascade,
	IMPL(DELETE_ALL_ROWS) &rule_delete_all_rows,
	IMPL(TABLE_REBUILD_LOSES_DATA) &rule_table_rebuild_loses_data,
	IMPL(NARROWING_TYPE_CHANGE) &rule_narrowing_type_change,
	IMPL(TYPE_CHANGE_REWRITE) &rule_type_change_rewrite,
	IMPL(FK_TYPE_MISMATCH) &rule_fk_type_mismatch,
	IMPL(ADD_REQUIRED_COLUMN) &rule_add_required_column,
	IMPL(SET_NOT_NULL) &rule_set_not_null,
	IMPL(ADD_COLUMN_VOLATILE_DEFAULT) &rule_add_column_volatile_default,
	IMPL(INDEX_NOT_CONCURRENT) &rule_index_not_concurrent,
	IMPL(DROP_INDEX_NOT_CONCURRENT) &rule_drop_index_not_concurrent,
	IMPL(CONCURRENT_IN_TRANSACTION) &rule_concurrent_in_transaction,
	IMPL(ADD_FOREIGN_KEY_VALIDATES) &rule_add_foreign_key_validates,
	IMPL(ADD_CHECK_VALIDATES) &rule_add_check_validates,
	IMPL(ADD_UNIQUE_CONSTRAINT) &rule_add_unique_constraint,
	IMPL(UNIQUE_ON_EXISTING_DATA) &rule_unique_on_existing_data,
	IMPL(MISSING_LOCK_TIMEOUT) &rule_missing_lock_timeout,
	IMPL(BLOCKING_MAINTENANCE) &rule_blocking_maintenance,
	IMPL(ENUM_VALUE_IN_TRANSACTION) &rule_enum_value_in_transaction,
	IMPL(RENAME_TABLE) &rule_rename_table,
	IMPL(RENAME_COLUMN) &rule_rename_column,
	IMPL(MISSING_FK_INDEX) &rule_missing_fk_index,
	IMPL(TABLE_WITHOUT_PRIMARY_KEY) &rule_table_without_primary_key,
	IMPL(REDUNDANT_INDEX) &rule_redundant_index,
	IMPL(PREFER_BIGINT_PK) &rule_prefer_bigint_pk,
	IMPL(PREFER_TIMESTAMPTZ) &rule_prefer_timestamptz,
	IMPL(PREFER_IDENTITY) &rule_prefer_identity,
	IMPL(PREFER_TEXT) &rule_prefer_text,
	IMPL(BAN_CHAR) &rule_ban_char,
	IMPL(PREFER_JSONB) &rule_prefer_jsonb,
	IMPL(NAMING_CONVENTION) &rule_naming_convention,
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

	if (r->rule >= NR_RULES)
		return NULL;   /* a custom rule: its message is all it has */
	if (!done[r->rule]) {
		cache[r->rule] = rule_doc_field(r, "help");
		done[r->rule] = true;
	}
	return cache[r->rule];
}
