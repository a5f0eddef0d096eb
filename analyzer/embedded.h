/*
 * embedded.h - files compiled into the binary by cmake/embed.cmake.
 */
#ifndef MIGSAFE_EMBEDDED_H
#define MIGSAFE_EMBEDDED_H

#include <stddef.h>

struct embedded_doc {
	const char *id;     /* rule id: the doc file's name without .md */
	const char *text;   /* the Markdown page */
};

/* Terminated by an entry with id == NULL. Sorted by id. */
extern const struct embedded_doc embedded_docs[];

/* analyzer/catalog.sql */
extern const char embedded_catalog_sql[];

/* The empty catalog catalog.sql creates, as an SQLite database image
   (tools/catalog_image.c, at build time). */
extern const unsigned char embedded_catalog_image[];
extern const size_t embedded_catalog_image_len;

#endif
