# SPDX-License-Identifier: GPL-2.0
#
# trampbench: kernel-style build.
#
#   make                      build for the host
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
#                             cross-build (tests then run under qemu-aarch64)
#   make O=dir                build out of tree (default: build/$(ARCH))
#   make V=1                  show full commands
#   make LLVM=1               use clang instead of gcc
#   make check                build and run the tests for $(ARCH)
#   make run ARGS='...'       run the benchmark program
#   make perfcheck [VARIANT=] compare in-process counts with perf stat's
#   make precision [K=5]      run-to-run precision: K invocations compared
#   make disasm               objdump -d of the generated variants
#   make fleet HOSTS=hosts.txt [ARGS=] [FLEET_FLAGS=] [SSH_CONFIG=]
#                             measure every host of the list over ssh and
#                             merge their results (scripts/fleet.sh)

HOSTARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ARCH ?= $(HOSTARCH)
override ARCH := $(patsubst x86_64,x86,$(patsubst aarch64,arm64,$(ARCH)))
ifeq ($(filter $(ARCH),arm64 x86),)
$(error ARCH=$(ARCH) is not supported (valid: arm64, x86))
endif
SRCARCH := $(ARCH)

O ?= build/$(ARCH)
obj := $(patsubst %/,%,$(O))

# ---- toolchain -----------------------------------------------------------
ifeq ($(LLVM),1)
CLANG_TARGET := $(if $(CROSS_COMPILE),--target=$(notdir $(CROSS_COMPILE:%-=%)))
CC := clang $(CLANG_TARGET)
CXX := clang++ $(CLANG_TARGET)
else
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin CXX),default)
CXX := $(CROSS_COMPILE)g++
endif
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
OBJCOPY ?= $(CROSS_COMPILE)objcopy
OBJDUMP ?= $(CROSS_COMPILE)objdump
PYTHON ?= python3

# Tests and the benchmark run natively, or under qemu-user when cross-built.
# No -L: the arm64 libraries come from multiarch :arm64 packages, and
# -L /usr/aarch64-linux-gnu would pair the cross ld.so with the multiarch
# libc (pthread_create then spins forever).
QEMU_arm64 := qemu-aarch64
QEMU_x86 := qemu-x86_64
ifeq ($(ARCH),$(HOSTARCH))
RUN ?=
else
RUN ?= $(QEMU_$(ARCH))
endif

# ---- flags ---------------------------------------------------------------
WARN := -Wall -Wextra -Werror
CPPFLAGS += -D_GNU_SOURCE -I. -Ivariants -Ivariants/$(SRCARCH) -Iharness \
	    -Iharness/$(SRCARCH) -Ibench \
	    -MMD -MP
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -fno-strict-aliasing
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++17 $(WARN)
ASFLAGS += -D__ASSEMBLY__ -Ivariants/$(SRCARCH) -I$(obj)/variants
LDLIBS += -lpfm -lbenchmark -lstdc++ -lpthread -lm -ldl
TEST_LDLIBS := -lcmocka

# ---- quiet output, as Kbuild -----------------------------------------------
ifeq ($(V),1)
Q :=
say =
else
Q := @
say = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(obj)/%,%,$(2))';
endif

