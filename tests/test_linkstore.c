/*
 * test_linkstore.c - the store behind index_columns and
 * constraint_columns (analyzer/linkstore.h): a parent's rows in
 * position order whatever order they came in, the rows of a key value
 * (NULL included) in the order they were added, through deletes at the
 * head, middle and tail of each list; ids never given twice; its bytes
 * read back to the same lists, and damaged bytes refused.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkstore.h"
#include "util.h"

#include "banned.h"

static struct linkstore s;

static void setup(void)
{
	linkstore_init(&s);
}

static void teardown(void)
{
	linkstore_release(&s);
}

static uint32_t add(uint32_t parent, int32_t pos, uint32_t k0, uint32_t k1, const char *str)
{
	uint32_t key[LS_KEYS] = { k0, k1 };
	const char *strs[LS_STRS] = { str, pos == 3 ? "third" : NULL };

	return linkstore_add(&s, parent, pos, key, strs, pos * 10u);
}

/* "pos,pos,..." of a parent's rows */
static const char *parent_list(const struct linkstore *st, uint64_t parent)
{
	static char buf[256];
	struct strbuf sb;

	strbuf_init(&sb);
	for (uint32_t id = linkstore_first(st, parent); id; id = st->rows[id].next)
		strbuf_addf(&sb, "%s%d", sb.len ? "," : "", st->rows[id].pos);
	snprintf(buf, sizeof(buf), "%s", sb.len ? sb.buf : "");
	strbuf_release(&sb);
	return buf;
}

/* "parent:pos,..." of the rows whose key k is 'value' */
static const char *key_list(const struct linkstore *st, int k, uint32_t value)
{
	static char buf[256];
	struct strbuf sb;
	uint32_t n = 0;

	strbuf_init(&sb);
	for (uint32_t id = linkstore_key_first(st, k, value); id; id = st->rows[id].key_next[k]) {
		strbuf_addf(&sb, "%s%u:%d", sb.len ? "," : "", st->rows[id].parent,
			    st->rows[id].pos);
		ck_assert_uint_lt(++n, 1000);  /* a cycle would never end */
	}
	snprintf(buf, sizeof(buf), "%s", sb.len ? sb.buf : "");
	strbuf_release(&sb);
	return buf;
}

START_TEST(test_parent_order)
{
	add(7, 2, 1, 0, NULL);
	add(7, 1, 2, 0, NULL);
	add(7, 4, 3, 0, NULL);
	add(7, 3, 4, 0, NULL);
	add(9, 1, 1, 0, NULL);
	ck_assert_str_eq(parent_list(&s, 7), "1,2,3,4");
	ck_assert_str_eq(parent_list(&s, 9), "1");
	ck_assert_str_eq(parent_list(&s, 8), "");
	ck_assert_str_eq(parent_list(&s, 0), "");
	ck_assert_str_eq(parent_list(&s, UINT64_C(1) << 40), "");
	ck_assert_uint_eq(s.live, 5);
}
END_TEST

/*
 * Appending after the row linked last (parent_link()'s short way) keeps
 * the order the walk gives: after a delete of that row, another
 * parent's rows in between, a lower position, and without by_pos.
 */
START_TEST(test_parent_appends)
{
	struct strbuf want;
	uint32_t last;

	for (int i = 1; i <= 40; i++)
		add(7, i, 0, 0, NULL);
	last = add(7, 41, 0, 0, NULL);
	linkstore_delete(&s, last);
	add(7, 42, 0, 0, NULL);
	add(9, 5, 0, 0, NULL);
	add(7, 43, 0, 0, NULL);
	add(7, 20, 0, 0, NULL);       /* not after the last: walked to */
	add(7, 44, 0, 0, NULL);
	add(9, 4, 0, 0, NULL);
	strbuf_init(&want);
	for (int i = 1; i <= 40; i++)
		strbuf_addf(&want, "%d,%s", i, i == 20 ? "20," : "");
	strbuf_addstr(&want, "42,43,44");
	ck_assert_str_eq(parent_list(&s, 7), want.buf);
	ck_assert_str_eq(parent_list(&s, 9), "4,5");
	strbuf_release(&want);
	linkstore_release(&s);
	s.by_pos = false;          /* rows as they came */
	add(3, 2, 0, 0, NULL);
	add(3, 1, 0, 0, NULL);
	add(4, 9, 0, 0, NULL);
	add(3, 0, 0, 0, NULL);
	ck_assert_str_eq(parent_list(&s, 3), "2,1,0");
}
END_TEST

