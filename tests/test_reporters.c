/*
 * test_reporters.c - findings built by hand, rendered by each format into
 * a memory stream, compared with the expected text or parsed back.
 *
 * Built with -DMIGSAFE_FAKE_REGISTRY it carries a small registry of its
 * own (for building before rules/registry.c exists, and for doc pages
 * with edge cases); otherwise it uses the real one and checks only what
 * holds for any doc page.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "finding.h"
#include "jsonw.h"
#include "reporter.h"
#include "rules.h"
#include "util.h"
#include "banned.h"

#ifdef MIGSAFE_FAKE_REGISTRY
#define LONG_WORDS \
	"lorem ipsum dolor sit amet consectetur adipiscing elit sed do " \
	"eiusmod tempor incididunt ut labore et dolore magna aliqua ut "
#define LONG_PARA LONG_WORDS LONG_WORDS LONG_WORDS LONG_WORDS LONG_WORDS \
	LONG_WORDS LONG_WORDS LONG_WORDS LONG_WORDS LONG_WORDS

const struct rule_info rule_table[NR_RULES] = {
#define R_INFO(e, id, cat, sev, sum) [RULE_##e] = { RULE_##e, id, cat, sev, sum, NULL },
	RULE_LIST(R_INFO)
#undef R_INFO
};

static const char fake_drop_table_doc[] =
	"# drop-table\r\n"
	"\r\n"
	"summary: dropping an existing table loses its data\r\n"
	"help: stop using the table first\r\n"
	"\r\n"
	"## Why it is dangerous\r\n"
	"\r\n"
	"The rows are gone   the moment\r\n"
	"the migration commits;\tthe only way back\r\n"
	"is a restore.\r\n"
	"\r\n"
	"A second paragraph.\r\n"
	"\r\n"
	"## Bad\r\n"
	"\r\n"
	"```sql\r\nDROP TABLE orders;\r\n```\r\n";

static const char fake_drop_column_doc[] =
	"# drop-column\n\nhelp: x\n\n## Why it is dangerous\n" LONG_PARA "\n";

static const char fake_truncate_doc[] =
	"# truncate-table\n\n## Why it is dangerous\n\n```sql\nTRUNCATE t;\n```\n";

const struct rule_info *rule_by_id(const char *id)
{
	int i;

	for (i = 0; i < NR_RULES; i++)
		if (!strcmp(rule_table[i].id, id))
			return &rule_table[i];
	return NULL;
}

const char *rule_doc(const struct rule_info *r)
{
	if (r->rule == RULE_DROP_TABLE)
		return fake_drop_table_doc;
	if (r->rule == RULE_DROP_COLUMN)
		return fake_drop_column_doc;
	if (r->rule == RULE_TRUNCATE_TABLE)
		return fake_truncate_doc;
	return NULL;
}

const char *rule_help(const struct rule_info *r)
{
	if (r->rule == RULE_DROP_TABLE)
		return "stop using the table first";
	return NULL;
}
#endif

/* --- helpers --- */

struct rendered {
	char *buf;
	size_t len;
	int ret;
};

static struct summary sum_of(int files, int linted, int stmts, int e, int w,
			     int n, int suppressed)
{
	struct summary s = { files, linted, stmts, { 0, n, w, e }, suppressed, 0, NULL };

	return s;
}

static struct rendered render(const struct reporter *rep, struct report_opts *ro,
			      const struct finding *fs, int nr,
			      const struct summary *s)
{
	struct rendered r = { NULL, 0, 0 };
	void *state;
	int i;

	ro->out = open_memstream(&r.buf, &r.len);
	ck_assert_ptr_nonnull(ro->out);
	state = rep->begin ? rep->begin(ro) : NULL;
	for (i = 0; i < nr; i++)
		rep->finding(state, ro, &fs[i]);
	r.ret = rep->end(state, ro, s);
	fclose(ro->out);
	ro->out = NULL;
	return r;
}

static struct report_opts opts(void)
{
	struct report_opts ro = { 0 };

	ro.tool_version = "0.1.0";
	return ro;
}

static struct finding mkfinding(enum rule_id rule, enum severity sev,
				const char *file, int line, int col,
				int end_line, int end_col)
{
	struct finding f = { 0 };

	f.rule = &rule_table[rule];
	f.severity = sev;
	f.message = xstrdup("a message");
	f.file = file;
	f.loc.line = line;
	f.loc.col = col;
	f.loc.end_line = end_line;
	f.loc.end_col = end_col;
	f.fingerprint = 0x00ab00cd00ef0012ULL;
	return f;
}

static void set_str(char **p, const char *s)
{
	free(*p);
	*p = s ? xstrdup(s) : NULL;
}

static void release(struct finding *fs, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		free(fs[i].message);
		free(fs[i].object);
		free(fs[i].snippet);
	}
}

/* --- severity and finding lists --- */

START_TEST(test_severity)
{
	enum severity s;

	ck_assert_str_eq(severity_name(SEV_ERROR), "error");
	ck_assert_str_eq(severity_name(SEV_WARNING), "warning");
	ck_assert_str_eq(severity_name(SEV_NOTE), "note");
	ck_assert_str_eq(severity_name(SEV_OFF), "off");
	ck_assert_int_eq(severity_parse("warning", &s), 0);
	ck_assert_int_eq(s, SEV_WARNING);
	ck_assert_int_eq(severity_parse("off", &s), 0);
	ck_assert_int_eq(s, SEV_OFF);
	ck_assert_int_eq(severity_parse("error", &s), 0);
	ck_assert_int_eq(s, SEV_ERROR);
	ck_assert_int_eq(severity_parse("fatal", &s), -1);
	ck_assert_int_eq(severity_parse("", &s), -1);
	ck_assert_int_eq(severity_parse("Error", &s), -1);
}
END_TEST

static void push(struct finding_list *l, struct finding f, int file_index)
{
	f.loc.file_index = file_index;
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr++] = f;
}

START_TEST(test_finding_list_sort)
{
	struct finding_list l;

	finding_list_init(&l);
	ck_assert_int_eq(l.nr, 0);
	finding_list_sort(&l);
	push(&l, mkfinding(RULE_DROP_TABLE, SEV_ERROR, "b", 3, 1, 3, 2), 1);
	push(&l, mkfinding(RULE_DROP_TABLE, SEV_ERROR, "a", 9, 1, 9, 2), 0);
	push(&l, mkfinding(RULE_DROP_COLUMN, SEV_ERROR, "b", 2, 7, 2, 9), 1);
	push(&l, mkfinding(RULE_DROP_COLUMN, SEV_ERROR, "b", 2, 5, 2, 9), 1);
	push(&l, mkfinding(RULE_DROP_TABLE, SEV_ERROR, "b", 2, 5, 2, 9), 1);
	finding_list_sort(&l);
	ck_assert_int_eq(l.items[0].loc.line, 9);
	ck_assert_int_eq(l.items[1].loc.col, 5);
	ck_assert_str_eq(l.items[1].rule->id, "drop-column");
	ck_assert_str_eq(l.items[2].rule->id, "drop-table");
	ck_assert_int_eq(l.items[3].loc.col, 7);
	ck_assert_int_eq(l.items[4].loc.line, 3);
	l.items[0].help = "h";
	set_str(&l.items[0].object, "public.t");
	set_str(&l.items[0].snippet, "DROP TABLE t;");
	finding_list_release(&l);
	ck_assert_ptr_null(l.items);
	ck_assert_int_eq(l.nr, 0);
}
END_TEST

START_TEST(test_by_name)
{
	ck_assert_ptr_eq(reporter_by_name("text"), &reporter_text);
	ck_assert_ptr_eq(reporter_by_name("json"), &reporter_json);
	ck_assert_ptr_eq(reporter_by_name("sarif"), &reporter_sarif);
	ck_assert_ptr_null(reporter_by_name("xml"));
	ck_assert_ptr_null(reporter_by_name(""));
	ck_assert_ptr_eq(reporter_by_name("github"), &reporter_github);
	ck_assert_ptr_eq(reporter_by_name("gitlab"), &reporter_gitlab);
	ck_assert_ptr_eq(reporter_by_name("junit"), &reporter_junit);
	ck_assert_ptr_eq(reporter_by_name("markdown"), &reporter_markdown);
	ck_assert_ptr_null(reporter_by_name("TEXT"));
	ck_assert_str_eq(reporter_names(), "text, json, sarif, github, gitlab, junit, markdown");
}
END_TEST

/* --- text --- */

static struct finding drop_column_finding(void)
{
	struct finding f = mkfinding(RULE_DROP_COLUMN, SEV_ERROR,
				     "migrations/0003_x.up.sql", 12, 5, 12, 36);

	set_str(&f.message, "dropping column \"email\" of existing table \"users\" loses its data");
	f.help = "stop using the column first";
	set_str(&f.snippet, "ALTER TABLE users DROP COLUMN email;");
	return f;
}