# ---- sources -------------------------------------------------------------
# Every folder contributes its C files and its $(SRCARCH)/ assembly; a file
# dropped into one of them is built without touching this Makefile.
MAIN_SRC := bench/trampbench.c
LIB_SRCS := $(wildcard variants/*.c variants/$(SRCARCH)/*.c \
		harness/*.c harness/$(SRCARCH)/*.c harness/$(SRCARCH)/*.S \
		bench/*.c bench/scenarios/*.c bench/$(SRCARCH)/*.S)
LIB_SRCS := $(filter-out $(MAIN_SRC),$(LIB_SRCS))
LIB_CXX := $(wildcard harness/*.cc)
LIB_OBJS := $(patsubst %,$(obj)/%.o,$(basename $(LIB_SRCS) $(LIB_CXX))) \
	    $(obj)/image/blob.o $(obj)/harness/data/tables.o
TEST_SRCS := $(wildcard tests/test_*.c)
TESTS := $(patsubst tests/%.c,$(obj)/tests/%,$(TEST_SRCS))
TEST_SCRIPTS := $(wildcard tests/test_*.sh)

IMAGE := $(obj)/image/variants
PROG := $(obj)/trampbench

.PHONY: all check run perfcheck precision disasm fleet clean FORCE
all: $(PROG) $(IMAGE).so

# ---- the code image: every variant, generated and assembled ----------------
# gen-image.py instantiates the per-arch macros of variants/$(SRCARCH)/ into
# one assembly file; it is linked flat at address 0 (image.lds) and
# embedded in the program, which maps a copy of it at run time.  The same
# object is also linked as a shared object for the in-place BTI test.
$(IMAGE).S: variants/gen-image.py FORCE
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) variants/gen-image.py --arch $(SRCARCH) \
		-o $@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(IMAGE).o: $(IMAGE).S $(wildcard variants/$(SRCARCH)/*.S.inc)
	$(call say,AS,$@)$(CC) $(CPPFLAGS) $(ASFLAGS) -c -o $@ $<

$(IMAGE).elf: $(IMAGE).o variants/image.lds
	$(call say,LD,$@)$(CC) -nostdlib -nostartfiles -static \
		-Wl,-T,variants/image.lds -Wl,--build-id=none -o $@ $<

$(IMAGE).bin: $(IMAGE).elf
	$(call say,OBJCOPY,$@)$(OBJCOPY) -O binary $< $@

$(obj)/image/blob.o: variants/image_blob.S $(IMAGE).bin
	$(Q)mkdir -p $(dir $@)
	$(call say,AS,$@)$(CC) $(CPPFLAGS) $(ASFLAGS) \
		-DTB_IMAGE_BIN='"$(abspath $(IMAGE).bin)"' -c -o $@ $<

IMAGE_SO_FLAGS_arm64 := -Wl,-z,force-bti
$(IMAGE).so: $(IMAGE).o
	$(call say,LD,$@)$(CC) -shared -nostdlib -nostartfiles \
		-Wl,-z,noexecstack -Wl,-z,defs $(IMAGE_SO_FLAGS_$(SRCARCH)) -o $@ $<

# ---- what the suite knows about cores: harness/data/*.tsv as C ------------
# gen-tables.py checks every row and writes tables.c, rewritten only when
# it changes.  trampbench-extra is the same program with the rows of
# tests/extra-cores.tsv added: a new core needs a data row, no C change.
DATA := $(wildcard harness/data/*.tsv) harness/data/gen-tables.py
$(obj)/harness/data/tables.c: $(DATA) FORCE
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) harness/data/gen-tables.py -o $@.tmp && \
		{ cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(obj)/tests/extra/tables.c: $(DATA) tests/extra-cores.tsv FORCE
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) harness/data/gen-tables.py \
		--add-cores tests/extra-cores.tsv -o $@.tmp && \
		{ cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(obj)/harness/data/tables.o $(obj)/tests/extra/tables.o: %.o: %.c
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(obj)/tests/trampbench-extra: $(obj)/bench/trampbench.o \
		$(obj)/tests/extra/tables.o $(obj)/libtb.a
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- objects -------------------------------------------------------------
$(obj)/%.o: %.c
	$(Q)mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(obj)/%.o: %.cc
	$(Q)mkdir -p $(dir $@)
	$(call say,CXX,$@)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

$(obj)/%.o: %.S
	$(Q)mkdir -p $(dir $@)
	$(call say,AS,$@)$(CC) $(CPPFLAGS) $(ASFLAGS) -c -o $@ $<

$(obj)/libtb.a: $(LIB_OBJS)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

# The version recorded with every result, rewritten only when it changes.
TB_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(obj)/version.h: FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)echo '#define TB_VERSION "$(TB_VERSION)"' > $@.tmp && \
		{ cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }
$(obj)/bench/trampbench.o: $(obj)/version.h
$(obj)/bench/trampbench.o: CPPFLAGS += -include $(obj)/version.h

$(PROG): $(obj)/bench/trampbench.o $(obj)/libtb.a
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A test may bring its own assembly: tests/$(SRCARCH)/test_NAME*.S.
.SECONDEXPANSION:
$(obj)/tests/test_%: $(obj)/tests/test_%.o \
		$$(patsubst %.S,$(obj)/%.o,$$(wildcard tests/$(SRCARCH)/test_$$**.S)) \
		$(obj)/libtb.a
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LDLIBS) $(LDLIBS)

# ---- running -------------------------------------------------------------
check: $(TESTS) $(PROG) $(IMAGE).so $(obj)/tests/trampbench-extra
	$(Q)TB_SRC=$(CURDIR) TB_BUILD=$(abspath $(obj)) RUN='$(RUN)' \
		ARCH=$(ARCH) scripts/run-tests.sh $(TESTS) $(TEST_SCRIPTS)

run: $(PROG)
	$(RUN) $(PROG) $(ARGS)

# perf stat and trampbench count the same span; the totals must agree.
perfcheck: $(PROG)
ifeq ($(RUN),)
	$(Q)scripts/perfcheck.sh $(PROG) $(VARIANT)
else
	@echo "perfcheck: perf stat counts the host CPU, not $(ARCH) under $(RUN): run it natively"; false
endif

# K separate runs of the default matrix (plus ARGS), compared run to run.
K ?= 5
precision: $(PROG)
	$(Q)$(PYTHON) scripts/precision.py --runs $(K) -- $(RUN) $(PROG) $(ARGS)

disasm: $(IMAGE).o
	$(OBJDUMP) -d $(IMAGE).o

# Every host of HOSTS (one ssh destination a line) builds the committed
# tree natively and runs trampbench ARGS; the results come back into
# results/fleet-<date>/<host>/ and are merged beside them.  FLEET_FLAGS:
# --no-setup, --resume, --dir DIR, --results DIR, --worktree.
fleet:
	$(Q)SSH_CONFIG='$(SSH_CONFIG)' scripts/fleet.sh $(FLEET_FLAGS) '$(HOSTS)' -- $(ARGS)

clean:
	rm -rf $(obj)

FORCE:

-include $(shell find $(obj) -name '*.d' 2>/dev/null)
