/*
 * discover.h - which migration files there are, in which order, which
 * tool wrote them, which of them are linted (the lint range), and how the
 * tool runs each one (transaction mode).
 *
 * Layouts recognised (per directory, by its files):
 *   golang-migrate  N_name.up.sql (+ .down.sql, never replayed or linted)
 *   goose           files with a '-- +goose Up' annotation; only the Up
 *                   part runs; '-- +goose StatementBegin/End' and
 *                   '-- +goose NO TRANSACTION' are honoured
 *   sql-migrate     files with a '-- +migrate Up' annotation (rubenv's
 *                   sql-migrate); only the Up part runs, in a transaction
 *                   unless the line says 'notransaction'
 *   atlas           *.sql beside an atlas.sum; '-- atlas:txmode none'
 *   flyway          V<version>__desc.sql (dotted/underscored numeric
 *                   version parts); R__ repeatable and U undo files skipped
 *   dbmate          files with '-- migrate:up'; only the up part runs;
 *                   'transaction:false' on that line honoured
 *   diesel          <version>_name/up.sql (down.sql skipped)
 *   prisma          <timestamp>_name/migration.sql
 *   plain           NNN_name.sql / NNN-name.sql, any *.sql with a leading
 *                   version number
 *
 * Ordering: by version, compared as a sequence of numeric parts (so
 * 2_x < 10_x, V13.1 < V13.2 < V14, 20230404095503 and 2018-02-17-205753
 * order as dates), ties broken by file name. Several directories on the
 * command line are merged into one history by version (Flyway locations).
 */
#ifndef MIGSAFE_DISCOVER_H
#define MIGSAFE_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum layout {
	LAYOUT_PLAIN,
	LAYOUT_GOLANG_MIGRATE,
	LAYOUT_GOOSE,
	LAYOUT_ATLAS,
	LAYOUT_FLYWAY,
	LAYOUT_DBMATE,
	LAYOUT_DIESEL,
	LAYOUT_PRISMA,
	LAYOUT_SQL_MIGRATE,
};

enum tx_mode {
	TX_PER_FILE,   /* the tool wraps the file in one transaction
	                  (goose, dbmate, diesel, Atlas, Flyway, plain) */
	TX_IMPLICIT,   /* the tool sends the whole file as one multi-statement
	                  query (golang-migrate, Prisma): PostgreSQL runs it as
	                  an implicit transaction block when it holds more than
	                  one statement */
	TX_NONE,       /* each statement runs on its own (autocommit):
	                  goose NO TRANSACTION, atlas:txmode none,
	                  sql-migrate notransaction,
	                  dbmate transaction:false, config transaction: none */
};

/* What stat() said of a migration file when it was discovered. */
struct file_meta {
	uint64_t size, ino, dev;
	int64_t mtime_ns, ctime_ns;
};

struct migration {
	char *path;           /* owned: path to open */
	struct file_meta meta;
	char *display;        /* owned: path to show (as the user named it,
	                         joined with the file name) */
	char *version;        /* owned: version as written ("13.1", "0001") */
	char *name;           /* owned: description part, may be "" */
	enum layout layout;
	enum tx_mode tx;      /* default from the layout; refined by
	                         migration_mask() from file directives */
	bool in_range;        /* linted (else replayed for state only) */
	enum {
		BASE_UNKNOWN,     /* no --base */
		BASE_UNCHANGED,   /* existed at the base, as it is now */
		BASE_ADDED,       /* new since the base */
		BASE_MODIFIED,    /* existed at the base, edited since */
	} base_state;
};

struct history {
	struct migration *items;   /* owned, sorted */
	int nr, alloc;
	int nr_dirs;               /* how many directories were scanned */
};

struct stat;
/* Fill *m from what stat() returned. */
void file_meta_from(struct file_meta *m, const struct stat *st);

/*
 * The directory that holds the whole history around a migration file:
 * its own directory, or for diesel/Prisma ('<version>_name/up.sql') the
 * one above. Malloc'ed; "" means the current directory.
 */
char *history_dir_of(const char *path);

void history_init(struct history *h);
void history_release(struct history *h);

/*
 * How the user chose the lint range. With no explicit range every file
 * is in range. File arguments: those files are in range and their
 * directories are scanned for the rest of the history. --since: files
 * whose version sorts at or after it.
 */
struct discover_opts {
	const char *layout;      /* force a layout by name, or NULL: detect */
	const char *since;       /* --since VERSION, or NULL */
};

/*
 * Scan 'paths' (directories and/or files) into 'h'. Returns 0, or -1
 * after printing one message naming the path and the problem (missing
 * path, not a directory or file, a directory with no migrations).
 * '*explicit_range' is set when the range was narrowed (file arguments
 * or --since), which decides what counts as a new table.
 */
int discover(const char **paths, int nr_paths, const struct discover_opts *opts,
	     struct history *h, bool *explicit_range);

/*
 * Blank, in place, the parts of 'text' that the tool does not run
 * (goose Down section, dbmate down section, ...) by replacing every
 * byte but '\n' with ' ', so offsets and line numbers stay those of the
 * file; and update m->tx from directives found in the file
 * (goose NO TRANSACTION, atlas:txmode none, dbmate transaction:false).
 */
void migration_mask(struct migration *m, char *text, size_t len);

/* Compare two version strings the way discovery orders them (<0, 0, >0). */
int version_cmp(const char *a, const char *b);

const char *layout_name(enum layout l);

#endif