START_TEST(test_key_chains)
{
	uint32_t a = add(1, 1, 5, 0, NULL), b = add(2, 1, 5, 6, "lower(x)");
	uint32_t c = add(3, 1, 5, 0, NULL), d = add(3, 2, 0, 6, NULL);

	ck_assert_str_eq(key_list(&s, 0, 5), "1:1,2:1,3:1");
	ck_assert_str_eq(key_list(&s, 0, 0), "3:2");
	ck_assert_str_eq(key_list(&s, 1, 6), "2:1,3:2");
	ck_assert_str_eq(key_list(&s, 1, 0), "1:1,3:1");
	ck_assert_str_eq(linkstore_str(&s, s.rows[b].str[0]), "lower(x)");
	ck_assert_ptr_null(linkstore_str(&s, s.rows[a].str[0]));
	/* the middle, the head, the tail; then one added goes last */
	linkstore_delete(&s, b);
	ck_assert_str_eq(key_list(&s, 0, 5), "1:1,3:1");
	ck_assert_str_eq(key_list(&s, 1, 6), "3:2");
	linkstore_delete(&s, a);
	ck_assert_str_eq(key_list(&s, 0, 5), "3:1");
	add(4, 1, 5, 0, NULL);
	ck_assert_str_eq(key_list(&s, 0, 5), "3:1,4:1");
	linkstore_delete(&s, c);
	ck_assert_str_eq(key_list(&s, 0, 5), "4:1");
	ck_assert_str_eq(parent_list(&s, 3), "2");
	linkstore_delete(&s, d);
	ck_assert_str_eq(parent_list(&s, 3), "");
	ck_assert_str_eq(key_list(&s, 0, 0), "");
	ck_assert_str_eq(key_list(&s, 1, 6), "");
	ck_assert_uint_eq(s.live, 1);
}
END_TEST

START_TEST(test_ids_not_given_again)
{
	uint32_t a = add(1, 1, 1, 0, NULL), b = add(1, 2, 2, 0, NULL), c;

	ck_assert_ptr_nonnull(linkstore_get(&s, a));
	linkstore_delete(&s, b);
	linkstore_delete(&s, b);        /* gone already: nothing */
	linkstore_delete(&s, 12345);    /* never given: nothing */
	ck_assert_ptr_null(linkstore_get(&s, b));
	ck_assert_ptr_null(linkstore_get(&s, 0));
	c = add(1, 2, 2, 0, NULL);
	ck_assert_uint_gt(c, b);
	ck_assert_ptr_null(linkstore_get(&s, b));
	ck_assert_str_eq(parent_list(&s, 1), "1,2");
	ck_assert_uint_eq(s.live, 2);
}
END_TEST

/* a key changed keeps its value's rows in id order; a store not by_pos
   keeps a parent's rows as they came */
START_TEST(test_set_key_and_added_order)
{
	uint32_t a, b, c, d;

	s.by_pos = false;
	a = add(1, 5, 10, 0, NULL);
	b = add(1, 2, 11, 0, NULL);
	c = add(1, 9, 12, 0, NULL);
	d = add(2, 1, 13, 0, NULL);
	ck_assert_str_eq(parent_list(&s, 1), "5,2,9");
	linkstore_set_key(&s, c, 1, 7);
	linkstore_set_key(&s, a, 1, 7);         /* before c */
	linkstore_set_key(&s, d, 1, 7);         /* after it */
	linkstore_set_key(&s, b, 1, 7);         /* between */
	ck_assert_str_eq(key_list(&s, 1, 7), "1:5,1:2,1:9,2:1");
	ck_assert_str_eq(key_list(&s, 1, 0), "");
	linkstore_set_key(&s, b, 1, 0);
	ck_assert_str_eq(key_list(&s, 1, 7), "1:5,1:9,2:1");
	ck_assert_str_eq(key_list(&s, 1, 0), "1:2");
	linkstore_set_key(&s, a, 1, 0);
	ck_assert_str_eq(key_list(&s, 1, 0), "1:5,1:2");
	linkstore_delete(&s, c);
	ck_assert_str_eq(key_list(&s, 1, 7), "2:1");
	ck_assert_str_eq(parent_list(&s, 1), "5,2");
}
END_TEST

/* many parents and keys: the maps grow and keep what they hold, and a
   key's rows stay in the order they were added through deletes */
