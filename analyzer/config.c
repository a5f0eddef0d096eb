/*
 * config.c - read and validate .migsafe.json.
 *
 * Every key is checked; the first problem is reported as
 * "'<file>': <key>: <what is wrong> (<what is allowed>)" and loading
 * fails, so a typo never silently changes what is linted.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "discover.h"
#include "sqlite_dialect.h"
#include "banned.h"

#define CONFIG_NAME ".migsafe.json"

static const char *const naming_kinds[NR_NAMING] = {
	[NAMING_TABLE] = "table",
	[NAMING_COLUMN] = "column",
	[NAMING_INDEX] = "index",
	[NAMING_CONSTRAINT] = "constraint",
	[NAMING_FOREIGN_KEY] = "foreign_key",
};

const char *naming_kind_name(enum naming_kind kind)
{
	return naming_kinds[kind];
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->transaction = -1;
	c->runner_sets_lock_timeout = -1;
}

static void free_list(char **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void config_release(struct config *c)
{
	free(c->path);
	free(c->dir);
	free(c->dialect);
	free_list(c->migrations, c->nr_migrations);
	free(c->layout);
	free(c->initial_schema);
	for (int i = 0; i < NR_NAMING; i++) {
		free(c->naming[i]);
		pcre2_code_free(c->naming_code[i]);
	}
	free_list(c->exclude, c->nr_exclude);
	for (int i = 0; i < c->nr_custom; i++) {
		free(c->custom[i].id);
		free(c->custom[i].message);
		free(c->custom[i].sql);
	}
	free(c->custom);
	config_init(c);
}

static int bad(const struct config *c, const char *key, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int bad(const struct config *c, const char *key, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	error("'%s': %s: %s", c->path, key, sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* A path from the config, relative to the config file's directory. */
static char *resolve(const struct config *c, const char *p)
{
	if (p[0] == '/' || !strcmp(c->dir, "."))
		return xstrdup(p);
	return xstrfmt("%s/%s", c->dir, p);
}

static int get_string(const struct config *c, json_t *v, const char *key, char **out)
{
	if (!json_is_string(v))
		return bad(c, key, "must be a string");
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int set_dialect(struct config *c, json_t *v)
{
	enum dialect d;

	if (get_string(c, v, "dialect", &c->dialect))
		return -1;
	if (dialect_parse(c->dialect, &d))
		return bad(c, "dialect", "unsupported dialect '%s' (supported: postgresql, sqlite)",
			   c->dialect);
	return 0;
}

static int set_pg_version(struct config *c, json_t *v)
{
	json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;

	if (json_is_string(v))
		n = strtol(json_string_value(v), NULL, 10);
	if (n < 9 || n > 99)
		return bad(c, "pg_version", "must be a PostgreSQL major version such as 15");
	c->pg_version = (int)n;
	return 0;
}

static int string_list(const struct config *c, json_t *v, const char *key, char ***out, int *n,
		       bool paths)
{
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		*out = xcalloc(1, sizeof(**out));
		(*out)[0] = paths ? resolve(c, json_string_value(v)) : xstrdup(json_string_value(v));
		*n = 1;
		return 0;
	}
	if (!json_is_array(v))
		return bad(c, key, "must be a string or an array of strings");
	*out = xcalloc(json_array_size(v) + 1, sizeof(**out));
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return bad(c, key, "element %zu must be a string", i);
		(*out)[(*n)++] = paths ? resolve(c, json_string_value(e)) : xstrdup(json_string_value(e));
	}
	return 0;
}

static int set_layout(struct config *c, json_t *v)
{
	static const char *const names[] = {
		"golang-migrate", "goose", "atlas", "flyway", "dbmate", "diesel", "prisma", "plain",
	};

	if (get_string(c, v, "layout", &c->layout))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(c->layout, names[i]))
			return 0;
	return bad(c, "layout", "unknown layout '%s' (golang-migrate, goose, atlas, flyway,"
		   " dbmate, diesel, prisma, plain)", c->layout);
}

static int set_transaction(struct config *c, json_t *v)
{
	const char *s = json_string_value(v);

	if (s && !strcmp(s, "per-file"))
		c->transaction = TX_PER_FILE;
	else if (s && !strcmp(s, "none"))
		c->transaction = TX_NONE;
	else
		return bad(c, "transaction", "must be \"per-file\" or \"none\"");
	return 0;
}

