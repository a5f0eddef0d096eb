/*
 * engine.c - run the pipeline over a history and collect findings.
 */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "atlas_sum.h"
#include "cache.h"
#include "config.h"
#include "locks.h"
#include "parse.h"
#include "prefetch.h"
#include "source.h"
#include "sqlite_dialect.h"
#include "strpool.h"
#include "suppress.h"
#include "banned.h"

/* The file's statements by key (the hash of a name a statement names,
   of a string literal it holds), sorted, and their indices in that
   order: built when first asked for the file. */
struct stmt_map {
	bool built;
	struct keyed_pos *keyed;
	int *stmts;
	int nr;
	size_t alloc_keyed, alloc_stmts;
};

/*
 * A relation the current transaction holds (as its statements named
 * it; see fold_previous()), with the modes: one entry for each
 * (schema, relation), the schema NULL when the lock's was not known.
 * Hashed on both: by the name alone, a history of 1,000 tenant schemas
 * with the same tables put a thousand entries in one bucket. When
 * ctx_held_modes() is first asked by name alone (a relation whose
 * schema was not known), each name gets an entry too ('any', schema
 * NULL) with the modes of all its schemas, kept from then on until the
 * transaction ends: the common case does not pay for them.
 */
struct held_rel {
	const char *schema, *relation;  /* in rule_ctx.held_names */
	uint64_t hash;                  /* held_hash() */
	unsigned modes;                 /* 1 << enum lock_mode */
	bool any;
	int next;                       /* the next in its bucket, -1: none */
};

#define FP_STARTS 32

struct fp_start {
	const struct rule_info *rule;   /* NULL: empty */
	const char *file;
	uint64_t h;
};

struct rule_ctx {
	const struct lint_opts *opts;
	bool lint;              /* false: replay only (inspect) */
	int nr_failed;          /* statements that would fail (replay only) */
	struct history *h;
	struct catalog *cat;
	struct finding_list *out;
	struct summary *sum;
	/* the current file and statement */
	int file_index;
	const struct migration *m;
	const struct source_file *src;
	const struct stmt *st;
	struct loc loc;
	enum tx_mode tx;
	int nr_stmts;           /* statements in the file */
	bool explicit_tx;       /* inside BEGIN ... COMMIT */
	int tx_number;          /* numbering of transactions in the file */
	bool tx_open;           /* tx_number is the current transaction */
	struct lock_list locks; /* of the current statement */
	int locks_of;           /* the statement of the file 'locks' are of
	                           (until the next one's are computed); -1:
	                           none */
	/* the statements since the last that ended a transaction:
	   the first, and their locks by relation (struct held_rel) */
	int tx_first;
	struct held_rel *held;
	int nr_held;
	size_t alloc_held;
	int *held_buckets;      /* -1: empty */
	size_t nr_buckets;      /* a power of two, or 0 */
	bool held_any;          /* the entries by name alone are made */
	int held_no_schema;     /* entries of a relation of no known schema */
	/* the schema last hashed, in held_names, and its hash: nearly
	   every lock's is the same few */
	const char *held_schema;
	uint64_t held_schema_hash;
	struct arena held_names;
	/* the last SET of each parameter before the current statement
	   (its name is the statement's) */
	struct last_set {
		const char *name;
		int stmt;
	} *sets;
	int nr_sets;
	size_t alloc_sets;
	int open_begin;         /* see note_block(); -1: none */
	/* the file's statements by the names they name (ctx_stmts_naming()),
	   by the string literals they hold (ctx_stmts_quoting()); where
	   transaction blocks end (ctx_block_end()) */
	struct stmt_map named;
	struct stmt_map quoted;
	bool ends_built;
	int *ends;
	int nr_ends;
	size_t alloc_ends;
	bool lock_timeout;      /* SET lock_timeout seen in this file */
	const struct stmt_list *file_stmts;
	int stmt_index;
	struct suppressions *supp;  /* per file of the history */
	struct replay *replay;
	struct sqlite_replay *sq;   /* SQLite migrations: where they run; NULL
	                               for PostgreSQL */
	/* range findings need a line of a file that is no longer loaded */
	char *cache_path;
	struct source_file cache;
	/* files read and parsed ahead on worker threads (lint_file) */
	struct prefetch *prefetch;
	bool prefetch_tried;
	int prefetch_last;
	/* the statement rules that run, in rule order (listed at the first
	   statement: every statement asked each of the rules) */
	const struct rule_impl *stmt_rules[NR_RULES];
	int nr_stmt_rules;
	bool stmt_rules_listed;
	/* fingerprints: the hash of a rule's id and a file's name, kept */
	struct fp_start fp_starts[FP_STARTS];
};

void lint_opts_init(struct lint_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->pg_version = 15;
	o->tx_override = -1;
	for (int i = 0; i < NR_RULES; i++)
		o->severity[i] = rule_table[i].default_severity;
}

/* ---- accessors for rules ---- */

bool ctx_rel_is_new(const struct rule_ctx *ctx, const struct rel_ref *rel)
{
	if (!rel->known || rel->created_file < 0)
		return false;
	if (rel->created_file == ctx->file_index)
		return true;
	return ctx->opts->explicit_range && rel->created_in_range;
}

bool ctx_col_is_new(struct rule_ctx *ctx, const struct rel_ref *rel, const char *column)
{
	struct cat_col col;

	return rel->known && column && !cat_col_find(ctx->cat, rel->id, column, &col) &&
	       col.created_file == ctx->file_index;
}

bool ctx_in_transaction(const struct rule_ctx *ctx)
{
	switch (ctx->tx) {
	case TX_PER_FILE:
		return true;
	case TX_IMPLICIT:
		return ctx->explicit_tx || ctx->nr_stmts > 1;
	default:
		return ctx->explicit_tx;
	}
}

int ctx_pg_version(const struct rule_ctx *ctx)
{
	return ctx->opts->pg_version;
}

struct catalog *ctx_catalog(struct rule_ctx *ctx)
{
	return ctx->cat;
}

const struct config *ctx_config(const struct rule_ctx *ctx)
{
	static struct config none = { .transaction = -1, .runner_sets_lock_timeout = -1 };

	return ctx->opts->config ? ctx->opts->config : &none;
}

enum tx_mode ctx_tx_mode(const struct rule_ctx *ctx)
{
	return ctx->tx;
}

bool ctx_lock_timeout_set(const struct rule_ctx *ctx)
{
	return ctx->opts->runner_sets_lock_timeout || ctx->lock_timeout;
}

void ctx_file_statements(const struct rule_ctx *ctx, const struct stmt **stmts, int *nr,
			 int *current)
{
	*stmts = ctx->file_stmts ? ctx->file_stmts->stmts : NULL;
	*nr = ctx->file_stmts ? ctx->file_stmts->nr : 0;
	*current = ctx->stmt_index;
}

int ctx_line(const struct rule_ctx *ctx)
{
	return ctx->loc.line;
}

const char *ctx_file_text(const struct rule_ctx *ctx)
{
	return ctx->src ? ctx->src->text : "";
}

int ctx_find_rel(struct rule_ctx *ctx, const struct qname *qn, struct cat_rel *out)
{
	return replay_find_rel(ctx->replay, qn, out);
}

const struct lock_list *ctx_locks(const struct rule_ctx *ctx)
{
	return &ctx->locks;
}

/* ---- the locks the current transaction holds ---- */

static uint64_t name_hash(const char *name)
{
	return strpool_hash(name, strlen(name));
}

static size_t held_bucket(const struct rule_ctx *ctx, uint64_t hash)
{
	return (size_t)(hash & (ctx->nr_buckets - 1));
}

static void held_clear(struct rule_ctx *ctx)
{
	for (int i = 0; i < ctx->nr_held; i++)
		ctx->held_buckets[held_bucket(ctx, ctx->held[i].hash)] = -1;
	ctx->nr_held = 0;
	ctx->held_any = false;
	ctx->held_no_schema = 0;
	ctx->held_schema = NULL;        /* in held_names */
	arena_release(&ctx->held_names);
}

