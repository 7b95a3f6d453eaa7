/*
 * Variables the image tool patches in the PD's ELF. They are forced into .data (even when
 * zero) so they have file contents to patch; zero means "no name, no capabilities".
 * `used` keeps them through --gc-sections even in a PD that never reads them.
 */
#include <microkit.h>

#define PATCHED __attribute__((used, section(".data")))

PATCHED char microkit_name[MICROKIT_PD_NAME_LENGTH];
PATCHED seL4_Word microkit_irqs;
PATCHED seL4_Word microkit_notifications;
PATCHED seL4_Word microkit_pps;