START_TEST(test_text_basic)
{
	struct report_opts ro = opts();
	struct finding fs[2];
	struct summary s = sum_of(5, 2, 14, 3, 1, 0, 0);
	struct rendered r;

	fs[0] = drop_column_finding();
	fs[1] = mkfinding(RULE_SET_NOT_NULL, SEV_WARNING, "m/2.sql", 1, 1, 1, 2);
	r = render(&reporter_text, &ro, fs, 2, &s);
	ck_assert_int_eq(r.ret, 0);
	ck_assert_str_eq(r.buf,
		"migrations/0003_x.up.sql:12:5: error[drop-column]: dropping column \"email\" of existing table \"users\" loses its data\n"
		"   12 | ALTER TABLE users DROP COLUMN email;\n"
		"      |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
		"   = help: stop using the column first\n"
		"\n"
		"m/2.sql:1:1: warning[set-not-null]: a message\n"
		"\n"
		"3 errors, 1 warning, 0 notes in 2 of 5 migration files (14 statements)\n");
	free(r.buf);
	release(fs, 2);
}
END_TEST

START_TEST(test_text_summaries)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(5, 5, 14, 0, 0, 0, 0);
	struct rendered r;

	r = render(&reporter_text, &ro, NULL, 0, &s);
	ck_assert_str_eq(r.buf, "no findings in 5 migration files (14 statements)\n");
	free(r.buf);

	s = sum_of(1, 1, 1, 1, 0, 1, 2);
	r = render(&reporter_text, &ro, NULL, 0, &s);
	ck_assert_str_eq(r.buf, "1 error, 0 warnings, 1 note in 1 migration file (1 statement, 2 suppressed)\n");
	free(r.buf);

	s = sum_of(7, 1, 0, 0, 0, 0, 3);
	r = render(&reporter_text, &ro, NULL, 0, &s);
	ck_assert_str_eq(r.buf, "no findings in 1 of 7 migration files (0 statements, 3 suppressed)\n");
	free(r.buf);
}
END_TEST

static char *render_one_text(struct finding *f, bool color)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(1, 1, 1, 1, 0, 0, 0);
	struct rendered r;

	ro.color = color;
	r = render(&reporter_text, &ro, f, 1, &s);
	ck_assert_int_eq(r.ret, 0);
	return r.buf;
}

START_TEST(test_text_tabs_and_utf8)
{
	struct finding f = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "a.sql", 3, 2, 3, 15);
	char *out;

	set_str(&f.snippet, "\tDROP TABLE x;");
	out = render_one_text(&f, false);
	ck_assert_ptr_nonnull(strstr(out,
		"    3 |         DROP TABLE x;\n"
		"      |         ^~~~~~~~~~~~~\n"));
	free(out);

	/* a tab inside the underline counts for its expanded width */
	f.loc.col = 1;
	f.loc.end_col = 4;
	set_str(&f.snippet, "a\tb");
	out = render_one_text(&f, false);
	ck_assert_ptr_nonnull(strstr(out,
		"    3 | a       b\n"
		"      | ^~~~~~~~~\n"));
	free(out);

	/* columns are characters, not bytes */
	f.loc.col = 6;
	f.loc.end_col = 7;
	set_str(&f.snippet, "-- \xc3\xa9 x");
	out = render_one_text(&f, false);
	ck_assert_ptr_nonnull(strstr(out,
		"    3 | -- \xc3\xa9 x\n"
		"      |      ^\n"));
	free(out);
	release(&f, 1);
}
END_TEST

START_TEST(test_text_regions)
{
	struct finding f = mkfinding(RULE_DROP_TABLE, SEV_NOTE, "a.sql", 123456, 3, 123458, 2);
	char *out;

	/* multi-line: underline to the end of the first line, CR dropped */
	set_str(&f.snippet, "CREATE TABLE t (\r");
	out = render_one_text(&f, false);
	ck_assert_ptr_nonnull(strstr(out,
		"a.sql:123456:3: note[drop-table]: a message\n"
		"123456 | CREATE TABLE t (\n"
		"       |   ^~~~~~~~~~~~~~\n"));
	free(out);

	/* an empty region still gets one caret, even past the end */
	f.loc.line = f.loc.end_line = 1;
	f.loc.col = f.loc.end_col = 4;
	set_str(&f.snippet, "abc");
	out = render_one_text(&f, false);
	ck_assert_ptr_nonnull(strstr(out, "    1 | abc\n      |    ^\n"));
	free(out);

	/* no snippet: no source lines; control characters neutralised */
	set_str(&f.snippet, NULL);
	set_str(&f.message, "bad \033[31m name");
	f.help = "do\tthis";
	out = render_one_text(&f, false);
	ck_assert_str_eq(out,
		"a.sql:1:4: note[drop-table]: bad ?[31m name\n"
		"   = help: do this\n"
		"\n"
		"1 error, 0 warnings, 0 notes in 1 migration file (1 statement)\n");
	free(out);

	/* a finding about the whole file */
	f.loc.line = f.loc.col = f.loc.end_line = f.loc.end_col = 0;
	f.help = NULL;
	out = render_one_text(&f, false);
	ck_assert(str_starts_with(out, "a.sql: note[drop-table]: bad ?[31m name\n\n"));
	free(out);
	release(&f, 1);
}
END_TEST

START_TEST(test_text_color)
{
	struct finding f = drop_column_finding();
	char *out;

	out = render_one_text(&f, false);
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);
	out = render_one_text(&f, true);
	ck_assert_ptr_nonnull(strstr(out, "\033[1mmigrations/0003_x.up.sql:12:5:\033[0m "));
	ck_assert_ptr_nonnull(strstr(out, "\033[1;31merror[drop-column]\033[0m"));
	ck_assert_ptr_nonnull(strstr(out, "\033[1;31m1 error\033[0m, 0 warnings"));
	free(out);
	f.severity = SEV_WARNING;
	out = render_one_text(&f, true);
	ck_assert_ptr_nonnull(strstr(out, "\033[1;33mwarning[drop-column]"));
	free(out);
	f.severity = SEV_NOTE;
	out = render_one_text(&f, true);
	ck_assert_ptr_nonnull(strstr(out, "\033[1;36mnote[drop-column]"));
	free(out);
	release(&f, 1);
}
END_TEST

/* --- json --- */

static json_t *parse(const char *buf)
{
	json_error_t err;
	json_t *j = json_loads(buf, 0, &err);

	if (!j)
		ck_abort_msg("invalid JSON: %s at line %d: %s", err.text, err.line, buf);
	return j;
}

static void assert_keys(json_t *obj, const char *const *keys)
{
	void *it = json_object_iter(obj);
	int i;

	for (i = 0; keys[i]; i++, it = json_object_iter_next(obj, it)) {
		ck_assert_ptr_nonnull(it);
		ck_assert_str_eq(json_object_iter_key(it), keys[i]);
	}
	ck_assert_ptr_null(it);
}

static const char *jstr(json_t *o, const char *path)
{
	json_t *v = json_object_get(o, path);

	ck_assert_msg(json_is_string(v), "'%s' is not a string", path);
	return json_string_value(v);
}

static json_int_t jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
	return json_integer_value(v);
}

START_TEST(test_json)
{
	static const char *const top[] = { "version", "tool", "findings", "summary", NULL };
	static const char *const fkeys[] = { "rule", "severity", "message", "help",
		"file", "line", "column", "end_line", "end_column", "object",
		"fingerprint", NULL };
	static const char *const skeys[] = { "files", "linted", "statements",
		"errors", "warnings", "notes", "suppressed", "baselined", "dialect", NULL };
	struct report_opts ro = opts();
	struct finding fs[2];
	struct summary s = sum_of(5, 2, 14, 1, 1, 0, 4);
	struct rendered r;
	json_t *root, *f;

	fs[0] = drop_column_finding();
	set_str(&fs[0].object, "public.users.email");
	fs[1] = mkfinding(RULE_SET_NOT_NULL, SEV_WARNING, "m/\xff.sql", 1, 2, 3, 4);
	fs[1].fingerprint = 0xffffffffffffffffULL;
	r = render(&reporter_json, &ro, fs, 2, &s);
	ck_assert_int_eq(r.ret, 0);
	ck_assert(r.len > 2 && r.buf[r.len - 1] == '\n' && r.buf[r.len - 2] == '}');
	ck_assert(str_starts_with(r.buf, "{\n  \"version\": 1,\n  \"tool\": {\n    \"name\": \"migsafe\""));
	root = parse(r.buf);
	assert_keys(root, top);
	ck_assert_int_eq(jint(root, "version"), 1);
	ck_assert_str_eq(jstr(json_object_get(root, "tool"), "name"), "migsafe");
	ck_assert_str_eq(jstr(json_object_get(root, "tool"), "version"), "0.1.0");
	ck_assert_int_eq(json_array_size(json_object_get(root, "findings")), 2);

	f = json_array_get(json_object_get(root, "findings"), 0);
	assert_keys(f, fkeys);
	ck_assert_str_eq(jstr(f, "rule"), "drop-column");
	ck_assert_str_eq(jstr(f, "severity"), "error");
	ck_assert_str_eq(jstr(f, "message"), fs[0].message);
	ck_assert_str_eq(jstr(f, "help"), "stop using the column first");
	ck_assert_str_eq(jstr(f, "file"), "migrations/0003_x.up.sql");
	ck_assert_int_eq(jint(f, "line"), 12);
	ck_assert_int_eq(jint(f, "column"), 5);
	ck_assert_int_eq(jint(f, "end_line"), 12);
	ck_assert_int_eq(jint(f, "end_column"), 36);
	ck_assert_str_eq(jstr(f, "object"), "public.users.email");
	ck_assert_str_eq(jstr(f, "fingerprint"), "00ab00cd00ef0012");

	f = json_array_get(json_object_get(root, "findings"), 1);
	assert_keys(f, fkeys);
	ck_assert(json_is_null(json_object_get(f, "help")));
	ck_assert(json_is_null(json_object_get(f, "object")));
	ck_assert_str_eq(jstr(f, "file"), "m/\xef\xbf\xbd.sql");
	ck_assert_str_eq(jstr(f, "severity"), "warning");
	ck_assert_str_eq(jstr(f, "fingerprint"), "ffffffffffffffff");

	f = json_object_get(root, "summary");
	assert_keys(f, skeys);
	ck_assert_int_eq(jint(f, "files"), 5);
	ck_assert_int_eq(jint(f, "linted"), 2);
	ck_assert_int_eq(jint(f, "statements"), 14);
	ck_assert_int_eq(jint(f, "errors"), 1);
	ck_assert_int_eq(jint(f, "warnings"), 1);
	ck_assert_int_eq(jint(f, "notes"), 0);
	ck_assert_int_eq(jint(f, "suppressed"), 4);
	json_decref(root);
	free(r.buf);
	release(fs, 2);
}
END_TEST

