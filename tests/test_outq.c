/*
 * test_outq.c - the report's writer thread (analyzer/outq.h): every
 * finding reaches the consumer once, in the order pushed, with its
 * strings; and while the consumer is stuck the producer stops at
 * OUTQ_WAITING_MAX waiting findings instead of queueing everything.
 */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "finding.h"
#include "outq.h"
#include "util.h"

#include "banned.h"

#define PUSHES 10000

struct seen {
	int nr;
	int out_of_order;       /* findings not in the order pushed */
	int bad_strings;
	pthread_mutex_t lock;   /* held by the test while the consumer must wait */
	bool hold;
};

static void consume(void *data, const struct finding *f)
{
	struct seen *s = data;
	char want[32];

	if (s->hold) {          /* the first finding: wait for the test */
		pthread_mutex_lock(&s->lock);
		pthread_mutex_unlock(&s->lock);
		s->hold = false;
	}
	snprintf(want, sizeof(want), "m%d", s->nr);
	if (f->loc.line != s->nr + 1)
		s->out_of_order++;
	if (!f->message || strcmp(f->message, want) || f->object || !f->snippet ||
	    strcmp(f->snippet, "snippet"))
		s->bad_strings++;
	s->nr++;
}

struct producer {
	struct outq *q;
	atomic_int pushed;
};

static void *produce(void *arg)
{
	struct producer *p = arg;

	for (int i = 0; i < PUSHES; i++) {
		struct finding f = { 0 };

		f.message = xstrfmt("m%d", i);
		f.snippet = xstrdup("snippet");
		f.loc.line = i + 1;
		outq_push(p->q, &f);
		atomic_store(&p->pushed, i + 1);
	}
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

START_TEST(test_order_and_strings)
{
	struct seen s = { 0 };
	struct producer p = { 0 };

	pthread_mutex_init(&s.lock, NULL);
	p.q = outq_start(consume, &s);
	ck_assert_ptr_nonnull(p.q);
	produce(&p);
	outq_finish(p.q);
	ck_assert_int_eq(s.nr, PUSHES);
	ck_assert_int_eq(s.out_of_order, 0);
	ck_assert_int_eq(s.bad_strings, 0);
	pthread_mutex_destroy(&s.lock);
}
END_TEST

START_TEST(test_bounded_while_consumer_stuck)
{
	struct seen s = { 0 };
	struct producer p = { 0 };
	pthread_t t;
	int stuck_at, prev = -1;

	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_lock(&s.lock);
	s.hold = true;
	p.q = outq_start(consume, &s);
	ck_assert_ptr_nonnull(p.q);
	ck_assert_int_eq(pthread_create(&t, NULL, produce, &p), 0);
	/* until the producer stops moving (or has pushed everything) */
	for (int i = 0; i < 500 && atomic_load(&p.pushed) != prev; i++) {
		prev = atomic_load(&p.pushed);
		sleep_ms(20);
	}
	stuck_at = atomic_load(&p.pushed);
	pthread_mutex_unlock(&s.lock);
	pthread_join(t, NULL);
	outq_finish(p.q);
	/* the consumer took one batch and sits in its first finding; the
	   producer filled the queue again and waits */
	ck_assert_int_lt(stuck_at, PUSHES);
	ck_assert_int_le(stuck_at, 2 * OUTQ_WAITING_MAX);
	ck_assert_int_ge(stuck_at, OUTQ_WAITING_MAX);
	ck_assert_int_eq(s.nr, PUSHES);
	ck_assert_int_eq(s.out_of_order, 0);
	ck_assert_int_eq(s.bad_strings, 0);
	pthread_mutex_destroy(&s.lock);
}
END_TEST

static Suite *outq_suite(void)
{
	Suite *su = suite_create("outq");
	TCase *tc = tcase_create("queue");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_order_and_strings);
	tcase_add_test(tc, test_bounded_while_consumer_stuck);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(outq_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
