/*
 * outq.h - the report written on a thread of its own.
 *
 * Formatting and writing findings costs the main thread about a tenth
 * of a long lint (JSON escaping, SARIF's nesting), and the main thread
 * is the one that bounds the wall time: it replays every statement in
 * order while the workers only parse. So lint hands each finding, in
 * report order, to this queue, and one thread takes them out in that
 * order and passes them to the consumer: the output is the same bytes
 * either way.
 *
 * The consumer runs on the queue's thread only, one finding at a time.
 * Whatever it writes to must not be touched by other threads until
 * outq_finish() has returned.
 */
#ifndef MIGSAFE_OUTQ_H
#define MIGSAFE_OUTQ_H

#include "finding.h"

/* f and what it points to are valid only during the call, as for a
   reporter's finding hook: copy what is kept. */
typedef void (*outq_fn)(void *data, const struct finding *f);

struct outq;

/* Start the thread. NULL when it cannot be started: call fn yourself. */
struct outq *outq_start(outq_fn fn, void *data);

/* Findings queued and not yet taken by the thread: outq_push() waits
   while this many wait, so the queue's memory is bounded. */
#define OUTQ_WAITING_MAX 2048

/*
 * Queue *f: its strings are copied into the queue's own buffer and *f
 * is released here, on the caller's thread (memory freed on another
 * thread than the one that took it is slow to come back to the taker).
 * Waits while OUTQ_WAITING_MAX findings wait.
 */
void outq_push(struct outq *q, struct finding *f);

/* Wait until every queued finding is consumed, stop the thread, free q.
   NULL is a no-op. */
void outq_finish(struct outq *q);

#endif
