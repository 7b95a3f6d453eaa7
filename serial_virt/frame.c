/* The framing of framed mode (frame.h). */
#include "frame.h"

/* CRC-32 a nibble at a time: table of the 16 values of the reflected polynomial 0xedb88320. */
static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu, 0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};

uint32_t frame_crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ crc_nibble[crc & 0xfu];
        crc = (crc >> 4) ^ crc_nibble[crc & 0xfu];
    }
    return ~crc;
}

uint32_t frame_cobs_encode(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap)
{
    uint32_t o = 0, code_at = 0;
    uint8_t code = 1;
    if (cap == 0)
        return 0;
    o = 1; /* room for the first block's code */
    for (uint32_t i = 0; i < n; i++) {
        if (in[i] == 0) {
            out[code_at] = code;
            if (o >= cap)
                return 0;
            code_at = o++;
            code = 1;
            continue;
        }
        if (o >= cap)
            return 0;
        out[o++] = in[i];
        if (++code == 0xff) {
            out[code_at] = code;
            if (i + 1 == n) /* a full block at the end needs no empty block after it */
                return o;
            if (o >= cap)
                return 0;
            code_at = o++;
            code = 1;
        }
    }
    out[code_at] = code;
    return o;
}

int32_t frame_cobs_decode(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap)
{
    uint32_t i = 0, o = 0;
    while (i < n) {
        uint32_t code = in[i++];
        if (code == 0 || code - 1 > n - i)
            return -1;
        for (uint32_t k = 1; k < code; k++) {
            if (in[i] == 0 || o >= cap)
                return -1;
            out[o++] = in[i++];
        }
        if (code != 0xff && i < n) {
            if (o >= cap)
                return -1;
            out[o++] = 0;
        }
    }
    return (int32_t)o;
}

uint32_t frame_encode(uint8_t type, uint8_t client, const uint8_t *payload, uint32_t len, uint8_t *out,
                      uint32_t cap)
{
    uint8_t body[FRAME_BODY_MAX];
    if (len > FRAME_PAYLOAD_MAX)
        return 0;
    body[0] = type;
    body[1] = client;
    for (uint32_t i = 0; i < len; i++)
        body[2 + i] = payload[i];
    uint32_t crc = frame_crc32(0, body, 2 + len);
    for (uint32_t i = 0; i < 4; i++)
        body[2 + len + i] = (uint8_t)(crc >> (8 * i));
    uint32_t n = frame_cobs_encode(body, 6 + len, out, cap);
    if (n == 0 || n >= cap)
        return 0;
    out[n] = 0;
    return n + 1;
}

void frame_decoder_init(struct frame_decoder *d)
{
    __builtin_memset(d, 0, sizeof(*d));
}

void frame_reject(struct frame_decoder *d)
{
    d->stats.frames--;
    d->stats.discarded++;
}

/* The span since the last 0x00 ended: a frame, or something to discard (an empty span, the gap
 * between two 0x00, is neither). */
static bool finish(struct frame_decoder *d, struct frame *f)
{
    uint32_t len = d->len;
    bool overflow = d->overflow;
    d->len = 0;
    d->overflow = false;
    if (len == 0 && !overflow)
        return false;
    int32_t n = overflow ? -1 : frame_cobs_decode(d->raw, len, d->body, FRAME_BODY_MAX);
    if (n < 6) {
        d->stats.discarded++;
        return false;
    }
    uint32_t plen = (uint32_t)n - 6;
    uint32_t want = (uint32_t)d->body[2 + plen] | (uint32_t)d->body[3 + plen] << 8 |
                    (uint32_t)d->body[4 + plen] << 16 | (uint32_t)d->body[5 + plen] << 24;
    if (frame_crc32(0, d->body, 2 + plen) != want) {
        d->stats.discarded++;
        return false;
    }
    f->type = d->body[0];
    f->client = d->body[1];
    f->len = plen;
    f->payload = d->body + 2;
    d->stats.frames++;
    return true;
}

bool frame_feed(struct frame_decoder *d, const uint8_t *b, uint32_t len, uint32_t *used, struct frame *f)
{
    for (uint32_t i = 0; i < len; i++) {
        if (b[i] == 0) {
            if (finish(d, f)) {
                *used = i + 1;
                return true;
            }
            continue;
        }
        if (d->len < FRAME_COBS_MAX)
            d->raw[d->len++] = b[i];
        else
            d->overflow = true;
    }
    *used = len;
    return false;
}
