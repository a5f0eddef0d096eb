#include "finding.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"
#include "banned.h"

static const char *const severity_names[] = {
	[SEV_OFF] = "off",
	[SEV_NOTE] = "note",
	[SEV_WARNING] = "warning",
	[SEV_ERROR] = "error",
};

const char *severity_name(enum severity s)
{
	if ((unsigned)s >= ARRAY_SIZE(severity_names))
		BUG("bad severity %d", (int)s);
	return severity_names[s];
}

int severity_parse(const char *s, enum severity *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(severity_names); i++) {
		if (!strcmp(s, severity_names[i])) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}

void finding_list_init(struct finding_list *l)
{
	l->items = NULL;
	l->nr = 0;
	l->alloc = 0;
}

void finding_release(struct finding *f)
{
	free(f->message);
	free(f->object);
	free(f->snippet);
}

void finding_list_release(struct finding_list *l)
{
	int i;

	for (i = 0; i < l->nr; i++)
		finding_release(&l->items[i]);
	free(l->items);
	finding_list_init(l);
}

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * Everything after file, line, column and rule id only makes the order
 * total, so that output does not depend on qsort's instability.
 */
static int cmp_finding(const void *va, const void *vb)
{
	const struct finding *a = va, *b = vb;
	int c;

	if ((c = cmp_int(a->loc.file_index, b->loc.file_index)) ||
	    (c = cmp_int(a->loc.line, b->loc.line)) ||
	    (c = cmp_int(a->loc.col, b->loc.col)) ||
	    (c = cmp_str(a->rule ? a->rule->id : NULL,
			 b->rule ? b->rule->id : NULL)) ||
	    (c = cmp_int(a->loc.end_line, b->loc.end_line)) ||
	    (c = cmp_int(a->loc.end_col, b->loc.end_col)) ||
	    (c = cmp_str(a->object, b->object)) ||
	    (c = cmp_str(a->message, b->message)))
		return c;
	return (a->fingerprint > b->fingerprint) - (a->fingerprint < b->fingerprint);
}

void finding_list_sort(struct finding_list *l)
{
	if (l->nr > 1)
		qsort(l->items, (size_t)l->nr, sizeof(*l->items), cmp_finding);
}