START_TEST(test_json_empty)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(0, 0, 0, 0, 0, 0, 0);
	struct rendered r;
	json_t *root;

	ro.tool_version = NULL;
	r = render(&reporter_json, &ro, NULL, 0, &s);
	ck_assert_int_eq(r.ret, 0);
	root = parse(r.buf);
	ck_assert(json_is_array(json_object_get(root, "findings")));
	ck_assert_int_eq(json_array_size(json_object_get(root, "findings")), 0);
	ck_assert(json_is_null(json_object_get(json_object_get(root, "tool"), "version")));
	json_decref(root);
	free(r.buf);
}
END_TEST

/* --- the streaming JSON writer --- */

struct wbuf {
	char *buf;
	size_t len;
	FILE *out;
	struct jsonw w;
};

static struct jsonw *wbuf_open(struct wbuf *b)
{
	b->buf = NULL;
	b->len = 0;
	b->out = open_memstream(&b->buf, &b->len);
	ck_assert_ptr_nonnull(b->out);
	jsonw_init(&b->w, b->out);
	return &b->w;
}

/* Close the stream; the caller frees the returned text. */
static char *wbuf_close(struct wbuf *b)
{
	ck_assert_int_eq(fclose(b->out), 0);
	return b->buf;
}

/* Finish the document and check it is 'want'. */
static void wbuf_expect(struct wbuf *b, const char *want)
{
	char *out;

	jsonw_finish(&b->w);
	out = wbuf_close(b);
	ck_assert_str_eq(out, want);
	free(out);
}

/* s as a jsonw top-level string; the caller frees it */
static char *jsonw_string_of(const char *s)
{
	struct wbuf b;

	jsonw_str(wbuf_open(&b), s);
	return wbuf_close(&b);
}

/* What jansson makes of the same string (it must be valid UTF-8). */
static char *jansson_string_of(const char *s)
{
	json_t *j = json_string(s);
	char *out;

	ck_assert_ptr_nonnull(j);
	out = json_dumps(j, JSON_ENCODE_ANY | JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	return out;
}

static void assert_string_as(const char *s, const char *expect)
{
	char *out = jsonw_string_of(s);

	ck_assert_str_eq(out, expect);
	free(out);
}

static void assert_string_as_jansson(const char *s)
{
	char *ours = jsonw_string_of(s), *theirs = jansson_string_of(s);

	ck_assert_str_eq(ours, theirs);
	free(ours);
	free(theirs);
}

START_TEST(test_jsonw_escaping)
{
	static const char *const valid[] = {
		"", "plain text", "a \"quoted\" word", "back\\slash\\",
		"\\\"", "tab\tnew\nline\rcr\bbs\fff", "\x01\x02\x1e\x1f",
		"del \x7f and slash /", "</script>",
		"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",   /* é, €, an emoji */
		"\xe2\x80\xa8\xe2\x80\xa9",      /* U+2028, U+2029 go as they are */
		"\xef\xbf\xbd\xf4\x8f\xbf\xbf", /* U+FFFD, U+10FFFF */
	};
	char ctl[2] = { 0, 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid); i++)
		assert_string_as_jansson(valid[i]);
	for (i = 1; i < 0x20; i++) {
		ctl[0] = (char)i;
		assert_string_as_jansson(ctl);
	}
	assert_string_as("\x01", "\"\\u0001\"");
	assert_string_as("\x1f", "\"\\u001F\"");
	assert_string_as("\x1b[1m", "\"\\u001B[1m\"");
	assert_string_as("a\"b\\c", "\"a\\\"b\\\\c\"");
	assert_string_as("\t\n\r\b\f", "\"\\t\\n\\r\\b\\f\"");
}
END_TEST

/* Each byte that starts no valid sequence becomes U+FFFD, as
   report_json_str() did before the writer. */
START_TEST(test_jsonw_invalid_utf8)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\xff", "\"\xef\xbf\xbd\"" },
		{ "a\xfe" "b", "\"a\xef\xbf\xbd" "b\"" },
		/* overlong "/" */
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		/* overlong three-byte NUL */
		{ "\xe0\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		/* a surrogate */
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		/* above U+10FFFF */
		{ "\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		/* a sequence cut short, then valid text: only the lead goes */
		{ "\xe2\x82" "x\xc3\xa9", "\"\xef\xbf\xbd\xef\xbf\xbd" "x\xc3\xa9\"" },
		{ "\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		/* a stray continuation byte among escapes */
		{ "\"\x80\n", "\"\\\"\xef\xbf\xbd\\n\"" },
	};
	json_t *j;
	char *out;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		out = jsonw_string_of(cases[i].in);
		ck_assert_str_eq(out, cases[i].out);
		/* and jansson reads the result back */
		j = json_loads(out, JSON_DECODE_ANY, NULL);
		ck_assert_ptr_nonnull(j);
		json_decref(j);
		free(out);
	}
}
END_TEST

/*
 * The writer checks eight bytes at a time and buffers its output: a
 * character that needs escaping at every position of strings of every
 * length near those eight bytes, and strings longer than the buffer,
 * must come out as jansson writes them.
 */
START_TEST(test_jsonw_word_edges)
{
	static const char specials[] = { '"', '\\', '\n', '\x01', '\x1f', '\x7f', ' ', '~' };
	char s[40];

	for (size_t len = 1; len < sizeof(s); len++)
		for (size_t at = 0; at < len; at++)
			for (size_t k = 0; k < ARRAY_SIZE(specials); k++) {
				memset(s, 'a' + (int)(at % 26), len);
				s[at] = specials[k];
				s[len] = '\0';
				assert_string_as_jansson(s);
				/* a valid two-byte sequence across a word boundary */
				if (at + 1 < len) {
					memcpy(s + at, "\xc3\xa9", 2);
					assert_string_as_jansson(s);
				}
			}
}
END_TEST

START_TEST(test_jsonw_longer_than_buffer)
{
	size_t len = 3 * JSONW_BUF + 7;
	char *s = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		s[i] = (char)('a' + i % 26);
	s[len] = '\0';
	assert_string_as_jansson(s);
	for (size_t i = 0; i < len; i += 97)
		s[i] = i % 2 ? '"' : '\n';
	assert_string_as_jansson(s);
	free(s);
}
END_TEST

/* Many members: the buffer fills and empties mid-document. */
START_TEST(test_jsonw_many_members)
{
	json_t *root = json_array();
	struct wbuf b;
	struct jsonw *w = wbuf_open(&b);
	char *ours, *theirs, key[32];

	jsonw_array_begin(w);
	for (int i = 0; i < 2000; i++) {
		json_t *o = json_object();

		snprintf(key, sizeof(key), "key \"%d\"", i);
		json_object_set_new(o, key, json_string(key + i % 7));
		json_object_set_new(o, "n", json_integer(-i * 1000003LL));
		json_array_append_new(root, o);
		jsonw_object_begin(w);
		jsonw_key_str(w, key, key + i % 7);
		jsonw_key_int(w, "n", -i * 1000003LL);
		jsonw_object_end(w);
		if (i % 3 == 0)
			jsonw_flush(w);
	}
	jsonw_array_end(w);
	jsonw_finish(w);
	ours = wbuf_close(&b);
	theirs = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	ck_assert_ptr_nonnull(theirs);
	ck_assert_uint_eq(strlen(ours), strlen(theirs) + 1);
	ck_assert(!strncmp(ours, theirs, strlen(theirs)));
	free(theirs);
	free(ours);
	json_decref(root);
}
END_TEST

/*
 * Fill s with n bytes of one of a few kinds: plain letters, or letters
 * with a byte that needs escaping, or a valid two-byte sequence, at a
 * place that moves with i. Keys start with 'K' (never "n" or "d").
 */
