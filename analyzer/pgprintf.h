#ifndef MIGSAFE_PGPRINTF_H
#define MIGSAFE_PGPRINTF_H
/*
 * pgprintf.h - libpg_query's pvsnprintf() and psprintf(), and its
 * StringInfo functions, replaced by ours (pgprintf.c says how and why).
 * Declared here for the tests; the rest of migsafe never calls them.
 */
#include <stdarg.h>
#include <stddef.h>

#include "pgguard.h"

/* fmt formatted into buf (len bytes, NUL included, written only when
   len > 0): the text's length when it fit, else the room it needs
   with its NUL (>= len); 0x7fffffff when the text cannot be made */
size_t pvsnprintf(char *buf, size_t len, const char *fmt, va_list args);

/* fmt formatted into memory from libpg_query's palloc() (its current
   memory context owns it); only valid inside a libpg_query call */
char *psprintf(const char *fmt, ...);

/* PostgreSQL's (lib/stringinfo.h), the layout libpg_query was compiled
   with: data[len] is a NUL, maxlen the bytes allocated (palloc()) */
typedef struct StringInfoData {
	char *data;
	int len;
	int maxlen;
	int cursor;
} StringInfoData;
typedef StringInfoData *StringInfo;

/* As PostgreSQL 15's src/common/stringinfo.c; memory from palloc(), so
   only valid inside a libpg_query call (or its memory context) */
void initStringInfo(StringInfo str);
void resetStringInfo(StringInfo str);
void appendStringInfo(StringInfo str, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* 0 when appended, else the room to enlarge by (str unchanged) */
int appendStringInfoVA(StringInfo str, const char *fmt, va_list args)
	__attribute__((format(printf, 2, 0)));
void appendStringInfoString(StringInfo str, const char *s);
void appendStringInfoChar(StringInfo str, char ch);
void appendStringInfoSpaces(StringInfo str, int count);
void appendBinaryStringInfo(StringInfo str, const char *data, int datalen);
/* room for needed more bytes and a NUL; past MaxAllocSize (1 GB - 1)
   or negative: libpg_query's error, raised by its palloc() */
void enlargeStringInfo(StringInfo str, int needed);

#endif