static int set_bool(const struct config *c, json_t *v, const char *key, int *out)
{
	if (!json_is_boolean(v))
		return bad(c, key, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

static int level_of(const char *s, enum severity *out)
{
	if (s && !strcmp(s, "off")) {
		*out = SEV_OFF;
		return 0;
	}
	return s ? severity_parse(s, out) : -1;
}

static int set_rules(struct config *c, json_t *v)
{
	const char *id;
	json_t *lvl;

	if (!json_is_object(v))
		return bad(c, "rules", "must be an object of rule id -> error|warning|note|off");
	json_object_foreach(v, id, lvl) {
		const struct rule_info *r = rule_by_id(id);
		char *key = xstrfmt("rules.%s", id);
		int ret = 0;

		if (!r)
			ret = bad(c, key, "no such rule (see 'migsafe rules')");
		else if (level_of(json_string_value(lvl), &c->rule_severity[r->rule]))
			ret = bad(c, key, "must be \"error\", \"warning\", \"note\" or \"off\"");
		else
			c->rule_set[r->rule] = true;
		free(key);
		if (ret)
			return -1;
	}
	return 0;
}

static int compile_pattern(struct config *c, enum naming_kind k, const char *pattern)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	int code;
	char *key = xstrfmt("naming.%s", naming_kinds[k]);
	int ret = 0;

	c->naming_code[k] = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
					  &code, &offset, NULL);
	if (!c->naming_code[k]) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		ret = bad(c, key, "bad pattern at offset %zu: %s", (size_t)offset, (char *)msg);
	}
	free(key);
	return ret;
}

static int set_naming(struct config *c, json_t *v)
{
	const char *kind;
	json_t *pat;

	if (!json_is_object(v))
		return bad(c, "naming", "must be an object of kind -> PCRE2 pattern");
	json_object_foreach(v, kind, pat) {
		int k;

		for (k = 0; k < NR_NAMING && strcmp(naming_kinds[k], kind); k++)
			;
		if (k == NR_NAMING)
			return bad(c, "naming", "unknown kind '%s' (table, column, index, constraint,"
				   " foreign_key)", kind);
		if (!json_is_string(pat))
			return bad(c, "naming", "%s must be a string (a PCRE2 pattern)", kind);
		c->naming[k] = xstrdup(json_string_value(pat));
		if (compile_pattern(c, (enum naming_kind)k, c->naming[k]))
			return -1;
	}
	return 0;
}

static int stop_at_first_row(void *data, int n, const char *const *names,
			     const char *const *values)
{
	return 1;
}

/* Does the SQL compile and run over the (empty) catalog schema? */
static int check_custom_sql(const struct config *c, const char *key, const char *sql)
{
	struct catalog *cat;
	char *err = NULL;
	int ret = 0;

	if (catalog_open(&cat))
		return -1;
	if (catalog_query(cat, sql, stop_at_first_row, NULL, &err))
		ret = bad(c, key, "%s", err ? err : "bad SQL");
	free(err);
	catalog_free(cat);
	return ret;
}

