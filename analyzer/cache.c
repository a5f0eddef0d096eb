/*
 * cache.c - the replayed prefix of a history, kept between runs (see
 * cache.h for the key and the file format).
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "embedded.h"
#include "sha256.h"
#include "source.h"
#include "util.h"
#include "banned.h"

#define CACHE_MAGIC "migsafe-cache\n\0\0"
#define MAGIC_LEN 16
#define CACHE_FORMAT 1
#define HEADER_LEN 40
#define ENTRY_LEN 24            /* a section's entry in the table */
#define CACHE_MAX_BYTES ((size_t)1 << 30)
#define RACY_NS 1000000000LL    /* an mtime this close to the key's time:
                                   read the file to recognise it */
#define TAG_BUILD 0x10001u
#define TAG_FILES 0x10002u
#define MAX_SECTIONS 16

/* What identifies one file of the prefix. */
struct file_key {
	char *display;              /* owned */
	uint32_t layout, tx;        /* as discovered, before the file is read */
	uint64_t size, ino, dev;
	int64_t mtime_ns, ctime_ns;
	unsigned char sha[32];
	bool hashed;                /* sha is known */
};

/*
 * Catches a truncated, torn or damaged file, not an adversary (whoever
 * can write the cache directory can write the user's shell profile).
 * Four independent lanes of eight bytes, so that a large catalog costs
 * a few milliseconds where SHA-256 would cost tens. Each step is a
 * bijection of the lane, so any one changed word changes the sum.
 */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

/* The sum of a byte stream given in pieces (the file is never whole
   in memory when it is written). */
struct sum {
	uint64_t lane[4];
	unsigned char part[32];     /* an unfinished block */
	size_t have;
};

static void sum_init(struct sum *s, size_t total)
{
	s->lane[0] = 0x9e3779b97f4a7c15ULL ^ total;
	for (int j = 1; j < 4; j++)
		s->lane[j] = (uint64_t)j;
	s->have = 0;
}

static void sum_block(struct sum *s, const unsigned char *b)
{
	uint64_t w[4];

	memcpy(w, b, 32);
	for (int j = 0; j < 4; j++)
		s->lane[j] = mix(s->lane[j], w[j]);
}

static void sum_add(struct sum *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	if (s->have) {
		size_t k = 32 - s->have < n ? 32 - s->have : n;

		memcpy(s->part + s->have, p, k);
		s->have += k;
		p += k;
		n -= k;
		if (s->have < 32)
			return;
		sum_block(s, s->part);
		s->have = 0;
	}
	for (; n >= 32; p += 32, n -= 32)
		sum_block(s, p);
	memcpy(s->part, p, n);
	s->have = n;
}

static uint64_t sum_final(struct sum *s)
{
	uint64_t w[4] = { 0 }, h = s->lane[0];

	memcpy(w, s->part, s->have);
	for (int j = 0; j < 4; j++)
		h = mix(h, mix(s->lane[j], w[j]) + (uint64_t)j);
	return h;
}

struct section {
	uint32_t tag;
	size_t off, len;            /* in buf */
};

struct prefix_cache {
	char *dir;                  /* owned: the cache directory */
	char *file;                 /* owned: the history's cache file in it */
	const struct history *h;    /* borrowed */
	int nr;                     /* files in the prefix */
	struct file_key *keys;      /* owned, nr: the prefix as it is now */
	int64_t key_ns;             /* when the key was taken */
	struct strbuf build;        /* the build's identity and the options */
	int covers;                 /* leading files the cached state is for */
	bool stale;                 /* files had to be hashed: rewrite the key */
	/* the file as read: all of it but its last part (the catalog
	   image), which cache_take_last() reads where it will stay */
	char *buf;                  /* owned */
	size_t len;                 /* of the file; buf holds 'held' bytes */
	size_t held;
	int fd;                     /* at 'held', until the last part is read */
	struct sum sum;             /* of what was read after the header */
	struct section sec[MAX_SECTIONS];
	int nr_sec;
};

/* MIGSAFE_DEBUG: say what the cache did (the tests read it). */
static void trace(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("MIGSAFE_DEBUG"))
		return;
	fprintf(stderr, "migsafe: cache: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the key ---- */

char *cache_default_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		return xstrfmt("%s/migsafe", xdg);
	if (home && *home == '/')
		return xstrfmt("%s/.cache/migsafe", home);
	return NULL;
}

