/*
 * inspect.c - render the replayed catalog.
 *
 * The catalog is read once into a JSON document (the documented
 * "inspect" format); the DDL and diagram formats are rendered from that
 * document, so every format shows the same model. DDL that PostgreSQL
 * loads needs a few facts the JSON leaves out (a domain's base type, a
 * composite's attributes, which sequences belong to an identity
 * column): the document gets them as extra fields only when it is read
 * for the DDL (ddl_* below), so the documented JSON stays as it is.
 */
#include "inspect.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "keywords.h"
#include "banned.h"

/* ---- reading the catalog ---- */

static int add_row(void *data, int n, const char *const *names, const char *const *values)
{
	json_t *obj = json_object();

	for (int i = 0; i < n; i++)
		json_object_set_new(obj, names[i], values[i] ? json_string(values[i]) : json_null());
	json_array_append_new(data, obj);
	return 0;
}

/* Every row of 'sql' as an object of strings (or null). */
static json_t *rows(struct catalog *c, char *sql)
{
	json_t *arr = json_array();
	char *err = NULL;

	if (catalog_query(c, sql, add_row, arr, &err))
		BUG("inspect query failed: %s\n%s", err, sql);
	free(sql);
	return arr;
}

/* One column of every row, as an array of strings. */
static json_t *column(struct catalog *c, char *sql)
{
	json_t *all = rows(c, sql), *out = json_array(), *row;
	size_t i;

	json_array_foreach(all, i, row) {
		const char *k;
		json_t *v;

		json_object_foreach(row, k, v) {
			json_array_append(out, v);
			break;
		}
	}
	json_decref(all);
	return out;
}

static void to_bool(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	json_object_set_new(obj, key, json_boolean(s && strcmp(s, "0")));
}

static void move_key(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	json_incref(v);
	json_object_del(obj, key);
	json_object_set_new(obj, key, v);
}

static const char *fk_action(const char *code)
{
	switch (code ? *code : 'a') {
	case 'r': return "restrict";
	case 'c': return "cascade";
	case 'n': return "set null";
	case 'd': return "set default";
	default: return "no action";
	}
}

static json_t *table_columns(struct catalog *c, const char *rel)
{
	json_t *cols = rows(c, xstrfmt("SELECT name, type, not_null, default_expr AS \"default\","
		" CASE identity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,"
		" generated, collation FROM columns WHERE rel_id = %s ORDER BY attnum", rel)), *col;
	size_t i;

	json_array_foreach(cols, i, col)
		to_bool(col, "not_null");
	return cols;
}

static json_t *con_columns(struct catalog *c, const char *con, const char *which)
{
	return column(c, xstrfmt("SELECT cl.name FROM constraint_columns cc JOIN columns cl"
				 " ON cl.id = cc.%s WHERE cc.con_id = %s ORDER BY cc.pos", which, con));
}

/* The DDL also asks whether a key is deferrable, and NULLS NOT DISTINCT
   (its index's). */
static json_t *key_constraint(struct catalog *c, const char *rel, const char *kind, bool ddl)
{
	json_t *list = rows(c, xstrfmt("SELECT id, name%s FROM constraints k WHERE rel_id = %s"
				       " AND kind = '%s' ORDER BY name",
				       ddl ? ", is_deferrable AS ddl_deferrable, (SELECT"
					     " nulls_not_distinct FROM indexes WHERE rel_id ="
					     " k.index_id) AS ddl_nulls_not_distinct" : "",
				       rel, kind)), *k;
	size_t i;

	json_array_foreach(list, i, k) {
		json_object_set_new(k, "columns",
				    con_columns(c, json_string_value(json_object_get(k, "id")),
						"column_id"));
		json_object_del(k, "id");
	}
	return list;
}

static json_t *foreign_keys(struct catalog *c, const char *rel, bool ddl)
{
	json_t *list = rows(c, xstrfmt("SELECT k.id, k.name, s.name || '.' || r.name AS ref_table,"
		" k.on_delete, k.on_update, k.validated%s FROM constraints k"
		" JOIN relations r ON r.id = k.ref_rel_id JOIN schemas s ON s.id = r.schema_id"
		" WHERE k.rel_id = %s AND k.kind = 'f' ORDER BY k.name",
		ddl ? ", s.name AS ddl_ref_schema, r.name AS ddl_ref_name,"
		      " k.is_deferrable AS ddl_deferrable,"
		      " k.parent_con IS NOT NULL AS ddl_inherited" : "", rel)), *k;
	size_t i;

	json_array_foreach(list, i, k) {
		const char *id = json_string_value(json_object_get(k, "id"));

		json_object_set_new(k, "columns", con_columns(c, id, "column_id"));
		json_object_set_new(k, "ref_columns", con_columns(c, id, "ref_column_id"));
		json_object_set_new(k, "on_delete",
				    json_string(fk_action(json_string_value(json_object_get(k, "on_delete")))));
		json_object_set_new(k, "on_update",
				    json_string(fk_action(json_string_value(json_object_get(k, "on_update")))));
		to_bool(k, "validated");
		json_object_del(k, "id");
		move_key(k, "ref_table");
		move_key(k, "ref_columns");
		move_key(k, "on_delete");
		move_key(k, "on_update");
		move_key(k, "validated");
	}
	return list;
}

