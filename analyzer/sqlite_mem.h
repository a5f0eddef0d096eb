/*
 * sqlite_mem.h - SQLite's memory for a program that uses SQLite from one
 * thread.
 *
 * Debian builds SQLite without its lookaside allocator, so each cursor,
 * record and value a statement uses is a malloc() and a free() of its
 * own. These methods keep freed blocks of up to SQLITE_MEM_SMALL bytes
 * on free lists by size class (16-byte steps), carved from 64 KB chunks
 * that go back only at sqlite3_shutdown(); larger blocks are malloc()'s.
 * Every block carries its size in a 16-byte header, so the payload is
 * aligned as malloc()'s is.
 *
 * Not thread-safe: install them only with SQLITE_CONFIG_SINGLETHREAD (or
 * where one thread alone ever calls SQLite).
 */
#ifndef MIGSAFE_SQLITE_MEM_H
#define MIGSAFE_SQLITE_MEM_H

#include <sqlite3.h>

#define SQLITE_MEM_SMALL 512

/* The methods (static storage; for sqlite3_config() and for tests). */
const sqlite3_mem_methods *sqlite_mem_methods(void);

#endif
