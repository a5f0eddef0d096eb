/*
 * test_pgjson.c - the in-place decoder of libpg_query's JSON against
 * cJSON_Parse(), its reference: for every text both decode, the result
 * must be NULL for both or two equal trees (cJSON_Compare() and a
 * stricter walk: same types, key and string bytes, valueint, valuedouble
 * bit for bit, prev links). The texts: libpg_query's JSON for every
 * statement of fixtures/, tests/histories/ and examples/, hand-made
 * escapes, numbers and nesting, and malformed texts (every prefix and
 * many one-byte changes of real documents).
 *
 * The real trees come from pg_query_parse() called here directly: this
 * test is about the decoder, not parse.c, which otherwise keeps
 * libpg_query to itself. Each text is decoded from a malloc'ed copy of
 * exactly its size, so a sanitizer build catches a read past its NUL.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <pg_query.h>

#include "parse.h"
#include "pgjson.h"

#include "banned.h"

/* ---- an arena for pgjson's nodes ------------------------------------ */

struct blocks {
	void **v;
	size_t nr, alloc;
	int fail_after;            /* > 0: the n-th allocation fails */
};

static void *blocks_alloc(void *data, size_t n)
{
	struct blocks *b = data;

	if (b->fail_after > 0 && !--b->fail_after)
		return NULL;
	ALLOC_GROW(b->v, b->nr + 1, b->alloc);
	return b->v[b->nr++] = xmalloc(n);
}

static void blocks_release(struct blocks *b)
{
	for (size_t i = 0; i < b->nr; i++)
		free(b->v[i]);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* ---- comparing trees ------------------------------------------------ */

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_tree(const cJSON *a, const cJSON *b);

static bool same_kids(const cJSON *a, const cJSON *b)
{
	const cJSON *x = a->child, *y = b->child;

	if (!x || !y)
		return !x && !y;
	/* cJSON's head->prev is the tail; the others link back */
	if ((x->prev == NULL) != (y->prev == NULL))
		return false;
	for (; x && y; x = x->next, y = y->next) {
		if (x != a->child && (x->prev->next != x || y->prev->next != y))
			return false;
		if (!same_tree(x, y))
			return false;
	}
	return !x && !y && a->child->prev->next == NULL &&
	       b->child->prev->next == NULL;
}

static bool same_tree(const cJSON *a, const cJSON *b)
{
	if (a->type != b->type || !same_str(a->string, b->string) ||
	    !same_str(a->valuestring, b->valuestring) ||
	    a->valueint != b->valueint ||
	    memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)))
		return false;
	return same_kids(a, b);
}

/* How deeply objects nest in a tree. */
static int object_depth(const cJSON *a)
{
	int max = 0;

	for (const cJSON *c = a->child; c; c = c->next) {
		int d = object_depth(c);

		max = d > max ? d : max;
	}
	return max + cJSON_IsObject(a);
}

/*
 * Whether cJSON_Compare() can judge the tree. It compares an object's
 * members both ways, recursively, so its time doubles with each level
 * of objects; and it finds no tree equal to itself when a number is
 * infinite (inf - inf is NaN) or a key repeats (it looks members up by
 * key). Such trees are left to same_tree(), which checks everything
 * cJSON_Compare() does and more.
 */
#define COMPARE_DEPTH 10

static bool comparable(const char *json)
{
	cJSON *a = cJSON_Parse(json), *b = cJSON_Parse(json);
	bool ok = object_depth(a) <= COMPARE_DEPTH && cJSON_Compare(a, b, 1);

	cJSON_Delete(a);
	cJSON_Delete(b);
	return ok;
}

/*
 * Decode 'json' both ways; fail the test when they differ. Returns
 * whether it decoded.
 */
static bool check_text(const char *json, size_t len)
{
	char *copy = xmalloc(len + 1);
	struct blocks b = { 0 };
	cJSON *ref, *got;
	bool ok, cmp;

	memcpy(copy, json, len);
	copy[len] = '\0';
	ref = cJSON_Parse(copy);
	cmp = ref && comparable(copy);
	got = pgjson_parse(copy, blocks_alloc, &b);
	if (!ref != !got)
		ck_abort_msg("cJSON %s, pgjson %s: '%.200s'", ref ? "decodes" : "fails",
			     got ? "decodes" : "fails", json);
	if (ref) {
		ck_assert_msg(!cmp || cJSON_Compare(ref, got, 1),
			      "trees differ: '%.200s'", json);
		ck_assert_msg(same_tree(ref, got), "trees differ in detail: '%.200s'", json);
	}
	ok = ref != NULL;
	cJSON_Delete(ref);
	blocks_release(&b);
	free(copy);
	return ok;
}