static json_t *checks(struct catalog *c, const char *rel)
{
	json_t *list = rows(c, xstrfmt("SELECT name, expr AS expression, validated FROM constraints"
				       " WHERE rel_id = %s AND kind = 'c' ORDER BY name", rel)), *k;
	size_t i;

	json_array_foreach(list, i, k)
		to_bool(k, "validated");
	return list;
}

/* The DDL also needs each key's column apart from an expression, its
   operator class and order. */
static json_t *indexes(struct catalog *c, const char *rel, bool ddl)
{
	json_t *list = rows(c, xstrfmt("SELECT r.id, r.name, i.is_unique AS \"unique\","
		" i.is_primary AS \"primary\", i.method, i.predicate,"
		" i.nulls_not_distinct FROM indexes i"
		" JOIN relations r ON r.id = i.rel_id WHERE i.table_id = %s ORDER BY r.name",
		rel)), *ix;
	size_t i;

	json_array_foreach(list, i, ix) {
		const char *id = json_string_value(json_object_get(ix, "id"));

		if (ddl)
			json_object_set_new(ix, "ddl_keys", rows(c, xstrfmt(
				"SELECT cl.name AS column_name, ic.expr, ic.opclass, ic.descending"
				" FROM index_columns ic LEFT JOIN columns cl ON cl.id = ic.column_id"
				" WHERE ic.index_id = %s AND NOT ic.is_include ORDER BY ic.pos", id)));

		json_object_set_new(ix, "columns", column(c, xstrfmt(
			"SELECT coalesce(cl.name, ic.expr) FROM index_columns ic LEFT JOIN columns cl"
			" ON cl.id = ic.column_id WHERE ic.index_id = %s AND NOT ic.is_include"
			" ORDER BY ic.pos", id)));
		json_object_set_new(ix, "include", column(c, xstrfmt(
			"SELECT cl.name FROM index_columns ic JOIN columns cl ON cl.id = ic.column_id"
			" WHERE ic.index_id = %s AND ic.is_include ORDER BY ic.pos", id)));
		to_bool(ix, "unique");
		to_bool(ix, "primary");
		to_bool(ix, "nulls_not_distinct");
		json_object_del(ix, "id");
		move_key(ix, "unique");
		move_key(ix, "primary");
		move_key(ix, "method");
		move_key(ix, "predicate");
		move_key(ix, "nulls_not_distinct");
	}
	return list;
}

static json_t *created(json_t *row)
{
	const char *file = json_string_value(json_object_get(row, "file"));
	const char *line = json_string_value(json_object_get(row, "line"));
	const char *cf = json_string_value(json_object_get(row, "created_file"));

	if (!file || !cf || cf[0] == '-')
		return json_null();
	return json_pack("{s:s, s:i}", "file", file, "line", line ? (int)strtol(line, NULL, 10) : 0);
}

static const char *tool_filter(const struct inspect_opts *o)
{
	return o->include_tool_tables ? "1" : "r.created_file <> -2";
}

/* For the DDL: PARTITION BY, and a partition's parent (its parts
   apart: names may hold dots) and bound. */
static const char ddl_partitioning[] =
	", r.partition_key AS ddl_partition_key, r.partition_bound AS ddl_partition_bound,"
	" (SELECT ps.name FROM relations p JOIN schemas ps ON ps.id = p.schema_id"
	"  WHERE p.id = r.parent_id) AS ddl_parent_schema,"
	" (SELECT p.name FROM relations p WHERE p.id = r.parent_id) AS ddl_parent_name";

