/*
 * inspect.h - the catalog after replay, as JSON (docs/inspect-json.md),
 * as DDL, or as an entity-relationship diagram (Mermaid, Graphviz dot).
 */
#ifndef MIGSAFE_INSPECT_H
#define MIGSAFE_INSPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "catalog.h"

struct inspect_opts {
	const char *format;          /* json, sql, mermaid, dot */
	bool include_tool_tables;    /* the migration tools' bookkeeping tables */
};

/* Is 'format' one inspect can write? */
bool inspect_format_known(const char *format);

/* Write the catalog to 'out'; 0, or -1 on a write error. */
int inspect_write(struct catalog *c, const struct inspect_opts *o, FILE *out);

#endif
