/*
 * git.h - what a CI gate needs from git: which migration files a branch
 * added or changed since it left the base branch. git is run as a child
 * process (no shell); nothing is written.
 */
#ifndef MIGSAFE_GIT_H
#define MIGSAFE_GIT_H

#include "discover.h"

/*
 * Mark the history against 'base' (a ref, branch or commit): files
 * added since the merge base of base and HEAD (committed, staged,
 * unstaged or untracked) are in the lint range (base_state ADDED);
 * files that existed at the merge base and differ now are MODIFIED
 * (replayed as applied, and reported); the rest UNCHANGED and out of
 * range. Returns 0, or -1 after one message (not a git repository,
 * unknown ref, git missing).
 */
int git_mark_base(struct history *h, const char *base);

#endif
