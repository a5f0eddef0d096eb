#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

#define HUGE_BLOCK ((size_t)2 << 20)     /* a transparent huge page */
#if defined(__linux__) && !defined(MADV_COLLAPSE)
#define MADV_COLLAPSE 25                  /* Linux 6.1; glibc 2.36 lacks it */
#endif

static NORETURN void oom(size_t n)
{
	fprintf(stderr, "migsafe: fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

/*
 * Fault-ahead (memory_fault_ahead() in util.h). The heap's huge pages
 * (memory_huge_heap()) are heap_lo..heap_hi, set once (atomic: the
 * report's writer thread may be allocating already, and sees 0..0
 * until then); heap_high is the end of the highest block handed out
 * there so far, as the allocating thread saw it (a lost update only
 * leaves it lower). heap_faulted, under fault_lock, is where the
 * faulting stopped.
 */
#if defined(__linux__) && defined(MADV_POPULATE_WRITE) && !UNDER_ASAN
#define FAULT_AHEAD 1
#else
#define FAULT_AHEAD 0
#endif
static _Atomic uintptr_t heap_lo, heap_hi, heap_high;
static uintptr_t heap_faulted;
static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;

/* Where a block of memory written up to 'high' will be written next,
   from 'from' on, faulted in: the rest of the huge page 'high' is in
   and, from halfway through it, the next one. Returns where the
   faulting stopped ('from' if it did nothing); never past 'end'. */
static uintptr_t fault_ahead(uintptr_t from, uintptr_t high, uintptr_t end)
{
#if FAULT_AHEAD
	uintptr_t page = high & ~(uintptr_t)(HUGE_BLOCK - 1);
	uintptr_t to = (high + HUGE_BLOCK / 2 + HUGE_BLOCK - 1) & ~(uintptr_t)(HUGE_BLOCK - 1);

	if (from < page)
		from = page;
	if (to > end)
		to = end;
	if (to <= from || madvise((void *)from, to - from, MADV_POPULATE_WRITE))
		return from;
	return to;
#else
	(void)high, (void)end;
	return from;
#endif
}

/* A block at 'p' (an address: its bytes are not read) of 'n' bytes was
   handed out. */
static void note_heap(uintptr_t p, size_t n)
{
	uintptr_t end = p + n;

	if (end <= atomic_load_explicit(&heap_hi, memory_order_relaxed) &&
	    p >= atomic_load_explicit(&heap_lo, memory_order_relaxed) &&
	    end > atomic_load_explicit(&heap_high, memory_order_relaxed))
		atomic_store_explicit(&heap_high, end, memory_order_relaxed);
}

/*
 * A block of 2 MB or more in huge pages where the kernel gives them on
 * request (as memory_huge_heap() does for the heap): glibc maps such a
 * block on its own, in 4 KB pages, and grows it by remapping, so each
 * 4 KB of it took a page fault when first touched. On 200,000
 * statements the catalog's arrays took 3,400 of the run's 7,500 faults;
 * now 6,100 in all.
 */
static void *advise_huge(void *p, size_t n)
{
#if defined(MADV_HUGEPAGE) && !UNDER_ASAN
	uintptr_t lo = ((uintptr_t)p + HUGE_BLOCK - 1) & ~(uintptr_t)(HUGE_BLOCK - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_BLOCK - 1);

	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)n;
#endif
	return p;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	note_heap((uintptr_t)p, n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	note_heap((uintptr_t)p, nmemb * size);
	return nmemb * size >= HUGE_BLOCK ? advise_huge(p, nmemb * size) : p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	note_heap((uintptr_t)q, n);
	return n >= HUGE_BLOCK ? advise_huge(q, n) : q;
}

/*
 * A row array of ROWS_MAP_FROM or more moves to a mapping of its own,
 * reserved ROWS_MAP_BYTES at a time (address space, MAP_NORESERVE),
 * advised as huge pages and touched only as rows are written: growing
 * it never copies it. Grown with realloc() in the heap, the catalog's
 * rows on 200,000 statements were copied at every half again, into
 * memory touched for the first time (a tenth of the main thread's
 * time), and the heap grew past its huge pages (3,900 more 4 KB page
 * faults). The mappings are listed so that rows_free() knows them.
 */
#define ROWS_MAP_BYTES ((size_t)1 << 30)
#define ROWS_MAPS 32
#define ROWS_NOTE_BYTES ((size_t)256 << 10)

#if defined(MAP_NORESERVE) && !UNDER_ASAN
/*
 * An entry changes under rows_maps_lock; rows_note() reads 'base' and
 * sets 'high' without it (the thread growing the rows), and
 * memory_fault_ahead() reads 'high' under it.
 */
static struct rows_map {
	_Atomic uintptr_t base; /* 0: a free entry */
	size_t len;
	_Atomic size_t high;    /* bytes of rows written, about (rows_note()) */
	size_t faulted;         /* bytes memory_fault_ahead() faulted in */
} rows_maps[ROWS_MAPS];
static pthread_mutex_t rows_maps_lock = PTHREAD_MUTEX_INITIALIZER;

/* The entry of the mapping at 'rows'; of NULL, a free entry. */
static struct rows_map *rows_map_of(const void *rows)
{
	for (int i = 0; i < ROWS_MAPS; i++)
		if (atomic_load_explicit(&rows_maps[i].base, memory_order_relaxed) ==
		    (uintptr_t)rows)
			return &rows_maps[i];
	return NULL;
}

/* The rows at 'rows', if mapped, are written up to 'bytes' now. */
static void rows_note(const void *rows, size_t bytes)
{
	struct rows_map *m = rows_map_of(rows);

	if (m)
		atomic_store_explicit(&m->high, bytes, memory_order_relaxed);
}

/* 'rows' (its first 'used' bytes) in a mapping of at least 'bytes',
   '*alloc' rows of 'size' now; NULL where there is none to be had (the
   caller reallocs). */
static void *rows_map(void *rows, size_t used, size_t bytes, size_t *alloc, size_t size)
{
	size_t len = ROWS_MAP_BYTES;
	struct rows_map *old, *slot;
	unsigned char *p = NULL;
	bool mapped;

	while (len < bytes)
		len *= 2;
	pthread_mutex_lock(&rows_maps_lock);
	old = rows ? rows_map_of(rows) : NULL;
	if (old && bytes <= old->len) {
		p = rows;
		goto out_unlock;
	}
	if (!(slot = old ? old : rows_map_of(NULL)))
		goto out_unlock;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	mapped = p != MAP_FAILED;
	if (mapped) {
		madvise(p, len, MADV_HUGEPAGE);
	} else if (old) {       /* out of a mapping, which realloc() cannot grow */
		len = bytes;
		p = xmalloc(len);
	} else {
		p = NULL;
		goto out_unlock;
	}
	if (used)
		memcpy(p, rows, used);
	if (old)
		munmap(rows, old->len);
	else
		free(rows);
	atomic_store_explicit(&slot->base, mapped ? (uintptr_t)p : 0, memory_order_relaxed);
	slot->len = len;
	atomic_store_explicit(&slot->high, used, memory_order_relaxed);
	slot->faulted = 0;
	*alloc = len / size;
out_unlock:
	pthread_mutex_unlock(&rows_maps_lock);
	return p;
}

/* memory_fault_ahead() of each mapped row array */
static void rows_fault_ahead(void)
{
	pthread_mutex_lock(&rows_maps_lock);
	for (int i = 0; i < ROWS_MAPS; i++) {
		struct rows_map *m = &rows_maps[i];
		uintptr_t base = atomic_load_explicit(&m->base, memory_order_relaxed);
		size_t high = atomic_load_explicit(&m->high, memory_order_relaxed);

		if (base)
			m->faulted = fault_ahead(base + m->faulted, base + high, base + m->len) - base;
	}
	pthread_mutex_unlock(&rows_maps_lock);
}

void rows_free(void *rows)
{
	struct rows_map *m;

	if (!rows)
		return;
	pthread_mutex_lock(&rows_maps_lock);
	if ((m = rows_map_of(rows))) {
		munmap(rows, m->len);
		atomic_store_explicit(&m->base, 0, memory_order_relaxed);
		rows = NULL;
	}
	pthread_mutex_unlock(&rows_maps_lock);
	free(rows);
}
#else
static void *rows_map(void *rows, size_t used, size_t bytes, size_t *alloc, size_t size)
{
	(void)rows, (void)used, (void)bytes, (void)alloc, (void)size;
	return NULL;
}

static void rows_note(const void *rows, size_t bytes)
{
	(void)rows, (void)bytes;
}

static void rows_fault_ahead(void)
{
}

void rows_free(void *rows)
{
	free(rows);
}
#endif

void *rows_resize(void *rows, size_t *alloc, size_t size, size_t n, size_t used)
{
	void *p = NULL;

	if (n > SIZE_MAX / size)
		oom(SIZE_MAX);
	if (n * size >= ROWS_MAP_FROM && (p = rows_map(rows, used * size, n * size, alloc, size)))
		return p;
	*alloc = n;
	return xrealloc(rows, n * size);
}

void *rows_reserve(void *rows, size_t *alloc, size_t size, int64_t id, int64_t max_id,
		   size_t first, const char *what)
{
	if (id < 0 || (uint64_t)id >= UINT32_MAX)
		die("too many %s", what);
	if ((size_t)id >= *alloc) {
		size_t n = *alloc ? *alloc : first;

		while (n <= (size_t)id)
			n += n / 2 + 1;
		rows = rows_resize(rows, alloc, size, n, *alloc ? (size_t)(max_id + 1) : 0);
	}
	if (id > max_id + 1)
		memset((unsigned char *)rows + (size_t)(max_id + 1) * size, 0,
		       (size_t)(id - max_id - 1) * size);
	/* a mapped array (reserved a gigabyte at a time) says how far it is
	   written each ROWS_NOTE_BYTES, for memory_fault_ahead() */
	if (*alloc >= ROWS_MAP_BYTES / size &&
	    ((size_t)(id + 1) * size) / ROWS_NOTE_BYTES != ((size_t)(max_id + 1) * size) / ROWS_NOTE_BYTES)
		rows_note(rows, (size_t)(id + 1) * size);
	return rows;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrfmt(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb);
}

static char strbuf_empty[1];

#define STRBUF_FIRST 128   /* bytes a strbuf's first allocation takes at least */

void strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;

	if (want <= sb->alloc)
		return;
	if (!sb->alloc) {
		/* most strbufs are messages of a line: grown from 24 bytes
		   they took three reallocs, 55,000 on 20,000 statements */
		sb->buf = NULL;
		if (want < STRBUF_FIRST)
			want = STRBUF_FIRST;
	}
	ALLOC_GROW(sb->buf, want, sb->alloc);
	if (!sb->len)
		sb->buf[0] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	strbuf_add(sb, &ch, 1);
}

char *decimal_digits(char *end, unsigned long long v, bool negative)
{
	char *p = end;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		*--p = '-';
	return p;
}

/* A byte at a time: every report writes one of these per finding. */
void hex_u64(char out[HEX_U64], uint64_t v)
{
	static const char pairs[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
		"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
		"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
		"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

	for (int i = HEX_U64 - 3; i >= 0; i -= 2, v >>= 8)
		memcpy(out + i, pairs + 2 * (v & 0xff), 2);
	out[HEX_U64 - 1] = '\0';
}

static char *hex_digits(char *end, unsigned long long v)
{
	static const char digits[] = "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v & 0xf];
		v >>= 4;
	} while (v);
	return p;
}

/* The length modifiers fast_conv() knows: none, l, ll, z. */
enum fmt_len { LEN_INT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static const char *length_modifier(const char *p, enum fmt_len *len)
{
	*len = LEN_INT;
	if (p[0] == 'l' && p[1] == 'l') {
		*len = LEN_LLONG;
		return p + 2;
	}
	if (p[0] == 'l' || p[0] == 'z') {
		*len = p[0] == 'l' ? LEN_LONG : LEN_SIZE;
		return p + 1;
	}
	return p;
}

static long long signed_arg(va_list *ap, enum fmt_len len)
{
	if (len == LEN_LLONG)
		return va_arg(*ap, long long);
	if (len == LEN_LONG)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static unsigned long long unsigned_arg(va_list *ap, enum fmt_len len)
{
	if (len == LEN_LLONG)
		return va_arg(*ap, unsigned long long);
	if (len == LEN_LONG)
		return va_arg(*ap, unsigned long);
	if (len == LEN_SIZE)
		return va_arg(*ap, size_t);
	return va_arg(*ap, unsigned int);
}

/*
 * Where the fast path's text goes: counted only while buf is NULL, else
 * written to buf, up to 'cap' bytes (the rest only counted).
 */
struct fmt_out {
	char *buf;
	size_t len;
	size_t cap;
};

static void put(struct fmt_out *o, const char *s, size_t n)
{
	if (o->buf && n && o->len < o->cap)
		memcpy(o->buf + o->len, s, n < o->cap - o->len ? n : o->cap - o->len);
	o->len += n;
}

/* %d %i %u %x with their length; false for %zd, %zi (no signed size_t in C11). */
static bool fast_int(struct fmt_out *o, char conv, enum fmt_len len, va_list *ap)
{
	char buf[24], *end = buf + sizeof(buf), *p;

	if (conv == 'd' || conv == 'i') {
		long long v;

		if (len == LEN_SIZE)
			return false;
		v = signed_arg(ap, len);
		p = decimal_digits(end, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0);
	} else if (conv == 'u') {
		p = decimal_digits(end, unsigned_arg(ap, len), false);
	} else if (conv == 'x') {
		p = hex_digits(end, unsigned_arg(ap, len));
	} else {
		return false;
	}
	put(o, p, (size_t)(end - p));
	return true;
}

/* %s, and %.*s (a negative precision is as good as none); NULL is left
   to vsnprintf, whose "(null)" is glibc's own. */
static bool fast_str(struct fmt_out *o, bool precision, va_list *ap)
{
	int prec = precision ? va_arg(*ap, int) : -1;
	const char *s = va_arg(*ap, const char *);

	if (!s)
		return false;
	if (*s)
		put(o, s, prec < 0 ? strlen(s) : strnlen(s, (size_t)prec));
	return true;
}

/*
 * One conversion, p just after its '%'; returns the format after it, or
 * NULL for one the fast path leaves to vsnprintf (flags, widths, other
 * precisions, floats, pointers, h, hh, j, t, L, %n).
 */
static const char *fast_conv(struct fmt_out *o, const char *p, va_list *ap)
{
	enum fmt_len len;
	char c;

	switch (*p) {
	case '%':
		put(o, "%", 1);
		return p + 1;
	case 'c':
		c = (char)(unsigned char)va_arg(*ap, int);
		put(o, &c, 1);
		return p + 1;
	case 's':
		return fast_str(o, false, ap) ? p + 1 : NULL;
	case '.':
		if (p[1] != '*' || p[2] != 's')
			return NULL;
		return fast_str(o, true, ap) ? p + 3 : NULL;
	}
	p = length_modifier(p, &len);
	return fast_int(o, *p, len, ap) ? p + 1 : NULL;
}

/* The whole format; false at the first conversion fast_conv() leaves.
   (Conversions often come one after another: no strchr() for those.) */
static bool fast_format(struct fmt_out *o, const char *fmt, va_list *ap)
{
	const char *p = fmt, *pct;

	while ((pct = *p == '%' ? p : strchr(p, '%'))) {
		put(o, p, (size_t)(pct - p));
		p = fast_conv(o, pct + 1, ap);
		if (!p)
			return false;
	}
	put(o, p, strlen(p));
	return true;
}

/*
 * The conversions the program's messages use, without vsnprintf (whose
 * parsing machinery cost ten times the copying): the text is measured,
 * the buffer grown once, the text written. Exactly what vsnprintf would
 * write; false, with sb untouched, for a format it leaves to vsnprintf.
 */
static bool fast_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	struct fmt_out o = { NULL, 0, SIZE_MAX };
	va_list cp;
	bool ok;

	va_copy(cp, ap);
	ok = fast_format(&o, fmt, &cp);
	va_end(cp);
	if (!ok)
		return false;
	strbuf_grow(sb, o.len);
	o.buf = sb->buf + sb->len;
	o.len = 0;
	va_copy(cp, ap);
	fast_format(&o, fmt, &cp);
	va_end(cp);
	sb->len += o.len;
	sb->buf[sb->len] = '\0';
	return true;
}

static PRINTF_LIKE(2, 0) void slow_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed for '%s'", fmt);
	strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	if (!fast_vaddf(sb, fmt, ap))
		slow_vaddf(sb, fmt, ap);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

int fmt_vbuf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { size ? buf : NULL, 0, size ? size - 1 : 0 };
	va_list cp;
	bool ok;

	va_copy(cp, ap);
	ok = fast_format(&o, fmt, &cp);
	va_end(cp);
	if (!ok || o.len > INT_MAX)
		return vsnprintf(buf, size, fmt, ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vbuf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

char *strbuf_detach(struct strbuf *sb)
{
	char *p = sb->alloc ? sb->buf : xstrdup("");

	strbuf_init(sb);
	return p;
}

/*
 * Chunks double from ARENA_FIRST to ARENA_CHUNK: an arena that holds
 * little takes little. Each DO block's statements have an arena of their
 * own, and with 64 KB from the first byte a file of 400 DO blocks held
 * 26 MB for a few hundred names.
 */
#define ARENA_FIRST 2048
#define ARENA_CHUNK 65536

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (!c || c->size - c->used < n) {
		size_t size = !c ? ARENA_FIRST : c->size < ARENA_CHUNK ? 2 * c->size : ARENA_CHUNK;

		if (size < n)
			size = n;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

int keyed_pos_cmp(const void *a, const void *b)
{
	const struct keyed_pos *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

size_t keyed_pos_lower(const struct keyed_pos *v, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The chunk whose data a block from arena_block_resize() is. */
static struct arena_chunk *block_chunk(void *p)
{
	return (struct arena_chunk *)((char *)p - offsetof(struct arena_chunk, data));
}

void *arena_block_resize(void *p, size_t n)
{
	struct arena_chunk *c = xrealloc(p ? block_chunk(p) : NULL, sizeof(*c) + n);

	c->next = NULL;
	c->size = c->used = n;
	return c->data;
}

void arena_block_free(void *p)
{
	if (p)
		free(block_chunk(p));
}

/* Behind the head, which keeps its room for arena_alloc(); full. */
void arena_adopt(struct arena *a, void *p)
{
	struct arena_chunk *c = block_chunk(p);

	if (a->head) {
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = NULL;
		a->head = c;
	}
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

static PRINTF_LIKE(2, 0) void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "migsafe: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	exit(2);
}

void bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "migsafe: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

uint64_t fnv1a64(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	while (len--)
		h = fnv1a64_byte(h, *p++);
	return h;
}

/*
 * Read what is left of 'fd' into a buffer of at least 'hint' + 1 bytes.
 * On a regular file a read that returns less than it was asked for is
 * the end (Linux returns short only there), so a file whose size fstat()
 * gave is read with one read() and no second one to see the end.
 */
static int read_fd(int fd, bool regular, size_t hint, size_t max_len, char **out, size_t *len)
{
	size_t alloc = (hint < max_len ? hint : max_len) + 1, n = 0;
	char *buf = xmalloc(alloc + 1);
	ssize_t got;

	for (;;) {
		if (n == alloc) {
			if (n > max_len) {
				errno = EFBIG;
				goto fail;
			}
			alloc = alloc < max_len / 2 ? alloc * 2 : max_len + 1;
			buf = xrealloc(buf, alloc + 1);
		}
		got = read(fd, buf + n, alloc - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		if (!got)
			break;
		n += (size_t)got;
		if (regular && n < alloc)
			break;
	}
	if (n > max_len) {
		errno = EFBIG;
		goto fail;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	return -1;
}

int read_file_stat(const char *path, char **out, size_t *len, size_t max_len,
		   struct stat *st)
{
	/* O_NONBLOCK: opening a FIFO does not wait for a writer */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), ret = -1, err;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0)
		goto out;
	if (S_ISDIR(st->st_mode)) {
		errno = EISDIR;
		goto out;
	}
	if (S_ISREG(st->st_mode) && (uintmax_t)st->st_size > max_len) {
		errno = EFBIG;
		goto out;
	}
	if (!S_ISREG(st->st_mode))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	ret = read_fd(fd, S_ISREG(st->st_mode),
		      S_ISREG(st->st_mode) ? (size_t)st->st_size : 4096, max_len, out, len);
out:
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

int read_file(const char *path, char **out, size_t *len, size_t max_len)
{
	struct stat st;

	return read_file_stat(path, out, len, max_len, &st);
}

/* Pieces below the mmap threshold that memory_huge_heap() sets, enough
   of them to cover 2 MB */
#define HUGE_HEAP_PAD ((size_t)256 << 10)
#define HUGE_HEAP_PADS 9
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !UNDER_ASAN
static void *huge_heap_pads[HUGE_HEAP_PADS];    /* held for the process's life */
#endif

void memory_huge_heap(size_t bytes)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !UNDER_ASAN
	const uintptr_t huge = (uintptr_t)2 << 20;
	static bool done;
	void *start, *blocks[HUGE_HEAP_MAX_MB];
	size_t mb = bytes >> 20;
	uintptr_t lo, hi, top_header;
	int n = 0;

	if (done)
		return;
	done = true;
	mb = mb < HUGE_HEAP_MIN_MB ? HUGE_HEAP_MIN_MB : mb > HUGE_HEAP_MAX_MB ? HUGE_HEAP_MAX_MB : mb;

	/*
	 * Fixed thresholds (glibc's moving ones would hand the top of the
	 * heap back and take it again as blocks come and go): the heap
	 * grows by 'mb' at a time and keeps up to 64 MB free; a block of
	 * 1 MB or more that its free space cannot hold is mapped on its own.
	 */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, (int)(mb << 20));
	start = sbrk(0);
	if (start == (void *)-1)
		return;
	/* take what the heap has free until it grows (by the block and the
	   pad); only the blocks' headers are touched */
	while (n < HUGE_HEAP_MAX_MB && sbrk(0) == start &&
	       (blocks[n] = malloc((size_t)1000 * 1000)))
		n++;
	hi = (uintptr_t)sbrk(0) & ~(huge - 1);
	top_header = n ? (uintptr_t)blocks[n - 1] + (size_t)1000 * 1000 : 0;
	while (n)
		free(blocks[--n]);
	/* the whole 2 MB pages of those 'mb', and no more: the heap beyond
	   them, if any, in 4 KB pages (the peak RSS stays near what 4 KB
	   pages give), and the catalog's hot pages are the ones allocated
	   first */
	lo = ((uintptr_t)start + huge - 1) & ~(huge - 1);
	if (hi <= lo)
		return;
	madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	atomic_store_explicit(&heap_lo, lo, memory_order_relaxed);   /* for note_heap() */
	atomic_store_explicit(&heap_hi, hi, memory_order_relaxed);
	/* the header of the heap's top, written after the last block before
	   the advice, took a 4 KB page; the 2 MB around it would stay in
	   4 KB pages (512 faults) unless collapsed now (Linux 6.1 on; before,
	   the call fails and nothing changes) */
#ifdef MADV_COLLAPSE
	if (top_header >= lo && top_header < hi)
		madvise((void *)(top_header & ~(huge - 1)), huge, MADV_COLLAPSE);
#endif
	/* the heap's free space below the first huge page is in 4 KB pages
	   (up to 2 MB of them, on a 2,000-file history 190 faults): hold
	   it, so that the blocks allocated next are in huge pages; only the
	   held blocks' headers are touched */
	for (int i = 0; i < HUGE_HEAP_PADS; i++) {
		void *pad = malloc(HUGE_HEAP_PAD);

		if (!pad || (uintptr_t)pad >= lo) {
			free(pad);
			break;
		}
		huge_heap_pads[i] = pad;
	}
#endif
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !memcmp(s + a - b, suffix, b);
}

bool str_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

void memory_fault_ahead(void)
{
	uintptr_t high = atomic_load_explicit(&heap_high, memory_order_relaxed);

	if (!FAULT_AHEAD || pthread_mutex_trylock(&fault_lock))
		return;         /* another thread is at it */
	if (high)
		heap_faulted = fault_ahead(heap_faulted, high,
					   atomic_load_explicit(&heap_hi, memory_order_relaxed));
	rows_fault_ahead();
	pthread_mutex_unlock(&fault_lock);
}

void memory_prefault(void *p, size_t len)
{
#if defined(MADV_HUGEPAGE) || defined(MADV_POPULATE_WRITE)
	uintptr_t page = 4096, start = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(page - 1);

	if (len < ((size_t)1 << 16) || end <= start)
		return;
#ifdef MADV_HUGEPAGE
	if (len >= ((size_t)1 << 21))
		madvise((void *)start, end - start, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
	madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#endif
#else
	(void)p;
	(void)len;
#endif
}

int utf8_chars(const char *s, size_t n)
{
	int nr = 0;

	for (size_t i = 0; i < n; i++)
		nr += ((unsigned char)s[i] & 0xC0) != 0x80;
	return nr;
}

int64_t timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* ---- little-endian integers ---- */

void put_u32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(sb, b, sizeof(b));
}

void put_u64(struct strbuf *sb, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(sb, b, sizeof(b));
}

uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

const unsigned char *rd_bytes(struct reader *r, size_t n)
{
	const unsigned char *p = r->p;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	return p;
}

uint64_t rd_u64(struct reader *r)
{
	const unsigned char *p = rd_bytes(r, 8);

	return p ? get_le(p, 8) : 0;
}

