/*
 * outq.c - the report written on a thread of its own (see outq.h).
 *
 * The main thread appends to 'in' under the lock: the finding, with its
 * owned strings copied into in.text and stored as offsets there (the
 * buffer moves as it grows). The thread swaps 'in' for its own emptied
 * batch and consumes that without the lock. It is woken only once BATCH
 * findings wait (or at the end): waking it for each one would cost the
 * main thread a system call per finding, more than the formatting it
 * hands over.
 *
 * The queue is bounded: with OUTQ_WAITING_MAX findings waiting the main
 * thread waits for the writer. The last flush hands over a whole run's
 * range findings at once (23,000 on the 200,000-statement benchmark),
 * and a queue that took them all held 5 MB more at the peak, or not,
 * as the threads' timing fell: peak RSS varied from 91.6 to 96.5 MB.
 */
#define _GNU_SOURCE   /* pthread_setname_np */
#include "outq.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

#define BATCH 256
#define NO_TEXT SIZE_MAX

struct batch {
	struct finding *items;    /* owned; strings as offsets into text */
	size_t nr, alloc;
	char *text;               /* owned */
	size_t len, text_alloc;
};

struct outq {
	pthread_mutex_t lock;
	pthread_cond_t ready;     /* to the thread: BATCH waiting, or done */
	pthread_cond_t room;      /* to the main thread: the batch was taken */
	pthread_t thread;
	struct batch in;
	bool waiting;             /* the thread sleeps on 'ready' */
	bool full;                /* the main thread sleeps on 'room' */
	bool done;
	outq_fn fn;
	void *data;
};

/* Under the lock: s copied into b->text, as an offset in a pointer. */
static char *stash(struct batch *b, const char *s)
{
	size_t n, at = b->len;

	if (!s)
		return (char *)(uintptr_t)NO_TEXT;
	n = strlen(s) + 1;
	ALLOC_GROW(b->text, b->len + n, b->text_alloc);
	memcpy(b->text + at, s, n);
	b->len += n;
	return (char *)(uintptr_t)at;
}

static char *unstash(const struct batch *b, char *p)
{
	uintptr_t at = (uintptr_t)p;

	return at == NO_TEXT ? NULL : b->text + at;
}

static void consume_batch(struct outq *q, struct batch *b)
{
	for (size_t i = 0; i < b->nr; i++) {
		struct finding f = b->items[i];

		f.message = unstash(b, f.message);
		f.object = unstash(b, f.object);
		f.snippet = unstash(b, f.snippet);
		q->fn(q->data, &f);
	}
	b->nr = 0;
	b->len = 0;
}

static void *consume(void *arg)
{
	struct outq *q = arg;
	struct batch mine = { 0 }, t;

	/* named for profilers (perf report --sort comm) and top -H */
	pthread_setname_np(pthread_self(), "migsafe-report");
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->done && q->in.nr < BATCH) {
			q->waiting = true;
			pthread_cond_wait(&q->ready, &q->lock);
		}
		q->waiting = false;
		if (!q->in.nr && q->done) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		t = q->in, q->in = mine, mine = t;
		if (q->full)
			pthread_cond_signal(&q->room);
		pthread_mutex_unlock(&q->lock);
		consume_batch(q, &mine);
	}
	free(mine.items);
	free(mine.text);
	return NULL;
}

struct outq *outq_start(outq_fn fn, void *data)
{
	struct outq *q = xcalloc(1, sizeof(*q));

	q->fn = fn;
	q->data = data;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->ready, NULL);
	pthread_cond_init(&q->room, NULL);
	if (pthread_create(&q->thread, NULL, consume, q)) {
		pthread_cond_destroy(&q->room);
		pthread_cond_destroy(&q->ready);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return NULL;
	}
	return q;
}

void outq_push(struct outq *q, struct finding *f)
{
	struct finding *slot;

	pthread_mutex_lock(&q->lock);
	/* the thread is awake: it was signalled at BATCH */
	while (q->in.nr >= OUTQ_WAITING_MAX) {
		q->full = true;
		pthread_cond_wait(&q->room, &q->lock);
	}
	q->full = false;
	ALLOC_GROW(q->in.items, q->in.nr + 1, q->in.alloc);
	slot = &q->in.items[q->in.nr++];
	*slot = *f;
	slot->message = stash(&q->in, f->message);
	slot->object = stash(&q->in, f->object);
	slot->snippet = stash(&q->in, f->snippet);
	if (q->waiting && q->in.nr >= BATCH)
		pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
	finding_release(f);
}

void outq_finish(struct outq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->done = true;
	pthread_cond_signal(&q->ready);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	free(q->in.items);
	free(q->in.text);
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->ready);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
