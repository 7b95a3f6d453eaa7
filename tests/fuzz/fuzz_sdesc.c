/* libFuzzer target: the system description (Microkit XML and <linux_vm>), on the unit-test
 * board, kernel and programs. A description mksys accepts must be accepted again in the
 * expanded form mksys itself writes (--emit-system). */
#include <stdio.h>
#include <stdlib.h>

#include "mksys_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *sys = fz_write(0, "fuzz.system", data, size);
    if (fz_mksys(&(struct fz_run){ .system = sys, .emit = 1 }))
        return 0;
    const char *again = fz_keep_expanded("again.system");
    if (fz_mksys(&(struct fz_run){ .system = again })) {
        fprintf(stderr, "fuzz: mksys accepted a description but rejects its own --emit-system output\n");
        abort();
    }
    return 0;
}
