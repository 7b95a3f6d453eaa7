/* The timers system's writer PD (examples/timers/writer.c), unchanged: the timers_smp system
 * (systems/qemu_virt/timers_smp.system) runs it on core 1, beside two of the three guests. */
#include "../timers/writer.c"