static json_t *tables(struct catalog *c, const struct inspect_opts *o)
{
	bool ddl = !strcmp(o->format, "sql");
	json_t *list = rows(c, xstrfmt("SELECT r.id, s.name AS schema, r.name,"
		" CASE r.kind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table'"
		" ELSE 'table' END AS kind,"
		" (SELECT ps.name || '.' || p.name FROM relations p JOIN schemas ps"
		"  ON ps.id = p.schema_id WHERE p.id = r.parent_id) AS partition_of,"
		" r.rls_enabled, r.file, r.line, r.created_file%s FROM relations r"
		" JOIN schemas s ON s.id = r.schema_id WHERE r.kind IN ('r', 'p', 'f') AND %s"
		" ORDER BY s.name, r.name", ddl ? ddl_partitioning : "", tool_filter(o))), *t;
	size_t i;

	json_array_foreach(list, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		json_t *pk = key_constraint(c, id, "p", ddl);

		json_object_set_new(t, "columns", table_columns(c, id));
		json_object_set(t, "primary_key", json_array_size(pk) ? json_array_get(pk, 0)
								    : json_null());
		json_decref(pk);
		json_object_set_new(t, "unique", key_constraint(c, id, "u", ddl));
		json_object_set_new(t, "checks", checks(c, id));
		json_object_set_new(t, "foreign_keys", foreign_keys(c, id, ddl));
		json_object_set_new(t, "indexes", indexes(c, id, ddl));
		to_bool(t, "rls_enabled");
		move_key(t, "rls_enabled");
		json_object_set_new(t, "created", created(t));
		json_object_del(t, "id");
		json_object_del(t, "file");
		json_object_del(t, "line");
		json_object_del(t, "created_file");
	}
	return list;
}

static json_t *views(struct catalog *c)
{
	json_t *list = rows(c, xstrfmt("SELECT r.id, s.name AS schema, r.name,"
		" r.kind = 'm' AS materialized, r.definition FROM relations r"
		" JOIN schemas s ON s.id = r.schema_id WHERE r.kind IN ('v', 'm')"
		" ORDER BY s.name, r.name")), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));

		to_bool(v, "materialized");
		json_object_set_new(v, "depends_on", column(c, xstrfmt(
			"SELECT DISTINCT s.name || '.' || r.name FROM view_deps d JOIN relations r"
			" ON r.id = d.rel_id JOIN schemas s ON s.id = r.schema_id"
			" WHERE d.view_id = %s ORDER BY 1", id)));
		json_object_del(v, "id");
		move_key(v, "definition");
	}
	return list;
}

/* A domain's NOT NULL and CHECK constraints (in the order added), as
   a table's checks are shown. */
static void domain_details(struct catalog *c, json_t *t, const char *id)
{
	json_t *cons = rows(c, xstrfmt("SELECT name, expr AS expression, validated"
				       " FROM domain_constraints WHERE type_id = %s ORDER BY id", id));
	json_t *nn = column(c, xstrfmt("SELECT not_null FROM types WHERE id = %s", id)), *k;
	const char *v = json_string_value(json_array_get(nn, 0));
	size_t i;

	json_array_foreach(cons, i, k)
		to_bool(k, "validated");
	json_object_set_new(t, "not_null", json_boolean(v && strcmp(v, "0")));
	json_object_set_new(t, "checks", cons);
	json_decref(nn);
}

/* The types; for the DDL with their details and in the order they were
   created (a domain or composite type uses only types made before it). */
static json_t *types(struct catalog *c, bool ddl)
{
	json_t *list = rows(c, xstrfmt("SELECT t.id, s.name AS schema, t.name,"
		" CASE t.kind WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'composite' END"
		" AS kind%s FROM types t JOIN schemas s ON s.id = t.schema_id"
		" ORDER BY %s", ddl ? ", t.base_type AS ddl_base_type, t.definition AS ddl_definition" : "",
		ddl ? "t.id" : "s.name, t.name")), *t;
	size_t i;

	json_array_foreach(list, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));

		json_object_set_new(t, "values", column(c, xstrfmt(
			"SELECT label FROM enum_values WHERE type_id = %s ORDER BY sort_order", id)));
		if (!strcmp(json_string_value(json_object_get(t, "kind")), "domain"))
			domain_details(c, t, id);
		json_object_del(t, "id");
	}
	return list;
}

/*
 * For the DDL: the sequences with their owner's parts apart (names may
 * hold dots), whether the owner is an identity column (whose sequence
 * ADD ... IDENTITY makes), and its type (a serial's sequence is AS it).
 */
static json_t *ddl_sequences(struct catalog *c, const struct inspect_opts *o)
{
	return rows(c, xstrfmt("SELECT s.name AS schema, r.name, ts.name AS ddl_owner_schema,"
		" t.name AS ddl_owner_table, cl.name AS ddl_owner_column,"
		" cl.identity IS NOT NULL AS ddl_identity, cl.type AS ddl_owner_type"
		" FROM relations r JOIN schemas s ON s.id = r.schema_id"
		" LEFT JOIN sequence_owners so ON so.seq_id = r.id"
		" LEFT JOIN columns cl ON cl.id = so.column_id"
		" LEFT JOIN relations t ON t.id = cl.rel_id LEFT JOIN schemas ts ON ts.id = t.schema_id"
		" WHERE r.kind = 'S' AND %s ORDER BY s.name, r.name", tool_filter(o)));
}

