/*
 * The framing of framed mode (docs/serial.md, "Framed mode"): a frame is
 *     COBS( type:u8 client:u8 payload:0..240 bytes crc:u32 LE ) 0x00
 * with crc the CRC-32 of zlib / IEEE 802.3 over type, client and payload. The encoder writes one
 * whole frame into a buffer; the decoder is fed the line's bytes in any pieces and hands out each
 * valid frame, discarding (and counting) whatever lies between two 0x00 that is not one. It never
 * reads or writes outside its own buffer, whatever the input. Freestanding: no libc.
 */
#ifndef SERIAL_VIRT_FRAME_H
#define SERIAL_VIRT_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_PAYLOAD_MAX 240u
#define FRAME_BODY_MAX    (2u + FRAME_PAYLOAD_MAX + 4u) /* type, client, payload, crc */
#define FRAME_COBS_MAX    (FRAME_BODY_MAX + FRAME_BODY_MAX / 254u + 1u)
#define FRAME_WIRE_MAX    (FRAME_COBS_MAX + 1u) /* with the 0x00 that ends it */

#define FRAME_D      0x44u /* data */
#define FRAME_L      0x4cu /* client list (TX) or list request (host) */
#define FRAME_S      0x53u /* terminal size */
#define FRAME_Q      0x51u /* leave framed mode */
#define FRAME_SYSTEM 0xffu /* the client id of the system: the log, the virtualisers */

/* The entry sequence, in plain mode: Ctrl-\ Ctrl-B F R M 1. */
#define FRAME_ENTRY                                                                                          \
    "\x1c\x02"                                                                                               \
    "FRM1"
#define FRAME_ENTRY_LEN 6u

/* CRC-32 (reflected 0xedb88320, init and final xor 0xffffffff) of p[0..n-1], continuing crc
 * (0 to start). */
uint32_t frame_crc32(uint32_t crc, const uint8_t *p, uint32_t n);

/* COBS of in[0..n-1] into out (no 0x00 appended). Returns its length, or 0 when it does not fit
 * in cap bytes (it needs at most n + n / 254 + 1). */
uint32_t frame_cobs_encode(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap);
/* Decodes COBS in[0..n-1] (no 0x00 in it) into out. Returns the decoded length, or -1 when it is
 * not valid COBS (a 0x00, a block running past the end) or does not fit in cap bytes. */
int32_t frame_cobs_decode(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap);

/* One whole frame, its 0x00 included, into out (cap at least FRAME_WIRE_MAX is always enough).
 * Returns its length, or 0 when len > FRAME_PAYLOAD_MAX or it does not fit. */
uint32_t frame_encode(uint8_t type, uint8_t client, const uint8_t *payload, uint32_t len, uint8_t *out,
                      uint32_t cap);

/* A decoded frame; payload points into the decoder and is valid until the next feed. */
struct frame {
    uint8_t type;
    uint8_t client;
    uint32_t len;
    const uint8_t *payload;
};

struct frame_stats {
    uint64_t frames;    /* valid frames handed out */
    uint64_t discarded; /* spans between two 0x00 that were not a frame (frame_reject counts too) */
};

struct frame_decoder {
    uint8_t raw[FRAME_COBS_MAX]; /* bytes since the last 0x00 */
    uint32_t len;
    bool overflow; /* more than FRAME_COBS_MAX bytes since the last 0x00: discard at the next */
    uint8_t body[FRAME_BODY_MAX];
    struct frame_stats stats;
};

void frame_decoder_init(struct frame_decoder *d);

/*
 * Feeds b[0..len-1]. Returns true when a valid frame (CRC matched, 6 to 246 bytes) ended within
 * them: *f is that frame and *used the bytes taken, up to and including its 0x00; the caller
 * feeds the rest again after handling it. Returns false when every byte was taken (*used = len)
 * and no frame ended. Type and client are not checked here: a caller that does not know them
 * calls frame_reject, which counts the frame as discarded.
 */
bool frame_feed(struct frame_decoder *d, const uint8_t *b, uint32_t len, uint32_t *used, struct frame *f);

void frame_reject(struct frame_decoder *d);

#endif
