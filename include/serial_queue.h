/*
 * The serial queue protocol: one single-producer single-consumer byte ring per direction per
 * client, in a region shared by exactly two PDs. This header is the whole contract; both sides
 * include it. It is freestanding (stdint, stdbool, stddef and compiler builtins only), so it
 * builds for the host tests and for PDs linked with picolibc. docs/serial.md explains it.
 *
 * Layout of the shared region (offsets from its start):
 *   0                        struct serial_queue_ctrl (head, tail, the two signal flags)
 *   SERIAL_QUEUE_DATA_OFFSET the data area, `size` bytes, size a power of two
 *
 * head  is written only by the consumer: the free-running count of bytes it has consumed.
 * tail  is written only by the producer: the free-running count of bytes it has produced.
 * Both wrap at 2^32; tail - head (mod 2^32) is the number of filled bytes and is never more
 * than size while both sides follow the protocol. Byte number i lives at data[i & (size - 1)].
 *
 * Each side keeps a private struct serial_queue_handle: the size lives there, not in shared
 * memory, so the other side cannot change it. Everything read from shared memory is treated
 * as hostile: an index pair that claims more than size filled bytes is reported as corrupt
 * (serial_queue_corrupt) and makes every span empty, so no call ever reaches outside the data
 * area whatever the other side writes.
 *
 * Signalling (no one notifies on every byte, and no wake-up is lost):
 *   consumer_signal  set by the consumer that found the ring empty and is about to sleep;
 *                    tested and cleared by the producer after it publishes data, which then
 *                    notifies the consumer once.
 *   producer_signal  set by the producer that found the ring full and is about to sleep;
 *                    tested and cleared by the consumer after it publishes freed space, which
 *                    then notifies the producer once.
 * The sleeper sets its flag, then looks at the ring again (serial_queue_*_block does both and
 * says whether to sleep); the waker publishes its index, then tests the flag
 * (serial_queue_*_must_notify). Both orders go through a sequentially consistent fence, so at
 * least one of the two sees the other's write: either the sleeper sees the new index and does
 * not sleep, or the waker sees the flag and notifies. tests/serial/queue.pml checks this.
 *
 * Memory ordering: the producer writes data, then stores tail with release; the consumer loads
 * tail with acquire before reading data. The consumer reads data, then stores head with
 * release; the producer loads head with acquire before overwriting data.
 */
#ifndef SERIAL_QUEUE_H
#define SERIAL_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The data area starts this far into the shared region (one cache line of control). */
#define SERIAL_QUEUE_DATA_OFFSET 64u
/* The smallest data area init accepts. */
#define SERIAL_QUEUE_MIN_SIZE 2u

/* Shared control block, at the start of the region. Access only through the functions below. */
struct serial_queue_ctrl {
    uint32_t head;            /* consumer writes */
    uint32_t tail;            /* producer writes */
    uint32_t producer_signal; /* producer sets, consumer clears: "notify me when space frees" */
    uint32_t consumer_signal; /* consumer sets, producer clears: "notify me when data arrives" */
    /* A client's RX ring only (framed mode, docs/serial.md): the terminal size the host reported,
     * cols << 16 | rows, 0 = never set; and how many times it was set. Written by the producer
     * (serial_rx) only; read with serial_queue_winsize. */
    uint32_t winsize;
    uint32_t winsize_seq;
};

_Static_assert(sizeof(struct serial_queue_ctrl) <= SERIAL_QUEUE_DATA_OFFSET, "control block too large");

/* Private to one side: where its view of the ring is and how large the data area is. */
struct serial_queue_handle {
    struct serial_queue_ctrl *ctrl;
    uint8_t *data;
    uint32_t size; /* power of two, >= SERIAL_QUEUE_MIN_SIZE */
};

/* A snapshot of both indices, taken with one load of each. */
struct serial_queue_snap {
    uint32_t head;
    uint32_t tail;
    uint32_t filled; /* tail - head, or 0 when corrupt */
    bool corrupt;    /* tail - head > size */
};

/*
 * Either side. Sets up *h for a region of region_size bytes at region with a data area of size
 * bytes. Returns 0, or -1 (and leaves *h unusable) when size is 0, not a power of two, below
 * SERIAL_QUEUE_MIN_SIZE, or does not fit in the region after the control block, or the region is
 * NULL or misaligned for the control block. Writes nothing to shared memory.
 */
static inline int serial_queue_init(struct serial_queue_handle *h, void *region, size_t region_size,
                                    uint32_t size)
{
    h->ctrl = NULL;
    h->data = NULL;
    h->size = 0;
    if (region == NULL || ((uintptr_t)region % _Alignof(struct serial_queue_ctrl)) != 0)
        return -1;
    if (size < SERIAL_QUEUE_MIN_SIZE || (size & (size - 1u)) != 0)
        return -1;
    if (region_size < SERIAL_QUEUE_DATA_OFFSET || region_size - SERIAL_QUEUE_DATA_OFFSET < size)
        return -1;
    h->ctrl = (struct serial_queue_ctrl *)region;
    h->data = (uint8_t *)region + SERIAL_QUEUE_DATA_OFFSET;
    h->size = size;
    return 0;
}

