#ifndef MIGSAFE_PGGUARD_H
#define MIGSAFE_PGGUARD_H
/*
 * pgguard.h - a bound on the stack of libpg_query's JSON writer.
 *
 * The writer recurses once per level of the tree, and a left-deep
 * expression has as many levels as operators: 1+1+...+1 with 200,000
 * of them overflowed the stack and killed the run. While 'env' is set,
 * our appendStringInfo(), appendStringInfoString() and
 * appendStringInfoChar() (pgprintf.c), which the writer calls at every
 * level, store their StringInfo in 'out' and longjmp(*env, 1) once the
 * stack is below 'floor'. Set and cleared by parse_node.c around its
 * calls of the writer, on the calling thread; what the writer had
 * allocated is left to libpg_query's memory context.
 *
 * Apart from pgprintf.h so that parse_node.c, which has PostgreSQL's
 * own StringInfo declarations, can include it.
 */
#include <setjmp.h>
#include <stdint.h>

struct pgprintf_guard {
	jmp_buf *env;              /* NULL: no bound */
	uintptr_t floor;
	void *out;                 /* the StringInfo written to when it jumped */
};

extern _Thread_local struct pgprintf_guard pgprintf_guard;

#endif
