/*
 * test_constore.c - the store behind the catalog's "constraints"
 * (analyzer/constore.h): ids one past the highest in use, the rows of
 * each key's value in id order through deletes and key changes, its
 * bytes read back to the same rows and lists, and damaged bytes
 * refused.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "constore.h"
#include "util.h"

#include "banned.h"

static struct constore s;

static void setup(void)
{
	constore_init(&s);
}

static void teardown(void)
{
	constore_release(&s);
}

static int64_t add(uint32_t rel, const char *name, uint32_t ref, uint32_t index, uint32_t parent)
{
	struct con_row r = { 0 };

	r.key[CK_REL] = rel;
	r.key[CK_NAME] = constore_intern(&s, name);
	r.key[CK_REF] = ref;
	r.key[CK_INDEX] = index;
	r.key[CK_PARENT] = parent;
	r.kind = ref ? 'f' : 'u';
	r.expr = constore_intern(&s, ref ? NULL : "a > 0");
	r.validated = 1;
	r.created_file = -1;
	r.line = (int32_t)rel;
	r.start_offset = (int64_t)rel << 33;
	r.stmt_hash = UINT64_C(0xfedcba9876543210) + rel;
	r.on_delete = ref ? 'c' : 0;
	return constore_add(&s, &r, 0);
}

/* "id,id,..." of the rows whose key k is 'value' */
static const char *key_list(const struct constore *st, enum con_key k, uint64_t value)
{
	static char buf[256];
	struct strbuf sb;
	uint32_t n = 0, last = 0;

	strbuf_init(&sb);
	for (uint32_t id = constore_key_first(st, k, value); id; id = st->rows[id].key_next[k]) {
		strbuf_addf(&sb, "%s%u", sb.len ? "," : "", id);
		ck_assert_uint_gt(id, last);    /* id order, and no cycle */
		last = id;
		ck_assert_uint_lt(++n, 1000);
	}
	snprintf(buf, sizeof(buf), "%s", sb.len ? sb.buf : "");
	strbuf_release(&sb);
	return buf;
}

static uint32_t sid(const char *name)
{
	return constore_str_find(&s, name);
}

START_TEST(test_ids)
{
	ck_assert_int_eq(add(1, "a", 0, 0, 0), 1);
	ck_assert_int_eq(add(1, "b", 0, 0, 0), 2);
	ck_assert_int_eq(add(2, "c", 0, 0, 0), 3);
	constore_delete(&s, 3);                 /* the highest: given again */
	ck_assert_ptr_null(constore_get(&s, 3));
	ck_assert_int_eq(add(2, "d", 0, 0, 0), 3);
	constore_delete(&s, 1);                 /* not the highest: not again */
	constore_delete(&s, 1);                 /* gone already: nothing */
	constore_delete(&s, 12345);             /* never given: nothing */
	ck_assert_int_eq(add(2, "e", 0, 0, 0), 4);
	ck_assert_ptr_null(constore_get(&s, 1));
	ck_assert_ptr_null(constore_get(&s, 0));
	ck_assert_ptr_nonnull(constore_get(&s, 2));
	ck_assert_uint_eq(s.nr, 3);
	ck_assert_int_eq(constore_next(&s, 0), 2);
	ck_assert_int_eq(constore_next(&s, 2), 3);
	ck_assert_int_eq(constore_next(&s, 4), 0);
	constore_delete(&s, 4);
	constore_delete(&s, 3);
	constore_delete(&s, 2);
	ck_assert_int_eq(s.max_id, 0);
	ck_assert_int_eq(add(5, "f", 0, 0, 0), 1);
}
END_TEST

START_TEST(test_keys_in_id_order)
{
	int64_t a = add(10, "pk", 0, 100, 0), b = add(10, "fk", 20, 0, 0);
	int64_t c = add(11, "pk", 0, 101, a), d = add(12, "fk", 20, 0, b);
	int64_t e = add(10, "chk", 0, 0, a);

	ck_assert_str_eq(key_list(&s, CK_REL, 10), "1,2,5");
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("pk")), "1,3");
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("fk")), "2,4");
	ck_assert_str_eq(key_list(&s, CK_REF, 20), "2,4");
	ck_assert_str_eq(key_list(&s, CK_INDEX, 101), "3");
	ck_assert_str_eq(key_list(&s, CK_PARENT, (uint64_t)a), "3,5");
	ck_assert_str_eq(key_list(&s, CK_REF, 0), "");          /* NULL: no list */
	ck_assert_str_eq(key_list(&s, CK_REL, UINT64_C(1) << 40), "");
	/* the middle, the head, the tail of a list */
	constore_delete(&s, b);
	ck_assert_str_eq(key_list(&s, CK_REL, 10), "1,5");
	ck_assert_str_eq(key_list(&s, CK_REF, 20), "4");
	constore_delete(&s, a);
	ck_assert_str_eq(key_list(&s, CK_REL, 10), "5");
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("pk")), "3");
	constore_delete(&s, e);
	ck_assert_str_eq(key_list(&s, CK_REL, 10), "");
	ck_assert_str_eq(key_list(&s, CK_PARENT, 1), "3");
	/* a key changed: its place by id, wherever that is */
	constore_set_key(&s, d, CK_NAME, sid("pk"));
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("pk")), "3,4");
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("fk")), "");
	add(13, "pk", 0, 0, 0);
	constore_set_key(&s, c, CK_NAME, sid("fk"));
	constore_set_key(&s, c, CK_NAME, sid("pk"));            /* back, first */
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("pk")), "3,4,5");
	constore_set_key(&s, d, CK_PARENT, 0);
	constore_set_key(&s, c, CK_PARENT, 7);
	ck_assert_str_eq(key_list(&s, CK_PARENT, 1), "");
	ck_assert_str_eq(key_list(&s, CK_PARENT, 2), "");
	ck_assert_str_eq(key_list(&s, CK_PARENT, 7), "3");
	constore_set_key(&s, c, CK_REL, 99);                    /* not a key to change */
	ck_assert_uint_eq(s.rows[c].key[CK_REL], 11);
}
END_TEST

