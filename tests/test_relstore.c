/*
 * test_relstore.c - the store behind the catalog's "relations"
 * (analyzer/relstore.h): ids one past the highest in use, the rows of
 * each key's value in id order through deletes and key changes, one
 * relation per (schema, name) found through renames, moves and deletes,
 * its bytes read back to the same rows and lists, and damaged bytes
 * refused.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relstore.h"
#include "util.h"

#include "banned.h"

static struct relstore s;

static void setup(void)
{
	relstore_init(&s);
}

static void teardown(void)
{
	relstore_release(&s);
}

static int64_t add(uint32_t schema, const char *name, char kind, uint32_t table, uint32_t parent)
{
	struct rel_row r = { 0 };

	r.key[RK_SCHEMA] = schema;
	r.key[RK_TABLE] = table;
	r.key[RK_PARENT] = parent;
	r.name = relstore_intern(&s, name);
	r.kind = kind;
	r.definition = relstore_intern(&s, kind == 'v' ? "SELECT 1" : NULL);
	r.created_file = -1;
	r.line = (int32_t)schema;
	r.flags = RF_IN_RANGE;
	return relstore_add(&s, &r, 0);
}

/* "id,id,..." of the rows whose key k is 'value' */
static const char *key_list(const struct relstore *st, enum rel_key k, uint64_t value)
{
	static char buf[256];
	struct strbuf sb;
	uint32_t n = 0, last = 0;

	strbuf_init(&sb);
	for (uint32_t id = relstore_key_first(st, k, value); id; id = st->rows[id].key_next[k]) {
		strbuf_addf(&sb, "%s%u", sb.len ? "," : "", id);
		ck_assert_uint_gt(id, last);    /* id order, and no cycle */
		last = id;
		ck_assert_uint_lt(++n, 1000);
	}
	snprintf(buf, sizeof(buf), "%s", sb.len ? sb.buf : "");
	strbuf_release(&sb);
	return buf;
}

/* The relation named 'name' in 'schema', or 0. */
static uint32_t find(const struct relstore *st, uint32_t schema, const char *name)
{
	return relstore_find(st, schema, relstore_str_find(st, name));
}

START_TEST(test_ids)
{
	ck_assert_int_eq(add(1, "a", 'r', 0, 0), 1);
	ck_assert_int_eq(add(1, "b", 'r', 0, 0), 2);
	ck_assert_int_eq(add(2, "a", 'r', 0, 0), 3);    /* another schema */
	relstore_delete(&s, 3);                 /* the highest: given again */
	ck_assert_ptr_null(relstore_get(&s, 3));
	ck_assert_int_eq(add(2, "d", 'S', 0, 0), 3);
	relstore_delete(&s, 1);                 /* not the highest: not again */
	relstore_delete(&s, 1);                 /* gone already: nothing */
	relstore_delete(&s, 12345);             /* never given: nothing */
	ck_assert_int_eq(add(2, "e", 'v', 0, 0), 4);
	ck_assert_ptr_null(relstore_get(&s, 1));
	ck_assert_ptr_null(relstore_get(&s, 0));
	ck_assert_ptr_nonnull(relstore_get(&s, 2));
	ck_assert_uint_eq(s.nr, 3);
	ck_assert_int_eq(relstore_next(&s, 0), 2);
	ck_assert_int_eq(relstore_next(&s, 2), 3);
	ck_assert_int_eq(relstore_next(&s, 4), 0);
	relstore_delete(&s, 4);
	relstore_delete(&s, 3);
	relstore_delete(&s, 2);
	ck_assert_int_eq(s.max_id, 0);
	ck_assert_int_eq(add(5, "f", 'r', 0, 0), 1);
}
END_TEST