/*
 * Whoever owns the region's set-up, before either side uses it (regions the image tool creates
 * are zero already): an empty ring, no flags set.
 */
static inline void serial_queue_reset(struct serial_queue_handle *h)
{
    __atomic_store_n(&h->ctrl->head, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->tail, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->producer_signal, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->winsize, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->winsize_seq, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->consumer_signal, 0, __ATOMIC_RELEASE);
}

/*
 * Either side. Both indices, each loaded once. The consumer gets the tail with acquire (the data
 * before it is visible); the producer gets the head with acquire (the consumer's reads before it
 * are done). Loading both with acquire serves either caller.
 */
static inline struct serial_queue_snap serial_queue_snapshot(const struct serial_queue_handle *h)
{
    struct serial_queue_snap s;
    s.head = __atomic_load_n(&h->ctrl->head, __ATOMIC_ACQUIRE);
    s.tail = __atomic_load_n(&h->ctrl->tail, __ATOMIC_ACQUIRE);
    s.filled = s.tail - s.head;
    s.corrupt = s.filled > h->size;
    if (s.corrupt)
        s.filled = 0;
    return s;
}

/* Either side. Bytes waiting to be consumed (0 when the indices are corrupt). */
static inline uint32_t serial_queue_filled(const struct serial_queue_handle *h)
{
    return serial_queue_snapshot(h).filled;
}

/* Either side. Bytes the producer may still write (0 when the indices are corrupt). */
static inline uint32_t serial_queue_space(const struct serial_queue_handle *h)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    return s.corrupt ? 0 : h->size - s.filled;
}

/* Either side. True when the shared indices claim more than size filled bytes. */
static inline bool serial_queue_corrupt(const struct serial_queue_handle *h)
{
    return serial_queue_snapshot(h).corrupt;
}

/* Either side. */
static inline bool serial_queue_empty(const struct serial_queue_handle *h)
{
    return serial_queue_filled(h) == 0;
}

/* Either side. False when corrupt: a producer must not write into a ring it cannot trust. */
static inline bool serial_queue_full(const struct serial_queue_handle *h)
{
    return serial_queue_space(h) == 0;
}

/* ---- producer side ---- */

/*
 * Producer only. The contiguous free span starting at the tail: *len bytes the producer may
 * write at the returned pointer before serial_queue_produce. *len is 0 when the ring is full
 * or corrupt. A second call after producing returns the part after the wrap.
 */
static inline uint8_t *serial_queue_free_span(const struct serial_queue_handle *h, uint32_t *len)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    uint32_t off = s.tail & (h->size - 1u);
    uint32_t space = s.corrupt ? 0 : h->size - s.filled;
    uint32_t to_end = h->size - off;
    *len = space < to_end ? space : to_end;
    return h->data + off;
}

/*
 * Producer only. Publishes n bytes written into the free span(s) (release: the bytes are
 * visible before the new tail). Returns 0, or -1 and publishes nothing when n is more than the
 * free space now (a caller bug, or corrupt indices).
 */
static inline int serial_queue_produce(struct serial_queue_handle *h, uint32_t n)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    if (s.corrupt || n > h->size - s.filled)
        return -1;
    __atomic_store_n(&h->ctrl->tail, s.tail + n, __ATOMIC_RELEASE);
    return 0;
}

/*
 * Producer only. Copies up to len bytes from buf into the ring (at most two copies, across the
 * wrap) and publishes them. Returns how many bytes were taken (0 when full or corrupt).
 */
static inline uint32_t serial_queue_write(struct serial_queue_handle *h, const void *buf, uint32_t len)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    if (s.corrupt)
        return 0;
    uint32_t space = h->size - s.filled;
    uint32_t n = len < space ? len : space;
    if (n == 0)
        return 0;
    uint32_t off = s.tail & (h->size - 1u);
    uint32_t first = h->size - off < n ? h->size - off : n;
    __builtin_memcpy(h->data + off, buf, first);
    __builtin_memcpy(h->data, (const uint8_t *)buf + first, n - first);
    __atomic_store_n(&h->ctrl->tail, s.tail + n, __ATOMIC_RELEASE);
    return n;
}

/*
 * Producer only, after producing. True when the consumer asked to be woken (it found the ring
 * empty); the flag is cleared here, and the caller must then notify the consumer once.
 */
static inline bool serial_queue_producer_must_notify(struct serial_queue_handle *h)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the new tail is visible before the flag is read */
    if (__atomic_load_n(&h->ctrl->consumer_signal, __ATOMIC_RELAXED) == 0)
        return false;
    return __atomic_exchange_n(&h->ctrl->consumer_signal, 0, __ATOMIC_SEQ_CST) != 0;
}

