/* `mksys --list-inputs`: the files a system description names, for the build to make. */
#ifndef MKSYS_INPUTS_H
#define MKSYS_INPUTS_H

/* Parses `system` and writes to `out` a make fragment setting MKSYS_PROGRAMS (every
 * program_image, once each, in document order, then a <serial>'s driver and virtualisers) and MKSYS_GUEST_FILES (every <linux_vm>'s
 * kernel and initrd, once each). A path that make cannot carry as one word is an error
 * naming the file and line. 0, or -1 after the error; nothing is written on error. */
int mksys_list_inputs(const char *system, const char *out);
/* The same, with the board's device tree (board may be NULL): a <serial> then lists exactly
 * its UART's driver program instead of every driver mksys knows. */
int mksys_list_inputs_board(const char *system, const char *board, const char *out);

#endif
