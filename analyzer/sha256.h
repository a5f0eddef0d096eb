/*
 * sha256.h - SHA-256 (FIPS 180-4) and base64, for checking Atlas's
 * atlas.sum without a crypto library.
 */
#ifndef MIGSAFE_SHA256_H
#define MIGSAFE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;          /* bytes hashed */
	unsigned char buf[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest of everything so far; 's' is left as it was (Go's Sum). */
void sha256_peek(const struct sha256 *s, unsigned char out[32]);

/* Standard base64 with padding; 'out' has room for 4 * ((n + 2) / 3) + 1. */
void base64_encode(const unsigned char *in, size_t n, char *out);

#endif
