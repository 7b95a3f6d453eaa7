/* `mksys --list-inputs`: the files a system description names, for the build to make. */
#ifndef MKSYS_INPUTS_H
#define MKSYS_INPUTS_H

/* Parses `system` and writes to `out` a make fragment setting MKSYS_PROGRAMS (every
 * program_image, once each, in document order) and MKSYS_GUEST_FILES (every <linux_vm>'s
 * kernel and initrd, once each). A path that make cannot carry as one word is an error
 * naming the file and line. 0, or -1 after the error; nothing is written on error. */
int mksys_list_inputs(const char *system, const char *out);

#endif
