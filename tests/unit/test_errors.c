/* Every broken description gives exactly one error with the right file, line and text,
 * and no image is written. Fixtures are in fixtures/err/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "err_cases.h"
#include "harness.h"

static const struct err_case cases[] = {
    { .name = "unknown_attr",
      .expect = SYS("unknown_attr") ":3: error: unknown attribute 'colour' on <memory_region>" },
    { .name = "unknown_element",
      .expect = SYS("unknown_element") ":4: error: unknown element <virtual_machine> in <system>" },
    { .name = "missing_attr",
      .expect = SYS("missing_attr") ":6: error: <map> is missing required attribute 'vaddr'" },
    { .name = "bad_number",
      .expect = SYS("bad_number") ":3: error: <memory_region> attribute size=\"0x1g00\" is not a number" },
    { .name = "unknown_mr",
      .expect = SYS("unknown_mr") ":6: error: PD 'a': <map> refers to unknown memory region 'nope'" },
    { .name = "unknown_pd",
      .expect = SYS("unknown_pd") ":8: error: <end> refers to unknown protection domain 'b'" },
    { .name = "dup_mr",
      .expect = SYS("dup_mr") ":4: error: duplicate memory region name 'buf' (first defined on line 3)" },
    { .name = "dup_pd",
      .expect = SYS("dup_pd") ":6: error: duplicate protection domain name 'a' (first defined on line 3)" },
    { .name = "mr_size",
      .expect = SYS("mr_size") ":3: error: memory region 'buf': size 0x1800 is not a non-zero multiple of "
                               "its page size 0x1000" },
    { .name = "mr_phys_misaligned",
      .expect = SYS("mr_phys_misaligned") ":3: error: memory region 'dev': phys_addr 0x9001000 is not "
                                          "aligned to its page size 0x200000" },
    { .name = "page_size",
      .expect = SYS("page_size") ":3: error: memory region 'buf': page_size 0x10000 is not supported (use "
                                 "0x1000 or 0x200000)" },
    { .name = "map_misaligned",
      .expect = SYS("map_misaligned") ":6: error: PD 'a': map of 'buf' at vaddr 0x3000800 is not aligned to "
                                      "the region's page size 0x1000" },
    { .name = "mr_overlap",
      .expect = SYS("mr_overlap") ":4: error: memory region 'gpio' (0x8fff000-0x9001000) overlaps memory "
                                  "region 'uart' (line 3, 0x9000000-0x9001000)" },
    { .name = "map_twice",
      .expect = SYS("map_twice") ":8: error: PD 'a': map of 'buf2' at 0x3001000-0x3002000 overlaps map of "
                                 "'buf' at 0x3000000-0x3002000 (line 7)" },
    { .name = "map_program",
      .expect = SYS("map_program") ":6: error: PD 'a': map of 'buf' at 0x200000-0x201000 overlaps program "
                                   "segment 0x1ff000-0x201000 of '{OUT}/pd.elf'" },
    { .name = "map_reserved",
      .expect =
          SYS("map_reserved") ":6: error: PD 'a': map of 'buf' at 0x7ff00000-0x7ff01000 overlaps the "
                              "runtime's reserved area 0x7fe00000-0x80000000 (stack, vectors, IPC buffer)" },
    { .name = "irq_twice",
      .expect = SYS("irq_twice") ":9: error: IRQ 40 is given to PD 'b' here and to PD 'a' on line 5" },
    { .name = "irq_kernel",
      .expect =
          SYS("irq_kernel") ":5: error: PD 'a': IRQ 26 is owned by the kernel (the EL2 physical timer)" },
    { .name = "irq_maintenance",
      .expect = SYS("irq_maintenance") ":5: error: PD 'a': IRQ 25 is owned by the kernel (the GIC "
                                       "maintenance interrupt)" },
    { .name = "irq_range",
      .expect = SYS("irq_range") ":5: error: IRQ 1020 out of range: must be a PPI or SPI INTID (16..1019)" },
    { .name = "trigger",
      .expect =
          SYS("trigger") ":5: error: <irq> attribute trigger=\"rising\" must be \"level\" or \"edge\"" },
    { .name = "channel_id",
      .expect = SYS("channel_id") ":12: error: PD 'a': channel id 1 is already used on line 5" },
    { .name = "channel_id_range",
      .expect = SYS("channel_id_range") ":10: error: <end> id 62 out of range 0..61" },
    { .name = "channel_one_end",
      .expect = SYS("channel_one_end") ":6: error: <channel> must have exactly two <end> elements, found 1" },
    { .name = "priority", .expect = SYS("priority") ":3: error: PD 'a': priority 255 out of range 0..254" },
    { .name = "pp_lower",
      .expect = SYS("pp_lower") ":10: error: PD 'a' (priority 100) may not ppcall PD 'b' (priority 50): the "
                                "callee's priority must be strictly higher" },
    { .name = "pp_equal",
      .expect = SYS("pp_equal") ":11: error: PD 'b' (priority 50) may not ppcall PD 'a' (priority 50): the "
                                "callee's priority must be strictly higher" },
    { .name = "pp_both",
      .expect = SYS("pp_both") ":9: error: channel between 'a' and 'b' has pp=\"true\" on both ends" },
    { .name = "missing_elf",
      .expect = SYS("missing_elf") ":4: error: PD 'a': program image 'nope.elf' not found in the search path "
                                   "({OUT}/no-such-dir, {OUT})" },
    { .name = "not_aarch64",
      .expect = "{OUT}/pd_x86.elf: error: not an AArch64 little-endian 64-bit ELF (e_machine 62)" },
    { .name = "not_executable",
      .expect = "{OUT}/pd.o: error: not an executable (e_type 1; link it, and without -pie)" },
    { .name = "pd_high",
      .expect = SYS("pd_high") ":4: error: PD 'a': program segment 0x7feff000-0x7ff01000 of "
                               "'{OUT}/pd_high.elf' is not below 0x7fe00000 (the runtime's reserved area)" },
    { .name = "setvar_missing",
      .expect = SYS("setvar_missing") ":6: error: symbol 'nosuch' not found in '{OUT}/pd.elf'" },
    { .name = "setvar_bss",
      .expect = SYS("setvar_bss") ":6: error: symbol 'in_bss' in '{OUT}/pd.elf' is in .bss (not stored in "
                                  "the file); initialise it to move it to .data" },
    { .name = "setvar_unknown_mr",
      .expect =
          SYS("setvar_unknown_mr") ":5: error: PD 'a': <setvar> refers to unknown memory region 'nope'" },
    { .name = "passive", .expect = SYS("passive") ":3: error: PD 'a': passive PDs are not supported" },
    { .name = "child_no_id",
      .expect = SYS("child_no_id") ":5: error: child PD 'c' is missing required attribute 'id'" },
    { .name = "child_dup_id",
      .expect = SYS(
          "child_dup_id") ":8: error: child PD 'c2': id 1 is already used by child PD 'c1' (line 5) of 'a'" },
    { .name = "top_level_id",
      .expect = SYS(
          "top_level_id") ":3: error: PD 'a': attribute 'id' is only allowed on a child protection_domain" },
    { .name = "no_image", .expect = SYS("no_image") ":3: error: PD 'a' has no <program_image>" },
    { .name = "two_images",
      .expect = SYS("two_images") ":5: error: PD 'a' has more than one <program_image> (first on line 4)" },
    { .name = "stack_size",
      .expect = SYS("stack_size") ":3: error: PD 'a': stack_size 0x1800 must be a non-zero multiple of "
                                  "0x1000 and at most 0x100000" },
    { .name = "stack_too_big",
      .expect = SYS("stack_too_big") ":3: error: PD 'a': stack_size 0x101000 must be a non-zero multiple of "
                                     "0x1000 and at most 0x100000" },
    { .name = "perms",
      .expect = SYS(
          "perms") ":6: error: <map> attribute perms=\"rwz\" must be a non-empty combination of r, w and x" },
    { .name = "bool",
      .expect = SYS("bool") ":6: error: <map> attribute cached=\"yes\" must be \"true\" or \"false\"" },
    { .name = "name_too_long",
      .expect = SYS("name_too_long") ":3: error: protection domain name "
                                     "'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp' "
                                     "must be 1..63 characters" },
    { .name = "too_many_pds",
      .expect = SYS("too_many_pds") ":66: error: too many protection domains: at most 63 are supported" },
    { .name = "xml_syntax",
      .expect = SYS("xml_syntax") ":6: error: XML syntax error: Premature end of data in tag system line 2" },
    { .name = "wrong_root",
      .expect = SYS("wrong_root") ":2: error: root element is <sistem>, expected <system>" },
    { .name = "text", .expect = SYS("text") ":3: error: unexpected text in <system>" },
    { .name = "mr_too_big",
      .expect =
          SYS("mr_too_big") ": error: system does not fit in RAM: needs 0x40018000 bytes from 0x40200000 to "
                            "0x80218000 (of them 0x6000 for 6 stage-2 table pages), RAM ends at 0x80000000" },
    { .name = "no_fit_tiny_ram",
      .board = TEST_OUT "/board_tiny.dtb",
      .expect = "{FIX}/valid.system: error: system does not fit in RAM: needs 0x419000 bytes from 0x40200000 "
                "to 0x40619000 (of them 0x15000 for 21 stage-2 table pages), RAM ends at 0x40300000",
      .system = FIXTURES "/valid.system" },
    { .name = "mr_over_image",
      .expect = SYS("mr_over_image") ":3: error: memory region 'ram' (0x40201000-0x40202000) overlaps the "
                                     "image in RAM (0x40200000-0x40218000)" },
    { .name = "kernel_outside_ram",
      .kernel = TEST_OUT "/pd.elf",
      .system = FIXTURES "/valid.system",
      .expect = "{OUT}/pd.elf: error: load address 0x1ff000 is outside RAM 0x40000000-0x80000000" },
    { .name = "kernel_bad_magic",
      .kernel = TEST_OUT "/kernel_bad_magic.elf",
      .system = FIXTURES "/valid.system",
      .expect = "{OUT}/kernel_bad_magic.elf: error: does not start with an arm64 Image header (no "
                "\"ARM\\x64\" magic at 0x38)" },
    { .name = "kernel_text_offset",
      .kernel = TEST_OUT "/kernel_text_offset.elf",
      .system = FIXTURES "/valid.system",
      .expect =
          "{OUT}/kernel_text_offset.elf: error: load address 0x40200000 does not match its Image header: "
          "text_offset 0x80000 means it is loaded at 0x40080000" },
    { .name = "kernel_no_symbol",
      .kernel = TEST_OUT "/kernel_no_symbol.elf",
      .system = FIXTURES "/valid.system",
      .expect = "{OUT}/kernel_no_symbol.elf: error: symbol 'boot_sysimg_pa' not found in "
                "'{OUT}/kernel_no_symbol.elf'" },
    { .name = "missing_system",
      .expect = SYS("missing_system") ": error: cannot open system description: No such file or directory" },
    /* <virtual_machine> */
    { .name = "vm_map_overlap",
      .expect = SYS("vm_map_overlap") ":10: error: VM 'linux': map of 'dev' at 0x40100000-0x40101000 "
                                      "overlaps map of 'ram' at 0x40000000-0x40200000 (line 9)" },
    { .name = "vm_map_misaligned",
      .expect = SYS("vm_map_misaligned") ":8: error: VM 'linux': map of 'ram' at vaddr 0x40001000 is not "
                                         "aligned to the region's page size 0x200000" },
    { .name = "vm_unknown_mr",
      .expect = SYS("vm_unknown_mr") ":8: error: VM 'linux': <map> refers to unknown memory region 'nope'" },
    { .name = "vm_dup_vcpu",
      .expect = SYS("vm_dup_vcpu") ":7: error: VM 'linux': vCPU id 0 is already used on line 6" },
    { .name = "vm_vcpu_child",
      .expect = SYS("vm_vcpu_child") ":10: error: VM 'linux': vCPU id 1 is already used by child PD 'c' "
                                     "(line 5) of 'vmm'" },
    { .name = "vm_vtimer",
      .expect =
          SYS("vm_vtimer") ":5: error: VM 'linux': vtimer must be \"kernel\" or \"vmm\", not \"guest\"" },
    { .name = "vm_priority",
      .expect = SYS("vm_priority") ":5: error: VM 'linux' (priority 200) must have a lower priority than its "
                                   "VMM 'vmm' (priority 200), which handles its exits" },
    { .name = "vm_too_many_vcpus",
      .expect = SYS("vm_too_many_vcpus") ":14: error: VM 'linux' has more than 8 vCPUs" },
    { .name = "vm_too_many_pds",
      .expect = SYS("vm_too_many_pds") ":61: error: too many protection domains and vCPUs: 57 PDs and 7 "
                                       "vCPUs, at most 63 in total" },
    { .name = "vm_two",
      .expect = SYS("vm_two") ":8: error: PD 'vmm' has more than one virtual machine (first on line 5)" },
    { .name = "vm_no_vcpu", .expect = SYS("vm_no_vcpu") ":5: error: VM 'linux' has no <vcpu>" },
    { .name = "vm_setvar",
      .expect = SYS("vm_setvar") ":8: error: unknown attribute 'setvar_vaddr' on <map>" },
    { .name = "vm_dup_name",
      .expect =
          SYS("vm_dup_name") ":11: error: duplicate virtual machine name 'linux' (first defined on line 5)" },
    /* <linux_vm> */
    { .name = "guest_unknown_node",
      .expect = SYS("guest_unknown_node") ":6: error: guest 'linux': passthrough node '/uart@1234' is not in "
                                          "the board device tree ({OUT}/board.dtb)" },
    { .name = "guest_node_no_reg",
      .expect = SYS("guest_node_no_reg") ":6: error: guest 'linux': passthrough node '/apb-pclk' has no "
                                         "'reg' property" },
    { .name = "guest_missing_kernel",
      .expect = SYS("guest_missing_kernel") ":5: error: guest 'linux': kernel 'vmlinuz' not found in the "
                                            "search path ({OUT}/no-such-dir, {OUT})" },
    { .name = "guest_missing_initrd",
      .expect = SYS("guest_missing_initrd") ":6: error: guest 'linux': initrd 'nope.cpio' not found in the "
                                            "search path ({OUT}/no-such-dir, {OUT})" },
    { .name = "guest_bad_magic",
      .expect = SYS("guest_bad_magic") ":5: error: guest 'linux': kernel '{OUT}/Image_bad_magic' is not an "
                                       "arm64 Image (no \"ARM\\x64\" magic at 0x38)" },
    { .name = "guest_no_fit",
      .expect = SYS("guest_no_fit") ":6: error: guest 'linux': kernel (268435456 bytes) + initrd (8893 "
                                    "bytes) + DTB do not fit in its RAM of 16777216 bytes" },
    { .name = "guest_initrd_overlap",
      .expect = SYS("guest_initrd_overlap") ":6: error: guest 'linux': kernel (3145728 bytes) + initrd (8893 "
                                            "bytes) + DTB do not fit in its RAM of 5242880 bytes" },
    { .name = "guest_foreign_access",
      .expect = SYS("guest_foreign_access") ":6: error: guest 'linux': on_foreign_access must be \"abort\" "
                                            "or \"stop\", not \"ignore\"" },
    { .name = "guest_ram_misaligned",
      .expect = SYS("guest_ram_misaligned") ":5: error: guest 'linux': ram_base 0x40100000 is not 2 MiB "
                                            "aligned (Linux needs a 2 MiB aligned RAM base)" },
    { .name = "guest_ram_gic",
      .expect = SYS("guest_ram_gic") ":5: error: guest 'linux': RAM 0x8000000-0x9000000 overlaps the GIC the "
                                     "VMM emulates (GICD 0x8000000, GICR 0x80a0000-0x80c0000)" },
    { .name = "guest_no_vmm_config",
      .expect = SYS("guest_no_vmm_config") ":5: error: symbol 'vmm_config' not found in '{OUT}/pd.elf'" },
    { .name = "guest_no_irq_id",
      .expect = SYS("guest_no_irq_id") ":6: error: guest 'linux': passthrough node '/pl011@9000000' has "
                                       "interrupts but no irq_id (the VMM's channel id for the first)" },
    { .name = "guest_pass_gic",
      .expect = SYS("guest_pass_gic") ":6: error: guest 'linux': node '/intc@8000000/its@8080000' cannot be "
                                      "passed through: the VMM provides the GIC, the CPUs and RAM" },
    { .name = "guest_needs_clock",
      .expect = SYS("guest_needs_clock") ":5: error: guest 'linux': passthrough node '/serial@9050000' needs "
                                         "'/clock-controller@9040000' (its 'clocks'), which the guest is not "
                                         "given: pass that through too" },
    { .name = "guest_vcpus",
      .expect = SYS("guest_vcpus") ":5: error: guest 'linux': vcpus 9 out of range 1..8" },
    { .name = "guest_priority",
      .expect = SYS("guest_priority") ":5: error: VM 'linux' (priority 100) must have a lower priority than "
                                      "its VMM 'vmm' (priority 100), which handles its exits" },
    { .name = "guest_irq_taken",
      .expect =
          SYS("guest_irq_taken") ":10: error: IRQ 33 is given to PD 'vmm' here and to PD 'uart' on line 5" },
    { .name = "guest_ppi",
      .expect = SYS("guest_ppi") ":6: error: guest 'linux': passthrough node '/ppi-device@9070000': "
                                 "interrupt <1 8 4> is a PPI (INTID 24): only SPIs can be passed through" },
    { .name = "guest_twice",
      .expect = SYS("guest_twice") ":7: error: guest 'linux': node 'serial0' is passed through twice (first "
                                   "on line 6)" },
    /* CPU placement (board_smp2: cores 0 and 1) */
    { .name = "cpu_pd",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect = SYS("cpu_pd") ":6: error: PD 'x': cpu 2 but board has 2 cores (0..1)" },
    { .name = "cpu_child",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect = SYS("cpu_child") ":5: error: PD 'c': cpu 16 but board has 2 cores (0..1)" },
    { .name = "cpu_one_core",
      .expect = SYS("cpu_one_core") ":3: error: PD 'a': cpu 1 but board has 1 core (0)" },
    { .name = "cpu_huge",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect = SYS("cpu_huge") ":3: error: PD 'a': cpu 18446744073709551615 but board has 2 cores (0..1)" },
    { .name = "cpu_junk",
      .expect = SYS("cpu_junk") ":3: error: <protection_domain> attribute cpu=\"-1\" is not a number" },
    { .name = "cpu_vcpu",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect = SYS("cpu_vcpu") ":8: error: VM 'linux': vCPU 1: cpu 2 but board has 2 cores (0..1)" },
    { .name = "cpu_vmm_out_of_range",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect = SYS("cpu_vmm_out_of_range") ":3: error: PD 'vmm': cpu 3 but board has 2 cores (0..1)" },
    { .name = "guest_cpus_count",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect = SYS("guest_cpus_count") ":6: error: guest 'linux': cpus=\"0, 1, 1\" gives 3 cores for its 2 "
                                        "vCPUs (one each)" },
    { .name = "guest_cpus_empty",
      .expect = SYS("guest_cpus_empty") ":6: error: guest 'linux': cpus=\" , \" gives 0 cores for its 1 vCPU "
                                        "(one each)" },
    { .name = "guest_cpus_range",
      .board = TEST_OUT "/board_smp2.dtb",
      .expect =
          SYS("guest_cpus_range") ":6: error: guest 'linux': cpus: vCPU 1 on cpu 2 but board has 2 cores "
                                  "(0..1)" },
    { .name = "guest_cpus_junk",
      .expect = SYS("guest_cpus_junk") ":6: error: guest 'linux': cpus=\"0;1\": '0;1' is not a core number" },
    { .name = "board_no_psci_method",
      .board = TEST_OUT "/board_smp2_nopsci.dtb",
      .system = FIXTURES "/valid.system",
      .expect = "{OUT}/board_smp2_nopsci.dtb: error: 2 cores but /psci has no method (\"smc\" or \"hvc\")" },
    { .name = "guest_unknown_attr",
      .expect = SYS("guest_unknown_attr") ":5: error: unknown attribute 'dtb' on <linux_vm>" },
};

int main(void)
{
    return run_err_cases("errors", cases, sizeof cases / sizeof cases[0], NULL, 0);
}
