tests/test_batches: tests/test_batches.c bench/batches.h \
 harness/perf_group.h harness/pmu_events.h harness/cpu_model.h
bench/batches.h:
harness/perf_group.h:
harness/pmu_events.h:
harness/cpu_model.h:
