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
	free(s->by_target);
	free(s->file_level);
	free(s->file_hits);
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

/*
 * The statement a directive at [start, end) applies to, or -1. The
 * statements are in order and apart, so none before the last one that
 * starts at or before 'start' can be it: the search begins there (from
 * the first statement, a file of 30,000 directives each before its
 * statement took 36 s).
 */
static int target_of(const struct stmt_list *l, const struct source_file *src, size_t start,
		     size_t end)
{
	int line = source_pos(src, start).line;
	int lo = 0, hi = l->nr - 1;

	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;

		if (l->stmts[mid].start <= start)
			lo = mid;
		else
			hi = mid - 1;
	}
	for (int i = lo; i < l->nr; i++) {
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

/* Mark directive d used for rule 'id' if it names it; does it? */
static bool mark(struct directive *d, const char *id)
{
	int k = names(d, id);

	if (k == -1)
		return false;
	d->used = true;
	if (k >= 0)
		d->id_used[k] = true;
	return true;
}

/* suppressions_match()'s index of the items (suppress.h). */
static void index_items(struct suppressions *s)
{
	free(s->by_target);
	free(s->file_level);
	s->by_target = xcalloc((size_t)s->nr + 1, sizeof(*s->by_target));
	s->file_level = xcalloc((size_t)s->nr + 1, sizeof(*s->file_level));
	s->nr_by_target = s->nr_file_level = s->nr_file_hits = 0;
	for (int i = 0; i < s->nr; i++) {
		if (s->items[i].file_level)
			s->file_level[s->nr_file_level++] = i;
		else
			s->by_target[s->nr_by_target++] = (struct keyed_pos){
				s->items[i].target_start, i };
	}
	qsort(s->by_target, (size_t)s->nr_by_target, sizeof(*s->by_target), keyed_pos_cmp);
	s->indexed = s->nr;
}

/* The file-level directives for rule 'id', marked the first time only. */
static bool file_level_match(struct suppressions *s, const char *id)
{
	bool hit = false;

	if (!s->nr_file_level)
		return false;
	for (int i = 0; i < s->nr_file_hits; i++)
		if (!strcmp(s->file_hits[i].id, id))
			return s->file_hits[i].hit;
	for (int i = 0; i < s->nr_file_level; i++)
		hit |= mark(&s->items[s->file_level[i]], id);
	ALLOC_GROW(s->file_hits, (size_t)s->nr_file_hits + 1, s->alloc_file_hits);
	s->file_hits[s->nr_file_hits].id = id;
	s->file_hits[s->nr_file_hits++].hit = hit;
	return hit;
}

/*
 * Every directive that covers 'offset' and names 'id' is marked used.
 * Each finding read every directive of its file: 30,000 findings under
 * 30,000 file-level directives took 4 s. The statement-level ones are
 * found by their target, which do not overlap (a statement's); rule
 * ids come from the registry and outlive the run.
 */
bool suppressions_match(struct suppressions *s, const char *id, size_t offset)
{
	bool hit;
	int lo;

	if (!s->nr)
		return false;
	if (s->indexed != s->nr)
		index_items(s);
	hit = file_level_match(s, id);
	/* the last directive whose target starts at or before offset, and
	   back while the targets still reach it */
	lo = (int)keyed_pos_lower(s->by_target, (size_t)s->nr_by_target, (uint64_t)offset + 1);
	while (--lo >= 0) {
		struct directive *d = &s->items[s->by_target[lo].pos];

		if (d->target_end < offset)
			break;
		hit |= mark(d, id);
	}
	return hit;
}