/*
 * Producer only, when the ring is full and it wants to wait. Sets producer_signal, then looks
 * at the ring again. Returns true when it is still full: sleep until notified, then try again.
 * Returns false when space appeared in between: do not sleep, write now. (The flag may stay set;
 * the consumer then sends one notification too many, which is harmless.) A corrupt ring counts
 * as full: the producer sleeps rather than spins on a peer that broke the protocol.
 */
static inline bool serial_queue_producer_block(struct serial_queue_handle *h)
{
    __atomic_store_n(&h->ctrl->producer_signal, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the flag is visible before the head is read */
    return serial_queue_full(h);
}

/*
 * Producer only (serial_rx, on a client's RX ring). Publishes the client's terminal size: the
 * word first, then the change counter with release, so a consumer that sees the new counter
 * sees the new size. The caller then notifies the consumer.
 */
static inline void serial_queue_set_winsize(struct serial_queue_handle *h, uint16_t cols, uint16_t rows)
{
    uint32_t seq = __atomic_load_n(&h->ctrl->winsize_seq, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->winsize, (uint32_t)cols << 16 | rows, __ATOMIC_RELAXED);
    __atomic_store_n(&h->ctrl->winsize_seq, seq + 1u, __ATOMIC_RELEASE);
}

/* ---- consumer side ---- */

/*
 * Consumer only (a client, on its RX ring). The terminal size: cols << 16 | rows, 0 when the host
 * never set one. *seq (may be NULL) gets the change counter: the size changed since the caller
 * last looked when it differs from the value the caller saw then. A hostile producer can only
 * make these two words say anything; they are plain values, never indices.
 */
static inline uint32_t serial_queue_winsize(const struct serial_queue_handle *h, uint32_t *seq)
{
    uint32_t s = __atomic_load_n(&h->ctrl->winsize_seq, __ATOMIC_ACQUIRE);
    if (seq != NULL)
        *seq = s;
    return __atomic_load_n(&h->ctrl->winsize, __ATOMIC_RELAXED);
}

/* ---- consumer side: the data ---- */

/*
 * Consumer only. The contiguous filled span starting at the head: *len bytes readable at the
 * returned pointer before serial_queue_consume. *len is 0 when empty or corrupt. A second call
 * after consuming returns the part after the wrap.
 */
static inline const uint8_t *serial_queue_filled_span(const struct serial_queue_handle *h, uint32_t *len)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    uint32_t off = s.head & (h->size - 1u);
    uint32_t to_end = h->size - off;
    *len = s.filled < to_end ? s.filled : to_end;
    return h->data + off;
}

/*
 * Consumer only. Frees n bytes read from the filled span(s) (release: the reads are done before
 * the producer may reuse the space). Returns 0, or -1 and frees nothing when n is more than is
 * filled now (a caller bug, or corrupt indices).
 */
static inline int serial_queue_consume(struct serial_queue_handle *h, uint32_t n)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    if (s.corrupt || n > s.filled)
        return -1;
    __atomic_store_n(&h->ctrl->head, s.head + n, __ATOMIC_RELEASE);
    return 0;
}

/*
 * Consumer only. Copies up to len bytes out of the ring into buf (at most two copies, across
 * the wrap) and frees them. Returns how many bytes were copied (0 when empty or corrupt).
 */
static inline uint32_t serial_queue_read(struct serial_queue_handle *h, void *buf, uint32_t len)
{
    struct serial_queue_snap s = serial_queue_snapshot(h);
    if (s.filled == 0)
        return 0;
    uint32_t n = len < s.filled ? len : s.filled;
    uint32_t off = s.head & (h->size - 1u);
    uint32_t first = h->size - off < n ? h->size - off : n;
    __builtin_memcpy(buf, h->data + off, first);
    __builtin_memcpy((uint8_t *)buf + first, h->data, n - first);
    __atomic_store_n(&h->ctrl->head, s.head + n, __ATOMIC_RELEASE);
    return n;
}

/*
 * Consumer only, after consuming. True when the producer asked to be woken (it found the ring
 * full); the flag is cleared here, and the caller must then notify the producer once.
 */
static inline bool serial_queue_consumer_must_notify(struct serial_queue_handle *h)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the new head is visible before the flag is read */
    if (__atomic_load_n(&h->ctrl->producer_signal, __ATOMIC_RELAXED) == 0)
        return false;
    return __atomic_exchange_n(&h->ctrl->producer_signal, 0, __ATOMIC_SEQ_CST) != 0;
}

/*
 * Consumer only, when the ring is empty and it wants to wait. Sets consumer_signal, then looks
 * at the ring again. Returns true when it is still empty: sleep until notified, then try again.
 * Returns false when data arrived in between: do not sleep, read now.
 */
static inline bool serial_queue_consumer_block(struct serial_queue_handle *h)
{
    __atomic_store_n(&h->ctrl->consumer_signal, 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the flag is visible before the tail is read */
    return serial_queue_empty(h);
}

#endif /* SERIAL_QUEUE_H */