static void edge_text(char *s, size_t n, int i, bool key)
{
	static const char specials[] = { '"', '\\', '\n', '\x01', '\x1f' };

	for (size_t j = 0; j < n; j++)
		s[j] = (char)('a' + (i + (int)j) % 26);
	if (key && n)
		s[0] = 'K';
	if (n > 1 && i % 3 == 1)
		s[1 + (size_t)i % (n - 1)] = specials[i % ARRAY_SIZE(specials)];
	else if (!key && n > 2 && i % 3 == 2)
		memcpy(s + 1 + (size_t)i % (n - 2), "\xc3\xa9", 2);
	s[n] = '\0';
}

/*
 * Members never flushed, keys and values of every length around a
 * block's (the writer checks 16 or 8 bytes at a time), plain or not, at
 * depths that vary: the buffer fills in the middle of each kind of piece
 * - a line's indent, a key written whole, one that needs escaping, a
 * value, a number - and the document must still be jansson's.
 */
START_TEST(test_jsonw_buffer_edges)
{
	json_t *root = json_array();
	struct wbuf b;
	struct jsonw *w = wbuf_open(&b);
	char *ours, *theirs, key[48], val[48];

	jsonw_array_begin(w);
	for (int i = 0; i < 3000; i++) {
		int depth = i % 6;
		long long n = (i % 2 ? -1LL : 1LL) * i * 1000003LL * (i % 11);
		json_t *top = json_object(), *o = top;

		edge_text(key, (size_t)(i % 37) + 1, i, true);
		edge_text(val, (size_t)(i * 7 % 41), i / 3, false);
		jsonw_object_begin(w);
		for (int d = 0; d < depth; d++) {
			json_t *inner = json_object();

			json_object_set_new(o, "d", inner);
			o = inner;
			jsonw_key(w, "d");
			jsonw_object_begin(w);
		}
		json_object_set_new(o, key, json_string(val));
		json_object_set_new(o, "n", json_integer(n));
		jsonw_key_str(w, key, val);
		jsonw_key_int(w, "n", n);
		for (int d = 0; d <= depth; d++)
			jsonw_object_end(w);
		json_array_append_new(root, top);
	}
	jsonw_array_end(w);
	jsonw_finish(w);
	ours = wbuf_close(&b);
	theirs = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	ck_assert_ptr_nonnull(theirs);
	ck_assert_uint_gt(strlen(theirs), 20 * JSONW_BUF);
	ck_assert_uint_eq(strlen(ours), strlen(theirs) + 1);
	ck_assert(!strncmp(ours, theirs, strlen(theirs)));
	free(theirs);
	free(ours);
	json_decref(root);
}
END_TEST

/* Between a reporter's calls the stream holds all that was written. */
START_TEST(test_jsonw_flush)
{
	struct wbuf b;
	struct jsonw *w = wbuf_open(&b);

	jsonw_array_begin(w);
	jsonw_str(w, "x");
	ck_assert_int_eq(fflush(b.out), 0);
	ck_assert_uint_eq(b.len, 0);
	jsonw_flush(w);
	ck_assert_int_eq(fflush(b.out), 0);
	ck_assert_uint_eq(b.len, strlen("[\n  \"x\""));
	jsonw_array_end(w);
	wbuf_expect(&b, "[\n  \"x\"\n]\n");
}
END_TEST

START_TEST(test_fingerprint_hex)
{
	static const uint64_t fps[] = {
		0, 1, 0xf, 0x10, 0x00ab00cd00ef0012ULL, 0x8000000000000000ULL,
		0xfedcba9876543210ULL, UINT64_MAX,
	};
	char ours[REPORT_FP_HEX], theirs[REPORT_FP_HEX];

	for (size_t i = 0; i < ARRAY_SIZE(fps); i++) {
		report_fingerprint_hex(ours, fps[i]);
		snprintf(theirs, sizeof(theirs), "%016" PRIx64, fps[i]);
		ck_assert_str_eq(ours, theirs);
	}
}
END_TEST

/* The same document built with jansson, to compare the layout. */
static json_t *nested_jansson(void)
{
	json_t *root = json_object(), *a = json_array(), *o = json_object();

	json_object_set_new(root, "z-first", json_integer(0));
	json_object_set_new(root, "empty array", json_array());
	json_object_set_new(root, "empty object", json_object());
	json_array_append_new(a, json_integer(-42));
	json_array_append_new(a, json_integer(9223372036854775807LL));
	json_array_append_new(a, json_integer(-9223372036854775807LL - 1));
	json_array_append_new(a, json_true());
	json_array_append_new(a, json_false());
	json_array_append_new(a, json_null());
	json_array_append_new(a, json_array());
	json_array_append_new(a, json_pack("[[{}]]"));
	json_object_set_new(o, "k\"ey\n", json_string("v"));
	json_object_set_new(o, "inner", json_pack("{s:[i,i]}", "deep", 1, 2));
	json_array_append_new(a, o);
	json_object_set_new(root, "array", a);
	json_object_set_new(root, "last", json_string("x"));
	return root;
}

static void nested_jsonw(struct jsonw *w)
{
	jsonw_object_begin(w);
	jsonw_key_int(w, "z-first", 0);
	jsonw_key(w, "empty array");
	jsonw_array_begin(w);
	jsonw_array_end(w);
	jsonw_key(w, "empty object");
	jsonw_object_begin(w);
	jsonw_object_end(w);
	jsonw_key(w, "array");
	jsonw_array_begin(w);
	jsonw_int(w, -42);
	jsonw_int(w, 9223372036854775807LL);
	jsonw_int(w, -9223372036854775807LL - 1);
	jsonw_bool(w, true);
	jsonw_bool(w, false);
	jsonw_str(w, NULL);
	jsonw_array_begin(w);
	jsonw_array_end(w);
	jsonw_array_begin(w);
	jsonw_array_begin(w);
	jsonw_object_begin(w);
	jsonw_object_end(w);
	jsonw_array_end(w);
	jsonw_array_end(w);
	jsonw_object_begin(w);
	jsonw_key_str(w, "k\"ey\n", "v");
	jsonw_key(w, "inner");
	jsonw_object_begin(w);
	jsonw_key(w, "deep");
	jsonw_array_begin(w);
	jsonw_int(w, 1);
	jsonw_int(w, 2);
	jsonw_array_end(w);
	jsonw_object_end(w);
	jsonw_object_end(w);
	jsonw_array_end(w);
	jsonw_key_str(w, "last", "x");
	jsonw_object_end(w);
	jsonw_finish(w);
}

START_TEST(test_jsonw_nesting)
{
	struct wbuf b;
	json_t *root = nested_jansson();
	char *ours, *theirs;

	nested_jsonw(wbuf_open(&b));
	ours = wbuf_close(&b);
	theirs = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	ck_assert_ptr_nonnull(theirs);
	ck_assert_uint_eq(strlen(ours), strlen(theirs) + 1);
	ck_assert(!strncmp(ours, theirs, strlen(theirs)));
	ck_assert_str_eq(ours + strlen(theirs), "\n");
	/* and the layout spelt out, for a small case */
	ck_assert(str_starts_with(ours, "{\n  \"z-first\": 0,\n  \"empty array\": [],\n"
				  "  \"empty object\": {},\n  \"array\": [\n    -42,\n"));
	ck_assert(str_ends_with(ours, "      }\n    }\n  ],\n  \"last\": \"x\"\n}\n"));
	free(theirs);
	free(ours);
	json_decref(root);
}
END_TEST

START_TEST(test_jsonw_top_level)
{
	struct wbuf b;
	struct jsonw *w = wbuf_open(&b);

	jsonw_array_begin(w);
	jsonw_array_end(w);
	wbuf_expect(&b, "[]\n");

	w = wbuf_open(&b);
	jsonw_object_begin(w);
	jsonw_key(w, "a");
	jsonw_array_begin(w);
	jsonw_object_begin(w);
	jsonw_object_end(w);
	jsonw_object_begin(w);
	jsonw_key_int(w, "b", 1);
	jsonw_object_end(w);
	jsonw_array_end(w);
	jsonw_object_end(w);
	wbuf_expect(&b, "{\n  \"a\": [\n    {},\n    {\n      \"b\": 1\n    }\n  ]\n}\n");

	w = wbuf_open(&b);
	jsonw_int(w, 7);
	wbuf_expect(&b, "7\n");
}
END_TEST

/* --- sarif --- */

