# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# An edu endpoint below the switch is a member: after the kexec it and every
# bridge above it still have Bus Master Enable (a plain kexec clears them all,
# see baseline); every other device is as after a plain kexec.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	kexec_stage2 $(lu_handover)
}

stage2() {
	expect_handover "$EDU1 $DN1 $UP1 $RP1" "$DEFAULT_DEVICES"
}