static bool check(const char *json)
{
	return check_text(json, strlen(json));
}

/* ---- hand-made texts ------------------------------------------------ */

static const struct {
	const char *json;
	bool ok;
} cases[] = {
	/* escapes */
	{ "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", true },
	{ "{\"k\\\"ey\\n\":\"v\\\\\"}", true },
	{ "\"\\u0041\\u00e9\\u00E9\\u20ac\\uFFFF\\u07ff\\u0800\"", true },
	{ "\"\\ud83d\\ude00 \\uD83D\\uDE00 \\udbff\\udfff \\ud800\\udc00\"", true },
	{ "\"\\u0000abc\"", true },
	{ "\"ab\\u0000\"", true },
	{ "[\"\\u0000\", \"x\\u0000y\"]", true },
	{ "\"\\uZZZZ\"", true },          /* cJSON: bad hex is U+0000 */
	{ "\"\\u12G4tail\"", true },
	{ "\"\\u12\\\"\"", true },        /* \u eats the escaped quote */
	{ "\"\\uabc\\\\\"", true },       /* ... or ends on the closing one */
	{ "\"\\u12\"", false },
	{ "\"\\u\"", false },
	{ "\"\\ud800\"", false },         /* lone high surrogate */
	{ "\"\\udc00\"", false },         /* lone low surrogate */
	{ "\"\\udfff\\ud800\"", false },
	{ "\"\\ud800\\u0041\"", false },
	{ "\"\\ud800x\\udc00\"", false },
	{ "\"\\ud800\\udc0\"", false },
	{ "\"\\ud800\\\\udc00\"", false },
	{ "\"\\ud800\\uZZZZ\"", false },
	{ "\"\\x\"", false },
	{ "\"\\'\"", false },
	{ "\"abc", false },
	{ "\"abc\\", false },
	{ "\"abc\\\"", false },
	{ "\"a\tb\x01\x7f\xc3\xa9\xff\"", true },   /* raw bytes pass */
	{ "{\"\":\"\"}", true },
	/* numbers */
	{ "[0, -0, 1, -1, 7, 10, 99, 123456789012345, -123456789012345]", true },
	{ "[1234567890123456, 12345678901234567890, -9223372036854775809]", true },
	{ "[2147483646, 2147483647, 2147483648, -2147483647, -2147483648, -2147483649]", true },
	{ "[1.5, -1.5e3, 1e308, 1e309, -1e309, 1E-5, 4.9e-324, 1e-400, 0.1, 2.5E+3]", true },
	{ "[007, -00, 1.0, 1e0, 0e5]", true },
	{ "[3.0000000000000000000000000001, 0.30000000000000004]", true },
	{ "[1.7976931348623157e308, 2147483647.5, -2147483648.9]", true },
	{ "1e", true },                  /* strtod reads "1", "e" trails */
	{ "[1e]", false },
	{ "[1.]", true },
	{ "[1.e5]", true },
	{ "[.5]", false },
	{ "[+1]", false },
	{ "[-]", false },
	{ "[--1]", false },
	{ "[1+2]", false },
	{ "[1-2]", false },
	{ "0x10", true },
	{ "[0x10]", false },
	{ "[-inf]", false },
	{ "[123456789012345678901234567890123456789012345678901234567890123]", true },
	{ "[1234567890123456789012345678901234567890123456789012345678901234]", true },
	{ "[0.00000000000000000000000000000000000000000000000000000000000001]", true },
	{ "[1e-0000000000000000000000000000000000000000000000000000000000000000000001]", true },
	{ "{\"location\": -1, \"ival\": 42, \"x\": 1e2}", true },
	/* literals */
	{ "[true, false, null]", true },
	{ "true", true },
	{ "nullx", true },
	{ "[nul]", false },
	{ "[tru]", false },
	{ "[fals]", false },
	{ "[True]", false },
	/* containers */
	{ "{}", true },
	{ "[]", true },
	{ "[{}, [], [[]], {\"a\": {}}, {\"b\": []}]", true },
	{ "{\"a\": 1, \"a\": 2}", true },
	{ "[1,]", false },
	{ "{\"a\":1,}", false },
	{ "{\"a\" 1}", false },
	{ "{1:2}", false },
	{ "{\"a\":1 \"b\":2}", false },
	{ "[1 2]", false },
	{ "[", false },
	{ "{", false },
	{ "]", false },
	{ "{\"a\"", false },
	{ "{\"a\":", false },
	{ "[1,", false },
	/* whitespace, BOM, ends */
	{ " \t\n\r{ \"a\" : 1 , \"b\" : [ 1 , 2 ] } ", true },
	{ "\x01\x1f {\x02\"a\"\x20:\x03[]}", true },
	{ "\xEF\xBB\xBF{}", true },
	{ "\xEF\xBB\xBF" "1", true },
	{ "\xEF\xBB\xBF", false },
	{ "\xEF\xBB", false },
	{ "", false },
	{ "   ", false },
	{ "{} trailing", true },
	{ "1 2", true },
	{ "\x7f", false },
};