static json_t *sarif_run(json_t *log)
{
	json_t *runs = json_object_get(log, "runs");

	ck_assert_str_eq(jstr(log, "version"), "2.1.0");
	ck_assert_str_eq(jstr(log, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
	ck_assert_int_eq(json_array_size(runs), 1);
	return json_array_get(runs, 0);
}

static json_t *result_n(json_t *run, size_t i)
{
	return json_array_get(json_object_get(run, "results"), i);
}

static json_t *artifact_of(json_t *result)
{
	json_t *loc = json_array_get(json_object_get(result, "locations"), 0);

	return json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation");
}

static json_t *region_of(json_t *result)
{
	json_t *loc = json_array_get(json_object_get(result, "locations"), 0);

	return json_object_get(json_object_get(loc, "physicalLocation"), "region");
}

static json_t *render_sarif(struct report_opts *ro, struct finding *fs, int nr)
{
	struct summary s = sum_of(1, 1, 1, 0, 0, 0, 0);
	struct rendered r = render(&reporter_sarif, ro, fs, nr, &s);
	json_t *log;

	ck_assert_int_eq(r.ret, 0);
	ck_assert(r.len && r.buf[r.len - 1] == '\n');
	log = parse(r.buf);
	free(r.buf);
	return log;
}

static size_t utf16_len(const char *s)
{
	size_t n = 0, k;

	for (; *s; s += k) {
		k = report_utf8_len(s);
		n += k == 4 ? 2 : 1;
	}
	return n;
}

static void check_rule(json_t *rule, const struct rule_info *info)
{
	const char *full;
	json_t *props = json_object_get(rule, "properties");
	json_t *tags = json_object_get(props, "tags");

	ck_assert_str_eq(jstr(rule, "id"), info->id);
	ck_assert_str_eq(jstr(json_object_get(rule, "shortDescription"), "text"), info->summary);
	full = jstr(json_object_get(rule, "fullDescription"), "text");
	ck_assert(*full && utf16_len(full) <= 1024);
	ck_assert_ptr_null(strchr(full, '\n'));
	ck_assert_ptr_null(strstr(full, "  "));
	ck_assert(*jstr(json_object_get(rule, "help"), "text"));
	if (rule_doc(info))
		ck_assert_str_eq(jstr(json_object_get(rule, "help"), "markdown"), rule_doc(info));
	if (rule_help(info))
		ck_assert_str_eq(jstr(json_object_get(rule, "help"), "text"), rule_help(info));
	ck_assert_str_eq(jstr(json_object_get(rule, "defaultConfiguration"), "level"),
			 info->default_severity == SEV_OFF ? "none" :
			 severity_name(info->default_severity));
	ck_assert(json_is_false(json_object_get(json_object_get(rule, "defaultConfiguration"),
						"enabled")) == (info->default_severity == SEV_OFF));
	ck_assert_int_eq(json_array_size(tags), 3);
	ck_assert_str_eq(json_string_value(json_array_get(tags, 0)), info->category);
	ck_assert_str_eq(jstr(props, "precision"), "high");
	ck_assert_str_eq(jstr(props, "problem.severity"),
			 info->default_severity <= SEV_NOTE ? "recommendation" :
			 severity_name(info->default_severity));
	ck_assert_ptr_null(json_object_get(props, "security-severity"));
}

START_TEST(test_sarif_rules)
{
	struct report_opts ro = opts();
	json_t *log = render_sarif(&ro, NULL, 0), *run, *driver, *rules;
	size_t i;

	run = sarif_run(log);
	driver = json_object_get(json_object_get(run, "tool"), "driver");
	ck_assert_str_eq(jstr(driver, "name"), "migsafe");
	ck_assert_str_eq(jstr(driver, "semanticVersion"), "0.1.0");
	ck_assert_str_eq(jstr(driver, "informationUri"), "https://github.com/migsafe/migsafe");
	rules = json_object_get(driver, "rules");
	ck_assert_int_eq(json_array_size(rules), NR_RULES);
	for (i = 0; i < NR_RULES; i++)
		check_rule(json_array_get(rules, i), &rule_table[i]);
	ck_assert_str_eq(jstr(json_array_get(rules, RULE_MISSING_FK_INDEX), "name"),
			 "MissingFkIndex");
	ck_assert(json_is_array(json_object_get(run, "results")));
	ck_assert_int_eq(json_array_size(json_object_get(run, "results")), 0);
	ck_assert_str_eq(jstr(run, "columnKind"), "unicodeCodePoints");
	ck_assert_ptr_null(json_object_get(run, "automationDetails"));
	json_decref(log);
}
END_TEST

#ifdef MIGSAFE_FAKE_REGISTRY
START_TEST(test_sarif_full_description)
{
	struct report_opts ro = opts();
	json_t *log = render_sarif(&ro, NULL, 0), *rules;
	const char *s;

	rules = json_object_get(json_object_get(json_object_get(sarif_run(log), "tool"),
						"driver"), "rules");
	s = jstr(json_object_get(json_array_get(rules, RULE_DROP_TABLE), "fullDescription"), "text");
	ck_assert_str_eq(s, "The rows are gone the moment the migration commits; the only way back is a restore.");
	s = jstr(json_object_get(json_array_get(rules, RULE_DROP_COLUMN), "fullDescription"), "text");
	ck_assert_uint_eq(strlen(s), 1024);
	ck_assert(str_starts_with(s, "lorem ipsum dolor"));
	ck_assert(str_ends_with(s, "..."));
	/* a "why" section that opens with code, or no doc: the summary */
	s = jstr(json_object_get(json_array_get(rules, RULE_TRUNCATE_TABLE), "fullDescription"), "text");
	ck_assert_str_eq(s, rule_table[RULE_TRUNCATE_TABLE].summary);
	s = jstr(json_object_get(json_array_get(rules, RULE_SET_NOT_NULL), "fullDescription"), "text");
	ck_assert_str_eq(s, rule_table[RULE_SET_NOT_NULL].summary);
	s = jstr(json_object_get(json_array_get(rules, RULE_SET_NOT_NULL), "help"), "text");
	ck_assert_str_eq(s, rule_table[RULE_SET_NOT_NULL].summary);
	ck_assert_ptr_null(json_object_get(json_object_get(json_array_get(rules, RULE_SET_NOT_NULL),
							   "help"), "markdown"));
	json_decref(log);
}
END_TEST
#endif

START_TEST(test_sarif_results)
{
	struct report_opts ro = opts();
	struct finding fs[2];
	json_t *log, *run, *res, *art, *reg, *props;

	fs[0] = drop_column_finding();
	set_str(&fs[0].object, "public.users.email");
	fs[1] = mkfinding(RULE_INDEX_NOT_CONCURRENT, SEV_NOTE, "./m/../migrations/2.sql", 0, 0, 0, 0);
	ro.automation_id = "migsafe/pr";
	log = render_sarif(&ro, fs, 2);
	run = sarif_run(log);
	ck_assert_str_eq(jstr(json_object_get(run, "automationDetails"), "id"), "migsafe/pr");
	ck_assert_int_eq(json_array_size(json_object_get(run, "results")), 2);

	res = result_n(run, 0);
	ck_assert_str_eq(jstr(res, "ruleId"), "drop-column");
	ck_assert_int_eq(jint(res, "ruleIndex"), RULE_DROP_COLUMN);
	ck_assert_str_eq(jstr(res, "level"), "error");
	ck_assert_str_eq(jstr(json_object_get(res, "message"), "text"), fs[0].message);
	art = artifact_of(res);
	ck_assert_str_eq(jstr(art, "uri"), "migrations/0003_x.up.sql");
	ck_assert_str_eq(jstr(art, "uriBaseId"), "%SRCROOT%");
	reg = region_of(res);
	ck_assert_int_eq(jint(reg, "startLine"), 12);
	ck_assert_int_eq(jint(reg, "startColumn"), 5);
	ck_assert_int_eq(jint(reg, "endLine"), 12);
	ck_assert_int_eq(jint(reg, "endColumn"), 36);
	ck_assert_str_eq(jstr(json_object_get(res, "partialFingerprints"), "migsafe/v1"),
			 "00ab00cd00ef0012");
	ck_assert_int_eq(json_object_size(json_object_get(res, "partialFingerprints")), 1);
	props = json_object_get(res, "properties");
	ck_assert_str_eq(jstr(props, "object"), "public.users.email");
	ck_assert_str_eq(jstr(props, "help"), "stop using the column first");

	res = result_n(run, 1);
	ck_assert_int_eq(jint(res, "ruleIndex"), RULE_INDEX_NOT_CONCURRENT);
	ck_assert_str_eq(jstr(res, "level"), "note");
	ck_assert_str_eq(jstr(artifact_of(res), "uri"), "migrations/2.sql");
	ck_assert_ptr_null(json_object_get(res, "properties"));
	/* no position: GitHub still wants every region value >= 1 */
	reg = region_of(res);
	ck_assert_int_eq(jint(reg, "startLine"), 1);
	ck_assert_int_eq(jint(reg, "startColumn"), 1);
	ck_assert_int_eq(jint(reg, "endLine"), 1);
	ck_assert_int_eq(jint(reg, "endColumn"), 2);
	json_decref(log);
	release(fs, 2);
}
END_TEST

static const char *uri_of(json_t *run, size_t i)
{
	return jstr(artifact_of(result_n(run, i)), "uri");
}

static bool has_base(json_t *run, size_t i)
{
	return json_object_get(artifact_of(result_n(run, i)), "uriBaseId") != NULL;
}

START_TEST(test_sarif_uris)
{
	struct report_opts ro = opts();
	struct finding fs[6];
	json_t *log, *run;
	int i;

	fs[0] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "/srv/my repo/db/m/0001 init.sql", 1, 1, 1, 2);
	fs[1] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "/srv/my repo/./x/../db//m/\xc3\xa9#1.sql", 1, 1, 1, 2);
	fs[2] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "/srv/other/a.sql", 1, 1, 1, 2);
	fs[3] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "/srv/my repository/a.sql", 1, 1, 1, 2);
	fs[4] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "/srv/my repo/../my repo/b.sql", 1, 1, 1, 2);
	fs[5] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "/srv/my repo/c:d.sql", 1, 1, 1, 2);
	ro.srcroot = "/srv/my repo/";
	log = render_sarif(&ro, fs, 6);
	run = sarif_run(log);
	ck_assert_str_eq(jstr(json_object_get(json_object_get(run, "originalUriBaseIds"),
					      "%SRCROOT%"), "uri"),
			 "file:///srv/my%20repo/");
	ck_assert_str_eq(uri_of(run, 0), "db/m/0001%20init.sql");
	ck_assert_str_eq(uri_of(run, 1), "db/m/%C3%A9%231.sql");
	ck_assert_str_eq(uri_of(run, 2), "file:///srv/other/a.sql");
	ck_assert(!has_base(run, 2));
	ck_assert_str_eq(uri_of(run, 3), "file:///srv/my%20repository/a.sql");
	ck_assert(!has_base(run, 3));
	ck_assert_str_eq(uri_of(run, 4), "b.sql");
	ck_assert_str_eq(uri_of(run, 5), "c%3Ad.sql");
	for (i = 0; i < 6; i++)
		ck_assert(i == 2 || i == 3 || has_base(run, (size_t)i));
	json_decref(log);
	release(fs, 6);
}
END_TEST

