/*
 * pgprintf.c - libpg_query's pvsnprintf() and psprintf(), with a short
 * way for the formats its JSON output uses.
 *
 * pg_query_parse() writes its JSON through appendStringInfo(), one call
 * per field ("\"location\":%d,", "\"relname\":\"%s\","): about fifty
 * calls per statement, each through PostgreSQL's own printf (dopr()),
 * which costs some 230 instructions for a field and was an eighth of
 * everything migsafe runs. A format made only of text, %s, %d, %u, %ld,
 * %lu, %c and %% is read once into a plan (its text with the
 * %% folded in, and its conversions), found again by the format's
 * address: libpg_query's formats are string literals. Only a format in
 * read-only memory (a loaded object's segment without write access) is
 * kept, so that an address cannot come back with other text. Any other
 * format goes to PostgreSQL's pg_vsnprintf() as before. The text is the
 * same byte for byte (tests/test_pgprintf.c compares the two).
 *
 * How this replaces the archive's: libpg_query's src_common_psprintf.o
 * defines exactly these two functions. Linked as part of our object
 * files, ours satisfy stringinfo.o's references before the archive is
 * searched, so its member is never taken (were it taken for another
 * symbol, the link would fail on a duplicate definition: loud, not
 * wrong). Linked against the shared libpg_query, ours interpose its
 * calls or not; the text is the same either way.
 *
 * Errors: PostgreSQL's pvsnprintf() raises elog(ERROR) when its printf
 * fails (a bad format, or more than INT_MAX bytes). We cannot raise a
 * PostgreSQL error without its headers, so we answer with a length no
 * buffer may have: appendStringInfo()'s enlargeStringInfo() and
 * psprintf()'s palloc() then raise it ("out of memory"), which
 * pg_query_parse() returns as a parse error like any other.
 */
#define _GNU_SOURCE   /* dl_iterate_phdr() */
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pgprintf.h"
#include "util.h"

#include "banned.h"

/* libpg_query's own, from its archive (no header of theirs is shipped) */
int pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args);
void *palloc(size_t size);
void pfree(void *pointer);

/* more than MaxAllocSize (1 GB - 1): see "Errors" above */
#define TOO_LONG ((size_t)0x7fffffff)

#define PLAN_BITS 10      /* 1,024 slots (8 KB): ~300 formats in use, few
                             collisions (256 cost 4% more instructions) */
#define PLANS (1 << PLAN_BITS)
#define PLAN_CONVS 4      /* conversions in a plan */
#define PLAN_TEXT 48      /* a plan's text, %% folded */
#define COPY 16           /* text is copied COPY bytes at a time */

/*
 * A format read once: text[] is its text without the conversions,
 * lit[i] bytes of it before conversion i, lit[nr_convs] after the last.
 * conv[i]: d (int), D (long), u (unsigned), U (unsigned long), s, c.
 * text[] has COPY bytes of room past PLAN_TEXT: whole blocks are read.
 */
struct plan {
	const char *fmt;          /* NULL: slot empty */
	bool ours;                /* false: pg_vsnprintf() does this one */
	uint8_t nr_convs;
	uint8_t lit[PLAN_CONVS + 1];
	char conv[PLAN_CONVS];
	char text[PLAN_TEXT + COPY];
};

/*
 * The plans, shared by the threads: a slot is set once, to a plan that
 * never changes after and is never freed (one per format, a few
 * hundred), so a thread that loads a slot's pointer may read the plan
 * without a lock. A format whose slot another holds is planned again at
 * each call, in the caller's scratch plan.
 */
static _Atomic(const struct plan *) plans[PLANS];

struct out {
	char *buf;
	size_t cap;   /* bytes buf may take before its NUL */
	size_t n;     /* bytes the whole text takes, written or not */
};

/* ---- reading a format ---- */

/* the conversion at f (just past a '%'), its letter in *conv; the
   length of its spec, 0 when it is not one of ours */
static size_t spec(const char *f, char *conv)
{
	bool l = f[0] == 'l';

	switch (f[l]) {
	case 'd':
		*conv = l ? 'D' : 'd';
		return 1 + l;
	case 'u':
		*conv = l ? 'U' : 'u';
		return 1 + l;
	case 's': case 'c': case '%':
		*conv = f[l];
		return l ? 0 : 1;
	default:
		return 0;
	}
}

static void plan_make(struct plan *p, const char *fmt)
{
	size_t t = 0, mark = 0;
	const char *f = fmt;

	memset(p, 0, sizeof(*p));
	p->fmt = fmt;
	while (*f) {
		char conv;
		size_t k;

		if (*f != '%') {
			if (t == PLAN_TEXT)
				return;
			p->text[t++] = *f++;
			continue;
		}
		if (!(k = spec(f + 1, &conv)))
			return;
		f += 1 + k;
		if (conv == '%') {
			if (t == PLAN_TEXT)
				return;
			p->text[t++] = '%';
			continue;
		}
		if (p->nr_convs == PLAN_CONVS)
			return;
		p->lit[p->nr_convs] = (uint8_t)(t - mark);
		p->conv[p->nr_convs++] = conv;
		mark = t;
	}
	p->lit[p->nr_convs] = (uint8_t)(t - mark);
	p->ours = true;
}

/* ---- read-only memory: where formats that are kept live ---- */

#define RO_SPANS 64

static struct { uintptr_t lo, hi; } ro_spans[RO_SPANS];
static int nr_ro_spans;
static pthread_once_t ro_once = PTHREAD_ONCE_INIT;