/* Buckets for twice the relations held, rehashed. */
static void held_grow(struct rule_ctx *ctx)
{
	ctx->nr_buckets = ctx->nr_buckets ? 2 * ctx->nr_buckets : 64;
	free(ctx->held_buckets);
	ctx->held_buckets = xmalloc(ctx->nr_buckets * sizeof(*ctx->held_buckets));
	memset(ctx->held_buckets, 0xff, ctx->nr_buckets * sizeof(*ctx->held_buckets));
	for (int i = 0; i < ctx->nr_held; i++) {
		size_t b = held_bucket(ctx, ctx->held[i].hash);

		ctx->held[i].next = ctx->held_buckets[b];
		ctx->held_buckets[b] = i;
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* A held relation's names, and the hashes its entries' are made from */
struct held_key {
	const char *schema, *relation;
	uint64_t name_hash, schema_hash;   /* schema_hash 0: no schema */
};

static struct held_key held_key(const struct rule_ctx *ctx, const char *schema,
				const char *relation)
{
	struct held_key k = { schema, relation, name_hash(relation), 0 };

	if (schema && ctx->held_schema && !strcmp(schema, ctx->held_schema))
		k.schema_hash = ctx->held_schema_hash;
	else if (schema)
		k.schema_hash = name_hash(schema) * 0xff51afd7ed558ccdull;
	return k;
}

/* An entry's hash: the name's, and the schema's or 'any' */
static uint64_t held_hash(const struct held_key *k, bool any)
{
	return k->name_hash ^ (any ? 0x9e3779b97f4a7c15ull : k->schema_hash);
}

/* The entry for (schema, relation), or for the name ('any'), or -1. */
static int held_find(const struct rule_ctx *ctx, const struct held_key *k, bool any)
{
	uint64_t hash = held_hash(k, any);

	for (int i = ctx->held_buckets[held_bucket(ctx, hash)]; i >= 0; i = ctx->held[i].next) {
		const struct held_rel *h = &ctx->held[i];

		if (h->hash == hash && h->any == any && !strcmp(h->relation, k->relation) &&
		    (any || same_str(h->schema, k->schema)))
			return i;
	}
	return -1;
}

/* Add mode_bit to the entry; a new one copies the names, or takes the
   relation's copy 'name' when given. Returns the entry. */
static int held_put(struct rule_ctx *ctx, const struct held_key *k, bool any,
		    unsigned mode_bit, const char *name)
{
	size_t b;
	int i;

	if (2 * ((size_t)ctx->nr_held + 1) > ctx->nr_buckets)
		held_grow(ctx);
	if ((i = held_find(ctx, k, any)) >= 0) {
		ctx->held[i].modes |= mode_bit;
		return i;
	}
	b = held_bucket(ctx, held_hash(k, any));
	ALLOC_GROW(ctx->held, (size_t)ctx->nr_held + 1, ctx->alloc_held);
	ctx->held[ctx->nr_held] = (struct held_rel){
		any ? NULL : arena_strdup(&ctx->held_names, k->schema),
		name ? name : arena_strdup(&ctx->held_names, k->relation), held_hash(k, any),
		mode_bit, any, ctx->held_buckets[b] };
	if (!any && !k->schema)
		ctx->held_no_schema++;
	else if (!any && (!ctx->held_schema || k->schema_hash != ctx->held_schema_hash)) {
		ctx->held_schema = ctx->held[ctx->nr_held].schema;
		ctx->held_schema_hash = k->schema_hash;
	}
	ctx->held_buckets[b] = ctx->nr_held;
	return ctx->nr_held++;
}

static void held_add(struct rule_ctx *ctx, const struct lock *l)
{
	struct held_key k;
	int i;

	if (!l->relation || l->mode == LOCK_NONE)
		return;
	k = held_key(ctx, l->schema, l->relation);
	i = held_put(ctx, &k, false, 1u << l->mode, NULL);
	if (ctx->held_any)
		held_put(ctx, &k, true, 1u << l->mode, ctx->held[i].relation);
}

/* The entries by name alone, from those there are (held_rel). */
static void held_make_any(struct rule_ctx *ctx)
{
	int n = ctx->nr_held;

	for (int i = 0; i < n; i++) {
		struct held_key k = held_key(ctx, NULL, ctx->held[i].relation);

		if (!ctx->held[i].any)
			held_put(ctx, &k, true, ctx->held[i].modes, ctx->held[i].relation);
	}
	ctx->held_any = true;
}

/* Does the statement end the transaction the ones after it would be
   in? In a file the tool does not wrap, a BEGIN opens a new one; in a
   wrapped or implicit one the transaction began before it. */
static bool ends_transaction(const struct rule_ctx *ctx, const struct stmt *st)
{
	return stmt_ends_block(st) || (st->kind == ST_TRANSACTION &&
				       st->u.txn.kind == TXN_BEGIN && ctx->tx == TX_NONE);
}

/* The last SET of each parameter: see ctx_last_set(). */
static void note_set(struct rule_ctx *ctx, const struct stmt *st, int index)
{
	int i;

	if (st->kind != ST_SET || !st->u.set.name)
		return;
	for (i = 0; i < ctx->nr_sets && strcmp(ctx->sets[i].name, st->u.set.name); i++)
		;
	if (i == ctx->nr_sets) {
		ALLOC_GROW(ctx->sets, (size_t)ctx->nr_sets + 1, ctx->alloc_sets);
		ctx->sets[ctx->nr_sets++].name = st->u.set.name;
	}
	ctx->sets[i].stmt = index;
}

/* The BEGIN that opened the explicit block still open: the first since
   the last COMMIT, ROLLBACK or PREPARE TRANSACTION. */
static void note_block(struct rule_ctx *ctx, const struct stmt *st, int index)
{
	if (stmt_ends_block(st))
		ctx->open_begin = -1;
	else if (st->kind == ST_TRANSACTION && st->u.txn.kind == TXN_BEGIN && ctx->open_begin < 0)
		ctx->open_begin = index;
}

/*
 * Before a statement: the one before it joins the transaction's, or
 * ends it. Rules asked this of every statement by reading back through
 * the file: quadratic in a long file that is one transaction (100,000
 * INSERTs of seed data took 8 s, 40,000 ALTERs 6 s).
 *
 * The previous statement's locks are still in ctx->locks (when they
 * were computed), and the strings they borrow from its replay result
 * still live: the result is reset after this. Only the relations the
 * transaction holds are kept, with copies of their names; keeping
 * every statement's locks took 28 MB in a file of 200,000 statements.
 */
static void fold_previous(struct rule_ctx *ctx)
{
	int prev = ctx->stmt_index - 1;

	if (prev < 0 || !ctx->file_stmts || prev >= ctx->file_stmts->nr) {
		ctx->locks_of = -1;
		held_clear(ctx);
		ctx->tx_first = ctx->stmt_index;
		ctx->nr_sets = 0;
		ctx->open_begin = -1;
		return;
	}
	note_set(ctx, &ctx->file_stmts->stmts[prev], prev);
	note_block(ctx, &ctx->file_stmts->stmts[prev], prev);
	if (ends_transaction(ctx, &ctx->file_stmts->stmts[prev])) {
		held_clear(ctx);
		ctx->tx_first = ctx->stmt_index;
		return;
	}
	if (ctx->locks_of != prev)
		return;
	for (int i = 0; i < ctx->locks.nr; i++)
		held_add(ctx, &ctx->locks.items[i]);
}

/* ---- the file's statements by key ---- */

static void map_add(struct stmt_map *m, uint64_t hash, int stmt)
{
	ALLOC_GROW(m->keyed, (size_t)m->nr + 1, m->alloc_keyed);
	m->keyed[m->nr++] = (struct keyed_pos){ hash, stmt };
}

/* Sorted, a statement once per key (RENAME t TO t). */
static void map_finish(struct stmt_map *m)
{
	int n = 0;

	m->built = true;
	if (m->nr)
		qsort(m->keyed, (size_t)m->nr, sizeof(*m->keyed), keyed_pos_cmp);
	for (int i = 0; i < m->nr; i++)
		if (!n || keyed_pos_cmp(&m->keyed[n - 1], &m->keyed[i]))
			m->keyed[n++] = m->keyed[i];
	m->nr = n;
	ALLOC_GROW(m->stmts, (size_t)m->nr + 1, m->alloc_stmts);
	for (int i = 0; i < m->nr; i++)
		m->stmts[i] = m->keyed[i].pos;
}

static int map_find(const struct stmt_map *m, uint64_t h, const int **idx)
{
	int lo = (int)keyed_pos_lower(m->keyed, (size_t)m->nr, h), end;

	for (end = lo; end < m->nr && m->keyed[end].key == h; end++)
		;
	*idx = m->stmts + lo;
	return end - lo;
}

/* For the next file. */
static void map_reset(struct stmt_map *m)
{
	m->built = false;
	m->nr = 0;
}

static void map_release(struct stmt_map *m)
{
	free(m->keyed);
	free(m->stmts);
}

static void name_stmt(struct rule_ctx *ctx, const char *name, int stmt)
{
	if (name)
		map_add(&ctx->named, name_hash(name), stmt);
}

static void build_named(struct rule_ctx *ctx)
{
	const struct stmt_list *l = ctx->file_stmts;

	for (int i = 0; l && i < l->nr; i++) {
		const struct stmt *s = &l->stmts[i];

		switch (s->kind) {
		case ST_INSERT:
		case ST_UPDATE:
		case ST_DELETE:
			name_stmt(ctx, s->u.dml.rel.name, i);
			break;
		case ST_ALTER_TABLE:
			name_stmt(ctx, s->u.alter_table.rel.name, i);
			break;
		case ST_CREATE_INDEX:
			name_stmt(ctx, s->u.index.table.name, i);
			break;
		case ST_RENAME:
			name_stmt(ctx, s->u.rename.rel.name, i);
			name_stmt(ctx, s->u.rename.newname, i);
			break;
		case ST_CREATE_TABLE:
			name_stmt(ctx, s->u.create_table.name.name, i);
			break;
		case ST_CREATE_VIEW:
			name_stmt(ctx, s->u.view.name.name, i);
			break;
		case ST_CREATE_ENUM:
			name_stmt(ctx, s->u.create_enum.name.name, i);
			break;
		default:
			break;
		}
	}
	map_finish(&ctx->named);
}

int ctx_stmts_naming(struct rule_ctx *ctx, const char *name, const int **idx)
{
	*idx = NULL;
	if (!name || !ctx->file_stmts)
		return 0;
	if (!ctx->named.built)
		build_named(ctx);
	return map_find(&ctx->named, name_hash(name), idx);
}

/*
 * The quoted strings of text[start, end): at each quote that does not
 * follow a quote, what runs to the next lone quote (doubled quotes
 * inside), as written. Every place, not the lexer's literals: a closing
 * quote starts one too ('a' 'b' holds ' ') and so does a quote in a
 * comment. So a statement holds 'v' exactly when one of these is v with
 * its quotes doubled.
 */
static void quote_stmt(struct stmt_map *m, const char *text, size_t start, size_t end,
		       int stmt)
{
	for (size_t i = start; i < end; i++) {
		size_t j;

		if (text[i] != '\'' || (i > start && text[i - 1] == '\''))
			continue;
		for (j = i + 1; j < end; j++)
			if (text[j] == '\'') {
				if (j + 1 < end && text[j + 1] == '\'')
					j++;
				else
					break;
			}
		if (j < end)
			map_add(m, strpool_hash(text + i + 1, j - i - 1), stmt);
	}
}

static void build_quoted(struct rule_ctx *ctx)
{
	const struct stmt_list *l = ctx->file_stmts;
	const char *text = ctx_file_text(ctx);

	for (int i = 0; l && i < l->nr; i++)
		quote_stmt(&ctx->quoted, text, l->stmts[i].start, l->stmts[i].end, i);
	map_finish(&ctx->quoted);
}

/* The first of v[0..n) (ascending) that is greater than x, or n. */
static int first_after(const int *v, int n, int x)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ctx_stmts_quoting(struct rule_ctx *ctx, const char *value, const int **idx)
{
	struct strbuf lit;
	int n, skip;

	*idx = NULL;
	if (!value || !ctx->file_stmts)
		return 0;
	if (!ctx->quoted.built)
		build_quoted(ctx);
	strbuf_init(&lit);
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			strbuf_addch(&lit, '\'');
		strbuf_addch(&lit, *p);
	}
	n = map_find(&ctx->quoted, strpool_hash(lit.len ? lit.buf : "", lit.len), idx);
	strbuf_release(&lit);
	skip = first_after(*idx, n, ctx->stmt_index);
	*idx += skip;
	return n - skip;
}

/* ---- where transaction blocks end ---- */

int ctx_block_end(struct rule_ctx *ctx)
{
	const struct stmt_list *l = ctx->file_stmts;
	int next;

	if (!l)
		return 0;
	if (!ctx->ends_built) {
		ctx->ends_built = true;
		ctx->nr_ends = 0;
		for (int i = 0; i < l->nr; i++)
			if (stmt_ends_block(&l->stmts[i])) {
				ALLOC_GROW(ctx->ends, (size_t)ctx->nr_ends + 1, ctx->alloc_ends);
				ctx->ends[ctx->nr_ends++] = i;
			}
	}
	next = first_after(ctx->ends, ctx->nr_ends, ctx->stmt_index);
	return next < ctx->nr_ends ? ctx->ends[next] : l->nr;
}

int ctx_open_block(const struct rule_ctx *ctx)
{
	return ctx->open_begin;
}

int ctx_last_set(const struct rule_ctx *ctx, const char *name)
{
	for (int i = 0; name && i < ctx->nr_sets; i++)
		if (!strcmp(ctx->sets[i].name, name))
			return ctx->sets[i].stmt;
	return -1;
}

int ctx_transaction_start(const struct rule_ctx *ctx)
{
	return ctx_in_transaction(ctx) ? ctx->tx_first : ctx->stmt_index;
}

unsigned ctx_held_modes(const struct rule_ctx *ctx, const char *schema, const char *relation)
{
	struct held_key k;
	unsigned modes = 0;
	int i;

	if (!relation || !ctx_in_transaction(ctx) || !ctx->nr_held)
		return 0;
	k = held_key(ctx, schema, relation);
	/* every schema's, or the schema's and those of no known schema */
	if (!schema) {
		/* a cache of what the entries say: ctx is not otherwise changed */
		if (!ctx->held_any)
			held_make_any((struct rule_ctx *)ctx);
		return (i = held_find(ctx, &k, true)) >= 0 ? ctx->held[i].modes : 0;
	}
	if ((i = held_find(ctx, &k, false)) >= 0)
		modes |= ctx->held[i].modes;
	k.schema = NULL;
	k.schema_hash = 0;
	if (ctx->held_no_schema && (i = held_find(ctx, &k, false)) >= 0)
		modes |= ctx->held[i].modes;
	return modes;
}

/* ---- findings ---- */

/*
 * A finding's fingerprint: FNV-1a of its rule's id, its file's name (both
 * with their NUL), its statement's hash and its object. Findings of a
 * rule come in runs in one file, so the hash of the first two (most of
 * the bytes: file names are long) is kept per rule and file.
 */
static uint64_t fingerprint(struct rule_ctx *ctx, const struct rule_info *r, const char *file,
			    const struct loc *loc, const char *object)
{
	struct fp_start *s = &ctx->fp_starts[(uintptr_t)r / sizeof(*r) % FP_STARTS];
	uint64_t h;

	if (s->rule != r || s->file != file) {
		h = fnv1a64(r->id, strlen(r->id) + 1, FNV1A64_INIT);
		s->h = fnv1a64(file, strlen(file) + 1, h);
		s->rule = r;
		s->file = file;
	}
	h = fnv1a64(&loc->stmt_hash, sizeof(loc->stmt_hash), s->h);
	if (object)
		h = fnv1a64(object, strlen(object), h);
	return h;
}

/* Back to the first byte of the character at or before s + i. */
static size_t utf8_start(const char *s, size_t i)
{
	while (i && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/*
 * Byte offset of loc's column in a line of len bytes starting at byte
 * line_start of the file: from loc->start when it lies on the line (no
 * walk), else by counting characters.
 */
static size_t column_byte(const char *line, size_t len, size_t line_start, const struct loc *loc)
{
	size_t i = 0;

	if (loc->start >= line_start && loc->start <= line_start + len)
		return loc->start - line_start;
	for (int c = 1; c < loc->col && i < len; c++)
		for (i++; i < len && ((unsigned char)line[i] & 0xC0) == 0x80; i++)
			;
	return i;
}

/*
 * f->snippet: the finding's line, or on a long line (a minified
 * migration) at most SNIPPET_MAX bytes of it around the column, so that
 * memory and report size do not grow with findings x line length.
 */
static void set_snippet(struct rule_ctx *ctx, struct finding *f)
{
	const struct migration *m = &ctx->h->items[f->loc.file_index];
	const struct source_file *sf = ctx->src;
	const char *text;
	size_t len, at, from;

	f->snippet_col = 1;
	if (f->loc.file_index != ctx->file_index || !ctx->src) {
		if (!ctx->cache_path || strcmp(ctx->cache_path, m->path)) {
			free(ctx->cache_path);
			source_release(&ctx->cache);
			ctx->cache_path = xstrdup(m->path);
			if (source_load(&ctx->cache, m->path, NULL))
				return;
		}
		sf = &ctx->cache;
	}
	text = source_line(sf, f->loc.line, &len);
	if (!text)
		return;
	if (f->loc.line == 1 && len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;   /* a byte order mark is not part of what the user sees */
		len -= 3;
	}
	if (len <= SNIPPET_MAX) {
		f->snippet = xstrndup(text, len);
		return;
	}
	at = column_byte(text, len, (size_t)(text - sf->text), &f->loc);
	from = utf8_start(text, at > SNIPPET_MAX / 3 ? at - SNIPPET_MAX / 3 : 0);
	len -= from;
	if (len > SNIPPET_MAX) {
		len = utf8_start(text + from, SNIPPET_MAX);
		f->snippet_cut = 1;
	}
	f->snippet = xstrndup(text + from, len);
	f->snippet_col = f->loc.col - utf8_chars(text + from, at > from ? at - from : 0);
	if (f->snippet_col < 1)
		f->snippet_col = 1;
}

static bool suppressed(struct rule_ctx *ctx, const struct rule_info *r, const struct loc *loc)
{
	if (!ctx->supp || loc->file_index < 0 || r->rule == RULE_UNUSED_SUPPRESSION)
		return false;
	return suppressions_match(&ctx->supp[loc->file_index], r->id, loc->start);
}

static void add_finding_as(struct rule_ctx *ctx, const struct rule_info *r, enum severity sev,
			   const struct loc *loc, const char *object, char *message)
{
	struct finding *f;

	if (sev == SEV_OFF) {
		free(message);
		return;
	}
	if (suppressed(ctx, r, loc)) {
		ctx->sum->suppressed++;
		free(message);
		return;
	}
	ALLOC_GROW(ctx->out->items, (size_t)ctx->out->nr + 1, ctx->out->alloc);
	f = &ctx->out->items[ctx->out->nr++];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->severity = sev;
	f->message = message;
	f->help = r->rule < NR_RULES ? rule_help(r) : NULL;
	f->object = object ? xstrdup(object) : NULL;
	f->file = ctx->h->items[loc->file_index].display;
	f->loc = *loc;
	f->fingerprint = fingerprint(ctx, r, f->file, loc, object);
	if (!ctx->opts->no_snippets)
		set_snippet(ctx, f);
	ctx->sum->by_severity[sev]++;
}

/*
 * With a sink, hand over the findings of files 0..upto, sorted (the
 * findings of a later file stay until it is done): the report is
 * written while the history is linted instead of held whole.
 */
static void flush_findings(struct rule_ctx *ctx, int upto)
{
	struct finding_list *l = ctx->out;
	int w = 0;

	if (!ctx->opts->sink || !l->nr)
		return;
	finding_list_sort(l);
	for (int i = 0; i < l->nr; i++) {
		if (l->items[i].loc.file_index <= upto)
			ctx->opts->sink(ctx->opts->sink_data, &l->items[i]);
		else
			l->items[w++] = l->items[i];
	}
	l->nr = w;
}

static void add_finding(struct rule_ctx *ctx, enum rule_id rule, const struct loc *loc,
			const char *object, char *message)
{
	add_finding_as(ctx, &rule_table[rule], ctx->opts->severity[rule], loc, object, message);
}

void report(struct rule_ctx *ctx, enum rule_id rule, const char *object, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	if (!ctx->st)
		BUG("report() outside a statement; range rules use report_at()");
	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	add_finding(ctx, rule, &ctx->loc, object, strbuf_detach(&sb));
}

void report_at(struct rule_ctx *ctx, enum rule_id rule, const struct loc *loc,
	       const char *object, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	add_finding(ctx, rule, loc, object, strbuf_detach(&sb));
}

/* ---- locations ---- */

static void make_loc(struct rule_ctx *ctx, size_t start, size_t end, struct loc *loc)
{
	struct srcpos a = source_pos(ctx->src, start), b = source_pos(ctx->src, end);

	loc->file_index = ctx->file_index;
	loc->start = start;
	loc->end = end;
	loc->line = a.line;
	loc->col = a.col;
	loc->end_line = b.line;
	loc->end_col = b.col;
}

/* The statement's place, as read_statements() left it placed. */
static void stmt_loc(struct rule_ctx *ctx, const struct stmt *st)
{
	struct loc *loc = &ctx->loc;

	loc->file_index = ctx->file_index;
	loc->start = st->start;
	loc->end = st->end;
	loc->line = st->place.line;
	loc->col = st->place.col;
	loc->end_line = st->place.end_line;
	loc->end_col = st->place.end_col;
	loc->stmt_hash = st->place.hash;
}

/* The offending token of a syntax error: from the cursor to a space. */
static size_t token_end(const struct source_file *src, size_t at, size_t limit)
{
	size_t i = at;

	if (limit > src->len)
		limit = src->len;
	while (i < limit && src->text[i] != ' ' && src->text[i] != '\n' &&
	       src->text[i] != '\t' && src->text[i] != '\r' && src->text[i] != ';')
		i++;
	return i > at ? i : (at < src->len ? at + 1 : at);
}

/* ---- the migration tool's own bookkeeping tables ---- */

/*
 * Each tool creates its bookkeeping table before the first migration,
 * and real migrations alter it (harbor's do), so it exists from the
 * start. Objects made here have created_file -2.
 */
static const char *const preludes[] = {
	[LAYOUT_GOLANG_MIGRATE] =
		"CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY,"
		" dirty boolean NOT NULL);",
	[LAYOUT_GOOSE] =
		"CREATE TABLE IF NOT EXISTS goose_db_version (id serial NOT NULL,"
		" version_id bigint NOT NULL, is_applied boolean NOT NULL,"
		" tstamp timestamp NULL DEFAULT now(), PRIMARY KEY (id));",
	[LAYOUT_FLYWAY] =
		"CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank integer NOT NULL,"
		" version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL,"
		" script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL,"
		" installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL,"
		" success boolean NOT NULL,"
		" CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));"
		"CREATE INDEX IF NOT EXISTS flyway_schema_history_s_idx ON flyway_schema_history (success);",
	[LAYOUT_SQL_MIGRATE] =
		"CREATE TABLE IF NOT EXISTS gorp_migrations (id text NOT NULL PRIMARY KEY,"
		" applied_at timestamptz);",
	[LAYOUT_DBMATE] =
		"CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(128) PRIMARY KEY);",
	[LAYOUT_DIESEL] =
		"CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version varchar(50) PRIMARY KEY"
		" NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);",
	[LAYOUT_PRISMA] =
		"CREATE TABLE IF NOT EXISTS _prisma_migrations (id varchar(36) PRIMARY KEY NOT NULL,"
		" checksum varchar(64) NOT NULL, finished_at timestamptz,"
		" migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,"
		" started_at timestamptz NOT NULL DEFAULT now(),"
		" applied_steps_count integer NOT NULL DEFAULT 0);",
	[LAYOUT_ATLAS] =
		"CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions;"
		"CREATE TABLE IF NOT EXISTS atlas_schema_revisions.atlas_schema_revisions"
		" (version varchar NOT NULL PRIMARY KEY, description varchar NOT NULL,"
		" type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0,"
		" total bigint NOT NULL DEFAULT 0, executed_at timestamptz NOT NULL,"
		" execution_time bigint NOT NULL, error text, error_stmt text, hash varchar NOT NULL,"
		" partial_hashes jsonb, operator_version varchar NOT NULL);",
};

static void replay_prelude(struct rule_ctx *ctx, struct replay *rp, struct replay_result *res,
			   enum layout layout, unsigned *done)
{
	struct cat_origin origin = { .file_index = -2, .file = "" };
	const char *sql = layout < ARRAY_SIZE(preludes) ? preludes[layout] : NULL;
	struct stmt_list l;

	if (!sql || (*done & (1u << layout)))
		return;
	*done |= 1u << layout;
	if (ctx->sq) {
		sqlite_replay_prelude(ctx->sq, layout, &origin);
		return;
	}
	stmt_list_init(&l);
	cat_set_origin(ctx->cat, &origin);
	if (!parse_sql(sql, strlen(sql), &l))
		for (int i = 0; i < l.nr; i++) {
			replay_result_reset(res);
			replay_stmt(rp, &l.stmts[i], sql, res);
		}
	stmt_list_release(&l);
}

/* ---- --initial-schema ---- */

/* psql meta-commands (\restrict in pg_dump 15.14+ output) are not SQL. */
static void blank_meta_commands(char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\\' || (i && text[i - 1] != '\n'))
			continue;
		while (i < len && text[i] != '\n')
			text[i++] = ' ';
	}
}

/*
 * Replay a schema dump (or any DDL) before the history: its objects
 * exist "before the history" (created_file -1) and are never linted.
 */
static int replay_initial_schema(struct rule_ctx *ctx, struct replay *rp,
				 struct replay_result *res)
{
	const char *path = ctx->opts->initial_schema;
	struct cat_origin origin = { .file_index = -1, .file = path };
	struct source_file src;
	struct stmt_list l;
	char *why = NULL;
	int failed = 0;

	if (source_load(&src, path, &why)) {
		error("cannot read initial schema '%s': %s", path, why ? why : "unreadable");
		free(why);
		return -1;
	}
	blank_meta_commands(src.text, src.len);
	stmt_list_init(&l);
	if (ctx->sq)
		failed = sqlite_replay_script(ctx->sq, src.text, &origin);
	else
		parse_sql(src.text, src.len, &l);
	cat_set_origin(ctx->cat, &origin);
	for (int i = 0; i < l.nr; i++) {
		if (l.stmts[i].kind == ST_SYNTAX_ERROR) {
			failed++;
			continue;
		}
		replay_result_reset(res);
		replay_stmt(rp, &l.stmts[i], src.text, res);
		failed += res->nr_problems;
	}
	if (failed)
		warning("%d statement%s of initial schema '%s' could not be applied", failed,
			failed == 1 ? "" : "s", path);
	replay_reset_session(rp);
	stmt_list_release(&l);
	source_release(&src);
	return 0;
}

/* ---- one file ---- */

static bool stmt_is_non_transactional(const struct stmt *st)
{
	switch (st->kind) {
	case ST_CREATE_INDEX:
		return st->u.index.concurrently;
	case ST_DROP:
		return st->u.drop.concurrently;
	case ST_MAINTENANCE:
		return (st->u.maint.concurrently && !strcmp(st->u.maint.what, "reindex")) ||
		       !strncmp(st->u.maint.what, "vacuum", 6);
	case ST_CREATE_DATABASE:
	case ST_DROP_DATABASE:
		return true;
	default:
		return false;
	}
}

static enum tx_mode file_tx_mode(struct rule_ctx *ctx, const struct stmt_list *l)
{
	if (ctx->opts->tx_override >= 0)
		return (enum tx_mode)ctx->opts->tx_override;
	/* Flyway runs a migration that holds a statement PostgreSQL refuses
	   in a transaction (CONCURRENTLY, VACUUM) without one. */
	if (ctx->m->layout == LAYOUT_FLYWAY)
		for (int i = 0; i < l->nr; i++)
			if (stmt_is_non_transactional(&l->stmts[i]))
				return TX_NONE;
	/* A plain SQL file that opens its own transaction is run the way psql
	   runs it (statement by statement); its BEGIN is not a nesting. */
	if (ctx->m->layout == LAYOUT_PLAIN)
		for (int i = 0; i < l->nr; i++)
			if (l->stmts[i].kind == ST_TRANSACTION && l->stmts[i].u.txn.kind == TXN_BEGIN)
				return TX_NONE;
	return ctx->m->tx;
}

/* SET lock_timeout = 0 (or DEFAULT) turns it off again. */
static void track_lock_timeout(struct rule_ctx *ctx, const struct stmt *st)
{
	const struct set_stmt *s = &st->u.set;

	if (st->kind != ST_SET || !s->name || strcmp(s->name, "lock_timeout"))
		return;
	ctx->lock_timeout = !s->reset && s->nr_values > 0 && strcmp(s->values[0], "0") &&
			    strcmp(s->values[0], "0ms") && strcmp(s->values[0], "0s");
}

static void track_transaction(struct rule_ctx *ctx, const struct stmt *st)
{
	track_lock_timeout(ctx, st);
	if (st->kind != ST_TRANSACTION)
		return;
	switch (st->u.txn.kind) {
	case TXN_BEGIN:
		ctx->explicit_tx = true;
		break;
	case TXN_COMMIT:
	case TXN_ROLLBACK:
	case TXN_PREPARE:
		ctx->explicit_tx = false;
		break;
	default:
		break;
	}
}

static void report_problems(struct rule_ctx *ctx, const struct replay_result *res)
{
	for (int i = 0; i < res->nr_problems; i++) {
		const struct replay_problem *p = &res->problems[i];

		add_finding(ctx, p->rule, &ctx->loc, p->object, xstrdup(p->message));
	}
}

/* Does the rule's implementation run (on, and meant for the dialect)? */
static bool rule_runs(const struct rule_ctx *ctx, int rule)
{
	return ctx->opts->severity[rule] != SEV_OFF &&
	       (!ctx->sq || sqlite_rule_applies((enum rule_id)rule));
}

static void run_stmt_rules(struct rule_ctx *ctx, const struct replay_result *res)
{
	if (!ctx->stmt_rules_listed) {
		ctx->stmt_rules_listed = true;
		for (int i = 0; i < NR_RULES; i++) {
			const struct rule_impl *impl = rule_impl_of(&rule_table[i]);

			if (impl && impl->check_stmt && rule_runs(ctx, i))
				ctx->stmt_rules[ctx->nr_stmt_rules++] = impl;
		}
	}
	for (int i = 0; i < ctx->nr_stmt_rules; i++)
		ctx->stmt_rules[i]->check_stmt(ctx, ctx->st, res->changes, res->nr_changes);
}

static void syntax_error(struct rule_ctx *ctx, const struct stmt *st)
{
	size_t at = st->u.error.offset;
	struct loc loc;

	if (at > ctx->src->len)
		at = ctx->src->len;
	make_loc(ctx, at, token_end(ctx->src, at, st->end), &loc);
	loc.stmt_hash = ctx->loc.stmt_hash;
	add_finding(ctx, RULE_SYNTAX_ERROR, &loc, NULL,
		    xstrfmt("%s", st->u.error.message ? st->u.error.message : "syntax error"));
}

/* Which transaction the statement runs in (0: its own, autocommit). */
static int transaction_of(struct rule_ctx *ctx, const struct stmt *st)
{
	bool in = ctx_in_transaction(ctx) || (st->kind == ST_TRANSACTION &&
					      st->u.txn.kind != TXN_BEGIN);

	if (!in) {
		ctx->tx_open = false;
		return 0;
	}
	if (!ctx->tx_open) {
		ctx->tx_number++;
		ctx->tx_open = true;
	}
	return ctx->tx_number;
}

static void observe(struct rule_ctx *ctx, const struct stmt *st)
{
	struct stmt_report r;

	if (!ctx->opts->observer)
		return;
	r.m = ctx->m;
	r.loc = &ctx->loc;
	r.text = ctx->src->text;
	r.tx = ctx->tx;
	r.in_transaction = ctx_in_transaction(ctx);
	r.transaction = transaction_of(ctx, st);
	r.locks = &ctx->locks;
	ctx->opts->observer(ctx->opts->observer_data, &r);
	if (st->kind == ST_TRANSACTION && st->u.txn.kind != TXN_BEGIN &&
	    st->u.txn.kind != TXN_SAVEPOINT && st->u.txn.kind != TXN_RELEASE &&
	    st->u.txn.kind != TXN_ROLLBACK_TO)
		ctx->tx_open = false;
}

/*
 * A DO block's effect depends on conditions and data migsafe cannot see.
 * Its static statements are replayed (idempotency guards such as
 * IF NOT EXISTS (SELECT ... FROM pg_constraint) usually mean the DDL
 * runs), silently: a statement that would fail is skipped, not reported.
 */
static void replay_do_block(struct rule_ctx *ctx, struct replay *rp, const struct stmt *st,
			    struct replay_result *res)
{
	const struct stmt_list *inner = st->u.do_block.inner;
	bool dynamic = st->u.do_block.dynamic;
	int n = st->u.do_block.parsed ? st->u.do_block.nr_static : -1;

	for (int i = 0; inner && i < inner->nr; i++) {
		if (inner->stmts[i].kind == ST_SYNTAX_ERROR)
			continue;
		replay_result_reset(res);
		replay_stmt(rp, &inner->stmts[i], "", res);
	}
	replay_result_reset(res);
	if (!ctx->m->in_range || !ctx->lint)
		return;
	if (n < 0)
		report(ctx, RULE_UNANALYZABLE_STATEMENT, NULL,
		       "DO block: its effect on the schema is not known to migsafe");
	else
		report(ctx, RULE_UNANALYZABLE_STATEMENT, NULL,
		       "DO block: migsafe replayed its %d static statement%s as if every branch"
		       " ran%s; conditions are not evaluated", n, n == 1 ? "" : "s",
		       dynamic ? " and cannot see its dynamic SQL (EXECUTE)" : "");
}

static void lint_stmt(struct rule_ctx *ctx, struct replay *rp, const struct stmt *st,
		      struct replay_result *res)
{
	struct cat_origin origin;
	bool in_range = ctx->m->in_range;

	ctx->st = st;
	fold_previous(ctx);
	if (!ctx->lint)
		in_range = false;
	stmt_loc(ctx, st);
	track_transaction(ctx, st);
	if (st->kind == ST_SYNTAX_ERROR) {
		ctx->nr_failed++;
		if (in_range)
			syntax_error(ctx, st);
		return;
	}
	origin.file_index = ctx->file_index;
	origin.in_range = in_range;
	origin.file = ctx->m->display;
	origin.loc = ctx->loc;
	cat_set_origin(ctx->cat, &origin);
	replay_result_reset(res);
	if (st->kind == ST_DO) {
		if (in_range)
			ctx->sum->statements++;
		replay_do_block(ctx, rp, st, res);
		return;
	}
	if (ctx->sq)
		sqlite_replay_stmt(ctx->sq, ctx->stmt_index, &origin, res);
	else
		replay_stmt(rp, st, ctx->src->text, res);
	ctx->nr_failed += res->nr_problems;
	if (!in_range)
		return;
	ctx->sum->statements++;
	if (st->kind == ST_UNREADABLE)
		report(ctx, RULE_UNANALYZABLE_STATEMENT, NULL,
		       "%s: its effect on the schema is not replayed, and findings on the objects"
		       " it touches may be wrong", st->u.error.message);
	if (ctx->sq)
		sqlite_stmt_locks(ctx->sq, ctx->stmt_index, &ctx->locks);
	else
		locks_compute(ctx, st, res->changes, res->nr_changes, &ctx->locks);
	ctx->locks_of = ctx->stmt_index;
	report_problems(ctx, res);
	run_stmt_rules(ctx, res);
	observe(ctx, st);
}

/* ---- reading files, ahead on worker threads ---- */

/* The last file lint_run() replays: the last one in the lint range. */
static int last_file_linted(const struct rule_ctx *ctx)
{
	int last = -1;

	for (int i = 0; i < ctx->h->nr; i++)
		if (ctx->h->items[i].in_range)
			last = i;
	return last;
}

/*
 * Start reading ahead from the first file lint_file() is given, up to
 * the last one it will be given, where end_prefetch() joins the workers.
 * Only a lint run says where that is; a replay for 'inspect' (which may
 * stop early, --at) reads its files on this thread.
 */
static void start_prefetch(struct rule_ctx *ctx)
{
	int last = ctx->lint ? last_file_linted(ctx) : -1;
	int workers;

	ctx->prefetch_tried = true;
	if (last <= ctx->file_index)
		return;
	workers = prefetch_workers(last - ctx->file_index + 1);
	ctx->prefetch = prefetch_start(ctx->h, ctx->file_index, last, !ctx->sq, workers);
	ctx->prefetch_last = last;
}

/* The current file, read (and parsed) ahead by a worker or read here. */
static void fetch_file(struct rule_ctx *ctx, struct prefetched *f)
{
	if (!ctx->prefetch_tried)
		start_prefetch(ctx);
	if (ctx->prefetch && !prefetch_take(ctx->prefetch, ctx->file_index, f))
		return;
	prefetch_read(ctx->m, !ctx->sq, f);
}

static void end_prefetch(struct rule_ctx *ctx)
{
	if (ctx->prefetch && ctx->file_index >= ctx->prefetch_last) {
		prefetch_stop(ctx->prefetch);
		ctx->prefetch = NULL;
	}
}

/* What migration_mask() made of the file's directives. */
static void apply_mask(struct rule_ctx *ctx, const struct prefetched *f)
{
	struct migration *m = (struct migration *)ctx->m;

	m->layout = f->layout;
	m->tx = f->tx;
}

/* The file's statements: parsed (when it was read), or (SQLite) run in
   the target database the way the tool runs the file. */
static int read_statements(struct rule_ctx *ctx, struct prefetched *f)
{
	enum tx_mode tx = ctx->opts->tx_override >= 0 ? (enum tx_mode)ctx->opts->tx_override
						      : ctx->m->tx;
	int ret;

	if (ctx->sq)
		ret = sqlite_replay_file(ctx->sq, f->src.text, f->src.len, tx, ctx->m->layout,
					 &f->stmts);
	else if (f->parsed)
		return f->parse_status;         /* placed where it was parsed */
	else
		ret = parse_sql(f->src.text, f->src.len, &f->stmts);
	if (!ret)
		stmt_list_place(&f->stmts, &f->src);
	return ret;
}

static int lint_file(struct rule_ctx *ctx, struct replay *rp, struct replay_result *res,
		     unsigned *preludes_done)
{
	struct prefetched f;
	struct stmt_list *l = &f.stmts;
	int ret = 0;

	fetch_file(ctx, &f);
	if (f.status) {
		ret = error("cannot lint '%s': %s", ctx->m->display, f.why ? f.why : "unreadable");
		goto out;
	}
	apply_mask(ctx, &f);
	replay_prelude(ctx, rp, res, ctx->m->layout, preludes_done);
	if (read_statements(ctx, &f)) {
		ret = error("cannot parse '%s'", ctx->m->display);
		goto out;
	}
	ctx->src = &f.src;
	if (ctx->supp && ctx->m->in_range && ctx->lint)
		suppressions_collect(&ctx->supp[ctx->file_index], l, &f.src, ctx->file_index);
	ctx->tx = file_tx_mode(ctx, l);
	ctx->nr_stmts = l->nr;
	ctx->explicit_tx = false;
	ctx->tx_number = 0;
	ctx->tx_open = false;
	ctx->lock_timeout = false;
	ctx->file_stmts = l;
	replay_begin_file(rp);
	for (int i = 0; i < l->nr; i++) {
		ctx->stmt_index = i;
		lint_stmt(ctx, rp, &l->stmts[i], res);
	}
	replay_end_file(rp);
	ctx->file_stmts = NULL;
	map_reset(&ctx->named);
	map_reset(&ctx->quoted);
	ctx->ends_built = false;
out:
	ctx->src = NULL;
	ctx->st = NULL;
	prefetched_release(&f);
	end_prefetch(ctx);
	return ret;
}

static void run_range_rules(struct rule_ctx *ctx)
{
	ctx->st = NULL;
	ctx->file_index = -1;
	for (int i = 0; i < NR_RULES; i++) {
		const struct rule_impl *impl = rule_impl_of(&rule_table[i]);

		if (impl && impl->check_range && rule_runs(ctx, i))
			impl->check_range(ctx);
	}
}

/* ---- custom rules and suppression bookkeeping ---- */

struct custom_run {
	struct rule_ctx *ctx;
	const struct custom_rule *rule;
};

/* The history index of a display path, or -1. */
static int file_index_of(const struct rule_ctx *ctx, const char *display)
{
	for (int i = 0; display && i < ctx->h->nr; i++)
		if (!strcmp(ctx->h->items[i].display, display))
			return i;
	return -1;
}

/* A custom rule's message: {column} replaced by the row's value. */
static char *expand_template(const char *tpl, int n, const char *const *names,
			     const char *const *values)
{
	struct strbuf sb;

	strbuf_init(&sb);
	for (const char *p = tpl; *p; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		int i;

		for (i = 0; close && i < n; i++)
			if (strlen(names[i]) == (size_t)(close - p - 1) &&
			    !strncmp(names[i], p + 1, (size_t)(close - p - 1)))
				break;
		if (!close || i == n) {
			strbuf_addch(&sb, *p);
			continue;
		}
		strbuf_addstr(&sb, values[i] ? values[i] : "NULL");
		p = close;
	}
	return strbuf_detach(&sb);
}

static const char *column_value(int n, const char *const *names, const char *const *values,
				const char *want)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], want))
			return values[i];
	return NULL;
}