START_TEST(test_keys_in_id_order)
{
	int64_t t = add(1, "t", 'p', 0, 0);
	int64_t i = add(1, "t_pkey", 'i', (uint32_t)t, 0);
	int64_t p1 = add(1, "t1", 'r', 0, (uint32_t)t);
	int64_t sq = add(2, "t_id_seq", 'S', (uint32_t)t, 0);
	int64_t p2 = add(1, "t2", 'r', 0, (uint32_t)t);

	ck_assert_str_eq(key_list(&s, RK_SCHEMA, 1), "1,2,3,5");
	ck_assert_str_eq(key_list(&s, RK_TABLE, (uint64_t)t), "2,4");
	ck_assert_str_eq(key_list(&s, RK_PARENT, (uint64_t)t), "3,5");
	ck_assert_str_eq(key_list(&s, RK_TABLE, 0), "");        /* NULL: no list */
	ck_assert_str_eq(key_list(&s, RK_SCHEMA, UINT64_C(1) << 40), "");
	/* the head, the tail of a list */
	relstore_delete(&s, i);
	ck_assert_str_eq(key_list(&s, RK_TABLE, (uint64_t)t), "4");
	relstore_delete(&s, p2);
	ck_assert_str_eq(key_list(&s, RK_PARENT, (uint64_t)t), "3");
	/* a key changed: its place by id, wherever that is */
	relstore_set_key(&s, sq, RK_SCHEMA, 1);
	ck_assert_str_eq(key_list(&s, RK_SCHEMA, 1), "1,3,4");
	ck_assert_str_eq(key_list(&s, RK_SCHEMA, 2), "");
	ck_assert_uint_eq(find(&s, 1, "t_id_seq"), (uint32_t)sq);
	ck_assert_uint_eq(find(&s, 2, "t_id_seq"), 0);
	relstore_set_key(&s, p1, RK_PARENT, 0);
	ck_assert_str_eq(key_list(&s, RK_PARENT, (uint64_t)t), "");
	relstore_set_key(&s, 12345, RK_PARENT, 1);               /* no such row */
}
END_TEST

START_TEST(test_names)
{
	int64_t a = add(1, "a", 'r', 0, 0), b = add(2, "a", 'r', 0, 0);

	ck_assert_uint_eq(find(&s, 1, "a"), (uint32_t)a);
	ck_assert_uint_eq(find(&s, 2, "a"), (uint32_t)b);
	ck_assert_uint_eq(find(&s, 3, "a"), 0);
	ck_assert_uint_eq(find(&s, 1, "nothing"), 0);
	relstore_set_name(&s, a, relstore_intern(&s, "c"));
	ck_assert_uint_eq(find(&s, 1, "a"), 0);
	ck_assert_uint_eq(find(&s, 1, "c"), (uint32_t)a);
	ck_assert_str_eq(relstore_str(&s, s.rows[a].name), "c");
	relstore_delete(&s, b);
	ck_assert_uint_eq(find(&s, 2, "a"), 0);
	ck_assert_int_eq(add(2, "a", 'v', 0, 0), b);
	ck_assert_uint_eq(find(&s, 2, "a"), (uint32_t)b);
}
END_TEST

/* many rows: the maps grow, each value's rows stay in id order through
   deletes, and every name left is found (a hole the hash leaves would
   hide the rows after it) */
START_TEST(test_many)
{
	char name[16];
	uint32_t n = 0;

	for (uint32_t i = 1; i <= 5000; i++) {
		snprintf(name, sizeof(name), "r%u", i);
		add(i % 7 + 1, name, i % 3 ? 'r' : 'i', i % 3 ? 0 : i - 1, 0);
	}
	for (int64_t id = 1; id <= 5000; id += 3)
		relstore_delete(&s, id);
	for (uint32_t schema = 1; schema <= 7; schema++)
		for (uint32_t id = relstore_key_first(&s, RK_SCHEMA, schema); id;
		     id = s.rows[id].key_next[RK_SCHEMA]) {
			ck_assert_uint_eq(s.rows[id].key[RK_SCHEMA], schema);
			ck_assert_uint_ne(id % 3, 1);
			n++;
		}
	ck_assert_uint_eq(n, s.nr);
	for (uint32_t i = 1; i <= 5000; i++) {
		snprintf(name, sizeof(name), "r%u", i);
		ck_assert_uint_eq(find(&s, i % 7 + 1, name), i % 3 == 1 ? 0 : i);
		ck_assert_uint_eq(find(&s, i % 7 + 2, name), 0);
	}
	for (int64_t id = 2; id <= 5000; id += 3)
		relstore_set_key(&s, id, RK_SCHEMA, 9);
	for (uint32_t i = 2; i <= 5000; i += 3) {
		snprintf(name, sizeof(name), "r%u", i);
		ck_assert_uint_eq(find(&s, 9, name), i);
		ck_assert_uint_eq(find(&s, i % 7 + 1, name), 0);
	}
}
END_TEST