START_TEST(test_cases)
{
	ck_assert_msg(check(cases[_i].json) == cases[_i].ok,
		      "'%s' should %s", cases[_i].json,
		      cases[_i].ok ? "decode" : "fail");
}
END_TEST

/* The strings are the text's own bytes, unescaped where they lie. */
START_TEST(test_in_place)
{
	char text[] = "{\"key\": [\"a\\nb\", 12, \"\\u00e9\"]}";
	struct blocks b = { 0 };
	cJSON *root = pgjson_parse(text, blocks_alloc, &b);
	const cJSON *k, *arr;

	ck_assert_ptr_nonnull(root);
	k = root->child;
	ck_assert_ptr_eq(k->string, text + 2);
	arr = k->child;
	ck_assert_ptr_eq(arr->valuestring, text + 10);
	ck_assert_str_eq(arr->valuestring, "a\nb");
	ck_assert_int_eq(arr->next->valueint, 12);
	ck_assert_str_eq(arr->next->next->valuestring, "\xc3\xa9");
	ck_assert_ptr_eq(arr->prev, arr->next->next);
	blocks_release(&b);
}
END_TEST

/* ---- nesting -------------------------------------------------------- */

/* n arrays (or {"a": ...} objects) around a 1 */
static char *nested(int n, bool objects)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (int i = 0; i < n; i++)
		strbuf_addstr(&sb, objects ? "{\"a\":" : "[");
	strbuf_addch(&sb, '1');
	for (int i = 0; i < n; i++)
		strbuf_addch(&sb, objects ? '}' : ']');
	return sb.buf;
}

START_TEST(test_nesting)
{
	static const struct { int depth; bool ok; } depths[] = {
		{ 999, true }, { 1000, true }, { 1001, false }, { 10000, false },
		{ 100000, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(depths); i++) {
		for (int objects = 0; objects < 2; objects++) {
			char *s = nested(depths[i].depth, objects);

			ck_assert_int_eq(check(s), depths[i].ok);
			free(s);
		}
	}
}
END_TEST

/* An allocator that fails at any point fails the decode, cleanly. */
START_TEST(test_alloc_failure)
{
	char *doc = nested(300, true);
	bool ok = false;
	int k;

	for (k = 1; !ok && k < 1000; k++) {
		char *copy = xstrdup(doc);
		struct blocks b = { .fail_after = k };

		ok = pgjson_parse(copy, blocks_alloc, &b) != NULL;
		blocks_release(&b);
		free(copy);
	}
	ck_assert(ok);
	ck_assert_int_gt(k, 3);     /* 301 nodes: more than one allocation */
	free(doc);
}
END_TEST

/* ---- libpg_query's own trees ---------------------------------------- */

struct corpus {
	struct strbuf *docs;      /* one JSON text per statement or file */
	size_t nr, alloc;
	const char *text;
};

static void add_json(struct corpus *c, const char *sql)
{
	PgQueryParseResult r = pg_query_parse(sql);

	if (!r.error) {
		ALLOC_GROW(c->docs, c->nr + 1, c->alloc);
		strbuf_init(&c->docs[c->nr]);
		strbuf_addstr(&c->docs[c->nr++], r.parse_tree);
	}
	pg_query_free_parse_result(r);
}

static void add_stmt(void *data, size_t start, size_t end)
{
	struct corpus *c = data;
	char *sql = xstrndup(c->text + start, end - start);

	add_json(c, sql);
	free(sql);
}

static void add_sql_file(struct corpus *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[8192];
	size_t n;

	ck_assert_msg(f != NULL, "cannot open '%s'", path);
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	if (!memchr(sb.buf, '\0', sb.len)) {
		add_json(c, sb.buf);     /* the whole file, as parse_sql() does */
		c->text = sb.buf;
		split_sql(sb.buf, sb.len, add_stmt, NULL, c);
	}
	strbuf_release(&sb);
}

static void add_sql_dir(struct corpus *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *path;
		struct stat st;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		path = xstrfmt("%s/%s", dir, e->d_name);
		if (!stat(path, &st) && S_ISDIR(st.st_mode))
			add_sql_dir(c, path);
		else if (len > 4 && !strcmp(e->d_name + len - 4, ".sql"))
			add_sql_file(c, path);
		free(path);
	}
	closedir(d);
}

