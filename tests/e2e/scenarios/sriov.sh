# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 pci 0000:07:00.0: keeping 2 VFs enabled for liveupdate
# A VF of the nvme PF is requested, with the PF bound to the stub driver,
# which agrees to keep it for the VF (nvme would not, dependency-consent
# shows that): the ordered set holds the PF and the
# VF's bridges before the VF, and the handover names all three.  After the
# kexec the new kernel keeps the PF's VF Enable and NumVFs (no clear, no
# one-second wait) and adds the VFs at the routing IDs they had: VF1 is
# back, incoming, with Bus Master Enable, and reported restored, as are the
# PF and its root port; sriov_numvfs reads 2, and disabling SR-IOV is
# refused until the session is finished.  On the base kernel the VF is gone.
stage1() {
	stub_pf
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
	info "new kernel reached init at $(dmesg | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init.*/\1/p') s"
	expect numvfs 2 "$(cat "$PCI/$NVME/sriov_numvfs" 2>/dev/null)"
	expect disable-refused EBUSY "$(lu-write "$PCI/$NVME/sriov_numvfs" 0)"
	expect_handover "$NVME $RP3 $VF1" "$RP3 $NVME $VF1"
	expect_report "$VF1" restored
	expect disable-after-finish "ok 1" "$(lu-write "$PCI/$NVME/sriov_numvfs" 0)"
	expect vf-gone missing "$(cmd_of "$VF1")"
}
