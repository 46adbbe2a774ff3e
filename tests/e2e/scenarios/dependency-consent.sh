# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 nvme 0000:07:00.0: driver nvme cannot keep the device for liveupdate, which 0000:07:00.1 needs
# e2e-log-count: 1 liveupdate-test-stub 0000:07:00.0: liveupdate stub: prepare requested=- derived=bus-master
# e2e-log-count: 1 liveupdate-test-stub 0000:07:00.0: liveupdate stub: freeze requested=- derived=bus-master
# Every member is owned.  VF1 of the nvme PF is requested through the stub
# driver; the PF is a member kept for it.  With the PF bound to nvme, which
# has no liveupdate ops, prepare fails with EBUSY and one line naming the
# PF and its driver, and the session stays normal.  With the PF given to
# the stub driver instead, prepare asks it to agree with the features the
# PF is kept for (derived bus-master, nothing requested), and at the kexec
# its freeze runs, where a real PF driver quiesces what it owns.
stage1() {
	default_setup
	echo 0 >"$PCI/$NVME/sriov_drivers_autoprobe"
	echo 2 >"$PCI/$NVME/sriov_numvfs"
	lu request-vf request pci "$VF1"
	expect refused-nvme EBUSY "$(lu-write "$LUS/session" prepare)"
	expect state-normal normal "$(lu_state)"
	stub_pf
	lu request-vf-again request pci "$VF1"
	lu prepare session prepare
	lu_devices
	expect_member "$NVME" "$VF1"
	kexec_stage2
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	lu finish session finish
}
