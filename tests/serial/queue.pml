/*
 * The signalling protocol of include/serial_queue.h, for spin. One producer and one consumer
 * share a ring of N bytes; the producer sends BYTES numbered bytes, in batches of any size that
 * fits, and the consumer takes them in batches of any size that is there (as the header's spans
 * allow: one index update per batch). Each access to shared memory
 * is one step, so either side may be preempted between any two (sequential consistency: the
 * header's seq_cst fences between "publish my index" and "read your flag", and between "set my
 * flag" and "read your index", give the same order). A notification is a binary semaphore:
 * signals coalesce, as seL4 notifications do.
 *
 * Both directions of signalling: the consumer sleeps on an empty ring (consumer_signal, woken by
 * the producer after it publishes data) and the producer sleeps on a full ring (producer_signal,
 * woken by the consumer after it publishes freed space).
 *
 * Checked (tests/serial/spin_check.sh):
 *   safety    the consumer asserts that each byte it reads is the next one sent (none lost,
 *             duplicated or reordered, and no slot overwritten before it was read) and that it
 *             received all BYTES at the end; a side asleep at the end is an invalid end state, so
 *             a lost wake-up (a side asleep while what it waits for holds, and nobody left to wake
 *             it) is reported as one.
 *   non-progress  (progress labels where bytes move) no cycle that moves no byte.
 *   liveness  (-DLIVENESS) the LTL property that a side that sleeps is eventually woken.
 * Broken variants, each of which must fail:
 *   -DBUG_EARLY_CLEAR   the consumer tests and clears producer_signal before it publishes the
 *                       freed space, instead of after.
 *   -DBUG_NO_RECHECK    the producer sets producer_signal and sleeps without looking at the ring
 *                       again.
 */
#ifndef N
#define N 2
#endif
#ifndef BYTES
#define BYTES 5
#endif

byte buf[N];
byte head = 0; /* consumer writes: bytes consumed (BYTES is small, so no wrap is modelled) */
byte tail = 0; /* producer writes: bytes produced */
bit producer_signal = 0;
bit consumer_signal = 0;
bit wake_producer = 0; /* the notifications */
bit wake_consumer = 0;
bit producer_asleep = 0;
bit consumer_asleep = 0;

/* Sleep until notified; a pending notification is taken at once. */
inline sleep(asleep, wake)
{
    asleep = 1;
    atomic { wake == 1 -> wake = 0; asleep = 0 }
}

active proctype producer()
{
    byte sent = 0;
    byte h, n;
    bit was;
    do
    :: sent < BYTES ->
        h = head;                        /* acquire load of head */
        if
        :: tail - h < N ->
            n = 0;                        /* write a batch of 1 .. free bytes */
            do
            :: n < N - (tail - h) && sent + n < BYTES -> buf[(tail + n) % N] = sent + n; n++
            :: n > 0 -> break
            od;
            tail = tail + n;              /* release store of tail */
            sent = sent + n;
progress_p:
            atomic { was = consumer_signal; consumer_signal = 0 } /* exchange */
            if
            :: was -> wake_consumer = 1   /* notify */
            :: else -> skip
            fi
        :: else ->
            producer_signal = 1;
#ifdef BUG_NO_RECHECK
            sleep(producer_asleep, wake_producer)
#else
            h = head;                     /* look again after setting the flag */
            if
            :: tail - h < N -> skip       /* space after all: do not sleep */
            :: else -> sleep(producer_asleep, wake_producer)
            fi
#endif
        fi
    :: else -> break
    od
}

active proctype consumer()
{
    byte got = 0;
    byte t, n;
    bit was;
    do
    :: got < BYTES ->
        t = tail;                         /* acquire load of tail */
        if
        :: t - head > 0 ->
            n = 0;                        /* read a batch of 1 .. filled bytes */
            do
            :: n < t - head -> assert(buf[(head + n) % N] == got); got++; n++ /* the next byte, once */
            :: n > 0 -> break
            od;
progress_c:
#ifdef BUG_EARLY_CLEAR
            atomic { was = producer_signal; producer_signal = 0 }
            head = head + n;
#else
            head = head + n;              /* release store of head */
            atomic { was = producer_signal; producer_signal = 0 } /* exchange */
#endif
            if
            :: was -> wake_producer = 1
            :: else -> skip
            fi
        :: else ->
            consumer_signal = 1;
            t = tail;                     /* look again after setting the flag */
            if
            :: t - head > 0 -> skip
            :: else -> sleep(consumer_asleep, wake_consumer)
            fi
        fi
    :: else -> break
    od;
    assert(got == BYTES && head == tail)
}

#ifdef LIVENESS
ltl woken { [] ((producer_asleep -> <> !producer_asleep) && (consumer_asleep -> <> !consumer_asleep)) }
#endif