/* Where a custom finding goes: the row's file and line, else the last
   migration linted, line 1. */
static void custom_loc(struct rule_ctx *ctx, int n, const char *const *names,
		       const char *const *values, struct loc *loc)
{
	const char *file = column_value(n, names, values, "file");
	const char *line = column_value(n, names, values, "line");
	int fi = file_index_of(ctx, file);

	memset(loc, 0, sizeof(*loc));
	if (fi < 0)
		for (int i = 0; i < ctx->h->nr; i++)
			if (ctx->h->items[i].in_range)
				fi = i;
	loc->file_index = fi < 0 ? 0 : fi;
	loc->line = line && fi >= 0 && file ? (int)strtol(line, NULL, 10) : 1;
	if (loc->line < 1)
		loc->line = 1;
	loc->col = 1;
	loc->end_line = loc->line;
	loc->end_col = 2;
}

static int custom_row(void *data, int n, const char *const *names, const char *const *values)
{
	struct custom_run *cr = data;
	struct loc loc;

	custom_loc(cr->ctx, n, names, values, &loc);
	add_finding_as(cr->ctx, &cr->rule->info, cr->rule->severity, &loc,
		       column_value(n, names, values, "object"),
		       expand_template(cr->rule->message, n, names, values));
	return 0;
}

