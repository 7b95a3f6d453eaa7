/* Built with the PD compiler and flags (freestanding, picolibc, aarch64) by test-serial: the
 * queue header must compile there as it does for the host, with its atomics inlined. */
#include "serial_queue.h"

uint32_t pd_build_echo(struct serial_queue_handle *in, struct serial_queue_handle *out);

/* A consumer on one ring and a producer on another, as a driver or virtualiser would be. */
uint32_t pd_build_echo(struct serial_queue_handle *in, struct serial_queue_handle *out)
{
    uint8_t buf[32];
    uint32_t n = serial_queue_read(in, buf, sizeof(buf));
    uint32_t m = serial_queue_write(out, buf, n);
    uint32_t len;
    const uint8_t *span = serial_queue_filled_span(in, &len);
    if (len > 0 && span[0] == 0)
        serial_queue_consume(in, 1);
    uint8_t *free = serial_queue_free_span(out, &len);
    if (len > 0) {
        free[0] = 0;
        serial_queue_produce(out, 1);
    }
    if (serial_queue_consumer_must_notify(in) || serial_queue_producer_must_notify(out))
        m++;
    if (serial_queue_empty(in) && serial_queue_consumer_block(in))
        m++;
    if (serial_queue_full(out) && serial_queue_producer_block(out))
        m++;
    return m;
}
