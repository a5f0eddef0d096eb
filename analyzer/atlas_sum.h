/*
 * atlas_sum.h - verify an Atlas migration directory against its
 * atlas.sum the way 'atlas migrate validate' does: each file's hash is a
 * running SHA-256 over every earlier file's name and content, so an
 * edited migration changes its own line and all later ones.
 */
#ifndef MIGSAFE_ATLAS_SUM_H
#define MIGSAFE_ATLAS_SUM_H

#include "discover.h"

/* Called once per problem, with the history index of the migration it
   concerns and a message naming atlas.sum's line. */
typedef void (*atlas_sum_fn)(void *data, int file_index, const char *message);

/* Check every Atlas directory of the history that has an atlas.sum. */
void atlas_sum_check(const struct history *h, atlas_sum_fn fn, void *data);

#endif