START_TEST(test_bytes_round_trip)
{
	struct relstore t;
	struct strbuf sb;
	const struct rel_row *r;

	add(3, "a", 'r', 0, 0);
	add(3, "a_pkey", 'i', 1, 0);
	add(4, "gone", 'r', 0, 0);
	add(3, "v", 'v', 0, 1);
	relstore_delete(&s, 3);
	s.rows[1].flags |= RF_RLS_ENABLED;
	s.rows[1].comment = relstore_intern(&s, "the table");
	strbuf_init(&sb);
	relstore_save(&s, &sb);
	strbuf_addstr(&sb, "after");
	relstore_init(&t);
	ck_assert_uint_eq(relstore_load(&t, sb.buf, sb.len), sb.len - 5);
	ck_assert_uint_eq(t.nr, 3);
	ck_assert_int_eq(t.max_id, 4);
	ck_assert_ptr_null(relstore_get(&t, 3));
	r = relstore_get(&t, 4);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(relstore_str(&t, r->name), "v");
	ck_assert_str_eq(relstore_str(&t, r->definition), "SELECT 1");
	ck_assert_int_eq(r->created_file, -1);
	ck_assert_int_eq(r->kind, 'v');
	ck_assert_uint_eq(r->flags, RF_IN_RANGE);
	r = relstore_get(&t, 1);
	ck_assert_uint_eq(r->flags, RF_IN_RANGE | RF_RLS_ENABLED);
	ck_assert_str_eq(relstore_str(&t, r->comment), "the table");
	ck_assert_uint_eq(r->definition, 0);
	ck_assert_str_eq(key_list(&t, RK_SCHEMA, 3), "1,2,4");
	ck_assert_str_eq(key_list(&t, RK_TABLE, 1), "2");
	ck_assert_str_eq(key_list(&t, RK_PARENT, 1), "4");
	ck_assert_uint_eq(find(&t, 3, "a_pkey"), 2);
	relstore_release(&t);
	strbuf_release(&sb);
}
END_TEST

static size_t load_bytes(const void *data, size_t len)
{
	struct relstore t;
	size_t n;

	relstore_init(&t);
	n = relstore_load(&t, data, len);
	relstore_release(&t);
	return n;
}

START_TEST(test_damaged_bytes_refused)
{
	struct strbuf sb;
	unsigned char *p;
	/* the strings "n", "m", "n2", then the row count and one row */
	size_t strs = 4 + 2 + 2 + 3, row = 4 + strs, row_len = 4 * 13;

	add(3, "n", 'r', 0, 0);
	add(3, "m", 'r', 0, 0);
	relstore_set_name(&s, 2, relstore_intern(&s, "n2"));
	relstore_delete(&s, 2);
	strbuf_init(&sb);
	relstore_save(&s, &sb);
	p = (unsigned char *)sb.buf;
	ck_assert_uint_eq(sb.len, row + row_len);
	ck_assert_uint_eq(load_bytes(p, sb.len), sb.len);
	ck_assert_uint_eq(load_bytes(p, sb.len - 1), 0);        /* the row cut */
	ck_assert_uint_eq(load_bytes(p, 3), 0);                 /* the count cut */
	ck_assert_uint_eq(load_bytes(p, 5), 0);                 /* a string without its end */
	p[strs] = 2;                                            /* a row more than there is */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[strs] = 1;
	p[row] = 0;                                             /* id 0 */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 3] = 0x7f;                                      /* an id far past the rows */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 3] = 0;
	p[row] = 1;
	p[row + 16] = 9;                                        /* the name: no such string */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 16] = 0;                                        /* no name */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 16] = 1;
	p[row + 48] = 0;                                        /* no kind */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 48] = 'r';
	p[row + 49] = 0x80;                                     /* a flag there is not */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 49] = RF_IN_RANGE;
	memset(p + row + 8, 0xff, 4);                           /* a table id no row can have */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	memset(p + row + 8, 0, 4);
	ck_assert_uint_eq(load_bytes(p, sb.len), sb.len);
	strbuf_release(&sb);
}
END_TEST

/* Two rows with one (schema, name): the unique key refuses them. */
START_TEST(test_duplicate_name_refused)
{
	struct strbuf sb;
	unsigned char *p;
	size_t row;

	add(3, "n", 'r', 0, 0);
	add(3, "m", 'r', 0, 0);
	strbuf_init(&sb);
	relstore_save(&s, &sb);
	p = (unsigned char *)sb.buf;
	row = 4 + 2 + 2 + 4;                                    /* the first row */
	ck_assert_uint_eq(load_bytes(p, sb.len), sb.len);
	p[row + 4 * 13 + 16] = 1;                               /* the second named "n" */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 4 * 13 + 4] = 4;                                /* in another schema */
	ck_assert_uint_eq(load_bytes(p, sb.len), sb.len);
	strbuf_release(&sb);
}
END_TEST

static Suite *relstore_suite(void)
{
	Suite *su = suite_create("relstore");
	TCase *tc = tcase_create("rows");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_keys_in_id_order);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_many);
	suite_add_tcase(su, tc);
	tc = tcase_create("bytes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bytes_round_trip);
	tcase_add_test(tc, test_damaged_bytes_refused);
	tcase_add_test(tc, test_duplicate_name_refused);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(relstore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
