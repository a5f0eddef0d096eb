/*
 * pgprintf.c - libpg_query's pvsnprintf() and psprintf(), and its
 * StringInfo functions, with a short way for the formats its JSON
 * output uses.
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
 * appendStringInfo() is where the time went next: PostgreSQL's formats
 * into the room left through appendStringInfoVA() and pvsnprintf(), and
 * when the text did not fit, enlarges and formats it all again. Ours
 * writes a planned format straight into the buffer, in one pass, when
 * it surely fits (all but a few calls near the buffer's end); else it
 * runs PostgreSQL's loop, each try counting the text as it writes what
 * fits, so the buffer is enlarged as PostgreSQL's is: the same bytes,
 * len and maxlen (tests/test_pgstringinfo.c compares them with a copy
 * of PostgreSQL's stringinfo.c). The other StringInfo functions are
 * PostgreSQL 15's, their common case inline.
 *
 * How this replaces the archive's: libpg_query's src_common_psprintf.o
 * and src_common_stringinfo.o define exactly these functions. Linked
 * as part of our object files, ours satisfy the references of its other
 * objects before the archive is searched, so those members are never
 * taken (were one taken for another symbol, the link would fail on a
 * duplicate definition: loud, not wrong). Linked against the shared
 * libpg_query, ours interpose its calls or not; the text is the same
 * either way. StringInfoData is declared in pgprintf.h with the layout
 * libpg_query's objects were compiled with: they read and write its
 * fields themselves (appendStringInfoCharMacro()).
 *
 * Errors: PostgreSQL's pvsnprintf() raises elog(ERROR) when its printf
 * fails (a bad format, or more than INT_MAX bytes), and its
 * enlargeStringInfo() ereport(ERROR) past MaxAllocSize or for a
 * negative request. We cannot raise a PostgreSQL error without its
 * headers: pvsnprintf() answers with a length no buffer may have, and
 * enlargeStringInfo() (which that length reaches) asks palloc() for
 * more than MaxAllocSize, which raises libpg_query's own ERROR ("invalid
 * memory alloc request size", where PostgreSQL says "out of memory")
 * through the same longjmp; psprintf()'s palloc() raises it for the
 * length directly.
 */
#define _GNU_SOURCE   /* dl_iterate_phdr() */
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <setjmp.h>
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
void *repalloc(void *pointer, size_t size);
void pfree(void *pointer);

/* PostgreSQL's MaxAllocSize: the most palloc() gives, and a StringInfo
   holds (its text and NUL) */
#define MAX_ALLOC ((size_t)0x3fffffff)
/* more than MAX_ALLOC: see "Errors" above */
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

/* fmt's plan made and kept at its first use, in its empty slot: NULL
   when fmt may change (it is not in read-only memory) or another
   thread took the slot for another format. Once per format: not
   inlined into the lookup below. */
static __attribute__((noinline)) const struct plan *
plan_keep(const char *fmt, _Atomic(const struct plan *) *slot)
{
	const struct plan *p = NULL;
	struct plan *made;

	if (!read_only(fmt))
		return NULL;
	made = xmalloc(sizeof(*made));
	plan_make(made, fmt);
	if (atomic_compare_exchange_strong_explicit(slot, &p, made, memory_order_acq_rel,
						    memory_order_acquire))
		return made;
	free(made);                 /* another thread planned it first */
	return p->fmt == fmt ? p : NULL;
}

/* fmt's kept plan, made at its first use; NULL when fmt may change or
   its slot holds another format */
static inline const struct plan *plan_kept(const char *fmt)
{
	uintptr_t a = (uintptr_t)fmt;
	_Atomic(const struct plan *) *slot =
		&plans[(uint64_t)a * 0x9E3779B97F4A7C15u >> (64 - PLAN_BITS)];
	const struct plan *p = atomic_load_explicit(slot, memory_order_acquire);

	if (p)
		return p->fmt == fmt ? p : NULL;
	return plan_keep(fmt, slot);
}