static struct corpus corpus;

/* Statements with every kind of string, number and nesting we meet. */
static const char *const extra_sql[] =
	{
	"SELECT 'quote \" backslash \\ tab \t nl \n cr \r ff \f bs \b end', E'\\x01\\u00e9\\U0001F600'",
	"SELECT 'é ü € 😀 \x7f', \"Ünïcode ident\", $$ dollar \" \\ $$",
	"SELECT -1, 0, -0, 2147483647, -2147483648, 2147483648, 9223372036854775807, 1.5, -2.5e-3, 1e400",
	"INSERT INTO t VALUES (-5, -2147483649, 12345678901234567890, '-1', B'1010', X'ff')",
	"CREATE TABLE \"a\"\"b\" (\"c\\d\" int DEFAULT -1 CHECK (\"c\\d\" > -100))",
	"COMMENT ON TABLE t IS 'line1\nline2 \"quoted\" back\\slash /slash/'",
	};

static void load_corpus(void)
{
	const char *root = getenv("MIGSAFE_SOURCE_DIR");
	static const char *const dirs[] = { "fixtures", "tests/histories", "examples" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char *dir = xstrfmt("%s/%s", root ? root : ".", dirs[i]);

		add_sql_dir(&corpus, dir);
		free(dir);
	}
	for (size_t i = 0; i < ARRAY_SIZE(extra_sql); i++)
		add_json(&corpus, extra_sql[i]);
}

static void free_corpus(void)
{
	for (size_t i = 0; i < corpus.nr; i++)
		strbuf_release(&corpus.docs[i]);
	free(corpus.docs);
	memset(&corpus, 0, sizeof(corpus));
}

/* Every tree decodes alike; a few fixtures are nested deeper than
   either decodes (unanalyzable-statement/deep_expression.sql), and
   then both must refuse, as check_text() checks. */
START_TEST(test_libpg_query_trees)
{
	size_t decoded = 0;

	ck_assert_uint_gt(corpus.nr, 500);
	for (size_t i = 0; i < corpus.nr; i++)
		decoded += check_text(corpus.docs[i].buf, corpus.docs[i].len);
	ck_assert_uint_ge(decoded + 4, corpus.nr);
}
END_TEST

/* The extra statements' trees: escapes, negative and big numbers. */
static const struct strbuf *sample(size_t i)
{
	return &corpus.docs[corpus.nr - ARRAY_SIZE(extra_sql) + i];
}

/* Every prefix of a document fails, as it does for cJSON; no overread. */
START_TEST(test_truncated)
{
	for (size_t i = 0; i < ARRAY_SIZE(extra_sql); i++) {
		const struct strbuf *s = sample(i);

		for (size_t len = 0; len < s->len; len++)
			ck_assert(!check_text(s->buf, len));
		ck_assert(check_text(s->buf, s->len));
	}
}
END_TEST

/* Each byte of a document replaced by each of these, in turn. */
static const char mutations[] = "\"\\{}[],:0-9eE.+ unx\x01\x7f";

START_TEST(test_mutated)
{
	const struct strbuf *s = sample(_i);
	char *buf = xstrndup(s->buf, s->len);

	for (size_t pos = 0; pos < s->len; pos++) {
		for (size_t m = 0; m < sizeof(mutations); m++) {
			buf[pos] = mutations[m];     /* the last one is NUL */
			check_text(buf, m + 1 < sizeof(mutations) ? s->len : pos);
		}
		buf[pos] = s->buf[pos];
	}
	free(buf);
}
END_TEST

static Suite *pgjson_suite(void)
{
	Suite *s = suite_create("pgjson");
	TCase *tc = tcase_create("pgjson");

	tcase_set_timeout(tc, 600);
	tcase_add_unchecked_fixture(tc, load_corpus, free_corpus);
	tcase_add_loop_test(tc, test_cases, 0, ARRAY_SIZE(cases));
	tcase_add_test(tc, test_in_place);
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_alloc_failure);
	tcase_add_test(tc, test_libpg_query_trees);
	tcase_add_test(tc, test_truncated);
	tcase_add_loop_test(tc, test_mutated, 0, ARRAY_SIZE(extra_sql));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pgjson_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
