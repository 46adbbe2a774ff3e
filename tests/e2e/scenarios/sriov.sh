# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A VF of the nvme PF is a member: the ordered set holds the PF and the VF's
# bridges before the VF, and the handover names all three.  After the kexec
# the PF and its root port keep Bus Master Enable; the VF itself does not
# come back, because the new kernel's sriov_init() clears VF Enable (see
# "Not done yet" in liveupdate.rst): reconciliation reports it missing.
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
	expect_before $RP3 $NVME
	kexec_stage2
}

stage2() {
	expect vf-absent missing "$(cmd_of "$VF1")"
	expect_handover "$NVME $RP3" "$RP3 $NVME"
	expect_report "$VF1" missing
}
