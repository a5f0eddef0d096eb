/*
 * locks_cmd.c - 'migsafe locks': for each statement in the lint range,
 * the relations it locks, the mode, whether it rewrites or scans, and
 * which transaction holds the locks until when. Text and JSON.
 */
#include "locks_cmd.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "locks.h"
#include "banned.h"

struct held {
	char *rel;
	enum lock_mode mode;
};

struct locks_out {
	FILE *out;
	bool json;
	json_t *files;            /* json: array of file objects */
	json_t *cur;              /* json: the current file's statements */
	const struct migration *m;
	int tx;                   /* current transaction number, 0: none */
	struct held *held;        /* text: strongest lock per relation in tx */
	int nr_held;
	size_t alloc_held;
};

static const char *tx_mode_text(enum tx_mode t)
{
	switch (t) {
	case TX_PER_FILE: return "the tool runs the file in one transaction";
	case TX_IMPLICIT: return "the tool sends the file as one query: an implicit transaction";
	default: return "each statement commits on its own";
	}
}

static const char *tx_mode_key(enum tx_mode t)
{
	return t == TX_PER_FILE ? "per-file" : t == TX_IMPLICIT ? "implicit" : "none";
}

static char *rel_name(const struct lock *l)
{
	return l->schema ? xstrfmt("%s.%s", l->schema, l->relation) : xstrdup(l->relation);
}

static void flush_held(struct locks_out *o)
{
	if (!o->json && o->tx && o->nr_held) {
		fprintf(o->out, "  transaction %d holds until it ends:", o->tx);
		for (int i = 0; i < o->nr_held; i++)
			fprintf(o->out, "%s %s %s", i ? "," : "", o->held[i].rel,
				lock_mode_name(o->held[i].mode));
		fputc('\n', o->out);
	}
	for (int i = 0; i < o->nr_held; i++)
		free(o->held[i].rel);
	o->nr_held = 0;
}

static void hold(struct locks_out *o, const struct lock *l)
{
	char *name = rel_name(l);

	for (int i = 0; i < o->nr_held; i++) {
		if (!strcmp(o->held[i].rel, name)) {
			if (l->mode > o->held[i].mode)
				o->held[i].mode = l->mode;
			free(name);
			return;
		}
	}
	ALLOC_GROW(o->held, (size_t)o->nr_held + 1, o->alloc_held);
	o->held[o->nr_held].rel = name;
	o->held[o->nr_held++].mode = l->mode;
}

/* The statement's first line, at most 72 characters. */
static char *headline(const struct stmt_report *r)
{
	const char *s = r->text + r->loc->start, *end = r->text + r->loc->end;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n = (size_t)((nl ? nl : end) - s);

	if (n > 72)
		return xstrfmt("%.69s...", s);
	return xstrndup(s, n);
}

static void new_file(struct locks_out *o, const struct stmt_report *r)
{
	flush_held(o);
	o->m = r->m;
	o->tx = 0;
	if (o->json) {
		json_t *f = json_pack("{s:s, s:s, s:[]}", "file", r->m->display, "transaction",
				      tx_mode_key(r->tx), "statements");

		json_array_append_new(o->files, f);
		o->cur = json_object_get(f, "statements");
		return;
	}
	fprintf(o->out, "%s%s  (%s)\n", o->files ? "\n" : "", r->m->display, tx_mode_text(r->tx));
	o->files = json_true();   /* text: marks "not the first file" */
}

static json_t *lock_json(const struct lock *l)
{
	char *name = rel_name(l);
	json_t *j = json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:s, s:s}", "relation", name,
			      "mode", lock_mode_pg_name(l->mode), "rewrite", l->rewrite,
			      "scan", l->scan, "new", l->is_new, "nowait", l->nowait,
			      "blocks", lock_mode_blocks(l->mode), "because", l->why ? l->why : "");

	free(name);
	return j;
}

static void observe_json(struct locks_out *o, const struct stmt_report *r)
{
	json_t *locks = json_array(), *st;
	char *sql = xstrndup(r->text + r->loc->start, r->loc->end - r->loc->start);

	for (int i = 0; i < r->locks->nr; i++)
		json_array_append_new(locks, lock_json(&r->locks->items[i]));
	st = json_pack("{s:i, s:i, s:i, s:i, s:s, s:o, s:o}", "line", r->loc->line,
		       "column", r->loc->col, "end_line", r->loc->end_line,
		       "end_column", r->loc->end_col, "sql", sql, "transaction",
		       r->transaction ? json_integer(r->transaction) : json_null(), "locks", locks);
	json_array_append_new(o->cur, st);
	free(sql);
}

static void observe_text(struct locks_out *o, const struct stmt_report *r)
{
	char *head = headline(r);

	if (r->transaction != o->tx) {
		flush_held(o);
		o->tx = r->transaction;
	}
	fprintf(o->out, "  %d:%d  %s", r->loc->line, r->loc->col, head);
	if (r->transaction)
		fprintf(o->out, "  [transaction %d]", r->transaction);
	fputc('\n', o->out);
	for (int i = 0; i < r->locks->nr; i++) {
		const struct lock *l = &r->locks->items[i];
		char *name = rel_name(l);

		fprintf(o->out, "      %-22s %s%s%s%s%s  blocks %s%s\n", lock_mode_name(l->mode), name,
			l->is_new ? " (new)" : "", l->rewrite ? "  rewrite" : "",
			l->scan ? "  scan" : "", l->nowait ? "  nowait" : "", lock_mode_blocks(l->mode),
			l->why ? "" : "");
		free(name);
		if (r->transaction)
			hold(o, l);
	}
	free(head);
}

static void observe(void *data, const struct stmt_report *r)
{
	struct locks_out *o = data;

	if (r->m != o->m)
		new_file(o, r);
	if (o->json)
		observe_json(o, r);
	else
		observe_text(o, r);
}

void locks_output_start(struct locks_output **out, FILE *f, bool json, struct lint_opts *lo)
{
	struct locks_out *o = xcalloc(1, sizeof(*o));

	o->out = f;
	o->json = json;
	if (json)
		o->files = json_array();
	lo->observer = observe;
	lo->observer_data = o;
	*out = (struct locks_output *)o;
}

int locks_output_finish(struct locks_output *lo)
{
	struct locks_out *o = (struct locks_out *)lo;
	int ret;

	flush_held(o);
	if (o->json) {
		json_t *doc = json_pack("{s:i, s:O}", "version", 1, "files", o->files);

		json_dumpf(doc, o->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', o->out);
		json_decref(doc);
	} else if (!o->files) {
		fputs("no statements in the lint range\n", o->out);
	}
	json_decref(o->files);
	free(o->held);
	ret = fflush(o->out) || ferror(o->out) ? -1 : 0;
	free(o);
	return ret;
}
