/* The tests every UART driver must pass (drv_tests.c), run against the dev of the program. */
#ifndef DRV_TESTS_H
#define DRV_TESTS_H

int run_drv_tests(const char *group);

#endif
