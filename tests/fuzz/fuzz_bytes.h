/* Reading a fuzz input as a stream of little-endian fields; past the end every read is 0,
 * so any input decodes to something and short inputs stay meaningful. */
#ifndef FUZZ_BYTES_H
#define FUZZ_BYTES_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_bytes {
    const uint8_t *p;
    size_t left;
};

static inline uint64_t fb_take(struct fuzz_bytes *b, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n && b->left; i++, b->left--)
        v |= (uint64_t)*b->p++ << (8 * i);
    return v;
}

static inline uint8_t fb_u8(struct fuzz_bytes *b)
{
    return (uint8_t)fb_take(b, 1);
}
static inline uint16_t fb_u16(struct fuzz_bytes *b)
{
    return (uint16_t)fb_take(b, 2);
}
static inline uint32_t fb_u32(struct fuzz_bytes *b)
{
    return (uint32_t)fb_take(b, 4);
}
static inline uint64_t fb_u64(struct fuzz_bytes *b)
{
    return fb_take(b, 8);
}

#endif
