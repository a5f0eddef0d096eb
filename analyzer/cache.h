/*
 * cache.h - the state a history's prefix leaves, kept between runs
 * (--cache), so that linting one new migration does not replay the
 * whole history again.
 *
 * In pre-commit use one migration is named and its directory is the
 * history: files 0..k-1 (k: the first file in the lint range) are only
 * replayed, never linted. After replaying them the engine stores the
 * state they leave, as parts it names (the catalog's database image,
 * the replay's state, its own); a later run whose first k files are the
 * same loads them instead of replaying. A run whose prefix extends the
 * cached one (migrations were added after it) loads it and replays only
 * the files added; the cache then holds the longer prefix.
 *
 * The key is everything that decides that state: the build (migsafe's
 * version, the catalog schema's text, the executable's device, inode,
 * size and mtime), the options the engine passes ('opts'), and for each
 * file of the prefix in order its display path, its layout and
 * transaction mode as discovered, and its content (SHA-256). Reading
 * 2,000 files to hash them costs more than the rest of a cached run, so
 * a file whose size, mtime, ctime, inode and device are those recorded
 * is taken as unchanged without reading it, as git's index does, unless
 * its mtime or ctime was within a second of the time the key was taken
 * (it may have changed again within the file system's timestamp
 * granularity): such a file is hashed on every load until the key is
 * rewritten, which a load that had to hash does.
 *
 * One file per history, in the cache directory, named by a hash of the
 * absolute paths of the history's directories; it is replaced (a
 * temporary file renamed over it) when the key changes, so the cache
 * never grows. File format, integers little-endian:
 *
 *   magic "migsafe-cache\n\0\0" (16 bytes), u32 format version,
 *   u32 number of sections n, u64 file length, u64 checksum of every
 *   byte after these 40; a table of n entries: u32 tag, u32 0,
 *   u64 offset, u64 length; then the sections' bytes, each at its
 *   offset (8-byte aligned), zeros between.
 *   The first two sections are the key: the build and the options, and
 *   the list of files (u64 time the key was taken, in ns; u32 count;
 *   each: u32 length and the display path, u32 layout, u32 transaction
 *   mode, u64 size, inode, device, mtime and ctime in ns, the SHA-256).
 *   Then the engine's parts; the engine stores the catalog image last,
 *   and it ends the file.
 *
 * A file that is short, long, foreign, of another version or whose
 * checksum fails is a miss, as is one whose parts the engine cannot
 * restore (see cache_forget). The last part is read straight into the
 * memory that will hold it (cache_take_last), so the checksum is
 * complete only then: before, the key is compared (damage there can
 * only make a miss) and nothing else is used.
 *
 * Nothing is read or written unless the user asked for a cache: migsafe
 * writes nowhere but -o by default.
 */
#ifndef MIGSAFE_CACHE_H
#define MIGSAFE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "discover.h"

/* One part of the stored state; the engine's tags are below 0x10000. */
struct cache_part {
	uint32_t tag;
	const void *data;
	size_t len;
};

struct prefix_cache;

/* $XDG_CACHE_HOME/migsafe, else ~/.cache/migsafe (malloc'ed); NULL
   when neither variable is set to an absolute path. */
char *cache_default_dir(void);

/*
 * The cache in 'dir' ("": cache_default_dir()) for the first 'nr' files of 'h', keyed also by
 * 'opts' (len bytes, compared byte for byte). Captures the key now,
 * before the files are replayed. Returns NULL when the prefix cannot be
 * cached (a file cannot be read or is not a regular file); a missing,
 * foreign or corrupt cache file is no error, just a miss.
 */
struct prefix_cache *cache_open(const char *dir, const struct history *h, int nr,
				const void *opts, size_t len);

/*
 * How many leading files of the prefix the cached state is for: all
 * 'nr' of them, fewer (files were added after them), or 0 (a miss).
 */
int cache_covers(const struct prefix_cache *pc);

/*
 * The last part stored (the engine stores the catalog image last), read
 * from the file into memory from alloc(len), which is then the caller's.
 * Only now is the file's checksum complete: take the last part before
 * trusting the others. NULL when the last part has another tag, or the
 * file cannot be read or is damaged (the memory is given to drop()).
 * Once per cache.
 */
void *cache_take_last(struct prefix_cache *pc, uint32_t tag, size_t *len,
		      void *(*alloc)(size_t len), void (*drop)(void *mem));

/* A part of the cached state other than the last, valid until
   cache_free(); NULL when the cache has no such part. */
const void *cache_part(const struct prefix_cache *pc, uint32_t tag, size_t *len);

/* The cached parts could not be restored: a miss after all. */
void cache_forget(struct prefix_cache *pc);

/*
 * After the whole prefix was replayed: replace the cache file with its
 * key and 'parts'. Nothing is written when a prefix file changed since
 * cache_open() (the state may be of another content). A file that
 * cannot be written is a warning, once.
 */
void cache_store(struct prefix_cache *pc, const struct cache_part *parts, int nr);

/*
 * Files had to be read to be recognised (changed mtime, or a recent
 * one): when the prefix was restored whole, store it again all the same,
 * so that the next run need not.
 */
bool cache_stale(const struct prefix_cache *pc);

void cache_free(struct prefix_cache *pc);

#endif
