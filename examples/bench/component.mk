# The bench systems' build glue the Makefile reads with every component.mk: the CPU-bound guest
# of bench_cpu1.system and bench_cpu2.system (guests/cpu_work). It adds no component.
include guests/cpu_work/build.mk
