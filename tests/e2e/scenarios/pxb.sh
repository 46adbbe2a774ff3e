# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default pxb
# Members below two host bridges: EDU1 below the switch on pcie.0 and EDU4
# below a root port of the pxb-pcie host bridge (bus 0x80).
stage1() {
	default_setup
	echo 1 >"$PCI/$EDU4/enable"
	pci-cmd "$EDU4" +master >/dev/null
	show_devices $PRP1 $EDU4
	lu_prepare "$EDU1" "$EDU4"
	kexec_stage2
}

stage2() {
	expect_handover "$EDU1 $DN1 $UP1 $RP1 $EDU4 $PRP1" "$DEFAULT_DEVICES $PRP1 $EDU4"
}
