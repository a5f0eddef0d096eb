/*
 * prefetch.c - workers that read and parse migration files ahead of
 * replay (see prefetch.h).
 *
 * File i (first <= i <= last) lives in slots[(i - first) %
 * PREFETCH_MAX_FILES] from the moment a worker (or the main thread,
 * waiting for an earlier one) claims it until the main thread takes
 * it. The claimed files are next_take..next_claim-1, never more than
 * PREFETCH_MAX_FILES of them, so no two share a slot. One mutex guards
 * the counters and the slots; a file is read and parsed without it.
 */
#define _GNU_SOURCE   /* sched_getaffinity, CPU_COUNT, pthread_setname_np */
#include "prefetch.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "parse.h"
#include "util.h"
#include "banned.h"

#define MAX_WORKERS 16
/*
 * By default one worker per core beyond the main thread's, at most two:
 * replay costs more than parsing, so the main thread is the one to keep
 * on a core of its own (on 2 cores, two workers measured slower than one).
 */
#define DEFAULT_WORKERS 2
/*
 * A worker's stack: at least what the main thread's may grow to, since
 * parsing recurses on nested expressions (libpg_query, our tree walk)
 * and a file must parse the same on either thread.
 */
#define MIN_STACK ((size_t)32 * 1024 * 1024)
#define MAX_STACK ((size_t)1024 * 1024 * 1024)

enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

struct slot {
	enum slot_state state;
	struct prefetched f;      /* SLOT_DONE: the result, until taken */
};

/* What a worker needs of a migration, copied at start: the main thread
   updates the history's entries (migration_mask's verdicts) as it goes. */
struct file_ref {
	char *path;               /* owned */
	enum layout layout;
	enum tx_mode tx;
};

struct prefetch {
	pthread_mutex_t lock;
	pthread_cond_t room;      /* to workers: a file may be claimed, or stop */
	pthread_cond_t done;      /* to the main thread: a slot is done */
	int first, last;
	bool parse;
	struct file_ref *files;   /* owned: files[i - first] */
	int next_claim;           /* the next file a worker reads */
	int next_take;            /* the next file the main thread takes */
	size_t bytes_ahead;       /* text of the files done and not taken */
	bool stop;
	pthread_t threads[MAX_WORKERS];
	int nr_threads;
	struct slot slots[PREFETCH_MAX_FILES];
};

/* ---- one file ---- */

void prefetch_read(const struct migration *m, bool parse, struct prefetched *out)
{
	struct migration copy = *m;

	memset(out, 0, sizeof(*out));
	stmt_list_init(&out->stmts);
	out->layout = m->layout;
	out->tx = m->tx;
	if (source_load(&out->src, m->path, &out->why)) {
		out->status = -1;
		return;
	}
	migration_mask(&copy, out->src.text, out->src.len);
	out->layout = copy.layout;
	out->tx = copy.tx;
	if (!parse)
		return;
	out->parsed = true;
	out->parse_status = parse_sql(out->src.text, out->src.len, &out->stmts);
	/* from the text alone: here rather than on the thread that replays */
	if (!out->parse_status)
		stmt_list_place(&out->stmts, &out->src);
}

void prefetched_release(struct prefetched *p)
{
	free(p->why);
	p->why = NULL;
	source_release(&p->src);
	stmt_list_release(&p->stmts);
	p->parsed = false;
}

/* ---- how many threads ---- */

static int cores(void)
{
	cpu_set_t set;
	long n;

	if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* MIGSAFE_THREADS: threads in all, main one included; 0 when not set.
   Read once (a bad value is warned about once). */
static int threads_from_env(void)
{
	static int threads = -1;
	const char *s;
	char *end;
	long n;

	if (threads >= 0)
		return threads;
	threads = 0;
	s = getenv("MIGSAFE_THREADS");
	if (!s || !*s)
		return threads;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < 1)
		warning("ignoring MIGSAFE_THREADS='%s': not a positive number", s);
	else
		threads = n > MAX_WORKERS + 2 ? MAX_WORKERS + 2 : (int)n;
	return threads;
}

bool writer_thread_allowed(void)
{
	int threads = threads_from_env();

	return threads ? threads >= 3 : cores() > 1;
}

int prefetch_workers(int nr_files)
{
	int threads = threads_from_env(), n = cores();

	if (nr_files < 2)
		return 0;
	if (threads)   /* from 3 on, one of them writes the report */
		return threads - 1 - (threads >= 3);
	if (n < 2)
		return 0;
	return n - 1 < DEFAULT_WORKERS ? n - 1 : DEFAULT_WORKERS;
}

/* ---- workers ---- */

static struct slot *slot_of(struct prefetch *pf, int i)
{
	return &pf->slots[(i - pf->first) % PREFETCH_MAX_FILES];
}

static bool has_room(const struct prefetch *pf)
{
	return pf->next_claim - pf->next_take < PREFETCH_MAX_FILES &&
	       pf->bytes_ahead < PREFETCH_MAX_BYTES;
}

/* Under the lock: the next file to read, once there is room for it;
   -1 when there is none left, or on stop. */
static int claim(struct prefetch *pf)
{
	while (!pf->stop && pf->next_claim <= pf->last && !has_room(pf))
		pthread_cond_wait(&pf->room, &pf->lock);
	if (pf->stop || pf->next_claim > pf->last)
		return -1;
	slot_of(pf, pf->next_claim)->state = SLOT_BUSY;
	return pf->next_claim++;
}

static void read_ref(const struct file_ref *ref, bool parse, struct prefetched *out)
{
	struct migration m;

	memset(&m, 0, sizeof(m));
	m.path = ref->path;
	m.layout = ref->layout;
	m.tx = ref->tx;
	prefetch_read(&m, parse, out);
}

