/* peer and peer_far: the other end of bench's round trips (bench's channels 0 and 2; channel 0
 * here in both). It answers at once and prints nothing. */
#include <microkit.h>

#define CH_BENCH 0

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch == CH_BENCH)
        microkit_notify(CH_BENCH);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    microkit_mr_set(0, microkit_mr_get(0) + 1);
    return microkit_msginfo_new(0, 1);
}
