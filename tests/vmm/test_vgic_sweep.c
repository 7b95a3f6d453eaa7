/* Robustness: every offset of every frame, every access size, read and write, must be handled
 * (true, RAZ/WI where unknown) without crashing, and the log must stay bounded. */
#include "test_vgic_fake.h"

static void sweep(void **state)
{
    (void)state;
    static const unsigned sizes[] = { 0, 1, 2, 3, 4, 8, 16 };
    static const uint64_t bases[] = { GICD, RD(0), SGI(0), RD(1), SGI(1) };

    linux_like_setup();
    for (unsigned b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
        for (uint32_t off = 0; off < 0x10000; off++) {
            for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
                uint64_t v = 0;
                assert_true(vgic_mmio(&g, b & 1, bases[b] + off, false, sizes[s], &v));
                if (sizes[s] < 8 && sizes[s] != 0)
                    assert_int_equal(v >> (8 * sizes[s]), 0);
                v = 0xa5a5a5a5a5a5a5a5ull ^ off;
                assert_true(vgic_mmio(&g, 1, bases[b] + off, true, sizes[s], &v));
            }
        }
    }
    assert_int_equal(g.num_logged, VGIC_LOG_SLOTS + 1);
    /* From here every EOI callback is one LR completing: those live now or written below
     * (the sweep's own ICPENDR writes also reported the pending copies they dropped). */
    unsigned live = 0, writes0 = nwrites, eois0 = neois;
    for (unsigned v = 0; v < 2; v++)
        for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
            live += hw_lr[v][lr] != 0;
    /* Whatever the sweep left behind is still coherent: make every SPI pending, enabled,
     * group 1 and inactive, and all 96 come out and drain EOI by EOI. */
    for (unsigned n = 1; n < 4; n++) {
        wr32(GICD + 0x0080 + 4 * n, ~0u);
        wr32(GICD + 0x0380 + 4 * n, ~0u);
        wr32(GICD + 0x0200 + 4 * n, ~0u);
        wr32(GICD + 0x0100 + 4 * n, ~0u);
    }
    wr32(GICD, 0x13);
    unsigned rounds = 0;
    for (bool busy = true; busy; rounds++) {
        busy = false;
        for (unsigned v = 0; v < 2; v++)
            for (unsigned lr = 0; lr < VGIC_NUM_LRS; lr++)
                if (hw_lr[v][lr]) {
                    guest_eoi(v, lr);
                    busy = true;
                }
        assert_true(rounds < 200);
    }
    assert_true(neois - eois0 >= VGIC_NUM_SPIS);
    assert_int_equal(neois - eois0, nwrites - writes0 + live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sweep, reset),
    };
    return cmocka_run_group_tests_name("vgic sweep", tests, NULL, NULL);
}