/* Under the lock: read file i (claimed: its slot SLOT_BUSY) without
   it, and leave the result in its slot. */
static void read_claimed(struct prefetch *pf, int i)
{
	struct prefetched f;

	pthread_mutex_unlock(&pf->lock);
	read_ref(&pf->files[i - pf->first], pf->parse, &f);
	pthread_mutex_lock(&pf->lock);
	slot_of(pf, i)->f = f;
	slot_of(pf, i)->state = SLOT_DONE;
	pf->bytes_ahead += f.src.len;
}

static void *worker(void *data)
{
	struct prefetch *pf = data;
	int i;

	/* named for profilers (perf report --sort comm) and top -H */
	pthread_setname_np(pthread_self(), "migsafe-read");
	pthread_mutex_lock(&pf->lock);
	if (pf->parse)
		parse_thread_init();   /* one thread at a time: see parse.h */
	while ((i = claim(pf)) >= 0) {
		read_claimed(pf, i);
		pthread_cond_signal(&pf->done);
		/* the main thread is the slower one: take its page faults */
		pthread_mutex_unlock(&pf->lock);
		memory_fault_ahead();
		pthread_mutex_lock(&pf->lock);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

/* ---- the main thread's side ---- */

static size_t stack_size(void)
{
	struct rlimit rl;
	size_t want = MIN_STACK;

	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur > want)
		want = rl.rlim_cur < MAX_STACK ? (size_t)rl.rlim_cur : MAX_STACK;
	return want;
}

static void start_workers(struct prefetch *pf, int workers)
{
	pthread_attr_t attr;

	if (pthread_attr_init(&attr))
		return;
	pthread_attr_setstacksize(&attr, stack_size());
	for (int w = 0; w < workers && w < MAX_WORKERS; w++)
		if (!pthread_create(&pf->threads[pf->nr_threads], &attr, worker, pf))
			pf->nr_threads++;
	pthread_attr_destroy(&attr);
}

struct prefetch *prefetch_start(const struct history *h, int first, int last, bool parse,
				int workers)
{
	struct prefetch *pf;

	if (workers < 1 || first < 0 || last <= first || last >= h->nr)
		return NULL;
	pf = xcalloc(1, sizeof(*pf));
	pf->first = first;
	pf->last = last;
	pf->parse = parse;
	pf->next_claim = pf->next_take = first;
	pf->files = xcalloc((size_t)(last - first + 1), sizeof(*pf->files));
	for (int i = first; i <= last; i++) {
		pf->files[i - first].path = xstrdup(h->items[i].path);
		pf->files[i - first].layout = h->items[i].layout;
		pf->files[i - first].tx = h->items[i].tx;
	}
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->room, NULL);
	pthread_cond_init(&pf->done, NULL);
	if (parse)
		parse_thread_init();   /* ours first, before any worker's */
	start_workers(pf, workers);
	if (!pf->nr_threads) {
		prefetch_stop(pf);
		return NULL;
	}
	return pf;
}

/*
 * Under the lock: move file next_take's result out once it is done.
 * While a worker is still on it, the main thread does not just wait: it
 * reads the next file no worker has claimed (replay, not parsing, is
 * the main thread's to do, but when the workers are the slower side
 * this shares their work out; the result is the same on any thread,
 * both go through prefetch_read()).
 */
static void take_next(struct prefetch *pf, struct prefetched *out)
{
	struct slot *s = slot_of(pf, pf->next_take);

	while (s->state != SLOT_DONE) {
		/* the file itself when no worker has claimed it yet */
		if (pf->next_claim <= pf->last && has_room(pf)) {
			int i = pf->next_claim++;

			slot_of(pf, i)->state = SLOT_BUSY;
			read_claimed(pf, i);
			continue;
		}
		pthread_cond_wait(&pf->done, &pf->lock);
	}
	*out = s->f;
	memset(&s->f, 0, sizeof(s->f));
	s->state = SLOT_FREE;
	pf->bytes_ahead -= out->src.len;
	pf->next_take++;
	/* a worker waiting for room waits until half of it is free: one
	   wake-up for several files (a futex call costs microseconds) */
	if (pf->next_claim - pf->next_take <= PREFETCH_MAX_FILES / 2 &&
	    pf->bytes_ahead <= PREFETCH_MAX_BYTES / 2)
		pthread_cond_broadcast(&pf->room);
}

int prefetch_take(struct prefetch *pf, int i, struct prefetched *out)
{
	int ret = -1;

	pthread_mutex_lock(&pf->lock);
	if (i < pf->next_take || i > pf->last)
		goto out;
	while (pf->next_take < i) {
		struct prefetched skipped;

		take_next(pf, &skipped);
		prefetched_release(&skipped);
	}
	take_next(pf, out);
	ret = 0;
out:
	pthread_mutex_unlock(&pf->lock);
	return ret;
}

void prefetch_stop(struct prefetch *pf)
{
	if (!pf)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->stop = true;
	pthread_cond_broadcast(&pf->room);
	pthread_mutex_unlock(&pf->lock);
	for (int i = 0; i < pf->nr_threads; i++)
		pthread_join(pf->threads[i], NULL);
	for (int i = 0; i < PREFETCH_MAX_FILES; i++)
		if (pf->slots[i].state == SLOT_DONE)
			prefetched_release(&pf->slots[i].f);
	for (int i = 0; i <= pf->last - pf->first; i++)
		free(pf->files[i].path);
	free(pf->files);
	pthread_cond_destroy(&pf->done);
	pthread_cond_destroy(&pf->room);
	pthread_mutex_destroy(&pf->lock);
	free(pf);
}