START_TEST(test_many)
{
	uint32_t n = 0, last = 0;
	char want[64];

	for (uint32_t p = 1; p <= 3000; p++)
		for (int32_t pos = 1; pos <= 3; pos++)
			add(p * 7919u, pos, p % 100 + 1, pos == 1 ? p : 0, NULL);
	for (uint32_t p = 1; p <= 3000; p += 2)
		for (uint32_t id = linkstore_first(&s, p * 7919u); id;
		     id = linkstore_first(&s, p * 7919u))
			linkstore_delete(&s, id);
	ck_assert_uint_eq(s.live, 1500 * 3);
	ck_assert_str_eq(parent_list(&s, 2 * 7919u), "1,2,3");
	ck_assert_str_eq(parent_list(&s, 3 * 7919u), "");
	snprintf(want, sizeof(want), "%u:1", 2998u * 7919u);
	ck_assert_str_eq(key_list(&s, 1, 2998), want);
	ck_assert_str_eq(key_list(&s, 1, 2999), "");
	ck_assert_str_eq(key_list(&s, 0, 2), "");       /* p % 100 == 1: odd, gone */
	/* p % 100 == 2: p = 2, 102, ... 2902, three rows each */
	for (uint32_t id = linkstore_key_first(&s, 0, 3); id; id = s.rows[id].key_next[0]) {
		ck_assert_uint_eq(s.rows[id].parent % 7919u, 0);
		ck_assert_uint_eq(s.rows[id].parent / 7919u % 100, 2);
		ck_assert_uint_gt(id, last);
		last = id;
		n++;
	}
	ck_assert_uint_eq(n, 90);
}
END_TEST

START_TEST(test_bytes_round_trip)
{
	struct linkstore t;
	struct strbuf sb;

	add(3, 2, 10, 0, "a + b");
	add(3, 1, 11, 12, NULL);
	add(4, 1, 10, 0, "");
	add(9, 3, 10, 0, NULL);
	linkstore_delete(&s, add(5, 1, 10, 0, "gone"));
	strbuf_init(&sb);
	linkstore_save(&s, &sb);
	strbuf_addstr(&sb, "after");
	linkstore_init(&t);
	ck_assert_uint_eq(linkstore_load(&t, sb.buf, sb.len), sb.len - 5);
	ck_assert_uint_eq(t.live, 4);
	ck_assert_str_eq(parent_list(&t, 3), "1,2");
	ck_assert_str_eq(key_list(&t, 0, 10), "3:2,4:1,9:3");
	ck_assert_str_eq(key_list(&t, 1, 12), "3:1");
	ck_assert_str_eq(linkstore_str(&t, t.rows[linkstore_first(&t, 4)].str[0]), "");
	ck_assert_str_eq(linkstore_str(&t, t.rows[linkstore_first(&t, 3)].str[0]) ? "x" : "null",
			 "null");
	ck_assert_str_eq(linkstore_str(&t, t.rows[linkstore_first(&t, 9)].str[1]), "third");
	ck_assert_uint_eq(t.rows[linkstore_first(&t, 4)].flags, 10);
	linkstore_release(&t);
	strbuf_release(&sb);
}
END_TEST

static size_t load_bytes(const void *data, size_t len)
{
	struct linkstore t;
	size_t n;

	linkstore_init(&t);
	n = linkstore_load(&t, data, len);
	linkstore_release(&t);
	return n;
}

START_TEST(test_damaged_bytes_refused)
{
	struct strbuf sb;
	unsigned char *p;
	size_t row = 4 * (3 + LS_KEYS + LS_STRS);     /* and the strings' bytes */
	size_t len0 = 4 + 4 * (3 + LS_KEYS);          /* the first string's length */

	add(3, 1, 10, 0, "abc");
	strbuf_init(&sb);
	linkstore_save(&s, &sb);
	p = (unsigned char *)sb.buf;
	ck_assert_uint_eq(sb.len, 4 + row + 3);
	ck_assert_uint_eq(load_bytes(p, sb.len), sb.len);
	ck_assert_uint_eq(load_bytes(p, sb.len - 1), 0);        /* the string cut */
	ck_assert_uint_eq(load_bytes(p, 3), 0);                 /* the count cut */
	p[0] = 2;                                               /* a row more than there is */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[0] = 1;
	p[4] = 0;                                               /* no parent */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[4] = 3;
	p[len0] = 9;                                            /* the string's length */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	p[len0] = 4;
	p[len0 + 5] = 0;                                        /* a NUL in it */
	ck_assert_uint_eq(load_bytes(p, sb.len), 0);
	strbuf_release(&sb);
}
END_TEST

static Suite *linkstore_suite(void)
{
	Suite *su = suite_create("linkstore");
	TCase *tc = tcase_create("lists");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parent_order);
	tcase_add_test(tc, test_parent_appends);
	tcase_add_test(tc, test_key_chains);
	tcase_add_test(tc, test_ids_not_given_again);
	tcase_add_test(tc, test_set_key_and_added_order);
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
	SRunner *sr = srunner_create(linkstore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
