# SPDX-License-Identifier: GPL-2.0
#
# memlayout: developer entry points. The kernel build itself is in Kbuild.
#
#   make            build memlayout.ko against KDIR, and tools/memlayoutctl
#   make run        boot a Debian guest, load the module, run two examples
#   make check      install what is missing and run every test layer
#   make vmtest     end-to-end tests in Debian 6.1 and 6.12 guests (QEMU)
#   make lint       checkpatch, kernel-doc, UAPI header checks, coccicheck
#   make fuzz       libFuzzer on the core vs a naive SPEC model (FUZZ_SECONDS=60)
#   make coverage   line and branch coverage of the core (gcov/lcov)
#   make kunit      KUnit suites under kunit.py: UML plain and KASAN+UBSAN, x86_64 SMP
#                   (KASAN, kmemleak, failslab), KCSAN, i386
#   make bench      the benchmarks (never pass/fail): the KUnit-hosted one, then
#                   the core (gcc and clang) against the seed's memory.rs in
#                   userspace (scripts/bench.sh)
#   make modules-all  W=1 + sparse builds against Debian 6.1 and 6.12
#   make lib        libmemlayout (lib/): static, shared, memlayout.pc
#   make lib-check  libmemlayout's tests (offline engine, names, install)

# Kbuild (not this file) is what the kernel's build system reads.

PROJECT := $(CURDIR)
# Default: the running kernel's build dir, else the newest Debian headers.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(shell $(PROJECT)/scripts/kdirs.sh 2>/dev/null | tail -n 1))
# Extracted kernel source, UML build dirs and logs live outside the repo.
ifeq ($(shell id -u),0)
CACHE ?= /var/cache/memlayout
else
CACHE ?= $(HOME)/.cache/memlayout
endif

.PHONY: all modules tools clean deps check kunit kunit-default kunit-san \
	kunit-x86 kunit-kcsan kunit-i386 bench \
	modules-all vmtest run vmbench lint fuzz coverage lib lib-check

all: modules tools

tools: tools/memlayoutctl

# On libmemlayout, linked statically (the device client, the offline engine,
# the names, diff and firmware maps), and libfdt for --fdt. The library is
# built first; the tool is relinked when any source of the library changes.
tools/memlayoutctl: tools/memlayoutctl.c include/uapi/linux/memlayout.h \
		    $(wildcard lib/*.c lib/*.h lib/Makefile lib/shim/*.c memlayout_*.c memlayout_*.h)
	$(MAKE) -C $(PROJECT)/lib
	$(CC) -O2 -Wall -Wextra -Werror -I$(PROJECT)/lib -I$(PROJECT)/include/uapi \
		-o $@ $< $(PROJECT)/lib/libmemlayout.a -lfdt

lib:
	$(MAKE) -C $(PROJECT)/lib

lib-check:
	$(MAKE) -C $(PROJECT)/lib check

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run scripts/deps.sh or set KDIR"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(PROJECT) modules

deps:
	$(PROJECT)/scripts/deps.sh

check:
	@$(PROJECT)/scripts/check.sh $(CACHE)

kunit: kunit-default kunit-san kunit-x86 kunit-kcsan kunit-i386

kunit-default kunit-san kunit-x86 kunit-kcsan kunit-i386: deps
	@$(PROJECT)/scripts/kunit.sh $(CACHE) $(@:kunit-%=%)

bench: deps
	@$(PROJECT)/scripts/kunit.sh $(CACHE) bench
	@$(PROJECT)/scripts/bench.sh $(CACHE)/bench

modules-all: deps
	@$(PROJECT)/scripts/modules.sh $(CACHE)/modules

fuzz: deps
	@$(PROJECT)/scripts/fuzz.sh $(CACHE)

coverage: deps
	@$(PROJECT)/scripts/coverage.sh $(CACHE)

lint: deps
	@$(PROJECT)/scripts/lint.sh $(CACHE)

vmtest: deps
	@$(PROJECT)/scripts/vmtest.sh $(CACHE) test

run: deps
	@$(PROJECT)/scripts/vmtest.sh $(CACHE) run

vmbench: deps
	@$(PROJECT)/scripts/vmtest.sh $(CACHE) bench

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(PROJECT) clean
	rm -f Module.symvers modules.order tools/memlayoutctl
	$(MAKE) -C $(PROJECT)/lib clean
