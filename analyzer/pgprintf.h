#ifndef MIGSAFE_PGPRINTF_H
#define MIGSAFE_PGPRINTF_H
/*
 * pgprintf.h - libpg_query's pvsnprintf() and psprintf(), replaced by
 * ours (pgprintf.c says how and why). Declared here for the tests; the
 * rest of migsafe never calls them.
 */
#include <stdarg.h>
#include <stddef.h>

/* fmt formatted into buf (len bytes, NUL included, written only when
   len > 0): the text's length when it fit, else the room it needs
   with its NUL (>= len); 0x7fffffff when the text cannot be made */
size_t pvsnprintf(char *buf, size_t len, const char *fmt, va_list args);

/* fmt formatted into memory from libpg_query's palloc() (its current
   memory context owns it); only valid inside a libpg_query call */
char *psprintf(const char *fmt, ...);

#endif