static int custom_rule(struct config *c, json_t *e, size_t i)
{
	struct custom_rule *r = &c->custom[c->nr_custom];
	char *key = xstrfmt("custom_rules[%zu]", i), *k2 = NULL;
	const char *id = json_string_value(json_object_get(e, "id"));
	const char *sev = json_string_value(json_object_get(e, "severity"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *sql = json_string_value(json_object_get(e, "sql"));
	const char *k;
	json_t *v;
	int ret = -1;

	if (!json_is_object(e)) {
		bad(c, key, "must be an object with id, severity, message and sql");
		goto out;
	}
	json_object_foreach(e, k, v)
		if (strcmp(k, "id") && strcmp(k, "severity") && strcmp(k, "message") && strcmp(k, "sql")) {
			bad(c, key, "unknown key '%s' (id, severity, message, sql)", k);
			goto out;
		}
	if (!id || !*id || rule_by_id(id)) {
		bad(c, key, "id must be a new rule id (not a built-in one)");
		goto out;
	}
	if (level_of(sev ? sev : "warning", &r->severity) || r->severity == SEV_OFF) {
		bad(c, key, "severity must be \"error\", \"warning\" or \"note\"");
		goto out;
	}
	if (!msg || !sql) {
		bad(c, key, "message and sql are required strings");
		goto out;
	}
	k2 = xstrfmt("custom_rules[%zu].sql", i);
	if (check_custom_sql(c, k2, sql))
		goto out;
	r->id = xstrdup(id);
	r->message = xstrdup(msg);
	r->sql = xstrdup(sql);
	c->nr_custom++;
	ret = 0;
out:
	free(key);
	free(k2);
	return ret;
}

static int set_custom_rules(struct config *c, json_t *v)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return bad(c, "custom_rules", "must be an array of rules");
	c->custom = xcalloc(json_array_size(v) + 1, sizeof(*c->custom));
	json_array_foreach(v, i, e)
		if (custom_rule(c, e, i))
			return -1;
	for (int j = 0; j < c->nr_custom; j++) {
		struct custom_rule *r = &c->custom[j];

		r->info.rule = NR_RULES;
		r->info.id = r->id;
		r->info.category = "custom";
		r->info.default_severity = r->severity;
		r->info.summary = r->message;
	}
	return 0;
}

static int apply_key(struct config *c, const char *key, json_t *v)
{
	if (!strcmp(key, "dialect"))
		return set_dialect(c, v);
	if (!strcmp(key, "pg_version"))
		return set_pg_version(c, v);
	if (!strcmp(key, "migrations"))
		return string_list(c, v, key, &c->migrations, &c->nr_migrations, true);
	if (!strcmp(key, "layout"))
		return set_layout(c, v);
	if (!strcmp(key, "transaction"))
		return set_transaction(c, v);
	if (!strcmp(key, "runner_sets_lock_timeout"))
		return set_bool(c, v, key, &c->runner_sets_lock_timeout);
	if (!strcmp(key, "initial_schema")) {
		if (!json_is_string(v))
			return bad(c, key, "must be a string (a path)");
		c->initial_schema = resolve(c, json_string_value(v));
		return 0;
	}
	if (!strcmp(key, "rules"))
		return set_rules(c, v);
	if (!strcmp(key, "naming"))
		return set_naming(c, v);
	if (!strcmp(key, "exclude"))
		return string_list(c, v, key, &c->exclude, &c->nr_exclude, false);
	if (!strcmp(key, "custom_rules"))
		return set_custom_rules(c, v);
	return bad(c, key, "unknown key (dialect, pg_version, migrations, layout, transaction,"
		   " runner_sets_lock_timeout, initial_schema, rules, naming, exclude, custom_rules)");
}

/* The first .migsafe.json from the working directory up, or NULL. */
static char *find_config(void)
{
	char dir[PATH_MAX];

	if (!getcwd(dir, sizeof(dir)))
		return NULL;
	for (;;) {
		char *p = xstrfmt("%s/%s", strcmp(dir, "/") ? dir : "", CONFIG_NAME);
		char *slash;

		if (!access(p, F_OK))
			return p;
		free(p);
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return access("/" CONFIG_NAME, F_OK) ? NULL : xstrdup("/" CONFIG_NAME);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

int config_load(struct config *c, const char *explicit)
{
	json_error_t jerr;
	json_t *root = NULL, *v;
	const char *key;
	char *text = NULL;
	size_t len;
	int ret = -1;

	c->path = explicit ? xstrdup(explicit) : find_config();
	if (!c->path)
		return 0;
	c->dir = dir_of(c->path);
	if (read_file(c->path, &text, &len, 1 << 20)) {
		error("cannot read config '%s': %s", c->path, strerror(errno));
		goto out;
	}
	root = json_loadb(text, len, 0, &jerr);
	if (!root) {
		error("'%s': not valid JSON: %s (line %d, column %d)", c->path, jerr.text, jerr.line,
		      jerr.column);
		goto out;
	}
	if (!json_is_object(root)) {
		bad(c, "(top level)", "must be a JSON object");
		goto out;
	}
	json_object_foreach(root, key, v)
		if (apply_key(c, key, v))
			goto out;
	ret = 0;
out:
	json_decref(root);
	free(text);
	return ret;
}

bool config_name_ok(const struct config *c, enum naming_kind kind, const char *name)
{
	pcre2_match_data *md;
	int rc;

	if (!c->naming_code[kind])
		return true;
	md = pcre2_match_data_create_from_pattern(c->naming_code[kind], NULL);
	rc = pcre2_match(c->naming_code[kind], (PCRE2_SPTR)name, PCRE2_ZERO_TERMINATED, 0, 0, md,
			 NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

bool config_excluded(const struct config *c, const char *path)
{
	const char *p = path;

	if (!strncmp(p, "./", 2))
		p += 2;
	for (int i = 0; i < c->nr_exclude; i++)
		if (!fnmatch(c->exclude[i], p, 0) || !fnmatch(c->exclude[i], path, 0))
			return true;
	return false;
}
