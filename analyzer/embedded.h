/*
 * embedded.h - files compiled into the binary by cmake/embed.cmake.
 */
#ifndef MIGSAFE_EMBEDDED_H
#define MIGSAFE_EMBEDDED_H

struct embedded_doc {
	const char *id;     /* rule id: the doc file's name without .md */
	const char *text;   /* the Markdown page */
};

/* Terminated by an entry with id == NULL. Sorted by id. */
extern const struct embedded_doc embedded_docs[];

/* analyzer/catalog.sql */
extern const char embedded_catalog_sql[];

#endif