static json_t *document(struct catalog *c, const struct inspect_opts *o)
{
	json_t *doc = json_object();
	bool ddl = !strcmp(o->format, "sql");

	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "schemas", column(c, xstrfmt(
		"SELECT name FROM schemas WHERE name <> 'pg_catalog' AND (%s) ORDER BY name",
		o->include_tool_tables ? "1" : "created_file <> -2")));
	json_object_set_new(doc, "tables", tables(c, o));
	json_object_set_new(doc, "views", views(c));
	json_object_set_new(doc, "sequences", ddl ? ddl_sequences(c, o) : rows(c, xstrfmt(
		"SELECT s.name AS schema, r.name, (SELECT ts.name || '.' || t.name || '.' || cl.name"
		" FROM sequence_owners so JOIN columns cl ON cl.id = so.column_id"
		" JOIN relations t ON t.id = cl.rel_id JOIN schemas ts ON ts.id = t.schema_id"
		" WHERE so.seq_id = r.id) AS owned_by FROM relations r JOIN schemas s"
		" ON s.id = r.schema_id WHERE r.kind = 'S' AND %s ORDER BY s.name, r.name",
		tool_filter(o))));
	json_object_set_new(doc, "types", types(c, ddl));
	json_object_set_new(doc, "extensions", column(c, xstrfmt(
		"SELECT name FROM extensions ORDER BY name")));
	json_object_set_new(doc, "functions", rows(c, xstrfmt(
		"SELECT s.name AS schema, f.name, f.signature, CASE f.kind WHEN 'p' THEN"
		" 'procedure' ELSE 'function' END AS kind FROM functions f JOIN schemas s"
		" ON s.id = f.schema_id ORDER BY s.name, f.name, f.signature")));
	json_object_set_new(doc, "triggers", rows(c, xstrfmt(
		"SELECT s.name || '.' || r.name AS \"table\", t.name FROM triggers t"
		" JOIN relations r ON r.id = t.rel_id JOIN schemas s ON s.id = r.schema_id"
		" ORDER BY 1, 2")));
	json_object_set_new(doc, "policies", rows(c, xstrfmt(
		"SELECT s.name || '.' || r.name AS \"table\", p.name FROM policies p"
		" JOIN relations r ON r.id = p.rel_id JOIN schemas s ON s.id = r.schema_id"
		" ORDER BY 1, 2")));
	return doc;
}

/* ---- rendering ---- */

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A name as quote_identifier() prints it (keywords.h). */
static void sql_ident(FILE *out, const char *s)
{
	if (!ident_needs_quotes(s)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void sql_qualified(FILE *out, const char *schema, const char *name)
{
	sql_ident(out, schema);
	fputc('.', out);
	sql_ident(out, name);
}

static void sql_name_list(FILE *out, const json_t *arr)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		if (i)
			fputs(", ", out);
		sql_ident(out, json_string_value(v));
	}
}

static void sql_column(FILE *out, const json_t *col)
{
	fputs("    ", out);
	sql_ident(out, jstr(col, "name"));
	fprintf(out, " %s", jstr(col, "type"));
	if (jstr(col, "collation")) {
		fputs(" COLLATE ", out);
		sql_ident(out, jstr(col, "collation"));
	}
	if (jstr(col, "identity"))
		fprintf(out, " GENERATED %s AS IDENTITY",
			!strcmp(jstr(col, "identity"), "always") ? "ALWAYS" : "BY DEFAULT");
	if (jstr(col, "generated"))
		fprintf(out, " GENERATED ALWAYS AS (%s) STORED", jstr(col, "generated"));
	if (jstr(col, "default"))
		fprintf(out, " DEFAULT %s", jstr(col, "default"));
	if (json_is_true(json_object_get(col, "not_null")))
		fputs(" NOT NULL", out);
}

static bool is_true(const json_t *o, const char *key)
{
	const char *s = jstr(o, key);

	return json_is_true(json_object_get(o, key)) || (s && !strcmp(s, "1"));
}

static void sql_alter(FILE *out, const json_t *t, const char *con)
{
	fputs("ALTER TABLE ", out);
	sql_qualified(out, jstr(t, "schema"), jstr(t, "name"));
	fputs(" ADD CONSTRAINT ", out);
	sql_ident(out, con);
}

/*
 * Unique keys each by ALTER TABLE: CREATE TABLE would fold two of the
 * same columns into one. A CHECK that is not validated too: CREATE
 * TABLE validates every CHECK, NOT VALID or not.
 */
