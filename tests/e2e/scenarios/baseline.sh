# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# What a plain kexec does to Bus Master Enable, without the framework: every
# later scenario must beat it.  Stage 2 reads the command registers before
# anything else touches them and checks them against the topology's
# "# e2e-baseline-bme:" line (tests/e2e/topologies/default.qemu).  Stage 1
# also checks that lib.sh's names of the default topology's devices are
# where topo_bdf finds them.
stage1() {
	for p in rp1:$RP1 up1:$UP1 dn1:$DN1 dn2:$DN2 dn1/0:$EDU1 dn2/0:$EDU2 \
		 rp2:$RP2 pb1:$PB1 pb1/1:$EDU3 rp3:$RP3 rp3/0:$NVME rp3/0.1:$VF1; do
		expect "topo-${p%%:*}" "${p#*:}" "$(topo_bdf "${p%%:*}")"
	done
	default_setup
	kexec_stage2
}

stage2() {
	show_devices $DEFAULT_DEVICES
	expect_base $DEFAULT_DEVICES
}
