/*
 * util.h - allocation, growable buffers and error reporting shared by
 * every module.
 *
 * Out-of-memory is one decision for the whole program: the x*alloc
 * family aborts with a message, so callers never check for NULL.
 *
 * Lifecycle names follow one pattern everywhere:
 *   foo_init()     set up an empty object, allocates nothing
 *   foo_release()  free what the object owns, leave it re-initialisable
 *   foo_free()     release and free a heap-allocated object
 */
#ifndef MIGSAFE_UTIL_H
#define MIGSAFE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

/*
 * 1 in a build under AddressSanitizer (GCC's or clang's, the tests' and
 * the fuzz targets'): memory stays glibc's malloc() as it is, which ASan
 * watches (no allocator of SQLite's own, no heap tuning).
 */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xstrfmt(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * Grow array 'x' (with 'alloc' slots) so that it has room for at
 * least 'nr' elements. Same idea as git's ALLOC_GROW.
 */
#define ALLOC_GROW(x, nr, alloc)                                        \
	do {                                                            \
		if ((size_t)(nr) > (size_t)(alloc)) {                   \
			size_t grow_ = ((size_t)(alloc) + 16) * 3 / 2;  \
			if (grow_ < (size_t)(nr))                       \
				grow_ = (size_t)(nr);                   \
			(x) = xrealloc((x), grow_ * sizeof(*(x)));      \
			(alloc) = grow_;                                \
		}                                                       \
	} while (0)

/*
 * Room in a store's row array 'rows' ('*alloc' rows of 'size' bytes,
 * ids given in ascending order, 'max_id' the highest so far) for
 * rows[id]: it grows by half, from 'first' rows, and the rows between
 * max_id and id are zeroed (free). Returns the array, which may have
 * moved. More than UINT32_MAX - 1 ids: die(), "too many <what>".
 *
 * An array of megabytes moves to a mapping of its own, reserved far
 * ahead and never copied again (util.c): such arrays, and any given to
 * rows_reserve() or rows_resize(), are freed with rows_free(), never
 * free(), and never passed to realloc(). From ROWS_MAP_FROM bytes, where
 * the system allows, and not in a sanitizer build.
 */
#define ROWS_MAP_FROM ((size_t)4 << 20)
void *rows_reserve(void *rows, size_t *alloc, size_t size, int64_t id, int64_t max_id,
		   size_t first, const char *what);
/* 'rows' with room for at least 'n' rows (*alloc set), of which the
   first 'used' are kept; the rest are not initialised. */
void *rows_resize(void *rows, size_t *alloc, size_t size, size_t n, size_t used);
void rows_free(void *rows);

/*
 * A growable, always NUL-terminated byte buffer. buf is never NULL
 * after strbuf_init(); it owns its memory until strbuf_detach().
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
/*
 * printf-style appends. %s, %.*s, %c, %%, and %d %i %u %x with no
 * length or l, ll (and z but for d, i) are appended directly; a format
 * with anything else (flags, widths, other precisions, floats...) or a
 * NULL string goes through vsnprintf. Either way the text is
 * vsnprintf's, byte for byte.
 */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
/* snprintf() and vsnprintf(), the same text and return value, with
   strbuf_addf()'s fast path for the conversions it knows (glibc's
   machinery costs 600 to 3,000 instructions a call; the replay's
   generated names and index column names made it 4% of the main
   thread's instructions). */
int fmt_buf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int fmt_vbuf(char *buf, size_t size, const char *fmt, va_list ap) PRINTF_LIKE(3, 0);
/* Hand the buffer to the caller (free() it); sb is re-initialised. */
char *strbuf_detach(struct strbuf *sb);

/*
 * A bump allocator for objects that all die together (one statement's
 * parse tree, one file's statements). Never frees individual objects.
 */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);   /* zeroed */
char *arena_strdup(struct arena *a, const char *s);  /* NULL stays NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/*
 * A key and the position of what has it (a statement, a change, a
 * directive). An array of them sorted by keyed_pos_cmp() (key, then
 * position; for qsort()) is searched with keyed_pos_lower().
 */
struct keyed_pos {
	uint64_t key;
	int pos;
};
int keyed_pos_cmp(const void *a, const void *b);
/* The first of v[0..n) whose key is not below 'key', or n. */
size_t keyed_pos_lower(const struct keyed_pos *v, size_t n, uint64_t key);

/*
 * A block of 'n' bytes that an arena can take over, as one of its
 * chunks, without copying it: 'p' is NULL or an earlier return (its
 * first bytes are kept, as realloc() keeps them). Until adopted it is
 * the caller's, freed with arena_block_free(). A file's statements are
 * such a block: grown as they are parsed, then handed to the list's
 * arena (a copy made two of them, 2.2 GB at the peak of a file of
 * 5,000,000 short statements where one takes 1.2 GB).
 */
void *arena_block_resize(void *p, size_t n);
void arena_block_free(void *p);
/* The arena owns block 'p' (from arena_block_resize()) from now on. */
void arena_adopt(struct arena *a, void *p);