/* fmt's plan: the kept one, or one made in *scratch */
static const struct plan *plan_for(const char *fmt, struct plan *scratch)
{
	const struct plan *p = plan_kept(fmt);

	if (p)
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

/* ---- StringInfo: PostgreSQL's src/common/stringinfo.c ---- */

/*
 * PostgreSQL raises an error where a string would pass MaxAllocSize or
 * a request is negative. We have no ereport(): we ask libpg_query's
 * palloc() for more than MaxAllocSize, which raises its own ERROR
 * ("invalid memory alloc request size") before it looks at its memory
 * context, through the same longjmp the original's would take.
 */
static NORETURN void refuse_enlargement(void)
{
	(void)palloc(MAX_ALLOC + 1);
	abort();   /* palloc() does not return; were it to, no overrun */
}

void enlargeStringInfo(StringInfo str, int needed)
{
	int newlen;

	if (needed < 0 || (size_t)needed >= MAX_ALLOC - (size_t)str->len)
		refuse_enlargement();
	needed += str->len + 1;   /* now <= MAX_ALLOC */
	if (needed <= str->maxlen)
		return;
	/* doubled, and more if needed is bigger; MAX_ALLOC <= INT_MAX / 2
	   keeps this from overflowing */
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > (int)MAX_ALLOC)
		newlen = (int)MAX_ALLOC;
	str->data = repalloc(str->data, (size_t)newlen);
	str->maxlen = newlen;
}

void initStringInfo(StringInfo str)
{
	str->data = palloc(1024);
	str->maxlen = 1024;
	resetStringInfo(str);
}