/* Each row a custom rule's SQL returns over the catalog is a finding. */
static void run_custom_rules(struct rule_ctx *ctx)
{
	const struct config *cfg = ctx_config(ctx);

	for (int i = 0; i < cfg->nr_custom; i++) {
		struct custom_run cr = { ctx, &cfg->custom[i] };
		char *err = NULL;

		if (catalog_query(ctx->cat, cfg->custom[i].sql, custom_row, &cr, &err))
			warning("custom rule '%s' failed: %s", cfg->custom[i].id, err ? err : "?");
		free(err);
	}
}

/* An own directive that names no rule, or a rule that never fired. */
static void report_unused(struct rule_ctx *ctx, const struct directive *d)
{
	struct strbuf sb;
	int unused = 0;

	strbuf_init(&sb);
	for (int i = 0; i < d->nr_ids; i++)
		if (!d->id_used[i])
			strbuf_addf(&sb, "%s%s", unused++ ? ", " : "", d->ids[i]);
	if (d->unknown) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "migsafe:ignore names '%s', which is no rule (see 'migsafe rules')",
			    d->unknown);
	} else if (!d->nr_ids) {
		strbuf_addstr(&sb, "migsafe:ignore names no rule");
	} else if (unused) {
		strbuf_addstr(&sb, d->file_level ? " never fires in this file, so this migsafe:ignore-file"
						  " suppresses nothing for it"
						  : " does not fire on the statement this migsafe:ignore"
						    " applies to");
	} else {
		strbuf_release(&sb);
		return;
	}
	add_finding(ctx, RULE_UNUSED_SUPPRESSION, &d->loc, NULL, strbuf_detach(&sb));
}