/*
 * Messages go to stderr as "migsafe: error: ..." (lower case, no full
 * stop, subject quoted). error() returns -1 so callers can write
 * 'return error(...)'. die() exits with status 2: the tool could not do
 * its job. BUG() is for broken invariants and aborts.
 */
int error(const char *fmt, ...) PRINTF_LIKE(1, 2);
void warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
NORETURN void die(const char *fmt, ...) PRINTF_LIKE(1, 2);
NORETURN void bug_fl(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)

/* 64-bit FNV-1a, used for fingerprints. */
uint64_t fnv1a64(const void *data, size_t len, uint64_t h);
#define FNV1A64_INIT 0xcbf29ce484222325ULL

/*
 * v in decimal, and a '-' before it when negative, written backwards to
 * end at 'end' (room for 21 bytes before it); returns where it starts.
 * No NUL.
 */
char *decimal_digits(char *end, unsigned long long v, bool negative);
/* v as 16 lower-case hex digits ("%016" PRIx64) and a NUL. */
#define HEX_U64 17
void hex_u64(char out[HEX_U64], uint64_t v);

/* One byte more of an FNV-1a hash, for loops that pick their bytes. */
static inline uint64_t fnv1a64_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

struct timespec;
/* A time as nanoseconds since the epoch (file times, the clock). */
int64_t timespec_ns(const struct timespec *ts);

/*
 * Read a whole file; returns 0, or -1 with errno set: EISDIR for a
 * directory, EFBIG for more than max_len bytes. *out is NUL-terminated
 * (malloc'ed, the caller's). Four system calls for a regular file.
 */
int read_file(const char *path, char **out, size_t *len, size_t max_len);
struct stat;
/* The same, and what fstat() said of the file (also when it fails after
   opening it: a directory, a file too large). */
int read_file_stat(const char *path, char **out, size_t *len, size_t max_len,
		   struct stat *st);

/*
 * A large buffer (malloc'ed, 'len' bytes, 64 KB or more) is about to be
 * filled: fault its pages in now, in one go, and from 2 MB in huge pages
 * where the kernel offers them (a page fault at a time costs more than
 * the copy). Only a hint: nothing changes where the system has no such
 * thing.
 */
void memory_prefault(void *p, size_t len);

/*
 * Fault in, now and on this thread, the memory another thread is about
 * to write for the first time: the next huge page of the heap's huge
 * pages (memory_huge_heap()) past the highest block handed out there,
 * and of each row array in a mapping of its own (rows_reserve()). A
 * thread with time to spare (a prefetch worker between two files) calls
 * it, and the thread replaying does not stop for the kernel to zero
 * pages: a page fault in huge pages took an eighth of the main thread's
 * time on 200,000 statements. Pages already in cost nothing; at most a
 * huge page past what is written is faulted in for each. Cheap to call
 * often; does nothing where the system cannot (Linux before 5.14,
 * sanitizer builds), or while another thread is at it.
 */
void memory_fault_ahead(void);

/*
 * Put the next 'bytes' of the main heap (rounded down to MB, between
 * HUGE_HEAP_MIN_MB and HUGE_HEAP_MAX_MB) in transparent huge pages
 * (2 MB) where the kernel gives them on request (THP "madvise",
 * Debian's default): the heap is grown by that much address space at
 * once and that is advised. On 20,000 statements 4 KB pages cost a fifth
 * of the CPU time (page faults, and TLB misses in the catalog's B-trees
 * on the main thread). The heap's free space below its first 2 MB
 * boundary is held for the process's life, untouched, so that the
 * blocks allocated next come from huge pages. Only the first call does
 * anything, and nothing in a sanitizer build or on a libc that is not
 * glibc.
 */
#define HUGE_HEAP_MIN_MB 32
#define HUGE_HEAP_MAX_MB 128
void memory_huge_heap(size_t bytes);

bool str_ends_with(const char *s, const char *suffix);
/* Characters in s[0..n): every byte that is not a UTF-8 continuation
   byte starts one (invalid UTF-8 counts a character per stray byte). */
int utf8_chars(const char *s, size_t n);
bool str_starts_with(const char *s, const char *prefix);

/*
 * Little-endian integers in byte strings (the cache file, the catalog's
 * column store): put_* append to a strbuf, a reader takes them back out
 * without ever reading past 'end' (a short read sets 'bad' and gives 0).
 */
void put_u32(struct strbuf *sb, uint32_t v);
void put_u64(struct strbuf *sb, uint64_t v);
uint64_t get_le(const unsigned char *p, int n);   /* n bytes at p */

struct reader {
	const unsigned char *p, *end;
	bool bad;                   /* the data ended too soon */
};

const unsigned char *rd_bytes(struct reader *r, size_t n);
uint64_t rd_u64(struct reader *r);

/* Inline: loading a cached catalog reads millions (a sixth of a
   pre-commit run's instructions went to the call). */
static inline uint32_t rd_u32(struct reader *r)
{
	const unsigned char *p = r->p;

	if (r->bad || r->end - p < 4) {
		r->bad = true;
		return 0;
	}
	r->p = p + 4;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