void resetStringInfo(StringInfo str)
{
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

/* the common case of the appends below inline: room for len bytes and
   the NUL (maxlen - len >= 1 always; a negative len fails the test and
   goes to enlargeStringInfo(), which refuses it) */
static inline void append_bytes(StringInfo str, const char *data, int len)
{
	if ((unsigned)len >= (unsigned)(str->maxlen - str->len))
		enlargeStringInfo(str, len);
	memcpy(str->data + str->len, data, (size_t)len);
	str->len += len;
	str->data[str->len] = '\0';
}

void appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
{
	append_bytes(str, data, datalen);
}

_Thread_local struct pgprintf_guard pgprintf_guard;

/* The writer's recursion at pgprintf_guard's floor: back to its caller. */
static inline void guard_stack(StringInfo str)
{
	if (pgprintf_guard.env &&
	    (uintptr_t)__builtin_frame_address(0) < pgprintf_guard.floor) {
		pgprintf_guard.out = str;
		longjmp(*pgprintf_guard.env, 1);
	}
}

void appendStringInfoString(StringInfo str, const char *s)
{
	guard_stack(str);
	append_bytes(str, s, (int)strlen(s));
}

void appendStringInfoChar(StringInfo str, char ch)
{
	guard_stack(str);
	if (str->len + 1 >= str->maxlen)
		enlargeStringInfo(str, 1);
	str->data[str->len] = ch;
	str->len++;
	str->data[str->len] = '\0';
}

void appendStringInfoSpaces(StringInfo str, int count)
{
	if (count <= 0)
		return;
	enlargeStringInfo(str, count);
	memset(str->data + str->len, ' ', (size_t)count);
	str->len += count;
	str->data[str->len] = '\0';
}

/*
 * As PostgreSQL's: fmt appended when it fits in the room left (0), else
 * str left as it was and the room to ask enlargeStringInfo() for; with
 * less than 16 bytes left it does not try, and asks for 32.
 */
int appendStringInfoVA(StringInfo str, const char *fmt, va_list args)
{
	int avail = str->maxlen - str->len;
	size_t nprinted;

	if (avail < 16)
		return 32;
	nprinted = pvsnprintf(str->data + str->len, (size_t)avail, fmt, args);
	if (nprinted < (size_t)avail) {
		str->len += (int)nprinted;
		return 0;
	}
	str->data[str->len] = '\0';
	return (int)nprinted;   /* <= TOO_LONG: fits an int */
}

/* ---- appendStringInfo() ---- */

/* the fast way's writers: each writes at d when it surely fits before
   end and returns the end of what it wrote, else returns NULL */

/* v's digits: counted first (most are a few), then written from the
   last */
static char *write_unsigned(char *d, const char *end, unsigned long v)
{
	unsigned long t = v;
	char *last = d + 1;

	if (end - d < 20)   /* ULONG_MAX's 20 digits */
		return NULL;
	for (; t >= 10000; t /= 10000)
		last += 4;
	last += (t >= 10) + (t >= 100) + (t >= 1000);
	d = last;
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	return last;
}

static char *write_signed(char *d, const char *end, long v)
{
	if (v >= 0)
		return write_unsigned(d, end, (unsigned long)v);
	if (d == end)
		return NULL;
	*d = '-';
	/* -(v + 1) + 1 keeps LONG_MIN defined */
	return write_unsigned(d + 1, end, (unsigned long)-(v + 1) + 1);
}

static char *write_str(char *d, const char *end, const char *s)
{
	for (; *s; s++) {
		if (d == end)
			return NULL;
		*d++ = *s;
	}
	return d;
}

static char *write_conv(char *d, const char *end, char conv, va_list *ap)
{
	const char *s;

	switch (conv) {
	case 'd': return write_signed(d, end, va_arg(*ap, int));
	case 'D': return write_signed(d, end, va_arg(*ap, long));
	case 'u': return write_unsigned(d, end, va_arg(*ap, unsigned int));
	case 'U': return write_unsigned(d, end, va_arg(*ap, unsigned long));
	case 's':
		s = va_arg(*ap, const char *);
		return write_str(d, end, s ? s : "(null)");   /* as PostgreSQL's */
	default:
		if (d == end)
			return NULL;
		*d = (char)va_arg(*ap, int);   /* a NUL too, as PostgreSQL's */
		return d + 1;
	}
}

/* k bytes of a plan's text at d, in whole COPY blocks (the text has
   room for the last), when they surely fit before end: the end of
   them, else NULL */
static inline char *write_text(char *d, const char *end, const char *t, size_t k)
{
	if ((size_t)(end - d) < k + COPY)
		return NULL;
	for (size_t j = 0; j < k; j += COPY)
		memcpy(d + j, t + j, COPY);
	return d + k;
}

/* p's text at d, when it surely fits before end: the end of it, else
   NULL (some of it written, and of ap read). Half of libpg_query's
   formats have no conversion ("\"relname\":", ","): their own way. */
static inline char *write_plan(char *d, const char *end, const struct plan *p, va_list *ap)
{
	const char *t = p->text;

	if (!p->nr_convs)
		return write_text(d, end, t, p->lit[0]);
	for (int i = 0;; i++) {
		if (!(d = write_text(d, end, t, p->lit[i])))
			return NULL;
		t += p->lit[i];
		if (i == p->nr_convs)
			return d;
		if (!(d = write_conv(d, end, p->conv[i], ap)))
			return NULL;
	}
}

/*
 * A planned format written straight into the room left, in one pass;
 * false when it might not fit (or PostgreSQL's would enlarge first,
 * with less than 16 bytes left), str left as it was (ap read): the
 * exact way below then does what PostgreSQL's does.
 */
static inline bool append_fast(StringInfo str, const struct plan *p, va_list *ap)
{
	char *start = str->data + str->len;
	char *d;

	if (str->maxlen - str->len < 16)
		return false;
	d = write_plan(start, str->data + str->maxlen - 1, p, ap);
	if (!d) {
		*start = '\0';
		return false;
	}
	*d = '\0';
	str->len += (int)(d - start);
	return true;
}

/* as appendStringInfoVA(), for a planned format: its text counted
   while what fits is written */
static size_t try_planned(StringInfo str, const struct plan *p, va_list *ap)
{
	int avail = str->maxlen - str->len;
	struct out o = { str->data + str->len, (size_t)avail - 1, 0 };

	if (avail < 16)
		return 32;
	run_plan(&o, p, ap);
	if (o.n < (size_t)avail) {
		o.buf[o.n] = '\0';
		str->len += (int)o.n;
		return 0;
	}
	str->data[str->len] = '\0';
	return o.n >= TOO_LONG ? TOO_LONG : o.n + 1;   /* as pvsnprintf() */
}

/* PostgreSQL's appendStringInfo() loop: try in the room left, enlarge
   by what that asked for, again; errno as it came, for %m. With a
   plan p, each try counts and writes without pvsnprintf(). */
static __attribute__((format(printf, 2, 0))) void
append_looping(StringInfo str, const char *fmt, const struct plan *p, va_list args)
{
	int save_errno = errno;

	for (;;) {
		size_t needed;
		va_list ap;

		errno = save_errno;
		va_copy(ap, args);
		if (p)
			needed = try_planned(str, p, &ap);
		else
			needed = (size_t)appendStringInfoVA(str, fmt, ap);
		va_end(ap);
		if (!needed)
			break;
		enlargeStringInfo(str, (int)needed);
	}
}

/*
 * As PostgreSQL's, which formats with pvsnprintf() into the room left
 * and, when the text did not fit, enlarges and formats it all again. A
 * planned format is written straight into the buffer in one pass, when
 * it surely fits; else (as rare as the buffer doubling) PostgreSQL's
 * loop runs, its tries counting the text: the same enlargements, so the
 * same maxlen, and the same bytes.
 */
void appendStringInfo(StringInfo str, const char *fmt, ...)
{
	const struct plan *p = plan_kept(fmt);
	va_list args;
	bool done;

	guard_stack(str);
	if (p && !p->ours)
		p = NULL;
	if (p) {
		va_start(args, fmt);
		done = append_fast(str, p, &args);
		va_end(args);
		if (done)
			return;
	}
	va_start(args, fmt);
	append_looping(str, fmt, p, args);
	va_end(args);
}