static void sql_table_constraints(FILE *out, const json_t *t)
{
	const json_t *k;
	size_t i;

	json_array_foreach(json_object_get(t, "unique"), i, k) {
		sql_alter(out, t, jstr(k, "name"));
		fprintf(out, " UNIQUE %s(", is_true(k, "ddl_nulls_not_distinct") ? "NULLS NOT DISTINCT " : "");
		sql_name_list(out, json_object_get(k, "columns"));
		fprintf(out, ")%s;\n", is_true(k, "ddl_deferrable") ? " DEFERRABLE" : "");
	}
	json_array_foreach(json_object_get(t, "checks"), i, k) {
		if (json_is_true(json_object_get(k, "validated")))
			continue;
		sql_alter(out, t, jstr(k, "name"));
		fprintf(out, " CHECK (%s) NOT VALID;\n",
			jstr(k, "expression") ? jstr(k, "expression") : "true");
	}
}

static void sql_table(FILE *out, const json_t *t)
{
	const json_t *pk = json_object_get(t, "primary_key"), *col, *k;
	size_t i;

	fputs("CREATE TABLE ", out);
	sql_qualified(out, jstr(t, "schema"), jstr(t, "name"));
	fputs(" (\n", out);
	json_array_foreach(json_object_get(t, "columns"), i, col) {
		if (i)
			fputs(",\n", out);
		sql_column(out, col);
	}
	if (json_is_object(pk)) {
		fputs(",\n    CONSTRAINT ", out);
		sql_ident(out, jstr(pk, "name"));
		fputs(" PRIMARY KEY (", out);
		sql_name_list(out, json_object_get(pk, "columns"));
		fprintf(out, ")%s", is_true(pk, "ddl_deferrable") ? " DEFERRABLE" : "");
	}
	json_array_foreach(json_object_get(t, "checks"), i, k) {
		if (!json_is_true(json_object_get(k, "validated")))
			continue;
		fputs(",\n    CONSTRAINT ", out);
		sql_ident(out, jstr(k, "name"));
		fprintf(out, " CHECK (%s)", jstr(k, "expression") ? jstr(k, "expression") : "true");
	}
	fputs("\n)", out);
	if (jstr(t, "ddl_partition_key"))
		fprintf(out, " PARTITION BY %s", jstr(t, "ddl_partition_key"));
	fputs(";\n", out);
	sql_table_constraints(out, t);
}

static void sql_foreign_keys(FILE *out, const json_t *t)
{
	const json_t *k;
	size_t i;

	json_array_foreach(json_object_get(t, "foreign_keys"), i, k) {
		if (is_true(k, "ddl_inherited"))
			continue;   /* the parent's, which adding it there gives the partition */
		fputs("ALTER TABLE ", out);
		sql_qualified(out, jstr(t, "schema"), jstr(t, "name"));
		fputs(" ADD CONSTRAINT ", out);
		sql_ident(out, jstr(k, "name"));
		fputs(" FOREIGN KEY (", out);
		sql_name_list(out, json_object_get(k, "columns"));
		fputs(") REFERENCES ", out);
		sql_qualified(out, jstr(k, "ddl_ref_schema"), jstr(k, "ddl_ref_name"));
		fputs(" (", out);
		sql_name_list(out, json_object_get(k, "ref_columns"));
		fprintf(out, ") ON DELETE %s ON UPDATE %s%s%s;\n", jstr(k, "on_delete"),
			jstr(k, "on_update"), is_true(k, "ddl_deferrable") ? " DEFERRABLE" : "",
			json_is_true(json_object_get(k, "validated")) ? "" : " NOT VALID");
	}
}

static bool index_backs_constraint(const json_t *t, const char *name)
{
	const json_t *pk = json_object_get(t, "primary_key"), *k;
	size_t i;

	if (json_is_object(pk) && !strcmp(jstr(pk, "name"), name))
		return true;
	json_array_foreach(json_object_get(t, "unique"), i, k)
		if (!strcmp(jstr(k, "name"), name))
			return true;
	return false;
}

/* An index key: a column's name, or an expression, which CREATE INDEX
   takes in parentheses; then its operator class and order. */
static void sql_index_key(FILE *out, size_t pos, const json_t *key)
{
	const char *col = jstr(key, "column_name"), *opclass = jstr(key, "opclass");

	if (pos)
		fputs(", ", out);
	if (col)
		sql_ident(out, col);
	else
		fprintf(out, "(%s)", jstr(key, "expr") ? jstr(key, "expr") : "NULL");
	if (opclass) {
		fputc(' ', out);
		sql_ident(out, opclass);
	}
	if (is_true(key, "descending"))
		fputs(" DESC", out);
}