static int add_ro_spans(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum && nr_ro_spans < RO_SPANS; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
			continue;
		ro_spans[nr_ro_spans].lo = info->dlpi_addr + ph->p_vaddr;
		ro_spans[nr_ro_spans].hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		nr_ro_spans++;
	}
	return 0;
}

static void find_ro_spans(void)
{
	dl_iterate_phdr(add_ro_spans, NULL);
}

static bool read_only(const char *s)
{
	uintptr_t a = (uintptr_t)s;

	pthread_once(&ro_once, find_ro_spans);
	for (int i = 0; i < nr_ro_spans; i++)
		if (a >= ro_spans[i].lo && a < ro_spans[i].hi)
			return true;
	return false;
}

/* fmt's plan: the kept one, or one made in *scratch for a format that
   may change (not in read-only memory) or whose slot is taken */
static const struct plan *plan_for(const char *fmt, struct plan *scratch)
{
	uintptr_t a = (uintptr_t)fmt;
	_Atomic(const struct plan *) *slot =
		&plans[(uint64_t)a * 0x9E3779B97F4A7C15u >> (64 - PLAN_BITS)];
	const struct plan *p = atomic_load_explicit(slot, memory_order_acquire);
	struct plan *made;

	if (p && p->fmt == fmt)
		return p;
	if (p || !read_only(fmt)) {
		plan_make(scratch, fmt);
		return scratch;
	}
	made = xmalloc(sizeof(*made));
	plan_make(made, fmt);
	if (atomic_compare_exchange_strong_explicit(slot, &p, made, memory_order_acq_rel,
						    memory_order_acquire))
		return made;
	free(made);                 /* another thread planned it first */
	if (p->fmt == fmt)
		return p;
	plan_make(scratch, fmt);
	return scratch;
}

/* ---- writing ---- */

/* k bytes of a plan's text (readable to a whole COPY block past k) */
static void put_text(struct out *o, const char *s, size_t k)
{
	if (o->n + PLAN_TEXT + COPY <= o->cap) {
		for (size_t i = 0; i < k; i += COPY)
			memcpy(o->buf + o->n + i, s + i, COPY);
	} else {
		for (size_t i = 0; i < k; i++)
			if (o->n + i < o->cap)
				o->buf[o->n + i] = s[i];
	}
	o->n += k;
}

/* a string up to its NUL: these are short, a loop costs less than
   strlen() and memcpy() */
static void put_str(struct out *o, const char *s)
{
	size_t n = o->n;

	for (; *s; s++, n++)
		if (n < o->cap)
			o->buf[n] = *s;
	o->n = n;
}

static void put_unsigned(struct out *o, unsigned long long v, bool minus)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (minus)
		digits[--i] = '-';
	for (; i < sizeof(digits); i++, o->n++)
		if (o->n < o->cap)
			o->buf[o->n] = digits[i];
}

static void put_signed(struct out *o, long long v)
{
	/* -(v + 1) + 1 keeps LLONG_MIN defined */
	if (v < 0)
		put_unsigned(o, (unsigned long long)-(v + 1) + 1, true);
	else
		put_unsigned(o, (unsigned long long)v, false);
}

static void put_conv(struct out *o, char conv, va_list *ap)
{
	const char *s;

	switch (conv) {
	case 'd': put_signed(o, va_arg(*ap, int)); break;
	case 'D': put_signed(o, va_arg(*ap, long)); break;
	case 'u': put_unsigned(o, va_arg(*ap, unsigned int), false); break;
	case 'U': put_unsigned(o, va_arg(*ap, unsigned long), false); break;
	case 's':
		s = va_arg(*ap, const char *);
		put_str(o, s ? s : "(null)");   /* as PostgreSQL's does */
		break;
	default:
		if (o->n < o->cap)   /* a NUL too, as PostgreSQL's */
			o->buf[o->n] = (char)va_arg(*ap, int);
		else
			(void)va_arg(*ap, int);
		o->n++;
		break;
	}
}

static void run_plan(struct out *o, const struct plan *p, va_list *ap)
{
	const char *t = p->text;

	for (int i = 0; i < p->nr_convs; i++) {
		put_text(o, t, p->lit[i]);
		t += p->lit[i];
		put_conv(o, p->conv[i], ap);
	}
	put_text(o, t, p->lit[p->nr_convs]);
}

/*
 * As PostgreSQL's: format into buf (len bytes, NUL included); the
 * length of the text when it fit, else the room it needs, NUL included.
 */
size_t pvsnprintf(char *buf, size_t len, const char *fmt, va_list args)
{
	struct plan scratch;
	const struct plan *p = plan_for(fmt, &scratch);
	struct out o = { buf, len ? len - 1 : 0, 0 };
	va_list ap;
	int n;

	if (!p->ours) {
		n = pg_vsnprintf(buf, len, fmt, args);
		if (n < 0)
			return TOO_LONG;
		return (size_t)n < len ? (size_t)n : (size_t)n + 1;
	}
	va_copy(ap, args);
	run_plan(&o, p, &ap);
	va_end(ap);
	if (len)
		buf[o.n < len ? o.n : len - 1] = '\0';
	if (o.n >= TOO_LONG)
		return TOO_LONG;
	return o.n < len ? o.n : o.n + 1;
}
/* As PostgreSQL's: the text of fmt in memory from palloc(). */
char *psprintf(const char *fmt, ...)
{
	int save_errno = errno;
	size_t len = 128;

	for (;;) {
		char *result = palloc(len);
		size_t need;
		va_list args;

		errno = save_errno;
		va_start(args, fmt);
		need = pvsnprintf(result, len, fmt, args);
		va_end(args);
		if (need < len)
			return result;
		pfree(result);
		len = need;
	}
}