/* With no srcroot, relative display paths are relative to the cwd. */
START_TEST(test_sarif_uris_cwd)
{
	struct report_opts ro = opts();
	struct finding fs[3];
	char cwd[4096], *parent, *expect;
	struct strbuf sb;
	json_t *log, *run, *base;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	fs[0] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "./migrations/1.sql", 1, 1, 1, 2);
	fs[1] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "../outside.sql", 1, 1, 1, 2);
	expect = xstrfmt("%s/migrations/3.sql", cwd);
	fs[2] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, expect, 1, 1, 1, 2);
	log = render_sarif(&ro, fs, 3);
	run = sarif_run(log);
	base = json_object_get(json_object_get(run, "originalUriBaseIds"), "%SRCROOT%");
	ck_assert(str_starts_with(jstr(base, "uri"), "file:///"));
	ck_assert(str_ends_with(jstr(base, "uri"), "/"));
	ck_assert_str_eq(uri_of(run, 0), "migrations/1.sql");
	ck_assert_str_eq(uri_of(run, 2), "migrations/3.sql");
	if (strcmp(cwd, "/") && !strpbrk(cwd, " %#?")) {
		parent = xstrdup(cwd);
		*strrchr(parent, '/') = '\0';
		strbuf_init(&sb);
		strbuf_addf(&sb, "file://%s/outside.sql", parent);
		ck_assert_str_eq(uri_of(run, 1), sb.buf);
		ck_assert(!has_base(run, 1));
		strbuf_release(&sb);
		free(parent);
	}
	json_decref(log);
	release(fs, 3);
	free(expect);
}
END_TEST

START_TEST(test_sarif_custom_rule)
{
	static const struct rule_info custom = {
		NR_RULES, "no-money-type", "schema-design", SEV_WARNING, "", NULL
	};
	static const struct rule_info unused = {
		NR_RULES + 1, "unused-custom", "schema-design", SEV_WARNING, "", NULL
	};
	const struct rule_info *extra[] = { &custom, &unused };
	struct report_opts ro = opts();
	struct finding fs[3];
	json_t *log, *run, *rules, *rule;

	/* the config's custom rules are listed whether they fire or not */
	ro.extra_rules = extra;
	ro.nr_extra_rules = 2;
	fs[0] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "a.sql", 1, 1, 1, 2);
	fs[1] = mkfinding(RULE_DROP_TABLE, SEV_WARNING, "a.sql", 2, 1, 2, 2);
	fs[2] = mkfinding(RULE_DROP_TABLE, SEV_WARNING, "a.sql", 3, 1, 3, 2);
	fs[1].rule = &custom;
	fs[2].rule = &custom;
	log = render_sarif(&ro, fs, 3);
	run = sarif_run(log);
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	ck_assert_int_eq(json_array_size(rules), NR_RULES + 2);
	ck_assert_str_eq(jstr(json_array_get(rules, NR_RULES + 1), "id"), "unused-custom");
	rule = json_array_get(rules, NR_RULES);
	ck_assert_str_eq(jstr(rule, "id"), "no-money-type");
	ck_assert_str_eq(jstr(json_object_get(rule, "shortDescription"), "text"), "no-money-type");
	ck_assert_str_eq(jstr(json_object_get(rule, "help"), "text"), "no-money-type");
	ck_assert_int_eq(jint(result_n(run, 0), "ruleIndex"), RULE_DROP_TABLE);
	ck_assert_int_eq(jint(result_n(run, 1), "ruleIndex"), NR_RULES);
	ck_assert_int_eq(jint(result_n(run, 2), "ruleIndex"), NR_RULES);
	json_decref(log);
	release(fs, 3);
}
END_TEST

/* --- github --- */

/* needle in haystack, showing the haystack when it is not */
#define assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "'%s' not in:\n%s", (needle), (hay))

static char *render_str(const struct reporter *rep, struct report_opts *ro,
			const struct finding *fs, int nr, const struct summary *s)
{
	struct rendered r = render(rep, ro, fs, nr, s);

	ck_assert_int_eq(r.ret, 0);
	return r.buf;
}

START_TEST(test_github_basic)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(5, 2, 14, 1, 1, 1, 2);
	struct finding fs[3];
	char *out;

	fs[0] = drop_column_finding();
	/* multi-line: no columns (the toolkit forbids them) */
	fs[1] = mkfinding(RULE_SET_NOT_NULL, SEV_WARNING, "./m/2.sql", 3, 4, 5, 2);
	/* whole file: no position at all */
	fs[2] = mkfinding(RULE_UNUSED_SUPPRESSION, SEV_NOTE, "m/3.sql", 0, 0, 0, 0);
	out = render_str(&reporter_github, &ro, fs, 3, &s);
	ck_assert_str_eq(out,
		"::error file=migrations/0003_x.up.sql,line=12,col=5,endLine=12,endColumn=35,"
		"title=drop-column::dropping column \"email\" of existing table \"users\" loses its data"
		"%0Ahelp: stop using the column first\n"
		"::warning file=m/2.sql,line=3,endLine=5,title=set-not-null::a message\n"
		"::notice file=m/3.sql,title=unused-suppression::a message\n"
		"1 error, 1 warning, 1 note in 2 of 5 migration files (14 statements, 2 suppressed)\n");
	free(out);
	release(fs, 3);
}
END_TEST

static char *annotation(const struct finding *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	github_annotation(out, f);
	fclose(out);
	return buf;
}

START_TEST(test_github_escaping)
{
	static const struct rule_info custom = {
		NR_RULES, "a,b:c%d", "schema-design", SEV_WARNING, "", NULL
	};
	struct finding f = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "d,ir/a:b%20.sql", 2, 3, 2, 3);
	char *out;

	set_str(&f.message, "50% of \"t\": a, b\r\nnext line\n::error::injected");
	f.help = "use %0A literally";
	out = annotation(&f);
	ck_assert_str_eq(out,
		"::error file=d%2Cir/a%3Ab%2520.sql,line=2,col=3,endLine=2,endColumn=3,"
		"title=drop-table::50%25 of \"t\": a, b%0D%0Anext line%0A::error::injected"
		"%0Ahelp: use %250A literally\n");
	free(out);

	/* properties escape ',' and ':' too; one line whatever the input */
	f.rule = &custom;
	f.severity = SEV_WARNING;
	f.loc.end_line = 0;
	f.loc.end_col = 0;
	f.help = NULL;
	set_str(&f.message, "x");
	out = annotation(&f);
	ck_assert_str_eq(out, "::warning file=d%2Cir/a%3Ab%2520.sql,line=2,col=3,"
			 "title=a%2Cb%3Ac%25d::x\n");
	free(out);

	/* an end column before the start: endColumn is never below col */
	f.loc.end_line = 2;
	f.loc.end_col = 1;
	f.loc.col = 0;
	out = annotation(&f);
	ck_assert(str_starts_with(out, "::warning file=d%2Cir/a%3Ab%2520.sql,line=2,title="));
	free(out);
	f.loc.col = 7;
	out = annotation(&f);
	assert_contains(out, ",col=7,endLine=2,endColumn=7,");
	free(out);
	release(&f, 1);
}
END_TEST

START_TEST(test_github_empty)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(3, 3, 4, 0, 0, 0, 0);
	char *out = render_str(&reporter_github, &ro, NULL, 0, &s);

	ck_assert_str_eq(out, "no findings in 3 migration files (4 statements)\n");
	free(out);
}
END_TEST

/* --- gitlab --- */

