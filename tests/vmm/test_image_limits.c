/* The VMM refuses at boot exactly what the image tool refuses at build time, from the same
 * limits (include/sys_limits.h): Microkit vCPU ids 0..61, and only the SPIs its virtual GIC
 * implements passed through (a higher one was accepted, then never delivered nor acked). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "sys_limits.h"

static void vcpu_ids_stop_at_61(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.gicr_size = VGIC_GICR_STRIDE;
    fx.cfg.vcpu_id = SYS_MAX_VCPU_ID;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_OK);
    fx.cfg.vcpu_id = SYS_MAX_VCPU_ID + 1;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_VCPU);
    assert_int_equal(fake_log_count("boot vCPU id 62 is not below 62"), 1);
}

static void passthrough_spis_stop_at_the_vgic(void **state)
{
    (void)state;
    fx_setup();
    fx.cfg.irqs[0].intid = 32 + SYS_VGIC_NUM_SPIS - 1; /* INTID 127: the vGIC's last SPI */
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_OK);
    fx.cfg.irqs[0].intid = 32 + SYS_VGIC_NUM_SPIS;
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_IRQ);
    assert_int_equal(fake_log_count("passthrough IRQ 0 has INTID 128 on channel 5: an SPI the virtual "
                                    "GIC implements (INTID 32..127"),
                     1);
    fx_setup();
    fx.cfg.irqs[0].channel = SYS_MAX_CHANNELS; /* channel 62: not a Microkit channel */
    assert_int_equal(vmm_config_check(&fx.cfg), VMM_CONFIG_ERR_IRQ);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vcpu_ids_stop_at_61),
        cmocka_unit_test(passthrough_spis_stop_at_the_vgic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