static void report_unused_suppressions(struct rule_ctx *ctx)
{
	for (int i = 0; i < ctx->h->nr; i++)
		for (int j = 0; j < ctx->supp[i].nr; j++)
			if (ctx->supp[i].items[j].own)
				report_unused(ctx, &ctx->supp[i].items[j]);
}

/* ---- the history itself ---- */

static void report_file(struct rule_ctx *ctx, enum rule_id rule, int fi, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
static void report_file(struct rule_ctx *ctx, enum rule_id rule, int fi, const char *fmt, ...)
{
	struct loc loc = { .file_index = fi, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	loc.stmt_hash = fnv1a64(ctx->h->items[fi].version, strlen(ctx->h->items[fi].version),
				FNV1A64_INIT);
	add_finding(ctx, rule, &loc, NULL, strbuf_detach(&sb));
}

/* The latest migration that is already applied (in --base mode). */
static int last_applied(const struct history *h)
{
	int last = -1;

	for (int i = 0; i < h->nr; i++)
		if (h->items[i].base_state == BASE_UNCHANGED || h->items[i].base_state == BASE_MODIFIED)
			last = i;
	return last;
}

static void atlas_problem(void *data, int fi, const char *message)
{
	report_file(data, RULE_MODIFIED_APPLIED_MIGRATION, fi, "%s", message);
}

/*
 * duplicate-version, modified-applied-migration, out-of-order-migration:
 * about the directory, not the SQL; reported on the file's first line.
 */
static void check_history(struct rule_ctx *ctx)
{
	const struct history *h = ctx->h;
	int applied = last_applied(h);

	for (int i = 0; i < h->nr; i++) {
		const struct migration *m = &h->items[i];

		if (i && *m->version && !version_cmp(m->version, h->items[i - 1].version) &&
		    (m->in_range || h->items[i - 1].in_range || m->base_state == BASE_MODIFIED))
			report_file(ctx, RULE_DUPLICATE_VERSION, i,
				    "version %s is also the version of '%s': the migration tool runs"
				    " only one of them, or refuses both", m->version,
				    h->items[i - 1].display);
		if (m->base_state == BASE_MODIFIED)
			report_file(ctx, RULE_MODIFIED_APPLIED_MIGRATION, i,
				    "migration %s existed at the base and has been edited: databases"
				    " that already ran it will never run the new version", m->version);
		if (m->base_state == BASE_ADDED && applied > i)
			report_file(ctx, RULE_OUT_OF_ORDER_MIGRATION, i,
				    "new migration %s sorts before %s, which is already applied: most"
				    " tools skip it or refuse to run", m->version,
				    h->items[applied].version);
	}
	atlas_sum_check(h, atlas_problem, ctx);
}

/* ---- --cache: the state of the files before the lint range ---- */

enum { PART_CATALOG = 1, PART_REPLAY, PART_ENGINE };

/* The first file in the lint range among 0..last, or -1. */
static int first_in_range(const struct rule_ctx *ctx, int last)
{
	for (int i = 0; i <= last; i++)
		if (ctx->h->items[i].in_range)
			return i;
	return -1;
}

/*
 * The cache of files 0..*first-1, when there are such files and their
 * state is all the cache would have to hold: PostgreSQL migrations
 * (SQLite's are also run in a database of their own, which is not
 * saved) with nothing replayed before the history.
 */
static struct prefix_cache *open_prefix_cache(struct rule_ctx *ctx, int last, int *first)
{
	const struct lint_opts *o = ctx->opts;
	struct prefix_cache *pc;
	struct strbuf key;

	*first = first_in_range(ctx, last);
	if (!ctx->lint || !o->cache_dir || o->initial_schema || *first <= 0 ||
	    dialect_resolve(o->dialect, ctx->h) != DIALECT_POSTGRESQL)
		return NULL;
	strbuf_init(&key);
	strbuf_addf(&key, "postgresql pg-version %d transaction %d explicit-range %d",
		    o->pg_version, o->tx_override, o->explicit_range);
	pc = cache_open(o->cache_dir, ctx->h, *first, key.buf, key.len + 1);
	strbuf_release(&key);
	return pc;
}

/* What the engine itself carries from file to file. */
static int restore_engine_state(struct rule_ctx *ctx, struct prefix_cache *pc,
				unsigned *preludes_done)
{
	size_t len;
	const char *s = cache_part(pc, PART_ENGINE, &len);
	int n = 0;

	if (!s || !len || s[len - 1] ||
	    sscanf(s, "preludes %u failed %d%n", preludes_done, &ctx->nr_failed, &n) != 2 ||
	    (size_t)n != len - 1)
		return -1;
	return 0;
}

/*
 * The catalog (ctx->cat), the replay (*rp) and the engine's state after
 * files 0..n-1, from the cache. Returns n, or 0 when nothing was
 * restored (ctx->cat and *rp are then NULL).
 */
static int restore_prefix(struct rule_ctx *ctx, struct prefix_cache *pc, struct replay **rp,
			  unsigned *preludes_done)
{
	const void *state;
	void *image;
	size_t image_len, state_len;
	int n = pc ? cache_covers(pc) : 0;

	*rp = NULL;
	if (!n)
		return 0;
	/* first: it completes the file's checksum, which vouches for the rest */
	image = cache_take_last(pc, PART_CATALOG, &image_len, cat_image_alloc, cat_image_drop);
	if (!image)
		goto miss;
	state = cache_part(pc, PART_REPLAY, &state_len);
	if (!state || restore_engine_state(ctx, pc, preludes_done)) {
		cat_image_drop(image);
		goto miss;
	}
	if (catalog_load(&ctx->cat, image, image_len))
		goto miss;
	*rp = replay_new(ctx->cat);
	if (!replay_restore(*rp, state, state_len))
		return n;
miss:
	replay_free(*rp);
	*rp = NULL;
	catalog_free(ctx->cat);
	ctx->cat = NULL;
	*preludes_done = 0;
	ctx->nr_failed = 0;
	cache_forget(pc);
	return 0;
}

/* Files 0..k-1 are replayed: keep their state for the next run, unless
   it came from the cache whole. */
static void store_prefix(struct rule_ctx *ctx, struct prefix_cache *pc, struct replay *rp,
			 unsigned preludes_done, int k)
{
	struct strbuf state, mine;
	struct cat_image image;
	struct cache_part parts[3];

	if (cache_covers(pc) == k && !cache_stale(pc))
		return;
	strbuf_init(&state);
	strbuf_init(&mine);
	if (catalog_save(ctx->cat, &image))
		goto out;
	replay_save(rp, &state);
	strbuf_addf(&mine, "preludes %u failed %d", preludes_done, ctx->nr_failed);
	parts[0] = (struct cache_part){ PART_REPLAY, state.buf, state.len };
	parts[1] = (struct cache_part){ PART_ENGINE, mine.buf, mine.len + 1 };
	/* last: cache_take_last() reads it straight into the catalog's memory */
	parts[2] = (struct cache_part){ PART_CATALOG, image.data, image.len };
	cache_store(pc, parts, 3);
out:
	cat_image_release(&image);
	strbuf_release(&state);
	strbuf_release(&mine);
}

/*
 * A history of 64 KB of SQL or more: the main heap in huge pages
 * (util.h; -20% CPU on 20,000 statements, -15% on documenso's 230 KB).
 * A short one would pay for 2 MB pages it hardly uses: a one-file lint
 * took 3-4 ms longer, a 22 KB history (conductor) the same time.
 */
#define HUGE_HEAP_FROM ((uint64_t)64 << 10)
/*
 * How much of the heap: the main thread's heap holds about three bytes
 * for each byte of SQL replayed (the catalog, its caches, the findings
 * on their way out). 32 MB covered the 20,000-statement history and a
 * third of the 200,000 one, whose 7,000 further page faults (4 KB,
 * about 6 us each on this machine kind) went with 72 MB: -4% CPU, -3%
 * wall there, peak RSS +1.5 MB.
 */
#define HUGE_HEAP_PER_BYTE 3

static void size_heap(const struct history *h, int last)
{
	uint64_t bytes = 0;

	for (int i = 0; i <= last && i < h->nr; i++)
		bytes += h->items[i].meta.size;
	if (bytes >= HUGE_HEAP_FROM)
		memory_huge_heap(HUGE_HEAP_PER_BYTE * bytes);
}

/* Replay (and lint, when ctx->lint) files 0..last. */
static int run_files(struct rule_ctx *ctx, int last)
{
	struct replay_result res;
	struct replay *rp;
	struct prefix_cache *pc;
	unsigned preludes_done = 0;
	int ret = 0, first, start;

	size_heap(ctx->h, last);
	source_from_text(&ctx->cache, "", xstrdup(""), 0);
	replay_result_init(&res);
	if (ctx->lint)
		ctx->supp = xcalloc((size_t)ctx->h->nr + 1, sizeof(*ctx->supp));
	pc = open_prefix_cache(ctx, last, &first);
	start = restore_prefix(ctx, pc, &rp, &preludes_done);
	if (!ctx->cat && catalog_open(&ctx->cat)) {
		cache_free(pc);
		return -1;
	}
	if (dialect_resolve(ctx->opts->dialect, ctx->h) == DIALECT_SQLITE &&
	    sqlite_replay_new(&ctx->sq, ctx->cat, NULL))
		return -1;
	if (!rp)
		rp = replay_new(ctx->cat);
	ctx->replay = rp;
	if (ctx->opts->initial_schema && replay_initial_schema(ctx, rp, &res))
		ret = -1;
	if (ctx->lint)
		check_history(ctx);
	for (int i = start; i <= last; i++) {
		if (pc && i == first && !ret)
			store_prefix(ctx, pc, rp, preludes_done, first);
		ctx->file_index = i;
		ctx->m = &ctx->h->items[i];
		if (lint_file(ctx, rp, &res, &preludes_done))
			ret = -1;
		flush_findings(ctx, i);
	}
	if (ctx->prefetch) {    /* the loop stopped before prefetch_last */
		prefetch_stop(ctx->prefetch);
		ctx->prefetch = NULL;
	}
	cache_free(pc);
	if (ctx->lint) {
		run_range_rules(ctx);
		run_custom_rules(ctx);
		report_unused_suppressions(ctx);
		flush_findings(ctx, INT_MAX);
	}
	replay_free(rp);
	sqlite_replay_free(ctx->sq);
	ctx->sq = NULL;
	replay_result_release(&res);
	lock_list_release(&ctx->locks);
	free(ctx->held);
	arena_release(&ctx->held_names);
	free(ctx->held_buckets);
	map_release(&ctx->named);
	map_release(&ctx->quoted);
	free(ctx->ends);
	free(ctx->sets);
	for (int i = 0; ctx->supp && i < ctx->h->nr; i++)
		suppressions_release(&ctx->supp[i]);
	free(ctx->supp);
	ctx->supp = NULL;
	free(ctx->cache_path);
	source_release(&ctx->cache);
	return ret;
}

int lint_run(const struct lint_opts *o, struct history *h, struct finding_list *out,
	     struct summary *sum)
{
	struct rule_ctx ctx = { 0 };
	int last = -1, ret;

	memset(sum, 0, sizeof(*sum));
	sum->files = h->nr;
	sum->dialect = dialect_name(dialect_resolve(o->dialect, h));
	for (int i = 0; i < h->nr; i++)
		if (h->items[i].in_range) {
			sum->linted++;
			last = i;
		}
	ctx.opts = o;
	ctx.lint = true;
	ctx.h = h;
	ctx.out = out;
	ctx.sum = sum;
	/* files after the last one in range cannot change any verdict */
	ret = run_files(&ctx, last);
	finding_list_sort(out);
	catalog_free(ctx.cat);
	return ret;
}

int replay_history(const struct lint_opts *o, struct history *h, int last,
		   struct catalog **cat, int *nr_failed)
{
	struct rule_ctx ctx = { 0 };
	struct finding_list unused;
	struct summary sum = { 0 };
	int ret;

	finding_list_init(&unused);
	ctx.opts = o;
	ctx.h = h;
	ctx.out = &unused;
	ctx.sum = &sum;
	ret = run_files(&ctx, last < h->nr ? last : h->nr - 1);
	*cat = ctx.cat;
	*nr_failed = ctx.nr_failed;
	finding_list_release(&unused);
	return ret;
}