static void sql_indexes(FILE *out, const json_t *t)
{
	const json_t *ix, *c;
	size_t i, j;

	json_array_foreach(json_object_get(t, "indexes"), i, ix) {
		if (index_backs_constraint(t, jstr(ix, "name")))
			continue;
		fprintf(out, "CREATE %sINDEX ", json_is_true(json_object_get(ix, "unique")) ? "UNIQUE " : "");
		sql_ident(out, jstr(ix, "name"));
		fputs(" ON ", out);
		sql_qualified(out, jstr(t, "schema"), jstr(t, "name"));
		fprintf(out, " USING %s (", jstr(ix, "method"));
		json_array_foreach(json_object_get(ix, "ddl_keys"), j, c)
			sql_index_key(out, j, c);
		fputc(')', out);
		if (json_array_size(json_object_get(ix, "include"))) {
			fputs(" INCLUDE (", out);
			sql_name_list(out, json_object_get(ix, "include"));
			fputc(')', out);
		}
		if (is_true(ix, "nulls_not_distinct"))
			fputs(" NULLS NOT DISTINCT", out);
		if (jstr(ix, "predicate"))
			fprintf(out, " WHERE %s", jstr(ix, "predicate"));
		fputs(";\n", out);
	}
}

/* A string literal: ' doubled. */
static void sql_string(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		fputc(*s, out);
	}
	fputc('\'', out);
}

static void sql_type(FILE *out, const json_t *v)
{
	const char *kind = jstr(v, "kind"), *def = jstr(v, "ddl_definition");
	const json_t *val;
	size_t j;

	if (!strcmp(kind, "domain")) {
		fputs("CREATE DOMAIN ", out);
		sql_qualified(out, jstr(v, "schema"), jstr(v, "name"));
		fprintf(out, " AS %s%s%s;\n", jstr(v, "ddl_base_type") ? jstr(v, "ddl_base_type") : "text",
			def ? " " : "", def ? def : "");
		/* CREATE DOMAIN takes no NOT VALID: these come after */
		json_array_foreach(json_object_get(v, "checks"), j, val) {
			if (json_is_true(json_object_get(val, "validated")) || !jstr(val, "expression"))
				continue;
			fputs("ALTER DOMAIN ", out);
			sql_qualified(out, jstr(v, "schema"), jstr(v, "name"));
			fputs(" ADD CONSTRAINT ", out);
			sql_ident(out, jstr(val, "name"));
			fprintf(out, " CHECK (%s) NOT VALID;\n", jstr(val, "expression"));
		}
		return;
	}
	fputs("CREATE TYPE ", out);
	sql_qualified(out, jstr(v, "schema"), jstr(v, "name"));
	if (!strcmp(kind, "composite")) {
		fprintf(out, " AS %s;\n", def ? def : "()");
		return;
	}
	fputs(" AS ENUM (", out);
	json_array_foreach(json_object_get(v, "values"), j, val) {
		if (j)
			fputs(", ", out);
		sql_string(out, json_string_value(val));
	}
	fputs(");\n", out);
}

/* A sequence, unless an identity column's (the column makes its own);
   a serial's is of its column's type, as serial makes it. */
static void sql_sequence(FILE *out, const json_t *seq)
{
	const char *type = jstr(seq, "ddl_owner_type");

	if (is_true(seq, "ddl_identity"))
		return;
	fputs("CREATE SEQUENCE ", out);
	sql_qualified(out, jstr(seq, "schema"), jstr(seq, "name"));
	if (type && (!strcmp(type, "smallint") || !strcmp(type, "integer")))
		fprintf(out, " AS %s", type);
	fputs(";\n", out);
}

/* OWNED BY once the tables exist. */
static void sql_sequence_owner(FILE *out, const json_t *seq)
{
	if (is_true(seq, "ddl_identity") || !jstr(seq, "ddl_owner_column"))
		return;
	fputs("ALTER SEQUENCE ", out);
	sql_qualified(out, jstr(seq, "schema"), jstr(seq, "name"));
	fputs(" OWNED BY ", out);
	sql_qualified(out, jstr(seq, "ddl_owner_schema"), jstr(seq, "ddl_owner_table"));
	fputc('.', out);
	sql_ident(out, jstr(seq, "ddl_owner_column"));
	fputs(";\n", out);
}

/*
 * A partition is written as a table of its own, with what it has from
 * its parent (columns, keys, CHECKs, indexes under their own names),
 * then attached once every table and index exists: ATTACH adopts an
 * index and a key that match the parent's, and checks the rest. Its
 * own column order and defaults stay as they are, which PARTITION OF
 * would not keep for a table made elsewhere and attached.
 */
static void sql_attach(FILE *out, const json_t *t)
{
	if (!jstr(t, "ddl_parent_name"))
		return;
	fputs("ALTER TABLE ", out);
	sql_qualified(out, jstr(t, "ddl_parent_schema"), jstr(t, "ddl_parent_name"));
	fputs(" ATTACH PARTITION ", out);
	sql_qualified(out, jstr(t, "schema"), jstr(t, "name"));
	fprintf(out, " %s;\n", jstr(t, "ddl_partition_bound") ? jstr(t, "ddl_partition_bound")
							   : "DEFAULT");
}