static json_t *render_gitlab(struct finding *fs, int nr)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(1, 1, 1, 0, 0, 0, 0);
	char *out = render_str(&reporter_gitlab, &ro, fs, nr, &s);
	json_t *j;

	ck_assert(str_ends_with(out, "]\n"));
	j = parse(out);
	free(out);
	ck_assert(json_is_array(j));
	ck_assert_int_eq(json_array_size(j), nr);
	return j;
}

static json_int_t lines_of(json_t *issue, const char *key)
{
	return jint(json_object_get(json_object_get(issue, "location"), "lines"), key);
}

START_TEST(test_gitlab)
{
	static const char *const keys[] = { "type", "description", "check_name",
		"fingerprint", "severity", "location", "categories", "content", NULL };
	static const char *const keys_no_help[] = { "type", "description", "check_name",
		"fingerprint", "severity", "location", "categories", NULL };
	struct finding fs[3];
	json_t *root, *o;

	fs[0] = drop_column_finding();
	fs[1] = mkfinding(RULE_INDEX_NOT_CONCURRENT, SEV_WARNING, "./m/\xff.sql", 3, 1, 7, 2);
	fs[2] = mkfinding(RULE_UNUSED_SUPPRESSION, SEV_NOTE, "m/3.sql", 0, 0, 0, 0);
	fs[1].fingerprint = 1;
	fs[2].fingerprint = 2;
	root = render_gitlab(fs, 3);

	o = json_array_get(root, 0);
	assert_keys(o, keys);
	ck_assert_str_eq(jstr(o, "type"), "issue");
	ck_assert_str_eq(jstr(o, "description"), fs[0].message);
	ck_assert_str_eq(jstr(o, "check_name"), "drop-column");
	ck_assert_str_eq(jstr(o, "fingerprint"), "00ab00cd00ef0012");
	ck_assert_str_eq(jstr(o, "severity"), "critical");
	ck_assert_str_eq(jstr(json_object_get(o, "location"), "path"), "migrations/0003_x.up.sql");
	ck_assert_int_eq(lines_of(o, "begin"), 12);
	ck_assert_int_eq(lines_of(o, "end"), 12);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "categories"), 0)),
			 "Bug Risk");
	ck_assert_str_eq(jstr(json_object_get(o, "content"), "body"), "stop using the column first");

	o = json_array_get(root, 1);
	assert_keys(o, keys_no_help);
	ck_assert_str_eq(jstr(o, "severity"), "major");
	ck_assert_str_eq(jstr(o, "fingerprint"), "0000000000000001");
	ck_assert_str_eq(jstr(json_object_get(o, "location"), "path"), "m/\xef\xbf\xbd.sql");
	ck_assert_int_eq(lines_of(o, "begin"), 3);
	ck_assert_int_eq(lines_of(o, "end"), 7);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "categories"), 0)),
			 "Performance");

	/* a whole-file finding: GitLab needs lines.begin, so line 1 */
	o = json_array_get(root, 2);
	ck_assert_str_eq(jstr(o, "severity"), "info");
	ck_assert_int_eq(lines_of(o, "begin"), 1);
	ck_assert_int_eq(lines_of(o, "end"), 1);
	json_decref(root);
	release(fs, 3);
}
END_TEST

/* GitLab keys issues by fingerprint: each must be unique in the report */
START_TEST(test_gitlab_fingerprints)
{
	struct finding fs[4];
	json_t *root;
	int i;

	for (i = 0; i < 4; i++)
		fs[i] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "a.sql", i + 1, 1, i + 1, 2);
	fs[2].fingerprint = 0xfedcba9876543210ULL;
	root = render_gitlab(fs, 4);
	ck_assert_str_eq(jstr(json_array_get(root, 0), "fingerprint"), "00ab00cd00ef0012");
	ck_assert_str_eq(jstr(json_array_get(root, 1), "fingerprint"), "00ab00cd00ef0012-2");
	ck_assert_str_eq(jstr(json_array_get(root, 2), "fingerprint"), "fedcba9876543210");
	ck_assert_str_eq(jstr(json_array_get(root, 3), "fingerprint"), "00ab00cd00ef0012-3");
	json_decref(root);

	root = render_gitlab(NULL, 0);
	json_decref(root);
	release(fs, 4);
}
END_TEST

/* Enough fingerprints to grow the tables, fingerprint 0 among them. */
START_TEST(test_gitlab_many_fingerprints)
{
	enum { NR = 600, DISTINCT = 200 };
	struct finding *fs = xcalloc(NR, sizeof(*fs));
	char want[40];
	json_t *root;
	int i;

	for (i = 0; i < NR; i++) {
		fs[i] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "a.sql", i + 1, 1, i + 1, 2);
		fs[i].fingerprint = (uint64_t)(i % DISTINCT) << (i % 2 ? 40 : 0);
	}
	root = render_gitlab(fs, NR);
	for (i = 0; i < NR; i++) {
		if (i < DISTINCT)
			snprintf(want, sizeof(want), "%016" PRIx64, fs[i].fingerprint);
		else
			snprintf(want, sizeof(want), "%016" PRIx64 "-%d", fs[i].fingerprint,
				 i / DISTINCT + 1);
		ck_assert_str_eq(jstr(json_array_get(root, (size_t)i), "fingerprint"), want);
	}
	json_decref(root);
	release(fs, NR);
	free(fs);
}
END_TEST

/* --- junit --- */

START_TEST(test_junit)
{
	static const char *const files[] = { "m/1.sql", "m/2.sql", "m/3.sql", "m/4.sql" };
	struct report_opts ro = opts();
	struct summary s = sum_of(4, 4, 9, 1, 1, 2, 0);
	struct finding fs[5];
	char *out;

	ro.files = files;
	ro.nr_files = 4;
	fs[0] = mkfinding(RULE_DROP_TABLE, SEV_ERROR, "m/2.sql", 3, 1, 3, 14);
	fs[0].help = "stop using the table first";
	fs[1] = mkfinding(RULE_PREFER_JSONB, SEV_NOTE, "m/2.sql", 5, 7, 5, 11);
	fs[2] = mkfinding(RULE_SET_NOT_NULL, SEV_WARNING, "m/2.sql", 6, 1, 6, 9);
	fs[3] = mkfinding(RULE_PREFER_JSONB, SEV_NOTE, "m/3.sql", 1, 1, 1, 2);
	/* a file the report options do not list gets a case of its own */
	fs[4] = mkfinding(RULE_PREFER_JSONB, SEV_NOTE, "other.sql", 0, 0, 0, 0);
	out = render_str(&reporter_junit, &ro, fs, 5, &s);
	ck_assert_str_eq(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"migsafe\" tests=\"5\" failures=\"1\" errors=\"0\">\n"
		"  <testsuite name=\"migsafe\" tests=\"5\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase classname=\"migsafe\" name=\"m/1.sql\" file=\"m/1.sql\"/>\n"
		"    <testcase classname=\"migsafe\" name=\"m/2.sql\" file=\"m/2.sql\">\n"
		"      <failure type=\"drop-table,set-not-null\" message=\"error[drop-table]: a message (and 2 more)\">"
		"m/2.sql:3:1: error[drop-table]: a message\n"
		"  help: stop using the table first\n"
		"\n"
		"m/2.sql:5:7: note[prefer-jsonb]: a message\n"
		"\n"
		"m/2.sql:6:1: warning[set-not-null]: a message\n"
		"</failure>\n"
		"    </testcase>\n"
		"    <testcase classname=\"migsafe\" name=\"m/3.sql\" file=\"m/3.sql\">\n"
		"      <system-out>m/3.sql:1:1: note[prefer-jsonb]: a message\n"
		"</system-out>\n"
		"    </testcase>\n"
		"    <testcase classname=\"migsafe\" name=\"m/4.sql\" file=\"m/4.sql\"/>\n"
		"    <testcase classname=\"migsafe\" name=\"other.sql\" file=\"other.sql\">\n"
		"      <system-out>other.sql: note[prefer-jsonb]: a message\n"
		"</system-out>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	free(out);
	release(fs, 5);
}
END_TEST

START_TEST(test_junit_escaping)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(1, 1, 1, 0, 1, 0, 0);
	struct finding f = mkfinding(RULE_SET_NOT_NULL, SEV_WARNING, "a&b<\"c\">.sql", 1, 2, 1, 3);
	char *out;

	/* controls XML 1.0 forbids, invalid UTF-8, U+FFFF: all U+FFFD;
	   tab, LF, CR kept (as references in attributes) */
	set_str(&f.message, "x\033y\x01z\t\"q\" \xc3\x28 \xef\xbf\xbf]]> &amp;\r\n\xc3\xa9");
	out = render_str(&reporter_junit, &ro, &f, 1, &s);
	assert_contains(out,
		"<testcase classname=\"migsafe\" name=\"a&amp;b&lt;&quot;c&quot;&gt;.sql\" "
		"file=\"a&amp;b&lt;&quot;c&quot;&gt;.sql\">\n");
	assert_contains(out,
		" message=\"warning[set-not-null]: x\xef\xbf\xbdy\xef\xbf\xbdz&#9;&quot;q&quot; "
		"\xef\xbf\xbd( \xef\xbf\xbd]]&gt; &amp;amp;&#13;&#10;\xc3\xa9\">");
	assert_contains(out,
		">a&amp;b&lt;\"c\"&gt;.sql:1:2: warning[set-not-null]: x\xef\xbf\xbdy\xef\xbf\xbdz\t\"q\" "
		"\xef\xbf\xbd( \xef\xbf\xbd]]&gt; &amp;amp;&#13;\n\xc3\xa9\n</failure>");
	ck_assert_ptr_null(strchr(out, '\033'));
	ck_assert_ptr_null(strchr(out, '\x01'));
	free(out);
	release(&f, 1);
}
END_TEST

