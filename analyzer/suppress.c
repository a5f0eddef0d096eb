/*
 * suppress.c - find suppression directives in comments and attach them
 * to statements.
 */
#include "suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "source.h"
#include "banned.h"

void suppressions_init(struct suppressions *s)
{
	memset(s, 0, sizeof(*s));
}

void suppressions_release(struct suppressions *s)
{
	for (int i = 0; i < s->nr; i++) {
		for (int j = 0; j < s->items[i].nr_ids; j++)
			free(s->items[i].ids[j]);
		free(s->items[i].ids);
		free(s->items[i].id_used);
		free(s->items[i].unknown);
	}
	free(s->items);
	suppressions_init(s);
}

/* Does 'list' (a doc header value "a, b, c") contain 'id'? */
static bool list_has(const char *list, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = list; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!strncmp(p, id, n) && (!p[n] || p[n] == ',' || p[n] == ' '))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

static void grow_used(struct directive *d)
{
	d->id_used = xrealloc(d->id_used, sizeof(*d->id_used) * ((size_t)d->nr_ids + 1));
	for (int i = 0; i <= d->nr_ids; i++)
		if (i >= d->nr_ids)
			d->id_used[i] = false;
}

/*
 * Map another tool's id to migsafe's rules, through the "squawk:" and
 * "atlas:" lines of the doc pages. Adds every rule that lists it.
 */
static int map_foreign(struct directive *d, const char *tool, const char *id)
{
	int found = 0;

	for (int i = 0; i < NR_RULES; i++) {
		char *list = rule_doc_field(&rule_table[i], tool);

		if (list && list_has(list, id)) {
			grow_used(d);
			d->ids = xrealloc(d->ids, sizeof(*d->ids) * ((size_t)d->nr_ids + 1));
			d->ids[d->nr_ids++] = xstrdup(rule_table[i].id);
			found++;
		}
		free(list);
	}
	return found;
}

static void add_id(struct directive *d, const char *tool, const char *id)
{
	grow_used(d);
	if (!strcmp(tool, "migsafe")) {
		if (!rule_by_id(id)) {
			if (!d->unknown)
				d->unknown = xstrdup(id);
			return;
		}
		d->ids = xrealloc(d->ids, sizeof(*d->ids) * ((size_t)d->nr_ids + 1));
		d->ids[d->nr_ids++] = xstrdup(id);
		return;
	}
	map_foreign(d, tool, id);
}

static bool id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/*
 * Rule ids after the directive: the first word, then each word that
 * follows a comma ("drop-column, drop-table archived in #42"); for Atlas,
 * every word (codes are separated by spaces).
 */
static void parse_ids(struct directive *d, const char *tool, const char *p, bool spaces)
{
	bool more = true;

	while (more) {
		const char *start;
		char *id;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (id_char(*p))
			p++;
		if (p == start)
			break;
		id = xstrndup(start, (size_t)(p - start));
		add_id(d, tool, id);
		free(id);
		while (*p == ' ' || *p == '\t')
			p++;
		more = *p == ',' || (spaces && id_char(*p));
		if (*p == ',')
			p++;
	}
}

struct keyword {
	const char *word;
	const char *tool;
	bool file_level;
	bool spaces;
};

static const struct keyword keywords[] = {
	{ "migsafe:ignore-file", "migsafe", true, false },
	{ "migsafe:ignore", "migsafe", false, false },
	{ "squawk-ignore-file", "squawk", true, false },
	{ "squawk-ignore", "squawk", false, false },
	{ "atlas:nolint", "atlas", false, true },
};

/* Parse a comment; 0 when it is a directive (filled into *d). */
static int parse_directive(const char *text, struct directive *d)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++) {
		const struct keyword *k = &keywords[i];
		size_t n = strlen(k->word);

		if (strncmp(text, k->word, n) || id_char(text[n]))
			continue;
		memset(d, 0, sizeof(*d));
		d->file_level = k->file_level;
		d->own = !strcmp(k->tool, "migsafe");
		parse_ids(d, k->tool, text + n, k->spaces);
		d->all = !d->nr_ids && !d->unknown && !d->own;
		return 0;
	}
	return -1;
}

/* The statement a directive at [start, end) applies to, or -1. */
static int target_of(const struct stmt_list *l, const struct source_file *src, size_t start,
		     size_t end)
{
	int line = source_pos(src, start).line;

	for (int i = 0; i < l->nr; i++) {
		const struct stmt *st = &l->stmts[i];

		/* inside the statement: a formatter moved it there */
		if (start >= st->start && start < st->end)
			return i;
		/* at the end of the statement's last line */
		if (start >= st->end && source_pos(src, st->end).line == line &&
		    (i + 1 == l->nr || l->stmts[i + 1].start >= end))
			return i;
		if (st->start >= end)
			return i;   /* the next statement */
	}
	return -1;
}

void suppressions_collect(struct suppressions *s, const struct stmt_list *l,
			  const struct source_file *src, int file_index)
{
	for (int i = 0; i < l->nr_comments; i++) {
		const struct sql_comment *c = &l->comments[i];
		struct directive d;
		struct srcpos a, b;
		int t;

		if (!c->text || parse_directive(c->text, &d))
			continue;
		a = source_pos(src, c->start);
		b = source_pos(src, c->end);
		d.loc.file_index = file_index;
		d.loc.start = c->start;
		d.loc.end = c->end;
		d.loc.line = a.line;
		d.loc.col = a.col;
		d.loc.end_line = b.line;
		d.loc.end_col = b.col;
		t = d.file_level ? -1 : target_of(l, src, c->start, c->end);
		if (t >= 0) {
			d.target_start = l->stmts[t].start;
			d.target_end = l->stmts[t].end;
		} else if (!d.file_level) {
			d.target_start = d.target_end = (size_t)-1;   /* applies to nothing */
		}
		ALLOC_GROW(s->items, (size_t)s->nr + 1, s->alloc);
		s->items[s->nr++] = d;
	}
}

/* The index of 'id' in the directive's list, -2 for "all", -1 if absent. */
static int names(const struct directive *d, const char *id)
{
	if (d->all)
		return -2;
	for (int i = 0; i < d->nr_ids; i++)
		if (!strcmp(d->ids[i], id))
			return i;
	return -1;
}

bool suppressions_match(struct suppressions *s, const char *id, size_t offset)
{
	bool hit = false;

	for (int i = 0; i < s->nr; i++) {
		struct directive *d = &s->items[i];

		int k = names(d, id);

		if (k == -1)
			continue;
		if (d->file_level || (offset >= d->target_start && offset <= d->target_end)) {
			d->used = true;
			if (k >= 0)
				d->id_used[k] = true;
			hit = true;
		}
	}
	return hit;
}