/*
 * migsafe's version, the catalog schema, the executable (a rebuild with
 * the same version may replay differently), then the options. Where
 * /proc/self/exe cannot be read the version stands for the build.
 */
static void build_key(struct strbuf *sb, const void *opts, size_t len)
{
	struct stat st;

	strbuf_add(sb, "migsafe " PROJECT_VERSION, strlen("migsafe " PROJECT_VERSION) + 1);
	put_u64(sb, fnv1a64(embedded_catalog_sql, strlen(embedded_catalog_sql), FNV1A64_INIT));
	if (stat("/proc/self/exe", &st))
		memset(&st, 0, sizeof(st));
	put_u64(sb, (uint64_t)st.st_dev);
	put_u64(sb, (uint64_t)st.st_ino);
	put_u64(sb, (uint64_t)st.st_size);
	put_u64(sb, (uint64_t)timespec_ns(&st.st_mtim));
	put_u64(sb, len);
	strbuf_add(sb, opts, len);
}

static void key_meta(struct file_key *k, const struct file_meta *m)
{
	k->size = m->size;
	k->ino = m->ino;
	k->dev = m->dev;
	k->mtime_ns = m->mtime_ns;
	k->ctime_ns = m->ctime_ns;
}

static int stat_file(const char *path, struct file_key *k)
{
	struct stat st;
	struct file_meta m;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	file_meta_from(&m, &st);
	key_meta(k, &m);
	return 0;
}

static bool same_stat(const struct file_key *a, const struct file_key *b)
{
	return a->size == b->size && a->ino == b->ino && a->dev == b->dev &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

static int hash_file(const char *path, unsigned char sha[32])
{
	struct sha256 s;
	char *text;
	size_t len;

	if (read_file(path, &text, &len, SOURCE_MAX_BYTES))
		return -1;
	sha256_init(&s);
	sha256_update(&s, text, len);
	sha256_peek(&s, sha);
	free(text);
	return 0;
}

/*
 * The prefix as it is now: names and metadata (what discovery's stat()
 * said, else a stat() here); contents later.
 */
static int take_keys(struct prefix_cache *pc)
{
	for (int i = 0; i < pc->nr; i++) {
		const struct migration *m = &pc->h->items[i];
		struct file_key *k = &pc->keys[i];

		k->display = xstrdup(m->display);
		k->layout = (uint32_t)m->layout;
		k->tx = (uint32_t)m->tx;
		if (m->meta.dev || m->meta.ino) {
			key_meta(k, &m->meta);
		} else if (stat_file(m->path, k)) {
			trace("not used: '%s' is not a regular file", m->path);
			return -1;
		}
	}
	return 0;
}

/* Hash the files the cache did not vouch for. */
static int hash_rest(struct prefix_cache *pc)
{
	for (int i = 0; i < pc->nr; i++) {
		struct file_key *k = &pc->keys[i];

		if (k->hashed)
			continue;
		if (hash_file(pc->h->items[i].path, k->sha)) {
			trace("not used: cannot read '%s'", pc->h->items[i].path);
			return -1;
		}
		k->hashed = true;
	}
	return 0;
}

/* ---- the cache file's name: the history's directories ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct dir_set {
	char **text, **real;        /* owned: as named, and absolute */
	int nr;
	size_t alloc_text, alloc_real;
};

/* Add the history directory of 'path' (realpath() once per spelling). */
static int dir_set_add(struct dir_set *s, const char *path)
{
	char *dir = history_dir_of(path), *real;

	if (!*dir) {
		free(dir);
		dir = xstrdup(".");
	}

	for (int i = 0; i < s->nr; i++)
		if (!strcmp(s->text[i], dir)) {
			free(dir);
			return 0;
		}
	if (!(real = realpath(dir, NULL))) {
		trace("not used: cannot resolve '%s'", dir);
		free(dir);
		return -1;
	}
	ALLOC_GROW(s->text, (size_t)s->nr + 1, s->alloc_text);
	ALLOC_GROW(s->real, (size_t)s->nr + 1, s->alloc_real);
	s->text[s->nr] = dir;
	s->real[s->nr++] = real;
	return 0;
}

static void dir_set_release(struct dir_set *s)
{
	for (int i = 0; i < s->nr; i++) {
		free(s->text[i]);
		free(s->real[i]);
	}
	free(s->text);
	free(s->real);
}

