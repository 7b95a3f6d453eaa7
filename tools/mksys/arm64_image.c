/* The VMM's arm64 Image header parser, compiled into the image tool as it is: one parser, so
 * the tool and the VMM agree on where a guest kernel goes (see vmm/src/arm64_image.c). */
#include "../../vmm/src/arm64_image.c"
