/*
 * prefetch.h - read and parse the next migration files on worker
 * threads while the main thread replays the current one.
 *
 * Replay is sequential (each statement sees the catalog the earlier ones
 * left), but reading a file and parsing it are not: they depend on the
 * file alone. So up to PREFETCH_MAX_FILES files (and about
 * PREFETCH_MAX_BYTES of their text) past the one being replayed are
 * read, masked and parsed by worker threads; the main thread takes each
 * result in history order, and while it waits for one it reads the next
 * file no worker has claimed itself (when the workers are the slower
 * side, the parsing is shared out).
 *
 * Workers never print and never write shared state: what reading a file
 * would have reported (it could not be read) and what migration_mask()
 * would have changed in its struct migration (layout, transaction mode)
 * travel with the result, and the main thread applies and prints them
 * when the file's turn comes. So the output is the same, byte for byte,
 * whether the files were read ahead or not: both ways go through
 * prefetch_read().
 *
 * Threads: MIGSAFE_THREADS=N in the environment caps the threads at N:
 * the main one and N-1 workers, or from N = 3 on N-2 workers and the
 * report's writer (outq.h); MIGSAFE_THREADS=1 reads every file on the
 * main thread. By default there are min(2, cores - 1) workers when there
 * is more than one file, and the writer when there is more than one
 * core.
 */
#ifndef MIGSAFE_PREFETCH_H
#define MIGSAFE_PREFETCH_H

#include <stdbool.h>

#include "ast.h"
#include "discover.h"
#include "source.h"

/*
 * How far workers read ahead of the file the main thread is on. Files
 * differ in cost, to parse and to replay: with 16, a worker that had
 * waited for room fell behind at a run of dear files, and the main
 * thread parsed files where it could have replayed. 64 took the
 * 200,000-statement history's wall time down 1-4% (interleaved runs;
 * 1.5 MB more at the peak); at 20,000 statements it makes no
 * difference.
 *
 * A parsed file takes about ten times its text. With bigger files
 * the bytes bound the window: 200,000 statements as 500 files of
 * 45 KB peaked at 113 MB with 4 MB of text ahead and at 96 MB with
 * 1 MB; as 100 files of 2,000 statements (bench/shapes.py), 104.4 MB
 * with 1 MB and 99.6 MB with 512 KB (2 files ahead), CPU and wall
 * time no worse in interleaved runs.
 */
#define PREFETCH_MAX_FILES 64
#define PREFETCH_MAX_BYTES (512u * 1024)   /* of source text */

/* One file, read (and parsed) by prefetch_read(). */
struct prefetched {
	int status;               /* 0, or -1: the file could not be read */
	char *why;                /* owned: status -1: the reason, or NULL */
	struct source_file src;   /* owned: the text, masked by migration_mask() */
	bool parsed;              /* stmts holds parse_sql()'s statements */
	int parse_status;         /* parsed: what parse_sql() returned */
	struct stmt_list stmts;   /* owned: always initialised */
	enum layout layout;       /* m's layout and tx after migration_mask() */
	enum tx_mode tx;
};

/*
 * Read migration 'm' into 'out' (initialised here; prefetched_release()
 * it): load the file, mask it as migration_mask() does on a copy of m
 * (m itself is not written), and with 'parse', parse it. Prints
 * nothing. Safe on any thread.
 */
void prefetch_read(const struct migration *m, bool parse, struct prefetched *out);

void prefetched_release(struct prefetched *p);

/*
 * Worker threads to use for 'nr_files' files: 0 means read them on the
 * caller's thread. MIGSAFE_THREADS, else the default above. A value that
 * is not a positive number is ignored with a warning.
 */
int prefetch_workers(int nr_files);

/*
 * Whether the report may be written on a thread of its own (outq.h):
 * by default when there is more than one core; with MIGSAFE_THREADS=N
 * when N is 3 or more (the writer is one of the N, prefetch_workers()
 * leaves it room).
 */
bool writer_thread_allowed(void);

struct prefetch;

/*
 * Start 'workers' threads reading files first..last of 'h' ahead, in
 * order; 'parse' as for prefetch_read() (false for SQLite migrations,
 * which run on the main thread as they are read). The paths, layouts
 * and transaction modes of those files are copied now: 'h' is not read
 * afterwards. Returns NULL when no thread could be started (the caller
 * reads the files itself).
 */
struct prefetch *prefetch_start(const struct history *h, int first, int last, bool parse,
				int workers);

/*
 * Move file i's result into 'out' (the caller owns it then), waiting
 * for a worker to finish it. Files before i that were not taken are
 * dropped. Returns 0, or -1 when i is not a file this prefetcher reads
 * (outside first..last, or already passed): read it with
 * prefetch_read().
 */
int prefetch_take(struct prefetch *pf, int i, struct prefetched *out);

/* Stop the workers, wait for them, free what was not taken. NULL is a no-op. */
void prefetch_stop(struct prefetch *pf);

#endif
