# SPDX-License-Identifier: GPL-2.0
# Entry points; each runs one script of tools/ (see README.md).

CHECKS := checkpatch build kernel-doc htmldocs coccinelle

.PHONY: all setup series check $(addprefix check-,$(CHECKS)) kunit e2e e2e-stress kselftest demo test bench cocci-base

all: test

setup:
	tools/setup

# Each target installs and builds what it needs, so that it runs on a
# fresh machine: setup is idempotent and takes seconds once done.
series: setup
	tools/build-series

# Every check runs, even after one failed; make check fails if any did.
check: series
	@rc=0; for c in $(CHECKS); do tools/check-$$c || rc=1; done; exit $$rc

$(addprefix check-,$(CHECKS)): series
	tools/$@

kunit: series
	tools/run-kunit

demo: series

e2e demo:
	@script=tools/$(if $(filter e2e,$@),run-e2e,demo); \
	test -x $$script || { echo "$$script does not exist yet (the e2e part is not written)"; exit 1; }; \
	$$script

e2e-stress: series
	tools/check-e2e-stress

# The series' kselftest on the kernel check-build left.
kselftest: series
	tools/check-kselftest

bench: series
	tools/bench && tools/bench-report

# Not part of test: the DMA rules on the whole base kernel take minutes.
cocci-base: setup
	tools/cocci-base-findings

test:
	tools/run-tests
