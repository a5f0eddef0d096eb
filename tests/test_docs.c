/*
 * test_docs.c - one source for rule documentation: every rule has a doc
 * page whose header agrees with the registry, the sections a reader and
 * SARIF need, fixtures, and a row in the README's rule table.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "embedded.h"
#include "rules.h"
#include "util.h"

static const char *src_dir(void)
{
	const char *d = getenv("MIGSAFE_SOURCE_DIR");

	return d ? d : ".";
}

START_TEST(test_doc_header_matches_registry)
{
	for (int i = 0; i < NR_RULES; i++) {
		const struct rule_info *r = &rule_table[i];
		char *summary = rule_doc_field(r, "summary");
		char *category = rule_doc_field(r, "category");
		char *dflt = rule_doc_field(r, "default");

		ck_assert_msg(rule_doc(r), "no docs/rules/%s.md", r->id);
		ck_assert_msg(summary && !strcmp(summary, r->summary),
			      "%s: doc summary '%s' != registry '%s'", r->id,
			      summary ? summary : "(none)", r->summary);
		ck_assert_msg(category && !strcmp(category, r->category),
			      "%s: doc category differs", r->id);
		ck_assert_msg(dflt && !strcmp(dflt, severity_name(r->default_severity)),
			      "%s: doc default differs", r->id);
		ck_assert_msg(rule_help(r) && *rule_help(r), "%s: no help line", r->id);
		free(summary);
		free(category);
		free(dflt);
	}
}
END_TEST

START_TEST(test_doc_sections)
{
	static const char *const sections[] = {
		"## What it catches", "## Why it is dangerous", "## Bad", "## Safe", "```sql",
	};

	for (int i = 0; i < NR_RULES; i++) {
		const char *doc = rule_doc(&rule_table[i]);
		char title[128];

		ck_assert_ptr_nonnull(doc);
		snprintf(title, sizeof(title), "# %s\n", rule_table[i].id);
		ck_assert_msg(!strncmp(doc, title, strlen(title)), "%s: title", rule_table[i].id);
		for (size_t j = 0; j < ARRAY_SIZE(sections); j++)
			ck_assert_msg(strstr(doc, sections[j]), "%s: no '%s'", rule_table[i].id,
				      sections[j]);
	}
}
END_TEST

/* Rules the engine reports itself have no implementation of their own. */
static bool engine_reported(const struct rule_info *r)
{
	static const char *const ids[] = {
		"syntax-error", "unknown-object", "duplicate-object", "unanalyzable-statement",
		"unused-suppression", "modified-applied-migration", "out-of-order-migration",
		"duplicate-version",
	};

	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		if (!strcmp(ids[i], r->id))
			return true;
	return false;
}

START_TEST(test_every_rule_is_implemented)
{
	for (int i = 0; i < NR_RULES; i++)
		ck_assert_msg(engine_reported(&rule_table[i]) || rule_impl_of(&rule_table[i]),
			      "%s: no implementation (rules/%s.c)", rule_table[i].id, rule_table[i].id);
}
END_TEST

START_TEST(test_no_orphan_docs)
{
	for (const struct embedded_doc *d = embedded_docs; d->id; d++)
		ck_assert_msg(rule_by_id(d->id), "docs/rules/%s.md has no rule", d->id);
}
END_TEST

static int count_sql(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!dp)
		return 0;
	while ((e = readdir(dp)))
		n += str_ends_with(e->d_name, ".sql");
	closedir(dp);
	return n;
}

/* History rules judge the directory and git, not SQL: a fixture file
   cannot express them; tests/t_base.py covers them with real git. */
static bool git_tested(const struct rule_info *r)
{
	return !strcmp(r->id, "modified-applied-migration") ||
	       !strcmp(r->id, "out-of-order-migration") || !strcmp(r->id, "duplicate-version");
}

START_TEST(test_every_rule_has_fixtures)
{
	for (int i = 0; i < NR_RULES; i++) {
		char *dir;

		if (git_tested(&rule_table[i]))
			continue;
		dir = xstrfmt("%s/fixtures/%s", src_dir(), rule_table[i].id);

		ck_assert_msg(count_sql(dir) >= 2, "%s: fewer than two fixtures (firing and quiet)",
			      rule_table[i].id);
		free(dir);
	}
}
END_TEST

START_TEST(test_readme_rule_table)
{
	char *path = xstrfmt("%s/README.md", src_dir()), *readme = NULL;
	size_t len;

	ck_assert_int_eq(read_file(path, &readme, &len, 1 << 20), 0);
	for (int i = 0; i < NR_RULES; i++) {
		const struct rule_info *r = &rule_table[i];
		char *row = xstrfmt("| `%s` | %s | %s | %s |", r->id, r->category,
				    severity_name(r->default_severity), r->summary);

		ck_assert_msg(strstr(readme, row), "README lacks the row: %s", row);
		free(row);
	}
	free(readme);
	free(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_doc_header_matches_registry);
	tcase_add_test(tc, test_doc_sections);
	tcase_add_test(tc, test_no_orphan_docs);
	tcase_add_test(tc, test_every_rule_is_implemented);
	tcase_add_test(tc, test_every_rule_has_fixtures);
	tcase_add_test(tc, test_readme_rule_table);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
