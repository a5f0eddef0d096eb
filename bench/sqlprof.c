/*
 * sqlprof.c - where does the catalog's time go? An LD_PRELOAD shim that
 * wraps sqlite3_step() and sqlite3_exec(), sums the CPU time spent in
 * each distinct SQL text (literals folded: SQL built with values in it
 * counts as one statement), and at exit prints the most expensive ones
 * with their call counts and SQLite's query plan.
 *
 *   cc -O2 -shared -fPIC -o sqlprof.so bench/sqlprof.c -ldl
 *   SQLPROF_TOP=15 SQLPROF_WIDTH=200 LD_PRELOAD=./sqlprof.so migsafe lint DIR >/dev/null
 *
 * The report goes to stderr, or to the file named by SQLPROF_OUT.
 * A benchmarking aid only: never linked into migsafe.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 65536

struct entry {
	char *sql;
	char *plan;
	unsigned long calls;
	unsigned long rows;
	double seconds;
};

static struct entry table[SLOTS];
static int nr_entries;
static double total_step;
static int (*real_step)(sqlite3_stmt *);
static int (*real_exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **),
			void *, char **);
static int in_plan;

/* The thread's CPU time, not the clock: on a shared machine the process
   is often descheduled in the middle of a step. (A system call per
   reading; its cost lands between the measured intervals.) */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int is_word(char c)
{
	return c == '_' || c == '?' || c == '$' || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
	       (c >= '0' && c <= '9');
}

/*
 * The statement with its literals replaced: 'text' -> ?S, 123 -> ?N, so
 * that SQL built with values in it (not bound) adds up as one entry.
 */
static char *normalize(const char *sql)
{
	size_t n = strlen(sql);
	char *out = malloc(2 * n + 1), *o = out;    /* "1" becomes "?N" */
	const char *p = sql;

	if (!out)
		abort();
	while (*p) {
		if (*p == '\'') {
			for (p++; *p; p++)
				if (*p == '\'' && *++p != '\'')
					break;
			*o++ = '?', *o++ = 'S';
		} else if (*p >= '0' && *p <= '9' &&
			   (p == sql || !is_word(p[-1]))) {
			while ((*p >= '0' && *p <= '9') || *p == '.')
				p++;
			*o++ = '?', *o++ = 'N';
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* EXPLAIN QUERY PLAN of 'sql', details joined with " | ". */
static char *plan_of(sqlite3 *db, const char *sql)
{
	size_t cap = 1024, len = 0;
	char *out = calloc(1, cap), *q = malloc(strlen(sql) + 32);
	sqlite3_stmt *st = NULL;

	if (!out || !q)
		abort();
	sprintf(q, "EXPLAIN QUERY PLAN %s", sql);
	in_plan = 1;
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
		while (real_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 3);
			size_t n = d ? strlen(d) : 0;

			if (len + n + 4 >= cap) {
				cap = (len + n + 4) * 2;
				if (!(out = realloc(out, cap)))
					abort();
			}
			len += (size_t)sprintf(out + len, "%s%s", len ? " | " : "", d ? d : "");
		}
	}
	sqlite3_finalize(st);
	in_plan = 0;
	free(q);
	return out;
}

static struct entry *lookup(sqlite3 *db, const char *raw)
{
	char *sql = normalize(raw);
	uint64_t h = hash(sql);
	struct entry *found = NULL;

	for (unsigned i = 0; i < SLOTS; i++) {
		struct entry *e = &table[(h + i) & (SLOTS - 1)];

		if (!e->sql) {
			if (nr_entries >= SLOTS - 1)
				break;
			nr_entries++;
			e->sql = sql;
			e->plan = db ? plan_of(db, raw) : strdup("(exec)");
			return e;
		}
		if (!strcmp(e->sql, sql)) {
			found = e;
			break;
		}
	}
	free(sql);
	return found;
}

int sqlite3_step(sqlite3_stmt *st)
{
	const char *sql;
	struct entry *e;
	double t0;
	int rc, fresh;

	if (!real_step)
		real_step = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
	if (in_plan)
		return real_step(st);
	fresh = !sqlite3_stmt_busy(st);   /* first step of an execution */
	t0 = cpu_now();
	rc = real_step(st);
	t0 = cpu_now() - t0;
	total_step += t0;
	sql = sqlite3_sql(st);
	if (sql && (e = lookup(sqlite3_db_handle(st), sql))) {
		e->seconds += t0;
		if (rc == SQLITE_ROW)
			e->rows++;
		if (fresh)
			e->calls++;   /* executions, whether stepped to the end or not */
	}
	return rc;
}

int sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
		 void *data, char **err)
{
	if (!real_exec)
		real_exec = (int (*)(sqlite3 *, const char *,
				     int (*)(void *, int, char **, char **), void *,
				     char **))dlsym(RTLD_NEXT, "sqlite3_exec");
	/* exec prepares and steps through sqlite3_step internally (not via
	   the PLT), so time it here as one entry per text */
	double t0 = cpu_now();
	int rc = real_exec(db, sql, cb, data, err);
	struct entry *e;

	t0 = cpu_now() - t0;
	total_step += t0;
	if (sql && (e = lookup(NULL, sql))) {
		e->seconds += t0;
		e->calls++;
	}
	return rc;
}

static int by_time(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (!x->sql || !y->sql)
		return !x->sql - !y->sql;
	return (x->seconds < y->seconds) - (x->seconds > y->seconds);
}

static void oneline(FILE *f, const char *s, size_t max)
{
	size_t n = 0;
	int space = 0;

	for (; *s && n < max; s++) {
		if (*s == '\n' || *s == '\t' || *s == ' ') {
			space = 1;
			continue;
		}
		if (space && n)
			fputc(' ', f), n++;
		space = 0;
		fputc(*s, f), n++;
	}
	if (*s)
		fputs("...", f);
}

__attribute__((destructor)) static void report(void)
{
	const char *top_env = getenv("SQLPROF_TOP"), *path = getenv("SQLPROF_OUT");
	const char *width_env = getenv("SQLPROF_WIDTH");
	int top = top_env ? atoi(top_env) : 15;
	size_t width = width_env ? (size_t)atoi(width_env) : 200;
	FILE *f = path ? fopen(path, "w") : stderr;
	double total_cpu;
	struct timespec ts;

	if (!f)
		f = stderr;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	total_cpu = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	qsort(table, SLOTS, sizeof(table[0]), by_time);
	fprintf(f, "sqlprof: %.3f s CPU in SQLite step/exec of %.3f s process CPU (%.0f%%),"
		" %d distinct statements\n", total_step, total_cpu,
		total_cpu > 0 ? 100 * total_step / total_cpu : 0, nr_entries);
	fprintf(f, "%8s %6s %10s %10s %8s  %s\n", "seconds", "share", "calls", "rows",
		"us/call", "sql  [plan]");
	for (int i = 0; i < top && i < SLOTS && table[i].sql; i++) {
		struct entry *e = &table[i];

		fprintf(f, "%8.3f %5.1f%% %10lu %10lu %8.2f  ", e->seconds,
			total_cpu > 0 ? 100 * e->seconds / total_cpu : 0, e->calls, e->rows,
			e->calls ? 1e6 * e->seconds / (double)e->calls : 0);
		oneline(f, e->sql, width * 4 / 5);
		fputs("  [", f);
		oneline(f, e->plan, width);
		fputs("]\n", f);
	}
	if (f != stderr)
		fclose(f);
}