/* dir/<hash of the history's absolute directories>.cache */
static char *cache_file_name(const char *dir, const struct history *h, int nr)
{
	struct dir_set s = { 0 };
	unsigned char d[32];
	char hex[33], *name = NULL;
	struct sha256 sha;
	int i;

	for (i = 0; i < nr; i++)
		if (dir_set_add(&s, h->items[i].path))
			goto out;
	qsort(s.real, (size_t)s.nr, sizeof(*s.real), cmp_str);
	sha256_init(&sha);
	for (i = 0; i < s.nr; i++)
		sha256_update(&sha, s.real[i], strlen(s.real[i]) + 1);
	sha256_peek(&sha, d);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	name = xstrfmt("%s/%s.cache", dir, hex);
out:
	dir_set_release(&s);
	return name;
}

/* ---- reading ---- */

static int read_all(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The table of sections (in pc->buf): each inside the file, 8-byte
   aligned. */
static int read_table(struct prefix_cache *pc, uint32_t n)
{
	const unsigned char *b = (const unsigned char *)pc->buf;
	size_t data = HEADER_LEN + (size_t)n * ENTRY_LEN;
	struct reader r = { b + HEADER_LEN, b + data, false };

	for (pc->nr_sec = 0; pc->nr_sec < (int)n; pc->nr_sec++) {
		struct section *s = &pc->sec[pc->nr_sec];
		uint64_t off, len;

		s->tag = rd_u32(&r);
		rd_u32(&r);
		off = rd_u64(&r);
		len = rd_u64(&r);
		if (r.bad || off % 8 || off < data || off > pc->len || len > pc->len - off)
			return -1;
		s->off = (size_t)off;
		s->len = (size_t)len;
	}
	return pc->sec[0].tag != TAG_BUILD || pc->sec[1].tag != TAG_FILES ? -1 : 0;
}

/* Header and table into pc->buf, checked as far as they go. */
static int read_head(struct prefix_cache *pc)
{
	unsigned char h[HEADER_LEN];
	uint32_t n;
	size_t table;

	if (read_all(pc->fd, (char *)h, HEADER_LEN))
		return -1;
	n = (uint32_t)get_le(h + 20, 4);
	if (memcmp(h, CACHE_MAGIC, MAGIC_LEN) || get_le(h + 16, 4) != CACHE_FORMAT ||
	    get_le(h + 24, 8) != pc->len || n < 2 || n > MAX_SECTIONS)
		return -1;
	table = HEADER_LEN + (size_t)n * ENTRY_LEN;
	if (table > pc->len)
		return -1;
	pc->buf = xmalloc(table);
	memcpy(pc->buf, h, HEADER_LEN);
	if (read_all(pc->fd, pc->buf + HEADER_LEN, table - HEADER_LEN))
		return -1;
	pc->held = table;
	return read_table(pc, n);
}

/*
 * Where the read stops: at the last part, which ends the file and which
 * no other part overlaps, when there are parts (the engine stores the
 * catalog image last); else at the end.
 */
static int cut_at(const struct prefix_cache *pc, size_t *cut)
{
	const struct section *last = &pc->sec[pc->nr_sec - 1];

	*cut = pc->len;
	if (pc->nr_sec <= 2)
		return 0;
	if (last->off + last->len != pc->len)
		return -1;
	for (int i = 0; i < pc->nr_sec - 1; i++)
		if (pc->sec[i].off + pc->sec[i].len > last->off)
			return -1;
	*cut = last->off;
	return 0;
}

/* The file's checksum agrees with the sum of what was read. */
static bool sum_agrees(struct prefix_cache *pc)
{
	return sum_final(&pc->sum) == get_le((const unsigned char *)pc->buf + 32, 8);
}

/*
 * The cache file, but for its last part, into pc->buf: 0, or -1 when
 * there is none fit to read (O_NONBLOCK: a FIFO put there must not hang
 * the run). cache_take_last() reads and sums the last part.
 */
static int load_file(struct prefix_cache *pc)
{
	struct stat st;
	size_t cut;

	pc->fd = open(pc->file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (pc->fd < 0)
		return -1;
	if (fstat(pc->fd, &st) || !S_ISREG(st.st_mode) || st.st_size < HEADER_LEN ||
	    (uint64_t)st.st_size > CACHE_MAX_BYTES)
		return -1;
	pc->len = (size_t)st.st_size;
	if (read_head(pc) || cut_at(pc, &cut))
		return -1;
	pc->buf = xrealloc(pc->buf, cut);
	/* fresh pages one fault at a time cost more than reading them */
	memory_prefault(pc->buf + pc->held, cut - pc->held);
	if (read_all(pc->fd, pc->buf + pc->held, cut - pc->held))
		return -1;
	pc->held = cut;
	sum_init(&pc->sum, pc->len - HEADER_LEN);
	sum_add(&pc->sum, pc->buf + HEADER_LEN, pc->held - HEADER_LEN);
	return pc->held == pc->len && !sum_agrees(pc) ? -1 : 0;
}

/* One file of the stored list, its display path still in the buffer. */
struct stored_file {
	const unsigned char *display;
	uint32_t display_len;
	struct file_key k;
	const unsigned char *sha;
};

static int read_stored(struct reader *r, struct stored_file *f)
{
	f->display_len = rd_u32(r);
	f->display = rd_bytes(r, f->display_len);
	f->k.layout = rd_u32(r);
	f->k.tx = rd_u32(r);
	f->k.size = rd_u64(r);
	f->k.ino = rd_u64(r);
	f->k.dev = rd_u64(r);
	f->k.mtime_ns = (int64_t)rd_u64(r);
	f->k.ctime_ns = (int64_t)rd_u64(r);
	f->sha = rd_bytes(r, 32);
	return r->bad ? -1 : 0;
}

/*
 * Is stored file i the prefix's file i? By name and layout, then by
 * metadata when it is old enough to be trusted, else by content (and
 * the key wants rewriting).
 */
static bool same_file(struct prefix_cache *pc, int i, const struct stored_file *f,
		      int64_t stored_ns)
{
	struct file_key *k = &pc->keys[i];

	if (f->display_len != strlen(k->display) ||
	    memcmp(f->display, k->display, f->display_len) || f->k.layout != k->layout ||
	    f->k.tx != k->tx)
		return false;
	if (same_stat(&f->k, k) && f->k.mtime_ns < stored_ns - RACY_NS &&
	    f->k.ctime_ns < stored_ns - RACY_NS) {
		memcpy(k->sha, f->sha, 32);
		k->hashed = true;
		return true;
	}
	if (hash_file(pc->h->items[i].path, k->sha))
		return false;
	k->hashed = true;
	pc->stale = true;
	return !memcmp(k->sha, f->sha, 32);
}

/* How many leading files of the prefix the stored list is, or 0. */
static int match_files(struct prefix_cache *pc)
{
	const struct section *s = &pc->sec[1];
	const unsigned char *b = (const unsigned char *)pc->buf + s->off;
	struct reader r = { b, b + s->len, false };
	int64_t stored_ns = (int64_t)rd_u64(&r);
	uint32_t n = rd_u32(&r);
	struct stored_file f;

	if (r.bad || !n || n > (uint32_t)pc->nr) {
		trace("miss: the cache is for %u files, the prefix has %d", n, pc->nr);
		return 0;
	}
	for (int i = 0; i < (int)n; i++) {
		if (read_stored(&r, &f))
			return 0;
		if (!same_file(pc, i, &f, stored_ns)) {
			trace("miss: '%s' is not the file cached", pc->keys[i].display);
			return 0;
		}
	}
	return r.p == r.end ? (int)n : 0;
}

/* The state cached, when the file is sound and its key ours. */
static void read_cache(struct prefix_cache *pc)
{
	const struct section *build;

	if (access(pc->file, F_OK)) {
		trace("miss: no cache file '%s'", pc->file);
		return;
	}
	if (load_file(pc)) {
		trace("miss: '%s' is damaged or foreign", pc->file);
		return;
	}
	build = &pc->sec[0];
	if (build->len != pc->build.len || memcmp(pc->buf + build->off, pc->build.buf, build->len)) {
		trace("miss: another build or other options");
		return;
	}
	pc->covers = match_files(pc);
}

struct prefix_cache *cache_open(const char *dir, const struct history *h, int nr,
				const void *opts, size_t len)
{
	struct prefix_cache *pc;
	struct timespec now;
	char *where = *dir ? xstrdup(dir) : cache_default_dir();

	if (!where) {
		warning("--cache: no cache directory (XDG_CACHE_HOME and HOME are not set),"
			" give one with --cache=DIR");
		return NULL;
	}
	pc = xcalloc(1, sizeof(*pc));
	pc->fd = -1;
	clock_gettime(CLOCK_REALTIME, &now);
	pc->key_ns = timespec_ns(&now);
	pc->dir = where;
	pc->h = h;
	pc->nr = nr;
	pc->keys = xcalloc((size_t)nr, sizeof(*pc->keys));
	strbuf_init(&pc->build);
	build_key(&pc->build, opts, len);
	if (take_keys(pc) || !(pc->file = cache_file_name(pc->dir, h, nr)))
		goto fail;
	read_cache(pc);
	if (hash_rest(pc))
		goto fail;
	if (pc->covers)
		trace("restoring %d of %d files from '%s'", pc->covers, nr, pc->file);
	return pc;
fail:
	cache_free(pc);
	return NULL;
}

int cache_covers(const struct prefix_cache *pc)
{
	return pc->covers;
}

static const struct section *find_part(const struct prefix_cache *pc, uint32_t tag)
{
	for (int i = 2; i < pc->nr_sec; i++)
		if (pc->sec[i].tag == tag && pc->sec[i].off + pc->sec[i].len <= pc->held)
			return &pc->sec[i];
	return NULL;
}

const void *cache_part(const struct prefix_cache *pc, uint32_t tag, size_t *len)
{
	const struct section *s = find_part(pc, tag);

	*len = s ? s->len : 0;
	return s ? pc->buf + s->off : NULL;
}

void *cache_take_last(struct prefix_cache *pc, uint32_t tag, size_t *len,
		      void *(*alloc)(size_t len), void (*drop)(void *mem))
{
	const struct section *s = &pc->sec[pc->nr_sec - 1];
	void *mem = NULL;

	*len = 0;
	if (pc->nr_sec <= 2 || s->tag != tag || pc->fd < 0 || pc->held != s->off)
		return NULL;
	mem = alloc(s->len);
	if (read_all(pc->fd, mem, s->len))
		goto bad;
	sum_add(&pc->sum, mem, s->len);
	pc->held += s->len;
	if (!sum_agrees(pc))
		goto bad;
	close(pc->fd);
	pc->fd = -1;
	*len = s->len;
	return mem;
bad:
	trace("miss: '%s' is damaged", pc->file);
	drop(mem);
	close(pc->fd);
	pc->fd = -1;
	return NULL;
}

bool cache_stale(const struct prefix_cache *pc)
{
	return pc->stale;
}

void cache_forget(struct prefix_cache *pc)
{
	trace("miss: the cached state could not be restored");
	pc->covers = 0;
}

/* ---- writing ---- */

static void encode_files(const struct prefix_cache *pc, struct strbuf *sb)
{
	put_u64(sb, (uint64_t)pc->key_ns);
	put_u32(sb, (uint32_t)pc->nr);
	for (int i = 0; i < pc->nr; i++) {
		const struct file_key *k = &pc->keys[i];

		put_u32(sb, (uint32_t)strlen(k->display));
		strbuf_addstr(sb, k->display);
		put_u32(sb, k->layout);
		put_u32(sb, k->tx);
		put_u64(sb, k->size);
		put_u64(sb, k->ino);
		put_u64(sb, k->dev);
		put_u64(sb, (uint64_t)k->mtime_ns);
		put_u64(sb, (uint64_t)k->ctime_ns);
		strbuf_add(sb, k->sha, 32);
	}
}

/* Where each section's data goes: 8-byte aligned after the table.
   Returns the file's length. */
static size_t lay_out(const struct cache_part *sec, int nr, size_t *off)
{
	size_t at = HEADER_LEN + (size_t)nr * ENTRY_LEN;

	for (int i = 0; i < nr; i++) {
		at = (at + 7) / 8 * 8;
		off[i] = at;
		at += sec[i].len;
	}
	return at;
}

/*
 * The file is the header and table ('head'), then each section 8-byte
 * aligned: sec[0..n-1] are written from where they are, so the catalog
 * image is never copied. Sets the checksum in 'head'.
 */
static void encode_head(const struct cache_part *sec, int n, struct strbuf *head)
{
	static const unsigned char zeros[8];
	size_t off[MAX_SECTIONS], len = lay_out(sec, n, off), at;
	struct sum sum;
	uint64_t v;

	strbuf_add(head, CACHE_MAGIC, MAGIC_LEN);
	put_u32(head, CACHE_FORMAT);
	put_u32(head, (uint32_t)n);
	put_u64(head, len);
	put_u64(head, 0);
	for (int i = 0; i < n; i++) {
		put_u32(head, sec[i].tag);
		put_u32(head, 0);
		put_u64(head, off[i]);
		put_u64(head, sec[i].len);
	}
	sum_init(&sum, len - HEADER_LEN);
	sum_add(&sum, head->buf + HEADER_LEN, head->len - HEADER_LEN);
	at = head->len;
	for (int i = 0; i < n; i++) {
		sum_add(&sum, zeros, off[i] - at);
		sum_add(&sum, sec[i].data, sec[i].len);
		at = off[i] + sec[i].len;
	}
	v = sum_final(&sum);
	for (int i = 0; i < 8; i++)
		head->buf[32 + i] = (char)(unsigned char)(v >> (8 * i));
}

/* mkdir -p, private: the cache shows which histories were linted. */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	struct stat st;
	int ret = 0;

	for (char *s = p + 1; ; s++) {
		char c = *s;

		if (c && c != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) && errno != EEXIST)
			ret = -1;
		*s = c;
		if (!c)
			break;
	}
	if (!ret && (stat(dir, &st) || !S_ISDIR(st.st_mode)))
		ret = -1;
	free(p);
	return ret;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The head, then each section after its padding. */
static int write_sections(int fd, const struct strbuf *head, const struct cache_part *sec, int n)
{
	static const char zeros[8];
	size_t at = head->len;

	if (write_all(fd, head->buf, head->len))
		return -1;
	for (int i = 0; i < n; i++) {
		size_t pad = (at + 7) / 8 * 8 - at;

		if (write_all(fd, zeros, pad) || write_all(fd, sec[i].data, sec[i].len))
			return -1;
		at += pad + sec[i].len;
	}
	return 0;
}

/* Write a temporary file beside the cache file and rename it over it:
   a reader sees the old file or the new one, never half of one. */
static int replace_file(struct prefix_cache *pc, const struct strbuf *head,
			const struct cache_part *sec, int n)
{
	char *tmp = xstrfmt("%s.XXXXXX", pc->file);
	int fd = -1, ret = -1, err;

	if (make_dirs(pc->dir) || (fd = mkstemp(tmp)) < 0)
		goto out;
	ret = write_sections(fd, head, sec, n);
	if (close(fd) && !ret)
		ret = -1;
	if (!ret && rename(tmp, pc->file))
		ret = -1;
out:
	if (ret) {
		err = errno;
		if (fd >= 0)
			unlink(tmp);
		warning("cannot write the cache '%s': %s", pc->file, strerror(err));
	}
	free(tmp);
	return ret;
}

static void write_cache(struct prefix_cache *pc, const struct cache_part *parts, int nr)
{
	struct cache_part sec[MAX_SECTIONS];
	struct strbuf files, head;
	int n = nr + 2;

	if (n > MAX_SECTIONS)
		BUG("too many cache parts: %d", nr);
	strbuf_init(&files);
	strbuf_init(&head);
	encode_files(pc, &files);
	sec[0] = (struct cache_part){ TAG_BUILD, pc->build.buf, pc->build.len };
	sec[1] = (struct cache_part){ TAG_FILES, files.buf, files.len };
	memcpy(sec + 2, parts, (size_t)nr * sizeof(*parts));
	encode_head(sec, n, &head);
	if (!replace_file(pc, &head, sec, n))
		trace("stored %d files in '%s' (%llu bytes)", pc->nr, pc->file,
		      (unsigned long long)get_le((const unsigned char *)head.buf + 24, 8));
	strbuf_release(&head);
	strbuf_release(&files);
}

void cache_store(struct prefix_cache *pc, const struct cache_part *parts, int nr)
{
	struct file_key now;

	for (int i = 0; i < pc->nr; i++)
		if (stat_file(pc->h->items[i].path, &now) || !same_stat(&now, &pc->keys[i])) {
			trace("not stored: '%s' changed during the run", pc->keys[i].display);
			return;
		}
	write_cache(pc, parts, nr);
}

void cache_free(struct prefix_cache *pc)
{
	if (!pc)
		return;
	if (pc->fd >= 0)
		close(pc->fd);
	for (int i = 0; pc->keys && i < pc->nr; i++)
		free(pc->keys[i].display);
	free(pc->keys);
	strbuf_release(&pc->build);
	free(pc->buf);
	free(pc->file);
	free(pc->dir);
	free(pc);
}
