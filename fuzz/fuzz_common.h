/*
 * fuzz_common.h - what the libFuzzer targets share: a private temporary
 * directory, writing an input into it as a file, and running every
 * reporter over a lint result. Fuzzing only; never part of migsafe.
 */
#ifndef MIGSAFE_FUZZ_COMMON_H
#define MIGSAFE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "discover.h"
#include "engine.h"
#include "finding.h"

/* The target's temporary directory (created once, removed at exit). */
const char *fuzz_dir(void);

/* Write data[0..size) to fuzz_dir()/name; returns the path (static). */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);

/*
 * Lint 'dir' with 'opts' (discovery as the CLI does it) and feed the
 * findings to every reporter reporter_names() lists, writing to
 * /dev/null, the way the CLI streams them (lint_opts.sink: each finding
 * is freed once the reporters have seen it). Returns lint_run's result,
 * or -1 when discovery failed.
 */
int fuzz_lint_dir(const char *dir, const struct lint_opts *opts);

#endif