START_TEST(test_junit_empty)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(0, 0, 0, 0, 0, 0, 0);
	char *out = render_str(&reporter_junit, &ro, NULL, 0, &s);

	ck_assert_str_eq(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"migsafe\" tests=\"0\" failures=\"0\" errors=\"0\">\n"
		"  <testsuite name=\"migsafe\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
		"  </testsuite>\n"
		"</testsuites>\n");
	free(out);
}
END_TEST

/* --- markdown --- */

START_TEST(test_markdown)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(5, 2, 14, 1, 1, 0, 3);
	struct finding fs[3];
	char *out;

	fs[0] = drop_column_finding();
	fs[1] = mkfinding(RULE_SET_NOT_NULL, SEV_WARNING, "migrations/0003_x.up.sql", 14, 1, 14, 2);
	fs[2] = mkfinding(RULE_PREFER_JSONB, SEV_NOTE, "m/2.sql", 0, 0, 0, 0);
	set_str(&fs[1].snippet, "ALTER TABLE t ALTER c SET NOT NULL;\r\n");
	out = render_str(&reporter_markdown, &ro, fs, 3, &s);
	ck_assert_str_eq(out,
		"## migsafe: 1 error, 1 warning\n"
		"\n"
		"Linted 2 of 5 migration files (14 statements, 3 suppressed).\n"
		"\n"
		"### `migrations/0003_x.up.sql`\n"
		"\n"
		"- **Error** `drop-column` (line 12): dropping column \"email\" of existing table \"users\" loses its data\n"
		"\n"
		"  ```sql\n"
		"  ALTER TABLE users DROP COLUMN email;\n"
		"  ```\n"
		"\n"
		"  **Fix:** stop using the column first\n"
		"\n"
		"- **Warning** `set-not-null` (line 14): a message\n"
		"\n"
		"  ```sql\n"
		"  ALTER TABLE t ALTER c SET NOT NULL;\n"
		"  ```\n"
		"\n"
		"### `m/2.sql`\n"
		"\n"
		"- **Note** `prefer-jsonb`: a message\n");
	free(out);
	release(fs, 3);
}
END_TEST

START_TEST(test_markdown_escaping)
{
	static const struct rule_info custom = {
		NR_RULES, "`odd``rule", "schema-design", SEV_WARNING, "", NULL
	};
	struct report_opts ro = opts();
	struct summary s = sum_of(1, 1, 1, 0, 1, 0, 0);
	struct finding f = mkfinding(RULE_DROP_TABLE, SEV_WARNING, "a `b`.sql", 2, 1, 2, 2);
	char *out;

	f.rule = &custom;
	set_str(&f.message, "a|b `c` *d* _e_ f_g [h](i) <j> ~k~ &l; $m$ \\n\n# not a heading\x01\xff");
	f.help = "use x_y | z";
	set_str(&f.snippet, "SELECT '```';");
	out = render_str(&reporter_markdown, &ro, &f, 1, &s);
	assert_contains(out, "\n### ``a `b`.sql``\n");
	assert_contains(out,
		"- **Warning** ``` `odd``rule ``` (line 2): "
		"a\\|b \\`c\\` \\*d\\* \\_e\\_ f_g \\[h\\](i) \\<j> \\~k\\~ \\&l; \\$m\\$ \\\\n "
		"# not a heading\xef\xbf\xbd\xef\xbf\xbd\n");
	assert_contains(out, "\n  ````sql\n  SELECT '```';\n  ````\n");
	assert_contains(out, "\n  **Fix:** use x_y \\| z\n");
	free(out);
	release(&f, 1);
}
END_TEST

START_TEST(test_markdown_empty)
{
	struct report_opts ro = opts();
	struct summary s = sum_of(8, 8, 15, 0, 0, 0, 1);
	char *out = render_str(&reporter_markdown, &ro, NULL, 0, &s);

	ck_assert_str_eq(out, "**migsafe:** no findings in 8 migration files (15 statements, 1 suppressed).\n");
	free(out);
	s = sum_of(1, 1, 1, 0, 0, 0, 0);
	out = render_str(&reporter_markdown, &ro, NULL, 0, &s);
	ck_assert_str_eq(out, "**migsafe:** no findings in 1 migration file (1 statement).\n");
	free(out);
}
END_TEST

/* A pull-request comment has a size limit: the rest are counted. */
START_TEST(test_markdown_limit)
{
	enum { NR = 400 };
	struct report_opts ro = opts();
	struct summary s = sum_of(1, 1, NR, NR, 0, 0, 0);
	struct finding *fs = xcalloc(NR, sizeof(*fs));
	char *out, *p;
	int i, shown = 0;

	for (i = 0; i < NR; i++) {
		fs[i] = drop_column_finding();
		fs[i].loc.line = i + 1;
	}
	out = render_str(&reporter_markdown, &ro, fs, NR, &s);
	ck_assert(strlen(out) < 65536);
	for (p = out; (p = strstr(p, "\n- **Error**")); p++)
		shown++;
	ck_assert_int_gt(shown, 10);
	ck_assert_int_lt(shown, NR);
	ck_assert(str_starts_with(out, "## migsafe: 400 errors\n"));
	p = xstrfmt("\n*%d more findings not shown: the comment would be too long.*\n", NR - shown);
	ck_assert(str_ends_with(out, p));
	free(p);
	free(out);
	release(fs, NR);
	free(fs);
}
END_TEST

/* --- write errors --- */

START_TEST(test_write_error)
{
	static const struct reporter *const reps[] = {
		&reporter_text, &reporter_json, &reporter_sarif, &reporter_github,
		&reporter_gitlab, &reporter_junit, &reporter_markdown
	};
	struct report_opts ro = opts();
	struct summary s = sum_of(1, 1, 1, 1, 0, 0, 0);
	struct finding f = drop_column_finding();
	size_t i;
	void *state;

	if (access("/dev/full", W_OK))
		return;
	for (i = 0; i < ARRAY_SIZE(reps); i++) {
		ro.out = fopen("/dev/full", "w");
		ck_assert_ptr_nonnull(ro.out);
		state = reps[i]->begin ? reps[i]->begin(&ro) : NULL;
		reps[i]->finding(state, &ro, &f);
		ck_assert_int_eq(reps[i]->end(state, &ro, &s), -1);
		fclose(ro.out);
	}
	release(&f, 1);
}
END_TEST

static Suite *reporters_suite(void)
{
	Suite *s = suite_create("reporters");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_finding_list_sort);
	tcase_add_test(tc, test_by_name);
	tcase_add_test(tc, test_text_basic);
	tcase_add_test(tc, test_text_summaries);
	tcase_add_test(tc, test_text_tabs_and_utf8);
	tcase_add_test(tc, test_text_regions);
	tcase_add_test(tc, test_text_color);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_empty);
	tcase_add_test(tc, test_jsonw_escaping);
	tcase_add_test(tc, test_jsonw_invalid_utf8);
	tcase_add_test(tc, test_jsonw_word_edges);
	tcase_add_test(tc, test_jsonw_longer_than_buffer);
	tcase_add_test(tc, test_jsonw_many_members);
	tcase_add_test(tc, test_jsonw_buffer_edges);
	tcase_add_test(tc, test_jsonw_flush);
	tcase_add_test(tc, test_fingerprint_hex);
	tcase_add_test(tc, test_jsonw_nesting);
	tcase_add_test(tc, test_jsonw_top_level);
	tcase_add_test(tc, test_sarif_rules);
#ifdef MIGSAFE_FAKE_REGISTRY
	tcase_add_test(tc, test_sarif_full_description);
#endif
	tcase_add_test(tc, test_sarif_results);
	tcase_add_test(tc, test_sarif_uris);
	tcase_add_test(tc, test_sarif_uris_cwd);
	tcase_add_test(tc, test_sarif_custom_rule);
	tcase_add_test(tc, test_github_basic);
	tcase_add_test(tc, test_github_escaping);
	tcase_add_test(tc, test_github_empty);
	tcase_add_test(tc, test_gitlab);
	tcase_add_test(tc, test_gitlab_fingerprints);
	tcase_add_test(tc, test_gitlab_many_fingerprints);
	tcase_add_test(tc, test_junit);
	tcase_add_test(tc, test_junit_escaping);
	tcase_add_test(tc, test_junit_empty);
	tcase_add_test(tc, test_markdown);
	tcase_add_test(tc, test_markdown_escaping);
	tcase_add_test(tc, test_markdown_empty);
	tcase_add_test(tc, test_markdown_limit);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(reporters_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
