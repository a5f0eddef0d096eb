/*
 * sqlite_sandbox.h - the "target" database that SQLite migrations are
 * executed in: a separate in-memory SQLite database, never the catalog.
 *
 * Migration SQL is untrusted input, so the target is locked down:
 *   - a VFS that opens no file at all (the main database is in memory,
 *     temporary storage too), so nothing can read or create a file even
 *     if a statement got past the checks below;
 *   - an authorizer that denies ATTACH and DETACH, load_extension(),
 *     fts3_tokenizer(), the sqlite3 shell's readfile(), writefile() and
 *     edit(), virtual tables other than SQLite's own modules, and turns
 *     PRAGMAs that tune storage or migsafe's own limits into no-ops;
 *   - SQLITE_DBCONFIG_DEFENSIVE, extension loading off, an untrusted
 *     schema, no attached databases (SQLITE_LIMIT_ATTACHED 0);
 *   - limits on string, SQL and database size (PRAGMA max_page_count),
 *     on the process's SQLite heap, and on the time and the number of
 *     virtual machine instructions of each statement.
 *
 * The authorizer also records what each statement does at the top level
 * (not inside triggers, not SQLite's own bookkeeping of sqlite_schema):
 * the events of the last prepared statement are in s->events.
 */
#ifndef MIGSAFE_SQLITE_SANDBOX_H
#define MIGSAFE_SQLITE_SANDBOX_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sandbox_limits {
	double seconds;          /* per statement */
	int64_t instructions;    /* per statement, in thousands */
	int max_pages;           /* database size, 4 KiB pages */
	int64_t heap;            /* SQLite's hard heap limit (process-wide;
	                            only set when none is set yet) */
};

/* One authorizer call, as SQLite made it (strings copied, may be NULL). */
struct sandbox_event {
	int code;                /* SQLITE_INSERT, SQLITE_ALTER_TABLE, ... */
	char *a, *b, *db;
};

struct sandbox {
	sqlite3 *db;
	struct sandbox_limits lim;
	/* authorizer state */
	bool internal;           /* migsafe's own queries: allowed, not recorded */
	bool record_reads;       /* record SQLITE_READ events too */
	struct sandbox_event *events;
	int nr_events;
	size_t alloc_events;
	char *denied;            /* what the authorizer refused last, or NULL */
	/* limits of the running statement */
	double deadline;
	int64_t ticks;
	bool interrupted;
};

/* Open the target; 0, or -1 with a message. 'lim' may be NULL: defaults. */
int sandbox_open(struct sandbox **out, const struct sandbox_limits *lim);
void sandbox_free(struct sandbox *s);

/* The default limits. */
void sandbox_default_limits(struct sandbox_limits *lim);

/*
 * Prepare the first statement of sql[0..n) like sqlite3_prepare_v2,
 * recording its events (forgetting those of the statement before).
 */
int sandbox_prepare(struct sandbox *s, const char *sql, int n, sqlite3_stmt **st,
		    const char **tail);

/* Step 'st' to its end within the limits; returns SQLITE_DONE or the
   error (SQLITE_INTERRUPT when a limit stopped it). */
int sandbox_run(struct sandbox *s, sqlite3_stmt *st);

/* Run migsafe's own SQL (no authorizer checks); 0 or -1. */
int sandbox_exec_internal(struct sandbox *s, const char *sql);

/* PRAGMA schema_version of main and temp, as one number that changes
   whenever either schema does. */
int64_t sandbox_schema_cookie(struct sandbox *s);

#endif
