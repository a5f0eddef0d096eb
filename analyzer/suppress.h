/*
 * suppress.h - suppression comments.
 *
 *   -- migsafe:ignore id[, id...] [reason]    the statement after the
 *                                            comment (or the one the
 *                                            comment ends or sits in)
 *   -- migsafe:ignore-file id[, id...]       every statement of the file
 *   -- squawk-ignore id[, id...]             squawk's, through the id
 *   -- squawk-ignore-file [id...]            mapping on each rule's doc
 *   -- atlas:nolint [CODE ...]               page ("squawk:" / "atlas:")
 *
 * Block comments work too. An unused migsafe directive is reported as
 * unused-suppression.
 */
#ifndef MIGSAFE_SUPPRESS_H
#define MIGSAFE_SUPPRESS_H

#include <stdbool.h>

#include "ast.h"
#include "finding.h"

struct source_file;

struct directive {
	bool file_level;
	bool all;                  /* every rule (squawk-ignore-file, atlas:nolint) */
	bool own;                  /* a migsafe: directive (reported when unused) */
	bool used;
	char **ids;                /* migsafe rule ids (mapped), owned */
	bool *id_used;             /* per id: it suppressed something */
	int nr_ids;
	char *unknown;             /* an id that names no rule, owned, or NULL */
	size_t target_start, target_end;   /* the statement it applies to */
	struct loc loc;            /* the comment */
};

struct suppressions {
	struct directive *items;
	int nr;
	size_t alloc;
	/* suppressions_match()'s index, made for the items as they are at
	   its first call (remade when more come): the statement-level
	   directives by target_start, and per rule id whether the
	   file-level ones suppress it (matching them again marks nothing
	   new). All owned; file_hits is allocated only for a file with
	   file-level directives (a fixed array in each of 10,000 files'
	   structs cost 10 MB). */
	struct keyed_pos *by_target;       /* key: target_start */
	int nr_by_target, *file_level, nr_file_level, indexed;
	struct file_hit { const char *id; bool hit; } *file_hits;
	int nr_file_hits;
	size_t alloc_file_hits;
};

/* the engine holds one per file of the history (10,000 files: 0.8 MB) */
_Static_assert(sizeof(struct suppressions) <= 96, "struct suppressions grew");

void suppressions_init(struct suppressions *s);
void suppressions_release(struct suppressions *s);

/* Find the directives of one parsed file. */
void suppressions_collect(struct suppressions *s, const struct stmt_list *l,
			  const struct source_file *src, int file_index);

/* Is a finding of rule 'id' at byte 'offset' suppressed? Marks the
   directive used. */
bool suppressions_match(struct suppressions *s, const char *id, size_t offset);

#endif
