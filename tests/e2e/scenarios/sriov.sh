# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A VF of the nvme PF is a member: the ordered set holds the PF and the VF's
# bridges before the VF; after the kexec the VF is there with Bus Master set.
stage1() {
	echo 0 >"$PCI/$NVME/sriov_drivers_autoprobe"
	echo 2 >"$PCI/$NVME/sriov_numvfs"
	expect vf-present "$VF1" "$(ls -d "$PCI/$VF1" 2>/dev/null | xargs -r basename)"
	pci-cmd "$VF1" +master >/dev/null
	show_devices $RP3 $NVME $VF1
	lu_prepare "$VF1"
	expect_member $RP3 $NVME $VF1
	expect_before $NVME $VF1
	expect_before $RP3 $VF1
	kexec_stage2 $(lu_handover)
}

stage2() {
	expect_handover "$VF1 $NVME $RP3" "$RP3 $NVME $VF1"
}
