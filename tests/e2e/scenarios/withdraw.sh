# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# EDU1 and EDU3 are requested, EDU3 is withdrawn before prepare: the set
# holds EDU1's chain only, and after the kexec EDU3 and its bridges are as
# after a plain kexec.
stage1() {
	default_setup
	lu "request-$EDU3" request pci "$EDU3"
	lu "withdraw-$EDU3" withdraw pci "$EDU3"
	lu_prepare "$EDU1"
	expect_member $EDU1 $DN1 $UP1 $RP1
	expect_absent $EDU3 $PB1 $RP2
	kexec_stage2
}

stage2() {
	expect_handover "$EDU1 $DN1 $UP1 $RP1" "$DEFAULT_DEVICES"
}
