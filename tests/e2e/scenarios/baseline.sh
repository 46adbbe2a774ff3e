# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# What a plain kexec does to Bus Master Enable, without the framework: every
# later scenario must beat it.  Stage 2 reads the command registers before
# anything else touches them and checks them against BASE_LOST (lib.sh).
stage1() {
	default_setup
	kexec_stage2
}

stage2() {
	show_devices $DEFAULT_DEVICES
	expect_base $DEFAULT_DEVICES
}
