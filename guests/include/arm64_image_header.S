/*
 * The arm64 Image header (the Linux boot protocol) that starts every bare-metal guest here, so
 * the VMM loads it exactly as it loads Linux: a branch to `entry`, text_offset 0 (the start of
 * guest RAM), image_size up to `end`, flags little-endian with 4 KiB pages, the "ARM\x64" magic.
 * Used first thing in the guest's .text.head, with _start on it.
 */
.macro arm64_image_header entry, end
    b       \entry
    .word   0
    .quad   0                       /* text_offset */
    .quad   \end - _start           /* image_size */
    .quad   0xa                     /* little-endian, 4 KiB pages */
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .word   0
.endm
