/*
 * helpers.h - small pieces several rules share.
 */
#ifndef MIGSAFE_RULE_HELPERS_H
#define MIGSAFE_RULE_HELPERS_H

#include "engine.h"

/* "; it also removes constraint "x" on table "y", view "v"" */
void append_dropped(struct strbuf *sb, const struct change *ch);

#endif