static void sql_rls(FILE *out, const json_t *t)
{
	if (!json_is_true(json_object_get(t, "rls_enabled")))
		return;
	fputs("ALTER TABLE ", out);
	sql_qualified(out, jstr(t, "schema"), jstr(t, "name"));
	fputs(" ENABLE ROW LEVEL SECURITY;\n", out);
}

static void sql_view(FILE *out, const json_t *v)
{
	fprintf(out, "\nCREATE %sVIEW ",
		json_is_true(json_object_get(v, "materialized")) ? "MATERIALIZED " : "");
	sql_qualified(out, jstr(v, "schema"), jstr(v, "name"));
	fprintf(out, " AS\n%s;\n", jstr(v, "definition") ? jstr(v, "definition") : "SELECT");
}

/* Is 'dep' ("schema.name") a view not yet written? */
static bool view_pending(const json_t *views, const bool *done, const char *dep)
{
	const json_t *v;
	size_t i;

	json_array_foreach(views, i, v) {
		size_t n = strlen(jstr(v, "schema"));

		if (!done[i] && !strncmp(dep, jstr(v, "schema"), n) && dep[n] == '.' &&
		    !strcmp(dep + n + 1, jstr(v, "name")))
			return true;
	}
	return false;
}

/* Views after the views they read: round by round, each view whose
   dependencies are written; a cycle (which PostgreSQL cannot hold) is
   written as it is. */
static void sql_views(FILE *out, const json_t *views)
{
	size_t n = json_array_size(views), left = n, i, j;
	bool *done = xcalloc(n ? n : 1, sizeof(*done));
	const json_t *v, *dep;

	while (left) {
		size_t before = left;

		json_array_foreach(views, i, v) {
			bool ready = !done[i];

			json_array_foreach(json_object_get(v, "depends_on"), j, dep)
				ready = ready && !view_pending(views, done, json_string_value(dep));
			if (!ready)
				continue;
			sql_view(out, v);
			done[i] = true;
			left--;
		}
		if (left == before) {   /* a cycle: the rest in name order */
			json_array_foreach(views, i, v)
				if (!done[i])
					sql_view(out, v);
			break;
		}
	}
	free(done);
}

static void write_sql(const json_t *doc, FILE *out)
{
	const json_t *v;
	size_t i;

	fputs("-- schema replayed by migsafe\n", out);
	json_array_foreach(json_object_get(doc, "schemas"), i, v) {
		if (strcmp(json_string_value(v), "public")) {
			fputs("CREATE SCHEMA ", out);
			sql_ident(out, json_string_value(v));
			fputs(";\n", out);
		}
	}
	json_array_foreach(json_object_get(doc, "extensions"), i, v)
		fprintf(out, "CREATE EXTENSION IF NOT EXISTS \"%s\";\n", json_string_value(v));
	json_array_foreach(json_object_get(doc, "types"), i, v)
		sql_type(out, v);
	json_array_foreach(json_object_get(doc, "sequences"), i, v)
		sql_sequence(out, v);
	json_array_foreach(json_object_get(doc, "tables"), i, v) {
		fputc('\n', out);
		sql_table(out, v);
		sql_indexes(out, v);
		sql_rls(out, v);
	}
	fputc('\n', out);
	json_array_foreach(json_object_get(doc, "tables"), i, v)
		sql_attach(out, v);
	json_array_foreach(json_object_get(doc, "sequences"), i, v)
		sql_sequence_owner(out, v);
	json_array_foreach(json_object_get(doc, "tables"), i, v)
		sql_foreign_keys(out, v);
	sql_views(out, json_object_get(doc, "views"));
}

/* ---- diagrams: tables with their key columns, and foreign-key edges ---- */

static bool in_list(const json_t *arr, const char *name)
{
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), name))
			return true;
	return false;
}

/* The keys a column belongs to: "PK", "FK", "UK" joined by ", ", or
   "" for a column that is in no key (diagrams leave those out). */
static void key_kinds(const json_t *t, const char *col, char *out, size_t size)
{
	const json_t *pk = json_object_get(t, "primary_key"), *k;
	bool fk = false, uk = false;
	size_t i;

	out[0] = '\0';
	json_array_foreach(json_object_get(t, "foreign_keys"), i, k)
		fk |= in_list(json_object_get(k, "columns"), col);
	json_array_foreach(json_object_get(t, "unique"), i, k)
		uk |= in_list(json_object_get(k, "columns"), col);
	snprintf(out, size, "%s%s%s%s%s",
		 json_is_object(pk) && in_list(json_object_get(pk, "columns"), col) ? "PK" : "",
		 fk ? ", FK" : "", uk ? ", UK" : "", "", "");
	if (out[0] == ',')
		memmove(out, out + 2, strlen(out + 2) + 1);
}

