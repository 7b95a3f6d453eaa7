/*
 * A PD has no process to return to. exit()/abort() from picolibc end here: report it, then
 * take an undefined-instruction exception so the kernel stops this PD (and tells its parent).
 */
#include <microkit.h>

#include "runtime.h"

void _exit(int status) __attribute__((noreturn));

void _exit(int status)
{
    mk_diag("exit", "exited with status", (uint64_t)(unsigned)status);
    mk_console_flush();
    for (;;)
        __asm__ volatile("udf #1");
}
