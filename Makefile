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
#   make report [ARGS=] [RUNS=5] [OTHER=1] [RESULTS=file.json]
#                             the main job: set up, build, measure this
#                             machine in RUNS separate runs, write
#                             report/<name>/ (summary.txt, plots);
#                             RESULTS= reports saved runs
#   make model [LLVM_MCA=] [OUT=]
#                             static model: llvm-mca on each variant's code,
#                             per core, both architectures (not a measurement)
#   make fleet HOSTS=hosts.txt [ARGS=] [FLEET_FLAGS=] [SSH_CONFIG=]
#                             measure every host of the list over ssh and
#                             merge their results (scripts/fleet.sh)
#   make vm [ARCH=] [VM_CPU=] [VM_KERNEL=] [VM_ICOUNT=0] [ARGS=]
#                             trampbench in a qemu-system guest on Debian's
#                             kernel (scripts/vm/vm.sh); labelled emulated
#   make kmod [KDIR=]         the kernel module of trampbench --kernel,
#                             against KDIR (default: the running kernel's)

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
NM ?= $(CROSS_COMPILE)nm
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
USER_CPPFLAGS := $(CPPFLAGS)
CPPFLAGS += -D_GNU_SOURCE -I. -Ivariants -Ivariants/$(SRCARCH) -Iharness -Ikmod \
	    -Iharness/$(SRCARCH) -I$(obj)/harness -I$(obj)/variants -Ibench \
	    -MMD -MP
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -fno-strict-aliasing
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++17 $(WARN)
ASFLAGS += -D__ASSEMBLY__ -Ivariants/$(SRCARCH) -I$(obj)/variants
LDLIBS += -lpfm -lbenchmark -ljson-c -lstdc++ -lpthread -lm -ldl
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
MAIN_SRC := bench/main.c
LIB_SRCS := $(wildcard variants/*.c variants/$(SRCARCH)/*.c \
		harness/*.c harness/core/*.c harness/$(SRCARCH)/*.c \
		harness/$(SRCARCH)/*.S \
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

# ---- first contact: what the build needs, before the first compile ---------
# scripts/check-deps.sh says in one line per missing header or library
# which Debian package brings it, instead of a compiler error on
# perfmon/pfmlib_perf_event.h.  Once per compiler: the stamp's name is a
# hash of what the check depends on, so a new CC, ARCH or flags checks
# again and an unchanged one costs nothing.  make check also needs cmocka.
# The stamp's rule comes before all's: keep plain `make` building all.
.DEFAULT_GOAL := all
DEPS_CHECK := $(if $(filter check,$(MAKECMDGOALS)),check)
DEPS_KEY := $(shell printf '%s\n' '$(CC)' '$(CXX)' '$(USER_CPPFLAGS)' \
	'$(LDFLAGS)' '$(ARCH)' '$(DEPS_CHECK)' | md5sum | cut -c1-16)
DEPS_STAMP := $(obj)/.deps/$(DEPS_KEY)$(if $(DEPS_CHECK),-check)

$(DEPS_STAMP):
	$(Q)CC='$(CC)' CXX='$(CXX)' CPPFLAGS='$(USER_CPPFLAGS)' \
		LDFLAGS='$(LDFLAGS)' scripts/check-deps.sh $(ARCH) \
		$(HOSTARCH) $(DEPS_CHECK)
	$(Q)mkdir -p $(dir $@) && touch $@

.PHONY: all check run perfcheck precision disasm report model fleet vm \
	kmod clean FORCE
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

# The descriptors' C side comes from the same script: image_desc.h.
IMAGE_DESC_H := $(obj)/variants/image_desc.h
$(IMAGE_DESC_H): variants/gen-image.py FORCE | $(DEPS_STAMP)
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) variants/gen-image.py --header \
		-o $@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(IMAGE).o: $(IMAGE).S $(wildcard variants/$(SRCARCH)/*.S.inc) | $(DEPS_STAMP)
	$(call say,AS,$@)$(CC) $(CPPFLAGS) $(ASFLAGS) -c -o $@ $<

$(IMAGE).elf: $(IMAGE).o variants/image.lds
	$(call say,LD,$@)$(CC) -nostdlib -nostartfiles -static \
		-Wl,-T,variants/image.lds -Wl,--build-id=none -o $@ $<

$(IMAGE).bin: $(IMAGE).elf
	$(call say,OBJCOPY,$@)$(OBJCOPY) -O binary $< $@

$(obj)/image/blob.o: variants/image_blob.S $(IMAGE).bin | $(DEPS_STAMP)
	$(Q)mkdir -p $(dir $@)
	$(call say,AS,$@)$(CC) $(CPPFLAGS) $(ASFLAGS) \
		-DTB_IMAGE_BIN='"$(abspath $(IMAGE).bin)"' -c -o $@ $<

IMAGE_SO_FLAGS_arm64 := -Wl,-z,force-bti
$(IMAGE).so: $(IMAGE).o
	$(call say,LD,$@)$(CC) -shared -nostdlib -nostartfiles \
		-Wl,-z,noexecstack -Wl,-z,defs $(IMAGE_SO_FLAGS_$(SRCARCH)) -o $@ $<

# ---- what the suite knows about cores: harness/data/*.tsv as C ------------
# gen-tables.py checks every row and writes tables.c, rewritten only when
# it changes; its schema is also the header, data/tables.h, which every
# object may include (hence order-only below, before the first compile,
# with image_desc.h).
# trampbench-extra is the same program with the rows of
# tests/extra-cores.tsv added: a new core needs a data row, no C change.
DATA := $(wildcard harness/data/*.tsv) harness/data/gen-tables.py
TABLES_H := $(obj)/harness/data/tables.h
$(TABLES_H): harness/data/gen-tables.py FORCE | $(DEPS_STAMP)
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) harness/data/gen-tables.py --header \
		-o $@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }
# the generated headers every object may include
GEN_H := $(TABLES_H) $(IMAGE_DESC_H)

$(obj)/harness/data/tables.c: $(DATA) FORCE
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) harness/data/gen-tables.py -o $@.tmp && \
		{ cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(obj)/tests/extra/tables.c: $(DATA) tests/extra-cores.tsv FORCE
	$(Q)mkdir -p $(dir $@)
	$(call say,GEN,$@)$(PYTHON) harness/data/gen-tables.py \
		--add-cores tests/extra-cores.tsv -o $@.tmp && \
		{ cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(obj)/harness/data/tables.o $(obj)/tests/extra/tables.o: %.o: %.c \
		| $(DEPS_STAMP) $(GEN_H)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(obj)/tests/trampbench-extra: $(obj)/bench/main.o \
		$(obj)/tests/extra/tables.o $(obj)/libtb.a
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- objects -------------------------------------------------------------
$(obj)/%.o: %.c | $(DEPS_STAMP) $(GEN_H)
	$(Q)mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(obj)/%.o: %.cc | $(DEPS_STAMP) $(GEN_H)
	$(Q)mkdir -p $(dir $@)
	$(call say,CXX,$@)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

$(obj)/%.o: %.S | $(DEPS_STAMP)
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
$(obj)/bench/main.o: $(obj)/version.h
$(obj)/bench/main.o: CPPFLAGS += -include $(obj)/version.h

$(PROG): $(obj)/bench/main.o $(obj)/libtb.a
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A test may bring its own assembly: tests/$(SRCARCH)/test_NAME*.S.
.SECONDEXPANSION:
$(obj)/tests/test_%: $(obj)/tests/test_%.o \
		$$(patsubst %.S,$(obj)/%.o,$$(wildcard tests/$(SRCARCH)/test_$$**.S)) \
		$(obj)/libtb.a
	$(call say,LD,$@)$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LDLIBS) $(LDLIBS)

# ---- running -------------------------------------------------------------
# TB_CC and TB_NM: tests/test_core_kernel.sh builds the measuring core
# as a kernel module's code with the build's own compiler.
check: $(TESTS) $(PROG) $(IMAGE).so $(obj)/tests/trampbench-extra
	$(Q)TB_SRC=$(CURDIR) TB_BUILD=$(abspath $(obj)) RUN='$(RUN)' \
		ARCH=$(ARCH) TB_CC='$(CC)' TB_NM='$(NM)' \
		scripts/run-tests.sh $(TESTS) $(TEST_SCRIPTS)

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

# The main job; it builds through make itself, after installing what is
# missing, so it depends on nothing here.
report:
	$(Q)RESULTS='$(RESULTS)' ARGS='$(ARGS)' OTHER='$(OTHER)' \
		RUNS='$(RUNS)' scripts/report.sh

# What a variable of this build is, for scripts: make print-RUN
print-%:
	@echo '$($*)'

disasm: $(IMAGE).o
	$(OBJDUMP) -d $(IMAGE).o

# The static model: each architecture's image built in $(obj)/model/<arch>
# (the other one cross-built), then scripts/model.py reads each variant's
# call path out of it and runs llvm-mca on it for every core of
# harness/data/model-cpus.tsv.  JSON in results/model-llvm<major>.json
# (or OUT=), never over a different existing file.
MODEL_CROSS_arm64 := $(if $(filter arm64,$(HOSTARCH)),,aarch64-linux-gnu-)
MODEL_CROSS_x86 := $(if $(filter x86,$(HOSTARCH)),,x86_64-linux-gnu-)
model:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 \
		CROSS_COMPILE=$(MODEL_CROSS_arm64) O=$(obj)/model/arm64 \
		$(obj)/model/arm64/image/variants.elf
	$(Q)$(MAKE) --no-print-directory ARCH=x86 \
		CROSS_COMPILE=$(MODEL_CROSS_x86) O=$(obj)/model/x86 \
		$(obj)/model/x86/image/variants.elf
	$(Q)$(PYTHON) scripts/model.py \
		--image arm64=$(obj)/model/arm64/image/variants.elf \
		--image x86=$(obj)/model/x86/image/variants.elf \
		$(if $(LLVM_MCA),--llvm-mca '$(LLVM_MCA)') $(if $(OUT),-o '$(OUT)')

# Every host of HOSTS (one ssh destination a line) builds the committed
# tree natively and runs trampbench ARGS; the results come back into
# results/fleet-<date>/<host>/ and are merged beside them.  FLEET_FLAGS:
# --no-setup, --resume, --dir DIR, --results DIR, --worktree.
fleet:
	$(Q)SSH_CONFIG='$(SSH_CONFIG)' scripts/fleet.sh $(FLEET_FLAGS) '$(HOSTS)' -- $(ARGS)

# A qemu-system guest of $(ARCH) (TCG, -icount shift=0 unless VM_ICOUNT=0)
# on Debian's own kernel, fetched with apt and cached: trampbench --check
# and trampbench ARGS inside, the results file and the console log back
# into results/.  The build is cross-compiled where ARCH is not the
# host's, with the usual prefix unless CROSS_COMPILE says otherwise.
VM_CROSS := $(or $(CROSS_COMPILE),$(MODEL_CROSS_$(ARCH)))
vm:
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) \
		CROSS_COMPILE=$(VM_CROSS) O=$(obj) all
	$(Q)scripts/vm/vm.sh --arch $(ARCH) --build $(abspath $(obj)) \
		$(if $(VM_CPU),--cpu '$(VM_CPU)') \
		$(if $(VM_KERNEL),--kernel '$(VM_KERNEL)') \
		$(if $(VM_ICOUNT),--icount '$(VM_ICOUNT)') \
		$(if $(VM_SMP),--smp '$(VM_SMP)') \
		$(if $(VM_USER_ACCESS),--user-access '$(VM_USER_ACCESS)') \
		$(if $(VM_TIMEOUT),--timeout '$(VM_TIMEOUT)') -- $(ARGS)

# ---- the kernel module: kmod/, built by Kbuild against KDIR ------------------
# The module's folder in the build holds links to the tree's sources (the
# same generated image, measuring core and variants as user space) and
# kmod/Kbuild; Kbuild compiles them there with the kernel's flags.  The
# module is $(obj)/kmod/trampbench.ko.
KDIR ?= /lib/modules/$(shell uname -r)/build
KMOD := $(abspath $(obj))/kmod
KMOD_LINKS := kmod/tb_kmod.c kmod/kimage.c kmod/ksc.c \
	$(IMAGE).S=image.S bench/$(SRCARCH)/calibration.S \
	harness/$(SRCARCH)/clock.S harness/core/measure.c \
	harness/core/counters.c harness/core/counters_kernel.c \
	variants/registry.c variants/static_call.c variants/cost.c \
	variants/$(SRCARCH)/static_call.c=arch_static_call.c \
	variants/$(SRCARCH)/insn.c=arch_insn.c \
	variants/$(SRCARCH)/cost.c=arch_cost.c
kmod: $(IMAGE).S $(IMAGE_DESC_H)
	$(Q)[ -f '$(KDIR)/Makefile' ] || { echo "make kmod: no kernel build folder at $(KDIR): install the headers of the kernel (Debian: linux-headers-$$(uname -r)), or give KDIR=" >&2; exit 1; }
	$(Q)mkdir -p $(KMOD) && ln -sf $(CURDIR)/kmod/Kbuild $(KMOD)/Kbuild
	$(Q)for l in $(KMOD_LINKS); do src=$${l%%=*}; dst=$${l#*=}; \
		[ "$$dst" = "$$l" ] && dst=$$(basename $$src); \
		case $$src in /*) ;; *) src=$(CURDIR)/$$src ;; esac; \
		ln -sf $$src $(KMOD)/$$dst || exit 1; done
	$(call say,KBUILD,$(KMOD)/trampbench.ko)$(MAKE) --no-print-directory \
		-C $(KDIR) M=$(KMOD) O= ARCH=$(ARCH) \
		$(if $(CROSS_COMPILE),CROSS_COMPILE=$(CROSS_COMPILE)) \
		$(if $(LLVM),LLVM=$(LLVM)) TB_SRC=$(CURDIR) \
		TB_BUILD=$(abspath $(obj)) $(if $(V:0=),V=1) modules

clean:
	rm -rf $(obj)

FORCE:

-include $(shell find $(obj) -name '*.d' 2>/dev/null)