/* A diagram id: schema_table, with anything but [A-Za-z0-9_] as '_'. */
static void diagram_id(FILE *out, const char *qualified)
{
	for (const char *p = qualified; *p; p++) {
		char ch = *p;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_';

		fputc(ok ? ch : '_', out);
	}
}

static void table_id(FILE *out, const json_t *t)
{
	char *q = xstrfmt("%s.%s", jstr(t, "schema"), jstr(t, "name"));

	diagram_id(out, q);
	free(q);
}

static void write_mermaid(const json_t *doc, FILE *out)
{
	const json_t *t, *col, *k;
	size_t i, j;

	fputs("erDiagram\n", out);
	json_array_foreach(json_object_get(doc, "tables"), i, t) {
		fputs("    ", out);
		table_id(out, t);
		fprintf(out, "[\"%s.%s\"] {\n", jstr(t, "schema"), jstr(t, "name"));
		json_array_foreach(json_object_get(t, "columns"), j, col) {
			char keys[16];

			key_kinds(t, jstr(col, "name"), keys, sizeof(keys));
			if (!keys[0])
				continue;
			fputs("        ", out);
			diagram_id(out, jstr(col, "type"));
			fputc(' ', out);
			diagram_id(out, jstr(col, "name"));
			fprintf(out, " %s\n", keys);
		}
		fputs("    }\n", out);
	}
	json_array_foreach(json_object_get(doc, "tables"), i, t) {
		json_array_foreach(json_object_get(t, "foreign_keys"), j, k) {
			bool nullable = false;
			const json_t *c2;
			size_t n;

			json_array_foreach(json_object_get(t, "columns"), n, c2)
				if (in_list(json_object_get(k, "columns"), jstr(c2, "name")) &&
				    !json_is_true(json_object_get(c2, "not_null")))
					nullable = true;
			fputs("    ", out);
			diagram_id(out, jstr(k, "ref_table"));
			fprintf(out, " %s--o{ ", nullable ? "|o" : "||");
			table_id(out, t);
			fprintf(out, " : \"%s\"\n", jstr(k, "name"));
		}
	}
}

static void html_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void write_dot(const json_t *doc, FILE *out)
{
	const json_t *t, *col, *k;
	size_t i, j;

	fputs("digraph schema {\n"
	      "    graph [rankdir=LR, overlap=false, splines=true, concentrate=true];\n"
	      "    node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
	      "    edge [arrowhead=crow, arrowtail=none, color=\"#666666\"];\n", out);
	json_array_foreach(json_object_get(doc, "tables"), i, t) {
		fputs("    ", out);
		table_id(out, t);
		fputs(" [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
		      "<tr><td bgcolor=\"#dddddd\"><b>", out);
		html_escape(out, jstr(t, "schema"));
		fputc('.', out);
		html_escape(out, jstr(t, "name"));
		fputs("</b></td></tr>", out);
		json_array_foreach(json_object_get(t, "columns"), j, col) {
			char keys[16];

			key_kinds(t, jstr(col, "name"), keys, sizeof(keys));
			if (!keys[0])
				continue;
			fprintf(out, "<tr><td align=\"left\" port=\"%zu\">%s ", j, keys);
			html_escape(out, jstr(col, "name"));
			fputs(": ", out);
			html_escape(out, jstr(col, "type"));
			fputs("</td></tr>", out);
		}
		fputs("</table>>];\n", out);
	}
	json_array_foreach(json_object_get(doc, "tables"), i, t) {
		json_array_foreach(json_object_get(t, "foreign_keys"), j, k) {
			fputs("    ", out);
			diagram_id(out, jstr(k, "ref_table"));
			fputs(" -> ", out);
			table_id(out, t);
			fputs(" [tooltip=\"", out);
			html_escape(out, jstr(k, "name"));
			fputs("\"];\n", out);
		}
	}
	fputs("}\n", out);
}

bool inspect_format_known(const char *format)
{
	return !strcmp(format, "json") || !strcmp(format, "sql") || !strcmp(format, "mermaid") ||
	       !strcmp(format, "dot");
}

int inspect_write(struct catalog *c, const struct inspect_opts *o, FILE *out)
{
	json_t *doc = document(c, o);

	if (!strcmp(o->format, "json")) {
		json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
	} else if (!strcmp(o->format, "sql")) {
		write_sql(doc, out);
	} else if (!strcmp(o->format, "mermaid")) {
		write_mermaid(doc, out);
	} else {
		write_dot(doc, out);
	}
	json_decref(doc);
	return fflush(out) || ferror(out) ? -1 : 0;
}