/* many rows: the maps grow, and each value's rows stay in id order
   through deletes */
START_TEST(test_many)
{
	uint32_t n = 0;

	for (uint32_t i = 1; i <= 5000; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%u", i % 700);
		add(i % 300 + 1, name, i % 7 ? 0 : i % 50 + 1, 0, 0);
	}
	for (int64_t id = 1; id <= 5000; id += 3)
		constore_delete(&s, id);
	for (uint32_t rel = 1; rel <= 300; rel++)
		for (uint32_t id = constore_key_first(&s, CK_REL, rel); id;
		     id = s.rows[id].key_next[CK_REL]) {
			ck_assert_uint_eq(s.rows[id].key[CK_REL], rel);
			ck_assert_uint_ne(id % 3, 1);
			n++;
		}
	ck_assert_uint_eq(n, s.nr);
	ck_assert_str_eq(key_list(&s, CK_NAME, sid("c5")), "5,705,2105,2805,4205,4905");
}
END_TEST

START_TEST(test_bytes_round_trip)
{
	struct constore t;
	struct strbuf sb;
	const struct con_row *r;

	add(3, "a", 0, 30, 0);
	add(4, "b", 3, 0, 1);
	add(5, "gone", 0, 0, 0);
	add(6, "c", 0, 0, 2);
	constore_delete(&s, 3);
	strbuf_init(&sb);
	constore_save(&s, &sb);
	strbuf_addstr(&sb, "after");
	constore_init(&t);
	ck_assert_uint_eq(constore_load(&t, sb.buf, sb.len), sb.len - 5);
	ck_assert_uint_eq(t.nr, 3);
	ck_assert_int_eq(t.max_id, 4);
	ck_assert_ptr_null(constore_get(&t, 3));
	r = constore_get(&t, 4);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(constore_str(&t, r->key[CK_NAME]), "c");
	ck_assert_str_eq(constore_str(&t, r->expr), "a > 0");
	ck_assert_int_eq(r->start_offset, INT64_C(6) << 33);
	ck_assert_uint_eq(r->stmt_hash, UINT64_C(0xfedcba9876543216));
	ck_assert_int_eq(r->created_file, -1);
	ck_assert_int_eq(r->kind, 'u');
	r = constore_get(&t, 2);
	ck_assert_int_eq(r->on_delete, 'c');
	ck_assert_uint_eq(r->expr, 0);
	ck_assert_uint_eq(constore_key_first(&t, CK_PARENT, 2), 4);
	ck_assert_uint_eq(constore_key_first(&t, CK_REF, 3), 2);
	ck_assert_uint_eq(constore_key_first(&t, CK_INDEX, 30), 1);
	ck_assert_uint_eq(constore_key_first(&t, CK_NAME, constore_str_find(&t, "b")), 2);
	constore_release(&t);
	strbuf_release(&sb);
}
END_TEST

static size_t load_bytes(const void *data, size_t len)
{
	struct constore t;
	size_t n;

	constore_init(&t);
	n = constore_load(&t, data, len);
	constore_release(&t);
	return n;
}

START_TEST(test_damaged_bytes_refused)
{
	struct strbuf sb;
	unsigned char *p;
	size_t strs = 4 + 2 + 6, row = 4 + strs;        /* "n\0" "a > 0\0" */

	add(3, "n", 0, 0, 0);
	strbuf_init(&sb);
	constore_save(&s, &sb);
	p = (unsigned char *)sb.buf;
	ck_assert_uint_eq(sb.len, row + 4 * 24);
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
	p[row + 4] = 0;                                         /* no relation */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 4] = 3;
	p[row + 8] = 9;                                         /* the name: no such string */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 8] = 0;                                         /* no name */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[row + 8] = 1;
	ck_assert_uint_eq(load_bytes(p, sb.len), sb.len);
	strbuf_release(&sb);
}
END_TEST

static Suite *constore_suite(void)
{
	Suite *su = suite_create("constore");
	TCase *tc = tcase_create("rows");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_keys_in_id_order);
	tcase_add_test(tc, test_many);
	suite_add_tcase(su, tc);
	tc = tcase_create("bytes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bytes_round_trip);
	tcase_add_test(tc, test_damaged_bytes_refused);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(constore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
