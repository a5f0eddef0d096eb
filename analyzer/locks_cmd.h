/*
 * locks_cmd.h - the output of 'migsafe locks'. Hooks an observer into
 * the lint run (lint_opts.observer) and writes text or JSON.
 */
#ifndef MIGSAFE_LOCKS_CMD_H
#define MIGSAFE_LOCKS_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "engine.h"

struct locks_output;

/* Set up; installs the observer in 'lo'. */
void locks_output_start(struct locks_output **out, FILE *f, bool json, struct lint_opts *lo);
/* Write what remains and free; 0, or -1 on a write error. */
int locks_output_finish(struct locks_output *o);

#endif
