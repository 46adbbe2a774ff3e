# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 liveupdate-test-stub 0000:07:00.1: liveupdate: cannot keep a VF: its PF's driver could not adopt it in the next kernel
# A VF cannot be kept: its PF's driver created it, and nothing lets that
# driver adopt VFs it finds enabled in the new kernel.  With two VFs of the
# nvme PF enabled (the PF bound to the stub driver), requesting VF1 fails
# with EOPNOTSUPP and one line.  The PF itself can be kept: after the kexec
# it is restored with Bus Master Enable, and the new kernel cleared VF
# Enable, as after any kexec (its copy of the PF's config space as found
# still shows VF Enable set): no VF is left that nobody owns.  nvme, which
# cannot take a device over, has its probe of the kept PF deferred (one
# line) until finish, which stops the PF, after which nvme binds it.  On
# the base kernel the stub's request file is missing.
stage1() {
	stub_pf
	expect vf-present "$VF1" "$(ls -d "$PCI/$VF1" 2>/dev/null | xargs -r basename)"
	stub_bind pci "$VF1" || fail bind-vf "$VF1 not bound to $STUB_DRIVER"
	expect vf-refused EOPNOTSUPP "$(lu-write "$STUB/request" "pci $VF1 bus-master")"
	show_devices $RP3 $NVME $VF1
	lu_prepare "$NVME"
	expect_member $RP3 $NVME
	expect_absent $VF1
	kexec_stage2
}

stage2() {
	p=$(ext_cap_offset "$NVME" 16)	# SR-IOV
	found=$(od -An -tu2 -j$((p + 8)) -N2 "$FOUND/$NVME" 2>/dev/null | tr -d ' ')
	expect vf-enable-found 1 "$(( ${found:-0} & 1 ))"
	expect numvfs 0 "$(cat "$PCI/$NVME/sriov_numvfs" 2>/dev/null)"
	expect vf-gone missing "$(cmd_of "$VF1")"
	expect nvme-deferred 1 "$(dmesg | grep -c "$NVME: nvme cannot take over a device the previous kernel kept")"
	expect nvme-unbound "" "$(driver_of pci "$NVME")"
	show_devices $RP3 $NVME
	expect_kept $RP3 $NVME
	expect state-incoming incoming "$(lu_state)"
	lu finish session finish
	i=0
	while [ "$(driver_of pci "$NVME")" != nvme ] && [ $i -lt 10 ]; do sleep 1; i=$((i + 1)); done
	expect nvme-after-finish nvme "$(driver_of pci "$NVME")"
	lu_report
	expect_report "$NVME" restored
}
